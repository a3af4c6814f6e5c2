/* SPDX-License-Identifier: MIT */
/* util/: strict number parsing (parse.h), UTF-8 sanitizing (utf8.h), the
 * file readers (fileio.h) and human-readable formatting (human.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model/common.h"
#include "util/fileio.h"
#include "util/human.h"
#include "util/timeutil.h"
#include "util/parse.h"
#include "util/utf8.h"

/* ---- parse.h: scan_u64 ------------------------------------------------- */

static void test_scan_u64_basic(void **state)
{
        (void)state;
        const char *p = "  \t42 7\n";
        uint64_t v = 0;

        assert_int_equal(scan_u64(&p, &v), 0);
        assert_int_equal(v, 42);
        assert_string_equal(p, " 7\n");
        assert_int_equal(scan_u64(&p, &v), 0);
        assert_int_equal(v, 7);
        assert_string_equal(p, "\n");
        /* A newline is not a blank: the cursor stays at end of line. */
        assert_int_equal(scan_u64(&p, &v), -EINVAL);
        assert_string_equal(p, "\n");

        p = "0";
        assert_int_equal(scan_u64(&p, &v), 0);
        assert_int_equal(v, 0);
        assert_string_equal(p, "");

        /* Stops at the first non-digit without complaining: the caller
         * decides what may follow. */
        p = "123abc";
        assert_int_equal(scan_u64(&p, &v), 0);
        assert_int_equal(v, 123);
        assert_string_equal(p, "abc");
}

static void test_scan_u64_limits(void **state)
{
        (void)state;
        const char *p = "18446744073709551615 x";
        uint64_t v = 0;

        assert_int_equal(scan_u64(&p, &v), 0);
        assert_true(v == UINT64_MAX);
        assert_string_equal(p, " x");

        /* One above: overflow is an error, never a wrap, and neither the
         * cursor nor the output move. */
        const char *big = "18446744073709551616";
        p = big;
        v = 5;
        assert_int_equal(scan_u64(&p, &v), -ERANGE);
        assert_ptr_equal(p, big);
        assert_int_equal(v, 5);

        p = "99999999999999999999999999";
        assert_int_equal(scan_u64(&p, &v), -ERANGE);
        p = "18446744073709551620";
        assert_int_equal(scan_u64(&p, &v), -ERANGE);
        /* Leading zeros do not count towards the overflow. */
        p = "000000000000000000000000018446744073709551615";
        assert_int_equal(scan_u64(&p, &v), 0);
        assert_true(v == UINT64_MAX);
}

static void test_scan_u64_rejects(void **state)
{
        (void)state;
        static const char *const bad[] = { "", " ", "\t\t", "\n", "-1", "+1", "abc", " -0", "x1" };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                const char *p = bad[i];
                uint64_t v = 99;
                assert_int_equal(scan_u64(&p, &v), -EINVAL);
                assert_ptr_equal(p, bad[i]);
                assert_int_equal(v, 99);
        }
}

/* ---- scan_i64 ---------------------------------------------------------- */

static void test_scan_i64(void **state)
{
        (void)state;
        const char *p = " -20 19 0 -0";
        int64_t v = 0;

        assert_int_equal(scan_i64(&p, &v), 0);
        assert_int_equal(v, -20);
        assert_int_equal(scan_i64(&p, &v), 0);
        assert_int_equal(v, 19);
        assert_int_equal(scan_i64(&p, &v), 0);
        assert_int_equal(v, 0);
        assert_int_equal(scan_i64(&p, &v), 0);
        assert_int_equal(v, 0);
        assert_string_equal(p, "");

        p = "9223372036854775807";
        assert_int_equal(scan_i64(&p, &v), 0);
        assert_true(v == INT64_MAX);
        p = "-9223372036854775808";
        assert_int_equal(scan_i64(&p, &v), 0);
        assert_true(v == INT64_MIN);

        const char *s = "9223372036854775808";
        p = s;
        v = 3;
        assert_int_equal(scan_i64(&p, &v), -ERANGE);
        assert_ptr_equal(p, s);
        assert_int_equal(v, 3);
        p = "-9223372036854775809";
        assert_int_equal(scan_i64(&p, &v), -ERANGE);
        p = "-18446744073709551616";
        assert_int_equal(scan_i64(&p, &v), -ERANGE);

        static const char *const bad[] = { "", "-", "--1", "+1", "abc", "\n5" };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                p = bad[i];
                assert_int_equal(scan_i64(&p, &v), -EINVAL);
                assert_ptr_equal(p, bad[i]);
        }
}

/* ---- scan_double ------------------------------------------------------- */

static void test_scan_double(void **state)
{
        (void)state;
        const char *p = "0.52 0.51 0.22 2/97 12116\n";
        double a = 0, b = 0, c = 0;

        assert_int_equal(scan_double(&p, &a), 0);
        assert_int_equal(scan_double(&p, &b), 0);
        assert_int_equal(scan_double(&p, &c), 0);
        assert_float_equal(a, 0.52, 1e-12);
        assert_float_equal(b, 0.51, 1e-12);
        assert_float_equal(c, 0.22, 1e-12);
        assert_string_equal(p, " 2/97 12116\n");

        p = "avg";
        assert_int_equal(scan_double(&p, &a), -EINVAL);
        p = "-1.5x";
        assert_int_equal(scan_double(&p, &a), 0);
        assert_float_equal(a, -1.5, 1e-12);
        assert_string_equal(p, "x");
        p = ".5";
        assert_int_equal(scan_double(&p, &a), 0);
        assert_float_equal(a, 0.5, 1e-12);
        p = "350735";
        assert_int_equal(scan_double(&p, &a), 0);
        assert_float_equal(a, 350735.0, 1e-9);

        /* Large but finite is fine (a double); out of range is not. */
        p = "18446744073709551616";
        assert_int_equal(scan_double(&p, &a), 0);
        assert_float_equal(a, 18446744073709551616.0, 1.0);

        static const char *const bad[] = { "", " ", "\n", "nan", "inf", "+1", ".", "-", "x" };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                p = bad[i];
                a = 7;
                assert_int_equal(scan_double(&p, &a), -EINVAL);
                assert_ptr_equal(p, bad[i]);
                assert_float_equal(a, 7, 0);
        }
        static const char *const range[] = { "1e999", "-1e999", "-inf", "-nan" };
        for (size_t i = 0; i < sizeof range / sizeof range[0]; i++) {
                p = range[i];
                assert_int_equal(scan_double(&p, &a), -ERANGE);
                assert_ptr_equal(p, range[i]);
        }
}

/* ---- scan_skip --------------------------------------------------------- */

static void test_scan_skip(void **state)
{
        (void)state;
        const char *p = "  one\ttwo  x\n";

        assert_int_equal(scan_skip(&p), 0);
        assert_string_equal(p, "\ttwo  x\n");
        assert_int_equal(scan_skip(&p), 0);
        assert_string_equal(p, "  x\n");
        assert_int_equal(scan_skip(&p), 0);
        assert_string_equal(p, "\n");
        assert_int_equal(scan_skip(&p), -EINVAL);
        assert_string_equal(p, "\n");

        p = "";
        assert_int_equal(scan_skip(&p), -EINVAL);
        p = "   ";
        assert_int_equal(scan_skip(&p), -EINVAL);
        /* A token is anything but blanks and newlines, NUL ends it. */
        p = "(a)b\x01\xff rest";
        assert_int_equal(scan_skip(&p), 0);
        assert_string_equal(p, " rest");
}

/* ---- safe_atou64 / safe_atod ------------------------------------------ */

static void test_safe_atou64(void **state)
{
        (void)state;
        uint64_t v = 0;

        assert_int_equal(safe_atou64("0", &v), 0);
        assert_int_equal(v, 0);
        assert_int_equal(safe_atou64("1500", &v), 0);
        assert_int_equal(v, 1500);
        assert_int_equal(safe_atou64("18446744073709551615", &v), 0);
        assert_true(v == UINT64_MAX);

        v = 11;
        assert_int_equal(safe_atou64("18446744073709551616", &v), -ERANGE);
        assert_int_equal(v, 11);
        static const char *const bad[] = { "", " 1", "1 ", "1\n", "-1", "+1", "1x", "0x10", "1.5", "abc" };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                assert_int_equal(safe_atou64(bad[i], &v), -EINVAL);
                assert_int_equal(v, 11);
        }
}

static void test_safe_atod(void **state)
{
        (void)state;
        double d = 0;

        assert_int_equal(safe_atod("2445.404", &d), 0);
        assert_float_equal(d, 2445.404, 1e-9);
        assert_int_equal(safe_atod("0", &d), 0);
        assert_float_equal(d, 0, 0);
        assert_int_equal(safe_atod("-3.25", &d), 0);
        assert_float_equal(d, -3.25, 0);

        d = 9;
        static const char *const bad[] = { "", "1.5 ", "1.5\n", "1.5x", "abc", "nan", "inf" };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                assert_int_equal(safe_atod(bad[i], &d), -EINVAL);
                assert_float_equal(d, 9, 0);
        }
        assert_int_equal(safe_atod("1e400", &d), -ERANGE);
        assert_float_equal(d, 9, 0);
}

/* ---- next_line / startswith ------------------------------------------- */

static void test_next_line(void **state)
{
        (void)state;
        const char *buf = "a\nbb\n\nccc";
        const char *l = buf;

        assert_ptr_equal(next_line(l), buf + 2);
        l = next_line(l);
        assert_ptr_equal(next_line(l), buf + 5);
        l = next_line(l);
        assert_string_equal(l, "\nccc"); /* the empty line */
        l = next_line(l);
        assert_string_equal(l, "ccc");
        assert_null(next_line(l));

        /* A trailing newline does not make one more (empty) line. */
        assert_null(next_line("last\n"));
        assert_null(next_line(""));
        assert_null(next_line("\n"));
        assert_string_equal(next_line("\n\n"), "\n");

        /* Every line of a buffer is visited exactly once. */
        size_t n = 0;
        for (const char *s = "x\ny\nz\n"; s; s = next_line(s))
                n++;
        assert_int_equal(n, 3);
}

static void test_startswith(void **state)
{
        (void)state;
        assert_true(startswith("cpu  1 2", "cpu "));
        assert_true(startswith("abc", ""));
        assert_true(startswith("abc", "abc"));
        assert_false(startswith("ab", "abc"));
        assert_false(startswith("", "a"));
        assert_false(startswith("cpu0 1", "cpu "));
}

/* ---- keyed_u64_parse --------------------------------------------------- */

static void test_keyed_u64_parse(void **state)
{
        (void)state;
        static const char *const keys[] = { "pswpin", "pswpout", "oom_kill", "absent" };
        /* Whatever the caller left there: every value starts absent. */
        uint64_t v[4] = { 1, 2, 3, 4 };
        const char *buf =
                "nr_free_pages 6061970\n"
                "pswpin 12\n"
                "pswpout 18446744073709551614\n"
                "pswpin_extra 99\n"   /* a longer key with the same prefix */
                "oom_kill 3";         /* last line without newline */

        assert_int_equal(keyed_u64_parse(buf, keys, 4, v), 3);
        assert_int_equal(v[0], 12);
        assert_true(v[1] == UINT64_MAX - 1);
        assert_int_equal(v[2], 3);
        assert_true(v[3] == U64_ABSENT);

        /* The real vmstat of host-basic. */
        int dfd = open(FIXTURES_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(dfd >= 0);
        Buf b = { 0 };
        assert_true(read_file_buf_at(dfd, "host-basic/proc/vmstat", &b, 1 << 20) > 0);
        close(dfd);
        assert_int_equal(keyed_u64_parse(b.data, keys, 4, v), 3);
        assert_int_equal(v[0], 0);
        assert_int_equal(v[1], 0);
        assert_int_equal(v[2], 0);
        assert_true(v[3] == U64_ABSENT);
        buf_free(&b);
}

static void test_keyed_u64_parse_hostile(void **state)
{
        (void)state;
        static const char *const keys[] = { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k" };
        enum { N = sizeof keys / sizeof keys[0] };
        uint64_t v[N];
        const char *buf =
                "a 18446744073709551616\n" /* overflow: skipped ... */
                "b -5\n"                   /* negative */
                "c 12x\n"                  /* trailing junk */
                "d\n"                      /* no value */
                "e\t7\n"                   /* tab-separated (memory.stat style): fine */
                " f 8\n"                   /* leading blank: not a key */
                "g  9 extra\n"             /* more than one number */
                "h 1\n"
                "h 2\n"                    /* duplicate: the first valid line wins */
                "i 18446744073709551615\n" /* the absent sentinel itself */
                "j 3  \t\n"                /* trailing blanks are fine */
                "k 4\r\n"                  /* CR is junk */
                "a 5\n"                    /* ... a later valid line for a counts */
                "\n"
                "garbage line here\n";

        assert_int_equal(keyed_u64_parse(buf, keys, N, v), 4);
        assert_int_equal(v[0], 5);
        assert_true(v[1] == U64_ABSENT);
        assert_true(v[2] == U64_ABSENT);
        assert_true(v[3] == U64_ABSENT);
        assert_int_equal(v[4], 7);
        assert_true(v[5] == U64_ABSENT);
        assert_true(v[6] == U64_ABSENT);
        assert_int_equal(v[7], 1);
        assert_true(v[8] == U64_ABSENT);
        assert_int_equal(v[9], 3);
        assert_true(v[10] == U64_ABSENT);

        assert_int_equal(keyed_u64_parse("", keys, N, v), 0);
        for (size_t i = 0; i < N; i++)
                assert_true(v[i] == U64_ABSENT);
        v[0] = 1000;
        assert_int_equal(keyed_u64_parse("a 1\n", keys, 0, v), 0);
        assert_int_equal(v[0], 1000);
}

/* ---- utf8_sanitize ----------------------------------------------------- */

#define FFFD "\xef\xbf\xbd"

static void check_sanitize(const char *in, size_t len, const char *expect)
{
        char out[256];
        size_t n = utf8_sanitize(in, len, out, sizeof out);
        assert_int_equal(n, strlen(expect));
        assert_memory_equal(out, expect, n + 1);
}

static void test_utf8_valid_passes(void **state)
{
        (void)state;
        check_sanitize("", 0, "");
        check_sanitize("plain ascii", 11, "plain ascii");
        /* Control bytes are valid UTF-8: escaping them is the renderer's job. */
        check_sanitize("\x1b[31mred\x7f\x01\t\n", 12, "\x1b[31mred\x7f\x01\t\n");
        /* 2, 3 and 4 byte sequences at their boundaries. */
        check_sanitize("\xc2\x80", 2, "\xc2\x80");                 /* U+0080 */
        check_sanitize("\xdf\xbf", 2, "\xdf\xbf");                 /* U+07FF */
        check_sanitize("\xe0\xa0\x80", 3, "\xe0\xa0\x80");         /* U+0800 */
        check_sanitize("\xed\x9f\xbf", 3, "\xed\x9f\xbf");         /* U+D7FF */
        check_sanitize("\xee\x80\x80", 3, "\xee\x80\x80");         /* U+E000 */
        check_sanitize("\xef\xbf\xbd", 3, "\xef\xbf\xbd");         /* U+FFFD itself */
        check_sanitize("\xef\xbf\xbf", 3, "\xef\xbf\xbf");         /* U+FFFF */
        check_sanitize("\xf0\x90\x80\x80", 4, "\xf0\x90\x80\x80"); /* U+10000 */
        check_sanitize("\xf4\x8f\xbf\xbf", 4, "\xf4\x8f\xbf\xbf"); /* U+10FFFF */
        check_sanitize("caf\xc3\xa9 \xe2\x98\x83", 9, "caf\xc3\xa9 \xe2\x98\x83");
}

static void test_utf8_invalid_replaced(void **state)
{
        (void)state;
        /* The hostile process name of the fixtures. */
        check_sanitize("\xff\xfe bad", 6, FFFD FFFD " bad");
        /* Lone continuation bytes, bytes that never occur. */
        check_sanitize("\x80", 1, FFFD);
        check_sanitize("\xbf", 1, FFFD);
        check_sanitize("\xf5\x80\x80\x80", 4, FFFD FFFD FFFD FFFD);
        check_sanitize("\xf8\x88\x80\x80\x80", 5, FFFD FFFD FFFD FFFD FFFD);
        /* Overlongs: '/' as 2, 3 and 4 bytes, NUL as 2 bytes, U+07FF as 3. */
        check_sanitize("\xc0\xaf", 2, FFFD FFFD);
        check_sanitize("\xc1\xbf", 2, FFFD FFFD);
        check_sanitize("\xc0\x80", 2, FFFD FFFD);
        check_sanitize("\xe0\x80\xaf", 3, FFFD FFFD FFFD);
        check_sanitize("\xe0\x9f\xbf", 3, FFFD FFFD FFFD);
        check_sanitize("\xf0\x80\x80\xaf", 4, FFFD FFFD FFFD FFFD);
        check_sanitize("\xf0\x8f\xbf\xbf", 4, FFFD FFFD FFFD FFFD);
        /* UTF-16 surrogates (CESU-8 / WTF-8), U+D800 and U+DFFF. */
        check_sanitize("\xed\xa0\x80", 3, FFFD FFFD FFFD);
        check_sanitize("\xed\xbf\xbf", 3, FFFD FFFD FFFD);
        /* Above U+10FFFF. */
        check_sanitize("\xf4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD);
        check_sanitize("\xf7\xbf\xbf\xbf", 4, FFFD FFFD FFFD FFFD);
}

static void test_utf8_truncated(void **state)
{
        (void)state;
        /* A sequence cut by the end of input (the kernel cuts comm at 15
         * bytes, in the middle of a character). Each byte of the cut
         * sequence becomes one U+FFFD. */
        check_sanitize("ab\xe2\x98", 4, "ab" FFFD FFFD);
        check_sanitize("\xc3", 1, FFFD);
        check_sanitize("\xf0\x9f\x98", 3, FFFD FFFD FFFD);
        /* Cut by a following ASCII byte: the ASCII byte survives. */
        check_sanitize("\xe2\x98x", 3, FFFD FFFD "x");
        check_sanitize("\xc3(", 2, FFFD "(");
        /* len is respected: bytes after it are not looked at. */
        check_sanitize("\xc3\xa9", 1, FFFD);
        check_sanitize("abc\xff", 3, "abc");
}

static void test_utf8_nul(void **state)
{
        (void)state;
        /* NUL would end the C string early: it becomes U+FFFD. */
        check_sanitize("a\0b", 3, "a" FFFD "b");
        check_sanitize("\0", 1, FFFD);
}

static void test_utf8_capacity(void **state)
{
        (void)state;
        char out[8];

        /* The output is cut before a sequence that does not fit, never in
         * the middle of one, and always NUL-terminated. */
        memset(out, 'X', sizeof out);
        size_t n = utf8_sanitize("abcdefghij", 10, out, sizeof out);
        assert_int_equal(n, 7);
        assert_string_equal(out, "abcdefg");

        memset(out, 'X', sizeof out);
        n = utf8_sanitize("abcde\xe2\x98\x83", 8, out, sizeof out);
        assert_int_equal(n, 5);
        assert_string_equal(out, "abcde");

        memset(out, 'X', sizeof out);
        n = utf8_sanitize("\xff\xff\xff", 3, out, sizeof out);
        assert_int_equal(n, 6);
        assert_string_equal(out, FFFD FFFD);

        memset(out, 'X', sizeof out);
        n = utf8_sanitize("\xff", 1, out, 4);
        assert_int_equal(n, 3);
        assert_string_equal(out, FFFD);

        /* The worst case (every byte replaced) fits in 3 * len + 1. */
        char big[3 * 64 + 1];
        char in[64];
        memset(in, 0xff, sizeof in);
        n = utf8_sanitize(in, sizeof in, big, sizeof big);
        assert_int_equal(n, 3 * 64);
        assert_int_equal(strlen(big), 3 * 64);
}

/* ---- fileio.h ---------------------------------------------------------- */

typedef struct TmpDir {
        char path[64];
        int fd;
} TmpDir;

static void tmp_open(TmpDir *t)
{
        snprintf(t->path, sizeof t->path, "/tmp/30secs-test-util.XXXXXX");
        assert_non_null(mkdtemp(t->path));
        t->fd = open(t->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(t->fd >= 0);
}

static void tmp_write(TmpDir *t, const char *name, const void *data, size_t len)
{
        int fd = openat(t->fd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, data, len), (ssize_t)len);
        close(fd);
}

static void tmp_write_n(TmpDir *t, const char *name, char c, size_t len)
{
        char *data = malloc(len ? len : 1);
        assert_non_null(data);
        memset(data, c, len);
        tmp_write(t, name, data, len);
        free(data);
}

static void tmp_close(TmpDir *t)
{
        char cmd[96];
        close(t->fd);
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->path);
        assert_int_equal(system(cmd), 0);
}

static void test_read_file_at(void **state)
{
        (void)state;
        TmpDir t;
        char buf[16];
        tmp_open(&t);
        tmp_write(&t, "small", "hello\nworld\n", 12);
        tmp_write(&t, "empty", "", 0);
        tmp_write(&t, "nul", "a\0b", 3);
        assert_int_equal(mkdirat(t.fd, "dir", 0755), 0);

        assert_int_equal(read_file_at(t.fd, "small", buf, sizeof buf), 12);
        assert_string_equal(buf, "hello\nworld\n");

        memset(buf, 'X', sizeof buf);
        assert_int_equal(read_file_at(t.fd, "empty", buf, sizeof buf), 0);
        assert_string_equal(buf, "");

        /* Embedded NULs are data: the return value is the byte count. */
        assert_int_equal(read_file_at(t.fd, "nul", buf, sizeof buf), 3);
        assert_memory_equal(buf, "a\0b\0", 4);

        memset(buf, 'X', sizeof buf);
        assert_int_equal(read_file_at(t.fd, "missing", buf, sizeof buf), -ENOENT);
        assert_string_equal(buf, "");
        assert_int_equal(read_file_at(t.fd, "dir", buf, sizeof buf), -EISDIR);
        assert_int_equal(read_file_at(-1, "small", buf, sizeof buf), -EBADF);
        assert_int_equal(read_file_at(t.fd, "small", buf, 0), -EINVAL);

        /* Absolute paths ignore dirfd (openat semantics). */
        char abs[128];
        snprintf(abs, sizeof abs, "%s/small", t.path);
        assert_int_equal(read_file_at(-1, abs, buf, sizeof buf), 12);
        tmp_close(&t);
}

/* read_record_at: the same results with one read() per file that fits;
 * the size limits work the same way. */
static void test_read_record_at(void **state)
{
        (void)state;
        TmpDir t;
        char buf[16];
        tmp_open(&t);
        tmp_write(&t, "small", "hello\nworld\n", 12);
        tmp_write(&t, "empty", "", 0);
        tmp_write_n(&t, "fits", 'a', 15);
        tmp_write_n(&t, "over", 'b', 16);

        assert_int_equal(read_record_at(t.fd, "small", buf, sizeof buf), 12);
        assert_string_equal(buf, "hello\nworld\n");
        assert_int_equal(read_record_at(t.fd, "empty", buf, sizeof buf), 0);
        assert_string_equal(buf, "");
        assert_int_equal(read_record_at(t.fd, "fits", buf, sizeof buf), 15);
        assert_int_equal(read_record_at(t.fd, "over", buf, sizeof buf), -EFBIG);
        assert_int_equal(strlen(buf), 15);
        assert_int_equal(read_record_at(t.fd, "missing", buf, sizeof buf), -ENOENT);
        assert_int_equal(read_record_at(t.fd, "small", buf, 0), -EINVAL);
        tmp_close(&t);

        /* Real one-record kernel files read whole. */
        char big[8192], ref[8192];
        int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(proc >= 0);
        ssize_t a = read_record_at(proc, "self/status", big, sizeof big);
        ssize_t b = read_file_at(proc, "self/status", ref, sizeof ref);
        assert_true(a > 100 && b > 100);
        assert_non_null(strstr(big, "VmPeak:") ? big : strstr(big, "Uid:"));
        assert_non_null(strstr(big, "voluntary_ctxt_switches")); /* the last lines */
        a = read_record_at(proc, "meminfo", big, sizeof big);
        assert_true(a > 0 && strstr(big, "MemTotal:") && big[a - 1] == '\n');
        close(proc);
}

static void test_read_file_at_efbig(void **state)
{
        (void)state;
        TmpDir t;
        char buf[16];
        tmp_open(&t);
        tmp_write_n(&t, "fits", 'a', 15);  /* exactly cap - 1 */
        tmp_write_n(&t, "over", 'b', 16);  /* exactly cap */
        tmp_write_n(&t, "large", 'c', 100000);

        assert_int_equal(read_file_at(t.fd, "fits", buf, sizeof buf), 15);
        assert_int_equal(strlen(buf), 15);

        /* Too long: -EFBIG, but the buffer holds the NUL-terminated start
         * (callers that accept a truncated read rely on it). */
        memset(buf, 'X', sizeof buf);
        assert_int_equal(read_file_at(t.fd, "over", buf, sizeof buf), -EFBIG);
        assert_int_equal(strlen(buf), 15);
        assert_true(buf[0] == 'b' && buf[14] == 'b');

        memset(buf, 'X', sizeof buf);
        assert_int_equal(read_file_at(t.fd, "large", buf, sizeof buf), -EFBIG);
        assert_int_equal(strlen(buf), 15);

        /* cap 1: room for the NUL only. */
        char one[1];
        assert_int_equal(read_file_at(t.fd, "fits", one, 1), -EFBIG);
        assert_int_equal(one[0], '\0');
        tmp_write(&t, "empty", "", 0);
        assert_int_equal(read_file_at(t.fd, "empty", one, 1), 0);
        tmp_close(&t);
}

static void test_read_line_at(void **state)
{
        (void)state;
        TmpDir t;
        char buf[16];
        tmp_open(&t);
        tmp_write(&t, "attr", "0x1003\n", 7);
        tmp_write(&t, "noeol", "up", 2);
        tmp_write(&t, "two", "first\nsecond\n", 13);
        tmp_write(&t, "empty", "", 0);
        tmp_write(&t, "nl", "\n", 1);
        /* First line fits, the file does not: the line is still good. */
        char big[100];
        memset(big, 'z', sizeof big);
        memcpy(big, "1500\n", 5);
        tmp_write(&t, "bigfile", big, sizeof big);
        /* The first line itself does not fit: cut, NUL-terminated. */
        tmp_write_n(&t, "longline", '9', 40);

        assert_int_equal(read_line_at(t.fd, "attr", buf, sizeof buf), 6);
        assert_string_equal(buf, "0x1003");
        assert_int_equal(read_line_at(t.fd, "noeol", buf, sizeof buf), 2);
        assert_string_equal(buf, "up");
        assert_int_equal(read_line_at(t.fd, "two", buf, sizeof buf), 5);
        assert_string_equal(buf, "first");
        assert_int_equal(read_line_at(t.fd, "empty", buf, sizeof buf), 0);
        assert_string_equal(buf, "");
        assert_int_equal(read_line_at(t.fd, "nl", buf, sizeof buf), 0);
        assert_string_equal(buf, "");
        assert_int_equal(read_line_at(t.fd, "bigfile", buf, sizeof buf), 4);
        assert_string_equal(buf, "1500");
        ssize_t n = read_line_at(t.fd, "longline", buf, sizeof buf);
        assert_true(n >= 0 && (size_t)n < sizeof buf);
        assert_int_equal(strlen(buf), (size_t)n);
        assert_int_equal(read_line_at(t.fd, "missing", buf, sizeof buf), -ENOENT);
        tmp_close(&t);
}

static void test_read_file_buf_at_growth(void **state)
{
        (void)state;
        TmpDir t;
        Buf b = { 0 };
        tmp_open(&t);

        /* Sizes around the initial 4 KiB capacity and its doublings. */
        static const size_t sizes[] = { 0, 1, 4094, 4095, 4096, 4097, 8191, 8192, 100000 };
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
                char *data = malloc(sizes[i] + 1);
                assert_non_null(data);
                for (size_t k = 0; k < sizes[i]; k++)
                        data[k] = (char)('a' + k % 26);
                tmp_write(&t, "f", data, sizes[i]);
                assert_int_equal(read_file_buf_at(t.fd, "f", &b, 1 << 20), (ssize_t)sizes[i]);
                assert_int_equal(b.len, sizes[i]);
                assert_true(b.cap > b.len);
                assert_memory_equal(b.data, data, sizes[i]);
                assert_int_equal(b.data[b.len], '\0');
                free(data);
                /* The Buf is reused from one read to the next, like the
                 * collectors do. */
        }
        buf_free(&b);
        assert_null(b.data);
        assert_int_equal(b.cap, 0);

        assert_int_equal(read_file_buf_at(t.fd, "missing", &b, 1 << 20), -ENOENT);
        buf_free(&b);
        tmp_close(&t);
}

static void test_read_file_buf_at_limit(void **state)
{
        (void)state;
        TmpDir t;
        Buf b = { 0 };
        tmp_open(&t);
        tmp_write_n(&t, "f", 'q', 20000);

        assert_int_equal(read_file_buf_at(t.fd, "f", &b, 8192), -EFBIG);
        buf_free(&b);
        assert_int_equal(read_file_buf_at(t.fd, "f", &b, 32768), 20000);
        buf_free(&b);

        /* Well below the limit with a small limit. */
        tmp_write_n(&t, "g", 'q', 1000);
        assert_int_equal(read_file_buf_at(t.fd, "g", &b, 4096), 1000);
        buf_free(&b);
        tmp_close(&t);
}

/* Regression test, fixed bug (src/util/fileio.c read_fd_buf): a file whose size equals max_bytes
 * (or max_bytes - 1) is rejected with -EFBIG although it is not "larger
 * than max_bytes": the function gives up when the buffer is full, before
 * it has seen EOF. With the initial capacity of 4096 and max_bytes 4096, a
 * 4095- or 4096-byte file fails. */
static void test_read_file_buf_at_limit_exact(void **state)
{
        (void)state;
        TmpDir t;
        Buf b = { 0 };
        tmp_open(&t);
        tmp_write_n(&t, "f4095", 'q', 4095);
        tmp_write_n(&t, "f4096", 'q', 4096);
        tmp_write_n(&t, "f4097", 'q', 4097);

        /* Results first, asserts after: a failure must not leak. */
        ssize_t r4097 = read_file_buf_at(t.fd, "f4097", &b, 4096);
        buf_free(&b);
        ssize_t r4095 = read_file_buf_at(t.fd, "f4095", &b, 4096);
        buf_free(&b);
        ssize_t r4096 = read_file_buf_at(t.fd, "f4096", &b, 4096);
        buf_free(&b);
        tmp_close(&t);
        assert_int_equal(r4097, -EFBIG);
        assert_int_equal(r4095, 4095);
        assert_int_equal(r4096, 4096);
}

/* Regression test, fixed bug (src/util/fileio.c read_fd_buf): max_bytes is only checked against
 * the capacity before doubling it, so a limit that is not a power of two
 * times 4096 lets through files up to the next doubling: a 6000-byte file
 * read with max_bytes 5000 returns 6000 instead of -EFBIG, and a 3000-byte
 * file with max_bytes 100 returns 3000. */
static void test_read_file_buf_at_limit_enforced(void **state)
{
        (void)state;
        TmpDir t;
        Buf b = { 0 };
        tmp_open(&t);
        tmp_write_n(&t, "f6000", 'q', 6000);
        tmp_write_n(&t, "f3000", 'q', 3000);

        ssize_t r6000 = read_file_buf_at(t.fd, "f6000", &b, 5000);
        buf_free(&b);
        ssize_t r3000 = read_file_buf_at(t.fd, "f3000", &b, 100);
        buf_free(&b);
        tmp_close(&t);
        assert_int_equal(r6000, -EFBIG);
        assert_int_equal(r3000, -EFBIG);
}

/* Regression test, fixed bug (src/util/fileio.c read_fd_buf): on -EFBIG the buffer is left without
 * a NUL at data[len], although fileio.h promises "always NUL-terminated
 * ... after a read"; a caller that uses the prefix (as read_file_at callers
 * do) would run off the end. */
static void test_read_file_buf_at_efbig_terminated(void **state)
{
        (void)state;
        TmpDir t;
        Buf b = { 0 };
        tmp_open(&t);
        tmp_write_n(&t, "f", 'q', 20000);

        /* Pre-filled, so the missing terminator is deterministic. */
        b.cap = 8192;
        b.data = malloc(b.cap);
        assert_non_null(b.data);
        memset(b.data, 'X', b.cap);
        ssize_t r = read_file_buf_at(t.fd, "f", &b, 8192);
        bool in_bounds = b.len < b.cap;
        char term = in_bounds ? b.data[b.len] : 'X';
        buf_free(&b);
        tmp_close(&t);
        assert_int_equal(r, -EFBIG);
        assert_true(in_bounds);
        assert_int_equal(term, '\0');
}

static void test_read_fd_buf_short_reads(void **state)
{
        (void)state;
        /* A pipe fed in small pieces by a child: many short reads, like
         * a seq_file. Every byte arrives once, in order. */
        int p[2];
        assert_int_equal(pipe(p), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                close(p[0]);
                char chunk[97];
                for (int i = 0; i < 1000; i++) {
                        memset(chunk, 'a' + i % 26, sizeof chunk);
                        if (write(p[1], chunk, sizeof chunk) != (ssize_t)sizeof chunk)
                                _exit(1);
                }
                _exit(0);
        }
        close(p[1]);
        Buf b = { 0 };
        assert_int_equal(read_fd_buf(p[0], &b, 1 << 20), 97000);
        close(p[0]);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        for (size_t i = 0; i < 1000; i++)
                assert_int_equal(b.data[i * 97], 'a' + (int)(i % 26));
        assert_int_equal(b.data[b.len], '\0');
        buf_free(&b);
}

static void test_read_real_proc(void **state)
{
        (void)state;
        /* /proc files report size 0: sizes must come from reading. */
        int dfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(dfd >= 0);
        char buf[256];
        Buf b = { 0 };
        ssize_t r = read_file_at(dfd, "self/stat", buf, sizeof buf);
        assert_true(r > 0 || r == -EFBIG);
        assert_non_null(strstr(buf, " (test-util) R "));
        ssize_t n = read_file_buf_at(dfd, "self/status", &b, 1 << 20);
        assert_true(n > 100);
        assert_non_null(strstr(b.data, "Uid:"));
        buf_free(&b);
        close(dfd);
}

/* ---- human.h ----------------------------------------------------------- */

static void check_bytes(uint64_t v, const char *expect)
{
        char out[HUMAN_BYTES_MAX];
        memset(out, 'X', sizeof out);
        human_bytes(v, out);
        assert_string_equal(out, expect);
}

static void test_human_bytes(void **state)
{
        (void)state;
        check_bytes(0, "0 B");
        check_bytes(1, "1 B");
        check_bytes(1023, "1023 B");
        check_bytes(1024, "1.0 KB");
        check_bytes(1536, "1.5 KB");
        check_bytes(1048575, "1024.0 KB"); /* rounds in printf, not in the unit choice */
        check_bytes(1048576, "1.0 MB");
        check_bytes(25276063744ULL, "23.5 GB"); /* MemTotal 24683656 kB */
        check_bytes(1ULL << 40, "1.0 TB");
        check_bytes(1ULL << 50, "1.0 PB");
        check_bytes(1ULL << 60, "1.0 EB");
        check_bytes(UINT64_MAX, "16.0 EB"); /* fits HUMAN_BYTES_MAX */
        /* Exact ties round to even, as printf does; 1.05 KB is not a tie. */
        check_bytes(1024 + 1024 / 4, "1.2 KB");     /* 1.25 */
        check_bytes(1024 + 3 * 1024 / 4, "1.8 KB"); /* 1.75 */
        check_bytes(1075, "1.0 KB");                /* 1.0498 */
        check_bytes(1076, "1.1 KB");                /* 1.0508 */
        check_bytes((1ULL << 30) - 1, "1024.0 MB");
}

static void test_human_key_and_decimal(void **state)
{
        (void)state;
        char key[HUMAN_KEY_MAX], digits[24];
        human_key("total", key);
        assert_string_equal(key, "total_human");
        char longkey[200];
        memset(longkey, 'k', sizeof longkey - 1);
        longkey[sizeof longkey - 1] = '\0';
        human_key(longkey, key);
        assert_int_equal(strlen(key), HUMAN_KEY_MAX - 1);
        assert_string_equal(key + HUMAN_KEY_MAX - 7, "_human");
        *put_decimal(digits, 0) = '\0';
        assert_string_equal(digits, "0");
        *put_decimal(digits, UINT64_MAX) = '\0';
        assert_string_equal(digits, "18446744073709551615");
}

/* The integer formatting agrees with printf("%.1f") of the quotient. */
static void test_human_bytes_matches_printf(void **state)
{
        (void)state;
        static const char *const units[] = { "B", "KB", "MB", "GB", "TB", "PB", "EB" };
        uint64_t x = 0x9e3779b97f4a7c15ULL;
        for (int i = 0; i < 200000; i++) {
                /* xorshift, spread over every magnitude */
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                uint64_t v = x >> (x % 64);
                if (v >= (1ULL << 53))
                        v &= (1ULL << 53) - 1; /* exact as a double */
                char want[64], got[HUMAN_BYTES_MAX];
                double d = (double)v;
                size_t u = 0;
                while (d >= 1024.0 && u < 6) {
                        d /= 1024.0;
                        u++;
                }
                if (u == 0)
                        snprintf(want, sizeof want, "%llu B", (unsigned long long)v);
                else
                        snprintf(want, sizeof want, "%.1f %s", d, units[u]);
                human_bytes(v, got);
                assert_string_equal(got, want);
        }
}

/* The hand-made UTC formatting agrees with gmtime_r() + strftime(). */
static void test_iso8601_utc(void **state)
{
        (void)state;
        char got[40], want[64];
        format_iso8601_utc(0, got);
        assert_string_equal(got, "1970-01-01T00:00:00.000000+00:00");
        format_iso8601_utc(951782400ULL * USEC_PER_SEC + 7, got); /* leap day of 2000 */
        assert_string_equal(got, "2000-02-29T00:00:00.000007+00:00");
        format_iso8601_utc(4107542399ULL * USEC_PER_SEC + 999999, got); /* 2100 is no leap year */
        assert_string_equal(got, "2100-02-28T23:59:59.999999+00:00");

        uint64_t x = 0x853c49e6748fea9bULL;
        for (int i = 0; i < 200000; i++) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                time_t sec = (time_t)(x % 13000000000ULL); /* 1970 .. ~2382 */
                struct tm tm;
                gmtime_r(&sec, &tm);
                char day[32];
                strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
                snprintf(want, sizeof want, "%s.000123+00:00", day);
                format_iso8601_utc((usec_t)sec * USEC_PER_SEC + 123, got);
                assert_string_equal(got, want);
        }
}

static void check_duration(uint64_t v, const char *expect)
{
        char out[HUMAN_DURATION_MAX];
        memset(out, 'X', sizeof out);
        human_duration(v, out);
        assert_string_equal(out, expect);
}

static void test_human_duration(void **state)
{
        (void)state;
        /* Python's str(datetime.timedelta(seconds=n)). */
        check_duration(0, "0:00:00");
        check_duration(59, "0:00:59");
        check_duration(3599, "0:59:59");
        check_duration(3600, "1:00:00");
        check_duration(86399, "23:59:59");
        check_duration(86400, "1 day, 0:00:00");
        check_duration(93784, "1 day, 2:03:04");
        check_duration(2 * 86400 + 5, "2 days, 0:00:05");
        check_duration(350735, "4 days, 1:25:35");
        check_duration(UINT64_MAX, "213503982334601 days, 7:00:15");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_scan_u64_basic),
                cmocka_unit_test(test_scan_u64_limits),
                cmocka_unit_test(test_scan_u64_rejects),
                cmocka_unit_test(test_scan_i64),
                cmocka_unit_test(test_scan_double),
                cmocka_unit_test(test_scan_skip),
                cmocka_unit_test(test_safe_atou64),
                cmocka_unit_test(test_safe_atod),
                cmocka_unit_test(test_next_line),
                cmocka_unit_test(test_startswith),
                cmocka_unit_test(test_keyed_u64_parse),
                cmocka_unit_test(test_keyed_u64_parse_hostile),
                cmocka_unit_test(test_utf8_valid_passes),
                cmocka_unit_test(test_utf8_invalid_replaced),
                cmocka_unit_test(test_utf8_truncated),
                cmocka_unit_test(test_utf8_nul),
                cmocka_unit_test(test_utf8_capacity),
                cmocka_unit_test(test_read_file_at),
                cmocka_unit_test(test_read_record_at),
                cmocka_unit_test(test_read_file_at_efbig),
                cmocka_unit_test(test_read_line_at),
                cmocka_unit_test(test_read_file_buf_at_growth),
                cmocka_unit_test(test_read_file_buf_at_limit),
                cmocka_unit_test(test_read_file_buf_at_limit_exact),      /* was a bug, fixed */
                cmocka_unit_test(test_read_file_buf_at_limit_enforced),   /* was a bug, fixed */
                cmocka_unit_test(test_read_file_buf_at_efbig_terminated), /* was a bug, fixed */
                cmocka_unit_test(test_read_fd_buf_short_reads),
                cmocka_unit_test(test_read_real_proc),
                cmocka_unit_test(test_human_bytes),
                cmocka_unit_test(test_human_bytes_matches_printf),
                cmocka_unit_test(test_human_key_and_decimal),
                cmocka_unit_test(test_human_duration),
                cmocka_unit_test(test_iso8601_utc),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
