/* SPDX-License-Identifier: MIT */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/common.h"

#define PROC_TOP_N 10

/* psutil's status names for the state letters of /proc/PID/stat. */
typedef enum ProcState {
        PROC_STATE_RUNNING,      /* R */
        PROC_STATE_SLEEPING,     /* S */
        PROC_STATE_DISK_SLEEP,   /* D */
        PROC_STATE_STOPPED,      /* T */
        PROC_STATE_TRACING_STOP, /* t */
        PROC_STATE_ZOMBIE,       /* Z */
        PROC_STATE_DEAD,         /* X, x */
        PROC_STATE_WAKE_KILL,    /* K */
        PROC_STATE_WAKING,       /* W */
        PROC_STATE_IDLE,         /* I */
        PROC_STATE_PARKED,       /* P */
        PROC_STATE_UNKNOWN,
        _PROC_STATE_MAX,
} ProcState;

ProcState proc_state_from_char(char c);
const char *proc_state_to_string(ProcState s);

/* The fields of /proc/PID/stat we use. comm may hold any byte but NUL. */
typedef struct PidStat {
        int pid;
        char comm[64];
        char state;
        int ppid;
        uint64_t flags;          /* PF_* bits of the task */
        uint64_t minflt, majflt; /* cumulative page faults of the process */
        uint64_t utime_ticks, stime_ticks;
        int64_t num_threads;
        uint64_t starttime_ticks; /* since boot */
        uint64_t vsize_bytes;
        uint64_t rss_pages;
} PidStat;

typedef struct ProcessSummary {
        int pid;
        char name[256]; /* comm, or the full name from cmdline when comm is cut at 15 */
        char username[64]; /* "" when unknown */
        uid_t uid;
        bool has_uid;
        ProcState state;
        double cpu_percent;    /* over the sampling window; may exceed 100 (threads) */
        double memory_percent; /* RSS / MemTotal * 100 */
        uint64_t rss_bytes;
        int64_t num_threads;
} ProcessSummary;

typedef struct ProcessInfo {
        size_t total;
        uint64_t status_counts[_PROC_STATE_MAX];
        uint64_t threads_total;
        ProcessSummary top_by_cpu[PROC_TOP_N];
        size_t n_top_by_cpu;
        ProcessSummary top_by_memory[PROC_TOP_N];
        size_t n_top_by_memory;
} ProcessInfo;
