/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * An imsms_mem that fails the Nth allocation and counts live blocks, for
 * allocation-failure sweeps: run an operation with N = 0, 1, 2, ... until
 * it succeeds, and check after each run that nothing is left allocated.
 */
#ifndef IMSMS_TEST_FAILMALLOC_H
#define IMSMS_TEST_FAILMALLOC_H

#include <imsmediasec/imsmediasec.h>

typedef struct imsms_failmalloc {
  imsms_mem mem;
  /* Index of the allocation to fail (0 = the first); negative: never. */
  long fail_at;
  /* Allocations attempted so far. */
  long calls;
  /* Blocks allocated and not yet freed. */
  long live;
  /* Allocations made to fail. */
  long failed;
} imsms_failmalloc;

/* Sets up |fm| to fail allocation number |fail_at| (negative: none). */
void imsms_failmalloc_init(imsms_failmalloc *fm, long fail_at);

#endif /* IMSMS_TEST_FAILMALLOC_H */
