/* SPDX-License-Identifier: MIT */
#include "cmd/report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/json.h"
#include "render/prometheus.h"
#include "render/table.h"
#include "util/parse.h"

enum {
        OPT_NO_PROC = 1100,
        OPT_NO_NET,
        OPT_NO_DISK,
        OPT_COMPACT,
        OPT_WINDOW,
        OPT_ALERTS,
};

static int parse_format(const Command *cmd, const char *s, OutputFormat *ret)
{
        if (strcmp(s, "json") == 0)
                *ret = FORMAT_JSON;
        else if (strcmp(s, "table") == 0)
                *ret = FORMAT_TABLE;
        else if (strcmp(s, "prometheus") == 0)
                *ret = FORMAT_PROMETHEUS;
        else
                return cmd_usage_error(cmd, "unknown format '%s' (use json, table or prometheus)", s);
        return 0;
}

int report_parse_args(const Command *cmd, int argc, char **argv, GlobalOptions *g, bool watch,
                      ReportArgs *a)
{
        static const struct option longopts[] = {
                { "format", required_argument, NULL, 'f' },
                { "output", required_argument, NULL, 'o' },
                { "interval", required_argument, NULL, 'i' },
                { "count", required_argument, NULL, 'n' },
                { "no-processes", no_argument, NULL, OPT_NO_PROC },
                { "no-network", no_argument, NULL, OPT_NO_NET },
                { "no-disk", no_argument, NULL, OPT_NO_DISK },
                { "compact", no_argument, NULL, OPT_COMPACT },
                { "cpu-window", required_argument, NULL, OPT_WINDOW },
                { "alerts", no_argument, NULL, OPT_ALERTS },
                COMMON_LONG_OPTIONS,
                {},
        };
        int opt, r;

        optind = 0;
        opterr = 0;
        while ((opt = getopt_long(argc, argv, watch ? "+:f:o:i:n:h" : "+:f:o:h", longopts, NULL)) != -1) {
                if (cmd_common_option(opt, g))
                        continue;
                switch (opt) {
                case 'f':
                        if ((r = parse_format(cmd, optarg, &a->format)) != 0)
                                return r;
                        break;
                case 'o':
                        a->output = optarg;
                        break;
                case 'i': {
                        double sec;
                        if (!watch)
                                return cmd_bad_option(cmd, '?', argc, argv);
                        if (safe_atod(optarg, &sec) < 0 || !(sec > 0) || sec > 86400 * 7)
                                return cmd_usage_error(cmd, "--interval takes seconds greater than 0, got '%s'",
                                                       optarg);
                        a->interval_usec = (usec_t)(sec * 1e6 + 0.5);
                        if (a->interval_usec < 10 * USEC_PER_MSEC)
                                return cmd_usage_error(cmd, "--interval must be at least 0.01 seconds");
                        break;
                }
                case 'n':
                        if (!watch)
                                return cmd_bad_option(cmd, '?', argc, argv);
                        if (safe_atou64(optarg, &a->count) < 0)
                                return cmd_usage_error(cmd, "--count takes a whole number (0 = until stopped), got '%s'",
                                                       optarg);
                        break;
                case OPT_NO_PROC: a->processes = false; break;
                case OPT_NO_NET: a->network = false; break;
                case OPT_NO_DISK: a->disk = false; break;
                case OPT_COMPACT: a->compact = true; break;
                case OPT_ALERTS: a->alerts = true; break;
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
        if (optind < argc)
                return cmd_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
        return 0;
}

int report_sink_open(ReportSink *sink, const Command *cmd, const ReportArgs *a, bool watch)
{
        const char *no_color = getenv("NO_COLOR");

        memset(sink, 0, sizeof *sink);
        sink->format = a->format;
        sink->path = a->output;
        sink->watch = watch;
        sink->compact = a->compact;
        sink->fd = STDOUT_FILENO;
        sink->tty = !a->output && isatty(STDOUT_FILENO);
        sink->color = sink->tty && !(no_color && *no_color);
        /* Block characters only where the locale says the terminal is UTF-8. */
        const char *lang = getenv("LC_ALL");
        if (!lang || !*lang)
                lang = getenv("LC_CTYPE");
        if (!lang || !*lang)
                lang = getenv("LANG");
        sink->utf8 = lang && (strcasestr(lang, "utf-8") || strcasestr(lang, "utf8"));
        /* A Prometheus file is replaced per record, never appended to. */
        if (a->output && a->format != FORMAT_PROMETHEUS) {
                int fd = cmd_open_output(a->output);
                if (fd < 0) {
                        fprintf(stderr, "30secs %s: cannot open output file '%s': %s\n", cmd->name,
                                a->output, strerror(-fd));
                        return EXIT_RUNTIME;
                }
                sink->fd = fd;
        }
        return EXIT_OK;
}

/* Writes the whole text to a temporary file beside path, then renames it
 * over path: readers see the old or the new exposition, never half. */
static int replace_file(const char *path, const char *text, size_t len)
{
        char tmp[4096];
        if (snprintf(tmp, sizeof tmp, "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof tmp)
                return -ENAMETOOLONG;
        int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0644);
        if (fd < 0)
                return -errno;
        int r = 0;
        size_t off = 0;
        while (off < len) {
                ssize_t n = write(fd, text + off, len - off);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0) {
                        r = n < 0 ? -errno : -ENOSPC;
                        break;
                }
                off += (size_t)n;
        }
        if (close(fd) < 0 && r == 0)
                r = -errno;
        if (r == 0 && rename(tmp, path) < 0)
                r = -errno;
        if (r < 0)
                (void)unlink(tmp);
        return r;
}


int report_emit(ReportSink *sink, const Snapshot *snap)
{
        char *doc = NULL;
        int r;

        switch (sink->format) {
        case FORMAT_TABLE:
                doc = render_table_snapshot(snap, &(TableStyle){ .color = sink->color,
                                                                  .unicode = sink->color && sink->utf8 });
                break;
        case FORMAT_PROMETHEUS:
                doc = render_prometheus_snapshot(snap);
                break;
        case FORMAT_JSON:
        default:
                /* One indented document on a terminal; one line per record
                 * everywhere else, so files and pipes are JSON Lines. */
                doc = render_json_snapshot(snap, sink->tty && !sink->watch && !sink->compact);
                break;
        }
        if (!doc)
                return -ENOMEM;

        size_t len = strlen(doc);
        if (sink->format == FORMAT_PROMETHEUS) {
                /* The exposition already ends in '\n'. */
                if (sink->path) {
                        r = replace_file(sink->path, doc, len);
                } else if (sink->watch && sink->records > 0) {
                        r = cmd_write_record(sink->fd, "# EOF", 5);
                        if (r == 0)
                                r = cmd_write_record(sink->fd, doc, len - (len > 0 && doc[len - 1] == '\n'));
                } else {
                        r = cmd_write_record(sink->fd, doc, len - (len > 0 && doc[len - 1] == '\n'));
                }
        } else if (sink->format == FORMAT_TABLE && sink->watch && sink->tty) {
                /* Home the cursor and clear, then redraw: no scrolling. */
                static const char clear[] = "\033[H\033[2J";
                size_t n = sizeof clear - 1;
                char *framed = malloc(n + len + 1);
                if (!framed) {
                        free(doc);
                        return -ENOMEM;
                }
                memcpy(framed, clear, n);
                memcpy(framed + n, doc, len + 1);
                r = cmd_write_record(sink->fd, framed, n + len);
                free(framed);
        } else if (sink->format == FORMAT_TABLE && sink->watch) {
                /* Not a terminal: records separated by a blank line. */
                r = cmd_write_record(sink->fd, doc, len);
                if (r == 0)
                        r = cmd_write_record(sink->fd, "", 0);
        } else {
                r = cmd_write_record(sink->fd, doc, len);
        }
        free(doc);
        if (r == 0)
                sink->records++;
        return r;
}

int report_sink_close(ReportSink *sink)
{
        int r = 0;
        if (sink->fd != STDOUT_FILENO && sink->fd >= 0 && close(sink->fd) < 0)
                r = -errno;
        sink->fd = -1;
        return r;
}
