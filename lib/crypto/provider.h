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

/* Digest length of |alg|, or 0 when it is not an imsms_hash_alg. */
size_t imsms_hash_len(int alg);

#endif /* IMSMS_CRYPTO_PROVIDER_H */
