/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * RFC 3830 pre-shared key mode: the I_MESSAGE (HDR, T, RAND, [IDi],
 * [IDr], {SP}, KEMAC), the verification message (HDR, T, [IDr], V) and
 * the Error message. Choices where RFC 3830 leaves room:
 *  - An I_MESSAGE with a single ID payload names the Initiator (IDi).
 *  - Timestamps must be NTP-UTC or NTP; COUNTER needs per-peer state that
 *    this stateless API does not keep.
 *  - The verification MAC appends the ID data (not whole payloads) of IDi
 *    and IDr and the 8-byte T value, as RFC 6043 5.5 states explicitly.
 */
#include <string.h>

#include "core/ctx.h"
#include "mikey/codec.h"
#include "mikey/protect.h"

/* Plaintext key data and a map; larger inputs are refused. */
#define MAX_KEYDATA 1024
#define MAX_MAP 4096
#define MAX_PAYLOADS 40
#define DEFAULT_SKEW 300

static const uint8_t zero_mac[IMSMS_MAX_DIGEST_LEN];

/* Derives the message keys of |encr_alg|/|mac_alg| from |psk| and |rand|. */
static int psk_keys(imsms_ctx *ctx, const uint8_t *psk, size_t psklen,
                    uint8_t prf_func, uint8_t encr_alg, uint8_t mac_alg,
                    uint32_t csb_id, const uint8_t *rand, size_t randlen,
                    imsms_mikey_msgkeys *k) {
  imsms_prf prf;
  int rv;

  if (prf_func > IMSMS_MIKEY_PRF_HMAC_SHA256) {
    return IMSMS_ERR_MIKEY_PRF;
  }
  imsms_prf_init(&prf, ctx);
  rv = imsms_prf_setkey(&prf, prf_func, psk, psklen);
  if (rv == 0) {
    rv = imsms_mikey_msgkeys_3830(&prf, encr_alg, mac_alg, csb_id, rand,
                                  randlen, k);
  }
  imsms_prf_free(&prf);
  return rv;
}

static void add_id(imsms_mikey_payload *pl, size_t *n, uint8_t type,
                   const uint8_t *data, size_t len) {
  if (data == NULL) {
    return;
  }
  memset(&pl[*n], 0, sizeof(pl[*n]));
  pl[*n].type = IMSMS_MIKEY_PT_ID;
  pl[*n].u.id.type = type;
  pl[*n].u.id.data = data;
  pl[*n].u.id.len = len;
  (*n)++;
}

static void add_t(imsms_mikey_payload *pl, size_t *n, uint8_t ts_type,
                  imsms_tstamp t) {
  memset(&pl[*n], 0, sizeof(pl[*n]));
  pl[*n].type = IMSMS_MIKEY_PT_T;
  pl[*n].u.t.ts_type = ts_type;
  pl[*n].u.t.value = t;
  (*n)++;
}

/* Encodes |pls| behind |hdr| and writes the MAC into its last |maclen| bytes. */
static imsms_ssize seal(imsms_ctx *ctx, const imsms_mikey_hdr *hdr,
                        const imsms_mikey_payload *pls, size_t n,
                        uint8_t mac_alg, const imsms_mikey_msgkeys *k,
                        const imsms_iov *extra, size_t nextra, uint8_t *out,
                        size_t outcap) {
  imsms_iov iov[4];
  imsms_ssize len = imsms_mikey_encode(out, outcap, hdr, pls, n);
  size_t maclen = (size_t)imsms_mikey_mac_len(mac_alg), i;
  int rv;

  if (len < 0) {
    return len;
  }
  iov[0].base = out;
  iov[0].len = (size_t)len - maclen;
  for (i = 0; i < nextra; i++) {
    iov[1 + i] = extra[i];
  }
  rv = imsms_mikey_mac(ctx, mac_alg, k->auth, k->auth_len, iov, 1 + nextra,
                       out + iov[0].len);
  if (rv != 0) {
    imsms_secure_clear(out, (size_t)len);
    return rv;
  }
  return len;
}

static int check_init_args(imsms_ctx *ctx, const uint8_t *psk,
                           const imsms_mikey_psk_init *p, const uint8_t *out) {
  if (ctx == NULL || psk == NULL || p == NULL || out == NULL ||
      (p->rand == NULL && p->update_rand == NULL) ||
      (p->sp == NULL && p->nsp) || (p->keys == NULL && p->nkeys) ||
      p->nsp + 6 > MAX_PAYLOADS) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  return 0;
}

/* see imsmediasec/mikey.h */
imsms_ssize imsms_mikey_psk_init_encode(imsms_ctx *ctx, const uint8_t *psk,
                                        size_t psklen,
                                        const imsms_mikey_psk_init *p,
                                        uint8_t *out, size_t outcap) {
  uint8_t map[MAX_MAP], plain[MAX_KEYDATA], cipher[MAX_KEYDATA + 8];
  imsms_mikey_payload pl[MAX_PAYLOADS];
  imsms_mikey_msgkeys k;
  imsms_mikey_hdr hdr;
  size_t n = 0, i, clen = 0;
  imsms_ssize maplen, plen, rv;

  if ((rv = check_init_args(ctx, psk, p, out)) != 0) {
    return rv;
  }
  maplen = imsms_mikey_map_encode(map, sizeof(map), p->map_type, p->cs, p->ncs);
  if (maplen < 0) {
    return maplen == IMSMS_ERR_NOBUF ? IMSMS_ERR_TOO_LARGE : maplen;
  }
  plen = imsms_mikey_keydata_encode(plain, sizeof(plain), p->keys, p->nkeys);
  if (plen < 0) {
    return plen == IMSMS_ERR_NOBUF ? IMSMS_ERR_TOO_LARGE : plen;
  }
  rv = psk_keys(ctx, psk, psklen, p->prf_func, p->encr_alg, p->mac_alg,
                p->csb_id, p->rand ? p->rand : p->update_rand,
                p->rand ? p->rand_len : p->update_rand_len, &k);
  if (rv == 0) {
    rv = imsms_mikey_kemac_crypt(ctx, 1, p->encr_alg, &k, p->csb_id, p->t,
                                 plain, (size_t)plen, cipher, sizeof(cipher),
                                 &clen);
  }
  imsms_secure_clear(plain, sizeof(plain));
  if (rv != 0) {
    imsms_mikey_msgkeys_clear(&k);
    imsms_secure_clear(cipher, sizeof(cipher));
    return rv;
  }
  memset(&hdr, 0, sizeof(hdr));
  hdr.version = 1;
  hdr.data_type = IMSMS_MIKEY_PSK_INIT;
  hdr.v = p->v ? 1 : 0;
  hdr.prf_func = p->prf_func;
  hdr.csb_id = p->csb_id;
  hdr.ncs = (uint8_t)p->ncs;
  hdr.map_type = p->map_type;
  hdr.map_info = map;
  hdr.map_info_len = (size_t)maplen;
  add_t(pl, &n, IMSMS_MIKEY_TS_NTP_UTC, p->t);
  if (p->rand) {
    memset(&pl[n], 0, sizeof(pl[n]));
    pl[n].type = IMSMS_MIKEY_PT_RAND;
    pl[n].u.rand.rand = p->rand;
    pl[n].u.rand.len = p->rand_len;
    n++;
  }
  add_id(pl, &n, p->idi_type, p->idi, p->idi_len);
  add_id(pl, &n, p->idr_type, p->idr, p->idr_len);
  for (i = 0; i < p->nsp; i++, n++) {
    memset(&pl[n], 0, sizeof(pl[n]));
    pl[n].type = IMSMS_MIKEY_PT_SP;
    pl[n].u.sp = p->sp[i];
  }
  memset(&pl[n], 0, sizeof(pl[n]));
  pl[n].type = IMSMS_MIKEY_PT_KEMAC;
  pl[n].u.kemac.encr_alg = p->encr_alg;
  pl[n].u.kemac.encr_data = cipher;
  pl[n].u.kemac.encr_len = clen;
  pl[n].u.kemac.mac_alg = p->mac_alg;
  pl[n].u.kemac.mac = zero_mac;
  pl[n].u.kemac.mac_len = (size_t)imsms_mikey_mac_len(p->mac_alg);
  n++;
  rv = seal(ctx, &hdr, pl, n, p->mac_alg, &k, NULL, 0, out, outcap);
  imsms_mikey_msgkeys_clear(&k);
  /* With NULL encryption the "ciphertext" is the plaintext keys. */
  imsms_secure_clear(cipher, sizeof(cipher));
  return rv;
}

/* The payloads an I_MESSAGE check needs, gathered in one pass. */
typedef struct psk_fields {
  const imsms_mikey_payload *t, *rand, *kemac, *v;
  const imsms_mikey_payload *id[2];
  size_t nid;
  int dup;
} psk_fields;

static void gather(psk_fields *f, const imsms_mikey_payload *pl, size_t n) {
  size_t i;

  memset(f, 0, sizeof(*f));
  for (i = 0; i < n; i++) {
    const imsms_mikey_payload **slot = NULL;

    switch (pl[i].type) {
    case IMSMS_MIKEY_PT_T:
      slot = &f->t;
      break;
    case IMSMS_MIKEY_PT_RAND:
      slot = &f->rand;
      break;
    case IMSMS_MIKEY_PT_KEMAC:
      slot = &f->kemac;
      break;
    case IMSMS_MIKEY_PT_V:
      slot = &f->v;
      break;
    case IMSMS_MIKEY_PT_ID:
      if (f->nid < 2) {
        f->id[f->nid] = &pl[i];
      }
      f->dup |= ++f->nid > 2;
      break;
    default:
      break; /* RFC 3830: other payloads are ignored */
    }
    if (slot) {
      f->dup |= *slot != NULL;
      *slot = &pl[i];
    }
  }
}

static int check_time(const imsms_mikey_payload *t, imsms_tstamp now,
                      uint32_t skew_sec) {
  uint64_t skew = (uint64_t)(skew_sec ? skew_sec : DEFAULT_SKEW) << 32;
  int64_t diff;

  if (t->u.t.ts_type != IMSMS_MIKEY_TS_NTP_UTC &&
      t->u.t.ts_type != IMSMS_MIKEY_TS_NTP) {
    return IMSMS_ERR_MIKEY_TS_TYPE;
  }
  /* Signed difference: correct across the NTP era boundary. */
  diff = (int64_t)(t->u.t.value - now);
  if (diff > (int64_t)skew || diff < -(int64_t)skew) {
    return IMSMS_ERR_MIKEY_STALE;
  }
  return 0;
}

static int check_algs(uint8_t encr_alg, uint8_t mac_alg, int allow_null) {
  imsms_mikey_msgkeys k;
  int rv = imsms_mikey_alg_lens(encr_alg, mac_alg, &k);

  if (rv == 0 && !allow_null) {
    if (encr_alg == IMSMS_MIKEY_ENCR_NULL) {
      rv = IMSMS_ERR_MIKEY_ENCR_ALG;
    } else if (mac_alg == IMSMS_MIKEY_MAC_NULL) {
      rv = IMSMS_ERR_MIKEY_MAC_ALG;
    }
  }
  return rv;
}

/* Replay id: the MAC value, or a hash of the message when it has none. */
static int replay_check(imsms_ctx *ctx, const imsms_mikey_verify_opts *o,
                        const imsms_mikey_msg *msg,
                        const imsms_mikey_kemac *km, imsms_tstamp t,
                        imsms_tstamp now) {
  uint8_t digest[IMSMS_SHA256_LEN];
  const uint8_t *id = km->mac;
  size_t idlen = km->mac_len;

  if (o->replay == NULL) {
    return 0;
  }
  if (idlen == 0) {
    if (ctx->cp->sha256(ctx->cstate, msg->data, msg->len, digest) != 0) {
      return IMSMS_ERR_CRYPTO;
    }
    id = digest;
    idlen = sizeof(digest);
  }
  return o->replay(id, idlen, t, now, o->replay_data);
}

static int verify_fields(const imsms_mikey_msg *msg,
                         const psk_fields *f, imsms_tstamp now,
                         const imsms_mikey_verify_opts *o,
                         imsms_mikey_psk_verified *out) {
  int rv;

  if (msg->hdr.data_type != IMSMS_MIKEY_PSK_INIT) {
    return IMSMS_ERR_MIKEY_UNEXPECTED;
  }
  /* The MAC covers the whole message, so KEMAC must be last. */
  if (f->dup || f->t == NULL || f->kemac == NULL ||
      f->kemac->raw + f->kemac->rawlen != msg->data + msg->len ||
      (f->rand == NULL && o->update_rand == NULL)) {
    return IMSMS_ERR_MIKEY_MISSING;
  }
  if ((rv = check_time(f->t, now, o->skew_sec)) != 0 ||
      (rv = check_algs(f->kemac->u.kemac.encr_alg, f->kemac->u.kemac.mac_alg,
                       o->allow_null)) != 0) {
    return rv;
  }
  memset(out, 0, sizeof(*out));
  out->msg = *msg;
  out->t = f->t->u.t.value;
  out->ts_type = f->t->u.t.ts_type;
  out->rand = f->rand ? f->rand->u.rand.rand : o->update_rand;
  out->rand_len = f->rand ? f->rand->u.rand.len : o->update_rand_len;
  if (f->nid > 0) {
    out->idi = f->id[0]->u.id.data;
    out->idi_len = f->id[0]->u.id.len;
  }
  if (f->nid > 1) {
    out->idr = f->id[1]->u.id.data;
    out->idr_len = f->id[1]->u.id.len;
  }
  out->encr_alg = f->kemac->u.kemac.encr_alg;
  out->mac_alg = f->kemac->u.kemac.mac_alg;
  return 0;
}

/* see imsmediasec/mikey.h */
int imsms_mikey_psk_init_verify(imsms_ctx *ctx, const uint8_t *psk,
                                size_t psklen, const uint8_t *in, size_t inlen,
                                imsms_tstamp now,
                                const imsms_mikey_verify_opts *opts,
                                uint8_t *keybuf, size_t keycap,
                                imsms_mikey_psk_verified *out) {
  static const imsms_mikey_verify_opts defaults;
  imsms_mikey_payload pl[MAX_PAYLOADS];
  const imsms_mikey_verify_opts *o = opts ? opts : &defaults;
  const imsms_mikey_kemac *km;
  imsms_mikey_msgkeys k;
  imsms_mikey_msg msg;
  psk_fields f;
  imsms_iov iov;
  imsms_ssize n;
  int rv;

  if (keybuf == NULL && keycap) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  /* Every failure below wipes |keybuf|, as mikey.h promises. */
  if (ctx == NULL || psk == NULL || in == NULL || out == NULL) {
    rv = IMSMS_ERR_INVALID_ARGUMENT;
    goto fail;
  }
  n = imsms_mikey_decode_all(&msg, pl, MAX_PAYLOADS, in, inlen);
  if (n < 0) {
    rv = (int)n;
    goto fail;
  }
  gather(&f, pl, (size_t)n);
  if ((rv = verify_fields(&msg, &f, now, o, out)) != 0) {
    goto fail;
  }
  km = &f.kemac->u.kemac;
  rv = psk_keys(ctx, psk, psklen, msg.hdr.prf_func, km->encr_alg, km->mac_alg,
                msg.hdr.csb_id, out->rand, out->rand_len, &k);
  if (rv == 0) {
    iov.base = in;
    iov.len = inlen - km->mac_len;
    rv = imsms_mikey_mac_verify(ctx, km->mac_alg, k.auth, k.auth_len, &iov, 1,
                                km->mac);
  }
  if (rv == 0) {
    rv = imsms_mikey_kemac_crypt(ctx, 0, km->encr_alg, &k, msg.hdr.csb_id,
                                 out->t, km->encr_data, km->encr_len, keybuf,
                                 keycap, &out->keys_len);
  }
  imsms_mikey_msgkeys_clear(&k);
  if (rv == 0) {
    rv = imsms_mikey_keydata_chain_check(keybuf, out->keys_len, NULL);
  }
  /* Only an authenticated, well-formed message may enter the cache. */
  if (rv == 0) {
    rv = replay_check(ctx, o, &msg, km, out->t, now);
  }
fail:
  if (rv != 0) {
    if (keybuf != NULL) {
      imsms_secure_clear(keybuf, keycap);
    }
    if (out != NULL) {
      out->keys_len = 0;
    }
  }
  return rv;
}

/* The MAC input after a verification message: IDi, IDr and T. */
static void resp_extra(imsms_iov extra[3], uint8_t tbuf[8],
                       const imsms_mikey_psk_verified *init) {
  int i;

  for (i = 0; i < 8; i++) {
    tbuf[i] = (uint8_t)(init->t >> (56 - 8 * i));
  }
  extra[0].base = init->idi;
  extra[0].len = init->idi_len;
  extra[1].base = init->idr;
  extra[1].len = init->idr_len;
  extra[2].base = tbuf;
  extra[2].len = 8;
}

/* see imsmediasec/mikey.h */
imsms_ssize imsms_mikey_psk_resp_encode(imsms_ctx *ctx, const uint8_t *psk,
                                        size_t psklen,
                                        const imsms_mikey_psk_verified *init,
                                        uint8_t idr_type, const uint8_t *idr,
                                        size_t idrlen, uint8_t mac_alg,
                                        uint8_t *out, size_t outcap) {
  imsms_mikey_payload pl[3];
  imsms_mikey_msgkeys k;
  imsms_mikey_hdr hdr;
  imsms_iov extra[3];
  uint8_t tbuf[8];
  size_t n = 0;
  imsms_ssize rv;

  if (ctx == NULL || psk == NULL || init == NULL || out == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  rv = psk_keys(ctx, psk, psklen, init->msg.hdr.prf_func,
                IMSMS_MIKEY_ENCR_NULL, mac_alg, init->msg.hdr.csb_id,
                init->rand, init->rand_len, &k);
  if (rv != 0) {
    return rv;
  }
  hdr = init->msg.hdr;
  hdr.data_type = IMSMS_MIKEY_PSK_RESP;
  hdr.v = 0;
  add_t(pl, &n, init->ts_type, init->t);
  add_id(pl, &n, idr_type, idr, idrlen);
  memset(&pl[n], 0, sizeof(pl[n]));
  pl[n].type = IMSMS_MIKEY_PT_V;
  pl[n].u.v.alg = mac_alg;
  pl[n].u.v.mac = zero_mac;
  pl[n].u.v.len = k.auth_len;
  n++;
  resp_extra(extra, tbuf, init);
  rv = seal(ctx, &hdr, pl, n, mac_alg, &k, extra, 3, out, outcap);
  imsms_mikey_msgkeys_clear(&k);
  return rv;
}

/*
 * Decodes the I_MESSAGE we sent, to recover what the response MAC covers;
 * a CSB update carries no RAND and uses the initial exchange's.
 */
static int own_init(const uint8_t *init, size_t initlen,
                    const imsms_mikey_verify_opts *o,
                    imsms_mikey_psk_verified *v) {
  imsms_mikey_payload pl[MAX_PAYLOADS];
  imsms_ssize n = imsms_mikey_decode_all(&v->msg, pl, MAX_PAYLOADS, init,
                                         initlen);
  psk_fields f;

  if (n < 0) {
    return (int)n;
  }
  gather(&f, pl, (size_t)n);
  if (v->msg.hdr.data_type != IMSMS_MIKEY_PSK_INIT || f.t == NULL ||
      (f.rand == NULL && (o == NULL || o->update_rand == NULL))) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  v->t = f.t->u.t.value;
  v->ts_type = f.t->u.t.ts_type;
  v->rand = f.rand ? f.rand->u.rand.rand : o->update_rand;
  v->rand_len = f.rand ? f.rand->u.rand.len : o->update_rand_len;
  v->idi = f.nid > 0 ? f.id[0]->u.id.data : NULL;
  v->idi_len = f.nid > 0 ? f.id[0]->u.id.len : 0;
  v->idr = f.nid > 1 ? f.id[1]->u.id.data : NULL;
  v->idr_len = f.nid > 1 ? f.id[1]->u.id.len : 0;
  return 0;
}

static int check_resp(const imsms_mikey_msg *msg, const psk_fields *f,
                      const imsms_mikey_psk_verified *init, int allow_null) {
  if (msg->hdr.data_type == IMSMS_MIKEY_ERROR) {
    return IMSMS_ERR_MIKEY_PEER_ERROR;
  }
  if (msg->hdr.data_type != IMSMS_MIKEY_PSK_RESP) {
    return IMSMS_ERR_MIKEY_UNEXPECTED;
  }
  if (msg->hdr.csb_id != init->msg.hdr.csb_id) {
    return IMSMS_ERR_MIKEY_CSB_ID;
  }
  if (f->dup || f->t == NULL || f->v == NULL ||
      f->v->raw + f->v->rawlen != msg->data + msg->len) {
    return IMSMS_ERR_MIKEY_MISSING;
  }
  if (f->t->u.t.value != init->t) {
    return IMSMS_ERR_MIKEY_STALE;
  }
  if (f->v->u.v.alg == IMSMS_MIKEY_MAC_NULL && !allow_null) {
    return IMSMS_ERR_MIKEY_MAC_ALG;
  }
  return 0;
}

/* see imsmediasec/mikey.h */
int imsms_mikey_psk_resp_verify(imsms_ctx *ctx, const uint8_t *psk,
                                size_t psklen, const uint8_t *init,
                                size_t initlen, const uint8_t *resp,
                                size_t resplen,
                                const imsms_mikey_verify_opts *opts) {
  imsms_mikey_payload pl[MAX_PAYLOADS];
  imsms_mikey_psk_verified iv;
  imsms_mikey_msgkeys k;
  imsms_mikey_msg msg;
  imsms_iov iov[4];
  uint8_t tbuf[8];
  psk_fields f;
  imsms_ssize n;
  int rv;

  if (ctx == NULL || psk == NULL || init == NULL || resp == NULL) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memset(&iv, 0, sizeof(iv));
  if ((rv = own_init(init, initlen, opts, &iv)) != 0) {
    return rv;
  }
  n = imsms_mikey_decode_all(&msg, pl, MAX_PAYLOADS, resp, resplen);
  if (n < 0) {
    return (int)n;
  }
  gather(&f, pl, (size_t)n);
  rv = check_resp(&msg, &f, &iv, opts ? opts->allow_null : 0);
  if (rv == 0) {
    rv = psk_keys(ctx, psk, psklen, iv.msg.hdr.prf_func,
                  IMSMS_MIKEY_ENCR_NULL, f.v->u.v.alg, iv.msg.hdr.csb_id,
                  iv.rand, iv.rand_len, &k);
  }
  if (rv == 0) {
    iov[0].base = resp;
    iov[0].len = resplen - f.v->u.v.len;
    resp_extra(iov + 1, tbuf, &iv);
    rv = imsms_mikey_mac_verify(ctx, f.v->u.v.alg, k.auth, k.auth_len, iov, 4,
                                f.v->u.v.mac);
    imsms_mikey_msgkeys_clear(&k);
  }
  return rv;
}

/* The RAND of a failed message, if it had one. */
static const imsms_mikey_payload *find_rand(const imsms_mikey_msg *msg,
                                            imsms_mikey_payload *buf) {
  imsms_mikey_iter it;

  imsms_mikey_iter_init(&it, msg);
  while (imsms_mikey_iter_next(&it, buf) == 0) {
    if (buf->type == IMSMS_MIKEY_PT_RAND) {
      return buf;
    }
  }
  return NULL;
}

/* see imsmediasec/mikey.h */
imsms_ssize imsms_mikey_error_encode(imsms_ctx *ctx,
                                     const imsms_mikey_msg *failed,
                                     imsms_tstamp now, const uint8_t *errs,
                                     size_t nerrs, const imsms_mikey_sp *sp,
                                     size_t nsp, const uint8_t *psk,
                                     size_t psklen, uint8_t mac_alg,
                                     uint8_t *out, size_t outcap) {
  imsms_mikey_payload pl[MAX_PAYLOADS], randbuf;
  const imsms_mikey_payload *rand = NULL;
  imsms_mikey_msgkeys k;
  imsms_mikey_hdr hdr;
  size_t n = 0, i;
  imsms_ssize rv;

  if (ctx == NULL || failed == NULL || errs == NULL || nerrs == 0 ||
      out == NULL || (sp == NULL && nsp) || nerrs + nsp + 2 > MAX_PAYLOADS) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  memset(&hdr, 0, sizeof(hdr));
  hdr.version = 1;
  hdr.data_type = IMSMS_MIKEY_ERROR;
  hdr.prf_func = failed->hdr.prf_func;
  hdr.csb_id = failed->hdr.csb_id;
  hdr.map_type = failed->hdr.map_type;
  add_t(pl, &n, IMSMS_MIKEY_TS_NTP_UTC, now);
  for (i = 0; i < nerrs; i++, n++) {
    memset(&pl[n], 0, sizeof(pl[n]));
    pl[n].type = IMSMS_MIKEY_PT_ERR;
    pl[n].u.err.error_no = errs[i];
  }
  for (i = 0; i < nsp; i++, n++) {
    memset(&pl[n], 0, sizeof(pl[n]));
    pl[n].type = IMSMS_MIKEY_PT_SP;
    pl[n].u.sp = sp[i];
  }
  if (psk) {
    rand = find_rand(failed, &randbuf);
  }
  if (rand == NULL || mac_alg == IMSMS_MIKEY_MAC_NULL) {
    return imsms_mikey_encode(out, outcap, &hdr, pl, n);
  }
  rv = psk_keys(ctx, psk, psklen, failed->hdr.prf_func, IMSMS_MIKEY_ENCR_NULL,
                mac_alg, failed->hdr.csb_id, rand->u.rand.rand,
                rand->u.rand.len, &k);
  if (rv != 0) {
    return rv;
  }
  memset(&pl[n], 0, sizeof(pl[n]));
  pl[n].type = IMSMS_MIKEY_PT_V;
  pl[n].u.v.alg = mac_alg;
  pl[n].u.v.mac = zero_mac;
  pl[n].u.v.len = k.auth_len;
  n++;
  rv = seal(ctx, &hdr, pl, n, mac_alg, &k, NULL, 0, out, outcap);
  imsms_mikey_msgkeys_clear(&k);
  return rv;
}
