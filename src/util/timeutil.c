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

/* Days since 1970-01-01 -> proleptic Gregorian date, in integers: eras of
 * 400 years (146097 days), the year starting in March so that the leap day
 * ends it. gmtime_r() would do, but glibc's calls tzset() on first use,
 * which opens and reads /etc/localtime for a UTC string that needs no
 * time zone. */
static void civil_from_days(int64_t days, int64_t *ret_year, unsigned *ret_month, unsigned *ret_day)
{
        days += 719468; /* 0000-03-01 -> 1970-01-01 */
        int64_t era = (days >= 0 ? days : days - 146096) / 146097;
        unsigned day_of_era = (unsigned)(days - era * 146097);                      /* 0..146096 */
        unsigned year_of_era =
                (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
        unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        unsigned month_from_march = (5 * day_of_year + 2) / 153;                  /* 0..11 */
        *ret_day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
        *ret_month = month_from_march < 10 ? month_from_march + 3 : month_from_march - 9;
        *ret_year = (int64_t)year_of_era + era * 400 + (*ret_month <= 2);
}

void format_iso8601_utc(usec_t realtime, char out[40])
{
        uint64_t sec = realtime / USEC_PER_SEC;
        int64_t year;
        unsigned month, day;
        civil_from_days((int64_t)(sec / 86400), &year, &month, &day);
        unsigned in_day = (unsigned)(sec % 86400);
        snprintf(out, 40, "%04u-%02u-%02uT%02u:%02u:%02u.%06u+00:00", (unsigned)(year % 10000), month,
                 day, in_day / 3600, in_day / 60 % 60, in_day % 60,
                 (unsigned)(realtime % USEC_PER_SEC));
}
