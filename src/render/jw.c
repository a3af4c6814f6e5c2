/* SPDX-License-Identifier: MIT */
#include "render/jw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "util/human.h"
#include "util/utf8.h"
#include "util/xalloc.h"

static void print_to_buf(void *ctx, const char *s, size_t len)
{
        Buf *b = ctx;
        if (b->cap - b->len <= len) {
                size_t cap = b->cap ? b->cap : 16384;
                while (cap - b->len <= len)
                        cap *= 2;
                b->data = xreallocarray(b->data, cap, 1);
                b->cap = cap;
        }
        memcpy(b->data + b->len, s, len);
        b->len += len;
        b->data[b->len] = '\0';
}

void jw_init(JsonWriter *w, bool pretty)
{
        *w = (JsonWriter){ 0 };
        yajl_gen g = yajl_gen_alloc(NULL);
        if (!g) {
                w->failed = true;
                return;
        }
        yajl_gen_config(g, yajl_gen_print_callback, print_to_buf, &w->out);
        /* Refuse (and fail the document) rather than emit invalid UTF-8;
         * jw_text() repairs outside text first, so this never fires. */
        yajl_gen_config(g, yajl_gen_validate_utf8, 1);
        if (pretty) {
                yajl_gen_config(g, yajl_gen_beautify, 1);
                yajl_gen_config(g, yajl_gen_indent_string, "  ");
        }
        w->gen = g;
}

char *jw_finish(JsonWriter *w)
{
        if (w->depth != 0)
                w->failed = true; /* unclosed containers */
        if (w->gen)
                yajl_gen_free(w->gen);
        w->gen = NULL;
        if (w->failed || !w->out.data) {
                buf_free(&w->out);
                return NULL;
        }
        /* yajl ends a pretty document with a newline; the caller adds its own. */
        while (w->out.len > 0 && w->out.data[w->out.len - 1] == '\n')
                w->out.data[--w->out.len] = '\0';
        char *doc = w->out.data;
        w->out = (Buf){ 0 };
        return doc;
}

static void check(JsonWriter *w, yajl_gen_status st)
{
        if (st != yajl_gen_status_ok)
                w->failed = true;
}

static void flush_pending(JsonWriter *w)
{
        if (!w->pending)
                return;
        bool object = w->pending == '{';
        w->pending = 0;
        if (w->gen)
                check(w, object ? yajl_gen_map_open(w->gen) : yajl_gen_array_open(w->gen));
}

static void open_container(JsonWriter *w, bool object)
{
        flush_pending(w);
        if (w->depth >= 64) {
                w->failed = true;
                return;
        }
        w->open_objects = w->open_objects << 1 | (object ? 1 : 0);
        w->depth++;
        w->pending = object ? '{' : '[';
}

static void close_container(JsonWriter *w, bool object)
{
        if (w->depth == 0 || (bool)(w->open_objects & 1) != object) {
                w->failed = true;
                return;
        }
        w->open_objects >>= 1;
        w->depth--;
        if (w->pending) {
                /* Empty: one atom. yajl copies number text verbatim and
                 * handles the separators and indentation around it. */
                w->pending = 0;
                if (w->gen)
                        check(w, yajl_gen_number(w->gen, object ? "{}" : "[]", 2));
                return;
        }
        if (w->gen)
                check(w, object ? yajl_gen_map_close(w->gen) : yajl_gen_array_close(w->gen));
}

void jw_object_begin(JsonWriter *w)
{
        open_container(w, true);
}

void jw_object_end(JsonWriter *w)
{
        close_container(w, true);
}

void jw_array_begin(JsonWriter *w)
{
        open_container(w, false);
}

void jw_array_end(JsonWriter *w)
{
        close_container(w, false);
}

static void raw_string(JsonWriter *w, const char *s, size_t len)
{
        flush_pending(w);
        if (w->gen)
                check(w, yajl_gen_string(w->gen, (const unsigned char *)s, len));
}

void jw_key(JsonWriter *w, const char *literal)
{
        raw_string(w, literal, strlen(literal));
}

void jw_literal(JsonWriter *w, const char *s)
{
        raw_string(w, s, strlen(s));
}

void jw_textn(JsonWriter *w, const char *s, size_t len)
{
        char small[1024];
        size_t cap = len * 3 + 4;
        char *out = cap <= sizeof small ? small : xmalloc(cap);
        size_t n = utf8_sanitize(s, len, out, cap);
        raw_string(w, out, n);
        if (out != small)
                free(out);
}

void jw_text(JsonWriter *w, const char *s)
{
        jw_textn(w, s, strlen(s));
}

void jw_key_text(JsonWriter *w, const char *text)
{
        jw_text(w, text);
}

void jw_null(JsonWriter *w)
{
        flush_pending(w);
        if (w->gen)
                check(w, yajl_gen_null(w->gen));
}

void jw_bool(JsonWriter *w, bool v)
{
        flush_pending(w);
        if (w->gen)
                check(w, yajl_gen_bool(w->gen, v));
}

static void number(JsonWriter *w, const char *s, size_t len)
{
        flush_pending(w);
        if (w->gen)
                check(w, yajl_gen_number(w->gen, s, len));
}

void jw_int(JsonWriter *w, int64_t v)
{
        char buf[24], *p = buf;
        uint64_t m = (uint64_t)v;
        if (v < 0) {
                *p++ = '-';
                m = 0 - m; /* also right for INT64_MIN */
        }
        p = put_decimal(p, m);
        number(w, buf, (size_t)(p - buf));
}

void jw_u64(JsonWriter *w, uint64_t v)
{
        if (v > (uint64_t)INT64_MAX) {
                jw_double(w, (double)v);
                return;
        }
        jw_int(w, (int64_t)v);
}

size_t jw_format_double(double v, char out[32])
{
        if (!isfinite(v))
                return 0;
        int r = snprintf(out, 32, "%.15g", v);
        if (r <= 0 || r >= 32)
                return 0;
        size_t len = (size_t)r;
        /* A real must read back as a real: "19" becomes "19.0". */
        if (!strchr(out, '.') && !strchr(out, 'e')) {
                memcpy(out + len, ".0", 3);
                len += 2;
        }
        /* "1e+19" -> "1e19", "2.5e-05" -> "2.5e-5". */
        char *e = strchr(out, 'e');
        if (e) {
                char *start = e + 1, *end = e + 2;
                if (*start == '-')
                        start++;
                while (*end == '0')
                        end++;
                if (end != start) {
                        memmove(start, end, len - (size_t)(end - out) + 1);
                        len -= (size_t)(end - start);
                }
        }
        return len;
}

size_t jw_format_real(double v, int decimals, char out[32])
{
        static const double pow10[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6 };
        if (decimals < 0)
                decimals = 0;
        if (decimals > 6)
                decimals = 6;
        double scale = pow10[decimals];
        double n = round(v * scale);
        double x = n / scale;
        if (!isfinite(x))
                return 0;
        /* In integers where "%.15g" prints plain digits: below 15
         * significant digits the rounded value round-trips through the
         * double exactly, so the digits are those of n. */
        if (fabs(n) >= 1e15 || (x != 0 && fabs(x) < 1e-4))
                return jw_format_double(x, out);
        uint64_t m = (uint64_t)fabs(n), unit = (uint64_t)scale;
        char *p = out;
        if (signbit(x))
                *p++ = '-'; /* also "-0.0", as printf writes it */
        p = put_decimal(p, m / unit);
        *p++ = '.';
        uint64_t frac = m % unit;
        if (frac == 0) {
                *p++ = '0';
        } else {
                char digits[8];
                int k = decimals;
                for (int i = k - 1; i >= 0; i--, frac /= 10)
                        digits[i] = (char)('0' + frac % 10);
                while (k > 1 && digits[k - 1] == '0')
                        k--;
                memcpy(p, digits, (size_t)k);
                p += k;
        }
        *p = '\0';
        return (size_t)(p - out);
}

void jw_real(JsonWriter *w, double v, int decimals)
{
        char buf[32];
        size_t len = jw_format_real(v, decimals, buf);
        if (len == 0)
                jw_null(w);
        else
                number(w, buf, len);
}

void jw_double(JsonWriter *w, double v)
{
        char buf[32];
        size_t len = jw_format_double(v, buf);
        if (len == 0)
                jw_null(w);
        else
                number(w, buf, len);
}
