/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * libFuzzer harness: the SDP/SIP layer on arbitrary bytes, public API
 * only (<imsmediasec/sdp.h>).
 *
 * The input is read as an SDP body and, separately, as a SIP
 * Security-Client value. Checked for every input:
 *  - the iterator returns contiguous lines whose views lie inside the
 *    body, numbered from 1, levels rising by one at each m-line, and
 *    ends with IMSMS_ERR_EOF or a negative error, never anything else;
 *  - every attribute value goes through every attribute parser; what
 *    parses has its views inside the value and formats back canonically:
 *    a=key-mgmt decodes and re-encodes to the same protocol id and data,
 *    a=tcap, a=acap, a=pcfg and a=acfg re-parse from their formatted text
 *    to the same fields, and formatting is idempotent;
 *  - imsms_sdp_check() fails when the iterator does, agrees with it on
 *    the number of media sections otherwise, and when it accepts, the per-level lookups (key-mgmt list
 *    and ids, attr_find, media_get) succeed;
 *  - the editor with no edits gives the body back byte for byte, and with
 *    a fixed set of edits measures what it writes and writes a body the
 *    iterator accepts, without a=crypto and with the added lines;
 *  - imsms_sdp_e2ae_to_core() output, when produced, passes
 *    imsms_sdp_check() with the same number of sections and is no longer
 *    than the input; imsms_sdp_e2ae_to_ue() output does too, and taking
 *    it back with imsms_sdp_e2ae_to_core() on the same sections gives the
 *    input back when it ended with a line ending;
 *  - failing formatters and editors leave their output untouched;
 *  - the SIP iterator's views lie inside the value, parameters walk to
 *    IMSMS_ERR_EOF, and an accepted value formats (names, mediasec, q)
 *    into one with the same mediasec mask.
 * The input is copied to an exact-size heap buffer so that ASan sees any
 * read past its end. The context (default provider) is made once.
 */
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/sdp.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ATTR 4096

static imsms_ctx *ctx;

static void require(int cond) {
  if (!cond) {
    abort();
  }
}

static void inside(imsms_sdp_vec v, const char *lo, size_t lolen) {
  if (v.len == 0) {
    return;
  }
  require(v.base != NULL && v.base >= lo && (size_t)(v.base - lo) <= lolen &&
          v.len <= lolen - (size_t)(v.base - lo));
}

static int vec_eq(imsms_sdp_vec a, imsms_sdp_vec b) {
  return a.len == b.len && (a.len == 0 || memcmp(a.base, b.base, a.len) == 0);
}

/* A NUL-terminated copy of |v| in |buf| (of |cap| bytes). */
static const char *cstr(char *buf, size_t cap, imsms_sdp_vec v) {
  require(v.len < cap);
  if (v.len) {
    memcpy(buf, v.base, v.len);
  }
  buf[v.len] = '\0';
  return buf;
}

/* ------------------------------------------------------------------ */
/* Attribute values                                                    */

static void fuzz_key_mgmt(const char *v, size_t len) {
  imsms_sdp_key_mgmt km, km2;
  char id[64], text[MAX_ATTR * 2];
  uint8_t *bin;
  imsms_ssize n, t;

  if (imsms_sdp_key_mgmt_parse(&km, v, len) != 0) {
    require(km.data.base == NULL && km.prtcl_id.len == 0);
    return;
  }
  inside(km.prtcl_id, v, len);
  inside(km.data, v, len);
  require(km.prtcl_id.len > 0 && km.data.len > 0 && km.data.len % 4 == 0);
  bin = malloc(imsms_base64_decode_maxlen(km.data.len) + 1);
  require(bin != NULL);
  n = imsms_sdp_key_mgmt_decode(bin, imsms_base64_decode_maxlen(km.data.len),
                                &km);
  require(n >= 0);
  if (n > 0 && km.prtcl_id.len < sizeof(id)) {
    t = imsms_sdp_key_mgmt_format(text, sizeof(text),
                                  cstr(id, sizeof(id), km.prtcl_id), bin,
                                  (size_t)n);
    require(t > 0);
    require(imsms_sdp_key_mgmt_parse(&km2, text, (size_t)t) == 0);
    require(vec_eq(km.prtcl_id, km2.prtcl_id) && vec_eq(km.data, km2.data));
  }
  free(bin);
}

static void fuzz_tcap(const char *v, size_t len) {
  imsms_sdp_tcap t, t2;
  char names[16][128], text[MAX_ATTR];
  const char *ptrs[16];
  imsms_sdp_vec p, p2;
  imsms_ssize n;
  size_t i;

  if (imsms_sdp_tcap_parse(&t, v, len) != 0) {
    require(t.nprotos == 0);
    return;
  }
  inside(t.protos, v, len);
  require(t.nprotos >= 1 && t.num >= 1);
  require(imsms_sdp_tcap_proto(&t, t.num - 1, &p) == IMSMS_ERR_EOF);
  if (t.nprotos > 16) {
    return;
  }
  for (i = 0; i < t.nprotos; i++) {
    require(imsms_sdp_tcap_proto(&t, t.num + (uint32_t)i, &p) == 0);
    inside(p, t.protos.base, t.protos.len);
    if (p.len >= sizeof(names[i])) {
      return;
    }
    ptrs[i] = cstr(names[i], sizeof(names[i]), p);
  }
  n = imsms_sdp_tcap_format(text, sizeof(text), t.num, ptrs, t.nprotos);
  require(n > 0);
  require(imsms_sdp_tcap_parse(&t2, text, (size_t)n) == 0);
  require(t2.num == t.num && t2.nprotos == t.nprotos);
  for (i = 0; i < t.nprotos; i++) {
    require(imsms_sdp_tcap_proto(&t, t.num + (uint32_t)i, &p) == 0);
    require(imsms_sdp_tcap_proto(&t2, t.num + (uint32_t)i, &p2) == 0);
    require(vec_eq(p, p2));
  }
}

static void fuzz_acap(const char *v, size_t len) {
  imsms_sdp_acap a, a2;
  char name[128], text[MAX_ATTR * 2];
  imsms_ssize n;

  if (imsms_sdp_acap_parse(&a, v, len) != 0) {
    require(a.num == 0);
    return;
  }
  inside(a.name, v, len);
  inside(a.value, v, len);
  if (a.name.len >= sizeof(name)) {
    return;
  }
  n = imsms_sdp_acap_format(text, sizeof(text), a.num,
                            cstr(name, sizeof(name), a.name),
                            a.has_value ? a.value.base : NULL, a.value.len);
  if (a.has_value && a.value.len == 0) {
    /* "name:" formats with a NULL-free empty value. */
    n = imsms_sdp_acap_format(text, sizeof(text), a.num, name, "", 0);
  }
  if (n < 0) {
    /* Only a value with CR, LF or NUL can be refused. */
    require(a.has_value && memchr(a.value.base, '\0', a.value.len) != NULL);
    return;
  }
  require(imsms_sdp_acap_parse(&a2, text, (size_t)n) == 0);
  require(a2.num == a.num && vec_eq(a.name, a2.name) &&
          a2.has_value == a.has_value);
  /* The parser drops one trailing blank of the value. */
  require(a2.value.len <= a.value.len &&
          (a2.value.len == 0 ||
           memcmp(a2.value.base, a.value.base, a2.value.len) == 0));
}

static void fuzz_cfg(const char *v, size_t len, int is_acfg) {
  imsms_sdp_cfg c, c2;
  char text[MAX_ATTR], text2[MAX_ATTR];
  imsms_ssize n, n2;
  size_t i, j;

  if (imsms_sdp_cfg_parse(&c, v, len, is_acfg) != 0) {
    require(c.num == 0 && c.nalts == 0 && c.next == 0);
    return;
  }
  require(c.num >= 1 && c.nalts <= IMSMS_SDP_CFG_MAX_ALTS &&
          c.ntcaps <= IMSMS_SDP_CFG_MAX_ALTS);
  for (i = 0; i < c.next; i++) {
    inside(c.ext[i], v, len);
  }
  n = imsms_sdp_cfg_format(text, sizeof(text), &c, is_acfg);
  require(n > 0);
  require(imsms_sdp_cfg_format(NULL, 0, &c, is_acfg) == n);
  memset(text2, 'Z', sizeof(text2));
  require(imsms_sdp_cfg_format(text2, (size_t)n - 1, &c, is_acfg) ==
          IMSMS_ERR_NOBUF);
  require(text2[0] == 'Z');
  require(imsms_sdp_cfg_parse(&c2, text, (size_t)n, is_acfg) == 0);
  require(c2.num == c.num && c2.del == c.del && c2.has_attr == c.has_attr &&
          c2.nalts == c.nalts && c2.ntcaps == c.ntcaps && c2.next == c.next);
  for (i = 0; i < c.nalts; i++) {
    require(c2.alts[i].ncaps == c.alts[i].ncaps &&
            c2.alts[i].nmandatory == c.alts[i].nmandatory);
    for (j = 0; j < c.alts[i].ncaps; j++) {
      require(c2.alts[i].caps[j] == c.alts[i].caps[j]);
    }
  }
  for (i = 0; i < c.ntcaps; i++) {
    require(c2.tcaps[i] == c.tcaps[i]);
  }
  for (i = 0; i < c.next; i++) {
    require(vec_eq(c.ext[i], c2.ext[i]));
  }
  n2 = imsms_sdp_cfg_format(text2, sizeof(text2), &c2, is_acfg);
  require(n2 == n && memcmp(text, text2, (size_t)n) == 0);
}

static void fuzz_value(const imsms_sdp_line *l, const char *body,
                       size_t bodylen) {
  const char *v = l->attr_value.base;
  size_t len = l->attr_value.len;
  imsms_sdp_fingerprint fp;
  imsms_sdes_crypto c;
  int rv;

  inside(l->attr_value, body, bodylen);
  if (len > MAX_ATTR) {
    return;
  }
  fuzz_key_mgmt(v, len);
  fuzz_tcap(v, len);
  fuzz_acap(v, len);
  fuzz_cfg(v, len, 0);
  fuzz_cfg(v, len, 1);
  rv = imsms_sdp_3ge2ae_parse(v, len);
  require(rv >= 0 || rv == IMSMS_ERR_SDP_SYNTAX);
  rv = imsms_sdp_setup_parse(v, len);
  require(rv == IMSMS_ERR_SDP_SYNTAX ||
          (rv >= IMSMS_SDP_SETUP_ACTIVE && rv <= IMSMS_SDP_SETUP_HOLDCONN));
  if (imsms_sdp_fingerprint_parse(&fp, v, len) == 0) {
    inside(fp.hash_func, v, len);
    inside(fp.fingerprint, v, len);
    require(fp.fingerprint.len % 3 == 2);
  }
  rv = imsms_sdp_crypto_parse(l, &c);
  if (rv == 0) {
    require(l->name.len == 6 && memcmp(l->name.base, "crypto", 6) == 0);
    require(c.nkeys >= 1);
  }
  imsms_secure_clear(&c, sizeof(c));
}

/* ------------------------------------------------------------------ */
/* Whole body                                                          */

static size_t count_attr(const char *sdp, size_t len, const char *name) {
  imsms_sdp_iter it;
  imsms_sdp_line l;
  size_t n = 0;

  require(imsms_sdp_iter_init(&it, sdp, len) == 0);
  while (imsms_sdp_attr_next(&it, IMSMS_SDP_LEVEL_ANY, name, strlen(name),
                             &l) == 0) {
    n++;
  }
  return n;
}

static void fuzz_edit(const char *sdp, size_t len, size_t nm) {
  imsms_sdp_edit e[4];
  size_t ne = 0, nx;
  char *out;
  imsms_ssize n, m;
  imsms_sdp_iter it;
  imsms_sdp_line l;
  int rv;

  out = malloc(len + 256);
  require(out != NULL);
  /* No edits: the same bytes. */
  n = imsms_sdp_edit_apply(out, len, sdp, len, NULL, 0);
  require(n == (imsms_ssize)len && memcmp(out, sdp, len) == 0);

  if (nm >= 1) {
    e[ne++] = (imsms_sdp_edit){IMSMS_SDP_EDIT_SET_PROTO, 1, NULL, "RTP/SAVP",
                               8};
  }
  e[ne++] = (imsms_sdp_edit){IMSMS_SDP_EDIT_DROP_ATTR, IMSMS_SDP_LEVEL_ANY,
                             "crypto", NULL, 0};
  e[ne++] = (imsms_sdp_edit){IMSMS_SDP_EDIT_ADD_ATTR, 0, "x-fuzz", "y", 1};
  e[ne++] = (imsms_sdp_edit){IMSMS_SDP_EDIT_ADD_ATTR, nm, "x-fuzz", NULL, 0};
  nx = count_attr(sdp, len, "x-fuzz");
  m = imsms_sdp_edit_apply(NULL, 0, sdp, len, e, ne);
  if (m < 0) {
    require(m == IMSMS_ERR_TOO_LARGE);
    free(out);
    return;
  }
  require((size_t)m <= len + 256);
  if (m > 0) {
    memset(out, 'Z', (size_t)m);
    require(imsms_sdp_edit_apply(out, (size_t)m - 1, sdp, len, e, ne) ==
            IMSMS_ERR_NOBUF);
    require(out[0] == 'Z');
  }
  require(imsms_sdp_edit_apply(out, (size_t)m, sdp, len, e, ne) == m);
  require(imsms_sdp_iter_init(&it, out, (size_t)m) == 0);
  while ((rv = imsms_sdp_iter_next(&it, &l)) == 0) {
  }
  require(rv == IMSMS_ERR_EOF && it.level == nm);
  require(count_attr(out, (size_t)m, "crypto") == 0);
  require(count_attr(out, (size_t)m, "x-fuzz") == nx + 2);
  free(out);
}

static void fuzz_e2ae(const char *sdp, size_t len, size_t nm, uint8_t sel) {
  imsms_sdp_change ch[64];
  imsms_sdp_e2ae_media md[4];
  size_t levels[4], nmd = 0, n, i;
  char *out, *back;
  imsms_ssize r, b;
  size_t cap = len + 4 * IMSMS_SDP_E2AE_GROWTH;

  out = malloc(cap + 1);
  back = malloc(cap + 1);
  require(out != NULL && back != NULL);
  r = imsms_sdp_e2ae_to_core(out, len, sdp, len, NULL, 0,
                             IMSMS_SDP_E2AE_PREFER_E2E, ch, 64, &n);
  if (r >= 0) {
    require((size_t)r <= len);
    require(imsms_sdp_check(out, (size_t)r) == (imsms_ssize)nm);
    for (i = 0; i < n && i < 64; i++) {
      require(ch[i].level >= 1 && ch[i].level <= nm);
      if (ch[i].kind == IMSMS_SDP_CHANGE_PROTO ||
          ch[i].kind == IMSMS_SDP_CHANGE_CRYPTO_REMOVED ||
          ch[i].kind == IMSMS_SDP_CHANGE_FINGERPRINT_REMOVED ||
          ch[i].kind == IMSMS_SDP_CHANGE_3GE2AE_REMOVED ||
          ch[i].kind == IMSMS_SDP_CHANGE_E2E_KEPT) {
        inside(ch[i].text, sdp, len);
      } else {
        abort();
      }
    }
  }
  /* Toward the UE, for up to four sections picked by |sel|. */
  memset(md, 0, sizeof(md));
  for (i = 1; i <= nm && nmd < 4; i++) {
    if (sel & (1u << (i % 8))) {
      md[nmd].level = i;
      md[nmd].tag = (sel & 1) ? 7 : 0;
      md[nmd].suite = (sel & 2) ? IMSMS_SRTP_AEAD_AES_256_GCM : 0;
      md[nmd].fingerprint = "sha-1 4A:AD";
      md[nmd].fingerprint_len = 11;
      levels[nmd] = i;
      nmd++;
    }
  }
  r = imsms_sdp_e2ae_to_ue(ctx, out, cap, sdp, len, md, nmd,
                           (sel & 4) ? IMSMS_SDP_E2AE_ADD_REQUESTED : 0, ch,
                           64, &n);
  if (r >= 0) {
    require((size_t)r <= cap);
    require(imsms_sdp_check(out, (size_t)r) == (imsms_ssize)nm);
    for (i = 0; i < n && i < 64; i++) {
      if (ch[i].kind == IMSMS_SDP_CHANGE_PROTO) {
        inside(ch[i].text, sdp, len);
      } else {
        inside(ch[i].text, out, (size_t)r);
      }
    }
    b = imsms_sdp_e2ae_to_core(back, cap, out, (size_t)r, levels, nmd, 0, ch,
                               64, &n);
    require(b >= 0);
    if (len > 0 && sdp[len - 1] == '\n') {
      require(b == (imsms_ssize)len && memcmp(back, sdp, len) == 0);
    }
    imsms_secure_clear(out, (size_t)r);
  }
  free(out);
  free(back);
}

static void fuzz_body(const char *sdp, size_t len, uint8_t sel) {
  imsms_sdp_key_mgmt km[IMSMS_SDP_MAX_KEY_MGMT];
  imsms_sdp_iter it;
  imsms_sdp_line l;
  imsms_sdp_mline m;
  const char *pos = sdp;
  size_t lineno = 0, level = 0, lv, n;
  imsms_ssize nm;
  char ids[256];
  int rv;

  if (imsms_sdp_iter_init(&it, sdp, len) != 0) {
    require(len > IMSMS_SDP_MAX_LEN);
    return;
  }
  while ((rv = imsms_sdp_iter_next(&it, &l)) == 0) {
    require(l.raw.base == pos && l.lineno == ++lineno);
    inside(l.raw, sdp, len);
    pos += l.raw.len;
    require(l.type >= 'a' && l.type <= 'z');
    require(l.value.len == 0 || l.value.base == l.raw.base + 2);
    require(l.raw.len >= 2 + l.value.len);
    if (l.type == 'm') {
      require(l.level == ++level);
      require(l.m.nfmts >= 1 && l.m.port <= 65535);
      require(imsms_sdp_proto_from_str(l.m.proto_text.base,
                                       l.m.proto_text.len) == l.m.proto);
      inside(l.m.fmts, sdp, len);
    }
    require(l.level == level);
    if (l.type == 'a') {
      require(l.name.len > 0);
      if (l.has_value) {
        fuzz_value(&l, sdp, len);
      }
    }
  }
  require(rv < 0);
  nm = imsms_sdp_check(sdp, len);
  if (rv != IMSMS_ERR_EOF) {
    /* The first problem in body order may be an earlier attribute. */
    require(nm < 0);
    return;
  }
  fuzz_edit(sdp, len, level);
  if (nm < 0) {
    return;
  }
  require((size_t)nm == level);
  for (lv = 0; lv <= level; lv++) {
    require(imsms_sdp_key_mgmt_list(sdp, len, lv, km, IMSMS_SDP_MAX_KEY_MGMT,
                                    &n) == 0);
    require(imsms_sdp_key_mgmt_ids(ids, sizeof(ids), sdp, len, lv) >= 0);
    rv = imsms_sdp_attr_find(sdp, len, lv, "crypto", 6, 1, &l);
    require(rv == 0 || rv == IMSMS_ERR_EOF);
    if (lv) {
      require(imsms_sdp_media_get(sdp, len, lv, &m) == 0);
    }
  }
  fuzz_e2ae(sdp, len, level, sel);
}

/* ------------------------------------------------------------------ */
/* SIP                                                                 */

static void fuzz_sip(const char *v, size_t len) {
  imsms_sdp_sip_mech_spec specs[16];
  char names[16][64], text[4096];
  imsms_sdp_sip_iter it;
  imsms_sdp_sip_mech m;
  imsms_sdp_sip_param p;
  unsigned mask, mask2;
  size_t off, n = 0, usable = 1;
  imsms_ssize t;
  int rv;

  if (imsms_sdp_sip_iter_init(&it, v, len) != 0) {
    return;
  }
  while ((rv = imsms_sdp_sip_next(&it, &m)) == 0) {
    inside(m.name, v, len);
    inside(m.params, v, len);
    require(m.q <= 1000);
    off = 0;
    while ((rv = imsms_sdp_sip_param_next(&m, &off, &p)) == 0) {
      inside(p.name, m.params.base, m.params.len);
      inside(p.value, m.params.base, m.params.len);
    }
    require(rv == IMSMS_ERR_EOF);
    if (n < 16 && m.name.len < sizeof(names[n])) {
      specs[n].name = cstr(names[n], sizeof(names[n]), m.name);
      specs[n].mediasec = m.mediasec;
      specs[n].q = m.has_q ? (int)m.q : -1;
      n++;
    } else {
      usable = 0;
    }
  }
  require(rv < 0);
  rv = imsms_sdp_sip_mediasec(v, len, &mask);
  if (rv != 0) {
    require(mask == 0);
    return;
  }
  if (!usable || n == 0) {
    return;
  }
  t = imsms_sdp_sip_format(text, sizeof(text), specs, n);
  require(t > 0);
  require(imsms_sdp_sip_mediasec(text, (size_t)t, &mask2) == 0);
  require(mask2 == mask);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *buf;

  if (ctx == NULL && imsms_ctx_new(&ctx, NULL, NULL, NULL, NULL) != 0) {
    abort();
  }
  /* Exact size, so ASan catches a read one byte past the end. */
  buf = malloc(size ? size : 1);
  if (buf == NULL) {
    return 0;
  }
  if (size) {
    memcpy(buf, data, size);
  }
  fuzz_body(buf, size, size ? data[size / 2] : 0);
  fuzz_sip(buf, size);
  free(buf);
  return 0;
}
