/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "mikey/prf.h"

#include <string.h>

#include "core/ctx.h"
#include "crypto/provider.h"

/* Provider codes are not ours to pass on, except running out of memory. */
static int map_provider_error(int rv) {
  return rv == IMSMS_ERR_NOMEM ? IMSMS_ERR_NOMEM : IMSMS_ERR_CRYPTO;
}

/* The hash of PRF |func|, or 0 when it is not a supported PRF. */
static int prf_hash(int func) {
  switch (func) {
  case IMSMS_MIKEY_PRF_MIKEY_1:
    return IMSMS_HASH_SHA1;
  case IMSMS_MIKEY_PRF_HMAC_SHA256:
    return IMSMS_HASH_SHA256;
  default:
    return 0;
  }
}

static void prf_delete_contexts(imsms_prf *prf) {
  size_t i;

  for (i = 0; i < prf->nalloc; i++) {
    imsms_hmac_release(prf->ctx, prf_hash(prf->func), prf->h[i]);
    prf->h[i] = NULL;
  }
  prf->nalloc = 0;
  prf->nchunks = 0;
}

void imsms_prf_init(imsms_prf *prf, imsms_ctx *ctx) {
  size_t i;

  prf->ctx = ctx;
  prf->func = -1;
  prf->nchunks = 0;
  prf->nalloc = 0;
  prf->scratch_used = 0;
  for (i = 0; i < IMSMS_PRF_MAX_CHUNKS; i++) {
    prf->h[i] = NULL;
  }
}

int imsms_prf_setkey(imsms_prf *prf, int func, const uint8_t *inkey,
                     size_t inkeylen) {
  static const uint8_t empty[1];
  const imsms_crypto_provider *cp;
  size_t n, i, off, len;
  int alg, rv;

  if (prf == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  /* Whatever happens below, deriving under the old key is over. */
  prf->nchunks = 0;
  if (prf->ctx == NULL || inkey == NULL || inkeylen == 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  alg = prf_hash(func);
  if (alg == 0) {
    return IMSMS_ERR_MIKEY_PRF;
  }
  if (inkeylen > IMSMS_PRF_MAX_INKEY) {
    return IMSMS_ERR_TOO_LARGE;
  }
  cp = prf->ctx->cp;
  if (func != prf->func) {
    prf_delete_contexts(prf);
    prf->func = func;
  }
  /* Rounded up, so a length that is a multiple of 32 adds no empty chunk. */
  n = (inkeylen + IMSMS_PRF_CHUNK_LEN - 1) / IMSMS_PRF_CHUNK_LEN;
  while (prf->nalloc < n) {
    rv = imsms_hmac_acquire(prf->ctx, alg, &prf->h[prf->nalloc]);
    if (rv != 0) {
      prf->h[prf->nalloc] = NULL;
      return map_provider_error(rv);
    }
    prf->nalloc++;
  }
  for (i = 0; i < n; i++) {
    off = i * IMSMS_PRF_CHUNK_LEN;
    len = inkeylen - off;
    if (len > IMSMS_PRF_CHUNK_LEN) {
      len = IMSMS_PRF_CHUNK_LEN;
    }
    rv = cp->hmac_setkey(prf->h[i], inkey + off, len);
    if (rv != 0) {
      return map_provider_error(rv);
    }
  }
  /* Spare contexts keep no chunk of a longer, older key. */
  for (; i < prf->nalloc; i++) {
    rv = cp->hmac_setkey(prf->h[i], empty, 0);
    if (rv != 0) {
      return map_provider_error(rv);
    }
  }
  prf->nchunks = n;
  return 0;
}

/* One P-function block: A_i from |prev| (the label, or A_(i-1)) into |a|,
 * then HMAC(A_i || label) into |out|. */
static int p_block(const imsms_crypto_provider *cp, imsms_crypto_hmac *h,
                   const uint8_t *prev, size_t prevlen, uint8_t *a,
                   size_t dlen, const uint8_t *label, size_t labellen,
                   uint8_t *out) {
  int rv = prevlen ? cp->hmac_update(h, prev, prevlen) : 0;

  if (rv == 0) {
    rv = cp->hmac_final(h, a);
  }
  if (rv == 0) {
    rv = cp->hmac_update(h, a, dlen);
  }
  if (rv == 0 && labellen) {
    rv = cp->hmac_update(h, label, labellen);
  }
  return rv == 0 ? cp->hmac_final(h, out) : rv;
}

int imsms_prf_derive(imsms_prf *prf, const uint8_t *label, size_t labellen,
                     uint8_t *out, size_t outlen) {
  uint8_t *a, *blk;
  const imsms_crypto_provider *cp;
  size_t dlen, c, off, j, take;
  int rv, used_blk = 0;

  if (prf == NULL || out == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if ((label == NULL && labellen) || outlen == 0 || prf->nchunks == 0 ||
      prf->ctx == NULL) {
    rv = IMSMS_ERR_INVALID_ARGUMENT;
    goto fail_args;
  }
  if (labellen > IMSMS_PRF_MAX_LABEL || outlen > IMSMS_PRF_MAX_OUT) {
    rv = IMSMS_ERR_TOO_LARGE;
    goto fail_args;
  }
  cp = prf->ctx->cp;
  dlen = imsms_hash_len(prf_hash(prf->func));
  /* A_i, then a block that does not go straight to |out|, in the
   * scratch that imsms_prf_free() wipes. */
  a = prf->scratch;
  blk = prf->scratch + IMSMS_MAX_DIGEST_LEN;

  /* PRF = P(s_1, label, m) XOR ... XOR P(s_n, label, m), truncated. The
   * first chunk's whole blocks are written straight into |out|. */
  for (c = 0; c < prf->nchunks; c++) {
    for (off = 0; off < outlen; off += take) {
      uint8_t *dst;

      take = outlen - off < dlen ? outlen - off : dlen;
      dst = c == 0 && take == dlen ? out + off : blk;
      rv = p_block(cp, prf->h[c], off ? a : label, off ? dlen : labellen, a,
                   dlen, label, labellen, dst);
      if (rv != 0) {
        goto fail;
      }
      if (dst != blk) {
        continue;
      }
      used_blk = 1;
      if (c == 0) {
        memcpy(out + off, blk, take);
        continue;
      }
      for (j = 0; j < take; j++) {
        out[off + j] ^= blk[j];
      }
    }
  }
  if (used_blk) {
    prf->scratch_used = sizeof(prf->scratch);
  } else if (prf->scratch_used < dlen) {
    prf->scratch_used = dlen;
  }
  return 0;

fail:
  /* An HMAC may be mid-message: only a fresh setkey makes it usable. */
  prf->nchunks = 0;
  imsms_secure_clear(prf->scratch, sizeof(prf->scratch));
  prf->scratch_used = 0;
  rv = map_provider_error(rv);
fail_args:
  imsms_secure_clear(out, outlen);
  return rv;
}

void imsms_prf_free(imsms_prf *prf) {
  if (prf == NULL) {
    return;
  }
  if (prf->ctx != NULL) {
    prf_delete_contexts(prf);
  }
  imsms_secure_clear(prf->scratch, prf->scratch_used);
  prf->scratch_used = 0;
  prf->nchunks = 0;
  prf->func = -1;
}

/* see imsmediasec/mikey.h */
int imsms_mikey_prf(imsms_ctx *ctx, int prf_func, const uint8_t *inkey,
                    size_t inkeylen, const uint8_t *label, size_t labellen,
                    uint8_t *out, size_t outlen) {
  imsms_prf prf;
  int rv;

  if (out == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (ctx == NULL || inkey == NULL || inkeylen == 0 ||
      (label == NULL && labellen) || outlen == 0) {
    rv = IMSMS_ERR_INVALID_ARGUMENT;
    goto fail;
  }
  if (prf_hash(prf_func) == 0) {
    rv = IMSMS_ERR_MIKEY_PRF;
    goto fail;
  }
  if (inkeylen > IMSMS_PRF_MAX_INKEY || labellen > IMSMS_PRF_MAX_LABEL ||
      outlen > IMSMS_PRF_MAX_OUT) {
    rv = IMSMS_ERR_TOO_LARGE;
    goto fail;
  }
  imsms_prf_init(&prf, ctx);
  rv = imsms_prf_setkey(&prf, prf_func, inkey, inkeylen);
  if (rv == 0) {
    /* derive wipes |out| itself when it fails. */
    rv = imsms_prf_derive(&prf, label, labellen, out, outlen);
  }
  imsms_prf_free(&prf);
  if (rv == 0) {
    return 0;
  }

fail:
  imsms_secure_clear(out, outlen);
  return rv;
}
