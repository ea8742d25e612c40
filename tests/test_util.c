/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "test_util.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int imsms_test_run(Suite *s, const char *name) {
  SRunner *sr = srunner_create(s);
  int failed, run;

  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  run = srunner_ntests_run(sr);
  if (fcntl(9, F_GETFD) != -1) {
    dprintf(9, "  %s: %d checks, %d failed\n", name, run, failed);
  }
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

imsms_ctx *imsms_test_ctx(void) {
  imsms_ctx *ctx = NULL;

  ck_assert_int_eq(imsms_ctx_new(&ctx, NULL, NULL, NULL, NULL), 0);
  ck_assert_ptr_nonnull(ctx);
  return ctx;
}

int imsms_test_all_zero(const void *p, size_t len) {
  const unsigned char *b = p;
  size_t i;

  for (i = 0; i < len; i++) {
    if (b[i]) {
      return 0;
    }
  }
  return 1;
}
