/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * provider_demo: the first program to run. It creates a library context
 * (which self-tests the crypto provider), draws a fresh master key from
 * the CSPRNG, derives two keys from it with HMAC-SHA-256 under distinct
 * labels, and carries one through base64 the way SDP a=crypto does,
 * checking that the strict decoder gives back the same bytes and refuses
 * a corrupted line.
 *
 * Build against an installed library:
 *   cc provider_demo.c $(pkg-config --cflags --libs libimsmediasec)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <imsmediasec/imsmediasec.h>

static void on_log(imsms_log_level level, const char *msg, void *user_data) {
  (void)user_data;
  fprintf(stderr, "[imsms log %d] %s\n", (int)level, msg);
}

static void print_hex(const char *name, const uint8_t *p, size_t len) {
  size_t i;

  printf("  %-22s ", name);
  for (i = 0; i < len; i++) {
    printf("%02x", p[i]);
  }
  printf("\n");
}

static int fail(const char *what, int rv) {
  fprintf(stderr, "provider_demo: %s: %s (%d)\n", what, imsms_strerror(rv),
          rv);
  return EXIT_FAILURE;
}

/* HMAC-SHA-256(master, label), the shape of a labelled key derivation. */
static int derive(imsms_ctx *ctx, const uint8_t *master, size_t masterlen,
                  const char *label, uint8_t *out, size_t outlen) {
  return imsms_hmac(ctx, IMSMS_HASH_SHA256, master, masterlen,
                    (const uint8_t *)label, strlen(label), out, outlen);
}

int main(void) {
  const imsms_info *info = imsms_version(IMSMS_VERSION_NUM);
  uint8_t master[32], key[16], salt[14], keysalt[30], back[30];
  char b64[64];
  imsms_ctx *ctx = NULL;
  imsms_ssize n;
  int rv;

  if (info == NULL) {
    fprintf(stderr, "provider_demo: library older than its headers\n");
    return EXIT_FAILURE;
  }
  printf("libimsmediasec %s (%s)\n", info->version_str, info->proto_str);

  printf("1. Create a context; the crypto provider runs its self-test.\n");
  rv = imsms_ctx_new(&ctx, NULL, NULL, on_log, NULL);
  if (rv != 0) {
    return fail("imsms_ctx_new", rv);
  }
  printf("  provider               %s (self-test passed)\n",
         imsms_ctx_get_provider(ctx)->name);

  printf("2. Draw a 256-bit master key from the CSPRNG.\n");
  rv = imsms_random(ctx, master, sizeof(master));
  if (rv != 0) {
    imsms_ctx_del(ctx);
    return fail("imsms_random", rv);
  }
  print_hex("master key", master, sizeof(master));

  printf("3. Derive an SRTP-sized key and salt with HMAC-SHA-256.\n");
  rv = derive(ctx, master, sizeof(master), "demo key", key, sizeof(key));
  if (rv == 0) {
    rv = derive(ctx, master, sizeof(master), "demo salt", salt, sizeof(salt));
  }
  if (rv != 0) {
    imsms_ctx_del(ctx);
    return fail("imsms_hmac", rv);
  }
  print_hex("key (16 bytes)", key, sizeof(key));
  print_hex("salt (14 bytes)", salt, sizeof(salt));

  printf("4. Carry key||salt in base64, as SDP a=crypto inline: does.\n");
  memcpy(keysalt, key, sizeof(key));
  memcpy(keysalt + sizeof(key), salt, sizeof(salt));
  n = imsms_base64_encode(b64, sizeof(b64) - 1, keysalt, sizeof(keysalt));
  if (n < 0) {
    imsms_ctx_del(ctx);
    return fail("imsms_base64_encode", (int)n);
  }
  b64[n] = '\0';
  printf("  inline:%s\n", b64);
  n = imsms_base64_decode(back, sizeof(back), b64, strlen(b64));
  if (n != (imsms_ssize)sizeof(keysalt) || !imsms_ct_memeq(back, keysalt, sizeof(back))) {
    imsms_ctx_del(ctx);
    return fail("base64 round trip", n < 0 ? (int)n : IMSMS_ERR_CRYPTO);
  }
  printf("  decoded back: %zd bytes, equal (constant-time compare)\n", n);
  n = imsms_base64_decode(back, sizeof(back), "WVNfCmV5|2^31", 13);
  printf("  \"WVNfCmV5|2^31\" refused: %s\n", imsms_strerror((int)n));

  printf("5. Wipe every key and delete the context.\n");
  imsms_secure_clear(master, sizeof(master));
  imsms_secure_clear(key, sizeof(key));
  imsms_secure_clear(salt, sizeof(salt));
  imsms_secure_clear(keysalt, sizeof(keysalt));
  imsms_secure_clear(back, sizeof(back));
  imsms_ctx_del(ctx);
  if (n != IMSMS_ERR_BASE64) {
    return fail("corrupted base64 was accepted", IMSMS_ERR_BASE64);
  }
  printf("Done.\n");
  return EXIT_SUCCESS;
}
