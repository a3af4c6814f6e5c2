/* SPDX-License-Identifier: MIT */
/* Human-readable sizes and durations, as the original tool printed them. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define HUMAN_BYTES_MAX 16
#define HUMAN_DURATION_MAX 48

/* 1536 -> "1.5 KB" (powers of 1024, one decimal, "B" below 1 KiB). */
void human_bytes(uint64_t bytes, char out[HUMAN_BYTES_MAX]);
/* 93784 -> "1 day, 2:03:04" (Python's str(timedelta) without fractions). */
void human_duration(uint64_t seconds, char out[HUMAN_DURATION_MAX]);
