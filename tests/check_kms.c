/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The KMS engine (kms.h) against the test UE (kms_test_ue.c): complete
 * Ticket Request and Ticket Resolve exchanges for both algorithm sets,
 * key agreement with and without forking, groups, authorisation,
 * validity, tampered tickets, replays, authentication failures, error
 * answers, key-ring rotation, engines sharing a ring, audit events,
 * allocation.
 */
#define _GNU_SOURCE /* memmem */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/keys.h>
#include <imsmediasec/kms.h>

#include "det_provider.h"
#include "failmalloc.h"
#include "kms_checked.h"
#include "kms_test_ue.h"
#include "test_util.h"

#define SEC ((imsms_tstamp)1 << 32)
#define OUTCAP 8192

static const imsms_tstamp now = (imsms_tstamp)0xeb8a2c80u << 32;

static const char alice_s[] = "sip:alice@example.net";
static const char bob_s[] = "sip:bob@example.net";
static const char carol_s[] = "sip:carol@example.net";
static const char dave_s[] = "sip:dave@example.net";
static const char team_s[] = "sip:team@example.net";
static const char kms_s[] = "kms.example.net";
static const char btid_s[] = "btid-bob@bsf.example.net";
static const char nobody_s[] = "btid-nobody@bsf.example.net";

static const uint8_t psk_alice[32] = "alice's 32-byte pre-shared key!";
static const uint8_t psk_bob[20] = "bob's pre-shared key";
static const uint8_t psk_carol[16] = "carol's psk 0123";
static const uint8_t psk_dave[24] = "dave's pre-shared key 01";
static const uint8_t tpk1[32] = "ticket protection key number 01";
static const uint8_t tpk2[16] = "TPK number two..";

static imsms_id mkid(const char *s, uint8_t type) {
  imsms_id id;

  id.type = type;
  id.data = (const uint8_t *)s;
  id.len = strlen(s);
  return id;
}

static imsms_id ALICE, BOB, CAROL, DAVE, TEAM, KMSID, BTID, NOBODY;

/* ---- The embedder's side -------------------------------------------- */

typedef struct user {
  const imsms_id *id;
  const uint8_t *psk;
  size_t psklen;
} user;

static user users[4];

static const user *find_user(const imsms_id *id) {
  size_t i;

  for (i = 0; i < 4; i++) {
    if (id->len == users[i].id->len && id->type == users[i].id->type &&
        memcmp(id->data, users[i].id->data, id->len) == 0) {
      return &users[i];
    }
  }
  return NULL;
}

static int same(const imsms_id *a, const imsms_id *b) {
  return a->len == b->len && a->type == b->type &&
         memcmp(a->data, b->data, a->len) == 0;
}

/*
 * IDRpsk (a B-TID) names Bob's key; otherwise the message's identity
 * names the key. Either way the identity, when present, must be the
 * key's owner: the engine authorises by that identity.
 */
static imsms_ssize psk_lookup(imsms_kms *k, const imsms_id *idrpsk,
                              const imsms_id *peer, uint8_t *psk, size_t cap,
                              void *ud) {
  const user *u;

  (void)k;
  (void)ud;
  if (idrpsk->len) {
    u = same(idrpsk, &BTID) ? find_user(&BOB) : NULL;
    if (u == NULL || (peer->len && !same(peer, u->id))) {
      return IMSMS_ERR_MIKEY_AUTH;
    }
  } else if ((u = find_user(peer)) == NULL) {
    return IMSMS_ERR_MIKEY_AUTH;
  }
  ck_assert_uint_ge(cap, u->psklen);
  memcpy(psk, u->psk, u->psklen);
  return (imsms_ssize)u->psklen;
}

static int is_member(imsms_kms *k, const imsms_id *group, const imsms_id *u,
                     void *ud) {
  (void)k;
  (void)ud;
  return same(group, &TEAM) && same(u, &BOB);
}

/* Audit: counts per type, the last event, and every byte of every event. */
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
  (void)ud;
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

static imsms_ctx *kctx, *uctx, *rctx;
static imsms_keyring *ring;
static imsms_replay *rc;
static imsms_kms *kms;
static uint8_t out[OUTCAP];
static size_t outlen;

static void callbacks(imsms_kms_callbacks *cb) {
  memset(cb, 0, sizeof(*cb));
  cb->version = IMSMS_KMS_CALLBACKS_V1;
  cb->psk_lookup = psk_lookup;
  cb->is_member = is_member;
  cb->audit = audit;
}

static void config(imsms_kms_config *cfg, imsms_keyring *kr) {
  memset(cfg, 0, sizeof(*cfg));
  cfg->version = IMSMS_KMS_CONFIG_V1;
  cfg->identity = KMSID;
  cfg->keyring = kr;
}

static imsms_kms *engine(imsms_ctx *c, imsms_replay *r,
                         const imsms_kms_callbacks *base) {
  imsms_kms_callbacks cb;
  imsms_kms_config cfg;
  imsms_kms *k = NULL;

  if (base) {
    cb = *base;
  } else {
    callbacks(&cb);
  }
  cb.replay = r ? imsms_replay_check : NULL;
  cb.replay_data = r;
  config(&cfg, ring);
  ck_assert_int_eq(imsms_kms_new(&k, c, &cfg, &cb, NULL), 0);
  return k;
}

static void setup(void) {
  ALICE = mkid(alice_s, IMSMS_MIKEY_ID_URI);
  BOB = mkid(bob_s, IMSMS_MIKEY_ID_URI);
  CAROL = mkid(carol_s, IMSMS_MIKEY_ID_URI);
  DAVE = mkid(dave_s, IMSMS_MIKEY_ID_URI);
  TEAM = mkid(team_s, IMSMS_MIKEY_ID_URI);
  KMSID = mkid(kms_s, IMSMS_MIKEY_ID_NAI);
  BTID = mkid(btid_s, IMSMS_MIKEY_ID_NAI);
  NOBODY = mkid(nobody_s, IMSMS_MIKEY_ID_NAI);
  users[0] = (user){&ALICE, psk_alice, sizeof(psk_alice)};
  users[1] = (user){&BOB, psk_bob, sizeof(psk_bob)};
  users[2] = (user){&CAROL, psk_carol, sizeof(psk_carol)};
  users[3] = (user){&DAVE, psk_dave, sizeof(psk_dave)};
  memset(nev, 0, sizeof(nev));
  evlog_len = 0;
  kctx = imsms_test_ctx();
  uctx = imsms_test_ctx();
  rctx = imsms_test_ctx();
  ck_assert_int_eq(imsms_keyring_new(&ring, rctx), 0);
  ck_assert_int_eq(imsms_keyring_add(ring, 1, tpk1, sizeof(tpk1)), 0);
  ck_assert_int_eq(imsms_replay_new(&rc, kctx, 1024, 300), 0);
  kms = engine(kctx, rc, NULL);
}

static void teardown(void) {
  imsms_kms_del(kms);
  imsms_replay_del(rc);
  imsms_keyring_del(ring);
  imsms_ctx_del(kctx);
  imsms_ctx_del(uctx);
  imsms_ctx_del(rctx);
}

/* ---- Helpers -------------------------------------------------------- */

static kms_ue ue_for(const imsms_id *id, uint8_t prf) {
  kms_ue ue;
  const user *u = find_user(id);

  memset(&ue, 0, sizeof(ue));
  ue.ctx = uctx;
  ue.prf_func = prf;
  ue.id = *id;
  ue.kms = KMSID;
  ue.mac_kms = KMSID;
  ue.psk = u ? u->psk : psk_alice;
  ue.psklen = u ? u->psklen : sizeof(psk_alice);
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

/* REQUEST_INIT through |k| at |t|; the handle result, |res| on success. */
static int request(imsms_kms *k, const kms_ue *ue, const imsms_tp *tp,
                   imsms_tstamp t, kms_ue_init *init, kms_ue_result *res) {
  int rv;

  ck_assert_int_eq(kms_ue_request_init(ue, tp, t, init), 0);
  rv = imsms_kms_handle(k, init->msg, init->len, t, out, sizeof(out),
                        &outlen);
  if (rv == 0) {
    ck_assert_uint_gt(outlen, 0);
    ck_assert_int_eq(kms_ue_request_resp(ue, init, out, outlen, res), 0);
  } else if (outlen) {
    ck_assert_int_eq(kms_ue_request_resp(ue, init, out, outlen, res),
                     IMSMS_ERR_MIKEY_PEER_ERROR);
  }
  return rv;
}

static int resolve_bytes(imsms_kms *k, const kms_ue *ue, const uint8_t *tkt,
                         size_t len, imsms_tstamp t, kms_ue_init *init,
                         kms_ue_result *res) {
  int rv;

  ck_assert_int_eq(kms_ue_resolve_init(ue, tkt, len, t, init), 0);
  rv = imsms_kms_handle(k, init->msg, init->len, t, out, sizeof(out),
                        &outlen);
  if (rv == 0) {
    ck_assert_uint_gt(outlen, 0);
    ck_assert_int_eq(kms_ue_resolve_resp(ue, init, out, outlen, res), 0);
  } else if (outlen) {
    ck_assert_int_eq(kms_ue_resolve_resp(ue, init, out, outlen, res),
                     IMSMS_ERR_MIKEY_PEER_ERROR);
  }
  return rv;
}

static int resolve(imsms_kms *k, const kms_ue *ue, const kms_ue_result *req,
                   imsms_tstamp t, kms_ue_result *res) {
  static kms_ue_init init;

  return resolve_bytes(k, ue, req->ticket, req->ticket_len, t, &init, res);
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

static void assert_forked(uint8_t prf, int which, const kms_ue_key *orig,
                          const kms_ue_key *forked, const kms_ue_result *r) {
  uint8_t k[KMS_UE_MAX_KEY];

  ck_assert_int_eq(imsms_key_fork(uctx, prf, which, orig->key, orig->key_len,
                                  r->idrr.data, r->idrr.len, r->randrkms,
                                  r->randrkms_len, k),
                   0);
  ck_assert_uint_eq(forked->key_len, orig->key_len);
  ck_assert_mem_eq(k, forked->key, orig->key_len);
  ck_assert_int_ne(memcmp(orig->key, forked->key, orig->key_len), 0);
  ck_assert_mem_eq(forked->spi, orig->spi, orig->spi_len);
}

/* ---- Tests ---------------------------------------------------------- */

static kms_ue_init rinit;
static kms_ue_result ra, rb, rx;

/* Request by Alice, resolve by Bob: PRF 0/1 x forking off/on. */
START_TEST(test_exchange) {
  uint8_t prf = (uint8_t)(_i & 1);
  int fork = _i >> 1;
  size_t mpklen = prf ? 32 : 16;
  kms_ue a = ue_for(&ALICE, prf), b = ue_for(&BOB, prf);
  imsms_tp tp = make_tp(prf, fork ? FORK : FLAGS, &BOB, 1), granted;
  imsms_mikey_ticket tk;
  imsms_tp_key gk[8];
  imsms_id gids[8];

  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &ra), 0);
  ck_assert_int_eq(nev[IMSMS_KMS_REQUEST_GRANTED], 1);
  ck_assert_str_eq(last_peer, alice_s);
  ck_assert_str_eq(last_init, alice_s);
  ck_assert_uint_eq(last_ev.data_type, IMSMS_MIKEY_REQUEST_INIT_PSK);
  ck_assert_uint_eq(last_ev.csb_id, a.csb_id);
  ck_assert_int_eq(last_ev.error, 0);
  /* The answer: fresh T, MPKi (and MPKr when forking), one TGK. */
  ck_assert_uint_eq(ra.t, now);
  ck_assert_uint_eq(ra.mpki.key_len, mpklen);
  ck_assert_uint_eq(ra.mpki.spi_len, 4);
  ck_assert_uint_eq(ra.mpkr.key_len, fork ? mpklen : 0);
  ck_assert_uint_eq(ra.nkeys, 1);
  ck_assert_uint_eq(ra.keys[0].type, IMSMS_MIKEY_KEY_TGK);
  ck_assert_uint_eq(ra.keys[0].key_len, mpklen);
  ck_assert_uint_eq(ra.keys[0].spi_len, 4);
  /* The granted policy: as asked, D N O set, K clear, IDRi added. */
  ck_assert_int_eq(kms_ue_ticket(&ra, &tk), 0);
  ck_assert_int_eq(imsms_tp_decode(&granted, &tk, gk, 8, gids, 8), 0);
  ck_assert_uint_eq(granted.flags, (fork ? FORK : FLAGS) | IMSMS_TP_N |
                                       IMSMS_TP_O);
  ck_assert_int_eq(imsms_tp_grant_acceptable(&tp, &granted, NULL), 0);
  ck_assert(same(&granted.initiator, &ALICE));
  ck_assert_uint_eq(granted.nkeys, 0);

  ck_assert_int_eq(resolve(kms, &b, &ra, now + SEC, &rb), 0);
  ck_assert_int_eq(nev[IMSMS_KMS_RESOLVE_GRANTED], 1);
  ck_assert_str_eq(last_peer, bob_s);
  ck_assert_str_eq(last_init, alice_s);
  ck_assert_uint_eq(rb.t, now + SEC);
  ck_assert(same(&rb.idrr, &BOB));
  assert_key_eq(&ra.mpki, &rb.mpki);
  ck_assert_uint_eq(rb.nkeys, 1);
  if (fork) {
    ck_assert_uint_ge(rb.randrkms_len, 16);
    ck_assert_uint_ge(rb.randrkms_len, mpklen);
    assert_forked(prf, IMSMS_FORK_MPKR, &ra.mpkr, &rb.mpkr, &rb);
    assert_forked(prf, IMSMS_FORK_TGK, &ra.keys[0], &rb.keys[0], &rb);
  } else {
    ck_assert_uint_eq(rb.randrkms_len, 0);
    ck_assert_uint_eq(rb.mpkr.key_len, 0);
    assert_key_eq(&ra.keys[0], &rb.keys[0]);
  }
  /* No event carried a key. */
  assert_not_logged(ra.mpki.key, mpklen);
  assert_not_logged(ra.keys[0].key, mpklen);
  assert_not_logged(rb.keys[0].key, mpklen);
  if (fork) {
    assert_not_logged(ra.mpkr.key, mpklen);
    assert_not_logged(rb.mpkr.key, mpklen);
  }
}
END_TEST

/* A template of TEK+SALT, GTGK and TGK+SALT: only the TGK is forked. */
START_TEST(test_template_keys) {
  uint8_t prf = (uint8_t)_i;
  kms_ue a = ue_for(&ALICE, prf), b = ue_for(&BOB, prf);
  imsms_tp_key tmpl[3];
  imsms_tp tp = make_tp(prf, FORK, &BOB, 1);

  memset(tmpl, 0, sizeof(tmpl));
  tmpl[0].type = IMSMS_MIKEY_KEY_TEK_SALT;
  tmpl[0].key_len = 16;
  tmpl[0].salt_len = 14;
  tmpl[0].kv = IMSMS_MIKEY_KV_SPI;
  tmpl[0].spi_len = 4;
  tmpl[1].type = IMSMS_MIKEY_KEY_GTGK;
  tmpl[1].key_len = 16;
  tmpl[2].type = IMSMS_MIKEY_KEY_TGK_SALT;
  tmpl[2].key_len = 16;
  tp.keys = tmpl;
  tp.nkeys = 3;
  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &ra), 0);
  ck_assert_uint_eq(ra.nkeys, 3);
  ck_assert_uint_eq(ra.keys[0].type, IMSMS_MIKEY_KEY_TEK_SALT);
  ck_assert_uint_eq(ra.keys[0].salt_len, 14);
  ck_assert_uint_eq(ra.keys[1].type, IMSMS_MIKEY_KEY_GTGK);
  ck_assert_uint_eq(ra.keys[2].type, IMSMS_MIKEY_KEY_TGK_SALT);
  ck_assert_uint_eq(ra.keys[2].salt_len, 14); /* the default salt */
  ck_assert_int_eq(resolve(kms, &b, &ra, now, &rb), 0);
  ck_assert_uint_eq(rb.nkeys, 3);
  assert_key_eq(&ra.keys[0], &rb.keys[0]);
  assert_key_eq(&ra.keys[1], &rb.keys[1]);
  assert_forked(prf, IMSMS_FORK_TGK, &ra.keys[2], &rb.keys[2], &rb);
  ck_assert_mem_eq(ra.keys[2].salt, rb.keys[2].salt, 14);
  /* With PRF MIKEY-1 no key may be longer than 128 bits. */
  if (prf == 0) {
    tmpl[1].key_len = 32;
    ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &rx),
                     IMSMS_ERR_MIKEY_TP);
    ck_assert_int_eq(rx.error_no, IMSMS_MIKEY_ERR_INVALID_TPPAR);
  }
}
END_TEST

/* Two resolvers of one forking ticket get different MPKr' and TGK'. */
START_TEST(test_fork_two_resolvers) {
  const imsms_id resp[2] = {BOB, CAROL};
  kms_ue a = ue_for(&ALICE, 1), b = ue_for(&BOB, 1), c = ue_for(&CAROL, 1);
  imsms_tp tp = make_tp(1, FORK, resp, 2);
  static kms_ue_result rc2;

  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &ra), 0);
  ck_assert_int_eq(resolve(kms, &b, &ra, now, &rb), 0);
  ck_assert_int_eq(resolve(kms, &c, &ra, now, &rc2), 0);
  ck_assert(same(&rc2.idrr, &CAROL));
  assert_key_eq(&rb.mpki, &rc2.mpki);
  assert_forked(1, IMSMS_FORK_TGK, &ra.keys[0], &rb.keys[0], &rb);
  assert_forked(1, IMSMS_FORK_TGK, &ra.keys[0], &rc2.keys[0], &rc2);
  assert_forked(1, IMSMS_FORK_MPKR, &ra.mpkr, &rc2.mpkr, &rc2);
  ck_assert_int_ne(memcmp(rb.keys[0].key, rc2.keys[0].key, 32), 0);
  ck_assert_int_ne(memcmp(rb.mpkr.key, rc2.mpkr.key, 32), 0);
}
END_TEST

/*
 * Forking tickets need the Initiator's Initiator Data (RFC 6043 4.2.3.4):
 * without it, or with Vr not verifying under MPKr, nothing is resolved.
 */
START_TEST(test_initiator_data) {
  kms_ue a = ue_for(&ALICE, (uint8_t)_i), b = ue_for(&BOB, (uint8_t)_i);
  imsms_tp tp = make_tp((uint8_t)_i, FORK, &BOB, 1);
  size_t maclen = _i ? 32 : 20, end, vr, vi, ilen;
  static uint8_t t[KMS_UE_MSG];
  int granted = nev[IMSMS_KMS_RESOLVE_GRANTED];

  a.no_initiator_data = 1;
  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &ra), 0);
  ck_assert_int_eq(resolve(kms, &b, &ra, now, &rb), IMSMS_ERR_MIKEY_MISSING);
  a.no_initiator_data = 0;
  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &ra), 0);
  end = ra.ticket_len;
  vr = end - maclen;          /* Vr's MAC */
  vi = vr - 2 - maclen;       /* Vi's MAC */
  ck_assert_uint_eq(ra.ticket[vi - 2], IMSMS_MIKEY_PT_V); /* next of Vi */
  memcpy(t, ra.ticket, end);
  t[end - 1] ^= 0x80;
  ck_assert_int_eq(resolve_bytes(kms, &b, t, end, now, &rinit, &rx),
                   IMSMS_ERR_MIKEY_AUTH);
  ck_assert_int_eq(rx.error_no, IMSMS_MIKEY_ERR_AUTH_FAILURE);
  memcpy(t, ra.ticket, end);
  t[vi] ^= 1; /* Vi is covered by Vr */
  ck_assert_int_eq(resolve_bytes(kms, &b, t, end, now, &rinit, &rx),
                   IMSMS_ERR_MIKEY_AUTH);
  memcpy(t, ra.ticket, end);
  t[vr - 1] ^= 3; /* another MAC length: the chain no longer parses */
  ck_assert_int_eq(resolve_bytes(kms, &b, t, end, now, &rinit, &rx),
                   IMSMS_ERR_MIKEY_MISSING);
  /* Vr with the NULL MAC, the Initiator Data length following suit */
  ilen = 1 + 2 * (2 + maclen);
  memcpy(t, ra.ticket, end);
  t[vr - 1] = IMSMS_MIKEY_MAC_NULL;
  ck_assert_uint_eq(t[end - ilen - 1], ilen);
  t[end - ilen - 1] = (uint8_t)(ilen - maclen);
  ck_assert_int_eq(resolve_bytes(kms, &b, t, vr, now, &rinit, &rx),
                   IMSMS_ERR_MIKEY_MAC_ALG);
  ck_assert_int_eq(nev[IMSMS_KMS_RESOLVE_GRANTED], granted);
  ck_assert_int_eq(resolve(kms, &b, &ra, now, &rb), 0);
  ck_assert_int_eq(nev[IMSMS_KMS_RESOLVE_GRANTED], granted + 1);
  assert_forked((uint8_t)_i, IMSMS_FORK_TGK, &ra.keys[0], &rb.keys[0], &rb);
}
END_TEST

/* A group responder: members get keys bound to themselves; others not. */
START_TEST(test_group) {
  kms_ue a = ue_for(&ALICE, 0), b = ue_for(&BOB, 0), d = ue_for(&DAVE, 0);
  imsms_tp tp = make_tp(0, FORK, &TEAM, 1);

  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &ra), 0);
  ck_assert_int_eq(resolve(kms, &b, &ra, now, &rb), 0);
  ck_assert(same(&rb.idrr, &BOB));
  assert_forked(0, IMSMS_FORK_TGK, &ra.keys[0], &rb.keys[0], &rb);
  ck_assert_int_eq(resolve(kms, &d, &ra, now, &rx),
                   IMSMS_ERR_KMS_DENIED);
  ck_assert_int_eq(rx.error_no, IMSMS_MIKEY_ERR_AUTH_FAILURE);
  ck_assert_int_eq(rx.error_v, 1);
  ck_assert_int_eq(last_ev.type, IMSMS_KMS_RESOLVE_DENIED);
  ck_assert_str_eq(last_peer, dave_s);
}
END_TEST

/* A resolver who is not a responder is refused, with an Error message. */
START_TEST(test_unauthorised_resolver) {
  kms_ue a = ue_for(&ALICE, 1), c = ue_for(&CAROL, 1), b = ue_for(&BOB, 1);
  imsms_tp tp = make_tp(1, FLAGS, &BOB, 1);

  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &ra), 0);
  ck_assert_int_eq(resolve(kms, &c, &ra, now, &rx),
                   IMSMS_ERR_KMS_DENIED);
  ck_assert_int_eq(rx.error_no, IMSMS_MIKEY_ERR_AUTH_FAILURE);
  ck_assert_int_eq(rx.error_v, 1);
  ck_assert_int_eq(nev[IMSMS_KMS_RESOLVE_DENIED], 1);
  /* Without IDRr the default policy cannot tell who asks. */
  b.id.len = 0;
  b.idrpsk = BTID;
  ck_assert_int_eq(resolve(kms, &b, &ra, now, &rx),
                   IMSMS_ERR_KMS_DENIED);
  ck_assert_int_eq(nev[IMSMS_KMS_RESOLVE_DENIED], 2);
  /* With IDRpsk and IDRr, it can. */
  b.id = BOB;
  ck_assert_int_eq(resolve(kms, &b, &ra, now, &rb), 0);
}
END_TEST

/* The ticket's validity window is checked at resolve time. */
START_TEST(test_validity) {
  kms_ue a = ue_for(&ALICE, 0), b = ue_for(&BOB, 0);
  imsms_tp tp = make_tp(0, FLAGS, &BOB, 1);

  tp.has_start = 1;
  tp.start = now + 3600 * SEC;
  tp.has_end = 1;
  tp.end = now + 7200 * SEC;
  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &ra), 0);
  ck_assert_int_eq(resolve(kms, &b, &ra, now, &rx),
                   IMSMS_ERR_TICKET_NOT_YET_VALID);
  ck_assert_int_eq(rx.error_no, IMSMS_MIKEY_ERR_UNSPECIFIED);
  ck_assert_int_eq(rx.error_v, 1);
  ck_assert_int_eq(last_ev.type, IMSMS_KMS_REJECTED);
  ck_assert_int_eq(last_ev.error, IMSMS_ERR_TICKET_NOT_YET_VALID);
  ck_assert_int_eq(resolve(kms, &b, &ra, now + 5400 * SEC, &rb), 0);
  ck_assert_int_eq(resolve(kms, &b, &ra, now + 7201 * SEC, &rx),
                   IMSMS_ERR_TICKET_EXPIRED);
  ck_assert_int_eq(rx.error_v, 1);
}
END_TEST

/*
 * Every byte of the TICKET flipped, the RESOLVE_INIT re-MACed around it
 * (so the ticket itself is what is checked): always refused, never a
 * key. The first byte is the next-payload byte, which the UE rewrites.
 */
START_TEST(test_ticket_bit_flips) {
  kms_ue a = ue_for(&ALICE, (uint8_t)_i), b = ue_for(&BOB, (uint8_t)_i);
  imsms_tp tp = make_tp((uint8_t)_i, FORK, &BOB, 1);
  static uint8_t t[KMS_UE_MSG];
  static const uint8_t masks[2] = {0x01, 0x80};
  imsms_mikey_ticket tk;
  size_t i, m;
  int rv, granted;

  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &ra), 0);
  ck_assert_int_eq(resolve(kms, &b, &ra, now, &rb), 0);
  granted = nev[IMSMS_KMS_RESOLVE_GRANTED];
  for (m = 0; m < 2; m++) {
    for (i = 1; i < ra.ticket_len; i++) {
      memcpy(t, ra.ticket, ra.ticket_len);
      t[i] ^= masks[m];
      rv = resolve_bytes(kms, &b, t, ra.ticket_len, now, &rinit, &rx);
      ck_assert_msg(rv != 0, "flip of byte %zu accepted", i);
      ck_assert_msg(rv != IMSMS_ERR_MIKEY_REPLAY, "byte %zu", i);
      if (outlen) {
        imsms_mikey_msg em;

        ck_assert_int_eq(imsms_mikey_decode(&em, out, outlen), 0);
        ck_assert_uint_eq(em.hdr.data_type, IMSMS_MIKEY_ERROR);
        ck_assert_ptr_null(memmem(out, outlen, rb.mpki.key, rb.mpki.key_len));
      }
    }
  }
  ck_assert_int_eq(nev[IMSMS_KMS_RESOLVE_GRANTED], granted);
  /* A forged ticket MAC is an authentication failure of the ticket,
   * answered (the resolver is authenticated). */
  ck_assert_int_eq(kms_ue_ticket(&ra, &tk), 0);
  ck_assert_uint_gt(tk.init_data_len, 0);
  memcpy(t, ra.ticket, ra.ticket_len);
  /* the last MAC byte, before the Initiator Data and its length */
  t[ra.ticket_len - tk.init_data_len - 3] ^= 1;
  ck_assert_int_eq(resolve_bytes(kms, &b, t, ra.ticket_len, now, &rinit, &rx),
                   IMSMS_ERR_MIKEY_AUTH);
  ck_assert_int_eq(rx.error_no, IMSMS_MIKEY_ERR_AUTH_FAILURE);
  ck_assert_int_eq(rx.error_v, 1);
  ck_assert_int_eq(last_ev.type, IMSMS_KMS_REJECTED);
  /* Another ticket type: Invalid TICKET, before any key is used. */
  memcpy(t, ra.ticket, ra.ticket_len);
  t[1] = 0;
  t[2] = IMSMS_MIKEY_TICKET_3GPP_BASE;
  ck_assert_int_eq(resolve_bytes(kms, &b, t, ra.ticket_len, now, &rinit, &rx),
                   IMSMS_ERR_MIKEY_TICKET_TYPE);
  ck_assert_int_eq(rx.error_no, IMSMS_MIKEY_ERR_INVALID_TICKET);
  ck_assert_int_eq(rx.error_v, 1);
}
END_TEST

/* A replayed REQUEST_INIT or RESOLVE_INIT gets no answer. */
START_TEST(test_replay) {
  kms_ue a = ue_for(&ALICE, 0), b = ue_for(&BOB, 0);
  imsms_tp tp = make_tp(0, FLAGS, &BOB, 1);
  static kms_ue_init rs;

  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &ra), 0);
  ck_assert_int_eq(imsms_kms_handle(kms, rinit.msg, rinit.len, now + SEC, out,
                                    sizeof(out), &outlen),
                   IMSMS_ERR_MIKEY_REPLAY);
  ck_assert_uint_eq(outlen, 0);
  ck_assert_int_eq(last_ev.type, IMSMS_KMS_REJECTED);
  ck_assert_int_eq(last_ev.error, IMSMS_ERR_MIKEY_REPLAY);
  ck_assert_int_eq(resolve_bytes(kms, &b, ra.ticket, ra.ticket_len, now, &rs,
                                 &rb),
                   0);
  ck_assert_int_eq(imsms_kms_handle(kms, rs.msg, rs.len, now, out,
                                    sizeof(out), &outlen),
                   IMSMS_ERR_MIKEY_REPLAY);
  ck_assert_uint_eq(outlen, 0);
  /* Without a replay check the engine answers again (its choice). */
  {
    imsms_kms *k2 = engine(kctx, NULL, NULL);

    ck_assert_int_eq(imsms_kms_handle(k2, rs.msg, rs.len, now, out,
                                      sizeof(out), &outlen),
                     0);
    imsms_kms_del(k2);
  }
}
END_TEST

/* Wrong PSK, unknown IDRpsk, a key that is not the claimed identity's. */
START_TEST(test_authentication_failures) {
  static const uint8_t wrong[32] = "not alice's pre-shared key......";
  kms_ue a = ue_for(&ALICE, 1), b = ue_for(&BOB, 1);
  imsms_tp tp = make_tp(1, FLAGS, &BOB, 1);

  a.psk = wrong;
  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &rx),
                   IMSMS_ERR_MIKEY_AUTH);
  ck_assert_uint_eq(outlen, 0);
  ck_assert_int_eq(last_ev.type, IMSMS_KMS_AUTH_FAILED);
  ck_assert_int_eq(last_ev.error, IMSMS_ERR_MIKEY_AUTH);
  ck_assert_str_eq(last_peer, alice_s);
  a = ue_for(&ALICE, 1);
  a.idrpsk = NOBODY;
  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &rx),
                   IMSMS_ERR_MIKEY_AUTH);
  ck_assert_uint_eq(outlen, 0);
  /* Bob's B-TID with Alice's identity: the lookup refuses. */
  a.idrpsk = BTID;
  a.psk = psk_bob;
  a.psklen = sizeof(psk_bob);
  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &rx),
                   IMSMS_ERR_MIKEY_AUTH);
  ck_assert_uint_eq(outlen, 0);
  /* The MAC covers IDRkms: the configured one when it is left out. */
  a = ue_for(&ALICE, 1);
  a.kms.len = 0;
  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &ra), 0);
  a.mac_kms = CAROL;
  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &rx),
                   IMSMS_ERR_MIKEY_AUTH);
  /* Resolve with a wrong PSK: no answer either. */
  a = ue_for(&ALICE, 1);
  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &ra), 0);
  b.psk = psk_dave;
  b.psklen = sizeof(psk_dave);
  ck_assert_int_eq(resolve(kms, &b, &ra, now, &rx), IMSMS_ERR_MIKEY_AUTH);
  ck_assert_uint_eq(outlen, 0);
  ck_assert_int_eq(nev[IMSMS_KMS_AUTH_FAILED], 5);
}
END_TEST

/* One algorithm set per message: the other set's MAC is refused. */
START_TEST(test_mixed_algorithms) {
  kms_ue a = ue_for(&ALICE, 0);
  imsms_tp tp = make_tp(0, FLAGS, &BOB, 1);

  a.mac_alg = IMSMS_MIKEY_MAC_HMAC_SHA256_256;
  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &rx),
                   IMSMS_ERR_MIKEY_MAC_ALG);
  ck_assert_int_eq(rx.error_no, IMSMS_MIKEY_ERR_INVALID_MAC);
  ck_assert_int_eq(rx.error_v, 0); /* nothing was authenticated */
  a = ue_for(&ALICE, 1);
  tp.prf_func = 1;
  a.mac_alg = IMSMS_MIKEY_MAC_HMAC_SHA1_160;
  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &rx),
                   IMSMS_ERR_MIKEY_MAC_ALG);
  ck_assert_int_eq(rx.error_no, IMSMS_MIKEY_ERR_INVALID_MAC);
  /* A TP whose PRF is not the exchange's. */
  a.mac_alg = 0;
  tp.prf_func = 0;
  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &rx),
                   IMSMS_ERR_MIKEY_PRF);
  ck_assert_int_eq(rx.error_no, IMSMS_MIKEY_ERR_INVALID_PRF);
  ck_assert_int_eq(rx.error_v, 1);
  /* A ticket of one set resolved in the other set. */
  tp.prf_func = 1;
  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &ra), 0);
  {
    kms_ue b = ue_for(&BOB, 0);

    ck_assert_int_eq(resolve(kms, &b, &ra, now, &rx), IMSMS_ERR_MIKEY_PRF);
    ck_assert_int_eq(rx.error_v, 1);
  }
  ck_assert_int_eq(last_ev.type, IMSMS_KMS_REJECTED);
}
END_TEST

/* Ticket type and TP flag rules: Invalid TICKET and Invalid TPpar. */
START_TEST(test_tp_refusals) {
  kms_ue a = ue_for(&ALICE, 0);
  imsms_tp tp = make_tp(0, FLAGS, &BOB, 1);

  tp.ticket_type = IMSMS_MIKEY_TICKET_3GPP_BASE;
  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &rx),
                   IMSMS_ERR_MIKEY_TICKET_TYPE);
  ck_assert_int_eq(rx.error_no, IMSMS_MIKEY_ERR_INVALID_TICKET);
  ck_assert_int_eq(rx.error_v, 1);
  tp.ticket_type = IMSMS_MIKEY_TICKET_MIKEY_BASE;
  /* G without F. */
  a.force_tp_flags = 1;
  a.tp_flags = IMSMS_TP_D | IMSMS_TP_E | IMSMS_TP_G;
  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &rx),
                   IMSMS_ERR_MIKEY_TP);
  ck_assert_int_eq(rx.error_no, IMSMS_MIKEY_ERR_INVALID_TPPAR);
  ck_assert_int_eq(rx.error_v, 1);
  ck_assert_int_eq(last_ev.type, IMSMS_KMS_REJECTED);
  /*
   * Forking without F while the ticket gets its default TGK: the TP alone
   * passes imsms_tp_validate() (no template), the KMS refuses it.
   */
  a.tp_flags = IMSMS_TP_D | IMSMS_TP_E | IMSMS_TP_H | IMSMS_TP_I;
  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &rx),
                   IMSMS_ERR_MIKEY_TP);
  ck_assert_int_eq(rx.error_no, IMSMS_MIKEY_ERR_INVALID_TPPAR);
  /* A TP naming another initiator than the authenticated one. */
  a.force_tp_flags = 0;
  tp.initiator = CAROL;
  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &rx),
                   IMSMS_ERR_MIKEY_TP);
  ck_assert_int_eq(rx.error_no, IMSMS_MIKEY_ERR_INVALID_TPPAR);
  tp.initiator = ALICE;
  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &ra), 0);
  /* K set by the Initiator is ignored. */
  tp.flags |= IMSMS_TP_K;
  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &ra), 0);
  ck_assert_uint_eq(ra.ticket_flags & IMSMS_TP_K, 0);
}
END_TEST

/* Messages the KMS does not answer with keys, and bad arguments. */
START_TEST(test_other_messages) {
  kms_ue a = ue_for(&ALICE, 0);
  imsms_tp tp = make_tp(0, FLAGS, &BOB, 1);
  static uint8_t resp[OUTCAP];
  size_t resplen;
  imsms_mikey_msg m;

  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &ra), 0);
  memcpy(resp, out, outlen);
  resplen = outlen;
  /* A REQUEST_RESP sent to the KMS: Invalid DT. */
  ck_assert_int_eq(imsms_kms_handle(kms, resp, resplen, now, out, sizeof(out),
                                    &outlen),
                   IMSMS_ERR_MIKEY_UNEXPECTED);
  ck_assert_int_eq(imsms_mikey_decode(&m, out, outlen), 0);
  ck_assert_uint_eq(m.hdr.data_type, IMSMS_MIKEY_ERROR);
  ck_assert_uint_eq(m.hdr.csb_id, a.csb_id);
  memcpy(resp, out, outlen);
  resplen = outlen;
  /* An Error message is never answered. */
  ck_assert_int_eq(imsms_kms_handle(kms, resp, resplen, now, out, sizeof(out),
                                    &outlen),
                   IMSMS_ERR_MIKEY_UNEXPECTED);
  ck_assert_uint_eq(outlen, 0);
  /* A truncated request: an unprotected Error message. */
  ck_assert_int_eq(kms_ue_request_init(&a, &tp, now, &rinit), 0);
  ck_assert_int_eq(imsms_kms_handle(kms, rinit.msg, 20, now, out, sizeof(out),
                                    &outlen),
                   IMSMS_ERR_TRUNCATED);
  ck_assert_int_eq(imsms_mikey_decode(&m, out, outlen), 0);
  ck_assert_uint_eq(m.hdr.data_type, IMSMS_MIKEY_ERROR);
  ck_assert_int_eq(imsms_kms_handle(kms, rinit.msg, 5, now, out, sizeof(out),
                                    &outlen),
                   IMSMS_ERR_TRUNCATED);
  ck_assert_uint_eq(outlen, 0);
  /* Stale: an unprotected Error (Invalid TS). */
  ck_assert_int_eq(kms_ue_request_init(&a, &tp, now - 301 * SEC, &rinit), 0);
  ck_assert_int_eq(imsms_kms_handle(kms, rinit.msg, rinit.len, now, out,
                                    sizeof(out), &outlen),
                   IMSMS_ERR_MIKEY_STALE);
  ck_assert_int_eq(kms_ue_request_resp(&a, &rinit, out, outlen, &rx),
                   IMSMS_ERR_MIKEY_PEER_ERROR);
  ck_assert_int_eq(rx.error_no, IMSMS_MIKEY_ERR_INVALID_TS);
  ck_assert_int_eq(rx.error_v, 0);
  ck_assert_int_eq(last_ev.type, IMSMS_KMS_REJECTED);
  ck_assert_int_eq(kms_ue_request_init(&a, &tp, now + 299 * SEC, &rinit), 0);
  ck_assert_int_eq(imsms_kms_handle(kms, rinit.msg, rinit.len, now, out,
                                    sizeof(out), &outlen),
                   0);
  /* Too small an output buffer: nothing. */
  ck_assert_int_eq(kms_ue_request_init(&a, &tp, now, &rinit), 0);
  ck_assert_int_eq(imsms_kms_handle(kms, rinit.msg, rinit.len, now, out, 100,
                                    &outlen),
                   IMSMS_ERR_NOBUF);
  ck_assert_uint_eq(outlen, 0);
  ck_assert(imsms_test_all_zero(out, 100));
  ck_assert_int_eq(imsms_kms_handle(NULL, rinit.msg, rinit.len, now, out,
                                    sizeof(out), &outlen),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_kms_handle(kms, rinit.msg, rinit.len, now, NULL, 10,
                                    &outlen),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_kms_handle(kms, rinit.msg, rinit.len, now, out,
                                    sizeof(out), NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(test_new_arguments) {
  imsms_kms_callbacks cb;
  imsms_kms_config cfg;
  imsms_kms *k = NULL;

  callbacks(&cb);
  config(&cfg, ring);
  ck_assert_int_eq(imsms_kms_new(NULL, kctx, &cfg, &cb, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_kms_new(&k, NULL, &cfg, &cb, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_kms_new(&k, kctx, NULL, &cb, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_kms_new(&k, kctx, &cfg, NULL, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  cb.psk_lookup = NULL;
  ck_assert_int_eq(imsms_kms_new(&k, kctx, &cfg, &cb, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  cb.psk_lookup = psk_lookup;
  cfg.keyring = NULL;
  ck_assert_int_eq(imsms_kms_new(&k, kctx, &cfg, &cb, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  cfg.keyring = ring;
  cfg.identity.len = 65536;
  ck_assert_int_eq(imsms_kms_new(&k, kctx, &cfg, &cb, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  cfg.identity = KMSID;
  cfg.version = 2;
  ck_assert_int_eq(imsms_kms_new(&k, kctx, &cfg, &cb, NULL),
                   IMSMS_ERR_VERSION);
  cfg.version = IMSMS_KMS_CONFIG_V1;
  cb.version = 0;
  ck_assert_int_eq(imsms_kms_new(&k, kctx, &cfg, &cb, NULL),
                   IMSMS_ERR_VERSION);
  ck_assert_ptr_null(k);
  /* No identity configured: IDRkms is left out of answers. */
  cb.version = IMSMS_KMS_CALLBACKS_V1;
  cfg.identity.len = 0;
  cfg.identity.data = NULL;
  ck_assert_int_eq(imsms_kms_new(&k, kctx, &cfg, &cb, NULL), 0);
  {
    kms_ue a = ue_for(&ALICE, 0);
    imsms_tp tp = make_tp(0, FLAGS, &BOB, 1);

    a.kms.len = 0;
    a.mac_kms.len = 0;
    ck_assert_int_eq(request(k, &a, &tp, now, &rinit, &ra), 0);
  }
  imsms_kms_del(k);
  imsms_kms_del(NULL);
}
END_TEST

/* Key-ring rotation: old tickets resolve until their key is retired. */
START_TEST(test_rotation) {
  kms_ue a = ue_for(&ALICE, 1), b = ue_for(&BOB, 1);
  imsms_tp tp = make_tp(1, FLAGS, &BOB, 1);
  static kms_ue_result old, fresh;

  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &old), 0);
  ck_assert_int_eq(imsms_keyring_add(ring, 2, tpk2, sizeof(tpk2)), 0);
  ck_assert_int_eq(imsms_keyring_activate(ring, 2), 0);
  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &fresh), 0);
  ck_assert_int_eq(resolve(kms, &b, &old, now, &rb), 0);
  assert_key_eq(&old.keys[0], &rb.keys[0]);
  ck_assert_int_eq(resolve(kms, &b, &fresh, now, &rb), 0);
  assert_key_eq(&fresh.keys[0], &rb.keys[0]);
  ck_assert_int_eq(imsms_keyring_retire(ring, 1), 0);
  ck_assert_int_eq(resolve(kms, &b, &old, now, &rx),
                   IMSMS_ERR_TICKET_KEY_UNKNOWN);
  ck_assert_int_eq(rx.error_v, 1);
  ck_assert_int_eq(last_ev.error, IMSMS_ERR_TICKET_KEY_UNKNOWN);
  ck_assert_int_eq(resolve(kms, &b, &fresh, now, &rb), 0);
}
END_TEST

/* A provider that counts RNG calls. */
static int rng_calls;

static int counting_random(void *st, uint8_t *buf, size_t len) {
  rng_calls++;
  return imsms_crypto_default()->random(st, buf, len);
}

/* The RAND length of the ticket in |r| (a REQUEST_RESP's TICKET). */
static size_t ticket_rand_len(const kms_ue_result *r) {
  static uint8_t keybuf[2048];
  imsms_mikey_iter it;
  imsms_mikey_payload pl;
  imsms_ticket_info info;

  imsms_mikey_chain_init(&it, IMSMS_MIKEY_PT_TICKET, r->ticket,
                         r->ticket_len);
  ck_assert_int_eq(imsms_mikey_iter_next(&it, &pl), 0);
  ck_assert_int_eq(imsms_base_ticket_open(rctx, ring, &pl.u.ticket, keybuf,
                                          sizeof(keybuf), &info),
                   0);
  return info.rand_len;
}

/*
 * A request draws the ticket's RAND with its keys, one RNG call, once
 * the engine has seen the active TPK's length; a TPK of another length
 * costs one more call for one request (the seal draws the RAND), never a
 * wrong RAND: max(TPK, MPK) bytes, here with a 16-byte MPK.
 */
START_TEST(test_rand_drawn_with_keys) {
  static const uint8_t tpk3[64] = "a 64-byte ticket protection key, for a RAND longer than drawn";
  static const struct {
    uint32_t key_id;
    size_t rand_len;
    int rng_calls;
  } steps[] = {
      {1, 32, 2}, /* first request: nothing known */
      {1, 32, 1},
      {3, 64, 2}, /* longer TPK: the drawn RAND is too short */
      {3, 64, 1},
      {2, 16, 1}, /* shorter TPK: a prefix of the drawn one */
      {2, 16, 1},
      {1, 32, 2},
  };
  static imsms_crypto_provider counting;
  kms_ue a = ue_for(&ALICE, 0), b = ue_for(&BOB, 0);
  imsms_tp tp = make_tp(0, FLAGS, &BOB, 1);
  imsms_ctx *c = NULL;
  imsms_replay *r;
  imsms_kms *k;
  size_t i;

  counting = *imsms_crypto_default();
  counting.random = counting_random;
  ck_assert_int_eq(imsms_ctx_new(&c, NULL, &counting, NULL, NULL), 0);
  ck_assert_int_eq(imsms_replay_new(&r, c, 64, 300), 0);
  k = engine(c, r, NULL);
  ck_assert_int_eq(imsms_keyring_add(ring, 2, tpk2, sizeof(tpk2)), 0);
  ck_assert_int_eq(imsms_keyring_add(ring, 3, tpk3, sizeof(tpk3)), 0);
  for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
    ck_assert_int_eq(imsms_keyring_activate(ring, steps[i].key_id), 0);
    rng_calls = 0;
    ck_assert_int_eq(request(k, &a, &tp, now + i, &rinit, &ra), 0);
    ck_assert_int_eq(rng_calls, steps[i].rng_calls);
    ck_assert_uint_eq(ticket_rand_len(&ra), steps[i].rand_len);
    ck_assert_int_eq(resolve(kms, &b, &ra, now + i, &rb), 0);
    assert_key_eq(&ra.mpki, &rb.mpki);
    assert_key_eq(&ra.keys[0], &rb.keys[0]);
    ck_assert(imsms_kms_work_is_clear(k->w));
  }
  imsms_kms_del(k);
  imsms_replay_del(r);
  imsms_ctx_del(c);
}
END_TEST

/* A PSK lookup that fills the whole buffer, then fails as told. */
static imsms_ssize scribble_rv;

static imsms_ssize scribbling_lookup(imsms_kms *k, const imsms_id *idrpsk,
                                     const imsms_id *peer, uint8_t *psk,
                                     size_t cap, void *ud) {
  (void)k;
  (void)idrpsk;
  (void)peer;
  (void)ud;
  memset(psk, 0x5a, cap);
  return scribble_rv > 0 ? (imsms_ssize)cap + scribble_rv : scribble_rv;
}

/*
 * Whatever a failing PSK lookup wrote is wiped: an error, "no key" (0)
 * and a length over the buffer each refuse the message and leave the
 * work area clear (kms_handle_checked() checks it after every call).
 */
START_TEST(test_failed_psk_lookup_wiped) {
  static const imsms_ssize rvs[] = {IMSMS_ERR_MIKEY_AUTH, 0, 1};
  static const int want[] = {IMSMS_ERR_MIKEY_AUTH, IMSMS_ERR_MIKEY_AUTH,
                             IMSMS_ERR_CALLBACK_FAILURE};
  imsms_kms_callbacks cb;
  kms_ue a = ue_for(&ALICE, 0);
  imsms_tp tp = make_tp(0, FLAGS, &BOB, 1);
  imsms_kms *k;
  size_t i;

  callbacks(&cb);
  cb.psk_lookup = scribbling_lookup;
  k = engine(kctx, NULL, &cb);
  for (i = 0; i < sizeof(rvs) / sizeof(rvs[0]); i++) {
    scribble_rv = rvs[i];
    ck_assert_int_eq(request(k, &a, &tp, now, &rinit, &ra), want[i]);
    ck_assert(imsms_test_all_zero(k->w->psk, sizeof(k->w->psk)));
  }
  imsms_kms_del(k);
}
END_TEST

/* Engines sharing one ring resolve each other's tickets. */
START_TEST(test_two_engines) {
  imsms_ctx *c2 = imsms_test_ctx();
  imsms_replay *rc2;
  imsms_kms *k2;
  kms_ue a = ue_for(&ALICE, 0), b = ue_for(&BOB, 0);
  imsms_tp tp = make_tp(0, FORK, &BOB, 1);

  ck_assert_int_eq(imsms_replay_new(&rc2, c2, 64, 300), 0);
  k2 = engine(c2, rc2, NULL);
  ck_assert_int_eq(request(kms, &a, &tp, now, &rinit, &ra), 0);
  ck_assert_int_eq(resolve(k2, &b, &ra, now, &rb), 0);
  assert_key_eq(&ra.mpki, &rb.mpki);
  assert_forked(0, IMSMS_FORK_TGK, &ra.keys[0], &rb.keys[0], &rb);
  ck_assert_int_eq(request(k2, &a, &tp, now, &rinit, &ra), 0);
  ck_assert_int_eq(resolve(kms, &b, &ra, now, &rb), 0);
  assert_forked(0, IMSMS_FORK_MPKR, &ra.mpkr, &rb.mpkr, &rb);
  imsms_kms_del(k2);
  imsms_replay_del(rc2);
  imsms_ctx_del(c2);
}
END_TEST

/* ---- Policy callbacks ---------------------------------------------- */

static const imsms_id *narrow_to;

/* Grants only |narrow_to| as responder, clears J; denies Dave. */
static int authorize_request(imsms_kms *k, const imsms_id *requester,
                             const imsms_tp *requested, imsms_tp *granted,
                             void *ud) {
  (void)k;
  (void)ud;
  ck_assert_uint_eq(granted->nkeys, 0);
  ck_assert_uint_eq(granted->nresponders, requested->nresponders);
  if (same(requester, &DAVE)) {
    return IMSMS_ERR_KMS_DENIED;
  }
  if (narrow_to) {
    granted->responders = narrow_to;
    granted->nresponders = 1;
    granted->flags &= (uint16_t)~IMSMS_TP_J;
  }
  return 0;
}

/* Binds the keys to the ticket's first responder (a group). */
static int authorize_resolve(imsms_kms *k, const imsms_id *resolver,
                             const imsms_tp *ticket, imsms_id *as_idrr,
                             void *ud) {
  (void)k;
  (void)ud;
  if (same(resolver, &CAROL)) {
    return -1;
  }
  *as_idrr = ticket->responders[0];
  return 0;
}

START_TEST(test_policy_callbacks) {
  const imsms_id resp[2] = {TEAM, CAROL};
  imsms_kms_callbacks cb;
  imsms_kms *k;
  kms_ue a = ue_for(&ALICE, 1), b = ue_for(&BOB, 1), d = ue_for(&DAVE, 1),
         c = ue_for(&CAROL, 1);
  imsms_tp tp = make_tp(1, FORK | IMSMS_TP_J, resp, 2);
  imsms_mikey_ticket tk;
  imsms_tp granted;
  imsms_tp_key gk[8];
  imsms_id gids[8];

  callbacks(&cb);
  cb.authorize_request = authorize_request;
  cb.authorize_resolve = authorize_resolve;
  k = engine(kctx, NULL, &cb);
  /* As asked: no K. */
  narrow_to = NULL;
  ck_assert_int_eq(request(k, &a, &tp, now, &rinit, &ra), 0);
  ck_assert_uint_eq(ra.ticket_flags & IMSMS_TP_K, 0);
  /* Narrowed: K set, still acceptable to the Initiator. */
  narrow_to = &TEAM;
  ck_assert_int_eq(request(k, &a, &tp, now, &rinit, &ra), 0);
  ck_assert_uint_eq(ra.ticket_flags & IMSMS_TP_K, IMSMS_TP_K);
  ck_assert_uint_eq(ra.ticket_flags & IMSMS_TP_J, 0);
  ck_assert_int_eq(kms_ue_ticket(&ra, &tk), 0);
  ck_assert_int_eq(imsms_tp_decode(&granted, &tk, gk, 8, gids, 8), 0);
  ck_assert_uint_eq(granted.nresponders, 1);
  ck_assert_int_eq(imsms_tp_grant_acceptable(&tp, &granted, NULL), 0);
  /* Denied: Error (Auth failure) with V. */
  ck_assert_int_eq(request(k, &d, &tp, now, &rinit, &rx),
                   IMSMS_ERR_KMS_DENIED);
  ck_assert_int_eq(rx.error_no, IMSMS_MIKEY_ERR_AUTH_FAILURE);
  ck_assert_int_eq(rx.error_v, 1);
  ck_assert_int_eq(last_ev.type, IMSMS_KMS_REQUEST_DENIED);
  /* Resolve as the group: IDRr names it, keys forked for it. */
  ck_assert_int_eq(resolve(k, &b, &ra, now, &rb), 0);
  ck_assert(same(&rb.idrr, &TEAM));
  assert_forked(1, IMSMS_FORK_TGK, &ra.keys[0], &rb.keys[0], &rb);
  /* The callback's own code for a denial. */
  ck_assert_int_eq(resolve(k, &c, &ra, now, &rx), -1);
  ck_assert_int_eq(rx.error_no, IMSMS_MIKEY_ERR_AUTH_FAILURE);
  ck_assert_int_eq(last_ev.type, IMSMS_KMS_RESOLVE_DENIED);
  ck_assert_int_eq(last_ev.error, -1);
  imsms_kms_del(k);
}
END_TEST

/* ---- Allocation ---------------------------------------------------- */

static int exchange(imsms_kms *k, imsms_ctx *u, uint8_t prf) {
  kms_ue a = ue_for(&ALICE, prf), b = ue_for(&BOB, prf);
  imsms_tp tp = make_tp(prf, FORK, &BOB, 1);
  int rv;

  a.ctx = b.ctx = u;
  rv = request(k, &a, &tp, now, &rinit, &ra);
  return rv != 0 ? rv : resolve(k, &b, &ra, now, &rb);
}

/* After warm-up, a REQUEST and a RESOLVE allocate nothing. */
START_TEST(test_no_allocation_when_warm) {
  imsms_failmalloc fm;
  imsms_ctx *c;
  imsms_replay *r;
  imsms_kms *k;

  imsms_failmalloc_init(&fm, -1);
  ck_assert_int_eq(imsms_ctx_new(&c, &fm.mem, NULL, NULL, NULL), 0);
  ck_assert_int_eq(imsms_replay_new(&r, c, 256, 300), 0);
  k = engine(c, r, NULL);
  ck_assert_int_eq(exchange(k, uctx, 0), 0);
  ck_assert_int_eq(exchange(k, uctx, 1), 0);
  fm.calls = 0;
  ck_assert_int_eq(exchange(k, uctx, 0), 0);
  ck_assert_int_eq(exchange(k, uctx, 1), 0);
  ck_assert_int_eq(fm.calls, 0);
  imsms_kms_del(k);
  imsms_replay_del(r);
  imsms_ctx_del(c);
  ck_assert_int_eq(fm.live, 0);
}
END_TEST

/*
 * Fail allocation N of engine creation and a whole Request + Resolve, for
 * every N, each on a fresh context: clean errors, no leak.
 */
START_TEST(test_allocation_failures) {
  imsms_failmalloc fm;
  imsms_det_provider dp;
  imsms_ctx *c;
  imsms_replay *r = NULL;
  imsms_kms *k = NULL;
  long n;
  int rv = -1;

  imsms_det_provider_init(&dp, 7);
  for (n = 0; n < 2000 && rv != 0; n++) {
    imsms_failmalloc_init(&fm, -1);
    ck_assert_int_eq(imsms_ctx_new(&c, &fm.mem, &dp.vt, NULL, NULL), 0);
    fm.calls = 0;
    fm.fail_at = n;
    k = NULL;
    r = NULL;
    rv = imsms_replay_new(&r, c, 64, 300);
    if (rv == 0) {
      imsms_kms_callbacks cb;
      imsms_kms_config cfg;

      callbacks(&cb);
      cb.replay = imsms_replay_check;
      cb.replay_data = r;
      config(&cfg, ring);
      rv = imsms_kms_new(&k, c, &cfg, &cb, NULL);
    }
    if (rv == 0) {
      rv = exchange(k, uctx, (uint8_t)(n & 1));
      if (rv != 0) {
        ck_assert_uint_eq(outlen, 0);
      }
    }
    if (fm.failed) {
      ck_assert_int_eq(rv, IMSMS_ERR_NOMEM);
    }
    fm.fail_at = -1;
    imsms_kms_del(k);
    imsms_replay_del(r);
    imsms_ctx_del(c);
    ck_assert_int_eq(fm.live, 0);
  }
  ck_assert_int_eq(rv, 0);
  ck_assert_int_gt(n, 3);
}
END_TEST

static Suite *kms_suite(void) {
  Suite *s = suite_create("kms");
  TCase *tc = tcase_create("kms");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_loop_test(tc, test_exchange, 0, 4);
  tcase_add_loop_test(tc, test_template_keys, 0, 2);
  tcase_add_test(tc, test_fork_two_resolvers);
  tcase_add_loop_test(tc, test_initiator_data, 0, 2);
  tcase_add_test(tc, test_group);
  tcase_add_test(tc, test_unauthorised_resolver);
  tcase_add_test(tc, test_validity);
  tcase_add_loop_test(tc, test_ticket_bit_flips, 0, 2);
  tcase_add_test(tc, test_replay);
  tcase_add_test(tc, test_authentication_failures);
  tcase_add_test(tc, test_mixed_algorithms);
  tcase_add_test(tc, test_tp_refusals);
  tcase_add_test(tc, test_other_messages);
  tcase_add_test(tc, test_new_arguments);
  tcase_add_test(tc, test_rotation);
  tcase_add_test(tc, test_two_engines);
  tcase_add_test(tc, test_rand_drawn_with_keys);
  tcase_add_test(tc, test_failed_psk_lookup_wiped);
  tcase_add_test(tc, test_policy_callbacks);
  tcase_add_test(tc, test_no_allocation_when_warm);
  tcase_add_test(tc, test_allocation_failures);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return imsms_test_run(kms_suite(), "kms"); }
