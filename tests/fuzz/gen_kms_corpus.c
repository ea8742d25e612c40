/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Writes the seed corpora of fuzz_kms to DIR/kms/ and of fuzz_ticket to
 * DIR/ticket/, each file named by the SHA-256 of its contents in hex
 * (style rule 18). A kms seed is one control byte (see fuzz_kms.c: mode
 * in bits 0-1, policy engine in bit 6, short output buffer in bit 7),
 * then a message built by the test UE
 * (tests/kms_test_ue.c) with T = the "now" of fuzz_psk.h under its PSK:
 *
 *  - REQUEST_INIT_PSK for both PRFs: plain (D E F H, one responder),
 *    forking (I) for a user and a group, a KEMAC template of TEK+SALT,
 *    GTGK and TGK+SALT with IDRapp and a validity window and no IDRkms
 *    (the engine's identity goes into the MAC), with IDRpsk (PRF MIKEY-1
 *    only), the policy engine, a short output buffer;
 *  - RESOLVE_INIT_PSK of the tickets the KMS issued for them, with the
 *    Initiator Data the Initiator adds to forking tickets: by the
 *    responder, by a group member, by the recorder network function
 *    (policy engine), a forking ticket without Initiator Data, and mode
 *    3 copies whose ticket KEMAC holds the plaintext key data.
 *
 * A ticket seed is one control byte (see fuzz_ticket.c) and one payload
 * of those messages: the TP of the plain and the template requests, the
 * TICKET of the plain, forking and template resolves (V fixed; also
 * with lawful interception on Alice and on Bob's fork), and the last two
 * with their KEMAC in plaintext.
 *
 * usage: gen_kms_corpus DIR    (normally tests/fuzz/corpus)
 *
 * The key ring (TPK ids 1 and 2, 1 active) must be fuzz_kms.c's, and the
 * context uses the deterministic test provider (tests/det_provider.c):
 * running it again writes the same files. Every message is checked to
 * be answered by an engine like the harness's before it is written.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <imsmediasec/kms.h>
#include <imsmediasec/ticket.h>

#include "det_provider.h"
#include "fuzz_psk.h"
#include "kms_test_ue.h"
#include "mikey/codec.h"

/* Must match fuzz_kms.c. */
static const uint8_t tpk1[32] = "fuzz ticket protection key #1..";
static const uint8_t tpk2[16] = "fuzz TPK two...";
#define KMS_ID_S "kms.example.net"

#define OUTCAP 8192
#define MODE_RAW 0x00
#define MODE_MAC 0x01
#define MODE_TICKET 0x02
#define MODE_PLAIN 0x03
#define POLICY 0x40
/* fuzz_ticket control bits: V fixed, plaintext KEMAC, TP payload. */
#define TICKET_FIX 0x01
#define TICKET_PLAIN 0x02
#define TICKET_TP 0x04
/* fuzz_ticket: lawful interception on Alice, or on Bob's fork. */
#define TICKET_LI_ALICE 0x08
#define TICKET_LI_BOB_FORK (0x08 | 0x10 | 0x40)
#define SHORT_OUT(n) (0x80 | ((n) << 2))

#define FLAGS (IMSMS_TP_D | IMSMS_TP_E | IMSMS_TP_F | IMSMS_TP_H)
#define FORK (FLAGS | IMSMS_TP_I)

static imsms_ctx *ctx;
static imsms_keyring *ring;
static imsms_kms *kms;
static const char *top;
static size_t written;
static imsms_id KMSID, ALICE, BOB, CAROL, TEAM, REC, BTID, APP;

static void die(const char *what, int rv) {
  fprintf(stderr, "gen_kms_corpus: %s: %s\n", what,
          rv ? imsms_strerror(rv) : strerror(errno));
  exit(1);
}

static imsms_id mkid(const char *s, uint8_t type) {
  imsms_id id;

  id.type = type;
  id.data = (const uint8_t *)s;
  id.len = strlen(s);
  return id;
}

static void *libc_malloc(size_t n, void *ud) {
  (void)ud;
  return malloc(n);
}
static void libc_free(void *p, void *ud) {
  (void)ud;
  free(p);
}
static void *libc_calloc(size_t m, size_t n, void *ud) {
  (void)ud;
  return calloc(m, n);
}
static void *libc_realloc(void *p, size_t n, void *ud) {
  (void)ud;
  return realloc(p, n);
}

/* SHA-256 through the default provider's vtable (public crypto.h). */
static void sha256_hex(const uint8_t *in, size_t len, char hex[65]) {
  static const imsms_mem mem = {NULL, libc_malloc, libc_free, libc_calloc,
                                libc_realloc};
  const imsms_crypto_provider *p = imsms_crypto_default();
  uint8_t d[IMSMS_SHA256_LEN];
  void *state = NULL;
  int rv, i;

  if (p->init && (rv = p->init(p, &mem, &state)) != 0) {
    die("provider init", rv);
  }
  if ((rv = p->sha256(state, in, len, d)) != 0) {
    die("sha256", rv);
  }
  if (p->cleanup) {
    p->cleanup(state);
  }
  for (i = 0; i < IMSMS_SHA256_LEN; i++) {
    snprintf(hex + 2 * i, 3, "%02x", d[i]);
  }
}

static void make_dir(const char *path) {
  if (mkdir(path, 0777) != 0 && errno != EEXIST) {
    die(path, 0);
  }
}

/* Writes control byte |ctl| || |msg| to DIR/|sub|/. */
static void put_in(const char *sub, uint8_t ctl, const uint8_t *msg,
                   size_t len) {
  static uint8_t data[1 + KMS_UE_MSG];
  char path[4096], hex[65];
  FILE *f;

  data[0] = ctl;
  memcpy(data + 1, msg, len);
  sha256_hex(data, len + 1, hex);
  snprintf(path, sizeof(path), "%s/%s/%s", top, sub, hex);
  f = fopen(path, "wb");
  if (f == NULL || fwrite(data, 1, len + 1, f) != len + 1 || fclose(f) != 0) {
    die(path, 0);
  }
  written++;
}

/*
 * A fuzz_ticket seed: |ctl| || the last TP or TICKET payload of the
 * message |msg| as it is encoded there (next-payload byte first).
 */
static void put_payload(uint8_t ctl, const uint8_t *msg, size_t len) {
  uint8_t type = (ctl & TICKET_TP) ? IMSMS_MIKEY_PT_TP : IMSMS_MIKEY_PT_TICKET;
  imsms_mikey_payload pl[40];
  const imsms_mikey_payload *p = NULL;
  imsms_mikey_msg m;
  imsms_ssize n = imsms_mikey_decode_all(&m, pl, 40, msg, len);
  size_t i;

  for (i = 0; n > 0 && i < (size_t)n; i++) {
    p = pl[i].type == type ? &pl[i] : p;
  }
  if (p == NULL) {
    die("put_payload", n < 0 ? (int)n : IMSMS_ERR_MIKEY_MISSING);
  }
  put_in("ticket", ctl, p->raw, p->rawlen);
}

static void put(uint8_t ctl, const uint8_t *msg, size_t len) {
  put_in("kms", ctl, msg, len);
}

static imsms_ssize psk_lookup(imsms_kms *k, const imsms_id *idrpsk,
                              const imsms_id *peer, uint8_t *psk, size_t cap,
                              void *ud) {
  (void)k;
  (void)idrpsk;
  (void)peer;
  (void)ud;
  if (cap < IMSMS_FUZZ_PSK_LEN) {
    return IMSMS_ERR_CALLBACK_FAILURE;
  }
  memcpy(psk, IMSMS_FUZZ_PSK, IMSMS_FUZZ_PSK_LEN);
  return IMSMS_FUZZ_PSK_LEN;
}

static int same(const imsms_id *a, const imsms_id *b) {
  return a->len == b->len && a->type == b->type &&
         memcmp(a->data, b->data, a->len) == 0;
}

static int is_member(imsms_kms *k, const imsms_id *group, const imsms_id *u,
                     void *ud) {
  (void)k;
  (void)ud;
  return same(group, &TEAM) && (same(u, &BOB) || same(u, &CAROL));
}

static void setup(void) {
  static imsms_det_provider dp;
  imsms_kms_callbacks cb;
  imsms_kms_config cfg;
  int rv;

  KMSID = mkid(KMS_ID_S, IMSMS_MIKEY_ID_NAI);
  ALICE = mkid("sip:alice@example.net", IMSMS_MIKEY_ID_URI);
  BOB = mkid("sip:bob@example.net", IMSMS_MIKEY_ID_URI);
  CAROL = mkid("sip:carol@example.net", IMSMS_MIKEY_ID_URI);
  TEAM = mkid("sip:team@example.net", IMSMS_MIKEY_ID_URI);
  REC = mkid("sip:rec@example.net", IMSMS_MIKEY_ID_URI);
  BTID = mkid("btid-alice@bsf.example.net", IMSMS_MIKEY_ID_NAI);
  APP = mkid("urn:app:voice", IMSMS_MIKEY_ID_URI);
  imsms_det_provider_init(&dp, 0x6b6d73u);
  if ((rv = imsms_ctx_new(&ctx, NULL, &dp.vt, NULL, NULL)) != 0 ||
      (rv = imsms_keyring_new(&ring, ctx)) != 0 ||
      (rv = imsms_keyring_add(ring, 1, tpk1, sizeof(tpk1))) != 0 ||
      (rv = imsms_keyring_add(ring, 2, tpk2, sizeof(tpk2))) != 0) {
    die("setup", rv);
  }
  memset(&cb, 0, sizeof(cb));
  cb.version = IMSMS_KMS_CALLBACKS_V1;
  cb.psk_lookup = psk_lookup;
  cb.is_member = is_member;
  memset(&cfg, 0, sizeof(cfg));
  cfg.version = IMSMS_KMS_CONFIG_V1;
  cfg.identity = KMSID;
  cfg.keyring = ring;
  cfg.skew_sec = IMSMS_FUZZ_SKEW_SEC;
  if ((rv = imsms_kms_new(&kms, ctx, &cfg, &cb, NULL)) != 0) {
    die("imsms_kms_new", rv);
  }
}

static kms_ue ue_for(const imsms_id *id, uint8_t prf) {
  kms_ue ue;

  memset(&ue, 0, sizeof(ue));
  ue.ctx = ctx;
  ue.prf_func = prf;
  ue.id = *id;
  ue.kms = KMSID;
  ue.mac_kms = KMSID;
  ue.psk = IMSMS_FUZZ_PSK;
  ue.psklen = IMSMS_FUZZ_PSK_LEN;
  ue.csb_id = 0x5eed0000u + (uint32_t)id->len + prf;
  return ue;
}

static imsms_tp make_tp(uint8_t prf, uint16_t flags, const imsms_id *resp,
                        size_t nresp) {
  imsms_tp tp;

  memset(&tp, 0, sizeof(tp));
  tp.version = IMSMS_TP_V1;
  tp.ticket_type = IMSMS_MIKEY_TICKET_MIKEY_BASE;
  tp.subtype = 1;
  tp.ticket_version = 1;
  tp.prf_func = prf;
  tp.flags = flags;
  tp.responders = resp;
  tp.nresponders = nresp;
  return tp;
}

/* REQUEST_INIT: checked against the engine, written; |res| the answer. */
static void request(const kms_ue *ue, const imsms_tp *tp, const uint8_t *ctls,
                    size_t nctl, int tp_seed, kms_ue_result *res) {
  static uint8_t out[OUTCAP];
  static kms_ue_init init;
  size_t outlen = 0, i;
  int rv;

  if ((rv = kms_ue_request_init(ue, tp, IMSMS_FUZZ_NOW, &init)) != 0 ||
      (rv = imsms_kms_handle(kms, init.msg, init.len, IMSMS_FUZZ_NOW, out,
                             sizeof(out), &outlen)) != 0 ||
      (rv = kms_ue_request_resp(ue, &init, out, outlen, res)) != 0) {
    die("request", rv);
  }
  for (i = 0; i < nctl; i++) {
    put(ctls[i], init.msg, init.len);
  }
  if (tp_seed) {
    put_payload(TICKET_TP, init.msg, init.len);
  }
}

/*
 * The KEMAC ciphertext of the base ticket in |msg| replaced by its
 * plaintext (AES-CM: same length), for mode 3.
 */
static void plaintext_ticket(uint8_t *msg, size_t len) {
  static uint8_t keybuf[4096];
  imsms_mikey_payload pl[40], tpl;
  imsms_mikey_msg m;
  imsms_mikey_iter it;
  imsms_ticket_info info;
  const imsms_mikey_ticket *tk = NULL;
  imsms_ssize n;
  size_t i;
  int rv;

  n = imsms_mikey_decode_all(&m, pl, 40, msg, len);
  for (i = 0; n > 0 && i < (size_t)n; i++) {
    if (pl[i].type == IMSMS_MIKEY_PT_TICKET) {
      tk = &pl[i].u.ticket;
    }
  }
  if (tk == NULL || (rv = imsms_base_ticket_open(ctx, ring, tk, keybuf,
                                                 sizeof(keybuf), &info)) !=
                        0) {
    die("plaintext_ticket", n < 0 ? (int)n : IMSMS_ERR_MIKEY_MISSING);
  }
  imsms_mikey_chain_init(&it, IMSMS_MIKEY_PT_THDR, tk->ticket_data,
                         tk->ticket_data_len);
  while ((rv = imsms_mikey_iter_next(&it, &tpl)) == 0) {
    if (tpl.type == IMSMS_MIKEY_PT_KEMAC) {
      if (tpl.u.kemac.encr_len != info.keys_len) {
        die("plaintext_ticket: length", IMSMS_ERR_MIKEY_LENGTH);
      }
      memcpy(msg + (tpl.u.kemac.encr_data - msg), keybuf, info.keys_len);
      return;
    }
  }
  die("plaintext_ticket: no KEMAC", rv);
}

/* RESOLVE_INIT of |req|'s ticket by |ue|; |check| 0: no engine check. */
static void resolve(const kms_ue *ue, const kms_ue_result *req, int check,
                    const uint8_t *ctls, size_t nctl, int ticket_seed) {
  static uint8_t out[OUTCAP];
  static kms_ue_init init;
  static kms_ue_result res;
  size_t outlen = 0, i;
  int rv;

  if ((rv = kms_ue_resolve_init(ue, req->ticket, req->ticket_len,
                                IMSMS_FUZZ_NOW, &init)) != 0) {
    die("resolve_init", rv);
  }
  rv = imsms_kms_handle(kms, init.msg, init.len, IMSMS_FUZZ_NOW, out,
                        sizeof(out), &outlen);
  if (rv == 0) {
    rv = kms_ue_resolve_resp(ue, &init, out, outlen, &res);
  }
  if (check && rv != 0) {
    die("resolve", rv);
  }
  for (i = 0; i < nctl; i++) {
    if (ctls[i] == MODE_PLAIN) {
      static uint8_t copy[KMS_UE_MSG];

      memcpy(copy, init.msg, init.len);
      plaintext_ticket(copy, init.len);
      put(ctls[i], copy, init.len);
      if (ticket_seed) {
        put_payload(TICKET_PLAIN, copy, init.len);
      }
    } else {
      put(ctls[i], init.msg, init.len);
    }
  }
  if (ticket_seed) {
    put_payload(TICKET_FIX, init.msg, init.len);
    put_payload(TICKET_FIX | TICKET_LI_ALICE, init.msg, init.len);
    put_payload(TICKET_FIX | TICKET_LI_BOB_FORK, init.msg, init.len);
  }
}

static void gen(uint8_t prf) {
  static kms_ue_result r1, r2, r3, rn;
  static const uint8_t c_mac[] = {MODE_MAC};
  static const uint8_t c_mac_pol[] = {MODE_MAC, MODE_MAC | POLICY};
  static const uint8_t c_raw_mac[] = {MODE_RAW, MODE_MAC};
  static const uint8_t c_short[] = {SHORT_OUT(4) | MODE_MAC};
  static const uint8_t c_tkt[] = {MODE_TICKET};
  static const uint8_t c_tkt_plain[] = {MODE_TICKET, MODE_PLAIN};
  static const uint8_t c_tkt_pol[] = {MODE_TICKET | POLICY};
  static const uint8_t c_raw_tkt[] = {MODE_RAW, MODE_TICKET};
  imsms_id resp2[2];
  imsms_tp_key tmpl[3];
  imsms_id apps[1];
  kms_ue a = ue_for(&ALICE, prf), b = ue_for(&BOB, prf),
         c = ue_for(&CAROL, prf), rec = ue_for(&REC, prf);
  imsms_tp tp;

  /* R1: plain, one responder. */
  tp = make_tp(prf, FLAGS, &BOB, 1);
  request(&a, &tp, prf ? c_mac : c_raw_mac, prf ? 1 : 2, 1, &r1);
  /* R2: forking, Bob and the team. */
  resp2[0] = BOB;
  resp2[1] = TEAM;
  tp = make_tp(prf, FORK, resp2, 2);
  request(&a, &tp, c_mac_pol, 2, 0, &r2);
  /* R3: template, IDRapp, validity, rekey, no IDRkms (engine's in MAC). */
  memset(tmpl, 0, sizeof(tmpl));
  tmpl[0].type = IMSMS_MIKEY_KEY_TEK_SALT;
  tmpl[0].key_len = 16;
  tmpl[0].salt_len = 14;
  tmpl[0].kv = IMSMS_MIKEY_KV_SPI;
  tmpl[0].spi_len = 4;
  tmpl[1].type = IMSMS_MIKEY_KEY_GTGK;
  tmpl[1].key_len = 16;
  tmpl[2].type = IMSMS_MIKEY_KEY_TGK_SALT;
  tmpl[2].key_len = 16;
  apps[0] = APP;
  tp = make_tp(prf, FORK, resp2, 2);
  tp.keys = tmpl;
  tp.nkeys = 3;
  tp.apps = apps;
  tp.napps = 1;
  tp.has_start = 1;
  tp.start = IMSMS_FUZZ_NOW - ((imsms_tstamp)3600 << 32);
  tp.has_end = 1;
  tp.end = IMSMS_FUZZ_NOW + ((imsms_tstamp)3600 << 32);
  tp.has_rekey = 1;
  tp.rekey_sec = 600;
  tp.initiator = ALICE;
  a.kms.len = 0;
  request(&a, &tp, c_mac, 1, 1, &r3);
  a.kms = KMSID;
  /* Forking without Initiator Data (refused at resolve). */
  a.no_initiator_data = 1;
  tp = make_tp(prf, FORK, &BOB, 1);
  request(&a, &tp, NULL, 0, 0, &rn);
  a.no_initiator_data = 0;
  if (prf == IMSMS_MIKEY_PRF_MIKEY_1) {
    kms_ue p = a;

    /* IDRpsk names the key (GBA B-TID). */
    p.idrpsk = BTID;
    tp = make_tp(prf, FLAGS, &BOB, 1);
    request(&p, &tp, c_mac, 1, 0, &r1);
    /* Restore R1 for the resolves below. */
    tp = make_tp(prf, FLAGS, &BOB, 1);
    request(&a, &tp, NULL, 0, 0, &r1);
  } else {
    tp = make_tp(prf, FLAGS, &BOB, 1);
    request(&a, &tp, c_short, 1, 0, &r1);
  }

  resolve(&b, &r1, 1, prf ? c_tkt : c_raw_tkt, prf ? 1 : 2, 1);
  resolve(&b, &r2, 1, c_tkt_plain, 2, 1);
  resolve(&c, &r2, 1, c_tkt, 1, 0);
  resolve(&rec, &r2, 0, c_tkt_pol, 1, 0);
  resolve(&b, &r3, 1, c_tkt_plain, 2, 1);
  resolve(&b, &rn, 0, c_tkt, 1, 0);
}

int main(int argc, char **argv) {
  char path[4096];

  if (argc != 2) {
    fprintf(stderr, "usage: gen_kms_corpus DIR\n");
    return 2;
  }
  top = argv[1];
  make_dir(top);
  snprintf(path, sizeof(path), "%s/kms", top);
  make_dir(path);
  snprintf(path, sizeof(path), "%s/ticket", top);
  make_dir(path);
  setup();
  gen(IMSMS_MIKEY_PRF_MIKEY_1);
  gen(IMSMS_MIKEY_PRF_HMAC_SHA256);
  imsms_kms_del(kms);
  imsms_keyring_del(ring);
  imsms_ctx_del(ctx);
  printf("gen_kms_corpus: %zu files in %s/kms and %s/ticket\n", written,
         top, top);
  return 0;
}
