/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Internals of the negotiation: a checked body read into its session
 * attributes and capabilities (one pass), then media section by media
 * section (a second pass), and every configuration of a media section
 * (RFC 5939 potential ones first, by number, then the actual one) with
 * the security modes it carries.
 */
#ifndef IMSMS_SDP_NEGO_INT_H
#define IMSMS_SDP_NEGO_INT_H

#include <imsmediasec/sdp_nego.h>

#include "sdp/sdp_int.h"

typedef struct nego_acap {
  uint32_t num;
  size_t level;
  imsms_sdp_vec name;
  imsms_sdp_vec value;
} nego_acap;

typedef struct nego_tcap {
  imsms_sdp_tcap t;
  size_t level;
} nego_tcap;

/* A checked body: session attributes and every capability. */
typedef struct nego_body {
  const char *sdp;
  size_t len;
  size_t nmedia;
  imsms_sdp_key_mgmt skm[IMSMS_SDP_MAX_KEY_MGMT];
  size_t nskm;
  int sfingerprint;
  nego_acap acaps[IMSMS_SDP_MAX_CAPS];
  size_t nacaps;
  nego_tcap tcaps[IMSMS_SDP_MAX_CAPS];
  size_t ntcaps;
  /* Attributes a builder would write, anywhere in the body. */
  int owned;
  /* Second pass: the m-line of the next section, once read. */
  imsms_sdp_iter it;
  imsms_sdp_line next_m;
  int have_next;
} nego_body;

/* One media section. */
typedef struct nego_media {
  size_t level;
  imsms_sdp_mline m;
  int kind; /* imsms_sdp_kind */
  imsms_sdp_key_mgmt km[IMSMS_SDP_MAX_KEY_MGMT];
  size_t nkm;
  imsms_sdp_vec crypto[IMSMS_SDP_MAX_CRYPTO];
  size_t ncrypto;
  int e2ae; /* -1 or imsms_sdp_3ge2ae */
  int fingerprint;
  imsms_sdp_vec pcfg[IMSMS_SDP_NEGO_MAX_PCFG];
  size_t npcfg;
  imsms_sdp_vec acfg;
  int has_acfg;
  int owned; /* attributes a builder would write */
} nego_media;

/* One configuration of a media section. */
#define NEGO_MAX_KM (IMSMS_SDP_CFG_MAX_CAPS + IMSMS_SDP_MAX_KEY_MGMT)
#define NEGO_MAX_CRYPTO (IMSMS_SDP_MAX_CRYPTO + IMSMS_SDP_CFG_MAX_CAPS)
typedef struct nego_cfg {
  uint32_t pcfg; /* 0: the actual configuration */
  uint32_t tcap; /* 0: the m-line's proto */
  int proto;
  uint32_t caps[IMSMS_SDP_CFG_MAX_CAPS];
  size_t ncaps;
  size_t nmandatory; /* caps[0..nmandatory) are mandatory */
  unsigned del; /* IMSMS_SDP_CFG_DEL_* of the a=pcfg */
  /* Key management that applies, in SDP order. */
  imsms_sdp_key_mgmt km[NEGO_MAX_KM];
  size_t nkm;
  int media_km; /* some of |km| come from the media or its caps */
  /* Session-level key management added by capabilities (RFC 5939
   * 3.6.2 adds them at the session level). */
  imsms_sdp_key_mgmt scap_km[IMSMS_SDP_CFG_MAX_CAPS];
  size_t nscap_km;
  imsms_sdp_vec crypto[NEGO_MAX_CRYPTO];
  size_t ncrypto;
  int e2ae;        /* -1 or imsms_sdp_3ge2ae */
  int fingerprint; /* at any level */
  int media_fp;    /* at the media level or from a capability */
  unsigned modes;  /* IMSMS_SDP_MODE_BIT() of what it carries */
  int tampered;    /* security attributes on a plain profile */
} nego_cfg;

/* Checks |sdp| and reads its session attributes and capabilities. */
int imsms_nego_body_init(nego_body *b, const char *sdp, size_t len);

/* The next media section: 0, or IMSMS_ERR_EOF after the last. */
int imsms_nego_media_next(nego_body *b, nego_media *m);

/* Calls |visit| for each configuration of |m| in preference order;
 * stops at the first nonzero return of |visit| and returns it. */
int imsms_nego_cfg_each(const nego_body *b, const nego_media *m,
                        int (*visit)(const nego_cfg *c, void *arg), void *arg);

/* The actual configuration of |m| only. */
int imsms_nego_cfg_actual(const nego_body *b, const nego_media *m,
                          nego_cfg *c);

/* The policy set for |m|, or IMSMS_ERR_INVALID_ARGUMENT for a bad policy. */
unsigned imsms_nego_policy_for(const imsms_sdp_policy *pol,
                               const nego_media *m);
int imsms_nego_policy_check(const imsms_sdp_policy *pol);
int imsms_nego_suite_ok(const imsms_sdp_policy *pol, int suite);

/* The kind of media a profile belongs to. */
int imsms_nego_kind(int proto);
int imsms_nego_is_secure(int proto);

/* |c| carries an a=3ge2ae that asks for or reports e2ae. */
int imsms_nego_e2ae_on(const nego_cfg *c);

/* The first "mikey" key management of |c|, or NULL. */
const imsms_sdp_key_mgmt *imsms_nego_mikey(const nego_cfg *c);

/* Writes the protocol list of |c| into |out| (NUL-terminated). */
int imsms_nego_ids(const nego_cfg *c, char *out, size_t cap);

/* Tag and suite of an a=crypto value (the keys are wiped). */
int imsms_nego_crypto_id(imsms_sdp_vec v, uint32_t *tag, int *suite);

/* 0 when |fp| is an a=fingerprint value, else the parser's error. */
int imsms_nego_fingerprint_check(const char *fp, size_t len);

/* A fresh result for |m|. */
void imsms_nego_result_init(imsms_sdp_result *r, const nego_media *m);

/* Base64 of |len| bytes at |p| straight into |w|. */
void imsms_nego_put_b64(imsms_sdp_w *w, const uint8_t *p, size_t len);

#endif /* IMSMS_SDP_NEGO_INT_H */
