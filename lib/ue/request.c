/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The Initiator's Ticket Request exchange (RFC 6043 4.2.1):
 * REQUEST_INIT_PSK with the desired policy (its key template included),
 * then REQUEST_RESP: MAC, keys, and the granted policy, which the
 * Initiator MUST find acceptable before it uses the ticket (4.2.1.6,
 * imsms_tp_grant_acceptable()). An acceptable grant goes straight on to
 * TRANSFER_INIT.
 */
#include <string.h>

#include "ticket/ticket_int.h"
#include "ue/call_int.h"

/* see ue/call_int.h */
int imsms_ue_request_start(imsms_call *call, imsms_tstamp now) {
  imsms_mikey_payload tp;
  imsms_ssize n;
  int rv;

  /* The TP Data is built in |b|, free until the Transfer exchange. */
  n = imsms_tp_data_encode(&call->tp, 1, call->b, call->msgcap);
  if (n < 0) {
    return (int)n;
  }
  if ((rv = imsms_tp_payload(&tp, IMSMS_MIKEY_PT_TP, &call->tp, call->b,
                             (size_t)n)) != 0 ||
      (rv = imsms_ue_kms_init(call, 0, &tp, now, call->a, &call->alen)) != 0) {
    return rv;
  }
  imsms_ue_wait(call, IMSMS_CALL_WAIT_REQUEST_RESP, now);
  return imsms_ue_send(call, 1, call->a, call->alen);
}

/* The granted policy of |ticket|, checked against the desired one. */
static int check_grant(imsms_call *call, const imsms_mikey_payload *ticket) {
  imsms_tp granted;
  int rv;

  /* The Responder's arrays serve as scratch on this side. */
  rv = imsms_tp_decode(&granted, &ticket->u.ticket, call->ticket_keys,
                       IMSMS_CALL_MAX_KEYS, call->ticket_ids,
                       IMSMS_CALL_MAX_IDS);
  if (rv != 0) {
    return rv;
  }
  if (granted.nkeys != 0 || !(granted.flags & IMSMS_TP_N) ||
      granted.prf_func != call->prf) {
    return IMSMS_ERR_MIKEY_TP;
  }
  if ((rv = imsms_tp_grant_acceptable(&call->tp, &granted, NULL)) != 0) {
    return rv;
  }
  /* A grant that names the anonymous caller would expose her. */
  if (call->anonymous && !imsms_ticket_is_anonymous(&granted.initiator)) {
    return IMSMS_ERR_MIKEY_TP;
  }
  call->flags = granted.flags;
  return 0;
}

/* see ue/call_int.h */
int imsms_ue_request_resp(imsms_call *call, const uint8_t *in, size_t inlen,
                          imsms_tstamp now) {
  imsms_call_msg m;
  imsms_ue_kms_answer ans;
  int rv;

  rv = imsms_ue_kms_answer_check(call, 0, call->a, call->alen, in, inlen, now,
                                 &m, &ans);
  if (rv != 0) {
    /* Unauthenticated: discarded (or an Error message ended the call). */
    return rv;
  }
  /* Authenticated: from here on a refusal ends the call. */
  rv = check_grant(call, ans.ticket);
  if (rv == 0) {
    rv = imsms_ue_take_keys(call, ans.plain_len,
                            (call->flags & IMSMS_TP_I) != 0);
  }
  imsms_secure_clear(call->sec->plain, sizeof(call->sec->plain));
  if (rv == 0) {
    rv = imsms_ue_transfer_init_send(call, ans.ticket, now);
  }
  return rv == 0 ? 0 : imsms_ue_fail(call, rv, -1);
}
