/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Shared helpers of the SDP/SIP layer: character classes of RFC 4566
 * and RFC 3261, bounded decimal parsing, a base64 syntax check that
 * needs no output buffer, the measure-then-write writer, and the m-line
 * profile table.
 */
#include "sdp/sdp_int.h"

int imsms_sdp_is_token_char(char c) {
  unsigned char u = (unsigned char)c;

  return u == 0x21 || (u >= 0x23 && u <= 0x27) || u == 0x2a || u == 0x2b ||
         u == 0x2d || u == 0x2e || (u >= 0x30 && u <= 0x39) ||
         (u >= 0x41 && u <= 0x5a) || (u >= 0x5e && u <= 0x7e);
}

int imsms_sdp_is_token(const char *p, size_t len) {
  size_t i;

  if (len == 0) {
    return 0;
  }
  for (i = 0; i < len; i++) {
    if (!imsms_sdp_is_token_char(p[i])) {
      return 0;
    }
  }
  return 1;
}

int imsms_sdp_is_proto(const char *p, size_t len) {
  size_t i, start = 0;

  if (len == 0) {
    return 0;
  }
  for (i = 0; i <= len; i++) {
    if (i == len || p[i] == '/') {
      if (!imsms_sdp_is_token(p + start, i - start)) {
        return 0;
      }
      start = i + 1;
    }
  }
  return 1;
}

int imsms_sdp_is_sip_token_char(char c) {
  unsigned char u = (unsigned char)c;

  if ((u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') ||
      (u >= 'A' && u <= 'Z')) {
    return 1;
  }
  return u != 0 && strchr("-.!%*_+`'~", u) != NULL;
}

int imsms_sdp_is_sip_token(const char *p, size_t len) {
  size_t i;

  if (len == 0) {
    return 0;
  }
  for (i = 0; i < len; i++) {
    if (!imsms_sdp_is_sip_token_char(p[i])) {
      return 0;
    }
  }
  return 1;
}

int imsms_sdp_is_wsp(char c) {
  return c == ' ' || c == '\t';
}

int imsms_sdp_is_line_text(const char *p, size_t len) {
  size_t i;

  for (i = 0; i < len; i++) {
    if (p[i] == '\0' || p[i] == '\r' || p[i] == '\n') {
      return 0;
    }
  }
  return 1;
}

int imsms_sdp_vec_eq(imsms_sdp_vec v, const char *lit) {
  size_t n = strlen(lit);

  return v.len == n && (n == 0 || memcmp(v.base, lit, n) == 0);
}

static char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

int imsms_sdp_vec_eq_nocase(imsms_sdp_vec v, const char *lit) {
  size_t n = strlen(lit), i;

  if (v.len != n) {
    return 0;
  }
  for (i = 0; i < n; i++) {
    if (lower(v.base[i]) != lower(lit[i])) {
      return 0;
    }
  }
  return 1;
}

int imsms_sdp_parse_u32(const char *p, size_t len, uint32_t max, uint32_t *v) {
  uint32_t x = 0, d;
  size_t i;

  if (len == 0) {
    return -1;
  }
  for (i = 0; i < len; i++) {
    if (p[i] < '0' || p[i] > '9') {
      return -1;
    }
    d = (uint32_t)(p[i] - '0');
    if (d > max || x > (max - d) / 10) {
      return -1;
    }
    x = x * 10 + d;
  }
  *v = x;
  return 0;
}

void imsms_sdp_trim1(const char **p, size_t *len) {
  if (*len && imsms_sdp_is_wsp((*p)[*len - 1])) {
    (*len)--;
  }
}

/*
 * imsms_base64_decode() is strict but needs room for the result: decode
 * in blocks into a scratch buffer. Only the last block may hold '='.
 */
int imsms_sdp_b64_check(const char *p, size_t len) {
  uint8_t scratch[768];
  size_t off = 0, n;
  int rv = 0;

  if (len == 0 || len % 4 != 0) {
    return IMSMS_ERR_BASE64;
  }
  while (off < len) {
    n = len - off > 1024 ? 1024 : len - off;
    if ((off + n < len && memchr(p + off, '=', n) != NULL) ||
        imsms_base64_decode(scratch, sizeof(scratch), p + off, n) < 0) {
      rv = IMSMS_ERR_BASE64;
      break;
    }
    off += n;
  }
  imsms_secure_clear(scratch, sizeof(scratch));
  return rv;
}

void imsms_sdp_w_put(imsms_sdp_w *w, const char *s, size_t n) {
  if (w->buf != NULL && n != 0 && w->len <= w->cap &&
      w->cap - w->len >= n) {
    memcpy(w->buf + w->len, s, n);
  }
  w->len += n;
}

void imsms_sdp_w_str(imsms_sdp_w *w, const char *s) {
  imsms_sdp_w_put(w, s, strlen(s));
}

void imsms_sdp_w_u32(imsms_sdp_w *w, uint32_t v) {
  char tmp[10];
  size_t n = 0;

  do {
    tmp[sizeof(tmp) - 1 - n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  imsms_sdp_w_put(w, tmp + sizeof(tmp) - n, n);
}

imsms_ssize imsms_sdp_w_run(char *out, size_t outcap,
                            int (*fn)(imsms_sdp_w *w, const void *arg),
                            const void *arg) {
  imsms_sdp_w w = {NULL, 0, 0};
  size_t need;
  int rv;

  if (out == NULL && outcap != 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if ((rv = fn(&w, arg)) != 0) {
    return rv;
  }
  need = w.len;
  if (need > IMSMS_SDP_MAX_LEN) {
    return IMSMS_ERR_TOO_LARGE;
  }
  if (out == NULL) {
    return (imsms_ssize)need;
  }
  if (outcap < need) {
    return IMSMS_ERR_NOBUF;
  }
  w.buf = out;
  w.cap = outcap;
  w.len = 0;
  rv = fn(&w, arg);
  if (rv != 0 || w.len != need) {
    /* fn is deterministic; this cannot happen. */
    imsms_secure_clear(out, need);
    return rv != 0 ? rv : IMSMS_ERR_INVALID_ARGUMENT;
  }
  return (imsms_ssize)need;
}

int imsms_sdp_is_capneg_name(const char *p, size_t len) {
  static const char *const names[] = {"acap", "tcap", "pcfg",
                                      "acfg", "csup", "creq"};
  imsms_sdp_vec v = imsms_sdp_vec_make(p, len);
  size_t i;

  for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    if (imsms_sdp_vec_eq(v, names[i])) {
      return 1;
    }
  }
  return 0;
}

/* ------------------------------------------------------------------ */
/* Profiles                                                            */

static const char *const proto_names[] = {
    NULL,       "RTP/AVP",          "RTP/AVPF", "RTP/SAVP",
    "RTP/SAVPF", "UDP/TLS/RTP/SAVP", "TCP/MSRP", "TCP/TLS/MSRP",
};

#define NPROTOS (sizeof(proto_names) / sizeof(proto_names[0]))

/* see imsmediasec/sdp.h */
int imsms_sdp_proto_from_str(const char *s, size_t len) {
  imsms_sdp_vec v;
  size_t i;

  if (s == NULL) {
    return IMSMS_SDP_PROTO_OTHER;
  }
  v = imsms_sdp_vec_make(s, len);
  for (i = 1; i < NPROTOS; i++) {
    if (imsms_sdp_vec_eq(v, proto_names[i])) {
      return (int)i;
    }
  }
  return IMSMS_SDP_PROTO_OTHER;
}

/* see imsmediasec/sdp.h */
const char *imsms_sdp_proto_str(int proto) {
  if (proto <= 0 || (size_t)proto >= NPROTOS) {
    return NULL;
  }
  return proto_names[proto];
}

/* see imsmediasec/sdp.h */
int imsms_sdp_proto_to_plain(int proto) {
  switch (proto) {
  case IMSMS_SDP_PROTO_RTP_SAVP:
    return IMSMS_SDP_PROTO_RTP_AVP;
  case IMSMS_SDP_PROTO_RTP_SAVPF:
    return IMSMS_SDP_PROTO_RTP_AVPF;
  case IMSMS_SDP_PROTO_TCP_TLS_MSRP:
    return IMSMS_SDP_PROTO_TCP_MSRP;
  default:
    return IMSMS_ERR_SDP_PROFILE;
  }
}

/* see imsmediasec/sdp.h */
int imsms_sdp_proto_to_secure(int proto) {
  switch (proto) {
  case IMSMS_SDP_PROTO_RTP_AVP:
    return IMSMS_SDP_PROTO_RTP_SAVP;
  case IMSMS_SDP_PROTO_RTP_AVPF:
    return IMSMS_SDP_PROTO_RTP_SAVPF;
  case IMSMS_SDP_PROTO_TCP_MSRP:
    return IMSMS_SDP_PROTO_TCP_TLS_MSRP;
  default:
    return IMSMS_ERR_SDP_PROFILE;
  }
}

/* see sdp/sdp_int.h */
int imsms_sdp_sdes_parse(imsms_sdes_crypto *out, imsms_sdp_vec v) {
  return imsms_sdes_parse(out, v.len ? v.base : "", v.len);
}
