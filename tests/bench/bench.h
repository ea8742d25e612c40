/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Timing helpers for the benchmarks (tests/bench): a monotonic clock and
 * "median of N runs of M iterations". Benchmarks may read the clock; the
 * library never does. Performance goals live here, as ratios against a
 * baseline measured in the same run, never in timed unit tests.
 *
 * Include this before any system header (it sets _POSIX_C_SOURCE for
 * clock_gettime under -std=c11).
 */
#ifndef IMSMS_BENCH_H
#define IMSMS_BENCH_H

#if !defined(_POSIX_C_SOURCE) || _POSIX_C_SOURCE < 200809L
#undef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

/* Nanoseconds from CLOCK_MONOTONIC. */
static inline uint64_t bench_now_ns(void) {
  struct timespec ts;

  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
    abort();
  }
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Runs the operation under test |iters| times; |arg| is its state. */
typedef void (*bench_fn)(void *arg, size_t iters);

typedef struct bench_cfg {
  int runs;            /* N: timed runs, the median is reported (max 101) */
  uint64_t min_run_ns; /* each run lasts at least this long */
} bench_cfg;

#define BENCH_MAX_RUNS 101

/* ns for one run of |iters| iterations. */
static inline uint64_t bench_time(bench_fn fn, void *arg, size_t iters) {
  uint64_t t0 = bench_now_ns();

  fn(arg, iters);
  return bench_now_ns() - t0;
}

/*
 * M: iterations per run so that one run lasts at least cfg->min_run_ns.
 * Doubles from 1; the calibration runs double as warm-up.
 */
static inline size_t bench_calibrate(bench_fn fn, void *arg,
                                     const bench_cfg *cfg) {
  size_t iters = 1;

  while (iters < ((size_t)1 << 30)) {
    uint64_t t = bench_time(fn, arg, iters);

    if (t >= cfg->min_run_ns) {
      break;
    }
    /* Jump close to the target once a run is long enough to trust. */
    if (t > 100000u) {
      double scale = (double)cfg->min_run_ns / (double)t;
      size_t next = (size_t)((double)iters * scale * 1.1) + 1;

      iters = next > iters ? next : iters * 2;
      (void)bench_time(fn, arg, iters); /* warm-up at the final size */
      break;
    }
    iters *= 2;
  }
  return iters;
}

static inline int bench_cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

/* Median of |n| values (sorted in place). */
static inline double bench_median(double *v, int n) {
  qsort(v, (size_t)n, sizeof(*v), bench_cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* Median over cfg->runs runs of ns per iteration. */
static inline double bench_measure(bench_fn fn, void *arg,
                                   const bench_cfg *cfg) {
  double v[BENCH_MAX_RUNS];
  size_t iters = bench_calibrate(fn, arg, cfg);
  int r;

  for (r = 0; r < cfg->runs; r++) {
    v[r] = (double)bench_time(fn, arg, iters) / (double)iters;
  }
  return bench_median(v, cfg->runs);
}

/*
 * Two operations timed in alternating runs (a, b, a, b, ...), so drift
 * in clock speed or machine load hits both alike. Writes both medians.
 */
static inline void bench_measure_pair(bench_fn fa, void *aa, bench_fn fb,
                                      void *ab, const bench_cfg *cfg,
                                      double *med_a, double *med_b) {
  double va[BENCH_MAX_RUNS], vb[BENCH_MAX_RUNS];
  size_t ia = bench_calibrate(fa, aa, cfg), ib = bench_calibrate(fb, ab, cfg);
  int r;

  for (r = 0; r < cfg->runs; r++) {
    va[r] = (double)bench_time(fa, aa, ia) / (double)ia;
    vb[r] = (double)bench_time(fb, ab, ib) / (double)ib;
  }
  *med_a = bench_median(va, cfg->runs);
  *med_b = bench_median(vb, cfg->runs);
}

#endif /* IMSMS_BENCH_H */
