/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Ticket Request (RFC 6043 4.2.1): the authenticated REQUEST_INIT_PSK's
 * TP is decoded and checked, the policy decides the granted TP, fresh
 * keys are drawn, sealed into a MIKEY base ticket, and REQUEST_RESP =
 * HDR, T, [IDRkms], TICKET, KEMAC, V carries the ticket and
 * E(encr_key, MPKi || [MPKr] || keys) to the Initiator.
 *
 * Choices (see also kms.h):
 *  - The TP must ask for a MIKEY base ticket (type 1, subtype 1,
 *    version 1) with the PRF of the HDR (one algorithm set per exchange,
 *    RFC 6043 12.1); with PRF MIKEY-1 no key may exceed 128 bits.
 *  - A TP that names an IDRi other than the authenticated IDRi is
 *    refused; one that names none gets the authenticated IDRi (RFC 6043
 *    4.2.1.1: "SHOULD be included in the granted Ticket Policy"), which
 *    does not count as a change (K). One that names IMSMS_ANONYMOUS_URI
 *    keeps it, and the authenticated IDRi is sealed inside the ticket
 *    (imsms_base_ticket_seal_id()) for the KMS alone: the responders
 *    never see it unless the policy discloses it at resolve.
 *  - The granted TP has D, N and O set (a KMS-generated base ticket that
 *    plain RFC 6043 peers process) and K when the policy callback
 *    changed anything.
 *  - MPK: 16 bytes with PRF MIKEY-1, 32 with PRF-HMAC-SHA-256. Keys: as
 *    the template asks (TGK, TEK, GTGK, with or without salt), or one
 *    TGK of the MPK's length; a +SALT key whose template gives no salt
 *    length gets 14 bytes. Every key, the MPK included, carries a fresh
 *    4-byte SPI (KV SPI, RFC 6043 6.2.1), whatever KV the template asks.
 *  - MPKi and MPKr come from the MPK with the RAND of the Ticket Data,
 *    which the seal hands back (imsms_base_ticket_seal_rand()): no need
 *    to open the ticket again or walk its Ticket Data.
 *  - The key data of MPKi and MPKr has type MPK and the MPK's SPI.
 */
#include <string.h>

#include "core/ctx.h"
#include "kms/kms_int.h"

#define SALT_DEFAULT 14

static int same_or_absent(const imsms_id *a, const imsms_id *b) {
  return (a->len == 0 && b->len == 0) || imsms_kms_same_id(a, b);
}

static int id_lists_equal(const imsms_id *a, size_t na, const imsms_id *b,
                          size_t nb) {
  size_t i;

  if (na != nb) {
    return 0;
  }
  for (i = 0; i < na; i++) {
    if (!imsms_kms_same_id(&a[i], &b[i])) {
      return 0;
    }
  }
  return 1;
}

/* Nonzero when the granted policy |g| differs from the asked one |a|. */
static int tp_changed(const imsms_tp *a, const imsms_tp *g) {
  return a->ticket_type != g->ticket_type || a->subtype != g->subtype ||
         a->ticket_version != g->ticket_version ||
         a->prf_func != g->prf_func || a->flags != g->flags ||
         !same_or_absent(&a->kms, &g->kms) ||
         !same_or_absent(&a->initiator, &g->initiator) ||
         a->has_start != g->has_start ||
         (a->has_start && a->start != g->start) ||
         a->has_end != g->has_end || (a->has_end && a->end != g->end) ||
         a->has_rekey != g->has_rekey ||
         (a->has_rekey && a->rekey_sec != g->rekey_sec) ||
         !id_lists_equal(a->apps, a->napps, g->apps, g->napps) ||
         !id_lists_equal(a->responders, a->nresponders, g->responders,
                         g->nresponders);
}

static int template_tgk(const imsms_tp *req) {
  size_t i;

  for (i = 0; i < req->nkeys; i++) {
    if (req->keys[i].type == IMSMS_MIKEY_KEY_TGK ||
        req->keys[i].type == IMSMS_MIKEY_KEY_TGK_SALT) {
      return 1;
    }
  }
  return 0;
}

/* What may be asked for, beyond imsms_tp_validate(). */
static int check_requested(const imsms_kms_msg *m, const imsms_tp *req) {
  size_t i;

  if (req->ticket_type != IMSMS_MIKEY_TICKET_MIKEY_BASE ||
      req->subtype != 1 || req->ticket_version != 1) {
    return IMSMS_ERR_MIKEY_TICKET_TYPE;
  }
  if (req->prf_func != m->msg.hdr.prf_func) {
    return IMSMS_ERR_MIKEY_PRF;
  }
  /* The key set is known now (the default is one TGK): the F rule. */
  if (imsms_tp_check_flags((uint16_t)((req->flags | IMSMS_TP_D) &
                                      ~IMSMS_TP_K),
                           req->nkeys == 0 || template_tgk(req)) != 0) {
    return IMSMS_ERR_MIKEY_TP;
  }
  for (i = 0; i < req->nkeys; i++) {
    if (req->prf_func == IMSMS_MIKEY_PRF_MIKEY_1 &&
        req->keys[i].key_len > 16) {
      return IMSMS_ERR_MIKEY_TP;
    }
  }
  if (req->initiator.len && m->peer.len &&
      !imsms_ticket_is_anonymous(&req->initiator) &&
      !imsms_kms_same_id(&req->initiator, &m->peer)) {
    return IMSMS_ERR_MIKEY_TP;
  }
  return 0;
}

/* |req| as the KMS reads it before any policy: |t| is a copy of it. */
static void as_asked(imsms_tp *t, const imsms_kms_msg *m) {
  t->keys = NULL;
  t->nkeys = 0;
  /* K is the KMS's to set; the Initiator's value is ignored (6.10). */
  t->flags = (uint16_t)((t->flags | IMSMS_TP_D | IMSMS_TP_N | IMSMS_TP_O) &
                        ~IMSMS_TP_K);
  if (t->initiator.len == 0) {
    t->initiator = m->peer;
  }
}

/* The granted policy: |req| as asked, then as the policy callback says. */
static int grant(imsms_kms *kms, imsms_kms_msg *m, const imsms_tp *req,
                 imsms_tp *granted) {
  imsms_tp asked;
  int rv;

  /* Both copied from |req| and adjusted alike, rather than one copied
   * from the other just after it was adjusted: wide loads of fields
   * just written narrowly stall store forwarding (perf annotate). */
  *granted = *req;
  as_asked(granted, m);
  if (kms->cb.authorize_request != NULL) {
    asked = *req;
    as_asked(&asked, m);
    rv = kms->cb.authorize_request(kms, &m->peer, req, granted,
                                   kms->user_data);
    if (rv != 0) {
      m->event = IMSMS_KMS_REQUEST_DENIED;
      return rv < 0 ? rv : IMSMS_ERR_KMS_DENIED;
    }
    granted->version = IMSMS_TP_V1;
    granted->keys = NULL;
    granted->nkeys = 0;
    granted->flags &= (uint16_t)~IMSMS_TP_K;
    if (tp_changed(&asked, granted)) {
      granted->flags |= IMSMS_TP_K;
    }
    /* A grant the Initiator would have to discard is the callback's bug,
     * and so is one that names a caller who asked to stay anonymous. */
    if ((imsms_ticket_is_anonymous(&asked.initiator) &&
         !imsms_ticket_is_anonymous(&granted->initiator)) ||
        granted->ticket_type != asked.ticket_type ||
        granted->subtype != asked.subtype ||
        granted->ticket_version != asked.ticket_version ||
        !(granted->flags & IMSMS_TP_D) ||
        imsms_tp_grant_acceptable(req, granted, NULL) != 0 ||
        imsms_tp_validate(granted) != 0) {
      m->event = IMSMS_KMS_REQUEST_DENIED;
      return IMSMS_ERR_KMS_DENIED;
    }
  }
  return 0;
}

static void key_view(imsms_mikey_keydata *kd, uint8_t type,
                     const uint8_t *key, size_t key_len, const uint8_t *salt,
                     size_t salt_len, const uint8_t *spi) {
  memset(kd, 0, sizeof(*kd));
  kd->type = type;
  kd->kv = IMSMS_MIKEY_KV_SPI;
  kd->key = key;
  kd->key_len = key_len;
  kd->salt = salt_len ? salt : NULL;
  kd->salt_len = salt_len;
  kd->spi = spi;
  kd->spi_len = IMSMS_KMS_SPI_LEN;
}

static int salted(uint8_t type) {
  return type == IMSMS_MIKEY_KEY_TGK_SALT ||
         type == IMSMS_MIKEY_KEY_TEK_SALT ||
         type == IMSMS_MIKEY_KEY_GTGK_SALT;
}

/*
 * Draws the ticket's keys into the work area with one call to the
 * generator and lays their views out in |w->kd|: the MPK first, then
 * the template's keys (or one TGK). The same call draws the ticket's
 * RAND, as long as the last ticket's was, after the keys: |*rand| points
 * at it (room for 255 bytes) and |*randlen| says how many bytes were
 * drawn; the seal draws its own should the active TPK have changed
 * length since (imsms_base_ticket_seal_rand()). Returns the number of
 * views.
 */
static imsms_ssize make_keys(imsms_kms *kms, const imsms_tp *req,
                             size_t mpklen, uint8_t **rand,
                             size_t *randlen) {
  imsms_kms_work *w = kms->w;
  imsms_tp_key dflt;
  const imsms_tp_key *tk = req->keys;
  size_t nk = req->nkeys, i, off = 0, total = mpklen + IMSMS_KMS_SPI_LEN;
  int rv;

  if (nk == 0) {
    memset(&dflt, 0, sizeof(dflt));
    dflt.type = IMSMS_MIKEY_KEY_TGK;
    dflt.key_len = mpklen;
    tk = &dflt;
    nk = 1;
  }
  for (i = 0; i < nk; i++) {
    size_t salt = salted(tk[i].type) && tk[i].salt_len == 0 ? SALT_DEFAULT
                                                            : tk[i].salt_len;

    total += tk[i].key_len + salt + IMSMS_KMS_SPI_LEN;
  }
  if (total > sizeof(w->keys) - IMSMS_KMS_MAX_RAND ||
      1 + nk > IMSMS_KMS_MAX_KEYS + 2) {
    return IMSMS_ERR_TOO_LARGE;
  }
  /* A longer RAND from the seal is marked by imsms_kms_request(). */
  imsms_kms_work_mark(&w->keys_used, total + kms->rand_hint);
  imsms_kms_work_mark(&w->kd_used, 1 + nk);
  if ((rv = imsms_random(kms->ctx, w->keys, total + kms->rand_hint)) != 0) {
    return rv;
  }
  *rand = w->keys + total;
  *randlen = kms->rand_hint;
  key_view(&w->kd[0], IMSMS_MIKEY_KEY_MPK, w->keys, mpklen, NULL, 0,
           w->keys + mpklen);
  off = mpklen + IMSMS_KMS_SPI_LEN;
  for (i = 0; i < nk; i++) {
    size_t salt = salted(tk[i].type) && tk[i].salt_len == 0 ? SALT_DEFAULT
                                                            : tk[i].salt_len;

    key_view(&w->kd[1 + i], tk[i].type, w->keys + off, tk[i].key_len,
             w->keys + off + tk[i].key_len, salt,
             w->keys + off + tk[i].key_len + salt);
    off += tk[i].key_len + salt + IMSMS_KMS_SPI_LEN;
  }
  return (imsms_ssize)(1 + nk);
}

/* see kms/kms_int.h */
int imsms_kms_request(imsms_kms *kms, imsms_kms_msg *m, imsms_tstamp now,
                      uint8_t *out, size_t outcap, size_t *outlen) {
  imsms_kms_work *w = kms->w;
  imsms_mikey_payload pls[5], tkt;
  imsms_mikey_keydata resp_kd[IMSMS_KMS_MAX_KEYS + 2];
  uint8_t *rand = NULL;
  imsms_tp req, granted;
  size_t mpklen, nresp, n = 0, clen = 0, i, randlen = 0;
  imsms_ssize nkd, tplen, tdlen, len;
  int forking, anonymous, rv;

  rv = imsms_tp_decode(&req, &m->body->u.ticket, w->tpkeys,
                       IMSMS_KMS_MAX_KEYS, w->ids, IMSMS_KMS_MAX_IDS);
  if (rv == 0) {
    rv = check_requested(m, &req);
  }
  if (rv == 0) {
    rv = grant(kms, m, &req, &granted);
  }
  if (rv != 0) {
    return rv;
  }
  anonymous = imsms_ticket_is_anonymous(&granted.initiator) && m->peer.len;
  /* Audit events name the real requester; only the ticket hides it. */
  m->initiator = anonymous ? m->peer : granted.initiator;
  tplen = imsms_tp_data_encode(&granted, 0, w->tpdata, sizeof(w->tpdata));
  if (tplen < 0) {
    return (int)tplen;
  }
  forking = (granted.flags & IMSMS_TP_I) != 0;
  mpklen = granted.prf_func == IMSMS_MIKEY_PRF_HMAC_SHA256 ? 32 : 16;
  if ((nkd = make_keys(kms, &req, mpklen, &rand, &randlen)) < 0) {
    return (int)nkd;
  }
  /* The TICKET payload: granted TP, then the sealed Ticket Data. */
  rv = imsms_tp_payload(&tkt, IMSMS_MIKEY_PT_TICKET, &granted, w->tpdata,
                        (size_t)tplen);
  if (rv != 0) {
    return rv;
  }
  tdlen = imsms_base_ticket_seal_rand(
      kms->ctx, kms->keyring, &tkt.u.ticket, now, w->kd, (size_t)nkd,
      anonymous ? &m->peer : NULL, w->ticket, sizeof(w->ticket), rand,
      &randlen);
  if (tdlen < 0) {
    return (int)tdlen;
  }
  /* A RAND longer than drawn was copied after the keys. */
  imsms_kms_work_mark(&w->keys_used, (size_t)(rand - w->keys) + randlen);
  kms->rand_hint = randlen;
  tkt.u.ticket.ticket_data = w->ticket;
  tkt.u.ticket.ticket_data_len = (size_t)tdlen;
  /* MPKi || [MPKr] || keys (RFC 6043 4.2.1.5). */
  imsms_kms_work_mark(&w->derived_used, 2 * mpklen);
  rv = imsms_base_ticket_mpk(kms->ctx, granted.prf_func, w->kd[0].key, mpklen,
                             rand, randlen, w->derived,
                             forking ? w->derived + mpklen : NULL);
  if (rv != 0) {
    return rv;
  }
  key_view(&resp_kd[0], IMSMS_MIKEY_KEY_MPK, w->derived, mpklen, NULL, 0,
           w->kd[0].spi);
  nresp = 1;
  if (forking) {
    key_view(&resp_kd[nresp++], IMSMS_MIKEY_KEY_MPK, w->derived + mpklen,
             mpklen, NULL, 0, w->kd[0].spi);
  }
  for (i = 1; i < (size_t)nkd; i++) {
    resp_kd[nresp++] = w->kd[i];
  }
  /* |resp_kd| holds views (pointers, lengths, types), no key bytes: it
   * needs no wipe. */
  rv = imsms_kms_encrypt_keys(kms, m, now, resp_kd, nresp, &clen);
  if (rv != 0) {
    return rv;
  }
  imsms_kms_t(&pls[n++], now);
  if (kms->identity.len || m->kms_id.len) {
    imsms_kms_idr(&pls[n++], IMSMS_MIKEY_IDR_KMS,
                  kms->identity.len ? &kms->identity : &m->kms_id);
  }
  pls[n++] = tkt;
  imsms_kms_kemac(&pls[n++], m->encr_alg, w->cipher, clen);
  len = imsms_kms_seal_answer(kms, m, IMSMS_MIKEY_REQUEST_RESP, pls, n, out,
                              outcap);
  if (len < 0) {
    return (int)len;
  }
  *outlen = (size_t)len;
  return 0;
}
