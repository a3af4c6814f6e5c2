/* SPDX-License-Identifier: MIT */
/* Alert thresholds and leak-detector settings from environment variables.
 * The variable names and defaults of the original tool, plus
 * ALERT_CGROUP_THRESHOLD and MEMORY_LEAK_COOLDOWN, which are ours. */
#include "analyze/alert-env.h"

#include "util/env.h"

#define LEAK_COOLDOWN_MAX 1000000u
#define LEAK_GROWTH_MAX 10000.0

void alert_config_from_env(AlertConfig *cfg)
{
        alert_config_defaults(cfg);
        cfg->cpu_percent = env_double("ALERT_CPU_THRESHOLD", cfg->cpu_percent, 0.0, 100.0);
        cfg->memory_percent = env_double("ALERT_MEMORY_THRESHOLD", cfg->memory_percent, 0.0, 100.0);
        cfg->memory_critical_percent = env_double("ALERT_MEMORY_CRITICAL_THRESHOLD",
                                                  cfg->memory_critical_percent, 0.0, 100.0);
        cfg->swap_percent = env_double("ALERT_SWAP_THRESHOLD", cfg->swap_percent, 0.0, 100.0);
        cfg->cgroup_percent = env_double("ALERT_CGROUP_THRESHOLD", cfg->cgroup_percent, 0.0, 100.0);
        cfg->leak_window = env_unsigned("MEMORY_LEAK_WINDOW_SIZE", cfg->leak_window,
                                        LEAK_WINDOW_MIN, LEAK_WINDOW_MAX);
        cfg->leak_growth_percent = env_double("MEMORY_LEAK_GROWTH_THRESHOLD",
                                              cfg->leak_growth_percent, 0.0, LEAK_GROWTH_MAX);
        /* The cooldown defaults to the (possibly overridden) window: one
         * alert per window's worth of samples while a leak goes on. */
        cfg->leak_cooldown_ticks = env_unsigned("MEMORY_LEAK_COOLDOWN", cfg->leak_window,
                                                0, LEAK_COOLDOWN_MAX);
}
