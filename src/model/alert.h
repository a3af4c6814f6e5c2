/* SPDX-License-Identifier: MIT */
/* Alerts: what analyze/alerts.c found in a snapshot (or across watch
 * ticks). Plain data; the cmd layer logs them and renderers print them. */
#pragma once
#include <stddef.h>

typedef enum AlertSeverity {
        ALERT_WARNING,
        ALERT_CRITICAL,
        _ALERT_SEVERITY_MAX,
} AlertSeverity;

const char *alert_severity_to_string(AlertSeverity s);

#define ALERTS_MAX 16

typedef struct Alert {
        char rule[32];        /* "cpu", "memory", "memory_critical", "swap", "cgroup_memory", "memory_leak" */
        AlertSeverity severity;
        double value;         /* observed value, in the rule's unit (percent for the threshold rules) */
        double threshold;     /* configured threshold, same unit */
        char message[200];    /* one human sentence, e.g. "CPU usage 95.2% is above 90.0%" */
} Alert;

typedef struct AlertList {
        Alert items[ALERTS_MAX];
        size_t n;
} AlertList;
