/* SPDX-License-Identifier: MIT */
/* util/env: typed getenv() with defaults, ranges and one warning line on
 * stderr per invalid value. stderr is captured through a temporary file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/env.h"
#include "util/log.h"

#define VAR "THIRTYSECS_TEST_VAR"

/* ---- stderr capture ----------------------------------------------------- */

static FILE *cap_file;
static int cap_saved_fd = -1;
static char cap_buf[8192];

static void capture_start(void)
{
        fflush(stderr);
        cap_file = tmpfile();
        assert_non_null(cap_file);
        cap_saved_fd = dup(STDERR_FILENO);
        assert_true(cap_saved_fd >= 0);
        assert_true(dup2(fileno(cap_file), STDERR_FILENO) >= 0);
}

/* Restores stderr and returns what was written to it meanwhile. */
static const char *capture_end(void)
{
        fflush(stderr);
        assert_true(dup2(cap_saved_fd, STDERR_FILENO) >= 0);
        close(cap_saved_fd);
        cap_saved_fd = -1;
        rewind(cap_file);
        size_t n = fread(cap_buf, 1, sizeof cap_buf - 1, cap_file);
        cap_buf[n] = '\0';
        fclose(cap_file);
        cap_file = NULL;
        return cap_buf;
}

static size_t count_lines(const char *s)
{
        size_t n = 0;
        for (; *s; s++)
                n += *s == '\n';
        return n;
}

/* Runs env_double on value and returns the result; *out gets stderr. */
static double dbl(const char *value, double def, double min, double max, const char **out)
{
        if (value)
                assert_int_equal(setenv(VAR, value, 1), 0);
        else
                assert_int_equal(unsetenv(VAR), 0);
        capture_start();
        double r = env_double(VAR, def, min, max);
        *out = capture_end();
        return r;
}

static unsigned uns(const char *value, unsigned def, unsigned min, unsigned max, const char **out)
{
        if (value)
                assert_int_equal(setenv(VAR, value, 1), 0);
        else
                assert_int_equal(unsetenv(VAR), 0);
        capture_start();
        unsigned r = env_unsigned(VAR, def, min, max);
        *out = capture_end();
        return r;
}

static bool boo(const char *value, bool def, const char **out)
{
        if (value)
                assert_int_equal(setenv(VAR, value, 1), 0);
        else
                assert_int_equal(unsetenv(VAR), 0);
        capture_start();
        bool r = env_bool(VAR, def);
        *out = capture_end();
        return r;
}

/* One warn line that names the variable, quotes the bad value and says
 * which default is used. */
static void assert_warning(const char *out, const char *value, const char *def)
{
        assert_int_equal(count_lines(out), 1);
        assert_non_null(strstr(out, "level=warn"));
        assert_non_null(strstr(out, VAR));
        assert_non_null(strstr(out, value));
        char want[64];
        snprintf(want, sizeof want, "default %s", def);
        assert_non_null(strstr(out, want));
}

static int setup(void **state)
{
        (void)state;
        /* LOG_LEVEL in the caller's environment must not hide warnings. */
        log_set_level(LOG_LEVEL_INFO);
        return 0;
}

/* ---- env_double --------------------------------------------------------- */

static void test_double_valid(void **state)
{
        (void)state;
        const char *out;
        static const struct {
                const char *in;
                double want;
        } ok[] = {
                { "85.5", 85.5 }, { "0", 0.0 }, { "100", 100.0 }, { "+5", 5.0 },
                { ".5", 0.5 }, { "5.", 5.0 }, { "1e1", 10.0 }, { "2.5E+1", 25.0 },
                { " 85 ", 85.0 }, { "\t70\t", 70.0 }, { "-0", 0.0 }, { "007", 7.0 },
        };
        for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
                assert_float_equal(dbl(ok[i].in, 90.0, 0.0, 100.0, &out), ok[i].want, 1e-12);
                assert_string_equal(out, "");
        }
}

static void test_double_unset_and_empty(void **state)
{
        (void)state;
        const char *out;
        assert_float_equal(dbl(NULL, 90.0, 0.0, 100.0, &out), 90.0, 0);
        assert_string_equal(out, "");
        assert_float_equal(dbl("", 90.0, 0.0, 100.0, &out), 90.0, 0);
        assert_string_equal(out, "");
}

static void test_double_invalid(void **state)
{
        (void)state;
        const char *out;
        static const char *const bad[] = {
                "9x", "x9", "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "0x10",
                "0x1p3", "1e", "e5", ".", "-", "+", "1,5", "1 2", "1e999", "--1",
                "1.2.3", " ", "90%",
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                double r = dbl(bad[i], 90.0, 0.0, 100.0, &out);
                assert_float_equal(r, 90.0, 0);
                if (strcmp(bad[i], " ") == 0)
                        assert_int_equal(count_lines(out), 1);
                else
                        assert_warning(out, bad[i], "90");
        }
}

static void test_double_out_of_range(void **state)
{
        (void)state;
        const char *out;
        assert_float_equal(dbl("-1", 90.0, 0.0, 100.0, &out), 90.0, 0);
        assert_warning(out, "-1", "90");
        assert_non_null(strstr(out, "from 0 to 100"));
        assert_float_equal(dbl("100.01", 90.0, 0.0, 100.0, &out), 90.0, 0);
        assert_warning(out, "100.01", "90");
        assert_float_equal(dbl("1e308", 5.0, 0.0, 10000.0, &out), 5.0, 0);
        assert_warning(out, "1e308", "5");
        /* Underflow (strtod sets ERANGE) is not silently taken as 0. */
        assert_float_equal(dbl("1e-400", 5.0, 0.0, 10000.0, &out), 5.0, 0);
        assert_warning(out, "1e-400", "5");
}

static void test_double_huge_value_is_truncated(void **state)
{
        (void)state;
        const char *out;
        char big[4096];
        memset(big, '7', sizeof big - 1);
        big[sizeof big - 1] = '\0';
        assert_float_equal(dbl(big, 90.0, 0.0, 100.0, &out), 90.0, 0);
        assert_int_equal(count_lines(out), 1);
        assert_non_null(strstr(out, VAR));
        assert_true(strlen(out) < 400);
        /* Control bytes in the value cannot forge a second log line. */
        assert_float_equal(dbl("1\nlevel=error msg=forged", 90.0, 0.0, 100.0, &out), 90.0, 0);
        assert_int_equal(count_lines(out), 1);
}

/* ---- env_unsigned ------------------------------------------------------- */

static void test_unsigned_valid(void **state)
{
        (void)state;
        const char *out;
        assert_int_equal(uns("20", 10, 3, 1024, &out), 20);
        assert_string_equal(out, "");
        assert_int_equal(uns("+20", 10, 3, 1024, &out), 20);
        assert_int_equal(uns(" 7 ", 10, 3, 1024, &out), 7);
        assert_int_equal(uns("3", 10, 3, 1024, &out), 3);
        assert_int_equal(uns("1024", 10, 3, 1024, &out), 1024);
        assert_int_equal(uns("4294967295", 1, 0, 4294967295u, &out), 4294967295u);
        assert_string_equal(out, "");
        assert_int_equal(uns(NULL, 10, 3, 1024, &out), 10);
        assert_string_equal(out, "");
        assert_int_equal(uns("", 10, 3, 1024, &out), 10);
        assert_string_equal(out, "");
}

static void test_unsigned_invalid(void **state)
{
        (void)state;
        const char *out;
        static const char *const bad[] = {
                "9x", "-1", "1.5", "1e3", "0x10", "2", "1025", "4294967296",
                "99999999999999999999999", "nan", "+", "- 1", "ten",
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                assert_int_equal(uns(bad[i], 10, 3, 1024, &out), 10);
                assert_warning(out, bad[i], "10");
        }
        assert_int_equal(uns("2", 10, 3, 1024, &out), 10);
        assert_non_null(strstr(out, "from 3 to 1024"));
}

/* ---- env_bool ----------------------------------------------------------- */

static void test_bool(void **state)
{
        (void)state;
        const char *out;
        static const char *const yes[] = { "1", "true", "TRUE", "True", "yes", "YES", " yes " };
        static const char *const no[] = { "0", "false", "FALSE", "no", "No" };
        for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
                assert_true(boo(yes[i], false, &out));
                assert_string_equal(out, "");
        }
        for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
                assert_false(boo(no[i], true, &out));
                assert_string_equal(out, "");
        }
        assert_true(boo(NULL, true, &out));
        assert_string_equal(out, "");
        assert_false(boo("", false, &out));
        assert_string_equal(out, "");

        static const char *const bad[] = { "2", "on", "off", "y", "truee", "00", "-1" };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                assert_true(boo(bad[i], true, &out));
                assert_warning(out, bad[i], "1");
                assert_false(boo(bad[i], false, &out));
                assert_warning(out, bad[i], "0");
        }
}

/* Warnings obey LOG_LEVEL like every other log line. */
static void test_warning_respects_log_level(void **state)
{
        (void)state;
        const char *out;
        log_set_level(LOG_LEVEL_ERROR);
        assert_float_equal(dbl("9x", 90.0, 0.0, 100.0, &out), 90.0, 0);
        log_set_level(LOG_LEVEL_INFO);
        assert_string_equal(out, "");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_double_valid),
                cmocka_unit_test(test_double_unset_and_empty),
                cmocka_unit_test(test_double_invalid),
                cmocka_unit_test(test_double_out_of_range),
                cmocka_unit_test(test_double_huge_value_is_truncated),
                cmocka_unit_test(test_unsigned_valid),
                cmocka_unit_test(test_unsigned_invalid),
                cmocka_unit_test(test_bool),
                cmocka_unit_test(test_warning_respects_log_level),
        };
        return cmocka_run_group_tests(tests, setup, NULL);
}
