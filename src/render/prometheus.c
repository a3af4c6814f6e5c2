/* SPDX-License-Identifier: MIT */
/* Snapshot -> Prometheus text exposition format 0.0.4.
 *
 * How it is built: every sample goes through emit(), which appends the line
 * to a per-family buffer and drops it when the family already has that label
 * set (first one wins). The sections below may therefore produce samples in
 * any order (one interface yields eight families at once); the final pass
 * walks the catalogue (render/metrics.def) and prints each family that got
 * samples as HELP, TYPE, then its lines, so every family is contiguous.
 *
 * The format's rules this file relies on (prometheus/docs
 * exposition_formats.md): label values are UTF-8 with \\, \" and \n escaped;
 * HELP text escapes \\ and \n only; the last line ends with a line feed;
 * values follow Go's ParseFloat. */
#include "render/prometheus.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/fileio.h"
#include "util/utf8.h"
#include "util/xalloc.h"

typedef enum PromId {
#define METRIC(id, name, type, unit, labels, help) PM_##id,
#include "render/metrics.def"
#undef METRIC
        _PM_MAX,
} PromId;

const PromMetric prom_metric_catalogue[] = {
#define METRIC(id, name, type, unit, labels, help) \
        [PM_##id] = { name, PROM_##type, unit, labels, help },
#include "render/metrics.def"
#undef METRIC
};

const size_t prom_metric_catalogue_len = _PM_MAX;

const char *prom_type_to_string(PromType t)
{
        return t == PROM_COUNTER ? "counter" : "gauge";
}

/* ---- growing text buffer ------------------------------------------------ */

static void out_reserve(Buf *b, size_t extra)
{
        if (b->len + extra + 1 <= b->cap)
                return;
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + extra + 1)
                cap *= 2;
        b->data = xreallocarray(b->data, cap, 1);
        b->cap = cap;
}

static void out_append(Buf *b, const char *s, size_t n)
{
        out_reserve(b, n);
        memcpy(b->data + b->len, s, n);
        b->len += n;
        b->data[b->len] = '\0';
}

static void out_puts(Buf *b, const char *s)
{
        out_append(b, s, strlen(s));
}

static void out_reset(Buf *b)
{
        b->len = 0;
        if (b->data)
                b->data[0] = '\0';
}

/* ---- values ------------------------------------------------------------- */

#define VALUE_MAX 40

/* The shortest of %.15g, %.16g, %.17g that reads back as the same double:
 * 0.1 stays "0.1" rather than "0.10000000000000001", yet nothing is lost. */
static void format_double(double v, char out[VALUE_MAX])
{
        if (isinf(v)) {
                strcpy(out, v > 0 ? "+Inf" : "-Inf");
                return;
        }
        for (int prec = 15; prec <= 17; prec++) {
                snprintf(out, VALUE_MAX, "%.*g", prec, v);
                if (strtod(out, NULL) == v)
                        return;
        }
}

static double clock_ticks_per_second(void)
{
        static long tck;
        if (!tck) {
                tck = sysconf(_SC_CLK_TCK);
                if (tck <= 0)
                        tck = 100; /* USER_HZ on every Linux architecture */
        }
        return (double)tck;
}

/* ---- label sets --------------------------------------------------------- */

/* Appends name="value" (comma-separated from what l already holds). The
 * value is made valid UTF-8 first: a mount point or interface name is any
 * byte string, and Prometheus fails the whole scrape on invalid UTF-8. */
static void label_add(Buf *l, const char *name, const char *value)
{
        size_t len = strlen(value);
        size_t cap = 3 * len + 4; /* each bad byte becomes the 3-byte U+FFFD */
        char *clean = xmalloc(cap);
        utf8_sanitize(value, len, clean, cap);

        if (l->len)
                out_append(l, ",", 1);
        out_puts(l, name);
        out_append(l, "=\"", 2);
        for (const char *p = clean; *p; p++) {
                const char *run = p;
                while (*p && *p != '\\' && *p != '"' && *p != '\n')
                        p++;
                out_append(l, run, (size_t)(p - run));
                if (!*p)
                        break;
                out_append(l, *p == '\\' ? "\\\\" : *p == '"' ? "\\\"" : "\\n", 2);
        }
        out_append(l, "\"", 1);
        free(clean);
}

/* A set of strings (tagged with a family id) seen so far: open addressing,
 * FNV-1a, at most half full. */
typedef struct SeenEntry {
        uint64_t hash;
        int id;
        char *key; /* NULL: empty slot */
} SeenEntry;

typedef struct SeenSet {
        SeenEntry *slots;
        size_t n, cap;
} SeenSet;

static uint64_t seen_hash(int id, const char *key)
{
        uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)(unsigned)id;
        for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
                h ^= *p;
                h *= 0x100000001b3ULL;
        }
        return h;
}

static SeenEntry *seen_find(SeenEntry *slots, size_t cap, uint64_t h, int id, const char *key)
{
        for (size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1)) {
                SeenEntry *e = &slots[i];
                if (!e->key || (e->hash == h && e->id == id && strcmp(e->key, key) == 0))
                        return e;
        }
}

/* Adds (id, key); returns false if it was already there. */
static bool seen_add(SeenSet *s, int id, const char *key)
{
        if ((s->n + 1) * 2 > s->cap) {
                size_t cap = s->cap ? s->cap * 2 : 64;
                SeenEntry *slots = xcalloc(cap, sizeof *slots);
                for (size_t i = 0; i < s->cap; i++) {
                        if (!s->slots[i].key)
                                continue;
                        size_t k = s->slots[i].hash & (cap - 1);
                        while (slots[k].key)
                                k = (k + 1) & (cap - 1);
                        slots[k] = s->slots[i];
                }
                free(s->slots);
                s->slots = slots;
                s->cap = cap;
        }
        uint64_t h = seen_hash(id, key);
        SeenEntry *e = seen_find(s->slots, s->cap, h, id, key);
        if (e->key)
                return false;
        *e = (SeenEntry){ .hash = h, .id = id, .key = xstrdup(key) };
        s->n++;
        return true;
}

static void seen_done(SeenSet *s)
{
        for (size_t i = 0; i < s->cap; i++)
                free(s->slots[i].key);
        free(s->slots);
        *s = (SeenSet){ 0 };
}

/* ---- samples ------------------------------------------------------------ */

typedef struct Writer {
        Buf family[_PM_MAX]; /* sample lines of each family */
        SeenSet series;      /* (family, label set) already written */
        Buf labels;          /* scratch: the label set being built */
        Buf key;             /* scratch: identity of an object (dedup) */
} Writer;

static void emit(Writer *w, PromId id, const Buf *labels, const char *value)
{
        const char *l = labels && labels->len ? labels->data : "";
        if (!seen_add(&w->series, (int)id, l))
                return;
        Buf *b = &w->family[id];
        out_puts(b, prom_metric_catalogue[id].name);
        if (*l) {
                out_append(b, "{", 1);
                out_puts(b, l);
                out_append(b, "}", 1);
        }
        out_append(b, " ", 1);
        out_puts(b, value);
        out_append(b, "\n", 1);
}

static void emit_u64(Writer *w, PromId id, const Buf *labels, uint64_t v)
{
        char s[VALUE_MAX];
        if (!has_u64(v))
                return;
        snprintf(s, sizeof s, "%llu", (unsigned long long)v);
        emit(w, id, labels, s);
}

static void emit_dbl(Writer *w, PromId id, const Buf *labels, double v)
{
        char s[VALUE_MAX];
        if (isnan(v))
                return;
        format_double(v, s);
        emit(w, id, labels, s);
}

static void emit_bool(Writer *w, PromId id, const Buf *labels, bool v)
{
        emit(w, id, labels, v ? "1" : "0");
}

/* Microseconds (PSI totals) as seconds. */
static void emit_usec(Writer *w, PromId id, const Buf *labels, uint64_t usec)
{
        if (has_u64(usec))
                emit_dbl(w, id, labels, (double)usec / 1e6);
}

static void emit_psi(Writer *w, PromId waiting, PromId stalled, const Buf *labels, const Psi *p)
{
        if (p->has_some)
                emit_usec(w, waiting, labels, p->some.total_usec);
        if (p->has_full)
                emit_usec(w, stalled, labels, p->full.total_usec);
}

/* Starts the scratch label set with one label (or none: name NULL). */
static Buf *labels1(Writer *w, const char *name, const char *value)
{
        out_reset(&w->labels);
        if (name)
                label_add(&w->labels, name, value);
        return &w->labels;
}

/* ---- sections ----------------------------------------------------------- */

static void self_metrics(Writer *w, const Snapshot *snap)
{
        emit(w, PM_BUILD_INFO, labels1(w, "version", THIRTYSECS_VERSION), "1");
        for (int id = 0; id < _COLLECTOR_MAX; id++) {
                const CollectorStatus *st = &snap->status[id];
                if (!st->enabled)
                        continue;
                Buf *l = labels1(w, "collector", collector_id_to_string((CollectorId)id));
                emit_bool(w, PM_SCRAPE_SUCCESS, l, st->error == 0);
                emit_dbl(w, PM_SCRAPE_DURATION, l, (double)st->duration_usec / 1e6);
        }
}

static void system_metrics(Writer *w, const SystemInfo *s)
{
        emit_u64(w, PM_BOOT_TIME, NULL, s->boot_time);
        emit_dbl(w, PM_UPTIME, NULL, s->uptime_seconds);
}

static void emit_mhz(Writer *w, PromId id, double mhz)
{
        if (has_dbl(mhz) && mhz >= 0 && mhz < 1e12)
                emit_u64(w, id, NULL, (uint64_t)llround(mhz * 1e6));
}

static void cpu_metrics(Writer *w, const CpuInfo *c)
{
        if (c->has_times) {
                const CpuTimes *t = &c->times;
                const struct {
                        const char *mode;
                        uint64_t ticks;
                } modes[] = {
                        { "user", t->user },       { "nice", t->nice },   { "system", t->system },
                        { "idle", t->idle },       { "iowait", t->iowait }, { "irq", t->irq },
                        { "softirq", t->softirq }, { "steal", t->steal },
                }, guest[] = {
                        { "user", t->guest },
                        { "nice", t->guest_nice },
                };
                double tck = clock_ticks_per_second();
                for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
                        emit_dbl(w, PM_CPU_SECONDS, labels1(w, "mode", modes[i].mode),
                                 (double)modes[i].ticks / tck);
                for (size_t i = 0; i < sizeof guest / sizeof guest[0]; i++)
                        emit_dbl(w, PM_CPU_GUEST_SECONDS, labels1(w, "mode", guest[i].mode),
                                 (double)guest[i].ticks / tck);
        }
        if (has_dbl(c->percent))
                emit_dbl(w, PM_CPU_USAGE, NULL, c->percent / 100.0);
        for (size_t i = 0; i < c->n_cores; i++) {
                char cpu[24];
                if (!has_dbl(c->percent_per_core[i]))
                        continue;
                snprintf(cpu, sizeof cpu, "%zu", i);
                emit_dbl(w, PM_CPU_CORE_USAGE, labels1(w, "cpu", cpu), c->percent_per_core[i] / 100.0);
        }
        if (c->count_logical)
                emit_u64(w, PM_CPU_LOGICAL, NULL, c->count_logical);
        if (c->count_physical)
                emit_u64(w, PM_CPU_PHYSICAL, NULL, c->count_physical);
        emit_mhz(w, PM_CPU_FREQ, c->freq_current_mhz);
        emit_mhz(w, PM_CPU_FREQ_MIN, c->freq_min_mhz);
        emit_mhz(w, PM_CPU_FREQ_MAX, c->freq_max_mhz);
        emit_dbl(w, PM_LOAD1, NULL, c->load1);
        emit_dbl(w, PM_LOAD5, NULL, c->load5);
        emit_dbl(w, PM_LOAD15, NULL, c->load15);
        emit_u64(w, PM_CONTEXT_SWITCHES, NULL, c->ctx_switches);
        emit_u64(w, PM_INTERRUPTS, NULL, c->interrupts);
        emit_psi(w, PM_PSI_CPU_WAITING, PM_PSI_CPU_STALLED, NULL, &c->pressure);
}

/* /proc/meminfo keys exported one to one. MemTotal, MemFree, MemAvailable
 * and the swap keys go through the psutil-style derived values instead. */
static const struct {
        MemKey key;
        PromId id;
        const char *page_size; /* DirectMap* share one family, by page size */
} meminfo_metrics[] = {
        { MEM_Buffers, PM_MEM_BUFFERS, NULL },
        { MEM_Cached, PM_MEM_CACHED, NULL },
        { MEM_SwapCached, PM_MEM_SWAP_CACHED, NULL },
        { MEM_Active, PM_MEM_ACTIVE, NULL },
        { MEM_Inactive, PM_MEM_INACTIVE, NULL },
        { MEM_Dirty, PM_MEM_DIRTY, NULL },
        { MEM_Writeback, PM_MEM_WRITEBACK, NULL },
        { MEM_AnonPages, PM_MEM_ANON_PAGES, NULL },
        { MEM_Mapped, PM_MEM_MAPPED, NULL },
        { MEM_Shmem, PM_MEM_SHMEM, NULL },
        { MEM_KReclaimable, PM_MEM_KRECLAIMABLE, NULL },
        { MEM_Slab, PM_MEM_SLAB, NULL },
        { MEM_SReclaimable, PM_MEM_SRECLAIMABLE, NULL },
        { MEM_SUnreclaim, PM_MEM_SUNRECLAIM, NULL },
        { MEM_KernelStack, PM_MEM_KERNEL_STACK, NULL },
        { MEM_PageTables, PM_MEM_PAGE_TABLES, NULL },
        { MEM_CommitLimit, PM_MEM_COMMIT_LIMIT, NULL },
        { MEM_Committed_AS, PM_MEM_COMMITTED_AS, NULL },
        { MEM_VmallocUsed, PM_MEM_VMALLOC_USED, NULL },
        { MEM_AnonHugePages, PM_MEM_ANON_HUGE_PAGES, NULL },
        { MEM_HugePages_Total, PM_MEM_HUGE_PAGES_CONFIGURED, NULL },
        { MEM_HugePages_Free, PM_MEM_HUGE_PAGES_FREE, NULL },
        { MEM_Hugepagesize, PM_MEM_HUGE_PAGE_SIZE, NULL },
        { MEM_DirectMap4k, PM_MEM_DIRECT_MAP, "4k" },
        { MEM_DirectMap2M, PM_MEM_DIRECT_MAP, "2M" },
        { MEM_DirectMap1G, PM_MEM_DIRECT_MAP, "1G" },
};

static void memory_metrics(Writer *w, const MemoryInfo *m)
{
        if (m->has_meminfo) {
                const VirtualMemory *v = &m->virt;
                const uint64_t *mi = m->detail.value;
                if (has_u64(mi[MEM_MemTotal])) {
                        emit_u64(w, PM_MEM_TOTAL, NULL, v->total);
                        emit_u64(w, PM_MEM_AVAILABLE, NULL, v->available);
                        emit_u64(w, PM_MEM_USED, NULL, v->used);
                        if (v->total > 0)
                                emit_dbl(w, PM_MEM_USED_RATIO, NULL,
                                         (double)(v->total - v->available) / (double)v->total);
                }
                emit_u64(w, PM_MEM_FREE, NULL, mi[MEM_MemFree]);
                for (size_t i = 0; i < sizeof meminfo_metrics / sizeof meminfo_metrics[0]; i++) {
                        const char *ps = meminfo_metrics[i].page_size;
                        emit_u64(w, meminfo_metrics[i].id, ps ? labels1(w, "page_size", ps) : NULL,
                                 mi[meminfo_metrics[i].key]);
                }
                if (has_u64(mi[MEM_SwapTotal])) {
                        const SwapMemory *s = &m->swap;
                        emit_u64(w, PM_SWAP_TOTAL, NULL, s->total);
                        emit_u64(w, PM_SWAP_FREE, NULL, s->free);
                        emit_u64(w, PM_SWAP_USED, NULL, s->used);
                        if (s->total > 0)
                                emit_dbl(w, PM_SWAP_USED_RATIO, NULL, (double)s->used / (double)s->total);
                }
        }
        emit_u64(w, PM_SWAP_IN, NULL, m->swap.sin_bytes);
        emit_u64(w, PM_SWAP_OUT, NULL, m->swap.sout_bytes);
        emit_psi(w, PM_PSI_MEMORY_WAITING, PM_PSI_MEMORY_STALLED, NULL, &m->pressure);
        emit_u64(w, PM_OOM_KILLS, NULL, m->oom_kill_count);
}

static uint64_t cgroup_stat(const CgroupMemory *c, const char *key)
{
        for (size_t i = 0; i < c->n_stat && i < CGROUP_STAT_MAX; i++)
                if (strcmp(c->stat[i].key, key) == 0)
                        return c->stat[i].value;
        return U64_ABSENT;
}

static void cgroup_metrics(Writer *w, const CgroupMemory *c)
{
        if (c->version <= 0)
                return;
        char version[16];
        snprintf(version, sizeof version, "%d", c->version);
        Buf *l = labels1(w, "cgroup", c->path);
        label_add(l, "version", version);
        emit(w, PM_CGROUP_INFO, l, "1");

        l = labels1(w, "cgroup", c->path);
        emit_u64(w, PM_CGROUP_USAGE, l, c->usage);
        /* The kubelet's working set: v1's total_inactive_file covers the
         * whole subtree, like usage_in_bytes does. */
        uint64_t inactive = cgroup_stat(c, c->version == 1 ? "total_inactive_file" : "inactive_file");
        if (!has_u64(inactive))
                inactive = cgroup_stat(c, "inactive_file");
        if (has_u64(c->usage) && has_u64(inactive))
                emit_u64(w, PM_CGROUP_WORKING_SET, l, c->usage > inactive ? c->usage - inactive : 0);
        emit_u64(w, PM_CGROUP_LIMIT, l, c->limit);
        if (has_u64(c->usage) && has_u64(c->limit) && c->limit > 0)
                emit_dbl(w, PM_CGROUP_USAGE_RATIO, l, (double)c->usage / (double)c->limit);
        emit_u64(w, PM_CGROUP_HIGH, l, c->high);
        emit_u64(w, PM_CGROUP_PEAK, l, c->peak);
        emit_u64(w, PM_CGROUP_SWAP_USAGE, l, c->swap_usage);
        emit_u64(w, PM_CGROUP_SWAP_LIMIT, l, c->swap_limit);
        emit_u64(w, PM_CGROUP_LOW_EVENTS, l, c->ev_low);
        emit_u64(w, PM_CGROUP_HIGH_EVENTS, l, c->ev_high);
        emit_u64(w, PM_CGROUP_MAX_EVENTS, l, c->ev_max);
        emit_u64(w, PM_CGROUP_OOM_EVENTS, l, c->ev_oom);
        emit_u64(w, PM_CGROUP_OOM_KILLS, l, c->ev_oom_kill);
        emit_u64(w, PM_CGROUP_OOM_GROUP_KILLS, l, c->ev_oom_group_kill);
        emit_u64(w, PM_CGROUP_LIMIT_HITS, l, c->v1_failcnt);
        emit_u64(w, PM_CGROUP_UNDER_OOM, l, c->v1_under_oom);
        emit_u64(w, PM_CGROUP_OOM_KILL_DISABLED, l, c->v1_oom_kill_disable);
        emit_psi(w, PM_CGROUP_PSI_MEMORY_WAITING, PM_CGROUP_PSI_MEMORY_STALLED, l, &c->pressure);
}

/* Family-less ids for object-level dedup in Writer.series. */
enum {
        SEEN_MOUNTPOINT = -1,
        SEEN_DISK = -2,
        SEEN_INTERFACE = -3,
};

/* True the first time an object with this (sanitised, escaped) identity
 * shows up. All of an object's samples come from its first occurrence, so
 * two stacked mounts on one mount point, or two names that only differ in
 * invalid bytes, never mix. */
static bool first_of(Writer *w, int kind, const char *name)
{
        out_reset(&w->key);
        label_add(&w->key, "k", name);
        return seen_add(&w->series, kind, w->key.data);
}

static void disk_metrics(Writer *w, const DiskInfo *d)
{
        for (size_t i = 0; i < d->n_partitions; i++) {
                const DiskPartition *p = &d->partitions[i];
                const char *mp = p->mountpoint ? p->mountpoint : "";
                /* Keep the first: node_exporter's filesystem collector does the same. */
                if (!first_of(w, SEEN_MOUNTPOINT, mp))
                        continue;
                Buf *l = labels1(w, "device", p->device ? p->device : "");
                label_add(l, "fstype", p->fstype);
                label_add(l, "mountpoint", mp);
                emit_bool(w, PM_FS_DEVICE_ERROR, l, !p->has_usage);
                if (!p->has_usage)
                        continue;
                emit_u64(w, PM_FS_SIZE, l, p->total);
                emit_u64(w, PM_FS_USED, l, p->used);
                if (has_u64(p->total) && has_u64(p->used) && p->total >= p->used)
                        emit_u64(w, PM_FS_FREE, l, p->total - p->used);
                emit_u64(w, PM_FS_AVAIL, l, p->free);
                if (has_u64(p->used) && has_u64(p->free)) {
                        double denom = (double)p->used + (double)p->free;
                        if (denom > 0)
                                emit_dbl(w, PM_FS_USED_RATIO, l, (double)p->used / denom);
                }
                emit_u64(w, PM_FS_FILES, l, p->inodes_total);
                emit_u64(w, PM_FS_FILES_FREE, l, p->inodes_free);
        }
        for (size_t i = 0; i < d->n_devices; i++) {
                const DiskDevice *dev = &d->devices[i];
                const DiskIoCounters *io = &dev->io;
                char name[sizeof dev->name + 1];
                /* name is a fixed array: do not trust it to be terminated. */
                memcpy(name, dev->name, sizeof dev->name);
                name[sizeof dev->name] = '\0';
                if (!first_of(w, SEEN_DISK, name))
                        continue;
                Buf *l = labels1(w, "device", name);
                emit_u64(w, PM_DISK_READS, l, io->read_count);
                emit_u64(w, PM_DISK_WRITES, l, io->write_count);
                emit_u64(w, PM_DISK_READ_BYTES, l, io->read_bytes);
                emit_u64(w, PM_DISK_WRITTEN_BYTES, l, io->write_bytes);
                emit_dbl(w, PM_DISK_READ_TIME, l, (double)io->read_time_ms / 1e3);
                emit_dbl(w, PM_DISK_WRITE_TIME, l, (double)io->write_time_ms / 1e3);
                emit_dbl(w, PM_DISK_IO_TIME, l, (double)io->busy_time_ms / 1e3);
        }
        emit_psi(w, PM_PSI_IO_WAITING, PM_PSI_IO_STALLED, NULL, &d->pressure);
}

static void net_metrics(Writer *w, const NetInfo *n)
{
        for (size_t i = 0; i < n->n_interfaces; i++) {
                const NetInterface *nif = &n->interfaces[i];
                char name[sizeof nif->name + 1];
                memcpy(name, nif->name, sizeof nif->name);
                name[sizeof nif->name] = '\0';
                if (!first_of(w, SEEN_INTERFACE, name))
                        continue;
                Buf *l = labels1(w, "device", name);
                if (nif->has_counters) {
                        const NetIoCounters *io = &nif->io;
                        emit_u64(w, PM_NET_RX_BYTES, l, io->bytes_recv);
                        emit_u64(w, PM_NET_TX_BYTES, l, io->bytes_sent);
                        emit_u64(w, PM_NET_RX_PACKETS, l, io->packets_recv);
                        emit_u64(w, PM_NET_TX_PACKETS, l, io->packets_sent);
                        emit_u64(w, PM_NET_RX_ERRORS, l, io->errin);
                        emit_u64(w, PM_NET_TX_ERRORS, l, io->errout);
                        emit_u64(w, PM_NET_RX_DROPS, l, io->dropin);
                        emit_u64(w, PM_NET_TX_DROPS, l, io->dropout);
                }
                emit_bool(w, PM_NET_UP, l, nif->is_up);
                if (nif->mtu >= 0)
                        emit_u64(w, PM_NET_MTU, l, (uint64_t)nif->mtu);
                if (nif->speed_mbps > 0) /* Mbit/s -> bytes/s */
                        emit_u64(w, PM_NET_SPEED, l, (uint64_t)nif->speed_mbps * 125000);
        }

        const NetConnections *c = &n->connections;
        if (!c->available)
                return;
        /* The cheap summary (quick) knows only these three states; the
         * others would read as a false 0. */
        bool summary = c->source && strcmp(c->source, "summary") == 0;
        for (int st = 1; st < _TCP_STATE_MAX; st++) {
                const char *name = tcp_state_to_string(st);
                char lower[24];
                size_t k;
                if (!name)
                        continue;
                if (summary && st != TCP_STATE_ESTABLISHED && st != TCP_STATE_TIME_WAIT &&
                    st != TCP_STATE_LISTEN)
                        continue;
                /* node_exporter's values: psutil's names in lower case. */
                for (k = 0; name[k] && k + 1 < sizeof lower; k++)
                        lower[k] = (char)(name[k] >= 'A' && name[k] <= 'Z' ? name[k] + 32 : name[k]);
                lower[k] = '\0';
                emit_u64(w, PM_TCP_CONNECTIONS, labels1(w, "state", lower), c->tcp[st]);
        }
        emit_u64(w, PM_UDP_SOCKETS, NULL, c->udp);
}

static const char *const proc_state_letters[_PROC_STATE_MAX] = {
        [PROC_STATE_RUNNING] = "R",      [PROC_STATE_SLEEPING] = "S", [PROC_STATE_DISK_SLEEP] = "D",
        [PROC_STATE_STOPPED] = "T",      [PROC_STATE_TRACING_STOP] = "t", [PROC_STATE_ZOMBIE] = "Z",
        [PROC_STATE_DEAD] = "X",         [PROC_STATE_WAKE_KILL] = "K", [PROC_STATE_WAKING] = "W",
        [PROC_STATE_IDLE] = "I",         [PROC_STATE_PARKED] = "P",   [PROC_STATE_UNKNOWN] = "unknown",
};

static void process_metrics(Writer *w, const ProcessInfo *p)
{
        emit_u64(w, PM_PROCESSES, NULL, (uint64_t)p->total);
        /* Every state, zeros included, so a query for zombies finds 0
         * rather than nothing; "unknown" only when something is. */
        for (int s = 0; s < _PROC_STATE_MAX; s++) {
                if (s == PROC_STATE_UNKNOWN && p->status_counts[s] == 0)
                        continue;
                emit_u64(w, PM_PROCESSES_STATE, labels1(w, "state", proc_state_letters[s]),
                         p->status_counts[s]);
        }
        emit_u64(w, PM_PROCESSES_THREADS, NULL, p->threads_total);
}

/* ---- assembly ----------------------------------------------------------- */

/* HELP text escapes only backslash and line feed. */
static void help_escape(Buf *b, const char *s)
{
        for (; *s; s++) {
                if (*s == '\\')
                        out_append(b, "\\\\", 2);
                else if (*s == '\n')
                        out_append(b, "\\n", 2);
                else
                        out_append(b, s, 1);
        }
}

char *render_prometheus_snapshot(const Snapshot *snap)
{
        Writer w = { 0 };

        self_metrics(&w, snap);
        system_metrics(&w, &snap->system);
        cpu_metrics(&w, &snap->cpu);
        memory_metrics(&w, &snap->memory);
        cgroup_metrics(&w, &snap->memory.cgroup);
        if (snap->status[COLLECTOR_DISK].enabled)
                disk_metrics(&w, &snap->disk);
        if (snap->status[COLLECTOR_NETWORK].enabled)
                net_metrics(&w, &snap->net);
        if (snap->status[COLLECTOR_PROCESSES].enabled)
                process_metrics(&w, &snap->processes);

        Buf out = { 0 };
        out_reserve(&out, 16384);
        out.data[0] = '\0';
        for (int id = 0; id < _PM_MAX; id++) {
                const PromMetric *m = &prom_metric_catalogue[id];
                if (w.family[id].len == 0)
                        continue;
                out_puts(&out, "# HELP ");
                out_puts(&out, m->name);
                out_append(&out, " ", 1);
                help_escape(&out, m->help);
                out_puts(&out, "\n# TYPE ");
                out_puts(&out, m->name);
                out_append(&out, " ", 1);
                out_puts(&out, prom_type_to_string(m->type));
                out_append(&out, "\n", 1);
                out_append(&out, w.family[id].data, w.family[id].len);
                buf_free(&w.family[id]);
        }
        buf_free(&w.labels);
        buf_free(&w.key);
        seen_done(&w.series);
        return out.data;
}
