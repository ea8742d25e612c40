/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * What fuzz_kms and fuzz_ticket share to repair a mutated MIKEY base
 * ticket (RFC 6043 App. A) so that it gets past its V: the Ticket Data
 * payloads, and the keys derived from a TPK. Static functions for the
 * one harness that includes it; internal headers (lib/).
 */
#ifndef IMSMS_FUZZ_TICKET_VIEW_H
#define IMSMS_FUZZ_TICKET_VIEW_H

#include <string.h>

#include <imsmediasec/mikey.h>

#include "mikey/codec.h"
#include "mikey/labels.h"
#include "mikey/prf.h"
#include "mikey/protect.h"

/* The Ticket Data payloads base_ticket.c uses. */
typedef struct ticket_view {
  imsms_mikey_payload thdr, t, rand, kemac, v;
  int have_t, have_rand, have_kemac, have_v;
} ticket_view;

static int view_ticket(ticket_view *tv, const imsms_mikey_ticket *tk) {
  imsms_mikey_payload pl;
  imsms_mikey_iter it;
  int rv;

  memset(tv, 0, sizeof(*tv));
  imsms_mikey_chain_init(&it, IMSMS_MIKEY_PT_THDR, tk->ticket_data,
                         tk->ticket_data_len);
  if (imsms_mikey_iter_next(&it, &tv->thdr) != 0) {
    return -1;
  }
  while ((rv = imsms_mikey_iter_next(&it, &pl)) == 0) {
    switch (pl.type) {
    case IMSMS_MIKEY_PT_T:
      tv->t = pl;
      tv->have_t = 1;
      break;
    case IMSMS_MIKEY_PT_RAND:
      tv->rand = pl;
      tv->have_rand = 1;
      break;
    case IMSMS_MIKEY_PT_KEMAC:
      tv->kemac = pl;
      tv->have_kemac = 1;
      break;
    case IMSMS_MIKEY_PT_V:
      tv->v = pl;
      tv->have_v = 1;
      break;
    default:
      break;
    }
  }
  if (!tv->have_rand || !tv->have_kemac || !tv->have_v ||
      tv->v.raw + tv->v.rawlen != tk->ticket_data + tk->ticket_data_len ||
      tv->thdr.type != IMSMS_MIKEY_PT_THDR) {
    return -1;
  }
  return 0;
}

/* The key id a 4-byte THDR key-ring id names, or 0. */
static uint32_t ticket_key_id(const ticket_view *tv) {
  const uint8_t *d = tv->thdr.u.thdr.data;

  if (tv->thdr.u.thdr.len != 4) {
    return 0;
  }
  return (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 |
         d[3];
}

/* Encr, salt and auth keys of the ticket from |tpk| (RFC 6043 A.2.1). */
static int ticket_keys_from(imsms_ctx *ctx, const imsms_mikey_ticket *tk,
                            const ticket_view *tv, const uint8_t *tpk,
                            size_t tpklen, uint8_t *encr, uint8_t *mac,
                            imsms_mikey_msgkeys *k) {
  static const uint32_t constants[3] = {
      IMSMS_LABEL_ENV_ENCR, IMSMS_LABEL_ENV_SALT, IMSMS_LABEL_ENV_AUTH};
  uint8_t label[IMSMS_LABEL_MAX_LEN];
  imsms_prf prf;
  imsms_ssize n;
  int rv, i;

  memset(k, 0, sizeof(*k));
  if (imsms_mikey_algs_for_prf(tk->prf_func, encr, mac) != 0 ||
      imsms_mikey_alg_lens(*encr, *mac, k) != 0) {
    return -1;
  }
  imsms_prf_init(&prf, ctx);
  rv = imsms_prf_setkey(&prf, tk->prf_func, tpk, tpklen);
  for (i = 0; rv == 0 && i < 3; i++) {
    uint8_t *out = i == 0 ? k->encr : i == 1 ? k->salt : k->auth;
    size_t outlen = i == 0 ? k->encr_len : i == 1 ? k->salt_len : k->auth_len;

    n = imsms_label_tpk_6043(label, sizeof(label), constants[i],
                             tv->rand.u.rand.rand, tv->rand.u.rand.len);
    rv = n < 0 ? (int)n
               : imsms_prf_derive(&prf, label, (size_t)n, out, outlen);
  }
  imsms_prf_free(&prf);
  return rv;
}

/*
 * Encrypts the KEMAC data in place when |plaintext| (the input put key
 * data there), then writes the ticket's V over the fixed bytes as the
 * codec writes them, the lengths, TP Data and Ticket Data (RFC 6043 A):
 * |buf| holds the ticket |tk| viewed by |tv|, keyed by |k|.
 */
static void ticket_fix_v(imsms_ctx *ctx, uint8_t *buf,
                         const imsms_mikey_ticket *tk, const ticket_view *tv,
                         const imsms_mikey_msgkeys *k, uint8_t encr,
                         uint8_t macalg, int plaintext) {
  static uint8_t tmp[65536];
  uint8_t fixed[1 + 7 + 6], lens[4], mac[IMSMS_MAX_DIGEST_LEN];
  const imsms_mikey_kemac *km = &tv->kemac.u.kemac;
  int ml = imsms_mikey_mac_len(macalg);
  size_t olen = 0, vlen = tv->v.u.v.len;
  imsms_mikey_payload epl;
  imsms_iov iov[5];

  if (plaintext && km->encr_alg == encr && km->encr_len <= sizeof(tmp) &&
      imsms_mikey_kemac_crypt(ctx, 1, encr, k, 0xFFFFFFFFu,
                              tv->have_t ? tv->t.u.t.value : 0, km->encr_data,
                              km->encr_len, tmp, sizeof(tmp), &olen) == 0 &&
      olen == km->encr_len) {
    memcpy(buf + (km->encr_data - buf), tmp, olen);
  }
  imsms_secure_clear(tmp, sizeof(tmp));
  memset(&epl, 0, sizeof(epl));
  epl.type = IMSMS_MIKEY_PT_TICKET;
  epl.u.ticket = *tk;
  epl.u.ticket.tp_data = NULL;
  epl.u.ticket.tp_data_len = 0;
  epl.u.ticket.ticket_data = NULL;
  epl.u.ticket.ticket_data_len = 0;
  epl.u.ticket.init_data = NULL;
  epl.u.ticket.init_data_len = 0;
  if (tv->v.u.v.alg != macalg || ml <= 0 || (size_t)ml != vlen ||
      imsms_mikey_chain_encode(fixed, sizeof(fixed), &epl, 1) !=
          (imsms_ssize)sizeof(fixed)) {
    return;
  }
  lens[0] = (uint8_t)(tk->tp_data_len >> 8);
  lens[1] = (uint8_t)tk->tp_data_len;
  lens[2] = (uint8_t)(tk->ticket_data_len >> 8);
  lens[3] = (uint8_t)tk->ticket_data_len;
  iov[0].base = fixed + 1;
  iov[0].len = 7;
  iov[1].base = lens;
  iov[1].len = 2;
  iov[2].base = tk->tp_data;
  iov[2].len = tk->tp_data_len;
  iov[3].base = lens + 2;
  iov[3].len = 2;
  iov[4].base = tk->ticket_data;
  iov[4].len = tk->ticket_data_len - vlen;
  if (imsms_mikey_mac(ctx, macalg, k->auth, k->auth_len, iov, 5, mac) == 0) {
    memcpy(buf + (tv->v.u.v.mac - buf), mac, vlen);
  }
}

#endif /* IMSMS_FUZZ_TICKET_VIEW_H */
