/* SPDX-License-Identifier: MIT */
/* collect/pidinfo: the status, smaps_rollup, environ, cmdline, stat-fault,
 * fd-link and children parsers on captured samples, minimal and hostile
 * input; the /proc/net row parser (collect/net) as inspect uses it;
 * pid_resource_sample, pid_cpu_* and pid_detail_read over the inspect-*
 * fixture trees and over this test process itself. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fixture.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "collect/net.h"
#include "collect/pidinfo.h"
#include "collect/process.h"
#include "collect/rootfs.h"
#include "util/fileio.h"

/* ---- helpers ----------------------------------------------------------------- */

static char *slurp_live(const char *path, size_t *ret_len)
{
        Buf b = { 0 };
        int dfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(dfd >= 0);
        ssize_t n = read_file_buf_at(dfd, path, &b, 1 << 20);
        close(dfd);
        assert_true(n >= 0);
        if (ret_len)
                *ret_len = (size_t)n;
        return b.data;
}

/* An exact-size heap copy, so that ASan sees any read past the end. */
static char *dup_mem(const char *s, size_t len)
{
        char *c = malloc(len + 1);
        assert_non_null(c);
        memcpy(c, s, len);
        c[len] = '\0';
        return c;
}

static void open_live(RootFS *fs)
{
        const char *which = NULL;
        assert_int_equal(rootfs_open(fs, NULL, NULL, NULL, &which), 0);
}

#define KB 1024ULL

/* ---- status ------------------------------------------------------------------- */

static void test_status_live_sample(void **state)
{
        (void)state;
        PidStatus s;
        char *t = fixture_slurp("inspect-live-sample/proc/25316/status", NULL);
        assert_int_equal(pid_status_parse(t, &s), 0);
        assert_string_equal(s.name, "python3");
        assert_int_equal(s.state, 'S');
        assert_int_equal(s.ppid, 1);
        assert_true(s.has_uid);
        assert_int_equal(s.uid_real, 0);
        assert_int_equal(s.uid_effective, 0);
        assert_int_equal(s.vm_size, 14412 * KB);
        assert_int_equal(s.vm_rss, 10148 * KB);
        assert_int_equal(s.rss_anon, 4336 * KB);
        assert_int_equal(s.rss_file, 5812 * KB);
        assert_int_equal(s.rss_shmem, 0);
        assert_int_equal(s.vm_swap, 0);
        assert_int_equal(s.threads, 1);
        assert_int_equal(s.voluntary_ctxt_switches, 40);
        assert_int_equal(s.nonvoluntary_ctxt_switches, 5);
        free(t);
}

static void test_status_live_self(void **state)
{
        (void)state;
        PidStatus s;
        char *t = slurp_live("self/status", NULL);
        assert_int_equal(pid_status_parse(t, &s), 0);
        assert_string_equal(s.name, "test-pidinfo");
        assert_int_equal(s.state, 'R');
        assert_int_equal(s.ppid, getppid());
        assert_true(s.has_uid);
        assert_int_equal(s.uid_real, getuid());
        assert_int_equal(s.uid_effective, geteuid());
        assert_true(has_u64(s.vm_rss) && s.vm_rss > 0);
        assert_true(has_u64(s.vm_size) && s.vm_size >= s.vm_rss);
        assert_true(has_u64(s.rss_anon) && has_u64(s.rss_file) && has_u64(s.rss_shmem));
        assert_int_equal(s.rss_anon + s.rss_file + s.rss_shmem, s.vm_rss);
        assert_int_equal(s.threads, 1);
        assert_true(has_u64(s.voluntary_ctxt_switches));
        free(t);
}

static void test_status_minimal_and_missing(void **state)
{
        (void)state;
        PidStatus s;
        assert_int_equal(pid_status_parse("VmRSS:\t  4 kB\n", &s), 0);
        assert_int_equal(s.vm_rss, 4096);
        /* Everything else absent, not 0. */
        assert_string_equal(s.name, "");
        assert_int_equal(s.state, '\0');
        assert_int_equal(s.ppid, -1);
        assert_false(s.has_uid);
        assert_true(!has_u64(s.vm_size) && !has_u64(s.rss_anon) && !has_u64(s.rss_file) &&
                    !has_u64(s.rss_shmem) && !has_u64(s.vm_swap) && !has_u64(s.threads) &&
                    !has_u64(s.voluntary_ctxt_switches) && !has_u64(s.nonvoluntary_ctxt_switches));

        /* A kernel thread: no Vm lines at all. */
        assert_int_equal(pid_status_parse("Name:\tkthreadd\nState:\tS (sleeping)\nPPid:\t0\n"
                                          "Uid:\t0\t0\t0\t0\nThreads:\t1\n", &s), 0);
        assert_string_equal(s.name, "kthreadd");
        assert_int_equal(s.ppid, 0);
        assert_false(has_u64(s.vm_rss));
        assert_int_equal(s.threads, 1);

        /* No newline at the end. */
        assert_int_equal(pid_status_parse("Threads:\t12", &s), 0);
        assert_int_equal(s.threads, 12);
}

static void test_status_malformed(void **state)
{
        (void)state;
        PidStatus s = { .threads = 4242 };

        assert_int_equal(pid_status_parse("", &s), -EBADMSG);
        assert_int_equal(pid_status_parse("\n\n", &s), -EBADMSG);
        assert_int_equal(pid_status_parse("garbage\nno colons here\n", &s), -EBADMSG);
        assert_int_equal(pid_status_parse("Unknown:\t5\n", &s), -EBADMSG);
        assert_int_equal(s.threads, 4242); /* untouched on error */

        static const char *const bad[] = {
                "VmRSS:\t18446744073709551616 kB\n", /* overflow */
                "VmRSS:\t18014398509481984 kB\n",    /* overflows when made bytes */
                "VmRSS:\t100 MB\n",                  /* unit */
                "VmRSS:\t100\n",                     /* no unit */
                "VmRSS:\t100kB\n",                   /* no blank */
                "VmRSS:\t-5 kB\n",
                "VmRSS:\tabc kB\n",
                "VmRSS:\t\n",
                "VmRSS:\t1 kB extra\n",
                "VmRSS:\t0x10 kB\n",
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                char text[256];
                snprintf(text, sizeof text, "%sThreads:\t3\n", bad[i]);
                assert_int_equal(pid_status_parse(text, &s), 0);
                if (has_u64(s.vm_rss))
                        fail_msg("'%s' gave %llu", bad[i], (unsigned long long)s.vm_rss);
                assert_int_equal(s.threads, 3);
        }
        /* Largest value that fits in bytes. */
        assert_int_equal(pid_status_parse("VmRSS:\t18014398509481983 kB\n", &s), 0);
        assert_int_equal(s.vm_rss, 18014398509481983ULL * 1024);

        /* Threads overflows; a plain number field with a unit is wrong too. */
        assert_int_equal(pid_status_parse("Threads:\t18446744073709551616\nVmSwap:\t0 kB\n", &s), 0);
        assert_false(has_u64(s.threads));
        assert_int_equal(pid_status_parse("Threads:\t3 kB\nVmSwap:\t0 kB\n", &s), 0);
        assert_false(has_u64(s.threads));
        /* U64_ABSENT itself is not a value. */
        assert_int_equal(pid_status_parse("Threads:\t18446744073709551615\nVmSwap:\t0 kB\n", &s), 0);
        assert_false(has_u64(s.threads));

        /* Uid lines: too short, too big, -1, junk. */
        static const char *const bad_uid[] = {
                "Uid:\t1000\n", "Uid:\t\n", "Uid:\t4294967296\t0\t0\t0\n", "Uid:\t4294967295\t0\t0\t0\n",
                "Uid:\t1000x\t1000\t1000\t1000\n", "Uid:\t-1\t0\t0\t0\n",
        };
        for (size_t i = 0; i < sizeof bad_uid / sizeof bad_uid[0]; i++) {
                char text[256];
                snprintf(text, sizeof text, "%sThreads:\t3\n", bad_uid[i]);
                assert_int_equal(pid_status_parse(text, &s), 0);
                if (s.has_uid)
                        fail_msg("'%s' gave a uid", bad_uid[i]);
        }
        assert_int_equal(pid_status_parse("Uid:\t1000\t0\n", &s), 0); /* saved and fs may be cut */
        assert_true(s.has_uid);
        assert_int_equal(s.uid_real, 1000);
        assert_int_equal(s.uid_effective, 0);

        /* PPid beyond int, State not a letter. */
        assert_int_equal(pid_status_parse("PPid:\t2147483648\nState:\t? (what)\nThreads:\t1\n", &s), 0);
        assert_int_equal(s.ppid, -1);
        assert_int_equal(s.state, '\0');
}

static void test_status_duplicates_and_names(void **state)
{
        (void)state;
        PidStatus s;

        /* The first valid line wins; an invalid first one does not block. */
        assert_int_equal(pid_status_parse("Threads:\t2\nThreads:\t9\nVmRSS:\tbad kB\nVmRSS:\t8 kB\n"
                                          "Name:\tfirst\nName:\tsecond\nUid:\t5\t6\t7\t8\nUid:\t1\t1\t1\t1\n",
                                          &s), 0);
        assert_int_equal(s.threads, 2);
        assert_int_equal(s.vm_rss, 8192);
        assert_string_equal(s.name, "first");
        assert_int_equal(s.uid_real, 5);
        assert_int_equal(s.uid_effective, 6);

        /* Names hold what the kernel escaped, colons and parentheses. */
        assert_int_equal(pid_status_parse("Name:\ta) (b:c\\nd\nState:\tR (running)\n", &s), 0);
        assert_string_equal(s.name, "a) (b:c\\nd");
        assert_int_equal(s.state, 'R');
        /* A key is matched whole, not by prefix. */
        assert_int_equal(pid_status_parse("VmRSSX:\t8 kB\nXVmRSS:\t8 kB\nThreads:\t1\n", &s), 0);
        assert_false(has_u64(s.vm_rss));
        /* A very long name is cut to the field. */
        char text[512];
        memset(text, 'n', sizeof text);
        memcpy(text, "Name:\t", 6);
        text[sizeof text - 1] = '\0';
        assert_int_equal(pid_status_parse(text, &s), 0);
        assert_int_equal(strlen(s.name), sizeof s.name - 1);
}

static void test_status_every_prefix(void **state)
{
        (void)state;
        size_t len;
        char *t = fixture_slurp("inspect-live-sample/proc/25316/status", &len);
        for (size_t n = 0; n <= len; n++) {
                PidStatus s;
                char *c = dup_mem(t, n);
                int r = pid_status_parse(c, &s);
                assert_true(r == 0 || r == -EBADMSG);
                if (r == 0 && s.name[0])
                        assert_true(strncmp(s.name, "python3", strlen(s.name)) == 0);
                free(c);
        }
        free(t);
}

/* ---- smaps_rollup ----------------------------------------------------------------- */

static void test_smaps_live_sample(void **state)
{
        (void)state;
        SmapsRollup m;
        char *t = fixture_slurp("inspect-live-sample/proc/25316/smaps_rollup", NULL);
        assert_int_equal(smaps_rollup_parse(t, &m), 0);
        assert_int_equal(m.rss, 10148 * KB);
        assert_int_equal(m.pss, 8662 * KB);
        assert_int_equal(m.pss_anon, 4336 * KB);
        assert_int_equal(m.pss_file, 4326 * KB);
        assert_int_equal(m.pss_shmem, 0);
        assert_int_equal(m.shared_clean, 1800 * KB);
        assert_int_equal(m.shared_dirty, 0);
        assert_int_equal(m.private_clean, 4012 * KB);
        assert_int_equal(m.private_dirty, 4336 * KB);
        assert_int_equal(m.referenced, 10148 * KB);
        assert_int_equal(m.anonymous, 4336 * KB);
        assert_int_equal(m.lazy_free, 0);
        assert_int_equal(m.anon_huge_pages, 0);
        assert_int_equal(m.swap, 0);
        assert_int_equal(m.swap_pss, 0);
        assert_int_equal(m.locked, 0);
        free(t);
}

static void test_smaps_live_self(void **state)
{
        (void)state;
        SmapsRollup m;
        char *t = slurp_live("self/smaps_rollup", NULL);
        assert_int_equal(smaps_rollup_parse(t, &m), 0);
        assert_true(m.rss > 0 && m.pss > 0 && m.pss <= m.rss);
        assert_int_equal(m.shared_clean + m.shared_dirty + m.private_clean + m.private_dirty, m.rss);
        assert_true(has_u64(m.swap_pss) && has_u64(m.locked));
        free(t);
}

#define ROLLUP_HEADER "55b57cf2b000-7fff06cf2000 ---p 00000000 00:00 0                          [rollup]\n"

static void test_smaps_minimal_and_old(void **state)
{
        (void)state;
        SmapsRollup m;
        /* A 4.14 kernel: no Pss_Anon/Pss_File/Pss_Shmem, no LazyFree order. */
        assert_int_equal(smaps_rollup_parse(ROLLUP_HEADER "Rss:   100 kB\nPss:    50 kB\n"
                                            "Private_Clean:   1 kB\nPrivate_Dirty:   2 kB\n", &m), 0);
        assert_int_equal(m.rss, 100 * KB);
        assert_int_equal(m.pss, 50 * KB);
        assert_int_equal(m.private_clean, KB);
        assert_int_equal(m.private_dirty, 2 * KB);
        assert_false(has_u64(m.pss_anon));
        assert_false(has_u64(m.swap_pss));
        assert_false(has_u64(m.locked));
        /* Pss_Dirty (not kept) is not mistaken for Pss. */
        assert_int_equal(smaps_rollup_parse(ROLLUP_HEADER "Pss_Dirty:  7 kB\nPss:  3 kB\n", &m), 0);
        assert_int_equal(m.pss, 3 * KB);
        /* Trailing spaces after the tag. */
        assert_int_equal(smaps_rollup_parse("00400000-00401000 r--p 00000000 00:00 0 [rollup]   \nRss: 4 kB", &m), 0);
        assert_int_equal(m.rss, 4 * KB);
}

static void test_smaps_malformed(void **state)
{
        (void)state;
        SmapsRollup m = { .rss = 4242 };
        assert_int_equal(smaps_rollup_parse("", &m), -ENODATA);
        assert_int_equal(smaps_rollup_parse("Rss: 4 kB\n", &m), -EBADMSG);        /* no header */
        assert_int_equal(smaps_rollup_parse(ROLLUP_HEADER, &m), -EBADMSG);       /* header only */
        assert_int_equal(smaps_rollup_parse(ROLLUP_HEADER "junk\n", &m), -EBADMSG);
        assert_int_equal(smaps_rollup_parse("x [rollup]\nRss: 4 kB\n", &m), -EBADMSG);
        assert_int_equal(smaps_rollup_parse("00400000-00401000 [heap]\nRss: 4 kB\n", &m), -EBADMSG);
        assert_int_equal(smaps_rollup_parse("00400000-00401000xx[rollup]\nRss: 4 kB\n", &m), -EBADMSG);
        assert_int_equal(smaps_rollup_parse("[rollup]\nRss: 4 kB\n", &m), -EBADMSG);
        assert_int_equal(m.rss, 4242);
        assert_int_equal(smaps_rollup_parse(ROLLUP_HEADER "Rss: 18446744073709551616 kB\nPss: 1 kB\n", &m), 0);
        assert_false(has_u64(m.rss));
        assert_int_equal(m.pss, KB);
}

static void test_smaps_every_prefix(void **state)
{
        (void)state;
        size_t len;
        char *t = fixture_slurp("inspect-live-sample/proc/25316/smaps_rollup", &len);
        for (size_t n = 0; n <= len; n++) {
                SmapsRollup m;
                char *c = dup_mem(t, n);
                int r = smaps_rollup_parse(c, &m);
                assert_true(r == 0 || r == -EBADMSG || r == -ENODATA);
                assert_true(n > 0 || r == -ENODATA);
                free(c);
        }
        free(t);
}

/* ---- environ ---------------------------------------------------------------------------- */

/* True when needle occurs anywhere in the bytes of the struct. */
static bool struct_has(const void *p, size_t size, const char *needle)
{
        return memmem(p, size, needle, strlen(needle)) != NULL;
}

#define ENV(s) s, sizeof(s) - 1

static void test_environ_selected_only(void **state)
{
        (void)state;
        PidEnv *e = malloc(sizeof *e);
        assert_non_null(e);
        /* Dirty memory: the parser must set every flag itself. */
        memset(e, 'S', sizeof *e);
        assert_int_equal(pid_environ_parse(ENV("SECRET_TOKEN=hunter2\0PATH=/usr/bin:/bin\0"
                                               "AWS_SECRET_ACCESS_KEY=AKIAFAKE\0HOME=/root\0"
                                               "DB_PASSWORD=correct horse\0USER=alice\0"
                                               "LANG=C.UTF-8\0JAVA_HOME=/opt/jdk\0NODE_ENV=production\0"
                                               "PATH=/second\0PATHX=no\0XPATH=no\0HOME\0=novalue\0"),
                                           e), 0);
        static const char *const want[PID_ENV_N] = {
                "/usr/bin:/bin", "/root", "alice", "C.UTF-8", "/opt/jdk", "production",
        };
        for (int i = 0; i < PID_ENV_N; i++) {
                assert_true(e->set[i]);
                assert_false(e->truncated[i]);
                assert_string_equal(e->value[i], want[i]);
        }
        /* Nothing else was kept, anywhere in the struct. */
        assert_false(struct_has(e, sizeof *e, "hunter2"));
        assert_false(struct_has(e, sizeof *e, "AKIAFAKE"));
        assert_false(struct_has(e, sizeof *e, "correct horse"));
        assert_false(struct_has(e, sizeof *e, "SECRET"));
        assert_false(struct_has(e, sizeof *e, "/second"));
        free(e);
}

static void test_environ_edges(void **state)
{
        (void)state;
        PidEnv *e = malloc(sizeof *e);
        assert_non_null(e);

        assert_int_equal(pid_environ_parse("", 0, e), 0);
        for (int i = 0; i < PID_ENV_N; i++)
                assert_false(e->set[i]);

        /* The last entry without its NUL (a cut read) still counts. */
        assert_int_equal(pid_environ_parse(ENV("A=1\0HOME=/h"), e), 0);
        assert_true(e->set[1]);
        assert_string_equal(e->value[1], "/h");
        /* Empty value, '=' inside the value, no key. */
        assert_int_equal(pid_environ_parse(ENV("USER=\0LANG=a=b\0=x\0\0\0"), e), 0);
        assert_true(e->set[2]);
        assert_string_equal(e->value[2], "");
        assert_string_equal(e->value[3], "a=b");
        assert_false(e->set[0]);
        /* Case matters. */
        assert_int_equal(pid_environ_parse(ENV("path=/x\0Path=/y\0"), e), 0);
        assert_false(e->set[0]);

        /* A value longer than the field: cut and flagged. */
        size_t big = PID_ENV_VALUE_MAX + 100;
        char *buf = malloc(big + 16);
        assert_non_null(buf);
        memcpy(buf, "PATH=", 5);
        memset(buf + 5, 'p', big);
        memcpy(buf + 5 + big, "\0SECRET", 7);
        assert_int_equal(pid_environ_parse(buf, 5 + big + 7, e), 0);
        assert_true(e->set[0]);
        assert_true(e->truncated[0]);
        assert_int_equal(strlen(e->value[0]), PID_ENV_VALUE_MAX - 1);
        free(buf);
        free(e);
}

static void test_environ_fixture_secrets(void **state)
{
        (void)state;
        PidEnv *e = malloc(sizeof *e);
        size_t len;
        assert_non_null(e);
        char *t = fixture_slurp("inspect-live-sample/proc/25316/environ", &len);
        assert_int_equal(pid_environ_parse(t, len, e), 0);
        assert_string_equal(e->value[0], "/usr/local/bin:/usr/bin:/bin");
        assert_string_equal(e->value[1], "/root");
        assert_string_equal(e->value[3], "C.UTF-8");
        assert_false(e->set[2]);
        assert_false(struct_has(e, sizeof *e, "live-secret-do-not-print"));
        /* Every cut of the block. */
        for (size_t n = 0; n <= len; n++) {
                char *c = dup_mem(t, n);
                assert_int_equal(pid_environ_parse(c, n, e), 0);
                assert_false(struct_has(e, sizeof *e, "live-secret"));
                free(c);
        }
        free(t);
        free(e);
}

/* ---- cmdline -------------------------------------------------------------------------------- */

static const char *fmt_cmdline(const char *buf, size_t len, char *out, size_t cap, int *ret)
{
        char *c = dup_mem(buf, len);
        *ret = pid_cmdline_format(c, len, out, cap);
        free(c);
        return out;
}

#define CMD(s) s, sizeof(s) - 1

static void test_cmdline(void **state)
{
        (void)state;
        char out[256];
        int r;

        static const struct {
                const char *in;
                size_t len;
                const char *want;
        } cases[] = {
                { CMD("/bin/sleep\0" "100\0"), "/bin/sleep 100" },
                { CMD("python3\0-c\0print('hi there')\0"), "python3 -c 'print('\\''hi there'\\'')'" },
                { CMD("a\0\0b\0"), "a '' b" },                     /* empty argument */
                { CMD("prog\0--x=1,2\0user@host:/p_a-t.h\0"), "prog --x=1,2 user@host:/p_a-t.h" },
                { CMD("echo\0$HOME\0a;b\0*\0"), "echo '$HOME' 'a;b' '*'" },
                { CMD("caf\xc3\xa9\0"), "caf\xc3\xa9" },            /* UTF-8 left alone */
                { CMD("nginx: worker process\0\0\0\0\0"), "nginx: worker process" }, /* retitled */
                { CMD("no trailing nul"), "no trailing nul" },
                { CMD("x\0y"), "x y" },
                { CMD("tab\0a\tb\0"), "tab 'a\tb'" },
                { CMD("nl\0a\nb\0"), "nl 'a\nb'" },
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                fmt_cmdline(cases[i].in, cases[i].len, out, sizeof out, &r);
                assert_int_equal(r, 0);
                if (strcmp(out, cases[i].want) != 0)
                        fail_msg("case %zu: got [%s], want [%s]", i, out, cases[i].want);
        }

        /* No argument at all: kernel threads and zombies. */
        assert_int_equal(pid_cmdline_format("", 0, out, sizeof out), -ENODATA);
        assert_string_equal(out, "");
        assert_int_equal(pid_cmdline_format(CMD("\0\0\0"), out, sizeof out), -ENODATA);
        assert_int_equal(pid_cmdline_format(CMD("x"), out, 4), -EINVAL);

        /* Cut with "..." and always terminated, for every capacity. */
        static const char longcmd[] = "/usr/bin/java\0-Xmx2g\0-jar\0/opt/app with space/app.jar\0--verbose\0";
        char full[256];
        fmt_cmdline(CMD(longcmd), full, sizeof full, &r);
        assert_int_equal(r, 0);
        for (size_t cap = 8; cap < strlen(full) + 2; cap++) {
                char *o = malloc(cap);
                assert_non_null(o);
                fmt_cmdline(CMD(longcmd), o, cap, &r);
                assert_int_equal(r, 0);
                size_t n = strlen(o);
                assert_true(n < cap);
                if (n == strlen(full)) {
                        assert_string_equal(o, full);
                } else {
                        assert_true(n >= 3 && strcmp(o + n - 3, "...") == 0);
                        assert_memory_equal(o, full, n - 3);
                }
                free(o);
        }
}

static void test_cmdline_live_sample(void **state)
{
        (void)state;
        size_t len;
        char out[4096];
        char *t = fixture_slurp("inspect-live-sample/proc/25316/cmdline", &len);
        assert_int_equal(pid_cmdline_format(t, len, out, sizeof out), 0);
        assert_true(strncmp(out, "/usr/bin/python3 -c '\nimport socket,os,time\n", 44) == 0);
        assert_non_null(strstr(out, "s.bind((\"127.0.0.1\",0))"));
        assert_int_equal(out[strlen(out) - 1], '\'');
        free(t);
}

/* ---- stat faults, fd links, children ---------------------------------------------------------- */

#define STAT_TAIL                                                                                  \
        " S 1 1234 1234 34816 1234 4194304 8123 0 12 0 250 75 3 4 20 0 3 0 98765 "              \
        "123456789 4321 18446744073709551615 1 1 0 0 0 0 0 4096 1260 0 0 0 17 1 0 0 0 0 0 0 0 " \
        "0 0 0 0 0 0\n"

/* The faults now come from pid_stat_parse (collect/process.c). */
static int stat_faults(const char *buf, size_t len, uint64_t *mi, uint64_t *ma)
{
        PidStat st;
        int r = pid_stat_parse(buf, len, &st);
        if (r == 0) {
                *mi = st.minflt;
                *ma = st.majflt;
        }
        return r;
}

static int faults(const char *s, uint64_t *mi, uint64_t *ma)
{
        char *c = dup_mem(s, strlen(s));
        int r = stat_faults(c, strlen(c), mi, ma);
        free(c);
        return r;
}

static void test_stat_faults(void **state)
{
        (void)state;
        uint64_t mi = 0, ma = 0;
        assert_int_equal(faults("10 (bash)" STAT_TAIL, &mi, &ma), 0);
        assert_int_equal(mi, 8123);
        assert_int_equal(ma, 12);
        /* Names with ") (", spaces and newlines. */
        assert_int_equal(faults("11 (a) (b) 1 2 3 c)" STAT_TAIL, &mi, &ma), 0);
        assert_int_equal(mi, 8123);
        assert_int_equal(faults("12 (x\ny) z)" STAT_TAIL, &mi, &ma), 0);
        assert_int_equal(ma, 12);

        size_t len;
        char *t = fixture_slurp("inspect-live-sample/proc/25316/stat", &len);
        assert_int_equal(stat_faults(t, len, &mi, &ma), 0);
        assert_int_equal(mi, 1398);
        assert_int_equal(ma, 5);
        free(t);
        t = slurp_live("self/stat", &len);
        assert_int_equal(stat_faults(t, len, &mi, &ma), 0);
        assert_true(mi > 0);
        free(t);

        mi = ma = 77;
        assert_int_equal(faults("", &mi, &ma), -EBADMSG);
        assert_int_equal(faults("10 bash S 1", &mi, &ma), -EBADMSG);
        assert_int_equal(faults("10 (bash) S 1 2 3 4 5 6 7\n", &mi, &ma), -EBADMSG);
        assert_int_equal(faults("10 (bash) S 1 2 3 4 5 6 7 8", &mi, &ma), -EBADMSG);
        assert_int_equal(faults("10 )bash( S 1 2 3 4 5 6 1 0 1 0", &mi, &ma), -EBADMSG);
        assert_int_equal(faults("10 (bash) S 1 2 3 4 5 6 1 0 1x 0 250 75", &mi, &ma), -EBADMSG);
        assert_int_equal(mi, 77);
        assert_int_equal(ma, 77);
        /* An overflowing counter is absent; the rest of the line still counts. */
        assert_int_equal(faults("10 (bash) S 1 1234 1234 34816 1234 4194304 18446744073709551616 0 12 0 "
                                "250 75 3 4 20 0 3 0 98765 123456789 4321 1\n", &mi, &ma), 0);
        assert_true(mi == U64_ABSENT);
        assert_int_equal(ma, 12);
}

static void test_fd_kinds(void **state)
{
        (void)state;
        static const struct {
                const char *link;
                FdKind kind;
                uint64_t inode;
        } cases[] = {
                { "socket:[12345]", FD_KIND_SOCKET, 12345 },
                { "socket:[18446744073709551614]", FD_KIND_SOCKET, 18446744073709551614ULL },
                { "socket:[18446744073709551616]", FD_KIND_SOCKET, U64_ABSENT },
                { "socket:[]", FD_KIND_SOCKET, U64_ABSENT },
                { "socket:[12x]", FD_KIND_SOCKET, U64_ABSENT },
                { "socket:[12", FD_KIND_SOCKET, U64_ABSENT },
                { "socket:[12]x", FD_KIND_SOCKET, U64_ABSENT },
                { "pipe:[605607]", FD_KIND_PIPE, 0 },
                { "anon_inode:[eventfd]", FD_KIND_ANON_INODE, 0 },
                { "anon_inode:inotify", FD_KIND_ANON_INODE, 0 },
                { "/dev/null", FD_KIND_FILE, 0 },
                { "/memfd:x (deleted)", FD_KIND_FILE, 0 },
                { "net:[4026531840]", FD_KIND_OTHER, 0 },
                { "", FD_KIND_OTHER, 0 },
                { "socket:", FD_KIND_OTHER, 0 },
                { "relative", FD_KIND_OTHER, 0 },
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                uint64_t inode = 0;
                char *c = dup_mem(cases[i].link, strlen(cases[i].link));
                FdKind k = fd_kind_from_link(c, strlen(c), &inode);
                free(c);
                if (k != cases[i].kind || inode != cases[i].inode)
                        fail_msg("'%s': kind %d inode %llu", cases[i].link, k, (unsigned long long)inode);
        }
        /* Not NUL-terminated: only len bytes count. */
        assert_int_equal(fd_kind_from_link("socket:[77]garbage", 11, NULL), FD_KIND_SOCKET);
        uint64_t inode;
        fd_kind_from_link("socket:[77]garbage", 11, &inode);
        assert_int_equal(inode, 77);
        assert_string_equal(fd_kind_to_string(FD_KIND_ANON_INODE), "anon_inode");
}

static void test_children(void **state)
{
        (void)state;
        int *p = NULL;
        size_t n = 0, cap = 0;
        assert_int_equal(pid_children_parse("", &p, &n, &cap), 0);
        assert_int_equal(n, 0);
        assert_int_equal(pid_children_parse("4243 4244 ", &p, &n, &cap), 0);
        assert_int_equal(pid_children_parse("7\n", &p, &n, &cap), 0);
        assert_int_equal(n, 3);
        assert_int_equal(p[0], 4243);
        assert_int_equal(p[1], 4244);
        assert_int_equal(p[2], 7);
        assert_int_equal(pid_children_parse("8 x 9", &p, &n, &cap), -EBADMSG);
        assert_int_equal(n, 4);
        assert_int_equal(pid_children_parse("0", &p, &n, &cap), -EBADMSG);
        assert_int_equal(pid_children_parse("-1", &p, &n, &cap), -EBADMSG);
        assert_int_equal(pid_children_parse("2147483648", &p, &n, &cap), -EBADMSG);
        assert_int_equal(pid_children_parse("99999999999999999999", &p, &n, &cap), -EBADMSG);
        assert_int_equal(n, 4);
        for (int i = 0; i < 100; i++)
                assert_int_equal(pid_children_parse("1 2 3 4 5 6 7 8 9 10 ", &p, &n, &cap), 0);
        assert_int_equal(n, 1004);
        assert_int_equal(p[1003], 10);
        free(p);
}

/* ---- /proc/net rows --------------------------------------------------------------------- */

static int row(const char *line, NetSocketRow *r)
{
        char *c = dup_mem(line, strlen(line));
        int ret = net_socket_row_parse(c, c + strlen(c), r);
        free(c);
        return ret;
}

static void test_net_rows(void **state)
{
        (void)state;
        NetSocketRow r;
        char ep[NET_ENDPOINT_MAX];

        assert_int_equal(row("   0: 0100007F:92ED 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0"
                             "        0 605603 1 00000000b4cf3137 100 0 0 10 0", &r), 0);
        assert_int_equal(r.family, AF_INET);
        net_socket_endpoint_format(r.family, r.local_addr, r.local_port, ep);
        assert_string_equal(ep, "127.0.0.1:37613");
        net_socket_endpoint_format(r.family, r.remote_addr, r.remote_port, ep);
        assert_string_equal(ep, "0.0.0.0:0");
        assert_int_equal(r.state, TCP_STATE_LISTEN);
        assert_int_equal(r.uid, 0);
        assert_int_equal(r.inode, 605603);

        assert_int_equal(row("16316: 00000000000000000000000001000000:D546 00000000000000000000000000000000:0000 07"
                             " 00000000:00000000 00:00000000 00000000  1000        0 605606 2 000000003108ed32 0",
                             &r), 0);
        assert_int_equal(r.family, AF_INET6);
        net_socket_endpoint_format(r.family, r.local_addr, r.local_port, ep);
        assert_string_equal(ep, "[::1]:54598");
        assert_int_equal(r.uid, 1000);
        assert_int_equal(r.inode, 605606);
        assert_int_equal(row("0: B80D0120000000000000000001000000:01BB 0000000000000000FFFF00000100007F:C738 01 x", &r), 0);
        net_socket_endpoint_format(r.family, r.local_addr, r.local_port, ep);
        assert_string_equal(ep, "[2001:db8::1]:443");
        net_socket_endpoint_format(r.family, r.remote_addr, r.remote_port, ep);
        assert_string_equal(ep, "[::ffff:127.0.0.1]:51000");
        /* Cut after the state: still a socket, uid and inode unknown. */
        assert_int_equal(r.uid, U64_ABSENT);
        assert_int_equal(r.inode, U64_ABSENT);
        assert_int_equal(row("0: 0100007F:0016 00000000:0000 0A 0:0 0:0 0 1000", &r), 0);
        assert_int_equal(r.uid, 1000);
        assert_int_equal(r.inode, U64_ABSENT);
        assert_int_equal(row("0: 0100007F:0016 00000000:0000 0A 0:0 0:0 0 1000 0 99999999999999999999 1", &r), 0);
        assert_int_equal(r.inode, U64_ABSENT);
        assert_int_equal(row("0: 0100007F:0016 00000000:0000 0A 0:0 0:0 0 10x0 0 5", &r), 0);
        assert_int_equal(r.uid, U64_ABSENT);

        /* Mixed address lengths, bad state, truncated. */
        assert_int_equal(row("0: 0100007F:0016 00000000000000000000000000000000:0000 0A 0", &r), -EBADMSG);
        assert_int_equal(row("0: 0100007F:0016 00000000:0000 00 0", &r), -EBADMSG);
        assert_int_equal(row("0: 0100007F:0016 00000000:0000 0A", &r), -EBADMSG);
        assert_int_equal(row("0: 0100007F:0016 00000000:0000", &r), -EBADMSG);
        assert_int_equal(row("0: 000000000000000000000000000000000:0016 00000000:0000 0A 0", &r), -EBADMSG);
        assert_int_equal(row("", &r), -EBADMSG);
}

typedef struct Collected {
        NetSocketRow rows[16];
        size_t n;
} Collected;

static void collect_row(const NetSocketRow *r, void *userdata)
{
        Collected *c = userdata;
        if (c->n < 16)
                c->rows[c->n++] = *r;
}

static void test_net_rows_tables(void **state)
{
        (void)state;
        Collected c = { 0 };
        char *t = fixture_slurp("inspect-live-sample/proc/25316/net/tcp", NULL);
        assert_int_equal(net_socket_rows_parse(t, collect_row, &c), 0);
        assert_int_equal(c.n, 4);
        assert_int_equal(c.rows[2].inode, 605604);
        assert_int_equal(c.rows[2].state, TCP_STATE_ESTABLISHED);
        assert_int_equal(c.rows[2].local_port, 37222);
        assert_int_equal(c.rows[2].remote_port, 37613);
        free(t);

        /* Streaming with a chunk smaller than the file gives the same rows. */
        Collected d = { 0 };
        char chunk[200];
        int dfd = open(FIXTURES_DIR "/inspect-live-sample/proc/25316", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(dfd >= 0);
        assert_int_equal(net_socket_rows_read(dfd, "net/tcp", chunk, sizeof chunk, collect_row, &d), 0);
        assert_int_equal(d.n, 4);
        assert_memory_equal(c.rows, d.rows, sizeof c.rows[0] * 4);
        d.n = 0;
        assert_int_equal(net_socket_rows_read(dfd, "net/udp6", chunk, sizeof chunk, collect_row, &d), 0);
        assert_int_equal(d.n, 1);
        assert_int_equal(d.rows[0].inode, 605606);
        assert_int_equal(net_socket_rows_read(dfd, "net/nope", chunk, sizeof chunk, collect_row, &d), -ENOENT);
        close(dfd);

        /* Header only; no header. */
        c.n = 0;
        assert_int_equal(net_socket_rows_parse("  sl  local_address rem_address   st\n", collect_row, &c), 0);
        assert_int_equal(c.n, 0);
        assert_int_equal(net_socket_rows_parse("", collect_row, &c), -EBADMSG);
}

/* ---- pid_resource_sample --------------------------------------------------------------- */

static void test_sample_fixture(void **state)
{
        (void)state;
        RootFS fs;
        PidResourceSample s;
        fixture_open_roots(&fs, "inspect-basic");

        assert_int_equal(pid_resource_sample(&fs, 4242, false, &s), 0);
        assert_true(s.t_usec > 0);
        assert_int_equal(s.rss_bytes, 10240 * KB);
        assert_int_equal(s.anon_bytes, 8192 * KB);
        assert_int_equal(s.swap_bytes, 512 * KB);
        assert_int_equal(s.threads, 3);
        assert_int_equal(s.open_fds, 10);
        assert_int_equal(s.sockets, 4);
        assert_int_equal(s.minflt, 1500);
        assert_int_equal(s.majflt, 7);
        assert_int_equal(s.uss_bytes, U64_ABSENT); /* not asked */
        assert_int_equal(s.pss_bytes, U64_ABSENT);

        assert_int_equal(pid_resource_sample(&fs, 4242, true, &s), 0);
        assert_int_equal(s.uss_bytes, (512 + 8192) * KB);
        assert_int_equal(s.pss_bytes, 9000 * KB);

        /* Only a stat: without status the process counts as gone. */
        assert_int_equal(pid_resource_sample(&fs, 4243, true, &s), -ESRCH);
        assert_int_equal(pid_resource_sample(&fs, 99999, true, &s), -ESRCH);
        assert_int_equal(pid_resource_sample(&fs, 0, true, &s), -ESRCH);
        assert_int_equal(pid_resource_sample(&fs, -1, true, &s), -ESRCH);
        rootfs_close(&fs);

        fixture_open_roots(&fs, "inspect-hostile");
        assert_int_equal(pid_resource_sample(&fs, 666, true, &s), 0);
        /* Malformed or missing: absent, never 0. */
        assert_int_equal(s.rss_bytes, U64_ABSENT);
        assert_int_equal(s.anon_bytes, U64_ABSENT);
        assert_int_equal(s.swap_bytes, KB);
        assert_int_equal(s.threads, 2);
        assert_int_equal(s.open_fds, U64_ABSENT);
        assert_int_equal(s.sockets, U64_ABSENT);
        assert_int_equal(s.minflt, U64_ABSENT);
        assert_int_equal(s.majflt, 3); /* only the overflowing counter is lost */
        assert_int_equal(s.uss_bytes, U64_ABSENT);
        assert_int_equal(s.pss_bytes, U64_ABSENT);
        /* Kernel thread: no memory, an empty fd table. */
        assert_int_equal(pid_resource_sample(&fs, 700, true, &s), 0);
        assert_int_equal(s.rss_bytes, U64_ABSENT);
        assert_int_equal(s.open_fds, 0);
        assert_int_equal(s.sockets, 0);
        assert_int_equal(s.pss_bytes, U64_ABSENT);
        /* A zombie is gone for sampling purposes. */
        assert_int_equal(pid_resource_sample(&fs, 701, true, &s), -ESRCH);
        rootfs_close(&fs);
}

static void test_sample_live_self(void **state)
{
        (void)state;
        RootFS fs;
        PidResourceSample a, b;
        open_live(&fs);

        assert_int_equal(pid_resource_sample(&fs, getpid(), true, &a), 0);
        assert_true(a.rss_bytes > 0 && has_u64(a.anon_bytes) && has_u64(a.swap_bytes));
        assert_int_equal(a.threads, 1);
        assert_true(has_u64(a.minflt) && a.minflt > 0);
        assert_true(a.uss_bytes > 0 && a.pss_bytes >= a.uss_bytes);
        assert_true(a.open_fds >= 3 + 1); /* stdio + the RootFS dirs */

        /* Two sockets, a pipe: the counts follow. */
        int s1 = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int s2 = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        int p[2];
        assert_true(s1 >= 0 && s2 >= 0);
        assert_int_equal(pipe2(p, O_CLOEXEC), 0);
        assert_int_equal(pid_resource_sample(&fs, getpid(), false, &b), 0);
        assert_int_equal(b.open_fds, a.open_fds + 4);
        assert_int_equal(b.sockets, a.sockets + 2);
        assert_true(b.t_usec > a.t_usec);
        close(s1);
        close(s2);
        close(p[0]);
        close(p[1]);

        /* A child that exits and is reaped: -ESRCH. */
        pid_t child = fork();
        assert_true(child >= 0);
        if (child == 0)
                _exit(0);
        int st;
        assert_int_equal(waitpid(child, &st, 0), child);
        assert_int_equal(pid_resource_sample(&fs, child, true, &b), -ESRCH);
        rootfs_close(&fs);
}

/* ---- CPU ------------------------------------------------------------------------------------ */

static void test_cpu_percent(void **state)
{
        (void)state;
        long tck = sysconf(_SC_CLK_TCK);
        PidCpuSample a = { .t_usec = 1000000, .ticks = 100, .starttime_ticks = 5 };
        PidCpuSample b = { .t_usec = 2000000, .ticks = 100 + (uint64_t)tck / 2, .starttime_ticks = 5 };
        assert_float_equal(pid_cpu_percent(&a, &b), 50.0, 1e-9);
        b.ticks = 100 + 3 * (uint64_t)tck; /* three busy threads */
        assert_float_equal(pid_cpu_percent(&a, &b), 300.0, 1e-9);
        b.ticks = 50; /* never negative */
        assert_float_equal(pid_cpu_percent(&a, &b), 0.0, 1e-9);
        b.starttime_ticks = 6; /* another process now */
        assert_true(isnan(pid_cpu_percent(&a, &b)));
        b.starttime_ticks = 5;
        b.t_usec = a.t_usec;
        assert_true(isnan(pid_cpu_percent(&a, &b)));

        RootFS fs;
        open_live(&fs);
        assert_int_equal(pid_cpu_sample(&fs, getpid(), &a), 0);
        /* Burn ~60 ms of CPU. */
        volatile uint64_t x = 0;
        while (now_monotonic_usec() - a.t_usec < 60000)
                x++;
        assert_int_equal(pid_cpu_sample(&fs, getpid(), &b), 0);
        double pct = pid_cpu_percent(&a, &b);
        assert_true(pct >= 0 && pct <= 200);
        assert_int_equal(pid_cpu_sample(&fs, 999999999, &b), -ESRCH);
        rootfs_close(&fs);
}

/* ---- pid_detail_read ---------------------------------------------------------------------- */

static void test_detail_basic(void **state)
{
        (void)state;
        RootFS fs;
        ProcessDetail *d = calloc(1, sizeof *d);
        assert_non_null(d);
        fixture_open_roots(&fs, "inspect-basic");
        assert_int_equal(pid_detail_read(&fs, 4242, d), 0);

        assert_int_equal(d->pid, 4242);
        assert_string_equal(d->name, "python3");
        assert_int_equal(d->state, 'S');
        assert_true(d->has_uid);
        assert_int_equal(d->uid, 33);
        assert_string_equal(d->user, "www-data");
        assert_true(d->has_cmdline);
        assert_string_equal(d->cmdline, "/usr/bin/python3 app.py --name 'my app' --quote 'it'\\''s'");
        assert_true(d->has_cwd);
        assert_string_equal(d->cwd, "/srv/app");
        assert_float_equal(d->start_time, 1700000000.0 + 12345.0 / (double)sysconf(_SC_CLK_TCK), 1e-6);
        assert_int_equal(d->ppid, 1);
        assert_true(d->has_parent);
        assert_string_equal(d->parent_name, "systemd");
        assert_true(d->has_children);
        assert_int_equal(d->n_children, 2);
        assert_int_equal(d->children[0].pid, 4243);
        assert_string_equal(d->children[0].name, "worker");
        assert_int_equal(d->children[1].pid, 4244);
        assert_string_equal(d->children[1].name, "worker 2");
        assert_int_equal(d->threads, 3);
        assert_true(isnan(d->cpu_percent));

        assert_true(d->has_status);
        assert_int_equal(d->status.vm_rss, 10240 * KB);
        assert_int_equal(d->status.vm_size, 102400 * KB);
        assert_int_equal(d->status.vm_swap, 512 * KB);
        assert_true(d->has_smaps);
        assert_int_equal(d->smaps.pss, 9000 * KB);
        assert_int_equal(d->smaps.locked, 4 * KB);
        assert_int_equal(d->uss, 8704 * KB);
        assert_int_equal(d->minflt, 1500);
        assert_int_equal(d->majflt, 7);

        assert_true(d->has_fds);
        assert_int_equal(d->n_fds, 10);
        assert_int_equal(d->fds_by_kind[FD_KIND_FILE], 2);
        assert_int_equal(d->fds_by_kind[FD_KIND_SOCKET], 4);
        assert_int_equal(d->fds_by_kind[FD_KIND_PIPE], 2);
        assert_int_equal(d->fds_by_kind[FD_KIND_ANON_INODE], 1);
        assert_int_equal(d->fds_by_kind[FD_KIND_OTHER], 1);

        /* Matched in the process's own tables, not in proc/net. */
        assert_true(d->has_sockets);
        assert_int_equal(d->n_sockets, 3);
        assert_string_equal(d->sockets[0].proto, "tcp");
        assert_string_equal(d->sockets[0].local, "0.0.0.0:8080");
        assert_string_equal(d->sockets[0].remote, "");
        assert_int_equal(d->sockets[0].state, TCP_STATE_LISTEN);
        assert_int_equal(d->sockets[0].inode, 5001);
        assert_string_equal(d->sockets[1].proto, "tcp6");
        assert_string_equal(d->sockets[1].local, "[::1]:8443");
        assert_string_equal(d->sockets[1].remote, "[2001:db8::1]:51000");
        assert_int_equal(d->sockets[1].state, TCP_STATE_ESTABLISHED);
        assert_string_equal(d->sockets[2].proto, "udp");
        assert_string_equal(d->sockets[2].local, "127.0.0.1:5353");
        assert_int_equal(d->sockets[2].state, 0);

        assert_true(d->has_cgroup);
        assert_int_equal(d->cgroup.version, 2);
        assert_string_equal(d->cgroup.path, "/app.slice/web.service");
        assert_int_equal(d->cgroup.limit, 512 * KB * KB);
        assert_int_equal(d->cgroup.usage, 128 * KB * KB);
        assert_int_equal(d->oom_score, 683);
        assert_true(d->has_oom_score_adj);
        assert_int_equal(d->oom_score_adj, -500);

        assert_true(d->has_env);
        assert_string_equal(d->env.value[0], "/usr/local/bin:/usr/bin:/bin");
        assert_string_equal(d->env.value[1], "/var/www");
        assert_string_equal(d->env.value[2], "www-data");
        assert_string_equal(d->env.value[3], "C.UTF-8");
        assert_false(d->env.set[4]);
        assert_string_equal(d->env.value[5], "production");
        assert_false(struct_has(d, sizeof *d, "hunter2"));
        assert_false(struct_has(d, sizeof *d, "AKIAFAKESECRET123"));

        process_detail_done(d);
        assert_int_equal(pid_detail_read(&fs, 5555, d), -ESRCH);
        process_detail_done(d);
        rootfs_close(&fs);
        free(d);
}

static void test_detail_hostile(void **state)
{
        (void)state;
        RootFS fs;
        ProcessDetail *d = calloc(1, sizeof *d);
        assert_non_null(d);
        fixture_open_roots(&fs, "inspect-hostile");
        assert_int_equal(pid_detail_read(&fs, 666, d), 0);

        assert_string_equal(d->name, "a) (b\x1b[31m\nc");
        assert_int_equal(d->state, 'R');
        assert_false(d->has_uid);
        assert_true(d->has_cmdline);
        assert_string_equal(d->cmdline, "evil: master process \x1b]0;pwned\x07");
        assert_false(d->has_cwd);
        assert_true(isnan(d->start_time));
        assert_int_equal(d->ppid, 1);
        assert_false(d->has_parent);
        /* No task/: found by scanning every stat. */
        assert_true(d->has_children);
        assert_int_equal(d->n_children, 1);
        assert_int_equal(d->children[0].pid, 667);
        assert_int_equal(d->threads, 2);
        assert_true(d->has_status);
        assert_int_equal(d->status.vm_rss, U64_ABSENT);
        assert_int_equal(d->status.vm_size, U64_ABSENT);
        assert_int_equal(d->status.rss_file, U64_ABSENT);
        assert_false(d->has_smaps);
        assert_int_equal(d->uss, U64_ABSENT);
        assert_int_equal(d->minflt, U64_ABSENT);
        assert_int_equal(d->majflt, 3);
        assert_false(d->has_fds);
        assert_int_equal(d->n_fds, U64_ABSENT);
        assert_int_equal(d->fds_by_kind[FD_KIND_FILE], U64_ABSENT);
        assert_false(d->has_sockets);
        assert_true(d->has_cgroup);
        assert_string_equal(d->cgroup.path, "/gone.slice/x.service");
        assert_string_equal(d->cgroup.dir, "/gone.slice");
        assert_int_equal(d->cgroup.limit, 1024 * KB * KB);
        assert_int_equal(d->oom_score, U64_ABSENT);
        assert_false(d->has_oom_score_adj);
        assert_true(d->has_env);
        assert_false(d->env.set[0]);
        assert_string_equal(d->env.value[1], "/root\x1b]0;pwned\x07");
        assert_true(d->env.set[3]);
        assert_string_equal(d->env.value[3], "");
        assert_false(struct_has(d, sizeof *d, "hunter2"));
        assert_false(struct_has(d, sizeof *d, "SECRET"));
        process_detail_done(d);

        /* Kernel thread. */
        assert_int_equal(pid_detail_read(&fs, 700, d), 0);
        assert_string_equal(d->name, "kworker/0:1-events");
        assert_false(d->has_cmdline);
        assert_false(d->has_smaps);
        assert_true(d->has_status);
        assert_int_equal(d->status.vm_rss, U64_ABSENT);
        assert_true(d->has_fds);
        assert_int_equal(d->n_fds, 0);
        assert_true(d->has_env);
        for (int i = 0; i < PID_ENV_N; i++)
                assert_false(d->env.set[i]);
        assert_false(d->has_cgroup);
        assert_int_equal(d->oom_score, 0);
        process_detail_done(d);

        /* A zombie can still be inspected. */
        assert_int_equal(pid_detail_read(&fs, 701, d), 0);
        assert_int_equal(d->state, 'Z');
        process_detail_done(d);
        rootfs_close(&fs);
        free(d);
}

static void test_detail_live_sample(void **state)
{
        (void)state;
        RootFS fs;
        ProcessDetail *d = calloc(1, sizeof *d);
        assert_non_null(d);
        fixture_open_roots(&fs, "inspect-live-sample");
        assert_int_equal(pid_detail_read(&fs, 25316, d), 0);
        assert_string_equal(d->name, "python3");
        assert_true(d->has_fds);
        assert_int_equal(d->n_fds, 12);
        assert_int_equal(d->fds_by_kind[FD_KIND_FILE], 5);
        assert_int_equal(d->fds_by_kind[FD_KIND_SOCKET], 4);
        assert_int_equal(d->fds_by_kind[FD_KIND_PIPE], 3);
        assert_int_equal(d->n_sockets, 4);
        assert_string_equal(d->sockets[0].local, "127.0.0.1:37613");
        assert_int_equal(d->sockets[0].state, TCP_STATE_LISTEN);
        assert_string_equal(d->sockets[1].remote, "127.0.0.1:37613");
        assert_string_equal(d->sockets[2].local, "127.0.0.1:37613");
        assert_string_equal(d->sockets[2].remote, "127.0.0.1:37222");
        assert_string_equal(d->sockets[3].proto, "udp6");
        assert_string_equal(d->sockets[3].local, "[::1]:54598");
        assert_float_equal(d->start_time, 1795631133.0 + 400742.0 / (double)sysconf(_SC_CLK_TCK), 1e-6);
        assert_int_equal(d->oom_score, 666);
        assert_true(d->has_children);
        assert_int_equal(d->n_children, 0);
        assert_false(struct_has(d, sizeof *d, "live-secret"));
        process_detail_done(d);
        rootfs_close(&fs);
        free(d);
}

static void test_detail_live_self(void **state)
{
        (void)state;
        RootFS fs;
        ProcessDetail *d = calloc(1, sizeof *d);
        assert_non_null(d);
        open_live(&fs);

        int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        socklen_t sl = sizeof sa;
        assert_true(ls >= 0);
        assert_int_equal(bind(ls, (struct sockaddr *)&sa, sizeof sa), 0);
        assert_int_equal(listen(ls, 1), 0);
        assert_int_equal(getsockname(ls, (struct sockaddr *)&sa, &sl), 0);
        char want[64];
        snprintf(want, sizeof want, "127.0.0.1:%u", (unsigned)ntohs(sa.sin_port));

        assert_int_equal(pid_detail_read(&fs, getpid(), d), 0);
        assert_string_equal(d->name, "test-pidinfo");
        assert_int_equal(d->ppid, getppid());
        assert_true(d->has_uid);
        assert_int_equal(d->uid, getuid());
        assert_true(d->has_cwd);
        assert_true(d->has_smaps && d->uss > 0);
        assert_true(d->has_fds && d->fds_by_kind[FD_KIND_SOCKET] >= 1);
        assert_true(d->has_sockets);
        bool found = false;
        for (size_t i = 0; i < d->n_sockets; i++)
                if (strcmp(d->sockets[i].local, want) == 0 && d->sockets[i].state == TCP_STATE_LISTEN)
                        found = true;
        assert_true(found);
        assert_true(has_dbl(d->start_time));
        assert_true(d->has_oom_score_adj);
        assert_true(d->has_env);
        close(ls);
        process_detail_done(d);
        rootfs_close(&fs);
        free(d);
}

/* environ bigger than the read buffer: entries across chunk boundaries, an
 * unwanted entry longer than the buffer, a wanted one longer than it too. */
static void test_detail_env_streaming(void **state)
{
        (void)state;
        char dir[] = "/tmp/test-pidinfo-XXXXXX";
        char path[512];
        assert_non_null(mkdtemp(dir));
        snprintf(path, sizeof path, "%s/77", dir);
        assert_int_equal(mkdir(path, 0755), 0);
        snprintf(path, sizeof path, "%s/77/stat", dir);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs("77 (big) S 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0\n", f);
        fclose(f);
        snprintf(path, sizeof path, "%s/77/environ", dir);
        f = fopen(path, "w");
        assert_non_null(f);
        for (int i = 0; i < 3000; i++)
                fprintf(f, "VAR_%d=value_%d_SECRET%c", i, i, '\0');
        fputs("JUNK_SECRET=", f);
        for (int i = 0; i < 40000; i++)
                fputc('j', f);
        fputc('\0', f);
        fputs("LANG=C.UTF-8", f);
        fputc('\0', f);
        fputs("HOME=/", f);
        for (int i = 0; i < 30000; i++)
                fputc('h', f);
        fputc('\0', f);
        fputs("PATH=/at/the/end", f); /* no final NUL */
        fclose(f);

        RootFS fs;
        const char *which;
        assert_int_equal(rootfs_open(&fs, dir, dir, dir, &which), 0);
        ProcessDetail *d = calloc(1, sizeof *d);
        assert_non_null(d);
        assert_int_equal(pid_detail_read(&fs, 77, d), 0);
        assert_true(d->has_env);
        assert_string_equal(d->env.value[0], "/at/the/end");
        assert_string_equal(d->env.value[3], "C.UTF-8");
        assert_true(d->env.set[1]);
        assert_true(d->env.truncated[1]);
        assert_int_equal(strlen(d->env.value[1]), PID_ENV_VALUE_MAX - 1);
        assert_false(d->env.set[2]);
        assert_false(struct_has(d, sizeof *d, "SECRET"));
        assert_false(struct_has(d, sizeof *d, "jjjj"));
        process_detail_done(d);
        free(d);
        rootfs_close(&fs);

        unlink(path);
        snprintf(path, sizeof path, "%s/77/stat", dir);
        unlink(path);
        snprintf(path, sizeof path, "%s/77", dir);
        rmdir(path);
        rmdir(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_status_live_sample),
                cmocka_unit_test(test_status_live_self),
                cmocka_unit_test(test_status_minimal_and_missing),
                cmocka_unit_test(test_status_malformed),
                cmocka_unit_test(test_status_duplicates_and_names),
                cmocka_unit_test(test_status_every_prefix),
                cmocka_unit_test(test_smaps_live_sample),
                cmocka_unit_test(test_smaps_live_self),
                cmocka_unit_test(test_smaps_minimal_and_old),
                cmocka_unit_test(test_smaps_malformed),
                cmocka_unit_test(test_smaps_every_prefix),
                cmocka_unit_test(test_environ_selected_only),
                cmocka_unit_test(test_environ_edges),
                cmocka_unit_test(test_environ_fixture_secrets),
                cmocka_unit_test(test_cmdline),
                cmocka_unit_test(test_cmdline_live_sample),
                cmocka_unit_test(test_stat_faults),
                cmocka_unit_test(test_fd_kinds),
                cmocka_unit_test(test_children),
                cmocka_unit_test(test_net_rows),
                cmocka_unit_test(test_net_rows_tables),
                cmocka_unit_test(test_sample_fixture),
                cmocka_unit_test(test_sample_live_self),
                cmocka_unit_test(test_cpu_percent),
                cmocka_unit_test(test_detail_basic),
                cmocka_unit_test(test_detail_hostile),
                cmocka_unit_test(test_detail_live_sample),
                cmocka_unit_test(test_detail_live_self),
                cmocka_unit_test(test_detail_env_streaming),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
