/* SPDX-License-Identifier: MIT */
#pragma once
#include <stdint.h>

typedef uint64_t usec_t;
#define USEC_PER_SEC 1000000ULL
#define USEC_PER_MSEC 1000ULL

usec_t now_monotonic_usec(void);
usec_t now_realtime_usec(void);
/* Sleeps until the monotonic clock reaches deadline (restarts on EINTR
 * unless *stop becomes non-zero). */
void sleep_until_monotonic(usec_t deadline, volatile int *stop);
/* "2026-11-25T18:30:00.123456+00:00" */
void format_iso8601_utc(usec_t realtime, char out[40]);
