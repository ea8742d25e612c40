/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The answerer: imsms_sdp_answer_select() picks a mode per media line
 * from the offer and the policy; imsms_sdp_answer() writes the answer
 * from those choices and the answerer's material.
 *
 * Choices: the most preferred mode wins over the offerer's order of
 * configurations (a potential configuration with E2E_KMS beats an actual
 * one with SDES); among configurations with the same best mode, the
 * offerer's order decides. A tampered actual configuration refuses the
 * line whatever else it offers, since the offer as a whole was altered.
 */
#include "sdp/nego_int.h"

#define CRYPTO_MAX 4096

typedef struct pick {
  const imsms_sdp_policy *pol;
  unsigned set;
  int best;
  int suite_refused;
  imsms_sdp_result *r;
} pick;

static int top_mode(unsigned set) {
  int m;

  for (m = IMSMS_SDP_MODE_E2E_KMS; m >= 0; m--) {
    if (set & IMSMS_SDP_MODE_BIT(m)) {
      return m;
    }
  }
  return -1;
}

/* The first a=crypto of |c| whose suite the policy accepts. */
static int pick_crypto(const pick *p, const nego_cfg *c, size_t *idx,
                       uint32_t *tag, int *suite) {
  size_t i;

  for (i = 0; i < c->ncrypto; i++) {
    if (imsms_nego_crypto_id(c->crypto[i], tag, suite) == 0 &&
        imsms_nego_suite_ok(p->pol, *suite)) {
      *idx = i;
      return 1;
    }
  }
  return 0;
}

static int take(pick *p, const nego_cfg *c, int mode, size_t ci,
                uint32_t tag, int suite) {
  imsms_sdp_result *r = p->r;
  const imsms_sdp_key_mgmt *km = imsms_nego_mikey(c);
  int rv = 0;

  p->best = mode;
  r->mode = mode;
  r->pcfg = c->pcfg;
  r->tcap = c->tcap;
  memcpy(r->acaps, c->caps, c->ncaps * sizeof(*c->caps));
  r->nacaps = c->ncaps;
  r->del = c->del;
  r->proto = c->proto;
  memset(&r->key_mgmt, 0, sizeof(r->key_mgmt));
  memset(&r->crypto, 0, sizeof(r->crypto));
  memset(r->ids, 0, sizeof(r->ids));
  r->crypto_tag = 0;
  r->suite = 0;
  if (mode == IMSMS_SDP_MODE_E2E_KMS && km != NULL) {
    r->key_mgmt = km->data;
    rv = imsms_nego_ids(c, r->ids, sizeof(r->ids));
  } else if (mode == IMSMS_SDP_MODE_E2AE || mode == IMSMS_SDP_MODE_E2E_SDES) {
    if (r->kind == IMSMS_SDP_KIND_RTP) {
      r->crypto = c->crypto[ci];
      r->crypto_tag = tag;
      r->suite = suite;
    }
  }
  return rv;
}

static int visit(const nego_cfg *c, void *arg) {
  pick *p = arg;
  unsigned ok = c->modes & p->set;
  unsigned sdes = IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2AE) |
                  IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2E_SDES);
  char ids[IMSMS_SDP_IDS_MAX];
  uint32_t tag = 0;
  size_t ci = 0;
  int suite = 0, mode;

  p->r->offered |= c->modes;
  if ((ok & sdes) && p->r->kind == IMSMS_SDP_KIND_RTP &&
      !pick_crypto(p, c, &ci, &tag, &suite)) {
    ok &= ~sdes;
    p->suite_refused = 1;
  }
  /* A protocol list the result cannot hold cannot be checked against
   * the TRANSFER_INIT: that configuration is not taken for e2e. */
  if ((ok & IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2E_KMS)) &&
      imsms_nego_ids(c, ids, sizeof(ids)) != 0) {
    ok &= ~IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2E_KMS);
  }
  mode = top_mode(ok);
  return mode > p->best ? take(p, c, mode, ci, tag, suite) : 0;
}

static int refusal(const pick *p) {
  if (p->set == 0) {
    return IMSMS_SDP_REASON_POLICY;
  }
  if (p->set == IMSMS_SDP_POLICY_REQUIRE_E2E) {
    return IMSMS_SDP_REASON_E2E_REQUIRED;
  }
  return p->suite_refused ? IMSMS_SDP_REASON_NO_SUITE
                          : IMSMS_SDP_REASON_NO_COMMON_MODE;
}

static int select_media(const nego_body *b, const nego_media *m,
                        const imsms_sdp_policy *pol, imsms_sdp_result *r) {
  nego_cfg actual;
  pick p;
  int rv;

  imsms_nego_result_init(r, m);
  if (m->kind == IMSMS_SDP_KIND_OTHER) {
    r->reason = IMSMS_SDP_REASON_UNMANAGED;
    return 0;
  }
  memset(&p, 0, sizeof(p));
  p.pol = pol;
  p.set = imsms_nego_policy_for(pol, m);
  p.best = -1;
  p.r = r;
  if ((rv = imsms_nego_cfg_each(b, m, visit, &p)) != 0) {
    return rv;
  }
  imsms_nego_cfg_actual(b, m, &actual);
  if (m->m.port == 0 || actual.tampered || p.best < 0) {
    unsigned offered = r->offered;

    imsms_nego_result_init(r, m);
    r->offered = offered;
    r->reason = m->m.port == 0 ? IMSMS_SDP_REASON_PORT_ZERO
                : actual.tampered ? IMSMS_SDP_REASON_DOWNGRADE
                                  : refusal(&p);
  }
  return 0;
}

/* see imsmediasec/sdp_nego.h */
imsms_ssize imsms_sdp_answer_select(const char *offer, size_t offerlen,
                                    const imsms_sdp_policy *pol,
                                    imsms_sdp_result *res, size_t rescap,
                                    size_t *nres) {
  imsms_sdp_result r;
  nego_media m;
  nego_body b;
  int rv;

  if (nres == NULL || (res == NULL && rescap != 0) ||
      imsms_nego_policy_check(pol) != 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  *nres = 0;
  if ((rv = imsms_nego_body_init(&b, offer, offerlen)) != 0) {
    return rv;
  }
  while ((rv = imsms_nego_media_next(&b, &m)) == 0) {
    if ((rv = select_media(&b, &m, pol, &r)) != 0) {
      return rv;
    }
    if (m.level <= rescap) {
      res[m.level - 1] = r;
    }
  }
  if (rv != IMSMS_ERR_EOF) {
    return rv;
  }
  *nres = b.nmedia;
  return b.nmedia > rescap ? IMSMS_ERR_NOBUF : (imsms_ssize)b.nmedia;
}

/* ---- Writing the answer --------------------------------------------- */

/* Longest a=acfg value: a number, " t=" and one, " a=-ms:" and
 * IMSMS_SDP_CFG_MAX_CAPS numbers of up to 10 digits with commas. */
#define ACFG_MAX (3 * 11 + 7 + IMSMS_SDP_CFG_MAX_CAPS * 11)

typedef struct answer_plan {
  const imsms_sdp_result *r;
  const imsms_sdp_media_keys *keys;
  const uint8_t *mikey;
  size_t mikeylen;
} answer_plan;

static imsms_ssize format_acfg(char *out, size_t cap,
                               const imsms_sdp_result *r);

static void put_block(imsms_sdp_w *w, const void *arg, imsms_sdp_vec eol) {
  const answer_plan *p = arg;
  const imsms_sdp_result *r = p->r;
  char buf[CRYPTO_MAX];
  imsms_ssize n;

  if (r->mode == IMSMS_SDP_MODE_E2E_KMS && p->mikey != NULL) {
    imsms_sdp_w_str(w, "a=key-mgmt:mikey ");
    imsms_nego_put_b64(w, p->mikey, p->mikeylen);
    imsms_sdp_w_put(w, eol.base, eol.len);
  } else if (r->kind == IMSMS_SDP_KIND_RTP &&
             r->mode != IMSMS_SDP_MODE_NONE &&
             r->mode != IMSMS_SDP_MODE_E2E_KMS) {
    imsms_sdp_w_str(w, "a=crypto:");
    n = imsms_sdes_format(buf, sizeof(buf), &p->keys->crypto[0]);
    if (n > 0) {
      imsms_sdp_w_put(w, buf, (size_t)n);
    }
    imsms_secure_clear(buf, sizeof(buf));
    imsms_sdp_w_put(w, eol.base, eol.len);
  } else if (r->kind == IMSMS_SDP_KIND_MSRP &&
             r->mode == IMSMS_SDP_MODE_E2AE) {
    imsms_sdp_w_str(w, "a=fingerprint:");
    imsms_sdp_w_put(w, p->keys->fingerprint, p->keys->fingerprint_len);
    imsms_sdp_w_put(w, eol.base, eol.len);
  }
  /* Checked by plan_media(): it cannot fail here. */
  if (r->pcfg != 0 && (n = format_acfg(buf, sizeof(buf), r)) > 0) {
    imsms_sdp_w_str(w, "a=acfg:");
    imsms_sdp_w_put(w, buf, (size_t)n);
    imsms_sdp_w_put(w, eol.base, eol.len);
  }
}

/* The a=acfg value naming the potential configuration |r| chose:
 * its length, 0 when |r| chose the actual one, or an error. */
static imsms_ssize format_acfg(char *out, size_t cap,
                               const imsms_sdp_result *r) {
  imsms_sdp_cfg cfg;
  imsms_ssize n;

  if (r->pcfg == 0) {
    return r->tcap != 0 || r->nacaps != 0 || r->del != 0
               ? IMSMS_ERR_INVALID_ARGUMENT
               : 0;
  }
  if (r->nacaps > IMSMS_SDP_CFG_MAX_CAPS) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memset(&cfg, 0, sizeof(cfg));
  cfg.num = r->pcfg;
  cfg.del = r->del;
  cfg.has_attr = r->nacaps != 0 || r->del != 0;
  if (r->nacaps != 0) {
    memcpy(cfg.alts[0].caps, r->acaps, r->nacaps * sizeof(*r->acaps));
    cfg.alts[0].ncaps = cfg.alts[0].nmandatory = r->nacaps;
    cfg.nalts = 1;
  }
  cfg.tcaps[0] = r->tcap;
  cfg.ntcaps = r->tcap != 0;
  n = imsms_sdp_cfg_format(out, cap, &cfg, 1);
  return n == IMSMS_ERR_NOBUF ? IMSMS_ERR_INVALID_ARGUMENT : n;
}

/* A result the caller may have changed still makes sense: a known mode
 * of the line's kind on a profile that carries it. */
static int check_result(const imsms_sdp_result *r, const nego_media *m) {
  int secure = imsms_nego_is_secure(r->proto);

  if (r->level != m->level || r->kind != m->kind ||
      r->mode < -1 || r->mode > IMSMS_SDP_MODE_E2E_KMS) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (m->kind == IMSMS_SDP_KIND_OTHER || r->mode < 0) {
    return 0;
  }
  if (imsms_nego_kind(r->proto) != m->kind ||
      secure != (r->mode != IMSMS_SDP_MODE_NONE) ||
      (m->kind == IMSMS_SDP_KIND_MSRP &&
       r->mode == IMSMS_SDP_MODE_E2E_SDES)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  return 0;
}

/* The material |r| needs is there and matches the choice. */
static int check_material(const imsms_sdp_result *r,
                          const imsms_sdp_media_keys *k) {
  char buf[CRYPTO_MAX];
  imsms_ssize n;

  if (r->kind == IMSMS_SDP_KIND_RTP && (r->mode == IMSMS_SDP_MODE_E2AE ||
                                        r->mode == IMSMS_SDP_MODE_E2E_SDES)) {
    if (k == NULL || k->ncrypto != 1 || k->crypto == NULL ||
        k->crypto[0].tag != r->crypto_tag || k->crypto[0].suite != r->suite) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
    n = imsms_sdes_format(buf, sizeof(buf), &k->crypto[0]);
    imsms_secure_clear(buf, sizeof(buf));
    return n < 0 ? (int)n : 0;
  }
  if (r->kind == IMSMS_SDP_KIND_MSRP && r->mode == IMSMS_SDP_MODE_E2AE) {
    if (k == NULL || k->fingerprint == NULL) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
    return imsms_nego_fingerprint_check(k->fingerprint, k->fingerprint_len);
  }
  return 0;
}

typedef struct answer_state {
  imsms_sdp_edit edits[2 * IMSMS_SDP_MAX_MEDIA];
  imsms_sdp_block blocks[2 * IMSMS_SDP_MAX_MEDIA];
  answer_plan plans[IMSMS_SDP_MAX_MEDIA];
  size_t nedits;
} answer_state;

static void add_edit(answer_state *st, int kind, size_t level,
                     const char *text, size_t len) {
  imsms_sdp_edit *e = &st->edits[st->nedits++];

  memset(e, 0, sizeof(*e));
  e->kind = kind;
  e->level = level;
  e->text = text;
  e->text_len = len;
}

static int plan_media(answer_state *st, const nego_media *m,
                      const imsms_sdp_result *r,
                      const imsms_sdp_media_keys *k, const uint8_t *mikey,
                      size_t mikeylen) {
  answer_plan *p = &st->plans[m->level - 1];
  char acfg[ACFG_MAX];
  const char *proto;
  imsms_ssize n;
  int rv;

  if ((rv = check_result(r, m)) != 0) {
    return rv;
  }
  if (m->kind == IMSMS_SDP_KIND_OTHER) {
    return 0;
  }
  if (r->mode < 0) {
    add_edit(st, IMSMS_SDP_EDIT_SET_PORT, m->level, "0", 1);
    return 0;
  }
  if ((rv = check_material(r, k)) != 0) {
    return rv;
  }
  if ((n = format_acfg(acfg, sizeof(acfg), r)) < 0) {
    return (int)n;
  }
  proto = imsms_sdp_proto_str(r->proto);
  add_edit(st, IMSMS_SDP_EDIT_SET_PROTO, m->level, proto, strlen(proto));
  p->r = r;
  p->keys = k;
  p->mikey = mikey;
  p->mikeylen = mikeylen;
  st->blocks[st->nedits].fn = put_block;
  st->blocks[st->nedits].arg = p;
  add_edit(st, IMSMS_SDP_EDIT_INT_BLOCK, m->level, NULL, 0);
  return 0;
}

static const imsms_sdp_media_keys *
keys_at(const imsms_sdp_media_keys *keys, size_t nkeys, size_t level) {
  size_t i;

  for (i = 0; i < nkeys; i++) {
    if (keys[i].level == level) {
      return &keys[i];
    }
  }
  return NULL;
}

/* see imsmediasec/sdp_nego.h */
imsms_ssize imsms_sdp_answer(char *out, size_t outcap, const char *sdp,
                             size_t sdplen, const imsms_sdp_result *res,
                             size_t nres, const uint8_t *mikey,
                             size_t mikeylen,
                             const imsms_sdp_media_keys *keys, size_t nkeys) {
  answer_state st;
  nego_media m;
  nego_body b;
  imsms_ssize n;
  int rv;

  if (res == NULL || (mikey == NULL && mikeylen != 0) ||
      (keys == NULL && nkeys != 0)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if ((rv = imsms_nego_body_init(&b, sdp, sdplen)) != 0) {
    return rv;
  }
  if (b.nmedia != nres) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (b.owned) {
    return IMSMS_ERR_SDP_CONFLICT;
  }
  memset(&st, 0, sizeof(st));
  while ((rv = imsms_nego_media_next(&b, &m)) == 0) {
    if (m.owned) {
      return IMSMS_ERR_SDP_CONFLICT;
    }
    rv = plan_media(&st, &m, &res[m.level - 1],
                    keys_at(keys, nkeys, m.level), mikey, mikeylen);
    if (rv != 0) {
      return rv;
    }
  }
  if (rv != IMSMS_ERR_EOF) {
    return rv;
  }
  n = imsms_sdp_edit_apply_int(out, outcap, sdp, sdplen, st.edits, st.nedits,
                               NULL, st.blocks);
  return n;
}
