/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * libFuzzer harness: the ticket policy and base ticket parsers
 * (ticket.h) on one TP or TICKET payload, with the base ticket's V
 * recomputed so that mutations reach the key data. Links the convenience
 * library for the TPK key derivation (mikey/labels.h, mikey/prf.h,
 * mikey/protect.h).
 *
 * Input: one control byte, then the payload (next-payload byte first,
 * as a message carries it).
 *   bits 0-1  0: as is; 1: the ticket's V recomputed under the key-ring
 *             TPK its THDR names (RFC 6043 A.1, A.2.1); 2 and 3: as 1,
 *             with the KEMAC data given in plaintext (the harness
 *             encrypts it first, AES-CM, same length);
 *   bit 2     the payload is a TP payload, not a TICKET;
 *   bit 3     also ask imsms_kms_li_keys() for the ticket's keys under a
 *             warrant (now +- 1 day) on the target of bits 4-5 (Alice,
 *             Bob, the team group, a user of no ticket), with bit 6 as
 *             Bob's fork (IDRr Bob and a fixed RANDRkms).
 *
 * Checked for every input:
 *  - imsms_tp_decode(): on success the policy validates, re-encodes with
 *    imsms_tp_data_encode() (template included) and decodes from that to
 *    the same policy; it is an acceptable grant of itself; its
 *    time check at "now" gives one of its three codes;
 *  - imsms_base_ticket_open(): on failure the key buffer is all zero and
 *    the info struct empty; on success the key data is one whole chain
 *    starting with an MPK of 16 to IMSMS_PRF_MAX_INKEY bytes (the KMS
 *    issues 16 or 32, but opening takes what the PRF takes; AES-CM is
 *    malleable, so with V fixed the fuzzer edits the plaintext even in
 *    mode 1), the RAND view lies inside
 *    the input, the ticket no longer opens with a bit of its V flipped,
 *    and the keys sealed again with imsms_base_ticket_seal() under the
 *    same header open to the same plaintext;
 *  - imsms_kms_li_keys(): exactly one audit event (LI_ACCESS or
 *    LI_REFUSED, with the code), never holding the MPK (unless the input
 *    does: the harness's own comparisons can teach it to the fuzzer,
 *    which then writes it into an identity); on failure the
 *    output is all zero; on success the party is 1-3, the ticket opened,
 *    the MPKi is the one derived from its MPK, every key fits, and an
 *    unforked warrant on a Responder of a forking ticket is refused.
 * Fixed once: the context (default provider) and the key ring (TPK ids
 * 1 and 2 as in fuzz_kms.c, id 3 retired).
 */
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/kms.h>
#include <imsmediasec/ticket.h>

#include "fuzz_psk.h"
#include "fuzz_ticket_view.h"
#include "mikey/codec.h"
#include "mikey/labels.h"
#include "mikey/prf.h"
#include "mikey/protect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Must match fuzz_kms.c and gen_kms_corpus.c. */
static const uint8_t tpk1[32] = "fuzz ticket protection key #1..";
static const uint8_t tpk2[16] = "fuzz TPK two...";
static const uint8_t tpk3[20] = "retired ticket key..";

#define KEYCAP 4096
#define MAXKEYS 8
#define MAXIDS 64

static imsms_ctx *ctx;
static imsms_keyring *ring;
static imsms_kms *kms;
static imsms_id TARGETS[4], BOB, TEAM;

/* The MPK of the ticket being checked (for the audit check), if open. */
static uint8_t cur_mpk[IMSMS_PRF_MAX_INKEY];
static size_t cur_mpklen;
static int nevents;
static imsms_kms_event last_ev;
/* The input: an MPK it brought itself may appear in an identity. */
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

static imsms_ssize psk_lookup(imsms_kms *k, const imsms_id *idrpsk,
                              const imsms_id *peer, uint8_t *psk, size_t cap,
                              void *ud) {
  (void)k;
  (void)idrpsk;
  (void)peer;
  (void)psk;
  (void)cap;
  (void)ud;
  return IMSMS_ERR_MIKEY_AUTH;
}

static int is_member(imsms_kms *k, const imsms_id *group, const imsms_id *u,
                     void *ud) {
  (void)k;
  (void)ud;
  return same(group, &TEAM) && same(u, &BOB);
}

static int contains(const uint8_t *hay, size_t n, const uint8_t *needle,
                    size_t m) {
  size_t i;

  for (i = 0; m && n >= m && i <= n - m; i++) {
    if (memcmp(hay + i, needle, m) == 0) {
      return 1;
    }
  }
  return 0;
}

static void audit(imsms_kms *k, const imsms_kms_event *ev, void *ud) {
  (void)k;
  (void)ud;
  if ((ev->type != IMSMS_KMS_LI_ACCESS && ev->type != IMSMS_KMS_LI_REFUSED) ||
      (ev->peer.len && ev->peer.data == NULL) ||
      (ev->initiator.len && ev->initiator.data == NULL) ||
      ((contains(ev->peer.data, ev->peer.len, cur_mpk, cur_mpklen) ||
        contains(ev->initiator.data, ev->initiator.len, cur_mpk,
                 cur_mpklen)) &&
       !contains(cur_in, cur_inlen, cur_mpk, cur_mpklen))) {
    abort();
  }
  nevents++;
  last_ev = *ev;
}

static void setup(void) {
  if (ctx != NULL) {
    return;
  }
  if (imsms_ctx_new(&ctx, NULL, NULL, NULL, NULL) != 0 ||
      imsms_keyring_new(&ring, ctx) != 0 ||
      imsms_keyring_add(ring, 1, tpk1, sizeof(tpk1)) != 0 ||
      imsms_keyring_add(ring, 2, tpk2, sizeof(tpk2)) != 0 ||
      imsms_keyring_add(ring, 3, tpk3, sizeof(tpk3)) != 0 ||
      imsms_keyring_retire(ring, 3) != 0) {
    abort();
  }
  TARGETS[0] = mkid("sip:alice@example.net", IMSMS_MIKEY_ID_URI);
  TARGETS[1] = BOB = mkid("sip:bob@example.net", IMSMS_MIKEY_ID_URI);
  TARGETS[2] = TEAM = mkid("sip:team@example.net", IMSMS_MIKEY_ID_URI);
  TARGETS[3] = mkid("sip:nobody@example.net", IMSMS_MIKEY_ID_URI);
  {
    imsms_kms_callbacks cb;
    imsms_kms_config cfg;

    memset(&cb, 0, sizeof(cb));
    cb.version = IMSMS_KMS_CALLBACKS_V1;
    cb.psk_lookup = psk_lookup;
    cb.is_member = is_member;
    cb.audit = audit;
    memset(&cfg, 0, sizeof(cfg));
    cfg.version = IMSMS_KMS_CONFIG_V1;
    cfg.keyring = ring;
    if (imsms_kms_new(&kms, ctx, &cfg, &cb, NULL) != 0) {
      abort();
    }
  }
}

static int all_zero(const uint8_t *p, size_t n) {
  uint8_t acc = 0;
  size_t i;

  for (i = 0; i < n; i++) {
    acc |= p[i];
  }
  return acc == 0;
}

static void require_inside(const uint8_t *p, size_t n, const uint8_t *lo,
                           size_t lolen) {
  if (n == 0) {
    return;
  }
  if (p == NULL || p < lo || n > lolen || (size_t)(p - lo) > lolen - n) {
    abort();
  }
}

/* ---- Ticket V fix-up ------------------------------------------------- */

/* Encr, salt and auth keys from the TPK named by THDR (RFC 6043 A.2.1). */
static int ticket_keys(const imsms_mikey_ticket *tk, const ticket_view *tv,
                       uint8_t *encr, uint8_t *mac, imsms_mikey_msgkeys *k) {
  uint32_t id = ticket_key_id(tv);

  return id == 2   ? ticket_keys_from(ctx, tk, tv, tpk2, sizeof(tpk2), encr,
                                      mac, k)
         : id == 3 ? ticket_keys_from(ctx, tk, tv, tpk3, sizeof(tpk3), encr,
                                      mac, k)
                   : ticket_keys_from(ctx, tk, tv, tpk1, sizeof(tpk1), encr,
                                      mac, k);
}

/* The ticket's V (after encrypting plaintext KEMAC data). */
static void fix_ticket(uint8_t *buf, const imsms_mikey_ticket *tk,
                       int plaintext) {
  imsms_mikey_msgkeys k;
  ticket_view tv;
  uint8_t encr, macalg;

  if (view_ticket(&tv, tk) != 0 || ticket_keys(tk, &tv, &encr, &macalg, &k)) {
    return;
  }
  ticket_fix_v(ctx, buf, tk, &tv, &k, encr, macalg, plaintext);
  imsms_mikey_msgkeys_clear(&k);
}

/* ---- Ticket policy ---------------------------------------------------- */

static int id_eq(const imsms_id *a, const imsms_id *b) {
  return a->type == b->type && a->len == b->len &&
         (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static int ids_eq(const imsms_id *a, size_t na, const imsms_id *b,
                  size_t nb) {
  size_t i;

  if (na != nb) {
    return 0;
  }
  for (i = 0; i < na; i++) {
    if (!id_eq(&a[i], &b[i])) {
      return 0;
    }
  }
  return 1;
}

/* Same policy (TRs and TRe compared as values: their type is not kept). */
static int tp_eq(const imsms_tp *a, const imsms_tp *b) {
  size_t i;

  if (a->ticket_type != b->ticket_type || a->subtype != b->subtype ||
      a->ticket_version != b->ticket_version || a->prf_func != b->prf_func ||
      a->flags != b->flags || !id_eq(&a->kms, &b->kms) ||
      !id_eq(&a->initiator, &b->initiator) || a->has_start != b->has_start ||
      a->has_end != b->has_end || (a->has_start && a->start != b->start) ||
      (a->has_end && a->end != b->end) || a->has_rekey != b->has_rekey ||
      (a->has_rekey && a->rekey_sec != b->rekey_sec) ||
      a->nkeys != b->nkeys ||
      !ids_eq(a->apps, a->napps, b->apps, b->napps) ||
      !ids_eq(a->responders, a->nresponders, b->responders, b->nresponders)) {
    return 0;
  }
  for (i = 0; i < a->nkeys; i++) {
    if (a->keys[i].type != b->keys[i].type ||
        a->keys[i].key_len != b->keys[i].key_len ||
        a->keys[i].salt_len != b->keys[i].salt_len ||
        a->keys[i].kv != b->keys[i].kv ||
        a->keys[i].spi_len != b->keys[i].spi_len) {
      return 0;
    }
  }
  return 1;
}

static void check_tp(const imsms_mikey_payload *pl) {
  static uint8_t enc[65536 + 16], chain[65536 + 32];
  imsms_tp tp, tp2;
  imsms_tp_key keys[MAXKEYS], keys2[MAXKEYS];
  imsms_id ids[MAXIDS], ids2[MAXIDS];
  imsms_mikey_payload epl, dpl;
  imsms_mikey_iter it;
  imsms_ssize n, cn;
  int rv;

  rv = imsms_tp_decode(&tp, &pl->u.ticket, keys, MAXKEYS, ids, MAXIDS);
  if (rv > 0) {
    abort();
  }
  if (rv != 0) {
    return;
  }
  if (imsms_tp_validate(&tp) != 0 ||
      imsms_tp_grant_acceptable(&tp, &tp, NULL) != 0) {
    abort();
  }
  rv = imsms_tp_check_time(&tp, IMSMS_FUZZ_NOW);
  if (rv != 0 && rv != IMSMS_ERR_TICKET_NOT_YET_VALID &&
      rv != IMSMS_ERR_TICKET_EXPIRED) {
    abort();
  }
  /* Re-encode (TRs, TRe become NTP-UTC; a template is kept, as the
   * decoder reports one in a TICKET too) and decode again. */
  n = imsms_tp_data_encode(&tp, 1, enc, sizeof(enc));
  if (n == IMSMS_ERR_TOO_LARGE) {
    return;
  }
  if (n <= 0 ||
      imsms_tp_payload(&epl, pl->type, &tp, enc, (size_t)n) != 0) {
    abort();
  }
  cn = imsms_mikey_chain_encode(chain, sizeof(chain), &epl, 1);
  if (cn <= 0) {
    abort();
  }
  imsms_mikey_chain_init(&it, pl->type, chain, (size_t)cn);
  if (imsms_mikey_iter_next(&it, &dpl) != 0 ||
      imsms_tp_decode(&tp2, &dpl.u.ticket, keys2, MAXKEYS, ids2, MAXIDS) !=
          0 ||
      !tp_eq(&tp, &tp2)) {
    abort();
  }
}

/* ---- Base ticket ------------------------------------------------------ */

static void check_open(uint8_t *buf, size_t len, imsms_mikey_payload *pl) {
  static uint8_t keybuf[KEYCAP], keybuf2[KEYCAP], sealed[8192];
  imsms_mikey_keydata kd[MAXKEYS + 8];
  imsms_ticket_info info, info2;
  imsms_mikey_ticket t2;
  const imsms_mikey_ticket *tk = &pl->u.ticket;
  uint8_t next = IMSMS_MIKEY_PT_KEY_DATA;
  size_t off = 0, nkd = 0;
  imsms_ssize sl;
  uint8_t *vlast;
  int rv;

  memset(keybuf, 0x5a, sizeof(keybuf));
  memset(&info, 0x5a, sizeof(info));
  rv = imsms_base_ticket_open(ctx, ring, tk, keybuf, sizeof(keybuf), &info);
  if (rv != 0) {
    if (rv > 0 || !all_zero(keybuf, sizeof(keybuf)) ||
        !all_zero((const uint8_t *)&info, sizeof(info))) {
      abort();
    }
    return;
  }
  if (info.keys_len == 0 || info.keys_len > sizeof(keybuf) ||
      info.rand_len < 1 || (info.key_id != 1 && info.key_id != 2)) {
    abort();
  }
  require_inside(info.rand, info.rand_len, buf, len);
  while (next == IMSMS_MIKEY_PT_KEY_DATA && off < info.keys_len) {
    imsms_ssize r;

    if (nkd == sizeof(kd) / sizeof(kd[0])) {
      return; /* longer chains are fine, just not re-sealed here */
    }
    r = imsms_mikey_keydata_decode(&kd[nkd++], &next, keybuf + off,
                                   info.keys_len - off);
    if (r <= 0 || (size_t)r > info.keys_len - off) {
      abort();
    }
    off += (size_t)r;
  }
  if (next != 0 || off != info.keys_len ||
      kd[0].type != IMSMS_MIKEY_KEY_MPK || kd[0].key_len < 16 ||
      kd[0].key_len > IMSMS_PRF_MAX_INKEY) {
    abort();
  }
  /* One bit of V flipped: not authentic any more. */
  vlast = buf + ((tk->ticket_data + tk->ticket_data_len - 1) - buf);
  *vlast ^= 0x01;
  rv = imsms_base_ticket_open(ctx, ring, tk, keybuf2, sizeof(keybuf2), &info2);
  *vlast ^= 0x01;
  if (rv != IMSMS_ERR_MIKEY_AUTH || !all_zero(keybuf2, sizeof(keybuf2))) {
    abort();
  }
  /* Sealed again under the same header: the same plaintext. */
  sl = imsms_base_ticket_seal(ctx, ring, tk, IMSMS_FUZZ_NOW, kd, nkd, sealed,
                              sizeof(sealed));
  if (sl == IMSMS_ERR_TOO_LARGE || sl == IMSMS_ERR_NOBUF) {
    return;
  }
  if (sl <= 0) {
    abort();
  }
  t2 = *tk;
  t2.ticket_data = sealed;
  t2.ticket_data_len = (size_t)sl;
  if (imsms_base_ticket_open(ctx, ring, &t2, keybuf2, sizeof(keybuf2),
                             &info2) != 0 ||
      info2.keys_len != info.keys_len || info2.t != IMSMS_FUZZ_NOW ||
      info2.key_id != 1 ||
      memcmp(keybuf2, keybuf, info.keys_len) != 0) {
    abort();
  }
  memset(keybuf2, 0, sizeof(keybuf2));
}

/* Lawful interception of the ticket under a warrant on |target|. */
static void check_li(const imsms_mikey_ticket *tk, const imsms_id *target,
                     int fork) {
  static const uint8_t randrkms[16] = "fixed RANDRkms..";
  static uint8_t keybuf[KEYCAP];
  static imsms_kms_li_out out;
  uint8_t mpki[IMSMS_PRF_MAX_INKEY];
  imsms_kms_warrant w;
  imsms_ticket_info info;
  imsms_mikey_keydata mpk;
  uint8_t next;
  size_t i;
  int rv, opened;

  cur_mpklen = 0;
  opened = imsms_base_ticket_open(ctx, ring, tk, keybuf, sizeof(keybuf),
                                  &info) == 0;
  if (opened &&
      (imsms_mikey_keydata_decode(&mpk, &next, keybuf, info.keys_len) <= 0 ||
       mpk.key_len > sizeof(cur_mpk) ||
       imsms_base_ticket_mpk(ctx, tk->prf_func, mpk.key, mpk.key_len,
                             info.rand, info.rand_len, mpki, NULL) != 0)) {
    abort();
  }
  if (opened) {
    memcpy(cur_mpk, mpk.key, mpk.key_len);
    cur_mpklen = mpk.key_len;
  }
  memset(&w, 0, sizeof(w));
  w.version = IMSMS_KMS_WARRANT_V1;
  w.target = *target;
  w.start = IMSMS_FUZZ_NOW - ((imsms_tstamp)86400 << 32);
  w.end = IMSMS_FUZZ_NOW + ((imsms_tstamp)86400 << 32);
  memset(&out, 0x5a, sizeof(out));
  nevents = 0;
  rv = imsms_kms_li_keys(kms, &w, tk, fork ? &BOB : NULL,
                         fork ? randrkms : NULL, fork ? sizeof(randrkms) : 0,
                         IMSMS_FUZZ_NOW, &out);
  if (rv > 0 || nevents != 1 || last_ev.error != rv ||
      last_ev.type != (rv == 0 ? IMSMS_KMS_LI_ACCESS : IMSMS_KMS_LI_REFUSED)) {
    abort();
  }
  if (rv != 0) {
    if (!all_zero((const uint8_t *)&out, sizeof(out))) {
      abort();
    }
  } else {
    if (!opened || out.party < IMSMS_KMS_LI_INITIATOR ||
        out.party > IMSMS_KMS_LI_MEMBER || out.nkeys > IMSMS_KMS_LI_MAX_KEYS ||
        out.mpki.key_len != cur_mpklen ||
        memcmp(out.mpki.key, mpki, cur_mpklen) != 0 ||
        out.mpki.type != IMSMS_MIKEY_KEY_MPK ||
        out.mpkr.key_len > IMSMS_KMS_LI_MAX_KEY ||
        ((tk->flags & IMSMS_TP_I) && !fork &&
         out.party != IMSMS_KMS_LI_INITIATOR)) {
      abort();
    }
    for (i = 0; i < out.nkeys; i++) {
      if (out.keys[i].key_len > IMSMS_KMS_LI_MAX_KEY ||
          out.keys[i].salt_len > IMSMS_KMS_LI_MAX_KEY ||
          out.keys[i].spi_len > IMSMS_KMS_LI_MAX_SPI) {
        abort();
      }
    }
  }
  memset(&out, 0, sizeof(out));
  memset(keybuf, 0, sizeof(keybuf));
  memset(cur_mpk, 0, sizeof(cur_mpk));
  cur_mpklen = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  imsms_mikey_payload pl;
  imsms_mikey_iter it;
  uint8_t *buf, type;
  size_t len;
  int mode;

  setup();
  if (size < 1) {
    return 0;
  }
  mode = data[0] & 3;
  type = (data[0] & 4) ? IMSMS_MIKEY_PT_TP : IMSMS_MIKEY_PT_TICKET;
  len = size - 1;
  buf = malloc(len ? len : 1);
  if (buf == NULL) {
    abort();
  }
  if (len) {
    memcpy(buf, data + 1, len);
  }
  cur_in = data + 1;
  cur_inlen = len;
  imsms_mikey_chain_init(&it, type, buf, len);
  if (imsms_mikey_iter_next(&it, &pl) == 0 && pl.type == type) {
    if (mode && type == IMSMS_MIKEY_PT_TICKET) {
      fix_ticket(buf, &pl.u.ticket, mode >= 2);
    }
    check_tp(&pl);
    if (type == IMSMS_MIKEY_PT_TICKET) {
      check_open(buf, len, &pl);
      if (data[0] & 8) {
        check_li(&pl.u.ticket, &TARGETS[(data[0] >> 4) & 3],
                 (data[0] & 0x40) != 0);
      }
    }
  }
  free(buf);
  return 0;
}
