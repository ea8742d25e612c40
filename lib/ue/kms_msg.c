/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The UE's side of the exchanges with the KMS (RFC 6043 4.2.1, 4.2.3),
 * PSK variants. Both have the same shape:
 *
 *   REQUEST_INIT_PSK = HDR, T, RANDRi, IDRi, [IDRkms], TP, [IDRpsk], V
 *   RESOLVE_INIT_PSK = HDR, T, RANDRr, IDRr, [IDRkms], TICKET, [IDRpsk], V
 *   REQUEST_RESP     = HDR, T, [IDRkms], TICKET, KEMAC, V
 *   RESOLVE_RESP     = HDR, T, [IDRkms], KEMAC, [IDRr], [RANDRkms], V
 *
 * The initial message: V = 1, #CS 0, Empty map, a fresh CSB ID and RAND
 * (RFC 6043 4.2.1.1), the MAC under the auth key from the PSK (initial
 * label, RANDRi for a Request, RANDRr for a Resolve) over the message ||
 * own identity || IDRkms (empty when no KMS identity is configured: the
 * KMS engine then uses its own, so configure it when the KMS has one).
 * The answer: the response label, the MAC over the answer || the whole
 * initial message, the KEMAC (MAC alg NULL, the set's cipher) decrypted
 * with the IV from the answer's own T and CSB ID.
 */
#include <string.h>

#include "core/ctx.h"
#include "ue/call_int.h"

/* The RAND of the exchange with the KMS, for a label. */
static void kms_rands(const imsms_call *call, int resolve, const uint8_t **ri,
                      size_t *rilen, const uint8_t **rr, size_t *rrlen) {
  *ri = resolve ? NULL : call->kms_rand;
  *rilen = resolve ? 0 : call->kms_rand_len;
  *rr = resolve ? call->kms_rand : NULL;
  *rrlen = resolve ? call->kms_rand_len : 0;
}

static int kms_keys(imsms_call *call, int resolve, int response,
                    imsms_mikey_msgkeys *k) {
  const uint8_t *ri, *rr;
  size_t rilen, rrlen;

  kms_rands(call, resolve, &ri, &rilen, &rr, &rrlen);
  return imsms_ue_msgkeys(call, call->sec->psk, call->sec->psklen,
                          call->kms_csb, response, ri, rilen, rr, rrlen, k);
}

static void init_hdr(imsms_call *call, int resolve, imsms_mikey_hdr *hdr) {
  memset(hdr, 0, sizeof(*hdr));
  hdr->version = 1;
  hdr->data_type =
      resolve ? IMSMS_MIKEY_RESOLVE_INIT_PSK : IMSMS_MIKEY_REQUEST_INIT_PSK;
  hdr->v = 1;
  hdr->prf_func = call->prf;
  hdr->csb_id = call->kms_csb;
  hdr->map_type = IMSMS_MIKEY_MAP_EMPTY;
}

/* see ue/call_int.h */
int imsms_ue_kms_init(imsms_call *call, int resolve,
                      const imsms_mikey_payload *body, imsms_tstamp now,
                      uint8_t *out, size_t *outlen) {
  imsms_mikey_payload pls[7];
  imsms_mikey_msgkeys k;
  imsms_mikey_hdr hdr;
  uint8_t csb[4];
  imsms_iov iov[3];
  size_t n = 0, maclen = imsms_ue_mac_len(call->prf);
  imsms_ssize len;
  int rv;

  call->kms_rand_len = imsms_ue_rand_len(call->sec->psklen);
  if ((rv = imsms_random(call->ctx, csb, sizeof(csb))) != 0 ||
      (rv = imsms_random(call->ctx, call->kms_rand, call->kms_rand_len)) != 0) {
    return rv;
  }
  call->kms_csb = (uint32_t)csb[0] << 24 | (uint32_t)csb[1] << 16 |
                  (uint32_t)csb[2] << 8 | csb[3];
  init_hdr(call, resolve, &hdr);
  imsms_ue_pl_t(&pls[n++], now);
  imsms_ue_pl_randr(&pls[n++],
                    resolve ? IMSMS_MIKEY_RANDR_R : IMSMS_MIKEY_RANDR_I,
                    call->kms_rand, call->kms_rand_len);
  imsms_ue_pl_idr(&pls[n++], resolve ? IMSMS_MIKEY_IDR_R : IMSMS_MIKEY_IDR_I,
                  &call->identity);
  if (call->kms.len) {
    imsms_ue_pl_idr(&pls[n++], IMSMS_MIKEY_IDR_KMS, &call->kms);
  }
  pls[n++] = *body;
  if (call->idrpsk.len) {
    imsms_ue_pl_idr(&pls[n++], IMSMS_MIKEY_IDR_PSK, &call->idrpsk);
  }
  imsms_ue_pl_v(&pls[n++], call->prf);
  len = imsms_mikey_encode(out, call->msgcap, &hdr, pls, n);
  if (len < 0) {
    return (int)len;
  }
  if ((rv = kms_keys(call, resolve, 0, &k)) != 0) {
    return rv;
  }
  /* Message || Identity_i or Identity_r || Identity_kms (RFC 6043 5.5). */
  iov[0].base = out;
  iov[0].len = (size_t)len - maclen;
  iov[1].base = call->identity.data;
  iov[1].len = call->identity.len;
  iov[2].base = call->kms.data;
  iov[2].len = call->kms.len;
  rv = imsms_mikey_mac(call->ctx, pls[n - 1].u.v.alg, k.auth, k.auth_len, iov,
                       3, out + iov[0].len);
  imsms_mikey_msgkeys_clear(&k);
  *outlen = rv == 0 ? (size_t)len : 0;
  return rv;
}

/* An Error message from the KMS: discarded when its V fails, else the end. */
static int kms_error(imsms_call *call, int resolve, const imsms_call_msg *m) {
  imsms_mikey_msgkeys k;
  int rv = kms_keys(call, resolve, 0, &k);

  if (rv == 0) {
    /* Keyed like the failed message (RFC 6043 5.4). */
    rv = imsms_ue_peer_error(call, m, &k, 0);
  }
  imsms_mikey_msgkeys_clear(&k);
  if (rv != 0) {
    return rv;
  }
  return imsms_ue_fail(call,
                       call->peer_error == IMSMS_MIKEY_ERR_AUTH_FAILURE
                           ? IMSMS_ERR_KMS_DENIED
                           : IMSMS_ERR_MIKEY_PEER_ERROR,
                       -1);
}

/* Finds T, KEMAC, TICKET, IDRr and RANDRkms of an answer; V is last. */
static int gather(const imsms_call_msg *m, const imsms_mikey_payload **t,
                  const imsms_mikey_payload **kemac, imsms_ue_kms_answer *ans) {
  const imsms_ue_slot slots[] = {
      {IMSMS_MIKEY_PT_T, -1, t},
      {IMSMS_MIKEY_PT_KEMAC, -1, kemac},
      {IMSMS_MIKEY_PT_TICKET, -1, &ans->ticket},
      {IMSMS_MIKEY_PT_IDR, IMSMS_MIKEY_IDR_R, &ans->idrr},
      {IMSMS_MIKEY_PT_IDR, IMSMS_MIKEY_IDR_I, &ans->idri},
      {IMSMS_MIKEY_PT_RANDR, IMSMS_MIKEY_RANDR_KMS, &ans->randrkms}};
  int dup;

  memset(ans, 0, sizeof(*ans));
  dup = imsms_ue_gather(m, slots, sizeof(slots) / sizeof(slots[0]));
  return dup || *t == NULL || *kemac == NULL || imsms_ue_last_v(m) == NULL
             ? IMSMS_ERR_MIKEY_MISSING
             : 0;
}

/* Structure and algorithms of an answer, before any key is used. */
static int check_answer(const imsms_call *call, int resolve,
                        const imsms_call_msg *m, const imsms_mikey_payload **t,
                        const imsms_mikey_payload **kemac,
                        imsms_ue_kms_answer *ans, imsms_tstamp now) {
  uint8_t encr, mac;
  int rv;

  if (m->msg.hdr.data_type !=
      (resolve ? IMSMS_MIKEY_RESOLVE_RESP : IMSMS_MIKEY_REQUEST_RESP)) {
    return IMSMS_ERR_MIKEY_UNEXPECTED;
  }
  if (m->msg.hdr.prf_func != call->prf) {
    return IMSMS_ERR_MIKEY_PRF;
  }
  if ((rv = gather(m, t, kemac, ans)) != 0) {
    return rv;
  }
  if (!resolve && ans->ticket == NULL) {
    return IMSMS_ERR_MIKEY_MISSING;
  }
  (void)imsms_mikey_algs_for_prf(call->prf, &encr, &mac);
  /* One algorithm set (RFC 6043 12.1); the KEMAC MAC is V's job. */
  if (imsms_ue_last_v(m)->u.v.alg != mac ||
      (*kemac)->u.kemac.mac_alg != IMSMS_MIKEY_MAC_NULL) {
    return IMSMS_ERR_MIKEY_MAC_ALG;
  }
  if ((*kemac)->u.kemac.encr_alg != encr) {
    return IMSMS_ERR_MIKEY_ENCR_ALG;
  }
  return imsms_ue_check_time(*t, now, call->skew_sec);
}

/* see ue/call_int.h */
int imsms_ue_kms_answer_check(imsms_call *call, int resolve,
                              const uint8_t *init, size_t initlen,
                              const uint8_t *in, size_t inlen, imsms_tstamp now,
                              imsms_call_msg *m, imsms_ue_kms_answer *ans) {
  const imsms_mikey_payload *t, *kemac, *v;
  imsms_mikey_msgkeys k;
  imsms_iov iov[2];
  int rv;

  if ((rv = imsms_ue_decode(m, in, inlen)) != 0) {
    return rv;
  }
  if (m->msg.hdr.csb_id != call->kms_csb) {
    return IMSMS_ERR_MIKEY_CSB_ID;
  }
  if (m->msg.hdr.data_type == IMSMS_MIKEY_ERROR) {
    return kms_error(call, resolve, m);
  }
  if ((rv = check_answer(call, resolve, m, &t, &kemac, ans, now)) != 0 ||
      (rv = kms_keys(call, resolve, 1, &k)) != 0) {
    return rv;
  }
  v = imsms_ue_last_v(m);
  iov[0].base = in;
  iov[0].len = inlen - v->u.v.len;
  iov[1].base = init;
  iov[1].len = initlen;
  rv = imsms_mikey_mac_verify(call->ctx, v->u.v.alg, k.auth, k.auth_len, iov, 2,
                              v->u.v.mac);
  if (rv == 0) {
    rv = imsms_mikey_kemac_crypt(
        call->ctx, 0, kemac->u.kemac.encr_alg, &k, call->kms_csb, t->u.t.value,
        kemac->u.kemac.encr_data, kemac->u.kemac.encr_len, call->sec->plain,
        sizeof(call->sec->plain), &ans->plain_len);
  }
  imsms_mikey_msgkeys_clear(&k);
  return rv;
}

/* see ue/call_int.h */
int imsms_ue_store_key(imsms_call_key *dst, const imsms_mikey_keydata *kd) {
  if (kd->key_len == 0 || kd->key_len > IMSMS_CALL_MAX_KEY ||
      kd->salt_len > IMSMS_CALL_MAX_KEY ||
      (kd->kv == IMSMS_MIKEY_KV_SPI && kd->spi_len > IMSMS_CALL_MAX_SPI)) {
    return IMSMS_ERR_MIKEY_KEY_DATA;
  }
  dst->type = kd->type;
  memcpy(dst->key, kd->key, kd->key_len);
  dst->key_len = kd->key_len;
  if (kd->salt_len) {
    memcpy(dst->salt, kd->salt, kd->salt_len);
  }
  dst->salt_len = kd->salt_len;
  dst->spi_len = kd->kv == IMSMS_MIKEY_KV_SPI ? kd->spi_len : 0;
  if (dst->spi_len) {
    memcpy(dst->spi, kd->spi, dst->spi_len);
  }
  return 0;
}

static int session_key_type(uint8_t type) {
  return type <= IMSMS_MIKEY_KEY_GTGK_SALT;
}

/* see ue/call_int.h */
int imsms_ue_take_keys(imsms_call *call, size_t len, int with_mpkr) {
  imsms_call_secrets *sec = call->sec;
  uint8_t next = IMSMS_MIKEY_PT_KEY_DATA;
  size_t off = 0, i = 0;
  imsms_mikey_keydata kd;
  int rv = 0;

  sec->nkeys = 0;
  while (rv == 0 && next == IMSMS_MIKEY_PT_KEY_DATA && off < len) {
    imsms_ssize n =
        imsms_mikey_keydata_decode(&kd, &next, sec->plain + off, len - off);

    if (n < 0) {
      rv = (int)n;
      break;
    }
    off += (size_t)n;
    if (i == 0 || (i == 1 && with_mpkr)) {
      rv = kd.type == IMSMS_MIKEY_KEY_MPK
               ? imsms_ue_store_key(i == 0 ? &sec->mpki : &sec->mpkr, &kd)
               : IMSMS_ERR_MIKEY_KEY_DATA;
    } else if (sec->nkeys == IMSMS_CALL_MAX_KEYS) {
      rv = IMSMS_ERR_MIKEY_TOO_MANY;
    } else {
      rv = session_key_type(kd.type) ? imsms_ue_store_key(&sec->keys[sec->nkeys++], &kd)
                                     : IMSMS_ERR_MIKEY_KEY_DATA;
    }
    i++;
  }
  imsms_secure_clear(sec->plain, sizeof(sec->plain));
  if (rv == 0 && (next != 0 || off != len || sec->nkeys == 0)) {
    rv = IMSMS_ERR_MIKEY_KEY_DATA;
  }
  return rv;
}
