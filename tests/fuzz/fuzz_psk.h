/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The fixed inputs shared by the PSK fuzz harnesses (fuzz_mikey_verify,
 * fuzz_mikey_psk_responder) and the corpus generator (gen_corpus): the
 * seeds in corpus/mikey_verify verify only under exactly these values.
 * Change them together, then regenerate the corpora (see README.md).
 */
#ifndef IMSMS_FUZZ_PSK_H
#define IMSMS_FUZZ_PSK_H

#include <imsmediasec/mikey.h>

/* The pre-shared key (20 bytes, as in tests/check_mikey_psk.c). */
#define IMSMS_FUZZ_PSK ((const uint8_t *)"0123456789abcdefghij")
#define IMSMS_FUZZ_PSK_LEN 20

/* "now" of every verification; the seeds' T equals it exactly. */
#define IMSMS_FUZZ_NOW ((imsms_tstamp)0xeb8a2c80u << 32)

/* The RAND of the initial exchange, for CSB updates (no RAND payload). */
#define IMSMS_FUZZ_UPDATE_RAND                                                 \
  ((const uint8_t *)"\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c"     \
                    "\x1d\x1e\x1f")
#define IMSMS_FUZZ_UPDATE_RAND_LEN 16

/* Skew window and replay cache size the harnesses use. */
#define IMSMS_FUZZ_SKEW_SEC 300
#define IMSMS_FUZZ_REPLAY_CAPACITY 1024

/* Room for decrypted key data: more than any KEMAC a message can carry. */
#define IMSMS_FUZZ_KEYCAP 2048

#endif /* IMSMS_FUZZ_PSK_H */
