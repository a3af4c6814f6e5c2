/* SPDX-License-Identifier: MIT */
/* Snapshot -> a plain-text report for people: sizes humanised, one decimal
 * for percentages, columns aligned, "n/a" for unknown values, control bytes
 * in names neutralised so a process cannot repaint the terminal. */
#pragma once
#include "model/snapshot.h"

typedef struct TableStyle {
        bool color;   /* ANSI colours (the caller checks isatty and NO_COLOR) */
        bool unicode; /* block characters in bars instead of '#' and '.' */
} TableStyle;

/* Returns a malloc'd NUL-terminated report without a trailing newline, or
 * NULL on allocation failure. style NULL: plain ASCII. */
char *render_table_snapshot(const Snapshot *snap, const TableStyle *style);
