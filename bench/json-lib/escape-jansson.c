/* SPDX-License-Identifier: MIT */
/*
 * What jansson does with hostile strings and edge numbers (bench only).
 * One line per case: "<name>\t<compact JSON or REFUSED ...>".
 */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "escape-cases.h"

static void show(const char *name, json_t *v)
{
        if (!v) {
                printf("%s\tREFUSED (constructor returned NULL)\n", name);
                return;
        }
        json_t *arr = json_array();
        json_array_append_new(arr, v);
        char *s = json_dumps(arr, JSON_COMPACT | JSON_REAL_PRECISION(15));
        printf("%s\t%s\n", name, s ? s : "REFUSED (json_dumps returned NULL)");
        free(s);
        json_decref(arr);
}

int main(void)
{
        for (size_t i = 0; i < sizeof str_cases / sizeof *str_cases; i++)
                show(str_cases[i].name, json_stringn(str_cases[i].s, str_cases[i].len));
        /* The unchecked constructor on invalid UTF-8: what json_dumps does then. */
        show("invalid 0xff via json_stringn_nocheck", json_stringn_nocheck("ok\xff", 3));
        /* A key with invalid UTF-8. */
        json_t *o = json_object();
        int r = json_object_set_new(o, "k\xff", json_true());
        printf("invalid UTF-8 in a key\t%s\n", r < 0 ? "REFUSED (json_object_set_new returned -1)" : "accepted");
        json_decref(o);
        for (size_t i = 0; i < sizeof real_cases / sizeof *real_cases; i++) {
                char name[64];
                snprintf(name, sizeof name, "real %.17g", real_cases[i]);
                show(name, json_real(real_cases[i]));
        }
        show("real NaN", json_real(NAN));
        show("real +Inf", json_real(INFINITY));
        show("int64 min", json_integer(INT64_MIN));
        /* json_int_t is long long: no way to say 2^64-1 (30secs writes a real). */
        show("uint64 max: json_integer((json_int_t)UINT64_MAX) / json_object_new_uint64 / "
             "decimal text via yajl_gen_number", json_integer((json_int_t)UINT64_MAX));
        return 0;
}
