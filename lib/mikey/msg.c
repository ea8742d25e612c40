/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Whole messages: HDR then the payload chain (RFC 3830 5.2, 6.1). The
 * chain is typed by each payload's predecessor; SIGN, which has no
 * next-payload byte, ends it.
 */
#include <assert.h>

#include "mikey/codec.h"

/* Payload types that may appear in a message's top-level chain. */
static int top_level_type(uint8_t type) {
  return (type >= IMSMS_MIKEY_PT_KEMAC && type <= IMSMS_MIKEY_PT_TICKET) ||
         type == IMSMS_MIKEY_PT_GEN_EXT;
}

/* see imsmediasec/mikey.h */
void imsms_mikey_chain_init(imsms_mikey_iter *it, uint8_t first_type,
                            const uint8_t *in, size_t inlen) {
  it->pos = in;
  it->end = in ? in + inlen : in;
  it->next_type = first_type;
  it->from_wire = 0;
}

/* see imsmediasec/mikey.h */
void imsms_mikey_iter_init(imsms_mikey_iter *it, const imsms_mikey_msg *msg) {
  imsms_mikey_chain_init(it, msg->hdr.next_payload, msg->data + msg->hdr_len,
                         msg->len - msg->hdr_len);
}

/* see imsmediasec/mikey.h */
int imsms_mikey_iter_next(imsms_mikey_iter *it, imsms_mikey_payload *pl) {
  imsms_rbuf r;
  int rv;

  if (it->next_type == IMSMS_MIKEY_PT_LAST) {
    return IMSMS_ERR_EOF;
  }
  /*
   * Key data lives inside KEMAC plaintext (imsms_mikey_keydata_decode);
   * 255 on the wire is no payload type, only our name for a first THDR.
   */
  if (it->next_type == IMSMS_MIKEY_PT_KEY_DATA ||
      (it->from_wire && it->next_type == IMSMS_MIKEY_PT_THDR)) {
    return IMSMS_ERR_MIKEY_PAYLOAD_TYPE;
  }
  r.pos = it->pos;
  r.end = it->end;
  rv = imsms_mikey_payload_decode(pl, it->next_type, &r);
  if (rv != 0) {
    return rv;
  }
  it->pos = r.pos;
  it->next_type = pl->type == IMSMS_MIKEY_PT_SIGN ? IMSMS_MIKEY_PT_LAST
                                                  : pl->next;
  it->from_wire = 1;
  return 0;
}

/* see mikey/codec.h */
int imsms_mikey_iter_next_idr(imsms_mikey_iter *it, imsms_mikey_idr *idr) {
  const uint8_t *p = it->pos;
  size_t left, len;

  if (it->next_type != IMSMS_MIKEY_PT_IDR || p == NULL) {
    return 0;
  }
  /* Next payload, role, ID type, 16-bit length, then the ID data. */
  left = (size_t)(it->end - p);
  if (left < 5) {
    return 0;
  }
  len = (size_t)p[3] << 8 | p[4];
  if (left - 5 < len) {
    return 0;
  }
  idr->role = p[1];
  idr->id_type = p[2];
  idr->data = p + 5;
  idr->len = len;
  it->next_type = p[0];
  it->pos = p + 5 + len;
  it->from_wire = 1;
  return 1;
}

/*
 * One pass over the chain: every payload decodes, and nothing follows.
 * It walks with a bare reader rather than an iterator: this pass is most
 * of what a decode costs. The first |cap| payloads are decoded into
 * |pls|, so that imsms_mikey_decode_all() needs no second pass.
 */
static int check_chain(imsms_mikey_msg *msg, imsms_mikey_payload *pls,
                       size_t cap) {
  imsms_mikey_payload scratch, *pl;
  imsms_rbuf r;
  uint8_t type = msg->hdr.next_payload;
  int rv;

  imsms_rbuf_init(&r, msg->data + msg->hdr_len, msg->len - msg->hdr_len);
  msg->npayloads = 0;
  while (type != IMSMS_MIKEY_PT_LAST) {
    if (!top_level_type(type)) {
      return IMSMS_ERR_MIKEY_PAYLOAD_TYPE;
    }
    pl = msg->npayloads < cap ? &pls[msg->npayloads] : &scratch;
    rv = imsms_mikey_payload_decode(pl, type, &r);
    if (rv != 0) {
      return rv;
    }
    msg->npayloads++;
    if (type == IMSMS_MIKEY_PT_SIGN) {
      return r.pos == r.end ? 0 : IMSMS_ERR_MIKEY_SIGN_NOT_LAST;
    }
    type = pl->next;
  }
  return r.pos == r.end ? 0 : IMSMS_ERR_MIKEY_TRAILING;
}

static int decode(imsms_mikey_msg *msg, const uint8_t *in, size_t inlen,
                  imsms_mikey_payload *pls, size_t cap) {
  imsms_rbuf r;
  int rv;

  if (msg == NULL || in == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (inlen > IMSMS_MIKEY_MAX_MSG_LEN) {
    return IMSMS_ERR_TOO_LARGE;
  }
  imsms_rbuf_init(&r, in, inlen);
  rv = imsms_mikey_hdr_decode(&msg->hdr, &r);
  if (rv != 0) {
    return rv;
  }
  msg->data = in;
  msg->len = inlen;
  msg->hdr_len = (size_t)(r.pos - in);
  return check_chain(msg, pls, cap);
}

/* see imsmediasec/mikey.h */
int imsms_mikey_decode(imsms_mikey_msg *msg, const uint8_t *in, size_t inlen) {
  return decode(msg, in, inlen, NULL, 0);
}

/* see imsmediasec/mikey.h */
imsms_ssize imsms_mikey_decode_all(imsms_mikey_msg *msg,
                                   imsms_mikey_payload *pls, size_t cap,
                                   const uint8_t *in, size_t inlen) {
  int rv;

  if (pls == NULL && cap) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  rv = decode(msg, in, inlen, pls, cap);
  if (rv != 0) {
    return rv;
  }
  if (msg->npayloads > cap) {
    return IMSMS_ERR_MIKEY_TOO_MANY;
  }
  return (imsms_ssize)msg->npayloads;
}

/* Length of a chain of payloads; THDR only allowed when |thdr_ok|. */
static imsms_ssize chain_len(const imsms_mikey_payload *pls, size_t npls,
                             int thdr_ok) {
  imsms_ssize n, total = 0;
  size_t i;

  for (i = 0; i < npls; i++) {
    int ok = top_level_type(pls[i].type) ||
             (thdr_ok && i == 0 && pls[i].type == IMSMS_MIKEY_PT_THDR);

    if (!ok || (pls[i].type == IMSMS_MIKEY_PT_SIGN && i + 1 != npls)) {
      return IMSMS_ERR_MIKEY_PAYLOAD_TYPE;
    }
    n = imsms_mikey_payload_len(&pls[i]);
    if (n < 0) {
      return n;
    }
    total += n;
    if (total > IMSMS_MIKEY_MAX_MSG_LEN) {
      return IMSMS_ERR_TOO_LARGE;
    }
  }
  return total;
}

static void chain_write(imsms_wbuf *w, const imsms_mikey_payload *pls,
                        size_t npls) {
  size_t i;

  for (i = 0; i < npls; i++) {
    uint8_t next = i + 1 < npls ? pls[i + 1].type : IMSMS_MIKEY_PT_LAST;

    imsms_mikey_payload_write(w, &pls[i], next);
  }
}

/* see imsmediasec/mikey.h */
imsms_ssize imsms_mikey_chain_encode(uint8_t *out, size_t outcap,
                                     const imsms_mikey_payload *pls,
                                     size_t npls) {
  imsms_ssize len;
  imsms_wbuf w;

  if ((pls == NULL && npls) || (out == NULL && outcap)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  len = chain_len(pls, npls, 1);
  if (len < 0 || out == NULL) {
    return len;
  }
  if (outcap < (size_t)len) {
    return IMSMS_ERR_NOBUF;
  }
  imsms_wbuf_init(&w, out, outcap);
  chain_write(&w, pls, npls);
  assert((imsms_ssize)(w.pos - out) == len);
  return len;
}

/* see imsmediasec/mikey.h */
imsms_ssize imsms_mikey_encoded_len(const imsms_mikey_hdr *hdr,
                                    const imsms_mikey_payload *pls,
                                    size_t npls) {
  imsms_ssize n, total;

  if (hdr == NULL || (pls == NULL && npls)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  total = imsms_mikey_hdr_len(hdr);
  if (total < 0) {
    return total;
  }
  n = chain_len(pls, npls, 0);
  if (n < 0) {
    return n;
  }
  return total + n > IMSMS_MIKEY_MAX_MSG_LEN ? IMSMS_ERR_TOO_LARGE : total + n;
}

/* see imsmediasec/mikey.h */
imsms_ssize imsms_mikey_encode(uint8_t *out, size_t outcap,
                               const imsms_mikey_hdr *hdr,
                               const imsms_mikey_payload *pls, size_t npls) {
  imsms_ssize len = imsms_mikey_encoded_len(hdr, pls, npls);
  imsms_wbuf w;

  if (len < 0) {
    return len;
  }
  if (out == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (outcap < (size_t)len) {
    return IMSMS_ERR_NOBUF;
  }
  imsms_wbuf_init(&w, out, outcap);
  imsms_mikey_hdr_write(&w, hdr, npls ? pls[0].type : IMSMS_MIKEY_PT_LAST);
  chain_write(&w, pls, npls);
  assert((imsms_ssize)(w.pos - out) == len);
  return len;
}
