/* SPDX-License-Identifier: MIT */
/*
 * What json-c does with hostile strings and edge numbers (bench only).
 * One line per case: "<name>\t<compact JSON or REFUSED ...>".
 */
#include <json-c/json.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "escape-cases.h"

static void show(const char *name, json_object *v)
{
        json_object *arr = json_object_new_array();
        json_object_array_add(arr, v);
        /* Default flags except "/" unescaped, as 30secs would use it. */
        const char *s = json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
        printf("%s\t%s\n", name, s ? s : "REFUSED (NULL)");
        json_object_put(arr);
}

int main(void)
{
        json_c_set_serialization_double_format("%.15g", JSON_C_OPTION_GLOBAL);
        for (size_t i = 0; i < sizeof str_cases / sizeof *str_cases; i++)
                show(str_cases[i].name, json_object_new_string_len(str_cases[i].s, (int)str_cases[i].len));
        json_object *o = json_object_new_object();
        int r = json_object_object_add(o, "k\xff", json_object_new_boolean(1));
        const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
        printf("invalid UTF-8 in a key\t%s\n", r < 0 ? "REFUSED" : s);
        json_object_put(o);
        for (size_t i = 0; i < sizeof real_cases / sizeof *real_cases; i++) {
                char name[64];
                snprintf(name, sizeof name, "real %.17g", real_cases[i]);
                show(name, json_object_new_double(real_cases[i]));
        }
        show("real NaN", json_object_new_double(NAN));
        show("real +Inf", json_object_new_double(INFINITY));
        show("int64 min", json_object_new_int64(INT64_MIN));
        show("uint64 max: json_integer((json_int_t)UINT64_MAX) / json_object_new_uint64 / "
             "decimal text via yajl_gen_number", json_object_new_uint64(UINT64_MAX));
        /* json-c's default: "/" escaped as "\/". */
        json_object *arr = json_object_new_array();
        json_object_array_add(arr, json_object_new_string("a/b"));
        printf("\"a/b\" with default flags\t%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN));
        json_object_put(arr);
        return 0;
}
