/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Allocation-failure sweeps: fail allocation N for N = 0, 1, 2, ... until
 * the operation succeeds; every failing run must report IMSMS_ERR_NOMEM
 * (or the documented mapping) and leave no block allocated.
 */
#include <string.h>

#include "det_provider.h"
#include "failmalloc.h"
#include "test_util.h"

/* Generous bound: a sweep that never succeeds is itself a failure. */
#define MAX_STEPS 1000

START_TEST(test_sweep_ctx_new) {
  const imsms_crypto_provider *cp = imsms_crypto_default();
  imsms_failmalloc fm;
  imsms_ctx *ctx;
  long n;
  int rv;

  for (n = 0; n < MAX_STEPS; n++) {
    imsms_failmalloc_init(&fm, n);
    ctx = NULL;
    rv = imsms_ctx_new(&ctx, &fm.mem, cp, NULL, NULL);
    if (rv == 0) {
      ck_assert_int_eq(fm.failed, 0);
      imsms_ctx_del(ctx);
      ck_assert_int_eq(fm.live, 0);
      break;
    }
    ck_assert_int_eq(rv, IMSMS_ERR_NOMEM);
    ck_assert_ptr_null(ctx);
    ck_assert_int_eq(fm.live, 0);
  }
  ck_assert_int_lt(n, MAX_STEPS);
  /* At least the context, the provider state and the self-test objects. */
  ck_assert_int_ge(n, 3);
}
END_TEST

/* Fail the Nth allocation counted from the start of one operation. */
static void arm(imsms_failmalloc *fm, long n) {
  fm->calls = 0;
  fm->failed = 0;
  fm->fail_at = n;
}

START_TEST(test_sweep_hmac) {
  imsms_det_provider dp;
  imsms_failmalloc fm;
  imsms_ctx *ctx;
  uint8_t out[32], expect[32];
  long n, failed;
  int rv;

  imsms_det_provider_init(&dp, 3);
  imsms_failmalloc_init(&fm, -1);
  ck_assert_int_eq(imsms_ctx_new(&ctx, &fm.mem, &dp.vt, NULL, NULL), 0);
  ck_assert_int_eq(imsms_hmac(ctx, IMSMS_HASH_SHA256, (const uint8_t *)"k", 1,
                              (const uint8_t *)"m", 1, expect, 32),
                   0);
  /* Warm: the HMAC context now waits in the pool, no allocation needed. */
  arm(&fm, 0);
  ck_assert_int_eq(imsms_hmac(ctx, IMSMS_HASH_SHA256, (const uint8_t *)"k", 1,
                              (const uint8_t *)"m", 1, out, 32),
                   0);
  ck_assert_int_eq(fm.failed, 0);
  arm(&fm, -1);
  imsms_ctx_del(ctx);
  /* Cold: a fresh context per round, its Nth allocation failing. */
  for (n = 0; n < MAX_STEPS; n++) {
    imsms_failmalloc_init(&fm, -1);
    ck_assert_int_eq(imsms_ctx_new(&ctx, &fm.mem, &dp.vt, NULL, NULL), 0);
    arm(&fm, n);
    memset(out, 0x77, sizeof(out));
    rv = imsms_hmac(ctx, IMSMS_HASH_SHA256, (const uint8_t *)"k", 1,
                    (const uint8_t *)"m", 1, out, 32);
    failed = fm.failed;
    arm(&fm, -1);
    imsms_ctx_del(ctx);
    ck_assert_int_eq(fm.live, 0);
    if (failed == 0) {
      ck_assert_int_eq(rv, 0);
      ck_assert_mem_eq(out, expect, 32);
      break;
    }
    ck_assert_int_eq(rv, IMSMS_ERR_NOMEM);
    ck_assert(imsms_test_all_zero(out, sizeof(out)));
  }
  ck_assert_int_lt(n, MAX_STEPS);
  ck_assert_int_ge(n, 1);
}
END_TEST

/* The deterministic provider's context under the same sweep. */
START_TEST(test_sweep_ctx_new_det) {
  imsms_det_provider dp;
  imsms_failmalloc fm;
  imsms_ctx *ctx;
  long n;
  int rv;

  imsms_det_provider_init(&dp, 5);
  for (n = 0; n < MAX_STEPS; n++) {
    imsms_failmalloc_init(&fm, n);
    ctx = NULL;
    rv = imsms_ctx_new(&ctx, &fm.mem, &dp.vt, NULL, NULL);
    ck_assert_int_eq(fm.live, rv == 0 ? fm.live : 0);
    if (rv == 0) {
      imsms_ctx_del(ctx);
      ck_assert_int_eq(fm.live, 0);
      break;
    }
    ck_assert_int_eq(rv, IMSMS_ERR_NOMEM);
  }
  ck_assert_int_lt(n, MAX_STEPS);
}
END_TEST

static Suite *failmalloc_suite(void) {
  Suite *s = suite_create("failmalloc");
  TCase *tc = tcase_create("sweeps");

  tcase_add_test(tc, test_sweep_ctx_new);
  tcase_add_test(tc, test_sweep_hmac);
  tcase_add_test(tc, test_sweep_ctx_new_det);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return imsms_test_run(failmalloc_suite(), "failmalloc"); }
