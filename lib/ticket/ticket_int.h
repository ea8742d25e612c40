/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * What the base ticket (base_ticket.c) needs from the key ring
 * (keyring.c).
 */
#ifndef IMSMS_TICKET_INT_H
#define IMSMS_TICKET_INT_H

#include <imsmediasec/ticket.h>

/* TPK lengths the ring accepts (RFC 6043 12.1: at least 128 bits). */
#define IMSMS_KEYRING_MIN_TPK 16
#define IMSMS_KEYRING_MAX_TPK 64
/* Keys the ring holds at once (retired ones not counted). */
#define IMSMS_KEYRING_MAX_KEYS 64

/*
 * Copies a TPK out of |kr| into |tpk| (room for IMSMS_KEYRING_MAX_TPK
 * bytes) and its length into |*tpklen|: the active key when |active| is
 * nonzero (its id is stored in |*key_id|), otherwise the key |*key_id|.
 *
 * Locking: the copy is made under the ring's read lock, which is held
 * for the copy only; the caller derives its keys from the copy with no
 * lock held, so a slow provider never blocks a rotation. A key retired
 * after the copy was taken still finishes the operation that took it.
 * The caller wipes |tpk| (imsms_secure_clear) on every path.
 *
 * Returns 0, IMSMS_ERR_INVALID_ARGUMENT (NULL), or
 * IMSMS_ERR_TICKET_KEY_UNKNOWN (no active key, or |*key_id| unknown or
 * retired); |tpk| is left untouched on failure.
 */
int imsms_keyring_copy(imsms_keyring *kr, int active, uint32_t *key_id,
                       uint8_t *tpk, size_t *tpklen);

/*
 * imsms_base_ticket_seal() (|initiator| NULL) or
 * imsms_base_ticket_seal_id(), which also hands back the RAND of the
 * Ticket Data in |rand| (room for 255 bytes) and its length in
 * |*randlen|: the KMS derives MPKi and MPKr from it without reading the
 * ticket back.
 *
 * On entry |*randlen| is the number of random bytes the caller has
 * already drawn into |rand| (0: none). The RAND's length is fixed by the
 * active TPK and the MPK (max(TPK, MPK), at least 16 bytes); when the
 * caller's bytes suffice, their first ones are the RAND and no RNG call
 * is made here, so a caller that draws the RAND with its keys pays for
 * one RNG call instead of two (a getrandom() system call each with
 * libsodium, some 200 ns). Otherwise the RAND is drawn here and copied
 * to |rand|. |rand| and |*randlen| are left alone on failure.
 */
imsms_ssize imsms_base_ticket_seal_rand(imsms_ctx *ctx, imsms_keyring *kr,
                                        const imsms_mikey_ticket *hdr,
                                        imsms_tstamp now,
                                        const imsms_mikey_keydata *keys,
                                        size_t nkeys, const imsms_id *initiator,
                                        uint8_t *out, size_t outcap,
                                        uint8_t *rand, size_t *randlen);

/* Nonzero when |id| is IMSMS_ANONYMOUS_URI (any ID type, exact bytes). */
int imsms_ticket_is_anonymous(const imsms_id *id);

#endif /* IMSMS_TICKET_INT_H */
