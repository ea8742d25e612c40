/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "mikey/protect.h"

#include <string.h>

#include "core/ctx.h"
#include "crypto/provider.h"
#include "mikey/codec.h"
#include "mikey/labels.h"

/* AES-CM may encrypt at most 2^23 bits (RFC 3830 4.2.3). */
#define AES_CM_MAX_BYTES (1u << 20)

int imsms_mikey_alg_lens(uint8_t encr_alg, uint8_t mac_alg,
                         imsms_mikey_msgkeys *k) {
  int mac_len = imsms_mikey_mac_len(mac_alg);

  switch (encr_alg) {
  case IMSMS_MIKEY_ENCR_NULL:
    k->encr_len = k->salt_len = 0;
    break;
  case IMSMS_MIKEY_ENCR_AES_CM_128:
    k->encr_len = 16;
    k->salt_len = 14;
    break;
  case IMSMS_MIKEY_ENCR_AES_KW_128:
    k->encr_len = 16;
    k->salt_len = 8;
    break;
  case IMSMS_MIKEY_ENCR_AES_CM_256:
    k->encr_len = 32;
    k->salt_len = 14;
    break;
  default:
    return IMSMS_ERR_MIKEY_ENCR_ALG;
  }
  if (mac_len < 0) {
    return IMSMS_ERR_MIKEY_MAC_ALG;
  }
  k->auth_len = (size_t)mac_len;
  return 0;
}

int imsms_mikey_algs_for_prf(uint8_t prf_func, uint8_t *encr_alg,
                             uint8_t *mac_alg) {
  switch (prf_func) {
  case IMSMS_MIKEY_PRF_MIKEY_1:
    *encr_alg = IMSMS_MIKEY_ENCR_AES_CM_128;
    *mac_alg = IMSMS_MIKEY_MAC_HMAC_SHA1_160;
    return 0;
  case IMSMS_MIKEY_PRF_HMAC_SHA256:
    *encr_alg = IMSMS_MIKEY_ENCR_AES_CM_256;
    *mac_alg = IMSMS_MIKEY_MAC_HMAC_SHA256_256;
    return 0;
  default:
    return IMSMS_ERR_MIKEY_PRF;
  }
}

void imsms_mikey_msgkeys_clear(imsms_mikey_msgkeys *k) {
  imsms_secure_clear(k, sizeof(*k));
}

/* A label builder's result: lengths it cannot hold are the peer's. */
static int label_result(imsms_ssize n) {
  return n >= 0 ? 0 : n == IMSMS_ERR_NOBUF ? IMSMS_ERR_MIKEY_LENGTH : (int)n;
}

/* see mikey/protect.h */
int imsms_mikey_keys_from_label(imsms_prf *prf, uint8_t *label,
                                size_t labellen, imsms_mikey_msgkeys *k) {
  static const uint32_t constants[3] = {
      IMSMS_LABEL_ENV_ENCR, IMSMS_LABEL_ENV_SALT, IMSMS_LABEL_ENV_AUTH};
  uint8_t *const outs[3] = {k->encr, k->salt, k->auth};
  const size_t lens[3] = {k->encr_len, k->salt_len, k->auth_len};
  int rv = 0, i;

  for (i = 0; rv == 0 && i < 3; i++) {
    if (lens[i]) {
      imsms_label_set_constant(label, constants[i]);
      rv = imsms_prf_derive(prf, label, labellen, outs[i], lens[i]);
    }
  }
  if (rv != 0) {
    imsms_mikey_msgkeys_clear(k);
  }
  return rv;
}

int imsms_mikey_msgkeys_3830(imsms_prf *prf, uint8_t encr_alg,
                             uint8_t mac_alg, uint32_t csb_id,
                             const uint8_t *rand, size_t randlen,
                             imsms_mikey_msgkeys *k) {
  uint8_t label[IMSMS_LABEL_MAX_LEN];
  imsms_ssize n = 0;
  int rv = imsms_mikey_alg_lens(encr_alg, mac_alg, k);

  if (rv == 0) {
    n = imsms_label_env_3830(label, sizeof(label), IMSMS_LABEL_ENV_ENCR,
                             csb_id, rand, randlen);
    rv = label_result(n);
  }
  if (rv == 0) {
    return imsms_mikey_keys_from_label(prf, label, (size_t)n, k);
  }
  imsms_mikey_msgkeys_clear(k);
  return rv;
}

int imsms_mikey_msgkeys_6043(imsms_prf *prf, uint8_t encr_alg,
                             uint8_t mac_alg, uint32_t csb_id, int response,
                             const uint8_t *randri, size_t randrilen,
                             const uint8_t *randrr, size_t randrrlen,
                             imsms_mikey_msgkeys *k) {
  uint8_t label[IMSMS_LABEL_MAX_LEN];
  imsms_ssize n = 0;
  int rv = imsms_mikey_alg_lens(encr_alg, mac_alg, k);

  /* At least one RAND is always present (RFC 6043 5.1.2). */
  if (rv == 0 && randri == NULL && randrr == NULL) {
    rv = IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (rv == 0) {
    n = imsms_label_msg_6043(label, sizeof(label), IMSMS_LABEL_ENV_ENCR,
                             csb_id, response, randri, randrilen, randrr,
                             randrrlen);
    rv = label_result(n);
  }
  if (rv == 0) {
    return imsms_mikey_keys_from_label(prf, label, (size_t)n, k);
  }
  imsms_mikey_msgkeys_clear(k);
  return rv;
}

/* IV = (S XOR (0x0000 || CSB ID || T)) || 0x0000 (RFC 3830 4.2.3). */
static void aes_cm_iv(uint8_t iv[16], const uint8_t salt[14], uint32_t csb_id,
                      uint64_t t64) {
  int i;

  memcpy(iv, salt, 14);
  iv[14] = iv[15] = 0;
  for (i = 0; i < 4; i++) {
    iv[2 + i] ^= (uint8_t)(csb_id >> (24 - 8 * i));
  }
  for (i = 0; i < 8; i++) {
    iv[6 + i] ^= (uint8_t)(t64 >> (56 - 8 * i));
  }
}

static int aes_cm(imsms_ctx *ctx, const imsms_mikey_msgkeys *k,
                  uint32_t csb_id, uint64_t t64, const uint8_t *in,
                  size_t len, uint8_t *out) {
  imsms_crypto_aes *aes = NULL;
  uint8_t iv[16];
  int rv;

  if (len > AES_CM_MAX_BYTES) {
    return IMSMS_ERR_MIKEY_LENGTH;
  }
  aes_cm_iv(iv, k->salt, csb_id, t64);
  rv = imsms_aes_acquire(ctx, &aes);
  if (rv == 0) {
    rv = ctx->cp->aes_setkey(aes, k->encr, k->encr_len);
  }
  if (rv == 0 && len) {
    rv = ctx->cp->aes_ctr(aes, iv, in, out, len);
  }
  imsms_aes_release(ctx, aes);
  imsms_secure_clear(iv, sizeof(iv));
  return rv;
}

static int aes_kw(imsms_ctx *ctx, int encrypt, const imsms_mikey_msgkeys *k,
                  const uint8_t *in, size_t inlen, uint8_t *out,
                  size_t *outlen) {
  if (inlen % 8 != 0 || inlen < (encrypt ? 16u : 24u)) {
    return IMSMS_ERR_MIKEY_LENGTH;
  }
  *outlen = encrypt ? inlen + 8 : inlen - 8;
  if (encrypt) {
    return ctx->cp->aes_kw_wrap(ctx->cstate, k->encr, k->encr_len, k->salt,
                                in, inlen, out);
  }
  {
    int rv = ctx->cp->aes_kw_unwrap(ctx->cstate, k->encr, k->encr_len,
                                    k->salt, in, inlen, out);

    /* Integrity failure is a bad MAC; any other failure stays a failure. */
    return rv == IMSMS_ERR_KEYWRAP_INTEGRITY ? IMSMS_ERR_MIKEY_AUTH : rv;
  }
}

/* Output length of a KEMAC operation, or a negative error. */
static imsms_ssize crypt_len(int encrypt, uint8_t encr_alg, size_t inlen) {
  if (encr_alg != IMSMS_MIKEY_ENCR_AES_KW_128) {
    return (imsms_ssize)inlen;
  }
  if (inlen % 8 != 0 || inlen < (encrypt ? 16u : 24u)) {
    return IMSMS_ERR_MIKEY_LENGTH;
  }
  return (imsms_ssize)(encrypt ? inlen + 8 : inlen - 8);
}

int imsms_mikey_kemac_crypt(imsms_ctx *ctx, int encrypt, uint8_t encr_alg,
                            const imsms_mikey_msgkeys *k, uint32_t csb_id,
                            uint64_t t64, const uint8_t *in, size_t inlen,
                            uint8_t *out, size_t outcap, size_t *outlen) {
  imsms_ssize need = crypt_len(encrypt, encr_alg, inlen);
  int rv;

  if (need < 0) {
    return (int)need;
  }
  if (outcap < (size_t)need) {
    return IMSMS_ERR_NOBUF;
  }
  *outlen = (size_t)need;
  switch (encr_alg) {
  case IMSMS_MIKEY_ENCR_NULL:
    if (inlen) {
      memmove(out, in, inlen);
    }
    return 0;
  case IMSMS_MIKEY_ENCR_AES_CM_128:
  case IMSMS_MIKEY_ENCR_AES_CM_256:
    rv = aes_cm(ctx, k, csb_id, t64, in, inlen, out);
    break;
  case IMSMS_MIKEY_ENCR_AES_KW_128:
    rv = aes_kw(ctx, encrypt, k, in, inlen, out, outlen);
    break;
  default:
    return IMSMS_ERR_MIKEY_ENCR_ALG;
  }
  if (rv != 0) {
    imsms_secure_clear(out, (size_t)need);
    *outlen = 0;
  }
  return rv;
}

/*
 * MAC inputs come in pieces (a message, identities, length fields); each
 * provider update call costs about as much as hashing 40 bytes, so
 * pieces shorter than the stage are gathered and fed in one call. 1 KB
 * holds an answer and the message it covers (RFC 6043 5.5) for every
 * common ticket: with 512 bytes, the S256 answers (536 bytes of input)
 * took two calls and a partial block buffered inside OpenSSL, some 680
 * instructions more. The stage holds only MAC input, which is never
 * secret (protect.h), so it is not wiped.
 */
#define MAC_STAGE_LEN 1024

typedef struct mac_stage {
  uint8_t buf[MAC_STAGE_LEN];
  size_t len;
} mac_stage;

static int mac_feed(imsms_ctx *ctx, imsms_crypto_hmac *h, mac_stage *st,
                    const uint8_t *p, size_t len) {
  int rv;

  if (len == 0) {
    return 0;
  }
  if (st->len + len <= sizeof(st->buf)) {
    memcpy(st->buf + st->len, p, len);
    st->len += len;
    return 0;
  }
  if (st->len) {
    rv = ctx->cp->hmac_update(h, st->buf, st->len);
    st->len = 0;
    if (rv != 0) {
      return rv;
    }
  }
  if (len < sizeof(st->buf)) {
    memcpy(st->buf, p, len);
    st->len = len;
    return 0;
  }
  return ctx->cp->hmac_update(h, p, len);
}

int imsms_mikey_mac(imsms_ctx *ctx, uint8_t mac_alg, const uint8_t *key,
                    size_t keylen, const imsms_iov *iov, size_t n,
                    uint8_t *out) {
  imsms_crypto_hmac *h = NULL;
  mac_stage st;
  int mac_len = imsms_mikey_mac_len(mac_alg);
  int hash = mac_alg == IMSMS_MIKEY_MAC_HMAC_SHA1_160 ? IMSMS_HASH_SHA1
                                                      : IMSMS_HASH_SHA256;
  size_t i;
  int rv;

  if (mac_len <= 0) {
    return mac_len == 0 ? 0 : IMSMS_ERR_MIKEY_MAC_ALG;
  }
  /* Both MIKEY MACs are whole digests (HMAC-SHA-1-160, RFC 3830;
   * HMAC-SHA-256-256, RFC 6043), so the digest goes straight to |out|:
   * no copy of it to wipe (a verifier's expected MAC is one). */
  if ((size_t)mac_len != imsms_hash_len(hash)) {
    return IMSMS_ERR_MIKEY_MAC_ALG;
  }
  rv = imsms_hmac_acquire(ctx, hash, &h);
  if (rv != 0) {
    return rv;
  }
  st.len = 0;
  rv = ctx->cp->hmac_setkey(h, key, keylen);
  for (i = 0; rv == 0 && i < n; i++) {
    rv = mac_feed(ctx, h, &st, iov[i].base, iov[i].len);
  }
  if (rv == 0 && st.len) {
    rv = ctx->cp->hmac_update(h, st.buf, st.len);
  }
  if (rv == 0) {
    rv = ctx->cp->hmac_final(h, out);
  }
  imsms_hmac_release(ctx, hash, h);
  if (rv != 0) {
    imsms_secure_clear(out, (size_t)mac_len);
  }
  return rv == 0 || rv == IMSMS_ERR_NOMEM ? rv : IMSMS_ERR_CRYPTO;
}

int imsms_mikey_mac_verify(imsms_ctx *ctx, uint8_t mac_alg,
                           const uint8_t *key, size_t keylen,
                           const imsms_iov *iov, size_t n,
                           const uint8_t *mac) {
  uint8_t calc[IMSMS_MAX_DIGEST_LEN];
  int mac_len = imsms_mikey_mac_len(mac_alg);
  int rv = imsms_mikey_mac(ctx, mac_alg, key, keylen, iov, n, calc);

  if (rv == 0 && mac_len > 0 &&
      !imsms_ct_memeq(calc, mac, (size_t)mac_len)) {
    rv = IMSMS_ERR_MIKEY_AUTH;
  }
  imsms_secure_clear(calc, sizeof(calc));
  return rv;
}
