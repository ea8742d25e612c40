/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The Responder's Ticket Resolve exchange (RFC 6043 4.2.3), started once
 * TRANSFER_INIT passed the early checks: RESOLVE_INIT_PSK carries the
 * TICKET payload as received (Initiator Data included, for the KMS to
 * check), RESOLVE_RESP brings MPKi, [MPKr'] and the ticket keys (TGKs
 * already forked for this Responder), [IDRr] and [RANDRkms]. Then
 * TRANSFER_INIT is verified (4.2.3.6), the keys are derived and reported,
 * and TRANSFER_RESP leaves (F flag) only after that, so that early media
 * is never clipped.
 *
 * A KMS refusal is passed on to the Initiator as an unprotected Error
 * message (Auth failure for a policy denial), and ends the call.
 */
#include <string.h>

#include "ticket/ticket_int.h"
#include "ue/call_int.h"

/* see ue/call_int.h */
int imsms_ue_resolve_start(imsms_call *call, const imsms_mikey_payload *ticket,
                           imsms_tstamp now) {
  int rv = imsms_ue_kms_init(call, 1, ticket, now, call->b, &call->blen);

  if (rv != 0) {
    return rv;
  }
  imsms_ue_wait(call, IMSMS_CALL_WAIT_RESOLVE_RESP, now);
  return imsms_ue_send(call, 1, call->b, call->blen);
}

/* Tells the Initiator that the resolve failed (the call has ended). */
static void pass_on(imsms_call *call, int rv, imsms_tstamp now) {
  imsms_mikey_msg failed;

  if (imsms_mikey_decode(&failed, call->a, call->alen) == 0) {
    (void)imsms_ue_send_error(call, &failed, rv, 0, now);
  }
}

/* The longest ticket key, for the length of RANDRr. */
static size_t longest_key(const imsms_call *call) {
  size_t i, n = call->sec->mpki.key_len;

  for (i = 0; i < call->sec->nkeys; i++) {
    if (call->sec->keys[i].key_len > n) {
      n = call->sec->keys[i].key_len;
    }
  }
  return n;
}

/*
 * The caller's identity: the ticket's IDRi (the KMS checked the ticket's
 * MAC over it) unless it is IMSMS_ANONYMOUS_URI; then only what the KMS
 * disclosed in RESOLVE_RESP (inside its MAC), or nothing.
 */
static void vouched_caller(imsms_call *call, const imsms_ue_kms_answer *ans) {
  const imsms_mikey_idr *idr = ans->idri ? &ans->idri->u.idr : NULL;

  if (!imsms_ticket_is_anonymous(&call->ticket.initiator)) {
    return;
  }
  memset(&call->peer_id, 0, sizeof(call->peer_id));
  if (idr == NULL || idr->len == 0 || idr->len > sizeof(call->disclosed)) {
    return;
  }
  memcpy(call->disclosed, idr->data, idr->len);
  call->peer_id.type = idr->id_type;
  call->peer_id.data = call->disclosed;
  call->peer_id.len = idr->len;
}

/*
 * The Responder's own keys (flag M), for the sessions configured with
 * one: installed, named by SPI (keys_ready finds them), sent in the KEMAC
 * of TRANSFER_RESP. Without M the ticket's keys serve.
 */
static int install_own(imsms_call *call) {
  size_t i, j, idx;
  int rv;

  if (!(call->flags & IMSMS_TP_M)) {
    return 0;
  }
  for (i = 0; i < call->ncs; i++) {
    imsms_call_cs *cs = &call->cs[i];

    for (j = 0; j < call->nssrcs; j++) {
      if (call->ssrcs[j].cs_id != cs->cs_id || !call->ssrcs[j].own) {
        continue;
      }
      if ((rv = imsms_ue_install_own(call, call->ssrcs[j].own, &idx)) != 0) {
        return rv;
      }
      memcpy(cs->spi, call->sec->keys[idx].spi, call->sec->keys[idx].spi_len);
      cs->spi_len = call->sec->keys[idx].spi_len;
      cs->own = call->ssrcs[j].own;
    }
  }
  return 0;
}

/* Keys from the answer, TRANSFER_INIT verified, RANDRr drawn. */
static int finish(imsms_call *call, const imsms_ue_kms_answer *ans,
                  imsms_tstamp now) {
  int forking = (call->flags & IMSMS_TP_I) != 0, rv;

  if (forking && (ans->randrkms == NULL || ans->idrr == NULL)) {
    return IMSMS_ERR_MIKEY_MISSING;
  }
  if ((rv = imsms_ue_take_keys(call, ans->plain_len, forking)) != 0 ||
      (rv = imsms_ue_transfer_init_verify(call, now)) != 0) {
    return rv;
  }
  vouched_caller(call, ans);
  if ((rv = install_own(call)) != 0) {
    return rv;
  }
  if (call->flags & IMSMS_TP_G) {
    call->randrr_len = imsms_ue_rand_len(longest_key(call));
    if ((rv = imsms_random(call->ctx, call->randrr, call->randrr_len)) != 0) {
      return rv;
    }
  }
  return imsms_ue_keys_ready(call, NULL, NULL, 0);
}

/* see ue/call_int.h */
int imsms_ue_resolve_resp(imsms_call *call, const uint8_t *in, size_t inlen,
                          imsms_tstamp now) {
  imsms_call_msg m;
  imsms_ue_kms_answer ans;
  int rv;

  rv = imsms_ue_kms_answer_check(call, 1, call->b, call->blen, in, inlen, now,
                                 &m, &ans);
  if (rv != 0) {
    if (call->state == IMSMS_CALL_FAILED) {
      pass_on(call, rv, now);
    }
    return rv;
  }
  rv = finish(call, &ans, now);
  imsms_secure_clear(call->sec->plain, sizeof(call->sec->plain));
  if (rv != 0) {
    return imsms_ue_fail(call, rv, -1);
  }
  if (call->flags & IMSMS_TP_F) {
    rv = imsms_ue_transfer_resp_send(call, ans.idrr, ans.randrkms, now);
    if (rv != 0) {
      return imsms_ue_fail(call, rv, -1);
    }
  }
  return 0;
}
