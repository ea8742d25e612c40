/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * One key ring shared by KMS worker threads while it rotates: four
 * threads, each with its own context, seal and open base tickets for
 * about half a second while a fifth adds keys, activates them and
 * retires old ones. Every open either gives back exactly the keys that
 * were sealed or fails with IMSMS_ERR_TICKET_KEY_UNKNOWN because the key
 * was retired, and a key known to be retired before the open started
 * never opens. Meant to be run under ThreadSanitizer as well.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep, pthreads under -std=c11 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <imsmediasec/ticket.h>

#include "test_util.h"

#define NWORKERS 4
#define HISTORY 8
#define RUN_MS 500
#define LIVE_KEYS 3

static imsms_keyring *ring;
static atomic_int stop;
/* Every key id below this one has been retired. */
static atomic_uint retired_below;
/* Progress the run waits for, whatever the scheduler (or valgrind, which
 * runs one thread at a time) gives: workers that sealed, a rotation. */
static atomic_int sealing_workers, rotated;
static const imsms_tstamp now = (imsms_tstamp)0xeb8a2c80u << 32;
static const uint8_t tp_data[] = {IMSMS_MIKEY_PT_IDR,
                                  0,
                                  IMSMS_MIKEY_IDR_R,
                                  IMSMS_MIKEY_ID_URI,
                                  0,
                                  3,
                                  'b',
                                  'o',
                                  'b'};

typedef struct slot {
  uint8_t td[256];
  size_t len;
  uint32_t seq;
} slot;

typedef struct worker {
  pthread_t th;
  int index;
  long sealed, opened, unknown, bad;
  char why[160];
  slot hist[HISTORY]; /* the last tickets sealed */
  uint32_t nseq;      /* tickets sealed, for hist */
} worker;

typedef struct rotator {
  pthread_t th;
  uint32_t last_id;
  long rotations, bad;
  char why[160];
} rotator;

static void tpk_for(uint32_t id, uint8_t tpk[32]) {
  int i;

  for (i = 0; i < 32; i++) {
    tpk[i] = (uint8_t)(id * 31u + (uint32_t)i);
  }
}

/* MPK and TGK of ticket |seq| of worker |index|. */
static void keys_for(int index, uint32_t seq, uint8_t mpk[16], uint8_t tgk[16],
                     imsms_mikey_keydata kd[2]) {
  static const uint8_t spi[4] = {0, 0, 0, 1};
  int i;

  for (i = 0; i < 16; i++) {
    mpk[i] = (uint8_t)(index * 16 + i);
    tgk[i] = (uint8_t)(seq >> (8 * (i % 4)));
  }
  tgk[0] = (uint8_t)index;
  memset(kd, 0, 2 * sizeof(*kd));
  kd[0].type = IMSMS_MIKEY_KEY_MPK;
  kd[1].type = IMSMS_MIKEY_KEY_TGK;
  kd[0].key = mpk;
  kd[1].key = tgk;
  for (i = 0; i < 2; i++) {
    kd[i].kv = IMSMS_MIKEY_KV_SPI;
    kd[i].key_len = 16;
    kd[i].spi = spi;
    kd[i].spi_len = sizeof(spi);
  }
}

static imsms_mikey_ticket hdr(void) {
  imsms_mikey_ticket h;

  memset(&h, 0, sizeof(h));
  h.ticket_type = IMSMS_MIKEY_TICKET_MIKEY_BASE;
  h.subtype = 1;
  h.version = 1;
  h.prf_func = IMSMS_MIKEY_PRF_HMAC_SHA256;
  h.flags = IMSMS_TP_D | IMSMS_TP_F | IMSMS_TP_H;
  h.tp_data = tp_data;
  h.tp_data_len = sizeof(tp_data);
  return h;
}

static void record(worker *w, const char *what, uint32_t seq, int rv) {
  if (w->bad++ == 0) {
    snprintf(w->why, sizeof(w->why), "worker %d: %s (ticket %u): %s", w->index,
             what, seq, imsms_strerror(rv));
  }
}

/* Opens |s| and checks the outcome against what the ring did before. */
static void check_open(worker *w, imsms_ctx *c, const slot *s) {
  uint8_t mpk[16], tgk[16], plain[128], keys[128];
  imsms_mikey_ticket t = hdr();
  imsms_mikey_keydata kd[2];
  imsms_ticket_info info;
  uint32_t kid = (uint32_t)s->td[3] << 24 | (uint32_t)s->td[4] << 16 |
                 (uint32_t)s->td[5] << 8 | s->td[6];
  unsigned below = atomic_load(&retired_below);
  imsms_ssize plen;
  int rv;

  t.ticket_data = s->td;
  t.ticket_data_len = s->len;
  rv = imsms_base_ticket_open(c, ring, &t, keys, sizeof(keys), &info);
  if (rv == IMSMS_ERR_TICKET_KEY_UNKNOWN) {
    w->unknown++;
    return;
  }
  if (rv != 0) {
    record(w, "open", s->seq, rv);
    return;
  }
  if (kid < below) {
    record(w, "a key retired before the open still opened", s->seq, 0);
    return;
  }
  keys_for(w->index, s->seq, mpk, tgk, kd);
  plen = imsms_mikey_keydata_encode(plain, sizeof(plain), kd, 2);
  if (info.key_id != kid || plen < 0 || info.keys_len != (size_t)plen ||
      memcmp(keys, plain, (size_t)plen) != 0) {
    record(w, "wrong keys", s->seq, 0);
    return;
  }
  w->opened++;
}

static void *work(void *arg) {
  worker *w = arg;
  imsms_mikey_ticket h = hdr();
  slot *hist = w->hist;
  imsms_ctx *c = NULL;
  uint32_t seq = 0;
  int rv;

  rv = imsms_ctx_new(&c, NULL, NULL, NULL, NULL);
  if (rv != 0) {
    record(w, "ctx", 0, rv);
    return NULL;
  }
  while (!atomic_load(&stop)) {
    uint8_t mpk[16], tgk[16];
    imsms_mikey_keydata kd[2];
    slot *s = &hist[seq % HISTORY];
    imsms_ssize n;

    keys_for(w->index, seq, mpk, tgk, kd);
    n = imsms_base_ticket_seal(c, ring, &h, now, kd, 2, s->td, sizeof(s->td));
    if (n < 0) {
      /* There is always an active key: sealing never fails. */
      record(w, "seal", seq, (int)n);
      break;
    }
    s->len = (size_t)n;
    s->seq = seq;
    if (w->sealed++ == 0) {
      atomic_fetch_add(&sealing_workers, 1);
    }
    check_open(w, c, s);
    /* And an older ticket, whose key may have been retired since. */
    if (seq >= HISTORY) {
      check_open(w, c, &hist[(seq * 5 + 3) % HISTORY]);
    }
    seq++;
  }
  w->nseq = seq;
  imsms_ctx_del(c);
  return NULL;
}

static void *rotate(void *arg) {
  rotator *r = arg;
  uint8_t tpk[32];
  uint32_t id;
  int rv;

  for (id = 2; !atomic_load(&stop); id++) {
    tpk_for(id, tpk);
    if ((rv = imsms_keyring_add(ring, id, tpk, sizeof(tpk))) != 0 ||
        (rv = imsms_keyring_activate(ring, id)) != 0 ||
        (id > LIVE_KEYS &&
         (rv = imsms_keyring_retire(ring, id - LIVE_KEYS)) != 0)) {
      if (r->bad++ == 0) {
        snprintf(r->why, sizeof(r->why), "rotation to key %u: %s", id,
                 imsms_strerror(rv));
      }
      break;
    }
    if (id > LIVE_KEYS) {
      atomic_store(&retired_below, id - LIVE_KEYS + 1);
    }
    r->last_id = id;
    r->rotations++;
    atomic_store(&rotated, 1);
  }
  return NULL;
}

START_TEST(test_shared_ring_under_rotation) {
  struct timespec ts = {RUN_MS / 1000, (RUN_MS % 1000) * 1000000L};
  worker w[NWORKERS];
  long nsealed = 0, nopened = 0, nunknown = 0;
  imsms_ctx *ring_ctx = imsms_test_ctx(), *check_ctx;
  uint8_t tpk[32];
  int i, refused_after = 0;
  rotator r;

  atomic_store(&stop, 0);
  atomic_store(&retired_below, 0);
  atomic_store(&sealing_workers, 0);
  atomic_store(&rotated, 0);
  ck_assert_int_eq(imsms_keyring_new(&ring, ring_ctx), 0);
  tpk_for(1, tpk);
  ck_assert_int_eq(imsms_keyring_add(ring, 1, tpk, sizeof(tpk)), 0);
  memset(w, 0, sizeof(w));
  memset(&r, 0, sizeof(r));
  r.last_id = 1;
  for (i = 0; i < NWORKERS; i++) {
    w[i].index = i;
    ck_assert_int_eq(pthread_create(&w[i].th, NULL, work, &w[i]), 0);
  }
  ck_assert_int_eq(pthread_create(&r.th, NULL, rotate, &r), 0);
  nanosleep(&ts, NULL);
  /* At least RUN_MS, and until every thread got going (40 s at most). */
  for (i = 0; i < 4000 && (atomic_load(&sealing_workers) < NWORKERS ||
                           !atomic_load(&rotated));
       i++) {
    struct timespec tick = {0, 10000000L};

    nanosleep(&tick, NULL);
  }
  atomic_store(&stop, 1);
  for (i = 0; i < NWORKERS; i++) {
    ck_assert_int_eq(pthread_join(w[i].th, NULL), 0);
  }
  ck_assert_int_eq(pthread_join(r.th, NULL), 0);
  ck_assert_msg(r.bad == 0, "%s", r.why);
  /*
   * One more rotation that retires every key left: each worker's last
   * tickets must now be refused.
   */
  {
    uint32_t id = r.last_id + 1, old;

    tpk_for(id, tpk);
    ck_assert_int_eq(imsms_keyring_add(ring, id, tpk, sizeof(tpk)), 0);
    ck_assert_int_eq(imsms_keyring_activate(ring, id), 0);
    for (old = r.last_id > LIVE_KEYS ? r.last_id - LIVE_KEYS + 1 : 1; old < id;
         old++) {
      ck_assert_int_eq(imsms_keyring_retire(ring, old), 0);
    }
    atomic_store(&retired_below, id);
  }
  check_ctx = imsms_test_ctx();
  for (i = 0; i < NWORKERS; i++) {
    long before = w[i].unknown;
    uint32_t j;

    for (j = 0; j < HISTORY && j < w[i].nseq; j++) {
      check_open(&w[i], check_ctx, &w[i].hist[j]);
    }
    ck_assert_msg(
        w[i].unknown - before == (w[i].nseq < HISTORY ? w[i].nseq : HISTORY),
        "worker %d: old tickets opened after the last retirement (%s)", i,
        w[i].why);
    refused_after += (int)(w[i].unknown - before);
  }
  imsms_ctx_del(check_ctx);
  imsms_keyring_del(ring);
  imsms_ctx_del(ring_ctx);
  for (i = 0; i < NWORKERS; i++) {
    ck_assert_msg(w[i].bad == 0, "%s", w[i].why);
    ck_assert_int_gt(w[i].sealed, 0);
    nsealed += w[i].sealed;
    nopened += w[i].opened;
    nunknown += w[i].unknown;
  }
  fprintf(stderr,
          "keyring_threads: %ld sealed, %ld opened, %ld refused as retired "
          "(%d after the run), "
          "%ld rotations\n",
          nsealed, nopened, nunknown, refused_after, r.rotations);
  /*
   * The ring really rotated while tickets were opened. (How many opens
   * raced with a retirement depends on the scheduler; the count above
   * includes the refusals after the run, which are certain.)
   */
  ck_assert_int_gt(nopened, 0);
  ck_assert_int_gt(r.rotations, 0);
}
END_TEST

static Suite *keyring_threads_suite(void) {
  Suite *s = suite_create("keyring_threads");
  TCase *tc = tcase_create("rotation");

  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_shared_ring_under_rotation);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return imsms_test_run(keyring_threads_suite(), "keyring_threads");
}
