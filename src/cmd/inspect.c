/* SPDX-License-Identifier: MIT */
/* `inspect PID`: one process in depth — identity, command line, parent and
 * children, CPU over a short window, memory with the smaps_rollup
 * breakdown, page faults, file descriptors by kind, TCP/UDP sockets,
 * cgroup limit, OOM score and a few safe environment variables. What the
 * caller may not read is shown as unavailable; the command still exits 0. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "collect/pidinfo.h"
#include "render/inspect.h"
#include "util/parse.h"
#include "util/timeutil.h"

enum {
        OPT_WINDOW = 1200,
};

typedef struct InspectArgs {
        int pid;
        bool json;
        const char *output;
        usec_t window_usec;
} InspectArgs;

/* Returns 0, -1 after --help, or EXIT_USAGE after one error line. */
static int parse_args(const Command *cmd, int argc, char **argv, GlobalOptions *g, InspectArgs *a)
{
        static const struct option longopts[] = {
                { "format", required_argument, NULL, 'f' },
                { "output", required_argument, NULL, 'o' },
                { "cpu-window", required_argument, NULL, OPT_WINDOW },
                COMMON_LONG_OPTIONS,
                {},
        };
        const char *pid_arg = NULL;
        int opt, r;

        optind = 0;
        opterr = 0;
        /* No '+': options may come before or after the PID. */
        while ((opt = getopt_long(argc, argv, ":f:o:h", longopts, NULL)) != -1) {
                if (cmd_common_option(opt, g))
                        continue;
                switch (opt) {
                case 'f':
                        if ((r = cmd_parse_table_or_json(cmd, optarg, &a->json)) != 0)
                                return r;
                        break;
                case 'o':
                        a->output = optarg;
                        break;
                case OPT_WINDOW:
                        if ((r = cmd_parse_cpu_window(cmd, optarg, &a->window_usec)) != 0)
                                return r;
                        break;
                case 'h':
                        cmd_print_help(cmd);
                        return -1;
                default:
                        return cmd_bad_option(cmd, opt, argc, argv);
                }
        }
        /* argv[0] is the command name; getopt moved the operands last. */
        if (optind >= argc)
                return cmd_usage_error(cmd, "missing PID");
        pid_arg = argv[optind];
        if (optind + 1 < argc)
                return cmd_usage_error(cmd, "unexpected argument '%s'", argv[optind + 1]);
        uint64_t v;
        if (safe_atou64(pid_arg, &v) < 0 || v == 0 || v > INT_MAX)
                return cmd_usage_error(cmd, "PID must be a positive whole number, got '%s'", pid_arg);
        a->pid = (int)v;
        return 0;
}

static int run_inspect(const Command *cmd, int argc, char **argv, GlobalOptions *g)
{
        InspectArgs a = { .window_usec = 100 * USEC_PER_MSEC };
        int r = parse_args(cmd, argc, argv, g, &a);
        if (r != 0)
                return r < 0 ? EXIT_OK : r;

        RootFS fs;
        if ((r = cmd_open_roots(g, &fs)) != EXIT_OK)
                return r;

        /* CPU percent: utime+stime before and after the window. */
        PidCpuSample c0, c1;
        bool have_c0 = false;
        if (a.window_usec > 0) {
                have_c0 = pid_cpu_sample(&fs, a.pid, &c0) == 0;
                if (have_c0)
                        sleep_until_monotonic(c0.t_usec + a.window_usec, NULL);
        }
        ProcessDetail *d = calloc(1, sizeof *d);
        if (!d) {
                rootfs_close(&fs);
                fprintf(stderr, "30secs %s: out of memory\n", cmd->name);
                return EXIT_RUNTIME;
        }
        int rc = EXIT_OK;
        int out_fd = STDOUT_FILENO;
        r = pid_detail_read(&fs, a.pid, d);
        if (r == -ESRCH) {
                fprintf(stderr, "30secs %s: no process with PID %d\n", cmd->name, a.pid);
                rc = EXIT_RUNTIME;
        } else if (r < 0) {
                fprintf(stderr, "30secs %s: cannot read process %d: %s\n", cmd->name, a.pid, strerror(-r));
                rc = EXIT_RUNTIME;
        } else if (a.output && (out_fd = cmd_open_output(a.output)) < 0) {
                /* Opened only now: a missing process leaves no empty file. */
                fprintf(stderr, "30secs %s: cannot open output file '%s': %s\n", cmd->name, a.output,
                        strerror(-out_fd));
                out_fd = STDOUT_FILENO;
                rc = EXIT_RUNTIME;
        } else {
                if (have_c0 && pid_cpu_sample(&fs, a.pid, &c1) == 0)
                        d->cpu_percent = pid_cpu_percent(&c0, &c1);

                bool tty = !a.output && isatty(STDOUT_FILENO);
                const char *no_color = getenv("NO_COLOR");
                char *doc = a.json ? render_inspect_json(d, tty)
                                   : render_inspect_table(d, (unsigned)(a.window_usec / USEC_PER_MSEC),
                                                          &(TableStyle){ .color = tty && !(no_color && *no_color) });
                if (!doc) {
                        fprintf(stderr, "30secs %s: out of memory\n", cmd->name);
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
        }
        process_detail_done(d);
        free(d);
        rootfs_close(&fs);
        if (out_fd != STDOUT_FILENO && close(out_fd) < 0 && rc == EXIT_OK) {
                fprintf(stderr, "30secs %s: cannot write '%s': %s\n", cmd->name, a.output, strerror(errno));
                rc = EXIT_RUNTIME;
        }
        return rc;
}

const Command cmd_inspect = {
        .name = "inspect",
        .summary = "Show one process in depth: memory breakdown, files, sockets, limits.",
        .usage = "PID [options]",
        .help = "  -f, --format FMT     table (default) or json\n"
                "  -o, --output FILE    append the report to FILE\n"
                "      --cpu-window MS  CPU sampling window in milliseconds (default 100; 0: skip)\n",
        .run = run_inspect,
};
