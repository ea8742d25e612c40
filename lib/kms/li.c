/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Lawful interception access to a ticket's keys (kms.h,
 * imsms_kms_li_keys()), TR 33.828 5.1:
 *  1. "Lawful interception requirements shall be met": the KMS can open
 *     every ticket it issued, so the keys of any call keyed through it
 *     can be given to the interception function.
 *  2. "shall not require the operator to reveal information ... outside
 *     the terms of the intercept warrant": keys are given only for a
 *     ticket whose parties include the warrant's target and whose
 *     validity lies inside the warrant's window; a warrant on a
 *     Responder of a forking ticket gets that Responder's fork only, not
 *     the unforked MPKr and TGK from which every fork follows.
 *  3. "It shall not be possible for users to determine whether their
 *     communications are subject to lawful interception": the query is
 *     not a MIKEY exchange. It sends nothing, consults no replay cache
 *     and draws no random number; its only trace is the audit event,
 *     which is the operator's.
 *
 * The keys are computed by the same code as a RESOLVE_RESP
 * (imsms_kms_answer_keys()), so they are exactly what the parties got
 * from the KMS. Keys a UE supplies (flags L and M, in the Transfer
 * exchange or a CSB update) never pass the KMS: a policy that must keep
 * interception possible grants neither flag (IMSMS_KMS_LIMIT_NO_UE_KEYS).
 */
#include <string.h>

#include "core/ctx.h"
#include "kms/kms_int.h"

/* A RANDR payload carries at most 255 bytes. */
#define MAX_RANDRKMS 255

/* Whether |party| is the target, or a group holding it. */
static int names_target(imsms_kms *kms, const imsms_id *party,
                        const imsms_id *target) {
  if (party->len == 0) {
    return 0;
  }
  return imsms_kms_same_id(party, target) ||
         (kms->cb.is_member != NULL &&
          kms->cb.is_member(kms, party, target, kms->user_data));
}

/*
 * Whether the fork bound to |idrr| is the target's: |idrr| is the
 * target, a group holding it (keys bound to a group), or a member of the
 * target (a warrant on a group identity).
 */
static int fork_of_target(imsms_kms *kms, const imsms_id *idrr,
                          const imsms_id *target) {
  return names_target(kms, idrr, target) ||
         (kms->cb.is_member != NULL &&
          kms->cb.is_member(kms, target, idrr, kms->user_data));
}

/* The target's part in ticket policy |tp|, or 0. */
static int target_party(imsms_kms *kms, const imsms_tp *tp,
                        const imsms_id *target) {
  size_t i;

  if (names_target(kms, &tp->initiator, target)) {
    return IMSMS_KMS_LI_INITIATOR;
  }
  for (i = 0; i < tp->nresponders; i++) {
    if (imsms_kms_same_id(&tp->responders[i], target)) {
      return IMSMS_KMS_LI_RESPONDER;
    }
  }
  for (i = 0; i < tp->nresponders; i++) {
    if (names_target(kms, &tp->responders[i], target)) {
      return IMSMS_KMS_LI_MEMBER;
    }
  }
  return 0;
}

/* Whether the ticket's window (T for an open end) lies in the warrant's. */
static int check_window(const imsms_kms_warrant *w, const imsms_tp *tp,
                        imsms_tstamp t) {
  imsms_tstamp lo = tp->has_start ? tp->start : t;
  imsms_tstamp hi = tp->has_end ? tp->end : t;

  /* Signed differences: right across the NTP era boundary. */
  if ((int64_t)(lo - w->start) < 0 || (int64_t)(hi - w->start) < 0) {
    return IMSMS_ERR_TICKET_NOT_YET_VALID;
  }
  if ((int64_t)(hi - w->end) > 0 || (int64_t)(lo - w->end) > 0) {
    return IMSMS_ERR_TICKET_EXPIRED;
  }
  return 0;
}

static int copy_key(imsms_kms_li_key *dst, const imsms_mikey_keydata *kd) {
  if (kd->key_len > sizeof(dst->key) || kd->salt_len > sizeof(dst->salt) ||
      kd->spi_len > sizeof(dst->spi)) {
    return IMSMS_ERR_TOO_LARGE;
  }
  dst->type = kd->type;
  memcpy(dst->key, kd->key, kd->key_len);
  dst->key_len = kd->key_len;
  if (kd->salt_len) {
    memcpy(dst->salt, kd->salt, kd->salt_len);
  }
  dst->salt_len = kd->salt_len;
  if (kd->spi_len) {
    memcpy(dst->spi, kd->spi, kd->spi_len);
  }
  dst->spi_len = kd->spi_len;
  return 0;
}

static int check_args(const imsms_kms_warrant *w, const imsms_id *idrr,
                      const uint8_t *randrkms, size_t randrkmslen) {
  int has_idrr = idrr != NULL && idrr->len != 0;

  if (w->target.len == 0 || w->target.len > 0xffff || w->target.data == NULL ||
      (int64_t)(w->end - w->start) < 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (has_idrr != (randrkms != NULL) ||
      (randrkms != NULL && (randrkmslen == 0 || randrkmslen > MAX_RANDRKMS)) ||
      (has_idrr && (idrr->len > 0xffff || idrr->data == NULL))) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  return 0;
}

/* The query itself; |*initiator| gets the ticket's IDRi once known. */
static int li_keys(imsms_kms *kms, const imsms_kms_warrant *w,
                   const imsms_mikey_ticket *ticket, const imsms_id *idrr,
                   const uint8_t *randrkms, size_t randrkmslen,
                   imsms_tstamp now, imsms_kms_li_out *out,
                   imsms_id *initiator) {
  imsms_kms_work *kw = kms->w;
  imsms_mikey_keydata kd[IMSMS_KMS_MAX_KEYS + 2];
  imsms_ticket_info info;
  imsms_tp tp;
  imsms_ssize nkd, n;
  size_t i, first;
  int rv, party, forking, fork = 0;

  if ((rv = check_args(w, idrr, randrkms, randrkmslen)) != 0) {
    return rv;
  }
  /* The warrant must be in force. */
  if ((int64_t)(now - w->start) < 0) {
    return IMSMS_ERR_TICKET_NOT_YET_VALID;
  }
  if ((int64_t)(now - w->end) > 0) {
    return IMSMS_ERR_TICKET_EXPIRED;
  }
  /* The key data decrypted from the ticket is no longer than it. */
  imsms_kms_work_mark(&kw->keys_used, ticket->ticket_data_len);
  rv = imsms_base_ticket_open(kms->ctx, kms->keyring, ticket, kw->keys,
                              sizeof(kw->keys), &info);
  if (rv != 0) {
    return rv;
  }
  /* The TP is authentic now: the ticket's MAC covers it. */
  rv = imsms_tp_decode(&tp, ticket, kw->tpkeys, IMSMS_KMS_MAX_KEYS, kw->ids,
                       IMSMS_KMS_MAX_IDS);
  if (rv != 0) {
    return rv;
  }
  /* An anonymous caller is still the warrant's target (sealed IDRi). */
  if (imsms_ticket_is_anonymous(&tp.initiator) &&
      info.sealed_initiator.len != 0) {
    tp.initiator = info.sealed_initiator;
  }
  *initiator = tp.initiator;
  if ((party = target_party(kms, &tp, &w->target)) == 0) {
    return IMSMS_ERR_KMS_DENIED;
  }
  if ((rv = check_window(w, &tp, info.t)) != 0) {
    return rv;
  }
  forking = (tp.flags & IMSMS_TP_I) != 0;
  if (forking && randrkms != NULL) {
    /* A Responder's warrant covers its own fork (or its group's). */
    if (party != IMSMS_KMS_LI_INITIATOR &&
        !fork_of_target(kms, idrr, &w->target)) {
      return IMSMS_ERR_KMS_DENIED;
    }
    fork = 1;
  } else if (forking && party != IMSMS_KMS_LI_INITIATOR) {
    /* The unforked MPKr and TGK would open every Responder's fork. */
    return IMSMS_ERR_MIKEY_MISSING;
  }
  if ((nkd = imsms_kms_ticket_keys(kw, info.keys_len)) < 0) {
    return (int)nkd;
  }
  if ((size_t)nkd - 1 > IMSMS_KMS_LI_MAX_KEYS) {
    return IMSMS_ERR_TOO_LARGE;
  }
  n = imsms_kms_answer_keys(kms, &tp, (size_t)nkd, idrr, info.rand,
                            info.rand_len, fork ? randrkms : NULL,
                            fork ? randrkmslen : 0, kd);
  if (n < 0) {
    imsms_secure_clear(kd, sizeof(kd));
    return (int)n;
  }
  rv = copy_key(&out->mpki, &kd[0]);
  first = 1;
  if (rv == 0 && fork) {
    rv = copy_key(&out->mpkr, &kd[1]);
    first = 2;
  } else if (rv == 0 && forking) {
    /* The Initiator's MPKr, as REQUEST_RESP gave it. */
    rv = copy_key(&out->mpkr, &kd[0]);
    if (rv == 0) {
      rv = imsms_base_ticket_mpk(kms->ctx, tp.prf_func, kw->kd[0].key,
                                 kw->kd[0].key_len, info.rand, info.rand_len,
                                 NULL, out->mpkr.key);
    }
  }
  for (i = first; rv == 0 && i < (size_t)n; i++) {
    rv = copy_key(&out->keys[out->nkeys++], &kd[i]);
  }
  imsms_secure_clear(kd, sizeof(kd));
  if (rv != 0) {
    return rv;
  }
  out->party = party;
  out->prf_func = tp.prf_func;
  out->flags = tp.flags;
  out->t = info.t;
  out->forked = fork;
  return 0;
}

/* see imsmediasec/kms.h */
int imsms_kms_li_keys(imsms_kms *kms, const imsms_kms_warrant *w,
                      const imsms_mikey_ticket *ticket, const imsms_id *idrr,
                      const uint8_t *randrkms, size_t randrkmslen,
                      imsms_tstamp now, imsms_kms_li_out *out) {
  imsms_id initiator;
  imsms_kms_event ev;
  int rv;

  if (out != NULL) {
    memset(out, 0, sizeof(*out));
  }
  memset(&initiator, 0, sizeof(initiator));
  if (kms == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (w == NULL || ticket == NULL || out == NULL) {
    rv = IMSMS_ERR_INVALID_ARGUMENT;
  } else if (w->version != IMSMS_KMS_WARRANT_V1) {
    rv = IMSMS_ERR_VERSION;
  } else {
    rv = li_keys(kms, w, ticket, idrr, randrkms, randrkmslen, now, out,
                 &initiator);
  }
  if (rv != 0 && out != NULL) {
    imsms_secure_clear(out, sizeof(*out));
  }
  /* The event first: an anonymous caller's identity lives in the work
   * area (the sealed IDRi), which is wiped after. */
  if (kms->cb.audit != NULL) {
    memset(&ev, 0, sizeof(ev));
    ev.type = rv == 0 ? IMSMS_KMS_LI_ACCESS : IMSMS_KMS_LI_REFUSED;
    ev.error = rv;
    if (w != NULL && w->version == IMSMS_KMS_WARRANT_V1 &&
        w->target.len <= 0xffff && (w->target.data || !w->target.len)) {
      ev.peer = w->target;
    }
    ev.initiator = initiator;
    ev.now = now;
    kms->cb.audit(kms, &ev, kms->user_data);
  }
  imsms_kms_work_clear(kms->w);
  return rv;
}
