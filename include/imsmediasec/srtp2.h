/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The libsrtp2 bridge: from the master key, salt and MKI of a crypto
 * session to an srtp_policy_t that libsrtp 2.x accepts. A header of its
 * own, so that only applications that use the bridge depend on libsrtp's
 * header; everything else in libimsmediasec is usable without it.
 *
 * libsrtp keeps process-wide state: the application calls srtp_init()
 * once before srtp_create() and srtp_shutdown() at the end. This header
 * never does (rule 2 of the house style: no global initialisation).
 */
#ifndef IMSMEDIASEC_SRTP2_H
#define IMSMEDIASEC_SRTP2_H

#include <srtp2/srtp.h>

#include <imsmediasec/imsmediasec.h>
#include <imsmediasec/keys.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @struct
 *
 * The storage an srtp_policy_t filled by imsms_srtp2_policy() points
 * into: libsrtp's policy holds pointers to the key (|key| or, with an
 * MKI, |masters| -> |master| -> |key| and |mki|), not copies. Caller
 * allocated, no constructor or destructor.
 *
 * Keep it alive, and do not move it, for as long as the policy is used:
 * until srtp_create(), srtp_add_stream() or srtp_update() has returned.
 * Those calls derive libsrtp's session keys and keep no pointer into it,
 * so wipe it with imsms_secure_clear() right after them (and wipe the
 * policy too: its pointers then point at zeros).
 *
 * All fields are private to imsms_srtp2_policy().
 */
typedef struct imsms_srtp2_keys {
  /** Master key || master salt, contiguous, as libsrtp reads them. */
  unsigned char key[32 + 14];
  /** The MKI bytes libsrtp appends to (and expects on) each packet. */
  unsigned char mki[IMSMS_MAX_MKI_LEN];
  /** The one master key of the policy when an MKI is used. */
  srtp_master_key_t master;
  /** The array srtp_policy_t.keys points to. */
  srtp_master_key_t *masters[1];
} imsms_srtp2_keys;

/**
 * @function
 *
 * Fills |pol| for one libsrtp2 stream (RTP and RTCP) of SRTP protection
 * profile |suite| (imsms_srtp_suite), keyed with the master key and salt
 * of |m| copied into |store|. |pol| is cleared first, so none of its
 * previous contents survive; |pol|->next is NULL.
 *
 * The crypto policies are libsrtp's for the suite: AES-CM-128/192/256
 * with HMAC-SHA-1 (an 80-bit tag, or 32 bits on RTP with SRTCP keeping
 * the 80-bit tag as RFC 4568 and libsrtp do), AEAD_AES_128_GCM and
 * AEAD_AES_256_GCM with a 16-byte tag on RTP and RTCP, the NULL cipher
 * with HMAC-SHA-1 80 or 32 (80 on SRTCP), and NULL_NULL (testing only).
 * The key libsrtp reads is the master key followed by the master salt in
 * one buffer; |cipher_key_len| counts both (30, 38, 46; 28, 44 for GCM;
 * 30 for the NULL cipher, whose session keys are still derived with
 * AES-128).
 *
 * With an MKI (|m|->mki_len > 0) the policy uses |pol|->keys with one
 * master key carrying it, and |pol|->key is NULL (libsrtp refuses a
 * policy with both): protect with srtp_protect_mki(srtp, pkt, &len, 1, 0)
 * and srtp_protect_rtcp_mki(), unprotect with srtp_unprotect_mki(srtp,
 * pkt, &len, 1) and srtp_unprotect_rtcp_mki(); plain srtp_protect()
 * would send no MKI. Without an MKI |pol|->key points to |store|->key.
 *
 * |ssrc_type| and |ssrc| are the stream's (ssrc_specific and the SSRC,
 * or ssrc_any_outbound / ssrc_any_inbound with |ssrc| ignored).
 * |window_size| is the replay window in packets: 0 gives 128, libsrtp's
 * default; any other value is passed through, and srtp_create() then
 * refuses values under 64 or at least 32768.
 *
 * The key derivation rate must be 0: libsrtp derives the session keys
 * once, at srtp_create(), and never again, so a MIKEY SP or SDES KDR
 * asking for re-keying every 2^n packets cannot be honoured (use
 * imsms_srtp_kdf() with the index and your own SRTP stack instead).
 *
 * Two defects of libsrtp releases older than the fixes on its 2.x branch
 * (2.5.0, as in Debian 12, has both; tests/check_srtp2.c detects them)
 * concern this policy; it is filled the same way regardless:
 *  - cisco/libsrtp#763 (fixed upstream in 2025, PRs #765 and #770):
 *    the session keys of the AES-192 suites are derived with AES-256,
 *    keyed with the master key and the first 8 salt bytes, not as RFC
 *    6188 says. Such a libsrtp interoperates with itself but not with an
 *    RFC 6188 peer, nor with the keys imsms_srtp_kdf() exports;
 *  - cisco/libsrtp#733 (fixed upstream in 2024, PRs #733 and #737): with
 *    an MKI and one of the _32 suites, srtp_unprotect_rtcp_mki() looks
 *    for the MKI one SRTP tag (4 bytes) before the end instead of one
 *    SRTCP tag (10 bytes) and refuses every SRTCP packet with
 *    srtp_err_status_bad_mki; protecting SRTCP, and SRTP both ways, work.
 *
 * This function never calls srtp_init(): that is global state the
 * application owns. It needs no context and allocates nothing.
 *
 * Returns 0 or one of the following negative error codes; on failure
 * |pol| and |store| (when not NULL) are wiped:
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     |pol|, |store| or |m| is NULL, or |ssrc_type| is not one of
 *     ssrc_specific, ssrc_any_inbound and ssrc_any_outbound.
 * IMSMS_ERR_UNSUPPORTED_ALG
 *     |suite| is not an imsms_srtp_suite.
 * IMSMS_ERR_KEY_LENGTH
 *     |m|->key_len or |m|->salt_len is not the suite's (16, 24 or 32
 *     and 14; 12 for the GCM suites).
 * IMSMS_ERR_SRTP_UNSUPPORTED
 *     |kdr| is not 0, or the MKI is longer than libsrtp's
 *     SRTP_MAX_MKI_LEN (128 bytes).
 */
IMSMS_EXTERN int imsms_srtp2_policy(srtp_policy_t *pol, imsms_srtp2_keys *store,
                                    int suite, const imsms_cs_master *m,
                                    uint32_t kdr, srtp_ssrc_type_t ssrc_type,
                                    uint32_t ssrc, unsigned long window_size);

#ifdef __cplusplus
}
#endif

#endif /* IMSMEDIASEC_SRTP2_H */
