/* SPDX-License-Identifier: MIT */
/* OOM-killer reports -> OomEvent (see oom.h). Works on the logical lines
 * of analyze/kmsg-lines.c, whatever the transport (/dev/kmsg, dmesg,
 * journal, syslog); reads no file itself.
 *
 * Names are free text (comm: spaces, parentheses, commas, "key=" text), so
 * every field is anchored on the kernel's fixed text after it: the kill
 * line's name ends at the last ") total-vm:" (or "), UID " on RHEL 7, or
 * the last ')'), the header's at the last " invoked oom-killer: ", the
 * summary's task= at the ",pid=N,uid=N" that ends the line. */
#include "analyze/oom.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/parse.h"
#include "util/xalloc.h"

/* Kills of one memory.oom.group report are printed back to back. */
#define GROUP_WINDOW_USEC 1000000u
/* How far back an oom_reaper line looks for its kill. */
#define REAP_LOOKBACK 64
#define TABLE_COLS_MAX 16
/* Longest text accepted before " invoked oom-killer:": a comm is at most
 * 15 bytes, 60 when /dev/kmsg escapes every byte. */
#define HEADER_NAME_MAX 64

typedef struct TaskTable {
        bool seen;
        int ncols;              /* numeric columns after "[ pid ]" */
        int col_uid;            /* -1: no uid column */
        int col_rss;
} TaskTable;

/* What is known of the report being read. */
typedef struct Report {
        bool open;
        bool has_header;
        char invoked_by[OOM_NAME_MAX];
        uint64_t invoker_pid;
        char gfp_mask[OOM_GFP_MASK_MAX];
        char gfp_flags[OOM_GFP_FLAGS_MAX];
        bool has_order;
        int order;
        bool has_invoker_adj;
        int invoker_adj;

        uint64_t usage_kb, limit_kb;

        /* pre-5.0 "Task in A killed as a result of limit of B" */
        char ti_task[OOM_PATH_MAX];
        char ti_limit[OOM_PATH_MAX];

        /* 5.0+ "oom-kill:" summary */
        bool has_summary;
        char constraint[OOM_CONSTRAINT_MAX];
        bool global_oom;
        char s_oom_memcg[OOM_PATH_MAX];
        char s_task_memcg[OOM_PATH_MAX];
        uint64_t s_pid;
        uint64_t s_uid;

        uint64_t chosen_pid;

        TaskTable table;
        size_t n_top;
        OomHolder top[OOM_TOP_HOLDERS];
        uint64_t rows;

        bool group;
        uint64_t group_mono;
} Report;

struct OomParser {
        Report cur;
        Report last;            /* the report the latest kill used */
        bool has_last;
};

/* ---- small string helpers (NUL-terminated input) ---- */

static bool is_blank(char c)
{
        return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
        return c >= '0' && c <= '9';
}

static const char *skip_blanks(const char *s)
{
        while (is_blank(*s))
                s++;
        return s;
}

static bool starts_ci(const char *s, const char *prefix)
{
        return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* Last case-insensitive occurrence of needle in [s, limit) (limit NULL:
 * the whole string). */
static const char *find_last_ci(const char *s, const char *needle, const char *limit)
{
        const char *best = NULL, *p = s;
        size_t nl = strlen(needle);

        while ((p = strcasestr(p, needle))) {
                if (limit && p + nl > limit)
                        break;
                best = p;
                p++;
        }
        return best;
}

static const char *find_last(const char *s, const char *needle)
{
        const char *best = NULL, *p = s;
        while ((p = strstr(p, needle))) {
                best = p;
                p++;
        }
        return best;
}

/* Copies [s, e) into dst (cap bytes), cutting; trailing blanks dropped. */
static void copy_span(char *dst, size_t cap, const char *s, const char *e)
{
        size_t n;
        while (e > s && (is_blank(e[-1]) || e[-1] == '\r' || e[-1] == '\n'))
                e--;
        n = (size_t)(e - s);
        if (n >= cap)
                n = cap - 1;
        memcpy(dst, s, n);
        dst[n] = '\0';
}

static void copy_str(char *dst, size_t cap, const char *s)
{
        copy_span(dst, cap, s, s + strlen(s));
}

/* End of s with trailing blanks removed. */
static const char *trim_end(const char *s)
{
        const char *e = s + strlen(s);
        while (e > s && (is_blank(e[-1]) || e[-1] == '\r' || e[-1] == '\n'))
                e--;
        return e;
}

/* A number field is complete when what follows is one of these (a line
 * cut by journalctl ends in '>' or mid-number). */
static bool ends_field(char c)
{
        return c == '\0' || c == ' ' || c == ',' || c == '\t' || c == '\r' || c == '\n';
}

/* "KEY<number>kB" somewhere in s: the number, or U64_ABSENT when missing,
 * overflowing or not followed by kB. */
static uint64_t field_kb(const char *s, const char *key)
{
        const char *p = strstr(s, key);
        uint64_t v;

        if (!p)
                return U64_ABSENT;
        p += strlen(key);
        if (!is_digit(*p) || scan_u64(&p, &v) < 0)
                return U64_ABSENT;
        if (strncasecmp(p, "kb", 2) != 0 || !ends_field(p[2]))
                return U64_ABSENT;
        return v;
}

/* A uid: printed %u, or %d (so -2 for 4294967294) in the summary and the
 * task dump. */
static uint64_t uid_from_i64(int64_t v)
{
        if (v >= 0 && v <= (int64_t)UINT32_MAX)
                return (uint64_t)v;
        if (v < 0 && v >= INT32_MIN)
                return (uint64_t)(uint32_t)(int32_t)v;
        return U64_ABSENT;
}

static bool scan_int_field(const char **p, int *ret)
{
        int64_t v;
        const char *q = *p;
        if (scan_i64(&q, &v) < 0 || v < INT32_MIN || v > INT32_MAX || !ends_field(*q))
                return false;
        *ret = (int)v;
        *p = q;
        return true;
}

/* ---- the pieces of a report ---- */

static void report_reset(Report *r)
{
        memset(r, 0, sizeof *r);
        r->invoker_pid = U64_ABSENT;
        r->usage_kb = U64_ABSENT;
        r->limit_kb = U64_ABSENT;
        r->s_pid = U64_ABSENT;
        r->s_uid = U64_ABSENT;
        r->chosen_pid = U64_ABSENT;
}

/* "NAME invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), [nodemask=(null),]
 *  order=0, oom_score_adj=0" (older: no flags; oomkilladj=, oom_adj=). */
static void parse_header(Report *r, const char *t, const char *mark)
{
        const char *rest = mark + strlen(" invoked oom-killer:"), *p, *q;

        report_reset(r);
        r->open = true;
        r->has_header = true;
        copy_span(r->invoked_by, sizeof r->invoked_by, t, mark);

        p = strstr(rest, "gfp_mask=");
        if (p) {
                p += 9;
                q = p;
                while ((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f') || (*q >= 'A' && *q <= 'F') ||
                       *q == 'x' || *q == 'X')
                        q++;
                if (q > p && (ends_field(*q) || *q == '('))
                        copy_span(r->gfp_mask, sizeof r->gfp_mask, p, q);
                if (*q == '(') {
                        const char *close = strchr(q + 1, ')');
                        if (close) {
                                copy_span(r->gfp_flags, sizeof r->gfp_flags, q + 1, close);
                                q = close + 1;
                        }
                }
                rest = q;
        }
        p = strstr(rest, "order=");
        if (p && (p == rest || is_blank(p[-1]) || p[-1] == ',')) {
                p += 6;
                r->has_order = scan_int_field(&p, &r->order);
        }
        p = strstr(rest, "oom_score_adj=");
        if (p)
                p += 14;
        else if ((p = strstr(rest, "oomkilladj=")))
                p += 11;
        if (p)
                r->has_invoker_adj = scan_int_field(&p, &r->invoker_adj);
}

/* "memory: usage 65536kB, limit 65536kB, failcnt 53" */
static void parse_memcg_usage(Report *r, const char *t)
{
        const char *p = t + strlen("memory: usage");
        uint64_t u, l;

        if (r->usage_kb != U64_ABSENT)
                return;
        if (scan_u64(&p, &u) < 0 || strncasecmp(p, "kb", 2) != 0)
                return;
        r->usage_kb = u;
        p += 2;
        if (strncmp(p, ", limit", 7) != 0)
                return;
        p += 7;
        if (scan_u64(&p, &l) < 0 || strncasecmp(p, "kb", 2) != 0 || !ends_field(p[2]))
                return;
        r->limit_kb = l;
}

/* "oom-kill:constraint=C,nodemask=N,cpuset=S,mems_allowed=M,
 *  oom_memcg=P|global_oom,task_memcg=P,task=NAME,pid=N,uid=N"
 * Printed in pieces (pr_cont), so it may be cut anywhere; a value counts
 * only when the text after it is there. Early versions pad pid/uid (%5d). */
static void parse_summary(Report *r, const char *t)
{
        const char *s = t + strlen("oom-kill:"), *end = trim_end(s), *p, *om, *tm, *te = NULL, *pp;

        r->has_summary = true;
        r->constraint[0] = r->s_oom_memcg[0] = r->s_task_memcg[0] = '\0';
        r->global_oom = false;
        r->s_pid = r->s_uid = U64_ABSENT;

        if (starts_ci(s, "constraint=")) {
                const char *v = s + 11, *c = strchr(v, ',');
                if (c)
                        copy_span(r->constraint, sizeof r->constraint, v, c);
        }
        om = strstr(s, ",oom_memcg=");
        tm = strstr(om ? om : s, ",task_memcg=");
        if (om && tm)
                copy_span(r->s_oom_memcg, sizeof r->s_oom_memcg, om + 11, tm);
        if (!om) {
                const char *g = strstr(s, ",global_oom");
                if (g && (g[11] == ',' || g + 11 >= end))
                        r->global_oom = true;
        }
        if (tm) {
                te = strstr(tm + 12, ",task=");
                if (te)
                        copy_span(r->s_task_memcg, sizeof r->s_task_memcg, tm + 12, te);
        }
        /* pid and uid end the line: the last ",pid=" (the name may hold one). */
        pp = find_last(te ? te : s, ",pid=");
        if (!pp)
                return;
        p = skip_blanks(pp + 5);
        uint64_t pid;
        if (!is_digit(*p) || scan_u64(&p, &pid) < 0 || strncmp(p, ",uid=", 5) != 0)
                return;
        r->s_pid = pid;
        p = skip_blanks(p + 5);
        int64_t uid;
        if (scan_i64(&p, &uid) == 0 && p == end)
                r->s_uid = uid_from_i64(uid);
}

/* "Task in /a killed as a result of limit of /b" (<= 4.19). */
static void parse_task_in(Report *r, const char *t, const char *mark)
{
        copy_span(r->ti_task, sizeof r->ti_task, t + 8, mark);
        copy_str(r->ti_limit, sizeof r->ti_limit, mark + strlen(" killed as a result of limit of "));
}

/* "[  pid  ]   uid  tgid total_vm      rss ... oom_score_adj name" */
static bool parse_table_header(TaskTable *ret, const char *t)
{
        const char *close = strchr(t, ']'), *p;
        TaskTable tt = { .col_uid = -1, .col_rss = -1 };
        int idx = 0;

        if (!close)
                return false;
        p = skip_blanks(t + 1);
        if (strncasecmp(p, "pid", 3) != 0 || skip_blanks(p + 3) != close)
                return false;
        p = close + 1;
        for (;;) {
                p = skip_blanks(p);
                if (!*p)
                        return false;
                const char *w = p;
                while (*p && !is_blank(*p))
                        p++;
                size_t n = (size_t)(p - w);
                if (n == 4 && strncasecmp(w, "name", 4) == 0)
                        break;
                if (idx >= TABLE_COLS_MAX)
                        return false;
                if (n == 3 && strncasecmp(w, "uid", 3) == 0)
                        tt.col_uid = idx;
                else if (n == 3 && strncasecmp(w, "rss", 3) == 0)
                        tt.col_rss = idx;
                idx++;
        }
        if (tt.col_rss < 0)
                return false;
        tt.ncols = idx;
        tt.seen = true;
        *ret = tt;
        return true;
}

/* Keeps the OOM_TOP_HOLDERS biggest rss rows, biggest first (ties: the
 * earlier row). */
static void top_insert(Report *r, const OomHolder *h)
{
        size_t i;
        if (r->n_top == OOM_TOP_HOLDERS && h->rss_pages <= r->top[OOM_TOP_HOLDERS - 1].rss_pages)
                return;
        i = r->n_top < OOM_TOP_HOLDERS ? r->n_top++ : OOM_TOP_HOLDERS - 1;
        while (i > 0 && r->top[i - 1].rss_pages < h->rss_pages) {
                r->top[i] = r->top[i - 1];
                i--;
        }
        r->top[i] = *h;
}

/* "[ 265856]  1000 265856   670690 ...           100 Isolated Web Co":
 * the name is the rest after the last numeric column and one space. */
static bool parse_table_row(Report *r, const char *t)
{
        const char *p = skip_blanks(t + 1);
        int64_t vals[TABLE_COLS_MAX];
        OomHolder h = { 0 };

        if (!is_digit(*p) || scan_u64(&p, &h.pid) < 0 || *p != ']')
                return false;
        p++;
        for (int i = 0; i < r->table.ncols; i++) {
                if (!is_blank(*p) || scan_i64(&p, &vals[i]) < 0)
                        return false;
        }
        if (*p == ' ')
                p++;
        else if (*p != '\0')
                return false;
        if (vals[r->table.col_rss] < 0)
                return false;
        h.rss_pages = (uint64_t)vals[r->table.col_rss];
        h.uid = r->table.col_uid >= 0 ? uid_from_i64(vals[r->table.col_uid]) : U64_ABSENT;
        copy_str(h.name, sizeof h.name, p);
        r->rows++;
        top_insert(r, &h);
        return true;
}

/* Pre-5.1 "...: Kill process N (name) score S or sacrifice child" (also
 * 2.6 "Out of Memory: Kill process N (name) score S and children."). */
static bool parse_chooser(const char *t, uint64_t *ret_pid)
{
        const char *k = starts_ci(t, "Kill process ") ? t : strcasestr(t, ": Kill process ");
        const char *p;

        if (!k || strstr(t, " sharing same memory") || !strstr(k, ") score "))
                return false;
        p = strcasestr(k, "Kill process ") + strlen("Kill process ");
        return is_digit(*p) && scan_u64(&p, ret_pid) == 0;
}

/* ---- the kill line ---- */

/* "Killed process" at the start, or after the kernel's reason prefix. */
static const char *find_kill(const char *t, const char **ret_prefix_end)
{
        const char *k;
        if (starts_ci(t, "Killed process ")) {
                *ret_prefix_end = t;
                return t;
        }
        k = strcasestr(t, ": Killed process ");
        if (!k)
                return NULL;
        *ret_prefix_end = k;
        return k + 2;
}

/* The kernel's reason before ": Killed process" is "Out of memory",
 * "Memory cgroup out of memory", "Out of memory (oom_kill_allocating_task)"
 * (2.6.2x: "Out of Memory"). Anything else before the anchor is not a kill
 * line (a path or a file name in another message can hold the words),
 * unless it ends like a syslog wrapper the decoder did not know ("... host
 * kernel") in front of the pre-5.1 bare line. The prefix is kept from
 * "Memory cgroup" / "Out of memory" on. */
static bool kill_prefix_ok(OomEvent *ev, const char *t, const char *pe)
{
        const char *o = find_last_ci(t, "out of memory", pe), *e = pe;
        static const char mc[] = "Memory cgroup ";

        if (pe == t)
                return true;
        if (o) {
                if ((size_t)(o - t) >= sizeof mc - 1 && strncasecmp(o - (sizeof mc - 1), mc, sizeof mc - 1) == 0)
                        o -= sizeof mc - 1;
                copy_span(ev->kill_prefix, sizeof ev->kill_prefix, o, pe);
                return true;
        }
        while (e > t && is_blank(e[-1]))
                e--;
        return e - t >= 6 && strncasecmp(e - 6, "kernel", 6) == 0;
}

/* Lines that print cgroup paths or file names, which users choose: they
 * may contain any kernel phrase and are never kill lines or headers. */
static bool carries_user_path(const char *t)
{
        return starts_ci(t, "oom-kill:") || starts_ci(t, "audit:") || starts_ci(t, "Task in ") ||
               starts_ci(t, "Tasks in ") || starts_ci(t, "Memory cgroup stats for ") || starts_ci(t, "Memory limit reached of cgroup ") ||
               (strstr(t, " cpuset=") && strstr(t, " mems_allowed="));
}

/* "Killed process 5858 (python3.11) total-vm:75160kB, anon-rss:65280kB,
 *  file-rss:6544kB, shmem-rss:0kB, UID:0 pgtables:188kB oom_score_adj:0"
 * RHEL 6: "Killed process 26942, UID 498, (java) total-vm:..."
 * RHEL 7: "Killed process 42452 (memcg_test_1), UID 0, total-vm:..." */
static bool parse_kill(OomEvent *ev, const char *t)
{
        const char *pe, *k = find_kill(t, &pe), *p, *ns = NULL, *e, *tail;
        uint64_t v;
        int adj;

        if (!k)
                return false;
        p = k + strlen("Killed process ");
        if (!is_digit(*p) || scan_u64(&p, &ev->pid) < 0 || !kill_prefix_ok(ev, t, pe))
                return false;
        copy_str(ev->raw_line, sizeof ev->raw_line, t);

        if (strncmp(p, ", UID ", 6) == 0) {
                const char *q = p + 6;
                if (scan_u64(&q, &v) == 0 && strncmp(q, ", (", 3) == 0) {
                        ev->uid = v <= UINT32_MAX ? v : U64_ABSENT;
                        ns = q + 3;
                }
        } else if (strncmp(p, " (", 2) == 0) {
                ns = p + 2;
        }
        if (!ns)
                return true;    /* cut after the pid */

        if ((e = find_last(ns, ") total-vm:")))
                tail = e + 1;
        else if ((e = find_last(ns, "), UID ")))
                tail = e + 1;
        else if ((e = strrchr(ns, ')')))
                tail = e + 1;
        else {
                /* Cut inside the name: drop the chop marker of less -S
                 * ('>') or of journalctl's ellipsizing (U+2026). */
                e = tail = trim_end(ns);
                if (e > ns && e[-1] == '>')
                        e--;
                else if (e - ns >= 3 && memcmp(e - 3, "\xe2\x80\xa6", 3) == 0)
                        e -= 3;
        }
        copy_span(ev->name, sizeof ev->name, ns, e);

        ev->total_vm_kb = field_kb(tail, "total-vm:");
        ev->anon_rss_kb = field_kb(tail, "anon-rss:");
        ev->file_rss_kb = field_kb(tail, "file-rss:");
        ev->shmem_rss_kb = field_kb(tail, "shmem-rss:");
        ev->pgtables_kb = field_kb(tail, "pgtables:");
        if ((p = strstr(tail, "UID:")) || (p = strstr(tail, ", UID "))) {
                p += *p == 'U' ? 4 : 6;
                if (is_digit(*p) && scan_u64(&p, &v) == 0 && ends_field(*p) && v <= UINT32_MAX)
                        ev->uid = v;
        }
        if ((p = strstr(tail, "oom_score_adj:"))) {
                p += 14;
                if (scan_int_field(&p, &adj)) {
                        ev->has_oom_score_adj = true;
                        ev->oom_score_adj = adj;
                }
        }
        return true;
}

/* "oom_reaper: reaped process N (name), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB"
 * "oom_reaper: unable to reap pid:N (name)" */
static bool parse_reaper(OomReap *rp, const char *t)
{
        const char *p, *ns, *e;

        memset(rp, 0, sizeof *rp);
        rp->anon_rss_kb = rp->file_rss_kb = rp->shmem_rss_kb = U64_ABSENT;
        rp->kernel_time_s = NAN;
        if ((p = strstr(t, "reaped process "))) {
                rp->state = OOM_REAP_DONE;
                p += 15;
        } else if ((p = strstr(t, "unable to reap pid:"))) {
                rp->state = OOM_REAP_FAILED;
                p += 19;
        } else {
                return false;
        }
        if (!is_digit(*p) || scan_u64(&p, &rp->pid) < 0)
                return false;
        if (strncmp(p, " (", 2) == 0) {
                ns = p + 2;
                e = find_last(ns, "), now ");
                if (!e)
                        e = strrchr(ns, ')');
                if (!e)
                        e = trim_end(ns);
                copy_span(rp->name, sizeof rp->name, ns, e);
                if (rp->state == OOM_REAP_DONE) {
                        rp->anon_rss_kb = field_kb(e, "anon-rss:");
                        rp->file_rss_kb = field_kb(e, "file-rss:");
                        rp->shmem_rss_kb = field_kb(e, "shmem-rss:");
                }
        }
        return true;
}

/* ---- assembling ---- */

void oom_event_init(OomEvent *ev)
{
        memset(ev, 0, sizeof *ev);
        ev->pid = U64_ABSENT;
        ev->uid = U64_ABSENT;
        ev->total_vm_kb = ev->anon_rss_kb = ev->file_rss_kb = U64_ABSENT;
        ev->shmem_rss_kb = ev->pgtables_kb = U64_ABSENT;
        ev->invoked_by_pid = U64_ABSENT;
        ev->memcg_usage_kb = ev->memcg_limit_kb = U64_ABSENT;
        ev->chosen_pid = U64_ABSENT;
        ev->reaped_anon_rss_kb = ev->reaped_file_rss_kb = ev->reaped_shmem_rss_kb = U64_ABSENT;
        ev->kernel_time_s = NAN;
        ev->realtime_usec = U64_ABSENT;
        ev->kmsg_seq = U64_ABSENT;
}

const char *k8s_qos_name(K8sQos q)
{
        switch (q) {
        case K8S_QOS_GUARANTEED:
                return "guaranteed";
        case K8S_QOS_BURSTABLE:
                return "burstable";
        case K8S_QOS_BESTEFFORT:
                return "besteffort";
        case K8S_QOS_NONE:
                break;
        }
        return NULL;
}

static void event_from_report(OomEvent *ev, const Report *r)
{
        if (r->has_header) {
                copy_str(ev->invoked_by, sizeof ev->invoked_by, r->invoked_by);
                ev->invoked_by_pid = r->invoker_pid;
                copy_str(ev->gfp_mask, sizeof ev->gfp_mask, r->gfp_mask);
                copy_str(ev->gfp_flags, sizeof ev->gfp_flags, r->gfp_flags);
                ev->has_order = r->has_order;
                ev->order = r->order;
                ev->has_invoker_oom_score_adj = r->has_invoker_adj;
                ev->invoker_oom_score_adj = r->invoker_adj;
        }
        ev->memcg_usage_kb = r->usage_kb;
        ev->memcg_limit_kb = r->limit_kb;
        if (r->has_summary && (r->s_pid == U64_ABSENT || r->s_pid == ev->pid)) {
                copy_str(ev->constraint, sizeof ev->constraint, r->constraint);
                ev->global_oom = r->global_oom;
                copy_str(ev->oom_memcg, sizeof ev->oom_memcg, r->s_oom_memcg);
                copy_str(ev->task_memcg, sizeof ev->task_memcg, r->s_task_memcg);
                if (ev->uid == U64_ABSENT && r->s_pid == ev->pid)
                        ev->uid = r->s_uid;
        } else if (r->ti_task[0] || r->ti_limit[0]) {
                copy_str(ev->oom_memcg, sizeof ev->oom_memcg, r->ti_limit);
                copy_str(ev->task_memcg, sizeof ev->task_memcg, r->ti_task);
        }
        ev->chosen_pid = r->chosen_pid;
        ev->n_top = r->n_top;
        memcpy(ev->top, r->top, sizeof ev->top);
        ev->tasks_dumped = r->rows;
        if (oom_k8s_from_cgroup(ev->task_memcg, &ev->k8s) < 0)
                oom_k8s_from_cgroup(ev->oom_memcg, &ev->k8s);
}

OomParser *oom_parser_new(void)
{
        OomParser *p = xmalloc(sizeof *p);
        oom_parser_reset(p);
        return p;
}

void oom_parser_free(OomParser *p)
{
        free(p);
}

void oom_parser_reset(OomParser *p)
{
        report_reset(&p->cur);
        report_reset(&p->last);
        p->has_last = false;
}

/* A line that belongs to a report body: after a group kill it starts a
 * new (headerless) report. */
static Report *context(OomParser *p)
{
        if (p->cur.group)
                report_reset(&p->cur);
        p->cur.open = true;
        return &p->cur;
}

static OomFeedResult on_kill(OomParser *p, const LogLine *l, const char *t, OomEvent *ret)
{
        OomEvent ev;

        oom_event_init(&ev);
        if (!parse_kill(&ev, t))
                return OOM_FEED_NONE;
        if (p->cur.group && l->mono_usec != U64_ABSENT && p->cur.group_mono != U64_ABSENT &&
            (l->mono_usec > p->cur.group_mono + GROUP_WINDOW_USEC || l->mono_usec < p->cur.group_mono))
                report_reset(&p->cur);
        event_from_report(&ev, &p->cur);

        if (l->mono_usec != U64_ABSENT)
                ev.kernel_time_s = (double)l->mono_usec / 1e6;
        ev.realtime_usec = l->realtime_usec;
        copy_str(ev.wall_time, sizeof ev.wall_time, l->wall ? l->wall : "");
        copy_str(ev.boot_id, sizeof ev.boot_id, l->boot_id ? l->boot_id : "");
        ev.kmsg_seq = l->seq;
        ev.source_format = l->format;
        ev.line_no = l->line_no;

        p->last = p->cur;
        p->has_last = true;
        if (!p->cur.group)
                report_reset(&p->cur);
        if (ret)
                *ret = ev;
        return OOM_FEED_KILL;
}

OomFeedResult oom_parser_feed_line(OomParser *p, const LogLine *l, OomEvent *ret_event, OomReap *ret_reap)
{
        const char *t, *mark;
        bool user_path;
        Report *r;

        if (!p || !l || !l->msg || !l->kernel)
                return OOM_FEED_NONE;
        t = skip_blanks(l->msg);
        if (!*t)
                return OOM_FEED_NONE;

        user_path = carries_user_path(t);
        if (!user_path && strcasestr(t, "Killed process ")) {
                OomFeedResult fr = on_kill(p, l, t, ret_event);
                if (fr != OOM_FEED_NONE)
                        return fr;
        }
        if (starts_ci(t, "oom_reaper: ")) {
                OomReap rp;
                if (!parse_reaper(&rp, t))
                        return OOM_FEED_NONE;
                if (l->mono_usec != U64_ABSENT)
                        rp.kernel_time_s = (double)l->mono_usec / 1e6;
                if (ret_reap)
                        *ret_reap = rp;
                return OOM_FEED_REAP;
        }
        /* comm is at most 15 bytes (64 with escapes); a longer "name" is
         * some other message quoting the phrase. */
        if (!user_path && (mark = find_last_ci(t, " invoked oom-killer:", NULL)) && mark - t <= HEADER_NAME_MAX) {
                parse_header(&p->cur, t, mark);
                return OOM_FEED_NONE;
        }
        if (starts_ci(t, "Tasks in ") && strcasestr(t, " are going to be killed due to memory.oom.group set")) {
                if (!p->cur.open && p->has_last)
                        p->cur = p->last;
                p->cur.open = true;
                p->cur.group = true;
                p->cur.group_mono = l->mono_usec;
                return OOM_FEED_NONE;
        }
        /* Reports that end without a kill. */
        if (!user_path && (strcasestr(t, "Out of memory and no killable processes") ||
                           (strcasestr(t, ": OOM victim ") && strcasestr(t, " is already exiting")) ||
                           (starts_ci(t, "oom_kill_process: ") && strcasestr(t, " callbacks suppressed")))) {
                if (!p->cur.group)
                        report_reset(&p->cur);
                return OOM_FEED_NONE;
        }

        if (starts_ci(t, "memory: usage ")) {
                parse_memcg_usage(context(p), t);
        } else if (starts_ci(t, "oom-kill:")) {
                parse_summary(context(p), t);
        } else if (starts_ci(t, "Task in ") && (mark = strcasestr(t, " killed as a result of limit of "))) {
                parse_task_in(context(p), t, mark);
        } else if (starts_ci(t, "Memory limit reached of cgroup ")) {
                r = context(p);
                copy_str(r->ti_limit, sizeof r->ti_limit, t + strlen("Memory limit reached of cgroup "));
        } else if (*t == '[') {
                const char *q = skip_blanks(t + 1);
                if (is_digit(*q)) {
                        if (p->cur.table.seen && !p->cur.group)
                                parse_table_row(&p->cur, t);
                } else {
                        TaskTable tt;
                        if (parse_table_header(&tt, t)) {
                                r = context(p);
                                r->table = tt;
                                r->n_top = 0;
                                r->rows = 0;
                        }
                }
        } else if (!user_path && strcasestr(t, "Kill process ")) {
                uint64_t pid;
                if (parse_chooser(t, &pid))
                        context(p)->chosen_pid = pid;
        } else if (p->cur.has_header && p->cur.invoker_pid == U64_ABSENT &&
                   (starts_ci(t, "CPU: ") || starts_ci(t, "Pid: "))) {
                /* dump_stack: "CPU: 1 UID: 0 PID: 5858 Comm: ..." / "Pid: 5858, comm: ..." */
                const char *q = starts_ci(t, "Pid: ") ? t + 5 : strstr(t, " PID: ");
                uint64_t pid;
                if (q && *q == ' ')
                        q += 6;
                if (q && is_digit(*q) && scan_u64(&q, &pid) == 0)
                        p->cur.invoker_pid = pid;
        }
        return OOM_FEED_NONE;
}

/* ---- whole-text parsing and the event list ---- */

void oom_event_list_init(OomEventList *l)
{
        memset(l, 0, sizeof *l);
}

void oom_event_list_free(OomEventList *l)
{
        if (!l)
                return;
        free(l->events);
        memset(l, 0, sizeof *l);
}

void oom_event_list_append(OomEventList *l, const OomEvent *ev)
{
        if (l->n >= OOM_EVENTS_MAX) {
                size_t drop = OOM_EVENTS_MAX / 2;
                memmove(l->events, l->events + drop, (l->n - drop) * sizeof *l->events);
                l->n -= drop;
                l->dropped += drop;
        }
        if (l->n == l->cap) {
                size_t cap = l->cap ? l->cap * 2 : 16;
                if (cap > OOM_EVENTS_MAX)
                        cap = OOM_EVENTS_MAX;
                l->events = xreallocarray(l->events, cap, sizeof *l->events);
                l->cap = cap;
        }
        l->events[l->n++] = *ev;
}

bool oom_event_list_apply_reap(OomEventList *l, const OomReap *r)
{
        size_t stop = l->n > REAP_LOOKBACK ? l->n - REAP_LOOKBACK : 0;
        for (size_t i = l->n; i > stop; i--) {
                OomEvent *ev = &l->events[i - 1];
                if (ev->pid != r->pid || ev->reap != OOM_REAP_UNKNOWN)
                        continue;
                ev->reap = r->state;
                ev->reaped_anon_rss_kb = r->anon_rss_kb;
                ev->reaped_file_rss_kb = r->file_rss_kb;
                ev->reaped_shmem_rss_kb = r->shmem_rss_kb;
                return true;
        }
        return false;
}

bool oom_event_same_kill(const OomEvent *a, const OomEvent *b)
{
        if (a->pid != b->pid)
                return false;
        if (a->boot_id[0] && b->boot_id[0] && strcmp(a->boot_id, b->boot_id) != 0)
                return false;
        if (!isnan(a->kernel_time_s) && !isnan(b->kernel_time_s))
                return fabs(a->kernel_time_s - b->kernel_time_s) < 1.5e-6;
        return strcmp(a->name, b->name) == 0 && a->total_vm_kb == b->total_vm_kb &&
               a->anon_rss_kb == b->anon_rss_kb && a->file_rss_kb == b->file_rss_kb;
}

typedef struct TextCtx {
        OomParser *parser;
        OomEventList *list;
} TextCtx;

static int text_line(const LogLine *line, void *userdata)
{
        TextCtx *c = userdata;
        OomEvent ev;
        OomReap rp;

        switch (oom_parser_feed_line(c->parser, line, &ev, &rp)) {
        case OOM_FEED_KILL:
                oom_event_list_append(c->list, &ev);
                break;
        case OOM_FEED_REAP:
                oom_event_list_apply_reap(c->list, &rp);
                break;
        case OOM_FEED_NONE:
                break;
        }
        return 0;
}

int oom_parse_text_append(const char *buf, size_t len, OomEventList *list)
{
        TextCtx c;
        LogDecoder *d;

        if (!list || (!buf && len))
                return -EINVAL;
        d = log_decoder_new();
        c.parser = oom_parser_new();
        c.list = list;
        log_decoder_feed(d, buf, len, text_line, &c);
        log_decoder_flush(d, text_line, &c);
        oom_parser_free(c.parser);
        log_decoder_free(d);
        return 0;
}

int oom_parse_text(const char *buf, size_t len, OomEventList *ret)
{
        if (!ret)
                return -EINVAL;
        oom_event_list_init(ret);
        return oom_parse_text_append(buf, len, ret);
}

/* ---- Kubernetes ---- */

static bool is_hex(char c)
{
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A pod UID: 36 chars with dashes (or underscores, systemd), or a static
 * pod's 32 hex digits. Copied with dashes. */
static bool take_pod_uid(const char *s, size_t n, char *out, size_t cap)
{
        if (n < 32 || n > 36 || n >= cap)
                return false;
        for (size_t i = 0; i < n; i++) {
                if (!is_hex(s[i]) && s[i] != '-' && s[i] != '_')
                        return false;
                out[i] = s[i] == '_' ? '-' : s[i];
        }
        out[n] = '\0';
        return true;
}

/* "cri-containerd-<id>.scope", "docker-<id>.scope", "crio-<id>.scope"
 * (systemd driver) or "<id>", "crio-<id>" (cgroupfs). */
static void take_container(const char *s, size_t n, K8sContext *k)
{
        static const struct {
                const char *prefix;
                const char *runtime;
        } rt[] = {
                { "cri-containerd-", "containerd" },
                { "crio-conmon-", NULL },       /* the runtime's monitor, not the container */
                { "crio-", "crio" },
                { "docker-", "docker" },
                { "containerd-", "containerd" },
        };
        const char *runtime = "";

        if (n > 6 && memcmp(s + n - 6, ".scope", 6) == 0)
                n -= 6;
        for (size_t i = 0; i < sizeof rt / sizeof rt[0]; i++) {
                size_t pl = strlen(rt[i].prefix);
                if (n > pl && memcmp(s, rt[i].prefix, pl) == 0) {
                        if (!rt[i].runtime)
                                return;
                        runtime = rt[i].runtime;
                        s += pl;
                        n -= pl;
                        break;
                }
        }
        if (n == 0 || n >= sizeof k->container_id || n > 64)
                return;
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
                        return;
        memcpy(k->container_id, s, n);
        k->container_id[n] = '\0';
        copy_str(k->runtime, sizeof k->runtime, runtime);
}

static bool span_eq(const char *s, size_t n, const char *lit)
{
        return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

static bool span_has(const char *s, size_t n, const char *lit)
{
        size_t l = strlen(lit);
        for (size_t i = 0; i + l <= n; i++)
                if (memcmp(s + i, lit, l) == 0)
                        return true;
        return false;
}

int oom_k8s_from_cgroup(const char *path, K8sContext *ret)
{
        const char *p = path, *prev = NULL, *pod_end = NULL;
        size_t prev_n = 0;
        bool kubepods = false;
        K8sContext k = { 0 };

        *ret = k;
        if (!path)
                return -ENOENT;
        while (*p) {
                const char *c, *e;
                size_t n;
                while (*p == '/')
                        p++;
                if (!*p)
                        break;
                c = p;
                e = strchr(c, '/');
                if (!e)
                        e = c + strlen(c);
                n = (size_t)(e - c);
                p = e;

                if (pod_end) {
                        take_container(c, n, &k);
                        break;
                }
                if (span_eq(c, n, "kubepods") || (n >= 14 && memcmp(c + n - 14, "kubepods.slice", 14) == 0) ||
                    (n > 8 && memcmp(c + n - 8, "kubepods", 8) == 0 && c[n - 9] == '-')) {
                        kubepods = true;
                } else if (kubepods && n > 6 && memcmp(c + n - 6, ".slice", 6) == 0 && span_has(c, n, "-pod")) {
                        /* systemd: kubepods-burstable-pod<uid_with_underscores>.slice */
                        const char *u = c;
                        for (const char *q = c; q + 4 <= c + n - 6; q++)
                                if (memcmp(q, "-pod", 4) == 0)
                                        u = q + 4;
                        if (!take_pod_uid(u, (size_t)(c + n - 6 - u), k.pod_uid, sizeof k.pod_uid))
                                continue;
                        k.qos = span_has(c, n, "-burstable-pod")    ? K8S_QOS_BURSTABLE
                                : span_has(c, n, "-besteffort-pod") ? K8S_QOS_BESTEFFORT
                                                                    : K8S_QOS_GUARANTEED;
                        pod_end = e;
                } else if (kubepods && n > 3 && memcmp(c, "pod", 3) == 0 &&
                           take_pod_uid(c + 3, n - 3, k.pod_uid, sizeof k.pod_uid)) {
                        /* cgroupfs: /kubepods[/burstable|/besteffort]/pod<uid> */
                        k.qos = prev && span_eq(prev, prev_n, "burstable")    ? K8S_QOS_BURSTABLE
                                : prev && span_eq(prev, prev_n, "besteffort") ? K8S_QOS_BESTEFFORT
                                                                              : K8S_QOS_GUARANTEED;
                        pod_end = e;
                }
                prev = c;
                prev_n = n;
        }
        if (k.qos == K8S_QOS_NONE)
                return -ENOENT;
        *ret = k;
        return 0;
}
