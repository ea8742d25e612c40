/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The SRTP key derivation of RFC 3711 4.3 with the AES-CM PRF of 4.3.3,
 * for 128-, 192- and 256-bit master keys (RFC 6188 6).
 */
#include <string.h>

#include <imsmediasec/keys.h>

#include "core/ctx.h"
#include "crypto/provider.h"

#define MAX_KDR (1u << 24)
#define SRTP_INDEX_MAX ((uint64_t)1 << 48)
#define SRTCP_INDEX_MAX ((uint32_t)1 << 31)

/* The KDF for one master key: a keyed AES context and the padded salt. */
typedef struct kdf {
  imsms_ctx *ctx;
  imsms_crypto_aes *aes;
  uint8_t salt[IMSMS_SRTP_SALT_LEN];
} kdf;

/*
 * x = (label || r) XOR salt, with label || r right-aligned in 112 bits:
 * r takes |rbytes| bytes (6 for SRTP, 4 for SRTCP per RFC 3711, or 6 when
 * SRTCP follows libsrtp), the label the byte before them.
 */
static int derive(kdf *k, uint8_t label, uint64_t r, size_t rbytes,
                  uint8_t *out, size_t len) {
  uint8_t iv[16], zero[48];
  size_t i, pos = IMSMS_SRTP_SALT_LEN - rbytes - 1;
  int rv;

  memcpy(iv, k->salt, IMSMS_SRTP_SALT_LEN);
  iv[14] = iv[15] = 0;
  iv[pos] ^= label;
  for (i = 0; i < rbytes; i++) {
    iv[pos + 1 + i] ^= (uint8_t)(r >> (8 * (rbytes - 1 - i)));
  }
  /* The PRF is AES-CM keystream: encrypt zeros from IV = x || 0x0000. */
  memset(zero, 0, len);
  rv = k->ctx->cp->aes_ctr(k->aes, iv, zero, out, len);
  imsms_secure_clear(iv, sizeof(iv));
  return rv;
}

static int check_args(const imsms_srtp_suite_info *s,
                      const imsms_cs_master *m, const imsms_srtp_kdf_params *p,
                      int label_byte) {
  if (p->kdr > MAX_KDR || (p->kdr & (p->kdr - 1)) != 0 ||
      p->srtp_index >= SRTP_INDEX_MAX || p->srtcp_index >= SRTCP_INDEX_MAX ||
      (label_byte != IMSMS_SRTCP_LABEL_LIBSRTP &&
       label_byte != IMSMS_SRTCP_LABEL_RFC3711)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (s == NULL) {
    return IMSMS_ERR_UNSUPPORTED_ALG;
  }
  if (m->key_len != s->master_key_len || m->salt_len != s->master_salt_len) {
    return IMSMS_ERR_KEY_LENGTH;
  }
  return 0;
}

/* The six keys: labels 0-2 for SRTP, 3-5 for SRTCP. */
static int derive_all(kdf *k, const imsms_srtp_suite_info *s,
                      const imsms_srtp_kdf_params *p, int label_byte,
                      imsms_srtp_session_keys *out) {
  uint64_t r = p->kdr ? p->srtp_index / p->kdr : 0;
  uint64_t rc = p->kdr ? p->srtcp_index / p->kdr : 0;
  size_t crb = label_byte == IMSMS_SRTCP_LABEL_LIBSRTP ? 6 : 4;
  int rv = 0;

  out->cipher_key_len = s->session_key_len;
  out->auth_key_len = s->auth_key_len;
  out->salt_len = s->master_salt_len;
  if (s->session_key_len) {
    rv = derive(k, 0, r, 6, out->srtp_cipher_key, s->session_key_len);
    if (rv == 0) {
      rv = derive(k, 3, rc, crb, out->srtcp_cipher_key, s->session_key_len);
    }
  }
  if (rv == 0 && s->auth_key_len) {
    rv = derive(k, 1, r, 6, out->srtp_auth_key, s->auth_key_len);
    if (rv == 0) {
      rv = derive(k, 4, rc, crb, out->srtcp_auth_key, s->auth_key_len);
    }
  }
  if (rv == 0) {
    rv = derive(k, 2, r, 6, out->srtp_salt, s->master_salt_len);
  }
  if (rv == 0) {
    rv = derive(k, 5, rc, crb, out->srtcp_salt, s->master_salt_len);
  }
  return rv;
}

/* see imsmediasec/keys.h */
int imsms_srtp_kdf(imsms_ctx *ctx, int suite, const imsms_cs_master *master,
                   const imsms_srtp_kdf_params *kp,
                   imsms_srtp_session_keys *out) {
  static const imsms_srtp_kdf_params defaults;
  const imsms_srtp_suite_info *s = imsms_srtp_suite_get(suite);
  const imsms_srtp_kdf_params *p = kp ? kp : &defaults;
  int label_byte = p->srtcp_label_byte ? p->srtcp_label_byte
                                       : IMSMS_SRTCP_LABEL_LIBSRTP;
  kdf k;
  int rv;

  if (out != NULL) {
    imsms_secure_clear(out, sizeof(*out));
  }
  if (ctx == NULL || master == NULL || out == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if ((rv = check_args(s, master, p, label_byte)) != 0) {
    return rv;
  }
  k.ctx = ctx;
  k.aes = NULL;
  /* A 96-bit GCM salt is followed by two zero bytes, as libsrtp does. */
  memset(k.salt, 0, sizeof(k.salt));
  memcpy(k.salt, master->salt, master->salt_len);
  rv = imsms_aes_acquire(ctx, &k.aes);
  if (rv == 0) {
    rv = ctx->cp->aes_setkey(k.aes, master->key, master->key_len);
  }
  if (rv == 0) {
    rv = derive_all(&k, s, p, label_byte, out);
  }
  imsms_aes_release(ctx, k.aes);
  imsms_secure_clear(&k, sizeof(k));
  if (rv != 0) {
    imsms_secure_clear(out, sizeof(*out));
    return rv == IMSMS_ERR_NOMEM ? rv : IMSMS_ERR_CRYPTO;
  }
  return 0;
}
