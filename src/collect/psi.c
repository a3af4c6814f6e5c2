/* SPDX-License-Identifier: MIT */
#include "collect/psi.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/fileio.h"
#include "util/parse.h"

static int parse_kv_double(const char **p, const char *key, double *ret)
{
        const char *s = *p;
        while (*s == ' ')
                s++;
        size_t n = strlen(key);
        if (strncmp(s, key, n) != 0 || s[n] != '=')
                return -EBADMSG;
        s += n + 1;
        int r = scan_double(&s, ret);
        if (r < 0)
                return r;
        *p = s;
        return 0;
}

static int parse_line(const char *s, PsiLine *ret)
{
        PsiLine l;
        int r;

        if ((r = parse_kv_double(&s, "avg10", &l.avg10)) < 0 ||
            (r = parse_kv_double(&s, "avg60", &l.avg60)) < 0 ||
            (r = parse_kv_double(&s, "avg300", &l.avg300)) < 0)
                return r;
        while (*s == ' ')
                s++;
        if (strncmp(s, "total=", 6) != 0)
                return -EBADMSG;
        s += 6;
        if ((r = scan_u64(&s, &l.total_usec)) < 0)
                return r;
        if (*s != '\0' && *s != '\n' && *s != ' ')
                return -EBADMSG;
        if (l.avg10 < 0 || l.avg60 < 0 || l.avg300 < 0)
                return -EBADMSG;
        *ret = l;
        return 0;
}

int psi_parse(const char *buf, Psi *ret)
{
        Psi psi = { 0 };

        for (const char *line = buf; line; line = next_line(line)) {
                if (startswith(line, "some ") && !psi.has_some)
                        psi.has_some = parse_line(line + 5, &psi.some) == 0;
                else if (startswith(line, "full ") && !psi.has_full)
                        psi.has_full = parse_line(line + 5, &psi.full) == 0;
        }
        if (!psi.has_some && !psi.has_full)
                return -EBADMSG;
        *ret = psi;
        return 0;
}

int psi_read(const RootFS *fs, const char *resource, Psi *ret)
{
        char path[64], buf[512];
        snprintf(path, sizeof path, "pressure/%s", resource);
        ssize_t n = read_record_at(fs->proc_fd, path, buf, sizeof buf);
        if (n < 0)
                return (int)n;
        return psi_parse(buf, ret);
}
