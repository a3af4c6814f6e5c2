/* SPDX-License-Identifier: MIT */
/* analyze/trend: median, MAD, OLS, Theil-Sen, Mann-Kendall and the
 * per-metric figures of a leak report, against hand-computed values and
 * brute-force references. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/trend.h"

/* Deterministic noise: xorshift32 (Marsaglia), uniform in [0, 1). */
static uint32_t rng_state;

static double rng_u01(void)
{
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 17;
        rng_state ^= rng_state << 5;
        return rng_state / 4294967296.0;
}

static int cmp_dbl(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;
        return (x > y) - (x < y);
}

static double ref_median(const double *v, size_t n)
{
        double *w = malloc(n * sizeof *w);
        memcpy(w, v, n * sizeof *w);
        qsort(w, n, sizeof *w, cmp_dbl);
        double m = n % 2 ? w[n / 2] : (w[n / 2 - 1] + w[n / 2]) / 2;
        free(w);
        return m;
}

static void test_median_small(void **state)
{
        (void)state;
        const double odd[] = { 5, 1, 4, 2, 3 };
        const double even[] = { 10, 1, 7, 3 };
        const double one[] = { -2.5 };
        const double dup[] = { 2, 2, 2, 1, 2, 9 };
        double copy[5];

        assert_float_equal(trend_median(odd, 5), 3, 0);
        assert_float_equal(trend_median(even, 4), 5, 0);
        assert_float_equal(trend_median(one, 1), -2.5, 0);
        assert_float_equal(trend_median(dup, 6), 2, 0);
        assert_true(isnan(trend_median(odd, 0)));
        /* trend_median leaves its input alone... */
        assert_float_equal(odd[0], 5, 0);
        assert_float_equal(odd[4], 3, 0);
        /* ...the in-place one may reorder it but gives the same answer. */
        memcpy(copy, odd, sizeof copy);
        assert_float_equal(trend_median_inplace(copy, 5), 3, 0);
        assert_true(isnan(trend_median_inplace(copy, 0)));
}

/* Quickselect against qsort on inputs that defeat naive pivots: sorted,
 * reversed, all equal, organ pipe, few distinct values, random. */
static void test_median_against_sort(void **state)
{
        (void)state;
        enum { N = 2001 };
        static double v[N];

        for (int shape = 0; shape < 6; shape++) {
                for (size_t len = 1; len <= N; len += len < 40 ? 1 : 397) {
                        rng_state = 2463534242u;
                        for (size_t i = 0; i < len; i++) {
                                switch (shape) {
                                case 0: v[i] = (double)i; break;
                                case 1: v[i] = (double)(len - i); break;
                                case 2: v[i] = 7; break;
                                case 3: v[i] = (double)(i < len / 2 ? i : len - i); break;
                                case 4: v[i] = (double)(int)(rng_u01() * 3); break;
                                default: v[i] = rng_u01() * 1e6 - 5e5; break;
                                }
                        }
                        assert_float_equal(trend_median(v, len), ref_median(v, len), 0);
                }
        }
}

static void test_mad(void **state)
{
        (void)state;
        /* median 2; |deviations| 1 1 0 0 2 4 7 -> median 1 */
        const double v[] = { 1, 1, 2, 2, 4, 6, 9 };
        const double flat[] = { 3, 3, 3, 3 };
        assert_float_equal(trend_mad(v, 7), 1, 0);
        assert_float_equal(trend_mad(flat, 4), 0, 0);
        assert_true(isnan(trend_mad(v, 0)));
        assert_float_equal(v[6], 9, 0);
}

static void test_ols(void **state)
{
        (void)state;
        const double t[] = { 0, 1, 2, 3, 4 };
        const double line[] = { 3, 5, 7, 9, 11 };
        const double flat[] = { 4, 4, 4, 4, 4 };
        const double same_t[] = { 2, 2, 2, 2, 2 };
        double slope, r2;

        trend_ols(t, line, 5, &slope, &r2);
        assert_float_equal(slope, 2, 1e-12);
        assert_float_equal(r2, 1, 1e-12);

        /* No spread in y or in t: 0 and 0, never NAN. */
        trend_ols(t, flat, 5, &slope, &r2);
        assert_float_equal(slope, 0, 0);
        assert_float_equal(r2, 0, 0);
        trend_ols(same_t, line, 5, &slope, &r2);
        assert_float_equal(slope, 0, 0);
        assert_float_equal(r2, 0, 0);
        trend_ols(t, line, 1, &slope, &r2);
        assert_float_equal(slope, 0, 0);
        trend_ols(t, line, 0, &slope, NULL);

        /* Values near DBL_MAX (found by fuzzing): finite, right sign. */
        const double huge_up[5] = { -1e308, -5e307, 0, 5e307, 1e308 };
        trend_ols(t, huge_up, 5, &slope, &r2);
        assert_true(isfinite(slope) && slope > 0);
        assert_float_equal(slope, 5e307 / 1.0, 1e293); /* 5e307 per second */
        assert_float_equal(r2, 1.0, 1e-12);
        const double huge_down[3] = { 1e308, -1e308, -1e308 };
        trend_ols(t, huge_down, 3, &slope, &r2);
        assert_true(isfinite(slope) && slope < 0);
        assert_true(r2 >= 0 && r2 <= 1);
        /* Non-finite input: no trend, no NaN. */
        const double with_inf[3] = { 1, INFINITY, 3 };
        trend_ols(t, with_inf, 3, &slope, &r2);
        assert_float_equal(slope, 0, 0);
        assert_float_equal(r2, 0, 0);
        assert_float_equal(slope, 0, 0);

        /* y = 0, 1, 3, 2: Sxx = 5, Sxy = 4, Syy = 5 -> slope 0.8,
         * R² = 16 / 25. */
        const double y4[] = { 0, 1, 3, 2 };
        trend_ols(t, y4, 4, &slope, &r2);
        assert_float_equal(slope, 0.8, 1e-12);
        assert_float_equal(r2, 0.64, 1e-12);
}

static void test_ols_huge_values(void **state)
{
        (void)state;
        /* 1e15 bytes growing 1 MiB/s: the naive sum formula cancels to
         * garbage here; centred sums keep the slope. */
        enum { N = 600 };
        static double t[N], y[N];
        for (size_t i = 0; i < N; i++) {
                t[i] = 1e6 + 0.5 * (double)i;   /* monotonic clock far from 0 */
                y[i] = 1e15 + 1048576.0 * (t[i] - 1e6);
        }
        double slope, r2;
        trend_ols(t, y, N, &slope, &r2);
        assert_float_equal(slope, 1048576.0, 1e-3);
        assert_float_equal(r2, 1, 1e-9);
        assert_float_equal(trend_theil_sen(t, y, N), 1048576.0, 1e-3);
}

static void test_theil_sen_small(void **state)
{
        (void)state;
        /* Pairwise slopes of (0,0) (1,1) (2,3) (3,2):
         * 1, 1.5, 2/3, 2, 0.5, -1 -> median (2/3 + 1) / 2. */
        const double t[] = { 0, 1, 2, 3 };
        const double y[] = { 0, 1, 3, 2 };
        assert_float_equal(trend_theil_sen(t, y, 4), (2.0 / 3 + 1) / 2, 1e-12);
        assert_float_equal(trend_theil_sen(t, y, 1), 0, 0);
        assert_float_equal(trend_theil_sen(t, y, 0), 0, 0);

        /* Pairs with equal times have no slope and are skipped. */
        const double t2[] = { 0, 0, 1, 1 };
        const double y2[] = { 0, 100, 2, 102 };
        /* slopes: (0,2)=2 (0,3)=102 (1,2)=-98 (1,3)=2 -> median 2 */
        assert_float_equal(trend_theil_sen(t2, y2, 4), 2, 1e-12);
        const double t3[] = { 5, 5, 5 };
        assert_float_equal(trend_theil_sen(t3, y2, 3), 0, 0);
}

static void test_theil_sen_outliers_uneven(void **state)
{
        (void)state;
        /* y = 10 + 3t on uneven times (gaps, jitter), the last quarter of
         * the points lifted by a huge step: the median slope stays 3
         * while OLS is pulled far away. */
        enum { N = 40 };
        double t[N], y[N], acc = 0;
        rng_state = 2463534242u;
        for (size_t i = 0; i < N; i++) {
                acc += 0.1 + rng_u01() * 2 + (i == 20 ? 30 : 0);
                t[i] = acc;
                y[i] = 10 + 3 * t[i];
                if (i >= 30)
                        y[i] += 1e4;
        }
        assert_float_equal(trend_theil_sen(t, y, N), 3, 1e-9);
        double ols;
        trend_ols(t, y, N, &ols, NULL);
        assert_true(fabs(ols - 3) > 1);
}

static void test_theil_sen_block_path(void **state)
{
        (void)state;
        /* Above TREND_THEIL_SEN_MAX points it runs on block medians: a
         * line with noise still gives its slope. */
        enum { N = 3600 };
        static double t[N], y[N];
        rng_state = 2463534242u;
        for (size_t i = 0; i < N; i++) {
                t[i] = 2.0 * (double)i;
                y[i] = 5e8 + 1000.0 * t[i] + (rng_u01() - 0.5) * 2e5;
        }
        assert_float_equal(trend_theil_sen(t, y, N), 1000.0, 5.0);
        for (size_t i = 0; i < N; i++)
                y[i] = 5e8 + 1000.0 * t[i];
        assert_float_equal(trend_theil_sen(t, y, N), 1000.0, 1e-6);
}

/* S and tie-corrected Var(S) the slow way. */
static void ref_mann_kendall(const double *y, size_t n, double *s, double *var)
{
        double acc = 0, ties = 0;
        for (size_t i = 0; i < n; i++)
                for (size_t j = i + 1; j < n; j++)
                        acc += (y[j] > y[i]) - (y[j] < y[i]);
        bool *seen = calloc(n, sizeof *seen);
        for (size_t i = 0; i < n; i++) {
                if (seen[i])
                        continue;
                double g = 0;
                for (size_t j = i; j < n; j++)
                        if (y[j] == y[i]) {
                                seen[j] = true;
                                g++;
                        }
                ties += g * (g - 1) * (2 * g + 5);
        }
        free(seen);
        *s = acc;
        *var = ((double)n * (n - 1) * (2.0 * n + 5) - ties) / 18;
}

static void test_mann_kendall_known(void **state)
{
        (void)state;
        MannKendall mk;
        double up[10];
        for (int i = 0; i < 10; i++)
                up[i] = i * 1.5;

        /* Strictly increasing n = 10: S = 45, Var = 10*9*25/18 = 125,
         * z = 44 / sqrt(125) = 3.9354, p = 4.15e-5. */
        trend_mann_kendall(up, 10, &mk);
        assert_float_equal(mk.s, 45, 0);
        assert_float_equal(mk.var_s, 125, 1e-9);
        assert_float_equal(mk.z, 44 / sqrt(125), 1e-12);
        assert_float_equal(mk.p_up, 4.15154e-5, 1e-9);

        /* Decreasing: p near 1. */
        for (int i = 0; i < 10; i++)
                up[i] = -i;
        trend_mann_kendall(up, 10, &mk);
        assert_float_equal(mk.s, -45, 0);
        assert_true(mk.p_up > 0.9999);

        /* All ties: no variance, no evidence. */
        const double flat[] = { 4, 4, 4, 4, 4, 4 };
        trend_mann_kendall(flat, 6, &mk);
        assert_float_equal(mk.s, 0, 0);
        assert_float_equal(mk.var_s, 0, 0);
        assert_float_equal(mk.p_up, 1, 0);

        /* Too short. */
        trend_mann_kendall(flat, 1, &mk);
        assert_float_equal(mk.p_up, 1, 0);
        trend_mann_kendall(flat, 0, &mk);
        assert_float_equal(mk.p_up, 1, 0);

        /* Two points: S = 1, continuity correction gives z = 0, p = 0.5. */
        const double two[] = { 1, 2 };
        trend_mann_kendall(two, 2, &mk);
        assert_float_equal(mk.s, 1, 0);
        assert_float_equal(mk.z, 0, 0);
        assert_float_equal(mk.p_up, 0.5, 1e-12);

        /* Ties: 1 1 2 2 3 -> S = 8 (10 pairs, 2 tied), Var = (5*4*15 -
         * 2 * 2*1*9) / 18 = 264/18. */
        const double tied[] = { 1, 1, 2, 2, 3 };
        trend_mann_kendall(tied, 5, &mk);
        assert_float_equal(mk.s, 8, 0);
        assert_float_equal(mk.var_s, 264.0 / 18, 1e-12);
}

static void test_mann_kendall_against_brute_force(void **state)
{
        (void)state;
        enum { N = 700 };
        static double y[N];
        MannKendall mk;
        double s, var;

        rng_state = 2463534242u;
        for (size_t len = 2; len <= N; len += len < 30 ? 1 : 113) {
                for (size_t i = 0; i < len; i++)
                        /* Integer values: many ties, a slight upward drift. */
                        y[i] = floor(rng_u01() * 20 + (double)i * 0.01);
                trend_mann_kendall(y, len, &mk);
                ref_mann_kendall(y, len, &s, &var);
                assert_float_equal(mk.s, s, 0);
                assert_float_equal(mk.var_s, var, 1e-6 * var + 1e-9);
                assert_true(mk.p_up >= 0 && mk.p_up <= 1);
        }
}

static void test_normal_sf(void **state)
{
        (void)state;
        assert_float_equal(trend_normal_sf(0), 0.5, 1e-15);
        assert_float_equal(trend_normal_sf(1.6448536269514722), 0.05, 1e-12);
        assert_float_equal(trend_normal_sf(-1.6448536269514722), 0.95, 1e-12);
        assert_float_equal(trend_normal_sf(3.090232306167813), 0.001, 1e-12);
        assert_true(trend_normal_sf(40) >= 0);
        assert_float_equal(trend_normal_sf(INFINITY), 0, 0);
}

static void test_metric_trend(void **state)
{
        (void)state;
        const double t[] = { 0, 2, 4, 6, 8 };
        const double y[] = { 100, 110, 105, 120, 130 };
        MetricTrend m;

        metric_trend(t, y, 5, &m);
        assert_int_equal(m.n, 5);
        assert_float_equal(m.start, 100, 0);
        assert_float_equal(m.end, 130, 0);
        assert_float_equal(m.growth, 30, 0);
        assert_float_equal(m.growth_percent, 30, 1e-12);
        assert_float_equal(m.increasing_ratio, 0.75, 1e-12);
        /* Sxx = 40, Sxy = 140 -> 3.5; Syy = 580 -> R² = 140²/(40*580). */
        assert_float_equal(m.slope_per_sec, 3.5, 1e-12);
        assert_float_equal(m.r_squared, 140.0 * 140 / (40 * 580), 1e-12);
        /* slopes sorted: -2.5 1.25 2.5 3.33 3.33 3.75 5 5 6.25 7.5 */
        assert_float_equal(m.theil_sen_per_sec, (10.0 / 3 + 3.75) / 2, 1e-12);
        assert_true(m.mk_p > 0 && m.mk_p < 0.1);

        /* Starting from 0: growth % is unknown, not a division by zero. */
        const double z[] = { 0, 0, 5 };
        metric_trend(t, z, 3, &m);
        assert_true(isnan(m.growth_percent));
        assert_float_equal(m.growth, 5, 0);
        assert_float_equal(m.increasing_ratio, 0.5, 0);

        /* All zeros: nothing NAN except growth %. */
        const double zeros[] = { 0, 0, 0, 0, 0 };
        metric_trend(t, zeros, 5, &m);
        assert_float_equal(m.slope_per_sec, 0, 0);
        assert_float_equal(m.r_squared, 0, 0);
        assert_float_equal(m.theil_sen_per_sec, 0, 0);
        assert_float_equal(m.mk_p, 1, 0);

        /* One and no sample. */
        metric_trend(t, y, 1, &m);
        assert_int_equal(m.n, 1);
        assert_float_equal(m.growth, 0, 0);
        assert_float_equal(m.growth_percent, 0, 0);
        assert_float_equal(m.increasing_ratio, 0, 0);
        metric_trend(t, y, 0, &m);
        assert_int_equal(m.n, 0);
        assert_true(isnan(m.growth_percent));
        assert_float_equal(m.mk_p, 1, 0);
}

static double cpu_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void test_metric_trend_3600(void **state)
{
        (void)state;
        /* `leak -n 3600`: the whole per-metric computation, best of 5. */
        enum { N = 3600 };
        static double t[N], y[N];
        rng_state = 2463534242u;
        for (size_t i = 0; i < N; i++) {
                t[i] = 2.0 * (double)i + rng_u01() * 0.01;
                y[i] = 3e8 + 2048.0 * t[i] + rng_u01() * 1e6;
        }
        double best = 1e9;
        MetricTrend m;
        for (int r = 0; r < 5; r++) {
                double t0 = cpu_ms();
                metric_trend(t, y, N, &m);
                double dt = cpu_ms() - t0;
                if (dt < best)
                        best = dt;
        }
        assert_float_equal(m.slope_per_sec, 2048.0, 10.0);
        assert_float_equal(m.theil_sen_per_sec, 2048.0, 20.0);
        assert_true(m.mk_p < 1e-6);
        assert_true(best < 10.0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_median_small),
                cmocka_unit_test(test_median_against_sort),
                cmocka_unit_test(test_mad),
                cmocka_unit_test(test_ols),
                cmocka_unit_test(test_ols_huge_values),
                cmocka_unit_test(test_theil_sen_small),
                cmocka_unit_test(test_theil_sen_outliers_uneven),
                cmocka_unit_test(test_theil_sen_block_path),
                cmocka_unit_test(test_mann_kendall_known),
                cmocka_unit_test(test_mann_kendall_against_brute_force),
                cmocka_unit_test(test_normal_sf),
                cmocka_unit_test(test_metric_trend),
                cmocka_unit_test(test_metric_trend_3600),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
