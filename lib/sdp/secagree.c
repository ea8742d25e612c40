/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * SIP Security-Client, Security-Server and Security-Verify values (RFC
 * 3329 2.2) with the media-plane "mediasec" parameter and mechanism
 * names of TS 24.229 7.2A.7: a strict element iterator over the
 * comma-separated list (RFC 3261 SWS, line folding), a parameter
 * iterator, a formatter, and the mediasec summary a P-CSCF needs.
 */
#include "sdp/sdp_int.h"

static const char *const mech_names[] = {
    NULL,         "digest",    "tls",      "ipsec-ike", "ipsec-man",
    "ipsec-3gpp", "sdes-srtp", "msrp-tls", "bfcp-tls",  "udptl-dtls",
};

#define NMECHS (sizeof(mech_names) / sizeof(mech_names[0]))

/* Skips SWS = [*WSP CRLF] 1*WSP, or nothing. */
static const char *skip_sws(const char *p, const char *end) {
  const char *q = p;

  while (q != end && imsms_sdp_is_wsp(*q)) {
    q++;
  }
  if (end - q >= 3 && q[0] == '\r' && q[1] == '\n' &&
      imsms_sdp_is_wsp(q[2])) {
    q += 2;
    while (q != end && imsms_sdp_is_wsp(*q)) {
      q++;
    }
  }
  return q;
}

static const char *skip_token(const char *p, const char *end) {
  while (p != end && imsms_sdp_is_sip_token_char(*p)) {
    p++;
  }
  return p;
}

/* quoted-string from the opening DQUOTE; returns the end or NULL. */
static const char *skip_quoted(const char *p, const char *end) {
  unsigned char u;

  p++;
  while (p != end) {
    u = (unsigned char)*p;
    if (u == '"') {
      return p + 1;
    }
    if (u == '\\') {
      if (end - p < 2 || (unsigned char)p[1] > 0x7f || p[1] == '\r' ||
          p[1] == '\n') {
        return NULL;
      }
      p += 2;
    } else if (u == '\r') {
      /* Only as LWS folding. */
      if (end - p < 3 || p[1] != '\n' || !imsms_sdp_is_wsp(p[2])) {
        return NULL;
      }
      p += 3;
    } else if ((u < 0x20 && u != '\t') || u == 0x7f) {
      return NULL;
    } else {
      p++;
    }
  }
  return NULL;
}

/* "[" IPv6 "]" (hex digits, ':' and '.', RFC 3261 IPv6reference). */
static const char *skip_ipv6(const char *p, const char *end) {
  p++;
  while (p != end && ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
                      (*p >= 'A' && *p <= 'F') || *p == ':' || *p == '.')) {
    p++;
  }
  return (p != end && *p == ']') ? p + 1 : NULL;
}

/* qvalue = ("0" ["." 0*3DIGIT]) / ("1" ["." 0*3("0")]), in thousandths. */
static int parse_qvalue(imsms_sdp_vec v, uint32_t *q) {
  uint32_t x, scale = 100;
  size_t i;

  if (v.len == 0 || (v.base[0] != '0' && v.base[0] != '1') || v.len > 5 ||
      (v.len > 1 && v.base[1] != '.')) {
    return -1;
  }
  x = v.base[0] == '1' ? 1000 : 0;
  for (i = 2; i < v.len; i++) {
    if (v.base[i] < '0' || v.base[i] > '9' ||
        (v.base[0] == '1' && v.base[i] != '0')) {
      return -1;
    }
    x += (uint32_t)(v.base[i] - '0') * scale;
    scale /= 10;
  }
  *q = x;
  return 0;
}

/*
 * One parameter from |p| (just after ';' and SWS): name, and the value
 * after EQUAL when present. Returns the end, or NULL.
 */
static const char *parse_param(const char *p, const char *end,
                               imsms_sdp_sip_param *prm) {
  const char *q = skip_token(p, end), *v, *ve;

  memset(prm, 0, sizeof(*prm));
  if (q == p) {
    return NULL;
  }
  prm->name = imsms_sdp_vec_make(p, (size_t)(q - p));
  v = skip_sws(q, end);
  if (v == end || *v != '=') {
    return q;
  }
  v = skip_sws(v + 1, end);
  if (v == end) {
    return NULL;
  }
  if (*v == '"') {
    ve = skip_quoted(v, end);
  } else if (*v == '[') {
    ve = skip_ipv6(v, end);
  } else {
    ve = skip_token(v, end);
    if (ve == v) {
      ve = NULL;
    }
  }
  if (ve == NULL) {
    return NULL;
  }
  prm->has_value = 1;
  prm->value = imsms_sdp_vec_make(v, (size_t)(ve - v));
  return ve;
}

/* see imsmediasec/sdp.h */
int imsms_sdp_sip_iter_init(imsms_sdp_sip_iter *it, const char *value,
                            size_t len) {
  if (it == NULL || (value == NULL && len != 0)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memset(it, 0, sizeof(*it));
  if (len > IMSMS_SDP_MAX_LEN) {
    return IMSMS_ERR_TOO_LARGE;
  }
  it->pos = value;
  it->end = value ? value + len : value;
  return 0;
}

/* Parses one sec-mechanism at |p|; returns its end (before SWS) or an
 * error through |*rv|. */
static const char *parse_mech(const char *p, const char *end,
                              imsms_sdp_sip_mech *m, int *rv) {
  imsms_sdp_sip_param prm;
  const char *q = skip_token(p, end), *r, *params = NULL;
  size_t i;

  memset(m, 0, sizeof(*m));
  *rv = IMSMS_ERR_SIP_SYNTAX;
  if (q == p) {
    return NULL;
  }
  m->name = imsms_sdp_vec_make(p, (size_t)(q - p));
  for (i = 1; i < NMECHS; i++) {
    if (imsms_sdp_vec_eq_nocase(m->name, mech_names[i])) {
      m->id = (int)i;
    }
  }
  for (;;) {
    r = skip_sws(q, end);
    if (r == end || *r != ';') {
      break;
    }
    if (params == NULL) {
      params = r;
    }
    r = skip_sws(r + 1, end);
    if ((r = parse_param(r, end, &prm)) == NULL) {
      return NULL;
    }
    if (imsms_sdp_vec_eq_nocase(prm.name, "mediasec")) {
      if (prm.has_value) {
        return NULL;
      }
      if (m->mediasec) {
        *rv = IMSMS_ERR_SDP_DUPLICATE;
        return NULL;
      }
      m->mediasec = 1;
    } else if (imsms_sdp_vec_eq_nocase(prm.name, "q")) {
      if (!prm.has_value || parse_qvalue(prm.value, &m->q) != 0) {
        return NULL;
      }
      if (m->has_q) {
        *rv = IMSMS_ERR_SDP_DUPLICATE;
        return NULL;
      }
      m->has_q = 1;
    }
    q = r;
  }
  if (params != NULL) {
    m->params = imsms_sdp_vec_make(params, (size_t)(q - params));
  }
  *rv = 0;
  return q;
}

/* see imsmediasec/sdp.h */
int imsms_sdp_sip_next(imsms_sdp_sip_iter *it, imsms_sdp_sip_mech *mech) {
  const char *p, *q;
  int rv;

  if (it == NULL || mech == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memset(mech, 0, sizeof(*mech));
  if (it->state == 2) {
    return IMSMS_ERR_EOF;
  }
  p = skip_sws(it->pos, it->end);
  if (it->state == 1) {
    if (p == it->end) {
      it->pos = p;
      it->state = 2;
      return IMSMS_ERR_EOF;
    }
    if (*p != ',') {
      return IMSMS_ERR_SIP_SYNTAX;
    }
    p = skip_sws(p + 1, it->end);
  }
  if (p == it->end) {
    return IMSMS_ERR_SIP_SYNTAX; /* empty value or trailing comma */
  }
  q = parse_mech(p, it->end, mech, &rv);
  if (q == NULL) {
    memset(mech, 0, sizeof(*mech));
    return rv;
  }
  /* The element must end here: a comma or the end follows. */
  p = skip_sws(q, it->end);
  if (p != it->end && *p != ',') {
    memset(mech, 0, sizeof(*mech));
    return IMSMS_ERR_SIP_SYNTAX;
  }
  it->pos = q;
  it->state = 1;
  return 0;
}

/* see imsmediasec/sdp.h */
int imsms_sdp_sip_param_next(const imsms_sdp_sip_mech *mech, size_t *off,
                             imsms_sdp_sip_param *param) {
  const char *p, *end, *q;

  if (mech == NULL || off == NULL || param == NULL ||
      *off > mech->params.len) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memset(param, 0, sizeof(*param));
  if (*off == mech->params.len) {
    return IMSMS_ERR_EOF;
  }
  p = mech->params.base + *off;
  end = mech->params.base + mech->params.len;
  p = skip_sws(p, end);
  if (p == end || *p != ';') {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  p = skip_sws(p + 1, end);
  if ((q = parse_param(p, end, param)) == NULL) {
    memset(param, 0, sizeof(*param));
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  *off = (size_t)(q - mech->params.base);
  return 0;
}

typedef struct sip_fmt {
  const imsms_sdp_sip_mech_spec *m;
  size_t n;
} sip_fmt;

static void put_qvalue(imsms_sdp_w *w, int q) {
  char tmp[5] = {'0', '.', '0', '0', '0'};
  size_t n = 5;

  if (q == 1000 || q == 0) {
    imsms_sdp_w_put(w, q ? "1" : "0", 1);
    return;
  }
  tmp[2] = (char)('0' + q / 100);
  tmp[3] = (char)('0' + q / 10 % 10);
  tmp[4] = (char)('0' + q % 10);
  while (tmp[n - 1] == '0') {
    n--;
  }
  imsms_sdp_w_put(w, tmp, n);
}

static int put_sip(imsms_sdp_w *w, const void *arg) {
  const sip_fmt *f = arg;
  size_t i;

  for (i = 0; i < f->n; i++) {
    if (i) {
      imsms_sdp_w_put(w, ", ", 2);
    }
    imsms_sdp_w_str(w, f->m[i].name);
    if (f->m[i].mediasec) {
      imsms_sdp_w_put(w, ";mediasec", 9);
    }
    if (f->m[i].q >= 0) {
      imsms_sdp_w_put(w, ";q=", 3);
      put_qvalue(w, f->m[i].q);
    }
  }
  return 0;
}

/* see imsmediasec/sdp.h */
imsms_ssize imsms_sdp_sip_format(char *out, size_t outcap,
                                 const imsms_sdp_sip_mech_spec *mechs,
                                 size_t n) {
  sip_fmt f;
  size_t i, j;

  if (mechs == NULL || n == 0 || n > IMSMS_SDP_MAX_LEN) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  for (i = 0; i < n; i++) {
    if (mechs[i].name == NULL ||
        !imsms_sdp_is_sip_token(mechs[i].name, strlen(mechs[i].name)) ||
        mechs[i].q < -1 || mechs[i].q > 1000) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
    for (j = 0; j < i && mechs[i].q >= 0; j++) {
      if (mechs[j].q == mechs[i].q) {
        return IMSMS_ERR_INVALID_ARGUMENT;
      }
    }
  }
  f.m = mechs;
  f.n = n;
  return imsms_sdp_w_run(out, outcap, put_sip, &f);
}

/* see imsmediasec/sdp.h */
int imsms_sdp_sip_mediasec(const char *value, size_t len, unsigned *mask) {
  uint8_t qseen[1001 / 8 + 1];
  imsms_sdp_sip_iter it;
  imsms_sdp_sip_mech m;
  unsigned bits = 0;
  int rv;

  if (mask == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  *mask = 0;
  memset(qseen, 0, sizeof(qseen));
  if ((rv = imsms_sdp_sip_iter_init(&it, value, len)) != 0) {
    return rv;
  }
  while ((rv = imsms_sdp_sip_next(&it, &m)) == 0) {
    if (m.has_q) {
      if (qseen[m.q / 8] & (1u << (m.q % 8))) {
        return IMSMS_ERR_SDP_DUPLICATE;
      }
      qseen[m.q / 8] = (uint8_t)(qseen[m.q / 8] | (1u << (m.q % 8)));
    }
    if (m.mediasec && m.id >= IMSMS_SIP_MECH_SDES_SRTP) {
      bits |= 1u << m.id;
    }
  }
  if (rv != IMSMS_ERR_EOF) {
    return rv;
  }
  *mask = bits;
  return 0;
}
