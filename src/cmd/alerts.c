/* SPDX-License-Identifier: MIT */
/* --alerts for snapshot and watch: evaluate the rules (analyze/alerts.c),
 * feed the across-ticks leak detectors, and log each alert on stderr as a
 * structured line. stdout never carries them, so `snapshot -f json
 * --alerts | jq .` always parses. */
#include <stdlib.h>

#include "analyze/alert-env.h"
#include "analyze/alerts.h"
#include "cmd/report.h"
#include "util/log.h"

struct AlertState {
        AlertConfig cfg;
        LeakDetector system_leak;
        LeakDetector cgroup_leak;
};

struct AlertState *cmd_alert_state_new(void)
{
        struct AlertState *st = calloc(1, sizeof *st);
        if (!st)
                return NULL;
        alert_config_from_env(&st->cfg);
        leak_detector_init(&st->system_leak, "memory_leak", "System memory");
        leak_detector_init(&st->cgroup_leak, "cgroup_memory_leak", "Container memory");
        return st;
}

void cmd_alert_state_free(struct AlertState *st)
{
        free(st);
}

static void log_alert(const Alert *a)
{
        log_fields(a->severity == ALERT_CRITICAL ? LOG_LEVEL_ERROR : LOG_LEVEL_WARN, a->message,
                   "event=alert rule=%s severity=%s value=%.2f threshold=%.2f", a->rule,
                   alert_severity_to_string(a->severity), a->value, a->threshold);
}

int cmd_evaluate_alerts(const ReportArgs *a, Snapshot *snap, struct AlertState *state)
{
        if (!a->alerts)
                return EXIT_OK;

        struct AlertState local;
        bool across_ticks = state != NULL;
        if (!state) {
                alert_config_from_env(&local.cfg);
                state = &local;
        }
        alerts_evaluate(&state->cfg, snap, &snap->alerts);
        snap->alerts_evaluated = true;

        if (across_ticks) {
                Alert leak;
                if (leak_detector_push(&state->system_leak, &state->cfg,
                                       alerts_memory_used_bytes(&snap->memory), &leak))
                        alert_list_add(&snap->alerts, &leak);
                /* A container's own memory only means something against a limit. */
                if (snap->memory.cgroup.version && has_u64(snap->memory.cgroup.limit) &&
                    leak_detector_push(&state->cgroup_leak, &state->cfg, snap->memory.cgroup.usage, &leak))
                        alert_list_add(&snap->alerts, &leak);
        }
        for (size_t i = 0; i < snap->alerts.n; i++)
                log_alert(&snap->alerts.items[i]);
        return snap->alerts.n ? EXIT_RUNTIME : EXIT_OK;
}
