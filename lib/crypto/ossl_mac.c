/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * HMAC and SHA-256 on OpenSSL 3. One EVP_MAC_CTX per keyed context, kept
 * across messages: re-initialising with a NULL key reuses the prepared
 * key (about half the cost of re-keying, a fifth of one-shot HMAC()).
 */
#include <openssl/core_names.h>
#include <openssl/params.h>

#include "core/mem.h"
#include "crypto/default_int.h"
#include "crypto/provider.h"

struct imsms_crypto_hmac {
  const imsms_mem *mem;
  EVP_MAC_CTX *mctx;
  size_t len;
  /* A key has been set. */
  int keyed;
  /* A message is in progress (init done since the last final). */
  int started;
};

int imsms_default_ossl_fetch(imsms_default_state *st) {
  static const char *const ctr_names[IMSMS_AES_SIZES] = {
      "AES-128-CTR", "AES-192-CTR", "AES-256-CTR"};
  static const char *const wrap_names[IMSMS_AES_SIZES] = {
      "AES-128-WRAP", "AES-192-WRAP", "AES-256-WRAP"};
  int i;

  st->hmac = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_HMAC, NULL);
  st->sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
  st->sha256 = EVP_MD_fetch(NULL, "SHA2-256", NULL);
  if (st->hmac == NULL || st->sha1 == NULL || st->sha256 == NULL) {
    return IMSMS_ERR_CRYPTO;
  }
  for (i = 0; i < IMSMS_AES_SIZES; i++) {
    st->ctr[i] = EVP_CIPHER_fetch(NULL, ctr_names[i], NULL);
    st->wrap[i] = EVP_CIPHER_fetch(NULL, wrap_names[i], NULL);
    if (st->ctr[i] == NULL || st->wrap[i] == NULL) {
      return IMSMS_ERR_CRYPTO;
    }
  }
  return 0;
}

void imsms_default_ossl_release(imsms_default_state *st) {
  int i;

  EVP_MAC_free(st->hmac);
  EVP_MD_free(st->sha1);
  EVP_MD_free(st->sha256);
  for (i = 0; i < IMSMS_AES_SIZES; i++) {
    EVP_CIPHER_free(st->ctr[i]);
    EVP_CIPHER_free(st->wrap[i]);
  }
}

int imsms_default_hmac_new(void *state, imsms_crypto_hmac **phmac,
                           imsms_hash_alg alg) {
  imsms_default_state *st = state;
  imsms_crypto_hmac *h;
  OSSL_PARAM params[2];
  EVP_MD *md;

  switch (alg) {
  case IMSMS_HASH_SHA1:
    md = st->sha1;
    break;
  case IMSMS_HASH_SHA256:
    md = st->sha256;
    break;
  default:
    return IMSMS_ERR_UNSUPPORTED_ALG;
  }
  h = imsms_mem_calloc(st->mem, 1, sizeof(*h));
  if (h == NULL) {
    return IMSMS_ERR_NOMEM;
  }
  h->mem = st->mem;
  h->len = imsms_hash_len(alg);
  h->mctx = EVP_MAC_CTX_new(st->hmac);
  params[0] = OSSL_PARAM_construct_utf8_string(
      OSSL_MAC_PARAM_DIGEST, (char *)(uintptr_t)EVP_MD_get0_name(md), 0);
  params[1] = OSSL_PARAM_construct_end();
  if (h->mctx == NULL || !EVP_MAC_CTX_set_params(h->mctx, params)) {
    imsms_default_hmac_del(h);
    return IMSMS_ERR_CRYPTO;
  }
  *phmac = h;
  return 0;
}

int imsms_default_hmac_setkey(imsms_crypto_hmac *h, const uint8_t *key,
                              size_t keylen) {
  static const uint8_t empty[1];

  /* OpenSSL reads a NULL key as "keep the old one"; an empty key is not. */
  if (!EVP_MAC_init(h->mctx, keylen ? key : empty, keylen, NULL)) {
    h->keyed = 0;
    return IMSMS_ERR_CRYPTO;
  }
  h->keyed = 1;
  h->started = 1;
  return 0;
}

static int hmac_start(imsms_crypto_hmac *h) {
  if (!h->keyed) {
    return IMSMS_ERR_CRYPTO;
  }
  if (!h->started) {
    if (!EVP_MAC_init(h->mctx, NULL, 0, NULL)) {
      return IMSMS_ERR_CRYPTO;
    }
    h->started = 1;
  }
  return 0;
}

int imsms_default_hmac_update(imsms_crypto_hmac *h, const uint8_t *in,
                              size_t inlen) {
  int rv = hmac_start(h);

  if (rv != 0) {
    return rv;
  }
  if (inlen && !EVP_MAC_update(h->mctx, in, inlen)) {
    return IMSMS_ERR_CRYPTO;
  }
  return 0;
}

int imsms_default_hmac_final(imsms_crypto_hmac *h, uint8_t *out) {
  size_t outl = 0;
  int rv = hmac_start(h);

  if (rv != 0) {
    return rv;
  }
  h->started = 0;
  if (!EVP_MAC_final(h->mctx, out, &outl, h->len) || outl != h->len) {
    return IMSMS_ERR_CRYPTO;
  }
  return 0;
}

void imsms_default_hmac_del(imsms_crypto_hmac *h) {
  if (h == NULL) {
    return;
  }
  /* EVP_MAC_CTX_free() cleanses the key schedule. */
  EVP_MAC_CTX_free(h->mctx);
  imsms_mem_free_clear(h->mem, h, sizeof(*h));
}

int imsms_default_sha256(void *state, const uint8_t *in, size_t inlen,
                         uint8_t *out) {
  imsms_default_state *st = state;
  unsigned int outl = 0;

  if (!EVP_Digest(in, inlen, out, &outl, st->sha256, NULL) ||
      outl != IMSMS_SHA256_LEN) {
    return IMSMS_ERR_CRYPTO;
  }
  return 0;
}
