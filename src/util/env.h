/* SPDX-License-Identifier: MIT */
/* Configuration from environment variables. An unset or empty variable
 * means "use the default", silently. A value that is not a plain number,
 * is NaN/infinite, or lies outside [min, max] is reported with one
 * log_warn() line naming the variable, the bad value and the default, and
 * the default is returned: a typo in a DaemonSet manifest must not stop
 * monitoring, but it must not go unnoticed either.
 *
 * Accepted syntax: optional blanks (space, tab) around the value;
 *   env_double:   [+-]digits[.digits][(e|E)[+-]digits] (also ".5", "5.");
 *                 no hex floats, no "nan"/"inf";
 *   env_unsigned: [+]digits, decimal only;
 *   env_bool:     1/0, true/false, yes/no (case-insensitive). */
#pragma once
#include <stdbool.h>

double env_double(const char *name, double def, double min, double max);
unsigned env_unsigned(const char *name, unsigned def, unsigned min, unsigned max);
bool env_bool(const char *name, bool def);
