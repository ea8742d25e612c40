/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * libFuzzer harness: RFC 3830 PSK I_MESSAGE verification on arbitrary
 * bytes, public API only, under the fixed PSK, "now" and update RAND of
 * fuzz_psk.h (the seeds in corpus/mikey_verify verify under them), with
 * NULL algorithms allowed so that every encryption and MAC algorithm is
 * reached.
 *
 * Checked for every input:
 *  - a decode error comes back unchanged, and a decodable message of
 *    another data type is IMSMS_ERR_MIKEY_UNEXPECTED (RFC 3830 5.3 order);
 *  - on failure no byte of the key buffer is left non-zero;
 * and when the message verifies:
 *  - the result points into the input, T is inside the window, the
 *    algorithms are known, and the decrypted key data is one whole Key
 *    data chain (walked with imsms_mikey_keydata_decode());
 *  - through the static replay cache it is accepted at most once, and
 *    then refused as a replay with the key buffer wiped;
 *  - a verification message built with imsms_mikey_psk_resp_encode() for
 *    each MAC algorithm decodes as one, imsms_mikey_psk_resp_verify()
 *    accepts it, and refuses it with one bit flipped in the MAC or under
 *    another PSK.
 * The context (default provider) and the replay cache are made once.
 */
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/mikey.h>

#include "fuzz_psk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static imsms_ctx *ctx;
static imsms_replay *replay;

static void setup(void) {
  if (ctx != NULL) {
    return;
  }
  if (imsms_ctx_new(&ctx, NULL, NULL, NULL, NULL) != 0 ||
      imsms_replay_new(&replay, ctx, IMSMS_FUZZ_REPLAY_CAPACITY,
                       IMSMS_FUZZ_SKEW_SEC) != 0) {
    abort();
  }
}

static int all_zero(const uint8_t *p, size_t n) {
  uint8_t acc = 0;
  size_t i;

  for (i = 0; i < n; i++) {
    acc |= p[i];
  }
  return acc == 0;
}

static void require_inside(const uint8_t *p, size_t n, const uint8_t *lo,
                           size_t lolen) {
  if (n == 0) {
    return;
  }
  if (p == NULL || p < lo || n > lolen || (size_t)(p - lo) > lolen - n) {
    abort();
  }
}

/* The decrypted key data must be exactly one Key data chain. */
static void walk_keys(const uint8_t *keys, size_t len) {
  uint8_t next = IMSMS_MIKEY_PT_KEY_DATA;
  size_t off = 0;

  while (next == IMSMS_MIKEY_PT_KEY_DATA && off < len) {
    imsms_mikey_keydata kd;
    imsms_ssize n =
        imsms_mikey_keydata_decode(&kd, &next, keys + off, len - off);

    if (n <= 0 || (size_t)n > len - off) {
      abort();
    }
    require_inside(kd.key, kd.key_len, keys + off, (size_t)n);
    require_inside(kd.salt, kd.salt_len, keys + off, (size_t)n);
    off += (size_t)n;
  }
  if (next != 0 || off != len) {
    abort();
  }
}

static void opts_init(imsms_mikey_verify_opts *o, int with_replay) {
  memset(o, 0, sizeof(*o));
  o->skew_sec = IMSMS_FUZZ_SKEW_SEC;
  o->allow_null = 1;
  o->update_rand = IMSMS_FUZZ_UPDATE_RAND;
  o->update_rand_len = IMSMS_FUZZ_UPDATE_RAND_LEN;
  if (with_replay) {
    o->replay = imsms_replay_check;
    o->replay_data = replay;
  }
}

/* Verification message for |v| with |mac_alg|: built, decoded, verified. */
static void check_response(const uint8_t *init, size_t initlen,
                           const imsms_mikey_psk_verified *v, uint8_t mac_alg,
                           int with_idr) {
  static const uint8_t idr[] = "bob@example.net";
  uint8_t resp[512], other[IMSMS_FUZZ_PSK_LEN];
  imsms_mikey_payload pl[4];
  imsms_mikey_verify_opts o;
  imsms_mikey_msg m;
  imsms_ssize rlen, n;

  opts_init(&o, 0);
  rlen = imsms_mikey_psk_resp_encode(ctx, IMSMS_FUZZ_PSK, IMSMS_FUZZ_PSK_LEN, v,
                                     IMSMS_MIKEY_ID_NAI, with_idr ? idr : NULL,
                                     with_idr ? sizeof(idr) - 1 : 0, mac_alg,
                                     resp, sizeof(resp));
  if (rlen <= 0) {
    abort();
  }
  n = imsms_mikey_decode_all(&m, pl, 4, resp, (size_t)rlen);
  if (n != (with_idr ? 3 : 2) || m.hdr.data_type != IMSMS_MIKEY_PSK_RESP ||
      m.hdr.csb_id != v->msg.hdr.csb_id || m.hdr.v != 0 ||
      pl[0].type != IMSMS_MIKEY_PT_T || pl[0].u.t.value != v->t ||
      pl[n - 1].type != IMSMS_MIKEY_PT_V || pl[n - 1].u.v.alg != mac_alg) {
    abort();
  }
  if (imsms_mikey_psk_resp_verify(ctx, IMSMS_FUZZ_PSK, IMSMS_FUZZ_PSK_LEN, init,
                                  initlen, resp, (size_t)rlen, &o) != 0) {
    abort();
  }
  if (mac_alg == IMSMS_MIKEY_MAC_NULL) {
    return;
  }
  resp[rlen - 1] ^= 0x01;
  if (imsms_mikey_psk_resp_verify(ctx, IMSMS_FUZZ_PSK, IMSMS_FUZZ_PSK_LEN, init,
                                  initlen, resp, (size_t)rlen,
                                  &o) != IMSMS_ERR_MIKEY_AUTH) {
    abort();
  }
  resp[rlen - 1] ^= 0x01;
  memcpy(other, IMSMS_FUZZ_PSK, sizeof(other));
  other[0] ^= 0x80;
  if (imsms_mikey_psk_resp_verify(ctx, other, sizeof(other), init, initlen,
                                  resp, (size_t)rlen,
                                  &o) != IMSMS_ERR_MIKEY_AUTH) {
    abort();
  }
}

static void check_verified(const uint8_t *buf, size_t size,
                           const imsms_mikey_psk_verified *v,
                           const uint8_t *keys) {
  imsms_mikey_verify_opts o;
  imsms_mikey_psk_verified v2;
  uint8_t *keys2;
  int64_t diff = (int64_t)(v->t - IMSMS_FUZZ_NOW);
  int rv;

  if (v->msg.data != buf || v->msg.len != size ||
      v->msg.hdr.data_type != IMSMS_MIKEY_PSK_INIT ||
      v->encr_alg > IMSMS_MIKEY_ENCR_AES_CM_256 ||
      v->mac_alg > IMSMS_MIKEY_MAC_HMAC_SHA256_256 || v->keys_len == 0 ||
      v->keys_len > IMSMS_FUZZ_KEYCAP ||
      diff > ((int64_t)IMSMS_FUZZ_SKEW_SEC << 32) ||
      diff < -((int64_t)IMSMS_FUZZ_SKEW_SEC << 32)) {
    abort();
  }
  /* The RAND is the message's, or the update RAND of a CSB update. */
  if (v->rand_len != IMSMS_FUZZ_UPDATE_RAND_LEN ||
      memcmp(v->rand, IMSMS_FUZZ_UPDATE_RAND, v->rand_len) != 0) {
    require_inside(v->rand, v->rand_len, buf, size);
  }
  require_inside(v->idi, v->idi_len, buf, size);
  require_inside(v->idr, v->idr_len, buf, size);
  walk_keys(keys, v->keys_len);

  /* The replay cache takes an authenticated message once. */
  keys2 = calloc(1, IMSMS_FUZZ_KEYCAP);
  if (keys2 == NULL) {
    abort();
  }
  opts_init(&o, 1);
  rv = imsms_mikey_psk_init_verify(ctx, IMSMS_FUZZ_PSK, IMSMS_FUZZ_PSK_LEN, buf,
                                   size, IMSMS_FUZZ_NOW, &o, keys2,
                                   IMSMS_FUZZ_KEYCAP, &v2);
  if (rv != 0 && rv != IMSMS_ERR_MIKEY_REPLAY) {
    abort();
  }
  if (rv == 0 &&
      (v2.keys_len != v->keys_len || memcmp(keys2, keys, v->keys_len) != 0)) {
    abort();
  }
  memset(keys2, 0x5a, IMSMS_FUZZ_KEYCAP);
  rv = imsms_mikey_psk_init_verify(ctx, IMSMS_FUZZ_PSK, IMSMS_FUZZ_PSK_LEN, buf,
                                   size, IMSMS_FUZZ_NOW, &o, keys2,
                                   IMSMS_FUZZ_KEYCAP, &v2);
  if (rv != IMSMS_ERR_MIKEY_REPLAY || !all_zero(keys2, IMSMS_FUZZ_KEYCAP)) {
    abort();
  }
  free(keys2);

  check_response(buf, size, v, v->mac_alg, 1);
  check_response(buf, size, v, IMSMS_MIKEY_MAC_HMAC_SHA1_160, 0);
  check_response(buf, size, v, IMSMS_MIKEY_MAC_HMAC_SHA256_256, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  imsms_mikey_verify_opts o;
  imsms_mikey_psk_verified v;
  imsms_mikey_msg m;
  uint8_t *buf, *keys;
  int drv, rv;

  setup();
  buf = malloc(size ? size : 1);
  keys = calloc(1, IMSMS_FUZZ_KEYCAP);
  if (buf == NULL || keys == NULL) {
    abort();
  }
  if (size) {
    memcpy(buf, data, size);
  }
  drv = imsms_mikey_decode(&m, buf, size);
  opts_init(&o, 0);
  rv = imsms_mikey_psk_init_verify(ctx, IMSMS_FUZZ_PSK, IMSMS_FUZZ_PSK_LEN, buf,
                                   size, IMSMS_FUZZ_NOW, &o, keys,
                                   IMSMS_FUZZ_KEYCAP, &v);
  if (drv != 0 && rv != drv) {
    abort();
  }
  /* Too many payloads for the verifier's array comes first. */
  if (drv == 0 && m.hdr.data_type != IMSMS_MIKEY_PSK_INIT &&
      rv != IMSMS_ERR_MIKEY_UNEXPECTED && rv != IMSMS_ERR_MIKEY_TOO_MANY) {
    abort();
  }
  if (rv == 0) {
    check_verified(buf, size, &v, keys);
  } else if (rv > 0 || imsms_err_is_fatal(rv) ||
             !all_zero(keys, IMSMS_FUZZ_KEYCAP)) {
    abort();
  }
  free(keys);
  free(buf);
  return 0;
}
