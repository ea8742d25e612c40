/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Strict base64 (RFC 4648 section 4). The decoder accepts exactly the
 * canonical encoding: SDP carries keys in it, and a lenient decoder is
 * how "|2^31" once ended up inside a key (see interop traps).
 */
#include <imsmediasec/imsmediasec.h>

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* see imsmediasec/imsmediasec.h */
size_t imsms_base64_encode_len(size_t len) {
  size_t groups = len / 3 + (len % 3 != 0);

  if (groups > SIZE_MAX / 4) {
    return 0;
  }
  return groups * 4;
}

/* see imsmediasec/imsmediasec.h */
size_t imsms_base64_decode_maxlen(size_t len) { return len / 4 * 3; }

/* see imsmediasec/imsmediasec.h */
imsms_ssize imsms_base64_encode(char *out, size_t outcap, const uint8_t *in,
                                size_t inlen) {
  size_t need = imsms_base64_encode_len(inlen);
  char *p = out;
  size_t i;
  uint32_t v;

  if ((out == NULL && outcap) || (in == NULL && inlen)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if ((need == 0 && inlen) || outcap < need || need > PTRDIFF_MAX) {
    return IMSMS_ERR_NOBUF;
  }
  for (i = 0; inlen - i >= 3; i += 3) {
    v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
    *p++ = b64_alphabet[v >> 18];
    *p++ = b64_alphabet[(v >> 12) & 0x3f];
    *p++ = b64_alphabet[(v >> 6) & 0x3f];
    *p++ = b64_alphabet[v & 0x3f];
  }
  if (inlen - i == 1) {
    v = (uint32_t)in[i] << 16;
    *p++ = b64_alphabet[v >> 18];
    *p++ = b64_alphabet[(v >> 12) & 0x3f];
    *p++ = '=';
    *p++ = '=';
  } else if (inlen - i == 2) {
    v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
    *p++ = b64_alphabet[v >> 18];
    *p++ = b64_alphabet[(v >> 12) & 0x3f];
    *p++ = b64_alphabet[(v >> 6) & 0x3f];
    *p++ = '=';
  }
  return (imsms_ssize)(p - out);
}

/*
 * Value of one base64 character, or -1. Branch-free over the alphabet so
 * that decoding a key does not leak its characters through timing
 * (the technique of libsodium's base642bin).
 */
static int b64_value(unsigned char c) {
  int x = c;
  int ret = -1;

  /* Each term is the value when c is in the range, 0 otherwise. */
  ret += (((0x40 - x) & (x - 0x5b)) >> 8) & (x - 64);        /* A-Z */
  ret += (((0x60 - x) & (x - 0x7b)) >> 8) & (x - 70);        /* a-z */
  ret += (((0x2f - x) & (x - 0x3a)) >> 8) & (x + 5);         /* 0-9 */
  ret += (((0x2a - x) & (x - 0x2c)) >> 8) & 63;              /* +   */
  ret += (((0x2e - x) & (x - 0x30)) >> 8) & 64;              /* /   */
  return ret;
}

/* Number of '=' at the end of a 4-character group, or -1 if misplaced. */
static int b64_padding(const char *g) {
  if (g[3] != '=') {
    return 0;
  }
  if (g[2] != '=') {
    return 1;
  }
  return 2;
}

static imsms_ssize b64_fail(uint8_t *out, size_t outcap, int rv) {
  imsms_secure_clear(out, outcap);
  return rv;
}

/* see imsmediasec/imsmediasec.h */
imsms_ssize imsms_base64_decode(uint8_t *out, size_t outcap, const char *in,
                                size_t inlen) {
  size_t i, o = 0, outlen;
  int pad = 0, a, b, c, d;
  uint32_t v;

  if ((out == NULL && outcap) || (in == NULL && inlen)) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if (inlen % 4 != 0) {
    return IMSMS_ERR_BASE64;
  }
  if (inlen) {
    pad = b64_padding(in + inlen - 4);
  }
  outlen = inlen / 4 * 3 - (size_t)pad;
  if (outlen > PTRDIFF_MAX) {
    return IMSMS_ERR_TOO_LARGE;
  }
  if (outcap < outlen) {
    return IMSMS_ERR_NOBUF;
  }
  for (i = 0; i < inlen; i += 4) {
    int last = (inlen - i == 4);
    int gpad = last ? pad : 0;

    a = b64_value((unsigned char)in[i]);
    b = b64_value((unsigned char)in[i + 1]);
    c = gpad == 2 ? 0 : b64_value((unsigned char)in[i + 2]);
    d = gpad >= 1 ? 0 : b64_value((unsigned char)in[i + 3]);
    if ((a | b | c | d) < 0) {
      return b64_fail(out, outcap, IMSMS_ERR_BASE64);
    }
    v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | (uint32_t)d;
    /* Canonical form: bits the padding drops must be zero. */
    if ((gpad == 1 && (v & 0xff) != 0) || (gpad == 2 && (v & 0xffff) != 0)) {
      return b64_fail(out, outcap, IMSMS_ERR_BASE64);
    }
    out[o++] = (uint8_t)(v >> 16);
    if (gpad < 2) {
      out[o++] = (uint8_t)(v >> 8);
    }
    if (gpad < 1) {
      out[o++] = (uint8_t)v;
    }
  }
  return (imsms_ssize)o;
}
