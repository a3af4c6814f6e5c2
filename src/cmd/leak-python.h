/* SPDX-License-Identifier: MIT */
/* `leak --deep-python`: run a Python script or module under tracemalloc
 * with the embedded bootstrap (src/deep/tracemalloc_bootstrap.py) and
 * report the source lines and object types that grew. */
#pragma once
#include <stddef.h>

#include "cmd/cmd.h"

/* The whole `leak --deep-python ...` command line (argv as given to the
 * leak command). Returns an exit status. */
int run_leak_deep_python(const Command *cmd, int argc, char **argv, GlobalOptions *g);

/* Splits s into words like a POSIX shell without expansions (the same
 * rules as Python's shlex.split): blanks separate words; '...' is literal;
 * "..." is literal except for backslash before \ " $ ` and newline;
 * outside quotes a backslash quotes the next character. On success
 * returns 0, *ret_words is a malloc'd NULL-terminated array of malloc'd
 * words and *ret_n their count (free with deep_free_words). -EINVAL for
 * an unterminated quote or a trailing backslash. */
int deep_split_args(const char *s, char ***ret_words, size_t *ret_n);
void deep_free_words(char **words);
