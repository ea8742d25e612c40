/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Labels for the MIKEY PRF (see mikey/prf.h): one builder per label
 * family of RFC 3830 section 4.1 and RFC 6043 section 5.1 and Appendix
 * A.2. A label is what makes keys derived from one inkey independent, so
 * each family writes its fields in exactly the RFC's order and widths;
 * a single misplaced byte gives a key the peer never derives.
 *
 * Every builder writes into |out| (room for |cap| bytes), writes nothing
 * unless the whole label fits, and returns the label length, or one of
 * the following negative error codes:
 *
 * IMSMS_ERR_INVALID_ARGUMENT
 *     A pointer is NULL with a nonzero length, |out| is NULL with a
 *     nonzero |cap|, a RAND is longer than IMSMS_LABEL_MAX_RAND bytes or
 *     ID Data longer than IMSMS_LABEL_MAX_ID bytes.
 * IMSMS_ERR_NOBUF
 *     |cap| is less than the label length.
 *
 * RANDs are passed as the RAND value alone (RFC 6043 sections 5.1 and
 * A.2: only the RAND length and RAND fields of a RAND or RANDR payload
 * enter a label, never the payload header). A RAND the exchange leaves
 * out is passed as NULL with length 0. The builders do not judge RAND
 * lengths (RFC 3830 asks for at least 128 bits, RFC 6043 section 12.1
 * relates them to key lengths): that is the exchange's policy.
 */
#ifndef IMSMS_MIKEY_LABELS_H
#define IMSMS_MIKEY_LABELS_H

#include <imsmediasec/imsmediasec.h>

/*
 * Label constants: consecutive nine-digit chunks of the decimal digits of
 * e (RFC 3830 section 4.1.3), so that no constant hides a chosen value.
 */

/* Keys from a TGK, TGK' or GTGK (RFC 3830 4.1.3, RFC 6043 5.1.3). */
#define IMSMS_LABEL_TEK 0x2AD01C64u  /* 718281828 */
#define IMSMS_LABEL_AUTH 0x1B5C7973u /* 459045235 */
#define IMSMS_LABEL_ENCR 0x15798CEFu /* 360287471 */
#define IMSMS_LABEL_SALT 0x39A2C14Bu /* 966967627 */

/*
 * Keys protecting MIKEY messages and tickets, from an envelope key, PSK,
 * MPKi, MPKr' or TPK (RFC 3830 4.1.4, RFC 6043 5.1.2 and A.2.1), and the
 * Vr key from MPKr (RFC 6043 6.10).
 */
#define IMSMS_LABEL_ENV_ENCR 0x150533E1u /* 352662497 */
#define IMSMS_LABEL_ENV_AUTH 0x2D22AC75u /* 757247093 */
#define IMSMS_LABEL_ENV_SALT 0x29B88916u /* 699959574 */

/* Forked keys (RFC 6043 5.1.1). */
#define IMSMS_LABEL_MPKR_FORK 0x2B288856u /* 724076630: MPKr' */
#define IMSMS_LABEL_TGK_FORK 0x1512B54Au  /* 353547594: TGK' */

/* MPKi and MPKr from the base ticket's MPK (RFC 6043 A.2.2). */
#define IMSMS_LABEL_MPKI 0x220E99A2u /* 571382178 */
#define IMSMS_LABEL_MPKR 0x1F4D675Bu /* 525166427 */

/* A RAND's length travels in 8 bits (the RAND and RANDR payloads). */
#define IMSMS_LABEL_MAX_RAND 255
/* ID Data's length travels in 16 bits in the fork label. */
#define IMSMS_LABEL_MAX_ID 65535

/*
 * Rewrites the leading 32-bit constant of a built label of any family
 * here (every one starts with it), so that the labels of keys that differ
 * only in their constant (encr, salt, auth) are built once.
 */
static inline void imsms_label_set_constant(uint8_t *label,
                                            uint32_t constant) {
  label[0] = (uint8_t)(constant >> 24);
  label[1] = (uint8_t)(constant >> 16);
  label[2] = (uint8_t)(constant >> 8);
  label[3] = (uint8_t)constant;
}

/*
 * A practical size for callers' stack buffers: the longest label of every
 * family but forking, with every RAND at its 255-byte maximum (a 6043
 * message or TGK label carrying both RANDRi and RANDRr). A peer chooses
 * RAND lengths, so a smaller buffer would let it make derivation fail.
 * The fork label, 4 + 1 + 4 + 1 + 2 + |idlen| + 1 + |rkmslen| bytes, only
 * fits for ID Data of up to 509 - |rkmslen| bytes (about 490 with a
 * 16-byte RANDRkms); size its buffer from that formula (at most 65803
 * bytes) when IDs may be longer.
 */
#define IMSMS_LABEL_MAX_LEN (4 + 1 + 4 + 1 + 1 + 255 + 1 + 255)

/*
 * RFC 3830 4.1.3, keys from a TGK:
 * |constant| (32) || |cs_id| (8) || |csb_id| (32) || RAND.
 * The CS ID ties each crypto session of the bundle to its own TEK.
 */
imsms_ssize imsms_label_tgk_3830(uint8_t *out, size_t cap, uint32_t constant,
                                 uint8_t cs_id, uint32_t csb_id,
                                 const uint8_t *rand, size_t randlen);

/*
 * RFC 3830 4.1.4, keys protecting MIKEY messages from an envelope key or
 * PSK: |constant| || 0xFF || |csb_id| || RAND. The 0xFF fills the CS ID
 * position: message keys belong to the whole bundle, not to one crypto
 * session (the constants already keep the two families apart).
 */
imsms_ssize imsms_label_env_3830(uint8_t *out, size_t cap, uint32_t constant,
                                 uint32_t csb_id, const uint8_t *rand,
                                 size_t randlen);

/*
 * RFC 6043 5.1.2, keys protecting Request, Resolve and Transfer messages
 * (from a PSK, envelope key, MPKi or MPKr'):
 * |constant| || 0xFF || |csb_id| || 0x01 (initial) or 0x02 (|response|
 * nonzero) || len8(RANDRi) || RANDRi || len8(RANDRr) || RANDRr.
 * Which RANDs enter depends on the exchange (Request: RANDRi; Resolve:
 * RANDRr; TRANSFER_RESP: RANDRr only with the G flag); an absent one is
 * its length byte 0x00 alone. The 0x01/0x02 byte keeps a reflected
 * initial message from verifying as a response.
 */
imsms_ssize imsms_label_msg_6043(uint8_t *out, size_t cap, uint32_t constant,
                                 uint32_t csb_id, int response,
                                 const uint8_t *ri, size_t rilen,
                                 const uint8_t *rr, size_t rrlen);

/*
 * RFC 6043 5.1.3, session keys from a TGK, TGK' or GTGK in the Transfer
 * exchange: |constant| || |cs_id| || 0xFFFFFFFF || 0x03 ||
 * len8(RANDRi) || [RANDRi] || len8(RANDRr) || [RANDRr].
 * 0xFFFFFFFF stands where RFC 3830 has the CSB ID: a ticket's TGK serves
 * whatever CSB the Transfer exchange sets up. RANDRi is passed only with
 * the TP's H flag, RANDRr only with its G flag (NULL, 0 otherwise).
 */
imsms_ssize imsms_label_tgk_6043(uint8_t *out, size_t cap, uint32_t constant,
                                 uint8_t cs_id, const uint8_t *ri,
                                 size_t rilen, const uint8_t *rr,
                                 size_t rrlen);

/*
 * RFC 6043 5.1.1, forked MPKr' and TGK' (KMS and Initiator, with the I
 * flag): |constant| || 0xFF || 0xFFFFFFFF || 0x00 || len16(ID Data) ||
 * ID Data || len8(RANDRkms) || RANDRkms. ID Data is that of the IDRr in
 * RESOLVE_RESP and TRANSFER_RESP: forking binds the responder's keys to
 * its identity, so one responder cannot impersonate another.
 */
imsms_ssize imsms_label_fork_6043(uint8_t *out, size_t cap, uint32_t constant,
                                  const uint8_t *iddata, size_t idlen,
                                  const uint8_t *rkms, size_t rkmslen);

/*
 * RFC 6043 A.2.1, base-ticket encr, auth and salt keys from the TPK:
 * |constant| || 0xFF || 0xFFFFFFFF || 0x05 || len8(RAND) || RAND, with
 * the RAND of the Ticket Data.
 */
imsms_ssize imsms_label_tpk_6043(uint8_t *out, size_t cap, uint32_t constant,
                                 const uint8_t *rand, size_t randlen);

/*
 * RFC 6043 A.2.2, MPKi and MPKr from the base ticket's MPK:
 * |constant| || 0xFF || 0xFFFFFFFF || 0x06 || len8(RAND) || RAND.
 */
imsms_ssize imsms_label_mpk_6043(uint8_t *out, size_t cap, uint32_t constant,
                                 const uint8_t *rand, size_t randlen);

/*
 * RFC 6043 6.10, the Vr auth_key from the unforked MPKr:
 * 0x2D22AC75 || 0xFF || 0xFFFFFFFF || 0x04 (10 bytes). The RFC allows
 * any RFC 3830 4.1.4 constant here, but Vr is a MAC and nothing else is
 * derived with this label, so the constant is fixed to the auth one.
 */
imsms_ssize imsms_label_vr_6043(uint8_t *out, size_t cap);

#endif /* IMSMS_MIKEY_LABELS_H */
