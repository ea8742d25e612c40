/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The bounded replay cache (RFC 3830 5.4). Open addressing with linear
 * probing, at most half full, backward-shift deletion; a FIFO ring of the
 * same entries decides what to drop. A dropped entry raises the floor
 * below which every timestamp is refused, so memory stays fixed under a
 * flood and no dropped message can be replayed.
 */
#include <string.h>

#include "core/ctx.h"
#include "core/mem.h"

#include <imsmediasec/mikey.h>

#define ID_LEN 16
#define MIN_CAPACITY 16
#define MAX_CAPACITY (1u << 24)

typedef struct entry {
  uint8_t id[ID_LEN];
  imsms_tstamp t;
  int used;
} entry;

struct imsms_replay {
  imsms_ctx *ctx;
  entry *slots;  /* 2 * capacity */
  entry *fifo;   /* capacity, in insertion order */
  size_t capacity;
  size_t head;   /* oldest FIFO entry */
  size_t count;
  imsms_tstamp floor;
  uint64_t skew; /* NTP 32.32 units */
};

static size_t slot_of(const imsms_replay *rc, const uint8_t *id) {
  uint64_t h = 0;
  int i;

  /* Ids are MAC values: already uniform, so their first bytes hash well. */
  for (i = 0; i < 8; i++) {
    h = h << 8 | id[i];
  }
  return (size_t)(h & (2 * rc->capacity - 1));
}

static entry *find(imsms_replay *rc, const uint8_t *id) {
  size_t mask = 2 * rc->capacity - 1, i = slot_of(rc, id);

  for (; rc->slots[i].used; i = (i + 1) & mask) {
    if (memcmp(rc->slots[i].id, id, ID_LEN) == 0) {
      return &rc->slots[i];
    }
  }
  return NULL;
}

/* Removes slot |e| and shifts later members of its cluster back. */
static void remove_slot(imsms_replay *rc, entry *e) {
  size_t mask = 2 * rc->capacity - 1;
  size_t hole = (size_t)(e - rc->slots), i = hole;

  for (;;) {
    size_t home;

    i = (i + 1) & mask;
    if (!rc->slots[i].used) {
      break;
    }
    home = slot_of(rc, rc->slots[i].id);
    /* Move it into the hole if the hole lies on its probe path. */
    if (((i - home) & mask) >= ((i - hole) & mask)) {
      rc->slots[hole] = rc->slots[i];
      hole = i;
    }
  }
  rc->slots[hole].used = 0;
}

static void drop_oldest(imsms_replay *rc) {
  entry *old = &rc->fifo[rc->head];
  entry *e = find(rc, old->id);

  if (e) {
    remove_slot(rc, e);
  }
  if (rc->floor == 0 || (int64_t)(old->t - rc->floor) > 0) {
    rc->floor = old->t;
  }
  rc->head = (rc->head + 1) % rc->capacity;
  rc->count--;
}

static void insert(imsms_replay *rc, const uint8_t *id, imsms_tstamp t) {
  size_t mask = 2 * rc->capacity - 1, i = slot_of(rc, id);
  entry *f = &rc->fifo[(rc->head + rc->count) % rc->capacity];

  for (; rc->slots[i].used; i = (i + 1) & mask) {
  }
  memcpy(rc->slots[i].id, id, ID_LEN);
  rc->slots[i].t = t;
  rc->slots[i].used = 1;
  memcpy(f->id, id, ID_LEN);
  f->t = t;
  f->used = 1;
  rc->count++;
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
  rc->slots = imsms_mem_calloc(&ctx->mem, 2 * cap, sizeof(entry));
  rc->fifo = imsms_mem_calloc(&ctx->mem, cap, sizeof(entry));
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
  if ((rc->floor && (int64_t)(t - rc->floor) <= 0) || find(rc, id) != NULL) {
    return IMSMS_ERR_MIKEY_REPLAY;
  }
  if (rc->count == rc->capacity) {
    drop_oldest(rc);
  }
  insert(rc, id, t);
  return 0;
}
