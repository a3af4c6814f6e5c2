/* SPDX-License-Identifier: MIT */
/* Disk collector. Reads:
 *   <procfs>/self/mountinfo   (or 1/mountinfo when --procfs is not ours)
 *   <procfs>/filesystems      which fstypes need a block device
 *   <procfs>/diskstats        I/O counters per block device
 *   <procfs>/pressure/io      PSI
 *   <sysfs>/block/<name>[/slaves]  whole disk or partition, stacked or not
 *   <sysfs>/dev/block/M:m/uevent   only to resolve a "/dev/root" source
 * and calls fstatvfs() on every reported mount point below --rootfs.
 *
 * Which I/O is counted: psutil sums the devices that have a /sys/block
 * entry, i.e. whole disks, because a partition's I/O is already part of its
 * disk. We go one step further and also leave out devices stacked on other
 * block devices (dm-*, md*: they have entries in /sys/block/<name>/slaves),
 * whose I/O reaches the disks below them and would otherwise be counted
 * twice, and memory- or file-backed devices (loop*, ram*, zram*), whose
 * I/O is not disk I/O (a loop device's reads also show up on the disk that
 * holds its backing file). */
#include "collect/disk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "collect/psi.h"
#include "util/fileio.h"
#include "util/log.h"
#include "util/parse.h"
#include "util/xalloc.h"

#define DISK_FILE_MAX (16u * 1024 * 1024)
#define SECTOR_SIZE 512u /* diskstats counts 512-byte sectors, whatever the device */

/* ---- /proc/filesystems ------------------------------------------------ */

/* Used when /proc/filesystems is unreadable. Network and FUSE filesystems
 * are here too: /proc/filesystems marks them nodev, so both paths agree. */
static const char *const pseudo_fstypes[] = {
        "autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs",
        "debugfs", "devpts", "devtmpfs", "efivarfs", "fuse", "fusectl",
        "hugetlbfs", "mqueue", "nsfs", "overlay", "aufs", "pipefs", "proc",
        "pstore", "ramfs", "rpc_pipefs", "securityfs", "selinuxfs", "sockfs",
        "sysfs", "tmpfs", "tracefs", "nfs", "nfs4", "nfsd", "cifs", "smb3",
        "9p", "ceph", "virtiofs", "squashfuse", "shm", "none",
};

static bool is_blank(char c)
{
        return c == ' ' || c == '\t';
}

static bool is_eol(char c)
{
        return c == '\0' || c == '\n';
}

void disk_fs_types_done(DiskFsTypes *t)
{
        for (size_t i = 0; i < t->n; i++)
                free(t->names[i]);
        free(t->names);
        t->names = NULL;
        t->n = 0;
}

int disk_parse_filesystems(const char *buf, DiskFsTypes *ret)
{
        DiskFsTypes t = { 0 };
        size_t parsed = 0;

        /* Each line is "[nodev]\t<name>": the first column is empty for
         * filesystems that need a block device. */
        for (const char *line = buf; line && *line; line = next_line(line)) {
                const char *p = line;
                bool nodev = false;

                if (startswith(p, "nodev")) {
                        nodev = true;
                        p += 5;
                }
                if (!is_blank(*p))
                        continue;
                while (is_blank(*p))
                        p++;
                const char *name = p;
                while (!is_eol(*p) && !is_blank(*p))
                        p++;
                size_t len = (size_t)(p - name);
                if (len == 0 || len >= sizeof ((DiskPartition *)0)->fstype)
                        continue;
                while (is_blank(*p))
                        p++;
                if (!is_eol(*p))
                        continue;
                parsed++;
                if (nodev)
                        continue;
                t.names = xreallocarray(t.names, t.n + 1, sizeof *t.names);
                t.names[t.n] = xmalloc(len + 1);
                memcpy(t.names[t.n], name, len);
                t.names[t.n][len] = '\0';
                t.n++;
        }
        if (parsed == 0) {
                disk_fs_types_done(&t);
                return -EBADMSG;
        }
        *ret = t;
        return 0;
}

bool disk_fstype_is_real(const DiskFsTypes *real, const char *fstype)
{
        if (!fstype[0])
                return false;
        /* ZFS needs no block device of its own (the pool has several), so it
         * is nodev, but it is the disk space people ask about. psutil makes
         * the same exception. */
        if (strcmp(fstype, "zfs") == 0)
                return true;
        if (real) {
                for (size_t i = 0; i < real->n; i++)
                        if (strcmp(real->names[i], fstype) == 0)
                                return true;
                return false;
        }
        /* "fuse.sshfs", "fuse.gvfsd-fuse", ...; fuseblk stays real. */
        if (startswith(fstype, "fuse."))
                return false;
        for (size_t i = 0; i < sizeof pseudo_fstypes / sizeof pseudo_fstypes[0]; i++)
                if (strcmp(pseudo_fstypes[i], fstype) == 0)
                        return false;
        return true;
}

/* ---- /proc/self/mountinfo --------------------------------------------- */

/* The kernel writes mount points, roots and sources with ' ', '\t', '\n'
 * and '\\' as 3-digit octal escapes (\040 \011 \012 \134). Anything that is
 * not such an escape is copied literally; "\000" is never decoded so the
 * result stays a C string. */
static char *unescape_dup(const char *s, size_t len)
{
        char *out = xmalloc(len + 1);
        size_t o = 0;

        for (size_t i = 0; i < len; i++) {
                if (s[i] == '\\' && len - i > 3 &&
                    s[i + 1] >= '0' && s[i + 1] <= '3' &&
                    s[i + 2] >= '0' && s[i + 2] <= '7' &&
                    s[i + 3] >= '0' && s[i + 3] <= '7') {
                        unsigned v = (unsigned)(s[i + 1] - '0') * 64 +
                                     (unsigned)(s[i + 2] - '0') * 8 +
                                     (unsigned)(s[i + 3] - '0');
                        if (v != 0) {
                                out[o++] = (char)v;
                                i += 3;
                                continue;
                        }
                }
                out[o++] = s[i];
        }
        out[o] = '\0';
        return out;
}

typedef struct Token {
        const char *s;
        size_t len;
} Token;

static bool token_is(const Token *t, const char *s)
{
        return t->len == strlen(s) && memcmp(t->s, s, t->len) == 0;
}

/* Splits one line (up to '\n' or NUL) on blanks. Returns the token count,
 * or -E2BIG when there are more than max. */
static int tokenize_line(const char *line, Token *tok, size_t max)
{
        const char *p = line;
        size_t n = 0;

        for (;;) {
                while (is_blank(*p))
                        p++;
                if (is_eol(*p))
                        return (int)n;
                if (n == max)
                        return -E2BIG;
                tok[n].s = p;
                while (!is_eol(*p) && !is_blank(*p))
                        p++;
                tok[n].len = (size_t)(p - tok[n].s);
                n++;
        }
}

static int token_u64(const Token *t, uint64_t *ret)
{
        char tmp[24];
        if (t->len == 0 || t->len >= sizeof tmp)
                return t->len == 0 ? -EINVAL : -ERANGE;
        memcpy(tmp, t->s, t->len);
        tmp[t->len] = '\0';
        return safe_atou64(tmp, ret);
}

/* "major:minor", both decimal. */
static int parse_devno(const Token *t, uint32_t *ret_major, uint32_t *ret_minor)
{
        const char *colon = memchr(t->s, ':', t->len);
        if (!colon)
                return -EBADMSG;
        Token a = { t->s, (size_t)(colon - t->s) };
        Token b = { colon + 1, t->len - a.len - 1 };
        uint64_t ma, mi;
        int r;
        if ((r = token_u64(&a, &ma)) < 0 || (r = token_u64(&b, &mi)) < 0)
                return r;
        if (ma > UINT32_MAX || mi > UINT32_MAX)
                return -ERANGE;
        *ret_major = (uint32_t)ma;
        *ret_minor = (uint32_t)mi;
        return 0;
}

/* Removes a leading "ro" or "rw" option from t; true if it was "ro". */
static bool take_ro_rw(Token *t)
{
        if (t->len < 2 || (memcmp(t->s, "ro", 2) != 0 && memcmp(t->s, "rw", 2) != 0) ||
            (t->len > 2 && t->s[2] != ','))
                return false;
        bool ro = t->s[1] == 'o';
        size_t skip = t->len > 2 ? 3 : 2;
        t->s += skip;
        t->len -= skip;
        return ro;
}

/* Per-mount options ("rw,relatime") and superblock options ("rw,discard")
 * combined the way /proc/mounts shows them: read-only if either says so,
 * then the remaining mount flags, then the filesystem's own options. */
static char *join_options(const Token *mnt, const Token *super)
{
        Token m = *mnt, s = *super;
        bool ro = take_ro_rw(&m);
        ro = take_ro_rw(&s) || ro;

        char *out = xmalloc(2 + 1 + m.len + 1 + s.len + 1);
        size_t o = 2;
        memcpy(out, ro ? "ro" : "rw", 2);
        if (m.len) {
                out[o++] = ',';
                memcpy(out + o, m.s, m.len);
                o += m.len;
        }
        if (s.len) {
                out[o++] = ',';
                memcpy(out + o, s.s, s.len);
                o += s.len;
        }
        out[o] = '\0';
        return out;
}

typedef struct MountLine {
        uint32_t major, minor;
        bool root_is_slash;
        Token mountpoint, source, options, super;
        char fstype[32];
} MountLine;

/* One line of mountinfo (proc(5)):
 *   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 *   id par dev root mntpt opts  [optional...] - type source  superopts
 * The optional fields are zero or more and end at a lone "-". */
static int parse_mount_line(const char *line, MountLine *ret)
{
        Token tok[48];
        int n = tokenize_line(line, tok, sizeof tok / sizeof tok[0]);
        if (n < 0)
                return -EBADMSG;

        int sep = -1;
        for (int i = 6; i < n; i++)
                if (token_is(&tok[i], "-")) {
                        sep = i;
                        break;
                }
        /* fstype and source are mandatory, superoptions we can do without */
        if (sep < 0 || n < sep + 3)
                return -EBADMSG;

        uint64_t id, parent;
        int r;
        if ((r = token_u64(&tok[0], &id)) < 0 || (r = token_u64(&tok[1], &parent)) < 0)
                return r;
        MountLine m = { 0 };
        if ((r = parse_devno(&tok[2], &m.major, &m.minor)) < 0)
                return r;
        /* root and mount point are absolute paths; anything else is not
         * from the kernel */
        if (tok[3].s[0] != '/' || tok[4].s[0] != '/')
                return -EBADMSG;
        m.root_is_slash = token_is(&tok[3], "/");
        m.mountpoint = tok[4];
        m.options = tok[5];
        const Token *ft = &tok[sep + 1];
        if (ft->len >= sizeof m.fstype)
                return -EBADMSG;
        memcpy(m.fstype, ft->s, ft->len);
        m.fstype[ft->len] = '\0';
        m.source = tok[sep + 2];
        m.super = n > sep + 3 ? tok[sep + 3] : (Token){ "", 0 };
        *ret = m;
        return 0;
}

void disk_partitions_free(DiskPartition *p, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                free(p[i].device);
                free(p[i].mountpoint);
                free(p[i].options);
        }
        free(p);
}

static void partition_fill(DiskPartition *p, const MountLine *m)
{
        free(p->device);
        free(p->mountpoint);
        free(p->options);
        p->device = unescape_dup(m->source.s, m->source.len);
        p->mountpoint = unescape_dup(m->mountpoint.s, m->mountpoint.len);
        memcpy(p->fstype, m->fstype, sizeof p->fstype);
        p->options = join_options(&m->options, &m->super);
        p->major = m->major;
        p->minor = m->minor;
        p->has_usage = false;
        p->total = p->used = p->free = U64_ABSENT;
        p->percent = NAN;
        p->inodes_total = p->inodes_free = U64_ABSENT;
}

int disk_parse_mountinfo(const char *buf, const DiskFsTypes *real,
                         DiskPartition **ret, size_t *ret_n)
{
        DiskPartition *parts = NULL;
        bool *root_slash = NULL; /* per entry of parts: picked from a root "/" line */
        size_t n = 0, parsed = 0;

        for (const char *line = buf; line && *line; line = next_line(line)) {
                MountLine m;
                if (parse_mount_line(line, &m) < 0)
                        continue;
                parsed++;
                if (!disk_fstype_is_real(real, m.fstype))
                        continue;

                /* One entry per filesystem: bind mounts and btrfs subvolumes
                 * show the same major:minor again. Prefer a line that mounts
                 * the filesystem's root, then the shortest mount point; the
                 * entry keeps the position of the device's first line. */
                size_t i;
                for (i = 0; i < n; i++)
                        if (parts[i].major == m.major && parts[i].minor == m.minor)
                                break;
                if (i < n) {
                        bool better = m.root_is_slash && !root_slash[i];
                        if (m.root_is_slash == root_slash[i]) {
                                char *mp = unescape_dup(m.mountpoint.s, m.mountpoint.len);
                                better = strlen(mp) < strlen(parts[i].mountpoint);
                                free(mp);
                        }
                        if (better) {
                                partition_fill(&parts[i], &m);
                                root_slash[i] = m.root_is_slash;
                        }
                        continue;
                }
                parts = xreallocarray(parts, n + 1, sizeof *parts);
                root_slash = xreallocarray(root_slash, n + 1, sizeof *root_slash);
                memset(&parts[n], 0, sizeof parts[n]);
                partition_fill(&parts[n], &m);
                root_slash[n] = m.root_is_slash;
                n++;
        }
        free(root_slash);
        if (parsed == 0) {
                disk_partitions_free(parts, n);
                return -EBADMSG;
        }
        *ret = parts;
        *ret_n = n;
        return 0;
}

/* ---- /proc/diskstats -------------------------------------------------- */

/* A decimal number that must end at a blank or the end of the line. */
static int scan_field(const char **p, uint64_t *ret)
{
        const char *s = *p;
        int r = scan_u64(&s, ret);
        if (r < 0)
                return r;
        if (!is_eol(*s) && !is_blank(*s))
                return -EINVAL;
        *p = s;
        return 0;
}

/* Since 2.6.25 every line has at least 11 counters after the name
 * (4.18 added 4 discard fields, 5.5 two flush fields). The first 11:
 *   0 reads completed   1 reads merged    2 sectors read     3 ms reading
 *   4 writes completed  5 writes merged   6 sectors written  7 ms writing
 *   8 I/Os in progress  9 ms doing I/O   10 weighted ms doing I/O
 * Later fields are not needed and not checked, so new kernels still parse. */
static int parse_diskstats_line(const char *line, DiskDevice *ret)
{
        const char *p = line;
        uint64_t major, minor, v[11];
        int r;

        if ((r = scan_field(&p, &major)) < 0 || (r = scan_field(&p, &minor)) < 0)
                return r == -ERANGE ? r : -EBADMSG;
        while (is_blank(*p))
                p++;
        const char *name = p;
        while (!is_eol(*p) && !is_blank(*p))
                p++;
        size_t len = (size_t)(p - name);
        if (len == 0 || len >= sizeof ret->name)
                return -EBADMSG;
        for (size_t i = 0; i < 11; i++)
                if ((r = scan_field(&p, &v[i])) < 0)
                        return r == -ERANGE ? r : -EBADMSG;

        DiskDevice d = { 0 };
        memcpy(d.name, name, len);
        d.name[len] = '\0';
        d.io.read_count = v[0];
        d.io.write_count = v[4];
        if (__builtin_mul_overflow(v[2], SECTOR_SIZE, &d.io.read_bytes) ||
            __builtin_mul_overflow(v[6], SECTOR_SIZE, &d.io.write_bytes))
                return -ERANGE;
        d.io.read_time_ms = v[3];
        d.io.write_time_ms = v[7];
        d.io.busy_time_ms = v[9];
        *ret = d;
        return 0;
}

int disk_parse_diskstats(const char *buf, DiskDevice **ret, size_t *ret_n)
{
        DiskDevice *devs = NULL;
        size_t n = 0;
        int first_err = 0;
        bool any_line = false;

        for (const char *line = buf; line && *line; line = next_line(line)) {
                const char *q = line;
                while (is_blank(*q))
                        q++;
                if (is_eol(*q))
                        continue;
                any_line = true;
                DiskDevice d;
                int r = parse_diskstats_line(line, &d);
                if (r < 0) {
                        if (!first_err)
                                first_err = r;
                        continue;
                }
                devs = xreallocarray(devs, n + 1, sizeof *devs);
                devs[n++] = d;
        }
        if (any_line && n == 0) {
                free(devs);
                return first_err ? first_err : -EBADMSG;
        }
        *ret = devs;
        *ret_n = n;
        return 0;
}

bool disk_name_is_virtual(const char *name)
{
        return startswith(name, "loop") || startswith(name, "ram") ||
               startswith(name, "zram");
}

static bool all_digits(const char *s)
{
        if (!*s)
                return false;
        for (; *s; s++)
                if (*s < '0' || *s > '9')
                        return false;
        return true;
}

bool disk_name_is_partition_heuristic(const DiskDevice *devs, size_t n, const char *name)
{
        for (size_t i = 0; i < n; i++) {
                const char *disk = devs[i].name;
                size_t len = strlen(disk);
                if (len == 0 || strncmp(name, disk, len) != 0 || name[len] == '\0')
                        continue;
                const char *rest = name + len;
                /* add_partition() names: "sda" + "1", but "nvme0n1" + "p1" */
                if (disk[len - 1] >= '0' && disk[len - 1] <= '9') {
                        if (rest[0] == 'p' && all_digits(rest + 1))
                                return true;
                } else if (all_digits(rest))
                        return true;
        }
        return false;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
        uint64_t s;
        /* UINT64_MAX is U64_ABSENT: stop one below */
        if (__builtin_add_overflow(a, b, &s) || s == U64_ABSENT)
                return U64_ABSENT - 1;
        return s;
}

void disk_io_sum(const DiskDevice *devs, size_t n, DiskIoCounters *ret)
{
        DiskIoCounters s = { 0 };
        for (size_t i = 0; i < n; i++) {
                const DiskIoCounters *c = &devs[i].io;
                s.read_count = sat_add(s.read_count, c->read_count);
                s.write_count = sat_add(s.write_count, c->write_count);
                s.read_bytes = sat_add(s.read_bytes, c->read_bytes);
                s.write_bytes = sat_add(s.write_bytes, c->write_bytes);
                s.read_time_ms = sat_add(s.read_time_ms, c->read_time_ms);
                s.write_time_ms = sat_add(s.write_time_ms, c->write_time_ms);
                s.busy_time_ms = sat_add(s.busy_time_ms, c->busy_time_ms);
        }
        *ret = s;
}

/* ---- I/O: whole disks via /sys/block ----------------------------------- */

/* sysfs spells a '/' in a device name ("cciss/c0d0") as '!'. */
static int sysfs_block_name(const char *name, char *buf, size_t cap)
{
        size_t len = strlen(name);
        if (len == 0 || len >= cap || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
                return -EINVAL;
        for (size_t i = 0; i <= len; i++)
                buf[i] = name[i] == '/' ? '!' : name[i];
        return 0;
}

/* Does block/<name>/slaves list anything? Missing directory: no. */
static bool block_has_slaves(int block_fd, const char *sysname)
{
        char path[96];
        snprintf(path, sizeof path, "%s/slaves", sysname);
        int fd = openat(block_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return false;
        DIR *d = fdopendir(fd);
        if (!d) {
                close(fd);
                return false;
        }
        bool any = false;
        struct dirent *de;
        while ((de = readdir(d)))
                if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
                        any = true;
                        break;
                }
        closedir(d);
        return any;
}

/* Keeps the devices whose I/O counts (see the file header) in place. */
static size_t select_whole_disks(const RootFS *fs, DiskDevice *devs, size_t n)
{
        int block_fd = openat(fs->sys_fd, "block", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (block_fd < 0)
                log_debug("no sysfs block directory (%s), guessing partitions from names",
                          strerror(errno));

        bool *keep = xcalloc(n, sizeof *keep);
        for (size_t i = 0; i < n; i++) {
                const char *name = devs[i].name;
                if (disk_name_is_virtual(name))
                        continue;
                if (block_fd < 0) {
                        /* Without sysfs the stacking is unknown; dm-* and md*
                         * are nearly always on top of listed disks. */
                        keep[i] = !startswith(name, "dm-") &&
                                  !(startswith(name, "md") && all_digits(name + 2)) &&
                                  !disk_name_is_partition_heuristic(devs, n, name);
                        continue;
                }
                char sysname[sizeof devs[i].name];
                struct stat st;
                if (sysfs_block_name(name, sysname, sizeof sysname) < 0)
                        continue;
                /* /sys/block/<name> is a symlink into /sys/devices; only its
                 * existence matters (fixtures may not carry the target). */
                if (fstatat(block_fd, sysname, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue;
                keep[i] = !block_has_slaves(block_fd, sysname);
        }
        size_t o = 0;
        for (size_t i = 0; i < n; i++)
                if (keep[i])
                        devs[o++] = devs[i];
        free(keep);
        if (block_fd >= 0)
                close(block_fd);
        return o;
}

static int read_io(const RootFS *fs, DiskInfo *ret)
{
        Buf b = { 0 };
        DiskDevice *devs = NULL;
        size_t n = 0;

        ssize_t len = read_file_buf_at(fs->proc_fd, "diskstats", &b, DISK_FILE_MAX);
        if (len < 0) {
                buf_free(&b);
                log_debug("cannot read diskstats: %s", strerror((int)-len));
                return (int)len;
        }
        int r = disk_parse_diskstats(b.data, &devs, &n);
        buf_free(&b);
        if (r < 0) {
                log_warn("cannot parse diskstats: %s", strerror(-r));
                return r;
        }
        n = select_whole_disks(fs, devs, n);
        disk_io_sum(devs, n, &ret->io);
        ret->devices = devs;
        ret->n_devices = n;
        ret->has_io = true;
        return 0;
}

/* ---- partitions: mountinfo + statvfs ----------------------------------- */

static bool path_has_dotdot(const char *p)
{
        for (const char *s = p; (s = strstr(s, "..")); s += 2)
                if ((s == p || s[-1] == '/') && (s[2] == '/' || s[2] == '\0'))
                        return true;
        return false;
}

static double round1(double v)
{
        /* Python's round(x, 1): half to even */
        return nearbyint(v * 10.0) / 10.0;
}

/* psutil's disk_usage(): "used" is what df shows (blocks minus all free
 * blocks), "free" only what an unprivileged user may still write, so
 * used + free < total on ext4 with reserved blocks. */
static int partition_usage(const RootFS *fs, DiskPartition *p)
{
        if (p->mountpoint[0] != '/' || path_has_dotdot(p->mountpoint))
                return -EINVAL;
        const char *rel = p->mountpoint[1] ? p->mountpoint + 1 : ".";
        int fd = openat(fs->root_fd, rel, O_PATH | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        struct statvfs sv;
        int r = fstatvfs(fd, &sv);
        int saved = errno;
        close(fd);
        if (r < 0)
                return -saved;

        uint64_t frsize = sv.f_frsize ? sv.f_frsize : sv.f_bsize;
        uint64_t bfree = sv.f_bfree > sv.f_blocks ? sv.f_blocks : sv.f_bfree;
        uint64_t total, used, avail;
        if (__builtin_mul_overflow((uint64_t)sv.f_blocks, frsize, &total) ||
            __builtin_mul_overflow((uint64_t)sv.f_blocks - bfree, frsize, &used) ||
            __builtin_mul_overflow((uint64_t)sv.f_bavail, frsize, &avail) ||
            total == U64_ABSENT)
                return -ERANGE;
        p->total = total;
        p->used = used;
        p->free = avail;
        double denom = (double)used + (double)avail;
        p->percent = denom > 0 ? round1((double)used / denom * 100.0) : 0.0;
        if (sv.f_files > 0 && sv.f_files != U64_ABSENT) {
                p->inodes_total = sv.f_files;
                p->inodes_free = sv.f_ffree > sv.f_files ? sv.f_files : sv.f_ffree;
        }
        p->has_usage = true;
        return 0;
}

/* A root filesystem mounted without an initramfs shows up as "/dev/root";
 * sysfs knows its real name. */
static void resolve_dev_root(const RootFS *fs, DiskPartition *p)
{
        char path[64], buf[1024];
        if (strcmp(p->device, "/dev/root") != 0 || p->major == 0)
                return;
        snprintf(path, sizeof path, "dev/block/%u:%u/uevent", p->major, p->minor);
        if (read_file_at(fs->sys_fd, path, buf, sizeof buf) < 0)
                return;
        for (const char *line = buf; line; line = next_line(line)) {
                if (!startswith(line, "DEVNAME="))
                        continue;
                const char *v = line + 8;
                size_t len = strcspn(v, "\n");
                if (len == 0 || len > 200)
                        return;
                char *dev = xmalloc(5 + len + 1);
                memcpy(dev, "/dev/", 5);
                memcpy(dev + 5, v, len);
                dev[5 + len] = '\0';
                free(p->device);
                p->device = dev;
                return;
        }
}

static int read_partitions(const RootFS *fs, DiskInfo *ret)
{
        Buf b = { 0 };
        DiskFsTypes real = { 0 };
        bool have_real = false;
        ssize_t len;
        int r;

        len = read_file_buf_at(fs->proc_fd, "filesystems", &b, DISK_FILE_MAX);
        if (len >= 0 && disk_parse_filesystems(b.data, &real) == 0)
                have_real = true;
        else
                log_debug("cannot use filesystems, using the built-in list of pseudo filesystems");

        /* Our own mount namespace when --procfs is the live /proc. A foreign
         * /proc (a host's, mounted into a pod) resolves "self" in its pid
         * namespace, which may not show us at all: prefer init's view. */
        len = -ENOENT;
        if (!fs->live)
                len = read_file_buf_at(fs->proc_fd, "1/mountinfo", &b, DISK_FILE_MAX);
        if (len < 0)
                len = read_file_buf_at(fs->proc_fd, "self/mountinfo", &b, DISK_FILE_MAX);
        if (len < 0) {
                log_debug("cannot read mountinfo: %s", strerror((int)-len));
                r = (int)len;
                goto out;
        }
        r = disk_parse_mountinfo(b.data, have_real ? &real : NULL,
                                 &ret->partitions, &ret->n_partitions);
        if (r < 0) {
                log_warn("cannot parse mountinfo: %s", strerror(-r));
                goto out;
        }

        /* The mount points are reachable when they are our own (live /proc),
         * or below an explicit --rootfs that holds the mounts of the /proc
         * we read. A fixture /proc with the default rootfs "/" describes
         * another machine: its "/" is not ours to statvfs. */
        bool reachable = fs->live || strcmp(fs->root_path, "/") != 0;
        for (size_t i = 0; i < ret->n_partitions; i++) {
                DiskPartition *p = &ret->partitions[i];
                resolve_dev_root(fs, p);
                if (!reachable)
                        continue;
                int k = partition_usage(fs, p);
                if (k < 0)
                        log_debug("no usage for mount point %s: %s", p->mountpoint,
                                  strerror(-k));
        }
out:
        buf_free(&b);
        disk_fs_types_done(&real);
        return r;
}

int disk_collect(const RootFS *fs, DiskInfo *ret)
{
        int r_parts = read_partitions(fs, ret);
        int r_io = read_io(fs, ret);

        if (psi_read(fs, "io", &ret->pressure) < 0)
                memset(&ret->pressure, 0, sizeof ret->pressure);
        if (r_parts < 0 && r_io < 0)
                return r_parts;
        return 0;
}
