/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Which MIKEY Error payload number (RFC 3830 6.12, RFC 6043 6.9) answers
 * a local failure.
 */
#include <imsmediasec/mikey.h>

/* see imsmediasec/mikey.h */
int imsms_mikey_err_from_error(int error_code) {
  switch (error_code) {
  case IMSMS_ERR_MIKEY_AUTH:
    return IMSMS_MIKEY_ERR_AUTH_FAILURE;
  case IMSMS_ERR_MIKEY_TS_TYPE:
  case IMSMS_ERR_MIKEY_STALE:
  case IMSMS_ERR_MIKEY_REPLAY:
    return IMSMS_MIKEY_ERR_INVALID_TS;
  case IMSMS_ERR_MIKEY_PRF:
    return IMSMS_MIKEY_ERR_INVALID_PRF;
  case IMSMS_ERR_MIKEY_MAC_ALG:
    return IMSMS_MIKEY_ERR_INVALID_MAC;
  case IMSMS_ERR_MIKEY_ENCR_ALG:
    return IMSMS_MIKEY_ERR_INVALID_EA;
  case IMSMS_ERR_MIKEY_HASH:
    return IMSMS_MIKEY_ERR_INVALID_HA;
  case IMSMS_ERR_MIKEY_DH_GROUP:
    return IMSMS_MIKEY_ERR_INVALID_DH;
  case IMSMS_ERR_MIKEY_ID:
    return IMSMS_MIKEY_ERR_INVALID_ID;
  case IMSMS_ERR_MIKEY_CERT:
    return IMSMS_MIKEY_ERR_INVALID_CERT;
  case IMSMS_ERR_MIKEY_SP:
    return IMSMS_MIKEY_ERR_INVALID_SP;
  case IMSMS_ERR_MIKEY_SP_PARAM:
    return IMSMS_MIKEY_ERR_INVALID_SPPAR;
  case IMSMS_ERR_MIKEY_DATA_TYPE:
  case IMSMS_ERR_MIKEY_UNEXPECTED:
    return IMSMS_MIKEY_ERR_INVALID_DT;
  case IMSMS_ERR_MIKEY_TICKET_TYPE:
    return IMSMS_MIKEY_ERR_INVALID_TICKET;
  case IMSMS_ERR_MIKEY_TP:
    return IMSMS_MIKEY_ERR_INVALID_TPPAR;
  default:
    return IMSMS_MIKEY_ERR_UNSPECIFIED;
  }
}
