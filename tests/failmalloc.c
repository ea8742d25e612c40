/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "failmalloc.h"

#include <stdlib.h>

static int should_fail(imsms_failmalloc *fm) {
  long n = fm->calls++;

  if (fm->fail_at >= 0 && n == fm->fail_at) {
    fm->failed++;
    return 1;
  }
  return 0;
}

static void *fm_malloc(size_t size, void *ud) {
  imsms_failmalloc *fm = ud;
  void *p;

  if (should_fail(fm)) {
    return NULL;
  }
  p = malloc(size);
  if (p) {
    fm->live++;
  }
  return p;
}

static void *fm_calloc(size_t n, size_t size, void *ud) {
  imsms_failmalloc *fm = ud;
  void *p;

  if (should_fail(fm)) {
    return NULL;
  }
  p = calloc(n, size);
  if (p) {
    fm->live++;
  }
  return p;
}

static void *fm_realloc(void *ptr, size_t size, void *ud) {
  imsms_failmalloc *fm = ud;
  void *p;

  if (should_fail(fm)) {
    return NULL;
  }
  p = realloc(ptr, size);
  if (p && ptr == NULL) {
    fm->live++;
  }
  return p;
}

static void fm_free(void *ptr, void *ud) {
  imsms_failmalloc *fm = ud;

  if (ptr) {
    fm->live--;
  }
  free(ptr);
}

void imsms_failmalloc_init(imsms_failmalloc *fm, long fail_at) {
  fm->mem.user_data = fm;
  fm->mem.malloc = fm_malloc;
  fm->mem.free = fm_free;
  fm->mem.calloc = fm_calloc;
  fm->mem.realloc = fm_realloc;
  fm->fail_at = fail_at;
  fm->calls = 0;
  fm->live = 0;
  fm->failed = 0;
}
