/* SPDX-License-Identifier: MIT */
/* Helpers shared by the unit tests: fixture roots and fixture files under
 * tests/fixtures (FIXTURES_DIR). Failures end the test through cmocka. */
#pragma once
#include <stddef.h>

#include "collect/rootfs.h"

/* Opens tests/fixtures/<scenario>/{proc,sys,root} as the three roots
 * (proc stands in for a missing sys/ or root/). */
void fixture_open_roots(RootFS *fs, const char *scenario);
/* Reads tests/fixtures/<path> whole (NUL-terminated, free() it); the
 * length goes to *ret_len when it is not NULL. */
char *fixture_slurp(const char *path, size_t *ret_len);
