/* SPDX-License-Identifier: MIT */
/* `watch`: a snapshot every --interval seconds until --count records or a
 * signal.
 *
 * What happens on every tick:
 *   1. sleep until the tick's deadline on CLOCK_MONOTONIC. Deadlines are
 *      start + k * interval, so collection time never accumulates as drift;
 *      a tick that overruns skips the deadlines it missed instead of
 *      firing a burst;
 *   2. collect: CPU and process percentages cover the time since the
 *      previous tick (only the first record waits for a --cpu-window);
 *   3. with --alerts, evaluate the rules and the leak detector and log
 *      what fired on stderr;
 *   4. render and write the record (one write per record);
 *   5. SIGINT/SIGTERM set a flag: the current record is finished, then
 *      the loop ends with exit 0. A write error (disk full) ends it with 1.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/report.h"
#include "collect/collect.h"
#include "util/env.h"
#include "util/log.h"

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
        (void)sig;
        stop_requested = 1;
}

static void install_stop_handlers(void)
{
        struct sigaction sa = { .sa_handler = on_stop_signal };
        sigemptyset(&sa.sa_mask);
        /* No SA_RESTART: the sleep between ticks must wake up. */
        sa.sa_flags = 0;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
}

static int run_watch(const Command *cmd, int argc, char **argv, GlobalOptions *g)
{
        double default_sec = env_double("DEFAULT_INTERVAL_SECONDS", 30.0, 0.01, 86400.0 * 7);
        ReportArgs a = {
                .format = FORMAT_JSON,
                .processes = true,
                .network = true,
                .disk = true,
                .window_usec = 100 * USEC_PER_MSEC,
                .interval_usec = (usec_t)(default_sec * 1e6 + 0.5),
        };
        int r = report_parse_args(cmd, argc, argv, g, true, &a);
        if (r != 0)
                return r < 0 ? EXIT_OK : r;

        ReportSink sink;
        if ((r = report_sink_open(&sink, cmd, &a, true)) != EXIT_OK)
                return r;
        RootFS fs;
        if ((r = cmd_open_roots(g, &fs)) != EXIT_OK) {
                report_sink_close(&sink);
                return r;
        }
        install_stop_handlers();

        CollectOptions copt = {
                .processes = a.processes,
                .network = a.network,
                .disk = a.disk,
                .exact_connections = true,
        };
        Sampler sampler;
        sampler_init(&sampler, &fs, &copt);
        struct AlertState *alert_state = cmd_alert_state_new();
        bool include_hostname = cmd_env_include_hostname();
        int rc = EXIT_OK;

        usec_t start = now_monotonic_usec();
        sampler_prime(&sampler, false);
        if (a.window_usec > 0)
                sleep_until_monotonic(start + a.window_usec, &stop_requested);
        /* Tick k (k >= 0) is due at first_tick + k * interval. */
        usec_t first_tick = now_monotonic_usec();
        for (uint64_t k = 0; !stop_requested && (a.count == 0 || sink.records < a.count);) {
                Snapshot snap;
                snapshot_init(&snap);
                snap.include_hostname = include_hostname;
                sampler_collect(&sampler, &snap);
                (void)cmd_evaluate_alerts(&a, &snap, alert_state);
                r = report_emit(&sink, &snap);
                snapshot_done(&snap);
                if (r < 0) {
                        fprintf(stderr, "30secs %s: cannot write %s: %s\n", cmd->name,
                                a.output ? a.output : "to stdout", strerror(-r));
                        rc = EXIT_RUNTIME;
                        break;
                }
                if (a.count && sink.records >= a.count)
                        break;
                usec_t now = now_monotonic_usec();
                k++;
                while (first_tick + k * a.interval_usec <= now)
                        k++; /* overran: skip, do not burst */
                sleep_until_monotonic(first_tick + k * a.interval_usec, &stop_requested);
        }

        if (stop_requested)
                log_info("stopping on signal after %llu records", (unsigned long long)sink.records);
        cmd_alert_state_free(alert_state);
        sampler_done(&sampler);
        rootfs_close(&fs);
        if (report_sink_close(&sink) < 0 && rc == EXIT_OK) {
                fprintf(stderr, "30secs %s: cannot write '%s': %s\n", cmd->name, a.output, strerror(errno));
                rc = EXIT_RUNTIME;
        }
        return rc;
}

const Command cmd_watch = {
        .name = "watch",
        .summary = "Print a snapshot every --interval seconds (JSON Lines by default).",
        .usage = "[options]",
        .help = "  -i, --interval SEC   seconds between records (default DEFAULT_INTERVAL_SECONDS or 30;\n"
                "                       fractions allowed)\n"
                "  -n, --count N        stop after N records (default 0: until SIGINT/SIGTERM)\n" REPORT_HELP
                "      --no-processes   skip the process table\n",
        .run = run_watch,
};
