/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * CSB update (RFC 6043 5.2): the Ticket Transfer exchange run again on a
 * completed call, by either side, to rekey every crypto session.
 *
 *   TRANSFER_INIT = HDR, T, {SP}, KEMAC, V     (same CSB ID, V flag: answer)
 *   TRANSFER_RESP = HDR, T, V
 *
 * Choices (documented in imsms_call_update(3)):
 *  - The update always carries a KEMAC with one fresh TGK of the length of
 *    the key in use, with a new 4-byte SPI (so the SRTP MKI changes and
 *    old and new packets can be told apart); it is never forked. Updates
 *    without new keys are refused (IMSMS_ERR_MIKEY_KEY_DATA).
 *  - No IDR payloads (optional in RFC 6043); a received update's IDRs, if
 *    any, enter the MAC as in the initial exchange.
 *  - Keys: both directions use the message keys of the last message of
 *    the initial exchange (TRANSFER_RESP, response label, from MPKi or
 *    MPKr' when forking; TRANSFER_INIT, initial label, from MPKi without
 *    F). KEMAC: NULL MAC, encryption under those keys, IV from its T.
 *  - The new keys are keys a UE supplies, so the ticket must allow them
 *    (RFC 6043 5.2): an update from the Initiator needs L, one from the
 *    Responder M (otherwise IMSMS_ERR_MIKEY_TP, on both sides).
 *  - Both directions share the message keys, so the KEMAC IV must never
 *    repeat: an update's T carries its sender's role in the lowest bit of
 *    its fraction (Initiator 0, Responder 1) and must be newer than every
 *    T this end has sent or accepted in the call, the initial exchange's
 *    included. A replay, or one's own update reflected back, is refused
 *    (IMSMS_ERR_MIKEY_REPLAY). Two updates crossing each other: each side
 *    refuses the other's while waiting for its own answer.
 *  - The sender switches when the answer verifies (or at once without
 *    one); the receiver before answering. keys_ready fires again per
 *    session. An update that fails changes nothing.
 */
#include <string.h>

#include "ue/call_int.h"

#define SP_BUF 1024
#define NEW_SPI_LEN 4
#define MAP_MAX                                                                \
  (IMSMS_CALL_MAX_SESSIONS *                                                   \
   (6 + IMSMS_CALL_MAX_SUITES + 10 + IMSMS_CALL_MAX_SPI))

/* The keys of the initial exchange's last message. */
static int upd_keys(imsms_call *call, imsms_mikey_msgkeys *k) {
  const imsms_call_key *key = &call->sec->mpki;
  int resp = (call->flags & IMSMS_TP_F) != 0;
  int g = resp && (call->flags & IMSMS_TP_G);

  if (resp && (call->flags & IMSMS_TP_I)) {
    key = call->role == IMSMS_CALL_ROLE_INITIATOR ? &call->sec->mpkr_fork
                                                  : &call->sec->mpkr;
  }
  return imsms_ue_msgkeys(call, key->key, key->key_len, call->csb, resp,
                          call->randri, call->randri_len,
                          g ? call->randrr : NULL, g ? call->randrr_len : 0, k);
}

/*
 * The key slot of an update: two slots after the ticket's keys, used in
 * turn (after an update every session uses one, so the other is free),
 * so a call can be rekeyed any number of times.
 */
static int update_slot(imsms_call *call, size_t *idx) {
  size_t base;

  if (!call->upd_slots) {
    call->upd_base = call->sec->nkeys;
    call->upd_slots = 1;
  }
  base = call->upd_base;
  if (base + 2 > IMSMS_CALL_MAX_KEYS) {
    return IMSMS_ERR_TOO_LARGE;
  }
  *idx = call->cs[0].key == base ? base + 1 : base;
  if (call->sec->nkeys < *idx + 1) {
    call->sec->nkeys = *idx + 1;
  }
  imsms_secure_clear(&call->sec->keys[*idx], sizeof(call->sec->keys[*idx]));
  return 0;
}

/* A fresh TGK, with an SPI no other key of the call has, in a slot. */
static int new_key(imsms_call *call, size_t *idx) {
  imsms_call_key *k;
  size_t len = call->sec->keys[call->cs[0].key].key_len, tries;
  int rv;

  if ((rv = update_slot(call, idx)) != 0) {
    return rv;
  }
  k = &call->sec->keys[*idx];
  k->type = IMSMS_MIKEY_KEY_TGK;
  k->key_len = len < 16 ? 16 : len;
  if ((rv = imsms_random(call->ctx, k->key, k->key_len)) != 0) {
    return rv;
  }
  for (tries = 0; tries < 8; tries++) {
    if ((rv = imsms_random(call->ctx, k->spi, NEW_SPI_LEN)) != 0) {
      return rv;
    }
    k->spi_len = 0; /* not found as itself */
    if (imsms_ue_find_key(call, k->spi, NEW_SPI_LEN) < 0) {
      k->spi_len = NEW_SPI_LEN;
      return 0;
    }
  }
  return IMSMS_ERR_RNG;
}

/* Gives up the key in |idx| (an update that failed or was replaced). */
static void drop_key(imsms_call *call, size_t idx) {
  imsms_secure_clear(&call->sec->keys[idx], sizeof(call->sec->keys[idx]));
}

/* The map of every session with key |idx| (its SPI). */
static imsms_ssize update_map(imsms_call *call, size_t idx, uint8_t *sd,
                              uint8_t *map, size_t cap) {
  size_t old[IMSMS_CALL_MAX_SESSIONS], i;
  imsms_ssize n;

  for (i = 0; i < call->ncs; i++) {
    old[i] = call->cs[i].key;
    call->cs[i].key = idx;
  }
  n = imsms_ue_map(call, 1, sd, map, cap);
  for (i = 0; i < call->ncs; i++) {
    call->cs[i].key = old[i];
  }
  return n;
}

/* KEMAC = E(encr_key, TGK) with a NULL MAC, into |buf|. */
static int kemac(imsms_call *call, size_t idx, const imsms_mikey_msgkeys *k,
                 imsms_tstamp t, imsms_mikey_payload *pl, uint8_t *buf,
                 size_t cap) {
  const imsms_call_key *key = &call->sec->keys[idx];

  return imsms_ue_kemac_build(call, &key, 1, k, t, pl, buf, cap);
}

static void header(const imsms_call *call, int data_type, int v,
                   const uint8_t *map, size_t maplen, imsms_mikey_hdr *hdr) {
  memset(hdr, 0, sizeof(*hdr));
  hdr->version = 1;
  hdr->data_type = (uint8_t)data_type;
  hdr->v = (uint8_t)v;
  hdr->prf_func = call->prf;
  hdr->csb_id = call->csb;
  hdr->ncs = (uint8_t)call->ncs;
  hdr->map_type = IMSMS_MIKEY_MAP_GENERIC_ID;
  hdr->map_info = map;
  hdr->map_info_len = maplen;
}

/* Encodes |pls| into |u| and fills V's MAC over it || |after|. */
static int seal(imsms_call *call, const imsms_mikey_hdr *hdr,
                imsms_mikey_payload *pls, size_t n,
                const imsms_mikey_msgkeys *k, const uint8_t *after,
                size_t afterlen) {
  imsms_ssize len = imsms_mikey_encode(call->u, call->msgcap, hdr, pls, n);
  imsms_iov iov[2];

  if (len < 0) {
    return (int)len;
  }
  call->ulen = (size_t)len;
  iov[0].base = call->u;
  iov[0].len = call->ulen - pls[n - 1].u.v.len;
  iov[1].base = after;
  iov[1].len = afterlen;
  return imsms_mikey_mac(call->ctx, pls[n - 1].u.v.alg, k->auth, k->auth_len,
                         iov, after ? 2 : 1, call->u + iov[0].len);
}

static int build_update(imsms_call *call, size_t idx, int want_answer,
                        imsms_tstamp now) {
  imsms_mikey_payload pls[IMSMS_CALL_MAX_PAYLOADS];
  uint8_t map[MAP_MAX], sd[IMSMS_CALL_MAX_SESSIONS * 10], spbuf[SP_BUF];
  uint8_t kbuf[256];
  imsms_mikey_msgkeys k;
  imsms_mikey_hdr hdr;
  imsms_ssize maplen, nsp;
  size_t n = 0;
  int rv;

  maplen = update_map(call, idx, sd, map, sizeof(map));
  nsp = imsms_ue_agreed_sps(call, pls + 1, IMSMS_CALL_MAX_PAYLOADS - 3, spbuf,
                            sizeof(spbuf));
  if (maplen < 0 || nsp < 0) {
    return (int)(maplen < 0 ? maplen : nsp);
  }
  if ((rv = upd_keys(call, &k)) != 0) {
    return rv;
  }
  header(call, IMSMS_MIKEY_TRANSFER_INIT, want_answer, map, (size_t)maplen,
         &hdr);
  imsms_ue_pl_t(&pls[n++], now);
  n += (size_t)nsp;
  rv = kemac(call, idx, &k, now, &pls[n++], kbuf, sizeof(kbuf));
  if (rv == 0) {
    imsms_ue_pl_v(&pls[n++], call->prf);
    rv = seal(call, &hdr, pls, n, &k, NULL, 0);
  }
  imsms_mikey_msgkeys_clear(&k);
  imsms_secure_clear(kbuf, sizeof(kbuf));
  return rv;
}

/* Whether the side that sends an update may supply keys (L, M). */
static int may_supply(const imsms_call *call, int from_initiator) {
  return (call->flags & (from_initiator ? IMSMS_TP_L : IMSMS_TP_M)) != 0;
}

/* T with the sender's role in its lowest bit: no T serves both ways. */
static imsms_tstamp stamp(imsms_tstamp now, int from_responder) {
  return (now & ~(imsms_tstamp)1) | (imsms_tstamp)(from_responder != 0);
}

/* The update message in |u| is gone: it is no peer message any more. */
static void forget_u(imsms_call *call) {
  if (call->peer_msg == call->u) {
    call->peer_msg = NULL;
    call->peer_msg_len = 0;
  }
  call->ulen = 0;
}

/* After a rekey from |prev|: an earlier update's key is of no more use. */
static void wipe_previous(imsms_call *call, size_t prev) {
  if (call->upd_slots && prev >= call->upd_base && prev != call->cs[0].key) {
    drop_key(call, prev);
  }
}

/* see ue/call_int.h */
/* What a new update needs of the ticket and of |now|. */
static int may_send(const imsms_call *call, imsms_tstamp now) {
  int responder = call->role == IMSMS_CALL_ROLE_RESPONDER;

  if (!may_supply(call, !responder)) {
    return IMSMS_ERR_MIKEY_TP;
  }
  return stamp(now, responder) <= call->upd_t ? IMSMS_ERR_MIKEY_STALE : 0;
}

int imsms_ue_update_send(imsms_call *call, int want_answer, imsms_tstamp now) {
  int responder = call->role == IMSMS_CALL_ROLE_RESPONDER;
  imsms_tstamp t = stamp(now, responder);
  size_t idx, prev = call->cs[0].key;
  int rv;

  if ((rv = may_send(call, now)) != 0 || (rv = new_key(call, &idx)) != 0) {
    return rv;
  }
  if ((rv = build_update(call, idx, want_answer, t)) != 0 ||
      (!want_answer && (rv = imsms_ue_rekey(call, idx)) != 0)) {
    drop_key(call, idx);
    forget_u(call);
    return rv;
  }
  if (!want_answer) {
    wipe_previous(call, prev);
  }
  call->upd_t = t;
  call->upd_wait = want_answer;
  call->upd_key = idx;
  return imsms_ue_send(call, 0, call->u, call->ulen);
}

/* ---- Receiving ----------------------------------------------------------- */

typedef struct upd_parts {
  const imsms_mikey_payload *t, *kemac, *v, *idri, *idrr;
  int stray; /* a TICKET or RAND: not an update */
} upd_parts;

static int gather(const imsms_call_msg *m, upd_parts *p) {
  const imsms_mikey_payload *ticket, *randr, *rand;
  const imsms_ue_slot slots[] = {
      {IMSMS_MIKEY_PT_T, -1, &p->t},
      {IMSMS_MIKEY_PT_KEMAC, -1, &p->kemac},
      {IMSMS_MIKEY_PT_IDR, IMSMS_MIKEY_IDR_I, &p->idri},
      {IMSMS_MIKEY_PT_IDR, IMSMS_MIKEY_IDR_R, &p->idrr},
      {IMSMS_MIKEY_PT_TICKET, -1, &ticket},
      {IMSMS_MIKEY_PT_RANDR, -1, &randr},
      {IMSMS_MIKEY_PT_RAND, -1, &rand}};
  int dup = imsms_ue_gather(m, slots, sizeof(slots) / sizeof(slots[0]));

  p->v = imsms_ue_last_v(m);
  /* New RANDs and TICKETs are not for an update (RFC 6043 5.2). */
  p->stray = ticket != NULL || randr != NULL || rand != NULL;
  if (p->stray) {
    return IMSMS_ERR_MIKEY_UNEXPECTED;
  }
  return dup || p->t == NULL || p->v == NULL ? IMSMS_ERR_MIKEY_MISSING : 0;
}

/*
 * Algorithms (the call's set: a NULL MAC is never accepted) and time;
 * an update must also be newer than every earlier one.
 */
static int check_fresh(const imsms_call *call, const imsms_call_msg *m,
                       const upd_parts *p, imsms_tstamp now, int update) {
  uint8_t encr, mac;
  int rv;

  if (m->msg.hdr.prf_func != call->prf) {
    return IMSMS_ERR_MIKEY_PRF;
  }
  (void)imsms_mikey_algs_for_prf(call->prf, &encr, &mac);
  if (p->v->u.v.alg != mac) {
    return IMSMS_ERR_MIKEY_MAC_ALG;
  }
  if ((rv = imsms_ue_check_time(p->t, now, call->skew_sec)) != 0) {
    return rv;
  }
  if (!update) {
    return 0;
  }
  /* The peer's role bit, and newer than every T of the call. */
  if ((p->t->u.t.value & 1) != (call->role == IMSMS_CALL_ROLE_INITIATOR) ||
      p->t->u.t.value <= call->upd_t) {
    return IMSMS_ERR_MIKEY_REPLAY;
  }
  return 0;
}

/* V over the message || the IDR identities it carries (or the request). */
static int check_mac(imsms_call *call, const imsms_call_msg *m,
                     const upd_parts *p, const imsms_mikey_msgkeys *k,
                     const uint8_t *after, size_t afterlen) {
  imsms_iov iov[3];
  size_t n = 1;

  iov[0].base = m->msg.data;
  iov[0].len = m->msg.len - p->v->u.v.len;
  if (after != NULL) {
    iov[n].base = after;
    iov[n++].len = afterlen;
  } else {
    iov[n].base = p->idri ? p->idri->u.idr.data : NULL;
    iov[n++].len = p->idri ? p->idri->u.idr.len : 0;
    iov[n].base = p->idrr ? p->idrr->u.idr.data : NULL;
    iov[n++].len = p->idrr ? p->idrr->u.idr.len : 0;
  }
  return imsms_mikey_mac_verify(call->ctx, p->v->u.v.alg, k->auth, k->auth_len,
                                iov, n, p->v->u.v.mac);
}

/* The one TGK of the KEMAC, appended to the call's keys. */
static int take_key(imsms_call *call, const upd_parts *p,
                    const imsms_mikey_msgkeys *k, size_t *idx) {
  const imsms_mikey_kemac *km;
  imsms_mikey_keydata kd;
  imsms_call_key *dst;
  size_t len = 0;
  uint8_t next = 0, encr, mac;
  imsms_ssize n;
  int rv;

  if (p->kemac == NULL) {
    return IMSMS_ERR_MIKEY_KEY_DATA; /* only rekeying updates */
  }
  km = &p->kemac->u.kemac;
  (void)imsms_mikey_algs_for_prf(call->prf, &encr, &mac);
  if (km->mac_alg != IMSMS_MIKEY_MAC_NULL) {
    return IMSMS_ERR_MIKEY_MAC_ALG;
  }
  if (km->encr_alg != encr) {
    return IMSMS_ERR_MIKEY_ENCR_ALG; /* never NULL encryption */
  }
  rv = imsms_mikey_kemac_crypt(call->ctx, 0, km->encr_alg, k, call->csb,
                               p->t->u.t.value, km->encr_data, km->encr_len,
                               call->sec->plain, sizeof(call->sec->plain),
                               &len);
  n = rv != 0 ? rv
              : imsms_mikey_keydata_decode(&kd, &next, call->sec->plain, len);
  if (n >= 0 &&
      ((size_t)n != len || next != 0 ||
       (kd.type != IMSMS_MIKEY_KEY_TGK && kd.type != IMSMS_MIKEY_KEY_TGK_SALT) ||
       kd.kv != IMSMS_MIKEY_KV_SPI || kd.spi_len == 0 ||
       kd.spi_len > IMSMS_CALL_MAX_SPI || kd.key_len < 16 ||
       kd.key_len > IMSMS_CALL_MAX_KEY || kd.salt_len > IMSMS_CALL_MAX_KEY ||
       imsms_ue_find_key(call, kd.spi, kd.spi_len) >= 0)) {
    n = IMSMS_ERR_MIKEY_KEY_DATA;
  }
  if (n >= 0 && (rv = update_slot(call, idx)) != 0) {
    n = rv;
  }
  if (n >= 0) {
    dst = &call->sec->keys[*idx];
    n = imsms_ue_store_key(dst, &kd);
    dst->no_fork = 1;
  }
  imsms_secure_clear(call->sec->plain, sizeof(call->sec->plain));
  return n < 0 ? (int)n : 0;
}

/* TRANSFER_RESP = HDR, T, V over it || the update. */
static int answer(imsms_call *call, const imsms_call_msg *m,
                  const imsms_mikey_msgkeys *k, imsms_tstamp now) {
  imsms_mikey_payload pls[2];
  uint8_t map[MAP_MAX], sd[IMSMS_CALL_MAX_SESSIONS * 10];
  imsms_ssize maplen = imsms_ue_map(call, 1, sd, map, sizeof(map));
  imsms_mikey_hdr hdr;
  int rv;

  if (maplen < 0) {
    return (int)maplen;
  }
  header(call, IMSMS_MIKEY_TRANSFER_RESP, 0, map, (size_t)maplen, &hdr);
  imsms_ue_pl_t(&pls[0], now);
  imsms_ue_pl_v(&pls[1], call->prf);
  if ((rv = seal(call, &hdr, pls, 2, k, m->msg.data, m->msg.len)) != 0) {
    return rv;
  }
  return imsms_ue_send(call, 0, call->u, call->ulen);
}

/* The peer's update: checked, keys taken, answered. */
static int recv_update(imsms_call *call, const imsms_call_msg *m,
                       const upd_parts *p, imsms_tstamp now) {
  int from_initiator = call->role == IMSMS_CALL_ROLE_RESPONDER;
  const imsms_call_key *nk;
  imsms_mikey_msgkeys k;
  size_t idx = 0, prev = call->cs[0].key;
  /* Slot bookkeeping as it was, for a refusal to restore. */
  size_t nkeys = call->sec->nkeys, base = call->upd_base;
  int slots = call->upd_slots, rv;

  if (!may_supply(call, from_initiator)) {
    return IMSMS_ERR_MIKEY_TP;
  }
  if ((rv = upd_keys(call, &k)) != 0) {
    return rv;
  }
  rv = check_mac(call, m, p, &k, NULL, 0);
  /* Authentic from here; while ours waits, a crossing one is refused. */
  if (rv == 0 && call->upd_wait) {
    rv = IMSMS_ERR_MIKEY_UNEXPECTED;
  }
  if (rv == 0 && (rv = take_key(call, p, &k, &idx)) == 0) {
    nk = &call->sec->keys[idx];
    if ((rv = imsms_ue_check_update_map(call, m, nk->spi, nk->spi_len)) != 0 ||
        (rv = imsms_ue_rekey(call, idx)) != 0) {
      drop_key(call, idx);
    }
  }
  if (rv != 0) {
    /* A refused update leaves no trace: the slot it took (wiped) is not
     * counted as a key of the call. */
    call->sec->nkeys = nkeys;
    call->upd_base = base;
    call->upd_slots = slots;
  }
  if (rv == 0) {
    wipe_previous(call, prev);
    call->upd_t = p->t->u.t.value;
    rv = m->msg.hdr.v ? answer(call, m, &k, now) : 0;
    if (rv != 0) {
      forget_u(call);
    }
  }
  imsms_mikey_msgkeys_clear(&k);
  return rv;
}

/* The answer to our update: verified, then the new keys are used. */
static int recv_answer(imsms_call *call, const imsms_call_msg *m,
                       const upd_parts *p) {
  const imsms_call_key *nk = &call->sec->keys[call->upd_key];
  imsms_mikey_msgkeys k;
  int rv;

  if ((rv = upd_keys(call, &k)) != 0) {
    return rv;
  }
  rv = check_mac(call, m, p, &k, call->u, call->ulen);
  imsms_mikey_msgkeys_clear(&k);
  if (rv == 0 && m->msg.hdr.ncs != 0) {
    rv = imsms_ue_check_update_map(call, m, nk->spi, nk->spi_len);
  }
  if (rv == 0) {
    size_t prev = call->cs[0].key;

    if ((rv = imsms_ue_rekey(call, call->upd_key)) == 0) {
      call->upd_wait = 0;
      wipe_previous(call, prev);
    }
  }
  return rv;
}

/* see ue/call_int.h */
int imsms_ue_update_recv(imsms_call *call, const uint8_t *in, size_t inlen,
                         imsms_tstamp now) {
  imsms_call_msg m;
  upd_parts p;
  int rv, type;

  if ((rv = imsms_ue_decode(&m, in, inlen)) != 0) {
    return rv;
  }
  type = m.msg.hdr.data_type;
  if ((type != IMSMS_MIKEY_TRANSFER_INIT && type != IMSMS_MIKEY_TRANSFER_RESP) ||
      (type == IMSMS_MIKEY_TRANSFER_RESP && !call->upd_wait)) {
    return IMSMS_ERR_MIKEY_UNEXPECTED;
  }
  if (m.msg.hdr.csb_id != call->csb) {
    return IMSMS_ERR_MIKEY_CSB_ID;
  }
  if ((rv = gather(&m, &p)) != 0) {
    return rv;
  }
  if ((rv = check_fresh(call, &m, &p, now,
                        type == IMSMS_MIKEY_TRANSFER_INIT)) != 0) {
    return rv;
  }
  return type == IMSMS_MIKEY_TRANSFER_RESP ? recv_answer(call, &m, &p)
                                           : recv_update(call, &m, &p, now);
}

/* see imsmediasec/call.h */
int imsms_call_update(imsms_call *call, int want_answer, imsms_tstamp now) {
  int rv;

  if (call == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (call->state != IMSMS_CALL_DONE || call->ncs == 0) {
    return IMSMS_ERR_MIKEY_UNEXPECTED;
  }
  /* An answer that never came: the pending update is given up, but not
   * for a new one refused at once (the peer may be on its key). */
  if ((rv = may_send(call, now)) != 0) {
    return rv;
  }
  if (call->upd_wait) {
    drop_key(call, call->upd_key);
    call->upd_wait = 0;
  }
  rv = imsms_ue_update_send(call, want_answer != 0, now);
  return imsms_err_is_fatal(rv) ? imsms_ue_fail(call, rv, -1) : rv;
}
