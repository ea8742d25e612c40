/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "call_net.h"

#include <check.h>
#include <string.h>

#include "kms/kms_int.h" /* imsms_kms_work_is_clear */

const imsms_tstamp NET_NOW = (imsms_tstamp)0xeb8a2c80u << 32;

imsms_id NET_ALICE, NET_BOB, NET_CAROL, NET_TEAM, NET_KMSID;

const uint8_t NET_PSK_ALICE[32] = "alice's 32-byte pre-shared key!";
const uint8_t NET_PSK_BOB[20] = "bob's pre-shared key";
const uint8_t NET_PSK_CAROL[24] = "carol's pre-shared key!";

static const uint8_t tpk[32] = "ticket protection key number 01";

static imsms_id mkid(const char *s, uint8_t type) {
  imsms_id id;

  id.type = type;
  id.data = (const uint8_t *)s;
  id.len = strlen(s);
  return id;
}

void net_ids(void) {
  NET_ALICE = mkid("sip:alice@example.net", IMSMS_MIKEY_ID_URI);
  NET_BOB = mkid("sip:bob@example.net", IMSMS_MIKEY_ID_URI);
  NET_CAROL = mkid("sip:carol@example.net", IMSMS_MIKEY_ID_URI);
  NET_TEAM = mkid("sip:team@example.net", IMSMS_MIKEY_ID_URI);
  NET_KMSID = mkid("kms.example.net", IMSMS_MIKEY_ID_NAI);
}

int net_same(const imsms_id *a, const imsms_id *b) {
  return a->len == b->len && a->type == b->type &&
         memcmp(a->data, b->data, a->len) == 0;
}

const uint8_t *net_psk(const imsms_id *id, size_t *len) {
  if (net_same(id, &NET_ALICE)) {
    *len = sizeof(NET_PSK_ALICE);
    return NET_PSK_ALICE;
  }
  if (net_same(id, &NET_BOB)) {
    *len = sizeof(NET_PSK_BOB);
    return NET_PSK_BOB;
  }
  if (net_same(id, &NET_CAROL)) {
    *len = sizeof(NET_PSK_CAROL);
    return NET_PSK_CAROL;
  }
  *len = 0;
  return NULL;
}

static imsms_ssize psk_lookup(imsms_kms *k, const imsms_id *idrpsk,
                              const imsms_id *peer, uint8_t *psk, size_t cap,
                              void *ud) {
  const uint8_t *p;
  size_t len;

  (void)k;
  (void)ud;
  (void)idrpsk;
  p = net_psk(peer, &len);
  if (p == NULL || len > cap) {
    return IMSMS_ERR_MIKEY_AUTH;
  }
  memcpy(psk, p, len);
  return (imsms_ssize)len;
}

static int is_member(imsms_kms *k, const imsms_id *group, const imsms_id *u,
                     void *ud) {
  (void)k;
  (void)ud;
  return net_same(group, &NET_TEAM) && net_same(u, &NET_BOB);
}

static void engine(net_kms *k,
                   int (*authorize_request)(imsms_kms *, const imsms_id *,
                                            const imsms_tp *, imsms_tp *,
                                            void *)) {
  imsms_kms_callbacks cb;
  imsms_kms_config cfg;

  memset(&cb, 0, sizeof(cb));
  cb.authorize_request = authorize_request;
  cb.authorize_resolve = k->authorize_resolve;
  cb.disclose_initiator = k->disclose_initiator;
  cb.audit = k->audit;
  cb.version = IMSMS_KMS_CALLBACKS_V1;
  cb.psk_lookup = psk_lookup;
  cb.is_member = is_member;
  memset(&cfg, 0, sizeof(cfg));
  cfg.version = IMSMS_KMS_CONFIG_V1;
  cfg.identity = NET_KMSID;
  cfg.keyring = k->ring;
  cfg.deferred_grace_sec = k->deferred_grace_sec;
  ck_assert_int_eq(imsms_kms_new(&k->kms, k->ctx, &cfg, &cb, NULL), 0);
}

void net_kms_init(net_kms *k, imsms_ctx *ctx, imsms_ctx *ring_ctx) {
  memset(k, 0, sizeof(*k));
  k->ctx = ctx;
  ck_assert_int_eq(imsms_keyring_new(&k->ring, ring_ctx), 0);
  ck_assert_int_eq(imsms_keyring_add(k->ring, 1, tpk, sizeof(tpk)), 0);
  engine(k, NULL);
}

void net_kms_policy(net_kms *k,
                    int (*authorize_request)(imsms_kms *, const imsms_id *,
                                             const imsms_tp *, imsms_tp *,
                                             void *)) {
  imsms_kms_del(k->kms);
  k->kms = NULL;
  engine(k, authorize_request);
}

void net_kms_free(net_kms *k) {
  imsms_kms_del(k->kms);
  imsms_keyring_del(k->ring);
  memset(k, 0, sizeof(*k));
}

/* ---- UE callbacks ---------------------------------------------------- */

static int push(net_queue *q, const uint8_t *msg, size_t len) {
  ck_assert_uint_lt(q->n, NET_QUEUE);
  ck_assert_uint_le(len, NET_MSG);
  memcpy(q->msg[q->n], msg, len);
  q->len[q->n++] = len;
  return 0;
}

static int send_to_kms(imsms_call *call, const uint8_t *msg, size_t len,
                       void *ud) {
  net_ue *u = ud;

  (void)call;
  return u->fail_send ? -1 : push(&u->to_kms, msg, len);
}

static int send_to_peer(imsms_call *call, const uint8_t *msg, size_t len,
                        void *ud) {
  net_ue *u = ud;

  (void)call;
  return u->fail_send ? -1 : push(&u->to_peer, msg, len);
}

static void keys_ready(imsms_call *call, uint8_t cs_id, void *ud) {
  net_ue *u = ud;
  imsms_cs_master m;

  ck_assert_uint_lt(u->nready, IMSMS_CALL_MAX_SESSIONS);
  u->ready[u->nready++] = cs_id;
  /* The keys can be read from inside the event. */
  if (imsms_call_cs_master(call, cs_id, &m) == 0) {
    ck_assert_uint_gt(m.key_len, 0);
  }
  imsms_secure_clear(&m, sizeof(m));
}

static void peer_identity(imsms_call *call, const imsms_id *peer, void *ud) {
  net_ue *u = ud;

  (void)call;
  ck_assert_uint_lt(peer->len, sizeof(u->peer));
  memcpy(u->peer, peer->data, peer->len);
  u->peer[peer->len] = 0;
  u->npeer++;
}

static void error(imsms_call *call, int err, int mikey_error, void *ud) {
  net_ue *u = ud;

  (void)call;
  ck_assert_int_lt(err, 0);
  u->nerror++;
  u->error = err;
  u->mikey_error = mikey_error;
}

void net_callbacks(imsms_call_callbacks *cb) {
  memset(cb, 0, sizeof(*cb));
  cb->version = IMSMS_CALL_CALLBACKS_V1;
  cb->send_to_kms = send_to_kms;
  cb->send_to_peer = send_to_peer;
  cb->keys_ready = keys_ready;
  cb->peer_identity = peer_identity;
  cb->error = error;
}

imsms_tp net_tp(uint8_t prf, uint16_t flags, const imsms_id *resp, size_t n) {
  imsms_tp tp;

  memset(&tp, 0, sizeof(tp));
  tp.version = IMSMS_TP_V1;
  tp.ticket_type = IMSMS_MIKEY_TICKET_MIKEY_BASE;
  tp.subtype = 1;
  tp.ticket_version = 1;
  tp.prf_func = prf;
  tp.flags = flags;
  tp.responders = resp;
  tp.nresponders = n;
  return tp;
}

imsms_call_config net_config(const imsms_id *id, const uint8_t *psk,
                             size_t psklen) {
  imsms_call_config cfg;

  memset(&cfg, 0, sizeof(cfg));
  cfg.version = IMSMS_CALL_CONFIG_V1;
  cfg.identity = *id;
  cfg.kms = NET_KMSID;
  cfg.psk = psk;
  cfg.psklen = psklen;
  return cfg;
}

/* ---- Pumping ---------------------------------------------------------- */

size_t net_take(net_queue *q, uint8_t *buf) {
  size_t len, i;

  if (q->n == 0) {
    return 0;
  }
  len = q->len[0];
  memcpy(buf, q->msg[0], len);
  for (i = 1; i < q->n; i++) {
    memcpy(q->msg[i - 1], q->msg[i], q->len[i]);
    q->len[i - 1] = q->len[i];
  }
  q->n--;
  return len;
}

int net_kms_round(net_kms *k, net_ue *u, imsms_tstamp now) {
  static uint8_t msg[NET_MSG];
  size_t len = net_take(&u->to_kms, msg);

  ck_assert_uint_gt(len, 0);
  k->last_rv = imsms_kms_handle(k->kms, msg, len, now, k->out, sizeof(k->out),
                                &k->outlen);
  /* No secret stays in the engine's work area (kms_int.h). */
  ck_assert(imsms_kms_work_is_clear(k->kms->w));
  if (k->outlen == 0) {
    return k->last_rv;
  }
  return imsms_call_recv(u->call, k->out, k->outlen, now);
}

int net_deliver(net_ue *from, net_ue *to, imsms_tstamp now) {
  static uint8_t msg[NET_MSG];
  size_t len = net_take(&from->to_peer, msg);

  ck_assert_uint_gt(len, 0);
  return imsms_call_recv(to->call, msg, len, now);
}

void net_ue_free(net_ue *u) {
  imsms_call_del(u->call);
  memset(u, 0, sizeof(*u));
}
