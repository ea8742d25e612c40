/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "det_provider.h"

#include <string.h>

#include "core/mem.h"
#include "crypto/default_int.h"

/* The default state must come first: the borrowed members cast to it. */
typedef struct det_state {
  imsms_default_state inner;
  uint64_t seed;
  uint64_t counter;
} det_state;

static int det_init(const imsms_crypto_provider *self, const imsms_mem *mem,
                    void **pstate) {
  const imsms_det_provider *dp = (const imsms_det_provider *)self;
  det_state *st = imsms_mem_calloc(mem, 1, sizeof(*st));
  int rv;

  if (st == NULL) {
    return IMSMS_ERR_NOMEM;
  }
  st->inner.mem = mem;
  st->seed = dp->seed;
  rv = imsms_default_ossl_fetch(&st->inner);
  if (rv != 0) {
    imsms_default_ossl_release(&st->inner);
    imsms_mem_free(mem, st);
    return rv;
  }
  *pstate = st;
  return 0;
}

static void det_cleanup(void *state) {
  det_state *st = state;

  imsms_default_ossl_release(&st->inner);
  imsms_mem_free(st->inner.mem, st);
}

static int det_random(void *state, uint8_t *out, size_t len) {
  det_state *st = state;
  uint8_t in[16], block[IMSMS_SHA256_LEN];
  size_t n;
  int i;

  while (len) {
    for (i = 0; i < 8; i++) {
      in[i] = (uint8_t)(st->seed >> (56 - 8 * i));
      in[8 + i] = (uint8_t)(st->counter >> (56 - 8 * i));
    }
    st->counter++;
    if (imsms_default_sha256(&st->inner, in, sizeof(in), block) != 0) {
      return IMSMS_ERR_RNG;
    }
    n = len < sizeof(block) ? len : sizeof(block);
    memcpy(out, block, n);
    out += n;
    len -= n;
  }
  return 0;
}

void imsms_det_provider_init(imsms_det_provider *dp, uint64_t seed) {
  memcpy(&dp->vt, imsms_crypto_default(), sizeof(dp->vt));
  dp->vt.name = "deterministic-test";
  dp->vt.init = det_init;
  dp->vt.cleanup = det_cleanup;
  dp->vt.random = det_random;
  /* Plain allocator memory: tests count it with failmalloc. */
  dp->vt.secure_alloc = NULL;
  dp->vt.secure_free = NULL;
  dp->seed = seed;
}
