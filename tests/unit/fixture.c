/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "fixture.h"
#include "util/fileio.h"

void fixture_open_roots(RootFS *fs, const char *scenario)
{
        char p[3][512];
        const char *which = NULL;
        snprintf(p[0], sizeof p[0], "%s/%s/proc", FIXTURES_DIR, scenario);
        snprintf(p[1], sizeof p[1], "%s/%s/sys", FIXTURES_DIR, scenario);
        snprintf(p[2], sizeof p[2], "%s/%s/root", FIXTURES_DIR, scenario);
        /* Scenarios without sys/ or root/ use the proc dir in their place. */
        if (access(p[1], F_OK) < 0)
                snprintf(p[1], sizeof p[1], "%s", p[0]);
        if (access(p[2], F_OK) < 0)
                snprintf(p[2], sizeof p[2], "%s", p[0]);
        assert_int_equal(rootfs_open(fs, p[0], p[1], p[2], &which), 0);
}

char *fixture_slurp(const char *path, size_t *ret_len)
{
        Buf b = { 0 };
        int dfd = open(FIXTURES_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(dfd >= 0);
        ssize_t n = read_file_buf_at(dfd, path, &b, 64 << 20);
        close(dfd);
        assert_true(n >= 0);
        if (ret_len)
                *ret_len = (size_t)n;
        return b.data;
}
