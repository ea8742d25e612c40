/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * MIKEY messages (RFC 3830) and their MIKEY-TICKET extensions (RFC 6043):
 * code points, a zero-copy decoder, an exact-length encoder, and the PRF.
 *
 * Decoding never allocates. imsms_mikey_decode() checks a whole message
 * (every payload, every length, every algorithm code that implies a
 * length, nothing after the last payload) and fills an imsms_mikey_msg;
 * an imsms_mikey_iter then walks its payloads as imsms_mikey_payload
 * views that point into the input. Encoding takes the same views: a
 * header and an array of payloads, written in array order with the
 * next-payload bytes filled in, so decode followed by encode gives back
 * the input byte for byte.
 *
 * Choices where the RFCs leave room (each is tested):
 *  - Bytes after the last payload are an error (IMSMS_ERR_MIKEY_TRAILING):
 *    RFC 3830 has no rule, and silently ignoring them hides framing bugs.
 *  - Reserved bits are kept in the views (and written back), not checked,
 *    as RFC 3830 section 6 asks receivers to ignore them.
 *  - Unknown payload types make the message undecodable
 *    (IMSMS_ERR_MIKEY_PAYLOAD_TYPE): a payload's length cannot be known
 *    without knowing its type.
 *  - The decoder rejects unknown codes whose value decides a length (MAC
 *    algorithm, hash function, DH group, timestamp type, key data type,
 *    KV type, CS ID map type) and data types above 18 (registered by
 *    later RFCs, not supported). Other codes (encryption algorithm,
 *    protocol type, ID type, roles, ticket type) are reported as received
 *    and checked by the layer that acts on them, which can then answer
 *    with the precise MIKEY error.
 */
#ifndef IMSMEDIASEC_MIKEY_H
#define IMSMEDIASEC_MIKEY_H

#include <imsmediasec/imsmediasec.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @enum HDR data type (RFC 3830 6.1, RFC 4650, RFC 4738, RFC 6043 6.1). */
typedef enum imsms_mikey_data_type {
  IMSMS_MIKEY_PSK_INIT = 0,
  IMSMS_MIKEY_PSK_RESP = 1,
  IMSMS_MIKEY_PK_INIT = 2,
  IMSMS_MIKEY_PK_RESP = 3,
  IMSMS_MIKEY_DH_INIT = 4,
  IMSMS_MIKEY_DH_RESP = 5,
  IMSMS_MIKEY_ERROR = 6,
  IMSMS_MIKEY_DHHMAC_INIT = 7,
  IMSMS_MIKEY_DHHMAC_RESP = 8,
  IMSMS_MIKEY_RSAR_INIT = 9,
  IMSMS_MIKEY_RSAR_RESP = 10,
  IMSMS_MIKEY_REQUEST_INIT_PSK = 11,
  IMSMS_MIKEY_REQUEST_INIT_PK = 12,
  IMSMS_MIKEY_REQUEST_RESP = 13,
  IMSMS_MIKEY_TRANSFER_INIT = 14,
  IMSMS_MIKEY_TRANSFER_RESP = 15,
  IMSMS_MIKEY_RESOLVE_INIT_PSK = 16,
  IMSMS_MIKEY_RESOLVE_INIT_PK = 17,
  IMSMS_MIKEY_RESOLVE_RESP = 18
} imsms_mikey_data_type;

/** @enum Payload types, the values of next-payload bytes. */
typedef enum imsms_mikey_payload_type {
  IMSMS_MIKEY_PT_LAST = 0,
  IMSMS_MIKEY_PT_KEMAC = 1,
  IMSMS_MIKEY_PT_PKE = 2,
  IMSMS_MIKEY_PT_DH = 3,
  IMSMS_MIKEY_PT_SIGN = 4,
  IMSMS_MIKEY_PT_T = 5,
  IMSMS_MIKEY_PT_ID = 6,
  IMSMS_MIKEY_PT_CERT = 7,
  IMSMS_MIKEY_PT_CHASH = 8,
  IMSMS_MIKEY_PT_V = 9,
  IMSMS_MIKEY_PT_SP = 10,
  IMSMS_MIKEY_PT_RAND = 11,
  IMSMS_MIKEY_PT_ERR = 12,
  IMSMS_MIKEY_PT_TR = 13,
  IMSMS_MIKEY_PT_IDR = 14,
  IMSMS_MIKEY_PT_RANDR = 15,
  IMSMS_MIKEY_PT_TP = 16,
  IMSMS_MIKEY_PT_TICKET = 17,
  IMSMS_MIKEY_PT_KEY_DATA = 20,
  IMSMS_MIKEY_PT_GEN_EXT = 21,
  /**
   * Not a wire code: THDR, the first payload of MIKEY base-ticket Ticket
   * Data (RFC 6043 A.3), which has no payload type of its own. Use it as
   * |first_type| of imsms_mikey_chain_init() on Ticket Data.
   */
  IMSMS_MIKEY_PT_THDR = 255
} imsms_mikey_payload_type;

/** @enum HDR PRF function (RFC 3830 6.1, RFC 6043 6.1). */
typedef enum imsms_mikey_prf_func {
  IMSMS_MIKEY_PRF_MIKEY_1 = 0,    /**< HMAC-SHA-1 P-function */
  IMSMS_MIKEY_PRF_HMAC_SHA256 = 1 /**< PRF-HMAC-SHA-256 */
} imsms_mikey_prf_func;

/** @enum CS ID map types (RFC 3830 6.1.1, RFC 4563, RFC 6043 6.1.1). */
typedef enum imsms_mikey_map_type {
  IMSMS_MIKEY_MAP_SRTP_ID = 0,
  IMSMS_MIKEY_MAP_EMPTY = 1,
  IMSMS_MIKEY_MAP_GENERIC_ID = 2
} imsms_mikey_map_type;

/** @enum KEMAC encryption algorithms. */
typedef enum imsms_mikey_encr_alg {
  IMSMS_MIKEY_ENCR_NULL = 0,
  IMSMS_MIKEY_ENCR_AES_CM_128 = 1,
  IMSMS_MIKEY_ENCR_AES_KW_128 = 2,
  IMSMS_MIKEY_ENCR_AES_CM_256 = 3
} imsms_mikey_encr_alg;

/** @enum KEMAC and V MAC algorithms. */
typedef enum imsms_mikey_mac_alg {
  IMSMS_MIKEY_MAC_NULL = 0,
  IMSMS_MIKEY_MAC_HMAC_SHA1_160 = 1,
  IMSMS_MIKEY_MAC_HMAC_SHA256_256 = 2
} imsms_mikey_mac_alg;

/** @enum Timestamp types (T and TR payloads). */
typedef enum imsms_mikey_ts_type {
  IMSMS_MIKEY_TS_NTP_UTC = 0,   /**< 64-bit NTP 32.32, UTC */
  IMSMS_MIKEY_TS_NTP = 1,       /**< 64-bit NTP 32.32, local */
  IMSMS_MIKEY_TS_COUNTER = 2,   /**< 32-bit counter */
  IMSMS_MIKEY_TS_NTP_UTC_32 = 3 /**< 32-bit NTP seconds, UTC (RFC 6043) */
} imsms_mikey_ts_type;

/** @enum TS roles of the TR payload (RFC 6043 6.4). */
typedef enum imsms_mikey_ts_role {
  IMSMS_MIKEY_TR_ISSUE = 1,  /**< TRi, time of issue */
  IMSMS_MIKEY_TR_START = 2,  /**< TRs, start of validity */
  IMSMS_MIKEY_TR_END = 3,    /**< TRe, end of validity */
  IMSMS_MIKEY_TR_REKEY = 4   /**< TRr, rekeying interval */
} imsms_mikey_ts_role;

/** @enum ID types (ID, IDR). */
typedef enum imsms_mikey_id_type {
  IMSMS_MIKEY_ID_NAI = 0,
  IMSMS_MIKEY_ID_URI = 1,
  IMSMS_MIKEY_ID_BYTES = 2
} imsms_mikey_id_type;

/** @enum ID roles of the IDR payload (RFC 6043 6.6, RFC 6509). */
typedef enum imsms_mikey_id_role {
  IMSMS_MIKEY_IDR_I = 1,
  IMSMS_MIKEY_IDR_R = 2,
  IMSMS_MIKEY_IDR_KMS = 3,
  IMSMS_MIKEY_IDR_PSK = 4,
  IMSMS_MIKEY_IDR_APP = 5,
  IMSMS_MIKEY_IDR_KMS_I = 6,
  IMSMS_MIKEY_IDR_KMS_R = 7
} imsms_mikey_id_role;

/** @enum RAND roles of the RANDR payload (RFC 6043 6.8). */
typedef enum imsms_mikey_rand_role {
  IMSMS_MIKEY_RANDR_I = 1,
  IMSMS_MIKEY_RANDR_R = 2,
  IMSMS_MIKEY_RANDR_KMS = 3
} imsms_mikey_rand_role;

/** @enum Key data sub-payload types (RFC 3830 6.13, RFC 6043 6.2). */
typedef enum imsms_mikey_key_type {
  IMSMS_MIKEY_KEY_TGK = 0,
  IMSMS_MIKEY_KEY_TGK_SALT = 1,
  IMSMS_MIKEY_KEY_TEK = 2,
  IMSMS_MIKEY_KEY_TEK_SALT = 3,
  IMSMS_MIKEY_KEY_GTGK = 4,
  IMSMS_MIKEY_KEY_GTGK_SALT = 5,
  IMSMS_MIKEY_KEY_MPK = 6
} imsms_mikey_key_type;

/** @enum Key validity (KV) types. */
typedef enum imsms_mikey_kv_type {
  IMSMS_MIKEY_KV_NULL = 0,
  IMSMS_MIKEY_KV_SPI = 1,     /**< SPI or MKI */
  IMSMS_MIKEY_KV_INTERVAL = 2 /**< valid from / valid to */
} imsms_mikey_kv_type;

/** @enum General Extension types (RFC 3830 6.15 and later RFCs). */
typedef enum imsms_mikey_ext_type {
  IMSMS_MIKEY_EXT_VENDOR_ID = 0,
  IMSMS_MIKEY_EXT_SDP_IDS = 1,
  IMSMS_MIKEY_EXT_TESLA = 2,
  IMSMS_MIKEY_EXT_KEY_ID = 3,
  IMSMS_MIKEY_EXT_CSB_ID = 4,
  IMSMS_MIKEY_EXT_OMA_BCAST = 5
} imsms_mikey_ext_type;

/** @enum Security protocol of the SP payload. */
#define IMSMS_MIKEY_PROT_SRTP 0

/** @enum SRTP policy parameter types (RFC 3830 6.10.1, RFC 4771, RFC 7714). */
typedef enum imsms_mikey_srtp_param {
  IMSMS_MIKEY_SRTP_ENCR_ALG = 0,
  IMSMS_MIKEY_SRTP_ENCR_KEY_LEN = 1,
  IMSMS_MIKEY_SRTP_AUTH_ALG = 2,
  IMSMS_MIKEY_SRTP_AUTH_KEY_LEN = 3,
  IMSMS_MIKEY_SRTP_SALT_LEN = 4,
  IMSMS_MIKEY_SRTP_PRF = 5,
  IMSMS_MIKEY_SRTP_KDR = 6,
  IMSMS_MIKEY_SRTP_SRTP_ENCR = 7,
  IMSMS_MIKEY_SRTP_SRTCP_ENCR = 8,
  IMSMS_MIKEY_SRTP_FEC_ORDER = 9,
  IMSMS_MIKEY_SRTP_SRTP_AUTH = 10,
  IMSMS_MIKEY_SRTP_AUTH_TAG_LEN = 11,
  IMSMS_MIKEY_SRTP_PREFIX_LEN = 12,
  IMSMS_MIKEY_SRTP_ROC_RATE = 13,
  IMSMS_MIKEY_SRTP_SRTP_AUTH_ALG = 14,
  IMSMS_MIKEY_SRTP_SRTCP_AUTH_ALG = 15,
  IMSMS_MIKEY_SRTP_SRTP_AUTH_KEY_LEN = 16,
  IMSMS_MIKEY_SRTP_SRTCP_AUTH_KEY_LEN = 17,
  IMSMS_MIKEY_SRTP_SRTP_AUTH_TAG_LEN = 18,
  IMSMS_MIKEY_SRTP_SRTCP_AUTH_TAG_LEN = 19,
  IMSMS_MIKEY_SRTP_AEAD_TAG_LEN = 20
} imsms_mikey_srtp_param;

/** @enum Ticket types (RFC 6043 6.10). */
typedef enum imsms_mikey_ticket_type {
  IMSMS_MIKEY_TICKET_MIKEY_BASE = 1,
  IMSMS_MIKEY_TICKET_3GPP_BASE = 2
} imsms_mikey_ticket_type;

/**
 * @macro
 *
 * Ticket policy flags D to O (RFC 6043 6.10) as bits of
 * imsms_mikey_ticket.flags.
 */
#define IMSMS_TP_D 0x8000u /**< the KMS generated the ticket */
#define IMSMS_TP_E 0x4000u /**< Ticket Resolve is mandatory */
#define IMSMS_TP_F 0x2000u /**< TRANSFER_RESP shall be sent */
#define IMSMS_TP_G 0x1000u /**< R generates RANDRr */
#define IMSMS_TP_H 0x0800u /**< RANDRi is used in TGK derivations */
#define IMSMS_TP_I 0x0400u /**< key forking */
#define IMSMS_TP_J 0x0200u /**< the ticket may be reused */
#define IMSMS_TP_K 0x0100u /**< the KMS changed the policy */
#define IMSMS_TP_L 0x0080u /**< I may supply session keys */
#define IMSMS_TP_M 0x0040u /**< R may supply session keys */
#define IMSMS_TP_N 0x0020u /**< plain RFC 6043 Initiator processing */
#define IMSMS_TP_O 0x0010u /**< plain RFC 6043 Responder processing */

/** @macro Largest MIKEY message this library encodes or decodes. */
#define IMSMS_MIKEY_MAX_MSG_LEN 65535

/**
 * @struct
 *
 * The common header. |map_info| points at the raw CS ID map info (see
 * imsms_mikey_map_next() and imsms_mikey_map_encode()). On decode every
 * field is filled; on encode |next_payload| is ignored (computed from
 * the payload array).
 */
typedef struct imsms_mikey_hdr {
  uint8_t version;      /**< always 1 */
  uint8_t data_type;    /**< imsms_mikey_data_type */
  uint8_t next_payload; /**< type of the first payload */
  uint8_t v;            /**< V flag: 1 = response expected */
  uint8_t prf_func;     /**< imsms_mikey_prf_func */
  uint32_t csb_id;      /**< CSB ID */
  uint8_t ncs;          /**< #CS */
  uint8_t map_type;     /**< imsms_mikey_map_type */
  const uint8_t *map_info;
  size_t map_info_len;
} imsms_mikey_hdr;

/** @struct KEMAC (1). */
typedef struct imsms_mikey_kemac {
  uint8_t encr_alg;
  const uint8_t *encr_data;
  size_t encr_len;
  uint8_t mac_alg;
  /** MAC value; its length follows from |mac_alg| (0, 20 or 32). */
  const uint8_t *mac;
  size_t mac_len;
} imsms_mikey_kemac;

/** @struct PKE (2). */
typedef struct imsms_mikey_pke {
  uint8_t c; /**< cache indicator, 0-3 */
  const uint8_t *data;
  size_t len;
} imsms_mikey_pke;

/** @struct DH (3). */
typedef struct imsms_mikey_dh {
  uint8_t group;
  const uint8_t *value; /**< 192, 96 or 128 bytes for groups 0, 1, 2 */
  size_t value_len;
  uint8_t reserved;     /**< 4 reserved bits, kept as received */
  uint8_t kv;
  const uint8_t *kv_data; /**< raw KV data */
  size_t kv_len;
} imsms_mikey_dh;

/** @struct SIGN (4): always last, no next-payload byte. */
typedef struct imsms_mikey_sign {
  uint8_t s_type;
  const uint8_t *sig;
  size_t len; /**< at most 4095 */
} imsms_mikey_sign;

/** @struct T (5). */
typedef struct imsms_mikey_t {
  uint8_t ts_type;
  /** 64-bit value for NTP types; 32-bit types in the low 32 bits. */
  uint64_t value;
} imsms_mikey_t;

/** @struct ID (6) and CERT (7). */
typedef struct imsms_mikey_id {
  uint8_t type;
  const uint8_t *data;
  size_t len;
} imsms_mikey_id;

/** @struct CHASH (8). */
typedef struct imsms_mikey_chash {
  uint8_t func; /**< 0 SHA-1, 1 MD5, 2 SHA-256 */
  const uint8_t *hash;
  size_t len;
} imsms_mikey_chash;

/** @struct V (9). */
typedef struct imsms_mikey_v {
  uint8_t alg; /**< imsms_mikey_mac_alg */
  const uint8_t *mac;
  size_t len;
} imsms_mikey_v;

/** @struct SP (10). |params| is the raw TLV list (imsms_mikey_sp_param_next()). */
typedef struct imsms_mikey_sp {
  uint8_t policy_no;
  uint8_t prot_type;
  const uint8_t *params;
  size_t len;
} imsms_mikey_sp;

/** @struct RAND (11). */
typedef struct imsms_mikey_rand {
  const uint8_t *rand;
  size_t len;
} imsms_mikey_rand;

/** @struct ERR (12). */
typedef struct imsms_mikey_errp {
  uint8_t error_no; /**< imsms_mikey_error */
  uint16_t reserved;
} imsms_mikey_errp;

/** @struct General Extension (21). */
typedef struct imsms_mikey_ext {
  uint8_t type;
  const uint8_t *data;
  size_t len;
} imsms_mikey_ext;

/** @struct TR (13). */
typedef struct imsms_mikey_tr {
  uint8_t role;    /**< imsms_mikey_ts_role */
  uint8_t ts_type; /**< imsms_mikey_ts_type */
  uint64_t value;
} imsms_mikey_tr;

/** @struct IDR (14). */
typedef struct imsms_mikey_idr {
  uint8_t role;    /**< imsms_mikey_id_role */
  uint8_t id_type; /**< imsms_mikey_id_type */
  const uint8_t *data;
  size_t len;
} imsms_mikey_idr;

/** @struct RANDR (15). */
typedef struct imsms_mikey_randr {
  uint8_t role; /**< imsms_mikey_rand_role */
  const uint8_t *rand;
  size_t len;
} imsms_mikey_randr;

/**
 * @struct
 *
 * TP (16) and TICKET (17). TP Data (and, in TICKET, Ticket Data and
 * Initiator Data) are raw views: TP Data is a payload chain that starts
 * with its first-payload byte (imsms_mikey_chain_init()), Ticket Data is
 * in the format of |ticket_type|.
 */
typedef struct imsms_mikey_ticket {
  uint16_t ticket_type; /**< imsms_mikey_ticket_type */
  uint8_t subtype;
  uint8_t version;
  uint8_t prf_func; /**< 7 bits */
  uint16_t flags;   /**< IMSMS_TP_D ... IMSMS_TP_O */
  uint8_t reserved; /**< 5 reserved bits, kept as received */
  const uint8_t *tp_data;
  size_t tp_data_len;
  const uint8_t *ticket_data;   /**< TICKET only */
  size_t ticket_data_len;
  const uint8_t *init_data;     /**< TICKET only; empty unless forking */
  size_t init_data_len;
} imsms_mikey_ticket;

/** @struct THDR (base-ticket header; no wire code). */
typedef struct imsms_mikey_thdr {
  const uint8_t *data;
  size_t len;
} imsms_mikey_thdr;

/**
 * @struct
 *
 * One payload: |type| says which member of |u| is valid. |raw| and
 * |rawlen| cover the whole payload as it appears in the message (decode
 * only). |next| is the payload's next-payload byte (decode only; SIGN
 * has none and shows 0).
 */
typedef struct imsms_mikey_payload {
  uint8_t type; /**< imsms_mikey_payload_type */
  uint8_t next;
  const uint8_t *raw;
  size_t rawlen;
  union {
    imsms_mikey_kemac kemac;
    imsms_mikey_pke pke;
    imsms_mikey_dh dh;
    imsms_mikey_sign sign;
    imsms_mikey_t t;
    imsms_mikey_id id; /**< ID and CERT */
    imsms_mikey_chash chash;
    imsms_mikey_v v;
    imsms_mikey_sp sp;
    imsms_mikey_rand rand;
    imsms_mikey_errp err;
    imsms_mikey_ext ext;
    imsms_mikey_tr tr;
    imsms_mikey_idr idr;
    imsms_mikey_randr randr;
    imsms_mikey_ticket ticket; /**< TP and TICKET */
    imsms_mikey_thdr thdr;
  } u;
} imsms_mikey_payload;

/**
 * @struct
 *
 * A checked message: its header and where its payload chain lies.
 * Filled by imsms_mikey_decode(); points into the caller's input.
 */
typedef struct imsms_mikey_msg {
  imsms_mikey_hdr hdr;
  const uint8_t *data; /**< the whole message */
  size_t len;
  size_t hdr_len;      /**< bytes of HDR, map included */
  size_t npayloads;
} imsms_mikey_msg;

/**
 * @struct
 *
 * Walks a payload chain. Caller-allocated; no interior pointers beyond
 * the input it was started on. Private fields.
 */
typedef struct imsms_mikey_iter {
  const uint8_t *pos;
  const uint8_t *end;
  uint8_t next_type;
  /* Nonzero once |next_type| comes from the wire (THDR never does). */
  uint8_t from_wire;
} imsms_mikey_iter;

/**
 * @function
 *
 * Checks |inlen| bytes at |in| as one MIKEY message and fills |msg|.
 * Every payload is decoded once: lengths against the input, lengths that
 * algorithm codes imply, the CS ID map against #CS, SIGN last, and no
 * bytes after the last payload. Nothing is allocated or copied.
 *
 * Returns 0 or one of the following negative error codes (|msg| is
 * undefined on failure):
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     |msg| or |in| is NULL.
 * IMSMS_ERR_TRUNCATED
 *     The input ends inside the header or a payload.
 * IMSMS_ERR_TOO_LARGE
 *     |inlen| exceeds IMSMS_MIKEY_MAX_MSG_LEN.
 * IMSMS_ERR_MIKEY_VERSION, IMSMS_ERR_MIKEY_DATA_TYPE, IMSMS_ERR_MIKEY_MAP
 *     The header is not acceptable.
 * IMSMS_ERR_MIKEY_PAYLOAD_TYPE, IMSMS_ERR_MIKEY_SIGN_NOT_LAST,
 * IMSMS_ERR_MIKEY_TRAILING
 *     The payload chain is malformed (a length field that runs past the
 *     end is IMSMS_ERR_TRUNCATED).
 * IMSMS_ERR_MIKEY_MAC_ALG, IMSMS_ERR_MIKEY_TS_TYPE, IMSMS_ERR_MIKEY_HASH,
 * IMSMS_ERR_MIKEY_DH_GROUP, IMSMS_ERR_MIKEY_KEY_DATA
 *     A code whose length the parser needs is unknown (KEY_DATA: the KV
 *     type of a DH payload).
 */
IMSMS_EXTERN int imsms_mikey_decode(imsms_mikey_msg *msg, const uint8_t *in,
                                    size_t inlen) IMSMS_WUR;

/**
 * @function
 *
 * Starts |it| on the payloads of the decoded |msg|.
 */
IMSMS_EXTERN void imsms_mikey_iter_init(imsms_mikey_iter *it,
                                        const imsms_mikey_msg *msg);

/**
 * @function
 *
 * Starts |it| on a payload chain that is not a whole message: |in| of
 * |inlen| bytes whose first payload has type |first_type| (TP Data after
 * its first-payload byte, Ticket Data, Initiator Data, KEMAC plaintext).
 */
IMSMS_EXTERN void imsms_mikey_chain_init(imsms_mikey_iter *it,
                                         uint8_t first_type,
                                         const uint8_t *in, size_t inlen);

/**
 * @function
 *
 * Decodes the next payload into |pl|.
 *
 * Returns 0, IMSMS_ERR_EOF after the last payload, or (only on chains
 * that imsms_mikey_decode() has not checked) any decode error listed
 * there; the iterator then stays at the failing payload.
 */
IMSMS_EXTERN int imsms_mikey_iter_next(imsms_mikey_iter *it,
                                       imsms_mikey_payload *pl);

/**
 * @function
 *
 * Decodes |in| as imsms_mikey_decode() does and stores its payloads in
 * |pls| (room for |cap|), in one pass: on failure the entries it reached
 * are filled in but not to be used.
 *
 * Returns the number of payloads, IMSMS_ERR_MIKEY_TOO_MANY when they do
 * not fit, or a decode error.
 */
IMSMS_EXTERN imsms_ssize imsms_mikey_decode_all(imsms_mikey_msg *msg,
                                                imsms_mikey_payload *pls,
                                                size_t cap,
                                                const uint8_t *in,
                                                size_t inlen) IMSMS_WUR;

/**
 * @function
 *
 * Returns the exact encoded length of the message made of |hdr| and the
 * |npls| payloads at |pls|, or a negative error code:
 * IMSMS_ERR_INVALID_ARGUMENT (NULL pointers, a NULL view with a nonzero
 * length in ID, CERT, SP, RAND, General Extension, IDR, RANDR, THDR,
 * PKE, SIGN), IMSMS_ERR_MIKEY_PAYLOAD_TYPE (an unknown type, or SIGN not
 * last), IMSMS_ERR_MIKEY_MAP (map info that disagrees with #CS and the
 * map type), IMSMS_ERR_MIKEY_LENGTH (a field too long for its length
 * field; a MAC, DH value, hash or timestamp of the wrong length or range
 * for its code; a NULL MAC, DH value, hash or TP/TICKET view),
 * IMSMS_ERR_TOO_LARGE (the message would exceed IMSMS_MIKEY_MAX_MSG_LEN).
 * DH KV data is written as given.
 */
IMSMS_EXTERN imsms_ssize imsms_mikey_encoded_len(const imsms_mikey_hdr *hdr,
                                                 const imsms_mikey_payload *pls,
                                                 size_t npls);

/**
 * @function
 *
 * Encodes the message made of |hdr| and |npls| payloads into |out|:
 * payloads in array order, next-payload bytes filled in, HDR's version
 * field from |hdr|. A MAC or signature field is written as given, so a
 * protecting layer encodes with a zero value of the right length and then
 * writes the MAC over the bytes before it.
 *
 * Returns the number of bytes written, IMSMS_ERR_NOBUF when |outcap| is
 * less than imsms_mikey_encoded_len() (nothing is written), or an error
 * of imsms_mikey_encoded_len().
 */
IMSMS_EXTERN imsms_ssize imsms_mikey_encode(uint8_t *out, size_t outcap,
                                            const imsms_mikey_hdr *hdr,
                                            const imsms_mikey_payload *pls,
                                            size_t npls);

/**
 * @function
 *
 * Encodes |npls| payloads as a bare chain (no HDR, no first-payload
 * byte; the last payload's next byte is 0): TP Data after its first
 * byte, base-ticket Ticket Data (which may start with
 * IMSMS_MIKEY_PT_THDR), Initiator Data. With |out| NULL and |outcap| 0 it
 * only returns the length.
 *
 * Returns the byte count, IMSMS_ERR_NOBUF, or an error of
 * imsms_mikey_encoded_len().
 */
IMSMS_EXTERN imsms_ssize imsms_mikey_chain_encode(uint8_t *out, size_t outcap,
                                                  const imsms_mikey_payload *pls,
                                                  size_t npls);

/**
 * @struct
 *
 * One crypto session of the CS ID map. For SRTP-ID maps, |cs_id| is the
 * 1-based position, |prot_type| is SRTP, |npolicies| is 1 and |ssrc|,
 * |roc| come from the entry. For GENERIC-ID maps every field is read
 * from the block; |ssrc|, |roc| and |seq| are parsed from Session Data
 * when the protocol is SRTP and the data has the length |s_flag| implies.
 */
typedef struct imsms_mikey_cs {
  uint8_t cs_id;
  uint8_t prot_type;
  uint8_t s_flag;
  uint8_t npolicies;
  const uint8_t *policies; /**< |npolicies| policy numbers */
  const uint8_t *session_data;
  size_t session_data_len;
  const uint8_t *spi;
  size_t spi_len;
  uint32_t ssrc;
  uint32_t roc;
  uint16_t seq;
} imsms_mikey_cs;

/**
 * @struct
 *
 * Walks the CS ID map of a header. Private fields.
 */
typedef struct imsms_mikey_map_iter {
  const uint8_t *pos;
  const uint8_t *end;
  uint8_t map_type;
  uint8_t index;
  uint8_t ncs;
} imsms_mikey_map_iter;

/** @function Starts |it| on the map of |hdr|. */
IMSMS_EXTERN void imsms_mikey_map_iter_init(imsms_mikey_map_iter *it,
                                            const imsms_mikey_hdr *hdr);

/**
 * @function
 *
 * Decodes the next crypto session of the map into |cs|. Returns 0,
 * IMSMS_ERR_EOF after the last, or IMSMS_ERR_MIKEY_MAP when the map is
 * malformed (cannot happen for a header from imsms_mikey_decode()).
 */
IMSMS_EXTERN int imsms_mikey_map_next(imsms_mikey_map_iter *it,
                                      imsms_mikey_cs *cs);

/**
 * @function
 *
 * Encodes the |ncs| crypto sessions at |cs| as map info of |map_type|
 * into |out|. SRTP-ID writes policies[0], |ssrc| and |roc| per entry;
 * GENERIC-ID writes every field (|session_data| as given); EMPTY writes
 * nothing, whatever |ncs| is: RFC 4563 does not tie #CS to 0 (RFC 6043
 * requires 0 in Request and Resolve messages; the ticket layer checks
 * that), and imsms_mikey_map_next() returns IMSMS_ERR_EOF at once.
 * Returns the byte count, IMSMS_ERR_NOBUF, IMSMS_ERR_INVALID_ARGUMENT or
 * IMSMS_ERR_MIKEY_MAP.
 */
IMSMS_EXTERN imsms_ssize imsms_mikey_map_encode(uint8_t *out, size_t outcap,
                                                uint8_t map_type,
                                                const imsms_mikey_cs *cs,
                                                size_t ncs);

/**
 * @struct
 *
 * One Key data sub-payload (RFC 3830 6.13) of decrypted KEMAC data.
 * Views into the plaintext buffer, which the caller wipes.
 */
typedef struct imsms_mikey_keydata {
  uint8_t type; /**< imsms_mikey_key_type */
  uint8_t kv;   /**< imsms_mikey_kv_type */
  const uint8_t *key;
  size_t key_len;
  const uint8_t *salt; /**< only for the +SALT types */
  size_t salt_len;
  const uint8_t *spi;  /**< KV SPI */
  size_t spi_len;
  const uint8_t *valid_from; /**< KV interval */
  size_t valid_from_len;
  const uint8_t *valid_to;
  size_t valid_to_len;
} imsms_mikey_keydata;

/**
 * @function
 *
 * Decodes the Key data sub-payload at the start of |in| into |kd| and
 * stores its next-payload byte in |*next|. Returns the bytes consumed,
 * IMSMS_ERR_TRUNCATED, or IMSMS_ERR_MIKEY_KEY_DATA for an unknown type or
 * KV.
 */
IMSMS_EXTERN imsms_ssize imsms_mikey_keydata_decode(imsms_mikey_keydata *kd,
                                                    uint8_t *next,
                                                    const uint8_t *in,
                                                    size_t inlen);

/**
 * @function
 *
 * Encodes |nkd| Key data sub-payloads as one chain (the last with next
 * payload 0) into |out|. With |out| NULL and |outcap| 0 it returns the
 * length only. Returns the byte count, IMSMS_ERR_NOBUF,
 * IMSMS_ERR_MIKEY_KEY_DATA or IMSMS_ERR_MIKEY_LENGTH.
 */
IMSMS_EXTERN imsms_ssize imsms_mikey_keydata_encode(uint8_t *out,
                                                    size_t outcap,
                                                    const imsms_mikey_keydata *kd,
                                                    size_t nkd);

/** @struct One SP parameter TLV. */
typedef struct imsms_mikey_sp_param {
  uint8_t type;
  const uint8_t *value;
  size_t len;
} imsms_mikey_sp_param;

/**
 * @function
 *
 * Walks the parameter TLVs of |sp|: |*off| starts at 0. Returns 0,
 * IMSMS_ERR_EOF at the end, or IMSMS_ERR_MIKEY_LENGTH when a TLV runs past
 * the parameter list.
 */
IMSMS_EXTERN int imsms_mikey_sp_param_next(const imsms_mikey_sp *sp,
                                           size_t *off,
                                           imsms_mikey_sp_param *param);

/**
 * @function
 *
 * Encodes |n| TLVs into |out| (the |params| of an SP payload). Returns
 * the byte count, IMSMS_ERR_NOBUF or IMSMS_ERR_MIKEY_LENGTH (a value
 * longer than 255 bytes).
 */
IMSMS_EXTERN imsms_ssize imsms_mikey_sp_params_encode(uint8_t *out,
                                                      size_t outcap,
                                                      const imsms_mikey_sp_param *params,
                                                      size_t n);

/**
 * @struct
 *
 * An SRTP policy with every RFC 3830 6.10.1 (and RFC 4771, RFC 7714)
 * parameter resolved: the value sent, or the default when absent.
 */
typedef struct imsms_mikey_srtp_policy {
  uint8_t encr_alg;       /**< 0 NULL, 1 AES-CM, 2 AES-F8, 6 AES-GCM; default 1 */
  uint8_t encr_key_len;   /**< default 16 */
  uint8_t auth_alg;       /**< 0 NULL, 1 HMAC-SHA-1; default 1 */
  uint8_t auth_key_len;   /**< default 20 */
  uint8_t salt_len;       /**< default 14 */
  uint8_t prf;            /**< 0 AES-CM; default 0 */
  /**
   * Key derivation rate byte as received; default 0, one derivation
   * (RFC 3711 kdr 0). RFC 3830 does not say how other values encode the
   * rate; nothing in this library converts it (reading n as 2^n, as SDES
   * KDR=n does, is the caller's choice).
   */
  uint8_t kdr;
  uint8_t srtp_encr;      /**< default 1 (on) */
  uint8_t srtcp_encr;     /**< default 1 (on) */
  uint8_t fec_order;      /**< default 0 (FEC-SRTP) */
  uint8_t srtp_auth;      /**< default 1 (on) */
  uint8_t auth_tag_len;   /**< bytes; default 10 */
  uint8_t prefix_len;     /**< bytes; default 0 */
  uint16_t roc_rate;      /**< RFC 4771; default 1 */
  uint8_t srtp_auth_alg;  /**< RFC 4771; default |auth_alg| */
  uint8_t srtcp_auth_alg; /**< RFC 4771; default |auth_alg| */
  uint8_t srtp_auth_key_len;  /**< default |auth_key_len| */
  uint8_t srtcp_auth_key_len; /**< default |auth_key_len| */
  uint8_t srtp_auth_tag_len;  /**< default |auth_tag_len| */
  uint8_t srtcp_auth_tag_len; /**< default |auth_tag_len| */
  uint8_t aead_tag_len;       /**< RFC 7714; default 16 */
  /** Bit n set when parameter type n was present in the payload. */
  uint32_t present;
} imsms_mikey_srtp_policy;

/**
 * @function
 *
 * Resolves the SRTP policy carried in |sp|: starts from the defaults,
 * applies each parameter (each must have the length its type implies:
 * 1 byte, 2 bytes for the ROC transmission rate), and rejects a repeated
 * type or an unknown one.
 *
 * Returns 0, IMSMS_ERR_MIKEY_SP (|sp| is not SRTP),
 * IMSMS_ERR_MIKEY_SP_PARAM (unknown, repeated or wrong-length
 * parameter) or IMSMS_ERR_MIKEY_LENGTH (malformed TLV list).
 */
IMSMS_EXTERN int imsms_mikey_srtp_policy_parse(imsms_mikey_srtp_policy *pol,
                                               const imsms_mikey_sp *sp) IMSMS_WUR;

/**
 * @function
 *
 * Maps a library error code to the MIKEY Error payload number a peer
 * should receive (for example IMSMS_ERR_MIKEY_AUTH to Auth failure,
 * IMSMS_ERR_MIKEY_STALE to Invalid TS), or IMSMS_MIKEY_ERR_UNSPECIFIED
 * for codes without a closer match.
 */
IMSMS_EXTERN int imsms_mikey_err_from_error(int error_code);

/**
 * @function
 *
 * The MIKEY PRF (RFC 3830 4.1.2): |inkey| split into 256-bit chunks,
 * P(chunk, |label|) computed with HMAC-SHA-1 (|prf_func| 0, MIKEY-1,
 * 160-bit blocks) or HMAC-SHA-256 (1, PRF-HMAC-SHA-256, RFC 6043, 256-bit
 * blocks) for each, the results XOR-ed, the first |outlen| bytes
 * written to |out|.
 *
 * Returns 0 or one of the following negative error codes (|out| is wiped
 * on failure):
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     |ctx| or |out| is NULL, a pointer is NULL with a nonzero length,
 *     |inkeylen| or |outlen| is 0.
 * IMSMS_ERR_MIKEY_PRF
 *     |prf_func| is neither 0 nor 1.
 * IMSMS_ERR_TOO_LARGE
 *     |inkeylen| exceeds 256 bytes, |labellen| 65803 bytes (the longest
 *     RFC 6043 label) or |outlen|
 *     1024 bytes.
 * IMSMS_ERR_NOMEM, IMSMS_ERR_CRYPTO
 *     The crypto provider failed.
 */
IMSMS_EXTERN int imsms_mikey_prf(imsms_ctx *ctx, int prf_func,
                                 const uint8_t *inkey, size_t inkeylen,
                                 const uint8_t *label, size_t labellen,
                                 uint8_t *out, size_t outlen);


/* ------------------------------------------------------------------ */
/* Replay protection (RFC 3830 5.3, 5.4)                               */

/**
 * @functypedef
 *
 * A replay check the application provides. |id| identifies one
 * authenticated message (its MAC value), |t| is the message timestamp as
 * an NTP 32.32 value, |now| the current time. Returns 0 and remembers the
 * message when it is new, IMSMS_ERR_MIKEY_REPLAY when it was seen before
 * (or cannot be told apart from one that was).
 */
typedef int (*imsms_replay_cb)(const uint8_t *id, size_t idlen,
                               imsms_tstamp t, imsms_tstamp now,
                               void *user_data);

/**
 * @struct
 *
 * The bounded in-memory replay cache. Opaque. One thread at a time.
 */
typedef struct imsms_replay imsms_replay;

/**
 * @function
 *
 * Creates a replay cache in |*prc| that holds at most |capacity| messages
 * (rounded up to a power of two, at least 16). Memory is allocated once,
 * here: a flood of messages never grows it. When the cache is full the
 * oldest entry is dropped and its timestamp becomes a floor: messages
 * stamped at or before the floor are refused as replays, so dropping an
 * entry never lets its message back in. Entries older than |now| minus
 * the skew window are dropped first (see imsms_replay_check()).
 *
 * Returns 0, IMSMS_ERR_INVALID_ARGUMENT (NULL, or |capacity| over 2^24)
 * or IMSMS_ERR_NOMEM.
 */
IMSMS_EXTERN int imsms_replay_new(imsms_replay **prc, imsms_ctx *ctx,
                                  size_t capacity, uint32_t skew_sec);

/** @function Frees |rc|; NULL is ignored. */
IMSMS_EXTERN void imsms_replay_del(imsms_replay *rc);

/**
 * @function
 *
 * The check of a message with timestamp |t| and identifier |id| (at least
 * 16 bytes; the first 16 are kept: MAC values are uniform, and 128 bits
 * make a collision negligible) at time |now|: an imsms_replay_cb whose
 * |user_data| is the cache. Entries that can no longer pass the skew
 * check are dropped first (raising the floor), whatever the outcome.
 * Returns 0 (new, remembered), IMSMS_ERR_MIKEY_REPLAY, or
 * IMSMS_ERR_INVALID_ARGUMENT.
 */
IMSMS_EXTERN int imsms_replay_check(const uint8_t *id, size_t idlen,
                                    imsms_tstamp t, imsms_tstamp now,
                                    void *rc) IMSMS_WUR;

/* ------------------------------------------------------------------ */
/* RFC 3830 pre-shared key mode                                       */

/**
 * @struct
 *
 * Inputs of a PSK I_MESSAGE (RFC 3830 3.1, 5.1.1): HDR, T, RAND, [IDi],
 * [IDr], {SP}, KEMAC. A CSB update (RFC 3830 4.5) leaves |rand| NULL: the
 * message then has no RAND and its keys come from the RAND of the
 * initial exchange, given as |update_rand|.
 */
typedef struct imsms_mikey_psk_init {
  uint32_t csb_id;
  uint8_t v;        /**< 1: the Responder shall send a verification message */
  uint8_t prf_func; /**< IMSMS_MIKEY_PRF_MIKEY_1 */
  uint8_t encr_alg; /**< imsms_mikey_encr_alg */
  uint8_t mac_alg;  /**< imsms_mikey_mac_alg */
  imsms_tstamp t;   /**< sent as NTP-UTC */
  const uint8_t *rand;
  size_t rand_len;
  const uint8_t *update_rand; /**< the initial RAND, for a CSB update */
  size_t update_rand_len;
  uint8_t idi_type; /**< imsms_mikey_id_type */
  const uint8_t *idi;
  size_t idi_len;
  uint8_t idr_type;
  const uint8_t *idr;
  size_t idr_len;
  uint8_t map_type; /**< IMSMS_MIKEY_MAP_SRTP_ID (RFC 3830) */
  const imsms_mikey_cs *cs;
  size_t ncs;
  const imsms_mikey_sp *sp;
  size_t nsp;
  const imsms_mikey_keydata *keys; /**< TGKs and TEKs, in the clear */
  size_t nkeys;
} imsms_mikey_psk_init;

/**
 * @function
 *
 * Builds the I_MESSAGE for |p| under |psk|: keys from the PSK (RFC 3830
 * 4.1.4, RAND and CSB ID in the label), the key data encrypted into the
 * KEMAC (AES-CM IV from the salt, CSB ID and T), the MAC over the whole
 * message. Key material on the stack is wiped.
 *
 * Returns the message length, or IMSMS_ERR_INVALID_ARGUMENT (NULL pointers,
 * no RAND, a RAND over 255 bytes), IMSMS_ERR_NOBUF, IMSMS_ERR_MIKEY_PRF,
 * IMSMS_ERR_MIKEY_ENCR_ALG, IMSMS_ERR_MIKEY_MAC_ALG, IMSMS_ERR_MIKEY_LENGTH
 * (for AES-KW-128 the key data chain must be a multiple of 8 bytes and at
 * least 16: RFC 3830 defines no padding), IMSMS_ERR_MIKEY_MAP,
 * IMSMS_ERR_MIKEY_KEY_DATA, IMSMS_ERR_TOO_LARGE (map over 4096 bytes, key
 * data over 1024, PSK over 256), or a provider error. To send only a
 * Responder identity, also send IDi: a lone ID payload is read as IDi.
 */
IMSMS_EXTERN imsms_ssize imsms_mikey_psk_init_encode(imsms_ctx *ctx,
                                                     const uint8_t *psk,
                                                     size_t psklen,
                                                     const imsms_mikey_psk_init *p,
                                                     uint8_t *out,
                                                     size_t outcap);

/**
 * @struct
 *
 * How a received message is checked. Zero-initialise, then set fields.
 */
typedef struct imsms_mikey_verify_opts {
  /** Allowed difference between T and now, in seconds; 0 means 300. */
  uint32_t skew_sec;
  /** Replay check; NULL skips it (the caller then must do its own). */
  imsms_replay_cb replay;
  void *replay_data;
  /**
   * Accept NULL encryption and NULL MAC (RFC 3830 4.2.3: only when the
   * signalling is protected end to end). Off by default.
   */
  int allow_null;
  /** For a CSB update (no RAND payload): the initial exchange's RAND. */
  const uint8_t *update_rand;
  size_t update_rand_len;
} imsms_mikey_verify_opts;

/**
 * @struct
 *
 * A verified I_MESSAGE: the decoded message, its fields, and where its
 * decrypted key data chain lies in the caller's key buffer (walk it with
 * imsms_mikey_keydata_decode()). Views point into the input and the key
 * buffer; the caller wipes the key buffer.
 */
typedef struct imsms_mikey_psk_verified {
  imsms_mikey_msg msg;
  imsms_tstamp t;
  uint8_t ts_type;     /**< NTP-UTC or NTP, echoed by the verification message */
  const uint8_t *rand; /**< the RAND used for the keys */
  size_t rand_len;
  const uint8_t *idi;
  size_t idi_len;
  const uint8_t *idr;
  size_t idr_len;
  uint8_t encr_alg;
  uint8_t mac_alg;
  size_t keys_len;
} imsms_mikey_psk_verified;

/**
 * @function
 *
 * Checks an I_MESSAGE: decode, the timestamp against |now| and the skew
 * window, the MAC under keys from |psk|, the decryption of the KEMAC into
 * |keybuf| and the key data chain in it, and last the replay check, so
 * that only authenticated, well-formed messages enter the replay cache
 * (RFC 3830 5.3 checks the cache before the MAC; the outcome is the same
 * and a forged message cannot fill the cache).
 *
 * Returns 0 or a negative error code; on error |keybuf| is wiped and no
 * state (the replay cache included) has changed:
 *
 * IMSMS_ERR_MIKEY_UNEXPECTED
 *     Not a PSK I_MESSAGE (data type 0).
 * IMSMS_ERR_INVALID_ARGUMENT
 *     NULL pointers.
 * IMSMS_ERR_MIKEY_MISSING
 *     T or KEMAC missing, KEMAC not last, RAND missing without an update
 *     RAND, or a payload that may appear once appears twice.
 * IMSMS_ERR_MIKEY_TOO_MANY
 *     More than 40 payloads.
 * IMSMS_ERR_MIKEY_LENGTH
 *     An AES-KW ciphertext of a length key wrap cannot produce.
 * IMSMS_ERR_MIKEY_TS_TYPE, IMSMS_ERR_MIKEY_STALE
 *     T is not an NTP timestamp, or is outside the window.
 * IMSMS_ERR_MIKEY_PRF, IMSMS_ERR_MIKEY_ENCR_ALG, IMSMS_ERR_MIKEY_MAC_ALG
 *     An algorithm is unsupported (or NULL, unless allowed).
 * IMSMS_ERR_MIKEY_AUTH
 *     The MAC is wrong (or the AES-KW integrity check failed).
 * IMSMS_ERR_TOO_LARGE
 *     A PSK over 256 bytes.
 * IMSMS_ERR_MIKEY_REPLAY
 *     The replay check refused it.
 * IMSMS_ERR_NOBUF
 *     |keycap| is smaller than the key data.
 * IMSMS_ERR_MIKEY_KEY_DATA, IMSMS_ERR_TRUNCATED
 *     The decrypted key data does not parse.
 * and every error of imsms_mikey_decode().
 */
IMSMS_EXTERN int imsms_mikey_psk_init_verify(imsms_ctx *ctx,
                                             const uint8_t *psk, size_t psklen,
                                             const uint8_t *in, size_t inlen,
                                             imsms_tstamp now,
                                             const imsms_mikey_verify_opts *opts,
                                             uint8_t *keybuf, size_t keycap,
                                             imsms_mikey_psk_verified *out)
    IMSMS_WUR;

/**
 * @function
 *
 * Builds the verification message (RFC 3830 5.1.2, data type 1) that
 * answers the verified I_MESSAGE |init|: HDR (CSB ID, PRF and map copied,
 * V 0), T (the Initiator's, as RFC 3830 has it), [IDr] when |idr| is not
 * NULL, V with |mac_alg|. The MAC covers the message without the MAC
 * value, then the ID data of IDi and IDr of the I_MESSAGE and its T
 * value (8 bytes), keyed with the auth key from |psk| and the I_MESSAGE's
 * RAND.
 *
 * Returns the message length or a negative error code, as
 * imsms_mikey_psk_init_encode().
 */
IMSMS_EXTERN imsms_ssize imsms_mikey_psk_resp_encode(imsms_ctx *ctx,
                                                     const uint8_t *psk,
                                                     size_t psklen,
                                                     const imsms_mikey_psk_verified *init,
                                                     uint8_t idr_type,
                                                     const uint8_t *idr,
                                                     size_t idrlen,
                                                     uint8_t mac_alg,
                                                     uint8_t *out,
                                                     size_t outcap);

/**
 * @function
 *
 * Checks a verification message |resp| against the I_MESSAGE |init| the
 * caller sent: data type 1, same CSB ID, T equal to the I_MESSAGE's, V
 * present with the MAC described at imsms_mikey_psk_resp_encode().
 * NULL MAC is accepted only with |opts|->allow_null. For a CSB update
 * (an I_MESSAGE without RAND) |opts|->update_rand gives the RAND. An
 * Error message is reported as IMSMS_ERR_MIKEY_PEER_ERROR without
 * checking its V: the exchange failed either way.
 *
 * Returns 0, IMSMS_ERR_MIKEY_UNEXPECTED, IMSMS_ERR_MIKEY_CSB_ID,
 * IMSMS_ERR_MIKEY_STALE (T differs), IMSMS_ERR_MIKEY_MISSING,
 * IMSMS_ERR_MIKEY_MAC_ALG, IMSMS_ERR_MIKEY_AUTH, IMSMS_ERR_MIKEY_PEER_ERROR
 * (the peer sent an Error message), or a decode error.
 */
IMSMS_EXTERN int imsms_mikey_psk_resp_verify(imsms_ctx *ctx,
                                             const uint8_t *psk, size_t psklen,
                                             const uint8_t *init,
                                             size_t initlen,
                                             const uint8_t *resp,
                                             size_t resplen,
                                             const imsms_mikey_verify_opts *opts)
    IMSMS_WUR;

/**
 * @function
 *
 * Builds an RFC 3830 Error message (5.1.2, data type 6; for MIKEY-TICKET
 * exchanges, whose keys come from RANDR payloads with the RFC 6043 labels,
 * the KMS engine builds its own): HDR with
 * version, PRF and CSB ID of the failed message |failed| (V 0), T = |now|
 * (NTP-UTC), one ERR payload per number in |errs|, then the SPs in |sp|
 * (the policies this side supports, when SPs were refused). When |psk| is
 * given and |failed| carried a RAND, V is added with |mac_alg| under the
 * auth key of the failed message; otherwise no V (RFC 3830 5.1.2 leaves
 * it optional, and a message that failed authentication must not be
 * answered with a MAC under a key it did not prove).
 *
 * The function cannot know whether |failed| was authenticated: after an
 * authentication failure pass |psk| NULL.
 *
 * Returns the message length, IMSMS_ERR_INVALID_ARGUMENT (no error
 * numbers, or more than 38 ERR and SP payloads together), IMSMS_ERR_NOBUF,
 * IMSMS_ERR_MIKEY_MAP (the failed message's map type is unknown),
 * IMSMS_ERR_MIKEY_PRF (its PRF is unknown and a PSK was given), or a
 * provider error.
 */
IMSMS_EXTERN imsms_ssize imsms_mikey_error_encode(imsms_ctx *ctx,
                                                  const imsms_mikey_msg *failed,
                                                  imsms_tstamp now,
                                                  const uint8_t *errs,
                                                  size_t nerrs,
                                                  const imsms_mikey_sp *sp,
                                                  size_t nsp,
                                                  const uint8_t *psk,
                                                  size_t psklen,
                                                  uint8_t mac_alg,
                                                  uint8_t *out,
                                                  size_t outcap);

#ifdef __cplusplus
}
#endif

#endif /* IMSMEDIASEC_MIKEY_H */
