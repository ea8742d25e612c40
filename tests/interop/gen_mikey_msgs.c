/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Writes RFC 3830 messages built by the library, for an independent
 * decoder (tshark's MIKEY dissector) to check: for each message NAME,
 * NAME.bin holds the bytes and NAME.expect one "tshark-field value" line
 * per field we encoded, in tshark's -T fields notation.
 *
 * usage: gen_mikey_msgs DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/mikey.h>

static const uint8_t psk[20] = "interop-psk-01234567";
static const uint8_t rand16[16] = {0x6d, 0x69, 0x6b, 0x65, 0x79, 0x2d,
                                   0x72, 0x61, 0x6e, 0x64, 0x2d, 0x31,
                                   0x32, 0x33, 0x34, 0x35};
static const uint8_t tgk[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
                                0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
                                0xcc, 0xdd, 0xee, 0xff};
static const imsms_tstamp t0 = 0xeb8a2c8012345678ULL;
/* AES-CM-128 / HMAC-SHA1-80 with every RFC 3830 parameter spelled out. */
static const uint8_t params[] = {0, 1, 1, 1, 1, 16, 2, 1, 1, 3, 1, 20,
                                 4, 1, 14, 5, 1, 0, 6, 1, 0, 7, 1, 1,
                                 8, 1, 1, 9, 1, 0, 10, 1, 1, 11, 1, 10,
                                 12, 1, 0};

static const char *dir;

static void die(const char *what, long rv) {
  fprintf(stderr, "gen_mikey_msgs: %s: %s\n", what,
          rv < 0 ? imsms_strerror((int)rv) : "failed");
  exit(1);
}

static FILE *open_out(const char *name, const char *ext) {
  char path[512];
  FILE *f;

  snprintf(path, sizeof(path), "%s/%s.%s", dir, name, ext);
  f = fopen(path, ext[0] == 'b' ? "wb" : "w");
  if (f == NULL) {
    die(path, 0);
  }
  return f;
}

static void hex(FILE *f, const uint8_t *p, size_t n) {
  size_t i;

  for (i = 0; i < n; i++) {
    fprintf(f, "%02x", p[i]);
  }
}

static void write_bin(const char *name, const uint8_t *msg, size_t len) {
  FILE *f = open_out(name, "bin");

  fwrite(msg, 1, len, f);
  fclose(f);
}

/* The HDR and T fields every message here shares. */
static void expect_common(FILE *f, int type, uint32_t csb, int v) {
  fprintf(f, "mikey.version 1\nmikey.type %d\nmikey.v.set %d\n", type, v);
  fprintf(f, "mikey.prf_func 0\nmikey.csb_id 0x%08x\n", csb);
  fprintf(f, "mikey.t.ts_type 0\n");
}

static size_t build_init(imsms_ctx *ctx, uint8_t encr, uint8_t mac,
                         uint8_t *out, size_t cap) {
  static const uint8_t pol = 0;
  imsms_mikey_psk_init p;
  imsms_mikey_keydata kd;
  imsms_mikey_sp sp;
  imsms_mikey_cs cs;
  imsms_ssize n;

  memset(&kd, 0, sizeof(kd));
  kd.type = IMSMS_MIKEY_KEY_TGK;
  kd.key = tgk;
  kd.key_len = sizeof(tgk);
  memset(&cs, 0, sizeof(cs));
  cs.policies = &pol;
  cs.npolicies = 1;
  cs.ssrc = 0x01020304u;
  cs.roc = 7;
  sp.policy_no = 0;
  sp.prot_type = IMSMS_MIKEY_PROT_SRTP;
  sp.params = params;
  sp.len = sizeof(params);
  memset(&p, 0, sizeof(p));
  p.csb_id = 0x5eed0001u;
  p.v = 1;
  p.encr_alg = encr;
  p.mac_alg = mac;
  p.t = t0;
  p.rand = rand16;
  p.rand_len = sizeof(rand16);
  p.idi = (const uint8_t *)"alice@example.net";
  p.idi_len = 17;
  p.idr = (const uint8_t *)"bob@example.net";
  p.idr_len = 15;
  p.map_type = IMSMS_MIKEY_MAP_SRTP_ID;
  p.cs = &cs;
  p.ncs = 1;
  p.sp = &sp;
  p.nsp = 1;
  p.keys = &kd;
  p.nkeys = 1;
  n = imsms_mikey_psk_init_encode(ctx, psk, sizeof(psk), &p, out, cap);
  if (n < 0) {
    die("psk_init_encode", n);
  }
  return (size_t)n;
}

static void expect_init(FILE *f, const uint8_t *msg, size_t len, int encr,
                        int mac) {
  size_t maclen = mac == 1 ? 20 : 0;

  expect_common(f, 0, 0x5eed0001u, 1);
  fprintf(f, "mikey.cs_count 1\nmikey.cs_id_map_type 0\n");
  fprintf(f, "mikey.srtp_id.policy_no 0\nmikey.srtp_id.ssrc 0x01020304\n");
  fprintf(f, "mikey.srtp_id.roc 0x00000007\n");
  fprintf(f, "mikey.rand.len 16\nmikey.rand.data ");
  hex(f, rand16, sizeof(rand16));
  fprintf(f, "\nmikey.id.data alice@example.net,bob@example.net\n");
  fprintf(f, "mikey.sp.no 0\nmikey.sp.proto_type 0\n");
  fprintf(f, "mikey.sp.encr_len 16\nmikey.sp.auth_key_len 20\n");
  fprintf(f, "mikey.sp.salt_len 14\nmikey.sp.auth_tag_len 10\n");
  fprintf(f, "mikey.kemac.encr_alg %d\nmikey.kemac.mac_alg %d\n", encr, mac);
  if (maclen) {
    fprintf(f, "mikey.kemac.mac ");
    hex(f, msg + len - maclen, maclen);
    fprintf(f, "\n");
  }
  if (encr == IMSMS_MIKEY_ENCR_NULL) {
    /* The dissector shows key data only when it is not encrypted. */
    fprintf(f, "mikey.key.type 0\nmikey.key.data.len 16\nmikey.key.data ");
    hex(f, tgk, sizeof(tgk));
    fprintf(f, "\n");
  }
}

static void gen_init(imsms_ctx *ctx, const char *name, uint8_t encr,
                     uint8_t mac, uint8_t *msg, size_t *len) {
  FILE *f;

  *len = build_init(ctx, encr, mac, msg, 1024);
  write_bin(name, msg, *len);
  f = open_out(name, "expect");
  expect_init(f, msg, *len, encr, mac);
  fclose(f);
}

static void gen_resp(imsms_ctx *ctx, const uint8_t *init, size_t initlen) {
  imsms_mikey_psk_verified v;
  uint8_t keys[256], resp[256];
  imsms_ssize n;
  FILE *f;
  int rv;

  rv = imsms_mikey_psk_init_verify(ctx, psk, sizeof(psk), init, initlen, t0,
                                   NULL, keys, sizeof(keys), &v);
  if (rv != 0) {
    die("psk_init_verify", rv);
  }
  imsms_secure_clear(keys, sizeof(keys));
  n = imsms_mikey_psk_resp_encode(ctx, psk, sizeof(psk), &v, IMSMS_MIKEY_ID_NAI,
                                  (const uint8_t *)"bob@example.net", 15,
                                  IMSMS_MIKEY_MAC_HMAC_SHA1_160, resp,
                                  sizeof(resp));
  if (n < 0) {
    die("psk_resp_encode", n);
  }
  write_bin("psk_resp", resp, (size_t)n);
  f = open_out("psk_resp", "expect");
  expect_common(f, 1, 0x5eed0001u, 0);
  fprintf(f, "mikey.id.data bob@example.net\nmikey.v.auth_alg 1\n");
  fprintf(f, "mikey.v.ver_data ");
  hex(f, resp + n - 20, 20);
  fprintf(f, "\n");
  fclose(f);
}

static void gen_error(imsms_ctx *ctx, const uint8_t *init, size_t initlen) {
  const uint8_t errs[2] = {IMSMS_MIKEY_ERR_INVALID_SP, IMSMS_MIKEY_ERR_AUTH_FAILURE};
  imsms_mikey_msg failed;
  uint8_t out[256];
  imsms_ssize n;
  FILE *f;

  if (imsms_mikey_decode(&failed, init, initlen) != 0) {
    die("decode", 0);
  }
  n = imsms_mikey_error_encode(ctx, &failed, t0, errs, 2, NULL, 0, psk,
                               sizeof(psk), IMSMS_MIKEY_MAC_HMAC_SHA1_160, out,
                               sizeof(out));
  if (n < 0) {
    die("error_encode", n);
  }
  write_bin("error", out, (size_t)n);
  f = open_out("error", "expect");
  expect_common(f, 6, 0x5eed0001u, 0);
  fprintf(f, "mikey.err.no 9,0\nmikey.v.auth_alg 1\n");
  fclose(f);
}

int main(int argc, char **argv) {
  uint8_t msg[1024];
  imsms_ctx *ctx;
  size_t len;
  int rv;

  if (argc != 2) {
    fprintf(stderr, "usage: gen_mikey_msgs DIR\n");
    return 2;
  }
  dir = argv[1];
  rv = imsms_ctx_new(&ctx, NULL, NULL, NULL, NULL);
  if (rv != 0) {
    die("ctx_new", rv);
  }
  gen_init(ctx, "psk_init_null", IMSMS_MIKEY_ENCR_NULL,
           IMSMS_MIKEY_MAC_HMAC_SHA1_160, msg, &len);
  gen_init(ctx, "psk_init_aescm", IMSMS_MIKEY_ENCR_AES_CM_128,
           IMSMS_MIKEY_MAC_HMAC_SHA1_160, msg, &len);
  gen_resp(ctx, msg, len);
  gen_error(ctx, msg, len);
  imsms_ctx_del(ctx);
  return 0;
}
