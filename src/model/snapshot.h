/* SPDX-License-Identifier: MIT */
/* A Snapshot is everything one run of the collectors learnt about the
 * machine, plus how each collector fared. Renderers read only this. */
#pragma once
#include <stdbool.h>

#include "model/alert.h"
#include "model/cpu.h"
#include "model/disk.h"
#include "model/memory.h"
#include "model/net.h"
#include "model/process.h"
#include "model/system.h"
#include "util/timeutil.h"

typedef enum CollectorId {
        COLLECTOR_SYSTEM,
        COLLECTOR_CPU,
        COLLECTOR_MEMORY,
        COLLECTOR_CGROUP,
        COLLECTOR_DISK,
        COLLECTOR_NETWORK,
        COLLECTOR_PROCESSES,
        _COLLECTOR_MAX,
} CollectorId;

const char *collector_id_to_string(CollectorId id);

typedef struct CollectorStatus {
        bool enabled;
        int error;           /* 0 or -errno of the first hard failure */
        char message[160];   /* what failed and what to do, when error != 0 */
        usec_t duration_usec;
} CollectorStatus;

typedef struct Snapshot {
        usec_t timestamp_usec; /* CLOCK_REALTIME at the end of collection */
        usec_t sample_window_usec;
        bool include_hostname;
        SystemInfo system;
        CpuInfo cpu;
        MemoryInfo memory;
        DiskInfo disk;
        NetInfo net;
        ProcessInfo processes;
        CollectorStatus status[_COLLECTOR_MAX];
        bool alerts_evaluated; /* --alerts: renderers show the list, even empty */
        AlertList alerts;
} Snapshot;

void snapshot_init(Snapshot *s);
void snapshot_done(Snapshot *s);
