/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * libFuzzer harness: the MIKEY codec on arbitrary bytes, public API only.
 *
 * When imsms_mikey_decode() accepts the input:
 *  - the payload iterator yields exactly |npayloads| contiguous payloads
 *    covering the message after HDR, then IMSMS_ERR_EOF;
 *  - the CS ID map yields #CS sessions (none for the Empty map) and
 *    imsms_mikey_map_encode() gives back the map info byte for byte;
 *  - the unchecked inner chains (TP Data, base-ticket Ticket Data,
 *    Initiator Data, NULL-encrypted KEMAC key data) are walked; they may
 *    fail, but a chain that parses to its end re-encodes to itself;
 *  - SP parameter lists are walked, re-encoded and parsed as SRTP
 *    policies;
 *  - decode_all + encode give back the input byte for byte (the decoder
 *    is strict), encoded_len agrees, and a buffer one byte short is
 *    refused with IMSMS_ERR_NOBUF;
 *  - the input without its last byte is refused as truncated.
 * The input is copied to an exact-size heap buffer so that ASan sees any
 * read past its end.
 */
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/mikey.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_DEPTH 4
#define MAX_CHAIN 256

static void walk_chain(uint8_t first, const uint8_t *in, size_t inlen,
                       int depth);

/* |p| of |n| bytes lies inside [lo, lo + lolen). */
static void require_inside(const uint8_t *p, size_t n, const uint8_t *lo,
                           size_t lolen) {
  if (n == 0) {
    return;
  }
  if (p == NULL || p < lo || n > lolen || (size_t)(p - lo) > lolen - n) {
    abort();
  }
}

static int top_level(uint8_t type) {
  return (type >= IMSMS_MIKEY_PT_KEMAC && type <= IMSMS_MIKEY_PT_TICKET) ||
         type == IMSMS_MIKEY_PT_GEN_EXT;
}

/* A Key data chain (KEMAC plaintext): decode until it stops. */
static void walk_keydata(const uint8_t *in, size_t inlen) {
  uint8_t next = IMSMS_MIKEY_PT_KEY_DATA;
  size_t off = 0;

  while (next == IMSMS_MIKEY_PT_KEY_DATA && off < inlen) {
    imsms_mikey_keydata kd;
    imsms_ssize n =
        imsms_mikey_keydata_decode(&kd, &next, in + off, inlen - off);

    if (n < 0) {
      return;
    }
    if (n == 0 || (size_t)n > inlen - off) {
      abort();
    }
    require_inside(kd.key, kd.key_len, in + off, (size_t)n);
    require_inside(kd.salt, kd.salt_len, in + off, (size_t)n);
    require_inside(kd.spi, kd.spi_len, in + off, (size_t)n);
    off += (size_t)n;
  }
}

/* SP parameters: walk, re-encode when whole, parse as SRTP. */
static void walk_sp(const imsms_mikey_sp *sp) {
  imsms_mikey_sp_param prm[256];
  imsms_mikey_srtp_policy pol;
  size_t off = 0, prev = 0, n = 0;
  int rv, prv;

  while ((rv = imsms_mikey_sp_param_next(sp, &off, &prm[n % 256])) == 0) {
    if (off <= prev || off > sp->len) {
      abort();
    }
    require_inside(prm[n % 256].value, prm[n % 256].len, sp->params, sp->len);
    prev = off;
    n++;
  }
  if (rv != IMSMS_ERR_EOF && rv != IMSMS_ERR_MIKEY_LENGTH) {
    abort();
  }
  if (rv == IMSMS_ERR_EOF && n <= 256) {
    uint8_t *out = malloc(sp->len + 1);
    imsms_ssize m;

    if (out == NULL) {
      abort();
    }
    m = imsms_mikey_sp_params_encode(out, sp->len, prm, n);
    if (m != (imsms_ssize)sp->len ||
        (sp->len && memcmp(out, sp->params, sp->len) != 0)) {
      abort();
    }
    free(out);
  }
  prv = imsms_mikey_srtp_policy_parse(&pol, sp);
  if (sp->prot_type != IMSMS_MIKEY_PROT_SRTP) {
    if (prv != IMSMS_ERR_MIKEY_SP) {
      abort();
    }
  } else if (rv != IMSMS_ERR_EOF && prv == 0) {
    abort(); /* a malformed TLV list cannot give a policy */
  } else if (prv == 0 && (pol.present >> 21) != 0) {
    abort(); /* only parameter types 0-20 exist */
  }
}

/* Walks the inner parts of one payload. */
static void inspect(const imsms_mikey_payload *pl, int depth) {
  const imsms_mikey_ticket *t = &pl->u.ticket;

  switch (pl->type) {
  case IMSMS_MIKEY_PT_TP:
  case IMSMS_MIKEY_PT_TICKET:
    require_inside(t->tp_data, t->tp_data_len, pl->raw, pl->rawlen);
    if (t->tp_data_len) {
      walk_chain(t->tp_data[0], t->tp_data + 1, t->tp_data_len - 1, depth);
    }
    if (pl->type == IMSMS_MIKEY_PT_TP) {
      if (t->ticket_data_len || t->init_data_len) {
        abort();
      }
      break;
    }
    require_inside(t->ticket_data, t->ticket_data_len, pl->raw, pl->rawlen);
    require_inside(t->init_data, t->init_data_len, pl->raw, pl->rawlen);
    if (t->ticket_type == IMSMS_MIKEY_TICKET_MIKEY_BASE) {
      walk_chain(IMSMS_MIKEY_PT_THDR, t->ticket_data, t->ticket_data_len,
                 depth);
    }
    if (t->init_data_len) {
      walk_chain(t->init_data[0], t->init_data + 1, t->init_data_len - 1,
                 depth);
    }
    break;
  case IMSMS_MIKEY_PT_SP:
    require_inside(pl->u.sp.params, pl->u.sp.len, pl->raw, pl->rawlen);
    walk_sp(&pl->u.sp);
    break;
  case IMSMS_MIKEY_PT_KEMAC:
    require_inside(pl->u.kemac.encr_data, pl->u.kemac.encr_len, pl->raw,
                   pl->rawlen);
    require_inside(pl->u.kemac.mac, pl->u.kemac.mac_len, pl->raw, pl->rawlen);
    if (pl->u.kemac.encr_alg == IMSMS_MIKEY_ENCR_NULL) {
      walk_keydata(pl->u.kemac.encr_data, pl->u.kemac.encr_len);
    }
    break;
  case IMSMS_MIKEY_PT_DH:
    require_inside(pl->u.dh.value, pl->u.dh.value_len, pl->raw, pl->rawlen);
    require_inside(pl->u.dh.kv_data, pl->u.dh.kv_len, pl->raw, pl->rawlen);
    break;
  case IMSMS_MIKEY_PT_SIGN:
    require_inside(pl->u.sign.sig, pl->u.sign.len, pl->raw, pl->rawlen);
    break;
  default:
    break;
  }
}

/*
 * An inner payload chain, which imsms_mikey_decode() has not checked:
 * it may fail anywhere, but what parses lies inside it, and a chain that
 * parses exactly to its end and holds only encodable payloads re-encodes
 * to itself (any other one is refused by the encoder).
 */
static void walk_chain(uint8_t first, const uint8_t *in, size_t inlen,
                       int depth) {
  imsms_mikey_payload *pls;
  imsms_mikey_iter it;
  const uint8_t *pos = in;
  size_t n = 0, i;
  int rv, encodable = 1;

  if (depth >= MAX_DEPTH) {
    return;
  }
  pls = calloc(MAX_CHAIN, sizeof(*pls));
  if (pls == NULL) {
    abort();
  }
  imsms_mikey_chain_init(&it, first, in, inlen);
  while (n < MAX_CHAIN && (rv = imsms_mikey_iter_next(&it, &pls[n])) == 0) {
    if (pls[n].raw != pos || pls[n].rawlen == 0) {
      abort();
    }
    require_inside(pls[n].raw, pls[n].rawlen, in, inlen);
    pos += pls[n].rawlen;
    inspect(&pls[n], depth + 1);
    n++;
  }
  if (n == MAX_CHAIN || rv != IMSMS_ERR_EOF || pos != in + inlen) {
    free(pls);
    return;
  }
  for (i = 0; i < n; i++) {
    if (!(top_level(pls[i].type) ||
          (i == 0 && pls[i].type == IMSMS_MIKEY_PT_THDR)) ||
        (pls[i].type == IMSMS_MIKEY_PT_SIGN && i + 1 != n)) {
      encodable = 0;
    }
  }
  {
    uint8_t *out = malloc(inlen + 1);
    imsms_ssize m;

    if (out == NULL) {
      abort();
    }
    m = imsms_mikey_chain_encode(out, inlen, pls, n);
    if (encodable) {
      if (m != (imsms_ssize)inlen || (inlen && memcmp(out, in, inlen) != 0)) {
        abort();
      }
      if (imsms_mikey_chain_encode(NULL, 0, pls, n) != (imsms_ssize)inlen) {
        abort();
      }
    } else if (m >= 0) {
      abort();
    }
    free(out);
  }
  free(pls);
}

/* The CS ID map: #CS sessions, then EOF; re-encodes to the map info. */
static void walk_map(const imsms_mikey_hdr *hdr) {
  imsms_mikey_cs cs[256];
  imsms_mikey_map_iter mi;
  size_t n = 0, want;
  uint8_t *out;
  int rv;

  imsms_mikey_map_iter_init(&mi, hdr);
  while ((rv = imsms_mikey_map_next(&mi, &cs[n])) == 0) {
    require_inside(cs[n].policies, cs[n].npolicies, hdr->map_info,
                   hdr->map_info_len);
    require_inside(cs[n].session_data, cs[n].session_data_len, hdr->map_info,
                   hdr->map_info_len);
    require_inside(cs[n].spi, cs[n].spi_len, hdr->map_info, hdr->map_info_len);
    if (++n > 255) {
      abort();
    }
  }
  want = hdr->map_type == IMSMS_MIKEY_MAP_EMPTY ? 0 : hdr->ncs;
  if (rv != IMSMS_ERR_EOF || n != want) {
    abort();
  }
  out = malloc(hdr->map_info_len + 1);
  if (out == NULL) {
    abort();
  }
  if (imsms_mikey_map_encode(out, hdr->map_info_len, hdr->map_type, cs, n) !=
          (imsms_ssize)hdr->map_info_len ||
      (hdr->map_info_len &&
       memcmp(out, hdr->map_info, hdr->map_info_len) != 0)) {
    abort();
  }
  free(out);
}

static void check_message(const uint8_t *buf, size_t size,
                          const imsms_mikey_msg *msg) {
  imsms_mikey_payload pl, *pls;
  imsms_mikey_iter it;
  imsms_mikey_msg m2;
  const uint8_t *pos;
  uint8_t *out;
  size_t n = 0;
  imsms_ssize got;
  int rv;

  if (msg->data != buf || msg->len != size || msg->hdr_len > size ||
      msg->hdr.version != 1 || msg->hdr.data_type > IMSMS_MIKEY_RESOLVE_RESP) {
    abort();
  }
  require_inside(msg->hdr.map_info, msg->hdr.map_info_len, buf, size);
  walk_map(&msg->hdr);

  pos = buf + msg->hdr_len;
  imsms_mikey_iter_init(&it, msg);
  while ((rv = imsms_mikey_iter_next(&it, &pl)) == 0) {
    if (pl.raw != pos || pl.rawlen == 0 || !top_level(pl.type) ||
        (size_t)(buf + size - pos) < pl.rawlen) {
      abort();
    }
    pos += pl.rawlen;
    inspect(&pl, 0);
    n++;
  }
  if (rv != IMSMS_ERR_EOF || n != msg->npayloads || pos != buf + size) {
    abort();
  }

  /* Decode into an array and encode again: the same bytes. */
  pls = calloc(n + 1, sizeof(*pls));
  out = malloc(size);
  if (pls == NULL || out == NULL) {
    abort();
  }
  if (n > 0 && imsms_mikey_decode_all(&m2, pls, n - 1, buf, size) !=
                   IMSMS_ERR_MIKEY_TOO_MANY) {
    abort();
  }
  if (imsms_mikey_decode_all(&m2, pls, n, buf, size) != (imsms_ssize)n) {
    abort();
  }
  if (imsms_mikey_encoded_len(&m2.hdr, pls, n) != (imsms_ssize)size) {
    abort();
  }
  got = imsms_mikey_encode(out, size, &m2.hdr, pls, n);
  if (got != (imsms_ssize)size || memcmp(out, buf, size) != 0) {
    abort();
  }
  if (imsms_mikey_encode(out, size - 1, &m2.hdr, pls, n) != IMSMS_ERR_NOBUF) {
    abort();
  }
  free(out);
  free(pls);

  /* Every proper prefix ends inside an element: the last one must fail. */
  if (imsms_mikey_decode(&m2, buf, size - 1) != IMSMS_ERR_TRUNCATED) {
    abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  imsms_mikey_msg msg;
  uint8_t *buf;
  int rv;

  /* Exact size, so ASan catches a read one byte past the end. */
  buf = malloc(size ? size : 1);
  if (buf == NULL) {
    return 0;
  }
  if (size) {
    memcpy(buf, data, size);
  }
  rv = imsms_mikey_decode(&msg, buf, size);
  if (rv == 0) {
    check_message(buf, size, &msg);
  } else if (rv >= 0 || rv == IMSMS_ERR_EOF) {
    abort();
  }
  free(buf);
  return 0;
}
