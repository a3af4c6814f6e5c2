/* SPDX-License-Identifier: MIT */
/* Strings and numbers for the escaping/correctness check (bench only). */
#ifndef BENCH_ESCAPE_CASES_H
#define BENCH_ESCAPE_CASES_H

#include <stddef.h>

struct str_case {
        const char *name;
        const char *s;
        size_t len;
};

#define C(name, lit) { name, lit, sizeof(lit) - 1 }
static const struct str_case str_cases[] = {
        C("control bytes 01-1f", "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"
                                  "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f"),
        C("quote backslash slash DEL", "\"\\/\x7f"),
        C("embedded NUL (explicit length)", "a\0b"),
        C("valid UTF-8 + U+2028", "na\xc3\xafve \xe2\x9c\x93 \xe2\x80\xa8"),
        C("invalid: lone 0xff 0xfe", "ok\xff\xfe"),
        C("invalid: bad continuation c3 28", "\xc3\x28"),
        C("invalid: truncated e2 9c", "x\xe2\x9c"),
        C("invalid: overlong c0 af", "\xc0\xaf"),
        C("invalid: surrogate ed a0 80", "\xed\xa0\x80"),
        C("invalid: above U+10FFFF f4 90 80 80", "\xf4\x90\x80\x80"),
};
#undef C

static const double real_cases[] = { 50.0, 97.6, 0.000089, 1e300, -0.0, 1.0 / 3 };

#endif
