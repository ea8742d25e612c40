/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Strict base64: RFC 4648 section 10 vectors, every rejection in
 * kat/base64.h, buffer limits, and a round trip of every length.
 */
#include <string.h>

#include "kat/base64.h"
#include "test_util.h"

START_TEST(test_rfc4648_vectors) {
  char enc[16];
  uint8_t dec[16];
  size_t i;

  for (i = 0; i < IMSMS_KAT_COUNT(imsms_kat_base64_vectors); i++) {
    const imsms_kat_b64 *v = &imsms_kat_base64_vectors[i];
    size_t rawlen = strlen(v->raw), b64len = strlen(v->b64);

    ck_assert_uint_eq(imsms_base64_encode_len(rawlen), b64len);
    ck_assert_int_eq(imsms_base64_encode(enc, sizeof(enc),
                                         (const uint8_t *)v->raw, rawlen),
                     (imsms_ssize)b64len);
    ck_assert_mem_eq(enc, v->b64, b64len);
    ck_assert_int_eq(imsms_base64_decode(dec, sizeof(dec), v->b64, b64len),
                     (imsms_ssize)rawlen);
    ck_assert_mem_eq(dec, v->raw, rawlen);
    /* An output buffer of exactly the decoded length is enough. */
    ck_assert_int_eq(imsms_base64_decode(dec, rawlen, v->b64, b64len),
                     (imsms_ssize)rawlen);
  }
}
END_TEST

START_TEST(test_rejections_wipe_output) {
  uint8_t dec[64];
  size_t i;

  for (i = 0; i < IMSMS_KAT_COUNT(imsms_kat_base64_invalid); i++) {
    const imsms_kat_b64_bad *v = &imsms_kat_base64_invalid[i];

    memset(dec, 0xa5, sizeof(dec));
    ck_assert_msg(imsms_base64_decode(dec, sizeof(dec), v->text, v->len) ==
                      IMSMS_ERR_BASE64,
                  "accepted: %s", v->why);
    /* Either untouched (rejected before decoding) or wiped: never a part. */
    ck_assert_msg(imsms_test_all_zero(dec, sizeof(dec)) ||
                      (dec[0] == 0xa5 && dec[sizeof(dec) - 1] == 0xa5),
                  "partial output left: %s", v->why);
  }
}
END_TEST

START_TEST(test_partial_output_is_wiped) {
  /* Three good groups, then a bad character: the first 9 bytes must go. */
  static const char text[] = "Zm9vYmFyZm9v!m9v";
  uint8_t dec[12];

  memset(dec, 0xa5, sizeof(dec));
  ck_assert_int_eq(imsms_base64_decode(dec, sizeof(dec), text, 16),
                   IMSMS_ERR_BASE64);
  ck_assert(imsms_test_all_zero(dec, sizeof(dec)));
}
END_TEST

START_TEST(test_nobuf_and_arguments) {
  char enc[8];
  uint8_t dec[8];

  ck_assert_int_eq(
      imsms_base64_encode(enc, 7, (const uint8_t *)"foobar", 6),
      IMSMS_ERR_NOBUF);
  ck_assert_int_eq(imsms_base64_decode(dec, 5, "Zm9vYmFy", 8),
                   IMSMS_ERR_NOBUF);
  ck_assert_int_eq(imsms_base64_decode(dec, 1, "Zm8=", 4), IMSMS_ERR_NOBUF);
  ck_assert_int_eq(imsms_base64_encode(NULL, 8, (const uint8_t *)"f", 1),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_base64_encode(enc, sizeof(enc), NULL, 1),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_base64_decode(NULL, 8, "Zg==", 4),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_base64_decode(dec, sizeof(dec), NULL, 4),
                   IMSMS_ERR_INVALID_ARGUMENT);
  /* Empty in, empty out, NULL buffers allowed. */
  ck_assert_int_eq(imsms_base64_encode(NULL, 0, NULL, 0), 0);
  ck_assert_int_eq(imsms_base64_decode(NULL, 0, NULL, 0), 0);
}
END_TEST

START_TEST(test_length_helpers) {
  ck_assert_uint_eq(imsms_base64_encode_len(0), 0);
  ck_assert_uint_eq(imsms_base64_encode_len(1), 4);
  ck_assert_uint_eq(imsms_base64_encode_len(3), 4);
  ck_assert_uint_eq(imsms_base64_encode_len(4), 8);
  ck_assert_uint_eq(imsms_base64_encode_len(30), 40);
  ck_assert_uint_eq(imsms_base64_encode_len(SIZE_MAX), 0);
  ck_assert_uint_eq(imsms_base64_decode_maxlen(0), 0);
  ck_assert_uint_eq(imsms_base64_decode_maxlen(3), 0);
  ck_assert_uint_eq(imsms_base64_decode_maxlen(40), 30);
}
END_TEST

/* Every length 0-96, every byte value: encode then decode is the identity. */
START_TEST(test_round_trip_all_lengths) {
  uint8_t raw[96], dec[96];
  char enc[128];
  size_t len, i;
  imsms_ssize n;

  for (i = 0; i < sizeof(raw); i++) {
    raw[i] = (uint8_t)(i * 167 + 13);
  }
  for (len = 0; len <= sizeof(raw); len++) {
    n = imsms_base64_encode(enc, sizeof(enc), raw, len);
    ck_assert_int_eq(n, (imsms_ssize)imsms_base64_encode_len(len));
    ck_assert_int_eq(imsms_base64_decode(dec, sizeof(dec), enc, (size_t)n),
                     (imsms_ssize)len);
    ck_assert_mem_eq(dec, raw, len);
  }
}
END_TEST

/* Each of the 256 byte values in each position of a 4-char group. */
START_TEST(test_every_character) {
  static const char alpha[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  char g[4];
  uint8_t dec[3];
  int c, pos;

  for (pos = 0; pos < 4; pos++) {
    for (c = 0; c < 256; c++) {
      imsms_ssize n;

      memcpy(g, "AAAA", 4);
      g[pos] = (char)c;
      n = imsms_base64_decode(dec, sizeof(dec), g, 4);
      if (c != 0 && strchr(alpha, c) != NULL) {
        ck_assert_int_eq(n, 3);
      } else if (c == '=' && pos == 3) {
        /* "AAA=" is canonical: 2 bytes. */
        ck_assert_int_eq(n, 2);
      } else {
        ck_assert_msg(n == IMSMS_ERR_BASE64, "char %d at %d", c, pos);
      }
    }
  }
}
END_TEST

static Suite *base64_suite(void) {
  Suite *s = suite_create("base64");
  TCase *tc = tcase_create("core");

  tcase_add_test(tc, test_rfc4648_vectors);
  tcase_add_test(tc, test_rejections_wipe_output);
  tcase_add_test(tc, test_partial_output_is_wiped);
  tcase_add_test(tc, test_nobuf_and_arguments);
  tcase_add_test(tc, test_length_helpers);
  tcase_add_test(tc, test_round_trip_all_lengths);
  tcase_add_test(tc, test_every_character);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return imsms_test_run(base64_suite(), "base64"); }
