/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Source: RFC 4648 section 10 (valid vectors); RFC 4648 sections 3.3, 3.5
 * and 4 (what a strict decoder must reject).
 *
 * imsms_kat_base64_vectors: every RFC 4648 section 10 base64 vector. Each
 * must decode to |raw| and |raw| must encode back to exactly |b64|.
 *
 * imsms_kat_base64_invalid: strings a strict decoder must reject. "Strict"
 * means the RFC 4648 section 4 alphabet only (no URL-safe "-_", no
 * whitespace or line breaks), mandatory "=" padding to a multiple of four
 * characters, padding only at the very end of the input, and zero unused
 * bits in the last encoded character (section 3.5, canonical encoding).
 * Equivalently: the accepted inputs are exactly the outputs of the
 * encoder. Every entry carries an explicit length, so the embedded-NUL
 * entries test that a decoder honours its length argument.
 */
#ifndef IMSMS_KAT_BASE64_H
#define IMSMS_KAT_BASE64_H

#include <stddef.h>

#include "kat.h"

typedef struct {
  const char *raw;
  const char *b64;
} imsms_kat_b64;

typedef struct {
  const char *text;
  size_t len; /* bytes of |text| to decode; may include NULs */
  const char *why;
} imsms_kat_b64_bad;

/* RFC 4648 section 10. */
static const imsms_kat_b64 imsms_kat_base64_vectors[] IMSMS_KAT_UNUSED = {
  {"", ""},
  {"f", "Zg=="},
  {"fo", "Zm8="},
  {"foo", "Zm9v"},
  {"foob", "Zm9vYg=="},
  {"fooba", "Zm9vYmE="},
  {"foobar", "Zm9vYmFy"}
};

/* sizeof - 1 so embedded NULs are counted; |s| must be a string literal. */
#define IMSMS_KAT_B64_BAD(s, why) {s, sizeof(s) - 1, why}

static const imsms_kat_b64_bad imsms_kat_base64_invalid[] IMSMS_KAT_UNUSED = {
  /* Length and padding. */
  IMSMS_KAT_B64_BAD("Zg=", "bad length: 3 characters, not a multiple of 4"),
  IMSMS_KAT_B64_BAD("Zg", "no padding (\"f\" is \"Zg==\")"),
  IMSMS_KAT_B64_BAD("Zm8", "no padding (\"fo\" is \"Zm8=\")"),
  IMSMS_KAT_B64_BAD("Zm9vYmE", "no padding in the last quantum"),
  IMSMS_KAT_B64_BAD("Z", "bad length: a lone character"),
  IMSMS_KAT_B64_BAD("Zm9vY", "bad length: 5 characters"),
  IMSMS_KAT_B64_BAD("Zg===", "too much padding, bad length"),
  IMSMS_KAT_B64_BAD("Z===", "three padding characters: 6 bits is no byte"),
  IMSMS_KAT_B64_BAD("====", "padding only"),
  IMSMS_KAT_B64_BAD("=", "padding only, bad length"),
  IMSMS_KAT_B64_BAD("Zm9v====", "a quantum of padding only"),
  IMSMS_KAT_B64_BAD("Zm=v", "padding in the middle of a quantum"),
  IMSMS_KAT_B64_BAD("Zg=a", "data after the padding within a quantum"),
  IMSMS_KAT_B64_BAD("=Zm9", "padding at the start"),
  IMSMS_KAT_B64_BAD("Zg==Zg==", "data after padding (concatenated encodings)"),
  IMSMS_KAT_B64_BAD("Zm8=Zm9v", "data after padding"),
  /* Non-canonical encodings: non-zero unused bits (RFC 4648 section 3.5). */
  IMSMS_KAT_B64_BAD("Zh==", "non-zero trailing bits (\"f\" is \"Zg==\")"),
  IMSMS_KAT_B64_BAD("Zv==", "non-zero trailing bits (\"f\" is \"Zg==\")"),
  IMSMS_KAT_B64_BAD("Zm9=", "non-zero trailing bits (\"fo\" is \"Zm8=\")"),
  IMSMS_KAT_B64_BAD("Zm9vYmF=", "non-zero trailing bits (\"fooba\" is "
                                "\"Zm9vYmE=\")"),
  /* Characters outside the alphabet. */
  IMSMS_KAT_B64_BAD("Zm 9v", "space inside the data"),
  IMSMS_KAT_B64_BAD(" Zm9v", "leading space"),
  IMSMS_KAT_B64_BAD("Zm9v\n", "trailing line feed"),
  IMSMS_KAT_B64_BAD("Zm9v\r\nYmFy", "CRLF line break inside the data"),
  IMSMS_KAT_B64_BAD("Zm9v\tYmFy", "tab inside the data"),
  IMSMS_KAT_B64_BAD("Zm9-", "URL-safe alphabet '-' (RFC 4648 section 5)"),
  IMSMS_KAT_B64_BAD("Zm9_", "URL-safe alphabet '_' (RFC 4648 section 5)"),
  IMSMS_KAT_B64_BAD("Zm9.", "'.' is not in the alphabet"),
  IMSMS_KAT_B64_BAD("Zm9v\x80", "high-bit byte after valid data"),
  IMSMS_KAT_B64_BAD("Zm9\x80", "high-bit byte in place of a character"),
  IMSMS_KAT_B64_BAD("Zm9\xff", "0xff byte in place of a character"),
  /* Embedded NUL: a decoder that stops at NUL would accept these. */
  IMSMS_KAT_B64_BAD("Zm9v\0\0\0\0", "NULs after valid data (len 8)"),
  IMSMS_KAT_B64_BAD("Zm\0v", "NUL in place of a character (len 4)"),
  IMSMS_KAT_B64_BAD("Zg==\0", "NUL after the padding (len 5)")
};

#undef IMSMS_KAT_B64_BAD

#endif /* IMSMS_KAT_BASE64_H */
