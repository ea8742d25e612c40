/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The generic key derivation function of TS 33.220 B.2.0 and the GBA
 * Ks_NAF of B.3, as a KMS uses it to key the UE-KMS exchanges.
 *
 * S = FC || P0 || L0 || ... || Pn-1 || Ln-1 goes into one keyed
 * HMAC-SHA-256 context of the context's provider (taken from and given
 * back to the context's pool) piece by piece, so no copy of S (which
 * holds the IMPI and RAND) is ever made.
 */
#include <string.h>

#include <imsmediasec/keys.h>

#include "core/ctx.h"
#include "crypto/provider.h"

/* TS 33.220 B.2.0: at most 16 parameters, each at most 65535 bytes. */
#define GBA_MAX_PARAMS 16
#define GBA_MAX_PARAM_LEN 0xFFFFu
#define GBA_MAX_FC 0xFFFFu

/* FC of Ks_NAF, Ks_ext_NAF and Ks_int_NAF (TS 33.220 B.3). */
#define GBA_FC_KS_NAF 0x01u

/*
 * One parameter Pi of S, made of up to two contiguous pieces so that
 * NAF_Id = FQDN || Ua security protocol id needs no concatenation buffer.
 */
typedef struct gba_param {
  const uint8_t *a;
  size_t alen;
  const uint8_t *b;
  size_t blen;
} gba_param;

static int feed(imsms_ctx *ctx, imsms_crypto_hmac *h, const uint8_t *p,
                size_t len) {
  if (len == 0) {
    return 0;
  }
  return ctx->cp->hmac_update(h, p, len);
}

/*
 * HMAC-SHA-256(key, S) into |out| (32 bytes). The caller has checked the
 * arguments. Returns 0, IMSMS_ERR_NOMEM or IMSMS_ERR_CRYPTO; |out| is
 * wiped on failure.
 */
static int gba_kdf_run(imsms_ctx *ctx, const uint8_t *key, size_t keylen,
                       unsigned fc, const gba_param *params, size_t nparams,
                       uint8_t *out) {
  static const uint8_t empty[1];
  imsms_crypto_hmac *h = NULL;
  uint8_t hdr[2];
  size_t i, hdrlen;
  int rv;

  rv = imsms_hmac_acquire(ctx, IMSMS_HASH_SHA256, &h);
  if (rv != 0) {
    goto fail;
  }
  /* Providers get a non-NULL key pointer even for an empty key. */
  rv = ctx->cp->hmac_setkey(h, keylen ? key : empty, keylen);
  if (rv != 0) {
    goto fail;
  }
  /* FC: one octet 0x00-0xFE, otherwise 0xFF || FC2 (TS 33.220 B.2.2). */
  if (fc <= 0xFEu) {
    hdr[0] = (uint8_t)fc;
    hdrlen = 1;
  } else {
    hdr[0] = 0xFF;
    hdr[1] = (uint8_t)(fc & 0xFFu);
    hdrlen = 2;
  }
  rv = feed(ctx, h, hdr, hdrlen);
  for (i = 0; rv == 0 && i < nparams; i++) {
    const gba_param *p = &params[i];
    size_t len = p->alen + p->blen;

    rv = feed(ctx, h, p->a, p->alen);
    if (rv == 0) {
      rv = feed(ctx, h, p->b, p->blen);
    }
    if (rv == 0) {
      hdr[0] = (uint8_t)(len >> 8);
      hdr[1] = (uint8_t)(len & 0xFFu);
      rv = feed(ctx, h, hdr, 2);
    }
  }
  if (rv == 0) {
    rv = ctx->cp->hmac_final(h, out);
  }
  if (rv != 0) {
    goto fail;
  }
  imsms_hmac_release(ctx, IMSMS_HASH_SHA256, h);
  imsms_secure_clear(hdr, sizeof(hdr));
  return 0;

fail:
  /* Re-keyed empty before it is pooled, or deleted. */
  imsms_hmac_release(ctx, IMSMS_HASH_SHA256, h);
  imsms_secure_clear(hdr, sizeof(hdr));
  imsms_secure_clear(out, IMSMS_GBA_KEY_LEN);
  return rv == IMSMS_ERR_NOMEM ? IMSMS_ERR_NOMEM : IMSMS_ERR_CRYPTO;
}

/* see imsmediasec/keys.h */
int imsms_gba_kdf(imsms_ctx *ctx, const uint8_t *key, size_t keylen,
                  unsigned fc, const uint8_t *const *params,
                  const size_t *paramlens, size_t nparams, uint8_t *out) {
  gba_param p[GBA_MAX_PARAMS];
  size_t i;
  int rv;

  if (out == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (ctx == NULL || key == NULL || fc > GBA_MAX_FC ||
      (fc > 0xFEu && fc < 0xFF00u) ||
      nparams > GBA_MAX_PARAMS ||
      (nparams && (params == NULL || paramlens == NULL))) {
    goto invalid;
  }
  memset(p, 0, sizeof(p));
  for (i = 0; i < nparams; i++) {
    if (paramlens[i] > GBA_MAX_PARAM_LEN ||
        (params[i] == NULL && paramlens[i] != 0)) {
      goto invalid;
    }
    p[i].a = params[i];
    p[i].alen = paramlens[i];
  }
  rv = gba_kdf_run(ctx, key, keylen, fc, p, nparams, out);
  imsms_secure_clear(p, sizeof(p));
  return rv;

invalid:
  imsms_secure_clear(out, IMSMS_GBA_KEY_LEN);
  return IMSMS_ERR_INVALID_ARGUMENT;
}

/* see imsmediasec/keys.h */
int imsms_gba_ks_naf(imsms_ctx *ctx, const uint8_t *ks, size_t kslen,
                     const uint8_t *rand, size_t randlen, const char *impi,
                     const char *naf_fqdn, int gba_u, uint8_t *out) {
  static const uint8_t ua_kms[] = IMSMS_GBA_UA_KMS;
  static const char gba_me[] = "gba-me", gba_u_str[] = "gba-u";
  gba_param p[4];
  size_t impilen, fqdnlen;
  int rv;

  if (out == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (ctx == NULL || ks == NULL || impi == NULL || naf_fqdn == NULL ||
      (rand == NULL && randlen) || (gba_u != 0 && gba_u != 1) ||
      randlen > GBA_MAX_PARAM_LEN) {
    goto invalid;
  }
  impilen = strlen(impi);
  fqdnlen = strlen(naf_fqdn);
  /* NAF_Id carries the 5-byte Ua id after the FQDN. */
  if (impilen > GBA_MAX_PARAM_LEN ||
      fqdnlen > GBA_MAX_PARAM_LEN - (sizeof(ua_kms) - 1)) {
    goto invalid;
  }
  memset(p, 0, sizeof(p));
  /* P0: "gba-me" for Ks_(ext)_NAF, "gba-u" for Ks_int_NAF. */
  p[0].a = (const uint8_t *)(gba_u ? gba_u_str : gba_me);
  p[0].alen = gba_u ? sizeof(gba_u_str) - 1 : sizeof(gba_me) - 1;
  p[1].a = rand;
  p[1].alen = randlen;
  p[2].a = (const uint8_t *)impi;
  p[2].alen = impilen;
  p[3].a = (const uint8_t *)naf_fqdn;
  p[3].alen = fqdnlen;
  p[3].b = ua_kms;
  p[3].blen = sizeof(ua_kms) - 1;
  rv = gba_kdf_run(ctx, ks, kslen, GBA_FC_KS_NAF, p, 4, out);
  imsms_secure_clear(p, sizeof(p));
  return rv;

invalid:
  imsms_secure_clear(out, IMSMS_GBA_KEY_LEN);
  return IMSMS_ERR_INVALID_ARGUMENT;
}
