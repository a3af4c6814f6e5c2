/* SPDX-License-Identifier: MIT */
#include "collect/collect.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "collect/cgroup.h"
#include "collect/cpu.h"
#include "collect/disk.h"
#include "collect/memory.h"
#include "collect/net.h"
#include "collect/process.h"
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

void snapshot_collect(const RootFS *fs, const CollectOptions *opt, Snapshot *snap)
{
        ProcStat stat0 = { 0 }, stat1 = { 0 };
        ProcScan scan0 = { 0 }, scan1 = { 0 };
        bool have_stat0 = false, have_scan0 = false;
        int r;
        usec_t t;

        snap->sample_window_usec = opt->sample_window_usec;

        if (opt->sample_window_usec > 0) {
                t = now_monotonic_usec();
                have_stat0 = proc_stat_read(fs, &stat0) == 0;
                record(snap, COLLECTOR_CPU, 0, t, "");
                if (opt->processes) {
                        t = now_monotonic_usec();
                        have_scan0 = proc_scan(fs, &scan0, true, NULL) == 0;
                        record(snap, COLLECTOR_PROCESSES, 0, t, "");
                }
                sleep_until_monotonic(now_monotonic_usec() + opt->sample_window_usec, NULL);
        }

        t = now_monotonic_usec();
        r = proc_stat_read(fs, &stat1);
        uint64_t boot_time = r == 0 ? stat1.btime : U64_ABSENT;
        if (r == 0)
                r = cpu_collect(fs, have_stat0 ? &stat0 : NULL, &stat1, &snap->cpu);
        record(snap, COLLECTOR_CPU, r, t, "reading proc/stat");

        t = now_monotonic_usec();
        r = memory_collect(fs, &snap->memory);
        record(snap, COLLECTOR_MEMORY, r, t, "reading proc/meminfo");

        t = now_monotonic_usec();
        r = cgroup_memory_collect(fs, &snap->memory.cgroup);
        record(snap, COLLECTOR_CGROUP, r, t, "reading proc/self/cgroup");

        if (opt->processes) {
                t = now_monotonic_usec();
                r = proc_scan(fs, &scan1, false, have_scan0 ? &scan0 : NULL);
                if (r == 0)
                        r = processes_summarize(fs, have_scan0 ? &scan0 : NULL, &scan1,
                                                snap->memory.virt.total, &snap->processes);
                /* Close the kept fds as soon as they served their purpose. */
                proc_scan_done(&scan0);
                record(snap, COLLECTOR_PROCESSES, r, t, "listing the proc root");
        }

        if (opt->disk) {
                t = now_monotonic_usec();
                r = disk_collect(fs, &snap->disk);
                record(snap, COLLECTOR_DISK, r, t, "reading mounts and diskstats");
        }

        if (opt->network) {
                t = now_monotonic_usec();
                r = net_collect(fs, opt->exact_connections ? NET_CONN_EXACT : NET_CONN_SUMMARY, &snap->net);
                record(snap, COLLECTOR_NETWORK, r, t, "reading proc/net/dev");
        }

        t = now_monotonic_usec();
        r = system_collect(fs, boot_time, &snap->system);
        record(snap, COLLECTOR_SYSTEM, r, t, "reading proc/sys/kernel");

        snap->timestamp_usec = now_realtime_usec();
        proc_stat_done(&stat0);
        proc_stat_done(&stat1);
        proc_scan_done(&scan1);
}
