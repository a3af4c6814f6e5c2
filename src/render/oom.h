/* SPDX-License-Identifier: MIT */
/* OOM kill events -> JSON (the original's fields plus the kernel's whole
 * story of each kill) and a table, newest last. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/oom.h"
#include "render/table.h"

typedef struct OomSummary {
        const OomEvent *events;   /* sorted oldest first */
        const char *const *sources; /* e.g. "kmsg", "journal", "file:dmesg.txt" */
        size_t n_sources;
        const char *const *source_errors; /* one sentence each */
        size_t n_source_errors;
        uint64_t vmstat_oom_kill;   /* /proc/vmstat oom_kill, U64_ABSENT if unknown */
        uint64_t cgroup_oom_kill;   /* this cgroup's memory.events oom_kill / oom_control */
        uint64_t cgroup_oom;        /* memory.events oom (limit hit) */
        size_t n;
} OomSummary;

/* Wall-clock time of an event in epoch microseconds, U64_ABSENT if unknown. */
typedef uint64_t (*oom_time_fn)(const OomEvent *ev, void *userdata);

char *render_oom_json(const OomSummary *s, oom_time_fn time_of, void *ud, bool pretty);
char *render_oom_table(const OomSummary *s, oom_time_fn time_of, void *ud, const TableStyle *style);
/* One event as a one-line JSON object (oom --follow). */
char *render_oom_event_json(const OomEvent *ev, uint64_t realtime_usec);
/* One event as a table row (oom --follow -f table). */
char *render_oom_event_row(const OomEvent *ev, uint64_t realtime_usec);
