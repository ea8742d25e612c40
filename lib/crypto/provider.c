/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "crypto/provider.h"

#include <string.h>

#include "core/ctx.h"
#include "core/mem.h"

static size_t pool_slot(int alg) { return alg == IMSMS_HASH_SHA1 ? 0 : 1; }

static int map_error(int rv) {
  return rv == 0 || rv == IMSMS_ERR_NOMEM || rv == IMSMS_ERR_UNSUPPORTED_ALG
             ? rv
             : IMSMS_ERR_CRYPTO;
}

int imsms_hmac_acquire(imsms_ctx *ctx, int alg, imsms_crypto_hmac **ph) {
  imsms_crypto_pool *pool = &ctx->pool;
  size_t slot = pool_slot(alg);

  if (imsms_hash_len(alg) == 0) {
    return IMSMS_ERR_UNSUPPORTED_ALG;
  }
  if (pool->nhmac[slot]) {
    *ph = pool->hmac[slot][--pool->nhmac[slot]];
    return 0;
  }
  return map_error(ctx->cp->hmac_new(ctx->cstate, ph, (imsms_hash_alg)alg));
}

/* An empty key replaces the last one, so the pool holds no secret. */
static int hmac_wipe(imsms_ctx *ctx, imsms_crypto_hmac *h) {
  static const uint8_t empty[1];

  return ctx->cp->hmac_setkey(h, empty, 0);
}

static int aes_wipe(imsms_ctx *ctx, imsms_crypto_aes *a) {
  static const uint8_t zero[16];

  return ctx->cp->aes_setkey(a, zero, sizeof(zero));
}

void imsms_hmac_release(imsms_ctx *ctx, int alg, imsms_crypto_hmac *h) {
  imsms_crypto_pool *pool = &ctx->pool;
  size_t slot = pool_slot(alg);

  if (h == NULL) {
    return;
  }
  if (pool->nhmac[slot] < IMSMS_POOL_SIZE &&
      (pool->defer || hmac_wipe(ctx, h) == 0)) {
    pool->hmac_dirty[slot][pool->nhmac[slot]] = pool->defer != 0;
    pool->hmac[slot][pool->nhmac[slot]++] = h;
    return;
  }
  ctx->cp->hmac_del(h);
}

int imsms_aes_acquire(imsms_ctx *ctx, imsms_crypto_aes **pa) {
  imsms_crypto_pool *pool = &ctx->pool;

  if (pool->naes) {
    *pa = pool->aes[--pool->naes];
    return 0;
  }
  return map_error(ctx->cp->aes_new(ctx->cstate, pa));
}

void imsms_aes_release(imsms_ctx *ctx, imsms_crypto_aes *a) {
  imsms_crypto_pool *pool = &ctx->pool;

  if (a == NULL) {
    return;
  }
  if (pool->naes < IMSMS_POOL_SIZE && (pool->defer || aes_wipe(ctx, a) == 0)) {
    pool->aes_dirty[pool->naes] = pool->defer != 0;
    pool->aes[pool->naes++] = a;
    return;
  }
  ctx->cp->aes_del(a);
}

void imsms_crypto_pool_defer(imsms_ctx *ctx) {
  ctx->pool.defer++;
}

/* Wipes (or, failing that, deletes) the dirty objects of one stack. */
static void settle_hmac(imsms_ctx *ctx, size_t slot) {
  imsms_crypto_pool *pool = &ctx->pool;
  size_t i, n = 0;

  for (i = 0; i < pool->nhmac[slot]; i++) {
    imsms_crypto_hmac *h = pool->hmac[slot][i];

    if (pool->hmac_dirty[slot][i] && hmac_wipe(ctx, h) != 0) {
      ctx->cp->hmac_del(h);
      continue;
    }
    pool->hmac_dirty[slot][n] = 0;
    pool->hmac[slot][n++] = h;
  }
  pool->nhmac[slot] = n;
}

static void settle_aes(imsms_ctx *ctx) {
  imsms_crypto_pool *pool = &ctx->pool;
  size_t i, n = 0;

  for (i = 0; i < pool->naes; i++) {
    imsms_crypto_aes *a = pool->aes[i];

    if (pool->aes_dirty[i] && aes_wipe(ctx, a) != 0) {
      ctx->cp->aes_del(a);
      continue;
    }
    pool->aes_dirty[n] = 0;
    pool->aes[n++] = a;
  }
  pool->naes = n;
}

void imsms_crypto_pool_settle(imsms_ctx *ctx) {
  if (ctx->pool.defer == 0 || --ctx->pool.defer != 0) {
    return;
  }
  settle_hmac(ctx, 0);
  settle_hmac(ctx, 1);
  settle_aes(ctx);
}

void imsms_crypto_pool_drain(imsms_ctx *ctx) {
  imsms_crypto_pool *pool = &ctx->pool;
  size_t slot;

  for (slot = 0; slot < 2; slot++) {
    while (pool->nhmac[slot]) {
      ctx->cp->hmac_del(pool->hmac[slot][--pool->nhmac[slot]]);
    }
  }
  while (pool->naes) {
    ctx->cp->aes_del(pool->aes[--pool->naes]);
  }
}

int imsms_crypto_provider_check(const imsms_crypto_provider *cp) {
  if (cp->version == 0 || cp->version > IMSMS_CRYPTO_PROVIDER_VERSION) {
    return IMSMS_ERR_PROVIDER_VERSION;
  }
  if (cp->name == NULL || cp->random == NULL || cp->hmac_new == NULL ||
      cp->hmac_setkey == NULL || cp->hmac_update == NULL ||
      cp->hmac_final == NULL || cp->hmac_del == NULL || cp->sha256 == NULL ||
      cp->aes_new == NULL || cp->aes_setkey == NULL || cp->aes_ctr == NULL ||
      cp->aes_del == NULL || cp->aes_kw_wrap == NULL ||
      cp->aes_kw_unwrap == NULL) {
    return IMSMS_ERR_PROVIDER_INCOMPLETE;
  }
  /* Secure memory from one allocator must go back to the same one. */
  if ((cp->secure_alloc == NULL) != (cp->secure_free == NULL)) {
    return IMSMS_ERR_PROVIDER_INCOMPLETE;
  }
  return 0;
}

int imsms_crypto_provider_start(const imsms_crypto_provider *cp,
                                const imsms_mem *mem, void **pstate) {
  int rv;

  *pstate = NULL;
  if (cp->init == NULL) {
    return 0;
  }
  rv = cp->init(cp, mem, pstate);
  if (rv == 0) {
    return 0;
  }
  return rv == IMSMS_ERR_NOMEM ? IMSMS_ERR_NOMEM : IMSMS_ERR_CRYPTO;
}

/* see imsmediasec/crypto.h */
int imsms_crypto_selftest(const imsms_crypto_provider *provider) {
  void *state;
  int rv;

  if (provider == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  rv = imsms_crypto_provider_check(provider);
  if (rv != 0) {
    return rv;
  }
  rv = imsms_crypto_provider_start(provider, imsms_mem_default(), &state);
  if (rv != 0) {
    return rv == IMSMS_ERR_NOMEM ? rv : IMSMS_ERR_SELFTEST;
  }
  rv = imsms_crypto_provider_selftest(provider, state);
  if (provider->cleanup) {
    provider->cleanup(state);
  }
  return rv;
}

/* see imsmediasec/imsmediasec.h */
int imsms_random(imsms_ctx *ctx, uint8_t *out, size_t outlen) {
  if (ctx == NULL || (out == NULL && outlen)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (outlen == 0) {
    return 0;
  }
  if (ctx->cp->random(ctx->cstate, out, outlen) != 0) {
    imsms_secure_clear(out, outlen);
    return IMSMS_ERR_RNG;
  }
  return 0;
}

/* see imsmediasec/imsmediasec.h */
int imsms_hmac(imsms_ctx *ctx, int alg, const uint8_t *key, size_t keylen,
               const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen) {
  static const uint8_t empty[1];
  uint8_t digest[IMSMS_MAX_DIGEST_LEN];
  imsms_crypto_hmac *h = NULL;
  size_t dlen = imsms_hash_len(alg);
  int rv;

  if (ctx == NULL || out == NULL || outlen == 0 || (key == NULL && keylen) ||
      (in == NULL && inlen)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (dlen == 0) {
    imsms_secure_clear(out, outlen);
    return IMSMS_ERR_UNSUPPORTED_ALG;
  }
  if (outlen > dlen) {
    imsms_secure_clear(out, outlen);
    return IMSMS_ERR_KEY_LENGTH;
  }
  rv = imsms_hmac_acquire(ctx, alg, &h);
  if (rv != 0) {
    goto fail;
  }
  /* Providers get a non-NULL key pointer even for an empty key. */
  rv = ctx->cp->hmac_setkey(h, key ? key : empty, keylen);
  if (rv == 0 && inlen) {
    rv = ctx->cp->hmac_update(h, in, inlen);
  }
  if (rv == 0) {
    rv = ctx->cp->hmac_final(h, digest);
  }
  imsms_hmac_release(ctx, alg, h);
  if (rv != 0) {
    goto fail;
  }
  memcpy(out, digest, outlen);
  imsms_secure_clear(digest, sizeof(digest));
  return 0;

fail:
  imsms_secure_clear(digest, sizeof(digest));
  imsms_secure_clear(out, outlen);
  return rv == IMSMS_ERR_NOMEM ? rv : IMSMS_ERR_CRYPTO;
}
