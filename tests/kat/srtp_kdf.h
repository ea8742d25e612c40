/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * SRTP key derivation known answers (shared/reference/ims-media-security.md
 * 5.3-5.5): RFC 3711 B.3 (AES-128, kdr 0), RFC 6188 7.2 (AES-256) and 7.4
 * (AES-192), the NIST ACVP kdr > 0 vectors (OpenSSL evpkdf_srtp.txt), and
 * the SRTCP keys at label byte 7 (libsrtp, confirmed by its packet vector)
 * and byte 9 (RFC 3711 literally).
 */
#ifndef IMSMS_KAT_SRTP_KDF_H
#define IMSMS_KAT_SRTP_KDF_H

#include "kat.h"

typedef struct {
  const char *name;
  int suite; /* imsms_srtp_suite */
  const char *key, *salt;
  unsigned long kdr;
  const char *srtp_index, *srtcp_index; /* hex, "" for 0 */
  int label_byte;
  /* expected; NULL: not given by the source */
  const char *ke, *ka, *ks, *cke, *cka, *cks;
} imsms_kat_srtp_kdf;

static const imsms_kat_srtp_kdf imsms_kat_srtp_kdf_vectors[] IMSMS_KAT_UNUSED = {
  {"RFC 3711 B.3", 1, "e1f97a0d3e018be0d64fa32c06de4139",
   "0ec675ad498afeebb6960b3aabe6", 0, "", "", 7,
   "c61e7a93744f39ee10734afe3ff7a087",
   "cebe321f6ff7716b6fd4ab49af256a156d38baa4",
   "30cbbc08863d8c85d49db34a9ae1",
   "4c1aa45a81f73d61c800bbb00fbb1eaa",
   "8d54534feb49ae8e7993a6bd0b844fc323a93dfd",
   "9581c7ad87b3e530bf3e4454a8b3"},
  {"RFC 3711 B.3, SRTCP labels at byte 9", 1,
   "e1f97a0d3e018be0d64fa32c06de4139", "0ec675ad498afeebb6960b3aabe6", 0,
   "", "", 9,
   "c61e7a93744f39ee10734afe3ff7a087",
   "cebe321f6ff7716b6fd4ab49af256a156d38baa4",
   "30cbbc08863d8c85d49db34a9ae1",
   "bb046c9567d580b55f45def9ec496a8c",
   "44c5ef54521d8fe1acc3a2e88dae31d7b9b61486",
   "3b9cfb96af7d2f27d786c9f6d9ae"},
  {"RFC 6188 7.2 AES-256", 5,
   "f0f04914b513f2763a1b1fa130f10e2998f6f6e43e4309d1e622a0e332b9f1b6",
   "3b04803de51ee7c96423ab5b78d2", 0, "", "", 7,
   "5ba1064e30ec51613cad926c5a28ef731ec7fb397f70a960653caf06554cd8c4",
   "fd9c32d39ed5fbb5a9dc96b30818454d1313dc05",
   "fa31791685ca444a9e07c6c64e93", NULL, NULL, NULL},
  {"RFC 6188 7.4 AES-192", 3,
   "73edc66c4fa15776fb57f9505c17136550ffda71f3e8e5f1",
   "c8522f3acd4ce86d5add78edbb11", 0, "", "", 7,
   "31874736a8f1143870c26e4857d8a5b2c4a354407faadabb",
   "355b10973cd95b9eacf4061c7e1a7151e7cfbfcb",
   "2372b82d639b6d8503a47adc0a6c", NULL, NULL, NULL},
  {"NIST ACVP kdr 1", 1, "8c307f105f79d5d2c26b1a933ae22cd5",
   "563b4c15458d977b68080242cee1", 1, "08284b49f520", "69b62109", 9,
   "a920df50eaa111d03fbe9b203121c07d",
   "a337dc070c0dafa942f1e3a27acd3c9917ce4b4d",
   "9e2bc99c86037f2ad98d72927428",
   "94d76ca7adb05b8631cf62538d97be74",
   "fa02251d693645bc1001f83c5a13cb3e3d77f7ea",
   "70c0481a04e3610ec8af8623fa9b"},
  {"NIST ACVP kdr 2", 1, "127a535f66d5d43135e5db87f04af2db",
   "82d0d04dc693e29e0fe7fecbf041", 2, "3d6fecdce1be", "1c7b571c", 9,
   "a2f4d858ccdf585d9c5ca787c5a3031f",
   "c140c97cac05b2ed338ad353014a90012f37b45c",
   "aa6de94b3bcb5108efd350ad6936",
   "2844c8f56e2af865e4ebbd0d083a4fae",
   "50135309cf64d5162723749ccf085708f8e81636",
   "47cb081ec69f7e74feb3fcd1bd20"},
  {"NIST ACVP kdr 8", 1, "cf08f8159fcf18da8108a3fe3b707c2b",
   "4af8352708e0a164c6645a63e5bb", 8, "f4ee616415b9", "13de080c", 9,
   "b46322b06f6e4b189f27744ead8c5173",
   "f9f246054b3d4aa2520ce2612192749aa6970bb0",
   "18ea8ea36a90617224fbfbcb849a",
   "f4140d2419f7a75cee91fc942cd94514",
   "6e65548abfe131ff91e7ae75409f96ad9d9fe345",
   "2c195a5aa9f539bd7cc7d6e23483"},
};

#endif /* IMSMS_KAT_SRTP_KDF_H */
