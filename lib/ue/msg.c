/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Pieces every exchange of the call engine uses: the algorithm set,
 * payload builders, the timestamp check, RFC 6043 5.1.2 message keys,
 * and Error messages in both directions (RFC 6043 5.4).
 */
#include <string.h>

#include "mikey/codec.h"
#include "ue/call_int.h"

static const uint8_t zero_mac[IMSMS_MAX_DIGEST_LEN];

/* see ue/call_int.h */
size_t imsms_ue_mac_len(uint8_t prf) {
  return prf == IMSMS_MIKEY_PRF_HMAC_SHA256 ? 32 : 20;
}

/* see ue/call_int.h */
size_t imsms_ue_rand_len(size_t keylen) {
  /* RFC 6043 12.1: the RANDs at least as long as the keys they serve. */
  if (keylen < IMSMS_CALL_RAND_MIN) {
    return IMSMS_CALL_RAND_MIN;
  }
  return keylen > IMSMS_CALL_RAND_MAX ? IMSMS_CALL_RAND_MAX : keylen;
}

/* see ue/call_int.h */
void imsms_ue_pl_t(imsms_mikey_payload *pl, imsms_tstamp t) {
  memset(pl, 0, sizeof(*pl));
  pl->type = IMSMS_MIKEY_PT_T;
  pl->u.t.ts_type = IMSMS_MIKEY_TS_NTP_UTC;
  pl->u.t.value = t;
}

/* see ue/call_int.h */
void imsms_ue_pl_randr(imsms_mikey_payload *pl, uint8_t role,
                       const uint8_t *rand, size_t len) {
  memset(pl, 0, sizeof(*pl));
  pl->type = IMSMS_MIKEY_PT_RANDR;
  pl->u.randr.role = role;
  pl->u.randr.rand = rand;
  pl->u.randr.len = len;
}

/* see ue/call_int.h */
void imsms_ue_pl_idr(imsms_mikey_payload *pl, uint8_t role,
                     const imsms_id *id) {
  memset(pl, 0, sizeof(*pl));
  pl->type = IMSMS_MIKEY_PT_IDR;
  pl->u.idr.role = role;
  pl->u.idr.id_type = id->type;
  pl->u.idr.data = id->data;
  pl->u.idr.len = id->len;
}

/* see ue/call_int.h */
void imsms_ue_pl_v(imsms_mikey_payload *pl, uint8_t prf) {
  uint8_t encr, mac;

  (void)imsms_mikey_algs_for_prf(prf, &encr, &mac);
  memset(pl, 0, sizeof(*pl));
  pl->type = IMSMS_MIKEY_PT_V;
  pl->u.v.alg = mac;
  pl->u.v.mac = zero_mac;
  pl->u.v.len = imsms_ue_mac_len(prf);
}

/* see ue/call_int.h */
int imsms_ue_same_id(const imsms_id *a, const imsms_id *b) {
  return a->type == b->type && a->len == b->len &&
         (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* see ue/call_int.h */
void imsms_ue_take_id(imsms_id *id, const imsms_mikey_idr *idr) {
  id->type = idr->id_type;
  id->data = idr->data;
  id->len = idr->len;
}

/* see ue/call_int.h */
int imsms_ue_check_time(const imsms_mikey_payload *t, imsms_tstamp now,
                        uint32_t skew_sec) {
  return imsms_ue_check_age(t, now, skew_sec, skew_sec);
}

/* see ue/call_int.h */
int imsms_ue_check_age(const imsms_mikey_payload *t, imsms_tstamp now,
                       uint32_t skew_sec, uint32_t max_age_sec) {
  int64_t skew = (int64_t)((uint64_t)skew_sec << 32), diff;
  int64_t age = (int64_t)((uint64_t)max_age_sec << 32);

  if (t->u.t.ts_type != IMSMS_MIKEY_TS_NTP_UTC &&
      t->u.t.ts_type != IMSMS_MIKEY_TS_NTP) {
    return IMSMS_ERR_MIKEY_TS_TYPE;
  }
  /* Signed difference: right across the NTP era boundary. */
  diff = (int64_t)(t->u.t.value - now);
  return diff > skew || diff < -age ? IMSMS_ERR_MIKEY_STALE : 0;
}

/* see ue/call_int.h */
int imsms_ue_decode(imsms_call_msg *m, const uint8_t *in, size_t inlen) {
  imsms_ssize n = imsms_mikey_decode_all(&m->msg, m->pl,
                                         IMSMS_CALL_MAX_PAYLOADS, in, inlen);

  if (n < 0) {
    m->npl = 0;
    return (int)n;
  }
  m->npl = (size_t)n;
  return 0;
}

/* The role that tells payloads of one type apart, or -1. */
static int role_of(const imsms_mikey_payload *pl) {
  switch (pl->type) {
  case IMSMS_MIKEY_PT_IDR:
    return pl->u.idr.role;
  case IMSMS_MIKEY_PT_RANDR:
    return pl->u.randr.role;
  case IMSMS_MIKEY_PT_GEN_EXT:
    return pl->u.ext.type;
  default:
    return -1;
  }
}

/* see ue/call_int.h */
int imsms_ue_gather(const imsms_call_msg *m, const imsms_ue_slot *slots,
                    size_t n) {
  size_t i, j;
  int dup = 0;

  for (j = 0; j < n; j++) {
    *slots[j].slot = NULL;
  }
  for (i = 0; i < m->npl; i++) {
    const imsms_mikey_payload *pl = &m->pl[i];

    for (j = 0; j < n; j++) {
      if (pl->type == slots[j].type &&
          (slots[j].role < 0 || role_of(pl) == slots[j].role)) {
        dup |= *slots[j].slot != NULL;
        *slots[j].slot = pl;
        break;
      }
    }
  }
  return dup;
}

/* see ue/call_int.h */
const imsms_mikey_payload *imsms_ue_last_v(const imsms_call_msg *m) {
  if (m->npl == 0 || m->pl[m->npl - 1].type != IMSMS_MIKEY_PT_V) {
    return NULL;
  }
  return &m->pl[m->npl - 1];
}

/* see ue/call_int.h */
int imsms_ue_msgkeys(imsms_call *call, const uint8_t *key, size_t keylen,
                     uint32_t csb, int response, const uint8_t *ri,
                     size_t rilen, const uint8_t *rr, size_t rrlen,
                     imsms_mikey_msgkeys *k) {
  uint8_t encr, mac;
  imsms_prf prf;
  int rv = imsms_mikey_algs_for_prf(call->prf, &encr, &mac);

  if (rv != 0) {
    return rv;
  }
  imsms_prf_init(&prf, call->ctx);
  rv = imsms_prf_setkey(&prf, call->prf, key, keylen);
  if (rv == 0) {
    rv = imsms_mikey_msgkeys_6043(&prf, encr, mac, csb, response, ri, rilen, rr,
                                  rrlen, k);
  }
  imsms_prf_free(&prf);
  return rv;
}

/* The SRTP suite an SP payload describes, or 0. */
static int sp_suite(const imsms_mikey_sp *sp) {
  imsms_mikey_srtp_policy pol;
  int suite;

  if (sp->prot_type != IMSMS_MIKEY_PROT_SRTP ||
      imsms_mikey_srtp_policy_parse(&pol, sp) != 0) {
    return 0;
  }
  suite = imsms_srtp_suite_from_policy(&pol, NULL);
  return suite > 0 ? suite : 0;
}

/* see ue/call_int.h */
int imsms_ue_peer_error(imsms_call *call, const imsms_call_msg *m,
                        const imsms_mikey_msgkeys *k, int suites) {
  const imsms_mikey_payload *v = imsms_ue_last_v(m);
  imsms_iov iov;
  size_t i;
  int rv;

  if (v != NULL && k != NULL) {
    iov.base = m->msg.data;
    iov.len = m->msg.len - v->u.v.len;
    rv = imsms_mikey_mac_verify(call->ctx, v->u.v.alg, k->auth, k->auth_len,
                                &iov, 1, v->u.v.mac);
    if (rv != 0) {
      return rv;
    }
  }
  for (i = 0; i < m->npl; i++) {
    const imsms_mikey_payload *pl = &m->pl[i];
    int s;

    if (pl->type == IMSMS_MIKEY_PT_ERR && call->peer_error < 0) {
      call->peer_error = pl->u.err.error_no;
    } else if (pl->type == IMSMS_MIKEY_PT_SP && suites &&
               call->npeer_suites < IMSMS_CALL_MAX_SUITES &&
               (s = sp_suite(&pl->u.sp)) != 0) {
      call->peer_suites[call->npeer_suites++] = s;
    }
  }
  return 0;
}

/* The ERR number a refusal |rv| of TRANSFER_INIT is reported with. */
static uint8_t error_no(int rv) {
  if (rv == IMSMS_ERR_TICKET_EXPIRED || rv == IMSMS_ERR_TICKET_NOT_YET_VALID) {
    return IMSMS_MIKEY_ERR_INVALID_TPPAR;
  }
  if (rv == IMSMS_ERR_KMS_DENIED) {
    return IMSMS_MIKEY_ERR_AUTH_FAILURE;
  }
  return (uint8_t)imsms_mikey_err_from_error(rv);
}

/* see ue/call_int.h */
int imsms_ue_send_error(imsms_call *call, const imsms_mikey_msg *failed, int rv,
                        int with_sps, imsms_tstamp now) {
  imsms_mikey_sp sp[IMSMS_CALL_MAX_SUITES + 1];
  uint8_t buf[(IMSMS_CALL_MAX_SUITES + 1) * 64];
  uint8_t err = error_no(rv);
  imsms_ssize nsp = 0, len;

  if (with_sps) {
    nsp = imsms_ue_supported_sps(call, sp, IMSMS_CALL_MAX_SUITES + 1, buf,
                                 sizeof(buf));
    if (nsp < 0) {
      nsp = 0;
    }
  }
  len = imsms_mikey_error_encode(call->ctx, failed, now, &err, 1, sp,
                                 (size_t)nsp, NULL, 0, IMSMS_MIKEY_MAC_NULL,
                                 call->b, call->msgcap);
  if (len <= 0) {
    return 0;
  }
  call->blen = (size_t)len;
  return imsms_ue_send(call, 0, call->b, call->blen);
}
