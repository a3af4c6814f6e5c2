/* SPDX-License-Identifier: MIT */
/* The Python bootstrap of `leak --deep-python`
 * (src/deep/tracemalloc_bootstrap.py), embedded at build time by
 * tools/embed.sh into $(O)/gen/deep_bootstrap.c. NUL-terminated. */
#pragma once
#include <stddef.h>

extern const char deep_bootstrap[];
extern const size_t deep_bootstrap_len;
