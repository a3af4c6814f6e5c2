/* SPDX-License-Identifier: MIT */
#include "util/fileio.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/xalloc.h"

void buf_free(Buf *b)
{
        free(b->data);
        b->data = NULL;
        b->len = b->cap = 0;
}

/* fd from offset `at` (pread) or from its file position (at < 0). With
 * one_record, a short read ends it (see read_record_at). */
static ssize_t read_all(int fd, off_t at, bool one_record, char *buf, size_t cap)
{
        size_t len = 0;

        /* seq_file files may return short reads; keep reading until EOF or
         * until the buffer is full. */
        while (len < cap - 1) {
                ssize_t n = at < 0 ? read(fd, buf + len, cap - 1 - len)
                                   : pread(fd, buf + len, cap - 1 - len, at + (off_t)len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        break;
                len += (size_t)n;
                if (one_record && len < cap - 1)
                        break;
        }
        buf[len] = '\0';
        if (len == cap - 1) {
                char extra;
                ssize_t n;
                do
                        n = at < 0 ? read(fd, &extra, 1) : pread(fd, &extra, 1, at + (off_t)len);
                while (n < 0 && errno == EINTR);
                if (n > 0)
                        return -EFBIG;
        }
        return (ssize_t)len;
}

ssize_t pread_file(int fd, char *buf, size_t cap)
{
        if (cap == 0)
                return -EINVAL;
        buf[0] = '\0';
        return read_all(fd, 0, true, buf, cap);
}

static ssize_t read_path_at(int dirfd, const char *path, bool one_record, char *buf, size_t cap)
{
        if (cap == 0)
                return -EINVAL;
        buf[0] = '\0';
        int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
        ssize_t r = read_all(fd, -1, one_record, buf, cap);
        close(fd);
        return r;
}

ssize_t read_file_at(int dirfd, const char *path, char *buf, size_t cap)
{
        return read_path_at(dirfd, path, false, buf, cap);
}

ssize_t read_record_at(int dirfd, const char *path, char *buf, size_t cap)
{
        return read_path_at(dirfd, path, true, buf, cap);
}

ssize_t read_fd_buf(int fd, Buf *b, size_t max_bytes)
{
        /* The buffer holds up to max_bytes of content plus the NUL; one more
         * byte is requested than allowed so that a larger file is detected
         * (-EFBIG) instead of being cut silently. */
        if (!b->data) {
                b->cap = 4096;
                b->data = xmalloc(b->cap);
        }
        b->len = 0;
        for (;;) {
                if (b->len + 1 >= b->cap) {
                        if (b->len > max_bytes)
                                break;
                        size_t want = b->cap * 2;
                        if (want > max_bytes + 2)
                                want = max_bytes + 2;
                        if (want <= b->cap)
                                want = b->cap + 1;
                        b->cap = want;
                        b->data = xreallocarray(b->data, b->cap, 1);
                }
                size_t room = b->cap - 1 - b->len;
                if (b->len + room > max_bytes + 1)
                        room = max_bytes + 1 - b->len;
                ssize_t n = read(fd, b->data + b->len, room);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        b->data[b->len] = '\0';
                        return -errno;
                }
                if (n == 0)
                        break;
                b->len += (size_t)n;
                if (b->len > max_bytes)
                        break;
        }
        if (b->len > max_bytes) {
                b->len = max_bytes;
                b->data[b->len] = '\0';
                return -EFBIG;
        }
        b->data[b->len] = '\0';
        return (ssize_t)b->len;
}

ssize_t read_file_buf_at(int dirfd, const char *path, Buf *b, size_t max_bytes)
{
        int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
        ssize_t r = read_fd_buf(fd, b, max_bytes);
        close(fd);
        return r;
}

ssize_t read_line_at(int dirfd, const char *path, char *buf, size_t cap)
{
        ssize_t r = read_record_at(dirfd, path, buf, cap);
        if (r < 0 && r != -EFBIG)
                return r;
        char *nl = strchr(buf, '\n');
        if (nl)
                *nl = '\0';
        return (ssize_t)strlen(buf);
}
