/* SPDX-License-Identifier: MIT */
/* collect/process: pid_stat_parse with hostile names and truncated files,
 * pid_status_uid_parse, passwd_find_name / passwd_name (collect/passwd),
 * and proc_scan + processes_summarize over the host-* fixture trees. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/passwd.h"
#include "collect/process.h"
#include "collect/rootfs.h"
#include "util/fileio.h"

/* The tail of a 52-field stat after "pid (comm) ": state ppid pgrp session
 * tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime cutime
 * cstime priority nice num_threads itrealvalue starttime vsize rss ... */
#define STAT_TAIL                                                                                  \
        "S 1 1234 1234 34816 1234 4194304 8123 0 12 0 250 75 3 4 20 0 3 0 98765 "               \
        "123456789 4321 18446744073709551615 1 1 0 0 0 0 0 4096 1260 0 0 0 17 1 0 0 0 0 0 0 0 " \
        "0 0 0 0 0 0\n"

static int parse_str(const char *s, PidStat *st)
{
        /* An exact-size heap copy: ASan catches any read past len. */
        size_t len = strlen(s);
        char *copy = malloc(len + 1);
        assert_non_null(copy);
        memcpy(copy, s, len + 1);
        int r = pid_stat_parse(copy, len, st);
        free(copy);
        return r;
}

static int parse_mem(const char *s, size_t len, PidStat *st)
{
        char *copy = malloc(len + 1);
        assert_non_null(copy);
        memcpy(copy, s, len);
        copy[len] = '\0';
        int r = pid_stat_parse(copy, len, st);
        free(copy);
        return r;
}

/* ---- pid_stat_parse ---------------------------------------------------- */

static void test_stat_fields(void **state)
{
        (void)state;
        PidStat st;
        assert_int_equal(parse_str("4242 (python3) " STAT_TAIL, &st), 0);
        assert_int_equal(st.pid, 4242);
        assert_string_equal(st.comm, "python3");
        assert_int_equal(st.state, 'S');
        assert_int_equal(st.ppid, 1);
        assert_int_equal(st.utime_ticks, 250);
        assert_int_equal(st.stime_ticks, 75);
        assert_int_equal(st.num_threads, 3);
        assert_int_equal(st.starttime_ticks, 98765);
        assert_int_equal(st.vsize_bytes, 123456789);
        assert_int_equal(st.rss_pages, 4321);
}

static void test_stat_fixture_files(void **state)
{
        (void)state;
        PidStat st;
        size_t len;
        char *text = fixture_slurp("host-basic/proc/200/stat", &len);
        assert_int_equal(pid_stat_parse(text, len, &st), 0);
        assert_int_equal(st.pid, 200);
        assert_string_equal(st.comm, "postgres");
        assert_int_equal(st.state, 'R');
        assert_int_equal(st.utime_ticks, 900);
        assert_int_equal(st.stime_ticks, 300);
        assert_int_equal(st.starttime_ticks, 450);
        assert_int_equal(st.vsize_bytes, 220000000);
        assert_int_equal(st.rss_pages, 25000);
        free(text);

        /* 2.6.32: 44 fields. */
        text = fixture_slurp("host-old-kernel/proc/500/stat", &len);
        assert_int_equal(pid_stat_parse(text, len, &st), 0);
        assert_string_equal(st.comm, "mysqld");
        assert_int_equal(st.num_threads, 20);
        assert_int_equal(st.rss_pages, 100000);
        free(text);

        /* Workqueue threads print more than 15 bytes since 4.19. */
        text = fixture_slurp("host-basic/proc/400/stat", &len);
        assert_int_equal(pid_stat_parse(text, len, &st), 0);
        assert_string_equal(st.comm, "kworker/0:1-events");
        assert_int_equal(st.state, 'I');
        assert_int_equal(st.flags, 69238880); /* PF_KTHREAD | PF_WQ_WORKER | ... */
        free(text);
}

static void test_stat_live_self(void **state)
{
        (void)state;
        PidStat st;
        char buf[1024];
        int dfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(dfd >= 0);
        ssize_t n = read_file_at(dfd, "self/stat", buf, sizeof buf);
        close(dfd);
        assert_true(n > 0);
        assert_int_equal(pid_stat_parse(buf, (size_t)n, &st), 0);
        assert_int_equal(st.pid, getpid());
        assert_int_equal(st.ppid, getppid());
        assert_string_equal(st.comm, "test-process");
        assert_int_equal(st.state, 'R');
        assert_true(st.num_threads >= 1);
        assert_true(st.rss_pages > 0);
}

static void test_stat_hostile_names(void **state)
{
        (void)state;
        static const struct {
                const char *line;
                const char *comm;
        } cases[] = {
                { "10 (a) b (c) " STAT_TAIL, "a) b (c" },
                { "11 (x\ny) " STAT_TAIL, "x\ny" },
                { "12 (\xff\xfe bad) " STAT_TAIL, "\xff\xfe bad" }, /* bytes kept; JSON sanitizes */
                { "13 (\"quoted\\\") " STAT_TAIL, "\"quoted\\\"" },
                { "14 (\x1b[31mred) " STAT_TAIL, "\x1b[31mred" },
                { "15 (averyveryverylo) " STAT_TAIL, "averyveryverylo" }, /* exactly 15 bytes */
                { "16 ()) " STAT_TAIL, ")" },
                { "17 (() " STAT_TAIL, "(" },
                { "18 () " STAT_TAIL, "" },
                { "19 ((()))) " STAT_TAIL, "(()))" }, /* first '(' to last ')' */
                /* Fake fields inside the name are part of the name. */
                { "20 (x) R 99999 1 2 3) " STAT_TAIL, "x) R 99999 1 2 3" },
                { "21 (  ) " STAT_TAIL, "  " },
                { "22 (tab\there) " STAT_TAIL, "tab\there" },
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                PidStat st;
                memset(&st, 0, sizeof st);
                int r = parse_str(cases[i].line, &st);
                if (r != 0)
                        fail_msg("case %zu: %d", i, r);
                assert_string_equal(st.comm, cases[i].comm);
                assert_int_equal(st.pid, (int)(10 + i));
                /* The fields after the name are the real ones. */
                assert_int_equal(st.state, 'S');
                assert_int_equal(st.ppid, 1);
                assert_int_equal(st.utime_ticks, 250);
                assert_int_equal(st.rss_pages, 4321);
        }
}

static void test_stat_long_name_cut(void **state)
{
        (void)state;
        /* The kernel never prints more than 64 bytes, a fixture might:
         * the copy is cut, NUL-terminated, and the fields still parse. */
        char line[1024], name[200];
        memset(name, 'n', sizeof name - 1);
        name[sizeof name - 1] = '\0';
        snprintf(line, sizeof line, "7 (%s) " STAT_TAIL, name);
        PidStat st;
        assert_int_equal(parse_str(line, &st), 0);
        assert_int_equal(strlen(st.comm), sizeof st.comm - 1);
        assert_int_equal(st.rss_pages, 4321);
}

static void test_stat_truncated(void **state)
{
        (void)state;
        static const char *const bad[] = {
                "",
                "\n",
                "1",
                "1 ",
                "1 (",
                "1 (x",
                "1 (x)",
                "1 (x)\n",
                "1 (x) ",
                "1 (x) S",
                "1 (x) S\n",
                "1 (x) S ",
                "1 (x) S 1",
                "1 (x) S 1 1 1 0 -1 4194560 100 0 0 0",
                "1 (x) S 1 1 1 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 1 0 7",
                "1 (x) S 1 1 1 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 1 0 7 8\n",
                ")",
                "1 )x( " STAT_TAIL,
                "(x) " STAT_TAIL,          /* no pid */
                "-1 (x) " STAT_TAIL,       /* negative pid */
                "abc (x) " STAT_TAIL,
                "1 (x)S 1 1 1 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 1 0 7 8 9\n", /* no blank */
                "1 (x)  1 1 1 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 1 0 7 8 9\n", /* no state */
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                PidStat st;
                memset(&st, 0x5a, sizeof st);
                PidStat before = st;
                int r = parse_str(bad[i], &st);
                if (r != -EBADMSG)
                        fail_msg("input %zu \"%s\": %d", i, bad[i], r);
                assert_memory_equal(&st, &before, sizeof st);
        }
}

static void test_stat_every_prefix(void **state)
{
        (void)state;
        /* A file cut anywhere before the rss field never parses and never
         * reads out of bounds (each prefix is an exact-size allocation). */
        const char *full = "300 (a) b (c) " STAT_TAIL;
        const char *rss = strstr(full, " 4321 ");
        assert_non_null(rss);
        size_t rss_start = (size_t)(rss - full) + 1;
        for (size_t len = 0; len < rss_start; len++) {
                PidStat st;
                int r = parse_mem(full, len, &st);
                if (r >= 0)
                        fail_msg("prefix of %zu bytes parsed", len);
        }
        PidStat st;
        assert_int_equal(parse_mem(full, strlen(full), &st), 0);
        assert_string_equal(st.comm, "a) b (c");
        /* The host-hostile fixture's truncated stat. */
        size_t len;
        char *text = fixture_slurp("host-hostile/proc/16/stat", &len);
        assert_true(pid_stat_parse(text, len, &st) < 0);
        free(text);
}

static void test_stat_overflow(void **state)
{
        (void)state;
        PidStat st;
        static const char *const bad[] = {
                /* utime */
                "1 (x) S 1 1 1 0 -1 4194560 100 0 0 0 18446744073709551616 6 0 0 20 0 1 0 7 8 9\n",
                /* starttime */
                "1 (x) S 1 1 1 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 1 0 18446744073709551616 8 9\n",
                /* rss */
                "1 (x) S 1 1 1 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 1 0 7 8 18446744073709551616\n",
                /* num_threads above INT64_MAX */
                "1 (x) S 1 1 1 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 9223372036854775808 0 7 8 9\n",
                /* pid above INT32_MAX */
                "2147483648 (x) S 1 1 1 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 1 0 7 8 9\n",
                "18446744073709551616 (x) S 1 1 1 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 1 0 7 8 9\n",
                /* negative where unsigned */
                "1 (x) S 1 1 1 0 -1 4194560 100 0 0 0 -5 6 0 0 20 0 1 0 7 8 9\n",
                "1 (x) S 1 1 1 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 1 0 7 8 -9\n",
                /* non-numeric */
                "1 (x) S 1 1 1 0 -1 4194560 100 0 0 0 5 abc 0 0 20 0 1 0 7 8 9\n",
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                int r = parse_str(bad[i], &st);
                if (r != -EBADMSG && r != -ERANGE)
                        fail_msg("input %zu: %d", i, r);
        }

        /* The largest values that fit. */
        assert_int_equal(parse_str("2147483647 (x) S 2147483647 1 1 0 -1 4194560 100 0 0 0 "
                                   "18446744073709551615 18446744073709551615 0 0 20 0 "
                                   "9223372036854775807 0 18446744073709551615 "
                                   "18446744073709551615 18446744073709551615\n",
                                   &st),
                         0);
        assert_int_equal(st.pid, INT32_MAX);
        assert_true(st.utime_ticks == UINT64_MAX);
        assert_true(st.num_threads == INT64_MAX);
        assert_true(st.starttime_ticks == UINT64_MAX);
        assert_true(st.rss_pages == UINT64_MAX);
}

/* ---- pid_status_uid_parse ---------------------------------------------- */

static void test_status_uid(void **state)
{
        (void)state;
        uid_t uid = 12345;
        char *text = fixture_slurp("host-basic/proc/200/status", NULL);
        assert_int_equal(pid_status_uid_parse(text, &uid), 0);
        assert_int_equal(uid, 999);
        free(text);

        /* The real uid is the first of the four. */
        assert_int_equal(pid_status_uid_parse("Name:\tx\nUid:\t1000\t0\t0\t0\n", &uid), 0);
        assert_int_equal(uid, 1000);
        assert_int_equal(pid_status_uid_parse("Uid: 0 0 0 0", &uid), 0);
        assert_int_equal(uid, 0);
        assert_int_equal(pid_status_uid_parse("Uid:\t4294967295\n", &uid), 0);
        assert_int_equal(uid, (uid_t)4294967295u);
        /* A name cannot fake the line: only a line that starts with Uid:. */
        assert_int_equal(pid_status_uid_parse("Name:\tUid:\t0\nPPid:\t1\nUid:\t33\t33\t33\t33\n", &uid), 0);
        assert_int_equal(uid, 33);
}

static void test_status_uid_bad(void **state)
{
        (void)state;
        uid_t uid = 777;
        assert_int_equal(pid_status_uid_parse("", &uid), -ENODATA);
        assert_int_equal(pid_status_uid_parse("Name:\tx\nGid:\t0\t0\t0\t0\n", &uid), -ENODATA);
        assert_int_equal(pid_status_uid_parse("uid:\t5\n", &uid), -ENODATA);
        assert_int_equal(pid_status_uid_parse(" Uid:\t5\n", &uid), -ENODATA);
        assert_int_equal(pid_status_uid_parse("Uid:\tabc\n", &uid), -EBADMSG);
        assert_int_equal(pid_status_uid_parse("Uid:\n", &uid), -EBADMSG);
        assert_int_equal(pid_status_uid_parse("Uid:\t-1\n", &uid), -EBADMSG);
        assert_int_equal(pid_status_uid_parse("Uid:\t4294967296\n", &uid), -EBADMSG);
        assert_int_equal(pid_status_uid_parse("Uid:\t18446744073709551616\n", &uid), -EBADMSG);
        assert_int_equal(uid, 777);
}

/* ---- passwd_find_name -------------------------------------------------- */

static const char PASSWD[] =
        "root:x:0:0:root:/root:/bin/bash\n"
        "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
        "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n"
        "alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\n"
        "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin";

static void test_passwd_basic(void **state)
{
        (void)state;
        char name[64];
        assert_int_equal(passwd_find_name(PASSWD, 0, name, sizeof name), 0);
        assert_string_equal(name, "root");
        assert_int_equal(passwd_find_name(PASSWD, 33, name, sizeof name), 0);
        assert_string_equal(name, "www-data");
        assert_int_equal(passwd_find_name(PASSWD, 1000, name, sizeof name), 0);
        assert_string_equal(name, "alice");
        /* Last line without newline. */
        assert_int_equal(passwd_find_name(PASSWD, 65534, name, sizeof name), 0);
        assert_string_equal(name, "nobody");
        strcpy(name, "unchanged");
        assert_int_equal(passwd_find_name(PASSWD, 4242, name, sizeof name), -ENOENT);
        assert_string_equal(name, "unchanged");
        assert_int_equal(passwd_find_name("", 0, name, sizeof name), -ENOENT);
        /* The gid column is not the uid. */
        assert_int_equal(passwd_find_name("x:x:5:0::/:/bin/sh\n", 0, name, sizeof name), -ENOENT);
        /* First entry wins. */
        assert_int_equal(passwd_find_name("a:x:7:7::/:\nb:x:7:7::/:\n", 7, name, sizeof name), 0);
        assert_string_equal(name, "a");
}

/* The comment handling was a bug (a commented-out entry named the uid,
 * e.g. pid 10 of host-hostile showed as "#olduser"); fixed in place in
 * src/collect/passwd.c. */
static void test_passwd_comments(void **state)
{
        (void)state;
        char name[64];
        const char *text =
                "# /etc/passwd: managed by puppet\n"
                "#olduser:x:1000:1000::/home/olduser:/bin/sh\n"
                "alice:x:1000:1000::/home/alice:/bin/bash\n";
        assert_int_equal(passwd_find_name(text, 1000, name, sizeof name), 0);
        assert_string_equal(name, "alice");
        assert_int_equal(passwd_find_name("#root:x:0:0::/:\n", 0, name, sizeof name), -ENOENT);
}

static void test_passwd_malformed(void **state)
{
        (void)state;
        char name[64];
        const char *text =
                "\n"
                "garbage line without colons\n"
                "one:colon\n"
                "two:colons:\n"
                ":x:0:0:empty name:/:/bin/sh\n"
                "nonnum:x:abc:0::/:/bin/sh\n"
                "empty:x::0::/:/bin/sh\n"
                "junk:x:0junk:0::/:/bin/sh\n"
                "neg:x:-1:0::/:/bin/sh\n"
                "wrap:x:4294967296:0:wraps to 0 in 32 bits:/:/bin/sh\n"
                "huge:x:18446744073709551616:0::/:/bin/sh\n"
                "+::::::\n"
                "\xff\xfe:x:5:5::/:\n"
                "root:x:0:0:root:/root:/bin/bash\n";
        assert_int_equal(passwd_find_name(text, 0, name, sizeof name), 0);
        assert_string_equal(name, "root");
        /* Names are copied as they are (the renderer sanitizes). */
        assert_int_equal(passwd_find_name(text, 5, name, sizeof name), 0);
        assert_string_equal(name, "\xff\xfe");
        assert_int_equal(passwd_find_name(text, (uid_t)-1, name, sizeof name), -ENOENT);
        assert_int_equal(passwd_find_name("a:b\nc:0:d\n", 0, name, sizeof name), -ENOENT);
}

static void test_passwd_truncation(void **state)
{
        (void)state;
        char name[8];
        memset(name, 'X', sizeof name);
        assert_int_equal(passwd_find_name("averylongusername:x:1:1::/:\n", 1, name, 5), 0);
        assert_string_equal(name, "aver");
        assert_int_equal(name[5], 'X');
        assert_int_equal(passwd_find_name("abc:x:1:1::/:\n", 1, name, 1), 0);
        assert_string_equal(name, "");
}

static void test_passwd_name_cache(void **state)
{
        (void)state;
        RootFS fs;
        PasswdCache pw = { 0 };
        char name[64];

        fixture_open_roots(&fs, "host-basic");
        passwd_name(&fs, &pw, 999, name, sizeof name);
        assert_string_equal(name, "postgres");
        assert_int_equal(pw.loaded, 1);
        passwd_name(&fs, &pw, 4242, name, sizeof name);
        assert_string_equal(name, "4242");
        passwd_cache_done(&pw);
        rootfs_close(&fs);

        /* No etc/passwd under --rootfs: numbers. */
        const char *which = NULL;
        assert_int_equal(rootfs_open(&fs, FIXTURES_DIR "/host-basic/proc", FIXTURES_DIR "/host-basic/sys",
                                     FIXTURES_DIR "/host-basic/sys", &which),
                         0);
        passwd_name(&fs, &pw, 0, name, sizeof name);
        assert_string_equal(name, "0");
        assert_int_equal(pw.loaded, -1);
        passwd_cache_done(&pw);
        rootfs_close(&fs);
}

/* ---- proc_scan / processes_summarize over fixtures ---------------------- */

static const ProcessSummary *find_summary(const ProcessInfo *pi, int pid)
{
        for (size_t i = 0; i < pi->n_top_by_memory; i++)
                if (pi->top_by_memory[i].pid == pid)
                        return &pi->top_by_memory[i];
        return NULL;
}

static void test_scan_basic(void **state)
{
        (void)state;
        RootFS fs;
        ProcScan scan = { 0 };
        ProcessInfo pi;
        fixture_open_roots(&fs, "host-basic");

        assert_int_equal(proc_scan(&fs, &scan, false, NULL), 0);
        assert_int_equal(scan.n, 6);
        static const int pids[] = { 1, 42, 100, 200, 300, 400 };
        for (size_t i = 0; i < 6; i++)
                assert_int_equal(scan.v[i].pid, pids[i]); /* sorted */
        assert_int_equal(scan.v[3].cpu_ticks, 1200);
        assert_int_equal(scan.v[3].rss_pages, 25000);

        assert_int_equal(processes_summarize(&fs, NULL, &scan, 24683656ULL * 1024, &pi), 0);
        assert_int_equal(pi.total, 6);
        assert_int_equal(pi.threads_total, 9);
        assert_int_equal(pi.status_counts[PROC_STATE_SLEEPING], 3);
        assert_int_equal(pi.status_counts[PROC_STATE_RUNNING], 1);
        assert_int_equal(pi.status_counts[PROC_STATE_ZOMBIE], 1);
        assert_int_equal(pi.status_counts[PROC_STATE_IDLE], 1);
        assert_int_equal(pi.n_top_by_memory, 6);
        assert_int_equal(pi.n_top_by_cpu, 6);
        /* By RSS, ties (0 pages) in pid order. */
        static const int by_mem[] = { 200, 100, 1, 42, 300, 400 };
        for (size_t i = 0; i < 6; i++) {
                assert_int_equal(pi.top_by_memory[i].pid, by_mem[i]);
                assert_int_equal(pi.top_by_cpu[i].pid, by_mem[i]); /* all 0 % */
                assert_float_equal(pi.top_by_cpu[i].cpu_percent, 0.0, 0);
        }
        const ProcessSummary *p = find_summary(&pi, 200);
        assert_string_equal(p->name, "postgres");
        assert_string_equal(p->username, "postgres");
        assert_true(p->has_uid);
        assert_int_equal(p->uid, 999);
        uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
        assert_int_equal(p->rss_bytes, 25000 * page);
        assert_float_equal(p->memory_percent, 25000.0 * (double)page / (24683656.0 * 1024) * 100, 1e-9);
        assert_int_equal(p->state, PROC_STATE_RUNNING);
        p = find_summary(&pi, 300);
        assert_string_equal(p->name, "bash");
        assert_string_equal(p->username, "alice");
        /* A kernel thread (PF_KTHREAD in the flags field) is root without
         * a status file: the fixture has none. */
        assert_true(scan.v[5].kernel_thread);
        assert_false(scan.v[3].kernel_thread);
        p = find_summary(&pi, 400);
        assert_string_equal(p->name, "kworker/0:1-events");
        assert_true(p->has_uid);
        assert_int_equal(p->uid, 0);
        assert_string_equal(p->username, "root");
        proc_scan_done(&scan);
        rootfs_close(&fs);
}

/* Owners read ahead (before the window) are used for the same process and
 * only for it; the largest non-kernel processes come first. */
static void test_scan_read_owners(void **state)
{
        (void)state;
        RootFS fs;
        ProcScan before = { 0 }, after = { 0 };
        ProcessInfo pi;
        fixture_open_roots(&fs, "host-basic");
        assert_int_equal(proc_scan(&fs, &before, true, NULL), 0);
        /* RSS order: 200 postgres 25000, 100 nginx 5200, 1 systemd 3000. */
        proc_scan_read_owners(&fs, &before, 2);
        assert_true(before.v[3].owner_read && before.v[3].has_uid); /* 200 */
        assert_int_equal(before.v[3].uid, 999);
        assert_true(before.v[2].owner_read && before.v[2].has_uid); /* 100 */
        assert_int_equal(before.v[2].uid, 33);
        assert_false(before.v[0].owner_read);                       /* 1: third */
        assert_false(before.v[5].owner_read);                       /* 400: kernel thread */

        /* Pretend the read-ahead saw other owners: the summary must take
         * them, proving no status file was read again for these two... */
        before.v[3].uid = 1000;
        before.v[2].uid = 0;
        /* ... unless the pid now belongs to another process. */
        assert_int_equal(proc_scan(&fs, &after, false, &before), 0);
        after.v[2].starttime_ticks += 1;
        assert_int_equal(processes_summarize(&fs, &before, &after, 0, &pi), 0);
        const ProcessSummary *p = find_summary(&pi, 200);
        assert_int_equal(p->uid, 1000);
        assert_string_equal(p->username, "alice");
        p = find_summary(&pi, 100);
        assert_int_equal(p->uid, 33); /* re-read: a new process with pid 100 */
        assert_string_equal(p->username, "www-data");
        p = find_summary(&pi, 1);
        assert_int_equal(p->uid, 0); /* not read ahead: read after */
        proc_scan_done(&before);
        proc_scan_done(&after);
        rootfs_close(&fs);
}

static void test_scan_cpu_percent(void **state)
{
        (void)state;
        RootFS fs;
        ProcScan before = { 0 }, after = { 0 };
        ProcessInfo pi;
        fixture_open_roots(&fs, "host-basic");
        /* The second scan re-reads the first one's kept fds. */
        assert_int_equal(proc_scan(&fs, &before, true, NULL), 0);
        assert_int_equal(proc_scan(&fs, &after, false, &before), 0);
        assert_int_equal(after.n, 6);
        assert_int_equal(after.v[3].rss_pages, 25000);
        long tck = sysconf(_SC_CLK_TCK);

        /* One second later pid 42 used 50 more ticks; pid 100 is a new
         * process with the same pid (other start time): all its ticks count. */
        after.taken_usec = before.taken_usec + 1000000;
        after.v[1].cpu_ticks += (uint64_t)tck / 2;
        after.v[2].starttime_ticks += 1;
        after.v[2].cpu_ticks = (uint64_t)tck / 4;
        /* A counter that went backwards counts as 0. */
        after.v[3].cpu_ticks = 0;

        assert_int_equal(processes_summarize(&fs, &before, &after, 0, &pi), 0);
        assert_int_equal(pi.top_by_cpu[0].pid, 42);
        assert_float_equal(pi.top_by_cpu[0].cpu_percent, 50.0, 1e-6);
        assert_int_equal(pi.top_by_cpu[1].pid, 100);
        assert_float_equal(pi.top_by_cpu[1].cpu_percent, 25.0, 1e-6);
        /* mem_total 0 (meminfo failed): no memory percent. */
        assert_true(isnan(pi.top_by_cpu[0].memory_percent));
        proc_scan_done(&before);
        proc_scan_done(&after);
        rootfs_close(&fs);
}

static void check_hostile_top(const ProcessInfo *pi)
{
        assert_int_equal(pi->total, 10);
        assert_int_equal(pi->n_top_by_memory, PROC_TOP_N);

        static const struct {
                int pid;
                const char *name;
                const char *user; /* NULL: no uid */
                ProcState state;
        } want[] = {
                { 10, "a) b (c", "alice", PROC_STATE_SLEEPING },
                { 11, "x\ny", "alice", PROC_STATE_SLEEPING },
                { 12, "\xff\xfe bad", "root", PROC_STATE_RUNNING },
                { 13, "\"quoted\\\"", "4242", PROC_STATE_DISK_SLEEP },
                { 14, "\x1b[31mred", "nobody", PROC_STATE_STOPPED },
                { 15, "averyveryverylongname", "alice", PROC_STATE_SLEEPING },
                { 17, "nostatus", NULL, PROC_STATE_SLEEPING },
                { 18, "dirstatus", NULL, PROC_STATE_SLEEPING },
                { 19, ")", NULL, PROC_STATE_DEAD },
                { 21, "renamedprocess1", "root", PROC_STATE_TRACING_STOP },
        };
        for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
                const ProcessSummary *p = &pi->top_by_memory[i];
                assert_int_equal(p->pid, want[i].pid);
                assert_string_equal(p->name, want[i].name);
                assert_int_equal(p->state, want[i].state);
                if (want[i].user) {
                        assert_true(p->has_uid);
                        assert_string_equal(p->username, want[i].user);
                } else {
                        assert_false(p->has_uid);
                }
        }
}

static void test_scan_hostile(void **state)
{
        (void)state;
        RootFS fs;
        ProcScan scan = { 0 };
        ProcessInfo pi;
        fixture_open_roots(&fs, "host-hostile");

        assert_int_equal(proc_scan(&fs, &scan, false, NULL), 0);
        /* 16 (truncated stat) and "007" (not a pid) are skipped. */
        assert_int_equal(scan.n, 10);
        assert_int_equal(processes_summarize(&fs, NULL, &scan, 24683656ULL * 1024, &pi), 0);
        check_hostile_top(&pi);
        proc_scan_done(&scan);
        rootfs_close(&fs);
}

/* The same answers when names, owners and the user table were read ahead
 * with the first sample, including the files that cannot be read. */
static void test_scan_hostile_read_ahead(void **state)
{
        (void)state;
        RootFS fs;
        ProcScan before = { 0 }, after = { 0 };
        ProcessInfo pi;
        fixture_open_roots(&fs, "host-hostile");

        assert_int_equal(proc_scan(&fs, &before, true, NULL), 0);
        proc_scan_read_owners(&fs, &before, PROC_TOP_N);
        assert_int_equal(before.users.loaded, 1);
        size_t n_named = 0;
        for (size_t i = 0; i < before.n; i++)
                if (before.v[i].long_name) {
                        n_named++;
                        /* 15 "averyveryverylo": argv[0]'s basename */
                        if (before.v[i].pid == 15)
                                assert_string_equal(before.v[i].long_name, "averyveryverylongname");
                }
        assert_int_equal(n_named, 2); /* 15 and 21 ("renamedprocess1", kept) */
        assert_int_equal(proc_scan(&fs, &after, false, &before), 0);
        assert_int_equal(processes_summarize(&fs, &before, &after, 24683656ULL * 1024, &pi), 0);
        check_hostile_top(&pi);
        proc_scan_done(&before);
        proc_scan_done(&after);
        rootfs_close(&fs);
}

static void test_scan_malformed(void **state)
{
        (void)state;
        RootFS fs;
        ProcScan scan = { 0 };
        ProcessInfo pi;
        fixture_open_roots(&fs, "host-malformed");
        assert_int_equal(proc_scan(&fs, &scan, false, NULL), 0);
        assert_int_equal(scan.n, 3); /* 1, 5, 6 */
        assert_int_equal(processes_summarize(&fs, NULL, &scan, 0, &pi), 0);
        const ProcessSummary *p = find_summary(&pi, 1);
        assert_non_null(p);
        assert_string_equal(p->username, "0"); /* passwd without root */
        p = find_summary(&pi, 5);
        assert_false(p->has_uid); /* "Uid: abc" */
        p = find_summary(&pi, 6);
        assert_false(p->has_uid); /* no Uid line */
        proc_scan_done(&scan);
        rootfs_close(&fs);

        /* A --procfs that is not a directory of pids at all. */
        const char *which = NULL;
        assert_int_equal(rootfs_open(&fs, FIXTURES_DIR "/host-basic/sys", FIXTURES_DIR "/host-basic/sys",
                                     FIXTURES_DIR "/host-basic/root", &which),
                         0);
        assert_int_equal(proc_scan(&fs, &scan, false, NULL), 0);
        assert_int_equal(scan.n, 0);
        assert_int_equal(processes_summarize(&fs, NULL, &scan, 0, &pi), 0);
        assert_int_equal(pi.total, 0);
        assert_int_equal(pi.n_top_by_cpu, 0);
        proc_scan_done(&scan);
        rootfs_close(&fs);
}

/* A number glued to junk is not a number followed by a new field: that
 * would shift every later field (found by fuzzing). */
static void test_stat_glued_junk(void **state)
{
        (void)state;
        const char *good = "7 (x) S 1 7 7 0 -1 4194304 100 0 2 0 1200 300 0 0 20 0 1 0 5000 1000 50\n";
        const char *glued = "7 (x) S 1 7 7 0 -1 4194304 100 0 2 0 1200- 300 0 0 20 0 1 0 5000 1000 50\n";
        const char *state_junk = "7 (x) SR 1 7 7 0 -1 4194304 100 0 2 0 1200 300 0 0 20 0 1 0 5000 1000 50\n";
        PidStat st;
        assert_int_equal(pid_stat_parse(good, strlen(good), &st), 0);
        assert_int_equal(st.utime_ticks, 1200);
        assert_int_equal(st.rss_pages, 50);
        assert_int_equal(pid_stat_parse(glued, strlen(glued), &st), -EBADMSG);
        assert_int_equal(pid_stat_parse(state_junk, strlen(state_junk), &st), -EBADMSG);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_stat_fields),
                cmocka_unit_test(test_stat_glued_junk),
                cmocka_unit_test(test_stat_fixture_files),
                cmocka_unit_test(test_stat_live_self),
                cmocka_unit_test(test_stat_hostile_names),
                cmocka_unit_test(test_stat_long_name_cut),
                cmocka_unit_test(test_stat_truncated),
                cmocka_unit_test(test_stat_every_prefix),
                cmocka_unit_test(test_stat_overflow),
                cmocka_unit_test(test_status_uid),
                cmocka_unit_test(test_status_uid_bad),
                cmocka_unit_test(test_passwd_basic),
                cmocka_unit_test(test_passwd_comments),
                cmocka_unit_test(test_passwd_malformed),
                cmocka_unit_test(test_passwd_truncation),
                cmocka_unit_test(test_passwd_name_cache),
                cmocka_unit_test(test_scan_basic),
                cmocka_unit_test(test_scan_read_owners),
                cmocka_unit_test(test_scan_cpu_percent),
                cmocka_unit_test(test_scan_hostile),
                cmocka_unit_test(test_scan_hostile_read_ahead),
                cmocka_unit_test(test_scan_malformed),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
