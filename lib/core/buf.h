/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Bounded big-endian reader and writer. Every read checks what remains
 * first (in subtraction form, so no pointer ever passes the end), and a
 * failed read or write leaves the cursor where it was. Readers return
 * views into the input; nothing is copied or allocated.
 */
#ifndef IMSMS_CORE_BUF_H
#define IMSMS_CORE_BUF_H

#include <string.h>

#include <imsmediasec/imsmediasec.h>

/* A reader over [pos, end). */
typedef struct imsms_rbuf {
  const uint8_t *pos;
  const uint8_t *end;
} imsms_rbuf;

/* A writer over [pos, end). */
typedef struct imsms_wbuf {
  uint8_t *pos;
  uint8_t *end;
} imsms_wbuf;

static inline void imsms_rbuf_init(imsms_rbuf *r, const uint8_t *in,
                                   size_t inlen) {
  /* NULL + 0 is undefined behaviour in C, so an empty input stays NULL. */
  r->pos = in;
  r->end = in ? in + inlen : in;
}

static inline size_t imsms_rbuf_left(const imsms_rbuf *r) {
  return (size_t)(r->end - r->pos);
}

/*
 * A decoder that must leave |r| unmoved when it fails notes the position
 * and rewinds to it, rather than reading through a copy of the reader
 * and storing the copy back: the compiler moves such copies as one
 * 16-byte load, which the CPU cannot forward from the two 8-byte stores
 * that just wrote the fields, and that stall was over half of a payload
 * decode's time.
 */
static inline int imsms_rbuf_rewind(imsms_rbuf *r, const uint8_t *mark,
                                    int rv) {
  r->pos = mark;
  return rv;
}

/*
 * Each get returns 0, or IMSMS_ERR_TRUNCATED when fewer than the needed
 * bytes remain (the cursor does not move).
 */
static inline int imsms_rbuf_get_u8(imsms_rbuf *r, uint8_t *v) {
  if (imsms_rbuf_left(r) < 1) {
    return IMSMS_ERR_TRUNCATED;
  }
  *v = *r->pos++;
  return 0;
}

static inline int imsms_rbuf_get_u16(imsms_rbuf *r, uint16_t *v) {
  if (imsms_rbuf_left(r) < 2) {
    return IMSMS_ERR_TRUNCATED;
  }
  *v = (uint16_t)(r->pos[0] << 8 | r->pos[1]);
  r->pos += 2;
  return 0;
}

static inline int imsms_rbuf_get_u32(imsms_rbuf *r, uint32_t *v) {
  if (imsms_rbuf_left(r) < 4) {
    return IMSMS_ERR_TRUNCATED;
  }
  *v = (uint32_t)r->pos[0] << 24 | (uint32_t)r->pos[1] << 16 |
       (uint32_t)r->pos[2] << 8 | r->pos[3];
  r->pos += 4;
  return 0;
}

static inline int imsms_rbuf_get_u64(imsms_rbuf *r, uint64_t *v) {
  uint64_t x = 0;
  int i;

  if (imsms_rbuf_left(r) < 8) {
    return IMSMS_ERR_TRUNCATED;
  }
  for (i = 0; i < 8; i++) {
    x = x << 8 | r->pos[i];
  }
  r->pos += 8;
  *v = x;
  return 0;
}

/* Points |*view| at the next |len| bytes of the input and skips them. */
static inline int imsms_rbuf_get_view(imsms_rbuf *r, const uint8_t **view,
                                      size_t len) {
  if (imsms_rbuf_left(r) < len) {
    return IMSMS_ERR_TRUNCATED;
  }
  *view = r->pos;
  r->pos += len;
  return 0;
}

static inline int imsms_rbuf_skip(imsms_rbuf *r, size_t len) {
  const uint8_t *unused;

  return imsms_rbuf_get_view(r, &unused, len);
}

static inline void imsms_wbuf_init(imsms_wbuf *w, uint8_t *out,
                                   size_t outcap) {
  w->pos = out;
  w->end = out ? out + outcap : out;
}

static inline size_t imsms_wbuf_left(const imsms_wbuf *w) {
  return (size_t)(w->end - w->pos);
}

/*
 * Each put returns 0, or IMSMS_ERR_NOBUF when the bytes do not fit (the
 * cursor does not move and nothing is written).
 */
static inline int imsms_wbuf_put_u8(imsms_wbuf *w, uint8_t v) {
  if (imsms_wbuf_left(w) < 1) {
    return IMSMS_ERR_NOBUF;
  }
  *w->pos++ = v;
  return 0;
}

static inline int imsms_wbuf_put_u16(imsms_wbuf *w, uint16_t v) {
  if (imsms_wbuf_left(w) < 2) {
    return IMSMS_ERR_NOBUF;
  }
  w->pos[0] = (uint8_t)(v >> 8);
  w->pos[1] = (uint8_t)v;
  w->pos += 2;
  return 0;
}

static inline int imsms_wbuf_put_u32(imsms_wbuf *w, uint32_t v) {
  if (imsms_wbuf_left(w) < 4) {
    return IMSMS_ERR_NOBUF;
  }
  w->pos[0] = (uint8_t)(v >> 24);
  w->pos[1] = (uint8_t)(v >> 16);
  w->pos[2] = (uint8_t)(v >> 8);
  w->pos[3] = (uint8_t)v;
  w->pos += 4;
  return 0;
}

static inline int imsms_wbuf_put_u64(imsms_wbuf *w, uint64_t v) {
  if (imsms_wbuf_left(w) < 8) {
    return IMSMS_ERR_NOBUF;
  }
  (void)imsms_wbuf_put_u32(w, (uint32_t)(v >> 32));
  (void)imsms_wbuf_put_u32(w, (uint32_t)v);
  return 0;
}

static inline int imsms_wbuf_put_bytes(imsms_wbuf *w, const uint8_t *src,
                                       size_t len) {
  if (imsms_wbuf_left(w) < len) {
    return IMSMS_ERR_NOBUF;
  }
  if (len) {
    memcpy(w->pos, src, len);
  }
  w->pos += len;
  return 0;
}

#endif /* IMSMS_CORE_BUF_H */
