/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "core/mem.h"

#include <stdlib.h>

static void *default_malloc(size_t size, void *user_data) {
  (void)user_data;
  return malloc(size);
}

static void default_free(void *ptr, void *user_data) {
  (void)user_data;
  free(ptr);
}

static void *default_calloc(size_t nmemb, size_t size, void *user_data) {
  (void)user_data;
  return calloc(nmemb, size);
}

static void *default_realloc(void *ptr, size_t size, void *user_data) {
  (void)user_data;
  return realloc(ptr, size);
}

static const imsms_mem mem_default = {NULL, default_malloc, default_free,
                                      default_calloc, default_realloc};

const imsms_mem *imsms_mem_default(void) { return &mem_default; }

int imsms_mem_is_complete(const imsms_mem *mem) {
  return mem->malloc && mem->free && mem->calloc && mem->realloc;
}

void *imsms_mem_malloc(const imsms_mem *mem, size_t size) {
  return mem->malloc(size, mem->user_data);
}

void *imsms_mem_calloc(const imsms_mem *mem, size_t nmemb, size_t size) {
  return mem->calloc(nmemb, size, mem->user_data);
}

void imsms_mem_free(const imsms_mem *mem, void *ptr) {
  mem->free(ptr, mem->user_data);
}

void imsms_mem_free_clear(const imsms_mem *mem, void *ptr, size_t len) {
  if (ptr == NULL) {
    return;
  }
  imsms_secure_clear(ptr, len);
  mem->free(ptr, mem->user_data);
}
