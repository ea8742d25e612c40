/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Ticket Resolve (RFC 6043 4.2.3): the TICKET of an authenticated
 * RESOLVE_INIT_PSK is opened with the key ring, its granted TP decoded
 * and checked (validity window, resolver authorised), and RESOLVE_RESP =
 * HDR, T, [IDRkms], KEMAC, IDRr, [RANDRkms], V hands the Responder
 * E(encr_key, MPKi || [MPKr'] || keys).
 *
 * Choices (see also kms.h):
 *  - The exchange's PRF must be the ticket's (one algorithm set, RFC
 *    6043 12.1), else IMSMS_ERR_MIKEY_PRF.
 *  - Default authorisation: the resolver (IDRr of RESOLVE_INIT, which
 *    must be present) is one of the ticket's responders, byte for byte
 *    with the same ID type, or a member of one of them by is_member().
 *    The keys are then bound to the resolver's own identity: a member of
 *    a group gets keys forked for itself, not for the group.
 *  - IDRr is always sent, naming the identity the keys are bound to.
 *  - With the I flag, RANDRkms is as long as the longest of 16 bytes,
 *    MPKr and the TGKs (RFC 6043 12.1), MPKr' and every TGK (with or
 *    without salt; the salt is not forked) are forked for that identity;
 *    GTGKs and TEKs never are (RFC 6043 5.1.1).
 *  - A ticket that fails its own MAC is refused with
 *    IMSMS_ERR_MIKEY_AUTH but, unlike an unauthenticated requester, gets
 *    an Error message: the resolver proved its key.
 *  - Deferred delivery: a ticket whose validity ended at most
 *    deferred_grace_sec ago still resolves (kms.h), so a stored call can
 *    be played back; the start of validity is never relaxed.
 *  - With the I flag the Initiator Data of the TICKET must be present
 *    and its Vr must verify (RFC 6043 4.2.3.4, 6.10), else
 *    IMSMS_ERR_MIKEY_MISSING or IMSMS_ERR_MIKEY_AUTH; Vi is left to the
 *    Responder.
 *  - An anonymous caller's ticket (IDRi IMSMS_ANONYMOUS_URI, the real
 *    IDRi sealed inside): the policy callbacks and the audit event see
 *    the sealed identity; RESOLVE_RESP names it (IDR, role IDRi, inside
 *    the MAC) only when disclose_initiator says so. RFC 6043 peers ignore
 *    the extra payload.
 */
#include <string.h>

#include <imsmediasec/keys.h>

#include "core/ctx.h"
#include "kms/kms_int.h"
#include "mikey/labels.h"
#include "mikey/prf.h"

/* A RANDR payload carries at most 255 bytes. */
#define MAX_RANDRKMS 255

static int deny(imsms_kms_msg *m, int rv) {
  m->event = IMSMS_KMS_RESOLVE_DENIED;
  return rv < 0 ? rv : IMSMS_ERR_KMS_DENIED;
}

/* Decides whether |m|'s resolver may have the keys, and as whom. */
static int authorize(imsms_kms *kms, imsms_kms_msg *m, const imsms_tp *tp,
                     imsms_id *as_idrr) {
  size_t i;
  int rv;

  memset(as_idrr, 0, sizeof(*as_idrr));
  if (kms->cb.authorize_resolve != NULL) {
    rv = kms->cb.authorize_resolve(kms, &m->peer, tp, as_idrr,
                                   kms->user_data);
    if (rv != 0) {
      return deny(m, rv);
    }
    if (as_idrr->len == 0) {
      *as_idrr = m->peer;
    }
    /* The keys must be bound to an identity that fits an IDR payload. */
    if (as_idrr->len == 0 || as_idrr->len > 0xffff ||
        as_idrr->data == NULL) {
      return deny(m, IMSMS_ERR_KMS_DENIED);
    }
    return 0;
  }
  if (m->peer.len == 0) {
    return deny(m, IMSMS_ERR_KMS_DENIED);
  }
  for (i = 0; i < tp->nresponders; i++) {
    if (imsms_kms_same_id(&tp->responders[i], &m->peer)) {
      *as_idrr = m->peer;
      return 0;
    }
  }
  if (kms->cb.is_member != NULL) {
    for (i = 0; i < tp->nresponders; i++) {
      if (kms->cb.is_member(kms, &tp->responders[i], &m->peer,
                            kms->user_data)) {
        *as_idrr = m->peer;
        return 0;
      }
    }
  }
  return deny(m, IMSMS_ERR_KMS_DENIED);
}

/* Walks the decrypted key data of the ticket into |w->kd|. */
static imsms_ssize ticket_keys(imsms_kms_work *w, size_t len) {
  uint8_t next = IMSMS_MIKEY_PT_KEY_DATA;
  size_t off = 0, n = 0;

  while (next == IMSMS_MIKEY_PT_KEY_DATA && off < len) {
    imsms_ssize r;

    if (n == IMSMS_KMS_MAX_KEYS + 1) {
      return IMSMS_ERR_MIKEY_TOO_MANY;
    }
    imsms_kms_work_mark(&w->kd_used, n + 1);
    r = imsms_mikey_keydata_decode(&w->kd[n++], &next, w->keys + off,
                                   len - off);
    if (r < 0) {
      return r;
    }
    off += (size_t)r;
  }
  if (next != 0 || off != len || n == 0 ||
      w->kd[0].type != IMSMS_MIKEY_KEY_MPK) {
    return IMSMS_ERR_MIKEY_KEY_DATA;
  }
  return (imsms_ssize)n;
}

static int is_tgk(uint8_t type) {
  return type == IMSMS_MIKEY_KEY_TGK || type == IMSMS_MIKEY_KEY_TGK_SALT;
}

/*
 * MPKi || [MPKr'] || keys, forked for |as_idrr| with |randrkms| when
 * |randrkms| is not NULL, as views into |w->derived| and the ticket's
 * keys, in |kd|. Returns the number of views.
 */
static imsms_ssize answer_keys(imsms_kms *kms, const imsms_tp *tp, size_t nkd,
                               const imsms_id *as_idrr,
                               const uint8_t *rand, size_t randlen,
                               const uint8_t *randrkms, size_t rkmslen,
                               imsms_mikey_keydata *kd) {
  imsms_kms_work *w = kms->w;
  size_t mpklen = w->kd[0].key_len, off, need, i, n = 0;
  uint8_t *mpkr;
  int rv;

  need = 3 * mpklen;
  for (i = 1; i < nkd; i++) {
    need += w->kd[i].key_len;
  }
  if (need > sizeof(w->derived)) {
    return IMSMS_ERR_TOO_LARGE;
  }
  imsms_kms_work_mark(&w->derived_used, need);
  mpkr = randrkms ? w->derived + mpklen : NULL;
  rv = imsms_base_ticket_mpk(kms->ctx, tp->prf_func, w->kd[0].key, mpklen,
                             rand, randlen, w->derived, mpkr);
  if (rv != 0) {
    return rv;
  }
  kd[n] = w->kd[0];
  kd[n++].key = w->derived;
  off = 2 * mpklen;
  if (randrkms) {
    rv = imsms_key_fork(kms->ctx, tp->prf_func, IMSMS_FORK_MPKR, mpkr, mpklen,
                        as_idrr->data, as_idrr->len, randrkms, rkmslen,
                        w->derived + off);
    imsms_secure_clear(mpkr, mpklen);
    if (rv != 0) {
      return rv;
    }
    kd[n] = w->kd[0];
    kd[n++].key = w->derived + off;
    off += mpklen;
  }
  for (i = 1; i < nkd; i++) {
    kd[n] = w->kd[i];
    if (randrkms && is_tgk(w->kd[i].type)) {
      rv = imsms_key_fork(kms->ctx, tp->prf_func, IMSMS_FORK_TGK,
                          w->kd[i].key, w->kd[i].key_len, as_idrr->data,
                          as_idrr->len, randrkms, rkmslen, w->derived + off);
      if (rv != 0) {
        return rv;
      }
      kd[n].key = w->derived + off;
      off += w->kd[i].key_len;
    }
    n++;
  }
  return (imsms_ssize)n;
}

/* RFC 6043 12.1: RANDRkms at least as long as MPKr and every TGK. */
static size_t randrkms_len(const imsms_kms_work *w, size_t nkd) {
  size_t len = IMSMS_KMS_MIN_RANDRKMS, i;

  for (i = 0; i < nkd; i++) {
    if ((i == 0 || is_tgk(w->kd[i].type)) && w->kd[i].key_len > len) {
      len = w->kd[i].key_len;
    }
  }
  return len > MAX_RANDRKMS ? MAX_RANDRKMS : len;
}

/*
 * RFC 6043 6.10 and 4.2.3.4: with forking the Initiator Data is First
 * Payload, Vi, Vr; Vr is a MAC over all of it but its own MAC value,
 * under an auth key from the unforked MPKr (label 0x2D22AC75 || 0xFF ||
 * 0xFFFFFFFF || 0x04, the TP's PRF), with Vi's algorithm. Only the
 * Initiator and the KMS know MPKr: a ticket resolved with valid Initiator
 * Data came with the Initiator's own TRANSFER_INIT. Vi is the Responder's
 * to compare with that TRANSFER_INIT's V.
 */
static int check_initiator_data(imsms_kms *kms, const imsms_mikey_ticket *tk,
                                const imsms_tp *tp,
                                const imsms_ticket_info *info) {
  const imsms_mikey_keydata *mpk = &kms->w->kd[0];
  uint8_t mpkr[IMSMS_PRF_MAX_INKEY], key[IMSMS_MAX_DIGEST_LEN], label[16];
  imsms_mikey_payload pl, vi = {0}, vr = {0};
  imsms_mikey_iter it;
  imsms_ssize ln;
  imsms_iov iov;
  uint8_t encr, mac;
  int nv = 0, rv;

  if (tk->init_data_len < 1) {
    return IMSMS_ERR_MIKEY_MISSING;
  }
  imsms_mikey_chain_init(&it, tk->init_data[0], tk->init_data + 1,
                         tk->init_data_len - 1);
  while ((rv = imsms_mikey_iter_next(&it, &pl)) == 0) {
    if (pl.type == IMSMS_MIKEY_PT_V) {
      vi = nv ? vi : pl;
      vr = pl;
      nv++;
    }
  }
  if (rv != IMSMS_ERR_EOF || it.pos != it.end || nv < 2 ||
      vr.raw + vr.rawlen != tk->init_data + tk->init_data_len) {
    return IMSMS_ERR_MIKEY_MISSING;
  }
  /* The ticket's algorithm set (RFC 6043 12.1), never a NULL MAC. */
  (void)imsms_mikey_algs_for_prf(tp->prf_func, &encr, &mac);
  if (vr.u.v.alg != mac || vi.u.v.alg != mac || vr.u.v.len == 0 ||
      mpk->key_len > sizeof(mpkr)) {
    return IMSMS_ERR_MIKEY_MAC_ALG;
  }
  ln = imsms_label_vr_6043(label, sizeof(label));
  rv = ln < 0 ? (int)ln
              : imsms_base_ticket_mpk(kms->ctx, tp->prf_func, mpk->key,
                                      mpk->key_len, info->rand,
                                      info->rand_len, NULL, mpkr);
  if (rv == 0) {
    rv = imsms_mikey_prf(kms->ctx, tp->prf_func, mpkr, mpk->key_len, label,
                         (size_t)ln, key, vr.u.v.len);
  }
  if (rv == 0) {
    iov.base = tk->init_data;
    iov.len = tk->init_data_len - vr.u.v.len;
    rv = imsms_mikey_mac_verify(kms->ctx, vr.u.v.alg, key, vr.u.v.len, &iov,
                                1, vr.u.v.mac);
  }
  imsms_secure_clear(mpkr, sizeof(mpkr));
  imsms_secure_clear(key, sizeof(key));
  return rv;
}

/* The validity window, stretched at its end by the deferred grace. */
static int check_time(const imsms_kms *kms, const imsms_tp *tp,
                      imsms_tstamp now) {
  int rv = imsms_tp_check_time(tp, now);

  if (rv == IMSMS_ERR_TICKET_EXPIRED &&
      (uint64_t)(now - tp->end) <= (uint64_t)kms->deferred_grace_sec << 32) {
    rv = 0;
  }
  return rv;
}

/* see kms/kms_int.h */
int imsms_kms_resolve(imsms_kms *kms, imsms_kms_msg *m, imsms_tstamp now,
                      uint8_t *out, size_t outcap, size_t *outlen) {
  imsms_kms_work *w = kms->w;
  const imsms_mikey_ticket *tk = &m->body->u.ticket;
  imsms_mikey_keydata kd[IMSMS_KMS_MAX_KEYS + 2];
  imsms_mikey_payload pls[8];
  uint8_t randrkms[MAX_RANDRKMS];
  imsms_ticket_info info;
  imsms_id as_idrr;
  imsms_tp tp, real;
  size_t n = 0, clen = 0, rkmslen = 0;
  imsms_ssize nkd, nans, len;
  int forking, anonymous, disclose, rv;

  if (tk->ticket_type != IMSMS_MIKEY_TICKET_MIKEY_BASE || tk->subtype != 1 ||
      tk->version != 1) {
    return IMSMS_ERR_MIKEY_TICKET_TYPE;
  }
  /* The key data decrypted from the ticket is no longer than it. */
  imsms_kms_work_mark(&w->keys_used, tk->ticket_data_len);
  rv = imsms_base_ticket_open(kms->ctx, kms->keyring, tk, w->keys,
                              sizeof(w->keys), &info);
  if (rv != 0) {
    return rv;
  }
  /* The TP is authentic now: the ticket's MAC covers it. */
  rv = imsms_tp_decode(&tp, tk, w->tpkeys, IMSMS_KMS_MAX_KEYS, w->ids,
                       IMSMS_KMS_MAX_IDS);
  if (rv != 0) {
    return rv;
  }
  /* The policy sees who really called; the responders may not. */
  real = tp;
  anonymous = imsms_ticket_is_anonymous(&tp.initiator) &&
              info.sealed_initiator.len != 0;
  if (anonymous) {
    real.initiator = info.sealed_initiator;
  }
  m->initiator = real.initiator;
  if (tp.prf_func != m->msg.hdr.prf_func) {
    return IMSMS_ERR_MIKEY_PRF;
  }
  if ((rv = check_time(kms, &tp, now)) != 0 ||
      (rv = authorize(kms, m, &real, &as_idrr)) != 0) {
    return rv;
  }
  disclose = anonymous && kms->cb.disclose_initiator != NULL &&
             kms->cb.disclose_initiator(kms, &m->peer, &tp,
                                        &info.sealed_initiator,
                                        kms->user_data) > 0;
  if ((nkd = ticket_keys(w, info.keys_len)) < 0) {
    return (int)nkd;
  }
  forking = (tp.flags & IMSMS_TP_I) != 0;
  if (forking && (rv = check_initiator_data(kms, tk, &tp, &info)) != 0) {
    return rv;
  }
  if (forking) {
    rkmslen = randrkms_len(w, (size_t)nkd);
    if ((rv = imsms_random(kms->ctx, randrkms, rkmslen)) != 0) {
      return rv;
    }
  }
  nans = answer_keys(kms, &tp, (size_t)nkd, &as_idrr, info.rand,
                     info.rand_len, forking ? randrkms : NULL, rkmslen, kd);
  rv = nans < 0 ? (int)nans
                : imsms_kms_encrypt_keys(kms, m, now, kd, (size_t)nans, &clen);
  imsms_secure_clear(kd, sizeof(kd));
  if (rv != 0) {
    return rv;
  }
  imsms_kms_t(&pls[n++], now);
  if (kms->identity.len || m->kms_id.len) {
    imsms_kms_idr(&pls[n++], IMSMS_MIKEY_IDR_KMS,
                  kms->identity.len ? &kms->identity : &m->kms_id);
  }
  imsms_kms_kemac(&pls[n++], m->encr_alg, w->cipher, clen);
  imsms_kms_idr(&pls[n++], IMSMS_MIKEY_IDR_R, &as_idrr);
  if (disclose) {
    imsms_kms_idr(&pls[n++], IMSMS_MIKEY_IDR_I, &info.sealed_initiator);
  }
  if (forking) {
    memset(&pls[n], 0, sizeof(pls[n]));
    pls[n].type = IMSMS_MIKEY_PT_RANDR;
    pls[n].u.randr.role = IMSMS_MIKEY_RANDR_KMS;
    pls[n].u.randr.rand = randrkms;
    pls[n].u.randr.len = rkmslen;
    n++;
  }
  len = imsms_kms_seal_answer(kms, m, IMSMS_MIKEY_RESOLVE_RESP, pls, n, out,
                              outcap);
  if (len < 0) {
    return (int)len;
  }
  *outlen = (size_t)len;
  return 0;
}

/* see kms/kms_int.h */
imsms_ssize imsms_kms_ticket_keys(imsms_kms_work *w, size_t len) {
  return ticket_keys(w, len);
}

/* see kms/kms_int.h */
imsms_ssize imsms_kms_answer_keys(imsms_kms *kms, const imsms_tp *tp,
                                  size_t nkd, const imsms_id *as_idrr,
                                  const uint8_t *rand, size_t randlen,
                                  const uint8_t *randrkms, size_t rkmslen,
                                  imsms_mikey_keydata *kd) {
  return answer_keys(kms, tp, nkd, as_idrr, rand, randlen, randrkms, rkmslen,
                     kd);
}
