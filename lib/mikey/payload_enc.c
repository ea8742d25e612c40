/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Exact lengths and writers for the payloads of payload.c. Lengths are
 * computed (and every field checked against its length field and its
 * algorithm code) before anything is written.
 */
#include "mikey/codec.h"

/* Nonzero when a view is unusable: NULL data with a nonzero length. */
#define BAD_VIEW(p, n) ((p) == NULL && (n) != 0)

static imsms_ssize fixed_or_err(size_t have, int want) {
  return want < 0 || have != (size_t)want ? IMSMS_ERR_MIKEY_LENGTH : 0;
}

static imsms_ssize var_len(const uint8_t *p, size_t n, size_t max) {
  return BAD_VIEW(p, n) ? IMSMS_ERR_INVALID_ARGUMENT
         : n > max      ? IMSMS_ERR_MIKEY_LENGTH
                        : (imsms_ssize)n;
}

/* Length of a payload's body after its next-payload byte. */
static imsms_ssize body_len(const imsms_mikey_payload *pl) {
  const imsms_mikey_payload *p = pl;
  imsms_ssize n;

  switch (p->type) {
  case IMSMS_MIKEY_PT_KEMAC:
    if ((n = var_len(p->u.kemac.encr_data, p->u.kemac.encr_len, 0xffff)) < 0 ||
        BAD_VIEW(p->u.kemac.mac, p->u.kemac.mac_len) ||
        fixed_or_err(p->u.kemac.mac_len, imsms_mikey_mac_len(p->u.kemac.mac_alg))) {
      return n < 0 ? n : IMSMS_ERR_MIKEY_LENGTH;
    }
    return 1 + 2 + n + 1 + (imsms_ssize)p->u.kemac.mac_len;
  case IMSMS_MIKEY_PT_PKE:
    n = var_len(p->u.pke.data, p->u.pke.len, 0x3fff);
    return n < 0 ? n : p->u.pke.c > 3 ? IMSMS_ERR_MIKEY_LENGTH : 2 + n;
  case IMSMS_MIKEY_PT_DH: {
    int vlen = imsms_mikey_dh_len(p->u.dh.group);

    if (BAD_VIEW(p->u.dh.value, p->u.dh.value_len) ||
        BAD_VIEW(p->u.dh.kv_data, p->u.dh.kv_len) ||
        fixed_or_err(p->u.dh.value_len, vlen) || p->u.dh.kv > 0x0f ||
        p->u.dh.reserved > 0x0f) {
      return IMSMS_ERR_MIKEY_LENGTH;
    }
    return 1 + (imsms_ssize)p->u.dh.value_len + 1 + (imsms_ssize)p->u.dh.kv_len;
  }
  case IMSMS_MIKEY_PT_T: {
    int tl = imsms_mikey_ts_len(p->u.t.ts_type);

    /* A 32-bit type cannot carry a larger value: never drop bits silently. */
    return tl < 0 || (tl == 4 && p->u.t.value > 0xffffffffu)
               ? IMSMS_ERR_MIKEY_LENGTH
               : 1 + tl;
  }
  case IMSMS_MIKEY_PT_ID:
  case IMSMS_MIKEY_PT_CERT:
    n = var_len(p->u.id.data, p->u.id.len, 0xffff);
    return n < 0 ? n : 3 + n;
  case IMSMS_MIKEY_PT_CHASH:
    if (BAD_VIEW(p->u.chash.hash, p->u.chash.len) ||
        fixed_or_err(p->u.chash.len, imsms_mikey_chash_len(p->u.chash.func))) {
      return IMSMS_ERR_MIKEY_LENGTH;
    }
    return 1 + (imsms_ssize)p->u.chash.len;
  case IMSMS_MIKEY_PT_V:
    if (BAD_VIEW(p->u.v.mac, p->u.v.len) ||
        fixed_or_err(p->u.v.len, imsms_mikey_mac_len(p->u.v.alg))) {
      return IMSMS_ERR_MIKEY_LENGTH;
    }
    return 1 + (imsms_ssize)p->u.v.len;
  case IMSMS_MIKEY_PT_SP:
    n = var_len(p->u.sp.params, p->u.sp.len, 0xffff);
    return n < 0 ? n : 4 + n;
  case IMSMS_MIKEY_PT_RAND:
    n = var_len(p->u.rand.rand, p->u.rand.len, 0xff);
    return n < 0 ? n : 1 + n;
  case IMSMS_MIKEY_PT_ERR:
    return 3;
  case IMSMS_MIKEY_PT_GEN_EXT:
    n = var_len(p->u.ext.data, p->u.ext.len, 0xffff);
    return n < 0 ? n : 3 + n;
  case IMSMS_MIKEY_PT_TR: {
    int tl = imsms_mikey_ts_len(p->u.tr.ts_type);

    return tl < 0 || (tl == 4 && p->u.tr.value > 0xffffffffu)
               ? IMSMS_ERR_MIKEY_LENGTH
               : 2 + tl;
  }
  case IMSMS_MIKEY_PT_IDR:
    n = var_len(p->u.idr.data, p->u.idr.len, 0xffff);
    return n < 0 ? n : 4 + n;
  case IMSMS_MIKEY_PT_RANDR:
    n = var_len(p->u.randr.rand, p->u.randr.len, 0xff);
    return n < 0 ? n : 2 + n;
  case IMSMS_MIKEY_PT_THDR:
    n = var_len(p->u.thdr.data, p->u.thdr.len, 0xffff);
    return n < 0 ? n : 2 + n;
  default:
    return IMSMS_ERR_MIKEY_PAYLOAD_TYPE;
  }
}

imsms_ssize imsms_mikey_payload_len(const imsms_mikey_payload *pl) {
  imsms_ssize n;

  switch (pl->type) {
  case IMSMS_MIKEY_PT_TP:
  case IMSMS_MIKEY_PT_TICKET:
    return imsms_mikey_ticket_len(pl);
  case IMSMS_MIKEY_PT_SIGN:
    n = var_len(pl->u.sign.sig, pl->u.sign.len, 0x0fff);
    return n < 0 ? n : pl->u.sign.s_type > 0x0f ? IMSMS_ERR_MIKEY_LENGTH : 2 + n;
  default:
    n = body_len(pl);
    return n < 0 ? n : 1 + n;
  }
}

static void put_ts(imsms_wbuf *w, uint8_t ts_type, uint64_t value) {
  if (imsms_mikey_ts_len(ts_type) == 8) {
    (void)imsms_wbuf_put_u64(w, value);
  } else {
    (void)imsms_wbuf_put_u32(w, (uint32_t)value);
  }
}

static void put_var16(imsms_wbuf *w, const uint8_t *p, size_t n) {
  (void)imsms_wbuf_put_u16(w, (uint16_t)n);
  (void)imsms_wbuf_put_bytes(w, p, n);
}

static void put_var8(imsms_wbuf *w, const uint8_t *p, size_t n) {
  (void)imsms_wbuf_put_u8(w, (uint8_t)n);
  (void)imsms_wbuf_put_bytes(w, p, n);
}

static void body_write(imsms_wbuf *w, const imsms_mikey_payload *p) {
  switch (p->type) {
  case IMSMS_MIKEY_PT_KEMAC:
    (void)imsms_wbuf_put_u8(w, p->u.kemac.encr_alg);
    put_var16(w, p->u.kemac.encr_data, p->u.kemac.encr_len);
    (void)imsms_wbuf_put_u8(w, p->u.kemac.mac_alg);
    (void)imsms_wbuf_put_bytes(w, p->u.kemac.mac, p->u.kemac.mac_len);
    break;
  case IMSMS_MIKEY_PT_PKE:
    (void)imsms_wbuf_put_u16(w, (uint16_t)(p->u.pke.c << 14 | p->u.pke.len));
    (void)imsms_wbuf_put_bytes(w, p->u.pke.data, p->u.pke.len);
    break;
  case IMSMS_MIKEY_PT_DH:
    (void)imsms_wbuf_put_u8(w, p->u.dh.group);
    (void)imsms_wbuf_put_bytes(w, p->u.dh.value, p->u.dh.value_len);
    (void)imsms_wbuf_put_u8(w, (uint8_t)(p->u.dh.reserved << 4 | p->u.dh.kv));
    (void)imsms_wbuf_put_bytes(w, p->u.dh.kv_data, p->u.dh.kv_len);
    break;
  case IMSMS_MIKEY_PT_T:
    (void)imsms_wbuf_put_u8(w, p->u.t.ts_type);
    put_ts(w, p->u.t.ts_type, p->u.t.value);
    break;
  case IMSMS_MIKEY_PT_ID:
  case IMSMS_MIKEY_PT_CERT:
    (void)imsms_wbuf_put_u8(w, p->u.id.type);
    put_var16(w, p->u.id.data, p->u.id.len);
    break;
  case IMSMS_MIKEY_PT_CHASH:
    (void)imsms_wbuf_put_u8(w, p->u.chash.func);
    (void)imsms_wbuf_put_bytes(w, p->u.chash.hash, p->u.chash.len);
    break;
  case IMSMS_MIKEY_PT_V:
    (void)imsms_wbuf_put_u8(w, p->u.v.alg);
    (void)imsms_wbuf_put_bytes(w, p->u.v.mac, p->u.v.len);
    break;
  case IMSMS_MIKEY_PT_SP:
    (void)imsms_wbuf_put_u8(w, p->u.sp.policy_no);
    (void)imsms_wbuf_put_u8(w, p->u.sp.prot_type);
    put_var16(w, p->u.sp.params, p->u.sp.len);
    break;
  case IMSMS_MIKEY_PT_RAND:
    put_var8(w, p->u.rand.rand, p->u.rand.len);
    break;
  case IMSMS_MIKEY_PT_ERR:
    (void)imsms_wbuf_put_u8(w, p->u.err.error_no);
    (void)imsms_wbuf_put_u16(w, p->u.err.reserved);
    break;
  case IMSMS_MIKEY_PT_GEN_EXT:
    (void)imsms_wbuf_put_u8(w, p->u.ext.type);
    put_var16(w, p->u.ext.data, p->u.ext.len);
    break;
  case IMSMS_MIKEY_PT_TR:
    (void)imsms_wbuf_put_u8(w, p->u.tr.role);
    (void)imsms_wbuf_put_u8(w, p->u.tr.ts_type);
    put_ts(w, p->u.tr.ts_type, p->u.tr.value);
    break;
  case IMSMS_MIKEY_PT_IDR:
    (void)imsms_wbuf_put_u8(w, p->u.idr.role);
    (void)imsms_wbuf_put_u8(w, p->u.idr.id_type);
    put_var16(w, p->u.idr.data, p->u.idr.len);
    break;
  case IMSMS_MIKEY_PT_RANDR:
    (void)imsms_wbuf_put_u8(w, p->u.randr.role);
    put_var8(w, p->u.randr.rand, p->u.randr.len);
    break;
  case IMSMS_MIKEY_PT_THDR:
    put_var16(w, p->u.thdr.data, p->u.thdr.len);
    break;
  default:
    break;
  }
}

void imsms_mikey_payload_write(imsms_wbuf *w, const imsms_mikey_payload *pl,
                               uint8_t next) {
  switch (pl->type) {
  case IMSMS_MIKEY_PT_SIGN:
    (void)imsms_wbuf_put_u16(
        w, (uint16_t)(pl->u.sign.s_type << 12 | pl->u.sign.len));
    (void)imsms_wbuf_put_bytes(w, pl->u.sign.sig, pl->u.sign.len);
    return;
  case IMSMS_MIKEY_PT_TP:
  case IMSMS_MIKEY_PT_TICKET:
    (void)imsms_wbuf_put_u8(w, next);
    imsms_mikey_ticket_write(w, pl);
    return;
  default:
    (void)imsms_wbuf_put_u8(w, next);
    body_write(w, pl);
    return;
  }
}
