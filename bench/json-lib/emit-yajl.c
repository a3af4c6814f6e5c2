/* SPDX-License-Identifier: MIT */
/*
 * emit.h over yajl's streaming generator (bench only). No tree: every
 * emit_* call writes its text into the generator's buffer at once, so
 * bench.c's "build" time is the whole serialization and emit_dump() only
 * closes the root.
 *
 * Configured the way 30secs would use it: yajl_gen_validate_utf8 on
 * (off when tuned: 30secs runs every string through utf8_sanitize first),
 * yajl_gen_beautify with a 2-space indent for pretty, compact otherwise.
 * Numbers are passed as text with yajl_gen_number, formatted like jansson
 * with JSON_REAL_PRECISION(15) (numtext.h); NaN/Inf become null.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_version.h>

#include "emit.h"
#include "numtext.h"

#define STR_(x) #x
#define STR(x) STR_(x)
const char *const emit_lib_name = "yajl " STR(YAJL_MAJOR) "." STR(YAJL_MINOR) "." STR(YAJL_MICRO);
int emit_tuned;

static yajl_gen gen;
static unsigned char is_array[YAJL_MAX_DEPTH]; /* per open container */
static int depth;

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

static void check(yajl_gen_status st, const char *key)
{
        if (st != yajl_gen_status_ok) {
                /* yajl_gen_invalid_string: invalid UTF-8 with validation on. */
                fprintf(stderr, "yajl: %s for '%s'\n", status_name(st), key ? key : "[]");
                exit(1);
        }
}

/* Object members: the key is a string of its own in the stream (validated
 * like any string when yajl_gen_validate_utf8 is on). */
static void put_key(const char *key)
{
        if (key)
                check(yajl_gen_string(gen, (const unsigned char *)key, strlen(key)), key);
}

static void open_container(const char *key, int array)
{
        put_key(key);
        if (depth >= YAJL_MAX_DEPTH - 1) {
                fprintf(stderr, "yajl: too deep\n");
                exit(1);
        }
        check(array ? yajl_gen_array_open(gen) : yajl_gen_map_open(gen), key);
        is_array[depth++] = (unsigned char)array;
}

void emit_begin(void)
{
        gen = yajl_gen_alloc(NULL);
        if (!gen)
                exit(1);
        yajl_gen_config(gen, yajl_gen_validate_utf8, !emit_tuned);
        if (emit_pretty) {
                yajl_gen_config(gen, yajl_gen_beautify, 1);
                if (!yajl_gen_config(gen, yajl_gen_indent_string, "  "))
                        exit(1);
        }
        depth = 0;
        open_container(NULL, 0);
}

void emit_obj(const char *key)
{
        open_container(key, 0);
}

void emit_arr(const char *key)
{
        open_container(key, 1);
}

void emit_end(void)
{
        /* yajl_gen_map_close() does not check that a map is open: we do. */
        depth--;
        check(is_array[depth] ? yajl_gen_array_close(gen) : yajl_gen_map_close(gen), NULL);
}

void emit_str(const char *key, const char *s, size_t len)
{
        put_key(key);
        check(yajl_gen_string(gen, (const unsigned char *)s, len), key);
}

void emit_int(const char *key, int64_t v)
{
        char buf[NUMTEXT_MAX];
        size_t len = numtext_i64(buf, v);
        put_key(key);
        check(yajl_gen_number(gen, buf, len), key);
}

void emit_real(const char *key, double v)
{
        char buf[NUMTEXT_MAX];
        size_t len = numtext_real(buf, v);
        put_key(key);
        /* yajl_gen_number() copies any text verbatim: never hand it "nan". */
        check(len ? yajl_gen_number(gen, buf, len) : yajl_gen_null(gen), key);
}

void emit_bool(const char *key, int v)
{
        put_key(key);
        check(yajl_gen_bool(gen, v), key);
}

void emit_null(const char *key)
{
        put_key(key);
        check(yajl_gen_null(gen), key);
}

const char *emit_dump(int pretty, size_t *len)
{
        const unsigned char *buf;
        if (pretty != emit_pretty) {
                fprintf(stderr, "yajl: layout must be chosen before emit_begin()\n");
                exit(1);
        }
        while (depth > 0)
                emit_end();
        /* With yajl_gen_beautify the text ends in a newline (jansson's does not). */
        if (yajl_gen_get_buf(gen, &buf, len) != yajl_gen_status_ok)
                return NULL;
        return (const char *)buf;
}

void emit_finish(void)
{
        yajl_gen_free(gen); /* also frees the text */
        gen = NULL;
        depth = 0;
}
