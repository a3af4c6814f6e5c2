/* SPDX-License-Identifier: MIT */
#include "util/human.h"

#include <stdio.h>
#include <string.h>

char *put_decimal(char *p, uint64_t v)
{
        char digits[20];
        size_t n = 0;
        do
                digits[n++] = (char)('0' + v % 10);
        while ((v /= 10) > 0);
        while (n > 0)
                *p++ = digits[--n];
        return p;
}

void human_key(const char *key, char out[HUMAN_KEY_MAX])
{
        static const char suffix[] = "_human";
        size_t len = strnlen(key, HUMAN_KEY_MAX - sizeof suffix);
        memcpy(out, key, len);
        memcpy(out + len, suffix, sizeof suffix);
}

/* In integers, not printf("%.1f"): this runs for every byte field of every
 * record. The tenth is rounded as printf rounds the exact quotient: to
 * nearest, ties to even. */
void human_bytes(uint64_t bytes, char out[HUMAN_BYTES_MAX])
{
        static const char *const units[] = { "B", "KB", "MB", "GB", "TB", "PB", "EB" };
        size_t u = 0;
        uint64_t div = 1;

        while (u + 1 < sizeof units / sizeof units[0] && bytes / div >= 1024) {
                div *= 1024;
                u++;
        }
        char *p = out;
        if (u == 0) {
                p = put_decimal(p, bytes);
        } else {
                /* div <= 2^60, so rem * 10 and 2 * frac cannot overflow. */
                uint64_t whole = bytes / div, rem = bytes % div;
                uint64_t tenths = rem * 10 / div, frac = rem * 10 % div;
                if (2 * frac > div || (2 * frac == div && tenths % 2 == 1)) {
                        if (++tenths == 10) {
                                tenths = 0;
                                whole++;
                        }
                }
                p = put_decimal(p, whole);
                *p++ = '.';
                *p++ = (char)('0' + tenths);
        }
        *p++ = ' ';
        for (const char *unit = units[u]; *unit; unit++)
                *p++ = *unit;
        *p = '\0';
}

void human_duration(uint64_t seconds, char out[HUMAN_DURATION_MAX])
{
        unsigned long long days = seconds / 86400;
        unsigned rest = (unsigned)(seconds % 86400);

        if (days)
                snprintf(out, HUMAN_DURATION_MAX, "%llu day%s, %u:%02u:%02u", days,
                         days == 1 ? "" : "s", rest / 3600, rest / 60 % 60, rest % 60);
        else
                snprintf(out, HUMAN_DURATION_MAX, "%u:%02u:%02u", rest / 3600, rest / 60 % 60,
                         rest % 60);
}
