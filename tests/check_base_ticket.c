/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The MIKEY base ticket (RFC 6043 appendix A) and the key ring: round
 * trips for both PRFs, a ticket built by hand from the RFC (labels, IV,
 * MAC coverage written out byte by byte here) that must equal the sealed
 * one, a ticket inside a whole message, every byte of the TICKET payload
 * flipped, key rotation, shared rings, malformed tickets, MPKi/MPKr, and
 * allocation failures.
 */
#define _GNU_SOURCE /* memmem */
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/ticket.h>

#include "core/ctx.h"
#include "ticket/ticket_int.h"
#include "det_provider.h"
#include "failmalloc.h"
#include "test_util.h"

#define MAX_STEPS 2000

static imsms_ctx *ctx;
static imsms_keyring *kr;
static const imsms_tstamp now = (imsms_tstamp)0xeb8a2c80u << 32 | 0x12345u;
static uint8_t tpk1[32], tpk2[48];
static uint8_t mpk16[16], mpk32[32], key16[16], key32[32], gtgk32[32];
static uint8_t salt14[14];
static const uint8_t spi_a[4] = {0, 0, 0, 1}, spi_b[4] = {0, 0, 0, 2},
                     spi_c[4] = {0, 0, 0, 3};
static uint8_t tp_data[64];
static size_t tp_data_len;

static void fill(uint8_t *p, size_t n, uint8_t seed) {
  size_t i;

  for (i = 0; i < n; i++) {
    p[i] = (uint8_t)(seed + 7 * i);
  }
}

/* TP Data of a granted policy: first-payload byte, then one IDRr. */
static void make_tp_data(void) {
  imsms_mikey_payload pl;
  imsms_ssize n;

  memset(&pl, 0, sizeof(pl));
  pl.type = IMSMS_MIKEY_PT_IDR;
  pl.u.idr.role = IMSMS_MIKEY_IDR_R;
  pl.u.idr.id_type = IMSMS_MIKEY_ID_URI;
  pl.u.idr.data = (const uint8_t *)"sip:bob@example.net";
  pl.u.idr.len = 19;
  tp_data[0] = IMSMS_MIKEY_PT_IDR;
  n = imsms_mikey_chain_encode(tp_data + 1, sizeof(tp_data) - 1, &pl, 1);
  ck_assert_int_gt(n, 0);
  tp_data_len = 1 + (size_t)n;
}

static void setup(void) {
  fill(tpk1, sizeof(tpk1), 0x10);
  fill(tpk2, sizeof(tpk2), 0x20);
  fill(mpk16, sizeof(mpk16), 0x30);
  fill(mpk32, sizeof(mpk32), 0x40);
  fill(key16, sizeof(key16), 0x50);
  fill(key32, sizeof(key32), 0x60);
  fill(gtgk32, sizeof(gtgk32), 0x70);
  fill(salt14, sizeof(salt14), 0x80);
  make_tp_data();
  ctx = imsms_test_ctx();
  ck_assert_int_eq(imsms_keyring_new(&kr, ctx), 0);
  ck_assert_int_eq(imsms_keyring_add(kr, 1, tpk1, sizeof(tpk1)), 0);
}

static void teardown(void) {
  imsms_keyring_del(kr);
  imsms_ctx_del(ctx);
}

static imsms_mikey_ticket hdr_for(uint8_t prf) {
  imsms_mikey_ticket h;

  memset(&h, 0, sizeof(h));
  h.ticket_type = IMSMS_MIKEY_TICKET_MIKEY_BASE;
  h.subtype = 1;
  h.version = 1;
  h.prf_func = prf;
  h.flags = IMSMS_TP_D | IMSMS_TP_E | IMSMS_TP_F | IMSMS_TP_H | IMSMS_TP_J |
            IMSMS_TP_N | IMSMS_TP_O;
  h.tp_data = tp_data;
  h.tp_data_len = tp_data_len;
  return h;
}

static void spi_key(imsms_mikey_keydata *kd, uint8_t type, const uint8_t *key,
                    size_t len, const uint8_t *spi) {
  memset(kd, 0, sizeof(*kd));
  kd->type = type;
  kd->kv = IMSMS_MIKEY_KV_SPI;
  kd->key = key;
  kd->key_len = len;
  kd->spi = spi;
  kd->spi_len = 4;
}

/*
 * The keys of a ticket: the MPK (16 bytes for MIKEY-1, 32 for
 * HMAC-SHA-256), then a TGK (|set| 0) or a TEK+SALT and a GTGK (1).
 */
static size_t keyset(uint8_t prf, int set, imsms_mikey_keydata kd[3]) {
  size_t klen = prf ? 32 : 16;

  spi_key(&kd[0], IMSMS_MIKEY_KEY_MPK, prf ? mpk32 : mpk16, klen, spi_a);
  if (set == 0) {
    spi_key(&kd[1], IMSMS_MIKEY_KEY_TGK, prf ? key32 : key16, klen, spi_b);
    return 2;
  }
  spi_key(&kd[1], IMSMS_MIKEY_KEY_TEK_SALT, prf ? key32 : key16, klen, spi_b);
  kd[1].salt = salt14;
  kd[1].salt_len = sizeof(salt14);
  spi_key(&kd[2], IMSMS_MIKEY_KEY_GTGK, gtgk32, prf ? 32 : 16, spi_c);
  return 3;
}

static size_t seal_with(imsms_ctx *c, imsms_keyring *r, uint8_t prf, int set,
                        uint8_t *out, size_t cap) {
  imsms_mikey_ticket h = hdr_for(prf);
  imsms_mikey_keydata kd[3];
  size_t nk = keyset(prf, set, kd);
  imsms_ssize n = imsms_base_ticket_seal(c, r, &h, now, kd, nk, out, cap);

  ck_assert_msg(n > 0, "seal: %s", imsms_strerror((int)n));
  return (size_t)n;
}

static imsms_mikey_ticket view(uint8_t prf, const uint8_t *td, size_t len) {
  imsms_mikey_ticket t = hdr_for(prf);

  t.ticket_data = td;
  t.ticket_data_len = len;
  return t;
}

/* |buf| holds exactly the key data chain of |kd|. */
static void expect_keys(const uint8_t *buf, size_t len,
                        const imsms_mikey_keydata *kd, size_t nk) {
  imsms_mikey_keydata got;
  uint8_t next = IMSMS_MIKEY_PT_KEY_DATA;
  size_t off = 0, i;

  for (i = 0; i < nk; i++) {
    imsms_ssize n;

    ck_assert_uint_eq(next, IMSMS_MIKEY_PT_KEY_DATA);
    n = imsms_mikey_keydata_decode(&got, &next, buf + off, len - off);
    ck_assert_int_gt(n, 0);
    ck_assert_uint_eq(got.type, kd[i].type);
    ck_assert_uint_eq(got.kv, kd[i].kv);
    ck_assert_uint_eq(got.key_len, kd[i].key_len);
    ck_assert_mem_eq(got.key, kd[i].key, kd[i].key_len);
    ck_assert_uint_eq(got.salt_len, kd[i].salt_len);
    if (kd[i].salt_len) {
      ck_assert_mem_eq(got.salt, kd[i].salt, kd[i].salt_len);
    }
    ck_assert_uint_eq(got.spi_len, kd[i].spi_len);
    ck_assert_mem_eq(got.spi, kd[i].spi, kd[i].spi_len);
    off += (size_t)n;
  }
  ck_assert_uint_eq(next, 0);
  ck_assert_uint_eq(off, len);
}

static void open_expect(imsms_ctx *c, imsms_keyring *r, uint8_t prf, int set,
                        const uint8_t *td, size_t len, uint32_t key_id) {
  imsms_mikey_ticket t = view(prf, td, len);
  imsms_mikey_keydata kd[3];
  size_t nk = keyset(prf, set, kd);
  imsms_ticket_info info;
  uint8_t keys[256];
  int rv = imsms_base_ticket_open(c, r, &t, keys, sizeof(keys), &info);

  ck_assert_msg(rv == 0, "open: %s", imsms_strerror(rv));
  ck_assert_uint_eq(info.key_id, key_id);
  ck_assert(info.t == now);
  expect_keys(keys, info.keys_len, kd, nk);
}

/* ------------------------------------------------------------------ */
/* A base ticket built by hand from RFC 6043 appendix A                */

typedef struct piece {
  uint8_t type; /* next-payload code of this piece; THDR first */
  uint8_t body[600];
  size_t len; /* bytes after the next-payload byte */
} piece;

typedef struct hand {
  uint8_t prf;
  const uint8_t *tpk;
  size_t tpklen;
  uint8_t thdr[8];
  size_t thdr_len;
  imsms_tstamp t;
  const uint8_t *rand;
  size_t randlen;
  const uint8_t *plain; /* KEMAC plaintext */
  size_t plainlen;
  uint8_t encr_alg;  /* KEMAC encryption */
  uint8_t kemac_mac; /* KEMAC MAC alg, 0 normally */
  int omit_t, omit_rand, omit_kemac, omit_v, dup_t, extras, after_v;
} hand;

static void be(uint8_t *p, uint64_t v, int n) {
  int i;

  for (i = 0; i < n; i++) {
    p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
  }
}

/* PRF(TPK, const || 0xFF || 0xFFFFFFFF || 0x05 || len8(RAND) || RAND). */
static void hand_key(const hand *h, uint32_t constant, uint8_t *out,
                     size_t outlen) {
  uint8_t label[11 + 255];

  be(label, constant, 4);
  label[4] = 0xff;
  be(label + 5, 0xffffffffu, 4);
  label[9] = 0x05;
  label[10] = (uint8_t)h->randlen;
  memcpy(label + 11, h->rand, h->randlen);
  ck_assert_int_eq(imsms_mikey_prf(ctx, h->prf, h->tpk, h->tpklen, label,
                                   11 + h->randlen, out, outlen),
                   0);
}

/* RFC 3830 4.2.3 with CSB ID 0xFFFFFFFF: IV = (salt ^ (0^16 || CSB || T)) ||
 * 0^16. */
static void hand_aes_cm(const hand *h, const uint8_t *key, size_t keylen,
                        const uint8_t salt[14], uint8_t *out) {
  imsms_crypto_aes *aes = NULL;
  uint8_t iv[16], x[14];
  int i;

  memset(x, 0, sizeof(x));
  be(x + 2, 0xffffffffu, 4);
  be(x + 6, h->t, 8);
  for (i = 0; i < 14; i++) {
    iv[i] = salt[i] ^ x[i];
  }
  iv[14] = iv[15] = 0;
  ck_assert_int_eq(ctx->cp->aes_new(ctx->cstate, &aes), 0);
  ck_assert_int_eq(ctx->cp->aes_setkey(aes, key, keylen), 0);
  if (h->plainlen) {
    ck_assert_int_eq(ctx->cp->aes_ctr(aes, iv, h->plain, out, h->plainlen), 0);
  }
  ctx->cp->aes_del(aes);
}

/*
 * TICKET bytes 1-7 from mikey.md 5.5: type(16) subtype version
 * PRF<<1|D, E..L, M N O rrrrr.
 */
static void hand_fixed(const imsms_mikey_ticket *t, uint8_t f[7]) {
  be(f, t->ticket_type, 2);
  f[2] = t->subtype;
  f[3] = t->version;
  f[4] = (uint8_t)(t->prf_func << 1 | (t->flags & IMSMS_TP_D ? 1 : 0));
  f[5] = (uint8_t)(t->flags >> 7);
  f[6] = (uint8_t)(((t->flags >> 4) & 7) << 5 | t->reserved);
}

/* Writes the Ticket Data |h| describes into |out|; returns its length. */
static size_t hand_build(const hand *h, uint8_t *out, size_t cap) {
  static piece p[10];
  imsms_mikey_ticket th = hdr_for(h->prf);
  uint8_t encr[32], salt[14], auth[32], mac[32], macin[2048], f[7];
  size_t encr_len = h->encr_alg == IMSMS_MIKEY_ENCR_AES_CM_256 ? 32 : 16;
  size_t auth_len = h->prf ? 32 : 20, np = 0, i, len = 0, m;
  uint8_t v_alg =
      h->prf ? IMSMS_MIKEY_MAC_HMAC_SHA256_256 : IMSMS_MIKEY_MAC_HMAC_SHA1_160;

  hand_key(h, 0x150533E1u, encr, encr_len);
  hand_key(h, 0x29B88916u, salt, 14);
  hand_key(h, 0x2D22AC75u, auth, auth_len);
  /* THDR */
  p[np].type = 0xff;
  be(p[np].body, h->thdr_len, 2);
  memcpy(p[np].body + 2, h->thdr, h->thdr_len);
  p[np++].len = 2 + h->thdr_len;
  for (i = 0; i < (h->dup_t ? 2u : 1u) && !h->omit_t; i++) {
    p[np].type = IMSMS_MIKEY_PT_T;
    p[np].body[0] = IMSMS_MIKEY_TS_NTP_UTC;
    be(p[np].body + 1, h->t, 8);
    p[np++].len = 9;
  }
  if (!h->omit_rand) {
    p[np].type = IMSMS_MIKEY_PT_RAND;
    p[np].body[0] = (uint8_t)h->randlen;
    memcpy(p[np].body + 1, h->rand, h->randlen);
    p[np++].len = 1 + h->randlen;
  }
  if (!h->omit_kemac) {
    p[np].type = IMSMS_MIKEY_PT_KEMAC;
    p[np].body[0] = h->encr_alg;
    be(p[np].body + 1, h->plainlen, 2);
    hand_aes_cm(h, encr, encr_len, salt, p[np].body + 3);
    p[np].body[3 + h->plainlen] = h->kemac_mac;
    m = h->kemac_mac == IMSMS_MIKEY_MAC_HMAC_SHA1_160 ? 20 : 0;
    memset(p[np].body + 4 + h->plainlen, 0, m);
    p[np++].len = 4 + h->plainlen + m;
  }
  if (h->extras) {
    /* IDRpsk and a General Extension: unexpected here, to be ignored. */
    p[np].type = IMSMS_MIKEY_PT_IDR;
    p[np].body[0] = IMSMS_MIKEY_IDR_PSK;
    p[np].body[1] = IMSMS_MIKEY_ID_BYTES;
    be(p[np].body + 2, 3, 2);
    memcpy(p[np].body + 4, "psk", 3);
    p[np++].len = 7;
    p[np].type = IMSMS_MIKEY_PT_GEN_EXT;
    p[np].body[0] = IMSMS_MIKEY_EXT_VENDOR_ID;
    be(p[np].body + 1, 2, 2);
    p[np].body[3] = 0xab;
    p[np].body[4] = 0xcd;
    p[np++].len = 5;
  }
  if (!h->omit_v) {
    p[np].type = IMSMS_MIKEY_PT_V;
    p[np].body[0] = v_alg;
    memset(p[np].body + 1, 0, auth_len);
    p[np++].len = 1 + auth_len;
  }
  if (h->after_v) {
    p[np].type = IMSMS_MIKEY_PT_RAND;
    p[np].body[0] = 1;
    p[np].body[1] = 0x42;
    p[np++].len = 2;
  }
  for (i = 0; i < np; i++) {
    ck_assert_uint_le(len + 1 + p[i].len, cap);
    out[len] = i + 1 < np ? p[i + 1].type : 0;
    memcpy(out + len + 1, p[i].body, p[i].len);
    len += 1 + p[i].len;
  }
  /* V: fixed bytes, TP Data length and TP Data, Ticket Data length and
   * Ticket Data without the MAC value (RFC 6043 A.1). */
  if (!h->omit_v && !h->after_v) {
    hand_fixed(&th, f);
    m = 0;
    memcpy(macin, f, 7);
    m += 7;
    be(macin + m, th.tp_data_len, 2);
    m += 2;
    memcpy(macin + m, th.tp_data, th.tp_data_len);
    m += th.tp_data_len;
    be(macin + m, len, 2);
    m += 2;
    memcpy(macin + m, out, len - auth_len);
    m += len - auth_len;
    ck_assert_int_eq(imsms_hmac(ctx,
                                h->prf ? IMSMS_HASH_SHA256 : IMSMS_HASH_SHA1,
                                auth, auth_len, macin, m, mac, auth_len),
                     0);
    memcpy(out + len - auth_len, mac, auth_len);
  }
  return len;
}

static uint8_t hand_rand[32];
static uint8_t hand_plain[256];

/* A valid hand ticket under key 1 with the keys of keyset(prf, 0). */
static hand hand_default(uint8_t prf) {
  imsms_mikey_keydata kd[3];
  size_t nk = keyset(prf, 0, kd);
  imsms_ssize n;
  hand h;

  memset(&h, 0, sizeof(h));
  fill(hand_rand, sizeof(hand_rand), 0x99);
  n = imsms_mikey_keydata_encode(hand_plain, sizeof(hand_plain), kd, nk);
  ck_assert_int_gt(n, 0);
  h.prf = prf;
  h.tpk = tpk1;
  h.tpklen = sizeof(tpk1);
  be(h.thdr, 1, 4);
  h.thdr_len = 4;
  h.t = now;
  h.rand = hand_rand;
  h.randlen = sizeof(hand_rand);
  h.plain = hand_plain;
  h.plainlen = (size_t)n;
  h.encr_alg = prf ? IMSMS_MIKEY_ENCR_AES_CM_256 : IMSMS_MIKEY_ENCR_AES_CM_128;
  return h;
}

static int open_hand(const hand *h, uint8_t *keys, size_t cap) {
  uint8_t td[1024];
  size_t len = hand_build(h, td, sizeof(td));
  imsms_mikey_ticket t = view(h->prf, td, len);
  imsms_ticket_info info;
  int rv;

  memset(keys, 0x5a, cap);
  rv = imsms_base_ticket_open(ctx, kr, &t, keys, cap, &info);
  if (rv != 0) {
    ck_assert(imsms_test_all_zero(keys, cap));
  }
  return rv;
}

/* ------------------------------------------------------------------ */

START_TEST(test_round_trip) {
  uint8_t prf = (uint8_t)(_i / 2);
  int set = _i % 2;
  uint8_t td[1024], keys[256];
  size_t len = seal_with(ctx, kr, prf, set, td, sizeof(td));
  imsms_mikey_ticket t = view(prf, td, len);
  imsms_mikey_keydata kd[3];
  size_t nk = keyset(prf, set, kd), i, klen;
  imsms_ticket_info info;
  imsms_mikey_payload pl;
  imsms_mikey_iter it;
  static const uint8_t types[5] = {IMSMS_MIKEY_PT_THDR, IMSMS_MIKEY_PT_T,
                                   IMSMS_MIKEY_PT_RAND, IMSMS_MIKEY_PT_KEMAC,
                                   IMSMS_MIKEY_PT_V};

  /* No key in the clear. */
  for (i = 0; i < nk; i++) {
    ck_assert_ptr_null(memmem(td, len, kd[i].key, kd[i].key_len));
  }
  /* THDR = key id, T = now, RAND = max(16, |TPK|, |MPK|), algorithms per PRF.
   */
  imsms_mikey_chain_init(&it, IMSMS_MIKEY_PT_THDR, td, len);
  for (i = 0; i < 5; i++) {
    ck_assert_int_eq(imsms_mikey_iter_next(&it, &pl), 0);
    ck_assert_uint_eq(pl.type, types[i]);
    switch (pl.type) {
    case IMSMS_MIKEY_PT_THDR:
      ck_assert_uint_eq(pl.u.thdr.len, 4);
      ck_assert_mem_eq(pl.u.thdr.data, "\0\0\0\1", 4);
      break;
    case IMSMS_MIKEY_PT_T:
      ck_assert_uint_eq(pl.u.t.ts_type, IMSMS_MIKEY_TS_NTP_UTC);
      ck_assert(pl.u.t.value == now);
      break;
    case IMSMS_MIKEY_PT_RAND:
      ck_assert_uint_eq(pl.u.rand.len, 32);
      break;
    case IMSMS_MIKEY_PT_KEMAC:
      ck_assert_uint_eq(pl.u.kemac.encr_alg, prf ? IMSMS_MIKEY_ENCR_AES_CM_256
                                                 : IMSMS_MIKEY_ENCR_AES_CM_128);
      ck_assert_uint_eq(pl.u.kemac.mac_alg, IMSMS_MIKEY_MAC_NULL);
      break;
    default:
      ck_assert_uint_eq(pl.u.v.alg, prf ? IMSMS_MIKEY_MAC_HMAC_SHA256_256
                                        : IMSMS_MIKEY_MAC_HMAC_SHA1_160);
      break;
    }
  }
  ck_assert_int_eq(imsms_mikey_iter_next(&it, &pl), IMSMS_ERR_EOF);
  ck_assert_int_eq(
      imsms_base_ticket_open(ctx, kr, &t, keys, sizeof(keys), &info), 0);
  ck_assert_uint_eq(info.key_id, 1);
  ck_assert(info.t == now);
  ck_assert_uint_eq(info.rand_len, 32);
  ck_assert(info.rand > td && info.rand + info.rand_len < td + len);
  expect_keys(keys, info.keys_len, kd, nk);
  /* One byte short: nothing, and the buffer wiped. */
  klen = info.keys_len;
  memset(keys, 0x5a, sizeof(keys));
  ck_assert_int_eq(imsms_base_ticket_open(ctx, kr, &t, keys, klen - 1, &info),
                   IMSMS_ERR_NOBUF);
  ck_assert(imsms_test_all_zero(keys, klen - 1));
  ck_assert_uint_eq(keys[klen - 1], 0x5a);
  ck_assert_uint_eq(info.keys_len, 0);
}
END_TEST

START_TEST(test_fresh_rand_each_seal) {
  uint8_t a[512], b[512];
  size_t la = seal_with(ctx, kr, 0, 0, a, sizeof(a));
  size_t lb = seal_with(ctx, kr, 0, 0, b, sizeof(b));

  ck_assert_uint_eq(la, lb);
  ck_assert(memcmp(a, b, la) != 0);
  open_expect(ctx, kr, 0, 0, a, la, 1);
  open_expect(ctx, kr, 0, 0, b, lb, 1);
}
END_TEST

/* The sealed ticket equals one built here from the RFC with its RAND. */
START_TEST(test_matches_hand_built) {
  uint8_t prf = (uint8_t)_i;
  uint8_t td[1024], hb[1024], keys[256];
  size_t len = seal_with(ctx, kr, prf, 0, td, sizeof(td)), hlen;
  hand h = hand_default(prf);

  /* THDR(7) T(10): RAND at 17, after its next byte and length. */
  ck_assert_uint_eq(td[17 + 1], 32);
  memcpy(hand_rand, td + 17 + 2, 32);
  hlen = hand_build(&h, hb, sizeof(hb));
  ck_assert_uint_eq(hlen, len);
  ck_assert_mem_eq(hb, td, len);
  ck_assert_int_eq(open_hand(&h, keys, sizeof(keys)), 0);
}
END_TEST

/* Build a REQUEST_RESP-like message around |ticket|; returns its length. */
static size_t wrap(uint8_t prf, const imsms_mikey_ticket *ticket, uint8_t *out,
                   size_t cap) {
  static const uint8_t zero[20];
  imsms_mikey_payload pl[4];
  imsms_mikey_hdr hdr;
  imsms_ssize n;

  memset(&hdr, 0, sizeof(hdr));
  hdr.version = 1;
  hdr.data_type = IMSMS_MIKEY_REQUEST_RESP;
  hdr.prf_func = prf;
  hdr.csb_id = 0x12345678u;
  hdr.map_type = IMSMS_MIKEY_MAP_EMPTY;
  memset(pl, 0, sizeof(pl));
  pl[0].type = IMSMS_MIKEY_PT_T;
  pl[0].u.t.ts_type = IMSMS_MIKEY_TS_NTP_UTC;
  pl[0].u.t.value = now;
  pl[1].type = IMSMS_MIKEY_PT_IDR;
  pl[1].u.idr.role = IMSMS_MIKEY_IDR_KMS;
  pl[1].u.idr.id_type = IMSMS_MIKEY_ID_URI;
  pl[1].u.idr.data = (const uint8_t *)"kms.example.net";
  pl[1].u.idr.len = 15;
  pl[2].type = IMSMS_MIKEY_PT_TICKET;
  pl[2].u.ticket = *ticket;
  pl[3].type = IMSMS_MIKEY_PT_V;
  pl[3].u.v.alg = IMSMS_MIKEY_MAC_HMAC_SHA1_160;
  pl[3].u.v.mac = zero;
  pl[3].u.v.len = 20;
  n = imsms_mikey_encode(out, cap, &hdr, pl, 4);
  ck_assert_int_gt(n, 0);
  return (size_t)n;
}

/*
 * Decodes |msg| and opens its TICKET; 0 or the first error. |*opened|
 * tells whether the message decoded and the open was tried.
 */
static int unwrap_open(const uint8_t *msg, size_t len, uint8_t *keys,
                       size_t cap, imsms_ticket_info *info, int *opened) {
  imsms_mikey_payload pl[8];
  imsms_mikey_msg m;
  imsms_ssize n = imsms_mikey_decode_all(&m, pl, 8, msg, len);
  size_t i;

  *opened = 0;
  if (n < 0) {
    return (int)n;
  }
  for (i = 0; i < (size_t)n; i++) {
    if (pl[i].type == IMSMS_MIKEY_PT_TICKET) {
      *opened = 1;
      return imsms_base_ticket_open(ctx, kr, &pl[i].u.ticket, keys, cap, info);
    }
  }
  return IMSMS_ERR_MIKEY_MISSING;
}

START_TEST(test_in_message_every_byte) {
  static const uint8_t init_data[21] = {IMSMS_MIKEY_PT_V,
                                        1,
                                        2,
                                        3,
                                        4,
                                        5,
                                        6,
                                        7,
                                        8,
                                        9,
                                        10,
                                        11,
                                        12,
                                        13,
                                        14,
                                        15,
                                        16,
                                        17,
                                        18,
                                        19,
                                        20};
  uint8_t prf = (uint8_t)_i;
  uint8_t td[1024], msg[2048], bad[2048], keys[256], f[7];
  size_t len = seal_with(ctx, kr, prf, 1, td, sizeof(td)), mlen, off, end, i;
  imsms_mikey_ticket t = view(prf, td, len);
  imsms_mikey_keydata kd[3];
  size_t nk = keyset(prf, 1, kd);
  imsms_mikey_payload pl[8];
  imsms_ticket_info info;
  imsms_mikey_msg m;
  int bit, opened, nopened = 0;

  t.init_data = init_data;
  t.init_data_len = sizeof(init_data);
  mlen = wrap(prf, &t, msg, sizeof(msg));
  ck_assert_int_eq(imsms_mikey_decode_all(&m, pl, 8, msg, mlen), 4);
  ck_assert_uint_eq(pl[2].type, IMSMS_MIKEY_PT_TICKET);
  /* The codec writes bytes 1-7 as the RFC lays them out. */
  hand_fixed(&t, f);
  ck_assert_mem_eq(pl[2].raw + 1, f, 7);
  ck_assert_int_eq(unwrap_open(msg, mlen, keys, sizeof(keys), &info, &opened),
                   0);
  expect_keys(keys, info.keys_len, kd, nk);
  off = (size_t)(pl[2].raw - msg);
  /* MAC coverage: after the next-payload byte, before Initiator Data length. */
  end = off + pl[2].rawlen - 2 - sizeof(init_data);
  for (i = off + 1; i < end; i++) {
    for (bit = 0; bit < 8; bit++) {
      int rv;

      memcpy(bad, msg, mlen);
      bad[i] ^= (uint8_t)(1u << bit);
      memset(keys, 0x5a, sizeof(keys));
      rv = unwrap_open(bad, mlen, keys, sizeof(keys), &info, &opened);
      ck_assert_msg(rv < 0, "flip of byte %zu bit %d accepted", i - off, bit);
      /* When the message still decodes, the open failed and wiped. */
      ck_assert(!opened || imsms_test_all_zero(keys, sizeof(keys)));
      nopened += opened;
    }
  }
  /* Most flips reach the ticket check (TP Data, Ticket Data bytes). */
  ck_assert_int_gt(nopened, (int)(end - off) * 8 / 2);
  /* Initiator Data lies outside V: flipping it changes nothing. */
  for (i = end + 2; i < off + pl[2].rawlen; i++) {
    memcpy(bad, msg, mlen);
    bad[i] ^= 0xff;
    ck_assert_int_eq(unwrap_open(bad, mlen, keys, sizeof(keys), &info, &opened),
                     0);
    expect_keys(keys, info.keys_len, kd, nk);
  }
}
END_TEST

/* Every bit of the Ticket Data alone, through the open API: keybuf wiped. */
START_TEST(test_ticket_data_every_bit) {
  uint8_t td[1024], bad[1024], keys[256];
  size_t len = seal_with(ctx, kr, 1, 0, td, sizeof(td)), i;
  imsms_ticket_info info;
  int bit;

  for (i = 0; i < len; i++) {
    for (bit = 0; bit < 8; bit++) {
      imsms_mikey_ticket t = view(1, bad, len);

      memcpy(bad, td, len);
      bad[i] ^= (uint8_t)(1u << bit);
      memset(keys, 0x5a, sizeof(keys));
      ck_assert_msg(
          imsms_base_ticket_open(ctx, kr, &t, keys, sizeof(keys), &info) < 0,
          "flip of byte %zu bit %d accepted", i, bit);
      ck_assert(imsms_test_all_zero(keys, sizeof(keys)));
    }
  }
  /* Header fields and TP Data are covered too. */
  {
    imsms_mikey_ticket t = view(1, td, len);
    uint8_t tp2[64];

    t.flags ^= IMSMS_TP_J;
    ck_assert_int_eq(
        imsms_base_ticket_open(ctx, kr, &t, keys, sizeof(keys), &info),
        IMSMS_ERR_MIKEY_AUTH);
    t = view(1, td, len);
    t.reserved = 1;
    ck_assert_int_eq(
        imsms_base_ticket_open(ctx, kr, &t, keys, sizeof(keys), &info),
        IMSMS_ERR_MIKEY_AUTH);
    t = view(1, td, len);
    memcpy(tp2, tp_data, tp_data_len);
    tp2[tp_data_len - 1] ^= 1;
    t.tp_data = tp2;
    ck_assert_int_eq(
        imsms_base_ticket_open(ctx, kr, &t, keys, sizeof(keys), &info),
        IMSMS_ERR_MIKEY_AUTH);
    t = view(1, td, len);
    t.prf_func = 0; /* other algorithms: refused before any key work */
    ck_assert_int_eq(
        imsms_base_ticket_open(ctx, kr, &t, keys, sizeof(keys), &info),
        IMSMS_ERR_MIKEY_AUTH);
    ck_assert(imsms_test_all_zero(keys, sizeof(keys)));
  }
}
END_TEST

START_TEST(test_wrong_ring) {
  uint8_t td[1024], keys[256], other[32];
  size_t len = seal_with(ctx, kr, 0, 0, td, sizeof(td));
  imsms_mikey_ticket t = view(0, td, len);
  imsms_keyring *r2, *r3;
  imsms_ticket_info info;

  memcpy(other, tpk1, sizeof(other));
  other[31] ^= 1;
  ck_assert_int_eq(imsms_keyring_new(&r2, ctx), 0);
  ck_assert_int_eq(imsms_keyring_add(r2, 1, other, sizeof(other)), 0);
  ck_assert_int_eq(imsms_keyring_new(&r3, ctx), 0);
  ck_assert_int_eq(imsms_keyring_add(r3, 7, tpk1, sizeof(tpk1)), 0);
  memset(keys, 0x5a, sizeof(keys));
  ck_assert_int_eq(
      imsms_base_ticket_open(ctx, r2, &t, keys, sizeof(keys), &info),
      IMSMS_ERR_MIKEY_AUTH);
  ck_assert(imsms_test_all_zero(keys, sizeof(keys)));
  memset(keys, 0x5a, sizeof(keys));
  ck_assert_int_eq(
      imsms_base_ticket_open(ctx, r3, &t, keys, sizeof(keys), &info),
      IMSMS_ERR_TICKET_KEY_UNKNOWN);
  ck_assert(imsms_test_all_zero(keys, sizeof(keys)));
  imsms_keyring_del(r2);
  imsms_keyring_del(r3);
}
END_TEST

START_TEST(test_rotation) {
  uint8_t t1[1024], t2[1024], keys[256];
  size_t l1 = seal_with(ctx, kr, 1, 1, t1, sizeof(t1)), l2;
  imsms_mikey_ticket v1 = view(1, t1, l1), v2;
  imsms_ticket_info info;

  ck_assert_int_eq(imsms_keyring_add(kr, 2, tpk2, sizeof(tpk2)), 0);
  /* Added, not active: new tickets still use key 1. */
  l2 = seal_with(ctx, kr, 1, 1, t2, sizeof(t2));
  open_expect(ctx, kr, 1, 1, t2, l2, 1);
  ck_assert_int_eq(imsms_keyring_activate(kr, 2), 0);
  open_expect(ctx, kr, 1, 1, t1, l1, 1);
  l2 = seal_with(ctx, kr, 1, 1, t2, sizeof(t2));
  v2 = view(1, t2, l2);
  ck_assert_int_eq(
      imsms_base_ticket_open(ctx, kr, &v2, keys, sizeof(keys), &info), 0);
  ck_assert_uint_eq(info.key_id, 2);
  ck_assert_uint_eq(info.rand_len, 48); /* the 48-byte TPK */
  ck_assert_int_eq(imsms_keyring_retire(kr, 1), 0);
  memset(keys, 0x5a, sizeof(keys));
  ck_assert_int_eq(
      imsms_base_ticket_open(ctx, kr, &v1, keys, sizeof(keys), &info),
      IMSMS_ERR_TICKET_KEY_UNKNOWN);
  ck_assert(imsms_test_all_zero(keys, sizeof(keys)));
  open_expect(ctx, kr, 1, 1, t2, l2, 2);
  /* A retired id never comes back. */
  ck_assert_int_eq(imsms_keyring_add(kr, 1, tpk1, sizeof(tpk1)),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_keyring_activate(kr, 1), IMSMS_ERR_TICKET_KEY_UNKNOWN);
  ck_assert_int_eq(
      imsms_base_ticket_open(ctx, kr, &v1, keys, sizeof(keys), &info),
      IMSMS_ERR_TICKET_KEY_UNKNOWN);
}
END_TEST

/* Two KMS instances (two contexts) sharing one ring open each other's tickets.
 */
START_TEST(test_two_instances) {
  imsms_ctx *a = imsms_test_ctx(), *b = imsms_test_ctx();
  uint8_t ta[1024], tb[1024];
  size_t la = seal_with(a, kr, 0, 1, ta, sizeof(ta));
  size_t lb = seal_with(b, kr, 1, 0, tb, sizeof(tb));

  open_expect(b, kr, 0, 1, ta, la, 1);
  open_expect(a, kr, 1, 0, tb, lb, 1);
  imsms_ctx_del(a);
  imsms_ctx_del(b);
}
END_TEST

START_TEST(test_ticket_type) {
  uint8_t td[1024], keys[256];
  size_t len = seal_with(ctx, kr, 0, 0, td, sizeof(td));
  imsms_mikey_keydata kd[3];
  size_t nk = keyset(0, 0, kd);
  imsms_mikey_ticket h;
  imsms_ticket_info info;
  int i;

  for (i = 0; i < 3; i++) {
    h = hdr_for(0);
    if (i == 0) {
      h.ticket_type = IMSMS_MIKEY_TICKET_3GPP_BASE;
    } else if (i == 1) {
      h.subtype = 2;
    } else {
      h.version = 2;
    }
    ck_assert_int_eq(
        imsms_base_ticket_seal(ctx, kr, &h, now, kd, nk, td, sizeof(td)),
        IMSMS_ERR_MIKEY_TICKET_TYPE);
  }
  len = seal_with(ctx, kr, 0, 0, td, sizeof(td));
  for (i = 0; i < 3; i++) {
    h = view(0, td, len);
    if (i == 0) {
      h.ticket_type = IMSMS_MIKEY_TICKET_3GPP_BASE;
    } else if (i == 1) {
      h.subtype = 2;
    } else {
      h.version = 2;
    }
    memset(keys, 0x5a, sizeof(keys));
    ck_assert_int_eq(
        imsms_base_ticket_open(ctx, kr, &h, keys, sizeof(keys), &info),
        IMSMS_ERR_MIKEY_TICKET_TYPE);
    ck_assert(imsms_test_all_zero(keys, sizeof(keys)));
  }
}
END_TEST

START_TEST(test_seal_errors) {
  uint8_t td[2048], big[1100];
  imsms_mikey_keydata kd[3];
  size_t nk = keyset(0, 0, kd);
  imsms_mikey_ticket h = hdr_for(0);
  imsms_keyring *empty;

  /* No MPK first, or an MPK under 128 bits. */
  ck_assert_int_eq(
      imsms_base_ticket_seal(ctx, kr, &h, now, kd + 1, 1, td, sizeof(td)),
      IMSMS_ERR_MIKEY_KEY_DATA);
  kd[0].key_len = 15;
  ck_assert_int_eq(
      imsms_base_ticket_seal(ctx, kr, &h, now, kd, nk, td, sizeof(td)),
      IMSMS_ERR_MIKEY_KEY_DATA);
  kd[0].key_len = 16;
  ck_assert_int_eq(
      imsms_base_ticket_seal(ctx, kr, &h, now, kd, 0, td, sizeof(td)),
      IMSMS_ERR_INVALID_ARGUMENT);
  h.prf_func = 2;
  ck_assert_int_eq(
      imsms_base_ticket_seal(ctx, kr, &h, now, kd, nk, td, sizeof(td)),
      IMSMS_ERR_MIKEY_PRF);
  h = hdr_for(0);
  h.flags |= 0x0001; /* not a flag bit */
  ck_assert_int_eq(
      imsms_base_ticket_seal(ctx, kr, &h, now, kd, nk, td, sizeof(td)),
      IMSMS_ERR_INVALID_ARGUMENT);
  h = hdr_for(0);
  ck_assert_int_eq(
      imsms_base_ticket_seal(NULL, kr, &h, now, kd, nk, td, sizeof(td)),
      IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(
      imsms_base_ticket_seal(ctx, NULL, &h, now, kd, nk, td, sizeof(td)),
      IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(
      imsms_base_ticket_seal(ctx, kr, NULL, now, kd, nk, td, sizeof(td)),
      IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_base_ticket_seal(ctx, kr, &h, now, kd, nk, NULL, 0),
                   IMSMS_ERR_INVALID_ARGUMENT);
  /*
   * THDR 7, T 10, RAND 34, KEMAC 5 + 2 * 25, V 22: 128 bytes, and not
   * one byte less.
   */
  ck_assert_int_eq(imsms_base_ticket_seal(ctx, kr, &h, now, kd, nk, td, 127),
                   IMSMS_ERR_NOBUF);
  ck_assert_int_eq(imsms_base_ticket_seal(ctx, kr, &h, now, kd, nk, td, 128),
                   128);
  /* Key data beyond what a ticket carries. */
  memset(big, 1, sizeof(big));
  kd[1].key = big;
  kd[1].key_len = sizeof(big);
  ck_assert_int_eq(
      imsms_base_ticket_seal(ctx, kr, &h, now, kd, nk, td, sizeof(td)),
      IMSMS_ERR_TOO_LARGE);
  nk = keyset(0, 0, kd);
  /* No active key. */
  ck_assert_int_eq(imsms_keyring_new(&empty, ctx), 0);
  ck_assert_int_eq(
      imsms_base_ticket_seal(ctx, empty, &h, now, kd, nk, td, sizeof(td)),
      IMSMS_ERR_TICKET_KEY_UNKNOWN);
  imsms_keyring_del(empty);
}
END_TEST

START_TEST(test_open_args) {
  uint8_t td[1024], keys[64];
  size_t len = seal_with(ctx, kr, 0, 0, td, sizeof(td));
  imsms_mikey_ticket t = view(0, td, len);
  imsms_ticket_info info;

  memset(keys, 0x5a, sizeof(keys));
  ck_assert_int_eq(
      imsms_base_ticket_open(NULL, kr, &t, keys, sizeof(keys), &info),
      IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert(imsms_test_all_zero(keys, sizeof(keys)));
  ck_assert_int_eq(
      imsms_base_ticket_open(ctx, NULL, &t, keys, sizeof(keys), &info),
      IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(
      imsms_base_ticket_open(ctx, kr, NULL, keys, sizeof(keys), &info),
      IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(
      imsms_base_ticket_open(ctx, kr, &t, keys, sizeof(keys), NULL),
      IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_base_ticket_open(ctx, kr, &t, NULL, 0, &info),
                   IMSMS_ERR_NOBUF);
  t.ticket_data_len = 0;
  ck_assert_int_eq(
      imsms_base_ticket_open(ctx, kr, &t, keys, sizeof(keys), &info),
      IMSMS_ERR_TRUNCATED);
  /* Every truncation of the Ticket Data fails cleanly. */
  for (t.ticket_data_len = 0; t.ticket_data_len < len; t.ticket_data_len++) {
    ck_assert_int_lt(
        imsms_base_ticket_open(ctx, kr, &t, keys, sizeof(keys), &info), 0);
  }
}
END_TEST

/* Structure rules on tickets built by hand with valid MACs. */
START_TEST(test_structure) {
  uint8_t prf = (uint8_t)_i;
  uint8_t keys[256];
  hand h;

  h = hand_default(prf);
  ck_assert_int_eq(open_hand(&h, keys, sizeof(keys)), 0);
  /* IDRpsk and a General Extension before V: ignored. */
  h.extras = 1;
  ck_assert_int_eq(open_hand(&h, keys, sizeof(keys)), 0);
  h = hand_default(prf);
  h.omit_v = 1;
  ck_assert_int_eq(open_hand(&h, keys, sizeof(keys)), IMSMS_ERR_MIKEY_MISSING);
  h = hand_default(prf);
  h.omit_kemac = 1;
  ck_assert_int_eq(open_hand(&h, keys, sizeof(keys)), IMSMS_ERR_MIKEY_MISSING);
  h = hand_default(prf);
  h.omit_t = 1;
  ck_assert_int_eq(open_hand(&h, keys, sizeof(keys)), IMSMS_ERR_MIKEY_MISSING);
  h = hand_default(prf);
  h.omit_rand = 1;
  ck_assert_int_eq(open_hand(&h, keys, sizeof(keys)), IMSMS_ERR_MIKEY_MISSING);
  h = hand_default(prf);
  h.dup_t = 1;
  ck_assert_int_eq(open_hand(&h, keys, sizeof(keys)), IMSMS_ERR_MIKEY_MISSING);
  h = hand_default(prf);
  h.after_v = 1;
  ck_assert_int_eq(open_hand(&h, keys, sizeof(keys)), IMSMS_ERR_MIKEY_MISSING);
  /* THDR that is no key id of ours. */
  h = hand_default(prf);
  h.thdr_len = 3;
  ck_assert_int_eq(open_hand(&h, keys, sizeof(keys)),
                   IMSMS_ERR_TICKET_KEY_UNKNOWN);
  h = hand_default(prf);
  be(h.thdr, 99, 4);
  ck_assert_int_eq(open_hand(&h, keys, sizeof(keys)),
                   IMSMS_ERR_TICKET_KEY_UNKNOWN);
  /* KEMAC with a MAC, or the other PRF's cipher: not a ticket of ours. */
  h = hand_default(prf);
  h.kemac_mac = IMSMS_MIKEY_MAC_HMAC_SHA1_160;
  ck_assert_int_eq(open_hand(&h, keys, sizeof(keys)), IMSMS_ERR_MIKEY_AUTH);
  h = hand_default(prf);
  h.encr_alg = prf ? IMSMS_MIKEY_ENCR_AES_CM_128 : IMSMS_MIKEY_ENCR_AES_CM_256;
  ck_assert_int_eq(open_hand(&h, keys, sizeof(keys)), IMSMS_ERR_MIKEY_AUTH);
}
END_TEST

/* Authentic tickets whose key data is wrong. */
START_TEST(test_key_data_rules) {
  uint8_t prf = (uint8_t)_i;
  uint8_t keys[256], plain[256];
  imsms_mikey_keydata kd[3];
  size_t nk = keyset(prf, 0, kd);
  imsms_ssize n;
  hand h;

  /* TGK first, no MPK. */
  h = hand_default(prf);
  n = imsms_mikey_keydata_encode(plain, sizeof(plain), kd + 1, nk - 1);
  ck_assert_int_gt(n, 0);
  h.plain = plain;
  h.plainlen = (size_t)n;
  ck_assert_int_eq(open_hand(&h, keys, sizeof(keys)), IMSMS_ERR_MIKEY_KEY_DATA);
  /* MPK then TGK, the other way round. */
  {
    imsms_mikey_keydata rev[2];

    rev[0] = kd[1];
    rev[1] = kd[0];
    n = imsms_mikey_keydata_encode(plain, sizeof(plain), rev, 2);
    h.plainlen = (size_t)n;
    ck_assert_int_eq(open_hand(&h, keys, sizeof(keys)),
                     IMSMS_ERR_MIKEY_KEY_DATA);
  }
  /* A chain cut short, and one with a byte after it. */
  n = imsms_mikey_keydata_encode(plain, sizeof(plain), kd, nk);
  h.plainlen = (size_t)n - 1;
  ck_assert_int_eq(open_hand(&h, keys, sizeof(keys)), IMSMS_ERR_MIKEY_KEY_DATA);
  plain[n] = 0;
  h.plainlen = (size_t)n + 1;
  ck_assert_int_eq(open_hand(&h, keys, sizeof(keys)), IMSMS_ERR_MIKEY_KEY_DATA);
  /* No key data at all. */
  h.plainlen = 0;
  ck_assert_int_eq(open_hand(&h, keys, sizeof(keys)), IMSMS_ERR_MIKEY_KEY_DATA);
  /* An empty TGK after a good MPK (found by fuzz_kms: it reached key
   * forking in the KMS and came back as INVALID_ARGUMENT). */
  {
    imsms_mikey_keydata empty[2];

    empty[0] = kd[0];
    empty[1] = kd[1];
    empty[1].key_len = 0;
    n = imsms_mikey_keydata_encode(plain, sizeof(plain), empty, 2);
    ck_assert_int_gt(n, 0);
    h.plainlen = (size_t)n;
    ck_assert_int_eq(open_hand(&h, keys, sizeof(keys)),
                     IMSMS_ERR_MIKEY_KEY_DATA);
  }
}
END_TEST

/* MPKi and MPKr (RFC 6043 A.2.2) against the PRF on the label built here. */
START_TEST(test_mpk_derivation) {
  uint8_t prf = (uint8_t)_i;
  uint8_t td[1024], keys[256], label[11 + 255], mpki[32], mpkr[32], x[32];
  size_t len = seal_with(ctx, kr, prf, 0, td, sizeof(td)), mlen = prf ? 32 : 16;
  imsms_mikey_ticket t = view(prf, td, len);
  imsms_ticket_info info;
  imsms_mikey_keydata mpk;
  uint8_t next;
  int i;

  ck_assert_int_eq(
      imsms_base_ticket_open(ctx, kr, &t, keys, sizeof(keys), &info), 0);
  ck_assert_int_gt(imsms_mikey_keydata_decode(&mpk, &next, keys, info.keys_len),
                   0);
  ck_assert_uint_eq(mpk.type, IMSMS_MIKEY_KEY_MPK);
  ck_assert_uint_eq(mpk.key_len, mlen);
  ck_assert_int_eq(imsms_base_ticket_mpk(ctx, prf, mpk.key, mpk.key_len,
                                         info.rand, info.rand_len, mpki, mpkr),
                   0);
  for (i = 0; i < 2; i++) {
    be(label, i == 0 ? 0x220E99A2u : 0x1F4D675Bu, 4);
    label[4] = 0xff;
    be(label + 5, 0xffffffffu, 4);
    label[9] = 0x06;
    label[10] = (uint8_t)info.rand_len;
    memcpy(label + 11, info.rand, info.rand_len);
    ck_assert_int_eq(imsms_mikey_prf(ctx, prf, mpk.key, mpk.key_len, label,
                                     11 + info.rand_len, x, mlen),
                     0);
    ck_assert_mem_eq(x, i == 0 ? mpki : mpkr, mlen);
  }
  ck_assert(memcmp(mpki, mpkr, mlen) != 0);
  /* Either output alone. */
  memset(x, 0, sizeof(x));
  ck_assert_int_eq(imsms_base_ticket_mpk(ctx, prf, mpk.key, mpk.key_len,
                                         info.rand, info.rand_len, NULL, x),
                   0);
  ck_assert_mem_eq(x, mpkr, mlen);
  ck_assert_int_eq(imsms_base_ticket_mpk(ctx, prf, mpk.key, mpk.key_len,
                                         info.rand, info.rand_len, x, NULL),
                   0);
  ck_assert_mem_eq(x, mpki, mlen);
  /* Errors, outputs wiped. */
  memset(x, 0x5a, sizeof(x));
  ck_assert_int_eq(imsms_base_ticket_mpk(ctx, 2, mpk.key, mpk.key_len,
                                         info.rand, info.rand_len, x, NULL),
                   IMSMS_ERR_MIKEY_PRF);
  ck_assert(imsms_test_all_zero(x, mlen));
  ck_assert_int_eq(imsms_base_ticket_mpk(ctx, prf, mpk.key, mpk.key_len,
                                         info.rand, info.rand_len, NULL, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_base_ticket_mpk(NULL, prf, mpk.key, mpk.key_len,
                                         info.rand, info.rand_len, x, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_base_ticket_mpk(ctx, prf, mpk.key, 0, info.rand,
                                         info.rand_len, x, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  {
    uint8_t big[257], out[257];

    memset(big, 1, sizeof(big));
    ck_assert_int_eq(imsms_base_ticket_mpk(ctx, prf, big, sizeof(big),
                                           info.rand, info.rand_len, out, NULL),
                     IMSMS_ERR_TOO_LARGE);
  }
}
END_TEST

START_TEST(test_keyring_args) {
  uint8_t k65[65];
  imsms_keyring *r;
  uint32_t id;

  memset(k65, 3, sizeof(k65));
  ck_assert_int_eq(imsms_keyring_new(NULL, ctx), IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_keyring_new(&r, NULL), IMSMS_ERR_INVALID_ARGUMENT);
  imsms_keyring_del(NULL);
  ck_assert_int_eq(imsms_keyring_new(&r, ctx), 0);
  ck_assert_int_eq(imsms_keyring_add(NULL, 1, k65, 16),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_keyring_add(r, 1, NULL, 16),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_keyring_add(r, 1, k65, 15), IMSMS_ERR_KEY_LENGTH);
  ck_assert_int_eq(imsms_keyring_add(r, 1, k65, 65), IMSMS_ERR_KEY_LENGTH);
  ck_assert_int_eq(imsms_keyring_activate(r, 1), IMSMS_ERR_TICKET_KEY_UNKNOWN);
  ck_assert_int_eq(imsms_keyring_add(r, 1, k65, 16), 0);
  ck_assert_int_eq(imsms_keyring_add(r, 2, k65, 64), 0);
  ck_assert_int_eq(imsms_keyring_add(r, 2, k65, 32),
                   IMSMS_ERR_INVALID_ARGUMENT);
  /* The first key is active and cannot be retired. */
  ck_assert_int_eq(imsms_keyring_retire(r, 1), IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_keyring_retire(r, 3), IMSMS_ERR_TICKET_KEY_UNKNOWN);
  ck_assert_int_eq(imsms_keyring_retire(NULL, 2), IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_keyring_activate(NULL, 2), IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_keyring_retire(r, 2), 0);
  ck_assert_int_eq(imsms_keyring_retire(r, 2), IMSMS_ERR_TICKET_KEY_UNKNOWN);
  ck_assert_int_eq(imsms_keyring_activate(r, 2), IMSMS_ERR_TICKET_KEY_UNKNOWN);
  ck_assert_int_eq(imsms_keyring_add(r, 2, k65, 32),
                   IMSMS_ERR_INVALID_ARGUMENT);
  /* 64 live keys at most; a retired one makes room. */
  for (id = 100; id < 163; id++) {
    ck_assert_int_eq(imsms_keyring_add(r, id, k65, 16), 0);
  }
  ck_assert_int_eq(imsms_keyring_add(r, 500, k65, 16), IMSMS_ERR_TOO_LARGE);
  ck_assert_int_eq(imsms_keyring_retire(r, 100), 0);
  ck_assert_int_eq(imsms_keyring_add(r, 500, k65, 16), 0);
  ck_assert_int_eq(imsms_keyring_add(r, 501, k65, 16), IMSMS_ERR_TOO_LARGE);
  imsms_keyring_del(r);
}
END_TEST

/* A long-running KMS rotates far past 64 keys. */
START_TEST(test_keyring_long_rotation) {
  uint8_t td[1024];
  uint32_t id;

  for (id = 2; id < 3000; id++) {
    uint8_t k[16];

    memset(k, (int)(id & 0xff), sizeof(k));
    ck_assert_int_eq(imsms_keyring_add(kr, id, k, sizeof(k)), 0);
    ck_assert_int_eq(imsms_keyring_activate(kr, id), 0);
    ck_assert_int_eq(imsms_keyring_retire(kr, id - 1), 0);
  }
  for (id = 1; id < 2999; id += 97) {
    ck_assert_int_eq(imsms_keyring_add(kr, id, tpk1, 16),
                     IMSMS_ERR_INVALID_ARGUMENT);
  }
  ck_assert_int_eq(imsms_keyring_add(kr, 5000, tpk1, 16), 0);
  open_expect(ctx, kr, 0, 0, td, seal_with(ctx, kr, 0, 0, td, sizeof(td)),
              2999);
}
END_TEST

/* Fail the Nth allocation counted from now. */
static void arm(imsms_failmalloc *fm, long n) {
  fm->calls = 0;
  fm->failed = 0;
  fm->fail_at = n;
}

/* Seal and open on a fresh context per round: contexts pool HMAC and AES
 * objects. */
START_TEST(test_failmalloc_seal_open) {
  uint8_t td[1024], keys[256];
  imsms_mikey_keydata kd[3];
  size_t nk = keyset(1, 1, kd);
  imsms_mikey_ticket h = hdr_for(1), t;
  imsms_det_provider dp;
  imsms_ticket_info info;
  imsms_failmalloc fm;
  imsms_ctx *c;
  imsms_ssize len;
  long n, failed;
  int rv;

  imsms_det_provider_init(&dp, 11);
  for (n = 0; n < MAX_STEPS; n++) {
    imsms_failmalloc_init(&fm, -1);
    ck_assert_int_eq(imsms_ctx_new(&c, &fm.mem, &dp.vt, NULL, NULL), 0);
    arm(&fm, n);
    memset(keys, 0x5a, sizeof(keys));
    rv = 0;
    len = imsms_base_ticket_seal(c, kr, &h, now, kd, nk, td, sizeof(td));
    if (len > 0) {
      t = view(1, td, (size_t)len);
      rv = imsms_base_ticket_open(c, kr, &t, keys, sizeof(keys), &info);
    }
    failed = fm.failed;
    arm(&fm, -1);
    imsms_ctx_del(c);
    ck_assert_int_eq(fm.live, 0);
    if (failed == 0) {
      ck_assert_int_gt(len, 0);
      ck_assert_int_eq(rv, 0);
      expect_keys(keys, info.keys_len, kd, nk);
      break;
    }
    if (len < 0) {
      ck_assert_int_eq(len, IMSMS_ERR_NOMEM);
    } else {
      ck_assert_int_eq(rv, IMSMS_ERR_NOMEM);
      ck_assert(imsms_test_all_zero(keys, sizeof(keys)));
    }
  }
  ck_assert_int_lt(n, MAX_STEPS);
  ck_assert_int_ge(n, 2);
}
END_TEST

START_TEST(test_failmalloc_keyring) {
  imsms_det_provider dp;
  imsms_failmalloc fm;
  imsms_keyring *r;
  imsms_ctx *c;
  long n, failed;
  uint32_t id;
  int rv;

  imsms_det_provider_init(&dp, 12);
  for (n = 0; n < MAX_STEPS; n++) {
    imsms_failmalloc_init(&fm, -1);
    ck_assert_int_eq(imsms_ctx_new(&c, &fm.mem, &dp.vt, NULL, NULL), 0);
    arm(&fm, n);
    r = NULL;
    rv = imsms_keyring_new(&r, c);
    /* Past the first retired-id block: the array must grow once. */
    for (id = 1; rv == 0 && id <= 40; id++) {
      rv = imsms_keyring_add(r, id, tpk1, sizeof(tpk1));
      if (rv == 0 && id > 1) {
        ck_assert_int_eq(imsms_keyring_activate(r, id), 0);
        ck_assert_int_eq(imsms_keyring_retire(r, id - 1), 0);
      }
    }
    failed = fm.failed;
    arm(&fm, -1);
    if (r == NULL) {
      ck_assert_int_eq(rv, IMSMS_ERR_NOMEM);
    }
    imsms_keyring_del(r);
    imsms_ctx_del(c);
    ck_assert_int_eq(fm.live, 0);
    if (failed == 0) {
      ck_assert_int_eq(rv, 0);
      break;
    }
    ck_assert_int_eq(rv, IMSMS_ERR_NOMEM);
  }
  ck_assert_int_lt(n, MAX_STEPS);
  ck_assert_int_ge(n, 3);
}
END_TEST

/*
 * The sealed initiator of an anonymous caller: inside the encrypted
 * KEMAC plaintext after the key data, returned by open, never in the
 * clear, and only with a non-empty identity.
 */
START_TEST(test_sealed_initiator) {
  static const char who[] = "sip:alice@example.net";
  imsms_id id = {IMSMS_MIKEY_ID_URI, (const uint8_t *)who, sizeof(who) - 1};
  imsms_mikey_ticket h = hdr_for(_i);
  imsms_mikey_keydata kd[3];
  size_t nk = keyset((uint8_t)_i, 0, kd), i;
  uint8_t td[1024], keys[512];
  imsms_ticket_info info;
  imsms_mikey_ticket t;
  imsms_ssize n;

  n = imsms_base_ticket_seal_id(ctx, kr, &h, now, kd, nk, &id, td, sizeof(td));
  ck_assert_int_gt(n, 0);
  for (i = 0; i + id.len <= (size_t)n; i++) {
    ck_assert_int_ne(memcmp(td + i, who, id.len), 0);
  }
  t = view((uint8_t)_i, td, (size_t)n);
  ck_assert_int_eq(imsms_base_ticket_open(ctx, kr, &t, keys, sizeof(keys),
                                          &info),
                   0);
  expect_keys(keys, info.keys_len, kd, nk);
  ck_assert_uint_eq(info.sealed_initiator.len, id.len);
  ck_assert_uint_eq(info.sealed_initiator.type, IMSMS_MIKEY_ID_URI);
  ck_assert_mem_eq(info.sealed_initiator.data, who, id.len);
  /* Padded: identities of other lengths give tickets of one length. */
  {
    static const char longer[] = "sip:alexandrina.w@example.net";
    imsms_id id2 = {IMSMS_MIKEY_ID_URI, (const uint8_t *)longer,
                    sizeof(longer) - 1};
    uint8_t td2[1024];
    imsms_ssize n2 = imsms_base_ticket_seal_id(ctx, kr, &h, now, kd, nk, &id2,
                                               td2, sizeof(td2));

    ck_assert_int_eq(n2, n);
  }
  /* A plain ticket has none. */
  n = imsms_base_ticket_seal(ctx, kr, &h, now, kd, nk, td, sizeof(td));
  t = view((uint8_t)_i, td, (size_t)n);
  ck_assert_int_eq(imsms_base_ticket_open(ctx, kr, &t, keys, sizeof(keys),
                                          &info),
                   0);
  ck_assert_uint_eq(info.sealed_initiator.len, 0);
  /* Bad identities. */
  id.len = 0;
  ck_assert_int_eq(imsms_base_ticket_seal_id(ctx, kr, &h, now, kd, nk, &id, td,
                                             sizeof(td)),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_base_ticket_seal_id(ctx, kr, &h, now, kd, nk, NULL,
                                             td, sizeof(td)),
                   IMSMS_ERR_INVALID_ARGUMENT);
}
END_TEST

/* The KMS's seal hands back the RAND it put in the Ticket Data. */
START_TEST(test_seal_rand) {
  static const char who[] = "sip:alice@example.net";
  imsms_id id = {IMSMS_MIKEY_ID_URI, (const uint8_t *)who, sizeof(who) - 1};
  imsms_mikey_ticket h = hdr_for(_i);
  imsms_mikey_keydata kd[3];
  size_t nk = keyset((uint8_t)_i, 0, kd), randlen, k;
  uint8_t td[1024], rand[255], untouched[255];
  imsms_mikey_payload pl;
  imsms_mikey_iter it;
  imsms_ssize n;
  int found;

  for (k = 0; k < 2; k++) {
    memset(rand, 0, sizeof(rand));
    randlen = 0;
    n = imsms_base_ticket_seal_rand(ctx, kr, &h, now, kd, nk, k ? &id : NULL,
                                    td, sizeof(td), rand, &randlen);
    ck_assert_int_gt(n, 0);
    found = 0;
    imsms_mikey_chain_init(&it, IMSMS_MIKEY_PT_THDR, td, (size_t)n);
    while (imsms_mikey_iter_next(&it, &pl) == 0) {
      if (pl.type == IMSMS_MIKEY_PT_RAND) {
        ck_assert_uint_eq(randlen, pl.u.rand.len);
        ck_assert_mem_eq(rand, pl.u.rand.rand, randlen);
        found = 1;
      }
    }
    ck_assert(found);
    ck_assert_uint_ge(randlen, 16);
  }
  /* Refused: nothing copied. */
  memset(rand, 0xa5, sizeof(rand));
  memcpy(untouched, rand, sizeof(rand));
  randlen = 7;
  ck_assert_int_eq(imsms_base_ticket_seal_rand(ctx, kr, &h, now, kd, nk, NULL,
                                               td, sizeof(td), NULL, &randlen),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_base_ticket_seal_rand(ctx, kr, &h, now, kd, nk, NULL,
                                               td, sizeof(td), rand, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  id.len = 0;
  ck_assert_int_eq(imsms_base_ticket_seal_rand(ctx, kr, &h, now, kd, nk, &id,
                                               td, sizeof(td), rand, &randlen),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_base_ticket_seal_rand(ctx, kr, &h, now, kd, nk, NULL,
                                               td, 10, rand, &randlen),
                   IMSMS_ERR_NOBUF);
  ck_assert_mem_eq(rand, untouched, sizeof(rand));
  ck_assert_uint_eq(randlen, 7);
}
END_TEST

static Suite *base_ticket_suite(void) {
  Suite *s = suite_create("base_ticket");
  TCase *tc = tcase_create("seal_open");
  TCase *tk = tcase_create("keyring");
  TCase *tf = tcase_create("failmalloc");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_loop_test(tc, test_round_trip, 0, 4);
  tcase_add_test(tc, test_fresh_rand_each_seal);
  tcase_add_loop_test(tc, test_matches_hand_built, 0, 2);
  tcase_add_loop_test(tc, test_in_message_every_byte, 0, 2);
  tcase_add_test(tc, test_ticket_data_every_bit);
  tcase_add_test(tc, test_wrong_ring);
  tcase_add_test(tc, test_two_instances);
  tcase_add_test(tc, test_ticket_type);
  tcase_add_test(tc, test_seal_errors);
  tcase_add_test(tc, test_open_args);
  tcase_add_loop_test(tc, test_structure, 0, 2);
  tcase_add_loop_test(tc, test_key_data_rules, 0, 2);
  tcase_add_loop_test(tc, test_mpk_derivation, 0, 2);
  tcase_add_loop_test(tc, test_sealed_initiator, 0, 2);
  tcase_add_loop_test(tc, test_seal_rand, 0, 2);
  suite_add_tcase(s, tc);
  tcase_add_checked_fixture(tk, setup, teardown);
  tcase_add_test(tk, test_keyring_args);
  tcase_add_test(tk, test_rotation);
  tcase_add_test(tk, test_keyring_long_rotation);
  suite_add_tcase(s, tk);
  tcase_add_checked_fixture(tf, setup, teardown);
  tcase_set_timeout(tf, 60);
  tcase_add_test(tf, test_failmalloc_seal_open);
  tcase_add_test(tf, test_failmalloc_keyring);
  suite_add_tcase(s, tf);
  return s;
}

int main(void) {
  return imsms_test_run(base_ticket_suite(), "base_ticket");
}
