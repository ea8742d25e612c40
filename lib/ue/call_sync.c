/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * imsms_call_kms_sync(): the KMS exchange for programs that can block.
 * The call keeps the message it built for the KMS; the application's
 * transaction callback carries it (an HTTP POST in TS 33.328) and returns
 * the answer, which goes into imsms_call_recv() at once.
 */
#include "ue/call_int.h"

/* see imsmediasec/call.h */
int imsms_call_kms_sync(imsms_call *call, imsms_call_transact_cb transact,
                        void *user_data, imsms_tstamp now) {
  const uint8_t *resp = NULL;
  size_t resplen = 0;
  int rv;

  if (call == NULL || transact == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if ((call->state != IMSMS_CALL_WAIT_REQUEST_RESP &&
       call->state != IMSMS_CALL_WAIT_RESOLVE_RESP) ||
      call->kms_msg == NULL) {
    return IMSMS_ERR_MIKEY_UNEXPECTED;
  }
  rv = transact(call, call->kms_msg, call->kms_msg_len, &resp, &resplen,
                user_data);
  if (rv < 0 || (resp == NULL && resplen != 0)) {
    return imsms_ue_fail(call, IMSMS_ERR_CALLBACK_FAILURE, -1);
  }
  /* A KMS may stay silent after an authentication failure (RFC 3830
   * 5.1.2): the call goes on waiting until imsms_call_expired(). */
  if (resplen == 0) {
    return IMSMS_ERR_EOF;
  }
  return imsms_call_recv(call, resp, resplen, now);
}
