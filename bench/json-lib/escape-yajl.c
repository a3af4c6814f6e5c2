/* SPDX-License-Identifier: MIT */
/*
 * What yajl's generator does with hostile strings and edge numbers (bench
 * only). One line per case: "<name>\t<compact JSON or REFUSED ...>".
 * Configured like emit-yajl.c: yajl_gen_validate_utf8 on, numbers as text
 * through yajl_gen_number (numtext.h).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "escape-cases.h"
#include "numtext.h"

static const char *status_name(yajl_gen_status st)
{
        switch (st) {
        case yajl_gen_status_ok: return "ok";
        case yajl_gen_keys_must_be_strings: return "yajl_gen_keys_must_be_strings";
        case yajl_max_depth_exceeded: return "yajl_max_depth_exceeded";
        case yajl_gen_in_error_state: return "yajl_gen_in_error_state";
        case yajl_gen_generation_complete: return "yajl_gen_generation_complete";
        case yajl_gen_invalid_number: return "yajl_gen_invalid_number";
        case yajl_gen_no_buf: return "yajl_gen_no_buf";
        case yajl_gen_invalid_string: return "yajl_gen_invalid_string";
        }
        return "unknown status";
}

/* A compact generator with one container open: '[' (or '{' if map). */
static yajl_gen start(int validate, int map)
{
        yajl_gen g = yajl_gen_alloc(NULL);
        if (!g)
                return NULL;
        yajl_gen_config(g, yajl_gen_validate_utf8, validate);
        if (map)
                yajl_gen_map_open(g);
        else
                yajl_gen_array_open(g);
        return g;
}

/* st: what the call that wrote the value returned; fn: that call's name. */
static void show(const char *name, yajl_gen g, yajl_gen_status st, const char *fn, int map)
{
        const unsigned char *buf;
        size_t len;
        if (st != yajl_gen_status_ok) {
                printf("%s\tREFUSED (%s returned %s)\n", name, fn, status_name(st));
        } else {
                if (map)
                        yajl_gen_map_close(g);
                else
                        yajl_gen_array_close(g);
                yajl_gen_get_buf(g, &buf, &len);
                printf("%s\t", name);
                fwrite(buf, 1, len, stdout);
                putchar('\n');
        }
        yajl_gen_free(g);
}

static void show_str(const char *name, const char *s, size_t len, int validate)
{
        yajl_gen g = start(validate, 0);
        show(name, g, yajl_gen_string(g, (const unsigned char *)s, len), "yajl_gen_string", 0);
}

static void show_number(const char *name, const char *text, size_t len)
{
        yajl_gen g = start(1, 0);
        show(name, g, yajl_gen_number(g, text, len), "yajl_gen_number", 0);
}

/* How emit-yajl.c writes a double: jansson's text, null for NaN/Inf. */
static void show_real(const char *name, double v)
{
        char buf[NUMTEXT_MAX];
        size_t len = numtext_real(buf, v);
        yajl_gen g = start(1, 0);
        show(name, g, len ? yajl_gen_number(g, buf, len) : yajl_gen_null(g), "yajl_gen_number", 0);
}

static void show_double(const char *name, double v)
{
        yajl_gen g = start(1, 0);
        show(name, g, yajl_gen_double(g, v), "yajl_gen_double", 0);
}

int main(void)
{
        for (size_t i = 0; i < sizeof str_cases / sizeof *str_cases; i++)
                show_str(str_cases[i].name, str_cases[i].s, str_cases[i].len, 1);
        /* Without validation (the "tuned" variant): bytes are copied verbatim. */
        show_str("invalid 0xff with yajl_gen_validate_utf8 off", "ok\xff", 3, 0);
        /* A key is just a string in the stream, validated the same way. */
        yajl_gen g = start(1, 1);
        yajl_gen_status st = yajl_gen_string(g, (const unsigned char *)"k\xff", 2);
        if (st == yajl_gen_status_ok)
                st = yajl_gen_bool(g, 1);
        show("invalid UTF-8 in a key", g, st, "yajl_gen_string", 1);

        for (size_t i = 0; i < sizeof real_cases / sizeof *real_cases; i++) {
                char name[64];
                snprintf(name, sizeof name, "real %.17g", real_cases[i]);
                show_real(name, real_cases[i]);
        }
        /* The library's own double path: refuses NaN/Inf, prints %.20g. */
        show_double("real NaN", NAN);
        show_double("real +Inf", INFINITY);
        show_double("real 97.6 via yajl_gen_double (its %.20g)", 97.6);
        show_double("real 50 via yajl_gen_double", 50.0);
        /* emit-yajl.c's formatter: NaN/Inf written as null. */
        show_real("real NaN via emit-yajl.c (numtext_real)", NAN);
        show_real("real +Inf via emit-yajl.c (numtext_real)", INFINITY);
        /* yajl_gen_number() does not check its text at all. */
        show_number("text \"nan\" via yajl_gen_number", "nan", 3);

        char buf[NUMTEXT_MAX];
        show_number("int64 min", buf, numtext_i64(buf, INT64_MIN));
        show_number("uint64 max: json_integer((json_int_t)UINT64_MAX) / json_object_new_uint64 / "
             "decimal text via yajl_gen_number",
                    buf, numtext_u64(buf, UINT64_MAX, 0));
        g = start(1, 0);
        show("uint64 max via yajl_gen_integer((long long)UINT64_MAX)", g,
             yajl_gen_integer(g, (long long)UINT64_MAX), "yajl_gen_integer", 0);

        /* "/" is not escaped unless yajl_gen_escape_solidus is set. */
        show_str("\"a/b\" with default flags", "a/b", 3, 1);
        g = start(1, 0);
        yajl_gen_config(g, yajl_gen_escape_solidus, 1);
        show("\"a/b\" with yajl_gen_escape_solidus", g,
             yajl_gen_string(g, (const unsigned char *)"a/b", 3), "yajl_gen_string", 0);
        return 0;
}
