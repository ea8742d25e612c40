/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * libFuzzer harness: the negotiation entry points (<imsmediasec/sdp_nego.h>)
 * on arbitrary bytes, public API only.
 *
 * The first two bytes pick the offerer's and the answerer's policies
 * (accepted modes for audio/video and for message lines; the top bit of
 * the second also sets IMSMS_SDP_F_SESSION_KEY_MGMT for the offerer);
 * the rest is an SDP body. Checked for every input:
 *  - imsms_sdp_answer_select() on the body: one result per media line,
 *    levels in order, a mode of -1 to 3 that is in the policy and in
 *    |offered|, reasons known, views inside the body, |ids| terminated;
 *  - imsms_sdp_answer_read() with the body as offer and answer runs to
 *    the same number of lines or fails as select does;
 *  - when the body can serve as a base (no owned attributes), an offer is
 *    built from it with fixed material; it passes imsms_sdp_check(), the
 *    answerer sees exactly the modes the offerer reported, the answer
 *    built on the body itself reads back at the offerer with the mode the
 *    answerer chose (ANSWERED), or PORT_ZERO for refused lines; failing
 *    builders leave their output untouched;
 *  - the body as a foreign offer: the answer built on its m-lines from
 *    the answerer's choice reads back at an allow-none offerer with the
 *    same modes; the same results with one field altered (as an
 *    application might) are refused or still give an SDP that passes
 *    imsms_sdp_check().
 * The input is copied to an exact-size heap buffer so that ASan sees any
 * read past its end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/sdp_nego.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXM IMSMS_SDP_MAX_MEDIA
#define OUT (IMSMS_SDP_MAX_LEN + 1024)

static imsms_ctx *ctx;
static char out[OUT], ans[OUT], keep[64];
static imsms_sdp_result ores[MAXM], ares[MAXM], rres[MAXM];

/* Aborts naming the broken invariant. */
#define require(cond)                                                          \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "fuzz_nego:%d: %s\n", __LINE__, #cond);                  \
      abort();                                                                 \
    }                                                                          \
  } while (0)

static void inside(imsms_sdp_vec v, const char *lo, size_t lolen) {
  if (v.len != 0) {
    require(v.base != NULL && v.base >= lo &&
            (size_t)(v.base - lo) <= lolen &&
            v.len <= lolen - (size_t)(v.base - lo));
  }
}

static imsms_sdp_policy policy(uint8_t b) {
  imsms_sdp_policy p;

  memset(&p, 0, sizeof(p));
  p.version = IMSMS_SDP_POLICY_V1;
  p.audio = p.video = p.other = b & 0xfu;
  p.message = b >> 4;
  return p;
}

static void check_results(const imsms_sdp_result *r, size_t n,
                          const imsms_sdp_policy *p, const char *sdp,
                          size_t len) {
  size_t i;

  for (i = 0; i < n; i++) {
    require(r[i].level == i + 1);
    require(r[i].mode >= -1 && r[i].mode <= IMSMS_SDP_MODE_E2E_KMS);
    require(imsms_sdp_reason_str(r[i].reason) != NULL);
    require(r[i].nacaps <= IMSMS_SDP_CFG_MAX_CAPS);
    require(memchr(r[i].ids, '\0', sizeof(r[i].ids)) != NULL);
    inside(r[i].key_mgmt, sdp, len);
    inside(r[i].crypto, sdp, len);
    if (r[i].mode >= 0) {
      unsigned bit = IMSMS_SDP_MODE_BIT(r[i].mode);

      require((r[i].offered & bit) != 0);
      require(((p->audio | p->message) & bit) != 0);
    }
  }
}

/* Fixed material: a TRANSFER_INIT stand-in, an SDES key per line, a
 * fingerprint. */
static const uint8_t mikey[] = "TRANSFER_INIT stand-in for the fuzzer";
static imsms_sdes_crypto keys[MAXM];
static imsms_sdp_media_keys mk[MAXM];

static void material(size_t n) {
  size_t i;

  for (i = 0; i < n; i++) {
    require(imsms_sdes_generate(ctx, &keys[i], (uint32_t)i + 1,
                                IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80) == 0);
    mk[i].level = i + 1;
    mk[i].crypto = &keys[i];
    mk[i].ncrypto = 1;
    mk[i].fingerprint = "sha-256 4A:AD:B9:B1:3F:82:18:3B";
    mk[i].fingerprint_len = 31;
  }
}

/* The answerer's key on each SDES line, as chosen. */
static void answer_keys(const imsms_sdp_result *r, size_t n) {
  size_t i;

  for (i = 0; i < n; i++) {
    if (r[i].mode == IMSMS_SDP_MODE_E2AE || r[i].mode == IMSMS_SDP_MODE_E2E_SDES) {
      if (r[i].kind == IMSMS_SDP_KIND_RTP) {
        require(imsms_sdes_generate(ctx, &keys[i], r[i].crypto_tag,
                                    r[i].suite) == 0);
      }
    }
  }
}

static void round_trip(const char *base, size_t len, size_t nmedia,
                       const imsms_sdp_policy *op,
                       const imsms_sdp_policy *ap) {
  imsms_ssize olen, alen, n;
  size_t nres, i;

  material(nmedia);
  memset(keep, 0x5a, sizeof(keep));
  memcpy(out, keep, sizeof(keep));
  olen = imsms_sdp_offer(out, OUT, base, len, op, mikey, sizeof(mikey), mk,
                         nmedia, ores, MAXM, &nres);
  if (olen < 0) {
    require(memcmp(out, keep, sizeof(keep)) == 0);
    return;
  }
  require(nres == nmedia);
  require(imsms_sdp_check(out, (size_t)olen) == (imsms_ssize)nmedia);
  n = imsms_sdp_answer_select(out, (size_t)olen, ap, ares, MAXM, &nres);
  require(n == (imsms_ssize)nmedia);
  check_results(ares, nres, ap, out, (size_t)olen);
  for (i = 0; i < nres; i++) {
    if (ores[i].kind != IMSMS_SDP_KIND_OTHER && ores[i].reason != IMSMS_SDP_REASON_PORT_ZERO) {
      require(ares[i].offered == ores[i].offered);
    }
  }
  answer_keys(ares, nres);
  alen = imsms_sdp_answer(ans, OUT, base, len, ares, nres, mikey,
                          sizeof(mikey), mk, nmedia);
  if (alen < 0) {
    return; /* e.g. a base line that cannot take the chosen profile */
  }
  n = imsms_sdp_answer_read(out, (size_t)olen, ans, (size_t)alen, op, rres,
                            MAXM, &nres);
  require(n == (imsms_ssize)nmedia);
  for (i = 0; i < nres; i++) {
    if (ares[i].kind == IMSMS_SDP_KIND_OTHER) {
      continue;
    }
    if (ares[i].mode < 0) {
      require(rres[i].reason == IMSMS_SDP_REASON_PORT_ZERO);
    } else {
      require(rres[i].mode == ares[i].mode);
      require(rres[i].reason == IMSMS_SDP_REASON_ANSWERED);
    }
  }
}

/* An answer base with the m-lines of |offer|. */
static size_t answer_base(char *base, size_t cap, const char *offer,
                          size_t len) {
  static const char hdr[] = "v=0\r\no=- 1 1 IN IP4 192.0.2.9\r\ns=-\r\n"
                            "c=IN IP4 192.0.2.9\r\nt=0 0\r\n";
  imsms_sdp_iter it;
  imsms_sdp_line l;
  size_t n = sizeof(hdr) - 1;

  memcpy(base, hdr, n);
  require(imsms_sdp_iter_init(&it, offer, len) == 0);
  while (imsms_sdp_iter_next(&it, &l) == 0) {
    if (l.type == 'm' && l.raw.len <= cap - n) {
      memcpy(base + n, l.raw.base, l.raw.len);
      n += l.raw.len;
    }
  }
  return n;
}

/* One field of a result changed to a value taken from |sel|. */
static void alter(imsms_sdp_result *r, size_t n, unsigned sel) {
  imsms_sdp_result *x = &r[(sel >> 4) % n];

  switch (sel & 0xf) {
  case 0: x->nacaps = (sel >> 8) & 0x1ff; break;
  case 1: x->pcfg = 0x7fffff00u + (sel >> 8); break;
  case 2: x->tcap = sel >> 8; break;
  case 3: x->del = (sel >> 8) & 7; break;
  case 4: x->mode = (int)((sel >> 8) & 7) - 2; break;
  case 5: x->proto = (int)((sel >> 8) & 15) - 1; break;
  case 6: x->acaps[(sel >> 8) % IMSMS_SDP_CFG_MAX_CAPS] = sel >> 12; break;
  case 7: x->kind = (int)((sel >> 8) & 3); break;
  case 8: x->level = (sel >> 8) & 0x7f; break;
  default: x->pcfg = (sel >> 8) & 3; break;
  }
}

static void answer_foreign(const char *offer, size_t len, size_t nmedia,
                           const imsms_sdp_policy *ap, unsigned sel) {
  static char base[OUT];
  imsms_sdp_policy any = policy(0xff);
  imsms_ssize alen, n;
  size_t blen, nres, i;

  if (imsms_sdp_answer_select(offer, len, ap, ares, MAXM, &nres) < 0) {
    return;
  }
  blen = answer_base(base, sizeof(base), offer, len);
  material(nmedia);
  answer_keys(ares, nres);
  alen = imsms_sdp_answer(ans, OUT, base, blen, ares, nres, mikey,
                          sizeof(mikey), mk, nmedia);
  if (alen >= 0) {
    require(imsms_sdp_check(ans, (size_t)alen) == (imsms_ssize)nmedia);
    n = imsms_sdp_answer_read(offer, len, ans, (size_t)alen, &any, rres,
                              MAXM, &nres);
    require(n == (imsms_ssize)nmedia);
    for (i = 0; i < nres; i++) {
      if (ares[i].kind != IMSMS_SDP_KIND_OTHER && ares[i].mode >= 0) {
        require(rres[i].mode == ares[i].mode);
      }
    }
  }
  if (nres == 0) {
    return;
  }
  alter(ares, nres, sel);
  memcpy(ans, keep, sizeof(keep));
  alen = imsms_sdp_answer(ans, OUT, base, blen, ares, nres, mikey,
                          sizeof(mikey), mk, nmedia);
  if (alen < 0) {
    require(memcmp(ans, keep, sizeof(keep)) == 0);
  } else {
    require(imsms_sdp_check(ans, (size_t)alen) == (imsms_ssize)nmedia);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  imsms_sdp_policy op, ap;
  imsms_sdp_result r[MAXM];
  imsms_ssize n, m;
  size_t nres;
  char *body;

  if (ctx == NULL && imsms_ctx_new(&ctx, NULL, NULL, NULL, NULL) != 0) {
    abort();
  }
  if (size < 2) {
    return 0;
  }
  op = policy(data[0]);
  ap = policy(data[1]);
  op.flags = (data[1] & 0x80) ? IMSMS_SDP_F_SESSION_KEY_MGMT : 0;
  size -= 2;
  body = malloc(size ? size : 1);
  require(body != NULL);
  memcpy(body, data + 2, size);
  n = imsms_sdp_answer_select(body, size, &ap, r, MAXM, &nres);
  if (n >= 0) {
    check_results(r, nres, &ap, body, size);
  }
  m = imsms_sdp_answer_read(body, size, body, size, &op, r, MAXM, &nres);
  /* Both read the same body; only select computes protocol lists. */
  require((n >= 0) == (m >= 0) || n == IMSMS_ERR_TOO_LARGE);
  if (n >= 0) {
    round_trip(body, size, (size_t)n, &op, &ap);
    answer_foreign(body, size, (size_t)n, &ap,
                   size ? (unsigned)(uint8_t)body[size / 2] * 0x1010101u ^
                              (unsigned)size
                        : 0);
  }
  free(body);
  return 0;
}
