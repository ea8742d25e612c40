/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A deterministic crypto provider for tests: the default provider's
 * primitives with a seeded random generator (SHA-256 of seed and a
 * counter), so message tests are reproducible byte for byte. Never use
 * it outside tests.
 */
#ifndef IMSMS_TEST_DET_PROVIDER_H
#define IMSMS_TEST_DET_PROVIDER_H

#include <imsmediasec/imsmediasec.h>

typedef struct imsms_det_provider {
  /* First member, so init() can recover the seed from its |self|. */
  imsms_crypto_provider vt;
  uint64_t seed;
} imsms_det_provider;

/* Fills |dp| with a provider whose random stream depends only on |seed|. */
void imsms_det_provider_init(imsms_det_provider *dp, uint64_t seed);

#endif /* IMSMS_TEST_DET_PROVIDER_H */
