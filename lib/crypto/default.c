/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The built-in provider: vtable, per-context state, and the libsodium
 * half (CSPRNG, guarded memory). The OpenSSL half is in ossl_mac.c and
 * ossl_cipher.c.
 */
#include <sodium.h>

#include "core/mem.h"
#include "crypto/default_int.h"

static int default_init(const imsms_crypto_provider *self,
                        const imsms_mem *mem, void **pstate) {
  imsms_default_state *st;
  int rv;

  (void)self;
  /* Idempotent and thread-safe; libsodium keeps its own global state. */
  if (sodium_init() < 0) {
    return IMSMS_ERR_CRYPTO;
  }
  st = imsms_mem_calloc(mem, 1, sizeof(*st));
  if (st == NULL) {
    return IMSMS_ERR_NOMEM;
  }
  st->mem = mem;
  rv = imsms_default_ossl_fetch(st);
  if (rv != 0) {
    imsms_default_ossl_release(st);
    imsms_mem_free(mem, st);
    return rv;
  }
  *pstate = st;
  return 0;
}

static void default_cleanup(void *state) {
  imsms_default_state *st = state;

  if (st == NULL) {
    return;
  }
  imsms_default_ossl_release(st);
  imsms_mem_free(st->mem, st);
}

static int default_random(void *state, uint8_t *out, size_t len) {
  (void)state;
  randombytes_buf(out, len);
  return 0;
}

static void *default_secure_alloc(void *state, size_t len) {
  (void)state;
  return sodium_malloc(len);
}

static void default_secure_free(void *state, void *ptr, size_t len) {
  (void)state;
  (void)len;
  /* sodium_free() wipes the whole allocation before unmapping it. */
  sodium_free(ptr);
}

static const imsms_crypto_provider default_provider = {
    IMSMS_CRYPTO_PROVIDER_V1,
    "openssl3+libsodium",
    default_init,
    default_cleanup,
    default_random,
    imsms_default_hmac_new,
    imsms_default_hmac_setkey,
    imsms_default_hmac_update,
    imsms_default_hmac_final,
    imsms_default_hmac_del,
    imsms_default_sha256,
    imsms_default_aes_new,
    imsms_default_aes_setkey,
    imsms_default_aes_ctr,
    imsms_default_aes_del,
    imsms_default_aes_kw_wrap,
    imsms_default_aes_kw_unwrap,
    default_secure_alloc,
    default_secure_free,
};

/* see imsmediasec/crypto.h */
const imsms_crypto_provider *imsms_crypto_default(void) {
  return &default_provider;
}
