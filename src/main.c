/* SPDX-License-Identifier: MIT */
/* 30secs: what is this machine doing, who leaks memory, who got OOM-killed.
 * main() parses the options that come before the command word, finds the
 * command in the table and turns its result into the exit code. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/log.h"

static const Command *const commands[] = {
        &cmd_snapshot,
        &cmd_quick,
        &cmd_watch,
        &cmd_leak,
        &cmd_oom,
        &cmd_inspect,
        &cmd_health,
        &cmd_version,
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void print_main_help(FILE *f)
{
        fprintf(f, "Usage: 30secs [--procfs DIR] [--sysfs DIR] [--rootfs DIR] <command> [options]\n\n"
                   "Commands:\n");
        for (size_t i = 0; i < N_COMMANDS; i++)
                fprintf(f, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
        fprintf(f, "\nGlobal options:\n" COMMON_HELP
                   "  -V, --version        print the version\n\n"
                   "Run '30secs <command> --help' for the options of a command.\n"
                   "Exit codes: 0 ok, 1 runtime failure or alert, 2 usage error.\n");
}

static const Command *find_command(const char *name)
{
        for (size_t i = 0; i < N_COMMANDS; i++)
                if (strcmp(commands[i]->name, name) == 0)
                        return commands[i];
        return NULL;
}

int main(int argc, char **argv)
{
        static const struct option longopts[] = {
                COMMON_LONG_OPTIONS,
                { "version", no_argument, NULL, 'V' },
                {},
        };
        GlobalOptions g = { 0 };
        int opt;

        log_init_from_env();
        opterr = 0;
        while ((opt = getopt_long(argc, argv, "+:hV", longopts, NULL)) != -1) {
                if (cmd_common_option(opt, &g))
                        continue;
                switch (opt) {
                case 'h':
                        print_main_help(stdout);
                        return EXIT_OK;
                case 'V':
                        printf("30secs %s\n", THIRTYSECS_VERSION);
                        return EXIT_OK;
                case ':':
                        fprintf(stderr, "30secs: option '%s' needs a value (see '30secs --help')\n",
                                argv[optind - 1]);
                        return EXIT_USAGE;
                default:
                        fprintf(stderr, "30secs: unknown option '%s' (see '30secs --help')\n",
                                argv[optind - 1]);
                        return EXIT_USAGE;
                }
        }
        if (optind >= argc) {
                fprintf(stderr, "30secs: no command given (try '30secs snapshot' or '30secs --help')\n");
                return EXIT_USAGE;
        }
        const char *name = argv[optind];
        if (strcmp(name, "help") == 0) {
                if (optind + 1 < argc && find_command(argv[optind + 1])) {
                        cmd_print_help(find_command(argv[optind + 1]));
                        return EXIT_OK;
                }
                print_main_help(stdout);
                return EXIT_OK;
        }
        const Command *cmd = find_command(name);
        if (!cmd) {
                fprintf(stderr, "30secs: unknown command '%s' (see '30secs --help')\n", name);
                return EXIT_USAGE;
        }
        /* The command parses argv from its own name on. */
        return cmd->run(cmd, argc - optind, argv + optind, &g);
}
