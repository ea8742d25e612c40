/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The attributes this layer owns outside capability negotiation:
 * a=key-mgmt (RFC 4567 3.1, with the media-over-session rule), a=crypto
 * (handed to imsms_sdes_parse()), a=3ge2ae (TS 24.229), and the
 * pass-through a=setup (RFC 4145) and a=fingerprint (RFC 8122).
 */
#include "sdp/sdp_int.h"

static int is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

/* KMPID = 1*(ALPHA / DIGIT) */
static int is_kmpid(const char *p, size_t len) {
  size_t i;

  if (len == 0) {
    return 0;
  }
  for (i = 0; i < len; i++) {
    if (!is_alnum(p[i])) {
      return 0;
    }
  }
  return 1;
}

/*
 * "0*1SP word SP rest" (a=key-mgmt, a=fingerprint): trims the value,
 * skips one leading SP and gives the length of the word before the
 * first SP; -1 when there is no SP.
 */
static int split_word(const char **value, size_t *len, size_t *wlen) {
  const char *sp;

  imsms_sdp_trim1(value, len);
  if (*len && (*value)[0] == ' ') {
    (*value)++;
    (*len)--;
  }
  sp = *len ? memchr(*value, ' ', *len) : NULL;
  if (sp == NULL) {
    return -1;
  }
  *wlen = (size_t)(sp - *value);
  return 0;
}

/* ------------------------------------------------------------------ */
/* a=key-mgmt                                                          */

/* see imsmediasec/sdp.h */
int imsms_sdp_key_mgmt_parse(imsms_sdp_key_mgmt *out, const char *value,
                             size_t len) {
  const char *sp;
  size_t idlen;
  int rv;

  if (out == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memset(out, 0, sizeof(*out));
  if (value == NULL && len != 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  /* key-mgmt-att-value = 0*1SP prtcl-id SP keymgmt-data */
  if (split_word(&value, &len, &idlen) != 0) {
    return IMSMS_ERR_SDP_SYNTAX;
  }
  sp = value + idlen;
  if (!is_kmpid(value, idlen) || idlen + 1 == len) {
    return IMSMS_ERR_SDP_SYNTAX;
  }
  value += idlen + 1;
  len -= idlen + 1;
  /* Blanks inside the data are a syntax error, not a base64 one. */
  if (memchr(value, ' ', len) != NULL || memchr(value, '\t', len) != NULL) {
    return IMSMS_ERR_SDP_SYNTAX;
  }
  if ((rv = imsms_sdp_b64_check(value, len)) != 0) {
    return rv;
  }
  out->prtcl_id = imsms_sdp_vec_make(sp - idlen, idlen);
  out->data = imsms_sdp_vec_make(value, len);
  return 0;
}

/* see imsmediasec/sdp.h */
imsms_ssize imsms_sdp_key_mgmt_decode(uint8_t *out, size_t outcap,
                                      const imsms_sdp_key_mgmt *km) {
  imsms_ssize n;

  if (km == NULL || km->data.base == NULL || km->data.len == 0 ||
      (out == NULL && outcap != 0)) {
    if (out != NULL) {
      imsms_secure_clear(out, outcap);
    }
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (out == NULL) {
    return IMSMS_ERR_NOBUF;
  }
  n = imsms_base64_decode(out, outcap, km->data.base, km->data.len);
  if (n < 0) {
    imsms_secure_clear(out, outcap);
  }
  return n;
}

typedef struct km_fmt {
  const char *id;
  size_t idlen;
  const uint8_t *data;
  size_t datalen;
} km_fmt;

static int put_key_mgmt(imsms_sdp_w *w, const void *arg) {
  const km_fmt *f = arg;
  size_t b64 = imsms_base64_encode_len(f->datalen);

  imsms_sdp_w_put(w, f->id, f->idlen);
  imsms_sdp_w_put(w, " ", 1);
  if (w->buf != NULL && w->len <= w->cap && w->cap - w->len >= b64) {
    imsms_ssize n =
        imsms_base64_encode(w->buf + w->len, b64, f->data, f->datalen);
    if (n != (imsms_ssize)b64) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
  }
  w->len += b64;
  return 0;
}

/* see imsmediasec/sdp.h */
imsms_ssize imsms_sdp_key_mgmt_format(char *out, size_t outcap,
                                      const char *prtcl_id,
                                      const uint8_t *data, size_t datalen) {
  km_fmt f;

  if (prtcl_id == NULL || data == NULL || datalen == 0 ||
      !is_kmpid(prtcl_id, strlen(prtcl_id))) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  /* Keep the arithmetic below far from overflow. */
  if (datalen > IMSMS_SDP_MAX_LEN) {
    return IMSMS_ERR_TOO_LARGE;
  }
  f.id = prtcl_id;
  f.idlen = strlen(prtcl_id);
  f.data = data;
  f.datalen = datalen;
  return imsms_sdp_w_run(out, outcap, put_key_mgmt, &f);
}

/* Protocol id |id| already among the |n| of |list|. */
static int km_seen(const imsms_sdp_key_mgmt *list, size_t n,
                   imsms_sdp_vec id) {
  size_t i;

  for (i = 0; i < n; i++) {
    if (list[i].prtcl_id.len == id.len &&
        memcmp(list[i].prtcl_id.base, id.base, id.len) == 0) {
      return 1;
    }
  }
  return 0;
}

/* see imsmediasec/sdp.h */
int imsms_sdp_key_mgmt_list(const char *sdp, size_t sdplen, size_t level,
                            imsms_sdp_key_mgmt *out, size_t cap, size_t *n) {
  imsms_sdp_key_mgmt sess[IMSMS_SDP_MAX_KEY_MGMT];
  imsms_sdp_key_mgmt cur[IMSMS_SDP_MAX_KEY_MGMT];
  imsms_sdp_key_mgmt med[IMSMS_SDP_MAX_KEY_MGMT];
  imsms_sdp_key_mgmt km;
  const imsms_sdp_key_mgmt *res;
  size_t nsess = 0, ncur = 0, nmed = 0, nres, i;
  int proto = IMSMS_SDP_PROTO_OTHER, rv;
  imsms_sdp_iter it;
  imsms_sdp_line line;

  if (n == NULL || (out == NULL && cap != 0) ||
      level == IMSMS_SDP_LEVEL_ANY) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  *n = 0;
  if ((rv = imsms_sdp_iter_init(&it, sdp, sdplen)) != 0) {
    return rv;
  }
  while ((rv = imsms_sdp_iter_next(&it, &line)) == 0) {
    if (line.type == 'm') {
      /* The section before this m-line is over. */
      if (line.level - 1 == 0) {
        memcpy(sess, cur, ncur * sizeof(cur[0]));
        nsess = ncur;
      } else if (line.level - 1 == level) {
        memcpy(med, cur, ncur * sizeof(cur[0]));
        nmed = ncur;
      }
      ncur = 0;
      if (line.level == level) {
        proto = line.m.proto;
      }
      continue;
    }
    if (line.type != 'a' || !imsms_sdp_vec_eq(line.name, IMSMS_SDP_A_KEY_MGMT)) {
      continue;
    }
    if (!line.has_value) {
      return IMSMS_ERR_SDP_SYNTAX;
    }
    if ((rv = imsms_sdp_key_mgmt_parse(&km, line.attr_value.base,
                                       line.attr_value.len)) != 0) {
      return rv;
    }
    if (km_seen(cur, ncur, km.prtcl_id)) {
      return IMSMS_ERR_SDP_DUPLICATE;
    }
    if (ncur == IMSMS_SDP_MAX_KEY_MGMT) {
      return IMSMS_ERR_TOO_LARGE;
    }
    km.level = line.level;
    cur[ncur++] = km;
  }
  if (rv != IMSMS_ERR_EOF) {
    return rv;
  }
  if (level > it.level) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  /* The section still open at the end. */
  if (it.level == 0) {
    memcpy(sess, cur, ncur * sizeof(cur[0]));
    nsess = ncur;
  } else if (it.level == level) {
    memcpy(med, cur, ncur * sizeof(cur[0]));
    nmed = ncur;
  }
  if (level == 0) {
    res = sess;
    nres = nsess;
  } else if (nmed != 0) {
    res = med;
    nres = nmed;
  } else if (proto == IMSMS_SDP_PROTO_RTP_SAVP ||
             proto == IMSMS_SDP_PROTO_RTP_SAVPF ||
             proto == IMSMS_SDP_PROTO_TCP_TLS_MSRP) {
    res = sess;
    nres = nsess;
  } else {
    res = NULL;
    nres = 0;
  }
  *n = nres;
  for (i = 0; i < nres && i < cap; i++) {
    out[i] = res[i];
  }
  return nres > cap ? IMSMS_ERR_NOBUF : 0;
}

typedef struct ids_fmt {
  const imsms_sdp_key_mgmt *list;
  size_t n;
} ids_fmt;

static int put_ids(imsms_sdp_w *w, const void *arg) {
  const ids_fmt *f = arg;
  size_t i;

  for (i = 0; i < f->n; i++) {
    if (i) {
      imsms_sdp_w_put(w, ";", 1);
    }
    imsms_sdp_w_put(w, f->list[i].prtcl_id.base, f->list[i].prtcl_id.len);
  }
  return 0;
}

/* see imsmediasec/sdp.h */
imsms_ssize imsms_sdp_key_mgmt_ids(char *out, size_t outcap, const char *sdp,
                                   size_t sdplen, size_t level) {
  imsms_sdp_key_mgmt list[IMSMS_SDP_MAX_KEY_MGMT];
  ids_fmt f;
  size_t n;
  int rv;

  if (out == NULL && outcap != 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  rv = imsms_sdp_key_mgmt_list(sdp, sdplen, level, list,
                               IMSMS_SDP_MAX_KEY_MGMT, &n);
  if (rv != 0) {
    return rv;
  }
  f.list = list;
  f.n = n;
  return imsms_sdp_w_run(out, outcap, put_ids, &f);
}

/* ------------------------------------------------------------------ */
/* a=crypto                                                            */

/* see imsmediasec/sdp.h */
int imsms_sdp_crypto_parse(const imsms_sdp_line *line, imsms_sdes_crypto *out) {
  if (out == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (line == NULL || line->type != 'a' || !line->has_value ||
      !imsms_sdp_vec_eq(line->name, IMSMS_SDP_A_CRYPTO)) {
    imsms_secure_clear(out, sizeof(*out));
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  return imsms_sdp_sdes_parse(out, line->attr_value);
}

/* ------------------------------------------------------------------ */
/* a=3ge2ae, a=setup                                                   */

/* see imsmediasec/sdp.h */
int imsms_sdp_3ge2ae_parse(const char *value, size_t len) {
  imsms_sdp_vec v;

  if (value == NULL && len != 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  imsms_sdp_trim1(&value, &len);
  if (!imsms_sdp_is_token(value, len)) {
    return IMSMS_ERR_SDP_SYNTAX;
  }
  v = imsms_sdp_vec_make(value, len);
  if (imsms_sdp_vec_eq(v, "requested")) {
    return IMSMS_SDP_3GE2AE_REQUESTED;
  }
  if (imsms_sdp_vec_eq(v, "applied")) {
    return IMSMS_SDP_3GE2AE_APPLIED;
  }
  return IMSMS_SDP_3GE2AE_OTHER;
}

/* see imsmediasec/sdp.h */
const char *imsms_sdp_3ge2ae_str(int v) {
  switch (v) {
  case IMSMS_SDP_3GE2AE_REQUESTED:
    return "requested";
  case IMSMS_SDP_3GE2AE_APPLIED:
    return "applied";
  default:
    return NULL;
  }
}

static const char *const setup_names[] = {NULL, "active", "passive",
                                          "actpass", "holdconn"};

/* see imsmediasec/sdp.h */
int imsms_sdp_setup_parse(const char *value, size_t len) {
  imsms_sdp_vec v;
  int i;

  if (value == NULL && len != 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  imsms_sdp_trim1(&value, &len);
  v = imsms_sdp_vec_make(value, len);
  for (i = IMSMS_SDP_SETUP_ACTIVE; i <= IMSMS_SDP_SETUP_HOLDCONN; i++) {
    if (imsms_sdp_vec_eq(v, setup_names[i])) {
      return i;
    }
  }
  return IMSMS_ERR_SDP_SYNTAX;
}

/* see imsmediasec/sdp.h */
const char *imsms_sdp_setup_str(int v) {
  if (v < IMSMS_SDP_SETUP_ACTIVE || v > IMSMS_SDP_SETUP_HOLDCONN) {
    return NULL;
  }
  return setup_names[v];
}

/* ------------------------------------------------------------------ */
/* a=fingerprint                                                       */

static int is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
         (c >= 'A' && c <= 'F');
}

/* 2HEXDIG *(":" 2HEXDIG) */
static int is_fingerprint(const char *p, size_t len) {
  size_t i;

  if (len < 2 || len % 3 != 2) {
    return 0;
  }
  for (i = 0; i < len; i++) {
    if (i % 3 == 2 ? p[i] != ':' : !is_hex(p[i])) {
      return 0;
    }
  }
  return 1;
}

/* see imsmediasec/sdp.h */
int imsms_sdp_fingerprint_parse(imsms_sdp_fingerprint *out, const char *value,
                                size_t len) {
  const char *sp;
  size_t hlen;

  if (out == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memset(out, 0, sizeof(*out));
  if (value == NULL && len != 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (split_word(&value, &len, &hlen) != 0) {
    return IMSMS_ERR_SDP_SYNTAX;
  }
  sp = value + hlen;
  if (!imsms_sdp_is_token(value, hlen) ||
      !is_fingerprint(sp + 1, len - hlen - 1)) {
    return IMSMS_ERR_SDP_SYNTAX;
  }
  out->hash_func = imsms_sdp_vec_make(value, hlen);
  out->fingerprint = imsms_sdp_vec_make(sp + 1, len - hlen - 1);
  return 0;
}
