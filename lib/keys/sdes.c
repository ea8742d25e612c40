/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * SDES a=crypto attributes (RFC 4568 sections 4, 6 and 9): a strict
 * parser that never reads past the given length, a canonical formatter
 * whose output the parser gives back unchanged, key generation, and the
 * hand-over of one key to the SRTP KDF.
 *
 * The parser splits on the delimiters first and only then decodes: each
 * of the SDES traps other stacks fell into ("|2^31" decoded as key bits,
 * "UNENCRYPTED_SRTCP" read as part of the lifetime, over-long keys
 * hitting an assert in the decoder) came from decoding or converting
 * text before knowing where its field ended. Every choice the RFC leaves
 * open is documented in imsms_sdes_parse(3).
 */
#include <string.h>

#include <imsmediasec/keys.h>

/* Longest a=crypto value accepted; SDP lines this long are already odd. */
#define MAX_LINE 4096
/* RFC 4568 9.1: tag = 1*9DIGIT. */
#define MAX_TAG 999999999u
/* RFC 4568 6.2: no SRTP suite allows more than 2^48 packets per key. */
#define MAX_LIFETIME_LOG2 48
#define MAX_LIFETIME ((uint64_t)1 << MAX_LIFETIME_LOG2)
/* RFC 4568 9.2: "KDR=" 1*2(DIGIT), range 0..24. */
#define MAX_KDR_LOG2 24
/* RFC 4568 6.3.6 after RFC 3711 3.3.2: the replay window is at least 64. */
#define MIN_WSH 64
/* Decoded key || salt: at most 46 bytes, so 64 characters, 48 bytes. */
#define KEY_SALT_BUF 48

/* Session parameters, as bits of the "seen" set that refuses repeats. */
#define P_UNENC_SRTP IMSMS_SDES_UNENCRYPTED_SRTP
#define P_UNENC_SRTCP IMSMS_SDES_UNENCRYPTED_SRTCP
#define P_UNAUTH_SRTP IMSMS_SDES_UNAUTHENTICATED_SRTP
#define P_FLAGS (P_UNENC_SRTP | P_UNENC_SRTCP | P_UNAUTH_SRTP)
#define P_KDR 0x08u
#define P_FEC_ORDER 0x10u
#define P_FEC_KEY 0x20u
#define P_WSH 0x40u

/* The known session parameters; |valued| ones are written NAME=value. */
static const struct {
  const char *name;
  int valued;
  unsigned bit;
} session_params[] = {
    {"KDR", 1, P_KDR},
    {"UNENCRYPTED_SRTP", 0, P_UNENC_SRTP},
    {"UNENCRYPTED_SRTCP", 0, P_UNENC_SRTCP},
    {"UNAUTHENTICATED_SRTP", 0, P_UNAUTH_SRTP},
    {"FEC_ORDER", 1, P_FEC_ORDER},
    {"FEC_KEY", 1, P_FEC_KEY},
    {"WSH", 1, P_WSH},
};

#define NPARAMS (sizeof(session_params) / sizeof(session_params[0]))

/* A view of |len| bytes of the caller's text; never NUL-terminated. */
typedef struct span {
  const char *p;
  size_t len;
} span;

static int is_wsp(char c) {
  return c == ' ' || c == '\t';
}

/* RFC 5234 VCHAR: visible ASCII, %x21-7E. */
static int is_vchar(char c) {
  unsigned char u = (unsigned char)c;

  return u >= 0x21 && u <= 0x7e;
}

static int span_eq(span s, const char *lit) {
  size_t n = strlen(lit);

  return s.len == n && memcmp(s.p, lit, n) == 0;
}

/* Skips |lit| at the start of |*s| and returns 1, or returns 0. */
static int span_skip_prefix(span *s, const char *lit) {
  size_t n = strlen(lit);

  if (s->len < n || memcmp(s->p, lit, n) != 0) {
    return 0;
  }
  s->p += n;
  s->len -= n;
  return 1;
}

static int span_has(span s, char c) {
  return s.len != 0 && memchr(s.p, c, s.len) != NULL;
}

/*
 * Cuts |*s| at the first |sep|: |*head| gets the text before it and |*s|
 * the text after it. Returns 1, or 0 when there is no |sep| (then |*head|
 * is all of |*s| and |*s| is left empty).
 */
static int span_cut(span *s, char sep, span *head) {
  const char *q = s->len ? memchr(s->p, sep, s->len) : NULL;

  if (q == NULL) {
    *head = *s;
    s->p += s->len;
    s->len = 0;
    return 0;
  }
  head->p = s->p;
  head->len = (size_t)(q - s->p);
  s->len -= head->len + 1;
  s->p = q + 1;
  return 1;
}

/* Takes the next field (up to SP or HTAB) and skips the blanks after it. */
static void next_field(span *s, span *field) {
  size_t i = 0, j;

  while (i < s->len && !is_wsp(s->p[i])) {
    i++;
  }
  field->p = s->p;
  field->len = i;
  j = i;
  while (j < s->len && is_wsp(s->p[j])) {
    j++;
  }
  s->p += j;
  s->len -= j;
}

/*
 * A decimal number no greater than |max|. Every number RFC 4568 defines
 * forbids leading zeroes, so "0" is the only text starting with '0'.
 * Returns 0, or -1 (empty, not digits, leading zero, over |max|).
 */
static int parse_dec(span s, uint64_t max, uint64_t *v) {
  uint64_t x = 0, d;
  size_t i;
  int c;

  if (s.len == 0 || (s.p[0] == '0' && s.len > 1)) {
    return -1;
  }
  for (i = 0; i < s.len; i++) {
    c = (unsigned char)s.p[i];
    if (c < '0' || c > '9') {
      return -1;
    }
    d = (uint64_t)(c - '0');
    /* x * 10 + d <= max, written so that it cannot overflow. */
    if (d > max || x > (max - d) / 10) {
      return -1;
    }
    x = x * 10 + d;
  }
  *v = x;
  return 0;
}

/* The largest MKI value |len| bytes hold (the struct keeps 64 bits). */
static uint64_t mki_max(size_t len) {
  return len >= 8 ? UINT64_MAX : ((uint64_t)1 << (8 * len)) - 1;
}

/* ------------------------------------------------------------------ */
/* Parsing                                                            */

/*
 * Bytes other than SP, HTAB and VCHAR are refused: a CR, LF or NUL inside
 * the value means the caller split the SDP wrongly, and passing such a
 * line on would hide that. One trailing SP or HTAB is tolerated because
 * some SBCs leave one; more blanks at either edge are refused.
 */
static int trim_line(span *s) {
  size_t i;

  for (i = 0; i < s->len; i++) {
    if (!is_vchar(s->p[i]) && !is_wsp(s->p[i])) {
      return IMSMS_ERR_SDES_SYNTAX;
    }
  }
  if (s->len && is_wsp(s->p[s->len - 1])) {
    s->len--;
  }
  if (s->len == 0 || is_wsp(s->p[0]) || is_wsp(s->p[s->len - 1])) {
    return IMSMS_ERR_SDES_SYNTAX;
  }
  return 0;
}

static int parse_tag(span f, uint32_t *tag) {
  uint64_t v;

  /* RFC 4568 4.1: 1-9 digits, no leading zero; 0 is not a tag either. */
  if (parse_dec(f, MAX_TAG, &v) != 0 || v == 0) {
    return IMSMS_ERR_SDES_TAG;
  }
  *tag = (uint32_t)v;
  return 0;
}

/*
 * The length must be exactly that of the padded encoding of the suite's
 * key and salt, and is checked before anything is decoded: a decoder
 * given a longer field is how "|2^31" became key bits elsewhere.
 */
static int parse_key_salt(span f, const imsms_srtp_suite_info *si,
                          imsms_sdes_key *k) {
  uint8_t ks[KEY_SALT_BUF];
  size_t need = si->master_key_len + si->master_salt_len;
  imsms_ssize n;
  int rv = 0;

  if (f.len != imsms_base64_encode_len(need)) {
    return IMSMS_ERR_SDES_KEY_LENGTH;
  }
  n = imsms_base64_decode(ks, sizeof(ks), f.p, f.len);
  if (n < 0) {
    rv = IMSMS_ERR_BASE64;
  } else if ((size_t)n != need) {
    /* Right length, wrong padding: "xxx=" where "xx==" was due. */
    rv = IMSMS_ERR_SDES_KEY_LENGTH;
  } else {
    memcpy(k->key, ks, si->master_key_len);
    k->key_len = si->master_key_len;
    memcpy(k->salt, ks + si->master_key_len, si->master_salt_len);
    k->salt_len = si->master_salt_len;
  }
  imsms_secure_clear(ks, sizeof(ks));
  return rv;
}

/*
 * lifetime = ["2^"] 1*DIGIT, non-zero (RFC 4568 6.1). 2^0 is refused
 * because lifetime 0 means "absent" in imsms_sdes_key, so it could not
 * be told from no lifetime at all.
 */
static int parse_lifetime(span f, imsms_sdes_key *k) {
  uint64_t v;

  if (span_skip_prefix(&f, "2^")) {
    if (parse_dec(f, MAX_LIFETIME_LOG2, &v) != 0 || v == 0) {
      return IMSMS_ERR_SDES_LIFETIME;
    }
    k->lifetime_is_pow2 = 1;
  } else if (parse_dec(f, MAX_LIFETIME, &v) != 0 || v == 0) {
    return IMSMS_ERR_SDES_LIFETIME;
  }
  k->lifetime = v;
  return 0;
}

/* mki = mki-value ":" mki-length, the length 1..128 bytes (RFC 4568 6.1). */
static int parse_mki(span f, imsms_sdes_key *k) {
  uint64_t len, v;
  span val;

  if (!span_cut(&f, ':', &val) || parse_dec(f, IMSMS_MAX_MKI_LEN, &len) != 0 ||
      len == 0 || parse_dec(val, mki_max((size_t)len), &v) != 0) {
    return IMSMS_ERR_SDES_MKI;
  }
  k->mki = v;
  k->mki_len = (size_t)len;
  return 0;
}

/*
 * What follows the key-salt: "|" lifetime, "|" mki, or both in that
 * order. A lone field is an MKI when it has a colon (RFC 4568 6.1: "the
 * lifetime field never includes a colon"). The MKI is always last.
 */
static int parse_key_tail(span f, imsms_sdes_key *k) {
  span first;
  int rv;

  if (!span_cut(&f, '|', &first)) {
    return span_has(first, ':') ? parse_mki(first, k)
                                : parse_lifetime(first, k);
  }
  if (span_has(first, ':') || span_has(f, '|')) {
    return IMSMS_ERR_SDES_SYNTAX;
  }
  rv = parse_lifetime(first, k);
  return rv ? rv : parse_mki(f, k);
}

/* key-param = "inline:" key-salt ["|" lifetime] ["|" mki]. */
static int parse_key_param(span f, const imsms_srtp_suite_info *si,
                           imsms_sdes_key *k) {
  span ks;
  int rv;

  if (!span_skip_prefix(&f, "inline:")) {
    return IMSMS_ERR_SDES_SYNTAX;
  }
  if (!span_cut(&f, '|', &ks)) {
    return parse_key_salt(ks, si, k);
  }
  rv = parse_key_salt(ks, si, k);
  return rv ? rv : parse_key_tail(f, k);
}

/*
 * RFC 4568 6.1: with several keys every key has an MKI and all MKIs have
 * the same length; 4.3: the receiver must tell the keys apart by simple
 * inspection, so two keys may not share an MKI value. Checks key |i|
 * against the keys before it.
 */
static int check_mki_set(const imsms_sdes_key *keys, size_t i) {
  size_t j;

  if (i == 0) {
    return 0;
  }
  if (keys[i].mki_len == 0 || keys[i].mki_len != keys[0].mki_len) {
    return IMSMS_ERR_SDES_MKI;
  }
  for (j = 0; j < i; j++) {
    if (keys[j].mki == keys[i].mki) {
      return IMSMS_ERR_SDES_MKI;
    }
  }
  return 0;
}

/* key-params = key-param *(";" key-param), into |keys| (room for 8). */
static int parse_key_params(span f, const imsms_srtp_suite_info *si,
                            imsms_sdes_key *keys, size_t *nkeys) {
  size_t n = 0;
  int more = 1, rv;
  span kp;

  while (more) {
    if (n == IMSMS_SDES_MAX_KEYS) {
      return IMSMS_ERR_TOO_LARGE;
    }
    more = span_cut(&f, ';', &kp);
    memset(&keys[n], 0, sizeof(keys[n]));
    rv = parse_key_param(kp, si, &keys[n]);
    if (rv == 0) {
      rv = check_mki_set(keys, n);
    }
    if (rv != 0) {
      return rv;
    }
    n++;
  }
  *nkeys = n;
  return 0;
}

/*
 * FEC_KEY holds key-params in the same format and under the same rules
 * as the media keys (RFC 4568 6.3.5). They are decoded into a scratch
 * array only to be checked, and the caller gets the text.
 */
static int check_fec_key(span v, const imsms_srtp_suite_info *si) {
  imsms_sdes_key scratch[IMSMS_SDES_MAX_KEYS];
  size_t n;
  int rv;

  rv = parse_key_params(v, si, scratch, &n);
  imsms_secure_clear(scratch, sizeof(scratch));
  return rv;
}

/* The value of the valued parameter |bit|. */
static int parse_param_value(unsigned bit, span v,
                             const imsms_srtp_suite_info *si,
                             imsms_sdes_crypto *out) {
  uint64_t n;
  int rv;

  switch (bit) {
  case P_KDR:
    /* 0..24 as the ABNF says; 6.3.1's {1..24} would refuse KDR=0. */
    if (parse_dec(v, MAX_KDR_LOG2, &n) != 0) {
      return IMSMS_ERR_SDES_PARAM;
    }
    out->has_kdr = 1;
    out->kdr_log2 = (uint8_t)n;
    return 0;
  case P_WSH:
    if (parse_dec(v, UINT32_MAX, &n) != 0 || n < MIN_WSH) {
      return IMSMS_ERR_SDES_PARAM;
    }
    out->wsh = (uint32_t)n;
    return 0;
  case P_FEC_ORDER:
    if (span_eq(v, "FEC_SRTP")) {
      out->fec_order = 1;
    } else if (span_eq(v, "SRTP_FEC")) {
      out->fec_order = 2;
    } else {
      return IMSMS_ERR_SDES_PARAM;
    }
    return 0;
  default: /* P_FEC_KEY */
    rv = check_fec_key(v, si);
    if (rv == 0) {
      out->fec_key = v.p;
      out->fec_key_len = v.len;
    }
    return rv;
  }
}

/*
 * One session parameter. RFC 4568 6.3.7: an unknown parameter starting
 * with '-' is optional and ignored, any other unknown one makes the
 * whole attribute invalid. Each known one may appear once.
 */
static int parse_session_param(span f, const imsms_srtp_suite_info *si,
                               imsms_sdes_crypto *out, unsigned *seen) {
  span name;
  int valued;
  size_t i;

  if (f.p[0] == '-') {
    /* srtp-session-extension = ["-"] 1*VCHAR: a lone '-' is no name. */
    return f.len > 1 ? 0 : IMSMS_ERR_SDES_PARAM;
  }
  valued = span_cut(&f, '=', &name);
  for (i = 0; i < NPARAMS; i++) {
    if (session_params[i].valued == valued &&
        span_eq(name, session_params[i].name)) {
      break;
    }
  }
  if (i == NPARAMS || (*seen & session_params[i].bit)) {
    return IMSMS_ERR_SDES_PARAM;
  }
  *seen |= session_params[i].bit;
  if (!valued) {
    out->flags |= session_params[i].bit;
    return 0;
  }
  return parse_param_value(session_params[i].bit, f, si, out);
}

/* tag 1*WSP suite 1*WSP key-params *(1*WSP session-param) [WSP]. */
static int parse_line(imsms_sdes_crypto *out, const char *line,
                      size_t linelen) {
  const imsms_srtp_suite_info *si;
  unsigned seen = 0;
  span s, f;
  int rv;

  if (line == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (linelen > MAX_LINE) {
    return IMSMS_ERR_TOO_LARGE;
  }
  s.p = line;
  s.len = linelen;
  if ((rv = trim_line(&s)) != 0) {
    return rv;
  }
  next_field(&s, &f);
  if ((rv = parse_tag(f, &out->tag)) != 0) {
    return rv;
  }
  next_field(&s, &f);
  if (f.len == 0) {
    return IMSMS_ERR_SDES_SYNTAX;
  }
  rv = imsms_srtp_suite_by_name(f.p, f.len);
  si = imsms_srtp_suite_get(rv);
  if (rv < 0 || si == NULL) {
    return IMSMS_ERR_UNSUPPORTED_ALG;
  }
  out->suite = rv;
  next_field(&s, &f);
  if (f.len == 0) {
    return IMSMS_ERR_SDES_SYNTAX;
  }
  if ((rv = parse_key_params(f, si, out->keys, &out->nkeys)) != 0) {
    return rv;
  }
  while (s.len != 0) {
    next_field(&s, &f);
    if ((rv = parse_session_param(f, si, out, &seen)) != 0) {
      return rv;
    }
  }
  return 0;
}

/* see imsmediasec/keys.h */
int imsms_sdes_parse(imsms_sdes_crypto *out, const char *line, size_t linelen) {
  int rv;

  if (out == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memset(out, 0, sizeof(*out));
  rv = parse_line(out, line, linelen);
  if (rv != 0) {
    imsms_secure_clear(out, sizeof(*out));
  }
  return rv;
}

/* ------------------------------------------------------------------ */
/* Formatting                                                         */

/* One key as parse_key_param() would leave it, or the error it gives. */
static int check_key(const imsms_sdes_key *k, const imsms_srtp_suite_info *si) {
  if (k->key_len != si->master_key_len || k->salt_len != si->master_salt_len) {
    return IMSMS_ERR_SDES_KEY_LENGTH;
  }
  if (k->lifetime_is_pow2
          ? (k->lifetime == 0 || k->lifetime > MAX_LIFETIME_LOG2)
          : k->lifetime > MAX_LIFETIME) {
    return IMSMS_ERR_SDES_LIFETIME;
  }
  if (k->mki_len > IMSMS_MAX_MKI_LEN || (k->mki_len == 0 && k->mki != 0) ||
      (k->mki_len != 0 && k->mki > mki_max(k->mki_len))) {
    return IMSMS_ERR_SDES_MKI;
  }
  return 0;
}

/* FEC_KEY text must survive being cut into fields: VCHAR only. */
static int check_fec_text(const imsms_sdes_crypto *c,
                          const imsms_srtp_suite_info *si) {
  span v;
  size_t i;

  if (c->fec_key == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  v.p = c->fec_key;
  v.len = c->fec_key_len;
  for (i = 0; i < v.len; i++) {
    if (!is_vchar(v.p[i])) {
      return IMSMS_ERR_SDES_SYNTAX;
    }
  }
  return check_fec_key(v, si);
}

static int check_session(const imsms_sdes_crypto *c,
                         const imsms_srtp_suite_info *si) {
  if ((c->has_kdr && c->kdr_log2 > MAX_KDR_LOG2) || (c->flags & ~P_FLAGS) ||
      c->fec_order < 0 || c->fec_order > 2 ||
      (c->wsh != 0 && c->wsh < MIN_WSH)) {
    return IMSMS_ERR_SDES_PARAM;
  }
  return c->fec_key_len ? check_fec_text(c, si) : 0;
}

/* |c| as imsms_sdes_parse() would leave it, or the error it gives. */
static int check_crypto(const imsms_sdes_crypto *c,
                        const imsms_srtp_suite_info **psi) {
  const imsms_srtp_suite_info *si;
  size_t i;
  int rv;

  if (c->tag == 0 || c->tag > MAX_TAG) {
    return IMSMS_ERR_SDES_TAG;
  }
  if ((si = imsms_srtp_suite_get(c->suite)) == NULL) {
    return IMSMS_ERR_UNSUPPORTED_ALG;
  }
  if (c->nkeys == 0) {
    return IMSMS_ERR_SDES_SYNTAX;
  }
  if (c->nkeys > IMSMS_SDES_MAX_KEYS) {
    return IMSMS_ERR_TOO_LARGE;
  }
  for (i = 0; i < c->nkeys; i++) {
    if ((rv = check_key(&c->keys[i], si)) != 0 ||
        (rv = check_mki_set(c->keys, i)) != 0) {
      return rv;
    }
  }
  *psi = si;
  return check_session(c, si);
}

/*
 * A writer that counts every byte and stores them only when |buf| is set:
 * the formatter runs once to measure and once to write, so nothing is
 * written when the line does not fit.
 */
typedef struct writer {
  char *buf;
  size_t len;
} writer;

static void put(writer *w, const char *s, size_t n) {
  if (w->buf) {
    memcpy(w->buf + w->len, s, n);
  }
  w->len += n;
}

static void put_str(writer *w, const char *s) {
  put(w, s, strlen(s));
}

static void put_dec(writer *w, uint64_t v) {
  char tmp[20];
  size_t i = sizeof(tmp);

  do {
    tmp[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  put(w, tmp + i, sizeof(tmp) - i);
}

/* The key and salt meet only in a wiped stack buffer and the output. */
static void put_key_salt(writer *w, const imsms_sdes_key *k) {
  uint8_t ks[KEY_SALT_BUF];
  size_t n = k->key_len + k->salt_len, elen = imsms_base64_encode_len(n);

  if (w->buf) {
    memcpy(ks, k->key, k->key_len);
    memcpy(ks + k->key_len, k->salt, k->salt_len);
    (void)imsms_base64_encode(w->buf + w->len, elen, ks, n);
    imsms_secure_clear(ks, sizeof(ks));
  }
  w->len += elen;
}

static void put_key(writer *w, const imsms_sdes_key *k) {
  put_str(w, "inline:");
  put_key_salt(w, k);
  if (k->lifetime) {
    put_str(w, k->lifetime_is_pow2 ? "|2^" : "|");
    put_dec(w, k->lifetime);
  }
  if (k->mki_len) {
    put_str(w, "|");
    put_dec(w, k->mki);
    put_str(w, ":");
    put_dec(w, k->mki_len);
  }
}

/* Session parameters in the order of the RFC 4568 9.2 grammar. */
static void put_session(writer *w, const imsms_sdes_crypto *c) {
  if (c->has_kdr) {
    put_str(w, " KDR=");
    put_dec(w, c->kdr_log2);
  }
  if (c->flags & P_UNENC_SRTP) {
    put_str(w, " UNENCRYPTED_SRTP");
  }
  if (c->flags & P_UNENC_SRTCP) {
    put_str(w, " UNENCRYPTED_SRTCP");
  }
  if (c->flags & P_UNAUTH_SRTP) {
    put_str(w, " UNAUTHENTICATED_SRTP");
  }
  if (c->fec_order) {
    put_str(w,
            c->fec_order == 1 ? " FEC_ORDER=FEC_SRTP" : " FEC_ORDER=SRTP_FEC");
  }
  if (c->fec_key_len) {
    put_str(w, " FEC_KEY=");
    put(w, c->fec_key, c->fec_key_len);
  }
  if (c->wsh) {
    put_str(w, " WSH=");
    put_dec(w, c->wsh);
  }
}

static void put_crypto(writer *w, const imsms_sdes_crypto *c,
                       const imsms_srtp_suite_info *si) {
  size_t i;

  put_dec(w, c->tag);
  put_str(w, " ");
  put_str(w, si->name);
  put_str(w, " ");
  for (i = 0; i < c->nkeys; i++) {
    if (i) {
      put_str(w, ";");
    }
    put_key(w, &c->keys[i]);
  }
  put_session(w, c);
}

/* see imsmediasec/keys.h */
imsms_ssize imsms_sdes_format(char *out, size_t outcap,
                              const imsms_sdes_crypto *c) {
  const imsms_srtp_suite_info *si = NULL;
  writer w = {NULL, 0};
  int rv;

  if (c == NULL || (out == NULL && outcap)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if ((rv = check_crypto(c, &si)) != 0) {
    return rv;
  }
  put_crypto(&w, c, si);
  /* What the parser would refuse is not written either. */
  if (w.len > MAX_LINE) {
    return IMSMS_ERR_TOO_LARGE;
  }
  if (w.len > outcap) {
    return IMSMS_ERR_NOBUF;
  }
  w.buf = out;
  w.len = 0;
  put_crypto(&w, c, si);
  return (imsms_ssize)w.len;
}

/* ------------------------------------------------------------------ */
/* Generation and hand-over                                           */

/* see imsmediasec/keys.h */
int imsms_sdes_generate(imsms_ctx *ctx, imsms_sdes_crypto *c, uint32_t tag,
                        int suite) {
  const imsms_srtp_suite_info *si;
  imsms_sdes_key *k;
  int rv;

  if (c == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memset(c, 0, sizeof(*c));
  if (ctx == NULL || tag == 0 || tag > MAX_TAG) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if ((si = imsms_srtp_suite_get(suite)) == NULL) {
    return IMSMS_ERR_UNSUPPORTED_ALG;
  }
  c->tag = tag;
  c->suite = suite;
  c->nkeys = 1;
  k = &c->keys[0];
  k->key_len = si->master_key_len;
  k->salt_len = si->master_salt_len;
  rv = imsms_random(ctx, k->key, k->key_len);
  if (rv == 0) {
    rv = imsms_random(ctx, k->salt, k->salt_len);
  }
  if (rv != 0) {
    imsms_secure_clear(c, sizeof(*c));
  }
  return rv;
}

/* see imsmediasec/keys.h */
int imsms_sdes_master(const imsms_sdes_crypto *c, size_t index,
                      imsms_cs_master *out) {
  const imsms_sdes_key *k;
  size_t i;

  if (out == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memset(out, 0, sizeof(*out));
  if (c == NULL || index >= c->nkeys || index >= IMSMS_SDES_MAX_KEYS) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  k = &c->keys[index];
  /* A caller-filled struct may hold anything: nothing is truncated. */
  if (k->key_len > sizeof(out->key) || k->salt_len > sizeof(out->salt) ||
      k->mki_len > IMSMS_MAX_MKI_LEN || (k->mki_len == 0 && k->mki != 0) ||
      (k->mki_len != 0 && k->mki > mki_max(k->mki_len))) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memcpy(out->key, k->key, k->key_len);
  out->key_len = k->key_len;
  memcpy(out->salt, k->salt, k->salt_len);
  out->salt_len = k->salt_len;
  /* RFC 3711 3.1: the MKI goes on the wire big-endian in |mki_len| bytes. */
  for (i = 0; i < k->mki_len && i < 8; i++) {
    out->mki[k->mki_len - 1 - i] = (uint8_t)(k->mki >> (8 * i));
  }
  out->mki_len = k->mki_len;
  return 0;
}
