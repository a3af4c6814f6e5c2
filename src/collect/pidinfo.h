/* SPDX-License-Identifier: MIT */
/* One process in depth (`inspect`) and its resources per tick (`leak`).
 * Reads, below <procfs>/PID: stat, status, smaps_rollup, cmdline, environ,
 * cwd, fd/N, task/TID/children, net/{tcp,tcp6,udp,udp6}, cgroup,
 * oom_score, oom_score_adj; plus <procfs>/stat (btime) and the memory
 * cgroup of the process below <sysfs>/fs/cgroup. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collect/rootfs.h"
#include "model/leak.h"
#include "model/pidinfo.h"
#include "util/timeutil.h"

/* ---- pure parsers (no I/O) ---------------------------------------------- */

/* /proc/PID/status: Name, State, PPid, Uid (real, effective), VmSize,
 * VmRSS, RssAnon, RssFile, RssShmem, VmSwap, Threads and the two context
 * switch counters. Keys that are missing, malformed or overflow stay
 * absent (U64_ABSENT, state '\0', ppid -1, has_uid false); for a repeated
 * key the first valid line wins. 0 when at least one key was read, else
 * -EBADMSG. */
int pid_status_parse(const char *buf, PidStatus *ret);

/* /proc/PID/smaps_rollup: a header line whose last word is "[rollup]",
 * then "Key:   N kB" lines. Keys the kernel does not print (Pss_Anon and
 * friends are 5.x additions) stay U64_ABSENT. 0; -ENODATA for an empty
 * file (a kernel thread or zombie has no memory map); -EBADMSG without
 * the header or without any known key. */
int smaps_rollup_parse(const char *buf, SmapsRollup *ret);

/* /proc/PID/environ (len bytes, "K=V\0K=V\0...", the last NUL may be
 * missing when the read was cut): copies the values of the PID_ENV_N
 * allowed names only, first occurrence wins. Nothing else is retained.
 * Always 0. */
int pid_environ_parse(const char *buf, size_t len, PidEnv *ret);

/* /proc/PID/cmdline (len bytes, NUL-separated arguments) -> one line for
 * display: arguments joined by spaces, each one that is empty or holds
 * characters a shell would treat specially single-quoted ('it'\''s'). A
 * single argument is shown verbatim (processes that rewrite their title,
 * like nginx, put spaces in argv[0]). Trailing NULs are dropped. Output
 * that does not fit in cap ends with "...". 0, or -ENODATA when there is
 * no argument (kernel threads, zombies). */
int pid_cmdline_format(const char *buf, size_t len, char *out, size_t cap);


/* What a /proc/PID/fd/N link (len bytes, not NUL-terminated) points at.
 * For a socket, *ret_inode is N of "socket:[N]" (U64_ABSENT if that does
 * not parse); otherwise untouched. ret_inode may be NULL. */
FdKind fd_kind_from_link(const char *link, size_t len, uint64_t *ret_inode);

/* /proc/PID/task/TID/children: "PID PID PID " (may be empty). Appends to
 * *pids (growing it with realloc; *n and *cap track it). 0, or -EBADMSG at
 * the first token that is not a PID (those before it are kept). */
int pid_children_parse(const char *buf, int **pids, size_t *n, size_t *cap);

/* ---- I/O ---------------------------------------------------------------- */

/* One leak-sampling tick for pid: status (rss, anon, swap, threads), stat
 * (page faults), the entries of fd/ and how many are sockets, and, only
 * with with_smaps, smaps_rollup (pss, uss). No heap allocation.
 * Returns 0; -ESRCH when the process is gone (no <procfs>/PID, or a
 * zombie: its memory is already released); -EACCES when status cannot be
 * read. A part that cannot be read (fd/ of another user's process when
 * not root) is U64_ABSENT, never 0. */
int pid_resource_sample(const RootFS *fs, int pid, bool with_smaps, PidResourceSample *ret);

/* CPU time of a process at one moment, for a percentage over a window. */
typedef struct PidCpuSample {
        usec_t t_usec;            /* CLOCK_MONOTONIC */
        uint64_t ticks;           /* utime + stime */
        uint64_t starttime_ticks; /* tells a reused PID apart */
} PidCpuSample;

/* 0, -ESRCH (gone), or another -errno. */
int pid_cpu_sample(const RootFS *fs, int pid, PidCpuSample *ret);
/* Percent of one CPU between two samples (may exceed 100 with threads);
 * NAN when no time passed or the PID now names another process. */
double pid_cpu_percent(const PidCpuSample *before, const PidCpuSample *after);

/* Fills *ret (caller frees with process_detail_done, also after an error).
 * cpu_percent is left NAN: the caller samples it over its window.
 * 0; -ESRCH when there is no such process; -EACCES when even its stat is
 * unreadable. Every other unreadable part is marked unavailable. */
int pid_detail_read(const RootFS *fs, int pid, ProcessDetail *ret);
