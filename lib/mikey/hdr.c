/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The common header (RFC 3830 6.1, RFC 6043 6.1) and its CS ID maps:
 * SRTP-ID (RFC 3830 6.1.1), Empty (RFC 4563), GENERIC-ID (RFC 6043 6.1.1).
 */
#include "mikey/codec.h"

/* Data types 19 and up (IBAKE, SAKKE) are registered but not supported. */
#define MAX_DATA_TYPE IMSMS_MIKEY_RESOLVE_RESP

/* Reads one GENERIC-ID block into |cs|. */
static int generic_block_decode(imsms_rbuf *r, imsms_mikey_cs *cs) {
  uint8_t sp;
  int rv;

  if ((rv = imsms_rbuf_get_u8(r, &cs->cs_id)) != 0 ||
      (rv = imsms_rbuf_get_u8(r, &cs->prot_type)) != 0 ||
      (rv = imsms_rbuf_get_u8(r, &sp)) != 0) {
    return rv;
  }
  cs->s_flag = sp >> 7;
  cs->npolicies = sp & 0x7f;
  if ((rv = imsms_rbuf_get_view(r, &cs->policies, cs->npolicies)) != 0 ||
      (rv = imsms_mikey_get_var16(r, &cs->session_data,
                                  &cs->session_data_len)) != 0 ||
      (rv = imsms_mikey_get_var8(r, &cs->spi, &cs->spi_len)) != 0) {
    return rv;
  }
  cs->ssrc = cs->roc = 0;
  cs->seq = 0;
  /* SRTP Session Data: SSRC, then ROC and SEQ when S is set. */
  if (cs->prot_type == IMSMS_MIKEY_PROT_SRTP &&
      cs->session_data_len == (cs->s_flag ? 10u : 4u)) {
    imsms_rbuf sd;

    imsms_rbuf_init(&sd, cs->session_data, cs->session_data_len);
    (void)imsms_rbuf_get_u32(&sd, &cs->ssrc);
    if (cs->s_flag) {
      (void)imsms_rbuf_get_u32(&sd, &cs->roc);
      (void)imsms_rbuf_get_u16(&sd, &cs->seq);
    }
  }
  return 0;
}

static int srtp_entry_decode(imsms_rbuf *r, imsms_mikey_cs *cs,
                             uint8_t index) {
  int rv;

  cs->policies = r->pos;
  if ((rv = imsms_rbuf_skip(r, 1)) != 0 ||
      (rv = imsms_rbuf_get_u32(r, &cs->ssrc)) != 0 ||
      (rv = imsms_rbuf_get_u32(r, &cs->roc)) != 0) {
    return rv;
  }
  cs->cs_id = index;
  cs->prot_type = IMSMS_MIKEY_PROT_SRTP;
  cs->s_flag = 0;
  cs->npolicies = 1;
  cs->session_data = NULL;
  cs->session_data_len = 0;
  cs->spi = NULL;
  cs->spi_len = 0;
  cs->seq = 0;
  return 0;
}

/* Length of the map info that follows the fixed header, from |r|. */
static int map_measure(imsms_rbuf *r, uint8_t map_type, uint8_t ncs,
                       size_t *len) {
  const uint8_t *start = r->pos;
  imsms_mikey_cs cs;
  uint8_t i;

  switch (map_type) {
  case IMSMS_MIKEY_MAP_SRTP_ID:
    *len = (size_t)ncs * IMSMS_MIKEY_SRTP_ID_ENTRY_LEN;
    return imsms_rbuf_left(r) < *len ? IMSMS_ERR_TRUNCATED : 0;
  case IMSMS_MIKEY_MAP_EMPTY:
    *len = 0;
    return 0;
  case IMSMS_MIKEY_MAP_GENERIC_ID:
    for (i = 0; i < ncs; i++) {
      int rv = generic_block_decode(r, &cs);

      if (rv != 0) {
        r->pos = start;
        return rv;
      }
    }
    *len = (size_t)(r->pos - start);
    r->pos = start;
    return 0;
  default:
    return IMSMS_ERR_MIKEY_MAP;
  }
}

int imsms_mikey_hdr_decode(imsms_mikey_hdr *hdr, imsms_rbuf *r) {
  const uint8_t *p = r->pos;
  imsms_rbuf c;
  int rv;

  if (imsms_rbuf_left(r) < IMSMS_MIKEY_HDR_FIXED_LEN) {
    return IMSMS_ERR_TRUNCATED;
  }
  /* The fixed part is in bounds: read it in place. */
  hdr->version = p[0];
  hdr->data_type = p[1];
  hdr->next_payload = p[2];
  hdr->v = p[3] >> 7;
  hdr->prf_func = p[3] & 0x7f;
  hdr->csb_id = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 |
                (uint32_t)p[6] << 8 | p[7];
  hdr->ncs = p[8];
  hdr->map_type = p[9];
  if (hdr->version != 1) {
    return IMSMS_ERR_MIKEY_VERSION;
  }
  if (hdr->data_type > MAX_DATA_TYPE) {
    return IMSMS_ERR_MIKEY_DATA_TYPE;
  }
  imsms_rbuf_init(&c, p + IMSMS_MIKEY_HDR_FIXED_LEN,
                  imsms_rbuf_left(r) - IMSMS_MIKEY_HDR_FIXED_LEN);
  rv = map_measure(&c, hdr->map_type, hdr->ncs, &hdr->map_info_len);
  if (rv != 0) {
    return rv;
  }
  (void)imsms_rbuf_get_view(&c, &hdr->map_info, hdr->map_info_len);
  r->pos = c.pos;
  return 0;
}

imsms_ssize imsms_mikey_hdr_len(const imsms_mikey_hdr *hdr) {
  imsms_rbuf r;
  size_t len;
  int rv;

  if (hdr->map_info == NULL && hdr->map_info_len) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  /* The map must be exactly what #CS and the map type say. */
  imsms_rbuf_init(&r, hdr->map_info, hdr->map_info_len);
  rv = map_measure(&r, hdr->map_type, hdr->ncs, &len);
  if (rv != 0 || len != hdr->map_info_len) {
    return IMSMS_ERR_MIKEY_MAP;
  }
  return (imsms_ssize)(IMSMS_MIKEY_HDR_FIXED_LEN + len);
}

void imsms_mikey_hdr_write(imsms_wbuf *w, const imsms_mikey_hdr *hdr,
                           uint8_t next) {
  (void)imsms_wbuf_put_u8(w, hdr->version);
  (void)imsms_wbuf_put_u8(w, hdr->data_type);
  (void)imsms_wbuf_put_u8(w, next);
  (void)imsms_wbuf_put_u8(w, (uint8_t)((hdr->v ? 0x80 : 0) |
                                       (hdr->prf_func & 0x7f)));
  (void)imsms_wbuf_put_u32(w, hdr->csb_id);
  (void)imsms_wbuf_put_u8(w, hdr->ncs);
  (void)imsms_wbuf_put_u8(w, hdr->map_type);
  (void)imsms_wbuf_put_bytes(w, hdr->map_info, hdr->map_info_len);
}

/* see imsmediasec/mikey.h */
void imsms_mikey_map_iter_init(imsms_mikey_map_iter *it,
                               const imsms_mikey_hdr *hdr) {
  it->pos = hdr->map_info;
  it->end = hdr->map_info ? hdr->map_info + hdr->map_info_len : NULL;
  it->map_type = hdr->map_type;
  it->index = 0;
  it->ncs = hdr->ncs;
}

/* see imsmediasec/mikey.h */
int imsms_mikey_map_next(imsms_mikey_map_iter *it, imsms_mikey_cs *cs) {
  imsms_rbuf r;
  int rv;

  if (it->index >= it->ncs || it->map_type == IMSMS_MIKEY_MAP_EMPTY) {
    return IMSMS_ERR_EOF;
  }
  r.pos = it->pos;
  r.end = it->end;
  if (it->map_type == IMSMS_MIKEY_MAP_SRTP_ID) {
    rv = srtp_entry_decode(&r, cs, (uint8_t)(it->index + 1));
  } else if (it->map_type == IMSMS_MIKEY_MAP_GENERIC_ID) {
    rv = generic_block_decode(&r, cs);
  } else {
    rv = IMSMS_ERR_MIKEY_MAP;
  }
  if (rv != 0) {
    return IMSMS_ERR_MIKEY_MAP;
  }
  it->pos = r.pos;
  it->index++;
  return 0;
}

static imsms_ssize cs_len(uint8_t map_type, const imsms_mikey_cs *cs) {
  if (map_type == IMSMS_MIKEY_MAP_SRTP_ID) {
    return cs->npolicies < 1 ? IMSMS_ERR_MIKEY_MAP
                             : IMSMS_MIKEY_SRTP_ID_ENTRY_LEN;
  }
  if (cs->npolicies > 0x7f || cs->session_data_len > 0xffff ||
      cs->spi_len > 0xff || (cs->policies == NULL && cs->npolicies) ||
      (cs->session_data == NULL && cs->session_data_len) ||
      (cs->spi == NULL && cs->spi_len)) {
    return IMSMS_ERR_MIKEY_MAP;
  }
  return (imsms_ssize)(3u + cs->npolicies + 2u + cs->session_data_len + 1u +
                       cs->spi_len);
}

static void cs_write(imsms_wbuf *w, uint8_t map_type,
                     const imsms_mikey_cs *cs) {
  if (map_type == IMSMS_MIKEY_MAP_SRTP_ID) {
    (void)imsms_wbuf_put_u8(w, cs->policies ? cs->policies[0] : 0);
    (void)imsms_wbuf_put_u32(w, cs->ssrc);
    (void)imsms_wbuf_put_u32(w, cs->roc);
    return;
  }
  (void)imsms_wbuf_put_u8(w, cs->cs_id);
  (void)imsms_wbuf_put_u8(w, cs->prot_type);
  (void)imsms_wbuf_put_u8(w, (uint8_t)((cs->s_flag ? 0x80 : 0) |
                                       cs->npolicies));
  (void)imsms_wbuf_put_bytes(w, cs->policies, cs->npolicies);
  (void)imsms_wbuf_put_u16(w, (uint16_t)cs->session_data_len);
  (void)imsms_wbuf_put_bytes(w, cs->session_data, cs->session_data_len);
  (void)imsms_wbuf_put_u8(w, (uint8_t)cs->spi_len);
  (void)imsms_wbuf_put_bytes(w, cs->spi, cs->spi_len);
}

/* see imsmediasec/mikey.h */
imsms_ssize imsms_mikey_map_encode(uint8_t *out, size_t outcap,
                                   uint8_t map_type, const imsms_mikey_cs *cs,
                                   size_t ncs) {
  imsms_wbuf w;
  size_t i, total = 0;

  if (ncs > 255 || map_type > IMSMS_MIKEY_MAP_GENERIC_ID) {
    return IMSMS_ERR_MIKEY_MAP;
  }
  if (map_type == IMSMS_MIKEY_MAP_EMPTY) {
    return 0;
  }
  if ((out == NULL && outcap) || (cs == NULL && ncs)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  for (i = 0; i < ncs; i++) {
    imsms_ssize n = cs_len(map_type, &cs[i]);

    if (n < 0) {
      return n;
    }
    total += (size_t)n;
  }
  if (outcap < total) {
    return IMSMS_ERR_NOBUF;
  }
  imsms_wbuf_init(&w, out, outcap);
  for (i = 0; i < ncs; i++) {
    cs_write(&w, map_type, &cs[i]);
  }
  return (imsms_ssize)total;
}
