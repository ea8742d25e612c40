/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Input of the imsms tool: read a file or standard input, recognise its
 * format and extract the MIKEY messages it carries.
 *
 *  - raw:    binary MIKEY (the first byte is 0x01, a control character,
 *            so raw input never passes for text);
 *  - hex:    only hex digits and whitespace (an optional leading 0x);
 *  - sdp:    text holding a=key-mgmt:mikey <base64> lines (SDP alone or
 *            a whole SIP message; session and media level; CRLF or LF);
 *  - base64: anything else, decoded strictly after the whitespace around
 *            it (and line breaks inside it, as base64(1) writes) is gone.
 */
#include <stdlib.h>
#include <string.h>

#include "imsms.h"

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);

  if (p == NULL) {
    fputs("imsms: out of memory\n", stderr);
  }
  return p;
}

/* see imsms.h */
int imsms_tool_read_file(const char *path, uint8_t **buf, size_t *len) {
  const char *name = path == NULL || strcmp(path, "-") == 0 ? NULL : path;
  FILE *f = name ? fopen(name, "rb") : stdin;
  uint8_t *b;
  size_t n = 0, got;
  int rv = -1;

  if (f == NULL) {
    fprintf(stderr, "imsms: cannot open '%s'\n", name);
    return -1;
  }
  /* One byte more than the cap tells "too large" from "exactly 1 MiB". */
  b = xmalloc(IMSMS_TOOL_MAX_INPUT + 2);
  if (b != NULL) {
    while (n <= IMSMS_TOOL_MAX_INPUT &&
           (got = fread(b + n, 1, IMSMS_TOOL_MAX_INPUT + 1 - n, f)) > 0) {
      n += got;
    }
    if (ferror(f)) {
      fprintf(stderr, "imsms: cannot read '%s'\n", name ? name : "-");
    } else if (n > IMSMS_TOOL_MAX_INPUT) {
      fprintf(stderr, "imsms: '%s' is larger than %u bytes\n",
              name ? name : "-", IMSMS_TOOL_MAX_INPUT);
    } else {
      b[n] = 0;
      *buf = b;
      *len = n;
      b = NULL;
      rv = 0;
    }
    free(b);
  }
  if (name) {
    fclose(f);
  }
  return rv;
}

static int is_space(uint8_t c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
         c == '\f';
}

static int hex_val(uint8_t c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

/* Text: no control character but whitespace (UTF-8 bytes are text). */
static int is_text(const uint8_t *p, size_t n) {
  size_t i;

  for (i = 0; i < n; i++) {
    if ((p[i] < 0x20 && !is_space(p[i])) || p[i] == 0x7f) {
      return 0;
    }
  }
  return 1;
}

/* Decodes the hex digits of |p|, skipping whitespace when |ws| is set. */
static int hex_decode_ws(const uint8_t *p, size_t n, int ws, uint8_t **out,
                         size_t *outlen) {
  uint8_t *o = xmalloc(n / 2 + 1);
  size_t i, k = 0;
  int hi = -1;

  if (o == NULL) {
    return -1;
  }
  for (i = 0; i < n; i++) {
    int v = hex_val(p[i]);

    if (v < 0) {
      if (ws && is_space(p[i])) {
        continue;
      }
      break;
    }
    if (hi < 0) {
      hi = v;
    } else {
      o[k++] = (uint8_t)(hi << 4 | v);
      hi = -1;
    }
  }
  if (i < n || hi >= 0) {
    imsms_secure_clear(o, n / 2 + 1);
    free(o);
    return -1;
  }
  *out = o;
  *outlen = k;
  return 0;
}

/* see imsms.h */
int imsms_tool_hex_decode(const char *s, uint8_t **out, size_t *outlen) {
  return hex_decode_ws((const uint8_t *)s, strlen(s), 0, out, outlen);
}

/* see imsms.h */
void imsms_tool_hex_write(FILE *f, const uint8_t *p, size_t len) {
  static const char digits[] = "0123456789abcdef";
  size_t i;

  for (i = 0; i < len; i++) {
    fputc(digits[p[i] >> 4], f);
    fputc(digits[p[i] & 15], f);
  }
}

/* see imsms.h */
const char *imsms_tool_format_name(imsms_tool_format f) {
  switch (f) {
  case IMSMS_TOOL_FMT_RAW:
    return "raw";
  case IMSMS_TOOL_FMT_HEX:
    return "hex";
  case IMSMS_TOOL_FMT_BASE64:
    return "base64";
  case IMSMS_TOOL_FMT_SDP:
    return "sdp";
  }
  return "unknown";
}

/* Appends a message to |in|; takes |data| (may be NULL with |err| set). */
static int add_msg(imsms_tool_input *in, uint8_t *data, size_t len, int err,
                   size_t line) {
  imsms_tool_msg *m = realloc(in->msgs, (in->nmsgs + 1) * sizeof(*m));

  if (m == NULL) {
    fputs("imsms: out of memory\n", stderr);
    free(data);
    return -1;
  }
  in->msgs = m;
  m[in->nmsgs].data = data;
  m[in->nmsgs].len = len;
  m[in->nmsgs].err = err;
  m[in->nmsgs].line = line;
  in->nmsgs++;
  return 0;
}

/* Base64-decodes |n| characters at |p| into a new buffer. */
static int b64_decode(const char *p, size_t n, uint8_t **out, size_t *outlen) {
  size_t cap = imsms_base64_decode_maxlen(n);
  uint8_t *o = xmalloc(cap);
  imsms_ssize got;

  if (o == NULL) {
    return IMSMS_ERR_NOMEM;
  }
  got = imsms_base64_decode(o, cap, p, n);
  if (got < 0) {
    free(o);
    return (int)got;
  }
  *out = o;
  *outlen = (size_t)got;
  return 0;
}

/* Base64 text: surrounding whitespace and line breaks inside removed. */
static int load_base64(const uint8_t *buf, size_t len, imsms_tool_input *in) {
  char *t = xmalloc(len);
  uint8_t *data = NULL;
  size_t i, n = 0, dlen = 0;
  int rv;

  if (t == NULL) {
    return -1;
  }
  for (i = 0; i < len; i++) {
    if (!is_space(buf[i])) {
      t[n++] = (char)buf[i];
    }
  }
  rv = b64_decode(t, n, &data, &dlen);
  free(t);
  if (rv != 0) {
    fprintf(stderr,
            "imsms: input is not raw MIKEY, hex, base64 or SDP with "
            "a=key-mgmt:mikey (%s)\n",
            imsms_strerror(rv));
    return -1;
  }
  in->format = IMSMS_TOOL_FMT_BASE64;
  return add_msg(in, data, dlen, 0, 0);
}

static int bytes_ieq(const char *a, size_t n, const char *b) {
  size_t i;

  if (strlen(b) != n) {
    return 0;
  }
  for (i = 0; i < n; i++) {
    char c = a[i];

    if (c >= 'A' && c <= 'Z') {
      c = (char)(c - 'A' + 'a');
    }
    if (c != b[i]) {
      return 0;
    }
  }
  return 1;
}

/*
 * One SDP line (no line end): if it is a=key-mgmt:mikey, adds its
 * message. RFC 4567: key-mgmt-att-value = 0*1SP prtcl-id SP keymgmt-data.
 */
static int sdp_line(const char *p, size_t n, size_t lineno,
                    imsms_tool_input *in) {
  static const char attr[] = "a=key-mgmt:";
  size_t alen = sizeof(attr) - 1, i, id, idlen;
  uint8_t *data = NULL;
  size_t dlen = 0;
  int rv;

  if (n < alen || memcmp(p, attr, alen) != 0) {
    return 0;
  }
  i = alen;
  if (i < n && p[i] == ' ') {
    i++;
  }
  id = i;
  while (i < n && p[i] != ' ') {
    i++;
  }
  idlen = i - id;
  if (!bytes_ieq(p + id, idlen, "mikey")) {
    return 0; /* another key management protocol */
  }
  if (i < n) {
    i++;
  }
  while (n > i && is_space((uint8_t)p[n - 1])) {
    n--;
  }
  rv = b64_decode(p + i, n - i, &data, &dlen);
  if (rv == IMSMS_ERR_NOMEM) {
    return -1;
  }
  return add_msg(in, rv == 0 ? data : NULL, rv == 0 ? dlen : 0, rv, lineno);
}

/* Every a=key-mgmt:mikey line of an SDP body or a whole SIP message. */
static int load_sdp(const uint8_t *buf, size_t len, imsms_tool_input *in) {
  const char *p = (const char *)buf, *end = p + len;
  size_t lineno = 0;

  in->format = IMSMS_TOOL_FMT_SDP;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    size_t n = (size_t)(le - p);

    lineno++;
    if (n > 0 && p[n - 1] == '\r') {
      n--;
    }
    if (sdp_line(p, n, lineno, in) != 0) {
      return -1;
    }
    p = nl ? nl + 1 : end;
  }
  if (in->nmsgs == 0) {
    fputs("imsms: no a=key-mgmt:mikey attribute in the input\n", stderr);
    return -1;
  }
  return 0;
}

/* Only hex digits and whitespace, after an optional 0x. */
static int looks_hex(const uint8_t *p, size_t n) {
  size_t i, digits = 0;

  for (i = 0; i < n; i++) {
    if (hex_val(p[i]) >= 0) {
      digits++;
    } else if (!is_space(p[i])) {
      return 0;
    }
  }
  return digits > 0;
}

static int load_hex(const uint8_t *p, size_t n, imsms_tool_input *in) {
  uint8_t *data;
  size_t dlen;

  if (hex_decode_ws(p, n, 1, &data, &dlen) != 0) {
    fputs("imsms: hex input has an odd number of digits\n", stderr);
    return -1;
  }
  in->format = IMSMS_TOOL_FMT_HEX;
  return add_msg(in, data, dlen, 0, 0);
}

static int contains(const uint8_t *p, size_t n, const char *s) {
  size_t k = strlen(s), i;

  for (i = 0; k <= n && i <= n - k; i++) {
    if (memcmp(p + i, s, k) == 0) {
      return 1;
    }
  }
  return 0;
}

/* Recognises the format of |len| bytes at |buf| and extracts messages. */
static int load_buffer(const uint8_t *buf, size_t len, imsms_tool_input *in) {
  const uint8_t *p = buf;
  size_t n = len;
  uint8_t *copy;

  if (!is_text(buf, len)) {
    /* Binary: raw MIKEY (decode reports a first byte other than 0x01). */
    copy = xmalloc(len);
    if (copy == NULL) {
      return -1;
    }
    memcpy(copy, buf, len);
    in->format = IMSMS_TOOL_FMT_RAW;
    return add_msg(in, copy, len, 0, 0);
  }
  while (n > 0 && is_space(p[0])) {
    p++;
    n--;
  }
  while (n > 0 && is_space(p[n - 1])) {
    n--;
  }
  if (n == 0) {
    fputs("imsms: empty input\n", stderr);
    return -1;
  }
  if (n > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
      looks_hex(p + 2, n - 2)) {
    return load_hex(p + 2, n - 2, in);
  }
  if (looks_hex(p, n)) {
    return load_hex(p, n, in);
  }
  if (contains(p, n, "a=key-mgmt:")) {
    return load_sdp(buf, len, in);
  }
  return load_base64(p, n, in);
}

/* see imsms.h */
int imsms_tool_input_load(const char *path, imsms_tool_input *in) {
  uint8_t *buf;
  size_t len;
  int rv;

  memset(in, 0, sizeof(*in));
  if (imsms_tool_read_file(path, &buf, &len) != 0) {
    return -1;
  }
  rv = load_buffer(buf, len, in);
  /* The input may hold a PSK-protected message: wipe it like the rest. */
  imsms_secure_clear(buf, len);
  free(buf);
  if (rv != 0) {
    imsms_tool_input_free(in);
  }
  return rv;
}

/* see imsms.h */
void imsms_tool_input_free(imsms_tool_input *in) {
  size_t i;

  for (i = 0; i < in->nmsgs; i++) {
    if (in->msgs[i].data) {
      imsms_secure_clear(in->msgs[i].data, in->msgs[i].len);
    }
    free(in->msgs[i].data);
  }
  free(in->msgs);
  memset(in, 0, sizeof(*in));
}
