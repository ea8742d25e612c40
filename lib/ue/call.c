/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The call object: configuration checks and copies, creation and
 * deletion, dispatch of received messages by state, events, and the
 * read-only accessors. The exchanges live in request.c, resolve.c,
 * transfer_init.c and transfer_resp.c.
 */
#include <string.h>

#include "core/ctx.h"
#include "core/mem.h"
#include "crypto/provider.h"
#include "ticket/ticket_int.h"
#include "ue/call_int.h"

#define DEFAULT_SKEW 300
#define DEFAULT_TIMEOUT 30
#define DEFAULT_MSG 8192
#define MIN_MSG 1024
#define MIN_PSK 16

/* ---- Configuration checks -------------------------------------------- */

static int id_ok(const imsms_id *id, int required) {
  if (id->len == 0) {
    return !required;
  }
  return id->data != NULL && id->len <= 0xffff;
}

static int suite_list_ok(const int *suites, size_t n) {
  size_t i;

  if (n > IMSMS_CALL_MAX_SUITES || (suites == NULL && n)) {
    return n > IMSMS_CALL_MAX_SUITES ? IMSMS_ERR_TOO_LARGE
                                     : IMSMS_ERR_INVALID_ARGUMENT;
  }
  for (i = 0; i < n; i++) {
    if (imsms_srtp_suite_get(suites[i]) == NULL) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
  }
  return 0;
}

/* The sessions: unique nonzero CS IDs; Initiator: suites, one TLS. */
static int sessions_ok(const imsms_call_config *cfg, int initiator) {
  size_t i, j, ntls = 0;
  int rv;

  if (cfg->nsessions > IMSMS_CALL_MAX_SESSIONS) {
    return IMSMS_ERR_TOO_LARGE;
  }
  if ((cfg->sessions == NULL && cfg->nsessions) ||
      (initiator && cfg->nsessions == 0)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  for (i = 0; i < cfg->nsessions; i++) {
    const imsms_call_session *s = &cfg->sessions[i];

    for (j = 0; j < i; j++) {
      if (cfg->sessions[j].cs_id == s->cs_id) {
        return IMSMS_ERR_INVALID_ARGUMENT;
      }
    }
    if (s->cs_id == 0 || !initiator) {
      if (s->cs_id == 0) {
        return IMSMS_ERR_INVALID_ARGUMENT;
      }
      continue;
    }
    if (s->prot_type == IMSMS_MIKEY_PROT_TLS) {
      ntls++;
      continue;
    }
    if (s->prot_type != IMSMS_MIKEY_PROT_SRTP || s->nsuites == 0) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
    if ((rv = suite_list_ok(s->suites, s->nsuites)) != 0) {
      return rv;
    }
  }
  return ntls > 1 ? IMSMS_ERR_INVALID_ARGUMENT : 0;
}

static int key_spec_ok(const imsms_call_key_spec *k) {
  int salted = k->type == IMSMS_MIKEY_KEY_TEK_SALT ||
               k->type == IMSMS_MIKEY_KEY_TGK_SALT;

  if ((k->type != IMSMS_MIKEY_KEY_TEK && k->type != IMSMS_MIKEY_KEY_TGK &&
       !salted) ||
      k->key == NULL || k->key_len < 16 || k->key_len > IMSMS_CALL_MAX_KEY ||
      (salted ? (k->salt == NULL || k->salt_len == 0 ||
                 k->salt_len > IMSMS_CALL_MAX_KEY)
              : k->salt_len != 0) ||
      k->spi == NULL || k->spi_len == 0 || k->spi_len > IMSMS_CALL_MAX_SPI) {
    return 0;
  }
  return 1;
}

static const imsms_call_key_spec *spec_by_spi(const imsms_call_config *cfg,
                                              const uint8_t *spi, size_t len) {
  size_t i;

  for (i = 0; i < cfg->nkeys; i++) {
    if (cfg->keys[i].spi_len == len && memcmp(cfg->keys[i].spi, spi, len) == 0) {
      return &cfg->keys[i];
    }
  }
  return NULL;
}

/* Supplied keys: well formed, SPIs unique, every session's one known. */
static int own_keys_ok(const imsms_call_config *cfg, int initiator) {
  size_t i;

  if (cfg->nkeys > IMSMS_CALL_MAX_OWN_KEYS) {
    return IMSMS_ERR_TOO_LARGE;
  }
  if (cfg->keys == NULL && cfg->nkeys) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  for (i = 0; i < cfg->nkeys; i++) {
    if (!key_spec_ok(&cfg->keys[i]) ||
        spec_by_spi(cfg, cfg->keys[i].spi, cfg->keys[i].spi_len) !=
            &cfg->keys[i]) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
  }
  for (i = 0; i < cfg->nsessions; i++) {
    const imsms_call_session *s = &cfg->sessions[i];

    if (s->key_spi_len == 0) {
      continue;
    }
    if (s->key_spi == NULL || spec_by_spi(cfg, s->key_spi, s->key_spi_len) ==
                                  NULL) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
  }
  /* The Initiator asks for L when it brings keys (RFC 6043 6.10). */
  if (initiator && cfg->nkeys && !(cfg->tp->flags & IMSMS_TP_L)) {
    return IMSMS_ERR_MIKEY_TP;
  }
  return 0;
}

static int policy_ok(const imsms_call_config *cfg) {
  const imsms_tp *tp = cfg->tp;
  size_t i;
  int rv;

  if (tp == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if ((rv = imsms_tp_validate(tp)) != 0) {
    return rv;
  }
  if (tp->nkeys > IMSMS_CALL_MAX_KEYS || tp->napps > IMSMS_CALL_MAX_IDS ||
      tp->nresponders > IMSMS_CALL_MAX_IDS - tp->napps) {
    return IMSMS_ERR_TOO_LARGE;
  }
  if (!id_ok(&cfg->peer, 0)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  /* An anonymous caller cannot name itself in the ticket. */
  if (cfg->anonymous && tp->initiator.len &&
      !imsms_ticket_is_anonymous(&tp->initiator)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  /* Without F no answer comes to pick a suite: one per session. */
  for (i = 0; !(tp->flags & IMSMS_TP_F) && i < cfg->nsessions; i++) {
    if (cfg->sessions[i].prot_type == IMSMS_MIKEY_PROT_SRTP &&
        cfg->sessions[i].nsuites != 1) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
  }
  return 0;
}

static int config_ok(const imsms_call_config *cfg,
                     const imsms_call_callbacks *cb, int initiator) {
  int rv;

  if (cfg->version != IMSMS_CALL_CONFIG_V1 ||
      cb->version != IMSMS_CALL_CALLBACKS_V1) {
    return IMSMS_ERR_VERSION;
  }
  if (!id_ok(&cfg->identity, 1) || !id_ok(&cfg->kms, 0) ||
      !id_ok(&cfg->idrpsk, 0) || cfg->psk == NULL || cfg->psklen < MIN_PSK ||
      cfg->psklen > IMSMS_PRF_MAX_INKEY ||
      (cfg->max_msg_len && (cfg->max_msg_len < MIN_MSG ||
                            cfg->max_msg_len > IMSMS_MIKEY_MAX_MSG_LEN))) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if ((rv = sessions_ok(cfg, initiator)) != 0) {
    return rv;
  }
  if (initiator && (rv = policy_ok(cfg)) != 0) {
    return rv;
  }
  if ((rv = own_keys_ok(cfg, initiator)) != 0) {
    return rv;
  }
  if (initiator) {
    return 0;
  }
  if ((rv = suite_list_ok(cfg->suites, cfg->nsuites)) != 0) {
    return rv;
  }
  return cfg->nsuites || cfg->accept_tls ? 0 : IMSMS_ERR_INVALID_ARGUMENT;
}

/* ---- Copies ------------------------------------------------------------ */

static size_t ids_size(const imsms_id *ids, size_t n) {
  size_t i, total = 0;

  for (i = 0; i < n; i++) {
    total += ids[i].len;
  }
  return total;
}

static size_t arena_size(const imsms_call_config *cfg, int initiator) {
  size_t n = cfg->identity.len + cfg->kms.len + cfg->idrpsk.len;
  const imsms_tp *tp = cfg->tp;

  if (initiator) {
    /* IDRr of TRANSFER_INIT: the configured peer or the first responder. */
    n += (cfg->peer.len ? cfg->peer.len : tp->responders[0].len) + tp->kms.len +
         tp->initiator.len + ids_size(tp->apps, tp->napps) +
         ids_size(tp->responders, tp->nresponders);
  }
  return n;
}

static void copy_id(uint8_t **pos, imsms_id *dst, const imsms_id *src) {
  dst->type = src->type;
  dst->len = src->len;
  dst->data = NULL;
  if (src->len) {
    memcpy(*pos, src->data, src->len);
    dst->data = *pos;
    *pos += src->len;
  }
}

/* The desired policy with its arrays and identities in the call. */
static void copy_policy(imsms_call *call, const imsms_tp *tp, uint8_t **pos) {
  size_t i;

  call->tp = *tp;
  copy_id(pos, &call->tp.kms, &tp->kms);
  copy_id(pos, &call->tp.initiator, &tp->initiator);
  for (i = 0; i < tp->nkeys; i++) {
    call->tp_keys[i] = tp->keys[i];
  }
  call->tp.keys = tp->nkeys ? call->tp_keys : NULL;
  for (i = 0; i < tp->napps; i++) {
    copy_id(pos, &call->tp_ids[i], &tp->apps[i]);
  }
  call->tp.apps = tp->napps ? call->tp_ids : NULL;
  for (i = 0; i < tp->nresponders; i++) {
    copy_id(pos, &call->tp_ids[tp->napps + i], &tp->responders[i]);
  }
  call->tp.responders = call->tp_ids + tp->napps;
}

/* The supplied keys, and for each session (by SPI) the one it uses. */
static size_t own_index(const imsms_call_config *cfg, const uint8_t *spi,
                        size_t len) {
  size_t i;

  for (i = 0; len && i < cfg->nkeys; i++) {
    if (cfg->keys[i].spi_len == len && memcmp(cfg->keys[i].spi, spi, len) == 0) {
      return i + 1;
    }
  }
  return 0;
}

static void copy_own(imsms_call *call, const imsms_call_config *cfg) {
  size_t i;

  for (i = 0; i < cfg->nkeys; i++) {
    const imsms_call_key_spec *k = &cfg->keys[i];
    imsms_call_key *d = &call->sec->own[i];

    d->type = k->type;
    memcpy(d->key, k->key, k->key_len);
    d->key_len = k->key_len;
    if (k->salt_len) {
      memcpy(d->salt, k->salt, k->salt_len);
    }
    d->salt_len = k->salt_len;
    memcpy(d->spi, k->spi, k->spi_len);
    d->spi_len = k->spi_len;
    d->no_fork = 1;
    d->own = 1;
  }
  call->sec->nown = cfg->nkeys;
}

static void copy_sessions(imsms_call *call, const imsms_call_config *cfg) {
  size_t i, j;

  for (i = 0; i < cfg->nsessions; i++) {
    const imsms_call_session *s = &cfg->sessions[i];
    imsms_call_cs *cs = &call->cs[i];

    cs->cs_id = s->cs_id;
    cs->prot_type = s->prot_type;
    cs->own = own_index(cfg, s->key_spi, s->key_spi_len);
    cs->has_ssrc = s->prot_type == IMSMS_MIKEY_PROT_SRTP && s->has_ssrc;
    cs->ssrc = cs->has_ssrc ? s->ssrc : 0;
    /* A TLS session offers one policy, "suite" 0. */
    cs->nsuites = s->prot_type == IMSMS_MIKEY_PROT_TLS ? 1 : s->nsuites;
    for (j = 0; j < s->nsuites && s->prot_type == IMSMS_MIKEY_PROT_SRTP; j++) {
      cs->suites[j] = s->suites[j];
    }
  }
  call->ncs = cfg->nsessions;
}

static void copy_config(imsms_call *call, const imsms_call_config *cfg,
                        int initiator) {
  uint8_t *pos = call->arena;
  size_t i;

  copy_id(&pos, &call->identity, &cfg->identity);
  copy_id(&pos, &call->kms, &cfg->kms);
  copy_id(&pos, &call->idrpsk, &cfg->idrpsk);
  memcpy(call->sec->psk, cfg->psk, cfg->psklen);
  call->sec->psklen = cfg->psklen;
  call->skew_sec = cfg->skew_sec ? cfg->skew_sec : DEFAULT_SKEW;
  call->max_age_sec =
      cfg->max_age_sec > call->skew_sec ? cfg->max_age_sec : call->skew_sec;
  call->timeout_sec = cfg->timeout_sec ? cfg->timeout_sec : DEFAULT_TIMEOUT;
  call->peer_error = -1;
  copy_own(call, cfg);
  if (initiator) {
    copy_id(&pos, &call->peer,
            cfg->peer.len ? &cfg->peer : &cfg->tp->responders[0]);
    copy_policy(call, cfg->tp, &pos);
    if (cfg->anonymous) {
      call->anonymous = 1;
      call->tp.initiator.type = IMSMS_MIKEY_ID_URI;
      call->tp.initiator.data = (const uint8_t *)IMSMS_ANONYMOUS_URI;
      call->tp.initiator.len = sizeof(IMSMS_ANONYMOUS_URI) - 1;
    }
    call->prf = cfg->tp->prf_func;
    copy_sessions(call, cfg);
    return;
  }
  for (i = 0; i < cfg->nsuites; i++) {
    call->suites[i] = cfg->suites[i];
  }
  call->nsuites = cfg->nsuites;
  call->accept_tls = cfg->accept_tls != 0;
  for (i = 0; i < cfg->nsessions; i++) {
    call->ssrcs[i].cs_id = cfg->sessions[i].cs_id;
    call->ssrcs[i].ssrc = cfg->sessions[i].ssrc;
    call->ssrcs[i].own = own_index(cfg, cfg->sessions[i].key_spi,
                                   cfg->sessions[i].key_spi_len);
  }
  call->nssrcs = cfg->nsessions;
}

/* ---- Creation ---------------------------------------------------------- */

/*
 * The call's one block: the struct, its secrets, the copied identities
 * and three message buffers (the third for CSB updates). The secrets are
 * not in the provider's guarded memory: it costs an mmap of several
 * pages per call, which caps a process at about 16,000 calls (measured
 * with libsodium); they are wiped instead on failure and by
 * imsms_call_del().
 */
static size_t block_size(size_t arena, size_t msgcap) {
  return sizeof(imsms_call) + sizeof(imsms_call_secrets) + arena + 3 * msgcap;
}

static int call_new(imsms_call **pcall, imsms_ctx *ctx,
                    const imsms_call_config *cfg,
                    const imsms_call_callbacks *cb, void *user_data, int role) {
  int initiator = role == IMSMS_CALL_ROLE_INITIATOR;
  size_t msgcap, arena;
  imsms_call *call;
  int rv;

  if (pcall == NULL || ctx == NULL || cfg == NULL || cb == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if ((rv = config_ok(cfg, cb, initiator)) != 0) {
    return rv;
  }
  msgcap = cfg->max_msg_len ? cfg->max_msg_len : DEFAULT_MSG;
  arena = arena_size(cfg, initiator);
  call = imsms_mem_calloc(&ctx->mem, 1, block_size(arena, msgcap));
  if (call == NULL) {
    return IMSMS_ERR_NOMEM;
  }
  /* Both structs hold pointers: what follows each is aligned for both. */
  call->sec = (imsms_call_secrets *)(void *)(call + 1);
  call->ctx = ctx;
  call->role = role;
  call->state = IMSMS_CALL_IDLE;
  call->cb = *cb;
  call->user_data = user_data;
  call->msgcap = msgcap;
  call->arena = (uint8_t *)(call->sec + 1);
  call->a = call->arena + arena;
  call->b = call->a + msgcap;
  call->u = call->b + msgcap;
  copy_config(call, cfg, initiator);
  *pcall = call;
  return 0;
}

/* see imsmediasec/call.h */
int imsms_call_new_initiator(imsms_call **pcall, imsms_ctx *ctx,
                             const imsms_call_config *cfg,
                             const imsms_call_callbacks *cb, void *user_data) {
  return call_new(pcall, ctx, cfg, cb, user_data, IMSMS_CALL_ROLE_INITIATOR);
}

/* see imsmediasec/call.h */
int imsms_call_new_responder(imsms_call **pcall, imsms_ctx *ctx,
                             const imsms_call_config *cfg,
                             const imsms_call_callbacks *cb, void *user_data) {
  return call_new(pcall, ctx, cfg, cb, user_data, IMSMS_CALL_ROLE_RESPONDER);
}

/* see imsmediasec/call.h */
void imsms_call_del(imsms_call *call) {
  imsms_ctx *ctx;
  size_t size;

  if (call == NULL) {
    return;
  }
  ctx = call->ctx;
  size = block_size((size_t)(call->a - call->arena), call->msgcap);
  imsms_mem_free_clear(&ctx->mem, call, size);
}

/* ---- Events and transport ---------------------------------------------- */

/* see ue/call_int.h */
int imsms_ue_send(imsms_call *call, int to_kms, const uint8_t *msg,
                  size_t len) {
  int rv = 0;

  if (to_kms) {
    /* Kept for imsms_call_kms_sync(). */
    call->kms_msg = msg;
    call->kms_msg_len = len;
    if (call->cb.send_to_kms != NULL) {
      rv = call->cb.send_to_kms(call, msg, len, call->user_data);
    }
  } else {
    /* Kept for imsms_call_peer_msg(): the SDP layer carries it. */
    call->peer_msg = msg;
    call->peer_msg_len = len;
    if (call->cb.send_to_peer != NULL) {
      rv = call->cb.send_to_peer(call, msg, len, call->user_data);
    }
  }
  return rv < 0 ? IMSMS_ERR_CALLBACK_FAILURE : 0;
}

/* see ue/call_int.h */
int imsms_ue_fail(imsms_call *call, int rv, int mikey_error) {
  if (call->state == IMSMS_CALL_FAILED) {
    return rv;
  }
  call->state = IMSMS_CALL_FAILED;
  if (mikey_error >= 0) {
    call->peer_error = mikey_error;
  }
  /* Nothing secret is of use any more. */
  imsms_secure_clear(call->sec, sizeof(*call->sec));
  if (call->cb.error) {
    call->cb.error(call, rv, call->peer_error, call->user_data);
  }
  return rv;
}

/* see ue/call_int.h */
void imsms_ue_wait(imsms_call *call, int state, imsms_tstamp now) {
  call->state = state;
  call->wait_since = now;
}

/* see ue/call_int.h */
imsms_call_cs *imsms_ue_cs(imsms_call *call, uint8_t cs_id) {
  size_t i;

  for (i = 0; i < call->ncs; i++) {
    if (call->cs[i].cs_id == cs_id) {
      return &call->cs[i];
    }
  }
  return NULL;
}

/* ---- Driving the call -------------------------------------------------- */

/* see imsmediasec/call.h */
int imsms_call_start(imsms_call *call, imsms_tstamp now) {
  int rv;

  if (call == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (call->role != IMSMS_CALL_ROLE_INITIATOR ||
      call->state != IMSMS_CALL_IDLE) {
    return IMSMS_ERR_MIKEY_UNEXPECTED;
  }
  imsms_crypto_pool_defer(call->ctx);
  rv = imsms_ue_request_start(call, now);
  imsms_crypto_pool_settle(call->ctx);
  return rv == 0 ? 0 : imsms_ue_fail(call, rv, -1);
}

/* imsms_call_recv() once the arguments are checked. */
static int recv_msg(imsms_call *call, const uint8_t *in, size_t inlen,
                    imsms_tstamp now) {
  int rv;

  switch (call->state) {
  case IMSMS_CALL_WAIT_REQUEST_RESP:
    rv = imsms_ue_request_resp(call, in, inlen, now);
    break;
  case IMSMS_CALL_WAIT_TRANSFER_RESP:
    rv = imsms_ue_transfer_resp_recv(call, in, inlen, now);
    break;
  case IMSMS_CALL_WAIT_RESOLVE_RESP:
    rv = imsms_ue_resolve_resp(call, in, inlen, now);
    break;
  case IMSMS_CALL_IDLE:
    rv = call->role == IMSMS_CALL_ROLE_RESPONDER
             ? imsms_ue_transfer_init_recv(call, in, inlen, now)
             : IMSMS_ERR_MIKEY_UNEXPECTED;
    break;
  case IMSMS_CALL_DONE:
    rv = imsms_ue_update_recv(call, in, inlen, now);
    break;
  default:
    rv = IMSMS_ERR_MIKEY_UNEXPECTED;
    break;
  }
  /* Whatever the exchange, a fatal error ends the call. */
  if (imsms_err_is_fatal(rv)) {
    imsms_ue_fail(call, rv, -1);
  }
  return rv;
}

/* see imsmediasec/call.h */
int imsms_call_recv(imsms_call *call, const uint8_t *in, size_t inlen,
                    imsms_tstamp now) {
  int rv;

  if (call == NULL || in == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  /* Pooled crypto objects are wiped once, when the message is done. */
  imsms_crypto_pool_defer(call->ctx);
  rv = recv_msg(call, in, inlen, now);
  imsms_crypto_pool_settle(call->ctx);
  return rv;
}

/* see imsmediasec/call.h */
int imsms_call_expired(const imsms_call *call, imsms_tstamp now) {
  imsms_tstamp limit;

  if (call == NULL || (call->state != IMSMS_CALL_WAIT_REQUEST_RESP &&
                       call->state != IMSMS_CALL_WAIT_TRANSFER_RESP &&
                       call->state != IMSMS_CALL_WAIT_RESOLVE_RESP)) {
    return 0;
  }
  limit = (imsms_tstamp)call->timeout_sec << 32;
  /* Signed difference: right across the NTP era boundary. */
  return (int64_t)(now - call->wait_since) > (int64_t)limit;
}

/* ---- Accessors ----------------------------------------------------------- */

/* see imsmediasec/call.h */
int imsms_call_get_state(const imsms_call *call) {
  return call ? call->state : IMSMS_CALL_FAILED;
}

/* see imsmediasec/call.h */
int imsms_call_peer_error(const imsms_call *call) {
  return call ? call->peer_error : -1;
}

/* see imsmediasec/call.h */
imsms_ssize imsms_call_peer_suites(const imsms_call *call, int *suites,
                                   size_t cap) {
  size_t i;

  if (call == NULL || (suites == NULL && cap)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  for (i = 0; i < call->npeer_suites && i < cap; i++) {
    suites[i] = call->peer_suites[i];
  }
  return (imsms_ssize)i;
}

/* see imsmediasec/call.h */
int imsms_call_peer(const imsms_call *call, imsms_id *peer) {
  if (call == NULL || peer == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memset(peer, 0, sizeof(*peer));
  if (call->peer_id.len == 0) {
    return IMSMS_ERR_EOF;
  }
  *peer = call->peer_id;
  return 0;
}

/* see imsmediasec/call.h */
int imsms_call_peer_msg(const imsms_call *call, const uint8_t **msg,
                        size_t *len) {
  if (call == NULL || msg == NULL || len == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  *msg = call->peer_msg;
  *len = call->peer_msg_len;
  return call->peer_msg ? 0 : IMSMS_ERR_EOF;
}

/* prtcl-list = KMPID *(";" KMPID), KMPID = 1*(ALPHA / DIGIT) (RFC 4567). */
static int is_prtcl_list(const char *s, size_t len) {
  size_t i, run = 0;

  for (i = 0; i < len; i++) {
    char c = s[i];

    if (c == ';' && run != 0) {
      run = 0;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9')) {
      run++;
    } else {
      return 0;
    }
  }
  return run != 0;
}

/* see imsmediasec/call.h */
int imsms_call_set_sdp_ids(imsms_call *call, const char *ids, size_t len) {
  if (call == NULL || (ids == NULL && len != 0) ||
      len >= sizeof(call->sdp_ids) || (len && !is_prtcl_list(ids, len))) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (call->state != IMSMS_CALL_IDLE) {
    return IMSMS_ERR_MIKEY_UNEXPECTED;
  }
  if (len != 0) {
    memcpy(call->sdp_ids, ids, len);
  }
  call->sdp_ids_len = len;
  return 0;
}

/* see imsmediasec/call.h */
int imsms_call_session_get(const imsms_call *call, size_t index,
                           imsms_call_session_info *info) {
  const imsms_call_cs *cs;

  if (call == NULL || info == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memset(info, 0, sizeof(*info));
  if (index >= call->ncs) {
    return IMSMS_ERR_EOF;
  }
  cs = &call->cs[index];
  info->cs_id = cs->cs_id;
  info->prot_type = cs->prot_type;
  info->suite = cs->suite;
  info->has_ssrc = cs->has_ssrc;
  info->ssrc = cs->ssrc;
  info->ready = cs->ready;
  return 0;
}
