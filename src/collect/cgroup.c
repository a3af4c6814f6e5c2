/* SPDX-License-Identifier: MIT */
/* Memory cgroup of this process.
 *
 * Reads <procfs>/self/cgroup (or <procfs>/PID/cgroup for another process)
 * to learn the cgroup, then below <sysfs>/fs/cgroup:
 *   v2 (fs/cgroup or, on hybrid hosts, fs/cgroup/unified): cgroup.controllers,
 *      memory.current, memory.max, memory.high, memory.peak,
 *      memory.swap.current, memory.swap.max, memory.pressure,
 *      memory.events, memory.stat
 *   v1 (fs/cgroup/memory, or fs/cgroup/<controller list>):
 *      memory.usage_in_bytes, memory.limit_in_bytes, memory.max_usage_in_bytes,
 *      memory.memsw.usage_in_bytes, memory.memsw.limit_in_bytes,
 *      memory.failcnt, memory.oom_control, memory.stat, and memory.pressure
 *      of our v2 cgroup when a unified tree is mounted next to v1.
 *
 * Every file is optional: a missing or malformed one leaves its field
 * absent and the rest is still collected. */
#include "collect/cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collect/psi.h"
#include "util/fileio.h"
#include "util/parse.h"

/* cgroup v1 prints "no limit" as PAGE_COUNTER_MAX * PAGE_SIZE, where
 * PAGE_COUNTER_MAX = LONG_MAX / PAGE_SIZE: 9223372036854771712 with 4 KiB
 * pages, 9223372036854710272 with 64 KiB pages. Any value from LONG_MAX
 * rounded down to 1 MiB upwards is such a sentinel, whatever the page size
 * of the host the file came from; no real limit is anywhere near 8 EiB. */
#define CGROUP_UNLIMITED_MIN UINT64_C(0x7FFFFFFFFFF00000)

#define CGROUP_FILE_MAX (1U << 20)

/* memory.stat keys we keep, in the order they are reported. */
static const char *const stat_keys_v2[] = {
        "anon", "file", "kernel", "kernel_stack", "pagetables", "sec_pagetables",
        "percpu", "sock", "vmalloc", "shmem", "zswap", "zswapped",
        "file_mapped", "file_dirty", "file_writeback", "swapcached",
        "anon_thp", "file_thp", "shmem_thp",
        "inactive_anon", "active_anon", "inactive_file", "active_file", "unevictable",
        "slab_reclaimable", "slab_unreclaimable", "slab",
        "workingset_refault_anon", "workingset_refault_file",
        "workingset_activate_anon", "workingset_activate_file",
        "workingset_nodereclaim",
        "pgscan", "pgsteal", "pgfault", "pgmajfault",
        "oom_kill",
};

static const char *const stat_keys_v1[] = {
        "cache", "rss", "rss_huge", "shmem", "mapped_file", "dirty", "writeback",
        "swap", "pgfault", "pgmajfault",
        "inactive_anon", "active_anon", "inactive_file", "active_file", "unevictable",
        "workingset_refault_anon", "workingset_refault_file",
        "hierarchical_memory_limit", "hierarchical_memsw_limit",
        "total_cache", "total_rss", "total_rss_huge", "total_shmem", "total_mapped_file",
        "total_dirty", "total_writeback", "total_swap",
        "total_pgfault", "total_pgmajfault",
        "total_inactive_anon", "total_active_anon", "total_inactive_file",
        "total_active_file", "total_unevictable",
};

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))
_Static_assert(ELEMENTSOF(stat_keys_v2) <= CGROUP_STAT_MAX, "CGROUP_STAT_MAX too small");
_Static_assert(ELEMENTSOF(stat_keys_v1) <= CGROUP_STAT_MAX, "CGROUP_STAT_MAX too small");

static const char *const events_keys[] = {
        "low", "high", "max", "oom", "oom_kill", "oom_group_kill",
};

static const char *const oom_control_keys[] = {
        "oom_kill_disable", "under_oom", "oom_kill",
};

/* ---- pure parsers ------------------------------------------------------ */

static bool list_has(const char *s, size_t len, char sep, const char *name)
{
        size_t n = strlen(name);
        const char *end = s + len;

        while (s < end) {
                const char *tok_end = memchr(s, sep, (size_t)(end - s));
                if (!tok_end)
                        tok_end = end;
                if ((size_t)(tok_end - s) == n && memcmp(s, name, n) == 0)
                        return true;
                s = tok_end + 1;
        }
        return false;
}

static bool is_mount_name(const char *s, size_t len)
{
        for (size_t i = 0; i < len; i++) {
                char c = s[i];
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == ','))
                        return false;
        }
        return len > 0;
}

int cgroup_self_parse(const char *buf, CgroupSelf *ret)
{
        CgroupSelf s = { 0 };
        bool any = false;

        for (const char *line = buf; line && *line; line = next_line(line)) {
                const char *eol = strchrnul(line, '\n');
                /* The path is everything after the second colon: the kernel
                 * prints it verbatim, so it may hold spaces and colons. */
                const char *c1 = memchr(line, ':', (size_t)(eol - line));
                if (!c1)
                        continue;
                const char *c2 = memchr(c1 + 1, ':', (size_t)(eol - c1 - 1));
                if (!c2)
                        continue;

                size_t id_len = (size_t)(c1 - line);
                if (id_len == 0 || id_len > 10)
                        continue;
                bool id_zero = true, id_ok = true;
                for (const char *p = line; p < c1; p++) {
                        if (*p < '0' || *p > '9')
                                id_ok = false;
                        else if (*p != '0')
                                id_zero = false;
                }
                if (!id_ok)
                        continue;

                const char *ctl = c1 + 1;
                size_t ctl_len = (size_t)(c2 - ctl);
                const char *path = c2 + 1;
                size_t path_len = (size_t)(eol - path);
                if (path_len == 0 || path[0] != '/')
                        continue;
                /* v2 is hierarchy 0 with an empty controller list. */
                if (id_zero != (ctl_len == 0))
                        continue;
                any = true;

                /* A path that does not fit is dropped rather than cut: a
                 * truncated path names some other cgroup. */
                if (id_zero) {
                        if (s.has_unified || path_len >= sizeof s.unified_path)
                                continue;
                        memcpy(s.unified_path, path, path_len);
                        s.unified_path[path_len] = '\0';
                        s.has_unified = true;
                } else if (list_has(ctl, ctl_len, ',', "memory")) {
                        if (s.has_memory || path_len >= sizeof s.memory_path)
                                continue;
                        memcpy(s.memory_path, path, path_len);
                        s.memory_path[path_len] = '\0';
                        s.has_memory = true;
                        /* Kept only when usable as a directory name. */
                        if (ctl_len < sizeof s.memory_controllers && is_mount_name(ctl, ctl_len)) {
                                memcpy(s.memory_controllers, ctl, ctl_len);
                                s.memory_controllers[ctl_len] = '\0';
                        }
                }
        }
        *ret = s;
        return any ? 0 : -EBADMSG;
}

int cgroup_value_parse(const char *buf, uint64_t *ret)
{
        size_t n = strlen(buf);
        const char *p = buf;
        uint64_t v;

        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ' || buf[n - 1] == '\t'))
                n--;
        if (n == 3 && memcmp(buf, "max", 3) == 0) {
                *ret = U64_ABSENT;
                return 0;
        }
        if (n == 0 || *p < '0' || *p > '9')
                return -EBADMSG;
        int r = scan_u64(&p, &v);
        if (r < 0)
                return r == -ERANGE ? -ERANGE : -EBADMSG;
        if (p != buf + n)
                return -EBADMSG;
        *ret = v;
        return 0;
}

uint64_t cgroup_limit_normalize(uint64_t v)
{
        return v >= CGROUP_UNLIMITED_MIN ? U64_ABSENT : v;
}

bool cgroup_controllers_has(const char *buf, const char *name)
{
        size_t n = strlen(name);

        for (const char *p = buf; *p;) {
                while (*p == ' ' || *p == '\t' || *p == '\n')
                        p++;
                const char *start = p;
                while (*p && *p != ' ' && *p != '\t' && *p != '\n')
                        p++;
                if ((size_t)(p - start) == n && n > 0 && memcmp(start, name, n) == 0)
                        return true;
        }
        return false;
}

/* ---- I/O ---------------------------------------------------------------- */

static bool sys_exists(const RootFS *fs, const char *path)
{
        struct stat st;
        return fstatat(fs->sys_fd, path, &st, 0) == 0;
}

static uint64_t read_value(int dfd, const char *name)
{
        char buf[64];
        uint64_t v;

        if (read_record_at(dfd, name, buf, sizeof buf) < 0)
                return U64_ABSENT;
        if (cgroup_value_parse(buf, &v) < 0)
                return U64_ABSENT;
        return v;
}

static uint64_t read_limit(int dfd, const char *name)
{
        return cgroup_limit_normalize(read_value(dfd, name));
}

static void read_keyed(int dfd, const char *name, const char *const *keys, size_t n_keys,
                       uint64_t *values)
{
        char buf[1024];

        if (read_record_at(dfd, name, buf, sizeof buf) < 0)
                buf[0] = '\0';
        keyed_u64_parse(buf, keys, n_keys, values);
}

static bool is_limit_key(const char *key)
{
        size_t n = strlen(key);
        return n >= 6 && strcmp(key + n - 6, "_limit") == 0;
}

static void read_stat(int dfd, const char *const *keys, size_t n_keys, CgroupMemory *ret)
{
        uint64_t values[CGROUP_STAT_MAX];
        Buf b = { 0 };

        ret->n_stat = 0;
        if (n_keys > CGROUP_STAT_MAX || read_file_buf_at(dfd, "memory.stat", &b, CGROUP_FILE_MAX) < 0) {
                buf_free(&b);
                return;
        }
        keyed_u64_parse(b.data, keys, n_keys, values);
        buf_free(&b);
        for (size_t i = 0; i < n_keys; i++) {
                uint64_t v = values[i];
                /* hierarchical_*_limit: v1 "no limit" is not a number to report. */
                if (is_limit_key(keys[i]))
                        v = cgroup_limit_normalize(v);
                if (!has_u64(v))
                        continue;
                CgroupStatEntry *e = &ret->stat[ret->n_stat++];
                snprintf(e->key, sizeof e->key, "%s", keys[i]);
                e->value = v;
        }
}

static void read_pressure(int dfd, Psi *ret)
{
        char buf[512];
        Psi psi;

        if (read_record_at(dfd, "memory.pressure", buf, sizeof buf) < 0)
                return;
        if (psi_parse(buf, &psi) == 0)
                *ret = psi;
}

/* True when path has a "." or ".." component. The kernel prints "/../x"
 * for a process outside the reader's cgroup namespace root; following it
 * would leave the mount. */
static bool path_has_dots(const char *path)
{
        for (const char *p = path; *p;) {
                while (*p == '/')
                        p++;
                const char *start = p;
                while (*p && *p != '/')
                        p++;
                size_t n = (size_t)(p - start);
                if ((n == 1 && start[0] == '.') || (n == 2 && start[0] == '.' && start[1] == '.'))
                        return true;
        }
        return false;
}

/* Opens the directory of our cgroup below the hierarchy mount.
 *
 * /proc/self/cgroup names the cgroup relative to the root of our cgroup
 * namespace, while the mount may show a different subtree:
 *  - in a container with its own cgroup namespace the file says "/" and the
 *    mount root *is* the container's cgroup, so "/" maps to the mount root;
 *  - in a container without one (Docker/Kubernetes on v1) the file carries
 *    the host path "/kubepods/.../<id>", but the runtime mounted only the
 *    container's own cgroup, so that path does not exist below the mount;
 *  - on a host, a cgroup removed under us (" (deleted)" suffix) is gone.
 * We therefore try the full path, then each parent in turn, and end at the
 * mount root. The nearest existing ancestor is the best available
 * description (in the container case it is the container's cgroup, in the
 * removed case its parent), and it never leaves the mount. Paths with "."
 * or ".." components go straight to the mount root. The directory actually
 * used is written to dir. Returns an fd or -errno. */
static int open_cgroup_dir(int mount_fd, const char *path, char *dir, size_t dir_size)
{
        char tmp[1024];
        int fd;

        if (!path_has_dots(path) && strlen(path) < sizeof tmp) {
                snprintf(tmp, sizeof tmp, "%s", path);
                for (;;) {
                        const char *rel = tmp;
                        while (*rel == '/')
                                rel++;
                        if (*rel == '\0')
                                break;
                        fd = openat(mount_fd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                        if (fd >= 0) {
                                snprintf(dir, dir_size, "%s", tmp);
                                return fd;
                        }
                        char *slash = strrchr(tmp, '/');
                        if (!slash)
                                break;
                        /* Drop the last component and any slashes before it. */
                        while (slash > tmp && slash[-1] == '/')
                                slash--;
                        *slash = '\0';
                }
        }
        fd = openat(mount_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        snprintf(dir, dir_size, "/");
        return fd;
}

static int open_in_mount(const RootFS *fs, const char *mount, const char *path, char *dir,
                         size_t dir_size)
{
        int mfd = openat(fs->sys_fd, mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (mfd < 0)
                return -errno;
        int fd = open_cgroup_dir(mfd, path, dir, dir_size);
        close(mfd);
        return fd;
}

static double percent_of(uint64_t part, uint64_t whole)
{
        if (!has_u64(part) || !has_u64(whole) || whole == 0)
                return NAN;
        return (double)part * 100.0 / (double)whole;
}

static void collect_v2(int dfd, CgroupMemory *ret)
{
        uint64_t ev[ELEMENTSOF(events_keys)];

        ret->usage = read_value(dfd, "memory.current");
        ret->limit = read_limit(dfd, "memory.max");
        ret->high = read_limit(dfd, "memory.high");
        ret->peak = read_value(dfd, "memory.peak");
        ret->swap_usage = read_value(dfd, "memory.swap.current");
        ret->swap_limit = read_limit(dfd, "memory.swap.max");
        read_pressure(dfd, &ret->pressure);

        read_keyed(dfd, "memory.events", events_keys, ELEMENTSOF(events_keys), ev);
        ret->ev_low = ev[0];
        ret->ev_high = ev[1];
        ret->ev_max = ev[2];
        ret->ev_oom = ev[3];
        ret->ev_oom_kill = ev[4];
        ret->ev_oom_group_kill = ev[5];

        read_stat(dfd, stat_keys_v2, ELEMENTSOF(stat_keys_v2), ret);
}

static void collect_v1(int dfd, CgroupMemory *ret)
{
        uint64_t oc[ELEMENTSOF(oom_control_keys)];

        ret->usage = read_value(dfd, "memory.usage_in_bytes");
        ret->limit = read_limit(dfd, "memory.limit_in_bytes");
        ret->peak = read_value(dfd, "memory.max_usage_in_bytes");

        /* memsw counts memory plus swap; the files exist only with swap
         * accounting. The two counters are read at different moments, so
         * memsw may briefly be below usage: clamp at 0. */
        uint64_t memsw_usage = read_value(dfd, "memory.memsw.usage_in_bytes");
        uint64_t memsw_limit = read_limit(dfd, "memory.memsw.limit_in_bytes");
        if (has_u64(memsw_usage) && has_u64(ret->usage))
                ret->swap_usage = memsw_usage > ret->usage ? memsw_usage - ret->usage : 0;
        if (has_u64(memsw_limit) && has_u64(ret->limit) && memsw_limit >= ret->limit)
                ret->swap_limit = memsw_limit - ret->limit;

        ret->v1_failcnt = read_value(dfd, "memory.failcnt");
        read_keyed(dfd, "memory.oom_control", oom_control_keys, ELEMENTSOF(oom_control_keys), oc);
        ret->v1_oom_kill_disable = oc[0];
        ret->v1_under_oom = oc[1];
        ret->ev_oom_kill = oc[2]; /* since Linux 4.13 */

        read_stat(dfd, stat_keys_v1, ELEMENTSOF(stat_keys_v1), ret);
}

/* The v1 memory hierarchy is normally mounted at fs/cgroup/memory; when it
 * is co-mounted with other controllers the directory is named after the
 * list ("memory,hugetlb"), as /proc/self/cgroup prints it. A candidate
 * counts only if it holds memory.usage_in_bytes, which an empty mount
 * point does not. */
static bool find_v1_mount(const RootFS *fs, const CgroupSelf *self, char *mount, size_t size)
{
        char probe[160];
        const char *names[2] = { "memory", self->memory_controllers };

        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                if (names[i][0] == '\0' || (i > 0 && strcmp(names[i], names[0]) == 0))
                        continue;
                snprintf(probe, sizeof probe, "fs/cgroup/%s/memory.usage_in_bytes", names[i]);
                if (sys_exists(fs, probe)) {
                        snprintf(mount, size, "fs/cgroup/%s", names[i]);
                        return true;
                }
        }
        return false;
}

/* cgroup_file: "self/cgroup" or "<pid>/cgroup" below the proc root. */
static int collect_from(const RootFS *fs, const char *cgroup_file, CgroupMemory *ret)
{
        CgroupSelf self;
        Buf b = { 0 };
        ssize_t n;

        n = read_file_buf_at(fs->proc_fd, cgroup_file, &b, CGROUP_FILE_MAX);
        if (n < 0) {
                buf_free(&b);
                return (int)n;
        }
        int r = cgroup_self_parse(b.data, &self);
        buf_free(&b);
        if (r < 0)
                return 0; /* nothing usable in it: no memory cgroup */

        /* The v2 tree: at fs/cgroup on unified hosts, at fs/cgroup/unified
         * next to the v1 controllers on hybrid ones. */
        const char *v2_mount = NULL;
        if (sys_exists(fs, "fs/cgroup/cgroup.controllers"))
                v2_mount = "fs/cgroup";
        else if (sys_exists(fs, "fs/cgroup/unified/cgroup.controllers"))
                v2_mount = "fs/cgroup/unified";

        /* Prefer v2 when the memory controller is enabled there; on hybrid
         * hosts memory is usually still a v1 controller. */
        bool v2_memory = false;
        if (v2_mount && self.has_unified) {
                char path[64], ctl[512];
                snprintf(path, sizeof path, "%s/cgroup.controllers", v2_mount);
                if (read_line_at(fs->sys_fd, path, ctl, sizeof ctl) >= 0)
                        v2_memory = cgroup_controllers_has(ctl, "memory");
        }

        if (v2_memory) {
                int dfd = open_in_mount(fs, v2_mount, self.unified_path, ret->dir, sizeof ret->dir);
                if (dfd < 0)
                        return 0;
                ret->version = 2;
                ret->hybrid = strcmp(v2_mount, "fs/cgroup") != 0;
                snprintf(ret->path, sizeof ret->path, "%s", self.unified_path);
                snprintf(ret->mount, sizeof ret->mount, "%s", v2_mount);
                collect_v2(dfd, ret);
                close(dfd);
        } else if (self.has_memory) {
                char mount[96];
                if (!find_v1_mount(fs, &self, mount, sizeof mount))
                        return 0;
                int dfd = open_in_mount(fs, mount, self.memory_path, ret->dir, sizeof ret->dir);
                if (dfd < 0)
                        return 0;
                ret->version = 1;
                ret->hybrid = v2_mount != NULL;
                snprintf(ret->path, sizeof ret->path, "%s", self.memory_path);
                snprintf(ret->mount, sizeof ret->mount, "%s", mount);
                collect_v1(dfd, ret);
                close(dfd);

                /* PSI is part of the v2 core, not of the memory controller:
                 * a hybrid host still has memory.pressure for our v2 cgroup. */
                if (v2_mount && self.has_unified) {
                        char dir[1024];
                        dfd = open_in_mount(fs, v2_mount, self.unified_path, dir, sizeof dir);
                        if (dfd >= 0) {
                                read_pressure(dfd, &ret->pressure);
                                close(dfd);
                        }
                }
        } else
                return 0;

        ret->percent = percent_of(ret->usage, ret->limit);
        ret->swap_percent = percent_of(ret->swap_usage, ret->swap_limit);
        return 0;
}

int cgroup_memory_collect(const RootFS *fs, CgroupMemory *ret)
{
        return collect_from(fs, "self/cgroup", ret);
}

int cgroup_memory_collect_pid(const RootFS *fs, int pid, CgroupMemory *ret)
{
        char path[32];
        if (pid <= 0)
                return collect_from(fs, "self/cgroup", ret);
        snprintf(path, sizeof path, "%d/cgroup", pid);
        return collect_from(fs, path, ret);
}
