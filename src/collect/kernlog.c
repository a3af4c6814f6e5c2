/* SPDX-License-Identifier: MIT */
#include "collect/kernlog.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/xalloc.h"

#define KMSG_RECORD_MAX 8192   /* the kernel's record limit plus escapes */
#define JOURNAL_MAX_BYTES (512u << 20)

extern char **environ;

static void buf_reserve(Buf *b, size_t more)
{
        if (b->len + more + 1 <= b->cap)
                return;
        size_t cap = b->cap ? b->cap : 65536;
        while (cap < b->len + more + 1)
                cap *= 2;
        b->data = xreallocarray(b->data, cap, 1);
        b->cap = cap;
}

int kernlog_read_available(int fd, Buf *out)
{
        for (;;) {
                buf_reserve(out, KMSG_RECORD_MAX);
                ssize_t n = read(fd, out->data + out->len, KMSG_RECORD_MAX);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        /* EPIPE: records were overwritten while we read; the
                         * next read continues with the oldest one left. */
                        if (errno == EPIPE)
                                continue;
                        if (errno == EAGAIN)
                                break;
                        out->data[out->len] = '\0';
                        return -errno;
                }
                if (n == 0)
                        break;
                out->len += (size_t)n;
                /* One record per read(); make sure it ends a line. */
                if (out->data[out->len - 1] != '\n')
                        out->data[out->len++] = '\n';
        }
        out->data[out->len] = '\0';
        return 0;
}

int kernlog_read_kmsg(Buf *out)
{
        int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        int r = kernlog_read_available(fd, out);
        close(fd);
        return r;
}

int kernlog_open_kmsg_follow(void)
{
        int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        /* SEEK_END on /dev/kmsg: the next read returns the next new record. */
        if (lseek(fd, 0, SEEK_END) < 0) {
                int r = -errno;
                close(fd);
                return r;
        }
        return fd;
}

int kernlog_read_klogctl(Buf *out)
{
        int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
        if (size < 0)
                return -errno;
        if (size == 0)
                return 0;
        buf_reserve(out, (size_t)size + 1);
        int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, out->data + out->len, size);
        if (n < 0)
                return -errno;
        out->len += (size_t)n;
        if (out->len && out->data[out->len - 1] != '\n')
                out->data[out->len++] = '\n';
        out->data[out->len] = '\0';
        return 0;
}

int kernlog_read_journal(Buf *out, uint64_t since_sec)
{
        char since[40];
        /* posix_spawn wants char *const argv[]: writable copies. */
        char a0[] = "journalctl", a1[] = "--no-pager", a2[] = "-q", a3[] = "-o", a4[] = "json",
             a5[] = "_TRANSPORT=kernel";
        char *argv[] = { a0, a1, a2, a3, a4, a5, NULL, NULL };
        if (since_sec) {
                snprintf(since, sizeof since, "--since=@%llu", (unsigned long long)since_sec);
                argv[6] = since;
        }
        int pipefd[2];
        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return -errno;
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
        posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
        pid_t pid;
        int r = posix_spawnp(&pid, "journalctl", &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        close(pipefd[1]);
        if (r != 0) {
                close(pipefd[0]);
                return r == ENOENT ? -ENOENT : -r;
        }
        size_t start = out->len;
        for (;;) {
                buf_reserve(out, 65536);
                ssize_t n = read(pipefd[0], out->data + out->len, 65536);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break;
                out->len += (size_t)n;
                if (out->len - start > JOURNAL_MAX_BYTES)
                        break; /* enough: the newest lines may be lost, never the machine */
        }
        close(pipefd[0]);
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        out->data[out->len] = '\0';
        /* journalctl exits 1 with no journal files; 127 when the exec failed. */
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
                return -ENOENT;
        if (!WIFEXITED(status) || (WEXITSTATUS(status) != 0 && out->len == start))
                return -EIO;
        return 0;
}
