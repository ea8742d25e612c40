/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Reading a body for the negotiation. imsms_sdp_check() runs first, so
 * every owned attribute parses, numbers are unique and a=pcfg names only
 * capabilities that exist; what is read here is then bounded by its
 * limits. The first pass keeps the session attributes and every
 * capability; the second yields the media sections one by one.
 */
#include "sdp/nego_int.h"

static int is_attr(const imsms_sdp_line *l, const char *name) {
  return l->type == 'a' && imsms_sdp_vec_eq(l->name, name);
}

/* Attributes the offer and answer builders write. */
static int is_owned(const imsms_sdp_line *l) {
  static const char *const names[] = {
      IMSMS_SDP_A_KEY_MGMT, IMSMS_SDP_A_CRYPTO, IMSMS_SDP_A_3GE2AE,
      IMSMS_SDP_A_TCAP,     IMSMS_SDP_A_ACAP,   IMSMS_SDP_A_PCFG,
      IMSMS_SDP_A_ACFG};
  size_t i;

  for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    if (is_attr(l, names[i])) {
      return 1;
    }
  }
  return 0;
}

static void keep_cap(nego_body *b, const imsms_sdp_line *l) {
  if (is_attr(l, IMSMS_SDP_A_ACAP) && b->nacaps < IMSMS_SDP_MAX_CAPS) {
    imsms_sdp_acap a;

    if (imsms_sdp_acap_parse(&a, l->attr_value.base, l->attr_value.len) == 0) {
      nego_acap *n = &b->acaps[b->nacaps++];

      n->num = a.num;
      n->level = l->level;
      n->name = a.name;
      n->value = a.value;
    }
  } else if (is_attr(l, IMSMS_SDP_A_TCAP) && b->ntcaps < IMSMS_SDP_MAX_CAPS) {
    nego_tcap *t = &b->tcaps[b->ntcaps];

    if (imsms_sdp_tcap_parse(&t->t, l->attr_value.base, l->attr_value.len) ==
        0) {
      t->level = l->level;
      b->ntcaps++;
    }
  }
}

static void keep_session(nego_body *b, const imsms_sdp_line *l) {
  if (is_attr(l, IMSMS_SDP_A_KEY_MGMT) && b->nskm < IMSMS_SDP_MAX_KEY_MGMT &&
      imsms_sdp_key_mgmt_parse(&b->skm[b->nskm], l->attr_value.base,
                               l->attr_value.len) == 0) {
    b->nskm++;
  } else if (is_attr(l, IMSMS_SDP_A_FINGERPRINT)) {
    b->sfingerprint = 1;
  }
}

/* see sdp/nego_int.h */
int imsms_nego_body_init(nego_body *b, const char *sdp, size_t len) {
  imsms_ssize nmedia;
  imsms_sdp_line l;
  int rv;

  memset(b, 0, sizeof(*b));
  if ((nmedia = imsms_sdp_check(sdp, len)) < 0) {
    return (int)nmedia;
  }
  if ((size_t)nmedia > IMSMS_SDP_MAX_MEDIA) {
    return IMSMS_ERR_TOO_LARGE;
  }
  b->sdp = sdp;
  b->len = len;
  b->nmedia = (size_t)nmedia;
  if ((rv = imsms_sdp_iter_init(&b->it, sdp, len)) != 0) {
    return rv;
  }
  while ((rv = imsms_sdp_iter_next(&b->it, &l)) == 0) {
    b->owned |= is_owned(&l);
    keep_cap(b, &l);
    if (l.level == 0) {
      keep_session(b, &l);
    }
  }
  if (rv != IMSMS_ERR_EOF) {
    return rv;
  }
  return imsms_sdp_iter_init(&b->it, sdp, len);
}

/* see sdp/nego_int.h */
int imsms_nego_kind(int proto) {
  switch (proto) {
  case IMSMS_SDP_PROTO_RTP_AVP:
  case IMSMS_SDP_PROTO_RTP_AVPF:
  case IMSMS_SDP_PROTO_RTP_SAVP:
  case IMSMS_SDP_PROTO_RTP_SAVPF:
    return IMSMS_SDP_KIND_RTP;
  case IMSMS_SDP_PROTO_TCP_MSRP:
  case IMSMS_SDP_PROTO_TCP_TLS_MSRP:
    return IMSMS_SDP_KIND_MSRP;
  default:
    return IMSMS_SDP_KIND_OTHER;
  }
}

/* see sdp/nego_int.h */
int imsms_nego_is_secure(int proto) {
  return proto == IMSMS_SDP_PROTO_RTP_SAVP ||
         proto == IMSMS_SDP_PROTO_RTP_SAVPF ||
         proto == IMSMS_SDP_PROTO_TCP_TLS_MSRP;
}

static void keep_media(nego_media *m, const imsms_sdp_line *l) {
  if (is_owned(l)) {
    m->owned = 1;
  }
  if (is_attr(l, IMSMS_SDP_A_KEY_MGMT) && m->nkm < IMSMS_SDP_MAX_KEY_MGMT &&
      imsms_sdp_key_mgmt_parse(&m->km[m->nkm], l->attr_value.base,
                               l->attr_value.len) == 0) {
    m->km[m->nkm++].level = l->level;
  } else if (is_attr(l, IMSMS_SDP_A_CRYPTO) &&
             m->ncrypto < IMSMS_SDP_MAX_CRYPTO) {
    m->crypto[m->ncrypto++] = l->attr_value;
  } else if (is_attr(l, IMSMS_SDP_A_3GE2AE)) {
    m->e2ae = imsms_sdp_3ge2ae_parse(l->attr_value.base, l->attr_value.len);
  } else if (is_attr(l, IMSMS_SDP_A_FINGERPRINT)) {
    m->fingerprint = 1;
    m->owned |= m->kind == IMSMS_SDP_KIND_MSRP;
  } else if (is_attr(l, IMSMS_SDP_A_PCFG)) {
    if (m->npcfg < IMSMS_SDP_NEGO_MAX_PCFG) {
      m->pcfg[m->npcfg] = l->attr_value;
    }
    m->npcfg++; /* over the limit: refused by the caller */
  } else if (is_attr(l, IMSMS_SDP_A_ACFG)) {
    m->acfg = l->attr_value;
    m->has_acfg = 1;
  }
}

/* see sdp/nego_int.h */
int imsms_nego_media_next(nego_body *b, nego_media *m) {
  imsms_sdp_line l;
  int rv;

  while (!b->have_next) {
    if ((rv = imsms_sdp_iter_next(&b->it, &l)) != 0) {
      return rv;
    }
    if (l.type == 'm') {
      b->next_m = l;
      b->have_next = 1;
    }
  }
  memset(m, 0, sizeof(*m));
  m->level = b->next_m.level;
  m->m = b->next_m.m;
  m->kind = imsms_nego_kind(m->m.proto);
  m->e2ae = -1;
  b->have_next = 0;
  while ((rv = imsms_sdp_iter_next(&b->it, &l)) == 0) {
    if (l.type == 'm') {
      b->next_m = l;
      b->have_next = 1;
      break;
    }
    keep_media(m, &l);
  }
  if (rv != 0 && rv != IMSMS_ERR_EOF) {
    return rv;
  }
  return m->npcfg > IMSMS_SDP_NEGO_MAX_PCFG ? IMSMS_ERR_TOO_LARGE : 0;
}
