/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The libsrtp2 bridge: a crypto session's master key, salt and MKI as an
 * srtp_policy_t (libsrtp 2.x, srtp2/srtp.h).
 */
#include <imsmediasec/srtp2.h>

#include <string.h>

/* The replay window libsrtp uses when srtp_policy_t.window_size is 0. */
#define LIBSRTP_DEFAULT_WINDOW 128

/*
 * The RTP and RTCP crypto policies of |suite|. libsrtp's own setters are
 * used wherever one exists, so the cipher and auth ids, key lengths and
 * security services stay whatever libsrtp means by the suite. Returns 0
 * or IMSMS_ERR_UNSUPPORTED_ALG.
 */
static int set_crypto(srtp_policy_t *pol, int suite) {
  srtp_crypto_policy_t *rtp = &pol->rtp, *rtcp = &pol->rtcp;

  /*
   * libsrtp's _32 setters are for RTP only: SRTCP keeps the 80-bit tag
   * with the _32 suites (RFC 4568 6.2, RFC 6188), so RTCP gets the _80
   * policy of the same cipher.
   */
  switch (suite) {
  case IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80:
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(rtp);
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(rtcp);
    return 0;
  case IMSMS_SRTP_AES_CM_128_HMAC_SHA1_32:
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(rtp);
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(rtcp);
    return 0;
  case IMSMS_SRTP_AES_192_CM_HMAC_SHA1_80:
    srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80(rtp);
    srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80(rtcp);
    return 0;
  case IMSMS_SRTP_AES_192_CM_HMAC_SHA1_32:
    srtp_crypto_policy_set_aes_cm_192_hmac_sha1_32(rtp);
    srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80(rtcp);
    return 0;
  case IMSMS_SRTP_AES_256_CM_HMAC_SHA1_80:
    srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(rtp);
    srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(rtcp);
    return 0;
  case IMSMS_SRTP_AES_256_CM_HMAC_SHA1_32:
    srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32(rtp);
    srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(rtcp);
    return 0;
  case IMSMS_SRTP_AEAD_AES_128_GCM:
    /* RFC 7714: a 16-byte tag on SRTP and SRTCP, both encrypted. */
    srtp_crypto_policy_set_aes_gcm_128_16_auth(rtp);
    srtp_crypto_policy_set_aes_gcm_128_16_auth(rtcp);
    return 0;
  case IMSMS_SRTP_AEAD_AES_256_GCM:
    srtp_crypto_policy_set_aes_gcm_256_16_auth(rtp);
    srtp_crypto_policy_set_aes_gcm_256_16_auth(rtcp);
    return 0;
  case IMSMS_SRTP_NULL_HMAC_SHA1_80:
    srtp_crypto_policy_set_null_cipher_hmac_sha1_80(rtp);
    srtp_crypto_policy_set_null_cipher_hmac_sha1_80(rtcp);
    return 0;
  case IMSMS_SRTP_NULL_HMAC_SHA1_32:
    /* libsrtp has no setter for it: its _80 policy with a 4-byte tag. */
    srtp_crypto_policy_set_null_cipher_hmac_sha1_80(rtp);
    rtp->auth_tag_len = 4;
    srtp_crypto_policy_set_null_cipher_hmac_sha1_80(rtcp);
    return 0;
  case IMSMS_SRTP_NULL_NULL:
    srtp_crypto_policy_set_null_cipher_hmac_null(rtp);
    srtp_crypto_policy_set_null_cipher_hmac_null(rtcp);
    return 0;
  default:
    return IMSMS_ERR_UNSUPPORTED_ALG;
  }
}

/* What libsrtp can take; 0 or the error imsms_srtp2_policy() returns. */
static int check_args(const imsms_srtp_suite_info *s, const imsms_cs_master *m,
                      uint32_t kdr, srtp_ssrc_type_t ssrc_type) {
  if (ssrc_type != ssrc_specific && ssrc_type != ssrc_any_inbound &&
      ssrc_type != ssrc_any_outbound) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (s == NULL) {
    return IMSMS_ERR_UNSUPPORTED_ALG;
  }
  if (m->key_len != s->master_key_len || m->salt_len != s->master_salt_len) {
    return IMSMS_ERR_KEY_LENGTH;
  }
  /*
   * libsrtp derives the session keys once, in srtp_create(), and has no
   * key derivation rate: with kdr > 0 the peer would re-key every kdr
   * packets and libsrtp would not.
   */
  if (kdr != 0) {
    return IMSMS_ERR_SRTP_UNSUPPORTED;
  }
  /* srtp_create() refuses a longer MKI; so does the room in |store|. */
  if (m->mki_len > SRTP_MAX_MKI_LEN || m->mki_len > IMSMS_MAX_MKI_LEN) {
    return IMSMS_ERR_SRTP_UNSUPPORTED;
  }
  return 0;
}

/* see imsmediasec/srtp2.h */
int imsms_srtp2_policy(srtp_policy_t *pol, imsms_srtp2_keys *store, int suite,
                       const imsms_cs_master *m, uint32_t kdr,
                       srtp_ssrc_type_t ssrc_type, uint32_t ssrc,
                       unsigned long window_size) {
  const imsms_srtp_suite_info *s = imsms_srtp_suite_get(suite);
  int rv;

  if (pol == NULL || store == NULL || m == NULL) {
    if (pol != NULL) {
      memset(pol, 0, sizeof(*pol));
    }
    if (store != NULL) {
      imsms_secure_clear(store, sizeof(*store));
    }
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  /* Nothing of an earlier policy (a stale next, keys, xtn list) survives. */
  memset(pol, 0, sizeof(*pol));
  imsms_secure_clear(store, sizeof(*store));
  rv = check_args(s, m, kdr, ssrc_type);
  if (rv == 0) {
    rv = set_crypto(pol, suite);
  }
  if (rv != 0) {
    memset(pol, 0, sizeof(*pol));
    return rv;
  }

  /*
   * libsrtp reads the master key and the master salt from one buffer,
   * salt right after the key, cipher_key_len bytes in all; for GCM it
   * pads the 12-byte salt with zeros itself before its KDF.
   */
  memcpy(store->key, m->key, m->key_len);
  memcpy(store->key + m->key_len, m->salt, m->salt_len);
  if (m->mki_len > 0) {
    /* The MKI needs the master-key array; libsrtp refuses key and keys. */
    memcpy(store->mki, m->mki, m->mki_len);
    store->master.key = store->key;
    store->master.mki_id = store->mki;
    store->master.mki_size = (unsigned int)m->mki_len;
    store->masters[0] = &store->master;
    pol->keys = store->masters;
    pol->num_master_keys = 1;
  } else {
    pol->key = store->key;
  }

  pol->ssrc.type = ssrc_type;
  pol->ssrc.value = ssrc_type == ssrc_specific ? ssrc : 0;
  /* Spelled out rather than left 0, so the policy says what it gets. */
  pol->window_size = window_size ? window_size : LIBSRTP_DEFAULT_WINDOW;
  /*
   * libsrtp's default: srtp_protect() refuses a sequence number it has
   * protected before, which would reuse a keystream.
   */
  pol->allow_repeat_tx = 0;
  pol->next = NULL;
  return 0;
}
