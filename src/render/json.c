/* SPDX-License-Identifier: MIT */
#include "render/json.h"

#include <gnu/libc-version.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "render/json-util.h"
#include "util/human.h"

static json_t *system_json(const Snapshot *snap)
{
        const SystemInfo *s = &snap->system;
        json_t *o = json_object();
        char buf[64];

        jset(o, "hostname", snap->include_hostname ? jstr(s->hostname) : json_null());
        json_t *plat = json_object();
        jset(plat, "system", jstr(s->os_type));
        jset(plat, "release", jstr(s->release));
        jset(plat, "version", jstr(s->version));
        jset(plat, "machine", jstr(s->machine));
        jset(plat, "processor", jstr(s->machine));
        /* Replaces the original's python_version: what this binary is. */
        snprintf(buf, sizeof buf, "glibc %s", gnu_get_libc_version());
        jset(plat, "libc_version", json_string(buf));
        jset(plat, "tool_version", json_string(THIRTYSECS_VERSION));
        jset(o, "platform", plat);

        jset(o, "boot_time", has_u64(s->boot_time) ? juint(s->boot_time) : json_null());
        if (has_dbl(s->uptime_seconds)) {
                char h[HUMAN_DURATION_MAX];
                human_duration((uint64_t)s->uptime_seconds, h);
                jset(o, "uptime_seconds", jreal(s->uptime_seconds, 2));
                jset(o, "uptime_human", json_string(h));
        } else {
                jset(o, "uptime_seconds", json_null());
                jset(o, "uptime_human", json_null());
        }
        json_t *users = json_array();
        for (size_t i = 0; i < s->n_users; i++) {
                const LoggedInUser *u = &s->users[i];
                json_t *uo = json_object();
                jset(uo, "name", jstr(u->name));
                jset(uo, "terminal", jstr(u->terminal));
                jset(uo, "host", snap->include_hostname ? jstr(u->host) : json_null());
                jset(uo, "started", jreal(u->started, 1));
                jset(uo, "pid", json_integer(u->pid));
                json_array_append_new(users, uo);
        }
        jset(o, "users", s->users_available ? users : (json_decref(users), json_null()));
        return o;
}

static json_t *cpu_json(const CpuInfo *c)
{
        static long clk_tck;
        if (!clk_tck)
                clk_tck = sysconf(_SC_CLK_TCK);
        double tck = (double)clk_tck;
        json_t *o = json_object();

        jset(o, "percent", jreal(c->percent, 1));
        json_t *per = json_array();
        for (size_t i = 0; i < c->n_cores; i++)
                json_array_append_new(per, jreal(c->percent_per_core[i], 1));
        jset(o, "percent_per_core", per);
        jset(o, "count_logical", json_integer(c->count_logical));
        jset(o, "count_physical", c->count_physical ? json_integer(c->count_physical) : json_null());

        json_t *f = json_object();
        jset(f, "current", jreal(c->freq_current_mhz, 1));
        jset(f, "min", jreal(c->freq_min_mhz, 1));
        jset(f, "max", jreal(c->freq_max_mhz, 1));
        jset(o, "frequency", f);

        json_t *l = json_object();
        jset(l, "1m", jreal(c->load1, 2));
        jset(l, "5m", jreal(c->load5, 2));
        jset(l, "15m", jreal(c->load15, 2));
        jset(o, "loadavg", l);

        json_t *t = json_object();
        if (c->has_times) {
                const CpuTimes *ct = &c->times;
                jset(t, "user", jreal((double)ct->user / tck, 2));
                jset(t, "system", jreal((double)ct->system / tck, 2));
                jset(t, "idle", jreal((double)ct->idle / tck, 2));
                jset(t, "nice", jreal((double)ct->nice / tck, 2));
                jset(t, "iowait", jreal((double)ct->iowait / tck, 2));
                jset(t, "irq", jreal((double)ct->irq / tck, 2));
                jset(t, "softirq", jreal((double)ct->softirq / tck, 2));
                jset(t, "steal", jreal((double)ct->steal / tck, 2));
                jset(t, "guest", jreal((double)ct->guest / tck, 2));
                jset(t, "guest_nice", jreal((double)ct->guest_nice / tck, 2));
        } else {
                jset(t, "user", json_null());
                jset(t, "system", json_null());
                jset(t, "idle", json_null());
        }
        jset(o, "times", t);
        jset_u64_opt(o, "ctx_switches", c->ctx_switches);
        jset_u64_opt(o, "interrupts", c->interrupts);
        if (c->pressure.has_some || c->pressure.has_full)
                jset(o, "pressure", jpsi(&c->pressure));
        return o;
}

static json_t *cgroup_json(const CgroupMemory *c)
{
        json_t *o = json_object();
        jset(o, "version", json_integer(c->version));
        jset(o, "path", jstr(c->path));
        jset(o, "hybrid", json_boolean(c->hybrid));
        jset_bytes(o, "usage", c->usage);
        jset_bytes_opt(o, "limit", c->limit);
        jset_real_opt(o, "percent", c->percent, 1);
        jset_bytes_opt(o, "high", c->high);
        jset_bytes_opt(o, "peak", c->peak);
        jset_bytes_opt(o, "swap_usage", c->swap_usage);
        jset_bytes_opt(o, "swap_limit", c->swap_limit);
        jset_real_opt(o, "swap_percent", c->swap_percent, 1);
        if (c->pressure.has_some || c->pressure.has_full)
                jset(o, "pressure", jpsi(&c->pressure));
        json_t *ev = json_object();
        jset_u64_opt(ev, "low", c->ev_low);
        jset_u64_opt(ev, "high", c->ev_high);
        jset_u64_opt(ev, "max", c->ev_max);
        jset_u64_opt(ev, "oom", c->ev_oom);
        jset_u64_opt(ev, "oom_kill", c->ev_oom_kill);
        jset_u64_opt(ev, "oom_group_kill", c->ev_oom_group_kill);
        jset_u64_opt(ev, "under_oom", c->v1_under_oom);
        jset_u64_opt(ev, "oom_kill_disable", c->v1_oom_kill_disable);
        jset_u64_opt(ev, "failcnt", c->v1_failcnt);
        jset(o, "events", ev);
        json_t *st = json_object();
        for (size_t i = 0; i < c->n_stat; i++)
                jset(st, c->stat[i].key, juint(c->stat[i].value));
        jset(o, "stat", st);
        return o;
}

static json_t *memory_json(const MemoryInfo *m)
{
        json_t *o = json_object();
        json_t *v = json_object();
        json_t *s = json_object();

        jset(o, "virtual", v);
        jset(o, "swap", s);
        if (m->has_meminfo) {
                jset_bytes(v, "total", m->virt.total);
                jset_bytes(v, "available", m->virt.available);
                jset_bytes(v, "used", m->virt.used);
                jset(v, "free", juint(m->virt.free));
                jset(v, "percent", jreal(m->virt.percent, 1));
                jset(v, "buffers", juint(m->virt.buffers));
                jset(v, "cached", juint(m->virt.cached));
                jset(v, "shared", juint(m->virt.shared));
                jset(v, "active", juint(m->virt.active));
                jset(v, "inactive", juint(m->virt.inactive));

                jset_bytes(s, "total", m->swap.total);
                jset_bytes(s, "used", m->swap.used);
                jset(s, "free", juint(m->swap.free));
                jset(s, "percent", jreal(m->swap.percent, 1));
                jset_u64_opt(s, "sin", m->swap.sin_bytes);
                jset_u64_opt(s, "sout", m->swap.sout_bytes);

                json_t *d = json_object();
                for (int k = 0; k < _MEM_MAX; k++) {
                        uint64_t val = m->detail.value[k];
                        if (!has_u64(val))
                                continue;
                        const char *name = mem_key_to_string((MemKey)k);
                        if (mem_key_is_count((MemKey)k)) {
                                char hk[64], hv[32];
                                jset(d, name, juint(val));
                                snprintf(hk, sizeof hk, "%s_human", name);
                                snprintf(hv, sizeof hv, "%llu pages", (unsigned long long)val);
                                jset(d, hk, json_string(hv));
                        } else {
                                jset_bytes(d, name, val);
                        }
                }
                jset(o, "detail", d);
        }
        if (m->pressure.has_some || m->pressure.has_full)
                jset(o, "pressure", jpsi(&m->pressure));
        jset_u64_opt(o, "oom_kill_count", m->oom_kill_count);
        if (m->cgroup.version > 0)
                jset(o, "cgroup", cgroup_json(&m->cgroup));
        return o;
}

static json_t *disk_io_json(const DiskIoCounters *io)
{
        json_t *o = json_object();
        jset(o, "read_count", juint(io->read_count));
        jset(o, "write_count", juint(io->write_count));
        jset_bytes(o, "read_bytes", io->read_bytes);
        jset_bytes(o, "write_bytes", io->write_bytes);
        jset(o, "read_time_ms", juint(io->read_time_ms));
        jset(o, "write_time_ms", juint(io->write_time_ms));
        jset(o, "busy_time_ms", juint(io->busy_time_ms));
        return o;
}

static json_t *disk_json(const DiskInfo *d)
{
        json_t *o = json_object();
        json_t *parts = json_array();
        for (size_t i = 0; i < d->n_partitions; i++) {
                const DiskPartition *p = &d->partitions[i];
                json_t *po = json_object();
                jset(po, "device", jstr(p->device ? p->device : ""));
                jset(po, "mountpoint", jstr(p->mountpoint ? p->mountpoint : ""));
                jset(po, "fstype", jstr(p->fstype));
                if (p->has_usage) {
                        jset_bytes(po, "total", p->total);
                        jset_bytes(po, "used", p->used);
                        jset_bytes(po, "free", p->free);
                        jset(po, "percent", jreal(p->percent, 1));
                        jset_u64_opt(po, "inodes_total", p->inodes_total);
                        jset_u64_opt(po, "inodes_free", p->inodes_free);
                } else {
                        jset_bytes(po, "total", U64_ABSENT);
                        jset_bytes(po, "used", U64_ABSENT);
                        jset_bytes(po, "free", U64_ABSENT);
                        jset(po, "percent", json_null());
                }
                json_array_append_new(parts, po);
        }
        jset(o, "partitions", parts);
        jset(o, "io", d->has_io ? disk_io_json(&d->io) : json_null());
        if (d->n_devices) {
                json_t *devs = json_object();
                for (size_t i = 0; i < d->n_devices; i++)
                        jset(devs, d->devices[i].name, disk_io_json(&d->devices[i].io));
                jset(o, "devices", devs);
        }
        if (d->pressure.has_some || d->pressure.has_full)
                jset(o, "pressure", jpsi(&d->pressure));
        return o;
}

static json_t *net_io_json(const NetIoCounters *io)
{
        json_t *o = json_object();
        jset_bytes(o, "bytes_sent", io->bytes_sent);
        jset_bytes(o, "bytes_recv", io->bytes_recv);
        jset(o, "packets_sent", juint(io->packets_sent));
        jset(o, "packets_recv", juint(io->packets_recv));
        jset(o, "errin", juint(io->errin));
        jset(o, "errout", juint(io->errout));
        jset(o, "dropin", juint(io->dropin));
        jset(o, "dropout", juint(io->dropout));
        return o;
}

static json_t *net_json(const NetInfo *n)
{
        json_t *o = json_object();
        jset(o, "io", n->has_io ? net_io_json(&n->io) : json_null());
        json_t *ifs = json_array();
        for (size_t i = 0; i < n->n_interfaces; i++) {
                const NetInterface *nif = &n->interfaces[i];
                json_t *io = json_object();
                jset(io, "name", jstr(nif->name));
                jset(io, "is_up", json_boolean(nif->is_up));
                jset(io, "mtu", nif->mtu >= 0 ? json_integer(nif->mtu) : json_null());
                jset(io, "speed", json_integer(nif->speed_mbps));
                if (nif->duplex[0])
                        jset(io, "duplex", json_string(nif->duplex));
                json_t *addrs = json_array();
                for (size_t k = 0; k < nif->n_addresses; k++) {
                        const NetAddress *a = &nif->addresses[k];
                        json_t *ao = json_object();
                        jset(ao, "family", json_string(a->family));
                        jset(ao, "address", jstr(a->address));
                        jset(ao, "netmask", a->netmask[0] ? jstr(a->netmask) : json_null());
                        if (a->broadcast[0])
                                jset(ao, "broadcast", jstr(a->broadcast));
                        json_array_append_new(addrs, ao);
                }
                jset(io, "addresses", addrs);
                if (nif->has_counters)
                        jset(io, "io", net_io_json(&nif->io));
                json_array_append_new(ifs, io);
        }
        jset(o, "interfaces", ifs);
        if (n->connections.available) {
                json_t *c = json_object();
                for (int st = 1; st < _TCP_STATE_MAX; st++)
                        if (n->connections.tcp[st] && tcp_state_to_string(st))
                                jset(c, tcp_state_to_string(st), juint(n->connections.tcp[st]));
                if (n->connections.udp)
                        jset(c, "NONE", juint(n->connections.udp));
                jset(o, "connections", c);
                jset(o, "connections_source", json_string(n->connections.source));
        } else {
                jset(o, "connections", json_null());
        }
        return o;
}

static json_t *proc_summary_json(const ProcessSummary *p)
{
        json_t *o = json_object();
        jset(o, "pid", json_integer(p->pid));
        jset(o, "name", jstr(p->name));
        jset(o, "username", p->has_uid ? jstr(p->username) : json_null());
        jset(o, "cpu_percent", jreal(p->cpu_percent, 1));
        jset(o, "memory_percent", jreal(p->memory_percent, 2));
        jset(o, "status", json_string(proc_state_to_string(p->state)));
        jset(o, "rss", juint(p->rss_bytes));
        jset(o, "num_threads", json_integer(p->num_threads));
        return o;
}

static json_t *processes_json(const ProcessInfo *p)
{
        json_t *o = json_object();
        jset(o, "total", json_integer((json_int_t)p->total));
        jset(o, "threads_total", juint(p->threads_total));
        json_t *counts = json_object();
        for (int s = 0; s < _PROC_STATE_MAX; s++)
                if (p->status_counts[s])
                        jset(counts, proc_state_to_string((ProcState)s), juint(p->status_counts[s]));
        jset(o, "status_counts", counts);
        json_t *top = json_array();
        for (size_t i = 0; i < p->n_top_by_cpu; i++)
                json_array_append_new(top, proc_summary_json(&p->top_by_cpu[i]));
        jset(o, "top_by_cpu", top);
        top = json_array();
        for (size_t i = 0; i < p->n_top_by_memory; i++)
                json_array_append_new(top, proc_summary_json(&p->top_by_memory[i]));
        jset(o, "top_by_memory", top);
        return o;
}

static json_t *alerts_json(const AlertList *l)
{
        json_t *arr = json_array();
        for (size_t i = 0; i < l->n; i++) {
                const Alert *a = &l->items[i];
                json_t *o = json_object();
                jset(o, "rule", jstr(a->rule));
                jset(o, "severity", json_string(alert_severity_to_string(a->severity)));
                jset(o, "value", jreal(a->value, 2));
                jset(o, "threshold", jreal(a->threshold, 2));
                jset(o, "message", jstr(a->message));
                json_array_append_new(arr, o);
        }
        return arr;
}

static json_t *collectors_json(const Snapshot *snap)
{
        json_t *o = json_object();
        for (int id = 0; id < _COLLECTOR_MAX; id++) {
                const CollectorStatus *st = &snap->status[id];
                if (!st->enabled)
                        continue;
                json_t *c = json_object();
                jset(c, "success", json_boolean(st->error == 0));
                jset(c, "duration_seconds", json_real((double)st->duration_usec / 1e6));
                if (st->error)
                        jset(c, "error", jstr(st->message));
                jset(o, collector_id_to_string((CollectorId)id), c);
        }
        return o;
}

char *render_json_snapshot(const Snapshot *snap, bool pretty)
{
        char ts[40];
        /* A fixed hash seed: keys come from the kernel, not from an attacker
         * who could flood buckets, and it saves reading /dev/urandom. */
        json_object_seed(1);
        JsonDoc doc;
        jdoc_begin(&doc);
        json_t *root = json_object();

        format_iso8601_utc(snap->timestamp_usec, ts);
        jset(root, "timestamp", json_string(ts));
        jset(root, "schema_version", json_integer(JSON_SCHEMA_VERSION));
        jset(root, "system", system_json(snap));
        jset(root, "cpu", cpu_json(&snap->cpu));
        jset(root, "memory", memory_json(&snap->memory));
        if (snap->status[COLLECTOR_DISK].enabled)
                jset(root, "disk", disk_json(&snap->disk));
        if (snap->status[COLLECTOR_NETWORK].enabled)
                jset(root, "network", net_json(&snap->net));
        if (snap->status[COLLECTOR_PROCESSES].enabled)
                jset(root, "processes", processes_json(&snap->processes));
        if (snap->alerts_evaluated)
                jset(root, "alerts", alerts_json(&snap->alerts));
        jset(root, "collectors", collectors_json(snap));

        return jdoc_end(&doc, root, JSON_REAL_PRECISION(15) | (pretty ? JSON_INDENT(2) : JSON_COMPACT));
}
