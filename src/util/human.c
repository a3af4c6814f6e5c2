/* SPDX-License-Identifier: MIT */
#include "util/human.h"

#include <stdio.h>

void human_bytes(uint64_t bytes, char out[HUMAN_BYTES_MAX])
{
        static const char *const units[] = { "B", "KB", "MB", "GB", "TB", "PB", "EB" };
        double v = (double)bytes;
        size_t u = 0;

        while (v >= 1024.0 && u + 1 < sizeof units / sizeof units[0]) {
                v /= 1024.0;
                u++;
        }
        if (u == 0)
                snprintf(out, HUMAN_BYTES_MAX, "%llu B", (unsigned long long)bytes);
        else
                snprintf(out, HUMAN_BYTES_MAX, "%.1f %s", v, units[u]);
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
