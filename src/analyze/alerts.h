/* SPDX-License-Identifier: MIT */
/* Alert rules over one Snapshot, and the memory leak detector that runs
 * across `watch` ticks. Pure: no I/O, no logging, no getenv. The
 * configuration comes from alert_config_defaults() or, for the commands,
 * alert_config_from_env() (analyze/alert-env.h). */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "model/alert.h"
#include "model/memory.h"
#include "model/snapshot.h"

#define LEAK_WINDOW_MIN 3u
#define LEAK_WINDOW_MAX 1024u

typedef struct AlertConfig {
        /* Threshold rules fire when the value is strictly above these
         * (percent). NAN disables a rule. */
        double cpu_percent;             /* cpu.percent; default 90 */
        double memory_percent;          /* memory.virt.percent, warning; default 90 */
        double memory_critical_percent; /* memory.virt.percent, critical; default 95 */
        double swap_percent;            /* memory.swap.percent; default 80 */
        double cgroup_percent;          /* memory.cgroup.percent of the limit; default 90 */
        /* Leak detector. */
        unsigned leak_window;           /* samples, LEAK_WINDOW_MIN..LEAK_WINDOW_MAX; default 10 */
        double leak_growth_percent;     /* first -> last growth to fire; default 5.0 */
        unsigned leak_cooldown_ticks;   /* pushes after firing that cannot fire; default = window */
} AlertConfig;

void alert_config_defaults(AlertConfig *cfg);

/* Clears out, then adds one alert per rule that fires, in this order:
 * cpu, memory or memory_critical (only the critical one when both would
 * fire), swap (only with swap configured), cgroup_memory (only when the
 * cgroup has a memory limit). Unknown (NAN) values never fire. */
void alerts_evaluate(const AlertConfig *cfg, const Snapshot *snap, AlertList *out);

/* Appends a copy of a to l; false (and l unchanged) when l is full. */
bool alert_list_add(AlertList *l, const Alert *a);

/* The used memory that memory.virt.percent measures: total - available,
 * in bytes. U64_ABSENT when /proc/meminfo was not read. This is what to
 * feed the system leak detector; for the container, feed
 * memory.cgroup.usage instead. */
uint64_t alerts_memory_used_bytes(const MemoryInfo *m);

/* Sliding-window leak detector over one series of byte counts. Generic:
 * the caller chooses the series (system used memory, cgroup usage, ...)
 * and names it at init time. Plain data, no allocation; ~8 KiB. */
typedef struct LeakDetector {
        char rule[32];      /* Alert.rule when it fires, e.g. "memory_leak" */
        char subject[48];   /* start of the message, e.g. "System memory" */
        uint64_t samples[LEAK_WINDOW_MAX]; /* ring buffer */
        unsigned window;    /* window in use (clamped cfg->leak_window) */
        unsigned start;     /* index of the oldest sample */
        unsigned n;         /* samples held, <= window */
        unsigned cooldown_left;
        /* Figures behind the last firing, for structured log fields. */
        double growth_percent;  /* (last - first) / first * 100 */
        double slope_percent;   /* OLS slope, % of the first sample per sample */
        double slope_bytes;     /* OLS slope, bytes per sample */
        unsigned increases;     /* steps that went up, out of window - 1 */
} LeakDetector;

/* rule and subject may be NULL: "memory_leak" and "Memory". */
void leak_detector_init(LeakDetector *d, const char *rule, const char *subject);

/* Adds one sample (call once per tick). Fires, filling *ret and returning
 * true, when all of these hold:
 *   - the window holds cfg->leak_window samples;
 *   - growth from the oldest to the newest sample >= leak_growth_percent
 *     (and > 0; an oldest sample of 0 never fires);
 *   - at least 60% of the window - 1 steps are increases;
 *   - the least-squares slope is positive;
 *   - it is not cooling down: after firing, the next leak_cooldown_ticks
 *     pushes cannot fire (the window keeps sliding meanwhile, so a leak
 *     that goes on fires again on the first push after the cooldown).
 * A U64_ABSENT sample is ignored (no state change). A change of
 * cfg->leak_window between pushes restarts the detector (window emptied,
 * cooldown cleared). */
bool leak_detector_push(LeakDetector *d, const AlertConfig *cfg, uint64_t used_bytes, Alert *ret);
