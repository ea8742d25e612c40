/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * imsms_sdp_answer_read(): the offerer checks the answer against its own
 * offer and policy. An answer says its choice with its actual
 * configuration (RFC 5939 3.6.2: the chosen potential configuration
 * becomes the answer's actual one, named by a=acfg). The offerer cannot
 * tell an access edge's a=crypto from the peer's, so SDES in answer to
 * an offer that requested e2ae counts as E2AE.
 */
#include "sdp/nego_int.h"

/* What the offer carried on one line, in the configurations that
 * |want| names (every one when NULL). */
typedef struct offered {
  const imsms_sdp_cfg *want;
  int found;
  unsigned modes;
  uint32_t tags[NEGO_MAX_CRYPTO];
  int suites[NEGO_MAX_CRYPTO];
  size_t ntags;
  unsigned protos; /* 1 << imsms_sdp_proto of the configurations */
} offered;

/* |c| is the potential configuration an a=acfg selects: same number,
 * transport and delete flags, every mandatory capability and only
 * capabilities of |c| (the optional ones may be left out, RFC 5939
 * 3.5.2). */
static int has_cap(const uint32_t *caps, size_t n, uint32_t cap) {
  size_t i;

  for (i = 0; i < n; i++) {
    if (caps[i] == cap) {
      return 1;
    }
  }
  return 0;
}

static int selects(const imsms_sdp_cfg *acfg, const nego_cfg *c) {
  const uint32_t *caps = acfg->alts[0].caps;
  size_t n = acfg->nalts != 0 ? acfg->alts[0].ncaps : 0, i;

  if (c->pcfg != acfg->num || c->del != acfg->del ||
      c->tcap != (acfg->ntcaps != 0 ? acfg->tcaps[0] : 0)) {
    return 0;
  }
  for (i = 0; i < n; i++) {
    if (!has_cap(c->caps, c->ncaps, caps[i])) {
      return 0;
    }
  }
  for (i = 0; i < c->nmandatory; i++) {
    if (!has_cap(caps, n, c->caps[i])) {
      return 0;
    }
  }
  return 1;
}

static int collect(const nego_cfg *c, void *arg) {
  offered *o = arg;
  uint32_t tag;
  int suite;
  size_t i;

  if (o->want != NULL && !selects(o->want, c)) {
    return 0;
  }
  o->found = 1;
  o->modes |= c->modes;
  if (c->proto >= 0 && c->proto < 32) {
    o->protos |= 1u << c->proto;
  }
  for (i = 0; i < c->ncrypto && o->ntags < NEGO_MAX_CRYPTO; i++) {
    if (imsms_nego_crypto_id(c->crypto[i], &tag, &suite) == 0) {
      o->tags[o->ntags] = tag;
      o->suites[o->ntags++] = suite;
    }
  }
  return 0;
}

static int tag_offered(const offered *o, uint32_t tag, int suite) {
  size_t i;

  for (i = 0; i < o->ntags; i++) {
    if (o->tags[i] == tag && o->suites[i] == suite) {
      return 1;
    }
  }
  return 0;
}

/*
 * What the offer carried in the configuration the answer chose: the one
 * its a=acfg names, or without a=acfg the actual one (RFC 5939 3.6.2: an
 * answerer that takes a potential configuration says so). Returns 0 (an
 * a=acfg naming nothing offered sets |*reason| to BAD_ANSWER) or an
 * error.
 */
static int chosen(const nego_body *ob, const nego_media *om,
                  const nego_media *am, imsms_sdp_result *r, offered *sel,
                  int *reason) {
  imsms_sdp_cfg acfg;
  nego_cfg c;
  int rv;

  memset(sel, 0, sizeof(*sel));
  if (!am->has_acfg) {
    imsms_nego_cfg_actual(ob, om, &c);
    return collect(&c, sel);
  }
  if (imsms_sdp_cfg_parse(&acfg, am->acfg.base, am->acfg.len, 1) != 0) {
    *reason = IMSMS_SDP_REASON_BAD_ANSWER;
    return 0;
  }
  sel->want = &acfg;
  if ((rv = imsms_nego_cfg_each(ob, om, collect, sel)) != 0) {
    return rv;
  }
  sel->want = NULL;
  if (!sel->found) {
    *reason = IMSMS_SDP_REASON_BAD_ANSWER;
    return 0;
  }
  r->pcfg = acfg.num;
  r->tcap = acfg.ntcaps != 0 ? acfg.tcaps[0] : 0;
  r->nacaps = acfg.nalts != 0 ? acfg.alts[0].ncaps : 0;
  memcpy(r->acaps, acfg.alts[0].caps, r->nacaps * sizeof(*r->acaps));
  r->del = acfg.del;
  return 0;
}

/* The mode of the answer's line, or -1 with |*reason|. An answer with
 * the attributes of two modes at once (a=key-mgmt with a=crypto or an
 * e2ae a=3ge2ae) is no answer this side can read. */
static int answer_mode(const nego_cfg *c, const offered *o,
                       imsms_sdp_result *r, int *reason) {
  const imsms_sdp_key_mgmt *km = imsms_nego_mikey(c);
  int e2ae = (o->modes & IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2AE)) != 0;
  int sdes = c->ncrypto != 0 || imsms_nego_e2ae_on(c);
  int msrp_fp = r->kind == IMSMS_SDP_KIND_MSRP && c->media_fp;

  *reason = IMSMS_SDP_REASON_BAD_ANSWER;
  if (c->tampered) {
    *reason = IMSMS_SDP_REASON_DOWNGRADE;
    return -1;
  }
  if (!imsms_nego_is_secure(c->proto)) {
    return IMSMS_SDP_MODE_NONE;
  }
  if (km != NULL) {
    if (sdes) {
      return -1;
    }
    r->key_mgmt = km->data;
    return IMSMS_SDP_MODE_E2E_KMS;
  }
  if (!sdes && !msrp_fp) {
    /* TRANSFER_INIT without the F flag has no TRANSFER_RESP (RFC 6043
     * 5.3.1), so the answer carries no a=key-mgmt; whether the flag was
     * clear is for the call to check. */
    return (o->modes & IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2E_KMS))
               ? IMSMS_SDP_MODE_E2E_KMS
               : -1;
  }
  if (r->kind == IMSMS_SDP_KIND_RTP && c->ncrypto != 0) {
    if (c->ncrypto != 1 ||
        imsms_nego_crypto_id(c->crypto[0], &r->crypto_tag, &r->suite) != 0 ||
        !tag_offered(o, r->crypto_tag, r->suite)) {
      return -1;
    }
    r->crypto = c->crypto[0];
    return e2ae ? IMSMS_SDP_MODE_E2AE : IMSMS_SDP_MODE_E2E_SDES;
  }
  /* The answer's own fingerprint, not a session-level one for others. */
  return msrp_fp && e2ae ? IMSMS_SDP_MODE_E2AE : -1;
}

static int lowest(unsigned set) {
  int m;

  for (m = 0; m <= IMSMS_SDP_MODE_E2E_KMS; m++) {
    if (set & IMSMS_SDP_MODE_BIT(m)) {
      return m;
    }
  }
  return IMSMS_SDP_MODE_E2E_KMS + 1;
}

/* A refused line keeps nothing of the answer's choice. */
static void refuse(imsms_sdp_result *r, int reason) {
  unsigned modes = r->offered;
  int proto = r->proto;
  size_t level = r->level;
  int kind = r->kind;

  memset(r, 0, sizeof(*r));
  r->level = level;
  r->kind = kind;
  r->offered = modes;
  r->proto = proto;
  r->mode = -1;
  r->reason = reason;
}

/* Judges the answer's mode against the configuration it chose, the
 * whole offer and the policy. */
static void judge(imsms_sdp_result *r, int mode, const imsms_sdp_policy *pol,
                  unsigned set, const offered *sel) {
  int sdes = mode == IMSMS_SDP_MODE_E2AE || mode == IMSMS_SDP_MODE_E2E_SDES;

  if (!(sel->modes & IMSMS_SDP_MODE_BIT(mode))) {
    r->reason = mode < lowest(r->offered) ? IMSMS_SDP_REASON_DOWNGRADE
                                          : IMSMS_SDP_REASON_BAD_ANSWER;
  } else if (r->proto < 0 || r->proto >= 32 ||
             !(sel->protos & (1u << r->proto))) {
    /* RFC 3264 6: the answer keeps the transport of what it chose. */
    r->reason = IMSMS_SDP_REASON_BAD_ANSWER;
  } else if (!(set & IMSMS_SDP_MODE_BIT(mode))) {
    r->reason = set == IMSMS_SDP_POLICY_REQUIRE_E2E
                    ? IMSMS_SDP_REASON_E2E_REQUIRED
                    : IMSMS_SDP_REASON_NO_COMMON_MODE;
  } else if (sdes && r->kind == IMSMS_SDP_KIND_RTP &&
             !imsms_nego_suite_ok(pol, r->suite)) {
    r->reason = IMSMS_SDP_REASON_NO_SUITE;
  } else {
    r->mode = mode;
    r->reason = IMSMS_SDP_REASON_ANSWERED;
    return;
  }
  refuse(r, r->reason);
}

static int read_media(const nego_body *ob, const nego_media *om,
                      const nego_body *ab, const nego_media *am,
                      const imsms_sdp_policy *pol, imsms_sdp_result *r) {
  offered all, sel;
  nego_cfg c;
  int mode, reason = -1, rv;

  imsms_nego_result_init(r, am);
  memset(&all, 0, sizeof(all));
  if ((rv = imsms_nego_cfg_each(ob, om, collect, &all)) != 0) {
    return rv;
  }
  r->offered = all.modes;
  if (om->kind != am->kind) {
    r->reason = IMSMS_SDP_REASON_BAD_ANSWER;
    return 0;
  }
  if (am->kind == IMSMS_SDP_KIND_OTHER) {
    r->reason = IMSMS_SDP_REASON_UNMANAGED;
    return 0;
  }
  if (am->m.port == 0 || om->m.port == 0) {
    r->reason = IMSMS_SDP_REASON_PORT_ZERO;
    return 0;
  }
  if ((rv = chosen(ob, om, am, r, &sel, &reason)) != 0) {
    return rv;
  }
  imsms_nego_cfg_actual(ab, am, &c);
  mode = reason < 0 ? answer_mode(&c, &sel, r, &reason) : -1;
  if (mode < 0) {
    refuse(r, reason);
    return 0;
  }
  judge(r, mode, pol, imsms_nego_policy_for(pol, om), &sel);
  return 0;
}

/* see imsmediasec/sdp_nego.h */
imsms_ssize imsms_sdp_answer_read(const char *offer, size_t offerlen,
                                  const char *answer, size_t answerlen,
                                  const imsms_sdp_policy *pol,
                                  imsms_sdp_result *res, size_t rescap,
                                  size_t *nres) {
  nego_body ob, ab;
  nego_media om, am;
  imsms_sdp_result r;
  int rv, rv2;

  if (nres == NULL || (res == NULL && rescap != 0) ||
      imsms_nego_policy_check(pol) != 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  *nres = 0;
  if ((rv = imsms_nego_body_init(&ob, offer, offerlen)) != 0 ||
      (rv = imsms_nego_body_init(&ab, answer, answerlen)) != 0) {
    return rv;
  }
  if (ob.nmedia != ab.nmedia) {
    return IMSMS_ERR_SDP_CONFLICT;
  }
  for (;;) {
    rv = imsms_nego_media_next(&ob, &om);
    rv2 = imsms_nego_media_next(&ab, &am);
    if (rv != 0 || rv2 != 0) {
      break;
    }
    if ((rv = read_media(&ob, &om, &ab, &am, pol, &r)) != 0) {
      return rv;
    }
    if (am.level <= rescap) {
      res[am.level - 1] = r;
    }
  }
  if (rv != IMSMS_ERR_EOF || rv2 != IMSMS_ERR_EOF) {
    return rv != IMSMS_ERR_EOF ? rv : rv2;
  }
  *nres = ab.nmedia;
  return ab.nmedia > rescap ? IMSMS_ERR_NOBUF : (imsms_ssize)ab.nmedia;
}
