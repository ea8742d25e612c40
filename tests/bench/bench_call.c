/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * `make bench`, issue 6: the CPU time of one complete call (REQUEST,
 * TRANSFER, RESOLVE, TRANSFER_RESP) split by role, each against its
 * crypto floor measured in the same run, and the calls per second one
 * KMS thread sustains with 100,000 distinct users in its policy.
 *
 * How:
 *  - A KMS engine with the default policy (kms_policy.h) holding
 *    100,000 users, each with its own 32-byte PSK. Every call picks a
 *    caller and a callee from them (a fixed pseudo-random sequence), so
 *    lookups do not hit one hot entry. Each role has its own context,
 *    made once (a phone or a server lives long); the calls are new.
 *  - A call: policy D, E, F, H (TRANSFER_RESP expected, RANDRi), PRF
 *    HMAC-SHA-256, two SRTP sessions and one MSRP TLS session. Time is
 *    taken around every library call and charged to its role:
 *      Initiator  imsms_call_new_initiator + start, REQUEST_RESP,
 *                 TRANSFER_RESP, the keys of the three sessions, del
 *      Responder  imsms_call_new_responder, TRANSFER_INIT, RESOLVE_RESP,
 *                 the keys of the three sessions, del
 *      KMS        imsms_kms_handle for REQUEST_INIT and RESOLVE_INIT.
 *  - The floor: the contexts use a recording crypto provider, which
 *    forwards to imsms_crypto_default() and logs every primitive one
 *    call makes per role (HMAC: hash, key length if re-keyed, bytes; AES-
 *    CTR: key length if re-keyed, bytes; random bytes). The floor of a
 *    role replays its log straight on OpenSSL (HMAC composed over its
 *    digests, RFC 2104 with the pad states kept per key: about 12%
 *    quicker than EVP_MAC, and what the default provider does; EVP_CIPHER)
 *    and libsodium (randombytes_buf): the same primitives on the same
 *    sizes, without the library. ratio = ours / floor.
 *  - Each figure is the median of RUNS runs; the runs alternate ours and
 *    floor so that machine noise hits both.
 *
 * Options: -q (a quick run: fewer calls per run).
 */
#include <openssl/evp.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/call.h>
#include <imsmediasec/kms.h>
#include <imsmediasec/kms_policy.h>

#include "bench.h"

#define NUSERS 100000
#define RUNS 7
#define MSG_MAX 8192
#define SEC ((imsms_tstamp)1 << 32)

enum { ROLE_I, ROLE_R, ROLE_KMS, NROLES };
static const char *const role_name[NROLES] = {"Initiator", "Responder",
                                              "KMS"};

/* ---- The recording provider ------------------------------------------- */

enum { OP_HMAC, OP_AES, OP_RAND, OP_SHA256 };

typedef struct op {
  int kind;
  int alg;       /* HMAC: imsms_hash_alg */
  size_t keylen; /* 0: the key of the previous op on this handle */
  size_t len;
} op;

#define MAX_OPS 512
typedef struct oplog {
  op ops[MAX_OPS];
  size_t n;
} oplog;

static oplog logs[NROLES];
static int role = -1; /* whose log records; -1: none */

/* Per handle: what a recorded op needs to know. */
typedef struct handle {
  const void *h;
  int alg;
  size_t keylen; /* set by setkey, cleared once logged */
  size_t len;
} handle;

#define MAX_HANDLES 256
static handle handles[MAX_HANDLES];
static const imsms_crypto_provider *base;
static imsms_crypto_provider rec;

static handle *find(const void *h, int add) {
  size_t i;

  for (i = 0; i < MAX_HANDLES; i++) {
    if (handles[i].h == h) {
      return &handles[i];
    }
  }
  for (i = 0; add && i < MAX_HANDLES; i++) {
    if (handles[i].h == NULL) {
      memset(&handles[i], 0, sizeof(handles[i]));
      handles[i].h = h;
      return &handles[i];
    }
  }
  fprintf(stderr, "bench_call: too many crypto handles\n");
  exit(2);
}

static void log_op(int kind, int alg, size_t keylen, size_t len) {
  oplog *l;

  if (role < 0) {
    return;
  }
  l = &logs[role];
  if (l->n == MAX_OPS) {
    fprintf(stderr, "bench_call: too many crypto operations\n");
    exit(2);
  }
  l->ops[l->n].kind = kind;
  l->ops[l->n].alg = alg;
  l->ops[l->n].keylen = keylen;
  l->ops[l->n].len = len;
  l->n++;
}

static int r_random(void *st, uint8_t *out, size_t len) {
  log_op(OP_RAND, 0, 0, len);
  return base->random(st, out, len);
}

static int r_hmac_new(void *st, imsms_crypto_hmac **ph, imsms_hash_alg alg) {
  int rv = base->hmac_new(st, ph, alg);

  if (rv == 0) {
    find(*ph, 1)->alg = (int)alg;
  }
  return rv;
}

static int r_hmac_setkey(imsms_crypto_hmac *h, const uint8_t *k, size_t n) {
  handle *x = find(h, 0);

  x->keylen = n;
  x->len = 0;
  return base->hmac_setkey(h, k, n);
}

static int r_hmac_update(imsms_crypto_hmac *h, const uint8_t *in, size_t n) {
  find(h, 0)->len += n;
  return base->hmac_update(h, in, n);
}

static int r_hmac_final(imsms_crypto_hmac *h, uint8_t *out) {
  handle *x = find(h, 0);

  log_op(OP_HMAC, x->alg, x->keylen, x->len);
  x->keylen = 0;
  x->len = 0;
  return base->hmac_final(h, out);
}

static void r_hmac_del(imsms_crypto_hmac *h) {
  if (h != NULL) {
    find(h, 0)->h = NULL;
  }
  base->hmac_del(h);
}

static int r_sha256(void *st, const uint8_t *in, size_t n, uint8_t *out) {
  log_op(OP_SHA256, 0, 0, n);
  return base->sha256(st, in, n, out);
}

static int r_aes_new(void *st, imsms_crypto_aes **pa) {
  int rv = base->aes_new(st, pa);

  if (rv == 0) {
    find(*pa, 1);
  }
  return rv;
}

static int r_aes_setkey(imsms_crypto_aes *a, const uint8_t *k, size_t n) {
  find(a, 0)->keylen = n;
  return base->aes_setkey(a, k, n);
}

static int r_aes_ctr(imsms_crypto_aes *a, const uint8_t *iv,
                     const uint8_t *in, uint8_t *out, size_t n) {
  handle *x = find(a, 0);

  log_op(OP_AES, 0, x->keylen, n);
  x->keylen = 0;
  return base->aes_ctr(a, iv, in, out, n);
}

static void r_aes_del(imsms_crypto_aes *a) {
  if (a != NULL) {
    find(a, 0)->h = NULL;
  }
  base->aes_del(a);
}

static void recording_provider(void) {
  base = imsms_crypto_default();
  rec = *base;
  rec.name = "recording(default)";
  rec.random = r_random;
  rec.hmac_new = r_hmac_new;
  rec.hmac_setkey = r_hmac_setkey;
  rec.hmac_update = r_hmac_update;
  rec.hmac_final = r_hmac_final;
  rec.hmac_del = r_hmac_del;
  rec.sha256 = r_sha256;
  rec.aes_new = r_aes_new;
  rec.aes_setkey = r_aes_setkey;
  rec.aes_ctr = r_aes_ctr;
  rec.aes_del = r_aes_del;
}

/* ---- The floor: a log replayed on OpenSSL and libsodium --------------- */

static uint8_t fdata[MSG_MAX], fout[MSG_MAX];
static const uint8_t fkey[64] = "floor key floor key floor key floor key";
/* Per hash (SHA-1, SHA-256): the digest, the pad states, the message. */
static EVP_MD *fmd[2];
static EVP_MD_CTX *fin[2], *fouter[2], *fwork[2];
static EVP_CIPHER_CTX *fcipher;

static void floor_pad(int i, EVP_MD_CTX *c, uint8_t k[64], uint8_t pad) {
  size_t j;

  for (j = 0; j < 64; j++) {
    k[j] ^= pad;
  }
  EVP_DigestInit_ex2(c, fmd[i], NULL);
  EVP_DigestUpdate(c, k, 64);
}

/* Keys hash |i| with |keylen| bytes of fkey (both blocks are 64 bytes). */
static void floor_key(int i, size_t keylen) {
  uint8_t k[64];
  unsigned int n;

  memset(k, 0, sizeof(k));
  if (keylen > sizeof(k)) {
    EVP_Digest(fkey, sizeof(fkey), k, &n, fmd[i], NULL);
  } else {
    memcpy(k, fkey, keylen);
  }
  floor_pad(i, fin[i], k, 0x36);
  floor_pad(i, fouter[i], k, 0x36 ^ 0x5c);
}

static void floor_hmac(int i, size_t len) {
  uint8_t inner[32];
  unsigned int n;

  EVP_MD_CTX_copy_ex(fwork[i], fin[i]);
  EVP_DigestUpdate(fwork[i], fdata, len);
  EVP_DigestFinal_ex(fwork[i], inner, &n);
  EVP_MD_CTX_copy_ex(fwork[i], fouter[i]);
  EVP_DigestUpdate(fwork[i], inner, n);
  EVP_DigestFinal_ex(fwork[i], fout, &n);
}

static void floor_init(void) {
  int i;

  for (i = 0; i < 2; i++) {
    fmd[i] = EVP_MD_fetch(NULL, i ? "SHA2-256" : "SHA1", NULL);
    fin[i] = EVP_MD_CTX_new();
    fouter[i] = EVP_MD_CTX_new();
    fwork[i] = EVP_MD_CTX_new();
    if (fmd[i] == NULL || fin[i] == NULL || fouter[i] == NULL ||
        fwork[i] == NULL || EVP_MD_get_block_size(fmd[i]) != 64) {
      fprintf(stderr, "bench_call: digest set-up failed\n");
      exit(2);
    }
    floor_key(i, 32);
  }
  fcipher = EVP_CIPHER_CTX_new();
}

static const EVP_CIPHER *aes_ctr(size_t keylen) {
  return keylen == 32 ? EVP_aes_256_ctr()
                      : keylen == 24 ? EVP_aes_192_ctr() : EVP_aes_128_ctr();
}

static void replay(const oplog *l) {
  static const uint8_t iv[16];
  size_t i;
  int n;

  for (i = 0; i < l->n; i++) {
    const op *o = &l->ops[i];
    int h = o->alg == IMSMS_HASH_SHA256;

    switch (o->kind) {
    case OP_HMAC:
      if (o->keylen) {
        floor_key(h, o->keylen);
      }
      floor_hmac(h, o->len);
      break;
    case OP_AES:
      EVP_EncryptInit_ex(fcipher, o->keylen ? aes_ctr(o->keylen) : NULL,
                         NULL, o->keylen ? fkey : NULL, iv);
      EVP_EncryptUpdate(fcipher, fout, &n, fdata, (int)o->len);
      break;
    case OP_RAND:
      randombytes_buf(fout, o->len);
      break;
    default:
      EVP_Digest(fdata, o->len, fout, NULL, EVP_sha256(), NULL);
      break;
    }
  }
}

/* ---- The network and the parties -------------------------------------- */

typedef struct ue {
  imsms_ctx *ctx;
  imsms_call *call;
  uint8_t to_kms[MSG_MAX], to_peer[MSG_MAX];
  size_t to_kms_len, to_peer_len;
} ue;

static int send_kms(imsms_call *c, const uint8_t *m, size_t n, void *ud) {
  ue *u = ud;

  (void)c;
  memcpy(u->to_kms, m, n);
  u->to_kms_len = n;
  return 0;
}

static int send_peer(imsms_call *c, const uint8_t *m, size_t n, void *ud) {
  ue *u = ud;

  (void)c;
  memcpy(u->to_peer, m, n);
  u->to_peer_len = n;
  return 0;
}

static char names[NUSERS][32];
static uint8_t psks[NUSERS][32];
static imsms_id ids[NUSERS];
static imsms_id KMSID;
static imsms_ctx *kctx, *pctx;
static imsms_keyring *ring;
static imsms_kms_policy *pol;
static imsms_kms *kms;
static ue caller, callee;
static uint8_t kout[MSG_MAX];
static uint64_t role_ns[NROLES];
static imsms_tstamp now;
static uint32_t rng_state = 12345;

static void fail(int rv, const char *what) {
  if (rv != 0) {
    fprintf(stderr, "bench_call: %s: %s\n", what, imsms_strerror(rv));
    exit(2);
  }
}

static uint32_t next_user(void) {
  rng_state = rng_state * 1103515245u + 12345u;
  return (rng_state >> 8) % NUSERS;
}

static void setup(void) {
  imsms_kms_callbacks cb;
  imsms_kms_config cfg;
  uint64_t t0;
  size_t i;

  recording_provider();
  fail(imsms_ctx_new(&kctx, NULL, &rec, NULL, NULL), "KMS context");
  fail(imsms_ctx_new(&pctx, NULL, NULL, NULL, NULL), "policy context");
  fail(imsms_ctx_new(&caller.ctx, NULL, &rec, NULL, NULL), "context");
  fail(imsms_ctx_new(&callee.ctx, NULL, &rec, NULL, NULL), "context");
  fail(imsms_keyring_new(&ring, kctx), "key ring");
  fail(imsms_keyring_add(ring, 1, (const uint8_t *)"ticket protection key 1"
                                                   "........",
                         32),
       "ticket key");
  fail(imsms_kms_policy_new(&pol, pctx, NULL), "policy");
  t0 = bench_now_ns();
  for (i = 0; i < NUSERS; i++) {
    snprintf(names[i], sizeof(names[i]), "sip:user%zu@example.net", i);
    ids[i].type = IMSMS_MIKEY_ID_URI;
    ids[i].data = (const uint8_t *)names[i];
    ids[i].len = strlen(names[i]);
    randombytes_buf(psks[i], sizeof(psks[i]));
    fail(imsms_kms_policy_add_user(pol, &ids[i], psks[i], 32), "user");
  }
  printf("policy: %d users added in %.1f ms\n", NUSERS,
         (double)(bench_now_ns() - t0) / 1e6);
  memset(&cb, 0, sizeof(cb));
  fail(imsms_kms_policy_callbacks(pol, &cb), "policy callbacks");
  KMSID.type = IMSMS_MIKEY_ID_URI;
  KMSID.data = (const uint8_t *)"sip:kms.example.net";
  KMSID.len = 19;
  memset(&cfg, 0, sizeof(cfg));
  cfg.version = IMSMS_KMS_CONFIG_V1;
  cfg.identity = KMSID;
  cfg.keyring = ring;
  fail(imsms_kms_new(&kms, kctx, &cfg, &cb, pol), "KMS engine");
  now = imsms_tstamp_from_unix(1796083200, 0);
}

/*
 * Runs the library call |expr|, its time charged to role |r|, its crypto
 * recorded in that role's log when |rec_on|.
 */
#define CHARGE(r, rec_on, expr)                                                \
  do {                                                                         \
    uint64_t t0_;                                                              \
    int rv_;                                                                   \
    role = (rec_on) ? (r) : -1;                                                \
    t0_ = bench_now_ns();                                                      \
    rv_ = (expr);                                                              \
    role_ns[r] += bench_now_ns() - t0_;                                        \
    role = -1;                                                                 \
    fail(rv_, #expr);                                                          \
  } while (0)

static int kms_round(ue *u, int r, int record) {
  size_t outlen = 0;

  CHARGE(ROLE_KMS, record,
         imsms_kms_handle(kms, u->to_kms, u->to_kms_len, now, kout,
                          sizeof(kout), &outlen));
  u->to_kms_len = 0;
  CHARGE(r, record, imsms_call_recv(u->call, kout, outlen, now));
  return 0;
}

static int keys_out(ue *u) {
  imsms_cs_master m;
  imsms_msrp_psk p;
  int rv = imsms_call_cs_master(u->call, 1, &m);

  rv = rv ? rv : imsms_call_cs_master(u->call, 2, &m);
  rv = rv ? rv : imsms_call_msrp_psk(u->call, 3, &p);
  sodium_memzero(&m, sizeof(m));
  sodium_memzero(&p, sizeof(p));
  return rv;
}

/* One whole call between two users drawn from the policy. */
static void one_call(int record) {
  static const int suites[2] = {IMSMS_SRTP_AES_CM_128_HMAC_SHA1_80,
                                IMSMS_SRTP_AEAD_AES_128_GCM};
  uint32_t a = next_user(), b = next_user();
  imsms_call_callbacks cb;
  imsms_call_session cs[3], fill;
  imsms_call_config ca, cr;
  imsms_tp tp;

  if (a == b) {
    b = (b + 1) % NUSERS;
  }
  memset(&cb, 0, sizeof(cb));
  cb.version = IMSMS_CALL_CALLBACKS_V1;
  cb.send_to_kms = send_kms;
  cb.send_to_peer = send_peer;
  memset(&tp, 0, sizeof(tp));
  tp.version = IMSMS_TP_V1;
  tp.ticket_type = IMSMS_MIKEY_TICKET_MIKEY_BASE;
  tp.subtype = 1;
  tp.ticket_version = 1;
  tp.prf_func = IMSMS_MIKEY_PRF_HMAC_SHA256;
  tp.flags = IMSMS_TP_D | IMSMS_TP_E | IMSMS_TP_F | IMSMS_TP_H;
  tp.responders = &ids[b];
  tp.nresponders = 1;
  memset(cs, 0, sizeof(cs));
  cs[0].cs_id = 1;
  cs[0].prot_type = IMSMS_MIKEY_PROT_SRTP;
  cs[0].has_ssrc = 1;
  cs[0].ssrc = 0x1111;
  cs[0].suites = suites;
  cs[0].nsuites = 1;
  cs[1].cs_id = 2;
  cs[1].prot_type = IMSMS_MIKEY_PROT_SRTP;
  cs[1].suites = suites;
  cs[1].nsuites = 2;
  cs[2].cs_id = 3;
  cs[2].prot_type = IMSMS_MIKEY_PROT_TLS;
  memset(&ca, 0, sizeof(ca));
  ca.version = IMSMS_CALL_CONFIG_V1;
  ca.identity = ids[a];
  ca.kms = KMSID;
  ca.psk = psks[a];
  ca.psklen = 32;
  cr = ca;
  ca.tp = &tp;
  ca.sessions = cs;
  ca.nsessions = 3;
  cr.identity = ids[b];
  cr.psk = psks[b];
  memset(&fill, 0, sizeof(fill));
  fill.cs_id = 2;
  fill.ssrc = 0x2222;
  cr.sessions = &fill;
  cr.nsessions = 1;
  cr.suites = suites;
  cr.nsuites = 2;
  cr.accept_tls = 1;

  CHARGE(ROLE_I, record, imsms_call_new_initiator(&caller.call, caller.ctx,
                                                  &ca, &cb, &caller));
  CHARGE(ROLE_I, record, imsms_call_start(caller.call, now));
  kms_round(&caller, ROLE_I, record);
  CHARGE(ROLE_R, record, imsms_call_new_responder(&callee.call, callee.ctx,
                                                  &cr, &cb, &callee));
  CHARGE(ROLE_R, record, imsms_call_recv(callee.call, caller.to_peer,
                                         caller.to_peer_len, now));
  kms_round(&callee, ROLE_R, record);
  CHARGE(ROLE_I, record, imsms_call_recv(caller.call, callee.to_peer,
                                         callee.to_peer_len, now));
  CHARGE(ROLE_I, record, keys_out(&caller));
  CHARGE(ROLE_R, record, keys_out(&callee));
  CHARGE(ROLE_I, record, (imsms_call_del(caller.call), 0));
  CHARGE(ROLE_R, record, (imsms_call_del(callee.call), 0));
  /* Fresh timestamps: the KMS's replay check sees no repeats. */
  now += SEC / 1000;
}

/* ---- Main --------------------------------------------------------------- */

static int cmp_u64(const void *x, const void *y) {
  uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

  return a < b ? -1 : a > b;
}

int main(int argc, char **argv) {
  int quick = argc > 1 && strcmp(argv[1], "-q") == 0;
  size_t calls = quick ? 200 : 1000, i, floor_reps = quick ? 200 : 1000;
  uint64_t ours[NROLES][RUNS], floor_ns[NROLES][RUNS], t0, total = 0;
  int r, run;

  if (sodium_init() < 0) {
    return 2;
  }
  setup();
  floor_init();
  for (i = 0; i < 100; i++) { /* warm-up: pools, caches */
    one_call(0);
  }
  one_call(1); /* the crypto of one call, per role */
  for (run = 0; run < RUNS; run++) {
    memset(role_ns, 0, sizeof(role_ns));
    for (i = 0; i < calls; i++) {
      one_call(0);
    }
    for (r = 0; r < NROLES; r++) {
      ours[r][run] = role_ns[r] / calls;
      t0 = bench_now_ns();
      for (i = 0; i < floor_reps; i++) {
        replay(&logs[r]);
      }
      floor_ns[r][run] = (bench_now_ns() - t0) / floor_reps;
    }
  }
  printf("\none complete call (REQUEST, TRANSFER, RESOLVE, TRANSFER_RESP), "
         "PRF HMAC-SHA-256,\n2 SRTP + 1 MSRP sessions; median of %d runs of "
         "%zu calls; %d users in the KMS policy\n\n",
         RUNS, calls, NUSERS);
  printf("%-10s %12s %12s %7s  %s\n", "role", "ns/call", "floor ns", "ratio",
         "crypto per call (HMAC / AES-CTR / random bytes)");
  for (r = 0; r < NROLES; r++) {
    size_t nh = 0, na = 0, nb = 0, k;

    qsort(ours[r], RUNS, sizeof(uint64_t), cmp_u64);
    qsort(floor_ns[r], RUNS, sizeof(uint64_t), cmp_u64);
    for (k = 0; k < logs[r].n; k++) {
      nh += logs[r].ops[k].kind == OP_HMAC;
      na += logs[r].ops[k].kind == OP_AES;
      nb += logs[r].ops[k].kind == OP_RAND ? logs[r].ops[k].len : 0;
    }
    total += ours[r][RUNS / 2];
    printf("%-10s %12llu %12llu %7.2f  %zu / %zu / %zu\n", role_name[r],
           (unsigned long long)ours[r][RUNS / 2],
           (unsigned long long)floor_ns[r][RUNS / 2],
           (double)ours[r][RUNS / 2] / (double)floor_ns[r][RUNS / 2], nh, na,
           nb);
  }
  printf("%-10s %12llu\n", "all", (unsigned long long)total);
  printf("\nKMS, one thread: %.0f calls/s (REQUEST + RESOLVE) with %d users\n",
         1e9 / (double)ours[ROLE_KMS][RUNS / 2], NUSERS);
  imsms_kms_del(kms);
  imsms_kms_policy_del(pol);
  imsms_keyring_del(ring);
  imsms_ctx_del(caller.ctx);
  imsms_ctx_del(callee.ctx);
  imsms_ctx_del(kctx);
  imsms_ctx_del(pctx);
  return 0;
}
