/* SPDX-License-Identifier: MIT */
/* Strict number parsing. Kernel text is untrusted: no silent zeros, no
 * wrapping of negative numbers, overflow is an error. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whole-string parse of a decimal unsigned number. Rejects empty input,
 * signs, trailing junk and overflow. 0 or -EINVAL / -ERANGE. */
int safe_atou64(const char *s, uint64_t *ret);
int safe_atod(const char *s, double *ret);

/* Cursor parse: skips spaces/tabs at *p, reads a decimal unsigned number,
 * advances *p past it. 0 or -EINVAL (no digits) / -ERANGE. */
int scan_u64(const char **p, uint64_t *ret);
/* Same for a signed decimal (e.g. /proc/PID/stat nice, priority). */
int scan_i64(const char **p, int64_t *ret);
/* Cursor parse of a floating point number (loadavg, PSI averages). */
int scan_double(const char **p, double *ret);
/* Skips one whitespace-separated token; 0 or -EINVAL at end of line. */
int scan_skip(const char **p);

/* The first c in the line that starts at line (before its '\n'), or NULL.
 * Bounded by the line, so a file of many lines without c stays linear. */
const char *line_find(const char *line, char c);

/* Returns a pointer to the start of the next line, or NULL at the end. */
const char *next_line(const char *p);

/* Does line start with prefix? */
bool startswith(const char *s, const char *prefix);

/* One pass over "key value" lines (vmstat, memory.stat, memory.events,
 * memory.oom_control): for each line whose first word is keys[i], stores
 * the number into values[i]. Every value starts as UINT64_MAX (the model's
 * U64_ABSENT) and stays so when its key is missing or its value is not one
 * plain number; for a duplicated key the first valid line wins. Returns
 * how many keys were found. */
size_t keyed_u64_parse(const char *buf, const char *const *keys, size_t n_keys, uint64_t *values);
