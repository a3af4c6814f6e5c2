/* SPDX-License-Identifier: MIT */
/* Threshold alert rules over a Snapshot, and the sliding-window memory
 * leak detector used across watch ticks. Pure functions over the model:
 * nothing here reads files, the environment or the clock, or logs. */
#include "analyze/alerts.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/human.h"

/* Longest cgroup path shown in a message: the tail is kept, since the
 * container id at the end is what tells pods apart. */
#define PATH_SHOW_MAX 72

void alert_config_defaults(AlertConfig *cfg)
{
        *cfg = (AlertConfig) {
                .cpu_percent = 90.0,
                .memory_percent = 90.0,
                .memory_critical_percent = 95.0,
                .swap_percent = 80.0,
                .cgroup_percent = 90.0,
                .leak_window = 10,
                .leak_growth_percent = 5.0,
                .leak_cooldown_ticks = 10,
        };
}

bool alert_list_add(AlertList *l, const Alert *a)
{
        if (l->n >= ALERTS_MAX)
                return false;
        l->items[l->n++] = *a;
        return true;
}

/* NAN on either side compares false: unknown values never fire, and a
 * NAN threshold disables the rule. */
static bool above(double value, double threshold)
{
        return value > threshold;
}

static Alert *next_alert(AlertList *out, const char *rule, AlertSeverity sev,
                         double value, double threshold)
{
        if (out->n >= ALERTS_MAX)
                return NULL;
        Alert *a = &out->items[out->n++];
        memset(a, 0, sizeof *a);
        snprintf(a->rule, sizeof a->rule, "%s", rule);
        a->severity = sev;
        a->value = value;
        a->threshold = threshold;
        return a;
}

/* The last PATH_SHOW_MAX bytes of path, prefixed with "..." when cut;
 * never starts inside a UTF-8 sequence. */
static void short_path(const char *path, size_t path_size, char *buf, size_t size)
{
        size_t len = strnlen(path, path_size);
        if (len <= PATH_SHOW_MAX) {
                snprintf(buf, size, "%.*s", (int)len, path);
                return;
        }
        const char *end = path + len, *tail = end - (PATH_SHOW_MAX - 3);
        while (tail < end && ((unsigned char)*tail & 0xc0) == 0x80)
                tail++;
        snprintf(buf, size, "...%.*s", (int)(end - tail), tail);
}

void alerts_evaluate(const AlertConfig *cfg, const Snapshot *snap, AlertList *out)
{
        const MemoryInfo *m = &snap->memory;
        Alert *a;

        memset(out, 0, sizeof *out);

        if (above(snap->cpu.percent, cfg->cpu_percent)) {
                a = next_alert(out, "cpu", ALERT_WARNING, snap->cpu.percent, cfg->cpu_percent);
                if (a)
                        snprintf(a->message, sizeof a->message,
                                 "CPU usage %.1f%% is above the %.1f%% threshold",
                                 snap->cpu.percent, cfg->cpu_percent);
        }

        if (above(m->virt.percent, cfg->memory_critical_percent)) {
                a = next_alert(out, "memory_critical", ALERT_CRITICAL, m->virt.percent,
                               cfg->memory_critical_percent);
                if (a)
                        snprintf(a->message, sizeof a->message,
                                 "Memory usage %.1f%% is above the %.1f%% critical threshold",
                                 m->virt.percent, cfg->memory_critical_percent);
        } else if (above(m->virt.percent, cfg->memory_percent)) {
                a = next_alert(out, "memory", ALERT_WARNING, m->virt.percent, cfg->memory_percent);
                if (a)
                        snprintf(a->message, sizeof a->message,
                                 "Memory usage %.1f%% is above the %.1f%% threshold",
                                 m->virt.percent, cfg->memory_percent);
        }

        /* Without swap, psutil reports 0%; it cannot be "above" anything
         * meaningful, so the rule is skipped rather than trusted. */
        if (has_u64(m->swap.total) && m->swap.total > 0 &&
            above(m->swap.percent, cfg->swap_percent)) {
                a = next_alert(out, "swap", ALERT_WARNING, m->swap.percent, cfg->swap_percent);
                if (a)
                        snprintf(a->message, sizeof a->message,
                                 "Swap usage %.1f%% is above the %.1f%% threshold",
                                 m->swap.percent, cfg->swap_percent);
        }

        const CgroupMemory *cg = &m->cgroup;
        if (cg->version != 0 && has_u64(cg->limit) && cg->limit > 0 &&
            above(cg->percent, cfg->cgroup_percent)) {
                a = next_alert(out, "cgroup_memory", ALERT_WARNING, cg->percent, cfg->cgroup_percent);
                if (a) {
                        char limit[HUMAN_BYTES_MAX], path[PATH_SHOW_MAX + 1];
                        human_bytes(cg->limit, limit);
                        if (cg->path[0])
                                short_path(cg->path, sizeof cg->path, path, sizeof path);
                        else
                                snprintf(path, sizeof path, "/");
                        snprintf(a->message, sizeof a->message,
                                 "Container memory usage %.1f%% of the %s cgroup limit is above the %.1f%% threshold (cgroup %s)",
                                 cg->percent, limit, cfg->cgroup_percent, path);
                }
        }
}

uint64_t alerts_memory_used_bytes(const MemoryInfo *m)
{
        const VirtualMemory *v = &m->virt;
        if (!m->has_meminfo || !has_u64(v->total) || v->total == 0 || !has_u64(v->available))
                return U64_ABSENT;
        return v->total > v->available ? v->total - v->available : 0;
}

/* ---- leak detector ------------------------------------------------------ */

void leak_detector_init(LeakDetector *d, const char *rule, const char *subject)
{
        memset(d, 0, sizeof *d);
        snprintf(d->rule, sizeof d->rule, "%s", rule ? rule : "memory_leak");
        snprintf(d->subject, sizeof d->subject, "%s", subject ? subject : "Memory");
}

static unsigned clamp_window(unsigned w)
{
        if (w < LEAK_WINDOW_MIN)
                return LEAK_WINDOW_MIN;
        if (w > LEAK_WINDOW_MAX)
                return LEAK_WINDOW_MAX;
        return w;
}

/* i-th sample in time order, 0 = oldest. */
static uint64_t sample_at(const LeakDetector *d, unsigned i)
{
        return d->samples[(d->start + i) % d->window];
}

static void add_sample(LeakDetector *d, uint64_t v)
{
        if (d->n < d->window) {
                d->samples[(d->start + d->n) % d->window] = v;
                d->n++;
        } else {
                d->samples[d->start] = v;
                d->start = (d->start + 1) % d->window;
        }
}

/* Ordinary least squares slope of the samples against their index, in
 * bytes per sample. With x = 0..n-1 centred on its mean, sum(x) = 0, so
 * the slope is sum(x * y) / sum(x * x) and y needs no centring; taking
 * y relative to the first sample keeps the doubles small and exact. */
static double ols_slope(const LeakDetector *d)
{
        double n = d->n, xm = (n - 1.0) / 2.0, sxy = 0.0, sxx = 0.0;
        double first = (double)sample_at(d, 0);

        for (unsigned i = 0; i < d->n; i++) {
                double x = (double)i - xm;
                sxy += x * ((double)sample_at(d, i) - first);
                sxx += x * x;
        }
        return sxx > 0.0 ? sxy / sxx : 0.0;
}

bool leak_detector_push(LeakDetector *d, const AlertConfig *cfg, uint64_t used_bytes, Alert *ret)
{
        if (!has_u64(used_bytes))
                return false;

        unsigned w = clamp_window(cfg->leak_window);
        if (w != d->window) {
                d->window = w;
                d->start = d->n = d->cooldown_left = 0;
        }
        add_sample(d, used_bytes);

        if (d->cooldown_left > 0) {
                d->cooldown_left--;
                return false;
        }
        if (d->n < d->window)
                return false;

        uint64_t first = sample_at(d, 0), last = sample_at(d, d->n - 1);
        if (first == 0 || last <= first)
                return false;

        unsigned steps = d->n - 1, inc = 0;
        for (unsigned i = 1; i < d->n; i++)
                if (sample_at(d, i) > sample_at(d, i - 1))
                        inc++;
        /* "at least 60% of the steps go up", in integers: inc/steps >= 3/5 */
        if ((uint64_t)inc * 5 < (uint64_t)steps * 3)
                return false;

        /* Multiply first so that whole-percent growth is exact (5% of
         * 1000000 is 5.0, not 5.000000000000001). */
        double growth = (double)(last - first) * 100.0 / (double)first;
        if (!(growth >= cfg->leak_growth_percent))
                return false;

        double slope = ols_slope(d);
        if (!(slope > 0.0))
                return false;

        d->growth_percent = growth;
        d->slope_bytes = slope;
        d->slope_percent = slope / (double)first * 100.0;
        d->increases = inc;
        d->cooldown_left = cfg->leak_cooldown_ticks;

        char rate[HUMAN_BYTES_MAX];
        human_bytes((uint64_t)llround(slope), rate);
        memset(ret, 0, sizeof *ret);
        snprintf(ret->rule, sizeof ret->rule, "%s", d->rule);
        ret->severity = ALERT_WARNING;
        ret->value = growth;
        ret->threshold = cfg->leak_growth_percent;
        snprintf(ret->message, sizeof ret->message,
                 "%s grew %.1f%% over the last %u samples (%u of %u steps up), "
                 "threshold %.1f%%; trend +%.2f%%/sample (+%s/sample), possible leak",
                 d->subject, growth, d->n, inc, steps, cfg->leak_growth_percent,
                 d->slope_percent, rate);
        return true;
}
