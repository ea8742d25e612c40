/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Crypto sessions of a call: the SP payloads and GENERIC-ID map of the
 * offer (TRANSFER_INIT) and of the answer (TRANSFER_RESP, RFC 6043
 * 6.1.1), the Responder's choice, the Initiator's check of that choice,
 * and the session keys.
 *
 *  - Offer: one SP per distinct suite (policy numbers from 0 in order of
 *    first appearance) and one SP of protocol type TLS without
 *    parameters for the MSRP session; each session lists the policy
 *    numbers of its suites, preferred first; Session Data is the SSRC
 *    (4 bytes, S = 0) when the application gave one, else empty; the SPI
 *    is that of the ticket key the session uses.
 *  - Answer: per session the first offered policy this Responder accepts
 *    (#P = 1), the SSRC filled in when the offer left it empty (the
 *    configured one by CS ID, else random), ROC and SEQ echoed when S was
 *    set, the SPI of the key used. Sessions the Responder adds are not
 *    supported: the Initiator refuses them.
 *  - Keys (RFC 6043 5.1.3): per session, from its ticket key (TGK' when
 *    forking, which the Initiator forks itself with the IDRr and RANDRkms
 *    of TRANSFER_RESP; the Responder receives it forked), RANDRi with H,
 *    RANDRr with G: the SRTP master key and salt of the suite, or the
 *    MSRP TLS-PSK (which needs a TGK or GTGK).
 */
#include <string.h>

#include "ue/call_int.h"

#define MAX_SP_PARAMS 11

/* Encodes the SP of |suite| (0: TLS) with |policy_no| into |pl|. */
static int sp_payload(imsms_mikey_payload *pl, int suite, uint8_t policy_no,
                      uint8_t *buf, size_t cap, size_t *used) {
  imsms_mikey_sp_param params[MAX_SP_PARAMS];
  uint8_t val[MAX_SP_PARAMS];
  imsms_ssize n = 0, len = 0;

  memset(pl, 0, sizeof(*pl));
  pl->type = IMSMS_MIKEY_PT_SP;
  pl->u.sp.policy_no = policy_no;
  pl->u.sp.prot_type = suite ? IMSMS_MIKEY_PROT_SRTP : IMSMS_MIKEY_PROT_TLS;
  if (suite) {
    n = imsms_srtp_suite_to_params(suite, params, MAX_SP_PARAMS, val);
    len = n < 0 ? n
                : imsms_mikey_sp_params_encode(buf + *used, cap - *used, params,
                                               (size_t)n);
  }
  if (len < 0) {
    return (int)len;
  }
  pl->u.sp.params = buf + *used;
  pl->u.sp.len = (size_t)len;
  *used += (size_t)len;
  return 0;
}

/* see ue/call_int.h */
imsms_ssize imsms_ue_offer_sps(imsms_call *call, imsms_mikey_payload *sp,
                               size_t cap, uint8_t *buf, size_t bufcap) {
  int table[IMSMS_CALL_MAX_PAYLOADS];
  size_t i, j, k, n = 0, used = 0;
  int rv;

  for (i = 0; i < call->ncs; i++) {
    imsms_call_cs *cs = &call->cs[i];

    for (j = 0; j < cs->nsuites; j++) {
      for (k = 0; k < n && table[k] != cs->suites[j]; k++) {
      }
      if (k == n) {
        if (n == cap || n == IMSMS_CALL_MAX_PAYLOADS) {
          return IMSMS_ERR_NOBUF;
        }
        if ((rv = sp_payload(&sp[n], cs->suites[j], (uint8_t)n, buf, bufcap,
                             &used)) != 0) {
          return rv;
        }
        table[n++] = cs->suites[j];
      }
      cs->policies[j] = (uint8_t)k;
    }
  }
  return (imsms_ssize)n;
}

static size_t session_data(const imsms_call_cs *cs, uint8_t *sd) {
  if (cs->prot_type != IMSMS_MIKEY_PROT_SRTP || !cs->has_ssrc) {
    return 0;
  }
  sd[0] = (uint8_t)(cs->ssrc >> 24);
  sd[1] = (uint8_t)(cs->ssrc >> 16);
  sd[2] = (uint8_t)(cs->ssrc >> 8);
  sd[3] = (uint8_t)cs->ssrc;
  if (!cs->s_flag) {
    return 4;
  }
  sd[4] = (uint8_t)(cs->roc >> 24);
  sd[5] = (uint8_t)(cs->roc >> 16);
  sd[6] = (uint8_t)(cs->roc >> 8);
  sd[7] = (uint8_t)cs->roc;
  sd[8] = (uint8_t)(cs->seq >> 8);
  sd[9] = (uint8_t)cs->seq;
  return 10;
}

/* see ue/call_int.h */
imsms_ssize imsms_ue_map(const imsms_call *call, int answer, uint8_t *sd,
                         uint8_t *out, size_t cap) {
  imsms_mikey_cs map[IMSMS_CALL_MAX_SESSIONS];
  size_t i;

  memset(map, 0, sizeof(map));
  for (i = 0; i < call->ncs; i++) {
    const imsms_call_cs *cs = &call->cs[i];
    const imsms_call_key *key = &call->sec->keys[cs->key];

    map[i].cs_id = cs->cs_id;
    map[i].prot_type = cs->prot_type;
    map[i].s_flag = answer ? cs->s_flag : 0;
    map[i].npolicies = answer ? 1 : (uint8_t)cs->nsuites;
    map[i].policies = answer ? &cs->policy_no : cs->policies;
    map[i].session_data = sd + 10 * i;
    map[i].session_data_len = session_data(cs, sd + 10 * i);
    map[i].spi = key->spi;
    map[i].spi_len = key->spi_len;
  }
  return imsms_mikey_map_encode(out, cap, IMSMS_MIKEY_MAP_GENERIC_ID, map,
                                call->ncs);
}

/* ---- Responder: the choice --------------------------------------------- */

/* What one SP of the offer is worth to this Responder. */
typedef struct sp_entry {
  uint8_t present;
  uint8_t prot_type;
  int suite; /* SRTP: an accepted suite, else 0 */
} sp_entry;

static int accepted_suite(const imsms_call *call, const imsms_mikey_sp *sp) {
  imsms_mikey_srtp_policy pol;
  int suite;
  size_t i;

  if (imsms_mikey_srtp_policy_parse(&pol, sp) != 0 ||
      (suite = imsms_srtp_suite_from_policy(&pol, NULL)) <= 0) {
    return 0;
  }
  for (i = 0; i < call->nsuites; i++) {
    if (call->suites[i] == suite) {
      return suite;
    }
  }
  return 0;
}

static int sp_table(const imsms_call *call, const imsms_call_msg *m,
                    sp_entry *t) {
  size_t i;

  memset(t, 0, 256 * sizeof(*t));
  for (i = 0; i < m->npl; i++) {
    const imsms_mikey_sp *sp = &m->pl[i].u.sp;

    if (m->pl[i].type != IMSMS_MIKEY_PT_SP) {
      continue;
    }
    if (t[sp->policy_no].present) {
      return IMSMS_ERR_MIKEY_SP;
    }
    t[sp->policy_no].present = 1;
    t[sp->policy_no].prot_type = sp->prot_type;
    if (sp->prot_type == IMSMS_MIKEY_PROT_SRTP) {
      t[sp->policy_no].suite = accepted_suite(call, sp);
    }
  }
  return 0;
}

/* The first offered policy of |in| this Responder accepts. */
static int choose(const imsms_call *call, const sp_entry *t,
                  const imsms_mikey_cs *in, imsms_call_cs *cs) {
  size_t i;

  if (in->prot_type != IMSMS_MIKEY_PROT_SRTP &&
      in->prot_type != IMSMS_MIKEY_PROT_TLS) {
    return IMSMS_ERR_MIKEY_SP;
  }
  for (i = 0; i < in->npolicies; i++) {
    const sp_entry *e = &t[in->policies[i]];

    if (!e->present || e->prot_type != in->prot_type) {
      continue;
    }
    if ((in->prot_type == IMSMS_MIKEY_PROT_SRTP && e->suite) ||
        (in->prot_type == IMSMS_MIKEY_PROT_TLS && call->accept_tls)) {
      cs->suite = e->suite;
      cs->policy_no = in->policies[i];
      return 0;
    }
  }
  return IMSMS_ERR_MIKEY_SP_PARAM;
}

/* Session Data and SPI of the offer; the SSRC filled in when absent. */
static int take_session(imsms_call *call, const imsms_mikey_cs *in,
                        imsms_call_cs *cs) {
  uint8_t r[4];
  size_t i;
  int rv;

  cs->cs_id = in->cs_id;
  cs->prot_type = in->prot_type;
  if (in->spi_len > IMSMS_CALL_MAX_SPI) {
    return IMSMS_ERR_MIKEY_MAP;
  }
  memcpy(cs->spi, in->spi, in->spi_len);
  cs->spi_len = in->spi_len;
  if (in->prot_type != IMSMS_MIKEY_PROT_SRTP) {
    return 0;
  }
  if (in->session_data_len != 0 &&
      in->session_data_len != (in->s_flag ? 10u : 4u)) {
    return IMSMS_ERR_MIKEY_MAP;
  }
  cs->s_flag = in->session_data_len ? in->s_flag : 0;
  cs->has_ssrc = 1;
  cs->ssrc = in->ssrc;
  cs->roc = in->roc;
  cs->seq = in->seq;
  if (in->session_data_len) {
    return 0;
  }
  for (i = 0; i < call->nssrcs; i++) {
    if (call->ssrcs[i].cs_id == in->cs_id) {
      cs->ssrc = call->ssrcs[i].ssrc;
      return 0;
    }
  }
  if ((rv = imsms_random(call->ctx, r, sizeof(r))) != 0) {
    return rv;
  }
  cs->ssrc =
      (uint32_t)r[0] << 24 | (uint32_t)r[1] << 16 | (uint32_t)r[2] << 8 | r[3];
  return 0;
}

/* see ue/call_int.h */
int imsms_ue_answer_sessions(imsms_call *call, const imsms_call_msg *m) {
  sp_entry t[256];
  imsms_mikey_map_iter it;
  imsms_mikey_cs in;
  size_t n = 0;
  int rv;

  if ((rv = sp_table(call, m, t)) != 0) {
    return rv;
  }
  if (m->msg.hdr.ncs == 0 || m->msg.hdr.ncs > IMSMS_CALL_MAX_SESSIONS) {
    return IMSMS_ERR_MIKEY_MAP;
  }
  imsms_mikey_map_iter_init(&it, &m->msg.hdr);
  while ((rv = imsms_mikey_map_next(&it, &in)) == 0) {
    imsms_call_cs *cs = &call->cs[n];

    memset(cs, 0, sizeof(*cs));
    if (imsms_ue_cs(call, in.cs_id) != NULL) {
      return IMSMS_ERR_MIKEY_MAP;
    }
    call->ncs = n + 1;
    if ((rv = choose(call, t, &in, cs)) != 0 ||
        (rv = take_session(call, &in, cs)) != 0) {
      call->ncs = 0;
      return rv;
    }
    n++;
  }
  call->ncs = n;
  return rv == IMSMS_ERR_EOF ? 0 : rv;
}

/* ---- Initiator: the answer ---------------------------------------------- */

/* The Responder's entry for our session |cs|. */
static int check_entry(imsms_call *call, const imsms_mikey_cs *in,
                       imsms_call_cs *cs) {
  size_t i;
  int key;

  if (in->prot_type != cs->prot_type || in->npolicies != 1) {
    return IMSMS_ERR_MIKEY_MAP;
  }
  for (i = 0; i < cs->nsuites && cs->policies[i] != in->policies[0]; i++) {
  }
  if (i == cs->nsuites) {
    return IMSMS_ERR_MIKEY_SP_PARAM;
  }
  key = imsms_ue_find_key(call, in->spi, in->spi_len);
  if (key < 0) {
    return IMSMS_ERR_MIKEY_KEY_DATA;
  }
  if (cs->prot_type == IMSMS_MIKEY_PROT_SRTP) {
    if (in->session_data_len != (in->s_flag ? 10u : 4u)) {
      return IMSMS_ERR_MIKEY_MAP;
    }
    cs->has_ssrc = 1;
    cs->ssrc = in->ssrc;
  }
  cs->suite = cs->suites[i];
  cs->policy_no = in->policies[0];
  if (in->spi_len) {
    cs->key = (size_t)key;
  }
  return 0;
}

/* see ue/call_int.h */
int imsms_ue_check_answer_map(imsms_call *call, const imsms_mikey_hdr *hdr) {
  uint8_t seen[IMSMS_CALL_MAX_SESSIONS];
  imsms_mikey_map_iter it;
  imsms_mikey_cs in;
  int rv;

  if (hdr->map_type != IMSMS_MIKEY_MAP_GENERIC_ID || hdr->ncs != call->ncs) {
    return IMSMS_ERR_MIKEY_MAP;
  }
  memset(seen, 0, sizeof(seen));
  imsms_mikey_map_iter_init(&it, hdr);
  while ((rv = imsms_mikey_map_next(&it, &in)) == 0) {
    imsms_call_cs *cs = imsms_ue_cs(call, in.cs_id);
    size_t idx;

    if (cs == NULL || seen[idx = (size_t)(cs - call->cs)]) {
      return IMSMS_ERR_MIKEY_MAP;
    }
    seen[idx] = 1;
    if ((rv = check_entry(call, &in, cs)) != 0) {
      return rv;
    }
  }
  return rv == IMSMS_ERR_EOF ? 0 : rv;
}

/* see ue/call_int.h */
int imsms_ue_find_key(const imsms_call *call, const uint8_t *spi,
                      size_t spilen) {
  size_t i;

  if (call->sec->nkeys == 0) {
    return -1;
  }
  if (spilen == 0) {
    return 0;
  }
  for (i = 0; i < call->sec->nkeys; i++) {
    const imsms_call_key *k = &call->sec->keys[i];

    if (k->spi_len == spilen && memcmp(k->spi, spi, spilen) == 0) {
      return (int)i;
    }
  }
  return -1;
}

/* ---- Keys ---------------------------------------------------------------- */

static int is_tgk(uint8_t type) {
  return type == IMSMS_MIKEY_KEY_TGK || type == IMSMS_MIKEY_KEY_TGK_SALT;
}

/* The key data view of a stored key, |key| replaced when forked. */
static void key_view(imsms_mikey_keydata *kd, const imsms_call_key *k,
                     const uint8_t *key) {
  memset(kd, 0, sizeof(*kd));
  kd->type = k->type;
  kd->kv = k->spi_len ? IMSMS_MIKEY_KV_SPI : IMSMS_MIKEY_KV_NULL;
  kd->key = key;
  kd->key_len = k->key_len;
  kd->salt = k->salt_len ? k->salt : NULL;
  kd->salt_len = k->salt_len;
  kd->spi = k->spi_len ? k->spi : NULL;
  kd->spi_len = k->spi_len;
}

/* The master key and salt, or the MSRP PSK, of session |i|. */
static int session_keys(imsms_call *call, size_t i, const imsms_tek_params *tp,
                        const imsms_id *idrr, const uint8_t *rkms,
                        size_t rkmslen) {
  const imsms_call_cs *cs = &call->cs[i];
  const imsms_call_key *k = &call->sec->keys[cs->key];
  const imsms_srtp_suite_info *si;
  uint8_t forked[IMSMS_CALL_MAX_KEY];
  imsms_mikey_keydata kd;
  int rv = 0;

  key_view(&kd, k, k->key);
  if (idrr != NULL && is_tgk(k->type) && !k->no_fork) {
    rv =
        imsms_key_fork(call->ctx, call->prf, IMSMS_FORK_TGK, k->key, k->key_len,
                       idrr->data, idrr->len, rkms, rkmslen, forked);
    kd.key = forked;
  }
  if (rv == 0 && cs->prot_type == IMSMS_MIKEY_PROT_TLS) {
    rv = k->type == IMSMS_MIKEY_KEY_TEK || k->type == IMSMS_MIKEY_KEY_TEK_SALT
             ? IMSMS_ERR_MIKEY_KEY_DATA
             : imsms_msrp_psk_derive(call->ctx, tp, kd.key, kd.key_len,
                                     call->csb, cs->cs_id, kd.spi, kd.spi_len,
                                     &call->sec->msrp);
  } else if (rv == 0) {
    si = imsms_srtp_suite_get(cs->suite);
    rv = si == NULL
             ? IMSMS_ERR_UNSUPPORTED_ALG
             : imsms_cs_master_derive(call->ctx, tp, &kd, cs->cs_id,
                                      si->master_key_len, si->master_salt_len,
                                      &call->sec->master[i]);
  }
  imsms_secure_clear(forked, sizeof(forked));
  return rv;
}

/* RFC 6043 5.1.3 inputs: RANDRi with H, RANDRr with G. */
static void tek_params(const imsms_call *call, imsms_tek_params *tp) {
  memset(tp, 0, sizeof(*tp));
  tp->rfc = IMSMS_TEK_RFC6043;
  tp->prf_func = call->prf;
  if (call->flags & IMSMS_TP_H) {
    tp->randri = call->randri;
    tp->randri_len = call->randri_len;
  }
  if (call->flags & IMSMS_TP_G) {
    tp->randrr = call->randrr;
    tp->randrr_len = call->randrr_len;
  }
}

/* see ue/call_int.h */
int imsms_ue_keys_ready(imsms_call *call, const imsms_id *idrr,
                        const uint8_t *randrkms, size_t rkmslen) {
  imsms_tek_params tp;
  size_t i;
  int rv;

  tek_params(call, &tp);
  for (i = 0; i < call->ncs; i++) {
    int key = imsms_ue_find_key(call, call->cs[i].spi, call->cs[i].spi_len);

    /* The Responder's sessions name their key by the offer's SPI. */
    if (call->role == IMSMS_CALL_ROLE_RESPONDER) {
      if (key < 0) {
        rv = IMSMS_ERR_MIKEY_KEY_DATA;
        goto fail;
      }
      call->cs[i].key = (size_t)key;
    }
    if ((rv = session_keys(call, i, &tp, idrr, randrkms, rkmslen)) != 0) {
      goto fail;
    }
  }
  call->state = IMSMS_CALL_DONE;
  if (call->peer_id.len && call->cb.peer_identity) {
    call->cb.peer_identity(call, &call->peer_id, call->user_data);
  }
  for (i = 0; i < call->ncs; i++) {
    call->cs[i].ready = 1;
    if (call->cb.keys_ready) {
      call->cb.keys_ready(call, call->cs[i].cs_id, call->user_data);
    }
  }
  return 0;
fail:
  imsms_secure_clear(call->sec->master, sizeof(call->sec->master));
  imsms_secure_clear(&call->sec->msrp, sizeof(call->sec->msrp));
  return rv;
}

/* see ue/call_int.h */
imsms_ssize imsms_ue_supported_sps(const imsms_call *call, imsms_mikey_sp *sp,
                                   size_t cap, uint8_t *buf, size_t bufcap) {
  imsms_mikey_payload pl;
  size_t i, n = 0, used = 0;
  int rv;

  for (i = 0; i < call->nsuites + (size_t)call->accept_tls; i++) {
    if (n == cap) {
      return IMSMS_ERR_NOBUF;
    }
    rv = sp_payload(&pl, i < call->nsuites ? call->suites[i] : 0, (uint8_t)n,
                    buf, bufcap, &used);
    if (rv != 0) {
      return rv;
    }
    sp[n++] = pl.u.sp;
  }
  return (imsms_ssize)n;
}

/* ---- Keys out ------------------------------------------------------------ */

/* The ready session |cs_id| of protocol |prot|, or an error. */
static int ready_cs(const imsms_call *call, uint8_t cs_id, uint8_t prot,
                    size_t *index) {
  size_t i;

  for (i = 0; i < call->ncs; i++) {
    if (call->cs[i].cs_id == cs_id && call->cs[i].prot_type == prot) {
      *index = i;
      return call->cs[i].ready && call->state == IMSMS_CALL_DONE
                 ? 0
                 : IMSMS_ERR_MIKEY_UNEXPECTED;
    }
  }
  return IMSMS_ERR_INVALID_ARGUMENT;
}

/* see imsmediasec/call.h */
int imsms_call_cs_master(const imsms_call *call, uint8_t cs_id,
                         imsms_cs_master *out) {
  size_t i;
  int rv;

  if (out == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  imsms_secure_clear(out, sizeof(*out));
  if (call == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if ((rv = ready_cs(call, cs_id, IMSMS_MIKEY_PROT_SRTP, &i)) != 0) {
    return rv;
  }
  *out = call->sec->master[i];
  return 0;
}

/* see imsmediasec/call.h */
int imsms_call_srtp_keys(imsms_call *call, uint8_t cs_id,
                         const imsms_srtp_kdf_params *kp,
                         imsms_srtp_session_keys *out) {
  size_t i;
  int rv;

  if (out == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  imsms_secure_clear(out, sizeof(*out));
  if (call == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if ((rv = ready_cs(call, cs_id, IMSMS_MIKEY_PROT_SRTP, &i)) != 0) {
    return rv;
  }
  return imsms_srtp_kdf(call->ctx, call->cs[i].suite, &call->sec->master[i], kp,
                        out);
}

/* see imsmediasec/call.h */
int imsms_call_msrp_psk(const imsms_call *call, uint8_t cs_id,
                        imsms_msrp_psk *out) {
  size_t i;
  int rv;

  if (out == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  imsms_secure_clear(out, sizeof(*out));
  if (call == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if ((rv = ready_cs(call, cs_id, IMSMS_MIKEY_PROT_TLS, &i)) != 0) {
    return rv;
  }
  *out = call->sec->msrp;
  return 0;
}

/* ---- CSB update (RFC 6043 5.2) ------------------------------------------ */

/* see ue/call_int.h */
imsms_ssize imsms_ue_agreed_sps(const imsms_call *call, imsms_mikey_payload *sp,
                                size_t cap, uint8_t *buf, size_t bufcap) {
  size_t i, j, n = 0, used = 0;
  int rv;

  for (i = 0; i < call->ncs; i++) {
    const imsms_call_cs *cs = &call->cs[i];

    for (j = 0; j < n && sp[j].u.sp.policy_no != cs->policy_no; j++) {
    }
    if (j < n) {
      continue;
    }
    if (n == cap) {
      return IMSMS_ERR_NOBUF;
    }
    rv = sp_payload(&sp[n], cs->prot_type == IMSMS_MIKEY_PROT_SRTP ? cs->suite
                                                                   : 0,
                    cs->policy_no, buf, bufcap, &used);
    if (rv != 0) {
      return rv;
    }
    n++;
  }
  return (imsms_ssize)n;
}

/* The SP of |m| numbered |policy_no|, or NULL. */
static const imsms_mikey_sp *find_sp(const imsms_call_msg *m,
                                     uint8_t policy_no) {
  size_t i;

  for (i = 0; i < m->npl; i++) {
    if (m->pl[i].type == IMSMS_MIKEY_PT_SP &&
        m->pl[i].u.sp.policy_no == policy_no) {
      return &m->pl[i].u.sp;
    }
  }
  return NULL;
}

/* One map entry of an update: the session's agreed policy, the new SPI. */
static int check_update_entry(const imsms_call_msg *m, const imsms_mikey_cs *in,
                              const imsms_call_cs *cs, const uint8_t *spi,
                              size_t spilen) {
  const imsms_mikey_sp *sp;

  if (in->prot_type != cs->prot_type || in->npolicies != 1 ||
      in->policies[0] != cs->policy_no || in->spi_len != spilen ||
      memcmp(in->spi, spi, spilen) != 0) {
    return IMSMS_ERR_MIKEY_MAP;
  }
  /* Without SP payloads the agreed policies stand. */
  if ((sp = find_sp(m, cs->policy_no)) == NULL) {
    return 0;
  }
  if (sp->prot_type != cs->prot_type) {
    return IMSMS_ERR_MIKEY_SP;
  }
  if (cs->prot_type == IMSMS_MIKEY_PROT_SRTP) {
    imsms_mikey_srtp_policy pol;

    if (imsms_mikey_srtp_policy_parse(&pol, sp) != 0 ||
        imsms_srtp_suite_from_policy(&pol, NULL) != cs->suite) {
      return IMSMS_ERR_MIKEY_SP_PARAM;
    }
  }
  return 0;
}

/* see ue/call_int.h */
int imsms_ue_check_update_map(imsms_call *call, const imsms_call_msg *m,
                              const uint8_t *spi, size_t spilen) {
  uint8_t seen[IMSMS_CALL_MAX_SESSIONS] = {0};
  imsms_mikey_map_iter it;
  imsms_mikey_cs in;
  size_t n = 0;
  int rv;

  if (m->msg.hdr.map_type != IMSMS_MIKEY_MAP_GENERIC_ID ||
      m->msg.hdr.ncs != call->ncs) {
    return IMSMS_ERR_MIKEY_MAP;
  }
  imsms_mikey_map_iter_init(&it, &m->msg.hdr);
  while ((rv = imsms_mikey_map_next(&it, &in)) == 0) {
    imsms_call_cs *cs = imsms_ue_cs(call, in.cs_id);
    size_t idx;

    if (cs == NULL || seen[idx = (size_t)(cs - call->cs)]) {
      return IMSMS_ERR_MIKEY_MAP;
    }
    seen[idx] = 1;
    n++;
    if ((rv = check_update_entry(m, &in, cs, spi, spilen)) != 0) {
      return rv;
    }
  }
  return rv == IMSMS_ERR_EOF && n == call->ncs ? 0 : IMSMS_ERR_MIKEY_MAP;
}

/* see ue/call_int.h */
int imsms_ue_rekey(imsms_call *call, size_t key) {
  const imsms_call_key *k = &call->sec->keys[key];
  imsms_cs_master old[IMSMS_CALL_MAX_SESSIONS];
  size_t oldkey[IMSMS_CALL_MAX_SESSIONS], i;
  imsms_msrp_psk oldmsrp;
  imsms_tek_params tp;
  int rv = 0;

  memcpy(old, call->sec->master, sizeof(old));
  oldmsrp = call->sec->msrp;
  tek_params(call, &tp);
  for (i = 0; i < call->ncs; i++) {
    oldkey[i] = call->cs[i].key;
    call->cs[i].key = key;
  }
  /* A TGK exchanged in an update is never forked (RFC 6043 5.2). */
  for (i = 0; i < call->ncs && rv == 0; i++) {
    rv = session_keys(call, i, &tp, NULL, NULL, 0);
  }
  if (rv != 0) {
    memcpy(call->sec->master, old, sizeof(old));
    call->sec->msrp = oldmsrp;
    for (i = 0; i < call->ncs; i++) {
      call->cs[i].key = oldkey[i];
    }
  } else {
    for (i = 0; i < call->ncs; i++) {
      memcpy(call->cs[i].spi, k->spi, k->spi_len);
      call->cs[i].spi_len = k->spi_len;
    }
  }
  imsms_secure_clear(old, sizeof(old));
  imsms_secure_clear(&oldmsrp, sizeof(oldmsrp));
  for (i = 0; rv == 0 && i < call->ncs; i++) {
    if (call->cb.keys_ready) {
      call->cb.keys_ready(call, call->cs[i].cs_id, call->user_data);
    }
  }
  return rv;
}
