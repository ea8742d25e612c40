/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The KMS engine: creation, dispatch of one message, the checks that
 * REQUEST_INIT_PSK and RESOLVE_INIT_PSK share, answers, Error messages
 * and audit events. The exchanges themselves are in request.c and
 * resolve.c.
 *
 * The checks of an initial message run in the order of RFC 3830
 * processing (psk.c does the same): gather the payloads (unexpected ones
 * are ignored, RFC 6043 4.2.1.4), check the structure, the algorithms
 * and the timestamp, look the PSK up, derive the message keys (RFC 6043
 * 5.1.2: initial label with RANDRi for a Request, RANDRr for a Resolve),
 * verify the MAC over the message || Identity_peer || Identity_kms (RFC
 * 6043 5.5, identities as ID Data), and only then ask the replay check,
 * so that only authenticated messages enter the replay cache.
 *
 * What is answered:
 *  - failures before the PSK lookup (malformed, unsupported, stale):
 *    an Error message without V, as no key has been proved;
 *  - an unknown PSK, a wrong MAC, a replay: nothing (RFC 3830 5.1.2);
 *  - refusals of an authenticated message: an Error message whose V is
 *    keyed like the failed message (RFC 6043 5.4), i.e. with the auth
 *    key of the initial message; imsms_mikey_error_encode() only knows
 *    the RFC 3830 derivation from a RAND payload, so the protected Error
 *    message is built here;
 *  - fatal errors (memory, RNG, callbacks) and a short |out|: nothing.
 */
#include <string.h>

#include "core/ctx.h"
#include "core/mem.h"
#include "crypto/provider.h"
#include "kms/kms_int.h"
#include "mikey/codec.h"
#include "mikey/replay.h"

#define DEFAULT_SKEW 300

/* Stages of an initial message, for the answer and the event. */
#define STAGE_UNCHECKED 0 /* before the PSK lookup */
#define STAGE_LOOKUP 1    /* PSK lookup and MAC */
#define STAGE_REPLAY 2    /* authenticated, replay check pending */
#define STAGE_ACCEPTED 3  /* authenticated and fresh */

static const uint8_t zero_mac[IMSMS_MAX_DIGEST_LEN];

/* see kms/kms_int.h */
void imsms_kms_idr(imsms_mikey_payload *pl, uint8_t role, const imsms_id *id) {
  memset(pl, 0, sizeof(*pl));
  pl->type = IMSMS_MIKEY_PT_IDR;
  pl->u.idr.role = role;
  pl->u.idr.id_type = id->type;
  pl->u.idr.data = id->data;
  pl->u.idr.len = id->len;
}

/* see kms/kms_int.h */
void imsms_kms_t(imsms_mikey_payload *pl, imsms_tstamp t) {
  memset(pl, 0, sizeof(*pl));
  pl->type = IMSMS_MIKEY_PT_T;
  pl->u.t.ts_type = IMSMS_MIKEY_TS_NTP_UTC;
  pl->u.t.value = t;
}

/* see kms/kms_int.h */
void imsms_kms_kemac(imsms_mikey_payload *pl, uint8_t encr_alg,
                     const uint8_t *data, size_t len) {
  memset(pl, 0, sizeof(*pl));
  pl->type = IMSMS_MIKEY_PT_KEMAC;
  pl->u.kemac.encr_alg = encr_alg;
  pl->u.kemac.encr_data = data;
  pl->u.kemac.encr_len = len;
  pl->u.kemac.mac_alg = IMSMS_MIKEY_MAC_NULL;
}

static void v_payload(imsms_mikey_payload *pl, uint8_t mac_alg) {
  memset(pl, 0, sizeof(*pl));
  pl->type = IMSMS_MIKEY_PT_V;
  pl->u.v.alg = mac_alg;
  pl->u.v.mac = zero_mac;
  pl->u.v.len = (size_t)imsms_mikey_mac_len(mac_alg);
}

/* see kms/kms_int.h */
int imsms_kms_encrypt_keys(imsms_kms *kms, const imsms_kms_msg *m,
                           imsms_tstamp now, const imsms_mikey_keydata *kd,
                           size_t n, size_t *clen) {
  imsms_kms_work *w = kms->w;
  size_t before = w->plain_used;
  imsms_ssize plen;

  /* A failed encoding may have written anywhere in |plain|. */
  imsms_kms_work_mark(&w->plain_used, sizeof(w->plain));
  plen = imsms_mikey_keydata_encode(w->plain, sizeof(w->plain), kd, n);
  if (plen < 0) {
    return plen == IMSMS_ERR_NOBUF ? IMSMS_ERR_TOO_LARGE : (int)plen;
  }
  w->plain_used = before;
  imsms_kms_work_mark(&w->plain_used, (size_t)plen);
  /* AES-KW adds 8 bytes; AES-CM and NULL none. */
  imsms_kms_work_mark(&w->cipher_used, (size_t)plen + 8);
  /* AES-CM IV from the answer's own T and the HDR CSB ID (kms.h). */
  return imsms_mikey_kemac_crypt(kms->ctx, 1, m->encr_alg, &m->kresp,
                                 m->msg.hdr.csb_id, now, w->plain,
                                 (size_t)plen, w->cipher, sizeof(w->cipher),
                                 clen);
}

/* see kms/kms_int.h */
imsms_ssize imsms_kms_seal_answer(imsms_kms *kms, const imsms_kms_msg *m,
                                  uint8_t data_type, imsms_mikey_payload *pls,
                                  size_t n, uint8_t *out, size_t outcap) {
  imsms_mikey_hdr hdr = m->msg.hdr;
  size_t maclen = (size_t)imsms_mikey_mac_len(m->mac_alg);
  imsms_iov iov[2];
  imsms_ssize len;
  int rv;

  /* Version, PRF, CSB ID, #CS and map copied; V 0 (RFC 6043 4.2.1.5). */
  hdr.data_type = data_type;
  hdr.v = 0;
  v_payload(&pls[n], m->mac_alg);
  len = imsms_mikey_encode(out, outcap, &hdr, pls, n + 1);
  if (len < 0) {
    return len;
  }
  iov[0].base = out;
  iov[0].len = (size_t)len - maclen;
  iov[1].base = m->msg.data;
  iov[1].len = m->msg.len;
  rv = imsms_mikey_mac(kms->ctx, m->mac_alg, m->kresp.auth, m->kresp.auth_len,
                       iov, 2, out + iov[0].len);
  if (rv != 0) {
    imsms_secure_clear(out, (size_t)len);
    return rv;
  }
  return len;
}

/* see imsmediasec/kms.h */
int imsms_kms_new(imsms_kms **pkms, imsms_ctx *ctx,
                  const imsms_kms_config *cfg, const imsms_kms_callbacks *cb,
                  void *user_data) {
  imsms_kms *kms;

  if (pkms == NULL || ctx == NULL || cfg == NULL || cb == NULL ||
      cb->psk_lookup == NULL || cfg->keyring == NULL ||
      cfg->identity.len > 0xffff ||
      (cfg->identity.data == NULL && cfg->identity.len)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (cfg->version != IMSMS_KMS_CONFIG_V1 ||
      cb->version != IMSMS_KMS_CALLBACKS_V1) {
    return IMSMS_ERR_VERSION;
  }
  kms = imsms_mem_calloc(&ctx->mem, 1, sizeof(*kms));
  if (kms == NULL) {
    return IMSMS_ERR_NOMEM;
  }
  kms->ctx = ctx;
  kms->cb = *cb;
  kms->user_data = user_data;
  kms->keyring = cfg->keyring;
  kms->skew_sec = cfg->skew_sec ? cfg->skew_sec : DEFAULT_SKEW;
  kms->deferred_grace_sec = cfg->deferred_grace_sec;
  kms->identity.type = cfg->identity.type;
  if (cfg->identity.len) {
    kms->identity_buf = imsms_mem_malloc(&ctx->mem, cfg->identity.len);
    if (kms->identity_buf == NULL) {
      imsms_kms_del(kms);
      return IMSMS_ERR_NOMEM;
    }
    memcpy(kms->identity_buf, cfg->identity.data, cfg->identity.len);
    kms->identity.data = kms->identity_buf;
    kms->identity.len = cfg->identity.len;
  }
  kms->w = imsms_mem_calloc(&ctx->mem, 1, sizeof(*kms->w));
  if (kms->w == NULL) {
    imsms_kms_del(kms);
    return IMSMS_ERR_NOMEM;
  }
  *pkms = kms;
  return 0;
}

/* see imsmediasec/kms.h */
void imsms_kms_del(imsms_kms *kms) {
  imsms_ctx *ctx;

  if (kms == NULL) {
    return;
  }
  ctx = kms->ctx;
  imsms_mem_free_clear(&ctx->mem, kms->w, kms->w ? sizeof(*kms->w) : 0);
  imsms_mem_free(&ctx->mem, kms->identity_buf);
  imsms_mem_free_clear(&ctx->mem, kms, sizeof(*kms));
}

/* Wipes the first |*used| bytes of |buf| (all of it at most). */
static void clear_marked(void *buf, size_t cap, size_t *used) {
  imsms_secure_clear(buf, *used < cap ? *used : cap);
  *used = 0;
}

/* Wipes every buffer of the work area that may hold a secret. */
static void work_clear(imsms_kms_work *w) {
  size_t kd_bytes = w->kd_used * sizeof(w->kd[0]);

  /* Not |w->psk|: authenticate() wipes it on every path right after
   * the lookup (imsms_kms_work_is_clear() checks it with the rest). */
  clear_marked(w->keys, sizeof(w->keys), &w->keys_used);
  clear_marked(w->derived, sizeof(w->derived), &w->derived_used);
  clear_marked(w->plain, sizeof(w->plain), &w->plain_used);
  clear_marked(w->cipher, sizeof(w->cipher), &w->cipher_used);
  clear_marked(w->kd, sizeof(w->kd), &kd_bytes);
  w->kd_used = 0;
}

/* see kms/kms_int.h */
void imsms_kms_work_clear(imsms_kms_work *w) { work_clear(w); }

static int all_zero(const void *p, size_t len) {
  const uint8_t *b = p;
  uint8_t acc = 0;
  size_t i;

  for (i = 0; i < len; i++) {
    acc |= b[i];
  }
  return acc == 0;
}

/* see kms/kms_int.h */
int imsms_kms_work_is_clear(const imsms_kms_work *w) {
  return all_zero(w->psk, sizeof(w->psk)) &&
         all_zero(w->keys, sizeof(w->keys)) &&
         all_zero(w->derived, sizeof(w->derived)) &&
         all_zero(w->plain, sizeof(w->plain)) &&
         all_zero(w->cipher, sizeof(w->cipher)) &&
         all_zero(w->kd, sizeof(w->kd)) && w->keys_used == 0 &&
         w->derived_used == 0 && w->plain_used == 0 && w->cipher_used == 0 &&
         w->kd_used == 0;
}

/* ---- Checks common to REQUEST_INIT_PSK and RESOLVE_INIT_PSK --------- */

static void take_id(imsms_id *id, const imsms_mikey_idr *idr) {
  id->type = idr->id_type;
  id->data = idr->data;
  id->len = idr->len;
}

/*
 * Finds the payloads of an initial message: T, RANDR of |rand_role|,
 * IDR of |peer_role|, IDRkms, IDRpsk, the |body_type| payload (TP or
 * TICKET) and V. Other payloads, and RANDR and IDR of other roles, are
 * ignored (RFC 6043 4.2.1.4, 4.2.3.4).
 */
static int gather(imsms_kms_msg *m, uint8_t rand_role, uint8_t peer_role,
                  uint8_t body_type) {
  int dup = 0, seen_peer = 0, seen_kms = 0, seen_psk = 0;
  size_t i;

  for (i = 0; i < m->npl; i++) {
    const imsms_mikey_payload *pl = &m->pl[i];
    const imsms_mikey_payload **slot = NULL;

    if (pl->type == IMSMS_MIKEY_PT_T) {
      slot = &m->t;
    } else if (pl->type == IMSMS_MIKEY_PT_RANDR &&
               pl->u.randr.role == rand_role) {
      slot = &m->randr;
    } else if (pl->type == body_type) {
      slot = &m->body;
    } else if (pl->type == IMSMS_MIKEY_PT_V) {
      slot = &m->v;
    } else if (pl->type == IMSMS_MIKEY_PT_IDR) {
      if (pl->u.idr.role == peer_role) {
        dup |= seen_peer++;
        take_id(&m->peer, &pl->u.idr);
      } else if (pl->u.idr.role == IMSMS_MIKEY_IDR_KMS) {
        dup |= seen_kms++;
        take_id(&m->kms_id, &pl->u.idr);
      } else if (pl->u.idr.role == IMSMS_MIKEY_IDR_PSK) {
        dup |= seen_psk++;
        take_id(&m->idrpsk, &pl->u.idr);
      }
    }
    if (slot) {
      dup |= *slot != NULL;
      *slot = pl;
    }
  }
  /* V last: its MAC covers the whole message. */
  if (dup || m->t == NULL || m->randr == NULL || m->body == NULL ||
      m->v == NULL || m->v->raw + m->v->rawlen != m->msg.data + m->msg.len) {
    return IMSMS_ERR_MIKEY_MISSING;
  }
  return 0;
}

static int check_time(const imsms_mikey_t *t, imsms_tstamp now,
                      uint32_t skew_sec) {
  uint64_t skew = (uint64_t)skew_sec << 32;
  int64_t diff;

  if (t->ts_type != IMSMS_MIKEY_TS_NTP_UTC &&
      t->ts_type != IMSMS_MIKEY_TS_NTP) {
    return IMSMS_ERR_MIKEY_TS_TYPE;
  }
  /* Signed difference: right across the NTP era boundary. */
  diff = (int64_t)(t->value - now);
  return diff > (int64_t)skew || diff < -(int64_t)skew ? IMSMS_ERR_MIKEY_STALE
                                                        : 0;
}

/* Structure, algorithms and time: everything checkable without a key. */
static int check_unauthenticated(imsms_kms *kms, imsms_kms_msg *m,
                                 imsms_tstamp now, int resolve) {
  int rv = gather(m, resolve ? IMSMS_MIKEY_RANDR_R : IMSMS_MIKEY_RANDR_I,
                  resolve ? IMSMS_MIKEY_IDR_R : IMSMS_MIKEY_IDR_I,
                  resolve ? IMSMS_MIKEY_PT_TICKET : IMSMS_MIKEY_PT_TP);

  if (rv != 0) {
    return rv;
  }
  /* No crypto sessions in Request and Resolve (RFC 6043 4.2.1.1). */
  if (m->msg.hdr.ncs != 0 || m->msg.hdr.map_type != IMSMS_MIKEY_MAP_EMPTY) {
    return IMSMS_ERR_MIKEY_MAP;
  }
  if ((rv = imsms_mikey_algs_for_prf(m->msg.hdr.prf_func, &m->encr_alg,
                           &m->mac_alg)) != 0) {
    return rv;
  }
  /* One algorithm set, never mixed (RFC 6043 12.1). */
  if (m->v->u.v.alg != m->mac_alg) {
    return IMSMS_ERR_MIKEY_MAC_ALG;
  }
  return check_time(&m->t->u.t, now, kms->skew_sec);
}

/* Looks the PSK up, derives the message keys, verifies the MAC. */
static int authenticate(imsms_kms *kms, imsms_kms_msg *m, int resolve,
                        int *auth_failed) {
  imsms_kms_work *w = kms->w;
  const imsms_mikey_randr *r = &m->randr->u.randr;
  imsms_ssize psklen;
  imsms_iov iov[3];
  imsms_prf prf;
  int rv;

  psklen = kms->cb.psk_lookup(kms, &m->idrpsk, &m->peer, w->psk,
                              sizeof(w->psk), kms->user_data);
  if (psklen <= 0 || (size_t)psklen > sizeof(w->psk)) {
    /* Whatever a failing callback wrote. */
    imsms_secure_clear(w->psk, sizeof(w->psk));
    *auth_failed = 1;
    return psklen < 0 ? (int)psklen
                      : psklen == 0 ? IMSMS_ERR_MIKEY_AUTH
                                    : IMSMS_ERR_CALLBACK_FAILURE;
  }
  imsms_prf_init(&prf, kms->ctx);
  rv = imsms_prf_setkey(&prf, m->msg.hdr.prf_func, w->psk, (size_t)psklen);
  imsms_secure_clear(w->psk, sizeof(w->psk));
  /*
   * Request: RANDRi only; Resolve: RANDRr only (RFC 6043 5.1.2). The
   * initial messages carry no KEMAC (RFC 6043 5.2.1, 5.3.1), so of their
   * keys only the auth key is derived: 4 HMACs fewer per message.
   */
  if (rv == 0) {
    rv = imsms_mikey_msgkeys_6043(
        &prf, IMSMS_MIKEY_ENCR_NULL, m->mac_alg, m->msg.hdr.csb_id, 0,
        resolve ? NULL : r->rand, resolve ? 0 : r->len,
        resolve ? r->rand : NULL, resolve ? r->len : 0, &m->kinit);
  }
  if (rv == 0) {
    rv = imsms_mikey_msgkeys_6043(
        &prf, m->encr_alg, m->mac_alg, m->msg.hdr.csb_id, 1,
        resolve ? NULL : r->rand, resolve ? 0 : r->len,
        resolve ? r->rand : NULL, resolve ? r->len : 0, &m->kresp);
  }
  imsms_prf_free(&prf);
  if (rv != 0) {
    return rv;
  }
  /* Message || Identity_peer || Identity_kms (RFC 6043 5.5). */
  iov[0].base = m->msg.data;
  iov[0].len = m->msg.len - m->v->u.v.len;
  iov[1].base = m->peer.data;
  iov[1].len = m->peer.len;
  iov[2].base = m->mac_kms.data;
  iov[2].len = m->mac_kms.len;
  rv = imsms_mikey_mac_verify(kms->ctx, m->mac_alg, m->kinit.auth,
                              m->kinit.auth_len, iov, 3, m->v->u.v.mac);
  if (rv == IMSMS_ERR_MIKEY_AUTH) {
    *auth_failed = 1;
  }
  return rv;
}

/* ---- Answers to refusals ------------------------------------------- */

/*
 * An Error message (RFC 6043 5.4: HDR, T, ERR, [V]) answering |failed|.
 * With |k| (an authenticated message) V is added, keyed with the auth
 * key of the failed message and covering the Error message only.
 */
static imsms_ssize error_message(imsms_kms *kms, const imsms_mikey_msg *failed,
                                 imsms_tstamp now, uint8_t err,
                                 const imsms_mikey_msgkeys *k,
                                 uint8_t mac_alg, uint8_t *out,
                                 size_t outcap) {
  imsms_mikey_payload pl[3];
  imsms_mikey_hdr hdr;
  size_t maclen;
  imsms_iov iov;
  imsms_ssize len;
  int rv;

  if (k == NULL) {
    return imsms_mikey_error_encode(kms->ctx, failed, now, &err, 1, NULL, 0,
                                    NULL, 0, IMSMS_MIKEY_MAC_NULL, out,
                                    outcap);
  }
  memset(&hdr, 0, sizeof(hdr));
  hdr.version = 1;
  hdr.data_type = IMSMS_MIKEY_ERROR;
  hdr.prf_func = failed->hdr.prf_func;
  hdr.csb_id = failed->hdr.csb_id;
  hdr.map_type = failed->hdr.map_type;
  imsms_kms_t(&pl[0], now);
  memset(&pl[1], 0, sizeof(pl[1]));
  pl[1].type = IMSMS_MIKEY_PT_ERR;
  pl[1].u.err.error_no = err;
  v_payload(&pl[2], mac_alg);
  len = imsms_mikey_encode(out, outcap, &hdr, pl, 3);
  if (len < 0) {
    return len;
  }
  maclen = pl[2].u.v.len;
  iov.base = out;
  iov.len = (size_t)len - maclen;
  rv = imsms_mikey_mac(kms->ctx, mac_alg, k->auth, k->auth_len, &iov, 1,
                       out + iov.len);
  if (rv != 0) {
    imsms_secure_clear(out, (size_t)len);
    return rv;
  }
  return len;
}

/*
 * Answers a message that does not decode with an unprotected Error
 * message, from the fixed header part when there is one (never to an
 * Error message: RFC 6043 5.4).
 */
static void answer_undecodable(imsms_kms *kms, const uint8_t *in, size_t inlen,
                               imsms_tstamp now, int rv, uint8_t *out,
                               size_t outcap, size_t *outlen) {
  imsms_mikey_msg failed;
  imsms_ssize n;

  if (inlen < IMSMS_MIKEY_HDR_FIXED_LEN || in[1] == IMSMS_MIKEY_ERROR ||
      in[9] > IMSMS_MIKEY_MAP_GENERIC_ID || out == NULL) {
    return;
  }
  memset(&failed, 0, sizeof(failed));
  failed.hdr.version = 1;
  failed.hdr.data_type = in[1];
  failed.hdr.prf_func = in[3] & 0x7f;
  failed.hdr.csb_id = (uint32_t)in[4] << 24 | (uint32_t)in[5] << 16 |
                      (uint32_t)in[6] << 8 | in[7];
  failed.hdr.map_type = in[9];
  n = error_message(kms, &failed, now,
                    (uint8_t)imsms_mikey_err_from_error(rv), NULL, 0, out,
                    outcap);
  if (n > 0) {
    *outlen = (size_t)n;
  }
}

static void emit(imsms_kms *kms, int type, int error, uint8_t data_type,
                 uint32_t csb_id, const imsms_id *peer,
                 const imsms_id *initiator, imsms_tstamp now) {
  imsms_kms_event ev;

  if (kms->cb.audit == NULL) {
    return;
  }
  memset(&ev, 0, sizeof(ev));
  ev.type = type;
  ev.error = error;
  ev.data_type = data_type;
  ev.csb_id = csb_id;
  if (peer) {
    ev.peer = *peer;
  }
  if (initiator) {
    ev.initiator = *initiator;
  }
  ev.now = now;
  kms->cb.audit(kms, &ev, kms->user_data);
}

/* ---- Dispatch ------------------------------------------------------ */

static int handle_init(imsms_kms *kms, imsms_kms_msg *m, imsms_tstamp now,
                       int resolve, uint8_t *out, size_t outcap,
                       size_t *outlen, int *stage, int *auth_failed) {
  int rv = check_unauthenticated(kms, m, now, resolve);

  if (rv != 0) {
    return rv;
  }
  m->mac_kms = m->kms_id.len ? m->kms_id : kms->identity;
  /* The built-in cache's table is cold under load: have it loaded while
   * the MAC is verified (mikey/replay.h). */
  if (kms->cb.replay == imsms_replay_check) {
    imsms_replay_prefetch(kms->cb.replay_data, m->v->u.v.mac, m->v->u.v.len);
  }
  *stage = STAGE_LOOKUP;
  if ((rv = authenticate(kms, m, resolve, auth_failed)) != 0) {
    return rv;
  }
  *stage = STAGE_REPLAY;
  /* The MAC value identifies the message (imsms_replay_cb). */
  if (kms->cb.replay != NULL &&
      (rv = kms->cb.replay(m->v->u.v.mac, m->v->u.v.len, m->t->u.t.value, now,
                           kms->cb.replay_data)) != 0) {
    return rv;
  }
  *stage = STAGE_ACCEPTED;
  return resolve ? imsms_kms_resolve(kms, m, now, out, outcap, outlen)
                 : imsms_kms_request(kms, m, now, out, outcap, outlen);
}

/* The event of a handled message. */
static int event_type(const imsms_kms_msg *m, int rv, int resolve,
                      int auth_failed) {
  if (rv == 0) {
    return resolve ? IMSMS_KMS_RESOLVE_GRANTED : IMSMS_KMS_REQUEST_GRANTED;
  }
  if (m->event) {
    return m->event;
  }
  return auth_failed ? IMSMS_KMS_AUTH_FAILED : IMSMS_KMS_REJECTED;
}

/* imsms_kms_handle() once the arguments are checked. */
static int handle(imsms_kms *kms, const uint8_t *in, size_t inlen,
                  imsms_tstamp now, uint8_t *out, size_t outcap,
                  size_t *outlen) {
  imsms_kms_msg m;
  int rv, resolve = 0, stage = STAGE_UNCHECKED, auth_failed = 0;
  imsms_ssize n;

  kms->now = now;
  memset(&m, 0, IMSMS_KMS_MSG_CLEAR_LEN);
  n = imsms_mikey_decode_all(&m.msg, m.pl, IMSMS_KMS_MAX_PAYLOADS, in, inlen);
  if (n < 0) {
    rv = (int)n;
    answer_undecodable(kms, in, inlen, now, rv, out, outcap, outlen);
    emit(kms, IMSMS_KMS_REJECTED, rv, inlen > 1 ? in[1] : 0,
         inlen >= 8 ? (uint32_t)in[4] << 24 | (uint32_t)in[5] << 16 |
                          (uint32_t)in[6] << 8 | in[7]
                    : 0,
         NULL, NULL, now);
    return rv;
  }
  m.npl = (size_t)n;
  switch (m.msg.hdr.data_type) {
  case IMSMS_MIKEY_REQUEST_INIT_PSK:
    rv = handle_init(kms, &m, now, 0, out, outcap, outlen, &stage,
                     &auth_failed);
    break;
  case IMSMS_MIKEY_RESOLVE_INIT_PSK:
    resolve = 1;
    rv = handle_init(kms, &m, now, 1, out, outcap, outlen, &stage,
                     &auth_failed);
    break;
  default:
    /* TODO: REQUEST_INIT_PK and RESOLVE_INIT_PK (PKE, SIGN). */
    rv = IMSMS_ERR_MIKEY_UNEXPECTED;
    break;
  }
  if (rv != 0) {
    if (out != NULL) {
      imsms_secure_clear(out, outcap);
    }
    *outlen = 0;
    /*
     * Answer with an Error message, unless the requester is not
     * authenticated (unknown PSK, wrong MAC), replays, sent an Error
     * message itself, or the failure is ours (fatal, short |out|). A
     * policy denial is answered whatever its code (kms.h).
     */
    if ((stage == STAGE_UNCHECKED || stage == STAGE_ACCEPTED) &&
        m.msg.hdr.data_type != IMSMS_MIKEY_ERROR && out != NULL &&
        (!imsms_err_is_fatal(rv) || m.event) && rv != IMSMS_ERR_NOBUF) {
      uint8_t err = (uint8_t)(m.event ? IMSMS_MIKEY_ERR_AUTH_FAILURE
                                      : imsms_mikey_err_from_error(rv));

      n = error_message(kms, &m.msg, now, err,
                        stage == STAGE_ACCEPTED ? &m.kinit : NULL, m.mac_alg,
                        out, outcap);
      if (n > 0) {
        *outlen = (size_t)n;
      }
    }
  }
  emit(kms, event_type(&m, rv, resolve, auth_failed), rv,
       m.msg.hdr.data_type, m.msg.hdr.csb_id, &m.peer, &m.initiator, now);
  imsms_mikey_msgkeys_clear(&m.kinit);
  imsms_mikey_msgkeys_clear(&m.kresp);
  work_clear(kms->w);
  return rv;
}

/* see imsmediasec/kms.h */
int imsms_kms_handle(imsms_kms *kms, const uint8_t *in, size_t inlen,
                     imsms_tstamp now, uint8_t *out, size_t outcap,
                     size_t *outlen) {
  int rv;

  if (outlen != NULL) {
    *outlen = 0;
  }
  if (kms == NULL || in == NULL || outlen == NULL ||
      (out == NULL && outcap)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  /* The pooled crypto objects are wiped once, when the message is done. */
  imsms_crypto_pool_defer(kms->ctx);
  rv = handle(kms, in, inlen, now, out, outcap, outlen);
  imsms_crypto_pool_settle(kms->ctx);
  return rv;
}
