/* SPDX-License-Identifier: MIT */
#include "collect/passwd.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/parse.h"

int passwd_find_name(const char *buf, uid_t uid, char *out, size_t cap)
{
        for (const char *line = buf; line; line = next_line(line)) {
                /* Comment lines are ignored, as by glibc's nss_files; a
                 * commented-out entry must not name anybody. */
                if (line[0] == '#')
                        continue;
                const char *c1 = line_find(line, ':');
                if (!c1 || c1 == line)
                        continue;
                const char *c2 = line_find(c1 + 1, ':');
                if (!c2)
                        continue;
                const char *p = c2 + 1;
                uint64_t v;
                if (scan_u64(&p, &v) < 0 || *p != ':' || v != (uint64_t)uid)
                        continue;
                size_t n = (size_t)(c1 - line);
                if (n >= cap)
                        n = cap - 1;
                memcpy(out, line, n);
                out[n] = '\0';
                return 0;
        }
        return -ENOENT;
}

void passwd_cache_load(const RootFS *fs, PasswdCache *cache)
{
        if (cache->loaded == 0)
                cache->loaded = read_file_buf_at(fs->root_fd, "etc/passwd", &cache->file, 64 << 20) >= 0 ? 1 : -1;
}

void passwd_cache_name(const PasswdCache *cache, uid_t uid, char *out, size_t cap)
{
        if (cache->loaded == 1 && passwd_find_name(cache->file.data, uid, out, cap) == 0)
                return;
        snprintf(out, cap, "%u", (unsigned)uid);
}

void passwd_name(const RootFS *fs, PasswdCache *cache, uid_t uid, char *out, size_t cap)
{
        passwd_cache_load(fs, cache);
        passwd_cache_name(cache, uid, out, cap);
}

void passwd_cache_done(PasswdCache *cache)
{
        buf_free(&cache->file);
        cache->loaded = 0;
}
