/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * SDES a=crypto (RFC 4568): the RFC examples, one bad line per grammar
 * rule and per interop trap with its exact error, every truncated prefix
 * and single-byte mutation of valid lines in exact-size heap copies (so
 * ASan sees any over-read), format/parse round trips for every suite, and
 * keys through imsms_sdes_master() into the SRTP KDF (RFC 3711 B.3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/crypto.h>
#include <imsmediasec/keys.h>

#include "kat/srtp_kdf.h"
#include "test_util.h"

/* RFC 4568 4 and ims-media-security.md 3.3. */
#define K30 "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"
#define K30_KEY "3d2d6e40255e7821426a75667239293f"
#define K30_SALT "2c2335685c603d265d7b71695051"
/* RFC 4568 4.5 and 7.1.5: other 30-byte keys. */
#define K30B "d0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSoj"
#define K30C "MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm"
#define K30D "QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5"
/* Bytes 1..n: key and salt of the AES-256, AES-192 and GCM suites. */
#define K46 "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLg=="
#define K38 "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSY="
#define K28 "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHA=="
#define K44 "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKyw="

#define S80 "AES_CM_128_HMAC_SHA1_80"
#define P "1 " S80 " inline:" K30

static imsms_ctx *ctx;

static void setup(void) {
  ctx = imsms_test_ctx();
}
static void teardown(void) {
  imsms_ctx_del(ctx);
}

/* Parses |len| bytes of |line| from an exact-size heap copy. */
static int parse_exact(imsms_sdes_crypto *c, const char *line, size_t len) {
  char *copy = malloc(len ? len : 1);
  int rv;

  ck_assert_ptr_nonnull(copy);
  if (len) {
    memcpy(copy, line, len);
  }
  rv = imsms_sdes_parse(c, copy, len);
  /* The FEC_KEY view points into the copy: do not let it dangle. */
  if (rv == 0 && c->fec_key != NULL) {
    c->fec_key = line + (c->fec_key - copy);
  }
  free(copy);
  return rv;
}

static int parse_str(imsms_sdes_crypto *c, const char *line) {
  return parse_exact(c, line, strlen(line));
}

static void expect_hex(const char *hex, const uint8_t *got, size_t len) {
  uint8_t want[64];

  ck_assert_uint_eq(imsms_kat_unhex(want, sizeof(want), hex), len);
  ck_assert_mem_eq(want, got, len);
}

/* Field by field: padding bytes and the FEC_KEY pointer are not content. */
static void expect_same(const imsms_sdes_crypto *a,
                        const imsms_sdes_crypto *b) {
  size_t i;

  ck_assert_uint_eq(a->tag, b->tag);
  ck_assert_int_eq(a->suite, b->suite);
  ck_assert_uint_eq(a->nkeys, b->nkeys);
  for (i = 0; i < a->nkeys; i++) {
    const imsms_sdes_key *x = &a->keys[i], *y = &b->keys[i];

    ck_assert_uint_eq(x->key_len, y->key_len);
    ck_assert_mem_eq(x->key, y->key, x->key_len);
    ck_assert_uint_eq(x->salt_len, y->salt_len);
    ck_assert_mem_eq(x->salt, y->salt, x->salt_len);
    ck_assert_uint_eq(x->lifetime, y->lifetime);
    ck_assert_int_eq(x->lifetime_is_pow2, y->lifetime_is_pow2);
    ck_assert_uint_eq(x->mki, y->mki);
    ck_assert_uint_eq(x->mki_len, y->mki_len);
  }
  ck_assert_int_eq(a->has_kdr, b->has_kdr);
  ck_assert_uint_eq(a->kdr_log2, b->kdr_log2);
  ck_assert_uint_eq(a->flags, b->flags);
  ck_assert_int_eq(a->fec_order, b->fec_order);
  ck_assert_uint_eq(a->wsh, b->wsh);
  ck_assert_uint_eq(a->fec_key_len, b->fec_key_len);
  if (a->fec_key_len) {
    ck_assert_mem_eq(a->fec_key, b->fec_key, a->fec_key_len);
  }
}

/* format(c), then parse of the text gives |c| back; returns the length. */
static size_t expect_round_trip(const imsms_sdes_crypto *c, char *text,
                                size_t cap) {
  imsms_sdes_crypto back;
  imsms_ssize n;

  n = imsms_sdes_format(text, cap, c);
  ck_assert_int_gt(n, 0);
  ck_assert_int_eq(imsms_sdes_parse(&back, text, (size_t)n), 0);
  expect_same(c, &back);
  imsms_secure_clear(&back, sizeof(back));
  return (size_t)n;
}

/* ------------------------------------------------------------------ */
/* RFC 4568 examples                                                  */

START_TEST(test_rfc_example) {
  imsms_sdes_crypto c;
  const imsms_sdes_key *k = &c.keys[0];

  ck_assert_int_eq(parse_str(&c, P "|2^20|1:32"), 0);
  ck_assert_uint_eq(c.tag, 1);
  ck_assert_int_eq(c.suite, IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80);
  ck_assert_uint_eq(c.nkeys, 1);
  ck_assert_uint_eq(k->key_len, 16);
  expect_hex(K30_KEY, k->key, 16);
  ck_assert_uint_eq(k->salt_len, 14);
  expect_hex(K30_SALT, k->salt, 14);
  ck_assert_uint_eq(k->lifetime, 20);
  ck_assert_int_eq(k->lifetime_is_pow2, 1);
  ck_assert_uint_eq(k->mki, 1);
  ck_assert_uint_eq(k->mki_len, 32);
  ck_assert_int_eq(c.has_kdr, 0);
  ck_assert_uint_eq(c.flags, 0);
  ck_assert_int_eq(c.fec_order, 0);
  ck_assert_uint_eq(c.wsh, 0);
  ck_assert_ptr_null(c.fec_key);
  imsms_secure_clear(&c, sizeof(c));
}
END_TEST

/* RFC 4568 4.5 and 6.1: the other single-key examples. */
START_TEST(test_rfc_examples_single) {
  imsms_sdes_crypto c;

  ck_assert_int_eq(parse_str(&c, "1 " S80 " inline:" K30B "|2^20|1:32"), 0);
  ck_assert_uint_eq(c.keys[0].mki_len, 32);
  ck_assert_int_eq(
      parse_str(&c, "1 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+"
                    "PSdFcGdUJShpX1Zj|2^20|1:32"),
      0);
  ck_assert_int_eq(c.suite, IMSMS_SRTP_AES_CM_128_HMAC_SHA1_32);
  /* 6.1: "|1:4" is an MKI of 1 in 4 bytes. */
  ck_assert_int_eq(parse_str(&c, "1 " S80 " inline:" K30B "|2^20|1:4"), 0);
  ck_assert_uint_eq(c.keys[0].mki, 1);
  ck_assert_uint_eq(c.keys[0].mki_len, 4);
  /* 6.1: no lifetime, MKI 1066 in 4 bytes. */
  ck_assert_int_eq(parse_str(&c, "1 " S80
                                 " inline:YUJDZGVmZ2hpSktMbW9QUXJzVHVWd3l6M"
                                 "TIzNDU2|1066:4"),
                   0);
  ck_assert_uint_eq(c.keys[0].lifetime, 0);
  ck_assert_uint_eq(c.keys[0].mki, 1066);
  ck_assert_uint_eq(c.keys[0].mki_len, 4);
  ck_assert_mem_eq(c.keys[0].key, "aBCdefghiJKLmoPQ", 16);
  imsms_secure_clear(&c, sizeof(c));
}
END_TEST

/*
 * RFC 4568 7.1.5: two keys told apart by MKI, with FEC_ORDER. The RFC
 * offers them under F8_128_HMAC_SHA1_80, which this library does not
 * implement; the same key-params under AES-CM must parse.
 */
START_TEST(test_rfc_multi_key) {
  imsms_sdes_crypto c;

  ck_assert_int_eq(parse_str(&c,
                             "1 " S80 " inline:" K30C "|2^20|1:4;inline:" K30D
                             "|2^20|2:4 FEC_ORDER=FEC_SRTP"),
                   0);
  ck_assert_uint_eq(c.nkeys, 2);
  ck_assert_uint_eq(c.keys[0].mki, 1);
  ck_assert_uint_eq(c.keys[1].mki, 2);
  ck_assert_uint_eq(c.keys[0].mki_len, 4);
  ck_assert_uint_eq(c.keys[1].mki_len, 4);
  ck_assert_uint_eq(c.keys[0].lifetime, 20);
  ck_assert_uint_eq(c.keys[1].lifetime, 20);
  ck_assert_mem_eq(c.keys[0].key, "123456789ABCDE01", 16);
  ck_assert_mem_eq(c.keys[1].key, "ABcdef123456789A", 16);
  ck_assert_int_eq(c.fec_order, 1);
  ck_assert_int_eq(parse_str(&c, "2 F8_128_HMAC_SHA1_80 inline:" K30C
                                 "|2^20|1:4;inline:" K30D
                                 "|2^20|2:4 FEC_ORDER=FEC_SRTP"),
                   IMSMS_ERR_UNSUPPORTED_ALG);
  ck_assert(imsms_test_all_zero(&c, sizeof(c)));
}
END_TEST

/* ------------------------------------------------------------------ */
/* Lines that must be accepted                                        */

typedef struct good_line {
  const char *line;
  size_t nkeys;
  uint64_t lifetime;
  int pow2;
  uint64_t mki;
  size_t mki_len;
  uint32_t flags;
  int kdr; /* -1: absent */
  int fec_order;
  uint32_t wsh;
} good_line;

static const good_line good_lines[] = {
    {P, 1, 0, 0, 0, 0, 0, -1, 0, 0},
    /* Trap: "|2^31" once ended up inside the key. */
    {P "|2^31", 1, 31, 1, 0, 0, 0, -1, 0, 0},
    {P "|2^1", 1, 1, 1, 0, 0, 0, -1, 0, 0},
    {P "|2^48", 1, 48, 1, 0, 0, 0, -1, 0, 0},
    {P "|1", 1, 1, 0, 0, 0, 0, -1, 0, 0},
    {P "|1048576", 1, 1048576, 0, 0, 0, 0, -1, 0, 0},
    {P "|281474976710656", 1, (uint64_t)1 << 48, 0, 0, 0, 0, -1, 0, 0},
    /* Trap: UNENCRYPTED_SRTCP read as part of the lifetime. */
    {P "|2^20 UNENCRYPTED_SRTCP", 1, 20, 1, 0, 0, IMSMS_SDES_UNENCRYPTED_SRTCP,
     -1, 0, 0},
    /* Trap: "|1:1" must really give a 1-byte MKI of 1. */
    {P "|1:1", 1, 0, 0, 1, 1, 0, -1, 0, 0},
    {P "|0:1", 1, 0, 0, 0, 1, 0, -1, 0, 0},
    {P "|255:1", 1, 0, 0, 255, 1, 0, -1, 0, 0},
    {P "|65535:2", 1, 0, 0, 65535, 2, 0, -1, 0, 0},
    {P "|2^10|16777215:3", 1, 10, 1, 16777215, 3, 0, -1, 0, 0},
    {P "|18446744073709551615:8", 1, 0, 0, UINT64_MAX, 8, 0, -1, 0, 0},
    {P "|18446744073709551615:128", 1, 0, 0, UINT64_MAX, 128, 0, -1, 0, 0},
    {P "|1:128", 1, 0, 0, 1, 128, 0, -1, 0, 0},
    {"999999999 " S80 " inline:" K30, 1, 0, 0, 0, 0, 0, -1, 0, 0},
    /* RFC 4568 9.1: 1*WSP between fields; one trailing blank tolerated. */
    {"1\t" S80 "\tinline:" K30, 1, 0, 0, 0, 0, 0, -1, 0, 0},
    {"1  " S80 " \t inline:" K30 "   KDR=1", 1, 0, 0, 0, 0, 0, 1, 0, 0},
    {P " ", 1, 0, 0, 0, 0, 0, -1, 0, 0},
    {P "\t", 1, 0, 0, 0, 0, 0, -1, 0, 0},
    {P " WSH=64 ", 1, 0, 0, 0, 0, 0, -1, 0, 64},
    /* KDR: the ABNF's 0..24. */
    {P " KDR=0", 1, 0, 0, 0, 0, 0, 0, 0, 0},
    {P " KDR=24", 1, 0, 0, 0, 0, 0, 24, 0, 0},
    {P " WSH=4294967295", 1, 0, 0, 0, 0, 0, -1, 0, 4294967295u},
    /* RFC 4568 6.3.7: unknown parameters starting with '-' are ignored. */
    {P " -FOO", 1, 0, 0, 0, 0, 0, -1, 0, 0},
    {P " -KDR=99 -UNENCRYPTED_SRTP", 1, 0, 0, 0, 0, 0, -1, 0, 0},
    {P " --", 1, 0, 0, 0, 0, 0, -1, 0, 0},
    {P " UNENCRYPTED_SRTP UNENCRYPTED_SRTCP UNAUTHENTICATED_SRTP", 1, 0, 0, 0,
     0,
     IMSMS_SDES_UNENCRYPTED_SRTP | IMSMS_SDES_UNENCRYPTED_SRTCP |
         IMSMS_SDES_UNAUTHENTICATED_SRTP,
     -1, 0, 0},
    {P " FEC_ORDER=SRTP_FEC", 1, 0, 0, 0, 0, 0, -1, 2, 0},
    {P "|2^20|1:4 WSH=128 -x=y UNAUTHENTICATED_SRTP KDR=5 FEC_ORDER=FEC_SRTP",
     1, 20, 1, 1, 4, IMSMS_SDES_UNAUTHENTICATED_SRTP, 5, 1, 128},
    {P "|1:2;inline:" K30B "|2:2;inline:" K30C "|3:2;inline:" K30D
       "|4:2;inline:" K30 "|5:2;inline:" K30B "|6:2;inline:" K30C
       "|7:2;inline:" K30D "|8:2",
     8, 0, 0, 1, 2, 0, -1, 0, 0},
};

START_TEST(test_good_lines) {
  const good_line *g = &good_lines[_i];
  imsms_sdes_crypto c;

  ck_assert_msg(parse_str(&c, g->line) == 0, "refused: %s", g->line);
  ck_assert_uint_eq(c.nkeys, g->nkeys);
  ck_assert_uint_eq(c.keys[0].key_len, 16);
  expect_hex(K30_KEY, c.keys[0].key, 16);
  expect_hex(K30_SALT, c.keys[0].salt, 14);
  ck_assert_uint_eq(c.keys[0].lifetime, g->lifetime);
  ck_assert_int_eq(c.keys[0].lifetime_is_pow2, g->pow2);
  ck_assert_uint_eq(c.keys[0].mki, g->mki);
  ck_assert_uint_eq(c.keys[0].mki_len, g->mki_len);
  ck_assert_uint_eq(c.flags, g->flags);
  ck_assert_int_eq(c.has_kdr, g->kdr >= 0);
  ck_assert_uint_eq(c.kdr_log2, g->kdr >= 0 ? (unsigned)g->kdr : 0);
  ck_assert_int_eq(c.fec_order, g->fec_order);
  ck_assert_uint_eq(c.wsh, g->wsh);
  imsms_secure_clear(&c, sizeof(c));
}
END_TEST

/* Every other suite, with its own key-salt length (padding included). */
START_TEST(test_suite_lengths) {
  static const struct {
    const char *line;
    int suite;
    size_t key_len, salt_len;
  } t[] = {
      {"1 AES_CM_128_HMAC_SHA1_32 inline:" K30, 2, 16, 14},
      {"1 AES_192_CM_HMAC_SHA1_80 inline:" K38, 3, 24, 14},
      {"1 AES_192_CM_HMAC_SHA1_32 inline:" K38, 4, 24, 14},
      {"1 AES_256_CM_HMAC_SHA1_80 inline:" K46, 5, 32, 14},
      {"1 AES_256_CM_HMAC_SHA1_32 inline:" K46 "|2^31|7:1", 6, 32, 14},
      {"1 AEAD_AES_128_GCM inline:" K28, 7, 16, 12},
      {"1 AEAD_AES_256_GCM inline:" K44, 8, 32, 12},
      {"1 NULL_HMAC_SHA1_80 inline:" K30, 9, 16, 14},
      {"1 NULL_HMAC_SHA1_32 inline:" K30, 10, 16, 14},
      {"1 NULL_NULL inline:" K30, 11, 16, 14},
  };
  imsms_sdes_crypto c;
  size_t i;

  for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
    uint8_t want[46];

    ck_assert_msg(parse_str(&c, t[i].line) == 0, "refused: %s", t[i].line);
    ck_assert_int_eq(c.suite, t[i].suite);
    ck_assert_uint_eq(c.keys[0].key_len, t[i].key_len);
    ck_assert_uint_eq(c.keys[0].salt_len, t[i].salt_len);
    if (t[i].key_len != 16 || t[i].salt_len != 14) {
      size_t j;

      for (j = 0; j < sizeof(want); j++) {
        want[j] = (uint8_t)(j + 1);
      }
      ck_assert_mem_eq(c.keys[0].key, want, t[i].key_len);
      ck_assert_mem_eq(c.keys[0].salt, want + t[i].key_len, t[i].salt_len);
    }
  }
  imsms_secure_clear(&c, sizeof(c));
}
END_TEST

/* ------------------------------------------------------------------ */
/* Lines that must be refused, each with its error                    */

typedef struct bad_line {
  const char *line;
  size_t len; /* 0: strlen(line) */
  int err;
} bad_line;

static const bad_line bad_lines[] = {
    /* Framing and characters. */
    {"", 0, IMSMS_ERR_SDES_SYNTAX},
    {" ", 0, IMSMS_ERR_SDES_SYNTAX},
    {"1", 0, IMSMS_ERR_SDES_SYNTAX},
    {"1 " S80, 0, IMSMS_ERR_SDES_SYNTAX},
    {"1 " S80 " ", 0, IMSMS_ERR_SDES_SYNTAX},
    {" " P, 0, IMSMS_ERR_SDES_SYNTAX},
    {P "  ", 0, IMSMS_ERR_SDES_SYNTAX},
    {P " \t", 0, IMSMS_ERR_SDES_SYNTAX},
    {P "\r\n", 0, IMSMS_ERR_SDES_SYNTAX},
    {P "\n", 0, IMSMS_ERR_SDES_SYNTAX},
    {P "\r", 0, IMSMS_ERR_SDES_SYNTAX},
    {P "|2^20\r\n", 0, IMSMS_ERR_SDES_SYNTAX},
    {"1 " S80 "\0inline:" K30, sizeof("1 " S80 "\0inline:" K30) - 1,
     IMSMS_ERR_SDES_SYNTAX},
    {P "\0", sizeof(P "\0") - 1, IMSMS_ERR_SDES_SYNTAX},
    {P " KDR=1\x7f", 0, IMSMS_ERR_SDES_SYNTAX},
    {P " -caf\xc3\xa9", 0, IMSMS_ERR_SDES_SYNTAX},
    {"a=crypto:" P, 0, IMSMS_ERR_SDES_TAG},
    /* Tag: 1*9DIGIT, no leading zero. */
    {"01 " S80 " inline:" K30, 0, IMSMS_ERR_SDES_TAG},
    {"0 " S80 " inline:" K30, 0, IMSMS_ERR_SDES_TAG},
    {"1234567890 " S80 " inline:" K30, 0, IMSMS_ERR_SDES_TAG},
    {"1a " S80 " inline:" K30, 0, IMSMS_ERR_SDES_TAG},
    {"-1 " S80 " inline:" K30, 0, IMSMS_ERR_SDES_TAG},
    /* Suite: by exact name. */
    {"1 AES_CM_128_HMAC_SHA1_81 inline:" K30, 0, IMSMS_ERR_UNSUPPORTED_ALG},
    {"1 aes_cm_128_hmac_sha1_80 inline:" K30, 0, IMSMS_ERR_UNSUPPORTED_ALG},
    {"1 F8_128_HMAC_SHA1_80 inline:" K30, 0, IMSMS_ERR_UNSUPPORTED_ALG},
    {"1 inline:" K30, 0, IMSMS_ERR_UNSUPPORTED_ALG},
    /* Key method. */
    {"1 " S80 " " K30, 0, IMSMS_ERR_SDES_SYNTAX},
    {"1 " S80 " INLINE:" K30, 0, IMSMS_ERR_SDES_SYNTAX},
    {"1 " S80 " inline" K30, 0, IMSMS_ERR_SDES_SYNTAX},
    {"1 " S80 " url:" K30, 0, IMSMS_ERR_SDES_SYNTAX},
    {P ";", 0, IMSMS_ERR_SDES_SYNTAX},
    {P "|1:4;;inline:" K30B "|2:4", 0, IMSMS_ERR_SDES_SYNTAX},
    /* Key length, checked before decoding. */
    {"1 " S80 " inline:", 0, IMSMS_ERR_SDES_KEY_LENGTH},
    {"1 " S80 " inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVB", 0,
     IMSMS_ERR_SDES_KEY_LENGTH},
    {P "R", 0, IMSMS_ERR_SDES_KEY_LENGTH},
    {P "====", 0, IMSMS_ERR_SDES_KEY_LENGTH},
    /* Trap: an over-long key hit an assert in a decoder. */
    {"1 " S80 " inline:" K46, 0, IMSMS_ERR_SDES_KEY_LENGTH},
    {"1 AES_256_CM_HMAC_SHA1_80 inline:" K30, 0, IMSMS_ERR_SDES_KEY_LENGTH},
    {"1 AES_256_CM_HMAC_SHA1_80 inline:"
     "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLg",
     0, IMSMS_ERR_SDES_KEY_LENGTH},
    /* Trap: "|2^31" glued to the key. */
    {P "2^31", 0, IMSMS_ERR_SDES_KEY_LENGTH},
    /* 40 characters, but 30 bytes where GCM-128 needs 28. */
    {"1 AEAD_AES_128_GCM inline:" K30, 0, IMSMS_ERR_SDES_KEY_LENGTH},
    /* 64 characters, but "Lg8=" decodes to 47 bytes. */
    {"1 AES_256_CM_HMAC_SHA1_80 inline:"
     "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLg8=",
     0, IMSMS_ERR_SDES_KEY_LENGTH},
    /* Base64 itself: strict. */
    {"1 " S80 " inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVB!", 0,
     IMSMS_ERR_BASE64},
    {"1 " S80 " inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVB-", 0,
     IMSMS_ERR_BASE64},
    {"1 " S80 " inline:PS1uQCVeeCFCanVmcjkp=ywjNWhcYD0mXXtxaVBR", 0,
     IMSMS_ERR_BASE64},
    {"1 " S80 " inline:PS1uQCVeeCFCanVmcjkp:ywjNWhcYD0mXXtxaVBR", 0,
     IMSMS_ERR_BASE64},
    {"1 AES_256_CM_HMAC_SHA1_80 inline:"
     "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLh==",
     0, IMSMS_ERR_BASE64},
    {"1 AES_256_CM_HMAC_SHA1_80 inline:"
     "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtL===",
     0, IMSMS_ERR_BASE64},
    /* Lifetime. */
    {P "|2^49", 0, IMSMS_ERR_SDES_LIFETIME},
    {P "|2^0", 0, IMSMS_ERR_SDES_LIFETIME},
    {P "|2^", 0, IMSMS_ERR_SDES_LIFETIME},
    {P "|2^020", 0, IMSMS_ERR_SDES_LIFETIME},
    {P "|0", 0, IMSMS_ERR_SDES_LIFETIME},
    {P "|020", 0, IMSMS_ERR_SDES_LIFETIME},
    {P "|", 0, IMSMS_ERR_SDES_LIFETIME},
    {P "||1:4", 0, IMSMS_ERR_SDES_LIFETIME},
    {P "|3^20", 0, IMSMS_ERR_SDES_LIFETIME},
    {P "|-1", 0, IMSMS_ERR_SDES_LIFETIME},
    {P "|281474976710657", 0, IMSMS_ERR_SDES_LIFETIME},
    {P "|18446744073709551616", 0, IMSMS_ERR_SDES_LIFETIME},
    {P "|99999999999999999999999999", 0, IMSMS_ERR_SDES_LIFETIME},
    /* Trap: a session parameter glued to the lifetime. */
    {P "|2^20UNENCRYPTED_SRTCP", 0, IMSMS_ERR_SDES_LIFETIME},
    {P "|2^20;UNENCRYPTED_SRTCP", 0, IMSMS_ERR_SDES_SYNTAX},
    /* Field order: the MKI is last. */
    {P "|1:4|2^20", 0, IMSMS_ERR_SDES_SYNTAX},
    {P "|2^20|1:4|", 0, IMSMS_ERR_SDES_SYNTAX},
    {P "|2^20|1:4|2^20", 0, IMSMS_ERR_SDES_SYNTAX},
    /* MKI. */
    {P "|1:0", 0, IMSMS_ERR_SDES_MKI},
    {P "|1:129", 0, IMSMS_ERR_SDES_MKI},
    {P "|1:0128", 0, IMSMS_ERR_SDES_MKI},
    {P "|1:", 0, IMSMS_ERR_SDES_MKI},
    {P "|:4", 0, IMSMS_ERR_SDES_MKI},
    {P "|01:4", 0, IMSMS_ERR_SDES_MKI},
    {P "|1:4:4", 0, IMSMS_ERR_SDES_MKI},
    {P "|256:1", 0, IMSMS_ERR_SDES_MKI},
    {P "|65536:2", 0, IMSMS_ERR_SDES_MKI},
    {P "|4294967296:4", 0, IMSMS_ERR_SDES_MKI},
    {P "|18446744073709551616:8", 0, IMSMS_ERR_SDES_MKI},
    {P "|18446744073709551616:128", 0, IMSMS_ERR_SDES_MKI},
    {P "|2^20|5", 0, IMSMS_ERR_SDES_MKI},
    {P "|2^20|1:32UNENCRYPTED_SRTCP", 0, IMSMS_ERR_SDES_MKI},
    {P "|1:4;inline:" K30B "|2:2", 0, IMSMS_ERR_SDES_MKI},
    {P "|1:4;inline:" K30B, 0, IMSMS_ERR_SDES_MKI},
    {P "|2^20|1:4;inline:" K30B "|2^20", 0, IMSMS_ERR_SDES_MKI},
    {P ";inline:" K30B "|2:4", 0, IMSMS_ERR_SDES_MKI},
    {P "|1:4;inline:" K30B "|1:4", 0, IMSMS_ERR_SDES_MKI},
    /* Session parameters. */
    {P " KDR=25", 0, IMSMS_ERR_SDES_PARAM},
    {P " KDR=05", 0, IMSMS_ERR_SDES_PARAM},
    {P " KDR=", 0, IMSMS_ERR_SDES_PARAM},
    {P " KDR=-1", 0, IMSMS_ERR_SDES_PARAM},
    {P " KDR", 0, IMSMS_ERR_SDES_PARAM},
    {P " KDR=1 KDR=1", 0, IMSMS_ERR_SDES_PARAM},
    {P " WSH=63", 0, IMSMS_ERR_SDES_PARAM},
    {P " WSH=064", 0, IMSMS_ERR_SDES_PARAM},
    {P " WSH=4294967296", 0, IMSMS_ERR_SDES_PARAM},
    {P " WSH=64;KDR=1", 0, IMSMS_ERR_SDES_PARAM},
    {P " UNENCRYPTED_SRTP UNENCRYPTED_SRTP", 0, IMSMS_ERR_SDES_PARAM},
    {P " UNENCRYPTED_SRTCP KDR=2 UNENCRYPTED_SRTCP", 0, IMSMS_ERR_SDES_PARAM},
    {P " UNENCRYPTED_SRTP=1", 0, IMSMS_ERR_SDES_PARAM},
    {P " unencrypted_srtp", 0, IMSMS_ERR_SDES_PARAM},
    {P " FEC_ORDER=FEC", 0, IMSMS_ERR_SDES_PARAM},
    {P " FEC_ORDER=FEC_SRTP FEC_ORDER=SRTP_FEC", 0, IMSMS_ERR_SDES_PARAM},
    {P " FOO", 0, IMSMS_ERR_SDES_PARAM},
    {P " -", 0, IMSMS_ERR_SDES_PARAM},
    {P " FEC_KEY=inline:" K30B " FEC_KEY=inline:" K30C, 0,
     IMSMS_ERR_SDES_PARAM},
    {P " FEC_KEY=", 0, IMSMS_ERR_SDES_SYNTAX},
    {P " FEC_KEY=" K30B, 0, IMSMS_ERR_SDES_SYNTAX},
    {P " FEC_KEY=inline:" K46, 0, IMSMS_ERR_SDES_KEY_LENGTH},
    {P " FEC_KEY=inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVB!", 0,
     IMSMS_ERR_BASE64},
    {P " FEC_KEY=inline:" K30B "|2^49", 0, IMSMS_ERR_SDES_LIFETIME},
    {P " FEC_KEY=inline:" K30B "|1:4;inline:" K30C, 0, IMSMS_ERR_SDES_MKI},
    /* Nine keys (the 9th is refused before it is looked at). */
    {P "|1:1;inline:" K30 "|2:1;inline:" K30 "|3:1;inline:" K30
       "|4:1;inline:" K30 "|5:1;inline:" K30 "|6:1;inline:" K30
       "|7:1;inline:" K30 "|8:1;inline:" K30 "|9:1",
     0, IMSMS_ERR_TOO_LARGE},
    {P "|1:1;inline:" K30 "|2:1;inline:" K30 "|3:1;inline:" K30
       "|4:1;inline:" K30 "|5:1;inline:" K30 "|6:1;inline:" K30
       "|7:1;inline:" K30 "|8:1;x",
     0, IMSMS_ERR_TOO_LARGE},
};

START_TEST(test_bad_lines) {
  const bad_line *b = &bad_lines[_i];
  size_t len = b->len ? b->len : strlen(b->line);
  imsms_sdes_crypto c;
  int rv;

  memset(&c, 0x5a, sizeof(c));
  rv = parse_exact(&c, b->line, len);
  ck_assert_msg(rv == b->err, "row %d: got %d (%s), want %d (%s)", _i, rv,
                imsms_strerror(rv), b->err, imsms_strerror(b->err));
  ck_assert_msg(imsms_test_all_zero(&c, sizeof(c)), "row %d: not wiped", _i);
}
END_TEST

/* 4096 bytes is the limit: a valid line of exactly that length passes. */
START_TEST(test_line_length_limit) {
  size_t plen = strlen(P " -");
  char *line = malloc(4097);
  imsms_sdes_crypto c;

  ck_assert_ptr_nonnull(line);
  memcpy(line, P " -", plen);
  memset(line + plen, 'x', 4097 - plen);
  ck_assert_int_eq(parse_exact(&c, line, 4096), 0);
  memset(&c, 0x5a, sizeof(c));
  ck_assert_int_eq(parse_exact(&c, line, 4097), IMSMS_ERR_TOO_LARGE);
  ck_assert(imsms_test_all_zero(&c, sizeof(c)));
  /* An over-long key in an over-long line: the length limit first. */
  memcpy(line, P, strlen(P));
  memset(line + strlen(P), 'A', 4097 - strlen(P));
  ck_assert_int_eq(parse_exact(&c, line, 4097), IMSMS_ERR_TOO_LARGE);
  ck_assert_int_eq(parse_exact(&c, line, 4096), IMSMS_ERR_SDES_KEY_LENGTH);
  free(line);
}
END_TEST

START_TEST(test_parse_arguments) {
  imsms_sdes_crypto c;

  ck_assert_int_eq(imsms_sdes_parse(NULL, P, strlen(P)),
                   IMSMS_ERR_INVALID_ARGUMENT);
  memset(&c, 0x5a, sizeof(c));
  ck_assert_int_eq(imsms_sdes_parse(&c, NULL, 0), IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert(imsms_test_all_zero(&c, sizeof(c)));
  ck_assert_int_eq(imsms_sdes_parse(&c, NULL, 5), IMSMS_ERR_INVALID_ARGUMENT);
  /* Only |linelen| bytes count: a longer buffer is not looked past. */
  ck_assert_int_eq(imsms_sdes_parse(&c, P "|2^20", strlen(P)), 0);
  ck_assert_uint_eq(c.keys[0].lifetime, 0);
}
END_TEST

/* The FEC_KEY view points into the line and holds the text as sent. */
START_TEST(test_fec_key_view) {
  static const char line[] =
      P " FEC_KEY=inline:" K30B "|2^20|1:4;inline:" K30C "|2^20|2:4 WSH=100";
  imsms_sdes_crypto c;
  const char *want = strstr(line, "FEC_KEY=") + 8;

  ck_assert_int_eq(imsms_sdes_parse(&c, line, strlen(line)), 0);
  ck_assert_ptr_eq(c.fec_key, want);
  ck_assert_uint_eq(c.fec_key_len, strlen(want) - strlen(" WSH=100"));
  ck_assert_uint_eq(c.wsh, 100);
  ck_assert_uint_eq(c.nkeys, 1);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Robustness: prefixes and mutations                                 */

static const char *const valid_lines[] = {
    P "|2^20|1:32",
    "12 AES_256_CM_HMAC_SHA1_32 inline:" K46 "|2^31|1:4;inline:" K46
    "|2^31|2:4 KDR=3 UNENCRYPTED_SRTCP FEC_ORDER=SRTP_FEC FEC_KEY=inline:" K46
    "|1024 WSH=256 -ext",
    "7 AEAD_AES_128_GCM inline:" K28 "|1048576|300:2\t",
};

/* Errors a broken line may give; anything else is a bug. */
static int parse_error(int rv) {
  switch (rv) {
  case IMSMS_ERR_SDES_SYNTAX:
  case IMSMS_ERR_SDES_TAG:
  case IMSMS_ERR_UNSUPPORTED_ALG:
  case IMSMS_ERR_SDES_KEY_LENGTH:
  case IMSMS_ERR_BASE64:
  case IMSMS_ERR_SDES_LIFETIME:
  case IMSMS_ERR_SDES_MKI:
  case IMSMS_ERR_SDES_PARAM:
  case IMSMS_ERR_TOO_LARGE:
    return 1;
  default:
    return 0;
  }
}

/* A parsed line formats to text that parses to the same content. */
static void check_outcome(imsms_sdes_crypto *c, int rv) {
  char text[4096];

  if (rv == 0) {
    (void)expect_round_trip(c, text, sizeof(text));
  } else {
    ck_assert_msg(parse_error(rv), "unexpected error %d", rv);
    ck_assert(imsms_test_all_zero(c, sizeof(*c)));
  }
}

START_TEST(test_truncated_prefixes) {
  const char *line = valid_lines[_i];
  size_t len = strlen(line), n, ok = 0;
  imsms_sdes_crypto c;
  int rv;

  for (n = 0; n <= len; n++) {
    memset(&c, 0x5a, sizeof(c));
    rv = parse_exact(&c, line, n);
    ok += rv == 0;
    check_outcome(&c, rv);
  }
  ck_assert_int_eq(parse_exact(&c, line, len), 0);
  ck_assert_uint_ge(ok, 1);
}
END_TEST

/* Every byte replaced by each character that means something here. */
START_TEST(test_mutations) {
  static const char subst[] = {'0', '1', '9', 'A',  '=',  '|',  ':', ';',
                               '^', '-', ' ', '\t', '\r', '\0', 'x', '/'};
  const char *line = valid_lines[_i];
  size_t len = strlen(line), pos, j;
  char *buf = malloc(len);
  imsms_sdes_crypto c;

  ck_assert_ptr_nonnull(buf);
  for (pos = 0; pos < len; pos++) {
    for (j = 0; j < sizeof(subst); j++) {
      memcpy(buf, line, len);
      buf[pos] = subst[j];
      memset(&c, 0x5a, sizeof(c));
      check_outcome(&c, parse_exact(&c, buf, len));
    }
  }
  free(buf);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Generate, format, round trip, master, KDF                          */

START_TEST(test_generate_round_trip) {
  int suite = _i + 1;
  const imsms_srtp_suite_info *si = imsms_srtp_suite_get(suite);
  imsms_sdes_crypto c, d;
  imsms_srtp_session_keys sk;
  imsms_cs_master m;
  char text[1024], fec[128];
  size_t n;
  imsms_ssize fl;

  ck_assert_ptr_nonnull(si);
  ck_assert_int_eq(imsms_sdes_generate(ctx, &c, (uint32_t)(suite * 7), suite),
                   0);
  ck_assert_uint_eq(c.nkeys, 1);
  ck_assert_uint_eq(c.keys[0].key_len, si->master_key_len);
  ck_assert_uint_eq(c.keys[0].salt_len, si->master_salt_len);
  ck_assert_uint_eq(c.keys[0].lifetime, 0);
  ck_assert_uint_eq(c.keys[0].mki_len, 0);
  n = expect_round_trip(&c, text, sizeof(text));
  /* "<tag> <suite> inline:<key||salt>" and nothing else. */
  ck_assert_uint_eq(
      n, (size_t)snprintf(NULL, 0, "%d ", suite * 7) + strlen(si->name) +
             strlen(" inline:") +
             imsms_base64_encode_len(si->master_key_len + si->master_salt_len));
  ck_assert_int_eq(imsms_sdes_master(&c, 0, &m), 0);
  ck_assert_int_eq(imsms_srtp_kdf(ctx, suite, &m, NULL, &sk), 0);

  /* A second key, every optional field, and a FEC key. */
  ck_assert_int_eq(imsms_sdes_generate(ctx, &d, 1, suite), 0);
  c.keys[1] = d.keys[0];
  c.nkeys = 2;
  c.keys[0].lifetime = 31;
  c.keys[0].lifetime_is_pow2 = 1;
  c.keys[0].mki = 1;
  c.keys[0].mki_len = 4;
  c.keys[1].lifetime = 1000000;
  c.keys[1].mki = 0xfffffffe;
  c.keys[1].mki_len = 4;
  c.has_kdr = 1;
  c.kdr_log2 = 24;
  c.flags = IMSMS_SDES_UNENCRYPTED_SRTCP | IMSMS_SDES_UNAUTHENTICATED_SRTP;
  c.fec_order = 2;
  c.wsh = 1024;
  d.keys[0].lifetime = 48;
  d.keys[0].lifetime_is_pow2 = 1;
  fl = imsms_sdes_format(fec, sizeof(fec), &d);
  ck_assert_int_gt(fl, 0);
  /* "1 <suite> inline:..." -> "inline:..." */
  c.fec_key = strstr(fec, "inline:");
  c.fec_key_len = (size_t)fl - (size_t)(c.fec_key - fec);
  (void)expect_round_trip(&c, text, sizeof(text));
  ck_assert_int_eq(imsms_sdes_master(&c, 1, &m), 0);
  ck_assert_mem_eq(m.key, d.keys[0].key, si->master_key_len);
  ck_assert_uint_eq(m.mki_len, 4);
  ck_assert_mem_eq(m.mki, "\xff\xff\xff\xfe", 4);
  ck_assert_int_eq(imsms_srtp_kdf(ctx, suite, &m, NULL, &sk), 0);
  imsms_secure_clear(&c, sizeof(c));
  imsms_secure_clear(&d, sizeof(d));
  imsms_secure_clear(&m, sizeof(m));
  imsms_secure_clear(&sk, sizeof(sk));
  imsms_secure_clear(text, sizeof(text));
  imsms_secure_clear(fec, sizeof(fec));
}
END_TEST

START_TEST(test_format_canonical) {
  static const char *const lines[] = {
      P "|2^20|1:32",
      P "|1066:4",
      P "|1:4;inline:" K30B "|2:4 KDR=0 UNENCRYPTED_SRTP UNENCRYPTED_SRTCP "
        "UNAUTHENTICATED_SRTP FEC_ORDER=FEC_SRTP FEC_KEY=inline:" K30C
        " WSH=64",
  };
  imsms_sdes_crypto c;
  char text[512];
  size_t i;
  imsms_ssize n;

  /* Canonical lines come back byte for byte. */
  for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
    ck_assert_int_eq(parse_str(&c, lines[i]), 0);
    n = imsms_sdes_format(text, sizeof(text), &c);
    ck_assert_int_eq(n, (imsms_ssize)strlen(lines[i]));
    ck_assert_mem_eq(text, lines[i], (size_t)n);
  }
  /* Others are normalised: blanks, parameter order, '-' extensions. */
  ck_assert_int_eq(parse_str(&c, "3\t" S80 "  inline:" K30
                                 " WSH=70 -x KDR=2 UNENCRYPTED_SRTP "),
                   0);
  n = imsms_sdes_format(text, sizeof(text), &c);
  ck_assert_int_gt(n, 0);
  ck_assert_int_eq(n, (imsms_ssize)strlen("3 " S80 " inline:" K30
                                          " KDR=2 UNENCRYPTED_SRTP WSH=70"));
  ck_assert_mem_eq(text,
                   "3 " S80 " inline:" K30 " KDR=2 UNENCRYPTED_SRTP WSH=70",
                   (size_t)n);
  imsms_secure_clear(&c, sizeof(c));
}
END_TEST

START_TEST(test_format_nobuf) {
  imsms_sdes_crypto c;
  char text[128];
  size_t len = strlen(P "|2^20|1:32"), cap;

  ck_assert_int_eq(parse_str(&c, P "|2^20|1:32"), 0);
  for (cap = 0; cap < len; cap++) {
    memset(text, 'Z', sizeof(text) - 1);
    text[sizeof(text) - 1] = '\0';
    ck_assert_int_eq(imsms_sdes_format(text, cap, &c), IMSMS_ERR_NOBUF);
    /* Nothing written, so no partial key text left behind. */
    ck_assert_uint_eq(strspn(text, "Z"), sizeof(text) - 1);
  }
  memset(text, 'Z', sizeof(text));
  ck_assert_int_eq(imsms_sdes_format(text, len, &c), (imsms_ssize)len);
  ck_assert_int_eq(text[len], 'Z');
  ck_assert_int_eq(imsms_sdes_format(NULL, 0, &c), IMSMS_ERR_NOBUF);
  ck_assert_int_eq(imsms_sdes_format(NULL, 10, &c), IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdes_format(text, sizeof(text), NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  imsms_secure_clear(&c, sizeof(c));
}
END_TEST

/* format refuses what parse would refuse, with the same error. */
START_TEST(test_format_refusals) {
  imsms_sdes_crypto good, c;
  char text[512];

  ck_assert_int_eq(parse_str(&good, P "|2^20|1:4;inline:" K30B "|2^20|2:4"), 0);
#define EXPECT(mutation, err)                                                  \
  do {                                                                         \
    c = good;                                                                  \
    mutation;                                                                  \
    ck_assert_int_eq(imsms_sdes_format(text, sizeof(text), &c), err);          \
  } while (0)
  EXPECT(c.tag = 0, IMSMS_ERR_SDES_TAG);
  EXPECT(c.tag = 1000000000u, IMSMS_ERR_SDES_TAG);
  EXPECT(c.suite = 99, IMSMS_ERR_UNSUPPORTED_ALG);
  EXPECT(c.suite = IMSMS_SRTP_AES_256_CM_HMAC_SHA1_80,
         IMSMS_ERR_SDES_KEY_LENGTH);
  EXPECT(c.nkeys = 0, IMSMS_ERR_SDES_SYNTAX);
  EXPECT(c.nkeys = 9, IMSMS_ERR_TOO_LARGE);
  EXPECT(c.keys[1].salt_len = 12, IMSMS_ERR_SDES_KEY_LENGTH);
  EXPECT(c.keys[0].lifetime = 0, IMSMS_ERR_SDES_LIFETIME);
  EXPECT(c.keys[0].lifetime = 49, IMSMS_ERR_SDES_LIFETIME);
  EXPECT((c.keys[0].lifetime_is_pow2 = 0,
          c.keys[0].lifetime = ((uint64_t)1 << 48) + 1),
         IMSMS_ERR_SDES_LIFETIME);
  EXPECT(c.keys[0].mki_len = 129, IMSMS_ERR_SDES_MKI);
  EXPECT((c.keys[0].mki = 256, c.keys[0].mki_len = 1), IMSMS_ERR_SDES_MKI);
  EXPECT(c.keys[1].mki_len = 0, IMSMS_ERR_SDES_MKI);
  EXPECT(c.keys[1].mki_len = 2, IMSMS_ERR_SDES_MKI);
  EXPECT(c.keys[1].mki = 1, IMSMS_ERR_SDES_MKI);
  EXPECT((c.nkeys = 1, c.keys[0].mki_len = 0), IMSMS_ERR_SDES_MKI);
  EXPECT((c.has_kdr = 1, c.kdr_log2 = 25), IMSMS_ERR_SDES_PARAM);
  EXPECT(c.flags = 0x08, IMSMS_ERR_SDES_PARAM);
  EXPECT(c.fec_order = 3, IMSMS_ERR_SDES_PARAM);
  EXPECT(c.fec_order = -1, IMSMS_ERR_SDES_PARAM);
  EXPECT(c.wsh = 63, IMSMS_ERR_SDES_PARAM);
  EXPECT(c.fec_key_len = 4, IMSMS_ERR_INVALID_ARGUMENT);
  EXPECT((c.fec_key = "inline:" K30B " WSH=64", c.fec_key_len = 54),
         IMSMS_ERR_SDES_SYNTAX);
  EXPECT((c.fec_key = "inline:" K30B "|2^49", c.fec_key_len = 52),
         IMSMS_ERR_SDES_LIFETIME);
  EXPECT((c.fec_key = "inline:" K46, c.fec_key_len = 71),
         IMSMS_ERR_SDES_KEY_LENGTH);
#undef EXPECT
  /* A single key without MKI is fine, as are the limits. */
  c = good;
  c.nkeys = 1;
  c.keys[0].mki = 0;
  c.keys[0].mki_len = 0;
  c.keys[0].lifetime = 48;
  c.has_kdr = 1;
  c.kdr_log2 = 24;
  c.wsh = 64;
  (void)expect_round_trip(&c, text, sizeof(text));
  imsms_secure_clear(&good, sizeof(good));
  imsms_secure_clear(&c, sizeof(c));
}
END_TEST

/* A random generator that fails after |rng_budget| calls (-1: never). */
static long rng_budget = -1;
static imsms_crypto_provider failing_rng;

static int failing_random(void *state, uint8_t *out, size_t len) {
  if (rng_budget == 0) {
    return IMSMS_ERR_RNG;
  }
  if (rng_budget > 0) {
    rng_budget--;
  }
  return imsms_crypto_default()->random(state, out, len);
}

START_TEST(test_generate_errors) {
  imsms_sdes_crypto c, d;
  imsms_ctx *bad = NULL;
  int i;

  memset(&c, 0x5a, sizeof(c));
  ck_assert_int_eq(imsms_sdes_generate(NULL, &c, 1, 1),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert(imsms_test_all_zero(&c, sizeof(c)));
  ck_assert_int_eq(imsms_sdes_generate(ctx, NULL, 1, 1),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdes_generate(ctx, &c, 0, 1),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdes_generate(ctx, &c, 1000000000u, 1),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdes_generate(ctx, &c, 999999999u, 1), 0);
  ck_assert_int_eq(imsms_sdes_generate(ctx, &c, 1, 0),
                   IMSMS_ERR_UNSUPPORTED_ALG);
  ck_assert(imsms_test_all_zero(&c, sizeof(c)));
  ck_assert_int_eq(imsms_sdes_generate(ctx, &c, 1, 12),
                   IMSMS_ERR_UNSUPPORTED_ALG);
  /* Fresh keys each time. */
  ck_assert_int_eq(imsms_sdes_generate(ctx, &c, 1, 1), 0);
  ck_assert_int_eq(imsms_sdes_generate(ctx, &d, 1, 1), 0);
  ck_assert(memcmp(c.keys[0].key, d.keys[0].key, 16) != 0);
  ck_assert(memcmp(c.keys[0].salt, d.keys[0].salt, 14) != 0);
  /* The generator failing on the key, then on the salt: all wiped. */
  failing_rng = *imsms_crypto_default();
  failing_rng.random = failing_random;
  rng_budget = -1;
  ck_assert_int_eq(imsms_ctx_new(&bad, NULL, &failing_rng, NULL, NULL), 0);
  for (i = 0; i < 2; i++) {
    rng_budget = i;
    memset(&c, 0x5a, sizeof(c));
    ck_assert_int_eq(imsms_sdes_generate(bad, &c, 1, 5), IMSMS_ERR_RNG);
    ck_assert(imsms_test_all_zero(&c, sizeof(c)));
  }
  rng_budget = -1;
  ck_assert_int_eq(imsms_sdes_generate(bad, &c, 1, 5), 0);
  imsms_ctx_del(bad);
  imsms_secure_clear(&c, sizeof(c));
  imsms_secure_clear(&d, sizeof(d));
}
END_TEST

START_TEST(test_master_mki) {
  static const struct {
    const char *tail;
    size_t len;
    const char *mki;
  } t[] = {
      {"|2^20|1:32", 32,
       "0000000000000000000000000000000000000000000000000000000000000001"},
      {"|258:2", 2, "0102"},
      {"|1:1", 1, "01"},
      {"|4294967295:4", 4, "ffffffff"},
      {"|18446744073709551615:10", 10, "0000ffffffffffffffff"},
      {"|2^20", 0, ""},
  };
  imsms_sdes_crypto c;
  imsms_cs_master m;
  char line[128];
  size_t i;

  for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
    strcpy(line, P);
    strcat(line, t[i].tail);
    ck_assert_int_eq(parse_str(&c, line), 0);
    memset(&m, 0x5a, sizeof(m));
    ck_assert_int_eq(imsms_sdes_master(&c, 0, &m), 0);
    expect_hex(K30_KEY, m.key, 16);
    ck_assert_uint_eq(m.key_len, 16);
    expect_hex(K30_SALT, m.salt, 14);
    ck_assert_uint_eq(m.salt_len, 14);
    ck_assert_uint_eq(m.mki_len, t[i].len);
    expect_hex(t[i].mki, m.mki, t[i].len);
    ck_assert(imsms_test_all_zero(m.mki + t[i].len, sizeof(m.mki) - t[i].len));
  }
  /* Bad index or arguments: |out| comes back zeroed. */
  memset(&m, 0x5a, sizeof(m));
  ck_assert_int_eq(imsms_sdes_master(&c, 1, &m), IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert(imsms_test_all_zero(&m, sizeof(m)));
  ck_assert_int_eq(imsms_sdes_master(NULL, 0, &m), IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdes_master(&c, 0, NULL), IMSMS_ERR_INVALID_ARGUMENT);
  c.keys[0].mki_len = 1;
  c.keys[0].mki = 256;
  ck_assert_int_eq(imsms_sdes_master(&c, 0, &m), IMSMS_ERR_INVALID_ARGUMENT);
  c.keys[0].mki_len = 0;
  c.keys[0].key_len = 33;
  ck_assert_int_eq(imsms_sdes_master(&c, 0, &m), IMSMS_ERR_INVALID_ARGUMENT);
  c.nkeys = 9;
  ck_assert_int_eq(imsms_sdes_master(&c, 8, &m), IMSMS_ERR_INVALID_ARGUMENT);
  imsms_secure_clear(&c, sizeof(c));
}
END_TEST

/*
 * The SRTP KDF known answers (RFC 3711 B.3, RFC 6188 7.2 and 7.4) reached
 * through an a=crypto line: base64 the master key and salt, parse, hand
 * over, derive.
 */
START_TEST(test_kdf_through_sdes) {
  const imsms_kat_srtp_kdf *v = &imsms_kat_srtp_kdf_vectors[_i];
  const imsms_srtp_suite_info *si = imsms_srtp_suite_get(v->suite);
  uint8_t ks[46], want[32];
  imsms_srtp_session_keys sk;
  imsms_sdes_crypto c;
  imsms_cs_master m;
  char line[160];
  size_t kl, sl, pl;
  imsms_ssize n;

  if (v->kdr != 0 || v->label_byte != IMSMS_SRTCP_LABEL_LIBSRTP) {
    return;
  }
  kl = imsms_kat_unhex(ks, sizeof(ks), v->key);
  sl = imsms_kat_unhex(ks + kl, sizeof(ks) - kl, v->salt);
  pl = (size_t)snprintf(line, sizeof(line), "5 %s inline:", si->name);
  n = imsms_base64_encode(line + pl, sizeof(line) - pl, ks, kl + sl);
  ck_assert_int_gt(n, 0);
  ck_assert_int_eq(imsms_sdes_parse(&c, line, pl + (size_t)n), 0);
  ck_assert_int_eq(imsms_sdes_master(&c, 0, &m), 0);
  ck_assert_int_eq(imsms_srtp_kdf(ctx, c.suite, &m, NULL, &sk), 0);
  ck_assert_uint_eq(imsms_kat_unhex(want, sizeof(want), v->ke), kl);
  ck_assert_mem_eq(sk.srtp_cipher_key, want, kl);
  ck_assert_uint_eq(imsms_kat_unhex(want, sizeof(want), v->ks), 14);
  ck_assert_mem_eq(sk.srtp_salt, want, 14);
  imsms_secure_clear(&c, sizeof(c));
  imsms_secure_clear(&m, sizeof(m));
  imsms_secure_clear(&sk, sizeof(sk));
  imsms_secure_clear(ks, sizeof(ks));
}
END_TEST

static Suite *sdes_suite(void) {
  Suite *s = suite_create("sdes");
  TCase *tc = tcase_create("sdes");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_rfc_example);
  tcase_add_test(tc, test_rfc_examples_single);
  tcase_add_test(tc, test_rfc_multi_key);
  tcase_add_loop_test(tc, test_good_lines, 0, (int)IMSMS_KAT_COUNT(good_lines));
  tcase_add_test(tc, test_suite_lengths);
  tcase_add_loop_test(tc, test_bad_lines, 0, (int)IMSMS_KAT_COUNT(bad_lines));
  tcase_add_test(tc, test_line_length_limit);
  tcase_add_test(tc, test_parse_arguments);
  tcase_add_test(tc, test_fec_key_view);
  tcase_add_loop_test(tc, test_truncated_prefixes, 0,
                      (int)IMSMS_KAT_COUNT(valid_lines));
  tcase_add_loop_test(tc, test_mutations, 0, (int)IMSMS_KAT_COUNT(valid_lines));
  tcase_add_loop_test(tc, test_generate_round_trip, 0, IMSMS_SRTP_NULL_NULL);
  tcase_add_test(tc, test_format_canonical);
  tcase_add_test(tc, test_format_nobuf);
  tcase_add_test(tc, test_format_refusals);
  tcase_add_test(tc, test_generate_errors);
  tcase_add_test(tc, test_master_mki);
  tcase_add_loop_test(tc, test_kdf_through_sdes, 0,
                      (int)IMSMS_KAT_COUNT(imsms_kat_srtp_kdf_vectors));
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return imsms_test_run(sdes_suite(), "sdes");
}
