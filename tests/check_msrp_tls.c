/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * MSRP over TLS-PSK keyed by MIKEY-TICKET, end to end with OpenSSL
 * libssl (tests may use it; the library never does). An initiator and a
 * responder each derive imsms_msrp_psk on their own context from the
 * same MIKEY inputs, two in-process OpenSSL endpoints run the handshake
 * over a non-blocking memory BIO pair driven by one pump loop (no
 * threads, no sockets, deterministic), and an RFC 4975 SEND request
 * crosses the tunnel and is answered with 200 OK. Both TLS 1.2 PSK
 * suites (RFC 4279, RFC 5487) and TLS 1.3 external PSK are used; a wrong
 * PSK or a foreign identity fails the handshake in both versions.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <imsmediasec/keys.h>

#include "test_util.h"

/* ------------------------------------------------------------ MIKEY side */

/* The MIKEY inputs both parties share after TRANSFER_INIT/RESP. */
static const uint8_t tgk_shared[32] = {
    0x3a, 0x1f, 0x92, 0x47, 0xd0, 0x6c, 0x5e, 0x81, 0x2b, 0xf4, 0x77,
    0x09, 0xc3, 0x18, 0xae, 0x65, 0x54, 0x0d, 0x99, 0xe2, 0x71, 0x36,
    0x8f, 0xcb, 0x1d, 0x40, 0xb5, 0x6a, 0x27, 0xf8, 0x83, 0x5c};
static const uint8_t tgk_other[32] = {
    0x3a, 0x1f, 0x92, 0x47, 0xd0, 0x6c, 0x5e, 0x81, 0x2b, 0xf4, 0x77,
    0x09, 0xc3, 0x18, 0xae, 0x65, 0x54, 0x0d, 0x99, 0xe2, 0x71, 0x36,
    0x8f, 0xcb, 0x1d, 0x40, 0xb5, 0x6a, 0x27, 0xf8, 0x83, 0x5d};
static const uint8_t randri_bytes[16] = {0xc0, 0xff, 0xee, 0x00, 0x11, 0x22,
                                         0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
                                         0x99, 0xaa, 0xbb, 0xcc};
static const uint8_t spi_bytes[4] = {0xde, 0xad, 0xbe, 0xef};
#define CSB_ID 0x1A2B3C4Du
#define CS_ID 1

/*
 * One party derives the PSK on its own context and with its own copies of
 * the inputs, as a UE would from its decrypted KEMAC and the RANDRi of
 * the exchange (RFC 6043 5.1.3, H flag only).
 */
static void party_derive_spi(const uint8_t *tgk, uint8_t cs_id,
                             const uint8_t *spi, size_t spilen,
                             imsms_msrp_psk *out) {
  uint8_t tgk_copy[32], randri[16];
  imsms_tek_params tp;
  imsms_ctx *pctx = imsms_test_ctx();

  memcpy(tgk_copy, tgk, sizeof(tgk_copy));
  memcpy(randri, randri_bytes, sizeof(randri));
  memset(&tp, 0, sizeof(tp));
  tp.rfc = IMSMS_TEK_RFC6043;
  tp.prf_func = IMSMS_MIKEY_PRF_HMAC_SHA256;
  tp.randri = randri;
  tp.randri_len = sizeof(randri);
  ck_assert_int_eq(imsms_msrp_psk_derive(pctx, &tp, tgk_copy, 32, CSB_ID, cs_id,
                                         spi, spilen, out),
                   0);
  imsms_secure_clear(tgk_copy, sizeof(tgk_copy));
  imsms_ctx_del(pctx);
}

static void party_derive(const uint8_t *tgk, uint8_t cs_id,
                         imsms_msrp_psk *out) {
  party_derive_spi(tgk, cs_id, spi_bytes, sizeof(spi_bytes), out);
}

/* -------------------------------------------------------------- TLS side */

typedef struct endpoint {
  const imsms_msrp_psk *psk;
  /* Server: what the PSK callback saw. */
  int identity_ok;
  int identity_unknown;
} endpoint;

/* TLS_AES_128_GCM_SHA256 (RFC 8446 B.4). */
static const unsigned char tls13_aes128gcm[2] = {0x13, 0x01};

static unsigned int psk12_client_cb(SSL *ssl, const char *hint, char *identity,
                                    unsigned int max_identity_len,
                                    unsigned char *psk,
                                    unsigned int max_psk_len) {
  const endpoint *ep = SSL_get_app_data(ssl);

  (void)hint;
  if (ep->psk->identity_len + 1 > max_identity_len ||
      max_psk_len < IMSMS_MSRP_PSK_LEN) {
    return 0;
  }
  memcpy(identity, ep->psk->identity, ep->psk->identity_len + 1);
  memcpy(psk, ep->psk->psk, IMSMS_MSRP_PSK_LEN);
  return IMSMS_MSRP_PSK_LEN;
}

static unsigned int psk12_server_cb(SSL *ssl, const char *identity,
                                    unsigned char *psk,
                                    unsigned int max_psk_len) {
  endpoint *ep = SSL_get_app_data(ssl);

  if (identity == NULL || strcmp(identity, ep->psk->identity) != 0) {
    ep->identity_unknown = 1;
    return 0;
  }
  if (max_psk_len < IMSMS_MSRP_PSK_LEN) {
    return 0;
  }
  ep->identity_ok = 1;
  memcpy(psk, ep->psk->psk, IMSMS_MSRP_PSK_LEN);
  return IMSMS_MSRP_PSK_LEN;
}

/* An external PSK as OpenSSL wants it: a session with the key as master. */
static SSL_SESSION *psk13_session(SSL *ssl, const endpoint *ep) {
  const SSL_CIPHER *cipher = SSL_CIPHER_find(ssl, tls13_aes128gcm);
  SSL_SESSION *sess;

  if (cipher == NULL) {
    return NULL;
  }
  sess = SSL_SESSION_new();
  if (sess == NULL ||
      !SSL_SESSION_set1_master_key(sess, ep->psk->psk, IMSMS_MSRP_PSK_LEN) ||
      !SSL_SESSION_set_cipher(sess, cipher) ||
      !SSL_SESSION_set_protocol_version(sess, TLS1_3_VERSION)) {
    SSL_SESSION_free(sess);
    return NULL;
  }
  return sess;
}

static int psk13_use_cb(SSL *ssl, const EVP_MD *md, const unsigned char **id,
                        size_t *idlen, SSL_SESSION **sess) {
  const endpoint *ep = SSL_get_app_data(ssl);
  const SSL_CIPHER *cipher = SSL_CIPHER_find(ssl, tls13_aes128gcm);

  *sess = NULL;
  *id = NULL;
  *idlen = 0;
  if (cipher == NULL) {
    return 0;
  }
  /* Called again after HelloRetryRequest with the hash of the suite. */
  if (md != NULL && md != SSL_CIPHER_get_handshake_digest(cipher)) {
    return 1;
  }
  *sess = psk13_session(ssl, ep);
  if (*sess == NULL) {
    return 0;
  }
  *id = (const unsigned char *)ep->psk->identity;
  *idlen = ep->psk->identity_len;
  return 1;
}

static int psk13_find_cb(SSL *ssl, const unsigned char *identity,
                         size_t identity_len, SSL_SESSION **sess) {
  endpoint *ep = SSL_get_app_data(ssl);

  *sess = NULL;
  if (identity_len != ep->psk->identity_len ||
      memcmp(identity, ep->psk->identity, identity_len) != 0) {
    ep->identity_unknown = 1;
    return 1; /* not found: the handshake goes on without it */
  }
  *sess = psk13_session(ssl, ep);
  if (*sess == NULL) {
    return 0;
  }
  ep->identity_ok = 1;
  return 1;
}

typedef struct tls_pair {
  SSL_CTX *cctx, *sctx;
  SSL *c, *s;
  endpoint cep, sep;
} tls_pair;

/* |tls13| 0: TLS 1.2 with |suite| (OpenSSL name); 1: TLS 1.3 PSK. */
static void pair_new(tls_pair *tp, int tls13, const char *suite,
                     const imsms_msrp_psk *initiator,
                     const imsms_msrp_psk *responder) {
  int version = tls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
  BIO *cbio = NULL, *sbio = NULL;

  memset(tp, 0, sizeof(*tp));
  tp->cep.psk = initiator;
  tp->sep.psk = responder;
  tp->cctx = SSL_CTX_new(TLS_client_method());
  tp->sctx = SSL_CTX_new(TLS_server_method());
  ck_assert_ptr_nonnull(tp->cctx);
  ck_assert_ptr_nonnull(tp->sctx);
  ck_assert_int_eq(SSL_CTX_set_min_proto_version(tp->cctx, version), 1);
  ck_assert_int_eq(SSL_CTX_set_max_proto_version(tp->cctx, version), 1);
  ck_assert_int_eq(SSL_CTX_set_min_proto_version(tp->sctx, version), 1);
  ck_assert_int_eq(SSL_CTX_set_max_proto_version(tp->sctx, version), 1);
  if (tls13) {
    ck_assert_int_eq(SSL_CTX_set_ciphersuites(tp->cctx, suite), 1);
    ck_assert_int_eq(SSL_CTX_set_ciphersuites(tp->sctx, suite), 1);
    SSL_CTX_set_psk_use_session_callback(tp->cctx, psk13_use_cb);
    SSL_CTX_set_psk_find_session_callback(tp->sctx, psk13_find_cb);
    /* An external PSK: no resumption tickets. */
    ck_assert_int_eq(SSL_CTX_set_num_tickets(tp->sctx, 0), 1);
  } else {
    ck_assert_int_eq(SSL_CTX_set_cipher_list(tp->cctx, suite), 1);
    ck_assert_int_eq(SSL_CTX_set_cipher_list(tp->sctx, suite), 1);
    SSL_CTX_set_psk_client_callback(tp->cctx, psk12_client_cb);
    SSL_CTX_set_psk_server_callback(tp->sctx, psk12_server_cb);
  }
  tp->c = SSL_new(tp->cctx);
  tp->s = SSL_new(tp->sctx);
  ck_assert_ptr_nonnull(tp->c);
  ck_assert_ptr_nonnull(tp->s);
  SSL_set_app_data(tp->c, &tp->cep);
  SSL_set_app_data(tp->s, &tp->sep);
  /* A connected pair of memory BIOs: non-blocking, in-process. */
  ck_assert_int_eq(BIO_new_bio_pair(&cbio, 0, &sbio, 0), 1);
  SSL_set_bio(tp->c, cbio, cbio);
  SSL_set_bio(tp->s, sbio, sbio);
  SSL_set_connect_state(tp->c);
  SSL_set_accept_state(tp->s);
}

static void pair_free(tls_pair *tp) {
  SSL_free(tp->c);
  SSL_free(tp->s);
  SSL_CTX_free(tp->cctx);
  SSL_CTX_free(tp->sctx);
  ERR_clear_error();
}

/* 1 done, 0 wants more I/O, -1 failed. */
static int hs_step(SSL *ssl) {
  int rv = SSL_do_handshake(ssl);

  if (rv == 1) {
    return 1;
  }
  switch (SSL_get_error(ssl, rv)) {
  case SSL_ERROR_WANT_READ:
  case SSL_ERROR_WANT_WRITE:
    return 0;
  default:
    return -1;
  }
}

/*
 * The pump: each side takes one step in turn until both are done or both
 * have failed (or nothing moves any more). Returns 1 when both completed.
 */
static int pair_handshake(tls_pair *tp, int *cstate, int *sstate) {
  int i;

  *cstate = 0;
  *sstate = 0;
  for (i = 0; i < 64; i++) {
    if (*cstate == 0) {
      *cstate = hs_step(tp->c);
    }
    if (*sstate == 0) {
      *sstate = hs_step(tp->s);
    }
    if (*cstate != 0 && *sstate != 0) {
      break;
    }
  }
  return *cstate == 1 && *sstate == 1;
}

/* Writes |len| bytes in records of at most |chunk| bytes. */
static void tls_send(SSL *ssl, const char *msg, size_t len, size_t chunk) {
  size_t off = 0;

  while (off < len) {
    size_t n = len - off < chunk ? len - off : chunk;
    size_t written = 0;

    ck_assert_int_eq(SSL_write_ex(ssl, msg + off, n, &written), 1);
    ck_assert_uint_eq(written, n);
    off += n;
  }
}

/* ------------------------------------------------------------ MSRP side */

#define TID "a786hjs2"
#define TO_PATH "msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp"
#define FROM_PATH "msrp://atlanta.example.com:7654/jshA7weztas;tcp"
#define BODY "Hey Bob, are you there?"

/*
 * RFC 4975 section 4, figure 2, verbatim. Byte-Range 1-25/25 is the
 * figure's; the body itself is the 23 bytes of BODY, because the CRLF
 * before the end-line is not part of it (section 7.1 and the data CRLF
 * end-line production of section 9). The test keeps the figure and checks
 * the header as text.
 */
static const char send_req[] = "MSRP " TID " SEND\r\n"
                               "To-Path: " TO_PATH "\r\n"
                               "From-Path: " FROM_PATH "\r\n"
                               "Message-ID: 87652491\r\n"
                               "Byte-Range: 1-25/25\r\n"
                               "Content-Type: text/plain\r\n"
                               "\r\n" BODY "\r\n"
                               "-------" TID "$\r\n";

static const char ok_resp[] = "MSRP " TID " 200 OK\r\n"
                              "To-Path: " FROM_PATH "\r\n"
                              "From-Path: " TO_PATH "\r\n"
                              "-------" TID "$\r\n";

typedef struct msrp_msg {
  char tid[33];
  char method[16];  /* requests */
  int status;       /* responses: 3 digits; 0 for requests */
  char comment[32]; /* responses */
  char to_path[128];
  char from_path[128];
  char message_id[40];
  char byte_range[40];
  char content_type[64];
  int has_body;
  const char *body; /* points into the parsed buffer */
  size_t body_len;
  char flag;
} msrp_msg;

static int is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

/* Copies [p, p + n) as a C string into |dst| (room for |cap|). */
static int copy_field(char *dst, size_t cap, const char *p, size_t n) {
  if (n >= cap) {
    return -1;
  }
  memcpy(dst, p, n);
  dst[n] = '\0';
  return 0;
}

/* Finds |needle| (NUL-terminated) in [p, end). */
static const char *find(const char *p, const char *end, const char *needle) {
  size_t n = strlen(needle);

  for (; (size_t)(end - p) >= n; p++) {
    if (memcmp(p, needle, n) == 0) {
      return p;
    }
  }
  return NULL;
}

/*
 * Where the message in [buf, buf + len) ends (just after the CRLF of its
 * end-line), or 0 while it is incomplete.
 */
static size_t msrp_complete(const char *buf, size_t len) {
  const char *end = buf + len, *sp, *eol, *el;
  char endline[48];

  if (len < 5 || memcmp(buf, "MSRP ", 5) != 0) {
    return 0;
  }
  sp = memchr(buf + 5, ' ', len - 5);
  if (sp == NULL || sp - (buf + 5) > 32) {
    return 0;
  }
  memcpy(endline, "\r\n-------", 9);
  memcpy(endline + 9, buf + 5, (size_t)(sp - (buf + 5)));
  endline[9 + (sp - (buf + 5))] = '\0';
  el = find(buf, end, endline);
  if (el == NULL) {
    return 0;
  }
  /* Flag and CRLF after "-------" tid. */
  el += strlen(endline);
  eol = el + 3;
  if (eol > end) {
    return 0;
  }
  return (size_t)(eol - buf);
}

/* Parses one complete request or response (RFC 4975 section 9). */
static int msrp_parse(const char *buf, size_t len, msrp_msg *m) {
  const char *p = buf, *end = buf + len, *eol, *sp;
  size_t nheaders = 0;

  memset(m, 0, sizeof(*m));
  /* req-start / resp-start */
  eol = find(p, end, "\r\n");
  if (eol == NULL || end - p < 5 || memcmp(p, "MSRP ", 5) != 0) {
    return -1;
  }
  p += 5;
  sp = memchr(p, ' ', (size_t)(eol - p));
  /* ident = ALPHANUM 3*31ident-char */
  if (sp == NULL || sp - p < 4 || sp - p > 32 || !is_alnum(*p) ||
      copy_field(m->tid, sizeof(m->tid), p, (size_t)(sp - p)) != 0) {
    return -1;
  }
  p = sp + 1;
  if (eol - p >= 3 && p[0] >= '0' && p[0] <= '9' && p[1] >= '0' &&
      p[1] <= '9' && p[2] >= '0' && p[2] <= '9' &&
      (eol - p == 3 || p[3] == ' ')) {
    m->status = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
    if (eol - p > 3 && copy_field(m->comment, sizeof(m->comment), p + 4,
                                  (size_t)(eol - p - 4)) != 0) {
      return -1;
    }
  } else {
    const char *q;

    for (q = p; q < eol; q++) {
      if (*q < 'A' || *q > 'Z') {
        return -1;
      }
    }
    if (q == p ||
        copy_field(m->method, sizeof(m->method), p, (size_t)(eol - p)) != 0) {
      return -1;
    }
  }
  p = eol + 2;

  /* headers, then either the end-line or a blank line and the body */
  for (;;) {
    const char *colon;
    size_t n;

    eol = find(p, end, "\r\n");
    if (eol == NULL) {
      return -1;
    }
    if (eol - p >= 7 && memcmp(p, "-------", 7) == 0) {
      break; /* bodiless: the end-line right after the headers */
    }
    if (eol == p) {
      /* content-stuff: data up to CRLF end-line */
      char endline[48];
      const char *el;

      if (m->content_type[0] == '\0') {
        return -1;
      }
      p = eol + 2;
      snprintf(endline, sizeof(endline), "\r\n-------%s", m->tid);
      el = find(p, end, endline);
      if (el == NULL) {
        return -1;
      }
      m->has_body = 1;
      m->body = p;
      m->body_len = (size_t)(el - p);
      p = el + 2;
      eol = find(p, end, "\r\n");
      if (eol == NULL) {
        return -1;
      }
      break;
    }
    colon = memchr(p, ':', (size_t)(eol - p));
    if (colon == NULL || colon + 1 >= eol || colon[1] != ' ') {
      return -1;
    }
    n = (size_t)(colon - p);
    /* To-Path first, From-Path second (the headers production). */
    if ((nheaders == 0) != (n == 7 && memcmp(p, "To-Path", 7) == 0) ||
        (nheaders == 1) != (n == 9 && memcmp(p, "From-Path", 9) == 0)) {
      return -1;
    }
#define HDR(name, field)                                                       \
  if (n == sizeof(name) - 1 && memcmp(p, name, n) == 0 &&                      \
      copy_field(m->field, sizeof(m->field), colon + 2,                        \
                 (size_t)(eol - colon - 2)) != 0) {                            \
    return -1;                                                                 \
  }
    HDR("To-Path", to_path)
    HDR("From-Path", from_path)
    HDR("Message-ID", message_id)
    HDR("Byte-Range", byte_range)
    HDR("Content-Type", content_type)
#undef HDR
    nheaders++;
    p = eol + 2;
  }
  if (nheaders < 2) {
    return -1;
  }
  /* end-line = "-------" transact-id continuation-flag CRLF, then nothing */
  if ((size_t)(eol - p) != 7 + strlen(m->tid) + 1 ||
      memcmp(p + 7, m->tid, strlen(m->tid)) != 0 || eol + 2 != end) {
    return -1;
  }
  m->flag = eol[-1];
  if (m->flag != '$' && m->flag != '+' && m->flag != '#') {
    return -1;
  }
  return 0;
}

/*
 * Reads one MSRP message from |ssl| into |buf|, pumping: the message is
 * already in flight in the BIO pair, so each SSL_read either returns data
 * or wants more that will not come (a failure).
 */
static size_t tls_recv_msrp(SSL *ssl, char *buf, size_t cap) {
  size_t len = 0, done = 0;
  int i;

  for (i = 0; i < 256 && done == 0; i++) {
    size_t got = 0;

    if (SSL_read_ex(ssl, buf + len, cap - len, &got) != 1) {
      ck_assert_int_eq(SSL_get_error(ssl, 0), SSL_ERROR_WANT_READ);
      break;
    }
    len += got;
    done = msrp_complete(buf, len);
  }
  ck_assert_uint_eq(done, len);
  ck_assert_uint_gt(len, 0);
  return len;
}

/* Initiator (TLS client, a=setup:active) sends; the responder answers. */
static void msrp_exchange(tls_pair *tp) {
  char buf[1024];
  msrp_msg req, resp;
  size_t n;

  /* The request in 7-byte records, so the receiver reassembles. */
  tls_send(tp->c, send_req, sizeof(send_req) - 1, 7);
  n = tls_recv_msrp(tp->s, buf, sizeof(buf));
  ck_assert_int_eq(msrp_parse(buf, n, &req), 0);
  ck_assert_str_eq(req.tid, TID);
  ck_assert_str_eq(req.method, "SEND");
  ck_assert_int_eq(req.status, 0);
  ck_assert_str_eq(req.to_path, TO_PATH);
  ck_assert_str_eq(req.from_path, FROM_PATH);
  ck_assert_str_eq(req.message_id, "87652491");
  ck_assert_str_eq(req.byte_range, "1-25/25");
  ck_assert_str_eq(req.content_type, "text/plain");
  ck_assert_int_eq(req.has_body, 1);
  ck_assert_uint_eq(req.body_len, sizeof(BODY) - 1);
  ck_assert(memcmp(req.body, BODY, req.body_len) == 0);
  ck_assert_int_eq(req.flag, '$');

  /* 200 OK: paths swapped (RFC 4975 7.2). */
  tls_send(tp->s, ok_resp, sizeof(ok_resp) - 1, sizeof(ok_resp));
  n = tls_recv_msrp(tp->c, buf, sizeof(buf));
  ck_assert_int_eq(msrp_parse(buf, n, &resp), 0);
  ck_assert_str_eq(resp.tid, req.tid);
  ck_assert_int_eq(resp.status, 200);
  ck_assert_str_eq(resp.comment, "OK");
  ck_assert_str_eq(resp.method, "");
  ck_assert_str_eq(resp.to_path, req.from_path);
  ck_assert_str_eq(resp.from_path, req.to_path);
  ck_assert_int_eq(resp.has_body, 0);
  ck_assert_int_eq(resp.flag, '$');
}

/* ----------------------------------------------------------------- tests */

/* The parser itself: the two messages, and what it must refuse. */
START_TEST(test_msrp_framing) {
  static const char bad_tid[] = "MSRP a7 SEND\r\nTo-Path: x\r\nFrom-Path: y\r\n"
                                "-------a7$\r\n";
  static const char bad_order[] = "MSRP a786hjs2 SEND\r\nFrom-Path: y\r\n"
                                  "To-Path: x\r\n-------a786hjs2$\r\n";
  static const char bad_flag[] = "MSRP a786hjs2 SEND\r\nTo-Path: x\r\n"
                                 "From-Path: y\r\n-------a786hjs2!\r\n";
  static const char no_type[] = "MSRP a786hjs2 SEND\r\nTo-Path: x\r\n"
                                "From-Path: y\r\n\r\nbody\r\n"
                                "-------a786hjs2$\r\n";
  msrp_msg m;
  size_t i;

  ck_assert_int_eq(msrp_parse(send_req, sizeof(send_req) - 1, &m), 0);
  ck_assert_int_eq(msrp_parse(ok_resp, sizeof(ok_resp) - 1, &m), 0);
  ck_assert_int_eq(msrp_parse(bad_tid, sizeof(bad_tid) - 1, &m), -1);
  ck_assert_int_eq(msrp_parse(bad_order, sizeof(bad_order) - 1, &m), -1);
  ck_assert_int_eq(msrp_parse(bad_flag, sizeof(bad_flag) - 1, &m), -1);
  ck_assert_int_eq(msrp_parse(no_type, sizeof(no_type) - 1, &m), -1);
  /* Every prefix is incomplete, and none parses. */
  for (i = 0; i < sizeof(send_req) - 1; i++) {
    ck_assert_uint_eq(msrp_complete(send_req, i), 0);
    ck_assert_int_eq(msrp_parse(send_req, i, &m), -1);
  }
  ck_assert_uint_eq(msrp_complete(send_req, sizeof(send_req) - 1),
                    sizeof(send_req) - 1);
}
END_TEST

/* Both parties derive the same PSK and identity, each on its own. */
START_TEST(test_both_parties_agree) {
  imsms_msrp_psk a, b, c;
  imsms_tek_params tp;
  uint8_t tek[32];
  imsms_ctx *ctx = imsms_test_ctx();

  /* The profile: Prot type 254 (private use, not TESLA's 1), 32 bytes. */
  ck_assert_int_eq(IMSMS_MIKEY_PROT_TLS, 254);
  ck_assert_int_eq(IMSMS_MSRP_PSK_LEN, 32);

  party_derive(tgk_shared, CS_ID, &a);
  party_derive(tgk_shared, CS_ID, &b);
  ck_assert_mem_eq(a.psk, b.psk, IMSMS_MSRP_PSK_LEN);
  ck_assert_str_eq(a.identity, b.identity);
  ck_assert_str_eq(a.identity, "imsms-msrp:1a2b3c4d:01:deadbeef");
  ck_assert_uint_eq(a.identity_len, strlen(a.identity));
  ck_assert(!imsms_test_all_zero(a.psk, IMSMS_MSRP_PSK_LEN));

  /* The PSK is the TEK of the crypto session (TEK label, 32 bytes). */
  memset(&tp, 0, sizeof(tp));
  tp.rfc = IMSMS_TEK_RFC6043;
  tp.prf_func = IMSMS_MIKEY_PRF_HMAC_SHA256;
  tp.randri = randri_bytes;
  tp.randri_len = sizeof(randri_bytes);
  ck_assert_int_eq(imsms_tgk_derive(ctx, &tp, tgk_shared, 32, CS_ID,
                                    0x2AD01C64u, tek, sizeof(tek)),
                   0);
  ck_assert_mem_eq(a.psk, tek, 32);

  /* Another TGK or another crypto session: another key. */
  party_derive(tgk_other, CS_ID, &c);
  ck_assert(memcmp(a.psk, c.psk, 32) != 0);
  ck_assert_str_eq(a.identity, c.identity);
  party_derive(tgk_shared, 2, &c);
  ck_assert(memcmp(a.psk, c.psk, 32) != 0);
  ck_assert_str_eq(c.identity, "imsms-msrp:1a2b3c4d:02:deadbeef");
  imsms_secure_clear(&a, sizeof(a));
  imsms_secure_clear(&b, sizeof(b));
  imsms_secure_clear(&c, sizeof(c));
  imsms_ctx_del(ctx);
}
END_TEST

static const char *const tls12_suites[] = {"PSK-AES128-GCM-SHA256",
                                           "PSK-AES256-GCM-SHA384"};

START_TEST(test_tls12_psk_msrp) {
  const char *suite = tls12_suites[_i];
  imsms_msrp_psk ini, resp;
  int cs, ss;
  tls_pair tp;

  party_derive(tgk_shared, CS_ID, &ini);
  party_derive(tgk_shared, CS_ID, &resp);
  pair_new(&tp, 0, suite, &ini, &resp);
  ck_assert_int_eq(pair_handshake(&tp, &cs, &ss), 1);
  ck_assert_int_eq(SSL_version(tp.c), TLS1_2_VERSION);
  ck_assert_int_eq(SSL_version(tp.s), TLS1_2_VERSION);
  ck_assert_str_eq(SSL_CIPHER_get_name(SSL_get_current_cipher(tp.c)), suite);
  ck_assert_str_eq(SSL_CIPHER_get_name(SSL_get_current_cipher(tp.s)), suite);
  ck_assert_int_eq(tp.sep.identity_ok, 1);
  ck_assert_int_eq(tp.sep.identity_unknown, 0);
  ck_assert_str_eq(SSL_get_psk_identity(tp.s), ini.identity);
  msrp_exchange(&tp);
  pair_free(&tp);
  imsms_secure_clear(&ini, sizeof(ini));
  imsms_secure_clear(&resp, sizeof(resp));
}
END_TEST

START_TEST(test_tls13_psk_msrp) {
  imsms_msrp_psk ini, resp;
  int cs, ss;
  tls_pair tp;

  party_derive(tgk_shared, CS_ID, &ini);
  party_derive(tgk_shared, CS_ID, &resp);
  pair_new(&tp, 1, "TLS_AES_128_GCM_SHA256", &ini, &resp);
  ck_assert_int_eq(pair_handshake(&tp, &cs, &ss), 1);
  ck_assert_int_eq(SSL_version(tp.c), TLS1_3_VERSION);
  ck_assert_int_eq(SSL_version(tp.s), TLS1_3_VERSION);
  ck_assert_str_eq(SSL_CIPHER_get_name(SSL_get_current_cipher(tp.c)),
                   "TLS_AES_128_GCM_SHA256");
  /* The external PSK was accepted (no certificate is in play at all). */
  ck_assert_int_eq(SSL_session_reused(tp.c), 1);
  ck_assert_int_eq(SSL_session_reused(tp.s), 1);
  ck_assert_ptr_null(SSL_get0_peer_certificate(tp.c));
  /* psk_dhe_ke: an (EC)DHE share was used with the PSK. */
  ck_assert_int_ne(SSL_get_negotiated_group(tp.c), 0);
  ck_assert_int_eq(tp.sep.identity_ok, 1);
  ck_assert_int_eq(tp.sep.identity_unknown, 0);
  msrp_exchange(&tp);
  pair_free(&tp);
  imsms_secure_clear(&ini, sizeof(ini));
  imsms_secure_clear(&resp, sizeof(resp));
}
END_TEST

/*
 * The responder derived its PSK from another TGK: same identity, other
 * key. _i: 0 TLS 1.2 AES-128, 1 TLS 1.2 AES-256, 2 TLS 1.3.
 */
START_TEST(test_wrong_psk_fails) {
  imsms_msrp_psk ini, resp;
  int cs, ss;
  tls_pair tp;

  party_derive(tgk_shared, CS_ID, &ini);
  party_derive(tgk_other, CS_ID, &resp);
  if (_i < 2) {
    pair_new(&tp, 0, tls12_suites[_i], &ini, &resp);
  } else {
    pair_new(&tp, 1, "TLS_AES_128_GCM_SHA256", &ini, &resp);
  }
  ck_assert_int_eq(pair_handshake(&tp, &cs, &ss), 0);
  ck_assert_int_eq(cs, -1);
  ck_assert_int_eq(ss, -1);
  /* The identity matched: the key is what failed. */
  ck_assert_int_eq(tp.sep.identity_ok, 1);
  ck_assert_int_eq(tp.sep.identity_unknown, 0);
  pair_free(&tp);
  imsms_secure_clear(&ini, sizeof(ini));
  imsms_secure_clear(&resp, sizeof(resp));
}
END_TEST

/* The responder knows another crypto session: the identity is refused. */
START_TEST(test_foreign_identity_fails) {
  imsms_msrp_psk ini, resp;
  int cs, ss;
  tls_pair tp;

  party_derive(tgk_shared, CS_ID, &ini);
  party_derive(tgk_shared, 2, &resp);
  if (_i < 2) {
    pair_new(&tp, 0, tls12_suites[_i], &ini, &resp);
  } else {
    pair_new(&tp, 1, "TLS_AES_128_GCM_SHA256", &ini, &resp);
  }
  ck_assert_int_eq(pair_handshake(&tp, &cs, &ss), 0);
  ck_assert_int_eq(cs, -1);
  ck_assert_int_eq(ss, -1);
  ck_assert_int_eq(tp.sep.identity_ok, 0);
  ck_assert_int_eq(tp.sep.identity_unknown, 1);
  pair_free(&tp);
  imsms_secure_clear(&ini, sizeof(ini));
  imsms_secure_clear(&resp, sizeof(resp));
}
END_TEST

/*
 * The longest identity (64-byte SPI, 151 characters) through both TLS
 * versions: within OpenSSL 3's PSK_MAX_IDENTITY_LEN of 256.
 */
START_TEST(test_longest_identity_tls) {
  imsms_msrp_psk ini, resp;
  uint8_t spi[64];
  int cs, ss;
  tls_pair tp;
  size_t i;

  for (i = 0; i < sizeof(spi); i++) {
    spi[i] = (uint8_t)(0xA0 + i);
  }
  party_derive_spi(tgk_shared, CS_ID, spi, sizeof(spi), &ini);
  party_derive_spi(tgk_shared, CS_ID, spi, sizeof(spi), &resp);
  ck_assert_uint_eq(ini.identity_len, 151);
  if (_i == 0) {
    pair_new(&tp, 0, tls12_suites[0], &ini, &resp);
  } else {
    pair_new(&tp, 1, "TLS_AES_128_GCM_SHA256", &ini, &resp);
  }
  ck_assert_int_eq(pair_handshake(&tp, &cs, &ss), 1);
  ck_assert_int_eq(tp.sep.identity_ok, 1);
  msrp_exchange(&tp);
  pair_free(&tp);
  imsms_secure_clear(&ini, sizeof(ini));
  imsms_secure_clear(&resp, sizeof(resp));
}
END_TEST

START_TEST(test_identity_format) {
  uint8_t spi[65], randri[16] = {1};
  imsms_tek_params tp;
  imsms_msrp_psk out;
  char want[IMSMS_MSRP_IDENTITY_MAX];
  size_t i;
  imsms_ctx *ctx = imsms_test_ctx();

  memset(&tp, 0, sizeof(tp));
  tp.rfc = IMSMS_TEK_RFC6043;
  tp.prf_func = IMSMS_MIKEY_PRF_HMAC_SHA256;
  tp.randri = randri;
  tp.randri_len = sizeof(randri);

  ck_assert_int_eq(imsms_msrp_psk_derive(ctx, &tp, tgk_shared, 32, 0x0000ABCDu,
                                         0xFE, spi_bytes, 4, &out),
                   0);
  ck_assert_str_eq(out.identity, "imsms-msrp:0000abcd:fe:deadbeef");
  ck_assert_uint_eq(out.identity_len, 31);

  /* No SPI: NULL, or a pointer with length 0. */
  ck_assert_int_eq(imsms_msrp_psk_derive(ctx, &tp, tgk_shared, 32, 0xFFFFFFFFu,
                                         0, NULL, 0, &out),
                   0);
  ck_assert_str_eq(out.identity, "imsms-msrp:ffffffff:00:");
  ck_assert_uint_eq(out.identity_len, 23);
  ck_assert_int_eq(imsms_msrp_psk_derive(ctx, &tp, tgk_shared, 32, 0xFFFFFFFFu,
                                         0, spi_bytes, 0, &out),
                   0);
  ck_assert_str_eq(out.identity, "imsms-msrp:ffffffff:00:");

  /* The largest SPI, 64 bytes: 128 hex digits. */
  for (i = 0; i < sizeof(spi); i++) {
    spi[i] = (uint8_t)(0xA0 + i);
  }
  strcpy(want, "imsms-msrp:1a2b3c4d:01:");
  for (i = 0; i < 64; i++) {
    static const char hex[] = "0123456789abcdef";
    size_t at = strlen(want);

    want[at] = hex[spi[i] >> 4];
    want[at + 1] = hex[spi[i] & 15];
    want[at + 2] = '\0';
  }
  ck_assert_int_eq(imsms_msrp_psk_derive(ctx, &tp, tgk_shared, 32, CSB_ID,
                                         CS_ID, spi, 64, &out),
                   0);
  ck_assert_str_eq(out.identity, want);
  ck_assert_uint_eq(out.identity_len, 23 + 128);
  ck_assert_uint_lt(out.identity_len, IMSMS_MSRP_IDENTITY_MAX);

  /* 65 bytes: refused, and the output wiped. */
  ck_assert_int_eq(imsms_msrp_psk_derive(ctx, &tp, tgk_shared, 32, CSB_ID,
                                         CS_ID, spi, 65, &out),
                   IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert(imsms_test_all_zero(&out, sizeof(out)));
  imsms_ctx_del(ctx);
}
END_TEST

START_TEST(test_derive_errors) {
  uint8_t randri[16] = {1};
  imsms_tek_params tp;
  imsms_msrp_psk out;
  imsms_ctx *ctx = imsms_test_ctx();

  memset(&tp, 0, sizeof(tp));
  tp.rfc = IMSMS_TEK_RFC6043;
  tp.prf_func = IMSMS_MIKEY_PRF_HMAC_SHA256;
  tp.randri = randri;
  tp.randri_len = sizeof(randri);

  memset(&out, 0x55, sizeof(out));
  ck_assert_int_eq(
      imsms_msrp_psk_derive(NULL, &tp, tgk_shared, 32, 1, 1, NULL, 0, &out),
      IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert(imsms_test_all_zero(&out, sizeof(out)));
  ck_assert_int_eq(
      imsms_msrp_psk_derive(ctx, NULL, tgk_shared, 32, 1, 1, NULL, 0, &out),
      IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(
      imsms_msrp_psk_derive(ctx, &tp, NULL, 32, 1, 1, NULL, 0, &out),
      IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(
      imsms_msrp_psk_derive(ctx, &tp, tgk_shared, 32, 1, 1, NULL, 4, &out),
      IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert_int_eq(
      imsms_msrp_psk_derive(ctx, &tp, tgk_shared, 32, 1, 1, NULL, 0, NULL),
      IMSMS_ERR_INVALID_ARGUMENT);

  /* Errors of imsms_tgk_derive() come through, the output wiped. */
  memset(&out, 0x55, sizeof(out));
  ck_assert_int_eq(
      imsms_msrp_psk_derive(ctx, &tp, tgk_shared, 0, 1, 1, NULL, 0, &out),
      IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert(imsms_test_all_zero(&out, sizeof(out)));
  tp.prf_func = 7;
  memset(&out, 0x55, sizeof(out));
  ck_assert_int_eq(
      imsms_msrp_psk_derive(ctx, &tp, tgk_shared, 32, 1, 1, NULL, 0, &out),
      IMSMS_ERR_MIKEY_PRF);
  ck_assert(imsms_test_all_zero(&out, sizeof(out)));
  tp.prf_func = IMSMS_MIKEY_PRF_HMAC_SHA256;
  tp.randri = NULL;
  tp.randri_len = 0;
  memset(&out, 0x55, sizeof(out));
  ck_assert_int_eq(
      imsms_msrp_psk_derive(ctx, &tp, tgk_shared, 32, 1, 1, NULL, 0, &out),
      IMSMS_ERR_INVALID_ARGUMENT);
  ck_assert(imsms_test_all_zero(&out, sizeof(out)));
  imsms_ctx_del(ctx);
}
END_TEST

static Suite *msrp_tls_suite(void) {
  Suite *s = suite_create("msrp_tls");
  TCase *tc = tcase_create("msrp_tls");

  tcase_add_test(tc, test_msrp_framing);
  tcase_add_test(tc, test_both_parties_agree);
  tcase_add_loop_test(tc, test_tls12_psk_msrp, 0, 2);
  tcase_add_test(tc, test_tls13_psk_msrp);
  tcase_add_loop_test(tc, test_wrong_psk_fails, 0, 3);
  tcase_add_loop_test(tc, test_foreign_identity_fails, 0, 3);
  tcase_add_loop_test(tc, test_longest_identity_tls, 0, 2);
  tcase_add_test(tc, test_identity_format);
  tcase_add_test(tc, test_derive_errors);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  Suite *s = msrp_tls_suite();

  return imsms_test_run(s, "msrp_tls");
}
