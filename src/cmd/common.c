/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "util/parse.h"
#include "util/xalloc.h"

bool cmd_common_option(int opt, GlobalOptions *g)
{
        switch (opt) {
        case OPT_PROCFS: g->procfs = optarg; return true;
        case OPT_SYSFS: g->sysfs = optarg; return true;
        case OPT_ROOTFS: g->rootfs = optarg; return true;
        default: return false;
        }
}

int cmd_usage_error(const Command *cmd, const char *fmt, ...)
{
        char msg[512];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        fprintf(stderr, "30secs %s: %s (see '30secs %s --help')\n", cmd->name, msg, cmd->name);
        return EXIT_USAGE;
}

int cmd_bad_option(const Command *cmd, int opt, int argc, char **argv)
{
        /* getopt_long (optstring starting with ':') returns ':' for a missing
         * value and '?' for an unknown option; optind is past the culprit. */
        const char *arg = optind >= 1 && optind - 1 < argc ? argv[optind - 1] : "?";
        char shortopt[3] = { '-', (char)optopt, '\0' };
        if (!(arg[0] == '-' && arg[1] == '-') && optopt)
                arg = shortopt;
        if (opt == ':')
                return cmd_usage_error(cmd, "option '%s' needs a value", arg);
        return cmd_usage_error(cmd, "unknown option '%s'", arg);
}

void cmd_print_help(const Command *cmd)
{
        printf("Usage: 30secs %s %s\n\n%s\n\nOptions:\n%s%s", cmd->name, cmd->usage, cmd->summary,
               cmd->help ? cmd->help : "", COMMON_HELP);
}

int cmd_open_roots(const GlobalOptions *g, RootFS *fs)
{
        const char *which = "";
        int r = rootfs_open(fs, g->procfs, g->sysfs, g->rootfs, &which);
        if (r < 0) {
                fprintf(stderr, "30secs: cannot open %s directory: %s\n", which, strerror(-r));
                return EXIT_RUNTIME;
        }
        return EXIT_OK;
}

int cmd_open_output(const char *path)
{
        int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
        return fd < 0 ? -errno : fd;
}

int cmd_write_record(int fd, const char *data, size_t len)
{
        /* One buffer, one write(): with O_APPEND the kernel places the whole
         * record at the end of the file, so concurrent writers and signals
         * never interleave half records. Short writes (pipes, full disks)
         * are continued and reported. */
        char *rec = xmalloc(len + 1);
        memcpy(rec, data, len);
        rec[len] = '\n';
        size_t off = 0;
        int r = 0;
        while (off < len + 1) {
                ssize_t n = write(fd, rec + off, len + 1 - off);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        r = -errno;
                        break;
                }
                if (n == 0) {
                        r = -ENOSPC;
                        break;
                }
                off += (size_t)n;
        }
        free(rec);
        return r;
}

int cmd_parse_table_or_json(const Command *cmd, const char *arg, bool *ret_json)
{
        if (strcmp(arg, "json") == 0)
                *ret_json = true;
        else if (strcmp(arg, "table") == 0)
                *ret_json = false;
        else
                return cmd_usage_error(cmd, "unknown format '%s' (use table or json)", arg);
        return 0;
}

int cmd_parse_cpu_window(const Command *cmd, const char *arg, uint64_t *ret_usec)
{
        uint64_t ms;
        if (safe_atou64(arg, &ms) < 0 || ms > 10000)
                return cmd_usage_error(cmd, "--cpu-window takes milliseconds from 0 to 10000, got '%s'", arg);
        *ret_usec = ms * 1000;
        return 0;
}

bool cmd_stdout_color(const char *output)
{
        const char *no_color = getenv("NO_COLOR");
        return !output && isatty(STDOUT_FILENO) && !(no_color && *no_color);
}

int cmd_emit_document(const Command *cmd, const char *output, char *doc)
{
        if (!doc) {
                fprintf(stderr, "30secs %s: out of memory rendering the report\n", cmd->name);
                return EXIT_RUNTIME;
        }
        int fd = STDOUT_FILENO;
        if (output && (fd = cmd_open_output(output)) < 0) {
                fprintf(stderr, "30secs %s: cannot open output file '%s': %s\n", cmd->name, output,
                        strerror(-fd));
                free(doc);
                return EXIT_RUNTIME;
        }
        int r = cmd_write_record(fd, doc, strlen(doc));
        free(doc);
        if (output && close(fd) < 0 && r == 0)
                r = -errno;
        if (r < 0) {
                fprintf(stderr, "30secs %s: cannot write %s: %s\n", cmd->name, output ? output : "to stdout",
                        strerror(-r));
                return EXIT_RUNTIME;
        }
        return EXIT_OK;
}
