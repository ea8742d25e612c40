/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * imsms psk-init, psk-resp and the --psk check of imsms decode: RFC 3830
 * pre-shared key mode from explicit inputs, so that users can reproduce
 * messages byte for byte and check a peer's.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "imsms.h"

#define MAX_SP_PARAMS 32
#define MAX_MSG 4096

/* Everything psk-init and psk-resp take from the command line. */
typedef struct psk_opts {
  uint8_t *psk, *rand, *tgk, *spi;
  size_t psk_len, rand_len, tgk_len, spi_len;
  uint32_t csb, ssrc, roc;
  uint64_t t;
  int have_csb, have_t, v, base64;
  const char *idi, *idr, *init_path;
  uint8_t encr, mac;
  imsms_mikey_sp_param params[MAX_SP_PARAMS];
  uint8_t values[MAX_SP_PARAMS][2];
  size_t nparams;
  int have_sp, have_mac;
} psk_opts;

static int usage(const char *cmd) {
  fprintf(stderr, "imsms %s: bad or missing option; see imsms(1)\n", cmd);
  return IMSMS_EXIT_USAGE;
}

static int parse_hex_num(const char *s, size_t digits, uint64_t *v) {
  char *end;

  if (strlen(s) != digits) {
    return -1;
  }
  *v = strtoull(s, &end, 16);
  return *end == '\0' ? 0 : -1;
}

static int parse_alg(const char *s, uint8_t *alg, int encr) {
  static const char *const encr_names[] = {"null", "aes-cm-128", "aes-kw-128",
                                           "aes-cm-256"};
  static const char *const mac_names[] = {"null", "hmac-sha1", "hmac-sha256"};
  const char *const *names = encr ? encr_names : mac_names;
  uint8_t i, n = encr ? 4 : 3;

  for (i = 0; i < n; i++) {
    if (strcmp(s, names[i]) == 0) {
      *alg = i;
      return 0;
    }
  }
  return -1;
}

/* A parameter number, or its name as imsms decode prints it. */
static unsigned long param_type(const char *tok, const char *eq, int *rv) {
  unsigned long type;
  char *end;

  type = strtoul(tok, &end, 10);
  if (end == eq && end != tok && type <= 255) {
    *rv = 0;
    return type;
  }
  for (type = 0; imsms_tool_srtp_param_name((unsigned)type); type++) {
    const char *name = imsms_tool_srtp_param_name((unsigned)type);

    if (strlen(name) == (size_t)(eq - tok) &&
        strncmp(tok, name, (size_t)(eq - tok)) == 0) {
      *rv = 0;
      return type;
    }
  }
  *rv = -1;
  return 0;
}

/* "TYPE=VALUE,..." in decimal; type 13 (ROC rate) takes two bytes. */
static int parse_sp(psk_opts *o, const char *s) {
  char *copy = strdup(s), *tok, *save = NULL;
  int rv = 0;

  for (tok = strtok_r(copy, ",", &save); tok && rv == 0;
       tok = strtok_r(NULL, ",", &save)) {
    unsigned long type, value;
    char *eq = strchr(tok, '='), *end;
    imsms_mikey_sp_param *p = &o->params[o->nparams];

    if (eq == NULL || o->nparams == MAX_SP_PARAMS) {
      rv = -1;
      break;
    }
    type = param_type(tok, eq, &rv);
    value = strtoul(eq + 1, &end, 10);
    if (*end != '\0' || value > (type == 13 ? 65535u : 255u)) {
      rv = -1;
    }
    p->type = (uint8_t)type;
    p->value = o->values[o->nparams];
    p->len = type == 13 ? 2 : 1;
    o->values[o->nparams][0] = (uint8_t)(type == 13 ? value >> 8 : value);
    o->values[o->nparams][1] = (uint8_t)value;
    o->nparams++;
  }
  free(copy);
  o->have_sp = 1;
  return rv;
}

static int hex_opt(const char *s, uint8_t **p, size_t *len) {
  return imsms_tool_hex_decode(s, p, len);
}

static int parse_one(psk_opts *o, int c, const char *arg) {
  uint64_t v;

  switch (c) {
  case 'p':
    return hex_opt(arg, &o->psk, &o->psk_len);
  case 'r':
    return hex_opt(arg, &o->rand, &o->rand_len);
  case 'k':
    return hex_opt(arg, &o->tgk, &o->tgk_len);
  case 'S':
    return hex_opt(arg, &o->spi, &o->spi_len);
  case 'c':
    o->have_csb = 1;
    return parse_hex_num(arg, 8, &v) ? -1 : (o->csb = (uint32_t)v, 0);
  case 't':
    o->have_t = 1;
    return parse_hex_num(arg, 16, &o->t);
  case 's':
    return parse_hex_num(arg, 8, &v) ? -1 : (o->ssrc = (uint32_t)v, 0);
  case 'o':
    return parse_hex_num(arg, 8, &v) ? -1 : (o->roc = (uint32_t)v, 0);
  case 'v':
    o->v = strcmp(arg, "1") == 0 ? 1 : strcmp(arg, "0") == 0 ? 0 : -1;
    return o->v < 0 ? -1 : 0;
  case 'i':
    o->idi = arg;
    return 0;
  case 'R':
    o->idr = arg;
    return 0;
  case 'e':
    return parse_alg(arg, &o->encr, 1);
  case 'm':
    o->have_mac = 1;
    return parse_alg(arg, &o->mac, 0);
  case 'P':
    return parse_sp(o, arg);
  case 'I':
    o->init_path = arg;
    return 0;
  case 'b':
    o->base64 = 1;
    return 0;
  default:
    return -1;
  }
}

static int parse_opts(psk_opts *o, int argc, char **argv) {
  static const struct option longopts[] = {
      {"psk", 1, NULL, 'p'},  {"csb", 1, NULL, 'c'},  {"t", 1, NULL, 't'},
      {"rand", 1, NULL, 'r'}, {"tgk", 1, NULL, 'k'},  {"ssrc", 1, NULL, 's'},
      {"roc", 1, NULL, 'o'},  {"v", 1, NULL, 'v'},    {"idi", 1, NULL, 'i'},
      {"idr", 1, NULL, 'R'},  {"spi", 1, NULL, 'S'},  {"sp", 1, NULL, 'P'},
      {"encr", 1, NULL, 'e'}, {"mac", 1, NULL, 'm'},  {"init", 1, NULL, 'I'},
      {"base64", 0, NULL, 'b'}, {NULL, 0, NULL, 0}};
  int c;

  memset(o, 0, sizeof(*o));
  o->v = 1;
  o->encr = IMSMS_MIKEY_ENCR_AES_CM_128;
  o->mac = IMSMS_MIKEY_MAC_HMAC_SHA1_160;
  optind = 1;
  while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
    if (parse_one(o, c, optarg) != 0) {
      return -1;
    }
  }
  return optind == argc ? 0 : -1;
}

static void free_opts(psk_opts *o) {
  uint8_t **bufs[] = {&o->psk, &o->rand, &o->tgk, &o->spi};
  size_t lens[] = {o->psk_len, o->rand_len, o->tgk_len, o->spi_len}, i;

  for (i = 0; i < 4; i++) {
    if (*bufs[i]) {
      imsms_secure_clear(*bufs[i], lens[i]);
      free(*bufs[i]);
    }
  }
}

/* A string with a scheme (sip:, tel:, ...) is a URI, anything else an NAI. */
static uint8_t id_type(const char *id) {
  return strchr(id, ':') ? IMSMS_MIKEY_ID_URI : IMSMS_MIKEY_ID_NAI;
}

static int emit(const uint8_t *msg, size_t len, int base64) {
  char b64[MAX_MSG * 2];

  if (base64) {
    imsms_ssize n = imsms_base64_encode(b64, sizeof(b64), msg, len);

    if (n < 0) {
      return IMSMS_EXIT_FAIL;
    }
    printf("%.*s\n", (int)n, b64);
  } else {
    imsms_tool_hex_write(stdout, msg, len);
    printf("\n");
  }
  return IMSMS_EXIT_OK;
}

static int fail(const char *cmd, int rv) {
  fprintf(stderr, "imsms %s: ", cmd);
  imsms_tool_print_error(stderr, "", rv);
  return IMSMS_EXIT_FAIL;
}

static void fill_init(imsms_mikey_psk_init *p, const psk_opts *o,
                      imsms_mikey_cs *cs, imsms_mikey_sp *sp,
                      imsms_mikey_keydata *kd, uint8_t *spbuf, size_t splen) {
  static const uint8_t policy0 = 0;

  memset(cs, 0, sizeof(*cs));
  cs->policies = &policy0;
  cs->npolicies = 1;
  cs->ssrc = o->ssrc;
  cs->roc = o->roc;
  sp->policy_no = 0;
  sp->prot_type = IMSMS_MIKEY_PROT_SRTP;
  sp->params = spbuf;
  sp->len = splen;
  memset(kd, 0, sizeof(*kd));
  kd->type = IMSMS_MIKEY_KEY_TGK;
  kd->kv = o->spi ? IMSMS_MIKEY_KV_SPI : IMSMS_MIKEY_KV_NULL;
  kd->key = o->tgk;
  kd->key_len = o->tgk_len;
  kd->spi = o->spi;
  kd->spi_len = o->spi_len;
  memset(p, 0, sizeof(*p));
  p->csb_id = o->csb;
  p->v = (uint8_t)o->v;
  p->encr_alg = o->encr;
  p->mac_alg = o->mac;
  p->t = o->t;
  p->rand = o->rand;
  p->rand_len = o->rand_len;
  p->idi = (const uint8_t *)o->idi;
  p->idi_len = o->idi ? strlen(o->idi) : 0;
  p->idi_type = o->idi ? id_type(o->idi) : 0;
  p->idr = (const uint8_t *)o->idr;
  p->idr_len = o->idr ? strlen(o->idr) : 0;
  p->idr_type = o->idr ? id_type(o->idr) : 0;
  p->map_type = IMSMS_MIKEY_MAP_SRTP_ID;
  p->cs = cs;
  p->ncs = 1;
  p->sp = sp;
  /* Always one SP: with no parameters every RFC 3830 default applies. */
  p->nsp = 1;
  p->keys = kd;
  p->nkeys = 1;
}

/* see imsms.h */
int imsms_cmd_psk_init(int argc, char **argv) {
  uint8_t msg[MAX_MSG], spbuf[MAX_SP_PARAMS * 4];
  imsms_mikey_psk_init p;
  imsms_mikey_keydata kd;
  imsms_mikey_sp sp;
  imsms_mikey_cs cs;
  imsms_ctx *ctx = NULL;
  imsms_ssize n = 0, splen;
  psk_opts o;
  int rv;

  if (parse_opts(&o, argc, argv) != 0 || !o.psk || !o.rand || !o.tgk ||
      !o.have_csb || !o.have_t || o.init_path) {
    free_opts(&o);
    return usage("psk-init");
  }
  splen = imsms_mikey_sp_params_encode(spbuf, sizeof(spbuf), o.params,
                                       o.nparams);
  rv = splen < 0 ? (int)splen : imsms_ctx_new(&ctx, NULL, NULL, NULL, NULL);
  if (rv == 0) {
    fill_init(&p, &o, &cs, &sp, &kd, spbuf, (size_t)splen);
    n = imsms_mikey_psk_init_encode(ctx, o.psk, o.psk_len, &p, msg,
                                    sizeof(msg));
    rv = n < 0 ? (int)n : 0;
  }
  imsms_ctx_del(ctx);
  free_opts(&o);
  return rv != 0 ? fail("psk-init", rv) : emit(msg, (size_t)n, o.base64);
}

/* The I_MESSAGE's own T: the offline tools check MACs, not freshness. */
static imsms_tstamp message_time(const uint8_t *msg, size_t len) {
  imsms_mikey_payload pl;
  imsms_mikey_iter it;
  imsms_mikey_msg m;

  if (imsms_mikey_decode(&m, msg, len) != 0) {
    return 0;
  }
  imsms_mikey_iter_init(&it, &m);
  while (imsms_mikey_iter_next(&it, &pl) == 0) {
    if (pl.type == IMSMS_MIKEY_PT_T) {
      return pl.u.t.value;
    }
  }
  return 0;
}

static int verify_init(imsms_ctx *ctx, const uint8_t *psk, size_t psklen,
                       const uint8_t *msg, size_t len, uint8_t *keys,
                       size_t keycap, imsms_mikey_psk_verified *v) {
  imsms_mikey_verify_opts vo;

  memset(&vo, 0, sizeof(vo));
  vo.allow_null = 1;
  return imsms_mikey_psk_init_verify(ctx, psk, psklen, msg, len,
                                     message_time(msg, len), &vo, keys, keycap,
                                     v);
}

/* see imsms.h */
int imsms_cmd_psk_resp(int argc, char **argv) {
  uint8_t resp[MAX_MSG], keys[2048];
  imsms_mikey_psk_verified v;
  imsms_tool_input in;
  imsms_ctx *ctx = NULL;
  imsms_ssize n = 0;
  psk_opts o;
  int rv;

  if (parse_opts(&o, argc, argv) != 0 || !o.psk || !o.init_path ||
      o.have_csb || o.have_t || o.idi || o.rand || o.tgk) {
    free_opts(&o);
    return usage("psk-resp");
  }
  if (imsms_tool_input_load(o.init_path, &in) != 0) {
    free_opts(&o);
    return IMSMS_EXIT_FAIL;
  }
  rv = in.msgs[0].err ? in.msgs[0].err
                      : imsms_ctx_new(&ctx, NULL, NULL, NULL, NULL);
  if (rv == 0) {
    rv = verify_init(ctx, o.psk, o.psk_len, in.msgs[0].data, in.msgs[0].len,
                     keys, sizeof(keys), &v);
  }
  if (rv == 0) {
    n = imsms_mikey_psk_resp_encode(
        ctx, o.psk, o.psk_len, &v, o.idr ? id_type(o.idr) : 0,
        (const uint8_t *)o.idr, o.idr ? strlen(o.idr) : 0,
        o.have_mac ? o.mac : v.mac_alg, resp, sizeof(resp));
    rv = n < 0 ? (int)n : 0;
  }
  imsms_secure_clear(keys, sizeof(keys));
  imsms_ctx_del(ctx);
  imsms_tool_input_free(&in);
  free_opts(&o);
  return rv != 0 ? fail("psk-resp", rv) : emit(resp, (size_t)n, o.base64);
}

static void print_keys(const uint8_t *keys, size_t len) {
  imsms_mikey_keydata kd;
  uint8_t next = IMSMS_MIKEY_PT_KEY_DATA;
  size_t off = 0, i = 1;

  while (next == IMSMS_MIKEY_PT_KEY_DATA && off < len) {
    imsms_ssize n = imsms_mikey_keydata_decode(&kd, &next, keys + off,
                                               len - off);

    if (n < 0) {
      return;
    }
    printf("kemac.key[%zu].type %u\nkemac.key[%zu].kv %u\n", i, kd.type, i,
           kd.kv);
    printf("kemac.key[%zu].key ", i);
    imsms_tool_hex_write(stdout, kd.key, kd.key_len);
    printf("\n");
    if (kd.salt) {
      printf("kemac.key[%zu].salt ", i);
      imsms_tool_hex_write(stdout, kd.salt, kd.salt_len);
      printf("\n");
    }
    if (kd.spi) {
      printf("kemac.key[%zu].spi ", i);
      imsms_tool_hex_write(stdout, kd.spi, kd.spi_len);
      printf("\n");
    }
    off += (size_t)n;
    i++;
  }
}

/* see imsms.h */
int imsms_cmd_psk_check(const uint8_t *psk, size_t psklen, const uint8_t *msg,
                        size_t msglen) {
  uint8_t keys[2048];
  imsms_mikey_psk_verified v;
  imsms_ctx *ctx = NULL;
  int rv;

  if (msglen < 2 || msg[1] != IMSMS_MIKEY_PSK_INIT) {
    /* A verification message's MAC also covers the I_MESSAGE. */
    return IMSMS_ERR_MIKEY_UNEXPECTED;
  }
  rv = imsms_ctx_new(&ctx, NULL, NULL, NULL, NULL);
  if (rv == 0) {
    rv = verify_init(ctx, psk, psklen, msg, msglen, keys, sizeof(keys), &v);
  }
  if (rv == 0) {
    print_keys(keys, v.keys_len);
  }
  imsms_secure_clear(keys, sizeof(keys));
  imsms_ctx_del(ctx);
  return rv;
}
