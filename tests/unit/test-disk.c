/* SPDX-License-Identifier: MIT */
/* Disk collector: filesystems, mountinfo and diskstats parsers, the
 * partition heuristic, and disk_collect over the disk-* fixture trees. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/disk.h"
#include "util/fileio.h"

static char *read_fixture(const char *rel)
{
        char path[1024];
        Buf b = { 0 };
        snprintf(path, sizeof path, "%s/%s", FIXTURES_DIR, rel);
        ssize_t n = read_file_buf_at(AT_FDCWD, path, &b, 1 << 20);
        assert_true(n > 0);
        return b.data;
}

/* ---- filesystems -------------------------------------------------------- */

static void test_filesystems_sample(void **state)
{
        (void)state;
        char *buf = read_fixture("disk-live-sample/proc/filesystems");
        DiskFsTypes t = { 0 };
        assert_int_equal(disk_parse_filesystems(buf, &t), 0);
        /* ext3 ext2 ext4 squashfs fuseblk xfs erofs btrfs */
        assert_int_equal(t.n, 8);
        assert_true(disk_fstype_is_real(&t, "ext4"));
        assert_true(disk_fstype_is_real(&t, "xfs"));
        assert_true(disk_fstype_is_real(&t, "fuseblk"));
        assert_false(disk_fstype_is_real(&t, "tmpfs"));
        assert_false(disk_fstype_is_real(&t, "proc"));
        assert_false(disk_fstype_is_real(&t, "cgroup2"));
        assert_false(disk_fstype_is_real(&t, "overlay"));
        assert_false(disk_fstype_is_real(&t, "devtmpfs"));
        assert_false(disk_fstype_is_real(&t, "vfat")); /* not in this kernel */
        assert_true(disk_fstype_is_real(&t, "zfs"));
        disk_fs_types_done(&t);
        free(buf);
}

static void test_filesystems_malformed(void **state)
{
        (void)state;
        DiskFsTypes t = { 0 };

        assert_int_equal(disk_parse_filesystems("", &t), -EBADMSG);
        assert_int_equal(disk_parse_filesystems("\n\n", &t), -EBADMSG);
        assert_int_equal(disk_parse_filesystems("ext4\nnodevtmpfs\n", &t), -EBADMSG);
        /* a name too long for DiskPartition.fstype never matches anything */
        assert_int_equal(disk_parse_filesystems(
                "\taaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", &t), -EBADMSG);

        /* only nodev entries: parses, nothing real */
        assert_int_equal(disk_parse_filesystems("nodev\tproc\nnodev\ttmpfs", &t), 0);
        assert_int_equal(t.n, 0);
        assert_false(disk_fstype_is_real(&t, "ext4"));
        disk_fs_types_done(&t);

        /* junk lines are skipped, good ones kept, no trailing newline */
        assert_int_equal(disk_parse_filesystems("garbage\n\text4 trailing\n\txfs", &t), 0);
        assert_int_equal(t.n, 1);
        assert_string_equal(t.names[0], "xfs");
        disk_fs_types_done(&t);
}

static void test_fstype_deny_list(void **state)
{
        (void)state;
        const char *pseudo[] = { "proc", "sysfs", "cgroup", "cgroup2", "tmpfs", "overlay",
                                 "devtmpfs", "devpts", "fuse.sshfs", "nfs4", "autofs", "" };
        const char *real[] = { "ext4", "xfs", "btrfs", "vfat", "zfs", "fuseblk", "squashfs" };
        for (size_t i = 0; i < sizeof pseudo / sizeof pseudo[0]; i++)
                assert_false(disk_fstype_is_real(NULL, pseudo[i]));
        for (size_t i = 0; i < sizeof real / sizeof real[0]; i++)
                assert_true(disk_fstype_is_real(NULL, real[i]));
}

/* ---- mountinfo ---------------------------------------------------------- */

static void test_mountinfo_minimal(void **state)
{
        (void)state;
        DiskPartition *p = NULL;
        size_t n = 0;

        assert_int_equal(disk_parse_mountinfo(
                "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard\n", NULL, &p, &n), 0);
        assert_int_equal(n, 1);
        assert_string_equal(p[0].device, "/dev/vda");
        assert_string_equal(p[0].mountpoint, "/");
        assert_string_equal(p[0].fstype, "ext4");
        assert_string_equal(p[0].options, "rw,relatime,discard");
        assert_int_equal(p[0].major, 254);
        assert_int_equal(p[0].minor, 0);
        assert_false(p[0].has_usage);
        assert_true(p[0].total == U64_ABSENT);
        assert_true(isnan(p[0].percent));
        disk_partitions_free(p, n);
}

static void test_mountinfo_live_sample(void **state)
{
        (void)state;
        char *fsbuf = read_fixture("disk-live-sample/proc/filesystems");
        char *buf = read_fixture("disk-live-sample/proc/self/mountinfo");
        DiskFsTypes t = { 0 };
        DiskPartition *p = NULL;
        size_t n = 0;

        assert_int_equal(disk_parse_filesystems(fsbuf, &t), 0);
        assert_int_equal(disk_parse_mountinfo(buf, &t, &p, &n), 0);
        assert_int_equal(n, 1);
        assert_string_equal(p[0].mountpoint, "/");
        assert_string_equal(p[0].device, "/dev/vda");
        assert_string_equal(p[0].fstype, "ext4");
        assert_string_equal(p[0].options,
                            "rw,relatime,discard,resv_strict,resuid=65534,resgid=65534");
        disk_partitions_free(p, n);

        /* the deny list agrees with the kernel's list on this sample */
        assert_int_equal(disk_parse_mountinfo(buf, NULL, &p, &n), 0);
        assert_int_equal(n, 1);
        assert_string_equal(p[0].mountpoint, "/");
        disk_partitions_free(p, n);
        disk_fs_types_done(&t);
        free(buf);
        free(fsbuf);
}

static void test_mountinfo_escapes(void **state)
{
        (void)state;
        DiskPartition *p = NULL;
        size_t n = 0;
        const char *buf =
                "1 0 8:1 / /mnt/my\\040disk rw - ext4 /dev/disk/by-label/a\\040b rw\n"
                "2 0 8:2 / /mnt/tab\\011nl\\012bs\\134end rw - ext4 /dev/sda2 rw\n"
                /* not escapes: 8/9 digits, \000, too short at the end */
                "3 0 8:3 / /mnt/x\\089\\000y\\40\\ rw - ext4 /dev/sda3 rw\n"
                "4 0 8:4 / /mnt/\\377\\101 ro - ext4 /dev/sda4 rw\n";

        assert_int_equal(disk_parse_mountinfo(buf, NULL, &p, &n), 0);
        assert_int_equal(n, 4);
        assert_string_equal(p[0].mountpoint, "/mnt/my disk");
        assert_string_equal(p[0].device, "/dev/disk/by-label/a b");
        assert_string_equal(p[1].mountpoint, "/mnt/tab\tnl\nbs\\end");
        assert_string_equal(p[2].mountpoint, "/mnt/x\\089\\000y\\40\\");
        assert_string_equal(p[3].mountpoint, "/mnt/\377A");
        assert_string_equal(p[3].options, "ro");
        disk_partitions_free(p, n);
}

static void test_mountinfo_filter_and_dedup(void **state)
{
        (void)state;
        char *fsbuf = read_fixture("disk-basic/proc/filesystems");
        char *buf = read_fixture("disk-basic/proc/self/mountinfo");
        DiskFsTypes t = { 0 };
        DiskPartition *p = NULL;
        size_t n = 0;

        assert_int_equal(disk_parse_filesystems(fsbuf, &t), 0);
        assert_int_equal(disk_parse_mountinfo(buf, &t, &p, &n), 0);
        assert_int_equal(n, 8);
        /* /dev/root stays as the kernel wrote it: the parser does no I/O */
        assert_string_equal(p[0].device, "/dev/root");
        assert_string_equal(p[0].mountpoint, "/");
        assert_string_equal(p[0].options, "rw,relatime,errors=remount-ro");
        /* bound again at the shorter /efi later: that one wins, in place */
        assert_string_equal(p[1].device, "/dev/sda1");
        assert_string_equal(p[1].mountpoint, "/efi");
        assert_string_equal(p[1].fstype, "vfat");
        /* /srv/projects (root /projects) and "/data copy" are the same fs */
        assert_string_equal(p[2].device, "/dev/nvme0n1p1");
        assert_string_equal(p[2].mountpoint, "/data");
        assert_string_equal(p[2].fstype, "xfs");
        assert_string_equal(p[3].device, "/dev/mapper/vg-home");
        assert_string_equal(p[3].mountpoint, "/home");
        assert_int_equal(p[3].major, 253);
        assert_string_equal(p[4].fstype, "squashfs");
        assert_string_equal(p[4].mountpoint, "/snap/core/123");
        assert_string_equal(p[4].options, "ro,nodev,relatime,errors=continue");
        assert_string_equal(p[5].mountpoint, "/mnt/backup disk");
        assert_string_equal(p[5].device, "/dev/sdb1");
        assert_string_equal(p[6].fstype, "zfs");
        assert_string_equal(p[6].device, "tank");
        assert_string_equal(p[6].mountpoint, "/tank");
        /* not the kernel's doing, but kept: the parser does not judge paths */
        assert_string_equal(p[7].mountpoint, "/home/../..");
        disk_partitions_free(p, n);

        /* the deny list gives the same answer */
        assert_int_equal(disk_parse_mountinfo(buf, NULL, &p, &n), 0);
        assert_int_equal(n, 8);
        assert_string_equal(p[6].mountpoint, "/tank");
        disk_partitions_free(p, n);

        disk_fs_types_done(&t);
        free(buf);
        free(fsbuf);
}

static void test_mountinfo_dedup_rules(void **state)
{
        (void)state;
        DiskPartition *p = NULL;
        size_t n = 0;

        /* Only subdirectory binds of a device: the shortest one is kept
         * (a container's /etc/hosts and friends); a later root "/" line of
         * the same device beats them even if longer. */
        assert_int_equal(disk_parse_mountinfo(
                "1 0 254:0 /var/lib/c/hostname /etc/hostname rw - ext4 /dev/vda rw\n"
                "2 0 254:0 /var/lib/c/hosts /etc/hosts rw - ext4 /dev/vda rw\n"
                "3 0 8:1 /sub /a rw - xfs /dev/sda1 rw\n"
                "4 0 8:1 / /much/longer rw - xfs /dev/sda1 rw\n"
                "5 0 8:1 / /much/longest rw - xfs /dev/sda1 rw\n"
                "6 0 8:1 /x /b rw - xfs /dev/sda1 rw\n",
                NULL, &p, &n), 0);
        assert_int_equal(n, 2);
        assert_string_equal(p[0].mountpoint, "/etc/hosts");
        assert_string_equal(p[1].mountpoint, "/much/longer");
        disk_partitions_free(p, n);

        /* different devices at the same place are both listed */
        assert_int_equal(disk_parse_mountinfo(
                "1 0 8:1 / /mnt rw - ext4 /dev/sda1 rw\n"
                "2 1 8:2 / /mnt rw - ext4 /dev/sda2 rw\n", NULL, &p, &n), 0);
        assert_int_equal(n, 2);
        disk_partitions_free(p, n);
}

static void test_mountinfo_options(void **state)
{
        (void)state;
        DiskPartition *p = NULL;
        size_t n = 0;

        assert_int_equal(disk_parse_mountinfo(
                "1 0 8:1 / /a rw,noatime shared:1 master:2 - ext4 /dev/sda1 ro,errors=remount-ro\n"
                "2 0 8:2 / /b rw - ext4 /dev/sda2\n"     /* no superoptions */
                "3 0 8:3 / /c ro,nosuid - ext4 /dev/sda3 rw\n"
                "4 0 8:4 / /d noatime - ext4 /dev/sda4 user_xattr\n",
                NULL, &p, &n), 0);
        assert_int_equal(n, 4);
        assert_string_equal(p[0].options, "ro,noatime,errors=remount-ro");
        assert_string_equal(p[1].options, "rw");
        assert_string_equal(p[2].options, "ro,nosuid");
        assert_string_equal(p[3].options, "rw,noatime,user_xattr");
        disk_partitions_free(p, n);
}

static void test_mountinfo_malformed(void **state)
{
        (void)state;
        DiskPartition *p = NULL;
        size_t n = 99;

        assert_int_equal(disk_parse_mountinfo("", NULL, &p, &n), -EBADMSG);
        assert_int_equal(disk_parse_mountinfo("\n\n\n", NULL, &p, &n), -EBADMSG);
        /* missing " - " separator */
        assert_int_equal(disk_parse_mountinfo(
                "27 1 254:0 / / rw,relatime ext4 /dev/vda rw\n", NULL, &p, &n), -EBADMSG);
        /* "-" too early (in the options position) does not count */
        assert_int_equal(disk_parse_mountinfo(
                "27 1 254:0 / / - ext4 /dev/vda rw\n", NULL, &p, &n), -EBADMSG);
        /* truncated after the separator / after the fstype */
        assert_int_equal(disk_parse_mountinfo("27 1 254:0 / / rw -", NULL, &p, &n), -EBADMSG);
        assert_int_equal(disk_parse_mountinfo("27 1 254:0 / / rw - ext4", NULL, &p, &n), -EBADMSG);
        /* truncated mid-line */
        assert_int_equal(disk_parse_mountinfo("27 1 254:0 / /", NULL, &p, &n), -EBADMSG);
        assert_int_equal(disk_parse_mountinfo("27", NULL, &p, &n), -EBADMSG);
        /* non-numeric ids and device numbers */
        assert_int_equal(disk_parse_mountinfo(
                "x 1 254:0 / / rw - ext4 /dev/vda rw\n", NULL, &p, &n), -EBADMSG);
        assert_int_equal(disk_parse_mountinfo(
                "27 1 254 / / rw - ext4 /dev/vda rw\n", NULL, &p, &n), -EBADMSG);
        assert_int_equal(disk_parse_mountinfo(
                "27 1 254:x / / rw - ext4 /dev/vda rw\n", NULL, &p, &n), -EBADMSG);
        assert_int_equal(disk_parse_mountinfo(
                "27 1 :0 / / rw - ext4 /dev/vda rw\n", NULL, &p, &n), -EBADMSG);
        assert_int_equal(disk_parse_mountinfo(
                "-1 1 254:0 / / rw - ext4 /dev/vda rw\n", NULL, &p, &n), -EBADMSG);
        /* overflow */
        assert_int_equal(disk_parse_mountinfo(
                "18446744073709551616 1 254:0 / / rw - ext4 /dev/vda rw\n", NULL, &p, &n),
                -EBADMSG);
        assert_int_equal(disk_parse_mountinfo(
                "27 1 4294967296:0 / / rw - ext4 /dev/vda rw\n", NULL, &p, &n), -EBADMSG);
        /* relative root / mount point */
        assert_int_equal(disk_parse_mountinfo(
                "27 1 254:0 / mnt rw - ext4 /dev/vda rw\n", NULL, &p, &n), -EBADMSG);
        assert_int_equal(disk_parse_mountinfo(
                "27 1 254:0 x / rw - ext4 /dev/vda rw\n", NULL, &p, &n), -EBADMSG);
        /* fstype too long for the model */
        assert_int_equal(disk_parse_mountinfo(
                "27 1 254:0 / / rw - ext4ext4ext4ext4ext4ext4ext4ext4x /dev/vda rw\n",
                NULL, &p, &n), -EBADMSG);
        assert_int_equal(n, 99); /* untouched on failure */

        /* bad lines around a good one are skipped */
        assert_int_equal(disk_parse_mountinfo(
                "garbage\n"
                "27 1 254:0 / / rw - ext4 /dev/vda rw\n"
                "28 27 8:1 / /boot rw - ext4\n"
                "29 27 8:2 / /data rw - xfs /dev/sda2 rw", /* no final newline */
                NULL, &p, &n), 0);
        assert_int_equal(n, 2);
        assert_string_equal(p[1].mountpoint, "/data");
        disk_partitions_free(p, n);

        /* parses, but nothing real is mounted */
        assert_int_equal(disk_parse_mountinfo(
                "22 27 0:21 / /proc rw - proc proc rw\n", NULL, &p, &n), 0);
        assert_int_equal(n, 0);
        disk_partitions_free(p, n);

        /* many optional fields */
        char big[4096] = "27 1 254:0 / / rw";
        for (int i = 0; i < 100; i++)
                strcat(big, " shared:1");
        strcat(big, " - ext4 /dev/vda rw\n");
        assert_int_equal(disk_parse_mountinfo(big, NULL, &p, &n), -EBADMSG);
}

/* ---- diskstats ---------------------------------------------------------- */

static const DiskDevice *find_dev(const DiskDevice *d, size_t n, const char *name)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(d[i].name, name) == 0)
                        return &d[i];
        return NULL;
}

static void test_diskstats_live_sample(void **state)
{
        (void)state;
        char *buf = read_fixture("disk-live-sample/proc/diskstats");
        DiskDevice *d = NULL;
        size_t n = 0;

        assert_int_equal(disk_parse_diskstats(buf, &d, &n), 0);
        assert_int_equal(n, 10);
        const DiskDevice *vda = find_dev(d, n, "vda");
        assert_non_null(vda);
        assert_int_equal(vda->io.read_count, 28632);
        assert_int_equal(vda->io.read_bytes, 2064562ull * 512);
        assert_int_equal(vda->io.read_time_ms, 9595);
        assert_int_equal(vda->io.write_count, 2996);
        assert_int_equal(vda->io.write_bytes, 389872ull * 512);
        assert_int_equal(vda->io.write_time_ms, 2450);
        assert_int_equal(vda->io.busy_time_ms, 4468);
        free(d);
        free(buf);
}

static void test_diskstats_formats(void **state)
{
        (void)state;
        DiskDevice *d = NULL;
        size_t n = 0;

        /* 11 counters (< 4.18), 15 (4.18+), 17 (5.5+), 20 (future) */
        assert_int_equal(disk_parse_diskstats(
                "8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n"
                "8 16 sdb 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n"
                "\t259\t0\tnvme0n1  1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n"
                "8 32 sdc 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 x y z",
                &d, &n), 0);
        assert_int_equal(n, 4);
        for (size_t i = 0; i < n; i++) {
                assert_int_equal(d[i].io.read_count, 1);
                assert_int_equal(d[i].io.read_bytes, 3 * 512);
                assert_int_equal(d[i].io.read_time_ms, 4);
                assert_int_equal(d[i].io.write_count, 5);
                assert_int_equal(d[i].io.write_bytes, 7 * 512);
                assert_int_equal(d[i].io.write_time_ms, 8);
                assert_int_equal(d[i].io.busy_time_ms, 10);
        }
        assert_string_equal(d[2].name, "nvme0n1");
        free(d);

        /* biggest values that still fit */
        assert_int_equal(disk_parse_diskstats(
                "8 0 sda 18446744073709551615 0 36028797018963967 0 0 0 0 0 0 0 0\n",
                &d, &n), 0);
        assert_int_equal(n, 1);
        assert_true(d[0].io.read_count == UINT64_MAX);
        assert_true(d[0].io.read_bytes == 36028797018963967ull * 512);
        free(d);

        /* empty file: no devices, not an error */
        d = NULL;
        assert_int_equal(disk_parse_diskstats("", &d, &n), 0);
        assert_int_equal(n, 0);
        assert_null(d);
        assert_int_equal(disk_parse_diskstats("\n  \n", &d, &n), 0);
        assert_int_equal(n, 0);
}

static void test_diskstats_malformed(void **state)
{
        (void)state;
        DiskDevice *d = NULL;
        size_t n = 99;

        /* too few counters (the 2.6 four-field partition format, truncation) */
        assert_int_equal(disk_parse_diskstats("8 1 sda1 1 2 3 4\n", &d, &n), -EBADMSG);
        assert_int_equal(disk_parse_diskstats("8 0 sda 1 2 3 4 5 6 7 8 9 10\n", &d, &n), -EBADMSG);
        assert_int_equal(disk_parse_diskstats("8 0 sda", &d, &n), -EBADMSG);
        assert_int_equal(disk_parse_diskstats("8 0", &d, &n), -EBADMSG);
        assert_int_equal(disk_parse_diskstats("8", &d, &n), -EBADMSG);
        /* non-numeric */
        assert_int_equal(disk_parse_diskstats("x 0 sda 1 2 3 4 5 6 7 8 9 10 11\n", &d, &n), -EBADMSG);
        assert_int_equal(disk_parse_diskstats("8 0 sda 1 2 3a 4 5 6 7 8 9 10 11\n", &d, &n), -EBADMSG);
        assert_int_equal(disk_parse_diskstats("8 0 sda 1 2 -3 4 5 6 7 8 9 10 11\n", &d, &n), -EBADMSG);
        /* overflow, of a counter or of sectors * 512 */
        assert_int_equal(disk_parse_diskstats(
                "8 0 sda 18446744073709551616 2 3 4 5 6 7 8 9 10 11\n", &d, &n), -ERANGE);
        assert_int_equal(disk_parse_diskstats(
                "18446744073709551616 0 sda 1 2 3 4 5 6 7 8 9 10 11\n", &d, &n), -ERANGE);
        assert_int_equal(disk_parse_diskstats(
                "8 0 sda 1 2 36028797018963968 4 5 6 7 8 9 10 11\n", &d, &n), -ERANGE);
        /* name too long for DiskDevice.name */
        assert_int_equal(disk_parse_diskstats(
                "8 0 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                " 1 2 3 4 5 6 7 8 9 10 11\n", &d, &n), -EBADMSG);
        assert_int_equal(n, 99);

        /* a bad line does not hide the good ones */
        assert_int_equal(disk_parse_diskstats(
                "8 0 sda 18446744073709551616 2 3 4 5 6 7 8 9 10 11\n"
                "junk\n"
                "8 16 sdb 1 2 3 4 5 6 7 8 9 10 11\n", &d, &n), 0);
        assert_int_equal(n, 1);
        assert_string_equal(d[0].name, "sdb");
        free(d);
}

static void test_partition_heuristic(void **state)
{
        (void)state;
        const char *names[] = { "sda", "sda1", "sda12", "sdaa", "sdaa2", "nvme0n1", "nvme0n1p1",
                                "nvme0n10", "nvme0n10p3", "mmcblk0", "mmcblk0p1",
                                "mmcblk0boot0", "sdb1", "md127", "md127p1", "xvda", "xvdap1" };
        DiskDevice d[sizeof names / sizeof names[0]];
        size_t n = sizeof names / sizeof names[0];
        memset(d, 0, sizeof d);
        for (size_t i = 0; i < n; i++)
                strcpy(d[i].name, names[i]);

        assert_false(disk_name_is_partition_heuristic(d, n, "sda"));
        assert_true(disk_name_is_partition_heuristic(d, n, "sda1"));
        assert_true(disk_name_is_partition_heuristic(d, n, "sda12"));
        assert_false(disk_name_is_partition_heuristic(d, n, "sdaa"));
        assert_true(disk_name_is_partition_heuristic(d, n, "sdaa2"));
        assert_false(disk_name_is_partition_heuristic(d, n, "nvme0n1"));
        assert_true(disk_name_is_partition_heuristic(d, n, "nvme0n1p1"));
        assert_false(disk_name_is_partition_heuristic(d, n, "nvme0n10"));
        assert_true(disk_name_is_partition_heuristic(d, n, "nvme0n10p3"));
        assert_false(disk_name_is_partition_heuristic(d, n, "mmcblk0"));
        assert_true(disk_name_is_partition_heuristic(d, n, "mmcblk0p1"));
        assert_false(disk_name_is_partition_heuristic(d, n, "mmcblk0boot0"));
        /* its disk is not listed: cannot tell */
        assert_false(disk_name_is_partition_heuristic(d, n, "sdb1"));
        assert_true(disk_name_is_partition_heuristic(d, n, "md127p1"));
        /* "xvda" + "p1" is not how the kernel names partitions of xvda */
        assert_false(disk_name_is_partition_heuristic(d, n, "xvdap1"));
        assert_false(disk_name_is_partition_heuristic(d, 0, "sda1"));

        assert_true(disk_name_is_virtual("loop0"));
        assert_true(disk_name_is_virtual("ram15"));
        assert_true(disk_name_is_virtual("zram0"));
        assert_false(disk_name_is_virtual("sda"));
        assert_false(disk_name_is_virtual("vda"));
}

static void test_io_sum(void **state)
{
        (void)state;
        DiskDevice d[3];
        DiskIoCounters s;
        memset(d, 0, sizeof d);
        d[0].io = (DiskIoCounters){ 1, 2, 512, 1024, 3, 4, 5 };
        d[1].io = (DiskIoCounters){ 10, 20, 5120, 10240, 30, 40, 50 };
        disk_io_sum(d, 2, &s);
        assert_int_equal(s.read_count, 11);
        assert_int_equal(s.write_count, 22);
        assert_int_equal(s.read_bytes, 5632);
        assert_int_equal(s.write_bytes, 11264);
        assert_int_equal(s.read_time_ms, 33);
        assert_int_equal(s.write_time_ms, 44);
        assert_int_equal(s.busy_time_ms, 55);

        /* saturates below U64_ABSENT instead of wrapping */
        d[2].io = (DiskIoCounters){ UINT64_MAX, UINT64_MAX - 22, 0, 0, 0, 0, 0 };
        disk_io_sum(d, 3, &s);
        assert_true(s.read_count == UINT64_MAX - 1);
        assert_true(s.write_count == UINT64_MAX - 1);
        assert_int_equal(s.read_bytes, 5632);

        disk_io_sum(d, 0, &s);
        assert_int_equal(s.read_count, 0);
}

/* ---- disk_collect over fixture trees -------------------------------------- */

static void open_roots(RootFS *fs, const char *proc, const char *sys, const char *root)
{
        char p[1024], s[1024], r[1024];
        const char *which = NULL;
        snprintf(p, sizeof p, "%s/%s", FIXTURES_DIR, proc);
        snprintf(s, sizeof s, "%s/%s", FIXTURES_DIR, sys);
        if (root)
                snprintf(r, sizeof r, "%s/%s", FIXTURES_DIR, root);
        assert_int_equal(rootfs_open(fs, p, s, root ? r : NULL, &which), 0);
        assert_false(fs->live);
}

static void test_collect_basic(void **state)
{
        (void)state;
        RootFS fs;
        DiskInfo d = { 0 };

        open_roots(&fs, "disk-basic/proc", "disk-basic/sys", "disk-basic/root");
        assert_int_equal(disk_collect(&fs, &d), 0);

        assert_int_equal(d.n_partitions, 8);
        /* /dev/root resolved through sys/dev/block/8:2/uevent */
        assert_string_equal(d.partitions[0].device, "/dev/sda2");
        assert_string_equal(d.partitions[0].mountpoint, "/");
        assert_string_equal(d.partitions[1].mountpoint, "/efi");
        assert_string_equal(d.partitions[5].mountpoint, "/mnt/backup disk");
        /* exists below --rootfs, but only by climbing out of it */
        assert_string_equal(d.partitions[7].mountpoint, "/home/../..");
        for (size_t i = 0; i < d.n_partitions; i++) {
                const DiskPartition *p = &d.partitions[i];
                bool reachable = strcmp(p->mountpoint, "/") == 0 ||
                                 strcmp(p->mountpoint, "/home") == 0;
                assert_int_equal(p->has_usage, reachable);
                if (!reachable) {
                        assert_true(p->total == U64_ABSENT);
                        assert_true(isnan(p->percent));
                        continue;
                }
                assert_true(p->total > 0 && p->total != U64_ABSENT);
                assert_true(p->used <= p->total);
                assert_true(p->free <= p->total);
                assert_true(p->percent >= 0.0 && p->percent <= 100.0);
                /* rounded to one decimal */
                assert_true(fabs(p->percent * 10 - nearbyint(p->percent * 10)) < 1e-6);
        }

        assert_true(d.has_io);
        assert_int_equal(d.io.read_count, 6310);
        assert_int_equal(d.io.write_count, 5410);
        assert_int_equal(d.io.read_bytes, 258088960);
        assert_int_equal(d.io.write_bytes, 221224960);
        assert_int_equal(d.io.read_time_ms, 3105);
        assert_int_equal(d.io.write_time_ms, 4705);
        assert_int_equal(d.io.busy_time_ms, 6060);
        assert_int_equal(d.n_devices, 4);
        assert_string_equal(d.devices[0].name, "sda");
        assert_string_equal(d.devices[1].name, "sdb");
        assert_string_equal(d.devices[2].name, "nvme0n1");
        assert_string_equal(d.devices[3].name, "cciss/c0d0");
        assert_int_equal(d.devices[2].io.read_bytes, 400000ull * 512);

        assert_true(d.pressure.has_some);
        assert_true(d.pressure.has_full);
        assert_true(d.pressure.some.avg10 == 1.5);
        assert_int_equal(d.pressure.full.total_usec, 65432);

        disk_info_done(&d);
        rootfs_close(&fs);
}

static void test_collect_nosysfs(void **state)
{
        (void)state;
        RootFS fs;
        DiskInfo d = { 0 };

        /* default rootfs "/" with a foreign /proc: mounts are not ours */
        open_roots(&fs, "disk-nosysfs/proc", "disk-nosysfs/sys", NULL);
        assert_int_equal(disk_collect(&fs, &d), 0);

        assert_int_equal(d.n_partitions, 3);
        assert_string_equal(d.partitions[0].mountpoint, "/");
        assert_string_equal(d.partitions[0].device, "/dev/sda1");
        assert_string_equal(d.partitions[1].mountpoint, "/srv");
        assert_string_equal(d.partitions[2].mountpoint, "/media/usb");
        assert_string_equal(d.partitions[2].fstype, "fuseblk");
        for (size_t i = 0; i < d.n_partitions; i++)
                assert_false(d.partitions[i].has_usage);

        assert_true(d.has_io);
        const char *want[] = { "sda", "sdaa", "nvme0n1", "nvme0n10", "mmcblk0", "mmcblk0boot0" };
        assert_int_equal(d.n_devices, 6);
        for (size_t i = 0; i < 6; i++)
                assert_string_equal(d.devices[i].name, want[i]);
        assert_int_equal(d.io.read_count, 6);
        assert_int_equal(d.io.write_count, 12);
        assert_int_equal(d.io.read_bytes, 6 * 8 * 512);
        assert_int_equal(d.io.write_bytes, 6 * 16 * 512);
        assert_int_equal(d.io.read_time_ms, 18);
        assert_int_equal(d.io.write_time_ms, 24);
        assert_int_equal(d.io.busy_time_ms, 30);

        assert_false(d.pressure.has_some);
        assert_false(d.pressure.has_full);
        disk_info_done(&d);
        rootfs_close(&fs);
}

static void test_collect_live_sample(void **state)
{
        (void)state;
        RootFS fs;
        DiskInfo d = { 0 };

        open_roots(&fs, "disk-live-sample/proc", "disk-live-sample/sys", NULL);
        assert_int_equal(disk_collect(&fs, &d), 0);
        assert_int_equal(d.n_partitions, 1);
        assert_string_equal(d.partitions[0].device, "/dev/vda");
        assert_string_equal(d.partitions[0].mountpoint, "/");
        assert_false(d.partitions[0].has_usage);
        assert_true(d.has_io);
        assert_int_equal(d.n_devices, 1);
        assert_string_equal(d.devices[0].name, "vda");
        assert_int_equal(d.io.read_count, 28632);
        assert_int_equal(d.io.read_bytes, 2064562ull * 512);
        assert_int_equal(d.io.write_bytes, 389872ull * 512);
        assert_int_equal(d.io.busy_time_ms, 4468);
        assert_true(d.pressure.has_some);
        disk_info_done(&d);
        rootfs_close(&fs);
}

static void test_collect_missing_files(void **state)
{
        (void)state;
        RootFS fs;
        DiskInfo d = { 0 };

        /* a /proc with none of the files: both halves fail, one error */
        open_roots(&fs, "disk-basic/sys", "disk-basic/sys", NULL);
        assert_int_equal(disk_collect(&fs, &d), -ENOENT);
        assert_int_equal(d.n_partitions, 0);
        assert_false(d.has_io);
        assert_false(d.pressure.has_some);
        disk_info_done(&d);
        rootfs_close(&fs);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_filesystems_sample),
                cmocka_unit_test(test_filesystems_malformed),
                cmocka_unit_test(test_fstype_deny_list),
                cmocka_unit_test(test_mountinfo_minimal),
                cmocka_unit_test(test_mountinfo_live_sample),
                cmocka_unit_test(test_mountinfo_escapes),
                cmocka_unit_test(test_mountinfo_filter_and_dedup),
                cmocka_unit_test(test_mountinfo_dedup_rules),
                cmocka_unit_test(test_mountinfo_options),
                cmocka_unit_test(test_mountinfo_malformed),
                cmocka_unit_test(test_diskstats_live_sample),
                cmocka_unit_test(test_diskstats_formats),
                cmocka_unit_test(test_diskstats_malformed),
                cmocka_unit_test(test_partition_heuristic),
                cmocka_unit_test(test_io_sum),
                cmocka_unit_test(test_collect_basic),
                cmocka_unit_test(test_collect_nosysfs),
                cmocka_unit_test(test_collect_live_sample),
                cmocka_unit_test(test_collect_missing_files),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
