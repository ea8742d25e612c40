/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The TLS pre-shared key and PSK identity of an MSRP crypto session keyed
 * by MIKEY-TICKET (TS 33.328 annex H, TS 23.333). The library does no
 * TLS: the application hands the PSK and identity to its TLS stack.
 *
 * Profile choices (TS 33.328 annex H could not be consulted; see keys.h
 * and imsms_msrp_psk_derive(3)):
 *  - PSK = the TEK of the crypto session: imsms_tgk_derive() with the TEK
 *    label 0x2AD01C64, IMSMS_MSRP_PSK_LEN (32) bytes;
 *  - identity = "imsms-msrp:" 8 hex digits of the CSB ID ":" 2 hex digits
 *    of the CS ID ":" the SPI in hex (empty without SPI), lowercase.
 */
#include <string.h>

#include <imsmediasec/keys.h>

#include "core/ctx.h"
#include "mikey/labels.h"

/* Longest SPI (bytes) that goes into an identity. */
#define MSRP_MAX_SPI_LEN 64

#define MSRP_ID_PREFIX "imsms-msrp:"

/* Prefix, CSB ID, ':', CS ID, ':', SPI and NUL fit in the struct. */
_Static_assert(sizeof(MSRP_ID_PREFIX) - 1 + 8 + 1 + 2 + 1 +
                       2 * MSRP_MAX_SPI_LEN + 1 <=
                   IMSMS_MSRP_IDENTITY_MAX,
               "IMSMS_MSRP_IDENTITY_MAX too small for the identity");

static const char msrp_id_prefix[] = MSRP_ID_PREFIX;

static char *put_hex(char *p, const uint8_t *in, size_t len) {
  static const char digits[] = "0123456789abcdef";
  size_t i;

  for (i = 0; i < len; i++) {
    *p++ = digits[in[i] >> 4];
    *p++ = digits[in[i] & 0x0F];
  }
  return p;
}

/* see imsmediasec/keys.h */
int imsms_msrp_psk_derive(imsms_ctx *ctx, const imsms_tek_params *tp,
                          const uint8_t *tgk, size_t tgklen, uint32_t csb_id,
                          uint8_t cs_id, const uint8_t *spi, size_t spilen,
                          imsms_msrp_psk *out) {
  uint8_t csb[4];
  char *p;
  int rv;

  if (out == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (ctx == NULL || tp == NULL || tgk == NULL ||
      (spi == NULL && spilen != 0) || spilen > MSRP_MAX_SPI_LEN) {
    rv = IMSMS_ERR_INVALID_ARGUMENT;
    goto fail;
  }
  memset(out, 0, sizeof(*out));
  rv = imsms_tgk_derive(ctx, tp, tgk, tgklen, cs_id, IMSMS_LABEL_TEK, out->psk,
                        sizeof(out->psk));
  if (rv != 0) {
    goto fail;
  }

  csb[0] = (uint8_t)(csb_id >> 24);
  csb[1] = (uint8_t)(csb_id >> 16);
  csb[2] = (uint8_t)(csb_id >> 8);
  csb[3] = (uint8_t)csb_id;
  p = out->identity;
  memcpy(p, msrp_id_prefix, sizeof(msrp_id_prefix) - 1);
  p += sizeof(msrp_id_prefix) - 1;
  p = put_hex(p, csb, sizeof(csb));
  *p++ = ':';
  p = put_hex(p, &cs_id, 1);
  *p++ = ':';
  if (spilen) {
    p = put_hex(p, spi, spilen);
  }
  *p = '\0';
  out->identity_len = (size_t)(p - out->identity);
  return 0;

fail:
  imsms_secure_clear(out, sizeof(*out));
  return rv;
}
