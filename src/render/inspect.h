/* SPDX-License-Identifier: MIT */
/* ProcessDetail (`inspect`) -> JSON or a sectioned text report.
 * JSON: every part is present; one that could not be read is null and is
 * named in "unavailable". Text: "n/a" for those, names and paths made safe
 * for the terminal. */
#pragma once
#include <stdbool.h>

#include "model/pidinfo.h"
#include "render/table.h"

/* Both return a malloc'd NUL-terminated document without a trailing
 * newline, or NULL on allocation failure. */
char *render_inspect_json(const ProcessDetail *d, bool pretty);
/* window_ms: the CPU sampling window, shown next to the percentage.
 * style NULL: plain ASCII without colour. */
char *render_inspect_table(const ProcessDetail *d, unsigned window_ms, const TableStyle *style);
