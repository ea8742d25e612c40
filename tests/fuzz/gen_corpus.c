/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Writes the fuzz seed corpora, each file named by the SHA-256 of its
 * contents in hex (style rule 18):
 *
 *   DIR/mikey/         every sample of imsms_mikey_samples(): one valid
 *                      message of each data type 0-18 and the two RFC
 *                      4567 examples (fuzz_mikey_decode);
 *   DIR/mikey_verify/  PSK I_MESSAGEs that verify under the PSK, "now"
 *                      and update RAND of fuzz_psk.h: every encryption
 *                      and MAC algorithm pair, both PRFs, each map type,
 *                      with and without IDs and SPs, and a CSB update
 *                      (fuzz_mikey_verify, fuzz_mikey_psk_responder);
 *   DIR/keydata/       Key data chains: every key type with every KV
 *                      type, and the plaintexts of the verify seeds
 *                      (fuzz_mikey_keydata).
 *
 * usage: gen_corpus DIR    (normally tests/fuzz/corpus)
 *
 * The output is deterministic: no random input is used, so running it
 * again writes the same files. Every verify seed is checked to verify
 * under the harnesses' settings before it is written.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <imsmediasec/mikey.h>

#include "fuzz_psk.h"
#include "mikey_samples.h"

static imsms_ctx *ctx;
static const char *top;
static size_t written;

static void *libc_malloc(size_t n, void *ud) {
  (void)ud;
  return malloc(n);
}
static void libc_free(void *p, void *ud) {
  (void)ud;
  free(p);
}
static void *libc_calloc(size_t m, size_t n, void *ud) {
  (void)ud;
  return calloc(m, n);
}
static void *libc_realloc(void *p, size_t n, void *ud) {
  (void)ud;
  return realloc(p, n);
}

static void die(const char *what, int rv) {
  fprintf(stderr, "gen_corpus: %s: %s\n", what,
          rv ? imsms_strerror(rv) : strerror(errno));
  exit(1);
}

/* SHA-256 through the default provider's vtable (public crypto.h). */
static void sha256_hex(const uint8_t *in, size_t len, char hex[65]) {
  static const imsms_mem mem = {NULL, libc_malloc, libc_free, libc_calloc,
                                libc_realloc};
  const imsms_crypto_provider *p = imsms_crypto_default();
  uint8_t d[IMSMS_SHA256_LEN];
  void *state = NULL;
  int rv, i;

  if (p->init && (rv = p->init(p, &mem, &state)) != 0) {
    die("provider init", rv);
  }
  if ((rv = p->sha256(state, in, len, d)) != 0) {
    die("sha256", rv);
  }
  if (p->cleanup) {
    p->cleanup(state);
  }
  for (i = 0; i < IMSMS_SHA256_LEN; i++) {
    snprintf(hex + 2 * i, 3, "%02x", d[i]);
  }
}

static void make_dir(const char *path) {
  if (mkdir(path, 0777) != 0 && errno != EEXIST) {
    die(path, 0);
  }
}

static void put(const char *sub, const uint8_t *data, size_t len) {
  char path[4096], hex[65];
  FILE *f;

  sha256_hex(data, len, hex);
  snprintf(path, sizeof(path), "%s/%s/%s", top, sub, hex);
  f = fopen(path, "wb");
  if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
    die(path, 0);
  }
  written++;
}

/* ---------------------------------------------------------------- mikey */

static void gen_mikey(void) {
  static imsms_sample s[32];
  size_t n = imsms_mikey_samples(s, sizeof(s) / sizeof(s[0])), i;

  if (n != 21) {
    die("imsms_mikey_samples: not 21 samples", IMSMS_ERR_INVALID_ARGUMENT);
  }
  for (i = 0; i < n; i++) {
    put("mikey", s[i].buf, s[i].len);
  }
}

/* --------------------------------------------------------- mikey_verify */

static const uint8_t rand16[16] = {0x20, 0x21, 0x22, 0x23, 0x24, 0x25,
                                   0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b,
                                   0x2c, 0x2d, 0x2e, 0x2f};
static const uint8_t tgk16[16] = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5,
                                  0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab,
                                  0xac, 0xad, 0xae, 0xaf};
static const uint8_t tgk20[20] = {0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6,
                                  0xb7, 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd,
                                  0xbe, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3};
static const uint8_t salt14[14] = {0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6,
                                   0xd7, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd};
static const uint8_t spi4[4] = {0, 0, 0, 1};
static const uint8_t spi7[7] = {0, 0, 0, 0, 0, 0, 2};
static const uint8_t from6[6] = {0, 0, 0, 0, 0, 0};
static const uint8_t to6[6] = {0, 0, 0xff, 0xff, 0xff, 0xff};
static const uint8_t pol0[1] = {0}, pol01[2] = {0, 1};
static const uint8_t sd10[10] = {0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0, 0x10, 0};

/* AES-CM-128 / HMAC-SHA1-80, then one with an unknown parameter type. */
static const uint8_t good_params[] = {0, 1, 1,  1, 1, 16, 2,  1, 1,
                                      3, 1, 20, 4, 1, 14, 11, 1, 10};
static const uint8_t bad_params[] = {0, 1, 1, 30, 1, 7};

typedef enum keyset {
  KEYS_TGK, /* TGK, KV SPI: 25 bytes */
  KEYS_KW,  /* TGK, KV SPI: 32 bytes, for AES-KW */
  KEYS_RICH /* TGK+SALT with KV interval, then TEK, KV NULL */
} keyset;

static size_t keys_of(keyset ks, imsms_mikey_keydata kd[2]) {
  memset(kd, 0, 2 * sizeof(kd[0]));
  switch (ks) {
  case KEYS_TGK:
    kd[0].type = IMSMS_MIKEY_KEY_TGK;
    kd[0].kv = IMSMS_MIKEY_KV_SPI;
    kd[0].key = tgk16;
    kd[0].key_len = sizeof(tgk16);
    kd[0].spi = spi4;
    kd[0].spi_len = sizeof(spi4);
    return 1;
  case KEYS_KW:
    kd[0].type = IMSMS_MIKEY_KEY_TGK;
    kd[0].kv = IMSMS_MIKEY_KV_SPI;
    kd[0].key = tgk20;
    kd[0].key_len = sizeof(tgk20);
    kd[0].spi = spi7;
    kd[0].spi_len = sizeof(spi7);
    return 1;
  case KEYS_RICH:
  default:
    kd[0].type = IMSMS_MIKEY_KEY_TGK_SALT;
    kd[0].kv = IMSMS_MIKEY_KV_INTERVAL;
    kd[0].key = tgk16;
    kd[0].key_len = sizeof(tgk16);
    kd[0].salt = salt14;
    kd[0].salt_len = sizeof(salt14);
    kd[0].valid_from = from6;
    kd[0].valid_from_len = sizeof(from6);
    kd[0].valid_to = to6;
    kd[0].valid_to_len = sizeof(to6);
    kd[1].type = IMSMS_MIKEY_KEY_TEK;
    kd[1].kv = IMSMS_MIKEY_KV_NULL;
    kd[1].key = tgk20;
    kd[1].key_len = sizeof(tgk20);
    return 2;
  }
}

typedef struct seed {
  uint8_t prf, encr, mac, map_type, v;
  keyset keys;
  int ids;    /* 0, 1 or 2 ID payloads */
  int nsp;    /* 0, 1 (good) or 2 (good, bad) */
  int update; /* CSB update: no RAND */
} seed;

static void gen_psk(const seed *sd) {
  imsms_mikey_keydata kd[2];
  imsms_mikey_cs cs[2];
  imsms_mikey_sp sp[2];
  imsms_mikey_psk_init p;
  imsms_mikey_psk_verified v;
  imsms_mikey_verify_opts o;
  uint8_t msg[1024], keys[IMSMS_FUZZ_KEYCAP];
  imsms_ssize n;
  int rv;

  memset(&p, 0, sizeof(p));
  memset(cs, 0, sizeof(cs));
  memset(sp, 0, sizeof(sp));
  p.csb_id = 0x5eed0000u | (uint32_t)(sd->encr << 8 | sd->mac << 4 | sd->prf);
  p.v = sd->v;
  p.prf_func = sd->prf;
  p.encr_alg = sd->encr;
  p.mac_alg = sd->mac;
  p.t = IMSMS_FUZZ_NOW;
  if (sd->update) {
    p.update_rand = IMSMS_FUZZ_UPDATE_RAND;
    p.update_rand_len = IMSMS_FUZZ_UPDATE_RAND_LEN;
  } else {
    p.rand = rand16;
    p.rand_len = sizeof(rand16);
  }
  if (sd->ids >= 1) {
    p.idi_type = IMSMS_MIKEY_ID_NAI;
    p.idi = (const uint8_t *)"alice@example.net";
    p.idi_len = 17;
  }
  if (sd->ids >= 2) {
    p.idr_type = IMSMS_MIKEY_ID_URI;
    p.idr = (const uint8_t *)"sip:bob@example.net";
    p.idr_len = 19;
  }
  p.map_type = sd->map_type;
  if (sd->map_type == IMSMS_MIKEY_MAP_SRTP_ID) {
    cs[0].policies = pol0;
    cs[0].npolicies = 1;
    cs[0].ssrc = 0xcafe0001u;
    cs[1].policies = pol0;
    cs[1].npolicies = 1;
    cs[1].ssrc = 0xcafe0002u;
    cs[1].roc = 7;
    p.ncs = 2;
  } else if (sd->map_type == IMSMS_MIKEY_MAP_GENERIC_ID) {
    cs[0].cs_id = 1;
    cs[0].prot_type = IMSMS_MIKEY_PROT_SRTP;
    cs[0].s_flag = 1;
    cs[0].policies = pol01;
    cs[0].npolicies = 2;
    cs[0].session_data = sd10;
    cs[0].session_data_len = sizeof(sd10);
    cs[0].spi = spi4;
    cs[0].spi_len = sizeof(spi4);
    p.ncs = 1;
  }
  p.cs = cs;
  sp[0].policy_no = 0;
  sp[0].prot_type = IMSMS_MIKEY_PROT_SRTP;
  sp[0].params = good_params;
  sp[0].len = sizeof(good_params);
  sp[1].policy_no = 1;
  sp[1].prot_type = IMSMS_MIKEY_PROT_SRTP;
  sp[1].params = bad_params;
  sp[1].len = sizeof(bad_params);
  p.sp = sp;
  p.nsp = (size_t)sd->nsp;
  p.keys = kd;
  p.nkeys = keys_of(sd->keys, kd);

  n = imsms_mikey_psk_init_encode(ctx, IMSMS_FUZZ_PSK, IMSMS_FUZZ_PSK_LEN, &p,
                                  msg, sizeof(msg));
  if (n <= 0) {
    die("imsms_mikey_psk_init_encode", (int)n);
  }
  /* It must verify exactly as the harnesses check it. */
  memset(&o, 0, sizeof(o));
  o.skew_sec = IMSMS_FUZZ_SKEW_SEC;
  o.allow_null = 1;
  o.update_rand = IMSMS_FUZZ_UPDATE_RAND;
  o.update_rand_len = IMSMS_FUZZ_UPDATE_RAND_LEN;
  rv = imsms_mikey_psk_init_verify(ctx, IMSMS_FUZZ_PSK, IMSMS_FUZZ_PSK_LEN, msg,
                                   (size_t)n, IMSMS_FUZZ_NOW, &o, keys,
                                   sizeof(keys), &v);
  if (rv != 0) {
    die("imsms_mikey_psk_init_verify of a seed", rv);
  }
  put("mikey_verify", msg, (size_t)n);
  /* Its plaintext is a keydata seed. */
  put("keydata", keys, v.keys_len);
  imsms_secure_clear(keys, sizeof(keys));
}

static void gen_mikey_verify(void) {
  static const uint8_t encrs[] = {
      IMSMS_MIKEY_ENCR_NULL, IMSMS_MIKEY_ENCR_AES_CM_128,
      IMSMS_MIKEY_ENCR_AES_KW_128, IMSMS_MIKEY_ENCR_AES_CM_256};
  static const uint8_t macs[] = {IMSMS_MIKEY_MAC_NULL,
                                 IMSMS_MIKEY_MAC_HMAC_SHA1_160,
                                 IMSMS_MIKEY_MAC_HMAC_SHA256_256};
  size_t e, m;
  seed s;

  /* Every encryption / MAC pair: SRTP-ID map, both IDs, one SP. */
  for (e = 0; e < sizeof(encrs); e++) {
    for (m = 0; m < sizeof(macs); m++) {
      memset(&s, 0, sizeof(s));
      s.encr = encrs[e];
      s.mac = macs[m];
      s.v = 1;
      s.map_type = IMSMS_MIKEY_MAP_SRTP_ID;
      s.keys = encrs[e] == IMSMS_MIKEY_ENCR_AES_KW_128 ? KEYS_KW : KEYS_TGK;
      s.ids = 2;
      s.nsp = 1;
      gen_psk(&s);
    }
  }
  /* PRF-HMAC-SHA-256, GENERIC-ID map, two key data sub-payloads. */
  memset(&s, 0, sizeof(s));
  s.prf = IMSMS_MIKEY_PRF_HMAC_SHA256;
  s.encr = IMSMS_MIKEY_ENCR_AES_CM_256;
  s.mac = IMSMS_MIKEY_MAC_HMAC_SHA256_256;
  s.v = 1;
  s.map_type = IMSMS_MIKEY_MAP_GENERIC_ID;
  s.keys = KEYS_RICH;
  s.ids = 2;
  s.nsp = 1;
  gen_psk(&s);
  /* Empty map, one ID, no SP, no verification message asked for. */
  memset(&s, 0, sizeof(s));
  s.encr = IMSMS_MIKEY_ENCR_AES_CM_128;
  s.mac = IMSMS_MIKEY_MAC_HMAC_SHA1_160;
  s.map_type = IMSMS_MIKEY_MAP_EMPTY;
  s.keys = KEYS_RICH;
  s.ids = 1;
  gen_psk(&s);
  /* No ID; a refused policy (unknown parameter): the Error path. */
  memset(&s, 0, sizeof(s));
  s.encr = IMSMS_MIKEY_ENCR_AES_CM_128;
  s.mac = IMSMS_MIKEY_MAC_HMAC_SHA256_256;
  s.v = 1;
  s.map_type = IMSMS_MIKEY_MAP_SRTP_ID;
  s.keys = KEYS_TGK;
  s.nsp = 2;
  gen_psk(&s);
  /* A CSB update (RFC 3830 4.5): no RAND, keys from the initial RAND. */
  memset(&s, 0, sizeof(s));
  s.encr = IMSMS_MIKEY_ENCR_AES_CM_128;
  s.mac = IMSMS_MIKEY_MAC_HMAC_SHA1_160;
  s.v = 1;
  s.map_type = IMSMS_MIKEY_MAP_SRTP_ID;
  s.keys = KEYS_TGK;
  s.ids = 2;
  s.nsp = 1;
  s.update = 1;
  gen_psk(&s);
}

/* -------------------------------------------------------------- keydata */

static void gen_keydata(void) {
  imsms_mikey_keydata kd[3];
  uint8_t out[256];
  uint8_t type, kv;
  imsms_ssize n;

  /* Every key type (0-6) with every KV type (0-2), alone. */
  for (type = 0; type <= IMSMS_MIKEY_KEY_MPK; type++) {
    for (kv = 0; kv <= IMSMS_MIKEY_KV_INTERVAL; kv++) {
      memset(kd, 0, sizeof(kd));
      kd[0].type = type;
      kd[0].kv = kv;
      kd[0].key = tgk16;
      kd[0].key_len = sizeof(tgk16);
      kd[0].salt = salt14;
      kd[0].salt_len = sizeof(salt14);
      if (kv == IMSMS_MIKEY_KV_SPI) {
        kd[0].spi = spi4;
        kd[0].spi_len = sizeof(spi4);
      } else if (kv == IMSMS_MIKEY_KV_INTERVAL) {
        kd[0].valid_from = from6;
        kd[0].valid_from_len = sizeof(from6);
        kd[0].valid_to = to6;
        kd[0].valid_to_len = sizeof(to6);
      }
      n = imsms_mikey_keydata_encode(out, sizeof(out), kd, 1);
      if (n <= 0) {
        die("imsms_mikey_keydata_encode", (int)n);
      }
      put("keydata", out, (size_t)n);
    }
  }
  /* A chain of three: TEK+SALT (SPI), GTGK (NULL), MPK (interval). */
  memset(kd, 0, sizeof(kd));
  kd[0].type = IMSMS_MIKEY_KEY_TEK_SALT;
  kd[0].kv = IMSMS_MIKEY_KV_SPI;
  kd[0].key = tgk16;
  kd[0].key_len = sizeof(tgk16);
  kd[0].salt = salt14;
  kd[0].salt_len = sizeof(salt14);
  kd[0].spi = spi7;
  kd[0].spi_len = sizeof(spi7);
  kd[1].type = IMSMS_MIKEY_KEY_GTGK;
  kd[1].key = tgk20;
  kd[1].key_len = sizeof(tgk20);
  kd[2].type = IMSMS_MIKEY_KEY_MPK;
  kd[2].kv = IMSMS_MIKEY_KV_INTERVAL;
  kd[2].key = tgk20;
  kd[2].key_len = sizeof(tgk20);
  kd[2].valid_from = from6;
  kd[2].valid_from_len = sizeof(from6);
  kd[2].valid_to = to6;
  kd[2].valid_to_len = sizeof(to6);
  n = imsms_mikey_keydata_encode(out, sizeof(out), kd, 3);
  if (n <= 0) {
    die("imsms_mikey_keydata_encode", (int)n);
  }
  put("keydata", out, (size_t)n);
}

int main(int argc, char **argv) {
  char path[4096];
  int rv;

  if (argc != 2) {
    fprintf(stderr, "usage: %s CORPUS-DIR\n", argv[0]);
    return 2;
  }
  top = argv[1];
  make_dir(top);
  snprintf(path, sizeof(path), "%s/mikey", top);
  make_dir(path);
  snprintf(path, sizeof(path), "%s/mikey_verify", top);
  make_dir(path);
  snprintf(path, sizeof(path), "%s/keydata", top);
  make_dir(path);
  if ((rv = imsms_ctx_new(&ctx, NULL, NULL, NULL, NULL)) != 0) {
    die("imsms_ctx_new", rv);
  }
  gen_mikey();
  gen_mikey_verify();
  gen_keydata();
  imsms_ctx_del(ctx);
  printf("gen_corpus: wrote %zu files under %s\n", written, top);
  return 0;
}
