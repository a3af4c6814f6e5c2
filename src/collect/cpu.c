/* SPDX-License-Identifier: MIT */
#include "collect/cpu.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/psi.h"
#include "util/fileio.h"
#include "util/parse.h"
#include "util/xalloc.h"

/* "cpu  user nice system idle iowait irq softirq steal guest guest_nice".
 * Old kernels print fewer columns (iowait since 2.5.41, steal 2.6.11,
 * guest 2.6.24, guest_nice 2.6.33): missing trailing columns are 0, but
 * the first four are required. */
static int parse_cpu_times(const char *p, CpuTimes *ret)
{
        uint64_t v[10] = { 0 };
        int n = 0;

        while (n < 10) {
                int r = scan_u64(&p, &v[n]);
                if (r == -ERANGE)
                        return r;
                if (r < 0)
                        break;
                n++;
        }
        /* Fewer columns is an old kernel; anything else after the numbers
         * (junk, a sign, an eleventh garbage column) is a malformed line. */
        while (*p == ' ' || *p == '\t')
                p++;
        if (n < 4 || (*p != '\n' && *p != '\0' && n < 10))
                return -EBADMSG;
        *ret = (CpuTimes){ v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9] };
        return 0;
}

static void scan_keyed(const char *line, const char *key, uint64_t *ret)
{
        size_t n = strlen(key);
        if (strncmp(line, key, n) != 0 || line[n] != ' ')
                return;
        const char *p = line + n;
        uint64_t v;
        if (scan_u64(&p, &v) == 0)
                *ret = v;
}

int proc_stat_parse(const char *buf, ProcStat *ret)
{
        ProcStat s = {
                .btime = U64_ABSENT,
                .ctxt = U64_ABSENT,
                .intr = U64_ABSENT,
                .processes = U64_ABSENT,
                .procs_running = U64_ABSENT,
                .procs_blocked = U64_ABSENT,
        };
        bool have_total = false;
        size_t cap = 0;

        for (const char *line = buf; line; line = next_line(line)) {
                if (startswith(line, "cpu ")) {
                        have_total = parse_cpu_times(line + 4, &s.total) == 0;
                } else if (startswith(line, "cpu") && line[3] >= '0' && line[3] <= '9') {
                        const char *p = line + 3;
                        uint64_t id;
                        CpuTimes t;
                        if (scan_u64(&p, &id) < 0 || parse_cpu_times(p, &t) < 0)
                                continue;
                        if (s.n_cpu == cap) {
                                cap = cap ? cap * 2 : 8;
                                s.per_cpu = xreallocarray(s.per_cpu, cap, sizeof *s.per_cpu);
                        }
                        s.per_cpu[s.n_cpu++] = t;
                } else {
                        scan_keyed(line, "btime", &s.btime);
                        scan_keyed(line, "ctxt", &s.ctxt);
                        scan_keyed(line, "intr", &s.intr);
                        scan_keyed(line, "processes", &s.processes);
                        scan_keyed(line, "procs_running", &s.procs_running);
                        scan_keyed(line, "procs_blocked", &s.procs_blocked);
                }
        }
        if (!have_total) {
                free(s.per_cpu);
                return -EBADMSG;
        }
        *ret = s;
        return 0;
}

int proc_stat_read(const RootFS *fs, int *keep_fd, ProcStat *ret)
{
        /* /proc/stat grows with CPU count and interrupt lines: a 1024-CPU
         * machine prints several hundred KiB. Those take the slow path. */
        char small[8192];
        ssize_t n = -EBADF;
        if (keep_fd && *keep_fd >= 0) {
                n = pread_file(*keep_fd, small, sizeof small);
                if (n < 0) {
                        close(*keep_fd);
                        *keep_fd = -1;
                }
        }
        if (n < 0 && n != -EFBIG) {
                int fd = openat(fs->proc_fd, "stat", O_RDONLY | O_CLOEXEC | O_NOCTTY);
                if (fd < 0)
                        return -errno;
                n = pread_file(fd, small, sizeof small);
                if (keep_fd && n >= 0)
                        *keep_fd = fd;
                else
                        close(fd);
        }
        if (n >= 0)
                return proc_stat_parse(small, ret);
        if (n != -EFBIG)
                return (int)n;
        Buf b = { 0 };
        n = read_file_buf_at(fs->proc_fd, "stat", &b, 64 << 20);
        int r = n < 0 ? (int)n : proc_stat_parse(b.data, ret);
        buf_free(&b);
        return r;
}

int loadavg_parse(const char *buf, double *ret1, double *ret5, double *ret15)
{
        const char *p = buf;
        double a, b, c;
        int r;

        if ((r = scan_double(&p, &a)) < 0 || (r = scan_double(&p, &b)) < 0 ||
            (r = scan_double(&p, &c)) < 0)
                return r;
        if (a < 0 || b < 0 || c < 0)
                return -EBADMSG;
        *ret1 = a;
        *ret5 = b;
        *ret15 = c;
        return 0;
}

static uint64_t times_total(const CpuTimes *t)
{
        /* guest and guest_nice are already part of user and nice. */
        return t->user + t->nice + t->system + t->idle + t->iowait + t->irq + t->softirq + t->steal;
}

double cpu_times_busy_percent(const CpuTimes *before, const CpuTimes *after)
{
        uint64_t t0 = times_total(before), t1 = times_total(after);
        uint64_t idle0 = before->idle + before->iowait, idle1 = after->idle + after->iowait;

        if (t1 <= t0)
                return NAN;
        double total = (double)(t1 - t0);
        /* The idle counter of an offline-then-online CPU can go backwards. */
        double idle = idle1 >= idle0 ? (double)(idle1 - idle0) : 0.0;
        double busy = total - idle;
        if (busy < 0)
                busy = 0;
        double pct = busy / total * 100.0;
        return pct > 100.0 ? 100.0 : pct;
}

typedef struct CorePair {
        uint64_t package, core;
} CorePair;

int cpuinfo_parse(const char *buf, double *ret_mhz_avg, unsigned *ret_physical_cores)
{
        double mhz_sum = 0;
        unsigned mhz_n = 0;
        CorePair *pairs = NULL;
        size_t n_pairs = 0;
        uint64_t package = U64_ABSENT, core = U64_ABSENT;

        for (const char *line = buf; line; line = next_line(line)) {
                const char *colon = line_find(line, ':');
                if (!colon)
                        continue;
                const char *v = colon + 1;
                if (startswith(line, "cpu MHz")) {
                        double d;
                        if (scan_double(&v, &d) == 0 && d > 0) {
                                mhz_sum += d;
                                mhz_n++;
                        }
                } else if (startswith(line, "physical id")) {
                        if (scan_u64(&v, &package) < 0)
                                package = U64_ABSENT;
                } else if (startswith(line, "core id")) {
                        if (scan_u64(&v, &core) < 0)
                                core = U64_ABSENT;
                        if (has_u64(package) && has_u64(core)) {
                                bool seen = false;
                                for (size_t i = 0; i < n_pairs && !seen; i++)
                                        seen = pairs[i].package == package && pairs[i].core == core;
                                if (!seen) {
                                        pairs = xreallocarray(pairs, n_pairs + 1, sizeof *pairs);
                                        pairs[n_pairs++] = (CorePair){ package, core };
                                }
                        }
                }
        }
        free(pairs);
        *ret_mhz_avg = mhz_n ? mhz_sum / mhz_n : NAN;
        *ret_physical_cores = (unsigned)n_pairs;
        return mhz_n || n_pairs ? 0 : -ENODATA;
}

/* Physical cores = distinct core_cpus_list (thread_siblings_list on older
 * kernels) over all CPUs: SMT siblings share one list. */
static unsigned count_physical_sysfs(const RootFS *fs, unsigned n_logical)
{
        char (*seen)[64] = xcalloc(n_logical ? n_logical : 1, 64);
        unsigned n_seen = 0;

        for (unsigned cpu = 0; cpu < n_logical; cpu++) {
                char path[96], list[64];
                snprintf(path, sizeof path, "devices/system/cpu/cpu%u/topology/core_cpus_list", cpu);
                if (read_line_at(fs->sys_fd, path, list, sizeof list) < 0) {
                        snprintf(path, sizeof path,
                                 "devices/system/cpu/cpu%u/topology/thread_siblings_list", cpu);
                        if (read_line_at(fs->sys_fd, path, list, sizeof list) < 0)
                                continue;
                }
                bool dup = false;
                for (unsigned i = 0; i < n_seen && !dup; i++)
                        dup = strcmp(seen[i], list) == 0;
                if (!dup)
                        memcpy(seen[n_seen++], list, sizeof list);
        }
        free(seen);
        return n_seen;
}

static double read_khz_as_mhz(const RootFS *fs, const char *path)
{
        char buf[32];
        uint64_t khz;
        if (read_line_at(fs->sys_fd, path, buf, sizeof buf) < 0 || safe_atou64(buf, &khz) < 0)
                return NAN;
        return (double)khz / 1000.0;
}

/* Average current frequency over cpufreq policies. The hardware limits
 * (cpuinfo_min/max_freq) are the same for every policy on the machines we
 * know, so they are read once, from the first policy: a 128-CPU machine
 * then costs 130 reads instead of 384. */
static bool read_cpufreq(const RootFS *fs, CpuInfo *ret)
{
        int dfd = openat(fs->sys_fd, "devices/system/cpu/cpufreq", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return false;
        DIR *d = fdopendir(dfd);
        if (!d) {
                close(dfd);
                return false;
        }
        double cur_sum = 0;
        unsigned n = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
                if (!startswith(de->d_name, "policy"))
                        continue;
                char path[128];
                snprintf(path, sizeof path, "devices/system/cpu/cpufreq/%.32s/scaling_cur_freq", de->d_name);
                double cur = read_khz_as_mhz(fs, path);
                if (isnan(cur))
                        continue;
                cur_sum += cur;
                if (n++ == 0) {
                        snprintf(path, sizeof path, "devices/system/cpu/cpufreq/%.32s/cpuinfo_min_freq",
                                 de->d_name);
                        ret->freq_min_mhz = read_khz_as_mhz(fs, path);
                        snprintf(path, sizeof path, "devices/system/cpu/cpufreq/%.32s/cpuinfo_max_freq",
                                 de->d_name);
                        ret->freq_max_mhz = read_khz_as_mhz(fs, path);
                }
        }
        closedir(d);
        if (n == 0)
                return false;
        ret->freq_current_mhz = cur_sum / n;
        return true;
}

int cpu_collect_levels(const RootFS *fs, CpuInfo *ret)
{
        char buf[256];

        if (read_record_at(fs->proc_fd, "loadavg", buf, sizeof buf) >= 0)
                (void)loadavg_parse(buf, &ret->load1, &ret->load5, &ret->load15);

        /* Virtual machines often have no cpufreq driver; psutil falls back
         * to "cpu MHz" of /proc/cpuinfo too. Once cpuinfo is read, its
         * (physical id, core id) pairs give the physical cores for free;
         * otherwise cpu_collect() asks the sysfs topology, one file per CPU. */
        bool have_freq = read_cpufreq(fs, ret);
        if (!have_freq) {
                Buf b = { 0 };
                if (read_file_buf_at(fs->proc_fd, "cpuinfo", &b, 16 << 20) >= 0) {
                        double mhz;
                        unsigned phys;
                        if (cpuinfo_parse(b.data, &mhz, &phys) == 0) {
                                ret->freq_current_mhz = mhz;
                                ret->count_physical = phys;
                        }
                }
                buf_free(&b);
        }

        (void)psi_read(fs, "cpu", &ret->pressure);
        return 0;
}

int cpu_collect(const RootFS *fs, const ProcStat *before, const ProcStat *after, CpuInfo *ret)
{
        ret->count_logical = (unsigned)after->n_cpu;
        if (ret->count_logical == 0) {
                long n = sysconf(_SC_NPROCESSORS_ONLN);
                ret->count_logical = n > 0 ? (unsigned)n : 0;
        }
        ret->times = after->total;
        ret->has_times = true;
        ret->ctx_switches = after->ctxt;
        ret->interrupts = after->intr;

        if (before) {
                ret->percent = cpu_times_busy_percent(&before->total, &after->total);
                if (before->n_cpu == after->n_cpu && after->n_cpu > 0) {
                        ret->n_cores = after->n_cpu;
                        ret->percent_per_core = xcalloc(after->n_cpu, sizeof(double));
                        for (size_t i = 0; i < after->n_cpu; i++)
                                ret->percent_per_core[i] =
                                        cpu_times_busy_percent(&before->per_cpu[i], &after->per_cpu[i]);
                }
        }

        if (ret->count_physical == 0)
                ret->count_physical = count_physical_sysfs(fs, ret->count_logical);
        return 0;
}
