/* SPDX-License-Identifier: MIT */
#include "collect/process.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "collect/passwd.h"
#include "util/fileio.h"
#include "util/parse.h"
#include "util/xalloc.h"

/* include/linux/sched.h: "I am a kernel thread". */
#define PF_KTHREAD 0x00200000u

/* A field ends at a blank or the end of the line: "1200-" is not 1200
 * followed by a field "-", which would shift every later field. */
static bool field_end(const char *p)
{
        return *p == ' ' || *p == '\n' || *p == '\0';
}

static int field_u64(const char **p, uint64_t *ret)
{
        int r = scan_u64(p, ret);
        return r < 0 ? r : field_end(*p) ? 0 : -EBADMSG;
}

static int field_i64(const char **p, int64_t *ret)
{
        int r = scan_i64(p, ret);
        return r < 0 ? r : field_end(*p) ? 0 : -EBADMSG;
}

/* A counter that overflows 64 bits is absent, not a reason to lose the
 * whole line. */
static int scan_counter(const char **p, uint64_t *ret)
{
        int r = field_u64(p, ret);
        if (r == -ERANGE) {
                *ret = U64_ABSENT;
                return scan_skip(p);
        }
        return r;
}

int pid_stat_parse(const char *buf, size_t len, PidStat *ret)
{
        PidStat s = { 0 };
        const char *p = buf;
        uint64_t v;
        int64_t sv;

        /* Field 1: pid. */
        if (field_u64(&p, &v) < 0 || v > INT32_MAX)
                return -EBADMSG;
        s.pid = (int)v;
        /* Field 2: (comm). Up to 15 bytes from the task, but a name can
         * contain ")" and " (", so the end is the last ')' in the file. */
        const char *open = strchr(p, '(');
        const char *close = memrchr(buf, ')', len);
        if (!open || !close || close < open)
                return -EBADMSG;
        size_t n = (size_t)(close - open - 1);
        if (n >= sizeof s.comm)
                n = sizeof s.comm - 1;
        memcpy(s.comm, open + 1, n);
        s.comm[n] = '\0';
        p = close + 1;
        /* Field 3: state (%c). */
        if (p[0] != ' ' || p[1] == '\0' || p[1] == ' ' || !field_end(p + 2))
                return -EBADMSG;
        s.state = p[1];
        p += 2;
        /* Field 4: ppid (%d). */
        if (field_i64(&p, &sv) < 0)
                return -EBADMSG;
        s.ppid = (int)sv;
        /* Fields 5-8: pgrp session tty_nr tpgid; 9 flags (%u); 10 minflt,
         * 11 cminflt, 12 majflt, 13 cmajflt. */
        for (int i = 0; i < 4; i++)
                if (scan_skip(&p) < 0)
                        return -EBADMSG;
        if (field_u64(&p, &s.flags) < 0)
                return -EBADMSG;
        if (scan_counter(&p, &s.minflt) < 0 || scan_skip(&p) < 0 || scan_counter(&p, &s.majflt) < 0 ||
            scan_skip(&p) < 0)
                return -EBADMSG;
        /* Fields 14, 15: utime, stime (%lu, clock ticks). */
        if (field_u64(&p, &s.utime_ticks) < 0 || field_u64(&p, &s.stime_ticks) < 0)
                return -EBADMSG;
        /* Fields 16-19: cutime cstime priority nice. */
        for (int i = 0; i < 4; i++)
                if (scan_skip(&p) < 0)
                        return -EBADMSG;
        /* Field 20: num_threads (%ld). */
        if (field_i64(&p, &s.num_threads) < 0)
                return -EBADMSG;
        /* Field 21: itrealvalue; 22: starttime (%llu, ticks after boot). */
        if (scan_skip(&p) < 0 || field_u64(&p, &s.starttime_ticks) < 0)
                return -EBADMSG;
        /* Field 23: vsize (bytes); 24: rss (pages). */
        if (field_u64(&p, &s.vsize_bytes) < 0 || field_u64(&p, &s.rss_pages) < 0)
                return -EBADMSG;
        *ret = s;
        return 0;
}

int pid_status_uid_parse(const char *buf, uid_t *ret)
{
        for (const char *line = buf; line; line = next_line(line)) {
                if (!startswith(line, "Uid:"))
                        continue;
                const char *p = line + 4;
                uint64_t v;
                if (scan_u64(&p, &v) < 0 || v > UINT32_MAX)
                        return -EBADMSG;
                *ret = (uid_t)v;
                return 0;
        }
        return -ENODATA;
}

static int parse_pid_name(const char *s)
{
        int pid = 0;
        if (*s < '1' || *s > '9')
                return -1;
        for (; *s; s++) {
                if (*s < '0' || *s > '9' || pid > 100000000)
                        return -1;
                pid = pid * 10 + (*s - '0');
        }
        return pid;
}

static int read_pid_stat(const RootFS *fs, int pid, PidStat *ret)
{
        char path[32], buf[1024];
        snprintf(path, sizeof path, "%d/stat", pid);
        ssize_t n = read_record_at(fs->proc_fd, path, buf, sizeof buf);
        if (n < 0)
                return (int)n;
        return pid_stat_parse(buf, (size_t)n, ret);
}

static int cmp_sample_pid(const void *a, const void *b)
{
        const PidSample *x = a, *y = b;
        return (x->pid > y->pid) - (x->pid < y->pid);
}

static const PidSample *find_pid(const ProcScan *scan, int pid)
{
        PidSample key = { .pid = pid };
        return bsearch(&key, scan->v, scan->n, sizeof *scan->v, cmp_sample_pid);
}

/* How many stat fds a scan may keep open: below the soft RLIMIT_NOFILE
 * (raised to the hard limit, which only affects this process), minus a
 * reserve for everything else, and capped because each open file costs
 * kernel memory (a struct file plus a seq_file page, ~5 KiB) charged to
 * our cgroup: measured +44-63 MiB at 10,000 kept fds. 1024 keeps it
 * under ~6 MiB for 100 ms while covering ordinary hosts entirely. */
#define KEEP_FDS_MAX 1024
#define KEEP_FDS_RESERVE 64

static size_t keep_fd_budget(void)
{
        struct rlimit rl;
        if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
                return 0;
        rlim_t want = KEEP_FDS_MAX + KEEP_FDS_RESERVE;
        if (rl.rlim_cur < want && rl.rlim_cur < rl.rlim_max) {
                rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
                (void)setrlimit(RLIMIT_NOFILE, &rl);
                (void)getrlimit(RLIMIT_NOFILE, &rl);
        }
        if (rl.rlim_cur <= KEEP_FDS_RESERVE)
                return 0;
        rlim_t budget = rl.rlim_cur - KEEP_FDS_RESERVE;
        return budget > KEEP_FDS_MAX ? KEEP_FDS_MAX : (size_t)budget;
}

/* Reads /proc/PID/stat, through prev's kept fd when there is one. With
 * keep, leaves the file open and returns its fd in *ret_fd. */
static int sample_pid(const RootFS *fs, int pid, const ProcScan *prev, bool keep, PidStat *ret,
                      int *ret_fd)
{
        char buf[1024];
        ssize_t n = -1;

        *ret_fd = -1;
        const PidSample *old = prev ? find_pid(prev, pid) : NULL;
        if (old && old->stat_fd >= 0) {
                /* seq_file regenerates the text for a read at offset 0. A
                 * failed pread means that task is gone (maybe its pid was
                 * reused): fall through to a fresh open. */
                n = pread(old->stat_fd, buf, sizeof buf - 1, 0);
                if (n >= 0)
                        buf[n] = '\0';
        }
        if (n < 0) {
                char path[32];
                snprintf(path, sizeof path, "%d/stat", pid);
                int fd = openat(fs->proc_fd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
                if (fd < 0)
                        return -errno;
                do
                        n = read(fd, buf, sizeof buf - 1);
                while (n < 0 && errno == EINTR);
                if (n < 0) {
                        int r = -errno;
                        close(fd);
                        return r;
                }
                if (keep)
                        *ret_fd = fd;
                else
                        close(fd);
                buf[n] = '\0';
        }
        int r = pid_stat_parse(buf, (size_t)n, ret);
        if (r < 0 && *ret_fd >= 0) {
                close(*ret_fd);
                *ret_fd = -1;
        }
        return r;
}

int proc_scan(const RootFS *fs, ProcScan *scan, bool keep_fds, const ProcScan *prev)
{
        scan->n = 0;
        scan->taken_usec = now_monotonic_usec();
        size_t budget = keep_fds ? keep_fd_budget() : 0;

        int dfd = openat(fs->proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return -errno;
        DIR *d = fdopendir(dfd);
        if (!d) {
                int r = -errno;
                close(dfd);
                return r;
        }
        bool sorted = true;
        struct dirent *de;
        while ((de = readdir(d))) {
                int pid = parse_pid_name(de->d_name);
                if (pid <= 0)
                        continue;
                PidStat st;
                int fd;
                /* ENOENT/ESRCH: it exited since readdir; EBADMSG: a malformed
                 * file (fixtures, or a future kernel) — skip that one. */
                if (sample_pid(fs, pid, prev, budget > 0, &st, &fd) < 0)
                        continue;
                if (fd >= 0)
                        budget--;
                if (scan->n == scan->cap) {
                        scan->cap = scan->cap ? scan->cap * 2 : 256;
                        scan->v = xreallocarray(scan->v, scan->cap, sizeof *scan->v);
                }
                if (scan->n && scan->v[scan->n - 1].pid > pid)
                        sorted = false;
                scan->v[scan->n++] = (PidSample){
                        .pid = pid,
                        .state = st.state,
                        .kernel_thread = (st.flags & PF_KTHREAD) != 0,
                        .num_threads = st.num_threads > INT32_MAX ? INT32_MAX : (int32_t)st.num_threads,
                        .stat_fd = fd,
                        .cpu_ticks = st.utime_ticks + st.stime_ticks,
                        .starttime_ticks = st.starttime_ticks,
                        .rss_pages = st.rss_pages,
                };
                snprintf(scan->v[scan->n - 1].comm, sizeof scan->v[0].comm, "%.15s", st.comm);
        }
        closedir(d);
        if (!sorted)
                qsort(scan->v, scan->n, sizeof *scan->v, cmp_sample_pid);
        return 0;
}

void proc_scan_done(ProcScan *scan)
{
        for (size_t i = 0; i < scan->n; i++) {
                if (scan->v[i].stat_fd >= 0)
                        close(scan->v[i].stat_fd);
                free(scan->v[i].long_name);
        }
        free(scan->v);
        scan->v = NULL;
        scan->n = scan->cap = 0;
        passwd_cache_done(&scan->users);
}

typedef struct Ranked {
        size_t idx;
        double cpu_percent;
} Ranked;

/* Keeps the best PROC_TOP_N in top[] (descending), insertion style: O(n)
 * for the common case where most processes do not qualify. */
static void rank_insert(Ranked *top, size_t *n_top, Ranked cand, const ProcScan *s, bool by_cpu)
{
#define BETTER(a, b)                                                                               \
        (by_cpu ? ((a).cpu_percent > (b).cpu_percent ||                                            \
                   ((a).cpu_percent == (b).cpu_percent &&                                          \
                    s->v[(a).idx].rss_pages > s->v[(b).idx].rss_pages))                            \
                : (s->v[(a).idx].rss_pages > s->v[(b).idx].rss_pages ||                            \
                   (s->v[(a).idx].rss_pages == s->v[(b).idx].rss_pages &&                          \
                    (a).cpu_percent > (b).cpu_percent)))
        if (*n_top == PROC_TOP_N && !BETTER(cand, top[PROC_TOP_N - 1]))
                return;
        size_t i = *n_top < PROC_TOP_N ? (*n_top)++ : PROC_TOP_N - 1;
        while (i > 0 && BETTER(cand, top[i - 1])) {
                top[i] = top[i - 1];
                i--;
        }
        top[i] = cand;
#undef BETTER
}

/* psutil's name(): the kernel cuts comm at 15 bytes; when it looks cut,
 * take the basename of argv[0] if it starts with comm. */
static void full_name(const RootFS *fs, int pid, const char *comm, char *out, size_t cap)
{
        snprintf(out, cap, "%s", comm);
        if (strlen(comm) < 15)
                return;
        char path[32], buf[4096];
        snprintf(path, sizeof path, "%d/cmdline", pid);
        ssize_t n = read_record_at(fs->proc_fd, path, buf, sizeof buf);
        if (n <= 0 && n != -EFBIG)
                return;
        const char *argv0 = buf; /* NUL-terminated by the first NUL separator */
        const char *base = strrchr(argv0, '/');
        base = base ? base + 1 : argv0;
        size_t blen = strlen(base);
        if (strncmp(base, comm, strlen(comm)) == 0) {
                if (blen >= cap)
                        blen = cap - 1;
                memcpy(out, base, blen);
                out[blen] = '\0';
        }
}

int pid_display_name(const RootFS *fs, int pid, char *out, size_t cap)
{
        PidStat st;
        int r = read_pid_stat(fs, pid, &st);
        if (r < 0)
                return r;
        full_name(fs, pid, st.comm, out, cap);
        return 0;
}

static int read_status_uid(const RootFS *fs, int pid, uid_t *ret)
{
        char path[32], buf[4096];
        snprintf(path, sizeof path, "%d/status", pid);
        ssize_t n = read_record_at(fs->proc_fd, path, buf, sizeof buf);
        if (n < 0 && n != -EFBIG)
                return (int)n;
        return pid_status_uid_parse(buf, ret);
}

void proc_scan_read_owners(const RootFS *fs, ProcScan *scan, size_t n)
{
        /* The n largest by RSS, one selection pass per slot: n is small. */
        for (size_t k = 0; k < n; k++) {
                PidSample *best = NULL;
                for (size_t i = 0; i < scan->n; i++) {
                        PidSample *ps = &scan->v[i];
                        if (ps->kernel_thread || ps->owner_read || ps->rss_pages == 0)
                                continue;
                        if (!best || ps->rss_pages > best->rss_pages)
                                best = ps;
                }
                if (!best)
                        return;
                uid_t uid;
                best->owner_read = true;
                /* A failed read is simply tried again after the window. */
                if (read_status_uid(fs, best->pid, &uid) == 0) {
                        best->has_uid = true;
                        best->uid = (uint32_t)uid;
                }
                char name[256];
                if (strlen(best->comm) >= 15 && pid_display_name(fs, best->pid, name, sizeof name) == 0)
                        best->long_name = xstrdup(name);
        }
        passwd_cache_load(fs, &scan->users);
}

static void fill_summary(const RootFS *fs, const PasswdCache *users, const ProcScan *before,
                         const PidSample *ps, double cpu_percent, uint64_t mem_total, ProcessSummary *o)
{
        static long page_size;
        if (!page_size)
                page_size = sysconf(_SC_PAGESIZE);

        memset(o, 0, sizeof *o);
        o->pid = ps->pid;
        o->state = proc_state_from_char(ps->state);
        o->cpu_percent = cpu_percent;
        o->rss_bytes = ps->rss_pages * (uint64_t)page_size;
        o->memory_percent = mem_total ? (double)o->rss_bytes / (double)mem_total * 100.0 : NAN;
        o->num_threads = ps->num_threads;

        /* Names under 15 bytes are whole; a 15-byte one may be cut (the
         * task comm limit) or be a kernel thread's longer stat name. */
        const PidSample *early = before ? find_pid(before, ps->pid) : NULL;
        if (early && early->starttime_ticks != ps->starttime_ticks)
                early = NULL; /* the pid is another process's now */
        PidStat st;
        if (early && early->long_name)
                snprintf(o->name, sizeof o->name, "%s", early->long_name);
        else if (strlen(ps->comm) < 15)
                snprintf(o->name, sizeof o->name, "%s", ps->comm);
        else if (read_pid_stat(fs, ps->pid, &st) == 0)
                full_name(fs, ps->pid, st.comm, o->name, sizeof o->name);
        else
                snprintf(o->name, sizeof o->name, "%s", ps->comm);

        /* Kernel threads run with the kernel's credentials: root, known
         * without generating their status file. */
        if (ps->kernel_thread) {
                o->uid = 0;
                o->has_uid = true;
                passwd_cache_name(users, o->uid, o->username, sizeof o->username);
                return;
        }
        if (early && early->has_uid) {
                o->uid = early->uid;
                o->has_uid = true;
        } else {
                o->has_uid = read_status_uid(fs, ps->pid, &o->uid) == 0;
        }
        if (o->has_uid)
                passwd_cache_name(users, o->uid, o->username, sizeof o->username);
}

int processes_summarize(const RootFS *fs, const ProcScan *before, const ProcScan *after,
                        uint64_t mem_total_bytes, ProcessInfo *ret)
{
        static long clk_tck;
        if (!clk_tck)
                clk_tck = sysconf(_SC_CLK_TCK);

        Ranked top_cpu[PROC_TOP_N], top_mem[PROC_TOP_N];
        size_t n_cpu = 0, n_mem = 0;
        double window_sec = before ? (double)(after->taken_usec - before->taken_usec) / 1e6 : 0;

        memset(ret, 0, sizeof *ret);
        ret->total = after->n;
        for (size_t i = 0; i < after->n; i++) {
                const PidSample *ps = &after->v[i];
                ret->status_counts[proc_state_from_char(ps->state)]++;
                ret->threads_total += (uint64_t)(ps->num_threads > 0 ? ps->num_threads : 0);

                double pct = 0.0;
                if (before && window_sec > 0) {
                        const PidSample *old = find_pid(before, ps->pid);
                        uint64_t delta = ps->cpu_ticks;
                        /* Same pid, same start time: the same process. A new
                         * (or reused) pid ran only inside the window. */
                        if (old && old->starttime_ticks == ps->starttime_ticks)
                                delta = ps->cpu_ticks >= old->cpu_ticks ? ps->cpu_ticks - old->cpu_ticks : 0;
                        pct = (double)delta / (double)clk_tck / window_sec * 100.0;
                }
                Ranked cand = { i, pct };
                rank_insert(top_cpu, &n_cpu, cand, after, true);
                rank_insert(top_mem, &n_mem, cand, after, false);
        }

        /* The user table read ahead with `before`, or read now. */
        PasswdCache own = { 0 };
        const PasswdCache *users = &own;
        if (before && before->users.loaded != 0)
                users = &before->users;
        else if (n_cpu + n_mem > 0)
                passwd_cache_load(fs, &own);
        for (size_t i = 0; i < n_cpu; i++)
                fill_summary(fs, users, before, &after->v[top_cpu[i].idx], top_cpu[i].cpu_percent,
                             mem_total_bytes, &ret->top_by_cpu[i]);
        for (size_t i = 0; i < n_mem; i++) {
                /* Most heavy processes are in both lists: read them once. */
                const ProcessSummary *same = NULL;
                for (size_t k = 0; k < n_cpu && !same; k++)
                        if (top_cpu[k].idx == top_mem[i].idx)
                                same = &ret->top_by_cpu[k];
                if (same)
                        ret->top_by_memory[i] = *same;
                else
                        fill_summary(fs, users, before, &after->v[top_mem[i].idx], top_mem[i].cpu_percent,
                                     mem_total_bytes, &ret->top_by_memory[i]);
        }
        ret->n_top_by_cpu = n_cpu;
        ret->n_top_by_memory = n_mem;
        passwd_cache_done(&own);
        return 0;
}
