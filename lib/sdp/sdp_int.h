/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Internals shared by the SDP/SIP layer: character classes, bounded
 * number parsing, a measure-then-write text writer, and the editor entry
 * point that also reports where added values landed.
 */
#ifndef IMSMS_SDP_INT_H
#define IMSMS_SDP_INT_H

#include <string.h>

#include <imsmediasec/sdp.h>

/* RFC 4566 token-char: %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 /
 * %x41-5A / %x5E-7E. */
int imsms_sdp_is_token_char(char c);
/* A non-empty run of RFC 4566 token-chars. */
int imsms_sdp_is_token(const char *p, size_t len);
/* token *("/" token): an m-line proto (RFC 4566 5.14). */
int imsms_sdp_is_proto(const char *p, size_t len);
/* RFC 3261 token: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" /
 * "`" / "'" / "~". */
int imsms_sdp_is_sip_token_char(char c);
int imsms_sdp_is_sip_token(const char *p, size_t len);
/* SP or HTAB. */
int imsms_sdp_is_wsp(char c);
/* Text an SDP line may carry: no NUL, CR or LF. */
int imsms_sdp_is_line_text(const char *p, size_t len);

/* |v| equals the NUL-terminated |lit| exactly / ignoring ASCII case. */
int imsms_sdp_vec_eq(imsms_sdp_vec v, const char *lit);
int imsms_sdp_vec_eq_nocase(imsms_sdp_vec v, const char *lit);
static inline imsms_sdp_vec imsms_sdp_vec_make(const char *p, size_t len) {
  imsms_sdp_vec v;

  v.base = len ? p : NULL;
  v.len = len;
  return v;
}

/*
 * 1*DIGIT with leading zeroes allowed, value 0 to |max|, at most 10
 * digits before the first non-zero one is irrelevant (overflow-safe).
 * Returns 0 or -1.
 */
int imsms_sdp_parse_u32(const char *p, size_t len, uint32_t max, uint32_t *v);

/* Drops one trailing SP or HTAB (tolerated on owned attributes). */
void imsms_sdp_trim1(const char **p, size_t *len);

/* Strict base64 syntax check without an output buffer: 0 or
 * IMSMS_ERR_BASE64 (also for empty text). */
int imsms_sdp_b64_check(const char *p, size_t len);

/*
 * A writer: counts everything, stores only into [buf, buf + cap) when
 * |buf| is not NULL. Callers measure with |buf| NULL first, then write
 * into a buffer known to be large enough.
 */
typedef struct imsms_sdp_w {
  char *buf;
  size_t cap;
  size_t len;
} imsms_sdp_w;

void imsms_sdp_w_put(imsms_sdp_w *w, const char *s, size_t n);
void imsms_sdp_w_str(imsms_sdp_w *w, const char *s);
void imsms_sdp_w_u32(imsms_sdp_w *w, uint32_t v);

/*
 * Runs |fn| once to measure and, when it fits, once to write: the
 * formatter pattern of this layer. |fn| returns 0 or an error; |arg| is
 * passed through. Returns the length, or the error, IMSMS_ERR_NOBUF, or
 * IMSMS_ERR_INVALID_ARGUMENT for |out| NULL with a nonzero |outcap|.
 */
imsms_ssize imsms_sdp_w_run(char *out, size_t outcap,
                            int (*fn)(imsms_sdp_w *w, const void *arg),
                            const void *arg);

/*
 * imsms_sdes_parse() of a view: an empty value (a view with a NULL base)
 * is a syntax error of the attribute, not a caller's invalid argument.
 */
int imsms_sdp_sdes_parse(imsms_sdes_crypto *out, imsms_sdp_vec v);

/* Names of the attributes this layer owns. */
#define IMSMS_SDP_A_KEY_MGMT "key-mgmt"
#define IMSMS_SDP_A_CRYPTO "crypto"
#define IMSMS_SDP_A_3GE2AE "3ge2ae"
#define IMSMS_SDP_A_SETUP "setup"
#define IMSMS_SDP_A_FINGERPRINT "fingerprint"
#define IMSMS_SDP_A_TCAP "tcap"
#define IMSMS_SDP_A_ACAP "acap"
#define IMSMS_SDP_A_PCFG "pcfg"
#define IMSMS_SDP_A_ACFG "acfg"

/* Nonzero for the capability negotiation attributes an acap may not
 * embed (RFC 5939 3.4.1). */
int imsms_sdp_is_capneg_name(const char *p, size_t len);

/*
 * Number of media sections of a valid body, or an iterator error (the
 * whole body is read).
 */
imsms_ssize imsms_sdp_count_media(const char *sdp, size_t sdplen);

/*
 * A block of whole lines an internal edit adds at the end of its level:
 * |fn| writes each line with the line ending |eol|. It cannot fail, so
 * everything it writes is checked before the editor runs.
 */
typedef struct imsms_sdp_block {
  void (*fn)(imsms_sdp_w *w, const void *arg, imsms_sdp_vec eol);
  const void *arg;
} imsms_sdp_block;

/* Internal edit kind: add |blocks[i]| at |level| (|name|, |text| unused). */
#define IMSMS_SDP_EDIT_INT_BLOCK 0x100

/*
 * imsms_sdp_edit_apply() that also stores, for every ADD_ATTR edit i,
 * the offset in |out| of its value (after "name:") in |value_off[i]|
 * (when writing; |value_off| may be NULL), and runs the blocks of
 * IMSMS_SDP_EDIT_INT_BLOCK edits (|blocks| indexed like |edits|; NULL
 * when there are none).
 */
imsms_ssize imsms_sdp_edit_apply_int(char *out, size_t outcap, const char *sdp,
                                     size_t sdplen, const imsms_sdp_edit *edits,
                                     size_t nedits, size_t *value_off,
                                     const imsms_sdp_block *blocks);

#endif /* IMSMS_SDP_INT_H */
