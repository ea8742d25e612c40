/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "kms_test_ue.h"

#include <string.h>

#include "mikey/codec.h"
#include "mikey/labels.h"
#include "mikey/protect.h"

static const uint8_t zero_mac[IMSMS_MAX_DIGEST_LEN];

static uint8_t set_mac(uint8_t prf_func) {
  return prf_func == IMSMS_MIKEY_PRF_HMAC_SHA256
             ? IMSMS_MIKEY_MAC_HMAC_SHA256_256
             : IMSMS_MIKEY_MAC_HMAC_SHA1_160;
}

static uint8_t set_encr(uint8_t prf_func) {
  return prf_func == IMSMS_MIKEY_PRF_HMAC_SHA256 ? IMSMS_MIKEY_ENCR_AES_CM_256
                                                 : IMSMS_MIKEY_ENCR_AES_CM_128;
}

static uint8_t v_alg(const kms_ue *ue) {
  return ue->mac_alg ? ue->mac_alg : set_mac(ue->prf_func);
}

/* Message keys from the PSK (RFC 6043 5.1.2): |resolve| picks RANDRr. */
static int ue_keys(const kms_ue *ue, int response, int resolve,
                   const kms_ue_init *init, uint8_t mac_alg,
                   imsms_mikey_msgkeys *k) {
  imsms_prf prf;
  int rv;

  imsms_prf_init(&prf, ue->ctx);
  rv = imsms_prf_setkey(&prf, ue->prf_func, ue->psk, ue->psklen);
  if (rv == 0) {
    rv = imsms_mikey_msgkeys_6043(
        &prf, set_encr(ue->prf_func), mac_alg, ue->csb_id, response,
        resolve ? NULL : init->rand, resolve ? 0 : init->rand_len,
        resolve ? init->rand : NULL, resolve ? init->rand_len : 0, k);
  }
  imsms_prf_free(&prf);
  return rv;
}

static void idr(imsms_mikey_payload *pl, uint8_t role, const imsms_id *id) {
  memset(pl, 0, sizeof(*pl));
  pl->type = IMSMS_MIKEY_PT_IDR;
  pl->u.idr.role = role;
  pl->u.idr.id_type = id->type;
  pl->u.idr.data = id->data;
  pl->u.idr.len = id->len;
}

/*
 * HDR, T, RANDR, [IDR peer], [IDRkms], <body bytes>, [IDRpsk], V with
 * the MAC over the message || Identity_peer || Identity_kms. The body is
 * a raw payload (next byte first) spliced in as given.
 */
static int build_init(const kms_ue *ue, uint8_t data_type, int resolve,
                      uint8_t body_type, const uint8_t *body, size_t bodylen,
                      imsms_tstamp t, kms_ue_init *init) {
  imsms_mikey_payload pls[4], tail[2];
  imsms_mikey_msgkeys k;
  const imsms_id *mk = ue->kms.len ? &ue->kms : &ue->mac_kms;
  imsms_mikey_hdr hdr;
  imsms_iov iov[3];
  uint8_t mac_alg = v_alg(ue);
  size_t n = 0, nt = 0, head, maclen = (size_t)imsms_mikey_mac_len(mac_alg);
  imsms_ssize len, last, tl;
  int rv;

  memset(&hdr, 0, sizeof(hdr));
  hdr.version = 1;
  hdr.data_type = data_type;
  hdr.v = 1;
  hdr.prf_func = ue->prf_func;
  hdr.csb_id = ue->csb_id;
  hdr.map_type = IMSMS_MIKEY_MAP_EMPTY;
  init->rand_len = ue->prf_func == IMSMS_MIKEY_PRF_HMAC_SHA256 ? 32 : 16;
  if ((rv = imsms_random(ue->ctx, init->rand, init->rand_len)) != 0) {
    return rv;
  }
  memset(pls, 0, sizeof(pls));
  pls[n].type = IMSMS_MIKEY_PT_T;
  pls[n].u.t.ts_type = IMSMS_MIKEY_TS_NTP_UTC;
  pls[n++].u.t.value = t;
  pls[n].type = IMSMS_MIKEY_PT_RANDR;
  pls[n].u.randr.role = resolve ? IMSMS_MIKEY_RANDR_R : IMSMS_MIKEY_RANDR_I;
  pls[n].u.randr.rand = init->rand;
  pls[n++].u.randr.len = init->rand_len;
  if (ue->id.len) {
    idr(&pls[n++], resolve ? IMSMS_MIKEY_IDR_R : IMSMS_MIKEY_IDR_I, &ue->id);
  }
  if (ue->kms.len) {
    idr(&pls[n++], IMSMS_MIKEY_IDR_KMS, &ue->kms);
  }
  len = imsms_mikey_encode(init->msg, sizeof(init->msg), &hdr, pls, n);
  last = imsms_mikey_encoded_len(&hdr, pls, n - 1);
  if (len < 0 || last < 0) {
    return len < 0 ? (int)len : (int)last;
  }
  head = (size_t)len;
  if (bodylen == 0 || sizeof(init->msg) - head < bodylen) {
    return IMSMS_ERR_NOBUF;
  }
  init->msg[last] = body_type;
  memcpy(init->msg + head, body, bodylen);
  if (ue->idrpsk.len) {
    idr(&tail[nt++], IMSMS_MIKEY_IDR_PSK, &ue->idrpsk);
  }
  memset(&tail[nt], 0, sizeof(tail[nt]));
  tail[nt].type = IMSMS_MIKEY_PT_V;
  tail[nt].u.v.alg = mac_alg;
  tail[nt].u.v.mac = zero_mac;
  tail[nt++].u.v.len = maclen;
  init->msg[head] = tail[0].type;
  head += bodylen;
  tl = imsms_mikey_chain_encode(init->msg + head, sizeof(init->msg) - head,
                                tail, nt);
  if (tl < 0) {
    return (int)tl;
  }
  init->len = head + (size_t)tl;
  if ((rv = ue_keys(ue, 0, resolve, init, mac_alg, &k)) != 0) {
    return rv;
  }
  iov[0].base = init->msg;
  iov[0].len = init->len - maclen;
  iov[1].base = ue->id.data;
  iov[1].len = ue->id.len;
  iov[2].base = mk->data;
  iov[2].len = mk->len;
  rv = imsms_mikey_mac(ue->ctx, mac_alg, k.auth, k.auth_len, iov, 3,
                       init->msg + init->len - maclen);
  imsms_mikey_msgkeys_clear(&k);
  return rv;
}

int kms_ue_request_init(const kms_ue *ue, const imsms_tp *tp, imsms_tstamp t,
                        kms_ue_init *init) {
  uint8_t tpdata[4096], body[4200];
  imsms_mikey_payload pl;
  imsms_ssize n, blen;
  int rv;

  n = imsms_tp_data_encode(tp, 1, tpdata, sizeof(tpdata));
  if (n < 0) {
    return (int)n;
  }
  if ((rv = imsms_tp_payload(&pl, IMSMS_MIKEY_PT_TP, tp, tpdata,
                             (size_t)n)) != 0) {
    return rv;
  }
  if (ue->force_tp_flags) {
    pl.u.ticket.flags = ue->tp_flags;
  }
  blen = imsms_mikey_chain_encode(body, sizeof(body), &pl, 1);
  if (blen < 0) {
    return (int)blen;
  }
  return build_init(ue, IMSMS_MIKEY_REQUEST_INIT_PSK, 0, IMSMS_MIKEY_PT_TP,
                    body, (size_t)blen, t, init);
}

int kms_ue_resolve_init(const kms_ue *ue, const uint8_t *ticket, size_t len,
                        imsms_tstamp t, kms_ue_init *init) {
  return build_init(ue, IMSMS_MIKEY_RESOLVE_INIT_PSK, 1,
                    IMSMS_MIKEY_PT_TICKET, ticket, len, t, init);
}

static void copy_key(kms_ue_key *dst, const imsms_mikey_keydata *kd) {
  memset(dst, 0, sizeof(*dst));
  dst->type = kd->type;
  dst->key_len = kd->key_len < KMS_UE_MAX_KEY ? kd->key_len : KMS_UE_MAX_KEY;
  memcpy(dst->key, kd->key, dst->key_len);
  dst->salt_len = kd->salt_len < KMS_UE_MAX_KEY ? kd->salt_len
                                                : KMS_UE_MAX_KEY;
  if (dst->salt_len) {
    memcpy(dst->salt, kd->salt, dst->salt_len);
  }
  dst->spi_len = kd->spi_len < sizeof(dst->spi) ? kd->spi_len
                                                : sizeof(dst->spi);
  if (dst->spi_len) {
    memcpy(dst->spi, kd->spi, dst->spi_len);
  }
}

/* MPKi, [MPKr or MPKr'], keys from the decrypted KEMAC. */
static int take_keys(const uint8_t *p, size_t len, int with_mpkr,
                     kms_ue_result *res) {
  imsms_mikey_keydata kd;
  uint8_t next = IMSMS_MIKEY_PT_KEY_DATA;
  size_t off = 0, i = 0;

  while (next == IMSMS_MIKEY_PT_KEY_DATA && off < len) {
    imsms_ssize n = imsms_mikey_keydata_decode(&kd, &next, p + off, len - off);

    if (n < 0) {
      return (int)n;
    }
    off += (size_t)n;
    if (i == 0 || (i == 1 && with_mpkr)) {
      if (kd.type != IMSMS_MIKEY_KEY_MPK || kd.kv != IMSMS_MIKEY_KV_SPI) {
        return IMSMS_ERR_MIKEY_KEY_DATA;
      }
      copy_key(i == 0 ? &res->mpki : &res->mpkr, &kd);
    } else {
      if (res->nkeys == KMS_UE_MAX_KEYS) {
        return IMSMS_ERR_MIKEY_TOO_MANY;
      }
      copy_key(&res->keys[res->nkeys++], &kd);
    }
    i++;
  }
  return next == 0 && off == len && i > (size_t)with_mpkr
             ? 0
             : IMSMS_ERR_MIKEY_KEY_DATA;
}

/* An Error message: its ERR number and its V under the initial key. */
static int peer_error(const kms_ue *ue, int resolve, const kms_ue_init *init,
                      const imsms_mikey_msg *msg,
                      const imsms_mikey_payload *pl, size_t n,
                      kms_ue_result *res) {
  imsms_mikey_msgkeys k;
  imsms_iov iov;
  size_t i;

  for (i = 0; i < n; i++) {
    if (pl[i].type == IMSMS_MIKEY_PT_ERR && res->error_no < 0) {
      res->error_no = pl[i].u.err.error_no;
    }
    if (pl[i].type == IMSMS_MIKEY_PT_V && i == n - 1 &&
        ue_keys(ue, 0, resolve, init, pl[i].u.v.alg, &k) == 0) {
      iov.base = msg->data;
      iov.len = msg->len - pl[i].u.v.len;
      res->error_v = imsms_mikey_mac_verify(ue->ctx, pl[i].u.v.alg, k.auth,
                                            k.auth_len, &iov, 1,
                                            pl[i].u.v.mac) == 0;
      imsms_mikey_msgkeys_clear(&k);
    }
  }
  return IMSMS_ERR_MIKEY_PEER_ERROR;
}

static int check_resp(const kms_ue *ue, int resolve, const kms_ue_init *init,
                      const uint8_t *resp, size_t len, kms_ue_result *res) {
  imsms_mikey_payload pl[16];
  const imsms_mikey_payload *t = NULL, *kemac = NULL, *v = NULL,
                            *ticket = NULL, *rkms = NULL, *ridr = NULL;
  uint8_t plain[2048];
  imsms_mikey_msgkeys k;
  imsms_mikey_msg msg;
  imsms_iov iov[2];
  size_t i, plen = 0;
  imsms_ssize n;
  int rv;

  memset(res, 0, sizeof(*res));
  res->error_no = -1;
  n = imsms_mikey_decode_all(&msg, pl, 16, resp, len);
  if (n < 0) {
    return (int)n;
  }
  if (msg.hdr.data_type == IMSMS_MIKEY_ERROR) {
    return peer_error(ue, resolve, init, &msg, pl, (size_t)n, res);
  }
  if (msg.hdr.data_type != (resolve ? IMSMS_MIKEY_RESOLVE_RESP
                                    : IMSMS_MIKEY_REQUEST_RESP) ||
      msg.hdr.csb_id != ue->csb_id || msg.hdr.prf_func != ue->prf_func ||
      msg.hdr.v != 0 || msg.hdr.ncs != 0 ||
      msg.hdr.map_type != IMSMS_MIKEY_MAP_EMPTY) {
    return IMSMS_ERR_MIKEY_UNEXPECTED;
  }
  for (i = 0; i < (size_t)n; i++) {
    switch (pl[i].type) {
    case IMSMS_MIKEY_PT_T:
      t = &pl[i];
      break;
    case IMSMS_MIKEY_PT_KEMAC:
      kemac = &pl[i];
      break;
    case IMSMS_MIKEY_PT_V:
      v = &pl[i];
      break;
    case IMSMS_MIKEY_PT_TICKET:
      ticket = &pl[i];
      break;
    case IMSMS_MIKEY_PT_RANDR:
      rkms = pl[i].u.randr.role == IMSMS_MIKEY_RANDR_KMS ? &pl[i] : rkms;
      break;
    case IMSMS_MIKEY_PT_IDR:
      ridr = pl[i].u.idr.role == IMSMS_MIKEY_IDR_R ? &pl[i] : ridr;
      break;
    default:
      break;
    }
  }
  if (t == NULL || kemac == NULL || v == NULL || v != &pl[n - 1] ||
      (!resolve && ticket == NULL) ||
      kemac->u.kemac.encr_alg != set_encr(ue->prf_func) ||
      kemac->u.kemac.mac_alg != IMSMS_MIKEY_MAC_NULL ||
      v->u.v.alg != set_mac(ue->prf_func)) {
    return IMSMS_ERR_MIKEY_MISSING;
  }
  if ((rv = ue_keys(ue, 1, resolve, init, v->u.v.alg, &k)) != 0) {
    return rv;
  }
  iov[0].base = resp;
  iov[0].len = len - v->u.v.len;
  iov[1].base = init->msg;
  iov[1].len = init->len;
  rv = imsms_mikey_mac_verify(ue->ctx, v->u.v.alg, k.auth, k.auth_len, iov, 2,
                              v->u.v.mac);
  if (rv == 0) {
    rv = imsms_mikey_kemac_crypt(ue->ctx, 0, kemac->u.kemac.encr_alg, &k,
                                 msg.hdr.csb_id, t->u.t.value,
                                 kemac->u.kemac.encr_data,
                                 kemac->u.kemac.encr_len, plain,
                                 sizeof(plain), &plen);
  }
  imsms_mikey_msgkeys_clear(&k);
  res->t = t->u.t.value;
  if (rv == 0 && ticket != NULL) {
    res->ticket_flags = ticket->u.ticket.flags;
    res->ticket_len = ticket->rawlen;
    memcpy(res->ticket, ticket->raw, ticket->rawlen);
  }
  if (rv == 0 && ridr != NULL && ridr->u.idr.len <= sizeof(res->idrr_buf)) {
    memcpy(res->idrr_buf, ridr->u.idr.data, ridr->u.idr.len);
    res->idrr.type = ridr->u.idr.id_type;
    res->idrr.data = res->idrr_buf;
    res->idrr.len = ridr->u.idr.len;
  }
  if (rv == 0 && rkms != NULL) {
    res->randrkms_len = rkms->u.randr.len;
    memcpy(res->randrkms, rkms->u.randr.rand, rkms->u.randr.len);
  }
  if (rv == 0) {
    rv = take_keys(plain, plen,
                   resolve ? rkms != NULL
                           : (ticket->u.ticket.flags & IMSMS_TP_I) != 0,
                   res);
  }
  imsms_secure_clear(plain, sizeof(plain));
  return rv;
}

/*
 * What an Initiator adds to a forking ticket before it sends TRANSFER_INIT
 * (RFC 6043 6.10): Initiator Data = First Payload, Vi, Vr. Vi would be the
 * TRANSFER_INIT's V (the KMS cannot check it, so any value of the right
 * length does here); Vr is the MAC over the Initiator Data but its own MAC
 * value, under the auth key from the unforked MPKr.
 */
static int add_initiator_data(const kms_ue *ue, kms_ue_result *res) {
  static const uint8_t zeros[IMSMS_MAX_DIGEST_LEN];
  uint8_t idata[1 + 2 * (2 + IMSMS_MAX_DIGEST_LEN)], label[16];
  uint8_t key[IMSMS_MAX_DIGEST_LEN], enc[KMS_UE_MSG];
  imsms_mikey_payload v[2], t;
  uint8_t encr, mac;
  imsms_ssize n, ln;
  imsms_iov iov;
  int rv, maclen;

  if ((rv = kms_ue_ticket(res, &t.u.ticket)) != 0 ||
      (rv = imsms_mikey_algs_for_prf(ue->prf_func, &encr, &mac)) != 0) {
    return rv;
  }
  maclen = imsms_mikey_mac_len(mac);
  memset(v, 0, sizeof(v));
  v[0].type = v[1].type = IMSMS_MIKEY_PT_V;
  v[0].u.v.alg = v[1].u.v.alg = mac;
  v[0].u.v.mac = v[1].u.v.mac = zeros;
  v[0].u.v.len = v[1].u.v.len = (size_t)maclen;
  idata[0] = IMSMS_MIKEY_PT_V;
  n = imsms_mikey_chain_encode(idata + 1, sizeof(idata) - 1, v, 2);
  ln = imsms_label_vr_6043(label, sizeof(label));
  if (n < 0 || ln < 0) {
    return n < 0 ? (int)n : (int)ln;
  }
  rv = imsms_mikey_prf(ue->ctx, ue->prf_func, res->mpkr.key,
                       res->mpkr.key_len, label, (size_t)ln, key,
                       (size_t)maclen);
  iov.base = idata;
  iov.len = 1 + (size_t)n - (size_t)maclen;
  if (rv == 0) {
    rv = imsms_mikey_mac(ue->ctx, mac, key, (size_t)maclen, &iov, 1,
                         idata + iov.len);
  }
  imsms_secure_clear(key, sizeof(key));
  t.type = IMSMS_MIKEY_PT_TICKET;
  t.u.ticket.init_data = idata;
  t.u.ticket.init_data_len = 1 + (size_t)n;
  n = rv != 0 ? rv : imsms_mikey_chain_encode(enc, sizeof(enc), &t, 1);
  if (n < 0) {
    return (int)n;
  }
  memcpy(res->ticket, enc, (size_t)n);
  res->ticket_len = (size_t)n;
  return 0;
}

int kms_ue_request_resp(const kms_ue *ue, const kms_ue_init *init,
                        const uint8_t *resp, size_t len, kms_ue_result *res) {
  int rv = check_resp(ue, 0, init, resp, len, res);

  if (rv == 0 && (res->ticket_flags & IMSMS_TP_I) && res->mpkr.key_len &&
      !ue->no_initiator_data) {
    rv = add_initiator_data(ue, res);
  }
  return rv;
}

int kms_ue_resolve_resp(const kms_ue *ue, const kms_ue_init *init,
                        const uint8_t *resp, size_t len, kms_ue_result *res) {
  return check_resp(ue, 1, init, resp, len, res);
}

int kms_ue_ticket(const kms_ue_result *res, imsms_mikey_ticket *t) {
  imsms_mikey_payload pl;
  imsms_mikey_iter it;
  int rv;

  imsms_mikey_chain_init(&it, IMSMS_MIKEY_PT_TICKET, res->ticket,
                         res->ticket_len);
  rv = imsms_mikey_iter_next(&it, &pl);
  if (rv == 0) {
    *t = pl.u.ticket;
  }
  return rv;
}
