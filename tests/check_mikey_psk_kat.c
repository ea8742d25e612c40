/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * RFC 3830 pre-shared key messages against computed vectors from an
 * independent Python implementation (tests/kat/gen_mikey_psk.py): the
 * I_MESSAGE built byte for byte, the Python message verified and its key
 * data decrypted, the verification message built byte for byte and the
 * Python one verified. The RFC 3830 4.1.4 keys are checked too, through
 * the public PRF, so that a mismatch points at the derivation or at the
 * message.
 */
#include <stdint.h>
#include <string.h>

#include <imsmediasec/mikey.h>

#include "kat/mikey_psk.h"
#include "test_util.h"

#define NVEC IMSMS_KAT_COUNT(imsms_kat_mikey_psk_vectors)

static imsms_ctx *ctx;

static void setup(void) { ctx = imsms_test_ctx(); }

static void teardown(void) { imsms_ctx_del(ctx); }

/* One vector in binary form; the views in |p| point into it. */
typedef struct {
  const imsms_kat_mikey_psk *v;
  uint8_t psk[64];
  size_t psklen;
  uint8_t rand[255];
  size_t randlen;
  uint8_t idi[64], idr[64], ridr[64];
  size_t idilen, idrlen, ridrlen;
  uint8_t sp_params[64];
  size_t sp_params_len;
  uint8_t key[64], salt[32], spi[32], vf[16], vt[16];
  size_t keylen, saltlen, spilen, vflen, vtlen;
  uint8_t encr_key[32], salt_key[14], auth_key[32], resp_auth_key[32];
  size_t encr_key_len, salt_key_len, auth_key_len, resp_auth_key_len;
  uint8_t keydata[128];
  size_t keydata_len;
  uint8_t imsg[1024];
  size_t imsg_len;
  uint8_t resp[256];
  size_t resp_len;
  uint8_t policy;
  imsms_mikey_keydata kd;
  imsms_mikey_cs cs;
  imsms_mikey_sp sp;
  imsms_mikey_psk_init p;
  imsms_mikey_verify_opts opts;
} psk_case;

#define UNHEX(buf, hex) imsms_kat_unhex((buf), sizeof(buf), (hex))

static void load(psk_case *c, const imsms_kat_mikey_psk *v) {
  memset(c, 0, sizeof(*c));
  c->v = v;
  c->psklen = UNHEX(c->psk, v->psk_hex);
  c->randlen = UNHEX(c->rand, v->rand_hex);
  c->idilen = UNHEX(c->idi, v->idi_hex);
  c->idrlen = UNHEX(c->idr, v->idr_hex);
  c->ridrlen = UNHEX(c->ridr, v->resp_idr_hex);
  c->sp_params_len = UNHEX(c->sp_params, v->sp_params_hex);
  c->keylen = UNHEX(c->key, v->key_hex);
  c->saltlen = UNHEX(c->salt, v->key_salt_hex);
  c->spilen = UNHEX(c->spi, v->key_spi_hex);
  c->vflen = UNHEX(c->vf, v->key_vf_hex);
  c->vtlen = UNHEX(c->vt, v->key_vt_hex);
  c->encr_key_len = UNHEX(c->encr_key, v->encr_key_hex);
  c->salt_key_len = UNHEX(c->salt_key, v->salt_key_hex);
  c->auth_key_len = UNHEX(c->auth_key, v->auth_key_hex);
  c->resp_auth_key_len = UNHEX(c->resp_auth_key, v->resp_auth_key_hex);
  c->keydata_len = UNHEX(c->keydata, v->keydata_hex);
  c->imsg_len = UNHEX(c->imsg, v->imsg_hex);
  c->resp_len = UNHEX(c->resp, v->resp_hex);

  c->kd.type = v->key_type;
  c->kd.kv = v->key_kv;
  c->kd.key = c->key;
  c->kd.key_len = c->keylen;
  c->kd.salt = c->saltlen ? c->salt : NULL;
  c->kd.salt_len = c->saltlen;
  c->kd.spi = c->spilen ? c->spi : NULL;
  c->kd.spi_len = c->spilen;
  c->kd.valid_from = c->vflen ? c->vf : NULL;
  c->kd.valid_from_len = c->vflen;
  c->kd.valid_to = c->vtlen ? c->vt : NULL;
  c->kd.valid_to_len = c->vtlen;

  c->policy = v->cs_policy;
  c->cs.cs_id = 1;
  c->cs.prot_type = IMSMS_MIKEY_PROT_SRTP;
  c->cs.npolicies = 1;
  c->cs.policies = &c->policy;
  c->cs.ssrc = v->cs_ssrc;
  c->cs.roc = v->cs_roc;

  c->sp.policy_no = v->sp_policy_no;
  c->sp.prot_type = v->sp_prot_type;
  c->sp.params = c->sp_params_len ? c->sp_params : NULL;
  c->sp.len = c->sp_params_len;

  c->p.csb_id = v->csb_id;
  c->p.v = 1;
  c->p.prf_func = v->prf_func;
  c->p.encr_alg = v->encr_alg;
  c->p.mac_alg = v->mac_alg;
  c->p.t = v->t;
  c->p.rand = c->rand;
  c->p.rand_len = c->randlen;
  c->p.idi_type = v->idi_type;
  c->p.idi = c->idilen ? c->idi : NULL;
  c->p.idi_len = c->idilen;
  c->p.idr_type = v->idr_type;
  c->p.idr = c->idrlen ? c->idr : NULL;
  c->p.idr_len = c->idrlen;
  c->p.map_type = IMSMS_MIKEY_MAP_SRTP_ID;
  c->p.cs = &c->cs;
  c->p.ncs = 1;
  c->p.sp = v->has_sp ? &c->sp : NULL;
  c->p.nsp = v->has_sp ? 1 : 0;
  c->p.keys = &c->kd;
  c->p.nkeys = 1;

  /* NULL algorithms are refused unless the caller consents. */
  c->opts.allow_null = v->encr_alg == IMSMS_MIKEY_ENCR_NULL ||
                       v->mac_alg == IMSMS_MIKEY_MAC_NULL ||
                       v->resp_mac_alg == IMSMS_MIKEY_MAC_NULL;
}

/* Equal bytes, or a message naming the first differing offset. */
static void expect_bytes(const char *name, const char *what,
                         const uint8_t *got, size_t gotlen,
                         const uint8_t *want, size_t wantlen) {
  size_t n = gotlen < wantlen ? gotlen : wantlen, i;

  for (i = 0; i < n && got[i] == want[i]; i++) {
  }
  ck_assert_msg(gotlen == wantlen && i == n,
                "%s: %s: %zu bytes, expected %zu; first difference at "
                "offset %zu (got 0x%02x, expected 0x%02x)",
                name, what, gotlen, wantlen, i, i < gotlen ? got[i] : 0u,
                i < wantlen ? want[i] : 0u);
}

/* RFC 3830 4.1.4: PRF(PSK, constant || 0xFF || CSB ID || RAND). */
static void expect_psk_key(const psk_case *c, uint32_t constant,
                           const uint8_t *want, size_t wantlen,
                           const char *what) {
  uint8_t label[4 + 1 + 4 + 255], out[32];
  size_t n = 0;
  int rv;

  if (wantlen == 0) {
    return;
  }
  label[n++] = (uint8_t)(constant >> 24);
  label[n++] = (uint8_t)(constant >> 16);
  label[n++] = (uint8_t)(constant >> 8);
  label[n++] = (uint8_t)constant;
  label[n++] = 0xFF;
  label[n++] = (uint8_t)(c->v->csb_id >> 24);
  label[n++] = (uint8_t)(c->v->csb_id >> 16);
  label[n++] = (uint8_t)(c->v->csb_id >> 8);
  label[n++] = (uint8_t)c->v->csb_id;
  memcpy(label + n, c->rand, c->randlen);
  n += c->randlen;
  rv = imsms_mikey_prf(ctx, c->v->prf_func, c->psk, c->psklen, label, n, out,
                       wantlen);
  ck_assert_msg(rv == 0, "%s: %s: PRF with a %zu-byte label: %s",
                c->v->name, what, n, imsms_strerror(rv));
  expect_bytes(c->v->name, what, out, wantlen, want, wantlen);
}

START_TEST(test_psk_keys) {
  static psk_case c;

  load(&c, &imsms_kat_mikey_psk_vectors[_i]);
  expect_psk_key(&c, 0x150533E1u, c.encr_key, c.encr_key_len, "encr_key");
  expect_psk_key(&c, 0x29B88916u, c.salt_key, c.salt_key_len, "salt_key");
  expect_psk_key(&c, 0x2D22AC75u, c.auth_key, c.auth_key_len, "auth_key");
  expect_psk_key(&c, 0x2D22AC75u, c.resp_auth_key, c.resp_auth_key_len,
                 "verification auth_key");
}
END_TEST

START_TEST(test_init_encode) {
  static psk_case c;
  uint8_t msg[1024];
  imsms_ssize n;

  load(&c, &imsms_kat_mikey_psk_vectors[_i]);
  n = imsms_mikey_psk_init_encode(ctx, c.psk, c.psklen, &c.p, msg,
                                  sizeof(msg));
  ck_assert_msg(n > 0, "%s: %s", c.v->name, imsms_strerror((int)n));
  expect_bytes(c.v->name, "I_MESSAGE", msg, (size_t)n, c.imsg, c.imsg_len);
  /* Exactly the room it needs, and no byte less. */
  ck_assert_int_eq(imsms_mikey_psk_init_encode(ctx, c.psk, c.psklen, &c.p,
                                               msg, c.imsg_len),
                   (imsms_ssize)c.imsg_len);
  ck_assert_int_eq(imsms_mikey_psk_init_encode(ctx, c.psk, c.psklen, &c.p,
                                               msg, c.imsg_len - 1),
                   IMSMS_ERR_NOBUF);
}
END_TEST

START_TEST(test_init_verify) {
  static psk_case c;
  uint8_t keys[128], next = 0xFF;
  imsms_mikey_psk_verified pv;
  imsms_mikey_keydata kd;
  int rv;

  load(&c, &imsms_kat_mikey_psk_vectors[_i]);
  rv = imsms_mikey_psk_init_verify(ctx, c.psk, c.psklen, c.imsg, c.imsg_len,
                                   c.v->t, &c.opts, keys, sizeof(keys), &pv);
  ck_assert_msg(rv == 0, "%s: the Python I_MESSAGE does not verify: %s",
                c.v->name, imsms_strerror(rv));
  ck_assert_uint_eq(pv.msg.hdr.csb_id, c.v->csb_id);
  ck_assert_uint_eq(pv.msg.hdr.prf_func, c.v->prf_func);
  ck_assert_uint_eq(pv.msg.hdr.v, 1);
  ck_assert(pv.t == c.v->t);
  ck_assert_uint_eq(pv.encr_alg, c.v->encr_alg);
  ck_assert_uint_eq(pv.mac_alg, c.v->mac_alg);
  expect_bytes(c.v->name, "RAND", pv.rand, pv.rand_len, c.rand, c.randlen);
  ck_assert_uint_eq(pv.idi_len, c.idilen);
  ck_assert_uint_eq(pv.idr_len, c.idrlen);
  if (c.idilen) {
    expect_bytes(c.v->name, "IDi", pv.idi, pv.idi_len, c.idi, c.idilen);
  }
  if (c.idrlen) {
    expect_bytes(c.v->name, "IDr", pv.idr, pv.idr_len, c.idr, c.idrlen);
  }
  /* The decrypted Key data chain, then its one sub-payload's fields. */
  expect_bytes(c.v->name, "decrypted key data", keys, pv.keys_len, c.keydata,
               c.keydata_len);
  ck_assert_int_eq(imsms_mikey_keydata_decode(&kd, &next, keys, pv.keys_len),
                   (imsms_ssize)pv.keys_len);
  ck_assert_uint_eq(next, 0);
  ck_assert_uint_eq(kd.type, c.v->key_type);
  ck_assert_uint_eq(kd.kv, c.v->key_kv);
  expect_bytes(c.v->name, "key", kd.key, kd.key_len, c.key, c.keylen);
  ck_assert_uint_eq(kd.salt_len, c.saltlen);
  if (c.saltlen) {
    expect_bytes(c.v->name, "salt", kd.salt, kd.salt_len, c.salt, c.saltlen);
  }
  ck_assert_uint_eq(kd.spi_len, c.spilen);
  if (c.spilen) {
    expect_bytes(c.v->name, "SPI", kd.spi, kd.spi_len, c.spi, c.spilen);
  }
  ck_assert_uint_eq(kd.valid_from_len, c.vflen);
  ck_assert_uint_eq(kd.valid_to_len, c.vtlen);
  if (c.vflen) {
    expect_bytes(c.v->name, "Valid From", kd.valid_from, kd.valid_from_len,
                 c.vf, c.vflen);
  }
  if (c.vtlen) {
    expect_bytes(c.v->name, "Valid To", kd.valid_to, kd.valid_to_len, c.vt,
                 c.vtlen);
  }
}
END_TEST

START_TEST(test_resp_encode) {
  static psk_case c;
  uint8_t keys[128], resp[256];
  imsms_mikey_psk_verified pv;
  imsms_ssize n;
  int rv;

  load(&c, &imsms_kat_mikey_psk_vectors[_i]);
  rv = imsms_mikey_psk_init_verify(ctx, c.psk, c.psklen, c.imsg, c.imsg_len,
                                   c.v->t, &c.opts, keys, sizeof(keys), &pv);
  ck_assert_msg(rv == 0, "%s: the Python I_MESSAGE does not verify: %s",
                c.v->name, imsms_strerror(rv));
  n = imsms_mikey_psk_resp_encode(ctx, c.psk, c.psklen, &pv,
                                  c.v->resp_idr_type,
                                  c.ridrlen ? c.ridr : NULL, c.ridrlen,
                                  c.v->resp_mac_alg, resp, sizeof(resp));
  ck_assert_msg(n > 0, "%s: %s", c.v->name, imsms_strerror((int)n));
  expect_bytes(c.v->name, "verification message", resp, (size_t)n, c.resp,
               c.resp_len);
}
END_TEST

START_TEST(test_resp_verify) {
  static psk_case c;
  uint8_t bad[256];
  size_t i;
  int rv;

  load(&c, &imsms_kat_mikey_psk_vectors[_i]);
  rv = imsms_mikey_psk_resp_verify(ctx, c.psk, c.psklen, c.imsg, c.imsg_len,
                                   c.resp, c.resp_len, &c.opts);
  ck_assert_msg(rv == 0,
                "%s: the Python verification message does not verify: %s",
                c.v->name, imsms_strerror(rv));
  if (c.v->resp_mac_alg == IMSMS_MIKEY_MAC_NULL) {
    return;
  }
  /* The MAC covers every byte of the answer. */
  for (i = 0; i < c.resp_len; i++) {
    memcpy(bad, c.resp, c.resp_len);
    bad[i] ^= 0x01;
    ck_assert_msg(imsms_mikey_psk_resp_verify(ctx, c.psk, c.psklen, c.imsg,
                                              c.imsg_len, bad, c.resp_len,
                                              &c.opts) < 0,
                  "%s: flip at %zu accepted", c.v->name, i);
  }
}
END_TEST

static Suite *psk_kat_suite(void) {
  Suite *s = suite_create("mikey_psk_kat");
  TCase *tc = tcase_create("psk_kat");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_loop_test(tc, test_psk_keys, 0, (int)NVEC);
  tcase_add_loop_test(tc, test_init_encode, 0, (int)NVEC);
  tcase_add_loop_test(tc, test_init_verify, 0, (int)NVEC);
  tcase_add_loop_test(tc, test_resp_encode, 0, (int)NVEC);
  tcase_add_loop_test(tc, test_resp_verify, 0, (int)NVEC);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return imsms_test_run(psk_kat_suite(), "mikey_psk_kat"); }
