/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * imsms_sdp_offer(): the offerer's media attributes from its policy and
 * material. A line offers every accepted mode its material allows. With
 * NONE among them it becomes an RFC 5939 "SRTP with RTP fallback" offer:
 * the actual configuration is the plain profile, and each secure mode is
 * a potential configuration (a=tcap, a=acap, a=pcfg) in preference
 * order, the most secure with the lowest number. The lines are written
 * by blocks straight into the output (keys never sit in a scratch copy
 * of the body); everything that could fail is checked before.
 */
#include "sdp/nego_int.h"

/* Longest a=crypto value imsms_sdes_format() writes. */
#define CRYPTO_MAX 4096

typedef struct offer_plan {
  int kind;
  unsigned modes;
  int capneg;
  int session_km; /* the key-mgmt is at the session level */
  int secure_proto;
  uint32_t tcap;  /* capneg: the a=tcap number */
  uint32_t acap0; /* capneg: the first a=acap number */
  const imsms_sdp_media_keys *keys;
  const uint8_t *mikey;
  size_t mikeylen;
} offer_plan;

static int has(unsigned set, int mode) {
  return (set & IMSMS_SDP_MODE_BIT(mode)) != 0;
}

static void put_line_start(imsms_sdp_w *w, const char *name) {
  imsms_sdp_w_put(w, "a=", 2);
  imsms_sdp_w_str(w, name);
  imsms_sdp_w_put(w, ":", 1);
}

static void put_crypto(imsms_sdp_w *w, const imsms_sdes_crypto *c) {
  char buf[CRYPTO_MAX];
  imsms_ssize n = imsms_sdes_format(buf, sizeof(buf), c);

  if (n > 0) {
    imsms_sdp_w_put(w, buf, (size_t)n);
  }
  imsms_secure_clear(buf, sizeof(buf));
}

/*
 * The attributes of the secure modes of |p|, in the order key-mgmt,
 * crypto lines, fingerprint, 3ge2ae; each as a line (|acap| 0) or as
 * consecutive a=acap numbers from |acap|.
 */
static void put_attrs(imsms_sdp_w *w, const offer_plan *p, imsms_sdp_vec eol) {
  uint32_t n = p->acap0;
  size_t i;

#define START(name)                                                            \
  do {                                                                         \
    if (p->capneg) {                                                           \
      imsms_sdp_w_str(w, "a=acap:");                                           \
      imsms_sdp_w_u32(w, n++);                                                 \
      imsms_sdp_w_put(w, " " name ":", sizeof(name) + 1);                      \
    } else {                                                                   \
      put_line_start(w, name);                                                 \
    }                                                                          \
  } while (0)

  if (has(p->modes, IMSMS_SDP_MODE_E2E_KMS) && !p->session_km) {
    START(IMSMS_SDP_A_KEY_MGMT);
    imsms_sdp_w_str(w, "mikey ");
    imsms_nego_put_b64(w, p->mikey, p->mikeylen);
    imsms_sdp_w_put(w, eol.base, eol.len);
  }
  if (p->kind == IMSMS_SDP_KIND_RTP &&
      (has(p->modes, IMSMS_SDP_MODE_E2AE) ||
       has(p->modes, IMSMS_SDP_MODE_E2E_SDES))) {
    for (i = 0; i < p->keys->ncrypto; i++) {
      START(IMSMS_SDP_A_CRYPTO);
      put_crypto(w, &p->keys->crypto[i]);
      imsms_sdp_w_put(w, eol.base, eol.len);
    }
  }
  if (p->kind == IMSMS_SDP_KIND_MSRP && has(p->modes, IMSMS_SDP_MODE_E2AE)) {
    START(IMSMS_SDP_A_FINGERPRINT);
    imsms_sdp_w_put(w, p->keys->fingerprint, p->keys->fingerprint_len);
    imsms_sdp_w_put(w, eol.base, eol.len);
  }
  if (has(p->modes, IMSMS_SDP_MODE_E2AE)) {
    START(IMSMS_SDP_A_3GE2AE);
    imsms_sdp_w_str(w, "requested");
    imsms_sdp_w_put(w, eol.base, eol.len);
  }
#undef START
}

/* a=pcfg lines: E2E_KMS first, then SDES or MSRP e2ae. */
static void put_pcfgs(imsms_sdp_w *w, const offer_plan *p, imsms_sdp_vec eol) {
  uint32_t a = p->acap0, pc = 1;
  size_t i, nsdes = 0;
  int e2ae = has(p->modes, IMSMS_SDP_MODE_E2AE);

  if (has(p->modes, IMSMS_SDP_MODE_E2E_KMS)) {
    imsms_sdp_w_str(w, "a=pcfg:");
    imsms_sdp_w_u32(w, pc++);
    imsms_sdp_w_str(w, " t=");
    imsms_sdp_w_u32(w, p->tcap);
    imsms_sdp_w_str(w, " a=");
    imsms_sdp_w_u32(w, a++);
    imsms_sdp_w_put(w, eol.base, eol.len);
  }
  if (p->kind == IMSMS_SDP_KIND_RTP &&
      (e2ae || has(p->modes, IMSMS_SDP_MODE_E2E_SDES))) {
    nsdes = p->keys->ncrypto;
  } else if (p->kind == IMSMS_SDP_KIND_MSRP && e2ae) {
    nsdes = 1; /* the fingerprint */
  }
  if (nsdes == 0) {
    return;
  }
  imsms_sdp_w_str(w, "a=pcfg:");
  imsms_sdp_w_u32(w, pc);
  imsms_sdp_w_str(w, " t=");
  imsms_sdp_w_u32(w, p->tcap);
  imsms_sdp_w_str(w, " a=");
  /* One alternative per key, each with the a=3ge2ae capability. */
  for (i = 0; i < nsdes; i++) {
    imsms_sdp_w_str(w, i ? "|" : "");
    imsms_sdp_w_u32(w, a + (uint32_t)i);
    if (e2ae) {
      imsms_sdp_w_put(w, ",", 1);
      imsms_sdp_w_u32(w, a + (uint32_t)nsdes);
    }
  }
  imsms_sdp_w_put(w, eol.base, eol.len);
}

/* The one session-level a=key-mgmt (RFC 4567 3.1). */
static void put_session_km(imsms_sdp_w *w, const void *arg, imsms_sdp_vec eol) {
  const offer_plan *p = arg;

  imsms_sdp_w_str(w, "a=key-mgmt:mikey ");
  imsms_nego_put_b64(w, p->mikey, p->mikeylen);
  imsms_sdp_w_put(w, eol.base, eol.len);
}

static void put_block(imsms_sdp_w *w, const void *arg, imsms_sdp_vec eol) {
  const offer_plan *p = arg;

  if (p->capneg) {
    imsms_sdp_w_str(w, "a=tcap:");
    imsms_sdp_w_u32(w, p->tcap);
    imsms_sdp_w_put(w, " ", 1);
    imsms_sdp_w_str(w, imsms_sdp_proto_str(p->secure_proto));
    imsms_sdp_w_put(w, eol.base, eol.len);
  }
  put_attrs(w, p, eol);
  if (p->capneg) {
    put_pcfgs(w, p, eol);
  }
}

/* Number of a=acap lines |p| needs. */
static uint32_t acap_count(const offer_plan *p) {
  uint32_t n = has(p->modes, IMSMS_SDP_MODE_E2E_KMS) ? 1 : 0;

  if (p->kind == IMSMS_SDP_KIND_RTP &&
      (has(p->modes, IMSMS_SDP_MODE_E2AE) ||
       has(p->modes, IMSMS_SDP_MODE_E2E_SDES))) {
    n += (uint32_t)p->keys->ncrypto;
  }
  if (p->kind == IMSMS_SDP_KIND_MSRP && has(p->modes, IMSMS_SDP_MODE_E2AE)) {
    n++;
  }
  return n + (has(p->modes, IMSMS_SDP_MODE_E2AE) ? 1 : 0);
}

static const imsms_sdp_media_keys *keys_for(const imsms_sdp_media_keys *keys,
                                            size_t nkeys, size_t level) {
  size_t i;

  for (i = 0; i < nkeys; i++) {
    if (keys[i].level == level) {
      return &keys[i];
    }
  }
  return NULL;
}

/* The a=crypto keys of |k| are well formed, with distinct tags and
 * suites |pol| accepts. */
static int check_crypto(const imsms_sdp_media_keys *k,
                        const imsms_sdp_policy *pol) {
  char buf[CRYPTO_MAX];
  imsms_ssize n;
  size_t i, j;

  for (i = 0; i < k->ncrypto; i++) {
    if (!imsms_nego_suite_ok(pol, k->crypto[i].suite)) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
    for (j = 0; j < i; j++) {
      if (k->crypto[j].tag == k->crypto[i].tag) {
        return IMSMS_ERR_INVALID_ARGUMENT;
      }
    }
    n = imsms_sdes_format(buf, sizeof(buf), &k->crypto[i]);
    imsms_secure_clear(buf, sizeof(buf));
    if (n < 0) {
      return (int)n;
    }
  }
  return 0;
}

/* Every key entry names a distinct level of the body and is well formed. */
static int check_keys(const imsms_sdp_media_keys *keys, size_t nkeys,
                      size_t nmedia, const imsms_sdp_policy *pol) {
  size_t i, j;
  int rv;

  if (keys == NULL && nkeys != 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  for (i = 0; i < nkeys; i++) {
    const imsms_sdp_media_keys *k = &keys[i];

    if (k->level == 0 || k->level > nmedia ||
        (k->crypto == NULL && k->ncrypto != 0) ||
        k->ncrypto > IMSMS_SDP_MAX_CRYPTO ||
        (k->fingerprint == NULL && k->fingerprint_len != 0)) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
    for (j = 0; j < i; j++) {
      if (keys[j].level == k->level) {
        return IMSMS_ERR_INVALID_ARGUMENT;
      }
    }
    if (k->fingerprint != NULL &&
        (rv = imsms_nego_fingerprint_check(k->fingerprint,
                                           k->fingerprint_len)) != 0) {
      return rv;
    }
    if ((rv = check_crypto(k, pol)) != 0) {
      return rv;
    }
  }
  return 0;
}

/* The modes the material lets this line offer. */
static unsigned offerable(unsigned set, const nego_media *m,
                          const imsms_sdp_media_keys *k, size_t mikeylen) {
  if (mikeylen == 0) {
    set &= ~IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2E_KMS);
  }
  if (m->kind == IMSMS_SDP_KIND_RTP && (k == NULL || k->ncrypto == 0)) {
    set &= ~(IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2AE) |
             IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2E_SDES));
  }
  if (m->kind == IMSMS_SDP_KIND_MSRP && (k == NULL || k->fingerprint == NULL)) {
    set &= ~IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2AE);
  }
  /* With both, a=3ge2ae:requested: the access edge chooses. */
  if (has(set, IMSMS_SDP_MODE_E2AE)) {
    set &= ~IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2E_SDES);
  }
  return set;
}

typedef struct offer_state {
  imsms_sdp_edit edits[2 * IMSMS_SDP_MAX_MEDIA + 1];
  imsms_sdp_block blocks[2 * IMSMS_SDP_MAX_MEDIA + 1];
  offer_plan plans[IMSMS_SDP_MAX_MEDIA];
  offer_plan session; /* the session-level key-mgmt, when used */
  size_t nedits;
  uint32_t next_cap;
  /* a=tcap and a=acap lines written: imsms_sdp_check() takes at most
   * IMSMS_SDP_MAX_CAPS of each, and an offer must pass it. */
  size_t ntcaps, nacaps;
} offer_state;

/* Plans one managed, non-rejected line; adds its edits. */
static int plan_media(offer_state *st, const nego_media *m, unsigned set,
                      const imsms_sdp_media_keys *k, const uint8_t *mikey,
                      size_t mikeylen, imsms_sdp_result *r) {
  offer_plan *p = &st->plans[m->level - 1];
  unsigned secure = set & ~IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_NONE);
  int plain = m->m.proto, sec = m->m.proto;
  imsms_sdp_edit *e;

  if (set == 0) {
    return IMSMS_ERR_SDP_NO_MODE;
  }
  if (imsms_nego_is_secure(plain)) {
    plain = imsms_sdp_proto_to_plain(plain);
  } else {
    sec = imsms_sdp_proto_to_secure(sec);
  }
  p->kind = m->kind;
  p->modes = set;
  p->capneg = secure != 0 && has(set, IMSMS_SDP_MODE_NONE);
  p->secure_proto = sec;
  p->keys = k;
  p->mikey = mikey;
  p->mikeylen = mikeylen;
  r->offered = set;
  r->proto = secure == 0 || p->capneg ? plain : sec;
  e = &st->edits[st->nedits++];
  memset(e, 0, sizeof(*e));
  e->kind = IMSMS_SDP_EDIT_SET_PROTO;
  e->level = m->level;
  e->text = imsms_sdp_proto_str(r->proto);
  e->text_len = strlen(e->text);
  if (secure == 0) {
    return 0;
  }
  if (p->capneg) {
    /* One a=pcfg alternative per a=crypto line. */
    if (p->kind == IMSMS_SDP_KIND_RTP && (secure & ~IMSMS_SDP_MODE_BIT(
                                              IMSMS_SDP_MODE_E2E_KMS)) &&
        k->ncrypto > IMSMS_SDP_CFG_MAX_ALTS) {
      return IMSMS_ERR_TOO_LARGE;
    }
    p->tcap = st->next_cap++;
    p->acap0 = st->next_cap;
    st->next_cap += acap_count(p);
    st->ntcaps++;
    st->nacaps += acap_count(p);
    if (st->ntcaps > IMSMS_SDP_MAX_CAPS || st->nacaps > IMSMS_SDP_MAX_CAPS) {
      return IMSMS_ERR_TOO_LARGE;
    }
  }
  e = &st->edits[st->nedits];
  memset(e, 0, sizeof(*e));
  e->kind = IMSMS_SDP_EDIT_INT_BLOCK;
  e->level = m->level;
  st->blocks[st->nedits].fn = put_block;
  st->blocks[st->nedits++].arg = p;
  return 0;
}

static int plan_offer(offer_state *st, nego_body *b,
                      const imsms_sdp_policy *pol, const uint8_t *mikey,
                      size_t mikeylen, const imsms_sdp_media_keys *keys,
                      size_t nkeys, imsms_sdp_result *res, size_t rescap) {
  nego_media m;
  imsms_sdp_result r;
  int rv;

  while ((rv = imsms_nego_media_next(b, &m)) == 0) {
    const imsms_sdp_media_keys *k = keys_for(keys, nkeys, m.level);
    unsigned set = offerable(imsms_nego_policy_for(pol, &m), &m, k, mikeylen);

    imsms_nego_result_init(&r, &m);
    if (m.owned) {
      return IMSMS_ERR_SDP_CONFLICT;
    }
    if (m.kind == IMSMS_SDP_KIND_OTHER) {
      r.reason = IMSMS_SDP_REASON_UNMANAGED;
    } else if (m.m.port == 0) {
      r.reason = IMSMS_SDP_REASON_PORT_ZERO;
    } else if ((rv = plan_media(st, &m, set, k, mikey, mikeylen, &r)) != 0) {
      return rv;
    }
    if (m.level <= rescap) {
      res[m.level - 1] = r;
    }
  }
  return rv == IMSMS_ERR_EOF ? 0 : rv;
}

/*
 * IMSMS_SDP_F_SESSION_KEY_MGMT: one a=key-mgmt at the session level
 * instead of one per line, as RFC 4567 5.1 does (and as Wireshark decodes
 * it), when it would apply to exactly the lines that offer e2e: every line with a secure profile
 * offers E2E_KMS and no line uses capability negotiation (a session-level
 * key-mgmt would also apply to a potential configuration's secure
 * transport).
 */
static void hoist_key_mgmt(offer_state *st, size_t nmedia,
                           const imsms_sdp_result *res, size_t rescap) {
  size_t i, ne2e = 0, first = 0;
  imsms_sdp_edit *e;

  for (i = 0; i < nmedia && i < rescap; i++) {
    const offer_plan *p = &st->plans[i];

    if (p->kind == 0) {
      continue; /* not planned: unmanaged or rejected */
    }
    if (p->capneg || (imsms_nego_is_secure(res[i].proto) &&
                      !has(p->modes, IMSMS_SDP_MODE_E2E_KMS))) {
      return;
    }
    if (has(p->modes, IMSMS_SDP_MODE_E2E_KMS) && ne2e++ == 0) {
      first = i;
    }
  }
  if (ne2e == 0 || nmedia > rescap) {
    return;
  }
  for (i = 0; i < nmedia; i++) {
    st->plans[i].session_km = 1;
  }
  st->session = st->plans[first];
  e = &st->edits[st->nedits];
  memset(e, 0, sizeof(*e));
  e->kind = IMSMS_SDP_EDIT_INT_BLOCK;
  e->level = 0;
  st->blocks[st->nedits].fn = put_session_km;
  st->blocks[st->nedits++].arg = &st->session;
}

/* see imsmediasec/sdp_nego.h */
imsms_ssize imsms_sdp_offer(char *out, size_t outcap, const char *sdp,
                            size_t sdplen, const imsms_sdp_policy *pol,
                            const uint8_t *mikey, size_t mikeylen,
                            const imsms_sdp_media_keys *keys, size_t nkeys,
                            imsms_sdp_result *res, size_t rescap,
                            size_t *nres) {
  offer_state st;
  nego_body b;
  imsms_ssize n;
  int rv;

  if (nres == NULL || (res == NULL && rescap != 0) ||
      (mikey == NULL && mikeylen != 0) || imsms_nego_policy_check(pol) != 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  *nres = 0;
  if ((rv = imsms_nego_body_init(&b, sdp, sdplen)) != 0) {
    return rv;
  }
  if ((rv = check_keys(keys, nkeys, b.nmedia, pol)) != 0) {
    return rv;
  }
  if (b.owned) {
    return IMSMS_ERR_SDP_CONFLICT;
  }
  memset(&st, 0, sizeof(st));
  st.next_cap = 1;
  if ((rv = plan_offer(&st, &b, pol, mikey, mikeylen, keys, nkeys, res,
                       rescap)) != 0) {
    return rv;
  }
  *nres = b.nmedia;
  if (b.nmedia > rescap) {
    return IMSMS_ERR_NOBUF;
  }
  if (pol->flags & IMSMS_SDP_F_SESSION_KEY_MGMT) {
    hoist_key_mgmt(&st, b.nmedia, res, rescap);
  }
  n = imsms_sdp_edit_apply_int(out, outcap, sdp, sdplen, st.edits, st.nedits,
                               NULL, st.blocks);
  imsms_secure_clear(&st, sizeof(st));
  return n;
}
