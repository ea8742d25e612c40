/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Ticket reuse (RFC 6043 6.10, flag J): a new call of the same Initiator
 * starts from the ticket and keys of an earlier, completed call instead
 * of a Request exchange. TRANSFER_INIT is built afresh (CSB ID, RANDRi,
 * Initiator Data), so the session keys differ from the earlier call's;
 * the Responder resolves the ticket with the KMS as for any call.
 *
 * Choices (see call.h): the earlier call must be DONE, of the same
 * identity, with J granted; the ticket must still be valid at |now|;
 * the new call's peer must be one of the ticket's responders. The KMS
 * cannot tell a reused ticket from a forwarded one, so J is enforced
 * here, by the Initiator's library.
 */
#include <string.h>

#include "ue/call_int.h"

/* The TICKET payload of |prev|'s TRANSFER_INIT, decoded into |m|. */
static const imsms_mikey_payload *prev_ticket(const imsms_call *prev,
                                              imsms_call_msg *m) {
  imsms_ssize n = imsms_mikey_decode_all(&m->msg, m->pl,
                                         IMSMS_CALL_MAX_PAYLOADS, prev->a,
                                         prev->alen);
  imsms_ssize i;

  for (i = 0; i < n; i++) {
    if (m->pl[i].type == IMSMS_MIKEY_PT_TICKET) {
      return &m->pl[i];
    }
  }
  return NULL;
}

/* The ticket is valid now and names |call|'s peer as a responder. */
static int check_ticket(imsms_call *call, const imsms_mikey_payload *t,
                        imsms_tstamp now) {
  imsms_tp tp;
  size_t i;
  int rv = imsms_tp_decode(&tp, &t->u.ticket, call->ticket_keys,
                           IMSMS_CALL_MAX_KEYS, call->ticket_ids,
                           IMSMS_CALL_MAX_IDS);

  if (rv != 0 || (rv = imsms_tp_check_time(&tp, now)) != 0) {
    return rv;
  }
  for (i = 0; i < tp.nresponders; i++) {
    if (imsms_ue_same_id(&tp.responders[i], &call->peer)) {
      return 0;
    }
  }
  return IMSMS_ERR_MIKEY_TP;
}

/* see imsmediasec/call.h */
int imsms_call_start_reuse(imsms_call *call, const imsms_call *prev,
                           imsms_tstamp now) {
  const imsms_mikey_payload *t;
  imsms_call_msg m;
  int rv;

  if (call == NULL || prev == NULL || call == prev) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (call->role != IMSMS_CALL_ROLE_INITIATOR ||
      call->state != IMSMS_CALL_IDLE ||
      prev->role != IMSMS_CALL_ROLE_INITIATOR ||
      prev->state != IMSMS_CALL_DONE) {
    return IMSMS_ERR_MIKEY_UNEXPECTED;
  }
  if (!imsms_ue_same_id(&call->identity, &prev->identity)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (!(prev->flags & IMSMS_TP_J)) {
    return IMSMS_ERR_MIKEY_TP;
  }
  if ((t = prev_ticket(prev, &m)) == NULL) {
    return IMSMS_ERR_MIKEY_MISSING;
  }
  if ((rv = check_ticket(call, t, now)) != 0) {
    return rv;
  }
  call->prf = prev->prf;
  call->flags = prev->flags;
  call->sec->mpki = prev->sec->mpki;
  call->sec->mpkr = prev->sec->mpkr;
  memcpy(call->sec->keys, prev->sec->keys, sizeof(call->sec->keys));
  call->sec->nkeys = prev->sec->nkeys;
  rv = imsms_ue_transfer_init_send(call, t, now);
  return rv == 0 ? 0 : imsms_ue_fail(call, rv, -1);
}
