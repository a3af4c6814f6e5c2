/* SPDX-License-Identifier: MIT */
/* Processes: one pass over <procfs>/PID/stat per sample. CPU percent per
 * process needs two samples (before and after the sampling window); only
 * the top processes get a second look (status for the uid, cmdline for a
 * name the kernel cut at 15 bytes). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collect/passwd.h"
#include "collect/rootfs.h"
#include "model/process.h"
#include "util/timeutil.h"

/* Parses /proc/PID/stat. comm is everything between the first '(' and the
 * LAST ')' (names may hold spaces, parentheses, newlines). buf must be
 * NUL-terminated at len. 0 or -EBADMSG / -ERANGE. */
int pid_stat_parse(const char *buf, size_t len, PidStat *ret);

/* Parses the real uid from /proc/PID/status ("Uid:\t1000\t1000\t..."). */
int pid_status_uid_parse(const char *buf, uid_t *ret);

/* A compact record per process; kept small so 10,000 processes cost
 * well under 1 MiB. */
typedef struct PidSample {
        int pid;
        char state;
        bool kernel_thread; /* PF_KTHREAD: runs as root, has no memory of its own */
        bool owner_read;    /* proc_scan_read_owners() tried this one ... */
        bool has_uid;       /* ... and got its uid */
        uint32_t uid;
        char *long_name;    /* ... and its display name, when comm may be cut (malloc'd) */
        int32_t num_threads;
        int32_t stat_fd; /* /proc/PID/stat kept open for the next scan, or -1 */
        char comm[16];   /* first 15 bytes of the name; longer ones are re-read */
        uint64_t cpu_ticks; /* utime + stime */
        uint64_t starttime_ticks;
        uint64_t rss_pages;
} PidSample;

typedef struct ProcScan {
        PidSample *v; /* sorted by pid */
        size_t n, cap;
        PasswdCache users; /* loaded by proc_scan_read_owners() */
        usec_t taken_usec; /* CLOCK_MONOTONIC when the scan started */
} ProcScan;

/* Reads every PID once. Vanished processes are skipped silently.
 * With keep_fds, each stat file stays open (up to a budget below
 * RLIMIT_NOFILE) so that a later scan given this one as prev re-reads it
 * with pread() instead of a path lookup: about 40% less kernel work per
 * process for the second sample. 0 or -errno if the proc root cannot be
 * listed. */
int proc_scan(const RootFS *fs, ProcScan *scan, bool keep_fds, const ProcScan *prev);
/* Reads ahead what the top lists show of the n largest processes by RSS,
 * kernel threads excepted (the likely members of those lists): the real
 * uid (status "Uid:"), the display name when comm may be cut, and the
 * user table. A later processes_summarize() with this scan as `before`
 * uses them for the same process (pid and start time), so `snapshot` does
 * these reads before its window rather than after it, when the same reads
 * cost about twice as much. */
void proc_scan_read_owners(const RootFS *fs, ProcScan *scan, size_t n);
/* Frees the records and closes kept fds. */
void proc_scan_done(ProcScan *scan);

/* The process's name as psutil shows it: comm, or argv[0]'s basename when
 * comm looks cut at 15 bytes. 0 or -errno (-ENOENT: gone). */
int pid_display_name(const RootFS *fs, int pid, char *out, size_t cap);

/* Counts, state histogram and the top lists by CPU (over before->after)
 * and by memory. before may be NULL (cpu_percent then 0). */
int processes_summarize(const RootFS *fs, const ProcScan *before, const ProcScan *after,
                        uint64_t mem_total_bytes, ProcessInfo *ret);
