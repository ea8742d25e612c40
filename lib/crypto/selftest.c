/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The provider self-test run by imsms_ctx_new(): one known answer per
 * primitive, small enough to run for every context (caching the result
 * would need global state). The full KAT suites live in tests/.
 */
#include "crypto/provider.h"

#include <string.h>

/* RFC 2202 test case 2 and RFC 4231 test case 2 share key and data. */
static const uint8_t jefe_key[] = "Jefe";
static const uint8_t jefe_data[] = "what do ya want for nothing?";
static const uint8_t jefe_sha1[IMSMS_SHA1_LEN] = {
    0xef, 0xfc, 0xdf, 0x6a, 0xe5, 0xeb, 0x2f, 0xa2, 0xd2, 0x74,
    0x16, 0xd5, 0xf1, 0x84, 0xdf, 0x9c, 0x25, 0x9a, 0x7c, 0x79};
static const uint8_t jefe_sha256[IMSMS_SHA256_LEN] = {
    0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24,
    0x26, 0x08, 0x95, 0x75, 0xc7, 0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27,
    0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43};

/* FIPS 180-2 appendix B.1: SHA-256("abc"). */
static const uint8_t abc_sha256[IMSMS_SHA256_LEN] = {
    0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
    0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
    0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};

/* NIST SP 800-38A F.5.1 (blocks 1-2) and F.5.5 (block 1). */
static const uint8_t ctr_iv[16] = {0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5,
                                   0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb,
                                   0xfc, 0xfd, 0xfe, 0xff};
static const uint8_t ctr_pt[32] = {
    0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96, 0xe9, 0x3d, 0x7e,
    0x11, 0x73, 0x93, 0x17, 0x2a, 0xae, 0x2d, 0x8a, 0x57, 0x1e, 0x03,
    0xac, 0x9c, 0x9e, 0xb7, 0x6f, 0xac, 0x45, 0xaf, 0x8e, 0x51};
static const uint8_t ctr128_key[16] = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae,
                                       0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88,
                                       0x09, 0xcf, 0x4f, 0x3c};
static const uint8_t ctr128_ct[32] = {
    0x87, 0x4d, 0x61, 0x91, 0xb6, 0x20, 0xe3, 0x26, 0x1b, 0xef, 0x68,
    0x64, 0x99, 0x0d, 0xb6, 0xce, 0x98, 0x06, 0xf6, 0x6b, 0x79, 0x70,
    0xfd, 0xff, 0x86, 0x17, 0x18, 0x7b, 0xb9, 0xff, 0xfd, 0xff};
static const uint8_t ctr256_key[32] = {
    0x60, 0x3d, 0xeb, 0x10, 0x15, 0xca, 0x71, 0xbe, 0x2b, 0x73, 0xae,
    0xf0, 0x85, 0x7d, 0x77, 0x81, 0x1f, 0x35, 0x2c, 0x07, 0x3b, 0x61,
    0x08, 0xd7, 0x2d, 0x98, 0x10, 0xa3, 0x09, 0x14, 0xdf, 0xf4};
static const uint8_t ctr256_ct[16] = {0x60, 0x1e, 0xc3, 0x13, 0x77, 0x57,
                                      0x89, 0xa5, 0xb7, 0xa7, 0xf5, 0x04,
                                      0xbb, 0xf3, 0xd2, 0x28};

/* RFC 3394 section 4.1. */
static const uint8_t kw_kek[16] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05,
                                   0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
                                   0x0c, 0x0d, 0x0e, 0x0f};
static const uint8_t kw_iv[8] = {0xa6, 0xa6, 0xa6, 0xa6,
                                 0xa6, 0xa6, 0xa6, 0xa6};
static const uint8_t kw_data[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
                                    0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
                                    0xcc, 0xdd, 0xee, 0xff};
static const uint8_t kw_wrapped[24] = {
    0x1f, 0xa6, 0x8b, 0x0a, 0x81, 0x12, 0xb4, 0x47, 0xae, 0xf3, 0x4b, 0xd8,
    0xfb, 0x5a, 0x7b, 0x82, 0x9d, 0x3e, 0x86, 0x23, 0x71, 0xd2, 0xcf, 0xe5};

/* Plain comparison is fine here: the inputs are public test vectors. */
static int same(const uint8_t *a, const uint8_t *b, size_t len) {
  return memcmp(a, b, len) == 0;
}

/*
 * HMAC under one key for two messages, checking the "ready for the next
 * message" contract the MIKEY PRF depends on.
 */
static int test_hmac(const imsms_crypto_provider *cp, void *state,
                     imsms_hash_alg alg, const uint8_t *expect) {
  uint8_t out[IMSMS_MAX_DIGEST_LEN];
  imsms_crypto_hmac *h = NULL;
  size_t len = imsms_hash_len(alg);
  int rv, round;

  rv = cp->hmac_new(state, &h, alg);
  if (rv != 0) {
    return rv == IMSMS_ERR_NOMEM ? rv : IMSMS_ERR_SELFTEST;
  }
  rv = cp->hmac_setkey(h, jefe_key, sizeof(jefe_key) - 1);
  for (round = 0; rv == 0 && round < 2; round++) {
    /* Two updates: MIKEY MACs cover non-contiguous data. */
    rv = cp->hmac_update(h, jefe_data, 10);
    if (rv == 0) {
      rv = cp->hmac_update(h, jefe_data + 10, sizeof(jefe_data) - 11);
    }
    if (rv == 0) {
      rv = cp->hmac_final(h, out);
    }
    if (rv == 0 && !same(out, expect, len)) {
      rv = IMSMS_ERR_SELFTEST;
    }
  }
  cp->hmac_del(h);
  return rv == 0 ? 0 : IMSMS_ERR_SELFTEST;
}

static int test_sha256(const imsms_crypto_provider *cp, void *state) {
  uint8_t out[IMSMS_SHA256_LEN];

  if (cp->sha256(state, (const uint8_t *)"abc", 3, out) != 0 ||
      !same(out, abc_sha256, sizeof(out))) {
    return IMSMS_ERR_SELFTEST;
  }
  return 0;
}

static int test_aes_ctr(const imsms_crypto_provider *cp, void *state,
                        const uint8_t *key, size_t keylen,
                        const uint8_t *expect, size_t len) {
  uint8_t out[sizeof(ctr_pt)];
  imsms_crypto_aes *aes = NULL;
  int rv;

  rv = cp->aes_new(state, &aes);
  if (rv != 0) {
    return rv == IMSMS_ERR_NOMEM ? rv : IMSMS_ERR_SELFTEST;
  }
  rv = cp->aes_setkey(aes, key, keylen);
  if (rv == 0) {
    rv = cp->aes_ctr(aes, ctr_iv, ctr_pt, out, len);
  }
  if (rv == 0 && !same(out, expect, len)) {
    rv = IMSMS_ERR_SELFTEST;
  }
  cp->aes_del(aes);
  return rv == 0 ? 0 : IMSMS_ERR_SELFTEST;
}

static int test_aes_kw(const imsms_crypto_provider *cp, void *state) {
  uint8_t wrapped[sizeof(kw_wrapped)], data[sizeof(kw_data)];

  if (cp->aes_kw_wrap(state, kw_kek, sizeof(kw_kek), kw_iv, kw_data,
                      sizeof(kw_data), wrapped) != 0 ||
      !same(wrapped, kw_wrapped, sizeof(wrapped))) {
    return IMSMS_ERR_SELFTEST;
  }
  if (cp->aes_kw_unwrap(state, kw_kek, sizeof(kw_kek), kw_iv, kw_wrapped,
                        sizeof(kw_wrapped), data) != 0 ||
      !same(data, kw_data, sizeof(data))) {
    return IMSMS_ERR_SELFTEST;
  }
  /* A tampered wrap must be refused, or unwrap checks nothing. */
  wrapped[0] ^= 1;
  if (cp->aes_kw_unwrap(state, kw_kek, sizeof(kw_kek), kw_iv, wrapped,
                        sizeof(wrapped), data) != IMSMS_ERR_KEYWRAP_INTEGRITY) {
    return IMSMS_ERR_SELFTEST;
  }
  return 0;
}

/*
 * A generator cannot be checked by a known answer; this catches the
 * broken ones (stuck output, all zeros).
 */
static int test_random(const imsms_crypto_provider *cp, void *state) {
  uint8_t a[32] = {0}, b[32] = {0}, zero[32] = {0};

  if (cp->random(state, a, sizeof(a)) != 0 ||
      cp->random(state, b, sizeof(b)) != 0 || same(a, b, sizeof(a)) ||
      same(a, zero, sizeof(a))) {
    return IMSMS_ERR_SELFTEST;
  }
  return 0;
}

int imsms_crypto_provider_selftest(const imsms_crypto_provider *cp,
                                   void *state) {
  int rv;

  rv = test_hmac(cp, state, IMSMS_HASH_SHA1, jefe_sha1);
  if (rv == 0) {
    rv = test_hmac(cp, state, IMSMS_HASH_SHA256, jefe_sha256);
  }
  if (rv == 0) {
    rv = test_sha256(cp, state);
  }
  if (rv == 0) {
    rv = test_aes_ctr(cp, state, ctr128_key, sizeof(ctr128_key), ctr128_ct,
                      sizeof(ctr128_ct));
  }
  if (rv == 0) {
    rv = test_aes_ctr(cp, state, ctr256_key, sizeof(ctr256_key), ctr256_ct,
                      sizeof(ctr256_ct));
  }
  if (rv == 0) {
    rv = test_aes_kw(cp, state);
  }
  if (rv == 0) {
    rv = test_random(cp, state);
  }
  return rv;
}
