/* SPDX-License-Identifier: MIT */
/* Leak scoring of one sampled series (a process's anonymous memory, its
 * open FDs, ...): is it growing in a way that garbage collection, caches
 * and warm-up do not explain?
 *
 * With at least LEAK_MIN_SAMPLES samples the robust scorer runs: lower
 * envelope of the series (troughs after GC-like drops, or block minima),
 * Theil-Sen slope and Mann-Kendall test on that envelope, persistence of
 * the slope in the second half, and an effect-size floor. With fewer it
 * falls back to the original tool's rules (growth %, fraction of rising
 * steps, R²) and says so in the diagnosis. Either way the result maps to
 * the original README's bands: high 85-95, medium 60-70, low 35-40,
 * none 10. Method, formulas and mapping: docs/leak-scoring.md.
 *
 * Pure: no I/O, no logging. Scratch memory from xmalloc. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "analyze/trend.h"

/* Fewer samples than this use the simple (original) rules. */
#define LEAK_MIN_SAMPLES 12
/* Most envelope points the robust test works on. */
#define LEAK_ENVELOPE_MAX 24

/* Effect-size floors: growth over the window smaller than
 * max(abs, rel * median) is never a leak. */
#define LEAK_BYTES_ABS_FLOOR (1024.0 * 1024.0)
#define LEAK_BYTES_REL_FLOOR 0.01
#define LEAK_COUNT_ABS_FLOOR 3.0
#define LEAK_COUNT_REL_FLOOR 0.0

typedef enum LeakKind {
        LEAK_KIND_NONE,
        LEAK_KIND_PLATEAU,      /* grew, then stopped: warm-up, cache fill */
        LEAK_KIND_POSSIBLE,     /* growth with weak evidence, or too few GC cycles */
        LEAK_KIND_LEAK,
} LeakKind;

typedef enum LeakConfidence {
        LEAK_CONF_NONE,         /* score 10 */
        LEAK_CONF_LOW,          /* score 35-40 */
        LEAK_CONF_MEDIUM,       /* score 60-70 */
        LEAK_CONF_HIGH,         /* score 85-95 */
} LeakConfidence;

typedef enum SeriesUnit {
        SERIES_BYTES,           /* memory: floors 1 MiB / 1 %, rates in B..GiB per min */
        SERIES_COUNT,           /* FDs, threads, sockets: floors 3 / 0, rates per min */
} SeriesUnit;

typedef struct LeakVerdict {
        LeakKind kind;
        LeakConfidence confidence;
        int score;              /* 10, 35-40, 60-70 or 85-95 */
        /* Robust P*Q*R in 0..1 (capped at 0.3 for "few cycles"); short
         * series: score / 100, 0 for none. Finer than score for ranking. */
        double strength;
        /* "smooth", "sawtooth", "few cycles"; "short" below LEAK_MIN_SAMPLES */
        const char *shape;
        size_t samples;         /* finite samples used */
        size_t drops;           /* GC-like drops seen (merged) */
        size_t envelope_points; /* points the trend test ran on */
        /* Theil-Sen slope of the envelope (short series: of the series),
         * and the same over the second half of the window (short: 0). */
        double envelope_slope_per_sec;
        double late_slope_per_sec;
        double growth;          /* envelope slope * duration (short: end - start) */
        double effect_floor;    /* growth below this is no leak: max(F, 3 sigma_env) */
        double p_value;         /* one-sided Mann-Kendall p on the envelope (short: raw) */
        double evidence;        /* P = clamp((-log10 p - 1) / 1.5, 0, 1); 0 when short */
        double persistence;     /* Q = clamp((late + 1 SE) / overall slope, 0, 1); 0 when short */
        double effect;          /* R = clamp(growth / effect_floor, 0, 1); 0 when short */
        char diagnosis[256];    /* one human sentence: printable ASCII, plus `what` as given */
} LeakVerdict;

/* Scores t_sec[]/y[] (n samples in time order; uneven spacing is fine;
 * non-finite pairs are skipped). what names the series in the diagnosis
 * ("anonymous memory", "open FDs"); NULL means "memory" or "the count".
 * Never produces NAN. n of 0 or 1 gives kind NONE, score 10. */
void leak_score_series(const double *t_sec, const double *y, size_t n, SeriesUnit unit,
                       const char *what, LeakVerdict *ret);

/* "high", "medium", "low", "none". */
const char *leak_confidence_to_string(LeakConfidence c);
/* "leak", "possible", "plateau", "none". */
const char *leak_kind_to_string(LeakKind k);

/* Resource warning for a count series (threads, FDs, sockets): when v is
 * LEAK or POSSIBLE, writes one sentence naming what ("open FDs growing:
 * +30.0/min (leak, p<0.001)") and returns true; otherwise writes "" and
 * returns false. */
bool leak_resource_warning(const char *what, const LeakVerdict *v, char *buf, size_t size);

/* "+1.2 MiB/min", "-512 B/min", "+30.0/min": a per-second rate written per
 * minute in the unit's style. */
void leak_format_rate(double per_sec, SeriesUnit unit, char *buf, size_t size);
