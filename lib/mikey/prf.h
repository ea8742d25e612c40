/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The MIKEY PRF (RFC 3830 section 4.1.2) and PRF-HMAC-SHA-256 (RFC 6043
 * section 6.1) with a reusable keyed state. One exchange derives several
 * keys from one inkey (encr, auth and salt keys, a TEK per crypto
 * session), so the HMAC contexts of the inkey's chunks are made once and
 * kept: after the first imsms_prf_setkey(), re-keying with a key of the
 * same or fewer chunks and the same PRF, and any number of
 * imsms_prf_derive() calls, allocate nothing.
 *
 * The struct is caller-allocated; its fields are private. It holds keyed
 * provider contexts, so every imsms_prf_init() needs an imsms_prf_free().
 */
#ifndef IMSMS_MIKEY_PRF_H
#define IMSMS_MIKEY_PRF_H

#include <imsmediasec/imsmediasec.h>
#include <imsmediasec/mikey.h>

/* The longest inkey accepted, in bytes (the imsms_mikey_prf() contract). */
#define IMSMS_PRF_MAX_INKEY 256
/* The longest label accepted, in bytes. */
/* The longest RFC 6043 label: a fork label with a 65535-byte ID. */
#define IMSMS_PRF_MAX_LABEL (4 + 1 + 4 + 1 + 2 + 65535 + 1 + 255)
/* The longest output accepted, in bytes. */
#define IMSMS_PRF_MAX_OUT 1024
/*
 * Inkey chunk size in bytes: 256 bits for both PRFs. RFC 6043 replaces
 * only the "160" of RFC 3830 with 256; the 256-bit chunking stays, and is
 * still half the hash block size for SHA-256.
 */
#define IMSMS_PRF_CHUNK_LEN 32
#define IMSMS_PRF_MAX_CHUNKS (IMSMS_PRF_MAX_INKEY / IMSMS_PRF_CHUNK_LEN)

typedef struct imsms_prf {
  imsms_ctx *ctx;
  /* imsms_mikey_prf_func of the contexts below, -1 none. */
  int func;
  /* Chunks of the current key; 0 when no usable key is set. */
  size_t nchunks;
  /* HMAC contexts created so far (h[0] .. h[nalloc - 1]). */
  size_t nalloc;
  imsms_crypto_hmac *h[IMSMS_PRF_MAX_CHUNKS];
  /* Derivation scratch (A_i, a block that does not go straight to the
   * output): wiped once, by imsms_prf_free(), not after every
   * derivation. */
  uint8_t scratch[2 * IMSMS_MAX_DIGEST_LEN];
  /* Bytes of |scratch| used since the last wipe. */
  size_t scratch_used;
} imsms_prf;

/*
 * Prepares |prf| to use |ctx|'s provider. Allocates nothing and cannot
 * fail.
 */
void imsms_prf_init(imsms_prf *prf, imsms_ctx *ctx);

/*
 * Keys |prf| with |inkeylen| bytes at |inkey| for PRF |func|
 * (imsms_mikey_prf_func). The inkey is split into ceil(|inkeylen| / 32)
 * chunks; only the last may be shorter, and none is ever empty (minisip
 * added an empty chunk when the length was a multiple of 32, which gives
 * different keys). HMAC contexts are created only when |func| changed or
 * the key has more chunks than ever before; otherwise the existing ones
 * are re-keyed. Contexts beyond the new key's chunks are re-keyed with
 * the empty key, so no chunk of an older key outlives this call.
 *
 * Returns 0 or one of the following negative error codes (|prf| then
 * holds no usable key until the next successful call):
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     |prf|, its context or |inkey| is NULL, or |inkeylen| is 0.
 * IMSMS_ERR_MIKEY_PRF
 *     |func| is neither 0 nor 1.
 * IMSMS_ERR_TOO_LARGE
 *     |inkeylen| exceeds IMSMS_PRF_MAX_INKEY.
 * IMSMS_ERR_NOMEM
 *     The provider ran out of memory.
 * IMSMS_ERR_CRYPTO
 *     Any other provider failure.
 */
int imsms_prf_setkey(imsms_prf *prf, int func, const uint8_t *inkey,
                     size_t inkeylen);

/*
 * Writes the first |outlen| bytes of PRF(inkey, |label|) under the key of
 * the last imsms_prf_setkey() to |out|. May be called any number of times
 * per key. |label| may be NULL when |labellen| is 0.
 *
 * Returns 0 or one of the following negative error codes (|out| is wiped
 * on failure when it is not NULL):
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     |prf| or |out| is NULL, |label| is NULL with a nonzero |labellen|,
 *     |outlen| is 0, or no key is set.
 * IMSMS_ERR_TOO_LARGE
 *     |labellen| exceeds IMSMS_PRF_MAX_LABEL or |outlen|
 *     IMSMS_PRF_MAX_OUT.
 * IMSMS_ERR_NOMEM, IMSMS_ERR_CRYPTO
 *     The provider failed. The key is forgotten (an HMAC may have been
 *     left mid-message): call imsms_prf_setkey() again before reuse.
 */
int imsms_prf_derive(imsms_prf *prf, const uint8_t *label, size_t labellen,
                     uint8_t *out, size_t outlen);

/*
 * Deletes the HMAC contexts (the provider wipes them), wipes the
 * derivation scratch and leaves |prf| as imsms_prf_init() did. NULL is
 * ignored; calling it twice is harmless.
 */
void imsms_prf_free(imsms_prf *prf);

#endif /* IMSMS_MIKEY_PRF_H */
