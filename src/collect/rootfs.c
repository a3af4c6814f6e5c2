/* SPDX-License-Identifier: MIT */
#include "collect/rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int open_dir(const char *path, int *ret_fd)
{
        int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        *ret_fd = fd;
        return 0;
}

int rootfs_open(RootFS *fs, const char *proc, const char *sys, const char *root,
                const char **reterr_which)
{
        int r;

        memset(fs, 0, sizeof *fs);
        fs->proc_fd = fs->sys_fd = fs->root_fd = -1;
        snprintf(fs->proc_path, sizeof fs->proc_path, "%s", proc ? proc : "/proc");
        snprintf(fs->sys_path, sizeof fs->sys_path, "%s", sys ? sys : "/sys");
        snprintf(fs->root_path, sizeof fs->root_path, "%s", root ? root : "/");
        fs->live = !proc || strcmp(proc, "/proc") == 0 || strcmp(proc, "/proc/") == 0;

        r = open_dir(fs->proc_path, &fs->proc_fd);
        if (r < 0) {
                *reterr_which = "--procfs";
                return r;
        }
        r = open_dir(fs->sys_path, &fs->sys_fd);
        if (r < 0) {
                *reterr_which = "--sysfs";
                rootfs_close(fs);
                return r;
        }
        r = open_dir(fs->root_path, &fs->root_fd);
        if (r < 0) {
                *reterr_which = "--rootfs";
                rootfs_close(fs);
                return r;
        }
        return 0;
}

void rootfs_close(RootFS *fs)
{
        if (fs->proc_fd >= 0)
                close(fs->proc_fd);
        if (fs->sys_fd >= 0)
                close(fs->sys_fd);
        if (fs->root_fd >= 0)
                close(fs->root_fd);
        fs->proc_fd = fs->sys_fd = fs->root_fd = -1;
}
