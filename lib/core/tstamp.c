/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <imsmediasec/imsmediasec.h>

/* Seconds from 1900-01-01 (NTP epoch) to 1970-01-01 (Unix epoch). */
#define NTP_UNIX_OFFSET 2208988800u
#define NTP_ERA_SECONDS 4294967296u

/* see imsmediasec/imsmediasec.h */
imsms_tstamp imsms_tstamp_from_unix(uint64_t sec, uint32_t nsec) {
  uint64_t ntp_sec = (sec + NTP_UNIX_OFFSET) & 0xffffffffu;
  uint64_t frac;

  if (nsec > 999999999u) {
    nsec = 999999999u;
  }
  /* Fraction = nsec * 2^32 / 10^9, exact in 64 bits since nsec < 2^30. */
  frac = ((uint64_t)nsec << 32) / 1000000000u;
  return (ntp_sec << 32) | frac;
}

/* see imsmediasec/imsmediasec.h */
int64_t imsms_tstamp_to_unix(imsms_tstamp ts) {
  int64_t ntp_sec = (int64_t)(ts >> 32);

  /* RFC 4330 section 3: top bit clear means era 1 (from 2036-02-07). */
  if ((ntp_sec & 0x80000000u) == 0) {
    ntp_sec += (int64_t)NTP_ERA_SECONDS;
  }
  return ntp_sec - (int64_t)NTP_UNIX_OFFSET;
}
