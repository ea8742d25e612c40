/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * libFuzzer harness: Key data sub-payload chains (RFC 3830 6.13, the
 * plaintext of a KEMAC) on arbitrary bytes, public API only.
 *
 * imsms_mikey_keydata_decode() is applied along the chain while the
 * next-payload byte says Key data. Each decoded sub-payload must lie in
 * the bytes it consumed, with a known type and KV, a salt only for the
 * +SALT types, and must re-encode alone to those bytes (with next
 * payload 0). A chain that ends exactly at the end of the input with
 * next payload 0 (what imsms_mikey_psk_init_verify() accepts) must
 * re-encode with imsms_mikey_keydata_encode() to the input byte for byte.
 * The input is copied to an exact-size heap buffer so that ASan sees any
 * read past its end.
 */
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/mikey.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require_inside(const uint8_t *p, size_t n, const uint8_t *lo,
                           size_t lolen) {
  if (n == 0) {
    return;
  }
  if (p == NULL || p < lo || n > lolen || (size_t)(p - lo) > lolen - n) {
    abort();
  }
}

static int has_salt(uint8_t type) {
  return type == IMSMS_MIKEY_KEY_TGK_SALT || type == IMSMS_MIKEY_KEY_TEK_SALT ||
         type == IMSMS_MIKEY_KEY_GTGK_SALT;
}

/* One sub-payload: its fields, and its encoding alone. */
static void check_one(const imsms_mikey_keydata *kd, const uint8_t *in,
                      size_t n) {
  uint8_t *out;

  if (kd->type > IMSMS_MIKEY_KEY_MPK || kd->kv > IMSMS_MIKEY_KV_INTERVAL) {
    abort();
  }
  require_inside(kd->key, kd->key_len, in, n);
  require_inside(kd->salt, kd->salt_len, in, n);
  require_inside(kd->spi, kd->spi_len, in, n);
  require_inside(kd->valid_from, kd->valid_from_len, in, n);
  require_inside(kd->valid_to, kd->valid_to_len, in, n);
  if ((!has_salt(kd->type) && (kd->salt != NULL || kd->salt_len)) ||
      (kd->kv != IMSMS_MIKEY_KV_SPI && (kd->spi != NULL || kd->spi_len)) ||
      (kd->kv != IMSMS_MIKEY_KV_INTERVAL &&
       (kd->valid_from_len || kd->valid_to_len))) {
    abort();
  }
  out = malloc(n);
  if (out == NULL) {
    abort();
  }
  if (imsms_mikey_keydata_encode(NULL, 0, kd, 1) != (imsms_ssize)n ||
      imsms_mikey_keydata_encode(out, n, kd, 1) != (imsms_ssize)n ||
      out[0] != 0 || memcmp(out + 1, in + 1, n - 1) != 0) {
    abort();
  }
  if (imsms_mikey_keydata_encode(out, n - 1, kd, 1) != IMSMS_ERR_NOBUF) {
    abort();
  }
  free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  imsms_mikey_keydata *kd;
  uint8_t *buf, *out, next = IMSMS_MIKEY_PT_KEY_DATA;
  /* Each sub-payload takes at least 4 bytes. */
  size_t off = 0, n = 0, cap = size / 4 + 1;
  imsms_ssize m = 0;

  buf = malloc(size ? size : 1);
  kd = calloc(cap, sizeof(*kd));
  if (buf == NULL || kd == NULL) {
    abort();
  }
  if (size) {
    memcpy(buf, data, size);
  }
  while (next == IMSMS_MIKEY_PT_KEY_DATA && off < size && n < cap) {
    m = imsms_mikey_keydata_decode(&kd[n], &next, buf + off, size - off);
    if (m < 0) {
      if (m != IMSMS_ERR_TRUNCATED && m != IMSMS_ERR_MIKEY_KEY_DATA) {
        abort();
      }
      break;
    }
    /* At least next, type/KV and the key length. */
    if (m < 4 || (size_t)m > size - off || next != buf[off]) {
      abort();
    }
    check_one(&kd[n], buf + off, (size_t)m);
    off += (size_t)m;
    n++;
  }
  if (m >= 0 && n > 0 && next == 0 && off == size && size <= 0xffff) {
    /* A whole chain (KEMAC data holds at most 65535 bytes): it encodes
     * back to the input. */
    out = malloc(size);
    if (out == NULL) {
      abort();
    }
    if (imsms_mikey_keydata_encode(NULL, 0, kd, n) != (imsms_ssize)size ||
        imsms_mikey_keydata_encode(out, size, kd, n) != (imsms_ssize)size ||
        memcmp(out, buf, size) != 0) {
      abort();
    }
    free(out);
  }
  free(kd);
  free(buf);
  return 0;
}
