/* SPDX-License-Identifier: MIT */
/* deep_split_args: the --script-args splitter (shlex.split rules). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "cmd/leak-python.h"

static void check(const char *in, size_t n, const char *const *want)
{
        char **w = NULL;
        size_t got = 99;
        assert_int_equal(deep_split_args(in, &w, &got), 0);
        assert_int_equal(got, n);
        for (size_t i = 0; i < n; i++)
                assert_string_equal(w[i], want[i]);
        assert_null(w[n]);
        deep_free_words(w);
}

static void test_plain(void **state)
{
        (void)state;
        check("--mode stress --iterations 2000", 4,
              (const char *const[]){ "--mode", "stress", "--iterations", "2000" });
        check("  a\tb\n c  ", 3, (const char *const[]){ "a", "b", "c" });
        check("", 0, NULL);
        check(NULL, 0, NULL);
}

static void test_quotes(void **state)
{
        (void)state;
        check("'a b' \"c d\" e\\ f", 3, (const char *const[]){ "a b", "c d", "e f" });
        check("'' \"\" x''y", 3, (const char *const[]){ "", "", "xy" });
        check("\"say \\\"hi\\\" \\$HOME \\n\"", 1, (const char *const[]){ "say \"hi\" $HOME \\n" });
        check("'no $expansion * here'", 1, (const char *const[]){ "no $expansion * here" });
        check("a'b'\"c\"d", 1, (const char *const[]){ "abcd" });
}

static void test_bad(void **state)
{
        (void)state;
        char **w = NULL;
        size_t n = 0;
        assert_int_equal(deep_split_args("'open", &w, &n), -EINVAL);
        assert_int_equal(deep_split_args("ok \"open", &w, &n), -EINVAL);
        assert_int_equal(deep_split_args("a b\\", &w, &n), -EINVAL);
        assert_int_equal(deep_split_args("\"a\\", &w, &n), -EINVAL);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_plain),
                cmocka_unit_test(test_quotes),
                cmocka_unit_test(test_bad),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
