/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The default KMS policy (kms_policy.h).
 *
 * Data. Every identity the configuration names (user, group, member,
 * network function, scope entry) is interned once as a node; nodes are
 * found by a seeded hash of ID type and bytes in an open-addressing
 * table of node indices (linear probing, at most half full). Relations
 * between nodes are pairs (kind, node a, node b) in a second such table:
 *  - MEMBER (group, member): group membership;
 *  - SCOPE_ID (nf, id): |id| is in the scope of network function |nf|;
 *  - SCOPE_GROUP (nf, group): |group| and its members are.
 * Each node also heads a chain of the groups it is a member of, so that
 * "is this party a member of a group in this NF's scope" walks the
 * party's own groups (a handful), never a scope or a group (which may
 * hold 100,000 identities). Every decision is therefore a few hash
 * lookups per identity of the ticket.
 *
 * Memory. Identity bytes live in an arena of blocks that never move (so
 * node views stay valid); PSKs in a second arena that is wiped before it
 * is freed (never realloc'ed: rule 11). Node, pair and chain arrays and
 * the hash tables grow by doubling (malloc, copy, free: they hold no
 * secret). A configuration call first reserves everything it may need,
 * then inserts without failing, so that on IMSMS_ERR_NOMEM the policy is
 * unchanged. Lookups allocate nothing.
 *
 * Locking: one pthread read-write lock; callbacks hold it shared for the
 * decision only (the application's PSK lookup is called without it),
 * configuration functions exclusively.
 */
#define _POSIX_C_SOURCE 200809L /* pthread_rwlock_t under -std=c11 */

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include <imsmediasec/kms_policy.h>

#include "core/ctx.h"
#include "core/mem.h"
#include "kms/kms_int.h"

/* Node kinds (bits). */
#define NODE_USER 0x1u
#define NODE_GROUP 0x2u
#define NODE_NF 0x4u
#define POLICY_MAGIC 0x504f4c59u /* "POLY" */

/* Pair kinds. */
#define PAIR_MEMBER 1
#define PAIR_SCOPE_ID 2
#define PAIR_SCOPE_GROUP 3

#define NONE UINT32_MAX
/* At most 2^30 nodes and pairs: indices, table sizes and doublings fit. */
#define MAX_ENTRIES ((size_t)1 << 30)
#define MIN_TABLE 64
#define ARENA_BLOCK 65536
#define MAX_PSK IMSMS_KMS_MAX_PSK
#define LIMIT_FLAGS                                                            \
  (IMSMS_KMS_LIMIT_NO_FORKING | IMSMS_KMS_LIMIT_NO_REUSE |                     \
   IMSMS_KMS_LIMIT_NO_UE_KEYS)

typedef struct pnode {
  const uint8_t *id; /* in the id arena */
  uint64_t hash;
  uint8_t *psk; /* in the PSK arena, or NULL */
  uint32_t idlen;
  uint16_t psklen; /* bytes of |psk| in use */
  uint16_t pskcap; /* bytes of |psk| reserved */
  uint32_t groups; /* head of the chain of memberships, or NONE */
  uint8_t id_type;
  uint8_t kinds; /* NODE_* */
  uint8_t role;  /* imsms_kms_nf_role of an NF */
  uint8_t scope_all;
} pnode;

typedef struct ppair {
  uint32_t a, b;
  uint8_t kind;
} ppair;

/* One membership in a node's chain. */
typedef struct pmemb {
  uint32_t group;
  uint32_t next;
} pmemb;

typedef struct arena_block {
  struct arena_block *next;
  size_t cap, used;
  uint8_t data[];
} arena_block;

typedef struct arena {
  arena_block *head; /* the block being filled */
  int secret;        /* wipe before freeing */
} arena;

/* An open-addressing table of indices + 1 (0: empty). */
typedef struct ptable {
  uint32_t *slot;
  size_t mask; /* size - 1; size 0 when |slot| is NULL */
} ptable;

struct imsms_kms_policy {
  uint32_t magic; /* POLICY_MAGIC while alive: catches a wrong user_data */
  imsms_ctx *ctx;
  void *user_data;
  pthread_rwlock_t lock;
  uint64_t seed[2];
  pnode *nodes;
  size_t nnodes, capnodes;
  ppair *pairs;
  size_t npairs, cappairs;
  pmemb *membs;
  size_t nmembs, capmembs;
  ptable node_tab, pair_tab;
  arena ids, psks;
  imsms_kms_limits limits;
  imsms_ssize (*lookup)(imsms_kms *kms, const imsms_id *idrpsk,
                        const imsms_id *peer, uint8_t *psk, size_t cap,
                        void *user_data);
};

/* ---- Hashing -------------------------------------------------------- */

static uint64_t mix64(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

/* FNV-1a over the ID type and bytes, seeded, then finalised. */
static uint64_t hash_id(const imsms_kms_policy *p, uint8_t type,
                        const uint8_t *data, size_t len) {
  uint64_t h = 0xcbf29ce484222325ULL ^ p->seed[0];
  size_t i;

  h = (h ^ type) * 0x100000001b3ULL;
  for (i = 0; i < len; i++) {
    h = (h ^ data[i]) * 0x100000001b3ULL;
  }
  return mix64(h ^ p->seed[1] ^ (uint64_t)len);
}

static uint64_t hash_pair(const imsms_kms_policy *p, uint8_t kind, uint32_t a,
                          uint32_t b) {
  return mix64(((uint64_t)a << 32 | b) ^ p->seed[0]) ^
         mix64((uint64_t)kind ^ p->seed[1]);
}

/* ---- Lookups (lock held, shared or exclusive) ----------------------- */

static int valid_id(const imsms_id *id) {
  return id != NULL && id->len != 0 && id->len <= 0xffff && id->data != NULL;
}

/* The node of |id|, or NONE; |*hash| (if not NULL) gets its hash. */
static uint32_t find_node(const imsms_kms_policy *p, const imsms_id *id,
                          uint64_t *hash) {
  uint64_t h;
  size_t i;

  if (!valid_id(id)) {
    return NONE;
  }
  h = hash_id(p, id->type, id->data, id->len);
  if (hash) {
    *hash = h;
  }
  if (p->node_tab.slot == NULL) {
    return NONE;
  }
  for (i = (size_t)h & p->node_tab.mask;; i = (i + 1) & p->node_tab.mask) {
    uint32_t s = p->node_tab.slot[i];
    const pnode *n;

    if (s == 0) {
      return NONE;
    }
    n = &p->nodes[s - 1];
    if (n->hash == h && n->id_type == id->type && n->idlen == id->len &&
        memcmp(n->id, id->data, id->len) == 0) {
      return s - 1;
    }
  }
}

static int has_pair(const imsms_kms_policy *p, uint8_t kind, uint32_t a,
                    uint32_t b) {
  size_t i;

  if (p->pair_tab.slot == NULL || a == NONE || b == NONE) {
    return 0;
  }
  for (i = (size_t)hash_pair(p, kind, a, b) & p->pair_tab.mask;;
       i = (i + 1) & p->pair_tab.mask) {
    uint32_t s = p->pair_tab.slot[i];
    const ppair *q;

    if (s == 0) {
      return 0;
    }
    q = &p->pairs[s - 1];
    if (q->kind == kind && q->a == a && q->b == b) {
      return 1;
    }
  }
}

static int member_of(const imsms_kms_policy *p, uint32_t group,
                     uint32_t member) {
  return group != NONE && (p->nodes[group].kinds & NODE_GROUP) &&
         has_pair(p, PAIR_MEMBER, group, member);
}

/* Whether party |id| (IDRi or an IDRr of a ticket) is in |nf|'s scope. */
static int in_scope(const imsms_kms_policy *p, uint32_t nf,
                    const imsms_id *id) {
  uint32_t party, m;

  if (p->nodes[nf].scope_all) {
    return 1;
  }
  party = find_node(p, id, NULL);
  if (party == NONE) {
    return 0;
  }
  if (has_pair(p, PAIR_SCOPE_ID, nf, party) ||
      has_pair(p, PAIR_SCOPE_GROUP, nf, party)) {
    return 1;
  }
  for (m = p->nodes[party].groups; m != NONE; m = p->membs[m].next) {
    if (has_pair(p, PAIR_SCOPE_GROUP, nf, p->membs[m].group)) {
      return 1;
    }
  }
  return 0;
}

/* ---- Growth (exclusive lock held) ----------------------------------- */

/* The first free slot of a table for hash |h| (the table has room). */
static size_t free_slot(const uint32_t *slot, size_t mask, uint64_t h) {
  size_t i = (size_t)h & mask;

  while (slot[i] != 0) {
    i = (i + 1) & mask;
  }
  return i;
}

/* Makes room for |more| elements of |size| bytes in |*arr|. */
static int grow_array(imsms_kms_policy *p, void **arr, size_t *cap, size_t n,
                      size_t more, size_t size) {
  size_t ncap = *cap ? *cap : 64;
  void *na;

  if (MAX_ENTRIES - n < more) {
    return IMSMS_ERR_TOO_LARGE;
  }
  if (n + more <= *cap) {
    return 0;
  }
  while (ncap < n + more) {
    ncap *= 2;
  }
  if (ncap > SIZE_MAX / size) {
    return IMSMS_ERR_TOO_LARGE;
  }
  na = imsms_mem_malloc(&p->ctx->mem, ncap * size);
  if (na == NULL) {
    return IMSMS_ERR_NOMEM;
  }
  if (n) {
    memcpy(na, *arr, n * size);
  }
  imsms_mem_free(&p->ctx->mem, *arr);
  *arr = na;
  *cap = ncap;
  return 0;
}

/* Rebuilds |t| with room for |count| entries at most half full. */
static int table_reserve(imsms_kms_policy *p, ptable *t, size_t count,
                         int pairs) {
  size_t size = MIN_TABLE, i, n = pairs ? p->npairs : p->nnodes;
  uint32_t *slot;

  if (t->slot != NULL && count * 2 <= t->mask + 1) {
    return 0;
  }
  while (size < count * 2) {
    size *= 2;
  }
  slot = imsms_mem_calloc(&p->ctx->mem, size, sizeof(*slot));
  if (slot == NULL) {
    return IMSMS_ERR_NOMEM;
  }
  for (i = 0; i < n; i++) {
    uint64_t h =
        pairs ? hash_pair(p, p->pairs[i].kind, p->pairs[i].a, p->pairs[i].b)
              : p->nodes[i].hash;

    slot[free_slot(slot, size - 1, h)] = (uint32_t)(i + 1);
  }
  imsms_mem_free(&p->ctx->mem, t->slot);
  t->slot = slot;
  t->mask = size - 1;
  return 0;
}

/* Makes sure |a| can give |len| bytes without allocating. */
static int arena_reserve(imsms_kms_policy *p, arena *a, size_t len) {
  arena_block *b;
  size_t cap = len > ARENA_BLOCK ? len : ARENA_BLOCK;

  if (len == 0 || (a->head && a->head->cap - a->head->used >= len)) {
    return 0;
  }
  b = imsms_mem_malloc(&p->ctx->mem, sizeof(*b) + cap);
  if (b == NULL) {
    return IMSMS_ERR_NOMEM;
  }
  b->next = a->head;
  b->cap = cap;
  b->used = 0;
  a->head = b;
  return 0;
}

/* |len| bytes reserved by arena_reserve(). */
static uint8_t *arena_take(arena *a, size_t len) {
  uint8_t *r = a->head->data + a->head->used;

  a->head->used += len;
  return r;
}

static void arena_free(imsms_kms_policy *p, arena *a) {
  while (a->head) {
    arena_block *b = a->head;

    a->head = b->next;
    if (a->secret) {
      imsms_mem_free_clear(&p->ctx->mem, b, sizeof(*b) + b->cap);
    } else {
      imsms_mem_free(&p->ctx->mem, b);
    }
  }
}

/*
 * Reserves room for |nodes| new nodes with |idbytes| bytes of identity,
 * |pairs| new pairs, |membs| chain links and |pskbytes| of PSK, so that
 * the inserts that follow cannot fail.
 */
static int reserve(imsms_kms_policy *p, size_t nodes, size_t idbytes,
                   size_t pairs, size_t membs, size_t pskbytes) {
  int rv;

  if ((rv = grow_array(p, (void **)&p->nodes, &p->capnodes, p->nnodes, nodes,
                       sizeof(pnode))) != 0 ||
      (rv = grow_array(p, (void **)&p->pairs, &p->cappairs, p->npairs, pairs,
                       sizeof(ppair))) != 0 ||
      (rv = grow_array(p, (void **)&p->membs, &p->capmembs, p->nmembs, membs,
                       sizeof(pmemb))) != 0 ||
      (rv = table_reserve(p, &p->node_tab, p->nnodes + nodes, 0)) != 0 ||
      (rv = table_reserve(p, &p->pair_tab, p->npairs + pairs, 1)) != 0 ||
      (rv = arena_reserve(p, &p->ids, idbytes)) != 0 ||
      (rv = arena_reserve(p, &p->psks, pskbytes)) != 0) {
    return rv;
  }
  return 0;
}

/* The node of |id|, created if need be (room reserved). */
static uint32_t intern(imsms_kms_policy *p, const imsms_id *id) {
  uint64_t h;
  uint32_t n = find_node(p, id, &h);
  pnode *nd;
  uint8_t *copy;

  if (n != NONE) {
    return n;
  }
  copy = arena_take(&p->ids, id->len);
  memcpy(copy, id->data, id->len);
  n = (uint32_t)p->nnodes++;
  nd = &p->nodes[n];
  memset(nd, 0, sizeof(*nd));
  nd->id = copy;
  nd->idlen = (uint32_t)id->len;
  nd->id_type = id->type;
  nd->hash = h;
  nd->groups = NONE;
  p->node_tab.slot[free_slot(p->node_tab.slot, p->node_tab.mask, h)] = n + 1;
  return n;
}

/* Adds pair (kind, a, b) unless present (room reserved). */
static int add_pair(imsms_kms_policy *p, uint8_t kind, uint32_t a, uint32_t b) {
  ppair *q;

  if (has_pair(p, kind, a, b)) {
    return 0;
  }
  q = &p->pairs[p->npairs];
  q->kind = kind;
  q->a = a;
  q->b = b;
  p->pair_tab.slot[free_slot(p->pair_tab.slot, p->pair_tab.mask,
                             hash_pair(p, kind, a, b))] = (uint32_t)++p->npairs;
  return 1;
}

/* ---- Creation and configuration ------------------------------------ */

/* see imsmediasec/kms_policy.h */
int imsms_kms_policy_new(imsms_kms_policy **ppol, imsms_ctx *ctx,
                         void *user_data) {
  imsms_kms_policy *p;
  uint8_t seed[16];
  int rv;

  if (ppol == NULL || ctx == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if ((rv = imsms_random(ctx, seed, sizeof(seed))) != 0) {
    return rv;
  }
  p = imsms_mem_calloc(&ctx->mem, 1, sizeof(*p));
  if (p == NULL) {
    return IMSMS_ERR_NOMEM;
  }
  if (pthread_rwlock_init(&p->lock, NULL) != 0) {
    imsms_mem_free(&ctx->mem, p);
    return IMSMS_ERR_NOMEM;
  }
  p->magic = POLICY_MAGIC;
  p->ctx = ctx;
  p->user_data = user_data;
  memcpy(p->seed, seed, sizeof(seed));
  imsms_secure_clear(seed, sizeof(seed));
  p->psks.secret = 1;
  p->limits.version = IMSMS_KMS_LIMITS_V1;
  *ppol = p;
  return 0;
}

/* see imsmediasec/kms_policy.h */
void imsms_kms_policy_del(imsms_kms_policy *pol) {
  const imsms_mem *mem;

  if (pol == NULL) {
    return;
  }
  mem = &pol->ctx->mem;
  pol->magic = 0;
  arena_free(pol, &pol->psks);
  arena_free(pol, &pol->ids);
  imsms_mem_free(mem, pol->nodes);
  imsms_mem_free(mem, pol->pairs);
  imsms_mem_free(mem, pol->membs);
  imsms_mem_free(mem, pol->node_tab.slot);
  imsms_mem_free(mem, pol->pair_tab.slot);
  pthread_rwlock_destroy(&pol->lock);
  imsms_mem_free_clear(mem, pol, sizeof(*pol));
}

/* see imsmediasec/kms_policy.h */
void *imsms_kms_policy_get_user_data(const imsms_kms_policy *pol) {
  return pol ? pol->user_data : NULL;
}

/* see imsmediasec/kms_policy.h */
int imsms_kms_policy_add_user(imsms_kms_policy *pol, const imsms_id *user,
                              const uint8_t *psk, size_t psklen) {
  uint32_t n;
  pnode *nd;
  int rv;

  if (pol == NULL || !valid_id(user) || (psk == NULL) != (psklen == 0)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (psklen > MAX_PSK) {
    return IMSMS_ERR_KEY_LENGTH;
  }
  pthread_rwlock_wrlock(&pol->lock);
  n = find_node(pol, user, NULL);
  /* A longer PSK than the one stored needs a new slot. */
  rv = reserve(pol, n == NONE, n == NONE ? user->len : 0, 0, 0,
               n != NONE && pol->nodes[n].pskcap >= psklen ? 0 : psklen);
  if (rv == 0) {
    n = intern(pol, user);
    nd = &pol->nodes[n];
    nd->kinds |= NODE_USER;
    if (nd->psk && nd->pskcap < psklen) {
      imsms_secure_clear(nd->psk, nd->pskcap);
      nd->psk = NULL;
      nd->pskcap = 0;
    }
    if (nd->psk == NULL && psklen) {
      nd->psk = arena_take(&pol->psks, psklen);
      nd->pskcap = (uint16_t)psklen;
    }
    if (nd->psk) {
      imsms_secure_clear(nd->psk, nd->pskcap);
      if (psklen) {
        memcpy(nd->psk, psk, psklen);
      }
    }
    nd->psklen = (uint16_t)psklen;
  }
  pthread_rwlock_unlock(&pol->lock);
  return rv;
}

/* see imsmediasec/kms_policy.h */
int imsms_kms_policy_add_group_member(imsms_kms_policy *pol,
                                      const imsms_id *group,
                                      const imsms_id *member) {
  uint32_t g, m;
  int rv;

  if (pol == NULL || !valid_id(group) || !valid_id(member) ||
      (group->type == member->type && group->len == member->len &&
       memcmp(group->data, member->data, group->len) == 0)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  pthread_rwlock_wrlock(&pol->lock);
  rv = reserve(pol, 2, group->len + member->len, 1, 1, 0);
  if (rv == 0) {
    g = intern(pol, group);
    m = intern(pol, member);
    pol->nodes[g].kinds |= NODE_GROUP;
    if (add_pair(pol, PAIR_MEMBER, g, m)) {
      pmemb *l = &pol->membs[pol->nmembs];

      l->group = g;
      l->next = pol->nodes[m].groups;
      pol->nodes[m].groups = (uint32_t)pol->nmembs++;
    }
  }
  pthread_rwlock_unlock(&pol->lock);
  return rv;
}

static int valid_ids(const imsms_id *ids, size_t n, size_t *bytes) {
  size_t i;

  if (ids == NULL && n) {
    return 0;
  }
  for (i = 0; i < n; i++) {
    if (!valid_id(&ids[i]) || SIZE_MAX - *bytes < ids[i].len) {
      return 0;
    }
    *bytes += ids[i].len;
  }
  return 1;
}

/* see imsmediasec/kms_policy.h */
int imsms_kms_policy_add_network_function(imsms_kms_policy *pol,
                                          const imsms_kms_nf *nf) {
  size_t bytes = 0, i, nnew;
  uint32_t n;
  int rv;

  if (pol == NULL || nf == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (nf->version != IMSMS_KMS_NF_V1) {
    return IMSMS_ERR_VERSION;
  }
  if (!valid_id(&nf->identity) || nf->role < IMSMS_KMS_NF_TRANSCODER ||
      nf->role > IMSMS_KMS_NF_RECORDER ||
      !valid_ids(nf->ids, nf->nids, &bytes) ||
      !valid_ids(nf->groups, nf->ngroups, &bytes)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (nf->nids > MAX_ENTRIES || MAX_ENTRIES - nf->nids <= nf->ngroups) {
    return IMSMS_ERR_TOO_LARGE;
  }
  nnew = 1 + nf->nids + nf->ngroups;
  if (SIZE_MAX - bytes < nf->identity.len) {
    return IMSMS_ERR_TOO_LARGE;
  }
  pthread_rwlock_wrlock(&pol->lock);
  n = find_node(pol, &nf->identity, NULL);
  if (n != NONE && (pol->nodes[n].kinds & NODE_NF) &&
      pol->nodes[n].role != nf->role) {
    pthread_rwlock_unlock(&pol->lock);
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  rv = reserve(pol, nnew, bytes + nf->identity.len, nnew - 1, 0, 0);
  if (rv == 0) {
    n = intern(pol, &nf->identity);
    pol->nodes[n].kinds |= NODE_NF;
    pol->nodes[n].role = (uint8_t)nf->role;
    pol->nodes[n].scope_all |= nf->scope_all != 0;
    for (i = 0; i < nf->nids; i++) {
      add_pair(pol, PAIR_SCOPE_ID, n, intern(pol, &nf->ids[i]));
    }
    for (i = 0; i < nf->ngroups; i++) {
      add_pair(pol, PAIR_SCOPE_GROUP, n, intern(pol, &nf->groups[i]));
    }
  }
  pthread_rwlock_unlock(&pol->lock);
  return rv;
}

/* see imsmediasec/kms_policy.h */
int imsms_kms_policy_nf_role(imsms_kms_policy *pol, const imsms_id *id) {
  uint32_t n;
  int role = 0;

  if (pol == NULL) {
    return 0;
  }
  pthread_rwlock_rdlock(&pol->lock);
  n = find_node(pol, id, NULL);
  if (n != NONE && (pol->nodes[n].kinds & NODE_NF)) {
    role = pol->nodes[n].role;
  }
  pthread_rwlock_unlock(&pol->lock);
  return role;
}

/* see imsmediasec/kms_policy.h */
int imsms_kms_policy_set_limits(imsms_kms_policy *pol,
                                const imsms_kms_limits *lim) {
  if (pol == NULL || lim == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (lim->version != IMSMS_KMS_LIMITS_V1) {
    return IMSMS_ERR_VERSION;
  }
  if (lim->flags & ~(uint32_t)LIMIT_FLAGS) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  pthread_rwlock_wrlock(&pol->lock);
  pol->limits = *lim;
  pthread_rwlock_unlock(&pol->lock);
  return 0;
}

/* see imsmediasec/kms_policy.h */
int imsms_kms_policy_set_psk_lookup(
    imsms_kms_policy *pol,
    imsms_ssize (*lookup)(imsms_kms *kms, const imsms_id *idrpsk,
                          const imsms_id *peer, uint8_t *psk, size_t cap,
                          void *user_data)) {
  if (pol == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  pthread_rwlock_wrlock(&pol->lock);
  pol->lookup = lookup;
  pthread_rwlock_unlock(&pol->lock);
  return 0;
}

/* ---- The engine callbacks ------------------------------------------ */

/*
 * The engine's user_data must be the policy (kms_policy.h). An engine
 * created with anything else would crash in the lock; it gets
 * IMSMS_ERR_CALLBACK_FAILURE (a refusal) instead. Only a best effort:
 * memory that happens to start with the magic number is not caught.
 */
static imsms_kms_policy *policy_of(void *user_data) {
  imsms_kms_policy *p = user_data;

  return p != NULL && p->magic == POLICY_MAGIC ? p : NULL;
}

static imsms_ssize policy_psk_lookup(imsms_kms *kms, const imsms_id *idrpsk,
                                     const imsms_id *peer, uint8_t *psk,
                                     size_t cap, void *user_data) {
  imsms_kms_policy *p = policy_of(user_data);
  imsms_ssize (*lookup)(imsms_kms *, const imsms_id *, const imsms_id *,
                        uint8_t *, size_t, void *);
  imsms_ssize rv = IMSMS_ERR_MIKEY_AUTH;
  uint32_t n;

  if (p == NULL) {
    return IMSMS_ERR_CALLBACK_FAILURE;
  }
  pthread_rwlock_rdlock(&p->lock);
  lookup = p->lookup;
  if (idrpsk->len == 0) {
    n = find_node(p, peer, NULL);
    if (n == NONE || !(p->nodes[n].kinds & NODE_USER)) {
      lookup = NULL; /* not a user: unknown, whoever else knows it */
    } else if (p->nodes[n].psklen) {
      lookup = NULL;
      if (p->nodes[n].psklen > cap) {
        rv = IMSMS_ERR_CALLBACK_FAILURE;
      } else {
        memcpy(psk, p->nodes[n].psk, p->nodes[n].psklen);
        rv = (imsms_ssize)p->nodes[n].psklen;
      }
    }
  }
  pthread_rwlock_unlock(&p->lock);
  /* IDRpsk (a B-TID) or a user without a stored key: the application's. */
  if (lookup != NULL) {
    rv = lookup(kms, idrpsk, peer, psk, cap, p->user_data);
  }
  return rv;
}

static int policy_authorize_request(imsms_kms *kms, const imsms_id *requester,
                                    const imsms_tp *requested,
                                    imsms_tp *granted, void *user_data) {
  imsms_kms_policy *p = policy_of(user_data);
  imsms_kms_limits lim;
  uint32_t n;
  int known;

  (void)requested;
  if (p == NULL) {
    return IMSMS_ERR_CALLBACK_FAILURE;
  }
  pthread_rwlock_rdlock(&p->lock);
  n = find_node(p, requester, NULL);
  known = n != NONE && (p->nodes[n].kinds & NODE_USER);
  lim = p->limits;
  pthread_rwlock_unlock(&p->lock);
  if (!known) {
    return IMSMS_ERR_KMS_DENIED;
  }
  /* The Initiator must get I as asked (RFC 6043 4.2.1.6): deny. */
  if ((lim.flags & IMSMS_KMS_LIMIT_NO_FORKING) &&
      (granted->flags & IMSMS_TP_I)) {
    return IMSMS_ERR_KMS_DENIED;
  }
  if (lim.flags & IMSMS_KMS_LIMIT_NO_REUSE) {
    granted->flags &= (uint16_t)~IMSMS_TP_J;
  }
  if (lim.flags & IMSMS_KMS_LIMIT_NO_UE_KEYS) {
    granted->flags &= (uint16_t) ~(IMSMS_TP_L | IMSMS_TP_M);
  }
  if (lim.max_validity_sec) {
    imsms_tstamp latest = kms->now + ((imsms_tstamp)lim.max_validity_sec << 32);

    /* Signed differences: right across the NTP era boundary. */
    if (granted->has_start && (int64_t)(granted->start - latest) > 0) {
      return IMSMS_ERR_KMS_DENIED;
    }
    if (!granted->has_end || (int64_t)(granted->end - latest) > 0) {
      granted->has_end = 1;
      granted->end = latest;
    }
  }
  return 0;
}

static int policy_authorize_resolve(imsms_kms *kms, const imsms_id *resolver,
                                    const imsms_tp *ticket, imsms_id *as_idrr,
                                    void *user_data) {
  imsms_kms_policy *p = policy_of(user_data);
  uint32_t r;
  size_t i;
  int ok = 0;

  (void)kms;
  if (p == NULL) {
    return IMSMS_ERR_CALLBACK_FAILURE;
  }
  if (!valid_id(resolver)) {
    return IMSMS_ERR_KMS_DENIED;
  }
  for (i = 0; i < ticket->nresponders && !ok; i++) {
    ok = imsms_kms_same_id(&ticket->responders[i], resolver);
  }
  if (!ok) {
    pthread_rwlock_rdlock(&p->lock);
    r = find_node(p, resolver, NULL);
    /* A member of a responder group. */
    for (i = 0; r != NONE && i < ticket->nresponders && !ok; i++) {
      ok = member_of(p, find_node(p, &ticket->responders[i], NULL), r);
    }
    /* A network function whose scope covers a party of the ticket. */
    if (!ok && r != NONE && (p->nodes[r].kinds & NODE_NF)) {
      ok = ticket->initiator.len && in_scope(p, r, &ticket->initiator);
      for (i = 0; i < ticket->nresponders && !ok; i++) {
        ok = in_scope(p, r, &ticket->responders[i]);
      }
    }
    pthread_rwlock_unlock(&p->lock);
  }
  if (!ok) {
    return IMSMS_ERR_KMS_DENIED;
  }
  /* Keys bound to the resolver itself (a view into the message). */
  *as_idrr = *resolver;
  return 0;
}

static int policy_is_member(imsms_kms *kms, const imsms_id *group,
                            const imsms_id *user, void *user_data) {
  imsms_kms_policy *p = policy_of(user_data);
  int r;

  (void)kms;
  if (p == NULL) {
    return 0;
  }
  pthread_rwlock_rdlock(&p->lock);
  r = member_of(p, find_node(p, group, NULL), find_node(p, user, NULL));
  pthread_rwlock_unlock(&p->lock);
  return r;
}

/* see imsmediasec/kms_policy.h */
int imsms_kms_policy_callbacks(imsms_kms_policy *pol, imsms_kms_callbacks *cb) {
  if (pol == NULL || cb == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (cb->version == 0) {
    cb->version = IMSMS_KMS_CALLBACKS_V1;
  }
  cb->psk_lookup = policy_psk_lookup;
  cb->authorize_request = policy_authorize_request;
  cb->authorize_resolve = policy_authorize_resolve;
  cb->is_member = policy_is_member;
  return 0;
}
