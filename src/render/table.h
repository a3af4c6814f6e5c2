/* SPDX-License-Identifier: MIT */
/* Snapshot -> a plain-text report for people: sizes humanised, one decimal
 * for percentages, columns aligned, "n/a" for unknown values, control bytes
 * in names neutralised so a process cannot repaint the terminal. */
#pragma once
#include "model/snapshot.h"

/* Returns a malloc'd NUL-terminated report without a trailing newline, or
 * NULL on allocation failure. */
char *render_table_snapshot(const Snapshot *snap);
