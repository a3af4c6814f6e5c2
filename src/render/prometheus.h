/* SPDX-License-Identifier: MIT */
/* Snapshot -> Prometheus text exposition format 0.0.4, the body a
 * /metrics endpoint serves with "Content-Type: text/plain; version=0.0.4;
 * charset=utf-8" and what `promtool check metrics` accepts without a
 * complaint.
 *
 * Names and labels come from one catalogue, render/metrics.def (documented
 * in docs/metrics.md): every family has one HELP and one TYPE line and its
 * samples follow contiguously; a family without samples is left out. No
 * label set repeats within a family (the first one wins); label values are
 * made valid UTF-8 (U+FFFD for bad bytes) and escaped (\\, \", \n). Values
 * the snapshot does not have (U64_ABSENT, NAN) produce no sample. There is
 * no host label: `instance` is the scraper's job. Per-process series are not
 * exported (they would put process names and churning pids on /metrics). */
#pragma once
#include <stddef.h>

#include "model/snapshot.h"

typedef enum PromType {
        PROM_GAUGE,
        PROM_COUNTER,
} PromType;

typedef struct PromMetric {
        const char *name;   /* full name, e.g. "thirtysecs_cpu_seconds_total" */
        PromType type;
        const char *unit;   /* "bytes", "seconds", "ratio", "hertz" or "" */
        const char *labels; /* label names, comma-separated, "" for none */
        const char *help;
} PromMetric;

/* The catalogue, in exposition order (render/metrics.def). */
extern const PromMetric prom_metric_catalogue[];
extern const size_t prom_metric_catalogue_len;

/* "gauge" or "counter", as the TYPE line spells it. */
const char *prom_type_to_string(PromType t);

/* Returns a malloc'd NUL-terminated exposition. Unlike the JSON and table
 * renderers, the text ALREADY ENDS WITH '\n' (the format requires a final
 * line feed): write it as it is, do not append another. It is never empty
 * (thirtysecs_build_info is always there) and never NULL (allocation
 * failure aborts, see util/xalloc.h). */
char *render_prometheus_snapshot(const Snapshot *snap);
