/* SPDX-License-Identifier: MIT */
/* Kernel log transports -> a stream of logical lines.
 *
 * Pure decoding, no I/O: bytes in (a saved file, a /dev/kmsg read(), a
 * journalctl pipe), one LogLine per kernel message out, with its prefix
 * taken apart. The format is detected per physical line, so files that
 * mix formats work:
 *   /dev/kmsg   "prio,seq,usec,flags[,more];msg" (+ " KEY=VALUE" lines,
 *               which are skipped; \xNN escapes decoded; an embedded
 *               newline splits the record; 'c'/'+' fragments are joined)
 *   dmesg       "[  123.456789] msg", "[Wed Nov 25 17:38:02 2026] msg" (any
 *               locale), "2026-11-25T17:38:02,769097+00:00 msg", no prefix;
 *               "<6>" and CONFIG_PRINTK_CALLER "[ T123]" prefixes; indented
 *               continuation lines of multi-line records
 *   syslog      "Apr  4 12:11:07 host kernel: [ 123.45] msg" (kern.log,
 *               journalctl short/short-precise), the same with an RFC 3339
 *               stamp (short-iso), journalctl short-monotonic
 *   journal     journalctl -o json: MESSAGE (string or byte array),
 *               _SOURCE_MONOTONIC_TIMESTAMP, __REALTIME_TIMESTAMP, _BOOT_ID
 * Lines of other programs in a syslog file or journal dump come out with
 * kernel = false. Malformed input never fails: what is not recognised is
 * a bare message. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/oom.h"

/* Longest logical message delivered; longer ones are cut (a printk record
 * is at most ~1 KiB, so only hostile input gets here). */
#define LOG_MSG_MAX (64 * 1024)

typedef struct LogLine {
        LogFormat format;
        bool kernel;            /* false: another program's line (syslog tag, journal transport, kmsg facility) */
        bool continuation;      /* a later line of a multi-line record (inherits the times) */
        int level;              /* 0..7, or -1 when the transport does not say */
        uint64_t seq;           /* /dev/kmsg sequence number, U64_ABSENT elsewhere */
        uint64_t mono_usec;     /* kernel printk clock, U64_ABSENT when not in the prefix */
        uint64_t realtime_usec; /* epoch usec when the prefix is unambiguous (zone given), else U64_ABSENT */
        const char *wall;       /* the wall-clock prefix as printed, "" when none */
        const char *boot_id;    /* journal _BOOT_ID, "" elsewhere */
        const char *msg;        /* the message, NUL-terminated (an embedded NUL ends it) */
        size_t msg_len;
        uint64_t line_no;       /* 1-based physical line in the fed input */
} LogLine;

/* Called for each logical line; the pointers are valid only during the
 * call. Return 0 to continue, anything else to stop feeding. */
typedef int (*log_line_fn)(const LogLine *line, void *userdata);

typedef struct LogDecoder LogDecoder;

LogDecoder *log_decoder_new(void);
void log_decoder_free(LogDecoder *d);

/* Decodes every complete line of buf (len bytes, may hold NULs); an
 * unterminated last line is kept until the next feed or the flush.
 * Returns 0, fn's non-zero value when it stopped the decoding, or -EINVAL
 * for NULL arguments. */
int log_decoder_feed(LogDecoder *d, const char *buf, size_t len, log_line_fn fn, void *userdata);

/* Delivers what is held back: an unterminated last line, a pending
 * /dev/kmsg fragment. Call at end of input (same return values). */
int log_decoder_flush(LogDecoder *d, log_line_fn fn, void *userdata);

/* Stable lower-case name of a format ("dmesg", "kmsg", "journal-json", ...). */
const char *log_format_name(LogFormat f);

/* Decodes /dev/kmsg \xNN escapes of src (len bytes) into out (out_cap > 0,
 * always NUL-terminated). Returns the decoded length. Exposed for tests. */
size_t kmsg_unescape(const char *src, size_t len, char *out, size_t out_cap);

/* Parses an ISO 8601 / RFC 3339 date-time at the start of s ("2026-11-25T
 * 17:38:02", optional [.,]fraction, optional Z / +HH:MM / +HHMM). Returns
 * the number of bytes consumed, 0 when s does not start with one.
 * *ret_usec is the epoch time when a zone was given, else U64_ABSENT. */
size_t iso8601_parse_prefix(const char *s, size_t len, uint64_t *ret_usec);
