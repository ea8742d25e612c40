/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Session keys: the SRTP KDF against RFC 3711 B.3, RFC 6188 and NIST
 * (kdr > 0, both SRTCP label positions), suites both ways, and master
 * keys from key data (TGK, TEK, carried salt, MKI).
 */
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/keys.h>

#include "kat/srtp_kdf.h"
#include "test_util.h"

static imsms_ctx *ctx;

static void setup(void) { ctx = imsms_test_ctx(); }
static void teardown(void) { imsms_ctx_del(ctx); }

static uint64_t hexnum(const char *s) {
  return *s ? strtoull(s, NULL, 16) : 0;
}

static void expect(const char *hex, const uint8_t *got, size_t len,
                   const char *what, const char *name) {
  uint8_t want[64];

  if (hex == NULL) {
    return;
  }
  ck_assert_uint_eq(imsms_kat_unhex(want, sizeof(want), hex), len);
  ck_assert_msg(memcmp(want, got, len) == 0, "%s: %s", name, what);
}

START_TEST(test_srtp_kdf_vectors) {
  const imsms_kat_srtp_kdf *v = &imsms_kat_srtp_kdf_vectors[_i];
  imsms_srtp_session_keys k;
  imsms_srtp_kdf_params p;
  imsms_cs_master m;

  memset(&m, 0, sizeof(m));
  m.key_len = imsms_kat_unhex(m.key, sizeof(m.key), v->key);
  m.salt_len = imsms_kat_unhex(m.salt, sizeof(m.salt), v->salt);
  memset(&p, 0, sizeof(p));
  p.kdr = (uint32_t)v->kdr;
  p.srtp_index = hexnum(v->srtp_index);
  p.srtcp_index = (uint32_t)hexnum(v->srtcp_index);
  p.srtcp_label_byte = v->label_byte;
  ck_assert_int_eq(imsms_srtp_kdf(ctx, v->suite, &m, &p, &k), 0);
  ck_assert_uint_eq(k.cipher_key_len, m.key_len);
  expect(v->ke, k.srtp_cipher_key, k.cipher_key_len, "SRTP cipher key", v->name);
  expect(v->ka, k.srtp_auth_key, 20, "SRTP auth key", v->name);
  expect(v->ks, k.srtp_salt, 14, "SRTP salt", v->name);
  expect(v->cke, k.srtcp_cipher_key, k.cipher_key_len, "SRTCP cipher key",
         v->name);
  expect(v->cka, k.srtcp_auth_key, 20, "SRTCP auth key", v->name);
  expect(v->cks, k.srtcp_salt, 14, "SRTCP salt", v->name);
}
END_TEST

START_TEST(test_srtp_kdf_errors) {
  imsms_srtp_session_keys k;
  imsms_srtp_kdf_params p;
  imsms_cs_master m;

  memset(&m, 0, sizeof(m));
  m.key_len = 16;
  m.salt_len = 14;
  memset(&p, 0, sizeof(p));
  p.kdr = 3;
  memset(&k, 0x55, sizeof(k));
  ck_assert_int_eq(imsms_srtp_kdf(ctx, 1, &m, &p, &k),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert(imsms_test_all_zero(&k, sizeof(k)));
  p.kdr = 1u << 25;
  ck_assert_int_eq(imsms_srtp_kdf(ctx, 1, &m, &p, &k),
                   IMSMS_ERR_INVALID_ARGUMENT);
  p.kdr = 0;
  p.srtp_index = (uint64_t)1 << 48;
  ck_assert_int_eq(imsms_srtp_kdf(ctx, 1, &m, &p, &k),
                   IMSMS_ERR_INVALID_ARGUMENT);
  p.srtp_index = 0;
  p.srtcp_label_byte = 8;
  ck_assert_int_eq(imsms_srtp_kdf(ctx, 1, &m, &p, &k),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_srtp_kdf(ctx, 99, &m, NULL, &k),
                   IMSMS_ERR_UNSUPPORTED_ALG);
  ck_assert_int_eq(imsms_srtp_kdf(ctx, IMSMS_SRTP_AES_256_CM_HMAC_SHA1_80, &m,
                                  NULL, &k),
                   IMSMS_ERR_KEY_LENGTH);
  m.salt_len = 12;
  ck_assert_int_eq(imsms_srtp_kdf(ctx, 1, &m, NULL, &k), IMSMS_ERR_KEY_LENGTH);
  ck_assert_int_eq(imsms_srtp_kdf(ctx, IMSMS_SRTP_AEAD_AES_128_GCM, &m, NULL,
                                  &k),
                   0);
  ck_assert_uint_eq(k.auth_key_len, 0);
  ck_assert_uint_eq(k.salt_len, 12);
  ck_assert_int_eq(imsms_srtp_kdf(NULL, 1, &m, NULL, &k),
                   IMSMS_ERR_INVALID_ARGUMENT);
}
END_TEST

/* kdr 2^24 with index below it gives r = 0: the same keys as kdr 0. */
START_TEST(test_kdr_boundaries) {
  const imsms_kat_srtp_kdf *v = &imsms_kat_srtp_kdf_vectors[0];
  imsms_srtp_session_keys a, b;
  imsms_srtp_kdf_params p;
  imsms_cs_master m;

  memset(&m, 0, sizeof(m));
  m.key_len = imsms_kat_unhex(m.key, sizeof(m.key), v->key);
  m.salt_len = imsms_kat_unhex(m.salt, sizeof(m.salt), v->salt);
  memset(&p, 0, sizeof(p));
  ck_assert_int_eq(imsms_srtp_kdf(ctx, 1, &m, &p, &a), 0);
  p.kdr = 1u << 24;
  p.srtp_index = (1u << 24) - 1;
  ck_assert_int_eq(imsms_srtp_kdf(ctx, 1, &m, &p, &b), 0);
  ck_assert_mem_eq(a.srtp_cipher_key, b.srtp_cipher_key, 16);
  p.srtp_index = 1u << 24;
  ck_assert_int_eq(imsms_srtp_kdf(ctx, 1, &m, &p, &b), 0);
  ck_assert(memcmp(a.srtp_cipher_key, b.srtp_cipher_key, 16) != 0);
}
END_TEST

START_TEST(test_suites_by_name_and_back) {
  int s;

  for (s = 1; s <= IMSMS_SRTP_NULL_NULL; s++) {
    const imsms_srtp_suite_info *i = imsms_srtp_suite_get(s);

    ck_assert_ptr_nonnull(i);
    ck_assert_int_eq(imsms_srtp_suite_by_name(i->name, strlen(i->name)), s);
  }
  ck_assert_ptr_null(imsms_srtp_suite_get(0));
  ck_assert_ptr_null(imsms_srtp_suite_get(12));
  ck_assert_int_eq(imsms_srtp_suite_by_name("AES_CM_128_HMAC_SHA1_8", 22),
                   IMSMS_ERR_UNSUPPORTED_ALG);
  ck_assert_int_eq(imsms_srtp_suite_by_name("aes_cm_128_hmac_sha1_80", 23),
                   IMSMS_ERR_UNSUPPORTED_ALG);
  ck_assert_int_eq(imsms_srtp_suite_by_name("F8_128_HMAC_SHA1_80", 19),
                   IMSMS_ERR_UNSUPPORTED_ALG);
}
END_TEST

/* Every suite -> SP parameters -> policy -> the same suite. */
START_TEST(test_suite_sp_round_trip) {
  imsms_mikey_sp_param prm[16];
  imsms_mikey_srtp_policy pol;
  imsms_mikey_sp sp;
  uint8_t vals[32], tlv[64];
  imsms_ssize n, len;
  const char *why = NULL;
  int s = _i + 1;

  n = imsms_srtp_suite_to_params(s, prm, 16, vals);
  ck_assert_int_gt(n, 0);
  len = imsms_mikey_sp_params_encode(tlv, sizeof(tlv), prm, (size_t)n);
  ck_assert_int_gt(len, 0);
  sp.policy_no = 0;
  sp.prot_type = IMSMS_MIKEY_PROT_SRTP;
  sp.params = tlv;
  sp.len = (size_t)len;
  ck_assert_int_eq(imsms_mikey_srtp_policy_parse(&pol, &sp), 0);
  ck_assert_int_eq(imsms_srtp_suite_from_policy(&pol, &why), s);
}
END_TEST

START_TEST(test_policy_defaults_and_refusals) {
  imsms_mikey_srtp_policy pol;
  imsms_mikey_sp sp;
  const char *why = NULL;

  /* No parameters: RFC 3830 defaults are AES_CM_128_HMAC_SHA1_80. */
  memset(&sp, 0, sizeof(sp));
  ck_assert_int_eq(imsms_mikey_srtp_policy_parse(&pol, &sp), 0);
  ck_assert_int_eq(imsms_srtp_suite_from_policy(&pol, &why),
                   IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80);
  pol.auth_tag_len = 4;
  pol.srtp_auth_tag_len = 4;
  ck_assert_int_eq(imsms_srtp_suite_from_policy(&pol, &why),
                   IMSMS_SRTP_AES_CM_128_HMAC_SHA1_32);
  pol.srtp_auth_tag_len = 6;
  ck_assert_int_eq(imsms_srtp_suite_from_policy(&pol, &why),
                   IMSMS_ERR_MIKEY_SP_PARAM);
  ck_assert_str_eq(why, "authentication tag length");
  pol.srtp_auth_tag_len = 10;
  pol.encr_key_len = 20;
  ck_assert_int_eq(imsms_srtp_suite_from_policy(&pol, &why),
                   IMSMS_ERR_MIKEY_SP_PARAM);
  ck_assert_str_eq(why, "encryption algorithm and key length");
  pol.encr_key_len = 16;
  pol.prf = 1;
  ck_assert_int_eq(imsms_srtp_suite_from_policy(&pol, &why),
                   IMSMS_ERR_MIKEY_SP_PARAM);
  pol.prf = 0;
  pol.prefix_len = 4;
  ck_assert_int_eq(imsms_srtp_suite_from_policy(&pol, NULL),
                   IMSMS_ERR_MIKEY_SP_PARAM);
  ck_assert_int_eq(imsms_srtp_suite_from_policy(NULL, &why),
                   IMSMS_ERR_MIKEY_SP_PARAM);
}
END_TEST

START_TEST(test_master_from_keydata) {
  static const uint8_t tgk[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
                                  15, 16};
  static const uint8_t salt[14] = {0xaa}, mki[4] = {0, 0, 0, 9};
  static const uint8_t rand[16] = {0x42};
  imsms_mikey_keydata kd;
  imsms_tek_params tp;
  imsms_cs_master m, m2;
  uint8_t tek[16];

  memset(&tp, 0, sizeof(tp));
  tp.rfc = IMSMS_TEK_RFC3830;
  tp.csb_id = 0x01020304u;
  tp.rand = rand;
  tp.rand_len = sizeof(rand);
  memset(&kd, 0, sizeof(kd));
  kd.type = IMSMS_MIKEY_KEY_TGK;
  kd.kv = IMSMS_MIKEY_KV_SPI;
  kd.key = tgk;
  kd.key_len = 16;
  kd.spi = mki;
  kd.spi_len = 4;
  ck_assert_int_eq(imsms_cs_master_derive(ctx, &tp, &kd, 1, 16, 14, &m), 0);
  ck_assert_int_eq(imsms_tgk_derive(ctx, &tp, tgk, 16, 1, 0x2AD01C64u, tek, 16),
                   0);
  ck_assert_mem_eq(m.key, tek, 16);
  ck_assert_uint_eq(m.mki_len, 4);
  ck_assert_mem_eq(m.mki, mki, 4);
  /* A different crypto session gets a different TEK. */
  ck_assert_int_eq(imsms_cs_master_derive(ctx, &tp, &kd, 2, 16, 14, &m2), 0);
  ck_assert(memcmp(m.key, m2.key, 16) != 0);
  /* A carried salt wins. */
  kd.type = IMSMS_MIKEY_KEY_TGK_SALT;
  kd.salt = salt;
  kd.salt_len = 14;
  ck_assert_int_eq(imsms_cs_master_derive(ctx, &tp, &kd, 1, 16, 14, &m2), 0);
  ck_assert_mem_eq(m2.salt, salt, 14);
  ck_assert_mem_eq(m2.key, m.key, 16);
  kd.salt_len = 12;
  ck_assert_int_eq(imsms_cs_master_derive(ctx, &tp, &kd, 1, 16, 14, &m2),
                   IMSMS_ERR_KEY_LENGTH);
  ck_assert(imsms_test_all_zero(&m2, sizeof(m2)));
  /* A TEK is used as it is; without salt the salt is zero (RFC 3711). */
  kd.type = IMSMS_MIKEY_KEY_TEK;
  kd.salt = NULL;
  kd.salt_len = 0;
  ck_assert_int_eq(imsms_cs_master_derive(ctx, &tp, &kd, 1, 16, 14, &m2), 0);
  ck_assert_mem_eq(m2.key, tgk, 16);
  ck_assert(imsms_test_all_zero(m2.salt, 14));
  ck_assert_int_eq(imsms_cs_master_derive(ctx, &tp, &kd, 1, 32, 14, &m2),
                   IMSMS_ERR_KEY_LENGTH);
  kd.type = IMSMS_MIKEY_KEY_MPK;
  ck_assert_int_eq(imsms_cs_master_derive(ctx, &tp, &kd, 1, 16, 14, &m2),
                   IMSMS_ERR_MIKEY_KEY_DATA);
  /* RFC 6043 needs at least one of RANDRi and RANDRr. */
  tp.rfc = IMSMS_TEK_RFC6043;
  kd.type = IMSMS_MIKEY_KEY_TGK;
  ck_assert_int_eq(imsms_cs_master_derive(ctx, &tp, &kd, 1, 16, 14, &m2),
                   IMSMS_ERR_INVALID_ARGUMENT);
  tp.randri = rand;
  tp.randri_len = sizeof(rand);
  ck_assert_int_eq(imsms_cs_master_derive(ctx, &tp, &kd, 1, 16, 14, &m2), 0);
  ck_assert(memcmp(m2.key, m.key, 16) != 0);
}
END_TEST

START_TEST(test_fork) {
  static const uint8_t tgk[32] = {7}, rkms[16] = {9};
  uint8_t a[32], b[32];

  ck_assert_int_eq(imsms_key_fork(ctx, 1, IMSMS_FORK_TGK, tgk, 32,
                                  (const uint8_t *)"sip:bob@x", 9, rkms, 16, a),
                   0);
  ck_assert_int_eq(imsms_key_fork(ctx, 1, IMSMS_FORK_TGK, tgk, 32,
                                  (const uint8_t *)"sip:eve@x", 9, rkms, 16, b),
                   0);
  ck_assert(memcmp(a, b, 32) != 0);
  ck_assert_int_eq(imsms_key_fork(ctx, 1, IMSMS_FORK_MPKR, tgk, 32,
                                  (const uint8_t *)"sip:bob@x", 9, rkms, 16, b),
                   0);
  ck_assert(memcmp(a, b, 32) != 0);
  ck_assert_int_eq(imsms_key_fork(ctx, 1, 5, tgk, 32, NULL, 0, rkms, 16, b),
                   IMSMS_ERR_INVALID_ARGUMENT);
}
END_TEST

static Suite *keys_suite(void) {
  Suite *s = suite_create("keys");
  TCase *tc = tcase_create("keys");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_loop_test(tc, test_srtp_kdf_vectors, 0,
                      (int)IMSMS_KAT_COUNT(imsms_kat_srtp_kdf_vectors));
  tcase_add_test(tc, test_srtp_kdf_errors);
  tcase_add_test(tc, test_kdr_boundaries);
  tcase_add_test(tc, test_suites_by_name_and_back);
  tcase_add_loop_test(tc, test_suite_sp_round_trip, 0, IMSMS_SRTP_NULL_NULL);
  tcase_add_test(tc, test_policy_defaults_and_refusals);
  tcase_add_test(tc, test_master_from_keydata);
  tcase_add_test(tc, test_fork);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return imsms_test_run(keys_suite(), "keys"); }
