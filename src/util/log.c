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

void log_msg(LogLevel level, const char *fmt, ...)
{
        if (!log_enabled(level))
                return;

        char msg[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);

        char ts[40];
        format_iso8601_utc(now_realtime_usec(), ts);

        /* logfmt: quote the message and escape quotes, backslashes and
         * control bytes so one event is always one line. */
        char out[1200];
        size_t o = 0;
        for (const char *p = msg; *p && o < sizeof out - 5; p++) {
                unsigned char c = (unsigned char)*p;
                if (c == '"' || c == '\\') {
                        out[o++] = '\\';
                        out[o++] = (char)c;
                } else if (c < 0x20 || c == 0x7f) {
                        o += (size_t)snprintf(out + o, sizeof out - o, "\\x%02x", c);
                } else {
                        out[o++] = (char)c;
                }
        }
        out[o] = '\0';
        fprintf(stderr, "time=%s level=%s msg=\"%s\"\n", ts, level_names[level], out);
}
