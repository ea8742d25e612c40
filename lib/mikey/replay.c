/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The bounded replay cache (RFC 3830 5.4). Open addressing with linear
 * probing, at most half full, backward-shift deletion; a FIFO ring of the
 * same ids with their timestamps decides what to drop. A dropped entry
 * raises the floor below which every timestamp is refused, so memory
 * stays fixed under a flood and no dropped message can be replayed.
 */
#include <string.h>

#include "core/ctx.h"
#include "core/mem.h"
#include "mikey/replay.h"

#include <imsmediasec/mikey.h>

#define ID_LEN 16
#define MIN_CAPACITY 16
#define MAX_CAPACITY (1u << 24)

/*
 * A table slot is the id alone, 16 bytes, four to a cache line: the
 * table is the one part of a check that is cold in cache under load.
 * An all-zero id marks an empty slot; the all-zero id itself (a MAC value
 * is that with probability 2^-128, but the cache takes any bytes) is kept
 * in |zero_held| instead.
 */
typedef struct slot {
  uint8_t id[ID_LEN];
} slot;

typedef struct fifo_entry {
  uint8_t id[ID_LEN];
  imsms_tstamp t;
} fifo_entry;

struct imsms_replay {
  imsms_ctx *ctx;
  slot *slots;       /* 2 * capacity */
  fifo_entry *fifo;  /* capacity, in insertion order */
  size_t capacity;
  size_t head;       /* oldest FIFO entry */
  size_t count;
  int zero_held;     /* the all-zero id is in the cache */
  imsms_tstamp floor;
  uint64_t skew;     /* NTP 32.32 units */
};

static uint64_t half(const uint8_t *id, size_t i) {
  uint64_t v;

  memcpy(&v, id + 8 * i, sizeof(v));
  return v;
}

static int is_zero(const uint8_t *id) {
  return (half(id, 0) | half(id, 1)) == 0;
}

static int same(const uint8_t *a, const uint8_t *b) {
  return ((half(a, 0) ^ half(b, 0)) | (half(a, 1) ^ half(b, 1))) == 0;
}

static size_t slot_of(const imsms_replay *rc, const uint8_t *id) {
  /* Ids are MAC values: already uniform, so their first bytes hash well. */
  return (size_t)(half(id, 0) & (2 * rc->capacity - 1));
}

/* The slot holding |id| (not all zero), or the empty one ending its probe. */
static size_t probe(const imsms_replay *rc, const uint8_t *id) {
  size_t mask = 2 * rc->capacity - 1, i = slot_of(rc, id);

  while (!is_zero(rc->slots[i].id) && !same(rc->slots[i].id, id)) {
    i = (i + 1) & mask;
  }
  return i;
}

static int present(const imsms_replay *rc, const uint8_t *id) {
  return is_zero(id) ? rc->zero_held : !is_zero(rc->slots[probe(rc, id)].id);
}

/* Empties slot |hole| and shifts later members of its cluster back. */
static void remove_slot(imsms_replay *rc, size_t hole) {
  size_t mask = 2 * rc->capacity - 1, i = hole;

  for (;;) {
    size_t home;

    i = (i + 1) & mask;
    if (is_zero(rc->slots[i].id)) {
      break;
    }
    home = slot_of(rc, rc->slots[i].id);
    /* Move it into the hole if the hole lies on its probe path. */
    if (((i - home) & mask) >= ((i - hole) & mask)) {
      rc->slots[hole] = rc->slots[i];
      hole = i;
    }
  }
  memset(rc->slots[hole].id, 0, ID_LEN);
}

static void forget(imsms_replay *rc, const uint8_t *id) {
  size_t i;

  if (is_zero(id)) {
    rc->zero_held = 0;
    return;
  }
  i = probe(rc, id);
  if (!is_zero(rc->slots[i].id)) {
    remove_slot(rc, i);
  }
}

static void drop_oldest(imsms_replay *rc) {
  const fifo_entry *old = &rc->fifo[rc->head];

  forget(rc, old->id);
  if (rc->floor == 0 || (int64_t)(old->t - rc->floor) > 0) {
    rc->floor = old->t;
  }
  rc->head = (rc->head + 1) % rc->capacity;
  rc->count--;
}

/* Remembers |id|, which is not present. */
static void insert(imsms_replay *rc, const uint8_t *id, imsms_tstamp t) {
  fifo_entry *f = &rc->fifo[(rc->head + rc->count) % rc->capacity];

  if (is_zero(id)) {
    rc->zero_held = 1;
  } else {
    memcpy(rc->slots[probe(rc, id)].id, id, ID_LEN);
  }
  memcpy(f->id, id, ID_LEN);
  f->t = t;
  rc->count++;
}

static void prefetch_slot(const imsms_replay *rc, const uint8_t *id) {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(&rc->slots[slot_of(rc, id)]);
#else
  (void)rc;
  (void)id;
#endif
}

/* see mikey/replay.h */
void imsms_replay_prefetch(const imsms_replay *rc, const uint8_t *id,
                           size_t idlen) {
  if (rc == NULL || id == NULL || idlen < ID_LEN) {
    return;
  }
  prefetch_slot(rc, id);
  /* A full cache drops its oldest entry first. */
  if (rc->count == rc->capacity) {
    prefetch_slot(rc, rc->fifo[rc->head].id);
  }
}

/* see imsmediasec/mikey.h */
int imsms_replay_new(imsms_replay **prc, imsms_ctx *ctx, size_t capacity,
                     uint32_t skew_sec) {
  imsms_replay *rc;
  size_t cap = MIN_CAPACITY;

  if (prc == NULL || ctx == NULL || capacity > MAX_CAPACITY) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  while (cap < capacity) {
    cap <<= 1;
  }
  rc = imsms_mem_calloc(&ctx->mem, 1, sizeof(*rc));
  if (rc == NULL) {
    return IMSMS_ERR_NOMEM;
  }
  rc->ctx = ctx;
  rc->capacity = cap;
  rc->skew = (uint64_t)(skew_sec ? skew_sec : 300) << 32;
  rc->slots = imsms_mem_calloc(&ctx->mem, 2 * cap, sizeof(slot));
  rc->fifo = imsms_mem_calloc(&ctx->mem, cap, sizeof(fifo_entry));
  if (rc->slots == NULL || rc->fifo == NULL) {
    imsms_replay_del(rc);
    return IMSMS_ERR_NOMEM;
  }
  *prc = rc;
  return 0;
}

/* see imsmediasec/mikey.h */
void imsms_replay_del(imsms_replay *rc) {
  const imsms_mem *mem;

  if (rc == NULL) {
    return;
  }
  mem = &rc->ctx->mem;
  imsms_mem_free(mem, rc->slots);
  imsms_mem_free(mem, rc->fifo);
  imsms_mem_free(mem, rc);
}

/* see imsmediasec/mikey.h */
int imsms_replay_check(const uint8_t *id, size_t idlen, imsms_tstamp t,
                       imsms_tstamp now, void *user_data) {
  imsms_replay *rc = user_data;

  if (rc == NULL || id == NULL || idlen < ID_LEN) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  /* Entries that can no longer pass the skew check need no room. */
  /* Signed differences: NTP time wraps at the era boundary (2036). */
  while (rc->count &&
         (int64_t)(now - rc->fifo[rc->head].t) > (int64_t)rc->skew) {
    drop_oldest(rc);
  }
  if ((rc->floor && (int64_t)(t - rc->floor) <= 0) || present(rc, id)) {
    return IMSMS_ERR_MIKEY_REPLAY;
  }
  if (rc->count == rc->capacity) {
    drop_oldest(rc);
  }
  insert(rc, id, t);
  return 0;
}
