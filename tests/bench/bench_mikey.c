/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * MIKEY benchmark (`make bench`, never part of `make check`). Prints one
 * row per measurement: ns per operation (median of N runs of M
 * iterations), heap allocations per operation, and, where a baseline is
 * measured in the same run, the ratio ours/baseline (below 1 is faster):
 *
 *  - imsms_mikey_decode, and decode + walking every payload, on
 *    (a) the PSK I_MESSAGE sample, (b) the TRANSFER_INIT sample and
 *    (c) a MIKEY-NULL PSK I_MESSAGE of the kind GStreamer's gstmikey
 *    parses (HDR with SRTP-ID map, T, RAND, SP, KEMAC with NULL
 *    encryption and NULL MAC holding one TGK; no ID, no V);
 *  - with HAVE_GSTSDP: gst_mikey_message_new_from_data + unref on (c),
 *    the baseline of the (c) rows (target: ours/gst <= 0.1);
 *  - imsms_mikey_prf (16-byte TGK to 16-byte key, both PRFs) and
 *    imsms_mikey_psk_init_encode / _verify, against a "crypto floor": the
 *    same HMAC computations on the same sizes done directly with
 *    OpenSSL EVP_MAC, algorithm fetched once, context reused.
 *
 * Allocations are counted by interposing malloc, calloc, realloc,
 * posix_memalign, aligned_alloc and memalign in this executable (glibc:
 * they forward to __libc_malloc and friends). Unlike -Wl,--wrap, which
 * only rewrites references inside the objects being linked statically,
 * interposition also sees what shared libraries allocate (libcrypto,
 * GLib); unlike mallinfo2() deltas it counts calls, so a malloc/free
 * pair inside the loop is not lost. The counter proves itself at start
 * by counting a deliberate malloc and a deliberate CRYPTO_malloc() made
 * inside libcrypto.so. Without glibc, or under AddressSanitizer, the
 * allocation column shows n/a.
 *
 * Usage: bench_mikey [-q] [-r RUNS] [-t MS]
 *   -r RUNS  timed runs per row, median reported (default 15, max 101)
 *   -t MS    minimum duration of one run in ms (default 20)
 *   -q       quick: -r 5 -t 5
 *
 * Exit status 0, or 1 when a benchmarked call fails or gstmikey does not
 * parse (c) as built; never because of a time (ratios are printed, and
 * the targets line only says met or MISSED).
 */
#ifdef HAVE_CONFIG_H
#include <config.h> /* HAVE_GSTSDP */
#endif

#include "bench.h" /* before system headers: feature macros */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <imsmediasec/mikey.h>
#include <imsmediasec/keys.h>
#include <imsmediasec/srtp2.h>

#include "../failmalloc.h"
#include "../mikey_samples.h"

#ifdef HAVE_GSTSDP
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#pragma GCC diagnostic ignored "-Wredundant-decls"
#pragma GCC diagnostic ignored "-Wcast-align"
#pragma GCC diagnostic ignored "-Wundef"
#include <gst/gst.h>
#include <gst/sdp/gstmikey.h>
#pragma GCC diagnostic pop
#endif

#include "bench_alloc.h"

#define ALLOC_ITERS 2000

/* Allocations per operation over ALLOC_ITERS operations (after warm-up). */
static double allocs_per_op(bench_fn fn, void *arg) {
  unsigned long c0;

  fn(arg, 16);
  c0 = allocs_now();
  fn(arg, ALLOC_ITERS);
  return (double)(allocs_now() - c0) / ALLOC_ITERS;
}

/* ------------------------------------------------------------------ */
/* Output                                                              */

static bench_cfg cfg = {15, 20000000u};
static int failures;

/* |rv|: a library error code, or 0 for a failure outside the library. */
static void fail(const char *what, int rv) {
  if (rv != 0) {
    fprintf(stderr, "bench_mikey: %s failed: %d (%s)\n", what, rv,
            imsms_strerror(rv));
  } else {
    fprintf(stderr, "bench_mikey: %s failed\n", what);
  }
  exit(1);
}

static void header_row(void) {
  printf("%-44s %10s %10s %8s  %s\n", "name", "ns/op", "allocs/op", "ratio",
         "notes");
}

/* |ratio| <= 0 prints "-". |allocs| < 0 prints n/a. */
static void row(const char *name, double ns, double allocs, double ratio,
                const char *notes) {
  char a[32], r[32];

  if (allocs < 0 || !allocs_ok) {
    snprintf(a, sizeof(a), "n/a");
  } else {
    snprintf(a, sizeof(a), "%.2f", allocs);
  }
  if (ratio > 0) {
    snprintf(r, sizeof(r), "%.3f", ratio);
  } else {
    snprintf(r, sizeof(r), "-");
  }
  printf("%-44s %10.1f %10s %8s  %s\n", name, ns, a, r, notes ? notes : "");
  fflush(stdout);
}

static void cpu_model(char *out, size_t cap) {
  char line[512];
  FILE *f = fopen("/proc/cpuinfo", "r");

  snprintf(out, cap, "unknown");
  if (f == NULL) {
    return;
  }
  while (fgets(line, sizeof(line), f)) {
    if (strncmp(line, "model name", 10) == 0) {
      char *v = strchr(line, ':'), *nl = strchr(line, '\n');

      if (nl) {
        *nl = '\0';
      }
      v = v ? v + 1 : line;
      while (*v == ' ' || *v == '\t') {
        v++;
      }
      snprintf(out, cap, "%.200s", v);
      break;
    }
  }
  fclose(f);
}

/* ------------------------------------------------------------------ */
/* Messages                                                            */

static volatile size_t sink;

typedef struct msg_arg {
  const uint8_t *buf;
  size_t len;
} msg_arg;

static void op_decode(void *arg, size_t iters) {
  const msg_arg *m = arg;
  imsms_mikey_msg msg;
  size_t i, acc = 0;

  for (i = 0; i < iters; i++) {
    if (imsms_mikey_decode(&msg, m->buf, m->len) != 0) {
      abort();
    }
    acc += msg.npayloads;
  }
  sink += acc;
}

static void op_decode_iter(void *arg, size_t iters) {
  const msg_arg *m = arg;
  imsms_mikey_payload pl;
  imsms_mikey_iter it;
  imsms_mikey_msg msg;
  size_t i, acc = 0;
  int rv;

  for (i = 0; i < iters; i++) {
    if (imsms_mikey_decode(&msg, m->buf, m->len) != 0) {
      abort();
    }
    imsms_mikey_iter_init(&it, &msg);
    while ((rv = imsms_mikey_iter_next(&it, &pl)) == 0) {
      acc += pl.type + pl.rawlen;
    }
    if (rv != IMSMS_ERR_EOF) {
      abort();
    }
  }
  sink += acc;
}

/* Payload count by walking, or a negative error. */
static int count_payloads(const msg_arg *m) {
  imsms_mikey_payload pl;
  imsms_mikey_iter it;
  imsms_mikey_msg msg;
  int rv, n = 0;

  rv = imsms_mikey_decode(&msg, m->buf, m->len);
  if (rv != 0) {
    return rv;
  }
  imsms_mikey_iter_init(&it, &msg);
  while ((rv = imsms_mikey_iter_next(&it, &pl)) == 0) {
    n++;
  }
  return rv == IMSMS_ERR_EOF ? n : rv;
}

/* SRTP policy as gst_mikey_message_new_from_caps() writes it. */
static const uint8_t gst_sp_params[] = {
    IMSMS_MIKEY_SRTP_ENCR_ALG,   1, 1,  /* AES-CM */
    IMSMS_MIKEY_SRTP_ENCR_KEY_LEN, 1, 16,
    IMSMS_MIKEY_SRTP_AUTH_ALG,   1, 1,  /* HMAC-SHA-1 */
    IMSMS_MIKEY_SRTP_AUTH_KEY_LEN, 1, 20,
    IMSMS_MIKEY_SRTP_SRTP_ENCR,  1, 1,
    IMSMS_MIKEY_SRTP_SRTCP_ENCR, 1, 1,
    IMSMS_MIKEY_SRTP_SRTP_AUTH,  1, 1};

/*
 * (c): the MIKEY-NULL message GStreamer sends and parses: PSK_INIT, no V
 * flag, SRTP-ID map with one CS, T (NTP-UTC), RAND (16), SP, KEMAC with
 * encr NULL and MAC NULL holding one TGK key data of 30 bytes (SRTP
 * master key || salt, as gstmikey puts it), KV NULL.
 */
static size_t build_null_msg(uint8_t *out, size_t cap) {
  static const uint8_t pol0[] = {0};
  static uint8_t map[9], kd[64], rnd[16], tgk[30];
  imsms_mikey_payload pl[4];
  imsms_mikey_keydata key;
  imsms_mikey_hdr hdr;
  imsms_mikey_cs cs;
  imsms_ssize n, kdlen;
  size_t i;

  for (i = 0; i < sizeof(rnd); i++) {
    rnd[i] = (uint8_t)(0x40 + i);
  }
  for (i = 0; i < sizeof(tgk); i++) {
    tgk[i] = (uint8_t)(0xa0 + i);
  }
  memset(&cs, 0, sizeof(cs));
  cs.policies = pol0;
  cs.npolicies = 1;
  cs.ssrc = 0x12345678u;
  if (imsms_mikey_map_encode(map, sizeof(map), IMSMS_MIKEY_MAP_SRTP_ID, &cs,
                             1) != (imsms_ssize)sizeof(map)) {
    fail("map encode", 0);
  }
  memset(&key, 0, sizeof(key));
  key.type = IMSMS_MIKEY_KEY_TGK;
  key.kv = IMSMS_MIKEY_KV_NULL;
  key.key = tgk;
  key.key_len = sizeof(tgk);
  kdlen = imsms_mikey_keydata_encode(kd, sizeof(kd), &key, 1);
  if (kdlen <= 0) {
    fail("keydata encode", (int)kdlen);
  }
  memset(&hdr, 0, sizeof(hdr));
  hdr.version = 1;
  hdr.data_type = IMSMS_MIKEY_PSK_INIT;
  hdr.v = 0;
  hdr.prf_func = IMSMS_MIKEY_PRF_MIKEY_1;
  hdr.csb_id = 0x5eed0c00u;
  hdr.ncs = 1;
  hdr.map_type = IMSMS_MIKEY_MAP_SRTP_ID;
  hdr.map_info = map;
  hdr.map_info_len = sizeof(map);
  memset(pl, 0, sizeof(pl));
  pl[0].type = IMSMS_MIKEY_PT_T;
  pl[0].u.t.ts_type = IMSMS_MIKEY_TS_NTP_UTC;
  pl[0].u.t.value = 0xeb8a2c8012345678ULL;
  pl[1].type = IMSMS_MIKEY_PT_RAND;
  pl[1].u.rand.rand = rnd;
  pl[1].u.rand.len = sizeof(rnd);
  pl[2].type = IMSMS_MIKEY_PT_SP;
  pl[2].u.sp.policy_no = 0;
  pl[2].u.sp.prot_type = IMSMS_MIKEY_PROT_SRTP;
  pl[2].u.sp.params = gst_sp_params;
  pl[2].u.sp.len = sizeof(gst_sp_params);
  pl[3].type = IMSMS_MIKEY_PT_KEMAC;
  pl[3].u.kemac.encr_alg = IMSMS_MIKEY_ENCR_NULL;
  pl[3].u.kemac.encr_data = kd;
  pl[3].u.kemac.encr_len = (size_t)kdlen;
  pl[3].u.kemac.mac_alg = IMSMS_MIKEY_MAC_NULL;
  n = imsms_mikey_encode(out, cap, &hdr, pl, 4);
  if (n <= 0) {
    fail("MIKEY-NULL message encode", (int)n);
  }
  return (size_t)n;
}

/* ------------------------------------------------------------------ */
/* GStreamer baseline                                                  */

#ifdef HAVE_GSTSDP
static void op_gst(void *arg, size_t iters) {
  const msg_arg *m = arg;
  size_t i;

  for (i = 0; i < iters; i++) {
    GstMIKEYMessage *gm =
        gst_mikey_message_new_from_data(m->buf, m->len, NULL, NULL);

    if (gm == NULL) {
      abort();
    }
    gst_mikey_message_unref(gm);
  }
}

/* gstmikey loops forever on some payloads: never let it hang the run. */
static void on_alarm(int sig) {
  static const char msg[] =
      "bench_mikey: gst_mikey_message_new_from_data did not return "
      "(gstmikey parser loop?)\n";

  (void)sig;
  if (write(2, msg, sizeof(msg) - 1) < 0) {
    /* nothing more to do */
  }
  _exit(2);
}

static void arm_alarm(unsigned sec) {
  struct sigaction sa;

  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_alarm;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGALRM, &sa, NULL);
  alarm(sec);
}

/*
 * Parses (c) once under a timeout and checks gstmikey saw what we built:
 * 4 payloads, a KEMAC with NULL algorithms and one 30-byte TGK.
 */
static int gst_parses(const msg_arg *m, char *why, size_t whycap) {
  const GstMIKEYPayloadKEMAC *km = NULL;
  const GstMIKEYPayloadKeyData *kd;
  const GstMIKEYPayload *p;
  GstMIKEYMessage *gm;
  GError *err = NULL;
  guint i, n;

  arm_alarm(5);
  gm = gst_mikey_message_new_from_data(m->buf, m->len, NULL, &err);
  alarm(0);
  if (gm == NULL) {
    snprintf(why, whycap, "gstmikey returned NULL: %s",
             err ? err->message : "(no error)");
    g_clear_error(&err);
    return 0;
  }
  n = gst_mikey_message_get_n_payloads(gm);
  for (i = 0; i < n; i++) {
    p = gst_mikey_message_get_payload(gm, i);
    if (p && p->type == GST_MIKEY_PT_KEMAC) {
      km = (const GstMIKEYPayloadKEMAC *)(const void *)p;
    }
  }
  if (n != 4 || km == NULL || km->enc_alg != GST_MIKEY_ENC_NULL ||
      km->mac_alg != GST_MIKEY_MAC_NULL ||
      gst_mikey_payload_kemac_get_n_sub(&km->pt) != 1) {
    snprintf(why, whycap, "gstmikey parsed %u payloads, not the 4 expected",
             n);
    gst_mikey_message_unref(gm);
    return 0;
  }
  kd = (const GstMIKEYPayloadKeyData *)(const void *)
      gst_mikey_payload_kemac_get_sub(&km->pt, 0);
  if (kd == NULL || kd->key_type != GST_MIKEY_KD_TGK || kd->key_len != 30) {
    snprintf(why, whycap, "gstmikey did not find the 30-byte TGK");
    gst_mikey_message_unref(gm);
    return 0;
  }
  gst_mikey_message_unref(gm);
  return 1;
}
#endif

/* ------------------------------------------------------------------ */
/* PRF and PSK against the crypto floor                                */

static const uint8_t tgk16[16] = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5,
                                  0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab,
                                  0xac, 0xad, 0xae, 0xaf};
static const uint8_t psk20[20] = "0123456789abcdefghij";
static const uint8_t rand16[16] = {0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
                                   0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b,
                                   0x1c, 0x1d, 0x1e, 0x1f};
static const uint8_t spi4[4] = {0, 0, 0, 1};
/* RFC 3830 4.1.3 TEK label: constant || CS ID || CSB ID || RAND (25 B). */
static uint8_t tek_label[25];
#define PRF_OUT 16
#define MIKEY_LABEL_LEN 25 /* 4 + 1 + 4 + 16-byte RAND, TEK and PSK labels */

typedef struct prf_arg {
  imsms_ctx *ctx;
  int func;
} prf_arg;

static void op_prf(void *arg, size_t iters) {
  const prf_arg *a = arg;
  uint8_t out[PRF_OUT];
  size_t i, acc = 0;
  int rv;

  for (i = 0; i < iters; i++) {
    rv = imsms_mikey_prf(a->ctx, a->func, tgk16, sizeof(tgk16), tek_label,
                         sizeof(tek_label), out, sizeof(out));
    if (rv != 0) {
      fail("imsms_mikey_prf", rv);
    }
    acc += out[0];
  }
  sink += acc;
}

/* One EVP_MAC_CTX per hash, made once from a pre-fetched HMAC. */
typedef struct floor_ctx {
  EVP_MAC_CTX *sha1;
  EVP_MAC_CTX *sha256;
  EVP_CIPHER_CTX *cctx;
  EVP_CIPHER *aes128ctr;
} floor_ctx;

static EVP_MAC_CTX *floor_mac_ctx(EVP_MAC *mac, const char *digest) {
  OSSL_PARAM params[2];
  EVP_MAC_CTX *c = EVP_MAC_CTX_new(mac);

  params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                               (char *)(uintptr_t)digest, 0);
  params[1] = OSSL_PARAM_construct_end();
  if (c == NULL || !EVP_MAC_CTX_set_params(c, params)) {
    fail("EVP_MAC_CTX setup", 0);
  }
  return c;
}

static void hm_init(EVP_MAC_CTX *c, const uint8_t *key, size_t keylen) {
  if (!EVP_MAC_init(c, key, keylen, NULL)) {
    abort();
  }
}

static void hm_update(EVP_MAC_CTX *c, const uint8_t *in, size_t len) {
  if (!EVP_MAC_update(c, in, len)) {
    abort();
  }
}

static void hm_final(EVP_MAC_CTX *c, uint8_t *out, size_t dlen) {
  size_t outl = 0;

  if (!EVP_MAC_final(c, out, &outl, dlen) || outl != dlen) {
    abort();
  }
}

/*
 * The P-function blocks a PRF call needs for |outlen| bytes with a key
 * the context already holds: per block, A_i = HMAC(A_(i-1)) (A_0 = the
 * label), then HMAC(A_i || label). The first HMAC uses the context as
 * the caller left it (just keyed, or re-initialised).
 */
static void floor_p(EVP_MAC_CTX *c, size_t dlen, const uint8_t *label,
                    size_t labellen, size_t outlen, uint8_t *out) {
  uint8_t a[32], blk[32];
  size_t off, take;

  for (off = 0; off < outlen; off += take) {
    if (off == 0) {
      hm_update(c, label, labellen);
    } else {
      hm_init(c, NULL, 0);
      hm_update(c, a, dlen);
    }
    hm_final(c, a, dlen);
    hm_init(c, NULL, 0);
    hm_update(c, a, dlen);
    hm_update(c, label, labellen);
    hm_final(c, blk, dlen);
    take = outlen - off < dlen ? outlen - off : dlen;
    memcpy(out + off, blk, take);
  }
}

/* What a fresh HMAC context costs: what the one-shot calls pay per use. */
static void op_mac_ctx_new(void *arg, size_t iters) {
  EVP_MAC *mac = arg;
  size_t i;

  for (i = 0; i < iters; i++) {
    EVP_MAC_CTX_free(floor_mac_ctx(mac, "SHA1"));
  }
}

typedef struct floor_prf_arg {
  floor_ctx *f;
  int func;
} floor_prf_arg;

/* imsms_mikey_prf's work: key once (the TGK), then one P-function run. */
static void op_floor_prf(void *arg, size_t iters) {
  const floor_prf_arg *a = arg;
  EVP_MAC_CTX *c = a->func == 0 ? a->f->sha1 : a->f->sha256;
  size_t dlen = a->func == 0 ? 20 : 32, i, acc = 0;
  uint8_t out[PRF_OUT];

  for (i = 0; i < iters; i++) {
    hm_init(c, tgk16, sizeof(tgk16));
    floor_p(c, dlen, tek_label, sizeof(tek_label), sizeof(out), out);
    acc += out[0];
  }
  sink += acc;
}

/* ---- PSK I_MESSAGE (AES-CM-128, HMAC-SHA-1-160, PRF MIKEY-1) */

static const imsms_tstamp psk_now = (imsms_tstamp)0xeb8a2c80u << 32;

typedef struct psk_arg {
  imsms_ctx *ctx;
  imsms_mikey_psk_init p;
  imsms_mikey_keydata key;
  imsms_mikey_cs cs;
  imsms_mikey_sp sp;
  uint8_t msg[512];
  size_t len;
} psk_arg;

static const uint8_t pol0_one[] = {0};

static void psk_setup(psk_arg *a, imsms_ctx *ctx) {
  imsms_ssize n;

  memset(a, 0, sizeof(*a));
  a->ctx = ctx;
  a->key.type = IMSMS_MIKEY_KEY_TGK;
  a->key.kv = IMSMS_MIKEY_KV_SPI;
  a->key.key = tgk16;
  a->key.key_len = sizeof(tgk16);
  a->key.spi = spi4;
  a->key.spi_len = sizeof(spi4);
  a->cs.policies = pol0_one;
  a->cs.npolicies = 1;
  a->cs.ssrc = 0xcafe0001u;
  a->sp.policy_no = 0;
  a->sp.prot_type = IMSMS_MIKEY_PROT_SRTP;
  a->sp.params = gst_sp_params;
  a->sp.len = sizeof(gst_sp_params);
  a->p.csb_id = 0x5eed0001u;
  a->p.v = 1;
  a->p.prf_func = IMSMS_MIKEY_PRF_MIKEY_1;
  a->p.encr_alg = IMSMS_MIKEY_ENCR_AES_CM_128;
  a->p.mac_alg = IMSMS_MIKEY_MAC_HMAC_SHA1_160;
  a->p.t = psk_now + 5;
  a->p.rand = rand16;
  a->p.rand_len = sizeof(rand16);
  a->p.idi = (const uint8_t *)"alice@example.net";
  a->p.idi_len = 17;
  a->p.idr = (const uint8_t *)"bob@example.net";
  a->p.idr_len = 15;
  a->p.map_type = IMSMS_MIKEY_MAP_SRTP_ID;
  a->p.cs = &a->cs;
  a->p.ncs = 1;
  a->p.sp = &a->sp;
  a->p.nsp = 1;
  a->p.keys = &a->key;
  a->p.nkeys = 1;
  n = imsms_mikey_psk_init_encode(ctx, psk20, sizeof(psk20), &a->p, a->msg,
                                  sizeof(a->msg));
  if (n <= 0) {
    fail("imsms_mikey_psk_init_encode", (int)n);
  }
  a->len = (size_t)n;
}

static void op_psk_encode(void *arg, size_t iters) {
  psk_arg *a = arg;
  uint8_t out[512];
  size_t i, acc = 0;

  for (i = 0; i < iters; i++) {
    imsms_ssize n = imsms_mikey_psk_init_encode(a->ctx, psk20, sizeof(psk20),
                                                &a->p, out, sizeof(out));

    if (n != (imsms_ssize)a->len) {
      fail("imsms_mikey_psk_init_encode", n < 0 ? (int)n : 0);
    }
    acc += out[n - 1];
  }
  sink += acc;
}

static void op_psk_verify(void *arg, size_t iters) {
  psk_arg *a = arg;
  imsms_mikey_psk_verified v;
  uint8_t keys[128];
  size_t i, acc = 0;
  int rv;

  for (i = 0; i < iters; i++) {
    rv = imsms_mikey_psk_init_verify(a->ctx, psk20, sizeof(psk20), a->msg,
                                     a->len, psk_now, NULL, keys,
                                     sizeof(keys), &v);
    if (rv != 0) {
      fail("imsms_mikey_psk_init_verify", rv);
    }
    acc += v.keys_len;
  }
  sink += acc;
}

static void op_psk_both(void *arg, size_t iters) {
  op_psk_encode(arg, iters);
  op_psk_verify(arg, iters);
}

typedef struct floor_psk_arg {
  floor_ctx *f;
  EVP_MAC_CTX *mac; /* a second reused context for the message MAC */
  size_t maclen;    /* bytes the MAC covers: message minus the MAC */
  const uint8_t *msg;
  int with_aes;
  size_t kdlen; /* key data bytes AES-CM encrypts */
} floor_psk_arg;

/*
 * The HMAC work of one I_MESSAGE encode or verify with AES-CM-128 and
 * HMAC-SHA-1-160: the PSK keys once, three P-function runs (encr 16 B,
 * salt 14 B, auth 20 B: one SHA-1 block each, two HMACs per block) on the
 * 25-byte label, then the auth key keys the MAC over the message. With
 * |with_aes| also AES-128-CTR over the key data (pre-fetched cipher,
 * reused context, re-keyed per message).
 */
static void floor_psk_once(const floor_psk_arg *a, uint8_t *acc) {
  static const uint8_t label[MIKEY_LABEL_LEN] = {0x15, 0x05, 0x33, 0xe1, 0xff,
                                                 0x5e, 0xed, 0x00, 0x01};
  uint8_t encr[16], salt[16], auth[20], tag[20], iv[16], ct[64];
  EVP_MAC_CTX *c = a->f->sha1;
  int outl = 0;

  hm_init(c, psk20, sizeof(psk20));
  floor_p(c, 20, label, sizeof(label), sizeof(encr), encr);
  hm_init(c, NULL, 0);
  floor_p(c, 20, label, sizeof(label), 14, salt);
  hm_init(c, NULL, 0);
  floor_p(c, 20, label, sizeof(label), sizeof(auth), auth);
  hm_init(a->mac, auth, sizeof(auth));
  hm_update(a->mac, a->msg, a->maclen);
  hm_final(a->mac, tag, sizeof(tag));
  if (a->with_aes) {
    memcpy(iv, salt, 14);
    iv[14] = iv[15] = 0;
    if (!EVP_EncryptInit_ex2(a->f->cctx, a->f->aes128ctr, encr, iv, NULL) ||
        !EVP_EncryptUpdate(a->f->cctx, ct, &outl, a->msg, (int)a->kdlen)) {
      abort();
    }
    tag[0] ^= ct[0];
  }
  *acc = (uint8_t)(*acc + tag[0]);
}

static void op_floor_psk(void *arg, size_t iters) {
  const floor_psk_arg *a = arg;
  uint8_t acc = 0;
  size_t i;

  for (i = 0; i < iters; i++) {
    floor_psk_once(a, &acc);
  }
  sink += acc;
}

static void op_floor_psk2(void *arg, size_t iters) {
  op_floor_psk(arg, iters);
  op_floor_psk(arg, iters);
}

/* ------------------------------------------------------------------ */

/* Allocations through the context's imsms_mem per operation. */
static double mem_allocs_per_op(imsms_failmalloc *fm, bench_fn fn,
                                void *arg) {
  long c0;

  fn(arg, 16);
  c0 = fm->calls;
  fn(arg, ALLOC_ITERS);
  return (double)(fm->calls - c0) / ALLOC_ITERS;
}

/* Sum of allocs/op over the decode rows (target 0). */
static double decode_allocs;

static void decode_row(const char *name, bench_fn fn, msg_arg *m) {
  double ns = bench_measure(fn, m, &cfg), a = allocs_per_op(fn, m);

  decode_allocs += a;
  row(name, ns, a, 0, NULL);
}

static void usage(void) {
  fprintf(stderr, "usage: bench_mikey [-q] [-r RUNS] [-t MS]\n");
  exit(64);
}


/* ------------------------------------------------------------------ */
/* Session keys: SRTP KDF against libsrtp2's own, TEK per crypto session */

typedef struct keys_arg {
  imsms_ctx *ctx;
  imsms_cs_master m;
  imsms_mikey_keydata kd;
  imsms_tek_params tp;
} keys_arg;

static void keys_setup(keys_arg *k, imsms_ctx *ctx) {
  static const uint8_t key[16] = {0xe1, 0xf9, 0x7a, 0x0d, 0x3e, 0x01,
                                  0x8b, 0xe0, 0xd6, 0x4f, 0xa3, 0x2c,
                                  0x06, 0xde, 0x41, 0x39};
  static const uint8_t salt[14] = {0x0e, 0xc6, 0x75, 0xad, 0x49, 0x8a, 0xfe,
                                   0xeb, 0xb6, 0x96, 0x0b, 0x3a, 0xab, 0xe6};

  memset(k, 0, sizeof(*k));
  k->ctx = ctx;
  memcpy(k->m.key, key, sizeof(key));
  k->m.key_len = sizeof(key);
  memcpy(k->m.salt, salt, sizeof(salt));
  k->m.salt_len = sizeof(salt);
  k->kd.type = IMSMS_MIKEY_KEY_TGK;
  k->kd.key = tgk16;
  k->kd.key_len = sizeof(tgk16);
  k->tp.rfc = IMSMS_TEK_RFC3830;
  k->tp.csb_id = 0x5eed0001u;
  k->tp.rand = rand16;
  k->tp.rand_len = sizeof(rand16);
}

/* The six session keys of one stream (RFC 3711 4.3). */
static void op_srtp_kdf(void *arg, size_t iters) {
  keys_arg *k = arg;
  imsms_srtp_session_keys out;
  size_t i;

  for (i = 0; i < iters; i++) {
    int rv = imsms_srtp_kdf(k->ctx, IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80, &k->m,
                            NULL, &out);

    if (rv != 0) {
      fail("imsms_srtp_kdf", rv);
    }
  }
  sink += out.srtp_cipher_key[0];
  imsms_secure_clear(&out, sizeof(out));
}

/* libsrtp2 does the same derivation inside srtp_create(). */
static void op_srtp_create(void *arg, size_t iters) {
  keys_arg *k = arg;
  imsms_srtp2_keys store;
  srtp_policy_t pol;
  srtp_t s;
  size_t i;

  if (imsms_srtp2_policy(&pol, &store, IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80,
                         &k->m, 0, ssrc_specific, 0xcafebabeu, 0) != 0) {
    fail("imsms_srtp2_policy", 0);
  }
  for (i = 0; i < iters; i++) {
    if (srtp_create(&s, &pol) != srtp_err_status_ok) {
      fail("srtp_create", 0);
    }
    srtp_dealloc(s);
  }
  imsms_secure_clear(&store, sizeof(store));
}

/* TEK and salt of one crypto session from a TGK (RFC 3830 4.1.3). */
static void op_tek(void *arg, size_t iters) {
  keys_arg *k = arg;
  imsms_cs_master out;
  size_t i;

  for (i = 0; i < iters; i++) {
    int rv = imsms_cs_master_derive(k->ctx, &k->tp, &k->kd, 1, 16, 14, &out);

    if (rv != 0) {
      fail("imsms_cs_master_derive", rv);
    }
  }
  sink += out.key[0];
  imsms_secure_clear(&out, sizeof(out));
}

int main(int argc, char **argv) {
  static imsms_sample samples[32];
  static uint8_t null_buf[256];
  char cpu[256], notes[256];
  unsigned long direct = 0, shlib = 0;
  msg_arg ma, mb, mc;
  imsms_failmalloc fm;
  imsms_ctx *ctx = NULL;
  EVP_MAC *hmac;
  floor_ctx fl;
  size_t ns, i;
  double t_dec_c, t_iter_c, t_gst = 0, a_gst = -1, t, t2;
  int rv, opt, have_gst = 0;

  while ((opt = getopt(argc, argv, "qr:t:")) != -1) {
    switch (opt) {
    case 'q':
      cfg.runs = 5;
      cfg.min_run_ns = 5000000u;
      break;
    case 'r':
      cfg.runs = atoi(optarg);
      if (cfg.runs < 1 || cfg.runs > BENCH_MAX_RUNS) {
        usage();
      }
      break;
    case 't':
      if (atoi(optarg) < 1) {
        usage();
      }
      cfg.min_run_ns = (uint64_t)atoi(optarg) * 1000000u;
      break;
    default:
      usage();
    }
  }

  allocs_ok = alloc_selfcheck(&direct, &shlib);
  cpu_model(cpu, sizeof(cpu));
  printf("bench_mikey: libimsmediasec %s, %s\n", imsms_version(0)->version_str,
         OpenSSL_version(OPENSSL_VERSION));
  printf("cpu: %s (/proc/cpuinfo model name)\n", cpu);
  printf("timing: median of N=%d runs, each run M iterations lasting >= %.0f "
         "ms (M calibrated per row); CLOCK_MONOTONIC\n",
         cfg.runs, (double)cfg.min_run_ns / 1e6);
#ifdef BENCH_COUNT_ALLOCS
  printf("allocs: malloc/calloc/realloc/memalign calls per op, this thread, "
         "all libraries (interposed over glibc __libc_*), over %d ops; "
         "self-check: direct malloc +%lu, libcrypto CRYPTO_malloc +%lu: %s\n",
         ALLOC_ITERS, direct, shlib, allocs_ok ? "OK" : "NOT COUNTING");
#else
  printf("allocs: n/a (no glibc malloc interposition in this build)\n");
#endif

  /* Messages (a), (b), (c). */
  ns = imsms_mikey_samples(samples, sizeof(samples) / sizeof(samples[0]));
  memset(&ma, 0, sizeof(ma));
  memset(&mb, 0, sizeof(mb));
  for (i = 0; i < ns; i++) {
    if (samples[i].data_type == IMSMS_MIKEY_PSK_INIT &&
        strcmp(samples[i].name, "psk_init") == 0) {
      ma.buf = samples[i].buf;
      ma.len = samples[i].len;
    } else if (samples[i].data_type == IMSMS_MIKEY_TRANSFER_INIT) {
      mb.buf = samples[i].buf;
      mb.len = samples[i].len;
    }
  }
  if (ma.buf == NULL || mb.buf == NULL) {
    fail("finding the psk_init and transfer_init samples", 0);
  }
  mc.buf = null_buf;
  mc.len = build_null_msg(null_buf, sizeof(null_buf));
  printf("messages: (a) psk_init sample %zu B, %d payloads; "
         "(b) transfer_init sample %zu B, %d payloads; "
         "(c) MIKEY-NULL PSK I_MESSAGE %zu B, %d payloads\n",
         ma.len, count_payloads(&ma), mb.len, count_payloads(&mb), mc.len,
         count_payloads(&mc));
  if (count_payloads(&ma) < 0 || count_payloads(&mb) < 0 ||
      count_payloads(&mc) != 4) {
    fail("decoding the benchmark messages", 0);
  }

#ifdef HAVE_GSTSDP
  {
    char why[256];
    gchar *gv = gst_version_string();

    printf("baseline: %s gstmikey (gstreamer-sdp-1.0), fed only (c)\n", gv);
    g_free(gv);
    if (!gst_parses(&mc, why, sizeof(why))) {
      fprintf(stderr, "bench_mikey: %s\n", why);
      failures++;
    } else {
      have_gst = 1;
    }
  }
#else
  printf("baseline: GStreamer gstmikey not built in (no HAVE_GSTSDP)\n");
#endif
  printf("ratio: this row / its baseline, measured in the same run in "
         "alternating runs (< 1 is faster)\n\n");

  header_row();
  decode_row("decode (a) psk_init", op_decode, &ma);
  decode_row("decode (b) transfer_init", op_decode, &mb);
  decode_row("decode+iterate (a) psk_init", op_decode_iter, &ma);
  decode_row("decode+iterate (b) transfer_init", op_decode_iter, &mb);
#ifdef HAVE_GSTSDP
  if (have_gst) {
    arm_alarm(600);
    bench_measure_pair(op_decode, &mc, op_gst, &mc, &cfg, &t_dec_c, &t_gst);
    bench_measure_pair(op_decode_iter, &mc, op_gst, &mc, &cfg, &t_iter_c, &t);
    t_gst = (t_gst + t) / 2;
    a_gst = allocs_per_op(op_gst, &mc);
    alarm(0);
  } else
#endif
  {
    t_dec_c = bench_measure(op_decode, &mc, &cfg);
    t_iter_c = bench_measure(op_decode_iter, &mc, &cfg);
  }
  snprintf(notes, sizeof(notes), "%s",
           have_gst ? "baseline: gst row" : "no gst baseline");
  t = allocs_per_op(op_decode, &mc);
  t2 = allocs_per_op(op_decode_iter, &mc);
  decode_allocs += t + t2;
  row("decode (c) mikey-null", t_dec_c, t, have_gst ? t_dec_c / t_gst : 0,
      notes);
  row("decode+iterate (c) mikey-null", t_iter_c, t2,
      have_gst ? t_iter_c / t_gst : 0, notes);
  if (have_gst) {
    snprintf(notes, sizeof(notes),
             "baseline; gst/ours: %.1fx decode, %.1fx decode+iterate",
             t_gst / t_dec_c, t_gst / t_iter_c);
    row("gst_mikey_message_new_from_data+unref (c)", t_gst, a_gst, 0, notes);
  }

  /* Crypto: a context with the counting allocator, default provider. */
  imsms_failmalloc_init(&fm, -1); /* count, never fail */
  rv = imsms_ctx_new(&ctx, &fm.mem, NULL, NULL, NULL);
  if (rv != 0) {
    fail("imsms_ctx_new", rv);
  }
  for (i = 0; i < sizeof(tek_label); i++) {
    tek_label[i] = (uint8_t)(0x2a + i);
  }
  hmac = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_HMAC, NULL);
  if (hmac == NULL) {
    fail("EVP_MAC_fetch", 0);
  }
  fl.sha1 = floor_mac_ctx(hmac, "SHA1");
  fl.sha256 = floor_mac_ctx(hmac, "SHA2-256");
  fl.aes128ctr = EVP_CIPHER_fetch(NULL, "AES-128-CTR", NULL);
  fl.cctx = EVP_CIPHER_CTX_new();
  if (fl.aes128ctr == NULL || fl.cctx == NULL) {
    fail("EVP_CIPHER setup", 0);
  }

  {
    static const char *const names[2][2] = {
        {"prf MIKEY-1 (HMAC-SHA-1) 16B->16B",
         "  floor: 2 HMAC-SHA-1, 1 rekey"},
        {"prf HMAC-SHA-256 16B->16B", "  floor: 2 HMAC-SHA-256, 1 rekey"}};
    int func;

    for (func = 0; func < 2; func++) {
      prf_arg pa;
      floor_prf_arg fa;
      double mem;

      pa.ctx = ctx;
      pa.func = func;
      fa.f = &fl;
      fa.func = func;
      bench_measure_pair(op_prf, &pa, op_floor_prf, &fa, &cfg, &t, &t2);
      mem = mem_allocs_per_op(&fm, op_prf, &pa);
      snprintf(notes, sizeof(notes),
               "25-byte label; imsms_mem allocs/op %.2f", mem);
      row(names[func][0], t, allocs_per_op(op_prf, &pa), t / t2, notes);
      row(names[func][1], t2, allocs_per_op(op_floor_prf, &fa), 0,
          "EVP_MAC, fetched once, context reused");
    }
  }

  t = bench_measure(op_mac_ctx_new, hmac, &cfg);
  row("  diag: EVP_MAC_CTX_new+set_params+free", t,
      allocs_per_op(op_mac_ctx_new, hmac), 0,
      "cost of a fresh HMAC context per call");

  {
    static psk_arg pk;
    floor_psk_arg fp, fpa;
    double te, tv, tb, f1, f2, fa1, mem;
    uint8_t keybuf[128];
    imsms_mikey_psk_verified v;

    psk_setup(&pk, ctx);
    rv = imsms_mikey_psk_init_verify(ctx, psk20, sizeof(psk20), pk.msg,
                                     pk.len, psk_now, NULL, keybuf,
                                     sizeof(keybuf), &v);
    if (rv != 0) {
      fail("imsms_mikey_psk_init_verify", rv);
    }
    memset(&fp, 0, sizeof(fp));
    fp.f = &fl;
    fp.mac = floor_mac_ctx(hmac, "SHA1");
    fp.msg = pk.msg;
    fp.maclen = pk.len - 20;
    fp.kdlen = v.keys_len;
    fpa = fp;
    fpa.with_aes = 1;

    bench_measure_pair(op_psk_encode, &pk, op_floor_psk, &fp, &cfg, &te, &f1);
    bench_measure_pair(op_psk_verify, &pk, op_floor_psk, &fp, &cfg, &tv, &t);
    f1 = (f1 + t) / 2;
    bench_measure_pair(op_psk_both, &pk, op_floor_psk2, &fp, &cfg, &tb, &f2);
    fa1 = bench_measure(op_floor_psk, &fpa, &cfg);

    printf("\nPSK I_MESSAGE: %zu B (HDR+SRTP-ID map, T, RAND, IDi, IDr, SP, "
           "KEMAC AES-CM-128 / HMAC-SHA-1-160 with one 16-byte TGK, SPI); "
           "key data %zu B\n",
           pk.len, v.keys_len);
    header_row();
    mem = mem_allocs_per_op(&fm, op_psk_encode, &pk);
    snprintf(notes, sizeof(notes), "imsms_mem allocs/op %.2f", mem);
    row("psk_init_encode", te, allocs_per_op(op_psk_encode, &pk), te / f1,
        notes);
    mem = mem_allocs_per_op(&fm, op_psk_verify, &pk);
    snprintf(notes, sizeof(notes), "imsms_mem allocs/op %.2f", mem);
    row("psk_init_verify", tv, allocs_per_op(op_psk_verify, &pk), tv / f1,
        notes);
    snprintf(notes, sizeof(notes),
             "7 HMAC-SHA-1 (6 x 25/45 B PRF, 1 x %zu B MAC), 2 rekeys",
             fp.maclen);
    row("  floor: encode or verify (HMAC only)", f1,
        allocs_per_op(op_floor_psk, &fp), 0, notes);
    snprintf(notes, sizeof(notes),
             "+ AES-128-CTR over %zu B, reused ctx; ours/this: enc %.3f, "
             "ver %.3f",
             fp.kdlen, te / fa1, tv / fa1);
    row("  floor: encode or verify (HMAC+AES)", fa1,
        allocs_per_op(op_floor_psk, &fpa), f1 > 0 ? fa1 / f1 : 0, notes);
    mem = mem_allocs_per_op(&fm, op_psk_both, &pk);
    snprintf(notes, sizeof(notes), "per message pair; imsms_mem allocs/op %.2f",
             mem);
    row("psk_init_encode+verify", tb, allocs_per_op(op_psk_both, &pk), tb / f2,
        notes);
    row("  floor: encode+verify (HMAC only)", f2,
        allocs_per_op(op_floor_psk2, &fp), 0, "14 HMAC-SHA-1, 4 rekeys");
    EVP_MAC_CTX_free(fp.mac);
  }

  {
    static keys_arg ka;
    double tk, tc, tt, mem_k, mem_t;

    if (srtp_init() != srtp_err_status_ok) {
      fail("srtp_init", 0);
    }
    keys_setup(&ka, ctx);
    bench_measure_pair(op_srtp_kdf, &ka, op_srtp_create, &ka, &cfg, &tk, &tc);
    tt = bench_measure(op_tek, &ka, &cfg);
    mem_k = mem_allocs_per_op(&fm, op_srtp_kdf, &ka);
    mem_t = mem_allocs_per_op(&fm, op_tek, &ka);
    printf("\nsession keys: AES_CM_128_HMAC_SHA1_80, one stream\n");
    header_row();
    snprintf(notes, sizeof(notes), "6 keys; imsms_mem allocs/op %.2f", mem_k);
    row("srtp_kdf (six session keys)", tk, allocs_per_op(op_srtp_kdf, &ka),
        tk / tc, notes);
    row("  baseline: libsrtp2 srtp_create+dealloc", tc,
        allocs_per_op(op_srtp_create, &ka), 0, "same master key, same run");
    snprintf(notes, sizeof(notes), "TGK 16 B -> TEK 16 + salt 14; imsms_mem "
             "allocs/op %.2f", mem_t);
    row("tek derivation per crypto session", tt, allocs_per_op(op_tek, &ka),
        0, notes);
    srtp_shutdown();
    printf("targets: srtp_kdf cheaper than srtp_create: %s; allocs per "
           "derivation 0: %s\n",
           tk < tc ? "met" : "MISSED",
           mem_k == 0 && mem_t == 0 ? "met" : "MISSED");
  }

  printf("\ntargets: decode allocs/op = 0: %s",
         !allocs_ok ? "n/a" : decode_allocs == 0 ? "met" : "MISSED");
  if (have_gst) {
    printf("; ours/gst <= 0.1 on (c): decode %.3f (%s), decode+iterate %.3f "
           "(%s)",
           t_dec_c / t_gst, t_dec_c / t_gst <= 0.1 ? "met" : "MISSED",
           t_iter_c / t_gst, t_iter_c / t_gst <= 0.1 ? "met" : "MISSED");
  }
  printf("\n");

  EVP_MAC_CTX_free(fl.sha1);
  EVP_MAC_CTX_free(fl.sha256);
  EVP_CIPHER_CTX_free(fl.cctx);
  EVP_CIPHER_free(fl.aes128ctr);
  EVP_MAC_free(hmac);
  imsms_ctx_del(ctx);
  if (fm.live != 0) {
    fprintf(stderr, "bench_mikey: %ld blocks left allocated\n", fm.live);
    failures++;
  }
  return failures ? 1 : 0;
}
