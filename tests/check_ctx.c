/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Context creation and the provider gate: every missing member, every
 * wrong answer in the self-test, bad arguments, logging, and the
 * deterministic test provider.
 */
#include <stddef.h>
#include <string.h>

#include "core/ctx.h"
#include "crypto/provider.h"
#include "det_provider.h"
#include "failmalloc.h"
#include "test_util.h"

static imsms_crypto_provider broken;
static const imsms_crypto_provider *good;

static void setup(void) {
  good = imsms_crypto_default();
  memcpy(&broken, good, sizeof(broken));
}

START_TEST(test_default_ctx) {
  imsms_ctx *ctx = NULL;
  int marker;

  ck_assert_int_eq(imsms_ctx_new(&ctx, NULL, NULL, NULL, &marker), 0);
  ck_assert_ptr_eq(imsms_ctx_get_provider(ctx), imsms_crypto_default());
  ck_assert_str_eq(imsms_ctx_get_provider(ctx)->name, "openssl3+libsodium");
  ck_assert_ptr_eq(imsms_ctx_get_user_data(ctx), &marker);
  imsms_ctx_del(ctx);
  imsms_ctx_del(NULL);
  ck_assert_ptr_null(imsms_ctx_get_provider(NULL));
  ck_assert_ptr_null(imsms_ctx_get_user_data(NULL));
  ck_assert_int_eq(imsms_crypto_selftest(imsms_crypto_default()), 0);
}
END_TEST

START_TEST(test_bad_arguments) {
  imsms_ctx *ctx = (imsms_ctx *)&ctx;
  imsms_failmalloc fm;

  ck_assert_int_eq(imsms_ctx_new(NULL, NULL, NULL, NULL, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  imsms_failmalloc_init(&fm, -1);
  fm.mem.calloc = NULL;
  ck_assert_int_eq(imsms_ctx_new(&ctx, &fm.mem, NULL, NULL, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_ptr_eq(ctx, (imsms_ctx *)&ctx);
  ck_assert_int_eq(imsms_crypto_selftest(NULL), IMSMS_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(test_provider_version) {
  imsms_ctx *ctx = NULL;

  broken.version = 0;
  ck_assert_int_eq(imsms_ctx_new(&ctx, NULL, &broken, NULL, NULL),
                   IMSMS_ERR_PROVIDER_VERSION);
  broken.version = IMSMS_CRYPTO_PROVIDER_VERSION + 1;
  ck_assert_int_eq(imsms_ctx_new(&ctx, NULL, &broken, NULL, NULL),
                   IMSMS_ERR_PROVIDER_VERSION);
  ck_assert_int_eq(imsms_crypto_selftest(&broken),
                   IMSMS_ERR_PROVIDER_VERSION);
  ck_assert_ptr_null(ctx);
}
END_TEST

/* Byte offsets of every required function member. */
static const size_t required[] = {
    offsetof(imsms_crypto_provider, random),
    offsetof(imsms_crypto_provider, hmac_new),
    offsetof(imsms_crypto_provider, hmac_setkey),
    offsetof(imsms_crypto_provider, hmac_update),
    offsetof(imsms_crypto_provider, hmac_final),
    offsetof(imsms_crypto_provider, hmac_del),
    offsetof(imsms_crypto_provider, sha256),
    offsetof(imsms_crypto_provider, aes_new),
    offsetof(imsms_crypto_provider, aes_setkey),
    offsetof(imsms_crypto_provider, aes_ctr),
    offsetof(imsms_crypto_provider, aes_del),
    offsetof(imsms_crypto_provider, aes_kw_wrap),
    offsetof(imsms_crypto_provider, aes_kw_unwrap),
};

START_TEST(test_provider_missing_member) {
  size_t off = required[_i];
  imsms_ctx *ctx = NULL;

  memset((char *)&broken + off, 0, sizeof(void (*)(void)));
  ck_assert_int_eq(imsms_ctx_new(&ctx, NULL, &broken, NULL, NULL),
                   IMSMS_ERR_PROVIDER_INCOMPLETE);
  ck_assert_int_eq(imsms_crypto_selftest(&broken),
                   IMSMS_ERR_PROVIDER_INCOMPLETE);
  ck_assert_ptr_null(ctx);
}
END_TEST

START_TEST(test_provider_missing_name_or_half_secure_mem) {
  imsms_ctx *ctx = NULL;

  broken.name = NULL;
  ck_assert_int_eq(imsms_ctx_new(&ctx, NULL, &broken, NULL, NULL),
                   IMSMS_ERR_PROVIDER_INCOMPLETE);
  broken.name = "half";
  broken.secure_free = NULL;
  ck_assert_int_eq(imsms_ctx_new(&ctx, NULL, &broken, NULL, NULL),
                   IMSMS_ERR_PROVIDER_INCOMPLETE);
  /* Neither secure member is fine: the context allocator stands in. */
  broken.secure_alloc = NULL;
  ck_assert_int_eq(imsms_ctx_new(&ctx, NULL, &broken, NULL, NULL), 0);
  imsms_ctx_del(ctx);
}
END_TEST

/* --- providers that give wrong answers ---------------------------------- */

static int bad_hmac_final(imsms_crypto_hmac *h, uint8_t *out) {
  int rv = good->hmac_final(h, out);

  out[3] ^= 0x10;
  return rv;
}

/* Keys with a constant: right shape, wrong MAC. */
static int bad_hmac_setkey(imsms_crypto_hmac *h, const uint8_t *key,
                           size_t keylen) {
  static const uint8_t k[4] = {'J', 'e', 'f', 'f'};

  (void)key;
  (void)keylen;
  return good->hmac_setkey(h, k, sizeof(k));
}

/* Forgets the key after the first message (breaks keyed-context reuse). */
static int forgetful_hmac_final(imsms_crypto_hmac *h, uint8_t *out) {
  static const uint8_t other[1] = {0};
  int rv = good->hmac_final(h, out);

  good->hmac_setkey(h, other, sizeof(other));
  return rv;
}

static int bad_sha256(void *st, const uint8_t *in, size_t inlen,
                      uint8_t *out) {
  int rv = good->sha256(st, in, inlen, out);

  out[31] ^= 1;
  return rv;
}

/* "Encrypts" by copying. */
static int bad_aes_ctr(imsms_crypto_aes *aes, const uint8_t *iv,
                       const uint8_t *in, uint8_t *out, size_t len) {
  (void)aes;
  (void)iv;
  memmove(out, in, len);
  return 0;
}

/* Unwraps without checking the integrity value. */
static int unchecked_kw_unwrap(void *st, const uint8_t *kek, size_t keklen,
                               const uint8_t *iv, const uint8_t *in,
                               size_t inlen, uint8_t *out) {
  static const uint8_t a6[8] = {0xa6, 0xa6, 0xa6, 0xa6,
                                0xa6, 0xa6, 0xa6, 0xa6};
  int rv = good->aes_kw_unwrap(st, kek, keklen, iv, in, inlen, out);

  (void)a6;
  return rv == IMSMS_ERR_KEYWRAP_INTEGRITY ? 0 : rv;
}

static int stuck_random(void *st, uint8_t *out, size_t len) {
  (void)st;
  memset(out, 0x42, len);
  return 0;
}

static int failing_random(void *st, uint8_t *out, size_t len) {
  (void)st;
  (void)out;
  (void)len;
  return IMSMS_ERR_RNG;
}

static int log_lines;
static char last_log[256];

static void capture_log(imsms_log_level level, const char *msg, void *ud) {
  (void)ud;
  ck_assert_int_le(level, IMSMS_LOG_DEBUG);
  log_lines++;
  strncpy(last_log, msg, sizeof(last_log) - 1);
}

static void expect_selftest_refusal(void) {
  imsms_ctx *ctx = NULL;

  log_lines = 0;
  last_log[0] = '\0';
  ck_assert_int_eq(imsms_ctx_new(&ctx, NULL, &broken, capture_log, NULL),
                   IMSMS_ERR_SELFTEST);
  ck_assert_ptr_null(ctx);
  ck_assert_int_eq(log_lines, 1);
  ck_assert_ptr_nonnull(strstr(last_log, "refused"));
  ck_assert_int_eq(imsms_crypto_selftest(&broken), IMSMS_ERR_SELFTEST);
}

START_TEST(test_selftest_refuses_wrong_hmac) {
  broken.hmac_final = bad_hmac_final;
  expect_selftest_refusal();
}
END_TEST

START_TEST(test_selftest_refuses_hmac_ignoring_key) {
  broken.hmac_setkey = bad_hmac_setkey;
  expect_selftest_refusal();
}
END_TEST

START_TEST(test_selftest_refuses_hmac_without_reuse) {
  broken.hmac_final = forgetful_hmac_final;
  expect_selftest_refusal();
}
END_TEST

START_TEST(test_selftest_refuses_wrong_sha256) {
  broken.sha256 = bad_sha256;
  expect_selftest_refusal();
}
END_TEST

START_TEST(test_selftest_refuses_wrong_aes) {
  broken.aes_ctr = bad_aes_ctr;
  expect_selftest_refusal();
}
END_TEST

START_TEST(test_selftest_refuses_unchecked_unwrap) {
  broken.aes_kw_unwrap = unchecked_kw_unwrap;
  expect_selftest_refusal();
}
END_TEST

START_TEST(test_selftest_refuses_stuck_rng) {
  broken.random = stuck_random;
  expect_selftest_refusal();
  broken.random = failing_random;
  expect_selftest_refusal();
}
END_TEST

static int failing_init(const imsms_crypto_provider *self,
                        const imsms_mem *mem, void **pstate) {
  (void)self;
  (void)mem;
  (void)pstate;
  return -1;
}

START_TEST(test_provider_init_failure) {
  imsms_ctx *ctx = NULL;
  imsms_failmalloc fm;

  imsms_failmalloc_init(&fm, -1);
  broken.init = failing_init;
  broken.cleanup = NULL;
  ck_assert_int_eq(imsms_ctx_new(&ctx, &fm.mem, &broken, NULL, NULL),
                   IMSMS_ERR_CRYPTO);
  ck_assert_ptr_null(ctx);
  ck_assert_int_eq(fm.live, 0);
}
END_TEST

START_TEST(test_log_level) {
  imsms_ctx *ctx = NULL;

  log_lines = 0;
  ck_assert_int_eq(imsms_ctx_new(&ctx, NULL, NULL, capture_log, NULL), 0);
  /* The default level (INFO) hides the DEBUG line of a successful start. */
  ck_assert_int_eq(log_lines, 0);
  imsms_ctx_set_log_level(ctx, (imsms_log_level)42);
  ck_assert_int_eq(ctx->log_level, IMSMS_LOG_DEBUG);
  imsms_ctx_set_log_level(ctx, (imsms_log_level)-3);
  ck_assert_int_eq(ctx->log_level, IMSMS_LOG_ERROR);
  imsms_log(ctx, IMSMS_LOG_WARN, "hidden %d", 1);
  ck_assert_int_eq(log_lines, 0);
  imsms_log(ctx, IMSMS_LOG_ERROR, "shown %d", 2);
  ck_assert_int_eq(log_lines, 1);
  ck_assert_str_eq(last_log, "shown 2");
  imsms_ctx_set_log_level(NULL, IMSMS_LOG_DEBUG);
  imsms_ctx_del(ctx);
}
END_TEST

START_TEST(test_random_and_hmac_arguments) {
  imsms_ctx *ctx = imsms_test_ctx();
  uint8_t buf[40], zero[40] = {0};

  ck_assert_int_eq(imsms_random(NULL, buf, 1), IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_random(ctx, NULL, 1), IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_random(ctx, NULL, 0), 0);
  ck_assert_int_eq(imsms_random(ctx, buf, sizeof(buf)), 0);
  ck_assert(memcmp(buf, zero, sizeof(buf)) != 0);

  ck_assert_int_eq(imsms_hmac(NULL, IMSMS_HASH_SHA1, buf, 1, buf, 1, buf, 20),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_hmac(ctx, IMSMS_HASH_SHA1, buf, 1, buf, 1, buf, 0),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_hmac(ctx, IMSMS_HASH_SHA1, NULL, 1, buf, 1, buf, 20),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_hmac(ctx, IMSMS_HASH_SHA1, buf, 1, NULL, 1, buf, 20),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_hmac(ctx, IMSMS_HASH_SHA1, buf, 1, buf, 1, NULL, 20),
                   IMSMS_ERR_INVALID_ARGUMENT);
  memset(buf, 0x55, sizeof(buf));
  ck_assert_int_eq(imsms_hmac(ctx, 7, buf, 16, buf, 16, buf, 20),
                   IMSMS_ERR_UNSUPPORTED_ALG);
  ck_assert(imsms_test_all_zero(buf, 20));
  memset(buf, 0x55, sizeof(buf));
  ck_assert_int_eq(
      imsms_hmac(ctx, IMSMS_HASH_SHA1, buf, 16, buf, 16, buf, 21),
      IMSMS_ERR_KEY_LENGTH);
  ck_assert(imsms_test_all_zero(buf, 21));
  imsms_ctx_del(ctx);
}
END_TEST

START_TEST(test_secret_memory) {
  imsms_det_provider dp;
  imsms_failmalloc fm;
  imsms_ctx *ctx = imsms_test_ctx();
  uint8_t *p;

  /* Default provider: libsodium guarded memory. */
  p = imsms_secret_alloc(ctx, 32);
  ck_assert_ptr_nonnull(p);
  memset(p, 0x11, 32);
  imsms_secret_free(ctx, p, 32);
  imsms_secret_free(ctx, NULL, 32);
  imsms_ctx_del(ctx);

  /* No secure allocator: the context allocator, wiped on free. */
  imsms_det_provider_init(&dp, 1);
  imsms_failmalloc_init(&fm, -1);
  ck_assert_int_eq(imsms_ctx_new(&ctx, &fm.mem, &dp.vt, NULL, NULL), 0);
  {
    long before = fm.live;

    p = imsms_secret_alloc(ctx, 32);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(fm.live, before + 1);
    imsms_secret_free(ctx, p, 32);
    ck_assert_int_eq(fm.live, before);
  }
  imsms_ctx_del(ctx);
  ck_assert_int_eq(fm.live, 0);
}
END_TEST

START_TEST(test_deterministic_provider) {
  imsms_det_provider a, b;
  imsms_ctx *ca, *cb;
  uint8_t ra[80], rb[80];

  imsms_det_provider_init(&a, 7);
  imsms_det_provider_init(&b, 7);
  ck_assert_int_eq(imsms_ctx_new(&ca, NULL, &a.vt, NULL, NULL), 0);
  ck_assert_int_eq(imsms_ctx_new(&cb, NULL, &b.vt, NULL, NULL), 0);
  ck_assert_int_eq(imsms_random(ca, ra, sizeof(ra)), 0);
  ck_assert_int_eq(imsms_random(cb, rb, sizeof(rb)), 0);
  ck_assert_mem_eq(ra, rb, sizeof(ra));
  imsms_ctx_del(cb);
  imsms_det_provider_init(&b, 8);
  ck_assert_int_eq(imsms_ctx_new(&cb, NULL, &b.vt, NULL, NULL), 0);
  ck_assert_int_eq(imsms_random(cb, rb, sizeof(rb)), 0);
  ck_assert(memcmp(ra, rb, sizeof(ra)) != 0);
  imsms_ctx_del(ca);
  imsms_ctx_del(cb);
}
END_TEST

/*
 * The crypto object pool never keeps a secret after an API call: with
 * immediate release a pooled HMAC object holds the empty key at once;
 * inside a defer bracket it stays keyed (cheap reuse) until the
 * outermost settle, which leaves every pooled object holding the empty
 * key (so an HMAC computed with it equals HMAC-SHA-256 under no key).
 */
static void mac_with(imsms_ctx *ctx, imsms_crypto_hmac *h, uint8_t out[32]) {
  ck_assert_int_eq(ctx->cp->hmac_update(h, (const uint8_t *)"x", 1), 0);
  ck_assert_int_eq(ctx->cp->hmac_final(h, out), 0);
}

START_TEST(test_pool_wipes) {
  static const uint8_t secret[32] = "a secret HMAC key of 32 bytes..";
  uint8_t want_empty[32], got[32];
  imsms_crypto_hmac *h, *h2;
  imsms_ctx *ctx = imsms_test_ctx();

  ck_assert_int_eq(imsms_hmac(ctx, IMSMS_HASH_SHA256, (const uint8_t *)"", 0,
                              (const uint8_t *)"x", 1, want_empty, 32),
                   0);
  /* Immediate: wiped on release. */
  ck_assert_int_eq(imsms_hmac_acquire(ctx, IMSMS_HASH_SHA256, &h), 0);
  ck_assert_int_eq(ctx->cp->hmac_setkey(h, secret, sizeof(secret)), 0);
  imsms_hmac_release(ctx, IMSMS_HASH_SHA256, h);
  ck_assert_int_eq(imsms_hmac_acquire(ctx, IMSMS_HASH_SHA256, &h2), 0);
  ck_assert_ptr_eq(h2, h);
  mac_with(ctx, h2, got);
  ck_assert_mem_eq(got, want_empty, 32);
  /* Deferred, nested: still keyed inside, wiped by the outer settle. */
  imsms_crypto_pool_defer(ctx);
  imsms_crypto_pool_defer(ctx);
  ck_assert_int_eq(ctx->cp->hmac_setkey(h2, secret, sizeof(secret)), 0);
  imsms_hmac_release(ctx, IMSMS_HASH_SHA256, h2);
  ck_assert_uint_eq(ctx->pool.hmac_dirty[1][ctx->pool.nhmac[1] - 1], 1);
  imsms_crypto_pool_settle(ctx);
  ck_assert_uint_eq(ctx->pool.hmac_dirty[1][ctx->pool.nhmac[1] - 1], 1);
  imsms_crypto_pool_settle(ctx);
  ck_assert_uint_eq(ctx->pool.hmac_dirty[1][ctx->pool.nhmac[1] - 1], 0);
  ck_assert_int_eq(imsms_hmac_acquire(ctx, IMSMS_HASH_SHA256, &h), 0);
  mac_with(ctx, h, got);
  ck_assert_mem_eq(got, want_empty, 32);
  imsms_hmac_release(ctx, IMSMS_HASH_SHA256, h);
  /* An unmatched settle changes nothing. */
  imsms_crypto_pool_settle(ctx);
  ck_assert_int_eq(ctx->pool.defer, 0);
  imsms_ctx_del(ctx);
}
END_TEST

static Suite *ctx_suite(void) {
  Suite *s = suite_create("ctx");
  TCase *tc = tcase_create("provider gate");

  tcase_add_checked_fixture(tc, setup, NULL);
  tcase_add_test(tc, test_default_ctx);
  tcase_add_test(tc, test_pool_wipes);
  tcase_add_test(tc, test_bad_arguments);
  tcase_add_test(tc, test_provider_version);
  tcase_add_loop_test(tc, test_provider_missing_member, 0,
                      (int)(sizeof(required) / sizeof(required[0])));
  tcase_add_test(tc, test_provider_missing_name_or_half_secure_mem);
  tcase_add_test(tc, test_selftest_refuses_wrong_hmac);
  tcase_add_test(tc, test_selftest_refuses_hmac_ignoring_key);
  tcase_add_test(tc, test_selftest_refuses_hmac_without_reuse);
  tcase_add_test(tc, test_selftest_refuses_wrong_sha256);
  tcase_add_test(tc, test_selftest_refuses_wrong_aes);
  tcase_add_test(tc, test_selftest_refuses_unchecked_unwrap);
  tcase_add_test(tc, test_selftest_refuses_stuck_rng);
  tcase_add_test(tc, test_provider_init_failure);
  tcase_add_test(tc, test_log_level);
  tcase_add_test(tc, test_random_and_hmac_arguments);
  tcase_add_test(tc, test_secret_memory);
  tcase_add_test(tc, test_deterministic_provider);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return imsms_test_run(ctx_suite(), "ctx"); }
