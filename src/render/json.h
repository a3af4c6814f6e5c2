/* SPDX-License-Identifier: MIT */
/* Snapshot -> JSON text. Key names and nesting follow the original tool
 * (reference/snapshot-keys.txt) so users' jq pipelines keep working; our
 * additions are new keys beside them. Contract keys whose value is unknown
 * are null; added keys are left out when unknown. */
#pragma once
#include <stdbool.h>

#include "model/snapshot.h"

#define JSON_SCHEMA_VERSION 1

/* Returns a malloc'd NUL-terminated document (no trailing newline), or
 * NULL on allocation failure. pretty: indented, else one line. */
char *render_json_snapshot(const Snapshot *snap, bool pretty);
