/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Security-capability negotiation in SDP offer/answer (RFC 3264): which
 * media security each media line gets, end to end through the KMS
 * (MIKEY-TICKET in a=key-mgmt, RFC 4567), end to access edge with SDES
 * (a=crypto with a=3ge2ae, TS 33.328 e2ae), end to end with SDES
 * (a=crypto, RFC 4568), or none, following a local policy per media
 * type and per media line, with RFC 5939 capability negotiation for
 * offers that may fall back to plain RTP or MSRP.
 *
 *   Offerer                                         Answerer
 *   imsms_sdp_offer()          -- offer -->
 *                                                   imsms_sdp_answer_select()
 *                                                   (TRANSFER_INIT to the call)
 *                                                   imsms_sdp_answer()
 *   imsms_sdp_answer_read()    <-- answer --
 *
 * Modes, weakest first (a larger value is preferred):
 *
 *  - IMSMS_SDP_MODE_NONE: RTP/AVP, RTP/AVPF or TCP/MSRP, no keys.
 *  - IMSMS_SDP_MODE_E2AE: protected to the access edge only. RTP: a
 *    secure profile, a=crypto and a=3ge2ae ("requested" from the UE,
 *    "applied" from the access edge); MSRP: TCP/TLS/MSRP with
 *    a=fingerprint and a=3ge2ae (TLS to the access edge).
 *  - IMSMS_SDP_MODE_E2E_SDES: RTP only, a secure profile and a=crypto
 *    without such an a=3ge2ae (another a=3ge2ae token is ignored): keys
 *    end to end, but readable by every SIP node.
 *  - IMSMS_SDP_MODE_E2E_KMS: a secure profile and a=key-mgmt:mikey that
 *    applies (RFC 4567 3.1), carrying TRANSFER_INIT in the offer and
 *    TRANSFER_RESP (if any) in the answer; MSRP uses TLS-PSK.
 *
 * A policy is a set of accepted modes; the most preferred mode in both
 * the policy and the offer wins. Media other than RTP (RTP/AVP,
 * RTP/AVPF, RTP/SAVP, RTP/SAVPF) and MSRP (TCP/MSRP, TCP/TLS/MSRP), such
 * as DTLS-SRTP, are not negotiated here and stay as they are.
 *
 * Downgrade protection (RFC 4567 4.1.4): the offer's a=key-mgmt protocol
 * list of each media line ("mikey") is what the call engine puts into
 * TRANSFER_INIT as the General Extension "SDP IDs", inside the MAC
 * (imsms_call_set_sdp_ids()); the answerer hands the list it received,
 * per chosen configuration, to its call, which refuses a TRANSFER_INIT
 * whose list differs (IMSMS_ERR_SDP_DOWNGRADE). A plain profile carrying
 * a media-level a=key-mgmt, a=crypto, a=3ge2ae "requested" or "applied",
 * or (MSRP) a media-level a=fingerprint (a secure offer rewritten to a
 * plain profile) is refused as a downgrade whatever the policy; a policy that requires e2e
 * refuses any line without it. Every result says which mode and why, so
 * nothing is downgraded silently.
 *
 * Like the rest of the SDP layer, nothing here allocates or keeps state;
 * results hold views into the caller's text; output buffers are written
 * only on success.
 */
#ifndef IMSMEDIASEC_SDP_NEGO_H
#define IMSMEDIASEC_SDP_NEGO_H

#include <imsmediasec/sdp.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @enum Media security modes of a media line, weakest first. */
typedef enum imsms_sdp_mode {
  IMSMS_SDP_MODE_NONE = 0,
  IMSMS_SDP_MODE_E2AE = 1,
  IMSMS_SDP_MODE_E2E_SDES = 2,
  IMSMS_SDP_MODE_E2E_KMS = 3
} imsms_sdp_mode;

/** @macro The policy bit of mode |m|. */
#define IMSMS_SDP_MODE_BIT(m) (1u << (m))

/**
 * @macro
 *
 * Ready policies (sets of accepted modes). REQUIRE_E2E: e2e through the
 * KMS or nothing (the line is refused). PREFER_E2E: e2e through the KMS,
 * else e2ae. E2AE_ONLY: e2ae. ALLOW_NONE: any mode, the most secure one
 * offered. Any other combination of IMSMS_SDP_MODE_BIT() values is
 * allowed too.
 */
#define IMSMS_SDP_POLICY_REQUIRE_E2E IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2E_KMS)
#define IMSMS_SDP_POLICY_PREFER_E2E                                           \
  (IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2E_KMS) |                               \
   IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2AE))
#define IMSMS_SDP_POLICY_E2AE_ONLY IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2AE)
#define IMSMS_SDP_POLICY_ALLOW_NONE 0xfu

/** @enum What kind of media line a result is about. */
typedef enum imsms_sdp_kind {
  IMSMS_SDP_KIND_OTHER = 0, /**< not negotiated here (left untouched) */
  IMSMS_SDP_KIND_RTP = 1,   /**< RTP/AVP, RTP/AVPF, RTP/SAVP, RTP/SAVPF */
  IMSMS_SDP_KIND_MSRP = 2   /**< TCP/MSRP, TCP/TLS/MSRP */
} imsms_sdp_kind;

/** @macro Version of struct imsms_sdp_policy described here. */
#define IMSMS_SDP_POLICY_V1 1

/**
 * @struct
 *
 * A local negotiation policy: accepted modes per media type ("audio",
 * "video", "message", anything else), optionally overridden per media
 * line, and the SDES suites accepted. Zero-initialise and set |version|.
 */
typedef struct imsms_sdp_policy {
  uint32_t version;
  unsigned audio;   /**< m=audio lines */
  unsigned video;   /**< m=video lines */
  unsigned message; /**< m=message lines (MSRP) */
  unsigned other;   /**< any other media type */
  /**
   * Per media line: |levels|[k - 1] is the set for media section k; 0
   * keeps the type's set. |nlevels| may be shorter than the body.
   */
  const unsigned *levels;
  size_t nlevels;
  /**
   * imsms_srtp_suite values accepted for SDES; NULL/0: every suite that
   * encrypts (the NULL-cipher suites only when listed).
   */
  const int *suites;
  size_t nsuites;
  /** IMSMS_SDP_F_* flags. */
  unsigned flags;
} imsms_sdp_policy;

/**
 * @macro
 *
 * imsms_sdp_offer(): write one a=key-mgmt at the session level, as the
 * RFC 4567 5.1 example does (and as Wireshark decodes it), when it
 * applies to exactly the e2e lines (every line with a secure profile
 * offers E2E_KMS, and no line uses RFC 5939 capability negotiation).
 * Off by default: with the key-mgmt on each line, a line rewritten to a
 * plain profile keeps a=key-mgmt and is refused as a downgrade under any
 * policy; with it at the session level, such a line reads as a plain
 * offer (RFC 4567 5.2: a session-level a=key-mgmt does not apply to it),
 * which a policy that accepts NONE takes and any other refuses.
 */
#define IMSMS_SDP_F_SESSION_KEY_MGMT 0x1u

/** @enum Why a media line got its result. */
typedef enum imsms_sdp_reason {
  /** The most preferred mode that both the offer and the policy hold. */
  IMSMS_SDP_REASON_BEST = 0,
  /** Offerer: the answer's choice, which was offered and is accepted. */
  IMSMS_SDP_REASON_ANSWERED = 1,
  /** Not RTP or MSRP (DTLS-SRTP, ...): left alone, mode -1. */
  IMSMS_SDP_REASON_UNMANAGED = 2,
  /** The line was rejected with port 0 (in the offer, or the answer). */
  IMSMS_SDP_REASON_PORT_ZERO = 3,
  /** The policy accepts no mode for this line. */
  IMSMS_SDP_REASON_POLICY = 4,
  /** Nothing offered is accepted by the policy. */
  IMSMS_SDP_REASON_NO_COMMON_MODE = 5,
  /** The policy accepts only e2e through the KMS; the line lacks it. */
  IMSMS_SDP_REASON_E2E_REQUIRED = 6,
  /**
   * Signs of a downgrade: on a plain profile a media-level a=key-mgmt,
   * a=crypto, a=3ge2ae "requested" or "applied", or (MSRP) a media-level
   * a=fingerprint; or an answer that picked a mode weaker than every one
   * offered.
   */
  IMSMS_SDP_REASON_DOWNGRADE = 7,
  /** SDES was offered only with suites the policy does not accept. */
  IMSMS_SDP_REASON_NO_SUITE = 8,
  /**
   * Offerer: the answer is inconsistent with the offer (a mode, an
   * a=crypto tag or suite, or an a=acfg that was not offered).
   */
  IMSMS_SDP_REASON_BAD_ANSWER = 9
} imsms_sdp_reason;

/** @macro Room for an RFC 4567 protocol list in a result. */
#define IMSMS_SDP_IDS_MAX 128

/**
 * @struct
 *
 * The outcome for one media line. Views point into the SDP the function
 * read (the offer for imsms_sdp_offer() and imsms_sdp_answer_select(),
 * the answer for imsms_sdp_answer_read()).
 */
typedef struct imsms_sdp_result {
  size_t level;       /**< the media section, 1-based */
  int kind;           /**< imsms_sdp_kind */
  /** Modes the offer carries for this line (IMSMS_SDP_MODE_BIT set). */
  unsigned offered;
  /** The mode chosen, or -1 when the line is refused or unmanaged. */
  int mode;
  int reason;         /**< imsms_sdp_reason */
  /** RFC 5939: the potential configuration chosen, 0 for the actual one. */
  uint32_t pcfg;
  /** RFC 5939: its transport capability, 0 when the m-line's proto. */
  uint32_t tcap;
  /** Its attribute capabilities (for a=acfg). */
  uint32_t acaps[IMSMS_SDP_CFG_MAX_CAPS];
  size_t nacaps;
  /** Its delete-attributes flags (IMSMS_SDP_CFG_DEL_*, for a=acfg). */
  unsigned del;
  /** The profile the answer uses (imsms_sdp_proto). */
  int proto;
  /** E2E_KMS: the base64 data of a=key-mgmt:mikey (empty if none). */
  imsms_sdp_vec key_mgmt;
  /**
   * E2E_KMS: the RFC 4567 protocol list of the chosen configuration
   * (NUL-terminated), what the TRANSFER_INIT's SDP IDs must equal.
   */
  char ids[IMSMS_SDP_IDS_MAX];
  /** SDES: the chosen a=crypto value (offer's, or the answer's). */
  imsms_sdp_vec crypto;
  uint32_t crypto_tag; /**< its tag */
  int suite;           /**< its imsms_srtp_suite */
} imsms_sdp_result;

/**
 * @struct
 *
 * Keys and certificates a side puts on one media line. SDES lines are
 * written with imsms_sdes_format(); |fingerprint| is an a=fingerprint
 * value (MSRP e2ae).
 */
typedef struct imsms_sdp_media_keys {
  size_t level;
  const imsms_sdes_crypto *crypto;
  size_t ncrypto;
  const char *fingerprint;
  size_t fingerprint_len;
} imsms_sdp_media_keys;

/** @function The name of an imsms_sdp_mode ("e2e-kms"), or NULL. */
IMSMS_EXTERN const char *imsms_sdp_mode_str(int mode);

/** @function The name of an imsms_sdp_reason ("best"), or NULL. */
IMSMS_EXTERN const char *imsms_sdp_reason_str(int reason);

/**
 * @function
 *
 * Parses a policy name: "require-e2e", "prefer-e2e", "e2ae-only",
 * "allow-none", or modes joined by "," ("e2e-kms,e2e-sdes"). Returns
 * the set (at least one mode), or IMSMS_ERR_INVALID_ARGUMENT.
 */
IMSMS_EXTERN int imsms_sdp_policy_parse(const char *s, size_t len);

/**
 * @function
 *
 * The offerer: writes |sdp| (the application's SDP, without a=key-mgmt,
 * a=crypto, a=3ge2ae, a=fingerprint on MSRP lines or RFC 5939
 * attributes) with each RTP and MSRP line secured as |pol| says:
 *
 *  - the modes offered are those of the policy the material allows:
 *    E2E_KMS needs |mikey| (the call's TRANSFER_INIT), the SDES modes
 *    an entry of |keys| with a=crypto values for the line, MSRP E2AE an
 *    entry with a fingerprint; E2E_SDES is offered only without E2AE
 *    (with both, a=3ge2ae:requested lets the access edge choose);
 *  - without NONE: the secure profile, with a=key-mgmt:mikey (media
 *    level), the a=crypto lines and a=3ge2ae:requested, or the MSRP
 *    a=fingerprint, directly on the line;
 *  - with NONE and a secure mode: "SRTP with RTP fallback" (RFC 5939):
 *    the plain profile, a=tcap with the secure one, one a=acap per
 *    attribute and one a=pcfg per secure mode, most preferred first
 *    (capability numbers from 1, unique in the body).
 *
 * Up to |rescap| results (mode -1 and |offered| set; reason BEST, or
 * UNMANAGED and PORT_ZERO for the lines left alone) go to |res|; |*nres|
 * gets the number of media lines.
 *
 * Returns the length of the offer, or one of the following negative
 * error codes (nothing is written on failure):
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     NULL pointers, a policy of another version, a key entry for a
 *     level the body lacks or listed twice, with more than
 *     IMSMS_SDP_MAX_CRYPTO keys or a NULL fingerprint of nonzero length,
 *     two a=crypto keys of one entry with the same tag, a key whose
 *     suite |pol| does not accept.
 * IMSMS_ERR_SDP_CONFLICT
 *     |sdp| already carries an attribute the offer writes.
 * IMSMS_ERR_SDP_NO_MODE
 *     A managed, non-rejected line for which no accepted mode can be
 *     offered (for example e2e required without |mikey|).
 * IMSMS_ERR_NOBUF
 *     |outcap| or |rescap| is too small.
 * IMSMS_ERR_TOO_LARGE
 *     The result exceeds IMSMS_SDP_MAX_LEN, more than IMSMS_SDP_MAX_MEDIA
 *     lines, fallback lines needing more than IMSMS_SDP_MAX_CAPS a=tcap
 *     or a=acap lines in all (what imsms_sdp_check() accepts), or a
 *     fallback line with more than IMSMS_SDP_CFG_MAX_ALTS a=crypto keys
 *     (each is one alternative of its a=pcfg).
 * Errors of imsms_sdp_check(), imsms_sdes_format() and
 * imsms_sdp_fingerprint_parse()
 *     A malformed body, key or fingerprint.
 *
 * On failure |res| may hold results for some lines; do not use them.
 */
IMSMS_EXTERN imsms_ssize imsms_sdp_offer(char *out, size_t outcap,
                                         const char *sdp, size_t sdplen,
                                         const imsms_sdp_policy *pol,
                                         const uint8_t *mikey, size_t mikeylen,
                                         const imsms_sdp_media_keys *keys,
                                         size_t nkeys, imsms_sdp_result *res,
                                         size_t rescap, size_t *nres);

/**
 * @function
 *
 * The answerer, first step: reads |offer| and picks for each media line
 * the most preferred mode that the line offers (in its actual
 * configuration or any RFC 5939 potential configuration, in the order
 * the offer prefers them) and |pol| accepts. SDES picks the first
 * a=crypto whose suite the policy accepts. For E2E_KMS the result names
 * the key-mgmt data (the TRANSFER_INIT to hand to the call) and the
 * protocol list to check it against (a configuration whose list does not
 * fit IMSMS_SDP_IDS_MAX is not taken for E2E_KMS). A potential
 * configuration's attribute capabilities count before the line's own
 * attributes (RFC 5939 3.6.2), for the protocol list too. Refused lines
 * get mode -1 and the reason; so do lines offered with port 0.
 *
 * Returns the number of media lines (|*nres| too; up to |rescap| results
 * are written), or one of the following negative error codes:
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     NULL pointers, a policy of another version.
 * IMSMS_ERR_NOBUF
 *     More media lines than |rescap|.
 * IMSMS_ERR_TOO_LARGE
 *     More than IMSMS_SDP_MAX_MEDIA lines, or more than
 *     IMSMS_SDP_NEGO_MAX_PCFG potential configurations on a line.
 * Errors of imsms_sdp_check()
 *     The offer is malformed or inconsistent.
 *
 * On failure |res| may hold results for some lines; do not use them.
 */
IMSMS_EXTERN imsms_ssize imsms_sdp_answer_select(const char *offer,
                                                 size_t offerlen,
                                                 const imsms_sdp_policy *pol,
                                                 imsms_sdp_result *res,
                                                 size_t rescap, size_t *nres);

/** @macro Most a=pcfg lines one media line may carry for negotiation. */
#define IMSMS_SDP_NEGO_MAX_PCFG 16

/**
 * @function
 *
 * The answerer, second step: writes |sdp| (the application's answer SDP,
 * one media line per offered line, without the attributes written here)
 * with the |nres| results of imsms_sdp_answer_select() applied: the
 * chosen profile; a=key-mgmt:mikey with |mikey| (the call's
 * TRANSFER_RESP) on E2E_KMS lines when |mikey| is not NULL; the single
 * a=crypto of the line's |keys| entry on SDES lines (same tag and suite
 * as chosen: imsms_sdes_generate() makes it); the |keys| fingerprint on
 * MSRP E2AE lines; a=acfg when a potential configuration was chosen
 * (its number, transport, attribute capabilities and delete flags);
 * port 0 on refused lines. Unmanaged lines stay as they are. The results
 * are checked again, since an application may have changed them.
 *
 * Returns the length of the answer, or one of the following negative
 * error codes (nothing is written on failure):
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     NULL pointers, |nres| not the number of media lines of |sdp|, a
 *     line whose kind (from its profile) differs from its result's, a
 *     result
 *     whose mode its kind or profile cannot carry (NONE needs a plain
 *     profile, the others a secure one; no E2E_SDES for MSRP), an
 *     a=acfg it cannot write (numbers of 0 or over
 *     IMSMS_SDP_CAP_NUM_MAX, more than IMSMS_SDP_CFG_MAX_CAPS
 *     capabilities, unknown delete flags, capabilities without a
 *     configuration), an SDES line without exactly one a=crypto of the
 *     chosen tag and suite, an MSRP E2AE line without a fingerprint.
 * IMSMS_ERR_SDP_CONFLICT
 *     |sdp| already carries an attribute the answer writes.
 * IMSMS_ERR_NOBUF, IMSMS_ERR_TOO_LARGE
 *     As imsms_sdp_offer().
 * Errors of imsms_sdp_check(), imsms_sdes_format() and
 * imsms_sdp_fingerprint_parse()
 *     A malformed body, key or fingerprint.
 */
IMSMS_EXTERN imsms_ssize imsms_sdp_answer(char *out, size_t outcap,
                                          const char *sdp, size_t sdplen,
                                          const imsms_sdp_result *res,
                                          size_t nres, const uint8_t *mikey,
                                          size_t mikeylen,
                                          const imsms_sdp_media_keys *keys,
                                          size_t nkeys);

/**
 * @function
 *
 * The offerer reads |answer| to its |offer|: for each media line, the
 * mode the answer chose (a=key-mgmt, or a secure profile alone, for
 * E2E_KMS: the latter is right only when the TRANSFER_INIT had the F
 * flag clear and so has no TRANSFER_RESP, which the call checks
 * (imsms_call_sdp_answer_recv()), not this function; a=crypto for SDES, counted
 * as E2AE when the offer requested e2ae; a media-level fingerprint on
 * TCP/TLS/MSRP for MSRP E2AE; a plain profile for NONE), checked against
 * the configuration the answer chose (the potential one its a=acfg names,
 * with that number, transport, delete flags and mandatory capabilities,
 * else the actual one; the answer's profile must be that
 * configuration's) and against what |pol| accepts. An answer with the
 * attributes of two modes (a=key-mgmt with a=crypto or an e2ae
 * a=3ge2ae) is BAD_ANSWER; a refused line keeps none of the answer's
 * choice. An SDES answer must carry exactly one
 * a=crypto with a tag and suite that configuration had and |pol|
 * accepts (else NO_SUITE). |key_mgmt| then names the TRANSFER_RESP,
 * |crypto| the peer's key; |pcfg|, |tcap|, |acaps| and |del| repeat the
 * a=acfg.
 *
 * Returns the number of media lines, or the codes of
 * imsms_sdp_answer_select() (IMSMS_ERR_SDP_CONFLICT also when the two
 * bodies do not have the same number of media lines). On failure |res|
 * may hold results for some lines; do not use them.
 */
IMSMS_EXTERN imsms_ssize imsms_sdp_answer_read(const char *offer,
                                               size_t offerlen,
                                               const char *answer,
                                               size_t answerlen,
                                               const imsms_sdp_policy *pol,
                                               imsms_sdp_result *res,
                                               size_t rescap, size_t *nres);

#ifdef __cplusplus
}
#endif

#endif /* IMSMEDIASEC_SDP_NEGO_H */
