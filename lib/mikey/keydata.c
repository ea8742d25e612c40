/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Key data sub-payloads (RFC 3830 6.13, 6.14; RFC 6043 6.2), the
 * plaintext of a KEMAC. Views point into the caller's plaintext buffer.
 */
#include <string.h>

#include "mikey/codec.h"

static int has_salt(uint8_t type) {
  return type == IMSMS_MIKEY_KEY_TGK_SALT || type == IMSMS_MIKEY_KEY_TEK_SALT ||
         type == IMSMS_MIKEY_KEY_GTGK_SALT;
}

static int kv_decode(imsms_rbuf *r, imsms_mikey_keydata *kd) {
  switch (kd->kv) {
  case IMSMS_MIKEY_KV_NULL:
    return 0;
  case IMSMS_MIKEY_KV_SPI:
    return imsms_mikey_get_var8(r, &kd->spi, &kd->spi_len);
  case IMSMS_MIKEY_KV_INTERVAL: {
    int rv = imsms_mikey_get_var8(r, &kd->valid_from, &kd->valid_from_len);

    return rv != 0 ? rv
                   : imsms_mikey_get_var8(r, &kd->valid_to, &kd->valid_to_len);
  }
  default:
    return IMSMS_ERR_MIKEY_KEY_DATA;
  }
}

/* see imsmediasec/mikey.h */
imsms_ssize imsms_mikey_keydata_decode(imsms_mikey_keydata *kd, uint8_t *next,
                                       const uint8_t *in, size_t inlen) {
  imsms_rbuf r;
  uint8_t tkv;
  int rv;

  if (kd == NULL || next == NULL || (in == NULL && inlen)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memset(kd, 0, sizeof(*kd));
  imsms_rbuf_init(&r, in, inlen);
  if ((rv = imsms_rbuf_get_u8(&r, next)) != 0 ||
      (rv = imsms_rbuf_get_u8(&r, &tkv)) != 0) {
    return rv;
  }
  kd->type = tkv >> 4;
  kd->kv = tkv & 0x0f;
  if (kd->type > IMSMS_MIKEY_KEY_MPK) {
    return IMSMS_ERR_MIKEY_KEY_DATA;
  }
  if ((rv = imsms_mikey_get_var16(&r, &kd->key, &kd->key_len)) != 0 ||
      (has_salt(kd->type) &&
       (rv = imsms_mikey_get_var16(&r, &kd->salt, &kd->salt_len)) != 0) ||
      (rv = kv_decode(&r, kd)) != 0) {
    return rv;
  }
  return (imsms_ssize)(r.pos - in);
}

/* Encoded length of one sub-payload, or a negative error. */
static imsms_ssize keydata_len(const imsms_mikey_keydata *kd) {
  size_t n = 4 + kd->key_len;

  if (kd->type > IMSMS_MIKEY_KEY_MPK || kd->kv > IMSMS_MIKEY_KV_INTERVAL) {
    return IMSMS_ERR_MIKEY_KEY_DATA;
  }
  if ((kd->key == NULL && kd->key_len) || (kd->salt == NULL && kd->salt_len) ||
      (kd->spi == NULL && kd->spi_len) ||
      (kd->valid_from == NULL && kd->valid_from_len) ||
      (kd->valid_to == NULL && kd->valid_to_len)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (kd->key_len > 0xffff || kd->salt_len > 0xffff || kd->spi_len > 0xff ||
      kd->valid_from_len > 0xff || kd->valid_to_len > 0xff) {
    return IMSMS_ERR_MIKEY_LENGTH;
  }
  if (has_salt(kd->type)) {
    n += 2 + kd->salt_len;
  }
  if (kd->kv == IMSMS_MIKEY_KV_SPI) {
    n += 1 + kd->spi_len;
  } else if (kd->kv == IMSMS_MIKEY_KV_INTERVAL) {
    n += 2 + kd->valid_from_len + kd->valid_to_len;
  }
  return (imsms_ssize)n;
}

static void put_var8(imsms_wbuf *w, const uint8_t *p, size_t n) {
  (void)imsms_wbuf_put_u8(w, (uint8_t)n);
  (void)imsms_wbuf_put_bytes(w, p, n);
}

static void keydata_write(imsms_wbuf *w, const imsms_mikey_keydata *kd,
                          uint8_t next) {
  (void)imsms_wbuf_put_u8(w, next);
  (void)imsms_wbuf_put_u8(w, (uint8_t)(kd->type << 4 | kd->kv));
  (void)imsms_wbuf_put_u16(w, (uint16_t)kd->key_len);
  (void)imsms_wbuf_put_bytes(w, kd->key, kd->key_len);
  if (has_salt(kd->type)) {
    (void)imsms_wbuf_put_u16(w, (uint16_t)kd->salt_len);
    (void)imsms_wbuf_put_bytes(w, kd->salt, kd->salt_len);
  }
  if (kd->kv == IMSMS_MIKEY_KV_SPI) {
    put_var8(w, kd->spi, kd->spi_len);
  } else if (kd->kv == IMSMS_MIKEY_KV_INTERVAL) {
    put_var8(w, kd->valid_from, kd->valid_from_len);
    put_var8(w, kd->valid_to, kd->valid_to_len);
  }
}

/* see imsmediasec/mikey.h */
imsms_ssize imsms_mikey_keydata_encode(uint8_t *out, size_t outcap,
                                       const imsms_mikey_keydata *kd,
                                       size_t nkd) {
  size_t i, total = 0;
  imsms_wbuf w;

  if ((out == NULL && outcap) || (kd == NULL && nkd)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  for (i = 0; i < nkd; i++) {
    imsms_ssize n = keydata_len(&kd[i]);

    if (n < 0) {
      return n;
    }
    total += (size_t)n;
  }
  if (total > 0xffff) {
    return IMSMS_ERR_MIKEY_LENGTH;
  }
  if (out == NULL) {
    return (imsms_ssize)total;
  }
  if (outcap < total) {
    return IMSMS_ERR_NOBUF;
  }
  imsms_wbuf_init(&w, out, outcap);
  for (i = 0; i < nkd; i++) {
    keydata_write(&w, &kd[i], i + 1 < nkd ? IMSMS_MIKEY_PT_KEY_DATA : 0);
  }
  return (imsms_ssize)total;
}

int imsms_mikey_keydata_chain_check(const uint8_t *p, size_t len,
                                    imsms_mikey_keydata *first) {
  imsms_mikey_keydata kd;
  uint8_t next = IMSMS_MIKEY_PT_KEY_DATA;
  size_t off = 0;

  while (next == IMSMS_MIKEY_PT_KEY_DATA && off < len) {
    imsms_ssize n = imsms_mikey_keydata_decode(&kd, &next, p + off, len - off);

    if (n < 0) {
      return IMSMS_ERR_MIKEY_KEY_DATA;
    }
    if (off == 0 && first != NULL) {
      *first = kd;
    }
    off += (size_t)n;
  }
  return off > 0 && next == 0 && off == len ? 0 : IMSMS_ERR_MIKEY_KEY_DATA;
}
