/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * imsms decode [--psk HEX] [FILE|-]
 *
 * Decodes every MIKEY message of the input and prints it (print.c). The
 * exit status is 0 only when every message, and every chain nested in
 * it, is well formed (and, with --psk, carries the right MAC).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "imsms.h"

static const struct {
  int code;
  const char *name;
} err_names[] = {
    {IMSMS_ERR_INVALID_ARGUMENT, "IMSMS_ERR_INVALID_ARGUMENT"},
    {IMSMS_ERR_NOBUF, "IMSMS_ERR_NOBUF"},
    {IMSMS_ERR_EOF, "IMSMS_ERR_EOF"},
    {IMSMS_ERR_TRUNCATED, "IMSMS_ERR_TRUNCATED"},
    {IMSMS_ERR_BASE64, "IMSMS_ERR_BASE64"},
    {IMSMS_ERR_VERSION, "IMSMS_ERR_VERSION"},
    {IMSMS_ERR_UNSUPPORTED_ALG, "IMSMS_ERR_UNSUPPORTED_ALG"},
    {IMSMS_ERR_KEY_LENGTH, "IMSMS_ERR_KEY_LENGTH"},
    {IMSMS_ERR_TOO_LARGE, "IMSMS_ERR_TOO_LARGE"},
    {IMSMS_ERR_PROVIDER_VERSION, "IMSMS_ERR_PROVIDER_VERSION"},
    {IMSMS_ERR_PROVIDER_INCOMPLETE, "IMSMS_ERR_PROVIDER_INCOMPLETE"},
    {IMSMS_ERR_CRYPTO, "IMSMS_ERR_CRYPTO"},
    {IMSMS_ERR_KEYWRAP_INTEGRITY, "IMSMS_ERR_KEYWRAP_INTEGRITY"},
    {IMSMS_ERR_MIKEY_VERSION, "IMSMS_ERR_MIKEY_VERSION"},
    {IMSMS_ERR_MIKEY_DATA_TYPE, "IMSMS_ERR_MIKEY_DATA_TYPE"},
    {IMSMS_ERR_MIKEY_PAYLOAD_TYPE, "IMSMS_ERR_MIKEY_PAYLOAD_TYPE"},
    {IMSMS_ERR_MIKEY_MAP, "IMSMS_ERR_MIKEY_MAP"},
    {IMSMS_ERR_MIKEY_PRF, "IMSMS_ERR_MIKEY_PRF"},
    {IMSMS_ERR_MIKEY_ENCR_ALG, "IMSMS_ERR_MIKEY_ENCR_ALG"},
    {IMSMS_ERR_MIKEY_MAC_ALG, "IMSMS_ERR_MIKEY_MAC_ALG"},
    {IMSMS_ERR_MIKEY_TS_TYPE, "IMSMS_ERR_MIKEY_TS_TYPE"},
    {IMSMS_ERR_MIKEY_HASH, "IMSMS_ERR_MIKEY_HASH"},
    {IMSMS_ERR_MIKEY_DH_GROUP, "IMSMS_ERR_MIKEY_DH_GROUP"},
    {IMSMS_ERR_MIKEY_ID, "IMSMS_ERR_MIKEY_ID"},
    {IMSMS_ERR_MIKEY_CERT, "IMSMS_ERR_MIKEY_CERT"},
    {IMSMS_ERR_MIKEY_SP, "IMSMS_ERR_MIKEY_SP"},
    {IMSMS_ERR_MIKEY_SP_PARAM, "IMSMS_ERR_MIKEY_SP_PARAM"},
    {IMSMS_ERR_MIKEY_LENGTH, "IMSMS_ERR_MIKEY_LENGTH"},
    {IMSMS_ERR_MIKEY_TRAILING, "IMSMS_ERR_MIKEY_TRAILING"},
    {IMSMS_ERR_MIKEY_SIGN_NOT_LAST, "IMSMS_ERR_MIKEY_SIGN_NOT_LAST"},
    {IMSMS_ERR_MIKEY_KEY_DATA, "IMSMS_ERR_MIKEY_KEY_DATA"},
    {IMSMS_ERR_MIKEY_TICKET_TYPE, "IMSMS_ERR_MIKEY_TICKET_TYPE"},
    {IMSMS_ERR_MIKEY_TP, "IMSMS_ERR_MIKEY_TP"},
    {IMSMS_ERR_MIKEY_AUTH, "IMSMS_ERR_MIKEY_AUTH"},
    {IMSMS_ERR_MIKEY_STALE, "IMSMS_ERR_MIKEY_STALE"},
    {IMSMS_ERR_MIKEY_REPLAY, "IMSMS_ERR_MIKEY_REPLAY"},
    {IMSMS_ERR_MIKEY_MISSING, "IMSMS_ERR_MIKEY_MISSING"},
    {IMSMS_ERR_MIKEY_UNEXPECTED, "IMSMS_ERR_MIKEY_UNEXPECTED"},
    {IMSMS_ERR_MIKEY_TOO_MANY, "IMSMS_ERR_MIKEY_TOO_MANY"},
    {IMSMS_ERR_MIKEY_CSB_ID, "IMSMS_ERR_MIKEY_CSB_ID"},
    {IMSMS_ERR_MIKEY_PEER_ERROR, "IMSMS_ERR_MIKEY_PEER_ERROR"},
    {IMSMS_ERR_SDES_SYNTAX, "IMSMS_ERR_SDES_SYNTAX"},
    {IMSMS_ERR_SDES_TAG, "IMSMS_ERR_SDES_TAG"},
    {IMSMS_ERR_SDES_KEY_LENGTH, "IMSMS_ERR_SDES_KEY_LENGTH"},
    {IMSMS_ERR_SDES_LIFETIME, "IMSMS_ERR_SDES_LIFETIME"},
    {IMSMS_ERR_SDES_MKI, "IMSMS_ERR_SDES_MKI"},
    {IMSMS_ERR_SDES_PARAM, "IMSMS_ERR_SDES_PARAM"},
    {IMSMS_ERR_SRTP_UNSUPPORTED, "IMSMS_ERR_SRTP_UNSUPPORTED"},
    {IMSMS_ERR_TICKET_EXPIRED, "IMSMS_ERR_TICKET_EXPIRED"},
    {IMSMS_ERR_TICKET_NOT_YET_VALID, "IMSMS_ERR_TICKET_NOT_YET_VALID"},
    {IMSMS_ERR_TICKET_KEY_UNKNOWN, "IMSMS_ERR_TICKET_KEY_UNKNOWN"},
    {IMSMS_ERR_KMS_DENIED, "IMSMS_ERR_KMS_DENIED"},
    {IMSMS_ERR_SDP_SYNTAX, "IMSMS_ERR_SDP_SYNTAX"},
    {IMSMS_ERR_SDP_DUPLICATE, "IMSMS_ERR_SDP_DUPLICATE"},
    {IMSMS_ERR_SDP_CONFLICT, "IMSMS_ERR_SDP_CONFLICT"},
    {IMSMS_ERR_SDP_PROFILE, "IMSMS_ERR_SDP_PROFILE"},
    {IMSMS_ERR_SIP_SYNTAX, "IMSMS_ERR_SIP_SYNTAX"},
    {IMSMS_ERR_SDP_NO_MODE, "IMSMS_ERR_SDP_NO_MODE"},
    {IMSMS_ERR_SDP_DOWNGRADE, "IMSMS_ERR_SDP_DOWNGRADE"},
    {IMSMS_ERR_NOMEM, "IMSMS_ERR_NOMEM"},
    {IMSMS_ERR_SELFTEST, "IMSMS_ERR_SELFTEST"},
    {IMSMS_ERR_RNG, "IMSMS_ERR_RNG"},
    {IMSMS_ERR_CALLBACK_FAILURE, "IMSMS_ERR_CALLBACK_FAILURE"},
};

/* see imsms.h */
const char *imsms_tool_err_name(int code) {
  size_t i;

  if (code == 0) {
    return "OK";
  }
  for (i = 0; i < sizeof(err_names) / sizeof(err_names[0]); i++) {
    if (err_names[i].code == code) {
      return err_names[i].name;
    }
  }
  return "IMSMS_ERR_UNKNOWN";
}

static int usage_error(const char *fmt, ...) IMSMS_TOOL_PRINTF(1, 2);

static int usage_error(const char *fmt, ...) {
  va_list ap;

  fputs("imsms decode: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputs("\nusage: imsms decode [--psk HEX] [FILE|-]\n", stderr);
  return IMSMS_EXIT_USAGE;
}

/* Decodes and prints one message; returns 0 or an error code. */
static int decode_one(const imsms_tool_msg *m, const uint8_t *psk,
                      size_t psklen) {
  imsms_mikey_msg msg;
  int rv;

  if (m->err != 0) {
    imsms_tool_print_error(stdout, NULL, m->err);
    return m->err;
  }
  rv = imsms_mikey_decode(&msg, m->data, m->len);
  if (rv != 0) {
    imsms_tool_print_partial(stdout, m->data, m->len);
    imsms_tool_print_error(stdout, NULL, rv);
    return rv;
  }
  rv = imsms_tool_print_msg(stdout, &msg);
  if (rv != 0 || psk == NULL) {
    return rv;
  }
  rv = imsms_cmd_psk_check(psk, psklen, m->data, m->len);
  if (rv == 0) {
    puts("mac ok");
  } else {
    imsms_tool_print_error(stdout, NULL, rv);
  }
  return rv;
}

static int decode_all(const char *path, const uint8_t *psk, size_t psklen) {
  imsms_tool_input in;
  int failed = 0;
  size_t i;

  if (imsms_tool_input_load(path, &in) != 0) {
    return IMSMS_EXIT_FAIL;
  }
  for (i = 0; i < in.nmsgs; i++) {
    if (in.nmsgs > 1) {
      printf("message %zu\n", i + 1);
    }
    if (decode_one(&in.msgs[i], psk, psklen) != 0) {
      failed = 1;
    }
  }
  imsms_tool_input_free(&in);
  return failed ? IMSMS_EXIT_FAIL : IMSMS_EXIT_OK;
}

/* see imsms.h */
int imsms_cmd_decode(int argc, char **argv) {
  const char *path = NULL, *pskhex = NULL;
  uint8_t *psk = NULL;
  size_t psklen = 0;
  int i, rv, opts = 1;

  for (i = 1; i < argc; i++) {
    const char *a = argv[i];

    if (opts && strcmp(a, "--") == 0) {
      opts = 0;
    } else if (opts && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
      puts("usage: imsms decode [--psk HEX] [FILE|-]");
      return IMSMS_EXIT_OK;
    } else if (opts && strcmp(a, "--psk") == 0) {
      if (++i >= argc) {
        return usage_error("%s needs a value", a);
      }
      pskhex = argv[i];
    } else if (opts && strncmp(a, "--psk=", 6) == 0) {
      pskhex = a + 6;
    } else if (opts && a[0] == '-' && a[1] != 0) {
      return usage_error("unknown option '%s'", a);
    } else if (path != NULL) {
      return usage_error("more than one input file ('%s')", a);
    } else {
      path = a;
    }
  }
  if (pskhex != NULL &&
      (imsms_tool_hex_decode(pskhex, &psk, &psklen) != 0 || psklen == 0)) {
    free(psk);
    /* The value is not echoed: it may be a mistyped key. */
    return usage_error("%s", "--psk needs a non-empty hex string");
  }
  rv = decode_all(path, psk, psklen);
  if (psk != NULL) {
    imsms_secure_clear(psk, psklen);
    free(psk);
  }
  return rv;
}
