/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The SDP editor: copies a body line by line, byte for byte, except
 * where an edit says otherwise (an m-line proto replaced, attributes
 * dropped, attributes added at the end of a section). It runs twice,
 * first to measure and then to write, so the output buffer is written
 * only when everything has been checked and fits.
 */
#include <assert.h>

#include "sdp/sdp_int.h"

typedef struct edit_ctx {
  const char *sdp;
  size_t sdplen;
  const imsms_sdp_edit *edits;
  size_t nedits;
  size_t *value_off;
  const imsms_sdp_block *blocks;
  /* Line ending of the body's first line ("" when it has none). */
  imsms_sdp_vec first_eol;
} edit_ctx;

/* The line ending of |l| (empty for a last line without one). */
static imsms_sdp_vec line_eol(const imsms_sdp_line *l) {
  size_t body = 2 + l->value.len;

  return imsms_sdp_vec_make(l->raw.base + body, l->raw.len - body);
}

static int dropped(const edit_ctx *e, const imsms_sdp_line *l) {
  size_t i;

  if (l->type != 'a') {
    return 0;
  }
  for (i = 0; i < e->nedits; i++) {
    const imsms_sdp_edit *ed = &e->edits[i];

    if (ed->kind == IMSMS_SDP_EDIT_DROP_ATTR &&
        (ed->level == IMSMS_SDP_LEVEL_ANY || ed->level == l->level) &&
        imsms_sdp_vec_eq(l->name, ed->name)) {
      return 1;
    }
  }
  return 0;
}

static const imsms_sdp_edit *find_set(const edit_ctx *e, int kind,
                                      size_t level) {
  size_t i;

  for (i = 0; i < e->nedits; i++) {
    if (e->edits[i].kind == kind && e->edits[i].level == level) {
      return &e->edits[i];
    }
  }
  return NULL;
}

/*
 * The added lines of |level|, after the section's last input line
 * |last_eol| (its line ending). |*open| is set when the last line
 * written lacks a line ending; one is written first then.
 */
static void put_adds(imsms_sdp_w *w, const edit_ctx *e, size_t level,
                     imsms_sdp_vec last_eol, int *open) {
  imsms_sdp_vec eol = last_eol;
  size_t i;

  if (eol.len == 0) {
    eol = e->first_eol.len ? e->first_eol : imsms_sdp_vec_make("\r\n", 2);
  }
  for (i = 0; i < e->nedits; i++) {
    const imsms_sdp_edit *ed = &e->edits[i];

    if ((ed->kind != IMSMS_SDP_EDIT_ADD_ATTR &&
         ed->kind != IMSMS_SDP_EDIT_INT_BLOCK) ||
        ed->level != level) {
      continue;
    }
    if (*open) {
      imsms_sdp_w_put(w, eol.base, eol.len);
      *open = 0;
    }
    if (ed->kind == IMSMS_SDP_EDIT_INT_BLOCK) {
      e->blocks[i].fn(w, e->blocks[i].arg, eol);
      continue;
    }
    imsms_sdp_w_put(w, "a=", 2);
    imsms_sdp_w_str(w, ed->name);
    if (ed->text != NULL) {
      imsms_sdp_w_put(w, ":", 1);
      if (e->value_off != NULL && w->buf != NULL) {
        e->value_off[i] = w->len;
      }
      imsms_sdp_w_put(w, ed->text, ed->text_len);
    } else if (e->value_off != NULL && w->buf != NULL) {
      e->value_off[i] = w->len;
    }
    imsms_sdp_w_put(w, eol.base, eol.len);
  }
}

/* An m-line with its port and proto replaced as the edits say. */
static void put_mline(imsms_sdp_w *w, const edit_ctx *e,
                      const imsms_sdp_line *l) {
  const imsms_sdp_edit *port = find_set(e, IMSMS_SDP_EDIT_SET_PORT, l->level);
  const imsms_sdp_edit *proto = find_set(e, IMSMS_SDP_EDIT_SET_PROTO, l->level);
  const char *end = l->raw.base + l->raw.len;
  const char *pb = l->m.media.base + l->m.media.len + 1, *pe = pb;
  const char *rb = l->m.proto_text.base;
  const char *re = rb + l->m.proto_text.len;

  while (*pe >= '0' && *pe <= '9') {
    pe++;
  }
  imsms_sdp_w_put(w, l->raw.base, (size_t)(pb - l->raw.base));
  if (port != NULL) {
    imsms_sdp_w_put(w, port->text, port->text_len);
  } else {
    imsms_sdp_w_put(w, pb, (size_t)(pe - pb));
  }
  imsms_sdp_w_put(w, pe, (size_t)(rb - pe));
  if (proto != NULL) {
    imsms_sdp_w_put(w, proto->text, proto->text_len);
  } else {
    imsms_sdp_w_put(w, rb, (size_t)(re - rb));
  }
  imsms_sdp_w_put(w, re, (size_t)(end - re));
}

/* Nonzero for 1 to 5 digits naming 0-65535 without leading zeroes. */
static int is_port(const char *p, size_t len) {
  uint32_t v;

  return p != NULL && len >= 1 && len <= 5 && (p[0] != '0' || len == 1) &&
         imsms_sdp_parse_u32(p, len, 65535, &v) == 0;
}

static int run_edits(imsms_sdp_w *w, const void *arg) {
  const edit_ctx *e = arg;
  imsms_sdp_iter it;
  imsms_sdp_line l;
  imsms_sdp_vec last_eol = imsms_sdp_vec_make(NULL, 0);
  const char *tail = e->sdp;
  size_t level = 0;
  int rv, open = 0;

  if ((rv = imsms_sdp_iter_init(&it, e->sdp, e->sdplen)) != 0) {
    return rv;
  }
  while ((rv = imsms_sdp_iter_next(&it, &l)) == 0) {
    if (l.type == 'm') {
      put_adds(w, e, level, last_eol, &open);
      level = l.level;
    }
    last_eol = line_eol(&l);
    tail = l.raw.base + l.raw.len;
    if (dropped(e, &l)) {
      continue;
    }
    if (l.type == 'm') {
      put_mline(w, e, &l);
    } else {
      imsms_sdp_w_put(w, l.raw.base, l.raw.len);
    }
    open = last_eol.len == 0;
  }
  if (rv != IMSMS_ERR_EOF) {
    return rv;
  }
  put_adds(w, e, level, last_eol, &open);
  /* Trailing empty lines, as they were. */
  assert(tail <= e->sdp + e->sdplen);
  imsms_sdp_w_put(w, tail, (size_t)(e->sdp + e->sdplen - tail));
  return 0;
}

/* The edits themselves, against a body of |nmedia| sections. */
static int check_edits(const imsms_sdp_edit *edits, size_t nedits,
                       size_t nmedia, const imsms_sdp_block *blocks) {
  size_t i, j;

  for (i = 0; i < nedits; i++) {
    const imsms_sdp_edit *ed = &edits[i];
    int mline = ed->kind == IMSMS_SDP_EDIT_SET_PROTO ||
                ed->kind == IMSMS_SDP_EDIT_SET_PORT;

    if (ed->kind == IMSMS_SDP_EDIT_INT_BLOCK) {
      if (blocks == NULL || blocks[i].fn == NULL || ed->level > nmedia) {
        return IMSMS_ERR_INVALID_ARGUMENT;
      }
      continue;
    }
    if (ed->name == NULL && !mline) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
    if (ed->text == NULL && ed->text_len != 0) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
    switch (ed->kind) {
    case IMSMS_SDP_EDIT_SET_PROTO:
    case IMSMS_SDP_EDIT_SET_PORT:
      if (ed->level == 0 || ed->level > nmedia || ed->text == NULL ||
          (ed->kind == IMSMS_SDP_EDIT_SET_PROTO
               ? !imsms_sdp_is_proto(ed->text, ed->text_len)
               : !is_port(ed->text, ed->text_len))) {
        return IMSMS_ERR_INVALID_ARGUMENT;
      }
      for (j = 0; j < i; j++) {
        if (edits[j].kind == ed->kind && edits[j].level == ed->level) {
          return IMSMS_ERR_INVALID_ARGUMENT;
        }
      }
      break;
    case IMSMS_SDP_EDIT_DROP_ATTR:
      if ((ed->level != IMSMS_SDP_LEVEL_ANY && ed->level > nmedia) ||
          !imsms_sdp_is_token(ed->name, strlen(ed->name))) {
        return IMSMS_ERR_INVALID_ARGUMENT;
      }
      break;
    case IMSMS_SDP_EDIT_ADD_ATTR:
      if (ed->level > nmedia ||
          !imsms_sdp_is_token(ed->name, strlen(ed->name)) ||
          (ed->text != NULL &&
           (ed->text_len > IMSMS_SDP_MAX_LEN ||
            !imsms_sdp_is_line_text(ed->text, ed->text_len)))) {
        return IMSMS_ERR_INVALID_ARGUMENT;
      }
      break;
    default:
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
  }
  return 0;
}

imsms_ssize imsms_sdp_edit_apply_int(char *out, size_t outcap, const char *sdp,
                                     size_t sdplen, const imsms_sdp_edit *edits,
                                     size_t nedits, size_t *value_off,
                                     const imsms_sdp_block *blocks) {
  imsms_sdp_iter it;
  imsms_sdp_line first;
  edit_ctx e;
  imsms_ssize nmedia;
  int rv;

  if (edits == NULL && nedits != 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if ((nmedia = imsms_sdp_count_media(sdp, sdplen)) < 0) {
    return nmedia;
  }
  if ((rv = check_edits(edits, nedits, (size_t)nmedia, blocks)) != 0) {
    return rv;
  }
  /* A valid body has a first line. */
  if (imsms_sdp_iter_init(&it, sdp, sdplen) != 0 ||
      imsms_sdp_iter_next(&it, &first) != 0) {
    return IMSMS_ERR_SDP_SYNTAX;
  }
  e.sdp = sdp;
  e.sdplen = sdplen;
  e.edits = edits;
  e.nedits = nedits;
  e.value_off = value_off;
  e.blocks = blocks;
  e.first_eol = line_eol(&first);
  /* The output must not overlap the input. */
  if (out != NULL && outcap != 0 && sdplen != 0) {
    uintptr_t o = (uintptr_t)out, s = (uintptr_t)sdp;

    if (!(o + outcap <= s || s + sdplen <= o)) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
  }
  return imsms_sdp_w_run(out, outcap, run_edits, &e);
}

/* see imsmediasec/sdp.h */
imsms_ssize imsms_sdp_edit_apply(char *out, size_t outcap, const char *sdp,
                                 size_t sdplen, const imsms_sdp_edit *edits,
                                 size_t nedits) {
  size_t i;

  /* The internal kind is not part of the public API. */
  for (i = 0; edits != NULL && i < nedits; i++) {
    if (edits[i].kind == IMSMS_SDP_EDIT_INT_BLOCK) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
  }
  return imsms_sdp_edit_apply_int(out, outcap, sdp, sdplen, edits, nedits,
                                  NULL, NULL);
}
