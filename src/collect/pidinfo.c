/* SPDX-License-Identifier: MIT */
/* One process in depth. Reads, relative to an fd on <procfs>/PID (opened
 * once, so that every file describes the same process even if the PID is
 * reused meanwhile):
 *   stat, status, smaps_rollup, cmdline, environ (six names only),
 *   cwd (readlink), fd/N (readlink), task/TID/children,
 *   net/{tcp,tcp6,udp,udp6} (the process's own network namespace),
 *   oom_score, oom_score_adj,
 * and <procfs>/stat (btime), <procfs>/PPID/stat, <procfs>/PID/cgroup with
 * the memory cgroup it names (collect/cgroup), <rootfs>/etc/passwd. */
#include "collect/pidinfo.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "collect/cgroup.h"
#include "collect/cpu.h"
#include "collect/net.h"
#include "collect/passwd.h"
#include "collect/process.h"
#include "util/fileio.h"
#include "util/parse.h"
#include "util/xalloc.h"

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- "Key:   value" files (status, smaps_rollup) ------------------------- */

typedef enum KvType {
        KV_KB,  /* "N kB", stored as bytes */
        KV_U64, /* a plain number */
} KvType;

typedef struct KvField {
        const char *key;
        size_t off; /* of a uint64_t in the target struct */
        KvType type;
} KvField;

static bool is_blank(char c)
{
        return c == ' ' || c == '\t';
}

/* The value of one line (after the colon, up to eol); false if it is not
 * exactly what type says, or overflows. */
static bool kv_value(const char *p, const char *eol, KvType type, uint64_t *ret)
{
        uint64_t v = 0;
        size_t digits = 0;

        while (p < eol && is_blank(*p))
                p++;
        for (; p < eol && *p >= '0' && *p <= '9'; p++, digits++) {
                unsigned d = (unsigned)(*p - '0');
                if (v > (UINT64_MAX - d) / 10)
                        return false;
                v = v * 10 + d;
        }
        if (digits == 0)
                return false;
        if (type == KV_KB) {
                if (p >= eol || !is_blank(*p))
                        return false;
                while (p < eol && is_blank(*p))
                        p++;
                if (eol - p < 2 || p[0] != 'k' || p[1] != 'B')
                        return false;
                p += 2;
                if (v > UINT64_MAX / 1024)
                        return false;
                v *= 1024;
        }
        while (p < eol && (is_blank(*p) || *p == '\r'))
                p++;
        /* U64_ABSENT itself cannot be a value. */
        if (p != eol || v == U64_ABSENT)
                return false;
        *ret = v;
        return true;
}

/* Matches one line against fields; returns true if it set one. Values in
 * base start as U64_ABSENT; a set one is not overwritten (first wins). */
static bool kv_line(const char *line, const char *colon, const char *eol, const KvField *fields,
                    size_t n, void *base)
{
        size_t klen = (size_t)(colon - line);

        for (size_t i = 0; i < n; i++) {
                if (strlen(fields[i].key) != klen || memcmp(fields[i].key, line, klen) != 0)
                        continue;
                uint64_t *dst = (uint64_t *)(void *)((char *)base + fields[i].off);
                uint64_t v;
                if (*dst != U64_ABSENT || !kv_value(colon + 1, eol, fields[i].type, &v))
                        return false;
                *dst = v;
                return true;
        }
        return false;
}

/* ---- status -------------------------------------------------------------- */

static const KvField status_fields[] = {
        { "VmSize", offsetof(PidStatus, vm_size), KV_KB },
        { "VmRSS", offsetof(PidStatus, vm_rss), KV_KB },
        { "RssAnon", offsetof(PidStatus, rss_anon), KV_KB },
        { "RssFile", offsetof(PidStatus, rss_file), KV_KB },
        { "RssShmem", offsetof(PidStatus, rss_shmem), KV_KB },
        { "VmSwap", offsetof(PidStatus, vm_swap), KV_KB },
        { "Threads", offsetof(PidStatus, threads), KV_U64 },
        { "voluntary_ctxt_switches", offsetof(PidStatus, voluntary_ctxt_switches), KV_U64 },
        { "nonvoluntary_ctxt_switches", offsetof(PidStatus, nonvoluntary_ctxt_switches), KV_U64 },
};

static void status_init(PidStatus *s)
{
        memset(s, 0, sizeof *s);
        s->ppid = -1;
        for (size_t i = 0; i < ELEMENTSOF(status_fields); i++)
                *(uint64_t *)(void *)((char *)s + status_fields[i].off) = U64_ABSENT;
}

/* "Uid:\t1000\t1000\t1000\t1000": real, effective, saved, filesystem. */
static bool status_uids(const char *p, const char *eol, uid_t *real, uid_t *eff)
{
        uint64_t v[2];
        for (int i = 0; i < 2; i++) {
                while (p < eol && is_blank(*p))
                        p++;
                size_t digits = 0;
                v[i] = 0;
                for (; p < eol && *p >= '0' && *p <= '9'; p++, digits++) {
                        v[i] = v[i] * 10 + (uint64_t)(*p - '0');
                        if (v[i] > UINT32_MAX)
                                return false;
                }
                if (digits == 0 || (p < eol && !is_blank(*p)))
                        return false;
        }
        /* (uid_t)-1 is "no uid" in every interface. */
        if (v[0] == UINT32_MAX || v[1] == UINT32_MAX)
                return false;
        *real = (uid_t)v[0];
        *eff = (uid_t)v[1];
        return true;
}

int pid_status_parse(const char *buf, PidStatus *ret)
{
        PidStatus s;
        size_t found = 0;
        bool have_name = false;

        status_init(&s);
        for (const char *line = buf; line && *line; line = next_line(line)) {
                const char *eol = strchrnul(line, '\n');
                const char *colon = memchr(line, ':', (size_t)(eol - line));
                if (!colon)
                        continue;
                size_t klen = (size_t)(colon - line);
                const char *v = colon + 1;

                if (klen == 4 && memcmp(line, "Name", 4) == 0) {
                        if (have_name)
                                continue;
                        /* One tab, then the (escaped) name up to the newline. */
                        if (v < eol && *v == '\t')
                                v++;
                        size_t n = (size_t)(eol - v);
                        if (n >= sizeof s.name)
                                n = sizeof s.name - 1;
                        memcpy(s.name, v, n);
                        s.name[n] = '\0';
                        have_name = true;
                        found++;
                } else if (klen == 5 && memcmp(line, "State", 5) == 0) {
                        /* "State:\tS (sleeping)" */
                        while (v < eol && is_blank(*v))
                                v++;
                        if (s.state || v >= eol || !((*v >= 'A' && *v <= 'Z') || (*v >= 'a' && *v <= 'z')))
                                continue;
                        if (v + 1 < eol && !is_blank(v[1]))
                                continue;
                        s.state = *v;
                        found++;
                } else if (klen == 4 && memcmp(line, "PPid", 4) == 0) {
                        uint64_t pp;
                        if (s.ppid >= 0 || !kv_value(v, eol, KV_U64, &pp) || pp > INT32_MAX)
                                continue;
                        s.ppid = (int)pp;
                        found++;
                } else if (klen == 3 && memcmp(line, "Uid", 3) == 0) {
                        if (s.has_uid || !status_uids(v, eol, &s.uid_real, &s.uid_effective))
                                continue;
                        s.has_uid = true;
                        found++;
                } else if (kv_line(line, colon, eol, status_fields, ELEMENTSOF(status_fields), &s)) {
                        found++;
                }
        }
        if (found == 0)
                return -EBADMSG;
        *ret = s;
        return 0;
}

/* ---- smaps_rollup ---------------------------------------------------------- */

static const KvField smaps_fields[] = {
        { "Rss", offsetof(SmapsRollup, rss), KV_KB },
        { "Pss", offsetof(SmapsRollup, pss), KV_KB },
        { "Pss_Anon", offsetof(SmapsRollup, pss_anon), KV_KB },
        { "Pss_File", offsetof(SmapsRollup, pss_file), KV_KB },
        { "Pss_Shmem", offsetof(SmapsRollup, pss_shmem), KV_KB },
        { "Shared_Clean", offsetof(SmapsRollup, shared_clean), KV_KB },
        { "Shared_Dirty", offsetof(SmapsRollup, shared_dirty), KV_KB },
        { "Private_Clean", offsetof(SmapsRollup, private_clean), KV_KB },
        { "Private_Dirty", offsetof(SmapsRollup, private_dirty), KV_KB },
        { "Referenced", offsetof(SmapsRollup, referenced), KV_KB },
        { "Anonymous", offsetof(SmapsRollup, anonymous), KV_KB },
        { "LazyFree", offsetof(SmapsRollup, lazy_free), KV_KB },
        { "AnonHugePages", offsetof(SmapsRollup, anon_huge_pages), KV_KB },
        { "Swap", offsetof(SmapsRollup, swap), KV_KB },
        { "SwapPss", offsetof(SmapsRollup, swap_pss), KV_KB },
        { "Locked", offsetof(SmapsRollup, locked), KV_KB },
};

_Static_assert(ELEMENTSOF(smaps_fields) * sizeof(uint64_t) == sizeof(SmapsRollup),
               "every SmapsRollup field has a key");

/* "55b57cf2b000-7fff06cf2000 ---p 00000000 00:00 0      [rollup]": the
 * span of all mappings, then the pseudo-path "[rollup]". */
static bool smaps_header(const char *line, const char *eol)
{
        static const char tag[] = "[rollup]";
        const size_t tlen = sizeof tag - 1;
        const char *e = eol;

        if (line >= eol || !((*line >= '0' && *line <= '9') || (*line >= 'a' && *line <= 'f')))
                return false;
        while (e > line && (is_blank(e[-1]) || e[-1] == '\r'))
                e--;
        return (size_t)(e - line) > tlen && memcmp(e - tlen, tag, tlen) == 0 && is_blank(e[-(ptrdiff_t)tlen - 1]);
}

int smaps_rollup_parse(const char *buf, SmapsRollup *ret)
{
        SmapsRollup s;
        size_t found = 0;

        for (size_t i = 0; i < ELEMENTSOF(smaps_fields); i++)
                *(uint64_t *)(void *)((char *)&s + smaps_fields[i].off) = U64_ABSENT;
        if (*buf == '\0')
                return -ENODATA;
        const char *eol = strchrnul(buf, '\n');
        if (!smaps_header(buf, eol))
                return -EBADMSG;
        for (const char *line = next_line(buf); line && *line; line = next_line(line)) {
                eol = strchrnul(line, '\n');
                const char *colon = memchr(line, ':', (size_t)(eol - line));
                if (colon && kv_line(line, colon, eol, smaps_fields, ELEMENTSOF(smaps_fields), &s))
                        found++;
        }
        if (found == 0)
                return -EBADMSG;
        *ret = s;
        return 0;
}

/* ---- environ, cmdline, stat, fd links, children ----------------------------- */

static void env_reset(PidEnv *e)
{
        memset(e->set, 0, sizeof e->set);
        memset(e->truncated, 0, sizeof e->truncated);
        for (int i = 0; i < PID_ENV_N; i++)
                e->value[i][0] = '\0';
}

/* One "NAME=value" entry of n bytes (no NUL inside): kept only when NAME
 * is one of the allowed names and was not seen before. */
static void env_entry(const char *p, size_t n, PidEnv *e)
{
        const char *eq = memchr(p, '=', n);
        if (!eq)
                return;
        size_t klen = (size_t)(eq - p);
        for (int i = 0; i < PID_ENV_N; i++) {
                const char *name = pid_env_name(i);
                if (e->set[i] || strlen(name) != klen || memcmp(name, p, klen) != 0)
                        continue;
                size_t vlen = n - klen - 1;
                if (vlen >= PID_ENV_VALUE_MAX) {
                        vlen = PID_ENV_VALUE_MAX - 1;
                        e->truncated[i] = true;
                }
                memcpy(e->value[i], eq + 1, vlen);
                e->value[i][vlen] = '\0';
                e->set[i] = true;
                return;
        }
}

int pid_environ_parse(const char *buf, size_t len, PidEnv *ret)
{
        const char *p = buf, *end = buf + len;

        env_reset(ret);
        while (p < end) {
                const char *e = memchr(p, '\0', (size_t)(end - p));
                if (!e)
                        e = end;
                env_entry(p, (size_t)(e - p), ret);
                p = e + 1;
        }
        return 0;
}

/* Characters that need no quoting in a POSIX shell word; bytes >= 0x80
 * (UTF-8 names) are left alone too. */
static bool shell_safe(unsigned char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c >= 0x80 || strchr("@%+=:,./_-", c) != NULL;
}

typedef struct Out {
        char *p;
        size_t len, cap;
        bool full;
} Out;

/* Appends; once the text does not fit, it ends in "..." within cap. */
static void out_put(Out *o, const char *s, size_t n)
{
        if (o->full)
                return;
        if (o->len + n + 1 <= o->cap) {
                memcpy(o->p + o->len, s, n);
                o->len += n;
                return;
        }
        size_t keep = o->cap - 4;
        if (o->len > keep) {
                o->len = keep;
        } else {
                memcpy(o->p + o->len, s, keep - o->len);
                o->len = keep;
        }
        memcpy(o->p + o->len, "...", 3);
        o->len += 3;
        o->full = true;
}

int pid_cmdline_format(const char *buf, size_t len, char *out, size_t cap)
{
        if (cap < 8)
                return -EINVAL;
        out[0] = '\0';
        while (len > 0 && buf[len - 1] == '\0')
                len--;
        if (len == 0)
                return -ENODATA;

        Out o = { .p = out, .cap = cap };
        if (!memchr(buf, '\0', len)) {
                out_put(&o, buf, len);
                out[o.len] = '\0';
                return 0;
        }
        const char *p = buf, *end = buf + len;
        for (bool first = true; p <= end; first = false) {
                const char *e = memchr(p, '\0', (size_t)(end - p));
                if (!e)
                        e = end;
                size_t n = (size_t)(e - p);
                bool quote = n == 0;
                for (size_t i = 0; i < n && !quote; i++)
                        quote = !shell_safe((unsigned char)p[i]);
                if (!first)
                        out_put(&o, " ", 1);
                if (!quote) {
                        out_put(&o, p, n);
                } else {
                        out_put(&o, "'", 1);
                        for (const char *q = p; q < e; q++) {
                                const char *sq = memchr(q, '\'', (size_t)(e - q));
                                size_t run = sq ? (size_t)(sq - q) : (size_t)(e - q);
                                out_put(&o, q, run);
                                q += run;
                                if (q < e) /* at a quote: close, escaped quote, reopen */
                                        out_put(&o, "'\\''", 4);
                        }
                        out_put(&o, "'", 1);
                }
                p = e + 1;
        }
        out[o.len] = '\0';
        return 0;
}


static bool has_prefix(const char *s, size_t len, const char *prefix)
{
        size_t n = strlen(prefix);
        return len >= n && memcmp(s, prefix, n) == 0;
}

FdKind fd_kind_from_link(const char *link, size_t len, uint64_t *ret_inode)
{
        if (has_prefix(link, len, "socket:[")) {
                uint64_t v = 0;
                size_t i = 8, digits = 0;
                bool ok = true;
                for (; i < len && link[i] >= '0' && link[i] <= '9'; i++, digits++) {
                        unsigned d = (unsigned)(link[i] - '0');
                        if (v > (UINT64_MAX - d) / 10)
                                ok = false;
                        v = v * 10 + d;
                }
                if (ret_inode)
                        *ret_inode = ok && digits > 0 && i + 1 == len && link[i] == ']' ? v : U64_ABSENT;
                return FD_KIND_SOCKET;
        }
        if (has_prefix(link, len, "pipe:["))
                return FD_KIND_PIPE;
        if (has_prefix(link, len, "anon_inode:"))
                return FD_KIND_ANON_INODE;
        if (len > 0 && link[0] == '/')
                return FD_KIND_FILE;
        return FD_KIND_OTHER;
}

static int parse_pid_token(const char *s, size_t n)
{
        int pid = 0;
        if (n == 0 || n > 10 || s[0] < '1' || s[0] > '9')
                return -1;
        for (size_t i = 0; i < n; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return -1;
                if (pid > (INT32_MAX - 9) / 10)
                        return -1;
                pid = pid * 10 + (s[i] - '0');
        }
        return pid;
}

int pid_children_parse(const char *buf, int **pids, size_t *n, size_t *cap)
{
        const char *p = buf;
        for (;;) {
                while (*p == ' ' || *p == '\n' || *p == '\t')
                        p++;
                if (*p == '\0')
                        return 0;
                const char *s = p;
                while (*p && *p != ' ' && *p != '\n' && *p != '\t')
                        p++;
                int pid = parse_pid_token(s, (size_t)(p - s));
                if (pid < 0)
                        return -EBADMSG;
                if (*n == *cap) {
                        *cap = *cap ? *cap * 2 : 16;
                        *pids = xreallocarray(*pids, *cap, sizeof **pids);
                }
                (*pids)[(*n)++] = pid;
        }
}

/* ---- I/O helpers ------------------------------------------------------------ */

/* Opens <procfs>/PID as a directory; -ESRCH when it does not exist. */
static int open_pid_dir(const RootFS *fs, int pid)
{
        char name[16];
        if (pid <= 0)
                return -ESRCH;
        snprintf(name, sizeof name, "%d", pid);
        int fd = openat(fs->proc_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return errno == ENOENT || errno == ENOTDIR ? -ESRCH : -errno;
        return fd;
}

/* A file of a process that exited after we opened its directory reads as
 * ENOENT or ESRCH. */
static int gone_errno(int r)
{
        return r == -ENOENT || r == -ESRCH ? -ESRCH : r;
}

/* Reads a small file; a file larger than the buffer keeps its whole lines
 * (the cut last line is dropped, so no number is read half). */
static ssize_t read_lines_at(int dirfd, const char *path, char *buf, size_t cap)
{
        ssize_t n = read_file_at(dirfd, path, buf, cap);
        if (n == -EFBIG) {
                char *nl = strrchr(buf, '\n');
                if (nl)
                        nl[1] = '\0';
                else
                        buf[0] = '\0';
                n = (ssize_t)strlen(buf);
        }
        return n;
}

/* Counts the entries of an open fd/ directory with getdents64 into a stack
 * buffer (no DIR allocation) and classifies each by its link. Without
 * classify_all only the first bytes of each link are read (enough to tell
 * a socket); with collect_inodes the socket inodes are gathered (heap). */
typedef struct FdScan {
        uint64_t total;
        uint64_t by_kind[_FD_KIND_MAX];
        bool links_unreadable; /* by_kind is then incomplete */
        uint64_t *inodes; /* only when collect_inodes */
        size_t n_inodes, cap_inodes;
        bool collect_inodes;
} FdScan;

static int fd_dir_scan(int fdfd, bool classify_all, FdScan *ret)
{
        char buf[8192] __attribute__((aligned(8)));

        for (;;) {
                ssize_t n = getdents64(fdfd, buf, sizeof buf);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        return 0;
                for (ssize_t off = 0; off < n;) {
                        const struct dirent64 *de = (const struct dirent64 *)(void *)(buf + off);
                        off += de->d_reclen;
                        if (de->d_name[0] == '.')
                                continue;
                        /* Only "socket:[" is needed to tell a socket when
                         * the rest does not matter: readlink cuts quietly. */
                        char link[4096];
                        size_t want = classify_all ? sizeof link : 16;
                        ssize_t l = readlinkat(fdfd, de->d_name, link, want);
                        if (l < 0 && errno == ENOENT)
                                continue; /* closed meanwhile */
                        ret->total++;
                        if (l < 0) {
                                /* Listing fd/ and reading its links are
                                 * checked apart (ptrace access for links). */
                                ret->links_unreadable = true;
                                continue;
                        }
                        uint64_t inode = U64_ABSENT;
                        FdKind k = fd_kind_from_link(link, (size_t)l, &inode);
                        ret->by_kind[k]++;
                        if (k == FD_KIND_SOCKET && ret->collect_inodes && has_u64(inode)) {
                                if (ret->n_inodes == ret->cap_inodes) {
                                        ret->cap_inodes = ret->cap_inodes ? ret->cap_inodes * 2 : 32;
                                        ret->inodes = xreallocarray(ret->inodes, ret->cap_inodes,
                                                                    sizeof *ret->inodes);
                                }
                                ret->inodes[ret->n_inodes++] = inode;
                        }
                }
        }
}

/* ---- leak sampling ------------------------------------------------------------ */

int pid_resource_sample(const RootFS *fs, int pid, bool with_smaps, PidResourceSample *ret)
{
        PidResourceSample s = {
                .rss_bytes = U64_ABSENT, .anon_bytes = U64_ABSENT, .swap_bytes = U64_ABSENT,
                .uss_bytes = U64_ABSENT, .pss_bytes = U64_ABSENT, .threads = U64_ABSENT,
                .open_fds = U64_ABSENT, .sockets = U64_ABSENT,
                .minflt = U64_ABSENT, .majflt = U64_ABSENT,
        };
        /* status holds long Cpus_allowed / Mems_allowed lines on big hosts. */
        char buf[8192];
        PidStatus st;
        ssize_t n;
        int r;

        int dfd = open_pid_dir(fs, pid);
        if (dfd < 0)
                return dfd;
        s.t_usec = now_monotonic_usec();

        n = read_lines_at(dfd, "status", buf, sizeof buf);
        if (n < 0) {
                r = gone_errno((int)n);
                goto out;
        }
        if (pid_status_parse(buf, &st) < 0) {
                r = -EBADMSG;
                goto out;
        }
        /* A zombie has released its memory: for sampling it is gone. */
        if (st.state == 'Z' || st.state == 'X' || st.state == 'x') {
                r = -ESRCH;
                goto out;
        }
        s.rss_bytes = st.vm_rss;
        s.anon_bytes = st.rss_anon;
        s.swap_bytes = st.vm_swap;
        s.threads = st.threads;

        n = read_file_at(dfd, "stat", buf, 2048);
        PidStat ps;
        if (n >= 0 && pid_stat_parse(buf, (size_t)n, &ps) == 0) {
                s.minflt = ps.minflt;
                s.majflt = ps.majflt;
        }

        int fdfd = openat(dfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fdfd >= 0) {
                FdScan fsc = { 0 };
                if (fd_dir_scan(fdfd, false, &fsc) == 0) {
                        s.open_fds = fsc.total;
                        if (!fsc.links_unreadable)
                                s.sockets = fsc.by_kind[FD_KIND_SOCKET];
                }
                close(fdfd);
        }

        if (with_smaps) {
                SmapsRollup sm;
                n = read_lines_at(dfd, "smaps_rollup", buf, sizeof buf);
                if (n >= 0 && smaps_rollup_parse(buf, &sm) == 0) {
                        s.pss_bytes = sm.pss;
                        if (has_u64(sm.private_clean) && has_u64(sm.private_dirty))
                                s.uss_bytes = sm.private_clean + sm.private_dirty;
                }
        }
        *ret = s;
        r = 0;
out:
        close(dfd);
        return r;
}

/* ---- CPU ---------------------------------------------------------------------- */

static long clk_tck(void)
{
        static long tck;
        if (!tck)
                tck = sysconf(_SC_CLK_TCK);
        return tck > 0 ? tck : 100;
}

int pid_cpu_sample(const RootFS *fs, int pid, PidCpuSample *ret)
{
        char path[32], buf[2048];
        PidStat st;

        snprintf(path, sizeof path, "%d/stat", pid);
        usec_t t = now_monotonic_usec();
        ssize_t n = read_file_at(fs->proc_fd, path, buf, sizeof buf);
        if (n < 0)
                return gone_errno((int)n);
        int r = pid_stat_parse(buf, (size_t)n, &st);
        if (r < 0)
                return r;
        ret->t_usec = t;
        ret->ticks = st.utime_ticks + st.stime_ticks;
        ret->starttime_ticks = st.starttime_ticks;
        return 0;
}

double pid_cpu_percent(const PidCpuSample *before, const PidCpuSample *after)
{
        if (after->t_usec <= before->t_usec || after->starttime_ticks != before->starttime_ticks)
                return NAN;
        uint64_t d = after->ticks >= before->ticks ? after->ticks - before->ticks : 0;
        double sec = (double)(after->t_usec - before->t_usec) / 1e6;
        return (double)d / (double)clk_tck() / sec * 100.0;
}

/* ---- inspect -------------------------------------------------------------------- */

void process_detail_done(ProcessDetail *d)
{
        free(d->children);
        free(d->sockets);
        d->children = NULL;
        d->sockets = NULL;
        d->n_children = d->n_sockets = 0;
}

static void detail_init(ProcessDetail *d, int pid)
{
        memset(d, 0, sizeof *d);
        d->pid = pid;
        d->ppid = -1;
        d->start_time = NAN;
        d->cpu_percent = NAN;
        d->threads = U64_ABSENT;
        d->uss = U64_ABSENT;
        d->minflt = d->majflt = U64_ABSENT;
        d->n_fds = U64_ABSENT;
        for (int k = 0; k < _FD_KIND_MAX; k++)
                d->fds_by_kind[k] = U64_ABSENT;
        d->oom_score = U64_ABSENT;
        status_init(&d->status);
        cgroup_memory_init(&d->cgroup);
}

/* The comm of <procfs>/PID/stat, or "" */
static bool comm_of(const RootFS *fs, int pid, char *out, size_t cap)
{
        char path[32], buf[2048];
        PidStat st;
        snprintf(path, sizeof path, "%d/stat", pid);
        ssize_t n = read_file_at(fs->proc_fd, path, buf, sizeof buf);
        out[0] = '\0';
        if (n < 0 || pid_stat_parse(buf, (size_t)n, &st) < 0)
                return false;
        snprintf(out, cap, "%s", st.comm);
        return true;
}

static int cmp_int(const void *a, const void *b)
{
        int x = *(const int *)a, y = *(const int *)b;
        return (x > y) - (x < y);
}

static int cmp_u64(const void *a, const void *b)
{
        uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
        return (x > y) - (x < y);
}

/* Children from task/TID/children of every thread. false when no such
 * file could be read (CONFIG_PROC_CHILDREN off, or a fixture without). */
static bool children_from_tasks(int dfd, int **pids, size_t *n, size_t *cap)
{
        int tfd = openat(dfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (tfd < 0)
                return false;
        DIR *d = fdopendir(tfd);
        if (!d) {
                close(tfd);
                return false;
        }
        bool any = false;
        Buf b = { 0 };
        struct dirent *de;
        while ((de = readdir(d))) {
                int tid = parse_pid_token(de->d_name, strlen(de->d_name));
                if (tid < 0)
                        continue;
                char path[64];
                snprintf(path, sizeof path, "%d/children", tid);
                if (read_file_buf_at(dirfd(d), path, &b, 4 << 20) < 0)
                        continue;
                any = true;
                (void)pid_children_parse(b.data, pids, n, cap);
        }
        buf_free(&b);
        closedir(d);
        return any;
}

/* Fallback: every <procfs>/N/stat whose ppid is pid. */
static bool children_from_scan(const RootFS *fs, int pid, int **pids, size_t *n, size_t *cap)
{
        int pfd = openat(fs->proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (pfd < 0)
                return false;
        DIR *d = fdopendir(pfd);
        if (!d) {
                close(pfd);
                return false;
        }
        struct dirent *de;
        while ((de = readdir(d))) {
                int child = parse_pid_token(de->d_name, strlen(de->d_name));
                if (child <= 0 || child == pid)
                        continue;
                char path[32], buf[2048];
                PidStat st;
                snprintf(path, sizeof path, "%d/stat", child);
                ssize_t len = read_file_at(fs->proc_fd, path, buf, sizeof buf);
                if (len < 0 || pid_stat_parse(buf, (size_t)len, &st) < 0 || st.ppid != pid)
                        continue;
                if (*n == *cap) {
                        *cap = *cap ? *cap * 2 : 16;
                        *pids = xreallocarray(*pids, *cap, sizeof **pids);
                }
                (*pids)[(*n)++] = child;
        }
        closedir(d);
        return true;
}

static void read_children(const RootFS *fs, int dfd, int pid, ProcessDetail *d)
{
        int *pids = NULL;
        size_t n = 0, cap = 0;

        d->has_children = children_from_tasks(dfd, &pids, &n, &cap) ||
                          children_from_scan(fs, pid, &pids, &n, &cap);
        if (n > 0) {
                qsort(pids, n, sizeof *pids, cmp_int);
                d->children = xcalloc(n, sizeof *d->children);
                for (size_t i = 0; i < n; i++) {
                        if (i > 0 && pids[i] == pids[i - 1])
                                continue;
                        PidChild *c = &d->children[d->n_children++];
                        c->pid = pids[i];
                        comm_of(fs, pids[i], c->name, sizeof c->name);
                }
        }
        free(pids);
}

typedef struct SockMatch {
        const uint64_t *inodes; /* sorted */
        size_t n_inodes;
        const char *proto;
        bool udp;
        ProcessDetail *d;
        size_t cap;
} SockMatch;

static bool addr_is_zero(const uint8_t *a)
{
        for (int i = 0; i < 16; i++)
                if (a[i])
                        return false;
        return true;
}

static void sock_match_row(const NetSocketRow *row, void *userdata)
{
        SockMatch *m = userdata;
        if (m->n_inodes == 0 || !has_u64(row->inode) || row->inode == 0 ||
            !bsearch(&row->inode, m->inodes, m->n_inodes, sizeof *m->inodes, cmp_u64))
                return;
        ProcessDetail *d = m->d;
        if (d->n_sockets == m->cap) {
                m->cap = m->cap ? m->cap * 2 : 16;
                d->sockets = xreallocarray(d->sockets, m->cap, sizeof *d->sockets);
        }
        PidSocket *s = &d->sockets[d->n_sockets++];
        memset(s, 0, sizeof *s);
        snprintf(s->proto, sizeof s->proto, "%s", m->proto);
        net_socket_endpoint_format(row->family, row->local_addr, row->local_port, s->local);
        if (!addr_is_zero(row->remote_addr) || row->remote_port != 0)
                net_socket_endpoint_format(row->family, row->remote_addr, row->remote_port, s->remote);
        s->state = m->udp ? 0 : row->state;
        s->inode = row->inode;
}

static void read_fds_and_sockets(int dfd, ProcessDetail *d)
{
        static const struct {
                const char *path, *proto;
                bool udp;
        } tables[] = {
                { "net/tcp", "tcp", false },
                { "net/tcp6", "tcp6", false },
                { "net/udp", "udp", true },
                { "net/udp6", "udp6", true },
        };
        FdScan fsc = { .collect_inodes = true };

        int fdfd = openat(dfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fdfd < 0)
                return;
        int r = fd_dir_scan(fdfd, true, &fsc);
        close(fdfd);
        if (r < 0) {
                free(fsc.inodes);
                return;
        }
        d->has_fds = true;
        d->n_fds = fsc.total;
        if (fsc.links_unreadable) {
                /* The count is known, what the descriptors are is not. */
                free(fsc.inodes);
                return;
        }
        for (int k = 0; k < _FD_KIND_MAX; k++)
                d->fds_by_kind[k] = fsc.by_kind[k];

        if (fsc.n_inodes > 0)
                qsort(fsc.inodes, fsc.n_inodes, sizeof *fsc.inodes, cmp_u64);
        SockMatch m = { .inodes = fsc.inodes, .n_inodes = fsc.n_inodes, .d = d };
        char *chunk = xmalloc(64 * 1024);
        for (size_t i = 0; i < ELEMENTSOF(tables); i++) {
                m.proto = tables[i].proto;
                m.udp = tables[i].udp;
                /* Without socket fds there is nothing to match, but reading
                 * one table still tells whether sockets are knowable. */
                if (net_socket_rows_read(dfd, tables[i].path, chunk, 64 * 1024,
                                         sock_match_row, &m) == 0)
                        d->has_sockets = true;
                if (fsc.n_inodes == 0 && d->has_sockets)
                        break;
        }
        free(chunk);
        free(fsc.inodes);
}

static void read_oom(int dfd, ProcessDetail *d)
{
        char buf[64];
        uint64_t v;
        if (read_line_at(dfd, "oom_score", buf, sizeof buf) >= 0 && safe_atou64(buf, &v) == 0)
                d->oom_score = v;
        if (read_line_at(dfd, "oom_score_adj", buf, sizeof buf) >= 0) {
                const char *p = buf;
                int64_t adj;
                if (scan_i64(&p, &adj) == 0 && *p == '\0' && adj >= -1000 && adj <= 1000) {
                        d->oom_score_adj = (int)adj;
                        d->has_oom_score_adj = true;
                }
        }
}

/* Streams environ through a stack buffer, entry by entry, so that the
 * block (the process's secrets) is never copied to the heap, and wipes the
 * buffer afterwards. An entry longer than the buffer is cut (and only
 * matters if it is one of the allowed names). */
static void read_env(int dfd, ProcessDetail *d)
{
        char buf[16384];
        size_t have = 0;
        bool skipping = false, ok = true;

        /* Permission (ptrace read access) is checked when opening. */
        int fd = openat(dfd, "environ", O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return;
        env_reset(&d->env);
        for (;;) {
                ssize_t n = read(fd, buf + have, sizeof buf - have);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        ok = false;
                        break;
                }
                if (n == 0) {
                        if (have > 0 && !skipping)
                                env_entry(buf, have, &d->env);
                        break;
                }
                have += (size_t)n;
                char *start = buf, *z;
                while ((z = memchr(start, '\0', have - (size_t)(start - buf)))) {
                        if (!skipping)
                                env_entry(start, (size_t)(z - start), &d->env);
                        skipping = false;
                        start = z + 1;
                }
                have -= (size_t)(start - buf);
                if (have == sizeof buf) {
                        if (!skipping)
                                env_entry(buf, have, &d->env);
                        skipping = true;
                        have = 0;
                } else {
                        memmove(buf, start, have);
                }
        }
        explicit_bzero(buf, sizeof buf);
        close(fd);
        d->has_env = ok;
        if (!ok)
                env_reset(&d->env);
}

static void read_cmdline_and_name(int dfd, const char *comm, ProcessDetail *d)
{
        Buf b = { 0 };
        ssize_t n = read_file_buf_at(dfd, "cmdline", &b, 256 << 10);
        snprintf(d->name, sizeof d->name, "%s", comm);
        if ((n > 0 || n == -EFBIG) && pid_cmdline_format(b.data, b.len, d->cmdline, sizeof d->cmdline) == 0) {
                d->has_cmdline = true;
                /* psutil's name(): the kernel cuts comm at 15 bytes; when it
                 * looks cut, argv[0]'s basename that starts with it is the
                 * whole name. */
                if (strlen(comm) >= 15) {
                        const char *argv0 = b.data; /* ends at the first NUL */
                        size_t a0 = strnlen(argv0, b.len);
                        const char *base = memrchr(argv0, '/', a0);
                        base = base ? base + 1 : argv0;
                        size_t blen = a0 - (size_t)(base - argv0);
                        if (blen > strlen(comm) && blen < sizeof d->name &&
                            strncmp(base, comm, strlen(comm)) == 0) {
                                memcpy(d->name, base, blen);
                                d->name[blen] = '\0';
                        }
                }
        }
        buf_free(&b);
}

int pid_detail_read(const RootFS *fs, int pid, ProcessDetail *ret)
{
        char buf[8192];
        PidStat st;
        ssize_t n;
        int r;

        detail_init(ret, pid);
        int dfd = open_pid_dir(fs, pid);
        if (dfd < 0)
                return dfd;

        n = read_file_at(dfd, "stat", buf, 2048);
        if (n < 0) {
                r = gone_errno((int)n);
                goto out;
        }
        if ((r = pid_stat_parse(buf, (size_t)n, &st)) < 0)
                goto out;
        ret->state = st.state;
        ret->ppid = st.ppid;
        ret->threads = st.num_threads >= 0 ? (uint64_t)st.num_threads : U64_ABSENT;
        ret->minflt = st.minflt;
        ret->majflt = st.majflt;

        n = read_lines_at(dfd, "status", buf, sizeof buf);
        if (n >= 0 && pid_status_parse(buf, &ret->status) == 0) {
                ret->has_status = true;
                if (has_u64(ret->status.threads))
                        ret->threads = ret->status.threads;
                if (ret->status.has_uid) {
                        PasswdCache pw = { 0 };
                        ret->has_uid = true;
                        ret->uid = ret->status.uid_real;
                        ret->euid = ret->status.uid_effective;
                        passwd_name(fs, &pw, ret->uid, ret->user, sizeof ret->user);
                        passwd_cache_done(&pw);
                }
        }

        read_cmdline_and_name(dfd, st.comm, ret);

        n = readlinkat(dfd, "cwd", ret->cwd, sizeof ret->cwd - 1);
        if (n >= 0) {
                ret->cwd[n] = '\0';
                ret->has_cwd = true;
        } else {
                ret->cwd[0] = '\0';
        }

        ProcStat ps;
        if (proc_stat_read(fs, NULL, &ps) == 0) {
                if (has_u64(ps.btime))
                        ret->start_time = (double)ps.btime + (double)st.starttime_ticks / (double)clk_tck();
                proc_stat_done(&ps);
        }

        if (ret->ppid > 0)
                ret->has_parent = comm_of(fs, ret->ppid, ret->parent_name, sizeof ret->parent_name);
        read_children(fs, dfd, pid, ret);

        n = read_lines_at(dfd, "smaps_rollup", buf, sizeof buf);
        if (n >= 0 && smaps_rollup_parse(buf, &ret->smaps) == 0) {
                ret->has_smaps = true;
                if (has_u64(ret->smaps.private_clean) && has_u64(ret->smaps.private_dirty))
                        ret->uss = ret->smaps.private_clean + ret->smaps.private_dirty;
        }

        read_fds_and_sockets(dfd, ret);

        CgroupMemory cg;
        cgroup_memory_init(&cg);
        if (cgroup_memory_collect_pid(fs, pid, &cg) == 0 && cg.version != 0) {
                ret->cgroup = cg;
                ret->has_cgroup = true;
        }

        read_oom(dfd, ret);
        read_env(dfd, ret);
        r = 0;
out:
        close(dfd);
        return r;
}
