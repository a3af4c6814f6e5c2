/* SPDX-License-Identifier: MIT */
/* Memory accounting of the cgroup this process runs in (the container's
 * cgroup under Kubernetes). Limits that are "max" (v2) or the v1 "no limit"
 * value (PAGE_COUNTER_MAX * page size, e.g. 9223372036854771712) are stored
 * as U64_ABSENT: there is no limit. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "model/common.h"

#define CGROUP_STAT_MAX 48

typedef struct CgroupStatEntry {
        char key[40];
        uint64_t value;
} CgroupStatEntry;

typedef struct CgroupMemory {
        int version;        /* 0 = no memory cgroup found, 1 or 2 */
        bool hybrid;        /* v1 controllers plus a v2 unified tree mounted */
        char path[1024];    /* cgroup path from /proc/self/cgroup, e.g. "/kubepods/..." */
        char mount[96];     /* hierarchy read, relative to sysfs, e.g. "fs/cgroup/memory" */
        char dir[1024];     /* directory read below mount: path, or the ancestor (or
                             * "/") we fell back to when path is not visible there */
        uint64_t usage;      /* v2 memory.current, v1 memory.usage_in_bytes */
        uint64_t limit;      /* v2 memory.max, v1 memory.limit_in_bytes */
        uint64_t high;       /* v2 memory.high */
        uint64_t peak;       /* v2 memory.peak, v1 memory.max_usage_in_bytes */
        uint64_t swap_usage; /* v2 memory.swap.current, v1 memsw.usage - usage */
        uint64_t swap_limit; /* v2 memory.swap.max, v1 memsw.limit - limit */
        double percent;      /* usage / limit * 100; NAN without a limit */
        double swap_percent; /* NAN without a swap limit */
        Psi pressure;        /* v2 memory.pressure */
        /* v2 memory.events; v1: oom_kill and under_oom from memory.oom_control */
        uint64_t ev_low, ev_high, ev_max, ev_oom, ev_oom_kill, ev_oom_group_kill;
        uint64_t v1_failcnt, v1_under_oom, v1_oom_kill_disable;
        CgroupStatEntry stat[CGROUP_STAT_MAX]; /* selected memory.stat keys */
        size_t n_stat;
} CgroupMemory;

void cgroup_memory_init(CgroupMemory *c);
