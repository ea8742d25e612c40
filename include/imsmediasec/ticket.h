/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Tickets (RFC 6043): the ticket policy (TP) as a public model with every
 * section 6.10 rule checked, the MIKEY base ticket of appendix A (seal and
 * open under ticket protection keys), and the key ring that holds those
 * keys for one or more KMS instances.
 *
 * Choices where RFC 6043 leaves room (each tested):
 *  - THDR Data of a base ticket sealed here is the 4-byte big-endian id
 *    of the key-ring key that protects it; IDRpsk is not used.
 *  - Algorithms follow the TP PRF and are never mixed (RFC 6043 12.1):
 *    PRF MIKEY-1 seals with AES-CM-128 and HMAC-SHA-1-160, PRF
 *    HMAC-SHA-256 with AES-CM-256 and HMAC-SHA-256-256.
 *  - The KEMAC IV of a base ticket uses CSB ID 0xFFFFFFFF (RFC 6043 A.1)
 *    and the ticket's own T.
 */
#ifndef IMSMEDIASEC_TICKET_H
#define IMSMEDIASEC_TICKET_H

#include <imsmediasec/imsmediasec.h>
#include <imsmediasec/mikey.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Ticket policy (RFC 6043 6.10)                                       */

/** @macro Version of struct imsms_tp described here. */
#define IMSMS_TP_V1 1

/**
 * @struct
 *
 * An identity as an IDR payload carries it: ID type and data (a view).
 * |len| 0 means absent.
 */
typedef struct imsms_id {
  uint8_t type; /**< imsms_mikey_id_type */
  const uint8_t *data;
  size_t len;
} imsms_id;

/**
 * @struct
 *
 * One entry of the KEMAC template of a TP: the type and length of a key
 * the Initiator asks for, and its KV type (NULL or SPI with the SPI
 * length asked for; the KMS puts an SPI on every key it issues either
 * way, as RFC 6043 6.2.1 requires).
 */
typedef struct imsms_tp_key {
  uint8_t type; /**< imsms_mikey_key_type: TGK, TEK or GTGK (+SALT) */
  size_t key_len;
  size_t salt_len; /**< for the +SALT types */
  uint8_t kv;      /**< imsms_mikey_kv_type */
  size_t spi_len;
} imsms_tp_key;

/**
 * @struct
 *
 * A ticket policy: what the Initiator asks for (in TP) or what the KMS
 * grants (in TICKET). Arrays and identities are views owned by the
 * caller. Zero-initialise and set |version| to IMSMS_TP_V1.
 */
typedef struct imsms_tp {
  uint32_t version;         /**< IMSMS_TP_V1 */
  uint16_t ticket_type;     /**< imsms_mikey_ticket_type */
  uint8_t subtype;          /**< 1 for the MIKEY base ticket */
  uint8_t ticket_version;   /**< 1 for the MIKEY base ticket */
  uint8_t prf_func;         /**< imsms_mikey_prf_func */
  uint16_t flags;           /**< IMSMS_TP_D ... IMSMS_TP_O */
  imsms_id kms;             /**< IDRkms, optional */
  imsms_id initiator;       /**< IDRi, optional */
  int has_start;            /**< TRs present */
  imsms_tstamp start;       /**< start of validity (NTP 32.32) */
  int has_end;              /**< TRe present */
  imsms_tstamp end;         /**< end of validity */
  int has_rekey;            /**< TRr present */
  uint32_t rekey_sec;       /**< rekeying interval, seconds (NTP-UTC-32) */
  const imsms_tp_key *keys; /**< KEMAC template (TP only, never granted) */
  size_t nkeys;
  const imsms_id *apps;     /**< IDRapp: none means every application */
  size_t napps;
  const imsms_id *responders; /**< IDRr: users or groups, at least one */
  size_t nresponders;
} imsms_tp;

/**
 * @function
 *
 * Checks the flag rules of RFC 6043 6.10 on |flags|: not D implies L; G
 * implies F; at least one of G and H; I implies E; K implies D; M implies
 * F; F when I is set and the ticket encodes a TGK (|ticket_has_tgk|
 * nonzero); and the four low (reserved) bits clear. Returns 0 or
 * IMSMS_ERR_MIKEY_TP.
 */
IMSMS_EXTERN int imsms_tp_check_flags(uint16_t flags, int ticket_has_tgk);

/**
 * @function
 *
 * Checks a whole policy: |version|, the flag rules (as imsms_tp_check_flags(),
 * counting a TGK when the template has one; without a template the party
 * that picks the key set checks the F rule for it), at least one responder,
 * every identity present with data, of a known type and under 65536
 * bytes, a validity window whose start is not after its end (NTP times
 * compared across the era boundary), a template of at most 8 TGK, TEK or
 * GTGK keys of 16 to 64 bytes with KV SPI or NULL, and the PRF 0 or 1.
 * Ticket type, subtype and version are the ticket layer's to check.
 *
 * Returns 0 or IMSMS_ERR_INVALID_ARGUMENT (NULL, or an array NULL with a
 * nonzero count), IMSMS_ERR_VERSION, or IMSMS_ERR_MIKEY_TP.
 */
IMSMS_EXTERN int imsms_tp_validate(const imsms_tp *tp);

/**
 * @function
 *
 * Encodes the TP Data of |tp| (first-payload byte, then [IDRkms],
 * [IDRi], [TRs], [TRe], [TRr], [KEMAC template], {IDRapp}, (IDRr) in the
 * RFC 6043 6.10 order; TRs and TRe as NTP-UTC, TRr as NTP-UTC-32) into
 * |out|. The template is written only when |with_template| is nonzero
 * (a granted policy in a TICKET has none). With |out| NULL and |outcap| 0
 * it returns the length.
 *
 * Returns the length, or IMSMS_ERR_NOBUF, IMSMS_ERR_INVALID_ARGUMENT (|out|
 * NULL with a nonzero |outcap|), IMSMS_ERR_TOO_LARGE (over 65535 bytes), or
 * an error of imsms_tp_validate(). Written in one pass: on failure the
 * bytes it wrote are zeroed, and the error is the one measuring alone
 * gives (too large before a short buffer).
 */
IMSMS_EXTERN imsms_ssize imsms_tp_data_encode(const imsms_tp *tp,
                                              int with_template, uint8_t *out,
                                              size_t outcap);

/**
 * @function
 *
 * Fills the TP or TICKET payload view |pl| (|type| IMSMS_MIKEY_PT_TP or
 * IMSMS_MIKEY_PT_TICKET) from |tp| and its encoded TP Data |tp_data|, so
 * it can go into an imsms_mikey_encode() payload array. Ticket Data and
 * Initiator Data are left empty; the policy is not validated here.
 * Returns 0 or IMSMS_ERR_INVALID_ARGUMENT (NULL, TP Data over 65535
 * bytes, another payload type).
 */
IMSMS_EXTERN int imsms_tp_payload(imsms_mikey_payload *pl, uint8_t type,
                                  const imsms_tp *tp, const uint8_t *tp_data,
                                  size_t tp_data_len);

/**
 * @function
 *
 * Decodes the policy of the TP or TICKET payload |t| into |tp|. The
 * arrays of |tp| point into |keys| (room for |nkeys|) and |ids| (room for
 * |nids|, shared by IDRapp and IDRr entries); identities point into the
 * message. Unexpected payloads of known types in TP Data are ignored (RFC
 * 6043 6.10), as are IDR roles other than KMS, I, app and R, and TR roles
 * 240-254; an unassigned payload type stops the chain
 * (IMSMS_ERR_MIKEY_PAYLOAD_TYPE, its length being unknown). TRs and TRe
 * may be NTP-UTC, NTP or NTP-UTC-32. A decoded KEMAC template is reported
 * in |nkeys| whatever the payload: a granted policy must have none, which
 * the caller checks. The result is then checked with imsms_tp_validate().
 *
 * Returns 0 or IMSMS_ERR_INVALID_ARGUMENT, IMSMS_ERR_MIKEY_TOO_MANY (more
 * keys or identities than the arrays hold), IMSMS_ERR_MIKEY_TP (a
 * repeated or empty IDRkms or IDRi, a repeated TR role, a TR role 1 or
 * 5-239, a TR of a wrong type, an IDRapp after an IDRr, a malformed or
 * empty template, a rule broken), or a decode error of the TP Data
 * chain.
 */
IMSMS_EXTERN int imsms_tp_decode(imsms_tp *tp, const imsms_mikey_ticket *t,
                                 imsms_tp_key *keys, size_t nkeys,
                                 imsms_id *ids, size_t nids) IMSMS_WUR;

/**
 * @function
 *
 * Whether the Initiator can accept the policy a KMS granted for its
 * request (RFC 6043 4.2.1.6): the granted policy valid
 * (imsms_tp_validate()); same ticket type and PRF; every granted
 * responder was asked for; every granted application was asked for (or
 * none were); a validity window inside the asked one; the flags E, F, G,
 * H, I, J, L and M as asked, except that the KMS may clear J, L and M
 * (less power for the ticket holder) and may set E.
 *
 * Returns 0 or IMSMS_ERR_MIKEY_TP (also for NULL, reason "no policy");
 * |*reason|, when not NULL, names the first difference.
 */
IMSMS_EXTERN int imsms_tp_grant_acceptable(const imsms_tp *requested,
                                           const imsms_tp *granted,
                                           const char **reason);

/**
 * @function
 *
 * Whether |now| lies inside the validity window of |tp|, both ends
 * included (an absent end is unbounded). Returns 0,
 * IMSMS_ERR_TICKET_NOT_YET_VALID, IMSMS_ERR_TICKET_EXPIRED or
 * IMSMS_ERR_INVALID_ARGUMENT.
 */
IMSMS_EXTERN int imsms_tp_check_time(const imsms_tp *tp, imsms_tstamp now);

/* ------------------------------------------------------------------ */
/* Ticket protection key ring                                          */

/**
 * @struct
 *
 * Ticket protection keys (TPKs) by 32-bit key id: one active key seals,
 * every key not yet retired opens. Opaque. Safe for concurrent use by
 * any number of threads (an internal POSIX read-write lock): KMS worker
 * threads, each with its own imsms_ctx and engine, share one ring. Keys
 * live in the guarded memory of the ring's context, whose provider must
 * therefore be usable from several threads for secure_alloc/secure_free
 * (the default provider's are); the ring's context is not used for
 * anything else by the ring.
 */
typedef struct imsms_keyring imsms_keyring;

/**
 * @function
 *
 * Creates an empty ring in |*pkr| using |ctx| for memory. Returns 0,
 * IMSMS_ERR_INVALID_ARGUMENT or IMSMS_ERR_NOMEM.
 */
IMSMS_EXTERN int imsms_keyring_new(imsms_keyring **pkr, imsms_ctx *ctx);

/** @function Wipes every key and frees |kr|; NULL is ignored. */
IMSMS_EXTERN void imsms_keyring_del(imsms_keyring *kr);

/**
 * @function
 *
 * Adds TPK |tpk| (16 to 64 bytes, copied into guarded memory) as |key_id|.
 * The first key added becomes active. Returns 0,
 * IMSMS_ERR_INVALID_ARGUMENT (NULL, an id already present or retired),
 * IMSMS_ERR_KEY_LENGTH, IMSMS_ERR_TOO_LARGE (more than 64 keys) or
 * IMSMS_ERR_NOMEM.
 */
IMSMS_EXTERN int imsms_keyring_add(imsms_keyring *kr, uint32_t key_id,
                                   const uint8_t *tpk, size_t tpklen);

/**
 * @function
 *
 * Makes |key_id| the key that seals new tickets (rotation). Older keys
 * keep opening tickets until retired. Returns 0 or
 * IMSMS_ERR_TICKET_KEY_UNKNOWN.
 */
IMSMS_EXTERN int imsms_keyring_activate(imsms_keyring *kr, uint32_t key_id);

/**
 * @function
 *
 * Wipes and forgets |key_id|: tickets it sealed no longer open
 * (IMSMS_ERR_TICKET_KEY_UNKNOWN). The active key cannot be retired.
 * Returns 0, IMSMS_ERR_TICKET_KEY_UNKNOWN or IMSMS_ERR_INVALID_ARGUMENT.
 */
IMSMS_EXTERN int imsms_keyring_retire(imsms_keyring *kr, uint32_t key_id);

/* ------------------------------------------------------------------ */
/* MIKEY base ticket (RFC 6043 appendix A)                            */

/**
 * @struct
 *
 * What an opened base ticket holds besides its keys.
 */
typedef struct imsms_ticket_info {
  uint32_t key_id;   /**< from THDR */
  imsms_tstamp t;    /**< time of issue */
  const uint8_t *rand; /**< view into the ticket */
  size_t rand_len;
  /** Bytes of decrypted key data in the caller's buffer: MPK first. */
  size_t keys_len;
  /**
   * The initiator sealed by imsms_base_ticket_seal_id() (a view into the
   * caller's key buffer, after the key data), or |len| 0.
   */
  imsms_id sealed_initiator;
} imsms_ticket_info;

/**
 * @macro
 *
 * The anonymous URI of RFC 3323 4.1.1.3. An Initiator that asks for a
 * ticket policy whose IDRi is this URI stays anonymous toward the
 * responders: the KMS grants the ticket with this IDRi and seals the
 * authenticated identity inside the ticket (imsms_base_ticket_seal_id()),
 * where only the KMS reads it (for its policy, lawful interception and,
 * if the policy says so, disclosure to a resolver).
 */
#define IMSMS_ANONYMOUS_URI "sip:anonymous@anonymous.invalid"

/**
 * @function
 *
 * Seals a base ticket: Ticket Data = THDR (the active key id), T = |now|,
 * RAND (fresh, from the context's generator, at least as long as the
 * longest of TPK and MPK, 16 bytes minimum), KEMAC = E(encr_key, MPK ||
 * the key data of |keys|) with MAC alg NULL, and V under the TPK-derived
 * auth key over the whole TICKET payload as it will be encoded (RFC 6043
 * A.1: all but its next-payload byte, the Initiator Data and the MAC).
 * |hdr| gives the TICKET header fields and its TP Data: ticket type 1,
 * subtype 1, version 1, the PRF, the flags; |keys| must start with the
 * MPK (type IMSMS_MIKEY_KEY_MPK). Writes the Ticket Data to |out|.
 *
 * Returns its length, or IMSMS_ERR_INVALID_ARGUMENT,
 * IMSMS_ERR_MIKEY_TICKET_TYPE, IMSMS_ERR_MIKEY_PRF,
 * IMSMS_ERR_MIKEY_KEY_DATA (no MPK first), IMSMS_ERR_TICKET_KEY_UNKNOWN
 * (no active key), IMSMS_ERR_NOBUF, IMSMS_ERR_TOO_LARGE, IMSMS_ERR_RNG
 * or a provider error.
 */
IMSMS_EXTERN imsms_ssize imsms_base_ticket_seal(imsms_ctx *ctx,
                                                imsms_keyring *kr,
                                                const imsms_mikey_ticket *hdr,
                                                imsms_tstamp now,
                                                const imsms_mikey_keydata *keys,
                                                size_t nkeys, uint8_t *out,
                                                size_t outcap);

/**
 * @function
 *
 * imsms_base_ticket_seal() that also seals |initiator| (not empty, at
 * most 65535 bytes) inside the ticket: after the key data, in the
 * encrypted KEMAC plaintext, as one IDR payload of role IDRi (a private
 * extension, for anonymous callers; only the KMS reads it, from
 * imsms_ticket_info.sealed_initiator). Returns as imsms_base_ticket_seal().
 */
IMSMS_EXTERN imsms_ssize imsms_base_ticket_seal_id(
    imsms_ctx *ctx, imsms_keyring *kr, const imsms_mikey_ticket *hdr,
    imsms_tstamp now, const imsms_mikey_keydata *keys, size_t nkeys,
    const imsms_id *initiator, uint8_t *out, size_t outcap);

/**
 * @function
 *
 * Opens the base ticket |t| (a decoded TICKET payload): type 1, subtype
 * 1, version 1; THDR first with a known, unretired key id; T, RAND,
 * KEMAC (MAC alg NULL) and V last, unknown payloads ignored (RFC 6043
 * A); the V MAC checked in constant time; the KEMAC decrypted into
 * |keybuf| and checked to be a key data chain that starts with the MPK,
 * with no empty key, followed by nothing or a sealed initiator
 * (|info->keys_len| counts the key data only).
 *
 * Returns 0 or a negative code, with |keybuf| wiped:
 * IMSMS_ERR_INVALID_ARGUMENT, IMSMS_ERR_MIKEY_PRF (a PRF other than 0 and
 * 1), IMSMS_ERR_MIKEY_TICKET_TYPE (another ticket type, subtype or version),
 * IMSMS_ERR_TICKET_KEY_UNKNOWN, IMSMS_ERR_MIKEY_MISSING,
 * IMSMS_ERR_MIKEY_AUTH, IMSMS_ERR_NOBUF, IMSMS_ERR_MIKEY_KEY_DATA, or a
 * decode error of the Ticket Data.
 */
IMSMS_EXTERN int imsms_base_ticket_open(imsms_ctx *ctx, imsms_keyring *kr,
                                        const imsms_mikey_ticket *t,
                                        uint8_t *keybuf, size_t keycap,
                                        imsms_ticket_info *info) IMSMS_WUR;

/**
 * @function
 *
 * MPKi and MPKr from the MPK of a base ticket (RFC 6043 A.2.2): label
 * const || 0xFF || 0xFFFFFFFF || 0x06 || len8(RAND) || RAND with the
 * ticket's RAND, each as long as the MPK, under the TP PRF. Either output
 * may be NULL. Returns 0 or an error as imsms_tgk_derive().
 */
IMSMS_EXTERN int imsms_base_ticket_mpk(imsms_ctx *ctx, int prf_func,
                                       const uint8_t *mpk, size_t mpklen,
                                       const uint8_t *rand, size_t randlen,
                                       uint8_t *mpki, uint8_t *mpkr);

#ifdef __cplusplus
}
#endif

#endif /* IMSMEDIASEC_TICKET_H */
