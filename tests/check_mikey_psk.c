/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * RFC 3830 PSK mode: I_MESSAGE, verification message and Error message,
 * every algorithm, every check in RFC 3830 5.3 order, the replay cache,
 * and allocation failures.
 */
#define _GNU_SOURCE /* memmem */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <imsmediasec/mikey.h>

#include "det_provider.h"
#include "failmalloc.h"
#include "mikey/protect.h" /* imsms_mikey_mac over pieces */
#include "mikey/replay.h"  /* imsms_replay_prefetch */
#include "test_util.h"

static imsms_ctx *ctx;
static const uint8_t psk[20] = "0123456789abcdefghij";
static const uint8_t rand16[16] = {0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
                                   0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b,
                                   0x1c, 0x1d, 0x1e, 0x1f};
static const uint8_t tgk[16] = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5,
                                0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab,
                                0xac, 0xad, 0xae, 0xaf};
static const uint8_t spi4[4] = {0, 0, 0, 1};
static const imsms_tstamp now = (imsms_tstamp)0xeb8a2c80u << 32;

static imsms_mikey_keydata key;
static imsms_mikey_cs cs;
static const uint8_t pol0 = 0;

static void setup(void) {
  ctx = imsms_test_ctx();
  memset(&key, 0, sizeof(key));
  key.type = IMSMS_MIKEY_KEY_TGK;
  key.kv = IMSMS_MIKEY_KV_SPI;
  key.key = tgk;
  key.key_len = sizeof(tgk);
  key.spi = spi4;
  key.spi_len = sizeof(spi4);
  memset(&cs, 0, sizeof(cs));
  cs.policies = &pol0;
  cs.npolicies = 1;
  cs.ssrc = 0xcafe0001u;
}

static void teardown(void) { imsms_ctx_del(ctx); }

static imsms_mikey_psk_init params(uint8_t encr, uint8_t mac) {
  imsms_mikey_psk_init p;

  memset(&p, 0, sizeof(p));
  p.csb_id = 0x5eed0001u;
  p.v = 1;
  p.encr_alg = encr;
  p.mac_alg = mac;
  p.t = now + 5;
  p.rand = rand16;
  p.rand_len = sizeof(rand16);
  p.idi = (const uint8_t *)"alice@example.net";
  p.idi_len = 17;
  p.idr = (const uint8_t *)"bob@example.net";
  p.idr_len = 15;
  p.map_type = IMSMS_MIKEY_MAP_SRTP_ID;
  p.cs = &cs;
  p.ncs = 1;
  p.keys = &key;
  p.nkeys = 1;
  return p;
}

static size_t build(uint8_t encr, uint8_t mac, uint8_t *out, size_t cap) {
  imsms_mikey_psk_init p = params(encr, mac);
  imsms_ssize n = imsms_mikey_psk_init_encode(ctx, psk, sizeof(psk), &p, out,
                                              cap);

  ck_assert_msg(n > 0, "%s", imsms_strerror((int)n));
  return (size_t)n;
}

static void expect_tgk(const uint8_t *keys, size_t len) {
  imsms_mikey_keydata kd;
  uint8_t next;

  ck_assert_int_eq(imsms_mikey_keydata_decode(&kd, &next, keys, len),
                   (imsms_ssize)len);
  ck_assert_uint_eq(kd.type, IMSMS_MIKEY_KEY_TGK);
  ck_assert_mem_eq(kd.key, tgk, sizeof(tgk));
  ck_assert_mem_eq(kd.spi, spi4, sizeof(spi4));
}

static const struct {
  uint8_t encr, mac;
} algs[] = {
    {IMSMS_MIKEY_ENCR_AES_CM_128, IMSMS_MIKEY_MAC_HMAC_SHA1_160},
    {IMSMS_MIKEY_ENCR_AES_CM_128, IMSMS_MIKEY_MAC_HMAC_SHA256_256},
    {IMSMS_MIKEY_ENCR_AES_CM_256, IMSMS_MIKEY_MAC_HMAC_SHA256_256},
    {IMSMS_MIKEY_ENCR_AES_KW_128, IMSMS_MIKEY_MAC_HMAC_SHA1_160},
};

START_TEST(test_init_round_trip_each_alg) {
  uint8_t msg[512], keys[128];
  imsms_mikey_psk_verified v;
  imsms_mikey_keydata k2 = key;
  imsms_mikey_psk_init p = params(algs[_i].encr, algs[_i].mac);
  imsms_ssize n;

  /* AES-KW needs a chain of a multiple of 8 bytes: 4 + 20 + 1 + 7. */
  static const uint8_t tgk20[20] = {1}, spi7[7] = {2};
  if (algs[_i].encr == IMSMS_MIKEY_ENCR_AES_KW_128) {
    k2.key = tgk20;
    k2.key_len = 20;
    k2.spi = spi7;
    k2.spi_len = 7;
    p.keys = &k2;
  }
  n = imsms_mikey_psk_init_encode(ctx, psk, sizeof(psk), &p, msg, sizeof(msg));
  ck_assert_msg(n > 0, "%s", imsms_strerror((int)n));
  /* The key never appears in the clear. */
  ck_assert_ptr_null(memmem(msg, (size_t)n, k2.key, k2.key_len));
  ck_assert_int_eq(imsms_mikey_psk_init_verify(ctx, psk, sizeof(psk), msg,
                                               (size_t)n, now, NULL, keys,
                                               sizeof(keys), &v),
                   0);
  ck_assert_uint_eq(v.msg.hdr.csb_id, 0x5eed0001u);
  ck_assert_uint_eq(v.idi_len, 17);
  ck_assert_mem_eq(v.idr, "bob@example.net", 15);
  ck_assert(v.t == now + 5);
  if (algs[_i].encr != IMSMS_MIKEY_ENCR_AES_KW_128) {
    expect_tgk(keys, v.keys_len);
  } else {
    ck_assert_uint_eq(v.keys_len, 32);
  }
}
END_TEST

START_TEST(test_aes_kw_needs_multiple_of_8) {
  imsms_mikey_psk_init p = params(IMSMS_MIKEY_ENCR_AES_KW_128,
                                  IMSMS_MIKEY_MAC_HMAC_SHA1_160);
  uint8_t msg[512];

  /* 4 + 16 + 1 + 4 = 25 bytes of key data. */
  ck_assert_int_eq(
      imsms_mikey_psk_init_encode(ctx, psk, sizeof(psk), &p, msg, sizeof(msg)),
      IMSMS_ERR_MIKEY_LENGTH);
}
END_TEST

START_TEST(test_wrong_psk_and_every_bit_flip) {
  uint8_t msg[512], bad[512], keys[128];
  imsms_mikey_psk_verified v;
  size_t len = build(1, 1, msg, sizeof(msg)), i;
  uint8_t other[20];

  memcpy(other, psk, sizeof(other));
  other[19] ^= 1;
  memset(keys, 0x5a, sizeof(keys));
  ck_assert_int_eq(imsms_mikey_psk_init_verify(ctx, other, sizeof(other), msg,
                                               len, now, NULL, keys,
                                               sizeof(keys), &v),
                   IMSMS_ERR_MIKEY_AUTH);
  ck_assert(imsms_test_all_zero(keys, sizeof(keys)));
  /* Flipping any bit of any byte makes the message fail, whatever the error. */
  for (i = 0; i < len; i++) {
    memcpy(bad, msg, len);
    bad[i] ^= (uint8_t)(1u << (i % 8));
    ck_assert_msg(imsms_mikey_psk_init_verify(ctx, psk, sizeof(psk), bad, len,
                                              now, NULL, keys, sizeof(keys),
                                              &v) < 0,
                  "flip at %zu accepted", i);
    ck_assert(imsms_test_all_zero(keys, sizeof(keys)));
  }
}
END_TEST

START_TEST(test_timestamp_window) {
  uint8_t msg[512], keys[128];
  imsms_mikey_psk_verified v;
  imsms_mikey_verify_opts o;
  size_t len = build(1, 1, msg, sizeof(msg));
  const imsms_tstamp sec = (imsms_tstamp)1 << 32;

  memset(&o, 0, sizeof(o));
  o.skew_sec = 10;
  ck_assert_int_eq(imsms_mikey_psk_init_verify(ctx, psk, sizeof(psk), msg, len,
                                               now + 5 + 10 * sec, &o, keys,
                                               sizeof(keys), &v),
                   0);
  ck_assert_int_eq(imsms_mikey_psk_init_verify(ctx, psk, sizeof(psk), msg, len,
                                               now + 6 + 10 * sec, &o, keys,
                                               sizeof(keys), &v),
                   IMSMS_ERR_MIKEY_STALE);
  ck_assert_int_eq(imsms_mikey_psk_init_verify(ctx, psk, sizeof(psk), msg, len,
                                               now + 4 - 10 * sec, &o, keys,
                                               sizeof(keys), &v),
                   IMSMS_ERR_MIKEY_STALE);
  /* Default window: 300 s. */
  ck_assert_int_eq(imsms_mikey_psk_init_verify(ctx, psk, sizeof(psk), msg, len,
                                               now + 301 * sec, NULL, keys,
                                               sizeof(keys), &v),
                   IMSMS_ERR_MIKEY_STALE);
}
END_TEST

START_TEST(test_replay_refused_only_after_auth) {
  uint8_t msg[512], bad[512], keys[128];
  imsms_mikey_psk_verified v;
  imsms_mikey_verify_opts o;
  imsms_replay *rc;
  size_t len = build(1, 1, msg, sizeof(msg));

  ck_assert_int_eq(imsms_replay_new(&rc, ctx, 64, 300), 0);
  memset(&o, 0, sizeof(o));
  o.replay = imsms_replay_check;
  o.replay_data = rc;
  /* A forged copy (bad MAC) must not poison the cache. */
  memcpy(bad, msg, len);
  bad[len - 1] ^= 1;
  ck_assert_int_eq(imsms_mikey_psk_init_verify(ctx, psk, sizeof(psk), bad, len,
                                               now, &o, keys, sizeof(keys), &v),
                   IMSMS_ERR_MIKEY_AUTH);
  ck_assert_int_eq(imsms_mikey_psk_init_verify(ctx, psk, sizeof(psk), msg, len,
                                               now, &o, keys, sizeof(keys), &v),
                   0);
  ck_assert_int_eq(imsms_mikey_psk_init_verify(ctx, psk, sizeof(psk), msg, len,
                                               now, &o, keys, sizeof(keys), &v),
                   IMSMS_ERR_MIKEY_REPLAY);
  ck_assert(imsms_test_all_zero(keys, sizeof(keys)));
  imsms_replay_del(rc);
}
END_TEST

START_TEST(test_null_algorithms_need_consent) {
  uint8_t msg[512], keys[128];
  imsms_mikey_psk_verified v;
  imsms_mikey_verify_opts o;
  size_t len;

  len = build(IMSMS_MIKEY_ENCR_NULL, IMSMS_MIKEY_MAC_HMAC_SHA1_160, msg,
              sizeof(msg));
  ck_assert_ptr_nonnull(memmem(msg, len, tgk, sizeof(tgk)));
  ck_assert_int_eq(imsms_mikey_psk_init_verify(ctx, psk, sizeof(psk), msg, len,
                                               now, NULL, keys, sizeof(keys),
                                               &v),
                   IMSMS_ERR_MIKEY_ENCR_ALG);
  memset(&o, 0, sizeof(o));
  o.allow_null = 1;
  ck_assert_int_eq(imsms_mikey_psk_init_verify(ctx, psk, sizeof(psk), msg, len,
                                               now, &o, keys, sizeof(keys), &v),
                   0);
  expect_tgk(keys, v.keys_len);
  len = build(IMSMS_MIKEY_ENCR_AES_CM_128, IMSMS_MIKEY_MAC_NULL, msg,
              sizeof(msg));
  ck_assert_int_eq(imsms_mikey_psk_init_verify(ctx, psk, sizeof(psk), msg, len,
                                               now, NULL, keys, sizeof(keys),
                                               &v),
                   IMSMS_ERR_MIKEY_MAC_ALG);
}
END_TEST

START_TEST(test_structure_errors) {
  uint8_t msg[512], keys[128], small[4];
  imsms_mikey_psk_verified v;
  size_t len = build(1, 1, msg, sizeof(msg));
  imsms_mikey_psk_init p = params(1, 1);

  /* Not an I_MESSAGE; and every early failure wipes the key buffer
   * (found by fuzz_mikey_verify: a decode error left it as it was). */
  msg[1] = IMSMS_MIKEY_PSK_RESP;
  memset(keys, 0x5a, sizeof(keys));
  ck_assert_int_eq(imsms_mikey_psk_init_verify(ctx, psk, sizeof(psk), msg, len,
                                               now, NULL, keys, sizeof(keys),
                                               &v),
                   IMSMS_ERR_MIKEY_UNEXPECTED);
  ck_assert(imsms_test_all_zero(keys, sizeof(keys)));
  msg[1] = IMSMS_MIKEY_PSK_INIT;
  memset(keys, 0x5a, sizeof(keys));
  ck_assert_int_eq(imsms_mikey_psk_init_verify(ctx, psk, sizeof(psk), msg, 1,
                                               now, NULL, keys, sizeof(keys),
                                               &v),
                   IMSMS_ERR_TRUNCATED);
  ck_assert(imsms_test_all_zero(keys, sizeof(keys)));
  memset(keys, 0x5a, sizeof(keys));
  ck_assert_int_eq(imsms_mikey_psk_init_verify(ctx, NULL, sizeof(psk), msg, len,
                                               now, NULL, keys, sizeof(keys),
                                               &v),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert(imsms_test_all_zero(keys, sizeof(keys)));
  /* Key buffer too small. */
  ck_assert_int_eq(imsms_mikey_psk_init_verify(ctx, psk, sizeof(psk), msg, len,
                                               now, NULL, small, sizeof(small),
                                               &v),
                   IMSMS_ERR_NOBUF);
  /* Arguments. */
  ck_assert_int_eq(imsms_mikey_psk_init_verify(NULL, psk, sizeof(psk), msg, len,
                                               now, NULL, keys, sizeof(keys),
                                               &v),
                   IMSMS_ERR_INVALID_ARGUMENT);
  p.rand = NULL;
  ck_assert_int_eq(
      imsms_mikey_psk_init_encode(ctx, psk, sizeof(psk), &p, msg, sizeof(msg)),
      IMSMS_ERR_INVALID_ARGUMENT);
  p = params(1, 1);
  p.prf_func = 2;
  ck_assert_int_eq(
      imsms_mikey_psk_init_encode(ctx, psk, sizeof(psk), &p, msg, sizeof(msg)),
      IMSMS_ERR_MIKEY_PRF);
  p = params(9, 1);
  ck_assert_int_eq(
      imsms_mikey_psk_init_encode(ctx, psk, sizeof(psk), &p, msg, sizeof(msg)),
      IMSMS_ERR_MIKEY_ENCR_ALG);
  p = params(1, 1);
  ck_assert_int_eq(imsms_mikey_psk_init_encode(ctx, psk, sizeof(psk), &p, msg,
                                               len - 1),
                   IMSMS_ERR_NOBUF);
}
END_TEST

/* A CSB update has no RAND: keys come from the initial exchange's RAND. */
START_TEST(test_csb_update) {
  uint8_t msg[512], keys[128];
  imsms_mikey_psk_verified v;
  imsms_mikey_verify_opts o;
  imsms_mikey_psk_init p = params(1, 1);
  imsms_ssize n;

  p.rand = NULL;
  p.update_rand = rand16;
  p.update_rand_len = sizeof(rand16);
  n = imsms_mikey_psk_init_encode(ctx, psk, sizeof(psk), &p, msg, sizeof(msg));
  ck_assert_int_gt(n, 0);
  ck_assert_int_eq(imsms_mikey_psk_init_verify(ctx, psk, sizeof(psk), msg,
                                               (size_t)n, now, NULL, keys,
                                               sizeof(keys), &v),
                   IMSMS_ERR_MIKEY_MISSING);
  memset(&o, 0, sizeof(o));
  o.update_rand = rand16;
  o.update_rand_len = sizeof(rand16);
  ck_assert_int_eq(imsms_mikey_psk_init_verify(ctx, psk, sizeof(psk), msg,
                                               (size_t)n, now, &o, keys,
                                               sizeof(keys), &v),
                   0);
  expect_tgk(keys, v.keys_len);
  /* The verification message of an update, checked with the same RAND. */
  {
    uint8_t resp[256];
    imsms_ssize rlen = imsms_mikey_psk_resp_encode(
        ctx, psk, sizeof(psk), &v, 0, NULL, 0, IMSMS_MIKEY_MAC_HMAC_SHA1_160,
        resp, sizeof(resp));

    ck_assert_int_gt(rlen, 0);
    ck_assert_int_eq(imsms_mikey_psk_resp_verify(ctx, psk, sizeof(psk), msg,
                                                 (size_t)n, resp,
                                                 (size_t)rlen, &o),
                     0);
    ck_assert_int_eq(imsms_mikey_psk_resp_verify(ctx, psk, sizeof(psk), msg,
                                                 (size_t)n, resp,
                                                 (size_t)rlen, NULL),
                     IMSMS_ERR_INVALID_ARGUMENT);
  }
}
END_TEST

START_TEST(test_verification_message) {
  uint8_t msg[512], resp[256], keys[128], other[20];
  imsms_mikey_psk_verified v;
  imsms_mikey_payload pl[4];
  imsms_mikey_msg m;
  size_t len = build(1, 1, msg, sizeof(msg));
  imsms_ssize rlen;

  ck_assert_int_eq(imsms_mikey_psk_init_verify(ctx, psk, sizeof(psk), msg, len,
                                               now, NULL, keys, sizeof(keys),
                                               &v),
                   0);
  rlen = imsms_mikey_psk_resp_encode(ctx, psk, sizeof(psk), &v,
                                     IMSMS_MIKEY_ID_NAI,
                                     (const uint8_t *)"bob@example.net", 15,
                                     IMSMS_MIKEY_MAC_HMAC_SHA1_160, resp,
                                     sizeof(resp));
  ck_assert_int_gt(rlen, 0);
  ck_assert_int_eq(imsms_mikey_decode_all(&m, pl, 4, resp, (size_t)rlen), 3);
  ck_assert_uint_eq(m.hdr.data_type, IMSMS_MIKEY_PSK_RESP);
  ck_assert_uint_eq(m.hdr.v, 0);
  ck_assert(pl[0].u.t.value == now + 5);
  ck_assert_int_eq(imsms_mikey_psk_resp_verify(ctx, psk, sizeof(psk), msg, len,
                                               resp, (size_t)rlen, NULL),
                   0);
  memcpy(other, psk, sizeof(other));
  other[0] ^= 1;
  ck_assert_int_eq(imsms_mikey_psk_resp_verify(ctx, other, sizeof(other), msg,
                                               len, resp, (size_t)rlen, NULL),
                   IMSMS_ERR_MIKEY_AUTH);
  resp[4] ^= 1; /* CSB ID */
  ck_assert_int_eq(imsms_mikey_psk_resp_verify(ctx, psk, sizeof(psk), msg, len,
                                               resp, (size_t)rlen, NULL),
                   IMSMS_ERR_MIKEY_CSB_ID);
  resp[4] ^= 1;
  resp[(size_t)(pl[0].raw - resp) + 9] ^= 1; /* last byte of T */
  ck_assert_int_eq(imsms_mikey_psk_resp_verify(ctx, psk, sizeof(psk), msg, len,
                                               resp, (size_t)rlen, NULL),
                   IMSMS_ERR_MIKEY_STALE);
}
END_TEST

START_TEST(test_error_message) {
  uint8_t msg[512], err[256];
  imsms_mikey_payload pl[8];
  const uint8_t codes[2] = {IMSMS_MIKEY_ERR_INVALID_SP,
                            IMSMS_MIKEY_ERR_UNSPECIFIED};
  imsms_mikey_msg failed, m;
  size_t len = build(1, 1, msg, sizeof(msg));
  imsms_ssize n;

  ck_assert_int_eq(imsms_mikey_decode(&failed, msg, len), 0);
  n = imsms_mikey_error_encode(ctx, &failed, now, codes, 2, NULL, 0, NULL, 0,
                               0, err, sizeof(err));
  ck_assert_int_gt(n, 0);
  ck_assert_int_eq(imsms_mikey_decode_all(&m, pl, 8, err, (size_t)n), 3);
  ck_assert_uint_eq(m.hdr.data_type, IMSMS_MIKEY_ERROR);
  ck_assert_uint_eq(m.hdr.csb_id, failed.hdr.csb_id);
  ck_assert_uint_eq(m.hdr.v, 0);
  ck_assert_uint_eq(pl[1].u.err.error_no, IMSMS_MIKEY_ERR_INVALID_SP);
  /* With the PSK: a V payload under the failed message's keys. */
  n = imsms_mikey_error_encode(ctx, &failed, now, codes, 1, NULL, 0, psk,
                               sizeof(psk), IMSMS_MIKEY_MAC_HMAC_SHA1_160, err,
                               sizeof(err));
  ck_assert_int_gt(n, 0);
  ck_assert_int_eq(imsms_mikey_decode_all(&m, pl, 8, err, (size_t)n), 3);
  ck_assert_uint_eq(pl[2].type, IMSMS_MIKEY_PT_V);
  ck_assert(!imsms_test_all_zero(pl[2].u.v.mac, 20));
  /* The initiator sees it as the peer's error. */
  ck_assert_int_eq(imsms_mikey_psk_resp_verify(ctx, psk, sizeof(psk), msg, len,
                                               err, (size_t)n, NULL),
                   IMSMS_ERR_MIKEY_PEER_ERROR);
  ck_assert_int_eq(imsms_mikey_error_encode(ctx, &failed, now, codes, 0, NULL,
                                            0, NULL, 0, 0, err, sizeof(err)),
                   IMSMS_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(test_replay_cache_bounded) {
  imsms_failmalloc fm;
  imsms_det_provider dp;
  imsms_replay *rc;
  imsms_ctx *c;
  uint8_t id[20];
  long live;
  uint32_t i;
  const imsms_tstamp sec = (imsms_tstamp)1 << 32;

  imsms_det_provider_init(&dp, 1);
  imsms_failmalloc_init(&fm, -1);
  ck_assert_int_eq(imsms_ctx_new(&c, &fm.mem, &dp.vt, NULL, NULL), 0);
  ck_assert_int_eq(imsms_replay_new(&rc, c, 100, 60), 0);
  live = fm.live;
  memset(id, 0, sizeof(id));
  /* A flood of distinct authenticated messages: no allocation at all. */
  for (i = 0; i < 100000; i++) {
    memcpy(id, &i, sizeof(i));
    id[8] = (uint8_t)(i * 7);
    ck_assert_int_eq(imsms_replay_check(id, sizeof(id), now + i, now + i, rc),
                     0);
  }
  ck_assert_int_eq(fm.live, live);
  /* The newest are remembered; evicted ones are behind the floor. */
  ck_assert_int_eq(imsms_replay_check(id, sizeof(id), now + i - 1, now + i, rc),
                   IMSMS_ERR_MIKEY_REPLAY);
  i = 5;
  memcpy(id, &i, sizeof(i));
  id[8] = (uint8_t)(i * 7);
  ck_assert_int_eq(imsms_replay_check(id, sizeof(id), now + 5, now + 100000, rc),
                   IMSMS_ERR_MIKEY_REPLAY);
  /* A new id with a fresh timestamp is fine; a short id is refused. */
  id[9] = 0xff;
  ck_assert_int_eq(
      imsms_replay_check(id, sizeof(id), now + 200000, now + 200000, rc), 0);
  ck_assert_int_eq(imsms_replay_check(id, 8, now, now, rc),
                   IMSMS_ERR_INVALID_ARGUMENT);
  /* Much later: everything expired, the cache empties itself. */
  id[9] = 0xfe;
  ck_assert_int_eq(imsms_replay_check(id, sizeof(id), now + 1000 * sec,
                                      now + 1000 * sec, rc),
                   0);
  imsms_replay_del(rc);
  imsms_ctx_del(c);
  ck_assert_int_eq(fm.live, 0);
}
END_TEST

/* ---- The replay cache against a model of its documented rules ---- */

#define MODEL_CAP 16

typedef struct model_entry {
  uint8_t id[16];
  imsms_tstamp t;
} model_entry;

typedef struct model {
  model_entry q[MODEL_CAP];
  size_t head, count;
  imsms_tstamp floor;
  uint64_t skew;
} model;

static void model_drop(model *m) {
  const model_entry *old = &m->q[m->head];

  if (m->floor == 0 || (int64_t)(old->t - m->floor) > 0) {
    m->floor = old->t;
  }
  m->head = (m->head + 1) % MODEL_CAP;
  m->count--;
}

static int model_check(model *m, const uint8_t *id, imsms_tstamp t,
                       imsms_tstamp at) {
  size_t i;

  while (m->count &&
         (int64_t)(at - m->q[m->head].t) > (int64_t)m->skew) {
    model_drop(m);
  }
  if (m->floor && (int64_t)(t - m->floor) <= 0) {
    return IMSMS_ERR_MIKEY_REPLAY;
  }
  for (i = 0; i < m->count; i++) {
    if (memcmp(m->q[(m->head + i) % MODEL_CAP].id, id, 16) == 0) {
      return IMSMS_ERR_MIKEY_REPLAY;
    }
  }
  if (m->count == MODEL_CAP) {
    model_drop(m);
  }
  memcpy(m->q[(m->head + m->count) % MODEL_CAP].id, id, 16);
  m->q[(m->head + m->count) % MODEL_CAP].t = t;
  m->count++;
  return 0;
}

static uint32_t xorshift(uint32_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 17;
  *s ^= *s << 5;
  return *s;
}

/*
 * Random checks on a small cache: ids from a pool of 48 where many share
 * their first 8 bytes (one probe chain: collisions, backward shifts) and
 * one is all zero (the table's empty mark); timestamps around a clock
 * that jumps ahead now and then (expiry), and sometimes back past the
 * floor. Every answer equals the model's.
 */
START_TEST(test_replay_cache_model) {
  const imsms_tstamp sec = (imsms_tstamp)1 << 32;
  uint8_t ids[48][20];
  imsms_replay *rc;
  model m;
  imsms_tstamp at = now;
  uint32_t seed = 0x9e3779b9u;
  size_t i, replays = 0, zero_seen = 0;

  memset(&m, 0, sizeof(m));
  m.skew = (uint64_t)60 << 32;
  memset(ids, 0, sizeof(ids));
  for (i = 1; i < 48; i++) {
    /* Ids 1-23: one shared first half; the rest spread. */
    ids[i][0] = i < 24 ? 0x5a : (uint8_t)i;
    ids[i][8] = (uint8_t)i;
    ids[i][19] = (uint8_t)(i * 3); /* past the 16 bytes kept: ignored */
  }
  ck_assert_int_eq(imsms_replay_new(&rc, ctx, MODEL_CAP, 60), 0);
  for (i = 0; i < 200000; i++) {
    uint32_t r = xorshift(&seed);
    size_t k = r % 48;
    imsms_tstamp t;
    int want, got;

    if (r % 97 == 0) {
      at += (imsms_tstamp)(r % 200) * sec;
    } else {
      at += (imsms_tstamp)(r >> 24) << 20;
    }
    t = (r >> 8) % 5 == 0 ? at - (imsms_tstamp)((r >> 12) % 90) * sec : at;
    want = model_check(&m, ids[k], t, at);
    /* The engine's hint, on every other step: it must change nothing
     * (under ASan it also shows it reads inside the table and FIFO). */
    if (r & 1) {
      imsms_replay_prefetch(rc, ids[k], sizeof(ids[k]));
    }
    got = imsms_replay_check(ids[k], sizeof(ids[k]), t, at, rc);
    ck_assert_msg(got == want, "step %zu: id %zu got %d want %d", i, k, got,
                  want);
    replays += got != 0;
    zero_seen += k == 0 && got == 0;
  }
  /* Ignored: no cache, no id, an id shorter than the cache's. */
  imsms_replay_prefetch(NULL, ids[1], 16);
  imsms_replay_prefetch(rc, NULL, 16);
  imsms_replay_prefetch(rc, ids[1], 15);
  /* The run met both outcomes, and the zero id was taken and refused. */
  ck_assert_uint_gt(replays, 1000);
  ck_assert_uint_lt(replays, 199000);
  ck_assert_uint_gt(zero_seen, 10);
  imsms_replay_del(rc);
}
END_TEST

/*
 * Fail allocation N of encode + verify for every N, each on a fresh
 * context (a warm one serves from its pool and allocates nothing): no
 * leak, clean errors. Then the warm context: no allocation at all.
 */
START_TEST(test_allocation_failures) {
  imsms_failmalloc fm;
  imsms_det_provider dp;
  imsms_mikey_psk_verified v;
  imsms_mikey_psk_init p = params(1, 1);
  uint8_t msg[512], keys[128];
  imsms_ctx *c;
  long n;
  imsms_ssize len;
  int rv = -1, failed = 0;

  imsms_det_provider_init(&dp, 2);
  for (n = 0; n < 1000 && rv != 0; n++) {
    imsms_failmalloc_init(&fm, -1);
    ck_assert_int_eq(imsms_ctx_new(&c, &fm.mem, &dp.vt, NULL, NULL), 0);
    fm.calls = 0;
    fm.fail_at = n;
    len = imsms_mikey_psk_init_encode(c, psk, sizeof(psk), &p, msg, sizeof(msg));
    rv = len < 0 ? (int)len
                 : imsms_mikey_psk_init_verify(c, psk, sizeof(psk), msg,
                                               (size_t)len, now, NULL, keys,
                                               sizeof(keys), &v);
    failed = (int)fm.failed;
    fm.fail_at = -1;
    if (failed) {
      ck_assert_int_eq(rv, IMSMS_ERR_NOMEM);
    }
    if (rv == 0) {
      /* Warm now: another exchange allocates nothing. */
      fm.calls = 0;
      len = imsms_mikey_psk_init_encode(c, psk, sizeof(psk), &p, msg,
                                        sizeof(msg));
      ck_assert_int_gt(len, 0);
      ck_assert_int_eq(imsms_mikey_psk_init_verify(c, psk, sizeof(psk), msg,
                                                   (size_t)len, now, NULL,
                                                   keys, sizeof(keys), &v),
                       0);
      ck_assert_int_eq(fm.calls, 0);
    }
    imsms_ctx_del(c);
    ck_assert_int_eq(fm.live, 0);
  }
  ck_assert_int_eq(rv, 0);
  ck_assert_int_gt(n, 2);
}
END_TEST

/*
 * The MAC over an input in pieces (the engine's MACs cover a message and
 * identities, a ticket's fixed fields and data) equals libcrypto's
 * one-shot HMAC over the concatenation, however the pieces fall around
 * the 1024-byte stage that gathers short ones: empty, 1 byte, exactly
 * and just over the stage, many small pieces, long ones.
 */
START_TEST(test_mac_over_pieces) {
  static const size_t splits[][8] = {
      {0},
      {1, 0, 1023, 1},
      {1024},
      {1025},
      {1023, 2, 0, 0, 1022, 3},
      {100, 950, 3000, 7, 0, 600},
      {366, 170},
      {511, 2, 0, 0, 510, 3},
      {4000, 1000},
      {7, 2, 60, 2, 100, 300, 20, 24},
  };
  static uint8_t data[5200];
  uint8_t mac[32], ref[EVP_MAX_MD_SIZE];
  size_t i, j, off, total, reflen;
  imsms_iov iov[8];
  int a;

  for (i = 0; i < sizeof(data); i++) {
    data[i] = (uint8_t)(i * 131u + (i >> 8));
  }
  for (a = 0; a < 2; a++) {
    uint8_t alg = a ? IMSMS_MIKEY_MAC_HMAC_SHA256_256
                    : IMSMS_MIKEY_MAC_HMAC_SHA1_160;
    size_t keylen = a ? 32 : 20;

    for (i = 0; i < sizeof(splits) / sizeof(splits[0]); i++) {
      for (j = 0, off = 0; j < 8; j++) {
        iov[j].base = data + off;
        iov[j].len = splits[i][j];
        off += splits[i][j];
      }
      total = off;
      ck_assert_int_eq(imsms_mikey_mac(ctx, alg, data + 5000, keylen, iov, 8,
                                       mac),
                       0);
      ck_assert_ptr_nonnull(EVP_Q_mac(NULL, "HMAC", NULL,
                                      a ? "SHA2-256" : "SHA1", NULL,
                                      data + 5000, keylen, data, total, ref,
                                      sizeof(ref), &reflen));
      ck_assert_uint_eq(reflen, keylen);
      ck_assert_mem_eq(mac, ref, reflen);
    }
  }
}
END_TEST

static Suite *psk_suite(void) {
  Suite *s = suite_create("mikey_psk");
  TCase *tc = tcase_create("psk");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_loop_test(tc, test_init_round_trip_each_alg, 0,
                      (int)(sizeof(algs) / sizeof(algs[0])));
  tcase_add_test(tc, test_aes_kw_needs_multiple_of_8);
  tcase_add_test(tc, test_wrong_psk_and_every_bit_flip);
  tcase_add_test(tc, test_timestamp_window);
  tcase_add_test(tc, test_replay_refused_only_after_auth);
  tcase_add_test(tc, test_null_algorithms_need_consent);
  tcase_add_test(tc, test_structure_errors);
  tcase_add_test(tc, test_csb_update);
  tcase_add_test(tc, test_verification_message);
  tcase_add_test(tc, test_error_message);
  tcase_add_test(tc, test_replay_cache_bounded);
  tcase_add_test(tc, test_replay_cache_model);
  tcase_add_test(tc, test_allocation_failures);
  tcase_add_test(tc, test_mac_over_pieces);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return imsms_test_run(psk_suite(), "mikey_psk"); }
