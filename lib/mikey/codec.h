/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The MIKEY codec's internal interface: header and payload decode and
 * encode, shared by the message layer (msg.c) and the protection layer.
 */
#ifndef IMSMS_MIKEY_CODEC_H
#define IMSMS_MIKEY_CODEC_H

#include <imsmediasec/mikey.h>

#include "core/buf.h"

/* Fixed part of HDR: version to map type. */
#define IMSMS_MIKEY_HDR_FIXED_LEN 10
/* One SRTP-ID map entry: policy, SSRC, ROC. */
#define IMSMS_MIKEY_SRTP_ID_ENTRY_LEN 9

/*
 * The lengths algorithm and type codes imply. Inline: the encoder and the
 * engine ask them for nearly every payload.
 */

/* MAC length implied by a KEMAC/V MAC algorithm, or -1 when unknown. */
static inline int imsms_mikey_mac_len(uint8_t alg) {
  switch (alg) {
  case IMSMS_MIKEY_MAC_NULL:
    return 0;
  case IMSMS_MIKEY_MAC_HMAC_SHA1_160:
    return 20;
  case IMSMS_MIKEY_MAC_HMAC_SHA256_256:
    return 32;
  default:
    return -1;
  }
}

/* DH value length of a group (RFC 3830 6.4), or -1 when unknown. */
static inline int imsms_mikey_dh_len(uint8_t group) {
  return group == 0 ? 192 : group == 1 ? 96 : group == 2 ? 128 : -1;
}

/* Hash length of a CHASH function (RFC 3830 6.8, RFC 6043), or -1. */
static inline int imsms_mikey_chash_len(uint8_t func) {
  return func == 0 ? 20 : func == 1 ? 16 : func == 2 ? 32 : -1;
}

/* Value length implied by a timestamp type, or -1 when unknown. */
static inline int imsms_mikey_ts_len(uint8_t ts_type) {
  switch (ts_type) {
  case IMSMS_MIKEY_TS_NTP_UTC:
  case IMSMS_MIKEY_TS_NTP:
    return 8;
  case IMSMS_MIKEY_TS_COUNTER:
  case IMSMS_MIKEY_TS_NTP_UTC_32:
    return 4;
  default:
    return -1;
  }
}

/*
 * Decodes HDR from |r| into |hdr| (map info as a view). Returns 0,
 * IMSMS_ERR_TRUNCATED, IMSMS_ERR_MIKEY_VERSION, IMSMS_ERR_MIKEY_DATA_TYPE
 * or IMSMS_ERR_MIKEY_MAP.
 */
int imsms_mikey_hdr_decode(imsms_mikey_hdr *hdr, imsms_rbuf *r);

/* Encoded length of |hdr|, or IMSMS_ERR_MIKEY_MAP / IMSMS_ERR_INVALID_ARGUMENT. */
imsms_ssize imsms_mikey_hdr_len(const imsms_mikey_hdr *hdr);

/* Writes |hdr| with first-payload type |next|; the caller checked the room. */
void imsms_mikey_hdr_write(imsms_wbuf *w, const imsms_mikey_hdr *hdr,
                           uint8_t next);

/*
 * Decodes one payload of |type| from |r| into |pl|. The cursor moves past
 * the payload only on success. Returns 0 or a decode error.
 */
int imsms_mikey_payload_decode(imsms_mikey_payload *pl, uint8_t type,
                               imsms_rbuf *r);

/* Encoded length of |pl|, or a negative error (see imsms_mikey_encoded_len). */
imsms_ssize imsms_mikey_payload_len(const imsms_mikey_payload *pl);

/* Writes |pl| with next-payload byte |next|; the caller checked the room. */
void imsms_mikey_payload_write(imsms_wbuf *w, const imsms_mikey_payload *pl,
                               uint8_t next);

/*
 * When the next payload of |it| is a whole IDR, reads it in place into
 * |idr|, moves |it| past it as imsms_mikey_iter_next() would, and returns
 * 1; otherwise returns 0 and changes nothing, for imsms_mikey_iter_next()
 * to decode the payload (and report what is wrong with it). A ticket
 * policy naming many responders is mostly IDR payloads: read this way
 * they cost a quarter of the generic decoder's time.
 */
int imsms_mikey_iter_next_idr(imsms_mikey_iter *it, imsms_mikey_idr *idr);

/* TP and TICKET (pl_ticket.c). */
int imsms_mikey_ticket_decode(imsms_mikey_payload *pl, imsms_rbuf *r);
imsms_ssize imsms_mikey_ticket_len(const imsms_mikey_payload *pl);
void imsms_mikey_ticket_write(imsms_wbuf *w, const imsms_mikey_payload *pl);

/*
 * Checks that |len| bytes at |p| are exactly one chain of Key data
 * sub-payloads (the last with next payload 0) and reports the first one
 * in |*first| (may be NULL). Returns 0 or IMSMS_ERR_MIKEY_KEY_DATA.
 */
int imsms_mikey_keydata_chain_check(const uint8_t *p, size_t len,
                                    imsms_mikey_keydata *first);

/* Reads a 16-bit length and a view of that many bytes. */
int imsms_mikey_get_var16(imsms_rbuf *r, const uint8_t **data, size_t *len);
/* Reads an 8-bit length and a view of that many bytes. */
int imsms_mikey_get_var8(imsms_rbuf *r, const uint8_t **data, size_t *len);

#endif /* IMSMS_MIKEY_CODEC_H */
