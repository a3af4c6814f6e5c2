/* SPDX-License-Identifier: MIT */
#include "analyze/leak-report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const metric_names[_LEAK_METRIC_MAX] = {
        [LEAK_METRIC_RSS] = "rss",
        [LEAK_METRIC_USS] = "uss",
        [LEAK_METRIC_PSS] = "pss",
        [LEAK_METRIC_SWAP] = "swap",
        [LEAK_METRIC_ANON] = "anon",
        [LEAK_METRIC_THREADS] = "threads",
        [LEAK_METRIC_OPEN_FILES] = "open_files",
        [LEAK_METRIC_CONNECTIONS] = "connections",
};

const char *leak_metric_name(LeakMetric m)
{
        return m < _LEAK_METRIC_MAX ? metric_names[m] : "unknown";
}

bool leak_metric_is_bytes(LeakMetric m)
{
        return m <= LEAK_METRIC_ANON;
}

static double u64_or_nan(uint64_t v)
{
        return has_u64(v) ? (double)v : NAN;
}

double leak_sample_value(const PidResourceSample *smp, LeakMetric m)
{
        switch (m) {
        case LEAK_METRIC_RSS: return u64_or_nan(smp->rss_bytes);
        case LEAK_METRIC_USS: return u64_or_nan(smp->uss_bytes);
        case LEAK_METRIC_PSS: return u64_or_nan(smp->pss_bytes);
        case LEAK_METRIC_SWAP: return u64_or_nan(smp->swap_bytes);
        case LEAK_METRIC_ANON: return u64_or_nan(smp->anon_bytes);
        case LEAK_METRIC_THREADS: return u64_or_nan(smp->threads);
        case LEAK_METRIC_OPEN_FILES: return u64_or_nan(smp->open_fds);
        case LEAK_METRIC_CONNECTIONS: return u64_or_nan(smp->sockets);
        default: return NAN;
        }
}

/* Copies the samples where the metric is known into t[] and y[]; returns
 * how many. Seconds are relative to the first sample. */
static size_t gather(const PidSeries *s, LeakMetric m, double *t, double *y)
{
        size_t k = 0;
        for (size_t i = 0; i < s->n; i++) {
                double v = leak_sample_value(&s->samples[i], m);
                if (isnan(v))
                        continue;
                t[k] = (double)(s->samples[i].t_usec - s->samples[0].t_usec) / 1e6;
                y[k] = v;
                k++;
        }
        return k;
}

/* The leak signal: anonymous memory plus what of it was swapped out, so
 * a leak does not vanish when the kernel pushes it to swap. RSS when the
 * kernel has no RssAnon (before 4.5). */
static size_t gather_signal(const PidSeries *s, double *t, double *y)
{
        size_t k = 0;
        for (size_t i = 0; i < s->n; i++) {
                const PidResourceSample *smp = &s->samples[i];
                double v = has_u64(smp->anon_bytes) ? (double)smp->anon_bytes : u64_or_nan(smp->rss_bytes);
                if (isnan(v))
                        continue;
                if (has_u64(smp->swap_bytes))
                        v += (double)smp->swap_bytes;
                t[k] = (double)(smp->t_usec - s->samples[0].t_usec) / 1e6;
                y[k] = v;
                k++;
        }
        return k;
}

static double fault_rate(const PidSeries *s, bool major)
{
        const PidResourceSample *a = &s->samples[0], *b = &s->samples[s->n - 1];
        uint64_t x0 = major ? a->majflt : a->minflt, x1 = major ? b->majflt : b->minflt;
        double dt = (double)(b->t_usec - a->t_usec) / 1e6;
        if (!has_u64(x0) || !has_u64(x1) || x1 < x0 || dt <= 0)
                return NAN;
        return (double)(x1 - x0) / dt;
}

static const char *const resource_words[] = {
        [LEAK_METRIC_THREADS] = "threads",
        [LEAK_METRIC_OPEN_FILES] = "open FDs",
        [LEAK_METRIC_CONNECTIONS] = "sockets (connections)",
};

void leak_report_build(const PidSeries *s, LeakReport *ret)
{
        memset(ret, 0, sizeof *ret);
        ret->sample_count = s->n;
        ret->minflt_per_sec = ret->majflt_per_sec = NAN;
        if (s->n == 0)
                return;
        ret->duration_seconds = (double)(s->samples[s->n - 1].t_usec - s->samples[0].t_usec) / 1e6;

        double *t = malloc(s->n * sizeof *t), *y = malloc(s->n * sizeof *y);
        if (!t || !y) {
                free(t);
                free(y);
                return;
        }
        for (int m = 0; m < _LEAK_METRIC_MAX; m++) {
                size_t k = gather(s, (LeakMetric)m, t, y);
                if (k < 2)
                        continue;
                ret->has_metric[m] = true;
                metric_trend(t, y, k, &ret->trend[m]);
        }

        size_t k = gather_signal(s, t, y);
        leak_score_series(t, y, k, SERIES_BYTES, "anonymous memory", &ret->verdict);

        /* Correlated resource growth: the same robust test on the counts. */
        for (int m = LEAK_METRIC_THREADS; m <= LEAK_METRIC_CONNECTIONS; m++) {
                if (!ret->has_metric[m] || ret->n_warnings == LEAK_WARNINGS_MAX)
                        continue;
                size_t n = gather(s, (LeakMetric)m, t, y);
                LeakVerdict v;
                leak_score_series(t, y, n, SERIES_COUNT, resource_words[m], &v);
                if (leak_resource_warning(resource_words[m], &v, ret->warnings[ret->n_warnings],
                                          sizeof ret->warnings[0]))
                        ret->n_warnings++;
        }
        ret->minflt_per_sec = fault_rate(s, false);
        ret->majflt_per_sec = fault_rate(s, true);
        free(t);
        free(y);
}
