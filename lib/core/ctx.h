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

struct imsms_ctx {
  imsms_mem mem;
  const imsms_crypto_provider *cp;
  /* Per-context provider state from cp->init(); may be NULL. */
  void *cstate;
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
