/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Session keys: from a MIKEY TGK or TEK to the master key and salt of a
 * crypto session (RFC 3830 4.1.3, RFC 6043 5.1.1 and 5.1.3), from there to
 * the SRTP and SRTCP session keys (RFC 3711 4.3, RFC 6188), the libsrtp2
 * policy, the TLS pre-shared key for MSRP, SDES a=crypto lines (RFC 4568)
 * and the GBA key of the UE-KMS exchanges (TS 33.220 B.2, B.3).
 *
 * Keys cross this API as bytes copied into caller-allocated structs or
 * buffers; every output struct here holds key bytes (never pointers) and
 * must be wiped with imsms_secure_clear() after use. On failure every
 * function wipes what it may have written.
 */
#ifndef IMSMEDIASEC_KEYS_H
#define IMSMEDIASEC_KEYS_H

#include <imsmediasec/imsmediasec.h>
#include <imsmediasec/mikey.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Master key and salt of a crypto session                             */

/** @macro Largest master key (AES-256) in bytes. */
#define IMSMS_MAX_MASTER_KEY_LEN 32
/** @macro SRTP master salt length (112 bits) in bytes. */
#define IMSMS_SRTP_SALT_LEN 14
/** @macro SRTP master salt length of the AEAD (GCM) suites, 96 bits. */
#define IMSMS_SRTP_GCM_SALT_LEN 12
/** @macro Largest MKI (RFC 4568: 1 to 128 bytes) this library keeps. */
#define IMSMS_MAX_MKI_LEN 128

/**
 * @struct
 *
 * The master key, master salt and MKI/SPI of one crypto session. Caller
 * allocated; wipe with imsms_secure_clear().
 */
typedef struct imsms_cs_master {
  uint8_t key[IMSMS_MAX_MASTER_KEY_LEN];
  size_t key_len;
  uint8_t salt[IMSMS_SRTP_SALT_LEN];
  size_t salt_len;
  uint8_t mki[IMSMS_MAX_MKI_LEN];
  size_t mki_len;
} imsms_cs_master;

/** @enum Which label family derives TEKs from a TGK. */
typedef enum imsms_tek_rfc {
  /** RFC 3830 4.1.3: const || CS ID || CSB ID || RAND. */
  IMSMS_TEK_RFC3830 = 3830,
  /**
   * RFC 6043 5.1.3: const || CS ID || 0xFFFFFFFF || 0x03 || len8(RANDRi) ||
   * RANDRi || len8(RANDRr) || RANDRr.
   */
  IMSMS_TEK_RFC6043 = 6043
} imsms_tek_rfc;

/**
 * @struct
 *
 * How the TEKs of one exchange are derived. For RFC 3830 set |csb_id|
 * and |rand|. For RFC 6043 set |randri| only when the H flag is set and
 * |randrr| only when the G flag is set (NULL otherwise; at least one).
 */
typedef struct imsms_tek_params {
  int rfc;      /**< imsms_tek_rfc */
  int prf_func; /**< imsms_mikey_prf_func of the HDR */
  uint32_t csb_id;
  const uint8_t *rand;
  size_t rand_len;
  const uint8_t *randri;
  size_t randri_len;
  const uint8_t *randrr;
  size_t randrr_len;
} imsms_tek_params;

/**
 * @function
 *
 * Derives |outlen| bytes from the TGK (or GTGK, or TGK') |tgk| for crypto
 * session |cs_id| with label constant |constant| (0x2AD01C64 TEK,
 * 0x39A2C14B salt, 0x1B5C7973 auth, 0x15798CEF encr) under |tp|.
 *
 * Returns 0, or IMSMS_ERR_INVALID_ARGUMENT (NULL, empty TGK or output,
 * RFC 6043 with neither RAND), IMSMS_ERR_MIKEY_PRF, IMSMS_ERR_TOO_LARGE,
 * IMSMS_ERR_NOMEM or IMSMS_ERR_CRYPTO; |out| is wiped on failure.
 */
IMSMS_EXTERN int imsms_tgk_derive(imsms_ctx *ctx, const imsms_tek_params *tp,
                                  const uint8_t *tgk, size_t tgklen,
                                  uint8_t cs_id, uint32_t constant,
                                  uint8_t *out, size_t outlen);

/**
 * @function
 *
 * The master key and salt of crypto session |cs_id| from one Key data
 * sub-payload |kd| (decrypted KEMAC content):
 *  - TGK, GTGK (with or without SALT): the TEK of |key_len| bytes is
 *    derived with imsms_tgk_derive(); the salt is the one carried in the
 *    sub-payload when present (it wins, RFC 3830 4.1.3), otherwise derived
 *    with the salt constant, |salt_len| bytes;
 *  - TEK (with or without SALT): the key is used as it is and must be
 *    |key_len| bytes; without a carried salt the salt is all zeros, as RFC
 *    3711 3.2.1 treats a "NULL" salt (and a warning worth logging);
 *  - the SPI/MKI of KV type SPI is copied into |out|->mki.
 * |key_len| (1-32) and |salt_len| (1-14) are the suite's: 14 for AES-CM
 * suites, 12 for GCM; a carried salt must have that length. |tp| is
 * required even for a TEK, which is not derived.
 *
 * Returns 0 or IMSMS_ERR_INVALID_ARGUMENT, IMSMS_ERR_KEY_LENGTH (TEK or
 * salt of the wrong length, MKI over IMSMS_MAX_MKI_LEN),
 * IMSMS_ERR_MIKEY_KEY_DATA (an MPK, or an unknown type), or an error of
 * imsms_tgk_derive(); |out| is wiped on failure.
 */
IMSMS_EXTERN int imsms_cs_master_derive(imsms_ctx *ctx,
                                        const imsms_tek_params *tp,
                                        const imsms_mikey_keydata *kd,
                                        uint8_t cs_id, size_t key_len,
                                        size_t salt_len,
                                        imsms_cs_master *out);

/** @enum Keys that key forking (RFC 6043 5.1.1) modifies. */
typedef enum imsms_fork_key {
  IMSMS_FORK_MPKR = 0x2B288856, /**< MPKr -> MPKr' */
  IMSMS_FORK_TGK = 0x1512B54A   /**< TGK -> TGK' */
} imsms_fork_key;

/**
 * @function
 *
 * Forks |key| (MPKr or a TGK) for the Responder that answered: label
 * const || 0xFF || 0xFFFFFFFF || 0x00 || len16(IDRr data) || IDRr data ||
 * len8(RANDRkms) || RANDRkms, with the PRF of the TP. The result, written
 * to |out|, has the length of |key|.
 *
 * Returns 0 or an error as imsms_tgk_derive(); IMSMS_ERR_TOO_LARGE when
 * the IDRr data and RANDRkms together exceed 509 bytes.
 */
IMSMS_EXTERN int imsms_key_fork(imsms_ctx *ctx, int prf_func, int which,
                                const uint8_t *key, size_t keylen,
                                const uint8_t *idr, size_t idrlen,
                                const uint8_t *randrkms, size_t randrkmslen,
                                uint8_t *out);

/* ------------------------------------------------------------------ */
/* SRTP suites                                                         */

/** @enum SRTP protection profiles (RFC 4568, RFC 6188, RFC 7714). */
typedef enum imsms_srtp_suite {
  IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80 = 1,
  IMSMS_SRTP_AES_CM_128_HMAC_SHA1_32 = 2,
  IMSMS_SRTP_AES_192_CM_HMAC_SHA1_80 = 3,
  IMSMS_SRTP_AES_192_CM_HMAC_SHA1_32 = 4,
  IMSMS_SRTP_AES_256_CM_HMAC_SHA1_80 = 5,
  IMSMS_SRTP_AES_256_CM_HMAC_SHA1_32 = 6,
  IMSMS_SRTP_AEAD_AES_128_GCM = 7,
  IMSMS_SRTP_AEAD_AES_256_GCM = 8,
  /** No encryption, HMAC-SHA-1 80-bit tag (AES-CM-128 KDF). */
  IMSMS_SRTP_NULL_HMAC_SHA1_80 = 9,
  /** No encryption, HMAC-SHA-1 32-bit tag on SRTP, 80 on SRTCP. */
  IMSMS_SRTP_NULL_HMAC_SHA1_32 = 10,
  /** No encryption and no authentication (testing only). */
  IMSMS_SRTP_NULL_NULL = 11
} imsms_srtp_suite;

/**
 * @struct
 *
 * What a suite needs. Lengths in bytes.
 */
typedef struct imsms_srtp_suite_info {
  int suite;                /**< imsms_srtp_suite */
  const char *name;         /**< RFC 4568 / 6188 / 7714 name */
  uint8_t mikey_encr_alg;   /**< MIKEY SP encr alg: 0 NULL, 1 AES-CM, 6 AES-GCM */
  uint8_t mikey_auth_alg;   /**< MIKEY SP auth alg: 0 NULL, 1 HMAC-SHA-1 */
  size_t master_key_len;    /**< 16, 24 or 32 */
  size_t master_salt_len;   /**< 14, or 12 for GCM */
  size_t session_key_len;   /**< cipher key: as the master key; 0 for NULL */
  size_t auth_key_len;      /**< 20 for HMAC-SHA-1, else 0 */
  size_t srtp_tag_len;      /**< 10, 4, 16 (GCM) or 0 */
  size_t srtcp_tag_len;     /**< 10, 16 (GCM) or 0 */
} imsms_srtp_suite_info;

/**
 * @function
 *
 * Returns the description of |suite|, or NULL for an unknown value.
 */
IMSMS_EXTERN const imsms_srtp_suite_info *imsms_srtp_suite_get(int suite);

/**
 * @function
 *
 * Returns the suite named |name| (|namelen| bytes, exact and
 * case-sensitive, as RFC 4568 writes them: "AES_CM_128_HMAC_SHA1_80"), or
 * IMSMS_ERR_UNSUPPORTED_ALG.
 */
IMSMS_EXTERN int imsms_srtp_suite_by_name(const char *name, size_t namelen);

/**
 * @function
 *
 * The suite a resolved MIKEY SRTP policy describes. The policy must ask
 * for what the suite does: encryption algorithm and key length, HMAC-SHA-1
 * with a 20-byte key, salt length, AES-CM PRF, tag lengths (RFC 4771
 * per-direction values included), SRTP and SRTCP encryption and
 * authentication on, no prefix; AES-GCM with a 16-byte AEAD tag (its
 * HMAC parameters are not read). A kdr other than 0 is allowed here (the
 * libsrtp2 bridge refuses it, imsms_srtp_kdf() does not); the policy's kdr
 * byte is not converted: a caller that wants it reads n as 2^n.
 *
 * Returns the suite, or IMSMS_ERR_MIKEY_SP_PARAM when no suite matches or
 * |pol| is NULL (|*reason|, when not NULL, then points to a static
 * sentence naming the first parameter that disagrees, or "no policy").
 */
IMSMS_EXTERN int imsms_srtp_suite_from_policy(const imsms_mikey_srtp_policy *pol,
                                              const char **reason);

/**
 * @function
 *
 * The SP parameters that describe |suite| in MIKEY: types 0, 1, 2, 4, 5,
 * 7, 8, 10; with HMAC also 3 and 11, plus 19 (SRTCP tag 10) for the _32
 * suites; with GCM 20 (AEAD tag). At most 11 parameters go into |params|
 * (room for |cap|) with values in |valbuf| (room for 11 bytes). Returns
 * the number of parameters, IMSMS_ERR_UNSUPPORTED_ALG or IMSMS_ERR_NOBUF.
 */
IMSMS_EXTERN imsms_ssize imsms_srtp_suite_to_params(int suite,
                                                    imsms_mikey_sp_param *params,
                                                    size_t cap,
                                                    uint8_t *valbuf);

/* ------------------------------------------------------------------ */
/* SRTP and SRTCP key derivation (RFC 3711 4.3)                        */

/**
 * @struct
 *
 * The six session keys of one SRTP stream: what a gateway that protects
 * media in hardware needs. Caller allocated; wipe after use.
 */
typedef struct imsms_srtp_session_keys {
  uint8_t srtp_cipher_key[IMSMS_MAX_MASTER_KEY_LEN];
  uint8_t srtp_auth_key[20];
  uint8_t srtp_salt[IMSMS_SRTP_SALT_LEN];
  uint8_t srtcp_cipher_key[IMSMS_MAX_MASTER_KEY_LEN];
  uint8_t srtcp_auth_key[20];
  uint8_t srtcp_salt[IMSMS_SRTP_SALT_LEN];
  size_t cipher_key_len; /**< 16, 24 or 32 (0 for NULL cipher suites) */
  size_t auth_key_len;   /**< 20 (0 for GCM and NULL auth) */
  size_t salt_len;       /**< 14, or 12 for GCM */
} imsms_srtp_session_keys;

/** @enum Where the SRTCP labels go in the key_id (see imsms_srtp_kdf()). */
typedef enum imsms_srtcp_label_pos {
  /** Byte 7 of the 14-byte salt, as libsrtp and deployed peers do. */
  IMSMS_SRTCP_LABEL_LIBSRTP = 7,
  /** Byte 9: RFC 3711 read literally (32-bit SRTCP index), NIST, OpenSSL. */
  IMSMS_SRTCP_LABEL_RFC3711 = 9
} imsms_srtcp_label_pos;

/**
 * @struct
 *
 * Inputs of the SRTP KDF besides the master key and salt. Zero-initialise:
 * kdr 0 (one derivation), indexes 0, SRTCP labels at byte 7.
 */
typedef struct imsms_srtp_kdf_params {
  /** Key derivation rate: 0, or 2^n for n in 0..24 (the rate, not n). */
  uint32_t kdr;
  /** 48-bit SRTP packet index (ROC << 16 | SEQ) the keys are for. */
  uint64_t srtp_index;
  /** 31-bit SRTCP index the keys are for. */
  uint32_t srtcp_index;
  /** 0 (default: libsrtp, byte 7) or an imsms_srtcp_label_pos. */
  int srtcp_label_byte;
} imsms_srtp_kdf_params;

/**
 * @function
 *
 * Derives the six session keys of |suite| from |master| (key and salt of
 * the suite's lengths) with the AES-CM PRF of RFC 3711 4.3.3 (AES-128,
 * AES-192 or AES-256 after the master key, RFC 6188), labels 0-5:
 * x = (label || r) XOR salt, r = index DIV kdr (0 when kdr is 0), the
 * PRF input x || 0x0000. For the GCM suites (RFC 7714 11) the 12-byte
 * salt is followed by two zero bytes to fill the 112-bit x, as libsrtp
 * does (RFC 3711's right alignment would put them in front; deployed
 * practice decides, and the libsrtp2 tests check it). |kp| may be NULL
 * (all defaults).
 *
 * Returns 0 or IMSMS_ERR_INVALID_ARGUMENT (NULL pointers, kdr not 0 or a
 * power of two up to 2^24, an index over 48 or 31 bits, a label byte other
 * than 7 or 9), IMSMS_ERR_UNSUPPORTED_ALG, IMSMS_ERR_KEY_LENGTH (key or
 * salt length not the suite's), IMSMS_ERR_NOMEM or IMSMS_ERR_CRYPTO; |out|
 * is wiped on failure.
 */
IMSMS_EXTERN int imsms_srtp_kdf(imsms_ctx *ctx, int suite,
                                const imsms_cs_master *master,
                                const imsms_srtp_kdf_params *kp,
                                imsms_srtp_session_keys *out);


/* ------------------------------------------------------------------ */
/* MSRP over TLS-PSK (TS 33.328 annex H; profile choices documented)  */

/**
 * @macro
 *
 * MIKEY security protocol type of a TLS crypto session (the GENERIC-ID
 * map block and SP Prot type). TS 33.328 annex H sets one TLS crypto
 * session in TRANSFER_INIT but the value could not be confirmed and IANA
 * registers none (0 is SRTP, 1 is TESLA), so this library uses 254, from
 * the private-use range of RFC 3830 section 10. A profile choice: change
 * it here if the 3GPP value differs.
 */
#define IMSMS_MIKEY_PROT_TLS 254

/** @macro Length of the TLS pre-shared key derived for MSRP. */
#define IMSMS_MSRP_PSK_LEN 32

/** @macro Largest PSK identity this library builds (with its NUL). */
#define IMSMS_MSRP_IDENTITY_MAX 160

/**
 * @struct
 *
 * The TLS pre-shared key and identity of one MSRP crypto session.
 * Caller allocated; wipe after use.
 */
typedef struct imsms_msrp_psk {
  uint8_t psk[IMSMS_MSRP_PSK_LEN];
  /** NUL-terminated identity, see imsms_msrp_psk_derive(). */
  char identity[IMSMS_MSRP_IDENTITY_MAX];
  size_t identity_len;
} imsms_msrp_psk;

/**
 * @function
 *
 * The TLS PSK of the MSRP crypto session |cs_id|: 32 bytes derived from
 * the TGK (or TGK') with the TEK label of that crypto session under |tp|
 * (TS 23.333: "the TLS pre-shared key is the TEK associated with that
 * crypto session"), and the PSK identity
 * "imsms-msrp:<CSB ID, 8 hex digits>:<CS ID, 2 hex digits>:<SPI in hex>"
 * (lowercase; the SPI part is empty when |spi| is NULL). Both are profile
 * choices of this library, documented in keys.h and imsms_msrp_psk_derive(3),
 * because TS 33.328 annex H could not be consulted.
 *
 * Returns 0, IMSMS_ERR_INVALID_ARGUMENT (NULL, an SPI over 64 bytes), or
 * an error of imsms_tgk_derive(); |out| is wiped on failure.
 */
IMSMS_EXTERN int imsms_msrp_psk_derive(imsms_ctx *ctx,
                                       const imsms_tek_params *tp,
                                       const uint8_t *tgk, size_t tgklen,
                                       uint32_t csb_id, uint8_t cs_id,
                                       const uint8_t *spi, size_t spilen,
                                       imsms_msrp_psk *out);

/* ------------------------------------------------------------------ */
/* SDES a=crypto (RFC 4568)                                            */

/** @macro Most keys one a=crypto line may carry. */
#define IMSMS_SDES_MAX_KEYS 8

/**
 * @struct
 *
 * One key-param of an a=crypto line: inline key and salt (decoded),
 * lifetime and MKI.
 */
typedef struct imsms_sdes_key {
  uint8_t key[IMSMS_MAX_MASTER_KEY_LEN];
  size_t key_len;
  uint8_t salt[IMSMS_SRTP_SALT_LEN];
  size_t salt_len;
  /** Lifetime in packets as log2 (|lifetime_is_pow2|) or a plain number; 0 absent. */
  uint64_t lifetime;
  int lifetime_is_pow2;
  /** MKI value and its length in bytes (1-128); |mki_len| 0 when absent. */
  uint64_t mki;
  size_t mki_len;
} imsms_sdes_key;

/** @macro Session parameter flags of imsms_sdes_crypto.flags. */
#define IMSMS_SDES_UNENCRYPTED_SRTP 0x01u
#define IMSMS_SDES_UNENCRYPTED_SRTCP 0x02u
#define IMSMS_SDES_UNAUTHENTICATED_SRTP 0x04u

/**
 * @struct
 *
 * One parsed (or to be generated) a=crypto attribute. Holds keys: wipe.
 */
typedef struct imsms_sdes_crypto {
  uint32_t tag;          /**< 1 to 999999999 */
  int suite;             /**< imsms_srtp_suite */
  imsms_sdes_key keys[IMSMS_SDES_MAX_KEYS];
  size_t nkeys;
  /** KDR=n: |kdr_log2| is n (kdr 2^n) when |has_kdr|. */
  int has_kdr;
  uint8_t kdr_log2;
  uint32_t flags;        /**< IMSMS_SDES_UNENCRYPTED_SRTP ... */
  /** FEC_ORDER: 0 absent, 1 FEC_SRTP, 2 SRTP_FEC. */
  int fec_order;
  /** WSH=n, 0 when absent (n >= 64 when present). */
  uint32_t wsh;
  /** FEC_KEY key-params kept as raw text (a view into the parsed line). */
  const char *fec_key;
  size_t fec_key_len;
} imsms_sdes_crypto;

/**
 * @function
 *
 * Parses the value of one a=crypto attribute (the text after
 * "a=crypto:", without line ending) into |out|. Strict: the tag has 1-9
 * digits and no leading zero; the suite is known; each inline key is
 * checked for the exact base64 length of the suite's key and salt before
 * it is decoded; lifetimes are decimal or 2^N (N at most 48 for SRTP);
 * the MKI is "value:length" with a length of 1-128 bytes, the same on
 * every key, and every key has one when there are several; session
 * parameters are separated from the key-params by a space (not glued to
 * the lifetime) and each appears at most once. Unknown session
 * parameters starting with '-' are ignored (RFC 4568 6.3.7), others are
 * refused.
 *
 * Returns 0 or a negative code, |out| wiped on failure:
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     NULL pointer.
 * IMSMS_ERR_SDES_SYNTAX
 *     The line does not follow the RFC 4568 grammar.
 * IMSMS_ERR_SDES_TAG
 *     Bad tag.
 * IMSMS_ERR_UNSUPPORTED_ALG
 *     Unknown crypto suite.
 * IMSMS_ERR_SDES_KEY_LENGTH
 *     An inline key of the wrong length for the suite.
 * IMSMS_ERR_BASE64
 *     Inline key not strict base64.
 * IMSMS_ERR_SDES_LIFETIME
 *     Bad lifetime (or glued session parameters).
 * IMSMS_ERR_SDES_MKI
 *     Bad, inconsistent or missing MKI.
 * IMSMS_ERR_SDES_PARAM
 *     Unknown, repeated or out-of-range session parameter (KDR over 24, WSH
 *     under 64).
 * IMSMS_ERR_TOO_LARGE
 *     More than IMSMS_SDES_MAX_KEYS keys, or a line over 4096 bytes.
 */
IMSMS_EXTERN int imsms_sdes_parse(imsms_sdes_crypto *out, const char *line,
                                  size_t linelen) IMSMS_WUR;

/**
 * @function
 *
 * Writes |c| as the value of an a=crypto attribute (no "a=crypto:", no
 * line ending, no NUL) into |out|. Returns the length, IMSMS_ERR_NOBUF,
 * or the error imsms_sdes_parse() would give for the same content.
 */
IMSMS_EXTERN imsms_ssize imsms_sdes_format(char *out, size_t outcap,
                                           const imsms_sdes_crypto *c);

/**
 * @function
 *
 * Fills |c| with tag |tag|, suite |suite| and one fresh key and salt from
 * the context's random generator (no lifetime, no MKI, no session
 * parameters). Returns 0, IMSMS_ERR_INVALID_ARGUMENT,
 * IMSMS_ERR_UNSUPPORTED_ALG or IMSMS_ERR_RNG.
 */
IMSMS_EXTERN int imsms_sdes_generate(imsms_ctx *ctx, imsms_sdes_crypto *c,
                                     uint32_t tag, int suite);

/**
 * @function
 *
 * The master key, salt and MKI of key |index| of |c|, for
 * imsms_srtp_kdf() or the libsrtp2 bridge. Returns 0 or
 * IMSMS_ERR_INVALID_ARGUMENT.
 */
IMSMS_EXTERN int imsms_sdes_master(const imsms_sdes_crypto *c, size_t index,
                                   imsms_cs_master *out);

/* ------------------------------------------------------------------ */
/* GBA (TS 33.220 annex B)                                             */

/** @macro Ua security protocol identifier of IMS UE-KMS (TS 33.220 H.3). */
#define IMSMS_GBA_UA_KMS "\x01\x00\x00\x00\x06"

/** @macro Length of a GBA-derived key. */
#define IMSMS_GBA_KEY_LEN 32

/**
 * @function
 *
 * The generic key derivation function of TS 33.220 B.2.0:
 * HMAC-SHA-256(|key|, FC || P0 || L0 || ... || Pn-1 || Ln-1), each Li the
 * 16-bit big-endian length of Pi, into |out| (32 bytes). |fc| values
 * 0x00-0xFE are one octet; the two-octet form of B.2.2, 0xFF || FC2, is
 * written as |fc| = 0xFF00 | FC2 (0xFF00-0xFFFF), so every FC has exactly
 * one value.
 *
 * Returns 0, IMSMS_ERR_INVALID_ARGUMENT (NULL, more than 16 parameters, a
 * parameter over 65535 bytes, |fc| in 0xFF-0xFEFF or over 0xFFFF), or a
 * provider error.
 */
IMSMS_EXTERN int imsms_gba_kdf(imsms_ctx *ctx, const uint8_t *key,
                               size_t keylen, unsigned fc,
                               const uint8_t *const *params,
                               const size_t *paramlens, size_t nparams,
                               uint8_t *out);

/**
 * @function
 *
 * Ks_NAF (TS 33.220 B.3) for a KMS: FC 0x01, P0 "gba-me" (|gba_u| 0) or
 * "gba-u" (|gba_u| 1, Ks_int_NAF), P1 RAND, P2 IMPI, P3 NAF_Id = |naf_fqdn|
 * || the Ua id 01 00 00 00 06 of IMS UE-KMS. |ks| is CK || IK (32 bytes).
 * The result is the UE-KMS pre-shared key of the ticket exchanges, named
 * by the B-TID in IDRpsk.
 *
 * Returns 0 or an error as imsms_gba_kdf().
 */
IMSMS_EXTERN int imsms_gba_ks_naf(imsms_ctx *ctx, const uint8_t *ks,
                                  size_t kslen, const uint8_t *rand,
                                  size_t randlen, const char *impi,
                                  const char *naf_fqdn, int gba_u,
                                  uint8_t *out);

#ifdef __cplusplus
}
#endif

#endif /* IMSMEDIASEC_KEYS_H */
