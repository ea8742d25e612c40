/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The error model, MIKEY error names, version information and time
 * conversion.
 */
#include <string.h>

#include "test_util.h"

static const int all_errors[] = {
    IMSMS_ERR_INVALID_ARGUMENT, IMSMS_ERR_NOBUF,
    IMSMS_ERR_EOF,              IMSMS_ERR_TRUNCATED,
    IMSMS_ERR_BASE64,           IMSMS_ERR_VERSION,
    IMSMS_ERR_UNSUPPORTED_ALG,  IMSMS_ERR_KEY_LENGTH,
    IMSMS_ERR_TOO_LARGE,        IMSMS_ERR_PROVIDER_VERSION,
    IMSMS_ERR_PROVIDER_INCOMPLETE, IMSMS_ERR_CRYPTO,
    IMSMS_ERR_KEYWRAP_INTEGRITY, IMSMS_ERR_NOMEM,
    IMSMS_ERR_SELFTEST,         IMSMS_ERR_RNG,
    IMSMS_ERR_CALLBACK_FAILURE,
    IMSMS_ERR_MIKEY_VERSION,
    IMSMS_ERR_SDES_SYNTAX, IMSMS_ERR_SDES_TAG, IMSMS_ERR_SDES_KEY_LENGTH,
    IMSMS_ERR_SDES_LIFETIME, IMSMS_ERR_SDES_MKI, IMSMS_ERR_SDES_PARAM,
    IMSMS_ERR_SRTP_UNSUPPORTED,
    IMSMS_ERR_TICKET_EXPIRED, IMSMS_ERR_TICKET_NOT_YET_VALID,
    IMSMS_ERR_TICKET_KEY_UNKNOWN, IMSMS_ERR_KMS_DENIED,
    IMSMS_ERR_SDP_SYNTAX, IMSMS_ERR_SDP_DUPLICATE, IMSMS_ERR_SDP_CONFLICT,
    IMSMS_ERR_SDP_PROFILE, IMSMS_ERR_SIP_SYNTAX, IMSMS_ERR_SDP_NO_MODE,
    IMSMS_ERR_SDP_DOWNGRADE,
    IMSMS_ERR_MIKEY_DATA_TYPE,
    IMSMS_ERR_MIKEY_PAYLOAD_TYPE,
    IMSMS_ERR_MIKEY_MAP,
    IMSMS_ERR_MIKEY_PRF,
    IMSMS_ERR_MIKEY_ENCR_ALG,
    IMSMS_ERR_MIKEY_MAC_ALG,
    IMSMS_ERR_MIKEY_TS_TYPE,
    IMSMS_ERR_MIKEY_HASH,
    IMSMS_ERR_MIKEY_DH_GROUP,
    IMSMS_ERR_MIKEY_ID,
    IMSMS_ERR_MIKEY_CERT,
    IMSMS_ERR_MIKEY_SP,
    IMSMS_ERR_MIKEY_SP_PARAM,
    IMSMS_ERR_MIKEY_LENGTH,
    IMSMS_ERR_MIKEY_TRAILING,
    IMSMS_ERR_MIKEY_SIGN_NOT_LAST,
    IMSMS_ERR_MIKEY_KEY_DATA,
    IMSMS_ERR_MIKEY_TICKET_TYPE,
    IMSMS_ERR_MIKEY_TP,
    IMSMS_ERR_MIKEY_AUTH,
    IMSMS_ERR_MIKEY_STALE,
    IMSMS_ERR_MIKEY_REPLAY,
    IMSMS_ERR_MIKEY_MISSING,
    IMSMS_ERR_MIKEY_UNEXPECTED,
    IMSMS_ERR_MIKEY_TOO_MANY,
    IMSMS_ERR_MIKEY_CSB_ID,
    IMSMS_ERR_MIKEY_PEER_ERROR,
};
#define N_ERRORS (sizeof(all_errors) / sizeof(all_errors[0]))

START_TEST(test_codes_in_public_ranges) {
  size_t i;

  for (i = 0; i < N_ERRORS; i++) {
    ck_assert_int_le(all_errors[i], -500);
    ck_assert_int_ge(all_errors[i], -999);
    ck_assert_int_ne(all_errors[i], IMSMS_ERR_FATAL);
  }
}
END_TEST

START_TEST(test_strerror_distinct_and_known) {
  size_t i, j;

  ck_assert_str_eq(imsms_strerror(0), "Success");
  ck_assert_str_eq(imsms_strerror(-1), "Unknown error code");
  ck_assert_str_eq(imsms_strerror(IMSMS_ERR_FATAL), "Unknown error code");
  ck_assert_str_eq(imsms_strerror(12345), "Unknown error code");
  for (i = 0; i < N_ERRORS; i++) {
    const char *a = imsms_strerror(all_errors[i]);

    ck_assert_str_ne(a, "Unknown error code");
    for (j = i + 1; j < N_ERRORS; j++) {
      ck_assert_str_ne(a, imsms_strerror(all_errors[j]));
    }
  }
}
END_TEST

START_TEST(test_fatal_threshold) {
  size_t i;

  for (i = 0; i < N_ERRORS; i++) {
    ck_assert_int_eq(imsms_err_is_fatal(all_errors[i]),
                     all_errors[i] <= IMSMS_ERR_FATAL);
  }
  ck_assert(imsms_err_is_fatal(IMSMS_ERR_NOMEM));
  ck_assert(imsms_err_is_fatal(IMSMS_ERR_SELFTEST));
  ck_assert(!imsms_err_is_fatal(IMSMS_ERR_NOBUF));
  ck_assert(!imsms_err_is_fatal(0));
  ck_assert(!imsms_err_is_fatal(1));
  ck_assert(!imsms_err_is_fatal(-1000));
  ck_assert(imsms_err_is_fatal(-999));
}
END_TEST

START_TEST(test_mikey_error_names) {
  /* RFC 3830 6.12, RFC 4738 13, RFC 6043 14-15, in order. */
  static const char *const names[] = {
      "Auth failure", "Invalid TS",   "Invalid PRF",   "Invalid MAC",
      "Invalid EA",   "Invalid HA",   "Invalid DH",    "Invalid ID",
      "Invalid Cert", "Invalid SP",   "Invalid SPpar", "Invalid DT",
      "Unspecified error", "Unsupported message type", "Invalid TICKET",
      "Invalid TPpar"};
  int i;

  for (i = 0; i < 16; i++) {
    ck_assert_str_eq(imsms_mikey_err_str(i), names[i]);
  }
  ck_assert_int_eq(IMSMS_MIKEY_ERR_INVALID_TS, 1);
  ck_assert_int_eq(IMSMS_MIKEY_ERR_INVALID_TICKET, 14);
  ck_assert_int_eq(IMSMS_MIKEY_ERR_INVALID_TPPAR, 15);
  ck_assert_str_eq(imsms_mikey_err_str(16), "Unassigned");
  ck_assert_str_eq(imsms_mikey_err_str(255), "Unassigned");
  ck_assert_str_eq(imsms_mikey_err_str(-1), "Invalid MIKEY error number");
  ck_assert_str_eq(imsms_mikey_err_str(256), "Invalid MIKEY error number");
}
END_TEST

START_TEST(test_version) {
  const imsms_info *info = imsms_version(0);

  ck_assert_ptr_nonnull(info);
  ck_assert_int_eq(info->age, IMSMS_VERSION_AGE);
  ck_assert_int_eq(info->version_num, IMSMS_VERSION_NUM);
  ck_assert_str_eq(info->version_str, IMSMS_VERSION);
  ck_assert_ptr_nonnull(strstr(info->proto_str, "RFC6043"));
  ck_assert_ptr_eq(imsms_version(IMSMS_VERSION_NUM), info);
  ck_assert_ptr_null(imsms_version(IMSMS_VERSION_NUM + 1));
}
END_TEST

START_TEST(test_tstamp_conversion) {
  /* The Unix epoch is NTP second 2208988800 (RFC 5905 figure 4). */
  ck_assert(imsms_tstamp_from_unix(0, 0) == (uint64_t)2208988800u << 32);
  /* Half a second is fraction 2^31. */
  ck_assert(imsms_tstamp_from_unix(0, 500000000u) ==
            ((uint64_t)2208988800u << 32 | 0x80000000u));
  /* Out-of-range nanoseconds clamp below the next second. */
  ck_assert((imsms_tstamp_from_unix(0, 2000000000u) >> 32) == 2208988800u);
  /* 2026-11-30T00:00:00Z and back. */
  ck_assert(imsms_tstamp_to_unix(imsms_tstamp_from_unix(1795996800u, 7)) ==
            1795996800);
  ck_assert((imsms_tstamp_from_unix(0, 2000000000u) & 0xffffffffu) ==
            0xfffffffbu);
  /* Era 1: 2036-02-07T06:28:16Z is NTP second 0 of era 1. */
  ck_assert((imsms_tstamp_from_unix(2085978496u, 0) >> 32) == 0);
  ck_assert(imsms_tstamp_to_unix(imsms_tstamp_from_unix(2085978496u, 0)) ==
            2085978496);
  ck_assert(imsms_tstamp_to_unix(imsms_tstamp_from_unix(2100000000u, 0)) ==
            2100000000);
  /* 1968-01-20T03:14:08Z, the start of the RFC 4330 window, is negative. */
  ck_assert(imsms_tstamp_to_unix((uint64_t)0x80000000u << 32) ==
            (int64_t)0x80000000u - 2208988800);
  ck_assert(imsms_tstamp_to_unix((uint64_t)0x80000000u << 32) < 0);
}
END_TEST

static Suite *err_suite(void) {
  Suite *s = suite_create("err");
  TCase *tc = tcase_create("core");

  tcase_add_test(tc, test_codes_in_public_ranges);
  tcase_add_test(tc, test_strerror_distinct_and_known);
  tcase_add_test(tc, test_fatal_threshold);
  tcase_add_test(tc, test_mikey_error_names);
  tcase_add_test(tc, test_version);
  tcase_add_test(tc, test_tstamp_conversion);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return imsms_test_run(err_suite(), "err"); }
