/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The context as the layers above see it: allocator, provider and its
 * state, logging, and memory for long-lived secrets.
 */
#ifndef IMSMS_CORE_CTX_H
#define IMSMS_CORE_CTX_H

#include <imsmediasec/imsmediasec.h>

/*
 * Idle provider objects kept for reuse: creating an OpenSSL HMAC context
 * costs about as much as two HMACs of a short message, and a KMS computes
 * a score of them per request. Pooled objects are re-keyed with an empty
 * key before they go idle, so no secret waits in the pool: at once, or,
 * inside an imsms_crypto_pool_defer() / imsms_crypto_pool_settle()
 * bracket around one API call (the KMS engine's message), once per
 * object at the end of the call instead of once per use.
 */
#define IMSMS_POOL_SIZE 8

typedef struct imsms_crypto_pool {
  imsms_crypto_hmac *hmac[2][IMSMS_POOL_SIZE]; /* [SHA-1, SHA-256] */
  uint8_t hmac_dirty[2][IMSMS_POOL_SIZE];      /* keyed, not wiped yet */
  size_t nhmac[2];
  imsms_crypto_aes *aes[IMSMS_POOL_SIZE];
  uint8_t aes_dirty[IMSMS_POOL_SIZE];
  size_t naes;
  int defer; /* depth of defer brackets */
} imsms_crypto_pool;

struct imsms_ctx {
  imsms_mem mem;
  const imsms_crypto_provider *cp;
  /* Per-context provider state from cp->init(); may be NULL. */
  void *cstate;
  imsms_crypto_pool pool;
  imsms_log_callback log_cb;
  void *user_data;
  imsms_log_level log_level;
};

/*
 * Memory for a long-lived secret of |len| bytes: the provider's guarded
 * memory when it has some, the context allocator otherwise. Returns NULL
 * when out of memory.
 */
void *imsms_secret_alloc(imsms_ctx *ctx, size_t len);

/* Wipes and releases memory from imsms_secret_alloc(). NULL is ignored. */
void imsms_secret_free(imsms_ctx *ctx, void *ptr, size_t len);

/*
 * Formats a log line and passes it to the log callback when |level| is
 * enabled. Callers never pass secret material.
 */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
void imsms_log(const imsms_ctx *ctx, imsms_log_level level, const char *fmt,
               ...);

#endif /* IMSMS_CORE_CTX_H */
