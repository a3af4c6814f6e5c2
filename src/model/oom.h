/* SPDX-License-Identifier: MIT */
/* One OOM-killer kill, assembled from the kernel's report around one
 * "Killed process" line (analyze/oom.c builds these from log text).
 *
 * Absent values: U64_ABSENT for uint64_t, NAN for doubles, "" for strings,
 * and a has_ flag for the signed fields where 0 and negative values are
 * real (order is -1 for SysRq OOMs, oom_score_adj runs -1000..1000).
 * Strings are bytes as the kernel printed them (after /dev/kmsg \xNN
 * unescaping): they may hold anything but NUL and are not guaranteed to be
 * UTF-8; renderers sanitise. Over-long values are cut at the array size. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/common.h"

#define OOM_NAME_MAX 64         /* comm is <= 15 bytes; room for escapes */
#define OOM_PATH_MAX 1024       /* cgroup paths */
#define OOM_CONSTRAINT_MAX 32   /* "CONSTRAINT_MEMORY_POLICY" */
#define OOM_GFP_MASK_MAX 24     /* "0x1100cca" */
#define OOM_GFP_FLAGS_MAX 256   /* "GFP_HIGHUSER_MOVABLE|__GFP_COMP|..." */
#define OOM_PREFIX_MAX 64       /* "Out of memory (oom_kill_allocating_task)" */
#define OOM_WALL_MAX 64         /* raw wall-clock prefix */
#define OOM_RAW_LINE_MAX 512    /* kill line text */
#define OOM_BOOT_ID_MAX 33      /* 32 hex digits + NUL */
#define OOM_TOP_HOLDERS 5

/* Where a line came from (LogLine.format, OomEvent.source_format). */
typedef enum LogFormat {
        LOG_FMT_BARE = 0,       /* no prefix: dmesg -t, journalctl -o cat, excerpts */
        LOG_FMT_DMESG,          /* "[  123.456789] msg" (also <N> and caller prefixes) */
        LOG_FMT_DMESG_CTIME,    /* dmesg -T "[Wed Nov 25 17:38:02 2026] msg", any locale */
        LOG_FMT_DMESG_ISO,      /* dmesg --time-format=iso "2026-11-25T17:38:02,769097+00:00 msg" */
        LOG_FMT_KMSG,           /* /dev/kmsg "prio,seq,usec,flags;msg" */
        LOG_FMT_JOURNAL_JSON,   /* journalctl -o json, one object per line */
        LOG_FMT_SYSLOG,         /* "Mon DD HH:MM:SS host kernel: [sec]? msg" (kern.log, journalctl short) */
        LOG_FMT_SYSLOG_ISO,     /* "2026-11-25T17:38:02+0000 host kernel: msg" (short-iso, RFC 3339 syslog) */
        LOG_FMT_JOURNAL_MONO,   /* journalctl -o short-monotonic "[  489.476616] host kernel: msg" */
        LOG_FMT_WRAPPED,        /* unknown wrapper before a "[sec]" or "[ISO]:" stamp (VMware, Talos) */
        LOG_FMT_COUNT_,
} LogFormat;

/* One row of the task dump ("Tasks state"), kept for the biggest holders. */
typedef struct OomHolder {
        uint64_t pid;
        uint64_t uid;           /* U64_ABSENT when the column is missing */
        uint64_t rss_pages;     /* pages, not kB (page size is the machine's) */
        char name[OOM_NAME_MAX];
} OomHolder;

typedef enum OomReapState {
        OOM_REAP_UNKNOWN = 0,   /* no oom_reaper line (seen) for this kill */
        OOM_REAP_DONE,          /* "oom_reaper: reaped process N (...), now anon-rss:..." */
        OOM_REAP_FAILED,        /* "oom_reaper: unable to reap pid:N (...)" */
} OomReapState;

/* An oom_reaper line: reported on its own, since it may arrive after the
 * kill has been emitted (oom --follow). */
typedef struct OomReap {
        OomReapState state;
        uint64_t pid;
        char name[OOM_NAME_MAX];
        uint64_t anon_rss_kb, file_rss_kb, shmem_rss_kb; /* "now ..." figures */
        double kernel_time_s;
} OomReap;

typedef enum K8sQos {
        K8S_QOS_NONE = 0,       /* not a kubelet-shaped path */
        K8S_QOS_GUARANTEED,
        K8S_QOS_BURSTABLE,
        K8S_QOS_BESTEFFORT,
} K8sQos;

/* Kubernetes identity recovered from a cgroup path. */
typedef struct K8sContext {
        K8sQos qos;             /* K8S_QOS_NONE: not a pod cgroup, the rest is empty */
        char pod_uid[40];       /* "95387fa4-da9c-11e7-9d36-5254b24cbf5e" (dashes) */
        char container_id[72];  /* 64 hex digits usually; "" at pod level */
        char runtime[16];       /* "containerd", "docker", "crio", or "" (cgroupfs: unknown) */
} K8sContext;

typedef struct OomEvent {
        /* The "Killed process" line. */
        uint64_t pid;
        char name[OOM_NAME_MAX];
        uint64_t uid;                   /* kill line, else the matching oom-kill: summary */
        uint64_t total_vm_kb;
        uint64_t anon_rss_kb;
        uint64_t file_rss_kb;
        uint64_t shmem_rss_kb;          /* 4.5+ */
        uint64_t pgtables_kb;           /* 5.4+ (bytes on early 5.4.x, reported as printed) */
        bool has_oom_score_adj;         /* 5.4+ */
        int oom_score_adj;
        char kill_prefix[OOM_PREFIX_MAX]; /* "Out of memory", "Memory cgroup out of memory", "" for the bare line */
        char raw_line[OOM_RAW_LINE_MAX];  /* the kill line's message text */

        /* The report's header "NAME invoked oom-killer: ..." ("" / absent without one). */
        char invoked_by[OOM_NAME_MAX];
        uint64_t invoked_by_pid;        /* from the dump_stack "CPU: n PID: N Comm:" line */
        char gfp_mask[OOM_GFP_MASK_MAX];   /* "0xcc0" */
        char gfp_flags[OOM_GFP_FLAGS_MAX]; /* "GFP_KERNEL" (4.6+) */
        bool has_order;
        int order;                      /* -1 for SysRq-f */
        bool has_invoker_oom_score_adj;
        int invoker_oom_score_adj;      /* the header's oom_score_adj (the invoker's) */

        /* Memcg block and summary. */
        uint64_t memcg_usage_kb;        /* "memory: usage U kB, limit L kB" */
        uint64_t memcg_limit_kb;
        char constraint[OOM_CONSTRAINT_MAX]; /* "CONSTRAINT_MEMCG", ... (5.0+) */
        bool global_oom;                /* the summary said global_oom */
        char oom_memcg[OOM_PATH_MAX];   /* the limited memcg ("" for global) */
        char task_memcg[OOM_PATH_MAX];  /* the victim's own memcg */
        uint64_t chosen_pid;            /* pre-5.1 "Kill process N ... sacrifice child" */
        K8sContext k8s;                 /* from task_memcg (else oom_memcg) */

        /* Task dump: biggest rss first, at most OOM_TOP_HOLDERS rows. */
        size_t n_top;
        OomHolder top[OOM_TOP_HOLDERS];
        uint64_t tasks_dumped;          /* rows seen; 0 without a task dump */

        /* oom_reaper, when its line followed in the same input. */
        OomReapState reap;
        uint64_t reaped_anon_rss_kb, reaped_file_rss_kb, reaped_shmem_rss_kb;

        /* Time and provenance of the kill line. */
        double kernel_time_s;           /* seconds since boot (printk clock) */
        uint64_t realtime_usec;         /* wall clock when the prefix carries it with a zone */
        char wall_time[OOM_WALL_MAX];   /* the prefix's wall clock as printed */
        uint64_t kmsg_seq;              /* /dev/kmsg sequence number */
        char boot_id[OOM_BOOT_ID_MAX];  /* journal _BOOT_ID */
        LogFormat source_format;
        uint64_t line_no;               /* 1-based physical line of the kill in its input */
} OomEvent;

typedef struct OomEventList {
        OomEvent *events;       /* in input order */
        size_t n;
        size_t cap;
        size_t dropped;         /* oldest events dropped to stay under the cap */
} OomEventList;
