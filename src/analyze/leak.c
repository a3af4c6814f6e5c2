/* SPDX-License-Identifier: MIT */
/* Robust leak scoring of one sampled series (see leak.h and
 * docs/leak-scoring.md). Pure: nothing here reads files or the clock, or
 * logs. The steps follow the numbered list in docs/leak-scoring.md. */
#include "analyze/leak.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* Turns a median absolute deviation into a standard deviation under
 * normal noise. */
#define SIGMA_PER_MAD 1.4826

/* Envelope points the trend test runs on, in time order. */
typedef struct Envelope {
        size_t k;
        double t[LEAK_ENVELOPE_MAX];
        double y[LEAK_ENVELOPE_MAX];
} Envelope;

/* A one-step fall bigger than this many noise sigmas, this fraction of
 * the range, and the effect floor is a GC-like drop. */
#define DROP_SIGMAS 5.0
#define DROP_RANGE_FRACTION 0.15
/* Drops needed for the "sawtooth" shape; 1 or 2 are "few cycles". */
#define SAWTOOTH_MIN_DROPS 3

const char *leak_confidence_to_string(LeakConfidence c)
{
        switch (c) {
        case LEAK_CONF_HIGH:
                return "high";
        case LEAK_CONF_MEDIUM:
                return "medium";
        case LEAK_CONF_LOW:
                return "low";
        case LEAK_CONF_NONE:
                break;
        }
        return "none";
}

const char *leak_kind_to_string(LeakKind k)
{
        switch (k) {
        case LEAK_KIND_LEAK:
                return "leak";
        case LEAK_KIND_POSSIBLE:
                return "possible";
        case LEAK_KIND_PLATEAU:
                return "plateau";
        case LEAK_KIND_NONE:
                break;
        }
        return "none";
}

/* NAN and negatives give 0, +inf gives 1. */
static double clamp01(double x)
{
        if (!(x > 0))
                return 0;
        return x < 1 ? x : 1;
}

/* "+1.2 MiB", "-512 B", "+3.0"; suffix appended. Non-finite prints as 0. */
static void format_amount(double v, SeriesUnit unit, const char *suffix, char *buf, size_t size)
{
        static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
        if (!isfinite(v))
                v = 0;
        char sign = v < 0 ? '-' : '+';
        double a = fabs(v);

        if (unit == SERIES_COUNT) {
                snprintf(buf, size, "%c%.1f%s", sign, a, suffix);
                return;
        }
        size_t u = 0;
        while (a >= 1024 && u + 1 < sizeof units / sizeof units[0]) {
                a /= 1024;
                u++;
        }
        if (u == 0)
                snprintf(buf, size, "%c%.0f B%s", sign, a, suffix);
        else
                snprintf(buf, size, "%c%.1f %s%s", sign, a, units[u], suffix);
}

void leak_format_rate(double per_sec, SeriesUnit unit, char *buf, size_t size)
{
        double per_min = isfinite(per_sec) ? per_sec * 60 : 0;
        /* A count creeping up by less than 0.05 a minute reads better per
         * hour than as "+0.0/min". */
        if (unit == SERIES_COUNT && per_min != 0 && fabs(per_min) < 0.05)
                format_amount(per_min * 60, unit, "/h", buf, size);
        else
                format_amount(per_min, unit, "/min", buf, size);
}

static void format_p(double p, char *buf, size_t size)
{
        if (p < 0.001)
                snprintf(buf, size, "p<0.001");
        else
                snprintf(buf, size, "p=%.3f", p);
}

/* Effect floor F = max(abs, rel * median(y)). */
static double effect_floor(SeriesUnit unit, double median_y)
{
        double abs_floor = unit == SERIES_COUNT ? LEAK_COUNT_ABS_FLOOR : LEAK_BYTES_ABS_FLOOR;
        double rel_floor = unit == SERIES_COUNT ? LEAK_COUNT_REL_FLOOR : LEAK_BYTES_REL_FLOOR;
        double rel = rel_floor * fabs(median_y);
        return isfinite(rel) && rel > abs_floor ? rel : abs_floor;
}

/* Appends the minimum of y[lo..hi) and its time to e. */
static void envelope_add_min(Envelope *e, const double *t, const double *y, size_t lo, size_t hi)
{
        if (lo >= hi || e->k >= LEAK_ENVELOPE_MAX)
                return;
        size_t at = lo;
        for (size_t i = lo + 1; i < hi; i++)
                if (y[i] < y[at])
                        at = i;
        e->t[e->k] = t[at];
        e->y[e->k] = y[at];
        e->k++;
}

/* Minima of k consecutive equal blocks of [lo, hi). */
static void envelope_block_minima(Envelope *e, const double *t, const double *y,
                                  size_t lo, size_t hi, size_t k)
{
        size_t len = hi - lo;
        e->k = 0;
        for (size_t b = 0; b < k; b++)
                envelope_add_min(e, t, y, lo + b * len / k, lo + (b + 1) * len / k);
}

static size_t clamp_size(size_t v, size_t lo, size_t hi)
{
        return v < lo ? lo : v > hi ? hi : v;
}

/* Step 3, drops seen: the minimum of each segment between drops, the
 * samples inside a multi-step drop excluded. seg_lo/seg_hi hold the
 * half-open bounds of nseg segments. More than LEAK_ENVELOPE_MAX
 * segments are grouped (consecutive, equal counts) and each group
 * contributes the lowest of its segments' minima. */
static void envelope_segment_minima(Envelope *e, const double *t, const double *y,
                                    const size_t *seg_lo, const size_t *seg_hi, size_t nseg)
{
        size_t groups = nseg < LEAK_ENVELOPE_MAX ? nseg : LEAK_ENVELOPE_MAX;
        e->k = 0;
        for (size_t g = 0; g < groups; g++) {
                size_t a = g * nseg / groups, b = (g + 1) * nseg / groups;
                Envelope one = { 0 };
                for (size_t s = a; s < b; s++) {
                        Envelope m = { 0 };
                        envelope_add_min(&m, t, y, seg_lo[s], seg_hi[s]);
                        if (m.k && (one.k == 0 || m.y[0] < one.y[0]))
                                one = m;
                }
                if (one.k) {
                        e->t[e->k] = one.t[0];
                        e->y[e->k] = one.y[0];
                        e->k++;
                }
        }
}

/* Standard error of a slope fitted to e: the robust scatter of the
 * residuals about the line (1.4826 MAD) over sqrt(sum (t - mean t)^2).
 * 0 with fewer than 3 points. */
static double slope_standard_error(const Envelope *e, double slope)
{
        if (e->k < 3)
                return 0;
        double r[LEAK_ENVELOPE_MAX], mt = 0, stt = 0;
        for (size_t i = 0; i < e->k; i++) {
                r[i] = e->y[i] - slope * e->t[i];
                mt += e->t[i];
        }
        mt /= (double)e->k;
        for (size_t i = 0; i < e->k; i++)
                stt += (e->t[i] - mt) * (e->t[i] - mt);
        if (!(stt > 0))
                return 0;
        return SIGMA_PER_MAD * trend_mad(r, e->k) / sqrt(stt);
}

/* Sets confidence and the 10..95 score from kind and strength (the
 * mapping table in docs/leak-scoring.md). */
static void set_band(LeakVerdict *v)
{
        double s = v->strength;
        switch (v->kind) {
        case LEAK_KIND_LEAK:
                if (s >= 0.8) {
                        v->confidence = LEAK_CONF_HIGH;
                        v->score = 85 + (int)lround(10 * clamp01((s - 0.8) / 0.2));
                } else {
                        v->confidence = LEAK_CONF_MEDIUM;
                        v->score = 60 + (int)lround(10 * clamp01((s - 0.6) / 0.2));
                }
                break;
        case LEAK_KIND_POSSIBLE:
                v->confidence = LEAK_CONF_LOW;
                v->score = 35 + (int)lround(5 * clamp01((s - 0.3) / 0.3));
                break;
        case LEAK_KIND_PLATEAU:
        case LEAK_KIND_NONE:
                v->confidence = LEAK_CONF_NONE;
                v->score = 10;
                break;
        }
}

/* n < LEAK_MIN_SAMPLES: the original tool's table, with the effect floor
 * added, and capped at "possible" below 4 samples (2 points are always a
 * perfect line). */
static void score_short(const double *t, const double *y, size_t n, SeriesUnit unit,
                        const char *what, LeakVerdict *v)
{
        char rate[32], gpbuf[24];

        v->shape = "short";
        v->envelope_points = n;
        if (n < 2) {
                snprintf(v->diagnosis, sizeof v->diagnosis,
                         "%zu sample%s: too few to judge a trend", n, n == 1 ? "" : "s");
                set_band(v);
                return;
        }
        MetricTrend mt;
        metric_trend(t, y, n, &mt);
        double floor = effect_floor(unit, trend_median(y, n));
        double gp = mt.start > 0 ? mt.growth_percent : mt.growth > 0 ? INFINITY : 0;

        v->envelope_slope_per_sec = mt.theil_sen_per_sec;
        v->growth = mt.growth;
        v->effect_floor = floor;
        v->p_value = mt.mk_p;

        /* The original table; within a band the score grows with growth %. */
        const char *rule = "none";
        if (mt.growth >= floor) {
                if (gp >= 15 && mt.increasing_ratio >= 0.7 && mt.r_squared >= 0.8) {
                        v->kind = LEAK_KIND_LEAK;
                        v->confidence = LEAK_CONF_HIGH;
                        v->score = 85 + (int)lround(10 * clamp01((gp - 15) / 35));
                        rule = "high";
                } else if (gp >= 7 && mt.increasing_ratio >= 0.6) {
                        v->kind = LEAK_KIND_LEAK;
                        v->confidence = LEAK_CONF_MEDIUM;
                        v->score = 60 + (int)lround(10 * clamp01((gp - 7) / 8));
                        rule = "medium";
                } else if ((gp >= 3 && mt.increasing_ratio >= 0.55) ||
                           (mt.r_squared >= 0.8 && mt.slope_per_sec > 0)) {
                        v->kind = LEAK_KIND_POSSIBLE;
                        v->confidence = LEAK_CONF_LOW;
                        v->score = 35 + (int)lround(5 * clamp01((gp - 3) / 4));
                        rule = "low";
                }
        }
        if (n < 4 && v->kind == LEAK_KIND_LEAK) {
                v->kind = LEAK_KIND_POSSIBLE;
                v->confidence = LEAK_CONF_LOW;
                v->score = 40;
                rule = "low (capped: under 4 samples)";
        }
        if (v->kind == LEAK_KIND_NONE)
                set_band(v);
        v->strength = v->kind == LEAK_KIND_NONE ? 0 : v->score / 100.0;

        leak_format_rate(mt.theil_sen_per_sec, unit, rate, sizeof rate);
        if (isfinite(gp))
                snprintf(gpbuf, sizeof gpbuf, "%+.1f%%", gp);
        else
                snprintf(gpbuf, sizeof gpbuf, "from 0");
        snprintf(v->diagnosis, sizeof v->diagnosis,
                 "only %zu samples (the robust test needs %d), original rules on %s: "
                 "growth %s, %.0f%% of steps up, R^2 %.2f, %s: %s; observe longer (--count)",
                 n, LEAK_MIN_SAMPLES, what, gpbuf, mt.increasing_ratio * 100, mt.r_squared,
                 rate, rule);
}

/* The verdict sentence for the robust path. */
static void diagnose(LeakVerdict *v, const Envelope *e, SeriesUnit unit, const char *what)
{
        char rate[32], late[32], amount[32], pbuf[16];
        size_t dsz = sizeof v->diagnosis;
        bool sawtooth = strcmp(v->shape, "sawtooth") == 0;
        bool few = strcmp(v->shape, "few cycles") == 0;
        double env_rise = e->k ? e->y[e->k - 1] - e->y[0] : 0;

        leak_format_rate(v->envelope_slope_per_sec, unit, rate, sizeof rate);
        leak_format_rate(v->late_slope_per_sec, unit, late, sizeof late);
        format_p(v->p_value, pbuf, sizeof pbuf);

        switch (v->kind) {
        case LEAK_KIND_LEAK:
                if (sawtooth)
                        snprintf(v->diagnosis, dsz,
                                 "sawtooth (GC-like) with a rising floor: %s left after each "
                                 "collection grows %s (Theil-Sen on %zu troughs), trend "
                                 "significant (%s)", what, rate, v->envelope_points, pbuf);
                else if (v->late_slope_per_sec > 1.5 * v->envelope_slope_per_sec)
                        snprintf(v->diagnosis, dsz,
                                 "growth of %s that started or sped up during the window: %s "
                                 "lately, %s overall (Theil-Sen), trend significant (%s)",
                                 what, late, rate, pbuf);
                else
                        snprintf(v->diagnosis, dsz,
                                 "steady growth of %s: %s (Theil-Sen), trend significant (%s)",
                                 what, rate, pbuf);
                break;
        case LEAK_KIND_POSSIBLE:
                if (few) {
                        format_amount(env_rise, unit, "", amount, sizeof amount);
                        snprintf(v->diagnosis, dsz,
                                 "only %zu GC-like drop%s in the window, floor of %s %s higher "
                                 "after it: possible leak, observe longer (--count)",
                                 v->drops, v->drops == 1 ? "" : "s", what, amount);
                } else {
                        snprintf(v->diagnosis, dsz,
                                 "possible slow leak: %s%s grows %s (Theil-Sen), evidence "
                                 "weak (%s): observe longer (--count)",
                                 sawtooth ? "sawtooth floor of " : "", what, rate, pbuf);
                }
                break;
        case LEAK_KIND_PLATEAU:
                format_amount(env_rise, unit, "", amount, sizeof amount);
                snprintf(v->diagnosis, dsz,
                         "warm-up then plateau: %s grew %s, then stopped (%s lately): no leak",
                         what, amount, late);
                break;
        case LEAK_KIND_NONE:
                if (sawtooth) {
                        snprintf(v->diagnosis, dsz,
                                 "sawtooth (GC-like) with a stable floor: no leak in %s", what);
                } else if (few) {
                        snprintf(v->diagnosis, dsz,
                                 "%zu GC-like drop%s, floor of %s not rising: no leak "
                                 "(observe longer for more cycles)",
                                 v->drops, v->drops == 1 ? "" : "s", what);
                } else if (!(v->envelope_slope_per_sec > 0)) {
                        snprintf(v->diagnosis, dsz, "%s flat or shrinking (%s): no leak",
                                 what, rate);
                } else if (v->growth < v->effect_floor) {
                        format_amount(v->effect_floor, unit, "", amount, sizeof amount);
                        snprintf(v->diagnosis, dsz,
                                 "%s drifts %s, within noise over the window (floor %s): no leak",
                                 what, rate, amount + 1);
                } else {
                        snprintf(v->diagnosis, dsz,
                                 "no significant trend in %s (%s, %s): no leak", what, rate, pbuf);
                }
                break;
        }
}

/* Steps 1-8 on a finite series of n >= LEAK_MIN_SAMPLES points. */
static void score_robust(const double *t, const double *y, size_t n, SeriesUnit unit,
                         const char *what, LeakVerdict *v)
{
        double *d = xmalloc((n - 1) * sizeof *d);
        size_t *seg_lo = xmalloc(n * sizeof *seg_lo), *seg_hi = xmalloc(n * sizeof *seg_hi);
        Envelope env = { 0 }, late = { 0 };

        /* 1. Noise scale and effect floor. */
        double lo = y[0], hi = y[0];
        for (size_t i = 0; i + 1 < n; i++) {
                d[i] = y[i + 1] - y[i];
                if (y[i + 1] < lo)
                        lo = y[i + 1];
                if (y[i + 1] > hi)
                        hi = y[i + 1];
        }
        double sd = SIGMA_PER_MAD * trend_mad(d, n - 1);
        double floor = effect_floor(unit, trend_median(y, n));

        /* 2. GC-like drops; consecutive drop steps are one drop. A segment
         * runs from just after one drop to the sample just before the
         * next, so the samples caught mid-drop belong to neither. */
        double thr = fmax(fmax(DROP_SIGMAS * sd, DROP_RANGE_FRACTION * (hi - lo)), floor);
        size_t nseg = 0, drops = 0;
        seg_lo[0] = 0;
        for (size_t i = 0; i + 1 < n; i++) {
                if (!(d[i] < -thr))
                        continue;
                if (i > 0 && d[i - 1] < -thr) {
                        seg_lo[nseg] = i + 1;   /* extend the current drop */
                        continue;
                }
                seg_hi[nseg] = i + 1;
                nseg++;
                seg_lo[nseg] = i + 1;
                drops++;
        }
        seg_hi[nseg] = n;
        nseg++;

        /* 3. Lower envelope. */
        size_t k = clamp_size(n / 10, 6, 12);
        double t_mid = t[0] + (t[n - 1] - t[0]) / 2;
        if (drops >= 1) {
                v->shape = drops >= SAWTOOTH_MIN_DROPS ? "sawtooth" : "few cycles";
                envelope_segment_minima(&env, t, y, seg_lo, seg_hi, nseg);
                /* 5 (late part): the troughs in the second half, at least 3. */
                size_t first = 0;
                while (first < env.k && env.t[first] < t_mid)
                        first++;
                if (env.k - first < 3)
                        first = env.k > 3 ? env.k - 3 : 0;
                late.k = env.k - first;
                memcpy(late.t, env.t + first, late.k * sizeof late.t[0]);
                memcpy(late.y, env.y + first, late.k * sizeof late.y[0]);
        } else {
                v->shape = "smooth";
                envelope_block_minima(&env, t, y, 0, n, k);
                /* 5 (late part): the second half in blocks half as long. */
                size_t mid = 0;
                while (mid < n && t[mid] < t_mid)
                        mid++;
                if (n - mid < 6)
                        mid = n - 6;
                envelope_block_minima(&late, t, y, mid, n, clamp_size((n - mid) / 2, 3, k));
        }
        v->drops = drops;
        v->envelope_points = env.k;

        /* 4. Trend on the envelope. */
        double beta = trend_theil_sen(env.t, env.y, env.k);
        MannKendall mk;
        trend_mann_kendall(env.y, env.k, &mk);
        v->envelope_slope_per_sec = beta;
        v->p_value = mk.p_up;

        /* 5. Persistence, allowing the late slope one standard error. */
        v->late_slope_per_sec = trend_theil_sen(late.t, late.y, late.k);
        double late_se = slope_standard_error(&late, v->late_slope_per_sec);
        v->persistence = beta > 0 ? clamp01((v->late_slope_per_sec + late_se) / beta) : 0;

        /* 6. Effect size against max(F, 3 sigma of the envelope about its line). */
        double resid[LEAK_ENVELOPE_MAX];
        for (size_t i = 0; i < env.k; i++)
                resid[i] = env.y[i] - beta * env.t[i];
        double sigma_env = env.k ? SIGMA_PER_MAD * trend_mad(resid, env.k) : 0;
        v->effect_floor = fmax(floor, 3 * sigma_env);
        v->growth = beta * (t[n - 1] - t[0]);
        v->effect = clamp01(v->growth / v->effect_floor);

        /* 7. Evidence. */
        v->evidence = mk.p_up > 0 ? clamp01((-log10(mk.p_up) - 1) / 1.5) : 1;

        /* 8. Score and verdict. */
        v->strength = v->evidence * v->persistence * v->effect;
        if (v->strength >= 0.6)
                v->kind = LEAK_KIND_LEAK;
        else if (v->persistence < 0.3 &&
                 (v->growth >= v->effect_floor || env.y[env.k - 1] - env.y[0] >= v->effect_floor))
                v->kind = LEAK_KIND_PLATEAU;
        else if (v->strength >= 0.3)
                v->kind = LEAK_KIND_POSSIBLE;
        else
                v->kind = LEAK_KIND_NONE;

        /* Few cycles: 2-3 troughs cannot make a trend. Say "possible" when
         * the last trough is clearly above the first, else "no leak". */
        if (drops >= 1 && drops < SAWTOOTH_MIN_DROPS) {
                double rise = env.y[env.k - 1] - env.y[0];
                v->strength = fmin(v->strength, 0.3);
                if (rise > fmax(floor, 2 * sd)) {
                        v->kind = LEAK_KIND_POSSIBLE;
                        v->strength = 0.3;
                } else {
                        v->kind = LEAK_KIND_NONE;
                }
        }
        set_band(v);
        diagnose(v, &env, unit, what);

        free(d);
        free(seg_lo);
        free(seg_hi);
}

void leak_score_series(const double *t_sec, const double *y, size_t n, SeriesUnit unit,
                       const char *what, LeakVerdict *ret)
{
        *ret = (LeakVerdict) { .p_value = 1.0, .shape = "short" };
        if (!what)
                what = unit == SERIES_COUNT ? "the count" : "memory";

        /* Keep the finite pairs only. */
        double *t = xmalloc((n ? n : 1) * sizeof *t), *yy = xmalloc((n ? n : 1) * sizeof *yy);
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
                if (isfinite(t_sec[i]) && isfinite(y[i])) {
                        t[m] = t_sec[i];
                        yy[m] = y[i];
                        m++;
                }
        ret->samples = m;
        if (m < LEAK_MIN_SAMPLES)
                score_short(t, yy, m, unit, what, ret);
        else
                score_robust(t, yy, m, unit, what, ret);
        free(t);
        free(yy);
}

bool leak_resource_warning(const char *what, const LeakVerdict *v, char *buf, size_t size)
{
        char rate[32], pbuf[16];

        if (size)
                buf[0] = '\0';
        if (v->kind != LEAK_KIND_LEAK && v->kind != LEAK_KIND_POSSIBLE)
                return false;
        leak_format_rate(v->envelope_slope_per_sec, SERIES_COUNT, rate, sizeof rate);
        format_p(v->p_value, pbuf, sizeof pbuf);
        snprintf(buf, size, "%s growing: %s (%s, %s)", what ? what : "resource count", rate,
                 v->kind == LEAK_KIND_LEAK ? "leak" : "possible leak", pbuf);
        return true;
}
