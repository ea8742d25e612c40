/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * libFuzzer harness: the call engine (call.h) fed damaged messages in
 * every state that takes one from outside, public API only, against a
 * real KMS engine (kms.h).
 *
 * Valid messages are made afresh for every input by running the real
 * exchange up to the message under test; the input then damages it, so
 * that mutations reach deep into the checks instead of dying at the
 * first byte. Input layout:
 *   byte 0      mode: 0 TRANSFER_INIT to a Responder, 1 REQUEST_RESP to
 *               an Initiator, 2 TRANSFER_RESP to an Initiator, 3 the rest
 *               of the input as it is, as a TRANSFER_INIT, 4 as a
 *               REQUEST_RESP, 5 as a TRANSFER_RESP (raw bytes), 6 a CSB
 *               update (RFC 6043 5.2) to the Responder of a completed
 *               call, 7 the answer to one, to the Initiator;
 *               bit 4 of byte 1: mode 6 asks for an answer;
 *   byte 1      bits 0-1: 0 keep the length, 1 cut to byte 2's share of
 *               it, 2 append the rest of the input, 3 both;
 *               bit 2: forking ticket (I) and G; bit 3: PRF MIKEY-1;
 *               bit 5: L and M (always on for modes 6 and 7);
 *               bit 6: modes 0 and 2 carry the message in SDP (the
 *               offer of imsms_call_sdp_offer() to
 *               imsms_call_sdp_offer_recv(), the answer of
 *               imsms_call_sdp_answer() to imsms_call_sdp_answer_recv()),
 *               and the SDP text is what gets damaged;
 *   byte 2      the cut, as a fraction of 256;
 *   then        edits of 3 bytes: offset (16 bits, modulo the length)
 *               and a byte XORed in.
 * Checked for every input:
 *  - imsms_call_recv() returns 0 or a negative code, never anything
 *    else; on failure the call is FAILED or in the state it was in (a
 *    message discarded, e.g. one of another data type);
 *  - an undamaged message completes the exchange (the harness itself is
 *    right); a Responder that got as far as the KMS and was answered is
 *    DONE with the keys of every session readable, or FAILED;
 *  - an Initiator that is DONE has the same master key as the Responder
 *    for every SRTP session when the TRANSFER_RESP was not damaged, and
 *    after an SDP answer, damaged or not;
 *  - the SDP helpers leave the call FAILED or as it was on failure;
 *  - a CSB update or its answer: accepted only undamaged (every byte is
 *    authenticated), the call stays DONE whatever happens (a forged
 *    update never ends a call), keys unchanged on refusal and agreeing
 *    on both sides after an undamaged exchange;
 *  - no call leaks: every object is deleted (LeakSanitizer).
 */
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/call.h>
#include <imsmediasec/kms.h>
#include <imsmediasec/sdp_nego.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MSG_MAX 8192

typedef struct ue {
  imsms_call *call;
  uint8_t to_kms[MSG_MAX], to_peer[MSG_MAX];
  size_t to_kms_len, to_peer_len;
} ue;

static imsms_ctx *kctx, *actx, *bctx;
static imsms_keyring *ring;
static imsms_kms *kms;
static imsms_id ALICE, BOB, KMSID;
static const uint8_t PSK_A[32] = "alice's 32-byte pre-shared key!";
static const uint8_t PSK_B[32] = "bob's 32-byte UE-KMS shared key";
static const imsms_tstamp NOW = (imsms_tstamp)0xeb8a2c80u << 32;
static uint8_t kout[MSG_MAX], msg[2 * MSG_MAX];
static ue A, B;

/* The SDP the two sides start from, and what went out. */
static const char OFFER_BASE[] = "v=0\r\no=alice 1 1 IN IP4 192.0.2.1\r\n"
                                 "s=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
                                 "m=audio 49170 RTP/AVP 0\r\n"
                                 "m=message 7394 TCP/MSRP *\r\n";
static const char ANSWER_BASE[] = "v=0\r\no=bob 2 2 IN IP4 192.0.2.2\r\n"
                                  "s=-\r\nc=IN IP4 192.0.2.2\r\nt=0 0\r\n"
                                  "m=audio 50000 RTP/AVP 0\r\n"
                                  "m=message 7395 TCP/MSRP *\r\n";
static char offer[2 * MSG_MAX];
static size_t offer_len;
static imsms_sdp_result res[4];
static size_t nres;

static imsms_sdp_policy e2e_policy(void) {
  imsms_sdp_policy p;

  memset(&p, 0, sizeof(p));
  p.version = IMSMS_SDP_POLICY_V1;
  p.audio = p.message = IMSMS_SDP_POLICY_REQUIRE_E2E;
  return p;
}

static imsms_id mkid(const char *s) {
  imsms_id id;

  id.type = IMSMS_MIKEY_ID_URI;
  id.data = (const uint8_t *)s;
  id.len = strlen(s);
  return id;
}

static int same(const imsms_id *a, const imsms_id *b) {
  return a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
}

static imsms_ssize lookup(imsms_kms *k, const imsms_id *idrpsk,
                          const imsms_id *peer, uint8_t *psk, size_t cap,
                          void *ud) {
  (void)k;
  (void)idrpsk;
  (void)ud;
  if (cap < 32 || !(same(peer, &ALICE) || same(peer, &BOB))) {
    return IMSMS_ERR_MIKEY_AUTH;
  }
  memcpy(psk, same(peer, &ALICE) ? PSK_A : PSK_B, 32);
  return 32;
}

static int send_kms(imsms_call *c, const uint8_t *m, size_t n, void *ud) {
  ue *u = ud;

  (void)c;
  if (n > MSG_MAX) {
    abort();
  }
  memcpy(u->to_kms, m, n);
  u->to_kms_len = n;
  return 0;
}

static int send_peer(imsms_call *c, const uint8_t *m, size_t n, void *ud) {
  ue *u = ud;

  (void)c;
  if (n > MSG_MAX) {
    abort();
  }
  memcpy(u->to_peer, m, n);
  u->to_peer_len = n;
  return 0;
}

static void setup(void) {
  static const uint8_t tpk[32] = "ticket protection key number 01";
  imsms_kms_callbacks cb;
  imsms_kms_config cfg;

  if (kctx != NULL) {
    return;
  }
  ALICE = mkid("sip:alice@example.net");
  BOB = mkid("sip:bob@example.net");
  KMSID = mkid("sip:kms.example.net");
  memset(&cb, 0, sizeof(cb));
  cb.version = IMSMS_KMS_CALLBACKS_V1;
  cb.psk_lookup = lookup;
  memset(&cfg, 0, sizeof(cfg));
  cfg.version = IMSMS_KMS_CONFIG_V1;
  cfg.identity = KMSID;
  if (imsms_ctx_new(&kctx, NULL, NULL, NULL, NULL) != 0 ||
      imsms_ctx_new(&actx, NULL, NULL, NULL, NULL) != 0 ||
      imsms_ctx_new(&bctx, NULL, NULL, NULL, NULL) != 0 ||
      imsms_keyring_new(&ring, kctx) != 0 ||
      imsms_keyring_add(ring, 1, tpk, sizeof(tpk)) != 0) {
    abort();
  }
  cfg.keyring = ring;
  if (imsms_kms_new(&kms, kctx, &cfg, &cb, NULL) != 0) {
    abort();
  }
}

static imsms_call_callbacks callbacks(void) {
  imsms_call_callbacks cb;

  memset(&cb, 0, sizeof(cb));
  cb.version = IMSMS_CALL_CALLBACKS_V1;
  cb.send_to_kms = send_kms;
  cb.send_to_peer = send_peer;
  return cb;
}

static void new_alice(uint8_t opts) {
  static const int suites[2] = {IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80,
                                IMSMS_SRTP_AEAD_AES_128_GCM};
  static imsms_call_session cs[3];
  static imsms_tp tp;
  imsms_call_callbacks cb = callbacks();
  imsms_call_config cfg;

  memset(&tp, 0, sizeof(tp));
  tp.version = IMSMS_TP_V1;
  tp.ticket_type = IMSMS_MIKEY_TICKET_MIKEY_BASE;
  tp.subtype = 1;
  tp.ticket_version = 1;
  tp.prf_func = (opts & 8) ? IMSMS_MIKEY_PRF_MIKEY_1
                           : IMSMS_MIKEY_PRF_HMAC_SHA256;
  tp.flags = IMSMS_TP_D | IMSMS_TP_E | IMSMS_TP_F | IMSMS_TP_H;
  if (opts & 4) {
    tp.flags |= IMSMS_TP_I | IMSMS_TP_G;
  }
  /* UE-supplied keys allowed: what CSB updates bring. */
  if (opts & 0x20) {
    tp.flags |= IMSMS_TP_L | IMSMS_TP_M;
  }
  tp.responders = &BOB;
  tp.nresponders = 1;
  memset(cs, 0, sizeof(cs));
  cs[0].cs_id = 1;
  cs[0].prot_type = IMSMS_MIKEY_PROT_SRTP;
  cs[0].has_ssrc = 1;
  cs[0].ssrc = 0x1111;
  cs[0].suites = suites;
  cs[0].nsuites = 1;
  cs[1].cs_id = 2;
  cs[1].prot_type = IMSMS_MIKEY_PROT_SRTP;
  cs[1].suites = suites;
  cs[1].nsuites = 2;
  cs[2].cs_id = 3;
  cs[2].prot_type = IMSMS_MIKEY_PROT_TLS;
  memset(&cfg, 0, sizeof(cfg));
  cfg.version = IMSMS_CALL_CONFIG_V1;
  cfg.identity = ALICE;
  cfg.kms = KMSID;
  cfg.psk = PSK_A;
  cfg.psklen = 32;
  cfg.tp = &tp;
  cfg.sessions = cs;
  cfg.nsessions = 3;
  if (imsms_call_new_initiator(&A.call, actx, &cfg, &cb, &A) != 0 ||
      ((opts & 0x40) && imsms_call_set_sdp_ids(A.call, "mikey", 5) != 0) ||
      imsms_call_start(A.call, NOW) != 0) {
    abort();
  }
}

/* Alice's SDP offer around her TRANSFER_INIT, into |offer|. */
static void alice_sdp_offer(void) {
  imsms_sdp_policy p = e2e_policy();
  imsms_ssize n;

  n = imsms_call_sdp_offer(A.call, OFFER_BASE, sizeof(OFFER_BASE) - 1, &p,
                           NULL, 0, offer, sizeof(offer), res, 4, &nres);
  if (n <= 0) {
    abort();
  }
  offer_len = (size_t)n;
}

/* An SDP helper's result: the number of media lines (a damaged body
 * may have any), or an error that left |c| FAILED or in state |st|. */
static int require_sdp_rv(imsms_ssize n, imsms_call *c, int st) {
  if (n < 0 && imsms_call_get_state(c) != IMSMS_CALL_FAILED &&
      imsms_call_get_state(c) != st) {
    abort();
  }
  return n < 0 ? (int)n : 0;
}

/* Bob takes the offer in |msg| (|len| bytes) through SDP. */
static int bob_sdp_offer(size_t len) {
  imsms_sdp_policy p = e2e_policy();
  int st = imsms_call_get_state(B.call);

  return require_sdp_rv(imsms_call_sdp_offer_recv(B.call, (const char *)msg,
                                                  len, &p, res, 4, &nres,
                                                  NOW),
                        B.call, st);
}

static void new_bob(void) {
  static const int suites[2] = {IMSMS_SRTP_AEAD_AES_128_GCM,
                                IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80};
  imsms_call_callbacks cb = callbacks();
  imsms_call_session fill;
  imsms_call_config cfg;

  memset(&fill, 0, sizeof(fill));
  fill.cs_id = 2;
  fill.ssrc = 0x2222;
  memset(&cfg, 0, sizeof(cfg));
  cfg.version = IMSMS_CALL_CONFIG_V1;
  cfg.identity = BOB;
  cfg.kms = KMSID;
  cfg.psk = PSK_B;
  cfg.psklen = 32;
  cfg.sessions = &fill;
  cfg.nsessions = 1;
  cfg.suites = suites;
  cfg.nsuites = 2;
  cfg.accept_tls = 1;
  if (imsms_call_new_responder(&B.call, bctx, &cfg, &cb, &B) != 0) {
    abort();
  }
}

/* The KMS answer to |u|'s pending message, into kout; its length. */
static size_t kms_answer(ue *u) {
  size_t outlen = 0;

  (void)imsms_kms_handle(kms, u->to_kms, u->to_kms_len, NOW, kout,
                         sizeof(kout), &outlen);
  u->to_kms_len = 0;
  return outlen;
}

/*
 * Damages |len| bytes of |m| as the input says; the new length.
 * |*changed| tells whether the bytes differ in the end (two edits of one
 * byte may cancel out).
 */
static size_t damage(uint8_t *m, size_t len, const uint8_t *in, size_t n,
                     int *changed) {
  static uint8_t orig[2 * MSG_MAX];
  size_t i, off, extra, len0 = len;
  uint8_t how = n > 1 ? in[1] : 0;

  memcpy(orig, m, len);
  if ((how & 1) && n > 2) {
    len = len * in[2] / 256;
  }
  for (i = 3; i + 2 < n && len > 0; i += 3) {
    off = (size_t)(in[i] | in[i + 1] << 8) % len;
    m[off] ^= in[i + 2];
  }
  if (how & 2) {
    extra = n > i ? n - i : 0;
    if (extra > MSG_MAX) {
      extra = MSG_MAX;
    }
    memcpy(m + len, in + n - extra, extra);
    len += extra;
  }
  *changed |= len != len0 || memcmp(m, orig, len) != 0;
  return len;
}

static void require_rv(int rv) {
  if (rv > 0) {
    abort();
  }
}

/* The keys of every session are readable, and agree when |both|. */
static void check_keys(int both) {
  imsms_cs_master ma, mb;
  imsms_msrp_psk p;
  uint8_t id;

  for (id = 1; id <= 2; id++) {
    if (imsms_call_cs_master(B.call, id, &mb) != 0) {
      abort();
    }
    if (both) {
      if (imsms_call_cs_master(A.call, id, &ma) != 0 ||
          ma.key_len != mb.key_len ||
          memcmp(ma.key, mb.key, ma.key_len) != 0) {
        abort();
      }
    }
  }
  if (imsms_call_msrp_psk(B.call, 3, &p) != 0) {
    abort();
  }
}

static void responder_case(const uint8_t *in, size_t n, int raw) {
  int changed = 0, rv, st, sdp = !raw && n > 1 && (in[1] & 0x40);
  size_t len;

  if (raw) {
    len = n > 1 ? n - 1 : 0;
    memcpy(msg, in + 1, len);
    changed = 1;
  } else {
    new_alice(n > 1 ? in[1] : 0);
    len = kms_answer(&A);
    if (imsms_call_recv(A.call, kout, len, NOW) != 0 || A.to_peer_len == 0) {
      abort();
    }
    if (sdp) {
      alice_sdp_offer();
      memcpy(msg, offer, offer_len);
      len = offer_len;
    } else {
      memcpy(msg, A.to_peer, A.to_peer_len);
      len = A.to_peer_len;
    }
    len = damage(msg, len, in, n, &changed);
  }
  new_bob();
  st = imsms_call_get_state(B.call);
  rv = sdp ? bob_sdp_offer(len) : imsms_call_recv(B.call, msg, len, NOW);
  require_rv(rv);
  if (rv != 0 && imsms_call_get_state(B.call) != IMSMS_CALL_FAILED &&
      imsms_call_get_state(B.call) != st) {
    abort();
  }
  if (rv == 0 && B.to_kms_len) {
    len = kms_answer(&B);
    rv = imsms_call_recv(B.call, kout, len, NOW);
    require_rv(rv);
    st = imsms_call_get_state(B.call);
    if (rv == 0 && st == IMSMS_CALL_DONE) {
      check_keys(0);
    } else if (rv != 0 && st != IMSMS_CALL_FAILED &&
               st != IMSMS_CALL_WAIT_RESOLVE_RESP) {
      abort();
    }
  }
  if (!changed && imsms_call_get_state(B.call) != IMSMS_CALL_DONE) {
    abort(); /* the undamaged offer must work */
  }
}

static void sdp_answer_to_alice(size_t len, int changed);

/* Bob's SDP answer (Bob DONE), into |msg|; its length. */
static size_t bob_sdp_answer(void) {
  imsms_ssize n = imsms_call_sdp_answer(B.call, ANSWER_BASE,
                                        sizeof(ANSWER_BASE) - 1, res, nres,
                                        NULL, 0, (char *)msg, MSG_MAX);

  if (n <= 0) {
    abort();
  }
  return (size_t)n;
}

static void initiator_case(const uint8_t *in, size_t n, int which, int raw) {
  int sdp = which == 2 && !raw && n > 1 && (in[1] & 0x40);
  int changed = 0, rv, st;
  size_t len;

  new_alice(n > 1 ? in[1] : 0);
  len = kms_answer(&A);
  if (which == 2) { /* run up to TRANSFER_RESP */
    new_bob();
    if (imsms_call_recv(A.call, kout, len, NOW) != 0) {
      abort();
    }
    if (sdp) {
      alice_sdp_offer();
      memcpy(msg, offer, offer_len);
    }
    if ((sdp ? bob_sdp_offer(offer_len)
             : imsms_call_recv(B.call, A.to_peer, A.to_peer_len, NOW)) != 0) {
      abort();
    }
    len = kms_answer(&B);
    if (imsms_call_recv(B.call, kout, len, NOW) != 0 || B.to_peer_len == 0) {
      abort();
    }
    memcpy(kout, B.to_peer, B.to_peer_len);
    len = B.to_peer_len;
  }
  if (sdp) {
    len = damage(msg, bob_sdp_answer(), in, n, &changed);
    sdp_answer_to_alice(len, changed);
    return;
  }
  if (raw) {
    len = n > 1 ? n - 1 : 0;
    memcpy(msg, in + 1, len);
    changed = 1;
  } else {
    memcpy(msg, kout, len);
    len = damage(msg, len, in, n, &changed);
  }
  st = imsms_call_get_state(A.call);
  rv = imsms_call_recv(A.call, msg, len, NOW);
  require_rv(rv);
  if (rv != 0 && imsms_call_get_state(A.call) != IMSMS_CALL_FAILED &&
      imsms_call_get_state(A.call) != st) {
    abort();
  }
  if (!changed && rv != 0) {
    abort(); /* the undamaged answer must work */
  }
  if (which == 2 && rv == 0 &&
      imsms_call_get_state(A.call) == IMSMS_CALL_DONE && !changed) {
    check_keys(1);
  }
}

/* Alice reads Bob's (maybe damaged) SDP answer of |len| bytes in |msg|:
 * undamaged it completes the call; whenever she is DONE, both hold the
 * same keys (the TRANSFER_RESP inside is authenticated). */
static void sdp_answer_to_alice(size_t len, int changed) {
  imsms_sdp_policy p = e2e_policy();
  int st = imsms_call_get_state(A.call), rv;

  rv = require_sdp_rv(imsms_call_sdp_answer_recv(A.call, offer, offer_len,
                                                 (const char *)msg, len, &p,
                                                 res, 4, &nres, NOW),
                      A.call, st);
  if (!changed && (rv != 0 || imsms_call_get_state(A.call) != IMSMS_CALL_DONE)) {
    abort();
  }
  if (imsms_call_get_state(A.call) == IMSMS_CALL_DONE) {
    check_keys(1);
  }
}

/* The master key of session 1 of |c| (first 16 bytes). */
static void key1(imsms_call *c, uint8_t out[16]) {
  imsms_cs_master m;

  if (imsms_call_cs_master(c, 1, &m) != 0 || m.key_len < 16) {
    abort();
  }
  memcpy(out, m.key, 16);
}

/* A completed call, then an update (|which| 6) or its answer (7). */
static void update_case(const uint8_t *in, size_t n, int which) {
  uint8_t before[16], after[16];
  int changed = 0, rv, answer = which == 7 || (n > 1 && (in[1] & 0x10));
  imsms_call *to;
  size_t len;

  new_alice((uint8_t)((n > 1 ? in[1] : 0) | 0x20));
  new_bob();
  len = kms_answer(&A);
  if (imsms_call_recv(A.call, kout, len, NOW) != 0 ||
      imsms_call_recv(B.call, A.to_peer, A.to_peer_len, NOW) != 0 ||
      imsms_call_recv(B.call, kout, kms_answer(&B), NOW) != 0 ||
      imsms_call_recv(A.call, B.to_peer, B.to_peer_len, NOW) != 0 ||
      imsms_call_get_state(A.call) != IMSMS_CALL_DONE) {
    abort();
  }
  A.to_peer_len = B.to_peer_len = 0;
  if (imsms_call_update(A.call, answer, NOW + 2) != 0) {
    abort();
  }
  memcpy(msg, A.to_peer, A.to_peer_len);
  len = A.to_peer_len;
  to = B.call;
  if (which == 7) {
    if (imsms_call_recv(B.call, msg, len, NOW + 2) != 0 || !B.to_peer_len) {
      abort();
    }
    memcpy(msg, B.to_peer, B.to_peer_len);
    len = B.to_peer_len;
    to = A.call;
  }
  key1(to, before);
  len = damage(msg, len, in, n, &changed);
  rv = imsms_call_recv(to, msg, len, NOW + 2);
  require_rv(rv);
  key1(to, after);
  if (imsms_call_get_state(to) != IMSMS_CALL_DONE || (changed && rv == 0) ||
      (!changed && rv != 0) ||
      (rv != 0 && memcmp(before, after, sizeof(before)) != 0)) {
    abort();
  }
  /* Undamaged: the exchange completes and both ends hold the new keys. */
  if (!changed) {
    if (which == 6 && answer &&
        imsms_call_recv(A.call, B.to_peer, B.to_peer_len, NOW + 2) != 0) {
      abort();
    }
    key1(A.call, before);
    key1(B.call, after);
    if (memcmp(before, after, sizeof(before)) != 0) {
      abort();
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t mode;

  setup();
  if (size == 0 || size > MSG_MAX) {
    return 0;
  }
  mode = data[0] % 8;
  if (mode == 0 || mode == 3) {
    responder_case(data, size, mode == 3);
  } else if (mode >= 6) {
    update_case(data, size, mode);
  } else {
    initiator_case(data, size, mode == 1 || mode == 4 ? 1 : 2, mode > 2);
  }
  imsms_call_del(A.call);
  imsms_call_del(B.call);
  memset(&A, 0, sizeof(A));
  memset(&B, 0, sizeof(B));
  return 0;
}
