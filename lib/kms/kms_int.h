/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The KMS engine's internals, shared by engine.c (dispatch, the checks
 * common to REQUEST_INIT_PSK and RESOLVE_INIT_PSK, answers and Error
 * messages, audit events), request.c (ticket issue) and resolve.c
 * (ticket resolve, authorisation, forking).
 *
 * Memory. Everything a request needs beyond the stack lives in one work
 * area allocated by imsms_kms_new(), so that a warm engine allocates
 * nothing per message (its HMAC and AES contexts come from the context
 * pool). Every buffer of the work area that may hold a secret is wiped
 * at the end of every imsms_kms_handle() call, on every path: as far as
 * its mark says it was written. Each writer raises the mark before it
 * writes (imsms_kms_work_mark()). Wiping the whole 8 KB cost 350 ns a
 * message (a sixth of the engine's own time), its untouched lines being
 * cold; the tests and fuzz_kms check that the area is all zero after
 * every call (imsms_kms_work_is_clear()).
 */
#ifndef IMSMS_KMS_INT_H
#define IMSMS_KMS_INT_H

#include <stddef.h>
#include <string.h>

#include <imsmediasec/kms.h>

#include "mikey/protect.h"
#include "ticket/ticket_int.h"

/* Payloads of one message; more is refused (IMSMS_ERR_MIKEY_TOO_MANY). */
#define IMSMS_KMS_MAX_PAYLOADS 40
/* Keys a ticket may hold besides its MPK (the TP template limit). */
#define IMSMS_KMS_MAX_KEYS 8
/* IDRapp and IDRr entries of one TP. */
#define IMSMS_KMS_MAX_IDS 1024
/* The longest PSK psk_lookup may return (the PRF's inkey limit). */
#define IMSMS_KMS_MAX_PSK IMSMS_PRF_MAX_INKEY
/* Key data chains: an MPK and 8 keys of at most 64+64 bytes and SPIs. */
#define IMSMS_KMS_KEYBUF 2048
/* Ticket Data of a sealed base ticket. */
#define IMSMS_KMS_TICKETBUF 4096
/* The SPI every generated key carries (RFC 6043 6.2.1). */
#define IMSMS_KMS_SPI_LEN 4
/* The shortest RANDRkms (RFC 6043 12.1 asks for the key length). */
#define IMSMS_KMS_MIN_RANDRKMS 16
/* The longest RAND a ticket carries (its length is one byte). */
#define IMSMS_KMS_MAX_RAND 255

/* Buffers reused by every message. */
typedef struct imsms_kms_work {
  uint8_t psk[IMSMS_KMS_MAX_PSK];
  /* Ticket key data: generated (request, followed by the ticket's RAND,
   * at most IMSMS_KMS_MAX_RAND bytes) or decrypted (resolve). */
  uint8_t keys[IMSMS_KMS_KEYBUF];
  /* MPKi, MPKr, MPKr' and TGK' values. */
  uint8_t derived[IMSMS_KMS_KEYBUF];
  /* KEMAC plaintext of the answer, and its ciphertext. */
  uint8_t plain[IMSMS_KMS_KEYBUF];
  uint8_t cipher[IMSMS_KMS_KEYBUF];
  /* Ticket Data of the ticket being issued. */
  uint8_t ticket[IMSMS_KMS_TICKETBUF];
  /* TP Data of the granted policy. */
  uint8_t tpdata[IMSMS_MIKEY_MAX_MSG_LEN];
  /* Decoded TP arrays. */
  imsms_tp_key tpkeys[IMSMS_KMS_MAX_KEYS];
  imsms_id ids[IMSMS_KMS_MAX_IDS];
  /* Key data views: an MPK, an MPKr and the keys. */
  imsms_mikey_keydata kd[IMSMS_KMS_MAX_KEYS + 2];
  /* Bytes of |keys|, |derived|, |plain|, |cipher| and entries of |kd|
   * written since the last wipe, or more. */
  size_t keys_used, derived_used, plain_used, cipher_used, kd_used;
} imsms_kms_work;

/* Raises |*mark| to |n| (before the write it covers). */
static inline void imsms_kms_work_mark(size_t *mark, size_t n) {
  if (n > *mark) {
    *mark = n;
  }
}

struct imsms_kms {
  imsms_ctx *ctx;
  imsms_kms_callbacks cb;
  void *user_data;
  imsms_keyring *keyring;
  uint32_t skew_sec;
  uint32_t deferred_grace_sec;
  /* IDRkms; |identity.data| points at |identity_buf| (or is NULL). */
  imsms_id identity;
  uint8_t *identity_buf;
  imsms_kms_work *w;
  /* |now| of the imsms_kms_handle() call in progress, for the policy
   * callbacks (kms_policy.h), whose signatures carry no time. */
  imsms_tstamp now;
  /* The RAND length of the last ticket sealed: the next request draws
   * that many bytes with its keys (request.c, make_keys). */
  size_t rand_hint;
};

/* One initial message (REQUEST_INIT_PSK or RESOLVE_INIT_PSK) in work. */
typedef struct imsms_kms_msg {
  imsms_mikey_msg msg;
  size_t npl;
  const imsms_mikey_payload *t;
  const imsms_mikey_payload *randr; /* RANDRi or RANDRr */
  const imsms_mikey_payload *body;  /* TP or TICKET */
  const imsms_mikey_payload *v;
  /* IDRi or IDRr, IDRkms of the message, IDRpsk: |len| 0 when absent. */
  imsms_id peer;
  imsms_id kms_id;
  imsms_id idrpsk;
  /* The identity the MAC covers for the KMS: |kms_id| or the engine's. */
  imsms_id mac_kms;
  uint8_t encr_alg;
  uint8_t mac_alg;
  /* Keys of the initial message (label 0x01) and of the answer (0x02). */
  imsms_mikey_msgkeys kinit;
  imsms_mikey_msgkeys kresp;
  /* Nonzero once the message's MAC has been verified. */
  int authenticated;
  /* Set by the handlers. */
  int event;          /* imsms_kms_event_type of a refusal by policy */
  imsms_id initiator; /* the ticket's IDRi, when known */
  /* Last: only pl[0..npl) is ever read, so only what precedes is zeroed
   * per message (IMSMS_KMS_MSG_CLEAR_LEN); the array is 3.5 KB. */
  imsms_mikey_payload pl[IMSMS_KMS_MAX_PAYLOADS];
} imsms_kms_msg;

#define IMSMS_KMS_MSG_CLEAR_LEN offsetof(imsms_kms_msg, pl)

/*
 * Issues a ticket for the authenticated REQUEST_INIT_PSK |m| and writes
 * REQUEST_RESP to |out|. Returns 0 with |*outlen| set, or a negative
 * code (|m->event| set to IMSMS_KMS_REQUEST_DENIED when the policy
 * refused); nothing useful is left in |out| on failure.
 */
int imsms_kms_request(imsms_kms *kms, imsms_kms_msg *m, imsms_tstamp now,
                      uint8_t *out, size_t outcap, size_t *outlen);

/*
 * Resolves the ticket of the authenticated RESOLVE_INIT_PSK |m| and
 * writes RESOLVE_RESP to |out|, as imsms_kms_request() does.
 */
int imsms_kms_resolve(imsms_kms *kms, imsms_kms_msg *m, imsms_tstamp now,
                      uint8_t *out, size_t outcap, size_t *outlen);

/*
 * Encodes the answer to |m| of data type |data_type|: HDR copied from
 * |m| (V 0), the |n| payloads at |pls|, then V (room for it at pls[n])
 * with the MAC under |m->kresp| over the answer || the whole initial
 * message. Returns the length, or a negative code with |out| wiped.
 */
imsms_ssize imsms_kms_seal_answer(imsms_kms *kms, const imsms_kms_msg *m,
                                  uint8_t data_type, imsms_mikey_payload *pls,
                                  size_t n, uint8_t *out, size_t outcap);

/* Nonzero when |a| and |b| are the same identity (type and bytes).
 * Inline: resolving a ticket compares the resolver with every responder. */
static inline int imsms_kms_same_id(const imsms_id *a, const imsms_id *b) {
  return a->len != 0 && a->type == b->type && a->len == b->len &&
         memcmp(a->data, b->data, a->len) == 0;
}

/* Fills |pl| as an IDR payload with |role| naming |id|. */
void imsms_kms_idr(imsms_mikey_payload *pl, uint8_t role, const imsms_id *id);

/* Fills |pl| as a T payload of type NTP-UTC with |t|. */
void imsms_kms_t(imsms_mikey_payload *pl, imsms_tstamp t);

/* Fills |pl| as a KEMAC payload: |encr_alg|, |data|, MAC alg NULL. */
void imsms_kms_kemac(imsms_mikey_payload *pl, uint8_t encr_alg,
                     const uint8_t *data, size_t len);

/*
 * Encodes the key data chain |kd| (|n| sub-payloads) into the work
 * area's plaintext buffer and encrypts it for the answer to |m| at time
 * |now| into the ciphertext buffer; |*clen| gets its length.
 */
int imsms_kms_encrypt_keys(imsms_kms *kms, const imsms_kms_msg *m,
                           imsms_tstamp now, const imsms_mikey_keydata *kd,
                           size_t n, size_t *clen);

/* Wipes every buffer of the work area that may hold a secret. */
void imsms_kms_work_clear(imsms_kms_work *w);

/* 1 when every buffer of |w| that may hold a secret is all zero (tests). */
int imsms_kms_work_is_clear(const imsms_kms_work *w);

/*
 * Walks the decrypted key data of an opened ticket (|len| bytes at
 * |w->keys|) into |w->kd|: the MPK first. Returns the number of keys or
 * IMSMS_ERR_MIKEY_TOO_MANY / IMSMS_ERR_MIKEY_KEY_DATA.
 */
imsms_ssize imsms_kms_ticket_keys(imsms_kms_work *w, size_t len);

/*
 * The keys a Responder gets from the |nkd| keys in |w->kd|: MPKi, then
 * MPKr' and the TGKs forked for |as_idrr| with |randrkms| when |randrkms|
 * is not NULL, then the other keys, as views into |w->derived| and the
 * work area in |kd| (room for IMSMS_KMS_MAX_KEYS + 2). |rand| is the
 * ticket's RAND. Returns the number of views or a negative code.
 */
imsms_ssize imsms_kms_answer_keys(imsms_kms *kms, const imsms_tp *tp,
                                  size_t nkd, const imsms_id *as_idrr,
                                  const uint8_t *rand, size_t randlen,
                                  const uint8_t *randrkms, size_t rkmslen,
                                  imsms_mikey_keydata *kd);

#endif /* IMSMS_KMS_INT_H */
