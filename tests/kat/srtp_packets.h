/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * SRTP and SRTCP packet known answers (shared/reference/
 * ims-media-security.md 5.6): whole protected packets from a master key
 * and salt, kdr 0, ROC 0, the SRTCP labels at byte 7 (libsrtp).
 *
 *  - libsrtp's test/srtp_validate.c: AES_CM_128_HMAC_SHA1_80 with the
 *    RFC 3711 B.3 master key and salt;
 *  - pion/srtp's AES_CM_128_HMAC_SHA1_32 vectors (4-byte SRTP tag, the
 *    SRTCP tag stays 10 bytes).
 *
 * Both use the same plaintexts: SSRC 0xCAFEBABE, RTP SEQ 0x1234, 16
 * payload bytes of 0xAB; the RTCP packet is the first SRTCP packet of
 * the stream (index 1, E bit set: 80000001 before the tag).
 */
#ifndef IMSMS_KAT_SRTP_PACKETS_H
#define IMSMS_KAT_SRTP_PACKETS_H

#include "kat.h"

typedef struct {
  const char *name;
  int suite; /* imsms_srtp_suite */
  const char *key, *salt;
  unsigned long ssrc;
  unsigned long srtcp_index;
  const char *rtp, *srtp;   /* plaintext RTP, protected SRTP */
  const char *rtcp, *srtcp; /* plaintext RTCP, protected SRTCP */
} imsms_kat_srtp_packet;

#define IMSMS_KAT_SRTP_RTP_PLAIN                                               \
  "800f1234decafbadcafebabe"                                                   \
  "abababababababababababababababab"
#define IMSMS_KAT_SRTP_RTCP_PLAIN                                              \
  "81c8000bcafebabe"                                                           \
  "abababababababababababababababab"

static const imsms_kat_srtp_packet imsms_kat_srtp_packets[] IMSMS_KAT_UNUSED = {
  {"libsrtp srtp_validate, AES_CM_128_HMAC_SHA1_80", 1,
   "e1f97a0d3e018be0d64fa32c06de4139", "0ec675ad498afeebb6960b3aabe6",
   0xcafebabeUL, 1,
   IMSMS_KAT_SRTP_RTP_PLAIN,
   "800f1234decafbadcafebabe"
   "4e55dc4ce79978d88ca4d215949d2402"
   "b78d6acc99ea179b8dbb",
   IMSMS_KAT_SRTP_RTCP_PLAIN,
   "81c8000bcafebabe"
   "7128035be487b9bdbef89041f977a5a8"
   "80000001"
   "993e08cd54d6c1230798"},
  {"pion/srtp, AES_CM_128_HMAC_SHA1_32", 2,
   "000102030405060708090a0b0c0d0e0f", "a0a1a2a3a4a5a6a7a8a9aaabacad",
   0xcafebabeUL, 1,
   IMSMS_KAT_SRTP_RTP_PLAIN,
   "800f1234decafbadcafebabe"
   "e2d8df8f7a75d688c3502eeec2a98066"
   "cd7c0d09",
   IMSMS_KAT_SRTP_RTCP_PLAIN,
   "81c8000bcafebabe"
   "5674bf01813dc062ac1df6f75f77c688"
   "80000001"
   "3db7a19837ff64e5cbd2"},
};

#endif /* IMSMS_KAT_SRTP_PACKETS_H */
