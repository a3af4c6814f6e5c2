/* SPDX-License-Identifier: MIT */
/* What `snapshot`, `quick` and `watch` share: their options, and the sink
 * that renders a Snapshot in the chosen format and writes it out. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "cmd/cmd.h"
#include "model/snapshot.h"
#include "util/timeutil.h"

typedef enum OutputFormat {
        FORMAT_JSON,
        FORMAT_TABLE,
        FORMAT_PROMETHEUS,
} OutputFormat;

typedef struct ReportArgs {
        OutputFormat format;
        const char *output;      /* NULL: stdout */
        bool processes, network, disk;
        bool compact;
        bool alerts;
        usec_t window_usec;      /* CPU sampling window before the first record */
        usec_t interval_usec;    /* watch only */
        uint64_t count;          /* watch only; 0 = until stopped */
} ReportArgs;

/* Parses argv for snapshot/quick (watch=false) or watch (adds --interval
 * and --count). Defaults must be set in *a by the caller. Returns 0, -1
 * after printing --help (exit 0), or EXIT_USAGE after one error line. */
int report_parse_args(const Command *cmd, int argc, char **argv, GlobalOptions *g, bool watch,
                      ReportArgs *a);

#define REPORT_HELP                                                                                \
        "  -f, --format FMT     json (default), table or prometheus\n"                             \
        "  -o, --output FILE    write records to FILE (json/table: appended; prometheus:\n"        \
        "                       replaced atomically with the latest exposition)\n"                \
        "      --alerts         check thresholds (ALERT_* variables); exit 1 if one fires\n"       \
        "      --no-network     skip interfaces and connections\n"                                 \
        "      --no-disk        skip partitions and disk I/O\n"                                    \
        "      --compact        one-line JSON even on a terminal\n"                                \
        "      --cpu-window MS  CPU sampling window in milliseconds (default 100)\n"

/* INCLUDE_HOSTNAME=0/false/no hides the hostname everywhere. */
bool cmd_env_include_hostname(void);

/* With a->alerts: evaluates the threshold rules on snap (and, when
 * leak_state is given, feeds the across-ticks leak detector), stores them
 * in snap->alerts and logs each on stderr. Returns EXIT_RUNTIME when any
 * alert fired (snapshot's exit code), else EXIT_OK. */
struct AlertState;
struct AlertState *cmd_alert_state_new(void);
void cmd_alert_state_free(struct AlertState *st);
int cmd_evaluate_alerts(const ReportArgs *a, Snapshot *snap, struct AlertState *leak_state);

typedef struct ReportSink {
        OutputFormat format;
        const char *path; /* NULL: stdout */
        int fd;
        bool watch;       /* a stream of records rather than one */
        bool tty;         /* stdout is a terminal */
        bool color;       /* tty and NO_COLOR unset */
        bool utf8;        /* the locale says UTF-8: block characters allowed */
        bool compact;
        uint64_t records;
} ReportSink;

/* Opens the destination. 0, or EXIT_RUNTIME after printing why. */
int report_sink_open(ReportSink *sink, const Command *cmd, const ReportArgs *a, bool watch);
/* Renders and writes one record:
 *   json        pretty on a terminal for one snapshot, else one line (JSONL);
 *   table       on a terminal in watch: clear the screen and redraw;
 *   prometheus  stdout: one exposition per record, records separated by a
 *               "# EOF" comment line in watch; FILE: replaced atomically
 *               (temporary file + rename) so it always holds one complete
 *               exposition, as node_exporter's textfile collector expects.
 * JSON and table files are appended, one write() per record.
 * Returns 0 or -errno (the write error, e.g. -ENOSPC). */
int report_emit(ReportSink *sink, const Snapshot *snap);
/* Closes a file destination; -errno if the final close reports an error. */
int report_sink_close(ReportSink *sink);
