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

/* Nonzero when |id| is IMSMS_ANONYMOUS_URI (any ID type, exact bytes). */
int imsms_ticket_is_anonymous(const imsms_id *id);

#endif /* IMSMS_TICKET_INT_H */
