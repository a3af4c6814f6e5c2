/* SPDX-License-Identifier: MIT */
/* Runs the collectors. CPU and per-process CPU percentages are rates, so
 * they need two samples; a Sampler keeps the previous one:
 *
 *   sampler_prime()          /proc/stat and one pass over /proc/PID/stat
 *   sampler_collect_levels() everything that is a level (memory, cgroup,
 *                            disk, network, system)
 *   ... time passes (snapshot: the rest of the 100 ms window; watch: the
 *       interval) ...
 *   sampler_collect_rates()  second sample; percentages cover the time
 *                            since the previous sample, which becomes the
 *                            current one, so `watch` needs no extra sleep
 *                            after its first tick.
 *
 * `snapshot` reads the levels right after priming, before it sleeps: work
 * done while the process is still cache-warm from exec costs about half
 * of the same work done after a 100 ms sleep (measured: bench/RESULTS.md).
 * sampler_collect() is levels then rates, for `watch`.
 *
 * Each collector's outcome lands in snap->status[]; one failing collector
 * never stops the others. */
#pragma once
#include <stdbool.h>

#include "collect/process.h"
#include "collect/rootfs.h"
#include "model/cpu.h"
#include "model/snapshot.h"

typedef struct CollectOptions {
        bool processes;
        bool network;
        bool disk;
        bool exact_connections; /* every TCP state (costs a kernel hash walk) */
} CollectOptions;

typedef struct Sampler {
        const RootFS *fs;
        CollectOptions opt;
        ProcStat prev_stat;
        bool have_prev_stat;
        int stat_fd;                /* /proc/stat, kept open between samples */
        ProcScan prev_scan;
        bool have_prev_scan;
        usec_t prev_usec;           /* monotonic time of the previous sample */
        usec_t prime_cpu_usec;      /* time spent priming, reported with the */
        usec_t prime_processes_usec; /* next snapshot's collector durations */
} Sampler;

void sampler_init(Sampler *s, const RootFS *fs, const CollectOptions *opt);
/* Takes the "before" sample. keep_fds: keep each /proc/PID/stat open for
 * the next collect (worth it for a short window only: each open file pins
 * a page of kernel memory). */
void sampler_prime(Sampler *s, bool keep_fds);
void sampler_collect_levels(Sampler *s, Snapshot *snap);
/* Needs snap->memory from sampler_collect_levels() (memory percent). */
void sampler_collect_rates(Sampler *s, Snapshot *snap);
void sampler_collect(Sampler *s, Snapshot *snap);
void sampler_done(Sampler *s);
