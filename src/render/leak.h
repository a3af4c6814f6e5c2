/* SPDX-License-Identifier: MIT */
/* Leak reports -> JSON (the original's field names) and a table with the
 * memory series drawn as a sparkline. */
#pragma once
#include <stdbool.h>

#include "analyze/leak-report.h"
#include "render/table.h"

typedef struct LeakTopEntry {
        const PidSeries *series;
        LeakReport report;
        int rank; /* 1 = most likely leaking */
} LeakTopEntry;

/* Each returns a malloc'd NUL-terminated text without a trailing newline,
 * or NULL on allocation failure. */
char *render_leak_json(const PidSeries *s, const LeakReport *r, double interval_sec, bool pretty);
char *render_leak_table(const PidSeries *s, const LeakReport *r, double interval_sec, const TableStyle *style);
char *render_leak_top_json(const LeakTopEntry *e, size_t n, double interval_sec, bool pretty);
char *render_leak_top_table(const LeakTopEntry *e, size_t n, double interval_sec, const TableStyle *style);

/* Draws values as a one-line chart of at most width cells into out
 * (UTF-8 block characters, or ASCII when !unicode). NANs are skipped. */
void render_sparkline(const double *v, size_t n, size_t width, bool unicode, char *out, size_t cap);
