/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The ticket policy: every RFC 6043 6.10 flag rule, validation, TP Data
 * both ways (inside a real message, with a thousand responders), what an
 * Initiator may accept, and the validity window across the NTP era.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/ticket.h>

#include "test_util.h"

#define OK_FLAGS                                                               \
  (IMSMS_TP_D | IMSMS_TP_E | IMSMS_TP_F | IMSMS_TP_H | IMSMS_TP_J |          \
   IMSMS_TP_N | IMSMS_TP_O)

static const imsms_id bob = {IMSMS_MIKEY_ID_URI,
                             (const uint8_t *)"sip:bob@example.net", 19};
static const imsms_id carol = {IMSMS_MIKEY_ID_URI,
                               (const uint8_t *)"sip:carol@example.net", 21};
static const imsms_id eve = {IMSMS_MIKEY_ID_URI,
                             (const uint8_t *)"sip:eve@example.net", 19};
static const imsms_id app = {IMSMS_MIKEY_ID_BYTES, (const uint8_t *)"voip", 4};

static imsms_tp base_tp(void) {
  imsms_tp tp;

  memset(&tp, 0, sizeof(tp));
  tp.version = IMSMS_TP_V1;
  tp.ticket_type = IMSMS_MIKEY_TICKET_MIKEY_BASE;
  tp.subtype = 1;
  tp.ticket_version = 1;
  tp.flags = OK_FLAGS;
  tp.responders = &bob;
  tp.nresponders = 1;
  return tp;
}

START_TEST(test_flag_rules) {
  static const struct {
    uint16_t flags;
    int tgk;
    int ok;
    const char *rule;
  } cases[] = {
      {OK_FLAGS, 1, 1, "the example of mikey.md 5.5"},
      {IMSMS_TP_H, 0, 0, "not D needs L"},
      {IMSMS_TP_H | IMSMS_TP_L, 0, 1, "Initiator-made ticket with L"},
      {IMSMS_TP_D | IMSMS_TP_G | IMSMS_TP_H, 0, 0, "G needs F"},
      {IMSMS_TP_D | IMSMS_TP_G | IMSMS_TP_F, 0, 1, "G without H is fine"},
      {IMSMS_TP_D | IMSMS_TP_F, 0, 0, "one of G and H"},
      {IMSMS_TP_D | IMSMS_TP_H | IMSMS_TP_I | IMSMS_TP_F, 0, 0, "I needs E"},
      {IMSMS_TP_H | IMSMS_TP_K | IMSMS_TP_L, 0, 0, "K needs D"},
      {IMSMS_TP_D | IMSMS_TP_H | IMSMS_TP_M, 0, 0, "M needs F"},
      {IMSMS_TP_D | IMSMS_TP_E | IMSMS_TP_H | IMSMS_TP_I, 1, 0,
       "forking with a TGK needs F"},
      {IMSMS_TP_D | IMSMS_TP_E | IMSMS_TP_H | IMSMS_TP_I, 0, 1,
       "forking without a TGK"},
      {OK_FLAGS | 0x0001, 0, 0, "reserved bits"},
  };
  size_t i;

  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    ck_assert_msg((imsms_tp_check_flags(cases[i].flags, cases[i].tgk) == 0) ==
                      cases[i].ok,
                  "%s", cases[i].rule);
  }
}
END_TEST

START_TEST(test_validate) {
  imsms_tp tp = base_tp();
  imsms_tp_key k = {IMSMS_MIKEY_KEY_TGK, 16, 0, IMSMS_MIKEY_KV_SPI, 4};

  ck_assert_int_eq(imsms_tp_validate(&tp), 0);
  tp.version = 2;
  ck_assert_int_eq(imsms_tp_validate(&tp), IMSMS_ERR_VERSION);
  tp = base_tp();
  tp.nresponders = 0;
  ck_assert_int_eq(imsms_tp_validate(&tp), IMSMS_ERR_MIKEY_TP);
  tp = base_tp();
  tp.has_start = tp.has_end = 1;
  tp.start = (imsms_tstamp)0xeb000000u << 32;
  tp.end = tp.start - 1;
  ck_assert_int_eq(imsms_tp_validate(&tp), IMSMS_ERR_MIKEY_TP);
  /* Across the era boundary: start in era 0, end in era 1 is fine. */
  tp.start = (imsms_tstamp)0xfffffff0u << 32;
  tp.end = (imsms_tstamp)0x00000010u << 32;
  ck_assert_int_eq(imsms_tp_validate(&tp), 0);
  tp = base_tp();
  tp.keys = &k;
  tp.nkeys = 1;
  ck_assert_int_eq(imsms_tp_validate(&tp), 0);
  k.key_len = 8;
  ck_assert_int_eq(imsms_tp_validate(&tp), IMSMS_ERR_MIKEY_TP);
  k.key_len = 16;
  k.type = IMSMS_MIKEY_KEY_MPK;
  ck_assert_int_eq(imsms_tp_validate(&tp), IMSMS_ERR_MIKEY_TP);
  k.type = IMSMS_MIKEY_KEY_TGK;
  k.kv = IMSMS_MIKEY_KV_INTERVAL;
  ck_assert_int_eq(imsms_tp_validate(&tp), IMSMS_ERR_MIKEY_TP);
  tp = base_tp();
  tp.prf_func = 2;
  ck_assert_int_eq(imsms_tp_validate(&tp), IMSMS_ERR_MIKEY_TP);
  tp = base_tp();
  tp.flags = IMSMS_TP_H; /* not D, not L */
  ck_assert_int_eq(imsms_tp_validate(&tp), IMSMS_ERR_MIKEY_TP);
  ck_assert_int_eq(imsms_tp_validate(NULL), IMSMS_ERR_INVALID_ARGUMENT);
}
END_TEST

static void expect_same_id(const imsms_id *a, const imsms_id *b) {
  ck_assert_uint_eq(a->type, b->type);
  ck_assert_uint_eq(a->len, b->len);
  ck_assert_mem_eq(a->data, b->data, a->len);
}

/* A full policy inside a REQUEST_INIT-shaped message and back. */
START_TEST(test_round_trip_in_message) {
  static const imsms_tp_key keys[2] = {
      {IMSMS_MIKEY_KEY_TGK, 32, 0, IMSMS_MIKEY_KV_SPI, 4},
      {IMSMS_MIKEY_KEY_GTGK_SALT, 16, 14, IMSMS_MIKEY_KV_SPI, 2}};
  imsms_id resp[3] = {bob, carol, eve};
  imsms_tp tp = base_tp(), back;
  imsms_mikey_payload pl[4], out[4];
  imsms_tp_key kb[4];
  imsms_id ib[8];
  imsms_mikey_hdr hdr;
  imsms_mikey_msg msg;
  uint8_t data[2048], buf[4096];
  imsms_ssize n, len;

  tp.prf_func = IMSMS_MIKEY_PRF_HMAC_SHA256;
  tp.kms = (imsms_id){IMSMS_MIKEY_ID_URI, (const uint8_t *)"kms.x", 5};
  tp.initiator = (imsms_id){IMSMS_MIKEY_ID_NAI, (const uint8_t *)"alice@x", 7};
  tp.has_start = tp.has_end = tp.has_rekey = 1;
  tp.start = 0xeb8a2c8000000000ULL;
  tp.end = 0xeb8a3a9000000000ULL;
  tp.rekey_sec = 3600;
  tp.keys = keys;
  tp.nkeys = 2;
  tp.apps = &app;
  tp.napps = 1;
  tp.responders = resp;
  tp.nresponders = 3;
  n = imsms_tp_data_encode(&tp, 1, NULL, 0);
  ck_assert_int_gt(n, 0);
  /* Every short buffer: refused, nothing past it written, and nothing of
   * the policy left in it (the one-pass writer zeroes what it wrote). */
  for (len = 0; len < n; len++) {
    size_t i;

    memset(data, 0xee, sizeof(data));
    ck_assert_int_eq(imsms_tp_data_encode(&tp, 1, data, (size_t)len),
                     IMSMS_ERR_NOBUF);
    for (i = 0; i < (size_t)n + 8; i++) {
      ck_assert(data[i] == 0xee || (i < (size_t)len && data[i] == 0));
    }
  }
  ck_assert_int_eq(imsms_tp_data_encode(&tp, 1, data, sizeof(data)), n);
  ck_assert_uint_eq(data[0], IMSMS_MIKEY_PT_IDR);
  memset(&hdr, 0, sizeof(hdr));
  hdr.version = 1;
  hdr.data_type = IMSMS_MIKEY_REQUEST_INIT_PSK;
  hdr.map_type = IMSMS_MIKEY_MAP_EMPTY;
  memset(pl, 0, sizeof(pl));
  pl[0].type = IMSMS_MIKEY_PT_T;
  pl[0].u.t.value = 1;
  ck_assert_int_eq(imsms_tp_payload(&pl[1], IMSMS_MIKEY_PT_TP, &tp, data,
                                    (size_t)n),
                   0);
  len = imsms_mikey_encode(buf, sizeof(buf), &hdr, pl, 2);
  ck_assert_int_gt(len, 0);
  ck_assert_int_eq(imsms_mikey_decode_all(&msg, out, 4, buf, (size_t)len), 2);
  ck_assert_int_eq(imsms_tp_decode(&back, &out[1].u.ticket, kb, 4, ib, 8), 0);
  ck_assert_uint_eq(back.flags, tp.flags);
  ck_assert_uint_eq(back.prf_func, tp.prf_func);
  expect_same_id(&back.kms, &tp.kms);
  expect_same_id(&back.initiator, &tp.initiator);
  ck_assert(back.has_start && back.start == tp.start);
  ck_assert(back.has_end && back.end == tp.end);
  ck_assert(back.has_rekey && back.rekey_sec == 3600);
  ck_assert_uint_eq(back.nkeys, 2);
  ck_assert_uint_eq(back.keys[1].type, IMSMS_MIKEY_KEY_GTGK_SALT);
  ck_assert_uint_eq(back.keys[1].salt_len, 14);
  ck_assert_uint_eq(back.keys[0].spi_len, 4);
  ck_assert_uint_eq(back.napps, 1);
  expect_same_id(&back.apps[0], &app);
  ck_assert_uint_eq(back.nresponders, 3);
  expect_same_id(&back.responders[2], &eve);
  /* Too small arrays. */
  ck_assert_int_eq(imsms_tp_decode(&back, &out[1].u.ticket, kb, 1, ib, 8),
                   IMSMS_ERR_MIKEY_TOO_MANY);
  ck_assert_int_eq(imsms_tp_decode(&back, &out[1].u.ticket, kb, 4, ib, 3),
                   IMSMS_ERR_MIKEY_TOO_MANY);
  /* A granted policy carries no template. */
  ck_assert_int_lt(imsms_tp_data_encode(&tp, 0, NULL, 0), n);
}
END_TEST

START_TEST(test_thousand_responders) {
  static imsms_id many[1000], got[1000];
  static char names[1000][32];
  static uint8_t data[40000];
  imsms_mikey_ticket t;
  imsms_tp tp = base_tp(), back;
  imsms_ssize n;
  size_t i;

  for (i = 0; i < 1000; i++) {
    many[i].type = IMSMS_MIKEY_ID_URI;
    many[i].len = (size_t)snprintf(names[i], sizeof(names[i]),
                                   "sip:user%zu@example.net", i);
    many[i].data = (const uint8_t *)names[i];
  }
  tp.responders = many;
  tp.nresponders = 1000;
  n = imsms_tp_data_encode(&tp, 0, data, sizeof(data));
  ck_assert_int_gt(n, 20000);
  memset(&t, 0, sizeof(t));
  t.ticket_type = 1;
  t.flags = tp.flags;
  t.tp_data = data;
  t.tp_data_len = (size_t)n;
  ck_assert_int_eq(imsms_tp_decode(&back, &t, NULL, 0, got, 1000), 0);
  ck_assert_uint_eq(back.nresponders, 1000);
  expect_same_id(&back.responders[999], &many[999]);
}
END_TEST

/* TP Data hand-made with the codec, for the decode refusals. */
static size_t chain_of(uint8_t *out, size_t cap, const imsms_mikey_payload *p,
                       size_t n) {
  imsms_ssize len;

  out[0] = p[0].type;
  len = imsms_mikey_chain_encode(out + 1, cap - 1, p, n);
  ck_assert_int_gt(len, 0);
  return (size_t)len + 1;
}

static void idr_pl(imsms_mikey_payload *p, uint8_t role, const imsms_id *id) {
  memset(p, 0, sizeof(*p));
  p->type = IMSMS_MIKEY_PT_IDR;
  p->u.idr.role = role;
  p->u.idr.id_type = id->type;
  p->u.idr.data = id->data;
  p->u.idr.len = id->len;
}

static void tr_pl(imsms_mikey_payload *p, uint8_t role, uint8_t type,
                  uint64_t v) {
  memset(p, 0, sizeof(*p));
  p->type = IMSMS_MIKEY_PT_TR;
  p->u.tr.role = role;
  p->u.tr.ts_type = type;
  p->u.tr.value = v;
}

static int decode_chain(const imsms_mikey_payload *p, size_t n,
                        imsms_tp *back) {
  static imsms_id ids[8];
  imsms_mikey_ticket t;
  uint8_t data[1024];

  memset(&t, 0, sizeof(t));
  t.ticket_type = 1;
  t.flags = OK_FLAGS;
  t.tp_data = data;
  t.tp_data_len = chain_of(data, sizeof(data), p, n);
  return imsms_tp_decode(back, &t, NULL, 0, ids, 8);
}

/* Over 65535 bytes of TP Data: too large, whatever the buffer. */
START_TEST(test_too_large) {
  static uint8_t name[250], out[80000];
  static imsms_id resp[300];
  imsms_tp tp = base_tp();
  size_t i;

  memset(name, 'r', sizeof(name));
  for (i = 0; i < 300; i++) {
    resp[i] = (imsms_id){IMSMS_MIKEY_ID_NAI, name, sizeof(name)};
  }
  tp.responders = resp;
  tp.nresponders = 300;
  ck_assert_int_eq(imsms_tp_data_encode(&tp, 0, NULL, 0),
                   IMSMS_ERR_TOO_LARGE);
  ck_assert_int_eq(imsms_tp_data_encode(&tp, 0, out, 100),
                   IMSMS_ERR_TOO_LARGE);
  memset(out, 0xee, sizeof(out));
  ck_assert_int_eq(imsms_tp_data_encode(&tp, 0, out, sizeof(out)),
                   IMSMS_ERR_TOO_LARGE);
  for (i = 0; i < sizeof(out); i++) {
    ck_assert(out[i] == 0xee || out[i] == 0);
  }
}
END_TEST

START_TEST(test_decode_rules) {
  static const uint8_t rnd[16] = {1};
  imsms_mikey_payload p[4];
  imsms_tp back;

  /* Unknown payloads and private TR roles are ignored. */
  memset(&p[0], 0, sizeof(p[0]));
  p[0].type = IMSMS_MIKEY_PT_RAND;
  p[0].u.rand.rand = rnd;
  p[0].u.rand.len = sizeof(rnd);
  tr_pl(&p[1], 241, IMSMS_MIKEY_TS_COUNTER, 5);
  idr_pl(&p[2], IMSMS_MIKEY_IDR_R, &bob);
  ck_assert_int_eq(decode_chain(p, 3, &back), 0);
  ck_assert_uint_eq(back.nresponders, 1);
  /* NTP-UTC-32 validity is widened to 32.32. */
  tr_pl(&p[0], IMSMS_MIKEY_TR_END, IMSMS_MIKEY_TS_NTP_UTC_32, 0xeb8a3a90u);
  ck_assert_int_eq(decode_chain(p, 1 + 2, &back), 0);
  ck_assert(back.has_end && back.end == (uint64_t)0xeb8a3a90u << 32);
  /* A repeated TR role, a TRr of the wrong type, COUNTER validity. */
  tr_pl(&p[0], IMSMS_MIKEY_TR_END, IMSMS_MIKEY_TS_NTP_UTC, 1);
  tr_pl(&p[1], IMSMS_MIKEY_TR_END, IMSMS_MIKEY_TS_NTP_UTC, 2);
  ck_assert_int_eq(decode_chain(p, 3, &back), IMSMS_ERR_MIKEY_TP);
  tr_pl(&p[1], IMSMS_MIKEY_TR_REKEY, IMSMS_MIKEY_TS_NTP_UTC, 2);
  ck_assert_int_eq(decode_chain(p, 3, &back), IMSMS_ERR_MIKEY_TP);
  tr_pl(&p[0], IMSMS_MIKEY_TR_START, IMSMS_MIKEY_TS_COUNTER, 1);
  tr_pl(&p[1], IMSMS_MIKEY_TR_END, IMSMS_MIKEY_TS_NTP_UTC, 2);
  ck_assert_int_eq(decode_chain(p, 3, &back), IMSMS_ERR_MIKEY_TP);
  /* Two IDRkms; an IDRapp after an IDRr; no responder at all. */
  idr_pl(&p[0], IMSMS_MIKEY_IDR_KMS, &app);
  idr_pl(&p[1], IMSMS_MIKEY_IDR_KMS, &app);
  ck_assert_int_eq(decode_chain(p, 3, &back), IMSMS_ERR_MIKEY_TP);
  idr_pl(&p[0], IMSMS_MIKEY_IDR_R, &bob);
  idr_pl(&p[1], IMSMS_MIKEY_IDR_APP, &app);
  ck_assert_int_eq(decode_chain(p, 2, &back), IMSMS_ERR_MIKEY_TP);
  idr_pl(&p[0], IMSMS_MIKEY_IDR_KMS, &app);
  ck_assert_int_eq(decode_chain(p, 1, &back), IMSMS_ERR_MIKEY_TP);
  /*
   * An IDRkms or IDRi with empty ID data (found by fuzz_ticket: read as
   * absent, it vanished when the policy was encoded again), whatever its
   * ID type; with data it is read.
   */
  {
    static const uint8_t none[1];
    const imsms_id empty = {249, none, 0}, uri = {IMSMS_MIKEY_ID_URI, none, 0};
    uint8_t roles[2] = {IMSMS_MIKEY_IDR_KMS, IMSMS_MIKEY_IDR_I};
    int i;

    for (i = 0; i < 2; i++) {
      idr_pl(&p[0], roles[i], i ? &empty : &uri);
      idr_pl(&p[1], IMSMS_MIKEY_IDR_R, &bob);
      ck_assert_int_eq(decode_chain(p, 2, &back), IMSMS_ERR_MIKEY_TP);
      idr_pl(&p[0], roles[i], &app);
      ck_assert_int_eq(decode_chain(p, 2, &back), 0);
      ck_assert_uint_eq(i ? back.initiator.len : back.kms.len, app.len);
    }
  }
}
END_TEST

START_TEST(test_grant_acceptable) {
  imsms_id two[2] = {bob, carol}, other[2] = {bob, eve};
  imsms_tp rq = base_tp(), gr;
  const char *why = NULL;

  rq.responders = two;
  rq.nresponders = 2;
  rq.has_start = rq.has_end = 1;
  rq.start = (imsms_tstamp)100 << 32;
  rq.end = (imsms_tstamp)200 << 32;
  gr = rq;
  ck_assert_int_eq(imsms_tp_grant_acceptable(&rq, &gr, &why), 0);
  ck_assert_ptr_null(why);
  /* A narrower grant is fine: one responder, shorter window, no J. */
  gr.nresponders = 1;
  gr.start = (imsms_tstamp)150 << 32;
  gr.flags &= (uint16_t)~IMSMS_TP_J;
  ck_assert_int_eq(imsms_tp_grant_acceptable(&rq, &gr, &why), 0);
  gr = rq;
  gr.responders = other;
  ck_assert_int_eq(imsms_tp_grant_acceptable(&rq, &gr, &why),
                   IMSMS_ERR_MIKEY_TP);
  ck_assert_str_eq(why, "a responder that was not asked for");
  gr = rq;
  gr.end = (imsms_tstamp)300 << 32;
  ck_assert_int_eq(imsms_tp_grant_acceptable(&rq, &gr, &why),
                   IMSMS_ERR_MIKEY_TP);
  gr = rq;
  gr.has_end = 0;
  ck_assert_int_eq(imsms_tp_grant_acceptable(&rq, &gr, &why),
                   IMSMS_ERR_MIKEY_TP);
  gr = rq;
  gr.flags ^= IMSMS_TP_F;
  ck_assert_int_eq(imsms_tp_grant_acceptable(&rq, &gr, &why),
                   IMSMS_ERR_MIKEY_TP);
  ck_assert_str_eq(why, "flags");
  gr = rq;
  gr.flags |= IMSMS_TP_M; /* more power than asked */
  ck_assert_int_eq(imsms_tp_grant_acceptable(&rq, &gr, NULL),
                   IMSMS_ERR_MIKEY_TP);
  gr = rq;
  gr.prf_func = 1;
  ck_assert_int_eq(imsms_tp_grant_acceptable(&rq, &gr, NULL),
                   IMSMS_ERR_MIKEY_TP);
  rq.apps = &app;
  rq.napps = 1;
  gr = rq;
  gr.napps = 0; /* "every application" is more than asked */
  ck_assert_int_eq(imsms_tp_grant_acceptable(&rq, &gr, &why),
                   IMSMS_ERR_MIKEY_TP);
}
END_TEST

START_TEST(test_time_window) {
  imsms_tp tp = base_tp();
  const imsms_tstamp t0 = (imsms_tstamp)0xeb8a2c80u << 32;

  ck_assert_int_eq(imsms_tp_check_time(&tp, t0), 0);
  tp.has_start = tp.has_end = 1;
  tp.start = t0;
  tp.end = t0 + ((imsms_tstamp)3600 << 32);
  ck_assert_int_eq(imsms_tp_check_time(&tp, t0), 0);
  ck_assert_int_eq(imsms_tp_check_time(&tp, t0 - 1),
                   IMSMS_ERR_TICKET_NOT_YET_VALID);
  ck_assert_int_eq(imsms_tp_check_time(&tp, tp.end), 0);
  ck_assert_int_eq(imsms_tp_check_time(&tp, tp.end + 1),
                   IMSMS_ERR_TICKET_EXPIRED);
  /* A window across 2036-02-07: valid just after the wrap. */
  tp.start = (imsms_tstamp)0xfffff000u << 32;
  tp.end = (imsms_tstamp)0x00001000u << 32;
  ck_assert_int_eq(imsms_tp_check_time(&tp, (imsms_tstamp)0x10 << 32), 0);
  ck_assert_int_eq(imsms_tp_check_time(&tp, (imsms_tstamp)0x2000 << 32),
                   IMSMS_ERR_TICKET_EXPIRED);
  ck_assert_int_eq(imsms_tp_check_time(NULL, t0), IMSMS_ERR_INVALID_ARGUMENT);
}
END_TEST

static Suite *tp_suite(void) {
  Suite *s = suite_create("tp");
  TCase *tc = tcase_create("policy");

  tcase_add_test(tc, test_flag_rules);
  tcase_add_test(tc, test_validate);
  tcase_add_test(tc, test_round_trip_in_message);
  tcase_add_test(tc, test_thousand_responders);
  tcase_add_test(tc, test_too_large);
  tcase_add_test(tc, test_decode_rules);
  tcase_add_test(tc, test_grant_acceptable);
  tcase_add_test(tc, test_time_window);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return imsms_test_run(tp_suite(), "tp"); }
