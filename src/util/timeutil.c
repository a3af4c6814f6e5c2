/* SPDX-License-Identifier: MIT */
#include "util/timeutil.h"

#include <errno.h>
#include <stdio.h>
#include <time.h>

static usec_t clock_usec(clockid_t id)
{
        struct timespec ts;
        clock_gettime(id, &ts);
        return (usec_t)ts.tv_sec * USEC_PER_SEC + (usec_t)ts.tv_nsec / 1000;
}

usec_t now_monotonic_usec(void)
{
        return clock_usec(CLOCK_MONOTONIC);
}

usec_t now_realtime_usec(void)
{
        return clock_usec(CLOCK_REALTIME);
}

void sleep_until_monotonic(usec_t deadline, volatile int *stop)
{
        struct timespec ts = {
                .tv_sec = (time_t)(deadline / USEC_PER_SEC),
                .tv_nsec = (long)(deadline % USEC_PER_SEC) * 1000,
        };
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
                if (stop && *stop)
                        return;
}

void format_iso8601_utc(usec_t realtime, char out[40])
{
        time_t sec = (time_t)(realtime / USEC_PER_SEC);
        struct tm tm;
        gmtime_r(&sec, &tm);
        char base[24];
        strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(out, 40, "%s.%06u+00:00", base, (unsigned)(realtime % USEC_PER_SEC));
}
