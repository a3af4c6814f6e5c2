/* SPDX-License-Identifier: MIT */
/* One process in depth, as `inspect` shows it. Every part that could not be
 * read (another user's process without root, a kernel without
 * smaps_rollup, a process that exited half-way) is marked unavailable:
 * U64_ABSENT, NAN, or its has_* flag false — never 0. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/cgroup.h"
#include "model/common.h"

/* The fields of /proc/PID/status we use. Sizes in bytes. */
typedef struct PidStatus {
        char name[64];  /* "Name:", as the kernel escapes it ("\n" -> "\\n") */
        char state;     /* 'R', 'S', ...; '\0' when absent */
        int ppid;       /* -1 when absent */
        bool has_uid;
        uid_t uid_real, uid_effective;
        uint64_t vm_size, vm_rss, rss_anon, rss_file, rss_shmem, vm_swap;
        uint64_t threads;
        uint64_t voluntary_ctxt_switches, nonvoluntary_ctxt_switches;
} PidStatus;

/* /proc/PID/smaps_rollup: the sums over all mappings. Bytes. */
typedef struct SmapsRollup {
        uint64_t rss, pss, pss_anon, pss_file, pss_shmem;
        uint64_t shared_clean, shared_dirty, private_clean, private_dirty;
        uint64_t referenced, anonymous, lazy_free, anon_huge_pages;
        uint64_t swap, swap_pss, locked;
} SmapsRollup;

/* The only environment variables ever read out of /proc/PID/environ; the
 * rest routinely holds credentials and is never copied anywhere. */
#define PID_ENV_N 6
#define PID_ENV_VALUE_MAX 4096

static inline const char *pid_env_name(int i)
{
        static const char *const names[PID_ENV_N] = {
                "PATH", "HOME", "USER", "LANG", "JAVA_HOME", "NODE_ENV",
        };
        return i >= 0 && i < PID_ENV_N ? names[i] : "";
}

typedef struct PidEnv {
        bool set[PID_ENV_N];
        bool truncated[PID_ENV_N]; /* value longer than PID_ENV_VALUE_MAX - 1 */
        char value[PID_ENV_N][PID_ENV_VALUE_MAX];
} PidEnv;

/* Open file descriptors by what they point at (readlink of /proc/PID/fd/N). */
typedef enum FdKind {
        FD_KIND_FILE,       /* a path: regular files, devices, memfd */
        FD_KIND_SOCKET,     /* "socket:[inode]" */
        FD_KIND_PIPE,       /* "pipe:[inode]" */
        FD_KIND_ANON_INODE, /* "anon_inode:[eventfd]", epoll, timerfd, ... */
        FD_KIND_OTHER,      /* namespaces ("net:[...]") and anything else */
        _FD_KIND_MAX,
} FdKind;

static inline const char *fd_kind_to_string(FdKind k)
{
        static const char *const names[_FD_KIND_MAX] = {
                [FD_KIND_FILE] = "file",
                [FD_KIND_SOCKET] = "socket",
                [FD_KIND_PIPE] = "pipe",
                [FD_KIND_ANON_INODE] = "anon_inode",
                [FD_KIND_OTHER] = "other",
        };
        return k < _FD_KIND_MAX ? names[k] : "other";
}

/* A TCP/UDP socket of the process, from /proc/PID/net/{tcp,tcp6,udp,udp6}. */
typedef struct PidSocket {
        char proto[8];    /* "tcp", "tcp6", "udp", "udp6" */
        char local[56];   /* "127.0.0.1:8080", "[::1]:8080" */
        char remote[56];  /* "" when not connected (0.0.0.0:0) */
        int state;        /* TcpState for TCP; 0 for UDP (psutil's "NONE") */
        uint64_t inode;
} PidSocket;

typedef struct PidChild {
        int pid;
        char name[64]; /* "" when its stat could not be read */
} PidChild;

typedef struct ProcessDetail {
        int pid;
        char name[256];   /* comm, or argv[0]'s basename when comm was cut at 15 bytes */
        char state;       /* stat state letter */
        bool has_uid;
        uid_t uid, euid;
        char user[64];    /* from <rootfs>/etc/passwd, or the uid in decimal */

        bool has_cmdline; /* false for kernel threads and zombies (empty cmdline) */
        char cmdline[4096];
        bool has_cwd;
        char cwd[4096];

        double start_time; /* epoch seconds; NAN without /proc/stat btime */
        int ppid;
        bool has_parent;   /* the parent's stat was readable */
        char parent_name[64];

        bool has_children; /* false when neither task/x/children nor the proc scan worked */
        PidChild *children;
        size_t n_children;

        uint64_t threads;
        double cpu_percent; /* over the sampling window; NAN when not sampled */

        /* Memory: status gives rss/vms/swap, smaps_rollup the rest. */
        bool has_status;
        PidStatus status;
        bool has_smaps;
        SmapsRollup smaps;
        uint64_t uss;       /* Private_Clean + Private_Dirty */

        uint64_t minflt, majflt; /* stat fields 10, 12 */

        bool has_fds;     /* fd/ could be listed: n_fds is known */
        uint64_t n_fds;
        uint64_t fds_by_kind[_FD_KIND_MAX]; /* U64_ABSENT when the links could not be
                                             * read (listing and readlink are checked apart) */

        bool has_sockets; /* fd list and at least one net table were read */
        PidSocket *sockets;
        size_t n_sockets;

        bool has_cgroup;  /* a memory cgroup was found for it */
        CgroupMemory cgroup;

        uint64_t oom_score;
        bool has_oom_score_adj;
        int oom_score_adj;

        bool has_env;
        PidEnv env;
} ProcessDetail;

/* Frees children and sockets (implemented in collect/pidinfo.c). */
void process_detail_done(ProcessDetail *d);
