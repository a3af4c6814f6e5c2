/* SPDX-License-Identifier: MIT */
/* `oom`: who was OOM-killed, and the kernel's whole story of each kill.
 *
 * Sources, read directly: the ring buffer (/dev/kmsg, else klogctl) and
 * the journal's kernel messages (journalctl, all boots); the same kill in
 * both is reported once. --input FILE parses saved logs instead (dmesg in
 * any time format, /dev/kmsg dumps, journalctl short or JSON, kern.log).
 * --follow stays on /dev/kmsg and prints each new kill as it happens. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analyze/kmsg-lines.h"
#include "analyze/oom.h"
#include "cmd/cmd.h"
#include "collect/cgroup.h"
#include "collect/kernlog.h"
#include "collect/memory.h"
#include "render/oom.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#define MAX_INPUTS 32
#define MAX_ERRORS 8

typedef struct OomArgs {
        bool json;
        const char *output;
        const char *inputs[MAX_INPUTS];
        size_t n_inputs;
        uint64_t since_usec; /* realtime cutoff, 0 = none */
        bool follow;
        bool journal;
} OomArgs;

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
        (void)sig;
        stop_requested = 1;
}

/* "90s", "15m", "2h", "7d" ago, or an ISO 8601 time ("2026-11-25T10:00:00Z",
 * "2026-11-25 10:00:00+01:00", a date alone is midnight UTC). */
static int parse_since(const char *s, uint64_t *ret_usec)
{
        const char *p = s;
        double v;
        size_t len = strlen(s);
        if (len >= 2 && scan_double(&p, &v) == 0 && v >= 0 && p[0] && !p[1]) {
                double mult = p[0] == 's' ? 1 : p[0] == 'm' ? 60 : p[0] == 'h' ? 3600 : p[0] == 'd' ? 86400 : 0;
                if (mult == 0)
                        return -EINVAL;
                usec_t now = now_realtime_usec();
                double ago = v * mult * 1e6;
                *ret_usec = ago >= (double)now ? 1 : now - (usec_t)ago;
                return 0;
        }
        uint64_t usec;
        char tmp[64];
        if (len == 10 && len + 10 < sizeof tmp) {
                snprintf(tmp, sizeof tmp, "%sT00:00:00Z", s);
                s = tmp;
                len = strlen(s);
        }
        if (iso8601_parse_prefix(s, len, &usec) == len) {
                *ret_usec = usec;
                return 0;
        }
        return -EINVAL;
}

static int parse_args(const Command *cmd, int argc, char **argv, GlobalOptions *g, OomArgs *a)
{
        enum { OPT_INPUT = 1300, OPT_SINCE, OPT_FOLLOW, OPT_NO_JOURNAL };
        static const struct option longopts[] = {
                { "format", required_argument, NULL, 'f' },
                { "output", required_argument, NULL, 'o' },
                { "input", required_argument, NULL, OPT_INPUT },
                { "since", required_argument, NULL, OPT_SINCE },
                { "follow", no_argument, NULL, OPT_FOLLOW },
                { "no-journal", no_argument, NULL, OPT_NO_JOURNAL },
                COMMON_LONG_OPTIONS,
                {},
        };
        int opt, r;
        optind = 0;
        opterr = 0;
        while ((opt = getopt_long(argc, argv, "+:f:o:h", longopts, NULL)) != -1) {
                if (cmd_common_option(opt, g))
                        continue;
                switch (opt) {
                case 'f':
                        if ((r = cmd_parse_table_or_json(cmd, optarg, &a->json)) != 0)
                                return r;
                        break;
                case 'o': a->output = optarg; break;
                case OPT_INPUT:
                        if (a->n_inputs == MAX_INPUTS)
                                return cmd_usage_error(cmd, "at most %d --input files", MAX_INPUTS);
                        a->inputs[a->n_inputs++] = optarg;
                        break;
                case OPT_SINCE:
                        if (parse_since(optarg, &a->since_usec) < 0)
                                return cmd_usage_error(cmd, "--since takes a duration (90s, 15m, 2h, 7d) or an ISO 8601 time, got '%s'",
                                                       optarg);
                        break;
                case OPT_FOLLOW: a->follow = true; break;
                case OPT_NO_JOURNAL: a->journal = false; break;
                case 'h': cmd_print_help(cmd); return -1;
                default: return cmd_bad_option(cmd, opt, argc, argv);
                }
        }
        if (optind < argc)
                return cmd_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
        if (a->follow && a->n_inputs)
                return cmd_usage_error(cmd, "--follow reads the live kernel log; it cannot be used with --input");
        return 0;
}

/* Realtime of the printk clock's zero: the printk clock runs like
 * CLOCK_MONOTONIC (it stops in suspend), so boot = now - monotonic. */
static uint64_t boot_realtime_usec(void)
{
        return now_realtime_usec() - now_monotonic_usec();
}

typedef struct TimeCtx {
        uint64_t boot_usec; /* for events of this boot read from the live ring buffer */
} TimeCtx;

static uint64_t event_time(const OomEvent *ev, void *userdata)
{
        const TimeCtx *tc = userdata;
        if (has_u64(ev->realtime_usec))
                return ev->realtime_usec;
        if (tc && has_u64(tc->boot_usec) && !isnan(ev->kernel_time_s) && ev->kernel_time_s >= 0 &&
            (ev->source_format == LOG_FMT_KMSG || ev->source_format == LOG_FMT_DMESG))
                return tc->boot_usec + (uint64_t)(ev->kernel_time_s * 1e6);
        return U64_ABSENT;
}

static int read_input(const char *path, Buf *b)
{
        if (strcmp(path, "-") == 0)
                return (int)read_fd_buf(STDIN_FILENO, b, 1u << 30);
        return (int)read_file_buf_at(AT_FDCWD, path, b, 1u << 30);
}


/* ---- --follow ------------------------------------------------------------ */

typedef struct FollowCtx {
        OomParser *parser;
        const OomArgs *a;
        const Command *cmd;
        int out_fd;
        uint64_t boot_usec;
        int write_error;
} FollowCtx;

static int on_follow_line(const LogLine *line, void *userdata)
{
        FollowCtx *fc = userdata;
        OomEvent ev;
        if (oom_parser_feed_line(fc->parser, line, &ev, NULL) != OOM_FEED_KILL)
                return 0;
        TimeCtx tc = { fc->boot_usec };
        uint64_t when = event_time(&ev, &tc);
        char *doc = fc->a->json ? render_oom_event_json(&ev, when) : render_oom_event_row(&ev, when);
        if (!doc)
                return 0;
        int r = cmd_write_record(fc->out_fd, doc, strlen(doc));
        free(doc);
        if (r < 0) {
                fc->write_error = r;
                return 1;
        }
        return 0;
}

static int run_follow(const Command *cmd, const OomArgs *a)
{
        int fd = kernlog_open_kmsg_follow();
        if (fd < 0) {
                fprintf(stderr, "30secs oom: cannot follow /dev/kmsg: %s%s\n", strerror(-fd),
                        fd == -EACCES || fd == -EPERM ? " (run as root or grant CAP_SYSLOG)" : "");
                return EXIT_RUNTIME;
        }
        FollowCtx fc = { .parser = oom_parser_new(), .a = a, .cmd = cmd, .out_fd = STDOUT_FILENO,
                         .boot_usec = boot_realtime_usec() };
        if (a->output && (fc.out_fd = cmd_open_output(a->output)) < 0) {
                fprintf(stderr, "30secs oom: cannot open output file '%s': %s\n", a->output, strerror(-fc.out_fd));
                close(fd);
                oom_parser_free(fc.parser);
                return EXIT_RUNTIME;
        }
        struct sigaction sa = { .sa_handler = on_stop };
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        if (!a->json && isatty(fc.out_fd))
                dprintf(fc.out_fd, "waiting for OOM kills (Ctrl-C to stop)...\n");

        LogDecoder *dec = log_decoder_new();
        Buf b = { 0 };
        int rc = EXIT_OK;
        while (!stop_requested) {
                struct pollfd pfd = { .fd = fd, .events = POLLIN };
                int n = poll(&pfd, 1, -1);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        rc = EXIT_RUNTIME;
                        break;
                }
                b.len = 0;
                int r = kernlog_read_available(fd, &b);
                if (r < 0) {
                        fprintf(stderr, "30secs oom: reading /dev/kmsg: %s\n", strerror(-r));
                        rc = EXIT_RUNTIME;
                        break;
                }
                if (b.len)
                        log_decoder_feed(dec, b.data, b.len, on_follow_line, &fc);
                if (fc.write_error) {
                        fprintf(stderr, "30secs oom: cannot write %s: %s\n", a->output ? a->output : "to stdout",
                                strerror(-fc.write_error));
                        rc = EXIT_RUNTIME;
                        break;
                }
        }
        buf_free(&b);
        log_decoder_free(dec);
        oom_parser_free(fc.parser);
        close(fd);
        if (a->output)
                close(fc.out_fd);
        return rc;
}

/* ---- one report ------------------------------------------------------------ */

/* "cannot read WHAT: strerror(r)HINT" */
static void add_error(char errs[][200], size_t *n, const char *what, int r, const char *hint)
{
        if (*n < MAX_ERRORS)
                snprintf(errs[(*n)++], 200, "cannot read %s: %s%s", what, strerror(-r), hint);
}

static int cmp_time(const void *x, const void *y, void *ud)
{
        uint64_t a = event_time(x, ud), b = event_time(y, ud);
        if (!has_u64(a) || !has_u64(b))
                return 0;
        return (a > b) - (a < b);
}

/* Insertion sort: stable, and the lists are nearly sorted already. */
static void sort_events(OomEvent *ev, size_t n, TimeCtx *tc)
{
        OomEvent tmp;
        for (size_t i = 1; i < n; i++) {
                size_t k = i;
                while (k > 0 && cmp_time(&ev[k - 1], &ev[i], tc) > 0)
                        k--;
                if (k == i)
                        continue;
                tmp = ev[i];
                memmove(&ev[k + 1], &ev[k], (i - k) * sizeof *ev);
                ev[k] = tmp;
        }
}

static int run_oom(const Command *cmd, int argc, char **argv, GlobalOptions *g)
{
        OomArgs a = { .journal = true };
        int r = parse_args(cmd, argc, argv, g, &a);
        if (r != 0)
                return r < 0 ? EXIT_OK : r;
        if (a.follow)
                return run_follow(cmd, &a);

        char errors[MAX_ERRORS][200];
        size_t n_errors = 0;
        char source_names[MAX_INPUTS + 3][128];
        size_t n_sources = 0;
        OomEventList all;
        oom_event_list_init(&all);
        TimeCtx tc = { .boot_usec = U64_ABSENT };
        Buf b = { 0 };

        if (a.n_inputs) {
                for (size_t i = 0; i < a.n_inputs; i++) {
                        b.len = 0;
                        r = read_input(a.inputs[i], &b);
                        if (r < 0) {
                                fprintf(stderr, "30secs oom: cannot read '%s': %s\n", a.inputs[i], strerror(-r));
                                buf_free(&b);
                                oom_event_list_free(&all);
                                return EXIT_RUNTIME;
                        }
                        oom_parse_text_append(b.data, b.len, &all);
                        snprintf(source_names[n_sources++], sizeof source_names[0], "file:%.100s", a.inputs[i]);
                }
        } else {
                tc.boot_usec = boot_realtime_usec();
                b.len = 0;
                r = kernlog_read_kmsg(&b);
                if (r == 0) {
                        snprintf(source_names[n_sources++], sizeof source_names[0], "kmsg");
                } else {
                        add_error(errors, &n_errors, "/dev/kmsg", r,
                                  r == -EACCES || r == -EPERM
                                          ? " (run as root or grant CAP_SYSLOG to see the ring buffer)" : "");
                        b.len = 0;
                        r = kernlog_read_klogctl(&b);
                        if (r == 0)
                                snprintf(source_names[n_sources++], sizeof source_names[0], "klogctl");
                        else
                                add_error(errors, &n_errors, "the kernel ring buffer (klogctl)", r, "");
                }
                if (b.len)
                        oom_parse_text_append(b.data, b.len, &all);
                if (a.journal) {
                        OomEventList j;
                        oom_event_list_init(&j);
                        b.len = 0;
                        r = kernlog_read_journal(&b, a.since_usec / USEC_PER_SEC);
                        if (r == 0) {
                                snprintf(source_names[n_sources++], sizeof source_names[0], "journal");
                                oom_parse_text_append(b.data, b.len, &j);
                        } else {
                                add_error(errors, &n_errors,
                                          r == -ENOENT ? "the journal (journalctl not installed)" : "the journal",
                                          r, "");
                        }
                        /* The same kill seen in the ring buffer and the journal counts once. */
                        for (size_t i = 0; i < j.n; i++) {
                                bool dup = false;
                                for (size_t k = 0; k < all.n && !dup; k++)
                                        dup = oom_event_same_kill(&all.events[k], &j.events[i]);
                                if (!dup)
                                        oom_event_list_append(&all, &j.events[i]);
                        }
                        oom_event_list_free(&j);
                }
        }
        buf_free(&b);

        /* --since: drop kills known to be older; keep those of unknown time. */
        size_t kept = 0;
        for (size_t i = 0; i < all.n; i++) {
                uint64_t t = event_time(&all.events[i], &tc);
                if (a.since_usec && has_u64(t) && t < a.since_usec)
                        continue;
                all.events[kept++] = all.events[i];
        }
        all.n = kept;
        sort_events(all.events, all.n, &tc);

        /* Counters survive log rotation: the kernel's and this cgroup's. */
        OomSummary sum = { .events = all.events, .n = all.n, .vmstat_oom_kill = U64_ABSENT,
                           .cgroup_oom_kill = U64_ABSENT, .cgroup_oom = U64_ABSENT };
        RootFS fs;
        const char *which;
        if (rootfs_open(&fs, g->procfs, g->sysfs, g->rootfs, &which) == 0) {
                MemoryInfo mi;
                memset(&mi, 0, sizeof mi);
                mi.oom_kill_count = U64_ABSENT;
                if (memory_collect(&fs, &mi) == 0)
                        sum.vmstat_oom_kill = mi.oom_kill_count;
                CgroupMemory cg;
                cgroup_memory_init(&cg);
                if (cgroup_memory_collect(&fs, &cg) == 0 && cg.version) {
                        sum.cgroup_oom_kill = cg.ev_oom_kill;
                        sum.cgroup_oom = cg.ev_oom;
                }
                rootfs_close(&fs);
        }
        const char *src_ptrs[MAX_INPUTS + 3], *err_ptrs[MAX_ERRORS];
        for (size_t i = 0; i < n_sources; i++)
                src_ptrs[i] = source_names[i];
        for (size_t i = 0; i < n_errors; i++)
                err_ptrs[i] = errors[i];
        sum.sources = src_ptrs;
        sum.n_sources = n_sources;
        sum.source_errors = err_ptrs;
        sum.n_source_errors = n_errors;
        for (size_t i = 0; i < n_errors; i++)
                fprintf(stderr, "30secs oom: %s\n", errors[i]);

        bool pretty = !a.output && isatty(STDOUT_FILENO);
        TableStyle style = { .color = cmd_stdout_color(a.output) };
        int rc = cmd_emit_document(cmd, a.output, a.json ? render_oom_json(&sum, event_time, &tc, pretty)
                                                         : render_oom_table(&sum, event_time, &tc, &style));
        oom_event_list_free(&all);
        return rc;
}

const Command cmd_oom = {
        .name = "oom",
        .summary = "Show OOM-killer kills from the kernel log and journal, with memory figures and cgroups.",
        .usage = "[options]",
        .help = "  -f, --format FMT     table (default) or json\n"
                "  -o, --output FILE    append the report to FILE\n"
                "      --input FILE     parse a saved log instead (repeatable; - for stdin): dmesg\n"
                "                       (any time format), /dev/kmsg dump, journalctl short or -o json,\n"
                "                       kern.log\n"
                "      --since WHEN     only kills after WHEN: 90s, 15m, 2h, 7d, or an ISO 8601 time\n"
                "      --follow         print each new kill as it happens (JSON Lines with -f json)\n"
                "      --no-journal     read the ring buffer only\n",
        .run = run_oom,
};
