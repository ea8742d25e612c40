/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "mikey/labels.h"

#include <assert.h>

#include "core/buf.h"

/* The byte after 0xFFFFFFFF that tells the RFC 6043 label kinds apart. */
#define LABEL_6043_FORK 0x00
#define LABEL_6043_INIT 0x01
#define LABEL_6043_RESP 0x02
#define LABEL_6043_TGK 0x03
#define LABEL_6043_VR 0x04
#define LABEL_6043_TPK 0x05
#define LABEL_6043_MPK 0x06

/* Stands for the CSB ID in labels that are not bound to one bundle. */
#define LABEL_NO_CSB 0xFFFFFFFFu

/* Nonzero when |len| bytes at |p| are not a usable field of at most |max|. */
static int bad_field(const uint8_t *p, size_t len, size_t max) {
  return (p == NULL && len) || len > max;
}

/*
 * Starts a label of exactly |len| bytes: the caller writes it only when
 * this returns 0.
 */
static int label_start(imsms_wbuf *w, uint8_t *out, size_t cap, size_t len) {
  if (out == NULL && cap) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (cap < len) {
    return IMSMS_ERR_NOBUF;
  }
  imsms_wbuf_init(w, out, cap);
  return 0;
}

/* Writes an 8-bit length and the bytes it counts (|len| already checked). */
static void put_len8(imsms_wbuf *w, const uint8_t *p, size_t len) {
  (void)imsms_wbuf_put_u8(w, (uint8_t)len);
  (void)imsms_wbuf_put_bytes(w, p, len);
}

/* Returns the length written, after checking it is the one announced. */
static imsms_ssize label_end(const imsms_wbuf *w, const uint8_t *out,
                             size_t len) {
  assert(w->pos - out == (imsms_ssize)len);
  (void)w;
  (void)out;
  return (imsms_ssize)len;
}

imsms_ssize imsms_label_tgk_3830(uint8_t *out, size_t cap, uint32_t constant,
                                 uint8_t cs_id, uint32_t csb_id,
                                 const uint8_t *rand, size_t randlen) {
  imsms_wbuf w;
  size_t len;
  int rv;

  if (bad_field(rand, randlen, IMSMS_LABEL_MAX_RAND)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  len = 4 + 1 + 4 + randlen;
  rv = label_start(&w, out, cap, len);
  if (rv != 0) {
    return rv;
  }
  (void)imsms_wbuf_put_u32(&w, constant);
  (void)imsms_wbuf_put_u8(&w, cs_id);
  (void)imsms_wbuf_put_u32(&w, csb_id);
  (void)imsms_wbuf_put_bytes(&w, rand, randlen);
  return label_end(&w, out, len);
}

imsms_ssize imsms_label_env_3830(uint8_t *out, size_t cap, uint32_t constant,
                                 uint32_t csb_id, const uint8_t *rand,
                                 size_t randlen) {
  imsms_wbuf w;
  size_t len;
  int rv;

  if (bad_field(rand, randlen, IMSMS_LABEL_MAX_RAND)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  len = 4 + 1 + 4 + randlen;
  rv = label_start(&w, out, cap, len);
  if (rv != 0) {
    return rv;
  }
  (void)imsms_wbuf_put_u32(&w, constant);
  (void)imsms_wbuf_put_u8(&w, 0xFF);
  (void)imsms_wbuf_put_u32(&w, csb_id);
  (void)imsms_wbuf_put_bytes(&w, rand, randlen);
  return label_end(&w, out, len);
}

/*
 * The RFC 6043 labels with two RANDs: const || |second| || |word| ||
 * |kind| || len8(RANDRi) || RANDRi || len8(RANDRr) || RANDRr.
 */
static imsms_ssize label_two_rands(uint8_t *out, size_t cap,
                                   uint32_t constant, uint8_t second,
                                   uint32_t word, uint8_t kind,
                                   const uint8_t *ri, size_t rilen,
                                   const uint8_t *rr, size_t rrlen) {
  imsms_wbuf w;
  size_t len;
  int rv;

  if (bad_field(ri, rilen, IMSMS_LABEL_MAX_RAND) ||
      bad_field(rr, rrlen, IMSMS_LABEL_MAX_RAND)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  len = 4 + 1 + 4 + 1 + 1 + rilen + 1 + rrlen;
  rv = label_start(&w, out, cap, len);
  if (rv != 0) {
    return rv;
  }
  (void)imsms_wbuf_put_u32(&w, constant);
  (void)imsms_wbuf_put_u8(&w, second);
  (void)imsms_wbuf_put_u32(&w, word);
  (void)imsms_wbuf_put_u8(&w, kind);
  put_len8(&w, ri, rilen);
  put_len8(&w, rr, rrlen);
  return label_end(&w, out, len);
}

imsms_ssize imsms_label_msg_6043(uint8_t *out, size_t cap, uint32_t constant,
                                 uint32_t csb_id, int response,
                                 const uint8_t *ri, size_t rilen,
                                 const uint8_t *rr, size_t rrlen) {
  return label_two_rands(out, cap, constant, 0xFF, csb_id,
                         response ? LABEL_6043_RESP : LABEL_6043_INIT, ri,
                         rilen, rr, rrlen);
}

imsms_ssize imsms_label_tgk_6043(uint8_t *out, size_t cap, uint32_t constant,
                                 uint8_t cs_id, const uint8_t *ri,
                                 size_t rilen, const uint8_t *rr,
                                 size_t rrlen) {
  /* 0xFFFFFFFF sits where the CSB ID would be (RFC 6043 5.1.3). */
  return label_two_rands(out, cap, constant, cs_id, LABEL_NO_CSB,
                         LABEL_6043_TGK, ri, rilen, rr, rrlen);
}

imsms_ssize imsms_label_fork_6043(uint8_t *out, size_t cap, uint32_t constant,
                                  const uint8_t *iddata, size_t idlen,
                                  const uint8_t *rkms, size_t rkmslen) {
  imsms_wbuf w;
  size_t len;
  int rv;

  if (bad_field(iddata, idlen, IMSMS_LABEL_MAX_ID) ||
      bad_field(rkms, rkmslen, IMSMS_LABEL_MAX_RAND)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  len = 4 + 1 + 4 + 1 + 2 + idlen + 1 + rkmslen;
  rv = label_start(&w, out, cap, len);
  if (rv != 0) {
    return rv;
  }
  (void)imsms_wbuf_put_u32(&w, constant);
  (void)imsms_wbuf_put_u8(&w, 0xFF);
  (void)imsms_wbuf_put_u32(&w, LABEL_NO_CSB);
  (void)imsms_wbuf_put_u8(&w, LABEL_6043_FORK);
  (void)imsms_wbuf_put_u16(&w, (uint16_t)idlen);
  (void)imsms_wbuf_put_bytes(&w, iddata, idlen);
  put_len8(&w, rkms, rkmslen);
  return label_end(&w, out, len);
}

/* The base-ticket labels: const || 0xFF || 0xFFFFFFFF || |kind| || RAND. */
static imsms_ssize label_ticket(uint8_t *out, size_t cap, uint32_t constant,
                                uint8_t kind, const uint8_t *rand,
                                size_t randlen) {
  imsms_wbuf w;
  size_t len;
  int rv;

  if (bad_field(rand, randlen, IMSMS_LABEL_MAX_RAND)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  len = 4 + 1 + 4 + 1 + 1 + randlen;
  rv = label_start(&w, out, cap, len);
  if (rv != 0) {
    return rv;
  }
  (void)imsms_wbuf_put_u32(&w, constant);
  (void)imsms_wbuf_put_u8(&w, 0xFF);
  (void)imsms_wbuf_put_u32(&w, LABEL_NO_CSB);
  (void)imsms_wbuf_put_u8(&w, kind);
  put_len8(&w, rand, randlen);
  return label_end(&w, out, len);
}

imsms_ssize imsms_label_tpk_6043(uint8_t *out, size_t cap, uint32_t constant,
                                 const uint8_t *rand, size_t randlen) {
  return label_ticket(out, cap, constant, LABEL_6043_TPK, rand, randlen);
}

imsms_ssize imsms_label_mpk_6043(uint8_t *out, size_t cap, uint32_t constant,
                                 const uint8_t *rand, size_t randlen) {
  return label_ticket(out, cap, constant, LABEL_6043_MPK, rand, randlen);
}

imsms_ssize imsms_label_vr_6043(uint8_t *out, size_t cap) {
  imsms_wbuf w;
  const size_t len = 4 + 1 + 4 + 1;
  int rv;

  rv = label_start(&w, out, cap, len);
  if (rv != 0) {
    return rv;
  }
  (void)imsms_wbuf_put_u32(&w, IMSMS_LABEL_ENV_AUTH);
  (void)imsms_wbuf_put_u8(&w, 0xFF);
  (void)imsms_wbuf_put_u32(&w, LABEL_NO_CSB);
  (void)imsms_wbuf_put_u8(&w, LABEL_6043_VR);
  return label_end(&w, out, len);
}
