/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * libFuzzer harness: the KMS engine (imsms_kms_handle(), kms.h) on
 * REQUEST_INIT_PSK and RESOLVE_INIT_PSK, structure-aware so that
 * mutations get past the V MAC into TP decoding, authorisation, the base
 * ticket and forking. Links the convenience library: the MAC fix-ups use
 * the internal key derivations (mikey/protect.h, mikey/labels.h,
 * mikey/prf.h), and the known-good exchanges come from the test UE
 * (tests/kms_test_ue.c).
 *
 * Input: one control byte, then the message.
 *   bits 0-1  mode:
 *     0  the message as is;
 *     1  its V recomputed under the fixed PSK (RFC 6043 5.1.2 and 5.5:
 *        RANDRi or RANDRr, MAC over message || IDRi/IDRr || IDRkms, the
 *        engine's identity when IDRkms is absent), as the UE does;
 *     2  as 1, after the base ticket of its last TICKET payload is
 *        re-authenticated: the ticket's V under the key-ring TPK named by
 *        THDR (RFC 6043 A.1, A.2.1), and with a valid MPK inside, the Vr
 *        of the Initiator Data under the unforked MPKr (6.10);
 *     3  as 2, with the ticket's KEMAC data given in plaintext: the
 *        harness encrypts it first (AES-CM, same length), so that the key
 *        data chain inside the ticket is mutated directly;
 *   bit 6     the engine with the default policy (kms_policy.h) instead
 *             of the engine with plain callbacks;
 *   bit 7     a short output buffer: ((byte >> 2) & 15) * 32 bytes.
 *
 * Checked for every input:
 *  - the result is 0 or a negative code other than
 *    IMSMS_ERR_INVALID_ARGUMENT (the arguments are valid), |*outlen| <=
 *    outcap, exactly one audit event with that code and a type that fits
 *    it; no event, and no output, holds the PSK or a TPK (unless the
 *    input does);
 *  - on failure the output is empty or one MIKEY Error message (ERR, no
 *    KEMAC, no TICKET), and empty after an authentication failure, a
 *    replay or IMSMS_ERR_NOBUF;
 * and when the engine answers:
 *  - the answer decodes as REQUEST_RESP or RESOLVE_RESP with the CSB ID
 *    and PRF of the request, V last verifies under the response keys over
 *    answer || request, and the KEMAC decrypts to one whole Key data
 *    chain starting with an MPK;
 *  - REQUEST_RESP: its ticket opens with the key ring, its granted TP
 *    decodes (no template, D N O set) and validates, MPKi (and MPKr with
 *    forking) are those derived from the ticket's MPK, and the MPK itself
 *    never appears in the answer;
 *  - RESOLVE_RESP: IDRr present, MPKi derived from the MPK of the ticket
 *    that was sent, the MPK not in the answer;
 *  - a second engine with a replay cache answers the same message at most
 *    once and then refuses it with no output.
 * Every 64 inputs both engines must still answer a known-good Request
 * and Resolve of each PRF (the main engines' replay callback accepts
 * everything, so the same messages are reused).
 *
 * Fixed once per process: the context (default provider), the key ring
 * (TPK ids 1 and 2), both engines, the policy, the known-good messages;
 * the PSK and "now" are those of fuzz_psk.h.
 */
#define _GNU_SOURCE /* memmem */
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/kms.h>
#include <imsmediasec/kms_policy.h>
#include <imsmediasec/ticket.h>

#include "fuzz_psk.h"
#include "fuzz_ticket_view.h"
#include "kms_test_ue.h"
#include "kms/kms_int.h" /* imsms_kms_work_is_clear */
#include "mikey/codec.h"
#include "mikey/labels.h"
#include "mikey/prf.h"
#include "mikey/protect.h"

/*
 * Invariant: after every call, whatever its outcome, no secret stays in
 * the engine's work area (its wipe covers only what was marked written).
 */
static int handle_clear(imsms_kms *k, const uint8_t *in, size_t inlen,
                        imsms_tstamp now, uint8_t *out, size_t outcap,
                        size_t *outlen) {
  int rv = imsms_kms_handle(k, in, inlen, now, out, outcap, outlen);

  if (k != NULL && !imsms_kms_work_is_clear(k->w)) {
    abort();
  }
  return rv;
}
#define imsms_kms_handle handle_clear

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Must match gen_kms_corpus.c. */
static const uint8_t tpk1[32] = "fuzz ticket protection key #1..";
static const uint8_t tpk2[16] = "fuzz TPK two...";
#define KMS_ID_S "kms.example.net"
#define NOBODY_PREFIX "nobody"

#define OUTCAP 8192
#define MAXPL 40
#define SURVIVE_EVERY 64

static imsms_ctx *ctx, *polctx;
static imsms_keyring *ring;
static imsms_kms *plain_kms, *policy_kms, *replay_kms[2];
static imsms_kms_policy *policy;
static imsms_replay *rcache;
static imsms_id KMSID, ALICE, BOB, CAROL, TEAM, REC;

/* What the audit callback saw during one imsms_kms_handle() call. */
static int nevents;
static imsms_kms_event last_ev;
static const uint8_t *cur_in;
static size_t cur_inlen;

static imsms_id mkid(const char *s, uint8_t type) {
  imsms_id id;

  id.type = type;
  id.data = (const uint8_t *)s;
  id.len = strlen(s);
  return id;
}

static int same(const imsms_id *a, const imsms_id *b) {
  return a->len == b->len && a->type == b->type &&
         (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static int contains(const uint8_t *hay, size_t n, const uint8_t *needle,
                    size_t m) {
  return n >= m && memmem(hay, n, needle, m) != NULL;
}

/* |p| must not hold a secret that the input did not bring itself. */
static void no_secret(const uint8_t *p, size_t n) {
  static const struct {
    const uint8_t *s;
    size_t len;
  } secrets[3] = {{IMSMS_FUZZ_PSK, IMSMS_FUZZ_PSK_LEN},
                  {tpk1, sizeof(tpk1)},
                  {tpk2, sizeof(tpk2)}};
  size_t i;

  for (i = 0; i < 3; i++) {
    if (contains(p, n, secrets[i].s, secrets[i].len) &&
        !contains(cur_in, cur_inlen, secrets[i].s, secrets[i].len)) {
      abort();
    }
  }
}

/* The fixed PSK for everyone but identities starting with "nobody". */
static imsms_ssize psk_lookup(imsms_kms *k, const imsms_id *idrpsk,
                              const imsms_id *peer, uint8_t *psk, size_t cap,
                              void *ud) {
  const imsms_id *id = idrpsk->len ? idrpsk : peer;

  (void)k;
  (void)ud;
  if ((idrpsk->len && idrpsk->data == NULL) ||
      (peer->len && peer->data == NULL)) {
    abort();
  }
  if (id->len >= sizeof(NOBODY_PREFIX) - 1 &&
      memcmp(id->data, NOBODY_PREFIX, sizeof(NOBODY_PREFIX) - 1) == 0) {
    return IMSMS_ERR_MIKEY_AUTH;
  }
  if (cap < IMSMS_FUZZ_PSK_LEN) {
    abort();
  }
  memcpy(psk, IMSMS_FUZZ_PSK, IMSMS_FUZZ_PSK_LEN);
  return IMSMS_FUZZ_PSK_LEN;
}

static int is_member(imsms_kms *k, const imsms_id *group, const imsms_id *u,
                     void *ud) {
  (void)k;
  (void)ud;
  return same(group, &TEAM) && (same(u, &BOB) || same(u, &CAROL));
}

static void audit(imsms_kms *k, const imsms_kms_event *ev, void *ud) {
  (void)k;
  (void)ud;
  if (ev->type < IMSMS_KMS_REQUEST_GRANTED || ev->type > IMSMS_KMS_REJECTED ||
      (ev->peer.len && ev->peer.data == NULL) ||
      (ev->initiator.len && ev->initiator.data == NULL)) {
    abort();
  }
  /* Reading the views lets ASan check them. */
  no_secret(ev->peer.data, ev->peer.len);
  no_secret(ev->initiator.data, ev->initiator.len);
  nevents++;
  last_ev = *ev;
}

/* Main engines: every authenticated message is fresh (deterministic). */
static int accept_all(const uint8_t *id, size_t idlen, imsms_tstamp t,
                      imsms_tstamp now, void *ud) {
  int64_t diff = (int64_t)(t - now);

  (void)ud;
  if (id == NULL || idlen == 0 || diff > ((int64_t)IMSMS_FUZZ_SKEW_SEC << 32) ||
      diff < -((int64_t)IMSMS_FUZZ_SKEW_SEC << 32)) {
    abort();
  }
  return 0;
}

static void callbacks(imsms_kms_callbacks *cb) {
  memset(cb, 0, sizeof(*cb));
  cb->version = IMSMS_KMS_CALLBACKS_V1;
  cb->psk_lookup = psk_lookup;
  cb->is_member = is_member;
  cb->audit = audit;
  cb->replay = accept_all;
}

static imsms_kms *engine(imsms_kms_callbacks *cb, void *ud, int real_replay) {
  imsms_kms_config cfg;
  imsms_kms *k = NULL;

  memset(&cfg, 0, sizeof(cfg));
  cfg.version = IMSMS_KMS_CONFIG_V1;
  cfg.identity = KMSID;
  cfg.keyring = ring;
  cfg.skew_sec = IMSMS_FUZZ_SKEW_SEC;
  if (real_replay) {
    cb->replay = imsms_replay_check;
    cb->replay_data = rcache;
  }
  if (imsms_kms_new(&k, ctx, &cfg, cb, ud) != 0) {
    abort();
  }
  return k;
}

static void make_policy(void) {
  static const char *users[] = {"sip:alice@example.net",
                                "sip:bob@example.net",
                                "sip:carol@example.net", "sip:rec@example.net"};
  imsms_kms_limits lim;
  imsms_kms_nf nf;
  imsms_id u;
  size_t i;

  if (imsms_kms_policy_new(&policy, polctx, NULL) != 0 ||
      imsms_kms_policy_set_psk_lookup(policy, psk_lookup) != 0) {
    abort();
  }
  for (i = 0; i < 4; i++) {
    u = mkid(users[i], IMSMS_MIKEY_ID_URI);
    /* Carol without a stored PSK: the application's lookup finds it. */
    if (imsms_kms_policy_add_user(policy, &u,
                                  i == 2 ? NULL : IMSMS_FUZZ_PSK,
                                  i == 2 ? 0 : IMSMS_FUZZ_PSK_LEN) != 0) {
      abort();
    }
  }
  if (imsms_kms_policy_add_group_member(policy, &TEAM, &BOB) != 0 ||
      imsms_kms_policy_add_group_member(policy, &TEAM, &CAROL) != 0) {
    abort();
  }
  memset(&nf, 0, sizeof(nf));
  nf.version = IMSMS_KMS_NF_V1;
  nf.identity = REC;
  nf.role = IMSMS_KMS_NF_RECORDER;
  nf.groups = &TEAM;
  nf.ngroups = 1;
  memset(&lim, 0, sizeof(lim));
  lim.version = IMSMS_KMS_LIMITS_V1;
  lim.max_validity_sec = 86400;
  lim.flags = IMSMS_KMS_LIMIT_NO_REUSE | IMSMS_KMS_LIMIT_NO_UE_KEYS;
  if (imsms_kms_policy_add_network_function(policy, &nf) != 0 ||
      imsms_kms_policy_set_limits(policy, &lim) != 0) {
    abort();
  }
}

/* ---- Known-good exchanges ------------------------------------------- */

typedef struct good {
  kms_ue ue;
  kms_ue_init init;
  int resolve;
} good;

/* Request by Alice for Bob and the team, then resolve by Bob; per PRF. */
static good goods[4];
static kms_ue_result good_res;

static kms_ue good_ue(const imsms_id *id, uint8_t prf) {
  kms_ue ue;

  memset(&ue, 0, sizeof(ue));
  ue.ctx = ctx;
  ue.prf_func = prf;
  ue.id = *id;
  ue.kms = KMSID;
  ue.mac_kms = KMSID;
  ue.psk = IMSMS_FUZZ_PSK;
  ue.psklen = IMSMS_FUZZ_PSK_LEN;
  ue.csb_id = 0x01020304u + prf;
  return ue;
}

static void check_good(imsms_kms *k, good *g) {
  static uint8_t out[OUTCAP];
  size_t outlen = 0;
  int rv = imsms_kms_handle(k, g->init.msg, g->init.len, IMSMS_FUZZ_NOW, out,
                            sizeof(out), &outlen);

  if (rv != 0 || outlen == 0 ||
      (g->resolve ? kms_ue_resolve_resp(&g->ue, &g->init, out, outlen,
                                        &good_res)
                  : kms_ue_request_resp(&g->ue, &g->init, out, outlen,
                                        &good_res)) != 0) {
    abort();
  }
}

static void make_goods(void) {
  static uint8_t out[OUTCAP];
  imsms_id resp[2];
  imsms_tp tp;
  size_t outlen;
  int prf;

  resp[0] = BOB;
  resp[1] = TEAM;
  for (prf = 0; prf < 2; prf++) {
    good *rq = &goods[2 * prf], *rs = &goods[2 * prf + 1];

    memset(&tp, 0, sizeof(tp));
    tp.version = IMSMS_TP_V1;
    tp.ticket_type = IMSMS_MIKEY_TICKET_MIKEY_BASE;
    tp.subtype = 1;
    tp.ticket_version = 1;
    tp.prf_func = (uint8_t)prf;
    tp.flags = IMSMS_TP_D | IMSMS_TP_E | IMSMS_TP_F | IMSMS_TP_H | IMSMS_TP_I;
    tp.responders = resp;
    tp.nresponders = 2;
    rq->ue = good_ue(&ALICE, (uint8_t)prf);
    if (kms_ue_request_init(&rq->ue, &tp, IMSMS_FUZZ_NOW, &rq->init) != 0 ||
        imsms_kms_handle(plain_kms, rq->init.msg, rq->init.len,
                         IMSMS_FUZZ_NOW, out, sizeof(out), &outlen) != 0 ||
        kms_ue_request_resp(&rq->ue, &rq->init, out, outlen, &good_res) !=
            0) {
      abort();
    }
    rs->ue = good_ue(&BOB, (uint8_t)prf);
    rs->resolve = 1;
    if (kms_ue_resolve_init(&rs->ue, good_res.ticket, good_res.ticket_len,
                            IMSMS_FUZZ_NOW, &rs->init) != 0) {
      abort();
    }
  }
}

static void setup(void) {
  imsms_kms_callbacks cb;

  if (ctx != NULL) {
    return;
  }
  KMSID = mkid(KMS_ID_S, IMSMS_MIKEY_ID_NAI);
  ALICE = mkid("sip:alice@example.net", IMSMS_MIKEY_ID_URI);
  BOB = mkid("sip:bob@example.net", IMSMS_MIKEY_ID_URI);
  CAROL = mkid("sip:carol@example.net", IMSMS_MIKEY_ID_URI);
  TEAM = mkid("sip:team@example.net", IMSMS_MIKEY_ID_URI);
  REC = mkid("sip:rec@example.net", IMSMS_MIKEY_ID_URI);
  if (imsms_ctx_new(&ctx, NULL, NULL, NULL, NULL) != 0 ||
      imsms_ctx_new(&polctx, NULL, NULL, NULL, NULL) != 0 ||
      imsms_keyring_new(&ring, ctx) != 0 ||
      imsms_keyring_add(ring, 1, tpk1, sizeof(tpk1)) != 0 ||
      imsms_keyring_add(ring, 2, tpk2, sizeof(tpk2)) != 0 ||
      imsms_replay_new(&rcache, ctx, IMSMS_FUZZ_REPLAY_CAPACITY,
                       IMSMS_FUZZ_SKEW_SEC) != 0) {
    abort();
  }
  make_policy();
  callbacks(&cb);
  plain_kms = engine(&cb, NULL, 0);
  replay_kms[0] = engine(&cb, NULL, 1);
  callbacks(&cb);
  if (imsms_kms_policy_callbacks(policy, &cb) != 0) {
    abort();
  }
  policy_kms = engine(&cb, policy, 0);
  replay_kms[1] = engine(&cb, policy, 1);
  make_goods();
}

/* ---- Structure-aware fix-ups ----------------------------------------- */

/* What the engine gathers from an initial message (engine.c gather()). */
typedef struct init_view {
  imsms_mikey_msg msg;
  imsms_mikey_payload pl[MAXPL];
  size_t npl;
  int resolve;
  const imsms_mikey_payload *randr, *ticket, *v;
  imsms_id peer, kms_id;
} init_view;

static int view_init(init_view *iv, const uint8_t *buf, size_t size) {
  imsms_ssize n;
  size_t i;

  memset(iv, 0, sizeof(*iv));
  n = imsms_mikey_decode_all(&iv->msg, iv->pl, MAXPL, buf, size);
  if (n <= 0) {
    return -1;
  }
  iv->npl = (size_t)n;
  iv->resolve = iv->msg.hdr.data_type == IMSMS_MIKEY_RESOLVE_INIT_PSK;
  for (i = 0; i < iv->npl; i++) {
    const imsms_mikey_payload *pl = &iv->pl[i];

    if (pl->type == IMSMS_MIKEY_PT_RANDR &&
        pl->u.randr.role ==
            (iv->resolve ? IMSMS_MIKEY_RANDR_R : IMSMS_MIKEY_RANDR_I)) {
      iv->randr = pl;
    } else if (pl->type == IMSMS_MIKEY_PT_TICKET) {
      iv->ticket = pl;
    } else if (pl->type == IMSMS_MIKEY_PT_IDR) {
      imsms_id *id =
          pl->u.idr.role ==
                  (iv->resolve ? IMSMS_MIKEY_IDR_R : IMSMS_MIKEY_IDR_I)
              ? &iv->peer
          : pl->u.idr.role == IMSMS_MIKEY_IDR_KMS ? &iv->kms_id
                                                  : NULL;
      if (id != NULL) {
        id->type = pl->u.idr.id_type;
        id->data = pl->u.idr.data;
        id->len = pl->u.idr.len;
      }
    }
  }
  if (iv->pl[iv->npl - 1].type == IMSMS_MIKEY_PT_V) {
    iv->v = &iv->pl[iv->npl - 1];
  }
  return 0;
}

/* Message keys from the fixed PSK (label 0x01 initial, 0x02 response). */
static int psk_keys(const init_view *iv, int response, uint8_t mac_alg,
                    imsms_mikey_msgkeys *k) {
  const imsms_mikey_randr *r = &iv->randr->u.randr;
  uint8_t encr, set_mac;
  imsms_prf prf;
  int rv;

  if (imsms_mikey_algs_for_prf(iv->msg.hdr.prf_func, &encr, &set_mac) != 0) {
    return -1;
  }
  imsms_prf_init(&prf, ctx);
  rv = imsms_prf_setkey(&prf, iv->msg.hdr.prf_func, IMSMS_FUZZ_PSK,
                        IMSMS_FUZZ_PSK_LEN);
  if (rv == 0) {
    rv = imsms_mikey_msgkeys_6043(
        &prf, encr, mac_alg, iv->msg.hdr.csb_id, response,
        iv->resolve ? NULL : r->rand, iv->resolve ? 0 : r->len,
        iv->resolve ? r->rand : NULL, iv->resolve ? r->len : 0, k);
  }
  imsms_prf_free(&prf);
  return rv;
}

static int mac_ok_for(uint8_t alg, size_t len) {
  int ml = imsms_mikey_mac_len(alg);

  return alg != IMSMS_MIKEY_MAC_NULL && ml > 0 && (size_t)ml == len;
}

/* Mode 1: V over message || IDRi/IDRr || IDRkms under the fixed PSK. */
static void fix_msg_mac(uint8_t *buf, size_t size) {
  init_view iv;
  imsms_mikey_msgkeys k;
  const imsms_id *mk;
  imsms_iov iov[3];
  uint8_t mac[IMSMS_MAX_DIGEST_LEN];
  size_t vlen, off;

  if (view_init(&iv, buf, size) != 0 || iv.v == NULL || iv.randr == NULL ||
      !mac_ok_for(iv.v->u.v.alg, iv.v->u.v.len)) {
    return;
  }
  vlen = iv.v->u.v.len;
  if (iv.v->u.v.mac != buf + size - vlen ||
      psk_keys(&iv, 0, iv.v->u.v.alg, &k) != 0) {
    return;
  }
  mk = iv.kms_id.len ? &iv.kms_id : &KMSID;
  iov[0].base = buf;
  iov[0].len = size - vlen;
  iov[1].base = iv.peer.data;
  iov[1].len = iv.peer.len;
  iov[2].base = mk->data;
  iov[2].len = mk->len;
  if (imsms_mikey_mac(ctx, iv.v->u.v.alg, k.auth, k.auth_len, iov, 3, mac) ==
      0) {
    off = size - vlen;
    memcpy(buf + off, mac, vlen);
  }
  imsms_mikey_msgkeys_clear(&k);
}

/* Encr, salt and auth keys from the TPK named by THDR (RFC 6043 A.2.1). */
static int ticket_keys(const imsms_mikey_ticket *tk, const ticket_view *tv,
                       uint8_t *encr, uint8_t *mac, imsms_mikey_msgkeys *k) {
  int two = ticket_key_id(tv) == 2;

  return ticket_keys_from(ctx, tk, tv, two ? tpk2 : tpk1,
                          two ? sizeof(tpk2) : sizeof(tpk1), encr, mac, k);
}

/* Vr of the Initiator Data under the MPKr of |mpk| (RFC 6043 6.10). */
static void fix_vr(uint8_t *buf, const imsms_mikey_ticket *tk,
                   const ticket_view *tv, const imsms_mikey_keydata *mpk) {
  uint8_t mpkr[IMSMS_PRF_MAX_INKEY], key[IMSMS_MAX_DIGEST_LEN], label[16];
  uint8_t mac[IMSMS_MAX_DIGEST_LEN];
  imsms_mikey_payload pl, vr;
  imsms_mikey_iter it;
  imsms_ssize ln;
  imsms_iov iov;
  int nv = 0, rv;

  if (tk->init_data_len < 1 || mpk->key_len > sizeof(mpkr)) {
    return;
  }
  memset(&vr, 0, sizeof(vr));
  imsms_mikey_chain_init(&it, tk->init_data[0], tk->init_data + 1,
                         tk->init_data_len - 1);
  while ((rv = imsms_mikey_iter_next(&it, &pl)) == 0) {
    if (pl.type == IMSMS_MIKEY_PT_V) {
      vr = pl;
      nv++;
    }
  }
  if (rv != IMSMS_ERR_EOF || nv < 2 || !mac_ok_for(vr.u.v.alg, vr.u.v.len) ||
      vr.raw + vr.rawlen != tk->init_data + tk->init_data_len) {
    return;
  }
  ln = imsms_label_vr_6043(label, sizeof(label));
  rv = ln < 0 ? (int)ln
              : imsms_base_ticket_mpk(ctx, tk->prf_func, mpk->key,
                                      mpk->key_len, tv->rand.u.rand.rand,
                                      tv->rand.u.rand.len, NULL, mpkr);
  if (rv == 0) {
    rv = imsms_mikey_prf(ctx, tk->prf_func, mpkr, mpk->key_len, label,
                         (size_t)ln, key, vr.u.v.len);
  }
  if (rv == 0) {
    iov.base = tk->init_data;
    iov.len = tk->init_data_len - vr.u.v.len;
    rv = imsms_mikey_mac(ctx, vr.u.v.alg, key, vr.u.v.len, &iov, 1, mac);
  }
  if (rv == 0) {
    memcpy(buf + (vr.u.v.mac - buf), mac, vr.u.v.len);
  }
}

/*
 * Modes 2 and 3: re-authenticates the base ticket of the last TICKET
 * payload (after encrypting its plaintext KEMAC data with |plaintext|).
 */
static void fix_ticket(uint8_t *buf, size_t size, int plaintext) {
  static uint8_t tmp[65536];
  init_view iv;
  ticket_view tv;
  imsms_mikey_msgkeys k;
  const imsms_mikey_ticket *tk;
  const imsms_mikey_kemac *km;
  imsms_mikey_keydata first;
  uint8_t encr, macalg, next;
  size_t olen = 0;
  uint64_t t;

  if (view_init(&iv, buf, size) != 0 || iv.ticket == NULL) {
    return;
  }
  tk = &iv.ticket->u.ticket;
  if (view_ticket(&tv, tk) != 0 || ticket_keys(tk, &tv, &encr, &macalg, &k)) {
    return;
  }
  km = &tv.kemac.u.kemac;
  t = tv.have_t ? tv.t.u.t.value : 0;
  ticket_fix_v(ctx, buf, tk, &tv, &k, encr, macalg, plaintext);
  /* Vr from the MPK inside. */
  if (km->encr_alg == encr && km->encr_len <= sizeof(tmp) &&
      imsms_mikey_kemac_crypt(ctx, 0, encr, &k, 0xFFFFFFFFu, t, km->encr_data,
                              km->encr_len, tmp, sizeof(tmp), &olen) == 0 &&
      imsms_mikey_keydata_decode(&first, &next, tmp, olen) > 0 &&
      first.type == IMSMS_MIKEY_KEY_MPK && first.key_len > 0) {
    fix_vr(buf, tk, &tv, &first);
  }
  imsms_mikey_msgkeys_clear(&k);
}

/* ---- Checks of the answer -------------------------------------------- */

/* The decrypted key data must be one Key data chain; |first| the MPK. */
static size_t walk_keys(const uint8_t *keys, size_t len,
                        imsms_mikey_keydata *kd, size_t cap) {
  uint8_t next = IMSMS_MIKEY_PT_KEY_DATA;
  size_t off = 0, n = 0;

  while (next == IMSMS_MIKEY_PT_KEY_DATA && off < len) {
    imsms_ssize r;

    if (n == cap) {
      abort();
    }
    r = imsms_mikey_keydata_decode(&kd[n++], &next, keys + off, len - off);
    if (r <= 0 || (size_t)r > len - off) {
      abort();
    }
    off += (size_t)r;
  }
  if (next != 0 || off != len || n == 0 ||
      kd[0].type != IMSMS_MIKEY_KEY_MPK) {
    abort();
  }
  return n;
}

/* Opens |tk| with the ring; MPKi and MPKr derived; the MPK copied. */
static int open_ticket(const imsms_mikey_ticket *tk, uint8_t *mpk,
                       size_t *mpklen, uint8_t *mpki, uint8_t *mpkr) {
  static uint8_t keybuf[4096];
  imsms_mikey_keydata kd[16];
  imsms_ticket_info info;

  if (imsms_base_ticket_open(ctx, ring, tk, keybuf, sizeof(keybuf), &info) !=
      0) {
    return -1;
  }
  walk_keys(keybuf, info.keys_len, kd, 16);
  if (kd[0].key_len > IMSMS_PRF_MAX_INKEY) {
    abort();
  }
  *mpklen = kd[0].key_len;
  memcpy(mpk, kd[0].key, kd[0].key_len);
  if (imsms_base_ticket_mpk(ctx, tk->prf_func, mpk, *mpklen, info.rand,
                            info.rand_len, mpki, mpkr) != 0) {
    abort();
  }
  return 0;
}

static void check_answer(const uint8_t *in, size_t inlen, const uint8_t *out,
                         size_t outlen) {
  static uint8_t plain[OUTCAP];
  imsms_mikey_payload pl[16];
  const imsms_mikey_payload *t = NULL, *kemac = NULL, *tkt = NULL,
                            *idrr = NULL, *v;
  imsms_mikey_keydata kd[16];
  uint8_t mpk[IMSMS_PRF_MAX_INKEY], mpki[IMSMS_PRF_MAX_INKEY],
      mpkr[IMSMS_PRF_MAX_INKEY];
  imsms_mikey_msgkeys k;
  imsms_mikey_msg msg;
  init_view iv;
  imsms_iov iov[2];
  size_t i, plen = 0, nkd, mpklen = 0;
  imsms_ssize n;

  if (view_init(&iv, in, inlen) != 0 || iv.randr == NULL || iv.v == NULL) {
    abort();
  }
  n = imsms_mikey_decode_all(&msg, pl, 16, out, outlen);
  if (n < 2 ||
      msg.hdr.data_type != (iv.resolve ? IMSMS_MIKEY_RESOLVE_RESP
                                       : IMSMS_MIKEY_REQUEST_RESP) ||
      msg.hdr.csb_id != iv.msg.hdr.csb_id ||
      msg.hdr.prf_func != iv.msg.hdr.prf_func || msg.hdr.v != 0) {
    abort();
  }
  for (i = 0; i < (size_t)n; i++) {
    switch (pl[i].type) {
    case IMSMS_MIKEY_PT_T:
      t = &pl[i];
      break;
    case IMSMS_MIKEY_PT_KEMAC:
      kemac = &pl[i];
      break;
    case IMSMS_MIKEY_PT_TICKET:
      tkt = &pl[i];
      break;
    case IMSMS_MIKEY_PT_IDR:
      idrr = pl[i].u.idr.role == IMSMS_MIKEY_IDR_R ? &pl[i] : idrr;
      break;
    default:
      break;
    }
  }
  v = &pl[n - 1];
  if (t == NULL || t->u.t.value != IMSMS_FUZZ_NOW || kemac == NULL ||
      v->type != IMSMS_MIKEY_PT_V || v->u.v.alg != iv.v->u.v.alg ||
      (iv.resolve ? idrr == NULL : tkt == NULL)) {
    abort();
  }
  /* V over answer || request under the response keys. */
  if (psk_keys(&iv, 1, v->u.v.alg, &k) != 0) {
    abort();
  }
  iov[0].base = out;
  iov[0].len = outlen - v->u.v.len;
  iov[1].base = in;
  iov[1].len = inlen;
  if (imsms_mikey_mac_verify(ctx, v->u.v.alg, k.auth, k.auth_len, iov, 2,
                             v->u.v.mac) != 0 ||
      imsms_mikey_kemac_crypt(ctx, 0, kemac->u.kemac.encr_alg, &k,
                              msg.hdr.csb_id, t->u.t.value,
                              kemac->u.kemac.encr_data,
                              kemac->u.kemac.encr_len, plain, sizeof(plain),
                              &plen) != 0) {
    abort();
  }
  imsms_mikey_msgkeys_clear(&k);
  nkd = walk_keys(plain, plen, kd, 16);
  if (iv.resolve) {
    /* MPKi from the MPK of the ticket that was sent. */
    if (open_ticket(&iv.ticket->u.ticket, mpk, &mpklen, mpki, NULL) != 0 ||
        kd[0].key_len != mpklen || memcmp(kd[0].key, mpki, mpklen) != 0) {
      abort();
    }
  } else {
    imsms_tp granted;
    imsms_tp_key gk[8];
    static imsms_id gids[1024];
    const uint16_t dno = IMSMS_TP_D | IMSMS_TP_N | IMSMS_TP_O;
    int fork = (tkt->u.ticket.flags & IMSMS_TP_I) != 0;

    if (imsms_tp_decode(&granted, &tkt->u.ticket, gk, 8, gids, 1024) != 0 ||
        granted.nkeys != 0 || (granted.flags & dno) != dno ||
        imsms_tp_validate(&granted) != 0 ||
        open_ticket(&tkt->u.ticket, mpk, &mpklen, mpki, fork ? mpkr : NULL) !=
            0 ||
        kd[0].key_len != mpklen || memcmp(kd[0].key, mpki, mpklen) != 0 ||
        (fork && (nkd < 2 || kd[1].key_len != mpklen ||
                  memcmp(kd[1].key, mpkr, mpklen) != 0))) {
      abort();
    }
  }
  /* The MPK itself never leaves the KMS in the clear (unless the input
   * brought it, as a mode 3 ticket does). */
  if ((contains(out, outlen, mpk, mpklen) ||
       contains(plain, plen, mpk, mpklen)) &&
      !contains(cur_in, cur_inlen, mpk, mpklen)) {
    abort();
  }
  memset(plain, 0, sizeof(plain));
}

static void check_error(const uint8_t *out, size_t outlen) {
  imsms_mikey_payload pl[16];
  imsms_mikey_msg msg;
  imsms_ssize n = imsms_mikey_decode_all(&msg, pl, 16, out, outlen);
  int err = 0;
  size_t i;

  if (n <= 0 || msg.hdr.data_type != IMSMS_MIKEY_ERROR) {
    abort();
  }
  for (i = 0; i < (size_t)n; i++) {
    if (pl[i].type == IMSMS_MIKEY_PT_KEMAC ||
        pl[i].type == IMSMS_MIKEY_PT_TICKET) {
      abort();
    }
    err |= pl[i].type == IMSMS_MIKEY_PT_ERR;
  }
  if (!err) {
    abort();
  }
}

/* A second engine with a replay cache: at most once, then silence. */
static void check_replay(int which, const uint8_t *buf, size_t size) {
  static uint8_t out[OUTCAP];
  size_t outlen = 1;
  int rv;

  rv = imsms_kms_handle(replay_kms[which], buf, size, IMSMS_FUZZ_NOW, out,
                        sizeof(out), &outlen);
  if (rv != 0 && rv != IMSMS_ERR_MIKEY_REPLAY) {
    abort();
  }
  rv = imsms_kms_handle(replay_kms[which], buf, size, IMSMS_FUZZ_NOW, out,
                        sizeof(out), &outlen);
  if (rv != IMSMS_ERR_MIKEY_REPLAY || outlen != 0) {
    abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static unsigned long count;
  uint8_t *buf, *out;
  size_t len, outcap = OUTCAP, outlen = 12345;
  imsms_kms *k;
  int mode, use_policy, rv, granted;

  setup();
  if (size < 1) {
    return 0;
  }
  mode = data[0] & 3;
  use_policy = (data[0] & 0x40) != 0;
  if (data[0] & 0x80) {
    outcap = (size_t)((data[0] >> 2) & 15) * 32;
  }
  k = use_policy ? policy_kms : plain_kms;
  len = size - 1;
  /* Exact sizes, so that ASan sees any access past either end. */
  buf = malloc(len ? len : 1);
  out = malloc(outcap ? outcap : 1);
  if (buf == NULL || out == NULL) {
    abort();
  }
  if (len) {
    memcpy(buf, data + 1, len);
  }
  if (mode >= 2) {
    fix_ticket(buf, len, mode == 3);
  }
  if (mode >= 1) {
    fix_msg_mac(buf, len);
  }
  /* Secrets the input brought itself (before any fix-up) are allowed. */
  cur_in = data + 1;
  cur_inlen = len;
  nevents = 0;
  rv = imsms_kms_handle(k, buf, len, IMSMS_FUZZ_NOW, out, outcap, &outlen);
  /* The arguments are valid: IMSMS_ERR_INVALID_ARGUMENT is not an answer
   * to the message's contents (kms.h lists it for NULL arguments only). */
  if (rv > 0 || rv == IMSMS_ERR_INVALID_ARGUMENT || outlen > outcap ||
      nevents != 1 || last_ev.error != rv || last_ev.now != IMSMS_FUZZ_NOW) {
    abort();
  }
  granted = last_ev.type == IMSMS_KMS_REQUEST_GRANTED ||
            last_ev.type == IMSMS_KMS_RESOLVE_GRANTED;
  if ((rv == 0) != granted) {
    abort();
  }
  no_secret(out, outlen);
  if (rv == 0) {
    if (outlen == 0) {
      abort();
    }
    check_answer(buf, len, out, outlen);
    if (outcap == OUTCAP) {
      check_replay(use_policy, buf, len);
    }
  } else {
    if (outlen != 0 &&
        (last_ev.type == IMSMS_KMS_AUTH_FAILED ||
         rv == IMSMS_ERR_MIKEY_REPLAY || rv == IMSMS_ERR_NOBUF)) {
      abort();
    }
    if (outlen != 0) {
      check_error(out, outlen);
    }
  }
  free(out);
  free(buf);
  cur_in = NULL;
  cur_inlen = 0;
  if (++count % SURVIVE_EVERY == 0) {
    size_t i;

    for (i = 0; i < 4; i++) {
      check_good(plain_kms, &goods[i]);
      check_good(policy_kms, &goods[i]);
    }
  }
  return 0;
}
