/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The SDP and SIP side of media security: a zero-copy iterator over an
 * SDP body that knows session and media sections; parsers and
 * formatters for the attributes this library owns (a=key-mgmt of RFC
 * 4567, a=crypto through imsms_sdes_parse(), a=3ge2ae of TS 24.229,
 * a=setup and a=fingerprint as pass-through views, the RFC 5939
 * capability attributes a=tcap, a=acap, a=pcfg and a=acfg); a whole-body
 * check; an editor that rewrites only the lines it is told to and copies
 * every other byte; the network-side end-to-access-edge helpers of a
 * P-CSCF/IMS-ALG; and the SIP Security-Client, Security-Server and
 * Security-Verify header values of RFC 3329 with the "mediasec"
 * parameter.
 *
 * Nothing here allocates or keeps state; every parser returns views
 * (pointer and length) into the caller's text, valid as long as that
 * text is. Input text is never modified and need not be NUL-terminated.
 * Formatters and editors write no NUL, compute the exact length first,
 * and write nothing at all unless the whole result fits and every check
 * passed: on failure the output buffer is untouched.
 *
 * The negotiation policy (which mode per media line), the downgrade
 * checks and the call-engine wire-up build on this layer and are not
 * part of it.
 */
#ifndef IMSMEDIASEC_SDP_H
#define IMSMEDIASEC_SDP_H

#include <imsmediasec/imsmediasec.h>
#include <imsmediasec/keys.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Errors: the layer reports IMSMS_ERR_SDP_SYNTAX, IMSMS_ERR_SDP_DUPLICATE,
 * IMSMS_ERR_SDP_CONFLICT, IMSMS_ERR_SDP_PROFILE and IMSMS_ERR_SIP_SYNTAX
 * (<imsmediasec/imsmediasec.h>), besides the general codes.
 */

/* ------------------------------------------------------------------ */
/* Limits and small types                                              */

/** @macro Largest SDP body accepted, in bytes (IMSMS_ERR_TOO_LARGE above). */
#define IMSMS_SDP_MAX_LEN 65536

/**
 * @macro
 *
 * Most a=crypto lines in one media section, a=key-mgmt lines at one
 * level, and a=acap or a=tcap numbers in one body that
 * imsms_sdp_check() keeps track of (IMSMS_ERR_TOO_LARGE above).
 */
#define IMSMS_SDP_MAX_CRYPTO 32
#define IMSMS_SDP_MAX_KEY_MGMT 8
#define IMSMS_SDP_MAX_CAPS 64

/**
 * @macro
 *
 * Most media sections one call of an e2ae helper rewrites
 * (IMSMS_ERR_TOO_LARGE above).
 */
#define IMSMS_SDP_MAX_MEDIA 64

/** @macro "Any level" for the level filters of the attribute lookups. */
#define IMSMS_SDP_LEVEL_ANY ((size_t)-1)

/**
 * @struct
 *
 * A view of |len| bytes of the caller's text. Never NUL-terminated;
 * |base| is NULL only when |len| is 0.
 */
typedef struct imsms_sdp_vec {
  const char *base;
  size_t len;
} imsms_sdp_vec;

/** @enum Transport profiles of an m-line (the proto field). */
typedef enum imsms_sdp_proto {
  IMSMS_SDP_PROTO_OTHER = 0,        /**< anything else (the text is kept) */
  IMSMS_SDP_PROTO_RTP_AVP = 1,      /**< RTP/AVP (RFC 3551) */
  IMSMS_SDP_PROTO_RTP_AVPF = 2,     /**< RTP/AVPF (RFC 4585) */
  IMSMS_SDP_PROTO_RTP_SAVP = 3,     /**< RTP/SAVP (RFC 3711) */
  IMSMS_SDP_PROTO_RTP_SAVPF = 4,    /**< RTP/SAVPF (RFC 5124) */
  IMSMS_SDP_PROTO_UDP_TLS_RTP_SAVP = 5, /**< UDP/TLS/RTP/SAVP (RFC 5764) */
  IMSMS_SDP_PROTO_TCP_MSRP = 6,     /**< TCP/MSRP (RFC 4975) */
  IMSMS_SDP_PROTO_TCP_TLS_MSRP = 7  /**< TCP/TLS/MSRP (RFC 4975) */
} imsms_sdp_proto;

/**
 * @function
 *
 * The profile named by the |len| bytes at |s| (exact, case-sensitive),
 * or IMSMS_SDP_PROTO_OTHER.
 */
IMSMS_EXTERN int imsms_sdp_proto_from_str(const char *s, size_t len);

/**
 * @function
 *
 * The name of |proto| ("RTP/SAVP"), or NULL for IMSMS_SDP_PROTO_OTHER and
 * unknown values.
 */
IMSMS_EXTERN const char *imsms_sdp_proto_str(int proto);

/**
 * @function
 *
 * The plain counterpart of a secure profile (RTP/SAVP to RTP/AVP,
 * RTP/SAVPF to RTP/AVPF, TCP/TLS/MSRP to TCP/MSRP), or
 * IMSMS_ERR_SDP_PROFILE for any other value (UDP/TLS/RTP/SAVP has no
 * plain counterpart: DTLS-SRTP is not rewritten).
 */
IMSMS_EXTERN int imsms_sdp_proto_to_plain(int proto);

/**
 * @function
 *
 * The secure counterpart of a plain profile (the reverse of
 * imsms_sdp_proto_to_plain()), or IMSMS_ERR_SDP_PROFILE.
 */
IMSMS_EXTERN int imsms_sdp_proto_to_secure(int proto);

/* ------------------------------------------------------------------ */
/* Line iterator                                                       */

/**
 * @struct
 *
 * The fields of an m-line: media SP port ["/" nports] SP proto 1*(SP fmt).
 */
typedef struct imsms_sdp_mline {
  imsms_sdp_vec media;  /**< "audio", "video", "message", ... */
  uint32_t port;        /**< 0 to 65535 (0: the stream is rejected) */
  uint32_t nports;      /**< the "/n" count, 0 when absent */
  int proto;            /**< imsms_sdp_proto */
  imsms_sdp_vec proto_text; /**< the proto field as written */
  imsms_sdp_vec fmts;   /**< the format list, "0 18" */
  size_t nfmts;         /**< number of formats, at least 1 */
} imsms_sdp_mline;

/**
 * @struct
 *
 * One line of an SDP body. Every view points into the body.
 */
typedef struct imsms_sdp_line {
  char type;            /**< the line type letter, 'a' to 'z' */
  size_t level;         /**< 0 session section, k the k-th media section */
  size_t lineno;        /**< 1-based line number */
  imsms_sdp_vec raw;    /**< the whole line with its line ending */
  imsms_sdp_vec value;  /**< after "x=", without the line ending */
  /** a= lines: the attribute name (before the first ':'). */
  imsms_sdp_vec name;
  /** a= lines: the text after the first ':' when |has_value|. */
  imsms_sdp_vec attr_value;
  int has_value;
  imsms_sdp_mline m;    /**< m= lines only; zero otherwise */
} imsms_sdp_line;

/**
 * @struct
 *
 * Walks the lines of an SDP body. Caller-allocated; private fields.
 */
typedef struct imsms_sdp_iter {
  const char *start;
  const char *pos;
  const char *end;
  size_t level;
  size_t lineno;
} imsms_sdp_iter;

/**
 * @function
 *
 * Starts |it| on the |sdplen| bytes at |sdp|.
 *
 * Returns 0 or one of the following negative error codes:
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     |it| is NULL, or |sdp| is NULL with a nonzero |sdplen|.
 * IMSMS_ERR_TOO_LARGE
 *     |sdplen| exceeds IMSMS_SDP_MAX_LEN.
 */
IMSMS_EXTERN int imsms_sdp_iter_init(imsms_sdp_iter *it, const char *sdp,
                                     size_t sdplen);

/**
 * @function
 *
 * Reads the next line into |line|. Lines end with CRLF or LF (both may
 * appear in one body); the last line may lack its line ending; empty
 * lines are accepted only as a run at the very end of the body, which
 * is then over. The first line must be "v=0". Each line is
 * type "=" value with a type from 'a' to 'z' and a value free of NUL and
 * CR. m-lines are parsed strictly (single spaces, port 0-65535, nports
 * 1-65535, proto tokens joined by "/", at least one fmt token); a= lines
 * must start with a token (RFC 4566 att-field). Each m-line starts a new
 * media section, so |line->level| of the m-line is its own section.
 *
 * Returns 0, IMSMS_ERR_EOF after the last line, or one of the following
 * negative error codes (the iterator stays on the failing line, so the
 * next call fails the same way):
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     |it| or |line| is NULL.
 * IMSMS_ERR_SDP_SYNTAX
 *     A malformed line: empty SDP, not "v=0" first, a second v= line, no
 *     '=' in second place, a type outside 'a'-'z', a NUL or lone CR,
 *     an empty line before the end, a malformed m-line or attribute
 *     name.
 * IMSMS_ERR_TRUNCATED
 *     The body ends with a CR that lacks its LF.
 */
IMSMS_EXTERN int imsms_sdp_iter_next(imsms_sdp_iter *it, imsms_sdp_line *line);

/**
 * @function
 *
 * Advances |it| to the next a= line named |name| (|namelen| bytes, exact
 * case) at |level| (or at any level for IMSMS_SDP_LEVEL_ANY).
 *
 * Returns 0, IMSMS_ERR_EOF when there is none, or an error of
 * imsms_sdp_iter_next() (IMSMS_ERR_INVALID_ARGUMENT also for a NULL
 * |name|).
 */
IMSMS_EXTERN int imsms_sdp_attr_next(imsms_sdp_iter *it, size_t level,
                                     const char *name, size_t namelen,
                                     imsms_sdp_line *line);

/**
 * @function
 *
 * The first a= line named |name| at |level| of the SDP; with |inherit|
 * set and |level| a media section that has none, the first one at the
 * session level. The whole body is read, so a malformed line anywhere
 * fails the lookup.
 *
 * Returns 0, IMSMS_ERR_EOF when there is none, or one of the following
 * negative error codes:
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     A NULL pointer, or |level| names a media section the body lacks.
 * IMSMS_ERR_TOO_LARGE, IMSMS_ERR_SDP_SYNTAX, IMSMS_ERR_TRUNCATED
 *     As imsms_sdp_iter_init() and imsms_sdp_iter_next().
 */
IMSMS_EXTERN int imsms_sdp_attr_find(const char *sdp, size_t sdplen,
                                     size_t level, const char *name,
                                     size_t namelen, int inherit,
                                     imsms_sdp_line *line);

/**
 * @function
 *
 * Reads the m-line of media section |level| (1-based) into |m|.
 *
 * Returns 0 or IMSMS_ERR_INVALID_ARGUMENT (NULL, |level| 0 or past the
 * last section), IMSMS_ERR_TOO_LARGE, IMSMS_ERR_SDP_SYNTAX,
 * IMSMS_ERR_TRUNCATED.
 */
IMSMS_EXTERN int imsms_sdp_media_get(const char *sdp, size_t sdplen,
                                     size_t level, imsms_sdp_mline *m);

/**
 * @function
 *
 * Checks a whole SDP body: every line as imsms_sdp_iter_next() does, and
 * every attribute this library owns, at each level:
 *
 *  - a=key-mgmt (session or media): imsms_sdp_key_mgmt_parse(); one
 *    protocol id at most once per level;
 *  - a=crypto (media only, not on TCP/MSRP, TCP/TLS/MSRP or
 *    UDP/TLS/RTP/SAVP): imsms_sdes_parse(); tags unique per media;
 *  - a=3ge2ae (media only, once): imsms_sdp_3ge2ae_parse();
 *  - a=setup (once per level): imsms_sdp_setup_parse();
 *  - a=fingerprint: imsms_sdp_fingerprint_parse();
 *  - a=tcap (once per level) and a=acap: their parsers; capability
 *    numbers unique in the body (tcap ranges may not overlap); an acap
 *    embeds no capability negotiation attribute, and an embedded
 *    a=crypto or a=key-mgmt is checked as above;
 *  - a=pcfg (media only; numbers unique per media) and a=acfg (media
 *    only, once): imsms_sdp_cfg_parse(); every capability a pcfg names
 *    exists at the session level or in its own media section.
 *
 * Returns the number of media sections, or one of the following
 * negative error codes (the first problem in body order; references of
 * a=pcfg are checked after the whole body):
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     |sdp| is NULL with a nonzero |sdplen|.
 * IMSMS_ERR_TOO_LARGE
 *     The body exceeds IMSMS_SDP_MAX_LEN, or a limit of
 *     IMSMS_SDP_MAX_CRYPTO, IMSMS_SDP_MAX_KEY_MGMT, IMSMS_SDP_MAX_CAPS,
 *     or one of the parsers' limits.
 * IMSMS_ERR_SDP_SYNTAX, IMSMS_ERR_TRUNCATED
 *     A malformed line or owned attribute.
 * IMSMS_ERR_BASE64
 *     a=key-mgmt data that is not strict base64.
 * IMSMS_ERR_SDP_DUPLICATE
 *     A repeated protocol id, crypto tag, a=3ge2ae, a=setup, a=tcap,
 *     a=acfg, capability or configuration number.
 * IMSMS_ERR_SDP_CONFLICT
 *     An attribute at a level it may not be at (a=crypto, a=3ge2ae,
 *     a=pcfg or a=acfg at the session level), a=crypto on a non-SRTP
 *     profile, an acap embedding a capability attribute, a pcfg naming a
 *     missing capability.
 * IMSMS_ERR_SDES_*, IMSMS_ERR_UNSUPPORTED_ALG
 *     An a=crypto value refused by imsms_sdes_parse().
 */
IMSMS_EXTERN imsms_ssize imsms_sdp_check(const char *sdp, size_t sdplen);

/* ------------------------------------------------------------------ */
/* a=key-mgmt (RFC 4567)                                               */

/**
 * @struct
 *
 * One a=key-mgmt attribute: protocol id and base64 data, as views.
 */
typedef struct imsms_sdp_key_mgmt {
  imsms_sdp_vec prtcl_id; /**< KMPID, "mikey" */
  imsms_sdp_vec data;     /**< base64 text of the key management message */
  size_t level;           /**< where it was found (set by the lookups) */
} imsms_sdp_key_mgmt;

/**
 * @function
 *
 * Parses an a=key-mgmt value (the text after "key-mgmt:"):
 * 0*1SP prtcl-id SP keymgmt-data, with prtcl-id 1*(ALPHA / DIGIT) and
 * keymgmt-data non-empty strict base64 (padding required). One trailing
 * SP or HTAB is tolerated. |out->level| is set to 0.
 *
 * Returns 0 or one of the following negative error codes (|out| is
 * zeroed on failure):
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     |out| is NULL, or |value| is NULL with a nonzero |len|.
 * IMSMS_ERR_SDP_SYNTAX
 *     No protocol id, a character outside ALPHA / DIGIT in it, not one
 *     SP before the data, empty data, or text after the data.
 * IMSMS_ERR_BASE64
 *     The data is not strict base64.
 */
IMSMS_EXTERN int imsms_sdp_key_mgmt_parse(imsms_sdp_key_mgmt *out,
                                          const char *value, size_t len);

/**
 * @function
 *
 * Decodes the data of |km| (a parsed attribute) into |out|; room for
 * imsms_base64_decode_maxlen(|km->data.len|) bytes always suffices.
 *
 * Returns the number of bytes, or IMSMS_ERR_INVALID_ARGUMENT,
 * IMSMS_ERR_BASE64 or IMSMS_ERR_NOBUF (|out| is wiped on failure).
 */
IMSMS_EXTERN imsms_ssize imsms_sdp_key_mgmt_decode(uint8_t *out,
                                                   size_t outcap,
                                                   const imsms_sdp_key_mgmt *km);

/**
 * @function
 *
 * Writes the a=key-mgmt value "|prtcl_id| SP base64(|data|)" into |out|
 * (no "key-mgmt:", no line ending, no NUL). |out| NULL with |outcap| 0
 * measures.
 *
 * Returns the length, or IMSMS_ERR_INVALID_ARGUMENT (NULL pointers, an
 * empty or non-alphanumeric protocol id, empty data), IMSMS_ERR_TOO_LARGE
 * (a value over IMSMS_SDP_MAX_LEN) or IMSMS_ERR_NOBUF.
 */
IMSMS_EXTERN imsms_ssize imsms_sdp_key_mgmt_format(char *out, size_t outcap,
                                                   const char *prtcl_id,
                                                   const uint8_t *data,
                                                   size_t datalen);

/**
 * @function
 *
 * The a=key-mgmt attributes that apply to |level| (RFC 4567 3.1): at the
 * session level (0), the session ones; for a media section, its own ones
 * when it has any (they override every session-level one), otherwise the
 * session ones, but only when the section's profile is a secure one
 * (RTP/SAVP, RTP/SAVPF, TCP/TLS/MSRP: RFC 4567 5.2, a session-level
 * attribute does not affect RTP/AVP media). Up to |cap| go to |out| in
 * body order, each parsed and with its level; |*n| gets how many apply.
 *
 * Returns 0 or one of the following negative error codes:
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     A NULL pointer (|out| may be NULL when |cap| is 0), or |level|
 *     names a media section the body lacks.
 * IMSMS_ERR_NOBUF
 *     More than |cap| apply (|*n| holds how many).
 * IMSMS_ERR_SDP_DUPLICATE
 *     One protocol id twice at one level.
 * IMSMS_ERR_SDP_SYNTAX, IMSMS_ERR_BASE64, IMSMS_ERR_TRUNCATED,
 * IMSMS_ERR_TOO_LARGE
 *     A malformed line or a=key-mgmt anywhere in the body.
 */
IMSMS_EXTERN int imsms_sdp_key_mgmt_list(const char *sdp, size_t sdplen,
                                         size_t level,
                                         imsms_sdp_key_mgmt *out, size_t cap,
                                         size_t *n);

/**
 * @function
 *
 * Writes the protocol identifier list of RFC 4567 4.1.4 for |level|
 * (prtcl-list = KMPID *(";" KMPID), the protocol ids of
 * imsms_sdp_key_mgmt_list() in order, e.g. "mikey;keyp1;keyp2") into
 * |out|: what the key management protocol authenticates against
 * bidding-down. |out| NULL with |outcap| 0 measures.
 *
 * Returns the length (0 when no a=key-mgmt applies), or an error of
 * imsms_sdp_key_mgmt_list() (IMSMS_ERR_NOBUF also when |outcap| is too
 * small).
 */
IMSMS_EXTERN imsms_ssize imsms_sdp_key_mgmt_ids(char *out, size_t outcap,
                                                const char *sdp,
                                                size_t sdplen, size_t level);

/* ------------------------------------------------------------------ */
/* a=crypto (RFC 4568)                                                 */

/**
 * @function
 *
 * Parses the a=crypto line |line| (from the iterator) with
 * imsms_sdes_parse().
 *
 * Returns 0, IMSMS_ERR_INVALID_ARGUMENT (NULL, or not an a=crypto line
 * with a value), or an error of imsms_sdes_parse(); |out| is wiped on
 * failure.
 */
IMSMS_EXTERN int imsms_sdp_crypto_parse(const imsms_sdp_line *line,
                                        imsms_sdes_crypto *out) IMSMS_WUR;

/* ------------------------------------------------------------------ */
/* a=3ge2ae, a=setup, a=fingerprint                                    */

/** @enum Values of a=3ge2ae (TS 24.229). */
typedef enum imsms_sdp_3ge2ae {
  IMSMS_SDP_3GE2AE_OTHER = 0,     /**< another token (kept, not acted on) */
  IMSMS_SDP_3GE2AE_REQUESTED = 1, /**< "requested": the UE asks for e2ae */
  IMSMS_SDP_3GE2AE_APPLIED = 2    /**< "applied" (meaning unverified) */
} imsms_sdp_3ge2ae;

/**
 * @function
 *
 * Parses an a=3ge2ae value: "requested", "applied" (exact case), or any
 * other token (IMSMS_SDP_3GE2AE_OTHER).
 *
 * Returns the value, or IMSMS_ERR_INVALID_ARGUMENT (NULL with a nonzero
 * |len|) or IMSMS_ERR_SDP_SYNTAX (empty, or not a token).
 */
IMSMS_EXTERN int imsms_sdp_3ge2ae_parse(const char *value, size_t len);

/**
 * @function
 *
 * "requested" or "applied", or NULL for other values.
 */
IMSMS_EXTERN const char *imsms_sdp_3ge2ae_str(int v);

/** @enum Values of a=setup (RFC 4145 4). */
typedef enum imsms_sdp_setup {
  IMSMS_SDP_SETUP_ACTIVE = 1,
  IMSMS_SDP_SETUP_PASSIVE = 2,
  IMSMS_SDP_SETUP_ACTPASS = 3,
  IMSMS_SDP_SETUP_HOLDCONN = 4
} imsms_sdp_setup;

/**
 * @function
 *
 * Parses an a=setup value ("active", "passive", "actpass", "holdconn",
 * exact case).
 *
 * Returns the value, or IMSMS_ERR_INVALID_ARGUMENT (NULL with a nonzero
 * |len|) or IMSMS_ERR_SDP_SYNTAX (anything else).
 */
IMSMS_EXTERN int imsms_sdp_setup_parse(const char *value, size_t len);

/** @function The name of an imsms_sdp_setup value, or NULL. */
IMSMS_EXTERN const char *imsms_sdp_setup_str(int v);

/**
 * @struct
 *
 * An a=fingerprint value (RFC 8122): hash function and fingerprint, as
 * views.
 */
typedef struct imsms_sdp_fingerprint {
  imsms_sdp_vec hash_func;   /**< "sha-256", "SHA-1" */
  imsms_sdp_vec fingerprint; /**< "4A:AD:B9:..." */
} imsms_sdp_fingerprint;

/**
 * @function
 *
 * Parses an a=fingerprint value: [SP] hash-func SP fingerprint, with
 * hash-func a token and fingerprint 2HEXDIG *(":" 2HEXDIG) (either
 * case). The leading SP is tolerated because RFC 5939 writes one.
 *
 * Returns 0, or IMSMS_ERR_INVALID_ARGUMENT or IMSMS_ERR_SDP_SYNTAX
 * (|out| zeroed on failure).
 */
IMSMS_EXTERN int imsms_sdp_fingerprint_parse(imsms_sdp_fingerprint *out,
                                             const char *value, size_t len);

/* ------------------------------------------------------------------ */
/* RFC 5939 capability negotiation                                     */

/** @macro Largest capability or configuration number, 2^31 - 1. */
#define IMSMS_SDP_CAP_NUM_MAX 2147483647u
/** @macro Most alternatives in one a=pcfg list; most numbers in one. */
#define IMSMS_SDP_CFG_MAX_ALTS 16
#define IMSMS_SDP_CFG_MAX_CAPS 16
/** @macro Most extension configuration lists in one a=pcfg or a=acfg. */
#define IMSMS_SDP_CFG_MAX_EXT 4

/**
 * @struct
 *
 * An a=tcap value: trpr-cap-num 1*WSP proto *(1*WSP proto). Protocol
 * |num| + i is the i-th of the list.
 */
typedef struct imsms_sdp_tcap {
  uint32_t num;
  size_t nprotos;
  imsms_sdp_vec protos; /**< the list as written */
} imsms_sdp_tcap;

/**
 * @function
 *
 * Parses an a=tcap value. The number is 1 to 2^31 - 1 (leading zeroes
 * allowed by the grammar), the numbers of the list may not pass 2^31 - 1,
 * each proto is token *("/" token). One trailing blank is tolerated.
 *
 * Returns 0, or IMSMS_ERR_INVALID_ARGUMENT or IMSMS_ERR_SDP_SYNTAX (|out|
 * zeroed on failure).
 */
IMSMS_EXTERN int imsms_sdp_tcap_parse(imsms_sdp_tcap *out, const char *value,
                                      size_t len);

/**
 * @function
 *
 * The protocol that capability number |num| of |t| names.
 *
 * Returns 0, IMSMS_ERR_EOF when |t| does not define |num|, or
 * IMSMS_ERR_INVALID_ARGUMENT.
 */
IMSMS_EXTERN int imsms_sdp_tcap_proto(const imsms_sdp_tcap *t, uint32_t num,
                                      imsms_sdp_vec *proto);

/**
 * @function
 *
 * Writes the a=tcap value "|num| proto1 proto2 ..." (single spaces) from
 * the |nprotos| NUL-terminated names at |protos|. |out| NULL with
 * |outcap| 0 measures.
 *
 * Returns the length, IMSMS_ERR_INVALID_ARGUMENT (NULL pointers, no
 * protocol, |num| out of range or the last number past 2^31 - 1, a name
 * that is not a proto) or IMSMS_ERR_NOBUF.
 */
IMSMS_EXTERN imsms_ssize imsms_sdp_tcap_format(char *out, size_t outcap,
                                               uint32_t num,
                                               const char *const *protos,
                                               size_t nprotos);

/**
 * @struct
 *
 * An a=acap value: att-cap-num 1*WSP att-par, att-par being an attribute
 * in its "name" or "name:value" form.
 */
typedef struct imsms_sdp_acap {
  uint32_t num;
  imsms_sdp_vec name;
  imsms_sdp_vec value;
  int has_value;
} imsms_sdp_acap;

/**
 * @function
 *
 * Parses an a=acap value. The embedded value is not interpreted here
 * (imsms_sdp_check() does for a=crypto and a=key-mgmt).
 *
 * Returns 0, or IMSMS_ERR_INVALID_ARGUMENT, IMSMS_ERR_SDP_SYNTAX (bad
 * number, no attribute, a name that is not a token) or
 * IMSMS_ERR_SDP_CONFLICT (the attribute is itself one of "acap", "tcap",
 * "pcfg", "acfg", "csup", "creq", RFC 5939 3.4.1); |out| zeroed on
 * failure.
 */
IMSMS_EXTERN int imsms_sdp_acap_parse(imsms_sdp_acap *out, const char *value,
                                      size_t len);

/**
 * @function
 *
 * Writes the a=acap value "|num| |name|[:|value|]" (|value| NULL for a
 * property attribute). |out| NULL with |outcap| 0 measures.
 *
 * Returns the length, IMSMS_ERR_INVALID_ARGUMENT (NULL |name|, a name
 * that is not a token or is a capability attribute, a value with CR, LF
 * or NUL, |num| out of range) or IMSMS_ERR_NOBUF.
 */
IMSMS_EXTERN imsms_ssize imsms_sdp_acap_format(char *out, size_t outcap,
                                               uint32_t num, const char *name,
                                               const char *value,
                                               size_t valuelen);

/** @macro Delete-attributes flags of imsms_sdp_cfg.del ("-m", "-s", "-ms"). */
#define IMSMS_SDP_CFG_DEL_MEDIA 0x1u
#define IMSMS_SDP_CFG_DEL_SESSION 0x2u

/**
 * @struct
 *
 * One alternative attribute capability list: |nmandatory| mandatory
 * numbers, then the optional ones (written in brackets).
 */
typedef struct imsms_sdp_cfg_alt {
  uint32_t caps[IMSMS_SDP_CFG_MAX_CAPS];
  size_t ncaps;
  size_t nmandatory;
} imsms_sdp_cfg_alt;

/**
 * @struct
 *
 * An a=pcfg or a=acfg value: config-number, then at most one attribute
 * configuration list ("a=" [delete ":"] alternatives joined by "|"), at
 * most one transport list ("t=" numbers joined by "|") and extension
 * lists (["+"] name "=" VCHARs, kept as views).
 */
typedef struct imsms_sdp_cfg {
  uint32_t num;
  int has_attr;     /**< an "a=" list is present */
  unsigned del;     /**< IMSMS_SDP_CFG_DEL_* */
  imsms_sdp_cfg_alt alts[IMSMS_SDP_CFG_MAX_ALTS];
  size_t nalts;     /**< 0 when the "a=" list only deletes */
  uint32_t tcaps[IMSMS_SDP_CFG_MAX_ALTS];
  size_t ntcaps;    /**< 0 when no "t=" list */
  imsms_sdp_vec ext[IMSMS_SDP_CFG_MAX_EXT];
  size_t next;
} imsms_sdp_cfg;

/**
 * @function
 *
 * Parses an a=pcfg value, or with |is_acfg| set an a=acfg value (RFC
 * 5939 3.5.1, 3.5.2): an acfg carries the selected configuration only,
 * so no "|" alternatives. Lists are separated by 1*WSP; one trailing
 * blank is tolerated.
 *
 * Returns 0, or IMSMS_ERR_INVALID_ARGUMENT, IMSMS_ERR_SDP_SYNTAX (bad
 * number or list, alternatives in an acfg, empty brackets, mandatory
 * numbers after optional ones), IMSMS_ERR_SDP_DUPLICATE (two "a=" or
 * two "t=" lists, one extension name twice) or IMSMS_ERR_TOO_LARGE (more
 * than the IMSMS_SDP_CFG_MAX_* limits); |out| zeroed on failure.
 */
IMSMS_EXTERN int imsms_sdp_cfg_parse(imsms_sdp_cfg *out, const char *value,
                                     size_t len, int is_acfg);

/**
 * @function
 *
 * Writes |cfg| as a pcfg (or, with |is_acfg|, acfg) value, canonically:
 * the number, then "t=" list, then "a=" list, then the extension lists,
 * separated by single spaces; optional numbers in one bracket at the end
 * of their alternative. What imsms_sdp_cfg_parse() reads in this form it
 * gives back byte for byte. |out| NULL with |outcap| 0 measures.
 *
 * Returns the length, IMSMS_ERR_INVALID_ARGUMENT (anything the parser
 * would refuse) or IMSMS_ERR_NOBUF.
 */
IMSMS_EXTERN imsms_ssize imsms_sdp_cfg_format(char *out, size_t outcap,
                                              const imsms_sdp_cfg *cfg,
                                              int is_acfg);

/* ------------------------------------------------------------------ */
/* Editor                                                              */

/** @enum What one edit does. */
typedef enum imsms_sdp_edit_kind {
  /** Replace the proto of the m-line of media section |level| with |text|. */
  IMSMS_SDP_EDIT_SET_PROTO = 1,
  /** Drop every a=|name| line at |level| (or IMSMS_SDP_LEVEL_ANY). */
  IMSMS_SDP_EDIT_DROP_ATTR = 2,
  /**
   * Add "a=|name|[:|text|]" at the end of |level| (the session section
   * ends before the first m-line); |text| NULL adds a property attribute.
   */
  IMSMS_SDP_EDIT_ADD_ATTR = 3,
  /**
   * Replace the port of the m-line of media section |level| with |text|
   * (decimal, 0 to 65535, no leading zero): 0 rejects the stream in an
   * answer. A "/nports" suffix is kept.
   */
  IMSMS_SDP_EDIT_SET_PORT = 4
} imsms_sdp_edit_kind;

/**
 * @struct
 *
 * One edit. |name| is NUL-terminated; |text| is |text_len| bytes.
 */
typedef struct imsms_sdp_edit {
  int kind;            /**< imsms_sdp_edit_kind */
  size_t level;
  const char *name;
  const char *text;
  size_t text_len;
} imsms_sdp_edit;

/**
 * @function
 *
 * Writes the SDP at |sdp| with |edits| applied into |out|. Every byte of
 * every line no edit touches is copied as it is, line endings included,
 * and so are the empty lines that end a body; a rewritten m-line keeps
 * everything around its proto; added lines go after the last line of
 * their section, in the order given. An added line ends with the line
 * ending of the last input line of its section; when that one has none
 * (a body without final line ending), with the body's first line ending
 * (CRLF for a one-line body), which is then also written after the line
 * that lacked it. Drops apply to lines of the input only, never to added
 * lines. |out| must not overlap |sdp|; |out| NULL with |outcap| 0
 * measures.
 *
 * Returns the length of the result, or one of the following negative
 * error codes (nothing is written on failure):
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     NULL pointers, an unknown kind, a level the body lacks (or 0 for
 *     SET_PROTO and SET_PORT), two SET_PROTO or two SET_PORT for one
 *     level, a name that is not a token, a proto that is not token
 *     *("/" token), a port that is not 0 to 65535 without leading zeroes,
 *     added text with CR, LF or NUL.
 * IMSMS_ERR_NOBUF
 *     The result does not fit in |outcap|.
 * IMSMS_ERR_TOO_LARGE
 *     The body, or the result, exceeds IMSMS_SDP_MAX_LEN.
 * IMSMS_ERR_SDP_SYNTAX, IMSMS_ERR_TRUNCATED
 *     A malformed line (imsms_sdp_iter_next()).
 */
IMSMS_EXTERN imsms_ssize imsms_sdp_edit_apply(char *out, size_t outcap,
                                              const char *sdp, size_t sdplen,
                                              const imsms_sdp_edit *edits,
                                              size_t nedits);

/* ------------------------------------------------------------------ */
/* End-to-access-edge (e2ae) helpers for the P-CSCF / IMS-ALG          */

/** @enum What one change of an e2ae helper was. */
typedef enum imsms_sdp_change_kind {
  IMSMS_SDP_CHANGE_PROTO = 1,          /**< m-line proto rewritten */
  IMSMS_SDP_CHANGE_CRYPTO_REMOVED = 2, /**< an a=crypto line dropped */
  IMSMS_SDP_CHANGE_CRYPTO_ADDED = 3,   /**< the access edge's a=crypto added */
  IMSMS_SDP_CHANGE_FINGERPRINT_REMOVED = 4,
  IMSMS_SDP_CHANGE_FINGERPRINT_ADDED = 5,
  IMSMS_SDP_CHANGE_3GE2AE_REMOVED = 6,
  IMSMS_SDP_CHANGE_3GE2AE_ADDED = 7,
  /** A media section left untouched because it is e2e (a=key-mgmt). */
  IMSMS_SDP_CHANGE_E2E_KEPT = 8
} imsms_sdp_change_kind;

/**
 * @struct
 *
 * One change. Views of removed text point into the input SDP; views of
 * added text into the output buffer.
 */
typedef struct imsms_sdp_change {
  size_t level;        /**< the media section */
  int kind;            /**< imsms_sdp_change_kind */
  /**
   * PROTO: the old proto; *_REMOVED: the attribute value (input);
   * *_ADDED: the attribute value (output); E2E_KEPT: the first
   * a=key-mgmt protocol id that applies (input).
   */
  imsms_sdp_vec text;
  int old_proto;       /**< PROTO: old imsms_sdp_proto */
  int new_proto;       /**< PROTO: new imsms_sdp_proto */
  uint32_t tag;        /**< CRYPTO_*: the a=crypto tag */
  int suite;           /**< CRYPTO_*: the imsms_srtp_suite */
} imsms_sdp_change;

/** @macro Flags of the e2ae helpers. */
/** Leave a media section that has both e2ae and a=key-mgmt as e2e. */
#define IMSMS_SDP_E2AE_PREFER_E2E 0x1u
/** imsms_sdp_e2ae_to_ue(): add a=3ge2ae:requested to each section. */
#define IMSMS_SDP_E2AE_ADD_REQUESTED 0x2u
/** imsms_sdp_e2ae_to_ue(): add a=3ge2ae:applied to each section. */
#define IMSMS_SDP_E2AE_ADD_APPLIED 0x4u

/**
 * @macro
 *
 * Bytes imsms_sdp_e2ae_to_ue() may add per media section at most: a
 * longer proto, an a=crypto line with a 9-digit tag and an AES-256 key,
 * an a=3ge2ae line, line endings, or an a=fingerprint line of up to 256
 * bytes.
 */
#define IMSMS_SDP_E2AE_GROWTH 320

/**
 * @function
 *
 * Toward the core: rewrites the UE's SDP (offer or answer) for the media
 * sections that use e2ae. With |levels| NULL these are the sections
 * carrying a=3ge2ae:requested; otherwise the |nlevels| sections listed
 * (those the access edge secured toward the UE earlier). In each one:
 *
 *  - RTP/SAVP becomes RTP/AVP and RTP/SAVPF RTP/AVPF; every a=crypto of
 *    the section is dropped and reported (CRYPTO_REMOVED, with tag and
 *    suite: the access edge takes the UE's key from the one it accepts);
 *    unless the port is 0, at least one a=crypto must be there;
 *  - TCP/TLS/MSRP becomes TCP/MSRP; the section's a=fingerprint lines
 *    are dropped and reported; unless the port is 0, a fingerprint must
 *    apply (media or session level);
 *  - a=3ge2ae is dropped and reported.
 * A selected section to which a=key-mgmt applies is e2e: with
 * IMSMS_SDP_E2AE_PREFER_E2E it is left untouched (E2E_KEPT), otherwise
 * the call fails. Sections not selected, a=key-mgmt and everything else
 * are copied byte for byte. The body is checked with imsms_sdp_check()
 * first.
 *
 * Up to |changecap| changes go to |changes| and |*nchanges| gets their
 * number. |out| must not overlap |sdp|; room for |sdplen| bytes always
 * suffices.
 *
 * Returns the length of the result, or one of the following negative
 * error codes (nothing is written on failure):
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     NULL pointers, an unknown flag, or a listed level the body lacks
 *     or lists twice.
 * IMSMS_ERR_TOO_LARGE
 *     More than IMSMS_SDP_MAX_MEDIA sections selected.
 * IMSMS_ERR_NOBUF
 *     |outcap| is too small, or more than |changecap| changes
 *     (|*nchanges| then holds how many).
 * IMSMS_ERR_SDP_PROFILE
 *     A selected section whose profile is not RTP/SAVP, RTP/SAVPF or
 *     TCP/TLS/MSRP.
 * IMSMS_ERR_SDP_CONFLICT
 *     A selected section without the a=crypto or fingerprint it needs,
 *     or with a=key-mgmt (without IMSMS_SDP_E2AE_PREFER_E2E).
 * Errors of imsms_sdp_check()
 *     The body is malformed or inconsistent.
 */
IMSMS_EXTERN imsms_ssize imsms_sdp_e2ae_to_core(char *out, size_t outcap,
                                                const char *sdp, size_t sdplen,
                                                const size_t *levels,
                                                size_t nlevels, unsigned flags,
                                                imsms_sdp_change *changes,
                                                size_t changecap,
                                                size_t *nchanges);

/**
 * @struct
 *
 * One media section the access edge secures toward the UE.
 */
typedef struct imsms_sdp_e2ae_media {
  size_t level;        /**< the media section */
  /** a=crypto tag (the UE's, when answering it), or 0 for 1. */
  uint32_t tag;
  /** imsms_srtp_suite (the UE's), or 0 for AES_CM_128_HMAC_SHA1_80. */
  int suite;
  /** MSRP: the a=fingerprint value of the access edge's certificate. */
  const char *fingerprint;
  size_t fingerprint_len;
} imsms_sdp_e2ae_media;

/**
 * @function
 *
 * Toward the UE: rewrites the core's SDP (the answer to a UE offer
 * rewritten by imsms_sdp_e2ae_to_core(), or an offer for a UE that
 * registered a mediasec mechanism) for the |nmedia| sections of |media|:
 *
 *  - RTP/AVP becomes RTP/SAVP and RTP/AVPF RTP/SAVPF, and unless the
 *    port is 0 an a=crypto with a fresh key (imsms_sdes_generate()) of
 *    the given tag and suite is added (CRYPTO_ADDED, the view into |out|
 *    holds the key: the access edge reads it with imsms_sdes_parse(),
 *    and the caller wipes |out| after sending it);
 *  - TCP/MSRP becomes TCP/TLS/MSRP and unless the port is 0 the given
 *    a=fingerprint is added;
 *  - with IMSMS_SDP_E2AE_ADD_REQUESTED or IMSMS_SDP_E2AE_ADD_APPLIED
 *    (not both), a=3ge2ae with that value is added.
 * Everything else is copied byte for byte. The body is checked with
 * imsms_sdp_check() first. Room for |sdplen| + |nmedia| *
 * IMSMS_SDP_E2AE_GROWTH bytes always suffices.
 *
 * Returns the length of the result, or one of the following negative
 * error codes (nothing is written on failure; the generated keys are
 * wiped):
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     NULL pointers, a level the body lacks or listed twice, both
 *     ADD flags, a tag over 999999999, an MSRP section without
 *     |fingerprint|, a fingerprint over 256 bytes or one that
 *     imsms_sdp_fingerprint_parse() refuses.
 * IMSMS_ERR_TOO_LARGE
 *     |nmedia| over IMSMS_SDP_MAX_MEDIA.
 * IMSMS_ERR_NOBUF
 *     |outcap| or |changecap| is too small (|*nchanges| then holds how
 *     many changes there are).
 * IMSMS_ERR_SDP_PROFILE
 *     A section whose profile is not RTP/AVP, RTP/AVPF or TCP/MSRP.
 * IMSMS_ERR_SDP_CONFLICT
 *     A section that already has a=crypto, a=fingerprint, a=3ge2ae, or
 *     to which a=key-mgmt applies, or would once secure (any session-level
 *     a=key-mgmt).
 * IMSMS_ERR_UNSUPPORTED_ALG, IMSMS_ERR_RNG
 *     From imsms_sdes_generate().
 * Errors of imsms_sdp_check()
 *     The body is malformed or inconsistent.
 */
IMSMS_EXTERN imsms_ssize imsms_sdp_e2ae_to_ue(imsms_ctx *ctx, char *out,
                                              size_t outcap, const char *sdp,
                                              size_t sdplen,
                                              const imsms_sdp_e2ae_media *media,
                                              size_t nmedia, unsigned flags,
                                              imsms_sdp_change *changes,
                                              size_t changecap,
                                              size_t *nchanges);

/* ------------------------------------------------------------------ */
/* SIP Security-Client / -Server / -Verify (RFC 3329, TS 24.229)      */

/** @enum Mechanism names this library recognises (case-insensitive). */
typedef enum imsms_sdp_sip_mech_id {
  IMSMS_SIP_MECH_OTHER = 0,
  IMSMS_SIP_MECH_DIGEST = 1,     /**< "digest" */
  IMSMS_SIP_MECH_TLS = 2,        /**< "tls" */
  IMSMS_SIP_MECH_IPSEC_IKE = 3,  /**< "ipsec-ike" */
  IMSMS_SIP_MECH_IPSEC_MAN = 4,  /**< "ipsec-man" */
  IMSMS_SIP_MECH_IPSEC_3GPP = 5, /**< "ipsec-3gpp" (TS 33.203) */
  IMSMS_SIP_MECH_SDES_SRTP = 6,  /**< "sdes-srtp" (media plane) */
  IMSMS_SIP_MECH_MSRP_TLS = 7,   /**< "msrp-tls" (media plane) */
  IMSMS_SIP_MECH_BFCP_TLS = 8,   /**< "bfcp-tls" (media plane) */
  IMSMS_SIP_MECH_UDPTL_DTLS = 9  /**< "udptl-dtls" (media plane) */
} imsms_sdp_sip_mech_id;

/**
 * @struct
 *
 * One sec-mechanism of a header value: mechanism-name *(SEMI
 * mech-parameters).
 */
typedef struct imsms_sdp_sip_mech {
  imsms_sdp_vec name;  /**< the mechanism-name as written */
  int id;              /**< imsms_sdp_sip_mech_id */
  int mediasec;        /**< the "mediasec" parameter is present */
  int has_q;           /**< a "q" parameter is present */
  uint32_t q;          /**< its value in thousandths, 0 to 1000 */
  /** The parameters as written: from the first ';' to the element's end. */
  imsms_sdp_vec params;
} imsms_sdp_sip_mech;

/**
 * @struct
 *
 * Walks the sec-mechanisms of one header value. Caller-allocated;
 * private fields.
 */
typedef struct imsms_sdp_sip_iter {
  const char *pos;
  const char *end;
  int state;
} imsms_sdp_sip_iter;

/**
 * @function
 *
 * Starts |it| on the header value |value| (the text after the header
 * name and HCOLON; leading and trailing whitespace and RFC 3261 line
 * folding are allowed).
 *
 * Returns 0 or IMSMS_ERR_INVALID_ARGUMENT, IMSMS_ERR_TOO_LARGE (over
 * IMSMS_SDP_MAX_LEN).
 */
IMSMS_EXTERN int imsms_sdp_sip_iter_init(imsms_sdp_sip_iter *it,
                                         const char *value, size_t len);

/**
 * @function
 *
 * Reads the next sec-mechanism. The grammar is RFC 3329 2.2 with RFC
 * 3261 SWS around ",", ";" and "=": token mechanism names; parameters
 * token [EQUAL (token / quoted-string / "[" IPv6 "]")]; "q" must be an
 * RFC 3261 qvalue and "mediasec" takes no value; neither may repeat.
 *
 * Returns 0, IMSMS_ERR_EOF after the last one, or IMSMS_ERR_INVALID_ARGUMENT,
 * IMSMS_ERR_SIP_SYNTAX (an empty value or element, a bad token, qvalue,
 * quoted string, or a value on "mediasec") or IMSMS_ERR_SDP_DUPLICATE (a
 * parameter repeated); the iterator stays on a failing element.
 */
IMSMS_EXTERN int imsms_sdp_sip_next(imsms_sdp_sip_iter *it,
                                    imsms_sdp_sip_mech *mech);

/**
 * @struct
 *
 * One mech-parameter: name and value (|has_value| 0 for a flag; a
 * quoted value keeps its quotes).
 */
typedef struct imsms_sdp_sip_param {
  imsms_sdp_vec name;
  imsms_sdp_vec value;
  int has_value;
} imsms_sdp_sip_param;

/**
 * @function
 *
 * Reads the next parameter of |mech| (checked by imsms_sdp_sip_next());
 * |*off| is the cursor, 0 at the start.
 *
 * Returns 0, IMSMS_ERR_EOF after the last one, or
 * IMSMS_ERR_INVALID_ARGUMENT.
 */
IMSMS_EXTERN int imsms_sdp_sip_param_next(const imsms_sdp_sip_mech *mech,
                                          size_t *off,
                                          imsms_sdp_sip_param *param);

/**
 * @struct
 *
 * A mechanism to write: a NUL-terminated token |name| ("sdes-srtp"),
 * the "mediasec" flag, and |q| in thousandths or -1 for none.
 */
typedef struct imsms_sdp_sip_mech_spec {
  const char *name;
  int mediasec;
  int q;
} imsms_sdp_sip_mech_spec;

/**
 * @function
 *
 * Writes a header value of |n| mechanisms, "name[;mediasec][;q=x]"
 * joined by ", ", with the shortest qvalue ("0.1", "1"). |out| NULL with
 * |outcap| 0 measures.
 *
 * Returns the length, IMSMS_ERR_INVALID_ARGUMENT (NULL, |n| 0, a name
 * that is not a token, |q| over 1000, two mechanisms with one q value,
 * RFC 3329 2.2) or IMSMS_ERR_NOBUF.
 */
IMSMS_EXTERN imsms_ssize imsms_sdp_sip_format(char *out, size_t outcap,
                                              const imsms_sdp_sip_mech_spec *mechs,
                                              size_t n);

/**
 * @function
 *
 * Checks a whole header value and returns in |*mask| the set of
 * recognised media-plane mechanisms that carry "mediasec", as bits
 * 1u << IMSMS_SIP_MECH_* (sdes-srtp, msrp-tls, bfcp-tls, udptl-dtls; a
 * mechanism with "mediasec" whose name is not recognised sets no bit).
 *
 * Returns 0 or the errors of imsms_sdp_sip_next(), and
 * IMSMS_ERR_SDP_DUPLICATE when two mechanisms share a q value (RFC 3329
 * 2.2); |*mask| is 0 on failure.
 */
IMSMS_EXTERN int imsms_sdp_sip_mediasec(const char *value, size_t len,
                                        unsigned *mask);

#ifdef __cplusplus
}
#endif

#endif /* IMSMEDIASEC_SDP_H */
