/* SPDX-License-Identifier: MIT */
/* Turns the samples of one process into the leak report: per-metric
 * trends (the original's fields), the robust verdict on anonymous memory
 * (analyze/leak.c), and warnings for growing threads, FDs and sockets. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "analyze/leak.h"
#include "analyze/trend.h"
#include "model/leak.h"

typedef enum LeakMetric {
        LEAK_METRIC_RSS,
        LEAK_METRIC_USS,
        LEAK_METRIC_PSS,
        LEAK_METRIC_SWAP,
        LEAK_METRIC_ANON,
        LEAK_METRIC_THREADS,
        LEAK_METRIC_OPEN_FILES,
        LEAK_METRIC_CONNECTIONS,
        _LEAK_METRIC_MAX,
} LeakMetric;

/* JSON key of each metric ("rss", ..., "open_files", "connections"). */
const char *leak_metric_name(LeakMetric m);
bool leak_metric_is_bytes(LeakMetric m);

#define LEAK_WARNINGS_MAX 3

typedef struct LeakReport {
        size_t sample_count;
        double duration_seconds;       /* first to last sample, real elapsed time */
        bool has_metric[_LEAK_METRIC_MAX]; /* false when the metric was unavailable */
        MetricTrend trend[_LEAK_METRIC_MAX];
        LeakVerdict verdict;           /* on anon + swap (the leak signal) */
        double minflt_per_sec, majflt_per_sec; /* NAN if unknown */
        char warnings[LEAK_WARNINGS_MAX][200];
        size_t n_warnings;
} LeakReport;

/* Needs s->n >= 2. Pure. */
void leak_report_build(const PidSeries *s, LeakReport *ret);
/* Value of metric m in a sample, as a double; NAN when unavailable. */
double leak_sample_value(const PidResourceSample *smp, LeakMetric m);
