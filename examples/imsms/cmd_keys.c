/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * imsms srtp-kdf, derive and gba: the session-key derivations from
 * explicit inputs, one "name hex" line per output value.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/keys.h>

#include "imsms.h"

/* Byte strings given as options, wiped and freed at the end. */
typedef struct hexarg {
  uint8_t *p;
  size_t len;
} hexarg;

static void hexarg_free(hexarg *h, size_t n) {
  size_t i;

  for (i = 0; i < n; i++) {
    if (h[i].p) {
      imsms_secure_clear(h[i].p, h[i].len);
      free(h[i].p);
    }
  }
}

static int get_hex(hexarg *h, const char *s) {
  if (h->p) {
    return -1; /* given twice */
  }
  return imsms_tool_hex_decode(s, &h->p, &h->len);
}

static int get_uint(const char *s, int base, unsigned long long max,
                    unsigned long long *v) {
  char *end;

  *v = 0;
  if (*s == '\0' || *s == '-') {
    return -1;
  }
  *v = strtoull(s, &end, base);
  return *end == '\0' && *v <= max ? 0 : -1;
}

static void line(const char *name, const uint8_t *p, size_t len) {
  printf("%s ", name);
  imsms_tool_hex_write(stdout, p, len);
  printf("\n");
}

static int fail(const char *cmd, int rv) {
  fprintf(stderr, "imsms %s: ", cmd);
  imsms_tool_print_error(stderr, "", rv);
  return IMSMS_EXIT_FAIL;
}

static int usage(const char *cmd) {
  fprintf(stderr, "imsms %s: bad or missing option; see imsms(1)\n", cmd);
  return IMSMS_EXIT_USAGE;
}

static int with_ctx(imsms_ctx **ctx) {
  return imsms_ctx_new(ctx, NULL, NULL, NULL, NULL);
}

/* ---- srtp-kdf -------------------------------------------------------- */

enum { K_KEY, K_SALT, K_N };

static void print_session_keys(const imsms_srtp_session_keys *k) {
  line("srtp-cipher-key", k->srtp_cipher_key, k->cipher_key_len);
  line("srtp-auth-key", k->srtp_auth_key, k->auth_key_len);
  line("srtp-salt", k->srtp_salt, k->salt_len);
  line("srtcp-cipher-key", k->srtcp_cipher_key, k->cipher_key_len);
  line("srtcp-auth-key", k->srtcp_auth_key, k->auth_key_len);
  line("srtcp-salt", k->srtcp_salt, k->salt_len);
}

static int kdf_opts(int argc, char **argv, hexarg *h, int *suite,
                    imsms_srtp_kdf_params *kp) {
  static const struct option lo[] = {
      {"suite", 1, NULL, 's'}, {"key", 1, NULL, 'k'},   {"salt", 1, NULL, 'S'},
      {"kdr", 1, NULL, 'r'},   {"index", 1, NULL, 'i'},
      {"srtcp-index", 1, NULL, 'c'}, {"srtcp-label-byte", 1, NULL, 'b'},
      {NULL, 0, NULL, 0}};
  unsigned long long v = 0;
  int c, rv = 0;

  optind = 1;
  while (rv == 0 && (c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
    switch (c) {
    case 's':
      *suite = imsms_srtp_suite_by_name(optarg, strlen(optarg));
      rv = *suite < 0 ? -1 : 0;
      break;
    case 'k':
      rv = get_hex(&h[K_KEY], optarg);
      break;
    case 'S':
      rv = get_hex(&h[K_SALT], optarg);
      break;
    case 'r':
      rv = get_uint(optarg, 10, 1u << 24, &v);
      kp->kdr = (uint32_t)v;
      break;
    case 'i':
      rv = get_uint(optarg, 16, ((unsigned long long)1 << 48) - 1, &v);
      kp->srtp_index = v;
      break;
    case 'c':
      rv = get_uint(optarg, 16, 0x7fffffff, &v);
      kp->srtcp_index = (uint32_t)v;
      break;
    case 'b':
      rv = get_uint(optarg, 10, 9, &v);
      kp->srtcp_label_byte = (int)v;
      rv = rv == 0 && (v == 7 || v == 9) ? 0 : -1;
      break;
    default:
      rv = -1;
    }
  }
  return rv == 0 && optind == argc && *suite > 0 && h[K_KEY].p && h[K_SALT].p
             ? 0
             : -1;
}

/* imsms srtp-kdf --suite NAME --key HEX --salt HEX [--kdr N --index HEX] */
int imsms_cmd_srtp_kdf(int argc, char **argv) {
  hexarg h[K_N] = {{NULL, 0}, {NULL, 0}};
  imsms_srtp_kdf_params kp;
  imsms_srtp_session_keys k;
  imsms_cs_master m;
  imsms_ctx *ctx = NULL;
  int suite = 0, rv;

  memset(&kp, 0, sizeof(kp));
  if (kdf_opts(argc, argv, h, &suite, &kp) != 0 ||
      h[K_KEY].len > sizeof(m.key) || h[K_SALT].len > sizeof(m.salt)) {
    hexarg_free(h, K_N);
    return usage("srtp-kdf");
  }
  memset(&m, 0, sizeof(m));
  memcpy(m.key, h[K_KEY].p, h[K_KEY].len);
  m.key_len = h[K_KEY].len;
  memcpy(m.salt, h[K_SALT].p, h[K_SALT].len);
  m.salt_len = h[K_SALT].len;
  hexarg_free(h, K_N);
  rv = with_ctx(&ctx);
  if (rv == 0) {
    rv = imsms_srtp_kdf(ctx, suite, &m, &kp, &k);
  }
  if (rv == 0) {
    print_session_keys(&k);
  }
  imsms_secure_clear(&m, sizeof(m));
  imsms_secure_clear(&k, sizeof(k));
  imsms_ctx_del(ctx);
  return rv == 0 ? IMSMS_EXIT_OK : fail("srtp-kdf", rv);
}

/* ---- derive ------------------------------------------------------------ */

enum { D_TGK, D_CSB, D_RAND, D_RI, D_RR, D_N };

typedef struct derive_opts {
  hexarg h[D_N];
  int prf, ticket, have_cs;
  unsigned long long cs, tek_len, salt_len;
} derive_opts;

static int derive_one(derive_opts *o, int c) {
  switch (c) {
  case 'p':
    o->prf = strcmp(optarg, "mikey-1") == 0       ? 0
             : strcmp(optarg, "hmac-sha256") == 0 ? 1
                                                  : -1;
    return o->prf < 0 ? -1 : 0;
  case 'g':
    return get_hex(&o->h[D_TGK], optarg);
  case 'c':
    o->have_cs = 1;
    return get_uint(optarg, 10, 255, &o->cs);
  case 'b':
    return get_hex(&o->h[D_CSB], optarg);
  case 'r':
    return get_hex(&o->h[D_RAND], optarg);
  case 't':
    o->ticket = 1;
    return 0;
  case 'i':
    return get_hex(&o->h[D_RI], optarg);
  case 'R':
    return get_hex(&o->h[D_RR], optarg);
  case 'k':
    return get_uint(optarg, 10, IMSMS_MAX_MASTER_KEY_LEN, &o->tek_len);
  case 's':
    return get_uint(optarg, 10, IMSMS_SRTP_SALT_LEN, &o->salt_len);
  default:
    return -1;
  }
}

static int derive_opts_parse(derive_opts *o, int argc, char **argv) {
  static const struct option lo[] = {
      {"prf", 1, NULL, 'p'},    {"tgk", 1, NULL, 'g'},
      {"cs", 1, NULL, 'c'},     {"csb", 1, NULL, 'b'},
      {"rand", 1, NULL, 'r'},   {"ticket-label", 0, NULL, 't'},
      {"randri", 1, NULL, 'i'}, {"randrr", 1, NULL, 'R'},
      {"tek-len", 1, NULL, 'k'}, {"salt-len", 1, NULL, 's'},
      {NULL, 0, NULL, 0}};
  int c;

  memset(o, 0, sizeof(*o));
  o->tek_len = 16;
  o->salt_len = 14;
  optind = 1;
  while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
    if (derive_one(o, c) != 0) {
      return -1;
    }
  }
  if (optind != argc || !o->h[D_TGK].p || !o->have_cs || o->tek_len == 0 ||
      o->salt_len == 0) {
    return -1;
  }
  /* RFC 3830 labels need CSB ID and RAND; RFC 6043 ones RANDRi or RANDRr. */
  return o->ticket ? (o->h[D_RI].p || o->h[D_RR].p ? 0 : -1)
                   : (o->h[D_CSB].p && o->h[D_CSB].len == 4 && o->h[D_RAND].p
                          ? 0
                          : -1);
}

static void tek_params(const derive_opts *o, imsms_tek_params *tp) {
  memset(tp, 0, sizeof(*tp));
  tp->prf_func = o->prf;
  if (o->ticket) {
    tp->rfc = IMSMS_TEK_RFC6043;
    tp->randri = o->h[D_RI].p;
    tp->randri_len = o->h[D_RI].len;
    tp->randrr = o->h[D_RR].p;
    tp->randrr_len = o->h[D_RR].len;
    return;
  }
  tp->rfc = IMSMS_TEK_RFC3830;
  tp->csb_id = (uint32_t)o->h[D_CSB].p[0] << 24 |
               (uint32_t)o->h[D_CSB].p[1] << 16 |
               (uint32_t)o->h[D_CSB].p[2] << 8 | o->h[D_CSB].p[3];
  tp->rand = o->h[D_RAND].p;
  tp->rand_len = o->h[D_RAND].len;
}

/* imsms derive: TEK and salt of one crypto session from a TGK. */
int imsms_cmd_derive(int argc, char **argv) {
  uint8_t tek[IMSMS_MAX_MASTER_KEY_LEN], salt[IMSMS_SRTP_SALT_LEN];
  imsms_tek_params tp;
  imsms_ctx *ctx = NULL;
  derive_opts o;
  int rv;

  if (derive_opts_parse(&o, argc, argv) != 0) {
    hexarg_free(o.h, D_N);
    return usage("derive");
  }
  tek_params(&o, &tp);
  rv = with_ctx(&ctx);
  if (rv == 0) {
    rv = imsms_tgk_derive(ctx, &tp, o.h[D_TGK].p, o.h[D_TGK].len,
                          (uint8_t)o.cs, 0x2AD01C64u, tek, o.tek_len);
  }
  if (rv == 0) {
    rv = imsms_tgk_derive(ctx, &tp, o.h[D_TGK].p, o.h[D_TGK].len,
                          (uint8_t)o.cs, 0x39A2C14Bu, salt, o.salt_len);
  }
  if (rv == 0) {
    line("tek", tek, o.tek_len);
    line("salt", salt, o.salt_len);
  }
  imsms_secure_clear(tek, sizeof(tek));
  imsms_secure_clear(salt, sizeof(salt));
  hexarg_free(o.h, D_N);
  imsms_ctx_del(ctx);
  return rv == 0 ? IMSMS_EXIT_OK : fail("derive", rv);
}

/* ---- gba ---------------------------------------------------------------- */

/* imsms gba --ks HEX --rand HEX --impi S --naf-fqdn S */
int imsms_cmd_gba(int argc, char **argv) {
  static const struct option lo[] = {
      {"ks", 1, NULL, 'k'},   {"rand", 1, NULL, 'r'},
      {"impi", 1, NULL, 'i'}, {"naf-fqdn", 1, NULL, 'n'},
      {NULL, 0, NULL, 0}};
  uint8_t me[IMSMS_GBA_KEY_LEN], u[IMSMS_GBA_KEY_LEN];
  hexarg h[2] = {{NULL, 0}, {NULL, 0}};
  const char *impi = NULL, *fqdn = NULL;
  imsms_ctx *ctx = NULL;
  int c, rv = 0;

  optind = 1;
  while (rv == 0 && (c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
    rv = c == 'k'   ? get_hex(&h[0], optarg)
         : c == 'r' ? get_hex(&h[1], optarg)
         : c == 'i' ? (impi = optarg, 0)
         : c == 'n' ? (fqdn = optarg, 0)
                    : -1;
  }
  if (rv != 0 || optind != argc || !h[0].p || !h[1].p || !impi || !fqdn) {
    hexarg_free(h, 2);
    return usage("gba");
  }
  rv = with_ctx(&ctx);
  if (rv == 0) {
    rv = imsms_gba_ks_naf(ctx, h[0].p, h[0].len, h[1].p, h[1].len, impi, fqdn,
                          0, me);
  }
  if (rv == 0) {
    rv = imsms_gba_ks_naf(ctx, h[0].p, h[0].len, h[1].p, h[1].len, impi, fqdn,
                          1, u);
  }
  if (rv == 0) {
    line("ks-naf", me, sizeof(me));
    line("ks-int-naf", u, sizeof(u));
  }
  imsms_secure_clear(me, sizeof(me));
  imsms_secure_clear(u, sizeof(u));
  hexarg_free(h, 2);
  imsms_ctx_del(ctx);
  return rv == 0 ? IMSMS_EXIT_OK : fail("gba", rv);
}

/* ---- sdes --------------------------------------------------------------- */

static void print_sdes(const imsms_sdes_crypto *c) {
  const imsms_srtp_suite_info *si = imsms_srtp_suite_get(c->suite);
  size_t i;

  printf("tag %u\nsuite %s\n", c->tag, si ? si->name : "?");
  for (i = 0; i < c->nkeys; i++) {
    const imsms_sdes_key *k = &c->keys[i];
    char name[32];

    snprintf(name, sizeof(name), "key[%zu].key", i + 1);
    line(name, k->key, k->key_len);
    snprintf(name, sizeof(name), "key[%zu].salt", i + 1);
    line(name, k->salt, k->salt_len);
    if (k->lifetime) {
      printf("key[%zu].lifetime %s%llu\n", i + 1,
             k->lifetime_is_pow2 ? "2^" : "",
             (unsigned long long)k->lifetime);
    }
    if (k->mki_len) {
      printf("key[%zu].mki %llu\nkey[%zu].mki_len %zu\n", i + 1,
             (unsigned long long)k->mki, i + 1, k->mki_len);
    }
  }
  if (c->has_kdr) {
    printf("kdr %u\n", c->kdr_log2);
  }
  if (c->flags & IMSMS_SDES_UNENCRYPTED_SRTP) {
    printf("unencrypted_srtp 1\n");
  }
  if (c->flags & IMSMS_SDES_UNENCRYPTED_SRTCP) {
    printf("unencrypted_srtcp 1\n");
  }
  if (c->flags & IMSMS_SDES_UNAUTHENTICATED_SRTP) {
    printf("unauthenticated_srtp 1\n");
  }
  if (c->fec_order) {
    printf("fec_order %s\n", c->fec_order == 1 ? "FEC_SRTP" : "SRTP_FEC");
  }
  if (c->wsh) {
    printf("wsh %u\n", c->wsh);
  }
  if (c->fec_key) {
    printf("fec_key %.*s\n", (int)c->fec_key_len, c->fec_key);
  }
}

static int sdes_parse(const char *arg) {
  const char *text = arg, *prefix = "a=crypto:";
  imsms_sdes_crypto c;
  size_t len;
  int rv;

  if (strncmp(text, prefix, strlen(prefix)) == 0) {
    text += strlen(prefix);
  }
  len = strlen(text);
  /* Tolerate the line ending a copied SDP line brings. */
  while (len && (text[len - 1] == '\n' || text[len - 1] == '\r')) {
    len--;
  }
  rv = imsms_sdes_parse(&c, text, len);
  if (rv != 0) {
    printf("error %s %s\n", imsms_tool_err_name(rv), imsms_strerror(rv));
    return IMSMS_EXIT_FAIL;
  }
  print_sdes(&c);
  imsms_secure_clear(&c, sizeof(c));
  return IMSMS_EXIT_OK;
}

static int sdes_generate(int argc, char **argv) {
  static const struct option lo[] = {{"suite", 1, NULL, 's'},
                                     {"tag", 1, NULL, 't'},
                                     {NULL, 0, NULL, 0}};
  unsigned long long tag = 1;
  imsms_sdes_crypto c;
  imsms_ctx *ctx = NULL;
  char out[1024];
  imsms_ssize n = 0;
  int ch, suite = 0, rv = 0;

  optind = 1;
  while (rv == 0 && (ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
    if (ch == 's') {
      suite = imsms_srtp_suite_by_name(optarg, strlen(optarg));
      rv = suite < 0 ? -1 : 0;
    } else {
      rv = ch == 't' ? get_uint(optarg, 10, 999999999, &tag) : -1;
    }
  }
  if (rv != 0 || optind != argc || suite <= 0 || tag == 0) {
    return usage("sdes generate");
  }
  rv = with_ctx(&ctx);
  if (rv == 0) {
    rv = imsms_sdes_generate(ctx, &c, (uint32_t)tag, suite);
  }
  if (rv == 0) {
    n = imsms_sdes_format(out, sizeof(out), &c);
    rv = n < 0 ? (int)n : 0;
  }
  imsms_secure_clear(&c, sizeof(c));
  imsms_ctx_del(ctx);
  if (rv != 0) {
    return fail("sdes generate", rv);
  }
  printf("a=crypto:%.*s\n", (int)n, out);
  imsms_secure_clear(out, sizeof(out));
  return IMSMS_EXIT_OK;
}

/* imsms sdes parse LINE | imsms sdes generate --suite NAME [--tag N] */
int imsms_cmd_sdes(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "parse") == 0 && argc == 3) {
    return sdes_parse(argv[2]);
  }
  if (argc >= 2 && strcmp(argv[1], "generate") == 0) {
    return sdes_generate(argc - 1, argv + 1);
  }
  return usage("sdes");
}
