/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * TP (16) and TICKET (17) payloads, RFC 6043 section 6.10. Bytes 5-7 hold
 * PRF Func (7 bits) and the flags D to O; imsms_mikey_ticket.flags keeps
 * D at bit 15 down to O at bit 4, so the wire bits map by shifts:
 *   byte 5 = PRF << 1 | D, byte 6 = E F G H I J K L, byte 7 = M N O rrrrr.
 */
#include "mikey/codec.h"

int imsms_mikey_ticket_decode(imsms_mikey_payload *pl, imsms_rbuf *r) {
  imsms_mikey_ticket *t = &pl->u.ticket;
  uint8_t b5, b6, b7;
  int rv;

  if ((rv = imsms_rbuf_get_u8(r, &pl->next)) != 0 ||
      (rv = imsms_rbuf_get_u16(r, &t->ticket_type)) != 0 ||
      (rv = imsms_rbuf_get_u8(r, &t->subtype)) != 0 ||
      (rv = imsms_rbuf_get_u8(r, &t->version)) != 0 ||
      (rv = imsms_rbuf_get_u8(r, &b5)) != 0 ||
      (rv = imsms_rbuf_get_u8(r, &b6)) != 0 ||
      (rv = imsms_rbuf_get_u8(r, &b7)) != 0 ||
      (rv = imsms_mikey_get_var16(r, &t->tp_data, &t->tp_data_len)) != 0) {
    return rv;
  }
  t->prf_func = b5 >> 1;
  t->flags = (uint16_t)((b5 & 1) << 15 | b6 << 7 | (b7 >> 5) << 4);
  t->reserved = b7 & 0x1f;
  t->ticket_data = t->init_data = NULL;
  t->ticket_data_len = t->init_data_len = 0;
  if (pl->type == IMSMS_MIKEY_PT_TICKET) {
    if ((rv = imsms_mikey_get_var16(r, &t->ticket_data,
                                    &t->ticket_data_len)) != 0 ||
        (rv = imsms_mikey_get_var16(r, &t->init_data, &t->init_data_len)) !=
            0) {
      return rv;
    }
  }
  return 0;
}

static int view_ok(const uint8_t *p, size_t n) {
  return (p != NULL || n == 0) && n <= 0xffff;
}

imsms_ssize imsms_mikey_ticket_len(const imsms_mikey_payload *pl) {
  const imsms_mikey_ticket *t = &pl->u.ticket;
  size_t n = 1 + 2 + 1 + 1 + 3 + 2 + t->tp_data_len;

  if (!view_ok(t->tp_data, t->tp_data_len) || t->prf_func > 0x7f ||
      (t->flags & 0x000f) || t->reserved > 0x1f) {
    return IMSMS_ERR_MIKEY_LENGTH;
  }
  if (pl->type == IMSMS_MIKEY_PT_TICKET) {
    if (!view_ok(t->ticket_data, t->ticket_data_len) ||
        !view_ok(t->init_data, t->init_data_len)) {
      return IMSMS_ERR_MIKEY_LENGTH;
    }
    n += 2 + t->ticket_data_len + 2 + t->init_data_len;
  }
  return (imsms_ssize)n;
}

void imsms_mikey_ticket_write(imsms_wbuf *w, const imsms_mikey_payload *pl) {
  const imsms_mikey_ticket *t = &pl->u.ticket;

  (void)imsms_wbuf_put_u16(w, t->ticket_type);
  (void)imsms_wbuf_put_u8(w, t->subtype);
  (void)imsms_wbuf_put_u8(w, t->version);
  (void)imsms_wbuf_put_u8(w, (uint8_t)(t->prf_func << 1 | t->flags >> 15));
  (void)imsms_wbuf_put_u8(w, (uint8_t)(t->flags >> 7));
  (void)imsms_wbuf_put_u8(w, (uint8_t)((t->flags >> 4 & 0x07) << 5 |
                                       t->reserved));
  (void)imsms_wbuf_put_u16(w, (uint16_t)t->tp_data_len);
  (void)imsms_wbuf_put_bytes(w, t->tp_data, t->tp_data_len);
  if (pl->type == IMSMS_MIKEY_PT_TICKET) {
    (void)imsms_wbuf_put_u16(w, (uint16_t)t->ticket_data_len);
    (void)imsms_wbuf_put_bytes(w, t->ticket_data, t->ticket_data_len);
    (void)imsms_wbuf_put_u16(w, (uint16_t)t->init_data_len);
    (void)imsms_wbuf_put_bytes(w, t->init_data, t->init_data_len);
  }
}
