/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * AES-CTR and AES key wrap on OpenSSL 3. A keyed CTR context keeps its
 * key schedule; each call only resets the counter block.
 *
 * Keying is deferred to the first CTR call, which keys and sets the
 * counter in one EVP_EncryptInit_ex2() (in OpenSSL 3.0 an init with only
 * an IV costs over half as much as one with a key). Re-keying resets
 * the cipher context first: EVP_CIPHER_CTX_reset() cleanses OpenSSL's
 * state, the key schedule and the last keystream block (CTR keeps it for
 * a partial block) included, which an init without the cipher would
 * leave behind.
 */
#include <limits.h>
#include <string.h>

#include "core/mem.h"
#include "crypto/default_int.h"

struct imsms_crypto_aes {
  const imsms_mem *mem;
  imsms_default_state *st;
  EVP_CIPHER_CTX *cctx;
  int keyed;
  /* OpenSSL holds a key schedule (an init with a key succeeded since the
   * last reset): only then is there anything for a reset to cleanse. */
  int loaded;
  /* The key set but not yet handed to OpenSSL: |idx| and |key|. */
  int pending;
  int idx;
  uint8_t key[32];
};

int imsms_default_aes_index(size_t keylen) {
  switch (keylen) {
  case 16:
    return 0;
  case 24:
    return 1;
  case 32:
    return 2;
  default:
    return -1;
  }
}

int imsms_default_aes_new(void *state, imsms_crypto_aes **paes) {
  imsms_default_state *st = state;
  imsms_crypto_aes *aes;

  aes = imsms_mem_calloc(st->mem, 1, sizeof(*aes));
  if (aes == NULL) {
    return IMSMS_ERR_NOMEM;
  }
  aes->mem = st->mem;
  aes->st = st;
  aes->cctx = EVP_CIPHER_CTX_new();
  if (aes->cctx == NULL) {
    imsms_default_aes_del(aes);
    return IMSMS_ERR_CRYPTO;
  }
  *paes = aes;
  return 0;
}

/* Nothing of the old key stays, in OpenSSL or here. */
static void aes_forget(imsms_crypto_aes *aes) {
  if (aes->loaded) {
    EVP_CIPHER_CTX_reset(aes->cctx);
    aes->loaded = 0;
  }
  if (aes->pending) {
    imsms_secure_clear(aes->key, sizeof(aes->key));
  }
  aes->pending = 0;
  aes->keyed = 0;
}

int imsms_default_aes_setkey(imsms_crypto_aes *aes, const uint8_t *key,
                             size_t keylen) {
  int i = imsms_default_aes_index(keylen);

  aes_forget(aes);
  if (i < 0) {
    return IMSMS_ERR_KEY_LENGTH;
  }
  memcpy(aes->key, key, keylen);
  aes->idx = i;
  aes->pending = 1;
  aes->keyed = 1;
  return 0;
}

/* Hands OpenSSL the pending key with the counter, or the counter only. */
static int aes_start(imsms_crypto_aes *aes, const uint8_t *iv) {
  int ok;

  if (!aes->pending) {
    return EVP_EncryptInit_ex2(aes->cctx, NULL, NULL, iv, NULL);
  }
  ok = EVP_EncryptInit_ex2(aes->cctx, aes->st->ctr[aes->idx], aes->key, iv,
                           NULL);
  /* Even a failed init may have left part of a schedule behind. */
  aes->loaded = 1;
  imsms_secure_clear(aes->key, sizeof(aes->key));
  aes->pending = 0;
  if (!ok) {
    aes_forget(aes);
  }
  return ok;
}

/* Runs |c| over |len| bytes in chunks that fit OpenSSL's int lengths. */
static int cipher_update(EVP_CIPHER_CTX *c, const uint8_t *in, uint8_t *out,
                         size_t len, size_t *written) {
  int outl;

  *written = 0;
  while (len) {
    int chunk = len > (size_t)(INT_MAX - 32) ? INT_MAX - 32 : (int)len;

    if (!EVP_CipherUpdate(c, out, &outl, in, chunk) || outl < 0) {
      return IMSMS_ERR_CRYPTO;
    }
    in += chunk;
    out += outl;
    len -= (size_t)chunk;
    *written += (size_t)outl;
  }
  return 0;
}

int imsms_default_aes_ctr(imsms_crypto_aes *aes, const uint8_t *iv,
                          const uint8_t *in, uint8_t *out, size_t len) {
  size_t written;
  int rv;

  if (!aes->keyed) {
    return IMSMS_ERR_CRYPTO;
  }
  if (!aes_start(aes, iv)) {
    return IMSMS_ERR_CRYPTO;
  }
  rv = cipher_update(aes->cctx, in, out, len, &written);
  if (rv == 0 && written != len) {
    rv = IMSMS_ERR_CRYPTO;
  }
  return rv;
}

void imsms_default_aes_del(imsms_crypto_aes *aes) {
  if (aes == NULL) {
    return;
  }
  /* EVP_CIPHER_CTX_free() cleanses the key schedule. */
  EVP_CIPHER_CTX_free(aes->cctx);
  imsms_mem_free_clear(aes->mem, aes, sizeof(*aes));
}

/* One RFC 3394 operation: |enc| 1 wraps, 0 unwraps. */
static int aes_kw(imsms_default_state *st, int enc, const uint8_t *kek,
                  size_t keklen, const uint8_t *iv, const uint8_t *in,
                  size_t inlen, uint8_t *out, size_t outlen) {
  int i = imsms_default_aes_index(keklen);
  EVP_CIPHER_CTX *c;
  size_t written = 0;
  int rv;

  if (i < 0) {
    return IMSMS_ERR_KEY_LENGTH;
  }
  c = EVP_CIPHER_CTX_new();
  if (c == NULL) {
    return IMSMS_ERR_CRYPTO;
  }
  EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
  if (!EVP_CipherInit_ex2(c, st->wrap[i], kek, iv, enc, NULL)) {
    rv = IMSMS_ERR_CRYPTO;
  } else {
    rv = cipher_update(c, in, out, inlen, &written);
    /* With well-sized input, the only way an unwrap fails is its ICV. */
    if (rv != 0 && !enc) {
      rv = IMSMS_ERR_KEYWRAP_INTEGRITY;
    } else if (rv == 0 && written != outlen) {
      rv = IMSMS_ERR_CRYPTO;
    }
  }
  EVP_CIPHER_CTX_free(c);
  if (rv != 0) {
    imsms_secure_clear(out, outlen);
    return rv;
  }
  return 0;
}

int imsms_default_aes_kw_wrap(void *state, const uint8_t *kek, size_t keklen,
                              const uint8_t *iv, const uint8_t *in,
                              size_t inlen, uint8_t *out) {
  if (inlen < 16 || inlen % 8 != 0 || inlen > SIZE_MAX - 8) {
    return IMSMS_ERR_KEY_LENGTH;
  }
  return aes_kw(state, 1, kek, keklen, iv, in, inlen, out, inlen + 8);
}

int imsms_default_aes_kw_unwrap(void *state, const uint8_t *kek,
                                size_t keklen, const uint8_t *iv,
                                const uint8_t *in, size_t inlen,
                                uint8_t *out) {
  if (inlen < 24 || inlen % 8 != 0) {
    return IMSMS_ERR_KEY_LENGTH;
  }
  return aes_kw(state, 0, kek, keklen, iv, in, inlen, out, inlen - 8);
}
