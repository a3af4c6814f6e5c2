/* SPDX-License-Identifier: MIT */
/* Trend statistics over one sampled series (see trend.h). Pure: nothing
 * here reads files or the clock, or logs. Formulas and their limits are
 * in docs/leak-scoring.md. */
#include "analyze/trend.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* Scratch arrays up to this many doubles live on the stack. */
#define STACK_DOUBLES 512

static int cmp_double(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;
        return (x > y) - (x < y);
}

static void swap_double(double *a, double *b)
{
        double t = *a;
        *a = *b;
        *b = t;
}

static double median_of_3(double a, double b, double c)
{
        if (a > b)
                swap_double(&a, &b);
        if (b > c)
                b = c;
        return a > b ? a : b;
}

/* Rearranges v[0..n-1] so that v[k] holds the k-th smallest value, with
 * nothing greater before it and nothing smaller after it. Quickselect
 * with a median-of-3 pivot; after 2*log2(n)+8 rounds without converging
 * (adversarial input) it sorts the remaining range instead, so it is
 * never worse than O(n log n). n > 0, k < n, values not NAN. */
static void select_kth(double *v, size_t n, size_t k)
{
        ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;
        unsigned budget = 8;

        for (size_t m = n; m > 1; m >>= 1)
                budget += 2;
        while (hi > lo) {
                if (budget-- == 0) {
                        qsort(v + lo, (size_t)(hi - lo + 1), sizeof *v, cmp_double);
                        return;
                }
                double pivot = median_of_3(v[lo], v[lo + (hi - lo) / 2], v[hi]);
                ptrdiff_t i = lo, j = hi;
                /* Hoare partition: the pivot is one of the values, so both
                 * scans stop inside [lo, hi]. */
                while (i <= j) {
                        while (v[i] < pivot)
                                i++;
                        while (v[j] > pivot)
                                j--;
                        if (i <= j) {
                                swap_double(&v[i], &v[j]);
                                i++;
                                j--;
                        }
                }
                /* Now v[lo..j] <= pivot, v[i..hi] >= pivot, and anything
                 * strictly between j and i equals the pivot. */
                if (kk <= j)
                        hi = j;
                else if (kk >= i)
                        lo = i;
                else
                        return;
        }
}

double trend_median_inplace(double *v, size_t n)
{
        if (n == 0)
                return NAN;
        size_t k = n / 2;
        select_kth(v, n, k);
        if (n % 2)
                return v[k];
        /* The lower middle value is the largest of the k values below. */
        double lower = v[0];
        for (size_t i = 1; i < k; i++)
                if (v[i] > lower)
                        lower = v[i];
        return lower + (v[k] - lower) / 2;
}

double trend_median(const double *v, size_t n)
{
        double stack[STACK_DOUBLES];
        double *w = n <= STACK_DOUBLES ? stack : xmalloc(n * sizeof *w);

        if (n)
                memcpy(w, v, n * sizeof *w);
        double m = trend_median_inplace(w, n);
        if (w != stack)
                free(w);
        return m;
}

double trend_mad(const double *v, size_t n)
{
        double stack[STACK_DOUBLES];
        double *w = n <= STACK_DOUBLES ? stack : xmalloc(n * sizeof *w);

        if (n)
                memcpy(w, v, n * sizeof *w);
        double m = trend_median_inplace(w, n);
        for (size_t i = 0; i < n; i++)
                w[i] = fabs(w[i] - m);
        double mad = trend_median_inplace(w, n);
        if (w != stack)
                free(w);
        return mad;
}

/* A power of two (exact to divide by) that brings max |v| below 2, so that
 * no sum of squares below can overflow; 1 for all-zero input. (2^e itself
 * would overflow for values near DBL_MAX, hence 2^(e-1).) */
static double pow2_scale(const double *v, size_t n)
{
        double m = 0;
        for (size_t i = 0; i < n; i++)
                if (fabs(v[i]) > m)
                        m = fabs(v[i]);
        if (!(m > 0) || !isfinite(m))
                return 1;
        int e;
        (void)frexp(m, &e); /* m = f * 2^e, 0.5 <= f < 1 */
        return ldexp(1.0, e - 1);
}

void trend_ols(const double *t_sec, const double *y, size_t n,
               double *ret_slope, double *ret_r_squared)
{
        double slope = 0, r2 = 0;

        if (n >= 2) {
                /* Centred sums: with byte counts near 1e15 the textbook
                 * n*Sxy - Sx*Sy form loses every significant digit. Both
                 * axes are scaled into (-2, 2) first, so values near
                 * DBL_MAX cannot overflow into inf - inf = NaN. */
                double st = pow2_scale(t_sec, n), sy = pow2_scale(y, n);
                double mt = 0, my = 0;
                for (size_t i = 0; i < n; i++) {
                        mt += t_sec[i] / st;
                        my += y[i] / sy;
                }
                mt /= (double)n;
                my /= (double)n;
                double sxx = 0, sxy = 0, syy = 0;
                for (size_t i = 0; i < n; i++) {
                        double dt = t_sec[i] / st - mt, dy = y[i] / sy - my;
                        sxx += dt * dt;
                        sxy += dt * dy;
                        syy += dy * dy;
                }
                if (sxx > 0) {
                        slope = sxy / sxx * (sy / st);
                        if (syy > 0) {
                                r2 = (sxy / sxx) * (sxy / syy);
                                if (r2 > 1)
                                        r2 = 1;
                                if (!(r2 >= 0))
                                        r2 = 0;
                        }
                }
                /* Infinite or NaN input, or a slope beyond DBL_MAX: no trend
                 * rather than a NaN travelling into scores and output. */
                if (!isfinite(slope)) {
                        slope = 0;
                        r2 = 0;
                }
        }
        if (ret_slope)
                *ret_slope = slope;
        if (ret_r_squared)
                *ret_r_squared = r2;
}

/* Exact Theil-Sen: all pairwise slopes, then their median. */
static double theil_sen_exact(const double *t, const double *y, size_t n)
{
        size_t pairs = n * (n - 1) / 2;
        double stack[STACK_DOUBLES];
        double *s = pairs <= STACK_DOUBLES ? stack : xmalloc(pairs * sizeof *s);
        size_t m = 0;

        for (size_t i = 0; i + 1 < n; i++)
                for (size_t j = i + 1; j < n; j++) {
                        double dt = t[j] - t[i];
                        if (dt != 0)
                                s[m++] = (y[j] - y[i]) / dt;
                }
        double beta = m ? trend_median_inplace(s, m) : 0;
        if (s != stack)
                free(s);
        return isfinite(beta) ? beta : 0;
}

double trend_theil_sen(const double *t_sec, const double *y, size_t n)
{
        if (n < 2)
                return 0;
        if (n <= TREND_THEIL_SEN_MAX)
                return theil_sen_exact(t_sec, y, n);

        /* Reduce to TREND_THEIL_SEN_MAX block medians: consecutive equal
         * blocks, each represented by its median time and median value. */
        size_t m = TREND_THEIL_SEN_MAX;
        double *bt = xmalloc(m * sizeof *bt), *by = xmalloc(m * sizeof *by);
        double *w = xmalloc((n / m + 2) * sizeof *w);
        for (size_t b = 0; b < m; b++) {
                size_t lo = b * n / m, hi = (b + 1) * n / m;
                memcpy(w, t_sec + lo, (hi - lo) * sizeof *w);
                bt[b] = trend_median_inplace(w, hi - lo);
                memcpy(w, y + lo, (hi - lo) * sizeof *w);
                by[b] = trend_median_inplace(w, hi - lo);
        }
        double beta = theil_sen_exact(bt, by, m);
        free(w);
        free(bt);
        free(by);
        return beta;
}

/* Merge sort of v[0..n-1] (tmp: n doubles of scratch) that returns the
 * number of strict inversions, pairs i < j with v[i] > v[j]. Equal
 * values are not inversions (the left one is taken first). */
static uint64_t sort_count_inversions(double *v, double *tmp, size_t n)
{
        uint64_t inv = 0;

        /* Bottom-up, so the depth is not a concern. */
        for (size_t width = 1; width < n; width *= 2) {
                for (size_t lo = 0; lo < n; lo += 2 * width) {
                        size_t mid = lo + width < n ? lo + width : n;
                        size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
                        size_t i = lo, j = mid, o = lo;
                        while (i < mid && j < hi) {
                                if (v[i] <= v[j]) {
                                        tmp[o++] = v[i++];
                                } else {
                                        inv += mid - i;
                                        tmp[o++] = v[j++];
                                }
                        }
                        while (i < mid)
                                tmp[o++] = v[i++];
                        while (j < hi)
                                tmp[o++] = v[j++];
                }
                memcpy(v, tmp, n * sizeof *v);
        }
        return inv;
}

double trend_normal_sf(double z)
{
        return 0.5 * erfc(z / M_SQRT2);
}

void trend_mann_kendall(const double *y, size_t n, MannKendall *ret)
{
        *ret = (MannKendall) { .p_up = 1.0 };
        if (n < 2)
                return;

        double stack[2 * STACK_DOUBLES];
        double *w = n <= STACK_DOUBLES ? stack : xmalloc(2 * n * sizeof *w);
        memcpy(w, y, n * sizeof *w);
        uint64_t discordant = sort_count_inversions(w, w + n, n);

        /* w is sorted: runs of equal values are the tie groups. */
        double tie_pairs = 0, tie_var = 0;
        for (size_t i = 0; i < n;) {
                size_t j = i + 1;
                while (j < n && w[j] == w[i])
                        j++;
                double g = (double)(j - i);
                tie_pairs += g * (g - 1) / 2;
                tie_var += g * (g - 1) * (2 * g + 5);
                i = j;
        }
        if (w != stack)
                free(w);

        double nn = (double)n;
        double concordant = nn * (nn - 1) / 2 - tie_pairs - (double)discordant;
        ret->s = concordant - (double)discordant;
        ret->var_s = (nn * (nn - 1) * (2 * nn + 5) - tie_var) / 18;
        if (!(ret->var_s > 0)) {
                ret->var_s = 0;
                return;
        }
        double sd = sqrt(ret->var_s);
        if (ret->s > 0)
                ret->z = (ret->s - 1) / sd;
        else if (ret->s < 0)
                ret->z = (ret->s + 1) / sd;
        ret->p_up = trend_normal_sf(ret->z);
}

void metric_trend(const double *t_sec, const double *y, size_t n, MetricTrend *ret)
{
        *ret = (MetricTrend) { .n = n, .mk_p = 1.0 };
        if (n == 0) {
                ret->growth_percent = NAN;
                return;
        }
        ret->start = y[0];
        ret->end = y[n - 1];
        ret->growth = ret->end - ret->start;
        ret->growth_percent = ret->start != 0 ? ret->growth / ret->start * 100.0 : NAN;
        if (n < 2)
                return;

        size_t up = 0;
        for (size_t i = 0; i + 1 < n; i++)
                up += y[i + 1] > y[i];
        ret->increasing_ratio = (double)up / (double)(n - 1);
        trend_ols(t_sec, y, n, &ret->slope_per_sec, &ret->r_squared);
        ret->theil_sen_per_sec = trend_theil_sen(t_sec, y, n);
        MannKendall mk;
        trend_mann_kendall(y, n, &mk);
        ret->mk_p = mk.p_up;
}
