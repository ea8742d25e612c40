/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * GBA key derivation (TS 33.220 B.2.0, B.3): the S-string of Ks_NAF
 * written out by hand from the spec text, HMAC-SHA-256 over it through
 * imsms_hmac() against imsms_gba_ks_naf(), gba-me against gba-u, the
 * two-octet FC form, and every argument check.
 */
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/keys.h>

#include "failmalloc.h"
#include "kat/kat.h"
#include "test_util.h"

static imsms_ctx *ctx;

static void setup(void) {
  ctx = imsms_test_ctx();
}
static void teardown(void) {
  imsms_ctx_del(ctx);
}

/* Ks = CK || IK: a0 a1 ... bf. */
static const char ks_hex[] =
    "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf";
static const char impi[] = "user@ims.example.com"; /* 20 bytes */
static const char fqdn[] = "kms.example.com";      /* 15 bytes */

/*
 * S of Ks_NAF for RAND 00 01 .. 0f, IMPI and FQDN above, written by hand
 * from TS 33.220 B.2.0 and B.3 (FC || P0 || L0 || P1 || L1 || ...).
 */
/* clang-format off */
static const char s_gba_me_hex[] =
    "01"                                       /* FC */
    "6762612d6d65" "0006"                      /* P0 "gba-me", L0 6 */
    "000102030405060708090a0b0c0d0e0f" "0010"  /* P1 RAND, L1 16 */
    "75736572" "40" "696d73" "2e" "6578616d706c65" "2e" "636f6d"
    "0014"                                     /* P2 IMPI, L2 20 */
    "6b6d73" "2e" "6578616d706c65" "2e" "636f6d" "0100000006"
    "0014";                                    /* P3 NAF_Id, L3 15 + 5 */

static const char s_gba_u_hex[] =
    "01"
    "6762612d75" "0005"                        /* P0 "gba-u", L0 5 */
    "000102030405060708090a0b0c0d0e0f" "0010"
    "7573657240696d732e6578616d706c652e636f6d" "0014"
    "6b6d732e6578616d706c652e636f6d0100000006" "0014";
/* clang-format on */

/*
 * HMAC-SHA-256(Ks, S) of the two strings above, computed independently
 * with Python's hmac module.
 */
static const char ks_naf_me_hex[] =
    "d3f62869fba6b3784bbc1f45bdd4c0dec3df85ec7fce1e4610bbc4e81dbc097e";
static const char ks_naf_u_hex[] =
    "89d2ab21f57c7b1329d53d008631c52236fd7583c2b425567c8ce5744463c58c";

static void test_rand(uint8_t rand[16]) {
  size_t i;

  for (i = 0; i < 16; i++) {
    rand[i] = (uint8_t)i;
  }
}

/* Appends |len| bytes, then their 2-byte big-endian length. */
static size_t put_param(uint8_t *s, size_t pos, const void *p, size_t len) {
  memcpy(s + pos, p, len);
  pos += len;
  s[pos++] = (uint8_t)(len >> 8);
  s[pos++] = (uint8_t)len;
  return pos;
}

/* S built from its parts, byte by byte, independently of the library. */
static size_t build_s(uint8_t *s, const char *p0, const uint8_t rand[16]) {
  uint8_t naf_id[64];
  size_t pos = 0, fqdnlen = strlen(fqdn);

  s[pos++] = 0x01;
  pos = put_param(s, pos, p0, strlen(p0));
  pos = put_param(s, pos, rand, 16);
  pos = put_param(s, pos, impi, strlen(impi));
  memcpy(naf_id, fqdn, fqdnlen);
  naf_id[fqdnlen] = 0x01;
  naf_id[fqdnlen + 1] = 0x00;
  naf_id[fqdnlen + 2] = 0x00;
  naf_id[fqdnlen + 3] = 0x00;
  naf_id[fqdnlen + 4] = 0x06;
  return put_param(s, pos, naf_id, fqdnlen + 5);
}

START_TEST(test_s_string_by_hand) {
  uint8_t s[128], want[128], rand[16];
  size_t n;

  test_rand(rand);
  n = build_s(s, "gba-me", rand);
  /* 1 + (6+2) + (16+2) + (20+2) + (20+2) */
  ck_assert_uint_eq(n, 71);
  ck_assert_uint_eq(imsms_kat_unhex(want, sizeof(want), s_gba_me_hex), n);
  ck_assert_mem_eq(s, want, n);

  n = build_s(s, "gba-u", rand);
  ck_assert_uint_eq(n, 70);
  ck_assert_uint_eq(imsms_kat_unhex(want, sizeof(want), s_gba_u_hex), n);
  ck_assert_mem_eq(s, want, n);
}
END_TEST

START_TEST(test_ks_naf_against_hmac) {
  uint8_t ks[32], rand[16], s[128], want[32], got[32], kat[32];
  size_t n;

  ck_assert_uint_eq(imsms_kat_unhex(ks, sizeof(ks), ks_hex), 32);
  test_rand(rand);

  /* gba-me: Ks_NAF and Ks_ext_NAF. */
  n = imsms_kat_unhex(s, sizeof(s), s_gba_me_hex);
  ck_assert_int_eq(imsms_hmac(ctx, IMSMS_HASH_SHA256, ks, 32, s, n, want, 32),
                   0);
  ck_assert_int_eq(imsms_gba_ks_naf(ctx, ks, 32, rand, 16, impi, fqdn, 0, got),
                   0);
  ck_assert_mem_eq(got, want, 32);
  ck_assert_uint_eq(imsms_kat_unhex(kat, sizeof(kat), ks_naf_me_hex), 32);
  ck_assert_mem_eq(got, kat, 32);

  /* gba-u: Ks_int_NAF, a different key. */
  n = imsms_kat_unhex(s, sizeof(s), s_gba_u_hex);
  ck_assert_int_eq(imsms_hmac(ctx, IMSMS_HASH_SHA256, ks, 32, s, n, want, 32),
                   0);
  ck_assert_int_eq(imsms_gba_ks_naf(ctx, ks, 32, rand, 16, impi, fqdn, 1, got),
                   0);
  ck_assert_mem_eq(got, want, 32);
  ck_assert_uint_eq(imsms_kat_unhex(kat, sizeof(kat), ks_naf_u_hex), 32);
  ck_assert_mem_eq(got, kat, 32);
  ck_assert_uint_eq(imsms_kat_unhex(kat, sizeof(kat), ks_naf_me_hex), 32);
  ck_assert(memcmp(got, kat, 32) != 0);
}
END_TEST

/* The generic KDF with the same four parameters gives Ks_NAF. */
START_TEST(test_kdf_generic_equals_ks_naf) {
  static const uint8_t ua[] = {0x01, 0x00, 0x00, 0x00, 0x06};
  uint8_t ks[32], rand[16], naf_id[32], a[32], b[32];
  const uint8_t *p[4];
  size_t l[4], fqdnlen = strlen(fqdn);

  ck_assert_uint_eq(imsms_kat_unhex(ks, sizeof(ks), ks_hex), 32);
  test_rand(rand);
  memcpy(naf_id, fqdn, fqdnlen);
  memcpy(naf_id + fqdnlen, ua, sizeof(ua));
  ck_assert_mem_eq(IMSMS_GBA_UA_KMS, ua, 5);
  p[0] = (const uint8_t *)"gba-me";
  l[0] = 6;
  p[1] = rand;
  l[1] = 16;
  p[2] = (const uint8_t *)impi;
  l[2] = strlen(impi);
  p[3] = naf_id;
  l[3] = fqdnlen + 5;
  ck_assert_int_eq(imsms_gba_kdf(ctx, ks, 32, 0x01, p, l, 4, a), 0);
  ck_assert_int_eq(imsms_gba_ks_naf(ctx, ks, 32, rand, 16, impi, fqdn, 0, b),
                   0);
  ck_assert_mem_eq(a, b, 32);
  /* Another FC, another key. */
  ck_assert_int_eq(imsms_gba_kdf(ctx, ks, 32, 0x02, p, l, 4, b), 0);
  ck_assert(memcmp(a, b, 32) != 0);
}
END_TEST

/* RFC 4231 test case 2 on the primitive the KDF is built on. */
START_TEST(test_rfc4231_tc2) {
  static const char data[] = "what do ya want for nothing?";
  uint8_t want[32], got[32];

  ck_assert_uint_eq(imsms_kat_unhex(want, sizeof(want),
                                    "5bdcc146bf60754e6a042426089575c7"
                                    "5a003f089d2739839dec58b964ec3843"),
                    32);
  ck_assert_int_eq(imsms_hmac(ctx, IMSMS_HASH_SHA256, (const uint8_t *)"Jefe",
                              4, (const uint8_t *)data, strlen(data), got, 32),
                   0);
  ck_assert_mem_eq(got, want, 32);
}
END_TEST

/*
 * FC above 0xFE: 0xFF || low octet (B.2.2), checked on S written out
 * byte by byte; FC 0xFE stays one octet; no parameter gives S = FC.
 */
START_TEST(test_fc_forms) {
  static const uint8_t key[32] = {0x42};
  static const uint8_t p0[3] = {'a', 'b', 'c'};
  const uint8_t *p[1] = {p0};
  size_t l[1] = {3};
  uint8_t s[8], want[32], got[32];

  /* 0xFFFF (FC2 0xFF): FF FF 61 62 63 00 03 */
  s[0] = 0xFF;
  s[1] = 0xFF;
  s[2] = 0x61;
  s[3] = 0x62;
  s[4] = 0x63;
  s[5] = 0x00;
  s[6] = 0x03;
  ck_assert_int_eq(imsms_hmac(ctx, IMSMS_HASH_SHA256, key, 32, s, 7, want, 32),
                   0);
  ck_assert_int_eq(imsms_gba_kdf(ctx, key, 32, 0xFFFF, p, l, 1, got), 0);
  ck_assert_mem_eq(got, want, 32);
  /* Values between the two forms name no FC: refused, output wiped. */
  memset(got, 0x55, sizeof(got));
  ck_assert_int_eq(imsms_gba_kdf(ctx, key, 32, 0xFF, p, l, 1, got),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert(imsms_test_all_zero(got, sizeof(got)));
  ck_assert_int_eq(imsms_gba_kdf(ctx, key, 32, 0x1FF, p, l, 1, got),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_gba_kdf(ctx, key, 32, 0xFEFF, p, l, 1, got),
                   IMSMS_ERR_INVALID_ARGUMENT);

  /* 0xFF00 (FC2 0x00): FF 00 61 62 63 00 03 */
  s[1] = 0x00;
  ck_assert_int_eq(imsms_hmac(ctx, IMSMS_HASH_SHA256, key, 32, s, 7, want, 32),
                   0);
  ck_assert_int_eq(imsms_gba_kdf(ctx, key, 32, 0xFF00, p, l, 1, got), 0);
  ck_assert_mem_eq(got, want, 32);

  /* 0xFE: one octet, FE 61 62 63 00 03 */
  s[0] = 0xFE;
  memcpy(s + 1, "abc\x00\x03", 5);
  ck_assert_int_eq(imsms_hmac(ctx, IMSMS_HASH_SHA256, key, 32, s, 6, want, 32),
                   0);
  ck_assert_int_eq(imsms_gba_kdf(ctx, key, 32, 0xFE, p, l, 1, got), 0);
  ck_assert_mem_eq(got, want, 32);

  /* An empty parameter is its length 00 00 alone: FE 00 00 */
  s[1] = 0x00;
  s[2] = 0x00;
  l[0] = 0;
  ck_assert_int_eq(imsms_hmac(ctx, IMSMS_HASH_SHA256, key, 32, s, 3, want, 32),
                   0);
  ck_assert_int_eq(imsms_gba_kdf(ctx, key, 32, 0xFE, p, l, 1, got), 0);
  ck_assert_mem_eq(got, want, 32);

  /* No parameter: S = FC. */
  ck_assert_int_eq(imsms_hmac(ctx, IMSMS_HASH_SHA256, key, 32, s, 1, want, 32),
                   0);
  ck_assert_int_eq(imsms_gba_kdf(ctx, key, 32, 0xFE, NULL, NULL, 0, got), 0);
  ck_assert_mem_eq(got, want, 32);
}
END_TEST

/* Sixteen parameters of at most 65535 bytes each; the edges both ways. */
START_TEST(test_kdf_limits) {
  static const uint8_t key[32] = {1};
  const uint8_t *p[17];
  size_t l[17], i;
  uint8_t *big, out[32];

  big = calloc(1, 65536);
  ck_assert_ptr_nonnull(big);
  for (i = 0; i < 17; i++) {
    p[i] = big;
    l[i] = 1;
  }
  ck_assert_int_eq(imsms_gba_kdf(ctx, key, 32, 1, p, l, 16, out), 0);
  memset(out, 0x55, sizeof(out));
  ck_assert_int_eq(imsms_gba_kdf(ctx, key, 32, 1, p, l, 17, out),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert(imsms_test_all_zero(out, 32));

  l[3] = 65535;
  ck_assert_int_eq(imsms_gba_kdf(ctx, key, 32, 1, p, l, 4, out), 0);
  l[3] = 65536;
  memset(out, 0x55, sizeof(out));
  ck_assert_int_eq(imsms_gba_kdf(ctx, key, 32, 1, p, l, 4, out),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert(imsms_test_all_zero(out, 32));
  free(big);
}
END_TEST

START_TEST(test_kdf_errors) {
  static const uint8_t key[32] = {1}, abc[3] = {'a', 'b', 'c'};
  const uint8_t *p[2] = {abc, NULL};
  size_t l[2] = {3, 1};
  uint8_t out[32];

  ck_assert_int_eq(imsms_gba_kdf(ctx, key, 32, 0xFFFF, p, l, 1, out), 0);
  memset(out, 0x55, sizeof(out));
  ck_assert_int_eq(imsms_gba_kdf(ctx, key, 32, 0x10000, p, l, 1, out),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert(imsms_test_all_zero(out, 32));
  ck_assert_int_eq(imsms_gba_kdf(NULL, key, 32, 1, p, l, 1, out),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_gba_kdf(ctx, NULL, 32, 1, p, l, 1, out),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_gba_kdf(ctx, key, 32, 1, NULL, l, 1, out),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_gba_kdf(ctx, key, 32, 1, p, NULL, 1, out),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_gba_kdf(ctx, key, 32, 1, p, l, 1, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  /* A NULL parameter with a nonzero length; NULL with 0 is fine. */
  ck_assert_int_eq(imsms_gba_kdf(ctx, key, 32, 1, p, l, 2, out),
                   IMSMS_ERR_INVALID_ARGUMENT);
  l[1] = 0;
  ck_assert_int_eq(imsms_gba_kdf(ctx, key, 32, 1, p, l, 2, out), 0);
}
END_TEST

START_TEST(test_ks_naf_errors) {
  uint8_t ks[32] = {0}, rand[16] = {0}, out[32];
  char *big;

  memset(out, 0x55, sizeof(out));
  ck_assert_int_eq(imsms_gba_ks_naf(ctx, ks, 32, rand, 16, impi, fqdn, 2, out),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert(imsms_test_all_zero(out, 32));
  ck_assert_int_eq(imsms_gba_ks_naf(NULL, ks, 32, rand, 16, impi, fqdn, 0, out),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(
      imsms_gba_ks_naf(ctx, NULL, 32, rand, 16, impi, fqdn, 0, out),
      IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_gba_ks_naf(ctx, ks, 32, NULL, 16, impi, fqdn, 0, out),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_gba_ks_naf(ctx, ks, 32, rand, 16, NULL, fqdn, 0, out),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_gba_ks_naf(ctx, ks, 32, rand, 16, impi, NULL, 0, out),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_gba_ks_naf(ctx, ks, 32, rand, 16, impi, fqdn, 0, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);

  /* NAF_Id = FQDN || 5 bytes must stay within 65535 bytes. */
  big = malloc(65537);
  ck_assert_ptr_nonnull(big);
  memset(big, 'a', 65536);
  big[65530] = '\0';
  ck_assert_int_eq(imsms_gba_ks_naf(ctx, ks, 32, rand, 16, impi, big, 0, out),
                   0);
  big[65530] = 'a';
  big[65531] = '\0';
  ck_assert_int_eq(imsms_gba_ks_naf(ctx, ks, 32, rand, 16, impi, big, 0, out),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert(imsms_test_all_zero(out, 32));
  /* IMPI of 65535 bytes is the largest. */
  big[65531] = 'a';
  big[65535] = '\0';
  ck_assert_int_eq(imsms_gba_ks_naf(ctx, ks, 32, rand, 16, big, fqdn, 0, out),
                   0);
  big[65535] = 'a';
  big[65536] = '\0';
  ck_assert_int_eq(imsms_gba_ks_naf(ctx, ks, 32, rand, 16, big, fqdn, 0, out),
                   IMSMS_ERR_INVALID_ARGUMENT);
  free(big);
}
END_TEST

/*
 * Allocation failures inside the provider: fail allocation N of a fresh
 * context's first derivation for N = 0, 1, ... until it succeeds. Each
 * failing run reports IMSMS_ERR_NOMEM, wipes the output and leaks nothing.
 */
START_TEST(test_ks_naf_failmalloc) {
  uint8_t ks[32], rand[16], out[32], kat[32];
  imsms_failmalloc fm;
  imsms_ctx *fctx;
  long n, failed;
  int rv;

  ck_assert_uint_eq(imsms_kat_unhex(ks, sizeof(ks), ks_hex), 32);
  ck_assert_uint_eq(imsms_kat_unhex(kat, sizeof(kat), ks_naf_me_hex), 32);
  test_rand(rand);
  for (n = 0; n < 1000; n++) {
    imsms_failmalloc_init(&fm, -1);
    ck_assert_int_eq(imsms_ctx_new(&fctx, &fm.mem, NULL, NULL, NULL), 0);
    fm.calls = 0;
    fm.failed = 0;
    fm.fail_at = n;
    memset(out, 0x77, sizeof(out));
    rv = imsms_gba_ks_naf(fctx, ks, 32, rand, 16, impi, fqdn, 0, out);
    failed = fm.failed;
    fm.fail_at = -1;
    imsms_ctx_del(fctx);
    ck_assert_int_eq(fm.live, 0);
    if (failed == 0) {
      ck_assert_int_eq(rv, 0);
      ck_assert_mem_eq(out, kat, 32);
      break;
    }
    ck_assert_int_eq(rv, IMSMS_ERR_NOMEM);
    ck_assert(imsms_test_all_zero(out, sizeof(out)));
  }
  ck_assert_int_lt(n, 1000);
  /* At least the HMAC context came from the allocator. */
  ck_assert_int_ge(n, 1);

  /* Warm: the pooled HMAC context serves again, nothing is allocated. */
  imsms_failmalloc_init(&fm, -1);
  ck_assert_int_eq(imsms_ctx_new(&fctx, &fm.mem, NULL, NULL, NULL), 0);
  ck_assert_int_eq(imsms_gba_ks_naf(fctx, ks, 32, rand, 16, impi, fqdn, 0, out),
                   0);
  fm.calls = 0;
  fm.failed = 0;
  fm.fail_at = 0;
  ck_assert_int_eq(imsms_gba_ks_naf(fctx, ks, 32, rand, 16, impi, fqdn, 0, out),
                   0);
  ck_assert_int_eq(fm.failed, 0);
  ck_assert_mem_eq(out, kat, 32);
  fm.fail_at = -1;
  imsms_ctx_del(fctx);
  ck_assert_int_eq(fm.live, 0);
}
END_TEST

static Suite *gba_suite(void) {
  Suite *s = suite_create("gba");
  TCase *tc = tcase_create("gba");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_s_string_by_hand);
  tcase_add_test(tc, test_ks_naf_against_hmac);
  tcase_add_test(tc, test_kdf_generic_equals_ks_naf);
  tcase_add_test(tc, test_rfc4231_tc2);
  tcase_add_test(tc, test_fc_forms);
  tcase_add_test(tc, test_kdf_limits);
  tcase_add_test(tc, test_kdf_errors);
  tcase_add_test(tc, test_ks_naf_errors);
  tcase_add_test(tc, test_ks_naf_failmalloc);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  Suite *s = gba_suite();

  return imsms_test_run(s, "gba");
}
