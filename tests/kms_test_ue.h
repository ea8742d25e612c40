/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A minimal UE for the KMS tests: the Initiator's side of the Ticket
 * Request exchange and the Responder's side of the Ticket Resolve
 * exchange (RFC 6043 4.2.1, 4.2.3), PSK variants, built from the public
 * codec and the internal protection helpers (mikey/protect.h) rather
 * than from the engine, so that the engine is checked against an
 * independent reading of the messages. No state machine, no Transfer
 * exchange.
 */
#ifndef IMSMS_KMS_TEST_UE_H
#define IMSMS_KMS_TEST_UE_H

#include <imsmediasec/kms.h>

#define KMS_UE_MAX_KEYS 8
#define KMS_UE_MSG 8192
#define KMS_UE_MAX_KEY 64

/* Who the UE is and how it builds its initial messages. */
typedef struct kms_ue {
  imsms_ctx *ctx;
  uint8_t prf_func;
  /* V MAC algorithm; 0 means the PRF's own (RFC 6043 12.1 set). */
  uint8_t mac_alg;
  /* IDRi (Request) or IDRr (Resolve); |len| 0: left out. */
  imsms_id id;
  /* IDRkms sent; |len| 0: left out, and |mac_kms| goes into the MAC. */
  imsms_id kms;
  imsms_id mac_kms;
  /* IDRpsk; |len| 0: left out. */
  imsms_id idrpsk;
  const uint8_t *psk;
  size_t psklen;
  uint32_t csb_id;
  /* Nonzero: send |tp_flags| in the TP header instead of the policy's. */
  int force_tp_flags;
  uint16_t tp_flags;
  /*
   * Nonzero: leave a forking ticket as the KMS issued it. By default
   * kms_ue_request_resp() adds the Initiator Data (First Payload, Vi, Vr)
   * an Initiator adds before TRANSFER_INIT, as the resolve needs it.
   */
  int no_initiator_data;
} kms_ue;

/* An initial message as sent, kept to check the answer. */
typedef struct kms_ue_init {
  uint8_t msg[KMS_UE_MSG];
  size_t len;
  uint8_t rand[32]; /* RANDRi or RANDRr */
  size_t rand_len;
} kms_ue_init;

typedef struct kms_ue_key {
  uint8_t type;
  uint8_t key[KMS_UE_MAX_KEY];
  size_t key_len;
  uint8_t salt[KMS_UE_MAX_KEY];
  size_t salt_len;
  uint8_t spi[16];
  size_t spi_len;
} kms_ue_key;

/* What an answer gave. */
typedef struct kms_ue_result {
  kms_ue_key mpki;
  kms_ue_key mpkr; /* MPKr (Request) or MPKr' (Resolve); key_len 0: none */
  kms_ue_key keys[KMS_UE_MAX_KEYS];
  size_t nkeys;
  imsms_tstamp t;
  /* REQUEST_RESP: the TICKET payload as received (next byte included). */
  uint8_t ticket[KMS_UE_MSG];
  size_t ticket_len;
  uint16_t ticket_flags;
  /* RESOLVE_RESP: IDRr and RANDRkms (len 0 when absent). */
  imsms_id idrr;
  uint8_t idrr_buf[512];
  uint8_t randrkms[255];
  size_t randrkms_len;
  /* An Error message: its first ERR number (else -1), and whether its V
   * was present and verified with the initial message's auth key. */
  int error_no;
  int error_v;
} kms_ue_result;

/*
 * REQUEST_INIT_PSK = HDR, T, RANDRi, [IDRi], [IDRkms], TP, [IDRpsk], V
 * asking for |tp| (template included) at time |t|. Returns 0 or an error.
 */
int kms_ue_request_init(const kms_ue *ue, const imsms_tp *tp, imsms_tstamp t,
                        kms_ue_init *init);

/*
 * RESOLVE_INIT_PSK = HDR, T, RANDRr, [IDRr], [IDRkms], TICKET, [IDRpsk], V
 * around the TICKET payload bytes |ticket| (|len| bytes, as received in
 * REQUEST_RESP; its first byte, the next-payload byte, is rewritten), so
 * that a test can send any bytes as the ticket with a valid MAC.
 */
int kms_ue_resolve_init(const kms_ue *ue, const uint8_t *ticket, size_t len,
                        imsms_tstamp t, kms_ue_init *init);

/*
 * Checks REQUEST_RESP |resp| to |init| (V under the response key from
 * the PSK and RANDRi, over REQUEST_RESP || REQUEST_INIT), decrypts the
 * KEMAC and fills |res|. An Error message gives
 * IMSMS_ERR_MIKEY_PEER_ERROR with |res->error_no| and |res->error_v|.
 */
int kms_ue_request_resp(const kms_ue *ue, const kms_ue_init *init,
                        const uint8_t *resp, size_t len, kms_ue_result *res);

/* Checks RESOLVE_RESP |resp| to |init| likewise (RANDRr). */
int kms_ue_resolve_resp(const kms_ue *ue, const kms_ue_init *init,
                        const uint8_t *resp, size_t len, kms_ue_result *res);

/* The TICKET payload of |res| decoded into |t| (views into |res|). */
int kms_ue_ticket(const kms_ue_result *res, imsms_mikey_ticket *t);

#endif /* IMSMS_KMS_TEST_UE_H */
