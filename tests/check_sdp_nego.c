/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Security-capability negotiation (sdp_nego.h): the offer/answer matrix
 * of every policy pair times every capability set, kept as a table that
 * documents the behaviour; real-world-shaped offers (SDES with several
 * a=crypto lines and MKI, the RFC 5939 and RFC 4567 examples, key-mgmt
 * at session and media level, MSRP over TCP/TLS/MSRP); downgrade
 * attempts of each kind; bad input with its exact error and untouched
 * output buffers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/sdp_nego.h>

#include "sdp_samples.h"
#include "test_util.h"

static imsms_ctx *ctx;

static void setup(void) {
  ctx = imsms_test_ctx();
}
static void teardown(void) {
  imsms_ctx_del(ctx);
}

/* The offerer's and the answerer's SDP before negotiation. */
static const char base_offer[] = "v=0\r\n"
                                 "o=alice 1 1 IN IP4 192.0.2.1\r\n"
                                 "s=-\r\n"
                                 "c=IN IP4 192.0.2.1\r\n"
                                 "t=0 0\r\n"
                                 "m=audio 49170 RTP/AVP 0\r\n"
                                 "a=rtpmap:0 PCMU/8000\r\n"
                                 "m=message 7394 TCP/MSRP *\r\n"
                                 "a=path:msrp://192.0.2.1:7394/s1;tcp\r\n"
                                 "m=video 49172 UDP/TLS/RTP/SAVP 31\r\n";
static const char base_answer[] = "v=0\r\n"
                                  "o=bob 2 2 IN IP4 192.0.2.2\r\n"
                                  "s=-\r\n"
                                  "c=IN IP4 192.0.2.2\r\n"
                                  "t=0 0\r\n"
                                  "m=audio 50000 RTP/AVP 0\r\n"
                                  "m=message 7395 TCP/MSRP *\r\n"
                                  "m=video 50002 UDP/TLS/RTP/SAVP 31\r\n";

/* Stand-ins for TRANSFER_INIT and TRANSFER_RESP: the layer only carries
 * them (tests/check_call_sdp.c runs real ones). */
static const uint8_t ti[] = "TRANSFER_INIT stand-in, 40 bytes long...";
static const uint8_t tr[] = "TRANSFER_RESP stand-in";

#define FP "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5"

static imsms_sdp_policy policy(unsigned audio, unsigned message) {
  imsms_sdp_policy p;

  memset(&p, 0, sizeof(p));
  p.version = IMSMS_SDP_POLICY_V1;
  p.audio = p.video = audio;
  p.message = message;
  return p;
}

/* ------------------------------------------------------------------ */
/* The matrix                                                          */

/*
 * One cell: offerer policy, offerer material ("ks": MIKEY and SDES keys,
 * "k": MIKEY only, "s": SDES only, "-": neither), answerer policy, and
 * the outcome for the audio line: "!" when the offerer cannot make an
 * offer (IMSMS_ERR_SDP_NO_MODE), otherwise the modes offered, then the
 * mode both sides end with or "x:" and the answerer's refusal reason.
 * Policies: RQ require-e2e, PF prefer-e2e, AO e2ae-only, SD e2e-sdes
 * only, AN allow-none. Modes: K e2e-kms, S e2e-sdes, A e2ae, N none.
 *
 * What it shows: e2e through the KMS wins whenever both accept it; a
 * policy that allows none offers "SRTP with RTP fallback" (RFC 5939) so
 * e2e peers still get e2e; offering both SDES modes means requesting
 * e2ae; a line is refused, never silently downgraded, when the policies
 * share no mode.
 */
static const char *const matrix[] = {
    /* offerer RQ */
    "RQ ks RQ  K   K",  "RQ ks PF  K   K",  "RQ ks AO  K   x:no-common-mode",
    "RQ ks SD  K   x:no-common-mode",       "RQ ks AN  K   K",
    "RQ k  RQ  K   K",  "RQ k  PF  K   K",  "RQ k  AO  K   x:no-common-mode",
    "RQ k  SD  K   x:no-common-mode",       "RQ k  AN  K   K",
    "RQ s  RQ  !",      "RQ s  PF  !",      "RQ s  AO  !",
    "RQ s  SD  !",      "RQ s  AN  !",
    "RQ -  RQ  !",      "RQ -  PF  !",      "RQ -  AO  !",
    "RQ -  SD  !",      "RQ -  AN  !",
    /* offerer PF */
    "PF ks RQ  KA  K",  "PF ks PF  KA  K",  "PF ks AO  KA  A",
    "PF ks SD  KA  x:no-common-mode",       "PF ks AN  KA  K",
    "PF k  RQ  K   K",  "PF k  PF  K   K",  "PF k  AO  K   x:no-common-mode",
    "PF k  SD  K   x:no-common-mode",       "PF k  AN  K   K",
    "PF s  RQ  A   x:e2e-required",         "PF s  PF  A   A",
    "PF s  AO  A   A",  "PF s  SD  A   x:no-common-mode",
    "PF s  AN  A   A",
    "PF -  RQ  !",      "PF -  PF  !",      "PF -  AO  !",
    "PF -  SD  !",      "PF -  AN  !",
    /* offerer AO */
    "AO ks RQ  A   x:e2e-required",         "AO ks PF  A   A",
    "AO ks AO  A   A",  "AO ks SD  A   x:no-common-mode",
    "AO ks AN  A   A",
    "AO k  RQ  !",      "AO k  PF  !",      "AO k  AO  !",
    "AO k  SD  !",      "AO k  AN  !",
    "AO s  RQ  A   x:e2e-required",         "AO s  PF  A   A",
    "AO s  AO  A   A",  "AO s  SD  A   x:no-common-mode",
    "AO s  AN  A   A",
    "AO -  RQ  !",      "AO -  PF  !",      "AO -  AO  !",
    "AO -  SD  !",      "AO -  AN  !",
    /* offerer SD */
    "SD ks RQ  S   x:e2e-required",         "SD ks PF  S   x:no-common-mode",
    "SD ks AO  S   x:no-common-mode",       "SD ks SD  S   S",
    "SD ks AN  S   S",
    "SD k  RQ  !",      "SD k  PF  !",      "SD k  AO  !",
    "SD k  SD  !",      "SD k  AN  !",
    "SD s  RQ  S   x:e2e-required",         "SD s  PF  S   x:no-common-mode",
    "SD s  AO  S   x:no-common-mode",       "SD s  SD  S   S",
    "SD s  AN  S   S",
    "SD -  RQ  !",      "SD -  PF  !",      "SD -  AO  !",
    "SD -  SD  !",      "SD -  AN  !",
    /* offerer AN */
    "AN ks RQ  KAN K",  "AN ks PF  KAN K",  "AN ks AO  KAN A",
    "AN ks SD  KAN x:no-common-mode",       "AN ks AN  KAN K",
    "AN k  RQ  KN  K",  "AN k  PF  KN  K",  "AN k  AO  KN  x:no-common-mode",
    "AN k  SD  KN  x:no-common-mode",       "AN k  AN  KN  K",
    "AN s  RQ  AN  x:e2e-required",         "AN s  PF  AN  A",
    "AN s  AO  AN  A",  "AN s  SD  AN  x:no-common-mode",
    "AN s  AN  AN  A",
    "AN -  RQ  N   x:e2e-required",         "AN -  PF  N   x:no-common-mode",
    "AN -  AO  N   x:no-common-mode",       "AN -  SD  N   x:no-common-mode",
    "AN -  AN  N   N",
};

static unsigned policy_named(const char *s) {
  static const struct {
    const char *abbr;
    unsigned set;
  } names[] = {{"RQ", IMSMS_SDP_POLICY_REQUIRE_E2E},
               {"PF", IMSMS_SDP_POLICY_PREFER_E2E},
               {"AO", IMSMS_SDP_POLICY_E2AE_ONLY},
               {"SD", IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2E_SDES)},
               {"AN", IMSMS_SDP_POLICY_ALLOW_NONE}};
  size_t i;

  for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    if (strncmp(s, names[i].abbr, 2) == 0) {
      return names[i].set;
    }
  }
  ck_abort_msg("policy %s", s);
  return 0;
}

static int mode_letter(char c) {
  switch (c) {
  case 'K':
    return IMSMS_SDP_MODE_E2E_KMS;
  case 'S':
    return IMSMS_SDP_MODE_E2E_SDES;
  case 'A':
    return IMSMS_SDP_MODE_E2AE;
  case 'N':
    return IMSMS_SDP_MODE_NONE;
  default:
    ck_abort_msg("mode %c", c);
    return -1;
  }
}

typedef struct cell {
  unsigned opol, apol;
  char caps[3];
  int no_offer;
  unsigned offered;
  int mode;          /* -1: refused */
  char reason[40];
} cell;

static void parse_cell(const char *row, cell *c) {
  char op[3], caps[3], ap[3], offered[8], outcome[40];
  int n = sscanf(row, "%2s %2s %2s %7s %39s", op, caps, ap, offered, outcome);
  size_t i;

  memset(c, 0, sizeof(*c));
  ck_assert_msg(n == 4 || n == 5, "row %s", row);
  c->opol = policy_named(op);
  c->apol = policy_named(ap);
  memcpy(c->caps, caps, sizeof(caps));
  if (offered[0] == '!') {
    c->no_offer = 1;
    return;
  }
  ck_assert_int_eq(n, 5);
  for (i = 0; offered[i]; i++) {
    c->offered |= IMSMS_SDP_MODE_BIT(mode_letter(offered[i]));
  }
  if (strncmp(outcome, "x:", 2) == 0) {
    c->mode = -1;
    snprintf(c->reason, sizeof(c->reason), "%s", outcome + 2);
  } else {
    c->mode = mode_letter(outcome[0]);
  }
}

/* The SDES key a side puts on the audio line. */
static void sdes_key(imsms_sdes_crypto *c, uint32_t tag, int suite) {
  ck_assert_int_eq(imsms_sdes_generate(ctx, c, tag, suite), 0);
}

static void run_cell(const char *row) {
  imsms_sdp_policy op, ap;
  imsms_sdp_result ores[3], ares[3], rres[3];
  imsms_sdes_crypto okey[2], akey;
  imsms_sdp_media_keys ok = {1, okey, 2, NULL, 0}, ak = {1, &akey, 1, NULL, 0};
  char offer[8192], answer[8192];
  imsms_ssize olen, alen, n;
  size_t nres;
  cell c;

  parse_cell(row, &c);
  op = policy(c.opol, IMSMS_SDP_POLICY_ALLOW_NONE);
  ap = policy(c.apol, IMSMS_SDP_POLICY_ALLOW_NONE);
  sdes_key(&okey[0], 1, IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80);
  sdes_key(&okey[1], 2, IMSMS_SRTP_AES_256_CM_HMAC_SHA1_80);
  olen = imsms_sdp_offer(offer, sizeof(offer), base_offer, strlen(base_offer),
                         &op, strchr(c.caps, 'k') ? ti : NULL,
                         strchr(c.caps, 'k') ? sizeof(ti) : 0, &ok,
                         strchr(c.caps, 's') ? 1 : 0, ores, 3, &nres);
  if (c.no_offer) {
    ck_assert_msg(olen == IMSMS_ERR_SDP_NO_MODE, "%s: offer %zd", row, olen);
    return;
  }
  ck_assert_msg(olen > 0, "%s: offer %zd", row, olen);
  ck_assert_uint_eq(nres, 3);
  ck_assert_msg(ores[0].offered == c.offered, "%s: offered %#x", row,
                ores[0].offered);
  /* MSRP without a fingerprint: e2e through the KMS or plain. */
  ck_assert_int_eq(ores[1].offered,
                   IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_NONE) |
                       (strchr(c.caps, 'k')
                            ? IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2E_KMS)
                            : 0));
  n = imsms_sdp_answer_select(offer, (size_t)olen, &ap, ares, 3, &nres);
  ck_assert_msg(n == 3, "%s: select %zd", row, n);
  ck_assert_msg(ares[0].offered == c.offered, "%s: answerer sees %#x", row,
                ares[0].offered);
  ck_assert_msg(ares[0].mode == c.mode, "%s: answerer mode %d (%s)", row,
                ares[0].mode, imsms_sdp_reason_str(ares[0].reason));
  if (c.mode < 0) {
    ck_assert_str_eq(imsms_sdp_reason_str(ares[0].reason), c.reason);
  } else {
    ck_assert_int_eq(ares[0].reason, IMSMS_SDP_REASON_BEST);
  }
  if (c.mode == IMSMS_SDP_MODE_E2E_KMS) {
    ck_assert_str_eq(ares[0].ids, "mikey");
  }
  if (c.mode == IMSMS_SDP_MODE_E2AE || c.mode == IMSMS_SDP_MODE_E2E_SDES) {
    sdes_key(&akey, ares[0].crypto_tag, ares[0].suite);
  }
  alen = imsms_sdp_answer(answer, sizeof(answer), base_answer,
                          strlen(base_answer), ares, 3,
                          tr, sizeof(tr),
                          &ak, 1);
  ck_assert_msg(alen > 0, "%s: answer %zd", row, alen);
  n = imsms_sdp_answer_read(offer, (size_t)olen, answer, (size_t)alen, &op,
                            rres, 3, &nres);
  ck_assert_msg(n == 3, "%s: read %zd", row, n);
  ck_assert_msg(rres[0].mode == c.mode, "%s: offerer reads mode %d (%s)", row,
                rres[0].mode, imsms_sdp_reason_str(rres[0].reason));
  ck_assert_int_eq(rres[0].reason, c.mode < 0 ? IMSMS_SDP_REASON_PORT_ZERO
                                              : IMSMS_SDP_REASON_ANSWERED);
  ck_assert_int_eq(rres[1].mode, strchr(c.caps, 'k') ? IMSMS_SDP_MODE_E2E_KMS
                                                     : IMSMS_SDP_MODE_NONE);
  /* DTLS-SRTP is not negotiated here. */
  ck_assert_int_eq(rres[2].reason, IMSMS_SDP_REASON_UNMANAGED);
  imsms_secure_clear(okey, sizeof(okey));
  imsms_secure_clear(&akey, sizeof(akey));
}

START_TEST(test_matrix) {
  size_t i;

  for (i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++) {
    run_cell(matrix[i]);
  }
}
END_TEST

/* ------------------------------------------------------------------ */
/* Real-world-shaped offers                                            */

static imsms_ssize select_all(const char *offer, const imsms_sdp_policy *p,
                              imsms_sdp_result *res, size_t cap) {
  size_t n;

  return imsms_sdp_answer_select(offer, strlen(offer), p, res, cap, &n);
}

/* SDES with several a=crypto lines and MKIs: the first accepted suite. */
START_TEST(test_sdes_several_crypto) {
  imsms_sdp_policy p = policy(IMSMS_SDP_POLICY_ALLOW_NONE, 0);
  static const int only256[] = {IMSMS_SRTP_AES_256_CM_HMAC_SHA1_80};
  static const int none_ok[] = {IMSMS_SRTP_AEAD_AES_256_GCM};
  imsms_sdp_result r[2];

  ck_assert_int_eq(select_all(sdes_offer, &p, r, 2), 2);
  ck_assert_int_eq(r[0].mode, IMSMS_SDP_MODE_E2AE);
  ck_assert_uint_eq(r[0].crypto_tag, 1);
  ck_assert_int_eq(r[0].suite, IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80);
  ck_assert_int_eq(strncmp(r[0].crypto.base, "1 AES_CM_128", 12), 0);
  ck_assert_int_eq(r[0].proto, IMSMS_SDP_PROTO_RTP_SAVP);
  ck_assert_uint_eq(r[0].pcfg, 0);
  ck_assert_uint_eq(r[1].crypto_tag, 7);
  ck_assert_int_eq(r[1].proto, IMSMS_SDP_PROTO_RTP_SAVPF);
  /* A policy with AES-256 only takes the third line (two keys, MKI). */
  p.suites = only256;
  p.nsuites = 1;
  ck_assert_int_eq(select_all(sdes_offer, &p, r, 2), 2);
  ck_assert_uint_eq(r[0].crypto_tag, 3);
  ck_assert_int_eq(r[1].mode, -1);
  ck_assert_int_eq(r[1].reason, IMSMS_SDP_REASON_NO_SUITE);
  /* None acceptable: refused with its reason, not downgraded. */
  p.suites = none_ok;
  ck_assert_int_eq(select_all(sdes_offer, &p, r, 2), 2);
  ck_assert_int_eq(r[0].mode, -1);
  ck_assert_int_eq(r[0].reason, IMSMS_SDP_REASON_NO_SUITE);
  /* A NULL-cipher suite is never taken unless listed. */
  p.suites = NULL;
  p.nsuites = 0;
  ck_assert_int_eq(imsms_sdp_policy_parse("e2e-sdes", 8),
                   (int)IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2E_SDES));
}
END_TEST

/* RFC 5939 examples from the RFC text. */
START_TEST(test_rfc5939_examples) {
  imsms_sdp_policy any = policy(IMSMS_SDP_POLICY_ALLOW_NONE, 0);
  imsms_sdp_policy req = policy(IMSMS_SDP_POLICY_REQUIRE_E2E, 0);
  imsms_sdp_result r[2];

  /* 3.2: SRTP (SDES) potential, RTP actual. */
  ck_assert_int_eq(select_all(rfc5939_offer, &any, r, 2), 1);
  ck_assert_int_eq(r[0].mode, IMSMS_SDP_MODE_E2E_SDES);
  ck_assert_uint_eq(r[0].offered, IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_NONE) |
                                      IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2E_SDES));
  ck_assert_uint_eq(r[0].pcfg, 1);
  ck_assert_uint_eq(r[0].tcap, 1);
  ck_assert_uint_eq(r[0].nacaps, 1);
  ck_assert_uint_eq(r[0].acaps[0], 1);
  ck_assert_int_eq(r[0].proto, IMSMS_SDP_PROTO_RTP_SAVP);
  /* 3.11: MIKEY in the first configuration's second alternative. */
  ck_assert_int_eq(select_all(rfc5939_avpf, &any, r, 2), 1);
  ck_assert_int_eq(r[0].mode, IMSMS_SDP_MODE_E2E_KMS);
  ck_assert_uint_eq(r[0].pcfg, 1);
  ck_assert_int_eq(r[0].proto, IMSMS_SDP_PROTO_RTP_SAVPF);
  ck_assert_uint_eq(r[0].nacaps, 2);
  ck_assert_uint_eq(r[0].acaps[0], 2);
  ck_assert_uint_eq(r[0].acaps[1], 3);
  ck_assert_str_eq(r[0].ids, "mikey");
  ck_assert_int_eq(strncmp(r[0].key_mgmt.base, MIKEY_OFFER, 20), 0);
  /* 4.2: DTLS-SRTP first (not ours), SDES second. */
  ck_assert_int_eq(select_all(rfc5939_dtls, &any, r, 2), 1);
  ck_assert_int_eq(r[0].mode, IMSMS_SDP_MODE_E2E_SDES);
  ck_assert_uint_eq(r[0].pcfg, 2);
  /* 4.3: session-level MIKEY capability, per-media SDES. */
  ck_assert_int_eq(select_all(rfc5939_best_effort, &req, r, 2), 2);
  ck_assert_int_eq(r[0].mode, IMSMS_SDP_MODE_E2E_KMS);
  ck_assert_int_eq(r[1].mode, IMSMS_SDP_MODE_E2E_KMS);
  ck_assert_uint_eq(r[1].pcfg, 1);
  /* 4.4: session MIKEY actual; SDES potential deleting session attrs. */
  ck_assert_int_eq(select_all(rfc5939_delete, &req, r, 2), 2);
  ck_assert_int_eq(r[0].mode, IMSMS_SDP_MODE_E2E_KMS);
  ck_assert_uint_eq(r[0].pcfg, 0);
  {
    imsms_sdp_policy sdes = policy(IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2E_SDES), 0);

    ck_assert_int_eq(select_all(rfc5939_delete, &sdes, r, 2), 2);
    ck_assert_int_eq(r[0].mode, IMSMS_SDP_MODE_E2E_SDES);
    ck_assert_uint_eq(r[0].pcfg, 1);
    ck_assert_uint_eq(r[1].pcfg, 1);
  }
}
END_TEST

/* RFC 4567: session level applies to secure media only; media overrides. */
START_TEST(test_key_mgmt_levels) {
  imsms_sdp_policy any = policy(IMSMS_SDP_POLICY_ALLOW_NONE,
                                IMSMS_SDP_POLICY_ALLOW_NONE);
  imsms_sdp_result r[4];

  ck_assert_int_eq(select_all(rfc4567_offer, &any, r, 4), 2);
  ck_assert_int_eq(r[0].mode, IMSMS_SDP_MODE_E2E_KMS);
  ck_assert_int_eq(r[1].mode, IMSMS_SDP_MODE_E2E_KMS);
  ck_assert_int_eq(strncmp(r[1].key_mgmt.base, MIKEY_OFFER, 20), 0);
  ck_assert_int_eq(select_all(km_override, &any, r, 4), 4);
  /* Media-level MIKEY overrides both session lines. */
  ck_assert_str_eq(r[0].ids, "mikey");
  ck_assert_int_eq(strncmp(r[0].key_mgmt.base, MIKEY_ANSWER, 20), 0);
  /* Inherits the session's list, in SDP order. */
  ck_assert_str_eq(r[1].ids, "mikey;keyp1");
  ck_assert_int_eq(strncmp(r[1].key_mgmt.base, MIKEY_OFFER, 20), 0);
  /* RTP/AVP does not inherit (RFC 4567 5.2): plain, not tampered. */
  ck_assert_int_eq(r[2].mode, IMSMS_SDP_MODE_NONE);
  /* TCP/TLS/MSRP inherits. */
  ck_assert_int_eq(r[3].kind, IMSMS_SDP_KIND_MSRP);
  ck_assert_int_eq(r[3].mode, IMSMS_SDP_MODE_E2E_KMS);
}
END_TEST

/* MSRP over TCP/TLS/MSRP: e2ae (fingerprint) and e2e (key-mgmt). */
START_TEST(test_msrp) {
  imsms_sdp_policy p = policy(0, IMSMS_SDP_POLICY_PREFER_E2E);
  imsms_sdp_result r[2];

  ck_assert_int_eq(select_all(msrp_offer, &p, r, 2), 2);
  ck_assert_int_eq(r[0].mode, IMSMS_SDP_MODE_E2AE);
  ck_assert_int_eq(r[1].mode, IMSMS_SDP_MODE_E2E_KMS);
  ck_assert_int_eq(r[0].proto, IMSMS_SDP_PROTO_TCP_TLS_MSRP);
  /* e2e-sdes has no MSRP form, even when the policy lists it. */
  p.message = IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2E_SDES);
  ck_assert_int_eq(select_all(msrp_offer, &p, r, 2), 2);
  ck_assert_int_eq(r[0].reason, IMSMS_SDP_REASON_POLICY);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Downgrade attempts                                                  */

/* An offer of |set| for the audio line, with both kinds of material. */
static imsms_ssize make_offer(unsigned set, char *out, size_t cap,
                              imsms_sdes_crypto *key) {
  imsms_sdp_policy p = policy(set, IMSMS_SDP_POLICY_ALLOW_NONE);
  imsms_sdp_media_keys k = {1, key, 1, NULL, 0};
  imsms_sdp_result r[3];
  size_t n;

  sdes_key(key, 5, IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80);
  return imsms_sdp_offer(out, cap, base_offer, strlen(base_offer), &p, ti,
                         sizeof(ti), &k, 1, r, 3, &n);
}

static size_t rewrite(char *out, size_t cap, const char *in, size_t len,
                      const imsms_sdp_edit *e, size_t ne) {
  imsms_ssize n = imsms_sdp_edit_apply(out, cap, in, len, e, ne);

  ck_assert_int_gt(n, 0);
  return (size_t)n;
}

START_TEST(test_downgrade_offer) {
  imsms_sdp_policy req = policy(IMSMS_SDP_POLICY_REQUIRE_E2E, 0);
  imsms_sdp_policy pref = policy(IMSMS_SDP_POLICY_PREFER_E2E, 0);
  imsms_sdp_policy any = policy(IMSMS_SDP_POLICY_ALLOW_NONE, 0);
  imsms_sdp_edit strip = {IMSMS_SDP_EDIT_DROP_ATTR, 1, "key-mgmt", NULL, 0};
  imsms_sdp_edit avp = {IMSMS_SDP_EDIT_SET_PROTO, 1, NULL, "RTP/AVP", 7};
  imsms_sdp_edit drop_pcfg = {IMSMS_SDP_EDIT_DROP_ATTR, 1, "pcfg", NULL, 0};
  imsms_sdes_crypto key;
  imsms_sdp_result r[3];
  char offer[4096], bad[4096];
  imsms_ssize olen;
  size_t n, len;

  /* prefer-e2e offers key-mgmt with a=crypto and a=3ge2ae directly. */
  olen = make_offer(IMSMS_SDP_POLICY_PREFER_E2E, offer, sizeof(offer), &key);
  ck_assert_int_gt(olen, 0);
  /* (a) key-mgmt stripped, a=crypto kept: require-e2e refuses. */
  len = rewrite(bad, sizeof(bad), offer, (size_t)olen, &strip, 1);
  ck_assert_int_eq(imsms_sdp_answer_select(bad, len, &req, r, 3, &n), 3);
  ck_assert_int_eq(r[0].mode, -1);
  ck_assert_int_eq(r[0].reason, IMSMS_SDP_REASON_E2E_REQUIRED);
  /* prefer-e2e takes what is left, and says so. */
  ck_assert_int_eq(imsms_sdp_answer_select(bad, len, &pref, r, 3, &n), 3);
  ck_assert_int_eq(r[0].mode, IMSMS_SDP_MODE_E2AE);
  ck_assert_uint_eq(r[0].offered, IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2AE));
  /* (b) the profile rewritten to RTP/AVP: refused by every policy. */
  len = rewrite(bad, sizeof(bad), offer, (size_t)olen, &avp, 1);
  ck_assert_int_eq(imsms_sdp_answer_select(bad, len, &any, r, 3, &n), 3);
  ck_assert_int_eq(r[0].mode, -1);
  ck_assert_int_eq(r[0].reason, IMSMS_SDP_REASON_DOWNGRADE);
  ck_assert_int_eq(imsms_sdp_answer_select(bad, len, &req, r, 3, &n), 3);
  ck_assert_int_eq(r[0].reason, IMSMS_SDP_REASON_DOWNGRADE);
  /* (c) a fallback offer stripped of its potential configurations: what
   * is left is plain RTP, which require-e2e refuses. */
  olen = make_offer(IMSMS_SDP_POLICY_ALLOW_NONE, offer, sizeof(offer), &key);
  ck_assert_int_gt(olen, 0);
  len = rewrite(bad, sizeof(bad), offer, (size_t)olen, &drop_pcfg, 1);
  ck_assert_int_eq(imsms_sdp_answer_select(bad, len, &req, r, 3, &n), 3);
  ck_assert_int_eq(r[0].reason, IMSMS_SDP_REASON_E2E_REQUIRED);
  ck_assert_int_eq(imsms_sdp_answer_select(bad, len, &any, r, 3, &n), 3);
  ck_assert_int_eq(r[0].mode, IMSMS_SDP_MODE_NONE);
  ck_assert_uint_eq(r[0].offered, IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_NONE));
  imsms_secure_clear(&key, sizeof(key));
}
END_TEST

/* The offerer refuses answers weaker than offered, or not offered. */
START_TEST(test_downgrade_answer) {
  imsms_sdp_policy pref = policy(IMSMS_SDP_POLICY_PREFER_E2E, 0);
  imsms_sdes_crypto key, other;
  imsms_sdp_result r[3];
  char offer[4096];
  imsms_ssize olen;
  size_t n;
  /* Plain RTP, an e2e-sdes key, a key of another tag, a stray acfg. */
  static const char *const answers[] = {
      "v=0\r\nm=audio 50000 RTP/AVP 0\r\nm=message 1 TCP/MSRP *\r\n"
      "m=video 5 UDP/TLS/RTP/SAVP 31\r\n",
      "v=0\r\nm=audio 50000 RTP/SAVP 0\r\na=acfg:9 t=1\r\n"
      "m=message 1 TCP/MSRP *\r\nm=video 5 UDP/TLS/RTP/SAVP 31\r\n"};
  static const int reasons[] = {IMSMS_SDP_REASON_DOWNGRADE,
                                IMSMS_SDP_REASON_BAD_ANSWER};
  char ans[4096], line[512];
  imsms_ssize k;
  size_t i;

  olen = make_offer(IMSMS_SDP_POLICY_PREFER_E2E, offer, sizeof(offer), &key);
  ck_assert_int_gt(olen, 0);
  for (i = 0; i < 2; i++) {
    ck_assert_int_eq(imsms_sdp_answer_read(offer, (size_t)olen, answers[i],
                                           strlen(answers[i]), &pref, r, 3, &n),
                     3);
    ck_assert_int_eq(r[0].mode, -1);
    ck_assert_int_eq(r[0].reason, reasons[i]);
  }
  /* An SDES answer with a tag the offer did not have. */
  sdes_key(&other, 6, IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80);
  k = imsms_sdes_format(line, sizeof(line), &other);
  ck_assert_int_gt(k, 0);
  snprintf(ans, sizeof(ans),
           "v=0\r\nm=audio 50000 RTP/SAVP 0\r\na=crypto:%.*s\r\n"
           "m=message 1 TCP/MSRP *\r\nm=video 5 UDP/TLS/RTP/SAVP 31\r\n",
           (int)k, line);
  ck_assert_int_eq(imsms_sdp_answer_read(offer, (size_t)olen, ans, strlen(ans),
                                         &pref, r, 3, &n),
                   3);
  ck_assert_int_eq(r[0].reason, IMSMS_SDP_REASON_BAD_ANSWER);
  /* The right tag: e2ae, as the offer requested it. */
  other.tag = 5;
  k = imsms_sdes_format(line, sizeof(line), &other);
  snprintf(ans, sizeof(ans),
           "v=0\r\nm=audio 50000 RTP/SAVP 0\r\na=crypto:%.*s\r\n"
           "m=message 1 TCP/MSRP *\r\nm=video 5 UDP/TLS/RTP/SAVP 31\r\n",
           (int)k, line);
  ck_assert_int_eq(imsms_sdp_answer_read(offer, (size_t)olen, ans, strlen(ans),
                                         &pref, r, 3, &n),
                   3);
  ck_assert_int_eq(r[0].mode, IMSMS_SDP_MODE_E2AE);
  ck_assert_uint_eq(r[0].crypto_tag, 5);
  /* Media lines must match. */
  ck_assert_int_eq(imsms_sdp_answer_read(offer, (size_t)olen, "v=0\r\n", 5,
                                         &pref, r, 3, &n),
                   IMSMS_ERR_SDP_CONFLICT);
  imsms_secure_clear(line, sizeof(line));
  imsms_secure_clear(ans, sizeof(ans));
  imsms_secure_clear(&other, sizeof(other));
  imsms_secure_clear(&key, sizeof(key));
}
END_TEST

/* ------------------------------------------------------------------ */
/* e2ae through an access edge                                         */

/*
 * The UE asks for e2ae; its P-CSCF takes the a=crypto off toward the
 * core (imsms_sdp_e2ae_to_core()), the far end answers plain RTP, the
 * P-CSCF secures the answer toward the UE with its own key and
 * a=3ge2ae:applied (imsms_sdp_e2ae_to_ue()); the UE reads e2ae.
 */
START_TEST(test_e2ae_through_pcscf) {
  imsms_sdp_policy ue = policy(IMSMS_SDP_POLICY_E2AE_ONLY, 0);
  imsms_sdp_policy far = policy(IMSMS_SDP_POLICY_ALLOW_NONE,
                                IMSMS_SDP_POLICY_ALLOW_NONE);
  static const char ue_sdp[] = "v=0\r\n"
                               "o=ue 1 1 IN IP4 192.0.2.9\r\n"
                               "s=-\r\n"
                               "t=0 0\r\n"
                               "m=audio 49170 RTP/AVP 0\r\n";
  static const char far_sdp[] = "v=0\r\n"
                                "o=far 1 1 IN IP4 198.51.100.1\r\n"
                                "s=-\r\n"
                                "t=0 0\r\n"
                                "m=audio 30000 RTP/AVP 0\r\n";
  imsms_sdes_crypto key;
  imsms_sdp_media_keys k = {1, &key, 1, NULL, 0};
  imsms_sdp_e2ae_media em = {1, 0, 0, NULL, 0};
  imsms_sdp_change ch[8];
  imsms_sdp_result r[1], fr[1];
  char offer[2048], core[2048], fans[2048], ans[2048];
  imsms_ssize olen, clen, flen, alen;
  size_t n, nch;

  sdes_key(&key, 1, IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80);
  olen = imsms_sdp_offer(offer, sizeof(offer), ue_sdp, strlen(ue_sdp), &ue,
                         NULL, 0, &k, 1, r, 1, &n);
  ck_assert_int_gt(olen, 0);
  clen = imsms_sdp_e2ae_to_core(core, sizeof(core), offer, (size_t)olen, NULL,
                                0, 0, ch, 8, &nch);
  ck_assert_int_gt(clen, 0);
  /* The far end sees plain RTP only. */
  ck_assert_int_eq(imsms_sdp_answer_select(core, (size_t)clen, &far, fr, 1, &n),
                   1);
  ck_assert_int_eq(fr[0].mode, IMSMS_SDP_MODE_NONE);
  flen = imsms_sdp_answer(fans, sizeof(fans), far_sdp, strlen(far_sdp), fr, 1,
                          NULL, 0, NULL, 0);
  ck_assert_int_gt(flen, 0);
  em.tag = ch[1].tag;
  em.suite = ch[1].suite;
  ck_assert_int_eq(ch[1].kind, IMSMS_SDP_CHANGE_CRYPTO_REMOVED);
  alen = imsms_sdp_e2ae_to_ue(ctx, ans, sizeof(ans), fans, (size_t)flen, &em, 1,
                              IMSMS_SDP_E2AE_ADD_APPLIED, ch, 8, &nch);
  ck_assert_int_gt(alen, 0);
  ck_assert_int_eq(imsms_sdp_answer_read(offer, (size_t)olen, ans, (size_t)alen,
                                         &ue, r, 1, &n),
                   1);
  ck_assert_int_eq(r[0].mode, IMSMS_SDP_MODE_E2AE);
  ck_assert_int_eq(r[0].reason, IMSMS_SDP_REASON_ANSWERED);
  ck_assert_uint_eq(r[0].crypto_tag, 1);
  imsms_secure_clear(ans, sizeof(ans));
  imsms_secure_clear(offer, sizeof(offer));
  imsms_secure_clear(&key, sizeof(key));
}
END_TEST

/* ------------------------------------------------------------------ */
/* Bad input                                                           */

START_TEST(test_bad_input) {
  imsms_sdp_policy p = policy(IMSMS_SDP_POLICY_ALLOW_NONE,
                              IMSMS_SDP_POLICY_ALLOW_NONE);
  imsms_sdp_policy v2 = p;
  imsms_sdes_crypto key;
  imsms_sdp_media_keys k[2] = {{1, &key, 1, NULL, 0}, {1, &key, 1, NULL, 0}};
  imsms_sdp_result r[3];
  char out[4096], keep[4096];
  size_t n;
  static const struct {
    const char *sdp;
    int rv;
  } bodies[] = {
      {"", IMSMS_ERR_SDP_SYNTAX},
      {"v=1\r\n", IMSMS_ERR_SDP_SYNTAX},
      {"v=0\r\nm=audio x RTP/AVP 0\r\n", IMSMS_ERR_SDP_SYNTAX},
      {"v=0\r\nm=audio 1 RTP/SAVP 0\r\na=key-mgmt:mikey AAA\r\n",
       IMSMS_ERR_BASE64},
      {"v=0\r\nm=audio 1 RTP/SAVP 0\r\na=3ge2ae:requested\r\n"
       "a=3ge2ae:requested\r\n",
       IMSMS_ERR_SDP_DUPLICATE},
      {"v=0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K_4568 "\r\n"
       "m=audio 1 RTP/SAVP 0\r\n",
       IMSMS_ERR_SDP_CONFLICT},
      {"v=0\r\nm=audio 1 RTP/SAVP 0\r\na=crypto:1 NO_SUCH_SUITE inline:" K_4568
       "\r\n",
       IMSMS_ERR_UNSUPPORTED_ALG},
      {"v=0\r\nm=audio 1 RTP/AVP 0\r\na=pcfg:1 t=3\r\n",
       IMSMS_ERR_SDP_CONFLICT},
  };
  size_t i;

  sdes_key(&key, 1, IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80);
  for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
    const char *b = bodies[i].sdp;

    ck_assert_msg(imsms_sdp_answer_select(b, strlen(b), &p, r, 3, &n) ==
                      bodies[i].rv,
                  "body %zu", i);
    ck_assert_int_eq(imsms_sdp_answer_read(b, strlen(b), base_answer,
                                           strlen(base_answer), &p, r, 3, &n),
                     bodies[i].rv);
  }
  /* Output untouched on every failure. */
  memset(out, 0x5a, sizeof(out));
  memcpy(keep, out, sizeof(out));
  ck_assert_int_eq(imsms_sdp_offer(out, 10, base_offer, strlen(base_offer), &p,
                                   ti, sizeof(ti), k, 1, r, 3, &n),
                   IMSMS_ERR_NOBUF);
  ck_assert_int_eq(imsms_sdp_offer(out, sizeof(out), base_offer,
                                   strlen(base_offer), &p, ti, sizeof(ti), k,
                                   1, r, 2, &n),
                   IMSMS_ERR_NOBUF);
  ck_assert_uint_eq(n, 3);
  ck_assert_int_eq(imsms_sdp_offer(out, sizeof(out), base_offer,
                                   strlen(base_offer), &p, ti, sizeof(ti), k,
                                   2, r, 3, &n),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_offer(out, sizeof(out), sdes_offer,
                                   strlen(sdes_offer), &p, ti, sizeof(ti), NULL,
                                   0, r, 3, &n),
                   IMSMS_ERR_SDP_CONFLICT);
  v2.version = 2;
  ck_assert_int_eq(imsms_sdp_offer(out, sizeof(out), base_offer,
                                   strlen(base_offer), &v2, ti, sizeof(ti), k,
                                   1, r, 3, &n),
                   IMSMS_ERR_INVALID_ARGUMENT);
  /* e2e required but no MIKEY material. */
  v2 = policy(IMSMS_SDP_POLICY_REQUIRE_E2E, 0);
  ck_assert_int_eq(imsms_sdp_offer(out, sizeof(out), base_offer,
                                   strlen(base_offer), &v2, NULL, 0, k, 1, r,
                                   3, &n),
                   IMSMS_ERR_SDP_NO_MODE);
  /* A bad key refused before anything is written. */
  key.suite = 99;
  ck_assert_int_eq(imsms_sdp_offer(out, sizeof(out), base_offer,
                                   strlen(base_offer), &p, ti, sizeof(ti), k,
                                   1, r, 3, &n),
                   IMSMS_ERR_UNSUPPORTED_ALG);
  ck_assert_mem_eq(out, keep, sizeof(out));
  /* The answer needs the chosen key and a matching body. */
  key.suite = IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80;
  ck_assert_int_eq(imsms_sdp_answer_select(sdes_offer, strlen(sdes_offer), &p,
                                           r, 3, &n),
                   2);
  ck_assert_int_eq(imsms_sdp_answer(out, sizeof(out), base_answer,
                                    strlen(base_answer), r, 2, NULL, 0, k, 1),
                   IMSMS_ERR_INVALID_ARGUMENT); /* 3 lines, 2 results */
  ck_assert_int_eq(imsms_sdp_answer(out, sizeof(out), sdes_offer_core,
                                    strlen(sdes_offer_core), r, 2, NULL, 0, NULL,
                                    0),
                   IMSMS_ERR_INVALID_ARGUMENT); /* no key */
  key.tag = 2;
  ck_assert_int_eq(imsms_sdp_answer(out, sizeof(out), sdes_offer_core,
                                    strlen(sdes_offer_core), r, 2, NULL, 0, k,
                                    1),
                   IMSMS_ERR_INVALID_ARGUMENT); /* another tag */
  ck_assert_int_eq(imsms_sdp_answer(out, sizeof(out), sdes_offer,
                                    strlen(sdes_offer), r, 2, NULL, 0, k, 1),
                   IMSMS_ERR_SDP_CONFLICT); /* already keyed */
  ck_assert_mem_eq(out, keep, sizeof(out));
  /* Oversized bodies; unknown profiles are left alone, not refused. */
  {
    size_t big = IMSMS_SDP_MAX_LEN + 1;
    char *b = malloc(big);
    static const char other[] = "v=0\r\nm=audio 1 RTP/XYZ 0\r\n";

    ck_assert_ptr_nonnull(b);
    memset(b, 'a', big);
    memcpy(b, "v=0\r\na=", 6);
    ck_assert_int_eq(imsms_sdp_answer_select(b, big, &p, r, 3, &n),
                     IMSMS_ERR_TOO_LARGE);
    ck_assert_int_eq(imsms_sdp_offer(out, sizeof(out), b, big, &p, ti,
                                     sizeof(ti), NULL, 0, r, 3, &n),
                     IMSMS_ERR_TOO_LARGE);
    free(b);
    ck_assert_int_eq(imsms_sdp_answer_select(other, strlen(other), &p, r, 3,
                                             &n),
                     1);
    ck_assert_int_eq(r[0].kind, IMSMS_SDP_KIND_OTHER);
    ck_assert_int_eq(r[0].reason, IMSMS_SDP_REASON_UNMANAGED);
  }
  /* Names and policies. */
  ck_assert_str_eq(imsms_sdp_mode_str(IMSMS_SDP_MODE_E2E_KMS), "e2e-kms");
  ck_assert_ptr_null(imsms_sdp_mode_str(4));
  ck_assert_ptr_null(imsms_sdp_mode_str(-1));
  ck_assert_str_eq(imsms_sdp_reason_str(IMSMS_SDP_REASON_BAD_ANSWER),
                   "bad-answer");
  ck_assert_ptr_null(imsms_sdp_reason_str(10));
  ck_assert_int_eq(imsms_sdp_policy_parse("prefer-e2e", 10),
                   (int)IMSMS_SDP_POLICY_PREFER_E2E);
  ck_assert_int_eq(imsms_sdp_policy_parse("none,e2ae", 9),
                   (int)(IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_NONE) |
                         IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2AE)));
  ck_assert_int_eq(imsms_sdp_policy_parse("none,", 5),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_policy_parse("e2e", 3), IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(imsms_sdp_policy_parse(NULL, 0), IMSMS_ERR_INVALID_ARGUMENT);
  imsms_secure_clear(&key, sizeof(key));
}
END_TEST

/* Every prefix of a real offer in an exact-size heap copy. */
START_TEST(test_truncated_offers) {
  imsms_sdp_policy p = policy(IMSMS_SDP_POLICY_ALLOW_NONE,
                              IMSMS_SDP_POLICY_ALLOW_NONE);
  imsms_sdp_result r[4];
  const char *const offers[] = {sdes_offer, rfc5939_avpf, rfc5939_best_effort,
                                msrp_offer, km_override};
  size_t i, len, n;

  for (i = 0; i < sizeof(offers) / sizeof(offers[0]); i++) {
    for (len = 0; len <= strlen(offers[i]); len++) {
      char *c = malloc(len ? len : 1);
      imsms_ssize rv;

      ck_assert_ptr_nonnull(c);
      memcpy(c, offers[i], len);
      rv = imsms_sdp_answer_select(c, len, &p, r, 4, &n);
      /* A valid prefix, or a body refused as malformed: never anything
       * else (no crash, no read past |len|). */
      ck_assert_msg(rv >= 0 || rv == IMSMS_ERR_SDP_SYNTAX ||
                        rv == IMSMS_ERR_TRUNCATED || rv == IMSMS_ERR_BASE64 ||
                        rv == IMSMS_ERR_SDP_CONFLICT ||
                        rv == IMSMS_ERR_UNSUPPORTED_ALG ||
                        (rv <= IMSMS_ERR_SDES_SYNTAX &&
                         rv >= IMSMS_ERR_SDES_PARAM),
                    "offer %zu, %zu bytes: %zd", i, len, rv);
      /* The offer as its own answer reads back, or fails the same way. */
      ck_assert_int_eq(imsms_sdp_answer_read(c, len, c, len, &p, r, 4, &n) >= 0,
                       rv >= 0);
      free(c);
    }
  }
}
END_TEST

/* IMSMS_SDP_F_SESSION_KEY_MGMT: one session-level key-mgmt, when exact. */
START_TEST(test_session_key_mgmt) {
  imsms_sdp_policy p = policy(IMSMS_SDP_POLICY_REQUIRE_E2E,
                              IMSMS_SDP_POLICY_REQUIRE_E2E);
  imsms_sdp_policy any = policy(IMSMS_SDP_POLICY_ALLOW_NONE,
                                IMSMS_SDP_POLICY_ALLOW_NONE);
  imsms_sdp_edit avp = {IMSMS_SDP_EDIT_SET_PROTO, 1, NULL, "RTP/AVP", 7};
  imsms_sdp_result r[3];
  char offer[4096], bad[4096];
  imsms_ssize olen;
  size_t n, len;
  const char *km;

  p.flags = IMSMS_SDP_F_SESSION_KEY_MGMT;
  olen = imsms_sdp_offer(offer, sizeof(offer) - 1, base_offer,
                         strlen(base_offer), &p, ti, sizeof(ti), NULL, 0, r, 3,
                         &n);
  ck_assert_int_gt(olen, 0);
  offer[olen] = '\0';
  km = strstr(offer, "a=key-mgmt:mikey ");
  ck_assert_ptr_nonnull(km);
  ck_assert_ptr_null(strstr(km + 1, "a=key-mgmt:"));     /* only once */
  ck_assert(km < strstr(offer, "m=audio")); /* session level */
  ck_assert_int_eq(imsms_sdp_answer_select(offer, (size_t)olen, &p, r, 3, &n), 3);
  ck_assert_int_eq(r[0].mode, IMSMS_SDP_MODE_E2E_KMS);
  ck_assert_int_eq(r[1].mode, IMSMS_SDP_MODE_E2E_KMS);
  ck_assert_str_eq(r[1].ids, "mikey");
  /* The documented trade: a line rewritten to RTP/AVP no longer carries
   * the key-mgmt; require-e2e still refuses it, allow-none takes none. */
  len = rewrite(bad, sizeof(bad), offer, (size_t)olen, &avp, 1);
  ck_assert_int_eq(imsms_sdp_answer_select(bad, len, &p, r, 3, &n), 3);
  ck_assert_int_eq(r[0].reason, IMSMS_SDP_REASON_E2E_REQUIRED);
  ck_assert_int_eq(imsms_sdp_answer_select(bad, len, &any, r, 3, &n), 3);
  ck_assert_int_eq(r[0].mode, IMSMS_SDP_MODE_NONE);
  /* With a fallback line, the key-mgmt stays with each line. */
  any.flags = IMSMS_SDP_F_SESSION_KEY_MGMT;
  olen = imsms_sdp_offer(offer, sizeof(offer) - 1, base_offer,
                         strlen(base_offer), &any, ti, sizeof(ti), NULL, 0, r,
                         3, &n);
  ck_assert_int_gt(olen, 0);
  offer[olen] = '\0';
  ck_assert_ptr_null(strstr(offer, "\r\na=key-mgmt:"));
  ck_assert_ptr_nonnull(strstr(offer, "a=acap:2 key-mgmt:mikey "));
  /* Unknown flags are refused. */
  any.flags = 0x2;
  ck_assert_int_eq(imsms_sdp_offer(offer, sizeof(offer), base_offer,
                                   strlen(base_offer), &any, ti, sizeof(ti),
                                   NULL, 0, r, 3, &n),
                   IMSMS_ERR_INVALID_ARGUMENT);
}
END_TEST

/* An offer must pass imsms_sdp_check(): fallback lines may not need more
 * capability lines than it takes (found by fuzz_nego). */
START_TEST(test_offer_cap_limit) {
  imsms_sdp_policy p = policy(IMSMS_SDP_POLICY_ALLOW_NONE, 0);
  static char base[4096], out[65536];
  imsms_sdes_crypto key;
  imsms_sdp_media_keys k[22];
  imsms_sdp_result r[22];
  size_t i, n, len;
  imsms_ssize olen;

  sdes_key(&key, 1, IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80);
  for (n = 21; n <= 22; n++) {
    len = (size_t)snprintf(base, sizeof(base), "v=0\r\n");
    for (i = 0; i < n; i++) {
      len += (size_t)snprintf(base + len, sizeof(base) - len,
                              "m=audio %zu RTP/AVP 0\r\n", 4000 + 2 * i);
      k[i].level = i + 1;
      k[i].crypto = &key;
      k[i].ncrypto = 1;
      k[i].fingerprint = NULL;
      k[i].fingerprint_len = 0;
    }
    /* Three a=acap per line (key-mgmt, crypto, 3ge2ae): 63, then 66. */
    olen = imsms_sdp_offer(out, sizeof(out), base, len, &p, ti, sizeof(ti), k,
                           n, r, 22, &i);
    if (n == 21) {
      ck_assert_int_gt(olen, 0);
      ck_assert_int_eq(imsms_sdp_check(out, (size_t)olen), 21);
    } else {
      ck_assert_int_eq(olen, IMSMS_ERR_TOO_LARGE);
    }
  }
  imsms_secure_clear(&key, sizeof(key));
}
END_TEST

/* ------------------------------------------------------------------ */
/* Inputs the library must not trust                                   */

#define HDR "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"

/* imsms_sdp_answer() checks results the application may have changed;
 * a=acfg repeats the chosen configuration's delete flags. */
START_TEST(test_answer_checks_results) {
  imsms_sdp_policy sdes = policy(IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2E_SDES),
                                 IMSMS_SDP_POLICY_ALLOW_NONE);
  static const char ans[] = HDR "m=audio 50000 RTP/AVP 98\r\n"
                                "m=video 50002 RTP/AVP 31\r\n";
  imsms_sdp_result r[2], bad[2], rr[2];
  imsms_sdes_crypto key[2];
  imsms_sdp_media_keys k[2] = {{1, &key[0], 1, NULL, 0},
                               {2, &key[1], 1, NULL, 0}};
  char out[8192];
  imsms_ssize n;
  size_t nr, i;

  ck_assert_int_eq(select_all(rfc5939_delete, &sdes, r, 2), 2);
  ck_assert_uint_eq(r[0].del, IMSMS_SDP_CFG_DEL_SESSION);
  sdes_key(&key[0], r[0].crypto_tag, r[0].suite);
  sdes_key(&key[1], r[1].crypto_tag, r[1].suite);
  n = imsms_sdp_answer(out, sizeof(out) - 1, ans, strlen(ans), r, 2, NULL, 0,
                       k, 2);
  ck_assert_int_gt(n, 0);
  out[n] = '\0';
  ck_assert_ptr_nonnull(strstr(out, "RTP/SAVP 98\r\na=crypto:1 "));
  ck_assert_ptr_nonnull(strstr(out, "a=acfg:1 a=-s:1\r\n"));
  ck_assert_ptr_nonnull(strstr(out, "a=acfg:1 a=-s:2\r\n"));
  /* The offerer reads the same choice back. */
  ck_assert_int_eq(imsms_sdp_answer_read(rfc5939_delete,
                                         strlen(rfc5939_delete), out,
                                         (size_t)n, &sdes, rr, 2, &nr),
                   2);
  for (i = 0; i < 2; i++) {
    ck_assert_int_eq(rr[i].mode, IMSMS_SDP_MODE_E2E_SDES);
    ck_assert_uint_eq(rr[i].pcfg, 1);
    ck_assert_uint_eq(rr[i].del, IMSMS_SDP_CFG_DEL_SESSION);
    ck_assert_uint_eq(rr[i].nacaps, 1);
    ck_assert_uint_eq(rr[i].acaps[0], i + 1);
  }
  for (i = 0; i < 10; i++) {
    memcpy(bad, r, sizeof(bad));
    switch (i) {
    case 0: bad[0].nacaps = IMSMS_SDP_CFG_MAX_CAPS + 1; break;
    case 1: bad[0].pcfg = 0x80000000u; break;
    case 2: bad[0].pcfg = 0; break; /* acaps without a configuration */
    case 3: bad[0].acaps[0] = 0; break;
    case 4: bad[0].del = 4; break;
    case 5: bad[0].proto = IMSMS_SDP_PROTO_RTP_AVP; break; /* keys, plain */
    case 6: bad[0].mode = IMSMS_SDP_MODE_NONE; break; /* secure, no keys */
    case 7: bad[0].proto = IMSMS_SDP_PROTO_TCP_TLS_MSRP; break;
    case 8: bad[0].mode = 7; break;
    default: bad[1].tcap = 0x80000000u; break;
    }
    memset(out, 'Z', sizeof(out));
    n = imsms_sdp_answer(out, sizeof(out), ans, strlen(ans), bad, 2, NULL, 0,
                         k, 2);
    ck_assert_msg(n == IMSMS_ERR_INVALID_ARGUMENT, "case %zu: %zd", i, n);
    ck_assert_int_eq(out[0], 'Z');
  }
  imsms_secure_clear(key, sizeof(key));
}
END_TEST

/* MSRP: no SDES e2e form; the fingerprint must be one. */
START_TEST(test_answer_msrp_material) {
  imsms_sdp_policy p = policy(0, IMSMS_SDP_POLICY_PREFER_E2E);
  static const char ans[] = HDR "m=message 7000 TCP/MSRP *\r\n"
                                "m=message 7002 TCP/MSRP *\r\n";
  imsms_sdp_result r[2], bad[2];
  imsms_sdp_media_keys k = {1, NULL, 0, FP_SHA256, sizeof(FP_SHA256) - 1};
  char out[8192];

  ck_assert_int_eq(select_all(msrp_offer, &p, r, 2), 2);
  ck_assert_int_gt(imsms_sdp_answer(out, sizeof(out), ans, strlen(ans), r, 2,
                                    tr, sizeof(tr), &k, 1),
                   0);
  memcpy(bad, r, sizeof(bad));
  bad[0].mode = IMSMS_SDP_MODE_E2E_SDES;
  ck_assert_int_eq(imsms_sdp_answer(out, sizeof(out), ans, strlen(ans), bad,
                                    2, tr, sizeof(tr), &k, 1),
                   IMSMS_ERR_INVALID_ARGUMENT);
  k.fingerprint = "sha-256 4A:AD:B";
  k.fingerprint_len = strlen(k.fingerprint);
  ck_assert_int_eq(imsms_sdp_answer(out, sizeof(out), ans, strlen(ans), r, 2,
                                    tr, sizeof(tr), &k, 1),
                   IMSMS_ERR_SDP_SYNTAX);
}
END_TEST

/* imsms_sdp_offer() refuses key material it could not offer faithfully. */
START_TEST(test_offer_checks_keys) {
  imsms_sdp_policy any = policy(IMSMS_SDP_POLICY_ALLOW_NONE,
                                IMSMS_SDP_POLICY_ALLOW_NONE);
  imsms_sdp_policy e2ae = policy(IMSMS_SDP_POLICY_E2AE_ONLY,
                                 IMSMS_SDP_POLICY_ALLOW_NONE);
  static const int only80[] = {IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80};
  imsms_sdes_crypto keys[IMSMS_SDP_CFG_MAX_ALTS + 1];
  imsms_sdp_media_keys k[2] = {
      {1, keys, IMSMS_SDP_CFG_MAX_ALTS + 1, NULL, 0},
      {2, NULL, 0, "sha-256 4A:AD:B", 15}};
  static char out[65536];
  imsms_sdp_result r[3];
  imsms_ssize n;
  size_t i, nr;

#define OFFER(pol, nk)                                                         \
  imsms_sdp_offer(out, sizeof(out), base_offer, strlen(base_offer), &(pol),    \
                  ti, sizeof(ti), k, (nk), r, 3, &nr)
  for (i = 0; i <= IMSMS_SDP_CFG_MAX_ALTS; i++) {
    sdes_key(&keys[i], (uint32_t)i + 1, IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80);
  }
  /* 17 a=crypto fit on a line, not in one a=pcfg (16 alternatives). */
  n = OFFER(e2ae, 1);
  ck_assert_int_gt(n, 0);
  ck_assert_int_eq(imsms_sdp_check(out, (size_t)n), 3);
  ck_assert_int_eq(OFFER(any, 1), IMSMS_ERR_TOO_LARGE);
  k[0].ncrypto = IMSMS_SDP_CFG_MAX_ALTS;
  n = OFFER(any, 1);
  ck_assert_int_gt(n, 0);
  ck_assert_int_eq(imsms_sdp_check(out, (size_t)n), 3);
  /* Two keys with one tag. */
  k[0].ncrypto = 2;
  keys[1].tag = 1;
  ck_assert_int_eq(OFFER(any, 1), IMSMS_ERR_INVALID_ARGUMENT);
  keys[1].tag = 2;
  ck_assert_int_gt(OFFER(any, 1), 0);
  /* A suite the policy does not accept. */
  any.suites = only80;
  any.nsuites = 1;
  sdes_key(&keys[1], 2, IMSMS_SRTP_AES_CM_128_HMAC_SHA1_32);
  ck_assert_int_eq(OFFER(any, 1), IMSMS_ERR_INVALID_ARGUMENT);
  k[0].ncrypto = 1;
  ck_assert_int_gt(OFFER(any, 1), 0);
  /* A fingerprint that is not one. */
  ck_assert_int_eq(OFFER(any, 2), IMSMS_ERR_SDP_SYNTAX);
  k[1].fingerprint = FP_SHA256;
  k[1].fingerprint_len = sizeof(FP_SHA256) - 1;
  ck_assert_int_gt(OFFER(any, 2), 0);
#undef OFFER
  imsms_secure_clear(keys, sizeof(keys));
}
END_TEST

/* A plain profile carrying what only a secure one may carry was
 * rewritten on the way; a token a=3ge2ae does not know means nothing. */
START_TEST(test_plain_profile_tampering) {
  static const struct {
    const char *sdp;
    int mode;
    int reason;
  } rows[] = {
      {HDR "m=audio 4000 RTP/AVP 0\r\na=3ge2ae:requested\r\n", -1,
       IMSMS_SDP_REASON_DOWNGRADE},
      {HDR "m=audio 4000 RTP/AVP 0\r\na=3ge2ae:applied\r\n", -1,
       IMSMS_SDP_REASON_DOWNGRADE},
      {HDR "m=audio 4000 RTP/AVP 0\r\na=3ge2ae:later\r\n",
       IMSMS_SDP_MODE_NONE, IMSMS_SDP_REASON_BEST},
      {HDR "m=message 4000 TCP/MSRP *\r\na=fingerprint:" FP_SHA256 "\r\n", -1,
       IMSMS_SDP_REASON_DOWNGRADE},
      {HDR "a=fingerprint:" FP_SHA256 "\r\nm=message 4000 TCP/MSRP *\r\n",
       IMSMS_SDP_MODE_NONE, IMSMS_SDP_REASON_BEST},
      {HDR "m=audio 4000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 "
           "inline:" K_4568 "\r\na=3ge2ae:later\r\n",
       IMSMS_SDP_MODE_E2E_SDES, IMSMS_SDP_REASON_BEST},
      {HDR "m=message 4000 TCP/TLS/MSRP *\r\na=fingerprint:" FP_SHA256
           "\r\na=3ge2ae:later\r\n",
       -1, IMSMS_SDP_REASON_NO_COMMON_MODE},
  };
  imsms_sdp_policy any = policy(IMSMS_SDP_POLICY_ALLOW_NONE,
                                IMSMS_SDP_POLICY_ALLOW_NONE);
  imsms_sdp_result r;
  size_t i;

  for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
    ck_assert_msg(select_all(rows[i].sdp, &any, &r, 1) == 1, "row %zu", i);
    ck_assert_msg(r.mode == rows[i].mode && r.reason == rows[i].reason,
                  "row %zu: mode %d reason %d", i, r.mode, r.reason);
  }
}
END_TEST

/* RFC 5939 3.6.2: a potential configuration's capabilities come before
 * the line's own attributes, so the protocol list follows. */
START_TEST(test_capability_order) {
  static const char offer[] = HDR
      "m=audio 4000 RTP/SAVP 0\r\n"
      "a=acap:1 key-mgmt:mikey " MIKEY_OFFER "\r\n"
      "a=pcfg:1 a=1\r\n"
      "a=key-mgmt:keyp1 AAECAw==\r\n";
  imsms_sdp_policy req = policy(IMSMS_SDP_POLICY_REQUIRE_E2E, 0);
  imsms_sdp_result r;

  ck_assert_int_eq(select_all(offer, &req, &r, 1), 1);
  ck_assert_int_eq(r.mode, IMSMS_SDP_MODE_E2E_KMS);
  ck_assert_uint_eq(r.pcfg, 1);
  ck_assert_str_eq(r.ids, "mikey;keyp1");
}
END_TEST

static imsms_ssize read_one(const char *offer, size_t offerlen,
                            const char *answer, const imsms_sdp_policy *p,
                            imsms_sdp_result *r, size_t cap) {
  size_t n;

  return imsms_sdp_answer_read(offer, offerlen, answer, strlen(answer), p, r,
                               cap, &n);
}

/* Each answer line of |bad| (audio; the other two lines rejected) is
 * refused as BAD_ANSWER and leaves nothing of its choice. */
static void expect_bad_answers(const char *offer, size_t olen,
                               const char *const *bad, size_t n) {
  imsms_sdp_policy any = policy(IMSMS_SDP_POLICY_ALLOW_NONE,
                                IMSMS_SDP_POLICY_ALLOW_NONE);
  imsms_sdp_result r[3];
  char answer[2048];
  size_t i;

  for (i = 0; i < n; i++) {
    snprintf(answer, sizeof(answer),
             HDR "%sm=message 0 TCP/MSRP *\r\n"
                 "m=video 0 UDP/TLS/RTP/SAVP 31\r\n",
             bad[i]);
    ck_assert_int_eq(read_one(offer, olen, answer, &any, r, 3), 3);
    ck_assert_msg(r[0].mode == -1 &&
                      r[0].reason == IMSMS_SDP_REASON_BAD_ANSWER,
                  "case %zu: mode %d reason %d", i, r[0].mode, r[0].reason);
    ck_assert_uint_eq(r[0].pcfg, 0);
    ck_assert_uint_eq(r[0].nacaps, 0);
    ck_assert_uint_eq(r[0].crypto_tag, 0);
    ck_assert_ptr_null(r[0].key_mgmt.base);
  }
}

#define MA "m=audio 5000 RTP/SAVP 0\r\n"

/* The offerer holds the answer to the configuration it names. */
START_TEST(test_answer_read_checks_choice) {
  imsms_sdp_policy any = policy(IMSMS_SDP_POLICY_ALLOW_NONE,
                                IMSMS_SDP_POLICY_ALLOW_NONE);
  static const int only80[] = {IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80};
  static const char *const bad[] = {
      /* a=acfg naming the SDES configuration, with MIKEY */
      MA "a=key-mgmt:mikey " MIKEY_ANSWER "\r\na=acfg:2 t=1 a=3,4\r\n",
      /* a potential configuration taken without a=acfg */
      MA "a=key-mgmt:mikey " MIKEY_ANSWER "\r\n",
      /* a transport or capability the configuration lacks */
      MA "a=key-mgmt:mikey " MIKEY_ANSWER "\r\na=acfg:1 t=9 a=2\r\n",
      MA "a=key-mgmt:mikey " MIKEY_ANSWER "\r\na=acfg:1 t=1 a=3\r\n",
      MA "a=key-mgmt:mikey " MIKEY_ANSWER "\r\na=acfg:7 t=1 a=2\r\n",
  };
  static const char sdes2[] = HDR
      "m=audio 4000 RTP/SAVP 0\r\n"
      "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K_4568 "\r\n"
      "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" K_5939B "\r\n";
  imsms_sdes_crypto key;
  imsms_sdp_result r[3];
  char offer[8192], answer[2048];
  imsms_ssize olen;

  olen = make_offer(IMSMS_SDP_POLICY_ALLOW_NONE, offer, sizeof(offer), &key);
  ck_assert_int_gt(olen, 0);
  expect_bad_answers(offer, (size_t)olen, bad, sizeof(bad) / sizeof(bad[0]));
  snprintf(answer, sizeof(answer),
           HDR "m=audio 5000 RTP/SAVP 0\r\na=key-mgmt:mikey " MIKEY_ANSWER
               "\r\na=acfg:1 t=1 a=2\r\nm=message 0 TCP/MSRP *\r\n"
               "m=video 0 UDP/TLS/RTP/SAVP 31\r\n");
  ck_assert_int_eq(read_one(offer, (size_t)olen, answer, &any, r, 3), 3);
  ck_assert_int_eq(r[0].mode, IMSMS_SDP_MODE_E2E_KMS);
  ck_assert_uint_eq(r[0].pcfg, 1);
  ck_assert_uint_eq(r[0].tcap, 1);
  ck_assert_uint_eq(r[0].nacaps, 1);
  ck_assert_uint_eq(r[0].acaps[0], 2);
  /* An SDES answer in a suite the offerer's policy refuses. */
  ck_assert_int_eq(read_one(sdes2, sizeof(sdes2) - 1,
                            HDR "m=audio 5000 RTP/SAVP 0\r\na=crypto:2 "
                                "AES_CM_128_HMAC_SHA1_32 inline:" K_5939C
                                "\r\n",
                            &any, r, 1),
                   1);
  ck_assert_int_eq(r[0].mode, IMSMS_SDP_MODE_E2E_SDES);
  any.suites = only80;
  any.nsuites = 1;
  ck_assert_int_eq(read_one(sdes2, sizeof(sdes2) - 1,
                            HDR "m=audio 5000 RTP/SAVP 0\r\na=crypto:2 "
                                "AES_CM_128_HMAC_SHA1_32 inline:" K_5939C
                                "\r\n",
                            &any, r, 1),
                   1);
  ck_assert_int_eq(r[0].mode, -1);
  ck_assert_int_eq(r[0].reason, IMSMS_SDP_REASON_NO_SUITE);
  ck_assert_ptr_null(r[0].crypto.base);
  imsms_secure_clear(&key, sizeof(key));
}
END_TEST

/* MSRP e2ae needs the answer's own fingerprint on the line. */
START_TEST(test_answer_read_msrp_fingerprint) {
  imsms_sdp_policy p = policy(0, IMSMS_SDP_POLICY_PREFER_E2E);
  imsms_sdp_result r[2];

  ck_assert_int_eq(read_one(msrp_offer, strlen(msrp_offer),
                            HDR "a=fingerprint:" FP_SHA256 "\r\n"
                                "m=message 7000 TCP/TLS/MSRP *\r\n"
                                "m=message 0 TCP/TLS/MSRP *\r\n",
                            &p, r, 2),
                   2);
  ck_assert_int_eq(r[0].mode, -1);
  ck_assert_int_eq(r[0].reason, IMSMS_SDP_REASON_BAD_ANSWER);
  ck_assert_int_eq(read_one(msrp_offer, strlen(msrp_offer),
                            HDR "m=message 7000 TCP/TLS/MSRP *\r\n"
                                "a=fingerprint:" FP_SHA256 "\r\n"
                                "m=message 0 TCP/TLS/MSRP *\r\n",
                            &p, r, 2),
                   2);
  ck_assert_int_eq(r[0].mode, IMSMS_SDP_MODE_E2AE);
}
END_TEST

/* A protocol list too long for the result refuses e2e on that line only. */
START_TEST(test_long_protocol_list) {
  imsms_sdp_policy req = policy(IMSMS_SDP_POLICY_REQUIRE_E2E, 0);
  char offer[4096];
  imsms_sdp_result r[2];
  size_t len, i;

  len = (size_t)snprintf(offer, sizeof(offer),
                         HDR "m=audio 4000 RTP/SAVP 0\r\n"
                             "a=key-mgmt:mikey " MIKEY_OFFER "\r\n");
  for (i = 0; i < 7; i++) {
    len += (size_t)snprintf(offer + len, sizeof(offer) - len,
                            "a=key-mgmt:protocolnumberlong%zu AAEC\r\n", i);
  }
  snprintf(offer + len, sizeof(offer) - len,
           "m=audio 4002 RTP/SAVP 0\r\na=key-mgmt:mikey " MIKEY_OFFER
           "\r\n");
  ck_assert_int_eq(select_all(offer, &req, r, 2), 2);
  ck_assert_int_eq(r[0].mode, -1);
  ck_assert_int_eq(r[0].reason, IMSMS_SDP_REASON_E2E_REQUIRED);
  ck_assert_int_eq(r[1].mode, IMSMS_SDP_MODE_E2E_KMS);
  ck_assert_str_eq(r[1].ids, "mikey");
}
END_TEST

/* a=acfg names one alternative: every mandatory capability of it. */
START_TEST(test_acfg_alternatives) {
  static const char offer[] = HDR
      "m=audio 4000 RTP/AVP 0\r\n"
      "a=tcap:1 RTP/SAVP\r\n"
      "a=acap:1 crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K_4568 "\r\n"
      "a=acap:2 3ge2ae:requested\r\n"
      "a=pcfg:1 t=1 a=1,2|1\r\n";
  static const char *const acfg[] = {"a=1,2", "a=2,1", "a=1", "a=2"};
  static const int modes[] = {IMSMS_SDP_MODE_E2AE, IMSMS_SDP_MODE_E2AE,
                              IMSMS_SDP_MODE_E2E_SDES, -1};
  imsms_sdp_policy any = policy(IMSMS_SDP_POLICY_ALLOW_NONE, 0);
  char answer[1024];
  imsms_sdp_result r;
  size_t i;

  for (i = 0; i < 4; i++) {
    snprintf(answer, sizeof(answer),
             HDR "m=audio 5000 RTP/SAVP 0\r\na=crypto:1 "
                 "AES_CM_128_HMAC_SHA1_80 inline:" K_5939C
                 "\r\na=acfg:1 t=1 %s\r\n",
             acfg[i]);
    ck_assert_int_eq(read_one(offer, sizeof(offer) - 1, answer, &any, &r, 1),
                     1);
    ck_assert_msg(r.mode == modes[i], "%s: mode %d", acfg[i], r.mode);
  }
}
END_TEST

/* The offerer refuses answers that do not keep to the configuration they
 * name, or mix the attributes of two modes; a refused line keeps nothing
 * of the answer's choice. */
START_TEST(test_answer_read_strict) {
  imsms_sdp_policy any = policy(IMSMS_SDP_POLICY_ALLOW_NONE,
                                IMSMS_SDP_POLICY_ALLOW_NONE);
  static const char *const bad[] = {
      /* another transport than t=1 (RTP/SAVP) */
      "m=audio 5000 RTP/SAVPF 0\r\na=key-mgmt:mikey " MIKEY_ANSWER
      "\r\na=acfg:1 t=1 a=2\r\n",
      /* delete flags the configuration does not have */
      "m=audio 5000 RTP/SAVP 0\r\na=key-mgmt:mikey " MIKEY_ANSWER
      "\r\na=acfg:1 t=1 a=-ms:2\r\n",
      /* key-mgmt and a=crypto at once */
      "m=audio 5000 RTP/SAVP 0\r\na=key-mgmt:mikey " MIKEY_ANSWER
      "\r\na=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:" K_5939C
      "\r\na=acfg:1 t=1 a=2\r\n",
      /* key-mgmt with e2ae applied */
      "m=audio 5000 RTP/SAVP 0\r\na=key-mgmt:mikey " MIKEY_ANSWER
      "\r\na=3ge2ae:applied\r\na=acfg:1 t=1 a=2\r\n",
      /* e2ae applied without a key is not a one-way e2e answer */
      "m=audio 5000 RTP/SAVP 0\r\na=3ge2ae:applied\r\na=acfg:1 t=1 "
      "a=2\r\n",
      /* a tag that was not offered */
      "m=audio 5000 RTP/SAVP 0\r\na=crypto:3 AES_CM_128_HMAC_SHA1_80 "
      "inline:" K_5939C "\r\na=3ge2ae:applied\r\na=acfg:2 t=1 a=3,4\r\n",
  };
  imsms_sdes_crypto key;
  imsms_sdp_result r[3];
  char offer[8192], answer[2048];
  imsms_ssize olen;

  olen = make_offer(IMSMS_SDP_POLICY_ALLOW_NONE, offer, sizeof(offer), &key);
  ck_assert_int_gt(olen, 0);
  expect_bad_answers(offer, (size_t)olen, bad, sizeof(bad) / sizeof(bad[0]));
  /* The honest SDES answer to the same configuration. */
  snprintf(answer, sizeof(answer),
           HDR "m=audio 5000 RTP/SAVP 0\r\na=crypto:5 "
               "AES_CM_128_HMAC_SHA1_80 inline:" K_5939C
               "\r\na=3ge2ae:applied\r\na=acfg:2 t=1 a=3,4\r\n"
               "m=message 0 TCP/MSRP *\r\nm=video 0 UDP/TLS/RTP/SAVP 31\r\n");
  ck_assert_int_eq(read_one(offer, (size_t)olen, answer, &any, r, 3), 3);
  ck_assert_int_eq(r[0].mode, IMSMS_SDP_MODE_E2AE);
  ck_assert_uint_eq(r[0].crypto_tag, 5);
  imsms_secure_clear(&key, sizeof(key));
}
END_TEST

/* RFC 5939 3.6.2: a session-level capability is added at the session
 * level, where a media-level a=key-mgmt overrides it (RFC 4567 3.1). */
START_TEST(test_session_capability) {
  static const char *const offers[] = {
      HDR "a=acap:1 key-mgmt:mikey " MIKEY_OFFER "\r\n"
          "m=audio 4000 RTP/SAVP 0\r\na=pcfg:1 a=1\r\n",
      HDR "a=acap:1 key-mgmt:mikey " MIKEY_OFFER "\r\n"
          "m=audio 4000 RTP/SAVP 0\r\na=key-mgmt:keyp1 AAECAw==\r\n"
          "a=pcfg:1 a=1\r\n",
      HDR "a=acap:1 key-mgmt:mikey " MIKEY_OFFER "\r\n"
          "m=audio 4000 RTP/AVP 0\r\na=pcfg:1 a=1\r\n",
  };
  imsms_sdp_policy req = policy(IMSMS_SDP_POLICY_REQUIRE_E2E, 0);
  imsms_sdp_policy any = policy(IMSMS_SDP_POLICY_ALLOW_NONE, 0);
  imsms_sdp_result r;

  ck_assert_int_eq(select_all(offers[0], &req, &r, 1), 1);
  ck_assert_int_eq(r.mode, IMSMS_SDP_MODE_E2E_KMS);
  ck_assert_uint_eq(r.pcfg, 1);
  ck_assert_str_eq(r.ids, "mikey");
  ck_assert_int_eq(select_all(offers[1], &req, &r, 1), 1);
  ck_assert_int_eq(r.mode, -1);
  ck_assert_int_eq(r.reason, IMSMS_SDP_REASON_E2E_REQUIRED);
  /* Not applying to a plain profile, and no sign of tampering there. */
  ck_assert_int_eq(select_all(offers[2], &any, &r, 1), 1);
  ck_assert_int_eq(r.mode, IMSMS_SDP_MODE_NONE);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("sdp_nego");
  TCase *tc = tcase_create("nego");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_matrix);
  tcase_add_test(tc, test_sdes_several_crypto);
  tcase_add_test(tc, test_rfc5939_examples);
  tcase_add_test(tc, test_key_mgmt_levels);
  tcase_add_test(tc, test_msrp);
  tcase_add_test(tc, test_downgrade_offer);
  tcase_add_test(tc, test_downgrade_answer);
  tcase_add_test(tc, test_e2ae_through_pcscf);
  tcase_add_test(tc, test_bad_input);
  tcase_add_test(tc, test_truncated_offers);
  tcase_add_test(tc, test_session_key_mgmt);
  tcase_add_test(tc, test_offer_cap_limit);
  tcase_add_test(tc, test_answer_checks_results);
  tcase_add_test(tc, test_answer_msrp_material);
  tcase_add_test(tc, test_offer_checks_keys);
  tcase_add_test(tc, test_plain_profile_tampering);
  tcase_add_test(tc, test_capability_order);
  tcase_add_test(tc, test_answer_read_checks_choice);
  tcase_add_test(tc, test_answer_read_msrp_fingerprint);
  tcase_add_test(tc, test_long_protocol_list);
  tcase_add_test(tc, test_acfg_alternatives);
  tcase_add_test(tc, test_answer_read_strict);
  tcase_add_test(tc, test_session_capability);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return imsms_test_run(suite(), "check_sdp_nego");
}
