/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <imsmediasec/imsmediasec.h>

static const imsms_info version_info = {
    IMSMS_VERSION_AGE, IMSMS_VERSION_NUM, IMSMS_VERSION,
    "MIKEY/RFC3830 MIKEY-TICKET/RFC6043 SRTP/RFC3711"};

/* see imsmediasec/imsmediasec.h */
const imsms_info *imsms_version(int least_version) {
  if (least_version > IMSMS_VERSION_NUM) {
    return NULL;
  }
  return &version_info;
}
