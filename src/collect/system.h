/* SPDX-License-Identifier: MIT */
/* Host identity, uptime and logged-in users.
 * Reads <procfs>/sys/kernel/{hostname,ostype,osrelease,version},
 * <procfs>/uptime and <rootfs>/run/utmp (or var/run/utmp). */
#pragma once
#include <stddef.h>

#include "collect/rootfs.h"
#include "model/system.h"

/* Parses the first number of /proc/uptime ("350735.47 234388.90"). */
int uptime_parse(const char *buf, double *ret_seconds);
/* Parses a utmp file image: keeps USER_PROCESS records. *ret is allocated
 * (free with free()); 0 or -EBADMSG when len is not a whole number of records. */
int utmp_parse(const void *buf, size_t len, LoggedInUser **ret, size_t *ret_n);

/* Leaves boot_time alone: it is /proc/stat btime, read by the cpu
 * collector (sampler_collect_rates). */
int system_collect(const RootFS *fs, SystemInfo *ret);
