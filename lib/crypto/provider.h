/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * How the context uses a provider: member checks, start (init) and the
 * self-test.
 */
#ifndef IMSMS_CRYPTO_PROVIDER_H
#define IMSMS_CRYPTO_PROVIDER_H

#include <imsmediasec/imsmediasec.h>

/*
 * Checks the version and the required members of |cp|. Returns 0,
 * IMSMS_ERR_PROVIDER_VERSION or IMSMS_ERR_PROVIDER_INCOMPLETE.
 */
int imsms_crypto_provider_check(const imsms_crypto_provider *cp);

/*
 * Runs cp->init() when present. Returns 0, or the provider's error
 * mapped into IMSMS_ERR_NOMEM or IMSMS_ERR_CRYPTO.
 */
int imsms_crypto_provider_start(const imsms_crypto_provider *cp,
                                const imsms_mem *mem, void **pstate);

/*
 * One known answer per primitive against |cp| with |state|. Returns 0,
 * IMSMS_ERR_NOMEM, or IMSMS_ERR_SELFTEST for any wrong or failed answer.
 */
int imsms_crypto_provider_selftest(const imsms_crypto_provider *cp,
                                   void *state);

/*
 * An HMAC context for |alg| from the context's pool, or a new one.
 * Returns 0, IMSMS_ERR_UNSUPPORTED_ALG, IMSMS_ERR_NOMEM or IMSMS_ERR_CRYPTO.
 */
int imsms_hmac_acquire(imsms_ctx *ctx, int alg, imsms_crypto_hmac **ph);

/* Gives |h| (of |alg|) back: re-keyed empty and pooled, or deleted. */
void imsms_hmac_release(imsms_ctx *ctx, int alg, imsms_crypto_hmac *h);

/* An AES-CTR context from the pool, or a new one. */
int imsms_aes_acquire(imsms_ctx *ctx, imsms_crypto_aes **pa);

/* Gives |a| back: keyed with zeros and pooled, or deleted. */
void imsms_aes_release(imsms_ctx *ctx, imsms_crypto_aes *a);

/* Deletes every pooled object (imsms_ctx_del()). */
void imsms_crypto_pool_drain(imsms_ctx *ctx);

/*
 * Brackets one API call: inside, released objects stay keyed and are
 * wiped once each when the outermost bracket closes (the per-use wipe
 * costs a keying each time: most of what a KMS spends above the bare
 * crypto). Every defer must be matched by a settle on every path.
 */
void imsms_crypto_pool_defer(imsms_ctx *ctx);
void imsms_crypto_pool_settle(imsms_ctx *ctx);

/* Digest length of |alg|, or 0 when it is not an imsms_hash_alg. Inline:
 * every PRF derivation and MAC asks it. */
static inline size_t imsms_hash_len(int alg) {
  switch (alg) {
  case IMSMS_HASH_SHA1:
    return IMSMS_SHA1_LEN;
  case IMSMS_HASH_SHA256:
    return IMSMS_SHA256_LEN;
  default:
    return 0;
  }
}

#endif /* IMSMS_CRYPTO_PROVIDER_H */
