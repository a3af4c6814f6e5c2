/* SPDX-License-Identifier: MIT */
/* emit.h over json-c (bench only). */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>

#include "emit.h"

const char *const emit_lib_name = "json-c " JSON_C_VERSION;
int emit_tuned;

static json_object *stack[32];
static int depth;

static void add(const char *key, json_object *v)
{
        json_object *top = stack[depth - 1];
        if (json_object_is_type(top, json_type_object)) {
                /* Tuned: the key is a string literal (not copied) and known
                 * to be new (no lookup for a duplicate). */
                int r = emit_tuned ? json_object_object_add_ex(top, key, v,
                                             JSON_C_OBJECT_ADD_KEY_IS_NEW | JSON_C_OBJECT_KEY_IS_CONSTANT)
                                   : json_object_object_add(top, key, v);
                if (r < 0)
                        exit(1);
        } else {
                json_object_array_add(top, v);
        }
}

void emit_begin(void)
{
        static int once;
        if (!once) {
                /* Same precision as 30secs' JSON_REAL_PRECISION(15); json-c's
                 * default is %.17g (97.6 -> 97.599999999999994). */
                json_c_set_serialization_double_format("%.15g", JSON_C_OPTION_GLOBAL);
                once = 1;
        }
        depth = 0;
        stack[depth++] = json_object_new_object();
}

void emit_obj(const char *key)
{
        json_object *o = json_object_new_object();
        add(key, o);
        stack[depth++] = o;
}

void emit_arr(const char *key)
{
        json_object *a = json_object_new_array();
        add(key, a);
        stack[depth++] = a;
}

void emit_end(void)
{
        depth--;
}

void emit_str(const char *key, const char *s, size_t len)
{
        add(key, json_object_new_string_len(s, (int)len));
}

void emit_int(const char *key, int64_t v)
{
        add(key, json_object_new_int64(v));
}

void emit_real(const char *key, double v)
{
        add(key, json_object_new_double(v));
}

void emit_bool(const char *key, int v)
{
        add(key, json_object_new_boolean(v));
}

void emit_null(const char *key)
{
        add(key, NULL); /* json-c represents null as a NULL object */
}

const char *emit_dump(int pretty, size_t *len)
{
        /* NOSLASHESCAPE: json-c writes "/" as "\/" by default. */
        int flags = JSON_C_TO_STRING_NOSLASHESCAPE |
                    (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED : JSON_C_TO_STRING_PLAIN);
        return json_object_to_json_string_length(stack[0], flags, len);
}

void emit_finish(void)
{
        json_object_put(stack[0]); /* also frees the text */
        depth = 0;
}
