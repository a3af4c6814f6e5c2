/* SPDX-License-Identifier: MIT */
#include "render/json-util.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/fileio.h"
#include "util/human.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define REGION_CHUNK_BYTES (64u << 10)

struct JsonRegionChunk {
        JsonRegionChunk *next;
        size_t used, cap; /* bytes of data[] */
        max_align_t data[];
};

static JsonDoc *region_doc; /* the open region, for jansson's allocator */

static void *region_malloc(size_t size)
{
        const size_t align = sizeof(max_align_t);
        size = (size + align - 1) / align * align;
        JsonRegionChunk *c = region_doc->chunks;
        if (!c || c->cap - c->used < size) {
                /* A request larger than a chunk gets a chunk of its own,
                 * behind the current one so its free space stays usable. */
                size_t cap = size > REGION_CHUNK_BYTES / 4 ? size : REGION_CHUNK_BYTES;
                JsonRegionChunk *n = malloc(sizeof *n + cap);
                if (!n)
                        return NULL;
                n->used = 0;
                n->cap = cap;
                if (c && cap != REGION_CHUNK_BYTES) {
                        n->next = c->next;
                        c->next = n;
                } else {
                        n->next = c;
                        region_doc->chunks = n;
                }
                c = n;
        }
        void *p = (char *)c->data + c->used;
        c->used += size;
        return p;
}

static void region_free(void *p)
{
        (void)p; /* everything goes at once in jdoc_end() */
}

void jdoc_begin(JsonDoc *d)
{
        *d = (JsonDoc){ 0 };
        json_get_alloc_funcs(&d->saved_malloc, &d->saved_free);
        region_doc = d;
        json_set_alloc_funcs(region_malloc, region_free);
}

static int append_to_buf(const char *data, size_t size, void *userdata)
{
        Buf *b = userdata;
        if (b->cap - b->len <= size) {
                size_t cap = b->cap ? b->cap : 8192;
                while (cap - b->len <= size)
                        cap *= 2;
                char *n = realloc(b->data, cap);
                if (!n)
                        return -1;
                b->data = n;
                b->cap = cap;
        }
        memcpy(b->data + b->len, data, size);
        b->len += size;
        b->data[b->len] = '\0';
        return 0;
}

char *jdoc_end(JsonDoc *d, json_t *root, size_t flags)
{
        Buf out = { 0 };
        bool ok = root && json_dump_callback(root, append_to_buf, &out, flags) == 0 && out.data;
        json_set_alloc_funcs(d->saved_malloc, d->saved_free);
        region_doc = NULL;
        while (d->chunks) {
                JsonRegionChunk *next = d->chunks->next;
                free(d->chunks);
                d->chunks = next;
        }
        if (!ok) {
                buf_free(&out);
                return NULL;
        }
        return out.data;
}

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

void jset_u64_opt(json_t *obj, const char *key, uint64_t v)
{
        if (has_u64(v))
                jset(obj, key, juint(v));
}

void jset_real_opt(json_t *obj, const char *key, double v, int decimals)
{
        if (has_dbl(v))
                jset(obj, key, jreal(v, decimals));
}

static void set_human(json_t *obj, const char *key, uint64_t v)
{
        static const char suffix[] = "_human";
        char hkey[96], h[HUMAN_BYTES_MAX];
        size_t len = strnlen(key, sizeof hkey - sizeof suffix);
        memcpy(hkey, key, len);
        memcpy(hkey + len, suffix, sizeof suffix);
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

void jset_bytes_opt(json_t *obj, const char *key, uint64_t v)
{
        if (has_u64(v))
                jset_bytes(obj, key, v);
}

static json_t *psi_line(const PsiLine *l)
{
        json_t *o = json_object();
        jset(o, "avg10", jreal(l->avg10, 2));
        jset(o, "avg60", jreal(l->avg60, 2));
        jset(o, "avg300", jreal(l->avg300, 2));
        jset(o, "total", juint(l->total_usec));
        return o;
}

json_t *jpsi(const Psi *psi)
{
        json_t *o = json_object();
        if (psi->has_some)
                jset(o, "some", psi_line(&psi->some));
        if (psi->has_full)
                jset(o, "full", psi_line(&psi->full));
        return o;
}
