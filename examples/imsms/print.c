/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Prints a decoded MIKEY message as a tree of "name value" lines, one
 * per line, names dotted and lowercase:
 *
 *   hdr.csb_id cd177e50
 *   payload[1].type 5 (T)
 *   payload[3].tp.payload[1].role 3 (IDRkms)
 *
 * Codes are printed as the number followed by the name in parentheses,
 * "(unknown)" when the number has none; bytes as lowercase hex, "-" when
 * empty. Identities and other data that are printable text are printed
 * as text under "<name>", otherwise as hex under "<name>_hex".
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "imsms.h"

/* Nesting limit for chains inside TP, TICKET and KEMAC payloads. */
#define MAX_DEPTH 8
#define PREFIX_CAP 512

typedef struct printer {
  FILE *f;
  char prefix[PREFIX_CAP]; /* e.g. "payload[3].tp.payload[1]." */
  int err;                 /* first error met in a nested structure */
  int depth;
  uint8_t data_type;       /* of the message: PK KEMACs start with IDi */
} printer;

/* ---- line writers ---------------------------------------------------- */

static void line(printer *p, const char *name, const char *fmt, ...)
    IMSMS_TOOL_PRINTF(3, 4);

static void line(printer *p, const char *name, const char *fmt, ...) {
  va_list ap;

  fputs(p->prefix, p->f);
  fputs(name, p->f);
  fputc(' ', p->f);
  va_start(ap, fmt);
  vfprintf(p->f, fmt, ap);
  va_end(ap);
  fputc('\n', p->f);
}

static void line_hex(printer *p, const char *name, const uint8_t *d,
                     size_t n) {
  fputs(p->prefix, p->f);
  fputs(name, p->f);
  fputc(' ', p->f);
  if (n == 0) {
    fputc('-', p->f);
  } else {
    imsms_tool_hex_write(p->f, d, n);
  }
  fputc('\n', p->f);
}

/* "<name> <v> (<label>)", or "(unknown)" when |label| is NULL. */
static void line_code(printer *p, const char *name, unsigned v,
                      const char *label) {
  line(p, name, "%u (%s)", v, label ? label : "unknown");
}

static void line_size(printer *p, const char *name, size_t n) {
  line(p, name, "%zu", n);
}

/* Printable ASCII, no space at either end. */
static int is_printable(const uint8_t *d, size_t n) {
  size_t i;

  if (n == 0 || d[0] == ' ' || d[n - 1] == ' ') {
    return 0;
  }
  for (i = 0; i < n; i++) {
    if (d[i] < 0x20 || d[i] > 0x7e) {
      return 0;
    }
  }
  return 1;
}

/* "<name>_len N", then "<name> text" or "<name>_hex hex". */
static void line_data(printer *p, const char *name, const uint8_t *d,
                      size_t n) {
  char key[64];

  snprintf(key, sizeof(key), "%s_len", name);
  line_size(p, key, n);
  if (is_printable(d, n)) {
    line(p, name, "%.*s", (int)n, (const char *)d);
  } else {
    snprintf(key, sizeof(key), "%s_hex", name);
    line_hex(p, key, d, n);
  }
}

static void record_error(printer *p, int code) {
  imsms_tool_print_error(p->f, p->prefix, code);
  if (p->err == 0) {
    p->err = code;
  }
}

/* see imsms.h */
void imsms_tool_print_error(FILE *f, const char *prefix, int code) {
  fprintf(f, "%serror %s %s\n", prefix ? prefix : "", imsms_tool_err_name(code),
          imsms_strerror(code));
}

/* Appends |fmt| to the prefix; returns the old length to restore. */
static size_t push(printer *p, const char *fmt, ...) IMSMS_TOOL_PRINTF(2, 3);

static size_t push(printer *p, const char *fmt, ...) {
  size_t old = strlen(p->prefix);
  va_list ap;
  int n;

  va_start(ap, fmt);
  n = vsnprintf(p->prefix + old, sizeof(p->prefix) - old, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= sizeof(p->prefix) - old) {
    p->prefix[old] = 0; /* cannot happen below MAX_DEPTH; stay readable */
  }
  return old;
}

static void pop(printer *p, size_t old) { p->prefix[old] = 0; }

/* ---- code names -------------------------------------------------------- */

#define NAME(tab, v) name_of(tab, sizeof(tab) / sizeof(tab[0]), v)

static const char *name_of(const char *const *tab, size_t n, unsigned v) {
  return v < n ? tab[v] : NULL;
}

static const char *const data_types[] = {
    "PSK_INIT",         "PSK_RESP",        "PK_INIT",
    "PK_RESP",          "DH_INIT",         "DH_RESP",
    "ERROR",            "DHHMAC_INIT",     "DHHMAC_RESP",
    "RSAR_INIT",        "RSAR_RESP",       "REQUEST_INIT_PSK",
    "REQUEST_INIT_PK",  "REQUEST_RESP",    "TRANSFER_INIT",
    "TRANSFER_RESP",    "RESOLVE_INIT_PSK", "RESOLVE_INIT_PK",
    "RESOLVE_RESP"};

static const char *const payload_types[] = {
    "LAST", "KEMAC", "PKE", "DH",  "SIGN",  "T",   "ID",    "CERT",
    "CHASH", "V",    "SP",  "RAND", "ERR",  "TR",  "IDR",   "RANDR",
    "TP",   "TICKET", NULL, NULL,  "KEY_DATA", "GEN_EXT"};

static const char *const prf_funcs[] = {"MIKEY-1", "PRF-HMAC-SHA-256"};
static const char *const map_types[] = {"SRTP-ID", "EMPTY", "GENERIC-ID"};
static const char *const prot_types[] = {"SRTP"};
static const char *const encr_algs[] = {"NULL", "AES-CM-128", "AES-KW-128",
                                        "AES-CM-256"};
static const char *const mac_algs[] = {"NULL", "HMAC-SHA-1-160",
                                       "HMAC-SHA-256-256"};
static const char *const ts_types[] = {"NTP-UTC", "NTP", "COUNTER",
                                       "NTP-UTC-32"};
static const char *const id_types[] = {"NAI", "URI", "BYTES"};
static const char *const cert_types[] = {"X.509v3", "X.509v3-URL",
                                         "X.509v3-Sign", "X.509v3-Encr"};
static const char *const hash_funcs[] = {"SHA-1", "MD5", "SHA-256"};
static const char *const dh_groups[] = {"OAKLEY-5", "OAKLEY-1", "OAKLEY-2"};
static const char *const s_types[] = {"RSA-PKCS1-v1_5", "RSA-PSS", "ECCSI"};
static const char *const ts_roles[] = {NULL, "TRi", "TRs", "TRe", "TRr"};
static const char *const id_roles[] = {NULL,     "IDRi",    "IDRr",
                                       "IDRkms", "IDRpsk",  "IDRapp",
                                       "IDRkmsi", "IDRkmsr"};
static const char *const rand_roles[] = {NULL, "RANDRi", "RANDRr",
                                         "RANDRkms"};
static const char *const ext_types[] = {"Vendor-ID", "SDP-IDs", "TESLA-I-Key",
                                        "Key-ID",    "CSB-ID",  "OMA-BCAST"};
static const char *const ticket_types[] = {NULL, "MIKEY-base", "3GPP-base"};
static const char *const key_types[] = {"TGK", "TGK+SALT", "TEK", "TEK+SALT",
                                        "GTGK", "GTGK+SALT", "MPK"};
static const char *const kv_types[] = {"NULL", "SPI", "INTERVAL"};
static const char *const srtp_params[] = {
    "encr_alg",          "encr_key_len",       "auth_alg",
    "auth_key_len",      "salt_len",           "prf",
    "kdr",               "srtp_encr",          "srtcp_encr",
    "fec_order",         "srtp_auth",          "auth_tag_len",
    "prefix_len",        "roc_rate",           "srtp_auth_alg",
    "srtcp_auth_alg",    "srtp_auth_key_len",  "srtcp_auth_key_len",
    "srtp_auth_tag_len", "srtcp_auth_tag_len", "aead_tag_len"};
/* see imsms.h */
const char *imsms_tool_srtp_param_name(unsigned type) {
  return type < sizeof(srtp_params) / sizeof(srtp_params[0]) ? srtp_params[type]
                                                           : NULL;
}

static const char *const srtp_encr_algs[] = {"NULL",     "AES-CM",   "AES-F8",
                                             "SEED-CTR", "SEED-CCM", "SEED-GCM",
                                             "AES-GCM"};
static const char *const srtp_auth_algs[] = {"NULL", "HMAC-SHA-1", "RCCm1",
                                             "RCCm2", "RCCm3"};
static const char *const srtp_prfs[] = {"AES-CM", "SEED-CTR"};
static const char *const fec_orders[] = {"FEC-SRTP"};
static const char *const off_on[] = {"off", "on"};

/* ---- time ------------------------------------------------------------ */

/* Unix seconds to "YYYY-MM-DDThh:mm:ss" (H. Hinnant's civil_from_days). */
static void format_time(char *buf, size_t cap, int64_t t) {
  int64_t days = (t >= 0 ? t : t - 86399) / 86400, secs = t - days * 86400;
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  int64_t y = yoe + era * 400 + (m <= 2);

  snprintf(buf, cap,
           "%04" PRId64 "-%02" PRId64 "-%02" PRId64 "T%02" PRId64 ":%02" PRId64
           ":%02" PRId64,
           y, m, d, secs / 3600, secs / 60 % 60, secs % 60);
}

/*
 * ts_type, ts_value and a reading of the value: ts_utc (NTP-UTC and
 * NTP-UTC-32), ts_local (NTP, local time), ts_counter (COUNTER), or,
 * for a TRr role, interval (seconds).
 */
static void print_ts(printer *p, uint8_t ts_type, uint64_t value, int rekey) {
  char when[96];
  uint64_t ntp = ts_type == IMSMS_MIKEY_TS_NTP_UTC_32 ? value << 32 : value;

  line_code(p, "ts_type", ts_type, NAME(ts_types, ts_type));
  if (ts_type == IMSMS_MIKEY_TS_COUNTER || ts_type == IMSMS_MIKEY_TS_NTP_UTC_32) {
    line(p, "ts_value", "%08" PRIx64, value);
  } else {
    line(p, "ts_value", "%016" PRIx64, value);
  }
  if (rekey) {
    line(p, "interval", "%" PRIu64,
         ts_type == IMSMS_MIKEY_TS_NTP_UTC_32 || ts_type == IMSMS_MIKEY_TS_COUNTER
             ? value
             : value >> 32);
    return;
  }
  if (ts_type == IMSMS_MIKEY_TS_COUNTER) {
    line(p, "ts_counter", "%" PRIu64, value);
    return;
  }
  format_time(when, sizeof(when), imsms_tstamp_to_unix(ntp));
  if (ts_type == IMSMS_MIKEY_TS_NTP) {
    line(p, "ts_local", "%s", when);
  } else {
    line(p, "ts_utc", "%sZ", when);
  }
}

/* ---- header ---------------------------------------------------------- */

static void print_policies(printer *p, const imsms_mikey_cs *cs) {
  uint8_t i;

  fprintf(p->f, "%spolicies ", p->prefix);
  for (i = 0; i < cs->npolicies; i++) {
    fprintf(p->f, i ? ",%u" : "%u", cs->policies[i]);
  }
  fputs(cs->npolicies ? "\n" : "-\n", p->f);
}

static void print_cs(printer *p, uint8_t map_type, const imsms_mikey_cs *cs) {
  int srtp_data = cs->prot_type == IMSMS_MIKEY_PROT_SRTP &&
                  cs->session_data_len == (cs->s_flag ? 10u : 4u);

  if (map_type == IMSMS_MIKEY_MAP_SRTP_ID) {
    line(p, "policy", "%u", cs->policies[0]);
    line(p, "ssrc", "%08" PRIx32, cs->ssrc);
    line(p, "roc", "%08" PRIx32, cs->roc);
    return;
  }
  line(p, "cs_id", "%u", cs->cs_id);
  line_code(p, "prot_type", cs->prot_type, NAME(prot_types, cs->prot_type));
  line(p, "s", "%u", cs->s_flag);
  print_policies(p, cs);
  line_hex(p, "session_data", cs->session_data, cs->session_data_len);
  if (srtp_data) {
    line(p, "ssrc", "%08" PRIx32, cs->ssrc);
    if (cs->s_flag) {
      line(p, "roc", "%08" PRIx32, cs->roc);
      line(p, "seq", "%u", cs->seq);
    }
  }
  line_hex(p, "spi", cs->spi, cs->spi_len);
}

static void print_hdr(printer *p, const imsms_mikey_hdr *h) {
  imsms_mikey_map_iter it;
  imsms_mikey_cs cs;
  unsigned k = 0;
  size_t old;
  int rv;

  old = push(p, "hdr.");
  line(p, "version", "%u", h->version);
  line_code(p, "data_type", h->data_type, NAME(data_types, h->data_type));
  line_code(p, "next_payload", h->next_payload,
            NAME(payload_types, h->next_payload));
  line(p, "v", "%u", h->v);
  line_code(p, "prf_func", h->prf_func, NAME(prf_funcs, h->prf_func));
  line(p, "csb_id", "%08" PRIx32, h->csb_id);
  line(p, "ncs", "%u", h->ncs);
  line_code(p, "map_type", h->map_type, NAME(map_types, h->map_type));
  imsms_mikey_map_iter_init(&it, h);
  while ((rv = imsms_mikey_map_next(&it, &cs)) == 0) {
    size_t o2 = push(p, "cs[%u].", ++k);

    print_cs(p, h->map_type, &cs);
    pop(p, o2);
  }
  if (rv != IMSMS_ERR_EOF) {
    record_error(p, rv);
  }
  pop(p, old);
}

/* ---- payloads -------------------------------------------------------- */

static void print_chain(printer *p, const char *name, uint8_t first,
                        const uint8_t *d, size_t n);

static void print_keydata(printer *p, const imsms_mikey_keydata *kd) {
  line_code(p, "type", kd->type, NAME(key_types, kd->type));
  line_code(p, "kv", kd->kv, NAME(kv_types, kd->kv));
  line_size(p, "key_len", kd->key_len);
  line_hex(p, "key", kd->key, kd->key_len);
  if (kd->type == IMSMS_MIKEY_KEY_TGK_SALT ||
      kd->type == IMSMS_MIKEY_KEY_TEK_SALT ||
      kd->type == IMSMS_MIKEY_KEY_GTGK_SALT) {
    line_size(p, "salt_len", kd->salt_len);
    line_hex(p, "salt", kd->salt, kd->salt_len);
  }
  if (kd->kv == IMSMS_MIKEY_KV_SPI) {
    line_hex(p, "spi", kd->spi, kd->spi_len);
  } else if (kd->kv == IMSMS_MIKEY_KV_INTERVAL) {
    line_hex(p, "valid_from", kd->valid_from, kd->valid_from_len);
    line_hex(p, "valid_to", kd->valid_to, kd->valid_to_len);
  }
}

/* Key data sub-payloads (RFC 3830 6.13) of plaintext KEMAC data. */
static void print_keydata_chain(printer *p, const uint8_t *d, size_t n) {
  imsms_mikey_keydata kd;
  uint8_t next = IMSMS_MIKEY_PT_KEY_DATA;
  size_t off = 0;
  unsigned k = 0;

  while (next == IMSMS_MIKEY_PT_KEY_DATA) {
    imsms_ssize used = imsms_mikey_keydata_decode(&kd, &next, d + off, n - off);
    size_t old = push(p, "key[%u].", ++k);

    if (used < 0) {
      record_error(p, (int)used);
      pop(p, old);
      return;
    }
    print_keydata(p, &kd);
    pop(p, old);
    off += (size_t)used;
    if (next != IMSMS_MIKEY_PT_KEY_DATA && next != IMSMS_MIKEY_PT_LAST) {
      record_error(p, IMSMS_ERR_MIKEY_PAYLOAD_TYPE);
      return;
    }
  }
  if (off != n) {
    record_error(p, IMSMS_ERR_MIKEY_TRAILING);
  }
}

/* NULL-encrypted KEMAC data: [IDi (PK_INIT only)], then key data. */
static void print_kemac_plain(printer *p, const uint8_t *d, size_t n) {
  imsms_mikey_payload id;
  imsms_mikey_iter it;
  size_t old;
  int rv;

  if (p->data_type != IMSMS_MIKEY_PK_INIT) {
    print_keydata_chain(p, d, n);
    return;
  }
  old = push(p, "idi.");
  imsms_mikey_chain_init(&it, IMSMS_MIKEY_PT_ID, d, n);
  rv = imsms_mikey_iter_next(&it, &id);
  if (rv != 0) {
    record_error(p, rv);
    pop(p, old);
    return;
  }
  line_code(p, "id_type", id.u.id.type, NAME(id_types, id.u.id.type));
  line_data(p, "data", id.u.id.data, id.u.id.len);
  pop(p, old);
  if (id.next != IMSMS_MIKEY_PT_KEY_DATA) {
    record_error(p, IMSMS_ERR_MIKEY_PAYLOAD_TYPE);
    return;
  }
  print_keydata_chain(p, d + id.rawlen, n - id.rawlen);
}

static void print_kemac(printer *p, const imsms_mikey_payload *pl) {
  const imsms_mikey_kemac *k = &pl->u.kemac;

  line_code(p, "encr_alg", k->encr_alg, NAME(encr_algs, k->encr_alg));
  line_size(p, "encr_len", k->encr_len);
  line_hex(p, "encr_data", k->encr_data, k->encr_len);
  line_code(p, "mac_alg", k->mac_alg, NAME(mac_algs, k->mac_alg));
  line_hex(p, "mac", k->mac, k->mac_len);
  if (k->encr_alg == IMSMS_MIKEY_ENCR_NULL && k->encr_len > 0) {
    print_kemac_plain(p, k->encr_data, k->encr_len);
  }
}

static void print_dh(printer *p, const imsms_mikey_payload *pl) {
  const imsms_mikey_dh *dh = &pl->u.dh;

  line_code(p, "group", dh->group, NAME(dh_groups, dh->group));
  line_hex(p, "value", dh->value, dh->value_len);
  line_code(p, "kv", dh->kv, NAME(kv_types, dh->kv));
  line_hex(p, "kv_data", dh->kv_data, dh->kv_len);
}

/* Whether values of SRTP parameter |type| have names. */
static int srtp_value_named(unsigned type) {
  switch (type) {
  case IMSMS_MIKEY_SRTP_ENCR_ALG:
  case IMSMS_MIKEY_SRTP_AUTH_ALG:
  case IMSMS_MIKEY_SRTP_SRTP_AUTH_ALG:
  case IMSMS_MIKEY_SRTP_SRTCP_AUTH_ALG:
  case IMSMS_MIKEY_SRTP_PRF:
  case IMSMS_MIKEY_SRTP_FEC_ORDER:
  case IMSMS_MIKEY_SRTP_SRTP_ENCR:
  case IMSMS_MIKEY_SRTP_SRTCP_ENCR:
  case IMSMS_MIKEY_SRTP_SRTP_AUTH:
    return 1;
  default:
    return 0;
  }
}

/* The name of value |v| of a named SRTP parameter, or NULL. */
static const char *srtp_value_name(unsigned type, unsigned v) {
  switch (type) {
  case IMSMS_MIKEY_SRTP_ENCR_ALG:
    return NAME(srtp_encr_algs, v);
  case IMSMS_MIKEY_SRTP_AUTH_ALG:
  case IMSMS_MIKEY_SRTP_SRTP_AUTH_ALG:
  case IMSMS_MIKEY_SRTP_SRTCP_AUTH_ALG:
    return NAME(srtp_auth_algs, v);
  case IMSMS_MIKEY_SRTP_PRF:
    return NAME(srtp_prfs, v);
  case IMSMS_MIKEY_SRTP_FEC_ORDER:
    return NAME(fec_orders, v);
  case IMSMS_MIKEY_SRTP_SRTP_ENCR:
  case IMSMS_MIKEY_SRTP_SRTCP_ENCR:
  case IMSMS_MIKEY_SRTP_SRTP_AUTH:
    return NAME(off_on, v);
  default:
    return NULL;
  }
}

/* The SRTP policy with defaults applied, as srtp.<param> lines. */
static void print_srtp_policy(printer *p, const imsms_mikey_sp *sp) {
  imsms_mikey_srtp_policy pol;
  unsigned v[21], i;
  size_t old = push(p, "srtp.");
  int rv = imsms_mikey_srtp_policy_parse(&pol, sp);

  if (rv != 0) {
    record_error(p, rv);
    pop(p, old);
    return;
  }
  v[0] = pol.encr_alg; v[1] = pol.encr_key_len; v[2] = pol.auth_alg;
  v[3] = pol.auth_key_len; v[4] = pol.salt_len; v[5] = pol.prf;
  v[6] = pol.kdr; v[7] = pol.srtp_encr; v[8] = pol.srtcp_encr;
  v[9] = pol.fec_order; v[10] = pol.srtp_auth; v[11] = pol.auth_tag_len;
  v[12] = pol.prefix_len; v[13] = pol.roc_rate; v[14] = pol.srtp_auth_alg;
  v[15] = pol.srtcp_auth_alg; v[16] = pol.srtp_auth_key_len;
  v[17] = pol.srtcp_auth_key_len; v[18] = pol.srtp_auth_tag_len;
  v[19] = pol.srtcp_auth_tag_len; v[20] = pol.aead_tag_len;
  for (i = 0; i < 21; i++) {
    if (srtp_value_named(i)) {
      line_code(p, srtp_params[i], v[i], srtp_value_name(i, v[i]));
    } else {
      line(p, srtp_params[i], "%u", v[i]);
    }
  }
  pop(p, old);
}

static void print_sp(printer *p, const imsms_mikey_payload *pl) {
  const imsms_mikey_sp *sp = &pl->u.sp;
  imsms_mikey_sp_param prm;
  size_t off = 0;
  unsigned k = 0;
  int rv;

  line(p, "policy_no", "%u", sp->policy_no);
  line_code(p, "prot_type", sp->prot_type, NAME(prot_types, sp->prot_type));
  line_size(p, "params_len", sp->len);
  while ((rv = imsms_mikey_sp_param_next(sp, &off, &prm)) == 0) {
    const char *pname = sp->prot_type == IMSMS_MIKEY_PROT_SRTP
                            ? NAME(srtp_params, prm.type)
                            : NULL;

    fprintf(p->f, "%sparam[%u] %u (%s) ", p->prefix, k++, prm.type,
            pname ? pname : "unknown");
    if (prm.len == 0) {
      fputc('-', p->f);
    }
    imsms_tool_hex_write(p->f, prm.value, prm.len);
    fputc('\n', p->f);
  }
  if (rv != IMSMS_ERR_EOF) {
    record_error(p, rv);
    return;
  }
  if (sp->prot_type == IMSMS_MIKEY_PROT_SRTP) {
    print_srtp_policy(p, sp);
  }
}

static void print_flags(printer *p, uint16_t flags) {
  static const char letters[] = "DEFGHIJKLMNO";
  char s[16];
  size_t i, n = 0;

  for (i = 0; i < 12; i++) {
    if (flags & (0x8000u >> i)) {
      s[n++] = letters[i];
    }
  }
  s[n] = 0;
  line(p, "flags", "%s", n ? s : "-");
  line(p, "flags_hex", "%04x", flags);
}

/* TP (16) and TICKET (17), with their nested chains. */
static void print_ticket(printer *p, const imsms_mikey_payload *pl) {
  const imsms_mikey_ticket *t = &pl->u.ticket;

  line_code(p, "ticket_type", t->ticket_type,
            NAME(ticket_types, t->ticket_type));
  line(p, "subtype", "%u", t->subtype);
  line(p, "version", "%u", t->version);
  line_code(p, "prf_func", t->prf_func, NAME(prf_funcs, t->prf_func));
  print_flags(p, t->flags);
  line_size(p, "tp_data_len", t->tp_data_len);
  if (t->tp_data_len > 0) {
    print_chain(p, "tp", t->tp_data[0], t->tp_data + 1, t->tp_data_len - 1);
  }
  if (pl->type != IMSMS_MIKEY_PT_TICKET) {
    return;
  }
  line_size(p, "ticket_data_len", t->ticket_data_len);
  if (t->ticket_type == IMSMS_MIKEY_TICKET_MIKEY_BASE) {
    print_chain(p, "ticket", IMSMS_MIKEY_PT_THDR, t->ticket_data,
                t->ticket_data_len);
  } else {
    line_hex(p, "ticket_data", t->ticket_data, t->ticket_data_len);
  }
  line_size(p, "init_data_len", t->init_data_len);
  if (t->init_data_len > 0) {
    print_chain(p, "init", t->init_data[0], t->init_data + 1,
                t->init_data_len - 1);
  }
}

static void print_pke(printer *p, const imsms_mikey_payload *pl) {
  line(p, "c", "%u", pl->u.pke.c);
  line_size(p, "data_len", pl->u.pke.len);
  line_hex(p, "data", pl->u.pke.data, pl->u.pke.len);
}

static void print_sign(printer *p, const imsms_mikey_payload *pl) {
  line_code(p, "s_type", pl->u.sign.s_type, NAME(s_types, pl->u.sign.s_type));
  line_size(p, "sig_len", pl->u.sign.len);
  line_hex(p, "sig", pl->u.sign.sig, pl->u.sign.len);
}

static void print_t(printer *p, const imsms_mikey_payload *pl) {
  print_ts(p, pl->u.t.ts_type, pl->u.t.value, 0);
}

static void print_id(printer *p, const imsms_mikey_payload *pl) {
  line_code(p, "id_type", pl->u.id.type, NAME(id_types, pl->u.id.type));
  line_data(p, "data", pl->u.id.data, pl->u.id.len);
}

static void print_cert(printer *p, const imsms_mikey_payload *pl) {
  line_code(p, "cert_type", pl->u.id.type, NAME(cert_types, pl->u.id.type));
  line_data(p, "data", pl->u.id.data, pl->u.id.len);
}

static void print_chash(printer *p, const imsms_mikey_payload *pl) {
  line_code(p, "hash_func", pl->u.chash.func,
            NAME(hash_funcs, pl->u.chash.func));
  line_hex(p, "hash", pl->u.chash.hash, pl->u.chash.len);
}

static void print_v(printer *p, const imsms_mikey_payload *pl) {
  line_code(p, "mac_alg", pl->u.v.alg, NAME(mac_algs, pl->u.v.alg));
  line_hex(p, "mac", pl->u.v.mac, pl->u.v.len);
}

static void print_rand(printer *p, const imsms_mikey_payload *pl) {
  line_size(p, "rand_len", pl->u.rand.len);
  line_hex(p, "rand", pl->u.rand.rand, pl->u.rand.len);
}

static void print_err(printer *p, const imsms_mikey_payload *pl) {
  line(p, "error_no", "%u (%s)", pl->u.err.error_no,
       imsms_mikey_err_str(pl->u.err.error_no));
}

static void print_ext(printer *p, const imsms_mikey_payload *pl) {
  line_code(p, "ext_type", pl->u.ext.type, NAME(ext_types, pl->u.ext.type));
  line_data(p, "data", pl->u.ext.data, pl->u.ext.len);
}

static void print_tr(printer *p, const imsms_mikey_payload *pl) {
  line_code(p, "role", pl->u.tr.role, NAME(ts_roles, pl->u.tr.role));
  print_ts(p, pl->u.tr.ts_type, pl->u.tr.value,
           pl->u.tr.role == IMSMS_MIKEY_TR_REKEY);
}

static void print_idr(printer *p, const imsms_mikey_payload *pl) {
  line_code(p, "role", pl->u.idr.role, NAME(id_roles, pl->u.idr.role));
  line_code(p, "id_type", pl->u.idr.id_type, NAME(id_types, pl->u.idr.id_type));
  line_data(p, "data", pl->u.idr.data, pl->u.idr.len);
}

static void print_randr(printer *p, const imsms_mikey_payload *pl) {
  line_code(p, "role", pl->u.randr.role, NAME(rand_roles, pl->u.randr.role));
  line_size(p, "rand_len", pl->u.randr.len);
  line_hex(p, "rand", pl->u.randr.rand, pl->u.randr.len);
}

static void print_thdr(printer *p, const imsms_mikey_payload *pl) {
  line_size(p, "thdr_len", pl->u.thdr.len);
  line_hex(p, "thdr_data", pl->u.thdr.data, pl->u.thdr.len);
}

typedef void (*body_printer)(printer *p, const imsms_mikey_payload *pl);

/* One printer per payload family, indexed by payload type. */
static const body_printer body_printers[] = {
    NULL,         print_kemac, print_pke,   print_dh,    print_sign,
    print_t,      print_id,    print_cert,  print_chash, print_v,
    print_sp,     print_rand,  print_err,   print_tr,    print_idr,
    print_randr,  print_ticket, print_ticket, NULL,      NULL,
    NULL,         print_ext};

/* The fields of one payload's body, by type. */
static void print_body(printer *p, const imsms_mikey_payload *pl) {
  size_t n = sizeof(body_printers) / sizeof(body_printers[0]);

  if (pl->type == IMSMS_MIKEY_PT_THDR) {
    print_thdr(p, pl);
  } else if (pl->type < n && body_printers[pl->type] != NULL) {
    body_printers[pl->type](p, pl);
  }
}

/* payload[k].type, .next, .raw_len, then the body. */
static void print_payload(printer *p, unsigned k, const imsms_mikey_payload *pl) {
  size_t old = push(p, "payload[%u].", k);

  if (pl->type == IMSMS_MIKEY_PT_THDR) {
    line(p, "type", "THDR");
  } else {
    line_code(p, "type", pl->type, NAME(payload_types, pl->type));
  }
  if (pl->type != IMSMS_MIKEY_PT_SIGN) {
    line_code(p, "next", pl->next, NAME(payload_types, pl->next));
  }
  line_size(p, "raw_len", pl->rawlen);
  print_body(p, pl);
  pop(p, old);
}

/*
 * A chain nested in a payload (TP Data, Ticket Data, Initiator Data):
 * "<name>.payload[k]." lines. The library checks none of it, so every
 * decode error and any byte after the last payload is reported here.
 */
static void print_chain(printer *p, const char *name, uint8_t first,
                        const uint8_t *d, size_t n) {
  imsms_mikey_payload pl;
  imsms_mikey_iter it;
  size_t old = push(p, "%s.", name), used = 0;
  unsigned k = 0;
  int rv;

  if (p->depth >= MAX_DEPTH) {
    line_hex(p, "raw", d, n);
    pop(p, old);
    return;
  }
  p->depth++;
  imsms_mikey_chain_init(&it, first, d, n);
  while ((rv = imsms_mikey_iter_next(&it, &pl)) == 0) {
    /* THDR has no wire code: a next-payload byte of 255 is not one. */
    if (pl.type == IMSMS_MIKEY_PT_THDR && (k > 0 || first != pl.type)) {
      rv = IMSMS_ERR_MIKEY_PAYLOAD_TYPE;
      break;
    }
    print_payload(p, ++k, &pl);
    used += pl.rawlen;
  }
  if (rv != IMSMS_ERR_EOF) {
    record_error(p, rv);
  } else if (used != n) {
    record_error(p, IMSMS_ERR_MIKEY_TRAILING);
  }
  p->depth--;
  pop(p, old);
}

static void printer_init(printer *p, FILE *f, uint8_t data_type) {
  p->f = f;
  p->prefix[0] = 0;
  p->err = 0;
  p->depth = 0;
  p->data_type = data_type;
}

/* see imsms.h */
int imsms_tool_print_msg(FILE *f, const imsms_mikey_msg *msg) {
  imsms_mikey_payload pl;
  imsms_mikey_iter it;
  printer p;
  unsigned k = 0;
  int rv;

  printer_init(&p, f, msg->hdr.data_type);
  line_size(&p, "msg.len", msg->len);
  line_size(&p, "msg.hdr_len", msg->hdr_len);
  line_size(&p, "msg.npayloads", msg->npayloads);
  print_hdr(&p, &msg->hdr);
  imsms_mikey_iter_init(&it, msg);
  while ((rv = imsms_mikey_iter_next(&it, &pl)) == 0) {
    print_payload(&p, ++k, &pl);
  }
  if (rv != IMSMS_ERR_EOF) {
    record_error(&p, rv); /* imsms_mikey_decode() checked the chain */
  }
  return p.err;
}

/*
 * Length of the header of a message that imsms_mikey_decode() rejects:
 * with the next-payload byte set to 0 the header alone decodes, and the
 * shortest prefix that does is the header. Returns 0 when none does.
 */
static size_t header_len(uint8_t *copy, size_t len, imsms_mikey_msg *msg) {
  size_t n;

  copy[2] = IMSMS_MIKEY_PT_LAST;
  for (n = 10; n <= len; n++) {
    int rv = imsms_mikey_decode(msg, copy, n);

    if (rv == 0) {
      return n;
    }
    if (rv != IMSMS_ERR_TRUNCATED && rv != IMSMS_ERR_MIKEY_TRAILING) {
      return 0; /* version, data type or map type: no header to show */
    }
  }
  return 0;
}

/* see imsms.h */
void imsms_tool_print_partial(FILE *f, const uint8_t *data, size_t len) {
  imsms_mikey_payload pl;
  imsms_mikey_msg msg;
  imsms_mikey_iter it;
  uint8_t *copy;
  size_t hlen;
  printer p;
  unsigned k = 0;

  if (len < 10 || len > IMSMS_MIKEY_MAX_MSG_LEN ||
      (copy = malloc(len)) == NULL) {
    return;
  }
  memcpy(copy, data, len);
  hlen = header_len(copy, len, &msg);
  if (hlen != 0) {
    msg.hdr.next_payload = data[2];
    printer_init(&p, f, msg.hdr.data_type);
    print_hdr(&p, &msg.hdr);
    /* The views point into |copy|, whose payload bytes equal |data|'s. */
    imsms_mikey_chain_init(&it, data[2], copy + hlen, len - hlen);
    while (imsms_mikey_iter_next(&it, &pl) == 0) {
      print_payload(&p, ++k, &pl);
    }
  }
  free(copy);
}
