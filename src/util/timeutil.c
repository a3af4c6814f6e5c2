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
        /* Formatted by hand: strftime() calls tzset(), which opens
         * /etc/localtime, for a UTC string that needs no time zone. */
        unsigned year = (unsigned)(tm.tm_year + 1900) % 10000;
        snprintf(out, 40, "%04u-%02u-%02uT%02u:%02u:%02u.%06u+00:00", year,
                 (unsigned)(tm.tm_mon + 1) % 100, (unsigned)tm.tm_mday % 100,
                 (unsigned)tm.tm_hour % 100, (unsigned)tm.tm_min % 100, (unsigned)tm.tm_sec % 100,
                 (unsigned)(realtime % USEC_PER_SEC));
}
