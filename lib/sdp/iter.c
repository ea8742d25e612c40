/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The SDP line iterator (RFC 4566 section 5 and 9): one line per call,
 * as views into the body, with the section it belongs to. It reads no
 * byte past the body, never moves on a failing line, and parses m-lines
 * and attribute names strictly; attribute values are left to the
 * owners' parsers.
 */
#include <assert.h>

#include "sdp/sdp_int.h"

/* see imsmediasec/sdp.h */
int imsms_sdp_iter_init(imsms_sdp_iter *it, const char *sdp, size_t sdplen) {
  if (it == NULL || (sdp == NULL && sdplen != 0)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memset(it, 0, sizeof(*it));
  if (sdplen > IMSMS_SDP_MAX_LEN) {
    return IMSMS_ERR_TOO_LARGE;
  }
  it->start = sdp;
  it->pos = sdp;
  it->end = sdp ? sdp + sdplen : sdp;
  return 0;
}

/* Splits |v| at its first SP: |*head| before it, |*v| after it. */
static int cut_sp(imsms_sdp_vec *v, imsms_sdp_vec *head) {
  const char *q = v->len ? memchr(v->base, ' ', v->len) : NULL;

  if (q == NULL) {
    *head = *v;
    *v = imsms_sdp_vec_make(NULL, 0);
    return 0;
  }
  *head = imsms_sdp_vec_make(v->base, (size_t)(q - v->base));
  *v = imsms_sdp_vec_make(q + 1, v->len - head->len - 1);
  return 1;
}

/*
 * media SP port ["/" integer] SP proto 1*(SP fmt), single spaces, no
 * trailing blank (RFC 4566 9: media-field).
 */
static int parse_mline(imsms_sdp_vec v, imsms_sdp_mline *m) {
  imsms_sdp_vec media, port, proto;
  const char *slash;
  size_t plen, i, start;

  if (!cut_sp(&v, &media) || !imsms_sdp_is_token(media.base, media.len) ||
      !cut_sp(&v, &port) || !cut_sp(&v, &proto) || v.len == 0) {
    return IMSMS_ERR_SDP_SYNTAX;
  }
  m->media = media;
  slash = port.len ? memchr(port.base, '/', port.len) : NULL;
  plen = slash ? (size_t)(slash - port.base) : port.len;
  if (imsms_sdp_parse_u32(port.base, plen, 65535, &m->port) != 0) {
    return IMSMS_ERR_SDP_SYNTAX;
  }
  if (slash != NULL) {
    /* integer = POS-DIGIT *DIGIT */
    size_t nlen = port.len - plen - 1;

    if (nlen == 0 || slash[1] == '0' ||
        imsms_sdp_parse_u32(slash + 1, nlen, 65535, &m->nports) != 0) {
      return IMSMS_ERR_SDP_SYNTAX;
    }
  }
  if (!imsms_sdp_is_proto(proto.base, proto.len)) {
    return IMSMS_ERR_SDP_SYNTAX;
  }
  m->proto_text = proto;
  m->proto = imsms_sdp_proto_from_str(proto.base, proto.len);
  m->fmts = v;
  m->nfmts = 0;
  for (i = 0, start = 0; i <= v.len; i++) {
    if (i == v.len || v.base[i] == ' ') {
      if (!imsms_sdp_is_token(v.base + start, i - start)) {
        return IMSMS_ERR_SDP_SYNTAX;
      }
      m->nfmts++;
      start = i + 1;
    }
  }
  return 0;
}

/*
 * The rest of the body from |p| holds only empty lines (CRLF or LF):
 * returns 1, 0 when something else follows, or IMSMS_ERR_TRUNCATED for
 * a final lone CR.
 */
static int only_blank_lines(const char *p, const char *end) {
  while (p != end) {
    if (*p == '\n') {
      p++;
    } else if (*p == '\r') {
      if (end - p < 2) {
        return IMSMS_ERR_TRUNCATED;
      }
      if (p[1] != '\n') {
        return 0;
      }
      p += 2;
    } else {
      return 0;
    }
  }
  return 1;
}

/* see imsmediasec/sdp.h */
int imsms_sdp_iter_next(imsms_sdp_iter *it, imsms_sdp_line *line) {
  const char *p, *lf, *text_end, *next;
  imsms_sdp_vec value;
  size_t level;
  int rv;

  if (it == NULL || line == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memset(line, 0, sizeof(*line));
  p = it->pos;
  if (p == it->end) {
    /* An empty body is no SDP. */
    return it->lineno == 0 ? IMSMS_ERR_SDP_SYNTAX : IMSMS_ERR_EOF;
  }
  lf = memchr(p, '\n', (size_t)(it->end - p));
  if (lf == NULL) {
    text_end = it->end;
    next = it->end;
    if (text_end > p && text_end[-1] == '\r') {
      return IMSMS_ERR_TRUNCATED;
    }
  } else {
    next = lf + 1;
    text_end = (lf > p && lf[-1] == '\r') ? lf - 1 : lf;
  }
  if (text_end == p) {
    /* Empty lines end the body, or are an error. */
    rv = only_blank_lines(p, it->end);
    if (rv < 0) {
      return rv;
    }
    if (rv == 0 || it->lineno == 0) {
      return IMSMS_ERR_SDP_SYNTAX;
    }
    it->pos = it->end;
    return IMSMS_ERR_EOF;
  }
  if (text_end - p < 2 || p[1] != '=' || p[0] < 'a' || p[0] > 'z' ||
      !imsms_sdp_is_line_text(p, (size_t)(text_end - p))) {
    return IMSMS_ERR_SDP_SYNTAX;
  }
  value = imsms_sdp_vec_make(p + 2, (size_t)(text_end - p - 2));
  /* The first line is "v=0" and the only v= line. */
  if ((it->lineno == 0) != (p[0] == 'v') ||
      (p[0] == 'v' && !imsms_sdp_vec_eq(value, "0"))) {
    return IMSMS_ERR_SDP_SYNTAX;
  }
  level = it->level;
  line->type = p[0];
  line->value = value;
  line->raw = imsms_sdp_vec_make(p, (size_t)(next - p));
  if (p[0] == 'm') {
    level++;
    if ((rv = parse_mline(value, &line->m)) != 0) {
      memset(line, 0, sizeof(*line));
      return rv;
    }
  } else if (p[0] == 'a') {
    const char *colon = value.len ? memchr(value.base, ':', value.len) : NULL;
    size_t nlen = colon ? (size_t)(colon - value.base) : value.len;

    if (!imsms_sdp_is_token(value.base, nlen)) {
      memset(line, 0, sizeof(*line));
      return IMSMS_ERR_SDP_SYNTAX;
    }
    line->name = imsms_sdp_vec_make(value.base, nlen);
    if (colon != NULL) {
      line->has_value = 1;
      line->attr_value =
          imsms_sdp_vec_make(colon + 1, value.len - nlen - 1);
    }
  }
  assert(next <= it->end);
  it->pos = next;
  it->level = level;
  it->lineno++;
  line->level = level;
  line->lineno = it->lineno;
  return 0;
}

/* see imsmediasec/sdp.h */
int imsms_sdp_attr_next(imsms_sdp_iter *it, size_t level, const char *name,
                        size_t namelen, imsms_sdp_line *line) {
  imsms_sdp_vec want;
  int rv;

  if (it == NULL || line == NULL || name == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  want = imsms_sdp_vec_make(name, namelen);
  while ((rv = imsms_sdp_iter_next(it, line)) == 0) {
    if (line->type == 'a' &&
        (level == IMSMS_SDP_LEVEL_ANY || line->level == level) &&
        line->name.len == want.len &&
        (want.len == 0 || memcmp(line->name.base, want.base, want.len) == 0)) {
      return 0;
    }
  }
  memset(line, 0, sizeof(*line));
  return rv;
}

imsms_ssize imsms_sdp_count_media(const char *sdp, size_t sdplen) {
  imsms_sdp_iter it;
  imsms_sdp_line line;
  int rv;

  if ((rv = imsms_sdp_iter_init(&it, sdp, sdplen)) != 0) {
    return rv;
  }
  while ((rv = imsms_sdp_iter_next(&it, &line)) == 0) {
  }
  if (rv != IMSMS_ERR_EOF) {
    return rv;
  }
  return (imsms_ssize)it.level;
}

/* see imsmediasec/sdp.h */
int imsms_sdp_attr_find(const char *sdp, size_t sdplen, size_t level,
                        const char *name, size_t namelen, int inherit,
                        imsms_sdp_line *line) {
  imsms_sdp_iter it;
  imsms_sdp_line cur, sess;
  int rv, have = 0, have_sess = 0;

  if (line == NULL || name == NULL || level == IMSMS_SDP_LEVEL_ANY) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memset(line, 0, sizeof(*line));
  memset(&sess, 0, sizeof(sess));
  if ((rv = imsms_sdp_iter_init(&it, sdp, sdplen)) != 0) {
    return rv;
  }
  /* Read the whole body: a malformed line anywhere fails the lookup. */
  while ((rv = imsms_sdp_iter_next(&it, &cur)) == 0) {
    if (cur.type != 'a' || cur.name.len != namelen ||
        (namelen && memcmp(cur.name.base, name, namelen) != 0)) {
      continue;
    }
    if (!have && cur.level == level) {
      *line = cur;
      have = 1;
    } else if (!have_sess && cur.level == 0) {
      sess = cur;
      have_sess = 1;
    }
  }
  if (rv != IMSMS_ERR_EOF) {
    memset(line, 0, sizeof(*line));
    return rv;
  }
  if (level > it.level) {
    memset(line, 0, sizeof(*line));
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (have) {
    return 0;
  }
  if (inherit && level != 0 && have_sess) {
    *line = sess;
    return 0;
  }
  return IMSMS_ERR_EOF;
}

/* see imsmediasec/sdp.h */
int imsms_sdp_media_get(const char *sdp, size_t sdplen, size_t level,
                        imsms_sdp_mline *m) {
  imsms_sdp_iter it;
  imsms_sdp_line line;
  int rv, found = 0;

  if (m == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memset(m, 0, sizeof(*m));
  if ((rv = imsms_sdp_iter_init(&it, sdp, sdplen)) != 0) {
    return rv;
  }
  while ((rv = imsms_sdp_iter_next(&it, &line)) == 0) {
    if (line.type == 'm' && line.level == level) {
      *m = line.m;
      found = 1;
    }
  }
  if (rv != IMSMS_ERR_EOF || !found) {
    memset(m, 0, sizeof(*m));
    return rv != IMSMS_ERR_EOF ? rv : IMSMS_ERR_INVALID_ARGUMENT;
  }
  return 0;
}
