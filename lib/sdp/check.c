/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * imsms_sdp_check(): one pass over the body that parses every line and
 * every attribute this library owns, with the per-level and per-body
 * uniqueness rules of RFC 4567, RFC 4568, RFC 4145 and RFC 5939, then a
 * second pass that resolves the capability numbers a=pcfg refers to.
 * State is bounded (IMSMS_SDP_MAX_*), on the stack, and nothing is
 * allocated. Decoded SDES keys live only in a stack struct that is
 * wiped after each line.
 */
#include "sdp/sdp_int.h"

/* A capability number range and where it was defined. */
typedef struct cap_range {
  uint32_t first;
  uint32_t count;
  size_t level;
} cap_range;

typedef struct check_state {
  /* Whole body. */
  cap_range acaps[IMSMS_SDP_MAX_CAPS];
  size_t nacaps;
  cap_range tcaps[IMSMS_SDP_MAX_CAPS];
  size_t ntcaps;
  /* Current level. */
  int proto;
  uint32_t tags[IMSMS_SDP_MAX_CRYPTO];
  size_t ntags;
  imsms_sdp_vec km_ids[IMSMS_SDP_MAX_KEY_MGMT];
  size_t nkm;
  uint32_t pcfgs[IMSMS_SDP_MAX_CAPS];
  size_t npcfgs;
  int seen_3ge2ae, seen_setup, seen_tcap, seen_acfg;
} check_state;

static void new_level(check_state *st, int proto) {
  st->proto = proto;
  st->ntags = 0;
  st->nkm = 0;
  st->npcfgs = 0;
  st->seen_3ge2ae = st->seen_setup = st->seen_tcap = st->seen_acfg = 0;
}

/* [a, a + na) and [b, b + nb) overlap (counts at least 1). */
static int overlap(uint32_t a, uint32_t na, uint32_t b, uint32_t nb) {
  return a <= b + (nb - 1) && b <= a + (na - 1);
}

static int check_key_mgmt(check_state *st, imsms_sdp_vec v) {
  imsms_sdp_key_mgmt km;
  size_t i;
  int rv;

  if ((rv = imsms_sdp_key_mgmt_parse(&km, v.base, v.len)) != 0) {
    return rv;
  }
  for (i = 0; i < st->nkm; i++) {
    if (st->km_ids[i].len == km.prtcl_id.len &&
        memcmp(st->km_ids[i].base, km.prtcl_id.base, km.prtcl_id.len) == 0) {
      return IMSMS_ERR_SDP_DUPLICATE;
    }
  }
  if (st->nkm == IMSMS_SDP_MAX_KEY_MGMT) {
    return IMSMS_ERR_TOO_LARGE;
  }
  st->km_ids[st->nkm++] = km.prtcl_id;
  return 0;
}

/* An a=crypto value; |tags| NULL inside an acap (no uniqueness then). */
static int check_crypto(check_state *st, imsms_sdp_vec v, int count_tag) {
  imsms_sdes_crypto c;
  uint32_t tag;
  size_t i;
  int rv;

  rv = imsms_sdp_sdes_parse(&c, v);
  tag = c.tag;
  imsms_secure_clear(&c, sizeof(c));
  if (rv != 0 || !count_tag) {
    return rv;
  }
  for (i = 0; i < st->ntags; i++) {
    if (st->tags[i] == tag) {
      return IMSMS_ERR_SDP_DUPLICATE;
    }
  }
  if (st->ntags == IMSMS_SDP_MAX_CRYPTO) {
    return IMSMS_ERR_TOO_LARGE;
  }
  st->tags[st->ntags++] = tag;
  return 0;
}

static int check_tcap(check_state *st, const imsms_sdp_line *l) {
  imsms_sdp_tcap t;
  size_t i;
  int rv;

  if ((rv = imsms_sdp_tcap_parse(&t, l->attr_value.base,
                                 l->attr_value.len)) != 0) {
    return rv;
  }
  if (st->seen_tcap) {
    return IMSMS_ERR_SDP_DUPLICATE;
  }
  st->seen_tcap = 1;
  for (i = 0; i < st->ntcaps; i++) {
    if (overlap(st->tcaps[i].first, st->tcaps[i].count, t.num,
                (uint32_t)t.nprotos)) {
      return IMSMS_ERR_SDP_DUPLICATE;
    }
  }
  if (st->ntcaps == IMSMS_SDP_MAX_CAPS) {
    return IMSMS_ERR_TOO_LARGE;
  }
  st->tcaps[st->ntcaps].first = t.num;
  st->tcaps[st->ntcaps].count = (uint32_t)t.nprotos;
  st->tcaps[st->ntcaps].level = l->level;
  st->ntcaps++;
  return 0;
}

static int check_acap(check_state *st, const imsms_sdp_line *l) {
  imsms_sdp_acap a;
  size_t i;
  int rv;

  if ((rv = imsms_sdp_acap_parse(&a, l->attr_value.base,
                                 l->attr_value.len)) != 0) {
    return rv;
  }
  for (i = 0; i < st->nacaps; i++) {
    if (st->acaps[i].first == a.num) {
      return IMSMS_ERR_SDP_DUPLICATE;
    }
  }
  if (st->nacaps == IMSMS_SDP_MAX_CAPS) {
    return IMSMS_ERR_TOO_LARGE;
  }
  st->acaps[st->nacaps].first = a.num;
  st->acaps[st->nacaps].count = 1;
  st->acaps[st->nacaps].level = l->level;
  st->nacaps++;
  /* The embedded attributes this library owns are checked too. */
  if (imsms_sdp_vec_eq(a.name, IMSMS_SDP_A_CRYPTO)) {
    return a.has_value ? check_crypto(st, a.value, 0) : IMSMS_ERR_SDP_SYNTAX;
  }
  if (imsms_sdp_vec_eq(a.name, IMSMS_SDP_A_KEY_MGMT)) {
    imsms_sdp_key_mgmt km;

    return a.has_value ? imsms_sdp_key_mgmt_parse(&km, a.value.base,
                                                  a.value.len)
                       : IMSMS_ERR_SDP_SYNTAX;
  }
  return 0;
}

static int check_pcfg(check_state *st, const imsms_sdp_line *l) {
  imsms_sdp_cfg cfg;
  size_t i;
  int rv;

  if (l->level == 0) {
    return IMSMS_ERR_SDP_CONFLICT;
  }
  if ((rv = imsms_sdp_cfg_parse(&cfg, l->attr_value.base, l->attr_value.len,
                                0)) != 0) {
    return rv;
  }
  for (i = 0; i < st->npcfgs; i++) {
    if (st->pcfgs[i] == cfg.num) {
      return IMSMS_ERR_SDP_DUPLICATE;
    }
  }
  if (st->npcfgs == IMSMS_SDP_MAX_CAPS) {
    return IMSMS_ERR_TOO_LARGE;
  }
  st->pcfgs[st->npcfgs++] = cfg.num;
  return 0;
}

/* Value-less forms of the attributes that need a value. */
static int needs_value(imsms_sdp_vec name) {
  static const char *const names[] = {
      IMSMS_SDP_A_KEY_MGMT, IMSMS_SDP_A_CRYPTO,      IMSMS_SDP_A_3GE2AE,
      IMSMS_SDP_A_SETUP,    IMSMS_SDP_A_FINGERPRINT, IMSMS_SDP_A_TCAP,
      IMSMS_SDP_A_ACAP,     IMSMS_SDP_A_PCFG,        IMSMS_SDP_A_ACFG};
  size_t i;

  for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    if (imsms_sdp_vec_eq(name, names[i])) {
      return 1;
    }
  }
  return 0;
}

static int check_attr(check_state *st, const imsms_sdp_line *l) {
  imsms_sdp_vec n = l->name, v = l->attr_value;
  int rv;

  if (!l->has_value) {
    return needs_value(n) ? IMSMS_ERR_SDP_SYNTAX : 0;
  }
  if (imsms_sdp_vec_eq(n, IMSMS_SDP_A_KEY_MGMT)) {
    return check_key_mgmt(st, v);
  }
  if (imsms_sdp_vec_eq(n, IMSMS_SDP_A_CRYPTO)) {
    if (l->level == 0 || st->proto == IMSMS_SDP_PROTO_TCP_MSRP ||
        st->proto == IMSMS_SDP_PROTO_TCP_TLS_MSRP ||
        st->proto == IMSMS_SDP_PROTO_UDP_TLS_RTP_SAVP) {
      return IMSMS_ERR_SDP_CONFLICT;
    }
    return check_crypto(st, v, 1);
  }
  if (imsms_sdp_vec_eq(n, IMSMS_SDP_A_3GE2AE)) {
    if (l->level == 0) {
      return IMSMS_ERR_SDP_CONFLICT;
    }
    if ((rv = imsms_sdp_3ge2ae_parse(v.base, v.len)) < 0) {
      return rv;
    }
    if (st->seen_3ge2ae++) {
      return IMSMS_ERR_SDP_DUPLICATE;
    }
    return 0;
  }
  if (imsms_sdp_vec_eq(n, IMSMS_SDP_A_SETUP)) {
    if ((rv = imsms_sdp_setup_parse(v.base, v.len)) < 0) {
      return rv;
    }
    return st->seen_setup++ ? IMSMS_ERR_SDP_DUPLICATE : 0;
  }
  if (imsms_sdp_vec_eq(n, IMSMS_SDP_A_FINGERPRINT)) {
    imsms_sdp_fingerprint fp;

    return imsms_sdp_fingerprint_parse(&fp, v.base, v.len);
  }
  if (imsms_sdp_vec_eq(n, IMSMS_SDP_A_TCAP)) {
    return check_tcap(st, l);
  }
  if (imsms_sdp_vec_eq(n, IMSMS_SDP_A_ACAP)) {
    return check_acap(st, l);
  }
  if (imsms_sdp_vec_eq(n, IMSMS_SDP_A_PCFG)) {
    return check_pcfg(st, l);
  }
  if (imsms_sdp_vec_eq(n, IMSMS_SDP_A_ACFG)) {
    imsms_sdp_cfg cfg;

    if (l->level == 0) {
      return IMSMS_ERR_SDP_CONFLICT;
    }
    if ((rv = imsms_sdp_cfg_parse(&cfg, v.base, v.len, 1)) != 0) {
      return rv;
    }
    return st->seen_acfg++ ? IMSMS_ERR_SDP_DUPLICATE : 0;
  }
  return 0;
}

/* Capability |num| is defined at the session level or at |level|. */
static int cap_defined(const cap_range *caps, size_t n, uint32_t num,
                       size_t level) {
  size_t i;

  for (i = 0; i < n; i++) {
    if ((caps[i].level == 0 || caps[i].level == level) &&
        num >= caps[i].first && num - caps[i].first < caps[i].count) {
      return 1;
    }
  }
  return 0;
}

/* Second pass: every number an a=pcfg names exists where it may. */
static int check_refs(const check_state *st, const char *sdp, size_t sdplen) {
  imsms_sdp_iter it;
  imsms_sdp_line l;
  imsms_sdp_cfg cfg;
  size_t i, j;
  int rv;

  if ((rv = imsms_sdp_iter_init(&it, sdp, sdplen)) != 0) {
    return rv;
  }
  while ((rv = imsms_sdp_attr_next(&it, IMSMS_SDP_LEVEL_ANY,
                                   IMSMS_SDP_A_PCFG, 4, &l)) == 0) {
    if ((rv = imsms_sdp_cfg_parse(&cfg, l.attr_value.base, l.attr_value.len,
                                  0)) != 0) {
      return rv;
    }
    for (i = 0; i < cfg.ntcaps; i++) {
      if (!cap_defined(st->tcaps, st->ntcaps, cfg.tcaps[i], l.level)) {
        return IMSMS_ERR_SDP_CONFLICT;
      }
    }
    for (i = 0; i < cfg.nalts; i++) {
      for (j = 0; j < cfg.alts[i].ncaps; j++) {
        if (!cap_defined(st->acaps, st->nacaps, cfg.alts[i].caps[j],
                         l.level)) {
          return IMSMS_ERR_SDP_CONFLICT;
        }
      }
    }
  }
  return rv == IMSMS_ERR_EOF ? 0 : rv;
}

/* see imsmediasec/sdp.h */
imsms_ssize imsms_sdp_check(const char *sdp, size_t sdplen) {
  check_state st;
  imsms_sdp_iter it;
  imsms_sdp_line l;
  int rv;

  memset(&st, 0, sizeof(st));
  if ((rv = imsms_sdp_iter_init(&it, sdp, sdplen)) != 0) {
    return rv;
  }
  new_level(&st, IMSMS_SDP_PROTO_OTHER);
  while ((rv = imsms_sdp_iter_next(&it, &l)) == 0) {
    if (l.type == 'm') {
      new_level(&st, l.m.proto);
    } else if (l.type == 'a' && (rv = check_attr(&st, &l)) != 0) {
      return rv;
    }
  }
  if (rv != IMSMS_ERR_EOF) {
    return rv;
  }
  if ((rv = check_refs(&st, sdp, sdplen)) != 0) {
    return rv;
  }
  return (imsms_ssize)it.level;
}
