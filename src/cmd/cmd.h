/* SPDX-License-Identifier: MIT */
/* Commands are data: one `const Command` per file in src/cmd/, listed in
 * the table in main.c. Help and usage errors are generated from it. */
#pragma once
#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collect/rootfs.h"

/* Exit codes, the same for every command. */
enum {
        EXIT_OK = 0,
        EXIT_RUNTIME = 1, /* a runtime failure, or an alert fired */
        EXIT_USAGE = 2,   /* bad command line; one line on stderr */
};

/* Options accepted before the command word and by every command. */
typedef struct GlobalOptions {
        const char *procfs;
        const char *sysfs;
        const char *rootfs;
} GlobalOptions;

typedef struct Command {
        const char *name;
        const char *summary;  /* one line for `30secs --help` */
        const char *usage;    /* "[options]" part of the usage line */
        const char *help;     /* option list for `30secs CMD --help` */
        int (*run)(const struct Command *cmd, int argc, char **argv, GlobalOptions *g);
} Command;

/* Long option values shared by all commands (start above any short
 * option character). */
enum {
        OPT_PROCFS = 1000,
        OPT_SYSFS,
        OPT_ROOTFS,
        OPT_HELP_COMMON,
};

#define COMMON_LONG_OPTIONS                                                                        \
        { "procfs", required_argument, NULL, OPT_PROCFS },                                         \
        { "sysfs", required_argument, NULL, OPT_SYSFS },                                           \
        { "rootfs", required_argument, NULL, OPT_ROOTFS },                                         \
        { "help", no_argument, NULL, 'h' }

#define COMMON_HELP                                                                                \
        "      --procfs DIR     proc filesystem root (default /proc)\n"                            \
        "      --sysfs DIR      sys filesystem root (default /sys)\n"                              \
        "      --rootfs DIR     root for mounts, utmp and passwd (default /)\n"                    \
        "  -h, --help           show this help\n"

/* Handles the common options; returns true when opt was one of them. */
bool cmd_common_option(int opt, GlobalOptions *g);
/* Prints "30secs: CMD: <msg>" plus a hint on stderr; returns EXIT_USAGE. */
int cmd_usage_error(const Command *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Turns getopt's '?' / ':' result into one usage line; returns EXIT_USAGE. */
int cmd_bad_option(const Command *cmd, int opt, int argc, char **argv);
void cmd_print_help(const Command *cmd);
/* Opens the roots; prints one line and returns EXIT_RUNTIME on failure. */
int cmd_open_roots(const GlobalOptions *g, RootFS *fs);

/* "-f table|json" of the report commands (inspect, leak, oom): sets
 * *ret_json. 0, or EXIT_USAGE after the error line. */
int cmd_parse_table_or_json(const Command *cmd, const char *arg, bool *ret_json);
/* "--cpu-window MS" (0..10000). 0, or EXIT_USAGE after the error line. */
int cmd_parse_cpu_window(const Command *cmd, const char *arg, uint64_t *ret_usec);
/* Writes doc (and frees it) to output (appended) or stdout as one record;
 * doc NULL means rendering ran out of memory. Prints what failed and
 * returns EXIT_RUNTIME, else EXIT_OK. */
int cmd_emit_document(const Command *cmd, const char *output, char *doc);
/* Colour for tables: stdout (not a file) is a terminal and NO_COLOR unset. */
bool cmd_stdout_color(const char *output);

/* Appends one whole record (data + '\n') to fd with a single write when
 * possible. 0 or -errno (e.g. -ENOSPC on a full disk). */
int cmd_write_record(int fd, const char *data, size_t len);
/* Opens FILE for appending (O_APPEND|O_CREAT, 0644); -errno on failure. */
int cmd_open_output(const char *path);

extern const Command cmd_snapshot;
extern const Command cmd_quick;
extern const Command cmd_watch;
extern const Command cmd_leak;
extern const Command cmd_oom;
extern const Command cmd_inspect;
extern const Command cmd_version;
extern const Command cmd_health;
