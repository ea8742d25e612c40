/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * libFuzzer harness: the RFC 3830 PSK Responder end to end, public API
 * only. The input is a received I_MESSAGE, checked under the fixed PSK,
 * "now" and update RAND of fuzz_psk.h with NULL algorithms allowed.
 *
 * On failure, when the message at least decodes, the Responder answers
 * with an Error message (imsms_mikey_error_encode(), the MIKEY error
 * number from imsms_mikey_err_from_error()), once without the PSK and
 * once with it. Each Error message must be built, must decode as data
 * type 6 with the failed message's CSB ID and PRF, T = now, the ERR
 * payload and the offered SP, and must carry V exactly when the PSK was
 * given and the failed message had a RAND. An Initiator that sent the
 * message must see it as IMSMS_ERR_MIKEY_PEER_ERROR.
 *
 * On success the Responder walks the decrypted key data, resolves every
 * SRTP policy of the message (a refused one is answered with an
 * authenticated Error message, checked as above), and builds the
 * verification message, which must decode and verify.
 */
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/mikey.h>

#include "fuzz_psk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static imsms_ctx *ctx;

/* The policy this Responder supports: AES-CM-128 / HMAC-SHA1-80. */
static const uint8_t our_params[] = {0, 1, 1, 1, 1, 16, 2, 1, 1, 11, 1, 10};

static void setup(void) {
  if (ctx == NULL && imsms_ctx_new(&ctx, NULL, NULL, NULL, NULL) != 0) {
    abort();
  }
}

static void opts_init(imsms_mikey_verify_opts *o) {
  memset(o, 0, sizeof(*o));
  o->skew_sec = IMSMS_FUZZ_SKEW_SEC;
  o->allow_null = 1;
  o->update_rand = IMSMS_FUZZ_UPDATE_RAND;
  o->update_rand_len = IMSMS_FUZZ_UPDATE_RAND_LEN;
}

/* What the message needs for imsms_mikey_psk_resp_verify() to use it. */
typedef struct msg_facts {
  int has_rand;
  int has_t;
  size_t npayloads;
} msg_facts;

static void facts(const imsms_mikey_msg *m, msg_facts *f) {
  imsms_mikey_payload pl;
  imsms_mikey_iter it;

  memset(f, 0, sizeof(*f));
  imsms_mikey_iter_init(&it, m);
  while (imsms_mikey_iter_next(&it, &pl) == 0) {
    f->has_rand |= pl.type == IMSMS_MIKEY_PT_RAND;
    f->has_t |= pl.type == IMSMS_MIKEY_PT_T;
    f->npayloads++;
  }
}

/*
 * Answers |failed| (the |inlen| bytes at |in|) with MIKEY error |errno_|,
 * with or without the PSK, and checks the Error message.
 */
static void answer_error(const uint8_t *in, size_t inlen,
                         const imsms_mikey_msg *failed, uint8_t errno_,
                         int with_psk) {
  imsms_mikey_payload pl[8];
  imsms_mikey_sp sp;
  imsms_mikey_msg m;
  msg_facts f;
  uint8_t err[512];
  imsms_ssize n, np;
  size_t nsp, i;
  int want_v, rv;

  facts(failed, &f);
  memset(&sp, 0, sizeof(sp));
  sp.policy_no = 0;
  sp.prot_type = IMSMS_MIKEY_PROT_SRTP;
  sp.params = our_params;
  sp.len = sizeof(our_params);
  nsp = errno_ == IMSMS_MIKEY_ERR_INVALID_SP ||
                errno_ == IMSMS_MIKEY_ERR_INVALID_SPPAR
            ? 1
            : 0;
  n = imsms_mikey_error_encode(
      ctx, failed, IMSMS_FUZZ_NOW, &errno_, 1, nsp ? &sp : NULL, nsp,
      with_psk ? IMSMS_FUZZ_PSK : NULL, with_psk ? IMSMS_FUZZ_PSK_LEN : 0,
      IMSMS_MIKEY_MAC_HMAC_SHA1_160, err, sizeof(err));
  want_v = with_psk && f.has_rand;
  if (n == IMSMS_ERR_MIKEY_PRF && want_v &&
      failed->hdr.prf_func > IMSMS_MIKEY_PRF_HMAC_SHA256) {
    /*
     * No key can be derived with an unknown PRF, so no V: the caller
     * answers without the PSK (done below). Reported: this code is not
     * in the documented list of imsms_mikey_error_encode().
     */
    return;
  }
  if (n <= 0) {
    abort();
  }
  np = imsms_mikey_decode_all(&m, pl, 8, err, (size_t)n);
  if (np != (imsms_ssize)(2 + nsp + (want_v ? 1 : 0)) ||
      m.hdr.data_type != IMSMS_MIKEY_ERROR ||
      m.hdr.csb_id != failed->hdr.csb_id ||
      m.hdr.prf_func != failed->hdr.prf_func || m.hdr.v != 0 ||
      pl[0].type != IMSMS_MIKEY_PT_T || pl[0].u.t.value != IMSMS_FUZZ_NOW ||
      pl[1].type != IMSMS_MIKEY_PT_ERR || pl[1].u.err.error_no != errno_) {
    abort();
  }
  for (i = 0; i < nsp; i++) {
    if (pl[2 + i].type != IMSMS_MIKEY_PT_SP ||
        pl[2 + i].u.sp.len != sizeof(our_params)) {
      abort();
    }
  }
  if (want_v && pl[np - 1].type != IMSMS_MIKEY_PT_V) {
    abort();
  }
  /* The Initiator, had it sent |in|, sees the peer's error. */
  if (failed->hdr.data_type == IMSMS_MIKEY_PSK_INIT && f.has_t && f.has_rand) {
    imsms_mikey_verify_opts o;

    opts_init(&o);
    rv = imsms_mikey_psk_resp_verify(ctx, IMSMS_FUZZ_PSK, IMSMS_FUZZ_PSK_LEN,
                                     in, inlen, err, (size_t)n, &o);
    if (rv != IMSMS_ERR_MIKEY_PEER_ERROR && rv != IMSMS_ERR_MIKEY_TOO_MANY) {
      abort();
    }
  }
}

/* The verified message's SRTP policies; 0 or the MIKEY error to send. */
static int resolve_policies(const imsms_mikey_msg *m) {
  imsms_mikey_srtp_policy pol;
  imsms_mikey_payload pl;
  imsms_mikey_iter it;
  int rv;

  imsms_mikey_iter_init(&it, m);
  while (imsms_mikey_iter_next(&it, &pl) == 0) {
    if (pl.type != IMSMS_MIKEY_PT_SP) {
      continue;
    }
    rv = imsms_mikey_srtp_policy_parse(&pol, &pl.u.sp);
    if (rv != 0) {
      int e = imsms_mikey_err_from_error(rv);

      if (e != IMSMS_MIKEY_ERR_INVALID_SP &&
          e != IMSMS_MIKEY_ERR_INVALID_SPPAR &&
          e != IMSMS_MIKEY_ERR_UNSPECIFIED) {
        abort();
      }
      return e;
    }
  }
  return 0;
}

static void respond(const uint8_t *in, size_t inlen,
                    const imsms_mikey_psk_verified *v, const uint8_t *keys) {
  static const uint8_t idr[] = "bob@example.net";
  imsms_mikey_verify_opts o;
  imsms_mikey_payload pl[4];
  imsms_mikey_msg m;
  uint8_t resp[512], next = IMSMS_MIKEY_PT_KEY_DATA;
  size_t off = 0;
  imsms_ssize rlen;
  int e;

  while (next == IMSMS_MIKEY_PT_KEY_DATA && off < v->keys_len) {
    imsms_mikey_keydata kd;
    imsms_ssize n =
        imsms_mikey_keydata_decode(&kd, &next, keys + off, v->keys_len - off);

    if (n <= 0) {
      abort(); /* the verifier accepted this chain */
    }
    off += (size_t)n;
  }
  if (next != 0 || off != v->keys_len) {
    abort();
  }
  e = resolve_policies(&v->msg);
  if (e != 0) {
    answer_error(in, inlen, &v->msg, (uint8_t)e, 1);
    return;
  }
  rlen = imsms_mikey_psk_resp_encode(ctx, IMSMS_FUZZ_PSK, IMSMS_FUZZ_PSK_LEN, v,
                                     IMSMS_MIKEY_ID_NAI, idr, sizeof(idr) - 1,
                                     v->mac_alg, resp, sizeof(resp));
  if (rlen <= 0 || imsms_mikey_decode_all(&m, pl, 4, resp, (size_t)rlen) != 3 ||
      m.hdr.data_type != IMSMS_MIKEY_PSK_RESP) {
    abort();
  }
  opts_init(&o);
  if (imsms_mikey_psk_resp_verify(ctx, IMSMS_FUZZ_PSK, IMSMS_FUZZ_PSK_LEN, in,
                                  inlen, resp, (size_t)rlen, &o) != 0) {
    abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  imsms_mikey_verify_opts o;
  imsms_mikey_psk_verified v;
  imsms_mikey_msg m;
  uint8_t *buf, *keys;
  int rv, e;

  setup();
  buf = malloc(size ? size : 1);
  keys = calloc(1, IMSMS_FUZZ_KEYCAP);
  if (buf == NULL || keys == NULL) {
    abort();
  }
  if (size) {
    memcpy(buf, data, size);
  }
  opts_init(&o);
  rv = imsms_mikey_psk_init_verify(ctx, IMSMS_FUZZ_PSK, IMSMS_FUZZ_PSK_LEN, buf,
                                   size, IMSMS_FUZZ_NOW, &o, keys,
                                   IMSMS_FUZZ_KEYCAP, &v);
  if (rv == 0) {
    respond(buf, size, &v, keys);
  } else {
    e = imsms_mikey_err_from_error(rv);
    if (e < 0 || e > IMSMS_MIKEY_ERR_INVALID_TPPAR) {
      abort();
    }
    if (imsms_mikey_decode(&m, buf, size) == 0) {
      answer_error(buf, size, &m, (uint8_t)e, 0);
      answer_error(buf, size, &m, (uint8_t)e, 1);
    }
  }
  free(keys);
  free(buf);
  return 0;
}
