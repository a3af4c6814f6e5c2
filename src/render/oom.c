/* SPDX-License-Identifier: MIT */
#include "render/oom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/kmsg-lines.h"
#include "analyze/oom.h"
#include "render/json-util.h"
#include "util/utf8.h"

static json_t *str_or_null(const char *s)
{
        return s && *s ? jstr(s) : json_null();
}

static json_t *u64_or_null(uint64_t v)
{
        return has_u64(v) ? juint(v) : json_null();
}

/* The memcg the original reported: the victim's own, else the limited one. */
static const char *event_memcg(const OomEvent *ev)
{
        return ev->task_memcg[0] ? ev->task_memcg : ev->oom_memcg;
}

static json_t *event_json(const OomEvent *ev, uint64_t realtime_usec)
{
        json_t *o = json_object();
        char ts[40];

        jset(o, "pid", u64_or_null(ev->pid));
        jset(o, "name", jstr(ev->name));
        jset(o, "uid", u64_or_null(ev->uid));
        jset(o, "total_vm_kb", u64_or_null(ev->total_vm_kb));
        jset(o, "anon_rss_kb", u64_or_null(ev->anon_rss_kb));
        jset(o, "file_rss_kb", u64_or_null(ev->file_rss_kb));
        jset(o, "shmem_rss_kb", u64_or_null(ev->shmem_rss_kb));
        jset(o, "pgtables_kb", u64_or_null(ev->pgtables_kb));
        jset(o, "oom_score_adj", ev->has_oom_score_adj ? json_integer(ev->oom_score_adj) : json_null());
        jset(o, "memcg", str_or_null(event_memcg(ev)));
        jset(o, "constraint", str_or_null(ev->constraint));
        jset(o, "oom_memcg", ev->global_oom ? json_null() : str_or_null(ev->oom_memcg));
        jset(o, "task_memcg", str_or_null(ev->task_memcg));
        jset(o, "global_oom", json_boolean(ev->global_oom));
        jset(o, "invoked_by", str_or_null(ev->invoked_by));
        jset(o, "gfp_mask", str_or_null(ev->gfp_mask));
        jset(o, "gfp_flags", str_or_null(ev->gfp_flags));
        jset(o, "order", ev->has_order ? json_integer(ev->order) : json_null());
        jset(o, "memcg_usage_kb", u64_or_null(ev->memcg_usage_kb));
        jset(o, "memcg_limit_kb", u64_or_null(ev->memcg_limit_kb));
        if (has_u64(realtime_usec)) {
                format_iso8601_utc(realtime_usec, ts);
                jset(o, "time", json_string(ts));
        } else {
                jset(o, "time", json_null());
        }
        jset(o, "wall_time", str_or_null(ev->wall_time));
        jset(o, "kernel_time_s", jreal(ev->kernel_time_s, 6));
        jset(o, "pod_uid", str_or_null(ev->k8s.pod_uid));
        jset(o, "container_id", str_or_null(ev->k8s.container_id));
        const char *qos = k8s_qos_name(ev->k8s.qos);
        jset(o, "qos_class", qos ? json_string(qos) : json_null());
        jset(o, "kill_prefix", str_or_null(ev->kill_prefix));
        jset(o, "reaped", ev->reap == OOM_REAP_DONE ? json_true()
                          : ev->reap == OOM_REAP_FAILED ? json_false() : json_null());
        json_t *top = json_array();
        for (size_t i = 0; i < ev->n_top; i++) {
                json_t *h = json_object();
                jset(h, "pid", u64_or_null(ev->top[i].pid));
                jset(h, "uid", u64_or_null(ev->top[i].uid));
                jset(h, "rss_pages", u64_or_null(ev->top[i].rss_pages));
                jset(h, "name", jstr(ev->top[i].name));
                json_array_append_new(top, h);
        }
        jset(o, "top_memory_holders", top);
        jset(o, "raw_line", jstr(ev->raw_line));
        jset(o, "source", json_string(log_format_name(ev->source_format)));
        return o;
}

char *render_oom_event_json(const OomEvent *ev, uint64_t realtime_usec)
{
        json_object_seed(1);
        json_t *o = event_json(ev, realtime_usec);
        char *s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(15));
        json_decref(o);
        return s;
}

/* Most frequent victim name (first seen wins ties), and counts per memcg. */
static const char *most_killed(const OomSummary *s, size_t *ret_count)
{
        const char *best = NULL;
        size_t best_n = 0;
        for (size_t i = 0; i < s->n; i++) {
                size_t c = 0;
                for (size_t k = 0; k < s->n; k++)
                        c += strcmp(s->events[i].name, s->events[k].name) == 0;
                if (c > best_n) {
                        best_n = c;
                        best = s->events[i].name;
                }
        }
        *ret_count = best_n;
        return best;
}

char *render_oom_json(const OomSummary *s, oom_time_fn time_of, void *ud, bool pretty)
{
        json_object_seed(1);
        json_t *root = json_object();
        size_t most_n;
        const char *most = most_killed(s, &most_n);

        jset(root, "total_events", json_integer((json_int_t)s->n));
        jset(root, "most_killed_process", most ? jstr(most) : json_null());
        jset(root, "most_killed_count", json_integer((json_int_t)most_n));
        json_t *errs = json_array();
        for (size_t i = 0; i < s->n_source_errors; i++)
                json_array_append_new(errs, jstr(s->source_errors[i]));
        jset(root, "source_errors", errs);
        json_t *src = json_array();
        for (size_t i = 0; i < s->n_sources; i++)
                json_array_append_new(src, jstr(s->sources[i]));
        jset(root, "sources", src);
        json_t *counters = json_object();
        jset(counters, "vmstat_oom_kill", u64_or_null(s->vmstat_oom_kill));
        jset(counters, "cgroup_oom_kill", u64_or_null(s->cgroup_oom_kill));
        jset(counters, "cgroup_oom", u64_or_null(s->cgroup_oom));
        jset(root, "counters", counters);
        json_t *by_cg = json_object();
        for (size_t i = 0; i < s->n; i++) {
                const char *cg = event_memcg(&s->events[i]);
                const char *key = cg[0] ? cg : "(none)";
                char safe[OOM_PATH_MAX * 3 + 4];
                utf8_sanitize(key, strlen(key), safe, sizeof safe);
                json_t *c = json_object_get(by_cg, safe);
                jset(by_cg, safe, json_integer(c ? json_integer_value(c) + 1 : 1));
        }
        jset(root, "kills_per_cgroup", by_cg);
        json_t *evs = json_array();
        for (size_t i = 0; i < s->n; i++)
                json_array_append_new(evs, event_json(&s->events[i], time_of(&s->events[i], ud)));
        jset(root, "events", evs);
        char *out = json_dumps(root, JSON_REAL_PRECISION(15) | (pretty ? JSON_INDENT(2) : JSON_COMPACT));
        json_decref(root);
        return out;
}

static void kb(char *out, size_t cap, uint64_t v)
{
        if (!has_u64(v))
                snprintf(out, cap, "n/a");
        else if (v >= 1024 * 1024)
                snprintf(out, cap, "%.1f GiB", (double)v / 1048576.0);
        else if (v >= 1024)
                snprintf(out, cap, "%.1f MiB", (double)v / 1024.0);
        else
                snprintf(out, cap, "%llu KiB", (unsigned long long)v);
}

static void event_row(FILE *f, const OomEvent *ev, uint64_t realtime_usec)
{
        char when[40], name[200], cg[400], anon[32], limit[32];
        if (has_u64(realtime_usec)) {
                format_iso8601_utc(realtime_usec, when);
                when[19] = '\0';
        } else if (ev->wall_time[0]) {
                utf8_terminal_safe(ev->wall_time, when, sizeof when);
        } else if (!isnan(ev->kernel_time_s)) {
                snprintf(when, sizeof when, "+%.3fs boot", ev->kernel_time_s);
        } else {
                snprintf(when, sizeof when, "n/a");
        }
        utf8_terminal_safe(ev->name, name, sizeof name);
        utf8_terminal_safe(event_memcg(ev)[0] ? event_memcg(ev) : (ev->global_oom ? "(global)" : "n/a"), cg,
                           sizeof cg);
        kb(anon, sizeof anon, ev->anon_rss_kb);
        kb(limit, sizeof limit, ev->memcg_limit_kb);
        fprintf(f, "  %-19s %8llu %-16s %10s %10s  %s", when, (unsigned long long)(has_u64(ev->pid) ? ev->pid : 0),
                name, anon, limit, cg);
        if (ev->k8s.qos != K8S_QOS_NONE)
                fprintf(f, "  pod %s", ev->k8s.pod_uid);
        fputc('\n', f);
}

char *render_oom_event_row(const OomEvent *ev, uint64_t realtime_usec)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (!f)
                return NULL;
        event_row(f, ev, realtime_usec);
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        if (len && buf[len - 1] == '\n')
                buf[len - 1] = '\0';
        return buf;
}

char *render_oom_table(const OomSummary *s, oom_time_fn time_of, void *ud, const TableStyle *style)
{
        (void)style;
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (!f)
                return NULL;
        fprintf(f, "OOM kills: %zu", s->n);
        if (has_u64(s->vmstat_oom_kill))
                fprintf(f, "  (kernel counter since boot: %llu)", (unsigned long long)s->vmstat_oom_kill);
        fputc('\n', f);
        if (s->n) {
                fprintf(f, "  %-19s %8s %-16s %10s %10s  %s\n", "TIME (UTC)", "PID", "NAME", "ANON RSS", "LIMIT",
                        "CGROUP");
                for (size_t i = 0; i < s->n; i++)
                        event_row(f, &s->events[i], time_of(&s->events[i], ud));
                size_t most_n;
                const char *most = most_killed(s, &most_n);
                char name[200];
                utf8_terminal_safe(most, name, sizeof name);
                fprintf(f, "Most killed: %s (%zu)\n", name, most_n);
                fputs("Per cgroup:\n", f);
                for (size_t i = 0; i < s->n; i++) {
                        const char *cg = event_memcg(&s->events[i]);
                        bool seen = false;
                        for (size_t k = 0; k < i && !seen; k++)
                                seen = strcmp(event_memcg(&s->events[k]), cg) == 0;
                        if (seen)
                                continue;
                        size_t c = 0;
                        for (size_t k = 0; k < s->n; k++)
                                c += strcmp(event_memcg(&s->events[k]), cg) == 0;
                        char safe[400];
                        utf8_terminal_safe(cg[0] ? cg : "(global)", safe, sizeof safe);
                        fprintf(f, "  %4zu  %s\n", c, safe);
                }
        }
        for (size_t i = 0; i < s->n_source_errors; i++)
                fprintf(f, "! %s\n", s->source_errors[i]);
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        if (len && buf[len - 1] == '\n')
                buf[len - 1] = '\0';
        return buf;
}
