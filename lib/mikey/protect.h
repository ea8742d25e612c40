/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Message protection: the keys that protect a MIKEY message (RFC 3830
 * 4.1.4, RFC 6043 5.1.2), KEMAC encryption (RFC 3830 4.2.3) and the MAC
 * of KEMAC and V (RFC 3830 4.2.4, 5.2) over non-contiguous input.
 */
#ifndef IMSMS_MIKEY_PROTECT_H
#define IMSMS_MIKEY_PROTECT_H

#include <imsmediasec/mikey.h>

#include "mikey/prf.h"

/* Message keys: encryption key, salt and MAC key. Wipe after use. */
typedef struct imsms_mikey_msgkeys {
  uint8_t encr[32];
  size_t encr_len;
  uint8_t salt[14];
  size_t salt_len;
  uint8_t auth[32];
  size_t auth_len;
} imsms_mikey_msgkeys;

/* One piece of MAC input. */
typedef struct imsms_iov {
  const uint8_t *base;
  size_t len;
} imsms_iov;

/*
 * Key lengths the algorithms need: AES-CM-128 16+14, AES-KW-128 16+8,
 * AES-CM-256 32+14, NULL 0+0; HMAC-SHA-1-160 20, HMAC-SHA-256-256 32.
 * Returns 0, IMSMS_ERR_MIKEY_ENCR_ALG or IMSMS_ERR_MIKEY_MAC_ALG.
 */
int imsms_mikey_alg_lens(uint8_t encr_alg, uint8_t mac_alg,
                         imsms_mikey_msgkeys *k);

/*
 * The algorithm set of a PRF, never mixed (RFC 6043 12.1): MIKEY-1 with
 * AES-CM-128 and HMAC-SHA-1-160, PRF-HMAC-SHA-256 with AES-CM-256 and
 * HMAC-SHA-256-256. Returns 0 or IMSMS_ERR_MIKEY_PRF.
 */
int imsms_mikey_algs_for_prf(uint8_t prf_func, uint8_t *encr_alg,
                             uint8_t *mac_alg);

/*
 * RFC 3830 4.1.4: encr, salt and auth keys from the PSK or envelope key
 * that |prf| is keyed with, label constant || 0xFF || CSB ID || RAND.
 * On failure |k| is wiped.
 */
int imsms_mikey_msgkeys_3830(imsms_prf *prf, uint8_t encr_alg,
                             uint8_t mac_alg, uint32_t csb_id,
                             const uint8_t *rand, size_t randlen,
                             imsms_mikey_msgkeys *k);

/*
 * The encr, salt and auth keys of |k| (lengths set, imsms_mikey_alg_lens)
 * under |label| (|labellen| bytes, built with IMSMS_LABEL_ENV_ENCR), whose
 * leading constant is rewritten for each: the three labels of a key set
 * differ in nothing else (RFC 3830 4.1.4, RFC 6043 5.1.2 and App. A.2.1),
 * so one is built, not three. Keys of length 0 are skipped. On failure |k|
 * is wiped.
 */
int imsms_mikey_keys_from_label(imsms_prf *prf, uint8_t *label,
                                size_t labellen, imsms_mikey_msgkeys *k);

/*
 * RFC 6043 5.1.2: the same keys for MIKEY-TICKET messages, label
 * constant || 0xFF || CSB ID || 0x01 (initial) or 0x02 (|response|) ||
 * len8(RANDRi) || RANDRi || len8(RANDRr) || RANDRr, an absent RAND (NULL)
 * being its zero length byte alone. |prf| is keyed with the PSK, the
 * envelope key, MPKi or MPKr'. On failure |k| is wiped.
 */
int imsms_mikey_msgkeys_6043(imsms_prf *prf, uint8_t encr_alg,
                             uint8_t mac_alg, uint32_t csb_id, int response,
                             const uint8_t *randri, size_t randrilen,
                             const uint8_t *randrr, size_t randrrlen,
                             imsms_mikey_msgkeys *k);

/* Wipes |k|. */
void imsms_mikey_msgkeys_clear(imsms_mikey_msgkeys *k);

/*
 * Encrypts (|encrypt| 1) or decrypts KEMAC data. AES-CM: counter mode
 * from IV = (salt XOR (0x0000 || CSB ID || T)) || 0x0000. AES-KW: RFC 3394
 * with the 8-byte salt as IV, |inlen| a multiple of 8 (no padding: RFC
 * 3830 defines none). NULL: a copy. Writes *|outlen| bytes to |out|
 * (room for |outcap|); on failure |out| is wiped.
 * Returns 0, IMSMS_ERR_NOBUF, IMSMS_ERR_MIKEY_ENCR_ALG,
 * IMSMS_ERR_MIKEY_LENGTH (AES-KW input not a multiple of 8, or over the
 * 2^23-bit AES-CM limit), IMSMS_ERR_MIKEY_AUTH (AES-KW integrity), or a
 * provider error.
 */
int imsms_mikey_kemac_crypt(imsms_ctx *ctx, int encrypt, uint8_t encr_alg,
                            const imsms_mikey_msgkeys *k, uint32_t csb_id,
                            uint64_t t64, const uint8_t *in, size_t inlen,
                            uint8_t *out, size_t outcap, size_t *outlen);

/*
 * MAC with |mac_alg| under |key| over the concatenation of |n| pieces,
 * written to |out| (imsms_mikey_mac_len() bytes; nothing for NULL; wiped
 * on failure). The pieces must not be secret: short ones are gathered in
 * a stack buffer that is not wiped. Every MAC in MIKEY covers bytes that
 * go on the wire (messages, Ticket Data with its keys encrypted,
 * identities, Initiator Data), so every caller's are public.
 */
int imsms_mikey_mac(imsms_ctx *ctx, uint8_t mac_alg, const uint8_t *key,
                    size_t keylen, const imsms_iov *iov, size_t n,
                    uint8_t *out);

/*
 * Recomputes the MAC and compares it with |mac| in constant time.
 * Returns 0, IMSMS_ERR_MIKEY_AUTH, or a provider error. With the NULL MAC
 * algorithm there is nothing to check and it returns 0: callers decide
 * first whether a NULL MAC is acceptable at all.
 */
int imsms_mikey_mac_verify(imsms_ctx *ctx, uint8_t mac_alg,
                           const uint8_t *key, size_t keylen,
                           const imsms_iov *iov, size_t n,
                           const uint8_t *mac) IMSMS_WUR;

#endif /* IMSMS_MIKEY_PROTECT_H */
