/* SPDX-License-Identifier: MIT */
#pragma once
#include <stdint.h>

#include "model/cgroup.h"
#include "model/common.h"

/* The /proc/meminfo keys we keep. Values are stored in bytes, except the
 * HugePages_* counts, which the kernel prints without a unit. */
typedef enum MemKey {
        MEM_MemTotal,
        MEM_MemFree,
        MEM_MemAvailable,
        MEM_Buffers,
        MEM_Cached,
        MEM_SwapCached,
        MEM_Active,
        MEM_Inactive,
        MEM_SwapTotal,
        MEM_SwapFree,
        MEM_Dirty,
        MEM_Writeback,
        MEM_AnonPages,
        MEM_Mapped,
        MEM_Shmem,
        MEM_KReclaimable,
        MEM_Slab,
        MEM_SReclaimable,
        MEM_SUnreclaim,
        MEM_KernelStack,
        MEM_PageTables,
        MEM_CommitLimit,
        MEM_Committed_AS,
        MEM_VmallocUsed,
        MEM_AnonHugePages,
        MEM_HugePages_Total,
        MEM_HugePages_Free,
        MEM_Hugepagesize,
        MEM_DirectMap4k,
        MEM_DirectMap2M,
        MEM_DirectMap1G,
        _MEM_MAX,
} MemKey;

typedef struct MemInfo {
        uint64_t value[_MEM_MAX]; /* U64_ABSENT when the kernel lacks the key */
} MemInfo;

const char *mem_key_to_string(MemKey k);
/* true for keys whose value is a count rather than bytes (HugePages_*) */
bool mem_key_is_count(MemKey k);

/* psutil.virtual_memory() semantics, see collect/memory.c for formulas. */
typedef struct VirtualMemory {
        uint64_t total, available, used, free, buffers, cached, shared, active, inactive;
        double percent;
} VirtualMemory;

typedef struct SwapMemory {
        uint64_t total, used, free;
        uint64_t sin_bytes, sout_bytes; /* cumulative swap-in/out; U64_ABSENT if unknown */
        double percent;
} SwapMemory;

typedef struct MemoryInfo {
        bool has_meminfo;
        VirtualMemory virt;
        SwapMemory swap;
        MemInfo detail;
        Psi pressure;
        uint64_t oom_kill_count; /* /proc/vmstat oom_kill; U64_ABSENT if unknown */
        CgroupMemory cgroup;
} MemoryInfo;
