/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The RFC 3830 payloads and the simple RFC 6043 ones (TR, IDR, RANDR):
 * decode into views, exact length, write. TP and TICKET are in
 * pl_ticket.c. Layouts: RFC 3830 section 6, RFC 6043 section 6.
 */
#include "mikey/codec.h"

int imsms_mikey_get_var16(imsms_rbuf *r, const uint8_t **data, size_t *len) {
  const uint8_t *mark = r->pos;
  uint16_t n;
  int rv;

  if ((rv = imsms_rbuf_get_u16(r, &n)) != 0 ||
      (rv = imsms_rbuf_get_view(r, data, n)) != 0) {
    return imsms_rbuf_rewind(r, mark, rv);
  }
  *len = n;
  return 0;
}

int imsms_mikey_get_var8(imsms_rbuf *r, const uint8_t **data, size_t *len) {
  const uint8_t *mark = r->pos;
  uint8_t n;
  int rv;

  if ((rv = imsms_rbuf_get_u8(r, &n)) != 0 ||
      (rv = imsms_rbuf_get_view(r, data, n)) != 0) {
    return imsms_rbuf_rewind(r, mark, rv);
  }
  *len = n;
  return 0;
}

/* A timestamp value of the length |ts_type| implies. */
static int get_ts(imsms_rbuf *r, uint8_t ts_type, uint64_t *value) {
  uint32_t v32 = 0;
  int rv;

  switch (imsms_mikey_ts_len(ts_type)) {
  case 8:
    return imsms_rbuf_get_u64(r, value);
  case 4:
    rv = imsms_rbuf_get_u32(r, &v32);
    *value = v32;
    return rv;
  default:
    return IMSMS_ERR_MIKEY_TS_TYPE;
  }
}

static int get_fixed(imsms_rbuf *r, int len, int err, const uint8_t **data,
                     size_t *outlen) {
  if (len < 0) {
    return err;
  }
  *outlen = (size_t)len;
  return imsms_rbuf_get_view(r, data, (size_t)len);
}

static int kemac_decode(imsms_mikey_kemac *k, imsms_rbuf *r) {
  int rv;

  if ((rv = imsms_rbuf_get_u8(r, &k->encr_alg)) != 0 ||
      (rv = imsms_mikey_get_var16(r, &k->encr_data, &k->encr_len)) != 0 ||
      (rv = imsms_rbuf_get_u8(r, &k->mac_alg)) != 0) {
    return rv;
  }
  return get_fixed(r, imsms_mikey_mac_len(k->mac_alg),
                   IMSMS_ERR_MIKEY_MAC_ALG, &k->mac, &k->mac_len);
}

static int pke_decode(imsms_mikey_pke *p, imsms_rbuf *r) {
  uint16_t cl;
  int rv;

  if ((rv = imsms_rbuf_get_u16(r, &cl)) != 0) {
    return rv;
  }
  p->c = (uint8_t)(cl >> 14);
  p->len = cl & 0x3fff;
  return imsms_rbuf_get_view(r, &p->data, p->len);
}

/* KV data of |kv| (RFC 3830 6.14), as one raw view. */
static int kv_data_view(imsms_rbuf *r, uint8_t kv, const uint8_t **data,
                        size_t *len) {
  const uint8_t *start = r->pos, *v;
  size_t n;
  int rv = 0;

  if (kv == IMSMS_MIKEY_KV_SPI) {
    rv = imsms_mikey_get_var8(r, &v, &n);
  } else if (kv == IMSMS_MIKEY_KV_INTERVAL) {
    if ((rv = imsms_mikey_get_var8(r, &v, &n)) == 0) {
      rv = imsms_mikey_get_var8(r, &v, &n);
    }
  } else if (kv != IMSMS_MIKEY_KV_NULL) {
    return IMSMS_ERR_MIKEY_KEY_DATA;
  }
  if (rv != 0) {
    return imsms_rbuf_rewind(r, start, rv);
  }
  *data = start;
  *len = (size_t)(r->pos - start);
  return 0;
}

static int dh_decode(imsms_mikey_dh *d, imsms_rbuf *r) {
  uint8_t rkv;
  int rv;

  if ((rv = imsms_rbuf_get_u8(r, &d->group)) != 0 ||
      (rv = get_fixed(r, imsms_mikey_dh_len(d->group), IMSMS_ERR_MIKEY_DH_GROUP,
                      &d->value, &d->value_len)) != 0 ||
      (rv = imsms_rbuf_get_u8(r, &rkv)) != 0) {
    return rv;
  }
  d->reserved = rkv >> 4;
  d->kv = rkv & 0x0f;
  return kv_data_view(r, d->kv, &d->kv_data, &d->kv_len);
}

static int sign_decode(imsms_mikey_sign *s, imsms_rbuf *r) {
  uint16_t sl;
  int rv;

  if ((rv = imsms_rbuf_get_u16(r, &sl)) != 0) {
    return rv;
  }
  s->s_type = (uint8_t)(sl >> 12);
  s->len = sl & 0x0fff;
  return imsms_rbuf_get_view(r, &s->sig, s->len);
}

static int t_decode(imsms_mikey_t *t, imsms_rbuf *r) {
  int rv = imsms_rbuf_get_u8(r, &t->ts_type);

  return rv != 0 ? rv : get_ts(r, t->ts_type, &t->value);
}

static int id_decode(imsms_mikey_id *id, imsms_rbuf *r) {
  int rv = imsms_rbuf_get_u8(r, &id->type);

  return rv != 0 ? rv : imsms_mikey_get_var16(r, &id->data, &id->len);
}

static int ext_decode(imsms_mikey_ext *e, imsms_rbuf *r) {
  int rv = imsms_rbuf_get_u8(r, &e->type);

  return rv != 0 ? rv : imsms_mikey_get_var16(r, &e->data, &e->len);
}

static int chash_decode(imsms_mikey_chash *c, imsms_rbuf *r) {
  int rv = imsms_rbuf_get_u8(r, &c->func);

  return rv != 0 ? rv
                 : get_fixed(r, imsms_mikey_chash_len(c->func), IMSMS_ERR_MIKEY_HASH,
                             &c->hash, &c->len);
}

static int v_decode(imsms_mikey_v *v, imsms_rbuf *r) {
  int rv = imsms_rbuf_get_u8(r, &v->alg);

  return rv != 0 ? rv
                 : get_fixed(r, imsms_mikey_mac_len(v->alg),
                             IMSMS_ERR_MIKEY_MAC_ALG, &v->mac, &v->len);
}

static int sp_decode(imsms_mikey_sp *sp, imsms_rbuf *r) {
  int rv;

  if ((rv = imsms_rbuf_get_u8(r, &sp->policy_no)) != 0 ||
      (rv = imsms_rbuf_get_u8(r, &sp->prot_type)) != 0) {
    return rv;
  }
  return imsms_mikey_get_var16(r, &sp->params, &sp->len);
}

static int err_decode(imsms_mikey_errp *e, imsms_rbuf *r) {
  int rv = imsms_rbuf_get_u8(r, &e->error_no);

  return rv != 0 ? rv : imsms_rbuf_get_u16(r, &e->reserved);
}

static int tr_decode(imsms_mikey_tr *tr, imsms_rbuf *r) {
  int rv;

  if ((rv = imsms_rbuf_get_u8(r, &tr->role)) != 0 ||
      (rv = imsms_rbuf_get_u8(r, &tr->ts_type)) != 0) {
    return rv;
  }
  return get_ts(r, tr->ts_type, &tr->value);
}

static int idr_decode(imsms_mikey_idr *idr, imsms_rbuf *r) {
  int rv;

  if ((rv = imsms_rbuf_get_u8(r, &idr->role)) != 0 ||
      (rv = imsms_rbuf_get_u8(r, &idr->id_type)) != 0) {
    return rv;
  }
  return imsms_mikey_get_var16(r, &idr->data, &idr->len);
}

static int randr_decode(imsms_mikey_randr *rr, imsms_rbuf *r) {
  int rv = imsms_rbuf_get_u8(r, &rr->role);

  return rv != 0 ? rv : imsms_mikey_get_var8(r, &rr->rand, &rr->len);
}

static int body_decode(imsms_mikey_payload *pl, imsms_rbuf *r) {
  switch (pl->type) {
  case IMSMS_MIKEY_PT_KEMAC:
    return kemac_decode(&pl->u.kemac, r);
  case IMSMS_MIKEY_PT_PKE:
    return pke_decode(&pl->u.pke, r);
  case IMSMS_MIKEY_PT_DH:
    return dh_decode(&pl->u.dh, r);
  case IMSMS_MIKEY_PT_T:
    return t_decode(&pl->u.t, r);
  case IMSMS_MIKEY_PT_ID:
  case IMSMS_MIKEY_PT_CERT:
    return id_decode(&pl->u.id, r);
  case IMSMS_MIKEY_PT_CHASH:
    return chash_decode(&pl->u.chash, r);
  case IMSMS_MIKEY_PT_V:
    return v_decode(&pl->u.v, r);
  case IMSMS_MIKEY_PT_SP:
    return sp_decode(&pl->u.sp, r);
  case IMSMS_MIKEY_PT_RAND:
    return imsms_mikey_get_var8(r, &pl->u.rand.rand, &pl->u.rand.len);
  case IMSMS_MIKEY_PT_ERR:
    return err_decode(&pl->u.err, r);
  case IMSMS_MIKEY_PT_GEN_EXT:
    return ext_decode(&pl->u.ext, r);
  case IMSMS_MIKEY_PT_TR:
    return tr_decode(&pl->u.tr, r);
  case IMSMS_MIKEY_PT_IDR:
    return idr_decode(&pl->u.idr, r);
  case IMSMS_MIKEY_PT_RANDR:
    return randr_decode(&pl->u.randr, r);
  case IMSMS_MIKEY_PT_THDR:
    return imsms_mikey_get_var16(r, &pl->u.thdr.data, &pl->u.thdr.len);
  default:
    return IMSMS_ERR_MIKEY_PAYLOAD_TYPE;
  }
}

int imsms_mikey_payload_decode(imsms_mikey_payload *pl, uint8_t type,
                               imsms_rbuf *r) {
  int rv;

  pl->type = type;
  pl->raw = r->pos;
  pl->next = IMSMS_MIKEY_PT_LAST;
  if (type == IMSMS_MIKEY_PT_TP || type == IMSMS_MIKEY_PT_TICKET) {
    rv = imsms_mikey_ticket_decode(pl, r);
  } else if (type == IMSMS_MIKEY_PT_SIGN) {
    /* SIGN is the one payload without a next-payload byte. */
    rv = sign_decode(&pl->u.sign, r);
  } else {
    rv = imsms_rbuf_get_u8(r, &pl->next);
    if (rv == 0) {
      rv = body_decode(pl, r);
    }
  }
  if (rv != 0) {
    return imsms_rbuf_rewind(r, pl->raw, rv);
  }
  pl->rawlen = (size_t)(r->pos - pl->raw);
  return 0;
}
