/* SPDX-License-Identifier: MIT */
#pragma once
#include <stddef.h>

/* Copies src (len bytes, may contain anything) to out as valid UTF-8:
 * each byte that does not start a well-formed sequence (overlongs,
 * surrogates and code points above U+10FFFF included) becomes U+FFFD.
 * NUL bytes become U+FFFD too. out is always NUL-terminated; returns the
 * output length. out_cap must be >= 4. */
size_t utf8_sanitize(const char *src, size_t len, char *out, size_t out_cap);

/* utf8_sanitize, then C0 controls, DEL and C1 controls (U+0080..U+009F,
 * which some terminals obey like ESC) replaced by '?': text from the
 * kernel that cannot move the cursor or repaint a terminal. */
void utf8_terminal_safe(const char *s, char *out, size_t cap);
