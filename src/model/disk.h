/* SPDX-License-Identifier: MIT */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "model/common.h"

typedef struct DiskPartition {
        char *device;     /* mount source, e.g. "/dev/vda1" (owned) */
        char *mountpoint; /* owned, octal escapes of mountinfo decoded */
        char fstype[32];
        char *options;    /* owned, mount options */
        uint32_t major, minor; /* st_dev of the filesystem, from mountinfo */
        bool has_usage;   /* false when statvfs failed (permission, stale NFS)
                           * or the mount is not reachable through --rootfs;
                           * the numbers below are then U64_ABSENT / NAN */
        uint64_t total, used, free; /* bytes; used/free as df shows them */
        double percent;             /* used / (used + free) * 100, as psutil,
                                     * rounded to one decimal */
        uint64_t inodes_total, inodes_free; /* U64_ABSENT when the filesystem
                                             * has no inode count (vfat, btrfs) */
} DiskPartition;

typedef struct DiskIoCounters {
        uint64_t read_count, write_count;
        uint64_t read_bytes, write_bytes;
        uint64_t read_time_ms, write_time_ms, busy_time_ms;
} DiskIoCounters;

typedef struct DiskDevice {
        char name[64];
        DiskIoCounters io;
} DiskDevice;

typedef struct DiskInfo {
        DiskPartition *partitions;
        size_t n_partitions;
        bool has_io;
        DiskIoCounters io; /* sum over whole disks only, no partitions */
        DiskDevice *devices;
        size_t n_devices;
        Psi pressure; /* /proc/pressure/io */
} DiskInfo;

void disk_info_done(DiskInfo *d);
