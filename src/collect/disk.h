/* SPDX-License-Identifier: MIT */
/* Mounted real filesystems (mountinfo + statvfs) and block-device I/O
 * counters (diskstats, whole disks only). */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "collect/rootfs.h"
#include "model/disk.h"

/* Fills *ret (zeroed by the caller). Partitions and I/O degrade separately.
 * Returns 0, or -errno when neither could be read. */
int disk_collect(const RootFS *fs, DiskInfo *ret);

/* The filesystem types /proc/filesystems lists without "nodev", i.e. the
 * ones that need a block device. */
typedef struct DiskFsTypes {
        char **names; /* owned */
        size_t n;
} DiskFsTypes;

/* Parses /proc/filesystems. 0, or -EBADMSG when no line parsed. */
int disk_parse_filesystems(const char *buf, DiskFsTypes *ret);
void disk_fs_types_done(DiskFsTypes *t);
/* Is fstype a real (block-device backed) filesystem? With real == NULL
 * (filesystems unreadable) a built-in deny list of pseudo filesystems
 * decides. zfs is nodev in /proc/filesystems but counts as real. */
bool disk_fstype_is_real(const DiskFsTypes *real, const char *fstype);

/* Parses a mountinfo buffer into the partitions worth reporting: real
 * filesystems only, one entry per device (major:minor), octal escapes
 * decoded. has_usage is false on every entry. Malformed lines are skipped.
 * 0, or -EBADMSG when not a single line parsed. */
int disk_parse_mountinfo(const char *buf, const DiskFsTypes *real,
                         DiskPartition **ret, size_t *ret_n);
void disk_partitions_free(DiskPartition *p, size_t n);

/* Parses /proc/diskstats into one DiskDevice per line (every device,
 * partitions included). Malformed lines are skipped. 0 (also for an empty
 * buffer), or the error of the first bad line when none parsed. */
int disk_parse_diskstats(const char *buf, DiskDevice **ret, size_t *ret_n);
/* Without /sys/block: is name a partition of another listed device? Uses the
 * kernel's naming rule: a disk name ending in a digit gets "p<N>"
 * partitions (nvme0n1p1, mmcblk0p2), others plain "<N>" (sda1). */
bool disk_name_is_partition_heuristic(const DiskDevice *devs, size_t n, const char *name);
/* Is name a memory- or file-backed device (loop*, ram*, zram*)? */
bool disk_name_is_virtual(const char *name);
/* Sums devs into *ret, saturating instead of wrapping. */
void disk_io_sum(const DiskDevice *devs, size_t n, DiskIoCounters *ret);
