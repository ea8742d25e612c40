/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * End-to-access-edge helpers for the P-CSCF / IMS-ALG (TS 33.328 7.2,
 * TS 23.334 6.2.10): toward the core the UE's secure profile becomes the
 * plain one and its a=crypto (or MSRP fingerprint) and a=3ge2ae go away;
 * toward the UE the plain profile becomes the secure one and the access
 * edge's own a=crypto (fresh key) or fingerprint is added. e2e media (an
 * a=key-mgmt applies) are never touched. Both run on top of the editor
 * and report every change; views of removed text point into the input,
 * views of added text into the output.
 */
#include "sdp/sdp_int.h"

/* Longest a=crypto value imsms_sdes_format() writes for one fresh key:
 * 9-digit tag, 23-character suite, "inline:" and 64 base64 characters. */
#define CRYPTO_TEXT_MAX 128
/* Longest access-edge fingerprint value accepted. */
#define FINGERPRINT_MAX 256

/* What one media section holds. */
typedef struct sect_info {
  imsms_sdp_mline m;
  size_t nkm;            /* a=key-mgmt lines that apply */
  imsms_sdp_vec km_first; /* protocol id of the first one */
  size_t ncrypto;
  size_t nfp;            /* a=fingerprint in the section */
  int fp_effective;      /* a fingerprint applies (section or session) */
  size_t n3ge2ae;
} sect_info;

static int gather(const char *sdp, size_t sdplen, size_t level,
                  sect_info *si) {
  imsms_sdp_key_mgmt km[IMSMS_SDP_MAX_KEY_MGMT];
  imsms_sdp_iter it;
  imsms_sdp_line l;
  int rv;

  memset(si, 0, sizeof(*si));
  if ((rv = imsms_sdp_media_get(sdp, sdplen, level, &si->m)) != 0) {
    return rv;
  }
  if ((rv = imsms_sdp_key_mgmt_list(sdp, sdplen, level, km,
                                    IMSMS_SDP_MAX_KEY_MGMT, &si->nkm)) != 0) {
    return rv;
  }
  if (si->nkm) {
    si->km_first = km[0].prtcl_id;
  }
  if ((rv = imsms_sdp_iter_init(&it, sdp, sdplen)) != 0) {
    return rv;
  }
  while ((rv = imsms_sdp_iter_next(&it, &l)) == 0) {
    if (l.type != 'a' || (l.level != level && l.level != 0)) {
      continue;
    }
    if (imsms_sdp_vec_eq(l.name, IMSMS_SDP_A_FINGERPRINT)) {
      si->fp_effective = 1;
      si->nfp += l.level == level;
    } else if (l.level == level &&
               imsms_sdp_vec_eq(l.name, IMSMS_SDP_A_CRYPTO)) {
      si->ncrypto++;
    } else if (l.level == level &&
               imsms_sdp_vec_eq(l.name, IMSMS_SDP_A_3GE2AE)) {
      si->n3ge2ae++;
    }
  }
  return rv == IMSMS_ERR_EOF ? 0 : rv;
}

/* Stores |c| as change number |*n| when there is room; always counts. */
static void add_change(imsms_sdp_change *ch, size_t cap, size_t *n,
                       const imsms_sdp_change *c) {
  if (ch != NULL && *n < cap) {
    ch[*n] = *c;
  }
  (*n)++;
}

/* One change per a=|name| line of |level| (views into the input). */
static int report_removed(const char *sdp, size_t sdplen, size_t level,
                          const char *name, int kind, imsms_sdp_change *ch,
                          size_t cap, size_t *n) {
  imsms_sdp_iter it;
  imsms_sdp_line l;
  imsms_sdp_change c;
  int rv;

  if ((rv = imsms_sdp_iter_init(&it, sdp, sdplen)) != 0) {
    return rv;
  }
  while ((rv = imsms_sdp_attr_next(&it, level, name, strlen(name), &l)) ==
         0) {
    memset(&c, 0, sizeof(c));
    c.level = level;
    c.kind = kind;
    c.text = l.attr_value;
    if (kind == IMSMS_SDP_CHANGE_CRYPTO_REMOVED) {
      imsms_sdes_crypto sc;

      /* imsms_sdp_check() accepted it already. */
      if ((rv = imsms_sdp_crypto_parse(&l, &sc)) == 0) {
        c.tag = sc.tag;
        c.suite = sc.suite;
      }
      imsms_secure_clear(&sc, sizeof(sc));
      if (rv != 0) {
        return rv;
      }
    }
    add_change(ch, cap, n, &c);
  }
  return rv == IMSMS_ERR_EOF ? 0 : rv;
}

/* The explicit list: known levels, none twice. */
static int check_levels(const size_t *levels, size_t n, size_t nmedia) {
  size_t i, j;

  for (i = 0; i < n; i++) {
    if (levels[i] == 0 || levels[i] > nmedia) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
    for (j = 0; j < i; j++) {
      if (levels[j] == levels[i]) {
        return IMSMS_ERR_INVALID_ARGUMENT;
      }
    }
  }
  return 0;
}

/* The sections carrying a=3ge2ae:requested, in body order. */
static int select_requested(const char *sdp, size_t sdplen, size_t *sel,
                            size_t *nsel) {
  imsms_sdp_iter it;
  imsms_sdp_line l;
  int rv;

  *nsel = 0;
  if ((rv = imsms_sdp_iter_init(&it, sdp, sdplen)) != 0) {
    return rv;
  }
  while ((rv = imsms_sdp_attr_next(&it, IMSMS_SDP_LEVEL_ANY,
                                   IMSMS_SDP_A_3GE2AE, 6, &l)) == 0) {
    if (imsms_sdp_3ge2ae_parse(l.attr_value.base, l.attr_value.len) !=
        IMSMS_SDP_3GE2AE_REQUESTED) {
      continue;
    }
    if (*nsel == IMSMS_SDP_MAX_MEDIA) {
      return IMSMS_ERR_TOO_LARGE;
    }
    sel[(*nsel)++] = l.level;
  }
  return rv == IMSMS_ERR_EOF ? 0 : rv;
}

static void add_edit(imsms_sdp_edit *edits, size_t *n, int kind, size_t level,
                     const char *name, const char *text, size_t text_len) {
  imsms_sdp_edit *e = &edits[(*n)++];

  e->kind = kind;
  e->level = level;
  e->name = name;
  e->text = text;
  e->text_len = text_len;
}

/* ------------------------------------------------------------------ */
/* Toward the core                                                     */

/*
 * Plans the rewrite of the selected sections: edits (when |edits| is not
 * NULL) and changes (counted always, stored when |ch| is not NULL).
 */
static int plan_to_core(const char *sdp, size_t sdplen, const size_t *sel,
                        size_t nsel, unsigned flags, imsms_sdp_edit *edits,
                        size_t *nedits, imsms_sdp_change *ch, size_t cap,
                        size_t *nch) {
  sect_info si;
  imsms_sdp_change c;
  size_t i, lv;
  int rv, plain, msrp;

  *nedits = 0;
  *nch = 0;
  for (i = 0; i < nsel; i++) {
    lv = sel[i];
    if ((rv = gather(sdp, sdplen, lv, &si)) != 0) {
      return rv;
    }
    memset(&c, 0, sizeof(c));
    c.level = lv;
    if (si.nkm != 0) {
      /* e2e: a=key-mgmt applies. Never rewritten. */
      if (!(flags & IMSMS_SDP_E2AE_PREFER_E2E)) {
        return IMSMS_ERR_SDP_CONFLICT;
      }
      c.kind = IMSMS_SDP_CHANGE_E2E_KEPT;
      c.text = si.km_first;
      add_change(ch, cap, nch, &c);
      continue;
    }
    plain = imsms_sdp_proto_to_plain(si.m.proto);
    if (plain < 0) {
      return IMSMS_ERR_SDP_PROFILE;
    }
    msrp = si.m.proto == IMSMS_SDP_PROTO_TCP_TLS_MSRP;
    if (si.m.port != 0 && (msrp ? !si.fp_effective : si.ncrypto == 0)) {
      return IMSMS_ERR_SDP_CONFLICT;
    }
    add_edit(edits, nedits, IMSMS_SDP_EDIT_SET_PROTO, lv, NULL,
             imsms_sdp_proto_str(plain), strlen(imsms_sdp_proto_str(plain)));
    add_edit(edits, nedits, IMSMS_SDP_EDIT_DROP_ATTR, lv,
             msrp ? IMSMS_SDP_A_FINGERPRINT : IMSMS_SDP_A_CRYPTO, NULL, 0);
    add_edit(edits, nedits, IMSMS_SDP_EDIT_DROP_ATTR, lv, IMSMS_SDP_A_3GE2AE,
             NULL, 0);
    c.kind = IMSMS_SDP_CHANGE_PROTO;
    c.text = si.m.proto_text;
    c.old_proto = si.m.proto;
    c.new_proto = plain;
    add_change(ch, cap, nch, &c);
    rv = report_removed(sdp, sdplen, lv,
                        msrp ? IMSMS_SDP_A_FINGERPRINT : IMSMS_SDP_A_CRYPTO,
                        msrp ? IMSMS_SDP_CHANGE_FINGERPRINT_REMOVED
                             : IMSMS_SDP_CHANGE_CRYPTO_REMOVED,
                        ch, cap, nch);
    if (rv == 0) {
      rv = report_removed(sdp, sdplen, lv, IMSMS_SDP_A_3GE2AE,
                          IMSMS_SDP_CHANGE_3GE2AE_REMOVED, ch, cap, nch);
    }
    if (rv != 0) {
      return rv;
    }
  }
  return 0;
}

/* see imsmediasec/sdp.h */
imsms_ssize imsms_sdp_e2ae_to_core(char *out, size_t outcap, const char *sdp,
                                   size_t sdplen, const size_t *levels,
                                   size_t nlevels, unsigned flags,
                                   imsms_sdp_change *changes, size_t changecap,
                                   size_t *nchanges) {
  imsms_sdp_edit edits[3 * IMSMS_SDP_MAX_MEDIA];
  size_t sel[IMSMS_SDP_MAX_MEDIA];
  size_t nsel, nedits, nch;
  imsms_ssize nmedia, need;
  int rv;

  if (nchanges == NULL || (out == NULL && outcap != 0) ||
      (changes == NULL && changecap != 0) ||
      (levels == NULL && nlevels != 0) ||
      (flags & ~(unsigned)IMSMS_SDP_E2AE_PREFER_E2E) != 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  *nchanges = 0;
  if ((nmedia = imsms_sdp_check(sdp, sdplen)) < 0) {
    return nmedia;
  }
  if (levels != NULL) {
    if (nlevels > IMSMS_SDP_MAX_MEDIA) {
      return IMSMS_ERR_TOO_LARGE;
    }
    if ((rv = check_levels(levels, nlevels, (size_t)nmedia)) != 0) {
      return rv;
    }
    memcpy(sel, levels, nlevels * sizeof(levels[0]));
    nsel = nlevels;
  } else if ((rv = select_requested(sdp, sdplen, sel, &nsel)) != 0) {
    return rv;
  }
  if ((rv = plan_to_core(sdp, sdplen, sel, nsel, flags, edits, &nedits, NULL,
                         0, &nch)) != 0) {
    return rv;
  }
  need = imsms_sdp_edit_apply_int(NULL, 0, sdp, sdplen, edits, nedits, NULL,
                                  NULL);
  if (need < 0) {
    return need;
  }
  if (nch > changecap || (size_t)need > outcap) {
    *nchanges = nch;
    return IMSMS_ERR_NOBUF;
  }
  need = imsms_sdp_edit_apply_int(out, outcap, sdp, sdplen, edits, nedits,
                                  NULL, NULL);
  if (need < 0) {
    return need;
  }
  rv = plan_to_core(sdp, sdplen, sel, nsel, flags, edits, &nedits, changes,
                    changecap, &nch);
  if (rv != 0) {
    imsms_secure_clear(out, (size_t)need);
    return rv;
  }
  *nchanges = nch;
  return need;
}

/* ------------------------------------------------------------------ */
/* Toward the UE                                                       */

/* What was planned for one section. */
typedef struct ue_plan {
  size_t level;
  imsms_sdp_vec old_proto_text;
  int old_proto, new_proto;
  int msrp;
  uint32_t tag;
  int suite;
  size_t edit_proto;      /* index of the SET_PROTO edit */
  size_t edit_key;        /* index of the crypto/fingerprint ADD, or SIZE_MAX */
  size_t edit_3ge2ae;     /* index of the a=3ge2ae ADD, or SIZE_MAX */
} ue_plan;

static int check_ue_media(const char *sdp, size_t sdplen,
                          const imsms_sdp_e2ae_media *md, ue_plan *p) {
  imsms_sdp_key_mgmt km[IMSMS_SDP_MAX_KEY_MGMT];
  imsms_sdp_fingerprint fp;
  sect_info si;
  size_t nsess;
  int secure, rv;

  if ((rv = gather(sdp, sdplen, md->level, &si)) != 0) {
    return rv;
  }
  secure = imsms_sdp_proto_to_secure(si.m.proto);
  if (secure < 0) {
    return IMSMS_ERR_SDP_PROFILE;
  }
  if (si.ncrypto || si.nfp || si.n3ge2ae || si.nkm) {
    return IMSMS_ERR_SDP_CONFLICT;
  }
  /*
   * A session-level a=key-mgmt would apply to the section once its
   * profile is secure (RFC 4567 5.2): the result would claim e2e and
   * e2ae at once.
   */
  if ((rv = imsms_sdp_key_mgmt_list(sdp, sdplen, 0, km, IMSMS_SDP_MAX_KEY_MGMT,
                                    &nsess)) != 0) {
    return rv;
  }
  if (nsess != 0) {
    return IMSMS_ERR_SDP_CONFLICT;
  }
  memset(p, 0, sizeof(*p));
  p->level = md->level;
  p->old_proto_text = si.m.proto_text;
  p->old_proto = si.m.proto;
  p->new_proto = secure;
  p->msrp = si.m.proto == IMSMS_SDP_PROTO_TCP_MSRP;
  p->edit_key = p->edit_3ge2ae = SIZE_MAX;
  if (si.m.port == 0) {
    return 1; /* rejected stream: the profile only */
  }
  if (p->msrp) {
    if (md->fingerprint == NULL || md->fingerprint_len > FINGERPRINT_MAX ||
        imsms_sdp_fingerprint_parse(&fp, md->fingerprint,
                                    md->fingerprint_len) != 0) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
    return 0;
  }
  p->tag = md->tag ? md->tag : 1;
  p->suite = md->suite ? md->suite : IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80;
  if (p->tag > 999999999u) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (imsms_srtp_suite_get(p->suite) == NULL) {
    return IMSMS_ERR_UNSUPPORTED_ALG;
  }
  return 0;
}

/* see imsmediasec/sdp.h */
imsms_ssize imsms_sdp_e2ae_to_ue(imsms_ctx *ctx, char *out, size_t outcap,
                                 const char *sdp, size_t sdplen,
                                 const imsms_sdp_e2ae_media *media,
                                 size_t nmedia, unsigned flags,
                                 imsms_sdp_change *changes, size_t changecap,
                                 size_t *nchanges) {
  imsms_sdp_edit edits[3 * IMSMS_SDP_MAX_MEDIA];
  size_t value_off[3 * IMSMS_SDP_MAX_MEDIA];
  char crypto_text[IMSMS_SDP_MAX_MEDIA][CRYPTO_TEXT_MAX];
  ue_plan plan[IMSMS_SDP_MAX_MEDIA];
  const char *e2ae_value = NULL;
  imsms_sdp_change c;
  imsms_sdes_crypto sc;
  imsms_ssize nm, need = 0, n;
  size_t i, j, nedits = 0, nch = 0;
  int rv, port0;

  if (nchanges == NULL || ctx == NULL || (out == NULL && outcap != 0) ||
      (changes == NULL && changecap != 0) ||
      (media == NULL && nmedia != 0) ||
      (flags & ~(unsigned)(IMSMS_SDP_E2AE_ADD_REQUESTED |
                           IMSMS_SDP_E2AE_ADD_APPLIED)) != 0 ||
      (flags & IMSMS_SDP_E2AE_ADD_REQUESTED &&
       flags & IMSMS_SDP_E2AE_ADD_APPLIED)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  *nchanges = 0;
  if (flags & IMSMS_SDP_E2AE_ADD_REQUESTED) {
    e2ae_value = "requested";
  } else if (flags & IMSMS_SDP_E2AE_ADD_APPLIED) {
    e2ae_value = "applied";
  }
  if ((nm = imsms_sdp_check(sdp, sdplen)) < 0) {
    return nm;
  }
  if (nmedia > IMSMS_SDP_MAX_MEDIA) {
    return IMSMS_ERR_TOO_LARGE;
  }
  for (i = 0; i < nmedia; i++) {
    if (media[i].level == 0 || media[i].level > (size_t)nm) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
    for (j = 0; j < i; j++) {
      if (media[j].level == media[i].level) {
        return IMSMS_ERR_INVALID_ARGUMENT;
      }
    }
  }
  /* Everything is checked before a key is made. */
  for (i = 0; i < nmedia; i++) {
    if ((rv = check_ue_media(sdp, sdplen, &media[i], &plan[i])) < 0) {
      return rv;
    }
    port0 = rv == 1;
    plan[i].edit_proto = nedits;
    add_edit(edits, &nedits, IMSMS_SDP_EDIT_SET_PROTO, plan[i].level, NULL,
             imsms_sdp_proto_str(plan[i].new_proto),
             strlen(imsms_sdp_proto_str(plan[i].new_proto)));
    if (port0) {
      continue;
    }
    plan[i].edit_key = nedits;
    if (plan[i].msrp) {
      add_edit(edits, &nedits, IMSMS_SDP_EDIT_ADD_ATTR, plan[i].level,
               IMSMS_SDP_A_FINGERPRINT, media[i].fingerprint,
               media[i].fingerprint_len);
    } else {
      /* Text filled in below, once everything else passed. */
      add_edit(edits, &nedits, IMSMS_SDP_EDIT_ADD_ATTR, plan[i].level,
               IMSMS_SDP_A_CRYPTO, crypto_text[i], 0);
    }
    if (e2ae_value != NULL) {
      plan[i].edit_3ge2ae = nedits;
      add_edit(edits, &nedits, IMSMS_SDP_EDIT_ADD_ATTR, plan[i].level,
               IMSMS_SDP_A_3GE2AE, e2ae_value, strlen(e2ae_value));
    }
  }
  /* Fresh keys of the access edge. */
  rv = 0;
  for (i = 0; i < nmedia && rv == 0; i++) {
    if (plan[i].msrp || plan[i].edit_key == SIZE_MAX) {
      continue;
    }
    rv = imsms_sdes_generate(ctx, &sc, plan[i].tag, plan[i].suite);
    if (rv == 0) {
      n = imsms_sdes_format(crypto_text[i], CRYPTO_TEXT_MAX, &sc);
      rv = n < 0 ? (int)n : 0;
      if (n >= 0) {
        edits[plan[i].edit_key].text_len = (size_t)n;
      }
    }
    imsms_secure_clear(&sc, sizeof(sc));
  }
  if (rv == 0) {
    need = imsms_sdp_edit_apply_int(NULL, 0, sdp, sdplen, edits, nedits,
                                    NULL, NULL);
    rv = need < 0 ? (int)need : 0;
  }
  if (rv != 0) {
    goto done;
  }
  /* The changes, counted. */
  for (i = 0; i < nmedia; i++) {
    nch += 1u + (plan[i].edit_key != SIZE_MAX ? 1u : 0u) +
           (plan[i].edit_3ge2ae != SIZE_MAX ? 1u : 0u);
  }
  if (nch > changecap || (size_t)need > outcap) {
    *nchanges = nch;
    rv = IMSMS_ERR_NOBUF;
    goto done;
  }
  for (i = 0; i < nedits; i++) {
    value_off[i] = 0;
  }
  need = imsms_sdp_edit_apply_int(out, outcap, sdp, sdplen, edits, nedits,
                                  value_off, NULL);
  if (need < 0) {
    rv = (int)need;
    goto done;
  }
  nch = 0;
  for (i = 0; i < nmedia; i++) {
    memset(&c, 0, sizeof(c));
    c.level = plan[i].level;
    c.kind = IMSMS_SDP_CHANGE_PROTO;
    c.text = plan[i].old_proto_text;
    c.old_proto = plan[i].old_proto;
    c.new_proto = plan[i].new_proto;
    add_change(changes, changecap, &nch, &c);
    if (plan[i].edit_key != SIZE_MAX) {
      const imsms_sdp_edit *e = &edits[plan[i].edit_key];

      memset(&c, 0, sizeof(c));
      c.level = plan[i].level;
      c.kind = plan[i].msrp ? IMSMS_SDP_CHANGE_FINGERPRINT_ADDED
                            : IMSMS_SDP_CHANGE_CRYPTO_ADDED;
      c.text = imsms_sdp_vec_make(out + value_off[plan[i].edit_key],
                                  e->text_len);
      c.tag = plan[i].msrp ? 0 : plan[i].tag;
      c.suite = plan[i].msrp ? 0 : plan[i].suite;
      add_change(changes, changecap, &nch, &c);
    }
    if (plan[i].edit_3ge2ae != SIZE_MAX) {
      memset(&c, 0, sizeof(c));
      c.level = plan[i].level;
      c.kind = IMSMS_SDP_CHANGE_3GE2AE_ADDED;
      c.text = imsms_sdp_vec_make(out + value_off[plan[i].edit_3ge2ae],
                                  strlen(e2ae_value));
      add_change(changes, changecap, &nch, &c);
    }
  }
  *nchanges = nch;
  rv = 0;

done:
  imsms_secure_clear(crypto_text, sizeof(crypto_text));
  return rv != 0 ? rv : need;
}
