/* SPDX-License-Identifier: MIT */
/* Typed, range-checked getenv() wrappers (see env.h for the syntax). */
#include "util/env.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/log.h"

/* Bad values are echoed in the warning, but a multi-kilobyte value must
 * not drown the line: show at most this many bytes of it. */
#define ENV_SHOW_MAX 64

static bool is_blank(char c)
{
        return c == ' ' || c == '\t';
}

/* Copies value without surrounding blanks into buf. Returns false when
 * the trimmed value does not fit (then it cannot be valid anyway). */
static bool trim_copy(const char *value, char *buf, size_t size)
{
        while (is_blank(*value))
                value++;
        size_t n = strlen(value);
        while (n > 0 && is_blank(value[n - 1]))
                n--;
        if (n >= size)
                return false;
        memcpy(buf, value, n);
        buf[n] = '\0';
        return true;
}

static bool all_digits(const char *s, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (s[i] < '0' || s[i] > '9')
                        return false;
        return true;
}

/* [+-]digits[.digits][(e|E)[+-]digits], at least one mantissa digit.
 * strtod() alone would also take "nan", "inf", hex floats and a
 * locale's decimal separator; we want none of those. */
static bool is_decimal_number(const char *s)
{
        size_t mant = 0;

        if (*s == '+' || *s == '-')
                s++;
        while (*s >= '0' && *s <= '9') {
                s++;
                mant++;
        }
        if (*s == '.') {
                s++;
                while (*s >= '0' && *s <= '9') {
                        s++;
                        mant++;
                }
        }
        if (mant == 0)
                return false;
        if (*s == 'e' || *s == 'E') {
                s++;
                if (*s == '+' || *s == '-')
                        s++;
                size_t exp = strspn(s, "0123456789");
                if (exp == 0)
                        return false;
                s += exp;
        }
        return *s == '\0';
}

/* How many bytes of a bad value to echo: at most ENV_SHOW_MAX, never
 * cutting a UTF-8 sequence in half. */
static int show_len(const char *v)
{
        size_t n = strnlen(v, ENV_SHOW_MAX + 1);
        if (n > ENV_SHOW_MAX) {
                n = ENV_SHOW_MAX;
                while (n > 0 && ((unsigned char)v[n] & 0xc0) == 0x80)
                        n--;
        }
        return (int)n;
}

static const char *env_get(const char *name)
{
        const char *v = getenv(name);
        return v && *v ? v : NULL;
}

double env_double(const char *name, double def, double min, double max)
{
        const char *v = env_get(name);
        if (!v)
                return def;

        char buf[128];
        if (trim_copy(v, buf, sizeof buf) && is_decimal_number(buf)) {
                char *end;
                errno = 0;
                double d = strtod(buf, &end);
                /* ERANGE also flags underflow to (sub)normal tiny values;
                 * those are simply out of any sensible range below. */
                if (*end == '\0' && errno != ERANGE && isfinite(d) && d >= min && d <= max)
                        return d;
        }
        log_warn("invalid %s=\"%.*s\": expected a number from %g to %g, using the default %g",
                 name, show_len(v), v, min, max, def);
        return def;
}

unsigned env_unsigned(const char *name, unsigned def, unsigned min, unsigned max)
{
        const char *v = env_get(name);
        if (!v)
                return def;

        char buf[64];
        if (trim_copy(v, buf, sizeof buf)) {
                const char *s = buf[0] == '+' ? buf + 1 : buf;
                size_t n = strlen(s);
                if (n > 0 && all_digits(s, n)) {
                        errno = 0;
                        unsigned long long u = strtoull(s, NULL, 10);
                        if (errno != ERANGE && u <= UINT_MAX && u >= min && u <= max)
                                return (unsigned)u;
                }
        }
        log_warn("invalid %s=\"%.*s\": expected a whole number from %u to %u, using the default %u",
                 name, show_len(v), v, min, max, def);
        return def;
}

bool env_bool(const char *name, bool def)
{
        const char *v = env_get(name);
        if (!v)
                return def;

        char buf[16];
        if (trim_copy(v, buf, sizeof buf)) {
                if (!strcmp(buf, "1") || !strcasecmp(buf, "true") || !strcasecmp(buf, "yes"))
                        return true;
                if (!strcmp(buf, "0") || !strcasecmp(buf, "false") || !strcasecmp(buf, "no"))
                        return false;
        }
        log_warn("invalid %s=\"%.*s\": expected 1/0, true/false or yes/no, using the default %s",
                 name, show_len(v), v, def ? "1" : "0");
        return def;
}
