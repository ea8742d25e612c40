/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Session keys that travel between the UEs (RFC 6043 4.2.2, 5.2): the
 * KEMAC of TRANSFER_INIT (flag L), TRANSFER_RESP (flag M) and CSB
 * updates. NULL MAC (V covers the message), encryption under the
 * message's keys with the IV from the CSB ID and the message's T. Keys
 * that a UE supplied are never forked.
 */
#include <string.h>

#include "ue/call_int.h"

/* see ue/call_int.h */
int imsms_ue_install_own(imsms_call *call, size_t own, size_t *idx) {
  const imsms_call_key *k = &call->sec->own[own - 1];
  int found = imsms_ue_find_key(call, k->spi, k->spi_len);

  if (found >= 0 && call->sec->keys[found].own) {
    *idx = (size_t)found;
    return 0;
  }
  if (found >= 0) {
    return IMSMS_ERR_MIKEY_KEY_DATA; /* the ticket or the peer uses it */
  }
  if (call->sec->nkeys == IMSMS_CALL_MAX_KEYS) {
    return IMSMS_ERR_TOO_LARGE;
  }
  *idx = call->sec->nkeys++;
  call->sec->keys[*idx] = *k;
  return 0;
}

static void key_data(imsms_mikey_keydata *kd, const imsms_call_key *k) {
  memset(kd, 0, sizeof(*kd));
  kd->type = k->type;
  kd->kv = IMSMS_MIKEY_KV_SPI;
  kd->key = k->key;
  kd->key_len = k->key_len;
  kd->salt = k->salt_len ? k->salt : NULL;
  kd->salt_len = k->salt_len;
  kd->spi = k->spi;
  kd->spi_len = k->spi_len;
}

/* see ue/call_int.h */
int imsms_ue_kemac_build(imsms_call *call, const imsms_call_key *const *keys,
                         size_t n, const imsms_mikey_msgkeys *k,
                         imsms_tstamp t, imsms_mikey_payload *pl, uint8_t *buf,
                         size_t cap) {
  imsms_mikey_keydata kd[IMSMS_CALL_MAX_OWN_KEYS + 1];
  uint8_t encr, mac;
  size_t i, len = 0;
  imsms_ssize plen;
  int rv;

  if (n > IMSMS_CALL_MAX_OWN_KEYS + 1) {
    return IMSMS_ERR_TOO_LARGE;
  }
  (void)imsms_mikey_algs_for_prf(call->prf, &encr, &mac);
  for (i = 0; i < n; i++) {
    key_data(&kd[i], keys[i]);
  }
  plen = imsms_mikey_keydata_encode(call->sec->plain, sizeof(call->sec->plain),
                                    kd, n);
  rv = plen < 0 ? (int)plen
                : imsms_mikey_kemac_crypt(call->ctx, 1, encr, k, call->csb, t,
                                          call->sec->plain, (size_t)plen, buf,
                                          cap, &len);
  imsms_secure_clear(call->sec->plain, sizeof(call->sec->plain));
  imsms_secure_clear(kd, sizeof(kd));
  memset(pl, 0, sizeof(*pl));
  pl->type = IMSMS_MIKEY_PT_KEMAC;
  pl->u.kemac.encr_alg = encr;
  pl->u.kemac.encr_data = buf;
  pl->u.kemac.encr_len = len;
  pl->u.kemac.mac_alg = IMSMS_MIKEY_MAC_NULL;
  return rv;
}

static int usable(const imsms_call *call, const imsms_mikey_keydata *kd) {
  return (kd->type == IMSMS_MIKEY_KEY_TEK ||
          kd->type == IMSMS_MIKEY_KEY_TEK_SALT ||
          kd->type == IMSMS_MIKEY_KEY_TGK ||
          kd->type == IMSMS_MIKEY_KEY_TGK_SALT) &&
         kd->kv == IMSMS_MIKEY_KV_SPI && kd->spi_len != 0 &&
         kd->spi_len <= IMSMS_CALL_MAX_SPI && kd->key_len >= 16 &&
         kd->key_len <= IMSMS_CALL_MAX_KEY &&
         kd->salt_len <= IMSMS_CALL_MAX_KEY &&
         imsms_ue_find_key(call, kd->spi, kd->spi_len) < 0;
}

/* see ue/call_int.h */
int imsms_ue_kemac_take(imsms_call *call, const imsms_mikey_payload *kemac,
                        const imsms_mikey_msgkeys *k, imsms_tstamp t) {
  const imsms_mikey_kemac *km = &kemac->u.kemac;
  size_t len = 0, off = 0, first = call->sec->nkeys;
  uint8_t next = IMSMS_MIKEY_PT_KEY_DATA;
  imsms_mikey_keydata kd;
  uint8_t encr, mac;
  imsms_ssize n;
  int rv;


  /* The call's algorithm set (RFC 6043 12.1): never NULL encryption. */
  (void)imsms_mikey_algs_for_prf(call->prf, &encr, &mac);
  if (km->mac_alg != IMSMS_MIKEY_MAC_NULL) {
    return IMSMS_ERR_MIKEY_MAC_ALG;
  }
  if (km->encr_alg != encr) {
    return IMSMS_ERR_MIKEY_ENCR_ALG;
  }
  rv = imsms_mikey_kemac_crypt(call->ctx, 0, km->encr_alg, k, call->csb, t,
                               km->encr_data, km->encr_len, call->sec->plain,
                               sizeof(call->sec->plain), &len);
  while (rv == 0 && next == IMSMS_MIKEY_PT_KEY_DATA && off < len) {
    imsms_call_key *dst;

    n = imsms_mikey_keydata_decode(&kd, &next, call->sec->plain + off,
                                   len - off);
    if (n <= 0 || !usable(call, &kd)) {
      rv = n < 0 ? (int)n : IMSMS_ERR_MIKEY_KEY_DATA;
      break;
    }
    if (call->sec->nkeys == IMSMS_CALL_MAX_KEYS) {
      rv = IMSMS_ERR_TOO_LARGE;
      break;
    }
    off += (size_t)n;
    dst = &call->sec->keys[call->sec->nkeys++];
    memset(dst, 0, sizeof(*dst));
    if ((rv = imsms_ue_store_key(dst, &kd)) != 0) {
      break;
    }
    dst->no_fork = 1;
  }
  if (rv == 0 && (next != 0 || off != len || off == 0)) {
    rv = IMSMS_ERR_MIKEY_KEY_DATA;
  }
  imsms_secure_clear(call->sec->plain, sizeof(call->sec->plain));
  if (rv != 0) {
    imsms_secure_clear(&call->sec->keys[first],
                       (call->sec->nkeys - first) * sizeof(imsms_call_key));
    call->sec->nkeys = first;
  }
  return rv;
}
