/* SPDX-License-Identifier: MIT */
#include "render/json-util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/human.h"
#include "util/utf8.h"
#include "util/xalloc.h"

json_t *jstrn(const char *s, size_t len)
{
        char small[1024];
        size_t cap = len * 3 + 4;
        char *out = cap <= sizeof small ? small : xmalloc(cap);
        size_t n = utf8_sanitize(s, len, out, cap);
        /* Already valid UTF-8 (utf8_sanitize): skip jansson's second check. */
        json_t *j = json_stringn_nocheck(out, n);
        if (out != small)
                free(out);
        return j;
}

json_t *jstr(const char *s)
{
        return jstrn(s, strlen(s));
}

json_t *jreal(double v, int decimals)
{
        if (isnan(v) || isinf(v))
                return json_null();
        double scale = 1;
        for (int i = 0; i < decimals; i++)
                scale *= 10;
        return json_real(round(v * scale) / scale);
}

json_t *juint(uint64_t v)
{
        if (v > (uint64_t)INT64_MAX)
                return json_real((double)v);
        return json_integer((json_int_t)v);
}

void jset(json_t *obj, const char *key, json_t *value)
{
        /* Keys are this program's own ASCII literals: no UTF-8 check. */
        json_object_set_new_nocheck(obj, key, value ? value : json_null());
}

void jset_real_opt(json_t *obj, const char *key, double v, int decimals)
{
        if (has_dbl(v))
                jset(obj, key, jreal(v, decimals));
}

static void set_human(json_t *obj, const char *key, uint64_t v)
{
        char hkey[HUMAN_KEY_MAX], h[HUMAN_BYTES_MAX];
        human_key(key, hkey);
        if (has_u64(v)) {
                human_bytes(v, h);
                jset(obj, hkey, json_string(h));
        } else {
                jset(obj, hkey, json_null());
        }
}

void jset_bytes(json_t *obj, const char *key, uint64_t v)
{
        jset(obj, key, has_u64(v) ? juint(v) : json_null());
        set_human(obj, key, v);
}
