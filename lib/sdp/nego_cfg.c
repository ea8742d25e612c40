/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The configurations of a media section and the security modes each
 * carries. RFC 5939 3.6.2: the answerer tries the potential
 * configurations in preference order (lower a=pcfg numbers first), each
 * attribute alternative and transport alternative in the order written,
 * and falls back to the actual configuration.
 *
 * A potential configuration's attribute capabilities come before the
 * line's own attributes, in the order the configuration lists them (RFC
 * 5939 3.6.2), so the protocol list of a=key-mgmt lines follows that
 * order too.
 *
 * Mode rules (the same for offers and answers, see sdp_nego.h): a plain
 * profile carries NONE, unless a media-level a=key-mgmt, any a=crypto,
 * an a=3ge2ae that asks for or reports e2ae, or (MSRP) a media-level
 * a=fingerprint comes with it, which no honest offerer writes (RFC 4568
 * 5.1, RFC 4567 5.2; the access edge removes a=3ge2ae when it rewrites
 * the profile): such a configuration is "tampered" and carries nothing.
 * A secure profile carries E2E_KMS with an applying a=key-mgmt:mikey; on
 * RTP, E2AE with a=crypto and a=3ge2ae "requested" or "applied",
 * E2E_SDES with a=crypto and no such a=3ge2ae; on MSRP, E2AE with a
 * fingerprint and such an a=3ge2ae. Another a=3ge2ae token is ignored.
 */
#include "sdp/nego_int.h"

static const nego_acap *find_acap(const nego_body *b, size_t level,
                                  uint32_t num) {
  size_t i;

  for (i = 0; i < b->nacaps; i++) {
    if (b->acaps[i].num == num &&
        (b->acaps[i].level == 0 || b->acaps[i].level == level)) {
      return &b->acaps[i];
    }
  }
  return NULL;
}

static int find_tcap(const nego_body *b, size_t level, uint32_t num) {
  imsms_sdp_vec p;
  size_t i;

  for (i = 0; i < b->ntcaps; i++) {
    if ((b->tcaps[i].level == 0 || b->tcaps[i].level == level) &&
        imsms_sdp_tcap_proto(&b->tcaps[i].t, num, &p) == 0) {
      return imsms_sdp_proto_from_str(p.base, p.len);
    }
  }
  return IMSMS_SDP_PROTO_OTHER;
}

/* see sdp/nego_int.h */
const imsms_sdp_key_mgmt *imsms_nego_mikey(const nego_cfg *c) {
  size_t i;

  for (i = 0; i < c->nkm; i++) {
    if (imsms_sdp_vec_eq(c->km[i].prtcl_id, "mikey")) {
      return &c->km[i];
    }
  }
  return NULL;
}

static void add_cap(nego_cfg *c, const nego_acap *a) {
  imsms_sdp_vec n = a->name;

  if (imsms_sdp_vec_eq(n, IMSMS_SDP_A_KEY_MGMT) && a->level == 0) {
    if (c->nscap_km < IMSMS_SDP_CFG_MAX_CAPS &&
        imsms_sdp_key_mgmt_parse(&c->scap_km[c->nscap_km], a->value.base,
                                 a->value.len) == 0) {
      c->nscap_km++;
    }
  } else if (imsms_sdp_vec_eq(n, IMSMS_SDP_A_KEY_MGMT) &&
             c->nkm < NEGO_MAX_KM &&
             imsms_sdp_key_mgmt_parse(&c->km[c->nkm], a->value.base,
                                      a->value.len) == 0) {
    c->nkm++;
    c->media_km = 1;
  } else if (imsms_sdp_vec_eq(n, IMSMS_SDP_A_CRYPTO) &&
             c->ncrypto < NEGO_MAX_CRYPTO) {
    c->crypto[c->ncrypto++] = a->value;
  } else if (imsms_sdp_vec_eq(n, IMSMS_SDP_A_3GE2AE) && c->e2ae < 0) {
    c->e2ae = imsms_sdp_3ge2ae_parse(a->value.base, a->value.len);
  } else if (imsms_sdp_vec_eq(n, IMSMS_SDP_A_FINGERPRINT)) {
    c->fingerprint = 1;
    c->media_fp |= a->level != 0;
  }
}

/* The attributes of the actual configuration, as |del| leaves them,
 * after any added by capabilities. */
static void base_attrs(const nego_body *b, const nego_media *m, unsigned del,
                       nego_cfg *c) {
  size_t i;

  if (!(del & IMSMS_SDP_CFG_DEL_MEDIA)) {
    for (i = 0; i < m->nkm && c->nkm < NEGO_MAX_KM; i++) {
      c->km[c->nkm++] = m->km[i];
      c->media_km = 1;
    }
    for (i = 0; i < m->ncrypto && c->ncrypto < NEGO_MAX_CRYPTO; i++) {
      c->crypto[c->ncrypto++] = m->crypto[i];
    }
    if (c->e2ae < 0) {
      c->e2ae = m->e2ae;
    }
    c->fingerprint |= m->fingerprint;
    c->media_fp |= m->fingerprint;
  }
  if (!(del & IMSMS_SDP_CFG_DEL_SESSION)) {
    c->fingerprint |= b->sfingerprint;
  }
}

/* Session-level a=key-mgmt, those capabilities added first, applies
 * only to a secure profile without media-level ones (RFC 4567 3.1, 5.2;
 * RFC 5939 3.6.2). */
static void session_km(const nego_body *b, unsigned del, nego_cfg *c) {
  size_t i;

  if (c->nkm != 0 || !imsms_nego_is_secure(c->proto)) {
    return;
  }
  for (i = 0; i < c->nscap_km && c->nkm < NEGO_MAX_KM; i++) {
    c->km[c->nkm++] = c->scap_km[i];
  }
  for (i = 0; i < b->nskm && c->nkm < NEGO_MAX_KM &&
              !(del & IMSMS_SDP_CFG_DEL_SESSION);
       i++) {
    c->km[c->nkm++] = b->skm[i];
  }
}

/* see sdp/nego_int.h */
int imsms_nego_e2ae_on(const nego_cfg *c) {
  return c->e2ae == IMSMS_SDP_3GE2AE_REQUESTED ||
         c->e2ae == IMSMS_SDP_3GE2AE_APPLIED;
}

static void classify(const nego_media *m, nego_cfg *c) {
  int kind = imsms_nego_kind(c->proto);

  c->modes = 0;
  c->tampered = 0;
  if (kind != m->kind) {
    return; /* a transport capability of another kind: not ours */
  }
  if (!imsms_nego_is_secure(c->proto)) {
    c->tampered = c->media_km || c->ncrypto != 0 || imsms_nego_e2ae_on(c) ||
                  (kind == IMSMS_SDP_KIND_MSRP && c->media_fp);
    c->modes = c->tampered ? 0 : IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_NONE);
    return;
  }
  if (imsms_nego_mikey(c) != NULL) {
    c->modes |= IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2E_KMS);
  }
  if (kind == IMSMS_SDP_KIND_RTP && c->ncrypto != 0) {
    c->modes |= IMSMS_SDP_MODE_BIT(imsms_nego_e2ae_on(c)
                                       ? IMSMS_SDP_MODE_E2AE
                                       : IMSMS_SDP_MODE_E2E_SDES);
  }
  if (kind == IMSMS_SDP_KIND_MSRP && c->fingerprint && imsms_nego_e2ae_on(c)) {
    c->modes |= IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2AE);
  }
}

/* see sdp/nego_int.h */
int imsms_nego_cfg_actual(const nego_body *b, const nego_media *m,
                          nego_cfg *c) {
  memset(c, 0, sizeof(*c));
  c->proto = m->m.proto;
  c->e2ae = -1;
  base_attrs(b, m, 0, c);
  session_km(b, 0, c);
  classify(m, c);
  return 0;
}

/* One alternative of one potential configuration. */
static int visit_alt(const nego_body *b, const nego_media *m,
                     const imsms_sdp_cfg *pc, const imsms_sdp_cfg_alt *alt,
                     uint32_t tcap, nego_cfg *c,
                     int (*visit)(const nego_cfg *c, void *arg), void *arg) {
  size_t i;

  memset(c, 0, sizeof(*c));
  c->pcfg = pc->num;
  c->tcap = tcap;
  c->proto = tcap ? find_tcap(b, m->level, tcap) : m->m.proto;
  c->e2ae = -1;
  c->del = pc->del;
  c->nmandatory = alt != NULL ? alt->nmandatory : 0;
  for (i = 0; alt != NULL && i < alt->ncaps; i++) {
    const nego_acap *a = find_acap(b, m->level, alt->caps[i]);

    c->caps[c->ncaps++] = alt->caps[i];
    if (a != NULL) {
      add_cap(c, a);
    }
  }
  base_attrs(b, m, pc->del, c);
  session_km(b, pc->del, c);
  classify(m, c);
  return visit(c, arg);
}

static int visit_pcfg(const nego_body *b, const nego_media *m,
                      const imsms_sdp_cfg *pc, nego_cfg *c,
                      int (*visit)(const nego_cfg *c, void *arg), void *arg) {
  size_t ia, it, na = pc->nalts ? pc->nalts : 1, nt = pc->ntcaps ? pc->ntcaps : 1;
  int rv;

  for (ia = 0; ia < na; ia++) {
    for (it = 0; it < nt; it++) {
      rv = visit_alt(b, m, pc, pc->nalts ? &pc->alts[ia] : NULL,
                     pc->ntcaps ? pc->tcaps[it] : 0, c, visit, arg);
      if (rv != 0) {
        return rv;
      }
    }
  }
  return 0;
}

/* Indexes of the a=pcfg lines of |m| by increasing number. */
static int pcfg_order(const nego_media *m, size_t *order, uint32_t *nums) {
  imsms_sdp_cfg pc;
  size_t i, j;

  for (i = 0; i < m->npcfg; i++) {
    if (imsms_sdp_cfg_parse(&pc, m->pcfg[i].base, m->pcfg[i].len, 0) != 0) {
      return IMSMS_ERR_SDP_SYNTAX; /* imsms_sdp_check() let it through */
    }
    nums[i] = pc.num;
    for (j = i; j > 0 && nums[order[j - 1]] > pc.num; j--) {
      order[j] = order[j - 1];
    }
    order[j] = i;
  }
  return 0;
}

/* see sdp/nego_int.h */
int imsms_nego_cfg_each(const nego_body *b, const nego_media *m,
                        int (*visit)(const nego_cfg *c, void *arg),
                        void *arg) {
  size_t order[IMSMS_SDP_NEGO_MAX_PCFG], i;
  uint32_t nums[IMSMS_SDP_NEGO_MAX_PCFG];
  imsms_sdp_cfg pc;
  nego_cfg c;
  int rv;

  if ((rv = pcfg_order(m, order, nums)) != 0) {
    return rv;
  }
  for (i = 0; i < m->npcfg; i++) {
    const imsms_sdp_vec *v = &m->pcfg[order[i]];

    if (imsms_sdp_cfg_parse(&pc, v->base, v->len, 0) != 0) {
      return IMSMS_ERR_SDP_SYNTAX;
    }
    if ((rv = visit_pcfg(b, m, &pc, &c, visit, arg)) != 0) {
      return rv;
    }
  }
  imsms_nego_cfg_actual(b, m, &c);
  return visit(&c, arg);
}

/* see sdp/nego_int.h */
int imsms_nego_ids(const nego_cfg *c, char *out, size_t cap) {
  imsms_sdp_w w = {out, cap, 0};
  size_t i;

  for (i = 0; i < c->nkm; i++) {
    if (i) {
      imsms_sdp_w_put(&w, ";", 1);
    }
    imsms_sdp_w_put(&w, c->km[i].prtcl_id.base, c->km[i].prtcl_id.len);
  }
  if (w.len >= cap) {
    memset(out, 0, cap);
    return IMSMS_ERR_TOO_LARGE;
  }
  out[w.len] = '\0';
  return 0;
}

/* see sdp/nego_int.h */
int imsms_nego_crypto_id(imsms_sdp_vec v, uint32_t *tag, int *suite) {
  imsms_sdes_crypto c;
  int rv = imsms_sdp_sdes_parse(&c, v);

  if (rv == 0) {
    *tag = c.tag;
    *suite = c.suite;
  }
  imsms_secure_clear(&c, sizeof(c));
  return rv;
}

/* see sdp/nego_int.h */
int imsms_nego_fingerprint_check(const char *fp, size_t len) {
  imsms_sdp_fingerprint f;

  return imsms_sdp_fingerprint_parse(&f, fp, len);
}

/* see sdp/nego_int.h */
void imsms_nego_result_init(imsms_sdp_result *r, const nego_media *m) {
  memset(r, 0, sizeof(*r));
  r->level = m->level;
  r->kind = m->kind;
  r->mode = -1;
  r->proto = m->m.proto;
}
