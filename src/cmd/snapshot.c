/* SPDX-License-Identifier: MIT */
/* `snapshot` and `quick`: collect once, render, print or append to a file.
 * quick is snapshot without the per-process scan (the costliest part). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "collect/collect.h"
#include "render/json.h"
#include "render/table.h"
#include "util/parse.h"

typedef struct SnapshotArgs {
        const char *format;
        const char *output;
        bool processes, network, disk;
        bool compact;
        usec_t window_usec;
} SnapshotArgs;

static int parse_args(const Command *cmd, int argc, char **argv, GlobalOptions *g, SnapshotArgs *a)
{
        enum { OPT_NO_PROC = 1100, OPT_NO_NET, OPT_NO_DISK, OPT_COMPACT, OPT_WINDOW };
        static const struct option longopts[] = {
                { "format", required_argument, NULL, 'f' },
                { "output", required_argument, NULL, 'o' },
                { "no-processes", no_argument, NULL, OPT_NO_PROC },
                { "no-network", no_argument, NULL, OPT_NO_NET },
                { "no-disk", no_argument, NULL, OPT_NO_DISK },
                { "compact", no_argument, NULL, OPT_COMPACT },
                { "cpu-window", required_argument, NULL, OPT_WINDOW },
                COMMON_LONG_OPTIONS,
                {},
        };
        int opt;

        optind = 0;
        opterr = 0;
        while ((opt = getopt_long(argc, argv, "+:f:o:h", longopts, NULL)) != -1) {
                if (cmd_common_option(opt, g))
                        continue;
                switch (opt) {
                case 'f': a->format = optarg; break;
                case 'o': a->output = optarg; break;
                case OPT_NO_PROC: a->processes = false; break;
                case OPT_NO_NET: a->network = false; break;
                case OPT_NO_DISK: a->disk = false; break;
                case OPT_COMPACT: a->compact = true; break;
                case OPT_WINDOW: {
                        uint64_t ms;
                        if (safe_atou64(optarg, &ms) < 0 || ms > 10000)
                                return cmd_usage_error(cmd, "--cpu-window takes milliseconds from 0 to 10000, got '%s'", optarg);
                        a->window_usec = ms * USEC_PER_MSEC;
                        break;
                }
                case 'h': cmd_print_help(cmd); return -1;
                default: return cmd_bad_option(cmd, opt, argc, argv);
                }
        }
        if (optind < argc)
                return cmd_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
        if (strcmp(a->format, "prometheus") == 0)
                return cmd_usage_error(cmd, "--format prometheus is not available yet; use json or table");
        if (strcmp(a->format, "json") != 0 && strcmp(a->format, "table") != 0)
                return cmd_usage_error(cmd, "unknown format '%s' (use json or table)", a->format);
        return 0;
}

static bool env_include_hostname(void)
{
        const char *v = getenv("INCLUDE_HOSTNAME");
        return !(v && (strcmp(v, "0") == 0 || strcasecmp(v, "false") == 0 || strcasecmp(v, "no") == 0));
}

static int run_snapshot_like(const Command *cmd, int argc, char **argv, GlobalOptions *g, bool quick)
{
        SnapshotArgs a = {
                .format = "json",
                .processes = !quick,
                .network = true,
                .disk = true,
                .window_usec = 100 * USEC_PER_MSEC,
        };
        int r = parse_args(cmd, argc, argv, g, &a);
        if (r != 0)
                return r < 0 ? EXIT_OK : r;

        int out_fd = STDOUT_FILENO;
        if (a.output) {
                out_fd = cmd_open_output(a.output);
                if (out_fd < 0) {
                        fprintf(stderr, "30secs %s: cannot open output file '%s': %s\n", cmd->name,
                                a.output, strerror(-out_fd));
                        return EXIT_RUNTIME;
                }
        }

        RootFS fs;
        r = cmd_open_roots(g, &fs);
        if (r != EXIT_OK) {
                if (a.output)
                        close(out_fd);
                return r;
        }

        Snapshot snap;
        snapshot_init(&snap);
        snap.include_hostname = env_include_hostname();
        CollectOptions copt = {
                .processes = a.processes,
                .network = a.network,
                .disk = a.disk,
                .exact_connections = !quick,
                .sample_window_usec = a.window_usec,
        };
        snapshot_collect(&fs, &copt, &snap);
        rootfs_close(&fs);

        int rc = EXIT_OK;
        /* Watch and files get one record per line; a terminal gets it indented. */
        bool pretty = !a.compact && !a.output;
        char *doc = strcmp(a.format, "table") == 0 ? render_table_snapshot(&snap)
                                                   : render_json_snapshot(&snap, pretty);
        if (!doc) {
                fprintf(stderr, "30secs %s: out of memory rendering the output\n", cmd->name);
                rc = EXIT_RUNTIME;
        } else {
                r = cmd_write_record(out_fd, doc, strlen(doc));
                if (r < 0) {
                        fprintf(stderr, "30secs %s: cannot write %s: %s\n", cmd->name,
                                a.output ? a.output : "to stdout", strerror(-r));
                        rc = EXIT_RUNTIME;
                }
                free(doc);
        }
        if (a.output && close(out_fd) < 0 && rc == EXIT_OK) {
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

#define SNAPSHOT_HELP                                                                              \
        "  -f, --format FMT     output format: json or table (prometheus: not yet)\n"             \
        "  -o, --output FILE    append the record to FILE instead of stdout\n"                     \
        "      --no-network     skip interfaces and connections\n"                                 \
        "      --no-disk        skip partitions and disk I/O\n"                                    \
        "      --compact        one-line JSON\n"                                                   \
        "      --cpu-window MS  CPU sampling window in milliseconds (default 100)\n"

const Command cmd_snapshot = {
        .name = "snapshot",
        .summary = "Print one snapshot of CPU, memory, cgroup, disk, network and processes.",
        .usage = "[options]",
        .help = SNAPSHOT_HELP "      --no-processes   skip the process table\n",
        .run = run_snapshot,
};

const Command cmd_quick = {
        .name = "quick",
        .summary = "Print a snapshot without the process table (cheapest).",
        .usage = "[options]",
        .help = SNAPSHOT_HELP,
        .run = run_quick,
};
