/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * HMAC (RFC 2104) composed over OpenSSL 3 digests, and SHA-256. A keyed
 * context keeps the digest states after the inner and outer pad blocks
 * and copies the inner one to start each message, so re-keying costs two
 * block hashes and a new message none. This is about 12% quicker over a
 * KMS message's 19 HMACs than EVP_MAC's HMAC, whose provider layers
 * (parameter lookups by name, a copy of the raw key) add some 30 ns to
 * every operation (bench_kms measures both routes).
 *
 * Dropping a key (the pool's wipe, an empty key) re-initialises the
 * digest states, which cleanses OpenSSL's states, instead of hashing two
 * pad blocks; the empty key's pads are made only if the context is used
 * before it is keyed again.
 */
#include <string.h>

#include "core/mem.h"
#include "crypto/default_int.h"
#include "crypto/provider.h"

/* The longest block of the supported hashes (SHA-1, SHA-256). */
#define HMAC_MAX_BLOCK 64

struct imsms_crypto_hmac {
  const imsms_mem *mem;
  const EVP_MD *md;
  EVP_MD_CTX *ictx; /* after K XOR ipad */
  EVP_MD_CTX *octx; /* after K XOR opad */
  EVP_MD_CTX *wctx; /* the message in progress */
  size_t len;       /* digest length */
  size_t block;     /* digest block length */
  /* A key has been set (the pads may still be pending). */
  int keyed;
  /* The key is empty and its pads are not made yet. */
  int pending_empty;
  /* A message is in progress (started since the last final). */
  int started;
  /* The key padded to a block, XORed with the pads in turn. It holds
   * what the pad states hold, so it lives as long as they do and is
   * wiped with them (hmac_forget, hmac_del), not at every keying. */
  uint8_t k[HMAC_MAX_BLOCK];
};

int imsms_default_ossl_fetch(imsms_default_state *st) {
  static const char *const ctr_names[IMSMS_AES_SIZES] = {
      "AES-128-CTR", "AES-192-CTR", "AES-256-CTR"};
  static const char *const wrap_names[IMSMS_AES_SIZES] = {
      "AES-128-WRAP", "AES-192-WRAP", "AES-256-WRAP"};
  int i;

  st->sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
  st->sha256 = EVP_MD_fetch(NULL, "SHA2-256", NULL);
  if (st->sha1 == NULL || st->sha256 == NULL) {
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
  h->md = md;
  h->len = imsms_hash_len(alg);
  h->block = (size_t)EVP_MD_get_block_size(md);
  h->ictx = EVP_MD_CTX_new();
  h->octx = EVP_MD_CTX_new();
  h->wctx = EVP_MD_CTX_new();
  if (h->ictx == NULL || h->octx == NULL || h->wctx == NULL ||
      h->block > HMAC_MAX_BLOCK || h->block < h->len) {
    imsms_default_hmac_del(h);
    return IMSMS_ERR_CRYPTO;
  }
  *phmac = h;
  return 0;
}

/*
 * Replaces the digest states that hold the key by fresh ones: OpenSSL
 * cleanses and frees the old state (or overwrites it), so no trace of
 * the key is left. Re-initialising, not EVP_MD_CTX_reset(): a reset
 * drops the context's reference to the fetched digest, which every
 * thread shares, and the next keying takes it back; those reference
 * count writes cost two threads a sixth of their throughput (bench_kms:
 * 1.68 x one thread, 1.98 with re-initialising). Between messages the
 * working state holds only the last MAC value (the outer hash's final
 * state; its data block is cleansed by the final), which is no secret:
 * it is re-initialised only in the middle of a message.
 */
static void hmac_state_wipe(imsms_crypto_hmac *h, EVP_MD_CTX *c) {
  /* Should re-initialising fail (OpenSSL out of memory), reset. */
  if (!EVP_DigestInit_ex2(c, h->md, NULL)) {
    (void)EVP_MD_CTX_reset(c);
  }
}

static void hmac_forget(imsms_crypto_hmac *h) {
  hmac_state_wipe(h, h->ictx);
  hmac_state_wipe(h, h->octx);
  if (h->started) {
    hmac_state_wipe(h, h->wctx);
  }
  imsms_secure_clear(h->k, sizeof(h->k));
  h->keyed = 0;
  h->pending_empty = 0;
  h->started = 0;
}

/*
 * One pad state: |k| (the key zero-padded to HMAC_MAX_BLOCK) XOR |pad|.
 * The loop runs over the whole buffer, a constant, so that it compiles to
 * a few vector operations; only the digest's block is hashed.
 */
static int hmac_pad(imsms_crypto_hmac *h, EVP_MD_CTX *c,
                    uint8_t k[HMAC_MAX_BLOCK], uint8_t pad) {
  size_t i;

  for (i = 0; i < HMAC_MAX_BLOCK; i++) {
    k[i] ^= pad;
  }
  /* Re-initialising cleanses the state of the previous key. */
  return EVP_DigestInit_ex2(c, h->md, NULL) &&
         EVP_DigestUpdate(c, k, h->block);
}

/* Makes both pad states from |keylen| bytes at |key|. */
static int hmac_pads(imsms_crypto_hmac *h, const uint8_t *key,
                     size_t keylen) {
  unsigned int n = 0;
  int ok = 1;

  memset(h->k, 0, sizeof(h->k));
  if (keylen > h->block) {
    /* A key longer than a block is hashed first (RFC 2104 section 2). */
    ok = EVP_Digest(key, keylen, h->k, &n, h->md, NULL) && n == h->len;
  } else if (keylen) {
    memcpy(h->k, key, keylen);
  }
  return ok && hmac_pad(h, h->ictx, h->k, 0x36) &&
         hmac_pad(h, h->octx, h->k, 0x36 ^ 0x5c);
}

int imsms_default_hmac_setkey(imsms_crypto_hmac *h, const uint8_t *key,
                              size_t keylen) {
  if (keylen == 0) {
    /* The pool's wipe: the pads wait for a use that may never come. */
    hmac_forget(h);
    h->keyed = 1;
    h->pending_empty = 1;
    return 0;
  }
  /* A message in progress holds a state of the old key: dropped. The
   * pad states are re-initialised below; after a final, the working
   * state holds only the last MAC value. */
  if (h->started) {
    hmac_state_wipe(h, h->wctx);
    h->started = 0;
  }
  h->pending_empty = 0;
  if (!hmac_pads(h, key, keylen)) {
    hmac_forget(h);
    return IMSMS_ERR_CRYPTO;
  }
  h->keyed = 1;
  return 0;
}

/* Starts a message if none is in progress. */
static int hmac_start(imsms_crypto_hmac *h) {
  if (!h->keyed) {
    return IMSMS_ERR_CRYPTO;
  }
  if (h->started) {
    return 0;
  }
  if (h->pending_empty) {
    static const uint8_t empty[1];

    if (!hmac_pads(h, empty, 0)) {
      hmac_forget(h);
      return IMSMS_ERR_CRYPTO;
    }
    h->pending_empty = 0;
  }
  if (!EVP_MD_CTX_copy_ex(h->wctx, h->ictx)) {
    return IMSMS_ERR_CRYPTO;
  }
  h->started = 1;
  return 0;
}

int imsms_default_hmac_update(imsms_crypto_hmac *h, const uint8_t *in,
                              size_t inlen) {
  int rv = hmac_start(h);

  if (rv != 0) {
    return rv;
  }
  if (inlen && !EVP_DigestUpdate(h->wctx, in, inlen)) {
    return IMSMS_ERR_CRYPTO;
  }
  return 0;
}

int imsms_default_hmac_final(imsms_crypto_hmac *h, uint8_t *out) {
  unsigned int n = 0, m = 0;
  int rv = hmac_start(h);

  if (rv != 0) {
    return rv;
  }
  h->started = 0;
  /* The inner hash goes through |out|, which the outer one overwrites:
   * no copy of it is left to wipe. */
  if (!EVP_DigestFinal_ex(h->wctx, out, &n) || n != h->len ||
      !EVP_MD_CTX_copy_ex(h->wctx, h->octx) ||
      !EVP_DigestUpdate(h->wctx, out, n) ||
      !EVP_DigestFinal_ex(h->wctx, out, &m) || m != h->len) {
    /* Whatever state the failure left (an inner one) is dropped. */
    hmac_state_wipe(h, h->wctx);
    return IMSMS_ERR_CRYPTO;
  }
  return 0;
}

void imsms_default_hmac_del(imsms_crypto_hmac *h) {
  if (h == NULL) {
    return;
  }
  /* EVP_MD_CTX_free() cleanses the digest states. */
  EVP_MD_CTX_free(h->ictx);
  EVP_MD_CTX_free(h->octx);
  EVP_MD_CTX_free(h->wctx);
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
