/* SPDX-License-Identifier: MIT */
/* One table of every pure parser of the project, shared by the libFuzzer
 * harness (tests/fuzz/fuzz-parsers.c) and the deterministic replay in the
 * unit tests (tests/unit/test-fuzz-replay.c).
 *
 * Each target takes a private heap buffer with buf[len] == '\0' (the input
 * may hold more NULs before that), calls its parser(s) and checks what the
 * header promises: the return value is 0 or an allowed -errno, and the
 * results obey simple invariants (strings terminated and in bounds, counts
 * consistent, numbers finite). A target returns 0 when everything holds,
 * or FUZZ_FAIL with a description in fuzz_msg. Memory errors are left to
 * ASan and UBSan.
 *
 * Everything here is static: the header is included by exactly one
 * translation unit per program. */
#pragma once
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utmp.h>

#include "collect/cgroup.h"
#include "collect/cpu.h"
#include "collect/disk.h"
#include "collect/memory.h"
#include "collect/net.h"
#include "collect/passwd.h"
#include "collect/process.h"
#include "collect/psi.h"
#include "collect/system.h"
#include "model/cpu.h"
#include "util/parse.h"
#include "util/utf8.h"

/* Inputs above this are rejected by the fuzzer (and skipped by nobody
 * else: the replay feeds files up to 256 KiB). */
#define FUZZ_MAX_INPUT (64 * 1024)
#define FUZZ_FAIL 1

typedef struct FuzzTarget {
        const char *name;
        int (*run)(const char *buf, size_t len);
} FuzzTarget;

static char fuzz_msg[512];

static int fuzz_fail(int line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fuzz_fail(int line, const char *fmt, ...)
{
        va_list ap;
        int n = snprintf(fuzz_msg, sizeof fuzz_msg, "fuzz-targets.h:%d: ", line);
        va_start(ap, fmt);
        vsnprintf(fuzz_msg + n, sizeof fuzz_msg - (size_t)n, fmt, ap);
        va_end(ap);
        return FUZZ_FAIL;
}

/* Both macros record only the first failure of a target in its local
 * "fail", so that the target still frees what it got. */
#define FZ_CHECK(cond)                                                                             \
        do {                                                                                       \
                if (!fail && !(cond))                                                              \
                        fail = fuzz_fail(__LINE__, "invariant failed: %s", #cond);                 \
        } while (0)

/* r must be 0 or minus one of the listed errno values; with no list, any
 * errno (1..4095) is accepted. */
#define FZ_RET(fn, r, ...) fz_ret(&fail, __LINE__, fn, r, (const int[]){ __VA_ARGS__ 0 })
#define ERRS(...) __VA_ARGS__,

static bool fz_ret(int *fail, int line, const char *fn, int r, const int *allowed)
{
        if (r == 0)
                return true;
        bool ok = r < 0 && r >= -4095;
        if (ok && allowed[0] != 0) {
                ok = false;
                for (const int *a = allowed; *a; a++)
                        ok = ok || r == -*a;
        }
        if (!ok && !*fail)
                *fail = fuzz_fail(line, "%s returned %d, outside its contract", fn, r);
        return false;
}

/* Is s (n bytes) a NUL-terminated string of fewer than cap bytes? */
static bool fz_terminated(const char *s, size_t cap)
{
        return memchr(s, '\0', cap) != NULL;
}

/* Independent UTF-8 validator (RFC 3629): no NUL, no overlongs, no
 * surrogates, nothing above U+10FFFF. */
static bool fz_utf8_valid(const char *s, size_t len)
{
        const unsigned char *p = (const unsigned char *)s;
        size_t i = 0;

        while (i < len) {
                unsigned c = p[i], need;
                uint32_t cp, min;
                if (c == 0)
                        return false;
                if (c < 0x80) {
                        i++;
                        continue;
                }
                if ((c & 0xe0) == 0xc0) {
                        need = 1, cp = c & 0x1f, min = 0x80;
                } else if ((c & 0xf0) == 0xe0) {
                        need = 2, cp = c & 0x0f, min = 0x800;
                } else if ((c & 0xf8) == 0xf0) {
                        need = 3, cp = c & 0x07, min = 0x10000;
                } else {
                        return false;
                }
                if (len - i <= need)
                        return false;
                for (unsigned k = 1; k <= need; k++) {
                        if ((p[i + k] & 0xc0) != 0x80)
                                return false;
                        cp = cp << 6 | (p[i + k] & 0x3f);
                }
                if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
                        return false;
                i += need + 1;
        }
        return true;
}

/* ---- util/parse.h --------------------------------------------------------- */

static int fz_keyed_u64(const char *buf, size_t len)
{
        static const char *const keys[] = {
                "pswpin", "pswpout", "oom_kill", "anon", "file", "cache", "rss",
                "low", "max", "oom_kill_disable", "under_oom", "total_rss", "a",
        };
        enum { N = sizeof keys / sizeof keys[0] };
        uint64_t v[N];
        int fail = 0;
        (void)len;

        size_t found = keyed_u64_parse(buf, keys, N, v);
        size_t present = 0;
        for (size_t i = 0; i < N; i++)
                present += v[i] != UINT64_MAX;
        FZ_CHECK(found <= N);
        FZ_CHECK(found == present);
        return fail;
}

/* The cursor scanners: from every token start, each scanner either
 * fails leaving the cursor alone, or consumes at least one byte and stops
 * inside the string. Plus the whole-string and line helpers. */
static int fz_scan(const char *buf, size_t len)
{
        const char *end = buf + strlen(buf);
        const char *p = buf;
        int fail = 0;
        (void)len;

        while (*p && !fail) {
                const char *q;
                uint64_t u;
                int64_t i;
                double d;
                int r;

                q = p;
                r = scan_u64(&q, &u);
                if (FZ_RET("scan_u64", r, ERRS(EINVAL, ERANGE)))
                        FZ_CHECK(q > p && q <= end && !(*q >= '0' && *q <= '9'));
                else
                        FZ_CHECK(q == p);
                q = p;
                r = scan_i64(&q, &i);
                if (FZ_RET("scan_i64", r, ERRS(EINVAL, ERANGE)))
                        FZ_CHECK(q > p && q <= end && !(*q >= '0' && *q <= '9'));
                else
                        FZ_CHECK(q == p);
                q = p;
                r = scan_double(&q, &d);
                if (FZ_RET("scan_double", r, ERRS(EINVAL, ERANGE)))
                        FZ_CHECK(q > p && q <= end && isfinite(d));
                else
                        FZ_CHECK(q == p);
                q = p;
                r = scan_skip(&q);
                if (FZ_RET("scan_skip", r, ERRS(EINVAL))) {
                        FZ_CHECK(q > p && q <= end);
                        p = q > p ? q : p + 1; /* the next token */
                } else {
                        FZ_CHECK(q == p);
                        /* Past the blanks and the end of line that stopped it. */
                        while (*p == ' ' || *p == '\t')
                                p++;
                        if (*p)
                                p++;
                }
        }

        uint64_t u;
        double d;
        if (FZ_RET("safe_atou64", safe_atou64(buf, &u), ERRS(EINVAL, ERANGE))) {
                /* Digits only (leading zeros allowed), same value as libc. */
                FZ_CHECK(strspn(buf, "0123456789") == (size_t)(end - buf));
                errno = 0;
                FZ_CHECK(strtoull(buf, NULL, 10) == u && errno == 0);
        }
        if (FZ_RET("safe_atod", safe_atod(buf, &d), ERRS(EINVAL, ERANGE)))
                FZ_CHECK(isfinite(d));

        size_t lines = 0;
        for (const char *l = next_line(buf); l && !fail; l = next_line(l)) {
                FZ_CHECK(l > buf && l < end && l[-1] == '\n' && *l != '\0');
                lines++;
        }
        FZ_CHECK(lines <= (size_t)(end - buf));
        FZ_CHECK(startswith(buf, "cpu") == (strncmp(buf, "cpu", 3) == 0));
        FZ_CHECK(startswith(buf, ""));
        return fail;
}

/* ---- util/utf8.h ------------------------------------------------------------ */

static int fz_utf8(const char *buf, size_t len)
{
        /* Worst case: every input byte becomes a 3-byte U+FFFD. */
        size_t cap = len * 3 + 1 < 4 ? 4 : len * 3 + 1;
        char *out = malloc(cap), *again = malloc(cap);
        char small[4];
        int fail = 0;

        if (!out || !again)
                abort();
        size_t n = utf8_sanitize(buf, len, out, cap);
        FZ_CHECK(n < cap && out[n] == '\0' && strlen(out) == n);
        FZ_CHECK(fz_utf8_valid(out, n));
        /* Nothing was dropped, and valid text passes unchanged. */
        FZ_CHECK(n >= len);
        if (fz_utf8_valid(buf, len))
                FZ_CHECK(n == len && memcmp(out, buf, len) == 0);
        /* Idempotent. */
        size_t n2 = utf8_sanitize(out, n, again, cap);
        FZ_CHECK(n2 == n && memcmp(out, again, n) == 0);
        /* Smallest allowed buffer: a prefix of the full output. */
        size_t ns = utf8_sanitize(buf, len, small, sizeof small);
        FZ_CHECK(ns < sizeof small && small[ns] == '\0' && ns <= n &&
                 memcmp(small, out, ns) == 0);
        free(out);
        free(again);
        return fail;
}

/* ---- collect/psi.h ---------------------------------------------------------- */

static bool fz_psi_line_ok(const PsiLine *l)
{
        return isfinite(l->avg10) && isfinite(l->avg60) && isfinite(l->avg300) &&
               l->avg10 >= 0 && l->avg60 >= 0 && l->avg300 >= 0;
}

static int fz_psi(const char *buf, size_t len)
{
        Psi psi;
        int fail = 0;
        (void)len;

        if (FZ_RET("psi_parse", psi_parse(buf, &psi), ERRS(EBADMSG))) {
                FZ_CHECK(psi.has_some || psi.has_full);
                FZ_CHECK(!psi.has_some || fz_psi_line_ok(&psi.some));
                FZ_CHECK(!psi.has_full || fz_psi_line_ok(&psi.full));
        }
        return fail;
}

/* ---- collect/cpu.h ---------------------------------------------------------- */

static int fz_proc_stat(const char *buf, size_t len)
{
        ProcStat s;
        int fail = 0;
        (void)len;

        if (FZ_RET("proc_stat_parse", proc_stat_parse(buf, &s))) {
                FZ_CHECK(s.n_cpu == 0 || s.per_cpu != NULL);
                /* The percent of any two samples is NAN or within 0..100. */
                for (size_t i = 0; i + 1 < s.n_cpu && i < 64; i++) {
                        double pct = cpu_times_busy_percent(&s.per_cpu[i], &s.per_cpu[i + 1]);
                        FZ_CHECK(isnan(pct) || (pct >= 0 && pct <= 100));
                }
                double pct = cpu_times_busy_percent(&s.total, &s.total);
                FZ_CHECK(isnan(pct));
                proc_stat_done(&s);
        }
        return fail;
}

static int fz_loadavg(const char *buf, size_t len)
{
        double a = -1, b = -1, c = -1;
        int fail = 0;
        (void)len;

        if (FZ_RET("loadavg_parse", loadavg_parse(buf, &a, &b, &c)))
                FZ_CHECK(isfinite(a) && isfinite(b) && isfinite(c) && a >= 0 && b >= 0 && c >= 0);
        return fail;
}

static int fz_cpuinfo(const char *buf, size_t len)
{
        double mhz = 0;
        unsigned cores = 0;
        int fail = 0;
        (void)len;

        if (FZ_RET("cpuinfo_parse", cpuinfo_parse(buf, &mhz, &cores)))
                FZ_CHECK(isnan(mhz) || (isfinite(mhz) && mhz > 0));
        return fail;
}

/* ---- collect/memory.h ------------------------------------------------------- */

static int fz_meminfo(const char *buf, size_t len)
{
        MemInfo mi;
        int fail = 0;
        (void)len;

        if (FZ_RET("meminfo_parse", meminfo_parse(buf, &mi), ERRS(EBADMSG))) {
                VirtualMemory v;
                SwapMemory s = { 0 };
                FZ_CHECK(has_u64(mi.value[MEM_MemTotal]));
                memory_derive(&mi, &v, &s);
                FZ_CHECK(v.available <= v.total && v.percent >= 0 && v.percent <= 100);
                FZ_CHECK(s.free <= s.total && s.percent >= 0 && s.percent <= 100);
        }
        return fail;
}

/* ---- collect/process.h ------------------------------------------------------ */

static int fz_pid_stat(const char *buf, size_t len)
{
        PidStat s;
        int fail = 0;

        if (FZ_RET("pid_stat_parse", pid_stat_parse(buf, len, &s), ERRS(EBADMSG, ERANGE))) {
                FZ_CHECK(s.pid >= 0 && fz_terminated(s.comm, sizeof s.comm));
                FZ_CHECK(s.state != '\0' && s.state != ' ');
        }
        return fail;
}

static int fz_pid_status_uid(const char *buf, size_t len)
{
        uid_t uid;
        int fail = 0;
        (void)len;

        FZ_RET("pid_status_uid_parse", pid_status_uid_parse(buf, &uid));
        return fail;
}

/* ---- collect/passwd.h ------------------------------------------------------- */

static int fz_passwd(const char *buf, size_t len)
{
        /* Each call walks the whole file: a few (uid, buffer size) pairs. */
        static const struct {
                uid_t uid;
                size_t cap;
        } q[] = { { 0, 256 }, { 1000, 1 }, { 65534, 8 } };
        char out[256];
        int fail = 0;
        (void)len;

        for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
                memset(out, 'X', sizeof out);
                int r = passwd_find_name(buf, q[i].uid, out, q[i].cap);
                if (!FZ_RET("passwd_find_name", r, ERRS(ENOENT)))
                        continue;
                FZ_CHECK(fz_terminated(out, q[i].cap));
                FZ_CHECK(!strchr(out, ':') && !strchr(out, '\n'));
        }
        return fail;
}

/* ---- collect/system.h ------------------------------------------------------- */

static int fz_uptime(const char *buf, size_t len)
{
        double up = -1;
        int fail = 0;
        (void)len;

        if (FZ_RET("uptime_parse", uptime_parse(buf, &up)))
                FZ_CHECK(isfinite(up) && up >= 0);
        return fail;
}

static int fz_utmp_one(const char *buf, size_t len)
{
        LoggedInUser *u = NULL;
        size_t n = 0;
        int fail = 0;

        if (FZ_RET("utmp_parse", utmp_parse(buf, len, &u, &n), ERRS(EBADMSG))) {
                FZ_CHECK((n == 0) == (u == NULL));
                for (size_t i = 0; i < n; i++) {
                        FZ_CHECK(fz_terminated(u[i].name, sizeof u[i].name) && u[i].name[0]);
                        FZ_CHECK(fz_terminated(u[i].terminal, sizeof u[i].terminal));
                        FZ_CHECK(fz_terminated(u[i].host, sizeof u[i].host));
                }
                free(u);
        } else {
                FZ_CHECK(len % sizeof(struct utmp) != 0);
        }
        return fail;
}

/* utmp records are 384 bytes (glibc, 64-bit): also parse the largest
 * whole-record prefix, so that random lengths still reach the decoder. */
static int fz_utmp(const char *buf, size_t len)
{
        int r = fz_utmp_one(buf, len);
        if (r == 0 && len % sizeof(struct utmp) != 0)
                r = fz_utmp_one(buf, len - len % sizeof(struct utmp));
        return r;
}

/* ---- collect/net.h ---------------------------------------------------------- */

static int fz_net_dev(const char *buf, size_t len)
{
        NetDevEntry *v = NULL;
        size_t n = 0;
        int fail = 0;
        (void)len;

        if (FZ_RET("net_dev_parse", net_dev_parse(buf, &v, &n), ERRS(EBADMSG, ERANGE))) {
                FZ_CHECK((n == 0) == (v == NULL));
                for (size_t i = 0; i < n; i++) {
                        FZ_CHECK(fz_terminated(v[i].name, sizeof v[i].name) && v[i].name[0]);
                        FZ_CHECK(!strchr(v[i].name, '/') && strcmp(v[i].name, ".") != 0 &&
                                 strcmp(v[i].name, "..") != 0);
                }
                free(v);
        }
        return fail;
}

static int fz_net_sockets(const char *buf, size_t len)
{
        NetSockCounts c;
        int fail = 0;
        (void)len;

        if (FZ_RET("net_sockets_parse", net_sockets_parse(buf, &c), ERRS(EBADMSG, ERANGE))) {
                uint64_t sum = 0;
                for (int s = 0; s < _TCP_STATE_MAX; s++)
                        sum += c.state[s];
                FZ_CHECK(sum == c.total && c.state[0] == 0 && c.state[TCP_STATE_NEW_SYN_RECV] == 0);
        }
        return fail;
}

static int fz_net_sockstat(const char *buf, size_t len)
{
        static const char *const q[][2] = {
                { "TCP", "inuse" }, { "TCP", "tw" }, { "UDP", "inuse" }, { "TCP6", "inuse" },
                { "UDP6", "inuse" }, { "sockets", "used" },
        };
        int fail = 0;
        (void)len;

        for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
                uint64_t v;
                FZ_RET("net_sockstat_parse", net_sockstat_parse(buf, q[i][0], q[i][1], &v),
                       ERRS(ENODATA, EBADMSG));
        }
        return fail;
}

static int fz_net_snmp_tcp(const char *buf, size_t len)
{
        static const char *const keys[] = { "CurrEstab", "MaxConn", "RtoAlgorithm", "InCsumErrors" };
        int fail = 0;
        (void)len;

        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
                uint64_t v;
                if (FZ_RET("net_snmp_tcp_parse", net_snmp_tcp_parse(buf, keys[i], &v)))
                        FZ_CHECK(v <= INT64_MAX);
        }
        return fail;
}

/* ---- collect/disk.h --------------------------------------------------------- */

static int fz_disk_filesystems(const char *buf, size_t len)
{
        DiskFsTypes t;
        int fail = 0;
        (void)len;

        if (FZ_RET("disk_parse_filesystems", disk_parse_filesystems(buf, &t), ERRS(EBADMSG))) {
                for (size_t i = 0; i < t.n; i++) {
                        const char *s = t.names[i];
                        FZ_CHECK(s[0] && strlen(s) < 32 && !strpbrk(s, " \t\n"));
                        FZ_CHECK(disk_fstype_is_real(&t, s));
                }
                disk_fs_types_done(&t);
        }
        /* The built-in deny list, on the whole text as one type name. */
        (void)disk_fstype_is_real(NULL, buf);
        (void)disk_name_is_virtual(buf);
        return fail;
}

static int fz_mountinfo_one(const char *buf, const DiskFsTypes *real)
{
        DiskPartition *p = NULL;
        size_t n = 0;
        int fail = 0;

        if (FZ_RET("disk_parse_mountinfo", disk_parse_mountinfo(buf, real, &p, &n), ERRS(EBADMSG))) {
                for (size_t i = 0; i < n; i++) {
                        FZ_CHECK(p[i].device && p[i].mountpoint && p[i].options);
                        FZ_CHECK(fz_terminated(p[i].fstype, sizeof p[i].fstype));
                        FZ_CHECK(disk_fstype_is_real(real, p[i].fstype));
                        FZ_CHECK(!p[i].has_usage);
                        for (size_t k = 0; k < i && k < 64; k++)
                                FZ_CHECK(p[k].major != p[i].major || p[k].minor != p[i].minor);
                }
                disk_partitions_free(p, n);
        }
        return fail;
}

static int fz_disk_mountinfo(const char *buf, size_t len)
{
        static char ext4[] = "ext4", xfs[] = "xfs", vfat[] = "vfat";
        static char *names[] = { ext4, xfs, vfat };
        const DiskFsTypes real = { names, 3 };
        (void)len;

        int r = fz_mountinfo_one(buf, NULL);
        return r ? r : fz_mountinfo_one(buf, &real);
}

static int fz_disk_diskstats(const char *buf, size_t len)
{
        DiskDevice *d = NULL;
        size_t n = 0;
        int fail = 0;
        (void)len;

        if (FZ_RET("disk_parse_diskstats", disk_parse_diskstats(buf, &d, &n))) {
                FZ_CHECK((n == 0) == (d == NULL));
                for (size_t i = 0; i < n; i++)
                        FZ_CHECK(d[i].name[0] && fz_terminated(d[i].name, sizeof d[i].name));
                DiskIoCounters sum;
                disk_io_sum(d, n, &sum);
                for (size_t i = 0; i < n && i < 64; i++)
                        (void)disk_name_is_partition_heuristic(d, n, d[i].name);
                free(d);
        }
        return fail;
}

/* ---- collect/cgroup.h ------------------------------------------------------- */

static int fz_cgroup_self(const char *buf, size_t len)
{
        CgroupSelf s;
        int fail = 0;
        (void)len;

        int r = cgroup_self_parse(buf, &s);
        FZ_RET("cgroup_self_parse", r, ERRS(EBADMSG));
        FZ_CHECK(fz_terminated(s.unified_path, sizeof s.unified_path));
        FZ_CHECK(fz_terminated(s.memory_path, sizeof s.memory_path));
        FZ_CHECK(fz_terminated(s.memory_controllers, sizeof s.memory_controllers));
        FZ_CHECK(s.has_unified ? s.unified_path[0] == '/' : s.unified_path[0] == '\0');
        FZ_CHECK(s.has_memory ? s.memory_path[0] == '/' : s.memory_path[0] == '\0');
        FZ_CHECK(r == 0 || (!s.has_unified && !s.has_memory));
        return fail;
}

static int fz_cgroup_value(const char *buf, size_t len)
{
        uint64_t v;
        int fail = 0;
        (void)len;

        if (FZ_RET("cgroup_value_parse", cgroup_value_parse(buf, &v), ERRS(EBADMSG, ERANGE)))
                FZ_CHECK(cgroup_limit_normalize(v) == v || cgroup_limit_normalize(v) == U64_ABSENT);
        return fail;
}

static int fz_cgroup_controllers(const char *buf, size_t len)
{
        static const char *const names[] = { "memory", "cpu", "io", "pids", "" };
        int fail = 0;
        (void)len;

        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
                bool has = cgroup_controllers_has(buf, names[i]);
                FZ_CHECK(!has || (names[i][0] && strstr(buf, names[i])));
        }
        return fail;
}

static const FuzzTarget fuzz_targets[] = {
        { "keyed_u64", fz_keyed_u64 },
        { "scan", fz_scan },
        { "utf8", fz_utf8 },
        { "psi", fz_psi },
        { "proc_stat", fz_proc_stat },
        { "loadavg", fz_loadavg },
        { "cpuinfo", fz_cpuinfo },
        { "meminfo", fz_meminfo },
        { "pid_stat", fz_pid_stat },
        { "pid_status_uid", fz_pid_status_uid },
        { "passwd", fz_passwd },
        { "uptime", fz_uptime },
        { "utmp", fz_utmp },
        { "net_dev", fz_net_dev },
        { "net_sockets", fz_net_sockets },
        { "net_sockstat", fz_net_sockstat },
        { "net_snmp_tcp", fz_net_snmp_tcp },
        { "disk_filesystems", fz_disk_filesystems },
        { "disk_mountinfo", fz_disk_mountinfo },
        { "disk_diskstats", fz_disk_diskstats },
        { "cgroup_self", fz_cgroup_self },
        { "cgroup_value", fz_cgroup_value },
        { "cgroup_controllers", fz_cgroup_controllers },
};

#define FUZZ_N_TARGETS (sizeof fuzz_targets / sizeof fuzz_targets[0])

static const FuzzTarget *fuzz_target_find(const char *name)
{
        for (size_t i = 0; i < FUZZ_N_TARGETS; i++)
                if (strcmp(fuzz_targets[i].name, name) == 0)
                        return &fuzz_targets[i];
        return NULL;
}

/* Runs one target over a private exact-size copy of data, so that ASan
 * sees any read past buf[len]. */
static int fuzz_run(const FuzzTarget *t, const void *data, size_t len)
{
        char *buf = malloc(len + 1);
        if (!buf)
                abort();
        if (len)
                memcpy(buf, data, len);
        buf[len] = '\0';
        fuzz_msg[0] = '\0';
        int r = t->run(buf, len);
        free(buf);
        return r;
}
