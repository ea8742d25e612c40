/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The bodies of sdp_samples.h.
 */
#include "sdp_samples.h"

/* A UE's e2ae offer: several a=crypto lines with MKI, an AES-256 line
 * with two keys, audio and video, a=3ge2ae:requested on both. */
const char sdes_offer[] =
    "v=0\r\n"
    "o=- 1027 1 IN IP4 192.0.2.10\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.10\r\n"
    "t=0 0\r\n"
    "m=audio 49170 RTP/SAVP 96 0 101\r\n"
    "a=rtpmap:96 AMR-WB/16000\r\n"
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K_4568 "|2^20|1:4\r\n"
    "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" K_5939B "|2^20|1:4\r\n"
    "a=crypto:3 AES_256_CM_HMAC_SHA1_80 inline:" K46A "|2^31|1:2;inline:" K46B
    "|2^31|2:2\r\n"
    "a=3ge2ae:requested\r\n"
    "a=sendrecv\r\n"
    "m=video 49172 RTP/SAVPF 97\r\n"
    "a=rtpmap:97 H264/90000\r\n"
    "a=crypto:7 AES_CM_128_HMAC_SHA1_80 inline:" K_5939C "|2^20|1:4\r\n"
    "a=rtcp-fb:* nack\r\n"
    "a=3ge2ae:requested\r\n";

/* What the access edge sends toward the core for it. */
const char sdes_offer_core[] =
    "v=0\r\n"
    "o=- 1027 1 IN IP4 192.0.2.10\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.10\r\n"
    "t=0 0\r\n"
    "m=audio 49170 RTP/AVP 96 0 101\r\n"
    "a=rtpmap:96 AMR-WB/16000\r\n"
    "a=sendrecv\r\n"
    "m=video 49172 RTP/AVPF 97\r\n"
    "a=rtpmap:97 H264/90000\r\n"
    "a=rtcp-fb:* nack\r\n";

/* The core's answer to it (LF line endings, as some stacks send). */
const char core_answer[] =
    "v=0\n"
    "o=- 77 1 IN IP4 198.51.100.5\n"
    "s=-\n"
    "c=IN IP4 198.51.100.5\n"
    "t=0 0\n"
    "m=audio 20000 RTP/AVP 96 101\n"
    "a=rtpmap:96 AMR-WB/16000\n"
    "m=video 0 RTP/AVPF 97\n";

/* RFC 5939 3.2: "SRTP with RTP fallback", the offer and the answer. */
const char rfc5939_offer[] =
    "v=0\r\n"
    "o=- 25678 753849 IN IP4 192.0.2.1\r\n"
    "s=\r\n"
    "c=IN IP4 192.0.2.1\r\n"
    "t=0 0\r\n"
    "m=audio 53456 RTP/AVP 0 18\r\n"
    "a=tcap:1 RTP/SAVP\r\n"
    "a=acap:1 crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K_5939A "|2^20|1:4\r\n"
    "a=pcfg:1 t=1 a=1\r\n";
const char rfc5939_answer[] =
    "v=0\r\n"
    "o=- 24351 621814 IN IP4 192.0.2.2\r\n"
    "s=\r\n"
    "c=IN IP4 192.0.2.2\r\n"
    "t=0 0\r\n"
    "m=audio 54568 RTP/SAVP 0 18\r\n"
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K_4568 "|2^20|1:4\r\n"
    "a=acfg:1 t=1 a=1\r\n";
/* RFC 5939 3.11 / 4.1: SAVPF, SAVP and AVPF with optional rtcp-fb. */
const char rfc5939_avpf[] =
    "v=0\r\n"
    "o=- 25678 753849 IN IP4 192.0.2.1\r\n"
    "s=\r\n"
    "c=IN IP4 192.0.2.1\r\n"
    "t=0 0\r\n"
    "m=audio 53456 RTP/AVP 0 18\r\n"
    "a=tcap:1 RTP/SAVPF RTP/SAVP RTP/AVPF\r\n"
    "a=acap:1 crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K_5939A
    "|2^20|1:4 FEC_ORDER=FEC_SRTP\r\n"
    "a=acap:2 key-mgmt:mikey " MIKEY_OFFER "\r\n"
    "a=acap:3 rtcp-fb:0 nack\r\n"
    "a=pcfg:1 t=1 a=1,3|2,3\r\n"
    "a=pcfg:2 t=2 a=1|2\r\n"
    "a=pcfg:3 t=3 a=3\r\n";
/* RFC 5939 4.2: DTLS-SRTP preferred, SDES as alternative; session-level
 * capabilities, the fingerprint written with a space after the colon. */
const char rfc5939_dtls[] =
    "v=0\r\n"
    "o=- 25678 753849 IN IP4 192.0.2.1\r\n"
    "s=\r\n"
    "t=0 0\r\n"
    "c=IN IP4 192.0.2.1\r\n"
    "a=acap:1 setup:actpass\r\n"
    "a=acap:2 fingerprint: SHA-1 "
    "4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB\r\n"
    "a=tcap:1 UDP/TLS/RTP/SAVP RTP/SAVP\r\n"
    "m=audio 59000 RTP/AVP 98\r\n"
    "a=rtpmap:98 AMR/8000\r\n"
    "a=acap:3 crypto:1 AES_CM_128_HMAC_SHA1_32 inline:" K_5939B "|2^20|1:32\r\n"
    "a=pcfg:1 t=1 a=1,2\r\n"
    "a=pcfg:2 t=2 a=3\r\n";
/* RFC 5939 4.3: best-effort SRTP, session-level MIKEY capability. */
const char rfc5939_best_effort[] =
    "v=0\r\n"
    "o=- 25678 753849 IN IP4 192.0.2.1\r\n"
    "s=\r\n"
    "t=0 0\r\n"
    "c=IN IP4 192.0.2.1\r\n"
    "a=acap:1 key-mgmt:mikey " MIKEY_OFFER "\r\n"
    "a=tcap:1 RTP/SAVPF RTP/SAVP RTP/AVPF\r\n"
    "m=audio 59000 RTP/AVP 98\r\n"
    "a=rtpmap:98 AMR/8000\r\n"
    "a=acap:2 crypto:1 AES_CM_128_HMAC_SHA1_32 inline:" K_5939B "|2^20|1:32\r\n"
    "a=pcfg:1 t=2 a=1|2\r\n"
    "m=video 52000 RTP/AVP 31\r\n"
    "a=rtpmap:31 H261/90000\r\n"
    "a=acap:3 crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K_5939C "|2^20|1:32\r\n"
    "a=acap:4 rtcp-fb:* nack\r\n"
    "a=pcfg:1 t=1 a=1,4|3,4\r\n"
    "a=pcfg:2 t=2 a=1|3\r\n"
    "a=pcfg:3 t=3 a=4\r\n";
/* RFC 5939 4.4: session MIKEY actual, SDES potential with "-s". */
const char rfc5939_delete[] =
    "v=0\r\n"
    "o=- 25678 753849 IN IP4 192.0.2.1\r\n"
    "s=\r\n"
    "t=0 0\r\n"
    "c=IN IP4 192.0.2.1\r\n"
    "a=key-mgmt:mikey " MIKEY_OFFER "\r\n"
    "m=audio 59000 RTP/SAVP 98\r\n"
    "a=rtpmap:98 AMR/8000\r\n"
    "a=acap:1 crypto:1 AES_CM_128_HMAC_SHA1_32 inline:" K_5939B "|2^20|1:32\r\n"
    "a=pcfg:1 a=-s:1\r\n"
    "m=video 52000 RTP/SAVP 31\r\n"
    "a=rtpmap:31 H261/90000\r\n"
    "a=acap:2 crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K_5939C "|2^20|1:32\r\n"
    "a=pcfg:1 a=-s:2\r\n";

/* RFC 4567 5.1 offer: session-level MIKEY for audio and video. */
const char rfc4567_offer[] =
    "v=0\r\n"
    "o=alice 2891092738 2891092738 IN IP4 w-land.example.com\r\n"
    "s=Cool stuff\r\n"
    "e=alice@w-land.example.com\r\n"
    "t=0 0\r\n"
    "c=IN IP4 w-land.example.com\r\n"
    "a=key-mgmt:mikey " MIKEY_OFFER "\r\n"
    "m=audio 49000 RTP/SAVP 98\r\n"
    "a=rtpmap:98 AMR/8000\r\n"
    "m=video 52230 RTP/SAVP 31\r\n"
    "a=rtpmap:31 H261/90000\r\n";

/* Session and media level with override; RTP/AVP does not inherit. */
const char km_override[] =
    "v=0\r\n"
    "o=alice 1 1 IN IP4 192.0.2.1\r\n"
    "s=-\r\n"
    "t=0 0\r\n"
    "a=key-mgmt:mikey " MIKEY_OFFER "\r\n"
    "a=key-mgmt:keyp1 AAAA\r\n"
    "m=audio 49000 RTP/SAVP 98\r\n"
    "a=key-mgmt:mikey " MIKEY_ANSWER "\r\n"
    "m=video 52230 RTP/SAVPF 31\r\n"
    "m=audio 49002 RTP/AVP 0\r\n"
    "m=message 7394 TCP/TLS/MSRP *\r\n"
    "a=setup:actpass\r\n";

/* MSRP: e2ae (fingerprint, 3ge2ae) and e2e (key-mgmt) sessions. */
const char msrp_offer[] =
    "v=0\r\n"
    "o=alice 2890844526 2890844527 IN IP4 ue.example.com\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.20\r\n"
    "t=0 0\r\n"
    "m=message 7394 TCP/TLS/MSRP *\r\n"
    "a=accept-types:message/cpim text/plain\r\n"
    "a=path:msrps://ue.example.com:7394/2s93i93idj;tcp\r\n"
    "a=setup:actpass\r\n"
    "a=fingerprint:" FP_SHA256 "\r\n"
    "a=3ge2ae:requested\r\n"
    "m=message 7396 TCP/TLS/MSRP *\r\n"
    "a=accept-types:text/plain\r\n"
    "a=path:msrps://ue.example.com:7396/9di4ea;tcp\r\n"
    "a=setup:actpass\r\n"
    "a=key-mgmt:mikey " MIKEY_OFFER "\r\n";
