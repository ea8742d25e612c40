/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The umbrella header: export macro, basic types, the error model, the
 * context object (allocator, crypto provider, log callback), version
 * information, and the small context-free helpers every layer uses
 * (base64, constant-time comparison, wiping, time conversion).
 *
 * Conventions of the whole API:
 *  - Functions return 0 or a byte count on success and a negative
 *    IMSMS_ERR_* code on failure; nothing aborts, prints or exits.
 *  - The library does no I/O and never reads a clock: "now" is passed in
 *    as an imsms_tstamp.
 *  - One imsms_ctx, and every object made from it, is used by one thread
 *    at a time; const tables (crypto providers) may be shared freely.
 */
#ifndef IMSMEDIASEC_H
#define IMSMEDIASEC_H

#include <stddef.h>
#include <stdint.h>

#include <imsmediasec/version.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @macro
 *
 * Marks a symbol exported from the shared object. The library is built
 * with -fvisibility=hidden, so nothing else is visible. Define
 * IMSMS_STATICLIB when linking the static library.
 */
#if defined(IMSMS_STATICLIB)
#  define IMSMS_EXTERN
#elif defined(_WIN32)
#  ifdef BUILDING_IMSMEDIASEC
#    define IMSMS_EXTERN __declspec(dllexport)
#  else
#    define IMSMS_EXTERN __declspec(dllimport)
#  endif
#elif defined(BUILDING_IMSMEDIASEC) && (defined(__GNUC__) || defined(__clang__))
#  define IMSMS_EXTERN __attribute__((visibility("default")))
#else
#  define IMSMS_EXTERN
#endif

/**
 * @macro
 *
 * Marks a function whose result must be used: every verification
 * (MAC, ticket, key unwrap) carries it, so that a failed check cannot be
 * ignored by accident.
 */
#if defined(__GNUC__) || defined(__clang__)
#  define IMSMS_WUR __attribute__((warn_unused_result))
#else
#  define IMSMS_WUR
#endif

/**
 * @typedef
 *
 * Signed size: a byte count on success or a negative IMSMS_ERR_* code.
 */
typedef ptrdiff_t imsms_ssize;

/**
 * @typedef
 *
 * A point in time in NTP 32.32 fixed point (seconds since 1900-01-01 in
 * the high 32 bits, the fraction in the low 32 bits), the MIKEY timestamp
 * format (RFC 3830 section 6.6, NTP-UTC). The library never reads a
 * clock; the application passes "now" in. See imsms_tstamp_from_unix().
 */
typedef uint64_t imsms_tstamp;

/**
 * @enum
 *
 * Error codes. All are negative ints in documented ranges:
 *
 *  - [-599, -500] arguments, buffers and encodings (core);
 *  - [-699, -600] the crypto provider;
 *  - [-799, -700] MIKEY messages (codec, PRF, protection);
 *  - [-899, -800] tickets, the KMS engine, calls and SDP;
 *  - [-999, -900] fatal errors (imsms_err_is_fatal() returns nonzero):
 *    after one, a stateful object (a call, a KMS engine, an exchange)
 *    whose operation it interrupted only accepts its _del function. The
 *    context itself keeps no per-operation state, so it stays usable
 *    after imsms_random() or imsms_hmac() fail.
 *
 * [-499, -100] is reserved for codes internal to the library; they never
 * reach the application. imsms_strerror() gives the text of each code.
 */
typedef enum imsms_error {
  /** An argument is NULL where it must not be, or out of range. */
  IMSMS_ERR_INVALID_ARGUMENT = -501,
  /** The output buffer is too small; nothing useful was written. */
  IMSMS_ERR_NOBUF = -502,
  /** Iteration finished: no more items. Not a failure. */
  IMSMS_ERR_EOF = -503,
  /** The input ended before the element it announced. */
  IMSMS_ERR_TRUNCATED = -504,
  /** Invalid base64: bad character, bad padding or bad length. */
  IMSMS_ERR_BASE64 = -505,
  /** A requested or declared API or struct version is not supported. */
  IMSMS_ERR_VERSION = -506,
  /** An algorithm identifier is unknown or not supported. */
  IMSMS_ERR_UNSUPPORTED_ALG = -507,
  /** A key, IV or digest has a length the algorithm does not allow. */
  IMSMS_ERR_KEY_LENGTH = -508,
  /** The input is larger than the library accepts for this element. */
  IMSMS_ERR_TOO_LARGE = -509,

  /** The crypto provider declares a vtable version this library does not know. */
  IMSMS_ERR_PROVIDER_VERSION = -601,
  /** The crypto provider lacks a required member (name or a function). */
  IMSMS_ERR_PROVIDER_INCOMPLETE = -602,
  /** A crypto provider operation failed. */
  IMSMS_ERR_CRYPTO = -603,
  /** AES key unwrap (RFC 3394) found the integrity check value wrong. */
  IMSMS_ERR_KEYWRAP_INTEGRITY = -604,

  /** MIKEY HDR version is not 1. */
  IMSMS_ERR_MIKEY_VERSION = -701,
  /** Unknown or unsupported MIKEY data type (message type). */
  IMSMS_ERR_MIKEY_DATA_TYPE = -702,
  /** Unknown next-payload type, or a payload where it may not be. */
  IMSMS_ERR_MIKEY_PAYLOAD_TYPE = -703,
  /** Unknown CS ID map type, or map contents that disagree with #CS. */
  IMSMS_ERR_MIKEY_MAP = -704,
  /** Unknown or unsupported PRF function. */
  IMSMS_ERR_MIKEY_PRF = -705,
  /** Unknown or unsupported KEMAC encryption algorithm. */
  IMSMS_ERR_MIKEY_ENCR_ALG = -706,
  /** Unknown or unsupported MAC algorithm (KEMAC or V). */
  IMSMS_ERR_MIKEY_MAC_ALG = -707,
  /** Unknown timestamp type. */
  IMSMS_ERR_MIKEY_TS_TYPE = -708,
  /** Unknown hash function (CHASH). */
  IMSMS_ERR_MIKEY_HASH = -709,
  /** Unknown Diffie-Hellman group. */
  IMSMS_ERR_MIKEY_DH_GROUP = -710,
  /** Unknown ID type or ID/RAND role. */
  IMSMS_ERR_MIKEY_ID = -711,
  /** Unknown certificate type. */
  IMSMS_ERR_MIKEY_CERT = -712,
  /** Unknown security protocol type in SP. */
  IMSMS_ERR_MIKEY_SP = -713,
  /** Invalid or contradictory security policy parameter. */
  IMSMS_ERR_MIKEY_SP_PARAM = -714,
  /** A length field disagrees with the payload or the message. */
  IMSMS_ERR_MIKEY_LENGTH = -715,
  /** Bytes follow the last payload (this library rejects them). */
  IMSMS_ERR_MIKEY_TRAILING = -716,
  /** SIGN is not the last payload. */
  IMSMS_ERR_MIKEY_SIGN_NOT_LAST = -717,
  /** Unknown Key data type or KV type. */
  IMSMS_ERR_MIKEY_KEY_DATA = -718,
  /** Unsupported ticket type. */
  IMSMS_ERR_MIKEY_TICKET_TYPE = -719,
  /** Invalid ticket policy (TP) parameters or flags. */
  IMSMS_ERR_MIKEY_TP = -720,
  /** The MAC or verification value is wrong. */
  IMSMS_ERR_MIKEY_AUTH = -721,
  /** The timestamp lies outside the allowed clock skew. */
  IMSMS_ERR_MIKEY_STALE = -722,
  /** The message was seen before (replay cache hit). */
  IMSMS_ERR_MIKEY_REPLAY = -723,
  /** A payload the message type requires is missing, or one is repeated. */
  IMSMS_ERR_MIKEY_MISSING = -724,
  /** The message is of a type this operation does not accept. */
  IMSMS_ERR_MIKEY_UNEXPECTED = -725,
  /** The message has more payloads than the caller's array holds. */
  IMSMS_ERR_MIKEY_TOO_MANY = -726,
  /** The CSB ID does not match the exchange. */
  IMSMS_ERR_MIKEY_CSB_ID = -727,
  /** The message carries an Error payload from the peer. */
  IMSMS_ERR_MIKEY_PEER_ERROR = -728,

  /** An a=crypto line does not follow the RFC 4568 grammar. */
  IMSMS_ERR_SDES_SYNTAX = -801,
  /** An a=crypto tag is not 1-9 digits without a leading zero. */
  IMSMS_ERR_SDES_TAG = -802,
  /** An inline key has the wrong length for its crypto suite. */
  IMSMS_ERR_SDES_KEY_LENGTH = -803,
  /** A lifetime is malformed, out of range or has text glued to it. */
  IMSMS_ERR_SDES_LIFETIME = -804,
  /** An MKI is malformed, inconsistent between keys, or missing. */
  IMSMS_ERR_SDES_MKI = -805,
  /** A session parameter is unknown, repeated or out of range. */
  IMSMS_ERR_SDES_PARAM = -806,
  /** The keys cannot be given to libsrtp2 (kdr other than 0, long MKI). */
  IMSMS_ERR_SRTP_UNSUPPORTED = -807,
  /** The ticket's validity has ended. */
  IMSMS_ERR_TICKET_EXPIRED = -810,
  /** The ticket's validity has not started. */
  IMSMS_ERR_TICKET_NOT_YET_VALID = -811,
  /** The ticket protection key is unknown or retired. */
  IMSMS_ERR_TICKET_KEY_UNKNOWN = -812,
  /** The KMS policy denied the request or resolve (not fatal). */
  IMSMS_ERR_KMS_DENIED = -813,
  /** An SDP line, m-line or owned attribute breaks its grammar. */
  IMSMS_ERR_SDP_SYNTAX = -830,
  /** An SDP attribute or number that may appear once appears twice. */
  IMSMS_ERR_SDP_DUPLICATE = -831,
  /**
   * SDP attributes contradict each other, sit at a level they may not,
   * name a capability that does not exist, or lack one another requires.
   */
  IMSMS_ERR_SDP_CONFLICT = -832,
  /** A transport profile is unknown or unsuitable for the operation. */
  IMSMS_ERR_SDP_PROFILE = -833,
  /** A Security-Client/-Server/-Verify value breaks RFC 3329. */
  IMSMS_ERR_SIP_SYNTAX = -834,
  /** No media security mode the policy accepts can be offered. */
  IMSMS_ERR_SDP_NO_MODE = -835,
  /**
   * The key-management protocol list authenticated in TRANSFER_INIT (SDP
   * IDs, RFC 4567 4.1.4) is missing or differs from the SDP received.
   */
  IMSMS_ERR_SDP_DOWNGRADE = -836,

  /**
   * Threshold: codes at or below it (down to -999) are fatal. It is never
   * returned itself.
   */
  IMSMS_ERR_FATAL = -900,
  /** Memory allocation failed. */
  IMSMS_ERR_NOMEM = -901,
  /** The crypto provider failed its known-answer self-test and is refused. */
  IMSMS_ERR_SELFTEST = -902,
  /** The random number generator failed. */
  IMSMS_ERR_RNG = -903,
  /** An application callback reported failure. */
  IMSMS_ERR_CALLBACK_FAILURE = -904
} imsms_error;

/**
 * @function
 *
 * Returns a static, human-readable string for |error_code|: a negative
 * IMSMS_ERR_* value, or 0 ("Success"). Unknown codes give
 * "Unknown error code". The string never contains secret data.
 */
IMSMS_EXTERN const char *imsms_strerror(int error_code);

/**
 * @function
 *
 * Returns nonzero when |error_code| is fatal (in [-999, -900]): the object
 * that returned it must be deleted. Returns 0 otherwise, including for 0
 * and positive values.
 */
IMSMS_EXTERN int imsms_err_is_fatal(int error_code);

/**
 * @enum
 *
 * Error numbers carried in the MIKEY Error payload (ERR, RFC 3830 section
 * 6.12; 13 from RFC 4738; 14 and 15 from RFC 6043 section 6.9). These are a separate
 * namespace from IMSMS_ERR_*: they are what goes on the wire to a peer.
 */
typedef enum imsms_mikey_error {
  IMSMS_MIKEY_ERR_AUTH_FAILURE = 0,   /**< Authentication failure */
  IMSMS_MIKEY_ERR_INVALID_TS = 1,     /**< Invalid timestamp */
  IMSMS_MIKEY_ERR_INVALID_PRF = 2,    /**< PRF function not supported */
  IMSMS_MIKEY_ERR_INVALID_MAC = 3,    /**< MAC algorithm not supported */
  IMSMS_MIKEY_ERR_INVALID_EA = 4,     /**< Encryption algorithm not supported */
  IMSMS_MIKEY_ERR_INVALID_HA = 5,     /**< Hash function not supported */
  IMSMS_MIKEY_ERR_INVALID_DH = 6,     /**< DH group not supported */
  IMSMS_MIKEY_ERR_INVALID_ID = 7,     /**< ID not supported */
  IMSMS_MIKEY_ERR_INVALID_CERT = 8,   /**< Certificate not supported */
  IMSMS_MIKEY_ERR_INVALID_SP = 9,     /**< SP type not supported */
  IMSMS_MIKEY_ERR_INVALID_SPPAR = 10, /**< SP parameters not supported */
  IMSMS_MIKEY_ERR_INVALID_DT = 11,    /**< Data type not supported */
  IMSMS_MIKEY_ERR_UNSPECIFIED = 12,   /**< Unspecified error */
  IMSMS_MIKEY_ERR_UNSUPPORTED_MSG_TYPE = 13, /**< Message type not supported (RFC 4738) */
  IMSMS_MIKEY_ERR_INVALID_TICKET = 14, /**< Ticket type not supported (RFC 6043) */
  IMSMS_MIKEY_ERR_INVALID_TPPAR = 15   /**< TP parameters not supported (RFC 6043) */
} imsms_mikey_error;

/**
 * @function
 *
 * Returns the RFC name of MIKEY Error payload number |mikey_error|
 * (0-15), "Unassigned" for other values in 0-255, and
 * "Invalid MIKEY error number" outside 0-255.
 */
IMSMS_EXTERN const char *imsms_mikey_err_str(int mikey_error);

/**
 * @macro
 *
 * Version of the imsms_info struct. Incremented whenever a field is
 * appended.
 */
#define IMSMS_VERSION_AGE 1

/**
 * @struct
 *
 * Run-time version information, returned by imsms_version().
 */
typedef struct imsms_info {
  /** Age of this struct (IMSMS_VERSION_AGE when the library was built). */
  int age;
  /** Numeric library version, 0xMMmmpp, as IMSMS_VERSION_NUM. */
  int version_num;
  /** Library version string, as IMSMS_VERSION. */
  const char *version_str;
  /** Protocols implemented, e.g. "MIKEY/RFC3830 MIKEY-TICKET/RFC6043". */
  const char *proto_str;
} imsms_info;

/**
 * @function
 *
 * Returns a pointer to the static version information of the running
 * library, or NULL if its numeric version is lower than |least_version|
 * (pass 0 to always get the struct, or IMSMS_VERSION_NUM to require at
 * least the headers' version).
 */
IMSMS_EXTERN const imsms_info *imsms_version(int least_version);

/**
 * @struct
 *
 * Custom memory allocator. Each function receives |user_data|. The
 * semantics are those of the C library functions of the same names.
 * imsms_ctx_new() copies the struct, so it need not outlive the call.
 * Secret-holding buffers are never passed to realloc: the library
 * allocates, copies, wipes and frees instead.
 */
typedef struct imsms_mem {
  /** Passed as the last argument of every function below. */
  void *user_data;
  /** Like malloc(3). */
  void *(*malloc)(size_t size, void *user_data);
  /** Like free(3); must accept NULL. */
  void (*free)(void *ptr, void *user_data);
  /** Like calloc(3). */
  void *(*calloc)(size_t nmemb, size_t size, void *user_data);
  /** Like realloc(3). */
  void *(*realloc)(void *ptr, size_t size, void *user_data);
} imsms_mem;

/**
 * @enum
 *
 * Log levels, most severe first. Messages never contain secret material.
 */
typedef enum imsms_log_level {
  IMSMS_LOG_ERROR = 0,
  IMSMS_LOG_WARN = 1,
  IMSMS_LOG_INFO = 2,
  IMSMS_LOG_DEBUG = 3
} imsms_log_level;

/**
 * @functypedef
 *
 * Receives one log line (no trailing newline) at |level|. |user_data| is
 * the pointer given to imsms_ctx_new(). The callback must not call back
 * into the library with the same context.
 */
typedef void (*imsms_log_callback)(imsms_log_level level, const char *msg,
                                   void *user_data);

/**
 * @struct
 *
 * The library context: allocator, crypto provider (with its per-context
 * state) and log callback. Opaque. Holds no global state: a process may
 * have any number of contexts with different providers. One context is
 * used by one thread at a time.
 */
typedef struct imsms_ctx imsms_ctx;

/* Defined in <imsmediasec/crypto.h>. */
typedef struct imsms_crypto_provider imsms_crypto_provider;

/**
 * @function
 *
 * Creates a context in |*pctx|.
 *
 * |mem| is the allocator (copied), or NULL for the C library's.
 * |provider| is the crypto provider, or NULL for imsms_crypto_default().
 * The provider must stay valid until imsms_ctx_del(). Before the context
 * is returned, the provider's members are checked and its known-answer
 * self-test is run (see imsms_crypto_selftest()).
 * |log_cb| receives log lines, or NULL for none; |user_data| is passed to
 * it and is available from imsms_ctx_get_user_data().
 *
 * Returns 0 on success, or one of the following negative error codes
 * (|*pctx| is left untouched on failure):
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     |pctx| is NULL, or |mem| lacks a function.
 * IMSMS_ERR_PROVIDER_VERSION
 *     The provider's version is not one this library knows.
 * IMSMS_ERR_PROVIDER_INCOMPLETE
 *     The provider lacks its name or a required function.
 * IMSMS_ERR_SELFTEST
 *     The provider gave a wrong answer in its self-test.
 * IMSMS_ERR_CRYPTO
 *     The provider's initialisation failed.
 * IMSMS_ERR_NOMEM
 *     Out of memory.
 */
IMSMS_EXTERN int imsms_ctx_new(imsms_ctx **pctx, const imsms_mem *mem,
                               const imsms_crypto_provider *provider,
                               imsms_log_callback log_cb, void *user_data);

/**
 * @function
 *
 * Releases the provider state and frees |ctx|, wiping it first. Objects
 * made from the context must be deleted before. NULL is ignored.
 */
IMSMS_EXTERN void imsms_ctx_del(imsms_ctx *ctx);

/**
 * @function
 *
 * Returns the crypto provider |ctx| uses, or NULL when |ctx| is NULL.
 */
IMSMS_EXTERN const imsms_crypto_provider *
imsms_ctx_get_provider(const imsms_ctx *ctx);

/**
 * @function
 *
 * Returns the |user_data| given to imsms_ctx_new(), or NULL when |ctx| is
 * NULL.
 */
IMSMS_EXTERN void *imsms_ctx_get_user_data(const imsms_ctx *ctx);

/**
 * @function
 *
 * Sets the most verbose level passed to the log callback (default
 * IMSMS_LOG_INFO). Levels outside the enum are clamped; a NULL |ctx| is
 * ignored.
 */
IMSMS_EXTERN void imsms_ctx_set_log_level(imsms_ctx *ctx,
                                          imsms_log_level level);

/**
 * @function
 *
 * Fills |out| with |outlen| bytes from the provider's CSPRNG.
 *
 * Returns 0 on success, or one of the following negative error codes
 * (|out| is wiped on failure):
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     |ctx| is NULL, or |out| is NULL with a nonzero |outlen|.
 * IMSMS_ERR_RNG
 *     The generator failed.
 */
IMSMS_EXTERN int imsms_random(imsms_ctx *ctx, uint8_t *out, size_t outlen);

/**
 * @function
 *
 * Computes HMAC with |alg| (IMSMS_HASH_SHA1 or IMSMS_HASH_SHA256) of
 * |in| under |key| through the context's provider and writes the first
 * |outlen| bytes of it to |out| (1 to the digest length: truncation as in
 * HMAC-SHA-1-80). A convenience for one message; protocol code keeps a
 * keyed context instead (see <imsmediasec/crypto.h>).
 *
 * Returns 0 on success, or one of the following negative error codes
 * (|out| is wiped on failure):
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     |ctx| or |out| is NULL, another pointer is NULL where its length is
 *     not 0, or |outlen| is 0.
 * IMSMS_ERR_UNSUPPORTED_ALG
 *     |alg| is not a known hash.
 * IMSMS_ERR_KEY_LENGTH
 *     |outlen| exceeds the digest length.
 * IMSMS_ERR_NOMEM, IMSMS_ERR_CRYPTO
 *     The provider failed.
 */
IMSMS_EXTERN int imsms_hmac(imsms_ctx *ctx, int alg, const uint8_t *key,
                            size_t keylen, const uint8_t *in, size_t inlen,
                            uint8_t *out, size_t outlen);

/**
 * @function
 *
 * Overwrites |len| bytes at |p| with zeros in a way the compiler cannot
 * remove (libsodium's sodium_memzero). Use it on every buffer that held a
 * key. NULL with |len| 0 is allowed.
 */
IMSMS_EXTERN void imsms_secure_clear(void *p, size_t len);

/**
 * @function
 *
 * Compares |len| bytes at |a| and |b| in time that depends only on |len|
 * (libsodium's crypto_verify_32/_16 for whole blocks, sodium_memcmp for
 * the rest). Returns 1 when equal, 0 otherwise. A |len| of 0 compares
 * equal.
 */
IMSMS_EXTERN int imsms_ct_memeq(const void *a, const void *b, size_t len) IMSMS_WUR;

/**
 * @function
 *
 * Returns the length of the base64 (RFC 4648 section 4, with padding)
 * encoding of |len| bytes: 4 * ceil(len / 3), or 0 if that overflows.
 */
IMSMS_EXTERN size_t imsms_base64_encode_len(size_t len);

/**
 * @function
 *
 * Writes the base64 encoding of |in| to |out|, with "=" padding and no
 * line breaks. No terminating NUL is written.
 *
 * Returns the number of characters written, or one of the following
 * negative error codes:
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     A pointer is NULL where its length is not 0.
 * IMSMS_ERR_NOBUF
 *     |outcap| is less than imsms_base64_encode_len(|inlen|).
 */
IMSMS_EXTERN imsms_ssize imsms_base64_encode(char *out, size_t outcap,
                                             const uint8_t *in, size_t inlen);

/**
 * @function
 *
 * Returns the largest number of bytes the base64 text of |len| characters
 * can decode to: 3 * (len / 4).
 */
IMSMS_EXTERN size_t imsms_base64_decode_maxlen(size_t len);

/**
 * @function
 *
 * Decodes the base64 text |in| of |inlen| characters strictly (RFC 4648
 * section 4): the length must be a multiple of 4; only the standard
 * alphabet; "=" only as one or two final padding characters; the unused
 * bits before the padding must be zero (the canonical encoding); no
 * whitespace and no NUL. The empty string decodes to 0 bytes. Padding is
 * required: SDP (RFC 4567, RFC 4568) always carries it.
 *
 * Returns the number of bytes written to |out|, or one of the following
 * negative error codes (|out| is wiped on failure, as it may hold part of
 * a key):
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     A pointer is NULL where its length is not 0.
 * IMSMS_ERR_BASE64
 *     The text is not strict base64.
 * IMSMS_ERR_NOBUF
 *     |outcap| is less than the decoded length.
 */
IMSMS_EXTERN imsms_ssize imsms_base64_decode(uint8_t *out, size_t outcap,
                                             const char *in, size_t inlen);

/**
 * @function
 *
 * Converts Unix time (|sec| seconds and |nsec| nanoseconds since
 * 1970-01-01 UTC) to an NTP 32.32 timestamp. NTP seconds wrap every 2^32
 * seconds (era 1 begins in February 2036); the result is taken modulo one
 * era, as RFC 5905 does. |nsec| values of 10^9 or more are clamped to
 * 999999999 (fraction 0xfffffffb).
 */
IMSMS_EXTERN imsms_tstamp imsms_tstamp_from_unix(uint64_t sec, uint32_t nsec);

/**
 * @function
 *
 * Converts the NTP 32.32 timestamp |ts| to Unix seconds, resolving the
 * era as RFC 4330 section 3 does: NTP seconds with the top bit clear are
 * taken to be in era 1 (2036-2104), with it set in era 0 (1968-2036). The
 * result is negative for times from 1968-01-20 to the end of 1969. The
 * fraction is discarded.
 */
IMSMS_EXTERN int64_t imsms_tstamp_to_unix(imsms_tstamp ts);

#ifdef __cplusplus
}
#endif

#include <imsmediasec/crypto.h>

#endif /* IMSMEDIASEC_H */
