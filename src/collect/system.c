/* SPDX-License-Identifier: MIT */
#include "collect/system.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <utmp.h>

#include "util/fileio.h"
#include "util/parse.h"
#include "util/xalloc.h"

int uptime_parse(const char *buf, double *ret_seconds)
{
        const char *p = buf;
        double v;
        int r = scan_double(&p, &v);
        if (r < 0)
                return r;
        /* A negative or absurd value (more than ~1000 years) is corrupt
         * input; rejecting it here keeps later integer conversions defined. */
        if (v < 0 || v > 3.2e10)
                return -EBADMSG;
        *ret_seconds = v;
        return 0;
}

/* utmp strings are fixed-size and not NUL-terminated when full. */
static void copy_fixed(char *dst, size_t dst_cap, const char *src, size_t src_len)
{
        size_t n = strnlen(src, src_len);
        if (n >= dst_cap)
                n = dst_cap - 1;
        memcpy(dst, src, n);
        dst[n] = '\0';
}

int utmp_parse(const void *buf, size_t len, LoggedInUser **ret, size_t *ret_n)
{
        if (len % sizeof(struct utmp) != 0)
                return -EBADMSG;
        size_t n_rec = len / sizeof(struct utmp);
        LoggedInUser *users = NULL;
        size_t n = 0;

        for (size_t i = 0; i < n_rec; i++) {
                struct utmp u;
                memcpy(&u, (const char *)buf + i * sizeof u, sizeof u);
                if (u.ut_type != USER_PROCESS || u.ut_user[0] == '\0')
                        continue;
                users = xreallocarray(users, n + 1, sizeof *users);
                LoggedInUser *o = &users[n++];
                copy_fixed(o->name, sizeof o->name, u.ut_user, sizeof u.ut_user);
                copy_fixed(o->terminal, sizeof o->terminal, u.ut_line, sizeof u.ut_line);
                copy_fixed(o->host, sizeof o->host, u.ut_host, sizeof u.ut_host);
                o->started = (double)u.ut_tv.tv_sec + (double)u.ut_tv.tv_usec / 1e6;
                o->pid = u.ut_pid;
        }
        *ret = users;
        *ret_n = n;
        return 0;
}

static void read_kernel_string(const RootFS *fs, const char *name, char *out, size_t cap)
{
        char path[64];
        snprintf(path, sizeof path, "sys/kernel/%s", name);
        if (read_line_at(fs->proc_fd, path, out, cap) < 0)
                out[0] = '\0';
}

static void read_users(const RootFS *fs, SystemInfo *ret)
{
        static const char *const paths[] = { "run/utmp", "var/run/utmp" };
        Buf b = { 0 };

        for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
                ssize_t n = read_file_buf_at(fs->root_fd, paths[i], &b, 16 << 20);
                if (n == -ENOENT)
                        continue;
                if (n >= 0 && utmp_parse(b.data, (size_t)n, &ret->users, &ret->n_users) == 0)
                        ret->users_available = true;
                break;
        }
        /* No utmp at all (containers, minimal hosts): nobody is logged in
         * through a terminal, which is an answer, not an error. */
        if (!ret->users_available && b.data == NULL)
                ret->users_available = true;
        buf_free(&b);
}

int system_collect(const RootFS *fs, SystemInfo *ret)
{
        char buf[128];
        struct utsname uts;

        /* proc/sys/kernel/{hostname,ostype,...} answer for the reader's UTS
         * namespace, exactly like uname(2); so on a live kernel one uname()
         * replaces four file reads. Fixture trees need the files. The
         * machine type has no /proc file: it is this binary's architecture. */
        bool have_uts = uname(&uts) == 0;
        if (have_uts)
                snprintf(ret->machine, sizeof ret->machine, "%s", uts.machine);
        if (fs->live && have_uts) {
                snprintf(ret->hostname, sizeof ret->hostname, "%s", uts.nodename);
                snprintf(ret->os_type, sizeof ret->os_type, "%s", uts.sysname);
                snprintf(ret->release, sizeof ret->release, "%s", uts.release);
                snprintf(ret->version, sizeof ret->version, "%s", uts.version);
        } else {
                read_kernel_string(fs, "hostname", ret->hostname, sizeof ret->hostname);
                read_kernel_string(fs, "ostype", ret->os_type, sizeof ret->os_type);
                read_kernel_string(fs, "osrelease", ret->release, sizeof ret->release);
                read_kernel_string(fs, "version", ret->version, sizeof ret->version);
        }

        if (read_record_at(fs->proc_fd, "uptime", buf, sizeof buf) >= 0) {
                double up;
                if (uptime_parse(buf, &up) == 0)
                        ret->uptime_seconds = up;
        }
        read_users(fs, ret);
        return ret->os_type[0] || has_dbl(ret->uptime_seconds) ? 0 : -ENOENT;
}
