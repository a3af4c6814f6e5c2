/* SPDX-License-Identifier: MIT */
#include "render/json.h"

#include <gnu/libc-version.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "render/jw.h"
#include "util/human.h"

/* key + value helpers: the document is written in order, once. */
static void kv_text(JsonWriter *w, const char *key, const char *text)
{
        jw_key(w, key);
        jw_text(w, text);
}

static void kv_literal(JsonWriter *w, const char *key, const char *value)
{
        jw_key(w, key);
        jw_literal(w, value);
}

static void kv_null(JsonWriter *w, const char *key)
{
        jw_key(w, key);
        jw_null(w);
}

static void kv_int(JsonWriter *w, const char *key, int64_t v)
{
        jw_key(w, key);
        jw_int(w, v);
}

static void kv_u64(JsonWriter *w, const char *key, uint64_t v)
{
        jw_key(w, key);
        jw_u64(w, v);
}

/* Contract keys: null when unknown. */
static void kv_u64_or_null(JsonWriter *w, const char *key, uint64_t v)
{
        jw_key(w, key);
        if (has_u64(v))
                jw_u64(w, v);
        else
                jw_null(w);
}

/* Added keys: left out when unknown. */
static void kv_u64_opt(JsonWriter *w, const char *key, uint64_t v)
{
        if (has_u64(v))
                kv_u64(w, key, v);
}

static void kv_real(JsonWriter *w, const char *key, double v, int decimals)
{
        jw_key(w, key);
        jw_real(w, v, decimals);
}

static void kv_real_opt(JsonWriter *w, const char *key, double v, int decimals)
{
        if (has_dbl(v))
                kv_real(w, key, v, decimals);
}

static void kv_bool(JsonWriter *w, const char *key, bool v)
{
        jw_key(w, key);
        jw_bool(w, v);
}

/* key and key_human ("1.5 GB"), both null when unknown. */
static void kv_bytes(JsonWriter *w, const char *key, uint64_t v)
{
        char hkey[HUMAN_KEY_MAX], h[HUMAN_BYTES_MAX];
        human_key(key, hkey);
        kv_u64_or_null(w, key, v);
        jw_key(w, hkey);
        if (has_u64(v)) {
                human_bytes(v, h);
                jw_literal(w, h);
        } else {
                jw_null(w);
        }
}

static void kv_bytes_opt(JsonWriter *w, const char *key, uint64_t v)
{
        if (has_u64(v))
                kv_bytes(w, key, v);
}

static void psi_line(JsonWriter *w, const char *key, const PsiLine *l)
{
        jw_key(w, key);
        jw_object_begin(w);
        kv_real(w, "avg10", l->avg10, 2);
        kv_real(w, "avg60", l->avg60, 2);
        kv_real(w, "avg300", l->avg300, 2);
        kv_u64(w, "total", l->total_usec);
        jw_object_end(w);
}

static void kv_psi_opt(JsonWriter *w, const char *key, const Psi *psi)
{
        if (!psi->has_some && !psi->has_full)
                return;
        jw_key(w, key);
        jw_object_begin(w);
        if (psi->has_some)
                psi_line(w, "some", &psi->some);
        if (psi->has_full)
                psi_line(w, "full", &psi->full);
        jw_object_end(w);
}

static void system_json(JsonWriter *w, const Snapshot *snap)
{
        const SystemInfo *s = &snap->system;
        char buf[64];

        jw_key(w, "system");
        jw_object_begin(w);
        if (snap->include_hostname)
                kv_text(w, "hostname", s->hostname);
        else
                kv_null(w, "hostname");
        jw_key(w, "platform");
        jw_object_begin(w);
        kv_text(w, "system", s->os_type);
        kv_text(w, "release", s->release);
        kv_text(w, "version", s->version);
        kv_text(w, "machine", s->machine);
        kv_text(w, "processor", s->machine);
        /* Replaces the original's python_version: what this binary is. */
        snprintf(buf, sizeof buf, "glibc %s", gnu_get_libc_version());
        kv_text(w, "libc_version", buf);
        kv_text(w, "tool_version", THIRTYSECS_VERSION);
        jw_object_end(w);

        kv_u64_or_null(w, "boot_time", s->boot_time);
        if (has_dbl(s->uptime_seconds)) {
                char h[HUMAN_DURATION_MAX];
                human_duration((uint64_t)s->uptime_seconds, h);
                kv_real(w, "uptime_seconds", s->uptime_seconds, 2);
                kv_literal(w, "uptime_human", h);
        } else {
                kv_null(w, "uptime_seconds");
                kv_null(w, "uptime_human");
        }
        jw_key(w, "users");
        if (s->users_available) {
                jw_array_begin(w);
                for (size_t i = 0; i < s->n_users; i++) {
                        const LoggedInUser *u = &s->users[i];
                        jw_object_begin(w);
                        kv_text(w, "name", u->name);
                        kv_text(w, "terminal", u->terminal);
                        if (snap->include_hostname)
                                kv_text(w, "host", u->host);
                        else
                                kv_null(w, "host");
                        kv_real(w, "started", u->started, 1);
                        kv_int(w, "pid", u->pid);
                        jw_object_end(w);
                }
                jw_array_end(w);
        } else {
                jw_null(w);
        }
        jw_object_end(w);
}

static void cpu_json(JsonWriter *w, const CpuInfo *c)
{
        static long clk_tck;
        if (!clk_tck)
                clk_tck = sysconf(_SC_CLK_TCK);
        double tck = (double)clk_tck;

        jw_key(w, "cpu");
        jw_object_begin(w);
        kv_real(w, "percent", c->percent, 1);
        jw_key(w, "percent_per_core");
        jw_array_begin(w);
        for (size_t i = 0; i < c->n_cores; i++)
                jw_real(w, c->percent_per_core[i], 1);
        jw_array_end(w);
        kv_int(w, "count_logical", c->count_logical);
        if (c->count_physical)
                kv_int(w, "count_physical", c->count_physical);
        else
                kv_null(w, "count_physical");

        jw_key(w, "frequency");
        jw_object_begin(w);
        kv_real(w, "current", c->freq_current_mhz, 1);
        kv_real(w, "min", c->freq_min_mhz, 1);
        kv_real(w, "max", c->freq_max_mhz, 1);
        jw_object_end(w);

        jw_key(w, "loadavg");
        jw_object_begin(w);
        kv_real(w, "1m", c->load1, 2);
        kv_real(w, "5m", c->load5, 2);
        kv_real(w, "15m", c->load15, 2);
        jw_object_end(w);

        jw_key(w, "times");
        jw_object_begin(w);
        if (c->has_times) {
                const CpuTimes *ct = &c->times;
                kv_real(w, "user", (double)ct->user / tck, 2);
                kv_real(w, "system", (double)ct->system / tck, 2);
                kv_real(w, "idle", (double)ct->idle / tck, 2);
                kv_real(w, "nice", (double)ct->nice / tck, 2);
                kv_real(w, "iowait", (double)ct->iowait / tck, 2);
                kv_real(w, "irq", (double)ct->irq / tck, 2);
                kv_real(w, "softirq", (double)ct->softirq / tck, 2);
                kv_real(w, "steal", (double)ct->steal / tck, 2);
                kv_real(w, "guest", (double)ct->guest / tck, 2);
                kv_real(w, "guest_nice", (double)ct->guest_nice / tck, 2);
        } else {
                kv_null(w, "user");
                kv_null(w, "system");
                kv_null(w, "idle");
        }
        jw_object_end(w);
        kv_u64_opt(w, "ctx_switches", c->ctx_switches);
        kv_u64_opt(w, "interrupts", c->interrupts);
        kv_psi_opt(w, "pressure", &c->pressure);
        jw_object_end(w);
}

/* Keys that come from a kernel file (memory.stat names, device names):
 * repaired like any outside text, and each written once (the first). */
static bool key_seen_before(const char *const *keys, size_t i)
{
        for (size_t k = 0; k < i; k++)
                if (strcmp(keys[k], keys[i]) == 0)
                        return true;
        return false;
}

static void cgroup_json(JsonWriter *w, const CgroupMemory *c)
{
        jw_key(w, "cgroup");
        jw_object_begin(w);
        kv_int(w, "version", c->version);
        kv_text(w, "path", c->path);
        kv_bool(w, "hybrid", c->hybrid);
        kv_bytes(w, "usage", c->usage);
        kv_bytes_opt(w, "limit", c->limit);
        kv_real_opt(w, "percent", c->percent, 1);
        kv_bytes_opt(w, "high", c->high);
        kv_bytes_opt(w, "peak", c->peak);
        kv_bytes_opt(w, "swap_usage", c->swap_usage);
        kv_bytes_opt(w, "swap_limit", c->swap_limit);
        kv_real_opt(w, "swap_percent", c->swap_percent, 1);
        kv_psi_opt(w, "pressure", &c->pressure);
        jw_key(w, "events");
        jw_object_begin(w);
        kv_u64_opt(w, "low", c->ev_low);
        kv_u64_opt(w, "high", c->ev_high);
        kv_u64_opt(w, "max", c->ev_max);
        kv_u64_opt(w, "oom", c->ev_oom);
        kv_u64_opt(w, "oom_kill", c->ev_oom_kill);
        kv_u64_opt(w, "oom_group_kill", c->ev_oom_group_kill);
        kv_u64_opt(w, "under_oom", c->v1_under_oom);
        kv_u64_opt(w, "oom_kill_disable", c->v1_oom_kill_disable);
        kv_u64_opt(w, "failcnt", c->v1_failcnt);
        jw_object_end(w);
        jw_key(w, "stat");
        jw_object_begin(w);
        const char *keys[CGROUP_STAT_MAX];
        for (size_t i = 0; i < c->n_stat && i < CGROUP_STAT_MAX; i++) {
                keys[i] = c->stat[i].key;
                if (key_seen_before(keys, i))
                        continue;
                jw_key_text(w, c->stat[i].key);
                jw_u64(w, c->stat[i].value);
        }
        jw_object_end(w);
        jw_object_end(w);
}

static void memory_json(JsonWriter *w, const MemoryInfo *m)
{
        jw_key(w, "memory");
        jw_object_begin(w);
        jw_key(w, "virtual");
        jw_object_begin(w);
        if (m->has_meminfo) {
                kv_bytes(w, "total", m->virt.total);
                kv_bytes(w, "available", m->virt.available);
                kv_bytes(w, "used", m->virt.used);
                kv_u64(w, "free", m->virt.free);
                kv_real(w, "percent", m->virt.percent, 1);
                kv_u64(w, "buffers", m->virt.buffers);
                kv_u64(w, "cached", m->virt.cached);
                kv_u64(w, "shared", m->virt.shared);
                kv_u64(w, "active", m->virt.active);
                kv_u64(w, "inactive", m->virt.inactive);
        }
        jw_object_end(w);
        jw_key(w, "swap");
        jw_object_begin(w);
        if (m->has_meminfo) {
                kv_bytes(w, "total", m->swap.total);
                kv_bytes(w, "used", m->swap.used);
                kv_u64(w, "free", m->swap.free);
                kv_real(w, "percent", m->swap.percent, 1);
                kv_u64_opt(w, "sin", m->swap.sin_bytes);
                kv_u64_opt(w, "sout", m->swap.sout_bytes);
        }
        jw_object_end(w);
        if (m->has_meminfo) {
                jw_key(w, "detail");
                jw_object_begin(w);
                for (int k = 0; k < _MEM_MAX; k++) {
                        uint64_t val = m->detail.value[k];
                        if (!has_u64(val))
                                continue;
                        const char *name = mem_key_to_string((MemKey)k);
                        if (mem_key_is_count((MemKey)k)) {
                                char hk[HUMAN_KEY_MAX], hv[32];
                                kv_u64(w, name, val);
                                human_key(name, hk);
                                snprintf(hv, sizeof hv, "%llu pages", (unsigned long long)val);
                                kv_literal(w, hk, hv);
                        } else {
                                kv_bytes(w, name, val);
                        }
                }
                jw_object_end(w);
        }
        kv_psi_opt(w, "pressure", &m->pressure);
        kv_u64_opt(w, "oom_kill_count", m->oom_kill_count);
        if (m->cgroup.version > 0)
                cgroup_json(w, &m->cgroup);
        jw_object_end(w);
}

static void disk_io_json(JsonWriter *w, const DiskIoCounters *io)
{
        jw_object_begin(w);
        kv_u64(w, "read_count", io->read_count);
        kv_u64(w, "write_count", io->write_count);
        kv_bytes(w, "read_bytes", io->read_bytes);
        kv_bytes(w, "write_bytes", io->write_bytes);
        kv_u64(w, "read_time_ms", io->read_time_ms);
        kv_u64(w, "write_time_ms", io->write_time_ms);
        kv_u64(w, "busy_time_ms", io->busy_time_ms);
        jw_object_end(w);
}

static void disk_json(JsonWriter *w, const DiskInfo *d)
{
        jw_key(w, "disk");
        jw_object_begin(w);
        jw_key(w, "partitions");
        jw_array_begin(w);
        for (size_t i = 0; i < d->n_partitions; i++) {
                const DiskPartition *p = &d->partitions[i];
                jw_object_begin(w);
                kv_text(w, "device", p->device ? p->device : "");
                kv_text(w, "mountpoint", p->mountpoint ? p->mountpoint : "");
                kv_text(w, "fstype", p->fstype);
                if (p->has_usage) {
                        kv_bytes(w, "total", p->total);
                        kv_bytes(w, "used", p->used);
                        kv_bytes(w, "free", p->free);
                        kv_real(w, "percent", p->percent, 1);
                        kv_u64_opt(w, "inodes_total", p->inodes_total);
                        kv_u64_opt(w, "inodes_free", p->inodes_free);
                } else {
                        kv_bytes(w, "total", U64_ABSENT);
                        kv_bytes(w, "used", U64_ABSENT);
                        kv_bytes(w, "free", U64_ABSENT);
                        kv_null(w, "percent");
                }
                jw_object_end(w);
        }
        jw_array_end(w);
        jw_key(w, "io");
        if (d->has_io)
                disk_io_json(w, &d->io);
        else
                jw_null(w);
        if (d->n_devices) {
                jw_key(w, "devices");
                jw_object_begin(w);
                for (size_t i = 0; i < d->n_devices; i++) {
                        bool dup = false;
                        for (size_t k = 0; k < i && !dup; k++)
                                dup = strcmp(d->devices[k].name, d->devices[i].name) == 0;
                        if (dup)
                                continue;
                        jw_key_text(w, d->devices[i].name);
                        disk_io_json(w, &d->devices[i].io);
                }
                jw_object_end(w);
        }
        kv_psi_opt(w, "pressure", &d->pressure);
        jw_object_end(w);
}

static void net_io_json(JsonWriter *w, const NetIoCounters *io)
{
        jw_object_begin(w);
        kv_bytes(w, "bytes_sent", io->bytes_sent);
        kv_bytes(w, "bytes_recv", io->bytes_recv);
        kv_u64(w, "packets_sent", io->packets_sent);
        kv_u64(w, "packets_recv", io->packets_recv);
        kv_u64(w, "errin", io->errin);
        kv_u64(w, "errout", io->errout);
        kv_u64(w, "dropin", io->dropin);
        kv_u64(w, "dropout", io->dropout);
        jw_object_end(w);
}

static void net_json(JsonWriter *w, const NetInfo *n)
{
        jw_key(w, "network");
        jw_object_begin(w);
        jw_key(w, "io");
        if (n->has_io)
                net_io_json(w, &n->io);
        else
                jw_null(w);
        jw_key(w, "interfaces");
        jw_array_begin(w);
        for (size_t i = 0; i < n->n_interfaces; i++) {
                const NetInterface *nif = &n->interfaces[i];
                jw_object_begin(w);
                kv_text(w, "name", nif->name);
                kv_bool(w, "is_up", nif->is_up);
                if (nif->mtu >= 0)
                        kv_int(w, "mtu", nif->mtu);
                else
                        kv_null(w, "mtu");
                kv_int(w, "speed", nif->speed_mbps);
                if (nif->duplex[0])
                        kv_text(w, "duplex", nif->duplex);
                jw_key(w, "addresses");
                jw_array_begin(w);
                for (size_t k = 0; k < nif->n_addresses; k++) {
                        const NetAddress *a = &nif->addresses[k];
                        jw_object_begin(w);
                        kv_text(w, "family", a->family);
                        kv_text(w, "address", a->address);
                        if (a->netmask[0])
                                kv_text(w, "netmask", a->netmask);
                        else
                                kv_null(w, "netmask");
                        if (a->broadcast[0])
                                kv_text(w, "broadcast", a->broadcast);
                        jw_object_end(w);
                }
                jw_array_end(w);
                if (nif->has_counters) {
                        jw_key(w, "io");
                        net_io_json(w, &nif->io);
                }
                jw_object_end(w);
        }
        jw_array_end(w);
        if (n->connections.available) {
                jw_key(w, "connections");
                jw_object_begin(w);
                for (int st = 1; st < _TCP_STATE_MAX; st++)
                        if (n->connections.tcp[st] && tcp_state_to_string(st))
                                kv_u64(w, tcp_state_to_string(st), n->connections.tcp[st]);
                if (n->connections.udp)
                        kv_u64(w, "NONE", n->connections.udp);
                jw_object_end(w);
                kv_text(w, "connections_source", n->connections.source);
        } else {
                kv_null(w, "connections");
        }
        jw_object_end(w);
}

static void proc_summary_json(JsonWriter *w, const ProcessSummary *p)
{
        jw_object_begin(w);
        kv_int(w, "pid", p->pid);
        kv_text(w, "name", p->name);
        if (p->has_uid)
                kv_text(w, "username", p->username);
        else
                kv_null(w, "username");
        kv_real(w, "cpu_percent", p->cpu_percent, 1);
        kv_real(w, "memory_percent", p->memory_percent, 2);
        kv_literal(w, "status", proc_state_to_string(p->state));
        kv_u64(w, "rss", p->rss_bytes);
        kv_int(w, "num_threads", p->num_threads);
        jw_object_end(w);
}

static void processes_json(JsonWriter *w, const ProcessInfo *p)
{
        jw_key(w, "processes");
        jw_object_begin(w);
        kv_u64(w, "total", p->total);
        kv_u64(w, "threads_total", p->threads_total);
        jw_key(w, "status_counts");
        jw_object_begin(w);
        for (int s = 0; s < _PROC_STATE_MAX; s++)
                if (p->status_counts[s])
                        kv_u64(w, proc_state_to_string((ProcState)s), p->status_counts[s]);
        jw_object_end(w);
        jw_key(w, "top_by_cpu");
        jw_array_begin(w);
        for (size_t i = 0; i < p->n_top_by_cpu; i++)
                proc_summary_json(w, &p->top_by_cpu[i]);
        jw_array_end(w);
        jw_key(w, "top_by_memory");
        jw_array_begin(w);
        for (size_t i = 0; i < p->n_top_by_memory; i++)
                proc_summary_json(w, &p->top_by_memory[i]);
        jw_array_end(w);
        jw_object_end(w);
}

static void alerts_json(JsonWriter *w, const AlertList *l)
{
        jw_key(w, "alerts");
        jw_array_begin(w);
        for (size_t i = 0; i < l->n; i++) {
                const Alert *a = &l->items[i];
                jw_object_begin(w);
                kv_text(w, "rule", a->rule);
                kv_literal(w, "severity", alert_severity_to_string(a->severity));
                kv_real(w, "value", a->value, 2);
                kv_real(w, "threshold", a->threshold, 2);
                kv_text(w, "message", a->message);
                jw_object_end(w);
        }
        jw_array_end(w);
}

static void collectors_json(JsonWriter *w, const Snapshot *snap)
{
        jw_key(w, "collectors");
        jw_object_begin(w);
        for (int id = 0; id < _COLLECTOR_MAX; id++) {
                const CollectorStatus *st = &snap->status[id];
                if (!st->enabled)
                        continue;
                jw_key(w, collector_id_to_string((CollectorId)id));
                jw_object_begin(w);
                kv_bool(w, "success", st->error == 0);
                jw_key(w, "duration_seconds");
                jw_double(w, (double)st->duration_usec / 1e6);
                if (st->error)
                        kv_text(w, "error", st->message);
                jw_object_end(w);
        }
        jw_object_end(w);
}

char *render_json_snapshot(const Snapshot *snap, bool pretty)
{
        char ts[40];
        JsonWriter w;
        jw_init(&w, pretty);
        jw_object_begin(&w);
        format_iso8601_utc(snap->timestamp_usec, ts);
        kv_literal(&w, "timestamp", ts);
        kv_int(&w, "schema_version", JSON_SCHEMA_VERSION);
        system_json(&w, snap);
        cpu_json(&w, &snap->cpu);
        memory_json(&w, &snap->memory);
        if (snap->status[COLLECTOR_DISK].enabled)
                disk_json(&w, &snap->disk);
        if (snap->status[COLLECTOR_NETWORK].enabled)
                net_json(&w, &snap->net);
        if (snap->status[COLLECTOR_PROCESSES].enabled)
                processes_json(&w, &snap->processes);
        if (snap->alerts_evaluated)
                alerts_json(&w, &snap->alerts);
        collectors_json(&w, snap);
        jw_object_end(&w);
        return jw_finish(&w);
}
