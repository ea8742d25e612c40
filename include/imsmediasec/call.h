/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The call engine of a UE (TR 33.828 6.1, RFC 6043 mode 1): an imsms_call
 * is one caller (Initiator) or one callee device (Responder) setting up
 * the keys of a media session through a KMS.
 *
 *   Initiator                 KMS                 Responder
 *   REQUEST_INIT_PSK    ->
 *                       <-  REQUEST_RESP
 *   TRANSFER_INIT  ------------------------------>  (policy, SPs checked)
 *                             <-  RESOLVE_INIT_PSK
 *                             RESOLVE_RESP  ->      (keys ready)
 *                 <------------------------------  TRANSFER_RESP (F flag)
 *   (keys ready)
 *
 * Bytes in, bytes out: the call hands every message it builds to an
 * application callback (send_to_kms, send_to_peer) that may return at
 * once, and the application feeds every answer back with
 * imsms_call_recv(). The library never reads a clock ("now" comes with
 * every call) and allocates nothing after imsms_call_new_*(). Keys leave
 * only as copies into caller buffers.
 *
 * Choices where RFC 6043 leaves room (each documented in
 * imsms_call_new_initiator(3) and tested in tests/check_call.c):
 *  - One algorithm set per call (RFC 6043 12.1): the PRF of the desired
 *    policy; PRF MIKEY-1 with AES-CM-128 and HMAC-SHA-1-160,
 *    PRF-HMAC-SHA-256 with AES-CM-256 and HMAC-SHA-256-256. The Transfer
 *    exchange uses the ticket's PRF in its HDR.
 *  - The Request, Transfer and Resolve exchanges each have their own
 *    random CSB ID. RANDRi and RANDRr are 32 bytes, or as long as the
 *    longest key they protect (PSK, MPK, ticket keys), up to 255.
 *  - The KEMAC AES-CM IV of a response uses the T of the message that
 *    carries the KEMAC (as the KMS engine does).
 *  - The Transfer exchange uses the GENERIC-ID map: one crypto session
 *    per SRTP stream (Session Data: SSRC) and one for MSRP over TLS
 *    (IMSMS_MIKEY_PROT_TLS, no Session Data). Every offered suite is one
 *    SP payload (shared by the sessions that offer it); the TLS session
 *    refers to an SP of protocol type TLS without parameters. The
 *    Responder keeps the Initiator's order of preference.
 *  - Every crypto session uses the ticket key named by its SPI, the first
 *    session key of the ticket by default; the Initiator always sends the
 *    SPI, and that SPI is the MKI of the SRTP master key
 *    (imsms_cs_master.mki).
 *  - Forking (I flag): Initiator Data = first payload 9, Vi (the V
 *    payload of TRANSFER_INIT with next payload 9), Vr (MAC under the
 *    auth key from the unforked MPKr, label of RFC 6043 6.10, the TP's
 *    PRF, covering the Initiator Data up to Vr's MAC). The Responder
 *    checks Vi against the V of TRANSFER_INIT; the KMS checks Vr.
 *  - Identities in the TRANSFER_INIT MAC are the ID Data of the IDRi and
 *    IDRr payloads sent (empty when one is left out); the Initiator
 *    sends both, except IDRi when anonymous.
 *  - Early reject: the Responder checks the structure, the timestamp,
 *    the ticket policy (flag rules, O flag, PRF, validity, a KEMAC only
 *    with L, an IDRi equal to the policy's, the application's accept_ticket
 *    callback) and the SPs before it contacts the KMS, and answers a
 *    refusal with an unprotected Error message (with its supported SPs
 *    when SPs were refused).
 *  - Authentication failures and messages for another exchange are
 *    discarded: imsms_call_recv() returns the error and the call keeps
 *    waiting, so a forged message cannot end a call. Refusals by an
 *    authenticated party (a KMS or peer Error message, a granted policy
 *    the Initiator does not accept) end the call (IMSMS_CALL_FAILED). An
 *    Error message is believed without V when none can be computed: it
 *    can only deny service, which whoever alters the signalling can do.
 *  - The peer identity reported is the KMS-vouched one only: for the
 *    Responder the IDRi of the ticket policy (the KMS checked the ticket
 *    MAC over it), or for an anonymous caller's ticket the identity the
 *    KMS disclosed in RESOLVE_RESP, if any; for the Initiator the IDRr of TRANSFER_RESP, and only
 *    with forking (MPKr' is bound to it). Without forking any party that
 *    resolved the ticket could have written that IDRr, so the Initiator
 *    reports no peer identity.
 *  - Session keys in the Transfer exchange (RFC 6043 4.2.2): a KEMAC in
 *    TRANSFER_INIT only with L, in TRANSFER_RESP only with M (otherwise
 *    IMSMS_ERR_MIKEY_TP), NULL MAC, encrypted under the message's keys
 *    with the IV from its T, each key a TEK or TGK (+SALT) with an SPI of
 *    its own, never forked; sessions use them by SPI. Crypto sessions the
 *    Responder adds are refused.
 *  - Keys are ready at the Responder before TRANSFER_RESP leaves (early
 *    media is not clipped), at the Initiator when TRANSFER_RESP is
 *    verified, or right after TRANSFER_INIT when the F flag is clear (no
 *    answer will come; every session must then offer one suite).
 *
 * Threading: one call is used by one thread at a time, with its context.
 * Callbacks run inside imsms_call_start() and imsms_call_recv(); they may
 * read the call (imsms_call_cs_master() and friends) but must not call
 * imsms_call_start(), imsms_call_recv() or imsms_call_del() on it.
 */
#ifndef IMSMEDIASEC_CALL_H
#define IMSMEDIASEC_CALL_H

#include <imsmediasec/imsmediasec.h>
#include <imsmediasec/keys.h>
#include <imsmediasec/mikey.h>
#include <imsmediasec/sdp_nego.h>
#include <imsmediasec/ticket.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @struct One call (Initiator or Responder). Opaque. */
typedef struct imsms_call imsms_call;

/** @macro Most crypto sessions in one call. */
#define IMSMS_CALL_MAX_SESSIONS 16
/** @macro Most SRTP suites one session offers (or a Responder accepts). */
#define IMSMS_CALL_MAX_SUITES 8

/** @enum Where a call stands. */
typedef enum imsms_call_state {
  /** Initiator: before imsms_call_start(); Responder: no TRANSFER_INIT yet. */
  IMSMS_CALL_IDLE = 0,
  /** Initiator: REQUEST_INIT_PSK sent, waiting for REQUEST_RESP. */
  IMSMS_CALL_WAIT_REQUEST_RESP = 1,
  /** Initiator: TRANSFER_INIT sent, waiting for TRANSFER_RESP. */
  IMSMS_CALL_WAIT_TRANSFER_RESP = 2,
  /** Responder: RESOLVE_INIT_PSK sent, waiting for RESOLVE_RESP. */
  IMSMS_CALL_WAIT_RESOLVE_RESP = 3,
  /** Keys ready for every crypto session; nothing pending. */
  IMSMS_CALL_DONE = 4,
  /** The exchange failed for good; only imsms_call_del() is useful. */
  IMSMS_CALL_FAILED = 5
} imsms_call_state;

/**
 * @struct
 *
 * One crypto session of the call as the application configures it.
 * Initiator: every session it offers. Responder: optional, the SSRC it
 * puts into the sessions (by |cs_id|) whose Session Data the Initiator
 * left empty (a random SSRC otherwise); |suites| is not read.
 */
typedef struct imsms_call_session {
  uint8_t cs_id;     /**< 1-255, unique in the call */
  uint8_t prot_type; /**< IMSMS_MIKEY_PROT_SRTP or IMSMS_MIKEY_PROT_TLS */
  int has_ssrc;      /**< SRTP: nonzero when |ssrc| is set */
  uint32_t ssrc;     /**< SRTP: the SSRC of the stream's sender */
  /** SRTP: offered imsms_srtp_suite values, preferred first (1 to 8). */
  const int *suites;
  size_t nsuites;
  /**
   * Optional: the SPI of the key of imsms_call_config.keys this session
   * uses (a key this side supplies, flags L and M); empty: the ticket's.
   */
  const uint8_t *key_spi;
  size_t key_spi_len;
} imsms_call_session;

/** @macro Most session keys one side supplies (imsms_call_config.keys). */
#define IMSMS_CALL_MAX_OWN_KEYS 4

/**
 * @struct
 *
 * A session key one side supplies (RFC 6043 4.2.2.1 and 4.2.2.3: e.g. the
 * TEK of pre-encrypted content): the Initiator in TRANSFER_INIT when the
 * granted policy has L, the Responder in TRANSFER_RESP when it has M. It
 * travels in a KEMAC encrypted under keys from MPKi (TRANSFER_INIT) or
 * MPKi/MPKr' (TRANSFER_RESP) and is never forked.
 */
typedef struct imsms_call_key_spec {
  uint8_t type;          /**< IMSMS_MIKEY_KEY_TEK, TEK_SALT, TGK, TGK_SALT */
  const uint8_t *key;    /**< 16 to 64 bytes */
  size_t key_len;
  const uint8_t *salt;   /**< the +SALT types: 1 to 64 bytes */
  size_t salt_len;
  const uint8_t *spi;    /**< 1 to 32 bytes, unique among the call's keys */
  size_t spi_len;
} imsms_call_key_spec;

/** @macro Version of struct imsms_call_config described here. */
#define IMSMS_CALL_CONFIG_V1 1

/**
 * @struct
 *
 * Configuration of a call; everything is copied by imsms_call_new_*()
 * (identities, the PSK, the policy and its arrays). Zero-initialise and
 * set |version| to IMSMS_CALL_CONFIG_V1. Fields are only ever appended.
 */
typedef struct imsms_call_config {
  uint32_t version;
  /** Own identity: IDRi (Initiator) or IDRr (Responder). Required. */
  imsms_id identity;
  /** IDRkms: sent and put in the MAC input; |len| 0: neither. */
  imsms_id kms;
  /** IDRpsk (a B-TID with GBA); |len| 0: not sent. */
  imsms_id idrpsk;
  /** The UE-KMS pre-shared key, 16 to 256 bytes. Required. */
  const uint8_t *psk;
  size_t psklen;
  /**
   * Initiator: the desired ticket policy (imsms_tp_validate() must pass;
   * at most 64 responders and applications and 8 template keys).
   */
  const imsms_tp *tp;
  /** Initiator: IDRr of TRANSFER_INIT; empty: the first responder. */
  imsms_id peer;
  /** Crypto sessions (see imsms_call_session); Initiator: at least one. */
  const imsms_call_session *sessions;
  size_t nsessions;
  /** Responder: the SRTP suites it accepts (1 to 8). */
  const int *suites;
  size_t nsuites;
  /** Responder: nonzero to accept a TLS (MSRP) crypto session. */
  int accept_tls;
  /** Allowed clock skew of received timestamps, seconds; 0 means 300. */
  uint32_t skew_sec;
  /** How long one exchange may wait for its answer, seconds; 0 means 30. */
  uint32_t timeout_sec;
  /** Room for one message, 1024 to 65535 bytes; 0 means 8192. */
  size_t max_msg_len;
  /**
   * Responder, deferred delivery (voicemail playback, TR 33.828 4.1): how
   * old, in seconds, the T of a TRANSFER_INIT may be, for a call stored
   * with its TRANSFER_INIT and played back later; 0 (or less than
   * |skew_sec|) means |skew_sec|. A T in the future is still held to
   * |skew_sec|. A ticket whose validity ended up to |max_age_sec| ago
   * is not refused here either: the KMS judges it at RESOLVE (see
   * imsms_kms_config.deferred_grace_sec). A replay callback sees such a
   * message as any other.
   */
  uint32_t max_age_sec;
  /**
   * Initiator: stay anonymous toward the responders (TR 33.828 req. 50).
   * The ticket policy asked for names IMSMS_ANONYMOUS_URI as IDRi (the
   * desired policy's IDRi must be empty or that URI), so the KMS seals
   * the authenticated identity inside the ticket instead of granting it
   * in the clear; TRANSFER_INIT carries no IDRi. A responder then learns
   * who called only when the KMS policy discloses it (an IDR of role
   * IDRi in RESOLVE_RESP, see imsms_kms_callbacks.disclose_initiator),
   * and reports that identity as the vouched peer; otherwise none.
   * The KMS (policy, audit, lawful interception) always knows.
   */
  int anonymous;
  /**
   * Session keys this side supplies (up to IMSMS_CALL_MAX_OWN_KEYS),
   * used by the sessions that name them (imsms_call_session.key_spi):
   * Initiator, in TRANSFER_INIT (the desired policy must set L, and the
   * grant keep it); Responder, in TRANSFER_RESP, when the ticket has M
   * (otherwise the ticket's keys serve and these are not sent).
   */
  const imsms_call_key_spec *keys;
  size_t nkeys;
} imsms_call_config;

/** @macro Version of struct imsms_call_callbacks described here. */
#define IMSMS_CALL_CALLBACKS_V1 1

/**
 * @struct
 *
 * What the application provides. Zero-initialise, set |version| to
 * IMSMS_CALL_CALLBACKS_V1 and the members needed. Every callback receives
 * the |user_data| given to imsms_call_new_*(). Message views are valid
 * during the callback only.
 */
typedef struct imsms_call_callbacks {
  uint32_t version;
  /**
   * Sends |msg| to the KMS (HTTP in TS 33.328). Returns 0, or a negative
   * value to fail the call (IMSMS_ERR_CALLBACK_FAILURE). The answer is
   * fed back later with imsms_call_recv(). Optional: the message is also
   * kept for imsms_call_kms_sync(), which programs that can block use
   * instead.
   */
  int (*send_to_kms)(imsms_call *call, const uint8_t *msg, size_t len,
                     void *user_data);
  /**
   * Optional: sends |msg| to the peer (TRANSFER_INIT in the offer,
   * TRANSFER_RESP or an Error message in the answer). As send_to_kms.
   * The message is also kept (imsms_call_peer_msg()); leave this NULL
   * when the SDP helpers (imsms_call_sdp_offer() and friends) carry it.
   */
  int (*send_to_peer)(imsms_call *call, const uint8_t *msg, size_t len,
                      void *user_data);
  /** Optional: the keys of crypto session |cs_id| are ready. */
  void (*keys_ready)(imsms_call *call, uint8_t cs_id, void *user_data);
  /** Optional: the KMS-vouched identity of the peer (see the header). */
  void (*peer_identity)(imsms_call *call, const imsms_id *peer,
                        void *user_data);
  /**
   * Optional: the call failed (state IMSMS_CALL_FAILED) with
   * |error_code|; |mikey_error| is the first ERR number of the Error
   * message the KMS or the peer sent, or -1.
   */
  void (*error)(imsms_call *call, int error_code, int mikey_error,
                void *user_data);
  /**
   * Optional, Responder: the application's early check of the ticket
   * policy |tp| of a TRANSFER_INIT (views valid during the call). Return
   * 0 to accept or a negative code to refuse before the KMS is asked.
   */
  int (*accept_ticket)(imsms_call *call, const imsms_tp *tp, void *user_data);
  /**
   * Optional, Responder: replay check of authenticated TRANSFER_INITs
   * (imsms_replay_check() with an imsms_replay shared by the calls),
   * keyed by the V MAC value.
   */
  imsms_replay_cb replay;
  void *replay_data;
} imsms_call_callbacks;

/**
 * @function
 *
 * Creates an Initiator call in |*pcall|. |ctx| must outlive the call. The
 * call object, one block from the context's allocator with its key store
 * and room for three messages of |max_msg_len| bytes, is the only
 * allocation the call ever makes.
 *
 * Returns 0 or one of the following negative error codes:
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     A pointer is NULL, a required member or callback is missing, an
 *     identity is empty or over 65535 bytes, the PSK is under 16 or over
 *     256 bytes, a session is malformed (CS ID 0 or repeated, unknown
 *     protocol or suite, no suite, more than one TLS session, more than
 *     one suite while the policy's F flag is clear), |max_msg_len| is out
 *     of range, or the policy is NULL or has a NULL array.
 * IMSMS_ERR_VERSION
 *     |cfg|, |cb| or the policy has an unknown version.
 * IMSMS_ERR_MIKEY_TP
 *     The desired policy breaks a rule of imsms_tp_validate() (a PRF
 *     other than 0 and 1 included).
 * IMSMS_ERR_TOO_LARGE
 *     More sessions, suites, policy entries or key template entries than
 *     the limits above.
 * IMSMS_ERR_NOMEM
 *     Out of memory.
 */
IMSMS_EXTERN int imsms_call_new_initiator(imsms_call **pcall, imsms_ctx *ctx,
                                          const imsms_call_config *cfg,
                                          const imsms_call_callbacks *cb,
                                          void *user_data);

/**
 * @function
 *
 * Creates a Responder call in |*pcall|: it waits for one TRANSFER_INIT
 * (imsms_call_recv()). |cfg->tp| and |cfg->peer| are not read; the
 * sessions, when given, only carry SSRCs.
 *
 * Returns 0 or the codes of imsms_call_new_initiator() (a Responder must
 * accept at least one suite or TLS).
 */
IMSMS_EXTERN int imsms_call_new_responder(imsms_call **pcall, imsms_ctx *ctx,
                                          const imsms_call_config *cfg,
                                          const imsms_call_callbacks *cb,
                                          void *user_data);

/**
 * @function
 *
 * Wipes every key and message of |call| and frees it. NULL is ignored.
 */
IMSMS_EXTERN void imsms_call_del(imsms_call *call);

/**
 * @function
 *
 * Initiator: builds REQUEST_INIT_PSK = HDR, T, RANDRi, IDRi, [IDRkms], TP,
 * [IDRpsk], V at time |now| and hands it to send_to_kms.
 *
 * Returns 0 or one of the following negative error codes:
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     |call| is NULL.
 * IMSMS_ERR_MIKEY_UNEXPECTED
 *     Not an Initiator, or already started.
 * IMSMS_ERR_NOBUF
 *     The message does not fit |max_msg_len|.
 * IMSMS_ERR_RNG, IMSMS_ERR_NOMEM, IMSMS_ERR_CRYPTO,
 * IMSMS_ERR_CALLBACK_FAILURE
 *     Fatal: the call has failed.
 */
IMSMS_EXTERN int imsms_call_start(imsms_call *call, imsms_tstamp now);

/**
 * @function
 *
 * Initiator, ticket reuse (RFC 6043 flag J): starts |call| (new, not
 * started) from the ticket and keys of |prev|, an earlier call of the
 * same identity that is DONE, instead of a Request exchange: builds a
 * fresh TRANSFER_INIT (new CSB ID and RANDRi, so new session keys) at
 * |now| and hands it to send_to_peer; the call then goes on as after
 * imsms_call_start(). |prev| is only read, and may be deleted afterwards.
 * The KMS cannot tell a reused ticket, so J is enforced here.
 *
 * Returns 0 or one of the following negative error codes (the call is
 * left as it was, except for the fatal ones):
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     A NULL pointer, |call| == |prev|, or another identity.
 * IMSMS_ERR_MIKEY_UNEXPECTED
 *     |call| is not a new Initiator, or |prev| not a completed one.
 * IMSMS_ERR_MIKEY_TP
 *     The ticket was granted without J, or does not name |call|'s peer
 *     (imsms_call_config.peer, or the first responder of its policy).
 * IMSMS_ERR_TICKET_EXPIRED, IMSMS_ERR_TICKET_NOT_YET_VALID
 *     The ticket is not valid at |now|.
 * IMSMS_ERR_NOBUF, IMSMS_ERR_RNG, IMSMS_ERR_NOMEM, IMSMS_ERR_CRYPTO,
 * IMSMS_ERR_CALLBACK_FAILURE
 *     Fatal: the call has failed.
 */
IMSMS_EXTERN int imsms_call_start_reuse(imsms_call *call,
                                       const imsms_call *prev,
                                       imsms_tstamp now);

/**
 * @function
 *
 * Feeds one message |in| (from the KMS or from the peer) to |call| at
 * time |now|:
 *
 *  - Initiator waiting for REQUEST_RESP: checks its MAC, decrypts MPKi,
 *    [MPKr] and the ticket keys, checks the granted policy with
 *    imsms_tp_grant_acceptable(), then builds TRANSFER_INIT and hands it
 *    to send_to_peer (keys ready at once when F is clear).
 *  - Initiator waiting for TRANSFER_RESP: checks its MAC (auth key from
 *    MPKi, or from MPKr' forked with the IDRr and RANDRkms it carries),
 *    the crypto sessions (one offered policy each, Session Data, known
 *    SPI), takes the Responder's KEMAC only with M, derives the keys:
 *    peer_identity (forking only), then keys_ready per session.
 *  - Responder, first message: TRANSFER_INIT, checked without the KMS
 *    (see the header); then RESOLVE_INIT_PSK goes to send_to_kms. A
 *    refusal sends an Error message to the peer.
 *  - Responder waiting for RESOLVE_RESP: checks it, verifies
 *    TRANSFER_INIT with MPKi (and, forking, Vi), derives the keys
 *    (peer_identity, keys_ready), then sends TRANSFER_RESP when F is set.
 *
 * An Error message from the KMS or the peer for the pending exchange
 * ends the call (its V, when present and computable, must verify).
 *
 * Returns 0 or a negative error code. Whether the call goes on:
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     NULL arguments; nothing changed.
 * IMSMS_ERR_MIKEY_UNEXPECTED
 *     A message the call does not wait for (a replay, a second answer,
 *     anything after the end, a message that is no TRANSFER_INIT to an
 *     idle Responder); discarded, nothing changed. On a DONE call a
 *     TRANSFER_INIT with the call's CSB ID is a CSB update, and a
 *     TRANSFER_RESP the answer to one (see imsms_call_update()).
 * IMSMS_ERR_MIKEY_CSB_ID
 *     An answer for another exchange (another call's, or the Request
 *     exchange's once the Transfer exchange runs); discarded.
 * IMSMS_ERR_MIKEY_AUTH
 *     A MAC (or the AES-KW check, or Vi) is wrong. For the Initiator and
 *     for a RESOLVE_RESP the message is discarded and the call keeps
 *     waiting; a TRANSFER_INIT that fails with its resolved keys fails
 *     the call (no Error message is sent).
 * IMSMS_ERR_MIKEY_STALE, IMSMS_ERR_MIKEY_TS_TYPE
 *     The timestamp is outside the skew window; discarded (Responder:
 *     refused with an Error message, call failed).
 * IMSMS_ERR_MIKEY_REPLAY
 *     The replay callback refused an authenticated TRANSFER_INIT; call
 *     failed. On a DONE call: a CSB update that is not newer than every
 *     T of the call, or that comes from this side (a reflection);
 *     discarded.
 * IMSMS_ERR_SDP_DOWNGRADE
 *     A TRANSFER_INIT whose SDP IDs are missing or differ from the list
 *     set with imsms_call_set_sdp_ids(); call failed (an Error message
 *     goes to the peer).
 * IMSMS_ERR_MIKEY_PEER_ERROR
 *     The peer (or the KMS, for other reasons than a denial) sent an
 *     Error message; call failed. See imsms_call_peer_error().
 * IMSMS_ERR_KMS_DENIED
 *     The KMS refused by policy (an Error message with Auth failure):
 *     the Initiator may not have a ticket, or the Responder may not
 *     resolve it; call failed.
 * IMSMS_ERR_MIKEY_TP, IMSMS_ERR_MIKEY_PRF, IMSMS_ERR_MIKEY_TICKET_TYPE,
 * IMSMS_ERR_TICKET_EXPIRED, IMSMS_ERR_TICKET_NOT_YET_VALID,
 * IMSMS_ERR_MIKEY_SP, IMSMS_ERR_MIKEY_SP_PARAM, IMSMS_ERR_MIKEY_MAP,
 * IMSMS_ERR_MIKEY_ID, IMSMS_ERR_MIKEY_MISSING, IMSMS_ERR_MIKEY_MAC_ALG,
 * IMSMS_ERR_MIKEY_KEY_DATA
 *     The policy, the sessions or the message is not acceptable. For a
 *     Responder's TRANSFER_INIT, or for an authenticated answer, the call
 *     failed; an unauthenticated answer is discarded.
 * a decode error of imsms_mikey_decode()
 *     Discarded (a Responder's TRANSFER_INIT: call failed).
 * the accept_ticket callback's code
 *     The application refused the ticket; call failed.
 * IMSMS_ERR_NOBUF, IMSMS_ERR_TOO_LARGE
 *     A message or a key set exceeds the call's room; call failed.
 * IMSMS_ERR_NOMEM, IMSMS_ERR_RNG, IMSMS_ERR_CRYPTO,
 * IMSMS_ERR_CALLBACK_FAILURE
 *     Fatal; call failed.
 */
IMSMS_EXTERN int imsms_call_recv(imsms_call *call, const uint8_t *in,
                                 size_t inlen, imsms_tstamp now);

/**
 * @function
 *
 * Either side of a completed call (DONE): rekeys every crypto session
 * with a CSB update (RFC 6043 5.2), the Ticket Transfer exchange run
 * again with the same CSB ID at time |now|:
 *
 *   TRANSFER_INIT = HDR, T, {SP}, KEMAC, V  -->  (V flag: |want_answer|)
 *                                           <--  TRANSFER_RESP = HDR, T, V
 *
 * The KEMAC carries one fresh TGK (never forked) with a new SPI, so the
 * SRTP MKI of every session changes; it is a key this UE supplies, so
 * the ticket must allow it (RFC 6043 5.2): L for an update from the
 * Initiator, M for one from the Responder. Both messages are protected
 * with the keys of the last message of the initial exchange (MPKi, or
 * MPKr' when forking); since both directions share them, an update's T
 * carries its sender's role in the lowest bit of its NTP fraction
 * (Initiator 0, Responder 1) and must be newer than every T of the call,
 * so no KEMAC keystream is ever used twice. The update goes to send_to_peer (and
 * imsms_call_peer_msg()). With |want_answer| this side moves to the new
 * keys when the peer's TRANSFER_RESP, fed to imsms_call_recv(), verifies;
 * without, at once. The peer's imsms_call_recv() takes an update on a
 * DONE call, moves to the new keys before answering, and keys_ready
 * fires again on both sides for every session (fetch the new keys with
 * imsms_call_cs_master() and keep the old ones for packets in flight:
 * the MKI tells them apart).
 *
 * Every update must be newer (T) than the last one sent or accepted at
 * that end, so replays and reflections are refused
 * (IMSMS_ERR_MIKEY_REPLAY); a forged or damaged update or answer is
 * discarded and the call keeps its keys. While an update waits for its
 * answer, one from the peer is refused (IMSMS_ERR_MIKEY_UNEXPECTED, or
 * IMSMS_ERR_MIKEY_REPLAY when its T is older than the pending one's);
 * calling imsms_call_update() again gives the pending one up, unless
 * the new one is refused at once (IMSMS_ERR_MIKEY_STALE or
 * IMSMS_ERR_MIKEY_TP), which keeps the pending one. Updates
 * without a KEMAC are refused (IMSMS_ERR_MIKEY_KEY_DATA): this version
 * only rekeys. Design choices: an update that repeats RANDRi or RANDRr
 * is refused (RFC 6043 5.2: they SHOULD NOT be included), and a KEMAC or
 * SP payload in the answer to an update is ignored.
 *
 * Returns 0 or one of the following negative error codes (the call keeps
 * its keys, except for the fatal ones):
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     |call| is NULL.
 * IMSMS_ERR_MIKEY_UNEXPECTED
 *     The call is not DONE.
 * IMSMS_ERR_MIKEY_TP
 *     The ticket does not let this side supply keys (L or M).
 * IMSMS_ERR_MIKEY_STALE
 *     |now| (with the role bit) is not later than every T of the call.
 * IMSMS_ERR_TOO_LARGE
 *     The ticket filled the call's key store (7 or 8 keys): an update
 *     needs two slots, used in turn, so any number of updates fit.
 * IMSMS_ERR_NOBUF, IMSMS_ERR_RNG, IMSMS_ERR_CRYPTO,
 * IMSMS_ERR_CALLBACK_FAILURE
 *     The update could not be built or sent. The fatal ones
 *     (imsms_err_is_fatal(): IMSMS_ERR_RNG, IMSMS_ERR_CALLBACK_FAILURE)
 *     fail the call; after the others it stays DONE with its keys.
 */
IMSMS_EXTERN int imsms_call_update(imsms_call *call, int want_answer,
                                   imsms_tstamp now);

/**
 * @function
 *
 * Returns nonzero when |call| waits for an answer (KMS or peer) that it
 * has waited for longer than |timeout_sec| at time |now|; the
 * application then gives up (imsms_call_del()). Returns 0 otherwise,
 * and for NULL.
 */
IMSMS_EXTERN int imsms_call_expired(const imsms_call *call, imsms_tstamp now);

/** @function The imsms_call_state of |call|, or IMSMS_CALL_FAILED for NULL. */
IMSMS_EXTERN int imsms_call_get_state(const imsms_call *call);

/**
 * @function
 *
 * The first ERR number of the Error message that ended |call|, or -1
 * when none was received.
 */
IMSMS_EXTERN int imsms_call_peer_error(const imsms_call *call);

/**
 * @function
 *
 * Initiator: the SRTP suites the peer listed as supported in the Error
 * message that ended the call (RFC 6043 5.4), in its order, written to
 * |suites| (room for |cap|). Returns their number (0 when none), or
 * IMSMS_ERR_INVALID_ARGUMENT.
 */
IMSMS_EXTERN imsms_ssize imsms_call_peer_suites(const imsms_call *call,
                                                int *suites, size_t cap);

/**
 * @function
 *
 * The KMS-vouched identity of the peer (as given to peer_identity) in
 * |*peer|, a view valid until imsms_call_del(). Returns 0, or
 * IMSMS_ERR_EOF when it is not known (yet), or
 * IMSMS_ERR_INVALID_ARGUMENT.
 */
IMSMS_EXTERN int imsms_call_peer(const imsms_call *call, imsms_id *peer);

/**
 * @struct
 *
 * One crypto session of a call as negotiated so far.
 */
typedef struct imsms_call_session_info {
  uint8_t cs_id;
  uint8_t prot_type; /**< IMSMS_MIKEY_PROT_SRTP or IMSMS_MIKEY_PROT_TLS */
  int suite;         /**< SRTP: the agreed suite, 0 before agreement */
  int has_ssrc;      /**< SRTP: the Session Data carries |ssrc| */
  uint32_t ssrc;
  int ready; /**< nonzero once its keys are ready */
} imsms_call_session_info;

/**
 * @function
 *
 * The crypto session at position |index| (0-based, in TRANSFER_INIT
 * order) of |call| in |*info|. Returns 0, IMSMS_ERR_EOF after the last,
 * or IMSMS_ERR_INVALID_ARGUMENT.
 */
IMSMS_EXTERN int imsms_call_session_get(const imsms_call *call, size_t index,
                                        imsms_call_session_info *info);

/**
 * @function
 *
 * The SRTP master key, master salt and MKI (the SPI of the ticket key) of
 * crypto session |cs_id| in |*out|, of the agreed suite's lengths. Wipe
 * it after use.
 *
 * Returns 0 or one of the following negative error codes (|out| wiped):
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     NULL, or no SRTP session |cs_id|.
 * IMSMS_ERR_MIKEY_UNEXPECTED
 *     Its keys are not ready.
 */
IMSMS_EXTERN int imsms_call_cs_master(const imsms_call *call, uint8_t cs_id,
                                      imsms_cs_master *out);

/**
 * @function
 *
 * The six SRTP/SRTCP session keys of crypto session |cs_id|
 * (imsms_srtp_kdf() with |kp|, NULL for the defaults), for SRTP stacks
 * other than libsrtp2. Returns 0, the codes of imsms_call_cs_master(), or
 * an error of imsms_srtp_kdf(); |out| is wiped on failure.
 */
IMSMS_EXTERN int imsms_call_srtp_keys(imsms_call *call, uint8_t cs_id,
                                      const imsms_srtp_kdf_params *kp,
                                      imsms_srtp_session_keys *out);

/**
 * @function
 *
 * The TLS pre-shared key and identity of the MSRP crypto session |cs_id|
 * (imsms_msrp_psk_derive() from the session's TGK, with the Transfer
 * exchange's CSB ID and the key's SPI). Returns 0 or the codes of
 * imsms_call_cs_master() (no TLS session |cs_id|); |out| is wiped on
 * failure.
 */
IMSMS_EXTERN int imsms_call_msrp_psk(const imsms_call *call, uint8_t cs_id,
                                     imsms_msrp_psk *out);

/* ------------------------------------------------------------------ */
/* Synchronous KMS exchange                                            */

/**
 * @functypedef
 *
 * A blocking transaction with the KMS: sends the |reqlen| bytes at |req|
 * and sets |*resp| and |*resplen| to the answer (a view the callback
 * owns, valid until it is called again), or |*resplen| to 0 when the KMS
 * sent nothing. Returns 0, or a negative value on a transport failure.
 */
typedef int (*imsms_call_transact_cb)(imsms_call *call, const uint8_t *req,
                                      size_t reqlen, const uint8_t **resp,
                                      size_t *resplen, void *user_data);

/**
 * @function
 *
 * For programs that can block: when |call| waits for the KMS (after
 * imsms_call_start(), or after a TRANSFER_INIT reached a Responder),
 * hands the message it built to |transact| and feeds the answer to
 * imsms_call_recv() at |now|. send_to_kms may then be NULL.
 *
 *   imsms_call_start(call, now);
 *   imsms_call_kms_sync(call, http_post, &conn, now);   -- TRANSFER_INIT
 *
 * Returns what imsms_call_recv() returns for the answer, or one of the
 * following negative error codes:
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     |call| or |transact| is NULL.
 * IMSMS_ERR_MIKEY_UNEXPECTED
 *     The call does not wait for the KMS.
 * IMSMS_ERR_EOF
 *     The KMS answered nothing (as after an authentication failure, RFC
 *     3830 5.1.2); the call still waits (see imsms_call_expired()).
 * IMSMS_ERR_CALLBACK_FAILURE
 *     |transact| failed; the call has failed.
 */
IMSMS_EXTERN int imsms_call_kms_sync(imsms_call *call,
                                     imsms_call_transact_cb transact,
                                     void *user_data, imsms_tstamp now);

/* ------------------------------------------------------------------ */
/* SDP carriage (RFC 4567) and downgrade protection                    */

/**
 * @function
 *
 * The last message |call| built for the peer (TRANSFER_INIT, TRANSFER_RESP
 * or an Error message), as a view valid until the next
 * imsms_call_recv(), imsms_call_start() or imsms_call_del().
 *
 * Returns 0, IMSMS_ERR_EOF when there is none yet, or
 * IMSMS_ERR_INVALID_ARGUMENT.
 */
IMSMS_EXTERN int imsms_call_peer_msg(const imsms_call *call,
                                     const uint8_t **msg, size_t *len);

/**
 * @function
 *
 * Sets the RFC 4567 protocol list (prtcl-list: KMPID *(";" KMPID), as
 * imsms_sdp_key_mgmt_ids() writes it; "mikey" when MIKEY is the only key
 * management offered) before the call starts (state IDLE):
 *
 *  - Initiator: TRANSFER_INIT carries it in a General Extension payload of
 *    type SDP IDs (RFC 3830 6.15, RFC 4567 4.1.4), inside the MAC.
 *  - Responder: a TRANSFER_INIT must carry the same list, byte for byte
 *    (checked before the KMS is contacted; authentic once the MAC
 *    verifies); otherwise it is refused with IMSMS_ERR_SDP_DOWNGRADE (an
 *    Error message goes to the peer). RFC 4567 lets policy decide; this
 *    library refuses a missing list as well, since RFC 4567 requires
 *    even a lone protocol to authenticate its own identifier.
 *
 * |len| 0 clears the list (no extension sent, none required).
 *
 * Returns 0, IMSMS_ERR_INVALID_ARGUMENT (NULL |call|, |ids| NULL with a
 * nonzero |len|, not a prtcl-list, 128 bytes or more) or
 * IMSMS_ERR_MIKEY_UNEXPECTED (the call has started).
 */
IMSMS_EXTERN int imsms_call_set_sdp_ids(imsms_call *call, const char *ids,
                                        size_t len);

/**
 * @function
 *
 * Initiator: once TRANSFER_INIT is built (after REQUEST_RESP was
 * received), writes the SDP offer with imsms_sdp_offer() and that
 * TRANSFER_INIT as the MIKEY material. The call's SDP IDs must be
 * "mikey" (imsms_call_set_sdp_ids() before imsms_call_start()).
 *
 * Returns what imsms_sdp_offer() returns, or IMSMS_ERR_INVALID_ARGUMENT
 * (NULL |call|, SDP IDs not "mikey") or IMSMS_ERR_MIKEY_UNEXPECTED (not an
 * Initiator, no TRANSFER_INIT yet, the call failed, or the last message
 * for the peer is not the TRANSFER_INIT, as after a CSB update).
 */
IMSMS_EXTERN imsms_ssize imsms_call_sdp_offer(
    imsms_call *call, const char *sdp, size_t sdplen,
    const imsms_sdp_policy *pol, const imsms_sdp_media_keys *keys,
    size_t nkeys, char *out, size_t outcap, imsms_sdp_result *res,
    size_t rescap, size_t *nres);

/**
 * @function
 *
 * Responder (idle): picks the modes with imsms_sdp_answer_select(); when
 * a line chose E2E_KMS, sets the call's SDP IDs to the protocol list of
 * that line's configuration and feeds its TRANSFER_INIT to
 * imsms_call_recv() (the Resolve exchange starts: send_to_kms). Every e2e
 * line must carry the same message and list. With no e2e line the call
 * is left alone.
 *
 * Returns the number of media lines, or an error of
 * imsms_sdp_answer_select(), IMSMS_ERR_SDP_CONFLICT (e2e lines that
 * carry different messages), IMSMS_ERR_SDP_DOWNGRADE (e2e lines with
 * different protocol lists), IMSMS_ERR_MIKEY_UNEXPECTED (not a
 * Responder, or not IDLE), IMSMS_ERR_TOO_LARGE (a message over the call's
 * room), an error of imsms_sdp_key_mgmt_decode(), or an error of
 * imsms_call_recv() (IMSMS_ERR_SDP_DOWNGRADE among them).
 */
IMSMS_EXTERN imsms_ssize imsms_call_sdp_offer_recv(
    imsms_call *call, const char *offer, size_t offerlen,
    const imsms_sdp_policy *pol, imsms_sdp_result *res, size_t rescap,
    size_t *nres, imsms_tstamp now);

/**
 * @function
 *
 * Responder: writes the SDP answer with imsms_sdp_answer(), putting the
 * call's TRANSFER_RESP on the e2e lines when the ticket has the F flag
 * (without it they carry no a=key-mgmt). With an e2e line,
 * the call must be DONE (keys ready, after RESOLVE_RESP).
 *
 * Returns what imsms_sdp_answer() returns, or IMSMS_ERR_INVALID_ARGUMENT,
 * IMSMS_ERR_MIKEY_UNEXPECTED (not a Responder, or not DONE with e2e lines)
 * or IMSMS_ERR_SDP_CONFLICT (e2e lines that differ).
 */
IMSMS_EXTERN imsms_ssize imsms_call_sdp_answer(
    imsms_call *call, const char *sdp, size_t sdplen,
    const imsms_sdp_result *res, size_t nres,
    const imsms_sdp_media_keys *keys, size_t nkeys, char *out,
    size_t outcap);

/**
 * @function
 *
 * Initiator: reads the answer to |offer| with imsms_sdp_answer_read() and
 * feeds the TRANSFER_RESP of its e2e lines to imsms_call_recv() (keys
 * ready). An e2e line without a=key-mgmt is accepted only for a call
 * that needs no answer (F clear, already DONE).
 *
 * Returns the number of media lines, or an error of
 * imsms_sdp_answer_read() or imsms_call_recv(), IMSMS_ERR_SDP_CONFLICT,
 * IMSMS_ERR_MIKEY_MISSING (no TRANSFER_RESP while the call waits for
 * one), IMSMS_ERR_MIKEY_UNEXPECTED (not an Initiator, or a TRANSFER_RESP
 * the call does not wait for), IMSMS_ERR_TOO_LARGE (a TRANSFER_RESP over
 * 4096 bytes), or an error of imsms_sdp_key_mgmt_decode().
 */
IMSMS_EXTERN imsms_ssize imsms_call_sdp_answer_recv(
    imsms_call *call, const char *offer, size_t offerlen, const char *answer,
    size_t answerlen, const imsms_sdp_policy *pol, imsms_sdp_result *res,
    size_t rescap, size_t *nres, imsms_tstamp now);

#ifdef __cplusplus
}
#endif

#endif /* IMSMEDIASEC_CALL_H */
