/* SPDX-License-Identifier: MIT */
/* `version` and `health`: tiny commands scripts and probes call. */
#include <stdio.h>
#include <stdlib.h>

#include "cmd/cmd.h"
#include "render/json-util.h"
#include "util/timeutil.h"

static int no_args(const Command *cmd, int argc, char **argv, GlobalOptions *g)
{
        static const struct option longopts[] = { COMMON_LONG_OPTIONS, {} };
        int opt;
        optind = 0;
        opterr = 0;
        while ((opt = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
                if (cmd_common_option(opt, g))
                        continue;
                if (opt == 'h') {
                        cmd_print_help(cmd);
                        return -1;
                }
                return cmd_bad_option(cmd, opt, argc, argv);
        }
        if (optind < argc)
                return cmd_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
        return 0;
}

static int run_version(const Command *cmd, int argc, char **argv, GlobalOptions *g)
{
        int r = no_args(cmd, argc, argv, g);
        if (r)
                return r < 0 ? EXIT_OK : r;
        printf("30secs %s\n", THIRTYSECS_VERSION);
        return EXIT_OK;
}

static int run_health(const Command *cmd, int argc, char **argv, GlobalOptions *g)
{
        int r = no_args(cmd, argc, argv, g);
        if (r)
                return r < 0 ? EXIT_OK : r;
        const char *service = getenv("SERVICE_NAME");
        char ts[40];
        format_iso8601_utc(now_realtime_usec(), ts);

        json_t *o = json_object();
        jset(o, "status", json_string("ok"));
        jset(o, "ok", json_true());
        jset(o, "timestamp", json_string(ts));
        jset(o, "service", jstr(service && *service ? service : "30secs"));
        jset(o, "version", json_string(THIRTYSECS_VERSION));
        char *s = json_dumps(o, JSON_COMPACT);
        json_decref(o);
        if (!s)
                return EXIT_RUNTIME;
        puts(s);
        free(s);
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_RUNTIME;
}

const Command cmd_version = {
        .name = "version",
        .summary = "Print the version.",
        .usage = "",
        .run = run_version,
};

const Command cmd_health = {
        .name = "health",
        .summary = "Print one JSON line: status, timestamp and service (SERVICE_NAME).",
        .usage = "",
        .run = run_health,
};
