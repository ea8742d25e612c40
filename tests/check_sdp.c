/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The SDP/SIP layer: the line iterator on real-world-shaped bodies (SDES
 * offers with several a=crypto lines and MKIs, the RFC 4567 and RFC 5939
 * examples taken from the RFC text, key-mgmt at session and media level
 * with override, MSRP over TCP/TLS/MSRP), one bad body or value per rule
 * with its exact error, every truncated prefix of every valid body in an
 * exact-size heap copy (so ASan sees any over-read), round trips of
 * every owned attribute, the editor, the e2ae helpers of the access edge
 * and the SIP Security-* values with "mediasec".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/mikey.h>
#include <imsmediasec/sdp.h>

#include "mikey_samples.h"
#include "sdp_samples.h"
#include "test_util.h"

static const char *const valid_bodies[] = {
    sdes_offer,    sdes_offer_core,     rfc5939_offer,  rfc5939_answer,
    rfc5939_avpf,  rfc5939_dtls,        rfc5939_best_effort,
    rfc5939_delete, rfc4567_offer,      km_override,    msrp_offer,
    core_answer,
};
#define NVALID (sizeof(valid_bodies) / sizeof(valid_bodies[0]))
static const imsms_ssize valid_nmedia[NVALID] = {2, 2, 1, 1, 1, 1, 2,
                                                 2, 2, 4, 2, 2};

static imsms_ctx *ctx;

static void setup(void) {
  ctx = imsms_test_ctx();
}
static void teardown(void) {
  imsms_ctx_del(ctx);
}

/* An exact-size heap copy (ASan sees any read past |len|). */
static char *dup_exact(const char *s, size_t len) {
  char *p = malloc(len ? len : 1);

  ck_assert_ptr_nonnull(p);
  if (len) {
    memcpy(p, s, len);
  }
  return p;
}

static int vec_is(imsms_sdp_vec v, const char *s) {
  return v.len == strlen(s) && memcmp(v.base, s, v.len) == 0;
}

#define ck_vec(v, s) ck_assert_msg(vec_is((v), (s)), "got '%.*s' want '%s'", \
                                   (int)(v).len, (v).base ? (v).base : "", (s))

/* |v| lies inside [base, base + len). */
static void ck_inside(imsms_sdp_vec v, const char *base, size_t len) {
  if (v.len == 0) {
    return;
  }
  ck_assert(v.base >= base && (size_t)(v.base - base) <= len &&
            v.len <= len - (size_t)(v.base - base));
}

/* ------------------------------------------------------------------ */
/* Iterator                                                            */

START_TEST(test_iter_offer) {
  imsms_sdp_iter it;
  imsms_sdp_line l;
  size_t n = 0, total = 0;
  int rv;

  ck_assert_int_eq(imsms_sdp_iter_init(&it, sdes_offer, strlen(sdes_offer)),
                   0);
  while ((rv = imsms_sdp_iter_next(&it, &l)) == 0) {
    n++;
    ck_assert_uint_eq(l.lineno, n);
    ck_assert_ptr_eq(l.raw.base, sdes_offer + total);
    total += l.raw.len;
    ck_assert_ptr_eq(l.value.base, l.raw.base + 2);
    ck_assert_uint_eq(l.value.len + 4, l.raw.len);
    if (n <= 5) {
      ck_assert_uint_eq(l.level, 0);
    }
    if (n == 1) {
      ck_assert_int_eq(l.type, 'v');
    }
    if (n == 6) {
      ck_assert_int_eq(l.type, 'm');
      ck_assert_uint_eq(l.level, 1);
      ck_vec(l.m.media, "audio");
      ck_assert_uint_eq(l.m.port, 49170);
      ck_assert_uint_eq(l.m.nports, 0);
      ck_assert_int_eq(l.m.proto, IMSMS_SDP_PROTO_RTP_SAVP);
      ck_vec(l.m.proto_text, "RTP/SAVP");
      ck_vec(l.m.fmts, "96 0 101");
      ck_assert_uint_eq(l.m.nfmts, 3);
    }
    if (n == 8) {
      ck_vec(l.name, "crypto");
      ck_assert_int_eq(l.has_value, 1);
      ck_vec(l.attr_value,
             "1 AES_CM_128_HMAC_SHA1_80 inline:" K_4568 "|2^20|1:4");
    }
    if (n == 12) {
      ck_vec(l.name, "sendrecv");
      ck_assert_int_eq(l.has_value, 0);
      ck_assert_uint_eq(l.attr_value.len, 0);
    }
    if (n == 13) {
      ck_assert_int_eq(l.m.proto, IMSMS_SDP_PROTO_RTP_SAVPF);
      ck_assert_uint_eq(l.level, 2);
    }
    if (n == 16) {
      ck_vec(l.name, "rtcp-fb");
      ck_vec(l.attr_value, "* nack");
    }
  }
  ck_assert_int_eq(rv, IMSMS_ERR_EOF);
  ck_assert_uint_eq(n, 17);
  ck_assert_uint_eq(total, strlen(sdes_offer));
  /* EOF is sticky. */
  ck_assert_int_eq(imsms_sdp_iter_next(&it, &l), IMSMS_ERR_EOF);
  ck_assert_int_eq(imsms_sdp_check(sdes_offer, strlen(sdes_offer)), 2);
}
END_TEST

/* LF only, mixed, a last line without ending, trailing empty lines. */
START_TEST(test_iter_line_endings) {
  static const struct {
    const char *sdp;
    size_t nlines;
    size_t last_raw;
  } v[] = {
      {"v=0\nm=audio 1 RTP/AVP 0\na=x\n", 3, 4},
      {"v=0\r\nm=audio 1 RTP/AVP 0\na=x\r\n", 3, 5},
      {"v=0\r\nm=audio 1 RTP/AVP 0\r\na=x", 3, 3},
      {"v=0\r\na=x\r\n\r\n\r\n", 2, 5},
      {"v=0\na=x\n\n\r\n", 2, 4},
      {"v=0", 1, 3},
  };
  size_t i, n;
  imsms_sdp_iter it;
  imsms_sdp_line l;
  int rv;

  for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
    n = 0;
    ck_assert_int_eq(imsms_sdp_iter_init(&it, v[i].sdp, strlen(v[i].sdp)), 0);
    while ((rv = imsms_sdp_iter_next(&it, &l)) == 0) {
      n++;
      if (n == v[i].nlines) {
        ck_assert_uint_eq(l.raw.len, v[i].last_raw);
      }
    }
    ck_assert_int_eq(rv, IMSMS_ERR_EOF);
    ck_assert_uint_eq(n, v[i].nlines);
  }
}
END_TEST

START_TEST(test_iter_mlines) {
  static const struct {
    const char *m;
    int rv;
    int proto;
    uint32_t port, nports;
    size_t nfmts;
  } v[] = {
      {"audio 49170 RTP/AVP 0", 0, IMSMS_SDP_PROTO_RTP_AVP, 49170, 0, 1},
      {"audio 49170/2 RTP/AVPF 0 8", 0, IMSMS_SDP_PROTO_RTP_AVPF, 49170, 2, 2},
      {"audio 0 RTP/SAVP 0", 0, IMSMS_SDP_PROTO_RTP_SAVP, 0, 0, 1},
      {"video 65535 RTP/SAVPF 96", 0, IMSMS_SDP_PROTO_RTP_SAVPF, 65535, 0, 1},
      {"audio 5004 UDP/TLS/RTP/SAVP 0", 0, IMSMS_SDP_PROTO_UDP_TLS_RTP_SAVP,
       5004, 0, 1},
      {"message 7394 TCP/MSRP *", 0, IMSMS_SDP_PROTO_TCP_MSRP, 7394, 0, 1},
      {"message 7394 TCP/TLS/MSRP *", 0, IMSMS_SDP_PROTO_TCP_TLS_MSRP, 7394, 0,
       1},
      /* Unknown profiles are kept as "other". */
      {"audio 5004 RTP/AVP/TCP 0", 0, IMSMS_SDP_PROTO_OTHER, 5004, 0, 1},
      {"image 5004 udptl t38", 0, IMSMS_SDP_PROTO_OTHER, 5004, 0, 1},
      {"application 5004 TCP/BFCP *", 0, IMSMS_SDP_PROTO_OTHER, 5004, 0, 1},
      {"audio 5004 rtp/avp 0", 0, IMSMS_SDP_PROTO_OTHER, 5004, 0, 1},
      {"audio 00049 RTP/AVP 0", 0, IMSMS_SDP_PROTO_RTP_AVP, 49, 0, 1},
      /* Malformed. */
      {"audio 49170 RTP/AVP", IMSMS_ERR_SDP_SYNTAX, 0, 0, 0, 0},
      {"audio 49170 RTP/AVP ", IMSMS_ERR_SDP_SYNTAX, 0, 0, 0, 0},
      {"audio 49170 RTP/AVP 0 ", IMSMS_ERR_SDP_SYNTAX, 0, 0, 0, 0},
      {"audio  49170 RTP/AVP 0", IMSMS_ERR_SDP_SYNTAX, 0, 0, 0, 0},
      {"audio 49170 RTP/AVP 0  8", IMSMS_ERR_SDP_SYNTAX, 0, 0, 0, 0},
      {"audio 65536 RTP/AVP 0", IMSMS_ERR_SDP_SYNTAX, 0, 0, 0, 0},
      {"audio 4x RTP/AVP 0", IMSMS_ERR_SDP_SYNTAX, 0, 0, 0, 0},
      {"audio 49170/0 RTP/AVP 0", IMSMS_ERR_SDP_SYNTAX, 0, 0, 0, 0},
      {"audio 49170/02 RTP/AVP 0", IMSMS_ERR_SDP_SYNTAX, 0, 0, 0, 0},
      {"audio 49170/ RTP/AVP 0", IMSMS_ERR_SDP_SYNTAX, 0, 0, 0, 0},
      {"audio 49170 RTP//AVP 0", IMSMS_ERR_SDP_SYNTAX, 0, 0, 0, 0},
      {"audio 49170 /AVP 0", IMSMS_ERR_SDP_SYNTAX, 0, 0, 0, 0},
      {"audio 49170 RTP/AVP/ 0", IMSMS_ERR_SDP_SYNTAX, 0, 0, 0, 0},
      {"au:dio 49170 RTP/AVP 0", IMSMS_ERR_SDP_SYNTAX, 0, 0, 0, 0},
      {" audio 49170 RTP/AVP 0", IMSMS_ERR_SDP_SYNTAX, 0, 0, 0, 0},
      {"audio\t49170 RTP/AVP 0", IMSMS_ERR_SDP_SYNTAX, 0, 0, 0, 0},
      {"", IMSMS_ERR_SDP_SYNTAX, 0, 0, 0, 0},
  };
  char buf[128];
  imsms_sdp_iter it;
  imsms_sdp_line l;
  size_t i;
  int n;

  for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
    n = snprintf(buf, sizeof(buf), "v=0\r\nm=%s\r\n", v[i].m);
    ck_assert_int_gt(n, 0);
    ck_assert_int_eq(imsms_sdp_iter_init(&it, buf, (size_t)n), 0);
    ck_assert_int_eq(imsms_sdp_iter_next(&it, &l), 0);
    ck_assert_msg(imsms_sdp_iter_next(&it, &l) == v[i].rv, "m=%s", v[i].m);
    if (v[i].rv == 0) {
      ck_assert_int_eq(l.m.proto, v[i].proto);
      ck_assert_uint_eq(l.m.port, v[i].port);
      ck_assert_uint_eq(l.m.nports, v[i].nports);
      ck_assert_uint_eq(l.m.nfmts, v[i].nfmts);
      ck_assert_uint_eq(l.level, 1);
    } else {
      /* The iterator stays on the failing line. */
      ck_assert_int_eq(imsms_sdp_iter_next(&it, &l), v[i].rv);
      ck_assert_uint_eq(l.raw.len, 0);
    }
  }
}
END_TEST

START_TEST(test_iter_bad_bodies) {
  static const struct {
    const char *sdp;
    size_t len; /* 0: strlen */
    int rv;
  } v[] = {
      {"", 0, IMSMS_ERR_SDP_SYNTAX},
      {"\r\n", 0, IMSMS_ERR_SDP_SYNTAX},
      {"v=1\r\n", 0, IMSMS_ERR_SDP_SYNTAX},
      {"v=0 \r\n", 0, IMSMS_ERR_SDP_SYNTAX},
      {"o=- 1 1 IN IP4 a\r\nv=0\r\n", 0, IMSMS_ERR_SDP_SYNTAX},
      {"v=0\r\nv=0\r\n", 0, IMSMS_ERR_SDP_SYNTAX},
      {"v=0\r\ns = x\r\n", 0, IMSMS_ERR_SDP_SYNTAX},
      {"v=0\r\nS=x\r\n", 0, IMSMS_ERR_SDP_SYNTAX},
      {"v=0\r\ns\r\n", 0, IMSMS_ERR_SDP_SYNTAX},
      {"v=0\r\n=x\r\n", 0, IMSMS_ERR_SDP_SYNTAX},
      {"v=0\r\n\r\ns=x\r\n", 0, IMSMS_ERR_SDP_SYNTAX},
      {"v=0\r\ns=a\rb\r\n", 0, IMSMS_ERR_SDP_SYNTAX},
      {"v=0\r\ns=a\0b\r\n", 10, IMSMS_ERR_SDP_SYNTAX},
      {"v=0\r\na=:x\r\n", 0, IMSMS_ERR_SDP_SYNTAX},
      {"v=0\r\na=cr ypto:1\r\n", 0, IMSMS_ERR_SDP_SYNTAX},
      {"v=0\r\na=\r\n", 0, IMSMS_ERR_SDP_SYNTAX},
      {"v=0\r\na=x\r\n\r\nx", 0, IMSMS_ERR_SDP_SYNTAX},
      {"v=0\r\na=x\r\n\r", 0, IMSMS_ERR_TRUNCATED},
      {"v=0\r\na=x\r", 0, IMSMS_ERR_TRUNCATED},
      {"v=0\r", 0, IMSMS_ERR_TRUNCATED},
  };
  size_t i, len;
  imsms_sdp_iter it;
  imsms_sdp_line l;
  int rv;

  for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
    len = v[i].len ? v[i].len : strlen(v[i].sdp);
    ck_assert_int_eq(imsms_sdp_iter_init(&it, v[i].sdp, len), 0);
    while ((rv = imsms_sdp_iter_next(&it, &l)) == 0) {
    }
    ck_assert_msg(rv == v[i].rv, "body %zu: %d", i, rv);
    ck_assert_int_eq(imsms_sdp_check(v[i].sdp, len), v[i].rv);
  }
}
END_TEST

START_TEST(test_iter_arguments_and_size) {
  imsms_sdp_iter it;
  imsms_sdp_line l;
  char *big;
  size_t n;

  ck_assert_int_eq(imsms_sdp_iter_init(NULL, "v=0", 3),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_iter_init(&it, NULL, 3),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_iter_init(&it, "v=0", 3), 0);
  ck_assert_int_eq(imsms_sdp_iter_next(&it, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_iter_next(NULL, &l), IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_iter_init(&it, NULL, 0), 0);
  ck_assert_int_eq(imsms_sdp_iter_next(&it, &l), IMSMS_ERR_SDP_SYNTAX);

  /* Oversized: one byte over the limit (the size alone is refused). */
  big = malloc(IMSMS_SDP_MAX_LEN + 1);
  ck_assert_ptr_nonnull(big);
  memcpy(big, "v=0\r\n", 5);
  for (n = 5; n + 6 <= IMSMS_SDP_MAX_LEN + 1; n += 6) {
    memcpy(big + n, "a=xx\r\n", 6);
  }
  memset(big + n, '\n', IMSMS_SDP_MAX_LEN + 1 - n);
  ck_assert_int_eq(imsms_sdp_iter_init(&it, big, IMSMS_SDP_MAX_LEN + 1),
                   IMSMS_ERR_TOO_LARGE);
  ck_assert_int_eq(imsms_sdp_check(big, IMSMS_SDP_MAX_LEN + 1),
                   IMSMS_ERR_TOO_LARGE);
  ck_assert_int_eq(imsms_sdp_edit_apply(NULL, 0, big, IMSMS_SDP_MAX_LEN + 1,
                                        NULL, 0),
                   IMSMS_ERR_TOO_LARGE);
  free(big);
}
END_TEST

START_TEST(test_attr_find_and_media_get) {
  imsms_sdp_line l;
  imsms_sdp_mline m;
  imsms_sdp_iter it;
  size_t n = 0;

  /* a=setup only at media level 4; inherit does not reach up a level. */
  ck_assert_int_eq(imsms_sdp_attr_find(km_override, strlen(km_override), 4,
                                       "setup", 5, 0, &l),
                   0);
  ck_vec(l.attr_value, "actpass");
  ck_assert_uint_eq(l.level, 4);
  ck_assert_int_eq(imsms_sdp_attr_find(km_override, strlen(km_override), 0,
                                       "setup", 5, 1, &l),
                   IMSMS_ERR_EOF);
  /* key-mgmt: media 1 has its own, media 2 inherits the session's. */
  ck_assert_int_eq(imsms_sdp_attr_find(km_override, strlen(km_override), 1,
                                       "key-mgmt", 8, 1, &l),
                   0);
  ck_assert_uint_eq(l.level, 1);
  ck_assert_int_eq(imsms_sdp_attr_find(km_override, strlen(km_override), 2,
                                       "key-mgmt", 8, 0, &l),
                   IMSMS_ERR_EOF);
  ck_assert_int_eq(imsms_sdp_attr_find(km_override, strlen(km_override), 2,
                                       "key-mgmt", 8, 1, &l),
                   0);
  ck_assert_uint_eq(l.level, 0);
  ck_assert_int_eq(imsms_sdp_attr_find(km_override, strlen(km_override), 5,
                                       "key-mgmt", 8, 1, &l),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_media_get(km_override, strlen(km_override), 4,
                                       &m),
                   0);
  ck_assert_int_eq(m.proto, IMSMS_SDP_PROTO_TCP_TLS_MSRP);
  ck_vec(m.fmts, "*");
  ck_assert_int_eq(imsms_sdp_media_get(km_override, strlen(km_override), 0,
                                       &m),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_media_get(km_override, strlen(km_override), 5,
                                       &m),
                   IMSMS_ERR_INVALID_ARGUMENT);
  /* attr_next over all levels. */
  ck_assert_int_eq(imsms_sdp_iter_init(&it, sdes_offer, strlen(sdes_offer)),
                   0);
  while (imsms_sdp_attr_next(&it, IMSMS_SDP_LEVEL_ANY, "crypto", 6, &l) == 0) {
    n++;
  }
  ck_assert_uint_eq(n, 4);
  ck_assert_int_eq(imsms_sdp_iter_init(&it, sdes_offer, strlen(sdes_offer)),
                   0);
  n = 0;
  while (imsms_sdp_attr_next(&it, 2, "crypto", 6, &l) == 0) {
    n++;
    ck_assert_uint_eq(l.level, 2);
  }
  ck_assert_uint_eq(n, 1);
}
END_TEST

START_TEST(test_proto_helpers) {
  int p;

  for (p = IMSMS_SDP_PROTO_RTP_AVP; p <= IMSMS_SDP_PROTO_TCP_TLS_MSRP; p++) {
    const char *s = imsms_sdp_proto_str(p);

    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(imsms_sdp_proto_from_str(s, strlen(s)), p);
  }
  ck_assert_ptr_null(imsms_sdp_proto_str(IMSMS_SDP_PROTO_OTHER));
  ck_assert_ptr_null(imsms_sdp_proto_str(8));
  ck_assert_ptr_null(imsms_sdp_proto_str(-1));
  ck_assert_int_eq(imsms_sdp_proto_from_str("RTP/SAVP", 7),
                   IMSMS_SDP_PROTO_OTHER);
  ck_assert_int_eq(imsms_sdp_proto_from_str(NULL, 0), IMSMS_SDP_PROTO_OTHER);
  ck_assert_int_eq(imsms_sdp_proto_to_plain(IMSMS_SDP_PROTO_RTP_SAVP),
                   IMSMS_SDP_PROTO_RTP_AVP);
  ck_assert_int_eq(imsms_sdp_proto_to_plain(IMSMS_SDP_PROTO_RTP_SAVPF),
                   IMSMS_SDP_PROTO_RTP_AVPF);
  ck_assert_int_eq(imsms_sdp_proto_to_plain(IMSMS_SDP_PROTO_TCP_TLS_MSRP),
                   IMSMS_SDP_PROTO_TCP_MSRP);
  ck_assert_int_eq(imsms_sdp_proto_to_plain(IMSMS_SDP_PROTO_UDP_TLS_RTP_SAVP),
                   IMSMS_ERR_SDP_PROFILE);
  ck_assert_int_eq(imsms_sdp_proto_to_plain(IMSMS_SDP_PROTO_RTP_AVP),
                   IMSMS_ERR_SDP_PROFILE);
  ck_assert_int_eq(imsms_sdp_proto_to_secure(IMSMS_SDP_PROTO_RTP_AVP),
                   IMSMS_SDP_PROTO_RTP_SAVP);
  ck_assert_int_eq(imsms_sdp_proto_to_secure(IMSMS_SDP_PROTO_RTP_AVPF),
                   IMSMS_SDP_PROTO_RTP_SAVPF);
  ck_assert_int_eq(imsms_sdp_proto_to_secure(IMSMS_SDP_PROTO_TCP_MSRP),
                   IMSMS_SDP_PROTO_TCP_TLS_MSRP);
  ck_assert_int_eq(imsms_sdp_proto_to_secure(IMSMS_SDP_PROTO_OTHER),
                   IMSMS_ERR_SDP_PROFILE);
}
END_TEST

/* ------------------------------------------------------------------ */
/* a=crypto through the iterator                                       */

START_TEST(test_crypto_lines) {
  static const struct {
    uint32_t tag;
    int suite;
    size_t nkeys;
    uint64_t mki0;
    size_t mki_len;
  } want[] = {
      {1, IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80, 1, 1, 4},
      {2, IMSMS_SRTP_AES_CM_128_HMAC_SHA1_32, 1, 1, 4},
      {3, IMSMS_SRTP_AES_256_CM_HMAC_SHA1_80, 2, 1, 2},
  };
  imsms_sdes_crypto c;
  imsms_sdp_iter it;
  imsms_sdp_line l;
  char out[256];
  size_t n = 0;
  imsms_ssize len;

  ck_assert_int_eq(imsms_sdp_iter_init(&it, sdes_offer, strlen(sdes_offer)),
                   0);
  while (imsms_sdp_attr_next(&it, 1, "crypto", 6, &l) == 0) {
    ck_assert_uint_lt(n, 3);
    ck_assert_int_eq(imsms_sdp_crypto_parse(&l, &c), 0);
    ck_assert_uint_eq(c.tag, want[n].tag);
    ck_assert_int_eq(c.suite, want[n].suite);
    ck_assert_uint_eq(c.nkeys, want[n].nkeys);
    ck_assert_uint_eq(c.keys[0].mki, want[n].mki0);
    ck_assert_uint_eq(c.keys[0].mki_len, want[n].mki_len);
    /* Round trip: the formatter writes the same bytes. */
    len = imsms_sdes_format(out, sizeof(out), &c);
    ck_assert_int_eq(len, (imsms_ssize)l.attr_value.len);
    ck_assert_mem_eq(out, l.attr_value.base, l.attr_value.len);
    imsms_secure_clear(&c, sizeof(c));
    imsms_secure_clear(out, sizeof(out));
    n++;
  }
  ck_assert_uint_eq(n, 3);
  ck_assert_uint_eq(c.keys[1].mki, 0); /* wiped */
  /* Not an a=crypto line. */
  ck_assert_int_eq(imsms_sdp_iter_init(&it, sdes_offer, strlen(sdes_offer)),
                   0);
  ck_assert_int_eq(imsms_sdp_attr_next(&it, 1, "rtpmap", 6, &l), 0);
  ck_assert_int_eq(imsms_sdp_crypto_parse(&l, &c), IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_crypto_parse(NULL, &c),
                   IMSMS_ERR_INVALID_ARGUMENT);
}
END_TEST

/* ------------------------------------------------------------------ */
/* a=key-mgmt                                                          */

START_TEST(test_key_mgmt_parse) {
  static const struct {
    const char *v;
    int rv;
    const char *id;
    const char *data;
  } v[] = {
      {"mikey " MIKEY_OFFER, 0, "mikey", MIKEY_OFFER},
      {" mikey " MIKEY_ANSWER, 0, "mikey", MIKEY_ANSWER},
      {"mikey AAAA ", 0, "mikey", "AAAA"},
      {"keyp1 AAAA\t", 0, "keyp1", "AAAA"},
      {"MIKEY AAAA", 0, "MIKEY", "AAAA"},
      {"", IMSMS_ERR_SDP_SYNTAX, NULL, NULL},
      {"mikey", IMSMS_ERR_SDP_SYNTAX, NULL, NULL},
      {"mikey ", IMSMS_ERR_SDP_SYNTAX, NULL, NULL},
      {"  mikey AAAA", IMSMS_ERR_SDP_SYNTAX, NULL, NULL},
      {"mikey  AAAA", IMSMS_ERR_SDP_SYNTAX, NULL, NULL},
      {"mi-key AAAA", IMSMS_ERR_SDP_SYNTAX, NULL, NULL},
      {" AAAA", IMSMS_ERR_SDP_SYNTAX, NULL, NULL},
      {"mikey AAAA  ", IMSMS_ERR_SDP_SYNTAX, NULL, NULL},
      /* RFC 4567 4.1.4: a line break inside the data, as printed. */
      {"keyp2 DFsnuiSDSh9sdh Kksd/dhsoddo7eOok727gWsJD", IMSMS_ERR_SDP_SYNTAX,
       NULL, NULL},
      /* The RFC examples abbreviated with "...". */
      {"mikey AQAFgM0XflABAAAAAAAAAAAAAAsAyO...", IMSMS_ERR_BASE64, NULL, NULL},
      {"mikey AAA", IMSMS_ERR_BASE64, NULL, NULL},
      {"mikey AA=A", IMSMS_ERR_BASE64, NULL, NULL},
      {"mikey AB==", IMSMS_ERR_BASE64, NULL, NULL}, /* non-canonical */
      {"mikey AA==AAAA", IMSMS_ERR_BASE64, NULL, NULL},
      {"mikey AA-_", IMSMS_ERR_BASE64, NULL, NULL},
  };
  imsms_sdp_key_mgmt km;
  size_t i;

  for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
    char *copy = dup_exact(v[i].v, strlen(v[i].v));

    ck_assert_msg(imsms_sdp_key_mgmt_parse(&km, copy, strlen(v[i].v)) ==
                      v[i].rv,
                  "'%s'", v[i].v);
    if (v[i].rv == 0) {
      ck_vec(km.prtcl_id, v[i].id);
      ck_vec(km.data, v[i].data);
      ck_inside(km.data, copy, strlen(v[i].v));
    } else {
      ck_assert_ptr_null(km.data.base);
      ck_assert_uint_eq(km.prtcl_id.len, 0);
    }
    free(copy);
  }
  ck_assert_int_eq(imsms_sdp_key_mgmt_parse(NULL, "mikey AAAA", 10),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_key_mgmt_parse(&km, NULL, 10),
                   IMSMS_ERR_INVALID_ARGUMENT);
}
END_TEST

/* The RFC 4567 5.1 offer carries the MIKEY message of the RFC, which
 * decodes, and formats back to the same value. */
START_TEST(test_key_mgmt_decode_format) {
  uint8_t msg[256], want[256];
  char text[512];
  imsms_sdp_line l;
  imsms_sdp_key_mgmt km;
  imsms_mikey_msg mm;
  imsms_ssize n, t;
  size_t wn;

  ck_assert_int_eq(imsms_sdp_attr_find(rfc4567_offer, strlen(rfc4567_offer), 0,
                                       "key-mgmt", 8, 0, &l),
                   0);
  ck_assert_int_eq(imsms_sdp_key_mgmt_parse(&km, l.attr_value.base,
                                            l.attr_value.len),
                   0);
  n = imsms_sdp_key_mgmt_decode(msg, sizeof(msg), &km);
  ck_assert_int_eq(n, 132);
  wn = imsms_sample_rfc4567_offer(want, sizeof(want));
  ck_assert_uint_eq(wn, 132);
  ck_assert_mem_eq(msg, want, wn);
  ck_assert_int_eq(imsms_mikey_decode(&mm, msg, (size_t)n), 0);
  ck_assert_uint_eq(mm.hdr.version, 1);
  /* Round trip. */
  t = imsms_sdp_key_mgmt_format(NULL, 0, "mikey", msg, (size_t)n);
  ck_assert_int_eq(t, (imsms_ssize)l.attr_value.len);
  ck_assert_int_eq(imsms_sdp_key_mgmt_format(text, sizeof(text), "mikey", msg,
                                             (size_t)n),
                   t);
  ck_assert_mem_eq(text, l.attr_value.base, (size_t)t);
  /* Too small: nothing written (format), wiped (decode). */
  memset(text, 'Z', sizeof(text));
  ck_assert_int_eq(imsms_sdp_key_mgmt_format(text, (size_t)t - 1, "mikey", msg,
                                             (size_t)n),
                   IMSMS_ERR_NOBUF);
  ck_assert_int_eq(text[0], 'Z');
  ck_assert_int_eq(text[t - 2], 'Z');
  memset(msg, 0xAA, sizeof(msg));
  ck_assert_int_eq(imsms_sdp_key_mgmt_decode(msg, 131, &km), IMSMS_ERR_NOBUF);
  ck_assert(imsms_test_all_zero(msg, 131));
  /* Refused arguments. */
  ck_assert_int_eq(imsms_sdp_key_mgmt_format(text, sizeof(text), "mi-key",
                                             want, 4),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_key_mgmt_format(text, sizeof(text), "", want, 4),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_key_mgmt_format(text, sizeof(text), "mikey",
                                             want, 0),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_key_mgmt_format(text, sizeof(text), NULL, want,
                                             4),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_key_mgmt_decode(msg, sizeof(msg), NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(test_key_mgmt_levels) {
  imsms_sdp_key_mgmt km[8];
  char ids[64];
  size_t n;

  /* Session level: two protocols in order. */
  ck_assert_int_eq(imsms_sdp_key_mgmt_list(km_override, strlen(km_override), 0,
                                           km, 8, &n),
                   0);
  ck_assert_uint_eq(n, 2);
  ck_vec(km[0].prtcl_id, "mikey");
  ck_vec(km[0].data, MIKEY_OFFER);
  ck_vec(km[1].prtcl_id, "keyp1");
  ck_assert_uint_eq(km[1].level, 0);
  /* Media 1 overrides: its own line only, the session's are ignored. */
  ck_assert_int_eq(imsms_sdp_key_mgmt_list(km_override, strlen(km_override), 1,
                                           km, 8, &n),
                   0);
  ck_assert_uint_eq(n, 1);
  ck_vec(km[0].data, MIKEY_ANSWER);
  ck_assert_uint_eq(km[0].level, 1);
  /* Media 2 (RTP/SAVPF) inherits both. */
  ck_assert_int_eq(imsms_sdp_key_mgmt_list(km_override, strlen(km_override), 2,
                                           km, 8, &n),
                   0);
  ck_assert_uint_eq(n, 2);
  ck_assert_uint_eq(km[0].level, 0);
  /* Media 3 (RTP/AVP): a session-level key-mgmt does not apply. */
  ck_assert_int_eq(imsms_sdp_key_mgmt_list(km_override, strlen(km_override), 3,
                                           km, 8, &n),
                   0);
  ck_assert_uint_eq(n, 0);
  /* Media 4 (TCP/TLS/MSRP) inherits. */
  ck_assert_int_eq(imsms_sdp_key_mgmt_list(km_override, strlen(km_override), 4,
                                           km, 8, &n),
                   0);
  ck_assert_uint_eq(n, 2);
  ck_assert_int_eq(imsms_sdp_key_mgmt_list(km_override, strlen(km_override), 5,
                                           km, 8, &n),
                   IMSMS_ERR_INVALID_ARGUMENT);
  /* Room for one: NOBUF with the count. */
  ck_assert_int_eq(imsms_sdp_key_mgmt_list(km_override, strlen(km_override), 0,
                                           km, 1, &n),
                   IMSMS_ERR_NOBUF);
  ck_assert_uint_eq(n, 2);
  /* RFC 4567 4.1.4: the protocol identifier list. */
  ck_assert_int_eq(imsms_sdp_key_mgmt_ids(ids, sizeof(ids), km_override,
                                          strlen(km_override), 2),
                   11);
  ck_assert_mem_eq(ids, "mikey;keyp1", 11);
  ck_assert_int_eq(imsms_sdp_key_mgmt_ids(ids, sizeof(ids), km_override,
                                          strlen(km_override), 1),
                   5);
  ck_assert_int_eq(imsms_sdp_key_mgmt_ids(NULL, 0, km_override,
                                          strlen(km_override), 3),
                   0);
  ck_assert_int_eq(imsms_sdp_key_mgmt_ids(ids, 10, km_override,
                                          strlen(km_override), 0),
                   IMSMS_ERR_NOBUF);
  /* RFC 4567 5.1: session level covers both RTP/SAVP streams. */
  ck_assert_int_eq(imsms_sdp_key_mgmt_list(rfc4567_offer,
                                           strlen(rfc4567_offer), 2, km, 8,
                                           &n),
                   0);
  ck_assert_uint_eq(n, 1);
  ck_assert_uint_eq(km[0].level, 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* 3ge2ae, setup, fingerprint                                          */

START_TEST(test_small_attrs) {
  imsms_sdp_fingerprint fp;

  ck_assert_int_eq(imsms_sdp_3ge2ae_parse("requested", 9),
                   IMSMS_SDP_3GE2AE_REQUESTED);
  ck_assert_int_eq(imsms_sdp_3ge2ae_parse("applied ", 8),
                   IMSMS_SDP_3GE2AE_APPLIED);
  ck_assert_int_eq(imsms_sdp_3ge2ae_parse("Requested", 9),
                   IMSMS_SDP_3GE2AE_OTHER);
  ck_assert_int_eq(imsms_sdp_3ge2ae_parse("", 0), IMSMS_ERR_SDP_SYNTAX);
  ck_assert_int_eq(imsms_sdp_3ge2ae_parse("req uested", 10),
                   IMSMS_ERR_SDP_SYNTAX);
  ck_assert_int_eq(imsms_sdp_3ge2ae_parse(NULL, 1),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_str_eq(imsms_sdp_3ge2ae_str(IMSMS_SDP_3GE2AE_REQUESTED),
                   "requested");
  ck_assert_str_eq(imsms_sdp_3ge2ae_str(IMSMS_SDP_3GE2AE_APPLIED), "applied");
  ck_assert_ptr_null(imsms_sdp_3ge2ae_str(IMSMS_SDP_3GE2AE_OTHER));

  ck_assert_int_eq(imsms_sdp_setup_parse("actpass", 7),
                   IMSMS_SDP_SETUP_ACTPASS);
  ck_assert_int_eq(imsms_sdp_setup_parse("active", 6), IMSMS_SDP_SETUP_ACTIVE);
  ck_assert_int_eq(imsms_sdp_setup_parse("passive", 7),
                   IMSMS_SDP_SETUP_PASSIVE);
  ck_assert_int_eq(imsms_sdp_setup_parse("holdconn", 8),
                   IMSMS_SDP_SETUP_HOLDCONN);
  ck_assert_int_eq(imsms_sdp_setup_parse("Active", 6), IMSMS_ERR_SDP_SYNTAX);
  ck_assert_int_eq(imsms_sdp_setup_parse("", 0), IMSMS_ERR_SDP_SYNTAX);
  ck_assert_str_eq(imsms_sdp_setup_str(IMSMS_SDP_SETUP_ACTPASS), "actpass");
  ck_assert_ptr_null(imsms_sdp_setup_str(0));

  ck_assert_int_eq(imsms_sdp_fingerprint_parse(&fp, FP_SHA256,
                                               strlen(FP_SHA256)),
                   0);
  ck_vec(fp.hash_func, "sha-256");
  ck_assert_uint_eq(fp.fingerprint.len, 32 * 3 - 1);
  ck_assert_int_eq(imsms_sdp_fingerprint_parse(&fp, " SHA-1 4a:AD", 12), 0);
  ck_vec(fp.hash_func, "SHA-1");
  ck_vec(fp.fingerprint, "4a:AD");
  ck_assert_int_eq(imsms_sdp_fingerprint_parse(&fp, "SHA-1 4A:A", 10),
                   IMSMS_ERR_SDP_SYNTAX);
  ck_assert_int_eq(imsms_sdp_fingerprint_parse(&fp, "SHA-1 4A:AG", 11),
                   IMSMS_ERR_SDP_SYNTAX);
  ck_assert_int_eq(imsms_sdp_fingerprint_parse(&fp, "SHA-1 4A:", 9),
                   IMSMS_ERR_SDP_SYNTAX);
  ck_assert_int_eq(imsms_sdp_fingerprint_parse(&fp, "SHA-1", 5),
                   IMSMS_ERR_SDP_SYNTAX);
  ck_assert_int_eq(imsms_sdp_fingerprint_parse(&fp, "SHA-1  4A", 9),
                   IMSMS_ERR_SDP_SYNTAX);
  ck_assert_ptr_null(fp.hash_func.base);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Whole-body checks: duplicates, conflicts, nested errors              */

START_TEST(test_check_valid) {
  size_t i;

  for (i = 0; i < NVALID; i++) {
    ck_assert_msg(imsms_sdp_check(valid_bodies[i], strlen(valid_bodies[i])) ==
                      valid_nmedia[i],
                  "body %zu: %td", i,
                  imsms_sdp_check(valid_bodies[i], strlen(valid_bodies[i])));
  }
}
END_TEST

#define HDR "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n"
#define MA "m=audio 49170 RTP/SAVP 0\r\n"
#define CR1 "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K_4568 "\r\n"
#define CR2 "a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:" K_5939A "\r\n"

START_TEST(test_check_bad) {
  static const struct {
    const char *sdp;
    int rv;
  } v[] = {
      /* Duplicates. */
      {HDR MA CR1 CR1, IMSMS_ERR_SDP_DUPLICATE},
      {HDR MA CR1 "a=3ge2ae:requested\r\na=3ge2ae:requested\r\n",
       IMSMS_ERR_SDP_DUPLICATE},
      {HDR MA "a=setup:active\r\na=setup:passive\r\n", IMSMS_ERR_SDP_DUPLICATE},
      {HDR "a=key-mgmt:mikey AAAA\r\na=key-mgmt:mikey BBBB\r\n" MA,
       IMSMS_ERR_SDP_DUPLICATE},
      {HDR MA "a=key-mgmt:mikey AAAA\r\na=key-mgmt:mikey BBBB\r\n",
       IMSMS_ERR_SDP_DUPLICATE},
      {HDR MA "a=tcap:1 RTP/SAVP\r\na=tcap:2 RTP/SAVPF\r\n",
       IMSMS_ERR_SDP_DUPLICATE},
      {HDR "a=tcap:1 RTP/SAVP RTP/SAVPF\r\n" MA "a=tcap:2 RTP/AVPF\r\n",
       IMSMS_ERR_SDP_DUPLICATE},
      {HDR "a=acap:1 ptime:20\r\n" MA "a=acap:1 ptime:30\r\n",
       IMSMS_ERR_SDP_DUPLICATE},
      {HDR MA "a=tcap:1 RTP/SAVP\r\na=pcfg:1 t=1\r\na=pcfg:1 t=1\r\n",
       IMSMS_ERR_SDP_DUPLICATE},
      {HDR MA "a=tcap:1 RTP/SAVP\r\na=acfg:1 t=1\r\na=acfg:2 t=1\r\n",
       IMSMS_ERR_SDP_DUPLICATE},
      /* Not duplicates: same protocol at two levels, tags per media. */
      {HDR "a=key-mgmt:mikey AAAA\r\n" MA "a=key-mgmt:mikey BBBB\r\n", 1},
      {HDR MA CR1 MA CR1, 2},
      /* Conflicts: level, profile, embedding, references. */
      {HDR CR1 MA, IMSMS_ERR_SDP_CONFLICT},
      {HDR "a=3ge2ae:requested\r\n" MA, IMSMS_ERR_SDP_CONFLICT},
      {HDR "a=pcfg:1\r\n" MA, IMSMS_ERR_SDP_CONFLICT},
      {HDR "a=acfg:1\r\n" MA, IMSMS_ERR_SDP_CONFLICT},
      {HDR "m=message 7394 TCP/TLS/MSRP *\r\n" CR1, IMSMS_ERR_SDP_CONFLICT},
      {HDR "m=message 7394 TCP/MSRP *\r\n" CR1, IMSMS_ERR_SDP_CONFLICT},
      {HDR "m=audio 5004 UDP/TLS/RTP/SAVP 0\r\n" CR1, IMSMS_ERR_SDP_CONFLICT},
      {HDR MA "a=acap:1 acap:2 foo:a\r\n", IMSMS_ERR_SDP_CONFLICT},
      {HDR MA "a=acap:2 pcfg:1 t=1 a=1\r\n", IMSMS_ERR_SDP_CONFLICT},
      {HDR MA "a=pcfg:1 t=1\r\n", IMSMS_ERR_SDP_CONFLICT},
      {HDR MA "a=tcap:1 RTP/SAVP\r\na=pcfg:1 t=2\r\n", IMSMS_ERR_SDP_CONFLICT},
      {HDR MA "a=tcap:1 RTP/SAVP\r\na=pcfg:1 t=1 a=1\r\n",
       IMSMS_ERR_SDP_CONFLICT},
      /* A capability of another media section may not be used. */
      {HDR MA "a=acap:1 ptime:20\r\n" MA "a=pcfg:1 a=1\r\n",
       IMSMS_ERR_SDP_CONFLICT},
      /* One of the session's may. */
      {HDR "a=acap:1 ptime:20\r\n" MA "a=pcfg:1 a=1\r\n", 1},
      /* Nested errors keep their codes. */
      {HDR MA "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkp"
              "\r\n",
       IMSMS_ERR_SDES_KEY_LENGTH},
      {HDR MA "a=crypto:01 AES_CM_128_HMAC_SHA1_80 inline:" K_4568 "\r\n",
       IMSMS_ERR_SDES_TAG},
      {HDR MA "a=crypto:1 F8_128_HMAC_SHA1_80 inline:" K_4568 "\r\n",
       IMSMS_ERR_UNSUPPORTED_ALG},
      {HDR MA "a=acap:1 crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K_4568
              "|2^49\r\n",
       IMSMS_ERR_SDES_LIFETIME},
      {HDR "a=key-mgmt:mikey AQAFgM0XflABAAAAAAAAAAAAAAsAyO...\r\n" MA,
       IMSMS_ERR_BASE64},
      {HDR "a=acap:1 key-mgmt:mikey AA=A\r\n" MA, IMSMS_ERR_BASE64},
      {HDR MA "a=3ge2ae:\r\n", IMSMS_ERR_SDP_SYNTAX},
      {HDR MA "a=3ge2ae\r\n", IMSMS_ERR_SDP_SYNTAX},
      {HDR MA "a=crypto\r\n", IMSMS_ERR_SDP_SYNTAX},
      /* An empty value is the attribute's syntax error, not the caller's. */
      {HDR MA "a=crypto:\r\n", IMSMS_ERR_SDES_SYNTAX},
      {HDR MA "a=acap:1 crypto:\r\n", IMSMS_ERR_SDES_SYNTAX},
      {HDR MA "a=setup:Active\r\n", IMSMS_ERR_SDP_SYNTAX},
      {HDR MA "a=fingerprint:sha-256 ZZ\r\n", IMSMS_ERR_SDP_SYNTAX},
      {HDR MA "a=tcap:0 RTP/SAVP\r\n", IMSMS_ERR_SDP_SYNTAX},
      {HDR MA "a=acap:1 crypto\r\n", IMSMS_ERR_SDP_SYNTAX},
      {HDR MA "a=pcfg:1 x\r\n", IMSMS_ERR_SDP_SYNTAX},
      {HDR MA "a=tcap:1 RTP/SAVP\r\na=acfg:1 t=1|2\r\n", IMSMS_ERR_SDP_SYNTAX},
      /* 3ge2ae with an unknown token is kept, not refused. */
      {HDR MA "a=3ge2ae:someday\r\n", 1},
  };
  size_t i;

  for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
    char *copy = dup_exact(v[i].sdp, strlen(v[i].sdp));
    imsms_ssize rv = imsms_sdp_check(copy, strlen(v[i].sdp));

    ck_assert_msg(rv == v[i].rv, "case %zu: %td, want %d", i, rv, v[i].rv);
    free(copy);
  }
}
END_TEST

START_TEST(test_check_limits) {
  char *sdp = malloc(IMSMS_SDP_MAX_LEN);
  size_t n;
  int i;

  ck_assert_ptr_nonnull(sdp);
  /* IMSMS_SDP_MAX_CRYPTO + 1 a=crypto lines in one section. */
  n = (size_t)sprintf(sdp, HDR MA);
  for (i = 1; i <= IMSMS_SDP_MAX_CRYPTO + 1; i++) {
    n += (size_t)sprintf(sdp + n,
                         "a=crypto:%d AES_CM_128_HMAC_SHA1_80 inline:" K_4568
                         "\r\n",
                         i);
  }
  ck_assert_int_eq(imsms_sdp_check(sdp, n), IMSMS_ERR_TOO_LARGE);
  /* IMSMS_SDP_MAX_CAPS + 1 acaps. */
  n = (size_t)sprintf(sdp, HDR MA);
  for (i = 1; i <= IMSMS_SDP_MAX_CAPS + 1; i++) {
    n += (size_t)sprintf(sdp + n, "a=acap:%d ptime:%d\r\n", i, i);
  }
  ck_assert_int_eq(imsms_sdp_check(sdp, n), IMSMS_ERR_TOO_LARGE);
  /* IMSMS_SDP_MAX_KEY_MGMT + 1 protocols at one level. */
  n = (size_t)sprintf(sdp, HDR);
  for (i = 1; i <= IMSMS_SDP_MAX_KEY_MGMT + 1; i++) {
    n += (size_t)sprintf(sdp + n, "a=key-mgmt:p%d AAAA\r\n", i);
  }
  ck_assert_int_eq(imsms_sdp_check(sdp, n), IMSMS_ERR_TOO_LARGE);
  free(sdp);
}
END_TEST

/* ------------------------------------------------------------------ */
/* RFC 5939                                                            */

START_TEST(test_tcap_acap) {
  static const char *const protos[] = {"RTP/SAVPF", "RTP/SAVP", "RTP/AVPF"};
  imsms_sdp_tcap t;
  imsms_sdp_acap a;
  imsms_sdp_vec p;
  char out[128];

  ck_assert_int_eq(imsms_sdp_tcap_parse(&t, "3 RTP/SAVP RTP/SAVPF", 20), 0);
  ck_assert_uint_eq(t.num, 3);
  ck_assert_uint_eq(t.nprotos, 2);
  ck_assert_int_eq(imsms_sdp_tcap_proto(&t, 4, &p), 0);
  ck_vec(p, "RTP/SAVPF");
  ck_assert_int_eq(imsms_sdp_tcap_proto(&t, 3, &p), 0);
  ck_vec(p, "RTP/SAVP");
  ck_assert_int_eq(imsms_sdp_tcap_proto(&t, 2, &p), IMSMS_ERR_EOF);
  ck_assert_int_eq(imsms_sdp_tcap_proto(&t, 5, &p), IMSMS_ERR_EOF);
  ck_assert_int_eq(imsms_sdp_tcap_parse(&t, "5 UDP/TLS/RTP/SAVP ", 19), 0);
  ck_vec(t.protos, "UDP/TLS/RTP/SAVP");
  ck_assert_int_eq(imsms_sdp_tcap_parse(&t, "1\tRTP/AVP  RTP/SAVP", 19), 0);
  ck_assert_uint_eq(t.nprotos, 2);
  ck_assert_int_eq(imsms_sdp_tcap_parse(&t, " 1 RTP/AVP", 10),
                   IMSMS_ERR_SDP_SYNTAX);
  ck_assert_int_eq(imsms_sdp_tcap_parse(&t, "1 RTP/AVP  ", 11),
                   IMSMS_ERR_SDP_SYNTAX);
  ck_assert_int_eq(imsms_sdp_tcap_parse(&t, "1", 1), IMSMS_ERR_SDP_SYNTAX);
  ck_assert_int_eq(imsms_sdp_tcap_parse(&t, "1RTP/AVP", 8),
                   IMSMS_ERR_SDP_SYNTAX);
  ck_assert_int_eq(imsms_sdp_tcap_parse(&t, "2147483648 RTP/AVP", 18),
                   IMSMS_ERR_SDP_SYNTAX);
  ck_assert_int_eq(imsms_sdp_tcap_parse(&t, "2147483647 RTP/AVP RTP/SAVP", 27),
                   IMSMS_ERR_SDP_SYNTAX);
  ck_assert_int_eq(imsms_sdp_tcap_parse(&t, "2147483647 RTP/AVP", 18), 0);
  ck_assert_int_eq(imsms_sdp_tcap_parse(&t, "1 RTP//AVP", 10),
                   IMSMS_ERR_SDP_SYNTAX);
  /* Format: RFC 5939 3.11's tcap. */
  ck_assert_int_eq(imsms_sdp_tcap_format(out, sizeof(out), 1, protos, 3), 29);
  ck_assert_mem_eq(out, "1 RTP/SAVPF RTP/SAVP RTP/AVPF", 29);
  ck_assert_int_eq(imsms_sdp_tcap_format(out, 10, 1, protos, 3),
                   IMSMS_ERR_NOBUF);
  ck_assert_int_eq(imsms_sdp_tcap_format(out, sizeof(out), 0, protos, 3),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_tcap_format(out, sizeof(out), 2147483646u, protos,
                                         3),
                   IMSMS_ERR_INVALID_ARGUMENT);

  ck_assert_int_eq(imsms_sdp_acap_parse(&a, "1 ptime:20", 10), 0);
  ck_vec(a.name, "ptime");
  ck_vec(a.value, "20");
  ck_assert_int_eq(a.has_value, 1);
  ck_assert_int_eq(imsms_sdp_acap_parse(&a, "7 sendonly", 10), 0);
  ck_assert_int_eq(a.has_value, 0);
  ck_assert_int_eq(imsms_sdp_acap_parse(&a, "4 crypto:1 X inline:Y|2^20|1:32",
                                        strlen("4 crypto:1 X inline:Y|2^20|1:32")),
                   0);
  ck_vec(a.value, "1 X inline:Y|2^20|1:32");
  ck_assert_int_eq(imsms_sdp_acap_parse(&a, "1 acap:2 foo:a", 14),
                   IMSMS_ERR_SDP_CONFLICT);
  ck_assert_int_eq(imsms_sdp_acap_parse(&a, "1 csup:foo", 10),
                   IMSMS_ERR_SDP_CONFLICT);
  ck_assert_int_eq(imsms_sdp_acap_parse(&a, "0 ptime:20", 10),
                   IMSMS_ERR_SDP_SYNTAX);
  ck_assert_int_eq(imsms_sdp_acap_parse(&a, "1 :20", 5), IMSMS_ERR_SDP_SYNTAX);
  ck_assert_int_eq(imsms_sdp_acap_parse(&a, "1 ", 2), IMSMS_ERR_SDP_SYNTAX);
  ck_assert_int_eq(imsms_sdp_acap_format(out, sizeof(out), 1, "ptime", "20",
                                         2),
                   10);
  ck_assert_mem_eq(out, "1 ptime:20", 10);
  ck_assert_int_eq(imsms_sdp_acap_format(out, sizeof(out), 7, "sendonly", NULL,
                                         0),
                   10);
  ck_assert_int_eq(imsms_sdp_acap_format(out, sizeof(out), 1, "tcap", "1 X",
                                         3),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_acap_format(out, sizeof(out), 1, "x", "a\r\nb",
                                         4),
                   IMSMS_ERR_INVALID_ARGUMENT);
}
END_TEST

/* Every pcfg and acfg of RFC 5939, parsed and written back byte for byte. */
START_TEST(test_cfg_rfc_examples) {
  static const struct {
    const char *v;
    int acfg;
  } v[] = {
      {"1 t=1 a=1", 0},
      {"2 t=2 a=1", 0},
      {"1 a=-m:1,2,[3,4]|1,7,[5]", 0},
      {"1 t=4|3 a=1", 0},
      {"8 t=1|2", 0},
      {"1 t=1 a=1,3|2,3", 0},
      {"2 t=2 a=1|2", 0},
      {"3 t=3 a=3", 0},
      {"1 t=1 a=1,[2]", 0},
      {"3 t=3 a=[2]", 0},
      {"1 t=1 a=1,2", 0},
      {"1 t=1 a=1,4|3,4", 0},
      {"1 a=-s:1", 0},
      {"1 a=-ms", 0},
      {"1", 0},
      {"1 t=1 a=1", 1},
      {"1 t=4 a=1", 1},
      {"1 t=3 a=[2]", 1},
      {"2 t=2 a=3", 1},
      {"1 t=2 a=2", 1},
      {"1 t=1 a=3,4", 1},
      {"1 a=-s:1", 1},
      {"1 t=1 a=1 +foo=bar x=1", 0},
  };
  imsms_sdp_cfg c;
  char out[128];
  imsms_ssize n;
  size_t i;

  for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
    size_t len = strlen(v[i].v);
    char *copy = dup_exact(v[i].v, len);

    ck_assert_msg(imsms_sdp_cfg_parse(&c, copy, len, v[i].acfg) == 0, "%s",
                  v[i].v);
    n = imsms_sdp_cfg_format(out, sizeof(out), &c, v[i].acfg);
    ck_assert_int_eq(n, (imsms_ssize)len);
    ck_assert_mem_eq(out, v[i].v, len);
    ck_assert_int_eq(imsms_sdp_cfg_format(NULL, 0, &c, v[i].acfg), n);
    ck_assert_int_eq(imsms_sdp_cfg_format(out, len - 1, &c, v[i].acfg),
                     IMSMS_ERR_NOBUF);
    free(copy);
  }
  /* The structure of the richest one. */
  ck_assert_int_eq(imsms_sdp_cfg_parse(&c, "1 a=-m:1,2,[3,4]|1,7,[5]", 24, 0),
                   0);
  ck_assert_uint_eq(c.num, 1);
  ck_assert_uint_eq(c.del, IMSMS_SDP_CFG_DEL_MEDIA);
  ck_assert_uint_eq(c.nalts, 2);
  ck_assert_uint_eq(c.alts[0].ncaps, 4);
  ck_assert_uint_eq(c.alts[0].nmandatory, 2);
  ck_assert_uint_eq(c.alts[1].caps[1], 7);
  ck_assert_uint_eq(c.alts[1].caps[2], 5);
  ck_assert_uint_eq(c.ntcaps, 0);
  /* Other orders and blanks parse, and format canonically. */
  ck_assert_int_eq(imsms_sdp_cfg_parse(&c, "1 a=1\tt=1 ", 10, 0), 0);
  ck_assert_int_eq(imsms_sdp_cfg_format(out, sizeof(out), &c, 0), 9);
  ck_assert_mem_eq(out, "1 t=1 a=1", 9);
}
END_TEST

START_TEST(test_cfg_bad) {
  static const struct {
    const char *v;
    int acfg;
    int rv;
  } v[] = {
      {"", 0, IMSMS_ERR_SDP_SYNTAX},
      {"0", 0, IMSMS_ERR_SDP_SYNTAX},
      {" 1 t=1", 0, IMSMS_ERR_SDP_SYNTAX},
      {"1t=1", 0, IMSMS_ERR_SDP_SYNTAX},
      {"1 t=", 0, IMSMS_ERR_SDP_SYNTAX},
      {"1 t=0", 0, IMSMS_ERR_SDP_SYNTAX},
      {"1 t=1|", 0, IMSMS_ERR_SDP_SYNTAX},
      {"1 a=", 0, IMSMS_ERR_SDP_SYNTAX},
      {"1 a=-x:1", 0, IMSMS_ERR_SDP_SYNTAX},
      {"1 a=-sm:1", 0, IMSMS_ERR_SDP_SYNTAX},
      {"1 a=-m:", 0, IMSMS_ERR_SDP_SYNTAX},
      {"1 a=1,,2", 0, IMSMS_ERR_SDP_SYNTAX},
      {"1 a=[]", 0, IMSMS_ERR_SDP_SYNTAX},
      {"1 a=[2],1", 0, IMSMS_ERR_SDP_SYNTAX},
      {"1 a=1,[2],[3]", 0, IMSMS_ERR_SDP_SYNTAX},
      {"1 a=1[2]", 0, IMSMS_ERR_SDP_SYNTAX},
      {"1 a=1,[2", 0, IMSMS_ERR_SDP_SYNTAX},
      {"1 a=1|", 0, IMSMS_ERR_SDP_SYNTAX},
      {"1 a=1  ", 0, IMSMS_ERR_SDP_SYNTAX},
      {"1 foo", 0, IMSMS_ERR_SDP_SYNTAX},
      {"1 +=x", 0, IMSMS_ERR_SDP_SYNTAX},
      {"1 t=1|2", 1, IMSMS_ERR_SDP_SYNTAX},
      {"1 a=1|2", 1, IMSMS_ERR_SDP_SYNTAX},
      {"1 t=1 t=2", 0, IMSMS_ERR_SDP_DUPLICATE},
      {"1 a=1 a=2", 0, IMSMS_ERR_SDP_DUPLICATE},
      {"1 x=1 +x=2", 0, IMSMS_ERR_SDP_DUPLICATE},
      {"1 t=1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16|17", 0, IMSMS_ERR_TOO_LARGE},
      {"1 a=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", 0, IMSMS_ERR_TOO_LARGE},
      {"1 a=1 i=1 j=1 k=1 l=1 m=1", 0, IMSMS_ERR_TOO_LARGE},
  };
  imsms_sdp_cfg c;
  size_t i;

  for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
    size_t len = strlen(v[i].v);
    char *copy = dup_exact(v[i].v, len);

    ck_assert_msg(imsms_sdp_cfg_parse(&c, copy, len, v[i].acfg) == v[i].rv,
                  "'%s'", v[i].v);
    ck_assert(imsms_test_all_zero(&c, sizeof(c)));
    free(copy);
  }
  /* The formatter refuses what the parser would. */
  memset(&c, 0, sizeof(c));
  ck_assert_int_eq(imsms_sdp_cfg_format(NULL, 0, &c, 0),
                   IMSMS_ERR_INVALID_ARGUMENT);
  c.num = 1;
  c.nalts = 2;
  c.has_attr = 1;
  c.alts[0].ncaps = c.alts[1].ncaps = 1;
  c.alts[0].caps[0] = c.alts[1].caps[0] = 1;
  ck_assert_int_eq(imsms_sdp_cfg_format(NULL, 0, &c, 0), 11); /* [1]|[1] */
  c.alts[0].nmandatory = c.alts[1].nmandatory = 1;
  ck_assert_int_eq(imsms_sdp_cfg_format(NULL, 0, &c, 0), 7);
  c.alts[1].nmandatory = 2;
  ck_assert_int_eq(imsms_sdp_cfg_format(NULL, 0, &c, 0),
                   IMSMS_ERR_INVALID_ARGUMENT);
  c.alts[1].nmandatory = 1;
  ck_assert_int_eq(imsms_sdp_cfg_format(NULL, 0, &c, 1),
                   IMSMS_ERR_INVALID_ARGUMENT);
  c.alts[1].caps[0] = 0;
  ck_assert_int_eq(imsms_sdp_cfg_format(NULL, 0, &c, 0),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_cfg_format(NULL, 0, NULL, 0),
                   IMSMS_ERR_INVALID_ARGUMENT);
}
END_TEST

/* The RFC 5939 3.2 offer, built from a plain RTP/AVP offer with the
 * formatters and the editor, is the RFC's text byte for byte. */
START_TEST(test_build_rfc5939_offer) {
  static const char plain[] =
      "v=0\r\n"
      "o=- 25678 753849 IN IP4 192.0.2.1\r\n"
      "s=\r\n"
      "c=IN IP4 192.0.2.1\r\n"
      "t=0 0\r\n"
      "m=audio 53456 RTP/AVP 0 18\r\n";
  static const char *const savp[] = {"RTP/SAVP"};
  static const char crypto[] =
      "crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K_5939A "|2^20|1:4";
  char tcap[64], acap[128], pcfg[64], out[512];
  imsms_sdp_edit e[3];
  imsms_sdp_cfg cfg;
  imsms_ssize nt, na, np, n;
  const char *colon = strchr(crypto, ':');

  nt = imsms_sdp_tcap_format(tcap, sizeof(tcap), 1, savp, 1);
  na = imsms_sdp_acap_format(acap, sizeof(acap), 1, "crypto", colon + 1,
                             strlen(colon + 1));
  memset(&cfg, 0, sizeof(cfg));
  cfg.num = 1;
  cfg.ntcaps = 1;
  cfg.tcaps[0] = 1;
  cfg.has_attr = 1;
  cfg.nalts = 1;
  cfg.alts[0].ncaps = cfg.alts[0].nmandatory = 1;
  cfg.alts[0].caps[0] = 1;
  np = imsms_sdp_cfg_format(pcfg, sizeof(pcfg), &cfg, 0);
  ck_assert(nt > 0 && na > 0 && np > 0);
  e[0] = (imsms_sdp_edit){IMSMS_SDP_EDIT_ADD_ATTR, 1, "tcap", tcap,
                          (size_t)nt};
  e[1] = (imsms_sdp_edit){IMSMS_SDP_EDIT_ADD_ATTR, 1, "acap", acap,
                          (size_t)na};
  e[2] = (imsms_sdp_edit){IMSMS_SDP_EDIT_ADD_ATTR, 1, "pcfg", pcfg,
                          (size_t)np};
  n = imsms_sdp_edit_apply(out, sizeof(out), plain, strlen(plain), e, 3);
  ck_assert_int_eq(n, (imsms_ssize)strlen(rfc5939_offer));
  ck_assert_mem_eq(out, rfc5939_offer, (size_t)n);
  /* And the answerer reads it back: tcap 1 is RTP/SAVP, pcfg 1 uses it
   * with acap 1, the crypto attribute. */
  {
    imsms_sdp_line l;
    imsms_sdp_tcap t;
    imsms_sdp_acap a;
    imsms_sdp_vec p;
    imsms_sdes_crypto c;

    ck_assert_int_eq(imsms_sdp_attr_find(out, (size_t)n, 1, "pcfg", 4, 0, &l),
                     0);
    ck_assert_int_eq(imsms_sdp_cfg_parse(&cfg, l.attr_value.base,
                                         l.attr_value.len, 0),
                     0);
    ck_assert_int_eq(imsms_sdp_attr_find(out, (size_t)n, 1, "tcap", 4, 1, &l),
                     0);
    ck_assert_int_eq(imsms_sdp_tcap_parse(&t, l.attr_value.base,
                                          l.attr_value.len),
                     0);
    ck_assert_int_eq(imsms_sdp_tcap_proto(&t, cfg.tcaps[0], &p), 0);
    ck_assert_int_eq(imsms_sdp_proto_from_str(p.base, p.len),
                     IMSMS_SDP_PROTO_RTP_SAVP);
    ck_assert_int_eq(imsms_sdp_attr_find(out, (size_t)n, 1, "acap", 4, 1, &l),
                     0);
    ck_assert_int_eq(imsms_sdp_acap_parse(&a, l.attr_value.base,
                                          l.attr_value.len),
                     0);
    ck_assert_uint_eq(a.num, cfg.alts[0].caps[0]);
    ck_assert_int_eq(imsms_sdes_parse(&c, a.value.base, a.value.len), 0);
    ck_assert_uint_eq(c.keys[0].mki_len, 4);
    imsms_secure_clear(&c, sizeof(c));
  }
}
END_TEST

/* Every owned attribute of every sample: parse, format, same bytes. */
static void round_trip_value(const char *name, imsms_sdp_vec v) {
  char out[1024];
  imsms_ssize n = -1;

  if (!strcmp(name, "crypto")) {
    imsms_sdes_crypto c;

    ck_assert_int_eq(imsms_sdes_parse(&c, v.base, v.len), 0);
    n = imsms_sdes_format(out, sizeof(out), &c);
    imsms_secure_clear(&c, sizeof(c));
  } else if (!strcmp(name, "key-mgmt")) {
    imsms_sdp_key_mgmt km;
    uint8_t bin[512];
    char id[16];
    imsms_ssize b;

    ck_assert_int_eq(imsms_sdp_key_mgmt_parse(&km, v.base, v.len), 0);
    b = imsms_sdp_key_mgmt_decode(bin, sizeof(bin), &km);
    ck_assert_int_gt(b, 0);
    ck_assert_uint_lt(km.prtcl_id.len, sizeof(id));
    memcpy(id, km.prtcl_id.base, km.prtcl_id.len);
    id[km.prtcl_id.len] = '\0';
    n = imsms_sdp_key_mgmt_format(out, sizeof(out), id, bin, (size_t)b);
  } else if (!strcmp(name, "tcap")) {
    imsms_sdp_tcap t;
    char names[8][32];
    const char *ptrs[8];
    imsms_sdp_vec p;
    size_t i;

    ck_assert_int_eq(imsms_sdp_tcap_parse(&t, v.base, v.len), 0);
    ck_assert_uint_le(t.nprotos, 8);
    for (i = 0; i < t.nprotos; i++) {
      ck_assert_int_eq(imsms_sdp_tcap_proto(&t, t.num + (uint32_t)i, &p), 0);
      memcpy(names[i], p.base, p.len);
      names[i][p.len] = '\0';
      ptrs[i] = names[i];
    }
    n = imsms_sdp_tcap_format(out, sizeof(out), t.num, ptrs, t.nprotos);
  } else if (!strcmp(name, "acap")) {
    imsms_sdp_acap a;
    char an[32];

    ck_assert_int_eq(imsms_sdp_acap_parse(&a, v.base, v.len), 0);
    memcpy(an, a.name.base, a.name.len);
    an[a.name.len] = '\0';
    n = imsms_sdp_acap_format(out, sizeof(out), a.num, an,
                              a.has_value ? a.value.base : NULL, a.value.len);
    /* The embedded attribute round-trips too. */
    if (a.has_value && (!strcmp(an, "crypto") || !strcmp(an, "key-mgmt"))) {
      round_trip_value(an, a.value);
    }
  } else if (!strcmp(name, "pcfg") || !strcmp(name, "acfg")) {
    imsms_sdp_cfg c;
    int is_acfg = name[0] == 'a';

    ck_assert_int_eq(imsms_sdp_cfg_parse(&c, v.base, v.len, is_acfg), 0);
    n = imsms_sdp_cfg_format(out, sizeof(out), &c, is_acfg);
  } else if (!strcmp(name, "3ge2ae")) {
    const char *t = imsms_sdp_3ge2ae_str(imsms_sdp_3ge2ae_parse(v.base, v.len));

    ck_assert_ptr_nonnull(t);
    n = (imsms_ssize)strlen(t);
    memcpy(out, t, (size_t)n);
  } else if (!strcmp(name, "setup")) {
    const char *t = imsms_sdp_setup_str(imsms_sdp_setup_parse(v.base, v.len));

    ck_assert_ptr_nonnull(t);
    n = (imsms_ssize)strlen(t);
    memcpy(out, t, (size_t)n);
  } else {
    return;
  }
  ck_assert_msg(n == (imsms_ssize)v.len && memcmp(out, v.base, v.len) == 0,
                "a=%s:%.*s came back as %.*s", name, (int)v.len, v.base,
                n > 0 ? (int)n : 0, out);
  imsms_secure_clear(out, sizeof(out));
}

START_TEST(test_round_trip_owned) {
  size_t i, count = 0;

  for (i = 0; i < NVALID; i++) {
    imsms_sdp_iter it;
    imsms_sdp_line l;
    char name[32];

    ck_assert_int_eq(imsms_sdp_iter_init(&it, valid_bodies[i],
                                         strlen(valid_bodies[i])),
                     0);
    while (imsms_sdp_iter_next(&it, &l) == 0) {
      if (l.type != 'a' || !l.has_value || l.name.len >= sizeof(name)) {
        continue;
      }
      memcpy(name, l.name.base, l.name.len);
      name[l.name.len] = '\0';
      round_trip_value(name, l.attr_value);
      count++;
    }
  }
  ck_assert_uint_gt(count, 60);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Editor                                                              */

START_TEST(test_edit_identity) {
  char out[4096];
  size_t i;
  imsms_ssize n;

  for (i = 0; i < NVALID; i++) {
    size_t len = strlen(valid_bodies[i]);
    char *copy = dup_exact(valid_bodies[i], len);

    n = imsms_sdp_edit_apply(out, sizeof(out), copy, len, NULL, 0);
    ck_assert_int_eq(n, (imsms_ssize)len);
    ck_assert_mem_eq(out, valid_bodies[i], len);
    free(copy);
  }
}
END_TEST

START_TEST(test_edit_ops) {
  static const char in[] = "v=0\r\n"
                           "s=-\r\n"
                           "a=tool:x\r\n"
                           "m=audio 1 RTP/AVP 0 8\r\n"
                           "a=crypto:1 X\r\n"
                           "a=rtpmap:0 PCMU/8000\r\n"
                           "a=crypto:2 Y\r\n"
                           "m=video 2 RTP/AVPF 96\r\n"
                           "a=crypto:3 Z";
  static const char want[] = "v=0\r\n"
                             "s=-\r\n"
                             "a=tool:x\r\n"
                             "a=new-sess\r\n"
                             "m=audio 1 RTP/SAVP 0 8\r\n"
                             "a=rtpmap:0 PCMU/8000\r\n"
                             "a=crypto:9 NEW\r\n"
                             "a=3ge2ae:requested\r\n"
                             "m=video 2 RTP/AVPF 96\r\n"
                             "a=crypto:3 Z\r\n"
                             "a=x:y\r\n";
  imsms_sdp_edit e[] = {
      {IMSMS_SDP_EDIT_SET_PROTO, 1, NULL, "RTP/SAVP", 8},
      {IMSMS_SDP_EDIT_DROP_ATTR, 1, "crypto", NULL, 0},
      {IMSMS_SDP_EDIT_ADD_ATTR, 1, "crypto", "9 NEW", 5},
      {IMSMS_SDP_EDIT_ADD_ATTR, 1, "3ge2ae", "requested", 9},
      {IMSMS_SDP_EDIT_ADD_ATTR, 0, "new-sess", NULL, 0},
      {IMSMS_SDP_EDIT_ADD_ATTR, 2, "x", "y", 1},
  };
  char out[512];
  imsms_ssize n;

  n = imsms_sdp_edit_apply(NULL, 0, in, strlen(in), e, 6);
  ck_assert_int_eq(n, (imsms_ssize)strlen(want));
  memset(out, 'Z', sizeof(out));
  ck_assert_int_eq(imsms_sdp_edit_apply(out, (size_t)n - 1, in, strlen(in), e,
                                        6),
                   IMSMS_ERR_NOBUF);
  ck_assert_int_eq(out[0], 'Z');
  ck_assert_int_eq(imsms_sdp_edit_apply(out, sizeof(out), in, strlen(in), e,
                                        6),
                   n);
  ck_assert_mem_eq(out, want, (size_t)n);

  /* LF bodies get LF lines; DROP at any level. */
  {
    static const char lf[] = "v=0\na=crypto:1 X\nm=audio 1 RTP/AVP 0\n"
                             "a=crypto:1 X\n\n";
    static const char lf_want[] = "v=0\nm=audio 1 RTP/AVP 0\na=k\n\n";
    imsms_sdp_edit e2[] = {
        {IMSMS_SDP_EDIT_DROP_ATTR, IMSMS_SDP_LEVEL_ANY, "crypto", NULL, 0},
        {IMSMS_SDP_EDIT_ADD_ATTR, 1, "k", NULL, 0},
    };

    n = imsms_sdp_edit_apply(out, sizeof(out), lf, strlen(lf), e2, 2);
    ck_assert_int_eq(n, (imsms_ssize)strlen(lf_want));
    ck_assert_mem_eq(out, lf_want, (size_t)n);
  }
  /* A one-line body without ending: CRLF is added. */
  {
    imsms_sdp_edit e3 = {IMSMS_SDP_EDIT_ADD_ATTR, 0, "a", "b", 1};

    n = imsms_sdp_edit_apply(out, sizeof(out), "v=0", 3, &e3, 1);
    ck_assert_int_eq(n, 12);
    ck_assert_mem_eq(out, "v=0\r\na=a:b\r\n", 12);
  }
}
END_TEST

START_TEST(test_edit_refusals) {
  static const char in[] = "v=0\r\nm=audio 1 RTP/AVP 0\r\n";
  static const imsms_sdp_edit bad[] = {
      {0, 1, "x", NULL, 0},
      {IMSMS_SDP_EDIT_SET_PROTO, 0, NULL, "RTP/SAVP", 8},
      {IMSMS_SDP_EDIT_SET_PROTO, 2, NULL, "RTP/SAVP", 8},
      {IMSMS_SDP_EDIT_SET_PROTO, 1, NULL, "RTP SAVP", 8},
      {IMSMS_SDP_EDIT_SET_PROTO, 1, NULL, NULL, 0},
      {IMSMS_SDP_EDIT_DROP_ATTR, 1, NULL, NULL, 0},
      {IMSMS_SDP_EDIT_DROP_ATTR, 3, "x", NULL, 0},
      {IMSMS_SDP_EDIT_ADD_ATTR, 1, "a b", NULL, 0},
      {IMSMS_SDP_EDIT_ADD_ATTR, 1, "x", "a\nb", 3},
      {IMSMS_SDP_EDIT_ADD_ATTR, 1, "x", NULL, 3},
      {IMSMS_SDP_EDIT_ADD_ATTR, 2, "x", "y", 1},
  };
  imsms_sdp_edit two[2] = {
      {IMSMS_SDP_EDIT_SET_PROTO, 1, NULL, "RTP/SAVP", 8},
      {IMSMS_SDP_EDIT_SET_PROTO, 1, NULL, "RTP/AVP", 7},
  };
  char out[128];
  size_t i;

  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    memset(out, 'Z', sizeof(out));
    ck_assert_msg(imsms_sdp_edit_apply(out, sizeof(out), in, strlen(in),
                                       &bad[i], 1) ==
                      IMSMS_ERR_INVALID_ARGUMENT,
                  "edit %zu", i);
    ck_assert_int_eq(out[0], 'Z');
  }
  ck_assert_int_eq(imsms_sdp_edit_apply(out, sizeof(out), in, strlen(in), two,
                                        2),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_edit_apply(out, sizeof(out), in, strlen(in), NULL,
                                        1),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_edit_apply(NULL, 1, in, strlen(in), NULL, 0),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_edit_apply(out, sizeof(out), "v=0\r\nx", 6, NULL,
                                        0),
                   IMSMS_ERR_SDP_SYNTAX);
  /* Overlapping output. */
  {
    char buf[64];

    memcpy(buf, in, sizeof(in));
    ck_assert_int_eq(imsms_sdp_edit_apply(buf + 4, 40, buf, strlen(in), NULL,
                                          0),
                     IMSMS_ERR_INVALID_ARGUMENT);
  }
}
END_TEST

/* ------------------------------------------------------------------ */
/* e2ae helpers                                                        */

START_TEST(test_e2ae_to_core_offer) {
  imsms_sdp_change ch[16];
  char out[2048];
  size_t n;
  imsms_ssize len;
  char *copy = dup_exact(sdes_offer, strlen(sdes_offer));

  len = imsms_sdp_e2ae_to_core(out, sizeof(out), copy, strlen(sdes_offer),
                               NULL, 0, 0, ch, 16, &n);
  ck_assert_int_eq(len, (imsms_ssize)strlen(sdes_offer_core));
  ck_assert_mem_eq(out, sdes_offer_core, (size_t)len);
  ck_assert_int_eq(memcmp(copy, sdes_offer, strlen(sdes_offer)), 0);
  /* audio: proto, 3 crypto, 3ge2ae; video: proto, 1 crypto, 3ge2ae. */
  ck_assert_uint_eq(n, 8);
  ck_assert_int_eq(ch[0].kind, IMSMS_SDP_CHANGE_PROTO);
  ck_assert_uint_eq(ch[0].level, 1);
  ck_assert_int_eq(ch[0].old_proto, IMSMS_SDP_PROTO_RTP_SAVP);
  ck_assert_int_eq(ch[0].new_proto, IMSMS_SDP_PROTO_RTP_AVP);
  ck_vec(ch[0].text, "RTP/SAVP");
  ck_assert_int_eq(ch[1].kind, IMSMS_SDP_CHANGE_CRYPTO_REMOVED);
  ck_assert_uint_eq(ch[1].tag, 1);
  ck_assert_int_eq(ch[1].suite, IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80);
  ck_inside(ch[1].text, copy, strlen(sdes_offer));
  ck_vec(ch[1].text, "1 AES_CM_128_HMAC_SHA1_80 inline:" K_4568 "|2^20|1:4");
  ck_assert_uint_eq(ch[3].tag, 3);
  ck_assert_int_eq(ch[3].suite, IMSMS_SRTP_AES_256_CM_HMAC_SHA1_80);
  ck_assert_int_eq(ch[4].kind, IMSMS_SDP_CHANGE_3GE2AE_REMOVED);
  ck_vec(ch[4].text, "requested");
  ck_assert_int_eq(ch[5].kind, IMSMS_SDP_CHANGE_PROTO);
  ck_assert_uint_eq(ch[5].level, 2);
  ck_assert_int_eq(ch[5].new_proto, IMSMS_SDP_PROTO_RTP_AVPF);
  ck_assert_uint_eq(ch[6].tag, 7);
  ck_assert_int_eq(ch[7].kind, IMSMS_SDP_CHANGE_3GE2AE_REMOVED);
  /* The output checks and carries no SDES key. */
  ck_assert_int_eq(imsms_sdp_check(out, (size_t)len), 2);
  free(copy);

  /* Too small: untouched; the change array too small: count given. */
  memset(out, 'Z', sizeof(out));
  ck_assert_int_eq(imsms_sdp_e2ae_to_core(out, (size_t)len - 1, sdes_offer,
                                          strlen(sdes_offer), NULL, 0, 0, ch,
                                          16, &n),
                   IMSMS_ERR_NOBUF);
  ck_assert_int_eq(out[0], 'Z');
  ck_assert_int_eq(imsms_sdp_e2ae_to_core(out, sizeof(out), sdes_offer,
                                          strlen(sdes_offer), NULL, 0, 0, ch,
                                          7, &n),
                   IMSMS_ERR_NOBUF);
  ck_assert_uint_eq(n, 8);
  ck_assert_int_eq(out[0], 'Z');
  /* Explicit levels: only the video. */
  {
    size_t lv = 2;

    len = imsms_sdp_e2ae_to_core(out, sizeof(out), sdes_offer,
                                 strlen(sdes_offer), &lv, 1, 0, ch, 16, &n);
    ck_assert_int_gt(len, 0);
    out[len] = '\0';
    ck_assert_uint_eq(n, 3);
    ck_assert_ptr_nonnull(strstr(out, "m=audio 49170 RTP/SAVP"));
    ck_assert_ptr_nonnull(strstr(out, "m=video 49172 RTP/AVPF 97"));
  }
}
END_TEST

START_TEST(test_e2ae_to_core_msrp_and_e2e) {
  imsms_sdp_change ch[8];
  char out[2048];
  size_t n, lv[2] = {1, 2};
  imsms_ssize len;

  /* Media 1 is e2ae MSRP; media 2 (key-mgmt, no 3ge2ae) is not chosen. */
  len = imsms_sdp_e2ae_to_core(out, sizeof(out), msrp_offer,
                               strlen(msrp_offer), NULL, 0, 0, ch, 8, &n);
  ck_assert_int_gt(len, 0);
  out[len] = '\0';
  ck_assert_uint_eq(n, 3);
  ck_assert_int_eq(ch[0].new_proto, IMSMS_SDP_PROTO_TCP_MSRP);
  ck_assert_int_eq(ch[1].kind, IMSMS_SDP_CHANGE_FINGERPRINT_REMOVED);
  ck_vec(ch[1].text, FP_SHA256);
  ck_assert_int_eq(ch[2].kind, IMSMS_SDP_CHANGE_3GE2AE_REMOVED);
  ck_assert_ptr_null(strstr(out, "a=fingerprint"));
  ck_assert_ptr_nonnull(strstr(out, "m=message 7394 TCP/MSRP *\r\n"
                                    "a=accept-types:message/cpim text/plain\r\n"
                                    "a=path:msrps://ue.example.com:7394/"
                                    "2s93i93idj;tcp\r\n"
                                    "a=setup:actpass\r\n"
                                    "m=message 7396 TCP/TLS/MSRP *\r\n"));
  /* a=key-mgmt stays byte for byte. */
  ck_assert_ptr_nonnull(strstr(out, "a=key-mgmt:mikey " MIKEY_OFFER "\r\n"));
  /* Asking for the e2e section too: refused, or kept with PREFER_E2E. */
  ck_assert_int_eq(imsms_sdp_e2ae_to_core(out, sizeof(out), msrp_offer,
                                          strlen(msrp_offer), lv, 2, 0, ch, 8,
                                          &n),
                   IMSMS_ERR_SDP_CONFLICT);
  len = imsms_sdp_e2ae_to_core(out, sizeof(out), msrp_offer,
                               strlen(msrp_offer), lv, 2,
                               IMSMS_SDP_E2AE_PREFER_E2E, ch, 8, &n);
  ck_assert_int_gt(len, 0);
  ck_assert_uint_eq(n, 4);
  ck_assert_int_eq(ch[3].kind, IMSMS_SDP_CHANGE_E2E_KEPT);
  ck_assert_uint_eq(ch[3].level, 2);
  ck_vec(ch[3].text, "mikey");
  /* Session-level MIKEY applies to SAVP media: e2e as well. */
  ck_assert_int_eq(imsms_sdp_e2ae_to_core(out, sizeof(out), rfc4567_offer,
                                          strlen(rfc4567_offer), lv, 1, 0, ch,
                                          8, &n),
                   IMSMS_ERR_SDP_CONFLICT);
}
END_TEST

START_TEST(test_e2ae_to_core_refusals) {
  static const struct {
    const char *sdp;
    int rv;
  } v[] = {
      /* e2ae requested on a plain profile. */
      {HDR "m=audio 1 RTP/AVP 0\r\n" CR1 "a=3ge2ae:requested\r\n",
       IMSMS_ERR_SDP_PROFILE},
      {HDR "m=audio 1 RTP/AVP/TCP 0\r\n" CR1 "a=3ge2ae:requested\r\n",
       IMSMS_ERR_SDP_PROFILE},
      {HDR "m=audio 1 UDP/TLS/RTP/SAVP 0\r\na=3ge2ae:requested\r\n",
       IMSMS_ERR_SDP_PROFILE},
      /* No a=crypto / fingerprint to take. */
      {HDR MA "a=3ge2ae:requested\r\n", IMSMS_ERR_SDP_CONFLICT},
      {HDR "m=message 1 TCP/TLS/MSRP *\r\na=3ge2ae:requested\r\n",
       IMSMS_ERR_SDP_CONFLICT},
      /* e2e and e2ae on one line. */
      {HDR MA CR1 "a=key-mgmt:mikey AAAA\r\na=3ge2ae:requested\r\n",
       IMSMS_ERR_SDP_CONFLICT},
      /* Body errors come first. */
      {HDR MA CR1 CR1 "a=3ge2ae:requested\r\n", IMSMS_ERR_SDP_DUPLICATE},
      /* A rejected stream needs no key; "applied" selects nothing. */
      {HDR "m=audio 0 RTP/SAVP 0\r\na=3ge2ae:requested\r\n", 0},
      {HDR MA CR1 "a=3ge2ae:applied\r\n", 0},
  };
  imsms_sdp_change ch[8];
  char out[1024];
  size_t i, n, lv = 2;

  for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
    imsms_ssize rv;

    memset(out, 'Z', sizeof(out));
    rv = imsms_sdp_e2ae_to_core(out, sizeof(out), v[i].sdp, strlen(v[i].sdp),
                                NULL, 0, 0, ch, 8, &n);
    if (v[i].rv == 0) {
      ck_assert_msg(rv > 0, "case %zu: %td", i, rv);
    } else {
      ck_assert_msg(rv == v[i].rv, "case %zu: %td", i, rv);
      ck_assert_int_eq(out[0], 'Z');
    }
  }
  ck_assert_int_eq(imsms_sdp_e2ae_to_core(out, sizeof(out), sdes_offer,
                                          strlen(sdes_offer), &lv, 1, 0, ch, 8,
                                          NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
  lv = 3;
  ck_assert_int_eq(imsms_sdp_e2ae_to_core(out, sizeof(out), sdes_offer,
                                          strlen(sdes_offer), &lv, 1, 0, ch, 8,
                                          &n),
                   IMSMS_ERR_INVALID_ARGUMENT);
  {
    size_t twice[2] = {1, 1};

    ck_assert_int_eq(imsms_sdp_e2ae_to_core(out, sizeof(out), sdes_offer,
                                            strlen(sdes_offer), twice, 2, 0,
                                            ch, 8, &n),
                     IMSMS_ERR_INVALID_ARGUMENT);
  }
  ck_assert_int_eq(imsms_sdp_e2ae_to_core(out, sizeof(out), sdes_offer,
                                          strlen(sdes_offer), NULL, 0, 0x80,
                                          ch, 8, &n),
                   IMSMS_ERR_INVALID_ARGUMENT);
}
END_TEST

/* The core's answer, toward the UE: the access edge's own fresh key with
 * the tag and suite of the UE's line it accepted. */
START_TEST(test_e2ae_to_ue_answer) {
  static const char want_head[] = "v=0\n"
                                  "o=- 77 1 IN IP4 198.51.100.5\n"
                                  "s=-\n"
                                  "c=IN IP4 198.51.100.5\n"
                                  "t=0 0\n"
                                  "m=audio 20000 RTP/SAVP 96 101\n"
                                  "a=rtpmap:96 AMR-WB/16000\n"
                                  "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:";
  static const char want_tail[] = "\n"
                                  "a=3ge2ae:applied\n"
                                  "m=video 0 RTP/SAVPF 97\n";
  imsms_sdp_e2ae_media md[2];
  imsms_sdp_change ch[8];
  imsms_sdes_crypto c;
  char out[1024];
  size_t n;
  imsms_ssize len;

  memset(md, 0, sizeof(md));
  md[0].level = 1;
  md[0].tag = 2;
  md[0].suite = IMSMS_SRTP_AES_CM_128_HMAC_SHA1_32;
  md[1].level = 2;
  len = imsms_sdp_e2ae_to_ue(ctx, out, sizeof(out), core_answer,
                             strlen(core_answer), md, 2,
                             IMSMS_SDP_E2AE_ADD_APPLIED, ch, 8, &n);
  ck_assert_int_eq(len, (imsms_ssize)(strlen(want_head) + 40 +
                                      strlen(want_tail)));
  ck_assert_mem_eq(out, want_head, strlen(want_head));
  ck_assert_mem_eq(out + len - (imsms_ssize)strlen(want_tail), want_tail,
                   strlen(want_tail));
  ck_assert_uint_le((size_t)len,
                    strlen(core_answer) + 2 * IMSMS_SDP_E2AE_GROWTH);
  /* audio: proto, crypto, 3ge2ae; video (port 0): proto only. */
  ck_assert_uint_eq(n, 4);
  ck_assert_int_eq(ch[0].kind, IMSMS_SDP_CHANGE_PROTO);
  ck_vec(ch[0].text, "RTP/AVP");
  ck_assert_int_eq(ch[1].kind, IMSMS_SDP_CHANGE_CRYPTO_ADDED);
  ck_assert_uint_eq(ch[1].tag, 2);
  ck_assert_int_eq(ch[1].suite, IMSMS_SRTP_AES_CM_128_HMAC_SHA1_32);
  ck_inside(ch[1].text, out, (size_t)len);
  ck_assert_int_eq(imsms_sdes_parse(&c, ch[1].text.base, ch[1].text.len), 0);
  ck_assert_uint_eq(c.tag, 2);
  ck_assert_uint_eq(c.keys[0].key_len, 16);
  ck_assert(!imsms_test_all_zero(c.keys[0].key, 16));
  imsms_secure_clear(&c, sizeof(c));
  ck_assert_int_eq(ch[2].kind, IMSMS_SDP_CHANGE_3GE2AE_ADDED);
  ck_vec(ch[2].text, "applied");
  ck_assert_int_eq(ch[3].kind, IMSMS_SDP_CHANGE_PROTO);
  ck_assert_int_eq(ch[3].new_proto, IMSMS_SDP_PROTO_RTP_SAVPF);
  ck_assert_int_eq(imsms_sdp_check(out, (size_t)len), 2);

  /* Back toward the core with the same sections: the core's text again. */
  {
    char back[1024];
    size_t lv[2] = {1, 2};
    imsms_ssize blen;

    blen = imsms_sdp_e2ae_to_core(back, sizeof(back), out, (size_t)len, lv, 2,
                                  0, ch, 8, &n);
    ck_assert_int_eq(blen, (imsms_ssize)strlen(core_answer));
    ck_assert_mem_eq(back, core_answer, (size_t)blen);
  }
  imsms_secure_clear(out, sizeof(out));
}
END_TEST

START_TEST(test_e2ae_to_ue_offer_and_refusals) {
  static const char core_offer[] =
      "v=0\r\no=- 5 5 IN IP4 198.51.100.5\r\ns=-\r\nt=0 0\r\n"
      "m=audio 20000 RTP/AVP 0\r\n"
      "m=message 20002 TCP/MSRP *\r\na=setup:active\r\n";
  imsms_sdp_e2ae_media md[2];
  imsms_sdp_change ch[8];
  char out[2048];
  size_t n;
  imsms_ssize len;

  memset(md, 0, sizeof(md));
  md[0].level = 1;
  md[1].level = 2;
  md[1].fingerprint = FP_SHA256;
  md[1].fingerprint_len = strlen(FP_SHA256);
  len = imsms_sdp_e2ae_to_ue(ctx, out, sizeof(out), core_offer,
                             strlen(core_offer), md, 2,
                             IMSMS_SDP_E2AE_ADD_REQUESTED, ch, 8, &n);
  ck_assert_int_gt(len, 0);
  ck_assert_uint_lt((size_t)len, sizeof(out));
  out[len] = '\0';
  ck_assert_uint_eq(n, 6);
  /* Defaults: tag 1, AES_CM_128_HMAC_SHA1_80. */
  ck_assert_uint_eq(ch[1].tag, 1);
  ck_assert_int_eq(ch[1].suite, IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80);
  ck_assert_int_eq(ch[4].kind, IMSMS_SDP_CHANGE_FINGERPRINT_ADDED);
  ck_vec(ch[4].text, FP_SHA256);
  ck_assert_ptr_nonnull(strstr(out, "m=message 20002 TCP/TLS/MSRP *\r\n"
                                    "a=setup:active\r\n"
                                    "a=fingerprint:" FP_SHA256 "\r\n"
                                    "a=3ge2ae:requested\r\n"));
  ck_assert_int_eq(imsms_sdp_check(out, (size_t)len), 2);
  /* The UE's offer, taken back toward the core by 3ge2ae:requested. */
  {
    char back[2048];
    imsms_ssize blen = imsms_sdp_e2ae_to_core(back, sizeof(back), out,
                                              (size_t)len, NULL, 0, 0, ch, 8,
                                              &n);

    ck_assert_int_eq(blen, (imsms_ssize)strlen(core_offer));
    ck_assert_mem_eq(back, core_offer, (size_t)blen);
  }
  imsms_secure_clear(out, sizeof(out));

  /* Refusals, output untouched. */
  memset(out, 'Z', sizeof(out));
  md[1].fingerprint = NULL;
  ck_assert_int_eq(imsms_sdp_e2ae_to_ue(ctx, out, sizeof(out), core_offer,
                                        strlen(core_offer), md, 2, 0, ch, 8,
                                        &n),
                   IMSMS_ERR_INVALID_ARGUMENT);
  md[1].fingerprint = "sha-256 XY";
  md[1].fingerprint_len = 10;
  ck_assert_int_eq(imsms_sdp_e2ae_to_ue(ctx, out, sizeof(out), core_offer,
                                        strlen(core_offer), md, 2, 0, ch, 8,
                                        &n),
                   IMSMS_ERR_INVALID_ARGUMENT);
  md[0].suite = 99;
  ck_assert_int_eq(imsms_sdp_e2ae_to_ue(ctx, out, sizeof(out), core_offer,
                                        strlen(core_offer), md, 1, 0, ch, 8,
                                        &n),
                   IMSMS_ERR_UNSUPPORTED_ALG);
  md[0].suite = 0;
  md[0].tag = 1000000000u;
  ck_assert_int_eq(imsms_sdp_e2ae_to_ue(ctx, out, sizeof(out), core_offer,
                                        strlen(core_offer), md, 1, 0, ch, 8,
                                        &n),
                   IMSMS_ERR_INVALID_ARGUMENT);
  md[0].tag = 0;
  ck_assert_int_eq(imsms_sdp_e2ae_to_ue(ctx, out, sizeof(out), core_offer,
                                        strlen(core_offer), md, 1,
                                        IMSMS_SDP_E2AE_ADD_REQUESTED |
                                            IMSMS_SDP_E2AE_ADD_APPLIED,
                                        ch, 8, &n),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_e2ae_to_ue(ctx, out, 10, core_offer,
                                        strlen(core_offer), md, 1, 0, ch, 8,
                                        &n),
                   IMSMS_ERR_NOBUF);
  ck_assert_int_eq(imsms_sdp_e2ae_to_ue(ctx, out, sizeof(out), core_offer,
                                        strlen(core_offer), md, 1, 0, ch, 1,
                                        &n),
                   IMSMS_ERR_NOBUF);
  ck_assert_uint_eq(n, 2);
  /* Already secure, already keyed, or e2e. */
  ck_assert_int_eq(imsms_sdp_e2ae_to_ue(ctx, out, sizeof(out), sdes_offer,
                                        strlen(sdes_offer), md, 1, 0, ch, 8,
                                        &n),
                   IMSMS_ERR_SDP_PROFILE);
  {
    static const char keyed[] = HDR "m=audio 1 RTP/AVP 0\r\n" CR1;
    static const char e2e[] =
        HDR "m=audio 1 RTP/AVP 0\r\na=key-mgmt:mikey AAAA\r\n";

    ck_assert_int_eq(imsms_sdp_e2ae_to_ue(ctx, out, sizeof(out), keyed,
                                          strlen(keyed), md, 1, 0, ch, 8, &n),
                     IMSMS_ERR_SDP_CONFLICT);
    ck_assert_int_eq(imsms_sdp_e2ae_to_ue(ctx, out, sizeof(out), e2e,
                                          strlen(e2e), md, 1, 0, ch, 8, &n),
                     IMSMS_ERR_SDP_CONFLICT);
    /* A session-level MIKEY would cover the section once secure. */
    {
      imsms_sdp_e2ae_media m3 = {3, 0, 0, NULL, 0};

      ck_assert_int_eq(imsms_sdp_e2ae_to_ue(ctx, out, sizeof(out),
                                            km_override, strlen(km_override),
                                            &m3, 1, 0, ch, 8, &n),
                       IMSMS_ERR_SDP_CONFLICT);
    }
  }
  ck_assert_int_eq(imsms_sdp_e2ae_to_ue(NULL, out, sizeof(out), core_offer,
                                        strlen(core_offer), md, 1, 0, ch, 8,
                                        &n),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(out[0], 'Z');
  ck_assert_int_eq(out[sizeof(out) - 1], 'Z');
}
END_TEST

/* ------------------------------------------------------------------ */
/* Truncated prefixes and single-byte changes                          */

static void exercise(const char *body, size_t len) {
  imsms_sdp_key_mgmt km[IMSMS_SDP_MAX_KEY_MGMT];
  imsms_sdp_change ch[32];
  imsms_sdp_iter it;
  imsms_sdp_line l;
  char *out;
  imsms_ssize nm, r;
  size_t lv, n;
  int rv;

  if (imsms_sdp_iter_init(&it, body, len) == 0) {
    while ((rv = imsms_sdp_iter_next(&it, &l)) == 0) {
      ck_inside(l.raw, body, len);
      ck_inside(l.value, body, len);
      ck_inside(l.attr_value, body, len);
      ck_inside(l.m.fmts, body, len);
    }
    ck_assert(rv < 0);
  }
  nm = imsms_sdp_check(body, len);
  ck_assert(nm >= 0 || nm != IMSMS_ERR_EOF);
  for (lv = 0; nm >= 0 && lv <= (size_t)nm; lv++) {
    rv = imsms_sdp_key_mgmt_list(body, len, lv, km, IMSMS_SDP_MAX_KEY_MGMT, &n);
    ck_assert_int_eq(rv, 0);
    for (size_t i = 0; i < n; i++) {
      ck_inside(km[i].data, body, len);
    }
  }
  out = malloc(len + 1);
  ck_assert_ptr_nonnull(out);
  r = imsms_sdp_e2ae_to_core(out, len, body, len, NULL, 0,
                             IMSMS_SDP_E2AE_PREFER_E2E, ch, 32, &n);
  if (r >= 0) {
    ck_assert_int_ge(imsms_sdp_check(out, (size_t)r), 0);
  }
  r = imsms_sdp_edit_apply(out, len, body, len, NULL, 0);
  ck_assert(r < 0 || (r == (imsms_ssize)len && memcmp(out, body, len) == 0));
  free(out);
}

START_TEST(test_truncated_prefixes) {
  const char *body = valid_bodies[_i];
  size_t len = strlen(body), k;

  for (k = 0; k <= len; k++) {
    char *copy = dup_exact(body, k);

    exercise(copy, k);
    /* The caller's SDP is never modified. */
    ck_assert_int_eq(memcmp(copy, body, k), 0);
    free(copy);
  }
}
END_TEST

/* IMSMS_SDP_E2AE_GROWTH holds in the worst cases: a 9-digit tag with an
 * AES-256 key and a=3ge2ae, a 256-byte fingerprint, no final ending. */
START_TEST(test_e2ae_growth_bound) {
  static const char rtp[] = "v=0\r\nm=audio 1 RTP/AVPF 0";
  static const char msrp[] = "v=0\r\nm=message 1 TCP/MSRP *";
  char fp[257], out[1024];
  imsms_sdp_e2ae_media md;
  imsms_sdp_change ch[4];
  imsms_sdp_fingerprint f;
  size_t n, i;
  imsms_ssize len;

  memset(&md, 0, sizeof(md));
  md.level = 1;
  md.tag = 999999999u;
  md.suite = IMSMS_SRTP_AES_256_CM_HMAC_SHA1_80;
  len = imsms_sdp_e2ae_to_ue(ctx, out, sizeof(out), rtp, strlen(rtp), &md, 1,
                             IMSMS_SDP_E2AE_ADD_REQUESTED, ch, 4, &n);
  ck_assert_int_gt(len, 0);
  ck_assert_uint_le((size_t)len, strlen(rtp) + IMSMS_SDP_E2AE_GROWTH);
  ck_assert_int_eq(imsms_sdp_check(out, (size_t)len), 1);
  imsms_secure_clear(out, sizeof(out));
  /* "sha-512 " and 83 hex pairs: 256 bytes. */
  memcpy(fp, "sha-512 ", 8);
  for (i = 8; i < 256; i += 3) {
    memcpy(fp + i, i + 2 < 256 ? "AB:" : "AB", i + 2 < 256 ? 3 : 2);
  }
  ck_assert_int_eq(imsms_sdp_fingerprint_parse(&f, fp, 256), 0);
  md.fingerprint = fp;
  md.fingerprint_len = 256;
  len = imsms_sdp_e2ae_to_ue(ctx, out, sizeof(out), msrp, strlen(msrp), &md,
                             1, IMSMS_SDP_E2AE_ADD_APPLIED, ch, 4, &n);
  ck_assert_int_gt(len, 0);
  ck_assert_uint_le((size_t)len, strlen(msrp) + IMSMS_SDP_E2AE_GROWTH);
  md.fingerprint_len = 257;
  fp[256] = 'B';
  ck_assert_int_eq(imsms_sdp_e2ae_to_ue(ctx, out, sizeof(out), msrp,
                                        strlen(msrp), &md, 1, 0, ch, 4, &n),
                   IMSMS_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(test_mutations) {
  static const char subst[] = {'\0', '\r', '\n', ' ', ':', '=', '/',
                               '|',  '[',  ',',  '0', 'A', '\x80'};
  const char *body = valid_bodies[_i];
  size_t len = strlen(body), k, j;
  char *copy = dup_exact(body, len);

  /* Every byte of the shorter bodies, every 7th of the others. */
  for (k = 0; k < len; k += len > 600 ? 7 : 1) {
    for (j = 0; j < sizeof(subst); j++) {
      char keep = copy[k];

      copy[k] = subst[j];
      exercise(copy, len);
      copy[k] = keep;
    }
  }
  free(copy);
}
END_TEST

/* ------------------------------------------------------------------ */
/* SIP Security-Client / -Server / -Verify                             */

START_TEST(test_sip_parse) {
  static const char v[] =
      "ipsec-3gpp; alg=hmac-sha-1-96; spi-c=1234; spi-s=5678; port-c=5062;"
      " port-s=5064,\r\n sdes-srtp;mediasec, MSRP-TLS ; MEDIASEC ;q=0.5 ,"
      "tls;q=1.000;x=\"a, \\\"b\\\";c\";h=[2001:db8::1]";
  imsms_sdp_sip_iter it;
  imsms_sdp_sip_mech m;
  imsms_sdp_sip_param p;
  size_t off = 0, n = 0;
  unsigned mask;

  ck_assert_int_eq(imsms_sdp_sip_iter_init(&it, v, strlen(v)), 0);
  ck_assert_int_eq(imsms_sdp_sip_next(&it, &m), 0);
  ck_vec(m.name, "ipsec-3gpp");
  ck_assert_int_eq(m.id, IMSMS_SIP_MECH_IPSEC_3GPP);
  ck_assert_int_eq(m.mediasec, 0);
  while (imsms_sdp_sip_param_next(&m, &off, &p) == 0) {
    n++;
    if (n == 1) {
      ck_vec(p.name, "alg");
      ck_vec(p.value, "hmac-sha-1-96");
    }
    if (n == 5) {
      ck_vec(p.name, "port-s");
      ck_vec(p.value, "5064");
    }
  }
  ck_assert_uint_eq(n, 5);
  ck_assert_int_eq(imsms_sdp_sip_next(&it, &m), 0);
  ck_vec(m.name, "sdes-srtp");
  ck_assert_int_eq(m.id, IMSMS_SIP_MECH_SDES_SRTP);
  ck_assert_int_eq(m.mediasec, 1);
  ck_vec(m.params, ";mediasec");
  ck_assert_int_eq(imsms_sdp_sip_next(&it, &m), 0);
  ck_assert_int_eq(m.id, IMSMS_SIP_MECH_MSRP_TLS);
  ck_assert_int_eq(m.mediasec, 1);
  ck_assert_int_eq(m.has_q, 1);
  ck_assert_uint_eq(m.q, 500);
  ck_assert_int_eq(imsms_sdp_sip_next(&it, &m), 0);
  ck_assert_int_eq(m.id, IMSMS_SIP_MECH_TLS);
  ck_assert_uint_eq(m.q, 1000);
  off = 0;
  ck_assert_int_eq(imsms_sdp_sip_param_next(&m, &off, &p), 0);
  ck_assert_int_eq(imsms_sdp_sip_param_next(&m, &off, &p), 0);
  ck_vec(p.value, "\"a, \\\"b\\\";c\"");
  ck_assert_int_eq(imsms_sdp_sip_param_next(&m, &off, &p), 0);
  ck_vec(p.value, "[2001:db8::1]");
  ck_assert_int_eq(imsms_sdp_sip_param_next(&m, &off, &p), IMSMS_ERR_EOF);
  ck_assert_int_eq(imsms_sdp_sip_next(&it, &m), IMSMS_ERR_EOF);
  ck_assert_int_eq(imsms_sdp_sip_next(&it, &m), IMSMS_ERR_EOF);

  ck_assert_int_eq(imsms_sdp_sip_mediasec(v, strlen(v), &mask), 0);
  ck_assert_uint_eq(mask, (1u << IMSMS_SIP_MECH_SDES_SRTP) |
                              (1u << IMSMS_SIP_MECH_MSRP_TLS));
  /* TS 24.229 example. */
  ck_assert_int_eq(imsms_sdp_sip_mediasec("sdes-srtp;mediasec", 18, &mask), 0);
  ck_assert_uint_eq(mask, 1u << IMSMS_SIP_MECH_SDES_SRTP);
  /* RFC 3329 section 3 examples: no mediasec. */
  ck_assert_int_eq(imsms_sdp_sip_mediasec("ipsec-ike;q=0.1, tls;q=0.2", 26,
                                          &mask),
                   0);
  ck_assert_uint_eq(mask, 0);
  /* Unknown mechanism with mediasec: valid, no bit. */
  ck_assert_int_eq(imsms_sdp_sip_mediasec("foo-bar;mediasec", 16, &mask), 0);
  ck_assert_uint_eq(mask, 0);
}
END_TEST

START_TEST(test_sip_bad) {
  static const struct {
    const char *v;
    int rv;
  } v[] = {
      {"", IMSMS_ERR_SIP_SYNTAX},
      {"   ", IMSMS_ERR_SIP_SYNTAX},
      {",tls", IMSMS_ERR_SIP_SYNTAX},
      {"tls,", IMSMS_ERR_SIP_SYNTAX},
      {"tls,,digest", IMSMS_ERR_SIP_SYNTAX},
      {"tls;", IMSMS_ERR_SIP_SYNTAX},
      {"tls;=1", IMSMS_ERR_SIP_SYNTAX},
      {"tls;q=", IMSMS_ERR_SIP_SYNTAX},
      {"tls;q", IMSMS_ERR_SIP_SYNTAX},
      {"tls;q=2", IMSMS_ERR_SIP_SYNTAX},
      {"tls;q=1.5", IMSMS_ERR_SIP_SYNTAX},
      {"tls;q=0.1234", IMSMS_ERR_SIP_SYNTAX},
      {"tls;q=.5", IMSMS_ERR_SIP_SYNTAX},
      {"tls foo", IMSMS_ERR_SIP_SYNTAX},
      {"t(ls", IMSMS_ERR_SIP_SYNTAX},
      {"sdes-srtp;mediasec=1", IMSMS_ERR_SIP_SYNTAX},
      {"tls;x=\"unterminated", IMSMS_ERR_SIP_SYNTAX},
      {"tls;x=\"a\x01\"", IMSMS_ERR_SIP_SYNTAX},
      {"tls;x=[2001:db8::1", IMSMS_ERR_SIP_SYNTAX},
      {"tls;x=a b", IMSMS_ERR_SIP_SYNTAX},
      {"tls\r\nx", IMSMS_ERR_SIP_SYNTAX},
      {"sdes-srtp;mediasec;mediasec", IMSMS_ERR_SDP_DUPLICATE},
      {"tls;q=0.1;q=0.2", IMSMS_ERR_SDP_DUPLICATE},
      {"tls;q=0.1, digest;q=0.100", IMSMS_ERR_SDP_DUPLICATE},
  };
  unsigned mask;
  size_t i;

  for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
    size_t len = strlen(v[i].v);
    char *copy = dup_exact(v[i].v, len);

    mask = 99;
    ck_assert_msg(imsms_sdp_sip_mediasec(copy, len, &mask) == v[i].rv, "'%s'",
                  v[i].v);
    ck_assert_uint_eq(mask, 0);
    free(copy);
  }
  ck_assert_int_eq(imsms_sdp_sip_mediasec("tls", 3, NULL),
                   IMSMS_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(test_sip_format) {
  static const imsms_sdp_sip_mech_spec ue[] = {
      {"sdes-srtp", 1, -1},
      {"msrp-tls", 1, -1},
  };
  static const imsms_sdp_sip_mech_spec q[] = {
      {"ipsec-ike", 0, 100}, {"tls", 0, 200}, {"digest", 0, 1000},
      {"x", 0, 0},           {"y", 0, 5},     {"z", 0, 50},
  };
  static const imsms_sdp_sip_mech_spec dupq[] = {{"a", 0, 100},
                                                 {"b", 0, 100}};
  static const imsms_sdp_sip_mech_spec badname[] = {{"a b", 0, -1}};
  static const imsms_sdp_sip_mech_spec badq[] = {{"a", 0, 1001}};
  char out[128];
  imsms_ssize n;
  unsigned mask;

  n = imsms_sdp_sip_format(out, sizeof(out), ue, 2);
  ck_assert_int_eq(n, 37);
  ck_assert_mem_eq(out, "sdes-srtp;mediasec, msrp-tls;mediasec", 37);
  ck_assert_int_eq(imsms_sdp_sip_mediasec(out, (size_t)n, &mask), 0);
  ck_assert_uint_eq(mask, (1u << IMSMS_SIP_MECH_SDES_SRTP) |
                              (1u << IMSMS_SIP_MECH_MSRP_TLS));
  n = imsms_sdp_sip_format(out, sizeof(out), q, 6);
  ck_assert_int_gt(n, 0);
  ck_assert_mem_eq(out,
                   "ipsec-ike;q=0.1, tls;q=0.2, digest;q=1, x;q=0, y;q=0.005, "
                   "z;q=0.05",
                   (size_t)n);
  /* Round trip through the parser. */
  {
    imsms_sdp_sip_iter it;
    imsms_sdp_sip_mech m;
    size_t i = 0;

    ck_assert_int_eq(imsms_sdp_sip_iter_init(&it, out, (size_t)n), 0);
    while (imsms_sdp_sip_next(&it, &m) == 0) {
      ck_vec(m.name, q[i].name);
      ck_assert_uint_eq(m.q, (uint32_t)q[i].q);
      i++;
    }
    ck_assert_uint_eq(i, 6);
  }
  memset(out, 'Z', sizeof(out));
  ck_assert_int_eq(imsms_sdp_sip_format(out, 36, ue, 2), IMSMS_ERR_NOBUF);
  ck_assert_int_eq(out[0], 'Z');
  ck_assert_int_eq(imsms_sdp_sip_format(out, sizeof(out), dupq, 2),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_sip_format(out, sizeof(out), badname, 1),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_sip_format(out, sizeof(out), badq, 1),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_sip_format(out, sizeof(out), ue, 0),
                   IMSMS_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(test_sip_truncations) {
  static const char v[] =
      "ipsec-3gpp; alg=hmac-sha-1-96; spi-c=1234, sdes-srtp;mediasec,"
      " msrp-tls;mediasec;q=0.5;x=\"q\\\"\";h=[::1]";
  size_t k;
  unsigned mask;

  for (k = 0; k <= strlen(v); k++) {
    char *copy = dup_exact(v, k);
    int rv = imsms_sdp_sip_mediasec(copy, k, &mask);

    ck_assert(rv == 0 || rv == IMSMS_ERR_SIP_SYNTAX ||
              rv == IMSMS_ERR_SDP_DUPLICATE);
    free(copy);
  }
}
END_TEST

static Suite *sdp_suite(void) {
  Suite *s = suite_create("sdp");
  TCase *tc = tcase_create("sdp");

  tcase_set_timeout(tc, 120);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_iter_offer);
  tcase_add_test(tc, test_iter_line_endings);
  tcase_add_test(tc, test_iter_mlines);
  tcase_add_test(tc, test_iter_bad_bodies);
  tcase_add_test(tc, test_iter_arguments_and_size);
  tcase_add_test(tc, test_attr_find_and_media_get);
  tcase_add_test(tc, test_proto_helpers);
  tcase_add_test(tc, test_crypto_lines);
  tcase_add_test(tc, test_key_mgmt_parse);
  tcase_add_test(tc, test_key_mgmt_decode_format);
  tcase_add_test(tc, test_key_mgmt_levels);
  tcase_add_test(tc, test_small_attrs);
  tcase_add_test(tc, test_check_valid);
  tcase_add_test(tc, test_check_bad);
  tcase_add_test(tc, test_check_limits);
  tcase_add_test(tc, test_tcap_acap);
  tcase_add_test(tc, test_cfg_rfc_examples);
  tcase_add_test(tc, test_cfg_bad);
  tcase_add_test(tc, test_build_rfc5939_offer);
  tcase_add_test(tc, test_round_trip_owned);
  tcase_add_test(tc, test_edit_identity);
  tcase_add_test(tc, test_edit_ops);
  tcase_add_test(tc, test_edit_refusals);
  tcase_add_test(tc, test_e2ae_to_core_offer);
  tcase_add_test(tc, test_e2ae_to_core_msrp_and_e2e);
  tcase_add_test(tc, test_e2ae_to_core_refusals);
  tcase_add_test(tc, test_e2ae_to_ue_answer);
  tcase_add_test(tc, test_e2ae_to_ue_offer_and_refusals);
  tcase_add_test(tc, test_e2ae_growth_bound);
  tcase_add_loop_test(tc, test_truncated_prefixes, 0, (int)NVALID);
  tcase_add_loop_test(tc, test_mutations, 0, (int)NVALID);
  tcase_add_test(tc, test_sip_parse);
  tcase_add_test(tc, test_sip_bad);
  tcase_add_test(tc, test_sip_format);
  tcase_add_test(tc, test_sip_truncations);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return imsms_test_run(sdp_suite(), "sdp");
}
