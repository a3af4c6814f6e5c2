/* SPDX-License-Identifier: MIT */
/* `leak --deep-python`: runs a Python target under tracemalloc.
 *
 *   PYTHON -c STUB [bootstrap options] --fd W (--script F | --module M) -- ARGS...
 *
 * STUB compiles the embedded bootstrap (src/deep/tracemalloc_bootstrap.py,
 * passed in $THIRTYSECS_BOOTSTRAP and removed from the environment before
 * the target runs) under the name "<30secs-bootstrap>". The bootstrap
 * writes JSON lines to the inherited pipe end W ("hello", "sample",
 * "error", "final"); the target keeps our stdin, stdout and stderr.
 * The bootstrap starts tracemalloc itself just before the target runs
 * (tracing the interpreter's start-up too cost ~1 s per run and made
 * every snapshot slow; see the bootstrap's comments).
 *
 * Stopping: --duration sends SIGTERM to the child when it expires; a
 * SIGINT or SIGTERM sent to 30secs with kill(1) is forwarded (a Ctrl-C on
 * the terminal already reaches the child, which is in our process group).
 * The bootstrap takes its final snapshot while the target still runs. If
 * no final record comes within STOP_GRACE_SEC, or on a second signal, the
 * child is killed. The report is written after the child ended. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "analyze/leak.h"
#include "analyze/trend.h"
#include "cmd/leak-python.h"
#include "deep/bootstrap.h"
#include "render/json-util.h"
#include "render/leak.h"
#include "util/human.h"
#include "util/parse.h"
#include "util/utf8.h"
#include "util/xalloc.h"

extern char **environ;

#define STOP_GRACE_SEC 20
#define RECORD_MAX (64u << 20)
/* Per-line series are scored with the `leak PID` scorer, whose byte
 * floor is 1 MiB: a source line is judged on 1/64 of that (16 KiB). */
#define LINE_SCALE 64.0

static const char STUB[] =
        "import os;exec(compile(os.environ.pop('THIRTYSECS_BOOTSTRAP'),'<30secs-bootstrap>','exec'))";

typedef struct DeepArgs {
        const char *script;
        const char *module;
        const char *script_args;
        const char *python;
        bool python_given;
        uint64_t top_lines, top_types, traceback_limit;
        double duration, every, warmup;
        bool json;
        const char *output;
} DeepArgs;

/* ---- argument splitting ------------------------------------------- */

typedef struct Word {
        char *s;
        size_t n, cap;
} Word;

static void word_add(Word *w, char c)
{
        if (w->n + 2 > w->cap) {
                w->cap = w->cap ? w->cap * 2 : 32;
                w->s = xreallocarray(w->s, w->cap, 1);
        }
        w->s[w->n++] = c;
        w->s[w->n] = '\0';
}

void deep_free_words(char **words)
{
        if (!words)
                return;
        for (char **p = words; *p; p++)
                free(*p);
        free(words);
}

int deep_split_args(const char *s, char ***ret_words, size_t *ret_n)
{
        char **v = xcalloc(1, sizeof *v);
        size_t n = 0;
        const char *p = s ? s : "";
        for (;;) {
                while (*p == ' ' || *p == '\t' || *p == '\n')
                        p++;
                if (!*p)
                        break;
                Word w = { 0 };
                bool have = false; /* '' is a word */
                while (*p && *p != ' ' && *p != '\t' && *p != '\n') {
                        if (*p == '\'') {
                                const char *e = strchr(p + 1, '\'');
                                if (!e)
                                        goto bad;
                                for (const char *q = p + 1; q < e; q++)
                                        word_add(&w, *q);
                                have = true;
                                p = e + 1;
                        } else if (*p == '"') {
                                p++;
                                while (*p != '"') {
                                        if (!*p)
                                                goto bad;
                                        if (*p == '\\' && p[1] && strchr("\\\"$`\n", p[1]))
                                                p++;
                                        word_add(&w, *p++);
                                }
                                have = true;
                                p++;
                        } else if (*p == '\\') {
                                if (!p[1])
                                        goto bad;
                                word_add(&w, p[1]);
                                p += 2;
                        } else {
                                word_add(&w, *p++);
                        }
                        continue;
                bad:
                        free(w.s);
                        v[n] = NULL;
                        deep_free_words(v);
                        return -EINVAL;
                }
                (void)have;
                v = xreallocarray(v, n + 2, sizeof *v);
                v[n++] = w.s ? w.s : xstrdup("");
                v[n] = NULL;
        }
        *ret_words = v;
        *ret_n = n;
        return 0;
}

/* ---- options ------------------------------------------------------- */

static int parse_seconds(const Command *cmd, const char *name, const char *arg, bool zero_ok, double *ret)
{
        double v;
        if (safe_atod(arg, &v) < 0 || !(zero_ok ? v >= 0 : v > 0) || v > 31 * 86400.0)
                return cmd_usage_error(cmd, "%s takes seconds%s, got '%s'", name,
                                       zero_ok ? "" : " greater than 0", arg);
        *ret = v;
        return 0;
}

static int parse_count(const Command *cmd, const char *name, const char *arg, uint64_t lo, uint64_t hi,
                       uint64_t *ret)
{
        uint64_t v;
        if (safe_atou64(arg, &v) < 0 || v < lo || v > hi)
                return cmd_usage_error(cmd, "%s takes a number from %llu to %llu, got '%s'", name,
                                       (unsigned long long)lo, (unsigned long long)hi, arg);
        *ret = v;
        return 0;
}

static int parse_deep_args(const Command *cmd, int argc, char **argv, GlobalOptions *g, DeepArgs *a)
{
        enum {
                OPT_DEEP = 1300, OPT_SCRIPT, OPT_MODULE, OPT_SCRIPT_ARGS, OPT_TOP_LINES, OPT_TOP_TYPES,
                OPT_TB_LIMIT, OPT_PYTHON, OPT_DURATION, OPT_EVERY, OPT_WARMUP,
        };
        static const struct option longopts[] = {
                { "deep-python", no_argument, NULL, OPT_DEEP },
                { "script", required_argument, NULL, OPT_SCRIPT },
                { "module", required_argument, NULL, OPT_MODULE },
                { "script-args", required_argument, NULL, OPT_SCRIPT_ARGS },
                { "top-lines", required_argument, NULL, OPT_TOP_LINES },
                { "top-types", required_argument, NULL, OPT_TOP_TYPES },
                { "traceback-limit", required_argument, NULL, OPT_TB_LIMIT },
                { "python", required_argument, NULL, OPT_PYTHON },
                { "duration", required_argument, NULL, OPT_DURATION },
                { "every", required_argument, NULL, OPT_EVERY },
                { "warmup", required_argument, NULL, OPT_WARMUP },
                { "format", required_argument, NULL, 'f' },
                { "output", required_argument, NULL, 'o' },
                COMMON_LONG_OPTIONS,
                {},
        };
        int opt, r;
        optind = 0;
        opterr = 0;
        while ((opt = getopt_long(argc, argv, ":f:o:h", longopts, NULL)) != -1) {
                if (cmd_common_option(opt, g))
                        continue;
                r = 0;
                switch (opt) {
                case OPT_DEEP:
                        break;
                case OPT_SCRIPT:
                        a->script = optarg;
                        break;
                case OPT_MODULE:
                        a->module = optarg;
                        break;
                case OPT_SCRIPT_ARGS:
                        a->script_args = optarg;
                        break;
                case OPT_TOP_LINES:
                        r = parse_count(cmd, "--top-lines", optarg, 1, 1000, &a->top_lines);
                        break;
                case OPT_TOP_TYPES:
                        r = parse_count(cmd, "--top-types", optarg, 1, 1000, &a->top_types);
                        break;
                case OPT_TB_LIMIT:
                        r = parse_count(cmd, "--traceback-limit", optarg, 1, 1000, &a->traceback_limit);
                        break;
                case OPT_PYTHON:
                        if (!*optarg)
                                return cmd_usage_error(cmd, "--python takes an interpreter path or name");
                        a->python = optarg;
                        a->python_given = true;
                        break;
                case OPT_DURATION:
                        r = parse_seconds(cmd, "--duration", optarg, false, &a->duration);
                        break;
                case OPT_EVERY:
                        r = parse_seconds(cmd, "--every", optarg, false, &a->every);
                        break;
                case OPT_WARMUP:
                        r = parse_seconds(cmd, "--warmup", optarg, true, &a->warmup);
                        break;
                case 'f':
                        r = cmd_parse_table_or_json(cmd, optarg, &a->json);
                        break;
                case 'o':
                        a->output = optarg;
                        break;
                case 'h':
                        cmd_print_help(cmd);
                        return -1;
                default:
                        return cmd_bad_option(cmd, opt, argc, argv);
                }
                if (r)
                        return r;
        }
        if (optind < argc)
                return cmd_usage_error(cmd, "--deep-python runs a program (--script or --module), not a PID: "
                                            "unexpected '%s'", argv[optind]);
        if (!a->script == !a->module)
                return cmd_usage_error(cmd, "--deep-python needs exactly one of --script FILE or --module NAME");
        if ((a->script && !*a->script) || (a->module && !*a->module))
                return cmd_usage_error(cmd, "--script and --module take a non-empty name");
        return 0;
}

/* ---- the child ------------------------------------------------------ */

static volatile sig_atomic_t sig_stop;    /* signal number asking us to stop */
static volatile sig_atomic_t sig_forward; /* 1: sent by a process, not the tty */
static volatile sig_atomic_t sig_count;
static volatile sig_atomic_t sig_child;

static void on_signal(int sig, siginfo_t *si, void *ctx)
{
        (void)ctx;
        if (sig == SIGCHLD) {
                sig_child = 1;
                return;
        }
        sig_stop = sig;
        sig_count++;
        /* A terminal's Ctrl-C reaches the whole foreground process group,
         * the child included: only forward what kill(2) sent to us. */
        if (!si || si->si_code != SI_KERNEL)
                sig_forward = 1;
}

static char *fmt_double(double v)
{
        char buf[64];
        snprintf(buf, sizeof buf, "%.6g", v);
        return xstrdup(buf);
}

static char *fmt_u64(uint64_t v)
{
        char buf[32];
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
        return xstrdup(buf);
}

typedef struct Argv {
        char **v;
        size_t n, cap;
        bool *owned;
} Argv;

static void argv_push(Argv *a, char *s, bool owned)
{
        if (a->n + 2 > a->cap) {
                a->cap = a->cap ? a->cap * 2 : 32;
                a->v = xreallocarray(a->v, a->cap, sizeof *a->v);
                a->owned = xreallocarray(a->owned, a->cap, sizeof *a->owned);
        }
        a->owned[a->n] = owned;
        a->v[a->n++] = s;
        a->v[a->n] = NULL;
}

static void argv_free(Argv *a)
{
        for (size_t i = 0; i < a->n; i++)
                if (a->owned[i])
                        free(a->v[i]);
        free(a->v);
        free(a->owned);
}

static void build_argv(const DeepArgs *a, char **words, size_t n_words, int wfd, Argv *av)
{
        argv_push(av, (char *)a->python, false);
        argv_push(av, (char *)"-c", false);
        argv_push(av, (char *)STUB, false);
        argv_push(av, (char *)"--fd", false);
        argv_push(av, fmt_u64((uint64_t)wfd), true);
        argv_push(av, (char *)"--top-lines", false);
        argv_push(av, fmt_u64(a->top_lines), true);
        argv_push(av, (char *)"--top-types", false);
        argv_push(av, fmt_u64(a->top_types), true);
        argv_push(av, (char *)"--traceback-limit", false);
        argv_push(av, fmt_u64(a->traceback_limit), true);
        argv_push(av, (char *)"--warmup", false);
        argv_push(av, fmt_double(a->warmup), true);
        if (a->every > 0) {
                argv_push(av, (char *)"--every", false);
                argv_push(av, fmt_double(a->every), true);
        }
        argv_push(av, (char *)(a->script ? "--script" : "--module"), false);
        argv_push(av, (char *)(a->script ? a->script : a->module), false);
        argv_push(av, (char *)"--", false);
        for (size_t i = 0; i < n_words; i++)
                argv_push(av, words[i], false);
}

static char **build_env(char **bootstrap_var)
{
        size_t n = 0;
        for (char **e = environ; e && *e; e++)
                n++;
        char **env = xcalloc(n + 2, sizeof *env);
        size_t k = 0;
        for (char **e = environ; e && *e; e++)
                if (!startswith(*e, "THIRTYSECS_BOOTSTRAP="))
                        env[k++] = *e;
        size_t len = strlen("THIRTYSECS_BOOTSTRAP=") + deep_bootstrap_len + 1;
        *bootstrap_var = xmalloc(len);
        snprintf(*bootstrap_var, len, "THIRTYSECS_BOOTSTRAP=%s", deep_bootstrap);
        env[k++] = *bootstrap_var;
        env[k] = NULL;
        return env;
}

typedef struct Channel {
        char *buf;
        size_t n, cap;
        bool hello;
        json_t *error;  /* the "error" record */
        json_t *final;  /* the "final" record */
        size_t samples;
} Channel;

static void channel_line(Channel *c, const char *line, size_t len)
{
        json_error_t err;
        json_t *rec = json_loadb(line, len, 0, &err);
        if (!rec || !json_is_object(rec)) {
                json_decref(rec);
                return;
        }
        const char *type = json_string_value(json_object_get(rec, "type"));
        if (!type) {
                json_decref(rec);
        } else if (strcmp(type, "hello") == 0) {
                c->hello = true;
                json_decref(rec);
        } else if (strcmp(type, "sample") == 0) {
                c->samples++;
                json_decref(rec);
        } else if (strcmp(type, "error") == 0 && !c->error) {
                c->error = rec;
        } else if (strcmp(type, "final") == 0 && !c->final) {
                c->final = rec;
        } else {
                json_decref(rec);
        }
}

/* Reads what is available; returns false at EOF or error. */
static bool channel_read(Channel *c, int fd)
{
        for (;;) {
                if (c->cap - c->n < 65536) {
                        c->cap = c->cap ? c->cap * 2 : 131072;
                        c->buf = xreallocarray(c->buf, c->cap, 1);
                }
                ssize_t r = read(fd, c->buf + c->n, c->cap - c->n);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r < 0 && errno == EAGAIN)
                        return true;
                if (r <= 0)
                        return false;
                c->n += (size_t)r;
                size_t start = 0;
                for (size_t i = c->n - (size_t)r; i < c->n; i++) {
                        if (c->buf[i] == '\n') {
                                channel_line(c, c->buf + start, i - start);
                                start = i + 1;
                        }
                }
                memmove(c->buf, c->buf + start, c->n - start);
                c->n -= start;
                if (c->n > RECORD_MAX)
                        c->n = 0; /* a runaway line: drop it */
        }
}

typedef struct RunResult {
        int status;          /* waitpid status */
        int stopped_by;      /* 0, SIGINT, SIGTERM, or -1 for --duration */
        bool killed;         /* SIGKILL after the grace period */
} RunResult;

static usec_t usec_after(double sec)
{
        return now_monotonic_usec() + (usec_t)(sec * 1e6);
}

static int run_child(const DeepArgs *a, char **words, size_t n_words, Channel *ch, RunResult *res)
{
        int p[2];
        if (pipe2(p, O_CLOEXEC) < 0)
                return -errno;
        int rfd = p[0], wfd = p[1];
        Argv av = { 0 };
        build_argv(a, words, n_words, wfd, &av);
        char *bootvar = NULL;
        char **env = build_env(&bootvar);

        sigset_t block, old;
        sigemptyset(&block);
        sigaddset(&block, SIGINT);
        sigaddset(&block, SIGTERM);
        sigaddset(&block, SIGCHLD);
        sigprocmask(SIG_BLOCK, &block, &old);
        struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO }, o_int, o_term, o_chld;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &o_int);
        sigaction(SIGTERM, &sa, &o_term);
        sigaction(SIGCHLD, &sa, &o_chld);

        posix_spawnattr_t attr;
        posix_spawnattr_init(&attr);
        sigset_t def, empty;
        sigemptyset(&empty);
        sigemptyset(&def);
        sigaddset(&def, SIGINT);
        sigaddset(&def, SIGTERM);
        sigaddset(&def, SIGPIPE);
        sigaddset(&def, SIGCHLD);
        posix_spawnattr_setsigdefault(&attr, &def);
        posix_spawnattr_setsigmask(&attr, &empty);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

        /* Only the write end crosses exec. */
        fcntl(wfd, F_SETFD, 0);
        pid_t pid;
        int r = posix_spawnp(&pid, a->python, NULL, &attr, av.v, env);
        close(wfd);
        posix_spawnattr_destroy(&attr);
        argv_free(&av);
        free(env);
        free(bootvar);
        if (r != 0) {
                close(rfd);
                sigaction(SIGINT, &o_int, NULL);
                sigaction(SIGTERM, &o_term, NULL);
                sigaction(SIGCHLD, &o_chld, NULL);
                sigprocmask(SIG_SETMASK, &old, NULL);
                return -r;
        }
        fcntl(rfd, F_SETFL, fcntl(rfd, F_GETFL) | O_NONBLOCK);

        usec_t deadline = a->duration > 0 ? usec_after(a->duration) : 0;
        usec_t kill_at = 0;
        bool open = true, reaped = false;
        int handled_count = 0;
        sigset_t wait_mask = old;
        sigdelset(&wait_mask, SIGINT);
        sigdelset(&wait_mask, SIGTERM);
        sigdelset(&wait_mask, SIGCHLD);
        for (;;) {
                usec_t now = now_monotonic_usec();
                if (sig_count > handled_count) {
                        handled_count = sig_count;
                        if (res->stopped_by && !res->killed) {
                                kill(pid, SIGKILL); /* second signal: no more waiting */
                                res->killed = true;
                        } else if (!res->stopped_by) {
                                res->stopped_by = sig_stop;
                                if (sig_forward)
                                        kill(pid, sig_stop);
                                kill_at = now + STOP_GRACE_SEC * 1000000ULL;
                        }
                }
                if (deadline && now >= deadline && !res->stopped_by) {
                        res->stopped_by = -1;
                        kill(pid, SIGTERM);
                        kill_at = now + STOP_GRACE_SEC * 1000000ULL;
                }
                if (kill_at && now >= kill_at && !res->killed && !reaped) {
                        kill(pid, SIGKILL);
                        res->killed = true;
                }
                if (!reaped && waitpid(pid, &res->status, WNOHANG) == pid)
                        reaped = true;
                if (reaped) {
                        /* Drain: anything still in the pipe was written before exit
                         * (a forked grandchild may keep it open forever). */
                        if (open)
                                channel_read(ch, rfd);
                        break;
                }
                usec_t wake = now + 250000;
                if (deadline && !res->stopped_by && deadline < wake)
                        wake = deadline;
                if (kill_at && !res->killed && kill_at < wake)
                        wake = kill_at;
                usec_t d = wake > now ? wake - now : 0;
                struct timespec ts = { .tv_sec = (time_t)(d / 1000000), .tv_nsec = (long)(d % 1000000) * 1000 };
                struct pollfd pfd = { .fd = rfd, .events = POLLIN };
                /* After EOF, only wait for the child (and the timers). */
                int pr = ppoll(&pfd, open ? 1 : 0, &ts, &wait_mask);
                if (open && pr > 0 && !channel_read(ch, rfd))
                        open = false;
        }
        close(rfd);
        sigaction(SIGINT, &o_int, NULL);
        sigaction(SIGTERM, &o_term, NULL);
        sigaction(SIGCHLD, &o_chld, NULL);
        sigprocmask(SIG_SETMASK, &old, NULL);
        return 0;
}

/* ---- the report ------------------------------------------------------ */

typedef struct LineTrend {
        bool have;
        LeakVerdict v;
        MetricTrend m;
} LineTrend;

/* Reads a JSON array of numbers into a malloc'd double array. */
static double *json_doubles(json_t *arr, size_t *ret_n)
{
        size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
        double *v = xcalloc(n ? n : 1, sizeof *v);
        for (size_t i = 0; i < n; i++) {
                json_t *x = json_array_get(arr, i);
                v[i] = json_is_number(x) ? json_number_value(x) : NAN;
        }
        *ret_n = n;
        return v;
}

static const char *trend_word(const LeakVerdict *v)
{
        switch (v->kind) {
        case LEAK_KIND_LEAK:
                return "steady growth";
        case LEAK_KIND_POSSIBLE:
                return "possible steady growth";
        case LEAK_KIND_PLATEAU:
                return "grew once, then flat";
        default:
                return "no steady growth";
        }
}

static void line_trend(json_t *line, json_t *times, LineTrend *lt)
{
        size_t nt, ny;
        double *t = json_doubles(times, &nt);
        double *y = json_doubles(json_object_get(line, "series"), &ny);
        lt->have = false;
        if (ny >= 3 && ny == nt) {
                metric_trend(t, y, ny, &lt->m);
                for (size_t i = 0; i < ny; i++)
                        y[i] *= LINE_SCALE;
                leak_score_series(t, y, ny, SERIES_BYTES, "this line's memory", &lt->v);
                lt->v.envelope_slope_per_sec /= LINE_SCALE;
                lt->v.late_slope_per_sec /= LINE_SCALE;
                lt->v.growth /= LINE_SCALE;
                lt->v.effect_floor /= LINE_SCALE;
                lt->have = true;
        }
        free(t);
        free(y);
}

static void add_trends_json(json_t *doc)
{
        json_t *times = json_object_get(doc, "snapshot_times");
        json_t *lines = json_object_get(doc, "top_lines");
        size_t i;
        json_t *line;
        json_array_foreach(lines, i, line) {
                json_t *series = json_object_get(line, "series");
                if (!json_is_array(series))
                        continue;
                json_t *growth = json_array();
                for (size_t k = 1; k < json_array_size(series); k++)
                        json_array_append_new(growth,
                                              json_integer((json_int_t)(json_number_value(json_array_get(series, k)) -
                                                                        json_number_value(json_array_get(series, k - 1)))));
                jset(line, "growth_per_snapshot", growth);
                LineTrend lt;
                line_trend(line, times, &lt);
                if (!lt.have)
                        continue;
                json_t *o = json_object();
                jset(o, "verdict", json_string(leak_kind_to_string(lt.v.kind)));
                jset(o, "summary", json_string(trend_word(&lt.v)));
                jset(o, "confidence", json_string(leak_confidence_to_string(lt.v.confidence)));
                jset(o, "score", json_integer(lt.v.score));
                jset(o, "shape", jstr(lt.v.shape ? lt.v.shape : ""));
                jset(o, "slope_bytes_per_second", jreal(lt.v.envelope_slope_per_sec, 3));
                jset(o, "late_slope_bytes_per_second", jreal(lt.v.late_slope_per_sec, 3));
                jset(o, "trend_p_value", jreal(lt.v.p_value, 5));
                jset(o, "start", jreal(lt.m.start, 0));
                jset(o, "end", jreal(lt.m.end, 0));
                jset(o, "growth", jreal(lt.m.growth, 0));
                jset(o, "growth_percent", jreal(lt.m.growth_percent, 2));
                jset(o, "increasing_ratio", jreal(lt.m.increasing_ratio, 3));
                jset(o, "slope", jreal(lt.m.slope_per_sec, 3));
                jset(o, "r_squared", jreal(lt.m.r_squared, 4));
                jset(o, "theil_sen_slope", jreal(lt.m.theil_sen_per_sec, 3));
                jset(o, "mann_kendall_p", jreal(lt.m.mk_p, 5));
                jset(line, "trend", o);
        }
}

typedef struct Out {
        char *s;
        size_t n, cap;
} Out;

static void out_printf(Out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out_printf(Out *o, const char *fmt, ...)
{
        va_list ap;
        for (;;) {
                size_t room = o->cap - o->n;
                va_start(ap, fmt);
                int k = vsnprintf(o->s ? o->s + o->n : NULL, room, fmt, ap);
                va_end(ap);
                if (k < 0)
                        return;
                if ((size_t)k < room) {
                        o->n += (size_t)k;
                        return;
                }
                o->cap = (o->cap + (size_t)k + 1) * 2;
                o->s = xreallocarray(o->s, o->cap, 1);
        }
}

static const char *jget_str(json_t *o, const char *key, const char *dflt)
{
        const char *s = json_string_value(json_object_get(o, key));
        return s ? s : dflt;
}

static double jget_num(json_t *o, const char *key)
{
        json_t *v = json_object_get(o, key);
        return json_is_number(v) ? json_number_value(v) : NAN;
}

static void hbytes(double v, char out[HUMAN_BYTES_MAX + 1])
{
        char b[HUMAN_BYTES_MAX];
        human_bytes(isnan(v) ? 0 : (uint64_t)fabs(v), b);
        snprintf(out, HUMAN_BYTES_MAX + 1, "%s%s", v < 0 ? "-" : "", b);
}

static char *render_table(json_t *doc, bool unicode)
{
        Out o = { 0 };
        char safe[1024], safe2[1024], b1[HUMAN_BYTES_MAX + 1], b2[HUMAN_BYTES_MAX + 1];
        utf8_terminal_safe(jget_str(doc, "target", "?"), safe, sizeof safe);
        out_printf(&o, "Deep Python analysis (tracemalloc): %s %s\n",
                   strcmp(jget_str(doc, "mode", "script"), "module") == 0 ? "module" : "script", safe);
        json_t *args = json_object_get(doc, "args");
        if (json_array_size(args)) {
                out_printf(&o, "  args:");
                size_t i;
                json_t *x;
                json_array_foreach(args, i, x) {
                        utf8_terminal_safe(json_string_value(x) ? json_string_value(x) : "", safe, sizeof safe);
                        out_printf(&o, " %s", safe);
                }
                out_printf(&o, "\n");
        }
        utf8_terminal_safe(jget_str(doc, "python", "?"), safe, sizeof safe);
        utf8_terminal_safe(jget_str(doc, "outcome", "?"), safe2, sizeof safe2);
        out_printf(&o, "  Python %s, %.0f frames traced, ran %.1f s (%s)\n", safe,
                   jget_num(doc, "traceback_frames"), jget_num(doc, "duration_seconds"), safe2);
        if (strcmp(jget_str(doc, "baseline", ""), "warmup") == 0)
                out_printf(&o, "  growth measured from the baseline after the %.1f s warm-up\n",
                           jget_num(doc, "baseline_seconds"));
        else
                out_printf(&o, "  growth measured from the target's start (it ran shorter than the warm-up)\n");
        hbytes(jget_num(doc, "traced_current_bytes"), b1);
        hbytes(jget_num(doc, "traced_peak_bytes"), b2);
        out_printf(&o, "  traced memory: current %s, peak %s", b1, b2);
        hbytes(jget_num(doc, "tracemalloc_memory_bytes"), b1);
        out_printf(&o, " (tracemalloc's own: %s)\n", b1);

        json_t *times = json_object_get(doc, "snapshot_times");
        json_t *lines = json_object_get(doc, "top_lines");
        out_printf(&o, "\nTop growing lines\n");
        if (!json_array_size(lines))
                out_printf(&o, "  (no line grew)\n");
        size_t i;
        json_t *line;
        json_array_foreach(lines, i, line) {
                hbytes(jget_num(line, "size_diff"), b1);
                utf8_terminal_safe(jget_str(line, "filename", "?"), safe, sizeof safe);
                out_printf(&o, "  %2zu. %s:%.0f  +%s in %+.0f blocks\n", i + 1, safe, jget_num(line, "lineno"), b1,
                           jget_num(line, "count_diff"));
                const char *code = jget_str(line, "code", "");
                if (*code) {
                        utf8_terminal_safe(code, safe, sizeof safe);
                        out_printf(&o, "        %s\n", safe);
                }
                LineTrend lt;
                line_trend(line, times, &lt);
                if (lt.have) {
                        size_t n;
                        double *v = json_doubles(json_object_get(line, "series"), &n);
                        char spark[40 * 3 + 1], rate[64];
                        render_sparkline(v, n, 40, unicode, spark, sizeof spark);
                        free(v);
                        leak_format_rate(lt.v.envelope_slope_per_sec, SERIES_BYTES, rate, sizeof rate);
                        out_printf(&o, "        trend: %s (%s, %s), %zu snapshots  %s\n", trend_word(&lt.v),
                                   leak_kind_to_string(lt.v.kind), rate, n, spark);
                }
                json_t *tb = json_object_get(line, "traceback");
                size_t ntb = json_array_size(tb);
                if (ntb > 1) {
                        size_t from = ntb > 6 ? ntb - 6 : 0;
                        out_printf(&o, "        traceback (innermost last%s):\n",
                                   from ? ", outer frames in -f json" : "");
                        for (size_t k = from; k < ntb; k++) {
                                const char *f = json_string_value(json_array_get(tb, k));
                                utf8_terminal_safe(f ? f : "?", safe, sizeof safe);
                                out_printf(&o, "          %s\n", safe);
                        }
                }
        }
        json_t *types = json_object_get(doc, "top_types");
        out_printf(&o, "\nTop growing types (objects tracked by the GC)\n");
        if (!json_array_size(types))
                out_printf(&o, "  (no type grew)\n");
        json_t *t;
        json_array_foreach(types, i, t) {
                hbytes(jget_num(t, "size_diff"), b1);
                utf8_terminal_safe(jget_str(t, "type_name", "?"), safe, sizeof safe);
                out_printf(&o, "  %2zu. %-40s %+10.0f objects  ~+%s\n", i + 1, safe, jget_num(t, "count_diff"), b1);
        }
        if (o.n && o.s[o.n - 1] == '\n')
                o.s[--o.n] = '\0';
        return o.s ? o.s : xstrdup("");
}


static void describe_status(int status, char *buf, size_t size)
{
        if (WIFEXITED(status))
                snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
        else if (WIFSIGNALED(status))
                snprintf(buf, size, "was killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
        else
                snprintf(buf, size, "ended (status %#x)", (unsigned)status);
}

int run_leak_deep_python(const Command *cmd, int argc, char **argv, GlobalOptions *g)
{
        DeepArgs a = { .python = "python3", .top_lines = 15, .top_types = 15, .traceback_limit = 25,
                       .warmup = 1.0 };
        int r = parse_deep_args(cmd, argc, argv, g, &a);
        if (r != 0)
                return r < 0 ? EXIT_OK : r;
        char **words = NULL;
        size_t n_words = 0;
        if (deep_split_args(a.script_args, &words, &n_words) < 0)
                return cmd_usage_error(cmd, "--script-args: unterminated quote or trailing backslash in '%s'",
                                       a.script_args);

        Channel ch = { 0 };
        RunResult res = { 0 };
        r = run_child(&a, words, n_words, &ch, &res);
        deep_free_words(words);
        int rc = EXIT_RUNTIME;
        if (r < 0) {
                if (a.python_given)
                        fprintf(stderr, "30secs leak: cannot run the interpreter '%s' given with --python: %s\n",
                                a.python, strerror(-r));
                else
                        fprintf(stderr, "30secs leak: cannot run python3: %s; --deep-python needs Python 3.8 "
                                        "or newer (give its path with --python PATH)\n",
                                strerror(-r));
                goto out;
        }
        char status[128];
        describe_status(res.status, status, sizeof status);
        if (ch.error) {
                const char *code = jget_str(ch.error, "code", "");
                const char *msg = jget_str(ch.error, "message", "error");
                if (strcmp(code, "python_too_old") == 0)
                        fprintf(stderr, "30secs leak: %s: %s (choose another interpreter with --python)\n",
                                a.python, msg);
                else if (strcmp(code, "module_not_found") == 0)
                        fprintf(stderr, "30secs leak: %s (searched from %s with the current directory first)\n",
                                msg, a.python);
                else
                        fprintf(stderr, "30secs leak: %s\n", msg);
                goto out;
        }
        if (!ch.hello) {
                fprintf(stderr, "30secs leak: '%s' did not start the analysis (it %s); --deep-python needs "
                                "Python 3.8 or newer (choose the interpreter with --python)\n",
                        a.python, status);
                goto out;
        }
        if (!ch.final) {
                fprintf(stderr, "30secs leak: the target %s before the final snapshot (os._exit, a crash, or "
                                "killed%s): no report\n",
                        status, res.killed ? " after it ignored the stop request" : "");
                goto out;
        }

        json_object_del(ch.final, "type");
        jset(ch.final, "python_executable", jstr(a.python));
        if (WIFEXITED(res.status))
                jset(ch.final, "exit_status", json_integer(WEXITSTATUS(res.status)));
        else
                jset(ch.final, "exit_status", json_null());
        if (res.stopped_by)
                jset(ch.final, "stopped_by",
                     json_string(res.stopped_by < 0 ? "duration" : res.stopped_by == SIGINT ? "SIGINT" : "SIGTERM"));
        add_trends_json(ch.final);
        char *doc;
        if (a.json) {
                bool pretty = !a.output && isatty(STDOUT_FILENO);
                doc = json_dumps(ch.final, JSON_REAL_PRECISION(15) | (pretty ? JSON_INDENT(2) : JSON_COMPACT));
                if (!doc) {
                        fprintf(stderr, "30secs leak: out of memory rendering the report\n");
                        goto out;
                }
        } else {
                const char *lang = getenv("LC_ALL");
                if (!lang || !*lang)
                        lang = getenv("LC_CTYPE");
                if (!lang || !*lang)
                        lang = getenv("LANG");
                bool unicode = !a.output && isatty(STDOUT_FILENO) && lang &&
                               (strstr(lang, "UTF-8") || strstr(lang, "utf8") || strstr(lang, "UTF8"));
                doc = render_table(ch.final, unicode);
        }
        rc = cmd_emit_document(cmd, a.output, doc);
        if (rc == EXIT_OK && !res.stopped_by) {
                /* The target's own error was printed by Python on stderr. */
                if (!WIFEXITED(res.status) || WEXITSTATUS(res.status) != 0) {
                        fprintf(stderr, "30secs leak: the target %s\n", status);
                        rc = EXIT_RUNTIME;
                }
        }
out:
        free(ch.buf);
        json_decref(ch.error);
        json_decref(ch.final);
        return rc;
}
