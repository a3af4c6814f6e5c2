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
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <utmp.h>

#include "collect/cgroup.h"
#include "collect/cpu.h"
#include "collect/disk.h"
#include "collect/memory.h"
#include "collect/net.h"
#include "analyze/kmsg-lines.h"
#include "analyze/leak.h"
#include "analyze/oom.h"
#include "analyze/trend.h"
#include "collect/passwd.h"
#include "collect/pidinfo.h"
#include "collect/process.h"
#include "collect/psi.h"
#include <linux/rtnetlink.h>

#include "collect/rtnl.h"
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
        /* Fixed cost of one call beyond its input, in input bytes (about
         * 7 ns each under ASan): decoders with 64 KiB buffers, a memfd.
         * The replay counts it against its work caps. */
        unsigned overhead;
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

/* Field k of a stat line counted from the state (0), when every field up
 * to it is plain text separated by single spaces: the state one letter,
 * the others -?[0-9]+, so that any scanner splits it the
 * same way. (The scanners stop at the first non-digit without wanting a
 * blank: "1200-" reads as 1200 and a field "-", which shifts the rest.) */
static bool fz_stat_field(const char *buf, size_t len, unsigned k, const char **ret, size_t *ret_n)
{
        const char *close = memrchr(buf, ')', len), *end = buf + len;
        if (!close || close + 1 >= end || close[1] != ' ')
                return false;
        const char *p = close + 2;
        for (unsigned i = 0;; i++) {
                const char *e = p;
                if (i == 0) { /* %c: one byte, whatever follows */
                        if (e < end && ((*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z')))
                                e++;
                } else {
                        if (e < end && *e == '-')
                                e++;
                        const char *digits = e;
                        while (e < end && *e >= '0' && *e <= '9')
                                e++;
                        if (e == digits)
                                return false;
                }
                if (e == p || (e < end && *e != ' ' && *e != '\n'))
                        return false;
                if (i == k) {
                        *ret = p;
                        *ret_n = (size_t)(e - p);
                        return true;
                }
                if (e >= end || *e != ' ')
                        return false;
                p = e + 1;
        }
}

/* The page fault counters (fields 10 and 12) against an independent
 * decimal reading: the value, or U64_ABSENT when it overflows. */
static bool fz_stat_counter_ok(const char *buf, size_t len, unsigned k, uint64_t got)
{
        const char *f;
        size_t n;
        if (!fz_stat_field(buf, len, k, &f, &n) || strspn(f, "0123456789") < n)
                return true;
        uint64_t v = 0;
        for (size_t i = 0; i < n; i++) {
                unsigned d = (unsigned)(f[i] - '0');
                if (v > (UINT64_MAX - d) / 10)
                        return got == U64_ABSENT;
                v = v * 10 + d;
        }
        return got == v;
}

static int fz_pid_stat(const char *buf, size_t len)
{
        PidStat s;
        int fail = 0;

        if (FZ_RET("pid_stat_parse", pid_stat_parse(buf, len, &s), ERRS(EBADMSG, ERANGE))) {
                FZ_CHECK(s.pid >= 0 && fz_terminated(s.comm, sizeof s.comm));
                FZ_CHECK(s.state != '\0' && s.state != ' ');
                /* Fields 10 and 12 are 7 and 9 after the state (field 3). */
                FZ_CHECK(fz_stat_counter_ok(buf, len, 7, s.minflt));
                FZ_CHECK(fz_stat_counter_ok(buf, len, 9, s.majflt));
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

/* One rtnetlink message: the input is the message, its nlmsg_len forced
 * to the input's length (the receive loop guarantees that much) and its
 * type to RTM_NEWADDR when it was that or odd, else RTM_NEWLINK. */
static int fz_rtnl(const char *buf, size_t len)
{
        int fail = 0;
        if (len < sizeof(struct nlmsghdr) || len > UINT32_MAX)
                return 0;
        struct nlmsghdr *h = malloc(len);
        if (!h)
                return 0;
        memcpy(h, buf, len);
        h->nlmsg_len = (uint32_t)len;
        h->nlmsg_type = h->nlmsg_type == RTM_NEWADDR || h->nlmsg_type % 2 ? RTM_NEWADDR : RTM_NEWLINK;
        if (h->nlmsg_type == RTM_NEWLINK) {
                RtnlLink l;
                if (FZ_RET("rtnl_link_parse", rtnl_link_parse(h, &l), ERRS(EBADMSG))) {
                        FZ_CHECK(fz_terminated(l.name, sizeof l.name) && l.name[0]);
                        FZ_CHECK(fz_terminated(l.hwaddr, sizeof l.hwaddr));
                        FZ_CHECK(fz_terminated(l.broadcast, sizeof l.broadcast));
                        FZ_CHECK(l.mtu >= -1);
                        NetAddress pa;
                        if (rtnl_link_packet_address(&l, &pa))
                                FZ_CHECK(fz_terminated(pa.address, sizeof pa.address) && pa.address[0]);
                }
        } else {
                RtnlAddr a;
                if (FZ_RET("rtnl_addr_parse", rtnl_addr_parse(h, &a), ERRS(EBADMSG))) {
                        FZ_CHECK(fz_terminated(a.addr.address, sizeof a.addr.address));
                        FZ_CHECK(fz_terminated(a.addr.netmask, sizeof a.addr.netmask));
                        FZ_CHECK(fz_terminated(a.addr.broadcast, sizeof a.addr.broadcast));
                        FZ_CHECK(fz_terminated(a.addr.family, sizeof a.addr.family));
                }
        }
        free(h);
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

/* ---- collect/pidinfo.h ------------------------------------------------------ */

static bool fz_kb_ok(uint64_t v)
{
        return v == U64_ABSENT || v % 1024 == 0;
}

static int fz_pid_status(const char *buf, size_t len)
{
        PidStatus s;
        int fail = 0;
        (void)len;

        memset(&s, 0x5a, sizeof s);
        if (FZ_RET("pid_status_parse", pid_status_parse(buf, &s), ERRS(EBADMSG))) {
                FZ_CHECK(fz_terminated(s.name, sizeof s.name) && !strchr(s.name, '\n'));
                FZ_CHECK(s.state == '\0' || (s.state >= 'A' && s.state <= 'Z') ||
                         (s.state >= 'a' && s.state <= 'z'));
                FZ_CHECK(s.ppid >= -1);
                FZ_CHECK(!s.has_uid || (s.uid_real != (uid_t)-1 && s.uid_effective != (uid_t)-1));
                FZ_CHECK(fz_kb_ok(s.vm_size) && fz_kb_ok(s.vm_rss) && fz_kb_ok(s.rss_anon) &&
                         fz_kb_ok(s.rss_file) && fz_kb_ok(s.rss_shmem) && fz_kb_ok(s.vm_swap));
        }
        return fail;
}

static int fz_smaps_rollup(const char *buf, size_t len)
{
        SmapsRollup s;
        int fail = 0;
        (void)len;

        if (FZ_RET("smaps_rollup_parse", smaps_rollup_parse(buf, &s), ERRS(ENODATA, EBADMSG))) {
                const uint64_t *v = (const uint64_t *)(const void *)&s;
                size_t present = 0;
                for (size_t i = 0; i < sizeof s / sizeof *v; i++) {
                        FZ_CHECK(fz_kb_ok(v[i]));
                        present += v[i] != U64_ABSENT;
                }
                FZ_CHECK(present > 0 && buf[0] != '\0');
        }
        return fail;
}

/* The first "name=..." entry of an environ block, found independently:
 * its value and length, or NULL. */
static const char *fz_env_find(const char *buf, size_t len, const char *name, size_t *ret_n)
{
        size_t nl = strlen(name);
        for (const char *p = buf, *end = buf + len; p < end;) {
                const char *e = memchr(p, '\0', (size_t)(end - p));
                if (!e)
                        e = end;
                if ((size_t)(e - p) > nl && memcmp(p, name, nl) == 0 && p[nl] == '=') {
                        *ret_n = (size_t)(e - p) - nl - 1;
                        return p + nl + 1;
                }
                p = e + 1;
        }
        return NULL;
}

/* Only the six allowed names are ever copied out: the result must be
 * exactly their first values, and nothing may be written past each
 * value's terminator (a sentinel fill shows it). */
static int fz_pid_environ(const char *buf, size_t len)
{
        static PidEnv e; /* 24 KiB */
        int fail = 0;

        memset(&e, 0xa5, sizeof e);
        FZ_CHECK(pid_environ_parse(buf, len, &e) == 0);
        for (int i = 0; i < PID_ENV_N && !fail; i++) {
                size_t n = 0;
                const char *v = fz_env_find(buf, len, pid_env_name(i), &n);
                FZ_CHECK(e.set[i] == (v != NULL));
                FZ_CHECK(fz_terminated(e.value[i], sizeof e.value[i]));
                size_t got = strnlen(e.value[i], sizeof e.value[i]);
                if (!v) {
                        FZ_CHECK(got == 0 && !e.truncated[i]);
                        continue;
                }
                size_t want = n < PID_ENV_VALUE_MAX ? n : PID_ENV_VALUE_MAX - 1;
                FZ_CHECK(e.truncated[i] == (n >= PID_ENV_VALUE_MAX));
                FZ_CHECK(got == want && memcmp(e.value[i], v, want) == 0);
                for (size_t k = want + 1; k < sizeof e.value[i] && !fail; k++)
                        FZ_CHECK((unsigned char)e.value[i][k] == 0xa5);
        }
        return fail;
}

static int fz_pid_cmdline(const char *buf, size_t len)
{
        static const size_t caps[] = { 8, 9, 13, 64, 4096 };
        char out[4096];
        int fail = 0;

        size_t trimmed = len;
        while (trimmed > 0 && buf[trimmed - 1] == '\0')
                trimmed--;
        FZ_CHECK(pid_cmdline_format(buf, len, out, 7) == -EINVAL);
        /* Room for everything: an argument byte becomes at most 4 ('\''),
         * plus two quotes and a space per argument. */
        size_t full_cap = 8 * len + 16;
        char *full = malloc(full_cap);
        if (!full)
                abort();
        int r = pid_cmdline_format(buf, len, full, full_cap);
        size_t full_n = 0;
        if (FZ_RET("pid_cmdline_format", r, ERRS(ENODATA))) {
                full_n = strnlen(full, full_cap);
                FZ_CHECK(trimmed > 0 && full_n > 0 && full_n < full_cap - 1);
                if (!memchr(buf, '\0', trimmed)) /* one argument: verbatim */
                        FZ_CHECK(full_n == trimmed && memcmp(full, buf, trimmed) == 0);
        } else {
                FZ_CHECK(trimmed == 0 && full[0] == '\0');
        }
        /* Smaller buffers: the same text, or its first cap - 4 bytes and "...". */
        for (size_t i = 0; i < sizeof caps / sizeof caps[0] && !fail; i++) {
                size_t cap = caps[i];
                memset(out, 'X', sizeof out);
                FZ_CHECK(pid_cmdline_format(buf, len, out, cap) == r);
                FZ_CHECK(fz_terminated(out, cap));
                size_t n = strnlen(out, cap);
                if (full_n < cap)
                        FZ_CHECK(n == full_n && memcmp(out, full, n) == 0);
                else
                        FZ_CHECK(n == cap - 1 && memcmp(out, full, cap - 4) == 0 &&
                                 memcmp(out + cap - 4, "...", 3) == 0);
        }
        free(full);
        return fail;
}

static int fz_pid_children(const char *buf, size_t len)
{
        int *pids = NULL;
        size_t n = 0, cap = 0;
        int fail = 0;
        (void)len;

        /* Appends: run twice, the second time after what the first kept. */
        for (int round = 0; round < 2; round++) {
                size_t before = n;
                int r = pid_children_parse(buf, &pids, &n, &cap);
                FZ_RET("pid_children_parse", r, ERRS(EBADMSG));
                FZ_CHECK(n >= before && n <= cap && (n == 0 || pids));
                for (size_t i = before; i < n; i++)
                        FZ_CHECK(pids[i] > 0);
                if (round == 1) /* the same input: the same PIDs again */
                        FZ_CHECK(n == 2 * before &&
                                 (n == 0 || memcmp(pids, pids + before, before * sizeof *pids) == 0));
        }
        free(pids);
        return fail;
}

static int fz_fd_kind_one(const char *link, size_t len)
{
        int fail = 0;
        uint64_t inode = 12345;

        FdKind k = fd_kind_from_link(link, len, &inode);
        FZ_CHECK(k >= FD_KIND_FILE && k < _FD_KIND_MAX);
        FZ_CHECK(fd_kind_from_link(link, len, NULL) == k);
        if (k != FD_KIND_SOCKET) {
                FZ_CHECK(inode == 12345);
        } else if (inode != U64_ABSENT) {
                /* Exactly "socket:[N]": digits only (leading zeros are
                 * fine), their value without overflow. */
                uint64_t v = 0;
                bool ok = len > 9 && link[len - 1] == ']';
                for (size_t i = 8; ok && i + 1 < len; i++) {
                        unsigned d = (unsigned)(link[i] - '0');
                        ok = link[i] >= '0' && link[i] <= '9' && v <= (UINT64_MAX - d) / 10;
                        v = v * 10 + d;
                }
                FZ_CHECK(ok && v == inode);
        }
        return fail;
}

/* The whole input as one link target, and every line of it. The link is
 * not NUL-terminated: each is copied to an exact-size buffer. */
static int fz_fd_kind(const char *buf, size_t len)
{
        int r = 0;
        for (const char *p = buf, *end = buf + len; p <= end && !r;) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
                char *copy = malloc(n ? n : 1);
                if (!copy)
                        abort();
                memcpy(copy, p, n);
                r = fz_fd_kind_one(copy, n);
                free(copy);
                if (!nl)
                        break;
                p = nl + 1;
        }
        if (!r && memchr(buf, '\n', len)) {
                char *copy = malloc(len ? len : 1);
                if (!copy)
                        abort();
                memcpy(copy, buf, len);
                r = fz_fd_kind_one(copy, len);
                free(copy);
        }
        return r;
}

/* ---- collect/net.h: socket rows ------------------------------------------- */

static bool fz_socket_row_ok(const NetSocketRow *row)
{
        char ep[NET_ENDPOINT_MAX];
        bool ok = (row->family == AF_INET || row->family == AF_INET6) &&
                  row->state >= TCP_STATE_ESTABLISHED && row->state < _TCP_STATE_MAX;
        memset(ep, 'X', sizeof ep);
        net_socket_endpoint_format(row->family, row->local_addr, row->local_port, ep);
        ok = ok && fz_terminated(ep, sizeof ep);
        memset(ep, 'X', sizeof ep);
        net_socket_endpoint_format(row->family, row->remote_addr, row->remote_port, ep);
        return ok && fz_terminated(ep, sizeof ep);
}

static int fz_net_socket_row_one(const char *line, size_t n)
{
        NetSocketRow row;
        int fail = 0;

        /* Exact size, no terminator: ASan sees a read at or past end. */
        char *copy = malloc(n ? n : 1);
        if (!copy)
                abort();
        memcpy(copy, line, n);
        if (FZ_RET("net_socket_row_parse", net_socket_row_parse(copy, copy + n, &row),
                   ERRS(EBADMSG, ERANGE)))
                FZ_CHECK(fz_socket_row_ok(&row));
        free(copy);
        return fail;
}

static int fz_net_socket_row(const char *buf, size_t len)
{
        int r = fz_net_socket_row_one(buf, len);
        for (const char *p = buf, *end = buf + len; p < end && !r;) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                if (!nl)
                        break; /* the last line: the whole input above when alone */
                r = fz_net_socket_row_one(p, (size_t)(nl - p));
                p = nl + 1;
                if (!r && p < end && !memchr(p, '\n', (size_t)(end - p)))
                        r = fz_net_socket_row_one(p, (size_t)(end - p));
        }
        return r;
}

typedef struct FzRows {
        size_t n, bad;
        uint64_t hash;
} FzRows;

static void fz_rows_fn(const NetSocketRow *row, void *userdata)
{
        FzRows *c = userdata;
        c->n++;
        c->bad += !fz_socket_row_ok(row);
        const unsigned char *b = (const unsigned char *)row;
        uint64_t h = c->hash ^ c->n;
        /* The row has padding: hash the fields, not the bytes. */
        for (size_t i = 0; i < 16; i++)
                h = (h ^ b[offsetof(NetSocketRow, local_addr) + i] ^
                     (uint64_t)b[offsetof(NetSocketRow, remote_addr) + i] << 8) * 0x100000001b3ULL;
        h = (h ^ (uint64_t)row->family ^ (uint64_t)row->state << 8 ^ row->local_port ^
             (uint64_t)row->remote_port << 16) * 0x100000001b3ULL;
        h = (h ^ row->uid) * 0x100000001b3ULL;
        c->hash = (h ^ row->inode) * 0x100000001b3ULL;
}

/* A memfd holding the input, for the chunked reader. */
static int fz_memfd(const char *buf, size_t len, char path[static 64])
{
        static int fd = -1;
        if (fd < 0)
                fd = memfd_create("fuzz-rows", MFD_CLOEXEC);
        if (fd < 0 || ftruncate(fd, 0) < 0 || pwrite(fd, buf, len, 0) != (ssize_t)len)
                return -1;
        snprintf(path, 64, "/proc/self/fd/%d", fd);
        return 0;
}

/* The whole-text parser; the counting parser must see the same rows, and
 * the chunked file reader (small buffers, so lines straddle chunks) the
 * same rows and result whenever the text has no NUL and every line fits
 * its buffer. */
static int fz_net_socket_rows(const char *buf, size_t len)
{
        FzRows c = { 0 };
        NetSockCounts counts;
        int fail = 0;

        int r = net_socket_rows_parse(buf, fz_rows_fn, &c);
        if (FZ_RET("net_socket_rows_parse", r, ERRS(EBADMSG, ERANGE)))
                FZ_CHECK(net_sockets_parse(buf, &counts) == 0 && counts.total == c.n);
        else
                FZ_CHECK(c.n == 0);
        FZ_CHECK(c.bad == 0);

        size_t longest = 0;
        for (const char *p = buf, *end = buf + len; p < end;) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
                longest = n > longest ? n : longest;
                p += n + 1;
        }
        static const size_t caps[] = { 97, 160, 4096 };
        char path[64];
        if (fail || strlen(buf) != len || fz_memfd(buf, len, path) < 0)
                return fail;
        for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
                char *chunk = malloc(caps[i]);
                FzRows cc = { 0 };
                if (!chunk)
                        abort();
                int rc = net_socket_rows_read(AT_FDCWD, path, chunk, caps[i], fz_rows_fn, &cc);
                free(chunk);
                FZ_RET("net_socket_rows_read", rc, ERRS(EBADMSG, ERANGE));
                FZ_CHECK(cc.bad == 0);
                if (longest < caps[i])
                        FZ_CHECK(rc == r && cc.n == c.n && cc.hash == c.hash);
        }
        return fail;
}

/* ---- analyze/kmsg-lines.h --------------------------------------------------- */

typedef struct FzLog {
        int fail;
        size_t lines, stop_at;
        uint64_t max_line_no;
        uint64_t hash;
} FzLog;

static int fz_log_line(const LogLine *l, void *userdata)
{
        FzLog *c = userdata;
        int fail = c->fail;

        FZ_CHECK(l->msg && l->msg_len <= LOG_MSG_MAX && l->msg[l->msg_len] == '\0' &&
                 !memchr(l->msg, '\0', l->msg_len));
        FZ_CHECK(l->format >= LOG_FMT_BARE && l->format < LOG_FMT_COUNT_);
        FZ_CHECK(l->level >= -1 && l->level <= 7);
        FZ_CHECK(l->wall && strlen(l->wall) < 4096 && l->boot_id && strlen(l->boot_id) < 4096);
        FZ_CHECK(l->line_no >= 1 && l->line_no <= c->max_line_no);
        FZ_CHECK(strcmp(log_format_name(l->format), "") != 0);
        c->fail = fail;

        uint64_t h = c->hash ^ l->line_no;
        for (size_t i = 0; i < l->msg_len; i++)
                h = (h ^ (unsigned char)l->msg[i]) * 0x100000001b3ULL;
        h = (h ^ (uint64_t)l->format ^ (uint64_t)l->kernel << 8 ^ (uint64_t)l->continuation << 9 ^
             (uint64_t)(l->level + 1) << 10) * 0x100000001b3ULL;
        h = (h ^ l->seq) * 0x100000001b3ULL;
        h = (h ^ l->mono_usec) * 0x100000001b3ULL;
        c->hash = (h ^ l->realtime_usec) * 0x100000001b3ULL;
        c->lines++;
        return c->stop_at && c->lines == c->stop_at ? 7 : 0;
}

/* Feeds buf in pieces at the given cut points (ascending), then flushes. */
static int fz_log_decode(const char *buf, size_t len, const size_t *cuts, size_t n_cuts, FzLog *c)
{
        LogDecoder *d = log_decoder_new();
        size_t at = 0;
        int r = 0;

        if (!d)
                abort();
        for (size_t i = 0; i <= n_cuts && r == 0; i++) {
                size_t to = i < n_cuts ? cuts[i] : len;
                r = log_decoder_feed(d, buf + at, to - at, fz_log_line, c);
                at = to;
        }
        if (r == 0)
                r = log_decoder_flush(d, fz_log_line, c);
        log_decoder_free(d);
        return r;
}

static int fz_kmsg_lines(const char *buf, size_t len)
{
        int fail = 0;
        uint64_t max_line_no = 1;
        for (size_t i = 0; i < len; i++)
                max_line_no += buf[i] == '\n';

        /* Whole, then cut in three pieces (one of them maybe empty): the
         * decoder holds partial lines back, the lines must be the same. */
        FzLog whole = { .max_line_no = max_line_no };
        int r = fz_log_decode(buf, len, NULL, 0, &whole);
        FZ_CHECK(r == 0);
        if (whole.fail)
                return whole.fail;
        size_t cuts[2] = { len ? (unsigned char)buf[0] % (len + 1) : 0, len - len / 5 };
        if (cuts[0] > cuts[1]) {
                size_t x = cuts[0];
                cuts[0] = cuts[1];
                cuts[1] = x;
        }
        FzLog split = { .max_line_no = max_line_no };
        r = fz_log_decode(buf, len, cuts, 2, &split);
        FZ_CHECK(r == 0);
        if (split.fail)
                return split.fail;
        FZ_CHECK(split.lines == whole.lines && split.hash == whole.hash);

        /* The callback stops the decoding at the first line. */
        FzLog stop = { .max_line_no = max_line_no, .stop_at = 1 };
        r = fz_log_decode(buf, len, NULL, 0, &stop);
        FZ_CHECK(r == (whole.lines ? 7 : 0) && stop.lines == (whole.lines ? 1 : 0));
        if (stop.fail)
                return stop.fail;

        /* kmsg_unescape: small, odd and exact output buffers. */
        static const size_t caps[] = { 1, 2, 5, 64 };
        char small[64];
        for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
                memset(small, 'X', sizeof small);
                size_t n = kmsg_unescape(buf, len, small, caps[i]);
                FZ_CHECK(n < caps[i] && n <= len && small[n] == '\0');
        }
        char *out = malloc(len + 1);
        if (!out)
                abort();
        size_t n = kmsg_unescape(buf, len, out, len + 1);
        FZ_CHECK(n <= len && out[n] == '\0');
        if (!memchr(buf, '\\', len))
                FZ_CHECK(n == len && memcmp(out, buf, len) == 0);
        free(out);

        /* iso8601_parse_prefix at every line start, bounded by the line. */
        for (const char *p = buf, *end = buf + len; p <= end && !fail;) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
                char *line = malloc(ll ? ll : 1);
                if (!line)
                        abort();
                memcpy(line, p, ll);
                uint64_t usec = 0;
                size_t used = iso8601_parse_prefix(line, ll, &usec);
                FZ_CHECK(used == 0 || (used >= 19 && used <= ll));
                FZ_CHECK(used > 0 || usec == U64_ABSENT);
                /* Up to 9999-12-31 (+ a day of zone offset). */
                FZ_CHECK(usec == U64_ABSENT || usec < UINT64_C(253402387200) * 1000000);
                free(line);
                if (!nl)
                        break;
                p = nl + 1;
        }
        return fail;
}

/* ---- analyze/oom.h ---------------------------------------------------------- */

static bool fz_k8s_ok(const K8sContext *k)
{
        bool ok = fz_terminated(k->pod_uid, sizeof k->pod_uid) &&
                  fz_terminated(k->container_id, sizeof k->container_id) &&
                  fz_terminated(k->runtime, sizeof k->runtime);
        if (!ok)
                return false;
        if (k->qos == K8S_QOS_NONE)
                return !k->pod_uid[0] && !k->container_id[0] && !k->runtime[0] && !k8s_qos_name(k->qos);
        size_t n = strlen(k->pod_uid);
        return k->qos <= K8S_QOS_BESTEFFORT && n >= 32 && n <= 36 &&
               strspn(k->pod_uid, "0123456789abcdefABCDEF-") == n && k8s_qos_name(k->qos) &&
               (!k->runtime[0] || k->container_id[0]);
}

static int fz_oom(const char *buf, size_t len)
{
        OomEventList l;
        int fail = 0;

        memset(&l, 0x5a, sizeof l);
        FZ_RET("oom_parse_text", oom_parse_text(buf, len, &l), ERRS(EINVAL));
        FZ_CHECK(l.n <= l.cap && l.cap <= OOM_EVENTS_MAX && (l.n == 0 || l.events));
        for (size_t i = 0; i < l.n && !fail; i++) {
                const OomEvent *e = &l.events[i];
                FZ_CHECK(fz_terminated(e->name, sizeof e->name));
                FZ_CHECK(fz_terminated(e->kill_prefix, sizeof e->kill_prefix));
                FZ_CHECK(fz_terminated(e->raw_line, sizeof e->raw_line));
                FZ_CHECK(fz_terminated(e->invoked_by, sizeof e->invoked_by));
                FZ_CHECK(fz_terminated(e->gfp_mask, sizeof e->gfp_mask));
                FZ_CHECK(fz_terminated(e->gfp_flags, sizeof e->gfp_flags));
                FZ_CHECK(fz_terminated(e->constraint, sizeof e->constraint));
                FZ_CHECK(fz_terminated(e->oom_memcg, sizeof e->oom_memcg));
                FZ_CHECK(fz_terminated(e->task_memcg, sizeof e->task_memcg));
                FZ_CHECK(fz_terminated(e->wall_time, sizeof e->wall_time));
                FZ_CHECK(fz_terminated(e->boot_id, sizeof e->boot_id));
                FZ_CHECK(fz_k8s_ok(&e->k8s));
                FZ_CHECK(e->n_top <= OOM_TOP_HOLDERS && e->n_top <= e->tasks_dumped);
                for (size_t k = 0; k < e->n_top && k < OOM_TOP_HOLDERS; k++) {
                        FZ_CHECK(fz_terminated(e->top[k].name, sizeof e->top[k].name));
                        /* Biggest rss first. */
                        FZ_CHECK(k == 0 || e->top[k - 1].rss_pages >= e->top[k].rss_pages);
                }
                FZ_CHECK(e->reap >= OOM_REAP_UNKNOWN && e->reap <= OOM_REAP_FAILED);
                FZ_CHECK(e->source_format >= LOG_FMT_BARE && e->source_format < LOG_FMT_COUNT_);
                FZ_CHECK(!isinf(e->kernel_time_s));
                FZ_CHECK(e->line_no >= 1);
                FZ_CHECK(oom_event_same_kill(e, e));
        }
        oom_event_list_free(&l);
        return fail;
}

static int fz_oom_k8s(const char *buf, size_t len)
{
        K8sContext k;
        int fail = 0;
        (void)len;

        memset(&k, 0x5a, sizeof k);
        int r = oom_k8s_from_cgroup(buf, &k);
        if (FZ_RET("oom_k8s_from_cgroup", r, ERRS(ENOENT)))
                FZ_CHECK(k.qos != K8S_QOS_NONE);
        else
                FZ_CHECK(k.qos == K8S_QOS_NONE);
        FZ_CHECK(fz_k8s_ok(&k));
        /* Each line as a path too (cgroup files, "0::/kubepods/..."). */
        for (const char *p = buf; *p && !fail;) {
                const char *nl = strchrnul(p, '\n');
                const char *colon = memrchr(p, ':', (size_t)(nl - p));
                const char *s = colon ? colon + 1 : p;
                char *path = strndup(s, (size_t)(nl - s));
                if (!path)
                        abort();
                memset(&k, 0x5a, sizeof k);
                r = oom_k8s_from_cgroup(path, &k);
                FZ_RET("oom_k8s_from_cgroup", r, ERRS(ENOENT));
                FZ_CHECK(fz_k8s_ok(&k) && (r == 0) == (k.qos != K8S_QOS_NONE));
                free(path);
                p = *nl ? nl + 1 : nl;
        }
        return fail;
}

/* ---- analyze/leak.h, analyze/trend.h ---------------------------------------- */

/* Most samples decoded from one input: past TREND_THEIL_SEN_MAX (block
 * medians), not much more (the scorer is O(n^2) below it). */
#define FZ_SERIES_MAX 300

typedef struct FzSeries {
        double t[FZ_SERIES_MAX], y[FZ_SERIES_MAX];
        size_t n;
        SeriesUnit unit;
        const char *what;
} FzSeries;

static uint64_t fz_le64(const unsigned char *p, size_t n)
{
        uint64_t v = 0;
        for (size_t i = 0; i < n; i++)
                v |= (uint64_t)p[i] << (8 * i);
        return v;
}

/* Decodes a series from the input:
 *   text "t,y" lines (the leak-series fixtures): every line that holds
 *     two numbers, the rest skipped;
 *   otherwise the first byte picks unit, name and an encoding of the
 *   following bytes:
 *     0: raw IEEE doubles, t then y (NAN, inf, denormals, 1e308 ...);
 *     1: 2 bytes a sample: t steps of 0..1.75 s (0: a repeated stamp),
 *        y a signed step scaled by 4 KiB, top bit a GC-like drop;
 *     2: 4 bytes a sample: t steps in ms, y a 16-bit level times a
 *        power of two from the selector (up to 2^40: byte counts);
 *     3: 8 bytes a sample: two floats. */
static void fz_series_decode(const char *buf, size_t len, FzSeries *s)
{
        const unsigned char *b = (const unsigned char *)buf;
        s->n = 0;
        s->unit = SERIES_BYTES;
        s->what = NULL;
        if (len == 0)
                return;

        const char *nl = memchr(buf, '\n', len);
        if ((b[0] == 't' || (b[0] >= '0' && b[0] <= '9')) && nl && memchr(buf, ',', (size_t)(nl - buf))) {
                for (const char *p = buf; *p && s->n < FZ_SERIES_MAX;) {
                        char *e1, *e2;
                        double t = strtod(p, &e1);
                        if (e1 != p && *e1 == ',') {
                                double y = strtod(e1 + 1, &e2);
                                if (e2 != e1 + 1) {
                                        s->t[s->n] = t;
                                        s->y[s->n++] = y;
                                }
                        }
                        p = strchrnul(p, '\n');
                        if (*p)
                                p++;
                }
                /* FD series are small counts. */
                s->unit = s->n && s->y[0] < 100000 ? SERIES_COUNT : SERIES_BYTES;
                return;
        }

        static const char *const names[] = { NULL, "anonymous memory", "open FDs", "\xff\n%s%n" };
        unsigned sel = b[0];
        s->unit = sel & 4 ? SERIES_COUNT : SERIES_BYTES;
        s->what = names[(sel >> 3) & 3];
        b++;
        len--;
        double t = 0, y = 0;
        switch (sel & 3) {
        case 0:
                for (; len >= 16 && s->n < FZ_SERIES_MAX; b += 16, len -= 16) {
                        uint64_t tb = fz_le64(b, 8), yb = fz_le64(b + 8, 8);
                        memcpy(&s->t[s->n], &tb, 8);
                        memcpy(&s->y[s->n++], &yb, 8);
                }
                break;
        case 1:
                y = (double)(sel >> 5) * 1e6;
                for (; len >= 2 && s->n < FZ_SERIES_MAX; b += 2, len -= 2) {
                        t += (b[0] & 7) * 0.25;
                        if (b[1] & 0x80)
                                y *= (b[1] & 0x7f) / 128.0;
                        else
                                y += (double)((int)(b[1] & 0x7f) - 32) * 4096;
                        s->t[s->n] = t;
                        s->y[s->n++] = y;
                }
                break;
        case 2:
                for (; len >= 4 && s->n < FZ_SERIES_MAX; b += 4, len -= 4) {
                        t += (double)fz_le64(b, 2) / 1000;
                        s->t[s->n] = t;
                        s->y[s->n++] = ldexp((double)fz_le64(b + 2, 2), (int)(sel >> 5) * 5);
                }
                break;
        default:
                for (; len >= 8 && s->n < FZ_SERIES_MAX; b += 8, len -= 8) {
                        uint32_t tb = (uint32_t)fz_le64(b, 4), yb = (uint32_t)fz_le64(b + 4, 4);
                        float tf, yf;
                        memcpy(&tf, &tb, 4);
                        memcpy(&yf, &yb, 4);
                        s->t[s->n] = tf;
                        s->y[s->n++] = yf;
                }
                break;
        }
}

/* What a sampler can produce: |y| up to 1e20 (bytes fit in 2^64), time
 * stamps 0 or 1 ns .. 1e12 s from the origin. Within it the statistics
 * must stay NAN-free; beyond it (y = 1e300: squares overflow to inf, and
 * inf / inf is NAN) only the structure of the result is checked. */
static bool fz_series_sane(const double *t, const double *y, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                if (!isfinite(t[i]) || !isfinite(y[i]))
                        continue;
                double at = fabs(t[i]);
                if (fabs(y[i]) > 1e20 || at > 1e12 || (at != 0 && at < 1e-9))
                        return false;
        }
        return true;
}

static bool fz_in(double v, double lo, double hi)
{
        return v >= lo && v <= hi; /* false for NAN */
}

static bool fz_printable(const char *s, const char *what)
{
        for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
                if (*p >= 0x20 && *p < 0x7f)
                        continue;
                /* Bytes of `what` are copied as given. */
                if (!what || !strchr(what, *p))
                        return false;
        }
        return true;
}

static int fz_leak(const char *buf, size_t len)
{
        static FzSeries s;
        LeakVerdict v;
        char text[64];
        int fail = 0;

        fz_series_decode(buf, len, &s);
        size_t finite = 0;
        for (size_t i = 0; i < s.n; i++)
                finite += isfinite(s.t[i]) && isfinite(s.y[i]);

        bool sane = fz_series_sane(s.t, s.y, s.n);
        leak_score_series(s.t, s.y, s.n, s.unit, s.what, &v);
        FZ_CHECK(v.samples == finite);
        FZ_CHECK(v.kind >= LEAK_KIND_NONE && v.kind <= LEAK_KIND_LEAK);
        switch (v.confidence) {
        case LEAK_CONF_NONE:
                FZ_CHECK(v.score == 10 && (v.kind == LEAK_KIND_NONE || v.kind == LEAK_KIND_PLATEAU));
                break;
        case LEAK_CONF_LOW:
                FZ_CHECK(v.score >= 35 && v.score <= 40 && v.kind == LEAK_KIND_POSSIBLE);
                break;
        case LEAK_CONF_MEDIUM:
                FZ_CHECK(v.score >= 60 && v.score <= 70 && v.kind == LEAK_KIND_LEAK);
                break;
        case LEAK_CONF_HIGH:
                FZ_CHECK(v.score >= 85 && v.score <= 95 && v.kind == LEAK_KIND_LEAK);
                break;
        default:
                FZ_CHECK(!"confidence out of range");
        }
        if (finite <= 1)
                FZ_CHECK(v.kind == LEAK_KIND_NONE && v.score == 10);
        FZ_CHECK(!sane || fz_in(v.strength, 0, 1));
        FZ_CHECK(v.shape && (!strcmp(v.shape, "smooth") || !strcmp(v.shape, "sawtooth") ||
                             !strcmp(v.shape, "few cycles") || !strcmp(v.shape, "short")));
        FZ_CHECK(v.shape && (strcmp(v.shape, "short") == 0) == (finite < LEAK_MIN_SAMPLES));
        FZ_CHECK(finite < LEAK_MIN_SAMPLES || v.envelope_points <= LEAK_ENVELOPE_MAX);
        if (sane) {
                FZ_CHECK(!isnan(v.envelope_slope_per_sec) && !isnan(v.late_slope_per_sec));
                FZ_CHECK(!isnan(v.growth) && !isnan(v.effect_floor));
                FZ_CHECK(fz_in(v.p_value, 0, 1) && fz_in(v.evidence, 0, 1) &&
                         fz_in(v.persistence, 0, 1) && fz_in(v.effect, 0, 1));
        }
        FZ_CHECK(fz_terminated(v.diagnosis, sizeof v.diagnosis) && fz_printable(v.diagnosis, s.what));
        FZ_CHECK(strcmp(leak_confidence_to_string(v.confidence), "") != 0);
        FZ_CHECK(strcmp(leak_kind_to_string(v.kind), "") != 0);

        memset(text, 'X', sizeof text);
        bool warn = leak_resource_warning(s.what, &v, text, sizeof text);
        FZ_CHECK(fz_terminated(text, sizeof text));
        FZ_CHECK(warn == (v.kind == LEAK_KIND_LEAK || v.kind == LEAK_KIND_POSSIBLE));
        FZ_CHECK(warn || text[0] == '\0');
        memset(text, 'X', sizeof text);
        leak_format_rate(v.envelope_slope_per_sec, s.unit, text, 12);
        FZ_CHECK(fz_terminated(text, 12));
        return fail;
}

static int fz_trend(const char *buf, size_t len)
{
        static FzSeries s;
        MetricTrend m;
        int fail = 0;

        /* metric_trend wants finite values: keep the finite pairs. */
        fz_series_decode(buf, len, &s);
        size_t n = 0;
        for (size_t i = 0; i < s.n; i++)
                if (isfinite(s.t[i]) && isfinite(s.y[i])) {
                        s.t[n] = s.t[i];
                        s.y[n++] = s.y[i];
                }

        bool sane = fz_series_sane(s.t, s.y, n);
        metric_trend(s.t, s.y, n, &m);
        FZ_CHECK(m.n == n);
        if (n == 0) {
                FZ_CHECK(isnan(m.growth_percent));
                return fail;
        }
        FZ_CHECK(m.start == s.y[0] && m.end == s.y[n - 1]);
        FZ_CHECK(isnan(m.growth_percent) == (m.start == 0 || isnan(m.growth)));
        FZ_CHECK(fz_in(m.increasing_ratio, 0, 1));
        FZ_CHECK(fz_in(m.r_squared, 0, 1));
        FZ_CHECK(!sane || (!isnan(m.slope_per_sec) && !isnan(m.theil_sen_per_sec)));
        FZ_CHECK(fz_in(m.mk_p, 0, 1));

        double med = trend_median(s.y, n), mad = trend_mad(s.y, n);
        FZ_CHECK(!isnan(med) && (isnan(mad) || mad >= 0));
        MannKendall mk;
        trend_mann_kendall(s.y, n, &mk);
        FZ_CHECK(fz_in(mk.p_up, 0, 1) && mk.var_s >= 0 && fabs(mk.s) <= (double)n * (double)n / 2);
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
        { "rtnl", fz_rtnl },
        { "net_sockstat", fz_net_sockstat },
        { "net_snmp_tcp", fz_net_snmp_tcp },
        { "disk_filesystems", fz_disk_filesystems },
        { "disk_mountinfo", fz_disk_mountinfo },
        { "disk_diskstats", fz_disk_diskstats },
        { "cgroup_self", fz_cgroup_self },
        { "cgroup_value", fz_cgroup_value },
        { "cgroup_controllers", fz_cgroup_controllers },
        { "pid_status", fz_pid_status },
        { "smaps_rollup", fz_smaps_rollup },
        { "pid_environ", fz_pid_environ },
        { "pid_cmdline", fz_pid_cmdline },
        { "pid_children", fz_pid_children },
        { "fd_kind", fz_fd_kind },
        { "net_socket_row", fz_net_socket_row },
        { "net_socket_rows", fz_net_socket_rows, 6000 },
        { "kmsg_lines", fz_kmsg_lines, 28000 },
        { "oom", fz_oom, 13000 },
        { "oom_k8s", fz_oom_k8s },
        { "leak", fz_leak },
        { "trend", fz_trend },
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
