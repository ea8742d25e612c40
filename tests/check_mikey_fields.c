/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Key data sub-payloads, SP parameters with the SRTP defaults of RFC 3830
 * 6.10.1 (and RFC 4771, RFC 7714), and the error-number mapping.
 */
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/mikey.h>

#include "test_util.h"

static const uint8_t key16[16] = {1, 2, 3, 4, 5, 6, 7, 8,
                                  9, 10, 11, 12, 13, 14, 15, 16};
static const uint8_t salt14[14] = {0xa, 0xb, 0xc, 0xd, 0xe, 0xf, 0x10,
                                   0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17};
static const uint8_t spi4[4] = {0, 0, 0, 7};
static const uint8_t vf6[6] = {0, 0, 0, 0, 0, 1}, vt6[6] = {0, 0, 0, 1, 0, 0};

static size_t two_keys(uint8_t *buf, size_t cap) {
  imsms_mikey_keydata kd[2];
  imsms_ssize n;

  memset(kd, 0, sizeof(kd));
  kd[0].type = IMSMS_MIKEY_KEY_TGK_SALT;
  kd[0].kv = IMSMS_MIKEY_KV_SPI;
  kd[0].key = key16;
  kd[0].key_len = 16;
  kd[0].salt = salt14;
  kd[0].salt_len = 14;
  kd[0].spi = spi4;
  kd[0].spi_len = 4;
  kd[1].type = IMSMS_MIKEY_KEY_TEK;
  kd[1].kv = IMSMS_MIKEY_KV_INTERVAL;
  kd[1].key = key16;
  kd[1].key_len = 16;
  kd[1].valid_from = vf6;
  kd[1].valid_from_len = 6;
  kd[1].valid_to = vt6;
  kd[1].valid_to_len = 6;
  n = imsms_mikey_keydata_encode(NULL, 0, kd, 2);
  ck_assert_int_eq(n, (4 + 16 + 2 + 14 + 1 + 4) + (4 + 16 + 1 + 6 + 1 + 6));
  ck_assert_int_eq(imsms_mikey_keydata_encode(buf, (size_t)n - 1, kd, 2),
                   IMSMS_ERR_NOBUF);
  ck_assert_int_eq(imsms_mikey_keydata_encode(buf, cap, kd, 2), n);
  return (size_t)n;
}

START_TEST(test_keydata_round_trip) {
  uint8_t buf[128], again[128];
  imsms_mikey_keydata kd[2];
  size_t len = two_keys(buf, sizeof(buf));
  uint8_t next;
  imsms_ssize a, b;

  a = imsms_mikey_keydata_decode(&kd[0], &next, buf, len);
  ck_assert_int_eq(a, 41);
  ck_assert_uint_eq(next, IMSMS_MIKEY_PT_KEY_DATA);
  ck_assert_uint_eq(kd[0].type, IMSMS_MIKEY_KEY_TGK_SALT);
  ck_assert_mem_eq(kd[0].key, key16, 16);
  ck_assert_mem_eq(kd[0].salt, salt14, 14);
  ck_assert_mem_eq(kd[0].spi, spi4, 4);
  b = imsms_mikey_keydata_decode(&kd[1], &next, buf + a, len - (size_t)a);
  ck_assert_int_eq(a + b, (imsms_ssize)len);
  ck_assert_uint_eq(next, 0);
  ck_assert_ptr_null(kd[1].salt);
  ck_assert_mem_eq(kd[1].valid_to, vt6, 6);
  ck_assert_int_eq(imsms_mikey_keydata_encode(again, sizeof(again), kd, 2),
                   (imsms_ssize)len);
  ck_assert_mem_eq(again, buf, len);
}
END_TEST

START_TEST(test_keydata_truncated_and_bad_codes) {
  uint8_t buf[128], *copy;
  imsms_mikey_keydata kd;
  size_t len = two_keys(buf, sizeof(buf)), i;
  uint8_t next;

  for (i = 0; i < 41; i++) {
    copy = malloc(i ? i : 1);
    memcpy(copy, buf, i);
    ck_assert_int_eq(imsms_mikey_keydata_decode(&kd, &next, copy, i),
                     IMSMS_ERR_TRUNCATED);
    free(copy);
  }
  buf[1] = 0x70 | IMSMS_MIKEY_KV_SPI; /* type 7 (K_PR) is not ours */
  ck_assert_int_eq(imsms_mikey_keydata_decode(&kd, &next, buf, len),
                   IMSMS_ERR_MIKEY_KEY_DATA);
  buf[1] = (uint8_t)(IMSMS_MIKEY_KEY_TGK_SALT << 4 | 3); /* KV 3 */
  ck_assert_int_eq(imsms_mikey_keydata_decode(&kd, &next, buf, len),
                   IMSMS_ERR_MIKEY_KEY_DATA);
  ck_assert_int_eq(imsms_mikey_keydata_decode(NULL, &next, buf, len),
                   IMSMS_ERR_INVALID_ARGUMENT);
  memset(&kd, 0, sizeof(kd));
  kd.type = 9;
  ck_assert_int_eq(imsms_mikey_keydata_encode(NULL, 0, &kd, 1),
                   IMSMS_ERR_MIKEY_KEY_DATA);
  kd.type = 0;
  kd.key_len = 3;
  ck_assert_int_eq(imsms_mikey_keydata_encode(NULL, 0, &kd, 1),
                   IMSMS_ERR_INVALID_ARGUMENT);
  kd.key = key16;
  kd.key_len = 70000;
  ck_assert_int_eq(imsms_mikey_keydata_encode(NULL, 0, &kd, 1),
                   IMSMS_ERR_MIKEY_LENGTH);
  kd.key_len = 16;
  kd.kv = IMSMS_MIKEY_KV_SPI;
  kd.spi_len = 4; /* with a NULL SPI: refused, not dereferenced */
  ck_assert_int_eq(imsms_mikey_keydata_encode(NULL, 0, &kd, 1),
                   IMSMS_ERR_INVALID_ARGUMENT);
}
END_TEST

static imsms_mikey_sp sp_of(const uint8_t *params, size_t len) {
  imsms_mikey_sp sp;

  sp.policy_no = 0;
  sp.prot_type = IMSMS_MIKEY_PROT_SRTP;
  sp.params = params;
  sp.len = len;
  return sp;
}

START_TEST(test_srtp_defaults) {
  imsms_mikey_srtp_policy p;
  imsms_mikey_sp sp = sp_of(NULL, 0);

  ck_assert_int_eq(imsms_mikey_srtp_policy_parse(&p, &sp), 0);
  ck_assert_uint_eq(p.encr_alg, 1);
  ck_assert_uint_eq(p.encr_key_len, 16);
  ck_assert_uint_eq(p.auth_alg, 1);
  ck_assert_uint_eq(p.auth_key_len, 20);
  ck_assert_uint_eq(p.salt_len, 14);
  ck_assert_uint_eq(p.prf, 0);
  ck_assert_uint_eq(p.kdr, 0);
  ck_assert_uint_eq(p.srtp_encr, 1);
  ck_assert_uint_eq(p.srtcp_encr, 1);
  ck_assert_uint_eq(p.fec_order, 0);
  ck_assert_uint_eq(p.srtp_auth, 1);
  ck_assert_uint_eq(p.auth_tag_len, 10);
  ck_assert_uint_eq(p.prefix_len, 0);
  ck_assert_uint_eq(p.roc_rate, 1);
  ck_assert_uint_eq(p.srtp_auth_tag_len, 10);
  ck_assert_uint_eq(p.srtcp_auth_tag_len, 10);
  ck_assert_uint_eq(p.aead_tag_len, 16);
  ck_assert_uint_eq(p.present, 0);
}
END_TEST

START_TEST(test_srtp_params_applied) {
  /* AES-256 with a 4-byte tag, ROC every 16 packets, SRTCP tag 10. */
  static const uint8_t prm[] = {1, 1, 32, 11, 1, 4, 13, 2, 0, 16, 19, 1, 10};
  imsms_mikey_srtp_policy p;
  imsms_mikey_sp sp = sp_of(prm, sizeof(prm));

  ck_assert_int_eq(imsms_mikey_srtp_policy_parse(&p, &sp), 0);
  ck_assert_uint_eq(p.encr_key_len, 32);
  ck_assert_uint_eq(p.auth_tag_len, 4);
  ck_assert_uint_eq(p.roc_rate, 16);
  ck_assert_uint_eq(p.srtp_auth_tag_len, 4);
  ck_assert_uint_eq(p.srtcp_auth_tag_len, 10);
  ck_assert_uint_eq(p.present, 1u << 1 | 1u << 11 | 1u << 13 | 1u << 19);
}
END_TEST

START_TEST(test_srtp_param_errors) {
  static const uint8_t dup[] = {0, 1, 1, 0, 1, 1};
  static const uint8_t wide[] = {1, 2, 0, 16};
  static const uint8_t unknown[] = {21, 1, 0};
  static const uint8_t narrow_roc[] = {13, 1, 4};
  static const uint8_t runs_over[] = {1, 5, 16};
  imsms_mikey_srtp_policy p;
  imsms_mikey_sp sp;

  sp = sp_of(dup, sizeof(dup));
  ck_assert_int_eq(imsms_mikey_srtp_policy_parse(&p, &sp),
                   IMSMS_ERR_MIKEY_SP_PARAM);
  sp = sp_of(wide, sizeof(wide));
  ck_assert_int_eq(imsms_mikey_srtp_policy_parse(&p, &sp),
                   IMSMS_ERR_MIKEY_SP_PARAM);
  sp = sp_of(unknown, sizeof(unknown));
  ck_assert_int_eq(imsms_mikey_srtp_policy_parse(&p, &sp),
                   IMSMS_ERR_MIKEY_SP_PARAM);
  sp = sp_of(narrow_roc, sizeof(narrow_roc));
  ck_assert_int_eq(imsms_mikey_srtp_policy_parse(&p, &sp),
                   IMSMS_ERR_MIKEY_SP_PARAM);
  sp = sp_of(runs_over, sizeof(runs_over));
  ck_assert_int_eq(imsms_mikey_srtp_policy_parse(&p, &sp),
                   IMSMS_ERR_MIKEY_LENGTH);
  sp = sp_of(NULL, 0);
  sp.prot_type = 1;
  ck_assert_int_eq(imsms_mikey_srtp_policy_parse(&p, &sp), IMSMS_ERR_MIKEY_SP);
  ck_assert_int_eq(imsms_mikey_srtp_policy_parse(NULL, &sp),
                   IMSMS_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(test_sp_params_encode) {
  static const uint8_t v16[] = {16}, v1[] = {1};
  imsms_mikey_sp_param in[2] = {{1, v16, 1}, {0, v1, 1}}, out;
  uint8_t buf[8];
  imsms_mikey_sp sp;
  size_t off = 0;

  ck_assert_int_eq(imsms_mikey_sp_params_encode(buf, 5, in, 2),
                   IMSMS_ERR_NOBUF);
  ck_assert_int_eq(imsms_mikey_sp_params_encode(buf, sizeof(buf), in, 2), 6);
  sp = sp_of(buf, 6);
  ck_assert_int_eq(imsms_mikey_sp_param_next(&sp, &off, &out), 0);
  ck_assert_uint_eq(out.type, 1);
  ck_assert_uint_eq(out.value[0], 16);
  ck_assert_int_eq(imsms_mikey_sp_param_next(&sp, &off, &out), 0);
  ck_assert_int_eq(imsms_mikey_sp_param_next(&sp, &off, &out), IMSMS_ERR_EOF);
  in[0].len = 256;
  ck_assert_int_eq(imsms_mikey_sp_params_encode(buf, sizeof(buf), in, 2),
                   IMSMS_ERR_MIKEY_LENGTH);
}
END_TEST

START_TEST(test_error_numbers) {
  ck_assert_int_eq(imsms_mikey_err_from_error(IMSMS_ERR_MIKEY_AUTH),
                   IMSMS_MIKEY_ERR_AUTH_FAILURE);
  ck_assert_int_eq(imsms_mikey_err_from_error(IMSMS_ERR_MIKEY_STALE),
                   IMSMS_MIKEY_ERR_INVALID_TS);
  ck_assert_int_eq(imsms_mikey_err_from_error(IMSMS_ERR_MIKEY_REPLAY),
                   IMSMS_MIKEY_ERR_INVALID_TS);
  ck_assert_int_eq(imsms_mikey_err_from_error(IMSMS_ERR_MIKEY_PRF),
                   IMSMS_MIKEY_ERR_INVALID_PRF);
  ck_assert_int_eq(imsms_mikey_err_from_error(IMSMS_ERR_MIKEY_MAC_ALG),
                   IMSMS_MIKEY_ERR_INVALID_MAC);
  ck_assert_int_eq(imsms_mikey_err_from_error(IMSMS_ERR_MIKEY_ENCR_ALG),
                   IMSMS_MIKEY_ERR_INVALID_EA);
  ck_assert_int_eq(imsms_mikey_err_from_error(IMSMS_ERR_MIKEY_HASH),
                   IMSMS_MIKEY_ERR_INVALID_HA);
  ck_assert_int_eq(imsms_mikey_err_from_error(IMSMS_ERR_MIKEY_DH_GROUP),
                   IMSMS_MIKEY_ERR_INVALID_DH);
  ck_assert_int_eq(imsms_mikey_err_from_error(IMSMS_ERR_MIKEY_ID),
                   IMSMS_MIKEY_ERR_INVALID_ID);
  ck_assert_int_eq(imsms_mikey_err_from_error(IMSMS_ERR_MIKEY_CERT),
                   IMSMS_MIKEY_ERR_INVALID_CERT);
  ck_assert_int_eq(imsms_mikey_err_from_error(IMSMS_ERR_MIKEY_SP),
                   IMSMS_MIKEY_ERR_INVALID_SP);
  ck_assert_int_eq(imsms_mikey_err_from_error(IMSMS_ERR_MIKEY_SP_PARAM),
                   IMSMS_MIKEY_ERR_INVALID_SPPAR);
  ck_assert_int_eq(imsms_mikey_err_from_error(IMSMS_ERR_MIKEY_DATA_TYPE),
                   IMSMS_MIKEY_ERR_INVALID_DT);
  ck_assert_int_eq(imsms_mikey_err_from_error(IMSMS_ERR_MIKEY_TICKET_TYPE),
                   IMSMS_MIKEY_ERR_INVALID_TICKET);
  ck_assert_int_eq(imsms_mikey_err_from_error(IMSMS_ERR_MIKEY_TP),
                   IMSMS_MIKEY_ERR_INVALID_TPPAR);
  ck_assert_int_eq(imsms_mikey_err_from_error(IMSMS_ERR_TRUNCATED),
                   IMSMS_MIKEY_ERR_UNSPECIFIED);
}
END_TEST

static Suite *fields_suite(void) {
  Suite *s = suite_create("mikey_fields");
  TCase *tc = tcase_create("fields");

  tcase_add_test(tc, test_keydata_round_trip);
  tcase_add_test(tc, test_keydata_truncated_and_bad_codes);
  tcase_add_test(tc, test_srtp_defaults);
  tcase_add_test(tc, test_srtp_params_applied);
  tcase_add_test(tc, test_srtp_param_errors);
  tcase_add_test(tc, test_sp_params_encode);
  tcase_add_test(tc, test_error_numbers);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return imsms_test_run(fields_suite(), "mikey_fields"); }
