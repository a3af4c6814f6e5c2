/* SPDX-License-Identifier: MIT */
/* leak-report: from a process's samples to trends, verdict and resource
 * warnings; and the sparkline of the table report. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/leak-report.h"
#include "render/leak.h"

/* n samples 1 s apart: anon grows by anon_step bytes, fds by fd_step. */
static PidSeries make_series(size_t n, double anon_step, double fd_step)
{
        PidSeries s = { .pid = 42, .n = n, .cap = n };
        strcpy(s.name, "fixture");
        s.samples = calloc(n, sizeof *s.samples);
        for (size_t i = 0; i < n; i++) {
                PidResourceSample *p = &s.samples[i];
                /* Deterministic jitter of +-64 KiB so the series is not perfect. */
                double jitter = (double)((i * 7919) % 17) * 8192.0 - 65536.0;
                p->t_usec = (usec_t)i * USEC_PER_SEC;
                p->anon_bytes = (uint64_t)(100e6 + anon_step * (double)i + jitter);
                p->rss_bytes = p->anon_bytes + 20000000;
                p->swap_bytes = 0;
                p->uss_bytes = p->pss_bytes = U64_ABSENT; /* not read: must stay out */
                p->threads = 4;
                p->open_fds = (uint64_t)(10 + fd_step * (double)i);
                p->sockets = 2;
                p->minflt = 1000 + 50 * i;
                p->majflt = 3;
        }
        return s;
}

static void test_linear_leak_with_fd_growth(void **state)
{
        (void)state;
        PidSeries s = make_series(30, 1024.0 * 1024.0, 1.0);
        LeakReport r;
        leak_report_build(&s, &r);
        assert_int_equal(r.sample_count, 30);
        assert_true(fabs(r.duration_seconds - 29.0) < 1e-9);
        assert_int_equal(r.verdict.confidence, LEAK_CONF_HIGH);
        assert_true(r.verdict.score >= 85 && r.verdict.score <= 95);
        assert_true(r.has_metric[LEAK_METRIC_RSS] && r.has_metric[LEAK_METRIC_ANON]);
        assert_false(r.has_metric[LEAK_METRIC_USS]);
        assert_false(r.has_metric[LEAK_METRIC_PSS]);
        /* OLS slope of RSS is about 1 MiB/s. */
        assert_true(fabs(r.trend[LEAK_METRIC_RSS].slope_per_sec - 1048576.0) < 20000.0);
        assert_int_equal(r.n_warnings, 1);
        assert_non_null(strstr(r.warnings[0], "FDs"));
        assert_true(fabs(r.minflt_per_sec - 50.0) < 1e-9);
        assert_true(fabs(r.majflt_per_sec) < 1e-9);
        free(s.samples);
}

static void test_flat_process(void **state)
{
        (void)state;
        PidSeries s = make_series(30, 0.0, 0.0);
        LeakReport r;
        leak_report_build(&s, &r);
        assert_int_equal(r.verdict.confidence, LEAK_CONF_NONE);
        assert_int_equal(r.verdict.score, 10);
        assert_int_equal(r.n_warnings, 0);
        free(s.samples);
}

static void test_swap_counts_as_the_leak_signal(void **state)
{
        (void)state;
        /* Anonymous memory stays flat because the growth is pushed to swap. */
        PidSeries s = make_series(30, 0.0, 0.0);
        for (size_t i = 0; i < s.n; i++)
                s.samples[i].swap_bytes = (uint64_t)(i * 2 * 1024 * 1024);
        LeakReport r;
        leak_report_build(&s, &r);
        assert_true(r.verdict.confidence >= LEAK_CONF_MEDIUM);
        free(s.samples);
}

static void test_json_has_original_field_names(void **state)
{
        (void)state;
        PidSeries s = make_series(12, 512.0 * 1024.0, 0.0);
        LeakReport r;
        leak_report_build(&s, &r);
        char *j = render_leak_json(&s, &r, 1.0, false);
        assert_non_null(j);
        const char *keys[] = { "\"sample_count\":12", "\"duration_seconds\":", "\"confidence\":",
                               "\"score\":", "\"diagnosis\":", "\"rss\":{", "\"threads\":{",
                               "\"open_files\":{", "\"connections\":{", "\"growth_percent\":",
                               "\"increasing_ratio\":", "\"slope\":", "\"r_squared\":", "\"samples\":[" };
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
                assert_non_null(strstr(j, keys[i]));
        assert_null(strstr(j, "\"uss\""));
        free(j);
        free(s.samples);
}

static void test_sparkline(void **state)
{
        (void)state;
        char out[256];
        double up[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
        render_sparkline(up, 8, 60, false, out, sizeof out);
        assert_string_equal(out, "_.-~=+*#");
        render_sparkline(up, 8, 4, false, out, sizeof out); /* buckets of two, means */
        assert_int_equal(strlen(out), 4);
        assert_int_equal(out[0], '.'); /* mean 0.5 of 0..7 rounds to level 1 */
        assert_int_equal(out[3], '#');
        render_sparkline(up, 8, 60, true, out, sizeof out);
        assert_true(strncmp(out, "\u2581", 3) == 0 && strlen(out) == 24);
        double flat[3] = { 5, 5, 5 };
        render_sparkline(flat, 3, 60, false, out, sizeof out);
        assert_string_equal(out, "___");
        double gaps[3] = { NAN, NAN, NAN };
        render_sparkline(gaps, 3, 60, false, out, sizeof out);
        assert_string_equal(out, "");
        render_sparkline(up, 8, 60, true, out, 7); /* room for two glyphs only */
        assert_int_equal(strlen(out), 6);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_linear_leak_with_fd_growth),
                cmocka_unit_test(test_flat_process),
                cmocka_unit_test(test_swap_counts_as_the_leak_signal),
                cmocka_unit_test(test_json_has_original_field_names),
                cmocka_unit_test(test_sparkline),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
