/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * From a TGK, GTGK or TEK to the master key and salt of a crypto session
 * (RFC 3830 4.1.3, RFC 6043 5.1.3), and key forking (RFC 6043 5.1.1).
 */
#include <string.h>

#include <imsmediasec/keys.h>

#include "core/ctx.h"
#include "mikey/labels.h"
#include "mikey/prf.h"

static imsms_ssize tek_label(uint8_t *label, size_t cap,
                             const imsms_tek_params *tp, uint8_t cs_id,
                             uint32_t constant) {
  switch (tp->rfc) {
  case IMSMS_TEK_RFC3830:
    return imsms_label_tgk_3830(label, cap, constant, cs_id, tp->csb_id,
                                tp->rand, tp->rand_len);
  case IMSMS_TEK_RFC6043:
    /* RFC 6043 5.1.3: at least one of RANDRi (H) and RANDRr (G). */
    if (tp->randri == NULL && tp->randrr == NULL) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
    return imsms_label_tgk_6043(label, cap, constant, cs_id, tp->randri,
                                tp->randri_len, tp->randrr, tp->randrr_len);
  default:
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
}

/* One label of |tp|'s family under the PRF keyed with the TGK. */
static int prf_label(imsms_prf *prf, const imsms_tek_params *tp,
                     uint8_t cs_id, uint32_t constant, uint8_t *out,
                     size_t outlen) {
  uint8_t label[IMSMS_LABEL_MAX_LEN];
  imsms_ssize n = tek_label(label, sizeof(label), tp, cs_id, constant);

  if (n < 0) {
    return n == IMSMS_ERR_NOBUF ? IMSMS_ERR_TOO_LARGE : (int)n;
  }
  return imsms_prf_derive(prf, label, (size_t)n, out, outlen);
}

/* see imsmediasec/keys.h */
int imsms_tgk_derive(imsms_ctx *ctx, const imsms_tek_params *tp,
                     const uint8_t *tgk, size_t tgklen, uint8_t cs_id,
                     uint32_t constant, uint8_t *out, size_t outlen) {
  imsms_prf prf;
  int rv;

  if (out != NULL) {
    imsms_secure_clear(out, outlen);
  }
  if (ctx == NULL || tp == NULL || tgk == NULL || tgklen == 0 ||
      out == NULL || outlen == 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  imsms_prf_init(&prf, ctx);
  rv = imsms_prf_setkey(&prf, tp->prf_func, tgk, tgklen);
  if (rv == 0) {
    rv = prf_label(&prf, tp, cs_id, constant, out, outlen);
  }
  imsms_prf_free(&prf);
  if (rv != 0) {
    imsms_secure_clear(out, outlen);
  }
  return rv;
}

static int is_tgk(uint8_t type) {
  return type == IMSMS_MIKEY_KEY_TGK || type == IMSMS_MIKEY_KEY_TGK_SALT ||
         type == IMSMS_MIKEY_KEY_GTGK || type == IMSMS_MIKEY_KEY_GTGK_SALT;
}

static int is_tek(uint8_t type) {
  return type == IMSMS_MIKEY_KEY_TEK || type == IMSMS_MIKEY_KEY_TEK_SALT;
}

static int master_key(imsms_prf *prf, const imsms_tek_params *tp,
                      const imsms_mikey_keydata *kd, uint8_t cs_id,
                      size_t key_len, imsms_cs_master *out) {
  if (is_tek(kd->type)) {
    if (kd->key_len != key_len) {
      return IMSMS_ERR_KEY_LENGTH;
    }
    memcpy(out->key, kd->key, key_len);
    return 0;
  }
  return prf_label(prf, tp, cs_id, IMSMS_LABEL_TEK, out->key, key_len);
}

static int master_salt(imsms_prf *prf, const imsms_tek_params *tp,
                       const imsms_mikey_keydata *kd, uint8_t cs_id,
                       size_t salt_len, imsms_cs_master *out) {
  if (kd->salt) {
    /* A carried salt wins over a derived one (RFC 3830 4.1.3). */
    if (kd->salt_len != salt_len) {
      return IMSMS_ERR_KEY_LENGTH;
    }
    memcpy(out->salt, kd->salt, salt_len);
    return 0;
  }
  if (is_tek(kd->type)) {
    /* RFC 3711 3.2.1: a "NULL" salt is treated as 00...0. */
    memset(out->salt, 0, salt_len);
    return 0;
  }
  return prf_label(prf, tp, cs_id, IMSMS_LABEL_SALT, out->salt, salt_len);
}

/* TEK and salt under one keyed PRF: the TGK is keyed once for both. */
static int master_both(imsms_ctx *ctx, const imsms_tek_params *tp,
                       const imsms_mikey_keydata *kd, uint8_t cs_id,
                       size_t key_len, size_t salt_len, imsms_cs_master *out) {
  imsms_prf prf;
  int rv = 0;

  imsms_prf_init(&prf, ctx);
  if (is_tgk(kd->type)) {
    if (kd->key_len == 0) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
    rv = imsms_prf_setkey(&prf, tp->prf_func, kd->key, kd->key_len);
  }
  if (rv == 0) {
    rv = master_key(&prf, tp, kd, cs_id, key_len, out);
  }
  if (rv == 0) {
    rv = master_salt(&prf, tp, kd, cs_id, salt_len, out);
  }
  imsms_prf_free(&prf);
  return rv;
}

/* see imsmediasec/keys.h */
int imsms_cs_master_derive(imsms_ctx *ctx, const imsms_tek_params *tp,
                           const imsms_mikey_keydata *kd, uint8_t cs_id,
                           size_t key_len, size_t salt_len,
                           imsms_cs_master *out) {
  int rv;

  if (out != NULL) {
    imsms_secure_clear(out, sizeof(*out));
  }
  if (ctx == NULL || tp == NULL || kd == NULL || out == NULL ||
      kd->key == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (!is_tgk(kd->type) && !is_tek(kd->type)) {
    return IMSMS_ERR_MIKEY_KEY_DATA;
  }
  if (key_len == 0 || key_len > sizeof(out->key) || salt_len == 0 ||
      salt_len > sizeof(out->salt) ||
      (kd->kv == IMSMS_MIKEY_KV_SPI && kd->spi_len > sizeof(out->mki))) {
    return IMSMS_ERR_KEY_LENGTH;
  }
  rv = master_both(ctx, tp, kd, cs_id, key_len, salt_len, out);
  if (rv != 0) {
    imsms_secure_clear(out, sizeof(*out));
    return rv;
  }
  out->key_len = key_len;
  out->salt_len = salt_len;
  if (kd->kv == IMSMS_MIKEY_KV_SPI && kd->spi_len) {
    memcpy(out->mki, kd->spi, kd->spi_len);
    out->mki_len = kd->spi_len;
  }
  return 0;
}

/* see imsmediasec/keys.h */
int imsms_key_fork(imsms_ctx *ctx, int prf_func, int which,
                   const uint8_t *key, size_t keylen, const uint8_t *idr,
                   size_t idrlen, const uint8_t *randrkms, size_t randrkmslen,
                   uint8_t *out) {
  uint8_t label[IMSMS_LABEL_MAX_LEN];
  imsms_ssize n;

  if (out != NULL && keylen) {
    imsms_secure_clear(out, keylen);
  }
  if (ctx == NULL || key == NULL || keylen == 0 || out == NULL ||
      (which != IMSMS_FORK_MPKR && which != IMSMS_FORK_TGK)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  n = imsms_label_fork_6043(label, sizeof(label), (uint32_t)which, idr,
                            idrlen, randrkms, randrkmslen);
  if (n < 0) {
    imsms_secure_clear(out, keylen);
    return n == IMSMS_ERR_NOBUF ? IMSMS_ERR_TOO_LARGE : (int)n;
  }
  /* outkey_len = inkey_len (RFC 6043 5.1.1). */
  return imsms_mikey_prf(ctx, prf_func, key, keylen, label, (size_t)n, out,
                         keylen);
}
