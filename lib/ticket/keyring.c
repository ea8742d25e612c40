/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The ticket protection key ring: TPKs by 32-bit id, one of them active.
 *
 * Locking. One pthread read-write lock guards the whole ring.
 *  - Readers (imsms_keyring_copy(), for imsms_base_ticket_seal() and
 *    imsms_base_ticket_open()) hold it shared just long enough to copy
 *    one TPK (at most 64 bytes) into the caller's stack buffer; the PRF
 *    and MAC work runs with no lock held, so many KMS threads seal and
 *    open in parallel and a rotation waits for a memcpy, not for a
 *    derivation.
 *  - Writers (add, activate, retire) hold it exclusively. The ring's
 *    context (its allocator and guarded memory) is only used by writers
 *    and by imsms_keyring_new()/_del(), so it is never used by two
 *    threads at once.
 *  - imsms_keyring_del() takes no lock: like any _del, it must not race
 *    with other calls on the ring.
 *
 * Retired ids are remembered, in a sorted array of ids (no key material),
 * so that a retired key can never come back under its old id: tickets it
 * sealed must stay unopenable. Retired keys do not count against the 64
 * live keys, so a KMS can rotate for ever; the array grows by 4 bytes per
 * retirement. Its room is reserved when a key is added (room for every
 * live key to be retired), so retiring never allocates and cannot fail
 * for lack of memory.
 */
#define _POSIX_C_SOURCE 200809L /* pthread_rwlock_t under -std=c11 */

#include <pthread.h>
#include <string.h>

#include "core/ctx.h"
#include "core/mem.h"
#include "ticket/ticket_int.h"

/* First room of the retired-id array. */
#define RETIRED_MIN_CAP 16

typedef struct keyring_key {
  uint32_t id;
  uint8_t *tpk; /* imsms_secret_alloc() */
  size_t len;
} keyring_key;

struct imsms_keyring {
  imsms_ctx *ctx;
  pthread_rwlock_t lock;
  /* Live keys, [0, nkeys), in no particular order. */
  keyring_key keys[IMSMS_KEYRING_MAX_KEYS];
  size_t nkeys;
  /* The active key's id, valid when |has_active|. */
  uint32_t active_id;
  int has_active;
  /* Retired ids, sorted ascending; room for |retired_cap|. */
  uint32_t *retired;
  size_t nretired;
  size_t retired_cap;
};

/* Index of live key |id|, or -1. Caller holds the lock. */
static int find_key(const imsms_keyring *kr, uint32_t id) {
  size_t i;

  for (i = 0; i < kr->nkeys; i++) {
    if (kr->keys[i].id == id) {
      return (int)i;
    }
  }
  return -1;
}

/*
 * Position where |id| is or would be inserted in the retired array;
 * |*found| tells which. Caller holds the lock.
 */
static size_t retired_pos(const imsms_keyring *kr, uint32_t id, int *found) {
  size_t lo = 0, hi = kr->nretired;

  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;

    if (kr->retired[mid] < id) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  *found = lo < kr->nretired && kr->retired[lo] == id;
  return lo;
}

/*
 * Makes room for |need| retired ids: allocate, copy, free (ids are not
 * secret, but the library never reallocs). Caller holds the write lock.
 */
static int retired_reserve(imsms_keyring *kr, size_t need) {
  uint32_t *p;
  size_t cap = kr->retired_cap ? kr->retired_cap : RETIRED_MIN_CAP;

  if (need <= kr->retired_cap) {
    return 0;
  }
  while (cap < need) {
    if (cap > SIZE_MAX / 2 / sizeof(*p)) {
      return IMSMS_ERR_NOMEM;
    }
    cap *= 2;
  }
  p = imsms_mem_malloc(&kr->ctx->mem, cap * sizeof(*p));
  if (p == NULL) {
    return IMSMS_ERR_NOMEM;
  }
  if (kr->nretired) {
    memcpy(p, kr->retired, kr->nretired * sizeof(*p));
  }
  imsms_mem_free(&kr->ctx->mem, kr->retired);
  kr->retired = p;
  kr->retired_cap = cap;
  return 0;
}

/* see imsmediasec/ticket.h */
int imsms_keyring_new(imsms_keyring **pkr, imsms_ctx *ctx) {
  imsms_keyring *kr;

  if (pkr == NULL || ctx == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  kr = imsms_mem_calloc(&ctx->mem, 1, sizeof(*kr));
  if (kr == NULL) {
    return IMSMS_ERR_NOMEM;
  }
  if (pthread_rwlock_init(&kr->lock, NULL) != 0) {
    imsms_mem_free(&ctx->mem, kr);
    return IMSMS_ERR_NOMEM;
  }
  kr->ctx = ctx;
  *pkr = kr;
  return 0;
}

/* see imsmediasec/ticket.h */
void imsms_keyring_del(imsms_keyring *kr) {
  imsms_ctx *ctx;
  size_t i;

  if (kr == NULL) {
    return;
  }
  ctx = kr->ctx;
  for (i = 0; i < kr->nkeys; i++) {
    imsms_secret_free(ctx, kr->keys[i].tpk, kr->keys[i].len);
  }
  imsms_mem_free(&ctx->mem, kr->retired);
  (void)pthread_rwlock_destroy(&kr->lock);
  imsms_mem_free_clear(&ctx->mem, kr, sizeof(*kr));
}

/* The checks of imsms_keyring_add() made under the write lock. */
static int add_locked(imsms_keyring *kr, uint32_t key_id, const uint8_t *tpk,
                      size_t tpklen) {
  keyring_key *k;
  uint8_t *copy;
  int retired, rv;

  (void)retired_pos(kr, key_id, &retired);
  if (retired || find_key(kr, key_id) >= 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (kr->nkeys == IMSMS_KEYRING_MAX_KEYS) {
    return IMSMS_ERR_TOO_LARGE;
  }
  /* Every live key, this one included, can later retire without malloc. */
  rv = retired_reserve(kr, kr->nretired + kr->nkeys + 1);
  if (rv != 0) {
    return rv;
  }
  copy = imsms_secret_alloc(kr->ctx, tpklen);
  if (copy == NULL) {
    return IMSMS_ERR_NOMEM;
  }
  memcpy(copy, tpk, tpklen);
  k = &kr->keys[kr->nkeys++];
  k->id = key_id;
  k->tpk = copy;
  k->len = tpklen;
  if (!kr->has_active) {
    kr->active_id = key_id;
    kr->has_active = 1;
  }
  return 0;
}

/* see imsmediasec/ticket.h */
int imsms_keyring_add(imsms_keyring *kr, uint32_t key_id, const uint8_t *tpk,
                      size_t tpklen) {
  int rv;

  if (kr == NULL || tpk == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (tpklen < IMSMS_KEYRING_MIN_TPK || tpklen > IMSMS_KEYRING_MAX_TPK) {
    return IMSMS_ERR_KEY_LENGTH;
  }
  /* A lock that cannot be taken means misuse (e.g. from a callback). */
  if (pthread_rwlock_wrlock(&kr->lock) != 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  rv = add_locked(kr, key_id, tpk, tpklen);
  (void)pthread_rwlock_unlock(&kr->lock);
  return rv;
}

/* see imsmediasec/ticket.h */
int imsms_keyring_activate(imsms_keyring *kr, uint32_t key_id) {
  int rv = 0;

  if (kr == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (pthread_rwlock_wrlock(&kr->lock) != 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (find_key(kr, key_id) < 0) {
    rv = IMSMS_ERR_TICKET_KEY_UNKNOWN;
  } else {
    kr->active_id = key_id;
    kr->has_active = 1;
  }
  (void)pthread_rwlock_unlock(&kr->lock);
  return rv;
}

/* The work of imsms_keyring_retire() under the write lock. */
static int retire_locked(imsms_keyring *kr, uint32_t key_id) {
  int idx = find_key(kr, key_id), found;
  size_t pos;

  if (idx < 0) {
    return IMSMS_ERR_TICKET_KEY_UNKNOWN;
  }
  if (kr->has_active && kr->active_id == key_id) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  /* Room was reserved by imsms_keyring_add(). */
  pos = retired_pos(kr, key_id, &found);
  if (pos < kr->nretired) {
    memmove(&kr->retired[pos + 1], &kr->retired[pos],
            (kr->nretired - pos) * sizeof(kr->retired[0]));
  }
  kr->retired[pos] = key_id;
  kr->nretired++;
  imsms_secret_free(kr->ctx, kr->keys[idx].tpk, kr->keys[idx].len);
  kr->keys[idx] = kr->keys[--kr->nkeys];
  memset(&kr->keys[kr->nkeys], 0, sizeof(kr->keys[0]));
  return 0;
}

/* see imsmediasec/ticket.h */
int imsms_keyring_retire(imsms_keyring *kr, uint32_t key_id) {
  int rv;

  if (kr == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (pthread_rwlock_wrlock(&kr->lock) != 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  rv = retire_locked(kr, key_id);
  (void)pthread_rwlock_unlock(&kr->lock);
  return rv;
}

/* see ticket/ticket_int.h */
int imsms_keyring_copy(imsms_keyring *kr, int active, uint32_t *key_id,
                       uint8_t *tpk, size_t *tpklen) {
  int idx = -1;

  if (kr == NULL || key_id == NULL || tpk == NULL || tpklen == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (pthread_rwlock_rdlock(&kr->lock) != 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (!active) {
    idx = find_key(kr, *key_id);
  } else if (kr->has_active) {
    idx = find_key(kr, kr->active_id);
  }
  if (idx >= 0) {
    *key_id = kr->keys[idx].id;
    *tpklen = kr->keys[idx].len;
    memcpy(tpk, kr->keys[idx].tpk, kr->keys[idx].len);
  }
  (void)pthread_rwlock_unlock(&kr->lock);
  return idx >= 0 ? 0 : IMSMS_ERR_TICKET_KEY_UNKNOWN;
}
