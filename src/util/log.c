/* SPDX-License-Identifier: MIT */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/timeutil.h"

static LogLevel current_level = LOG_LEVEL_INFO;
static const char *const level_names[] = { "debug", "info", "warn", "error" };

void log_set_level(LogLevel level)
{
        current_level = level;
}

void log_init_from_env(void)
{
        const char *v = getenv("LOG_LEVEL");
        if (!v || !*v)
                return;
        if (!strcasecmp(v, "DEBUG"))
                current_level = LOG_LEVEL_DEBUG;
        else if (!strcasecmp(v, "INFO"))
                current_level = LOG_LEVEL_INFO;
        else if (!strcasecmp(v, "WARNING") || !strcasecmp(v, "WARN"))
                current_level = LOG_LEVEL_WARN;
        else if (!strcasecmp(v, "ERROR") || !strcasecmp(v, "CRITICAL"))
                current_level = LOG_LEVEL_ERROR;
        else
                log_warn("invalid LOG_LEVEL, using INFO (use DEBUG, INFO, WARNING or ERROR)");
}

int log_enabled(LogLevel level)
{
        return level >= current_level;
}

/* logfmt value: quoted, with quotes, backslashes and control bytes
 * escaped, so one event is always one line whatever the text holds. */
static void quote(const char *in, char *out, size_t cap)
{
        size_t o = 0;
        for (const char *p = in; *p && o + 5 < cap; p++) {
                unsigned char c = (unsigned char)*p;
                if (c == '"' || c == '\\') {
                        out[o++] = '\\';
                        out[o++] = (char)c;
                } else if (c < 0x20 || c == 0x7f) {
                        o += (size_t)snprintf(out + o, cap - o, "\\x%02x", c);
                } else {
                        out[o++] = (char)c;
                }
        }
        out[o] = '\0';
}

static void emit(LogLevel level, const char *msg, const char *fields)
{
        char ts[40], q[1200];
        format_iso8601_utc(now_realtime_usec(), ts);
        quote(msg, q, sizeof q);
        fprintf(stderr, "time=%s level=%s msg=\"%s\"%s%s\n", ts, level_names[level], q,
                fields && *fields ? " " : "", fields ? fields : "");
}

void log_msg(LogLevel level, const char *fmt, ...)
{
        if (!log_enabled(level))
                return;
        char msg[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        emit(level, msg, NULL);
}

void log_fields(LogLevel level, const char *msg, const char *fields_fmt, ...)
{
        if (!log_enabled(level))
                return;
        char fields[1024];
        va_list ap;
        va_start(ap, fields_fmt);
        vsnprintf(fields, sizeof fields, fields_fmt, ap);
        va_end(ap);
        /* Field values are the caller's identifiers and numbers; a stray
         * newline would still split the event, so it is replaced. */
        for (char *p = fields; *p; p++)
                if ((unsigned char)*p < 0x20)
                        *p = ' ';
        emit(level, msg, fields);
}
