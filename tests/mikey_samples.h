/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Valid MIKEY messages for tests, fuzz seeds and benchmarks: one per data
 * type 0-18 built with the encoder from fixed inputs (payloads in the
 * order the RFCs list them), plus the two RFC 4567 section 5.1 examples.
 */
#ifndef IMSMS_TEST_MIKEY_SAMPLES_H
#define IMSMS_TEST_MIKEY_SAMPLES_H

#include <imsmediasec/mikey.h>

#define IMSMS_SAMPLE_MAX 1024

typedef struct imsms_sample {
  const char *name;
  uint8_t data_type;
  uint8_t buf[IMSMS_SAMPLE_MAX];
  size_t len;
} imsms_sample;

/* Fills |out| (room for |cap|) and returns the number of samples. */
size_t imsms_mikey_samples(imsms_sample *out, size_t cap);

/* The RFC 4567 5.1 offer (PSK I_MESSAGE) and answer, decoded from base64. */
size_t imsms_sample_rfc4567_offer(uint8_t *out, size_t cap);
size_t imsms_sample_rfc4567_answer(uint8_t *out, size_t cap);

#endif /* IMSMS_TEST_MIKEY_SAMPLES_H */
