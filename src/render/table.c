/* SPDX-License-Identifier: MIT */
#include "render/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/human.h"
#include "util/utf8.h"


/* Terminal columns of valid UTF-8 text, counting one per code point (no
 * East Asian double width: good enough to keep ASCII-and-accents aligned). */
static size_t text_columns(const char *s)
{
        size_t n = 0;
        for (; *s; s++)
                n += ((unsigned char)*s & 0xc0) != 0x80;
        return n;
}

/* Prints text left-aligned in a column of width code points. */
static void put_padded(FILE *f, const char *text, size_t width)
{
        fputs(text, f);
        for (size_t n = text_columns(text); n < width; n++)
                fputc(' ', f);
}

static const char *bytes_or_na(uint64_t v, char buf[HUMAN_BYTES_MAX])
{
        if (!has_u64(v))
                return "n/a";
        human_bytes(v, buf);
        return buf;
}

typedef struct Out {
        FILE *f;
        bool color;   /* ANSI colours: a terminal and NO_COLOR unset */
        bool unicode; /* block characters for bars */
} Out;

#define SGR_RESET "\033[0m"
#define SGR_BOLD "\033[1m"

static const char *level_color(double v)
{
        return v >= 90.0 ? "\033[31m" : v >= 70.0 ? "\033[33m" : "\033[32m";
}

/* A percentage, coloured by how close it is to full. */
static void pct(const Out *o, double v)
{
        if (!has_dbl(v)) {
                fputs("n/a", o->f);
                return;
        }
        if (o->color)
                fprintf(o->f, "%s%.1f%%" SGR_RESET, level_color(v), v);
        else
                fprintf(o->f, "%.1f%%", v);
}

/* A 20-cell bar for a percentage: [#######.............] */
static void bar(const Out *o, double v)
{
        if (!has_dbl(v))
                return;
        int filled = (int)(v / 5.0 + 0.5);
        if (filled < 0)
                filled = 0;
        if (filled > 20)
                filled = 20;
        fputs(" [", o->f);
        if (o->color)
                fputs(level_color(v), o->f);
        for (int i = 0; i < 20; i++)
                fputs(i < filled ? (o->unicode ? "\u2588" : "#") : (o->unicode ? "\u2591" : "."), o->f);
        if (o->color)
                fputs(SGR_RESET, o->f);
        fputc(']', o->f);
}

/* Section label, padded to the first column. */
static void label(const Out *o, const char *name)
{
        if (o->color)
                fprintf(o->f, SGR_BOLD "%-10s" SGR_RESET, name);
        else
                fprintf(o->f, "%-10s", name);
}

static void psi_brief(FILE *f, const char *name, const Psi *p)
{
        if (!p->has_some)
                return;
        fprintf(f, "  %s some %.2f/%.2f/%.2f", name, p->some.avg10, p->some.avg60, p->some.avg300);
        if (p->has_full)
                fprintf(f, " full %.2f/%.2f/%.2f", p->full.avg10, p->full.avg60, p->full.avg300);
}

static void section_system(const Out *o, const Snapshot *snap)
{
        FILE *f = o->f;
        const SystemInfo *s = &snap->system;
        char ts[40], host[256], up[HUMAN_DURATION_MAX] = "n/a";
        format_iso8601_utc(snap->timestamp_usec, ts);
        utf8_terminal_safe(snap->include_hostname ? s->hostname : "(hidden)", host, sizeof host);
        if (has_dbl(s->uptime_seconds))
                human_duration((uint64_t)s->uptime_seconds, up);
        fprintf(f, "30secs snapshot at %.19sZ\n", ts);
        label(o, "System");
        fprintf(f, " %s  %s %s %s  up %s  users %zu\n", host, s->os_type, s->release,
                s->machine, up, s->n_users);
}

static void section_cpu(const Out *o, const CpuInfo *c)
{
        FILE *f = o->f;
        label(o, "CPU");
        fputc(' ', f);
        pct(o, c->percent);
        fputs(" busy", f);
        bar(o, c->percent);
        fprintf(f, "  %u logical", c->count_logical);
        if (c->count_physical)
                fprintf(f, " / %u physical", c->count_physical);
        if (has_dbl(c->freq_current_mhz))
                fprintf(f, "  %.0f MHz", c->freq_current_mhz);
        if (has_dbl(c->load1))
                fprintf(f, "  load %.2f %.2f %.2f", c->load1, c->load5, c->load15);
        fputc('\n', f);
        if (c->n_cores) {
                fprintf(f, "%-10s", "");
                for (size_t i = 0; i < c->n_cores; i++) {
                        fprintf(f, " cpu%zu ", i);
                        pct(o, c->percent_per_core[i]);
                        if (i % 8 == 7 && i + 1 < c->n_cores)
                                fprintf(f, "\n%-10s", "");
                }
                fputc('\n', f);
        }
}

static void section_memory(const Out *o, const MemoryInfo *m)
{
        FILE *f = o->f;
        char a[HUMAN_BYTES_MAX], b[HUMAN_BYTES_MAX], c[HUMAN_BYTES_MAX];
        if (!m->has_meminfo) {
                label(o, "Memory");
                fputs(" n/a\n", f);
        } else {
                label(o, "Memory");
        fputc(' ', f);
                pct(o, m->virt.percent);
                fputs(" used", f);
                bar(o, m->virt.percent);
                fprintf(f, "  %s of %s  available %s\n", bytes_or_na(m->virt.used, a),
                        bytes_or_na(m->virt.total, b), bytes_or_na(m->virt.available, c));
                label(o, "Swap");
        fputc(' ', f);
                if (m->swap.total) {
                        pct(o, m->swap.percent);
                        fprintf(f, " used  %s of %s\n", bytes_or_na(m->swap.used, a),
                                bytes_or_na(m->swap.total, b));
                } else {
                        fputs("none\n", f);
                }
        }
        const CgroupMemory *cg = &m->cgroup;
        if (cg->version) {
                char path[300];
                utf8_terminal_safe(cg->path, path, sizeof path);
                label(o, "Cgroup");
                fprintf(f, " v%d %s  usage %s  limit %s", cg->version, path,
                        bytes_or_na(cg->usage, a), has_u64(cg->limit) ? bytes_or_na(cg->limit, b) : "none");
                if (has_dbl(cg->percent)) {
                        fputs(" (", f);
                        pct(o, cg->percent);
                        fputs(" of limit)", f);
                }
                if (has_u64(cg->ev_oom_kill))
                        fprintf(f, "  oom kills %llu", (unsigned long long)cg->ev_oom_kill);
                fputc('\n', f);
        }
        if (m->pressure.has_some || cg->pressure.has_some) {
                label(o, "Pressure");
                fputs(" avg10/60/300:", f);
                psi_brief(f, "memory", &m->pressure);
                psi_brief(f, "cgroup", &cg->pressure);
                fputc('\n', f);
        }
}

static void section_disk(const Out *o, const DiskInfo *d)
{
        FILE *f = o->f;
        char a[HUMAN_BYTES_MAX], b[HUMAN_BYTES_MAX];
        size_t wmount = 10, wdev = 6;
        char text[512];

        for (size_t i = 0; i < d->n_partitions; i++) {
                utf8_terminal_safe(d->partitions[i].mountpoint ? d->partitions[i].mountpoint : "", text, sizeof text);
                if (text_columns(text) > wmount)
                        wmount = text_columns(text) > 40 ? 40 : text_columns(text);
                utf8_terminal_safe(d->partitions[i].device ? d->partitions[i].device : "", text, sizeof text);
                if (text_columns(text) > wdev)
                        wdev = text_columns(text) > 30 ? 30 : text_columns(text);
        }
        label(o, "Disk");
        if (d->has_io)
                fprintf(f, " read %s  written %s", bytes_or_na(d->io.read_bytes, a),
                        bytes_or_na(d->io.write_bytes, b));
        if (d->pressure.has_some)
                fprintf(f, "  io pressure some %.2f", d->pressure.some.avg10);
        fputc('\n', f);
        for (size_t i = 0; i < d->n_partitions; i++) {
                const DiskPartition *p = &d->partitions[i];
                char mnt[512], dev[512], fst[64];
                utf8_terminal_safe(p->mountpoint ? p->mountpoint : "", mnt, sizeof mnt);
                utf8_terminal_safe(p->device ? p->device : "", dev, sizeof dev);
                utf8_terminal_safe(p->fstype, fst, sizeof fst);
                fputs("  ", f);
                put_padded(f, mnt, wmount);
                fputc(' ', f);
                put_padded(f, dev, wdev);
                fputc(' ', f);
                put_padded(f, fst, 6);
                fputc(' ', f);
                if (p->has_usage) {
                        fprintf(f, "%9s / %-9s ", bytes_or_na(p->used, a), bytes_or_na(p->total, b));
                        pct(o, p->percent);
                } else {
                        fputs("usage n/a", f);
                }
                fputc('\n', f);
        }
}

static void section_network(const Out *o, const NetInfo *n)
{
        FILE *f = o->f;
        char a[HUMAN_BYTES_MAX], b[HUMAN_BYTES_MAX];
        label(o, "Network");
        if (n->has_io)
                fprintf(f, " sent %s  received %s", bytes_or_na(n->io.bytes_sent, a),
                        bytes_or_na(n->io.bytes_recv, b));
        if (n->connections.available) {
                fputs("  tcp:", f);
                bool any = false;
                for (int st = 1; st < _TCP_STATE_MAX; st++)
                        if (n->connections.tcp[st] && tcp_state_to_string(st)) {
                                fprintf(f, " %s %llu", tcp_state_to_string(st),
                                        (unsigned long long)n->connections.tcp[st]);
                                any = true;
                        }
                if (!any)
                        fputs(" none", f);
                fprintf(f, "  udp %llu", (unsigned long long)n->connections.udp);
        }
        fputc('\n', f);
        for (size_t i = 0; i < n->n_interfaces; i++) {
                const NetInterface *nif = &n->interfaces[i];
                char name[128];
                utf8_terminal_safe(nif->name, name, sizeof name);
                fputs("  ", f);
                put_padded(f, name, 16);
                fprintf(f, " %-4s", nif->is_up ? "up" : "down");
                if (nif->has_counters)
                        fprintf(f, " sent %9s  recv %9s", bytes_or_na(nif->io.bytes_sent, a),
                                bytes_or_na(nif->io.bytes_recv, b));
                for (size_t k = 0; k < nif->n_addresses; k++)
                        if (strcmp(nif->addresses[k].family, "AF_PACKET") != 0)
                                fprintf(f, "  %s", nif->addresses[k].address);
                fputc('\n', f);
        }
}

static void process_rows(const Out *o, const char *title, const ProcessSummary *rows, size_t n)
{
        FILE *f = o->f;
        char a[HUMAN_BYTES_MAX];
        size_t wuser = 4;
        for (size_t i = 0; i < n; i++) {
                size_t l = strlen(rows[i].username);
                if (l > wuser)
                        wuser = l > 16 ? 16 : l;
        }
        fprintf(f, "  %s\n  %7s %-*s %6s %6s %9s %-12s %s\n", title, "PID", (int)wuser, "USER", "CPU%",
                "MEM%", "RSS", "STATE", "NAME");
        for (size_t i = 0; i < n; i++) {
                const ProcessSummary *p = &rows[i];
                char name[1024], user[128];
                utf8_terminal_safe(p->name, name, sizeof name);
                utf8_terminal_safe(p->has_uid ? p->username : "n/a", user, sizeof user);
                fprintf(f, "  %7d %-*.*s %6.1f %6.1f %9s %-12s %s\n", p->pid, (int)wuser, (int)wuser, user,
                        p->cpu_percent, has_dbl(p->memory_percent) ? p->memory_percent : 0.0,
                        bytes_or_na(p->rss_bytes, a), proc_state_to_string(p->state), name);
        }
}

static void section_processes(const Out *o, const ProcessInfo *p)
{
        FILE *f = o->f;
        label(o, "Processes");
        fprintf(f, " %zu total", p->total);
        for (int s = 0; s < _PROC_STATE_MAX; s++)
                if (p->status_counts[s])
                        fprintf(f, ", %llu %s", (unsigned long long)p->status_counts[s],
                                proc_state_to_string((ProcState)s));
        fprintf(f, "  threads %llu\n", (unsigned long long)p->threads_total);
        process_rows(o, "Top by CPU", p->top_by_cpu, p->n_top_by_cpu);
        process_rows(o, "Top by memory", p->top_by_memory, p->n_top_by_memory);
}

static void section_alerts(const Out *o, const Snapshot *snap)
{
        if (!snap->alerts_evaluated)
                return;
        label(o, "Alerts");
        if (snap->alerts.n == 0) {
                fputs(" none\n", o->f);
                return;
        }
        fputc('\n', o->f);
        for (size_t i = 0; i < snap->alerts.n; i++) {
                const Alert *a = &snap->alerts.items[i];
                char msg[400];
                utf8_terminal_safe(a->message, msg, sizeof msg);
                if (o->color)
                        fprintf(o->f, "  %s%-8s" SGR_RESET " %s\n",
                                a->severity == ALERT_CRITICAL ? "\033[1;31m" : "\033[33m",
                                alert_severity_to_string(a->severity), msg);
                else
                        fprintf(o->f, "  %-8s %s\n", alert_severity_to_string(a->severity), msg);
        }
}

char *render_table_snapshot(const Snapshot *snap, const TableStyle *style)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (!f)
                return NULL;
        Out o = { .f = f, .color = style && style->color, .unicode = style && style->unicode };

        section_system(&o, snap);
        section_cpu(&o, &snap->cpu);
        section_memory(&o, &snap->memory);
        if (snap->status[COLLECTOR_DISK].enabled)
                section_disk(&o, &snap->disk);
        if (snap->status[COLLECTOR_NETWORK].enabled)
                section_network(&o, &snap->net);
        if (snap->status[COLLECTOR_PROCESSES].enabled)
                section_processes(&o, &snap->processes);
        section_alerts(&o, snap);
        for (int id = 0; id < _COLLECTOR_MAX; id++)
                if (snap->status[id].error) {
                        char msg[400];
                        utf8_terminal_safe(snap->status[id].message, msg, sizeof msg);
                        fprintf(f, "! %s collector failed: %s\n", collector_id_to_string((CollectorId)id), msg);
                }
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        /* Drop the final newline: the caller writes one per record. */
        if (len && buf[len - 1] == '\n')
                buf[len - 1] = '\0';
        return buf;
}
