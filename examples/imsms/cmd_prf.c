/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * imsms prf [--prf mikey-1|hmac-sha256] --inkey HEX --label HEX --len N
 *
 * Runs imsms_mikey_prf() (RFC 3830 4.1.2, RFC 6043 6.1) and prints the N
 * output bytes as bare lowercase hex on one line.
 */
#include <stdlib.h>
#include <string.h>

#include "imsms.h"

#define PRF_USAGE                                                           \
  "usage: imsms prf [--prf mikey-1|hmac-sha256] --inkey HEX --label HEX " \
  "--len N\n"

typedef struct prf_args {
  int func;
  const char *inkey, *label, *len;
} prf_args;

static int usage_error(const char *what, const char *opt) {
  fprintf(stderr, "imsms prf: %s%s\n" PRF_USAGE, what, opt ? opt : "");
  return IMSMS_EXIT_USAGE;
}

static int parse_func(const char *s) {
  if (strcmp(s, "mikey-1") == 0 || strcmp(s, "0") == 0) {
    return IMSMS_MIKEY_PRF_MIKEY_1;
  }
  if (strcmp(s, "hmac-sha256") == 0 || strcmp(s, "1") == 0) {
    return IMSMS_MIKEY_PRF_HMAC_SHA256;
  }
  return -1;
}

/* 1 to 1024 (the library's limit), decimal digits only. */
static int parse_len(const char *s, size_t *len) {
  size_t v = 0;

  if (*s == 0) {
    return -1;
  }
  for (; *s; s++) {
    if (*s < '0' || *s > '9' || v > 1024) {
      return -1;
    }
    v = v * 10 + (size_t)(*s - '0');
  }
  if (v == 0 || v > 1024) {
    return -1;
  }
  *len = v;
  return 0;
}

/* Fills |a| from argv; returns 0, or an exit status (help or usage). */
static int parse_args(int argc, char **argv, prf_args *a) {
  int i;

  memset(a, 0, sizeof(*a));
  a->func = IMSMS_MIKEY_PRF_MIKEY_1;
  for (i = 1; i < argc; i++) {
    const char *o = argv[i];

    if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0) {
      fputs(PRF_USAGE, stdout);
      return -1;
    }
    if (strcmp(o, "--prf") != 0 && strcmp(o, "--inkey") != 0 &&
        strcmp(o, "--label") != 0 && strcmp(o, "--len") != 0) {
      return usage_error("unknown argument ", o);
    }
    if (++i >= argc) {
      return usage_error("missing value of ", o);
    }
    if (strcmp(o, "--prf") == 0) {
      a->func = parse_func(argv[i]);
      if (a->func < 0) {
        return usage_error("unknown PRF ", argv[i]);
      }
    } else if (strcmp(o, "--inkey") == 0) {
      a->inkey = argv[i];
    } else if (strcmp(o, "--label") == 0) {
      a->label = argv[i];
    } else {
      a->len = argv[i];
    }
  }
  if (a->inkey == NULL || a->label == NULL || a->len == NULL) {
    return usage_error("--inkey, --label and --len are required", NULL);
  }
  return 0;
}

static int run(imsms_ctx *ctx, int func, const uint8_t *inkey, size_t inkeylen,
               const uint8_t *label, size_t labellen, size_t outlen) {
  uint8_t *out = malloc(outlen);
  int rv;

  if (out == NULL) {
    fputs("imsms prf: out of memory\n", stderr);
    return IMSMS_EXIT_FAIL;
  }
  rv = imsms_mikey_prf(ctx, func, inkey, inkeylen, label, labellen, out,
                       outlen);
  if (rv == 0) {
    imsms_tool_hex_write(stdout, out, outlen);
    fputc('\n', stdout);
  } else {
    imsms_tool_print_error(stderr, "imsms prf: ", rv);
  }
  imsms_secure_clear(out, outlen);
  free(out);
  return rv == 0 ? IMSMS_EXIT_OK : IMSMS_EXIT_FAIL;
}

/* see imsms.h */
int imsms_cmd_prf(int argc, char **argv) {
  uint8_t *inkey = NULL, *label = NULL;
  size_t inkeylen = 0, labellen = 0, outlen = 0;
  imsms_ctx *ctx = NULL;
  prf_args a;
  int rv = parse_args(argc, argv, &a);

  if (rv != 0) {
    return rv < 0 ? IMSMS_EXIT_OK : rv;
  }
  if (parse_len(a.len, &outlen) != 0) {
    rv = usage_error("--len must be 1 to 1024, not ", a.len);
  } else if (imsms_tool_hex_decode(a.inkey, &inkey, &inkeylen) != 0 ||
             inkeylen == 0) {
    rv = usage_error("--inkey needs a non-empty hex string", NULL);
  } else if (imsms_tool_hex_decode(a.label, &label, &labellen) != 0) {
    rv = usage_error("--label needs a hex string", NULL);
  } else if ((rv = imsms_ctx_new(&ctx, NULL, NULL, NULL, NULL)) != 0) {
    imsms_tool_print_error(stderr, "imsms prf: ", rv);
    rv = IMSMS_EXIT_FAIL;
  } else {
    rv = run(ctx, a.func, inkey, inkeylen, label, labellen, outlen);
    imsms_ctx_del(ctx);
  }
  if (inkey != NULL) {
    imsms_secure_clear(inkey, inkeylen);
  }
  free(inkey);
  free(label);
  return rv;
}
