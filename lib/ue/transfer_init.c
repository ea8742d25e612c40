/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * TRANSFER_INIT = HDR, T, RANDRi, [IDRi], [IDRr], {SP}, TICKET, [KEMAC], V
 * (RFC 6043 4.2.2.1, 4.2.2.2).
 *
 * Initiator: HDR with V = F, the ticket's PRF, a fresh CSB ID and the
 * GENERIC-ID map of the offered sessions; a fresh RANDRi; IDRi (unless
 * anonymous) and IDRr; one SP per offered suite; the TICKET of
 * REQUEST_RESP, with Initiator Data when forking; a KEMAC of the keys
 * this UE supplies, with L (kemac.c); V
 * under the auth key from MPKi (initial label, RANDRi) over the message
 * without the Initiator Data length and Initiator Data || ID Data of IDRi
 * || ID Data of IDRr (RFC 6043 5.5).
 *
 * Initiator Data (RFC 6043 6.10) = first payload 9 || Vi || Vr. Vi is the
 * message's V payload (its next payload 9, as Vr follows); Vr's MAC, under
 * the auth key derived from the unforked MPKr with label 0x2D22AC75 ||
 * 0xFF || 0xFFFFFFFF || 0x04 and the TP's PRF, covers the Initiator Data
 * up to itself. Vi is filled after V is computed, Vr last.
 *
 * With SDP IDs set (imsms_call_set_sdp_ids()), a General Extension of
 * type SDP IDs goes before V, inside the MAC (RFC 4567 4.1.4).
 *
 * Responder, before the KMS: the checks listed in call.h; after the
 * resolve: V with MPKi, Vi equal to V when forking (4.2.3.6), then the
 * replay check, so that only authenticated messages reach the cache.
 */
#include <string.h>

#include "mikey/labels.h"
#include "ue/call_int.h"

/* Initiator Data of two V payloads of 32-byte MACs at most. */
#define INIT_DATA_MAX (1 + 2 * (2 + IMSMS_MAX_DIGEST_LEN))
/* Room for the map and SP parameters of the largest offer. */
#define MAP_MAX                                                                \
  (IMSMS_CALL_MAX_SESSIONS *                                                   \
   (6 + IMSMS_CALL_MAX_SUITES + 10 + IMSMS_CALL_MAX_SPI))
#define SP_BUF 1024
/* Ciphertext of the supplied keys (at most 4 of 64+64+32 bytes). */
#define KEMAC_BUF 1024
/* The RANDRi shortest accepted (RFC 3830 assumes 128 bits). */
#define MIN_RANDRI 16

typedef struct ti_parts {
  const imsms_mikey_payload *t, *randri, *idri, *idrr, *ticket, *kemac, *v;
  const imsms_mikey_payload *sdp_ids;
} ti_parts;

static int ti_gather(const imsms_call_msg *m, ti_parts *p) {
  const imsms_ue_slot slots[] = {
      {IMSMS_MIKEY_PT_T, -1, &p->t},
      {IMSMS_MIKEY_PT_RANDR, IMSMS_MIKEY_RANDR_I, &p->randri},
      {IMSMS_MIKEY_PT_IDR, IMSMS_MIKEY_IDR_I, &p->idri},
      {IMSMS_MIKEY_PT_IDR, IMSMS_MIKEY_IDR_R, &p->idrr},
      {IMSMS_MIKEY_PT_TICKET, -1, &p->ticket},
      {IMSMS_MIKEY_PT_KEMAC, -1, &p->kemac},
      {IMSMS_MIKEY_PT_GEN_EXT, IMSMS_MIKEY_EXT_SDP_IDS, &p->sdp_ids}};
  int dup = imsms_ue_gather(m, slots, sizeof(slots) / sizeof(slots[0]));

  p->v = imsms_ue_last_v(m);
  return dup || p->t == NULL || p->randri == NULL || p->ticket == NULL ||
                 p->v == NULL
             ? IMSMS_ERR_MIKEY_MISSING
             : 0;
}

/* see ue/call_int.h */
int imsms_ue_transfer_init_iov(const imsms_call_msg *m, imsms_iov *iov,
                               const imsms_mikey_payload **v) {
  const imsms_mikey_ticket *t;
  const uint8_t *end;
  ti_parts p;
  int rv = ti_gather(m, &p);

  if (rv != 0) {
    return rv;
  }
  t = &p.ticket->u.ticket;
  end = p.ticket->raw + p.ticket->rawlen;
  /* Up to the Initiator Data length; after the Initiator Data to V's MAC. */
  iov[0].base = m->msg.data;
  iov[0].len = (size_t)(end - t->init_data_len - 2 - m->msg.data);
  iov[1].base = end;
  iov[1].len = (size_t)(p.v->u.v.mac - end);
  iov[2].base = p.idri ? p.idri->u.idr.data : NULL;
  iov[2].len = p.idri ? p.idri->u.idr.len : 0;
  iov[3].base = p.idrr ? p.idrr->u.idr.data : NULL;
  iov[3].len = p.idrr ? p.idrr->u.idr.len : 0;
  *v = p.v;
  return 0;
}

/* ---- Initiator ---------------------------------------------------------- */

/* Fresh CSB ID and RANDRi; every session uses the first ticket key. */
static int fresh(imsms_call *call) {
  uint8_t csb[4];
  size_t i, keylen = call->sec->mpki.key_len;
  int rv;

  for (i = 0; i < call->sec->nkeys; i++) {
    if (call->sec->keys[i].key_len > keylen) {
      keylen = call->sec->keys[i].key_len;
    }
  }
  call->randri_len = imsms_ue_rand_len(keylen);
  if ((rv = imsms_random(call->ctx, csb, sizeof(csb))) != 0 ||
      (rv = imsms_random(call->ctx, call->randri, call->randri_len)) != 0) {
    return rv;
  }
  call->csb = (uint32_t)csb[0] << 24 | (uint32_t)csb[1] << 16 |
              (uint32_t)csb[2] << 8 | csb[3];
  /* Sessions use the first ticket key, or the key this UE supplies. */
  for (i = 0; i < call->ncs; i++) {
    call->cs[i].key = 0;
    if (call->cs[i].own &&
        (rv = imsms_ue_install_own(call, call->cs[i].own, &call->cs[i].key)) !=
            0) {
      return rv;
    }
  }
  return 0;
}

/* The keys this UE supplies, once each, for the KEMAC (flag L). */
static size_t own_in_use(const imsms_call *call,
                         const imsms_call_key **keys) {
  size_t i, j, n = 0;

  for (i = 0; i < call->ncs; i++) {
    const imsms_call_key *k = &call->sec->keys[call->cs[i].key];

    if (!call->cs[i].own) {
      continue;
    }
    for (j = 0; j < n && keys[j] != k; j++) {
    }
    if (j == n) {
      keys[n++] = k;
    }
  }
  return n;
}

/* First payload 9, Vi and Vr with zero MACs. */
static imsms_ssize init_data(uint8_t prf, uint8_t *out, size_t cap) {
  imsms_mikey_payload v[2];
  imsms_ssize n;

  imsms_ue_pl_v(&v[0], prf);
  imsms_ue_pl_v(&v[1], prf);
  out[0] = IMSMS_MIKEY_PT_V;
  n = imsms_mikey_chain_encode(out + 1, cap - 1, v, 2);
  return n < 0 ? n : n + 1;
}

/*
 * KEMAC of the keys this UE supplies (L), under the keys from MPKi: the
 * encr_key is always MPKi's so every authorised resolver can read it
 * (RFC 6043 4.2.2.1). Returns 1 when there is one, 0 when none.
 */
static int own_kemac(imsms_call *call, imsms_tstamp now,
                     imsms_mikey_payload *pl, uint8_t *buf, size_t cap) {
  const imsms_call_key *keys[IMSMS_CALL_MAX_SESSIONS];
  size_t n = own_in_use(call, keys);
  imsms_mikey_msgkeys k;
  int rv;

  if (n == 0) {
    return 0;
  }
  if (!(call->flags & IMSMS_TP_L)) {
    return IMSMS_ERR_MIKEY_TP; /* the KMS did not grant L */
  }
  rv = imsms_ue_msgkeys(call, call->sec->mpki.key, call->sec->mpki.key_len,
                        call->csb, 0, call->randri, call->randri_len, NULL, 0,
                        &k);
  if (rv == 0) {
    rv = imsms_ue_kemac_build(call, keys, n, &k, now, pl, buf, cap);
  }
  imsms_mikey_msgkeys_clear(&k);
  return rv == 0 ? 1 : rv;
}

/* Encodes the message with zero MACs into |a|. */
static int encode(imsms_call *call, const imsms_mikey_payload *ticket,
                  imsms_tstamp now) {
  imsms_mikey_payload pls[IMSMS_CALL_MAX_PAYLOADS];
  uint8_t spbuf[SP_BUF], map[MAP_MAX], sd[IMSMS_CALL_MAX_SESSIONS * 10];
  uint8_t idata[INIT_DATA_MAX], kbuf[KEMAC_BUF];
  imsms_ssize nsp, maplen, idlen = 0, len;
  imsms_mikey_hdr hdr;
  size_t n = 0;
  int kemac;

  memset(&hdr, 0, sizeof(hdr));
  imsms_ue_pl_t(&pls[n++], now);
  imsms_ue_pl_randr(&pls[n++], IMSMS_MIKEY_RANDR_I, call->randri,
                    call->randri_len);
  /* An anonymous caller leaves IDRi out (RFC 6043: optional). */
  if (!call->anonymous) {
    imsms_ue_pl_idr(&pls[n++], IMSMS_MIKEY_IDR_I, &call->identity);
  }
  imsms_ue_pl_idr(&pls[n++], IMSMS_MIKEY_IDR_R, &call->peer);
  nsp = imsms_ue_offer_sps(call, pls + n, IMSMS_CALL_MAX_PAYLOADS - 8, spbuf,
                           sizeof(spbuf));
  maplen = imsms_ue_map(call, 0, sd, map, sizeof(map));
  if (call->flags & IMSMS_TP_I) {
    idlen = init_data(call->prf, idata, sizeof(idata));
  }
  if (nsp < 0 || maplen < 0 || idlen < 0) {
    return (int)(nsp < 0 ? nsp : maplen < 0 ? maplen : idlen);
  }
  hdr.version = 1;
  hdr.data_type = IMSMS_MIKEY_TRANSFER_INIT;
  hdr.v = (call->flags & IMSMS_TP_F) ? 1 : 0;
  hdr.prf_func = call->prf;
  hdr.csb_id = call->csb;
  hdr.ncs = (uint8_t)call->ncs;
  hdr.map_type = IMSMS_MIKEY_MAP_GENERIC_ID;
  hdr.map_info = map;
  hdr.map_info_len = (size_t)maplen;
  n += (size_t)nsp;
  pls[n] = *ticket;
  pls[n].u.ticket.init_data = idlen ? idata : NULL;
  pls[n++].u.ticket.init_data_len = (size_t)idlen;
  if ((kemac = own_kemac(call, now, &pls[n], kbuf, sizeof(kbuf))) < 0) {
    return kemac;
  }
  n += (size_t)kemac;
  if (call->sdp_ids_len != 0) {
    memset(&pls[n], 0, sizeof(pls[n]));
    pls[n].type = IMSMS_MIKEY_PT_GEN_EXT;
    pls[n].u.ext.type = IMSMS_MIKEY_EXT_SDP_IDS;
    pls[n].u.ext.data = (const uint8_t *)call->sdp_ids;
    pls[n++].u.ext.len = call->sdp_ids_len;
  }
  imsms_ue_pl_v(&pls[n++], call->prf);
  len = imsms_mikey_encode(call->a, call->msgcap, &hdr, pls, n);
  imsms_secure_clear(kbuf, sizeof(kbuf));
  if (len < 0) {
    return (int)len;
  }
  call->alen = (size_t)len;
  return 0;
}

/* Vi = V, then Vr under the key from MPKr (RFC 6043 6.10). */
static int initiator_data(imsms_call *call, const imsms_call_msg *m,
                          const imsms_mikey_payload *v) {
  uint8_t label[16], key[IMSMS_MAX_DIGEST_LEN], *id;
  size_t i, maclen = v->u.v.len, idlen = 0;
  imsms_iov iov;
  imsms_ssize ln;
  int rv;

  for (i = 0, id = NULL; i < m->npl; i++) {
    if (m->pl[i].type == IMSMS_MIKEY_PT_TICKET) {
      id = call->a + (m->pl[i].u.ticket.init_data - call->a);
      idlen = m->pl[i].u.ticket.init_data_len;
    }
  }
  if (id == NULL || idlen != 1 + 2 * (2 + maclen)) {
    return IMSMS_ERR_MIKEY_LENGTH;
  }
  memcpy(id + 3, v->u.v.mac, maclen);
  ln = imsms_label_vr_6043(label, sizeof(label));
  if (ln < 0) {
    return (int)ln;
  }
  rv = imsms_mikey_prf(call->ctx, call->prf, call->sec->mpkr.key,
                       call->sec->mpkr.key_len, label, (size_t)ln, key, maclen);
  if (rv == 0) {
    iov.base = id;
    iov.len = idlen - maclen;
    rv = imsms_mikey_mac(call->ctx, v->u.v.alg, key, maclen, &iov, 1,
                         id + idlen - maclen);
  }
  imsms_secure_clear(key, sizeof(key));
  return rv;
}

/* V over the encoded message, then the Initiator Data. */
static int seal(imsms_call *call) {
  const imsms_mikey_payload *v;
  imsms_mikey_msgkeys k;
  imsms_call_msg m;
  imsms_iov iov[4];
  int rv;

  if ((rv = imsms_ue_decode(&m, call->a, call->alen)) != 0 ||
      (rv = imsms_ue_transfer_init_iov(&m, iov, &v)) != 0 ||
      (rv = imsms_ue_msgkeys(call, call->sec->mpki.key, call->sec->mpki.key_len,
                             call->csb, 0, call->randri, call->randri_len, NULL,
                             0, &k)) != 0) {
    return rv;
  }
  rv = imsms_mikey_mac(call->ctx, v->u.v.alg, k.auth, k.auth_len, iov, 4,
                       call->a + (v->u.v.mac - call->a));
  imsms_mikey_msgkeys_clear(&k);
  if (rv == 0 && (call->flags & IMSMS_TP_I)) {
    rv = initiator_data(call, &m, v);
  }
  return rv;
}

/* Without F no answer comes: the one offered policy of each session. */
static int agree_alone(imsms_call *call) {
  size_t i;

  for (i = 0; i < call->ncs; i++) {
    if (call->cs[i].nsuites != 1) {
      return IMSMS_ERR_MIKEY_SP_PARAM;
    }
    call->cs[i].suite = call->cs[i].suites[0];
    call->cs[i].policy_no = call->cs[i].policies[0];
  }
  return 0;
}

/* see ue/call_int.h */
int imsms_ue_transfer_init_send(imsms_call *call,
                                const imsms_mikey_payload *ticket,
                                imsms_tstamp now) {
  int rv;

  if ((rv = fresh(call)) != 0 || (rv = encode(call, ticket, now)) != 0 ||
      (rv = seal(call)) != 0) {
    return rv;
  }
  /* CSB updates must be newer than every T of the call (update.c). */
  call->upd_t = now;
  if (call->flags & IMSMS_TP_F) {
    imsms_ue_wait(call, IMSMS_CALL_WAIT_TRANSFER_RESP, now);
    return imsms_ue_send(call, 0, call->a, call->alen);
  }
  /* No TRANSFER_RESP will come: keys now, then the offer. */
  if ((rv = agree_alone(call)) != 0 ||
      (rv = imsms_ue_keys_ready(call, NULL, NULL, 0)) != 0) {
    return rv;
  }
  return imsms_ue_send(call, 0, call->a, call->alen);
}

/* ---- Responder, before the KMS -------------------------------------- */

/* The message itself: structure, time, algorithms. */
static int check_message(const imsms_call *call, const imsms_call_msg *m,
                         const ti_parts *p, imsms_tstamp now) {
  uint8_t encr, mac;
  int rv;

  if (m->msg.hdr.map_type != IMSMS_MIKEY_MAP_GENERIC_ID) {
    return IMSMS_ERR_MIKEY_MAP;
  }
  /* A stored call played back later may be old (max_age_sec). */
  if ((rv = imsms_ue_check_age(p->t, now, call->skew_sec,
                               call->max_age_sec)) != 0 ||
      (rv = imsms_mikey_algs_for_prf(m->msg.hdr.prf_func, &encr, &mac)) != 0) {
    return rv;
  }
  if (p->v->u.v.alg != mac) {
    return IMSMS_ERR_MIKEY_MAC_ALG;
  }
  return p->randri->u.randr.len < MIN_RANDRI ? IMSMS_ERR_MIKEY_LENGTH : 0;
}

/* The ticket policy (RFC 6043 4.2.2.2: checked before the KMS). */
static int check_ticket(imsms_call *call, const imsms_call_msg *m,
                        const ti_parts *p, imsms_tstamp now) {
  const imsms_mikey_ticket *t = &p->ticket->u.ticket;
  imsms_tp *tp = &call->ticket;
  imsms_id idi;
  int rv;

  rv = imsms_tp_decode(tp, t, call->ticket_keys, IMSMS_CALL_MAX_KEYS,
                       call->ticket_ids, IMSMS_CALL_MAX_IDS);
  if (rv != 0) {
    return rv;
  }
  if (tp->nkeys != 0) {
    return IMSMS_ERR_MIKEY_TP;
  }
  if (tp->prf_func != m->msg.hdr.prf_func) {
    return IMSMS_ERR_MIKEY_PRF;
  }
  if (!(tp->flags & IMSMS_TP_O)) {
    return IMSMS_ERR_MIKEY_TICKET_TYPE;
  }
  rv = imsms_tp_check_time(tp, now);
  /* Playing a stored call back: an ended ticket is the KMS's to judge. */
  if (rv == IMSMS_ERR_TICKET_EXPIRED && call->max_age_sec > call->skew_sec &&
      (uint64_t)(now - tp->end) <= (uint64_t)call->max_age_sec << 32) {
    rv = 0;
  }
  if (rv != 0) {
    return rv;
  }
  /* Initiator-supplied keys only when the ticket allows them (L). */
  if (p->kemac && !(tp->flags & IMSMS_TP_L)) {
    return IMSMS_ERR_MIKEY_TP;
  }
  if ((tp->flags & IMSMS_TP_I) && t->init_data_len == 0) {
    return IMSMS_ERR_MIKEY_MISSING;
  }
  if (p->idri && tp->initiator.len) {
    imsms_ue_take_id(&idi, &p->idri->u.idr);
    if (!imsms_ue_same_id(&idi, &tp->initiator)) {
      return IMSMS_ERR_MIKEY_ID;
    }
  }
  return call->cb.accept_ticket
             ? call->cb.accept_ticket(call, tp, call->user_data)
             : 0;
}

/*
 * RFC 4567 4.1.4: the protocol list the Initiator authenticated must be
 * the one the SDP showed us. Checked before the KMS; the MAC over the
 * whole message, verified after the resolve, makes it authentic.
 */
static int check_sdp_ids(const imsms_call *call, const ti_parts *p) {
  const imsms_mikey_ext *e;

  if (call->sdp_ids_len == 0) {
    return 0;
  }
  if (p->sdp_ids == NULL) {
    return IMSMS_ERR_SDP_DOWNGRADE;
  }
  e = &p->sdp_ids->u.ext;
  return e->len == call->sdp_ids_len &&
                 memcmp(e->data, call->sdp_ids, e->len) == 0
             ? 0
             : IMSMS_ERR_SDP_DOWNGRADE;
}

static int early_checks(imsms_call *call, const imsms_call_msg *m,
                        const ti_parts *p, imsms_tstamp now) {
  int rv;

  if ((rv = check_message(call, m, p, now)) != 0 ||
      (rv = check_sdp_ids(call, p)) != 0 ||
      (rv = check_ticket(call, m, p, now)) != 0 ||
      (rv = imsms_ue_answer_sessions(call, m)) != 0) {
    return rv;
  }
  call->prf = m->msg.hdr.prf_func;
  call->flags = call->ticket.flags;
  call->csb = m->msg.hdr.csb_id;
  call->randri_len = p->randri->u.randr.len;
  memcpy(call->randri, p->randri->u.randr.rand, call->randri_len);
  return 0;
}

/* see ue/call_int.h */
int imsms_ue_transfer_init_recv(imsms_call *call, const uint8_t *in,
                                size_t inlen, imsms_tstamp now) {
  imsms_call_msg m;
  ti_parts p;
  int rv, sps;

  if (inlen > call->msgcap) {
    return imsms_ue_fail(call, IMSMS_ERR_TOO_LARGE, -1);
  }
  /* Kept: verified after the resolve, covered by TRANSFER_RESP's MAC. */
  memcpy(call->a, in, inlen);
  call->alen = inlen;
  if ((rv = imsms_ue_decode(&m, call->a, call->alen)) != 0) {
    return imsms_ue_fail(call, rv, -1);
  }
  if (m.msg.hdr.data_type != IMSMS_MIKEY_TRANSFER_INIT) {
    call->alen = 0;
    return IMSMS_ERR_MIKEY_UNEXPECTED;
  }
  rv = ti_gather(&m, &p);
  if (rv == 0) {
    rv = early_checks(call, &m, &p, now);
  }
  if (rv != 0) {
    sps = rv == IMSMS_ERR_MIKEY_SP || rv == IMSMS_ERR_MIKEY_SP_PARAM;
    if (!imsms_err_is_fatal(rv)) {
      int srv = imsms_ue_send_error(call, &m.msg, rv, sps, now);

      rv = srv ? srv : rv;
    }
    return imsms_ue_fail(call, rv, -1);
  }
  rv = imsms_ue_resolve_start(call, p.ticket, now);
  return rv == 0 ? 0 : imsms_ue_fail(call, rv, -1);
}

/* ---- Responder, after the resolve ----------------------------------- */

/* Forking: the Vi of the Initiator Data must be the message's V. */
static int check_vi(const imsms_call_msg *m, const imsms_mikey_payload *v) {
  const imsms_mikey_ticket *t = NULL;
  imsms_mikey_payload pl;
  imsms_mikey_iter it;
  size_t i;

  for (i = 0; i < m->npl; i++) {
    if (m->pl[i].type == IMSMS_MIKEY_PT_TICKET) {
      t = &m->pl[i].u.ticket;
    }
  }
  if (t == NULL || t->init_data_len < 2) {
    return IMSMS_ERR_MIKEY_AUTH;
  }
  imsms_mikey_chain_init(&it, t->init_data[0], t->init_data + 1,
                         t->init_data_len - 1);
  /* Unexpected payloads are ignored (RFC 6043 6.10); Vi is the first V. */
  while (imsms_mikey_iter_next(&it, &pl) == 0) {
    if (pl.type == IMSMS_MIKEY_PT_V) {
      return pl.u.v.alg == v->u.v.alg && pl.u.v.len == v->u.v.len &&
                     imsms_ct_memeq(pl.u.v.mac, v->u.v.mac, v->u.v.len)
                 ? 0
                 : IMSMS_ERR_MIKEY_AUTH;
    }
  }
  return IMSMS_ERR_MIKEY_AUTH;
}

/* see ue/call_int.h */
int imsms_ue_transfer_init_verify(imsms_call *call, imsms_tstamp now) {
  const imsms_mikey_payload *v, *t = NULL, *kemac = NULL;
  imsms_mikey_msgkeys k;
  imsms_call_msg m;
  imsms_iov iov[4];
  size_t i;
  int rv;

  if ((rv = imsms_ue_decode(&m, call->a, call->alen)) != 0 ||
      (rv = imsms_ue_transfer_init_iov(&m, iov, &v)) != 0 ||
      (rv = imsms_ue_msgkeys(call, call->sec->mpki.key, call->sec->mpki.key_len,
                             call->csb, 0, call->randri, call->randri_len, NULL,
                             0, &k)) != 0) {
    return rv;
  }
  rv = imsms_mikey_mac_verify(call->ctx, v->u.v.alg, k.auth, k.auth_len, iov, 4,
                              v->u.v.mac);
  if (rv == 0 && (call->flags & IMSMS_TP_I)) {
    rv = check_vi(&m, v);
  }
  for (i = 0; i < m.npl; i++) {
    t = m.pl[i].type == IMSMS_MIKEY_PT_T ? &m.pl[i] : t;
    kemac = m.pl[i].type == IMSMS_MIKEY_PT_KEMAC ? &m.pl[i] : kemac;
  }
  /* The Initiator's keys (L), under the keys from MPKi. */
  if (rv == 0 && kemac != NULL) {
    rv = t == NULL ? IMSMS_ERR_MIKEY_MISSING
                   : imsms_ue_kemac_take(call, kemac, &k, t->u.t.value);
  }
  imsms_mikey_msgkeys_clear(&k);
  if (rv == 0 && call->cb.replay != NULL && t != NULL) {
    rv = call->cb.replay(v->u.v.mac, v->u.v.len, t->u.t.value, now,
                         call->cb.replay_data);
  }
  if (rv == 0) {
    /* Vouched for by the KMS: it checked the ticket's MAC over the TP. */
    call->peer_id = call->ticket.initiator;
    call->upd_t = t != NULL ? t->u.t.value : 0;
  }
  return rv;
}
