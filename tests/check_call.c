/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The call engine (call.h) end to end through a real KMS engine: whole
 * calls for both algorithm sets with SRTP both ways through libsrtp2 and
 * the MSRP TLS-PSK, forking to two devices of one user, keys at once
 * without TRANSFER_RESP, every bad path the issue lists (tampered and
 * replayed messages, wrong MACs and CSB IDs, an unauthorised responder,
 * an expired ticket, refused SPs, answers for another call), time-outs,
 * configuration checks, and an allocation-failure sweep over a whole
 * call.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/call.h>
#include <imsmediasec/kms.h>
#include <imsmediasec/kms_policy.h>
#include <imsmediasec/srtp2.h>
#include <imsmediasec/ticket.h>

#include "call_net.h"
#include "ue/call_int.h" /* white-box: rogue peers */
#include "det_provider.h"
#include "failmalloc.h"
#include "test_util.h"

#define FLAGS (IMSMS_TP_D | IMSMS_TP_E | IMSMS_TP_F | IMSMS_TP_H)
#define FORK (FLAGS | IMSMS_TP_I)
#define SSRC_A 0x11111111u
#define SSRC_B 0x22222222u
#define PKT 1500

static imsms_ctx *kctx, *rctx, *actx, *bctx, *b2ctx;
static net_kms K;
static net_ue A, B, B2;
static uint8_t buf[NET_MSG];

/* ---- Algorithm sets ------------------------------------------------------ */

typedef struct alg_set {
  uint8_t prf;
  int out_suite[1];   /* cs 1: Alice to Bob */
  int back_suites[2]; /* cs 2: Bob to Alice, two offered */
  int bob_suites[3];
} alg_set;

static const alg_set algs[] = {
    {IMSMS_MIKEY_PRF_MIKEY_1,
     {IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80},
     {IMSMS_SRTP_AES_256_CM_HMAC_SHA1_80, IMSMS_SRTP_AEAD_AES_128_GCM},
     {IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80, IMSMS_SRTP_AEAD_AES_128_GCM,
      IMSMS_SRTP_AEAD_AES_256_GCM}},
    {IMSMS_MIKEY_PRF_HMAC_SHA256,
     {IMSMS_SRTP_AES_256_CM_HMAC_SHA1_80},
     {IMSMS_SRTP_AEAD_AES_256_GCM, IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80},
     {IMSMS_SRTP_AES_256_CM_HMAC_SHA1_80, IMSMS_SRTP_AEAD_AES_256_GCM,
      IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80}},
};

static imsms_call_session sessions[3];
static int cur_alg; /* the algorithm set of helpers called from a loop test */

static void alice_sessions(const alg_set *a) {
  memset(sessions, 0, sizeof(sessions));
  sessions[0].cs_id = 1;
  sessions[0].prot_type = IMSMS_MIKEY_PROT_SRTP;
  sessions[0].has_ssrc = 1;
  sessions[0].ssrc = SSRC_A;
  sessions[0].suites = a->out_suite;
  sessions[0].nsuites = 1;
  sessions[1].cs_id = 2;
  sessions[1].prot_type = IMSMS_MIKEY_PROT_SRTP;
  sessions[1].suites = a->back_suites;
  sessions[1].nsuites = 2;
  sessions[2].cs_id = 7;
  sessions[2].prot_type = IMSMS_MIKEY_PROT_TLS;
}

/* ---- Fixture ------------------------------------------------------------- */

static void setup(void) {
  net_ids();
  kctx = imsms_test_ctx();
  rctx = imsms_test_ctx();
  actx = imsms_test_ctx();
  bctx = imsms_test_ctx();
  b2ctx = imsms_test_ctx();
  net_kms_init(&K, kctx, rctx);
  memset(&A, 0, sizeof(A));
  memset(&B, 0, sizeof(B));
  memset(&B2, 0, sizeof(B2));
}

static void teardown(void) {
  net_ue_free(&A);
  net_ue_free(&B);
  net_ue_free(&B2);
  net_kms_free(&K);
  imsms_ctx_del(kctx);
  imsms_ctx_del(rctx);
  imsms_ctx_del(actx);
  imsms_ctx_del(bctx);
  imsms_ctx_del(b2ctx);
}

/* Alice calls |resp| with |tp| over |ctx|. */
static void new_alice(imsms_ctx *ctx, net_ue *u, const alg_set *a, imsms_tp *tp,
                      size_t nsessions) {
  imsms_call_config cfg =
      net_config(&NET_ALICE, NET_PSK_ALICE, sizeof(NET_PSK_ALICE));
  imsms_call_callbacks cb;

  net_callbacks(&cb);
  alice_sessions(a);
  cfg.tp = tp;
  cfg.sessions = sessions;
  cfg.nsessions = nsessions;
  ck_assert_int_eq(imsms_call_new_initiator(&u->call, ctx, &cfg, &cb, u), 0);
}

/* |id| answers on |ctx| accepting |suites| (and TLS), |max_age_sec|. */
static void new_player(imsms_ctx *ctx, net_ue *u, const imsms_id *id,
                       const int *suites, size_t nsuites, uint32_t skew_sec,
                       uint32_t max_age_sec) {
  size_t psklen;
  const uint8_t *psk = net_psk(id, &psklen);
  imsms_call_config cfg = net_config(id, psk, psklen);
  imsms_call_session fill;
  imsms_call_callbacks cb;

  net_callbacks(&cb);
  /* An IDRpsk (a B-TID) goes along; the test KMS finds keys by IDRr. */
  cfg.idrpsk.type = IMSMS_MIKEY_ID_NAI;
  cfg.idrpsk.data = (const uint8_t *)"btid-1@bsf.example.net";
  cfg.idrpsk.len = 22;
  memset(&fill, 0, sizeof(fill));
  fill.cs_id = 2;
  fill.ssrc = SSRC_B;
  cfg.suites = suites;
  cfg.nsuites = nsuites;
  cfg.accept_tls = 1;
  cfg.sessions = &fill;
  cfg.nsessions = 1;
  cfg.skew_sec = skew_sec;
  cfg.max_age_sec = max_age_sec;
  ck_assert_int_eq(imsms_call_new_responder(&u->call, ctx, &cfg, &cb, u), 0);
}

/* |id| answers on |ctx| accepting |suites| (and TLS). */
static void new_responder(imsms_ctx *ctx, net_ue *u, const imsms_id *id,
                          const int *suites, size_t nsuites,
                          uint32_t skew_sec) {
  new_player(ctx, u, id, suites, nsuites, skew_sec, 0);
}

/* Alice through REQUEST_RESP: TRANSFER_INIT queued for the peer. */
static void alice_offers(net_ue *a) {
  ck_assert_int_eq(imsms_call_start(a->call, NET_NOW), 0);
  ck_assert_int_eq(imsms_call_get_state(a->call), IMSMS_CALL_WAIT_REQUEST_RESP);
  ck_assert_int_eq(net_kms_round(&K, a, NET_NOW), 0);
  ck_assert_uint_eq(a->to_peer.n, 1);
}

/* A responder through RESOLVE_RESP. */
static void responder_resolves(net_ue *a, net_ue *r) {
  size_t n = a->to_peer.n;

  /* Deliver a copy: the same offer may go to several devices. */
  ck_assert_uint_gt(n, 0);
  ck_assert_int_eq(imsms_call_recv(r->call, a->to_peer.msg[n - 1],
                                   a->to_peer.len[n - 1], NET_NOW),
                   0);
  ck_assert_int_eq(imsms_call_get_state(r->call), IMSMS_CALL_WAIT_RESOLVE_RESP);
  ck_assert_int_eq(net_kms_round(&K, r, NET_NOW + NET_SEC), 0);
  ck_assert_int_eq(imsms_call_get_state(r->call), IMSMS_CALL_DONE);
}

/* ---- Checks on the keys ------------------------------------------------ */

static void assert_same_master(const imsms_call *x, const imsms_call *y,
                               uint8_t cs_id, int equal) {
  imsms_cs_master mx, my;

  ck_assert_int_eq(imsms_call_cs_master(x, cs_id, &mx), 0);
  ck_assert_int_eq(imsms_call_cs_master(y, cs_id, &my), 0);
  ck_assert_uint_eq(mx.key_len, my.key_len);
  ck_assert_uint_eq(mx.salt_len, my.salt_len);
  ck_assert_uint_eq(mx.mki_len, my.mki_len);
  ck_assert_mem_eq(mx.mki, my.mki, mx.mki_len);
  if (equal) {
    ck_assert_mem_eq(mx.key, my.key, mx.key_len);
    ck_assert_mem_eq(mx.salt, my.salt, mx.salt_len);
  } else {
    ck_assert_int_ne(memcmp(mx.key, my.key, mx.key_len), 0);
  }
  imsms_secure_clear(&mx, sizeof(mx));
  imsms_secure_clear(&my, sizeof(my));
}

static void assert_same_msrp(const imsms_call *x, const imsms_call *y) {
  imsms_msrp_psk px, py;

  ck_assert_int_eq(imsms_call_msrp_psk(x, 7, &px), 0);
  ck_assert_int_eq(imsms_call_msrp_psk(y, 7, &py), 0);
  ck_assert_mem_eq(px.psk, py.psk, sizeof(px.psk));
  ck_assert_str_eq(px.identity, py.identity);
  ck_assert_uint_gt(px.identity_len, 0);
  imsms_secure_clear(&px, sizeof(px));
  imsms_secure_clear(&py, sizeof(py));
}

static imsms_call_session_info session(const imsms_call *c, size_t i) {
  imsms_call_session_info info;

  ck_assert_int_eq(imsms_call_session_get(c, i, &info), 0);
  return info;
}

/* ---- SRTP through libsrtp2 --------------------------------------------- */

static void put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

static srtp_t srtp_session(const imsms_call *c, uint8_t cs_id, int suite,
                           srtp_ssrc_type_t type) {
  imsms_srtp2_keys store;
  imsms_cs_master m;
  srtp_policy_t pol;
  srtp_t s = NULL;

  ck_assert_int_eq(imsms_call_cs_master(c, cs_id, &m), 0);
  ck_assert_uint_gt(m.mki_len, 0);
  ck_assert_int_eq(imsms_srtp2_policy(&pol, &store, suite, &m, 0, type, 0, 0),
                   0);
  ck_assert_int_eq(srtp_create(&s, &pol), srtp_err_status_ok);
  imsms_secure_clear(&store, sizeof(store));
  imsms_secure_clear(&pol, sizeof(pol));
  imsms_secure_clear(&m, sizeof(m));
  return s;
}

/*
 * Media of session |cs_id| from |tx| to |rx|: RTP and RTCP with the MKI.
 * Every packet decrypts to the original when |ok|, none when not.
 */
static void media(const imsms_call *tx, const imsms_call *rx, uint8_t cs_id,
                  int ok) {
  imsms_call_session_info info = session(tx, cs_id - 1u);
  srtp_t s = srtp_session(tx, cs_id, info.suite, ssrc_any_outbound);
  srtp_t r = srtp_session(rx, cs_id, info.suite, ssrc_any_inbound);
  uint8_t pkt[PKT], plain[PKT];
  uint16_t seq;
  size_t i;
  int len;

  ck_assert_int_eq(info.has_ssrc, 1);
  for (seq = 1; seq <= 20; seq++) {
    memset(plain, 0, sizeof(plain));
    plain[0] = 0x80;
    plain[1] = 0x00;
    plain[2] = (uint8_t)(seq >> 8);
    plain[3] = (uint8_t)seq;
    put32(plain + 4, 160u * seq);
    put32(plain + 8, info.ssrc);
    for (i = 12; i < 172; i++) {
      plain[i] = (uint8_t)(i * seq + cs_id);
    }
    memcpy(pkt, plain, 172);
    len = 172;
    ck_assert_int_eq(srtp_protect_mki(s, pkt, &len, 1, 0), srtp_err_status_ok);
    ck_assert_int_ne(memcmp(pkt + 12, plain + 12, 160), 0);
    if (ok) {
      ck_assert_int_eq(srtp_unprotect_mki(r, pkt, &len, 1), srtp_err_status_ok);
      ck_assert_int_eq(len, 172);
      ck_assert_mem_eq(pkt, plain, 172);
    } else {
      ck_assert_int_ne(srtp_unprotect_mki(r, pkt, &len, 1), srtp_err_status_ok);
    }
  }
  /* One RTCP sender report. */
  memset(plain, 0, sizeof(plain));
  plain[0] = 0x80;
  plain[1] = 0xc8;
  plain[3] = 6;
  put32(plain + 4, info.ssrc);
  memcpy(pkt, plain, 28);
  len = 28;
  ck_assert_int_eq(srtp_protect_rtcp_mki(s, pkt, &len, 1, 0),
                   srtp_err_status_ok);
  if (ok) {
    ck_assert_int_eq(srtp_unprotect_rtcp_mki(r, pkt, &len, 1),
                     srtp_err_status_ok);
    ck_assert_int_eq(len, 28);
    ck_assert_mem_eq(pkt, plain, 28);
  } else {
    ck_assert_int_ne(srtp_unprotect_rtcp_mki(r, pkt, &len, 1),
                     srtp_err_status_ok);
  }
  srtp_dealloc(s);
  srtp_dealloc(r);
}

/* ---- Whole calls ------------------------------------------------------- */

/* Alice calls Bob, both algorithm sets: equal keys, media both ways. */
START_TEST(test_whole_call) {
  const alg_set *a = &algs[_i];
  imsms_tp tp = net_tp(a->prf, FLAGS, &NET_BOB, 1);
  imsms_call_session_info si;
  imsms_srtp_session_keys ka, kb;
  imsms_id peer;

  new_alice(actx, &A, a, &tp, 3);
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  alice_offers(&A);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_WAIT_TRANSFER_RESP);
  /* No keys before the answer. */
  ck_assert_int_eq(imsms_call_cs_master(A.call, 1, &(imsms_cs_master){0}),
                   IMSMS_ERR_MIKEY_UNEXPECTED);
  responder_resolves(&A, &B);
  /* Bob's keys are ready before his TRANSFER_RESP leaves. */
  ck_assert_uint_eq(B.nready, 3);
  ck_assert_uint_eq(B.to_peer.n, 1);
  ck_assert_int_eq(B.npeer, 1);
  ck_assert_str_eq(B.peer, "sip:alice@example.net");
  ck_assert_int_eq(net_deliver(&B, &A, NET_NOW + 2 * NET_SEC), 0);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_DONE);
  ck_assert_uint_eq(A.nready, 3);
  ck_assert_int_eq(A.nerror + B.nerror, 0);

  /* The answer: the first offered suite Bob accepts, his SSRC. */
  si = session(A.call, 1);
  ck_assert_int_eq(si.suite, a->back_suites[a->prf ? 0 : 1]);
  ck_assert_int_eq(si.has_ssrc, 1);
  ck_assert_uint_eq(si.ssrc, SSRC_B);
  ck_assert_int_eq(session(B.call, 1).suite, si.suite);
  ck_assert_uint_eq(session(B.call, 0).ssrc, SSRC_A);
  ck_assert_int_eq(session(A.call, 2).prot_type, IMSMS_MIKEY_PROT_TLS);
  ck_assert_int_eq(imsms_call_session_get(A.call, 3, &si), IMSMS_ERR_EOF);

  assert_same_master(A.call, B.call, 1, 1);
  assert_same_master(A.call, B.call, 2, 1);
  assert_same_msrp(A.call, B.call);
  ck_assert_int_eq(imsms_call_srtp_keys(A.call, 1, NULL, &ka), 0);
  ck_assert_int_eq(imsms_call_srtp_keys(B.call, 1, NULL, &kb), 0);
  ck_assert_mem_eq(&ka, &kb, sizeof(ka));
  imsms_secure_clear(&ka, sizeof(ka));
  imsms_secure_clear(&kb, sizeof(kb));
  /* Sessions are told apart: another CS, another key. */
  ck_assert_int_eq(imsms_call_cs_master(A.call, 7, &(imsms_cs_master){0}),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_call_msrp_psk(A.call, 1, &(imsms_msrp_psk){0}),
                   IMSMS_ERR_INVALID_ARGUMENT);

  media(A.call, B.call, 1, 1);
  media(B.call, A.call, 2, 1);

  /* Without forking the IDRr Alice saw is not vouched for: not reported. */
  ck_assert_int_eq(imsms_call_peer(A.call, &peer), IMSMS_ERR_EOF);
  ck_assert_int_eq(A.npeer, 0);
  ck_assert_int_eq(imsms_call_peer(B.call, &peer), 0);
  ck_assert_uint_eq(peer.len, NET_ALICE.len);
  /* Nothing is waited for any more. */
  ck_assert_int_eq(imsms_call_expired(A.call, NET_NOW + 3600 * NET_SEC), 0);
}
END_TEST

/* RANDRr (G) and forking with the group as responder. */
START_TEST(test_call_g_flag_and_group) {
  const alg_set *a = &algs[1];
  imsms_tp tp = net_tp(a->prf, FORK | IMSMS_TP_G, &NET_TEAM, 1);

  new_alice(actx, &A, a, &tp, 3);
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  alice_offers(&A);
  responder_resolves(&A, &B);
  ck_assert_int_eq(net_deliver(&B, &A, NET_NOW + 2 * NET_SEC), 0);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_DONE);
  /* Alice learns who answered for the group, vouched by the KMS. */
  ck_assert_str_eq(A.peer, "sip:bob@example.net");
  assert_same_master(A.call, B.call, 1, 1);
  assert_same_master(A.call, B.call, 2, 1);
  assert_same_msrp(A.call, B.call);
  media(A.call, B.call, 1, 1);
  media(B.call, A.call, 2, 1);
}
END_TEST

/* Without F there is no TRANSFER_RESP: keys at TRANSFER_INIT. */
START_TEST(test_call_without_response) {
  const alg_set *a = &algs[0];
  imsms_tp tp =
      net_tp(a->prf, IMSMS_TP_D | IMSMS_TP_E | IMSMS_TP_H, &NET_BOB, 1);

  new_alice(actx, &A, a, &tp, 1);
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  alice_offers(&A);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_DONE);
  ck_assert_uint_eq(A.nready, 1);
  responder_resolves(&A, &B);
  ck_assert_uint_eq(B.to_peer.n, 0);
  assert_same_master(A.call, B.call, 1, 1);
  media(A.call, B.call, 1, 1);
}
END_TEST

/*
 * Deferred delivery (TR 33.828 4.1, req. 52): the call goes to a
 * voicemail server that stores TRANSFER_INIT and the SRTP packets as they
 * came, never resolving anything; Bob plays them back later, resolving
 * the ticket then, with no re-encryption anywhere (H=1, G=0, no F).
 */
#define VM_PKTS 20
static uint8_t vm_pkt[VM_PKTS][PKT], vm_plain[VM_PKTS][PKT];
static int vm_len[VM_PKTS];

static void vm_record(const net_ue *a) {
  imsms_call_session_info info = session(a->call, 0);
  srtp_t s = srtp_session(a->call, 1, info.suite, ssrc_any_outbound);
  int i;

  for (i = 0; i < VM_PKTS; i++) {
    memset(vm_plain[i], 0, 172);
    vm_plain[i][0] = 0x80;
    vm_plain[i][3] = (uint8_t)(i + 1);
    put32(vm_plain[i] + 8, info.ssrc);
    memset(vm_plain[i] + 12, 'a' + i, 160);
    memcpy(vm_pkt[i], vm_plain[i], 172);
    vm_len[i] = 172;
    ck_assert_int_eq(srtp_protect_mki(s, vm_pkt[i], &vm_len[i], 1, 0),
                     srtp_err_status_ok);
  }
  srtp_dealloc(s);
}

/* Bob's playback at |t|: the result of resolving; packets checked. */
static int vm_play(const uint8_t *ti, size_t tilen, imsms_tstamp t) {
  const alg_set *a = &algs[cur_alg];
  srtp_t r;
  uint8_t pkt[PKT];
  int i, len, rv;

  net_ue_free(&B);
  new_player(bctx, &B, &NET_BOB, a->bob_suites, 3, 0, 86400);
  rv = imsms_call_recv(B.call, ti, tilen, t);
  if (rv == 0) {
    rv = net_kms_round(&K, &B, t);
  }
  if (rv == 0) {
    ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_DONE);
    ck_assert_uint_eq(B.to_peer.n, 0); /* nobody to answer */
    r = srtp_session(B.call, 1, session(B.call, 0).suite, ssrc_any_inbound);
    for (i = 0; i < VM_PKTS; i++) {
      memcpy(pkt, vm_pkt[i], (size_t)vm_len[i]);
      len = vm_len[i];
      ck_assert_int_eq(srtp_unprotect_mki(r, pkt, &len, 1), srtp_err_status_ok);
      ck_assert_int_eq(len, 172);
      ck_assert_mem_eq(pkt, vm_plain[i], 172);
    }
    srtp_dealloc(r);
  }
  return rv;
}

START_TEST(test_deferred_delivery) {
  const alg_set *a = &algs[cur_alg = _i];
  imsms_tp tp =
      net_tp(a->prf, IMSMS_TP_D | IMSMS_TP_E | IMSMS_TP_H, &NET_BOB, 1);
  imsms_tstamp hour = 3600 * NET_SEC;
  uint8_t ti[NET_MSG];
  size_t tilen;

  tp.has_end = 1;
  tp.end = NET_NOW + hour;
  new_alice(actx, &A, a, &tp, 1);
  alice_offers(&A);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_DONE);
  /* The voicemail server keeps the offer and the media as they came. */
  tilen = net_take(&A.to_peer, ti);
  ck_assert_uint_gt(tilen, 0);
  vm_record(&A);
  /* An ordinary responder half an hour later: a stale offer. */
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  ck_assert_int_eq(imsms_call_recv(B.call, ti, tilen, NET_NOW + hour / 2),
                   IMSMS_ERR_MIKEY_STALE);
  ck_assert_uint_eq(B.to_kms.n, 0);
  /* Played back inside the ticket's validity: every packet decrypts. */
  ck_assert_int_eq(vm_play(ti, tilen, NET_NOW + hour / 2), 0);
  /* After it, without a grace at the KMS: refused at RESOLVE. */
  ck_assert_int_ne(vm_play(ti, tilen, NET_NOW + 2 * hour), 0);
  ck_assert_int_eq(K.last_rv, IMSMS_ERR_TICKET_EXPIRED);
  ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_FAILED);
  /* A KMS whose policy allows a day of playback: decrypts again; a
   * message older than the player's max_age is still stale. */
  K.deferred_grace_sec = 86400;
  net_kms_policy(&K, NULL);
  ck_assert_int_eq(vm_play(ti, tilen, NET_NOW + 2 * hour), 0);
  ck_assert_int_ne(vm_play(ti, tilen, NET_NOW + 25 * hour), 0);
  ck_assert_uint_eq(B.to_kms.n, 0);
  ck_assert_int_eq(B.error, IMSMS_ERR_MIKEY_STALE);
}
END_TEST

/*
 * A three-party group call (req. 20-21): one ticket naming Bob and Carol,
 * no forking and no answer needed (H, no F), so all three hold the same
 * keys; each party sends on its own crypto session (SSRCs set in the
 * offer) and both others decrypt. A non-member is refused by the KMS.
 */
START_TEST(test_group_call) {
  const alg_set *a = &algs[_i];
  const imsms_id members[2] = {NET_BOB, NET_CAROL};
  imsms_tp tp =
      net_tp(a->prf, IMSMS_TP_D | IMSMS_TP_E | IMSMS_TP_H, members, 2);
  static const uint32_t ssrc[3] = {SSRC_A, SSRC_B, 0x33333333u};
  net_ue *all[3] = {&A, &B, &B2};
  imsms_call_session cs[3];
  imsms_call_config cfg =
      net_config(&NET_ALICE, NET_PSK_ALICE, sizeof(NET_PSK_ALICE));
  imsms_call_callbacks cb;
  size_t i, j;

  memset(cs, 0, sizeof(cs));
  for (i = 0; i < 3; i++) {
    cs[i].cs_id = (uint8_t)(i + 1);
    cs[i].prot_type = IMSMS_MIKEY_PROT_SRTP;
    cs[i].has_ssrc = 1;
    cs[i].ssrc = ssrc[i];
    cs[i].suites = a->out_suite;
    cs[i].nsuites = 1;
  }
  net_callbacks(&cb);
  cfg.tp = &tp;
  cfg.sessions = cs;
  cfg.nsessions = 3;
  ck_assert_int_eq(imsms_call_new_initiator(&A.call, actx, &cfg, &cb, &A), 0);
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  new_responder(b2ctx, &B2, &NET_CAROL, a->bob_suites, 3, 0);
  alice_offers(&A);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_DONE);
  responder_resolves(&A, &B);
  responder_resolves(&A, &B2);
  for (i = 0; i < 3; i++) {
    for (j = 0; j < 3; j++) {
      if (i != j) {
        assert_same_master(all[i]->call, all[j]->call, (uint8_t)(i + 1), 1);
        media(all[i]->call, all[j]->call, (uint8_t)(i + 1), 1);
      }
    }
  }
  /* A user of the KMS who is no member (Alice's own identity on
   * another device): the KMS refuses, no keys. */
  net_ue_free(&B);
  new_responder(bctx, &B, &NET_ALICE, a->bob_suites, 3, 0);
  ck_assert_int_eq(imsms_call_recv(B.call, A.to_peer.msg[0],
                                   A.to_peer.len[0], NET_NOW),
                   0);
  ck_assert_int_eq(net_kms_round(&K, &B, NET_NOW), IMSMS_ERR_KMS_DENIED);
  ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_FAILED);
  ck_assert_uint_eq(B.nready, 0);
}
END_TEST

/*
 * Ticket reuse (J): a second call from the first call's ticket, with no
 * Request exchange; new session keys; Bob resolves as usual. Refused
 * without J, once the ticket has expired, and from a call not done.
 */
START_TEST(test_ticket_reuse) {
  const alg_set *a = &algs[_i];
  imsms_tp tp = net_tp(a->prf, FORK | IMSMS_TP_J, &NET_BOB, 1);
  imsms_tp nj = net_tp(a->prf, FLAGS, &NET_BOB, 1);
  static net_ue A2;

  tp.has_end = 1;
  tp.end = NET_NOW + 600 * NET_SEC;
  new_alice(actx, &A, a, &tp, 3);
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  /* Not done yet: nothing to reuse. */
  new_alice(actx, &A2, a, &tp, 3);
  ck_assert_int_eq(imsms_call_start_reuse(A2.call, A.call, NET_NOW),
                   IMSMS_ERR_MIKEY_UNEXPECTED);
  alice_offers(&A);
  responder_resolves(&A, &B);
  ck_assert_int_eq(net_deliver(&B, &A, NET_NOW + 2 * NET_SEC), 0);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_DONE);
  /* The second call: straight to TRANSFER_INIT, no KMS. */
  ck_assert_int_eq(imsms_call_start_reuse(A2.call, A.call, NET_NOW + 60 * NET_SEC),
                   0);
  ck_assert_uint_eq(A2.to_kms.n, 0);
  ck_assert_uint_eq(A2.to_peer.n, 1);
  ck_assert_int_eq(imsms_call_get_state(A2.call), IMSMS_CALL_WAIT_TRANSFER_RESP);
  ck_assert_int_eq(imsms_call_start_reuse(A2.call, A.call, NET_NOW),
                   IMSMS_ERR_MIKEY_UNEXPECTED);
  net_ue_free(&B2);
  new_responder(b2ctx, &B2, &NET_BOB, a->bob_suites, 3, 0);
  ck_assert_int_eq(imsms_call_recv(B2.call, A2.to_peer.msg[0],
                                   A2.to_peer.len[0], NET_NOW + 60 * NET_SEC),
                   0);
  ck_assert_int_eq(net_kms_round(&K, &B2, NET_NOW + 61 * NET_SEC), 0);
  ck_assert_int_eq(net_deliver(&B2, &A2, NET_NOW + 62 * NET_SEC), 0);
  ck_assert_int_eq(imsms_call_get_state(A2.call), IMSMS_CALL_DONE);
  assert_same_master(A2.call, B2.call, 1, 1);
  assert_same_master(A2.call, B2.call, 2, 1);
  assert_same_msrp(A2.call, B2.call);
  assert_same_master(A2.call, A.call, 1, 0); /* fresh keys */
  media(A2.call, B2.call, 1, 1);
  media(B2.call, A2.call, 2, 1);
  media(A2.call, B.call, 1, 0); /* the first call cannot listen in */
  net_ue_free(&A2);
  /* The ticket has expired. */
  new_alice(actx, &A2, a, &tp, 3);
  ck_assert_int_eq(
      imsms_call_start_reuse(A2.call, A.call, NET_NOW + 601 * NET_SEC),
      IMSMS_ERR_TICKET_EXPIRED);
  ck_assert_int_eq(imsms_call_get_state(A2.call), IMSMS_CALL_IDLE);
  ck_assert_uint_eq(A2.to_peer.n, 0);
  /* A Responder's call is nothing to reuse. */
  net_ue_free(&B);
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  ck_assert_int_eq(imsms_call_start_reuse(A2.call, B.call, NET_NOW),
                   IMSMS_ERR_MIKEY_UNEXPECTED);
  net_ue_free(&A2);
  /* Without J: refused. */
  net_ue_free(&A);
  net_ue_free(&B);
  new_alice(actx, &A, a, &nj, 3);
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  alice_offers(&A);
  responder_resolves(&A, &B);
  ck_assert_int_eq(net_deliver(&B, &A, NET_NOW + 2 * NET_SEC), 0);
  new_alice(actx, &A2, a, &nj, 3);
  ck_assert_int_eq(imsms_call_start_reuse(A2.call, A.call, NET_NOW),
                   IMSMS_ERR_MIKEY_TP);
  ck_assert_int_eq(imsms_call_start_reuse(NULL, A.call, NET_NOW),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_call_start_reuse(A.call, A.call, NET_NOW),
                   IMSMS_ERR_INVALID_ARGUMENT);
  net_ue_free(&A2);
}
END_TEST

/* Two devices of Bob resolve; only the one that answers completes. */
START_TEST(test_forking_two_devices) {
  const alg_set *a = &algs[_i];
  imsms_tp tp = net_tp(a->prf, FORK, &NET_BOB, 1);

  new_alice(actx, &A, a, &tp, 3);
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  new_responder(b2ctx, &B2, &NET_BOB, a->bob_suites, 3, 0);
  alice_offers(&A);
  responder_resolves(&A, &B);
  responder_resolves(&A, &B2);
  /* Both devices have keys; they differ (RANDRkms). */
  assert_same_master(B.call, B2.call, 1, 0);
  assert_same_master(B.call, B2.call, 2, 0);
  /* Bob's first device answers. */
  ck_assert_int_eq(net_deliver(&B, &A, NET_NOW + 2 * NET_SEC), 0);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_DONE);
  ck_assert_str_eq(A.peer, "sip:bob@example.net");
  /* The second device's late answer is not taken. */
  ck_assert_int_eq(net_deliver(&B2, &A, NET_NOW + 2 * NET_SEC),
                   IMSMS_ERR_MIKEY_UNEXPECTED);
  assert_same_master(A.call, B.call, 1, 1);
  assert_same_master(A.call, B.call, 2, 1);
  assert_same_master(A.call, B2.call, 1, 0);
  assert_same_msrp(A.call, B.call);
  media(A.call, B.call, 1, 1);
  media(B.call, A.call, 2, 1);
  /* The other device cannot decrypt the call, nor inject into it. */
  media(A.call, B2.call, 1, 0);
  media(B2.call, A.call, 2, 0);
}
END_TEST

/* ---- Bad paths ----------------------------------------------------------- */

/* Every byte of TRANSFER_INIT flipped: Bob never ends with keys. */
START_TEST(test_tampered_transfer_init) {
  const alg_set *a = &algs[_i];
  imsms_tp tp = net_tp(a->prf, FLAGS, &NET_BOB, 1);
  uint8_t orig[NET_MSG], bad[NET_MSG];
  size_t len, i;
  int early = 0, late = 0;

  new_alice(actx, &A, a, &tp, 3);
  alice_offers(&A);
  len = net_take(&A.to_peer, orig);
  for (i = 0; i < len; i++) {
    int rv;

    memcpy(bad, orig, len);
    bad[i] ^= 0x04;
    new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
    rv = imsms_call_recv(B.call, bad, len, NET_NOW);
    if (rv == 0) {
      late++;
      rv = net_kms_round(&K, &B, NET_NOW);
    } else {
      early++;
      ck_assert_uint_eq(B.to_kms.n, 0);
    }
    ck_assert_msg(rv < 0, "flip at byte %zu accepted", i);
    ck_assert_uint_eq(B.nready, 0);
    if (rv == IMSMS_ERR_MIKEY_UNEXPECTED) {
      /* No longer a TRANSFER_INIT: not an offer, ignored. */
      ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_IDLE);
      ck_assert_int_eq(B.nerror, 0);
    } else {
      ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_FAILED);
      ck_assert_int_eq(B.nerror, 1);
    }
    net_ue_free(&B);
  }
  ck_assert_int_gt(early, 0);
  ck_assert_int_gt(late, 0);
  /* The untouched offer still works. */
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  ck_assert_int_eq(imsms_call_recv(B.call, orig, len, NET_NOW), 0);
  ck_assert_int_eq(net_kms_round(&K, &B, NET_NOW), 0);
  ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_DONE);
}
END_TEST

/* A flipped bit in RANDRi is only found with MPKi: no Error message. */
START_TEST(test_transfer_init_wrong_mac) {
  const alg_set *a = &algs[0];
  imsms_tp tp = net_tp(a->prf, FLAGS, &NET_BOB, 1);
  size_t len, i;

  new_alice(actx, &A, a, &tp, 3);
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  alice_offers(&A);
  len = net_take(&A.to_peer, buf);
  /* RANDRi: next payload IDR (14), role 1, length 32, the RAND. */
  for (i = 10;
       i + 3 < len && !(buf[i] == 14 && buf[i + 1] == 1 && buf[i + 2] == 32);
       i++) {
  }
  ck_assert_uint_lt(i + 3, len);
  buf[i + 5] ^= 0x80;
  ck_assert_int_eq(imsms_call_recv(B.call, buf, len, NET_NOW), 0);
  ck_assert_int_eq(net_kms_round(&K, &B, NET_NOW), IMSMS_ERR_MIKEY_AUTH);
  ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_FAILED);
  ck_assert_int_eq(B.error, IMSMS_ERR_MIKEY_AUTH);
  ck_assert_uint_eq(B.to_peer.n, 0);
}
END_TEST

/*
 * Forking: the KMS checks Vr, which covers Vi (so a changed Vi is refused
 * there); the Responder checks that Vi is the V of the TRANSFER_INIT it
 * got (so a changed V is refused even though the TICKET is intact).
 */
START_TEST(test_initiator_data_vi) {
  const alg_set *a = &algs[_i / 2];
  imsms_tp tp = net_tp(a->prf, FORK, &NET_BOB, 1);
  size_t maclen = a->prf ? 32 : 20, len, vmac, vi;
  int tamper_vi = _i & 1;

  new_alice(actx, &A, a, &tp, 3);
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  alice_offers(&A);
  len = net_take(&A.to_peer, buf);
  /* V is last; the Initiator Data (9, Vi, Vr) is the TICKET's end. */
  vmac = len - maclen;
  ck_assert_uint_eq(buf[vmac - 2], 0); /* V: last payload */
  vi = vmac - 2 - (1 + 2 * (2 + maclen)) + 3;
  ck_assert_uint_eq(buf[vi - 3], IMSMS_MIKEY_PT_V);
  ck_assert_uint_eq(buf[vi - 2], IMSMS_MIKEY_PT_V);
  ck_assert_mem_eq(buf + vi, buf + vmac, maclen);
  buf[tamper_vi ? vi : vmac] ^= 1;
  ck_assert_int_eq(imsms_call_recv(B.call, buf, len, NET_NOW), 0);
  ck_assert_int_eq(net_kms_round(&K, &B, NET_NOW),
                   tamper_vi ? IMSMS_ERR_KMS_DENIED : IMSMS_ERR_MIKEY_AUTH);
  ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_FAILED);
}
END_TEST

/*
 * The rest of the independent reading, for the call of
 * test_transfer_init_independent: Bob answers; TRANSFER_RESP's MAC under
 * MPKr' (RFC 6043 5.1.1, response label with RANDRi and RANDRr, over
 * TRANSFER_RESP || TRANSFER_INIT), and the SRTP master key of CS 1 from
 * TGK' (5.1.3, H and G set).
 */
static void check_transfer_resp(const alg_set *a, const uint8_t *ti,
                                size_t tilen, const imsms_mikey_randr *ri,
                                const uint8_t *keys, size_t keys_len,
                                const uint8_t *mpkr, size_t mpklen) {
  imsms_mikey_payload pl[8];
  const imsms_mikey_randr *rr = NULL, *rkms = NULL;
  const imsms_mikey_idr *idr = NULL;
  uint8_t resp[NET_MSG], in[2 * NET_MSG], label[600], k[64], mac[32];
  uint8_t mpkr2[64], tgk2[64];
  size_t maclen = a->prf ? 32 : 20, len, i, ll, off;
  int alg = a->prf ? IMSMS_HASH_SHA256 : IMSMS_HASH_SHA1;
  imsms_mikey_keydata kd;
  imsms_cs_master m;
  imsms_mikey_msg msg;
  imsms_ssize n;
  uint8_t next;

  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  ck_assert_int_eq(imsms_call_recv(B.call, ti, tilen, NET_NOW), 0);
  ck_assert_int_eq(net_kms_round(&K, &B, NET_NOW), 0);
  len = net_take(&B.to_peer, resp);
  n = imsms_mikey_decode_all(&msg, pl, 8, resp, len);
  ck_assert_int_gt(n, 0);
  ck_assert_uint_eq(msg.hdr.data_type, IMSMS_MIKEY_TRANSFER_RESP);
  ck_assert_uint_eq(msg.hdr.v, 0);
  ck_assert_mem_eq(resp + 4, ti + 4, 4); /* CSB ID */
  for (i = 0; i < (size_t)n; i++) {
    if (pl[i].type == IMSMS_MIKEY_PT_RANDR) {
      if (pl[i].u.randr.role == IMSMS_MIKEY_RANDR_R) {
        rr = &pl[i].u.randr;
      } else {
        rkms = &pl[i].u.randr;
      }
    } else if (pl[i].type == IMSMS_MIKEY_PT_IDR) {
      idr = &pl[i].u.idr;
    }
  }
  ck_assert_ptr_nonnull(rr);
  ck_assert_ptr_nonnull(rkms);
  ck_assert_ptr_nonnull(idr);
  ck_assert_uint_eq(idr->role, IMSMS_MIKEY_IDR_R);
  ck_assert_mem_eq(idr->data, NET_BOB.data, NET_BOB.len);
  /* MPKr' = PRF(MPKr, 0x2B288856 || FF || FFFFFFFF || 00 || ID || RANDRkms) */
  label[0] = 0x2b, label[1] = 0x28, label[2] = 0x88, label[3] = 0x56;
  memset(label + 4, 0xff, 5);
  label[9] = 0x00;
  label[10] = (uint8_t)(idr->len >> 8);
  label[11] = (uint8_t)idr->len;
  memcpy(label + 12, idr->data, idr->len);
  ll = 12 + idr->len;
  label[ll++] = (uint8_t)rkms->len;
  memcpy(label + ll, rkms->rand, rkms->len);
  ll += rkms->len;
  ck_assert_int_eq(
      imsms_mikey_prf(kctx, a->prf, mpkr, mpklen, label, ll, mpkr2, mpklen), 0);
  /* auth_key: 2D22AC75 || FF || CSB || 02 || RANDRi || RANDRr. */
  label[0] = 0x2d, label[1] = 0x22, label[2] = 0xac, label[3] = 0x75;
  label[4] = 0xff;
  memcpy(label + 5, ti + 4, 4);
  ll = 9;
  label[ll++] = 0x02;
  label[ll++] = (uint8_t)ri->len;
  memcpy(label + ll, ri->rand, ri->len);
  ll += ri->len;
  label[ll++] = (uint8_t)rr->len;
  memcpy(label + ll, rr->rand, rr->len);
  ll += rr->len;
  ck_assert_int_eq(
      imsms_mikey_prf(kctx, a->prf, mpkr2, mpklen, label, ll, k, maclen), 0);
  memcpy(in, resp, len - maclen);
  memcpy(in + len - maclen, ti, tilen);
  ck_assert_int_eq(
      imsms_hmac(kctx, alg, k, maclen, in, len - maclen + tilen, mac, maclen),
      0);
  ck_assert_mem_eq(mac, resp + len - maclen, maclen);
  /* The ticket's TGK follows its MPK; TGK' as MPKr', with 0x1512B54A. */
  off = (size_t)imsms_mikey_keydata_decode(&kd, &next, keys, keys_len);
  ck_assert_int_gt(
      imsms_mikey_keydata_decode(&kd, &next, keys + off, keys_len - off), 0);
  ck_assert_uint_eq(kd.type, IMSMS_MIKEY_KEY_TGK);
  label[0] = 0x15, label[1] = 0x12, label[2] = 0xb5, label[3] = 0x4a;
  memset(label + 4, 0xff, 5);
  label[9] = 0x00;
  label[10] = (uint8_t)(idr->len >> 8);
  label[11] = (uint8_t)idr->len;
  memcpy(label + 12, idr->data, idr->len);
  ll = 12 + idr->len;
  label[ll++] = (uint8_t)rkms->len;
  memcpy(label + ll, rkms->rand, rkms->len);
  ll += rkms->len;
  ck_assert_int_eq(imsms_mikey_prf(kctx, a->prf, kd.key, kd.key_len, label, ll,
                                   tgk2, kd.key_len),
                   0);
  /* TEK of CS 1: 2AD01C64 || 01 || FFFFFFFF || 03 || RANDRi || RANDRr. */
  label[0] = 0x2a, label[1] = 0xd0, label[2] = 0x1c, label[3] = 0x64;
  label[4] = 1;
  memset(label + 5, 0xff, 4);
  ll = 9;
  label[ll++] = 0x03;
  label[ll++] = (uint8_t)ri->len;
  memcpy(label + ll, ri->rand, ri->len);
  ll += ri->len;
  label[ll++] = (uint8_t)rr->len;
  memcpy(label + ll, rr->rand, rr->len);
  ll += rr->len;
  ck_assert_int_eq(imsms_call_cs_master(B.call, 1, &m), 0);
  ck_assert_int_eq(
      imsms_mikey_prf(kctx, a->prf, tgk2, kd.key_len, label, ll, k, m.key_len),
      0);
  ck_assert_mem_eq(k, m.key, m.key_len);
  ck_assert_mem_eq(m.mki, kd.spi, kd.spi_len);
  /* And Alice agrees. */
  ck_assert_int_eq(imsms_call_recv(A.call, resp, len, NET_NOW), 0);
  assert_same_master(A.call, B.call, 1, 1);
  imsms_secure_clear(&m, sizeof(m));
  imsms_secure_clear(k, sizeof(k));
  imsms_secure_clear(mpkr2, sizeof(mpkr2));
  imsms_secure_clear(tgk2, sizeof(tgk2));
}

/*
 * TRANSFER_INIT's V and Initiator Data recomputed from the ticket, opened
 * with the KMS's key ring, through the public API only: an independent
 * reading of RFC 6043 5.1.2 (initial label from MPKi), 5.5 (coverage
 * without the Initiator Data length and Initiator Data, then ID Data of
 * IDRi and IDRr), 6.10 (Vi = V; Vr under the key from the unforked MPKr)
 * and A.2.2 (MPKi and MPKr from the MPK).
 */
START_TEST(test_transfer_init_independent) {
  const alg_set *a = &algs[_i];
  imsms_tp tp = net_tp(a->prf, FORK | IMSMS_TP_G, &NET_BOB, 1);
  imsms_mikey_payload pl[IMSMS_CALL_MAX_SESSIONS + 24];
  const imsms_mikey_ticket *t = NULL;
  const imsms_mikey_randr *ri = NULL;
  const imsms_mikey_idr *idi = NULL, *idr = NULL;
  static const uint8_t vr_label[10] = {0x2d, 0x22, 0xac, 0x75, 0xff,
                                       0xff, 0xff, 0xff, 0xff, 0x04};
  uint8_t keys[512], mpki[64], mpkr[64], label[300], k[32], mac[32];
  uint8_t in[NET_MSG];
  size_t maclen = a->prf ? 32 : 20, len, i, ll = 0, inlen = 0, head, tail;
  int alg = a->prf ? IMSMS_HASH_SHA256 : IMSMS_HASH_SHA1;
  imsms_ticket_info info;
  imsms_mikey_keydata kd;
  imsms_mikey_msg msg;
  imsms_ssize n;
  uint8_t next;

  new_alice(actx, &A, a, &tp, 3);
  alice_offers(&A);
  len = net_take(&A.to_peer, buf);
  n = imsms_mikey_decode_all(&msg, pl, sizeof(pl) / sizeof(pl[0]), buf, len);
  ck_assert_int_gt(n, 0);
  ck_assert_uint_eq(msg.hdr.v, 1); /* V = F */
  ck_assert_uint_eq(msg.hdr.map_type, IMSMS_MIKEY_MAP_GENERIC_ID);
  for (i = 0; i < (size_t)n; i++) {
    if (pl[i].type == IMSMS_MIKEY_PT_TICKET) {
      t = &pl[i].u.ticket;
    } else if (pl[i].type == IMSMS_MIKEY_PT_RANDR) {
      ri = &pl[i].u.randr;
    } else if (pl[i].type == IMSMS_MIKEY_PT_IDR) {
      if (pl[i].u.idr.role == IMSMS_MIKEY_IDR_I) {
        idi = &pl[i].u.idr;
      } else {
        idr = &pl[i].u.idr;
      }
    }
  }
  ck_assert_ptr_nonnull(t);
  ck_assert_ptr_nonnull(ri);
  ck_assert_ptr_nonnull(idi);
  ck_assert_ptr_nonnull(idr);
  ck_assert_int_eq(ri->role, IMSMS_MIKEY_RANDR_I);
  ck_assert_int_eq(
      imsms_base_ticket_open(kctx, K.ring, t, keys, sizeof(keys), &info), 0);
  ck_assert_int_gt(imsms_mikey_keydata_decode(&kd, &next, keys, info.keys_len),
                   0);
  ck_assert_uint_eq(kd.type, IMSMS_MIKEY_KEY_MPK);
  ck_assert_int_eq(imsms_base_ticket_mpk(kctx, a->prf, kd.key, kd.key_len,
                                         info.rand, info.rand_len, mpki, mpkr),
                   0);
  /* auth_key: 0x2D22AC75 || 0xFF || CSB ID || 0x01 || RANDRi || 0x00. */
  memcpy(label, vr_label, 5);
  memcpy(label + 5, buf + 4, 4);
  ll = 9;
  label[ll++] = 0x01;
  label[ll++] = (uint8_t)ri->len;
  memcpy(label + ll, ri->rand, ri->len);
  ll += ri->len;
  label[ll++] = 0x00;
  ck_assert_int_eq(
      imsms_mikey_prf(kctx, a->prf, mpki, kd.key_len, label, ll, k, maclen), 0);
  /* Coverage: the message around the Initiator Data, then the IDs. */
  head = (size_t)(t->init_data - 2 - buf);
  tail = (size_t)(t->init_data + t->init_data_len - buf);
  memcpy(in, buf, head);
  inlen = head;
  memcpy(in + inlen, buf + tail, len - maclen - tail);
  inlen += len - maclen - tail;
  memcpy(in + inlen, idi->data, idi->len);
  inlen += idi->len;
  memcpy(in + inlen, idr->data, idr->len);
  inlen += idr->len;
  ck_assert_int_eq(imsms_hmac(kctx, alg, k, maclen, in, inlen, mac, maclen), 0);
  ck_assert_mem_eq(mac, buf + len - maclen, maclen);
  /* Initiator Data = 9 || Vi (next 9, alg, V's MAC) || Vr (0, alg, MAC). */
  ck_assert_uint_eq(t->init_data_len, 1 + 2 * (2 + maclen));
  ck_assert_uint_eq(t->init_data[0], IMSMS_MIKEY_PT_V);
  ck_assert_uint_eq(t->init_data[1], IMSMS_MIKEY_PT_V);
  ck_assert_uint_eq(t->init_data[3 + maclen], 0);
  ck_assert_mem_eq(t->init_data + 3, buf + len - maclen, maclen);
  ck_assert_int_eq(imsms_mikey_prf(kctx, a->prf, mpkr, kd.key_len, vr_label,
                                   sizeof(vr_label), k, maclen),
                   0);
  ck_assert_int_eq(imsms_hmac(kctx, alg, k, maclen, t->init_data,
                              t->init_data_len - maclen, mac, maclen),
                   0);
  ck_assert_mem_eq(mac, t->init_data + t->init_data_len - maclen, maclen);
  check_transfer_resp(a, buf, len, ri, keys, info.keys_len, mpkr, kd.key_len);
  imsms_secure_clear(keys, sizeof(keys));
  imsms_secure_clear(mpki, sizeof(mpki));
  imsms_secure_clear(mpkr, sizeof(mpkr));
  imsms_secure_clear(k, sizeof(k));
}
END_TEST

/*
 * Every byte of TRANSFER_RESP (and of REQUEST_RESP) flipped: discarded,
 * the call waits on, and the genuine message completes it.
 */
START_TEST(test_tampered_answers_discarded) {
  const alg_set *a = &algs[_i];
  imsms_tp tp = net_tp(a->prf, _i ? FORK | IMSMS_TP_G : FLAGS, &NET_BOB, 1);
  uint8_t orig[NET_MSG], bad[NET_MSG];
  size_t len, i;

  new_alice(actx, &A, a, &tp, 3);
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  ck_assert_int_eq(imsms_call_start(A.call, NET_NOW), 0);
  len = net_take(&A.to_kms, buf);
  ck_assert_int_eq(
      imsms_kms_handle(K.kms, buf, len, NET_NOW, orig, sizeof(orig), &len), 0);
  for (i = 0; i < len; i++) {
    memcpy(bad, orig, len);
    bad[i] ^= 0x10;
    ck_assert_msg(imsms_call_recv(A.call, bad, len, NET_NOW) < 0,
                  "REQUEST_RESP flip at %zu accepted", i);
    ck_assert_int_eq(imsms_call_get_state(A.call),
                     IMSMS_CALL_WAIT_REQUEST_RESP);
  }
  ck_assert_int_eq(imsms_call_recv(A.call, orig, len, NET_NOW), 0);
  responder_resolves(&A, &B);
  len = net_take(&B.to_peer, orig);
  for (i = 0; i < len; i++) {
    memcpy(bad, orig, len);
    bad[i] ^= 0x10;
    ck_assert_msg(imsms_call_recv(A.call, bad, len, NET_NOW) < 0,
                  "TRANSFER_RESP flip at %zu accepted", i);
    ck_assert_int_eq(imsms_call_get_state(A.call),
                     IMSMS_CALL_WAIT_TRANSFER_RESP);
  }
  ck_assert_int_eq(A.nerror, 0);
  ck_assert_int_eq(imsms_call_recv(A.call, orig, len, NET_NOW), 0);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_DONE);
  assert_same_master(A.call, B.call, 1, 1);
}
END_TEST

/* Every truncated prefix of each message fails cleanly (no over-read). */
START_TEST(test_truncated_messages) {
  const alg_set *a = &algs[_i];
  imsms_tp tp = net_tp(a->prf, FORK | IMSMS_TP_G, &NET_BOB, 1);
  uint8_t msg[NET_MSG], *copy;
  size_t len, i;

  new_alice(actx, &A, a, &tp, 3);
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  ck_assert_int_eq(imsms_call_start(A.call, NET_NOW), 0);
  len = net_take(&A.to_kms, msg);
  ck_assert_int_eq(
      imsms_kms_handle(K.kms, msg, len, NET_NOW, buf, sizeof(buf), &len), 0);
  for (i = 0; i < len; i++) {
    /* An exact-size heap copy, so ASan sees any read past the end. */
    copy = malloc(i + 1);
    memcpy(copy, buf, i);
    ck_assert_int_lt(imsms_call_recv(A.call, copy, i, NET_NOW), 0);
    free(copy);
  }
  ck_assert_int_eq(imsms_call_recv(A.call, buf, len, NET_NOW), 0);
  len = net_take(&A.to_peer, msg);
  for (i = 0; i < len; i++) {
    net_ue_free(&B2);
    new_responder(b2ctx, &B2, &NET_BOB, a->bob_suites, 3, 0);
    copy = malloc(i + 1);
    memcpy(copy, msg, i);
    ck_assert_int_lt(imsms_call_recv(B2.call, copy, i, NET_NOW), 0);
    ck_assert_uint_eq(B2.to_kms.n, 0);
    free(copy);
  }
  ck_assert_int_eq(imsms_call_recv(B.call, msg, len, NET_NOW), 0);
  len = net_take(&B.to_kms, msg);
  ck_assert_int_eq(
      imsms_kms_handle(K.kms, msg, len, NET_NOW, buf, sizeof(buf), &len), 0);
  for (i = 0; i < len; i++) {
    copy = malloc(i + 1);
    memcpy(copy, buf, i);
    ck_assert_int_lt(imsms_call_recv(B.call, copy, i, NET_NOW), 0);
    free(copy);
  }
  ck_assert_int_eq(imsms_call_recv(B.call, buf, len, NET_NOW), 0);
  len = net_take(&B.to_peer, msg);
  for (i = 0; i < len; i++) {
    copy = malloc(i + 1);
    memcpy(copy, msg, i);
    ck_assert_int_lt(imsms_call_recv(A.call, copy, i, NET_NOW), 0);
    free(copy);
  }
  ck_assert_int_eq(imsms_call_recv(A.call, msg, len, NET_NOW), 0);
  assert_same_master(A.call, B.call, 2, 1);
}
END_TEST

/* A wrong CSB ID in an answer is another exchange's: discarded. */
START_TEST(test_csb_id_mismatch) {
  const alg_set *a = &algs[0];
  imsms_tp tp = net_tp(a->prf, FLAGS, &NET_BOB, 1);
  size_t len;

  new_alice(actx, &A, a, &tp, 3);
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  alice_offers(&A);
  responder_resolves(&A, &B);
  len = net_take(&B.to_peer, buf);
  buf[7] ^= 1;
  ck_assert_int_eq(imsms_call_recv(A.call, buf, len, NET_NOW),
                   IMSMS_ERR_MIKEY_CSB_ID);
  buf[7] ^= 1;
  buf[len - 1] ^= 1;
  ck_assert_int_eq(imsms_call_recv(A.call, buf, len, NET_NOW),
                   IMSMS_ERR_MIKEY_AUTH);
  buf[len - 1] ^= 1;
  ck_assert_int_eq(imsms_call_recv(A.call, buf, len, NET_NOW), 0);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_DONE);
}
END_TEST

/* Replays: answers after the fact, and a TRANSFER_INIT played twice. */
START_TEST(test_replays) {
  const alg_set *a = &algs[1];
  imsms_tp tp = net_tp(a->prf, FLAGS, &NET_BOB, 1);
  uint8_t offer[NET_MSG], rresp[NET_MSG], kresp[NET_MSG];
  size_t olen, rlen, klen;
  imsms_call_callbacks cb;
  imsms_replay *rc;

  ck_assert_int_eq(imsms_replay_new(&rc, bctx, 64, 300), 0);
  new_alice(actx, &A, a, &tp, 3);
  ck_assert_int_eq(imsms_call_start(A.call, NET_NOW), 0);
  ck_assert_int_eq(net_kms_round(&K, &A, NET_NOW), 0);
  memcpy(kresp, K.out, K.outlen);
  klen = K.outlen;
  /* REQUEST_RESP again: Alice has moved on to another exchange. */
  ck_assert_int_eq(imsms_call_recv(A.call, kresp, klen, NET_NOW),
                   IMSMS_ERR_MIKEY_CSB_ID);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_WAIT_TRANSFER_RESP);
  olen = net_take(&A.to_peer, offer);

  /* Bob with a replay cache shared by his calls. */
  {
    size_t psklen;
    const uint8_t *psk = net_psk(&NET_BOB, &psklen);
    imsms_call_config cfg = net_config(&NET_BOB, psk, psklen);

    net_callbacks(&cb);
    cb.replay = imsms_replay_check;
    cb.replay_data = rc;
    cfg.suites = a->bob_suites;
    cfg.nsuites = 3;
    cfg.accept_tls = 1;
    ck_assert_int_eq(imsms_call_new_responder(&B.call, bctx, &cfg, &cb, &B), 0);
    ck_assert_int_eq(imsms_call_new_responder(&B2.call, bctx, &cfg, &cb, &B2),
                     0);
  }
  ck_assert_int_eq(imsms_call_recv(B.call, offer, olen, NET_NOW), 0);
  ck_assert_int_eq(net_kms_round(&K, &B, NET_NOW), 0);
  memcpy(rresp, K.out, K.outlen);
  rlen = K.outlen;
  /* RESOLVE_RESP again, and TRANSFER_INIT again to the same call. */
  ck_assert_int_eq(imsms_call_recv(B.call, rresp, rlen, NET_NOW),
                   IMSMS_ERR_MIKEY_UNEXPECTED);
  ck_assert_int_eq(imsms_call_recv(B.call, offer, olen, NET_NOW),
                   IMSMS_ERR_MIKEY_UNEXPECTED);
  /* The same TRANSFER_INIT to a new call: refused once authenticated. */
  ck_assert_int_eq(imsms_call_recv(B2.call, offer, olen, NET_NOW), 0);
  ck_assert_int_eq(net_kms_round(&K, &B2, NET_NOW), IMSMS_ERR_MIKEY_REPLAY);
  ck_assert_int_eq(imsms_call_get_state(B2.call), IMSMS_CALL_FAILED);
  ck_assert_uint_eq(B2.nready, 0);
  /* TRANSFER_RESP twice. */
  rlen = net_take(&B.to_peer, rresp);
  ck_assert_int_eq(imsms_call_recv(A.call, rresp, rlen, NET_NOW), 0);
  ck_assert_int_eq(imsms_call_recv(A.call, rresp, rlen, NET_NOW),
                   IMSMS_ERR_MIKEY_UNEXPECTED);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_DONE);
  /* An idle Initiator takes nothing. */
  net_ue_free(&B2);
  new_alice(actx, &B2, a, &tp, 3);
  ck_assert_int_eq(imsms_call_recv(B2.call, rresp, rlen, NET_NOW),
                   IMSMS_ERR_MIKEY_UNEXPECTED);
  imsms_replay_del(rc);
}
END_TEST

/* Carol is not a responder of the ticket: the KMS refuses her. */
START_TEST(test_unauthorised_responder) {
  const alg_set *a = &algs[0];
  imsms_tp tp = net_tp(a->prf, FLAGS, &NET_BOB, 1);

  new_alice(actx, &A, a, &tp, 3);
  new_responder(bctx, &B, &NET_CAROL, a->bob_suites, 3, 0);
  alice_offers(&A);
  ck_assert_int_eq(net_deliver(&A, &B, NET_NOW), 0);
  ck_assert_int_eq(net_kms_round(&K, &B, NET_NOW), IMSMS_ERR_KMS_DENIED);
  ck_assert_int_eq(K.last_rv, IMSMS_ERR_KMS_DENIED);
  ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_FAILED);
  ck_assert_int_eq(B.error, IMSMS_ERR_KMS_DENIED);
  ck_assert_int_eq(imsms_call_peer_error(B.call), IMSMS_MIKEY_ERR_AUTH_FAILURE);
  /* Carol tells Alice. */
  ck_assert_uint_eq(B.to_peer.n, 1);
  ck_assert_int_eq(net_deliver(&B, &A, NET_NOW), IMSMS_ERR_MIKEY_PEER_ERROR);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_FAILED);
  ck_assert_int_eq(A.mikey_error, IMSMS_MIKEY_ERR_AUTH_FAILURE);
}
END_TEST

/*
 * A group call keyed by a GTGK (RFC 6043 5.1.1: never forked), with a
 * conference bridge (seed 4.1, req. 20-23): Alice's ticket names the
 * group "team" (Bob and Carol) and asks for a GTGK with forking allowed;
 * both members derive the same TEK from their own resolves; Dave, a user
 * but no member, is refused. The bridge, a network function whose scope
 * is the team, resolves the same ticket, decrypts Alice's audio and
 * re-encrypts it on its own leg to Dave (e2m2e), who hears Alice through
 * it. The same bridge is refused a ticket outside its scope. The KMS runs
 * the ready policy of <imsmediasec/kms_policy.h>.
 */
static const uint8_t PSK_DAVE[16] = "dave's psk 16 B";
static const uint8_t PSK_BRIDGE[32] = "the conference bridge's KMS key";

static void new_party(imsms_ctx *ctx, net_ue *u, const imsms_id *id,
                      const uint8_t *psk, size_t psklen, const int *suites) {
  imsms_call_config cfg = net_config(id, psk, psklen);
  imsms_call_callbacks cb;

  net_callbacks(&cb);
  cfg.suites = suites;
  cfg.nsuites = 1;
  ck_assert_int_eq(imsms_call_new_responder(&u->call, ctx, &cfg, &cb, u), 0);
}

/* A KMS with the default policy: the net users, Dave and the network
 * function |nf| (its key PSK_BRIDGE), Bob and Carol in NET_TEAM. */
static imsms_kms_policy *policy_kms_nf(const imsms_id *dave,
                                       const imsms_kms_nf *nf) {
  imsms_kms_policy *pol;
  imsms_kms_callbacks cb;
  imsms_kms_config cfg;

  ck_assert_int_eq(imsms_kms_policy_new(&pol, kctx, NULL), 0);
  ck_assert_int_eq(imsms_kms_policy_add_user(pol, &NET_ALICE, NET_PSK_ALICE,
                                             sizeof(NET_PSK_ALICE)),
                   0);
  ck_assert_int_eq(
      imsms_kms_policy_add_user(pol, &NET_BOB, NET_PSK_BOB, sizeof(NET_PSK_BOB)),
      0);
  ck_assert_int_eq(imsms_kms_policy_add_user(pol, &NET_CAROL, NET_PSK_CAROL,
                                             sizeof(NET_PSK_CAROL)),
                   0);
  ck_assert_int_eq(
      imsms_kms_policy_add_user(pol, dave, PSK_DAVE, sizeof(PSK_DAVE)), 0);
  ck_assert_int_eq(imsms_kms_policy_add_user(pol, &nf->identity, PSK_BRIDGE,
                                             sizeof(PSK_BRIDGE)),
                   0);
  ck_assert_int_eq(imsms_kms_policy_add_group_member(pol, &NET_TEAM, &NET_BOB),
                   0);
  ck_assert_int_eq(
      imsms_kms_policy_add_group_member(pol, &NET_TEAM, &NET_CAROL), 0);
  ck_assert_int_eq(imsms_kms_policy_add_network_function(pol, nf), 0);
  memset(&cb, 0, sizeof(cb));
  ck_assert_int_eq(imsms_kms_policy_callbacks(pol, &cb), 0);
  memset(&cfg, 0, sizeof(cfg));
  cfg.version = IMSMS_KMS_CONFIG_V1;
  cfg.identity = NET_KMSID;
  cfg.keyring = K.ring;
  imsms_kms_del(K.kms);
  ck_assert_int_eq(imsms_kms_new(&K.kms, kctx, &cfg, &cb, pol), 0);
  return pol;
}

/* The same with a conference bridge for NET_TEAM. */
static imsms_kms_policy *policy_kms(const imsms_id *dave,
                                    const imsms_id *bridge) {
  imsms_kms_nf nf;

  memset(&nf, 0, sizeof(nf));
  nf.version = IMSMS_KMS_NF_V1;
  nf.identity = *bridge;
  nf.role = IMSMS_KMS_NF_CONFERENCE_BRIDGE;
  nf.groups = &NET_TEAM;
  nf.ngroups = 1;
  return policy_kms_nf(dave, &nf);
}

/* Alice's SRTP packet |seq| on session 1, protected; |plain| the text. */
static int bridge_packet(srtp_t s, uint32_t ssrc, uint16_t seq, uint8_t *pkt,
                         uint8_t *plain) {
  int len = 172, i;

  memset(plain, 0, 172);
  plain[0] = 0x80;
  plain[2] = (uint8_t)(seq >> 8);
  plain[3] = (uint8_t)seq;
  put32(plain + 4, 160u * seq);
  put32(plain + 8, ssrc);
  for (i = 12; i < 172; i++) {
    plain[i] = (uint8_t)(i ^ seq);
  }
  memcpy(pkt, plain, 172);
  ck_assert_int_eq(srtp_protect_mki(s, pkt, &len, 1, 0), srtp_err_status_ok);
  return len;
}

/* |id| (key |psk|) calls under |tp| on |ctx| with one SRTP session of
 * SSRC |ssrc|, through REQUEST_RESP. */
static void offer1(imsms_ctx *ctx, net_ue *u, const imsms_id *id,
                   const uint8_t *psk, size_t psklen, imsms_tp *tp,
                   uint32_t ssrc, const alg_set *a) {
  imsms_call_config cfg = net_config(id, psk, psklen);
  imsms_call_callbacks cb;
  imsms_call_session cs;

  memset(&cs, 0, sizeof(cs));
  cs.cs_id = 1;
  cs.prot_type = IMSMS_MIKEY_PROT_SRTP;
  cs.has_ssrc = 1;
  cs.ssrc = ssrc;
  cs.suites = a->out_suite;
  cs.nsuites = 1;
  net_callbacks(&cb);
  cfg.tp = tp;
  cfg.sessions = &cs;
  cfg.nsessions = 1;
  ck_assert_int_eq(imsms_call_new_initiator(&u->call, ctx, &cfg, &cb, u), 0);
  alice_offers(u);
}

/*
 * The network function |nf| (key PSK_BRIDGE) calls |peer| (its UE in
 * |u|, key |psk|) on its own leg under |tp|: one SRTP session with SSRC
 * |ssrc|, completed through TRANSFER_RESP.
 */
static void nf_leg(const alg_set *a, const imsms_id *nf, imsms_tp *tp,
                   uint32_t ssrc, net_ue *leg, net_ue *u,
                   const imsms_id *peer, const uint8_t *psk, size_t psklen) {
  offer1(rctx, leg, nf, PSK_BRIDGE, sizeof(PSK_BRIDGE), tp, ssrc, a);
  new_party(bctx, u, peer, psk, psklen, a->out_suite);
  responder_resolves(leg, u);
  ck_assert_int_eq(net_deliver(u, leg, NET_NOW + NET_SEC), 0);
  ck_assert_int_eq(imsms_call_get_state(leg->call), IMSMS_CALL_DONE);
}

/* Alice's ticket for |callee|, outside |nf|'s scope: refused at resolve. */
static void nf_out_of_scope(const alg_set *a, const imsms_id *nf,
                            const imsms_id *callee) {
  imsms_tp tp = net_tp(a->prf, FLAGS, callee, 1);
  net_ue u;

  memset(&u, 0, sizeof(u));
  net_ue_free(&A);
  new_alice(actx, &A, a, &tp, 1);
  alice_offers(&A);
  new_party(rctx, &u, nf, PSK_BRIDGE, sizeof(PSK_BRIDGE), a->out_suite);
  ck_assert_int_eq(net_deliver(&A, &u, NET_NOW), 0);
  ck_assert_int_eq(net_kms_round(&K, &u, NET_NOW), IMSMS_ERR_KMS_DENIED);
  net_ue_free(&u);
}

START_TEST(test_gtgk_conference_bridge) {
  const alg_set *a = &algs[_i];
  imsms_id dave = NET_CAROL, bridge = NET_CAROL;
  imsms_tp_key gtgk = {IMSMS_MIKEY_KEY_GTGK, 16, 0, IMSMS_MIKEY_KV_SPI, 4};
  imsms_tp tp = net_tp(a->prf, IMSMS_TP_D | IMSMS_TP_E | IMSMS_TP_H | IMSMS_TP_I,
                       &NET_TEAM, 1);
  imsms_tp leg = net_tp(a->prf, FLAGS, &dave, 1);
  imsms_kms_policy *pol;
  net_ue Dv, Br, Leg;
  srtp_t tx, at_bridge, leg_tx, at_dave;
  uint8_t pkt[PKT], plain[PKT];
  uint16_t seq;
  int len;

  dave.data = (const uint8_t *)"sip:dave@example.net";
  dave.len = 20;
  bridge.data = (const uint8_t *)"sip:bridge@conf.example.net";
  bridge.len = 27;
  memset(&Dv, 0, sizeof(Dv));
  memset(&Br, 0, sizeof(Br));
  memset(&Leg, 0, sizeof(Leg));
  pol = policy_kms(&dave, &bridge);
  tp.keys = &gtgk;
  tp.nkeys = 1;
  offer1(actx, &A, &NET_ALICE, NET_PSK_ALICE, sizeof(NET_PSK_ALICE), &tp,
         SSRC_A, a);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_DONE);

  /* The members: each resolves (forked MPKr'), the GTGK is not forked. */
  new_party(bctx, &B, &NET_BOB, NET_PSK_BOB, sizeof(NET_PSK_BOB), a->out_suite);
  new_party(b2ctx, &B2, &NET_CAROL, NET_PSK_CAROL, sizeof(NET_PSK_CAROL),
            a->out_suite);
  responder_resolves(&A, &B);
  responder_resolves(&A, &B2);
  assert_same_master(A.call, B.call, 1, 1);
  assert_same_master(A.call, B2.call, 1, 1);
  media(A.call, B.call, 1, 1);
  media(A.call, B2.call, 1, 1);

  /* Dave is a user, not a member: refused at resolve. */
  new_party(bctx, &Dv, &dave, PSK_DAVE, sizeof(PSK_DAVE), a->out_suite);
  ck_assert_int_eq(imsms_call_recv(Dv.call, A.to_peer.msg[0], A.to_peer.len[0],
                                   NET_NOW),
                   0);
  ck_assert_int_eq(net_kms_round(&K, &Dv, NET_NOW), IMSMS_ERR_KMS_DENIED);
  net_ue_free(&Dv);

  /* The bridge resolves as a network function in scope. */
  new_party(rctx, &Br, &bridge, PSK_BRIDGE, sizeof(PSK_BRIDGE), a->out_suite);
  responder_resolves(&A, &Br);
  assert_same_master(A.call, Br.call, 1, 1);
  /* Its own leg to Dave. */
  nf_leg(a, &bridge, &leg, 0x44444444u, &Leg, &Dv, &dave, PSK_DAVE,
         sizeof(PSK_DAVE));
  /* Alice -> bridge (decrypt) -> Dave (re-encrypted on the leg). */
  tx = srtp_session(A.call, 1, session(A.call, 0).suite, ssrc_any_outbound);
  at_bridge = srtp_session(Br.call, 1, session(Br.call, 0).suite,
                           ssrc_any_inbound);
  leg_tx = srtp_session(Leg.call, 1, session(Leg.call, 0).suite,
                        ssrc_any_outbound);
  at_dave = srtp_session(Dv.call, 1, session(Dv.call, 0).suite,
                         ssrc_any_inbound);
  for (seq = 1; seq <= 10; seq++) {
    len = bridge_packet(tx, SSRC_A, seq, pkt, plain);
    /* Dave cannot read Alice's leg. */
    ck_assert_int_ne(srtp_unprotect_mki(at_dave, pkt, &(int){len}, 1),
                     srtp_err_status_ok);
    ck_assert_int_eq(srtp_unprotect_mki(at_bridge, pkt, &len, 1),
                     srtp_err_status_ok);
    ck_assert_int_eq(len, 172);
    ck_assert_mem_eq(pkt, plain, 172);
    put32(pkt + 8, 0x44444444u); /* the bridge's own stream */
    ck_assert_int_eq(srtp_protect_mki(leg_tx, pkt, &len, 1, 0),
                     srtp_err_status_ok);
    ck_assert_int_eq(srtp_unprotect_mki(at_dave, pkt, &len, 1),
                     srtp_err_status_ok);
    ck_assert_int_eq(len, 172);
    ck_assert_mem_eq(pkt + 12, plain + 12, 160);
  }
  srtp_dealloc(tx);
  srtp_dealloc(at_bridge);
  srtp_dealloc(leg_tx);
  srtp_dealloc(at_dave);

  /* Out of scope: Alice's ticket for Dave (neither is in the team; a
   * ticket naming a member would be in scope). */
  net_ue_free(&Br);
  nf_out_of_scope(a, &bridge, &dave);
  net_ue_free(&Dv);
  net_ue_free(&Leg);
  imsms_kms_del(K.kms);
  K.kms = NULL;
  imsms_kms_policy_del(pol);
}
END_TEST

/* "Re-encoding" for the transcoder: PCMU (PT 0) to PCMA (PT 8); the
 * even-bit inversion stands in for the table lookup. */
static void transcode(uint8_t *pkt, int len) {
  int i;

  pkt[1] = (uint8_t)((pkt[1] & 0x80) | 8);
  for (i = 12; i < len; i++) {
    pkt[i] ^= 0x55;
  }
}

/*
 * Transcoder (TR 33.828 4.5) and PSTN gateway (4.6): network functions
 * that resolve Alice's ticket for Bob because Bob is in their scope.
 * The gateway decrypts (the media ends there, e2m); the transcoder
 * decrypts, re-encodes and protects its own leg to Bob under its own
 * ticket (e2m2e). Neither resolves a ticket outside its scope.
 */
START_TEST(test_transcoder_gateway) {
  const alg_set *a = &algs[_i / 2];
  int transcoder = _i % 2 == 0;
  imsms_id dave = NET_CAROL, nf_id = NET_CAROL;
  imsms_tp tp = net_tp(a->prf, FLAGS, &NET_BOB, 1);
  imsms_tp leg = net_tp(a->prf, FLAGS, &NET_BOB, 1);
  imsms_kms_policy *pol;
  imsms_kms_nf nf;
  net_ue Nf, Leg, Bb;
  srtp_t tx, at_nf, leg_tx, at_bob;
  uint8_t pkt[PKT], plain[PKT];
  uint16_t seq;
  int len;

  dave.data = (const uint8_t *)"sip:dave@example.net";
  dave.len = 20;
  nf_id.data = transcoder ? (const uint8_t *)"sip:tc@media.example.net"
                          : (const uint8_t *)"sip:gw@pstn.example.net";
  nf_id.len = transcoder ? 24 : 23;
  memset(&nf, 0, sizeof(nf));
  nf.version = IMSMS_KMS_NF_V1;
  nf.identity = nf_id;
  nf.role = transcoder ? IMSMS_KMS_NF_TRANSCODER : IMSMS_KMS_NF_PSTN_GATEWAY;
  nf.ids = &NET_BOB;
  nf.nids = 1;
  pol = policy_kms_nf(&dave, &nf);
  memset(&Nf, 0, sizeof(Nf));
  memset(&Leg, 0, sizeof(Leg));
  memset(&Bb, 0, sizeof(Bb));
  new_alice(actx, &A, a, &tp, 1);
  alice_offers(&A);
  /* The INVITE reaches the network function, which resolves in scope. */
  new_party(rctx, &Nf, &nf_id, PSK_BRIDGE, sizeof(PSK_BRIDGE), a->out_suite);
  responder_resolves(&A, &Nf);
  /* It answers Alice for the leg it terminates. */
  ck_assert_int_eq(net_deliver(&Nf, &A, NET_NOW + NET_SEC), 0);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_DONE);
  assert_same_master(A.call, Nf.call, 1, 1);
  tx = srtp_session(A.call, 1, session(A.call, 0).suite, ssrc_any_outbound);
  at_nf = srtp_session(Nf.call, 1, session(Nf.call, 0).suite,
                       ssrc_any_inbound);
  leg_tx = at_bob = NULL;
  if (transcoder) {
    nf_leg(a, &nf_id, &leg, 0x55555555u, &Leg, &Bb, &NET_BOB, NET_PSK_BOB,
           sizeof(NET_PSK_BOB));
    leg_tx = srtp_session(Leg.call, 1, session(Leg.call, 0).suite,
                          ssrc_any_outbound);
    at_bob = srtp_session(Bb.call, 1, session(Bb.call, 0).suite,
                          ssrc_any_inbound);
  }
  for (seq = 1; seq <= 10; seq++) {
    len = bridge_packet(tx, SSRC_A, seq, pkt, plain);
    ck_assert_int_eq(srtp_unprotect_mki(at_nf, pkt, &len, 1),
                     srtp_err_status_ok);
    ck_assert_int_eq(len, 172);
    ck_assert_mem_eq(pkt, plain, 172);
    if (!transcoder) {
      continue; /* to the PSTN, in the clear */
    }
    transcode(pkt, len);
    put32(pkt + 8, 0x55555555u);
    ck_assert_int_eq(srtp_protect_mki(leg_tx, pkt, &len, 1, 0),
                     srtp_err_status_ok);
    ck_assert_int_eq(srtp_unprotect_mki(at_bob, pkt, &len, 1),
                     srtp_err_status_ok);
    transcode(plain, 172);
    ck_assert_int_eq(pkt[1] & 0x7f, 8);
    ck_assert_mem_eq(pkt + 12, plain + 12, 160);
  }
  srtp_dealloc(tx);
  srtp_dealloc(at_nf);
  if (transcoder) {
    srtp_dealloc(leg_tx);
    srtp_dealloc(at_bob);
  }
  /* Alice's ticket for Dave is outside the scope. */
  net_ue_free(&Nf);
  nf_out_of_scope(a, &nf_id, &dave);
  net_ue_free(&Leg);
  net_ue_free(&Bb);
  imsms_kms_del(K.kms);
  K.kms = NULL;
  imsms_kms_policy_del(pol);
}
END_TEST

/*
 * Anonymity (TR 33.828 req. 49-50): Alice calls anonymously. Her ticket
 * names IMSMS_ANONYMOUS_URI, her identity is nowhere in TRANSFER_INIT,
 * and Bob learns nothing about her unless the KMS policy discloses her
 * (an IDR of role IDRi in RESOLVE_RESP, under its MAC); the KMS still
 * knows her: lawful interception on Alice finds the ticket.
 */
#define ANON_MAX_PL 40

static int disclose_to_bob(imsms_kms *k, const imsms_id *resolver,
                           const imsms_tp *ticket, const imsms_id *initiator,
                           void *ud) {
  (void)k;
  (void)ticket;
  (void)ud;
  ck_assert(net_same(initiator, &NET_ALICE));
  return net_same(resolver, &NET_BOB);
}

static const imsms_mikey_payload *find_pl(const uint8_t *msg, size_t len,
                                          imsms_mikey_payload *pls,
                                          size_t cap, uint8_t type,
                                          int role) {
  imsms_mikey_msg m;
  imsms_ssize n = imsms_mikey_decode_all(&m, pls, cap, msg, len);
  imsms_ssize i;

  ck_assert_int_gt(n, 0);
  for (i = 0; i < n; i++) {
    if (pls[i].type == type && (role < 0 || pls[i].u.idr.role == role)) {
      return &pls[i];
    }
  }
  return NULL;
}

/* The caller named by the last audit event. */
static char audited[64];

static void audit_caller(imsms_kms *k, const imsms_kms_event *ev, void *ud) {
  (void)k;
  (void)ud;
  ck_assert_uint_lt(ev->initiator.len, sizeof(audited));
  if (ev->initiator.len) {
    memcpy(audited, ev->initiator.data, ev->initiator.len);
  }
  audited[ev->initiator.len] = '\0';
}

/* A policy that writes the real caller into the grant: refused. */
static int unmask(imsms_kms *k, const imsms_id *req, const imsms_tp *asked,
                  imsms_tp *granted, void *ud) {
  (void)k;
  (void)asked;
  (void)ud;
  granted->initiator = *req;
  return 0;
}

START_TEST(test_anonymous_caller) {
  const alg_set *a = &algs[_i];
  imsms_tp tp = net_tp(a->prf, FLAGS, &NET_BOB, 1), granted;
  imsms_call_config cfg =
      net_config(&NET_ALICE, NET_PSK_ALICE, sizeof(NET_PSK_ALICE));
  imsms_call_callbacks cb;
  imsms_mikey_payload pls[ANON_MAX_PL];
  const imsms_mikey_payload *ticket;
  imsms_tp_key tkeys[8];
  imsms_id tids[8], peer, named = NET_ALICE;
  imsms_kms_warrant w;
  imsms_kms_li_out lo;
  imsms_cs_master m;
  size_t i;

  net_callbacks(&cb);
  alice_sessions(a);
  cfg.tp = &tp;
  cfg.sessions = sessions;
  cfg.nsessions = 3;
  cfg.anonymous = 1;
  /* She cannot name herself and ask for anonymity. */
  tp.initiator = NET_ALICE;
  ck_assert_int_eq(imsms_call_new_initiator(&A.call, actx, &cfg, &cb, &A),
                   IMSMS_ERR_INVALID_ARGUMENT);
  memset(&tp.initiator, 0, sizeof(tp.initiator));
  ck_assert_int_eq(imsms_call_new_initiator(&A.call, actx, &cfg, &cb, &A), 0);
  alice_offers(&A);
  /* TRANSFER_INIT: no IDRi, the ticket names the anonymous URI, and
   * Alice's identity appears nowhere in it. */
  ck_assert_ptr_null(find_pl(A.to_peer.msg[0], A.to_peer.len[0], pls,
                             ANON_MAX_PL, IMSMS_MIKEY_PT_IDR,
                             IMSMS_MIKEY_IDR_I));
  ticket = find_pl(A.to_peer.msg[0], A.to_peer.len[0], pls,
                   ANON_MAX_PL, IMSMS_MIKEY_PT_TICKET, -1);
  ck_assert_ptr_nonnull(ticket);
  ck_assert_int_eq(imsms_tp_decode(&granted, &ticket->u.ticket, tkeys, 8, tids,
                                   8),
                   0);
  ck_assert_uint_eq(granted.initiator.len, strlen(IMSMS_ANONYMOUS_URI));
  ck_assert_mem_eq(granted.initiator.data, IMSMS_ANONYMOUS_URI,
                   granted.initiator.len);
  for (i = 0; i + named.len <= A.to_peer.len[0]; i++) {
    ck_assert_int_ne(memcmp(A.to_peer.msg[0] + i, named.data, named.len), 0);
  }
  /* Without disclosure Bob has no identity for the caller. */
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  responder_resolves(&A, &B);
  ck_assert_int_eq(imsms_call_peer(B.call, &peer), IMSMS_ERR_EOF);
  ck_assert_int_eq(B.npeer, 0);
  ck_assert_int_eq(net_deliver(&B, &A, NET_NOW + NET_SEC), 0);
  assert_same_master(A.call, B.call, 1, 1);
  media(A.call, B.call, 1, 1);
  media(B.call, A.call, 2, 1);
  /* Lawful interception on Alice finds her anonymous call, and the
   * operator's audit event names her. */
  K.audit = audit_caller;
  net_kms_policy(&K, NULL);
  memset(&w, 0, sizeof(w));
  w.version = IMSMS_KMS_WARRANT_V1;
  w.target = NET_ALICE;
  w.start = NET_NOW - 3600 * NET_SEC;
  w.end = NET_NOW + 3600 * NET_SEC;
  ticket = find_pl(A.to_peer.msg[0], A.to_peer.len[0], pls,
                   ANON_MAX_PL, IMSMS_MIKEY_PT_TICKET, -1);
  ck_assert_int_eq(imsms_kms_li_keys(K.kms, &w, &ticket->u.ticket, NULL, NULL,
                                     0, NET_NOW, &lo),
                   0);
  ck_assert_int_eq(lo.party, IMSMS_KMS_LI_INITIATOR);
  ck_assert_str_eq(audited, "sip:alice@example.net");
  imsms_secure_clear(&lo, sizeof(lo));
  /* The KMS discloses Alice to Bob: vouched identity at resolve. */
  net_ue_free(&B);
  K.disclose_initiator = disclose_to_bob;
  net_kms_policy(&K, NULL);
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  responder_resolves(&A, &B);
  ck_assert_int_eq(imsms_call_peer(B.call, &peer), 0);
  ck_assert(net_same(&peer, &NET_ALICE));
  ck_assert_str_eq(B.peer, "sip:alice@example.net");
  ck_assert_int_eq(imsms_call_cs_master(B.call, 1, &m), 0);
  imsms_secure_clear(&m, sizeof(m));
  /* Carol is no responder: refused, whatever the disclosure rule. */
  new_responder(b2ctx, &B2, &NET_CAROL, a->bob_suites, 3, 0);
  ck_assert_int_eq(net_deliver(&A, &B2, NET_NOW), 0);
  ck_assert_int_eq(net_kms_round(&K, &B2, NET_NOW), IMSMS_ERR_KMS_DENIED);
  /* A KMS policy that would name her is refused by the engine. */
  net_ue_free(&A);
  net_kms_policy(&K, unmask);
  ck_assert_int_eq(imsms_call_new_initiator(&A.call, actx, &cfg, &cb, &A), 0);
  ck_assert_int_eq(imsms_call_start(A.call, NET_NOW), 0);
  ck_assert_int_eq(net_kms_round(&K, &A, NET_NOW), IMSMS_ERR_KMS_DENIED);
  ck_assert_int_eq(K.last_rv, IMSMS_ERR_KMS_DENIED);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_FAILED);
}
END_TEST

/*
 * Retargeting (seed req. 14-16, 18): Alice calls Bob; the network
 * retargets the INVITE to Carol (call forwarding). Carol resolves only
 * when the KMS policy authorises her for Bob's tickets; she then gets
 * keys bound to her own identity, and Alice learns, vouched for by the
 * KMS (forking), that Carol answered.
 */
static int forward_bob_to_carol(imsms_kms *k, const imsms_id *resolver,
                                const imsms_tp *ticket, imsms_id *as_idrr,
                                void *ud) {
  size_t i;

  (void)k;
  (void)ud;
  for (i = 0; i < ticket->nresponders; i++) {
    if (net_same(&ticket->responders[i], resolver) ||
        (net_same(&ticket->responders[i], &NET_BOB) &&
         net_same(resolver, &NET_CAROL))) {
      *as_idrr = *resolver;
      return 0;
    }
  }
  return IMSMS_ERR_KMS_DENIED;
}

START_TEST(test_retargeting) {
  const alg_set *a = &algs[_i];
  imsms_tp tp = net_tp(a->prf, FORK, &NET_BOB, 1);
  imsms_id peer;

  /* Without a forwarding rule: refused at resolve, Alice told. */
  new_alice(actx, &A, a, &tp, 3);
  alice_offers(&A);
  new_responder(bctx, &B, &NET_CAROL, a->bob_suites, 3, 0);
  ck_assert_int_eq(net_deliver(&A, &B, NET_NOW), 0);
  ck_assert_int_eq(net_kms_round(&K, &B, NET_NOW), IMSMS_ERR_KMS_DENIED);
  ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_FAILED);
  net_ue_free(&A);
  net_ue_free(&B);

  /* The KMS policy forwards Bob's calls to Carol. */
  K.authorize_resolve = forward_bob_to_carol;
  net_kms_policy(&K, NULL);
  new_alice(actx, &A, a, &tp, 3);
  alice_offers(&A);
  new_responder(bctx, &B, &NET_CAROL, a->bob_suites, 3, 0);
  responder_resolves(&A, &B);
  ck_assert_int_eq(net_deliver(&B, &A, NET_NOW + NET_SEC), 0);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_DONE);
  ck_assert_int_eq(imsms_call_peer(A.call, &peer), 0);
  ck_assert(net_same(&peer, &NET_CAROL));
  ck_assert_str_eq(A.peer, "sip:carol@example.net");
  assert_same_master(A.call, B.call, 1, 1);
  media(A.call, B.call, 1, 1);
  media(B.call, A.call, 2, 1);
  /* Bob, named by the ticket, still resolves, with other keys. */
  new_responder(b2ctx, &B2, &NET_BOB, a->bob_suites, 3, 0);
  responder_resolves(&A, &B2);
  media(A.call, B2.call, 1, 0);
}
END_TEST

/* A policy that shortens the validity (K set), or denies. */
static int narrow(imsms_kms *k, const imsms_id *req, const imsms_tp *asked,
                  imsms_tp *granted, void *ud) {
  (void)k;
  (void)req;
  (void)asked;
  (void)ud;
  granted->has_end = 1;
  granted->end = NET_NOW + 600 * NET_SEC;
  return 0;
}

static int deny(imsms_kms *k, const imsms_id *req, const imsms_tp *asked,
                imsms_tp *granted, void *ud) {
  (void)k;
  (void)req;
  (void)asked;
  (void)granted;
  (void)ud;
  return IMSMS_ERR_KMS_DENIED;
}

/*
 * A narrower grant (shorter validity, K set) is acceptable and reaches
 * the Responder; a denial ends the call.
 */
START_TEST(test_request_policy) {
  const alg_set *a = &algs[0];
  imsms_tp tp = net_tp(a->prf, FORK, &NET_BOB, 1);

  net_kms_policy(&K, _i ? deny : narrow);
  new_alice(actx, &A, a, &tp, 3);
  ck_assert_int_eq(imsms_call_start(A.call, NET_NOW), 0);
  if (_i) {
    ck_assert_int_eq(net_kms_round(&K, &A, NET_NOW), IMSMS_ERR_KMS_DENIED);
    ck_assert_int_eq(A.mikey_error, IMSMS_MIKEY_ERR_AUTH_FAILURE);
    ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_FAILED);
    ck_assert_int_eq(A.nerror, 1);
    ck_assert_uint_eq(A.to_peer.n, 0);
    return;
  }
  ck_assert_int_eq(net_kms_round(&K, &A, NET_NOW), 0);
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  responder_resolves(&A, &B);
  ck_assert_int_eq(net_deliver(&B, &A, NET_NOW), 0);
  assert_same_master(A.call, B.call, 1, 1);
  /* The granted end holds at the Responder: a late offer is refused. */
  net_ue_free(&B);
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 3600);
  ck_assert_int_eq(imsms_call_recv(B.call, A.to_peer.msg[0], A.to_peer.len[0],
                                   NET_NOW + 601 * NET_SEC),
                   IMSMS_ERR_TICKET_EXPIRED);
}
END_TEST

/* A ticket whose validity ended: refused before the KMS is asked. */
START_TEST(test_expired_ticket) {
  const alg_set *a = &algs[0];
  imsms_tp tp = net_tp(a->prf, FLAGS, &NET_BOB, 1);

  tp.has_end = 1;
  tp.end = NET_NOW + 60 * NET_SEC;
  new_alice(actx, &A, a, &tp, 3);
  /* Bob's clock may be off by an hour; the ticket still counts. */
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 3600);
  alice_offers(&A);
  ck_assert_int_eq(net_deliver(&A, &B, NET_NOW + 120 * NET_SEC),
                   IMSMS_ERR_TICKET_EXPIRED);
  ck_assert_uint_eq(B.to_kms.n, 0);
  ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_FAILED);
  ck_assert_int_eq(net_deliver(&B, &A, NET_NOW + 120 * NET_SEC),
                   IMSMS_ERR_MIKEY_PEER_ERROR);
  ck_assert_int_eq(imsms_call_peer_error(A.call),
                   IMSMS_MIKEY_ERR_INVALID_TPPAR);
}
END_TEST

/* A stale TRANSFER_INIT (outside the skew window) is refused early. */
START_TEST(test_stale_transfer_init) {
  const alg_set *a = &algs[0];
  imsms_tp tp = net_tp(a->prf, FLAGS, &NET_BOB, 1);

  new_alice(actx, &A, a, &tp, 3);
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  alice_offers(&A);
  ck_assert_int_eq(net_deliver(&A, &B, NET_NOW + 301 * NET_SEC),
                   IMSMS_ERR_MIKEY_STALE);
  ck_assert_uint_eq(B.to_kms.n, 0);
  ck_assert_int_eq(net_deliver(&B, &A, NET_NOW), IMSMS_ERR_MIKEY_PEER_ERROR);
  ck_assert_int_eq(imsms_call_peer_error(A.call), IMSMS_MIKEY_ERR_INVALID_TS);
}
END_TEST

/* SPs Bob cannot accept: an Error message listing his, no KMS contact. */
START_TEST(test_sps_refused) {
  static const int offered[] = {IMSMS_SRTP_AES_192_CM_HMAC_SHA1_80};
  static const int bob[] = {IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80,
                            IMSMS_SRTP_AEAD_AES_128_GCM};
  alg_set a = algs[0];
  imsms_tp tp = net_tp(a.prf, FLAGS, &NET_BOB, 1);
  int suites[4];

  a.out_suite[0] = offered[0];
  new_alice(actx, &A, &a, &tp, 1);
  new_responder(bctx, &B, &NET_BOB, bob, 2, 0);
  alice_offers(&A);
  ck_assert_int_eq(net_deliver(&A, &B, NET_NOW), IMSMS_ERR_MIKEY_SP_PARAM);
  ck_assert_uint_eq(B.to_kms.n, 0);
  ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_FAILED);
  ck_assert_uint_eq(B.to_peer.n, 1);
  ck_assert_int_eq(net_deliver(&B, &A, NET_NOW), IMSMS_ERR_MIKEY_PEER_ERROR);
  ck_assert_int_eq(imsms_call_peer_error(A.call),
                   IMSMS_MIKEY_ERR_INVALID_SPPAR);
  /* Bob's suites, in his order, then TLS (not an SRTP suite). */
  ck_assert_int_eq(imsms_call_peer_suites(A.call, suites, 4), 2);
  ck_assert_int_eq(suites[0], bob[0]);
  ck_assert_int_eq(suites[1], bob[1]);
}
END_TEST

/* KMS answers crossed between two calls: discarded, then delivered. */
START_TEST(test_kms_reply_for_another_call) {
  const alg_set *a = &algs[_i];
  imsms_tp tp = net_tp(a->prf, FORK, &NET_BOB, 1);
  uint8_t r1[NET_MSG], r2[NET_MSG];
  size_t l1, l2;

  new_alice(actx, &A, a, &tp, 3);
  new_alice(b2ctx, &B2, a, &tp, 3);
  ck_assert_int_eq(imsms_call_start(A.call, NET_NOW), 0);
  ck_assert_int_eq(imsms_call_start(B2.call, NET_NOW), 0);
  l1 = net_take(&A.to_kms, buf);
  ck_assert_int_eq(
      imsms_kms_handle(K.kms, buf, l1, NET_NOW, r1, sizeof(r1), &l1), 0);
  l2 = net_take(&B2.to_kms, buf);
  ck_assert_int_eq(
      imsms_kms_handle(K.kms, buf, l2, NET_NOW, r2, sizeof(r2), &l2), 0);
  ck_assert_int_eq(imsms_call_recv(A.call, r2, l2, NET_NOW),
                   IMSMS_ERR_MIKEY_CSB_ID);
  ck_assert_int_eq(imsms_call_recv(B2.call, r1, l1, NET_NOW),
                   IMSMS_ERR_MIKEY_CSB_ID);
  ck_assert_int_eq(imsms_call_recv(A.call, r1, l1, NET_NOW), 0);
  ck_assert_int_eq(imsms_call_recv(B2.call, r2, l2, NET_NOW), 0);
  net_ue_free(&B2);

  /* Two devices resolving: each takes only its own RESOLVE_RESP. */
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  new_responder(b2ctx, &B2, &NET_BOB, a->bob_suites, 3, 0);
  ck_assert_int_eq(
      imsms_call_recv(B.call, A.to_peer.msg[0], A.to_peer.len[0], NET_NOW), 0);
  ck_assert_int_eq(
      imsms_call_recv(B2.call, A.to_peer.msg[0], A.to_peer.len[0], NET_NOW), 0);
  l1 = net_take(&B.to_kms, buf);
  ck_assert_int_eq(
      imsms_kms_handle(K.kms, buf, l1, NET_NOW, r1, sizeof(r1), &l1), 0);
  l2 = net_take(&B2.to_kms, buf);
  ck_assert_int_eq(
      imsms_kms_handle(K.kms, buf, l2, NET_NOW, r2, sizeof(r2), &l2), 0);
  ck_assert_int_eq(imsms_call_recv(B.call, r2, l2, NET_NOW),
                   IMSMS_ERR_MIKEY_CSB_ID);
  ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_WAIT_RESOLVE_RESP);
  ck_assert_int_eq(imsms_call_recv(B.call, r1, l1, NET_NOW), 0);
  ck_assert_int_eq(imsms_call_recv(B2.call, r2, l2, NET_NOW), 0);
  ck_assert_int_eq(net_deliver(&B, &A, NET_NOW), 0);
  assert_same_master(A.call, B.call, 1, 1);
}
END_TEST

/* A pending exchange that runs too long is reported. */
START_TEST(test_expiry) {
  const alg_set *a = &algs[0];
  imsms_tp tp = net_tp(a->prf, FLAGS, &NET_BOB, 1);

  new_alice(actx, &A, a, &tp, 3);
  ck_assert_int_eq(imsms_call_expired(A.call, NET_NOW + 3600 * NET_SEC), 0);
  ck_assert_int_eq(imsms_call_start(A.call, NET_NOW), 0);
  ck_assert_int_eq(imsms_call_expired(A.call, NET_NOW + 30 * NET_SEC), 0);
  ck_assert_int_ne(imsms_call_expired(A.call, NET_NOW + 31 * NET_SEC), 0);
  /* The clock runs per exchange: the Transfer wait starts afresh. */
  ck_assert_int_eq(net_kms_round(&K, &A, NET_NOW + 10 * NET_SEC), 0);
  ck_assert_int_eq(imsms_call_expired(A.call, NET_NOW + 31 * NET_SEC), 0);
  ck_assert_int_ne(imsms_call_expired(A.call, NET_NOW + 41 * NET_SEC), 0);
  ck_assert_int_eq(imsms_call_expired(NULL, NET_NOW), 0);
}
END_TEST

/* A failing transport ends the call. */
START_TEST(test_send_failure) {
  const alg_set *a = &algs[0];
  imsms_tp tp = net_tp(a->prf, FLAGS, &NET_BOB, 1);

  new_alice(actx, &A, a, &tp, 3);
  A.fail_send = 1;
  ck_assert_int_eq(imsms_call_start(A.call, NET_NOW),
                   IMSMS_ERR_CALLBACK_FAILURE);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_FAILED);
  ck_assert_int_eq(A.error, IMSMS_ERR_CALLBACK_FAILURE);
  ck_assert_int_eq(imsms_call_start(A.call, NET_NOW),
                   IMSMS_ERR_MIKEY_UNEXPECTED);
}
END_TEST

/* Configurations the call refuses. */
START_TEST(test_config_checks) {
  const alg_set *a = &algs[0];
  imsms_tp tp = net_tp(a->prf, FLAGS, &NET_BOB, 1);
  imsms_call_config cfg =
      net_config(&NET_ALICE, NET_PSK_ALICE, sizeof(NET_PSK_ALICE));
  imsms_call_callbacks cb;
  imsms_call *c = NULL;
  static const int bad_suite[] = {99};

  net_callbacks(&cb);
  alice_sessions(a);
  cfg.tp = &tp;
  cfg.sessions = sessions;
  cfg.nsessions = 3;
  ck_assert_int_eq(imsms_call_new_initiator(NULL, actx, &cfg, &cb, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  cfg.version = 2;
  ck_assert_int_eq(imsms_call_new_initiator(&c, actx, &cfg, &cb, NULL),
                   IMSMS_ERR_VERSION);
  cfg.version = IMSMS_CALL_CONFIG_V1;
  cfg.psklen = 8;
  ck_assert_int_eq(imsms_call_new_initiator(&c, actx, &cfg, &cb, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  cfg.psklen = sizeof(NET_PSK_ALICE);
  sessions[1].cs_id = 1;
  ck_assert_int_eq(imsms_call_new_initiator(&c, actx, &cfg, &cb, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  sessions[1].cs_id = 2;
  sessions[1].suites = bad_suite;
  sessions[1].nsuites = 1;
  ck_assert_int_eq(imsms_call_new_initiator(&c, actx, &cfg, &cb, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  alice_sessions(a);
  sessions[0].prot_type = IMSMS_MIKEY_PROT_TLS;
  ck_assert_int_eq(imsms_call_new_initiator(&c, actx, &cfg, &cb, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  alice_sessions(a);
  tp.flags = IMSMS_TP_D | IMSMS_TP_G; /* G without F */
  ck_assert_int_eq(imsms_call_new_initiator(&c, actx, &cfg, &cb, NULL),
                   IMSMS_ERR_MIKEY_TP);
  tp.flags = FLAGS;
  cfg.max_msg_len = 100;
  ck_assert_int_eq(imsms_call_new_initiator(&c, actx, &cfg, &cb, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  cfg.max_msg_len = 0;
  /* Both send callbacks are optional (imsms_call_kms_sync(), SDP). */
  cb.send_to_kms = NULL;
  cb.send_to_peer = NULL;
  ck_assert_int_eq(imsms_call_new_initiator(&c, actx, &cfg, &cb, NULL), 0);
  imsms_call_del(c);
  c = NULL;
  net_callbacks(&cb);
  /* A Responder needs something to accept, and cannot start. */
  cfg.tp = NULL;
  cfg.sessions = NULL;
  cfg.nsessions = 0;
  ck_assert_int_eq(imsms_call_new_responder(&c, actx, &cfg, &cb, &B),
                   IMSMS_ERR_INVALID_ARGUMENT);
  cfg.accept_tls = 1;
  ck_assert_int_eq(imsms_call_new_responder(&c, actx, &cfg, &cb, &B), 0);
  ck_assert_int_eq(imsms_call_start(c, NET_NOW), IMSMS_ERR_MIKEY_UNEXPECTED);
  ck_assert_int_eq(imsms_call_get_state(c), IMSMS_CALL_IDLE);
  ck_assert_int_eq(imsms_call_recv(c, NULL, 0, NET_NOW),
                   IMSMS_ERR_INVALID_ARGUMENT);
  /* An Error message to an idle Responder is not an offer. */
  buf[0] = 1;
  buf[1] = IMSMS_MIKEY_ERROR;
  ck_assert_int_lt(imsms_call_recv(c, buf, 2, NET_NOW), 0);
  imsms_call_del(c);
  imsms_call_del(NULL);
  ck_assert_int_eq(imsms_call_get_state(NULL), IMSMS_CALL_FAILED);
}
END_TEST

/*
 * Fail allocation N of a whole call (KMS engine, Initiator, Responder on
 * fresh contexts) for every N: clean errors, no leak. Then the call
 * completes, and a second call on the warm contexts allocates only the
 * two call objects, one block each.
 */
static int whole_call(imsms_ctx *kc, imsms_ctx *ac, imsms_ctx *bc, net_kms *k,
                      net_ue *a, net_ue *b) {
  imsms_tp tp = net_tp(algs[0].prf, FORK | IMSMS_TP_G, &NET_BOB, 1);
  imsms_call_config cfg =
      net_config(&NET_ALICE, NET_PSK_ALICE, sizeof(NET_PSK_ALICE));
  size_t psklen;
  const uint8_t *psk = net_psk(&NET_BOB, &psklen);
  imsms_call_config bcfg = net_config(&NET_BOB, psk, psklen);
  imsms_call_callbacks cb;
  int rv;

  (void)kc;
  net_callbacks(&cb);
  alice_sessions(&algs[0]);
  cfg.tp = &tp;
  cfg.sessions = sessions;
  cfg.nsessions = 3;
  bcfg.suites = algs[0].bob_suites;
  bcfg.nsuites = 3;
  bcfg.accept_tls = 1;
  if ((rv = imsms_call_new_initiator(&a->call, ac, &cfg, &cb, a)) != 0 ||
      (rv = imsms_call_new_responder(&b->call, bc, &bcfg, &cb, b)) != 0 ||
      (rv = imsms_call_start(a->call, NET_NOW)) != 0 ||
      (rv = net_kms_round(k, a, NET_NOW)) != 0 ||
      (rv = net_deliver(a, b, NET_NOW)) != 0 ||
      (rv = net_kms_round(k, b, NET_NOW)) != 0) {
    return rv;
  }
  return net_deliver(b, a, NET_NOW);
}

START_TEST(test_allocation_failures) {
  imsms_failmalloc fm;
  imsms_det_provider dp;
  imsms_ctx *kc, *ac, *bc;
  long n;
  int rv = -1;

  imsms_det_provider_init(&dp, 7);
  for (n = 0; n < 2000 && rv != 0; n++) {
    imsms_failmalloc_init(&fm, -1);
    ck_assert_int_eq(imsms_ctx_new(&kc, &fm.mem, &dp.vt, NULL, NULL), 0);
    ck_assert_int_eq(imsms_ctx_new(&ac, &fm.mem, &dp.vt, NULL, NULL), 0);
    ck_assert_int_eq(imsms_ctx_new(&bc, &fm.mem, &dp.vt, NULL, NULL), 0);
    net_kms_free(&K);
    net_kms_init(&K, kc, rctx);
    fm.calls = 0;
    fm.fail_at = n;
    rv = whole_call(kc, ac, bc, &K, &A, &B);
    fm.fail_at = -1;
    if (fm.failed) {
      ck_assert_msg(rv == IMSMS_ERR_NOMEM || rv == K.last_rv,
                    "allocation %ld: %d", n, rv);
      ck_assert_int_ne(rv, 0);
    }
    if (rv == 0) {
      assert_same_master(A.call, B.call, 1, 1);
      assert_same_msrp(A.call, B.call);
      /* Warm contexts: a second call allocates its objects only. */
      net_ue_free(&A);
      net_ue_free(&B);
      fm.calls = 0;
      ck_assert_int_eq(whole_call(kc, ac, bc, &K, &A, &B), 0);
      ck_assert_int_eq(fm.calls, 2);
    }
    net_ue_free(&A);
    net_ue_free(&B);
    net_kms_free(&K);
    imsms_ctx_del(kc);
    imsms_ctx_del(ac);
    imsms_ctx_del(bc);
    ck_assert_int_eq(fm.live, 0);
  }
  ck_assert_int_eq(rv, 0);
  ck_assert_int_gt(n, 4);
  /* The fixture's teardown frees K again: give it a fresh one. */
  net_kms_init(&K, kctx, rctx);
}
END_TEST

/* ---- Keys the UEs supply (flags L and M) --------------------------------- */

static const uint8_t OWN_TEK[16] = "pre-encrypted!!";
static const uint8_t OWN_SALT[14] = "content salt.";
static const uint8_t OWN_SPI[4] = {0xC0, 0x47, 0xE7, 0x01};
static const uint8_t BOB_TGK[32] = "bob's own TGK for his stream...";
static const uint8_t BOB_SPI[2] = {0xB0, 0xB1};

/* Bob, supplying |key| for session 2 (the stream he sends). */
static void new_bob_with_key(const alg_set *a, const imsms_call_key_spec *key) {
  size_t psklen;
  const uint8_t *psk = net_psk(&NET_BOB, &psklen);
  imsms_call_config cfg = net_config(&NET_BOB, psk, psklen);
  imsms_call_session fill;
  imsms_call_callbacks cb;

  net_callbacks(&cb);
  memset(&fill, 0, sizeof(fill));
  fill.cs_id = 2;
  fill.ssrc = SSRC_B;
  fill.key_spi = key->spi;
  fill.key_spi_len = key->spi_len;
  cfg.suites = a->bob_suites;
  cfg.nsuites = 3;
  cfg.accept_tls = 1;
  cfg.sessions = &fill;
  cfg.nsessions = 1;
  cfg.keys = key;
  cfg.nkeys = 1;
  ck_assert_int_eq(imsms_call_new_responder(&B.call, bctx, &cfg, &cb, &B), 0);
}

static int clear_l(imsms_kms *k, const imsms_id *req, const imsms_tp *asked,
                   imsms_tp *granted, void *ud) {
  (void)k;
  (void)req;
  (void)asked;
  (void)ud;
  granted->flags = (uint16_t)(granted->flags & ~IMSMS_TP_L);
  return 0;
}

/*
 * L: Alice streams pre-encrypted content with a TEK of her own (RFC 6043
 * 4.2.2.1) on session 1: the KEMAC of TRANSFER_INIT carries it, never
 * forked (the ticket allows forking), and it is the SRTP master key on
 * both sides; session 2 keeps the ticket's forked TGK. M: Bob supplies
 * the TGK of session 2 in TRANSFER_RESP.
 */
START_TEST(test_ue_supplied_keys) {
  const alg_set *a = &algs[_i];
  imsms_tp tp = net_tp(a->prf, FORK | IMSMS_TP_L | IMSMS_TP_M, &NET_BOB, 1);
  imsms_call_key_spec own = {IMSMS_MIKEY_KEY_TEK_SALT, OWN_TEK, 16, OWN_SALT,
                             14, OWN_SPI, 4};
  imsms_call_key_spec bobs = {IMSMS_MIKEY_KEY_TGK, BOB_TGK, 32, NULL, 0,
                              BOB_SPI, 2};
  static const int aes128[1] = {IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80};
  imsms_call_config cfg =
      net_config(&NET_ALICE, NET_PSK_ALICE, sizeof(NET_PSK_ALICE));
  imsms_call_callbacks cb;
  imsms_cs_master m;

  net_callbacks(&cb);
  alice_sessions(a);
  sessions[0].suites = aes128; /* the TEK is an AES-128 master key */
  sessions[0].key_spi = OWN_SPI;
  sessions[0].key_spi_len = 4;
  cfg.tp = &tp;
  cfg.sessions = sessions;
  cfg.nsessions = 3;
  cfg.keys = &own;
  cfg.nkeys = 1;
  ck_assert_int_eq(imsms_call_new_initiator(&A.call, actx, &cfg, &cb, &A), 0);
  /* Bob brings the key of the stream he sends (session 2). */
  new_bob_with_key(a, &bobs);
  alice_offers(&A);
  responder_resolves(&A, &B);
  ck_assert_int_eq(net_deliver(&B, &A, NET_NOW + NET_SEC), 0);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_DONE);
  assert_same_master(A.call, B.call, 1, 1);
  assert_same_master(A.call, B.call, 2, 1);
  assert_same_msrp(A.call, B.call);
  /* Session 1 runs on Alice's TEK itself, with its SPI as MKI. */
  ck_assert_int_eq(imsms_call_cs_master(B.call, 1, &m), 0);
  ck_assert_uint_eq(m.key_len, 16);
  ck_assert_mem_eq(m.key, OWN_TEK, 16);
  ck_assert_mem_eq(m.salt, OWN_SALT, 14);
  ck_assert_uint_eq(m.mki_len, 4);
  ck_assert_mem_eq(m.mki, OWN_SPI, 4);
  /* Session 2 is keyed from Bob's TGK (MKI: his SPI). */
  ck_assert_int_eq(imsms_call_cs_master(A.call, 2, &m), 0);
  ck_assert_uint_eq(m.mki_len, 2);
  ck_assert_mem_eq(m.mki, BOB_SPI, 2);
  imsms_secure_clear(&m, sizeof(m));
  media(A.call, B.call, 1, 1);
  media(B.call, A.call, 2, 1);
  /* Bob's mobile, not the answering device, gets Alice's TEK too (it is
   * under MPKi, for every authorised resolver), but not Bob's TGK. */
  new_responder(b2ctx, &B2, &NET_BOB, a->bob_suites, 3, 0);
  responder_resolves(&A, &B2);
  assert_same_master(A.call, B2.call, 1, 1);
  {
    imsms_cs_master x, y;

    ck_assert_int_eq(imsms_call_cs_master(A.call, 2, &x), 0);
    ck_assert_int_eq(imsms_call_cs_master(B2.call, 2, &y), 0);
    ck_assert_int_ne(memcmp(x.key, y.key, x.key_len), 0);
    ck_assert_int_ne(memcmp(x.mki, y.mki, x.mki_len < y.mki_len ? x.mki_len
                                                                : y.mki_len),
                     0);
    imsms_secure_clear(&x, sizeof(x));
    imsms_secure_clear(&y, sizeof(y));
  }
}
END_TEST

/* L not granted: Alice cannot send her keys; M not in the ticket: Bob's
 * keys stay home; malformed supplied keys are refused at creation. */
START_TEST(test_ue_supplied_keys_refused) {
  const alg_set *a = &algs[0];
  imsms_tp tp = net_tp(a->prf, FLAGS | IMSMS_TP_L, &NET_BOB, 1);
  imsms_call_key_spec own = {IMSMS_MIKEY_KEY_TEK_SALT, OWN_TEK, 16, OWN_SALT,
                             14, OWN_SPI, 4};
  imsms_call_key_spec bobs = {IMSMS_MIKEY_KEY_TGK, BOB_TGK, 32, NULL, 0,
                              BOB_SPI, 2};
  imsms_call_config cfg =
      net_config(&NET_ALICE, NET_PSK_ALICE, sizeof(NET_PSK_ALICE));
  imsms_call_callbacks cb;
  imsms_call *c;
  imsms_cs_master m;

  net_callbacks(&cb);
  alice_sessions(a);
  sessions[0].key_spi = OWN_SPI;
  sessions[0].key_spi_len = 4;
  cfg.tp = &tp;
  cfg.sessions = sessions;
  cfg.nsessions = 3;
  cfg.keys = &own;
  cfg.nkeys = 1;
  /* The KMS clears L: the offer cannot be built. */
  net_kms_policy(&K, clear_l);
  ck_assert_int_eq(imsms_call_new_initiator(&A.call, actx, &cfg, &cb, &A), 0);
  ck_assert_int_eq(imsms_call_start(A.call, NET_NOW), 0);
  ck_assert_int_eq(net_kms_round(&K, &A, NET_NOW), IMSMS_ERR_MIKEY_TP);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_FAILED);
  net_ue_free(&A);
  /* Creation checks. */
  tp.flags = FLAGS; /* no L asked */
  ck_assert_int_eq(imsms_call_new_initiator(&c, actx, &cfg, &cb, NULL),
                   IMSMS_ERR_MIKEY_TP);
  tp.flags = FLAGS | IMSMS_TP_L;
  own.key_len = 8;
  ck_assert_int_eq(imsms_call_new_initiator(&c, actx, &cfg, &cb, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  own.key_len = 16;
  own.type = IMSMS_MIKEY_KEY_MPK;
  ck_assert_int_eq(imsms_call_new_initiator(&c, actx, &cfg, &cb, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  own.type = IMSMS_MIKEY_KEY_TEK; /* a salt without +SALT */
  ck_assert_int_eq(imsms_call_new_initiator(&c, actx, &cfg, &cb, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  own.type = IMSMS_MIKEY_KEY_TEK_SALT;
  sessions[0].key_spi = BOB_SPI; /* no such key */
  sessions[0].key_spi_len = 2;
  ck_assert_int_eq(imsms_call_new_initiator(&c, actx, &cfg, &cb, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  /* Bob's key with the SPI of Alice's: refused at Bob, never sent. */
  net_kms_policy(&K, NULL);
  tp.flags = FLAGS | IMSMS_TP_L | IMSMS_TP_M;
  sessions[0].key_spi = OWN_SPI;
  sessions[0].key_spi_len = 4;
  ck_assert_int_eq(imsms_call_new_initiator(&A.call, actx, &cfg, &cb, &A), 0);
  {
    imsms_call_key_spec clash = bobs;

    clash.spi = OWN_SPI;
    clash.spi_len = 4;
    new_bob_with_key(a, &clash);
  }
  alice_offers(&A);
  ck_assert_int_eq(net_deliver(&A, &B, NET_NOW), 0);
  ck_assert_int_eq(net_kms_round(&K, &B, NET_NOW), IMSMS_ERR_MIKEY_KEY_DATA);
  ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_FAILED);
  net_ue_free(&A);
  net_ue_free(&B);
  /* M absent: Bob's key is not used, nor sent. */
  tp.flags = FLAGS;
  cfg.keys = NULL;
  cfg.nkeys = 0;
  sessions[0].key_spi = NULL;
  sessions[0].key_spi_len = 0;
  ck_assert_int_eq(imsms_call_new_initiator(&A.call, actx, &cfg, &cb, &A), 0);
  new_bob_with_key(a, &bobs);
  alice_offers(&A);
  responder_resolves(&A, &B);
  ck_assert_int_eq(net_deliver(&B, &A, NET_NOW + NET_SEC), 0);
  assert_same_master(A.call, B.call, 2, 1);
  ck_assert_int_eq(imsms_call_cs_master(A.call, 2, &m), 0);
  ck_assert(m.mki_len != 2 || memcmp(m.mki, BOB_SPI, 2) != 0);
  imsms_secure_clear(&m, sizeof(m));
}
END_TEST

/* ---- CSB update (RFC 6043 5.2) ------------------------------------------- */

/* The MKI of session |cs_id| of |c|, as a 32-bit number. */
static uint32_t mki_of(const imsms_call *c, uint8_t cs_id) {
  imsms_cs_master m;
  uint32_t v = 0;
  size_t i;

  ck_assert_int_eq(imsms_call_cs_master(c, cs_id, &m), 0);
  for (i = 0; i < m.mki_len; i++) {
    v = v << 8 | m.mki[i];
  }
  imsms_secure_clear(&m, sizeof(m));
  return v;
}

/* A completed call Alice -> Bob, queues emptied. */
static void done_call(const alg_set *a, imsms_tp *tp) {
  new_alice(actx, &A, a, tp, 3);
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  alice_offers(&A);
  responder_resolves(&A, &B);
  ck_assert_int_eq(net_deliver(&B, &A, NET_NOW + NET_SEC), 0);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_DONE);
  A.nready = B.nready = 0;
  A.to_peer.n = B.to_peer.n = 0;
}

/*
 * Rekeying by either side, with and without an answer, forking or not,
 * both algorithm sets: the keys and the MKI change, media flows under the
 * new keys, and the old keys no longer decrypt new packets.
 */
START_TEST(test_csb_update) {
  const alg_set *a = &algs[_i % 2];
  imsms_tp tp = net_tp(a->prf,
                       (_i < 2 ? FLAGS : FORK) | IMSMS_TP_L | IMSMS_TP_M,
                       &NET_BOB, 1);
  imsms_cs_master before;
  uint32_t mki0;
  int i;

  done_call(a, &tp);
  mki0 = mki_of(A.call, 1);
  ck_assert_int_eq(imsms_call_cs_master(A.call, 1, &before), 0);
  /* Alice rekeys and wants an answer: she switches when it comes. */
  ck_assert_int_eq(imsms_call_update(A.call, 1, NET_NOW + 10 * NET_SEC), 0);
  ck_assert_uint_eq(A.to_peer.n, 1);
  ck_assert_uint_eq(A.nready, 0);
  /* The update is no TRANSFER_INIT for an SDP offer. */
  {
    static const char base[] = "v=0\r\nm=audio 4000 RTP/AVP 0\r\n";
    imsms_sdp_policy pol;
    imsms_sdp_result r[1];
    char out[4096];
    size_t nr;

    memset(&pol, 0, sizeof(pol));
    pol.version = IMSMS_SDP_POLICY_V1;
    pol.audio = IMSMS_SDP_POLICY_REQUIRE_E2E;
    ck_assert_int_eq(imsms_call_sdp_offer(A.call, base, sizeof(base) - 1, &pol,
                                          NULL, 0, out, sizeof(out), r, 1,
                                          &nr),
                     IMSMS_ERR_MIKEY_UNEXPECTED);
  }
  ck_assert_uint_eq(mki_of(A.call, 1), mki0);
  ck_assert_int_eq(net_deliver(&A, &B, NET_NOW + 10 * NET_SEC), 0);
  ck_assert_uint_eq(B.nready, 3);
  ck_assert_uint_eq(B.to_peer.n, 1);
  ck_assert_uint_ne(mki_of(B.call, 1), mki0);
  ck_assert_int_eq(net_deliver(&B, &A, NET_NOW + 11 * NET_SEC), 0);
  ck_assert_uint_eq(A.nready, 3);
  ck_assert_uint_eq(mki_of(A.call, 1), mki_of(B.call, 1));
  assert_same_master(A.call, B.call, 1, 1);
  assert_same_master(A.call, B.call, 2, 1);
  assert_same_msrp(A.call, B.call);
  media(A.call, B.call, 1, 1);
  media(B.call, A.call, 2, 1);
  {
    imsms_cs_master after;

    ck_assert_int_eq(imsms_call_cs_master(A.call, 1, &after), 0);
    ck_assert_int_ne(memcmp(before.key, after.key, before.key_len), 0);
    imsms_secure_clear(&after, sizeof(after));
  }
  /* Bob rekeys without an answer: both switch at once, nothing back. */
  ck_assert_int_eq(imsms_call_update(B.call, 0, NET_NOW + 20 * NET_SEC), 0);
  ck_assert_int_eq(net_deliver(&B, &A, NET_NOW + 20 * NET_SEC), 0);
  ck_assert_uint_eq(A.to_peer.n, 0);
  assert_same_master(A.call, B.call, 1, 1);
  media(A.call, B.call, 1, 1);
  /* Many more: the key slots are reused. */
  for (i = 0; i < 12; i++) {
    net_ue *from = i % 2 ? &A : &B, *to = i % 2 ? &B : &A;
    imsms_tstamp t = NET_NOW + (uint64_t)(30 + i) * NET_SEC;

    from->nready = to->nready = 0;
    ck_assert_int_eq(imsms_call_update(from->call, 1, t), 0);
    ck_assert_int_eq(net_deliver(from, to, t), 0);
    ck_assert_int_eq(net_deliver(to, from, t), 0);
    ck_assert_uint_eq(from->nready, 3);
  }
  assert_same_master(A.call, B.call, 2, 1);
  media(B.call, A.call, 2, 1);
  imsms_secure_clear(&before, sizeof(before));
}
END_TEST

/* Bad updates: each refused, the keys and the call unchanged. */
START_TEST(test_csb_update_bad) {
  const alg_set *a = &algs[0];
  imsms_tp tp = net_tp(a->prf, FLAGS | IMSMS_TP_L, &NET_BOB, 1);
  uint8_t upd[NET_MSG], bad[NET_MSG];
  size_t len, i;
  uint32_t mki;

  /* Keys a UE supplies need the ticket's consent (RFC 6043 5.2): with L
   * and no M, Bob (the Responder) may not rekey; without L, nor Alice. */
  done_call(a, &tp);
  ck_assert_int_eq(imsms_call_update(B.call, 1, NET_NOW + 5 * NET_SEC),
                   IMSMS_ERR_MIKEY_TP);
  ck_assert_int_eq(imsms_call_update(A.call, 1, NET_NOW + 5 * NET_SEC), 0);
  net_ue_free(&A);
  net_ue_free(&B);
  tp.flags = FLAGS;
  done_call(a, &tp);
  ck_assert_int_eq(imsms_call_update(A.call, 1, NET_NOW + 5 * NET_SEC),
                   IMSMS_ERR_MIKEY_TP);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_DONE);
  net_ue_free(&A);
  net_ue_free(&B);
  tp.flags = FLAGS | IMSMS_TP_L | IMSMS_TP_M;
  done_call(a, &tp);
  mki = mki_of(B.call, 1);
  ck_assert_int_eq(imsms_call_update(NULL, 1, NET_NOW), IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_call_update(A.call, 1, NET_NOW + 10 * NET_SEC), 0);
  len = net_take(&A.to_peer, upd);
  /* Every byte flipped: refused, Bob keeps his keys, nothing sent. */
  for (i = 0; i < len; i++) {
    memcpy(bad, upd, len);
    bad[i] ^= 0x01;
    ck_assert_int_ne(imsms_call_recv(B.call, bad, len, NET_NOW + 10 * NET_SEC),
                     0);
    ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_DONE);
    ck_assert_uint_eq(mki_of(B.call, 1), mki);
    ck_assert_uint_eq(B.to_peer.n, 0);
  }
  /* Truncated. */
  for (i = 0; i < len; i++) {
    ck_assert_int_ne(imsms_call_recv(B.call, upd, i, NET_NOW + 10 * NET_SEC),
                     0);
  }
  ck_assert_uint_eq(mki_of(B.call, 1), mki);
  /* A NULL MAC (V payload with algorithm 0 and no MAC) is never taken,
   * for an update or for its answer (found by fuzz_call). */
  memcpy(bad, upd, len);
  bad[len - 22] = 0;
  bad[len - 21] = 0;
  ck_assert_int_eq(imsms_call_recv(B.call, bad, len - 20, NET_NOW + 10 * NET_SEC),
                   IMSMS_ERR_MIKEY_MAC_ALG);
  ck_assert_uint_eq(mki_of(B.call, 1), mki);
  /* Reflected back to Alice: older than her own update. */
  ck_assert_int_eq(imsms_call_recv(A.call, upd, len, NET_NOW + 10 * NET_SEC),
                   IMSMS_ERR_MIKEY_REPLAY);
  /* Stale (outside the skew window). */
  ck_assert_int_eq(
      imsms_call_recv(B.call, upd, len, NET_NOW + 3600 * NET_SEC),
      IMSMS_ERR_MIKEY_STALE);
  /* Accepted once, then a replay. */
  ck_assert_int_eq(imsms_call_recv(B.call, upd, len, NET_NOW + 10 * NET_SEC), 0);
  ck_assert_uint_ne(mki_of(B.call, 1), mki);
  mki = mki_of(B.call, 1);
  B.to_peer.n = 0;
  ck_assert_int_eq(imsms_call_recv(B.call, upd, len, NET_NOW + 11 * NET_SEC),
                   IMSMS_ERR_MIKEY_REPLAY);
  ck_assert_uint_eq(B.to_peer.n, 0);
  /* Crossing updates: Bob's (older) is a replay to Alice, who sent a
   * newer one; Alice's is refused by Bob, who waits for his answer. */
  A.to_peer.n = 0;
  ck_assert_int_eq(imsms_call_update(B.call, 1, NET_NOW + 20 * NET_SEC), 0);
  ck_assert_int_eq(imsms_call_update(A.call, 1, NET_NOW + 21 * NET_SEC), 0);
  ck_assert_int_eq(net_deliver(&A, &B, NET_NOW + 21 * NET_SEC),
                   IMSMS_ERR_MIKEY_UNEXPECTED);
  ck_assert_int_eq(net_deliver(&B, &A, NET_NOW + 21 * NET_SEC),
                   IMSMS_ERR_MIKEY_REPLAY);
  ck_assert_uint_eq(mki_of(B.call, 1), mki);
  /* Alice tries again (giving hers up); Bob gives his up as well and
   * takes hers. */
  ck_assert_int_eq(imsms_call_update(A.call, 1, NET_NOW + 22 * NET_SEC), 0);
  ck_assert_int_eq(net_deliver(&A, &B, NET_NOW + 22 * NET_SEC),
                   IMSMS_ERR_MIKEY_UNEXPECTED); /* Bob still waits */
  B.to_peer.n = 0;
  ck_assert_int_eq(imsms_call_update(B.call, 0, NET_NOW + 23 * NET_SEC), 0);
  ck_assert_int_eq(net_deliver(&B, &A, NET_NOW + 23 * NET_SEC),
                   IMSMS_ERR_MIKEY_UNEXPECTED); /* Alice waits */
  /* An answer with a NULL MAC, to an update that waits for one. */
  {
    uint8_t ans[NET_MSG];
    size_t alen;
    uint32_t amki;

    net_ue_free(&A);
    net_ue_free(&B);
    done_call(a, &tp);
    amki = mki_of(A.call, 1);
    ck_assert_int_eq(imsms_call_update(A.call, 1, NET_NOW + 10 * NET_SEC), 0);
    ck_assert_int_eq(net_deliver(&A, &B, NET_NOW + 10 * NET_SEC), 0);
    alen = net_take(&B.to_peer, ans);
    /* A new update refused at once (stale) keeps the pending one, on
     * whose key Bob already is. */
    ck_assert_int_eq(imsms_call_update(A.call, 1, NET_NOW + 10 * NET_SEC),
                     IMSMS_ERR_MIKEY_STALE);
    memcpy(bad, ans, alen);
    bad[alen - 22] = 0;
    bad[alen - 21] = 0;
    ck_assert_int_eq(
        imsms_call_recv(A.call, bad, alen - 20, NET_NOW + 10 * NET_SEC),
        IMSMS_ERR_MIKEY_MAC_ALG);
    ck_assert_uint_eq(mki_of(A.call, 1), amki);
    /* The real one still works. */
    ck_assert_int_eq(imsms_call_recv(A.call, ans, alen, NET_NOW + 10 * NET_SEC),
                     0);
    ck_assert_uint_ne(mki_of(A.call, 1), amki);
    ck_assert_uint_eq(mki_of(A.call, 1), mki_of(B.call, 1));
    mki = mki_of(B.call, 1);
    A.to_peer.n = B.to_peer.n = 0;
  }
  /* An answer Alice did not ask for. */
  ck_assert_int_eq(imsms_call_update(A.call, 0, NET_NOW + 24 * NET_SEC), 0);
  A.to_peer.n = 0;
  ck_assert_int_eq(imsms_call_update(A.call, 1, NET_NOW + 24 * NET_SEC),
                   IMSMS_ERR_MIKEY_STALE);
  /* Not DONE: no update. */
  net_ue_free(&B);
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  ck_assert_int_eq(imsms_call_update(B.call, 1, NET_NOW),
                   IMSMS_ERR_MIKEY_UNEXPECTED);
}
END_TEST

/*
 * White-box: an authenticated peer that breaks the rules (its own checks
 * bypassed by editing its call) is still refused, keys unchanged: an
 * update from a side the ticket does not let supply keys, and one whose
 * map changes a session's policy.
 */
START_TEST(test_csb_update_rogue_peer) {
  const alg_set *a = &algs[0];
  imsms_tp tp = net_tp(a->prf, FLAGS | IMSMS_TP_L, &NET_BOB, 1);
  uint32_t mki;
  size_t nkeys;
  int slots;

  done_call(a, &tp);
  mki = mki_of(A.call, 1);
  B.call->flags |= IMSMS_TP_M; /* Bob pretends the ticket allows him */
  ck_assert_int_eq(imsms_call_update(B.call, 0, NET_NOW + 10 * NET_SEC), 0);
  ck_assert_int_eq(net_deliver(&B, &A, NET_NOW + 10 * NET_SEC),
                   IMSMS_ERR_MIKEY_TP);
  ck_assert_uint_eq(mki_of(A.call, 1), mki);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_DONE);
  /* Alice's update names another policy for session 1: refused after
   * its key was decrypted into a slot, which is given back. */
  mki = mki_of(B.call, 1);
  nkeys = B.call->sec->nkeys;
  slots = B.call->upd_slots;
  A.call->cs[0].policy_no ^= 1;
  ck_assert_int_eq(imsms_call_update(A.call, 1, NET_NOW + 20 * NET_SEC), 0);
  ck_assert_int_lt(net_deliver(&A, &B, NET_NOW + 20 * NET_SEC), 0);
  ck_assert_uint_eq(mki_of(B.call, 1), mki);
  ck_assert_uint_eq(B.call->sec->nkeys, nkeys);
  ck_assert_int_eq(B.call->upd_slots, slots);
  ck_assert_uint_eq(B.to_peer.n, 0);
  ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_DONE);
}
END_TEST

/* ---- The synchronous KMS helper ----------------------------------------- */

typedef struct sync_kms {
  int mode; /* 0 answer, 1 silence, 2 transport failure */
  int calls;
} sync_kms;

static int transact(imsms_call *call, const uint8_t *req, size_t reqlen,
                    const uint8_t **resp, size_t *resplen, void *user_data) {
  sync_kms *s = user_data;

  (void)call;
  s->calls++;
  if (s->mode == 2) {
    return -1;
  }
  K.last_rv = imsms_kms_handle(K.kms, req, reqlen, NET_NOW, K.out,
                               sizeof(K.out), &K.outlen);
  *resp = K.out;
  *resplen = s->mode == 1 ? 0 : K.outlen;
  return 0;
}

START_TEST(test_kms_sync) {
  const alg_set *a = &algs[0];
  imsms_tp tp = net_tp(a->prf, FLAGS, &NET_BOB, 1);
  imsms_call_config cfg =
      net_config(&NET_ALICE, NET_PSK_ALICE, sizeof(NET_PSK_ALICE));
  imsms_call_callbacks cb;
  const uint8_t *ti;
  size_t tilen;
  sync_kms s = {0, 0};

  net_callbacks(&cb);
  cb.send_to_kms = NULL;
  alice_sessions(a);
  cfg.tp = &tp;
  cfg.sessions = sessions;
  cfg.nsessions = 3;
  ck_assert_int_eq(imsms_call_new_initiator(&A.call, actx, &cfg, &cb, &A), 0);
  ck_assert_int_eq(imsms_call_kms_sync(A.call, transact, &s, NET_NOW),
                   IMSMS_ERR_MIKEY_UNEXPECTED); /* not started */
  ck_assert_int_eq(imsms_call_start(A.call, NET_NOW), 0);
  ck_assert_uint_eq(A.to_kms.n, 0); /* no send_to_kms */
  /* The KMS stays silent: the call keeps waiting. */
  s.mode = 1;
  ck_assert_int_eq(imsms_call_kms_sync(A.call, transact, &s, NET_NOW),
                   IMSMS_ERR_EOF);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_WAIT_REQUEST_RESP);
  s.mode = 0;
  ck_assert_int_eq(imsms_call_kms_sync(A.call, transact, &s, NET_NOW), 0);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_WAIT_TRANSFER_RESP);
  ck_assert_int_eq(imsms_call_peer_msg(A.call, &ti, &tilen), 0);
  /* Bob the same way. */
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  ck_assert_int_eq(imsms_call_recv(B.call, ti, tilen, NET_NOW), 0);
  ck_assert_int_eq(imsms_call_kms_sync(B.call, transact, &s, NET_NOW), 0);
  ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_DONE);
  ck_assert_int_eq(net_deliver(&B, &A, NET_NOW), 0);
  assert_same_master(A.call, B.call, 1, 1);
  ck_assert_int_eq(imsms_call_kms_sync(A.call, transact, &s, NET_NOW),
                   IMSMS_ERR_MIKEY_UNEXPECTED);
  ck_assert_int_eq(imsms_call_kms_sync(NULL, transact, &s, NET_NOW),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_call_kms_sync(A.call, NULL, &s, NET_NOW),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(s.calls, 3);
  /* A transport failure ends the call. */
  net_ue_free(&B);
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  ck_assert_int_eq(imsms_call_recv(B.call, ti, tilen, NET_NOW), 0);
  s.mode = 2;
  ck_assert_int_eq(imsms_call_kms_sync(B.call, transact, &s, NET_NOW),
                   IMSMS_ERR_CALLBACK_FAILURE);
  ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_FAILED);
}
END_TEST

/* ---- The call carried in SDP (RFC 4567) --------------------------------- */

static const char sdp_alice[] = "v=0\r\n"
                                "o=alice 1 1 IN IP4 192.0.2.1\r\n"
                                "s=-\r\n"
                                "c=IN IP4 192.0.2.1\r\n"
                                "t=0 0\r\n"
                                "m=audio 49170 RTP/AVP 0\r\n"
                                "m=message 7394 TCP/MSRP *\r\n";
static const char sdp_bob[] = "v=0\r\n"
                              "o=bob 2 2 IN IP4 192.0.2.2\r\n"
                              "s=-\r\n"
                              "c=IN IP4 192.0.2.2\r\n"
                              "t=0 0\r\n"
                              "m=audio 50000 RTP/AVP 0\r\n"
                              "m=message 7395 TCP/MSRP *\r\n";

static imsms_sdp_policy sdp_policy(unsigned set) {
  imsms_sdp_policy p;

  memset(&p, 0, sizeof(p));
  p.version = IMSMS_SDP_POLICY_V1;
  p.audio = p.message = set;
  return p;
}

/* Alice's offer for |tp| (SDP IDs "mikey"), through REQUEST_RESP. */
static imsms_ssize sdp_offer(const alg_set *a, imsms_tp *tp, char *offer,
                             size_t cap, unsigned set) {
  imsms_sdp_policy pol = sdp_policy(set);
  imsms_sdp_result res[2];
  size_t nres;

  new_alice(actx, &A, a, tp, 3);
  ck_assert_int_eq(imsms_call_set_sdp_ids(A.call, "mikey", 5), 0);
  alice_offers(&A);
  return imsms_call_sdp_offer(A.call, sdp_alice, strlen(sdp_alice), &pol,
                              NULL, 0, offer, cap, res, 2, &nres);
}

START_TEST(test_call_over_sdp) {
  const alg_set *a = &algs[_i];
  imsms_tp tp = net_tp(a->prf, FLAGS, &NET_BOB, 1);
  imsms_sdp_policy pol = sdp_policy(IMSMS_SDP_POLICY_PREFER_E2E);
  imsms_sdp_result res[2], rres[2];
  char offer[8192], answer[8192];
  imsms_ssize olen, alen;
  imsms_call_callbacks cb;
  size_t nres;
  const uint8_t *ti;
  size_t tilen;

  olen = sdp_offer(a, &tp, offer, sizeof(offer), IMSMS_SDP_POLICY_REQUIRE_E2E);
  ck_assert_int_gt(olen, 0);
  ck_assert_ptr_nonnull(strstr(offer, "m=audio 49170 RTP/SAVP 0\r\n"
                                      "a=key-mgmt:mikey "));
  ck_assert_ptr_nonnull(strstr(offer, "m=message 7394 TCP/TLS/MSRP *\r\n"));
  ck_assert_int_eq(imsms_call_peer_msg(A.call, &ti, &tilen), 0);
  ck_assert_uint_eq(tilen, A.to_peer.len[0]);
  ck_assert_mem_eq(ti, A.to_peer.msg[0], tilen);

  /* Bob's call sends nothing itself: the SDP carries its answer. */
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  imsms_call_del(B.call);
  {
    size_t psklen;
    const uint8_t *psk = net_psk(&NET_BOB, &psklen);
    imsms_call_config cfg = net_config(&NET_BOB, psk, psklen);

    net_callbacks(&cb);
    cb.send_to_peer = NULL;
    cfg.suites = a->bob_suites;
    cfg.nsuites = 3;
    cfg.accept_tls = 1;
    ck_assert_int_eq(imsms_call_new_responder(&B.call, bctx, &cfg, &cb, &B),
                     0);
  }
  ck_assert_int_eq(imsms_call_sdp_offer_recv(B.call, offer, (size_t)olen, &pol,
                                             res, 2, &nres, NET_NOW),
                   2);
  ck_assert_int_eq(res[0].mode, IMSMS_SDP_MODE_E2E_KMS);
  ck_assert_int_eq(res[1].mode, IMSMS_SDP_MODE_E2E_KMS);
  ck_assert_str_eq(res[0].ids, "mikey");
  ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_WAIT_RESOLVE_RESP);
  /* No answer before the keys. */
  ck_assert_int_eq(imsms_call_sdp_answer(B.call, sdp_bob, strlen(sdp_bob), res,
                                         2, NULL, 0, answer, sizeof(answer)),
                   IMSMS_ERR_MIKEY_UNEXPECTED);
  ck_assert_int_eq(net_kms_round(&K, &B, NET_NOW + NET_SEC), 0);
  ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_DONE);
  alen = imsms_call_sdp_answer(B.call, sdp_bob, strlen(sdp_bob), res, 2, NULL,
                               0, answer, sizeof(answer));
  ck_assert_int_gt(alen, 0);
  ck_assert_uint_eq(B.to_peer.n, 0);
  ck_assert_int_eq(imsms_call_sdp_answer_recv(
                       A.call, offer, (size_t)olen, answer, (size_t)alen, &pol,
                       rres, 2, &nres, NET_NOW + 2 * NET_SEC),
                   2);
  ck_assert_int_eq(rres[0].mode, IMSMS_SDP_MODE_E2E_KMS);
  ck_assert_int_eq(rres[0].reason, IMSMS_SDP_REASON_ANSWERED);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_DONE);
  assert_same_master(A.call, B.call, 1, 1);
  assert_same_master(A.call, B.call, 2, 1);
  assert_same_msrp(A.call, B.call);
  media(A.call, B.call, 1, 1);
  media(B.call, A.call, 2, 1);
  /* A second answer is refused and changes nothing. */
  ck_assert_int_eq(imsms_call_sdp_answer_recv(
                       A.call, offer, (size_t)olen, answer, (size_t)alen, &pol,
                       rres, 2, &nres, NET_NOW + 2 * NET_SEC),
                   IMSMS_ERR_MIKEY_UNEXPECTED);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_DONE);
  /* Nor is one without TRANSFER_RESP (another device's, say): the
   * ticket has F, so an e2e answer must carry one. */
  ck_assert_int_eq(imsms_call_sdp_answer_recv(
                       A.call, offer, (size_t)olen,
                       "v=0\r\nm=audio 50000 RTP/SAVP 0\r\n"
                       "m=message 7395 TCP/TLS/MSRP *\r\n",
                       62, &pol, rres, 2, &nres, NET_NOW + 2 * NET_SEC),
                   IMSMS_ERR_MIKEY_MISSING);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_DONE);
}
END_TEST

/* A one-way TRANSFER_INIT (F clear) through SDP: no TRANSFER_RESP in the
 * answer, and the Initiator accepts the e2e lines without one. */
START_TEST(test_call_over_sdp_one_way) {
  const alg_set *a = &algs[0];
  imsms_tp tp =
      net_tp(a->prf, IMSMS_TP_D | IMSMS_TP_E | IMSMS_TP_H, &NET_BOB, 1);
  imsms_sdp_policy pol = sdp_policy(IMSMS_SDP_POLICY_REQUIRE_E2E);
  static const char one[] = "v=0\r\n"
                            "o=alice 1 1 IN IP4 192.0.2.1\r\n"
                            "s=-\r\n"
                            "t=0 0\r\n"
                            "m=audio 49170 RTP/AVP 0\r\n";
  static const char one_b[] = "v=0\r\n"
                              "o=bob 2 2 IN IP4 192.0.2.2\r\n"
                              "s=-\r\n"
                              "t=0 0\r\n"
                              "m=audio 50000 RTP/AVP 0\r\n";
  imsms_sdp_result res[1];
  char offer[4096], answer[4096];
  imsms_ssize olen, alen;
  size_t nres;

  new_alice(actx, &A, a, &tp, 1);
  ck_assert_int_eq(imsms_call_set_sdp_ids(A.call, "mikey", 5), 0);
  alice_offers(&A);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_DONE);
  olen = imsms_call_sdp_offer(A.call, one, strlen(one), &pol, NULL, 0, offer,
                              sizeof(offer), res, 1, &nres);
  ck_assert_int_gt(olen, 0);
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  ck_assert_int_eq(imsms_call_sdp_offer_recv(B.call, offer, (size_t)olen, &pol,
                                             res, 1, &nres, NET_NOW),
                   1);
  ck_assert_int_eq(net_kms_round(&K, &B, NET_NOW + NET_SEC), 0);
  alen = imsms_call_sdp_answer(B.call, one_b, strlen(one_b), res, 1, NULL, 0,
                               answer, sizeof(answer));
  ck_assert_int_gt(alen, 0);
  answer[alen] = '\0';
  ck_assert_ptr_null(strstr(answer, "key-mgmt"));
  ck_assert_ptr_nonnull(strstr(answer, "RTP/SAVP"));
  ck_assert_int_eq(imsms_call_sdp_answer_recv(A.call, offer, (size_t)olen,
                                              answer, (size_t)alen, &pol, res,
                                              1, &nres, NET_NOW + NET_SEC),
                   1);
  ck_assert_int_eq(res[0].mode, IMSMS_SDP_MODE_E2E_KMS);
  assert_same_master(A.call, B.call, 1, 1);
  media(A.call, B.call, 1, 1);
}
END_TEST

/* Replaces the first |from| in |s| by |to| (same length). */
static void swap_text(char *s, const char *from, const char *to) {
  char *p = strstr(s, from);

  ck_assert_ptr_nonnull(p);
  ck_assert_uint_eq(strlen(from), strlen(to));
  memcpy(p, to, strlen(to));
}

/* Inserts |line| after the first |after| in |s| (room for it assumed). */
static size_t insert_line(char *s, size_t len, const char *after,
                          const char *line) {
  char *p = strstr(s, after);
  size_t n = strlen(line);

  ck_assert_ptr_nonnull(p);
  p += strlen(after);
  memmove(p + n, p, len - (size_t)(p - s) + 1);
  memcpy(p, line, n);
  return len + n;
}

/*
 * Downgrade protection (RFC 4567 4.1.4): a key-mgmt list that differs
 * from the one Alice authenticated, a TRANSFER_INIT without the list, a
 * list rewritten in both places (the MAC catches it), a profile
 * rewritten to RTP/AVP, a key-mgmt line stripped.
 */
START_TEST(test_sdp_downgrade) {
  const alg_set *a = &algs[0];
  imsms_tp tp = net_tp(a->prf, FLAGS, &NET_BOB, 1);
  imsms_sdp_policy req = sdp_policy(IMSMS_SDP_POLICY_REQUIRE_E2E);
  imsms_sdp_policy any = sdp_policy(IMSMS_SDP_POLICY_ALLOW_NONE);
  imsms_sdp_result res[2];
  char offer[8192], bad[8400];
  imsms_ssize olen;
  size_t nres, len;

  olen = sdp_offer(a, &tp, offer, sizeof(offer), IMSMS_SDP_POLICY_REQUIRE_E2E);
  ck_assert_int_gt(olen, 0);
  offer[olen] = '\0';

  /* (1) A protocol added to the audio line's list only: the lines
   * disagree, refused before the call sees anything. */
  memcpy(bad, offer, (size_t)olen + 1);
  len = insert_line(bad, (size_t)olen, "RTP/SAVP 0\r\n",
                    "a=key-mgmt:keyp1 AAAA\r\n");
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  ck_assert_int_eq(imsms_call_sdp_offer_recv(B.call, bad, len, &req, res, 2,
                                             &nres, NET_NOW),
                   IMSMS_ERR_SDP_DOWNGRADE);
  ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_IDLE);
  /* ... added to both lines: the call refuses TRANSFER_INIT's list. */
  len = insert_line(bad, len, "TCP/TLS/MSRP *\r\n",
                    "a=key-mgmt:keyp1 AAAA\r\n");
  ck_assert_int_eq(imsms_call_sdp_offer_recv(B.call, bad, len, &req, res, 2,
                                             &nres, NET_NOW),
                   IMSMS_ERR_SDP_DOWNGRADE);
  ck_assert_str_eq(res[0].ids, "keyp1;mikey");
  ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_FAILED);
  ck_assert_uint_eq(B.to_kms.n, 0); /* the KMS never heard of it */
  ck_assert_uint_eq(B.to_peer.n, 1);           /* an Error message */
  net_ue_free(&B);

  /* (2) The same list in the SDP and in TRANSFER_INIT, rewritten in both:
   * the early check passes, the MAC does not. */
  memcpy(bad, offer, (size_t)olen + 1);
  {
    uint8_t ti[NET_MSG];
    size_t tilen = A.to_peer.len[0], i;
    imsms_call_config cfg;

    memcpy(ti, A.to_peer.msg[0], tilen);
    for (i = 0; i + 5 <= tilen; i++) {
      if (memcmp(ti + i, "mikey", 5) == 0) {
        ti[i + 4] = 'z';
      }
    }
    new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
    ck_assert_int_eq(imsms_call_set_sdp_ids(B.call, "mikez", 5), 0);
    ck_assert_int_eq(imsms_call_recv(B.call, ti, tilen, NET_NOW), 0);
    ck_assert_int_eq(net_kms_round(&K, &B, NET_NOW + NET_SEC),
                     IMSMS_ERR_MIKEY_AUTH);
    ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_FAILED);
    net_ue_free(&B);

    /* (3) No list at all, to a Responder that requires one. */
    memset(&cfg, 0, sizeof(cfg));
    net_ue_free(&A);
    new_alice(actx, &A, a, &tp, 3);
    alice_offers(&A);
    new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
    ck_assert_int_eq(imsms_call_set_sdp_ids(B.call, "mikey", 5), 0);
    ck_assert_int_eq(
        imsms_call_recv(B.call, A.to_peer.msg[0], A.to_peer.len[0], NET_NOW),
        IMSMS_ERR_SDP_DOWNGRADE);
    net_ue_free(&B);
    /* ... and the SDP helper will not offer such a call. */
    ck_assert_int_eq(imsms_call_sdp_offer(A.call, sdp_alice, strlen(sdp_alice),
                                          &req, NULL, 0, bad, sizeof(bad), res,
                                          2, &nres),
                     IMSMS_ERR_INVALID_ARGUMENT);
  }

  /* (4) The profile rewritten to RTP/AVP: refused whatever the policy. */
  memcpy(bad, offer, (size_t)olen + 1);
  swap_text(bad, "RTP/SAVP", "RTP/AVP ");
  swap_text(bad, "RTP/AVP  0", "RTP/AVP 00");
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  ck_assert_int_eq(imsms_call_sdp_offer_recv(B.call, bad, (size_t)olen, &any,
                                             res, 2, &nres, NET_NOW),
                   2);
  ck_assert_int_eq(res[0].mode, -1);
  ck_assert_int_eq(res[0].reason, IMSMS_SDP_REASON_DOWNGRADE);
  net_ue_free(&B);

  /* (5) The key-mgmt lines stripped: e2e required, so refused. */
  {
    imsms_sdp_edit drop = {IMSMS_SDP_EDIT_DROP_ATTR, IMSMS_SDP_LEVEL_ANY,
                           "key-mgmt", NULL, 0};
    imsms_ssize n = imsms_sdp_edit_apply(bad, sizeof(bad), offer,
                                         (size_t)olen, &drop, 1);

    ck_assert_int_gt(n, 0);
    new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
    ck_assert_int_eq(imsms_call_sdp_offer_recv(B.call, bad, (size_t)n, &req,
                                               res, 2, &nres, NET_NOW),
                     2);
    ck_assert_int_eq(res[0].reason, IMSMS_SDP_REASON_E2E_REQUIRED);
    ck_assert_int_eq(res[1].reason, IMSMS_SDP_REASON_E2E_REQUIRED);
    /* The call was not touched: nothing e2e to resolve. */
    ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_IDLE);
  }
}
END_TEST

/* The SDP helpers' refusals, each with its code; the call unchanged. */
START_TEST(test_sdp_call_errors) {
  const alg_set *a = &algs[0];
  imsms_tp tp = net_tp(a->prf, FLAGS, &NET_BOB, 1);
  imsms_sdp_policy pol = sdp_policy(IMSMS_SDP_POLICY_REQUIRE_E2E);
  imsms_sdp_result res[2];
  char offer[8192], bad[8192];
  imsms_ssize olen;
  size_t nres, len;
  char *km;

  olen = sdp_offer(a, &tp, offer, sizeof(offer) - 1,
                   IMSMS_SDP_POLICY_REQUIRE_E2E);
  ck_assert_int_gt(olen, 0);
  offer[olen] = '\0';
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  /* NULL calls, wrong roles. */
  ck_assert_int_eq(imsms_call_sdp_offer(NULL, sdp_alice, 1, &pol, NULL, 0,
                                        bad, sizeof(bad), res, 2, &nres),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_call_sdp_offer_recv(NULL, offer, (size_t)olen, &pol,
                                             res, 2, &nres, NET_NOW),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_call_sdp_answer(NULL, sdp_bob, 1, res, 2, NULL, 0,
                                         bad, sizeof(bad)),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_call_sdp_answer(A.call, sdp_bob, strlen(sdp_bob), res,
                                         0, NULL, 0, bad, sizeof(bad)),
                   IMSMS_ERR_MIKEY_UNEXPECTED);
  ck_assert_int_eq(imsms_call_sdp_answer_recv(NULL, offer, (size_t)olen, offer,
                                              (size_t)olen, &pol, res, 2, &nres,
                                              NET_NOW),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_call_sdp_answer_recv(B.call, offer, (size_t)olen,
                                              offer, (size_t)olen, &pol, res, 2,
                                              &nres, NET_NOW),
                   IMSMS_ERR_MIKEY_UNEXPECTED);
  /* A malformed offer: the selection's error; Bob still idle. */
  ck_assert_int_eq(imsms_call_sdp_offer_recv(B.call, "v=1\r\n", 5, &pol, res,
                                             2, &nres, NET_NOW),
                   IMSMS_ERR_SDP_SYNTAX);
  /* The two e2e lines carry different messages. */
  memcpy(bad, offer, (size_t)olen + 1);
  km = strstr(strstr(bad, "m=message"), "a=key-mgmt:mikey ");
  ck_assert_ptr_nonnull(km);
  km[17] = km[17] == 'A' ? 'B' : 'A';
  ck_assert_int_eq(imsms_call_sdp_offer_recv(B.call, bad, (size_t)olen, &pol,
                                             res, 2, &nres, NET_NOW),
                   IMSMS_ERR_SDP_CONFLICT);
  ck_assert_int_eq(imsms_call_get_state(B.call), IMSMS_CALL_IDLE);
  /* A message larger than Bob's room. */
  net_ue_free(&B);
  {
    size_t psklen;
    const uint8_t *psk = net_psk(&NET_BOB, &psklen);
    imsms_call_config cfg = net_config(&NET_BOB, psk, psklen);
    imsms_call_callbacks cb;

    net_callbacks(&cb);
    cfg.suites = a->bob_suites;
    cfg.nsuites = 3;
    cfg.accept_tls = 1;
    cfg.max_msg_len = 1024;
    ck_assert_int_eq(imsms_call_new_responder(&B.call, bctx, &cfg, &cb, &B),
                     0);
  }
  ck_assert_int_eq(imsms_call_set_sdp_ids(B.call, "keyp1;mikey", 11), 0);
  len = (size_t)snprintf(bad, sizeof(bad),
                         "v=0\r\nm=audio 1 RTP/SAVP 0\r\na=key-mgmt:mikey ");
  memset(bad + len, 'A', 2000);
  len += 2000;
  len += (size_t)snprintf(bad + len, sizeof(bad) - len, "\r\n");
  ck_assert_int_eq(imsms_call_sdp_offer_recv(B.call, bad, len, &pol, res, 2,
                                             &nres, NET_NOW),
                   IMSMS_ERR_TOO_LARGE);
  /* The refused offer left Bob's own list: Alice's "mikey" differs. */
  {
    const uint8_t *ti;
    size_t tilen;

    ck_assert_int_eq(imsms_call_peer_msg(A.call, &ti, &tilen), 0);
    ck_assert_int_eq(imsms_call_recv(B.call, ti, tilen, NET_NOW),
                     IMSMS_ERR_SDP_DOWNGRADE);
  }
  /* An answer without TRANSFER_RESP while Alice waits for one. */
  ck_assert_int_eq(imsms_call_sdp_answer_recv(
                       A.call, offer, (size_t)olen,
                       "v=0\r\nm=audio 50000 RTP/SAVP 0\r\n"
                       "m=message 7395 TCP/TLS/MSRP *\r\n",
                       62, &pol, res, 2, &nres, NET_NOW),
                   IMSMS_ERR_MIKEY_MISSING);
  ck_assert_int_eq(imsms_call_get_state(A.call), IMSMS_CALL_WAIT_TRANSFER_RESP);
}
END_TEST

START_TEST(test_sdp_ids_api) {
  const alg_set *a = &algs[0];
  imsms_tp tp = net_tp(a->prf, FLAGS, &NET_BOB, 1);
  static const char *const bad[] = {"", ";", "mikey;", ";mikey", "mi key",
                                    "mikey;;x", "mik-ey"};
  char big[200];
  const uint8_t *msg;
  size_t i, len;

  new_alice(actx, &A, a, &tp, 3);
  ck_assert_int_eq(imsms_call_peer_msg(A.call, &msg, &len), IMSMS_ERR_EOF);
  ck_assert_int_eq(imsms_call_set_sdp_ids(A.call, "mikey;keyp1;KEYP2", 17), 0);
  for (i = 1; i < sizeof(bad) / sizeof(bad[0]); i++) {
    ck_assert_int_eq(imsms_call_set_sdp_ids(A.call, bad[i], strlen(bad[i])),
                     IMSMS_ERR_INVALID_ARGUMENT);
  }
  memset(big, 'a', sizeof(big));
  ck_assert_int_eq(imsms_call_set_sdp_ids(A.call, big, 128),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_call_set_sdp_ids(A.call, big, 127), 0);
  ck_assert_int_eq(imsms_call_set_sdp_ids(A.call, NULL, 0), 0);
  ck_assert_int_eq(imsms_call_set_sdp_ids(NULL, "mikey", 5),
                   IMSMS_ERR_INVALID_ARGUMENT);
  alice_offers(&A);
  ck_assert_int_eq(imsms_call_set_sdp_ids(A.call, "mikey", 5),
                   IMSMS_ERR_MIKEY_UNEXPECTED);
  ck_assert_int_eq(imsms_call_peer_msg(A.call, &msg, &len), 0);
  ck_assert_int_eq(imsms_call_peer_msg(NULL, &msg, &len),
                   IMSMS_ERR_INVALID_ARGUMENT);
  /* Roles: the Initiator's helpers refuse a Responder and back. */
  new_responder(bctx, &B, &NET_BOB, a->bob_suites, 3, 0);
  ck_assert_int_eq(imsms_call_sdp_offer(B.call, sdp_alice, strlen(sdp_alice),
                                        NULL, NULL, 0, big, sizeof(big), NULL,
                                        0, &len),
                   IMSMS_ERR_MIKEY_UNEXPECTED);
  ck_assert_int_eq(imsms_call_sdp_offer_recv(A.call, sdp_alice,
                                             strlen(sdp_alice), NULL, NULL, 0,
                                             &len, NET_NOW),
                   IMSMS_ERR_MIKEY_UNEXPECTED);
}
END_TEST

static Suite *call_suite(void) {
  Suite *s = suite_create("call");
  TCase *tc = tcase_create("call");
  int nalgs = (int)(sizeof(algs) / sizeof(algs[0]));

  tcase_set_timeout(tc, 120);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_loop_test(tc, test_whole_call, 0, nalgs);
  tcase_add_test(tc, test_call_g_flag_and_group);
  tcase_add_test(tc, test_call_without_response);
  tcase_add_loop_test(tc, test_forking_two_devices, 0, nalgs);
  tcase_add_loop_test(tc, test_tampered_transfer_init, 0, nalgs);
  tcase_add_test(tc, test_transfer_init_wrong_mac);
  tcase_add_loop_test(tc, test_initiator_data_vi, 0, 2 * nalgs);
  tcase_add_loop_test(tc, test_deferred_delivery, 0, nalgs);
  tcase_add_loop_test(tc, test_group_call, 0, nalgs);
  tcase_add_loop_test(tc, test_ticket_reuse, 0, nalgs);
  tcase_add_loop_test(tc, test_transfer_init_independent, 0, nalgs);
  tcase_add_loop_test(tc, test_tampered_answers_discarded, 0, nalgs);
  tcase_add_loop_test(tc, test_truncated_messages, 0, nalgs);
  tcase_add_test(tc, test_csb_id_mismatch);
  tcase_add_test(tc, test_replays);
  tcase_add_test(tc, test_unauthorised_responder);
  tcase_add_loop_test(tc, test_retargeting, 0, nalgs);
  tcase_add_loop_test(tc, test_anonymous_caller, 0, nalgs);
  tcase_add_loop_test(tc, test_gtgk_conference_bridge, 0, nalgs);
  tcase_add_loop_test(tc, test_transcoder_gateway, 0, 2 * nalgs);
  tcase_add_loop_test(tc, test_request_policy, 0, 2);
  tcase_add_test(tc, test_expired_ticket);
  tcase_add_test(tc, test_stale_transfer_init);
  tcase_add_test(tc, test_sps_refused);
  tcase_add_loop_test(tc, test_kms_reply_for_another_call, 0, nalgs);
  tcase_add_test(tc, test_expiry);
  tcase_add_test(tc, test_send_failure);
  tcase_add_test(tc, test_config_checks);
  tcase_add_test(tc, test_allocation_failures);
  tcase_add_loop_test(tc, test_call_over_sdp, 0, nalgs);
  tcase_add_test(tc, test_call_over_sdp_one_way);
  tcase_add_test(tc, test_sdp_downgrade);
  tcase_add_test(tc, test_sdp_ids_api);
  tcase_add_test(tc, test_sdp_call_errors);
  tcase_add_test(tc, test_kms_sync);
  tcase_add_loop_test(tc, test_csb_update, 0, 2 * nalgs);
  tcase_add_loop_test(tc, test_ue_supplied_keys, 0, nalgs);
  tcase_add_test(tc, test_ue_supplied_keys_refused);
  tcase_add_test(tc, test_csb_update_bad);
  tcase_add_test(tc, test_csb_update_rogue_peer);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  /* libsrtp's one global initialisation, before any session exists. */
  if (srtp_init() != srtp_err_status_ok) {
    return EXIT_FAILURE;
  }
  return imsms_test_run(call_suite(), "call");
}
