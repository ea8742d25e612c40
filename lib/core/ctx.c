/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "core/ctx.h"

#include <stdarg.h>
#include <stdio.h>

#include "core/mem.h"
#include "crypto/provider.h"

/* see imsmediasec/imsmediasec.h */
int imsms_ctx_new(imsms_ctx **pctx, const imsms_mem *mem,
                  const imsms_crypto_provider *provider,
                  imsms_log_callback log_cb, void *user_data) {
  imsms_ctx *ctx;
  int rv;

  if (pctx == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (mem == NULL) {
    mem = imsms_mem_default();
  } else if (!imsms_mem_is_complete(mem)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (provider == NULL) {
    provider = imsms_crypto_default();
  }
  rv = imsms_crypto_provider_check(provider);
  if (rv != 0) {
    return rv;
  }

  ctx = imsms_mem_calloc(mem, 1, sizeof(*ctx));
  if (ctx == NULL) {
    return IMSMS_ERR_NOMEM;
  }
  ctx->mem = *mem;
  ctx->cp = provider;
  ctx->log_cb = log_cb;
  ctx->user_data = user_data;
  ctx->log_level = IMSMS_LOG_INFO;

  /* The provider state keeps a pointer to ctx->mem, which lives as long. */
  rv = imsms_crypto_provider_start(provider, &ctx->mem, &ctx->cstate);
  if (rv != 0) {
    imsms_mem_free(mem, ctx);
    return rv;
  }
  rv = imsms_crypto_provider_selftest(provider, ctx->cstate);
  if (rv != 0) {
    imsms_log(ctx, IMSMS_LOG_ERROR, "crypto provider %s refused: %s",
              provider->name, imsms_strerror(rv));
    imsms_ctx_del(ctx);
    return rv;
  }
  imsms_log(ctx, IMSMS_LOG_DEBUG, "context ready, crypto provider %s",
            provider->name);
  *pctx = ctx;
  return 0;
}

/* see imsmediasec/imsmediasec.h */
void imsms_ctx_del(imsms_ctx *ctx) {
  imsms_mem mem;

  if (ctx == NULL) {
    return;
  }
  imsms_crypto_pool_drain(ctx);
  if (ctx->cp->cleanup) {
    ctx->cp->cleanup(ctx->cstate);
  }
  mem = ctx->mem;
  imsms_mem_free_clear(&mem, ctx, sizeof(*ctx));
}

/* see imsmediasec/imsmediasec.h */
const imsms_crypto_provider *imsms_ctx_get_provider(const imsms_ctx *ctx) {
  return ctx ? ctx->cp : NULL;
}

/* see imsmediasec/imsmediasec.h */
void *imsms_ctx_get_user_data(const imsms_ctx *ctx) {
  return ctx ? ctx->user_data : NULL;
}

/* see imsmediasec/imsmediasec.h */
void imsms_ctx_set_log_level(imsms_ctx *ctx, imsms_log_level level) {
  if (ctx == NULL) {
    return;
  }
  if ((int)level < (int)IMSMS_LOG_ERROR) {
    level = IMSMS_LOG_ERROR;
  } else if ((int)level > (int)IMSMS_LOG_DEBUG) {
    level = IMSMS_LOG_DEBUG;
  }
  ctx->log_level = level;
}

void *imsms_secret_alloc(imsms_ctx *ctx, size_t len) {
  if (ctx->cp->secure_alloc) {
    return ctx->cp->secure_alloc(ctx->cstate, len);
  }
  return imsms_mem_malloc(&ctx->mem, len);
}

void imsms_secret_free(imsms_ctx *ctx, void *ptr, size_t len) {
  if (ptr == NULL) {
    return;
  }
  if (ctx->cp->secure_free) {
    ctx->cp->secure_free(ctx->cstate, ptr, len);
    return;
  }
  imsms_mem_free_clear(&ctx->mem, ptr, len);
}

void imsms_log(const imsms_ctx *ctx, imsms_log_level level, const char *fmt,
               ...) {
  char line[256];
  va_list ap;

  if (ctx->log_cb == NULL || level > ctx->log_level) {
    return;
  }
  va_start(ap, fmt);
  /* Formatting into a buffer is not I/O: the callback decides where it goes. */
  vsnprintf(line, sizeof(line), fmt, ap);
  va_end(ap);
  ctx->log_cb(level, line, ctx->user_data);
}
