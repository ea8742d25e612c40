/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The crypto provider: a const, versioned vtable through which every
 * hash, MAC, cipher and random byte of the library passes. Protocol code
 * links no crypto library. The built-in provider (imsms_crypto_default())
 * uses OpenSSL 3 libcrypto for hashes, MACs and ciphers and libsodium for
 * the CSPRNG and guarded memory; an HSM or embedded provider replaces it
 * at run time through imsms_ctx_new().
 *
 * Writing a provider:
 *  - Fill every member marked "required"; set |version| to
 *    IMSMS_CRYPTO_PROVIDER_VERSION. imsms_ctx_new() checks the members and
 *    runs a known-answer self-test before it accepts the provider.
 *  - The vtable is const and may be shared by any number of contexts and
 *    threads. Per-context state comes from init(): every other function
 *    receives that state (or an object made from it), and one state is
 *    used by one thread at a time.
 *  - A provider that needs its own configuration embeds the vtable as the
 *    first member of a larger struct and recovers it from the |self|
 *    pointer given to init().
 *  - Functions return 0 or a negative IMSMS_ERR_* code (IMSMS_ERR_CRYPTO
 *    for a failed operation, IMSMS_ERR_NOMEM, IMSMS_ERR_KEY_LENGTH,
 *    IMSMS_ERR_KEYWRAP_INTEGRITY). They must wipe every secret they copy.
 */
#ifndef IMSMEDIASEC_CRYPTO_H
#define IMSMEDIASEC_CRYPTO_H

#include <imsmediasec/imsmediasec.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @macro
 *
 * The first version of the provider vtable.
 */
#define IMSMS_CRYPTO_PROVIDER_V1 1

/**
 * @macro
 *
 * The provider vtable version these headers describe.
 */
#define IMSMS_CRYPTO_PROVIDER_VERSION IMSMS_CRYPTO_PROVIDER_V1

/**
 * @enum
 *
 * Hash functions, for HMAC.
 */
typedef enum imsms_hash_alg {
  IMSMS_HASH_SHA1 = 1,  /**< SHA-1, 20-byte digest (MIKEY-1, HMAC-SHA-1-160) */
  IMSMS_HASH_SHA256 = 2 /**< SHA-256, 32-byte digest (RFC 6043) */
} imsms_hash_alg;

/** @macro Digest length of SHA-1 in bytes. */
#define IMSMS_SHA1_LEN 20
/** @macro Digest length of SHA-256 in bytes. */
#define IMSMS_SHA256_LEN 32
/** @macro The largest digest length of any imsms_hash_alg. */
#define IMSMS_MAX_DIGEST_LEN 32
/** @macro AES block and CTR initial counter block length in bytes. */
#define IMSMS_AES_BLOCK_LEN 16
/** @macro AES key wrap (RFC 3394) IV and integrity block length in bytes. */
#define IMSMS_AES_KW_IV_LEN 8

/**
 * @struct
 *
 * A keyed HMAC context, defined by the provider. Opaque to the library.
 */
typedef struct imsms_crypto_hmac imsms_crypto_hmac;

/**
 * @struct
 *
 * A keyed AES-CTR context, defined by the provider. Opaque to the library.
 */
typedef struct imsms_crypto_aes imsms_crypto_aes;

/**
 * @struct
 *
 * The provider vtable, version 1. Members are only ever appended; a later
 * version documents "added in V2" on each new member.
 */
struct imsms_crypto_provider {
  /** Required: IMSMS_CRYPTO_PROVIDER_VERSION (or an older version). */
  uint32_t version;
  /** Required: a short name for logs, e.g. "openssl3+libsodium". */
  const char *name;

  /**
   * Optional: creates the per-context state in |*pstate| (NULL allowed).
   * |self| is the vtable given to imsms_ctx_new(); |mem| is the context's
   * allocator, valid until cleanup(). Returns 0 or a negative code.
   */
  int (*init)(const imsms_crypto_provider *self, const imsms_mem *mem,
              void **pstate);
  /** Optional: releases the state made by init(). */
  void (*cleanup)(void *state);

  /**
   * Required: fills |out| with |len| bytes from a CSPRNG. Returns 0 or
   * IMSMS_ERR_RNG.
   */
  int (*random)(void *state, uint8_t *out, size_t len);

  /**
   * Required: creates an unkeyed HMAC context for |alg|. Returns 0,
   * IMSMS_ERR_UNSUPPORTED_ALG or IMSMS_ERR_NOMEM.
   */
  int (*hmac_new)(void *state, imsms_crypto_hmac **phmac, imsms_hash_alg alg);
  /**
   * Required: (re)keys |hmac| with |keylen| bytes at |key| and starts a
   * message. Any key length, 0 included, is allowed; |key| is not NULL.
   */
  int (*hmac_setkey)(imsms_crypto_hmac *hmac, const uint8_t *key,
                     size_t keylen);
  /**
   * Required: feeds |inlen| bytes of the message. May be called any number
   * of times; MIKEY MACs cover data that is not contiguous.
   */
  int (*hmac_update)(imsms_crypto_hmac *hmac, const uint8_t *in,
                     size_t inlen);
  /**
   * Required: writes the whole digest of the message to |out| and leaves
   * the context ready for a new message under the same key, so one keyed
   * context serves many messages (the MIKEY PRF computes two HMACs per
   * output block under one key).
   */
  int (*hmac_final)(imsms_crypto_hmac *hmac, uint8_t *out);
  /** Required: wipes and frees |hmac|; NULL is ignored. */
  void (*hmac_del)(imsms_crypto_hmac *hmac);

  /** Required: SHA-256 of |inlen| bytes at |in| into |out| (32 bytes). */
  int (*sha256)(void *state, const uint8_t *in, size_t inlen, uint8_t *out);

  /** Required: creates an unkeyed AES-CTR context. */
  int (*aes_new)(void *state, imsms_crypto_aes **paes);
  /**
   * Required: keys |aes| with a 16-, 24- or 32-byte |key|. Returns
   * IMSMS_ERR_KEY_LENGTH for other lengths.
   */
  int (*aes_setkey)(imsms_crypto_aes *aes, const uint8_t *key, size_t keylen);
  /**
   * Required: XORs |len| bytes of AES-CTR keystream into |in| and writes
   * the result to |out| (|in| == |out| is allowed; other overlap is not).
   * The keystream starts at the 16-byte initial counter block |iv|, which
   * is incremented as one 128-bit big-endian integer per block (SP
   * 800-38A; RFC 3711 AES-CM and the MIKEY KEMAC use it this way). Each
   * call starts again from |iv|.
   */
  int (*aes_ctr)(imsms_crypto_aes *aes, const uint8_t *iv, const uint8_t *in,
                 uint8_t *out, size_t len);
  /** Required: wipes and frees |aes|; NULL is ignored. */
  void (*aes_del)(imsms_crypto_aes *aes);

  /**
   * Required: AES key wrap (RFC 3394) of |inlen| bytes (a multiple of 8,
   * at least 16) under the 16-, 24- or 32-byte |kek| with the explicit
   * 8-byte initial value |iv| (MIKEY AES-KW-128 uses the salt, not the
   * default A6A6A6A6A6A6A6A6). Writes |inlen| + 8 bytes to |out|.
   */
  int (*aes_kw_wrap)(void *state, const uint8_t *kek, size_t keklen,
                     const uint8_t *iv, const uint8_t *in, size_t inlen,
                     uint8_t *out);
  /**
   * Required: the inverse of aes_kw_wrap(): |inlen| (a multiple of 8, at
   * least 24) bytes in, |inlen| - 8 bytes out (no overlap). Returns
   * IMSMS_ERR_KEYWRAP_INTEGRITY, with |out| wiped, when the integrity
   * value does not equal |iv|.
   */
  int (*aes_kw_unwrap)(void *state, const uint8_t *kek, size_t keklen,
                       const uint8_t *iv, const uint8_t *in, size_t inlen,
                       uint8_t *out);

  /**
   * Optional (both or neither): memory for long-lived keys (PSKs, ticket
   * protection keys), guarded and locked where the platform allows.
   * secure_free() wipes |len| bytes before releasing. When absent, the
   * library uses the context allocator and wipes before free.
   */
  void *(*secure_alloc)(void *state, size_t len);
  /** Optional: see secure_alloc(). NULL |ptr| is ignored. */
  void (*secure_free)(void *state, void *ptr, size_t len);
};

/**
 * @function
 *
 * Returns the built-in provider: OpenSSL 3 libcrypto for HMAC, SHA-256,
 * AES-CTR and AES key wrap (algorithms fetched once per context, contexts
 * reused), libsodium for random bytes and guarded memory. Its name is
 * "openssl3+libsodium".
 */
IMSMS_EXTERN const imsms_crypto_provider *imsms_crypto_default(void);

/**
 * @function
 *
 * Checks |provider| as imsms_ctx_new() does: version, required members,
 * then, with a state from its init() and the C library allocator, one
 * known answer per primitive (HMAC-SHA-1, HMAC-SHA-256 with a reused key,
 * SHA-256, AES-128-CTR, AES-256-CTR, AES key wrap and unwrap, and a
 * random draw). A provider vendor runs it in its own tests.
 *
 * Returns 0 when the provider passes, or one of the following negative
 * error codes:
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     |provider| is NULL.
 * IMSMS_ERR_PROVIDER_VERSION
 *     |version| is 0 or newer than IMSMS_CRYPTO_PROVIDER_VERSION.
 * IMSMS_ERR_PROVIDER_INCOMPLETE
 *     |name| or a required function is missing, or only one of
 *     secure_alloc/secure_free is set.
 * IMSMS_ERR_SELFTEST
 *     The provider's init() failed, or a primitive gave a wrong answer or
 *     failed.
 * IMSMS_ERR_NOMEM
 *     Out of memory (also when init() reports IMSMS_ERR_NOMEM).
 */
IMSMS_EXTERN int imsms_crypto_selftest(const imsms_crypto_provider *provider);

#ifdef __cplusplus
}
#endif

#endif /* IMSMEDIASEC_CRYPTO_H */
