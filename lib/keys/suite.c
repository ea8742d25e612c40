/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * SRTP protection profiles and their MIKEY SP and SDES names (RFC 4568
 * 6.2, RFC 6188 6, RFC 7714 14.2), both ways.
 */
#include <string.h>

#include <imsmediasec/keys.h>

#define AES_CM 1
#define AES_GCM 6
#define HMAC_SHA1 1

static const imsms_srtp_suite_info suites[] = {
    {IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80, "AES_CM_128_HMAC_SHA1_80", AES_CM,
     HMAC_SHA1, 16, 14, 16, 20, 10, 10},
    {IMSMS_SRTP_AES_CM_128_HMAC_SHA1_32, "AES_CM_128_HMAC_SHA1_32", AES_CM,
     HMAC_SHA1, 16, 14, 16, 20, 4, 10},
    {IMSMS_SRTP_AES_192_CM_HMAC_SHA1_80, "AES_192_CM_HMAC_SHA1_80", AES_CM,
     HMAC_SHA1, 24, 14, 24, 20, 10, 10},
    {IMSMS_SRTP_AES_192_CM_HMAC_SHA1_32, "AES_192_CM_HMAC_SHA1_32", AES_CM,
     HMAC_SHA1, 24, 14, 24, 20, 4, 10},
    {IMSMS_SRTP_AES_256_CM_HMAC_SHA1_80, "AES_256_CM_HMAC_SHA1_80", AES_CM,
     HMAC_SHA1, 32, 14, 32, 20, 10, 10},
    {IMSMS_SRTP_AES_256_CM_HMAC_SHA1_32, "AES_256_CM_HMAC_SHA1_32", AES_CM,
     HMAC_SHA1, 32, 14, 32, 20, 4, 10},
    {IMSMS_SRTP_AEAD_AES_128_GCM, "AEAD_AES_128_GCM", AES_GCM, 0, 16, 12, 16,
     0, 16, 16},
    {IMSMS_SRTP_AEAD_AES_256_GCM, "AEAD_AES_256_GCM", AES_GCM, 0, 32, 12, 32,
     0, 16, 16},
    {IMSMS_SRTP_NULL_HMAC_SHA1_80, "NULL_HMAC_SHA1_80", 0, HMAC_SHA1, 16, 14,
     0, 20, 10, 10},
    {IMSMS_SRTP_NULL_HMAC_SHA1_32, "NULL_HMAC_SHA1_32", 0, HMAC_SHA1, 16, 14,
     0, 20, 4, 10},
    {IMSMS_SRTP_NULL_NULL, "NULL_NULL", 0, 0, 16, 14, 0, 0, 0, 0},
};

#define NSUITES (sizeof(suites) / sizeof(suites[0]))

/* see imsmediasec/keys.h */
const imsms_srtp_suite_info *imsms_srtp_suite_get(int suite) {
  size_t i;

  for (i = 0; i < NSUITES; i++) {
    if (suites[i].suite == suite) {
      return &suites[i];
    }
  }
  return NULL;
}

/* see imsmediasec/keys.h */
int imsms_srtp_suite_by_name(const char *name, size_t namelen) {
  size_t i;

  if (name == NULL) {
    return IMSMS_ERR_UNSUPPORTED_ALG;
  }
  for (i = 0; i < NSUITES; i++) {
    if (strlen(suites[i].name) == namelen &&
        memcmp(suites[i].name, name, namelen) == 0) {
      return suites[i].suite;
    }
  }
  return IMSMS_ERR_UNSUPPORTED_ALG;
}

/* The first difference between |pol| and suite |s|, or NULL. */
static const char *mismatch(const imsms_mikey_srtp_policy *pol,
                            const imsms_srtp_suite_info *s) {
  int gcm = s->mikey_encr_alg == AES_GCM;

  if (pol->encr_alg != s->mikey_encr_alg) {
    return "encryption algorithm";
  }
  /* NULL-cipher suites still derive with AES-128: a 16-byte master key. */
  if (pol->encr_key_len != s->master_key_len) {
    return "session encryption key length";
  }
  if (pol->salt_len != s->master_salt_len) {
    return "session salt key length";
  }
  if (pol->prf != 0) {
    return "SRTP PRF (only AES-CM is defined for these suites)";
  }
  /* GCM authenticates by itself: its HMAC parameters are not read. */
  if (gcm ? pol->aead_tag_len != 16
          : pol->auth_alg != s->mikey_auth_alg ||
                pol->srtp_auth_alg != s->mikey_auth_alg ||
                pol->srtcp_auth_alg != s->mikey_auth_alg) {
    return gcm ? "AEAD authentication tag length" : "authentication algorithm";
  }
  if (!gcm && s->auth_key_len &&
      (pol->srtp_auth_key_len != 20 || pol->srtcp_auth_key_len != 20)) {
    return "authentication key length";
  }
  if (!gcm && s->auth_key_len &&
      (pol->srtp_auth_tag_len != s->srtp_tag_len ||
       pol->srtcp_auth_tag_len != s->srtcp_tag_len)) {
    return "authentication tag length";
  }
  if (pol->srtp_encr != 1 || pol->srtcp_encr != 1 || pol->srtp_auth != 1) {
    return "SRTP/SRTCP encryption or authentication switched off";
  }
  if (pol->prefix_len != 0) {
    return "SRTP prefix length";
  }
  return NULL;
}

/* see imsmediasec/keys.h */
int imsms_srtp_suite_from_policy(const imsms_mikey_srtp_policy *pol,
                                 const char **reason) {
  const imsms_srtp_suite_info *closest = NULL;
  const char *why = "no policy";
  size_t i;

  for (i = 0; pol != NULL && i < NSUITES; i++) {
    if (mismatch(pol, &suites[i]) == NULL) {
      return suites[i].suite;
    }
    /* Explain the refusal against the suite with this cipher and key. */
    if (closest == NULL && suites[i].mikey_encr_alg == pol->encr_alg &&
        suites[i].master_key_len == pol->encr_key_len) {
      closest = &suites[i];
    }
  }
  if (pol != NULL) {
    why = closest ? mismatch(pol, closest)
                  : "encryption algorithm and key length";
  }
  if (reason) {
    *reason = why;
  }
  return IMSMS_ERR_MIKEY_SP_PARAM;
}

/* see imsmediasec/keys.h */
imsms_ssize imsms_srtp_suite_to_params(int suite,
                                       imsms_mikey_sp_param *params,
                                       size_t cap, uint8_t *valbuf) {
  const imsms_srtp_suite_info *s = imsms_srtp_suite_get(suite);
  int gcm;
  size_t n = 0, i;
  uint8_t t[12], v[12];

  if (s == NULL) {
    return IMSMS_ERR_UNSUPPORTED_ALG;
  }
  gcm = s->mikey_encr_alg == AES_GCM;
  t[n] = IMSMS_MIKEY_SRTP_ENCR_ALG, v[n++] = s->mikey_encr_alg;
  t[n] = IMSMS_MIKEY_SRTP_ENCR_KEY_LEN, v[n++] = (uint8_t)s->master_key_len;
  t[n] = IMSMS_MIKEY_SRTP_AUTH_ALG, v[n++] = s->mikey_auth_alg;
  if (s->auth_key_len) {
    t[n] = IMSMS_MIKEY_SRTP_AUTH_KEY_LEN, v[n++] = (uint8_t)s->auth_key_len;
  }
  t[n] = IMSMS_MIKEY_SRTP_SALT_LEN, v[n++] = (uint8_t)s->master_salt_len;
  t[n] = IMSMS_MIKEY_SRTP_PRF, v[n++] = 0;
  t[n] = IMSMS_MIKEY_SRTP_SRTP_ENCR, v[n++] = 1;
  t[n] = IMSMS_MIKEY_SRTP_SRTCP_ENCR, v[n++] = 1;
  t[n] = IMSMS_MIKEY_SRTP_SRTP_AUTH, v[n++] = 1;
  if (gcm) {
    t[n] = IMSMS_MIKEY_SRTP_AEAD_TAG_LEN, v[n++] = 16;
  } else if (s->auth_key_len) {
    t[n] = IMSMS_MIKEY_SRTP_AUTH_TAG_LEN, v[n++] = (uint8_t)s->srtp_tag_len;
    if (s->srtp_tag_len != s->srtcp_tag_len) {
      /* RFC 4771: SRTCP keeps its 80-bit tag with the _32 suites. */
      t[n] = IMSMS_MIKEY_SRTP_SRTCP_AUTH_TAG_LEN,
      v[n++] = (uint8_t)s->srtcp_tag_len;
    }
  }
  if (params == NULL || valbuf == NULL || cap < n) {
    return IMSMS_ERR_NOBUF;
  }
  for (i = 0; i < n; i++) {
    valbuf[i] = v[i];
    params[i].type = t[i];
    params[i].value = &valbuf[i];
    params[i].len = 1;
  }
  return (imsms_ssize)n;
}
