/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * An in-process network for the call engine tests: a real KMS engine
 * (imsms_kms) with users and a group, and UEs (imsms_call) whose
 * transport callbacks queue every message they send; the test pumps the
 * queues by hand, so it can drop, reorder, replay or tamper with any
 * message. Events are recorded per UE.
 */
#ifndef IMSMS_TEST_CALL_NET_H
#define IMSMS_TEST_CALL_NET_H

#include <imsmediasec/call.h>
#include <imsmediasec/kms.h>

#define NET_MSG 8192
#define NET_QUEUE 4

/* Messages one UE sent one way, oldest first. */
typedef struct net_queue {
  uint8_t msg[NET_QUEUE][NET_MSG];
  size_t len[NET_QUEUE];
  size_t n;
} net_queue;

/* One UE: its call, what it sent, what it was told. */
typedef struct net_ue {
  imsms_call *call;
  net_queue to_kms;
  net_queue to_peer;
  size_t nready;
  uint8_t ready[IMSMS_CALL_MAX_SESSIONS];
  int npeer;
  char peer[256];
  int nerror;
  int error;
  int mikey_error;
  /* Nonzero: send_to_kms / send_to_peer fail. */
  int fail_send;
} net_ue;

/* The KMS side, shared by the UEs of a test. */
typedef struct net_kms {
  imsms_ctx *ctx;
  imsms_keyring *ring;
  imsms_kms *kms;
  imsms_replay *rc;
  uint8_t out[NET_MSG];
  size_t outlen;
  int last_rv;
  /* imsms_kms_callbacks.authorize_resolve of the next net_kms_policy(). */
  int (*authorize_resolve)(imsms_kms *, const imsms_id *, const imsms_tp *,
                           imsms_id *, void *);
  /* imsms_kms_callbacks.disclose_initiator of the next net_kms_policy(). */
  int (*disclose_initiator)(imsms_kms *, const imsms_id *, const imsms_tp *,
                            const imsms_id *, void *);
  /* imsms_kms_callbacks.audit of the next net_kms_policy(). */
  void (*audit)(imsms_kms *, const imsms_kms_event *, void *);
  /* imsms_kms_config.deferred_grace_sec of the next net_kms_policy(). */
  uint32_t deferred_grace_sec;
} net_kms;

extern const imsms_tstamp NET_NOW;
#define NET_SEC ((imsms_tstamp)1 << 32)

/* Identities: alice (caller), bob (callee, two devices), carol, team. */
extern imsms_id NET_ALICE, NET_BOB, NET_CAROL, NET_TEAM, NET_KMSID;
extern const uint8_t NET_PSK_ALICE[32], NET_PSK_BOB[20], NET_PSK_CAROL[24];

/* Fills the identities (call once per test, before anything else). */
void net_ids(void);

/* Nonzero when |a| and |b| are the same identity (type and bytes). */
int net_same(const imsms_id *a, const imsms_id *b);

/* A KMS on |ctx| with its own key ring (on |ring_ctx|), no replay cache. */
void net_kms_init(net_kms *k, imsms_ctx *ctx, imsms_ctx *ring_ctx);
void net_kms_free(net_kms *k);

/* Re-creates |k|'s engine with |authorize_request| as its request policy. */
void net_kms_policy(net_kms *k,
                    int (*authorize_request)(imsms_kms *, const imsms_id *,
                                             const imsms_tp *, imsms_tp *,
                                             void *));

/* The callbacks every test UE uses. */
void net_callbacks(imsms_call_callbacks *cb);

/* A desired policy asking for |resp| (|n|) with |flags| and |prf|. */
imsms_tp net_tp(uint8_t prf, uint16_t flags, const imsms_id *resp, size_t n);

/* A configuration for |id| with |psk|. */
imsms_call_config net_config(const imsms_id *id, const uint8_t *psk,
                             size_t psklen);

/* The PSK of a user, by identity. */
const uint8_t *net_psk(const imsms_id *id, size_t *len);

/*
 * The oldest message |from| sent that way, taken off its queue into
 * |buf| (room NET_MSG); returns its length, 0 when the queue is empty.
 */
size_t net_take(net_queue *q, uint8_t *buf);

/*
 * Passes the oldest message |u| sent to the KMS through the engine at
 * |now| and feeds the answer (when there is one) back to |u|. Returns
 * the imsms_call_recv() result, or the engine's result when it did not
 * answer (|k->last_rv| always holds the engine's).
 */
int net_kms_round(net_kms *k, net_ue *u, imsms_tstamp now);

/* Passes the oldest message |from| sent to its peer to |to|. */
int net_deliver(net_ue *from, net_ue *to, imsms_tstamp now);

/* Deletes |u|'s call and clears |u|. */
void net_ue_free(net_ue *u);

#endif /* IMSMS_TEST_CALL_NET_H */
