/* SPDX-License-Identifier: MIT */
/*
 * Number text for a streaming generator that takes numbers as text
 * (yajl_gen_number), bench only. Shared by emit-yajl.c and escape-yajl.c.
 *
 * Integers: a small integer-to-decimal loop (yajl_gen_integer would go
 * through sprintf("%lld")), also for uint64 values above INT64_MAX.
 *
 * Reals: the same text jansson 2.14 writes with JSON_REAL_PRECISION(15)
 * (its jsonp_dtostr, snprintf build, no dtoa):
 *   1. snprintf("%.15g")
 *   2. no '.' and no 'e' in the text -> append ".0"  (50 -> "50.0", -0 -> "-0.0")
 *   3. exponent: drop a '+' sign and leading zeros  ("1e+300" -> "1e300",
 *      "8.9e-05" -> "8.9e-5")
 * %g writes a lower-case 'e' only, so 'E' never occurs. jansson never
 * formats NaN/Inf (json_real() refuses them); %.15g would give "nan" /
 * "inf", which step 2 would turn into "nan.0": numtext_real() returns 0 for
 * them and the caller writes null. Like jansson in the C locale only
 * (jansson also maps a locale decimal comma back to '.'; neither the bench
 * nor 30secs calls setlocale).
 */
#ifndef BENCH_NUMTEXT_H
#define BENCH_NUMTEXT_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define NUMTEXT_MAX 32 /* "-1.23456789012345e-308" is 22; 2^64-1 is 20 */

/* Writes v in decimal to buf (NUMTEXT_MAX bytes, no NUL), returns the length. */
static inline size_t numtext_u64(char *buf, uint64_t v, int negative)
{
        char tmp[20];
        size_t n = 0, len = 0;
        do {
                tmp[n++] = (char)('0' + v % 10);
                v /= 10;
        } while (v);
        if (negative)
                buf[len++] = '-';
        while (n)
                buf[len++] = tmp[--n];
        return len;
}

static inline size_t numtext_i64(char *buf, int64_t v)
{
        /* Magnitude in uint64: -INT64_MIN does not fit in int64_t. */
        return v < 0 ? numtext_u64(buf, -(uint64_t)v, 1) : numtext_u64(buf, (uint64_t)v, 0);
}

/* jansson-compatible text for a finite v (see above) into buf (NUMTEXT_MAX
 * bytes, NUL-terminated); returns the length, or 0 for NaN/Inf. */
static inline size_t numtext_real(char *buf, double v)
{
        if (!isfinite(v))
                return 0;
        int r = snprintf(buf, NUMTEXT_MAX, "%.15g", v);
        if (r <= 0 || r > NUMTEXT_MAX - 3)
                return 0;
        size_t len = (size_t)r;
        char *e = memchr(buf, 'e', len);
        if (!e) {
                if (!memchr(buf, '.', len)) {
                        memcpy(buf + len, ".0", 3);
                        len += 2;
                }
                return len;
        }
        char *in = e + 1, *out = e + 1;
        if (*in == '-')
                *out++ = *in++;
        else if (*in == '+')
                in++;
        while (*in == '0' && in[1] != '\0')
                in++;
        while (*in)
                *out++ = *in++;
        *out = '\0';
        return (size_t)(out - buf);
}

#endif
