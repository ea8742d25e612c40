/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * For KMS tests: imsms_kms_handle() and imsms_kms_li_keys() replaced by
 * wrappers that, after every call and whatever its outcome, check that
 * no secret stayed in the engine's work area (kms/kms_int.h: the wipe
 * covers only what the marks say was written). Include after <check.h>
 * and <imsmediasec/kms.h>, before the tests.
 */
#ifndef IMSMS_TESTS_KMS_CHECKED_H
#define IMSMS_TESTS_KMS_CHECKED_H

#include "kms/kms_int.h" /* imsms_kms_work_is_clear */

static inline int kms_handle_checked(imsms_kms *k, const uint8_t *in,
                                     size_t inlen, imsms_tstamp now,
                                     uint8_t *out, size_t outcap,
                                     size_t *outlen) {
  int rv = imsms_kms_handle(k, in, inlen, now, out, outcap, outlen);

  if (k != NULL) {
    ck_assert(imsms_kms_work_is_clear(k->w));
  }
  return rv;
}

static inline int kms_li_checked(imsms_kms *k, const imsms_kms_warrant *w,
                                 const imsms_mikey_ticket *ticket,
                                 const imsms_id *idrr,
                                 const uint8_t *randrkms, size_t randrkmslen,
                                 imsms_tstamp now, imsms_kms_li_out *out) {
  int rv = imsms_kms_li_keys(k, w, ticket, idrr, randrkms, randrkmslen, now,
                             out);

  if (k != NULL) {
    ck_assert(imsms_kms_work_is_clear(k->w));
  }
  return rv;
}

#define imsms_kms_handle kms_handle_checked
#define imsms_kms_li_keys kms_li_checked

#endif /* IMSMS_TESTS_KMS_CHECKED_H */
