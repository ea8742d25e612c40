/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Real-world-shaped SDP bodies shared by the SDP suites: SDES offers
 * with several a=crypto lines and MKIs, the RFC 4567 and RFC 5939
 * examples taken from the RFC text, key-mgmt at session and media level,
 * MSRP over TCP/TLS/MSRP.
 */
#ifndef IMSMS_SDP_SAMPLES_H
#define IMSMS_SDP_SAMPLES_H

/* RFC 4568 and RFC 5939 keys (30 bytes each). */
#define K_4568 "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"
#define K_5939A "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"
#define K_5939B "NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj"
#define K_5939C "d0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSoj"
#define K_5939D "WSJ+PSdFcGdUJShpX1ZjNzB4d1BINUAvLEw6UzF3"
#define K_5939E "AwWpVLFJhQX1cfHJSojd0RmdmcmVCspeEc3QGZiN"
/* 46 bytes for AES-256 (bytes 1..46) and another one (bytes 2..47). */
#define K46A "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLg=="
#define K46B "AgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4fICEiIyQlJicoKSorLC0uLw=="

/* RFC 4567 5.1: the offer's and the answer's MIKEY messages, joined. */
#define MIKEY_OFFER                                                          \
  "AQAFgM0XflABAAAAAAAAAAAAAAsAyONQ6gAAAAAGEEoo2pee4hp2UaDX8ZE22YwKAAAPZG9u" \
  "YWxkQGR1Y2suY29tAQAAAAAAAQAk0JKpgaVkDaawi9whVBtBt0KZ14ymNuu62+Nv3ozPLygw" \
  "K/GbAV9iemnGUIZ19fWQUOSrzKTAv9zV"
#define MIKEY_ANSWER                                                         \
  "AQEFgM0XflABAAAAAAAAAAAAAAYAyONQ6gAAAAAJAAAQbWlja2V5QG1vdXNlLmNvbQABn8Hd" \
  "GE5BMDXFIuGEga+62AgY5cc="

#define FP_SHA256                                                            \
  "sha-256 "                                                                 \
  "4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:4A:AD:B9:B1:" \
  "3F:82:18:3B:54:02:12:DF"

extern const char sdes_offer[];
extern const char sdes_offer_core[];
extern const char core_answer[];
extern const char rfc5939_offer[];
extern const char rfc5939_answer[];
extern const char rfc5939_avpf[];
extern const char rfc5939_dtls[];
extern const char rfc5939_best_effort[];
extern const char rfc5939_delete[];
extern const char rfc4567_offer[];
extern const char km_override[];
extern const char msrp_offer[];

#endif /* IMSMS_SDP_SAMPLES_H */
