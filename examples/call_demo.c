/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * `make demo`: the KMS design of TR 33.828 6.1 in one process, narrated
 * for a newcomer. A KMS, Alice calling Bob whose two phones both ring
 * (forking), SRTP audio both ways through libsrtp2, a chat message over
 * MSRP's TLS-PSK with OpenSSL, lawful interception inside and outside a
 * warrant, a voicemail played back the next day, a three-party group
 * call, and a transcoder leg. Every packet must decrypt to what was
 * sent; the program exits 0 only then.
 *
 * The "network" is a queue per UE: the call engine hands every message
 * to a send callback; main() carries it to the KMS engine (as HTTP would)
 * or to the peer. The first call goes through the SDP negotiation
 * (imsms_call_sdp_offer() and friends): TRANSFER_INIT and TRANSFER_RESP
 * travel in the offer's and the answer's a=key-mgmt, each side choosing
 * the mode per media line from its policy.
 * Public API only. The clock is simulated: the library never reads one.
 */
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <srtp2/srtp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/call.h>
#include <imsmediasec/kms.h>
#include <imsmediasec/kms_policy.h>
#include <imsmediasec/sdp.h>
#include <imsmediasec/sdp_nego.h>
#include <imsmediasec/srtp2.h>

#define MSG_MAX 8192
#define SUITE IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80
#define CS_AUDIO_OUT 1 /* Alice to Bob */
#define CS_AUDIO_BACK 2 /* Bob to Alice */
#define CS_CHAT 3       /* MSRP over TLS-PSK */
#define SEC ((imsms_tstamp)1 << 32)

/* ---- Narration and failure ------------------------------------------- */

static int step;

static void say(const char *fmt, ...) {
  va_list ap;

  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  fputc('\n', stdout);
}

static void scene(const char *title) {
  printf("\n%d. %s\n", ++step, title);
}

static void check(int ok, const char *what) {
  if (!ok) {
    printf("FAILED: %s\n", what);
    exit(1);
  }
}

static void check_rv(int rv, const char *what) {
  if (rv != 0) {
    printf("FAILED: %s: %s\n", what, imsms_strerror(rv));
    exit(1);
  }
}

/* ---- Identities, the KMS --------------------------------------------- */

static imsms_id mkid(const char *s) {
  imsms_id id;

  id.type = IMSMS_MIKEY_ID_URI;
  id.data = (const uint8_t *)s;
  id.len = strlen(s);
  return id;
}

static imsms_id ALICE, BOB, CAROL, TRANSCODER, KMSID;
static const uint8_t PSK_ALICE[32] = "alice's 32-byte pre-shared key!";
static const uint8_t PSK_BOB[32] = "bob's 32-byte UE-KMS shared key";
static const uint8_t PSK_CAROL[32] = "carol's UE-KMS pre-shared key!!";
static const uint8_t PSK_TC[32] = "the transcoder's key to the KMS";
static const uint8_t TICKET_KEY[32] = "the KMS's ticket protection key";

typedef struct kms_node {
  imsms_ctx *ctx;
  imsms_keyring *ring;
  imsms_kms_policy *policy;
  imsms_kms *kms;
} kms_node;

static void kms_up(kms_node *k) {
  imsms_kms_nf nf;
  imsms_kms_callbacks cb;
  imsms_kms_config cfg;

  check_rv(imsms_ctx_new(&k->ctx, NULL, NULL, NULL, NULL), "KMS context");
  check_rv(imsms_keyring_new(&k->ring, k->ctx), "key ring");
  check_rv(imsms_keyring_add(k->ring, 1, TICKET_KEY, sizeof(TICKET_KEY)),
           "ticket key");
  check_rv(imsms_kms_policy_new(&k->policy, k->ctx, NULL), "policy");
  check_rv(imsms_kms_policy_add_user(k->policy, &ALICE, PSK_ALICE,
                                     sizeof(PSK_ALICE)),
           "user alice");
  check_rv(imsms_kms_policy_add_user(k->policy, &BOB, PSK_BOB,
                                     sizeof(PSK_BOB)),
           "user bob");
  check_rv(imsms_kms_policy_add_user(k->policy, &CAROL, PSK_CAROL,
                                     sizeof(PSK_CAROL)),
           "user carol");
  /* A network function: resolves the tickets of calls it serves. */
  memset(&nf, 0, sizeof(nf));
  nf.version = IMSMS_KMS_NF_V1;
  nf.identity = TRANSCODER;
  nf.role = IMSMS_KMS_NF_TRANSCODER;
  nf.ids = &ALICE;
  nf.nids = 1;
  check_rv(imsms_kms_policy_add_user(k->policy, &TRANSCODER, PSK_TC,
                                     sizeof(PSK_TC)),
           "the transcoder's key");
  check_rv(imsms_kms_policy_add_network_function(k->policy, &nf),
           "the transcoder's role");
  memset(&cb, 0, sizeof(cb));
  check_rv(imsms_kms_policy_callbacks(k->policy, &cb), "policy callbacks");
  memset(&cfg, 0, sizeof(cfg));
  cfg.version = IMSMS_KMS_CONFIG_V1;
  cfg.identity = KMSID;
  cfg.keyring = k->ring;
  cfg.deferred_grace_sec = 7 * 86400; /* voicemail kept a week */
  /* The policy is the engine's user data: its callbacks find it there. */
  check_rv(imsms_kms_new(&k->kms, k->ctx, &cfg, &cb, k->policy),
           "KMS engine");
}

static void kms_down(kms_node *k) {
  imsms_kms_del(k->kms);
  imsms_kms_policy_del(k->policy);
  imsms_keyring_del(k->ring);
  imsms_ctx_del(k->ctx);
}

/* ---- UEs and their queues -------------------------------------------- */

typedef struct ue {
  const char *name;
  imsms_ctx *ctx;
  imsms_call *call;
  uint8_t to_kms[MSG_MAX], to_peer[MSG_MAX];
  size_t to_kms_len, to_peer_len;
  int ready;
} ue;

static int send_to_kms(imsms_call *c, const uint8_t *m, size_t n, void *ud) {
  ue *u = ud;

  (void)c;
  if (n > sizeof(u->to_kms)) {
    return -1;
  }
  memcpy(u->to_kms, m, n);
  u->to_kms_len = n;
  return 0;
}

static int send_to_peer(imsms_call *c, const uint8_t *m, size_t n, void *ud) {
  ue *u = ud;

  (void)c;
  if (n > sizeof(u->to_peer)) {
    return -1;
  }
  memcpy(u->to_peer, m, n);
  u->to_peer_len = n;
  return 0;
}

static void keys_ready(imsms_call *c, uint8_t cs_id, void *ud) {
  ue *u = ud;

  (void)c;
  (void)cs_id;
  u->ready++;
}

static imsms_call_callbacks callbacks(void) {
  imsms_call_callbacks cb;

  memset(&cb, 0, sizeof(cb));
  cb.version = IMSMS_CALL_CALLBACKS_V1;
  cb.send_to_kms = send_to_kms;
  cb.send_to_peer = send_to_peer;
  cb.keys_ready = keys_ready;
  return cb;
}

static imsms_call_config config(const imsms_id *id, const uint8_t *psk,
                                size_t psklen) {
  imsms_call_config cfg;

  memset(&cfg, 0, sizeof(cfg));
  cfg.version = IMSMS_CALL_CONFIG_V1;
  cfg.identity = *id;
  cfg.kms = KMSID;
  cfg.psk = psk;
  cfg.psklen = psklen;
  return cfg;
}

/* The UE's message to the KMS, through the engine, answer back. */
static void kms_round(kms_node *k, ue *u, imsms_tstamp now) {
  static uint8_t out[MSG_MAX];
  size_t outlen = 0;

  check(u->to_kms_len > 0, "a message for the KMS");
  check_rv(imsms_kms_handle(k->kms, u->to_kms, u->to_kms_len, now, out,
                            sizeof(out), &outlen),
           "the KMS's answer");
  say("   %s -> KMS: %zu bytes; KMS -> %s: %zu bytes", u->name, u->to_kms_len,
      u->name, outlen);
  u->to_kms_len = 0;
  check_rv(imsms_call_recv(u->call, out, outlen, now), "the KMS's answer");
}

/* ---- SDP: how MIKEY travels in SIP ------------------------------------ */

/* The SDP each side starts from: audio and an MSRP chat, no keys yet. */
static const char ALICE_SDP[] =
    "v=0\r\n"
    "o=alice 2890844526 2890842807 IN IP6 2001:db8::1\r\n"
    "s=-\r\n"
    "c=IN IP6 2001:db8::1\r\n"
    "t=0 0\r\n"
    "m=audio 49170 RTP/AVP 96\r\n"
    "a=rtpmap:96 AMR-WB/16000\r\n"
    "m=message 2855 TCP/MSRP *\r\n"
    "a=accept-types:text/plain\r\n"
    "a=path:msrps://[2001:db8::1]:2855/iau39;tcp\r\n";
static const char BOB_SDP[] =
    "v=0\r\n"
    "o=bob 2890844730 2890844731 IN IP6 2001:db8::2\r\n"
    "s=-\r\n"
    "c=IN IP6 2001:db8::2\r\n"
    "t=0 0\r\n"
    "m=audio 50000 RTP/AVP 96\r\n"
    "a=rtpmap:96 AMR-WB/16000\r\n"
    "m=message 2856 TCP/MSRP *\r\n"
    "a=accept-types:text/plain\r\n"
    "a=path:msrps://[2001:db8::2]:2856/kd8s2;tcp\r\n";

/* A negotiation policy: the same set for audio and chat. */
static imsms_sdp_policy sdp_policy(unsigned set) {
  imsms_sdp_policy p;

  memset(&p, 0, sizeof(p));
  p.version = IMSMS_SDP_POLICY_V1;
  p.audio = p.video = p.message = set;
  return p;
}

/* Prints the outcome of the negotiation, one line per media line. */
static void show_modes(const imsms_sdp_result *r, size_t n) {
  size_t i;

  for (i = 0; i < n; i++) {
    say("     m-line %zu: %s (%s)", r[i].level,
        r[i].mode < 0 ? "refused" : imsms_sdp_mode_str(r[i].mode),
        imsms_sdp_reason_str(r[i].reason));
  }
}

/* The MIKEY message that applies to the audio of |sdp|, into |out|: what
 * the operator's lawful-interception tap takes from the signalling. */
static size_t sdp_take(const char *sdp, size_t sdplen, uint8_t *out,
                       size_t cap) {
  imsms_sdp_key_mgmt km[2];
  imsms_ssize n;
  size_t nkm = 0;

  check_rv(imsms_sdp_key_mgmt_list(sdp, sdplen, 1, km, 2, &nkm),
           "a=key-mgmt of the audio");
  check(nkm == 1 && km[0].prtcl_id.len == 5 &&
            memcmp(km[0].prtcl_id.base, "mikey", 5) == 0,
        "one a=key-mgmt:mikey");
  n = imsms_sdp_key_mgmt_decode(out, cap, &km[0]);
  check(n > 0, "base64 of a=key-mgmt");
  return (size_t)n;
}

/* Prints |sdp|, long lines cut for reading. */
static void show_sdp(const char *sdp, size_t len) {
  const char *p = sdp, *end = sdp + len, *eol;

  while (p < end && (eol = memchr(p, '\r', (size_t)(end - p))) != NULL) {
    if (eol - p > 64) {
      printf("     %.52s...(%d more)\n", p, (int)(eol - p - 52));
    } else {
      printf("     %.*s\n", (int)(eol - p), p);
    }
    p = eol + 2;
  }
}

/* ---- SRTP through libsrtp2 ------------------------------------------- */

static srtp_t srtp_for(const imsms_call *c, uint8_t cs_id,
                       const imsms_cs_master *given, srtp_ssrc_type_t type) {
  imsms_srtp2_keys store;
  imsms_cs_master m;
  srtp_policy_t pol;
  srtp_t s = NULL;

  if (given != NULL) {
    m = *given;
  } else {
    check_rv(imsms_call_cs_master(c, cs_id, &m), "master key");
  }
  check_rv(imsms_srtp2_policy(&pol, &store, SUITE, &m, 0, type, 0, 0),
           "libsrtp2 policy");
  check(srtp_create(&s, &pol) == srtp_err_status_ok, "srtp_create");
  imsms_secure_clear(&store, sizeof(store));
  imsms_secure_clear(&pol, sizeof(pol));
  imsms_secure_clear(&m, sizeof(m));
  return s;
}

static void put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

/* One RTP packet: 12-byte header, 160 bytes of "audio". */
static int rtp_packet(uint8_t *pkt, uint32_t ssrc, uint16_t seq) {
  int i;

  pkt[0] = 0x80;
  pkt[1] = 0x00;
  pkt[2] = (uint8_t)(seq >> 8);
  pkt[3] = (uint8_t)seq;
  put32(pkt + 4, 160u * seq);
  put32(pkt + 8, ssrc);
  for (i = 12; i < 172; i++) {
    pkt[i] = (uint8_t)(seq * 31 + i);
  }
  return 172;
}

/*
 * |npkts| packets from sequence number |first| protected by |tx|, given to |rx|: how many decrypt to
 * the original. A copy of the last protected packet goes to |tap|.
 */
static int audio(srtp_t tx, srtp_t rx, uint32_t ssrc, int first, int npkts,
                 uint8_t *tap, int *taplen) {
  uint8_t plain[256], pkt[256 + SRTP_MAX_TRAILER_LEN];
  int seq, len, ok = 0;

  for (seq = first; seq < first + npkts; seq++) {
    len = rtp_packet(plain, ssrc, (uint16_t)seq);
    memcpy(pkt, plain, (size_t)len);
    check(srtp_protect(tx, pkt, &len) == srtp_err_status_ok, "srtp_protect");
    if (tap != NULL) {
      memcpy(tap, pkt, (size_t)len);
      *taplen = len;
    }
    if (srtp_unprotect(rx, pkt, &len) == srtp_err_status_ok && len == 172 &&
        memcmp(pkt, plain, 172) == 0) {
      ok++;
    }
  }
  return ok;
}

/* ---- MSRP over TLS-PSK (TLS 1.2, OpenSSL) ----------------------------- */

static imsms_msrp_psk chat_client, chat_server;

static unsigned int psk_client(SSL *ssl, const char *hint, char *identity,
                               unsigned int max_id, unsigned char *psk,
                               unsigned int max_psk) {
  (void)ssl;
  (void)hint;
  if (chat_client.identity_len + 1 > max_id || max_psk < sizeof(chat_client.psk)) {
    return 0;
  }
  memcpy(identity, chat_client.identity, chat_client.identity_len + 1);
  memcpy(psk, chat_client.psk, sizeof(chat_client.psk));
  return sizeof(chat_client.psk);
}

static unsigned int psk_server(SSL *ssl, const char *identity,
                               unsigned char *psk, unsigned int max_psk) {
  (void)ssl;
  if (strcmp(identity, chat_server.identity) != 0 ||
      max_psk < sizeof(chat_server.psk)) {
    return 0;
  }
  memcpy(psk, chat_server.psk, sizeof(chat_server.psk));
  return sizeof(chat_server.psk);
}

static SSL *tls_end(SSL_CTX *sc, BIO *bio, int server) {
  SSL *s = SSL_new(sc);

  check(s != NULL, "SSL_new");
  SSL_set_bio(s, bio, bio);
  if (server) {
    SSL_set_accept_state(s);
  } else {
    SSL_set_connect_state(s);
  }
  return s;
}

/* Alice sends |text| as an MSRP SEND over TLS-PSK; Bob returns it. */
static void chat(const char *text, char *got, size_t cap) {
  SSL_CTX *cc = SSL_CTX_new(TLS_client_method());
  SSL_CTX *sc = SSL_CTX_new(TLS_server_method());
  BIO *b1 = NULL, *b2 = NULL;
  SSL *c, *s;
  char send[512];
  int i, n, len;

  check(cc && sc && BIO_new_bio_pair(&b1, 0, &b2, 0) == 1, "OpenSSL set-up");
  SSL_CTX_set_min_proto_version(cc, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(cc, TLS1_2_VERSION);
  SSL_CTX_set_cipher_list(cc, "PSK-AES128-GCM-SHA256");
  SSL_CTX_set_cipher_list(sc, "PSK-AES128-GCM-SHA256");
  SSL_CTX_set_psk_client_callback(cc, psk_client);
  SSL_CTX_set_psk_server_callback(sc, psk_server);
  c = tls_end(cc, b1, 0);
  s = tls_end(sc, b2, 1);
  for (i = 0; i < 20 && !(SSL_is_init_finished(c) && SSL_is_init_finished(s));
       i++) {
    SSL_do_handshake(c);
    SSL_do_handshake(s);
  }
  check(SSL_is_init_finished(c) && SSL_is_init_finished(s),
        "TLS-PSK handshake with the call's MSRP key");
  say("   TLS %s, %s, PSK identity \"%s\"", SSL_get_version(c),
      SSL_get_cipher_name(c), chat_client.identity);
  len = snprintf(send, sizeof(send),
                 "MSRP a786hjs2 SEND\r\n"
                 "To-Path: msrps://bob.example.net:2855/9di4eae923wzd;tcp\r\n"
                 "From-Path: msrps://alice.example.net:2855/iau39soe2843z;tcp\r\n"
                 "Message-ID: 87652491\r\n"
                 "Byte-Range: 1-%zu/%zu\r\n"
                 "Content-Type: text/plain\r\n\r\n%s\r\n-------a786hjs2$\r\n",
                 strlen(text), strlen(text), text);
  check(len > 0 && (size_t)len < sizeof(send), "MSRP SEND");
  check(SSL_write(c, send, len) == len, "SSL_write");
  n = SSL_read(s, got, (int)cap - 1);
  check(n == len && memcmp(got, send, (size_t)len) == 0,
        "MSRP SEND arrives intact");
  got[n] = 0;
  SSL_free(c);
  SSL_free(s);
  SSL_CTX_free(cc);
  SSL_CTX_free(sc);
}

/* ---- Lawful interception ---------------------------------------------- */

/* The TICKET of a captured TRANSFER_INIT; the IDRr and RANDRkms of the
 * captured TRANSFER_RESP. */
typedef struct capture {
  imsms_mikey_ticket ticket;
  imsms_id idrr;
  const uint8_t *randri, *randrkms;
  size_t randri_len, randrkms_len;
  int have_ticket;
} capture;

static void capture_msg(capture *cap, const uint8_t *m, size_t n) {
  imsms_mikey_msg msg;
  imsms_mikey_iter it;
  imsms_mikey_payload pl;

  check_rv(imsms_mikey_decode(&msg, m, n), "decode the captured message");
  imsms_mikey_iter_init(&it, &msg);
  while (imsms_mikey_iter_next(&it, &pl) == 0) {
    if (pl.type == IMSMS_MIKEY_PT_TICKET) {
      cap->ticket = pl.u.ticket;
      cap->have_ticket = 1;
    } else if (pl.type == IMSMS_MIKEY_PT_IDR &&
               pl.u.idr.role == IMSMS_MIKEY_IDR_R &&
               msg.hdr.data_type == IMSMS_MIKEY_TRANSFER_RESP) {
      cap->idrr.type = pl.u.idr.id_type;
      cap->idrr.data = pl.u.idr.data;
      cap->idrr.len = pl.u.idr.len;
    } else if (pl.type == IMSMS_MIKEY_PT_RANDR &&
               pl.u.randr.role == IMSMS_MIKEY_RANDR_KMS) {
      cap->randrkms = pl.u.randr.rand;
      cap->randrkms_len = pl.u.randr.len;
    } else if (pl.type == IMSMS_MIKEY_PT_RANDR &&
               pl.u.randr.role == IMSMS_MIKEY_RANDR_I) {
      cap->randri = pl.u.randr.rand;
      cap->randri_len = pl.u.randr.len;
    }
  }
}

/* The master key of |cs_id| from the TGK' the LI function handed out. */
static void li_master(imsms_ctx *ctx, const imsms_kms_li_out *lo,
                      const capture *cap, uint8_t cs_id, imsms_cs_master *m) {
  const imsms_srtp_suite_info *si = imsms_srtp_suite_get(SUITE);
  imsms_mikey_keydata kd;
  imsms_tek_params tp;

  check(lo->nkeys > 0, "a TGK");
  memset(&kd, 0, sizeof(kd));
  kd.type = lo->keys[0].type;
  kd.kv = lo->keys[0].spi_len ? IMSMS_MIKEY_KV_SPI : IMSMS_MIKEY_KV_NULL;
  kd.key = lo->keys[0].key;
  kd.key_len = lo->keys[0].key_len;
  kd.spi = lo->keys[0].spi;
  kd.spi_len = lo->keys[0].spi_len;
  memset(&tp, 0, sizeof(tp));
  tp.rfc = IMSMS_TEK_RFC6043;
  tp.prf_func = lo->prf_func;
  tp.randri = cap->randri;
  tp.randri_len = cap->randri_len;
  check_rv(imsms_cs_master_derive(ctx, &tp, &kd, cs_id, si->master_key_len,
                                  si->master_salt_len, m),
           "the intercepted call's master key");
}

/* ---- Voicemail: deferred delivery -------------------------------------- */

/*
 * Carol calls Bob, who does not answer: the INVITE is retargeted to the
 * voicemail server, which stores the offer and Carol's SRTP packets as
 * they arrive. It holds no key and resolves nothing. The next day Bob
 * plays the message: his phone takes the stored offer, resolves the
 * ticket (over its validity: the KMS allows a week) and decrypts the
 * stored packets as they are.
 */
#define VM_PKTS 25
static void voicemail(kms_node *kms, imsms_tstamp now) {
  static const int suites[1] = {SUITE};
  static uint8_t ti[MSG_MAX], pkt[VM_PKTS][256 + SRTP_MAX_TRAILER_LEN];
  static ue carol, player;
  imsms_call_callbacks cb = callbacks();
  imsms_call_session cs;
  imsms_call_config cfg;
  uint8_t plain[256];
  int len[VM_PKTS], i, ok = 0;
  size_t tilen;
  imsms_tp tp;
  srtp_t s;

  scene("Carol calls Bob, who does not answer: voicemail");
  carol.name = "Carol";
  player.name = "Bob's phone, next day";
  memset(&tp, 0, sizeof(tp));
  tp.version = IMSMS_TP_V1;
  tp.ticket_type = IMSMS_MIKEY_TICKET_MIKEY_BASE;
  tp.subtype = 1;
  tp.ticket_version = 1;
  tp.prf_func = IMSMS_MIKEY_PRF_HMAC_SHA256;
  /* H without F or G: no answer needed, Carol's RAND alone keys it. */
  tp.flags = IMSMS_TP_D | IMSMS_TP_E | IMSMS_TP_H;
  tp.has_end = 1;
  tp.end = now + 3600 * SEC;
  tp.responders = &BOB;
  tp.nresponders = 1;
  memset(&cs, 0, sizeof(cs));
  cs.cs_id = 1;
  cs.prot_type = IMSMS_MIKEY_PROT_SRTP;
  cs.has_ssrc = 1;
  cs.ssrc = 0xCA201;
  cs.suites = suites;
  cs.nsuites = 1;
  cfg = config(&CAROL, PSK_CAROL, sizeof(PSK_CAROL));
  cfg.tp = &tp;
  cfg.sessions = &cs;
  cfg.nsessions = 1;
  check_rv(imsms_ctx_new(&carol.ctx, NULL, NULL, NULL, NULL), "context");
  check_rv(imsms_call_new_initiator(&carol.call, carol.ctx, &cfg, &cb, &carol),
           "Carol's call");
  check_rv(imsms_call_start(carol.call, now), "Carol starts");
  kms_round(kms, &carol, now);
  check(imsms_call_get_state(carol.call) == IMSMS_CALL_DONE,
        "Carol's keys without an answer");
  tilen = carol.to_peer_len;
  memcpy(ti, carol.to_peer, tilen);
  s = srtp_for(carol.call, 1, NULL, ssrc_any_outbound);
  for (i = 0; i < VM_PKTS; i++) {
    len[i] = rtp_packet(pkt[i], cs.ssrc, (uint16_t)(i + 1));
    check(srtp_protect(s, pkt[i], &len[i]) == srtp_err_status_ok, "protect");
  }
  srtp_dealloc(s);
  say("   The voicemail server stored the offer (%zu bytes) and %d SRTP",
      tilen, VM_PKTS);
  say("   packets, still encrypted; it never had a key.");

  scene("The next day Bob plays his voicemail");
  now += 86400 * SEC;
  memset(&cs, 0, sizeof(cs));
  cs.cs_id = 1;
  cfg = config(&BOB, PSK_BOB, sizeof(PSK_BOB));
  cfg.suites = suites;
  cfg.nsuites = 1;
  cfg.sessions = &cs;
  cfg.nsessions = 1;
  cfg.max_age_sec = 7 * 86400; /* a stored offer may be a week old */
  check_rv(imsms_ctx_new(&player.ctx, NULL, NULL, NULL, NULL), "context");
  check_rv(imsms_call_new_responder(&player.call, player.ctx, &cfg, &cb,
                                    &player),
           "Bob's player");
  check_rv(imsms_call_recv(player.call, ti, tilen, now), "the stored offer");
  say("   The ticket ran out yesterday; the KMS allows a week of playback:");
  kms_round(kms, &player, now);
  check(player.ready == 1, "keys for the stored call");
  s = srtp_for(player.call, 1, NULL, ssrc_any_inbound);
  for (i = 0; i < VM_PKTS; i++) {
    rtp_packet(plain, 0xCA201, (uint16_t)(i + 1));
    if (srtp_unprotect(s, pkt[i], &len[i]) == srtp_err_status_ok &&
        len[i] == 172 && memcmp(pkt[i], plain, 172) == 0) {
      ok++;
    }
  }
  srtp_dealloc(s);
  say("   %d of %d stored packets decrypt to what Carol said; nothing was",
      ok, VM_PKTS);
  say("   ever re-encrypted.");
  check(ok == VM_PKTS, "every stored packet decrypts");
  imsms_call_del(carol.call);
  imsms_call_del(player.call);
  imsms_ctx_del(carol.ctx);
  imsms_ctx_del(player.ctx);
}

/* ---- Helpers for the later scenes --------------------------------------- */

static imsms_tp ticket_for(const imsms_id *resp, size_t n) {
  imsms_tp tp;

  memset(&tp, 0, sizeof(tp));
  tp.version = IMSMS_TP_V1;
  tp.ticket_type = IMSMS_MIKEY_TICKET_MIKEY_BASE;
  tp.subtype = 1;
  tp.ticket_version = 1;
  tp.prf_func = IMSMS_MIKEY_PRF_HMAC_SHA256;
  /* H without F: keys from the Initiator's RAND, no answer needed. */
  tp.flags = IMSMS_TP_D | IMSMS_TP_E | IMSMS_TP_H;
  tp.responders = resp;
  tp.nresponders = n;
  return tp;
}

static void srtp_cs(imsms_call_session *cs, uint8_t id, uint32_t ssrc) {
  static const int suites[1] = {SUITE};

  memset(cs, 0, sizeof(*cs));
  cs->cs_id = id;
  cs->prot_type = IMSMS_MIKEY_PROT_SRTP;
  cs->has_ssrc = 1;
  cs->ssrc = ssrc;
  cs->suites = suites;
  cs->nsuites = 1;
}

/* |u| calls with |tp| and |n| sessions; TRANSFER_INIT left in to_peer. */
static void start_call(kms_node *kms, ue *u, const imsms_id *id,
                       const uint8_t *psk, imsms_tp *tp,
                       const imsms_call_session *cs, size_t n,
                       imsms_tstamp now) {
  imsms_call_callbacks cb = callbacks();
  imsms_call_config cfg = config(id, psk, 32);

  cfg.tp = tp;
  cfg.sessions = cs;
  cfg.nsessions = n;
  check_rv(imsms_ctx_new(&u->ctx, NULL, NULL, NULL, NULL), "context");
  check_rv(imsms_call_new_initiator(&u->call, u->ctx, &cfg, &cb, u),
           "the caller's call");
  check_rv(imsms_call_start(u->call, now), "the call starts");
  kms_round(kms, u, now);
  check(imsms_call_get_state(u->call) == IMSMS_CALL_DONE, "caller's keys");
}

/* |u| (|id|) takes |offer| and resolves its ticket. */
static void join_call(kms_node *kms, ue *u, const imsms_id *id,
                      const uint8_t *psk, const uint8_t *offer, size_t len,
                      imsms_tstamp now) {
  static const int suites[1] = {SUITE};
  imsms_call_callbacks cb = callbacks();
  imsms_call_config cfg = config(id, psk, 32);
  imsms_call_session fill;

  memset(&fill, 0, sizeof(fill));
  fill.cs_id = 1;
  cfg.suites = suites;
  cfg.nsuites = 1;
  cfg.sessions = &fill;
  cfg.nsessions = 1;
  check_rv(imsms_ctx_new(&u->ctx, NULL, NULL, NULL, NULL), "context");
  check_rv(imsms_call_new_responder(&u->call, u->ctx, &cfg, &cb, u),
           "the callee's call");
  check_rv(imsms_call_recv(u->call, offer, len, now), "the offer");
  kms_round(kms, u, now);
  check(imsms_call_get_state(u->call) == IMSMS_CALL_DONE, "callee's keys");
}

static void end_call(ue *u) {
  imsms_call_del(u->call);
  imsms_ctx_del(u->ctx);
  memset(u, 0, sizeof(*u));
}

/* ---- A three-party group call ------------------------------------------ */

/*
 * One ticket names Bob and Carol; the offer goes to both. Everyone
 * holds the same keys, one crypto session per speaker: what one says,
 * both others decrypt.
 */
static void group_call(kms_node *kms, imsms_tstamp now) {
  static ue a, b, c;
  const imsms_id members[2] = {BOB, CAROL};
  static const uint32_t ssrc[3] = {0xA11CE, 0xB0B, 0xCA201};
  ue *party[3] = {&a, &b, &c};
  imsms_tp tp = ticket_for(members, 2);
  imsms_call_session cs[3];
  int i, j, ok;
  srtp_t tx, rx;

  scene("A three-party group call: Alice, Bob and Carol");
  a.name = "Alice";
  b.name = "Bob";
  c.name = "Carol";
  for (i = 0; i < 3; i++) {
    srtp_cs(&cs[i], (uint8_t)(i + 1), ssrc[i]);
  }
  start_call(kms, &a, &ALICE, PSK_ALICE, &tp, cs, 3, now);
  say("   One offer, one ticket naming Bob and Carol, sent to both:");
  join_call(kms, &b, &BOB, PSK_BOB, a.to_peer, a.to_peer_len, now + SEC);
  join_call(kms, &c, &CAROL, PSK_CAROL, a.to_peer, a.to_peer_len, now + SEC);
  for (i = 0; i < 3; i++) {
    for (j = 0; j < 3; j++) {
      if (i == j) {
        continue;
      }
      tx = srtp_for(party[i]->call, (uint8_t)(i + 1), NULL, ssrc_any_outbound);
      rx = srtp_for(party[j]->call, (uint8_t)(i + 1), NULL, ssrc_any_inbound);
      ok = audio(tx, rx, ssrc[i], 1, 20, NULL, NULL);
      say("   %s -> %s: %d of 20 packets decrypt", party[i]->name,
          party[j]->name, ok);
      check(ok == 20, "every group packet decrypts");
      srtp_dealloc(tx);
      srtp_dealloc(rx);
    }
  }
  for (i = 0; i < 3; i++) {
    end_call(party[i]);
  }
}

/* ---- A transcoder in the path ------------------------------------------ */

/* The transcoder's scope is Alice's calls: Carol's ticket is refused. */
static void out_of_scope(kms_node *kms, imsms_tstamp now) {
  static const int suites[1] = {SUITE};
  static ue c, tc;
  static uint8_t out[MSG_MAX];
  imsms_tp tp = ticket_for(&BOB, 1);
  imsms_call_callbacks cb = callbacks();
  imsms_call_config cfg = config(&TRANSCODER, PSK_TC, sizeof(PSK_TC));
  imsms_call_session cs;
  size_t outlen = 0;
  int rv;

  c.name = "Carol";
  srtp_cs(&cs, 1, 0xCA201);
  start_call(kms, &c, &CAROL, PSK_CAROL, &tp, &cs, 1, now);
  memset(&cs, 0, sizeof(cs));
  cs.cs_id = 1;
  cfg.suites = suites;
  cfg.nsuites = 1;
  cfg.sessions = &cs;
  cfg.nsessions = 1;
  check_rv(imsms_ctx_new(&tc.ctx, NULL, NULL, NULL, NULL), "context");
  check_rv(imsms_call_new_responder(&tc.call, tc.ctx, &cfg, &cb, &tc),
           "the transcoder's call");
  check_rv(imsms_call_recv(tc.call, c.to_peer, c.to_peer_len, now),
           "Carol's offer");
  rv = imsms_kms_handle(kms->kms, tc.to_kms, tc.to_kms_len, now, out,
                        sizeof(out), &outlen);
  say("   The transcoder asks for the keys of Carol's call to Bob, outside");
  say("   its scope: refused (%s)", imsms_strerror(rv));
  check(rv == IMSMS_ERR_KMS_DENIED, "a network function out of scope");
  end_call(&c);
  end_call(&tc);
}

/* The "codec change": another payload type and every sample mapped. */
static void transcode(uint8_t *pkt) {
  int i;

  pkt[1] = 0x08; /* PCMA */
  for (i = 12; i < 172; i++) {
    pkt[i] ^= 0x55;
  }
}

/*
 * Alice's phone speaks a codec Bob's does not. The transcoder in the
 * path resolves the ticket of Alice's leg as a network function (the
 * KMS policy allows it for Alice's calls), decrypts, converts, and
 * protects the second leg, a call of its own to Bob.
 */
static void transcoded_call(kms_node *kms, imsms_tstamp now) {
  static ue a, tc_in, tc_out, b;
  imsms_tp leg1 = ticket_for(&BOB, 1), leg2 = ticket_for(&BOB, 1);
  uint8_t plain[256], pkt[256 + SRTP_MAX_TRAILER_LEN];
  imsms_call_session cs;
  srtp_t a_tx, tc_rx, tc_tx, b_rx;
  int seq, len, ok = 0;

  scene("Alice calls Bob through a transcoder (a network function)");
  a.name = "Alice";
  tc_in.name = "Transcoder (Alice's leg)";
  tc_out.name = "Transcoder (Bob's leg)";
  b.name = "Bob";
  srtp_cs(&cs, 1, 0xA11CE);
  start_call(kms, &a, &ALICE, PSK_ALICE, &leg1, &cs, 1, now);
  join_call(kms, &tc_in, &TRANSCODER, PSK_TC, a.to_peer, a.to_peer_len,
            now + SEC);
  srtp_cs(&cs, 1, 0x7C0DE);
  start_call(kms, &tc_out, &TRANSCODER, PSK_TC, &leg2, &cs, 1, now + SEC);
  join_call(kms, &b, &BOB, PSK_BOB, tc_out.to_peer, tc_out.to_peer_len,
            now + 2 * SEC);
  a_tx = srtp_for(a.call, 1, NULL, ssrc_any_outbound);
  tc_rx = srtp_for(tc_in.call, 1, NULL, ssrc_any_inbound);
  tc_tx = srtp_for(tc_out.call, 1, NULL, ssrc_any_outbound);
  b_rx = srtp_for(b.call, 1, NULL, ssrc_any_inbound);
  for (seq = 1; seq <= 20; seq++) {
    len = rtp_packet(plain, 0xA11CE, (uint16_t)seq);
    memcpy(pkt, plain, (size_t)len);
    check(srtp_protect(a_tx, pkt, &len) == srtp_err_status_ok, "protect");
    check(srtp_unprotect(tc_rx, pkt, &len) == srtp_err_status_ok &&
              len == 172 && memcmp(pkt, plain, 172) == 0,
          "the transcoder decrypts Alice's leg");
    transcode(pkt);
    put32(pkt + 8, 0x7C0DE);
    check(srtp_protect(tc_tx, pkt, &len) == srtp_err_status_ok, "protect");
    transcode(plain);
    put32(plain + 8, 0x7C0DE);
    if (srtp_unprotect(b_rx, pkt, &len) == srtp_err_status_ok && len == 172 &&
        memcmp(pkt, plain, 172) == 0) {
      ok++;
    }
  }
  say("   Alice -> transcoder -> Bob: %d of 20 packets arrive converted", ok);
  check(ok == 20, "every transcoded packet decrypts at Bob");
  srtp_dealloc(a_tx);
  srtp_dealloc(tc_rx);
  srtp_dealloc(tc_tx);
  srtp_dealloc(b_rx);
  end_call(&a);
  end_call(&tc_in);
  end_call(&tc_out);
  end_call(&b);
  out_of_scope(kms, now + 3 * SEC);
}

/* ---- The scenario ------------------------------------------------------ */

int main(void) {
  static const int suites[1] = {SUITE};
  const imsms_tstamp now = imsms_tstamp_from_unix(1796083200, 0);
  imsms_call_session sessions[3], fill;
  imsms_call_config cfg;
  imsms_call_callbacks cb = callbacks();
  static ue alice, phone1, phone2;
  static uint8_t offer[MSG_MAX], answer[MSG_MAX], tap[512], chatbuf[512];
  static char offer_sdp[3 * MSG_MAX], answer_sdp[3 * MSG_MAX];
  size_t offer_len, answer_len, offer_sdplen, answer_sdplen, nres;
  imsms_sdp_result res[2];
  imsms_sdp_policy pol;
  imsms_ssize n;
  imsms_tp tp;
  kms_node kms;
  capture cap;
  imsms_kms_warrant w;
  imsms_kms_li_out lo;
  imsms_cs_master m;
  srtp_t tx, rx, eve;
  int ok, taplen = 0, rv;
  ue *u;

  alice.name = "Alice";
  phone1.name = "Bob's desk phone";
  phone2.name = "Bob's mobile";
  ALICE = mkid("sip:alice@example.net");
  BOB = mkid("sip:bob@example.net");
  CAROL = mkid("sip:carol@example.net");
  TRANSCODER = mkid("sip:transcoder@ims.example.net");
  KMSID = mkid("sip:kms.example.net");
  check(srtp_init() == srtp_err_status_ok, "srtp_init");

  say("libimsmediasec %s: IMS media security with a Key Management Server",
      imsms_version(0)->version_str);
  say("(3GPP TR 33.828 6.1 / TS 33.328, MIKEY-TICKET RFC 6043)");

  scene("The KMS starts");
  kms_up(&kms);
  say("   It knows three users, each sharing a key with it (from GBA in a");
  say("   real network): Alice, Bob and Carol; and a transcoder, a network");
  say("   function allowed to resolve the tickets of Alice's calls.");
  say("   It seals tickets with its ticket protection key #1; only it can");
  say("   open them.");

  scene("Alice calls Bob: she asks the KMS for a ticket (REQUEST_INIT)");
  memset(&tp, 0, sizeof(tp));
  tp.version = IMSMS_TP_V1;
  tp.ticket_type = IMSMS_MIKEY_TICKET_MIKEY_BASE;
  tp.subtype = 1;
  tp.ticket_version = 1;
  tp.prf_func = IMSMS_MIKEY_PRF_HMAC_SHA256;
  tp.flags = IMSMS_TP_D | IMSMS_TP_E | IMSMS_TP_F | IMSMS_TP_H | IMSMS_TP_I;
  tp.responders = &BOB;
  tp.nresponders = 1;
  memset(sessions, 0, sizeof(sessions));
  sessions[0].cs_id = CS_AUDIO_OUT;
  sessions[0].prot_type = IMSMS_MIKEY_PROT_SRTP;
  sessions[0].has_ssrc = 1;
  sessions[0].ssrc = 0xA11CE;
  sessions[0].suites = suites;
  sessions[0].nsuites = 1;
  sessions[1].cs_id = CS_AUDIO_BACK;
  sessions[1].prot_type = IMSMS_MIKEY_PROT_SRTP;
  sessions[1].suites = suites;
  sessions[1].nsuites = 1;
  sessions[2].cs_id = CS_CHAT;
  sessions[2].prot_type = IMSMS_MIKEY_PROT_TLS;
  cfg = config(&ALICE, PSK_ALICE, sizeof(PSK_ALICE));
  cfg.tp = &tp;
  cfg.sessions = sessions;
  cfg.nsessions = 3;
  check_rv(imsms_ctx_new(&alice.ctx, NULL, NULL, NULL, NULL), "context");
  check_rv(imsms_call_new_initiator(&alice.call, alice.ctx, &cfg, &cb, &alice),
           "Alice's call");
  /* The TRANSFER_INIT will travel in SDP: authenticate the list. */
  check_rv(imsms_call_set_sdp_ids(alice.call, "mikey", 5), "SDP IDs");
  check_rv(imsms_call_start(alice.call, now), "Alice starts");
  say("   Policy asked for: ticket for Bob, forking allowed (flag I): he");
  say("   may answer on any of his devices. Sessions: audio out, audio");
  say("   back, and an MSRP chat.");
  kms_round(&kms, &alice, now);
  say("   Alice now holds the ticket and the keys inside it; Bob has none.");

  scene("The INVITE carries the ticket (TRANSFER_INIT) and forks");
  check(alice.to_peer_len > 0, "TRANSFER_INIT");
  pol = sdp_policy(IMSMS_SDP_POLICY_REQUIRE_E2E);
  n = imsms_call_sdp_offer(alice.call, ALICE_SDP, strlen(ALICE_SDP), &pol,
                           NULL, 0, offer_sdp, sizeof(offer_sdp), res, 2,
                           &nres);
  check(n > 0, "Alice's SDP offer");
  offer_sdplen = (size_t)n;
  say("   Alice's policy: end to end through the KMS or nothing. The");
  say("   INVITE's SDP offer (TRANSFER_INIT, %zu bytes, in a=key-mgmt; its",
      alice.to_peer_len);
  say("   protocol list \"mikey\" is inside the MIKEY MAC, RFC 4567 4.1.4):");
  show_sdp(offer_sdp, offer_sdplen);
  offer_len = sdp_take(offer_sdp, offer_sdplen, offer, sizeof(offer));
  check(offer_len == alice.to_peer_len &&
            memcmp(offer, alice.to_peer, offer_len) == 0,
        "the offer survives SDP");
  memset(&cap, 0, sizeof(cap));
  capture_msg(&cap, offer, offer_len); /* the operator's LI tap */
  memset(&fill, 0, sizeof(fill));
  fill.cs_id = CS_AUDIO_BACK;
  fill.ssrc = 0xB0B;
  pol = sdp_policy(IMSMS_SDP_POLICY_PREFER_E2E);
  for (u = &phone1; u != NULL; u = u == &phone1 ? &phone2 : NULL) {
    cfg = config(&BOB, PSK_BOB, sizeof(PSK_BOB));
    cfg.suites = suites;
    cfg.nsuites = 1;
    cfg.accept_tls = 1;
    cfg.sessions = &fill;
    cfg.nsessions = 1;
    check_rv(imsms_ctx_new(&u->ctx, NULL, NULL, NULL, NULL), "context");
    check_rv(imsms_call_new_responder(&u->call, u->ctx, &cfg, &cb, u),
             "Bob's call");
    n = imsms_call_sdp_offer_recv(u->call, offer_sdp, offer_sdplen, &pol, res,
                                  2, &nres, now + SEC);
    check(n == 2, "the offer, negotiated");
    say("   %s (policy: prefer e2e, accept e2ae) picks:", u->name);
    show_modes(res, nres);
    check(res[0].mode == IMSMS_SDP_MODE_E2E_KMS &&
              res[1].mode == IMSMS_SDP_MODE_E2E_KMS,
          "e2e for audio and chat");
    say("   and asks the KMS to resolve the ticket:");
    kms_round(&kms, u, now + SEC);
    check(u->ready == 3, "keys for every session");
  }
  say("   Both phones hold keys, forked per device (RFC 6043 5.1.1): they");
  say("   differ, so the phone that does not answer cannot listen in.");

  scene("Bob answers on his desk phone (TRANSFER_RESP to Alice)");
  check(phone1.to_peer_len > 0, "TRANSFER_RESP");
  n = imsms_call_sdp_answer(phone1.call, BOB_SDP, strlen(BOB_SDP), res, nres,
                            NULL, 0, answer_sdp, sizeof(answer_sdp));
  check(n > 0, "the SDP answer");
  answer_sdplen = (size_t)n;
  answer_len = sdp_take(answer_sdp, answer_sdplen, answer, sizeof(answer));
  say("   The 200 OK's SDP answer carries TRANSFER_RESP (%zu bytes):",
      answer_len);
  show_sdp(answer_sdp, answer_sdplen);
  capture_msg(&cap, answer, answer_len);
  pol = sdp_policy(IMSMS_SDP_POLICY_REQUIRE_E2E);
  n = imsms_call_sdp_answer_recv(alice.call, offer_sdp, offer_sdplen,
                                 answer_sdp, answer_sdplen, &pol, res, 2,
                                 &nres, now + 2 * SEC);
  check(n == 2, "Alice reads the answer");
  show_modes(res, nres);
  check(imsms_call_get_state(alice.call) == IMSMS_CALL_DONE &&
            alice.ready == 3,
        "Alice's keys");
  say("   Alice derives the same forked keys as the desk phone.");

  scene("Voice both ways over SRTP (libsrtp2)");
  tx = srtp_for(alice.call, CS_AUDIO_OUT, NULL, ssrc_any_outbound);
  rx = srtp_for(phone1.call, CS_AUDIO_OUT, NULL, ssrc_any_inbound);
  eve = srtp_for(phone2.call, CS_AUDIO_OUT, NULL, ssrc_any_inbound);
  ok = audio(tx, rx, 0xA11CE, 1, 50, tap, &taplen);
  say("   Alice -> desk phone: %d of 50 packets decrypt to the original", ok);
  check(ok == 50, "every packet Alice sent decrypts at Bob's desk phone");
  ok = audio(tx, eve, 0xA11CE, 51, 1, NULL, NULL);
  say("   Alice -> mobile (not answered): %d of 1 decrypt (it must be 0)",
      ok);
  check(ok == 0, "the mobile cannot decrypt");
  srtp_dealloc(tx);
  srtp_dealloc(rx);
  srtp_dealloc(eve);
  tx = srtp_for(phone1.call, CS_AUDIO_BACK, NULL, ssrc_any_outbound);
  rx = srtp_for(alice.call, CS_AUDIO_BACK, NULL, ssrc_any_inbound);
  ok = audio(tx, rx, 0xB0B, 1, 50, NULL, NULL);
  say("   desk phone -> Alice: %d of 50 packets decrypt to the original", ok);
  check(ok == 50, "every packet Bob sent decrypts at Alice");
  srtp_dealloc(tx);
  srtp_dealloc(rx);

  scene("A chat message over MSRP, TLS-PSK keyed by the call (OpenSSL)");
  check_rv(imsms_call_msrp_psk(alice.call, CS_CHAT, &chat_client), "PSK");
  check_rv(imsms_call_msrp_psk(phone1.call, CS_CHAT, &chat_server), "PSK");
  chat("Running late, start without me", (char *)chatbuf, sizeof(chatbuf));
  say("   Bob's desk phone got: \"Running late, start without me\"");
  imsms_secure_clear(&chat_client, sizeof(chat_client));
  imsms_secure_clear(&chat_server, sizeof(chat_server));

  scene("Lawful interception, invisible to Alice and Bob");
  check(cap.have_ticket && cap.idrr.len && cap.randrkms_len, "the capture");
  memset(&w, 0, sizeof(w));
  w.version = IMSMS_KMS_WARRANT_V1;
  w.target = BOB;
  w.start = now - 3600 * SEC;
  w.end = now + 3600 * SEC;
  rv = imsms_kms_li_keys(kms.kms, &w, &cap.ticket, &cap.idrr, cap.randrkms,
                         cap.randrkms_len, now + 3 * SEC, &lo);
  check_rv(rv, "keys under a warrant on Bob");
  li_master(kms.ctx, &lo, &cap, CS_AUDIO_OUT, &m);
  rx = srtp_for(NULL, 0, &m, ssrc_any_inbound);
  rtp_packet(chatbuf, 0xA11CE, 50); /* what Alice said last */
  ok = srtp_unprotect(rx, tap, &taplen) == srtp_err_status_ok &&
       taplen == 172 && memcmp(tap, chatbuf, 172) == 0;
  say("   Warrant on Bob, in force now: keys handed over; the tapped");
  say("   packet decrypts: %s", ok ? "yes" : "no");
  check(ok, "the interception decrypts the tapped packet");
  srtp_dealloc(rx);
  imsms_secure_clear(&m, sizeof(m));
  imsms_secure_clear(&lo, sizeof(lo));
  w.start = now - 48 * 3600 * SEC;
  w.end = now - 24 * 3600 * SEC;
  rv = imsms_kms_li_keys(kms.kms, &w, &cap.ticket, &cap.idrr, cap.randrkms,
                         cap.randrkms_len, now + 3 * SEC, &lo);
  say("   Warrant that expired yesterday: refused (%s)", imsms_strerror(rv));
  check(rv == IMSMS_ERR_TICKET_EXPIRED, "an expired warrant is refused");

  voicemail(&kms, now + 600 * SEC);

  group_call(&kms, now + 700 * SEC);
  transcoded_call(&kms, now + 800 * SEC);

  imsms_call_del(alice.call);
  imsms_call_del(phone1.call);
  imsms_call_del(phone2.call);
  imsms_ctx_del(alice.ctx);
  imsms_ctx_del(phone1.ctx);
  imsms_ctx_del(phone2.ctx);
  kms_down(&kms);
  srtp_shutdown();
  say("\nAll checks passed.");
  return 0;
}
