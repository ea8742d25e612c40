/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The built-in provider's per-context state, shared by its OpenSSL and
 * libsodium halves. Only lib/crypto/ includes OpenSSL or libsodium.
 */
#ifndef IMSMS_CRYPTO_DEFAULT_INT_H
#define IMSMS_CRYPTO_DEFAULT_INT_H

#include <openssl/evp.h>

#include <imsmediasec/imsmediasec.h>

/* Index into the per-key-length cipher arrays: 16, 24, 32 bytes. */
#define IMSMS_AES_SIZES 3

typedef struct imsms_default_state {
  const imsms_mem *mem;
  /* Fetched once per context: implicit fetches cost a lookup per call. */
  EVP_MD *sha1;
  EVP_MD *sha256;
  EVP_CIPHER *ctr[IMSMS_AES_SIZES];
  EVP_CIPHER *wrap[IMSMS_AES_SIZES];
} imsms_default_state;

/* Index for an AES key of |keylen| bytes, or -1. */
int imsms_default_aes_index(size_t keylen);

int imsms_default_ossl_fetch(imsms_default_state *st);
void imsms_default_ossl_release(imsms_default_state *st);

/* The OpenSSL members of the vtable (see imsmediasec/crypto.h). */
int imsms_default_hmac_new(void *state, imsms_crypto_hmac **phmac,
                           imsms_hash_alg alg);
int imsms_default_hmac_setkey(imsms_crypto_hmac *hmac, const uint8_t *key,
                              size_t keylen);
int imsms_default_hmac_update(imsms_crypto_hmac *hmac, const uint8_t *in,
                              size_t inlen);
int imsms_default_hmac_final(imsms_crypto_hmac *hmac, uint8_t *out);
void imsms_default_hmac_del(imsms_crypto_hmac *hmac);
int imsms_default_sha256(void *state, const uint8_t *in, size_t inlen,
                         uint8_t *out);
int imsms_default_aes_new(void *state, imsms_crypto_aes **paes);
int imsms_default_aes_setkey(imsms_crypto_aes *aes, const uint8_t *key,
                             size_t keylen);
int imsms_default_aes_ctr(imsms_crypto_aes *aes, const uint8_t *iv,
                          const uint8_t *in, uint8_t *out, size_t len);
void imsms_default_aes_del(imsms_crypto_aes *aes);
int imsms_default_aes_kw_wrap(void *state, const uint8_t *kek, size_t keklen,
                              const uint8_t *iv, const uint8_t *in,
                              size_t inlen, uint8_t *out);
int imsms_default_aes_kw_unwrap(void *state, const uint8_t *kek,
                                size_t keklen, const uint8_t *iv,
                                const uint8_t *in, size_t inlen, uint8_t *out);

#endif /* IMSMS_CRYPTO_DEFAULT_INT_H */
