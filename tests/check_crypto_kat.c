/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Known-answer tests of the default provider, through its vtable:
 * HMAC-SHA-1 (RFC 2202), HMAC-SHA-256 (RFC 4231), SHA-256 (FIPS 180-2),
 * AES-128/256-CTR (SP 800-38A F.5.1, F.5.5), AES key wrap (RFC 3394 4.1-4.6).
 * Streaming interfaces are fed whole, byte by byte and in 7-byte chunks.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "kat/aes.h"
#include "kat/hmac.h"
#include "test_util.h"

static const imsms_crypto_provider *cp;
static imsms_ctx *ctx;
static void *st;

/* The provider state of the test context, for direct vtable calls. */
#include "core/ctx.h"

static void setup(void) {
  ctx = imsms_test_ctx();
  cp = imsms_ctx_get_provider(ctx);
  st = ctx->cstate;
}

static void teardown(void) { imsms_ctx_del(ctx); }

/* HMAC of |data| fed in pieces of |chunk| bytes (0: whole). */
static void hmac_chunked(imsms_crypto_hmac *h, const uint8_t *data,
                         size_t len, size_t chunk, uint8_t *out) {
  size_t off = 0;

  if (chunk == 0) {
    chunk = len ? len : 1;
  }
  while (off < len) {
    size_t n = len - off < chunk ? len - off : chunk;

    ck_assert_int_eq(cp->hmac_update(h, data + off, n), 0);
    off += n;
  }
  ck_assert_int_eq(cp->hmac_final(h, out), 0);
}

static void check_hmac_vectors(imsms_hash_alg alg, const imsms_kat_hmac *v,
                               size_t count, size_t dlen) {
  static const size_t chunks[] = {0, 1, 7};
  uint8_t key[256], data[256], mac[64], out[IMSMS_MAX_DIGEST_LEN];
  imsms_crypto_hmac *h = NULL;
  size_t i, c, klen, dl, mlen;

  /* One context for every vector: re-keying must forget the old key. */
  ck_assert_int_eq(cp->hmac_new(st, &h, alg), 0);
  for (i = 0; i < count; i++) {
    klen = imsms_kat_unhex(key, sizeof(key), v[i].key_hex);
    dl = imsms_kat_unhex(data, sizeof(data), v[i].data_hex);
    mlen = imsms_kat_unhex(mac, sizeof(mac), v[i].mac_hex);
    ck_assert_uint_le(mlen, dlen);
    ck_assert_int_eq(cp->hmac_setkey(h, key, klen), 0);
    /* The same keyed context serves every feeding pattern in turn. */
    for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
      memset(out, 0, sizeof(out));
      hmac_chunked(h, data, dl, chunks[c], out);
      ck_assert_msg(memcmp(out, mac, mlen) == 0, "%s, chunk %zu", v[i].name,
                    chunks[c]);
    }
  }
  cp->hmac_del(h);
}

START_TEST(test_hmac_sha1_rfc2202) {
  check_hmac_vectors(IMSMS_HASH_SHA1, imsms_kat_hmac_sha1,
                     IMSMS_KAT_COUNT(imsms_kat_hmac_sha1), IMSMS_SHA1_LEN);
}
END_TEST

START_TEST(test_hmac_sha256_rfc4231) {
  check_hmac_vectors(IMSMS_HASH_SHA256, imsms_kat_hmac_sha256,
                     IMSMS_KAT_COUNT(imsms_kat_hmac_sha256), IMSMS_SHA256_LEN);
}
END_TEST

/* The one-shot public helper, including RFC 4231 case 5's truncation. */
START_TEST(test_imsms_hmac_truncated) {
  uint8_t key[256], data[256], mac[64], out[32];
  size_t i, klen, dl, mlen;

  for (i = 0; i < IMSMS_KAT_COUNT(imsms_kat_hmac_sha256); i++) {
    const imsms_kat_hmac *v = &imsms_kat_hmac_sha256[i];

    klen = imsms_kat_unhex(key, sizeof(key), v->key_hex);
    dl = imsms_kat_unhex(data, sizeof(data), v->data_hex);
    mlen = imsms_kat_unhex(mac, sizeof(mac), v->mac_hex);
    ck_assert_int_eq(imsms_hmac(ctx, IMSMS_HASH_SHA256, key, klen, data, dl,
                                out, mlen),
                     0);
    ck_assert_msg(memcmp(out, mac, mlen) == 0, "%s", v->name);
  }
}
END_TEST

START_TEST(test_hmac_empty_message_and_key) {
  /* HMAC-SHA-256 with empty key and message (well-known value). */
  static const uint8_t expect[32] = {
      0xb6, 0x13, 0x67, 0x9a, 0x08, 0x14, 0xd9, 0xec, 0x77, 0x2f, 0x95,
      0xd7, 0x78, 0xc3, 0x5f, 0xc5, 0xff, 0x16, 0x97, 0xc4, 0x93, 0x71,
      0x56, 0x53, 0xc6, 0xc7, 0x12, 0x14, 0x42, 0x92, 0xc5, 0xad};
  uint8_t out[32];

  ck_assert_int_eq(
      imsms_hmac(ctx, IMSMS_HASH_SHA256, NULL, 0, NULL, 0, out, sizeof(out)),
      0);
  ck_assert_mem_eq(out, expect, sizeof(out));
}
END_TEST

/*
 * A keyed context re-keyed in every order the pool uses: a key, the
 * empty key (the pool's wipe, whose pads are made only on use), the key
 * again, and the empty key in the middle of a message (which drops it).
 * Each result against OpenSSL's one-shot HMAC().
 */
START_TEST(test_hmac_rekey_and_wipe) {
  static const uint8_t key[20] = {0x0b, 0x0b, 0x0b, 0x0b};
  static const uint8_t msg[] = "what do ya want for nothing?";
  const EVP_MD *mds[2] = {EVP_sha1(), EVP_sha256()};
  const imsms_hash_alg algs[2] = {IMSMS_HASH_SHA1, IMSMS_HASH_SHA256};
  uint8_t out[32], want_k[32], want_e[32], want_em[32];
  unsigned int n;
  int a;

  for (a = 0; a < 2; a++) {
    imsms_crypto_hmac *h = NULL;
    size_t len = a ? 32 : 20;

    ck_assert_ptr_nonnull(HMAC(mds[a], key, sizeof(key), msg, sizeof(msg),
                               want_k, &n));
    ck_assert_ptr_nonnull(HMAC(mds[a], "", 0, NULL, 0, want_e, &n));
    ck_assert_ptr_nonnull(HMAC(mds[a], "", 0, msg, sizeof(msg), want_em, &n));
    ck_assert_int_eq(cp->hmac_new(st, &h, algs[a]), 0);
    ck_assert_int_eq(cp->hmac_setkey(h, key, sizeof(key)), 0);
    ck_assert_int_eq(cp->hmac_update(h, msg, sizeof(msg)), 0);
    ck_assert_int_eq(cp->hmac_final(h, out), 0);
    ck_assert_mem_eq(out, want_k, len);
    /* Wiped, then used: the empty key's pads are made then. */
    ck_assert_int_eq(cp->hmac_setkey(h, key, 0), 0);
    ck_assert_int_eq(cp->hmac_final(h, out), 0);
    ck_assert_mem_eq(out, want_e, len);
    ck_assert_int_eq(cp->hmac_update(h, msg, sizeof(msg)), 0);
    ck_assert_int_eq(cp->hmac_final(h, out), 0);
    ck_assert_mem_eq(out, want_em, len);
    /* Wiped twice, then keyed before any use. */
    ck_assert_int_eq(cp->hmac_setkey(h, key, 0), 0);
    ck_assert_int_eq(cp->hmac_setkey(h, key, 0), 0);
    ck_assert_int_eq(cp->hmac_setkey(h, key, sizeof(key)), 0);
    ck_assert_int_eq(cp->hmac_update(h, msg, sizeof(msg)), 0);
    ck_assert_int_eq(cp->hmac_final(h, out), 0);
    ck_assert_mem_eq(out, want_k, len);
    /* Wiped in the middle of a message: what was fed is gone. */
    ck_assert_int_eq(cp->hmac_update(h, msg, 5), 0);
    ck_assert_int_eq(cp->hmac_setkey(h, key, 0), 0);
    ck_assert_int_eq(cp->hmac_final(h, out), 0);
    ck_assert_mem_eq(out, want_e, len);
    cp->hmac_del(h);
  }
}
END_TEST

/*
 * imsms_ct_memeq() over every length to 100 (whole 32- and 16-byte
 * blocks and every tail): equal buffers compare equal, and a difference
 * of one bit at any position, in any block or the tail, is found.
 */
START_TEST(test_ct_memeq) {
  uint8_t a[100], b[100];
  size_t len, i;
  int bit;

  for (i = 0; i < sizeof(a); i++) {
    a[i] = (uint8_t)(i * 37 + 11);
  }
  memset(b, 0x5a, sizeof(b));
  ck_assert_int_eq(imsms_ct_memeq(a, b, 0), 1);
  for (len = 1; len <= sizeof(a); len++) {
    /* Past |len| the buffers differ: those bytes must not count. */
    memset(b, 0x5a, sizeof(b));
    memcpy(b, a, len);
    ck_assert_int_eq(imsms_ct_memeq(a, b, len), 1);
    for (i = 0; i < len; i++) {
      for (bit = 0; bit < 8; bit += 7) {
        b[i] ^= (uint8_t)(1u << bit);
        ck_assert_msg(imsms_ct_memeq(a, b, len) == 0, "len %zu byte %zu",
                      len, i);
        b[i] ^= (uint8_t)(1u << bit);
      }
    }
  }
}
END_TEST

START_TEST(test_hmac_final_without_key_fails) {
  imsms_crypto_hmac *h = NULL;
  uint8_t out[32];

  ck_assert_int_eq(cp->hmac_new(st, &h, IMSMS_HASH_SHA256), 0);
  ck_assert_int_eq(cp->hmac_update(h, out, 1), IMSMS_ERR_CRYPTO);
  ck_assert_int_eq(cp->hmac_final(h, out), IMSMS_ERR_CRYPTO);
  cp->hmac_del(h);
  ck_assert_int_eq(cp->hmac_new(st, &h, (imsms_hash_alg)99),
                   IMSMS_ERR_UNSUPPORTED_ALG);
  cp->hmac_del(NULL);
}
END_TEST

START_TEST(test_sha256_fips180) {
  static const struct {
    const char *msg, *hex;
  } v[] = {
      {"abc",
       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
  };
  uint8_t out[32], expect[32];
  size_t i;

  for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
    imsms_kat_unhex(expect, sizeof(expect), v[i].hex);
    ck_assert_int_eq(
        cp->sha256(st, (const uint8_t *)v[i].msg, strlen(v[i].msg), out), 0);
    ck_assert_mem_eq(out, expect, 32);
  }
}
END_TEST

START_TEST(test_aes_ctr_sp800_38a) {
  uint8_t key[32], iv[16], pt[64], ct[64], out[64];
  imsms_crypto_aes *aes = NULL;
  size_t i, off, klen, len;

  ck_assert_int_eq(cp->aes_new(st, &aes), 0);
  for (i = 0; i < IMSMS_KAT_COUNT(imsms_kat_aes_ctr_vectors); i++) {
    const imsms_kat_aes_ctr *v = &imsms_kat_aes_ctr_vectors[i];

    klen = imsms_kat_unhex(key, sizeof(key), v->key_hex);
    ck_assert_uint_eq(imsms_kat_unhex(iv, sizeof(iv), v->iv_hex), 16);
    len = imsms_kat_unhex(pt, sizeof(pt), v->pt_hex);
    ck_assert_uint_eq(imsms_kat_unhex(ct, sizeof(ct), v->ct_hex), len);
    ck_assert_int_eq(cp->aes_setkey(aes, key, klen), 0);
    /* Whole, then again with the same key (the counter restarts at iv). */
    ck_assert_int_eq(cp->aes_ctr(aes, iv, pt, out, len), 0);
    ck_assert_msg(memcmp(out, ct, len) == 0, "%s", v->name);
    ck_assert_int_eq(cp->aes_ctr(aes, iv, pt, out, len), 0);
    ck_assert_mem_eq(out, ct, len);
    /* In place, decrypting: CTR is its own inverse. */
    ck_assert_int_eq(cp->aes_ctr(aes, iv, out, out, len), 0);
    ck_assert_mem_eq(out, pt, len);
    /* A prefix of every length gives the matching prefix of keystream. */
    for (off = 0; off <= len; off += 7) {
      memset(out, 0, sizeof(out));
      ck_assert_int_eq(cp->aes_ctr(aes, iv, pt, out, off), 0);
      ck_assert_mem_eq(out, ct, off);
    }
  }
  ck_assert_int_eq(cp->aes_setkey(aes, key, 15), IMSMS_ERR_KEY_LENGTH);
  ck_assert_int_eq(cp->aes_ctr(aes, iv, pt, out, 16), IMSMS_ERR_CRYPTO);
  cp->aes_del(aes);
  cp->aes_del(NULL);
}
END_TEST

/* The counter is one 128-bit big-endian integer: it carries across bytes. */
START_TEST(test_aes_ctr_counter_carry) {
  static const uint8_t key[16] = {1};
  uint8_t iv[16], next[16], zero[32] = {0}, two[32], one[16];
  imsms_crypto_aes *aes = NULL;

  memset(iv, 0xff, sizeof(iv));
  iv[0] = 0x00;
  memset(next, 0, sizeof(next));
  next[0] = 0x01;
  ck_assert_int_eq(cp->aes_new(st, &aes), 0);
  ck_assert_int_eq(cp->aes_setkey(aes, key, sizeof(key)), 0);
  ck_assert_int_eq(cp->aes_ctr(aes, iv, zero, two, 32), 0);
  ck_assert_int_eq(cp->aes_ctr(aes, next, zero, one, 16), 0);
  ck_assert_mem_eq(two + 16, one, 16);
  cp->aes_del(aes);
}
END_TEST

/*
 * Re-keying a used context, or keying twice before any use, leaves only
 * the last key: the output equals that of a fresh context under it.
 */
START_TEST(test_aes_ctr_rekey) {
  static const uint8_t ka[16] = {0xa1}, kb[16] = {0xb2}, kc[32] = {0xc3};
  uint8_t iv[16] = {0x10}, in[40], ref[40], out[40];
  imsms_crypto_aes *aes = NULL, *fresh = NULL;
  size_t i;

  for (i = 0; i < sizeof(in); i++) {
    in[i] = (uint8_t)i;
  }
  ck_assert_int_eq(cp->aes_new(st, &aes), 0);
  ck_assert_int_eq(cp->aes_new(st, &fresh), 0);
  ck_assert_int_eq(cp->aes_setkey(fresh, kb, sizeof(kb)), 0);
  ck_assert_int_eq(cp->aes_ctr(fresh, iv, in, ref, sizeof(in)), 0);
  /* Used under ka (a partial last block), then re-keyed with kb. */
  ck_assert_int_eq(cp->aes_setkey(aes, ka, sizeof(ka)), 0);
  ck_assert_int_eq(cp->aes_ctr(aes, iv, in, out, 21), 0);
  ck_assert_int_eq(cp->aes_setkey(aes, kb, sizeof(kb)), 0);
  ck_assert_int_eq(cp->aes_ctr(aes, iv, in, out, sizeof(in)), 0);
  ck_assert_mem_eq(out, ref, sizeof(in));
  /* Keyed with kc (another length), then kb before any use. */
  ck_assert_int_eq(cp->aes_setkey(aes, kc, sizeof(kc)), 0);
  ck_assert_int_eq(cp->aes_setkey(aes, kb, sizeof(kb)), 0);
  ck_assert_int_eq(cp->aes_ctr(aes, iv, in, out, sizeof(in)), 0);
  ck_assert_mem_eq(out, ref, sizeof(in));
  /* A refused key leaves no key behind, not even the old one. */
  ck_assert_int_eq(cp->aes_setkey(aes, kb, 17), IMSMS_ERR_KEY_LENGTH);
  ck_assert_int_eq(cp->aes_ctr(aes, iv, in, out, 16), IMSMS_ERR_CRYPTO);
  cp->aes_del(aes);
  cp->aes_del(fresh);
}
END_TEST

START_TEST(test_aes_kw_rfc3394) {
  uint8_t kek[32], iv[8], data[32], wrapped[40], out[40];
  size_t i, j, klen, dlen, wlen;

  for (i = 0; i < IMSMS_KAT_COUNT(imsms_kat_aes_kw_vectors); i++) {
    const imsms_kat_aes_kw *v = &imsms_kat_aes_kw_vectors[i];

    klen = imsms_kat_unhex(kek, sizeof(kek), v->kek_hex);
    ck_assert_uint_eq(imsms_kat_unhex(iv, sizeof(iv), v->iv_hex), 8);
    dlen = imsms_kat_unhex(data, sizeof(data), v->key_data_hex);
    wlen = imsms_kat_unhex(wrapped, sizeof(wrapped), v->wrapped_hex);
    ck_assert_uint_eq(wlen, dlen + 8);
    ck_assert_int_eq(cp->aes_kw_wrap(st, kek, klen, iv, data, dlen, out), 0);
    ck_assert_msg(memcmp(out, wrapped, wlen) == 0, "%s", v->name);
    ck_assert_int_eq(cp->aes_kw_unwrap(st, kek, klen, iv, wrapped, wlen, out),
                     0);
    ck_assert_mem_eq(out, data, dlen);
    /* Every single-bit change of the wrapped key is caught, output wiped. */
    for (j = 0; j < wlen; j++) {
      wrapped[j] ^= 0x80;
      memset(out, 0x55, sizeof(out));
      ck_assert_int_eq(
          cp->aes_kw_unwrap(st, kek, klen, iv, wrapped, wlen, out),
          IMSMS_ERR_KEYWRAP_INTEGRITY);
      ck_assert(imsms_test_all_zero(out, dlen));
      wrapped[j] ^= 0x80;
    }
    /* A different IV is an integrity failure too (MIKEY uses the salt). */
    iv[7] ^= 1;
    ck_assert_int_eq(cp->aes_kw_unwrap(st, kek, klen, iv, wrapped, wlen, out),
                     IMSMS_ERR_KEYWRAP_INTEGRITY);
  }
}
END_TEST

START_TEST(test_aes_kw_bad_lengths) {
  uint8_t kek[16] = {0}, iv[8] = {0}, in[40] = {0}, out[48];

  ck_assert_int_eq(cp->aes_kw_wrap(st, kek, 16, iv, in, 8, out),
                   IMSMS_ERR_KEY_LENGTH);
  ck_assert_int_eq(cp->aes_kw_wrap(st, kek, 16, iv, in, 17, out),
                   IMSMS_ERR_KEY_LENGTH);
  ck_assert_int_eq(cp->aes_kw_wrap(st, kek, 15, iv, in, 16, out),
                   IMSMS_ERR_KEY_LENGTH);
  ck_assert_int_eq(cp->aes_kw_unwrap(st, kek, 16, iv, in, 16, out),
                   IMSMS_ERR_KEY_LENGTH);
  ck_assert_int_eq(cp->aes_kw_unwrap(st, kek, 16, iv, in, 25, out),
                   IMSMS_ERR_KEY_LENGTH);
  ck_assert_int_eq(cp->aes_kw_unwrap(st, kek, 33, iv, in, 24, out),
                   IMSMS_ERR_KEY_LENGTH);
}
END_TEST

static Suite *kat_suite(void) {
  Suite *s = suite_create("crypto_kat");
  TCase *tc = tcase_create("default provider");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_hmac_sha1_rfc2202);
  tcase_add_test(tc, test_hmac_sha256_rfc4231);
  tcase_add_test(tc, test_imsms_hmac_truncated);
  tcase_add_test(tc, test_hmac_empty_message_and_key);
  tcase_add_test(tc, test_hmac_final_without_key_fails);
  tcase_add_test(tc, test_sha256_fips180);
  tcase_add_test(tc, test_aes_ctr_sp800_38a);
  tcase_add_test(tc, test_aes_ctr_counter_carry);
  tcase_add_test(tc, test_hmac_rekey_and_wipe);
  tcase_add_test(tc, test_ct_memeq);
  tcase_add_test(tc, test_aes_ctr_rekey);
  tcase_add_test(tc, test_aes_kw_rfc3394);
  tcase_add_test(tc, test_aes_kw_bad_lengths);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return imsms_test_run(kat_suite(), "crypto_kat"); }
