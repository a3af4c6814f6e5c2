/* SPDX-License-Identifier: MIT */
#include "collect/collect.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "collect/cgroup.h"
#include "collect/cpu.h"
#include "collect/disk.h"
#include "collect/memory.h"
#include "collect/net.h"
#include "collect/system.h"

static void record(Snapshot *snap, CollectorId id, int r, usec_t started, const char *what)
{
        CollectorStatus *st = &snap->status[id];
        st->enabled = true;
        st->duration_usec += now_monotonic_usec() - started;
        if (r < 0 && st->error == 0) {
                st->error = r;
                snprintf(st->message, sizeof st->message, "%s: %s", what, strerror(-r));
        }
}

void sampler_init(Sampler *s, const RootFS *fs, const CollectOptions *opt)
{
        memset(s, 0, sizeof *s);
        s->fs = fs;
        s->stat_fd = -1;
        s->opt = *opt;
}

void sampler_prime(Sampler *s, bool keep_fds)
{
        usec_t t = now_monotonic_usec();
        s->prev_usec = t;
        proc_stat_done(&s->prev_stat);
        s->have_prev_stat = proc_stat_read(s->fs, &s->stat_fd, &s->prev_stat) == 0;
        s->prime_cpu_usec += now_monotonic_usec() - t;
        if (s->opt.processes) {
                t = now_monotonic_usec();
                proc_scan_done(&s->prev_scan);
                s->have_prev_scan = proc_scan(s->fs, &s->prev_scan, keep_fds, NULL) == 0;
                /* Owners of the likely top processes, while still warm. */
                if (s->have_prev_scan && keep_fds)
                        proc_scan_read_owners(s->fs, &s->prev_scan, PROC_TOP_N);
                s->prime_processes_usec += now_monotonic_usec() - t;
        }
}

void sampler_collect_levels(Sampler *s, Snapshot *snap)
{
        const RootFS *fs = s->fs;
        int r;
        usec_t t;

        t = now_monotonic_usec();
        r = cpu_collect_levels(fs, &snap->cpu);
        record(snap, COLLECTOR_CPU, r, t, "reading proc/loadavg");

        t = now_monotonic_usec();
        r = memory_collect(fs, &snap->memory);
        record(snap, COLLECTOR_MEMORY, r, t, "reading proc/meminfo");

        t = now_monotonic_usec();
        r = cgroup_memory_collect(fs, &snap->memory.cgroup);
        record(snap, COLLECTOR_CGROUP, r, t, "reading proc/self/cgroup");

        if (s->opt.disk) {
                t = now_monotonic_usec();
                r = disk_collect(fs, &snap->disk);
                record(snap, COLLECTOR_DISK, r, t, "reading mounts and diskstats");
        }

        if (s->opt.network) {
                t = now_monotonic_usec();
                r = net_collect(fs, s->opt.exact_connections ? NET_CONN_EXACT : NET_CONN_SUMMARY,
                                &snap->net);
                record(snap, COLLECTOR_NETWORK, r, t, "reading proc/net/dev");
        }

        /* Boot time comes with /proc/stat in sampler_collect_rates(). */
        t = now_monotonic_usec();
        r = system_collect(fs, &snap->system);
        record(snap, COLLECTOR_SYSTEM, r, t, "reading proc/sys/kernel");
}

void sampler_collect_rates(Sampler *s, Snapshot *snap)
{
        const RootFS *fs = s->fs;
        ProcStat stat = { 0 };
        int r;
        usec_t t;

        snap->sample_window_usec = s->have_prev_stat ? now_monotonic_usec() - s->prev_usec : 0;
        snap->status[COLLECTOR_CPU].duration_usec += s->prime_cpu_usec;
        snap->status[COLLECTOR_PROCESSES].duration_usec += s->prime_processes_usec;
        s->prime_cpu_usec = s->prime_processes_usec = 0;

        t = now_monotonic_usec();
        s->prev_usec = t;
        r = proc_stat_read(fs, &s->stat_fd, &stat);
        if (r == 0) {
                snap->system.boot_time = stat.btime;
                r = cpu_collect(fs, s->have_prev_stat ? &s->prev_stat : NULL, &stat, &snap->cpu);
                proc_stat_done(&s->prev_stat);
                s->prev_stat = stat;
                s->have_prev_stat = true;
        }
        record(snap, COLLECTOR_CPU, r, t, "reading proc/stat");

        if (s->opt.processes) {
                ProcScan scan = { 0 };
                const ProcScan *prev = s->have_prev_scan ? &s->prev_scan : NULL;
                t = now_monotonic_usec();
                r = proc_scan(fs, &scan, false, prev);
                if (r == 0)
                        r = processes_summarize(fs, prev, &scan, snap->memory.virt.total,
                                                &snap->processes);
                /* This scan is the next one's "before"; the old one and any
                 * fds it kept open go now. */
                proc_scan_done(&s->prev_scan);
                s->prev_scan = scan;
                s->have_prev_scan = r == 0;
                record(snap, COLLECTOR_PROCESSES, r, t, "listing the proc root");
        }

        snap->timestamp_usec = now_realtime_usec();
}

void sampler_collect(Sampler *s, Snapshot *snap)
{
        sampler_collect_levels(s, snap);
        sampler_collect_rates(s, snap);
}

void sampler_done(Sampler *s)
{
        proc_stat_done(&s->prev_stat);
        proc_scan_done(&s->prev_scan);
        if (s->stat_fd >= 0)
                close(s->stat_fd);
        s->stat_fd = -1;
        s->have_prev_stat = s->have_prev_scan = false;
}
