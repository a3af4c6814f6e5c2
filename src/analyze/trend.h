/* SPDX-License-Identifier: MIT */
/* Trend statistics over one sampled series: the original tool's figures
 * (start, end, growth, growth %, fraction of increasing steps, OLS slope
 * and R²) plus robust ones (Theil-Sen slope, Mann-Kendall trend test).
 *
 * Pure: no I/O, no logging. Series are parallel arrays t_sec[] (seconds,
 * any origin, in sampling order, spacing may be uneven) and y[] of n
 * finite values. Scratch memory comes from xmalloc (aborts on OOM).
 * The method and its limits are described in docs/leak-scoring.md. */
#pragma once
#include <stddef.h>

/* Theil-Sen on more points than this runs on block medians (see
 * trend_theil_sen). 256 points = 32640 pairs, ~0.3 ms. */
#define TREND_THEIL_SEN_MAX 256

/* Median of v[0..n-1] (mean of the two middle values when n is even).
 * Does not modify v. NAN when n == 0. O(n) average (quickselect on a
 * copy, falling back to a sort on bad pivots). */
double trend_median(const double *v, size_t n);

/* The same, reordering v in place: no allocation. */
double trend_median_inplace(double *v, size_t n);

/* Median absolute deviation about the median, unscaled: multiply by
 * 1.4826 for a standard-deviation estimate under normal noise. NAN when
 * n == 0. Does not modify v. */
double trend_mad(const double *v, size_t n);

/* Ordinary least squares of y on t: slope (per second) and R². A series
 * with no spread in t or in y has slope 0 and R² 0 (never NAN). */
void trend_ols(const double *t_sec, const double *y, size_t n,
               double *ret_slope, double *ret_r_squared);

/* Theil-Sen slope (per second): the median of the pairwise slopes
 * (y[j]-y[i])/(t[j]-t[i]) over pairs with t[i] != t[j], using the real
 * time stamps. Exact, O(n²), for n <= TREND_THEIL_SEN_MAX; above that it
 * runs on TREND_THEIL_SEN_MAX block medians (median t, median y of
 * consecutive equal blocks), which keeps it O(n log n). 0 when no pair
 * has distinct times. */
double trend_theil_sen(const double *t_sec, const double *y, size_t n);

/* Mann-Kendall test for a monotonic trend in y, in sample order. */
typedef struct MannKendall {
        double s;        /* S = #(y[j] > y[i]) - #(y[j] < y[i]) over i < j */
        double var_s;    /* Var(S) under H0, corrected for ties in y */
        double z;        /* (S - sign(S)) / sqrt(Var S): continuity-corrected; 0 if Var S == 0 */
        double p_up;     /* one-sided p for an upward trend, 1 - Phi(z); 1 if Var S == 0 */
} MannKendall;

/* O(n log n) (merge-sort inversion count). The p value is the normal
 * approximation, which is fair from ~8 points on and assumes independent
 * samples: raw memory samples are autocorrelated, so on a raw series it
 * overstates significance. The leak scorer runs it on a reduced series. */
void trend_mann_kendall(const double *y, size_t n, MannKendall *ret);

/* One-sided upper tail of the standard normal: P(Z > z). */
double trend_normal_sf(double z);

/* The per-metric figures of a `leak` report: the original tool's fields
 * plus the robust slope and trend p value, all over the raw series. */
typedef struct MetricTrend {
        size_t n;
        double start, end;          /* y[0], y[n-1]; 0 when n == 0 */
        double growth;              /* end - start */
        double growth_percent;      /* growth / start * 100; NAN if start == 0 */
        double increasing_ratio;    /* fraction of the n-1 steps with y[i+1] > y[i]; 0 if n < 2 */
        double slope_per_sec;       /* OLS slope */
        double r_squared;           /* OLS R² */
        double theil_sen_per_sec;   /* trend_theil_sen */
        double mk_p;                /* trend_mann_kendall p_up (raw series: optimistic) */
} MetricTrend;

void metric_trend(const double *t_sec, const double *y, size_t n, MetricTrend *ret);
