/* SPDX-License-Identifier: MIT */
/* Structured logging to stderr in logfmt: `level=warn msg="..." key=value`.
 * stdout never carries log lines. The level comes from LOG_LEVEL
 * (DEBUG, INFO, WARNING/WARN, ERROR; default INFO). */
#pragma once

typedef enum LogLevel {
        LOG_LEVEL_DEBUG,
        LOG_LEVEL_INFO,
        LOG_LEVEL_WARN,
        LOG_LEVEL_ERROR,
} LogLevel;

void log_init_from_env(void);
void log_set_level(LogLevel level);
int log_enabled(LogLevel level);
void log_msg(LogLevel level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* msg is quoted and escaped; fields_fmt formats extra "key=value ..."
 * pairs appended as they are (use only identifiers and numbers there). */
void log_fields(LogLevel level, const char *msg, const char *fields_fmt, ...)
        __attribute__((format(printf, 3, 4)));

#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
