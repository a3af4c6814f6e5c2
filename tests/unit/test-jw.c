/* SPDX-License-Identifier: MIT */
/* The streaming JSON writer (render/jw.c): numbers exactly as jansson
 * prints them (checked against jansson itself on random values), strings
 * escaped and made valid UTF-8, documents that fail are not emitted. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/jw.h"

/* What jansson writes for one real, the way the old renderer did. */
static void jansson_real(double x, char *out, size_t cap)
{
        json_t *real = json_real(x);
        char *s = json_dumps(real, JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
        json_decref(real);
        assert_non_null(s);
        snprintf(out, cap, "%s", s);
        free(s);
}

static uint64_t rng_next(uint64_t *x)
{
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        return *x;
}

static void test_double_matches_jansson(void **state)
{
        (void)state;
        static const double fixed[] = {
                0, -0.0, 1, -1, 0.1, 19, 97.6, 2.3e-05, 1e-300, 1e19, 1.8446744073709552e19,
                123456789012345.0, 1234567890123456.0, 1e15, 1e-4, 9.99e-5, -2.5e-7, 1e308,
                4.9e-324, 0.30000000000000004, 1.0 / 3,
        };
        char want[64], got[32];
        for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
                jansson_real(fixed[i], want, sizeof want);
                assert_true(jw_format_double(fixed[i], got) > 0);
                assert_string_equal(got, want);
        }
        uint64_t x = 0x2545f4914f6cdd1dULL;
        for (int i = 0; i < 50000; i++) {
                uint64_t bits = rng_next(&x);
                double d;
                memcpy(&d, &bits, sizeof d);
                if (!isfinite(d))
                        continue;
                jansson_real(d, want, sizeof want);
                assert_true(jw_format_double(d, got) > 0);
                assert_string_equal(got, want);
        }
        assert_int_equal(jw_format_double(NAN, got), 0);
        assert_int_equal(jw_format_double(INFINITY, got), 0);
        assert_int_equal(jw_format_double(-INFINITY, got), 0);
}

/* jw_format_real(v, d) == jansson's json_real(round(v * 10^d) / 10^d). */
static void test_real_matches_jansson(void **state)
{
        (void)state;
        static const double scale[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6 };
        static const double fixed[] = {
                0, -0.0, -0.001, -0.004, 0.005, 0.015, 12.345, 99.95, 100, 1e14, 9.99999999999999e14,
                1e15, 1e16, -1e16, 4495.07, 1795631133, 2445.404, 0.125, 0.375, 1e-7, -1e-7, 123.456789,
        };
        char want[64], got[32];
        for (int d = 0; d <= 6; d++) {
                for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
                        double v = fixed[i];
                        jansson_real(round(v * scale[d]) / scale[d], want, sizeof want);
                        assert_true(jw_format_real(v, d, got) > 0);
                        assert_string_equal(got, want);
                }
        }
        uint64_t x = 0x9e3779b97f4a7c15ULL;
        for (int i = 0; i < 100000; i++) {
                int d = (int)(rng_next(&x) % 4);
                /* magnitudes from 1e-6 to 1e17, both signs */
                double mant = (double)(rng_next(&x) % 1000000007) / 1000000007.0;
                double v = mant * pow(10, (double)(rng_next(&x) % 24) - 6);
                if (rng_next(&x) % 2)
                        v = -v;
                jansson_real(round(v * scale[d]) / scale[d], want, sizeof want);
                assert_true(jw_format_real(v, d, got) > 0);
                assert_string_equal(got, want);
        }
        assert_int_equal(jw_format_real(NAN, 1, got), 0);
        assert_int_equal(jw_format_real(INFINITY, 2, got), 0);
        assert_int_equal(jw_format_real(1e308, 2, got), 0); /* v * 100 overflows */
}

static void test_document(void **state)
{
        (void)state;
        JsonWriter w;
        jw_init(&w, false);
        jw_object_begin(&w);
        jw_key(&w, "i");
        jw_int(&w, INT64_MIN);
        jw_key(&w, "u");
        jw_u64(&w, UINT64_MAX);
        jw_key(&w, "max");
        jw_u64(&w, (uint64_t)INT64_MAX);
        jw_key(&w, "r");
        jw_real(&w, 97.55, 1);
        jw_key(&w, "nan");
        jw_real(&w, NAN, 1);
        jw_key(&w, "b");
        jw_bool(&w, true);
        jw_key(&w, "n");
        jw_null(&w);
        jw_key(&w, "a");
        jw_array_begin(&w);
        jw_int(&w, 0);
        jw_double(&w, 2.5e-05);
        jw_array_end(&w);
        jw_key(&w, "hostile");
        /* quote, backslash, slash, newline, control byte, DEL, invalid UTF-8 */
        jw_text(&w, "a\"b\\c/d\ne\x01\x7f\xff)");
        jw_key_text(&w, "key\xc3");
        jw_literal(&w, "v");
        jw_object_end(&w);
        char *doc = jw_finish(&w);
        assert_non_null(doc);
        assert_string_equal(doc, "{\"i\":-9223372036854775808,\"u\":1.84467440737096e19,"
                                 "\"max\":9223372036854775807,\"r\":97.6,\"nan\":null,\"b\":true,"
                                 "\"n\":null,\"a\":[0,2.5e-5],"
                                 "\"hostile\":\"a\\\"b\\\\c/d\\ne\\u0001\x7f\xef\xbf\xbd)\","
                                 "\"key\xef\xbf\xbd\":\"v\"}");
        /* The same document parses back with jansson. */
        json_error_t err;
        json_t *back = json_loads(doc, 0, &err);
        assert_non_null(back);
        assert_string_equal(json_string_value(json_object_get(back, "hostile")),
                            "a\"b\\c/d\ne\x01\x7f\xef\xbf\xbd)");
        json_decref(back);
        free(doc);
}

static void test_pretty(void **state)
{
        (void)state;
        JsonWriter w;
        jw_init(&w, true);
        jw_object_begin(&w);
        jw_key(&w, "a");
        jw_array_begin(&w);
        jw_int(&w, 1);
        jw_int(&w, 2);
        jw_array_end(&w);
        jw_key(&w, "b");
        jw_object_begin(&w);
        jw_key(&w, "c");
        jw_null(&w);
        jw_key(&w, "e");
        jw_array_begin(&w);
        jw_array_end(&w);
        jw_object_end(&w);
        jw_key(&w, "o");
        jw_object_begin(&w);
        jw_object_end(&w);
        jw_object_end(&w);
        char *doc = jw_finish(&w);
        assert_non_null(doc);
        /* Two-space indent, empty containers on one line, no trailing
         * newline (the caller adds one). */
        assert_string_equal(doc, "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {\n    \"c\": null,\n"
                                 "    \"e\": []\n  },\n  \"o\": {}\n}");
        free(doc);

        /* Compact: the same text jansson wrote. */
        jw_init(&w, false);
        jw_object_begin(&w);
        jw_key(&w, "e");
        jw_array_begin(&w);
        jw_array_end(&w);
        jw_key(&w, "o");
        jw_object_begin(&w);
        jw_object_end(&w);
        jw_object_end(&w);
        doc = jw_finish(&w);
        assert_string_equal(doc, "{\"e\":[],\"o\":{}}");
        free(doc);

        /* An empty document root. */
        jw_init(&w, false);
        jw_array_begin(&w);
        jw_array_end(&w);
        doc = jw_finish(&w);
        assert_string_equal(doc, "[]");
        free(doc);
}

/* A misuse (a value where a key is due, unbalanced close) fails the whole
 * document instead of emitting broken JSON. */
static void test_failure_emits_nothing(void **state)
{
        (void)state;
        JsonWriter w;
        jw_init(&w, false);
        jw_object_begin(&w);
        jw_int(&w, 1); /* keys must be strings */
        jw_object_end(&w);
        assert_null(jw_finish(&w));

        jw_init(&w, false);
        jw_array_begin(&w);
        jw_object_end(&w);
        assert_null(jw_finish(&w));

        /* Left open. */
        jw_init(&w, false);
        jw_object_begin(&w);
        jw_key(&w, "a");
        jw_array_begin(&w);
        jw_array_end(&w);
        assert_null(jw_finish(&w));

        /* Nothing written at all. */
        jw_init(&w, false);
        assert_null(jw_finish(&w));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_double_matches_jansson),
                cmocka_unit_test(test_real_matches_jansson),
                cmocka_unit_test(test_document),
                cmocka_unit_test(test_pretty),
                cmocka_unit_test(test_failure_emits_nothing),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
