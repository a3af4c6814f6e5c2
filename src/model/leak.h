/* SPDX-License-Identifier: MIT */
/* One sample of a process's resources, as `leak` takes it on each tick. */
#pragma once
#include <stdint.h>

#include "model/common.h"
#include "util/timeutil.h"

typedef struct PidResourceSample {
        usec_t t_usec;       /* CLOCK_MONOTONIC when taken */
        uint64_t rss_bytes;  /* status VmRSS */
        uint64_t anon_bytes; /* status RssAnon: the leak signal (file pages grow with warm-up) */
        uint64_t swap_bytes; /* status VmSwap */
        uint64_t uss_bytes;  /* smaps_rollup Private_Clean + Private_Dirty (U64_ABSENT unless read) */
        uint64_t pss_bytes;  /* smaps_rollup Pss */
        uint64_t threads;    /* status Threads */
        uint64_t open_fds;   /* entries of /proc/PID/fd */
        uint64_t sockets;    /* fds that are sockets */
        uint64_t minflt, majflt; /* cumulative page faults (stat fields 10, 12) */
} PidResourceSample;

/* The samples of one process over a `leak` run. */
typedef struct PidSeries {
        int pid;
        char name[256];
        PidResourceSample *samples; /* n entries, in time order */
        size_t n, cap;
        bool exited;          /* vanished during sampling */
        usec_t exited_usec;   /* monotonic time it was found gone */
} PidSeries;
