/* SPDX-License-Identifier: MIT */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "model/common.h"

/* One cpu line of /proc/stat, in USER_HZ ticks. guest and guest_nice are
 * already included in user and nice by the kernel. */
typedef struct CpuTimes {
        uint64_t user, nice, system, idle, iowait, irq, softirq, steal, guest, guest_nice;
} CpuTimes;

typedef struct ProcStat {
        CpuTimes total;
        CpuTimes *per_cpu; /* n_cpu entries, in the order of /proc/stat */
        size_t n_cpu;
        uint64_t btime;    /* boot time, epoch seconds; U64_ABSENT if missing */
        uint64_t ctxt, intr, processes, procs_running, procs_blocked; /* U64_ABSENT if missing */
} ProcStat;

typedef struct CpuInfo {
        unsigned count_logical;
        unsigned count_physical; /* 0 = unknown */
        double freq_current_mhz, freq_min_mhz, freq_max_mhz; /* NAN if unknown */
        double load1, load5, load15;                         /* NAN if unknown */
        double percent;          /* busy share of the sampling window; NAN if unknown */
        double *percent_per_core;
        size_t n_cores;
        bool has_times;
        CpuTimes times; /* cumulative since boot, ticks */
        uint64_t ctx_switches, interrupts; /* cumulative; U64_ABSENT if unknown */
        Psi pressure;
} CpuInfo;

void proc_stat_done(ProcStat *s);
void cpu_info_done(CpuInfo *c);
