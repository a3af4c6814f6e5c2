/* SPDX-License-Identifier: MIT */
/* render/prometheus: the metric catalogue, docs/metrics.md against it, and
 * expositions of hand-built Snapshots (hostile names included) checked line
 * by line and with a small validator of the 0.0.4 text format: one HELP and
 * one TYPE per family, samples contiguous, no repeated series, label names
 * as the catalogue says, label values escaped and valid UTF-8, final LF. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/snapshot.h"
#include "render/prometheus.h"
#include "util/fileio.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* ---- helpers ------------------------------------------------------------ */

static const PromMetric *catalogue_find(const char *name, size_t len)
{
        for (size_t i = 0; i < prom_metric_catalogue_len; i++) {
                const PromMetric *m = &prom_metric_catalogue[i];
                if (strlen(m->name) == len && memcmp(m->name, name, len) == 0)
                        return m;
        }
        return NULL;
}

/* True if text contains line as a whole line. */
static bool has_line(const char *text, const char *line)
{
        size_t n = strlen(line);
        for (const char *p = text; (p = strstr(p, line)); p++)
                if ((p == text || p[-1] == '\n') && p[n] == '\n')
                        return true;
        return false;
}

#define assert_line(text, line)                                                     \
        do {                                                                        \
                if (!has_line((text), (line)))                                      \
                        fail_msg("missing line: %s\n--- output ---\n%s", (line), (text)); \
        } while (0)

#define assert_no_line(text, line)                                                  \
        do {                                                                        \
                if (has_line((text), (line)))                                       \
                        fail_msg("unexpected line: %s", (line));                    \
        } while (0)

static bool contains(const char *text, const char *s)
{
        return strstr(text, s) != NULL;
}

/* Checks one label set "{k="v",...}" starting at *p; stores the label
 * names, comma-separated, in names. Returns an error text or NULL. */
static const char *check_labels(const char **p, char *names, size_t cap)
{
        const char *s = *p;
        size_t nl = 0;
        names[0] = '\0';
        if (*s != '{')
                return NULL;
        s++;
        for (;;) {
                const char *n0 = s;
                if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
                        return "bad label name";
                while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' ||
                       (*s >= '0' && *s <= '9'))
                        s++;
                size_t len = (size_t)(s - n0);
                if (nl + len + 2 > cap)
                        return "too many labels";
                if (nl)
                        names[nl++] = ',';
                memcpy(names + nl, n0, len);
                nl += len;
                names[nl] = '\0';
                if (s[0] != '=' || s[1] != '"')
                        return "expected =\"";
                s += 2;
                const char *v0 = s;
                while (*s != '"') {
                        if (*s == '\0' || *s == '\n')
                                return "unterminated label value";
                        if (*s == '\\') {
                                if (s[1] != '\\' && s[1] != '"' && s[1] != 'n')
                                        return "invalid escape";
                                s++;
                        }
                        s++;
                }
                /* The raw value must already be valid UTF-8. */
                size_t vlen = (size_t)(s - v0);
                char *clean = xmalloc(3 * vlen + 4);
                size_t clen = utf8_sanitize(v0, vlen, clean, 3 * vlen + 4);
                bool same = clen == vlen && memcmp(clean, v0, vlen) == 0;
                free(clean);
                if (!same)
                        return "label value is not valid UTF-8";
                s++;
                if (*s == '}') {
                        *p = s + 1;
                        return NULL;
                }
                if (*s != ',')
                        return "expected , or }";
                s++;
        }
}

/* Validates a whole exposition. Returns NULL, or what is wrong and (in
 * *where) the line where it is. */
static const char *check_exposition(const char *text, const char **where)
{
        size_t len = strlen(text);
        *where = text;
        if (len == 0)
                return "empty exposition";
        if (text[len - 1] != '\n')
                return "no final line feed";

        char **families = NULL, **series = NULL;
        size_t n_fam = 0, n_series = 0, samples_in_family = 0;
        const PromMetric *cur = NULL;
        const char *err = NULL;
        const char *line = text;

        while (*line && !err) {
                const char *end = strchr(line, '\n');
                size_t ll = (size_t)(end - line);
                if (ll == 0) {
                        err = "empty line";
                        break;
                }
                if (strncmp(line, "# HELP ", 7) == 0) {
                        const char *name = line + 7;
                        size_t nlen = strcspn(name, " \n");
                        if (cur && samples_in_family == 0) {
                                err = "family without samples";
                                break;
                        }
                        const PromMetric *prev = cur;
                        cur = catalogue_find(name, nlen);
                        if (!cur) {
                                err = "HELP for a name not in the catalogue";
                                break;
                        }
                        /* Families come in catalogue order. */
                        if (prev && cur < prev)
                                err = "family out of catalogue order";
                        for (size_t i = 0; i < n_fam; i++)
                                if (strcmp(families[i], cur->name) == 0)
                                        err = "second HELP for a family (not contiguous)";
                        families = xreallocarray(families, n_fam + 1, sizeof *families);
                        families[n_fam++] = xstrdup(cur->name);
                        /* HELP text: the catalogue's, nothing else. */
                        if (name[nlen] != ' ' || strlen(cur->help) != ll - 8 - nlen ||
                            memcmp(name + nlen + 1, cur->help, ll - 8 - nlen) != 0)
                                err = "HELP text differs from the catalogue";
                        /* TYPE must follow at once. */
                        char type_line[256];
                        snprintf(type_line, sizeof type_line, "# TYPE %s %s\n", cur->name,
                                 prom_type_to_string(cur->type));
                        if (strncmp(end + 1, type_line, strlen(type_line)) != 0)
                                err = "HELP not followed by its TYPE";
                        line = end + 1 + strlen(type_line);
                        samples_in_family = 0;
                        continue;
                }
                if (line[0] == '#') {
                        err = "stray comment or TYPE line";
                        break;
                }
                /* A sample of the current family. */
                size_t nlen = strcspn(line, "{ \n");
                if (!cur || strlen(cur->name) != nlen || memcmp(line, cur->name, nlen) != 0) {
                        err = "sample outside its family";
                        break;
                }
                const char *p = line + nlen;
                char names[256];
                err = check_labels(&p, names, sizeof names);
                if (err)
                        break;
                if (strcmp(names, cur->labels) != 0) {
                        err = "label names differ from the catalogue";
                        break;
                }
                if (*p != ' ') {
                        err = "no space before the value";
                        break;
                }
                char value[64];
                size_t vlen = (size_t)(end - p - 1);
                if (vlen == 0 || vlen >= sizeof value) {
                        err = "bad value length";
                        break;
                }
                memcpy(value, p + 1, vlen);
                value[vlen] = '\0';
                char *vend;
                double v = strtod(value, &vend);
                if (*vend || isnan(v)) {
                        err = "value is not a number";
                        break;
                }
                size_t klen = (size_t)(p - line);
                for (size_t i = 0; i < n_series; i++)
                        if (strlen(series[i]) == klen && memcmp(series[i], line, klen) == 0)
                                err = "duplicate series";
                char *key = xmalloc(klen + 1);
                memcpy(key, line, klen);
                key[klen] = '\0';
                series = xreallocarray(series, n_series + 1, sizeof *series);
                series[n_series++] = key;
                samples_in_family++;
                line = end + 1;
        }
        if (!err && cur && samples_in_family == 0)
                err = "family without samples";
        for (size_t i = 0; i < n_fam; i++)
                free(families[i]);
        for (size_t i = 0; i < n_series; i++)
                free(series[i]);
        free(families);
        free(series);
        *where = line;
        return err;
}

static void validate(const char *text)
{
        const char *where;
        const char *err = check_exposition(text, &where);
        if (err) {
                const char *e = strchr(where, '\n');
                fail_msg("%s at line: %.*s", err, e ? (int)(e - where) : (int)strlen(where), where);
        }
}

/* ---- building snapshots ------------------------------------------------- */

static void enable_all(Snapshot *s)
{
        for (int i = 0; i < _COLLECTOR_MAX; i++)
                s->status[i].enabled = true;
}

static DiskPartition *add_partition(Snapshot *s, const char *dev, const char *fstype, const char *mp)
{
        DiskInfo *d = &s->disk;
        d->partitions = xreallocarray(d->partitions, d->n_partitions + 1, sizeof *d->partitions);
        DiskPartition *p = &d->partitions[d->n_partitions++];
        memset(p, 0, sizeof *p);
        p->device = xstrdup(dev);
        p->mountpoint = xstrdup(mp);
        snprintf(p->fstype, sizeof p->fstype, "%s", fstype);
        p->total = p->used = p->free = U64_ABSENT;
        p->percent = NAN;
        p->inodes_total = p->inodes_free = U64_ABSENT;
        return p;
}

static DiskDevice *add_disk(Snapshot *s, const char *name)
{
        DiskInfo *d = &s->disk;
        d->devices = xreallocarray(d->devices, d->n_devices + 1, sizeof *d->devices);
        DiskDevice *dev = &d->devices[d->n_devices++];
        memset(dev, 0, sizeof *dev);
        snprintf(dev->name, sizeof dev->name, "%s", name);
        return dev;
}

static NetInterface *add_interface(Snapshot *s, const char *name)
{
        NetInfo *n = &s->net;
        n->interfaces = xreallocarray(n->interfaces, n->n_interfaces + 1, sizeof *n->interfaces);
        NetInterface *nif = &n->interfaces[n->n_interfaces++];
        memset(nif, 0, sizeof *nif);
        snprintf(nif->name, sizeof nif->name, "%s", name);
        nif->mtu = -1;
        return nif;
}

/* A machine with a bit of everything, names as hostile as the kernel
 * allows. Values are chosen so that every expected number is exact. */
static void fill_snapshot(Snapshot *s)
{
        snapshot_init(s);
        enable_all(s);
        s->status[COLLECTOR_CPU].duration_usec = 1500;
        s->status[COLLECTOR_DISK].error = -EACCES;
        snprintf(s->system.hostname, sizeof s->system.hostname, "secret-host\"name");
        s->system.boot_time = 1700000000;
        s->system.uptime_seconds = 0.1;

        CpuInfo *c = &s->cpu;
        c->has_times = true;
        c->times = (CpuTimes){ .user = 12345, .nice = 0, .system = 250, .idle = 100000, .iowait = 7,
                               .irq = 1, .softirq = 3, .steal = 0, .guest = 100, .guest_nice = 0 };
        c->percent = 37.5;
        c->n_cores = 3;
        c->percent_per_core = xcalloc(3, sizeof(double));
        c->percent_per_core[0] = 50;
        c->percent_per_core[1] = NAN;
        c->percent_per_core[2] = 25;
        c->count_logical = 3;
        c->count_physical = 0;
        c->freq_current_mhz = 2445.404;
        c->freq_max_mhz = 3000;
        c->load1 = 0.52;
        c->load5 = 0.51;
        c->load15 = 0.22;
        c->ctx_switches = 348303;
        c->pressure.has_some = true;
        c->pressure.some.total_usec = 14172558;

        MemoryInfo *m = &s->memory;
        m->has_meminfo = true;
        uint64_t *mi = m->detail.value;
        mi[MEM_MemTotal] = 8ULL << 30;
        mi[MEM_MemFree] = 1ULL << 30;
        mi[MEM_MemAvailable] = 6ULL << 30;
        mi[MEM_Buffers] = 4096;
        mi[MEM_SUnreclaim] = 18446744073709551614ULL; /* the largest value that is not "absent" */
        mi[MEM_HugePages_Total] = 16;
        mi[MEM_SwapTotal] = 0;
        mi[MEM_SwapFree] = 0;
        mi[MEM_DirectMap4k] = 20971520;
        mi[MEM_DirectMap2M] = 2126512128;
        m->virt = (VirtualMemory){ .total = 8ULL << 30, .available = 6ULL << 30, .used = 1ULL << 30,
                                   .free = 1ULL << 30, .percent = 25.0 };
        m->swap.total = m->swap.used = m->swap.free = 0;
        m->swap.percent = 0;
        m->swap.sout_bytes = 4096;
        m->oom_kill_count = 21;

        CgroupMemory *cg = &m->cgroup;
        cg->version = 2;
        snprintf(cg->path, sizeof cg->path, "/kube\"pods/a\\b\nc");
        cg->usage = 600;
        cg->limit = 1000;
        cg->peak = 700;
        cg->ev_oom = 0;
        cg->ev_oom_kill = 3;
        snprintf(cg->stat[0].key, sizeof cg->stat[0].key, "anon");
        cg->stat[0].value = 400;
        snprintf(cg->stat[1].key, sizeof cg->stat[1].key, "inactive_file");
        cg->stat[1].value = 100;
        cg->n_stat = 2;
        cg->pressure.has_some = cg->pressure.has_full = true;
        cg->pressure.some.total_usec = 1000000;
        cg->pressure.full.total_usec = 500000;

        DiskPartition *p = add_partition(s, "/dev/vda1", "ext4", "/");
        p->has_usage = true;
        p->total = 1000;
        p->used = 400;
        p->free = 500;
        p->percent = 44.4;
        p->inodes_total = 100;
        p->inodes_free = 50;
        add_partition(s, "/dev/sdb1", "ntfs", "C:\\data");
        add_partition(s, "/dev/sdb2", "xfs", "/mnt/\"q\"");
        add_partition(s, "/dev/sdb3", "xfs", "/mnt/a\nb");
        add_partition(s, "/dev/sdb4", "vfat", "/mnt/\xff\xfe bad");
        /* Stacked on "/": the first one is kept. */
        p = add_partition(s, "/dev/sdc1", "ext4", "/");
        p->has_usage = true;
        p->total = p->used = p->free = 1;
        /* Different bytes, the same label value once sanitised. */
        add_partition(s, "/dev/sdb5", "vfat", "/mnt/\xfe\xff bad");

        DiskDevice *dev = add_disk(s, "vda");
        dev->io = (DiskIoCounters){ .read_count = 31874, .write_count = 4189, .read_bytes = 1345004544,
                                    .write_bytes = 307277824, .read_time_ms = 12320,
                                    .write_time_ms = 3561, .busy_time_ms = 5956 };
        dev = add_disk(s, "vda");
        dev->io.read_count = 999;

        NetInterface *nif = add_interface(s, "eth0");
        nif->has_counters = true;
        nif->io = (NetIoCounters){ .bytes_sent = 6000, .bytes_recv = 5000, .packets_sent = 60,
                                   .packets_recv = 50, .errin = 1, .errout = 2, .dropin = 3,
                                   .dropout = 4 };
        nif->is_up = true;
        nif->mtu = 1500;
        nif->speed_mbps = 1000;
        add_interface(s, "lo"); /* down, no counters, no mtu, no speed */
        nif = add_interface(s, "we\"ird\\\xff");
        nif->is_up = true;
        nif->mtu = 9000;
        nif = add_interface(s, "we\"ird\\\xfe");
        nif->mtu = 1;

        NetConnections *nc = &s->net.connections;
        nc->available = true;
        nc->source = "netlink";
        nc->tcp[TCP_STATE_ESTABLISHED] = 2;
        nc->tcp[TCP_STATE_LISTEN] = 3;
        nc->udp = 4;

        ProcessInfo *pi = &s->processes;
        pi->total = 10;
        pi->status_counts[PROC_STATE_RUNNING] = 1;
        pi->status_counts[PROC_STATE_SLEEPING] = 5;
        pi->status_counts[PROC_STATE_ZOMBIE] = 2;
        pi->status_counts[PROC_STATE_TRACING_STOP] = 2;
        pi->threads_total = 42;
        pi->n_top_by_cpu = pi->n_top_by_memory = 1;
        pi->top_by_cpu[0].pid = 4242;
        snprintf(pi->top_by_cpu[0].name, sizeof pi->top_by_cpu[0].name, "evil\"proc");
        pi->top_by_memory[0] = pi->top_by_cpu[0];
}

/* ---- the catalogue ------------------------------------------------------ */

static bool valid_name(const char *s)
{
        if (!*s || (*s >= '0' && *s <= '9'))
                return false;
        for (; *s; s++)
                if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
                      *s == '_'))
                        return false;
        return true;
}

static bool endswith(const char *s, const char *suffix)
{
        size_t a = strlen(s), b = strlen(suffix);
        return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void test_catalogue_rules(void **state)
{
        (void)state;
        assert_true(prom_metric_catalogue_len > 50);
        for (size_t i = 0; i < prom_metric_catalogue_len; i++) {
                const PromMetric *m = &prom_metric_catalogue[i];
                char what[160];
                snprintf(what, sizeof what, "%s", m->name);
                if (strncmp(m->name, "thirtysecs_", 11) != 0 || !valid_name(m->name))
                        fail_msg("bad name %s", what);
                /* promtool: _total on counters, and only there. */
                if ((m->type == PROM_COUNTER) != endswith(m->name, "_total"))
                        fail_msg("_total suffix and type disagree: %s", what);
                /* Reserved suffixes of histograms and summaries. */
                if (endswith(m->name, "_count") || endswith(m->name, "_sum") || endswith(m->name, "_bucket"))
                        fail_msg("reserved suffix: %s", what);
                /* The unit is in the name, in base units. */
                if (m->unit[0]) {
                        char u[32];
                        snprintf(u, sizeof u, "_%s", m->unit);
                        const char *base = m->type == PROM_COUNTER ? "_total" : "";
                        char tail[48];
                        snprintf(tail, sizeof tail, "%s%s", u, base);
                        if (!endswith(m->name, tail))
                                fail_msg("unit %s not the suffix of %s", m->unit, what);
                        if (strcmp(m->unit, "bytes") && strcmp(m->unit, "seconds") && strcmp(m->unit, "ratio") &&
                            strcmp(m->unit, "hertz"))
                                fail_msg("unexpected unit %s in %s", m->unit, what);
                }
                if (contains(m->name, "percent"))
                        fail_msg("percentages are ratios here: %s", what);
                /* Help: one line the HELP escaping does not touch, and that
                 * fits a markdown table cell. */
                if (!m->help[0] || strpbrk(m->help, "\\\n|"))
                        fail_msg("bad help for %s", what);
                /* Labels: valid names, never host. */
                char labels[128];
                snprintf(labels, sizeof labels, "%s", m->labels);
                for (char *save = NULL, *tok = strtok_r(labels, ",", &save); tok;
                     tok = strtok_r(NULL, ",", &save)) {
                        if (!valid_name(tok) || strncmp(tok, "__", 2) == 0)
                                fail_msg("bad label %s in %s", tok, what);
                        if (strcmp(tok, "host") == 0 || strcmp(tok, "hostname") == 0)
                                fail_msg("host label in %s", what);
                }
                for (size_t k = 0; k < i; k++)
                        if (strcmp(prom_metric_catalogue[k].name, m->name) == 0)
                                fail_msg("duplicate name %s", what);
        }
        assert_string_equal(prom_type_to_string(PROM_GAUGE), "gauge");
        assert_string_equal(prom_type_to_string(PROM_COUNTER), "counter");
}

/* Trims spaces and backticks at both ends of [s, e). */
static void cell(const char *s, const char *e, char *out, size_t cap)
{
        while (s < e && (*s == ' ' || *s == '`'))
                s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '`'))
                e--;
        size_t n = (size_t)(e - s) < cap - 1 ? (size_t)(e - s) : cap - 1;
        memcpy(out, s, n);
        out[n] = '\0';
}

/* Labels cell "`a`, `b`" or "—" -> "a,b" or "". */
static void labels_cell(const char *in, char *out, size_t cap)
{
        size_t o = 0;
        if (strcmp(in, "—") == 0 || strcmp(in, "-") == 0) {
                out[0] = '\0';
                return;
        }
        for (const char *p = in; *p && o + 1 < cap; p++)
                if (*p != '`' && *p != ' ')
                        out[o++] = *p;
        out[o] = '\0';
}

static void test_docs_list_the_catalogue(void **state)
{
        (void)state;
        Buf b = { 0 };
        char path[1024];
        snprintf(path, sizeof path, "%s/../../docs/metrics.md", FIXTURES_DIR);
        ssize_t n = read_file_buf_at(AT_FDCWD, path, &b, 1 << 20);
        if (n <= 0)
                fail_msg("cannot read %s", path);
        const char *start = strstr(b.data, "\n## Metrics\n");
        assert_non_null(start);

        bool *documented = xcalloc(prom_metric_catalogue_len, sizeof(bool));
        size_t rows = 0;
        for (const char *line = start; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
                if (strncmp(line, "| `", 3) != 0)
                        continue;
                /* | `name` | type | unit | labels | help | */
                const char *col[7];
                size_t nc = 0;
                const char *end = strchr(line, '\n');
                if (!end)
                        end = line + strlen(line);
                for (const char *p = line; p < end && nc < 7; p++)
                        if (*p == '|')
                                col[nc++] = p;
                if (nc != 6)
                        fail_msg("metrics table row without 5 cells: %.*s", (int)(end - line), line);
                char name[128], type[32], unit[32], labels_raw[128], labels[128], help[512];
                cell(col[0] + 1, col[1], name, sizeof name);
                cell(col[1] + 1, col[2], type, sizeof type);
                cell(col[2] + 1, col[3], unit, sizeof unit);
                cell(col[3] + 1, col[4], labels_raw, sizeof labels_raw);
                cell(col[4] + 1, col[5], help, sizeof help);
                labels_cell(labels_raw, labels, sizeof labels);
                rows++;

                const PromMetric *m = catalogue_find(name, strlen(name));
                if (!m)
                        fail_msg("docs/metrics.md lists %s, which the catalogue does not have", name);
                size_t idx = (size_t)(m - prom_metric_catalogue);
                if (documented[idx])
                        fail_msg("docs/metrics.md lists %s twice", name);
                documented[idx] = true;
                if (strcmp(type, prom_type_to_string(m->type)) != 0)
                        fail_msg("%s: docs say type %s, catalogue %s", name, type,
                                 prom_type_to_string(m->type));
                const char *want_unit = m->unit[0] ? m->unit : "—";
                if (strcmp(unit, want_unit) != 0)
                        fail_msg("%s: docs say unit %s, catalogue %s", name, unit, want_unit);
                if (strcmp(labels, m->labels) != 0)
                        fail_msg("%s: docs say labels '%s', catalogue '%s'", name, labels, m->labels);
                if (!help[0])
                        fail_msg("%s: no help in docs", name);
        }
        for (size_t i = 0; i < prom_metric_catalogue_len; i++)
                if (!documented[i])
                        fail_msg("docs/metrics.md does not document %s", prom_metric_catalogue[i].name);
        assert_int_equal(rows, prom_metric_catalogue_len);
        free(documented);
        buf_free(&b);
}

/* ---- expositions -------------------------------------------------------- */

static void test_empty_snapshot(void **state)
{
        (void)state;
        Snapshot s;
        snapshot_init(&s);
        char *out = render_prometheus_snapshot(&s);
        char want[1024];
        snprintf(want, sizeof want,
                 "# HELP thirtysecs_build_info %s\n"
                 "# TYPE thirtysecs_build_info gauge\n"
                 "thirtysecs_build_info{version=\"%s\"} 1\n",
                 prom_metric_catalogue[0].help, THIRTYSECS_VERSION);
        /* Nothing was collected: no zeros pretending to be data. */
        assert_string_equal(out, want);
        validate(out);
        free(out);
        snapshot_done(&s);
}

static void test_full_snapshot_lines(void **state)
{
        (void)state;
        /* USER_HZ is 100 on every Linux architecture; the expected CPU
         * seconds below rely on it. */
        assert_int_equal(sysconf(_SC_CLK_TCK), 100);
        Snapshot s;
        fill_snapshot(&s);
        char *out = render_prometheus_snapshot(&s);
        validate(out);

        /* Ends with exactly one line feed. */
        size_t len = strlen(out);
        assert_true(len > 2 && out[len - 1] == '\n' && out[len - 2] != '\n');

        /* self */
        assert_line(out, "thirtysecs_scrape_collector_success{collector=\"cpu\"} 1");
        assert_line(out, "thirtysecs_scrape_collector_success{collector=\"disk\"} 0");
        assert_line(out, "thirtysecs_scrape_collector_duration_seconds{collector=\"cpu\"} 0.0015");
        assert_line(out, "thirtysecs_scrape_collector_duration_seconds{collector=\"system\"} 0");

        /* system: no host label, and the hostname nowhere */
        assert_line(out, "thirtysecs_boot_time_seconds 1700000000");
        assert_line(out, "thirtysecs_uptime_seconds 0.1");
        assert_false(contains(out, "secret-host"));
        assert_false(contains(out, "host="));

        /* cpu */
        assert_line(out, "thirtysecs_cpu_seconds_total{mode=\"user\"} 123.45");
        assert_line(out, "thirtysecs_cpu_seconds_total{mode=\"nice\"} 0");
        assert_line(out, "thirtysecs_cpu_seconds_total{mode=\"system\"} 2.5");
        assert_line(out, "thirtysecs_cpu_seconds_total{mode=\"idle\"} 1000");
        assert_line(out, "thirtysecs_cpu_seconds_total{mode=\"iowait\"} 0.07");
        assert_line(out, "thirtysecs_cpu_seconds_total{mode=\"irq\"} 0.01");
        assert_line(out, "thirtysecs_cpu_seconds_total{mode=\"softirq\"} 0.03");
        assert_line(out, "thirtysecs_cpu_seconds_total{mode=\"steal\"} 0");
        assert_line(out, "thirtysecs_cpu_guest_seconds_total{mode=\"user\"} 1");
        assert_line(out, "thirtysecs_cpu_guest_seconds_total{mode=\"nice\"} 0");
        assert_line(out, "thirtysecs_cpu_usage_ratio 0.375");
        assert_line(out, "thirtysecs_cpu_core_usage_ratio{cpu=\"0\"} 0.5");
        assert_false(contains(out, "thirtysecs_cpu_core_usage_ratio{cpu=\"1\"}")); /* NAN */
        assert_line(out, "thirtysecs_cpu_core_usage_ratio{cpu=\"2\"} 0.25");
        assert_line(out, "thirtysecs_cpu_logical_processors 3");
        assert_false(contains(out, "thirtysecs_cpu_physical_cores")); /* 0 = unknown */
        assert_line(out, "thirtysecs_cpu_frequency_hertz 2445404000");
        assert_false(contains(out, "thirtysecs_cpu_frequency_min_hertz"));
        assert_line(out, "thirtysecs_cpu_frequency_max_hertz 3000000000");
        assert_line(out, "thirtysecs_load1 0.52");
        assert_line(out, "thirtysecs_load5 0.51");
        assert_line(out, "thirtysecs_load15 0.22");
        assert_line(out, "thirtysecs_context_switches_total 348303");
        assert_false(contains(out, "thirtysecs_interrupts_total"));
        assert_line(out, "thirtysecs_pressure_cpu_waiting_seconds_total 14.172558");
        assert_false(contains(out, "thirtysecs_pressure_cpu_stalled_seconds_total"));

        /* memory */
        assert_line(out, "thirtysecs_memory_total_bytes 8589934592");
        assert_line(out, "thirtysecs_memory_available_bytes 6442450944");
        assert_line(out, "thirtysecs_memory_used_bytes 1073741824");
        assert_line(out, "thirtysecs_memory_used_ratio 0.25");
        assert_line(out, "thirtysecs_memory_free_bytes 1073741824");
        assert_line(out, "thirtysecs_memory_buffers_bytes 4096");
        assert_line(out, "thirtysecs_memory_slab_unreclaimable_bytes 18446744073709551614");
        assert_false(contains(out, "thirtysecs_memory_cached_bytes")); /* absent key */
        assert_line(out, "thirtysecs_memory_huge_pages_configured 16");
        assert_line(out, "thirtysecs_memory_direct_map_bytes{page_size=\"4k\"} 20971520");
        assert_line(out, "thirtysecs_memory_direct_map_bytes{page_size=\"2M\"} 2126512128");
        assert_false(contains(out, "page_size=\"1G\""));
        assert_line(out, "thirtysecs_swap_total_bytes 0");
        assert_line(out, "thirtysecs_swap_used_bytes 0");
        assert_false(contains(out, "thirtysecs_swap_used_ratio")); /* no swap: no ratio */
        assert_false(contains(out, "thirtysecs_swap_in_bytes_total"));
        assert_line(out, "thirtysecs_swap_out_bytes_total 4096");
        assert_line(out, "thirtysecs_oom_kills_total 21");
        assert_false(contains(out, "thirtysecs_pressure_memory_"));

        /* cgroup: the path escaped, no limit-less ratio */
#define CG "{cgroup=\"/kube\\\"pods/a\\\\b\\nc\"}"
        assert_line(out, "thirtysecs_cgroup_info{cgroup=\"/kube\\\"pods/a\\\\b\\nc\",version=\"2\"} 1");
        assert_line(out, "thirtysecs_cgroup_memory_usage_bytes" CG " 600");
        assert_line(out, "thirtysecs_cgroup_memory_working_set_bytes" CG " 500");
        assert_line(out, "thirtysecs_cgroup_memory_limit_bytes" CG " 1000");
        assert_line(out, "thirtysecs_cgroup_memory_usage_ratio" CG " 0.6");
        assert_false(contains(out, "thirtysecs_cgroup_memory_high_bytes"));
        assert_line(out, "thirtysecs_cgroup_memory_peak_bytes" CG " 700");
        assert_line(out, "thirtysecs_cgroup_memory_oom_events_total" CG " 0");
        assert_line(out, "thirtysecs_cgroup_memory_oom_kills_total" CG " 3");
        assert_false(contains(out, "thirtysecs_cgroup_memory_max_events_total"));
        assert_false(contains(out, "thirtysecs_cgroup_memory_limit_hits_total"));
        assert_line(out, "thirtysecs_cgroup_pressure_memory_waiting_seconds_total" CG " 1");
        assert_line(out, "thirtysecs_cgroup_pressure_memory_stalled_seconds_total" CG " 0.5");
#undef CG

        /* disk I/O: the first "vda" wins */
        assert_line(out, "thirtysecs_disk_reads_completed_total{device=\"vda\"} 31874");
        assert_false(contains(out, " 999\n"));
        assert_line(out, "thirtysecs_disk_read_bytes_total{device=\"vda\"} 1345004544");
        assert_line(out, "thirtysecs_disk_read_time_seconds_total{device=\"vda\"} 12.32");
        assert_line(out, "thirtysecs_disk_write_time_seconds_total{device=\"vda\"} 3.561");
        assert_line(out, "thirtysecs_disk_io_time_seconds_total{device=\"vda\"} 5.956");
        assert_false(contains(out, "thirtysecs_pressure_io_"));

        /* network */
        assert_line(out, "thirtysecs_network_receive_bytes_total{device=\"eth0\"} 5000");
        assert_line(out, "thirtysecs_network_transmit_bytes_total{device=\"eth0\"} 6000");
        assert_line(out, "thirtysecs_network_receive_errors_total{device=\"eth0\"} 1");
        assert_line(out, "thirtysecs_network_transmit_errors_total{device=\"eth0\"} 2");
        assert_line(out, "thirtysecs_network_receive_drops_total{device=\"eth0\"} 3");
        assert_line(out, "thirtysecs_network_transmit_drops_total{device=\"eth0\"} 4");
        assert_line(out, "thirtysecs_network_speed_bytes{device=\"eth0\"} 125000000");
        assert_line(out, "thirtysecs_network_up{device=\"lo\"} 0");
        assert_false(contains(out, "thirtysecs_network_receive_bytes_total{device=\"lo\"}"));
        assert_false(contains(out, "thirtysecs_network_mtu_bytes{device=\"lo\"}"));
        assert_false(contains(out, "thirtysecs_network_speed_bytes{device=\"lo\"}"));
        assert_line(out, "thirtysecs_network_up{device=\"we\\\"ird\\\\\xef\xbf\xbd\"} 1");
        assert_line(out, "thirtysecs_network_mtu_bytes{device=\"we\\\"ird\\\\\xef\xbf\xbd\"} 9000");
        assert_false(contains(out, "thirtysecs_network_mtu_bytes{device=\"we\\\"ird\\\\\xef\xbf\xbd\"} 1\n"));
        assert_line(out, "thirtysecs_tcp_connections{state=\"established\"} 2");
        assert_line(out, "thirtysecs_tcp_connections{state=\"listen\"} 3");
        assert_line(out, "thirtysecs_tcp_connections{state=\"close_wait\"} 0");
        assert_line(out, "thirtysecs_tcp_connections{state=\"new_syn_recv\"} 0");
        assert_line(out, "thirtysecs_udp_sockets 4");

        /* processes: a total that is not called _total, every state, no
         * per-process series */
        assert_line(out, "thirtysecs_processes 10");
        assert_false(contains(out, "thirtysecs_processes_total"));
        assert_line(out, "thirtysecs_processes_state{state=\"R\"} 1");
        assert_line(out, "thirtysecs_processes_state{state=\"S\"} 5");
        assert_line(out, "thirtysecs_processes_state{state=\"Z\"} 2");
        assert_line(out, "thirtysecs_processes_state{state=\"t\"} 2");
        assert_line(out, "thirtysecs_processes_state{state=\"D\"} 0");
        assert_false(contains(out, "state=\"unknown\""));
        assert_line(out, "thirtysecs_processes_threads 42");
        assert_false(contains(out, "evil"));
        assert_false(contains(out, "4242"));
        assert_false(contains(out, "pid="));

        free(out);
        snapshot_done(&s);
}

static void test_hostile_mountpoints_exact_family(void **state)
{
        (void)state;
        Snapshot s;
        fill_snapshot(&s);
        char *out = render_prometheus_snapshot(&s);

        /* One contiguous family: HELP, TYPE, then the five distinct mount
         * points in input order; the stacked "/" (sdc1) and the mount point
         * equal to sdb4's once sanitised (sdb5) are dropped. */
        char want[2048];
        const PromMetric *m = catalogue_find("thirtysecs_filesystem_device_error", 34);
        assert_non_null(m);
        snprintf(want, sizeof want,
                 "\n# HELP thirtysecs_filesystem_device_error %s\n"
                 "# TYPE thirtysecs_filesystem_device_error gauge\n"
                 "thirtysecs_filesystem_device_error{device=\"/dev/vda1\",fstype=\"ext4\",mountpoint=\"/\"} 0\n"
                 "thirtysecs_filesystem_device_error{device=\"/dev/sdb1\",fstype=\"ntfs\",mountpoint=\"C:\\\\data\"} 1\n"
                 "thirtysecs_filesystem_device_error{device=\"/dev/sdb2\",fstype=\"xfs\",mountpoint=\"/mnt/\\\"q\\\"\"} 1\n"
                 "thirtysecs_filesystem_device_error{device=\"/dev/sdb3\",fstype=\"xfs\",mountpoint=\"/mnt/a\\nb\"} 1\n"
                 "thirtysecs_filesystem_device_error{device=\"/dev/sdb4\",fstype=\"vfat\",mountpoint=\"/mnt/\xef\xbf\xbd\xef\xbf\xbd bad\"} 1\n"
                 "# HELP ",
                 m->help);
        if (!contains(out, want))
                fail_msg("device_error family not as expected:\n%s\n--- output ---\n%s", want, out);

        /* Usage only where statvfs worked, with the first "/" (1000 bytes). */
        const char *root = "{device=\"/dev/vda1\",fstype=\"ext4\",mountpoint=\"/\"}";
        char line[256];
        snprintf(line, sizeof line, "thirtysecs_filesystem_size_bytes%s 1000", root);
        assert_line(out, line);
        snprintf(line, sizeof line, "thirtysecs_filesystem_used_bytes%s 400", root);
        assert_line(out, line);
        snprintf(line, sizeof line, "thirtysecs_filesystem_free_bytes%s 600", root);
        assert_line(out, line);
        snprintf(line, sizeof line, "thirtysecs_filesystem_avail_bytes%s 500", root);
        assert_line(out, line);
        snprintf(line, sizeof line, "thirtysecs_filesystem_used_ratio%s 0.4444444444444444", root);
        assert_line(out, line);
        snprintf(line, sizeof line, "thirtysecs_filesystem_files%s 100", root);
        assert_line(out, line);
        snprintf(line, sizeof line, "thirtysecs_filesystem_files_free%s 50", root);
        assert_line(out, line);
        assert_false(contains(out, "sdc1"));
        assert_false(contains(out, "sdb5"));
        assert_false(contains(out, "thirtysecs_filesystem_size_bytes{device=\"/dev/sdb"));
        /* No raw invalid byte, no raw newline inside a label anywhere. */
        assert_false(contains(out, "\xff"));
        assert_false(contains(out, "\xfe"));
        assert_false(contains(out, "a\nb"));
        free(out);
        snapshot_done(&s);
}

static void test_disabled_collectors(void **state)
{
        (void)state;
        Snapshot s;
        fill_snapshot(&s);
        s.status[COLLECTOR_DISK].enabled = false;
        s.status[COLLECTOR_NETWORK].enabled = false;
        s.status[COLLECTOR_PROCESSES].enabled = false;
        char *out = render_prometheus_snapshot(&s);
        validate(out);
        assert_false(contains(out, "thirtysecs_filesystem_"));
        assert_false(contains(out, "thirtysecs_disk_"));
        assert_false(contains(out, "thirtysecs_network_"));
        assert_false(contains(out, "thirtysecs_tcp_"));
        assert_false(contains(out, "thirtysecs_processes"));
        assert_false(contains(out, "collector=\"disk\""));
        assert_false(contains(out, "collector=\"processes\""));
        assert_line(out, "thirtysecs_scrape_collector_success{collector=\"memory\"} 1");
        assert_line(out, "thirtysecs_memory_total_bytes 8589934592");
        free(out);
        snapshot_done(&s);
}

static void test_connection_summary_states(void **state)
{
        (void)state;
        /* quick's cheap summary knows three states: the others must be
         * absent, not a false 0. */
        Snapshot s;
        snapshot_init(&s);
        s.status[COLLECTOR_NETWORK].enabled = true;
        s.net.connections.available = true;
        s.net.connections.source = "summary";
        s.net.connections.tcp[TCP_STATE_ESTABLISHED] = 7;
        s.net.connections.tcp[TCP_STATE_TIME_WAIT] = 8;
        s.net.connections.tcp[TCP_STATE_LISTEN] = 9;
        char *out = render_prometheus_snapshot(&s);
        validate(out);
        assert_line(out, "thirtysecs_tcp_connections{state=\"established\"} 7");
        assert_line(out, "thirtysecs_tcp_connections{state=\"time_wait\"} 8");
        assert_line(out, "thirtysecs_tcp_connections{state=\"listen\"} 9");
        assert_false(contains(out, "state=\"close_wait\""));
        assert_false(contains(out, "state=\"syn_sent\""));
        assert_line(out, "thirtysecs_udp_sockets 0");
        free(out);

        /* Connections unavailable: no TCP family at all. */
        s.net.connections.available = false;
        out = render_prometheus_snapshot(&s);
        assert_false(contains(out, "thirtysecs_tcp_connections"));
        assert_false(contains(out, "thirtysecs_udp_sockets"));
        free(out);
        snapshot_done(&s);
}

static void test_values_and_absence(void **state)
{
        (void)state;
        Snapshot s;
        snapshot_init(&s);
        s.status[COLLECTOR_SYSTEM].enabled = true;
        s.status[COLLECTOR_SYSTEM].duration_usec = 123;
        s.status[COLLECTOR_CPU].enabled = true;
        s.status[COLLECTOR_CPU].error = -ENOENT;
        s.system.uptime_seconds = 1.0 / 3.0;
        s.cpu.load1 = 1e-7;
        s.cpu.load5 = 12345678901234567.0;
        s.cpu.load15 = NAN;
        s.cpu.ctx_switches = 0;
        s.cpu.interrupts = U64_ABSENT;
        s.processes.total = 99; /* processes disabled: ignored */
        char *out = render_prometheus_snapshot(&s);
        validate(out);
        /* Shortest text that reads back as the same double. */
        assert_line(out, "thirtysecs_uptime_seconds 0.3333333333333333");
        assert_line(out, "thirtysecs_load1 1e-07");
        assert_line(out, "thirtysecs_load5 12345678901234568");
        assert_false(contains(out, "thirtysecs_load15"));
        assert_false(contains(out, "NaN"));
        assert_line(out, "thirtysecs_context_switches_total 0");
        assert_false(contains(out, "thirtysecs_interrupts_total"));
        assert_false(contains(out, "18446744073709551615"));
        assert_line(out, "thirtysecs_scrape_collector_success{collector=\"cpu\"} 0");
        assert_line(out, "thirtysecs_scrape_collector_duration_seconds{collector=\"system\"} 0.000123");
        assert_false(contains(out, "thirtysecs_processes"));
        /* A memory cgroup of version 0 (none found) exports nothing. */
        assert_false(contains(out, "thirtysecs_cgroup_"));
        free(out);
        snapshot_done(&s);
}

static void test_unknown_process_state_and_v1_cgroup(void **state)
{
        (void)state;
        Snapshot s;
        snapshot_init(&s);
        s.status[COLLECTOR_PROCESSES].enabled = true;
        s.processes.total = 1;
        s.processes.status_counts[PROC_STATE_UNKNOWN] = 1;
        CgroupMemory *cg = &s.memory.cgroup;
        cg->version = 1;
        snprintf(cg->path, sizeof cg->path, "/");
        cg->usage = 5000;
        cg->limit = U64_ABSENT; /* unlimited */
        cg->v1_failcnt = 2;
        cg->v1_under_oom = 0;
        cg->v1_oom_kill_disable = 1;
        snprintf(cg->stat[0].key, sizeof cg->stat[0].key, "inactive_file");
        cg->stat[0].value = 1;
        snprintf(cg->stat[1].key, sizeof cg->stat[1].key, "total_inactive_file");
        cg->stat[1].value = 6000; /* above usage: clamps to 0 */
        cg->n_stat = 2;
        char *out = render_prometheus_snapshot(&s);
        validate(out);
        assert_line(out, "thirtysecs_processes_state{state=\"unknown\"} 1");
        assert_line(out, "thirtysecs_cgroup_info{cgroup=\"/\",version=\"1\"} 1");
        assert_line(out, "thirtysecs_cgroup_memory_usage_bytes{cgroup=\"/\"} 5000");
        assert_line(out, "thirtysecs_cgroup_memory_working_set_bytes{cgroup=\"/\"} 0");
        assert_false(contains(out, "thirtysecs_cgroup_memory_limit_bytes"));
        assert_false(contains(out, "thirtysecs_cgroup_memory_usage_ratio"));
        assert_line(out, "thirtysecs_cgroup_memory_limit_hits_total{cgroup=\"/\"} 2");
        assert_line(out, "thirtysecs_cgroup_memory_under_oom{cgroup=\"/\"} 0");
        assert_line(out, "thirtysecs_cgroup_memory_oom_kill_disabled{cgroup=\"/\"} 1");
        free(out);
        snapshot_done(&s);
}

static void test_many_series_no_duplicates(void **state)
{
        (void)state;
        /* Enough interfaces to grow the series set several times, plus a
         * second copy of each name: every name once, first values kept. */
        Snapshot s;
        snapshot_init(&s);
        s.status[COLLECTOR_NETWORK].enabled = true;
        for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 300; i++) {
                        char name[32];
                        snprintf(name, sizeof name, "veth%d", i);
                        NetInterface *nif = add_interface(&s, name);
                        nif->mtu = round == 0 ? 1500 : 1;
                }
        }
        char *out = render_prometheus_snapshot(&s);
        validate(out);
        assert_line(out, "thirtysecs_network_mtu_bytes{device=\"veth0\"} 1500");
        assert_line(out, "thirtysecs_network_mtu_bytes{device=\"veth299\"} 1500");
        size_t lines = 0;
        for (const char *p = out; (p = strstr(p, "thirtysecs_network_mtu_bytes{")); p++)
                lines++;
        assert_int_equal(lines, 300);
        free(out);
        snapshot_done(&s);
}

static void test_validator_rejects(void **state)
{
        (void)state;
        /* The checker must be able to fail: each input breaks one rule. */
        const char *h = "# HELP thirtysecs_load1 1-minute load average (/proc/loadavg).\n"
                        "# TYPE thirtysecs_load1 gauge\n";
        const char *u = "# HELP thirtysecs_network_up 1 when the interface is administratively up, else 0.\n"
                        "# TYPE thirtysecs_network_up gauge\n";
        char buf[1024];
        const char *where;
        static const struct {
                const char *pre, *post; /* around the HELP/TYPE pair */
                const char *err;
        } bad[] = {
                { "", "thirtysecs_load1 1", "no final line feed" },
                { "", "thirtysecs_load1 1\nthirtysecs_load1 2\n", "duplicate series" },
                { "", "thirtysecs_load1 x\n", "value is not a number" },
                { "", "thirtysecs_load1 NaN\n", "value is not a number" },
                { "", "thirtysecs_load1{device=\"a\"} 1\n", "label names differ from the catalogue" },
                { "", "thirtysecs_load5 1\n", "sample outside its family" },
                { "", "\nthirtysecs_load1 1\n", "empty line" },
                { "", "# comment\nthirtysecs_load1 1\n", "stray comment or TYPE line" },
                { "thirtysecs_load1 1\n", "", "sample outside its family" },
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                snprintf(buf, sizeof buf, "%s%s%s", bad[i].pre, h, bad[i].post);
                const char *err = check_exposition(buf, &where);
                if (!err || strcmp(err, bad[i].err) != 0)
                        fail_msg("case %zu: got %s, want %s", i, err ? err : "(accepted)", bad[i].err);
        }
        static const struct {
                const char *value;
                const char *err;
        } labels[] = {
                { "C:\\data", "invalid escape" },
                { "a\\\"b", NULL },
                { "\xff", "label value is not valid UTF-8" },
                { "a\"b", "expected , or }" },
        };
        for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
                snprintf(buf, sizeof buf, "%sthirtysecs_network_up{device=\"%s\"} 1\n", u, labels[i].value);
                const char *err = check_exposition(buf, &where);
                if ((err == NULL) != (labels[i].err == NULL) || (err && strcmp(err, labels[i].err) != 0))
                        fail_msg("label case %zu: got %s, want %s", i, err ? err : "(accepted)",
                                 labels[i].err ? labels[i].err : "(accepted)");
        }
        /* A family split in two, and a family with no samples. */
        snprintf(buf, sizeof buf, "%sthirtysecs_load1 1\n%sthirtysecs_network_up{device=\"a\"} 1\n%sthirtysecs_load1 2\n",
                 h, u, h);
        assert_string_equal(check_exposition(buf, &where), "second HELP for a family (not contiguous)");
        snprintf(buf, sizeof buf, "%sthirtysecs_network_up{device=\"a\"} 1\n%sthirtysecs_load1 1\n", u, h);
        assert_string_equal(check_exposition(buf, &where), "family out of catalogue order");
        snprintf(buf, sizeof buf, "%s%sthirtysecs_network_up{device=\"a\"} 1\n", h, u);
        assert_string_equal(check_exposition(buf, &where), "family without samples");
        snprintf(buf, sizeof buf, "%sthirtysecs_load1 1\n", h);
        assert_null(check_exposition(buf, &where));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_validator_rejects),
                cmocka_unit_test(test_catalogue_rules),
                cmocka_unit_test(test_docs_list_the_catalogue),
                cmocka_unit_test(test_empty_snapshot),
                cmocka_unit_test(test_full_snapshot_lines),
                cmocka_unit_test(test_hostile_mountpoints_exact_family),
                cmocka_unit_test(test_disabled_collectors),
                cmocka_unit_test(test_connection_summary_states),
                cmocka_unit_test(test_values_and_absence),
                cmocka_unit_test(test_unknown_process_state_and_v1_cgroup),
                cmocka_unit_test(test_many_series_no_duplicates),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
