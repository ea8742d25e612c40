/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * imsms sdp offer|answer|inspect: the security-capability negotiation of
 * <imsmediasec/sdp_nego.h> from files. Each prints one line per media
 * line, "line N TYPE: ..." with the modes offered or chosen and the
 * reason; offer and answer write the SDP they build to --out.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/sdp_nego.h>

#include "imsms.h"

#define MAXM IMSMS_SDP_MAX_MEDIA
#define OUTCAP (IMSMS_SDP_MAX_LEN + 1)

typedef struct sdp_opts {
  imsms_sdp_policy pol;
  int suites[16];
  const char *mikey;       /* file with a MIKEY message */
  const char *out;         /* where the built SDP goes */
  const char *fingerprint; /* MSRP e2ae */
  int suite;               /* SDES suite of the offer */
} sdp_opts;

static int usage(void) {
  fputs("imsms sdp: bad or missing option; see imsms(1)\n", stderr);
  return IMSMS_EXIT_USAGE;
}

static int fail(const char *what, int rv) {
  fprintf(stderr, "imsms sdp %s: ", what);
  imsms_tool_print_error(stderr, "", rv);
  return IMSMS_EXIT_FAIL;
}

static int set_policy(unsigned *slot, const char *s) {
  int set = imsms_sdp_policy_parse(s, strlen(s));

  *slot = set < 0 ? 0 : (unsigned)set;
  return set < 0 ? -1 : 0;
}

static int set_suites(sdp_opts *o, const char *s) {
  const char *p = s;

  while (*p && o->pol.nsuites < 16) {
    size_t n = strcspn(p, ",");
    int suite = imsms_srtp_suite_by_name(p, n);

    if (suite <= 0) {
      return -1;
    }
    o->suites[o->pol.nsuites++] = suite;
    p += n + (p[n] == ',');
  }
  o->pol.suites = o->suites;
  return *p ? -1 : 0;
}

static int parse_opts(sdp_opts *o, int argc, char **argv) {
  static const struct option lo[] = {
      {"policy", 1, NULL, 'p'}, {"audio", 1, NULL, 'a'},
      {"video", 1, NULL, 'v'},  {"message", 1, NULL, 'm'},
      {"suites", 1, NULL, 's'}, {"mikey", 1, NULL, 'k'},
      {"out", 1, NULL, 'o'},    {"sdes", 1, NULL, 'd'},
      {"fingerprint", 1, NULL, 'f'}, {"session-key-mgmt", 0, NULL, 'S'},
      {NULL, 0, NULL, 0}};
  int c, rv = 0;

  memset(o, 0, sizeof(*o));
  o->pol.version = IMSMS_SDP_POLICY_V1;
  o->pol.audio = o->pol.video = o->pol.message = o->pol.other =
      IMSMS_SDP_POLICY_PREFER_E2E;
  optind = 1;
  while (rv == 0 && (c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
    switch (c) {
    case 'p':
      rv = set_policy(&o->pol.audio, optarg);
      o->pol.video = o->pol.message = o->pol.other = o->pol.audio;
      break;
    case 'a':
      rv = set_policy(&o->pol.audio, optarg);
      break;
    case 'v':
      rv = set_policy(&o->pol.video, optarg);
      break;
    case 'm':
      rv = set_policy(&o->pol.message, optarg);
      break;
    case 's':
      rv = set_suites(o, optarg);
      break;
    case 'k':
      o->mikey = optarg;
      break;
    case 'o':
      o->out = optarg;
      break;
    case 'd':
      o->suite = imsms_srtp_suite_by_name(optarg, strlen(optarg));
      rv = o->suite <= 0 ? -1 : 0;
      break;
    case 'f':
      o->fingerprint = optarg;
      break;
    case 'S':
      o->pol.flags |= IMSMS_SDP_F_SESSION_KEY_MGMT;
      break;
    default:
      rv = -1;
    }
  }
  return rv;
}

static const char *kind_name(int kind) {
  return kind == IMSMS_SDP_KIND_RTP    ? "rtp"
         : kind == IMSMS_SDP_KIND_MSRP ? "msrp"
                                       : "other";
}

static void print_modes(unsigned set) {
  int m, first = 1;

  for (m = IMSMS_SDP_MODE_E2E_KMS; m >= 0; m--) {
    if (set & IMSMS_SDP_MODE_BIT(m)) {
      printf("%s%s", first ? "" : ",", imsms_sdp_mode_str(m));
      first = 0;
    }
  }
  if (first) {
    printf("-");
  }
}

/* "line N KIND: MODE (REASON) offered A,B[ pcfg N][ ids X]" */
static void print_results(const imsms_sdp_result *r, size_t n, int offer) {
  size_t i;

  for (i = 0; i < n; i++) {
    printf("line %zu %s: ", r[i].level, kind_name(r[i].kind));
    if (!offer) {
      printf("%s (%s) ",
             r[i].mode < 0 ? "refused" : imsms_sdp_mode_str(r[i].mode),
             imsms_sdp_reason_str(r[i].reason));
    } else if (r[i].reason != IMSMS_SDP_REASON_BEST) {
      printf("(%s) ", imsms_sdp_reason_str(r[i].reason));
    }
    printf("offered ");
    print_modes(r[i].offered);
    if (r[i].pcfg) {
      printf(" pcfg %u", r[i].pcfg);
    }
    if (r[i].ids[0]) {
      printf(" ids %s", r[i].ids);
    }
    if (r[i].crypto.len) {
      printf(" crypto-tag %u", r[i].crypto_tag);
    }
    printf("\n");
  }
}

static int load(const char *path, char **sdp, size_t *len) {
  uint8_t *buf;

  if (imsms_tool_read_file(path, &buf, len) != 0) {
    return -1;
  }
  *sdp = (char *)buf;
  return 0;
}

static int write_out(const char *path, const char *s, size_t len) {
  FILE *f = path && strcmp(path, "-") != 0 ? fopen(path, "wb") : stdout;
  int ok;

  if (f == NULL) {
    perror(path);
    return -1;
  }
  ok = fwrite(s, 1, len, f) == len;
  if (f != stdout) {
    ok &= fclose(f) == 0;
  }
  return ok ? 0 : -1;
}

/* The MIKEY message of --mikey (any format imsms decode reads). */
static int load_mikey(const sdp_opts *o, imsms_tool_input *in) {
  memset(in, 0, sizeof(*in));
  if (o->mikey == NULL) {
    return 0;
  }
  if (imsms_tool_input_load(o->mikey, in) != 0) {
    return -1;
  }
  return in->msgs[0].data ? 0 : -1;
}

/* One SDES key per line (the offer's), or the chosen tag and suite. */
static int make_keys(imsms_ctx *ctx, const imsms_sdp_result *r, size_t n,
                     int suite, const char *fp, imsms_sdes_crypto *c,
                     imsms_sdp_media_keys *k) {
  size_t i;
  int rv = 0;

  for (i = 0; i < n && rv == 0; i++) {
    memset(&k[i], 0, sizeof(k[i]));
    k[i].level = i + 1;
    k[i].fingerprint = fp;
    k[i].fingerprint_len = fp ? strlen(fp) : 0;
    if (r == NULL && suite > 0) {
      rv = imsms_sdes_generate(ctx, &c[i], 1, suite);
    } else if (r != NULL && r[i].crypto_tag != 0) {
      rv = imsms_sdes_generate(ctx, &c[i], r[i].crypto_tag, r[i].suite);
    } else {
      continue;
    }
    k[i].crypto = &c[i];
    k[i].ncrypto = 1;
  }
  return rv;
}

typedef struct sdp_run {
  sdp_opts o;
  imsms_ctx *ctx;
  imsms_tool_input mikey;
  char *a, *b, *out;
  size_t alen, blen;
  imsms_sdp_result res[MAXM];
  imsms_sdes_crypto keys[MAXM];
  imsms_sdp_media_keys mk[MAXM];
} sdp_run;

static void run_free(sdp_run *r) {
  imsms_tool_input_free(&r->mikey);
  free(r->a);
  free(r->b);
  if (r->out) {
    imsms_secure_clear(r->out, OUTCAP);
    free(r->out);
  }
  imsms_secure_clear(r->keys, sizeof(r->keys));
  imsms_ctx_del(r->ctx);
}

/* imsms sdp offer [POLICY] [--mikey F] [--sdes SUITE] [--fingerprint FP]
 *                 [--out F] BASE */
static int sdp_offer(sdp_run *r) {
  imsms_ssize n;
  size_t nres;
  const uint8_t *m = r->mikey.nmsgs ? r->mikey.msgs[0].data : NULL;
  size_t mlen = r->mikey.nmsgs ? r->mikey.msgs[0].len : 0;
  imsms_ssize nm = imsms_sdp_check(r->a, r->alen);
  int rv;

  if (nm < 0 || nm > MAXM) {
    return fail("offer", nm < 0 ? (int)nm : IMSMS_ERR_TOO_LARGE);
  }
  rv = make_keys(r->ctx, NULL, (size_t)nm, r->o.suite, r->o.fingerprint,
                 r->keys, r->mk);
  if (rv != 0) {
    return fail("offer", rv);
  }
  n = imsms_sdp_offer(r->out, OUTCAP, r->a, r->alen, &r->o.pol, m, mlen, r->mk,
                      (size_t)nm, r->res, MAXM, &nres);
  if (n < 0) {
    return fail("offer", (int)n);
  }
  print_results(r->res, nres, 1);
  return write_out(r->o.out, r->out, (size_t)n) == 0 ? IMSMS_EXIT_OK
                                                     : IMSMS_EXIT_FAIL;
}

/* imsms sdp answer [POLICY] [--mikey F] [--fingerprint FP] [--out F]
 *                  OFFER BASE */
static int sdp_answer(sdp_run *r) {
  imsms_ssize n;
  size_t nres;
  const uint8_t *m = r->mikey.nmsgs ? r->mikey.msgs[0].data : NULL;
  size_t mlen = r->mikey.nmsgs ? r->mikey.msgs[0].len : 0;
  int rv;

  n = imsms_sdp_answer_select(r->a, r->alen, &r->o.pol, r->res, MAXM, &nres);
  if (n < 0) {
    return fail("answer", (int)n);
  }
  print_results(r->res, nres, 0);
  rv = make_keys(r->ctx, r->res, nres, 0, r->o.fingerprint, r->keys, r->mk);
  if (rv != 0) {
    return fail("answer", rv);
  }
  n = imsms_sdp_answer(r->out, OUTCAP, r->b, r->blen, r->res, nres, m, mlen,
                       r->mk, nres);
  if (n < 0) {
    return fail("answer", (int)n);
  }
  return write_out(r->o.out, r->out, (size_t)n) == 0 ? IMSMS_EXIT_OK
                                                     : IMSMS_EXIT_FAIL;
}

/* imsms sdp inspect [POLICY] OFFER [ANSWER] */
static int sdp_inspect(sdp_run *r) {
  imsms_ssize n;
  size_t nres;

  if (r->b == NULL) {
    n = imsms_sdp_answer_select(r->a, r->alen, &r->o.pol, r->res, MAXM, &nres);
  } else {
    n = imsms_sdp_answer_read(r->a, r->alen, r->b, r->blen, &r->o.pol, r->res,
                              MAXM, &nres);
  }
  if (n < 0) {
    return fail("inspect", (int)n);
  }
  print_results(r->res, nres, 0);
  return IMSMS_EXIT_OK;
}

/* imsms sdp offer|answer|inspect ... */
int imsms_cmd_sdp(int argc, char **argv) {
  sdp_run *r;
  const char *sub = argc >= 2 ? argv[1] : "";
  int files, rv;

  files = strcmp(sub, "offer") == 0    ? 1
          : strcmp(sub, "answer") == 0 ? 2
          : strcmp(sub, "inspect") == 0 ? 3
                                        : 0;
  if (files == 0) {
    return usage();
  }
  r = calloc(1, sizeof(*r));
  if (r == NULL) {
    return IMSMS_EXIT_FAIL;
  }
  if (parse_opts(&r->o, argc - 1, argv + 1) != 0 ||
      (files == 1 && optind + 1 != argc - 1) ||
      (files == 2 && optind + 2 != argc - 1) ||
      (files == 3 && optind + 1 != argc - 1 && optind + 2 != argc - 1)) {
    run_free(r);
    free(r);
    return usage();
  }
  rv = IMSMS_EXIT_FAIL;
  if (imsms_ctx_new(&r->ctx, NULL, NULL, NULL, NULL) == 0 &&
      load_mikey(&r->o, &r->mikey) == 0 &&
      load(argv[optind + 1], &r->a, &r->alen) == 0 &&
      (optind + 2 >= argc ||
       load(argv[optind + 2], &r->b, &r->blen) == 0) &&
      (r->out = malloc(OUTCAP)) != NULL) {
    rv = files == 1 ? sdp_offer(r) : files == 2 ? sdp_answer(r)
                                                : sdp_inspect(r);
  }
  run_free(r);
  free(r);
  return rv;
}
