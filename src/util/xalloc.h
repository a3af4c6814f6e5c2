/* SPDX-License-Identifier: MIT */
/* Allocation wrappers that never return NULL: running out of memory while
 * diagnosing a machine is reported once and ends the process. */
#pragma once
#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
