/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <imsmediasec/imsmediasec.h>

/* see imsmediasec/imsmediasec.h */
const char *imsms_strerror(int error_code) {
  switch (error_code) {
  case 0:
    return "Success";
  case IMSMS_ERR_INVALID_ARGUMENT:
    return "Invalid argument";
  case IMSMS_ERR_NOBUF:
    return "Output buffer too small";
  case IMSMS_ERR_EOF:
    return "No more items";
  case IMSMS_ERR_TRUNCATED:
    return "Input truncated";
  case IMSMS_ERR_BASE64:
    return "Invalid base64";
  case IMSMS_ERR_VERSION:
    return "Unsupported version";
  case IMSMS_ERR_UNSUPPORTED_ALG:
    return "Unsupported algorithm";
  case IMSMS_ERR_KEY_LENGTH:
    return "Invalid key length";
  case IMSMS_ERR_TOO_LARGE:
    return "Input too large";
  case IMSMS_ERR_PROVIDER_VERSION:
    return "Unsupported crypto provider version";
  case IMSMS_ERR_PROVIDER_INCOMPLETE:
    return "Crypto provider lacks a required member";
  case IMSMS_ERR_CRYPTO:
    return "Crypto operation failed";
  case IMSMS_ERR_KEYWRAP_INTEGRITY:
    return "Key unwrap integrity check failed";
  case IMSMS_ERR_MIKEY_VERSION:
    return "Unsupported MIKEY version";
  case IMSMS_ERR_MIKEY_DATA_TYPE:
    return "Unsupported MIKEY data type";
  case IMSMS_ERR_MIKEY_PAYLOAD_TYPE:
    return "Unknown or misplaced MIKEY payload";
  case IMSMS_ERR_MIKEY_MAP:
    return "Invalid MIKEY CS ID map";
  case IMSMS_ERR_MIKEY_PRF:
    return "Unsupported MIKEY PRF";
  case IMSMS_ERR_MIKEY_ENCR_ALG:
    return "Unsupported MIKEY encryption algorithm";
  case IMSMS_ERR_MIKEY_MAC_ALG:
    return "Unsupported MIKEY MAC algorithm";
  case IMSMS_ERR_MIKEY_TS_TYPE:
    return "Unsupported MIKEY timestamp type";
  case IMSMS_ERR_MIKEY_HASH:
    return "Unsupported MIKEY hash function";
  case IMSMS_ERR_MIKEY_DH_GROUP:
    return "Unsupported MIKEY DH group";
  case IMSMS_ERR_MIKEY_ID:
    return "Unsupported MIKEY ID type or role";
  case IMSMS_ERR_MIKEY_CERT:
    return "Unsupported MIKEY certificate type";
  case IMSMS_ERR_MIKEY_SP:
    return "Unsupported MIKEY security protocol";
  case IMSMS_ERR_MIKEY_SP_PARAM:
    return "Invalid MIKEY security policy parameter";
  case IMSMS_ERR_MIKEY_LENGTH:
    return "Inconsistent MIKEY length field";
  case IMSMS_ERR_MIKEY_TRAILING:
    return "Bytes after the last MIKEY payload";
  case IMSMS_ERR_MIKEY_SIGN_NOT_LAST:
    return "MIKEY SIGN payload is not last";
  case IMSMS_ERR_MIKEY_KEY_DATA:
    return "Invalid MIKEY key data sub-payload";
  case IMSMS_ERR_MIKEY_TICKET_TYPE:
    return "Unsupported MIKEY ticket type";
  case IMSMS_ERR_MIKEY_TP:
    return "Invalid MIKEY ticket policy";
  case IMSMS_ERR_MIKEY_AUTH:
    return "MIKEY authentication failed";
  case IMSMS_ERR_MIKEY_STALE:
    return "MIKEY timestamp outside the allowed window";
  case IMSMS_ERR_MIKEY_REPLAY:
    return "Replayed MIKEY message";
  case IMSMS_ERR_MIKEY_MISSING:
    return "Required MIKEY payload missing or repeated";
  case IMSMS_ERR_MIKEY_UNEXPECTED:
    return "Unexpected MIKEY message type";
  case IMSMS_ERR_MIKEY_TOO_MANY:
    return "Too many MIKEY payloads for the caller's array";
  case IMSMS_ERR_MIKEY_CSB_ID:
    return "MIKEY CSB ID mismatch";
  case IMSMS_ERR_MIKEY_PEER_ERROR:
    return "MIKEY Error message received";
  case IMSMS_ERR_SDES_SYNTAX:
    return "Malformed a=crypto attribute";
  case IMSMS_ERR_SDES_TAG:
    return "Invalid a=crypto tag";
  case IMSMS_ERR_SDES_KEY_LENGTH:
    return "a=crypto key of the wrong length for its suite";
  case IMSMS_ERR_SDES_LIFETIME:
    return "Invalid a=crypto key lifetime";
  case IMSMS_ERR_SDES_MKI:
    return "Invalid or inconsistent a=crypto MKI";
  case IMSMS_ERR_SDES_PARAM:
    return "Invalid a=crypto session parameter";
  case IMSMS_ERR_SRTP_UNSUPPORTED:
    return "Keys not usable with libsrtp2";
  case IMSMS_ERR_TICKET_EXPIRED:
    return "Ticket expired";
  case IMSMS_ERR_TICKET_NOT_YET_VALID:
    return "Ticket not yet valid";
  case IMSMS_ERR_TICKET_KEY_UNKNOWN:
    return "Ticket protection key unknown or retired";
  case IMSMS_ERR_KMS_DENIED:
    return "Denied by the KMS policy";
  case IMSMS_ERR_SDP_SYNTAX:
    return "SDP syntax error";
  case IMSMS_ERR_SDP_DUPLICATE:
    return "Repeated SDP attribute";
  case IMSMS_ERR_SDP_CONFLICT:
    return "Conflicting SDP attributes";
  case IMSMS_ERR_SDP_PROFILE:
    return "Unknown or unsuitable SDP transport profile";
  case IMSMS_ERR_SIP_SYNTAX:
    return "SIP security header syntax error";
  case IMSMS_ERR_SDP_NO_MODE:
    return "No acceptable media security mode";
  case IMSMS_ERR_SDP_DOWNGRADE:
    return "Key management protocol list differs from the SDP (downgrade)";
  case IMSMS_ERR_NOMEM:
    return "Out of memory";
  case IMSMS_ERR_SELFTEST:
    return "Crypto provider failed its self-test";
  case IMSMS_ERR_RNG:
    return "Random number generator failed";
  case IMSMS_ERR_CALLBACK_FAILURE:
    return "Application callback failed";
  default:
    return "Unknown error code";
  }
}

/* see imsmediasec/imsmediasec.h */
int imsms_err_is_fatal(int error_code) {
  return error_code <= IMSMS_ERR_FATAL && error_code >= -999;
}

/* RFC 3830 section 6.12, RFC 4738 (13), RFC 6043 section 6.9 (14, 15). */
static const char *const mikey_err_names[] = {
    "Auth failure",  "Invalid TS",     "Invalid PRF",
    "Invalid MAC",   "Invalid EA",     "Invalid HA",
    "Invalid DH",    "Invalid ID",     "Invalid Cert",
    "Invalid SP",    "Invalid SPpar",  "Invalid DT",
    "Unspecified error", "Unsupported message type", "Invalid TICKET",
    "Invalid TPpar",
};

/* see imsmediasec/imsmediasec.h */
const char *imsms_mikey_err_str(int mikey_error) {
  if (mikey_error < 0 || mikey_error > 255) {
    return "Invalid MIKEY error number";
  }
  if ((size_t)mikey_error >=
      sizeof(mikey_err_names) / sizeof(mikey_err_names[0])) {
    return "Unassigned";
  }
  return mikey_err_names[mikey_error];
}
