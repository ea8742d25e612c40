/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * libFuzzer harness: strict base64 decode of arbitrary bytes. Whatever
 * decodes must re-encode to exactly the input (the decoder accepts only
 * canonical text); whatever fails must leave the output wiped.
 */
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/imsmediasec.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  size_t cap = imsms_base64_decode_maxlen(size);
  uint8_t *out = calloc(1, cap + 1);
  char *again;
  imsms_ssize n, m;

  if (out == NULL) {
    return 0;
  }
  n = imsms_base64_decode(out, cap, (const char *)data, size);
  if (n >= 0) {
    again = malloc(imsms_base64_encode_len((size_t)n) + 1);
    if (again == NULL) {
      abort();
    }
    m = imsms_base64_encode(again, imsms_base64_encode_len((size_t)n), out,
                            (size_t)n);
    if (m != (imsms_ssize)size || memcmp(again, data, size) != 0) {
      abort();
    }
    free(again);
  } else {
    size_t i;

    for (i = 0; i < cap; i++) {
      if (out[i] != 0 && n != IMSMS_ERR_NOBUF) {
        abort();
      }
    }
  }
  free(out);
  return 0;
}
