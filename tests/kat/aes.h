/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Source: NIST SP 800-38A (2001) appendix F.5.1 and F.5.5; RFC 3394
 * sections 4.1-4.6.
 *
 * AES-CTR: key, initial counter block T1, four plaintext blocks and four
 * ciphertext blocks, as lowercase hex. The counter block is incremented
 * as a big-endian integer: T2 = f0f1...fcfdff00, so the carry out of the
 * last byte must reach the byte before it (T3 = ...ff01, T4 = ...ff02).
 *
 * AES key wrap (RFC 3394, the default initial value A6A6A6A6A6A6A6A6):
 * KEK, IV, key data and the wrapped output (key data + 8 bytes).
 */
#ifndef IMSMS_KAT_AES_H
#define IMSMS_KAT_AES_H

#include <stddef.h>

#include "kat.h"

typedef struct {
  const char *name, *key_hex, *iv_hex, *pt_hex, *ct_hex;
} imsms_kat_aes_ctr;

typedef struct {
  const char *name, *kek_hex, *iv_hex /* a6a6a6a6a6a6a6a6 */, *key_data_hex,
      *wrapped_hex;
} imsms_kat_aes_kw;

/* NIST SP 800-38A F.5.1 and F.5.5 (one 16-byte block per line). */
static const imsms_kat_aes_ctr imsms_kat_aes_ctr_vectors[] IMSMS_KAT_UNUSED = {
  {
    "SP 800-38A F.5.1 CTR-AES128.Encrypt",
    "2b7e151628aed2a6abf7158809cf4f3c",
    "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
    "6bc1bee22e409f96e93d7e117393172a"
    "ae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52ef"
    "f69f2445df4f9b17ad2b417be66c3710",
    "874d6191b620e3261bef6864990db6ce"
    "9806f66b7970fdff8617187bb9fffdff"
    "5ae4df3edbd5d35e5b4f09020db03eab"
    "1e031dda2fbe03d1792170a0f3009cee"
  },
  {
    "SP 800-38A F.5.5 CTR-AES256.Encrypt",
    "603deb1015ca71be2b73aef0857d7781"
    "1f352c073b6108d72d9810a30914dff4",
    "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
    "6bc1bee22e409f96e93d7e117393172a"
    "ae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52ef"
    "f69f2445df4f9b17ad2b417be66c3710",
    "601ec313775789a5b7a7f504bbf3d228"
    "f443e3ca4d62b59aca84e990cacaf5c5"
    "2b0930daa23de94ce87017ba2d84988d"
    "dfc9c58db67aada613c2dd08457941a6"
  }
};

/* RFC 3394 sections 4.1-4.6 (one 64-bit block per line for the data). */
static const imsms_kat_aes_kw imsms_kat_aes_kw_vectors[] IMSMS_KAT_UNUSED = {
  {
    "RFC 3394 4.1: 128-bit KEK, 128-bit key data",
    "000102030405060708090a0b0c0d0e0f",
    "a6a6a6a6a6a6a6a6",
    "0011223344556677"
    "8899aabbccddeeff",
    "1fa68b0a8112b447"
    "aef34bd8fb5a7b82"
    "9d3e862371d2cfe5"
  },
  {
    "RFC 3394 4.2: 192-bit KEK, 128-bit key data",
    "000102030405060708090a0b0c0d0e0f"
    "1011121314151617",
    "a6a6a6a6a6a6a6a6",
    "0011223344556677"
    "8899aabbccddeeff",
    "96778b25ae6ca435"
    "f92b5b97c050aed2"
    "468ab8a17ad84e5d"
  },
  {
    "RFC 3394 4.3: 256-bit KEK, 128-bit key data",
    "000102030405060708090a0b0c0d0e0f"
    "101112131415161718191a1b1c1d1e1f",
    "a6a6a6a6a6a6a6a6",
    "0011223344556677"
    "8899aabbccddeeff",
    "64e8c3f9ce0f5ba2"
    "63e9777905818a2a"
    "93c8191e7d6e8ae7"
  },
  {
    "RFC 3394 4.4: 192-bit KEK, 192-bit key data",
    "000102030405060708090a0b0c0d0e0f"
    "1011121314151617",
    "a6a6a6a6a6a6a6a6",
    "0011223344556677"
    "8899aabbccddeeff"
    "0001020304050607",
    "031d33264e15d332"
    "68f24ec260743edc"
    "e1c6c7ddee725a93"
    "6ba814915c6762d2"
  },
  {
    "RFC 3394 4.5: 256-bit KEK, 192-bit key data",
    "000102030405060708090a0b0c0d0e0f"
    "101112131415161718191a1b1c1d1e1f",
    "a6a6a6a6a6a6a6a6",
    "0011223344556677"
    "8899aabbccddeeff"
    "0001020304050607",
    "a8f9bc1612c68b3f"
    "f6e6f4fbe30e71e4"
    "769c8b80a32cb895"
    "8cd5d17d6b254da1"
  },
  {
    "RFC 3394 4.6: 256-bit KEK, 256-bit key data",
    "000102030405060708090a0b0c0d0e0f"
    "101112131415161718191a1b1c1d1e1f",
    "a6a6a6a6a6a6a6a6",
    "0011223344556677"
    "8899aabbccddeeff"
    "0001020304050607"
    "08090a0b0c0d0e0f",
    "28c9f404c4b810f4"
    "cbccb35cfb87f826"
    "3f5786e2d80ed326"
    "cbc7f0e71a99f43b"
    "fb988b9b7a02dd21"
  }
};

#endif /* IMSMS_KAT_AES_H */
