/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Policies and the names of modes and reasons.
 */
#include "sdp/nego_int.h"

static const char *const mode_names[] = {"none", "e2ae", "e2e-sdes",
                                         "e2e-kms"};

static const char *const reason_names[] = {
    "best",           "answered",    "unmanaged",    "port-zero",
    "policy",         "no-common-mode", "e2e-required", "downgrade",
    "no-suite",       "bad-answer"};

/* see imsmediasec/sdp_nego.h */
const char *imsms_sdp_mode_str(int mode) {
  return mode >= 0 && (size_t)mode < sizeof(mode_names) / sizeof(*mode_names)
             ? mode_names[mode]
             : NULL;
}

/* see imsmediasec/sdp_nego.h */
const char *imsms_sdp_reason_str(int reason) {
  return reason >= 0 &&
                 (size_t)reason < sizeof(reason_names) / sizeof(*reason_names)
             ? reason_names[reason]
             : NULL;
}

static int named_policy(const char *s, size_t len) {
  static const struct {
    const char *name;
    unsigned set;
  } presets[] = {{"require-e2e", IMSMS_SDP_POLICY_REQUIRE_E2E},
                 {"prefer-e2e", IMSMS_SDP_POLICY_PREFER_E2E},
                 {"e2ae-only", IMSMS_SDP_POLICY_E2AE_ONLY},
                 {"allow-none", IMSMS_SDP_POLICY_ALLOW_NONE}};
  size_t i;

  for (i = 0; i < sizeof(presets) / sizeof(*presets); i++) {
    if (strlen(presets[i].name) == len &&
        memcmp(presets[i].name, s, len) == 0) {
      return (int)presets[i].set;
    }
  }
  return 0;
}

static int mode_named(const char *s, size_t len) {
  size_t i;

  for (i = 0; i < sizeof(mode_names) / sizeof(*mode_names); i++) {
    if (strlen(mode_names[i]) == len && memcmp(mode_names[i], s, len) == 0) {
      return (int)i;
    }
  }
  return -1;
}

/* see imsmediasec/sdp_nego.h */
int imsms_sdp_policy_parse(const char *s, size_t len) {
  unsigned set = 0;
  size_t i = 0, j;
  int m;

  if (s == NULL || len == 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  if ((m = named_policy(s, len)) != 0) {
    return m;
  }
  while (i <= len) {
    for (j = i; j < len && s[j] != ','; j++) {
    }
    if ((m = mode_named(s + i, j - i)) < 0) {
      return IMSMS_ERR_INVALID_ARGUMENT;
    }
    set |= IMSMS_SDP_MODE_BIT(m);
    i = j + 1;
  }
  return (int)set;
}

/* see sdp/nego_int.h */
int imsms_nego_policy_check(const imsms_sdp_policy *pol) {
  if (pol == NULL || pol->version != IMSMS_SDP_POLICY_V1 ||
      (pol->levels == NULL && pol->nlevels != 0) ||
      (pol->suites == NULL && pol->nsuites != 0) ||
      (pol->flags & ~IMSMS_SDP_F_SESSION_KEY_MGMT) != 0) {
    return IMSMS_ERR_INVALID_ARGUMENT;
  }
  return 0;
}

/* see sdp/nego_int.h */
unsigned imsms_nego_policy_for(const imsms_sdp_policy *pol,
                               const nego_media *m) {
  imsms_sdp_vec t = m->m.media;
  unsigned set;

  if (m->level <= pol->nlevels && pol->levels[m->level - 1] != 0) {
    set = pol->levels[m->level - 1];
  } else if (imsms_sdp_vec_eq(t, "audio")) {
    set = pol->audio;
  } else if (imsms_sdp_vec_eq(t, "video")) {
    set = pol->video;
  } else if (imsms_sdp_vec_eq(t, "message")) {
    set = pol->message;
  } else {
    set = pol->other;
  }
  set &= IMSMS_SDP_POLICY_ALLOW_NONE;
  /* SDES end to end has no MSRP form. */
  if (m->kind == IMSMS_SDP_KIND_MSRP) {
    set &= ~IMSMS_SDP_MODE_BIT(IMSMS_SDP_MODE_E2E_SDES);
  }
  return set;
}

/* see sdp/nego_int.h */
int imsms_nego_suite_ok(const imsms_sdp_policy *pol, int suite) {
  size_t i;

  if (pol->nsuites == 0) {
    return suite != IMSMS_SRTP_NULL_HMAC_SHA1_80 &&
           suite != IMSMS_SRTP_NULL_HMAC_SHA1_32;
  }
  for (i = 0; i < pol->nsuites; i++) {
    if (pol->suites[i] == suite) {
      return 1;
    }
  }
  return 0;
}

/* see sdp/nego_int.h */
void imsms_nego_put_b64(imsms_sdp_w *w, const uint8_t *p, size_t len) {
  char chunk[64];
  size_t n;
  imsms_ssize k;

  /* 48 bytes give 64 characters without padding: chunks join cleanly. */
  while (len != 0) {
    n = len < 48 ? len : 48;
    k = imsms_base64_encode(chunk, sizeof(chunk), p, n);
    if (k > 0) {
      imsms_sdp_w_put(w, chunk, (size_t)k);
    }
    p += n;
    len -= n;
  }
}
