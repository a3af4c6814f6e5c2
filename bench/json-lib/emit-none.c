/* SPDX-License-Identifier: MIT */
/* emit.h doing nothing: the size and RSS baseline (bench only). */
#include "emit.h"

const char *const emit_lib_name = "none (baseline)";
int emit_tuned;

void emit_begin(void) {}
void emit_obj(const char *key) { (void)key; }
void emit_arr(const char *key) { (void)key; }
void emit_end(void) {}
void emit_str(const char *key, const char *s, size_t len) { (void)key; (void)s; (void)len; }
void emit_int(const char *key, int64_t v) { (void)key; (void)v; }
void emit_real(const char *key, double v) { (void)key; (void)v; }
void emit_bool(const char *key, int v) { (void)key; (void)v; }
void emit_null(const char *key) { (void)key; }

const char *emit_dump(int pretty, size_t *len)
{
        (void)pretty;
        *len = 2;
        return "{}";
}

void emit_finish(void) {}
