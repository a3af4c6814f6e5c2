/* SPDX-License-Identifier: MIT */
/* System memory: /proc/meminfo, /proc/vmstat, /proc/pressure/memory. */
#pragma once
#include "collect/rootfs.h"
#include "model/memory.h"

/* Parses /proc/meminfo into bytes (counts for HugePages_*). Returns 0 when
 * MemTotal was found, -EBADMSG otherwise. Unknown keys are ignored. */
int meminfo_parse(const char *buf, MemInfo *ret);

/* Derives psutil's virtual_memory() and swap_memory() from meminfo. */
void memory_derive(const MemInfo *mi, VirtualMemory *ret_virt, SwapMemory *ret_swap);

/* Everything except the cgroup part. 0, or -errno if meminfo is unreadable. */
int memory_collect(const RootFS *fs, MemoryInfo *ret);
