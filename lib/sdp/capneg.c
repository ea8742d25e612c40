/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * RFC 5939 capability negotiation attributes: a=tcap, a=acap, a=pcfg
 * and a=acfg (sections 3.4.1, 3.4.2, 3.5.1, 3.5.2), parsed into bounded
 * caller structs with views into the value, and written back
 * canonically, enough for "SRTP with RTP fallback" offers and the
 * answers to them.
 */
#include "sdp/sdp_int.h"

/* Leading blanks are refused (no white space before the number); one
 * trailing blank is tolerated. Splits off the number. */
static int take_num(const char **p, size_t *len, uint32_t *num) {
  size_t i = 0;

  imsms_sdp_trim1(p, len);
  while (i < *len && (*p)[i] >= '0' && (*p)[i] <= '9') {
    i++;
  }
  if (imsms_sdp_parse_u32(*p, i, IMSMS_SDP_CAP_NUM_MAX, num) != 0 ||
      *num == 0) {
    return IMSMS_ERR_SDP_SYNTAX;
  }
  *p += i;
  *len -= i;
  return 0;
}

/* Skips 1*WSP; returns 0 when there was none. */
static int skip_wsp(const char **p, size_t *len) {
  size_t i = 0;

  while (i < *len && imsms_sdp_is_wsp((*p)[i])) {
    i++;
  }
  *p += i;
  *len -= i;
  return i != 0;
}

/* Takes the next field up to a blank or the end. */
static imsms_sdp_vec take_field(const char **p, size_t *len) {
  size_t i = 0;
  imsms_sdp_vec f;

  while (i < *len && !imsms_sdp_is_wsp((*p)[i])) {
    i++;
  }
  f = imsms_sdp_vec_make(*p, i);
  *p += i;
  *len -= i;
  return f;
}

/* ------------------------------------------------------------------ */
/* a=tcap                                                              */

/*
 * The start of a=tcap and a=acap values: zeroes |out| (|size| bytes),
 * checks the arguments, reads "number 1*WSP" and leaves the non-empty
 * rest in |value|, |len|.
 */
static int begin_numbered(void *out, size_t size, const char **value,
                          size_t *len, uint32_t *num) {
  int rv;

  if (out == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memset(out, 0, size);
  if (*value == NULL && *len != 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if ((rv = take_num(value, len, num)) != 0) {
    return rv;
  }
  if (!skip_wsp(value, len) || *len == 0) {
    return IMSMS_ERR_SDP_SYNTAX;
  }
  return 0;
}

/* see imsmediasec/sdp.h */
int imsms_sdp_tcap_parse(imsms_sdp_tcap *out, const char *value, size_t len) {
  imsms_sdp_vec f;
  const char *first, *last_end = NULL;
  uint32_t num;
  size_t n = 0;
  int rv;

  if ((rv = begin_numbered(out, sizeof(*out), &value, &len, &num)) != 0) {
    return rv;
  }
  first = value;
  while (len != 0) {
    f = take_field(&value, &len);
    if (!imsms_sdp_is_proto(f.base, f.len)) {
      return IMSMS_ERR_SDP_SYNTAX;
    }
    n++;
    last_end = f.base + f.len;
    /* Blanks separate; a second trailing one is refused. */
    if (skip_wsp(&value, &len) && len == 0) {
      return IMSMS_ERR_SDP_SYNTAX;
    }
  }
  if (n - 1 > IMSMS_SDP_CAP_NUM_MAX - num) {
    return IMSMS_ERR_SDP_SYNTAX;
  }
  out->num = num;
  out->nprotos = n;
  out->protos = imsms_sdp_vec_make(first, (size_t)(last_end - first));
  return 0;
}

/* see imsmediasec/sdp.h */
int imsms_sdp_tcap_proto(const imsms_sdp_tcap *t, uint32_t num,
                         imsms_sdp_vec *proto) {
  const char *p;
  size_t len, k;

  if (t == NULL || proto == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  *proto = imsms_sdp_vec_make(NULL, 0);
  if (num < t->num || num - t->num >= t->nprotos) {
    return IMSMS_ERR_EOF;
  }
  p = t->protos.base;
  len = t->protos.len;
  for (k = 0; k <= num - t->num; k++) {
    skip_wsp(&p, &len);
    *proto = take_field(&p, &len);
  }
  return proto->len ? 0 : IMSMS_ERR_INVALID_ARGUMENT;
}

typedef struct tcap_fmt {
  uint32_t num;
  const char *const *protos;
  size_t n;
} tcap_fmt;

static int put_tcap(imsms_sdp_w *w, const void *arg) {
  const tcap_fmt *f = arg;
  size_t i;

  imsms_sdp_w_u32(w, f->num);
  for (i = 0; i < f->n; i++) {
    imsms_sdp_w_put(w, " ", 1);
    imsms_sdp_w_str(w, f->protos[i]);
  }
  return 0;
}

/* see imsmediasec/sdp.h */
imsms_ssize imsms_sdp_tcap_format(char *out, size_t outcap, uint32_t num,
                                  const char *const *protos, size_t nprotos) {
  tcap_fmt f;
  size_t i;

  if (protos == NULL || nprotos == 0 || num == 0 ||
      num > IMSMS_SDP_CAP_NUM_MAX ||
      nprotos - 1 > IMSMS_SDP_CAP_NUM_MAX - num) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  for (i = 0; i < nprotos; i++) {
    if (protos[i] == NULL ||
        !imsms_sdp_is_proto(protos[i], strlen(protos[i]))) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
  }
  f.num = num;
  f.protos = protos;
  f.n = nprotos;
  return imsms_sdp_w_run(out, outcap, put_tcap, &f);
}

/* ------------------------------------------------------------------ */
/* a=acap                                                              */

/* see imsmediasec/sdp.h */
int imsms_sdp_acap_parse(imsms_sdp_acap *out, const char *value, size_t len) {
  const char *colon;
  size_t nlen;
  uint32_t num;
  int rv;

  if ((rv = begin_numbered(out, sizeof(*out), &value, &len, &num)) != 0) {
    return rv;
  }
  colon = memchr(value, ':', len);
  nlen = colon ? (size_t)(colon - value) : len;
  if (!imsms_sdp_is_token(value, nlen)) {
    return IMSMS_ERR_SDP_SYNTAX;
  }
  if (imsms_sdp_is_capneg_name(value, nlen)) {
    return IMSMS_ERR_SDP_CONFLICT;
  }
  out->num = num;
  out->name = imsms_sdp_vec_make(value, nlen);
  if (colon != NULL) {
    out->has_value = 1;
    out->value = imsms_sdp_vec_make(colon + 1, len - nlen - 1);
  }
  return 0;
}

typedef struct acap_fmt {
  uint32_t num;
  const char *name;
  const char *value;
  size_t valuelen;
} acap_fmt;

static int put_acap(imsms_sdp_w *w, const void *arg) {
  const acap_fmt *f = arg;

  imsms_sdp_w_u32(w, f->num);
  imsms_sdp_w_put(w, " ", 1);
  imsms_sdp_w_str(w, f->name);
  if (f->value != NULL) {
    imsms_sdp_w_put(w, ":", 1);
    imsms_sdp_w_put(w, f->value, f->valuelen);
  }
  return 0;
}

/* see imsmediasec/sdp.h */
imsms_ssize imsms_sdp_acap_format(char *out, size_t outcap, uint32_t num,
                                  const char *name, const char *value,
                                  size_t valuelen) {
  acap_fmt f;

  if (name == NULL || num == 0 || num > IMSMS_SDP_CAP_NUM_MAX ||
      !imsms_sdp_is_token(name, strlen(name)) ||
      imsms_sdp_is_capneg_name(name, strlen(name)) ||
      (value == NULL && valuelen != 0) ||
      (value != NULL && !imsms_sdp_is_line_text(value, valuelen)) ||
      valuelen > IMSMS_SDP_MAX_LEN) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  f.num = num;
  f.name = name;
  f.value = value;
  f.valuelen = valuelen;
  return imsms_sdp_w_run(out, outcap, put_acap, &f);
}

/* ------------------------------------------------------------------ */
/* a=pcfg, a=acfg                                                      */

/* att-cap-list = att-cap-num *("," att-cap-num), into |alt| from |from|. */
static int parse_cap_list(const char *p, size_t len, imsms_sdp_cfg_alt *alt) {
  size_t i, start = 0;
  uint32_t v;

  if (len == 0) {
    return IMSMS_ERR_SDP_SYNTAX;
  }
  for (i = 0; i <= len; i++) {
    if (i == len || p[i] == ',') {
      if (imsms_sdp_parse_u32(p + start, i - start, IMSMS_SDP_CAP_NUM_MAX,
                              &v) != 0 ||
          v == 0) {
        return IMSMS_ERR_SDP_SYNTAX;
      }
      if (alt->ncaps == IMSMS_SDP_CFG_MAX_CAPS) {
        return IMSMS_ERR_TOO_LARGE;
      }
      alt->caps[alt->ncaps++] = v;
      start = i + 1;
    }
  }
  return 0;
}

/*
 * mo-att-cap-list = mandatory-att-cap-list ["," optional-att-cap-list] /
 * optional-att-cap-list, the optional one in brackets.
 */
static int parse_mo_list(const char *p, size_t len, imsms_sdp_cfg_alt *alt) {
  const char *br = len ? memchr(p, '[', len) : NULL;
  size_t mlen;
  int rv;

  memset(alt, 0, sizeof(*alt));
  if (br == NULL) {
    if ((rv = parse_cap_list(p, len, alt)) != 0) {
      return rv;
    }
    alt->nmandatory = alt->ncaps;
    return 0;
  }
  mlen = (size_t)(br - p);
  if (mlen != 0) {
    /* "1,2,[3]": the mandatory part ends with the comma. */
    if (mlen < 2 || p[mlen - 1] != ',') {
      return IMSMS_ERR_SDP_SYNTAX;
    }
    if ((rv = parse_cap_list(p, mlen - 1, alt)) != 0) {
      return rv;
    }
  }
  alt->nmandatory = alt->ncaps;
  /* "[" att-cap-list "]" ends the list. */
  if (len - mlen < 3 || p[len - 1] != ']') {
    return IMSMS_ERR_SDP_SYNTAX;
  }
  return parse_cap_list(br + 1, len - mlen - 2, alt);
}

/* "a=" [delete ":"] mo-att-cap-list *("|" mo-att-cap-list), or "a=" delete. */
static int parse_attr_list(imsms_sdp_vec f, int is_acfg, imsms_sdp_cfg *out) {
  const char *p = f.base + 2;
  size_t len = f.len - 2, i, start;
  int rv;

  if (len && p[0] == '-') {
    size_t d = 1;

    while (d < len && p[d] != ':') {
      d++;
    }
    if (d == 2 && p[1] == 'm') {
      out->del = IMSMS_SDP_CFG_DEL_MEDIA;
    } else if (d == 2 && p[1] == 's') {
      out->del = IMSMS_SDP_CFG_DEL_SESSION;
    } else if (d == 3 && p[1] == 'm' && p[2] == 's') {
      out->del = IMSMS_SDP_CFG_DEL_MEDIA | IMSMS_SDP_CFG_DEL_SESSION;
    } else {
      return IMSMS_ERR_SDP_SYNTAX;
    }
    if (d == len) {
      out->has_attr = 1;
      return 0; /* delete only */
    }
    p += d + 1;
    len -= d + 1;
  }
  for (i = 0, start = 0; i <= len; i++) {
    if (i == len || p[i] == '|') {
      if (out->nalts == IMSMS_SDP_CFG_MAX_ALTS) {
        return IMSMS_ERR_TOO_LARGE;
      }
      if ((rv = parse_mo_list(p + start, i - start, &out->alts[out->nalts])) !=
          0) {
        return rv;
      }
      out->nalts++;
      start = i + 1;
    }
  }
  if (is_acfg && out->nalts != 1) {
    return IMSMS_ERR_SDP_SYNTAX;
  }
  out->has_attr = 1;
  return 0;
}

/* "t=" trpr-cap-num *("|" trpr-cap-num) */
static int parse_transport_list(imsms_sdp_vec f, int is_acfg,
                                imsms_sdp_cfg *out) {
  const char *p = f.base + 2;
  size_t len = f.len - 2, i, start;
  uint32_t v;

  for (i = 0, start = 0; i <= len; i++) {
    if (i == len || p[i] == '|') {
      if (imsms_sdp_parse_u32(p + start, i - start, IMSMS_SDP_CAP_NUM_MAX,
                              &v) != 0 ||
          v == 0) {
        return IMSMS_ERR_SDP_SYNTAX;
      }
      if (out->ntcaps == IMSMS_SDP_CFG_MAX_ALTS) {
        return IMSMS_ERR_TOO_LARGE;
      }
      out->tcaps[out->ntcaps++] = v;
      start = i + 1;
    }
  }
  if (is_acfg && out->ntcaps != 1) {
    return IMSMS_ERR_SDP_SYNTAX;
  }
  return 0;
}

/* ["+"] ext-cap-name "=" 1*VCHAR; returns the name's length or 0. */
static size_t ext_name_len(imsms_sdp_vec f) {
  size_t i = (f.len && f.base[0] == '+') ? 1 : 0, start = i;

  while (i < f.len && ((f.base[i] >= '0' && f.base[i] <= '9') ||
                       (f.base[i] >= 'a' && f.base[i] <= 'z') ||
                       (f.base[i] >= 'A' && f.base[i] <= 'Z'))) {
    i++;
  }
  if (i == start || i + 1 >= f.len || f.base[i] != '=') {
    return 0;
  }
  for (start = i + 1; start < f.len; start++) {
    unsigned char u = (unsigned char)f.base[start];

    if (u < 0x21 || u > 0x7e) {
      return 0;
    }
  }
  return i;
}

/* The name of extension list |f| without its "+". */
static imsms_sdp_vec ext_name(imsms_sdp_vec f) {
  size_t skip = f.base[0] == '+' ? 1 : 0;

  return imsms_sdp_vec_make(f.base + skip, ext_name_len(f) - skip);
}

/* see imsmediasec/sdp.h */
int imsms_sdp_cfg_parse(imsms_sdp_cfg *out, const char *value, size_t len,
                        int is_acfg) {
  imsms_sdp_vec f;
  uint32_t num;
  int rv, has_t = 0;
  size_t i;

  if (out == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memset(out, 0, sizeof(*out));
  if (value == NULL && len != 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if ((rv = take_num(&value, &len, &num)) != 0) {
    goto fail;
  }
  if (len != 0 && !skip_wsp(&value, &len)) {
    rv = IMSMS_ERR_SDP_SYNTAX;
    goto fail;
  }
  while (len != 0) {
    f = take_field(&value, &len);
    if (f.len >= 2 && f.base[0] == 'a' && f.base[1] == '=') {
      if (out->has_attr) {
        rv = IMSMS_ERR_SDP_DUPLICATE;
        goto fail;
      }
      rv = parse_attr_list(f, is_acfg, out);
    } else if (f.len >= 2 && f.base[0] == 't' && f.base[1] == '=') {
      if (has_t) {
        rv = IMSMS_ERR_SDP_DUPLICATE;
        goto fail;
      }
      has_t = 1;
      rv = parse_transport_list(f, is_acfg, out);
    } else if (ext_name_len(f) != 0) {
      for (i = 0; i < out->next; i++) {
        imsms_sdp_vec a = ext_name(out->ext[i]), b = ext_name(f);

        if (a.len == b.len && memcmp(a.base, b.base, a.len) == 0) {
          rv = IMSMS_ERR_SDP_DUPLICATE;
          goto fail;
        }
      }
      if (out->next == IMSMS_SDP_CFG_MAX_EXT) {
        rv = IMSMS_ERR_TOO_LARGE;
        goto fail;
      }
      out->ext[out->next++] = f;
      rv = 0;
    } else {
      rv = IMSMS_ERR_SDP_SYNTAX;
    }
    if (rv != 0) {
      goto fail;
    }
    if (skip_wsp(&value, &len) && len == 0) {
      rv = IMSMS_ERR_SDP_SYNTAX;
      goto fail;
    }
  }
  out->num = num;
  return 0;

fail:
  memset(out, 0, sizeof(*out));
  return rv;
}

static int check_cfg(const imsms_sdp_cfg *c, int is_acfg) {
  size_t i, j;

  if (c->num == 0 || c->num > IMSMS_SDP_CAP_NUM_MAX ||
      c->nalts > IMSMS_SDP_CFG_MAX_ALTS ||
      c->ntcaps > IMSMS_SDP_CFG_MAX_ALTS || c->next > IMSMS_SDP_CFG_MAX_EXT ||
      c->del > (IMSMS_SDP_CFG_DEL_MEDIA | IMSMS_SDP_CFG_DEL_SESSION) ||
      (!c->has_attr && (c->nalts != 0 || c->del != 0)) ||
      (c->has_attr && c->nalts == 0 && c->del == 0) ||
      (is_acfg && (c->nalts > 1 || c->ntcaps > 1))) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  for (i = 0; i < c->nalts; i++) {
    const imsms_sdp_cfg_alt *a = &c->alts[i];

    if (a->ncaps == 0 || a->ncaps > IMSMS_SDP_CFG_MAX_CAPS ||
        a->nmandatory > a->ncaps) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
    for (j = 0; j < a->ncaps; j++) {
      if (a->caps[j] == 0 || a->caps[j] > IMSMS_SDP_CAP_NUM_MAX) {
        return IMSMS_ERR_INVALID_ARGUMENT;
      }
    }
  }
  for (i = 0; i < c->ntcaps; i++) {
    if (c->tcaps[i] == 0 || c->tcaps[i] > IMSMS_SDP_CAP_NUM_MAX) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
  }
  for (i = 0; i < c->next; i++) {
    if (c->ext[i].base == NULL || ext_name_len(c->ext[i]) == 0) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
    for (j = 0; j < i; j++) {
      imsms_sdp_vec a = ext_name(c->ext[i]), b = ext_name(c->ext[j]);

      if (a.len == b.len && memcmp(a.base, b.base, a.len) == 0) {
        return IMSMS_ERR_INVALID_ARGUMENT;
      }
    }
  }
  return 0;
}

static void put_caps(imsms_sdp_w *w, const uint32_t *caps, size_t n) {
  size_t i;

  for (i = 0; i < n; i++) {
    if (i) {
      imsms_sdp_w_put(w, ",", 1);
    }
    imsms_sdp_w_u32(w, caps[i]);
  }
}

static int put_cfg(imsms_sdp_w *w, const void *arg) {
  const imsms_sdp_cfg *c = arg;
  size_t i;

  imsms_sdp_w_u32(w, c->num);
  if (c->ntcaps) {
    imsms_sdp_w_put(w, " t=", 3);
    for (i = 0; i < c->ntcaps; i++) {
      if (i) {
        imsms_sdp_w_put(w, "|", 1);
      }
      imsms_sdp_w_u32(w, c->tcaps[i]);
    }
  }
  if (c->has_attr) {
    imsms_sdp_w_put(w, " a=", 3);
    if (c->del) {
      imsms_sdp_w_str(w, c->del == IMSMS_SDP_CFG_DEL_MEDIA     ? "-m"
                         : c->del == IMSMS_SDP_CFG_DEL_SESSION ? "-s"
                                                               : "-ms");
      if (c->nalts) {
        imsms_sdp_w_put(w, ":", 1);
      }
    }
    for (i = 0; i < c->nalts; i++) {
      const imsms_sdp_cfg_alt *a = &c->alts[i];

      if (i) {
        imsms_sdp_w_put(w, "|", 1);
      }
      put_caps(w, a->caps, a->nmandatory);
      if (a->nmandatory < a->ncaps) {
        imsms_sdp_w_str(w, a->nmandatory ? ",[" : "[");
        put_caps(w, a->caps + a->nmandatory, a->ncaps - a->nmandatory);
        imsms_sdp_w_put(w, "]", 1);
      }
    }
  }
  for (i = 0; i < c->next; i++) {
    imsms_sdp_w_put(w, " ", 1);
    imsms_sdp_w_put(w, c->ext[i].base, c->ext[i].len);
  }
  return 0;
}

/* see imsmediasec/sdp.h */
imsms_ssize imsms_sdp_cfg_format(char *out, size_t outcap,
                                 const imsms_sdp_cfg *cfg, int is_acfg) {
  int rv;

  if (cfg == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if ((rv = check_cfg(cfg, is_acfg)) != 0) {
    return rv;
  }
  return imsms_sdp_w_run(out, outcap, put_cfg, cfg);
}
