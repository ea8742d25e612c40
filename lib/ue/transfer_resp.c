/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * TRANSFER_RESP = HDR, T, [RANDRr], [IDRr], [RANDRkms], {SP}, [KEMAC], V
 * (RFC 6043 4.2.2.3, 4.2.2.4).
 *
 * Responder: HDR with version, PRF and CSB ID of TRANSFER_INIT, V 0, the
 * GENERIC-ID map with one policy per session and the Session Data and SPI
 * filled in; a fresh T; RANDRr when G; IDRr and RANDRkms copied from
 * RESOLVE_RESP; no SP (the answer refers to the offer's); a KEMAC of the
 * keys this Responder supplies, with M (kemac.c);
 * V under the auth key from MPKi, or MPKr' when forking (response label,
 * RANDRi and, with G, RANDRr) over TRANSFER_RESP || TRANSFER_INIT.
 *
 * Initiator: an Error message (V keyed like TRANSFER_INIT, when present)
 * ends the call; TRANSFER_RESP has its structure and time checked, then
 * its MAC under MPKi or under MPKr' forked from MPKr with the IDRr and
 * RANDRkms it carries (RFC 6043 5.1.1); until then every failure only
 * discards the message. Then its sessions, and the keys.
 */
#include <string.h>

#include "ue/call_int.h"

#define MAP_MAX                                                                \
  (IMSMS_CALL_MAX_SESSIONS *                                                   \
   (6 + IMSMS_CALL_MAX_SUITES + 10 + IMSMS_CALL_MAX_SPI))

/* The keys protecting TRANSFER_RESP: response label, RANDRr with G. */
static int resp_keys(imsms_call *call, const uint8_t *key, size_t keylen,
                     const uint8_t *rr, size_t rrlen,
                     imsms_mikey_msgkeys *k) {
  int g = (call->flags & IMSMS_TP_G) != 0;

  return imsms_ue_msgkeys(call, key, keylen, call->csb, 1, call->randri,
                          call->randri_len, g ? rr : NULL, g ? rrlen : 0, k);
}

/* The KEMAC of the keys this Responder supplies (flag M), or none. */
static int own_kemac(imsms_call *call, const imsms_mikey_msgkeys *k,
                     imsms_tstamp now, imsms_mikey_payload *pl, uint8_t *buf,
                     size_t cap) {
  const imsms_call_key *keys[IMSMS_CALL_MAX_SESSIONS];
  size_t i, j, n = 0;
  int rv;

  for (i = 0; i < call->ncs; i++) {
    const imsms_call_key *key = &call->sec->keys[call->cs[i].key];

    if (!call->cs[i].own) {
      continue;
    }
    for (j = 0; j < n && keys[j] != key; j++) {
    }
    if (j == n) {
      keys[n++] = key;
    }
  }
  if (n == 0) {
    return 0;
  }
  rv = imsms_ue_kemac_build(call, keys, n, k, now, pl, buf, cap);
  return rv == 0 ? 1 : rv;
}

/* see ue/call_int.h */
int imsms_ue_transfer_resp_send(imsms_call *call,
                                const imsms_mikey_payload *idrr,
                                const imsms_mikey_payload *randrkms,
                                imsms_tstamp now) {
  imsms_mikey_payload pls[6];
  uint8_t map[MAP_MAX], sd[IMSMS_CALL_MAX_SESSIONS * 10], kbuf[1024];
  const imsms_call_key *key =
      (call->flags & IMSMS_TP_I) ? &call->sec->mpkr : &call->sec->mpki;
  imsms_mikey_msgkeys k;
  imsms_mikey_hdr hdr;
  imsms_iov iov[2];
  imsms_ssize maplen, len;
  size_t n = 0;
  int rv, kemac;

  if ((maplen = imsms_ue_map(call, 1, sd, map, sizeof(map))) < 0) {
    return (int)maplen;
  }
  if ((rv = resp_keys(call, key->key, key->key_len, call->randrr,
                       call->randrr_len, &k)) != 0) {
    return rv;
  }
  memset(&hdr, 0, sizeof(hdr));
  hdr.version = 1;
  hdr.data_type = IMSMS_MIKEY_TRANSFER_RESP;
  hdr.prf_func = call->prf;
  hdr.csb_id = call->csb;
  hdr.ncs = (uint8_t)call->ncs;
  hdr.map_type = IMSMS_MIKEY_MAP_GENERIC_ID;
  hdr.map_info = map;
  hdr.map_info_len = (size_t)maplen;
  imsms_ue_pl_t(&pls[n++], now);
  if (call->flags & IMSMS_TP_G) {
    imsms_ue_pl_randr(&pls[n++], IMSMS_MIKEY_RANDR_R, call->randrr,
                      call->randrr_len);
  }
  if (idrr) {
    pls[n++] = *idrr;
  }
  if (randrkms) {
    pls[n++] = *randrkms;
  }
  if ((kemac = own_kemac(call, &k, now, &pls[n], kbuf, sizeof(kbuf))) < 0) {
    imsms_mikey_msgkeys_clear(&k);
    return kemac;
  }
  n += (size_t)kemac;
  imsms_ue_pl_v(&pls[n++], call->prf);
  len = imsms_mikey_encode(call->b, call->msgcap, &hdr, pls, n);
  imsms_secure_clear(kbuf, sizeof(kbuf));
  if (len < 0) {
    imsms_mikey_msgkeys_clear(&k);
    return (int)len;
  }
  call->blen = (size_t)len;
  iov[0].base = call->b;
  iov[0].len = call->blen - pls[n - 1].u.v.len;
  iov[1].base = call->a;
  iov[1].len = call->alen;
  rv = imsms_mikey_mac(call->ctx, pls[n - 1].u.v.alg, k.auth, k.auth_len, iov,
                       2, call->b + iov[0].len);
  imsms_mikey_msgkeys_clear(&k);
  if (rv != 0) {
    return rv;
  }
  /* CSB updates must be newer than every T of the call (update.c). */
  call->upd_t = now > call->upd_t ? now : call->upd_t;
  return imsms_ue_send(call, 0, call->b, call->blen);
}

/* ---- Initiator ---------------------------------------------------------- */

typedef struct tr_parts {
  const imsms_mikey_payload *t, *randrr, *idrr, *randrkms, *kemac, *v;
} tr_parts;

static int tr_gather(const imsms_call_msg *m, tr_parts *p) {
  const imsms_ue_slot slots[] = {
      {IMSMS_MIKEY_PT_T, -1, &p->t},
      {IMSMS_MIKEY_PT_RANDR, IMSMS_MIKEY_RANDR_R, &p->randrr},
      {IMSMS_MIKEY_PT_RANDR, IMSMS_MIKEY_RANDR_KMS, &p->randrkms},
      {IMSMS_MIKEY_PT_IDR, IMSMS_MIKEY_IDR_R, &p->idrr},
      {IMSMS_MIKEY_PT_KEMAC, -1, &p->kemac}};
  int dup = imsms_ue_gather(m, slots, sizeof(slots) / sizeof(slots[0]));

  p->v = imsms_ue_last_v(m);
  return dup || p->t == NULL || p->v == NULL ? IMSMS_ERR_MIKEY_MISSING : 0;
}

/* Everything checkable before the MAC. */
static int check_structure(const imsms_call *call, const imsms_call_msg *m,
                           const tr_parts *p, imsms_tstamp now) {
  uint8_t encr, mac;

  if (m->msg.hdr.prf_func != call->prf) {
    return IMSMS_ERR_MIKEY_PRF;
  }
  (void)imsms_mikey_algs_for_prf(call->prf, &encr, &mac);
  if (p->v->u.v.alg != mac) {
    return IMSMS_ERR_MIKEY_MAC_ALG;
  }
  if (((call->flags & IMSMS_TP_G) && p->randrr == NULL) ||
      ((call->flags & IMSMS_TP_I) &&
       (p->idrr == NULL || p->randrkms == NULL))) {
    return IMSMS_ERR_MIKEY_MISSING;
  }
  if (p->randrr && p->randrr->u.randr.len == 0) {
    return IMSMS_ERR_MIKEY_LENGTH;
  }
  return imsms_ue_check_time(p->t, now, call->skew_sec);
}

/*
 * The MAC, under MPKi or the MPKr' of the IDRr and RANDRkms carried; the
 * message keys stay in |k| for the KEMAC (the caller clears them).
 */
static int check_mac(imsms_call *call, const uint8_t *in, size_t inlen,
                     const tr_parts *p, imsms_mikey_msgkeys *kout) {
  const imsms_call_key *key = &call->sec->mpki;
  uint8_t forked[IMSMS_CALL_MAX_KEY];
  imsms_mikey_msgkeys k;
  imsms_iov iov[2];
  int rv = 0;

  memset(&k, 0, sizeof(k));
  if (call->flags & IMSMS_TP_I) {
    key = &call->sec->mpkr;
    rv = imsms_key_fork(call->ctx, call->prf, IMSMS_FORK_MPKR, key->key,
                        key->key_len, p->idrr->u.idr.data, p->idrr->u.idr.len,
                        p->randrkms->u.randr.rand, p->randrkms->u.randr.len,
                        forked);
  }
  /* RANDRr is taken from the message only once its MAC verifies. */
  if (rv == 0) {
    rv = resp_keys(call, (call->flags & IMSMS_TP_I) ? forked : key->key,
                   key->key_len, p->randrr ? p->randrr->u.randr.rand : NULL,
                   p->randrr ? p->randrr->u.randr.len : 0, &k);
  }
  if (rv == 0) {
    iov[0].base = in;
    iov[0].len = inlen - p->v->u.v.len;
    iov[1].base = call->a;
    iov[1].len = call->alen;
    rv = imsms_mikey_mac_verify(call->ctx, p->v->u.v.alg, k.auth, k.auth_len,
                                iov, 2, p->v->u.v.mac);
  }
  if (rv == 0 && p->randrr && (call->flags & IMSMS_TP_G)) {
    call->randrr_len = p->randrr->u.randr.len;
    memcpy(call->randrr, p->randrr->u.randr.rand, call->randrr_len);
  }
  /* MPKr' protects later CSB updates (RFC 6043 5.2). */
  if (rv == 0 && (call->flags & IMSMS_TP_I)) {
    call->sec->mpkr_fork = *key;
    memcpy(call->sec->mpkr_fork.key, forked, key->key_len);
  }
  imsms_secure_clear(forked, sizeof(forked));
  if (rv == 0) {
    *kout = k;
  }
  imsms_mikey_msgkeys_clear(&k);
  return rv;
}

/* An Error message answering TRANSFER_INIT. */
static int peer_error(imsms_call *call, const imsms_call_msg *m) {
  imsms_mikey_msgkeys k;
  int rv = imsms_ue_msgkeys(call, call->sec->mpki.key, call->sec->mpki.key_len,
                            call->csb, 0, call->randri, call->randri_len, NULL,
                            0, &k);

  if (rv == 0) {
    rv = imsms_ue_peer_error(call, m, &k, 1);
  }
  imsms_mikey_msgkeys_clear(&k);
  return rv ? rv : imsms_ue_fail(call, IMSMS_ERR_MIKEY_PEER_ERROR, -1);
}

/*
 * The KMS-vouched IDRr, kept in |b| (free on this side). Only forking
 * binds it (MPKr' is derived from it); without forking any resolver of
 * the ticket could have written it, so it is not reported.
 */
static void keep_peer(imsms_call *call, const tr_parts *p) {
  if (!(call->flags & IMSMS_TP_I) || p->idrr == NULL ||
      p->idrr->u.idr.len == 0 || p->idrr->u.idr.len > call->msgcap) {
    return;
  }
  memcpy(call->b, p->idrr->u.idr.data, p->idrr->u.idr.len);
  call->peer_id.type = p->idrr->u.idr.id_type;
  call->peer_id.data = call->b;
  call->peer_id.len = p->idrr->u.idr.len;
}

/* see ue/call_int.h */
int imsms_ue_transfer_resp_recv(imsms_call *call, const uint8_t *in,
                                size_t inlen, imsms_tstamp now) {
  imsms_mikey_msgkeys k;
  imsms_call_msg m;
  imsms_id idrr;
  tr_parts p;
  int rv;

  if ((rv = imsms_ue_decode(&m, in, inlen)) != 0) {
    return rv;
  }
  if (m.msg.hdr.csb_id != call->csb) {
    return IMSMS_ERR_MIKEY_CSB_ID;
  }
  if (m.msg.hdr.data_type == IMSMS_MIKEY_ERROR) {
    return peer_error(call, &m);
  }
  if (m.msg.hdr.data_type != IMSMS_MIKEY_TRANSFER_RESP) {
    return IMSMS_ERR_MIKEY_UNEXPECTED;
  }
  memset(&k, 0, sizeof(k));
  if ((rv = tr_gather(&m, &p)) != 0 ||
      (rv = check_structure(call, &m, &p, now)) != 0 ||
      (rv = check_mac(call, in, inlen, &p, &k)) != 0) {
    imsms_mikey_msgkeys_clear(&k);
    return rv;
  }
  /* Authenticated: from here on a refusal ends the call. Keys the
   * Responder supplies need M. */
  rv = p.kemac == NULL                  ? 0
       : !(call->flags & IMSMS_TP_M)    ? IMSMS_ERR_MIKEY_TP
                                        : imsms_ue_kemac_take(call, p.kemac, &k,
                                                              p.t->u.t.value);
  imsms_mikey_msgkeys_clear(&k);
  if (rv != 0) {
    return imsms_ue_fail(call, rv, -1);
  }
  if ((rv = imsms_ue_check_answer_map(call, &m.msg.hdr)) != 0) {
    return imsms_ue_fail(call, rv, -1);
  }
  keep_peer(call, &p);
  if (p.t->u.t.value > call->upd_t) {
    call->upd_t = p.t->u.t.value;
  }
  if (call->flags & IMSMS_TP_I) {
    imsms_ue_take_id(&idrr, &p.idrr->u.idr);
    rv = imsms_ue_keys_ready(call, &idrr, p.randrkms->u.randr.rand,
                             p.randrkms->u.randr.len);
  } else {
    rv = imsms_ue_keys_ready(call, NULL, NULL, 0);
  }
  return rv == 0 ? 0 : imsms_ue_fail(call, rv, -1);
}
