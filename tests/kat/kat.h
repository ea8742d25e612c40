/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libimsmediasec - known-answer test helpers shared by the tests/kat headers.
 *
 * Tests only: imsms_kat_unhex() aborts on malformed input instead of
 * reporting an error, because a malformed vector is a bug in the test.
 */
#ifndef IMSMS_KAT_KAT_H
#define IMSMS_KAT_KAT_H

#include <stddef.h>
#include <stdlib.h>

/* Number of elements of a true array (not a pointer). */
#define IMSMS_KAT_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Keeps -Wall -Wextra -Werror quiet for vectors a test does not use. */
#if defined(__GNUC__) || defined(__clang__)
#define IMSMS_KAT_UNUSED __attribute__((unused))
#else
#define IMSMS_KAT_UNUSED
#endif

/* Value of one hex digit (either case), or -1. */
static inline IMSMS_KAT_UNUSED int imsms_kat_hexval(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

/*
 * Decodes the NUL-terminated hex string |hex| into |out| (room for |cap|
 * bytes) and returns the number of bytes written. Aborts on a NULL string,
 * a non-hex character, an odd number of digits or more than |cap| bytes.
 * "" gives 0 and never touches |out| (which may then be NULL).
 */
static inline IMSMS_KAT_UNUSED size_t imsms_kat_unhex(unsigned char *out,
                                                      size_t cap,
                                                      const char *hex) {
  size_t n = 0;
  if (hex == NULL) {
    abort();
  }
  while (hex[0] != '\0') {
    int hi = imsms_kat_hexval(hex[0]);
    int lo = imsms_kat_hexval(hex[1]); /* hex[1] == '\0': odd length */
    if (hi < 0 || lo < 0 || n >= cap || out == NULL) {
      abort();
    }
    out[n++] = (unsigned char)((hi << 4) | lo);
    hex += 2;
  }
  return n;
}

#endif /* IMSMS_KAT_KAT_H */
