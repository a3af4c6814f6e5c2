/* SPDX-License-Identifier: MIT */
/* Kernel log transports -> logical lines (see kmsg-lines.h). Reads nothing
 * itself: the bytes come from /dev/kmsg, a journalctl pipe or a saved file
 * (dmesg, kern.log, journalctl output), read by the caller. */
#include "analyze/kmsg-lines.h"

#include <errno.h>
#include <jansson.h>
#include <string.h>

#include "util/parse.h"
#include "util/xalloc.h"

/* An unterminated line longer than this is decoded as it is (cut). */
#define CARRY_MAX (8u * 1024 * 1024)
/* How far into a line a prefix (or a wrapper's embedded stamp) may end. */
#define PREFIX_SCAN_MAX 200

struct LogDecoder {
        /* Unterminated tail of the previous feed. */
        char *carry;
        size_t carry_len, carry_cap;
        /* Scratch: the delivered message, and decoded kmsg / journal text. */
        char *msg;
        char *dec;
        /* A /dev/kmsg 'c' fragment waiting for its '+' follow-ups. */
        char *frag;
        size_t frag_len;
        bool has_frag;
        LogLine frag_line;
        /* The last prefixed text line, inherited by indented continuations. */
        bool last_prefixed;
        bool last_kmsg;
        LogLine last;
        char last_wall[OOM_WALL_MAX];
        uint64_t line_no;
        /* Storage behind LogLine.wall / boot_id of the line being delivered. */
        char wall[OOM_WALL_MAX];
        char boot_id[OOM_BOOT_ID_MAX];
};

const char *log_format_name(LogFormat f)
{
        static const char *const names[LOG_FMT_COUNT_] = {
                [LOG_FMT_BARE] = "bare",
                [LOG_FMT_DMESG] = "dmesg",
                [LOG_FMT_DMESG_CTIME] = "dmesg-ctime",
                [LOG_FMT_DMESG_ISO] = "dmesg-iso",
                [LOG_FMT_KMSG] = "kmsg",
                [LOG_FMT_JOURNAL_JSON] = "journal-json",
                [LOG_FMT_SYSLOG] = "syslog",
                [LOG_FMT_SYSLOG_ISO] = "syslog-iso",
                [LOG_FMT_JOURNAL_MONO] = "journal-monotonic",
                [LOG_FMT_WRAPPED] = "wrapped",
        };
        if ((unsigned)f >= LOG_FMT_COUNT_)
                return "unknown";
        return names[f];
}

LogDecoder *log_decoder_new(void)
{
        LogDecoder *d = xcalloc(1, sizeof *d);
        d->msg = xmalloc(LOG_MSG_MAX + 1);
        d->dec = xmalloc(LOG_MSG_MAX + 1);
        d->frag = xmalloc(LOG_MSG_MAX + 1);
        return d;
}

void log_decoder_free(LogDecoder *d)
{
        if (!d)
                return;
        free(d->carry);
        free(d->msg);
        free(d->dec);
        free(d->frag);
        free(d);
}

static bool is_digit(char c)
{
        return c >= '0' && c <= '9';
}

static bool is_blank(char c)
{
        return c == ' ' || c == '\t';
}

static int hex_val(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

static void copy_bounded(char *dst, size_t cap, const char *src, size_t len)
{
        if (cap == 0)
                return;
        if (len >= cap)
                len = cap - 1;
        memcpy(dst, src, len);
        dst[len] = '\0';
}

size_t kmsg_unescape(const char *src, size_t len, char *out, size_t out_cap)
{
        size_t o = 0;

        if (out_cap == 0)
                return 0;
        for (size_t i = 0; i < len && o + 1 < out_cap; i++) {
                if (src[i] == '\\' && len - i >= 4 && src[i + 1] == 'x' && hex_val(src[i + 2]) >= 0 &&
                    hex_val(src[i + 3]) >= 0) {
                        out[o++] = (char)(hex_val(src[i + 2]) * 16 + hex_val(src[i + 3]));
                        i += 3;
                } else {
                        out[o++] = src[i];
                }
        }
        out[o] = '\0';
        return o;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil, restated). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
        y -= m <= 2;
        int64_t era = (y >= 0 ? y : y - 399) / 400;
        unsigned yoe = (unsigned)(y - era * 400);
        unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
        unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + (int64_t)doe - 719468;
}

/* Digits of a decimal fraction at p (after the '.'), as microseconds:
 * digits beyond the sixth are read and ignored, fewer are padded. Returns
 * the end of the digits (p itself when there are none). */
static const char *scan_fraction_usec(const char *p, const char *end, uint64_t *ret_usec)
{
        uint64_t frac = 0;
        unsigned nd = 0;
        for (; p < end && is_digit(*p); p++)
                if (nd < 6) {
                        frac = frac * 10 + (uint64_t)(*p - '0');
                        nd++;
                }
        while (nd++ < 6)
                frac *= 10;
        *ret_usec = frac;
        return p;
}

/* Reads exactly n digits at s (bounded by end). */
static bool fixed_digits(const char *s, const char *end, size_t n, unsigned *ret)
{
        unsigned v = 0;
        if ((size_t)(end - s) < n)
                return false;
        for (size_t i = 0; i < n; i++) {
                if (!is_digit(s[i]))
                        return false;
                v = v * 10 + (unsigned)(s[i] - '0');
        }
        *ret = v;
        return true;
}

size_t iso8601_parse_prefix(const char *s, size_t len, uint64_t *ret_usec)
{
        const char *p = s, *end = s + len;
        unsigned y, mo, d, h, mi, sec, zh = 0, zm = 0;
        uint64_t frac_usec = 0;
        int zone_sign = 0;
        bool zone = false;

        *ret_usec = U64_ABSENT;
        if (!fixed_digits(p, end, 4, &y) || end - p < 19 || p[4] != '-' ||
            !fixed_digits(p + 5, end, 2, &mo) || p[7] != '-' || !fixed_digits(p + 8, end, 2, &d) ||
            p[10] != 'T' || !fixed_digits(p + 11, end, 2, &h) || p[13] != ':' ||
            !fixed_digits(p + 14, end, 2, &mi) || p[16] != ':' || !fixed_digits(p + 17, end, 2, &sec))
                return 0;
        if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
                return 0;
        p += 19;
        if (p < end && (*p == '.' || *p == ',')) {
                const char *f = scan_fraction_usec(p + 1, end, &frac_usec);
                if (f == p + 1)
                        return 0;
                p = f;
        }
        if (p < end && *p == 'Z') {
                zone = true;
                p++;
        } else if (p < end && (*p == '+' || *p == '-')) {
                zone_sign = *p == '+' ? 1 : -1;
                if (fixed_digits(p + 1, end, 2, &zh) && end - p >= 6 && p[3] == ':' &&
                    fixed_digits(p + 4, end, 2, &zm)) {
                        zone = true;
                        p += 6;
                } else if (fixed_digits(p + 1, end, 2, &zh) && fixed_digits(p + 3, end, 2, &zm)) {
                        zone = true;
                        p += 5;
                } else {
                        return 0;
                }
                if (zh > 23 || zm > 59)
                        return 0;
        }
        if (zone && y >= 1970) {
                int64_t t = days_from_civil((int64_t)y, mo, d) * 86400 + (int64_t)h * 3600 +
                            (int64_t)mi * 60 + (int64_t)sec;
                t -= (int64_t)zone_sign * ((int64_t)zh * 3600 + (int64_t)zm * 60);
                if (t >= 0)
                        *ret_usec = (uint64_t)t * 1000000u + frac_usec;
        }
        return (size_t)(p - s);
}

/* "[  123.456789]" at s: returns the length through ']', 0 if not one. */
static size_t parse_mono_bracket(const char *s, const char *end, uint64_t *ret_usec)
{
        const char *p = s;
        uint64_t sec = 0, frac = 0;
        unsigned ns = 0;

        if (p >= end || *p != '[')
                return 0;
        p++;
        while (p < end && *p == ' ')
                p++;
        while (p < end && is_digit(*p)) {
                if (++ns > 12)
                        return 0;
                sec = sec * 10 + (uint64_t)(*p - '0');
                p++;
        }
        if (ns == 0 || p >= end || *p != '.')
                return 0;
        p++;
        const char *f = p;
        p = scan_fraction_usec(p, end, &frac);
        if (p == f || p >= end || *p != ']')
                return 0;
        *ret_usec = sec * 1000000u + frac;
        return (size_t)(p + 1 - s);
}

/* dmesg -T "[Wed Nov 25 17:38:02 2026]" in any locale: a bracket holding
 * an HH:MM:SS and ending in a four-digit year. Returns the length through
 * ']' and the content span. */
static size_t parse_ctime_bracket(const char *s, const char *end, const char **ret_txt, size_t *ret_len)
{
        const char *p = s + 1, *close;
        size_t n;
        bool clock = false;

        if (s >= end || *s != '[')
                return 0;
        close = memchr(p, ']', (size_t)(end - p) < 80 ? (size_t)(end - p) : 80);
        if (!close)
                return 0;
        n = (size_t)(close - p);
        if (n < 12 || n >= OOM_WALL_MAX)
                return 0;
        for (size_t i = 0; i + 8 <= n; i++)
                if (is_digit(p[i]) && is_digit(p[i + 1]) && p[i + 2] == ':' && is_digit(p[i + 3]) &&
                    is_digit(p[i + 4]) && p[i + 5] == ':' && is_digit(p[i + 6]) && is_digit(p[i + 7])) {
                        clock = true;
                        break;
                }
        if (!clock || p[n - 5] != ' ' || !is_digit(p[n - 4]) || !is_digit(p[n - 3]) ||
            !is_digit(p[n - 2]) || !is_digit(p[n - 1]))
                return 0;
        *ret_txt = p;
        *ret_len = n;
        return n + 2;
}

/* CONFIG_PRINTK_CALLER "[ T5858]" / "[  C1]" followed by a space. */
static size_t parse_caller(const char *s, const char *end)
{
        const char *p = s;
        if (p >= end || *p != '[')
                return 0;
        p++;
        while (p < end && *p == ' ')
                p++;
        if (p >= end || (*p != 'T' && *p != 'C'))
                return 0;
        p++;
        const char *dg = p;
        while (p < end && is_digit(*p))
                p++;
        if (p == dg || p >= end || *p != ']')
                return 0;
        p++;
        if (p < end && *p == ' ')
                p++;
        return (size_t)(p - s);
}

/* "<6>" syslog priority. */
static size_t parse_prio(const char *s, const char *end, int *ret_prio)
{
        const char *p = s;
        int v = 0;
        if (p >= end || *p != '<')
                return 0;
        p++;
        const char *dg = p;
        while (p < end && is_digit(*p) && p - dg < 4) {
                v = v * 10 + (*p - '0');
                p++;
        }
        if (p == dg || p >= end || *p != '>')
                return 0;
        *ret_prio = v;
        return (size_t)(p + 1 - s);
}

/* "host tag: " after a syslog/journal stamp. Returns the length through
 * the space after the tag, and whether the tag is the kernel's. */
static size_t parse_host_tag(const char *s, const char *end, bool *ret_kernel)
{
        const char *p = s, *tag;
        size_t hn = 0;

        while (p < end && !is_blank(*p) && hn < 256) {
                p++;
                hn++;
        }
        if (hn == 0 || p >= end || *p != ' ')
                return 0;
        p++;
        tag = p;
        while (p < end && !is_blank(*p) && *p != ':' && p - tag < 128)
                p++;
        if (p == tag || p >= end || *p != ':')
                return 0;
        *ret_kernel = (size_t)(p - tag) == 6 && memcmp(tag, "kernel", 6) == 0;
        p++;
        if (p < end && *p == ' ')
                p++;
        else if (p < end)
                return 0;
        return (size_t)(p - s);
}

/* "Apr  4 12:11:07[.123456] " (month in any language/locale). Returns the
 * length of the stamp (without the trailing space). */
static size_t parse_syslog_stamp(const char *s, const char *end)
{
        const char *p = s;
        size_t wl = 0;
        unsigned v;

        while (p < end && !is_blank(*p) && wl < 16) {
                p++;
                wl++;
        }
        if (wl == 0 || p >= end || *p != ' ')
                return 0;
        while (p < end && *p == ' ')
                p++;
        const char *dg = p;
        while (p < end && is_digit(*p) && p - dg < 2)
                p++;
        if (p == dg || p >= end || *p != ' ')
                return 0;
        p++;
        if (!fixed_digits(p, end, 2, &v) || end - p < 8 || p[2] != ':' || !fixed_digits(p + 3, end, 2, &v) ||
            p[5] != ':' || !fixed_digits(p + 6, end, 2, &v))
                return 0;
        p += 8;
        if (p < end && *p == '.') {
                const char *f = ++p;
                while (p < end && is_digit(*p))
                        p++;
                if (p == f)
                        return 0;
        }
        if (p >= end || *p != ' ')
                return 0;
        return (size_t)(p - s);
}

/* dmesg -x "kern  :warn  : ": the facility says whether it is the kernel's. */
static size_t parse_dmesg_facility(const char *s, const char *end, bool *ret_kernel)
{
        static const char *const fac[] = {
                "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
                "authpriv", "ftp", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
        };
        const char *p = s, *w = s;
        size_t wl;

        while (p < end && *p >= 'a' && *p <= 'z' && p - s < 9)
                p++;
        while (p < end && is_digit(*p) && p - s < 9)
                p++;
        wl = (size_t)(p - w);
        while (p < end && *p == ' ')
                p++;
        if (wl == 0 || p >= end || *p != ':')
                return 0;
        bool known = false;
        for (size_t i = 0; i < sizeof fac / sizeof fac[0]; i++)
                if (strlen(fac[i]) == wl && memcmp(fac[i], w, wl) == 0)
                        known = true;
        if (!known)
                return 0;
        p++;
        const char *lv = p;
        while (p < end && *p >= 'a' && *p <= 'z')
                p++;
        if (p == lv)
                return 0;
        while (p < end && *p == ' ')
                p++;
        if (p >= end || *p != ':')
                return 0;
        p++;
        if (p < end && *p == ' ')
                p++;
        *ret_kernel = wl == 4 && memcmp(w, "kern", 4) == 0;
        return (size_t)(p - s);
}

/* dmesg -H: "[  +0.000010]" (delta, no absolute time) or "[Nov25 17:38]"
 * (reltime, a wall clock without year). Returns the length through ']'. */
static size_t parse_human_bracket(const char *s, const char *end, bool *ret_wall)
{
        const char *p = s + 1;
        unsigned v;

        if (s >= end || *s != '[')
                return 0;
        while (p < end && *p == ' ')
                p++;
        if (p < end && *p == '+') {
                const char *dg = ++p;
                while (p < end && (is_digit(*p) || *p == '.'))
                        p++;
                if (p == dg || p >= end || *p != ']')
                        return 0;
                *ret_wall = false;
                return (size_t)(p + 1 - s);
        }
        p = s + 1;
        for (int i = 0; i < 3; i++, p++)
                if (p >= end || !((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
                        return 0;
        const char *dg = p;
        while (p < end && is_digit(*p) && p - dg < 2)
                p++;
        if (p == dg || p >= end || *p != ' ')
                return 0;
        p++;
        if (!fixed_digits(p, end, 2, &v) || end - p < 6 || p[2] != ':' || !fixed_digits(p + 3, end, 2, &v) ||
            p[5] != ']')
                return 0;
        *ret_wall = true;
        return (size_t)(p + 6 - s);
}

/* journalctl -o short-full "Wed 2026-11-25 17:38:02 UTC" and -o short-unix
 * "1795628282.829358": stamps before "host kernel: ". Returns the stamp
 * length (without the trailing space); *ret_usec for short-unix. */
static size_t parse_journal_stamp(const char *s, const char *end, uint64_t *ret_usec)
{
        const char *p = s;
        unsigned v;

        *ret_usec = U64_ABSENT;
        if (p < end && is_digit(*p)) {
                uint64_t sec = 0, frac = 0;
                while (p < end && is_digit(*p) && p - s < 12)
                        sec = sec * 10 + (uint64_t)(*p++ - '0');
                if (p >= end || *p != '.')
                        return 0;
                const char *f = ++p;
                p = scan_fraction_usec(p, end, &frac);
                if (p == f || p >= end || *p != ' ')
                        return 0;
                *ret_usec = sec * 1000000u + frac;
                return (size_t)(p - s);
        }
        while (p < end && !is_blank(*p) && p - s < 16)
                p++;
        if (p == s || p >= end || *p != ' ')
                return 0;
        p++;
        if (!fixed_digits(p, end, 4, &v) || end - p < 19 || p[4] != '-' || !fixed_digits(p + 5, end, 2, &v) ||
            p[7] != '-' || !fixed_digits(p + 8, end, 2, &v) || p[10] != ' ' || !fixed_digits(p + 11, end, 2, &v) ||
            p[13] != ':' || !fixed_digits(p + 14, end, 2, &v) || p[16] != ':' || !fixed_digits(p + 17, end, 2, &v))
                return 0;
        p += 19;
        if (p < end && *p == '.') {
                const char *f = ++p;
                while (p < end && is_digit(*p))
                        p++;
                if (p == f)
                        return 0;
        }
        if (p >= end || *p != ' ')
                return 0;
        p++;
        const char *z = p;
        while (p < end && !is_blank(*p) && p - z < 8)
                p++;
        if (p == z || p >= end || *p != ' ')
                return 0;
        return (size_t)(p - s);
}

static void line_init(LogLine *l, LogDecoder *d)
{
        *l = (LogLine) {
                .format = LOG_FMT_BARE,
                .kernel = true,
                .level = -1,
                .seq = U64_ABSENT,
                .mono_usec = U64_ABSENT,
                .realtime_usec = U64_ABSENT,
                .wall = "",
                .boot_id = "",
                .line_no = d->line_no,
        };
        d->wall[0] = '\0';
        d->boot_id[0] = '\0';
}

/* Copies text into the message scratch and calls fn. */
static int deliver(LogDecoder *d, LogLine *l, const char *text, size_t len, log_line_fn fn, void *ud)
{
        const char *nul = memchr(text, '\0', len);
        if (nul)
                len = (size_t)(nul - text);
        if (len > LOG_MSG_MAX)
                len = LOG_MSG_MAX;
        memcpy(d->msg, text, len);
        d->msg[len] = '\0';
        l->msg = d->msg;
        l->msg_len = len;
        return fn(l, ud);
}

/* Delivers text that may hold newlines: the first piece as l, the others
 * as its continuations. */
static int deliver_multi(LogDecoder *d, LogLine *l, const char *text, size_t len, log_line_fn fn, void *ud)
{
        const char *p = text, *end = text + len;
        for (;;) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
                int r = deliver(d, l, p, n, fn, ud);
                if (r != 0)
                        return r;
                if (!nl)
                        return 0;
                p = nl + 1;
                l->continuation = true;
                if (p == end)
                        return 0;
        }
}

static int flush_frag(LogDecoder *d, log_line_fn fn, void *ud)
{
        if (!d->has_frag)
                return 0;
        d->has_frag = false;
        LogLine l = d->frag_line;
        l.wall = "";
        l.boot_id = "";
        /* frag and dec are separate buffers: deliver copies into msg. */
        return deliver_multi(d, &l, d->frag, d->frag_len, fn, ud);
}

/* " SUBSYSTEM=acpi" style /dev/kmsg dictionary line. */
static bool is_kmsg_dict(const char *p, const char *end)
{
        const char *k;
        if (p >= end || *p != ' ')
                return false;
        k = ++p;
        while (p < end && ((*p >= 'A' && *p <= 'Z') || is_digit(*p) || *p == '_'))
                p++;
        return p > k && p < end && *p == '=';
}

/* /dev/kmsg "prio,seq,usec,flags[,more];": returns the length through ';'. */
static size_t parse_kmsg_header(const char *s, const char *end, uint64_t *prio, uint64_t *seq,
                                uint64_t *usec, char *flag)
{
        const char *p = s;
        uint64_t *vals[3] = { prio, seq, usec };
        const char *lim = end - s > 128 ? s + 128 : end;

        for (int i = 0; i < 3; i++) {
                uint64_t v = 0;
                const char *dg = p;
                while (p < lim && is_digit(*p)) {
                        if (p - dg >= 19)
                                return 0;
                        v = v * 10 + (uint64_t)(*p - '0');
                        p++;
                }
                if (p == dg || p >= lim || *p != ',')
                        return 0;
                *vals[i] = v;
                p++;
        }
        *flag = (p < lim && *p != ';' && *p != ',') ? *p : '-';
        while (p < lim && *p != ';') {
                if (is_blank(*p))
                        return 0;
                p++;
        }
        if (p >= lim)
                return 0;
        return (size_t)(p + 1 - s);
}

static int process_kmsg(LogDecoder *d, const char *p, const char *end, size_t hl, uint64_t prio,
                        uint64_t seq, uint64_t usec, char flag, log_line_fn fn, void *ud)
{
        LogLine l;
        size_t n;
        int r;

        line_init(&l, d);
        l.format = LOG_FMT_KMSG;
        l.level = (int)(prio & 7);
        l.kernel = (prio >> 3) == 0;
        l.seq = seq;
        l.mono_usec = usec;
        n = kmsg_unescape(p + hl, (size_t)(end - p - (ptrdiff_t)hl), d->dec, LOG_MSG_MAX + 1);
        d->last_kmsg = true;
        d->last_prefixed = false;

        /* 3.5-4.x: a line printed in pieces may reach /dev/kmsg as a 'c'
         * record followed by '+' records; they are one message. */
        if (flag == '+' && d->has_frag) {
                size_t room = LOG_MSG_MAX - d->frag_len;
                if (n > room)
                        n = room;
                memcpy(d->frag + d->frag_len, d->dec, n);
                d->frag_len += n;
                return 0;
        }
        r = flush_frag(d, fn, ud);
        if (r != 0)
                return r;
        if (flag == 'c') {
                memcpy(d->frag, d->dec, n);
                d->frag_len = n;
                d->frag_line = l;
                d->has_frag = true;
                return 0;
        }
        return deliver_multi(d, &l, d->dec, n, fn, ud);
}

static const char *json_str(json_t *o, const char *key)
{
        json_t *v = json_object_get(o, key);
        return json_is_string(v) ? json_string_value(v) : NULL;
}

static uint64_t json_u64(json_t *o, const char *key)
{
        json_t *v = json_object_get(o, key);
        uint64_t r;
        if (json_is_string(v) && safe_atou64(json_string_value(v), &r) == 0)
                return r;
        if (json_is_integer(v) && json_integer_value(v) >= 0)
                return (uint64_t)json_integer_value(v);
        return U64_ABSENT;
}

/* One journalctl -o json object. Returns 1 when p was not a JSON object
 * (the caller decodes it as text), else 0 or fn's stop value. */
static int process_json(LogDecoder *d, const char *p, size_t n, log_line_fn fn, void *ud)
{
        json_error_t err;
        json_t *o = json_loadb(p, n, JSON_ALLOW_NUL, &err);
        json_t *m;
        const char *s;
        LogLine l;
        size_t len = 0;
        int r = 0;

        if (!o)
                return 1;
        if (!json_is_object(o)) {
                json_decref(o);
                return 1;
        }
        d->last_kmsg = false;
        d->last_prefixed = false;
        line_init(&l, d);
        l.format = LOG_FMT_JOURNAL_JSON;
        m = json_object_get(o, "MESSAGE");
        if (json_is_string(m)) {
                len = json_string_length(m);
                if (len > LOG_MSG_MAX)
                        len = LOG_MSG_MAX;
                memcpy(d->dec, json_string_value(m), len);
        } else if (json_is_array(m)) {
                /* journald stores non-UTF-8 messages as an array of bytes. */
                size_t i;
                json_t *b;
                json_array_foreach(m, i, b) {
                        if (len >= LOG_MSG_MAX)
                                break;
                        json_int_t v = json_is_integer(b) ? json_integer_value(b) : '?';
                        d->dec[len++] = (v >= 0 && v <= 255) ? (char)v : '?';
                }
        } else {
                json_decref(o);
                return 0;
        }
        if ((s = json_str(o, "_TRANSPORT")) && strcmp(s, "kernel") != 0)
                l.kernel = false;
        else if (!s && (s = json_str(o, "SYSLOG_IDENTIFIER")) && strcmp(s, "kernel") != 0)
                l.kernel = false;
        if ((s = json_str(o, "PRIORITY")) && is_digit(s[0]) && s[1] == '\0')
                l.level = s[0] - '0';
        l.mono_usec = json_u64(o, "_SOURCE_MONOTONIC_TIMESTAMP");
        if (l.mono_usec == U64_ABSENT)
                l.mono_usec = json_u64(o, "__MONOTONIC_TIMESTAMP");
        l.realtime_usec = json_u64(o, "__REALTIME_TIMESTAMP");
        if ((s = json_str(o, "__REALTIME_TIMESTAMP"))) {
                copy_bounded(d->wall, sizeof d->wall, s, strlen(s));
                l.wall = d->wall;
        }
        if ((s = json_str(o, "_BOOT_ID"))) {
                copy_bounded(d->boot_id, sizeof d->boot_id, s, strlen(s));
                l.boot_id = d->boot_id;
        }
        r = deliver_multi(d, &l, d->dec, len, fn, ud);
        json_decref(o);
        return r;
}

/* After a syslog/journal "kernel: ": an optional "<N>" and "[ sec] ". */
static const char *after_tag(const char *p, const char *end, LogLine *l)
{
        int prio;
        size_t k = parse_prio(p, end, &prio);
        uint64_t mono;

        if (k) {
                l->level = prio & 7;
                p += k;
        }
        k = parse_mono_bracket(p, end, &mono);
        if (k) {
                l->mono_usec = mono;
                p += k;
                if (p < end && *p == ' ')
                        p++;
        }
        return p;
}

/* No known prefix at the start: look for a wrapper's embedded stamp,
 * "...Guest: <6>[39291577.009360] msg" or "...: [2024-01-01T10:00:00Z]: msg". */
static const char *find_wrapped(LogDecoder *d, const char *p, const char *end, LogLine *l)
{
        const char *lim = end - p > PREFIX_SCAN_MAX ? p + PREFIX_SCAN_MAX : end;

        for (const char *b = p + 1; b < lim; b++) {
                uint64_t v;
                size_t k;
                if (*b != '[' || !(b[-1] == ' ' || b[-1] == ':' || b[-1] == '>'))
                        continue;
                if ((k = parse_mono_bracket(b, end, &v)) && b + k < end && b[k] == ' ') {
                        int prio;
                        l->mono_usec = v;
                        for (const char *lt = b - 1; lt > p && b - lt < 6; lt--)
                                if (*lt == '<' && parse_prio(lt, b, &prio) == (size_t)(b - lt))
                                        l->level = prio & 7;
                        l->format = LOG_FMT_WRAPPED;
                        return b + k + 1;
                }
                k = iso8601_parse_prefix(b + 1, (size_t)(end - b - 1), &v);
                if (k && b + 1 + k < end && b[1 + k] == ']') {
                        const char *q = b + 2 + k;
                        if (q < end && *q == ':')
                                q++;
                        if (q < end && *q == ' ')
                                q++;
                        copy_bounded(d->wall, sizeof d->wall, b + 1, k);
                        l->wall = d->wall;
                        l->realtime_usec = v;
                        l->format = LOG_FMT_WRAPPED;
                        return q;
                }
        }
        return NULL;
}

static int process_text(LogDecoder *d, const char *p, const char *end, log_line_fn fn, void *ud)
{
        LogLine l;
        const char *s = p, *txt;
        size_t k, tl;
        uint64_t v;
        int prio;
        bool kernel;

        line_init(&l, d);
        d->last_kmsg = false;

        /* An indented line without a prefix after a prefixed one: the next
         * line of a multi-line record (dmesg / journalctl indent them). */
        if (p < end && is_blank(*p) && d->last_prefixed) {
                l = d->last;
                l.line_no = d->line_no;
                l.continuation = true;
                copy_bounded(d->wall, sizeof d->wall, d->last_wall, strlen(d->last_wall));
                l.wall = d->wall;
                l.boot_id = "";
                while (s < end && is_blank(*s))
                        s++;
                return deliver(d, &l, s, (size_t)(end - s), fn, ud);
        }

        if ((k = parse_dmesg_facility(s, end, &kernel))) {
                l.kernel = kernel;
                s += k;
        }
        if ((k = parse_prio(s, end, &prio))) {
                l.level = prio & 7;
                l.kernel = (prio >> 3) == 0;
                s += k;
        }
        bool human_wall;
        if ((k = parse_mono_bracket(s, end, &v))) {
                l.format = LOG_FMT_DMESG;
                l.mono_usec = v;
                s += k;
                if (s < end && *s == ' ')
                        s++;
                s += parse_caller(s, end);
                /* journalctl -o short-monotonic: "[  489.476616] vm kernel: msg" */
                const char *save = s;
                if ((k = parse_host_tag(s, end, &kernel)) && kernel) {
                        l.format = LOG_FMT_JOURNAL_MONO;
                        s += k;
                } else {
                        s = save;
                }
        } else if ((k = parse_ctime_bracket(s, end, &txt, &tl))) {
                l.format = LOG_FMT_DMESG_CTIME;
                copy_bounded(d->wall, sizeof d->wall, txt, tl);
                l.wall = d->wall;
                s += k;
                if (s < end && *s == ' ')
                        s++;
                s += parse_caller(s, end);
        } else if ((k = iso8601_parse_prefix(s, (size_t)(end - s), &v)) && s + k < end && s[k] == ' ') {
                copy_bounded(d->wall, sizeof d->wall, s, k);
                l.wall = d->wall;
                l.realtime_usec = v;
                /* dmesg prints ",usec"; syslog daemons and journalctl "." and a host. */
                size_t h = memchr(s, ',', k) ? 0 : parse_host_tag(s + k + 1, end, &kernel);
                if (h) {
                        l.format = LOG_FMT_SYSLOG_ISO;
                        l.kernel = kernel;
                        s = after_tag(s + k + 1 + h, end, &l);
                } else {
                        l.format = LOG_FMT_DMESG_ISO;
                        s += k + 1;
                        s += parse_caller(s, end);
                }
        } else if ((k = parse_syslog_stamp(s, end)) && (tl = parse_host_tag(s + k + 1, end, &kernel))) {
                l.format = LOG_FMT_SYSLOG;
                l.kernel = kernel;
                copy_bounded(d->wall, sizeof d->wall, s, k);
                l.wall = d->wall;
                s = after_tag(s + k + 1 + tl, end, &l);
        } else if ((k = parse_journal_stamp(s, end, &v)) && (tl = parse_host_tag(s + k + 1, end, &kernel))) {
                l.format = LOG_FMT_SYSLOG;
                l.kernel = kernel;
                l.realtime_usec = v;
                copy_bounded(d->wall, sizeof d->wall, s, k);
                l.wall = d->wall;
                s = after_tag(s + k + 1 + tl, end, &l);
        } else if ((k = parse_human_bracket(s, end, &human_wall))) {
                /* dmesg -H: the delta stamps carry no time of their own */
                l.format = human_wall ? LOG_FMT_DMESG_CTIME : LOG_FMT_DMESG;
                if (human_wall) {
                        copy_bounded(d->wall, sizeof d->wall, s + 1, k - 2);
                        l.wall = d->wall;
                }
                s += k;
                if (s < end && *s == ' ')
                        s++;
                s += parse_caller(s, end);
        } else {
                const char *w = find_wrapped(d, p, end, &l);
                if (w)
                        s = w;
        }

        d->last_prefixed = l.format != LOG_FMT_BARE;
        if (d->last_prefixed) {
                d->last = l;
                copy_bounded(d->last_wall, sizeof d->last_wall, l.wall, strlen(l.wall));
        }
        return deliver(d, &l, s, (size_t)(end - s), fn, ud);
}

static int process_physical(LogDecoder *d, const char *p, size_t n, log_line_fn fn, void *ud)
{
        const char *end = p + n, *s = p;
        uint64_t prio, seq, usec;
        char flag;
        size_t hl;
        int r;

        d->line_no++;
        if (n > 0 && p[n - 1] == '\r')
                end--;
        /* Dictionary lines of the previous /dev/kmsg record. */
        if (d->last_kmsg && is_kmsg_dict(p, end))
                return 0;
        if ((hl = parse_kmsg_header(p, end, &prio, &seq, &usec, &flag)))
                return process_kmsg(d, p, end, hl, prio, seq, usec, flag, fn, ud);

        r = flush_frag(d, fn, ud);
        if (r != 0)
                return r;
        while (s < end && is_blank(*s))
                s++;
        if (s < end && *s == '{') {
                r = process_json(d, p, (size_t)(end - p), fn, ud);
                if (r != 1)
                        return r;
        }
        return process_text(d, p, end, fn, ud);
}

static void carry_append(LogDecoder *d, const char *p, size_t n)
{
        if (n > CARRY_MAX - d->carry_len)
                n = CARRY_MAX - d->carry_len;
        if (d->carry_len + n > d->carry_cap) {
                size_t cap = d->carry_cap ? d->carry_cap : 256;
                while (cap < d->carry_len + n)
                        cap *= 2;
                d->carry = xreallocarray(d->carry, cap, 1);
                d->carry_cap = cap;
        }
        memcpy(d->carry + d->carry_len, p, n);
        d->carry_len += n;
}

int log_decoder_feed(LogDecoder *d, const char *buf, size_t len, log_line_fn fn, void *userdata)
{
        const char *p = buf, *end = buf + len;
        int r;

        if (!d || !fn || (!buf && len))
                return -EINVAL;
        if (d->carry_len) {
                const char *nl = memchr(p, '\n', len);
                if (!nl) {
                        carry_append(d, p, len);
                        if (d->carry_len < CARRY_MAX)
                                return 0;
                        /* A "line" this long is decoded cut. */
                        d->carry_len = 0;
                        return process_physical(d, d->carry, CARRY_MAX, fn, userdata);
                }
                carry_append(d, p, (size_t)(nl - p));
                size_t cl = d->carry_len;
                d->carry_len = 0;
                r = process_physical(d, d->carry, cl, fn, userdata);
                if (r != 0)
                        return r;
                p = nl + 1;
        }
        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                if (!nl) {
                        carry_append(d, p, (size_t)(end - p));
                        break;
                }
                r = process_physical(d, p, (size_t)(nl - p), fn, userdata);
                if (r != 0)
                        return r;
                p = nl + 1;
        }
        return 0;
}

int log_decoder_flush(LogDecoder *d, log_line_fn fn, void *userdata)
{
        int r;

        if (!d || !fn)
                return -EINVAL;
        if (d->carry_len) {
                size_t cl = d->carry_len;
                d->carry_len = 0;
                r = process_physical(d, d->carry, cl, fn, userdata);
                if (r != 0)
                        return r;
        }
        return flush_frag(d, fn, userdata);
}
