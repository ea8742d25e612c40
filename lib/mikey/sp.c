/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Security policy (SP) parameters: the TLV list (RFC 3830 6.10) and the
 * SRTP policy with defaults (RFC 3830 6.10.1, RFC 4771 section 5, RFC
 * 7714 section 15).
 */
#include <string.h>

#include "mikey/codec.h"

/* see imsmediasec/mikey.h */
int imsms_mikey_sp_param_next(const imsms_mikey_sp *sp, size_t *off,
                              imsms_mikey_sp_param *param) {
  imsms_rbuf r;

  if (sp == NULL || off == NULL || param == NULL ||
      (sp->params == NULL && sp->len)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (*off >= sp->len) {
    return IMSMS_ERR_EOF;
  }
  imsms_rbuf_init(&r, sp->params + *off, sp->len - *off);
  if (imsms_rbuf_get_u8(&r, &param->type) != 0 ||
      imsms_mikey_get_var8(&r, &param->value, &param->len) != 0) {
    return IMSMS_ERR_MIKEY_LENGTH;
  }
  *off = (size_t)(r.pos - sp->params);
  return 0;
}

/* see imsmediasec/mikey.h */
imsms_ssize imsms_mikey_sp_params_encode(uint8_t *out, size_t outcap,
                                         const imsms_mikey_sp_param *params,
                                         size_t n) {
  size_t i, total = 0;
  imsms_wbuf w;

  if ((out == NULL && outcap) || (params == NULL && n)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  for (i = 0; i < n; i++) {
    if (params[i].len > 0xff || (params[i].value == NULL && params[i].len)) {
      return IMSMS_ERR_MIKEY_LENGTH;
    }
    total += 2 + params[i].len;
  }
  if (total > 0xffff) {
    return IMSMS_ERR_MIKEY_LENGTH;
  }
  if (outcap < total) {
    return IMSMS_ERR_NOBUF;
  }
  imsms_wbuf_init(&w, out, outcap);
  for (i = 0; i < n; i++) {
    (void)imsms_wbuf_put_u8(&w, params[i].type);
    (void)imsms_wbuf_put_u8(&w, (uint8_t)params[i].len);
    (void)imsms_wbuf_put_bytes(&w, params[i].value, params[i].len);
  }
  return (imsms_ssize)total;
}

/* Where each SRTP parameter lives in the policy struct (all one byte but 13). */
static uint8_t *param_field(imsms_mikey_srtp_policy *p, uint8_t type) {
  uint8_t *fields[] = {
      &p->encr_alg,      &p->encr_key_len,      &p->auth_alg,
      &p->auth_key_len,  &p->salt_len,          &p->prf,
      &p->kdr,           &p->srtp_encr,         &p->srtcp_encr,
      &p->fec_order,     &p->srtp_auth,         &p->auth_tag_len,
      &p->prefix_len,    NULL,                  &p->srtp_auth_alg,
      &p->srtcp_auth_alg, &p->srtp_auth_key_len, &p->srtcp_auth_key_len,
      &p->srtp_auth_tag_len, &p->srtcp_auth_tag_len, &p->aead_tag_len};

  return type < sizeof(fields) / sizeof(fields[0]) ? fields[type] : NULL;
}

static void set_defaults(imsms_mikey_srtp_policy *p) {
  memset(p, 0, sizeof(*p));
  p->encr_alg = 1;
  p->encr_key_len = 16;
  p->auth_alg = 1;
  p->auth_key_len = 20;
  p->salt_len = 14;
  p->srtp_encr = 1;
  p->srtcp_encr = 1;
  p->srtp_auth = 1;
  p->auth_tag_len = 10;
  p->roc_rate = 1;
  p->aead_tag_len = 16;
}

/* The RFC 4771 per-direction values default to the shared ones. */
static void inherit(imsms_mikey_srtp_policy *p) {
  static const struct {
    uint8_t type, from;
  } map[] = {{IMSMS_MIKEY_SRTP_SRTP_AUTH_ALG, IMSMS_MIKEY_SRTP_AUTH_ALG},
             {IMSMS_MIKEY_SRTP_SRTCP_AUTH_ALG, IMSMS_MIKEY_SRTP_AUTH_ALG},
             {IMSMS_MIKEY_SRTP_SRTP_AUTH_KEY_LEN, IMSMS_MIKEY_SRTP_AUTH_KEY_LEN},
             {IMSMS_MIKEY_SRTP_SRTCP_AUTH_KEY_LEN, IMSMS_MIKEY_SRTP_AUTH_KEY_LEN},
             {IMSMS_MIKEY_SRTP_SRTP_AUTH_TAG_LEN, IMSMS_MIKEY_SRTP_AUTH_TAG_LEN},
             {IMSMS_MIKEY_SRTP_SRTCP_AUTH_TAG_LEN,
              IMSMS_MIKEY_SRTP_AUTH_TAG_LEN}};
  size_t i;

  for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
    if (!(p->present & (1u << map[i].type))) {
      *param_field(p, map[i].type) = *param_field(p, map[i].from);
    }
  }
}

/* see imsmediasec/mikey.h */
int imsms_mikey_srtp_policy_parse(imsms_mikey_srtp_policy *pol,
                                  const imsms_mikey_sp *sp) {
  imsms_mikey_sp_param prm;
  size_t off = 0;
  int rv;

  if (pol == NULL || sp == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (sp->prot_type != IMSMS_MIKEY_PROT_SRTP) {
    return IMSMS_ERR_MIKEY_SP;
  }
  set_defaults(pol);
  while ((rv = imsms_mikey_sp_param_next(sp, &off, &prm)) == 0) {
    uint8_t *field = param_field(pol, prm.type);
    size_t want = prm.type == IMSMS_MIKEY_SRTP_ROC_RATE ? 2 : 1;

    if (prm.type > IMSMS_MIKEY_SRTP_AEAD_TAG_LEN ||
        (pol->present & (1u << prm.type)) || prm.len != want) {
      return IMSMS_ERR_MIKEY_SP_PARAM;
    }
    pol->present |= 1u << prm.type;
    if (field) {
      *field = prm.value[0];
    } else {
      pol->roc_rate = (uint16_t)(prm.value[0] << 8 | prm.value[1]);
    }
  }
  if (rv != IMSMS_ERR_EOF) {
    return rv;
  }
  inherit(pol);
  return 0;
}
