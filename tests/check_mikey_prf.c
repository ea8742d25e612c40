/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The MIKEY PRF (RFC 3830 4.1.2), PRF-HMAC-SHA-256 (RFC 6043 6.1) and
 * the label builders: computed vectors from an independent Python
 * implementation (tests/kat/gen_mikey_prf.py), through the one-shot
 * public function and through one reused imsms_prf; the chunking rule
 * against HMACs done by hand; every error of the contracts; no
 * allocation in steady state; allocation and provider failure sweeps.
 */
#include <stdlib.h>
#include <string.h>

#include "det_provider.h"
#include "failmalloc.h"
#include "kat/mikey_prf.h"
#include "mikey/labels.h"
#include "mikey/prf.h"
#include "test_util.h"

/* Generous bound: a sweep that never succeeds is itself a failure. */
#define MAX_STEPS 1000

/* Room for every vector's output plus a canary tail. */
#define OUT_CAP (IMSMS_PRF_MAX_OUT + 16)

static imsms_ctx *ctx;

static void setup(void) { ctx = imsms_test_ctx(); }

static void teardown(void) { imsms_ctx_del(ctx); }

typedef struct {
  int func;
  uint8_t inkey[IMSMS_PRF_MAX_INKEY];
  size_t inkeylen;
  uint8_t label[IMSMS_PRF_MAX_LABEL];
  size_t labellen;
  uint8_t expect[IMSMS_PRF_MAX_OUT];
  size_t outlen;
} prf_case;

static void load_prf(prf_case *c, const imsms_kat_mikey_prf *v) {
  c->func = v->prf_func;
  c->inkeylen = imsms_kat_unhex(c->inkey, sizeof(c->inkey), v->inkey_hex);
  c->labellen = imsms_kat_unhex(c->label, sizeof(c->label), v->label_hex);
  c->outlen = imsms_kat_unhex(c->expect, sizeof(c->expect), v->out_hex);
}

/* |out| holds the expected bytes and the canary after them is intact. */
static void check_out(const uint8_t *out, const prf_case *c,
                      const char *name) {
  size_t i;

  ck_assert_msg(memcmp(out, c->expect, c->outlen) == 0, "%s", name);
  for (i = c->outlen; i < c->outlen + 16; i++) {
    ck_assert_msg(out[i] == 0xA5, "%s: wrote past outlen", name);
  }
}

START_TEST(test_prf_vectors_oneshot) {
  static prf_case c;
  static uint8_t out[OUT_CAP];
  size_t i;

  for (i = 0; i < IMSMS_KAT_COUNT(imsms_kat_mikey_prf_vectors); i++) {
    const imsms_kat_mikey_prf *v = &imsms_kat_mikey_prf_vectors[i];

    load_prf(&c, v);
    memset(out, 0xA5, sizeof(out));
    ck_assert_int_eq(imsms_mikey_prf(ctx, c.func, c.inkey, c.inkeylen,
                                     c.labellen ? c.label : NULL, c.labellen,
                                     out, c.outlen),
                     0);
    check_out(out, &c, v->name);
  }
}
END_TEST

/*
 * One imsms_prf for every vector, visited in an order that alternates
 * PRFs and key lengths (37 is coprime with the count), so each setkey
 * re-keys contexts of another key, switches func, or both.
 */
START_TEST(test_prf_vectors_reused) {
  static prf_case c;
  static uint8_t out[OUT_CAP];
  const size_t n = IMSMS_KAT_COUNT(imsms_kat_mikey_prf_vectors);
  imsms_prf prf;
  size_t i, k, switches = 0;
  int last_func = -1;

  ck_assert_uint_eq(n % 37 == 0, 0);
  imsms_prf_init(&prf, ctx);
  for (i = 0; i < 2 * n; i++) {
    const imsms_kat_mikey_prf *v = &imsms_kat_mikey_prf_vectors[(i * 37) % n];

    load_prf(&c, v);
    switches += c.func != last_func;
    last_func = c.func;
    ck_assert_int_eq(imsms_prf_setkey(&prf, c.func, c.inkey, c.inkeylen), 0);
    ck_assert_uint_eq(prf.nchunks, (c.inkeylen + 31) / 32);
    /* Several derivations per key, and a prefix in between. */
    for (k = 0; k < 2; k++) {
      memset(out, 0xA5, sizeof(out));
      ck_assert_int_eq(imsms_prf_derive(&prf, c.label, c.labellen, out,
                                        c.outlen),
                       0);
      check_out(out, &c, v->name);
      memset(out, 0xA5, sizeof(out));
      ck_assert_int_eq(imsms_prf_derive(&prf, c.label, c.labellen, out, 1),
                       0);
      ck_assert_uint_eq(out[0], c.expect[0]);
      ck_assert_uint_eq(out[1], 0xA5);
    }
  }
  ck_assert_uint_gt(switches, 20);
  /* The derivations' scratch (A_i, partial blocks) is kept until free,
   * which wipes it. */
  for (k = 0; k < sizeof(prf.scratch) && prf.scratch[k] == 0; k++) {
  }
  ck_assert_uint_lt(k, sizeof(prf.scratch));
  imsms_prf_free(&prf);
  for (k = 0; k < sizeof(prf.scratch); k++) {
    ck_assert_uint_eq(prf.scratch[k], 0);
  }
  ck_assert_uint_eq(prf.nalloc, 0);
  ck_assert_int_eq(prf.func, -1);
  imsms_prf_free(&prf);
  imsms_prf_free(NULL);
}
END_TEST

/* Builds the label of |v| with |a| and |b| as its variable fields. */
static imsms_ssize build_label(const imsms_kat_label *v, uint8_t *out,
                               size_t cap, const uint8_t *a, size_t alen,
                               const uint8_t *b, size_t blen) {
  switch (v->family) {
  case IMSMS_KAT_LABEL_TGK_3830:
    return imsms_label_tgk_3830(out, cap, v->constant, v->cs_id, v->csb_id, a,
                                alen);
  case IMSMS_KAT_LABEL_ENV_3830:
    return imsms_label_env_3830(out, cap, v->constant, v->csb_id, a, alen);
  case IMSMS_KAT_LABEL_MSG_6043:
    return imsms_label_msg_6043(out, cap, v->constant, v->csb_id,
                                v->response, a, alen, b, blen);
  case IMSMS_KAT_LABEL_TGK_6043:
    return imsms_label_tgk_6043(out, cap, v->constant, v->cs_id, a, alen, b,
                                blen);
  case IMSMS_KAT_LABEL_FORK_6043:
    return imsms_label_fork_6043(out, cap, v->constant, a, alen, b, blen);
  case IMSMS_KAT_LABEL_TPK_6043:
    return imsms_label_tpk_6043(out, cap, v->constant, a, alen);
  case IMSMS_KAT_LABEL_MPK_6043:
    return imsms_label_mpk_6043(out, cap, v->constant, a, alen);
  case IMSMS_KAT_LABEL_VR_6043:
    return imsms_label_vr_6043(out, cap);
  }
  ck_abort_msg("unknown family");
  return 0;
}

START_TEST(test_label_vectors) {
  static uint8_t a[1024], b[1024], expect[2048], out[2048 + 16];
  static const uint8_t dummy[1] = {0x42};
  size_t i, j, alen, blen, len;
  imsms_ssize rv;

  for (i = 0; i < IMSMS_KAT_COUNT(imsms_kat_label_vectors); i++) {
    const imsms_kat_label *v = &imsms_kat_label_vectors[i];

    alen = imsms_kat_unhex(a, sizeof(a), v->a_hex);
    blen = imsms_kat_unhex(b, sizeof(b), v->b_hex);
    len = imsms_kat_unhex(expect, sizeof(expect), v->label_hex);

    /* Absent fields as NULL, 0. */
    memset(out, 0xA5, sizeof(out));
    rv = build_label(v, out, sizeof(out), alen ? a : NULL, alen,
                     blen ? b : NULL, blen);
    ck_assert_msg(rv == (imsms_ssize)len, "%s: %td", v->name, rv);
    ck_assert_msg(memcmp(out, expect, len) == 0, "%s", v->name);
    ck_assert_uint_eq(out[len], 0xA5);

    /* Absent fields as a non-NULL pointer with length 0: the same. */
    memset(out, 0xA5, sizeof(out));
    rv = build_label(v, out, len, alen ? a : dummy, alen, blen ? b : dummy,
                     blen);
    ck_assert_msg(rv == (imsms_ssize)len, "%s", v->name);
    ck_assert_mem_eq(out, expect, len);

    /* One byte short: NOBUF and nothing written. */
    memset(out, 0xA5, sizeof(out));
    rv = build_label(v, out, len - 1, a, alen, b, blen);
    ck_assert_msg(rv == IMSMS_ERR_NOBUF, "%s: %td", v->name, rv);
    for (j = 0; j < len; j++) {
      ck_assert_msg(out[j] == 0xA5, "%s: wrote on NOBUF", v->name);
    }
    /* No buffer at all is NOBUF too: no label is empty. */
    ck_assert_int_eq(build_label(v, NULL, 0, a, alen, b, blen),
                     IMSMS_ERR_NOBUF);
  }
}
END_TEST

/* The layouts written out byte by byte, independently of the vectors. */
START_TEST(test_label_layouts) {
  static const uint8_t ri[2] = {0xAA, 0xBB}, rr[1] = {0xCC};
  uint8_t out[IMSMS_LABEL_MAX_LEN];

  {
    static const uint8_t e[] = {0x2A, 0xD0, 0x1C, 0x64, 0x07, 0x01,
                                0x02, 0x03, 0x04, 0xAA, 0xBB};
    ck_assert_int_eq(imsms_label_tgk_3830(out, sizeof(out), IMSMS_LABEL_TEK,
                                          7, 0x01020304, ri, 2),
                     sizeof(e));
    ck_assert_mem_eq(out, e, sizeof(e));
  }
  {
    static const uint8_t e[] = {0x15, 0x05, 0x33, 0xE1, 0xFF, 0x01,
                                0x02, 0x03, 0x04, 0xAA, 0xBB};
    ck_assert_int_eq(imsms_label_env_3830(out, sizeof(out),
                                          IMSMS_LABEL_ENV_ENCR, 0x01020304,
                                          ri, 2),
                     sizeof(e));
    ck_assert_mem_eq(out, e, sizeof(e));
  }
  {
    static const uint8_t e[] = {0x2D, 0x22, 0xAC, 0x75, 0xFF, 0x01, 0x02,
                                0x03, 0x04, 0x02, 0x02, 0xAA, 0xBB, 0x00};
    ck_assert_int_eq(imsms_label_msg_6043(out, sizeof(out),
                                          IMSMS_LABEL_ENV_AUTH, 0x01020304, 7,
                                          ri, 2, NULL, 0),
                     sizeof(e));
    ck_assert_mem_eq(out, e, sizeof(e));
    ck_assert_int_eq(imsms_label_msg_6043(out, sizeof(out),
                                          IMSMS_LABEL_ENV_AUTH, 0x01020304, 0,
                                          ri, 2, NULL, 0),
                     sizeof(e));
    ck_assert_uint_eq(out[9], 0x01);
  }
  {
    static const uint8_t e[] = {0x39, 0xA2, 0xC1, 0x4B, 0x05, 0xFF,
                                0xFF, 0xFF, 0xFF, 0x03, 0x00, 0x01, 0xCC};
    ck_assert_int_eq(imsms_label_tgk_6043(out, sizeof(out), IMSMS_LABEL_SALT,
                                          5, NULL, 0, rr, 1),
                     sizeof(e));
    ck_assert_mem_eq(out, e, sizeof(e));
  }
  {
    static const uint8_t e[] = {0x2B, 0x28, 0x88, 0x56, 0xFF, 0xFF,
                                0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x02,
                                0xAA, 0xBB, 0x01, 0xCC};
    ck_assert_int_eq(imsms_label_fork_6043(out, sizeof(out),
                                           IMSMS_LABEL_MPKR_FORK, ri, 2, rr,
                                           1),
                     sizeof(e));
    ck_assert_mem_eq(out, e, sizeof(e));
  }
  {
    static const uint8_t e[] = {0x29, 0xB8, 0x89, 0x16, 0xFF, 0xFF, 0xFF,
                                0xFF, 0xFF, 0x05, 0x01, 0xCC};
    ck_assert_int_eq(imsms_label_tpk_6043(out, sizeof(out),
                                          IMSMS_LABEL_ENV_SALT, rr, 1),
                     sizeof(e));
    ck_assert_mem_eq(out, e, sizeof(e));
  }
  {
    static const uint8_t e[] = {0x22, 0x0E, 0x99, 0xA2, 0xFF, 0xFF, 0xFF,
                                0xFF, 0xFF, 0x06, 0x01, 0xCC};
    ck_assert_int_eq(imsms_label_mpk_6043(out, sizeof(out), IMSMS_LABEL_MPKI,
                                          rr, 1),
                     sizeof(e));
    ck_assert_mem_eq(out, e, sizeof(e));
  }
  {
    static const uint8_t e[] = {0x2D, 0x22, 0xAC, 0x75, 0xFF,
                                0xFF, 0xFF, 0xFF, 0xFF, 0x04};
    ck_assert_int_eq(imsms_label_vr_6043(out, sizeof(out)), sizeof(e));
    ck_assert_mem_eq(out, e, sizeof(e));
  }
  /* The constants that no layout above used. */
  ck_assert_uint_eq(IMSMS_LABEL_AUTH, 0x1B5C7973u);
  ck_assert_uint_eq(IMSMS_LABEL_ENCR, 0x15798CEFu);
  ck_assert_uint_eq(IMSMS_LABEL_TGK_FORK, 0x1512B54Au);
  ck_assert_uint_eq(IMSMS_LABEL_MPKR, 0x1F4D675Bu);
}
END_TEST

/* The longest non-fork labels fit IMSMS_LABEL_MAX_LEN exactly. */
START_TEST(test_label_max_len) {
  static uint8_t r[255];
  uint8_t out[IMSMS_LABEL_MAX_LEN];

  ck_assert_int_eq(imsms_label_msg_6043(out, sizeof(out), 0, 0, 1, r, 255, r,
                                        255),
                   IMSMS_LABEL_MAX_LEN);
  ck_assert_int_eq(imsms_label_tgk_6043(out, sizeof(out), 0, 0, r, 255, r,
                                        255),
                   IMSMS_LABEL_MAX_LEN);
  /* Fork: 13 bytes of fixed fields, so ID Data up to 509 - RANDRkms. */
  {
    static uint8_t id[IMSMS_LABEL_MAX_LEN];

    ck_assert_int_eq(imsms_label_fork_6043(out, sizeof(out), 0, id, 493, r,
                                           16),
                     IMSMS_LABEL_MAX_LEN);
    ck_assert_int_eq(imsms_label_fork_6043(out, sizeof(out), 0, id, 494, r,
                                           16),
                     IMSMS_ERR_NOBUF);
  }
}
END_TEST

START_TEST(test_label_errors) {
  static uint8_t big[IMSMS_LABEL_MAX_ID + 1];
  static uint8_t fork_out[IMSMS_LABEL_MAX_ID + 300];
  uint8_t r[256] = {0}, out[1024];
  const int inv = IMSMS_ERR_INVALID_ARGUMENT;

  /* NULL with a nonzero length. */
  ck_assert_int_eq(imsms_label_tgk_3830(out, sizeof(out), 0, 0, 0, NULL, 1),
                   inv);
  ck_assert_int_eq(imsms_label_env_3830(out, sizeof(out), 0, 0, NULL, 1), inv);
  ck_assert_int_eq(imsms_label_msg_6043(out, sizeof(out), 0, 0, 0, NULL, 1,
                                        r, 1),
                   inv);
  ck_assert_int_eq(imsms_label_msg_6043(out, sizeof(out), 0, 0, 0, r, 1,
                                        NULL, 1),
                   inv);
  ck_assert_int_eq(imsms_label_tgk_6043(out, sizeof(out), 0, 0, NULL, 1, r,
                                        1),
                   inv);
  ck_assert_int_eq(imsms_label_tgk_6043(out, sizeof(out), 0, 0, r, 1, NULL,
                                        1),
                   inv);
  ck_assert_int_eq(imsms_label_fork_6043(out, sizeof(out), 0, NULL, 1, r, 1),
                   inv);
  ck_assert_int_eq(imsms_label_fork_6043(out, sizeof(out), 0, r, 1, NULL, 1),
                   inv);
  ck_assert_int_eq(imsms_label_tpk_6043(out, sizeof(out), 0, NULL, 1), inv);
  ck_assert_int_eq(imsms_label_mpk_6043(out, sizeof(out), 0, NULL, 1), inv);
  /* |out| NULL with a nonzero |cap|. */
  ck_assert_int_eq(imsms_label_tgk_3830(NULL, 64, 0, 0, 0, r, 16), inv);
  ck_assert_int_eq(imsms_label_env_3830(NULL, 64, 0, 0, r, 16), inv);
  ck_assert_int_eq(imsms_label_msg_6043(NULL, 64, 0, 0, 0, r, 16, r, 16),
                   inv);
  ck_assert_int_eq(imsms_label_tgk_6043(NULL, 64, 0, 0, r, 16, r, 16), inv);
  ck_assert_int_eq(imsms_label_fork_6043(NULL, 64, 0, r, 16, r, 16), inv);
  ck_assert_int_eq(imsms_label_tpk_6043(NULL, 64, 0, r, 16), inv);
  ck_assert_int_eq(imsms_label_mpk_6043(NULL, 64, 0, r, 16), inv);
  ck_assert_int_eq(imsms_label_vr_6043(NULL, 64), inv);
  /* A RAND longer than its 8-bit length field; 255 bytes is fine. */
  ck_assert_int_eq(imsms_label_tgk_3830(out, sizeof(out), 0, 0, 0, r, 256),
                   inv);
  ck_assert_int_gt(imsms_label_tgk_3830(out, sizeof(out), 0, 0, 0, r, 255), 0);
  ck_assert_int_eq(imsms_label_env_3830(out, sizeof(out), 0, 0, r, 256), inv);
  ck_assert_int_eq(imsms_label_msg_6043(out, sizeof(out), 0, 0, 0, r, 256, r,
                                        1),
                   inv);
  ck_assert_int_eq(imsms_label_msg_6043(out, sizeof(out), 0, 0, 0, r, 1, r,
                                        256),
                   inv);
  ck_assert_int_eq(imsms_label_tgk_6043(out, sizeof(out), 0, 0, r, 256, r,
                                        1),
                   inv);
  ck_assert_int_eq(imsms_label_tgk_6043(out, sizeof(out), 0, 0, r, 1, r,
                                        256),
                   inv);
  ck_assert_int_eq(imsms_label_fork_6043(out, sizeof(out), 0, r, 1, r, 256),
                   inv);
  ck_assert_int_eq(imsms_label_tpk_6043(out, sizeof(out), 0, r, 256), inv);
  ck_assert_int_eq(imsms_label_mpk_6043(out, sizeof(out), 0, r, 256), inv);
  /* ID Data longer than its 16-bit length field; 65535 bytes is fine. */
  ck_assert_int_eq(imsms_label_fork_6043(fork_out, sizeof(fork_out), 0, big,
                                         IMSMS_LABEL_MAX_ID + 1, r, 1),
                   inv);
  ck_assert_int_eq(imsms_label_fork_6043(fork_out, sizeof(fork_out), 0, big,
                                         IMSMS_LABEL_MAX_ID, r, 255),
                   13 + IMSMS_LABEL_MAX_ID + 255);
  ck_assert_uint_eq(fork_out[10], 0xFF);
  ck_assert_uint_eq(fork_out[11], 0xFF);
  /* Argument errors win over a short buffer. */
  ck_assert_int_eq(imsms_label_tpk_6043(out, 0, 0, r, 256), inv);
}
END_TEST

/* HMAC(key, x || label) through the one-shot public helper. */
static void hmac2(int alg, const uint8_t *key, size_t keylen,
                  const uint8_t *x, size_t xlen, const uint8_t *label,
                  size_t labellen, uint8_t *out, size_t dlen) {
  uint8_t buf[IMSMS_MAX_DIGEST_LEN + 64];

  ck_assert_uint_le(xlen + labellen, sizeof(buf));
  memcpy(buf, x, xlen);
  memcpy(buf + xlen, label, labellen);
  ck_assert_int_eq(
      imsms_hmac(ctx, alg, key, keylen, buf, xlen + labellen, out, dlen), 0);
}

/* The first output block of P(s, label), by hand. */
static void p_block1(int alg, const uint8_t *s, size_t slen,
                     const uint8_t *label, size_t labellen, uint8_t *out,
                     size_t dlen) {
  uint8_t a1[IMSMS_MAX_DIGEST_LEN];

  ck_assert_int_eq(
      imsms_hmac(ctx, alg, s, slen, label, labellen, a1, dlen), 0);
  hmac2(alg, s, slen, a1, dlen, label, labellen, out, dlen);
}

/*
 * A 32-byte inkey is one chunk and a 64-byte inkey two: no empty chunk
 * follows a length that is a multiple of 32 (the minisip bug XORs in
 * P("", label) as well, which this would catch).
 */
START_TEST(test_chunking_no_empty_chunk) {
  static const uint8_t label[] = {0x2A, 0xD0, 0x1C, 0x64, 0x00, 0x11, 0x22,
                                  0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
  uint8_t key[64], out[IMSMS_MAX_DIGEST_LEN], b1[IMSMS_MAX_DIGEST_LEN],
      b2[IMSMS_MAX_DIGEST_LEN], bempty[IMSMS_MAX_DIGEST_LEN];
  int func;
  size_t i;

  for (i = 0; i < sizeof(key); i++) {
    key[i] = (uint8_t)(0x80 + i);
  }
  for (func = 0; func <= 1; func++) {
    int alg = func ? IMSMS_HASH_SHA256 : IMSMS_HASH_SHA1;
    size_t dlen = func ? 32 : 20;

    /* 32 bytes: exactly P(key, label). */
    p_block1(alg, key, 32, label, sizeof(label), b1, dlen);
    ck_assert_int_eq(imsms_mikey_prf(ctx, func, key, 32, label, sizeof(label),
                                     out, dlen),
                     0);
    ck_assert_mem_eq(out, b1, dlen);
    /* What an empty extra chunk would have added is not there. */
    p_block1(alg, key, 0, label, sizeof(label), bempty, dlen);
    for (i = 0; i < dlen; i++) {
      bempty[i] ^= b1[i];
    }
    ck_assert_int_ne(memcmp(out, bempty, dlen), 0);

    /* 64 bytes: P(key[0..32)) XOR P(key[32..64)), two chunks only. */
    p_block1(alg, key + 32, 32, label, sizeof(label), b2, dlen);
    ck_assert_int_eq(imsms_mikey_prf(ctx, func, key, 64, label, sizeof(label),
                                     out, dlen),
                     0);
    for (i = 0; i < dlen; i++) {
      ck_assert_uint_eq(out[i], b1[i] ^ b2[i]);
    }

    /* 33 bytes: the last chunk is the single byte key[32]. */
    p_block1(alg, key + 32, 1, label, sizeof(label), b2, dlen);
    ck_assert_int_eq(imsms_mikey_prf(ctx, func, key, 33, label, sizeof(label),
                                     out, dlen),
                     0);
    for (i = 0; i < dlen; i++) {
      ck_assert_uint_eq(out[i], b1[i] ^ b2[i]);
    }

    /* 20 bytes: one short chunk. */
    p_block1(alg, key, 20, label, sizeof(label), b1, dlen);
    ck_assert_int_eq(imsms_mikey_prf(ctx, func, key, 20, label, sizeof(label),
                                     out, dlen),
                     0);
    ck_assert_mem_eq(out, b1, dlen);
  }
}
END_TEST

/* |out| (all of it passed as outlen) pre-filled; the call fails with
 * |err| and wipes it. */
#define CHECK_WIPED_ERR(call, err)                                          \
  do {                                                                      \
    memset(out, 0x55, sizeof(out));                                         \
    ck_assert_int_eq((call), (err));                                        \
    ck_assert(imsms_test_all_zero(out, sizeof(out)));                       \
  } while (0)

START_TEST(test_prf_bad_args) {
  static uint8_t key[IMSMS_PRF_MAX_INKEY + 1], label[IMSMS_PRF_MAX_LABEL + 1];
  static uint8_t big[IMSMS_PRF_MAX_OUT + 1];
  uint8_t out[16];
  const int inv = IMSMS_ERR_INVALID_ARGUMENT;

  /* IMSMS_ERR_INVALID_ARGUMENT */
  ck_assert_int_eq(imsms_mikey_prf(ctx, 0, key, 16, label, 8, NULL, 16), inv);
  CHECK_WIPED_ERR(imsms_mikey_prf(NULL, 0, key, 16, label, 8, out, 16), inv);
  CHECK_WIPED_ERR(imsms_mikey_prf(ctx, 0, NULL, 16, label, 8, out, 16), inv);
  CHECK_WIPED_ERR(imsms_mikey_prf(ctx, 0, key, 0, label, 8, out, 16), inv);
  CHECK_WIPED_ERR(imsms_mikey_prf(ctx, 0, NULL, 0, label, 8, out, 16), inv);
  CHECK_WIPED_ERR(imsms_mikey_prf(ctx, 0, key, 16, NULL, 8, out, 16), inv);
  memset(out, 0x55, sizeof(out));
  ck_assert_int_eq(imsms_mikey_prf(ctx, 0, key, 16, label, 8, out, 0), inv);
  /* IMSMS_ERR_MIKEY_PRF */
  CHECK_WIPED_ERR(imsms_mikey_prf(ctx, 2, key, 16, label, 8, out, 16),
                  IMSMS_ERR_MIKEY_PRF);
  CHECK_WIPED_ERR(imsms_mikey_prf(ctx, -1, key, 16, label, 8, out, 16),
                  IMSMS_ERR_MIKEY_PRF);
  CHECK_WIPED_ERR(imsms_mikey_prf(ctx, 112, key, 16, label, 8, out, 16),
                  IMSMS_ERR_MIKEY_PRF);
  /* IMSMS_ERR_TOO_LARGE */
  CHECK_WIPED_ERR(imsms_mikey_prf(ctx, 0, key, IMSMS_PRF_MAX_INKEY + 1, label,
                                  8, out, 16),
                  IMSMS_ERR_TOO_LARGE);
  CHECK_WIPED_ERR(imsms_mikey_prf(ctx, 1, key, 16, label,
                                  IMSMS_PRF_MAX_LABEL + 1, out, 16),
                  IMSMS_ERR_TOO_LARGE);
  memset(big, 0x55, sizeof(big));
  ck_assert_int_eq(imsms_mikey_prf(ctx, 1, key, 16, label, 8, big,
                                   IMSMS_PRF_MAX_OUT + 1),
                   IMSMS_ERR_TOO_LARGE);
  ck_assert(imsms_test_all_zero(big, sizeof(big)));
  /* The limits themselves are accepted, and an empty label too. */
  ck_assert_int_eq(imsms_mikey_prf(ctx, 1, key, IMSMS_PRF_MAX_INKEY, label,
                                   IMSMS_PRF_MAX_LABEL, big,
                                   IMSMS_PRF_MAX_OUT),
                   0);
  ck_assert_int_eq(imsms_mikey_prf(ctx, 0, key, 1, NULL, 0, out, 1), 0);
}
END_TEST

START_TEST(test_prf_state_bad_args) {
  static uint8_t key[IMSMS_PRF_MAX_INKEY + 1];
  uint8_t out[16], label[4] = {1, 2, 3, 4};
  const int inv = IMSMS_ERR_INVALID_ARGUMENT;
  imsms_prf prf;

  imsms_prf_init(&prf, ctx);
  ck_assert_int_eq(imsms_prf_setkey(NULL, 0, key, 16), inv);
  ck_assert_int_eq(imsms_prf_setkey(&prf, 0, NULL, 16), inv);
  ck_assert_int_eq(imsms_prf_setkey(&prf, 0, key, 0), inv);
  ck_assert_int_eq(imsms_prf_setkey(&prf, 7, key, 16), IMSMS_ERR_MIKEY_PRF);
  ck_assert_int_eq(imsms_prf_setkey(&prf, 0, key, IMSMS_PRF_MAX_INKEY + 1),
                   IMSMS_ERR_TOO_LARGE);
  /* No key yet. */
  CHECK_WIPED_ERR(imsms_prf_derive(&prf, label, 4, out, 16), inv);
  ck_assert_int_eq(imsms_prf_setkey(&prf, 1, key, 16), 0);
  ck_assert_int_eq(imsms_prf_derive(NULL, label, 4, out, 16), inv);
  ck_assert_int_eq(imsms_prf_derive(&prf, label, 4, NULL, 16), inv);
  CHECK_WIPED_ERR(imsms_prf_derive(&prf, NULL, 4, out, 16), inv);
  ck_assert_int_eq(imsms_prf_derive(&prf, label, 4, out, 0), inv);
  CHECK_WIPED_ERR(imsms_prf_derive(&prf, label, IMSMS_PRF_MAX_LABEL + 1, out,
                                   16),
                  IMSMS_ERR_TOO_LARGE);
  /* A rejected setkey leaves no usable key behind. */
  ck_assert_int_eq(imsms_prf_derive(&prf, label, 4, out, 16), 0);
  ck_assert_int_eq(imsms_prf_setkey(&prf, 1, key, 0), inv);
  CHECK_WIPED_ERR(imsms_prf_derive(&prf, label, 4, out, 16), inv);
  ck_assert_int_eq(imsms_prf_setkey(&prf, 1, key, 16), 0);
  ck_assert_int_eq(imsms_prf_setkey(&prf, 9, key, 16), IMSMS_ERR_MIKEY_PRF);
  CHECK_WIPED_ERR(imsms_prf_derive(&prf, label, 4, out, 16), inv);
  imsms_prf_free(&prf);
  /* After free, the state can be keyed again. */
  ck_assert_int_eq(imsms_prf_setkey(&prf, 0, key, 40), 0);
  ck_assert_int_eq(imsms_prf_derive(&prf, label, 4, out, 16), 0);
  imsms_prf_free(&prf);
}
END_TEST

/* A context on |fm| with the deterministic provider. */
static imsms_ctx *det_ctx(imsms_failmalloc *fm, imsms_det_provider *dp,
                          uint64_t seed) {
  imsms_ctx *c = NULL;

  imsms_det_provider_init(dp, seed);
  imsms_failmalloc_init(fm, -1);
  ck_assert_int_eq(imsms_ctx_new(&c, &fm->mem, &dp->vt, NULL, NULL), 0);
  return c;
}

/*
 * Steady state allocates nothing: after one setkey with a 32-byte key,
 * re-keying with keys of the same or fewer chunks and the same func,
 * and deriving, make no allocation at all.
 */
START_TEST(test_prf_zero_alloc) {
  imsms_det_provider dp;
  imsms_failmalloc fm;
  imsms_ctx *c;
  imsms_prf prf;
  uint8_t key[64], label[40], out[64], expect[64];
  long calls, live;
  size_t i, k;

  for (i = 0; i < sizeof(key); i++) {
    key[i] = (uint8_t)(3 * i + 1);
  }
  memset(label, 0x5A, sizeof(label));
  c = det_ctx(&fm, &dp, 11);
  live = fm.live;
  calls = fm.calls;
  imsms_prf_init(&prf, c);
  ck_assert_int_eq(fm.calls, calls);
  ck_assert_int_eq(imsms_prf_setkey(&prf, 0, key, 32), 0);
  ck_assert_int_gt(fm.calls, calls);
  calls = fm.calls;
  for (k = 0; k < 50; k++) {
    static const size_t lens[] = {32, 16, 20, 31, 1, 32};

    for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
      ck_assert_int_eq(imsms_prf_setkey(&prf, 0, key + k % 8, lens[i]), 0);
      ck_assert_int_eq(imsms_prf_derive(&prf, label, sizeof(label), out,
                                        sizeof(out)),
                       0);
      ck_assert_int_eq(imsms_prf_derive(&prf, label, 9, out, 14), 0);
    }
  }
  ck_assert_int_eq(fm.calls, calls);
  /* And the re-keyed output is right. */
  ck_assert_int_eq(imsms_mikey_prf(c, 0, key, 16, label, sizeof(label),
                                   expect, sizeof(expect)),
                   0);
  calls = fm.calls;
  ck_assert_int_eq(imsms_prf_setkey(&prf, 0, key, 16), 0);
  ck_assert_int_eq(imsms_prf_derive(&prf, label, sizeof(label), out,
                                    sizeof(out)),
                   0);
  ck_assert_mem_eq(out, expect, sizeof(out));
  ck_assert_int_eq(fm.calls, calls);
  /*
   * A longer key needs one more context (the one-shot call above left it
   * in the context's pool, so no allocation), then it is steady again.
   */
  ck_assert_int_eq(imsms_prf_setkey(&prf, 0, key, 64), 0);
  calls = fm.calls;
  ck_assert_int_eq(imsms_prf_setkey(&prf, 0, key, 40), 0);
  ck_assert_int_eq(imsms_prf_setkey(&prf, 0, key, 8), 0);
  ck_assert_int_eq(imsms_prf_derive(&prf, label, sizeof(label), out,
                                    sizeof(out)),
                   0);
  ck_assert_int_eq(fm.calls, calls);
  /* A func switch replaces the contexts (SHA-256 ones are new). */
  ck_assert_int_eq(imsms_prf_setkey(&prf, 1, key, 32), 0);
  ck_assert_int_gt(fm.calls, calls);
  calls = fm.calls;
  ck_assert_int_eq(imsms_prf_setkey(&prf, 1, key, 24), 0);
  ck_assert_int_eq(imsms_prf_derive(&prf, label, sizeof(label), out,
                                    sizeof(out)),
                   0);
  ck_assert_int_eq(fm.calls, calls);
  imsms_prf_free(&prf);
  /* The contexts went back to the pool: nothing leaks when it drains. */
  ck_assert_int_ge(fm.live, live);
  imsms_ctx_del(c);
  ck_assert_int_eq(fm.live, 0);
}
END_TEST

/* Fail the Nth allocation counted from the start of one operation. */
static void arm(imsms_failmalloc *fm, long n) {
  fm->calls = 0;
  fm->failed = 0;
  fm->fail_at = n;
}

START_TEST(test_prf_sweep_alloc) {
  imsms_det_provider dp;
  imsms_failmalloc fm;
  imsms_ctx *c;
  uint8_t key[100], label[30], out[46], expect[46];
  long n, failed;
  int func, rv;

  memset(key, 0x3C, sizeof(key));
  memset(label, 0xC3, sizeof(label));
  for (func = 0; func <= 1; func++) {
    c = det_ctx(&fm, &dp, 12);
    ck_assert_int_eq(imsms_mikey_prf(c, func, key, sizeof(key), label,
                                     sizeof(label), expect, sizeof(expect)),
                     0);
    imsms_ctx_del(c);
    /* A fresh context each round: its pool is empty, so the PRF allocates. */
    for (n = 0; n < MAX_STEPS; n++) {
      c = det_ctx(&fm, &dp, 12);
      arm(&fm, n);
      memset(out, 0x77, sizeof(out));
      rv = imsms_mikey_prf(c, func, key, sizeof(key), label, sizeof(label),
                           out, sizeof(out));
      failed = fm.failed;
      arm(&fm, -1);
      imsms_ctx_del(c);
      ck_assert_int_eq(fm.live, 0);
      if (failed == 0) {
        ck_assert_int_eq(rv, 0);
        ck_assert_mem_eq(out, expect, sizeof(out));
        break;
      }
      ck_assert_int_eq(rv, IMSMS_ERR_NOMEM);
      ck_assert(imsms_test_all_zero(out, sizeof(out)));
    }
    ck_assert_int_lt(n, MAX_STEPS);
    /* 100 bytes are four chunks: at least four contexts were made. */
    ck_assert_int_ge(n, 4);
  }
}
END_TEST

/*
 * A provider whose HMAC operations fail on the Nth call, with a code that
 * is neither 0 nor IMSMS_ERR_NOMEM: the PRF must report
 * IMSMS_ERR_CRYPTO, wipe its output and not reuse a half-fed HMAC.
 */
static long op_calls, op_fail_at = -1;
static const imsms_crypto_provider *inner;

static int op_fails(void) {
  return op_fail_at >= 0 && op_calls++ == op_fail_at;
}

static int flaky_setkey(imsms_crypto_hmac *h, const uint8_t *key,
                        size_t keylen) {
  return op_fails() ? IMSMS_ERR_UNSUPPORTED_ALG
                    : inner->hmac_setkey(h, key, keylen);
}

static int flaky_update(imsms_crypto_hmac *h, const uint8_t *in,
                        size_t inlen) {
  return op_fails() ? IMSMS_ERR_KEY_LENGTH : inner->hmac_update(h, in, inlen);
}

static int flaky_final(imsms_crypto_hmac *h, uint8_t *out) {
  return op_fails() ? IMSMS_ERR_RNG : inner->hmac_final(h, out);
}

START_TEST(test_prf_sweep_provider_failure) {
  imsms_crypto_provider flaky;
  imsms_ctx *c = NULL;
  imsms_prf prf;
  uint8_t key[40], label[20], out[50], expect[50];
  long n;
  int func, rv;

  inner = imsms_crypto_default();
  memcpy(&flaky, inner, sizeof(flaky));
  flaky.name = "flaky-hmac";
  flaky.hmac_setkey = flaky_setkey;
  flaky.hmac_update = flaky_update;
  flaky.hmac_final = flaky_final;
  op_fail_at = -1;
  ck_assert_int_eq(imsms_ctx_new(&c, NULL, &flaky, NULL, NULL), 0);
  memset(key, 0x21, sizeof(key));
  memset(label, 0x12, sizeof(label));
  for (func = 0; func <= 1; func++) {
    op_fail_at = -1;
    ck_assert_int_eq(imsms_mikey_prf(c, func, key, sizeof(key), label,
                                     sizeof(label), expect, sizeof(expect)),
                     0);
    /* One-shot: every failing operation gives CRYPTO and a wiped out. */
    for (n = 0; n < MAX_STEPS; n++) {
      op_calls = 0;
      op_fail_at = n;
      memset(out, 0x77, sizeof(out));
      rv = imsms_mikey_prf(c, func, key, sizeof(key), label, sizeof(label),
                           out, sizeof(out));
      /*
       * Success is only right with the right output. A failure while an
       * idle context is re-keyed empty for the pool is not the PRF's:
       * the context is deleted instead and the result stands.
       */
      if (rv == 0) {
        ck_assert_mem_eq(out, expect, sizeof(out));
        if (op_calls <= n) {
          break;
        }
        continue;
      }
      ck_assert_int_eq(rv, IMSMS_ERR_CRYPTO);
      ck_assert(imsms_test_all_zero(out, sizeof(out)));
    }
    ck_assert_int_lt(n, MAX_STEPS);
    /* 2 setkeys + 2 chunks x (3 or 2) blocks x 5 HMAC operations. */
    ck_assert_int_ge(n, func ? 2 + 2 * 2 * 5 : 2 + 2 * 3 * 5);

    /* Reused state: after a failed derive the key is forgotten. */
    imsms_prf_init(&prf, c);
    for (n = 0; n < MAX_STEPS; n++) {
      op_fail_at = -1;
      ck_assert_int_eq(imsms_prf_setkey(&prf, func, key, sizeof(key)), 0);
      op_calls = 0;
      op_fail_at = n;
      memset(out, 0x77, sizeof(out));
      rv = imsms_prf_derive(&prf, label, sizeof(label), out, sizeof(out));
      op_fail_at = -1;
      if (rv == 0) {
        ck_assert_mem_eq(out, expect, sizeof(out));
        break;
      }
      ck_assert_int_eq(rv, IMSMS_ERR_CRYPTO);
      ck_assert(imsms_test_all_zero(out, sizeof(out)));
      ck_assert_int_eq(imsms_prf_derive(&prf, label, sizeof(label), out,
                                        sizeof(out)),
                       IMSMS_ERR_INVALID_ARGUMENT);
      /* Re-keying makes it whole again, whatever was left mid-message. */
      ck_assert_int_eq(imsms_prf_setkey(&prf, func, key, sizeof(key)), 0);
      ck_assert_int_eq(imsms_prf_derive(&prf, label, sizeof(label), out,
                                        sizeof(out)),
                       0);
      ck_assert_mem_eq(out, expect, sizeof(out));
    }
    ck_assert_int_lt(n, MAX_STEPS);
    imsms_prf_free(&prf);
  }
  op_fail_at = -1;
  imsms_ctx_del(c);
}
END_TEST

static Suite *mikey_prf_suite(void) {
  Suite *s = suite_create("mikey_prf");
  TCase *tc = tcase_create("prf");
  TCase *tl = tcase_create("labels");
  TCase *tm = tcase_create("memory");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_prf_vectors_oneshot);
  tcase_add_test(tc, test_prf_vectors_reused);
  tcase_add_test(tc, test_chunking_no_empty_chunk);
  tcase_add_test(tc, test_prf_bad_args);
  tcase_add_test(tc, test_prf_state_bad_args);
  suite_add_tcase(s, tc);

  tcase_add_test(tl, test_label_vectors);
  tcase_add_test(tl, test_label_layouts);
  tcase_add_test(tl, test_label_max_len);
  tcase_add_test(tl, test_label_errors);
  suite_add_tcase(s, tl);

  tcase_add_test(tm, test_prf_zero_alloc);
  tcase_add_test(tm, test_prf_sweep_alloc);
  tcase_add_test(tm, test_prf_sweep_provider_failure);
  suite_add_tcase(s, tm);
  return s;
}

int main(void) { return imsms_test_run(mikey_prf_suite(), "mikey_prf"); }
