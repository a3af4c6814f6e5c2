/* SPDX-License-Identifier: MIT */
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom_abort(size_t size)
{
        fprintf(stderr, "30secs: out of memory allocating %zu bytes\n", size);
        abort();
}

void *xmalloc(size_t size)
{
        void *p = malloc(size ? size : 1);
        if (!p)
                oom_abort(size);
        return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
        void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
        if (!p)
                oom_abort(nmemb * size);
        return p;
}

void *xreallocarray(void *ptr, size_t nmemb, size_t size)
{
        if (size && nmemb > (size_t)-1 / size)
                oom_abort((size_t)-1);
        size_t bytes = nmemb * size;
        void *p = realloc(ptr, bytes ? bytes : 1);
        if (!p)
                oom_abort(nmemb * size);
        return p;
}

char *xstrdup(const char *s)
{
        size_t n = strlen(s) + 1;
        char *p = xmalloc(n);
        memcpy(p, s, n);
        return p;
}
