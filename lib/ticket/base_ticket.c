/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The MIKEY base ticket (RFC 6043 appendix A):
 *
 *   Ticket Data = THDR, T, RAND, KEMAC, [IDRpsk], V
 *
 * sealed and opened under a ticket protection key (TPK) of a key ring.
 * Choices where the RFC leaves room (see imsmediasec/ticket.h):
 *  - THDR Data is the 4-byte big-endian key-ring id of the TPK; IDRpsk is
 *    never written, and ignored like any other unexpected payload.
 *  - The algorithms follow the TP's PRF and are never mixed (RFC 6043
 *    12.1): MIKEY-1 with AES-CM-128 and HMAC-SHA-1-160, PRF-HMAC-SHA-256
 *    with AES-CM-256 and HMAC-SHA-256-256. A ticket with other
 *    algorithms is refused as not authentic.
 *  - The KEMAC AES-CM IV uses CSB ID 0xFFFFFFFF (A.1) and the ticket's T.
 *  - RAND is as long as the longer of TPK and MPK, at least 16 bytes
 *    (12.1), at most 255.
 *  - Sealed initiator (a private extension for anonymous callers,
 *    imsms_base_ticket_seal_id()): the KEMAC plaintext is the key data
 *    chain (its last next-payload 0) followed by one IDR payload, role
 *    IDRi, next payload 0, and zero bytes up to a multiple of 64 bytes:
 *    encrypted and covered by V like the keys, so only the KMS reads it,
 *    and its length shows the identity's only to 64 bytes. Other implementations never write it; one
 *    that opens such a ticket sees trailing bytes after the key data.
 *
 * V covers the TICKET payload as it is encoded, except its next-payload
 * byte, the Initiator Data length, the Initiator Data and the MAC value
 * (A.1): ticket type, subtype, version, the PRF/flags bytes, TP Data
 * length, TP Data, Ticket Data length and Ticket Data up to the MAC. The
 * fixed bytes come from the codec (a TICKET payload encoded with empty
 * views), so the bit layout of PRF and flags exists in one place only.
 */
#include <string.h>

#include "core/ctx.h"
#include "mikey/codec.h"
#include "mikey/labels.h"
#include "mikey/prf.h"
#include "mikey/protect.h"
#include "ticket/ticket_int.h"

/* Plaintext key data of one ticket (MPK and session keys). */
#define MAX_KEYDATA 1024
/* RAND length bounds (RFC 6043 12.1; RAND's length field is 8 bits). */
#define MIN_RAND 16
#define MAX_RAND 255
/* MPK length bounds: 128 bits (12.1) up to the PRF's longest inkey. */
#define MIN_MPK 16
#define MAX_MPK IMSMS_PRF_MAX_INKEY
/* CSB ID in the KEMAC IV (RFC 6043 A.1). */
#define TICKET_CSB_ID 0xFFFFFFFFu
/* Ticket type .. reserved bits: the bytes after the next-payload byte. */
#define TICKET_FIXED_LEN 7
/* A TICKET payload with empty TP, Ticket and Initiator Data. */
#define TICKET_EMPTY_LEN (1 + TICKET_FIXED_LEN + 2 + 2 + 2)
/* Grain of the KEMAC plaintext of a ticket with a sealed initiator. */
#define SEAL_PAD 64
/* THDR Data: the key id. */
#define THDR_DATA_LEN 4
/* Ticket Data as sealed here: THDR, T, RAND, KEMAC, V. */
#define SEALED_PAYLOADS 5

static const uint8_t zero_mac[IMSMS_MAX_DIGEST_LEN];

static int check_type(const imsms_mikey_ticket *t) {
  return t->ticket_type == IMSMS_MIKEY_TICKET_MIKEY_BASE && t->subtype == 1 &&
                 t->version == 1
             ? 0
             : IMSMS_ERR_MIKEY_TICKET_TYPE;
}

/*
 * The 7 fixed bytes of the TICKET payload |t| (ticket type to the
 * reserved bits), as the codec writes them. Returns 0 or
 * IMSMS_ERR_INVALID_ARGUMENT (fields the codec cannot encode).
 */
static int ticket_fixed(const imsms_mikey_ticket *t,
                        uint8_t fixed[TICKET_FIXED_LEN]) {
  uint8_t buf[TICKET_EMPTY_LEN];
  imsms_mikey_payload pl;
  imsms_ssize n;

  memset(&pl, 0, sizeof(pl));
  pl.type = IMSMS_MIKEY_PT_TICKET;
  pl.u.ticket.ticket_type = t->ticket_type;
  pl.u.ticket.subtype = t->subtype;
  pl.u.ticket.version = t->version;
  pl.u.ticket.prf_func = t->prf_func;
  pl.u.ticket.flags = t->flags;
  pl.u.ticket.reserved = t->reserved;
  n = imsms_mikey_chain_encode(buf, sizeof(buf), &pl, 1);
  if (n != (imsms_ssize)sizeof(buf)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memcpy(fixed, buf + 1, TICKET_FIXED_LEN);
  return 0;
}

/* Encr, salt and auth keys from the TPK and RAND (RFC 6043 A.2.1). */
static int tpk_keys(imsms_ctx *ctx, uint8_t prf_func, uint8_t encr_alg,
                    uint8_t mac_alg, const uint8_t *tpk, size_t tpklen,
                    const uint8_t *rand, size_t randlen,
                    imsms_mikey_msgkeys *k) {
  uint8_t label[IMSMS_LABEL_MAX_LEN];
  imsms_prf prf;
  imsms_ssize n;
  int rv;

  rv = imsms_mikey_alg_lens(encr_alg, mac_alg, k);
  if (rv != 0) {
    return rv;
  }
  imsms_prf_init(&prf, ctx);
  rv = imsms_prf_setkey(&prf, prf_func, tpk, tpklen);
  if (rv == 0) {
    n = imsms_label_tpk_6043(label, sizeof(label), IMSMS_LABEL_ENV_ENCR, rand,
                             randlen);
    rv = n < 0 ? (int)n
               : imsms_mikey_keys_from_label(&prf, label, (size_t)n, k);
  }
  imsms_prf_free(&prf);
  if (rv != 0) {
    imsms_mikey_msgkeys_clear(k);
  }
  return rv;
}

/*
 * The V MAC input: the fixed bytes, TP Data length and TP Data of |t|,
 * then Ticket Data length and the first |covered| bytes of the Ticket
 * Data |td| of |tdlen| bytes. |lens| holds the two length fields.
 */
static void mac_input(imsms_iov iov[5], const uint8_t fixed[TICKET_FIXED_LEN],
                      uint8_t lens[4], const imsms_mikey_ticket *t,
                      const uint8_t *td, size_t tdlen, size_t covered) {
  lens[0] = (uint8_t)(t->tp_data_len >> 8);
  lens[1] = (uint8_t)t->tp_data_len;
  lens[2] = (uint8_t)(tdlen >> 8);
  lens[3] = (uint8_t)tdlen;
  iov[0].base = fixed;
  iov[0].len = TICKET_FIXED_LEN;
  iov[1].base = lens;
  iov[1].len = 2;
  iov[2].base = t->tp_data;
  iov[2].len = t->tp_data_len;
  iov[3].base = lens + 2;
  iov[3].len = 2;
  iov[4].base = td;
  iov[4].len = covered;
}

/* Checks of imsms_base_ticket_seal() that need no key. */
static int seal_args(const imsms_mikey_ticket *hdr,
                     const imsms_mikey_keydata *keys, size_t nkeys,
                     uint8_t *encr_alg, uint8_t *mac_alg,
                     uint8_t fixed[TICKET_FIXED_LEN]) {
  int rv;

  if ((hdr->tp_data == NULL && hdr->tp_data_len) || keys == NULL ||
      nkeys == 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (hdr->tp_data_len > 0xffff) {
    return IMSMS_ERR_TOO_LARGE;
  }
  if ((rv = check_type(hdr)) != 0 ||
      (rv = imsms_mikey_algs_for_prf(hdr->prf_func, encr_alg, mac_alg)) != 0) {
    return rv;
  }
  if (keys[0].type != IMSMS_MIKEY_KEY_MPK || keys[0].key_len < MIN_MPK ||
      keys[0].key_len > MAX_MPK) {
    return IMSMS_ERR_MIKEY_KEY_DATA;
  }
  return ticket_fixed(hdr, fixed);
}

static void add_payload(imsms_mikey_payload *pl, size_t *n, uint8_t type) {
  memset(&pl[*n], 0, sizeof(pl[*n]));
  pl[*n].type = type;
  (*n)++;
}

/* The sealed initiator after the key data: one IDR payload, role IDRi. */
static imsms_ssize put_sealed_id(uint8_t *out, size_t cap,
                                 const imsms_id *id) {
  imsms_mikey_payload pl;

  memset(&pl, 0, sizeof(pl));
  pl.type = IMSMS_MIKEY_PT_IDR;
  pl.u.idr.role = IMSMS_MIKEY_IDR_I;
  pl.u.idr.id_type = id->type;
  pl.u.idr.data = id->data;
  pl.u.idr.len = id->len;
  return imsms_mikey_chain_encode(out, cap, &pl, 1);
}

static imsms_ssize seal(imsms_ctx *ctx, imsms_keyring *kr,
                        const imsms_mikey_ticket *hdr, imsms_tstamp now,
                        const imsms_mikey_keydata *keys, size_t nkeys,
                        const imsms_id *sealed, uint8_t *out, size_t outcap,
                        uint8_t *rand_out, size_t *rand_len) {
  uint8_t tpk[IMSMS_KEYRING_MAX_TPK], own_rand[MAX_RAND], *rand = own_rand;
  uint8_t plain[MAX_KEYDATA], cipher[MAX_KEYDATA];
  uint8_t fixed[TICKET_FIXED_LEN], lens[4], idbuf[THDR_DATA_LEN];
  imsms_mikey_payload pl[SEALED_PAYLOADS];
  imsms_mikey_msgkeys k;
  imsms_iov iov[5];
  uint8_t encr_alg = 0, mac_alg = 0;
  size_t tpklen = 0, randlen, clen = 0, maclen, n = 0;
  uint32_t key_id = 0;
  imsms_ssize plen, len = 0;
  int rv;

  memset(&k, 0, sizeof(k));
  /* No length-only mode: the MAC is written into |out|. */
  if (ctx == NULL || kr == NULL || hdr == NULL || out == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  rv = seal_args(hdr, keys, nkeys, &encr_alg, &mac_alg, fixed);
  if (rv != 0) {
    return rv;
  }
  plen = imsms_mikey_keydata_encode(plain, sizeof(plain), keys, nkeys);
  if (plen >= 0 && sealed != NULL) {
    imsms_ssize idlen = put_sealed_id(
        plain + plen, sizeof(plain) - (size_t)plen, sealed);
    size_t padded;

    plen = idlen < 0 ? idlen : plen + idlen;
    /* Zero padding to a multiple of SEAL_PAD: the ciphertext's length
     * tells the identity's length only to that grain. */
    padded = plen < 0 ? 0 : ((size_t)plen + SEAL_PAD - 1) / SEAL_PAD * SEAL_PAD;
    if (plen >= 0 && padded > sizeof(plain)) {
      plen = IMSMS_ERR_NOBUF;
    } else if (plen >= 0) {
      memset(plain + plen, 0, padded - (size_t)plen);
      plen = (imsms_ssize)padded;
    }
  }
  if (plen < 0) {
    rv = plen == IMSMS_ERR_NOBUF || plen == IMSMS_ERR_MIKEY_LENGTH
             ? IMSMS_ERR_TOO_LARGE
             : (int)plen;
    goto fail;
  }
  rv = imsms_keyring_copy(kr, 1, &key_id, tpk, &tpklen);
  if (rv != 0) {
    goto fail;
  }
  randlen = tpklen > keys[0].key_len ? tpklen : keys[0].key_len;
  randlen = randlen < MIN_RAND   ? MIN_RAND
            : randlen > MAX_RAND ? MAX_RAND
                                 : randlen;
  if (rand_out != NULL && *rand_len >= randlen) {
    /* The caller drew it with its keys: one RNG call, not two. */
    rand = rand_out;
  } else if ((rv = imsms_random(ctx, rand, randlen)) != 0) {
    goto fail;
  }
  if ((rv = tpk_keys(ctx, hdr->prf_func, encr_alg, mac_alg, tpk, tpklen, rand,
                     randlen, &k)) != 0 ||
      (rv = imsms_mikey_kemac_crypt(ctx, 1, encr_alg, &k, TICKET_CSB_ID, now,
                                    plain, (size_t)plen, cipher, sizeof(cipher),
                                    &clen)) != 0) {
    goto fail;
  }
  idbuf[0] = (uint8_t)(key_id >> 24);
  idbuf[1] = (uint8_t)(key_id >> 16);
  idbuf[2] = (uint8_t)(key_id >> 8);
  idbuf[3] = (uint8_t)key_id;
  add_payload(pl, &n, IMSMS_MIKEY_PT_THDR);
  pl[n - 1].u.thdr.data = idbuf;
  pl[n - 1].u.thdr.len = sizeof(idbuf);
  add_payload(pl, &n, IMSMS_MIKEY_PT_T);
  pl[n - 1].u.t.ts_type = IMSMS_MIKEY_TS_NTP_UTC;
  pl[n - 1].u.t.value = now;
  add_payload(pl, &n, IMSMS_MIKEY_PT_RAND);
  pl[n - 1].u.rand.rand = rand;
  pl[n - 1].u.rand.len = randlen;
  add_payload(pl, &n, IMSMS_MIKEY_PT_KEMAC);
  pl[n - 1].u.kemac.encr_alg = encr_alg;
  pl[n - 1].u.kemac.encr_data = cipher;
  pl[n - 1].u.kemac.encr_len = clen;
  pl[n - 1].u.kemac.mac_alg = IMSMS_MIKEY_MAC_NULL;
  add_payload(pl, &n, IMSMS_MIKEY_PT_V);
  maclen = (size_t)imsms_mikey_mac_len(mac_alg);
  pl[n - 1].u.v.alg = mac_alg;
  pl[n - 1].u.v.mac = zero_mac;
  pl[n - 1].u.v.len = maclen;
  len = imsms_mikey_chain_encode(out, outcap, pl, n);
  if (len < 0) {
    rv = (int)len;
    len = 0;
    goto fail;
  }
  mac_input(iov, fixed, lens, hdr, out, (size_t)len, (size_t)len - maclen);
  rv = imsms_mikey_mac(ctx, mac_alg, k.auth, k.auth_len, iov, 5,
                       out + (size_t)len - maclen);
  if (rv == 0 && rand_out != NULL) {
    if (rand != rand_out) {
      memcpy(rand_out, rand, randlen);
    }
    *rand_len = randlen;
  }
fail:
  imsms_secure_clear(tpk, sizeof(tpk));
  /* As far as written: whole 1 KB buffers are mostly cold lines. The
   * ciphertext and the RAND are not wiped: both go into the Ticket Data
   * in the clear. */
  imsms_secure_clear(plain, plen > 0 ? (size_t)plen : sizeof(plain));
  imsms_mikey_msgkeys_clear(&k);
  if (rv != 0) {
    if (len > 0) {
      imsms_secure_clear(out, (size_t)len);
    }
    return rv;
  }
  return len;
}

/* see imsmediasec/ticket.h */
imsms_ssize imsms_base_ticket_seal(imsms_ctx *ctx, imsms_keyring *kr,
                                   const imsms_mikey_ticket *hdr,
                                   imsms_tstamp now,
                                   const imsms_mikey_keydata *keys,
                                   size_t nkeys, uint8_t *out, size_t outcap) {
  return seal(ctx, kr, hdr, now, keys, nkeys, NULL, out, outcap, NULL, NULL);
}

static int sealed_id_ok(const imsms_id *initiator) {
  return initiator != NULL && initiator->len != 0 &&
         initiator->data != NULL && initiator->len <= 0xffff;
}

/* see imsmediasec/ticket.h */
imsms_ssize imsms_base_ticket_seal_id(imsms_ctx *ctx, imsms_keyring *kr,
                                      const imsms_mikey_ticket *hdr,
                                      imsms_tstamp now,
                                      const imsms_mikey_keydata *keys,
                                      size_t nkeys, const imsms_id *initiator,
                                      uint8_t *out, size_t outcap) {
  if (!sealed_id_ok(initiator)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  return seal(ctx, kr, hdr, now, keys, nkeys, initiator, out, outcap, NULL,
              NULL);
}

/* see ticket/ticket_int.h */
imsms_ssize imsms_base_ticket_seal_rand(imsms_ctx *ctx, imsms_keyring *kr,
                                        const imsms_mikey_ticket *hdr,
                                        imsms_tstamp now,
                                        const imsms_mikey_keydata *keys,
                                        size_t nkeys, const imsms_id *initiator,
                                        uint8_t *out, size_t outcap,
                                        uint8_t *rand, size_t *randlen) {
  if (rand == NULL || randlen == NULL ||
      (initiator != NULL && !sealed_id_ok(initiator))) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  return seal(ctx, kr, hdr, now, keys, nkeys, initiator, out, outcap, rand,
              randlen);
}

/* The payloads of Ticket Data that opening uses. */
typedef struct ticket_fields {
  imsms_mikey_payload thdr, t, rand, kemac, v;
  int have_t, have_rand, have_kemac, have_v, dup;
} ticket_fields;

/*
 * Walks the Ticket Data of |t|: THDR first, then T, RAND, KEMAC once
 * each and V last; other payloads are ignored (RFC 6043 A). Returns 0, a
 * decode error, IMSMS_ERR_MIKEY_TRAILING or IMSMS_ERR_MIKEY_MISSING.
 */
static int gather(ticket_fields *f, const imsms_mikey_ticket *t) {
  imsms_mikey_payload pl;
  imsms_mikey_iter it;
  int rv;

  memset(f, 0, sizeof(*f));
  imsms_mikey_chain_init(&it, IMSMS_MIKEY_PT_THDR, t->ticket_data,
                         t->ticket_data_len);
  rv = imsms_mikey_iter_next(&it, &f->thdr);
  while (rv == 0) {
    rv = imsms_mikey_iter_next(&it, &pl);
    if (rv != 0) {
      break;
    }
    switch (pl.type) {
    case IMSMS_MIKEY_PT_T:
      f->dup |= f->have_t++;
      f->t = pl;
      break;
    case IMSMS_MIKEY_PT_RAND:
      f->dup |= f->have_rand++;
      f->rand = pl;
      break;
    case IMSMS_MIKEY_PT_KEMAC:
      f->dup |= f->have_kemac++;
      f->kemac = pl;
      break;
    case IMSMS_MIKEY_PT_V:
      f->dup |= f->have_v++;
      f->v = pl;
      break;
    default:
      break; /* IDRpsk and anything unexpected: ignored */
    }
  }
  if (rv != IMSMS_ERR_EOF) {
    return rv;
  }
  if (it.pos != it.end) {
    return IMSMS_ERR_MIKEY_TRAILING;
  }
  /* V is last: its MAC value ends the Ticket Data. */
  if (f->dup || !f->have_t || !f->have_rand || !f->have_kemac || !f->have_v ||
      f->v.raw + f->v.rawlen != t->ticket_data + t->ticket_data_len) {
    return IMSMS_ERR_MIKEY_MISSING;
  }
  return 0;
}

/*
 * The decrypted key data: one well-formed chain that starts with the MPK
 * (its length in |*chain|), then nothing or the sealed initiator.
 */
static int check_keydata(const uint8_t *p, size_t len, size_t *chain,
                         imsms_id *sealed) {
  imsms_mikey_keydata kd;
  uint8_t next = IMSMS_MIKEY_PT_KEY_DATA;
  size_t off = 0;
  imsms_ssize n;
  int first = 1;

  /* An empty key would reach key derivation and forking (fuzz_kms). */
  while (next == IMSMS_MIKEY_PT_KEY_DATA && off < len) {
    n = imsms_mikey_keydata_decode(&kd, &next, p + off, len - off);
    if (n <= 0 || kd.key_len == 0 ||
        (first && (kd.type != IMSMS_MIKEY_KEY_MPK || kd.key_len < MIN_MPK ||
                   kd.key_len > MAX_MPK))) {
      return IMSMS_ERR_MIKEY_KEY_DATA;
    }
    off += (size_t)n;
    first = 0;
  }
  if (first || next != 0) {
    return IMSMS_ERR_MIKEY_KEY_DATA;
  }
  *chain = off;
  memset(sealed, 0, sizeof(*sealed));
  if (off < len) {
    imsms_mikey_payload pl;
    imsms_mikey_iter it;

    const uint8_t *pad;

    imsms_mikey_chain_init(&it, IMSMS_MIKEY_PT_IDR, p + off, len - off);
    if (imsms_mikey_iter_next(&it, &pl) != 0 ||
        pl.u.idr.role != IMSMS_MIKEY_IDR_I || pl.u.idr.len == 0 ||
        pl.next != 0 || len - (size_t)(pl.raw + pl.rawlen - p) >= SEAL_PAD) {
      return IMSMS_ERR_MIKEY_KEY_DATA;
    }
    /* Only zero padding after it. */
    for (pad = pl.raw + pl.rawlen; pad < p + len; pad++) {
      if (*pad != 0) {
        return IMSMS_ERR_MIKEY_KEY_DATA;
      }
    }
    sealed->type = pl.u.idr.id_type;
    sealed->data = pl.u.idr.data;
    sealed->len = pl.u.idr.len;
  }
  return 0;
}

/* Checks of imsms_base_ticket_open() that need no key. */
static int open_fields(const imsms_mikey_ticket *t, ticket_fields *f,
                       uint8_t *encr_alg, uint8_t *mac_alg,
                       uint8_t fixed[TICKET_FIXED_LEN], uint32_t *key_id) {
  const uint8_t *id;
  int rv;

  if ((t->tp_data == NULL && t->tp_data_len) ||
      (t->ticket_data == NULL && t->ticket_data_len) ||
      t->tp_data_len > 0xffff || t->ticket_data_len > 0xffff) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if ((rv = check_type(t)) != 0 ||
      (rv = imsms_mikey_algs_for_prf(t->prf_func, encr_alg, mac_alg)) != 0 ||
      (rv = ticket_fixed(t, fixed)) != 0 || (rv = gather(f, t)) != 0) {
    return rv;
  }
  if (f->thdr.u.thdr.len != THDR_DATA_LEN) {
    return IMSMS_ERR_TICKET_KEY_UNKNOWN;
  }
  id = f->thdr.u.thdr.data;
  *key_id = (uint32_t)id[0] << 24 | (uint32_t)id[1] << 16 |
            (uint32_t)id[2] << 8 | id[3];
  /* Not what a ticket sealed here carries: not authentic. */
  if (f->kemac.u.kemac.encr_alg != *encr_alg ||
      f->kemac.u.kemac.mac_alg != IMSMS_MIKEY_MAC_NULL ||
      f->v.u.v.alg != *mac_alg) {
    return IMSMS_ERR_MIKEY_AUTH;
  }
  return 0;
}

/* see imsmediasec/ticket.h */
int imsms_base_ticket_open(imsms_ctx *ctx, imsms_keyring *kr,
                           const imsms_mikey_ticket *t, uint8_t *keybuf,
                           size_t keycap, imsms_ticket_info *info) {
  uint8_t tpk[IMSMS_KEYRING_MAX_TPK], fixed[TICKET_FIXED_LEN], lens[4];
  const imsms_mikey_kemac *km;
  imsms_mikey_msgkeys k;
  ticket_fields f;
  imsms_iov iov[5];
  uint8_t encr_alg = 0, mac_alg = 0;
  size_t tpklen = 0, keys_len = 0;
  uint32_t key_id = 0;
  int rv;

  memset(&k, 0, sizeof(k));
  memset(tpk, 0, sizeof(tpk));
  if (ctx == NULL || kr == NULL || t == NULL || info == NULL ||
      (keybuf == NULL && keycap)) {
    rv = IMSMS_ERR_INVALID_ARGUMENT;
    goto fail;
  }
  memset(info, 0, sizeof(*info));
  if ((rv = open_fields(t, &f, &encr_alg, &mac_alg, fixed, &key_id)) != 0 ||
      (rv = imsms_keyring_copy(kr, 0, &key_id, tpk, &tpklen)) != 0 ||
      (rv = tpk_keys(ctx, t->prf_func, encr_alg, mac_alg, tpk, tpklen,
                     f.rand.u.rand.rand, f.rand.u.rand.len, &k)) != 0) {
    goto fail;
  }
  mac_input(iov, fixed, lens, t, t->ticket_data, t->ticket_data_len,
            t->ticket_data_len - f.v.u.v.len);
  rv = imsms_mikey_mac_verify(ctx, mac_alg, k.auth, k.auth_len, iov, 5,
                              f.v.u.v.mac);
  if (rv != 0) {
    goto fail;
  }
  km = &f.kemac.u.kemac;
  rv = imsms_mikey_kemac_crypt(ctx, 0, encr_alg, &k, TICKET_CSB_ID,
                               f.t.u.t.value, km->encr_data, km->encr_len,
                               keybuf, keycap, &keys_len);
  if (rv == 0) {
    rv = check_keydata(keybuf, keys_len, &info->keys_len,
                       &info->sealed_initiator);
  }
  if (rv == 0) {
    info->key_id = key_id;
    info->t = f.t.u.t.value;
    info->rand = f.rand.u.rand.rand;
    info->rand_len = f.rand.u.rand.len;
  }
fail:
  imsms_secure_clear(tpk, sizeof(tpk));
  imsms_mikey_msgkeys_clear(&k);
  if (rv != 0) {
    if (keybuf != NULL && keycap) {
      imsms_secure_clear(keybuf, keycap);
    }
    if (info != NULL) {
      memset(info, 0, sizeof(*info));
    }
  }
  return rv;
}

/* see imsmediasec/ticket.h */
int imsms_base_ticket_mpk(imsms_ctx *ctx, int prf_func, const uint8_t *mpk,
                          size_t mpklen, const uint8_t *rand, size_t randlen,
                          uint8_t *mpki, uint8_t *mpkr) {
  static const uint32_t constants[2] = {IMSMS_LABEL_MPKI, IMSMS_LABEL_MPKR};
  uint8_t label[IMSMS_LABEL_MAX_LEN];
  uint8_t *outs[2];
  imsms_prf prf;
  imsms_ssize n;
  int rv = 0, i;

  outs[0] = mpki;
  outs[1] = mpkr;
  for (i = 0; i < 2; i++) {
    if (outs[i] != NULL && mpklen) {
      imsms_secure_clear(outs[i], mpklen);
    }
  }
  if (ctx == NULL || mpk == NULL || mpklen == 0 ||
      (mpki == NULL && mpkr == NULL) || (rand == NULL && randlen)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (prf_func != IMSMS_MIKEY_PRF_MIKEY_1 &&
      prf_func != IMSMS_MIKEY_PRF_HMAC_SHA256) {
    return IMSMS_ERR_MIKEY_PRF;
  }
  if (mpklen > IMSMS_PRF_MAX_INKEY) {
    return IMSMS_ERR_TOO_LARGE;
  }
  imsms_prf_init(&prf, ctx);
  rv = imsms_prf_setkey(&prf, prf_func, mpk, mpklen);
  for (i = 0; rv == 0 && i < 2; i++) {
    if (outs[i] == NULL) {
      continue;
    }
    n = imsms_label_mpk_6043(label, sizeof(label), constants[i], rand, randlen);
    /* outkey_len = inkey_len (RFC 6043 A.2.2). */
    rv = n < 0 ? (int)n
               : imsms_prf_derive(&prf, label, (size_t)n, outs[i], mpklen);
  }
  imsms_prf_free(&prf);
  if (rv != 0) {
    for (i = 0; i < 2; i++) {
      if (outs[i] != NULL) {
        imsms_secure_clear(outs[i], mpklen);
      }
    }
  }
  return rv;
}

/* see ticket/ticket_int.h */
int imsms_ticket_is_anonymous(const imsms_id *id) {
  size_t n = sizeof(IMSMS_ANONYMOUS_URI) - 1;

  return id != NULL && id->len == n && id->data != NULL &&
         memcmp(id->data, IMSMS_ANONYMOUS_URI, n) == 0;
}
