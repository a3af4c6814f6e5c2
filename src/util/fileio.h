/* SPDX-License-Identifier: MIT */
/* Reading small kernel files relative to a directory fd.
 *
 * /proc and /sys report a size of 0 (or 4096) for their files, so sizes come
 * from reading, never from stat(). Small attributes are read into a caller
 * buffer; larger tables (mountinfo, net/tcp) into a growing Buf. */
#pragma once
#include <stddef.h>
#include <sys/types.h>

typedef struct Buf {
        char *data;     /* always NUL-terminated when len > 0 or after a read */
        size_t len;
        size_t cap;
} Buf;

void buf_free(Buf *b);

/* Reads the file at dirfd/path into buf (capacity cap, including the NUL).
 * Returns the number of bytes read (>= 0), or -errno. A file longer than
 * cap-1 bytes returns -EFBIG: callers of this function expect small files. */
ssize_t read_file_at(int dirfd, const char *path, char *buf, size_t cap);

/* Reads the whole file into b, growing it as needed (up to max_bytes).
 * Returns the length or -errno (-EFBIG if larger than max_bytes). */
ssize_t read_file_buf_at(int dirfd, const char *path, Buf *b, size_t max_bytes);

/* Like read_file_at(), for files the kernel writes as one record: sysfs
 * and cgroup attributes, and /proc files made by single_open() (meminfo,
 * loadavg, pressure/..., net/sockstat, net/snmp, PID/stat, PID/status).
 * One read() returns all of such a file when it fits, so a short read is
 * its end and the second read() that would return 0 is skipped. NOT for
 * files of many records (mountinfo, diskstats, net/dev, vmstat, cpuinfo):
 * seq_file hands those out about a page at a time. */
ssize_t read_record_at(int dirfd, const char *path, char *buf, size_t cap);

/* Re-reads an open proc/sys file from offset 0 (seq_file regenerates its
 * text), like read_file_at() but without the open and close. */
ssize_t pread_file(int fd, char *buf, size_t cap);

/* Reads an already open fd from its current offset until EOF into b. */
ssize_t read_fd_buf(int fd, Buf *b, size_t max_bytes);

/* Reads the first line of a small one-record file (sysfs attribute,
 * proc/sys value) with read_record_at(), strips the trailing newline.
 * Returns length or -errno. */
ssize_t read_line_at(int dirfd, const char *path, char *buf, size_t cap);
