/* SPDX-License-Identifier: MIT */
/* Memory cgroup of this process: v2, v1 or hybrid (v1 controllers under
 * <sysfs>/fs/cgroup/<controller>, the v2 tree at <sysfs>/fs/cgroup or
 * <sysfs>/fs/cgroup/unified). The cgroup path comes from
 * <procfs>/self/cgroup, never the hierarchy root. */
#pragma once
#include "collect/rootfs.h"
#include "model/cgroup.h"

/* Fills *ret (initialised with cgroup_memory_init by the caller).
 * Returns 0 (also when no memory cgroup exists: ret->version stays 0),
 * or -errno when /proc/self/cgroup itself cannot be read. */
int cgroup_memory_collect(const RootFS *fs, CgroupMemory *ret);
/* The same for the memory cgroup of process pid (<procfs>/PID/cgroup;
 * pid <= 0 means ourselves). -ENOENT when that process is gone. */
int cgroup_memory_collect_pid(const RootFS *fs, int pid, CgroupMemory *ret);

/* Pure parsers (no I/O), exposed for the unit tests. */

/* What <procfs>/self/cgroup says about the two hierarchies we care for. */
typedef struct CgroupSelf {
        bool has_unified;             /* a "0::<path>" line (cgroup v2) */
        bool has_memory;              /* a v1 line whose controller list has "memory" */
        char unified_path[1024];
        char memory_path[1024];
        char memory_controllers[64];  /* that line's list, e.g. "memory"; "" if too long */
} CgroupSelf;

/* Parses /proc/self/cgroup ("hierarchy-ID:controller-list:path" lines).
 * Lines that do not parse, and paths that do not fit, are skipped; the
 * first line of each kind wins. 0 when at least one line parsed, else
 * -EBADMSG (*ret is then all empty). */
int cgroup_self_parse(const char *buf, CgroupSelf *ret);

/* Parses a single-value file: a decimal number or "max", followed by
 * optional whitespace. "max" yields U64_ABSENT. 0, -EBADMSG or -ERANGE. */
int cgroup_value_parse(const char *buf, uint64_t *ret);

/* Maps a limit as the kernel prints it to our convention: the v1 "no
 * limit" value (PAGE_COUNTER_MAX * page size) becomes U64_ABSENT. */
uint64_t cgroup_limit_normalize(uint64_t v);


/* Does a cgroup.controllers line ("cpuset cpu io memory pids") list name? */
bool cgroup_controllers_has(const char *buf, const char *name);
