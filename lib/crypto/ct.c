/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The two context-free leaf helpers every layer uses, core included.
 * They live here, not in lib/core/, so that libsodium stays confined to
 * lib/crypto/; they hold no state and call nothing else in the library.
 */
#include <sodium.h>

#include <imsmediasec/imsmediasec.h>

/* see imsmediasec/imsmediasec.h */
void imsms_secure_clear(void *p, size_t len) {
  if (p == NULL || len == 0) {
    return;
  }
  sodium_memzero(p, len);
}

/* see imsmediasec/imsmediasec.h */
int imsms_ct_memeq(const void *a, const void *b, size_t len) {
  if (len == 0) {
    return 1;
  }
  return sodium_memcmp(a, b, len) == 0;
}
