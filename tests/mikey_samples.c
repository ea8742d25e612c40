/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "mikey_samples.h"

#include <stdlib.h>
#include <string.h>

/* Recognisable filler: byte i of a field is seed + i. */
static uint8_t pool[4096];

static const uint8_t *fill(size_t off, size_t len, uint8_t seed) {
  size_t i;

  for (i = 0; i < len; i++) {
    pool[off + i] = (uint8_t)(seed + i);
  }
  return pool + off;
}

#define MAXP 16

typedef struct builder {
  imsms_mikey_hdr hdr;
  imsms_mikey_payload p[MAXP];
  size_t n;
} builder;

static imsms_mikey_payload *add(builder *b, uint8_t type) {
  imsms_mikey_payload *pl = &b->p[b->n++];

  memset(pl, 0, sizeof(*pl));
  pl->type = type;
  return pl;
}

static void hdr(builder *b, uint8_t dt, uint8_t prf, uint8_t map_type,
                const uint8_t *map, size_t maplen, uint8_t ncs) {
  memset(b, 0, sizeof(*b));
  b->hdr.version = 1;
  b->hdr.data_type = dt;
  b->hdr.v = 1;
  b->hdr.prf_func = prf;
  b->hdr.csb_id = 0x11223344u + dt;
  b->hdr.ncs = ncs;
  b->hdr.map_type = map_type;
  b->hdr.map_info = map;
  b->hdr.map_info_len = maplen;
}

static void t(builder *b, uint8_t ts_type) {
  imsms_mikey_payload *pl = add(b, IMSMS_MIKEY_PT_T);

  pl->u.t.ts_type = ts_type;
  pl->u.t.value = ts_type <= 1 ? 0xeb8a2c8012345678ULL : 0xeb8a2c80u;
}

static void rnd(builder *b) {
  imsms_mikey_payload *pl = add(b, IMSMS_MIKEY_PT_RAND);

  pl->u.rand.rand = fill(0, 16, 0x40);
  pl->u.rand.len = 16;
}

static void id(builder *b, uint8_t type, uint8_t idtype, const char *s) {
  imsms_mikey_payload *pl = add(b, type);

  pl->u.id.type = idtype;
  pl->u.id.data = (const uint8_t *)s;
  pl->u.id.len = strlen(s);
}

static void idr(builder *b, uint8_t role, const char *s) {
  imsms_mikey_payload *pl = add(b, IMSMS_MIKEY_PT_IDR);

  pl->u.idr.role = role;
  pl->u.idr.id_type = IMSMS_MIKEY_ID_URI;
  pl->u.idr.data = (const uint8_t *)s;
  pl->u.idr.len = strlen(s);
}

static void randr(builder *b, uint8_t role) {
  imsms_mikey_payload *pl = add(b, IMSMS_MIKEY_PT_RANDR);

  pl->u.randr.role = role;
  pl->u.randr.rand = fill(64 * role, 16, (uint8_t)(0x50 + role));
  pl->u.randr.len = 16;
}

/* AES-CM-128 / HMAC-SHA1-80, the typical policy of mikey.md 3. */
static const uint8_t srtp_params[] = {0,  1, 1,  1,  1, 16, 2, 1, 1, 3, 1,
                                      20, 4, 1, 14, 5, 1, 0,  6, 1, 0, 7,
                                      1,  1, 8, 1,  1, 9, 1, 0,  10, 1, 1,
                                      11, 1, 10, 12, 1, 0};

static void sp(builder *b, uint8_t policy_no) {
  imsms_mikey_payload *pl = add(b, IMSMS_MIKEY_PT_SP);

  pl->u.sp.policy_no = policy_no;
  pl->u.sp.prot_type = IMSMS_MIKEY_PROT_SRTP;
  pl->u.sp.params = srtp_params;
  pl->u.sp.len = sizeof(srtp_params);
}

static void kemac(builder *b, uint8_t encr, uint8_t mac, size_t elen) {
  imsms_mikey_payload *pl = add(b, IMSMS_MIKEY_PT_KEMAC);

  pl->u.kemac.encr_alg = encr;
  pl->u.kemac.encr_data = fill(512, elen, 0x80);
  pl->u.kemac.encr_len = elen;
  pl->u.kemac.mac_alg = mac;
  pl->u.kemac.mac_len = mac == 0 ? 0 : mac == 1 ? 20 : 32;
  pl->u.kemac.mac = fill(1024, pl->u.kemac.mac_len, 0xa0);
}

static void v(builder *b, uint8_t alg) {
  imsms_mikey_payload *pl = add(b, IMSMS_MIKEY_PT_V);

  pl->u.v.alg = alg;
  pl->u.v.len = alg == 1 ? 20 : 32;
  pl->u.v.mac = fill(1100, pl->u.v.len, 0xc0);
}

static void cert(builder *b) {
  imsms_mikey_payload *pl = add(b, IMSMS_MIKEY_PT_CERT);

  pl->u.id.type = 0;
  pl->u.id.data = fill(1200, 40, 0x30);
  pl->u.id.len = 40;
}

static void chash(builder *b) {
  imsms_mikey_payload *pl = add(b, IMSMS_MIKEY_PT_CHASH);

  pl->u.chash.func = 2;
  pl->u.chash.hash = fill(1300, 32, 0x11);
  pl->u.chash.len = 32;
}

static void pke(builder *b) {
  imsms_mikey_payload *pl = add(b, IMSMS_MIKEY_PT_PKE);

  pl->u.pke.c = 1;
  pl->u.pke.data = fill(1400, 64, 0x22);
  pl->u.pke.len = 64;
}

static void sign(builder *b) {
  imsms_mikey_payload *pl = add(b, IMSMS_MIKEY_PT_SIGN);

  pl->u.sign.s_type = 1;
  pl->u.sign.sig = fill(1500, 128, 0x33);
  pl->u.sign.len = 128;
}

static const uint8_t dh_kv_spi[] = {4, 0xde, 0xad, 0xbe, 0xef};

static void dh(builder *b, uint8_t group) {
  imsms_mikey_payload *pl = add(b, IMSMS_MIKEY_PT_DH);

  pl->u.dh.group = group;
  pl->u.dh.value_len = group == 0 ? 192 : group == 1 ? 96 : 128;
  pl->u.dh.value = fill(1700, pl->u.dh.value_len, 0x44);
  pl->u.dh.kv = IMSMS_MIKEY_KV_SPI;
  pl->u.dh.kv_data = dh_kv_spi;
  pl->u.dh.kv_len = sizeof(dh_kv_spi);
}

static void err(builder *b, uint8_t no) {
  add(b, IMSMS_MIKEY_PT_ERR)->u.err.error_no = no;
}

static void ext_sdp(builder *b) {
  imsms_mikey_payload *pl = add(b, IMSMS_MIKEY_PT_GEN_EXT);

  pl->u.ext.type = IMSMS_MIKEY_EXT_SDP_IDS;
  pl->u.ext.data = (const uint8_t *)"mikey";
  pl->u.ext.len = 5;
}

/*
 * TP Data: first-payload byte, then IDRkms, TRs, TRe, IDRr. Ticket Data of
 * a base ticket: THDR, T, RAND, KEMAC, V. Initiator Data: Vi, Vr.
 */
static uint8_t tp_data[128], ticket_data[256], init_data[96];
static size_t tp_data_len, ticket_data_len, init_data_len;

static size_t chain(uint8_t *out, size_t cap, const imsms_mikey_payload *p,
                    size_t n, int first_byte) {
  imsms_ssize len;

  if (first_byte) {
    out[0] = p[0].type;
  }
  len = imsms_mikey_chain_encode(out + first_byte, cap - 1, p, n);
  if (len <= 0) {
    abort();
  }
  return (size_t)len + (size_t)first_byte;
}

static void build_ticket_parts(void) {
  builder b;
  imsms_mikey_payload *pl;

  hdr(&b, 0, 0, IMSMS_MIKEY_MAP_EMPTY, NULL, 0, 0);
  idr(&b, IMSMS_MIKEY_IDR_KMS, "kms.example.net");
  pl = add(&b, IMSMS_MIKEY_PT_TR);
  pl->u.tr.role = IMSMS_MIKEY_TR_START;
  pl->u.tr.ts_type = IMSMS_MIKEY_TS_NTP_UTC;
  pl->u.tr.value = 0xeb8a2c8000000000ULL;
  pl = add(&b, IMSMS_MIKEY_PT_TR);
  pl->u.tr.role = IMSMS_MIKEY_TR_END;
  pl->u.tr.ts_type = IMSMS_MIKEY_TS_NTP_UTC_32;
  pl->u.tr.value = 0xeb8a3a90u;
  idr(&b, IMSMS_MIKEY_IDR_R, "sip:bob@example.net");
  tp_data_len = chain(tp_data, sizeof(tp_data), b.p, b.n, 1);

  hdr(&b, 0, 0, IMSMS_MIKEY_MAP_EMPTY, NULL, 0, 0);
  pl = add(&b, IMSMS_MIKEY_PT_THDR);
  pl->u.thdr.data = fill(1900, 4, 0x01);
  pl->u.thdr.len = 4;
  t(&b, IMSMS_MIKEY_TS_NTP_UTC);
  rnd(&b);
  kemac(&b, IMSMS_MIKEY_ENCR_AES_CM_128, IMSMS_MIKEY_MAC_NULL, 44);
  v(&b, IMSMS_MIKEY_MAC_HMAC_SHA1_160);
  ticket_data_len = chain(ticket_data, sizeof(ticket_data), b.p, b.n, 0);

  hdr(&b, 0, 0, IMSMS_MIKEY_MAP_EMPTY, NULL, 0, 0);
  v(&b, IMSMS_MIKEY_MAC_HMAC_SHA1_160);
  v(&b, IMSMS_MIKEY_MAC_HMAC_SHA1_160);
  init_data_len = chain(init_data, sizeof(init_data), b.p, b.n, 1);
}

static void tp(builder *b, uint8_t type, int with_init) {
  imsms_mikey_payload *pl = add(b, type);
  imsms_mikey_ticket *tk = &pl->u.ticket;

  tk->ticket_type = IMSMS_MIKEY_TICKET_MIKEY_BASE;
  tk->subtype = 1;
  tk->version = 1;
  tk->flags = IMSMS_TP_D | IMSMS_TP_E | IMSMS_TP_F | IMSMS_TP_H | IMSMS_TP_J |
              IMSMS_TP_N | IMSMS_TP_O | (with_init ? IMSMS_TP_I : 0);
  tk->tp_data = tp_data;
  tk->tp_data_len = tp_data_len;
  if (type == IMSMS_MIKEY_PT_TICKET) {
    tk->ticket_data = ticket_data;
    tk->ticket_data_len = ticket_data_len;
    tk->init_data = with_init ? init_data : NULL;
    tk->init_data_len = with_init ? init_data_len : 0;
  }
}

static uint8_t srtp_map[18], generic_map[64];
static size_t generic_map_len;

static void build_maps(void) {
  static const uint8_t pol0[] = {0}, pol01[] = {0, 1};
  static const uint8_t sd[] = {0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0, 0x10, 0x00};
  static const uint8_t spi[] = {0x00, 0x01};
  imsms_mikey_cs cs[2];

  memset(cs, 0, sizeof(cs));
  cs[0].policies = pol0;
  cs[0].npolicies = 1;
  cs[0].ssrc = 0x12345678u;
  cs[1].policies = pol0;
  cs[1].npolicies = 1;
  cs[1].ssrc = 0x9abcdef0u;
  cs[1].roc = 1;
  if (imsms_mikey_map_encode(srtp_map, sizeof(srtp_map),
                             IMSMS_MIKEY_MAP_SRTP_ID, cs, 2) != 18) {
    abort();
  }
  memset(cs, 0, sizeof(cs));
  cs[0].cs_id = 1;
  cs[0].prot_type = IMSMS_MIKEY_PROT_SRTP;
  cs[0].s_flag = 1;
  cs[0].policies = pol01;
  cs[0].npolicies = 2;
  cs[0].session_data = sd;
  cs[0].session_data_len = sizeof(sd);
  cs[0].spi = spi;
  cs[0].spi_len = sizeof(spi);
  cs[1].cs_id = 2;
  cs[1].prot_type = IMSMS_MIKEY_PROT_SRTP;
  cs[1].policies = pol0;
  cs[1].npolicies = 1;
  generic_map_len = (size_t)imsms_mikey_map_encode(
      generic_map, sizeof(generic_map), IMSMS_MIKEY_MAP_GENERIC_ID, cs, 2);
}

/* Payloads of data type |dt|, in the order of RFC 3830 5 / RFC 6043 4.2. */
static void build(builder *b, uint8_t dt) {
  const uint8_t *srtp = srtp_map;

  switch (dt) {
  case IMSMS_MIKEY_PSK_INIT:
    hdr(b, dt, 0, IMSMS_MIKEY_MAP_SRTP_ID, srtp, 18, 2);
    t(b, 0), rnd(b), id(b, IMSMS_MIKEY_PT_ID, 0, "alice@example.net");
    id(b, IMSMS_MIKEY_PT_ID, 1, "sip:bob@example.net"), sp(b, 0);
    kemac(b, IMSMS_MIKEY_ENCR_AES_CM_128, IMSMS_MIKEY_MAC_HMAC_SHA1_160, 20);
    break;
  case IMSMS_MIKEY_PSK_RESP:
  case IMSMS_MIKEY_PK_RESP:
    hdr(b, dt, 0, IMSMS_MIKEY_MAP_SRTP_ID, srtp, 18, 2);
    t(b, 0), id(b, IMSMS_MIKEY_PT_ID, 1, "sip:bob@example.net"), v(b, 1);
    break;
  case IMSMS_MIKEY_PK_INIT:
    hdr(b, dt, 0, IMSMS_MIKEY_MAP_SRTP_ID, srtp, 9, 1);
    t(b, 0), rnd(b), cert(b), id(b, IMSMS_MIKEY_PT_ID, 1, "sip:bob@x"), sp(b, 0);
    kemac(b, IMSMS_MIKEY_ENCR_AES_KW_128, 1, 40), chash(b), pke(b), sign(b);
    break;
  case IMSMS_MIKEY_DH_INIT:
  case IMSMS_MIKEY_DHHMAC_INIT:
    hdr(b, dt, 0, IMSMS_MIKEY_MAP_SRTP_ID, srtp, 9, 1);
    t(b, 0), rnd(b), cert(b), id(b, IMSMS_MIKEY_PT_ID, 1, "sip:bob@x"), sp(b, 0);
    dh(b, dt == IMSMS_MIKEY_DH_INIT ? 1 : 2);
    if (dt == IMSMS_MIKEY_DH_INIT) {
      sign(b);
    } else {
      kemac(b, IMSMS_MIKEY_ENCR_NULL, 1, 0);
    }
    break;
  case IMSMS_MIKEY_DH_RESP:
  case IMSMS_MIKEY_DHHMAC_RESP:
    hdr(b, dt, 0, IMSMS_MIKEY_MAP_SRTP_ID, srtp, 9, 1);
    t(b, 1), cert(b), id(b, IMSMS_MIKEY_PT_ID, 0, "alice@x"), dh(b, 0), dh(b, 0);
    if (dt == IMSMS_MIKEY_DH_RESP) {
      sign(b);
    } else {
      kemac(b, IMSMS_MIKEY_ENCR_NULL, 1, 0);
    }
    break;
  case IMSMS_MIKEY_ERROR:
    hdr(b, dt, 1, IMSMS_MIKEY_MAP_EMPTY, NULL, 0, 0);
    t(b, 2), err(b, IMSMS_MIKEY_ERR_INVALID_SP), err(b, 12), sp(b, 0), v(b, 2);
    break;
  case IMSMS_MIKEY_RSAR_INIT:
    hdr(b, dt, 0, IMSMS_MIKEY_MAP_SRTP_ID, srtp, 9, 1);
    t(b, 0), rnd(b), id(b, IMSMS_MIKEY_PT_ID, 1, "sip:a@x"), cert(b), sign(b);
    break;
  case IMSMS_MIKEY_RSAR_RESP:
    hdr(b, dt, 0, IMSMS_MIKEY_MAP_SRTP_ID, srtp, 9, 1);
    t(b, 0), ext_sdp(b), kemac(b, 1, 1, 24), pke(b), sign(b);
    break;
  case IMSMS_MIKEY_REQUEST_INIT_PSK:
  case IMSMS_MIKEY_REQUEST_INIT_PK:
    hdr(b, dt, 1, IMSMS_MIKEY_MAP_EMPTY, NULL, 0, 0);
    t(b, 0), randr(b, IMSMS_MIKEY_RANDR_I), idr(b, IMSMS_MIKEY_IDR_I, "sip:alice@x");
    if (dt == IMSMS_MIKEY_REQUEST_INIT_PK) {
      cert(b);
    }
    idr(b, IMSMS_MIKEY_IDR_KMS, "kms.x"), tp(b, IMSMS_MIKEY_PT_TP, 0);
    if (dt == IMSMS_MIKEY_REQUEST_INIT_PSK) {
      idr(b, IMSMS_MIKEY_IDR_PSK, "btid@bsf.x"), v(b, 2);
    } else {
      chash(b), pke(b), sign(b);
    }
    break;
  case IMSMS_MIKEY_REQUEST_RESP:
    hdr(b, dt, 1, IMSMS_MIKEY_MAP_EMPTY, NULL, 0, 0);
    t(b, 0), idr(b, IMSMS_MIKEY_IDR_KMS, "kms.x"), tp(b, IMSMS_MIKEY_PT_TICKET, 0);
    kemac(b, IMSMS_MIKEY_ENCR_AES_CM_256, 0, 60), v(b, 2);
    break;
  case IMSMS_MIKEY_TRANSFER_INIT:
    hdr(b, dt, 0, IMSMS_MIKEY_MAP_GENERIC_ID, generic_map, generic_map_len, 2);
    t(b, 0), randr(b, IMSMS_MIKEY_RANDR_I), idr(b, IMSMS_MIKEY_IDR_I, "sip:alice@x");
    idr(b, IMSMS_MIKEY_IDR_R, "sip:bob@x"), sp(b, 0), sp(b, 1), ext_sdp(b);
    tp(b, IMSMS_MIKEY_PT_TICKET, 1), v(b, 1);
    break;
  case IMSMS_MIKEY_TRANSFER_RESP:
    hdr(b, dt, 0, IMSMS_MIKEY_MAP_GENERIC_ID, generic_map, generic_map_len, 2);
    t(b, 0), randr(b, IMSMS_MIKEY_RANDR_R), idr(b, IMSMS_MIKEY_IDR_R, "sip:bob@x");
    randr(b, IMSMS_MIKEY_RANDR_KMS), sp(b, 0), kemac(b, 1, 0, 26), v(b, 1);
    break;
  case IMSMS_MIKEY_RESOLVE_INIT_PSK:
  case IMSMS_MIKEY_RESOLVE_INIT_PK:
    hdr(b, dt, 0, IMSMS_MIKEY_MAP_EMPTY, NULL, 0, 0);
    t(b, 3), randr(b, IMSMS_MIKEY_RANDR_R), idr(b, IMSMS_MIKEY_IDR_R, "sip:bob@x");
    if (dt == IMSMS_MIKEY_RESOLVE_INIT_PK) {
      cert(b);
    }
    idr(b, IMSMS_MIKEY_IDR_KMS, "kms.x"), tp(b, IMSMS_MIKEY_PT_TICKET, 1);
    if (dt == IMSMS_MIKEY_RESOLVE_INIT_PSK) {
      idr(b, IMSMS_MIKEY_IDR_PSK, "btid@bsf.x"), v(b, 1);
    } else {
      chash(b), pke(b), sign(b);
    }
    break;
  case IMSMS_MIKEY_RESOLVE_RESP:
  default:
    hdr(b, dt, 0, IMSMS_MIKEY_MAP_EMPTY, NULL, 0, 0);
    t(b, 0), idr(b, IMSMS_MIKEY_IDR_KMS, "kms.x"), kemac(b, 1, 0, 44);
    idr(b, IMSMS_MIKEY_IDR_R, "sip:bob@x"), randr(b, IMSMS_MIKEY_RANDR_KMS), v(b, 1);
    break;
  }
}

static const char *const names[] = {
    "psk_init",         "psk_resp",        "pk_init",         "pk_resp",
    "dh_init",          "dh_resp",         "error",           "dhhmac_init",
    "dhhmac_resp",      "rsar_init",       "rsar_resp",       "request_init_psk",
    "request_init_pk",  "request_resp",    "transfer_init",   "transfer_resp",
    "resolve_init_psk", "resolve_init_pk", "resolve_resp"};

size_t imsms_mikey_samples(imsms_sample *out, size_t cap) {
  builder b;
  size_t n = 0;
  uint8_t dt;

  build_maps();
  build_ticket_parts();
  for (dt = 0; dt <= IMSMS_MIKEY_RESOLVE_RESP && n < cap; dt++, n++) {
    imsms_ssize len;

    build(&b, dt);
    len = imsms_mikey_encode(out[n].buf, sizeof(out[n].buf), &b.hdr, b.p, b.n);
    if (len <= 0) {
      abort();
    }
    out[n].len = (size_t)len;
    out[n].name = names[dt];
    out[n].data_type = dt;
  }
  if (n < cap) {
    out[n].name = "rfc4567_offer";
    out[n].data_type = 0;
    out[n].len = imsms_sample_rfc4567_offer(out[n].buf, sizeof(out[n].buf));
    n++;
  }
  if (n < cap) {
    out[n].name = "rfc4567_answer";
    out[n].data_type = 1;
    out[n].len = imsms_sample_rfc4567_answer(out[n].buf, sizeof(out[n].buf));
    n++;
  }
  return n;
}

static size_t from_b64(uint8_t *out, size_t cap, const char *b64) {
  imsms_ssize n = imsms_base64_decode(out, cap, b64, strlen(b64));

  if (n < 0) {
    abort();
  }
  return (size_t)n;
}

size_t imsms_sample_rfc4567_offer(uint8_t *out, size_t cap) {
  return from_b64(out, cap,
                  "AQAFgM0XflABAAAAAAAAAAAAAAsAyONQ6gAAAAAGEEoo2pee4hp2UaDX8ZE2"
                  "2YwKAAAPZG9uYWxkQGR1Y2suY29tAQAAAAAAAQAk0JKpgaVkDaawi9whVBtB"
                  "t0KZ14ymNuu62+Nv3ozPLygwK/GbAV9iemnGUIZ19fWQUOSrzKTAv9zV");
}

size_t imsms_sample_rfc4567_answer(uint8_t *out, size_t cap) {
  return from_b64(out, cap,
                  "AQEFgM0XflABAAAAAAAAAAAAAAYAyONQ6gAAAAAJAAAQbWlja2V5QG1vdXNl"
                  "LmNvbQABn8HdGE5BMDXFIuGEga+62AgY5cc=");
}
