/* SPDX-License-Identifier: MIT */
/* The roots every collector reads below: --procfs (default /proc), --sysfs
 * (default /sys) and --rootfs (default /, for mounts, utmp and passwd).
 * Collectors open files relative to these directory fds, so the same code
 * reads the live kernel, a host /proc mounted into a pod, or a fixture tree.
 * No other file in the project spells "/proc/...". */
#pragma once
#include <stdbool.h>

typedef struct RootFS {
        int proc_fd;
        int sys_fd;
        int root_fd;
        char proc_path[512];
        char sys_path[512];
        char root_path[512];
        /* true when proc is the live /proc of our own network namespace, so
         * netlink and getifaddrs describe the same machine as the files. */
        bool live;
} RootFS;

/* Opens the three roots; NULL arguments mean the defaults. Returns 0 or
 * -errno with *reterr_which naming the root that failed. */
int rootfs_open(RootFS *fs, const char *proc, const char *sys, const char *root,
                const char **reterr_which);
void rootfs_close(RootFS *fs);
