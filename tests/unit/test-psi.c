/* SPDX-License-Identifier: MIT */
/* collect/psi: the shared parser of /proc/pressure/<resource> and cgroup v2
 * memory.pressure, and psi_read against the fixture trees. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "collect/psi.h"
#include "collect/rootfs.h"

static void test_psi_memory_sample(void **state)
{
        (void)state;
        /* A host under memory pressure (hand-written in the kernel's format). */
        const char *text =
                "some avg10=12.47 avg60=5.03 avg300=1.21 total=98317466\n"
                "full avg10=8.00 avg60=3.38 avg300=0.80 total=70528613\n";
        Psi p;
        memset(&p, 0xaa, sizeof p);

        assert_int_equal(psi_parse(text, &p), 0);
        assert_true(p.has_some);
        assert_true(p.has_full);
        assert_float_equal(p.some.avg10, 12.47, 1e-9);
        assert_float_equal(p.some.avg60, 5.03, 1e-9);
        assert_float_equal(p.some.avg300, 1.21, 1e-9);
        assert_int_equal(p.some.total_usec, 98317466);
        assert_float_equal(p.full.avg10, 8.0, 1e-9);
        assert_float_equal(p.full.avg60, 3.38, 1e-9);
        assert_float_equal(p.full.avg300, 0.8, 1e-9);
        assert_int_equal(p.full.total_usec, 70528613);
}

static void test_psi_cpu_without_full(void **state)
{
        (void)state;
        /* /proc/pressure/cpu before Linux 5.13: only a "some" line. */
        Psi p;
        assert_int_equal(psi_parse("some avg10=0.33 avg60=3.99 avg300=2.53 total=13986355\n", &p), 0);
        assert_true(p.has_some);
        assert_false(p.has_full);
        assert_float_equal(p.some.avg60, 3.99, 1e-9);
        assert_int_equal(p.some.total_usec, 13986355);
        /* The full half is zeroed, not garbage. */
        assert_float_equal(p.full.avg10, 0, 0);
        assert_int_equal(p.full.total_usec, 0);
}

static void test_psi_cpu_with_full(void **state)
{
        (void)state;
        /* 5.13+: cpu has a full line too (zero at the system level). No
         * trailing newline on the last line. */
        Psi p;
        assert_int_equal(psi_parse("some avg10=0.33 avg60=3.99 avg300=2.53 total=13986355\n"
                                   "full avg10=0.00 avg60=0.00 avg300=0.00 total=0",
                                   &p),
                         0);
        assert_true(p.has_some);
        assert_true(p.has_full);
        assert_int_equal(p.full.total_usec, 0);
}

static void test_psi_full_only(void **state)
{
        (void)state;
        Psi p;
        assert_int_equal(psi_parse("garbage\nfull avg10=1.00 avg60=2.00 avg300=3.00 total=4\n", &p), 0);
        assert_false(p.has_some);
        assert_true(p.has_full);
        assert_float_equal(p.full.avg300, 3.0, 0);
        assert_int_equal(p.full.total_usec, 4);
}

static void test_psi_limits(void **state)
{
        (void)state;
        Psi p;
        assert_int_equal(psi_parse("some avg10=100.00 avg60=100.00 avg300=100.00 "
                                   "total=18446744073709551615\n",
                                   &p),
                         0);
        assert_float_equal(p.some.avg10, 100.0, 0);
        assert_true(p.some.total_usec == UINT64_MAX);
}

static void test_psi_bad_line_is_skipped(void **state)
{
        (void)state;
        /* One bad line does not hide the other. */
        Psi p;
        assert_int_equal(psi_parse("some avg10=abc avg60=0.00 avg300=0.00 total=0\n"
                                   "full avg10=0.50 avg60=0.25 avg300=0.10 total=77\n",
                                   &p),
                         0);
        assert_false(p.has_some);
        assert_true(p.has_full);
        assert_int_equal(p.full.total_usec, 77);

        assert_int_equal(psi_parse("some avg10=0.10 avg60=0.20 avg300=0.30 total=5\n"
                                   "full avg10=0.50 avg60=0.25 avg300=0.10 total=18446744073709551616\n",
                                   &p),
                         0);
        assert_true(p.has_some);
        assert_false(p.has_full);
        assert_int_equal(p.some.total_usec, 5);
}

static void test_psi_first_line_wins(void **state)
{
        (void)state;
        Psi p;
        assert_int_equal(psi_parse("some avg10=1.00 avg60=1.00 avg300=1.00 total=1\n"
                                   "some avg10=2.00 avg60=2.00 avg300=2.00 total=2\n",
                                   &p),
                         0);
        assert_int_equal(p.some.total_usec, 1);
}

static void test_psi_malformed(void **state)
{
        (void)state;
        static const char *const bad[] = {
                "",
                "\n",
                "garbage",
                "some\n",
                "some \n",
                "some avg10=0.00\n",                                            /* truncated */
                "some avg10=0.00 avg60=0.00 avg300=0.00\n",                      /* no total */
                "some avg10=0.00 avg60=0.00 avg300=0.00 total=\n",
                "some avg10=0.00 avg60=0.00 avg300=0.00 total=-1\n",             /* negative */
                "some avg10=-1.00 avg60=0.00 avg300=0.00 total=0\n",             /* negative */
                "some avg10=0.00 avg60=-0.50 avg300=0.00 total=0\n",
                "some avg10=0.00 avg60=0.00 avg300=-9 total=0\n",
                "some avg10=0.00 avg60=0.00 avg300=0.00 total=18446744073709551616\n", /* overflow */
                "some avg10=1e999 avg60=0.00 avg300=0.00 total=0\n",             /* overflow */
                "some avg10=nan avg60=0.00 avg300=0.00 total=0\n",
                "some avg60=0.00 avg10=0.00 avg300=0.00 total=0\n",              /* order */
                "some avg10 0.00 avg60=0.00 avg300=0.00 total=0\n",
                "some avg10=0.00 avg60=0.00 avg300=0.00 total=12abc\n",
                "some avg10=0.00 avg60=0.00 avg300=0.00 total=1.5\n",
                "Some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
                " some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
                "somex avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
                "partial avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                Psi p;
                memset(&p, 0x5a, sizeof p);
                Psi before = p;
                int r = psi_parse(bad[i], &p);
                if (r != -EBADMSG)
                        print_error("input %zu: \"%s\" -> %d\n", i, bad[i], r);
                assert_int_equal(r, -EBADMSG);
                /* *ret untouched on failure. */
                assert_memory_equal(&p, &before, sizeof p);
        }
}

static void test_psi_read_fixtures(void **state)
{
        (void)state;
        RootFS fs;
        const char *which = NULL;
        Psi p;

        assert_int_equal(rootfs_open(&fs, FIXTURES_DIR "/host-basic/proc",
                                     FIXTURES_DIR "/host-basic/sys",
                                     FIXTURES_DIR "/host-basic/root", &which),
                         0);
        assert_int_equal(psi_read(&fs, "cpu", &p), 0);
        assert_true(p.has_some && p.has_full);
        assert_int_equal(psi_read(&fs, "io", &p), 0);
        assert_true(p.has_some && p.has_full);
        assert_int_equal(psi_read(&fs, "memory", &p), 0);
        assert_int_equal(psi_read(&fs, "nonexistent", &p), -ENOENT);
        rootfs_close(&fs);

        /* A kernel without PSI: no pressure/ directory at all. */
        assert_int_equal(rootfs_open(&fs, FIXTURES_DIR "/host-old-kernel/proc",
                                     FIXTURES_DIR "/host-old-kernel/sys",
                                     FIXTURES_DIR "/host-old-kernel/root", &which),
                         0);
        assert_int_equal(psi_read(&fs, "cpu", &p), -ENOENT);
        assert_int_equal(psi_read(&fs, "memory", &p), -ENOENT);
        rootfs_close(&fs);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_psi_memory_sample),
                cmocka_unit_test(test_psi_cpu_without_full),
                cmocka_unit_test(test_psi_cpu_with_full),
                cmocka_unit_test(test_psi_full_only),
                cmocka_unit_test(test_psi_limits),
                cmocka_unit_test(test_psi_bad_line_is_skipped),
                cmocka_unit_test(test_psi_first_line_wins),
                cmocka_unit_test(test_psi_malformed),
                cmocka_unit_test(test_psi_read_fixtures),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
