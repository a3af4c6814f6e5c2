/* SPDX-License-Identifier: MIT */
/* `leak PID` and `leak top`: sample processes on a monotonic schedule,
 * then score each series (analyze/leak-report.c).
 *
 * Every tick: sleep until start + k * interval; read each process's
 * status/stat/fd (and smaps_rollup for `leak PID`); a process found gone
 * is marked exited with the time, and keeps the samples it had. Progress
 * goes to stderr when stderr is a terminal. SIGINT/SIGTERM stop sampling;
 * the report is printed from what was taken (at least 3 samples). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/leak-report.h"
#include "cmd/cmd.h"
#include "cmd/leak-python.h"
#include "collect/pidinfo.h"
#include "collect/process.h"
#include "render/leak.h"
#include "util/human.h"
#include "util/parse.h"
#include "util/xalloc.h"

/* Fewer samples than this give no report at all. */
#define REPORT_MIN_SAMPLES 3

typedef struct LeakArgs {
        bool top;
        int pid;
        double interval_sec;
        uint64_t count;
        uint64_t limit;
        bool json;
        const char *output;
} LeakArgs;

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
        (void)sig;
        stop_requested = 1;
}

static int parse_pid(const char *s, int *ret)
{
        uint64_t v;
        if (safe_atou64(s, &v) < 0 || v == 0 || v > 4194304)
                return -EINVAL;
        *ret = (int)v;
        return 0;
}

static int parse_args(const Command *cmd, int argc, char **argv, GlobalOptions *g, LeakArgs *a)
{
        enum { OPT_DEEP_PYTHON = 1200 };
        static const struct option longopts[] = {
                { "interval", required_argument, NULL, 'i' },
                { "count", required_argument, NULL, 'n' },
                { "limit", required_argument, NULL, 'l' },
                { "format", required_argument, NULL, 'f' },
                { "output", required_argument, NULL, 'o' },
                { "deep-python", no_argument, NULL, OPT_DEEP_PYTHON },
                COMMON_LONG_OPTIONS,
                {},
        };
        int opt;
        bool limit_given = false;

        optind = 0;
        opterr = 0;
        /* Permute, so `leak 1234 -i 1` and `leak -i 1 1234` both work. */
        while ((opt = getopt_long(argc, argv, ":i:n:l:f:o:h", longopts, NULL)) != -1) {
                if (cmd_common_option(opt, g))
                        continue;
                switch (opt) {
                case 'i':
                        if (safe_atod(optarg, &a->interval_sec) < 0 || !(a->interval_sec > 0) ||
                            a->interval_sec > 86400)
                                return cmd_usage_error(cmd, "--interval takes seconds greater than 0, got '%s'",
                                                       optarg);
                        break;
                case 'n':
                        if (safe_atou64(optarg, &a->count) < 0 || a->count < 2 || a->count > 1000000)
                                return cmd_usage_error(cmd, "--count takes a number of samples of at least 2, got '%s'",
                                                       optarg);
                        break;
                case 'l':
                        if (safe_atou64(optarg, &a->limit) < 0 || a->limit < 1 || a->limit > 1000)
                                return cmd_usage_error(cmd, "--limit takes a number from 1 to 1000, got '%s'", optarg);
                        limit_given = true;
                        break;
                case 'f': {
                        int r = cmd_parse_table_or_json(cmd, optarg, &a->json);
                        if (r != 0)
                                return r;
                        break;
                }
                case 'o':
                        a->output = optarg;
                        break;
                case OPT_DEEP_PYTHON:
                        return cmd_usage_error(cmd, "--deep-python is not available yet");
                case 'h':
                        cmd_print_help(cmd);
                        return -1;
                default:
                        return cmd_bad_option(cmd, opt, argc, argv);
                }
        }
        if (optind >= argc)
                return cmd_usage_error(cmd, "give a PID, or 'top'");
        if (optind + 1 < argc)
                return cmd_usage_error(cmd, "unexpected argument '%s'", argv[optind + 1]);
        if (strcmp(argv[optind], "top") == 0)
                a->top = true;
        else if (parse_pid(argv[optind], &a->pid) < 0)
                return cmd_usage_error(cmd, "'%s' is not a PID (a positive number) or 'top'", argv[optind]);
        if (limit_given && !a->top)
                return cmd_usage_error(cmd, "--limit is for 'leak top'");
        return 0;
}

static void series_push(PidSeries *s, const PidResourceSample *smp)
{
        if (s->n == s->cap) {
                s->cap = s->cap ? s->cap * 2 : 64;
                s->samples = xreallocarray(s->samples, s->cap, sizeof *s->samples);
        }
        s->samples[s->n++] = *smp;
}

static void read_name(const RootFS *fs, int pid, char *out, size_t cap)
{
        if (pid_display_name(fs, pid, out, cap) < 0)
                snprintf(out, cap, "?");
}

/* Samples every series once; returns how many are still alive. */
static size_t sample_all(const RootFS *fs, PidSeries *s, size_t n, bool with_smaps)
{
        size_t alive = 0;
        for (size_t i = 0; i < n; i++) {
                if (s[i].exited)
                        continue;
                PidResourceSample smp;
                int r = pid_resource_sample(fs, s[i].pid, with_smaps, &smp);
                if (r == -ESRCH || r == -ENOENT) {
                        s[i].exited = true;
                        s[i].exited_usec = now_monotonic_usec();
                        continue;
                }
                alive++;
                if (r == 0)
                        series_push(&s[i], &smp);
        }
        return alive;
}

static void progress(const LeakArgs *a, uint64_t k, const PidSeries *s, size_t n_series)
{
        if (!isatty(STDERR_FILENO))
                return;
        if (a->top) {
                fprintf(stderr, "\r\033[Ksample %llu/%llu  %zu processes", (unsigned long long)k,
                        (unsigned long long)a->count, n_series);
                return;
        }
        char rss[HUMAN_BYTES_MAX] = "n/a", slope[HUMAN_BYTES_MAX] = "n/a";
        if (s->n && has_u64(s->samples[s->n - 1].rss_bytes))
                human_bytes(s->samples[s->n - 1].rss_bytes, rss);
        double per_min = NAN;
        if (s->n >= 2) {
                const PidResourceSample *f = &s->samples[0], *l = &s->samples[s->n - 1];
                double dt = (double)(l->t_usec - f->t_usec) / 1e6;
                if (dt > 0 && has_u64(f->rss_bytes) && has_u64(l->rss_bytes))
                        per_min = ((double)l->rss_bytes - (double)f->rss_bytes) / dt * 60.0;
        }
        if (!isnan(per_min))
                human_bytes((uint64_t)(per_min < 0 ? -per_min : per_min), slope);
        fprintf(stderr, "\r\033[Ksample %llu/%llu  RSS %s  slope %s%s/min", (unsigned long long)k,
                (unsigned long long)a->count, rss, per_min < 0 ? "-" : "+", slope);
}

/* Picks the `limit` processes with the largest RSS (kernel threads have
 * none and are never picked). */
static int pick_heaviest(const RootFS *fs, uint64_t limit, PidSeries **ret, size_t *ret_n)
{
        ProcScan scan = { 0 };
        int r = proc_scan(fs, &scan, false, NULL);
        if (r < 0)
                return r;
        int self = (int)getpid();
        PidSeries *s = xcalloc(limit, sizeof *s);
        size_t n = 0;
        for (size_t i = 0; i < scan.n; i++) {
                const PidSample *p = &scan.v[i];
                if (p->rss_pages == 0 || p->pid == self)
                        continue;
                size_t pos = n < limit ? n++ : limit;
                if (pos == limit) {
                        if (p->rss_pages <= s[limit - 1].cap) /* cap holds rss during selection */
                                continue;
                        pos = limit - 1;
                }
                while (pos > 0 && s[pos - 1].cap < p->rss_pages) {
                        s[pos] = s[pos - 1];
                        pos--;
                }
                s[pos] = (PidSeries){ .pid = p->pid, .cap = p->rss_pages };
                snprintf(s[pos].name, sizeof s[pos].name, "%s", p->comm);
        }
        proc_scan_done(&scan);
        for (size_t i = 0; i < n; i++) {
                s[i].cap = 0;
                read_name(fs, s[i].pid, s[i].name, sizeof s[i].name);
        }
        *ret = s;
        *ret_n = n;
        return 0;
}

static int cmp_entries(const void *x, const void *y)
{
        const LeakTopEntry *a = x, *b = y;
        if (a->report.verdict.score != b->report.verdict.score)
                return a->report.verdict.score > b->report.verdict.score ? -1 : 1;
        double ga = a->report.has_metric[LEAK_METRIC_RSS] ? a->report.trend[LEAK_METRIC_RSS].growth : 0;
        double gb = b->report.has_metric[LEAK_METRIC_RSS] ? b->report.trend[LEAK_METRIC_RSS].growth : 0;
        return (ga < gb) - (ga > gb);
}


static int run_leak(const Command *cmd, int argc, char **argv, GlobalOptions *g)
{
        for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
                if (strcmp(argv[i], "--deep-python") == 0)
                        return run_leak_deep_python(cmd, argc, argv, g);
        LeakArgs a = { .interval_sec = 2.0, .count = 30, .limit = 5 };
        int r = parse_args(cmd, argc, argv, g, &a);
        if (r != 0)
                return r < 0 ? EXIT_OK : r;
        RootFS fs;
        if ((r = cmd_open_roots(g, &fs)) != EXIT_OK)
                return r;

        PidSeries *series = NULL;
        size_t n_series = 0;
        if (a.top) {
                if ((r = pick_heaviest(&fs, a.limit, &series, &n_series)) < 0) {
                        fprintf(stderr, "30secs leak: cannot list processes under %s: %s\n", fs.proc_path,
                                strerror(-r));
                        rootfs_close(&fs);
                        return EXIT_RUNTIME;
                }
        } else {
                PidResourceSample probe;
                r = pid_resource_sample(&fs, a.pid, false, &probe);
                if (r == -ESRCH || r == -ENOENT) {
                        fprintf(stderr, "30secs leak: no process with PID %d\n", a.pid);
                        rootfs_close(&fs);
                        return EXIT_RUNTIME;
                }
                if (r < 0) {
                        fprintf(stderr, "30secs leak: cannot read PID %d: %s (run as its user or as root)\n",
                                a.pid, strerror(-r));
                        rootfs_close(&fs);
                        return EXIT_RUNTIME;
                }
                series = xcalloc(1, sizeof *series);
                series->pid = a.pid;
                read_name(&fs, a.pid, series->name, sizeof series->name);
                n_series = 1;
        }

        struct sigaction sa = { .sa_handler = on_stop };
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);

        /* smaps_rollup walks the target's page tables (ms per GiB of RSS):
         * worth it for one process, not for every candidate of `top`. */
        bool with_smaps = !a.top;
        usec_t interval = (usec_t)(a.interval_sec * 1e6 + 0.5);
        usec_t start = now_monotonic_usec();
        uint64_t k;
        for (k = 0; k < a.count && !stop_requested; k++) {
                if (k > 0)
                        sleep_until_monotonic(start + k * interval, &stop_requested);
                if (stop_requested)
                        break;
                size_t alive = sample_all(&fs, series, n_series, with_smaps);
                progress(&a, k + 1, series, n_series);
                if (alive == 0)
                        break;
        }
        if (isatty(STDERR_FILENO))
                fputc('\n', stderr);

        int rc = EXIT_OK;
        bool pretty = !a.output && isatty(STDOUT_FILENO);
        TableStyle style = { .color = cmd_stdout_color(a.output) };
        if (a.top) {
                LeakTopEntry *e = xcalloc(n_series ? n_series : 1, sizeof *e);
                for (size_t i = 0; i < n_series; i++) {
                        e[i].series = &series[i];
                        leak_report_build(&series[i], &e[i].report);
                }
                qsort(e, n_series, sizeof *e, cmp_entries);
                for (size_t i = 0; i < n_series; i++)
                        e[i].rank = (int)i + 1;
                rc = cmd_emit_document(cmd, a.output, a.json ? render_leak_top_json(e, n_series, a.interval_sec, pretty)
                                              : render_leak_top_table(e, n_series, a.interval_sec, &style));
                free(e);
        } else if (series->n < REPORT_MIN_SAMPLES) {
                if (series->exited)
                        fprintf(stderr, "30secs leak: PID %d exited after %zu sample%s; at least %d are needed for a report\n",
                                a.pid, series->n, series->n == 1 ? "" : "s", REPORT_MIN_SAMPLES);
                else
                        fprintf(stderr, "30secs leak: stopped after %zu sample%s; at least %d are needed for a report\n",
                                series->n, series->n == 1 ? "" : "s", REPORT_MIN_SAMPLES);
                rc = EXIT_RUNTIME;
        } else {
                if (series->exited)
                        fprintf(stderr, "30secs leak: PID %d exited after %.1f s; reporting its %zu samples\n", a.pid,
                                (double)(series->exited_usec - series->samples[0].t_usec) / 1e6, series->n);
                LeakReport rep;
                leak_report_build(series, &rep);
                rc = cmd_emit_document(cmd, a.output, a.json ? render_leak_json(series, &rep, a.interval_sec, pretty)
                                              : render_leak_table(series, &rep, a.interval_sec, &style));
        }
        for (size_t i = 0; i < n_series; i++)
                free(series[i].samples);
        free(series);
        rootfs_close(&fs);
        return rc;
}

const Command cmd_leak = {
        .name = "leak",
        .summary = "Sample a process (PID) or the heaviest ones (top) and score memory-leak likelihood.",
        .usage = "PID|top [options]  |  --deep-python (--script FILE | --module NAME) [options]",
        .help = "  -i, --interval SEC   seconds between samples (default 2; fractions allowed)\n"
                "  -n, --count N        number of samples (default 30, at least 2)\n"
                "  -l, --limit N        leak top: how many of the heaviest processes (default 5)\n"
                "  -f, --format FMT     table (default) or json\n"
                "  -o, --output FILE    append the report to FILE\n"
                "Deep Python analysis (runs the target under tracemalloc):\n"
                "      --deep-python    run a Python program and report growing lines and types\n"
                "      --script FILE    the program to run as __main__\n"
                "      --module NAME    or a module, like python -m NAME\n"
                "      --script-args S  its arguments, split with shell quoting (no expansion)\n"
                "      --python PATH    interpreter, 3.8 or newer (default python3 on PATH)\n"
                "      --top-lines N    growing source lines to report (default 15)\n"
                "      --top-types N    growing object types to report (default 15)\n"
                "      --traceback-limit N  frames kept per allocation (default 25)\n"
                "      --duration SEC   stop the target (SIGTERM) after SEC and report\n"
                "      --every SEC      intermediate snapshots: per-line growth trend\n"
                "      --warmup SEC     baseline snapshot this long after start (default 1)\n",
        .run = run_leak,
};
