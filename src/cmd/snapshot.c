/* SPDX-License-Identifier: MIT */
/* `snapshot` and `quick`: sample CPU over a short window, collect once,
 * render, print or append to a file. quick skips the per-process scan
 * (the costliest part) and counts connections the cheap way. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd/cmd.h"
#include "cmd/report.h"
#include "collect/collect.h"

bool cmd_env_include_hostname(void)
{
        const char *v = getenv("INCLUDE_HOSTNAME");
        return !(v && (strcmp(v, "0") == 0 || strcasecmp(v, "false") == 0 || strcasecmp(v, "no") == 0));
}

static int run_snapshot_like(const Command *cmd, int argc, char **argv, GlobalOptions *g, bool quick)
{
        ReportArgs a = {
                .format = FORMAT_JSON,
                .processes = !quick,
                .network = true,
                .disk = true,
                .window_usec = 100 * USEC_PER_MSEC,
        };
        int r = report_parse_args(cmd, argc, argv, g, false, &a);
        if (r != 0)
                return r < 0 ? EXIT_OK : r;

        ReportSink sink;
        if ((r = report_sink_open(&sink, cmd, &a, false)) != EXIT_OK)
                return r;
        RootFS fs;
        if ((r = cmd_open_roots(g, &fs)) != EXIT_OK) {
                report_sink_close(&sink);
                return r;
        }

        CollectOptions copt = {
                .processes = a.processes,
                .network = a.network,
                .disk = a.disk,
                .exact_connections = !quick,
        };
        Sampler sampler;
        sampler_init(&sampler, &fs, &copt);
        Snapshot snap;
        snapshot_init(&snap);
        snap.include_hostname = cmd_env_include_hostname();
        /* The levels are read inside the window, while the process is
         * still warm, and the window's end is kept where it was. */
        usec_t window_start = now_monotonic_usec();
        if (a.window_usec > 0)
                sampler_prime(&sampler, true);
        sampler_collect_levels(&sampler, &snap);
        if (a.window_usec > 0)
                sleep_until_monotonic(window_start + a.window_usec, NULL);
        sampler_collect_rates(&sampler, &snap);
        sampler_done(&sampler);
        rootfs_close(&fs);

        int rc = cmd_evaluate_alerts(&a, &snap, NULL);
        r = report_emit(&sink, &snap);
        if (r < 0) {
                fprintf(stderr, "30secs %s: cannot write %s: %s\n", cmd->name,
                        a.output ? a.output : "to stdout", strerror(-r));
                rc = EXIT_RUNTIME;
        }
        if (report_sink_close(&sink) < 0 && rc != EXIT_RUNTIME) {
                fprintf(stderr, "30secs %s: cannot write '%s': %s\n", cmd->name, a.output, strerror(errno));
                rc = EXIT_RUNTIME;
        }
        snapshot_done(&snap);
        return rc;
}

static int run_snapshot(const Command *cmd, int argc, char **argv, GlobalOptions *g)
{
        return run_snapshot_like(cmd, argc, argv, g, false);
}

static int run_quick(const Command *cmd, int argc, char **argv, GlobalOptions *g)
{
        return run_snapshot_like(cmd, argc, argv, g, true);
}

const Command cmd_snapshot = {
        .name = "snapshot",
        .summary = "Print one snapshot of CPU, memory, cgroup, disk, network and processes.",
        .usage = "[options]",
        .help = REPORT_HELP "      --no-processes   skip the process table\n",
        .run = run_snapshot,
};

const Command cmd_quick = {
        .name = "quick",
        .summary = "Print a snapshot without the process table (cheapest).",
        .usage = "[options]",
        .help = REPORT_HELP,
        .run = run_quick,
};
