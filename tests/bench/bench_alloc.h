/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The benchmarks' allocation counter: malloc and friends interposed on
 * glibc (not under sanitizers), so every heap allocation of the library,
 * libcrypto and libsodium is counted. Include once, after the system and
 * OpenSSL headers.
 */
#ifndef IMSMS_BENCH_ALLOC_H
#define IMSMS_BENCH_ALLOC_H

/* ------------------------------------------------------------------ */
/* Allocation counter                                                  */

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || \
    __has_feature(thread_sanitizer)
#define BENCH_NO_INTERPOSE 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define BENCH_NO_INTERPOSE 1
#endif

#if defined(__GLIBC__) && !defined(BENCH_NO_INTERPOSE)
#define BENCH_COUNT_ALLOCS 1

/* glibc's own entry points, exported for malloc interposers. */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t nmemb, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void __libc_free(void *ptr);
/* In <malloc.h>, which is not included. */
void *memalign(size_t alignment, size_t size);

/* Per thread: allocations of the thread that runs the operation. */
static __thread unsigned long alloc_calls
    __attribute__((tls_model("initial-exec")));

void *malloc(size_t size) {
  alloc_calls++;
  return __libc_malloc(size);
}

void *calloc(size_t nmemb, size_t size) {
  alloc_calls++;
  return __libc_calloc(nmemb, size);
}

void *realloc(void *ptr, size_t size) {
  alloc_calls++;
  return __libc_realloc(ptr, size);
}

void free(void *ptr) { __libc_free(ptr); }

void *memalign(size_t alignment, size_t size) {
  alloc_calls++;
  return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
  alloc_calls++;
  return __libc_memalign(alignment, size);
}

int posix_memalign(void **memptr, size_t alignment, size_t size) {
  void *p;

  if (alignment == 0 || alignment % sizeof(void *) != 0 ||
      (alignment & (alignment - 1)) != 0) {
    return EINVAL;
  }
  alloc_calls++;
  p = __libc_memalign(alignment, size);
  if (p == NULL) {
    return ENOMEM;
  }
  *memptr = p;
  return 0;
}

static unsigned long allocs_now(void) { return alloc_calls; }
#else
static unsigned long allocs_now(void) { return 0; }
#endif

/* Set when the counter passed its self-check. */
static int allocs_ok;

/*
 * Proves the counter counts: a deliberate malloc here (through a
 * volatile pointer, so the compiler cannot drop the malloc/free pair)
 * and one inside libcrypto.so must each add exactly one.
 */
static int alloc_selfcheck(unsigned long *direct, unsigned long *shlib) {
  void *(*volatile mf)(size_t) = malloc;
  unsigned long c0, c1;
  void *p;

  c0 = allocs_now();
  p = mf(48);
  c1 = allocs_now();
  free(p);
  *direct = c1 - c0;
  c0 = allocs_now();
  p = CRYPTO_malloc(48, __FILE__, __LINE__);
  c1 = allocs_now();
  CRYPTO_free(p, __FILE__, __LINE__);
  *shlib = c1 - c0;
  return p != NULL && *direct == 1 && *shlib == 1;
}

#endif /* IMSMS_BENCH_ALLOC_H */
