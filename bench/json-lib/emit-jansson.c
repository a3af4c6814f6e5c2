/* SPDX-License-Identifier: MIT */
/* emit.h over jansson (bench only). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"

const char *const emit_lib_name = "jansson " JANSSON_VERSION;
int emit_tuned;

static json_t *stack[32];
static int depth;
static char *text;

static void add(const char *key, json_t *v)
{
        if (!v) {
                /* json_string() refuses invalid UTF-8; json_real() NaN/Inf. */
                fprintf(stderr, "jansson: value for '%s' refused\n", key ? key : "[]");
                exit(1);
        }
        json_t *top = stack[depth - 1];
        if (json_is_object(top)) {
                int r = emit_tuned ? json_object_set_new_nocheck(top, key, v)
                                   : json_object_set_new(top, key, v);
                if (r < 0)
                        exit(1);
        } else {
                json_array_append_new(top, v);
        }
}

void emit_begin(void)
{
        depth = 0;
        stack[depth++] = json_object();
}

void emit_obj(const char *key)
{
        json_t *o = json_object();
        add(key, o);
        stack[depth++] = o;
}

void emit_arr(const char *key)
{
        json_t *a = json_array();
        add(key, a);
        stack[depth++] = a;
}

void emit_end(void)
{
        depth--;
}

void emit_str(const char *key, const char *s, size_t len)
{
        add(key, emit_tuned ? json_stringn_nocheck(s, len) : json_stringn(s, len));
}

void emit_int(const char *key, int64_t v)
{
        add(key, json_integer((json_int_t)v));
}

void emit_real(const char *key, double v)
{
        add(key, json_real(v));
}

void emit_bool(const char *key, int v)
{
        add(key, json_boolean(v));
}

void emit_null(const char *key)
{
        add(key, json_null());
}

const char *emit_dump(int pretty, size_t *len)
{
        /* The flags 30secs uses (src/render/json.c). */
        size_t flags = JSON_REAL_PRECISION(15) | (pretty ? JSON_INDENT(2) : JSON_COMPACT);
        text = json_dumps(stack[0], flags);
        *len = text ? strlen(text) : 0;
        return text;
}

void emit_finish(void)
{
        free(text);
        text = NULL;
        json_decref(stack[0]);
        depth = 0;
}
