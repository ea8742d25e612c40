/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Shared by the Check suites.
 */
#ifndef IMSMS_TEST_UTIL_H
#define IMSMS_TEST_UTIL_H

#include <check.h>

#include <imsmediasec/imsmediasec.h>

/*
 * Runs |s| (called |name| in the summary) and returns the process exit status. The summary line also
 * goes to fd 9 when the test harness opened it (see Makefile.am).
 */
int imsms_test_run(Suite *s, const char *name);

/* A context with the default provider and libc allocator; fails the test otherwise. */
imsms_ctx *imsms_test_ctx(void);

/* Nonzero when all |len| bytes at |p| are zero. */
int imsms_test_all_zero(const void *p, size_t len);

#endif /* IMSMS_TEST_UTIL_H */
