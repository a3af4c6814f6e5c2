/* SPDX-License-Identifier: MIT */
/* collect/system: uptime_parse, utmp_parse over synthetic struct utmp
 * buffers, and system_collect over the host-* fixture trees. */
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
#include <sys/stat.h>
#include <unistd.h>
#include <utmp.h>

#include "collect/rootfs.h"
#include "collect/system.h"
#include "util/fileio.h"

static void system_info_init(SystemInfo *s)
{
        memset(s, 0, sizeof *s);
        s->boot_time = U64_ABSENT;
        s->uptime_seconds = NAN;
}

/* ---- uptime_parse ------------------------------------------------------ */

static void test_uptime(void **state)
{
        (void)state;
        double up = -1;
        assert_int_equal(uptime_parse("350735.47 234388.90\n", &up), 0);
        assert_float_equal(up, 350735.47, 1e-9);
        assert_int_equal(uptime_parse("0.00 0.00\n", &up), 0);
        assert_float_equal(up, 0.0, 0);
        assert_int_equal(uptime_parse("12", &up), 0); /* no fraction, no second field */
        assert_float_equal(up, 12.0, 0);

        Buf b = { 0 };
        int dfd = open(FIXTURES_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(dfd >= 0);
        assert_true(read_file_buf_at(dfd, "host-basic/proc/uptime", &b, 4096) > 0);
        close(dfd);
        assert_int_equal(uptime_parse(b.data, &up), 0);
        assert_float_equal(up, 864.75, 1e-9);
        buf_free(&b);

        /* Finite but absurd values (over ~1000 years) are corrupt input. */
        assert_int_equal(uptime_parse("18446744073709551616.00 0.00\n", &up), -EBADMSG);
        assert_int_equal(uptime_parse("32000000000.5 0.00\n", &up), -EBADMSG);
        assert_int_equal(uptime_parse("31000000000.5 0.00\n", &up), 0);
}

static void test_uptime_malformed(void **state)
{
        (void)state;
        static const struct {
                const char *text;
                int r;
        } bad[] = {
                { "", -EINVAL },
                { "\n", -EINVAL },
                { "abc\n", -EINVAL },
                { "nan 1\n", -EINVAL },
                { "inf 1\n", -EINVAL },
                { "-5.00 1.00\n", -EBADMSG },
                { "1e999 0\n", -ERANGE },
                { "-inf 0\n", -ERANGE },
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                double up = 42;
                assert_int_equal(uptime_parse(bad[i].text, &up), bad[i].r);
                assert_float_equal(up, 42, 0);
        }
}

/* ---- utmp_parse -------------------------------------------------------- */

static struct utmp record(short type, int pid, const char *line, const char *user, const char *host,
                          int32_t sec, int32_t usec)
{
        struct utmp u;
        memset(&u, 0, sizeof u);
        u.ut_type = type;
        u.ut_pid = pid;
        strncpy(u.ut_line, line, sizeof u.ut_line);
        strncpy(u.ut_user, user, sizeof u.ut_user);
        strncpy(u.ut_host, host, sizeof u.ut_host);
        u.ut_tv.tv_sec = sec;
        u.ut_tv.tv_usec = usec;
        return u;
}

static void test_utmp_records(void **state)
{
        (void)state;
        struct utmp recs[6];
        recs[0] = record(BOOT_TIME, 0, "~", "reboot", "6.1.0", 1700000000, 0);
        recs[1] = record(LOGIN_PROCESS, 512, "tty1", "LOGIN", "", 1700000010, 0);
        recs[2] = record(USER_PROCESS, 1234, "pts/0", "alice", "203.0.113.7", 1700000100, 250000);
        recs[3] = record(DEAD_PROCESS, 1300, "pts/1", "bob", "198.51.100.2", 1700000200, 0);
        recs[4] = record(USER_PROCESS, 1400, "pts/2", "", "nobody-here", 1700000300, 0);
        recs[5] = record(USER_PROCESS, 1500, "tty2", "carol", "", 1700000400, 999999);

        LoggedInUser *users = NULL;
        size_t n = 99;
        assert_int_equal(utmp_parse(recs, sizeof recs, &users, &n), 0);
        /* Only USER_PROCESS records with a name. */
        assert_int_equal(n, 2);
        assert_string_equal(users[0].name, "alice");
        assert_string_equal(users[0].terminal, "pts/0");
        assert_string_equal(users[0].host, "203.0.113.7");
        assert_int_equal(users[0].pid, 1234);
        assert_float_equal(users[0].started, 1700000100.25, 1e-6);
        assert_string_equal(users[1].name, "carol");
        assert_string_equal(users[1].host, "");
        assert_float_equal(users[1].started, 1700000400.999999, 1e-6);
        free(users);
}

static void test_utmp_full_width_fields(void **state)
{
        (void)state;
        /* Fields that fill their array have no NUL: copied whole, no
         * over-read into the next field. */
        struct utmp u;
        memset(&u, 0, sizeof u);
        u.ut_type = USER_PROCESS;
        memset(u.ut_user, 'u', sizeof u.ut_user);
        memset(u.ut_line, 'l', sizeof u.ut_line);
        memset(u.ut_host, 'h', sizeof u.ut_host);
        memset(u.ut_id, 'i', sizeof u.ut_id);

        LoggedInUser *users = NULL;
        size_t n = 0;
        assert_int_equal(utmp_parse(&u, sizeof u, &users, &n), 0);
        assert_int_equal(n, 1);
        assert_int_equal(strlen(users[0].name), sizeof u.ut_user);
        assert_int_equal(strspn(users[0].name, "u"), sizeof u.ut_user);
        assert_int_equal(strlen(users[0].terminal), sizeof u.ut_line);
        assert_int_equal(strspn(users[0].terminal, "l"), sizeof u.ut_line);
        assert_int_equal(strlen(users[0].host), sizeof u.ut_host);
        free(users);

        /* Hostile bytes in names are copied as they are (JSON sanitizes). */
        u = record(USER_PROCESS, 1, "pts/\x1b", "\xff\xfe", "a\"b", 0, 0);
        assert_int_equal(utmp_parse(&u, sizeof u, &users, &n), 0);
        assert_int_equal(n, 1);
        assert_string_equal(users[0].name, "\xff\xfe");
        assert_string_equal(users[0].terminal, "pts/\x1b");
        free(users);
}

static void test_utmp_lengths(void **state)
{
        (void)state;
        LoggedInUser *users = (LoggedInUser *)0x1;
        size_t n = 77;

        /* Empty file: nobody logged in. */
        char empty[1] = { 0 };
        assert_int_equal(utmp_parse(empty, 0, &users, &n), 0);
        assert_null(users);
        assert_int_equal(n, 0);

        /* Not a whole number of records (a torn write, another ABI). */
        struct utmp recs[2];
        recs[0] = record(USER_PROCESS, 1, "pts/0", "alice", "", 1, 0);
        recs[1] = recs[0];
        static const size_t bad[] = { 1, sizeof(struct utmp) - 1, sizeof(struct utmp) + 1,
                                      2 * sizeof(struct utmp) - 4, 100 };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                users = (LoggedInUser *)0x1;
                n = 77;
                assert_int_equal(utmp_parse(recs, bad[i], &users, &n), -EBADMSG);
                assert_ptr_equal(users, (LoggedInUser *)0x1);
                assert_int_equal(n, 77);
        }

        /* An unaligned buffer is fine (records are copied out). */
        char *raw = malloc(2 * sizeof(struct utmp) + 1);
        assert_non_null(raw);
        memcpy(raw + 1, recs, sizeof recs);
        assert_int_equal(utmp_parse(raw + 1, sizeof recs, &users, &n), 0);
        assert_int_equal(n, 2);
        free(users);
        free(raw);
}

static void test_utmp_fixture(void **state)
{
        (void)state;
        Buf b = { 0 };
        int dfd = open(FIXTURES_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(dfd >= 0);
        ssize_t len = read_file_buf_at(dfd, "host-basic/root/run/utmp", &b, 1 << 20);
        close(dfd);
        assert_int_equal(len, 4 * sizeof(struct utmp));

        LoggedInUser *users = NULL;
        size_t n = 0;
        assert_int_equal(utmp_parse(b.data, (size_t)len, &users, &n), 0);
        assert_int_equal(n, 1);
        assert_string_equal(users[0].name, "alice");
        assert_string_equal(users[0].terminal, "pts/0");
        assert_string_equal(users[0].host, "203.0.113.7");
        assert_int_equal(users[0].pid, 1234);
        assert_float_equal(users[0].started, 1795632000.5, 1e-6);
        free(users);
        buf_free(&b);
}

/* ---- system_collect over the fixtures ---------------------------------- */

static void test_collect_basic(void **state)
{
        (void)state;
        RootFS fs;
        SystemInfo s;
        fixture_open_roots(&fs, "host-basic");
        system_info_init(&s);

        assert_int_equal(system_collect(&fs, &s), 0);
        assert_string_equal(s.hostname, "fixture-host");
        assert_string_equal(s.os_type, "Linux");
        assert_string_equal(s.release, "6.18.44-fc-v782");
        assert_string_equal(s.version, "#1 SMP PREEMPT_DYNAMIC @0");
        assert_true(s.machine[0] != '\0');
        assert_float_equal(s.uptime_seconds, 864.75, 1e-9);
        assert_true(s.users_available);
        assert_int_equal(s.n_users, 1);
        assert_string_equal(s.users[0].name, "alice");
        system_info_done(&s);
        assert_null(s.users);
        rootfs_close(&fs);
}

static void test_collect_old_kernel(void **state)
{
        (void)state;
        RootFS fs;
        SystemInfo s;
        fixture_open_roots(&fs, "host-old-kernel");
        system_info_init(&s);

        assert_int_equal(system_collect(&fs, &s), 0);
        assert_string_equal(s.hostname, "old-host");
        assert_string_equal(s.release, "2.6.32-754.35.1.el6.x86_64");
        assert_true(s.boot_time == U64_ABSENT);
        assert_float_equal(s.uptime_seconds, 123456.78, 1e-9);
        /* No utmp at all: nobody logged in, which is an answer. */
        assert_true(s.users_available);
        assert_int_equal(s.n_users, 0);
        system_info_done(&s);
        rootfs_close(&fs);
}

static void test_collect_malformed(void **state)
{
        (void)state;
        RootFS fs;
        SystemInfo s;
        fixture_open_roots(&fs, "host-malformed");
        system_info_init(&s);

        assert_int_equal(system_collect(&fs, &s), 0);
        assert_string_equal(s.hostname, "malformed-host");
        /* A utmp that is not whole records: unknown, not "nobody". */
        assert_false(s.users_available);
        assert_int_equal(s.n_users, 0);
        system_info_done(&s);
        rootfs_close(&fs);
}

static void write_file(const char *path, const void *data, size_t len)
{
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, data, len), (ssize_t)len);
        close(fd);
}

static void test_collect_var_run_utmp(void **state)
{
        (void)state;
        /* Older systems keep utmp in /var/run (not a symlink to /run). */
        char base[64], path[128];
        snprintf(base, sizeof base, "/tmp/30secs-test-system.XXXXXX");
        assert_non_null(mkdtemp(base));
        static const char *const dirs[] = { "proc", "proc/sys", "proc/sys/kernel", "sys", "root",
                                             "root/var", "root/var/run" };
        for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
                snprintf(path, sizeof path, "%s/%s", base, dirs[i]);
                assert_int_equal(mkdir(path, 0755), 0);
        }
        struct utmp u = record(USER_PROCESS, 77, "pts/9", "dave", "example.org", 5, 0);
        snprintf(path, sizeof path, "%s/root/var/run/utmp", base);
        write_file(path, &u, sizeof u);

        RootFS fs;
        SystemInfo s;
        char p[3][128];
        const char *which = NULL;
        snprintf(p[0], sizeof p[0], "%s/proc", base);
        snprintf(p[1], sizeof p[1], "%s/sys", base);
        snprintf(p[2], sizeof p[2], "%s/root", base);
        assert_int_equal(rootfs_open(&fs, p[0], p[1], p[2], &which), 0);
        system_info_init(&s);
        /* Neither kernel strings nor uptime: the collector has nothing. */
        assert_int_equal(system_collect(&fs, &s), -ENOENT);
        assert_string_equal(s.hostname, "");
        assert_true(isnan(s.uptime_seconds));
        assert_true(s.users_available);
        assert_int_equal(s.n_users, 1);
        assert_string_equal(s.users[0].name, "dave");
        system_info_done(&s);

        /* With only an uptime it succeeds. */
        snprintf(path, sizeof path, "%s/proc/uptime", base);
        write_file(path, "5.5 1.0\n", 8);
        system_info_init(&s);
        assert_int_equal(system_collect(&fs, &s), 0);
        assert_float_equal(s.uptime_seconds, 5.5, 0);
        system_info_done(&s);
        rootfs_close(&fs);

        snprintf(path, sizeof path, "rm -rf '%s'", base);
        assert_int_equal(system(path), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_uptime),
                cmocka_unit_test(test_uptime_malformed),
                cmocka_unit_test(test_utmp_records),
                cmocka_unit_test(test_utmp_full_width_fields),
                cmocka_unit_test(test_utmp_lengths),
                cmocka_unit_test(test_utmp_fixture),
                cmocka_unit_test(test_collect_basic),
                cmocka_unit_test(test_collect_old_kernel),
                cmocka_unit_test(test_collect_malformed),
                cmocka_unit_test(test_collect_var_run_utmp),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
