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

static Suite *suite(void) {
  Suite *s = suite_create("sdp_nego");
  TCase *tc = tcase_create("nego");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_matrix);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return imsms_test_run(suite(), "check_sdp_nego");
}
