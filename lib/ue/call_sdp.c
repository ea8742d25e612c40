/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A call driven by SDP offer/answer strings: TRANSFER_INIT goes out in
 * the offer's a=key-mgmt:mikey, TRANSFER_RESP in the answer's, each
 * through the negotiation of sdp_nego.h, and the protocol list of the
 * offer is what the Initiator authenticated (SDP IDs) and the Responder
 * requires. Every e2e line carries the same message (one crypto session
 * bundle covers the call), so lines that differ are refused, and so are
 * lines whose protocol lists differ (the message authenticates one).
 */
#include <string.h>

#include <imsmediasec/sdp_nego.h>

#include "ue/call_int.h"

#define SDP_IDS_MIKEY "mikey"

static int is_e2e(const imsms_sdp_result *r) {
  return r->mode == IMSMS_SDP_MODE_E2E_KMS;
}

/*
 * The one key-mgmt message of the e2e lines of |res| (empty when they
 * carry none); IMSMS_ERR_EOF when no line is e2e.
 */
static int e2e_message(const imsms_sdp_result *res, size_t n,
                       const imsms_sdp_result **first) {
  size_t i;

  *first = NULL;
  for (i = 0; i < n; i++) {
    if (!is_e2e(&res[i])) {
      continue;
    }
    if (*first == NULL) {
      *first = &res[i];
    } else if (res[i].key_mgmt.len != (*first)->key_mgmt.len ||
               (res[i].key_mgmt.len &&
                memcmp(res[i].key_mgmt.base, (*first)->key_mgmt.base,
                       res[i].key_mgmt.len) != 0)) {
      return IMSMS_ERR_SDP_CONFLICT;
    } else if (strcmp(res[i].ids, (*first)->ids) != 0) {
      /* One message authenticates one list: another line was altered. */
      return IMSMS_ERR_SDP_DOWNGRADE;
    }
  }
  return *first ? 0 : IMSMS_ERR_EOF;
}

/* Largest TRANSFER_RESP taken from an answer (on the stack). */
#define ANSWER_MSG_MAX 4096

static imsms_ssize decode(uint8_t *out, size_t cap, const imsms_sdp_vec *km) {
  imsms_sdp_key_mgmt k;
  imsms_ssize n;

  memset(&k, 0, sizeof(k));
  k.data = *km;
  n = imsms_sdp_key_mgmt_decode(out, cap, &k);
  return n == IMSMS_ERR_NOBUF ? IMSMS_ERR_TOO_LARGE : n;
}

/*
 * Responder: TRANSFER_INIT is decoded into the second buffer, free while
 * the call is idle (imsms_call_recv() copies it into the first one), and
 * the call requires the protocol list of its line. An offer refused with
 * the call still idle leaves the list the call had.
 */
static int feed_init(imsms_call *call, const imsms_sdp_result *e2e,
                     imsms_tstamp now) {
  imsms_ssize n = decode(call->b, call->msgcap, &e2e->key_mgmt);
  char old[sizeof(call->sdp_ids)];
  size_t oldlen = call->sdp_ids_len;
  int rv;

  if (n < 0) {
    return (int)n;
  }
  memcpy(old, call->sdp_ids, oldlen);
  rv = imsms_call_set_sdp_ids(call, e2e->ids, strlen(e2e->ids));
  if (rv == 0) {
    rv = imsms_call_recv(call, call->b, (size_t)n, now);
  }
  if (rv != 0 && call->state == IMSMS_CALL_IDLE) {
    memcpy(call->sdp_ids, old, oldlen);
    call->sdp_ids_len = oldlen;
  }
  return rv;
}

/* Initiator: both buffers are in use (TRANSFER_INIT is still needed). */
static int feed_resp(imsms_call *call, const imsms_sdp_vec *km,
                     imsms_tstamp now) {
  uint8_t buf[ANSWER_MSG_MAX];
  imsms_ssize n = decode(buf, sizeof(buf), km);
  int rv = n < 0 ? (int)n : imsms_call_recv(call, buf, (size_t)n, now);

  imsms_secure_clear(buf, sizeof(buf));
  return rv;
}

/* see imsmediasec/call.h */
imsms_ssize imsms_call_sdp_offer(imsms_call *call, const char *sdp,
                                 size_t sdplen, const imsms_sdp_policy *pol,
                                 const imsms_sdp_media_keys *keys,
                                 size_t nkeys, char *out, size_t outcap,
                                 imsms_sdp_result *res, size_t rescap,
                                 size_t *nres) {
  const uint8_t *ti = NULL;
  size_t tilen = 0;

  if (call == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  /* The last message for the peer must be the call's TRANSFER_INIT, not
   * a CSB update (kept in |u|), which has no place in this offer. */
  if (call->role != IMSMS_CALL_ROLE_INITIATOR || call->peer_msg == NULL ||
      call->peer_msg == call->u || call->state == IMSMS_CALL_FAILED) {
    return IMSMS_ERR_MIKEY_UNEXPECTED;
  }
  /* Without SDP IDs the offer could be bid down unnoticed. */
  if (call->sdp_ids_len != strlen(SDP_IDS_MIKEY) ||
      memcmp(call->sdp_ids, SDP_IDS_MIKEY, call->sdp_ids_len) != 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  ti = call->peer_msg;
  tilen = call->peer_msg_len;
  return imsms_sdp_offer(out, outcap, sdp, sdplen, pol, ti, tilen, keys, nkeys,
                         res, rescap, nres);
}

/* see imsmediasec/call.h */
imsms_ssize imsms_call_sdp_offer_recv(imsms_call *call, const char *offer,
                                      size_t offerlen,
                                      const imsms_sdp_policy *pol,
                                      imsms_sdp_result *res, size_t rescap,
                                      size_t *nres, imsms_tstamp now) {
  const imsms_sdp_result *e2e;
  imsms_ssize n;
  int rv;

  if (call == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (call->role != IMSMS_CALL_ROLE_RESPONDER || call->state != IMSMS_CALL_IDLE) {
    return IMSMS_ERR_MIKEY_UNEXPECTED;
  }
  n = imsms_sdp_answer_select(offer, offerlen, pol, res, rescap, nres);
  if (n < 0) {
    return n;
  }
  rv = e2e_message(res, (size_t)n, &e2e);
  if (rv == IMSMS_ERR_EOF) {
    return n; /* no e2e line: the call is not used */
  }
  /* An e2e line always names its message (a=key-mgmt needs data). */
  if (rv == 0) {
    rv = feed_init(call, e2e, now);
  }
  return rv != 0 ? rv : n;
}

/* see imsmediasec/call.h */
imsms_ssize imsms_call_sdp_answer(imsms_call *call, const char *sdp,
                                  size_t sdplen, const imsms_sdp_result *res,
                                  size_t nres,
                                  const imsms_sdp_media_keys *keys,
                                  size_t nkeys, char *out, size_t outcap) {
  const imsms_sdp_result *e2e;
  const uint8_t *tr = NULL;
  size_t trlen = 0;
  int rv;

  if (call == NULL || res == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (call->role != IMSMS_CALL_ROLE_RESPONDER) {
    return IMSMS_ERR_MIKEY_UNEXPECTED;
  }
  rv = e2e_message(res, nres, &e2e);
  if (rv != 0 && rv != IMSMS_ERR_EOF) {
    return rv;
  }
  if (rv == 0) {
    /* Keys first: TRANSFER_RESP exists only once the KMS resolved. */
    if (call->state != IMSMS_CALL_DONE) {
      return IMSMS_ERR_MIKEY_UNEXPECTED;
    }
    if (call->flags & IMSMS_TP_F) {
      tr = call->peer_msg;
      trlen = call->peer_msg_len;
    }
  }
  return imsms_sdp_answer(out, outcap, sdp, sdplen, res, nres, tr, trlen,
                          keys, nkeys);
}

/* see imsmediasec/call.h */
imsms_ssize imsms_call_sdp_answer_recv(imsms_call *call, const char *offer,
                                       size_t offerlen, const char *answer,
                                       size_t answerlen,
                                       const imsms_sdp_policy *pol,
                                       imsms_sdp_result *res, size_t rescap,
                                       size_t *nres, imsms_tstamp now) {
  const imsms_sdp_result *e2e;
  imsms_ssize n;
  int rv;

  if (call == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (call->role != IMSMS_CALL_ROLE_INITIATOR) {
    return IMSMS_ERR_MIKEY_UNEXPECTED;
  }
  n = imsms_sdp_answer_read(offer, offerlen, answer, answerlen, pol, res,
                            rescap, nres);
  if (n < 0) {
    return n;
  }
  rv = e2e_message(res, (size_t)n, &e2e);
  if (rv == IMSMS_ERR_EOF) {
    return n;
  }
  if (rv == 0 && e2e->key_mgmt.len != 0) {
    rv = call->state == IMSMS_CALL_WAIT_TRANSFER_RESP
             ? feed_resp(call, &e2e->key_mgmt, now)
             : IMSMS_ERR_MIKEY_UNEXPECTED;
  } else if (rv == 0 && (call->state != IMSMS_CALL_DONE ||
                          (call->flags & IMSMS_TP_F))) {
    /* No TRANSFER_RESP, yet the ticket asks for one. */
    rv = IMSMS_ERR_MIKEY_MISSING;
  }
  return rv != 0 ? rv : n;
}
