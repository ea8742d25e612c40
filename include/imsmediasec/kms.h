/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The KMS engine (RFC 6043 mode 1, TR 33.828 6.1): answers
 * REQUEST_INIT_PSK with REQUEST_RESP (issuing a MIKEY base ticket that
 * only the KMS can open) and RESOLVE_INIT_PSK with RESOLVE_RESP (handing
 * the ticket's keys to a Responder its policy authorises, by user
 * identity). Bytes in, bytes out: the embedder carries them over HTTP.
 *
 * The KMS is stateless per ticket: every ticket carries its own keys
 * under the key ring's ticket protection keys, so any number of engines
 * sharing one ring can answer for each other (how a KMS scales out).
 *
 * Threading: one imsms_kms (and its imsms_ctx) per worker thread. The key
 * ring may be shared by all engines. The built-in replay cache
 * (imsms_replay) is single-threaded: give each engine its own, or give
 * all engines an application replay callback that locks. For scaling,
 * make each engine in the long-lived thread that uses it. bench_kms
 * measured two threads at 1.2-1.98 times one when engines passed from
 * thread to thread (new threads per run), 1.94-1.99 with each engine
 * made and used by one worker; most likely because libcrypto allocates
 * on every operation and the workers' heap chunks got mixed, so both
 * cores wrote the same cache lines.
 *
 * Choices (documented and tested):
 *  - Responses use the algorithm set of the request's PRF, never mixed
 *    (RFC 6043 12.1): PRF MIKEY-1 with AES-CM-128 and HMAC-SHA-1-160,
 *    PRF-HMAC-SHA-256 with AES-CM-256 and HMAC-SHA-256-256. A request
 *    whose V uses the other MAC is refused (IMSMS_ERR_MIKEY_MAC_ALG).
 *  - The KEMAC AES-CM IV of a response uses the response's own T and the
 *    CSB ID of the HDR.
 *  - When a request or resolve fails authentication, no answer is built
 *    (RFC 3830 5.1.2 advises silence); other refusals get an Error
 *    message protected with the requester's keys (a ticket whose own MAC
 *    fails is such a refusal: the resolver did authenticate).
 *  - psk_lookup must bind the key to the claimed identity: the engine
 *    authorises by IDRi and IDRr, so a lookup that finds a key by IDRpsk
 *    alone would let a UE resolve tickets meant for others.
 *  - The default key set of a ticket is one TGK of the MPK's length, with
 *    a 4-byte random SPI on every key (RFC 6043 6.2.1).
 */
#ifndef IMSMEDIASEC_KMS_H
#define IMSMEDIASEC_KMS_H

#include <imsmediasec/imsmediasec.h>
#include <imsmediasec/mikey.h>
#include <imsmediasec/ticket.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @struct The KMS engine. Opaque; one thread at a time. */
typedef struct imsms_kms imsms_kms;

/** @enum What an audit event reports. */
typedef enum imsms_kms_event_type {
  IMSMS_KMS_REQUEST_GRANTED = 1, /**< a ticket was issued */
  IMSMS_KMS_REQUEST_DENIED = 2,  /**< the request policy refused */
  IMSMS_KMS_RESOLVE_GRANTED = 3, /**< a ticket's keys were handed out */
  IMSMS_KMS_RESOLVE_DENIED = 4,  /**< the resolve policy refused */
  IMSMS_KMS_AUTH_FAILED = 5,     /**< bad MAC, unknown PSK */
  IMSMS_KMS_REJECTED = 6,        /**< malformed, stale, replayed, bad ticket */
  IMSMS_KMS_LI_ACCESS = 7,       /**< keys given to lawful interception */
  IMSMS_KMS_LI_REFUSED = 8       /**< a lawful-interception query refused */
} imsms_kms_event_type;

/**
 * @struct
 *
 * One audit event. Never carries key material. Views are valid only
 * during the callback.
 */
typedef struct imsms_kms_event {
  int type;          /**< imsms_kms_event_type */
  int error;         /**< 0, or the IMSMS_ERR_* code of a refusal */
  uint8_t data_type; /**< MIKEY data type of the message handled */
  uint32_t csb_id;
  imsms_id peer;      /**< the authenticated (or claimed) requester */
  imsms_id initiator; /**< the ticket's IDRi, when known */
  imsms_tstamp now;
} imsms_kms_event;

/** @macro Version of struct imsms_kms_callbacks described here. */
#define IMSMS_KMS_CALLBACKS_V1 1

/**
 * @struct
 *
 * What the embedder provides. Zero-initialise, set |version| to
 * IMSMS_KMS_CALLBACKS_V1 and the members needed; only |psk_lookup| is
 * required. Fields are only ever appended.
 */
typedef struct imsms_kms_callbacks {
  uint32_t version;
  /**
   * Required: the pre-shared key of a UE, named by IDRpsk (|idrpsk|, a
   * B-TID with GBA: see imsms_gba_ks_naf()) or, when absent, by the
   * identity in the message (|peer|: IDRi or IDRr). Writes it to |psk|
   * (room for |cap|) and returns its length, or a negative code (unknown:
   * IMSMS_ERR_MIKEY_AUTH).
   */
  imsms_ssize (*psk_lookup)(imsms_kms *kms, const imsms_id *idrpsk,
                            const imsms_id *peer, uint8_t *psk, size_t cap,
                            void *user_data);
  /**
   * Optional: decides a ticket request. |granted| starts as a copy of
   * |requested| (without its key template); the callback may narrow it
   * (responders, validity, flags J, L, M cleared) and return 0 to grant,
   * or return a negative code to deny. The engine sets K when |granted|
   * differs. Without it every well-formed request is granted as asked.
   */
  int (*authorize_request)(imsms_kms *kms, const imsms_id *requester,
                           const imsms_tp *requested, imsms_tp *granted,
                           void *user_data);
  /**
   * Optional: decides a resolve. |resolver| is the authenticated identity
   * (IDRr of RESOLVE_INIT), |ticket| the ticket's granted policy. Return 0
   * and set |*as_idrr| (a view that stays valid until the handle call
   * returns, e.g. one of |ticket|'s responders) to the identity the keys
   * are bound to, or a negative code to deny. Without it the resolver
   * must be one of the ticket's responders, or a member of one of them
   * according to |is_member|.
   */
  int (*authorize_resolve)(imsms_kms *kms, const imsms_id *resolver,
                           const imsms_tp *ticket, imsms_id *as_idrr,
                           void *user_data);
  /** Optional: nonzero when |user| is a member of group |group|. */
  int (*is_member)(imsms_kms *kms, const imsms_id *group,
                   const imsms_id *user, void *user_data);
  /** Optional: replay check of authenticated requests (imsms_replay_check). */
  imsms_replay_cb replay;
  void *replay_data;
  /** Optional: receives one event per handled message. */
  void (*audit)(imsms_kms *kms, const imsms_kms_event *ev, void *user_data);
  /**
   * Optional: for the ticket of an anonymous Initiator (its TP names
   * IMSMS_ANONYMOUS_URI; the KMS sealed the authenticated |initiator|
   * inside), whether |resolver| may learn who called: a positive value
   * adds an IDR payload of role IDRi naming |initiator| to RESOLVE_RESP,
   * inside its MAC (a KMS-vouched identity the call engine reports as
   * the peer; RFC 6043 peers ignore the payload). Without it, never.
   * The other callbacks (authorize_resolve, audit) and lawful
   * interception always see the sealed identity as the ticket's IDRi.
   */
  int (*disclose_initiator)(imsms_kms *kms, const imsms_id *resolver,
                            const imsms_tp *ticket, const imsms_id *initiator,
                            void *user_data);
} imsms_kms_callbacks;

/** @macro Version of struct imsms_kms_config described here. */
#define IMSMS_KMS_CONFIG_V1 1

/**
 * @struct
 *
 * Configuration of an engine; copied by imsms_kms_new() (the identity
 * bytes too). Zero-initialise and set |version| to IMSMS_KMS_CONFIG_V1.
 */
typedef struct imsms_kms_config {
  uint32_t version;
  /** IDRkms: sent in responses and used in MAC inputs when a message
   *  leaves IDRkms out. */
  imsms_id identity;
  /** The ring of ticket protection keys (shared; must outlive the engine). */
  imsms_keyring *keyring;
  /** Allowed clock skew in seconds; 0 means 300. */
  uint32_t skew_sec;
  /**
   * Deferred delivery (voicemail, TR 33.828 4.1 and req. 52): for how
   * many seconds after the end of a ticket's validity RESOLVE still hands
   * out its keys, so that media stored encrypted can be played back; 0
   * means none. REQUEST, the start of validity and lawful interception
   * are not affected.
   */
  uint32_t deferred_grace_sec;
} imsms_kms_config;

/**
 * @function
 *
 * Creates an engine in |*pkms|. |ctx| must outlive it and is used by it
 * only. Returns 0, IMSMS_ERR_INVALID_ARGUMENT (NULL, no psk_lookup, no key
 * ring, identity over 65535 bytes), IMSMS_ERR_VERSION or IMSMS_ERR_NOMEM.
 */
IMSMS_EXTERN int imsms_kms_new(imsms_kms **pkms, imsms_ctx *ctx,
                               const imsms_kms_config *cfg,
                               const imsms_kms_callbacks *cb,
                               void *user_data);

/** @function Frees |kms|; NULL is ignored. */
IMSMS_EXTERN void imsms_kms_del(imsms_kms *kms);

/**
 * @function
 *
 * Handles one message |in| at time |now| and writes the answer to |out|
 * (room for |outcap|), its length in |*outlen| (0 when there is nothing
 * to send). REQUEST_INIT_PSK gets REQUEST_RESP, RESOLVE_INIT_PSK gets
 * RESOLVE_RESP. Every message gets an audit event.
 *
 * Returns 0 when the answer is the expected response, or a negative code
 * naming the refusal; |*outlen| may then still be nonzero: a MIKEY Error
 * message to send back. Key material never leaves in an error path.
 *
 * IMSMS_ERR_MIKEY_UNEXPECTED
 *     Not a message a KMS answers (Error message: Invalid DT).
 * IMSMS_ERR_MIKEY_MISSING, IMSMS_ERR_MIKEY_TS_TYPE, IMSMS_ERR_MIKEY_STALE,
 * IMSMS_ERR_MIKEY_PRF, IMSMS_ERR_MIKEY_MAC_ALG
 *     Malformed, stale or unsupported, or a forking ticket without
 *     Initiator Data (Error message).
 * IMSMS_ERR_MIKEY_AUTH
 *     Unknown PSK or bad MAC (no answer); a ticket's own MAC or the Vr of
 *     a forking ticket's Initiator Data is wrong (Error message).
 * IMSMS_ERR_MIKEY_REPLAY
 *     Seen before (no answer).
 * IMSMS_ERR_MIKEY_TP
 *     The requested policy breaks a rule (Error message: Invalid TPpar).
 * IMSMS_ERR_MIKEY_TICKET_TYPE
 *     Not a MIKEY base ticket (Error message: Invalid TICKET).
 * IMSMS_ERR_TICKET_KEY_UNKNOWN, IMSMS_ERR_TICKET_EXPIRED,
 * IMSMS_ERR_TICKET_NOT_YET_VALID
 *     The ticket cannot be resolved (Error message).
 * IMSMS_ERR_KMS_DENIED, or the callback's own code
 *     The policy denied it (Error message: Auth failure); not fatal.
 * IMSMS_ERR_CALLBACK_FAILURE
 *     psk_lookup returned a length over its buffer, or failed with it
 *     (no answer).
 * IMSMS_ERR_NOBUF
 *     |outcap| is too small for the answer.
 * and decode errors.
 */
IMSMS_EXTERN int imsms_kms_handle(imsms_kms *kms, const uint8_t *in,
                                  size_t inlen, imsms_tstamp now,
                                  uint8_t *out, size_t outcap,
                                  size_t *outlen);

/* ------------------------------------------------------------------ */
/* Lawful interception (TR 33.828 5.1)                                 */

/** @macro Version of struct imsms_kms_warrant described here. */
#define IMSMS_KMS_WARRANT_V1 1

/**
 * @struct
 *
 * An interception warrant: whose communications (|target|, compared by
 * ID type and bytes, group membership by the engine's is_member) and
 * when ([|start|, |end|], both included, NTP 32.32). Zero-initialise and
 * set |version| to IMSMS_KMS_WARRANT_V1.
 */
typedef struct imsms_kms_warrant {
  uint32_t version;
  imsms_id target;
  imsms_tstamp start;
  imsms_tstamp end;
} imsms_kms_warrant;

/** @macro Room for one key of struct imsms_kms_li_key. */
#define IMSMS_KMS_LI_MAX_KEY 64
/** @macro Room for an SPI of struct imsms_kms_li_key. */
#define IMSMS_KMS_LI_MAX_SPI 16
/** @macro Keys of a ticket besides its MPK (the TP template limit). */
#define IMSMS_KMS_LI_MAX_KEYS 8

/**
 * @struct
 *
 * One key as a party of the call got it: MIKEY key type
 * (imsms_mikey_key_type), key, salt and SPI. Caller allocated; wipe it.
 */
typedef struct imsms_kms_li_key {
  uint8_t type;
  uint8_t key[IMSMS_KMS_LI_MAX_KEY];
  size_t key_len;
  uint8_t salt[IMSMS_KMS_LI_MAX_KEY];
  size_t salt_len;
  uint8_t spi[IMSMS_KMS_LI_MAX_SPI];
  size_t spi_len;
} imsms_kms_li_key;

/** @enum Which party of a ticket a warrant's target is. */
typedef enum imsms_kms_li_party {
  IMSMS_KMS_LI_INITIATOR = 1, /**< IDRi, or a member of that group */
  IMSMS_KMS_LI_RESPONDER = 2, /**< one of the IDRr */
  IMSMS_KMS_LI_MEMBER = 3     /**< a member of an IDRr group */
} imsms_kms_li_party;

/**
 * @struct
 *
 * What imsms_kms_li_keys() gives: the ticket's session keys as the
 * Initiator got them (REQUEST_RESP) or, when forked for an IDRr, as that
 * Responder got them (RESOLVE_RESP). Caller allocated; all zero after a
 * refusal; wipe it after use.
 */
typedef struct imsms_kms_li_out {
  int party;           /**< imsms_kms_li_party of the target */
  uint8_t prf_func;    /**< the ticket's PRF */
  uint16_t flags;      /**< the ticket's granted TP flags */
  imsms_tstamp t;      /**< when the ticket was issued */
  int forked;          /**< nonzero: |mpkr| and the TGKs are forked */
  imsms_kms_li_key mpki;
  /** MPKr' when forked; MPKr (forking ticket, Initiator); else empty. */
  imsms_kms_li_key mpkr;
  /** TGK, TEK, GTGK in ticket order; TGKs forked when |forked|. */
  imsms_kms_li_key keys[IMSMS_KMS_LI_MAX_KEYS];
  size_t nkeys;
} imsms_kms_li_out;

/**
 * @function
 *
 * Lawful interception: opens the base ticket |ticket| (a decoded TICKET
 * payload, e.g. from an intercepted TRANSFER_INIT) with the engine's key
 * ring and writes its session keys to |out|, provided that warrant |w|
 * covers it:
 *  - |now| lies in the warrant's window;
 *  - the target is the ticket's IDRi or one of its IDRr, or a member of
 *    one of them (is_member callback);
 *  - the ticket's validity window lies inside the warrant's, an absent
 *    start or end counting as the ticket's issue time T.
 * With the I flag (forking), |idrr| and |randrkms| (|randrkmslen| bytes)
 * from the Responder's TRANSFER_RESP give MPKr' and the TGK' exactly as
 * that Responder got them; without them the Initiator's MPKr and TGK are
 * given, to a warrant on the Initiator only. A warrant on a Responder
 * gets the keys forked for that Responder (or for a group holding it)
 * only: never another fork's, never the unforked ones.
 *
 * Nothing is sent and no state a user could observe changes: no replay
 * check, no random draw, no message. Every access and every refusal is
 * reported to the audit callback (IMSMS_KMS_LI_ACCESS, IMSMS_KMS_LI_REFUSED
 * with the code in |error|; |peer| is the target, |initiator| the IDRi
 * when known, |data_type| 0); events never carry key material. Uses the
 * engine's work area: call it from the engine's thread (an LI engine of
 * its own sharing the key ring is the usual setup).
 *
 * Returns 0 or one of the following negative error codes, with |out| all
 * zero:
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     |kms|, |w|, |ticket| or |out| is NULL, the target is empty, the
 *     warrant ends before it starts, or only one of |idrr| and
 *     |randrkms| is given (or either is over 255 bytes / 65535 bytes).
 * IMSMS_ERR_VERSION
 *     |w->version| is not IMSMS_KMS_WARRANT_V1.
 * IMSMS_ERR_TICKET_NOT_YET_VALID, IMSMS_ERR_TICKET_EXPIRED
 *     The warrant is not yet, or no longer, in force at |now|, or the
 *     ticket's window starts before, or ends after, the warrant's.
 * IMSMS_ERR_KMS_DENIED
 *     The target is no party of the ticket, or the fork asked for is
 *     another party's.
 * IMSMS_ERR_MIKEY_MISSING
 *     A forking ticket, a warrant on a Responder, and no |idrr|.
 * IMSMS_ERR_MIKEY_TICKET_TYPE, IMSMS_ERR_MIKEY_PRF,
 * IMSMS_ERR_TICKET_KEY_UNKNOWN, IMSMS_ERR_MIKEY_AUTH, IMSMS_ERR_MIKEY_TP
 *     The ticket cannot be opened or its policy decoded (see
 *     imsms_base_ticket_open(), imsms_tp_decode()).
 * IMSMS_ERR_TOO_LARGE
 *     A key does not fit struct imsms_kms_li_key.
 * IMSMS_ERR_NOMEM, IMSMS_ERR_CRYPTO
 *     The context failed.
 */
IMSMS_EXTERN int imsms_kms_li_keys(imsms_kms *kms, const imsms_kms_warrant *w,
                                   const imsms_mikey_ticket *ticket,
                                   const imsms_id *idrr,
                                   const uint8_t *randrkms, size_t randrkmslen,
                                   imsms_tstamp now,
                                   imsms_kms_li_out *out) IMSMS_WUR;

#ifdef __cplusplus
}
#endif

#endif /* IMSMEDIASEC_KMS_H */
