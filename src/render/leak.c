/* SPDX-License-Identifier: MIT */
#include "render/leak.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/json-util.h"
#include "util/human.h"
#include "util/utf8.h"

void render_sparkline(const double *v, size_t n, size_t width, bool unicode, char *out, size_t cap)
{
        static const char *const blocks[] = { "\u2581", "\u2582", "\u2583", "\u2584",
                                              "\u2585", "\u2586", "\u2587", "\u2588" };
        static const char ascii[] = "_.-~=+*#";
        double lo = INFINITY, hi = -INFINITY;
        size_t o = 0;

        out[0] = '\0';
        for (size_t i = 0; i < n; i++)
                if (!isnan(v[i])) {
                        lo = v[i] < lo ? v[i] : lo;
                        hi = v[i] > hi ? v[i] : hi;
                }
        if (n == 0 || width == 0 || isinf(lo))
                return;
        size_t cells = n < width ? n : width;
        for (size_t c = 0; c < cells; c++) {
                /* Each cell shows the mean of its share of the samples. */
                size_t a = c * n / cells, b = (c + 1) * n / cells;
                double sum = 0;
                size_t k = 0;
                for (size_t i = a; i < b; i++)
                        if (!isnan(v[i])) {
                                sum += v[i];
                                k++;
                        }
                int level = 0;
                if (k && hi > lo)
                        level = (int)((sum / (double)k - lo) / (hi - lo) * 7.0 + 0.5);
                const char *glyph = unicode ? blocks[level] : (char[]){ ascii[level], '\0' };
                size_t len = strlen(glyph);
                if (o + len + 1 > cap)
                        break;
                memcpy(out + o, glyph, len);
                o += len;
        }
        out[o] = '\0';
}

static json_t *trend_json(const PidSeries *s, const LeakReport *r, LeakMetric m)
{
        const MetricTrend *t = &r->trend[m];
        json_t *o = json_object();
        jset(o, "start", jreal(t->start, 0));
        jset(o, "end", jreal(t->end, 0));
        jset(o, "growth", jreal(t->growth, 0));
        jset(o, "growth_percent", jreal(t->growth_percent, 2));
        jset(o, "increasing_ratio", jreal(t->increasing_ratio, 3));
        jset(o, "slope", jreal(t->slope_per_sec, 3));
        jset(o, "slope_unit", json_string(leak_metric_is_bytes(m) ? "bytes/s" : "count/s"));
        jset(o, "r_squared", jreal(t->r_squared, 4));
        jset(o, "theil_sen_slope", jreal(t->theil_sen_per_sec, 3));
        jset(o, "mann_kendall_p", jreal(t->mk_p, 5));
        json_t *samples = json_array();
        for (size_t i = 0; i < s->n; i++) {
                double v = leak_sample_value(&s->samples[i], m);
                json_array_append_new(samples, isnan(v) ? json_null() : juint((uint64_t)v));
        }
        jset(o, "samples", samples);
        return o;
}

static void fill_report_json(json_t *o, const PidSeries *s, const LeakReport *r, double interval_sec)
{
        jset(o, "pid", json_integer(s->pid));
        jset(o, "name", jstr(s->name));
        jset(o, "sample_count", json_integer((json_int_t)r->sample_count));
        jset(o, "duration_seconds", jreal(r->duration_seconds, 3));
        jset(o, "interval_seconds", jreal(interval_sec, 3));
        jset(o, "confidence", json_string(leak_confidence_to_string(r->verdict.confidence)));
        jset(o, "score", json_integer(r->verdict.score));
        jset(o, "diagnosis", jstr(r->verdict.diagnosis));
        jset(o, "verdict", json_string(leak_kind_to_string(r->verdict.kind)));
        jset(o, "shape", jstr(r->verdict.shape ? r->verdict.shape : ""));
        jset(o, "signal", json_string("anon+swap"));
        jset(o, "signal_slope_bytes_per_second", jreal(r->verdict.envelope_slope_per_sec, 3));
        jset(o, "trend_p_value", jreal(r->verdict.p_value, 5));
        for (int m = 0; m < _LEAK_METRIC_MAX; m++)
                if (r->has_metric[m])
                        jset(o, leak_metric_name((LeakMetric)m), trend_json(s, r, (LeakMetric)m));
        json_t *faults = json_object();
        jset(faults, "minor_per_second", jreal(r->minflt_per_sec, 2));
        jset(faults, "major_per_second", jreal(r->majflt_per_sec, 2));
        jset(o, "page_faults", faults);
        json_t *w = json_array();
        for (size_t i = 0; i < r->n_warnings; i++)
                json_array_append_new(w, jstr(r->warnings[i]));
        jset(o, "resource_warnings", w);
        jset(o, "exited", json_boolean(s->exited));
        if (s->exited && s->n)
                jset(o, "exited_after_seconds",
                     jreal((double)(s->exited_usec - s->samples[0].t_usec) / 1e6, 3));
}

static char *dump(json_t *root, bool pretty)
{
        char *out = json_dumps(root, JSON_REAL_PRECISION(15) | (pretty ? JSON_INDENT(2) : JSON_COMPACT));
        json_decref(root);
        return out;
}

char *render_leak_json(const PidSeries *s, const LeakReport *r, double interval_sec, bool pretty)
{
        json_t *o = json_object();
        fill_report_json(o, s, r, interval_sec);
        return dump(o, pretty);
}

char *render_leak_top_json(const LeakTopEntry *e, size_t n, double interval_sec, bool pretty)
{
        json_t *o = json_object();
        json_t *arr = json_array();
        size_t samples = 0;
        double duration = 0;
        for (size_t i = 0; i < n; i++) {
                json_t *c = json_object();
                jset(c, "rank", json_integer(e[i].rank));
                fill_report_json(c, e[i].series, &e[i].report, interval_sec);
                json_array_append_new(arr, c);
                if (e[i].report.sample_count > samples)
                        samples = e[i].report.sample_count;
                if (e[i].report.duration_seconds > duration)
                        duration = e[i].report.duration_seconds;
        }
        jset(o, "sample_count", json_integer((json_int_t)samples));
        jset(o, "duration_seconds", jreal(duration, 3));
        jset(o, "interval_seconds", jreal(interval_sec, 3));
        jset(o, "candidates", arr);
        return dump(o, pretty);
}


static void fmt_value(LeakMetric m, double v, char *out, size_t cap)
{
        if (isnan(v)) {
                snprintf(out, cap, "n/a");
        } else if (leak_metric_is_bytes(m)) {
                char h[HUMAN_BYTES_MAX];
                human_bytes(v < 0 ? (uint64_t)(-v) : (uint64_t)v, h);
                snprintf(out, cap, "%s%s", v < 0 ? "-" : "", h);
        } else {
                snprintf(out, cap, "%.0f", v);
        }
}

static const char *conf_color(LeakConfidence c)
{
        switch (c) {
        case LEAK_CONF_HIGH: return "\033[1;31m";
        case LEAK_CONF_MEDIUM: return "\033[31m";
        case LEAK_CONF_LOW: return "\033[33m";
        default: return "\033[32m";
        }
}

static void write_report_table(FILE *f, const PidSeries *s, const LeakReport *r, double interval_sec,
                               const TableStyle *st)
{
        bool color = st && st->color, unicode = st && st->unicode;
        char name[600];
        utf8_terminal_safe(s->name, name, sizeof name);
        fprintf(f, "Leak report for PID %d (%s): %zu samples over %.1f s (every %.3g s)\n", s->pid, name,
                r->sample_count, r->duration_seconds, interval_sec);
        if (s->exited && s->n)
                fprintf(f, "! process exited after %.1f s; the report covers the samples taken before\n",
                        (double)(s->exited_usec - s->samples[0].t_usec) / 1e6);
        const char *conf = leak_confidence_to_string(r->verdict.confidence);
        if (color)
                fprintf(f, "Verdict    %s%s (score %d)\033[0m\n", conf_color(r->verdict.confidence), conf,
                        r->verdict.score);
        else
                fprintf(f, "Verdict    %s (score %d)\n", conf, r->verdict.score);
        char diag[600];
        utf8_terminal_safe(r->verdict.diagnosis, diag, sizeof diag);
        fprintf(f, "Diagnosis  %s\n", diag);

        double *v = calloc(s->n ? s->n : 1, sizeof *v);
        if (v) {
                for (size_t i = 0; i < s->n; i++)
                        v[i] = leak_sample_value(&s->samples[i], LEAK_METRIC_RSS);
                char spark[64 * 3 + 1], lo[32], hi[32];
                render_sparkline(v, s->n, 60, unicode, spark, sizeof spark);
                const MetricTrend *t = &r->trend[LEAK_METRIC_RSS];
                double mn = INFINITY, mx = -INFINITY;
                for (size_t i = 0; i < s->n; i++)
                        if (!isnan(v[i])) {
                                mn = v[i] < mn ? v[i] : mn;
                                mx = v[i] > mx ? v[i] : mx;
                        }
                fmt_value(LEAK_METRIC_RSS, isinf(mn) ? NAN : mn, lo, sizeof lo);
                fmt_value(LEAK_METRIC_RSS, isinf(mx) ? NAN : mx, hi, sizeof hi);
                (void)t;
                fprintf(f, "RSS        %s  (min %s, max %s)\n", spark, lo, hi);
                free(v);
        }
        fprintf(f, "\n  %-12s %10s %10s %10s %8s %6s %12s %6s\n", "METRIC", "START", "END", "GROWTH", "GROWTH%",
                "UP%", "SLOPE/MIN", "R2");
        for (int m = 0; m < _LEAK_METRIC_MAX; m++) {
                if (!r->has_metric[m])
                        continue;
                const MetricTrend *t = &r->trend[m];
                char a[32], b[32], g[32], sl[32];
                fmt_value((LeakMetric)m, t->start, a, sizeof a);
                fmt_value((LeakMetric)m, t->end, b, sizeof b);
                fmt_value((LeakMetric)m, t->growth, g, sizeof g);
                fmt_value((LeakMetric)m, t->slope_per_sec * 60.0, sl, sizeof sl);
                fprintf(f, "  %-12s %10s %10s %10s %8.1f %6.0f %12s %6.2f\n", leak_metric_name((LeakMetric)m), a, b,
                        g, isnan(t->growth_percent) ? 0.0 : t->growth_percent, t->increasing_ratio * 100.0, sl,
                        isnan(t->r_squared) ? 0.0 : t->r_squared);
        }
        if (!isnan(r->minflt_per_sec))
                fprintf(f, "  page faults: %.1f minor/s, %.2f major/s\n", r->minflt_per_sec, r->majflt_per_sec);
        for (size_t i = 0; i < r->n_warnings; i++)
                fprintf(f, "%s  %s\n", color ? "\033[33m!\033[0m" : "!", r->warnings[i]);
}

/* Closes the memstream (which is what sets *bufp) and drops the final
 * newline: the caller writes one per record. */
static char *finish(FILE *f, char **bufp)
{
        if (fclose(f) != 0) {
                free(*bufp);
                return NULL;
        }
        char *buf = *bufp;
        size_t n = strlen(buf);
        if (n && buf[n - 1] == '\n')
                buf[n - 1] = '\0';
        return buf;
}

char *render_leak_table(const PidSeries *s, const LeakReport *r, double interval_sec, const TableStyle *style)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (!f)
                return NULL;
        write_report_table(f, s, r, interval_sec, style);
        return finish(f, &buf);
}

char *render_leak_top_table(const LeakTopEntry *e, size_t n, double interval_sec, const TableStyle *style)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (!f)
                return NULL;
        bool unicode = style && style->unicode;
        fprintf(f, "Leak candidates (%zu processes, every %.3g s)\n\n", n, interval_sec);
        fprintf(f, "  %4s %7s %-20s %-7s %5s %10s %10s %8s  %-20s %s\n", "RANK", "PID", "NAME", "CONF", "SCORE",
                "RSS START", "RSS END", "GROWTH%", "RSS", "STATUS");
        for (size_t i = 0; i < n; i++) {
                const LeakReport *r = &e[i].report;
                const PidSeries *s = e[i].series;
                char name[64], a[32], b[32], spark[21 * 3 + 1];
                utf8_terminal_safe(s->name, name, sizeof name);
                const MetricTrend *t = &r->trend[LEAK_METRIC_RSS];
                fmt_value(LEAK_METRIC_RSS, r->has_metric[LEAK_METRIC_RSS] ? t->start : NAN, a, sizeof a);
                fmt_value(LEAK_METRIC_RSS, r->has_metric[LEAK_METRIC_RSS] ? t->end : NAN, b, sizeof b);
                double *v = calloc(s->n ? s->n : 1, sizeof *v);
                spark[0] = '\0';
                if (v) {
                        for (size_t k = 0; k < s->n; k++)
                                v[k] = leak_sample_value(&s->samples[k], LEAK_METRIC_RSS);
                        render_sparkline(v, s->n, 20, unicode, spark, sizeof spark);
                        free(v);
                }
                char status[48];
                if (s->exited && s->n)
                        snprintf(status, sizeof status, "exited after %.1f s",
                                 (double)(s->exited_usec - s->samples[0].t_usec) / 1e6);
                else
                        snprintf(status, sizeof status, "running");
                fprintf(f, "  %4d %7d %-20.20s %-7s %5d %10s %10s %8.1f  %s%*s %s\n", e[i].rank, s->pid, name,
                        leak_confidence_to_string(r->verdict.confidence), r->verdict.score, a, b,
                        r->has_metric[LEAK_METRIC_RSS] && !isnan(t->growth_percent) ? t->growth_percent : 0.0,
                        spark, (int)(20 - (r->sample_count < 20 ? r->sample_count : 20)), "", status);
        }
        fputs("\nTop diagnoses\n", f);
        for (size_t i = 0; i < n && i < 3; i++) {
                char name[64], diag[600];
                utf8_terminal_safe(e[i].series->name, name, sizeof name);
                utf8_terminal_safe(e[i].report.verdict.diagnosis, diag, sizeof diag);
                fprintf(f, "  %d. PID %d (%s): %s\n", e[i].rank, e[i].series->pid, name, diag);
                for (size_t w = 0; w < e[i].report.n_warnings; w++)
                        fprintf(f, "     ! %s\n", e[i].report.warnings[w]);
        }
        return finish(f, &buf);
}
