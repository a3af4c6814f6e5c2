/* SPDX-License-Identifier: MIT */
/* Raw kernel log text from the live machine, for the `oom` command:
 *  - /dev/kmsg: one structured record per read() ("prio,seq,usec,flags;msg"
 *    plus " KEY=VALUE" continuation lines), read non-blocking until the
 *    buffer is drained; needs CAP_SYSLOG when kernel.dmesg_restrict=1;
 *  - klogctl(SYSLOG_ACTION_READ_ALL): the same ring buffer as "<6>[sec] msg"
 *    text, the fallback when /dev/kmsg cannot be opened;
 *  - the systemd journal's kernel messages (all boots), for kills older
 *    than the ring buffer holds, from `journalctl -o json _TRANSPORT=kernel`.
 *    The static binary cannot link libsystemd (Debian ships no static
 *    archive) and loading it would fatten every command, so the journal is
 *    read through journalctl, as the issue allows where sd-journal is absent.
 * The text is decoded and parsed by analyze/kmsg-lines.c and analyze/oom.c. */
#pragma once
#include <stdint.h>

#include "util/fileio.h"

/* Appends every record buffered in /dev/kmsg to out. 0 or -errno
 * (-EACCES/-EPERM: not allowed). */
int kernlog_read_kmsg(Buf *out);
/* Appends the ring buffer as text via klogctl. 0 or -errno. */
int kernlog_read_klogctl(Buf *out);
/* Appends journalctl's JSON lines for kernel messages, since the epoch
 * second since_sec when it is not 0. 0, -ENOENT when journalctl is not
 * installed, or -EIO when it failed (no journal). */
int kernlog_read_journal(Buf *out, uint64_t since_sec);

/* Opens /dev/kmsg positioned after the records already buffered, for
 * following new ones (non-blocking fd). fd or -errno. */
int kernlog_open_kmsg_follow(void);
/* Reads the records available now from a follow fd into out (appending).
 * 0 (possibly nothing read) or -errno. */
int kernlog_read_available(int fd, Buf *out);
