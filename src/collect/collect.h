/* SPDX-License-Identifier: MIT */
/* Runs the collectors in the order the sampling window needs:
 *
 *   t0: /proc/stat and one pass over /proc/PID/stat
 *   sleep sample_window_usec (CPU percent is a rate, it needs two reads)
 *   t1: /proc/stat and the second pass, then everything that is a level
 *       (memory, cgroup, disk, network, system)
 *
 * Each collector's outcome lands in snap->status[]; one failing collector
 * never stops the others. */
#pragma once
#include <stdbool.h>

#include "collect/rootfs.h"
#include "model/snapshot.h"

typedef struct CollectOptions {
        bool processes;
        bool network;
        bool disk;
        bool exact_connections; /* every TCP state (costs a kernel hash walk) */
        usec_t sample_window_usec; /* 0: no CPU percent (quick does sample) */
} CollectOptions;

void snapshot_collect(const RootFS *fs, const CollectOptions *opt, Snapshot *snap);
