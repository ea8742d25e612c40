/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The ticket policy (RFC 6043 6.10): flag rules, the TP Data chain both
 * ways, what an Initiator may accept, and the validity window.
 */
#include <string.h>

#include <imsmediasec/ticket.h>

#include "mikey/codec.h" /* imsms_mikey_iter_next_idr */

#define MAX_TEMPLATE_KEYS 8
#define MIN_KEY_LEN 16
#define MAX_KEY_LEN 64
#define TR_PRIVATE_FIRST 240

/* "a implies b" over flag bits. */
static int implies(uint16_t flags, uint16_t a, uint16_t b) {
  return !(flags & a) || (flags & b);
}

/* see imsmediasec/ticket.h */
int imsms_tp_check_flags(uint16_t flags, int ticket_has_tgk) {
  if ((flags & 0x000f) || /* not flags: reserved bits */
      !(flags & (IMSMS_TP_D | IMSMS_TP_L)) || /* !D => L */
      !implies(flags, IMSMS_TP_G, IMSMS_TP_F) ||
      !(flags & (IMSMS_TP_G | IMSMS_TP_H)) || /* !G => H */
      !implies(flags, IMSMS_TP_I, IMSMS_TP_E) ||
      !implies(flags, IMSMS_TP_K, IMSMS_TP_D) ||
      !implies(flags, IMSMS_TP_M, IMSMS_TP_F) ||
      (ticket_has_tgk && (flags & IMSMS_TP_I) && !(flags & IMSMS_TP_F))) {
    return IMSMS_ERR_MIKEY_TP;
  }
  return 0;
}

static int id_ok(const imsms_id *id, int required) {
  if (id->len == 0) {
    return !required;
  }
  return id->data != NULL && id->len <= 0xffff &&
         id->type <= IMSMS_MIKEY_ID_BYTES;
}

static int is_tgk_type(uint8_t type) {
  return type == IMSMS_MIKEY_KEY_TGK || type == IMSMS_MIKEY_KEY_TGK_SALT;
}

static int key_ok(const imsms_tp_key *k) {
  int salted = k->type == IMSMS_MIKEY_KEY_TGK_SALT ||
               k->type == IMSMS_MIKEY_KEY_TEK_SALT ||
               k->type == IMSMS_MIKEY_KEY_GTGK_SALT;

  return k->type <= IMSMS_MIKEY_KEY_GTGK_SALT && k->key_len >= MIN_KEY_LEN &&
         k->key_len <= MAX_KEY_LEN && (salted || k->salt_len == 0) &&
         k->salt_len <= MAX_KEY_LEN &&
         (k->kv == IMSMS_MIKEY_KV_NULL || k->kv == IMSMS_MIKEY_KV_SPI) &&
         k->spi_len <= 0xff && (k->kv == IMSMS_MIKEY_KV_SPI || !k->spi_len);
}

static int template_has_tgk(const imsms_tp *tp) {
  size_t i;

  for (i = 0; i < tp->nkeys; i++) {
    if (is_tgk_type(tp->keys[i].type)) {
      return 1;
    }
  }
  return 0;
}

/* see imsmediasec/ticket.h */
int imsms_tp_validate(const imsms_tp *tp) {
  size_t i;

  if (tp == NULL || (tp->keys == NULL && tp->nkeys) ||
      (tp->apps == NULL && tp->napps) ||
      (tp->responders == NULL && tp->nresponders)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (tp->version != IMSMS_TP_V1) {
    return IMSMS_ERR_VERSION;
  }
  /*
   * Only the template tells what the ticket will hold; without one (a
   * granted policy never has one) the KMS that picks the key set checks
   * the F rule for it.
   */
  if (imsms_tp_check_flags(tp->flags, template_has_tgk(tp)) != 0 ||
      tp->prf_func > IMSMS_MIKEY_PRF_HMAC_SHA256 || tp->nresponders == 0 ||
      tp->nkeys > MAX_TEMPLATE_KEYS ||
      !id_ok(&tp->kms, 0) || !id_ok(&tp->initiator, 0) ||
      (tp->has_start && tp->has_end &&
       (int64_t)(tp->end - tp->start) < 0)) {
    return IMSMS_ERR_MIKEY_TP;
  }
  for (i = 0; i < tp->nkeys; i++) {
    if (!key_ok(&tp->keys[i])) {
      return IMSMS_ERR_MIKEY_TP;
    }
  }
  for (i = 0; i < tp->napps; i++) {
    if (!id_ok(&tp->apps[i], 1)) {
      return IMSMS_ERR_MIKEY_TP;
    }
  }
  for (i = 0; i < tp->nresponders; i++) {
    if (!id_ok(&tp->responders[i], 1)) {
      return IMSMS_ERR_MIKEY_TP;
    }
  }
  return 0;
}

/* ---- TP Data encoding ---------------------------------------------- */

static const uint8_t zeros[MAX_KEY_LEN];

/* The key data of the template: keys of zeros (RFC 6043 6.10). */
static imsms_ssize template_keydata(const imsms_tp *tp, uint8_t *out,
                                    size_t cap) {
  imsms_mikey_keydata kd[MAX_TEMPLATE_KEYS];
  size_t i;

  if (tp->nkeys > MAX_TEMPLATE_KEYS) {
    return IMSMS_ERR_MIKEY_TP;
  }
  memset(kd, 0, sizeof(kd));
  for (i = 0; i < tp->nkeys; i++) {
    kd[i].type = tp->keys[i].type;
    kd[i].kv = tp->keys[i].kv;
    kd[i].key = zeros;
    kd[i].key_len = tp->keys[i].key_len;
    kd[i].salt = tp->keys[i].salt_len ? zeros : NULL;
    kd[i].salt_len = tp->keys[i].salt_len;
    kd[i].spi = tp->keys[i].spi_len ? zeros : NULL;
    kd[i].spi_len = tp->keys[i].spi_len;
  }
  return imsms_mikey_keydata_encode(out, cap, kd, tp->nkeys);
}

/*
 * Appends one payload to the chain at |out|: it is encoded alone (next
 * byte 0), then the previous payload's next byte is pointed at it, so a
 * thousand responders need no array.
 */
typedef struct chain_writer {
  uint8_t *out;
  size_t cap;
  size_t len;
  uint8_t *prev_next; /* next byte of the previous payload */
  uint8_t first;
  imsms_ssize err;
} chain_writer;

static void chain_add(chain_writer *w, const imsms_mikey_payload *pl) {
  imsms_ssize n;

  if (w->err) {
    return;
  }
  /* The codec's checks, then its writer: what imsms_mikey_chain_encode()
   * does for one payload, without its argument checks and second pass. */
  n = imsms_mikey_payload_len(pl);
  if (n >= 0 && w->out != NULL) {
    imsms_wbuf wb;

    if (w->cap - w->len < (size_t)n) {
      n = IMSMS_ERR_NOBUF;
    } else {
      imsms_wbuf_init(&wb, w->out + w->len, (size_t)n);
      imsms_mikey_payload_write(&wb, pl, IMSMS_MIKEY_PT_LAST);
    }
  }
  if (n < 0) {
    w->err = n;
    return;
  }
  if (w->prev_next) {
    *w->prev_next = pl->type;
  } else if (w->len == 0 && w->first == 0) {
    w->first = pl->type;
  }
  w->prev_next = w->out ? w->out + w->len : NULL;
  w->len += (size_t)n;
}

static void add_idr(chain_writer *w, uint8_t role, const imsms_id *id) {
  imsms_mikey_payload pl;

  if (id->len == 0) {
    return;
  }
  memset(&pl, 0, sizeof(pl));
  pl.type = IMSMS_MIKEY_PT_IDR;
  pl.u.idr.role = role;
  pl.u.idr.id_type = id->type;
  pl.u.idr.data = id->data;
  pl.u.idr.len = id->len;
  chain_add(w, &pl);
}

static void add_tr(chain_writer *w, uint8_t role, uint8_t ts_type,
                   uint64_t value) {
  imsms_mikey_payload pl;

  memset(&pl, 0, sizeof(pl));
  pl.type = IMSMS_MIKEY_PT_TR;
  pl.u.tr.role = role;
  pl.u.tr.ts_type = ts_type;
  pl.u.tr.value = value;
  chain_add(w, &pl);
}

static void add_template(chain_writer *w, const imsms_tp *tp) {
  uint8_t kd[8 * (4 + 2 * MAX_KEY_LEN + 4 + 255)];
  imsms_mikey_payload pl;
  imsms_ssize n = template_keydata(tp, kd, sizeof(kd));

  if (n < 0) {
    w->err = w->err ? w->err : n;
    return;
  }
  memset(&pl, 0, sizeof(pl));
  pl.type = IMSMS_MIKEY_PT_KEMAC;
  pl.u.kemac.encr_alg = IMSMS_MIKEY_ENCR_NULL;
  pl.u.kemac.encr_data = kd;
  pl.u.kemac.encr_len = (size_t)n;
  pl.u.kemac.mac_alg = IMSMS_MIKEY_MAC_NULL;
  chain_add(w, &pl);
}

static void write_chain(chain_writer *w, const imsms_tp *tp,
                        int with_template) {
  size_t i;

  add_idr(w, IMSMS_MIKEY_IDR_KMS, &tp->kms);
  add_idr(w, IMSMS_MIKEY_IDR_I, &tp->initiator);
  if (tp->has_start) {
    add_tr(w, IMSMS_MIKEY_TR_START, IMSMS_MIKEY_TS_NTP_UTC, tp->start);
  }
  if (tp->has_end) {
    add_tr(w, IMSMS_MIKEY_TR_END, IMSMS_MIKEY_TS_NTP_UTC, tp->end);
  }
  if (tp->has_rekey) {
    /* RFC 6043 6.10: TRr is NTP-UTC-32, the integer seconds. */
    add_tr(w, IMSMS_MIKEY_TR_REKEY, IMSMS_MIKEY_TS_NTP_UTC_32, tp->rekey_sec);
  }
  if (with_template && tp->nkeys) {
    add_template(w, tp);
  }
  for (i = 0; i < tp->napps; i++) {
    add_idr(w, IMSMS_MIKEY_IDR_APP, &tp->apps[i]);
  }
  for (i = 0; i < tp->nresponders; i++) {
    add_idr(w, IMSMS_MIKEY_IDR_R, &tp->responders[i]);
  }
}

/* see imsmediasec/ticket.h */
imsms_ssize imsms_tp_data_encode(const imsms_tp *tp, int with_template,
                                 uint8_t *out, size_t outcap) {
  chain_writer w;
  int rv = imsms_tp_validate(tp);

  if (rv != 0) {
    return rv;
  }
  if (out == NULL && outcap) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memset(&w, 0, sizeof(w));
  if (out != NULL && outcap > 0) {
    /* One pass: written straight into |out|; measured only on failure,
     * so that an oversized or bad policy reports that, not a short
     * buffer. What was written then is zeroed. */
    w.out = out + 1;
    w.cap = outcap - 1;
    write_chain(&w, tp, with_template);
    if (!w.err && 1 + w.len <= 0xffff) {
      out[0] = w.first;
      return (imsms_ssize)(1 + w.len);
    }
    memset(out, 0, 1 + w.len);
    memset(&w, 0, sizeof(w));
  }
  write_chain(&w, tp, with_template);
  if (w.err) {
    return w.err;
  }
  if (1 + w.len > 0xffff) {
    return IMSMS_ERR_TOO_LARGE;
  }
  return out == NULL ? (imsms_ssize)(1 + w.len) : IMSMS_ERR_NOBUF;
}

/* see imsmediasec/ticket.h */
int imsms_tp_payload(imsms_mikey_payload *pl, uint8_t type,
                     const imsms_tp *tp, const uint8_t *tp_data,
                     size_t tp_data_len) {
  if (pl == NULL || tp == NULL || (tp_data == NULL && tp_data_len) ||
      tp_data_len > 0xffff ||
      (type != IMSMS_MIKEY_PT_TP && type != IMSMS_MIKEY_PT_TICKET)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memset(pl, 0, sizeof(*pl));
  pl->type = type;
  pl->u.ticket.ticket_type = tp->ticket_type;
  pl->u.ticket.subtype = tp->subtype;
  pl->u.ticket.version = tp->ticket_version;
  pl->u.ticket.prf_func = tp->prf_func;
  pl->u.ticket.flags = tp->flags;
  pl->u.ticket.tp_data = tp_data;
  pl->u.ticket.tp_data_len = tp_data_len;
  return 0;
}

/* ---- TP Data decoding ---------------------------------------------- */

typedef struct tp_reader {
  imsms_tp *tp;
  imsms_tp_key *keys;
  size_t nkeys_cap;
  imsms_id *ids;
  size_t nids_cap;
  size_t nids;
  int seen_kms, seen_i, seen_tr[5], seen_kemac;
} tp_reader;

static int read_template(tp_reader *r, const imsms_mikey_kemac *k) {
  imsms_mikey_keydata kd;
  uint8_t next = IMSMS_MIKEY_PT_KEY_DATA;
  size_t off = 0;

  if (k->encr_alg != IMSMS_MIKEY_ENCR_NULL ||
      k->mac_alg != IMSMS_MIKEY_MAC_NULL) {
    return IMSMS_ERR_MIKEY_TP;
  }
  while (next == IMSMS_MIKEY_PT_KEY_DATA && off < k->encr_len) {
    imsms_ssize n = imsms_mikey_keydata_decode(&kd, &next, k->encr_data + off,
                                               k->encr_len - off);
    imsms_tp_key *t;

    if (n < 0) {
      return IMSMS_ERR_MIKEY_TP;
    }
    if (r->tp->nkeys == r->nkeys_cap) {
      return IMSMS_ERR_MIKEY_TOO_MANY;
    }
    t = &r->keys[r->tp->nkeys++];
    t->type = kd.type;
    t->key_len = kd.key_len;
    t->salt_len = kd.salt_len;
    t->kv = kd.kv;
    t->spi_len = kd.spi_len;
    off += (size_t)n;
  }
  return next == 0 && off == k->encr_len ? 0 : IMSMS_ERR_MIKEY_TP;
}

static int read_tr(tp_reader *r, const imsms_mikey_tr *tr) {
  /* NTP-UTC-32 is padded to 64 bits with a zero fraction (RFC 6043 6.3). */
  uint64_t t64 = tr->ts_type == IMSMS_MIKEY_TS_NTP_UTC_32 ? tr->value << 32
                                                          : tr->value;
  int ntp = tr->ts_type == IMSMS_MIKEY_TS_NTP_UTC ||
            tr->ts_type == IMSMS_MIKEY_TS_NTP ||
            tr->ts_type == IMSMS_MIKEY_TS_NTP_UTC_32;

  if (tr->role >= TR_PRIVATE_FIRST && tr->role != 255) {
    return 0; /* private use: ignored */
  }
  if (tr->role < IMSMS_MIKEY_TR_START || tr->role > IMSMS_MIKEY_TR_REKEY ||
      r->seen_tr[tr->role]++) {
    return IMSMS_ERR_MIKEY_TP;
  }
  switch (tr->role) {
  case IMSMS_MIKEY_TR_START:
    r->tp->has_start = 1;
    r->tp->start = t64;
    return ntp ? 0 : IMSMS_ERR_MIKEY_TP;
  case IMSMS_MIKEY_TR_END:
    r->tp->has_end = 1;
    r->tp->end = t64;
    return ntp ? 0 : IMSMS_ERR_MIKEY_TP;
  default:
    r->tp->has_rekey = 1;
    r->tp->rekey_sec = (uint32_t)tr->value;
    return tr->ts_type == IMSMS_MIKEY_TS_NTP_UTC_32 ? 0 : IMSMS_ERR_MIKEY_TP;
  }
}

static int read_idr(tp_reader *r, const imsms_mikey_idr *idr) {
  imsms_id id;

  id.type = idr->id_type;
  id.data = idr->data;
  id.len = idr->len;
  /*
   * An empty IDRkms or IDRi is present on the wire, yet |len| 0 is how
   * the model says absent: refused rather than read as absent, which
   * would change the policy when it is encoded again.
   */
  if ((idr->role == IMSMS_MIKEY_IDR_KMS || idr->role == IMSMS_MIKEY_IDR_I) &&
      idr->len == 0) {
    return IMSMS_ERR_MIKEY_TP;
  }
  switch (idr->role) {
  case IMSMS_MIKEY_IDR_KMS:
    r->tp->kms = id;
    return r->seen_kms++ ? IMSMS_ERR_MIKEY_TP : 0;
  case IMSMS_MIKEY_IDR_I:
    r->tp->initiator = id;
    return r->seen_i++ ? IMSMS_ERR_MIKEY_TP : 0;
  case IMSMS_MIKEY_IDR_APP:
  case IMSMS_MIKEY_IDR_R:
    /* IDRapp come before IDRr (RFC 6043 6.10): one array holds both. */
    if (r->nids == r->nids_cap) {
      return IMSMS_ERR_MIKEY_TOO_MANY;
    }
    if (idr->role == IMSMS_MIKEY_IDR_APP) {
      if (r->tp->nresponders) {
        return IMSMS_ERR_MIKEY_TP;
      }
      r->tp->napps++;
    } else {
      r->tp->nresponders++;
    }
    r->ids[r->nids++] = id;
    return 0;
  default:
    return 0; /* unexpected roles are ignored */
  }
}

static int read_payload(tp_reader *r, const imsms_mikey_payload *pl) {
  switch (pl->type) {
  case IMSMS_MIKEY_PT_IDR:
    return read_idr(r, &pl->u.idr);
  case IMSMS_MIKEY_PT_TR:
    return read_tr(r, &pl->u.tr);
  case IMSMS_MIKEY_PT_KEMAC:
    return r->seen_kemac++ ? IMSMS_ERR_MIKEY_TP
                           : read_template(r, &pl->u.kemac);
  default:
    return 0; /* RFC 6043 6.10: unexpected payloads are ignored */
  }
}

/* see imsmediasec/ticket.h */
int imsms_tp_decode(imsms_tp *tp, const imsms_mikey_ticket *t,
                    imsms_tp_key *keys, size_t nkeys, imsms_id *ids,
                    size_t nids) {
  imsms_mikey_payload pl;
  imsms_mikey_iter it;
  tp_reader r;
  int rv = 0;

  if (tp == NULL || t == NULL || (keys == NULL && nkeys) ||
      (ids == NULL && nids) || (t->tp_data == NULL && t->tp_data_len)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memset(tp, 0, sizeof(*tp));
  tp->version = IMSMS_TP_V1;
  tp->ticket_type = t->ticket_type;
  tp->subtype = t->subtype;
  tp->ticket_version = t->version;
  tp->prf_func = t->prf_func;
  tp->flags = t->flags;
  memset(&r, 0, sizeof(r));
  r.tp = tp;
  r.keys = keys;
  r.nkeys_cap = nkeys;
  r.ids = ids;
  r.nids_cap = nids;
  /* 255 is no payload type on the wire (only our name for THDR). */
  if (t->tp_data_len && t->tp_data[0] == IMSMS_MIKEY_PT_THDR) {
    return IMSMS_ERR_MIKEY_PAYLOAD_TYPE;
  }
  if (t->tp_data_len) {
    imsms_mikey_chain_init(&it, t->tp_data[0], t->tp_data + 1,
                           t->tp_data_len - 1);
    while (rv == 0) {
      imsms_mikey_idr idr;

      if (imsms_mikey_iter_next_idr(&it, &idr)) {
        rv = read_idr(&r, &idr);
      } else if ((rv = imsms_mikey_iter_next(&it, &pl)) == 0) {
        rv = read_payload(&r, &pl);
      }
    }
    rv = rv == IMSMS_ERR_EOF ? (it.pos == it.end ? 0 : IMSMS_ERR_MIKEY_TRAILING)
                             : rv;
  }
  tp->keys = r.tp->nkeys ? keys : NULL;
  tp->apps = tp->napps ? ids : NULL;
  tp->responders = tp->nresponders ? ids + tp->napps : NULL;
  return rv != 0 ? rv : imsms_tp_validate(tp);
}

/* ---- Granted against requested -------------------------------------- */

static int same_id(const imsms_id *a, const imsms_id *b) {
  return a->type == b->type && a->len == b->len &&
         (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static int id_in(const imsms_id *id, const imsms_id *set, size_t n) {
  size_t i;

  for (i = 0; i < n; i++) {
    if (same_id(id, &set[i])) {
      return 1;
    }
  }
  return 0;
}

/* Every element of |sub| is in |set|. */
static int ids_within(const imsms_id *sub, size_t nsub, const imsms_id *set,
                      size_t nset) {
  size_t i;

  for (i = 0; i < nsub; i++) {
    if (!id_in(&sub[i], set, nset)) {
      return 0;
    }
  }
  return 1;
}

static const char *window_problem(const imsms_tp *rq, const imsms_tp *gr) {
  if (rq->has_start && (!gr->has_start || (int64_t)(gr->start - rq->start) < 0)) {
    return "validity starts before the requested start";
  }
  if (rq->has_end && (!gr->has_end || (int64_t)(gr->end - rq->end) > 0)) {
    return "validity ends after the requested end";
  }
  return NULL;
}

/* see imsmediasec/ticket.h */
int imsms_tp_grant_acceptable(const imsms_tp *requested,
                              const imsms_tp *granted, const char **reason) {
  /* Flags the KMS must keep as asked; it may clear J, L, M and set E. */
  const uint16_t kept = IMSMS_TP_F | IMSMS_TP_G | IMSMS_TP_H | IMSMS_TP_I;
  const uint16_t may_clear = IMSMS_TP_J | IMSMS_TP_L | IMSMS_TP_M;
  const char *why = NULL;

  if (requested == NULL || granted == NULL) {
    why = "no policy";
  } else if (imsms_tp_validate(granted) != 0) {
    why = "the granted policy breaks a rule";
  } else if (granted->ticket_type != requested->ticket_type ||
             granted->prf_func != requested->prf_func) {
    why = "ticket type or PRF";
  } else if ((granted->flags & kept) != (requested->flags & kept) ||
             (granted->flags & may_clear & ~requested->flags) ||
             (!(granted->flags & IMSMS_TP_E) &&
              (requested->flags & IMSMS_TP_E))) {
    why = "flags";
  } else if (!ids_within(granted->responders, granted->nresponders,
                         requested->responders, requested->nresponders)) {
    why = "a responder that was not asked for";
  } else if (requested->napps &&
             (granted->napps == 0 ||
              !ids_within(granted->apps, granted->napps, requested->apps,
                          requested->napps))) {
    why = "an application that was not asked for";
  } else {
    why = window_problem(requested, granted);
  }
  if (reason) {
    *reason = why;
  }
  return why ? IMSMS_ERR_MIKEY_TP : 0;
}

/* see imsmediasec/ticket.h */
int imsms_tp_check_time(const imsms_tp *tp, imsms_tstamp now) {
  if (tp == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  /* Signed differences keep the comparison right across NTP eras. */
  if (tp->has_start && (int64_t)(now - tp->start) < 0) {
    return IMSMS_ERR_TICKET_NOT_YET_VALID;
  }
  if (tp->has_end && (int64_t)(now - tp->end) > 0) {
    return IMSMS_ERR_TICKET_EXPIRED;
  }
  return 0;
}
