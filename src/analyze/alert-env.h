/* SPDX-License-Identifier: MIT */
/* AlertConfig from the environment (the only part of the alert code that
 * reads outside state; kept apart so analyze/alerts.c stays pure). */
#pragma once
#include "analyze/alerts.h"

/* Starts from alert_config_defaults() and overrides from:
 *   ALERT_CPU_THRESHOLD              0..100     default 90
 *   ALERT_MEMORY_THRESHOLD           0..100     default 90
 *   ALERT_MEMORY_CRITICAL_THRESHOLD  0..100     default 95
 *   ALERT_SWAP_THRESHOLD             0..100     default 80
 *   ALERT_CGROUP_THRESHOLD           0..100     default 90
 *   MEMORY_LEAK_WINDOW_SIZE          3..1024    default 10 (samples)
 *   MEMORY_LEAK_GROWTH_THRESHOLD     0..10000   default 5.0 (percent)
 *   MEMORY_LEAK_COOLDOWN             0..1000000 default = window (ticks)
 * Invalid values are logged (one warning each) and replaced by the
 * default. */
void alert_config_from_env(AlertConfig *cfg);
