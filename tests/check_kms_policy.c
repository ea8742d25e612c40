/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The default KMS policy (kms_policy.h) and lawful interception
 * (imsms_kms_li_keys(), kms.h), through real exchanges between the engine
 * and the test UE (kms_test_ue.c): users, groups, network functions of
 * every role inside and outside their scopes, retargeting, request
 * limits, 100,000 users, configuration errors and allocation failures,
 * threads; LI inside and outside a warrant, forked keys, audit events
 * free of key bytes, and no trace of an LI query in what users see.
 */
#define _GNU_SOURCE /* memmem */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <imsmediasec/keys.h>
#include <imsmediasec/kms.h>
#include <imsmediasec/kms_policy.h>

#include "failmalloc.h"
#include "kms_checked.h"
#include "kms_test_ue.h"
#include "test_util.h"

#define SEC ((imsms_tstamp)1 << 32)
#define HOUR (3600 * SEC)
#define OUTCAP 8192
#define NUSERS 100000

static const imsms_tstamp now = (imsms_tstamp)0xeb8a2c80u << 32;

static imsms_id mkid(const char *s, uint8_t type) {
  imsms_id id;

  id.type = type;
  id.data = (const uint8_t *)s;
  id.len = strlen(s);
  return id;
}

static int same(const imsms_id *a, const imsms_id *b) {
  return a->len == b->len && a->type == b->type &&
         memcmp(a->data, b->data, a->len) == 0;
}

/* Every identity's PSK: 32 bytes derived from its name (test only). */
static void psk_of(const imsms_id *id, uint8_t psk[32]) {
  uint64_t h = 0xcbf29ce484222325ULL;
  size_t i;

  for (i = 0; i < id->len; i++) {
    h = (h ^ id->data[i]) * 0x100000001b3ULL;
  }
  for (i = 0; i < 32; i++) {
    h = h * 6364136223846793005ULL + 1442695040888963407ULL;
    psk[i] = (uint8_t)(h >> 56);
  }
}

static imsms_id ALICE, BOB, CAROL, DAVE, EVE, FRANK, MALLORY, TEAM, KMSID, BTID,
    NOBODY;
static imsms_id NF[6];
static const char *const nf_names[6] = {
    "transcoder.example.net", "pstn-gw.example.net",   "as.example.net",
    "conf.example.net",       "voicemail.example.net", "recorder.example.net"};

/* ---- The application's side ----------------------------------------- */

typedef struct app {
  int lookups; /* calls of the application's PSK lookup */
  int replays; /* calls of the replay check */
} app;

static app the_app;

/* B-TID -> Bob, and Eve's key (added without one). */
static imsms_ssize app_lookup(imsms_kms *k, const imsms_id *idrpsk,
                              const imsms_id *peer, uint8_t *psk, size_t cap,
                              void *ud) {
  app *a = ud;

  (void)k;
  ck_assert_ptr_eq(a, &the_app);
  ck_assert_uint_ge(cap, 32);
  a->lookups++;
  if (idrpsk->len) {
    if (!same(idrpsk, &BTID) || (peer->len && !same(peer, &BOB))) {
      return IMSMS_ERR_MIKEY_AUTH;
    }
    psk_of(&BOB, psk);
    return 32;
  }
  if (same(peer, &EVE)) {
    psk_of(&EVE, psk);
    return 32;
  }
  return IMSMS_ERR_MIKEY_AUTH;
}

static imsms_replay *rc;

static int counting_replay(const uint8_t *id, size_t idlen, imsms_tstamp t,
                           imsms_tstamp n, void *ud) {
  (void)ud;
  the_app.replays++;
  return imsms_replay_check(id, idlen, t, n, rc);
}

/* Audit: counts per type, the last event, every byte of every event. */
static int nev[9];
static imsms_kms_event last_ev;
static uint8_t evlog[1 << 20];
static size_t evlog_len;
static char last_peer[256], last_init[256];

static void log_bytes(const void *p, size_t len) {
  if (len && evlog_len + len <= sizeof(evlog)) {
    memcpy(evlog + evlog_len, p, len);
    evlog_len += len;
  }
}

static void audit(imsms_kms *k, const imsms_kms_event *ev, void *ud) {
  (void)k;
  /* The engine's user_data is the policy; the app's data is behind it. */
  ck_assert_ptr_eq(imsms_kms_policy_get_user_data(ud), &the_app);
  ck_assert_int_ge(ev->type, 1);
  ck_assert_int_le(ev->type, 8);
  nev[ev->type]++;
  last_ev = *ev;
  log_bytes(ev, sizeof(*ev));
  log_bytes(ev->peer.data, ev->peer.len);
  log_bytes(ev->initiator.data, ev->initiator.len);
  memset(last_peer, 0, sizeof(last_peer));
  memset(last_init, 0, sizeof(last_init));
  if (ev->peer.len && ev->peer.len < sizeof(last_peer)) {
    memcpy(last_peer, ev->peer.data, ev->peer.len);
  }
  if (ev->initiator.len && ev->initiator.len < sizeof(last_init)) {
    memcpy(last_init, ev->initiator.data, ev->initiator.len);
  }
}

static void assert_not_logged(const uint8_t *key, size_t len) {
  ck_assert_uint_gt(len, 0);
  ck_assert_ptr_null(memmem(evlog, evlog_len, key, len));
}

/* ---- Fixture -------------------------------------------------------- */

static imsms_ctx *kctx, *uctx, *rctx, *pctx;
static imsms_keyring *ring;
static imsms_kms_policy *pol;
static imsms_kms *kms;
static uint8_t out[OUTCAP];
static size_t outlen;

static void add_user(imsms_kms_policy *p, const imsms_id *id) {
  uint8_t psk[32];

  psk_of(id, psk);
  ck_assert_int_eq(imsms_kms_policy_add_user(p, id, psk, sizeof(psk)), 0);
}

static void add_nf(imsms_kms_policy *p, int role, int all, const imsms_id *ids,
                   size_t nids, const imsms_id *groups, size_t ngroups) {
  imsms_kms_nf nf;

  memset(&nf, 0, sizeof(nf));
  nf.version = IMSMS_KMS_NF_V1;
  nf.identity = NF[role - 1];
  nf.role = role;
  nf.scope_all = all;
  nf.ids = ids;
  nf.nids = nids;
  nf.groups = groups;
  nf.ngroups = ngroups;
  add_user(p, &NF[role - 1]);
  ck_assert_int_eq(imsms_kms_policy_add_network_function(p, &nf), 0);
}

/*
 * The configuration: users Alice, Bob, Carol, Dave, Frank (stored
 * PSKs) and Eve (the application's key); group Team = {Bob, Carol};
 * network functions, one per role:
 *   transcoder          every ticket
 *   pstn_gateway        ids {Alice}
 *   application_server  groups {Team}
 *   conference_bridge   ids {Team} (the group as a party, not members)
 *   voicemail           ids {Bob}
 *   recorder            ids {Dave}
 * Mallory has a PSK but is not configured.
 */
static void configure(imsms_kms_policy *p) {
  add_user(p, &ALICE);
  add_user(p, &BOB);
  add_user(p, &CAROL);
  add_user(p, &DAVE);
  add_user(p, &FRANK);
  ck_assert_int_eq(imsms_kms_policy_add_user(p, &EVE, NULL, 0), 0);
  ck_assert_int_eq(imsms_kms_policy_add_group_member(p, &TEAM, &BOB), 0);
  ck_assert_int_eq(imsms_kms_policy_add_group_member(p, &TEAM, &CAROL), 0);
  ck_assert_int_eq(imsms_kms_policy_set_psk_lookup(p, app_lookup), 0);
  add_nf(p, IMSMS_KMS_NF_TRANSCODER, 1, NULL, 0, NULL, 0);
  add_nf(p, IMSMS_KMS_NF_PSTN_GATEWAY, 0, &ALICE, 1, NULL, 0);
  add_nf(p, IMSMS_KMS_NF_APPLICATION_SERVER, 0, NULL, 0, &TEAM, 1);
  add_nf(p, IMSMS_KMS_NF_CONFERENCE_BRIDGE, 0, &TEAM, 1, NULL, 0);
  add_nf(p, IMSMS_KMS_NF_VOICEMAIL, 0, &BOB, 1, NULL, 0);
  add_nf(p, IMSMS_KMS_NF_RECORDER, 0, &DAVE, 1, NULL, 0);
}

static imsms_kms *engine(imsms_ctx *c, imsms_kms_policy *p) {
  imsms_kms_callbacks cb;
  imsms_kms_config cfg;
  imsms_kms *k = NULL;

  memset(&cb, 0, sizeof(cb));
  cb.version = IMSMS_KMS_CALLBACKS_V1;
  ck_assert_int_eq(imsms_kms_policy_callbacks(p, &cb), 0);
  cb.audit = audit;
  cb.replay = counting_replay;
  memset(&cfg, 0, sizeof(cfg));
  cfg.version = IMSMS_KMS_CONFIG_V1;
  cfg.identity = KMSID;
  cfg.keyring = ring;
  ck_assert_int_eq(imsms_kms_new(&k, c, &cfg, &cb, p), 0);
  return k;
}

static void ids_setup(void) {
  size_t i;

  ALICE = mkid("sip:alice@example.net", IMSMS_MIKEY_ID_URI);
  BOB = mkid("sip:bob@example.net", IMSMS_MIKEY_ID_URI);
  CAROL = mkid("sip:carol@example.net", IMSMS_MIKEY_ID_URI);
  DAVE = mkid("sip:dave@example.net", IMSMS_MIKEY_ID_URI);
  EVE = mkid("sip:eve@example.net", IMSMS_MIKEY_ID_URI);
  FRANK = mkid("sip:frank@example.net", IMSMS_MIKEY_ID_URI);
  MALLORY = mkid("sip:mallory@example.net", IMSMS_MIKEY_ID_URI);
  TEAM = mkid("sip:team@example.net", IMSMS_MIKEY_ID_URI);
  KMSID = mkid("kms.example.net", IMSMS_MIKEY_ID_NAI);
  BTID = mkid("btid-bob@bsf.example.net", IMSMS_MIKEY_ID_NAI);
  NOBODY = mkid("btid-nobody@bsf.example.net", IMSMS_MIKEY_ID_NAI);
  for (i = 0; i < 6; i++) {
    NF[i] = mkid(nf_names[i], IMSMS_MIKEY_ID_NAI);
  }
}

static void setup(void) {
  static const uint8_t tpk[32] = "ticket protection key number 01";

  ids_setup();
  memset(&the_app, 0, sizeof(the_app));
  memset(nev, 0, sizeof(nev));
  evlog_len = 0;
  kctx = imsms_test_ctx();
  uctx = imsms_test_ctx();
  rctx = imsms_test_ctx();
  pctx = imsms_test_ctx();
  ck_assert_int_eq(imsms_keyring_new(&ring, rctx), 0);
  ck_assert_int_eq(imsms_keyring_add(ring, 1, tpk, sizeof(tpk)), 0);
  ck_assert_int_eq(imsms_replay_new(&rc, kctx, 1024, 300), 0);
  ck_assert_int_eq(imsms_kms_policy_new(&pol, pctx, &the_app), 0);
  configure(pol);
  kms = engine(kctx, pol);
}

static void teardown(void) {
  imsms_kms_del(kms);
  imsms_kms_policy_del(pol);
  imsms_replay_del(rc);
  imsms_keyring_del(ring);
  imsms_ctx_del(kctx);
  imsms_ctx_del(uctx);
  imsms_ctx_del(rctx);
  imsms_ctx_del(pctx);
}

/* ---- Exchanges ------------------------------------------------------ */

static uint8_t ue_psk[32];

static kms_ue ue_for(const imsms_id *id, uint8_t prf) {
  kms_ue ue;

  memset(&ue, 0, sizeof(ue));
  ue.ctx = uctx;
  ue.prf_func = prf;
  ue.id = *id;
  ue.kms = KMSID;
  ue.mac_kms = KMSID;
  /* One identity at a time holds the UE key buffer; fine for tests that
   * build each message right after ue_for(). */
  psk_of(id, ue_psk);
  ue.psk = ue_psk;
  ue.psklen = sizeof(ue_psk);
  ue.csb_id = 0x12345678u ^ (uint32_t)id->len;
  return ue;
}

static imsms_tp make_tp(uint8_t prf, uint16_t flags, const imsms_id *resp,
                        size_t nresp) {
  imsms_tp tp;

  memset(&tp, 0, sizeof(tp));
  tp.version = IMSMS_TP_V1;
  tp.ticket_type = IMSMS_MIKEY_TICKET_MIKEY_BASE;
  tp.subtype = 1;
  tp.ticket_version = 1;
  tp.prf_func = prf;
  tp.flags = flags;
  tp.responders = resp;
  tp.nresponders = nresp;
  return tp;
}

#define FLAGS (IMSMS_TP_D | IMSMS_TP_E | IMSMS_TP_F | IMSMS_TP_H)
#define FORK (FLAGS | IMSMS_TP_I)

static int request(imsms_kms *k, const imsms_id *who, uint8_t prf,
                   const imsms_tp *tp, imsms_tstamp t, kms_ue_init *init,
                   kms_ue_result *res) {
  kms_ue ue = ue_for(who, prf);
  int rv;

  ck_assert_int_eq(kms_ue_request_init(&ue, tp, t, init), 0);
  rv = imsms_kms_handle(k, init->msg, init->len, t, out, sizeof(out), &outlen);
  if (rv == 0) {
    ck_assert_uint_gt(outlen, 0);
    ck_assert_int_eq(kms_ue_request_resp(&ue, init, out, outlen, res), 0);
  } else if (outlen) {
    ck_assert_int_eq(kms_ue_request_resp(&ue, init, out, outlen, res),
                     IMSMS_ERR_MIKEY_PEER_ERROR);
  }
  return rv;
}

static int resolve_ue(imsms_kms *k, const kms_ue *ue, const kms_ue_result *req,
                      imsms_tstamp t, kms_ue_init *init, kms_ue_result *res) {
  int rv;

  ck_assert_int_eq(
      kms_ue_resolve_init(ue, req->ticket, req->ticket_len, t, init), 0);
  rv = imsms_kms_handle(k, init->msg, init->len, t, out, sizeof(out), &outlen);
  if (rv == 0) {
    ck_assert_uint_gt(outlen, 0);
    ck_assert_int_eq(kms_ue_resolve_resp(ue, init, out, outlen, res), 0);
  } else if (outlen) {
    ck_assert_int_eq(kms_ue_resolve_resp(ue, init, out, outlen, res),
                     IMSMS_ERR_MIKEY_PEER_ERROR);
  }
  return rv;
}

static int resolve(imsms_kms *k, const imsms_id *who, uint8_t prf,
                   const kms_ue_result *req, imsms_tstamp t,
                   kms_ue_result *res) {
  static kms_ue_init init;
  kms_ue ue = ue_for(who, prf);

  return resolve_ue(k, &ue, req, t, &init, res);
}

static void assert_key_eq(const kms_ue_key *a, const kms_ue_key *b) {
  ck_assert_uint_eq(a->type, b->type);
  ck_assert_uint_eq(a->key_len, b->key_len);
  ck_assert_mem_eq(a->key, b->key, a->key_len);
  ck_assert_uint_eq(a->salt_len, b->salt_len);
  ck_assert_mem_eq(a->salt, b->salt, a->salt_len);
  ck_assert_uint_eq(a->spi_len, b->spi_len);
  ck_assert_mem_eq(a->spi, b->spi, a->spi_len);
}

/* An LI key equals a key a UE got. */
static void assert_li_key(const imsms_kms_li_key *l, const kms_ue_key *u) {
  ck_assert_uint_gt(u->key_len, 0);
  ck_assert_uint_eq(l->type, u->type);
  ck_assert_uint_eq(l->key_len, u->key_len);
  ck_assert_mem_eq(l->key, u->key, u->key_len);
  ck_assert_uint_eq(l->salt_len, u->salt_len);
  ck_assert_mem_eq(l->salt, u->salt, u->salt_len);
  ck_assert_uint_eq(l->spi_len, u->spi_len);
  ck_assert_mem_eq(l->spi, u->spi, u->spi_len);
}

/* The LI output is exactly what |r| (a REQUEST_RESP or RESOLVE_RESP) gave. */
static void assert_li_is(const imsms_kms_li_out *o, const kms_ue_result *r) {
  size_t i;

  assert_li_key(&o->mpki, &r->mpki);
  if (r->mpkr.key_len) {
    assert_li_key(&o->mpkr, &r->mpkr);
  } else {
    ck_assert_uint_eq(o->mpkr.key_len, 0);
  }
  ck_assert_uint_eq(o->nkeys, r->nkeys);
  for (i = 0; i < r->nkeys; i++) {
    assert_li_key(&o->keys[i], &r->keys[i]);
  }
}

static void assert_forked(uint8_t prf, int which, const kms_ue_key *orig,
                          const kms_ue_key *forked, const kms_ue_result *r) {
  uint8_t k[KMS_UE_MAX_KEY];

  ck_assert_int_eq(imsms_key_fork(uctx, prf, which, orig->key, orig->key_len,
                                  r->idrr.data, r->idrr.len, r->randrkms,
                                  r->randrkms_len, k),
                   0);
  ck_assert_mem_eq(k, forked->key, orig->key_len);
  ck_assert_int_ne(memcmp(orig->key, forked->key, orig->key_len), 0);
}

static void assert_result_not_logged(const kms_ue_result *r) {
  size_t i;

  assert_not_logged(r->mpki.key, r->mpki.key_len);
  if (r->mpkr.key_len) {
    assert_not_logged(r->mpkr.key, r->mpkr.key_len);
  }
  for (i = 0; i < r->nkeys; i++) {
    assert_not_logged(r->keys[i].key, r->keys[i].key_len);
  }
}

static kms_ue_init rinit;
static kms_ue_result ra, rb, rc2, rx;

/* ---- Users ---------------------------------------------------------- */

/*
 * An engine given the callbacks but not the policy as user data: its
 * psk_lookup fails (every message refused, unanswered) instead of
 * crashing; a zero callbacks version is set.
 */
START_TEST(test_wrong_user_data) {
  imsms_tp tp = make_tp(1, FLAGS, &BOB, 1);
  imsms_kms_callbacks cb;
  imsms_kms_config cfg;
  imsms_kms *k = NULL;
  static uint64_t not_policy[64]; /* zeros: no magic number */

  memset(&cb, 0, sizeof(cb));
  ck_assert_int_eq(imsms_kms_policy_callbacks(pol, &cb), 0);
  ck_assert_uint_eq(cb.version, IMSMS_KMS_CALLBACKS_V1);
  memset(&cfg, 0, sizeof(cfg));
  cfg.version = IMSMS_KMS_CONFIG_V1;
  cfg.identity = KMSID;
  cfg.keyring = ring;
  ck_assert_int_eq(imsms_kms_new(&k, kctx, &cfg, &cb, NULL), 0);
  ck_assert_int_eq(request(k, &ALICE, 1, &tp, now, &rinit, &rx),
                   IMSMS_ERR_CALLBACK_FAILURE);
  ck_assert_uint_eq(outlen, 0);
  imsms_kms_del(k);
  ck_assert_int_eq(imsms_kms_new(&k, kctx, &cfg, &cb, not_policy), 0);
  ck_assert_int_eq(request(k, &ALICE, 1, &tp, now, &rinit, &rx),
                   IMSMS_ERR_CALLBACK_FAILURE);
  ck_assert_uint_eq(outlen, 0);
  imsms_kms_del(k);
}
END_TEST

START_TEST(test_users) {
  imsms_tp tp = make_tp(1, FLAGS, &BOB, 1);
  uint8_t psk[40];
  int n;
  kms_ue ue;

  /* A known user requests; the responder resolves; keys agree. */
  ck_assert_int_eq(request(kms, &ALICE, 1, &tp, now, &rinit, &ra), 0);
  ck_assert_int_eq(resolve(kms, &BOB, 1, &ra, now, &rb), 0);
  assert_key_eq(&ra.keys[0], &rb.keys[0]);
  ck_assert_int_eq(the_app.lookups, 0);
  /* An unknown identity: no key, no answer, and the application is not
   * asked about an identity the policy does not know. */
  ck_assert_int_eq(request(kms, &MALLORY, 1, &tp, now, &rinit, &rx),
                   IMSMS_ERR_MIKEY_AUTH);
  ck_assert_uint_eq(outlen, 0);
  ck_assert_int_eq(last_ev.type, IMSMS_KMS_AUTH_FAILED);
  ck_assert_int_eq(the_app.lookups, 0);
  ck_assert_int_eq(resolve(kms, &MALLORY, 1, &ra, now, &rx),
                   IMSMS_ERR_MIKEY_AUTH);
  /* A user added without a PSK: the application's lookup gives it. */
  ck_assert_int_eq(request(kms, &EVE, 1, &tp, now, &rinit, &rx), 0);
  ck_assert_int_eq(the_app.lookups, 1);
  /* IDRpsk (a B-TID): the application binds it to Bob. */
  ue = ue_for(&BOB, 1);
  ue.idrpsk = BTID;
  ck_assert_int_eq(kms_ue_request_init(&ue, &tp, now, &rinit), 0);
  ck_assert_int_eq(imsms_kms_handle(kms, rinit.msg, rinit.len, now, out,
                                    sizeof(out), &outlen),
                   0);
  ck_assert_int_eq(the_app.lookups, 2);
  /* An unknown B-TID: silence. */
  ue.idrpsk = NOBODY;
  ck_assert_int_eq(kms_ue_request_init(&ue, &tp, now, &rinit), 0);
  ck_assert_int_eq(imsms_kms_handle(kms, rinit.msg, rinit.len, now, out,
                                    sizeof(out), &outlen),
                   IMSMS_ERR_MIKEY_AUTH);
  ck_assert_uint_eq(outlen, 0);
  /* B-TID without IDRi: authenticated, but the requester is no known
   * user: denied, answered with an Error message (Auth failure, V). */
  ue.idrpsk = BTID;
  ue.id.len = 0;
  ck_assert_int_eq(kms_ue_request_init(&ue, &tp, now, &rinit), 0);
  ck_assert_int_eq(imsms_kms_handle(kms, rinit.msg, rinit.len, now, out,
                                    sizeof(out), &outlen),
                   IMSMS_ERR_KMS_DENIED);
  ck_assert_int_eq(kms_ue_request_resp(&ue, &rinit, out, outlen, &rx),
                   IMSMS_ERR_MIKEY_PEER_ERROR);
  ck_assert_int_eq(rx.error_no, IMSMS_MIKEY_ERR_AUTH_FAILURE);
  ck_assert_int_eq(rx.error_v, 1);
  ck_assert_int_eq(last_ev.type, IMSMS_KMS_REQUEST_DENIED);
  /* Without the application's lookup, IDRpsk and Eve are unknown. */
  ck_assert_int_eq(imsms_kms_policy_set_psk_lookup(pol, NULL), 0);
  ck_assert_int_eq(request(kms, &EVE, 1, &tp, now, &rinit, &rx),
                   IMSMS_ERR_MIKEY_AUTH);
  ue = ue_for(&BOB, 1);
  ue.idrpsk = BTID;
  ck_assert_int_eq(kms_ue_request_init(&ue, &tp, now, &rinit), 0);
  ck_assert_int_eq(imsms_kms_handle(kms, rinit.msg, rinit.len, now, out,
                                    sizeof(out), &outlen),
                   IMSMS_ERR_MIKEY_AUTH);
  /*
   * Adding a user again replaces its PSK: the old one stops working. A
   * longer key takes a new slot (the old one wiped), a shorter one the
   * same slot.
   */
  memset(psk, 0x5a, sizeof(psk));
  for (n = 0; n < 2; n++) {
    size_t len = n ? 20 : sizeof(psk);

    ck_assert_int_eq(imsms_kms_policy_add_user(pol, &ALICE, psk, len), 0);
    ck_assert_int_eq(request(kms, &ALICE, 1, &tp, now, &rinit, &rx),
                     IMSMS_ERR_MIKEY_AUTH);
    ue = ue_for(&ALICE, 1);
    ue.psk = psk;
    ue.psklen = len;
    ck_assert_int_eq(kms_ue_request_init(&ue, &tp, now, &rinit), 0);
    ck_assert_int_eq(imsms_kms_handle(kms, rinit.msg, rinit.len, now, out,
                                      sizeof(out), &outlen),
                     0);
    psk[0] ^= 1;
  }
  add_user(pol, &ALICE);
  ck_assert_int_eq(request(kms, &ALICE, 1, &tp, now, &rinit, &rx), 0);
}
END_TEST

/* ---- Groups and retargeting ---------------------------------------- */

START_TEST(test_groups) {
  uint8_t prf = (uint8_t)_i;
  imsms_tp tp = make_tp(prf, FORK, &TEAM, 1);

  ck_assert_int_eq(request(kms, &ALICE, prf, &tp, now, &rinit, &ra), 0);
  /* A member: keys bound to (forked for) the member itself. */
  ck_assert_int_eq(resolve(kms, &BOB, prf, &ra, now, &rb), 0);
  ck_assert(same(&rb.idrr, &BOB));
  assert_key_eq(&ra.mpki, &rb.mpki);
  assert_forked(prf, IMSMS_FORK_MPKR, &ra.mpkr, &rb.mpkr, &rb);
  assert_forked(prf, IMSMS_FORK_TGK, &ra.keys[0], &rb.keys[0], &rb);
  ck_assert_int_eq(resolve(kms, &CAROL, prf, &ra, now, &rc2), 0);
  ck_assert(same(&rc2.idrr, &CAROL));
  ck_assert_int_ne(memcmp(rb.keys[0].key, rc2.keys[0].key, rb.keys[0].key_len),
                   0);
  /* A non-member: denied, with an Error message. */
  ck_assert_int_eq(resolve(kms, &DAVE, prf, &ra, now, &rx),
                   IMSMS_ERR_KMS_DENIED);
  ck_assert_int_eq(rx.error_no, IMSMS_MIKEY_ERR_AUTH_FAILURE);
  ck_assert_int_eq(rx.error_v, 1);
  ck_assert_int_eq(last_ev.type, IMSMS_KMS_RESOLVE_DENIED);
  ck_assert_str_eq(last_peer, "sip:dave@example.net");
  /* The group is not its own member, and Alice is no responder. */
  ck_assert_int_eq(resolve(kms, &ALICE, prf, &ra, now, &rx),
                   IMSMS_ERR_KMS_DENIED);
}
END_TEST

/* A call retargeted to an identity the ticket does not list: refused. */
START_TEST(test_retargeting) {
  const imsms_id resp[2] = {BOB, DAVE};
  imsms_tp tp = make_tp(0, FLAGS, resp, 2);

  ck_assert_int_eq(request(kms, &ALICE, 0, &tp, now, &rinit, &ra), 0);
  ck_assert_int_eq(resolve(kms, &DAVE, 0, &ra, now, &rb), 0);
  ck_assert(same(&rb.idrr, &DAVE));
  /* Carol (a member of Team, but Team is not listed) and Frank. */
  ck_assert_int_eq(resolve(kms, &CAROL, 0, &ra, now, &rx),
                   IMSMS_ERR_KMS_DENIED);
  ck_assert_int_eq(rx.error_no, IMSMS_MIKEY_ERR_AUTH_FAILURE);
  ck_assert_int_eq(resolve(kms, &FRANK, 0, &ra, now, &rx),
                   IMSMS_ERR_KMS_DENIED);
  ck_assert_int_eq(nev[IMSMS_KMS_RESOLVE_DENIED], 2);
  /* Without IDRr the resolver is nobody. */
  {
    static kms_ue_init init;
    kms_ue ue = ue_for(&BOB, 0);

    ue.id.len = 0;
    ue.idrpsk = BTID;
    ck_assert_int_eq(resolve_ue(kms, &ue, &ra, now, &init, &rx),
                     IMSMS_ERR_KMS_DENIED);
  }
}
END_TEST

/* ---- Network functions --------------------------------------------- */

/*
 * Every role against five calls (Initiator -> Responder); 1 where the
 * network function's scope (see configure()) covers the call.
 */
START_TEST(test_network_functions) {
  static const int expect[6][5] = {
      /* A->B  F->C  F->Team  F->D  D->F */
      {1, 1, 1, 1, 1}, /* transcoder: all */
      {1, 0, 0, 0, 0}, /* PSTN gateway: Alice */
      {1, 1, 1, 0, 0}, /* AS: group Team (Bob, Carol, Team) */
      {0, 0, 1, 0, 0}, /* conference bridge: the identity Team only */
      {1, 0, 0, 0, 0}, /* voicemail: Bob */
      {0, 0, 0, 1, 1}  /* recorder: Dave */
  };
  const imsms_id *calls[5][2] = {{&ALICE, &BOB},
                                 {&FRANK, &CAROL},
                                 {&FRANK, &TEAM},
                                 {&FRANK, &DAVE},
                                 {&DAVE, &FRANK}};
  int role = _i + 1;
  const imsms_id *nf = &NF[_i];
  uint8_t prf = (uint8_t)(_i & 1);
  size_t c;

  ck_assert_int_eq(imsms_kms_policy_nf_role(pol, nf), role);
  ck_assert_int_eq(imsms_kms_policy_nf_role(pol, &ALICE), 0);
  ck_assert_int_eq(imsms_kms_policy_nf_role(pol, &MALLORY), 0);
  for (c = 0; c < 5; c++) {
    imsms_tp tp = make_tp(prf, FORK, calls[c][1], 1);
    int rv;

    ck_assert_int_eq(request(kms, calls[c][0], prf, &tp, now, &rinit, &ra), 0);
    rv = resolve(kms, nf, prf, &ra, now, &rb);
    if (expect[_i][c]) {
      ck_assert_msg(rv == 0, "role %d call %zu: %d", role, c, rv);
      /* Keys forked for the network function, which answers the call. */
      ck_assert(same(&rb.idrr, nf));
      assert_key_eq(&ra.mpki, &rb.mpki);
      assert_forked(prf, IMSMS_FORK_TGK, &ra.keys[0], &rb.keys[0], &rb);
      assert_forked(prf, IMSMS_FORK_MPKR, &ra.mpkr, &rb.mpkr, &rb);
    } else {
      ck_assert_msg(rv == IMSMS_ERR_KMS_DENIED, "role %d call %zu: %d", role, c,
                    rv);
      ck_assert_int_eq(rb.error_no, IMSMS_MIKEY_ERR_AUTH_FAILURE);
      ck_assert_int_eq(last_ev.type, IMSMS_KMS_RESOLVE_DENIED);
    }
  }
}
END_TEST

/* A scope given in several calls; a role cannot change. */
START_TEST(test_network_function_scope_growth) {
  imsms_kms_nf nf;
  imsms_tp tp = make_tp(0, FLAGS, &FRANK, 1);

  ck_assert_int_eq(request(kms, &DAVE, 0, &tp, now, &rinit, &ra), 0);
  ck_assert_int_eq(resolve(kms, &NF[1], 0, &ra, now, &rx),
                   IMSMS_ERR_KMS_DENIED);
  memset(&nf, 0, sizeof(nf));
  nf.version = IMSMS_KMS_NF_V1;
  nf.identity = NF[1];
  nf.role = IMSMS_KMS_NF_PSTN_GATEWAY;
  nf.ids = &FRANK;
  nf.nids = 1;
  ck_assert_int_eq(imsms_kms_policy_add_network_function(pol, &nf), 0);
  ck_assert_int_eq(resolve(kms, &NF[1], 0, &ra, now, &rb), 0);
  /* Alice is still in scope. */
  tp = make_tp(0, FLAGS, &BOB, 1);
  ck_assert_int_eq(request(kms, &ALICE, 0, &tp, now, &rinit, &ra), 0);
  ck_assert_int_eq(resolve(kms, &NF[1], 0, &ra, now, &rb), 0);
  nf.role = IMSMS_KMS_NF_RECORDER;
  ck_assert_int_eq(imsms_kms_policy_add_network_function(pol, &nf),
                   IMSMS_ERR_INVALID_ARGUMENT);
  /* A network function that is not a user cannot authenticate. */
  nf.identity = MALLORY;
  ck_assert_int_eq(imsms_kms_policy_add_network_function(pol, &nf), 0);
  ck_assert_int_eq(resolve(kms, &MALLORY, 0, &ra, now, &rx),
                   IMSMS_ERR_MIKEY_AUTH);
}
END_TEST

/* ---- Request limits ------------------------------------------------ */

static void granted_of(const kms_ue_result *r, imsms_tp *g, imsms_id *ids) {
  imsms_mikey_ticket tk;
  imsms_tp_key gk[8];

  ck_assert_int_eq(kms_ue_ticket(r, &tk), 0);
  ck_assert_int_eq(imsms_tp_decode(g, &tk, gk, 8, ids, 8), 0);
}

START_TEST(test_limits) {
  static kms_ue_result clipped;
  imsms_kms_limits lim;
  imsms_tp tp = make_tp(0, FLAGS, &BOB, 1), g;
  imsms_id gids[8];

  /* Without limits, a ticket as asked: no end, no K. */
  ck_assert_int_eq(request(kms, &ALICE, 0, &tp, now, &rinit, &ra), 0);
  ck_assert_uint_eq(ra.ticket_flags & IMSMS_TP_K, 0);
  granted_of(&ra, &g, gids);
  ck_assert_int_eq(g.has_end, 0);
  memset(&lim, 0, sizeof(lim));
  lim.version = IMSMS_KMS_LIMITS_V1;
  lim.max_validity_sec = 3600;
  lim.flags = IMSMS_KMS_LIMIT_NO_FORKING | IMSMS_KMS_LIMIT_NO_REUSE |
              IMSMS_KMS_LIMIT_NO_UE_KEYS;
  ck_assert_int_eq(imsms_kms_policy_set_limits(pol, &lim), 0);
  /* Unbounded: clipped to an hour after the request; K; acceptable. */
  ck_assert_int_eq(request(kms, &ALICE, 0, &tp, now, &rinit, &ra), 0);
  ck_assert_uint_eq(ra.ticket_flags & IMSMS_TP_K, IMSMS_TP_K);
  granted_of(&ra, &g, gids);
  ck_assert_int_eq(g.has_end, 1);
  ck_assert_uint_eq(g.end, now + HOUR);
  ck_assert_int_eq(imsms_tp_grant_acceptable(&tp, &g, NULL), 0);
  memcpy(&clipped, &ra, sizeof(clipped));
  /* Too long: clipped. */
  tp.has_end = 1;
  tp.end = now + 2 * HOUR;
  ck_assert_int_eq(request(kms, &ALICE, 0, &tp, now, &rinit, &ra), 0);
  ck_assert_uint_eq(ra.ticket_flags & IMSMS_TP_K, IMSMS_TP_K);
  granted_of(&ra, &g, gids);
  ck_assert_uint_eq(g.end, now + HOUR);
  ck_assert_int_eq(imsms_tp_grant_acceptable(&tp, &g, NULL), 0);
  /* Short enough: as asked. */
  tp.end = now + HOUR / 2;
  ck_assert_int_eq(request(kms, &ALICE, 0, &tp, now, &rinit, &ra), 0);
  ck_assert_uint_eq(ra.ticket_flags & IMSMS_TP_K, 0);
  granted_of(&ra, &g, gids);
  ck_assert_uint_eq(g.end, now + HOUR / 2);
  /* Starting after the latest end: denied. */
  tp.has_start = 1;
  tp.start = now + 2 * HOUR;
  tp.end = now + 3 * HOUR;
  ck_assert_int_eq(request(kms, &ALICE, 0, &tp, now, &rinit, &rx),
                   IMSMS_ERR_KMS_DENIED);
  ck_assert_int_eq(rx.error_no, IMSMS_MIKEY_ERR_AUTH_FAILURE);
  tp.has_start = tp.has_end = 0;
  /* Forking: denied (the KMS may not clear I). */
  tp.flags = FORK;
  ck_assert_int_eq(request(kms, &ALICE, 0, &tp, now, &rinit, &rx),
                   IMSMS_ERR_KMS_DENIED);
  ck_assert_int_eq(rx.error_no, IMSMS_MIKEY_ERR_AUTH_FAILURE);
  ck_assert_int_eq(rx.error_v, 1);
  ck_assert_int_eq(last_ev.type, IMSMS_KMS_REQUEST_DENIED);
  /* Reuse and UE-supplied keys: cleared, K, acceptable. */
  tp.flags = FLAGS | IMSMS_TP_J | IMSMS_TP_L | IMSMS_TP_M;
  ck_assert_int_eq(request(kms, &ALICE, 0, &tp, now, &rinit, &ra), 0);
  ck_assert_uint_eq(ra.ticket_flags &
                        (IMSMS_TP_J | IMSMS_TP_L | IMSMS_TP_M | IMSMS_TP_K),
                    IMSMS_TP_K);
  granted_of(&ra, &g, gids);
  ck_assert_int_eq(imsms_tp_grant_acceptable(&tp, &g, NULL), 0);
  /* Back to no limits: forking granted. */
  memset(&lim, 0, sizeof(lim));
  lim.version = IMSMS_KMS_LIMITS_V1;
  ck_assert_int_eq(imsms_kms_policy_set_limits(pol, &lim), 0);
  tp.flags = FORK | IMSMS_TP_J;
  ck_assert_int_eq(request(kms, &ALICE, 0, &tp, now, &rinit, &ra), 0);
  ck_assert_uint_eq(ra.ticket_flags & (IMSMS_TP_I | IMSMS_TP_J | IMSMS_TP_K),
                    IMSMS_TP_I | IMSMS_TP_J);
  /* Bad limits. */
  lim.flags = 0x8;
  ck_assert_int_eq(imsms_kms_policy_set_limits(pol, &lim),
                   IMSMS_ERR_INVALID_ARGUMENT);
  lim.flags = 0;
  lim.version = 2;
  ck_assert_int_eq(imsms_kms_policy_set_limits(pol, &lim), IMSMS_ERR_VERSION);
  ck_assert_int_eq(imsms_kms_policy_set_limits(NULL, &lim),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_kms_policy_set_limits(pol, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  /* The clipped ticket resolves until its end (last: the replay cache
   * only moves forward in time). */
  ck_assert_int_eq(resolve(kms, &BOB, 0, &clipped, now + HOUR, &rb), 0);
  ck_assert_int_eq(resolve(kms, &BOB, 0, &clipped, now + HOUR + SEC, &rx),
                   IMSMS_ERR_TICKET_EXPIRED);
}
END_TEST

/* ---- Scale ---------------------------------------------------------- */

static double seconds(void) {
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define UID_LEN 24
static char (*unames)[UID_LEN];
static imsms_id *uids;

static void make_users(size_t n) {
  size_t i;

  unames = malloc(n * sizeof(*unames));
  uids = malloc(n * sizeof(*uids));
  ck_assert_ptr_nonnull(unames);
  ck_assert_ptr_nonnull(uids);
  for (i = 0; i < n; i++) {
    snprintf(unames[i], UID_LEN, "sip:u%06zu@example.net", i);
    uids[i] = mkid(unames[i], IMSMS_MIKEY_ID_URI);
  }
}

/*
 * 100,000 users, a group of 1,000, a voicemail whose scope lists every
 * user: configuration, then exchanges still right and lookups fast.
 */
START_TEST(test_100k_users) {
  imsms_kms_policy *big;
  imsms_kms *k;
  imsms_kms_callbacks cb;
  imsms_kms_nf nf;
  imsms_id group = mkid("sip:big-team@example.net", IMSMS_MIKEY_ID_URI);
  uint8_t psk[256];
  double t0, config_s, lookup_s;
  size_t i, bad = 0;
  imsms_tp tp;

  make_users(NUSERS);
  /* No ck_assert in the loops: Check records a mark point per call. */
  t0 = seconds();
  ck_assert_int_eq(imsms_kms_policy_new(&big, pctx, &the_app), 0);
  for (i = 0; i < NUSERS; i++) {
    psk_of(&uids[i], psk);
    bad += imsms_kms_policy_add_user(big, &uids[i], psk, 32) != 0;
  }
  for (i = 50000; i < 51000; i++) {
    bad += imsms_kms_policy_add_group_member(big, &group, &uids[i]) != 0;
  }
  ck_assert_int_eq(bad, 0);
  add_user(big, &NF[4]);
  memset(&nf, 0, sizeof(nf));
  nf.version = IMSMS_KMS_NF_V1;
  nf.identity = NF[4];
  nf.role = IMSMS_KMS_NF_VOICEMAIL;
  nf.ids = uids;
  nf.nids = NUSERS / 2; /* in two calls */
  ck_assert_int_eq(imsms_kms_policy_add_network_function(big, &nf), 0);
  nf.ids = uids + NUSERS / 2;
  ck_assert_int_eq(imsms_kms_policy_add_network_function(big, &nf), 0);
  config_s = seconds() - t0;
  k = engine(kctx, big);

  /* Exchanges among them. */
  tp = make_tp(1, FORK, &uids[99999], 1);
  ck_assert_int_eq(request(k, &uids[12345], 1, &tp, now, &rinit, &ra), 0);
  ck_assert_int_eq(resolve(k, &uids[99999], 1, &ra, now, &rb), 0);
  assert_forked(1, IMSMS_FORK_TGK, &ra.keys[0], &rb.keys[0], &rb);
  ck_assert_int_eq(resolve(k, &uids[99998], 1, &ra, now, &rx),
                   IMSMS_ERR_KMS_DENIED);
  ck_assert_int_eq(resolve(k, &NF[4], 1, &ra, now, &rb), 0);
  ck_assert(same(&rb.idrr, &NF[4]));
  tp = make_tp(0, FLAGS, &group, 1);
  ck_assert_int_eq(request(k, &uids[7], 0, &tp, now, &rinit, &ra), 0);
  ck_assert_int_eq(resolve(k, &uids[50999], 0, &ra, now, &rb), 0);
  ck_assert_int_eq(resolve(k, &uids[51000], 0, &ra, now, &rx),
                   IMSMS_ERR_KMS_DENIED);
  assert_key_eq(&ra.keys[0], &rb.keys[0]);

  /* 200,000 PSK lookups and 100,000 membership checks. */
  memset(&cb, 0, sizeof(cb));
  ck_assert_int_eq(imsms_kms_policy_callbacks(big, &cb), 0);
  t0 = seconds();
  for (i = 0; i < 2 * NUSERS; i++) {
    static const imsms_id none;
    size_t u = (i * 7919) % NUSERS;

    bad += cb.psk_lookup(k, &none, &uids[u], psk, sizeof(psk), big) != 32;
  }
  for (i = 0; i < NUSERS; i++) {
    bad += (cb.is_member(k, &group, &uids[i], big) != 0) !=
           (i >= 50000 && i < 51000);
  }
  lookup_s = seconds() - t0;
  ck_assert_int_eq(bad, 0);
  /* Generous bounds (sanitizers, loaded machines); a linear scan over
   * the users would take minutes here. */
  ck_assert_msg(config_s < 5.0, "configuration took %.3f s", config_s);
  ck_assert_msg(lookup_s < 5.0, "lookups took %.3f s", lookup_s);
  imsms_kms_del(k);
  imsms_kms_policy_del(big);
  free(unames);
  free(uids);
}
END_TEST

/* ---- Configuration errors, allocation ------------------------------ */

START_TEST(test_config_arguments) {
  imsms_kms_policy *p = NULL;
  imsms_kms_callbacks cb;
  imsms_kms_nf nf;
  imsms_id empty, big;
  uint8_t psk[257];

  memset(psk, 1, sizeof(psk));
  memset(&empty, 0, sizeof(empty));
  big = ALICE;
  big.len = 65536;
  ck_assert_int_eq(imsms_kms_policy_new(NULL, pctx, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_kms_policy_new(&p, NULL, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_ptr_null(p);
  ck_assert_ptr_eq(imsms_kms_policy_get_user_data(pol), &the_app);
  ck_assert_ptr_null(imsms_kms_policy_get_user_data(NULL));
  /* Users. */
  ck_assert_int_eq(imsms_kms_policy_add_user(NULL, &ALICE, psk, 16),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_kms_policy_add_user(pol, NULL, psk, 16),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_kms_policy_add_user(pol, &empty, psk, 16),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_kms_policy_add_user(pol, &big, psk, 16),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_kms_policy_add_user(pol, &ALICE, NULL, 16),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_kms_policy_add_user(pol, &ALICE, psk, 0),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_kms_policy_add_user(pol, &ALICE, psk, 257),
                   IMSMS_ERR_KEY_LENGTH);
  ck_assert_int_eq(imsms_kms_policy_add_user(pol, &ALICE, psk, 256), 0);
  /* Groups. */
  ck_assert_int_eq(imsms_kms_policy_add_group_member(NULL, &TEAM, &BOB),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_kms_policy_add_group_member(pol, &empty, &BOB),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_kms_policy_add_group_member(pol, &TEAM, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_kms_policy_add_group_member(pol, &TEAM, &TEAM),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_kms_policy_add_group_member(pol, &TEAM, &BOB), 0);
  /* Network functions. */
  memset(&nf, 0, sizeof(nf));
  nf.version = IMSMS_KMS_NF_V1;
  nf.identity = NF[0];
  nf.role = IMSMS_KMS_NF_TRANSCODER;
  ck_assert_int_eq(imsms_kms_policy_add_network_function(NULL, &nf),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_kms_policy_add_network_function(pol, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  nf.version = 2;
  ck_assert_int_eq(imsms_kms_policy_add_network_function(pol, &nf),
                   IMSMS_ERR_VERSION);
  nf.version = IMSMS_KMS_NF_V1;
  nf.role = 0;
  ck_assert_int_eq(imsms_kms_policy_add_network_function(pol, &nf),
                   IMSMS_ERR_INVALID_ARGUMENT);
  nf.role = 7;
  ck_assert_int_eq(imsms_kms_policy_add_network_function(pol, &nf),
                   IMSMS_ERR_INVALID_ARGUMENT);
  nf.role = IMSMS_KMS_NF_TRANSCODER;
  nf.nids = 1;
  ck_assert_int_eq(imsms_kms_policy_add_network_function(pol, &nf),
                   IMSMS_ERR_INVALID_ARGUMENT);
  nf.ids = &empty;
  ck_assert_int_eq(imsms_kms_policy_add_network_function(pol, &nf),
                   IMSMS_ERR_INVALID_ARGUMENT);
  nf.nids = 0;
  nf.ngroups = 1;
  ck_assert_int_eq(imsms_kms_policy_add_network_function(pol, &nf),
                   IMSMS_ERR_INVALID_ARGUMENT);
  nf.ngroups = 0;
  nf.identity = empty;
  ck_assert_int_eq(imsms_kms_policy_add_network_function(pol, &nf),
                   IMSMS_ERR_INVALID_ARGUMENT);
  /* The rest. */
  ck_assert_int_eq(imsms_kms_policy_set_psk_lookup(NULL, app_lookup),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_kms_policy_callbacks(NULL, &cb),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_kms_policy_callbacks(pol, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_kms_policy_nf_role(NULL, &NF[0]), 0);
  ck_assert_int_eq(imsms_kms_policy_nf_role(pol, NULL), 0);
  ck_assert_int_eq(imsms_kms_policy_nf_role(pol, &empty), 0);
  /* The callbacks leave other members alone. */
  memset(&cb, 0x77, sizeof(cb));
  cb.version = IMSMS_KMS_CALLBACKS_V1;
  ck_assert_int_eq(imsms_kms_policy_callbacks(pol, &cb), 0);
  ck_assert_ptr_nonnull(cb.psk_lookup);
  ck_assert_ptr_nonnull(cb.authorize_request);
  ck_assert_ptr_nonnull(cb.authorize_resolve);
  ck_assert_ptr_nonnull(cb.is_member);
  ck_assert_uint_eq(cb.version, IMSMS_KMS_CALLBACKS_V1);
  {
    void *pattern;

    memset(&pattern, 0x77, sizeof(pattern));
    ck_assert_ptr_eq(cb.replay_data, pattern);
  }
  imsms_kms_policy_del(NULL);
}
END_TEST

/*
 * Fail allocation N of policy creation and a configuration, for every N:
 * a clean IMSMS_ERR_NOMEM, the policy unchanged (what failed is not
 * there, what succeeded is), no leak.
 */
START_TEST(test_allocation_failures) {
  imsms_failmalloc fm;
  long n;
  int rv = -1;

  make_users(200);
  for (n = 0; n < 5000 && rv != 0; n++) {
    imsms_kms_policy *p = NULL;
    imsms_kms_callbacks cb;
    imsms_kms_nf nf;
    imsms_ctx *c;
    size_t i, done = 0;
    int ok_nf = 0;

    imsms_failmalloc_init(&fm, -1);
    ck_assert_int_eq(imsms_ctx_new(&c, &fm.mem, NULL, NULL, NULL), 0);
    fm.calls = 0;
    fm.fail_at = n;
    rv = imsms_kms_policy_new(&p, c, NULL);
    for (i = 0; rv == 0 && i < 200; i++) {
      uint8_t psk[32];

      psk_of(&uids[i], psk);
      rv = i < 100 ? imsms_kms_policy_add_user(p, &uids[i], psk, 32)
                   : imsms_kms_policy_add_group_member(p, &TEAM, &uids[i]);
      done += rv == 0;
    }
    if (rv == 0) {
      memset(&nf, 0, sizeof(nf));
      nf.version = IMSMS_KMS_NF_V1;
      nf.identity = NF[2];
      nf.role = IMSMS_KMS_NF_APPLICATION_SERVER;
      nf.ids = uids;
      nf.nids = 200;
      nf.groups = &TEAM;
      nf.ngroups = 1;
      rv = imsms_kms_policy_add_network_function(p, &nf);
      ok_nf = rv == 0;
    }
    if (fm.failed) {
      ck_assert_int_eq(rv, IMSMS_ERR_NOMEM);
    }
    fm.fail_at = -1;
    if (p != NULL) {
      static const imsms_id none;
      uint8_t psk[256];

      /* The function fills in a caller's struct: it reads the version. */
      memset(&cb, 0, sizeof(cb));
      ck_assert_int_eq(imsms_kms_policy_callbacks(p, &cb), 0);
      /* Exactly the calls that succeeded took effect. */
      for (i = 0; i < 200; i++) {
        if (i < 100) {
          ck_assert_int_eq(
              cb.psk_lookup(NULL, &none, &uids[i], psk, sizeof(psk), p),
              i < done ? 32 : IMSMS_ERR_MIKEY_AUTH);
        } else {
          ck_assert_int_eq(cb.is_member(NULL, &TEAM, &uids[i], p) != 0,
                           i < done);
        }
      }
      ck_assert_int_eq(imsms_kms_policy_nf_role(p, &NF[2]),
                       ok_nf ? IMSMS_KMS_NF_APPLICATION_SERVER : 0);
    }
    imsms_kms_policy_del(p);
    imsms_ctx_del(c);
    ck_assert_int_eq(fm.live, 0);
  }
  ck_assert_int_eq(rv, 0);
  ck_assert_int_gt(n, 5);
  free(unames);
  free(uids);
}
END_TEST

/* After warm-up, exchanges and LI queries allocate nothing. */
START_TEST(test_no_allocation_when_warm) {
  imsms_failmalloc fk, fp;
  imsms_ctx *c, *cp;
  imsms_kms_policy *p;
  imsms_kms *k;
  imsms_kms_warrant w;
  imsms_mikey_ticket tk;
  static imsms_kms_li_out wlo;
  imsms_tp tp = make_tp(1, FORK, &TEAM, 1);
  int round;

  imsms_failmalloc_init(&fk, -1);
  imsms_failmalloc_init(&fp, -1);
  ck_assert_int_eq(imsms_ctx_new(&c, &fk.mem, NULL, NULL, NULL), 0);
  ck_assert_int_eq(imsms_ctx_new(&cp, &fp.mem, NULL, NULL, NULL), 0);
  ck_assert_int_eq(imsms_kms_policy_new(&p, cp, &the_app), 0);
  configure(p);
  k = engine(c, p);
  memset(&w, 0, sizeof(w));
  w.version = IMSMS_KMS_WARRANT_V1;
  w.target = BOB;
  w.start = now - HOUR;
  w.end = now + HOUR;
  for (round = 0; round < 3; round++) {
    if (round == 2) {
      fk.calls = fp.calls = 0;
    }
    ck_assert_int_eq(request(k, &ALICE, 1, &tp, now, &rinit, &ra), 0);
    ck_assert_int_eq(resolve(k, &NF[2], 1, &ra, now, &rx), 0);
    ck_assert_int_eq(resolve(k, &BOB, 1, &ra, now, &rb), 0);
    ck_assert_int_eq(kms_ue_ticket(&ra, &tk), 0);
    ck_assert_int_eq(imsms_kms_li_keys(k, &w, &tk, &rb.idrr, rb.randrkms,
                                       rb.randrkms_len, now, &wlo),
                     0);
    ck_assert_int_eq(imsms_kms_li_keys(k, &w, &tk, &rx.idrr, rx.randrkms,
                                       rx.randrkms_len, now, &wlo),
                     IMSMS_ERR_KMS_DENIED);
  }
  ck_assert_int_eq(fk.calls, 0);
  ck_assert_int_eq(fp.calls, 0);
  imsms_kms_del(k);
  imsms_kms_policy_del(p);
  imsms_ctx_del(c);
  imsms_ctx_del(cp);
  ck_assert_int_eq(fk.live, 0);
  ck_assert_int_eq(fp.live, 0);
}
END_TEST

/* ---- Threads -------------------------------------------------------- */

typedef struct reader {
  imsms_kms_callbacks cb;
  int errors;
} reader;

static void *reader_main(void *arg) {
  static const imsms_id none;
  reader *r = arg;
  uint8_t psk[256], want[32];
  imsms_tp tp = make_tp(0, FLAGS, &TEAM, 1);
  imsms_id as;
  int i;

  psk_of(&ALICE, want);
  /* A fixed count: with readers always in, glibc's reader-preferring
   * lock would keep the writer waiting. */
  for (i = 0; i < 20000; i++) {
    if (r->cb.psk_lookup(NULL, &none, &ALICE, psk, sizeof(psk), pol) != 32 ||
        memcmp(psk, want, 32) != 0 ||
        !r->cb.is_member(NULL, &TEAM, &CAROL, pol) ||
        r->cb.authorize_resolve(NULL, &BOB, &tp, &as, pol) != 0 ||
        r->cb.authorize_resolve(NULL, &DAVE, &tp, &as, pol) !=
            IMSMS_ERR_KMS_DENIED) {
      r->errors++;
    }
  }
  return NULL;
}

/* Engines on several threads share a policy that is being provisioned. */
START_TEST(test_threads) {
  pthread_t th[3];
  reader rd[3];
  size_t i, bad = 0;

  make_users(20000);
  for (i = 0; i < 3; i++) {
    memset(&rd[i], 0, sizeof(rd[i]));
    ck_assert_int_eq(imsms_kms_policy_callbacks(pol, &rd[i].cb), 0);
    ck_assert_int_eq(pthread_create(&th[i], NULL, reader_main, &rd[i]), 0);
  }
  for (i = 0; i < 20000; i++) {
    uint8_t psk[32];

    psk_of(&uids[i], psk);
    bad += imsms_kms_policy_add_user(pol, &uids[i], psk, 32) != 0;
    if (i % 4 == 0) {
      bad += imsms_kms_policy_add_group_member(pol, &TEAM, &uids[i]) != 0;
    }
  }
  ck_assert_int_eq(bad, 0);
  for (i = 0; i < 3; i++) {
    ck_assert_int_eq(pthread_join(th[i], NULL), 0);
    ck_assert_int_eq(rd[i].errors, 0);
  }
  free(unames);
  free(uids);
}
END_TEST

/* ---- Lawful interception ------------------------------------------- */

static imsms_kms_warrant warrant(const imsms_id *target, imsms_tstamp start,
                                 imsms_tstamp end) {
  imsms_kms_warrant w;

  memset(&w, 0, sizeof(w));
  w.version = IMSMS_KMS_WARRANT_V1;
  w.target = *target;
  w.start = start;
  w.end = end;
  return w;
}

static imsms_kms_li_out lo;

/* imsms_kms_li_keys() on |r|'s ticket; |lo| dirtied first. */
static int li(const imsms_kms_warrant *w, const kms_ue_result *r,
              const kms_ue_result *fork, imsms_tstamp t) {
  imsms_mikey_ticket tk;
  int rv, before = nev[IMSMS_KMS_LI_ACCESS] + nev[IMSMS_KMS_LI_REFUSED];

  ck_assert_int_eq(kms_ue_ticket(r, &tk), 0);
  memset(&lo, 0xa5, sizeof(lo));
  rv = imsms_kms_li_keys(kms, w, &tk, fork ? &fork->idrr : NULL,
                         fork ? fork->randrkms : NULL,
                         fork ? fork->randrkms_len : 0, t, &lo);
  /* One event per query, of the right type, naming the target. */
  ck_assert_int_eq(nev[IMSMS_KMS_LI_ACCESS] + nev[IMSMS_KMS_LI_REFUSED],
                   before + 1);
  ck_assert_int_eq(last_ev.type,
                   rv == 0 ? IMSMS_KMS_LI_ACCESS : IMSMS_KMS_LI_REFUSED);
  ck_assert_int_eq(last_ev.error, rv);
  ck_assert_uint_eq(last_ev.data_type, 0);
  ck_assert_uint_eq(last_ev.now, t);
  if (w != NULL && w->version == IMSMS_KMS_WARRANT_V1) {
    ck_assert(same(&last_ev.peer, &w->target));
  }
  if (rv != 0) {
    ck_assert(imsms_test_all_zero(&lo, sizeof(lo)));
  }
  return rv;
}

/* A ticket Alice -> Bob, both algorithm sets, with and without forking. */
START_TEST(test_li_inside_warrant) {
  uint8_t prf = (uint8_t)(_i & 1);
  int fork = _i >> 1;
  imsms_tp tp = make_tp(prf, fork ? FORK : FLAGS, &BOB, 1);
  imsms_kms_warrant wa = warrant(&ALICE, now - HOUR, now + HOUR);
  imsms_kms_warrant wb = warrant(&BOB, now - HOUR, now + HOUR);

  ck_assert_int_eq(request(kms, &ALICE, prf, &tp, now, &rinit, &ra), 0);
  ck_assert_int_eq(resolve(kms, &BOB, prf, &ra, now, &rb), 0);
  /* The Initiator's target: what Alice got. */
  ck_assert_int_eq(li(&wa, &ra, NULL, now), 0);
  ck_assert_int_eq(lo.party, IMSMS_KMS_LI_INITIATOR);
  ck_assert_int_eq(lo.forked, 0);
  ck_assert_uint_eq(lo.prf_func, prf);
  ck_assert_uint_eq(lo.flags, ra.ticket_flags);
  ck_assert_uint_eq(lo.t, now);
  assert_li_is(&lo, &ra);
  ck_assert_str_eq(last_init, "sip:alice@example.net");
  if (!fork) {
    /* Bob's keys are Alice's. */
    assert_li_is(&lo, &rb);
    ck_assert_int_eq(li(&wb, &ra, NULL, now), 0);
    ck_assert_int_eq(lo.party, IMSMS_KMS_LI_RESPONDER);
    assert_li_is(&lo, &rb);
  } else {
    /* With Bob's IDRr and RANDRkms: what Bob got, for either target. */
    ck_assert_int_eq(li(&wa, &ra, &rb, now), 0);
    ck_assert_int_eq(lo.forked, 1);
    assert_li_is(&lo, &rb);
    ck_assert_int_eq(li(&wb, &ra, &rb, now), 0);
    ck_assert_int_eq(lo.party, IMSMS_KMS_LI_RESPONDER);
    assert_li_is(&lo, &rb);
    /* A Responder's warrant never gets the unforked keys. */
    ck_assert_int_eq(li(&wb, &ra, NULL, now), IMSMS_ERR_MIKEY_MISSING);
  }
  /* Later in the warrant, long after the call: still the same keys. */
  ck_assert_int_eq(li(&wa, &ra, NULL, now + HOUR), 0);
  assert_li_is(&lo, &ra);
  /* Audit events carried no key. */
  assert_result_not_logged(&ra);
  assert_result_not_logged(&rb);
}
END_TEST

/* Template keys: TEK and GTGK as issued, the TGK forked, salts kept. */
START_TEST(test_li_template_keys) {
  imsms_tp_key tmpl[3];
  imsms_tp tp = make_tp(1, FORK, &BOB, 1);
  imsms_kms_warrant w = warrant(&BOB, now, now + HOUR);

  memset(tmpl, 0, sizeof(tmpl));
  tmpl[0].type = IMSMS_MIKEY_KEY_TEK_SALT;
  tmpl[0].key_len = 16;
  tmpl[0].salt_len = 14;
  tmpl[1].type = IMSMS_MIKEY_KEY_GTGK;
  tmpl[1].key_len = 32;
  tmpl[2].type = IMSMS_MIKEY_KEY_TGK_SALT;
  tmpl[2].key_len = 32;
  tp.keys = tmpl;
  tp.nkeys = 3;
  ck_assert_int_eq(request(kms, &ALICE, 1, &tp, now, &rinit, &ra), 0);
  ck_assert_int_eq(resolve(kms, &BOB, 1, &ra, now, &rb), 0);
  ck_assert_int_eq(li(&w, &ra, &rb, now), 0);
  ck_assert_uint_eq(lo.nkeys, 3);
  assert_li_is(&lo, &rb);
  assert_li_key(&lo.keys[0], &ra.keys[0]);
  assert_li_key(&lo.keys[1], &ra.keys[1]);
  ck_assert_mem_eq(lo.keys[2].salt, ra.keys[2].salt, 14);
  assert_result_not_logged(&rb);
}
END_TEST

/* Groups: a member's warrant covers its own fork, not another member's. */
START_TEST(test_li_group) {
  imsms_tp tp = make_tp(0, FORK, &TEAM, 1);
  imsms_kms_warrant wb = warrant(&BOB, now - HOUR, now + HOUR);
  imsms_kms_warrant wc = warrant(&CAROL, now - HOUR, now + HOUR);
  imsms_kms_warrant wt = warrant(&TEAM, now - HOUR, now + HOUR);

  ck_assert_int_eq(request(kms, &ALICE, 0, &tp, now, &rinit, &ra), 0);
  ck_assert_int_eq(resolve(kms, &BOB, 0, &ra, now, &rb), 0);
  ck_assert_int_eq(resolve(kms, &CAROL, 0, &ra, now, &rc2), 0);
  ck_assert_int_eq(li(&wb, &ra, &rb, now), 0);
  ck_assert_int_eq(lo.party, IMSMS_KMS_LI_MEMBER);
  assert_li_is(&lo, &rb);
  ck_assert_int_eq(li(&wc, &ra, &rc2, now), 0);
  assert_li_is(&lo, &rc2);
  /* Carol's warrant, Bob's fork: refused. */
  ck_assert_int_eq(li(&wc, &ra, &rb, now), IMSMS_ERR_KMS_DENIED);
  ck_assert_int_eq(li(&wc, &ra, NULL, now), IMSMS_ERR_MIKEY_MISSING);
  /* A warrant on the group identity covers the forks of its members. */
  ck_assert_int_eq(li(&wt, &ra, &rb, now), 0);
  ck_assert_int_eq(lo.party, IMSMS_KMS_LI_RESPONDER);
  assert_li_is(&lo, &rb);
  ck_assert_int_eq(li(&wt, &ra, NULL, now), IMSMS_ERR_MIKEY_MISSING);
  /* Without forking, the group key is every member's. */
  tp.flags = FLAGS;
  ck_assert_int_eq(request(kms, &ALICE, 0, &tp, now, &rinit, &ra), 0);
  ck_assert_int_eq(resolve(kms, &CAROL, 0, &ra, now, &rc2), 0);
  ck_assert_int_eq(li(&wc, &ra, NULL, now), 0);
  ck_assert_int_eq(lo.party, IMSMS_KMS_LI_MEMBER);
  assert_li_is(&lo, &rc2);
  /* Dave is in no party. */
  wc.target = DAVE;
  ck_assert_int_eq(li(&wc, &ra, NULL, now), IMSMS_ERR_KMS_DENIED);
  assert_result_not_logged(&ra);
  assert_result_not_logged(&rb);
  assert_result_not_logged(&rc2);
}
END_TEST

/* Outside the warrant: refused, nothing revealed. */
START_TEST(test_li_outside_warrant) {
  imsms_tp tp = make_tp(1, FORK, &BOB, 1);
  imsms_kms_warrant w;
  static kms_ue_result bad;

  ck_assert_int_eq(request(kms, &ALICE, 1, &tp, now, &rinit, &ra), 0);
  ck_assert_int_eq(resolve(kms, &BOB, 1, &ra, now, &rb), 0);
  /* Wrong target. */
  w = warrant(&DAVE, now - HOUR, now + HOUR);
  ck_assert_int_eq(li(&w, &ra, NULL, now), IMSMS_ERR_KMS_DENIED);
  ck_assert_int_eq(li(&w, &ra, &rb, now), IMSMS_ERR_KMS_DENIED);
  ck_assert_str_eq(last_peer, "sip:dave@example.net");
  ck_assert_str_eq(last_init, "sip:alice@example.net");
  /* Another type of the same identity is another identity. */
  w.target = ALICE;
  w.target.type = IMSMS_MIKEY_ID_NAI;
  ck_assert_int_eq(li(&w, &ra, NULL, now), IMSMS_ERR_KMS_DENIED);
  /* Expired: at query time, and for a ticket issued after its end. */
  w = warrant(&ALICE, now - 2 * HOUR, now - HOUR);
  ck_assert_int_eq(li(&w, &ra, NULL, now), IMSMS_ERR_TICKET_EXPIRED);
  ck_assert_int_eq(li(&w, &ra, NULL, now - HOUR), IMSMS_ERR_TICKET_EXPIRED);
  /* Not yet started: at query time, and for a ticket issued before. */
  w = warrant(&ALICE, now + HOUR, now + 2 * HOUR);
  ck_assert_int_eq(li(&w, &ra, NULL, now), IMSMS_ERR_TICKET_NOT_YET_VALID);
  ck_assert_int_eq(li(&w, &ra, NULL, now + HOUR),
                   IMSMS_ERR_TICKET_NOT_YET_VALID);
  /* The warrant's bounds are included. */
  w = warrant(&ALICE, now, now);
  ck_assert_int_eq(li(&w, &ra, NULL, now), 0);
  /* A ticket valid beyond the warrant, or from before it. */
  tp.has_start = 1;
  tp.start = now - HOUR;
  tp.has_end = 1;
  tp.end = now + 3 * HOUR;
  ck_assert_int_eq(request(kms, &ALICE, 1, &tp, now, &rinit, &ra), 0);
  w = warrant(&ALICE, now - 2 * HOUR, now + 2 * HOUR);
  ck_assert_int_eq(li(&w, &ra, NULL, now), IMSMS_ERR_TICKET_EXPIRED);
  w = warrant(&ALICE, now, now + 4 * HOUR);
  ck_assert_int_eq(li(&w, &ra, NULL, now), IMSMS_ERR_TICKET_NOT_YET_VALID);
  w = warrant(&ALICE, now - HOUR, now + 3 * HOUR);
  ck_assert_int_eq(li(&w, &ra, NULL, now), 0);
  /* A ticket whose TP was rewritten to name the target: its MAC fails. */
  tp = make_tp(0, FLAGS, &CAROL, 1);
  ck_assert_int_eq(request(kms, &ALICE, 0, &tp, now, &rinit, &ra), 0);
  w = warrant(&FRANK, now - HOUR, now + HOUR);
  ck_assert_int_eq(li(&w, &ra, NULL, now), IMSMS_ERR_KMS_DENIED);
  memcpy(&bad, &ra, sizeof(bad));
  {
    uint8_t *p = memmem(bad.ticket, bad.ticket_len, "carol", 5);

    ck_assert_ptr_nonnull(p);
    memcpy(p, "frank", 5);
  }
  ck_assert_int_eq(li(&w, &bad, NULL, now), IMSMS_ERR_MIKEY_AUTH);
  ck_assert_uint_eq(last_ev.initiator.len, 0);
  /* The last MAC byte. */
  w.target = CAROL;
  ck_assert_int_eq(li(&w, &ra, NULL, now), 0);
  memcpy(&bad, &ra, sizeof(bad));
  bad.ticket[bad.ticket_len - 3] ^= 1;
  ck_assert_int_eq(li(&w, &bad, NULL, now), IMSMS_ERR_MIKEY_AUTH);
  /* A retired ticket protection key. */
  {
    static const uint8_t tpk2[16] = "TPK number two..";

    ck_assert_int_eq(imsms_keyring_add(ring, 2, tpk2, sizeof(tpk2)), 0);
    ck_assert_int_eq(imsms_keyring_activate(ring, 2), 0);
    ck_assert_int_eq(imsms_keyring_retire(ring, 1), 0);
    ck_assert_int_eq(li(&w, &ra, NULL, now), IMSMS_ERR_TICKET_KEY_UNKNOWN);
  }
  ck_assert_int_eq(nev[IMSMS_KMS_LI_ACCESS], 3);
  ck_assert_int_eq(nev[IMSMS_KMS_LI_REFUSED], 13);
}
END_TEST

START_TEST(test_li_arguments) {
  imsms_tp tp = make_tp(0, FORK, &BOB, 1);
  imsms_kms_warrant w = warrant(&ALICE, now - HOUR, now + HOUR);
  imsms_mikey_ticket tk;
  static const uint8_t r300[300];

  ck_assert_int_eq(request(kms, &ALICE, 0, &tp, now, &rinit, &ra), 0);
  ck_assert_int_eq(resolve(kms, &BOB, 0, &ra, now, &rb), 0);
  ck_assert_int_eq(kms_ue_ticket(&ra, &tk), 0);
  ck_assert_int_eq(imsms_kms_li_keys(NULL, &w, &tk, NULL, NULL, 0, now, &lo),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(nev[IMSMS_KMS_LI_REFUSED], 0); /* no engine, no audit */
  ck_assert_int_eq(li(NULL, &ra, NULL, now), IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_kms_li_keys(kms, &w, NULL, NULL, NULL, 0, now, &lo),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_kms_li_keys(kms, &w, &tk, NULL, NULL, 0, now, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(nev[IMSMS_KMS_LI_REFUSED], 3);
  w.version = 2;
  ck_assert_int_eq(li(&w, &ra, NULL, now), IMSMS_ERR_VERSION);
  w = warrant(&ALICE, now + HOUR, now - HOUR);
  ck_assert_int_eq(li(&w, &ra, NULL, now), IMSMS_ERR_INVALID_ARGUMENT);
  w = warrant(&ALICE, now - HOUR, now + HOUR);
  w.target.len = 0;
  ck_assert_int_eq(li(&w, &ra, NULL, now), IMSMS_ERR_INVALID_ARGUMENT);
  w.target = ALICE;
  /* IDRr without RANDRkms, and the reverse; RANDRkms too long. */
  ck_assert_int_eq(imsms_kms_li_keys(kms, &w, &tk, &rb.idrr, NULL, 0, now, &lo),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_kms_li_keys(kms, &w, &tk, NULL, rb.randrkms,
                                     rb.randrkms_len, now, &lo),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(
      imsms_kms_li_keys(kms, &w, &tk, &rb.idrr, r300, 300, now, &lo),
      IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert(imsms_test_all_zero(&lo, sizeof(lo)));
  ck_assert_int_eq(imsms_kms_li_keys(kms, &w, &tk, &rb.idrr, rb.randrkms,
                                     rb.randrkms_len, now, &lo),
                   0);
  assert_li_is(&lo, &rb);
}
END_TEST

/*
 * An LI query leaves no trace users could see: no replay check, no
 * message, no other event; the replay cache is as it was (an old
 * RESOLVE_INIT is still a replay, a fresh one works) and the engine's
 * answers are the same as before.
 */
START_TEST(test_li_no_trace) {
  imsms_tp tp = make_tp(1, FORK, &BOB, 1);
  imsms_kms_warrant w = warrant(&BOB, now - HOUR, now + HOUR);
  static kms_ue_init rs, rs2;
  static uint8_t before[OUTCAP];
  size_t before_len;
  int replays, events[9];
  kms_ue b = ue_for(&BOB, 1);
  imsms_mikey_msg m1, m2;
  imsms_mikey_payload p1[16], p2[16];
  imsms_ssize n1, n2;
  int i;

  ck_assert_int_eq(request(kms, &ALICE, 1, &tp, now, &rinit, &ra), 0);
  b = ue_for(&BOB, 1);
  ck_assert_int_eq(resolve_ue(kms, &b, &ra, now, &rs, &rb), 0);
  memcpy(before, out, outlen);
  before_len = outlen;
  replays = the_app.replays;
  memcpy(events, nev, sizeof(events));
  memset(out, 0xee, sizeof(out));
  /* Queries granted and refused. */
  ck_assert_int_eq(li(&w, &ra, &rb, now), 0);
  assert_li_is(&lo, &rb);
  ck_assert_int_eq(li(&w, &ra, NULL, now), IMSMS_ERR_MIKEY_MISSING);
  w.target = DAVE;
  ck_assert_int_eq(li(&w, &ra, NULL, now), IMSMS_ERR_KMS_DENIED);
  /* Nothing but the LI events; no replay check; no output written. */
  ck_assert_int_eq(the_app.replays, replays);
  for (i = 1; i < 9; i++) {
    if (i != IMSMS_KMS_LI_ACCESS && i != IMSMS_KMS_LI_REFUSED) {
      ck_assert_int_eq(nev[i], events[i]);
    }
  }
  ck_assert_int_eq(nev[IMSMS_KMS_LI_ACCESS], events[IMSMS_KMS_LI_ACCESS] + 1);
  ck_assert_int_eq(nev[IMSMS_KMS_LI_REFUSED], events[IMSMS_KMS_LI_REFUSED] + 2);
  for (i = 0; i < OUTCAP; i++) {
    ck_assert_uint_eq(out[i], 0xee);
  }
  /* The replay cache: the old message still a replay, with no answer. */
  ck_assert_int_eq(
      imsms_kms_handle(kms, rs.msg, rs.len, now, out, sizeof(out), &outlen),
      IMSMS_ERR_MIKEY_REPLAY);
  ck_assert_uint_eq(outlen, 0);
  /* A fresh RESOLVE_INIT: the same keys, an answer of the same shape. */
  b = ue_for(&BOB, 1);
  ck_assert_int_eq(resolve_ue(kms, &b, &ra, now, &rs2, &rx), 0);
  assert_key_eq(&rx.mpki, &rb.mpki);
  ck_assert_uint_eq(outlen, before_len);
  n1 = imsms_mikey_decode_all(&m1, p1, 16, before, before_len);
  n2 = imsms_mikey_decode_all(&m2, p2, 16, out, outlen);
  ck_assert_int_gt(n1, 0);
  ck_assert_int_eq(n1, n2);
  for (i = 0; i < n1; i++) {
    ck_assert_uint_eq(p1[i].type, p2[i].type);
    ck_assert_uint_eq(p1[i].rawlen, p2[i].rawlen);
  }
  ck_assert_int_eq(the_app.replays, replays + 2);
  /* The forked keys of the fresh resolve are again what LI gives. */
  w.target = BOB;
  ck_assert_int_eq(li(&w, &ra, &rx, now), 0);
  assert_li_is(&lo, &rx);
  assert_result_not_logged(&rx);
  assert_result_not_logged(&ra);
}
END_TEST

static Suite *kms_policy_suite(void) {
  Suite *s = suite_create("kms_policy");
  TCase *tc = tcase_create("policy");
  TCase *tl = tcase_create("li");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_users);
  tcase_add_test(tc, test_wrong_user_data);
  tcase_add_loop_test(tc, test_groups, 0, 2);
  tcase_add_test(tc, test_retargeting);
  tcase_add_loop_test(tc, test_network_functions, 0, 6);
  tcase_add_test(tc, test_network_function_scope_growth);
  tcase_add_test(tc, test_limits);
  tcase_add_test(tc, test_100k_users);
  tcase_add_test(tc, test_config_arguments);
  tcase_add_test(tc, test_allocation_failures);
  tcase_add_test(tc, test_no_allocation_when_warm);
  tcase_add_test(tc, test_threads);
  suite_add_tcase(s, tc);
  tcase_add_checked_fixture(tl, setup, teardown);
  tcase_set_timeout(tl, 60);
  tcase_add_loop_test(tl, test_li_inside_warrant, 0, 4);
  tcase_add_test(tl, test_li_template_keys);
  tcase_add_test(tl, test_li_group);
  tcase_add_test(tl, test_li_outside_warrant);
  tcase_add_test(tl, test_li_arguments);
  tcase_add_test(tl, test_li_no_trace);
  suite_add_tcase(s, tl);
  return s;
}

int main(void) {
  return imsms_test_run(kms_policy_suite(), "kms_policy");
}
