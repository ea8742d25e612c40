/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The MIKEY codec: every sample message decodes, re-encodes to the same
 * bytes, fails cleanly on every truncation (each prefix is copied to a
 * heap buffer of exactly its size, so ASan sees any over-read), and each
 * malformation gets its own error. The RFC 4567 examples decode with the
 * field values given in mikey.md 6.1.
 */
#include <stdlib.h>
#include <string.h>

#include "mikey/codec.h" /* imsms_mikey_iter_next_idr */
#include "mikey_samples.h"
#include "test_util.h"

#define MAXS 32
static imsms_sample samples[MAXS];
static size_t nsamples;

static void setup(void) {
  if (nsamples == 0) {
    nsamples = imsms_mikey_samples(samples, MAXS);
  }
}

/* Decodes an exact-size heap copy of |len| bytes of |in|. */
static int decode_copy(const uint8_t *in, size_t len, imsms_mikey_msg *msg) {
  uint8_t *copy = malloc(len ? len : 1);
  int rv;

  ck_assert_ptr_nonnull(copy);
  memcpy(copy, in, len);
  rv = imsms_mikey_decode(msg, copy, len);
  free(copy);
  return rv;
}

START_TEST(test_samples_round_trip) {
  const imsms_sample *s = &samples[_i];
  imsms_mikey_payload pls[32];
  imsms_mikey_msg msg;
  uint8_t out[IMSMS_SAMPLE_MAX];
  imsms_ssize n;

  n = imsms_mikey_decode_all(&msg, pls, 32, s->buf, s->len);
  ck_assert_msg(n > 0, "%s: %s", s->name, imsms_strerror((int)n));
  ck_assert_uint_eq(msg.hdr.data_type, s->data_type);
  ck_assert_uint_eq(msg.npayloads, (size_t)n);
  ck_assert_int_eq(imsms_mikey_encoded_len(&msg.hdr, pls, (size_t)n),
                   (imsms_ssize)s->len);
  ck_assert_int_eq(imsms_mikey_encode(out, sizeof(out), &msg.hdr, pls,
                                      (size_t)n),
                   (imsms_ssize)s->len);
  ck_assert_msg(memcmp(out, s->buf, s->len) == 0, "%s re-encodes differently",
                s->name);
}
END_TEST

START_TEST(test_samples_every_prefix_fails) {
  const imsms_sample *s = &samples[_i];
  imsms_mikey_msg msg;
  size_t len;

  for (len = 0; len < s->len; len++) {
    int rv = decode_copy(s->buf, len, &msg);

    ck_assert_msg(rv < 0, "%s: prefix of %zu bytes accepted", s->name, len);
  }
  ck_assert_int_eq(decode_copy(s->buf, s->len, &msg), 0);
}
END_TEST

START_TEST(test_samples_trailing_byte) {
  const imsms_sample *s = &samples[_i];
  imsms_mikey_msg msg;
  uint8_t buf[IMSMS_SAMPLE_MAX + 1];
  imsms_mikey_payload pls[32];
  imsms_ssize n;

  memcpy(buf, s->buf, s->len);
  buf[s->len] = 0;
  n = imsms_mikey_decode_all(&msg, pls, 32, s->buf, s->len);
  ck_assert_int_gt(n, 0);
  ck_assert_int_eq(imsms_mikey_decode(&msg, buf, s->len + 1),
                   pls[n - 1].type == IMSMS_MIKEY_PT_SIGN
                       ? IMSMS_ERR_MIKEY_SIGN_NOT_LAST
                       : IMSMS_ERR_MIKEY_TRAILING);
}
END_TEST

/* Encoding into every short buffer fails without writing. */
START_TEST(test_samples_encode_nobuf) {
  const imsms_sample *s = &samples[_i];
  imsms_mikey_payload pls[32];
  imsms_mikey_msg msg;
  uint8_t out[IMSMS_SAMPLE_MAX];
  size_t cap;
  imsms_ssize n;

  n = imsms_mikey_decode_all(&msg, pls, 32, s->buf, s->len);
  ck_assert_int_gt(n, 0);
  for (cap = 0; cap < s->len; cap += 7) {
    memset(out, 0xee, sizeof(out));
    ck_assert_int_eq(imsms_mikey_encode(out, cap, &msg.hdr, pls, (size_t)n),
                     IMSMS_ERR_NOBUF);
    ck_assert_uint_eq(out[0], 0xee);
  }
  ck_assert_int_eq(imsms_mikey_decode_all(&msg, pls, (size_t)n - 1, s->buf,
                                          s->len),
                   IMSMS_ERR_MIKEY_TOO_MANY);
}
END_TEST

static int id_is(const imsms_mikey_id *id, const char *s) {
  return id->len == strlen(s) && memcmp(id->data, s, id->len) == 0;
}

START_TEST(test_rfc4567_offer_fields) {
  uint8_t buf[256];
  size_t len = imsms_sample_rfc4567_offer(buf, sizeof(buf));
  imsms_mikey_payload p[8];
  imsms_mikey_map_iter mit;
  imsms_mikey_msg msg;
  imsms_mikey_cs cs;

  ck_assert_uint_eq(len, 132);
  ck_assert_int_eq(imsms_mikey_decode_all(&msg, p, 8, buf, len), 5);
  ck_assert_uint_eq(msg.hdr.version, 1);
  ck_assert_uint_eq(msg.hdr.data_type, IMSMS_MIKEY_PSK_INIT);
  ck_assert_uint_eq(msg.hdr.next_payload, IMSMS_MIKEY_PT_T);
  ck_assert_uint_eq(msg.hdr.v, 1);
  ck_assert_uint_eq(msg.hdr.prf_func, 0);
  ck_assert_uint_eq(msg.hdr.csb_id, 0xcd177e50u);
  ck_assert_uint_eq(msg.hdr.ncs, 1);
  imsms_mikey_map_iter_init(&mit, &msg.hdr);
  ck_assert_int_eq(imsms_mikey_map_next(&mit, &cs), 0);
  ck_assert_uint_eq(cs.cs_id, 1);
  ck_assert_uint_eq(cs.policies[0], 0);
  ck_assert_uint_eq(cs.ssrc, 0);
  ck_assert_uint_eq(cs.roc, 0);
  ck_assert_int_eq(imsms_mikey_map_next(&mit, &cs), IMSMS_ERR_EOF);
  ck_assert_uint_eq(p[0].type, IMSMS_MIKEY_PT_T);
  ck_assert_uint_eq(p[0].u.t.ts_type, IMSMS_MIKEY_TS_NTP_UTC);
  ck_assert(p[0].u.t.value == 0xc8e350ea00000000ULL);
  ck_assert_uint_eq(p[1].type, IMSMS_MIKEY_PT_RAND);
  ck_assert_uint_eq(p[1].u.rand.len, 16);
  ck_assert_uint_eq(p[2].type, IMSMS_MIKEY_PT_ID);
  ck_assert_uint_eq(p[2].u.id.type, IMSMS_MIKEY_ID_NAI);
  ck_assert(id_is(&p[2].u.id, "donald@duck.com"));
  ck_assert_uint_eq(p[3].type, IMSMS_MIKEY_PT_SP);
  ck_assert_uint_eq(p[3].u.sp.policy_no, 0);
  ck_assert_uint_eq(p[3].u.sp.prot_type, IMSMS_MIKEY_PROT_SRTP);
  ck_assert_uint_eq(p[3].u.sp.len, 0);
  ck_assert_uint_eq(p[4].type, IMSMS_MIKEY_PT_KEMAC);
  ck_assert_uint_eq(p[4].u.kemac.encr_alg, IMSMS_MIKEY_ENCR_AES_CM_128);
  ck_assert_uint_eq(p[4].u.kemac.encr_len, 36);
  ck_assert_uint_eq(p[4].u.kemac.mac_alg, IMSMS_MIKEY_MAC_HMAC_SHA1_160);
  ck_assert_uint_eq(p[4].u.kemac.mac_len, 20);
  ck_assert_ptr_eq(p[4].u.kemac.mac + 20, buf + len);
}
END_TEST

START_TEST(test_rfc4567_answer_fields) {
  uint8_t buf[128];
  size_t len = imsms_sample_rfc4567_answer(buf, sizeof(buf));
  imsms_mikey_payload p[4];
  imsms_mikey_msg msg;

  ck_assert_uint_eq(len, 71);
  ck_assert_int_eq(imsms_mikey_decode_all(&msg, p, 4, buf, len), 3);
  ck_assert_uint_eq(msg.hdr.data_type, IMSMS_MIKEY_PSK_RESP);
  ck_assert_uint_eq(msg.hdr.v, 1);
  ck_assert_uint_eq(msg.hdr.csb_id, 0xcd177e50u);
  ck_assert(p[0].u.t.value == 0xc8e350ea00000000ULL);
  ck_assert(id_is(&p[1].u.id, "mickey@mouse.com"));
  ck_assert_uint_eq(p[2].type, IMSMS_MIKEY_PT_V);
  ck_assert_uint_eq(p[2].u.v.alg, IMSMS_MIKEY_MAC_HMAC_SHA1_160);
  ck_assert_uint_eq(p[2].u.v.len, 20);
}
END_TEST

/* Sample index by data type. */
static const imsms_sample *sample(uint8_t dt) {
  ck_assert_uint_gt(nsamples, dt);
  return &samples[dt];
}

/* Decodes |s| with byte |off| set to |value|. */
static int decode_patched(const imsms_sample *s, size_t off, uint8_t value) {
  imsms_mikey_msg msg;
  uint8_t buf[IMSMS_SAMPLE_MAX];

  memcpy(buf, s->buf, s->len);
  buf[off] = value;
  return decode_copy(buf, s->len, &msg);
}

START_TEST(test_header_errors) {
  const imsms_sample *s = sample(IMSMS_MIKEY_PSK_RESP);
  imsms_mikey_msg msg;

  ck_assert_int_eq(decode_patched(s, 0, 2), IMSMS_ERR_MIKEY_VERSION);
  ck_assert_int_eq(decode_patched(s, 1, 19), IMSMS_ERR_MIKEY_DATA_TYPE);
  ck_assert_int_eq(decode_patched(s, 1, 255), IMSMS_ERR_MIKEY_DATA_TYPE);
  ck_assert_int_eq(decode_patched(s, 9, 3), IMSMS_ERR_MIKEY_MAP);
  /* First payload type unknown, or one that cannot be top level. */
  ck_assert_int_eq(decode_patched(s, 2, 18), IMSMS_ERR_MIKEY_PAYLOAD_TYPE);
  ck_assert_int_eq(decode_patched(s, 2, IMSMS_MIKEY_PT_KEY_DATA),
                   IMSMS_ERR_MIKEY_PAYLOAD_TYPE);
  ck_assert_int_eq(decode_patched(s, 2, 0), IMSMS_ERR_MIKEY_TRAILING);
  ck_assert_int_eq(imsms_mikey_decode(NULL, s->buf, s->len),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_mikey_decode(&msg, NULL, 0),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_mikey_decode(&msg, s->buf, 65536),
                   IMSMS_ERR_TOO_LARGE);
}
END_TEST

/* Offset of payload |k| (0-based) of sample |s|. */
static size_t payload_off(const imsms_sample *s, size_t k) {
  imsms_mikey_payload p[32];
  imsms_mikey_msg msg;

  ck_assert_int_gt(imsms_mikey_decode_all(&msg, p, 32, s->buf, s->len),
                   (imsms_ssize)k);
  return (size_t)(p[k].raw - s->buf);
}

START_TEST(test_algorithm_codes_that_set_lengths) {
  const imsms_sample *psk = sample(IMSMS_MIKEY_PSK_RESP);
  const imsms_sample *pk = sample(IMSMS_MIKEY_PK_INIT);
  const imsms_sample *dh = sample(IMSMS_MIKEY_DH_INIT);
  size_t t = payload_off(psk, 0), v = payload_off(psk, 2);

  ck_assert_int_eq(decode_patched(psk, t + 1, 4), IMSMS_ERR_MIKEY_TS_TYPE);
  ck_assert_int_eq(decode_patched(psk, v + 1, 3), IMSMS_ERR_MIKEY_MAC_ALG);
  /* A shorter MAC code makes the message longer than the payloads. */
  ck_assert_int_eq(decode_patched(psk, v + 1, 0), IMSMS_ERR_MIKEY_TRAILING);
  ck_assert_int_eq(decode_patched(pk, payload_off(pk, 6) + 1, 3),
                   IMSMS_ERR_MIKEY_HASH);
  ck_assert_int_eq(decode_patched(dh, payload_off(dh, 5) + 1, 3),
                   IMSMS_ERR_MIKEY_DH_GROUP);
  /* DH KV type 3 is unknown, so its KV data length is too. */
  ck_assert_int_eq(decode_patched(dh, payload_off(dh, 5) + 2 + 96, 0x03),
                   IMSMS_ERR_MIKEY_KEY_DATA);
}
END_TEST

START_TEST(test_next_payload_errors) {
  const imsms_sample *s = sample(IMSMS_MIKEY_PSK_RESP);
  size_t t = payload_off(s, 0);

  ck_assert_int_eq(decode_patched(s, t, 22), IMSMS_ERR_MIKEY_PAYLOAD_TYPE);
  ck_assert_int_eq(decode_patched(s, t, IMSMS_MIKEY_PT_KEY_DATA),
                   IMSMS_ERR_MIKEY_PAYLOAD_TYPE);
  /* A length field that runs past the end. */
  ck_assert_int_eq(decode_patched(s, payload_off(s, 1) + 2, 0xff),
                   IMSMS_ERR_TRUNCATED);
}
END_TEST

START_TEST(test_sign_not_last) {
  const imsms_sample *s = sample(IMSMS_MIKEY_PK_INIT);
  uint8_t buf[IMSMS_SAMPLE_MAX + 16];
  imsms_mikey_msg msg;
  imsms_mikey_payload p[16];
  imsms_ssize n;

  /* Bytes after SIGN, even a well-formed payload, are refused. */
  memcpy(buf, s->buf, s->len);
  memcpy(buf + s->len, "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 10);
  ck_assert_int_eq(imsms_mikey_decode(&msg, buf, s->len + 10),
                   IMSMS_ERR_MIKEY_SIGN_NOT_LAST);
  /* And the encoder will not put SIGN anywhere but last. */
  n = imsms_mikey_decode_all(&msg, p, 16, s->buf, s->len);
  ck_assert_int_gt(n, 2);
  p[n - 2] = p[n - 1];
  ck_assert_int_eq(imsms_mikey_encoded_len(&msg.hdr, p, (size_t)n),
                   IMSMS_ERR_MIKEY_PAYLOAD_TYPE);
}
END_TEST

/* Re-encodes sample |dt| with payload |k| changed by |mutate|. */
static imsms_ssize encode_mutated(uint8_t dt, uint8_t type,
                                  void (*mutate)(imsms_mikey_payload *)) {
  const imsms_sample *s = sample(dt);
  imsms_mikey_payload p[32];
  imsms_mikey_msg msg;
  imsms_ssize n;
  size_t i;

  n = imsms_mikey_decode_all(&msg, p, 32, s->buf, s->len);
  ck_assert_int_gt(n, 0);
  for (i = 0; i < (size_t)n; i++) {
    if (p[i].type == type) {
      mutate(&p[i]);
      break;
    }
  }
  ck_assert_uint_lt(i, (size_t)n);
  return imsms_mikey_encoded_len(&msg.hdr, p, (size_t)n);
}

static void short_mac(imsms_mikey_payload *p) { p->u.kemac.mac_len = 19; }
static void bad_v_alg(imsms_mikey_payload *p) { p->u.v.alg = 7; }
static void bad_ts(imsms_mikey_payload *p) { p->u.t.ts_type = 9; }
static void wide_counter(imsms_mikey_payload *p) {
  p->u.t.ts_type = IMSMS_MIKEY_TS_COUNTER;
  p->u.t.value = 0x100000000ULL;
}
static void long_rand(imsms_mikey_payload *p) { p->u.rand.len = 256; }
static void null_id(imsms_mikey_payload *p) { p->u.id.data = NULL; }
static void key_data_top(imsms_mikey_payload *p) {
  p->type = IMSMS_MIKEY_PT_KEY_DATA;
}
static void tp_low_flags(imsms_mikey_payload *p) { p->u.ticket.flags |= 1; }
static void bad_chash(imsms_mikey_payload *p) { p->u.chash.len = 20; }

START_TEST(test_encoder_rejects_inconsistent_fields) {
  const imsms_sample *s = sample(IMSMS_MIKEY_PSK_INIT);
  imsms_mikey_payload p[16];
  imsms_mikey_msg msg;
  imsms_mikey_hdr h;

  ck_assert_int_eq(encode_mutated(0, IMSMS_MIKEY_PT_KEMAC, short_mac),
                   IMSMS_ERR_MIKEY_LENGTH);
  ck_assert_int_eq(encode_mutated(1, IMSMS_MIKEY_PT_V, bad_v_alg),
                   IMSMS_ERR_MIKEY_LENGTH);
  ck_assert_int_eq(encode_mutated(1, IMSMS_MIKEY_PT_T, bad_ts),
                   IMSMS_ERR_MIKEY_LENGTH);
  /* A 32-bit timestamp type never silently drops the high bits. */
  ck_assert_int_eq(encode_mutated(1, IMSMS_MIKEY_PT_T, wide_counter),
                   IMSMS_ERR_MIKEY_LENGTH);
  ck_assert_int_eq(encode_mutated(0, IMSMS_MIKEY_PT_RAND, long_rand),
                   IMSMS_ERR_MIKEY_LENGTH);
  ck_assert_int_eq(encode_mutated(1, IMSMS_MIKEY_PT_ID, null_id),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(encode_mutated(1, IMSMS_MIKEY_PT_ID, key_data_top),
                   IMSMS_ERR_MIKEY_PAYLOAD_TYPE);
  ck_assert_int_eq(
      encode_mutated(IMSMS_MIKEY_REQUEST_INIT_PSK, IMSMS_MIKEY_PT_TP,
                     tp_low_flags),
      IMSMS_ERR_MIKEY_LENGTH);
  ck_assert_int_eq(encode_mutated(IMSMS_MIKEY_PK_INIT, IMSMS_MIKEY_PT_CHASH,
                                  bad_chash),
                   IMSMS_ERR_MIKEY_LENGTH);
  /* A map that disagrees with #CS. */
  ck_assert_int_gt(imsms_mikey_decode_all(&msg, p, 16, s->buf, s->len), 0);
  h = msg.hdr;
  h.ncs = 1;
  ck_assert_int_eq(imsms_mikey_encoded_len(&h, p, 1), IMSMS_ERR_MIKEY_MAP);
  ck_assert_int_eq(imsms_mikey_encoded_len(NULL, p, 1),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_mikey_encode(NULL, 0, &msg.hdr, p, 1),
                   IMSMS_ERR_INVALID_ARGUMENT);
}
END_TEST

/* Walks |len| bytes of a chain: with the IDR fast path when |fast|. The
 * trace records each payload's type, role, ID and where the walk ends. */
static size_t walk_chain(const uint8_t *buf, size_t len, int fast,
                         uintptr_t *trace, size_t cap) {
  imsms_mikey_iter it;
  imsms_mikey_payload pl;
  size_t n = 0;
  int rv = 0;

  imsms_mikey_chain_init(&it, IMSMS_MIKEY_PT_IDR, buf, len);
  while (rv == 0 && n + 6 <= cap) {
    imsms_mikey_idr idr;

    if (fast && imsms_mikey_iter_next_idr(&it, &idr)) {
      pl.type = IMSMS_MIKEY_PT_IDR;
      pl.u.idr = idr;
    } else if ((rv = imsms_mikey_iter_next(&it, &pl)) != 0) {
      break;
    }
    trace[n++] = pl.type;
    if (pl.type == IMSMS_MIKEY_PT_IDR) {
      trace[n++] = pl.u.idr.role;
      trace[n++] = pl.u.idr.id_type;
      trace[n++] = (uintptr_t)pl.u.idr.data;
      trace[n++] = pl.u.idr.len;
    }
  }
  trace[n++] = (uintptr_t)(int64_t)rv;
  trace[n++] = (uintptr_t)it.pos;
  trace[n++] = it.next_type;
  return n;
}

/*
 * The IDR fast path reads exactly what the generic decoder reads: a
 * chain of IDRs (one empty, one of 300 bytes) with a T among them, cut
 * at every length, walked both ways, gives the same payloads, the same
 * error and the same end.
 */
START_TEST(test_iter_next_idr_same_as_generic) {
  static uint8_t big[300];
  static const uint8_t alice[] = "alice@example.org";
  imsms_mikey_payload p[5];
  uint8_t buf[600];
  uintptr_t ta[64], tb[64];
  imsms_ssize len;
  size_t cut, na, nb, i;

  memset(p, 0, sizeof(p));
  memset(big, 'b', sizeof(big));
  for (i = 0; i < 5; i++) {
    p[i].type = IMSMS_MIKEY_PT_IDR;
    p[i].u.idr.role = (uint8_t)(i == 1 ? IMSMS_MIKEY_IDR_I : IMSMS_MIKEY_IDR_R);
    p[i].u.idr.id_type = IMSMS_MIKEY_ID_URI;
    p[i].u.idr.data = alice;
    p[i].u.idr.len = sizeof(alice) - 1;
  }
  p[2].u.idr.data = NULL;
  p[2].u.idr.len = 0;
  p[3].type = IMSMS_MIKEY_PT_T;
  p[3].u.t.ts_type = IMSMS_MIKEY_TS_NTP_UTC;
  p[3].u.t.value = 42;
  p[4].u.idr.data = big;
  p[4].u.idr.len = sizeof(big);
  len = imsms_mikey_chain_encode(buf, sizeof(buf), p, 5);
  ck_assert_int_gt(len, 0);
  for (cut = 0; cut <= (size_t)len; cut++) {
    na = walk_chain(buf, cut, 1, ta, 64);
    nb = walk_chain(buf, cut, 0, tb, 64);
    ck_assert_uint_eq(na, nb);
    for (i = 0; i < na; i++) {
      ck_assert_msg(ta[i] == tb[i], "cut %zu, item %zu", cut, i);
    }
  }
  /* The whole chain: five payloads, then the end. */
  na = walk_chain(buf, (size_t)len, 1, ta, 64);
  ck_assert_uint_eq(na, 4 * 5 + 1 + 3);
  ck_assert_int_eq((int64_t)ta[na - 3], IMSMS_ERR_EOF);
}
END_TEST

/* RFC 6043 6.10 bit layout: the example header of mikey.md 5.5. */
START_TEST(test_tp_flag_bits) {
  const imsms_sample *s = sample(IMSMS_MIKEY_REQUEST_INIT_PSK);
  static const uint8_t expect[] = {0x00, 0x01, 0x01, 0x01, 0x01, 0xd4, 0x60};
  imsms_mikey_payload p[16];
  imsms_mikey_msg msg;
  imsms_ssize n, i;

  n = imsms_mikey_decode_all(&msg, p, 16, s->buf, s->len);
  for (i = 0; i < n && p[i].type != IMSMS_MIKEY_PT_TP; i++) {
  }
  ck_assert_int_lt(i, n);
  ck_assert_mem_eq(p[i].raw + 1, expect, sizeof(expect));
  ck_assert_uint_eq(p[i].u.ticket.flags,
                    IMSMS_TP_D | IMSMS_TP_E | IMSMS_TP_F | IMSMS_TP_H |
                        IMSMS_TP_J | IMSMS_TP_N | IMSMS_TP_O);
}
END_TEST

/* TP Data, base-ticket Ticket Data and Initiator Data walk as chains. */
START_TEST(test_ticket_chains) {
  const imsms_sample *s = sample(IMSMS_MIKEY_TRANSFER_INIT);
  imsms_mikey_payload p[16], q;
  const imsms_mikey_ticket *tk = NULL;
  imsms_mikey_msg msg;
  imsms_mikey_iter it;
  imsms_ssize n, i;
  int count;

  n = imsms_mikey_decode_all(&msg, p, 16, s->buf, s->len);
  for (i = 0; i < n; i++) {
    if (p[i].type == IMSMS_MIKEY_PT_TICKET) {
      tk = &p[i].u.ticket;
    }
  }
  ck_assert_ptr_nonnull(tk);
  ck_assert(tk->flags & IMSMS_TP_I);
  imsms_mikey_chain_init(&it, tk->tp_data[0], tk->tp_data + 1,
                         tk->tp_data_len - 1);
  for (count = 0; imsms_mikey_iter_next(&it, &q) == 0; count++) {
  }
  ck_assert_int_eq(count, 4);
  ck_assert_uint_eq(q.type, IMSMS_MIKEY_PT_IDR);
  ck_assert_uint_eq(q.u.idr.role, IMSMS_MIKEY_IDR_R);
  imsms_mikey_chain_init(&it, IMSMS_MIKEY_PT_THDR, tk->ticket_data,
                         tk->ticket_data_len);
  ck_assert_int_eq(imsms_mikey_iter_next(&it, &q), 0);
  ck_assert_uint_eq(q.type, IMSMS_MIKEY_PT_THDR);
  ck_assert_uint_eq(q.u.thdr.len, 4);
  for (count = 1; imsms_mikey_iter_next(&it, &q) == 0; count++) {
  }
  ck_assert_int_eq(count, 5);
  ck_assert_ptr_eq(it.pos, tk->ticket_data + tk->ticket_data_len);
  imsms_mikey_chain_init(&it, tk->init_data[0], tk->init_data + 1,
                         tk->init_data_len - 1);
  ck_assert_int_eq(imsms_mikey_iter_next(&it, &q), 0);
  ck_assert_uint_eq(q.type, IMSMS_MIKEY_PT_V);
  ck_assert_int_eq(imsms_mikey_iter_next(&it, &q), 0);
  ck_assert_int_eq(imsms_mikey_iter_next(&it, &q), IMSMS_ERR_EOF);
  /* A wire byte 255 is not THDR: THDR may only be named as first type. */
  {
    static const uint8_t idr_then_ff[] = {0xff, 3, 1, 0, 1, 'k', 0, 0, 0};
    imsms_mikey_chain_init(&it, IMSMS_MIKEY_PT_IDR, idr_then_ff,
                           sizeof(idr_then_ff));
    ck_assert_int_eq(imsms_mikey_iter_next(&it, &q), 0);
    ck_assert_int_eq(imsms_mikey_iter_next(&it, &q),
                     IMSMS_ERR_MIKEY_PAYLOAD_TYPE);
  }
  /* A truncated unchecked chain reports the error and stays put. */
  imsms_mikey_chain_init(&it, IMSMS_MIKEY_PT_THDR, tk->ticket_data, 3);
  ck_assert_int_eq(imsms_mikey_iter_next(&it, &q), IMSMS_ERR_TRUNCATED);
  ck_assert_ptr_eq(it.pos, tk->ticket_data);
}
END_TEST

START_TEST(test_generic_id_map) {
  const imsms_sample *s = sample(IMSMS_MIKEY_TRANSFER_INIT);
  imsms_mikey_map_iter mit;
  imsms_mikey_msg msg;
  imsms_mikey_cs cs;

  ck_assert_int_eq(imsms_mikey_decode(&msg, s->buf, s->len), 0);
  ck_assert_uint_eq(msg.hdr.map_type, IMSMS_MIKEY_MAP_GENERIC_ID);
  imsms_mikey_map_iter_init(&mit, &msg.hdr);
  ck_assert_int_eq(imsms_mikey_map_next(&mit, &cs), 0);
  ck_assert_uint_eq(cs.cs_id, 1);
  ck_assert_uint_eq(cs.s_flag, 1);
  ck_assert_uint_eq(cs.npolicies, 2);
  ck_assert_uint_eq(cs.policies[1], 1);
  ck_assert_uint_eq(cs.ssrc, 0x12345678u);
  ck_assert_uint_eq(cs.seq, 0x1000);
  ck_assert_uint_eq(cs.spi_len, 2);
  ck_assert_int_eq(imsms_mikey_map_next(&mit, &cs), 0);
  ck_assert_uint_eq(cs.cs_id, 2);
  ck_assert_uint_eq(cs.session_data_len, 0);
  ck_assert_int_eq(imsms_mikey_map_next(&mit, &cs), IMSMS_ERR_EOF);
  /* An Empty map carries no entries, whatever #CS says (RFC 4563). */
  {
    const imsms_sample *r = sample(IMSMS_MIKEY_REQUEST_INIT_PSK);
    imsms_mikey_payload pl[16];
    imsms_mikey_msg m2;
    uint8_t buf[IMSMS_SAMPLE_MAX], out[IMSMS_SAMPLE_MAX];
    imsms_ssize n;

    memcpy(buf, r->buf, r->len);
    buf[8] = 3;
    n = imsms_mikey_decode_all(&m2, pl, 16, buf, r->len);
    ck_assert_int_gt(n, 0);
    ck_assert_uint_eq(m2.hdr.ncs, 3);
    imsms_mikey_map_iter_init(&mit, &m2.hdr);
    ck_assert_int_eq(imsms_mikey_map_next(&mit, &cs), IMSMS_ERR_EOF);
    ck_assert_int_eq(imsms_mikey_encode(out, sizeof(out), &m2.hdr, pl,
                                        (size_t)n),
                     (imsms_ssize)r->len);
    ck_assert_mem_eq(out, buf, r->len);
    ck_assert_int_eq(imsms_mikey_map_encode(out, 0, IMSMS_MIKEY_MAP_EMPTY,
                                            NULL, 3),
                     0);
  }
  /* #CS larger than the blocks present: the header is refused. */
  ck_assert_int_eq(decode_patched(s, 8, 3), IMSMS_ERR_TRUNCATED);
}
END_TEST

static Suite *codec_suite(void) {
  Suite *s = suite_create("mikey_codec");
  TCase *tc = tcase_create("codec");
  int n;

  setup();
  n = (int)nsamples;
  tcase_add_loop_test(tc, test_samples_round_trip, 0, n);
  tcase_add_loop_test(tc, test_samples_every_prefix_fails, 0, n);
  tcase_add_loop_test(tc, test_samples_trailing_byte, 0, n);
  tcase_add_loop_test(tc, test_samples_encode_nobuf, 0, n);
  tcase_add_test(tc, test_rfc4567_offer_fields);
  tcase_add_test(tc, test_rfc4567_answer_fields);
  tcase_add_test(tc, test_header_errors);
  tcase_add_test(tc, test_algorithm_codes_that_set_lengths);
  tcase_add_test(tc, test_next_payload_errors);
  tcase_add_test(tc, test_sign_not_last);
  tcase_add_test(tc, test_encoder_rejects_inconsistent_fields);
  tcase_add_test(tc, test_iter_next_idr_same_as_generic);
  tcase_add_test(tc, test_tp_flag_bits);
  tcase_add_test(tc, test_ticket_chains);
  tcase_add_test(tc, test_generic_id_map);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return imsms_test_run(codec_suite(), "mikey_codec"); }
