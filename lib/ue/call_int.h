/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The call engine's internals (call.h), shared by:
 *   call.c          creation, dispatch, events, accessors
 *   msg.c           payload builders, timestamps, message keys (the
 *                   algorithm set is imsms_mikey_algs_for_prf()), Error
 *                   messages (both ways)
 *   kms_msg.c       REQUEST_INIT_PSK / RESOLVE_INIT_PSK and their answers
 *   request.c       the Initiator's Ticket Request exchange
 *   resolve.c       the Responder's Ticket Resolve exchange
 *   transfer_init.c TRANSFER_INIT: built, checked early, verified
 *   transfer_resp.c TRANSFER_RESP: built, verified
 *   sessions.c      crypto sessions: SPs, CS ID maps, session keys
 *
 * Memory: one block from the context's allocator holds the struct, the
 * secrets, the copied configuration and three message buffers. Nothing
 * else is allocated after creation. The secrets are wiped when the call
 * fails and, with the whole block, by imsms_call_del().
 *
 * Buffers: the Initiator builds REQUEST_INIT then TRANSFER_INIT in |a|
 * (each kept to verify its answer) and keeps the peer's identity in |b|.
 * The Responder keeps TRANSFER_INIT in |a| (verified after the resolve,
 * covered by TRANSFER_RESP's MAC) and builds RESOLVE_INIT, then
 * TRANSFER_RESP or an Error message, in |b|.
 */
#ifndef IMSMS_UE_CALL_INT_H
#define IMSMS_UE_CALL_INT_H

#include <imsmediasec/call.h>

#include "mikey/protect.h"

#define IMSMS_CALL_ROLE_INITIATOR 1
#define IMSMS_CALL_ROLE_RESPONDER 2

/* Keys a ticket may carry besides its MPKs. */
#define IMSMS_CALL_MAX_KEYS 8
/* Longest key (MPK, TGK, TEK) and salt kept. */
#define IMSMS_CALL_MAX_KEY 64
/* Longest SPI kept (the KMS engine uses 4 bytes). */
#define IMSMS_CALL_MAX_SPI 32
/* IDRapp plus IDRr entries of a policy. */
#define IMSMS_CALL_MAX_IDS 64
/* Payloads of one message. */
#define IMSMS_CALL_MAX_PAYLOADS 40
/* Decrypted key data of one KEMAC. */
#define IMSMS_CALL_KEYBUF 2048
/* Longest caller identity a KMS disclosure may carry. */
#define IMSMS_CALL_MAX_DISCLOSED 512
/* RANDs: at least 32 bytes, at most what a RANDR holds. */
#define IMSMS_CALL_RAND_MIN 32
#define IMSMS_CALL_RAND_MAX 255

/* A key of the ticket (or MPKi/MPKr). */
typedef struct imsms_call_key {
  uint8_t type; /* imsms_mikey_key_type */
  uint8_t key[IMSMS_CALL_MAX_KEY];
  size_t key_len;
  uint8_t salt[IMSMS_CALL_MAX_KEY];
  size_t salt_len;
  uint8_t spi[IMSMS_CALL_MAX_SPI];
  size_t spi_len;
  /* Supplied by a UE (RFC 6043 5.2): never forked. */
  uint8_t no_fork;
  /* Supplied by this side (imsms_call_config.keys). */
  uint8_t own;
} imsms_call_key;

/* Everything secret; wiped on failure and by imsms_call_del(). */
typedef struct imsms_call_secrets {
  uint8_t psk[256];
  size_t psklen;
  /* MPKi; MPKr (Initiator, forking) or MPKr' (Responder, forking). */
  imsms_call_key mpki;
  imsms_call_key mpkr;
  /* Initiator, forking: MPKr' of the peer that answered (CSB updates). */
  imsms_call_key mpkr_fork;
  imsms_call_key keys[IMSMS_CALL_MAX_KEYS];
  size_t nkeys;
  /* Keys this side supplies (imsms_call_config.keys). */
  imsms_call_key own[IMSMS_CALL_MAX_OWN_KEYS];
  size_t nown;
  imsms_cs_master master[IMSMS_CALL_MAX_SESSIONS];
  imsms_msrp_psk msrp;
  /* KEMAC plaintext; wiped after every use. */
  uint8_t plain[IMSMS_CALL_KEYBUF];
} imsms_call_secrets;

/* One crypto session. */
typedef struct imsms_call_cs {
  uint8_t cs_id;
  uint8_t prot_type;
  uint8_t s_flag; /* SRTP Session Data with ROC and SEQ */
  int has_ssrc;
  uint32_t ssrc;
  uint32_t roc;
  uint16_t seq;
  /* Initiator: offered suites and the policy number of each. */
  int suites[IMSMS_CALL_MAX_SUITES];
  uint8_t policies[IMSMS_CALL_MAX_SUITES];
  size_t nsuites;
  /* Agreed: suite (SRTP), policy number, ticket key index. */
  int suite;
  uint8_t policy_no;
  size_t key;
  /* Responder: the SPI TRANSFER_INIT names (0 bytes: none). */
  uint8_t spi[IMSMS_CALL_MAX_SPI];
  size_t spi_len;
  int ready;
  /* Initiator: 1 + the index of the own key it uses, or 0. */
  size_t own;
} imsms_call_cs;

/* Responder: an SSRC to fill in, by CS ID. */
typedef struct imsms_call_ssrc {
  uint8_t cs_id;
  uint32_t ssrc;
  size_t own; /* 1 + the index of the own key the session uses, or 0 */
} imsms_call_ssrc;

struct imsms_call {
  imsms_ctx *ctx;
  int role;
  int state; /* imsms_call_state */
  imsms_call_callbacks cb;
  void *user_data;
  imsms_call_secrets *sec;

  /* Configuration, copied (identity bytes in |arena|). */
  imsms_id identity;
  imsms_id kms;
  imsms_id idrpsk;
  imsms_id peer;
  imsms_tp tp; /* Initiator's desired policy */
  imsms_tp_key tp_keys[IMSMS_CALL_MAX_KEYS];
  imsms_id tp_ids[IMSMS_CALL_MAX_IDS];
  int suites[IMSMS_CALL_MAX_SUITES]; /* Responder */
  size_t nsuites;
  int accept_tls;
  imsms_call_ssrc ssrcs[IMSMS_CALL_MAX_SESSIONS]; /* Responder */
  size_t nssrcs;
  uint32_t skew_sec;
  uint32_t max_age_sec; /* TRANSFER_INIT, Responder: >= skew_sec */
  uint32_t timeout_sec;

  /* The exchange. */
  imsms_tstamp wait_since;
  uint8_t prf;    /* ticket PRF = HDR PRF of every message */
  uint16_t flags; /* granted ticket flags */
  uint32_t kms_csb;
  uint32_t csb;
  /* RANDRi of the Request exchange, or RANDRr of the Resolve exchange. */
  uint8_t kms_rand[IMSMS_CALL_RAND_MAX];
  size_t kms_rand_len;
  uint8_t randri[IMSMS_CALL_RAND_MAX];
  size_t randri_len;
  uint8_t randrr[IMSMS_CALL_RAND_MAX];
  size_t randrr_len;
  imsms_call_cs cs[IMSMS_CALL_MAX_SESSIONS];
  size_t ncs;
  int peer_error;
  int peer_suites[IMSMS_CALL_MAX_SUITES];
  size_t npeer_suites;
  imsms_id peer_id; /* vouched identity; |len| 0: unknown */
  /* Initiator: stay anonymous toward the responders (call.h). */
  int anonymous;
  /* Responder: an anonymous caller's identity the KMS disclosed. */
  uint8_t disclosed[IMSMS_CALL_MAX_DISCLOSED];
  /*
   * RFC 4567 protocol list: the Initiator sends it in TRANSFER_INIT
   * (General Extension SDP IDs), the Responder requires it there.
   */
  char sdp_ids[128];
  size_t sdp_ids_len;
  /*
   * CSB update (RFC 6043 5.2): |u| holds the last update message built
   * (the TRANSFER_INIT whose answer is awaited, or our TRANSFER_RESP);
   * |upd_t| is the T of the last update sent or accepted: every later one
   * must be newer (replays and reflections are refused); |upd_key| is the
   * new key while |upd_wait|.
   */
  uint8_t *u;
  size_t ulen;
  imsms_tstamp upd_t;
  int upd_wait;
  size_t upd_key;
  /* Update keys live in slots |upd_base| and |upd_base| + 1, in turn. */
  int upd_slots;
  size_t upd_base;
  /* The last message for the peer, and for the KMS (in |a| or |b|). */
  const uint8_t *peer_msg;
  size_t peer_msg_len;
  const uint8_t *kms_msg;
  size_t kms_msg_len;
  /* Responder: the ticket policy of TRANSFER_INIT (views into |a|). */
  imsms_tp ticket;
  imsms_tp_key ticket_keys[IMSMS_CALL_MAX_KEYS];
  imsms_id ticket_ids[IMSMS_CALL_MAX_IDS];

  /* Messages. */
  uint8_t *a;
  size_t alen;
  uint8_t *b;
  size_t blen;
  size_t msgcap;
  uint8_t *arena;
};

/* A received message, decoded. */
typedef struct imsms_call_msg {
  imsms_mikey_msg msg;
  imsms_mikey_payload pl[IMSMS_CALL_MAX_PAYLOADS];
  size_t npl;
} imsms_call_msg;

/* ---- call.c ---------------------------------------------------------- */

/* Hands |len| bytes at |msg| to send_to_kms or send_to_peer. */
int imsms_ue_send(imsms_call *call, int to_kms, const uint8_t *msg, size_t len);

/*
 * Ends the call: state FAILED, the error event with |rv| and
 * |mikey_error| (-1: none). Returns |rv|.
 */
int imsms_ue_fail(imsms_call *call, int rv, int mikey_error);

/* Starts waiting for an answer at |now|. */
void imsms_ue_wait(imsms_call *call, int state, imsms_tstamp now);

/* Finds the crypto session |cs_id|, or NULL. */
imsms_call_cs *imsms_ue_cs(imsms_call *call, uint8_t cs_id);

/* ---- msg.c ----------------------------------------------------------- */

/* MAC length of the set of |prf| (20 or 32). */
size_t imsms_ue_mac_len(uint8_t prf);

/* RAND length for keys of up to |keylen| bytes: 32 to 255. */
size_t imsms_ue_rand_len(size_t keylen);

void imsms_ue_pl_t(imsms_mikey_payload *pl, imsms_tstamp t);
void imsms_ue_pl_randr(imsms_mikey_payload *pl, uint8_t role,
                       const uint8_t *rand, size_t len);
void imsms_ue_pl_idr(imsms_mikey_payload *pl, uint8_t role, const imsms_id *id);
/* A V payload with a zero MAC of the set of |prf|. */
void imsms_ue_pl_v(imsms_mikey_payload *pl, uint8_t prf);

/* Nonzero when |a| and |b| name the same identity (type and bytes). */
int imsms_ue_same_id(const imsms_id *a, const imsms_id *b);

/* The identity an IDR payload carries. */
void imsms_ue_take_id(imsms_id *id, const imsms_mikey_idr *idr);

/* Checks an NTP timestamp against |now| within |skew_sec|. */
int imsms_ue_check_time(const imsms_mikey_payload *t, imsms_tstamp now,
                        uint32_t skew_sec);

/* The same, but |t| may lie up to |max_age_sec| in the past. */
int imsms_ue_check_age(const imsms_mikey_payload *t, imsms_tstamp now,
                       uint32_t skew_sec, uint32_t max_age_sec);

/* Decodes |in| into |m|. */
int imsms_ue_decode(imsms_call_msg *m, const uint8_t *in, size_t inlen);

/*
 * Where one payload of a message goes when gathered: its type and, for
 * IDR, RANDR and General Extension payloads, its role (or extension
 * type); -1 matches any.
 */
typedef struct imsms_ue_slot {
  uint8_t type;
  int role;
  const imsms_mikey_payload **slot;
} imsms_ue_slot;

/*
 * Points each slot at the payload of |m| it names (NULL when absent);
 * other payloads are ignored. Returns nonzero when a slot is matched
 * twice.
 */
int imsms_ue_gather(const imsms_call_msg *m, const imsms_ue_slot *slots,
                    size_t n);

/* The last payload of |m| when it is a V payload, else NULL. */
const imsms_mikey_payload *imsms_ue_last_v(const imsms_call_msg *m);

/*
 * RFC 6043 5.1.2 message keys from |key| under |prf| for CSB |csb|,
 * initial (|response| 0) or response label, with the RANDs given.
 */
int imsms_ue_msgkeys(imsms_call *call, const uint8_t *key, size_t keylen,
                     uint32_t csb, int response, const uint8_t *ri,
                     size_t rilen, const uint8_t *rr, size_t rrlen,
                     imsms_mikey_msgkeys *k);

/*
 * An Error message |m| from the KMS or the peer: its first ERR number
 * (and, when |suites| is set, the SRTP suites its SPs describe) is
 * recorded; when it carries V and |k| is given, V must verify under
 * |k|. Returns IMSMS_ERR_MIKEY_AUTH (discard it) or 0 (believe it).
 */
int imsms_ue_peer_error(imsms_call *call, const imsms_call_msg *m,
                        const imsms_mikey_msgkeys *k, int suites);

/*
 * Sends the peer an unprotected Error message answering |failed| with
 * the ERR number of |rv|, and this Responder's supported SPs when
 * |with_sps|. Failures to build it are ignored (the call fails anyway);
 * a failure of send_to_peer is returned.
 */
int imsms_ue_send_error(imsms_call *call, const imsms_mikey_msg *failed, int rv,
                        int with_sps, imsms_tstamp now);

/* ---- kms_msg.c ------------------------------------------------------- */

/*
 * Builds REQUEST_INIT_PSK (|resolve| 0, |body| the TP payload) or
 * RESOLVE_INIT_PSK (|resolve| 1, |body| the TICKET payload) into |out|
 * at |now| with a fresh CSB ID and RAND, and sets |*outlen|.
 */
int imsms_ue_kms_init(imsms_call *call, int resolve,
                      const imsms_mikey_payload *body, imsms_tstamp now,
                      uint8_t *out, size_t *outlen);

/* What a KMS answer gave besides the keys (views into the answer). */
typedef struct imsms_ue_kms_answer {
  const imsms_mikey_payload *ticket; /* REQUEST_RESP */
  const imsms_mikey_payload *idrr;   /* RESOLVE_RESP, optional */
  /* RESOLVE_RESP: the anonymous caller, when the KMS discloses it. */
  const imsms_mikey_payload *idri;
  const imsms_mikey_payload *randrkms;
  size_t plain_len; /* key data in sec->plain */
} imsms_ue_kms_answer;

/*
 * Checks the KMS answer |in| to the initial message |init| (|initlen|
 * bytes): an Error message ends the call; REQUEST_RESP or RESOLVE_RESP
 * has its MAC verified and its KEMAC decrypted into sec->plain.
 */
int imsms_ue_kms_answer_check(imsms_call *call, int resolve,
                              const uint8_t *init, size_t initlen,
                              const uint8_t *in, size_t inlen, imsms_tstamp now,
                              imsms_call_msg *m, imsms_ue_kms_answer *ans);

/*
 * Stores MPKi, [MPKr or MPKr'] (|with_mpkr|) and the keys of the key
 * data chain in sec->plain (|len| bytes) into the secrets.
 */
int imsms_ue_take_keys(imsms_call *call, size_t len, int with_mpkr);

/* ---- request.c, resolve.c ------------------------------------------- */

int imsms_ue_request_start(imsms_call *call, imsms_tstamp now);
int imsms_ue_request_resp(imsms_call *call, const uint8_t *in, size_t inlen,
                          imsms_tstamp now);
/* Sends RESOLVE_INIT_PSK for the TICKET payload |ticket|. */
int imsms_ue_resolve_start(imsms_call *call, const imsms_mikey_payload *ticket,
                           imsms_tstamp now);
int imsms_ue_resolve_resp(imsms_call *call, const uint8_t *in, size_t inlen,
                          imsms_tstamp now);

/* ---- transfer_init.c ------------------------------------------------ */

/*
 * Initiator: builds TRANSFER_INIT around the TICKET payload |ticket| of
 * REQUEST_RESP into |a| and sends it.
 */
int imsms_ue_transfer_init_send(imsms_call *call,
                                const imsms_mikey_payload *ticket,
                                imsms_tstamp now);

/* Responder: the early checks of TRANSFER_INIT, then the resolve. */
int imsms_ue_transfer_init_recv(imsms_call *call, const uint8_t *in,
                                size_t inlen, imsms_tstamp now);

/*
 * Responder, after the resolve: verifies the stored TRANSFER_INIT with
 * MPKi and, forking, its Vi; then the replay check.
 */
int imsms_ue_transfer_init_verify(imsms_call *call, imsms_tstamp now);

/*
 * The MAC input of TRANSFER_INIT |m| (RFC 6043 5.5): the message up to
 * the TICKET's Initiator Data length, the rest up to V's MAC, then the
 * ID Data of IDRi and IDRr (empty when absent). Fills |iov| (4 pieces)
 * and |*v|.
 */
int imsms_ue_transfer_init_iov(const imsms_call_msg *m, imsms_iov *iov,
                               const imsms_mikey_payload **v);

/* ---- transfer_resp.c ------------------------------------------------ */

/* Responder: builds and sends TRANSFER_RESP (RESOLVE_RESP's IDRr and
 * RANDRkms given, both optional). */
int imsms_ue_transfer_resp_send(imsms_call *call,
                                const imsms_mikey_payload *idrr,
                                const imsms_mikey_payload *randrkms,
                                imsms_tstamp now);

/* Initiator: checks TRANSFER_RESP and derives the keys. */
int imsms_ue_transfer_resp_recv(imsms_call *call, const uint8_t *in,
                                size_t inlen, imsms_tstamp now);

/* ---- sessions.c ----------------------------------------------------- */

/*
 * Initiator: the SP payloads of the offer into |sp| (room for |cap|,
 * parameter bytes in |buf|, |bufcap|), the policy numbers recorded per
 * session. Returns the number of SPs.
 */
imsms_ssize imsms_ue_offer_sps(imsms_call *call, imsms_mikey_payload *sp,
                               size_t cap, uint8_t *buf, size_t bufcap);

/*
 * The GENERIC-ID map of the call's sessions into |out| (|cap|): the
 * offer (|answer| 0: every offered policy) or the answer (the agreed
 * one). Session Data bytes go to |sd| (room for 10 per session).
 */
imsms_ssize imsms_ue_map(const imsms_call *call, int answer, uint8_t *sd,
                         uint8_t *out, size_t cap);

/*
 * Responder: checks the sessions of TRANSFER_INIT |m| against the SPs it
 * carries and this Responder's suites, and records them with the agreed
 * policy.
 */
int imsms_ue_answer_sessions(imsms_call *call, const imsms_call_msg *m);

/* Initiator: checks the map of TRANSFER_RESP |hdr| against the offer. */
int imsms_ue_check_answer_map(imsms_call *call, const imsms_mikey_hdr *hdr);

/* The index of the ticket key with SPI |spi|, or the first; -1 none. */
int imsms_ue_find_key(const imsms_call *call, const uint8_t *spi,
                      size_t spilen);

/*
 * Derives the keys of every session (TGK' for forking when |idrr| is
 * given: Initiator), fires peer_identity and keys_ready, marks the
 * sessions ready.
 */
int imsms_ue_keys_ready(imsms_call *call, const imsms_id *idrr,
                        const uint8_t *randrkms, size_t rkmslen);

/*
 * Copies one key data sub-payload into |dst| (not to be forked: clear).
 * Returns 0 or IMSMS_ERR_MIKEY_KEY_DATA (empty, or a key, salt or SPI
 * longer than the call keeps).
 */
int imsms_ue_store_key(imsms_call_key *dst, const imsms_mikey_keydata *kd);

/* ---- kemac.c --------------------------------------------------------- */

/*
 * Own key |i| (1-based |own|) in the call's keys, appended once (by SPI)
 * and never forked; its index goes to |*idx|.
 */
int imsms_ue_install_own(imsms_call *call, size_t own, size_t *idx);

/*
 * A KEMAC payload (NULL MAC) with the key data of the |n| keys, encrypted
 * under |k| with the IV from CSB ID and |t|, into |pl| (ciphertext in
 * |buf|).
 */
int imsms_ue_kemac_build(imsms_call *call, const imsms_call_key *const *keys,
                         size_t n, const imsms_mikey_msgkeys *k,
                         imsms_tstamp t, imsms_mikey_payload *pl, uint8_t *buf,
                         size_t cap);

/*
 * A peer's KEMAC (RFC 6043 4.2.2, NULL MAC) decrypted under |k| with the
 * IV from CSB ID and |t|: every key (TEK or TGK, +SALT, with an SPI no
 * key of the call has) is appended, not to be forked. On failure nothing
 * is added.
 */
int imsms_ue_kemac_take(imsms_call *call, const imsms_mikey_payload *kemac,
                        const imsms_mikey_msgkeys *k, imsms_tstamp t);

/* CSB update: one SP per agreed policy number (TLS: no parameters). */
imsms_ssize imsms_ue_agreed_sps(const imsms_call *call, imsms_mikey_payload *sp,
                                size_t cap, uint8_t *buf, size_t bufcap);

/*
 * CSB update: the map of |m| lists every session once, with its agreed
 * policy (#P = 1; an SP payload of that number, when present, describes
 * the agreed suite) and the SPI of the new key.
 */
int imsms_ue_check_update_map(imsms_call *call, const imsms_call_msg *m,
                              const uint8_t *spi, size_t spilen);

/*
 * CSB update: every session moves to ticket key |key| (not forked); the
 * session keys are derived anew and keys_ready fires for each. On
 * failure nothing changes.
 */
int imsms_ue_rekey(imsms_call *call, size_t key);

/* CSB update: builds and sends the update (call.h imsms_call_update()). */
int imsms_ue_update_send(imsms_call *call, int want_answer, imsms_tstamp now);

/* CSB update: a message for a DONE call (update or its answer). */
int imsms_ue_update_recv(imsms_call *call, const uint8_t *in, size_t inlen,
                         imsms_tstamp now);

/* The SP payloads this Responder supports (for an Error message). */
imsms_ssize imsms_ue_supported_sps(const imsms_call *call, imsms_mikey_sp *sp,
                                   size_t cap, uint8_t *buf, size_t bufcap);

#endif /* IMSMS_UE_CALL_INT_H */
