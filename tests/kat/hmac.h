/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Source: RFC 2202 section 3, RFC 4231 section 4.
 *
 * HMAC-SHA-1 (RFC 2202 section 3, test cases 1-7) and HMAC-SHA-256
 * (RFC 4231 sections 4.2-4.8, test cases 1-7) known-answer vectors, as
 * lowercase hex. Keys and data that the RFCs give as text or as "0xNN
 * repeated N times" are written out as hex; comments show the text.
 *
 * mac_hex holds the MAC as the RFC gives it. For RFC 4231 test case 5 the
 * RFC gives only the leftmost 128 bits, so mac_hex is 16 bytes and
 * trunc_len is 16; compare only the first trunc_len bytes of the full
 * MAC. trunc_len is 0 for every other entry (full-length MAC). RFC 2202
 * test case 5 also lists digest-96, the leftmost 12 bytes of the full
 * digest given here.
 */
#ifndef IMSMS_KAT_HMAC_H
#define IMSMS_KAT_HMAC_H

#include <stddef.h>

#include "kat.h"

typedef struct {
  const char *name;
  const char *key_hex;
  const char *data_hex;
  const char *mac_hex; /* full or truncated as the RFC gives it */
  size_t trunc_len;    /* 0: full-length MAC; else bytes kept (= mac_hex / 2) */
} imsms_kat_hmac;

/* RFC 2202 section 3: HMAC-SHA-1 test cases 1-7. */
static const imsms_kat_hmac imsms_kat_hmac_sha1[] IMSMS_KAT_UNUSED = {
  {
    "RFC 2202 case 1",
    /* key: 0x0b x 20 */
    "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
    /* data: "Hi There" */
    "4869205468657265",
    "b617318655057264e28bc0b6fb378c8ef146be00",
    0
  },
  {
    "RFC 2202 case 2",
    /* key: "Jefe" */
    "4a656665",
    /* data: "what do ya want for nothing?" */
    "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
    "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
    0
  },
  {
    "RFC 2202 case 3",
    /* key: 0xaa x 20 */
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    /* data: 0xdd x 50 */
    "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
    "dddddddddddddddddddddddddddddddddddd",
    "125d7342b9ac11cd91a39af48aa17b4f63f175d3",
    0
  },
  {
    "RFC 2202 case 4",
    /* key: 0x01, 0x02, ..., 0x19 (25 bytes) */
    "0102030405060708090a0b0c0d0e0f10111213141516171819",
    /* data: 0xcd x 50 */
    "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
    "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
    "4c9007f4026250c6bc8414f9bf50c86c2d7235da",
    0
  },
  {
    "RFC 2202 case 5",
    /* key: 0x0c x 20 */
    "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
    /* data: "Test With Truncation" */
    "546573742057697468205472756e636174696f6e",
    "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04",
    0
  },
  {
    "RFC 2202 case 6",
    /* key: 0xaa x 80 */
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    /* data: "Test Using Larger Than Block-Size Key - Hash Key First" */
    "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a"
    "65204b6579202d2048617368204b6579204669727374",
    "aa4ae5e15272d00e95705637ce8a3b55ed402112",
    0
  },
  {
    "RFC 2202 case 7",
    /* key: 0xaa x 80 */
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    /* data: "Test Using Larger Than Block-Size Key and Larger Than One "
     *       "Block-Size Data" (73 bytes) */
    "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a"
    "65204b657920616e64204c6172676572205468616e204f6e6520426c6f636b2d"
    "53697a652044617461",
    "e8e99d0f45237d786d6bbaa7965c7808bbff1a91",
    0
  }
};

/* RFC 4231 section 4: HMAC-SHA-256 test cases 1-7. */
static const imsms_kat_hmac imsms_kat_hmac_sha256[] IMSMS_KAT_UNUSED = {
  {
    "RFC 4231 case 1",
    /* key: 0x0b x 20 */
    "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
    /* data: "Hi There" */
    "4869205468657265",
    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
    0
  },
  {
    "RFC 4231 case 2",
    /* key: "Jefe" */
    "4a656665",
    /* data: "what do ya want for nothing?" */
    "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    0
  },
  {
    "RFC 4231 case 3",
    /* key: 0xaa x 20 */
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    /* data: 0xdd x 50 */
    "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
    "dddddddddddddddddddddddddddddddddddd",
    "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
    0
  },
  {
    "RFC 4231 case 4",
    /* key: 0x01, 0x02, ..., 0x19 (25 bytes) */
    "0102030405060708090a0b0c0d0e0f10111213141516171819",
    /* data: 0xcd x 50 */
    "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
    "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
    "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
    0
  },
  {
    "RFC 4231 case 5",
    /* key: 0x0c x 20 */
    "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
    /* data: "Test With Truncation" */
    "546573742057697468205472756e636174696f6e",
    /* leftmost 16 bytes only, as given in the RFC */
    "a3b6167473100ee06e0c796c2955552b",
    16
  },
  {
    "RFC 4231 case 6",
    /* key: 0xaa x 131 */
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaa",
    /* data: "Test Using Larger Than Block-Size Key - Hash Key First" */
    "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a"
    "65204b6579202d2048617368204b6579204669727374",
    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
    0
  },
  {
    "RFC 4231 case 7",
    /* key: 0xaa x 131 */
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaa",
    /* data: "This is a test using a larger than block-size key and a "
     *       "larger than block-size data. The key needs to be hashed "
     *       "before being used by the HMAC algorithm." (152 bytes) */
    "5468697320697320612074657374207573696e672061206c6172676572207468"
    "616e20626c6f636b2d73697a65206b657920616e642061206c61726765722074"
    "68616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565"
    "647320746f20626520686173686564206265666f7265206265696e6720757365"
    "642062792074686520484d414320616c676f726974686d2e",
    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
    0
  }
};

#endif /* IMSMS_KAT_HMAC_H */
