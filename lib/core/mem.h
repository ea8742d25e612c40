/*
 * libimsmediasec - IMS media plane security
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Allocation through the context's imsms_mem hook. Nothing in lib/ calls
 * the C library allocator except imsms_mem_default().
 */
#ifndef IMSMS_CORE_MEM_H
#define IMSMS_CORE_MEM_H

#include <imsmediasec/imsmediasec.h>

/* The C library allocator as an imsms_mem. */
const imsms_mem *imsms_mem_default(void);

/* Nonzero when every function of |mem| is set. */
int imsms_mem_is_complete(const imsms_mem *mem);

void *imsms_mem_malloc(const imsms_mem *mem, size_t size);
void *imsms_mem_calloc(const imsms_mem *mem, size_t nmemb, size_t size);
void imsms_mem_free(const imsms_mem *mem, void *ptr);

/* Wipes |len| bytes at |ptr|, then frees it. NULL is ignored. */
void imsms_mem_free_clear(const imsms_mem *mem, void *ptr, size_t len);

#endif /* IMSMS_CORE_MEM_H */
