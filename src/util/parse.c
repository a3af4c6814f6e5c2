/* SPDX-License-Identifier: MIT */
#include "util/parse.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *skip_blank(const char *p)
{
        while (*p == ' ' || *p == '\t')
                p++;
        return p;
}

int scan_u64(const char **p, uint64_t *ret)
{
        const char *s = skip_blank(*p);
        uint64_t v = 0;
        const char *start = s;

        while (*s >= '0' && *s <= '9') {
                unsigned d = (unsigned)(*s - '0');
                if (v > (UINT64_MAX - d) / 10)
                        return -ERANGE;
                v = v * 10 + d;
                s++;
        }
        if (s == start)
                return -EINVAL;
        *ret = v;
        *p = s;
        return 0;
}

int scan_i64(const char **p, int64_t *ret)
{
        const char *s = skip_blank(*p);
        bool neg = false;
        uint64_t v;

        if (*s == '-') {
                neg = true;
                s++;
        }
        int r = scan_u64(&s, &v);
        if (r < 0)
                return r;
        if (neg ? v > (uint64_t)INT64_MAX + 1 : v > (uint64_t)INT64_MAX)
                return -ERANGE;
        *ret = neg ? (int64_t)(0 - v) : (int64_t)v;
        *p = s;
        return 0;
}

int scan_double(const char **p, double *ret)
{
        const char *s = skip_blank(*p);
        char *end;

        if (!((*s >= '0' && *s <= '9') || *s == '-' || *s == '.'))
                return -EINVAL;
        errno = 0;
        double v = strtod(s, &end);
        if (end == s)
                return -EINVAL;
        if (errno == ERANGE || !isfinite(v))
                return -ERANGE;
        *ret = v;
        *p = end;
        return 0;
}

int scan_skip(const char **p)
{
        const char *s = skip_blank(*p);
        if (*s == '\0' || *s == '\n')
                return -EINVAL;
        while (*s && *s != ' ' && *s != '\t' && *s != '\n')
                s++;
        *p = s;
        return 0;
}

int safe_atou64(const char *s, uint64_t *ret)
{
        const char *p = s;
        uint64_t v;

        if (*p < '0' || *p > '9')
                return -EINVAL;
        int r = scan_u64(&p, &v);
        if (r < 0)
                return r;
        if (*p != '\0')
                return -EINVAL;
        *ret = v;
        return 0;
}

int safe_atod(const char *s, double *ret)
{
        const char *p = s;
        double v;
        int r = scan_double(&p, &v);
        if (r < 0)
                return r;
        if (*p != '\0')
                return -EINVAL;
        *ret = v;
        return 0;
}

const char *line_find(const char *line, char c)
{
        const char *eol = strchrnul(line, '\n');
        return memchr(line, c, (size_t)(eol - line));
}

const char *next_line(const char *p)
{
        const char *nl = strchr(p, '\n');
        if (!nl || nl[1] == '\0')
                return NULL;
        return nl + 1;
}

bool startswith(const char *s, const char *prefix)
{
        return strncmp(s, prefix, strlen(prefix)) == 0;
}

size_t keyed_u64_parse(const char *buf, const char *const *keys, size_t n_keys, uint64_t *values)
{
        size_t found = 0;

        for (size_t i = 0; i < n_keys; i++)
                values[i] = UINT64_MAX;

        for (const char *line = buf; line && *line; line = next_line(line)) {
                const char *eol = strchrnul(line, '\n');
                const char *sp = line;
                while (sp < eol && *sp != ' ' && *sp != '\t')
                        sp++;
                if (sp == line || sp == eol)
                        continue;
                size_t klen = (size_t)(sp - line);

                for (size_t i = 0; i < n_keys; i++) {
                        if (strlen(keys[i]) != klen || memcmp(keys[i], line, klen) != 0)
                                continue;
                        /* Duplicates: the first valid line wins. */
                        if (values[i] != UINT64_MAX)
                                break;
                        const char *p = sp;
                        uint64_t v;
                        if (scan_u64(&p, &v) < 0)
                                break;
                        while (*p == ' ' || *p == '\t')
                                p++;
                        if (p != eol || v == UINT64_MAX)
                                break;
                        values[i] = v;
                        found++;
                        break;
                }
        }
        return found;
}
