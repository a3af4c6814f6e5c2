/* SPDX-License-Identifier: MIT */
/* libFuzzer entry point for every pure parser (the table is in
 * fuzz-targets.h). Built and run by `make fuzz`; see tests/fuzz/README.md.
 *
 * Which parser gets the input:
 *   FUZZ_PARSER=<name> in the environment: that one, with the whole input
 *     (what `make fuzz` does, one run per parser, seeded from fixtures);
 *   otherwise the first input byte selects the parser (modulo their
 *     number) and the rest of the input is the data.
 * `FUZZ_PARSER=list` prints the names. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz-targets.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const FuzzTarget *pinned;

/* Called once by libFuzzer before any input. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        (void)argc;
        (void)argv;
        const char *name = getenv("FUZZ_PARSER");
        if (!name || !*name)
                return 0;
        pinned = fuzz_target_find(name);
        if (pinned)
                return 0;
        bool list = strcmp(name, "list") == 0;
        if (!list)
                fprintf(stderr, "fuzz-parsers: unknown FUZZ_PARSER '%s'; known:\n", name);
        for (size_t i = 0; i < FUZZ_N_TARGETS; i++)
                fprintf(list ? stdout : stderr, "%s\n", fuzz_targets[i].name);
        fflush(NULL);
        /* Not exit(): libFuzzer reports that as a crash of the target. */
        _exit(list ? 0 : 2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const FuzzTarget *t = pinned;

        if (!t) {
                if (size == 0)
                        return 0;
                t = &fuzz_targets[data[0] % FUZZ_N_TARGETS];
                data++;
                size--;
        }
        if (size > FUZZ_MAX_INPUT)
                return 0;
        if (fuzz_run(t, data, size) != 0) {
                fprintf(stderr, "fuzz-parsers: %s: %s\n", t->name, fuzz_msg);
                abort();
        }
        return 0;
}
