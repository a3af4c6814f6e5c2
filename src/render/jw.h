/* SPDX-License-Identifier: MIT */
/* JSON writer: the snapshot document streamed through yajl's generator
 * (Debian libyajl), with no tree in between. A snapshot is ~400 values
 * written once, on the hot path of every `snapshot`, `quick` and `watch`
 * tick; building and dropping a jansson tree for it cost ~3x the CPU
 * (bench/json-lib.md). yajl escapes strings and checks them for UTF-8;
 * this file formats the numbers, exactly as jansson would print them
 * (integers in decimal, reals as "%.15g" with ".0" on integral values and
 * no "+" or leading zeros in exponents), so both renderers agree byte for
 * byte.
 *
 * Keys: jw_key() takes this program's own ASCII literals; jw_key_text()
 * takes text that came from outside (kernel names), which is made valid
 * UTF-8 first, like every string value (jw_text). A failed call (yajl
 * refusing a value, a nesting error) marks the writer failed and
 * jw_finish() returns NULL: the document is never emitted half-valid. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/common.h"
#include "util/fileio.h"

typedef struct JsonWriter {
        void *gen; /* yajl_gen */
        Buf out;
        bool failed;
        /* Open containers, innermost in bit 0 (1 = object): yajl does not
         * check that a close matches its open. */
        unsigned depth;
        uint64_t open_objects;
        /* The innermost container is opened only when its first member is
         * written: an empty one is then written as the atom "[]" or "{}",
         * which yajl's pretty printer would otherwise spread over three
         * lines. 0, or '[' / '{' while pending. */
        char pending;
} JsonWriter;

void jw_init(JsonWriter *w, bool pretty);
/* The document as a malloc'd NUL-terminated string (free() it), or NULL
 * if any call failed or memory ran out. Releases the writer either way. */
char *jw_finish(JsonWriter *w);

void jw_object_begin(JsonWriter *w);
void jw_object_end(JsonWriter *w);
void jw_array_begin(JsonWriter *w);
void jw_array_end(JsonWriter *w);

void jw_key(JsonWriter *w, const char *literal);
void jw_key_text(JsonWriter *w, const char *text);

void jw_null(JsonWriter *w);
void jw_bool(JsonWriter *w, bool v);
void jw_int(JsonWriter *w, int64_t v);
/* Above INT64_MAX a real, as jansson's integers cannot hold it. */
void jw_u64(JsonWriter *w, uint64_t v);
/* v rounded to `decimals` places (0-6); null when NAN or infinite. */
void jw_real(JsonWriter *w, double v, int decimals);
/* v with 15 significant digits; null when NAN or infinite. */
void jw_double(JsonWriter *w, double v);
/* A string this program made (ASCII, or valid UTF-8 by construction). */
void jw_literal(JsonWriter *w, const char *s);
/* Text from outside: invalid UTF-8 replaced (utf8_sanitize). */
void jw_text(JsonWriter *w, const char *s);
void jw_textn(JsonWriter *w, const char *s, size_t len);

/* Formats v as jw_double() writes it ("%.15g", ".0" added to integral
 * values, exponent without "+" or leading zeros). Returns the length, or
 * 0 when v is not finite. Exposed for the tests. */
size_t jw_format_double(double v, char out[32]);
/* Formats round(v * 10^decimals) / 10^decimals as jansson prints that
 * real. Returns the length, 0 when v is not finite. */
size_t jw_format_real(double v, int decimals, char out[32]);
