/* SPDX-License-Identifier: MIT */
/* Human-readable sizes and durations, as the original tool printed them. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define HUMAN_BYTES_MAX 16
#define HUMAN_DURATION_MAX 48

#define HUMAN_KEY_MAX 96

/* Writes v in decimal at p (no NUL) and returns the end: at most 20 bytes. */
char *put_decimal(char *p, uint64_t v);
/* "total" -> "total_human": the key of a size's human-readable twin
 * (a key too long for HUMAN_KEY_MAX is cut before the suffix). */
void human_key(const char *key, char out[HUMAN_KEY_MAX]);
/* 1536 -> "1.5 KB" (powers of 1024, one decimal, "B" below 1 KiB). */
void human_bytes(uint64_t bytes, char out[HUMAN_BYTES_MAX]);
/* 93784 -> "1 day, 2:03:04" (Python's str(timedelta) without fractions). */
void human_duration(uint64_t seconds, char out[HUMAN_DURATION_MAX]);
