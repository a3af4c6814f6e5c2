/* SPDX-License-Identifier: MIT */
/* analyze/kmsg-lines + analyze/oom: every fixture pair under
 * tests/fixtures/oom (real kernel logs and hand-written samples, each with
 * an .expected.json) compared field by field, the same reports through
 * every transport, the decoder's prefix forms, the report assembly rules,
 * Kubernetes paths, and hostile input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/kmsg-lines.h"
#include "analyze/oom.h"
#include "util/utf8.h"

#define OOM_FIXTURES FIXTURES_DIR "/oom"

/* ---- helpers ---- */

static char *slurp(const char *path, size_t *ret_len)
{
        FILE *f = fopen(path, "rb");
        char *buf;
        long n;

        if (!f)
                return NULL;
        if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
                fclose(f);
                return NULL;
        }
        buf = malloc((size_t)n + 1);
        if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
                free(buf);
                fclose(f);
                return NULL;
        }
        buf[n] = '\0';
        fclose(f);
        *ret_len = (size_t)n;
        return buf;
}

static size_t parse_str(const char *text, OomEventList *l)
{
        assert_int_equal(oom_parse_text(text, strlen(text), l), 0);
        return l->n;
}

/* Mismatches are collected so that one run shows all of them. */
static int n_mismatch;

static void mismatch(const char *file, size_t ev, const char *field, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static void mismatch(const char *file, size_t ev, const char *field, const char *fmt, ...)
{
        va_list ap;
        fprintf(stderr, "MISMATCH %s event %zu %s: ", file, ev, field);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
        n_mismatch++;
}

static void cmp_u64(const char *file, size_t i, const char *k, json_t *want, uint64_t got)
{
        if (json_is_null(want)) {
                if (got != U64_ABSENT)
                        mismatch(file, i, k, "got %llu, want null", (unsigned long long)got);
        } else if (!json_is_integer(want)) {
                mismatch(file, i, k, "expected value is not an integer");
        } else if (got == U64_ABSENT || got != (uint64_t)json_integer_value(want)) {
                mismatch(file, i, k, "got %s%llu, want %lld", got == U64_ABSENT ? "null/" : "",
                         (unsigned long long)got, (long long)json_integer_value(want));
        }
}

static void cmp_int(const char *file, size_t i, const char *k, json_t *want, bool has, int got)
{
        if (json_is_null(want)) {
                if (has)
                        mismatch(file, i, k, "got %d, want null", got);
        } else if (!json_is_integer(want)) {
                mismatch(file, i, k, "expected value is not an integer");
        } else if (!has || got != json_integer_value(want)) {
                mismatch(file, i, k, "got %s%d, want %lld", has ? "" : "null/", got,
                         (long long)json_integer_value(want));
        }
}

/* "" is null; names are compared as the renderer will show them (UTF-8
 * sanitised). */
static void cmp_str(const char *file, size_t i, const char *k, json_t *want, const char *got)
{
        char clean[2048];
        utf8_sanitize(got, strlen(got), clean, sizeof clean);
        if (json_is_null(want)) {
                if (got[0])
                        mismatch(file, i, k, "got \"%s\", want null", clean);
        } else if (!json_is_string(want)) {
                mismatch(file, i, k, "expected value is not a string");
        } else if (strcmp(clean, json_string_value(want)) != 0) {
                mismatch(file, i, k, "got \"%s\", want \"%s\"", clean, json_string_value(want));
        }
}

static void cmp_dbl(const char *file, size_t i, const char *k, json_t *want, double got)
{
        if (json_is_null(want)) {
                if (!isnan(got))
                        mismatch(file, i, k, "got %.6f, want null", got);
        } else if (!json_is_number(want)) {
                mismatch(file, i, k, "expected value is not a number");
        } else if (isnan(got) || fabs(got - json_number_value(want)) > 1e-6) {
                mismatch(file, i, k, "got %.6f, want %.6f", got, json_number_value(want));
        }
}

static void cmp_holders(const char *file, size_t i, json_t *want, const OomEvent *ev)
{
        size_t j;
        json_t *h;

        if (!json_is_array(want) || json_array_size(want) != ev->n_top) {
                mismatch(file, i, "top_holders", "got %zu rows, want %zu", ev->n_top, json_array_size(want));
                return;
        }
        json_array_foreach(want, j, h) {
                char k[64];
                snprintf(k, sizeof k, "top_holders[%zu].pid", j);
                cmp_u64(file, i, k, json_object_get(h, "pid"), ev->top[j].pid);
                snprintf(k, sizeof k, "top_holders[%zu].uid", j);
                cmp_u64(file, i, k, json_object_get(h, "uid"), ev->top[j].uid);
                snprintf(k, sizeof k, "top_holders[%zu].rss", j);
                cmp_u64(file, i, k, json_object_get(h, "rss_pages"), ev->top[j].rss_pages);
                snprintf(k, sizeof k, "top_holders[%zu].name", j);
                cmp_str(file, i, k, json_object_get(h, "name"), ev->top[j].name);
        }
}

/* The 21 keys every expected event has (the corpus README's table). */
static const char *const base_keys[] = {
        "pid", "name", "uid", "total_vm_kb", "anon_rss_kb", "file_rss_kb", "shmem_rss_kb",
        "pgtables_kb", "oom_score_adj", "constraint", "oom_memcg", "task_memcg", "invoked_by",
        "gfp_mask", "order", "memcg_limit_kb", "memcg_usage_kb", "kernel_time_s", "gfp_flags",
        "kill_prefix", "wall_time",
};

/* Compares every key of one expected event; unknown keys are errors so a
 * typo in a fixture cannot pass silently. */
static void cmp_event(const char *file, size_t i, json_t *want, const OomEvent *ev)
{
        const char *k;
        json_t *v;

        for (size_t b = 0; b < sizeof base_keys / sizeof base_keys[0]; b++)
                if (!json_object_get(want, base_keys[b]))
                        mismatch(file, i, base_keys[b], "missing from the expected event");

        json_object_foreach(want, k, v) {
                if (!strcmp(k, "pid"))
                        cmp_u64(file, i, k, v, ev->pid);
                else if (!strcmp(k, "name"))
                        cmp_str(file, i, k, v, ev->name);
                else if (!strcmp(k, "uid"))
                        cmp_u64(file, i, k, v, ev->uid);
                else if (!strcmp(k, "total_vm_kb"))
                        cmp_u64(file, i, k, v, ev->total_vm_kb);
                else if (!strcmp(k, "anon_rss_kb"))
                        cmp_u64(file, i, k, v, ev->anon_rss_kb);
                else if (!strcmp(k, "file_rss_kb"))
                        cmp_u64(file, i, k, v, ev->file_rss_kb);
                else if (!strcmp(k, "shmem_rss_kb"))
                        cmp_u64(file, i, k, v, ev->shmem_rss_kb);
                else if (!strcmp(k, "pgtables_kb"))
                        cmp_u64(file, i, k, v, ev->pgtables_kb);
                else if (!strcmp(k, "oom_score_adj"))
                        cmp_int(file, i, k, v, ev->has_oom_score_adj, ev->oom_score_adj);
                else if (!strcmp(k, "constraint"))
                        cmp_str(file, i, k, v, ev->constraint);
                else if (!strcmp(k, "oom_memcg"))
                        cmp_str(file, i, k, v, ev->oom_memcg);
                else if (!strcmp(k, "task_memcg"))
                        cmp_str(file, i, k, v, ev->task_memcg);
                else if (!strcmp(k, "invoked_by"))
                        cmp_str(file, i, k, v, ev->invoked_by);
                else if (!strcmp(k, "gfp_mask"))
                        cmp_str(file, i, k, v, ev->gfp_mask);
                else if (!strcmp(k, "order"))
                        cmp_int(file, i, k, v, ev->has_order, ev->order);
                else if (!strcmp(k, "memcg_limit_kb"))
                        cmp_u64(file, i, k, v, ev->memcg_limit_kb);
                else if (!strcmp(k, "memcg_usage_kb"))
                        cmp_u64(file, i, k, v, ev->memcg_usage_kb);
                else if (!strcmp(k, "kernel_time_s"))
                        cmp_dbl(file, i, k, v, ev->kernel_time_s);
                else if (!strcmp(k, "gfp_flags"))
                        cmp_str(file, i, k, v, ev->gfp_flags);
                else if (!strcmp(k, "kill_prefix"))
                        cmp_str(file, i, k, v, ev->kill_prefix);
                else if (!strcmp(k, "wall_time"))
                        cmp_str(file, i, k, v, ev->wall_time);
                /* 30secs extras (hand-written samples) */
                else if (!strcmp(k, "invoked_by_pid"))
                        cmp_u64(file, i, k, v, ev->invoked_by_pid);
                else if (!strcmp(k, "invoker_oom_score_adj"))
                        cmp_int(file, i, k, v, ev->has_invoker_oom_score_adj, ev->invoker_oom_score_adj);
                else if (!strcmp(k, "chosen_pid"))
                        cmp_u64(file, i, k, v, ev->chosen_pid);
                else if (!strcmp(k, "global_oom")) {
                        if (!json_is_boolean(v) || json_is_true(v) != ev->global_oom)
                                mismatch(file, i, k, "got %d", ev->global_oom);
                } else if (!strcmp(k, "pod_uid"))
                        cmp_str(file, i, k, v, ev->k8s.pod_uid);
                else if (!strcmp(k, "container_id"))
                        cmp_str(file, i, k, v, ev->k8s.container_id);
                else if (!strcmp(k, "container_runtime")) {
                        if (!json_is_string(v) || strcmp(json_string_value(v), ev->k8s.runtime) != 0)
                                mismatch(file, i, k, "got \"%s\"", ev->k8s.runtime);
                } else if (!strcmp(k, "qos")) {
                        const char *q = k8s_qos_name(ev->k8s.qos);
                        cmp_str(file, i, k, v, q ? q : "");
                } else if (!strcmp(k, "reaped")) {
                        bool ok = json_is_null(v) ? ev->reap == OOM_REAP_UNKNOWN
                                  : json_is_true(v) ? ev->reap == OOM_REAP_DONE
                                                    : ev->reap == OOM_REAP_FAILED;
                        if (!ok)
                                mismatch(file, i, k, "got state %d", (int)ev->reap);
                } else if (!strcmp(k, "reaped_anon_rss_kb"))
                        cmp_u64(file, i, k, v, ev->reaped_anon_rss_kb);
                else if (!strcmp(k, "tasks_dumped"))
                        cmp_u64(file, i, k, v, ev->tasks_dumped);
                else if (!strcmp(k, "top_holders"))
                        cmp_holders(file, i, v, ev);
                else if (!strcmp(k, "kmsg_seq"))
                        cmp_u64(file, i, k, v, ev->kmsg_seq);
                else if (!strcmp(k, "realtime_usec"))
                        cmp_u64(file, i, k, v, ev->realtime_usec);
                else if (!strcmp(k, "source_format"))
                        cmp_str(file, i, k, v, log_format_name(ev->source_format));
                else
                        mismatch(file, i, k, "unknown key in the expected event");
        }
}

static bool ends_with(const char *s, const char *suffix)
{
        size_t n = strlen(s), m = strlen(suffix);
        return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* ---- the corpus ---- */

static void check_pair(const char *stem, size_t *ret_events)
{
        char path[1024];
        size_t len, i;
        char *log;
        json_error_t jerr;
        json_t *doc, *events, *e;
        OomEventList l;

        snprintf(path, sizeof path, "%s/%s.expected.json", OOM_FIXTURES, stem);
        doc = json_load_file(path, 0, &jerr);
        if (!doc)
                fail_msg("%s: %s (line %d)", path, jerr.text, jerr.line);
        snprintf(path, sizeof path, "%s/%s.log", OOM_FIXTURES, stem);
        log = slurp(path, &len);
        if (!log)
                fail_msg("cannot read %s", path);

        assert_int_equal(oom_parse_text(log, len, &l), 0);
        events = json_object_get(doc, "events");
        assert_true(json_is_array(events));
        assert_int_equal(json_integer_value(json_object_get(doc, "event_count")), json_array_size(events));
        if (l.n != json_array_size(events))
                mismatch(stem, 0, "event count", "got %zu, want %zu", l.n, json_array_size(events));
        json_array_foreach(events, i, e) {
                if (i < l.n)
                        cmp_event(stem, i, e, &l.events[i]);
        }
        *ret_events += l.n;
        oom_event_list_free(&l);
        free(log);
        json_decref(doc);
}

static void test_corpus_every_pair(void **state)
{
        (void)state;
        DIR *d = opendir(OOM_FIXTURES);
        struct dirent *de;
        size_t pairs = 0, events = 0, logs = 0;

        assert_non_null(d);
        n_mismatch = 0;
        while ((de = readdir(d))) {
                char stem[512];
                if (ends_with(de->d_name, ".log"))
                        logs++;
                if (!ends_with(de->d_name, ".expected.json"))
                        continue;
                snprintf(stem, sizeof stem, "%.*s", (int)(strlen(de->d_name) - strlen(".expected.json")),
                         de->d_name);
                check_pair(stem, &events);
                pairs++;
        }
        closedir(d);
        /* 17 shared samples + 7 hand-written ones, and no .log without its pair. */
        assert_true(pairs >= 24);
        assert_int_equal(logs, pairs);
        assert_true(events >= 33);
        assert_int_equal(n_mismatch, 0);
}

static OomEventList parse_fixture(const char *name)
{
        char path[1024];
        size_t len;
        OomEventList l;
        char *log;

        snprintf(path, sizeof path, "%s/%s", OOM_FIXTURES, name);
        log = slurp(path, &len);
        if (!log)
                fail_msg("cannot read %s", path);
        assert_int_equal(oom_parse_text(log, len, &l), 0);
        free(log);
        return l;
}

/* Extras of the shared samples that the expected files do not list. */
static void test_corpus_extras(void **state)
{
        (void)state;
        OomEventList l = parse_fixture("13-arch-6.1-global-reaper.log");
        assert_int_equal(l.n, 1);
        const OomEvent *e = &l.events[0];
        assert_true(e->global_oom);
        assert_int_equal(e->reap, OOM_REAP_DONE);
        assert_int_equal(e->reaped_anon_rss_kb, 0);
        assert_int_equal(e->invoked_by_pid, 473206);
        assert_int_equal(e->tasks_dumped, 112);
        assert_int_equal(e->n_top, 5);
        assert_int_equal(e->top[0].pid, 473206);
        assert_int_equal(e->top[0].rss_pages, 2308581);
        assert_string_equal(e->top[0].name, "doxygen");
        assert_int_equal(e->top[1].pid, 331049);
        assert_int_equal(e->top[4].rss_pages, 5143);
        assert_int_equal(e->source_format, LOG_FMT_BARE);
        oom_event_list_free(&l);

        /* Two kills, each with its own reaper line. */
        l = parse_fixture("06-ubuntu-4.x-syslog-dmesg-child-sacrificed-reaper.log");
        assert_int_equal(l.n, 2);
        assert_int_equal(l.events[0].reap, OOM_REAP_DONE);
        assert_int_equal(l.events[1].reap, OOM_REAP_DONE);
        assert_int_equal(l.events[0].chosen_pid, 4142);
        assert_int_equal(l.events[0].source_format, LOG_FMT_SYSLOG);
        oom_event_list_free(&l);

        /* Table rows: v1 6.18 layout with rss_anon/rss_file/rss_shmem, names with ") (". */
        l = parse_fixture("19-gen-6.18-v1-kmsg-invoker-not-victim-evil-names.log");
        assert_int_equal(l.n, 2);
        assert_int_equal(l.events[0].n_top, 3);
        assert_string_equal(l.events[0].top[0].name, "big) (sleeper");
        assert_int_equal(l.events[0].top[0].rss_pages, 13669);
        assert_int_equal(l.events[0].invoked_by_pid, 10266);
        assert_int_equal(l.events[0].kmsg_seq, 665);
        oom_event_list_free(&l);

        /* German dmesg -T: no kernel time, the raw stamp, the v2 stat lines are continuations. */
        l = parse_fixture("11-proxmox-5.15-cgroup-v2-german-dmesg-T.log");
        assert_int_equal(l.n, 1);
        assert_int_equal(l.events[0].source_format, LOG_FMT_DMESG_CTIME);
        assert_int_equal(l.events[0].tasks_dumped, 73);
        assert_int_equal(l.events[0].top[0].pid, 3902942);
        assert_int_equal(l.events[0].k8s.qos, K8S_QOS_NONE);
        oom_event_list_free(&l);

        /* Journal JSON: realtime and boot id of the kill record. */
        l = parse_fixture("23-gen-6.18-v1-journal-json.log");
        assert_int_equal(l.n, 1);
        assert_int_equal(l.events[0].realtime_usec, 1795628282830383ULL);
        assert_string_equal(l.events[0].boot_id, "444d68589930456ca42ab5ff0f96a437");
        oom_event_list_free(&l);

        /* dmesg --time-format=iso: the stamp has a zone, so it is an epoch time. */
        l = parse_fixture("22-gen-6.18-v1-dmesg-iso.log");
        assert_int_equal(l.n, 1);
        assert_int_equal(l.events[0].realtime_usec, 1795628282769097ULL);
        oom_event_list_free(&l);
}

/* ---- the same reports through every transport ---- */

typedef struct Collected {
        char *text;
        size_t len, cap;
        int form;
        uint64_t seq;
} Collected;

static void col_add(Collected *c, const char *s, size_t n)
{
        if (c->len + n + 1 > c->cap) {
                c->cap = (c->len + n + 1) * 2;
                c->text = realloc(c->text, c->cap);
                assert_non_null(c->text);
        }
        memcpy(c->text + c->len, s, n);
        c->len += n;
        c->text[c->len] = '\0';
}

/* Re-renders each decoded kernel line in another transport's form. */
static int rerender(const LogLine *l, void *ud)
{
        Collected *c = ud;
        char pre[128];
        uint64_t us = l->mono_usec == U64_ABSENT ? 0 : l->mono_usec;
        int n = 0;

        if (!l->kernel)
                return 0;
        switch (c->form) {
        case 0: /* dmesg */
                n = snprintf(pre, sizeof pre, "[%5llu.%06llu] ", (unsigned long long)(us / 1000000),
                             (unsigned long long)(us % 1000000));
                break;
        case 1: /* kern.log with a printk stamp */
                n = snprintf(pre, sizeof pre, "Nov 25 17:38:02 vm kernel: [%5llu.%06llu] ",
                             (unsigned long long)(us / 1000000), (unsigned long long)(us % 1000000));
                break;
        case 2: /* dmesg -T */
                n = snprintf(pre, sizeof pre, "[Wed Nov 25 17:38:02 2026] ");
                break;
        case 3: /* journalctl -o short-monotonic */
                n = snprintf(pre, sizeof pre, "[%5llu.%06llu] vm kernel: ", (unsigned long long)(us / 1000000),
                             (unsigned long long)(us % 1000000));
                break;
        case 4: { /* journalctl -o json */
                json_t *o = json_pack("{s:s%, s:s, s:s, s:s}", "MESSAGE", l->msg, l->msg_len, "_TRANSPORT",
                                      "kernel", "SYSLOG_IDENTIFIER", "kernel", "__REALTIME_TIMESTAMP", "1");
                char num[32];
                snprintf(num, sizeof num, "%llu", (unsigned long long)us);
                json_object_set_new(o, "_SOURCE_MONOTONIC_TIMESTAMP", json_string(num));
                char *s = json_dumps(o, JSON_COMPACT);
                col_add(c, s, strlen(s));
                col_add(c, "\n", 1);
                free(s);
                json_decref(o);
                return 0;
        }
        case 5: /* /dev/kmsg again, escaping backslashes and control bytes */
                n = snprintf(pre, sizeof pre, "%d,%llu,%llu,-;", l->level < 0 ? 6 : l->level,
                             (unsigned long long)c->seq++, (unsigned long long)us);
                col_add(c, pre, (size_t)n);
                for (size_t i = 0; i < l->msg_len; i++) {
                        unsigned char ch = (unsigned char)l->msg[i];
                        if (ch < 0x20 || ch >= 0x7f || ch == '\\') {
                                char esc[8];
                                snprintf(esc, sizeof esc, "\\x%02x", ch);
                                col_add(c, esc, 4);
                        } else {
                                col_add(c, l->msg + i, 1);
                        }
                }
                col_add(c, "\n", 1);
                return 0;
        }
        col_add(c, pre, (size_t)n);
        col_add(c, l->msg, l->msg_len);
        col_add(c, "\n", 1);
        return 0;
}

static void same_events(const OomEventList *a, const OomEventList *b, bool times)
{
        assert_int_equal(a->n, b->n);
        for (size_t i = 0; i < a->n; i++) {
                const OomEvent *x = &a->events[i], *y = &b->events[i];
                assert_int_equal(x->pid, y->pid);
                assert_string_equal(x->name, y->name);
                assert_int_equal(x->uid, y->uid);
                assert_int_equal(x->total_vm_kb, y->total_vm_kb);
                assert_int_equal(x->anon_rss_kb, y->anon_rss_kb);
                assert_int_equal(x->file_rss_kb, y->file_rss_kb);
                assert_int_equal(x->shmem_rss_kb, y->shmem_rss_kb);
                assert_int_equal(x->pgtables_kb, y->pgtables_kb);
                assert_int_equal(x->has_oom_score_adj, y->has_oom_score_adj);
                assert_int_equal(x->oom_score_adj, y->oom_score_adj);
                assert_string_equal(x->constraint, y->constraint);
                assert_string_equal(x->oom_memcg, y->oom_memcg);
                assert_string_equal(x->task_memcg, y->task_memcg);
                assert_string_equal(x->invoked_by, y->invoked_by);
                assert_string_equal(x->gfp_mask, y->gfp_mask);
                assert_string_equal(x->gfp_flags, y->gfp_flags);
                assert_int_equal(x->has_order, y->has_order);
                assert_int_equal(x->order, y->order);
                assert_int_equal(x->memcg_usage_kb, y->memcg_usage_kb);
                assert_int_equal(x->memcg_limit_kb, y->memcg_limit_kb);
                assert_string_equal(x->kill_prefix, y->kill_prefix);
                assert_string_equal(x->raw_line, y->raw_line);
                assert_int_equal(x->n_top, y->n_top);
                assert_int_equal(x->reap, y->reap);
                if (times)
                        assert_float_equal(x->kernel_time_s, y->kernel_time_s, 1e-6);
        }
}

static void transports_for(const char *name, size_t want_events)
{
        OomEventList ref = parse_fixture(name), other;
        char path[1024];
        size_t len;
        char *log;

        assert_int_equal(ref.n, want_events);
        snprintf(path, sizeof path, "%s/%s", OOM_FIXTURES, name);
        log = slurp(path, &len);
        assert_non_null(log);
        for (int form = 0; form <= 5; form++) {
                Collected c = { .form = form, .seq = 1 };
                LogDecoder *d = log_decoder_new();
                log_decoder_feed(d, log, len, rerender, &c);
                log_decoder_flush(d, rerender, &c);
                log_decoder_free(d);
                assert_int_equal(oom_parse_text(c.text, c.len, &other), 0);
                same_events(&ref, &other, form != 2);
                for (size_t i = 0; i < other.n; i++)
                        if (form == 2)
                                assert_true(isnan(other.events[i].kernel_time_s));
                oom_event_list_free(&other);
                free(c.text);
        }
        free(log);
        oom_event_list_free(&ref);
}

static void test_same_reports_every_transport(void **state)
{
        (void)state;
        transports_for("16-gen-6.18-v1-kmsg-full-buffer.log", 3);
        transports_for("19-gen-6.18-v1-kmsg-invoker-not-victim-evil-names.log", 2);
        transports_for("44-hand-4.4-v1-kmsg-fragments-escapes.log", 1);
        transports_for("13-arch-6.1-global-reaper.log", 1);
}

typedef struct FeedCtx {
        OomParser *p;
        OomEventList *l;
        size_t kills, reaps;
} FeedCtx;

static int feed_cb(const LogLine *line, void *ud)
{
        FeedCtx *c = ud;
        OomEvent ev;
        OomReap rp;

        switch (oom_parser_feed_line(c->p, line, &ev, &rp)) {
        case OOM_FEED_KILL:
                oom_event_list_append(c->l, &ev);
                c->kills++;
                break;
        case OOM_FEED_REAP:
                oom_event_list_apply_reap(c->l, &rp);
                c->reaps++;
                break;
        case OOM_FEED_NONE:
                break;
        }
        return 0;
}

/* A follower gets bytes in arbitrary pieces: every split gives the same
 * events as the whole buffer. */
static void test_streaming_pieces(void **state)
{
        (void)state;
        static const char *const files[] = {
                "16-gen-6.18-v1-kmsg-full-buffer.log",
                "23-gen-6.18-v1-journal-json.log",
                "43-hand-5.15-v2-oom-group-journal-json.log",
                "11-proxmox-5.15-cgroup-v2-german-dmesg-T.log",
                "44-hand-4.4-v1-kmsg-fragments-escapes.log",
                "46-hand-wrapped-vmware-talos-raw-crlf.log",
        };
        for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
                OomEventList ref = parse_fixture(files[f]);
                char path[1024];
                size_t len;
                snprintf(path, sizeof path, "%s/%s", OOM_FIXTURES, files[f]);
                char *log = slurp(path, &len);
                assert_non_null(log);
                for (size_t piece = 1; piece <= 40000; piece = piece * 5 + 2) {
                        OomEventList got;
                        FeedCtx c;
                        LogDecoder *d = log_decoder_new();
                        oom_event_list_init(&got);
                        c = (FeedCtx) { .p = oom_parser_new(), .l = &got };
                        for (size_t off = 0; off < len; off += piece) {
                                size_t n = len - off < piece ? len - off : piece;
                                assert_int_equal(log_decoder_feed(d, log + off, n, feed_cb, &c), 0);
                        }
                        assert_int_equal(log_decoder_flush(d, feed_cb, &c), 0);
                        same_events(&ref, &got, true);
                        for (size_t i = 0; i < got.n; i++)
                                assert_int_equal(got.events[i].line_no, ref.events[i].line_no);
                        log_decoder_free(d);
                        oom_parser_free(c.p);
                        oom_event_list_free(&got);
                }
                free(log);
                oom_event_list_free(&ref);
        }
}

/* ---- transport decoding ---- */

#define MAX_LINES 16

typedef struct Lines {
        size_t n;
        LogLine l[MAX_LINES];
        char msg[MAX_LINES][256];
        char wall[MAX_LINES][64];
} Lines;

static int keep_line(const LogLine *line, void *ud)
{
        Lines *ls = ud;
        if (ls->n >= MAX_LINES)
                return 0;
        ls->l[ls->n] = *line;
        snprintf(ls->msg[ls->n], sizeof ls->msg[0], "%s", line->msg);
        snprintf(ls->wall[ls->n], sizeof ls->wall[0], "%s", line->wall);
        ls->l[ls->n].msg = ls->msg[ls->n];
        ls->l[ls->n].wall = ls->wall[ls->n];
        ls->l[ls->n].boot_id = "";
        ls->n++;
        return 0;
}

static void decode(const char *text, Lines *ls)
{
        LogDecoder *d = log_decoder_new();
        memset(ls, 0, sizeof *ls);
        assert_int_equal(log_decoder_feed(d, text, strlen(text), keep_line, ls), 0);
        assert_int_equal(log_decoder_flush(d, keep_line, ls), 0);
        log_decoder_free(d);
}

static void test_decode_prefixes(void **state)
{
        (void)state;
        Lines ls;

        decode("[  400.308499] python3.11 invoked oom-killer: x\n"
               "[Di Aug 12 03:54:03 2025] memory: usage 1kB\n"
               "2026-11-25T17:38:02,769097+00:00 Call Trace:\n"
               "Apr  4 12:11:07 host kernel: [  152.701942] oom_reaper: x\n"
               "Apr  4 12:11:07 host kernel: bare after tag\n"
               "2026-11-25T17:38:02+0000 vm kernel: iso syslog\n"
               "[  489.476616] vm kernel: short-monotonic\n"
               "<3>[  812.004211] [ T9001] raw with caller\n"
               "Nov 25 17:37:43.123456 vm kernel: short-precise\n"
               "just a message\n"
               "Apr  4 12:11:07 host sshd[12]: Killed process 1 (x)\n",
               &ls);
        assert_int_equal(ls.n, 11);
        assert_int_equal(ls.l[0].format, LOG_FMT_DMESG);
        assert_int_equal(ls.l[0].mono_usec, 400308499);
        assert_string_equal(ls.l[0].msg, "python3.11 invoked oom-killer: x");
        assert_int_equal(ls.l[1].format, LOG_FMT_DMESG_CTIME);
        assert_string_equal(ls.l[1].wall, "Di Aug 12 03:54:03 2025");
        assert_int_equal(ls.l[1].mono_usec, U64_ABSENT);
        assert_string_equal(ls.l[1].msg, "memory: usage 1kB");
        assert_int_equal(ls.l[2].format, LOG_FMT_DMESG_ISO);
        assert_string_equal(ls.l[2].wall, "2026-11-25T17:38:02,769097+00:00");
        assert_int_equal(ls.l[2].realtime_usec, 1795628282769097ULL);
        assert_string_equal(ls.l[2].msg, "Call Trace:");
        assert_int_equal(ls.l[3].format, LOG_FMT_SYSLOG);
        assert_string_equal(ls.l[3].wall, "Apr  4 12:11:07");
        assert_int_equal(ls.l[3].mono_usec, 152701942);
        assert_string_equal(ls.l[3].msg, "oom_reaper: x");
        assert_int_equal(ls.l[4].mono_usec, U64_ABSENT);
        assert_string_equal(ls.l[4].msg, "bare after tag");
        assert_int_equal(ls.l[5].format, LOG_FMT_SYSLOG_ISO);
        assert_int_equal(ls.l[5].realtime_usec, 1795628282000000ULL);
        assert_string_equal(ls.l[5].msg, "iso syslog");
        assert_int_equal(ls.l[6].format, LOG_FMT_JOURNAL_MONO);
        assert_int_equal(ls.l[6].mono_usec, 489476616);
        assert_string_equal(ls.l[6].msg, "short-monotonic");
        assert_int_equal(ls.l[7].format, LOG_FMT_DMESG);
        assert_int_equal(ls.l[7].level, 3);
        assert_string_equal(ls.l[7].msg, "raw with caller");
        assert_string_equal(ls.l[8].wall, "Nov 25 17:37:43.123456");
        assert_string_equal(ls.l[8].msg, "short-precise");
        assert_int_equal(ls.l[9].format, LOG_FMT_BARE);
        assert_true(ls.l[9].kernel);
        assert_string_equal(ls.l[9].msg, "just a message");
        assert_false(ls.l[10].kernel);
        for (size_t i = 0; i < ls.n; i++)
                assert_int_equal(ls.l[i].line_no, i + 1);
}

static void test_decode_more_forms(void **state)
{
        (void)state;
        Lines ls;

        decode("kern  :warn  : [  400.308499] python3.11 invoked oom-killer: x\n"
               "user  :notice: [  401.000000] Killed process 1 (fake) total-vm:1kB\n"
               "kern  :err   : [Wed Nov 25 17:38:02 2026] dmesg -x -T\n"
               "Wed 2026-11-25 17:38:02 UTC vm kernel: short-full\n"
               "1795628282.829358 vm kernel: short-unix\n"
               "[Nov25 17:38] reltime first\n"
               "[  +0.000010] delta next\n"
               "[mem 0x0000000000000000-0x000000000009fbff] usable\n"
               "auth: not a facility prefix\n",
               &ls);
        assert_int_equal(ls.n, 9);
        assert_true(ls.l[0].kernel);
        assert_int_equal(ls.l[0].mono_usec, 400308499);
        assert_string_equal(ls.l[0].msg, "python3.11 invoked oom-killer: x");
        assert_false(ls.l[1].kernel);
        assert_int_equal(ls.l[2].format, LOG_FMT_DMESG_CTIME);
        assert_string_equal(ls.l[2].msg, "dmesg -x -T");
        assert_int_equal(ls.l[3].format, LOG_FMT_SYSLOG);
        assert_string_equal(ls.l[3].wall, "Wed 2026-11-25 17:38:02 UTC");
        assert_string_equal(ls.l[3].msg, "short-full");
        assert_int_equal(ls.l[4].realtime_usec, 1795628282829358ULL);
        assert_string_equal(ls.l[4].msg, "short-unix");
        assert_string_equal(ls.l[5].wall, "Nov25 17:38");
        assert_string_equal(ls.l[5].msg, "reltime first");
        assert_int_equal(ls.l[6].mono_usec, U64_ABSENT);
        assert_string_equal(ls.l[6].msg, "delta next");
        assert_int_equal(ls.l[7].format, LOG_FMT_BARE);
        assert_string_equal(ls.l[7].msg, "[mem 0x0000000000000000-0x000000000009fbff] usable");
        assert_string_equal(ls.l[8].msg, "auth: not a facility prefix");
        assert_true(ls.l[8].kernel);
}

static void test_decode_kmsg(void **state)
{
        (void)state;
        Lines ls;

        decode("6,339,471048,-;runner.slice (1): drop_caches: 10\n"
               "5,340,1274295,-,caller=T12;virtio_blk virtio1: new size\n"
               " SUBSYSTEM=virtio\n"
               " DEVICE=+virtio:virtio1\n"
               "4,286,419382,-;amd_pstate: first\\x0aPlease enable it\n"
               "6,90,242680,-;rcu: \\x09RCU \\x5cx41 \\xZZ \\x4\n"
               "14,91,242681,-;user space via /dev/kmsg\n"
               "6,92,242682,c;Task in \n"
               "6,93,242683,+;/mem2\n"
               " SUBSYSTEM=x\n"
               "6,94,242684,+; killed as a result of limit of /mem2\n"
               "6,95,242685,-;after\n",
               &ls);
        assert_int_equal(ls.n, 8);
        assert_int_equal(ls.l[0].format, LOG_FMT_KMSG);
        assert_int_equal(ls.l[0].seq, 339);
        assert_int_equal(ls.l[0].mono_usec, 471048);
        assert_int_equal(ls.l[0].level, 6);
        assert_string_equal(ls.l[1].msg, "virtio_blk virtio1: new size");
        assert_string_equal(ls.l[2].msg, "amd_pstate: first");
        assert_false(ls.l[2].continuation);
        assert_string_equal(ls.l[3].msg, "Please enable it");
        assert_true(ls.l[3].continuation);
        assert_int_equal(ls.l[3].mono_usec, 419382);
        assert_string_equal(ls.l[4].msg, "rcu: \tRCU \\x41 \\xZZ \\x4");
        assert_false(ls.l[5].kernel);
        assert_string_equal(ls.l[6].msg, "Task in /mem2 killed as a result of limit of /mem2");
        assert_int_equal(ls.l[6].seq, 92);
        assert_string_equal(ls.l[7].msg, "after");

        char out[16];
        assert_int_equal(kmsg_unescape("a\\x41\\x", 7, out, sizeof out), 4);
        assert_string_equal(out, "aA\\x");
        assert_int_equal(kmsg_unescape("abcdef", 6, out, 4), 3);
        assert_string_equal(out, "abc");
        assert_int_equal(kmsg_unescape("abc", 3, out, 0), 0);
}

static void test_decode_journal_json(void **state)
{
        (void)state;
        Lines ls;

        decode("{\"MESSAGE\":\"one\\ntwo\",\"_TRANSPORT\":\"kernel\",\"PRIORITY\":\"3\","
               "\"_SOURCE_MONOTONIC_TIMESTAMP\":\"556768555\",\"__MONOTONIC_TIMESTAMP\":\"556772931\","
               "\"__REALTIME_TIMESTAMP\":\"1795628282829358\",\"_BOOT_ID\":\"444d\"}\n"
               "{\"MESSAGE\":[104,105,246],\"__MONOTONIC_TIMESTAMP\":\"7\"}\n"
               "{\"MESSAGE\":\"from a service\",\"_TRANSPORT\":\"stdout\"}\n"
               "{\"MESSAGE\":null}\n"
               "{\"MESSAGE\":[300,-1,\"x\",65]}\n"
               "{not json at all\n"
               "[1,2]\n",
               &ls);
        assert_int_equal(ls.n, 7);
        assert_int_equal(ls.l[0].format, LOG_FMT_JOURNAL_JSON);
        assert_string_equal(ls.l[0].msg, "one");
        assert_int_equal(ls.l[0].mono_usec, 556768555);
        assert_int_equal(ls.l[0].realtime_usec, 1795628282829358ULL);
        assert_string_equal(ls.l[0].wall, "1795628282829358");
        assert_int_equal(ls.l[0].level, 3);
        assert_string_equal(ls.l[1].msg, "two");
        assert_true(ls.l[1].continuation);
        /* byte array (not UTF-8), and __MONOTONIC_TIMESTAMP as the fallback clock */
        assert_memory_equal(ls.l[2].msg, "hi\xf6", 4);
        assert_int_equal(ls.l[2].mono_usec, 7);
        assert_false(ls.l[3].kernel);
        assert_string_equal(ls.l[4].msg, "??\?A");
        /* not JSON objects: text */
        assert_int_equal(ls.l[5].format, LOG_FMT_BARE);
        assert_string_equal(ls.l[5].msg, "{not json at all");
        assert_int_equal(ls.l[6].format, LOG_FMT_BARE);
}

static void test_decode_continuations(void **state)
{
        (void)state;
        Lines ls;

        /* dmesg prints a multi-line record's later lines indented, without a stamp. */
        decode("[ 1.500000] Mem-Info:\n"
               "[ 1.500001] active_anon:1 inactive_anon:2\n"
               "             active_file:3\n"
               "\tunevictable:4\n"
               "bare again\n"
               " indented bare\n",
               &ls);
        assert_int_equal(ls.n, 6);
        assert_true(ls.l[2].continuation);
        assert_int_equal(ls.l[2].mono_usec, 1500001);
        assert_string_equal(ls.l[2].msg, "active_file:3");
        assert_true(ls.l[3].continuation);
        assert_false(ls.l[4].continuation);
        assert_false(ls.l[5].continuation);
        assert_string_equal(ls.l[5].msg, " indented bare");

        /* Without a final newline the last line still comes out at the flush. */
        decode("[ 2.000000] no newline", &ls);
        assert_int_equal(ls.n, 1);
        assert_string_equal(ls.l[0].msg, "no newline");
}

static void test_iso8601(void **state)
{
        (void)state;
        uint64_t us;
        assert_int_equal(iso8601_parse_prefix("2026-11-25T17:38:02,769097+00:00 x", 34, &us), 32);
        assert_int_equal(us, 1795628282769097ULL);
        assert_int_equal(iso8601_parse_prefix("2026-11-25T18:38:02.769097+0100", 31, &us), 31);
        assert_int_equal(us, 1795628282769097ULL);
        assert_int_equal(iso8601_parse_prefix("2024-05-06T10:11:12.345678901Z]", 31, &us), 30);
        assert_int_equal(us, 1714990272345678ULL);
        assert_int_equal(iso8601_parse_prefix("1970-01-01T00:00:00Z", 20, &us), 20);
        assert_int_equal(us, 0);
        assert_int_equal(iso8601_parse_prefix("2026-11-25T17:38:02 no zone", 27, &us), 19);
        assert_int_equal(us, U64_ABSENT);
        assert_int_equal(iso8601_parse_prefix("2026-13-25T17:38:02Z", 20, &us), 0);
        assert_int_equal(iso8601_parse_prefix("2026-11-25T17:38", 16, &us), 0);
        assert_int_equal(iso8601_parse_prefix("2026-11-25T17:38:02+01", 22, &us), 0);
        assert_int_equal(iso8601_parse_prefix("", 0, &us), 0);
        assert_string_equal(log_format_name(LOG_FMT_KMSG), "kmsg");
        assert_string_equal(log_format_name((LogFormat)99), "unknown");
}

/* ---- report assembly ---- */

static void test_kill_line_variants(void **state)
{
        (void)state;
        OomEventList l;
        const OomEvent *e;

        /* 2.6.1x-2.6.2x: chooser with capital M, kill line without figures */
        assert_int_equal(parse_str("Out of Memory: Kill process 812 (httpd) score 5210 and children.\n"
                                   "Out of memory: Killed process 812 (httpd).\n",
                                   &l),
                         1);
        e = &l.events[0];
        assert_int_equal(e->pid, 812);
        assert_string_equal(e->name, "httpd");
        assert_int_equal(e->chosen_pid, 812);
        assert_string_equal(e->kill_prefix, "Out of memory");
        assert_int_equal(e->total_vm_kb, U64_ABSENT);
        oom_event_list_free(&l);

        /* names: ") (", quotes, "), UID " inside, leading '(' */
        assert_int_equal(parse_str("Killed process 1 (a) (b) total-vm:1kB, anon-rss:2kB, file-rss:3kB\n"
                                   "Killed process 2 (\"q\" 'x') total-vm:1kB, anon-rss:2kB, file-rss:3kB\n"
                                   "Killed process 3 ((sd-pam)) total-vm:8kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n"
                                   "Killed process 4 (x), UID 7, total-vm:5kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n"
                                   "Killed process 5 () total-vm:5kB, anon-rss:1kB, file-rss:0kB\n",
                                   &l),
                         5);
        assert_string_equal(l.events[0].name, "a) (b");
        assert_string_equal(l.events[1].name, "\"q\" 'x'");
        assert_string_equal(l.events[2].name, "(sd-pam)");
        assert_string_equal(l.events[3].name, "x");
        assert_int_equal(l.events[3].uid, 7);
        assert_int_equal(l.events[3].total_vm_kb, 5);
        assert_string_equal(l.events[4].name, "");
        assert_int_equal(l.events[4].total_vm_kb, 5);
        oom_event_list_free(&l);

        /* cut anywhere: pid survives, cut numbers do not */
        assert_int_equal(parse_str("Killed process 42\n"
                                   "Killed process 43 (ab\xe2\x80\xa6\n"
                                   "Killed process 44 (x) total-vm:12\n"
                                   "Killed process 45 (x) total-vm:12kB, anon-rss:9k\n"
                                   "Out of memory: Killed process 46 (x) total-vm:1kB, anon-rss:1kB, file-rss:1kB, shmem-rss:1kB, UID:10>\n"
                                   "Killed process 47 (x) total-vm:1kB, anon-rss:2kB, file-rss:3kB, shmem-rss:4kB, UID:5 pgtables:6kB oom_score_adj:-100",
                                   &l),
                         6);
        assert_int_equal(l.events[0].pid, 42);
        assert_string_equal(l.events[0].name, "");
        assert_string_equal(l.events[1].name, "ab");
        assert_int_equal(l.events[2].total_vm_kb, U64_ABSENT);
        assert_int_equal(l.events[3].total_vm_kb, 12);
        assert_int_equal(l.events[3].anon_rss_kb, U64_ABSENT);
        assert_int_equal(l.events[4].shmem_rss_kb, 1);
        assert_int_equal(l.events[4].uid, U64_ABSENT);
        assert_true(l.events[5].has_oom_score_adj);
        assert_int_equal(l.events[5].oom_score_adj, -100);
        assert_int_equal(l.events[5].pgtables_kb, 6);
        assert_int_equal(l.events[5].uid, 5);
        oom_event_list_free(&l);

        /* numbers: 2^64 and beyond are absent, not wrapped; uid above 32 bits too */
        assert_int_equal(parse_str("Killed process 18446744073709551616 (x) total-vm:1kB\n"
                                   "Killed process 9 (x) total-vm:18446744073709551616kB, anon-rss:18446744073709551615kB, "
                                   "file-rss:99999999999999999999kB, shmem-rss:-1kB, UID:4294967296 pgtables:1kB oom_score_adj:99999999999\n"
                                   "Killed process 10 (y) total-vm:1kB, anon-rss:1kB, file-rss:1kB, shmem-rss:1kB, UID:4294967294 pgtables:1kB oom_score_adj:1000\n",
                                   &l),
                         2);
        e = &l.events[0];
        assert_int_equal(e->pid, 9);
        assert_int_equal(e->total_vm_kb, U64_ABSENT);
        assert_int_equal(e->anon_rss_kb, U64_ABSENT); /* UINT64_MAX is the absent value itself */
        assert_int_equal(e->file_rss_kb, U64_ABSENT);
        assert_int_equal(e->shmem_rss_kb, U64_ABSENT);
        assert_int_equal(e->uid, U64_ABSENT);
        assert_false(e->has_oom_score_adj);
        assert_int_equal(l.events[1].uid, 4294967294ULL);
        oom_event_list_free(&l);

        /* not kills */
        assert_int_equal(parse_str("Kill process 1 (x) sharing same memory\n"
                                   "Memory cgroup out of memory: Kill process 2 (y) score 3 or sacrifice child\n"
                                   "oom_reaper: reaped process 3 (z), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n"
                                   "Killed process x (y)\n"
                                   "python3: vmalloc: allocation failure, Killed processing\n",
                                   &l),
                         0);
        oom_event_list_free(&l);
}

static void test_header_variants(void **state)
{
        (void)state;
        OomEventList l;
        const OomEvent *e;

        assert_int_equal(parse_str("java invoked oom-killer: gfp_mask=0x14000c0(GFP_KERNEL), nodemask=(null),  order=3, oom_score_adj=-998\n"
                                   "Killed process 1 (java) total-vm:1kB\n"
                                   "sed invoked OOM-killer: gfp_mask=0x201da, order=0, oom_adj=0, oom_score_adj=15\n"
                                   "Killed process 2 (sed) total-vm:1kB\n"
                                   "old invoked oom-killer: gfp_mask=0x201d2, order=0, oomkilladj=-17\n"
                                   "Killed process 3 (old) total-vm:1kB\n"
                                   "x invoked oom-killer: y invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=-1, oom_score_adj=0\n"
                                   "Killed process 4 (z) total-vm:1kB\n"
                                   "cut invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOV>\n"
                                   "Killed process 5 (z) total-vm:1kB\n",
                                   &l),
                         5);
        e = &l.events[0];
        assert_string_equal(e->invoked_by, "java");
        assert_string_equal(e->gfp_mask, "0x14000c0");
        assert_string_equal(e->gfp_flags, "GFP_KERNEL");
        assert_true(e->has_order);
        assert_int_equal(e->order, 3);
        assert_int_equal(e->invoker_oom_score_adj, -998);
        e = &l.events[1];
        assert_string_equal(e->invoked_by, "sed");
        assert_string_equal(e->gfp_flags, "");
        assert_int_equal(e->invoker_oom_score_adj, 15);
        assert_int_equal(l.events[2].invoker_oom_score_adj, -17);
        /* the name runs to the last " invoked oom-killer:" */
        assert_string_equal(l.events[3].invoked_by, "x invoked oom-killer: y");
        assert_int_equal(l.events[3].order, -1);
        assert_string_equal(l.events[4].gfp_mask, "0x100cca");
        assert_string_equal(l.events[4].gfp_flags, "");
        assert_false(l.events[4].has_order);
        oom_event_list_free(&l);
}

static void test_summary_variants(void **state)
{
        (void)state;
        OomEventList l;

        /* 4.19/5.0 padded pid/uid; a negative uid (printed %d); task= and ,pid= in the name */
        assert_int_equal(parse_str("oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/a,task_memcg=/a/b,task=x,pid=  123,uid=   -2\n"
                                   "Memory cgroup out of memory: Killed process 123 (x) total-vm:1kB\n"
                                   "oom-kill:constraint=CONSTRAINT_NONE,nodemask=0-1,cpuset=/,mems_allowed=0-1,global_oom,task_memcg=/s,task=a,pid=1,task=b,pid=77,uid=5\n"
                                   "Out of memory: Killed process 77 (a,pid=1,task=b) total-vm:1kB\n"
                                   "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/p,task_memcg=/p/c,task=x,pid=500,uid=0\n"
                                   "Memory cgroup out of memory: Killed process 501 (y) total-vm:1kB\n"
                                   "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/q,task_memcg=/q/very/lo\n"
                                   "Memory cgroup out of memory: Killed process 9 (y) total-vm:1kB\n",
                                   &l),
                         4);
        assert_string_equal(l.events[0].constraint, "CONSTRAINT_MEMCG");
        assert_string_equal(l.events[0].oom_memcg, "/a");
        assert_string_equal(l.events[0].task_memcg, "/a/b");
        assert_int_equal(l.events[0].uid, 4294967294ULL);
        assert_true(l.events[1].global_oom);
        assert_string_equal(l.events[1].oom_memcg, "");
        assert_string_equal(l.events[1].task_memcg, "/s");
        assert_int_equal(l.events[1].uid, 5);
        /* pid mismatch: the summary is about another task */
        assert_string_equal(l.events[2].constraint, "");
        assert_string_equal(l.events[2].oom_memcg, "");
        assert_int_equal(l.events[2].uid, U64_ABSENT);
        /* cut before pid=: used, but only what is complete */
        assert_string_equal(l.events[3].constraint, "CONSTRAINT_MEMCG");
        assert_string_equal(l.events[3].oom_memcg, "/q");
        assert_string_equal(l.events[3].task_memcg, "");
        oom_event_list_free(&l);
}

static void test_report_boundaries(void **state)
{
        (void)state;
        OomEventList l;

        /* A header without a kill yields nothing and lends nothing. */
        assert_int_equal(parse_str("a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
                                   "memory: usage 10kB, limit 10kB, failcnt 1\n",
                                   &l),
                         0);
        oom_event_list_free(&l);

        /* Report 1 with a kill, then a rate-limited kill: no inheritance. A
         * header followed by "already exiting" ends without a kill, and the
         * next headerless kill gets nothing from it either. */
        assert_int_equal(parse_str("a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
                                   "memory: usage 10kB, limit 10kB, failcnt 1\n"
                                   "memory+swap: usage 20kB, limit 30kB, failcnt 1\n"
                                   "Memory cgroup out of memory: Killed process 1 (a) total-vm:1kB\n"
                                   "Memory cgroup out of memory: Killed process 2 (b) total-vm:1kB\n"
                                   "c invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
                                   "memory: usage 50kB, limit 50kB, failcnt 1\n"
                                   "Memory cgroup out of memory: OOM victim 3 (c) is already exiting. Skip killing the task\n"
                                   "Memory cgroup out of memory: Killed process 4 (d) total-vm:1kB\n"
                                   "e invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
                                   "Out of memory and no killable processes...\n"
                                   "Killed process 5 (f) total-vm:1kB\n"
                                   "g invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
                                   "oom_kill_process: 5 callbacks suppressed\n"
                                   "Killed process 6 (h) total-vm:1kB\n",
                                   &l),
                         5);
        assert_string_equal(l.events[0].invoked_by, "a");
        assert_int_equal(l.events[0].memcg_usage_kb, 10);
        assert_int_equal(l.events[0].memcg_limit_kb, 10);
        for (size_t i = 1; i < 5; i++) {
                assert_string_equal(l.events[i].invoked_by, "");
                assert_int_equal(l.events[i].memcg_usage_kb, U64_ABSENT);
                assert_false(l.events[i].has_order);
        }
        oom_event_list_free(&l);

        /* Interleaved headers: the later header owns the kill. A memcg block
         * without its header (excerpt starts mid-report) still belongs to
         * the kill that follows. */
        assert_int_equal(parse_str("a invoked oom-killer: gfp_mask=0x1, order=1, oom_score_adj=0\n"
                                   "memory: usage 1kB, limit 1kB, failcnt 1\n"
                                   "b invoked oom-killer: gfp_mask=0x2, order=2, oom_score_adj=0\n"
                                   "Killed process 7 (b) total-vm:1kB\n"
                                   "Task in /x killed as a result of limit of /y\n"
                                   "memory: usage 9kB, limit 8kB, failcnt 1\n"
                                   "Killed process 8 (c) total-vm:1kB\n",
                                   &l),
                         2);
        assert_string_equal(l.events[0].invoked_by, "b");
        assert_string_equal(l.events[0].gfp_mask, "0x2");
        assert_int_equal(l.events[0].memcg_usage_kb, U64_ABSENT);
        assert_string_equal(l.events[1].invoked_by, "");
        assert_string_equal(l.events[1].task_memcg, "/x");
        assert_string_equal(l.events[1].oom_memcg, "/y");
        assert_int_equal(l.events[1].memcg_usage_kb, 9);
        assert_int_equal(l.events[1].memcg_limit_kb, 8);
        oom_event_list_free(&l);

        /* memory.oom.group: the group's kills share the report, a later
         * context line or kill outside the window starts a new one. */
        assert_int_equal(parse_str("[ 10.000000] a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
                                   "[ 10.000001] memory: usage 5kB, limit 5kB, failcnt 1\n"
                                   "[ 10.000002] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/g,task_memcg=/g,task=a,pid=1,uid=0\n"
                                   "[ 10.000003] Memory cgroup out of memory: Killed process 1 (a) total-vm:1kB\n"
                                   "[ 10.000004] Tasks in /g are going to be killed due to memory.oom.group set\n"
                                   "[ 10.000005] oom_reaper: reaped process 1 (a), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n"
                                   "[ 10.000006] Memory cgroup out of memory: Killed process 2 (b) total-vm:1kB\n"
                                   "[ 12.000000] Memory cgroup out of memory: Killed process 3 (c) total-vm:1kB\n",
                                   &l),
                         3);
        assert_string_equal(l.events[0].oom_memcg, "/g");
        assert_int_equal(l.events[0].reap, OOM_REAP_DONE);
        assert_string_equal(l.events[1].invoked_by, "a");
        assert_int_equal(l.events[1].memcg_usage_kb, 5);
        assert_string_equal(l.events[1].oom_memcg, "");
        assert_string_equal(l.events[2].invoked_by, "");
        assert_int_equal(l.events[2].memcg_usage_kb, U64_ABSENT);
        oom_event_list_free(&l);
}

static void test_reaper(void **state)
{
        (void)state;
        OomEventList l;
        OomParser *p = oom_parser_new();
        LogLine line = { .kernel = true, .level = -1, .seq = U64_ABSENT, .mono_usec = 5000000,
                         .realtime_usec = U64_ABSENT, .wall = "", .boot_id = "" };
        OomEvent ev;
        OomReap rp;

        /* Incremental API: the kill line completes the event at once; the
         * reaper comes on its own. NULL outputs are allowed. */
        line.msg = "Out of memory: Killed process 77 (my app) total-vm:10kB, anon-rss:5kB, file-rss:1kB, shmem-rss:0kB";
        line.msg_len = strlen(line.msg);
        assert_int_equal(oom_parser_feed_line(p, &line, &ev, NULL), OOM_FEED_KILL);
        assert_int_equal(ev.pid, 77);
        assert_float_equal(ev.kernel_time_s, 5.0, 1e-9);
        line.msg = "oom_reaper: reaped process 77 (my app), now anon-rss:0kB, file-rss:0kB, shmem-rss:12kB";
        line.msg_len = strlen(line.msg);
        assert_int_equal(oom_parser_feed_line(p, &line, NULL, &rp), OOM_FEED_REAP);
        assert_int_equal(rp.state, OOM_REAP_DONE);
        assert_int_equal(rp.pid, 77);
        assert_string_equal(rp.name, "my app");
        assert_int_equal(rp.shmem_rss_kb, 12);
        line.msg = "oom_reaper: unable to reap pid:78 (x (y))";
        line.msg_len = strlen(line.msg);
        assert_int_equal(oom_parser_feed_line(p, &line, NULL, &rp), OOM_FEED_REAP);
        assert_int_equal(rp.state, OOM_REAP_FAILED);
        assert_string_equal(rp.name, "x (y)");
        assert_int_equal(rp.anon_rss_kb, U64_ABSENT);
        line.msg = "oom_reaper: something else";
        line.msg_len = strlen(line.msg);
        assert_int_equal(oom_parser_feed_line(p, &line, &ev, &rp), OOM_FEED_NONE);
        line.kernel = false;
        line.msg = "Out of memory: Killed process 79 (z) total-vm:1kB";
        assert_int_equal(oom_parser_feed_line(p, &line, &ev, &rp), OOM_FEED_NONE);
        assert_int_equal(oom_parser_feed_line(NULL, &line, &ev, &rp), OOM_FEED_NONE);
        assert_int_equal(oom_parser_feed_line(p, NULL, &ev, &rp), OOM_FEED_NONE);
        oom_parser_free(p);
        oom_parser_free(NULL);

        /* Whole text: the reaper result goes to the newest kill of its pid. */
        assert_int_equal(parse_str("Killed process 5 (a) total-vm:1kB\n"
                                   "Killed process 5 (a) total-vm:2kB\n"
                                   "oom_reaper: reaped process 5 (a), now anon-rss:3kB, file-rss:0kB, shmem-rss:0kB\n"
                                   "oom_reaper: unable to reap pid:5 (a)\n"
                                   "oom_reaper: unable to reap pid:5 (a)\n"
                                   "oom_reaper: reaped process 6 (b), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n",
                                   &l),
                         2);
        assert_int_equal(l.events[1].reap, OOM_REAP_DONE);
        assert_int_equal(l.events[1].reaped_anon_rss_kb, 3);
        assert_int_equal(l.events[0].reap, OOM_REAP_FAILED);
        oom_event_list_free(&l);
}

static void test_task_dump(void **state)
{
        (void)state;
        OomEventList l;
        const OomEvent *e;

        /* 3.x layout, 7 rows (top 5 kept, ties keep the first), names with
         * spaces, a negative uid, a row before the header, malformed rows. */
        assert_int_equal(parse_str("[  99]     0    99     100     999999       1        0             0 before header\n"
                                   "[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name\n"
                                   "[  1]     0     1     100       10       1        0             0 init\n"
                                   "[  2]    -2     2     100       50       1        0          -100 my  app \n"
                                   "[  3]     0     3     100       50       1        0             0 tie\n"
                                   "[  4]     0     4     100       70       1        0             0 x\n"
                                   "[  5]     0     5     100        5       1        0             0 small\n"
                                   "[  6]     0     6     100       60       1        0             0 y\n"
                                   "[  7]     0     7     100       80       1        0             0\n"
                                   "[  8]     0     8     100\n"
                                   "[  9]     0     9     100      -80       1        0             0 neg\n"
                                   "[ 10]     0    10     100 18446744073709551616 1  0             0 big\n"
                                   "Killed process 4 (x) total-vm:1kB\n",
                                   &l),
                         1);
        e = &l.events[0];
        assert_int_equal(e->tasks_dumped, 7);
        assert_int_equal(e->n_top, 5);
        assert_int_equal(e->top[0].pid, 7);
        assert_string_equal(e->top[0].name, "");
        assert_int_equal(e->top[1].pid, 4);
        assert_int_equal(e->top[2].pid, 6);
        assert_int_equal(e->top[3].pid, 2);
        assert_string_equal(e->top[3].name, "my  app");
        assert_int_equal(e->top[3].uid, 4294967294ULL);
        assert_int_equal(e->top[4].pid, 3);
        oom_event_list_free(&l);

        /* a header without rss, and a header without name: not a table */
        assert_int_equal(parse_str("[ pid ]   uid  tgid total_vm name\n"
                                   "[  1]     0     1     100 init\n"
                                   "[ pid ]   uid  tgid total_vm rss\n"
                                   "[  1]     0     1     100 5 init\n"
                                   "Killed process 1 (init)\n",
                                   &l),
                         1);
        assert_int_equal(l.events[0].n_top, 0);
        oom_event_list_free(&l);
}

static void test_k8s_paths(void **state)
{
        (void)state;
        K8sContext k;
        const char *cid = "57311a58f06296750616ce65a2c1ef677393b39951301b01eeb0d6ff5da822d1";
        char path[512];

        /* cgroupfs driver, v1 and v2 look alike */
        snprintf(path, sizeof path, "/kubepods/burstable/pod95387fa4-da9c-11e7-9d36-5254b24cbf5e/%s", cid);
        assert_int_equal(oom_k8s_from_cgroup(path, &k), 0);
        assert_int_equal(k.qos, K8S_QOS_BURSTABLE);
        assert_string_equal(k.pod_uid, "95387fa4-da9c-11e7-9d36-5254b24cbf5e");
        assert_string_equal(k.container_id, cid);
        assert_string_equal(k.runtime, "");
        snprintf(path, sizeof path, "/kubepods/pod95387fa4-da9c-11e7-9d36-5254b24cbf5e/%s", cid);
        assert_int_equal(oom_k8s_from_cgroup(path, &k), 0);
        assert_int_equal(k.qos, K8S_QOS_GUARANTEED);
        snprintf(path, sizeof path, "/kubepods/besteffort/pod95387fa4-da9c-11e7-9d36-5254b24cbf5e/crio-%s", cid);
        assert_int_equal(oom_k8s_from_cgroup(path, &k), 0);
        assert_int_equal(k.qos, K8S_QOS_BESTEFFORT);
        assert_string_equal(k.container_id, cid);
        assert_string_equal(k.runtime, "crio");
        /* pod level only */
        assert_int_equal(oom_k8s_from_cgroup("/kubepods/burstable/pod95387fa4-da9c-11e7-9d36-5254b24cbf5e", &k), 0);
        assert_string_equal(k.container_id, "");
        /* kind: nested in a node container, custom cgroup root */
        snprintf(path, sizeof path, "/docker/%s/kubelet/kubepods/besteffort/pod6f4b1a9e2c2e4f3b9a8c7d6e5f4a3b2c/%s", cid, cid);
        assert_int_equal(oom_k8s_from_cgroup(path, &k), 0);
        assert_string_equal(k.pod_uid, "6f4b1a9e2c2e4f3b9a8c7d6e5f4a3b2c"); /* static pod: md5 hex */

        /* systemd driver */
        snprintf(path, sizeof path, "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0330b2c1_a15b_4cdd_b5e5_72d4a90bee82.slice/cri-containerd-%s.scope", cid);
        assert_int_equal(oom_k8s_from_cgroup(path, &k), 0);
        assert_int_equal(k.qos, K8S_QOS_BURSTABLE);
        assert_string_equal(k.pod_uid, "0330b2c1-a15b-4cdd-b5e5-72d4a90bee82");
        assert_string_equal(k.container_id, cid);
        assert_string_equal(k.runtime, "containerd");
        snprintf(path, sizeof path, "/kubepods.slice/kubepods-pod0330b2c1_a15b_4cdd_b5e5_72d4a90bee82.slice/docker-%s.scope", cid);
        assert_int_equal(oom_k8s_from_cgroup(path, &k), 0);
        assert_int_equal(k.qos, K8S_QOS_GUARANTEED);
        assert_string_equal(k.runtime, "docker");
        snprintf(path, sizeof path, "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0330b2c1_a15b_4cdd_b5e5_72d4a90bee82.slice/crio-%s.scope", cid);
        assert_int_equal(oom_k8s_from_cgroup(path, &k), 0);
        assert_int_equal(k.qos, K8S_QOS_BESTEFFORT);
        assert_string_equal(k.runtime, "crio");
        /* the runtime monitor's scope is not the container */
        snprintf(path, sizeof path, "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0330b2c1_a15b_4cdd_b5e5_72d4a90bee82.slice/crio-conmon-%s.scope", cid);
        assert_int_equal(oom_k8s_from_cgroup(path, &k), 0);
        assert_string_equal(k.container_id, "");
        snprintf(path, sizeof path, "/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-burstable.slice/kubelet-kubepods-burstable-pod0330b2c1_a15b_4cdd_b5e5_72d4a90bee82.slice/cri-containerd-%s.scope", cid);
        assert_int_equal(oom_k8s_from_cgroup(path, &k), 0);
        assert_int_equal(k.qos, K8S_QOS_BURSTABLE);

        /* not kubelet-shaped */
        static const char *const not_k8s[] = {
                "", "/", "/user.slice/user-1000.slice/session-2.scope", "/lxc/39004/ns/system.slice/docker-a59e.scope",
                "/system.slice/docker-57311a58f06296750616ce65a2c1ef677393b39951301b01eeb0d6ff5da822d1.scope",
                "/kubepods", "/kubepods/burstable", "/kubepods/burstable/podnot-a-uid/abc",
                "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podxyz.slice/x.scope",
                "/other/pod95387fa4-da9c-11e7-9d36-5254b24cbf5e/abc",
                "/kubepods/burstable/pod95387fa4-da9c-11e7-9d36-5254b24cbf5e-toolong-0000/abc",
        };
        for (size_t i = 0; i < sizeof not_k8s / sizeof not_k8s[0]; i++) {
                memset(&k, 0x55, sizeof k);
                assert_int_equal(oom_k8s_from_cgroup(not_k8s[i], &k), -ENOENT);
                assert_int_equal(k.qos, K8S_QOS_NONE);
                assert_string_equal(k.pod_uid, "");
        }
        assert_int_equal(oom_k8s_from_cgroup(NULL, &k), -ENOENT);
        /* a bad container component leaves the pod */
        assert_int_equal(oom_k8s_from_cgroup("/kubepods/pod95387fa4-da9c-11e7-9d36-5254b24cbf5e/not hex!", &k), 0);
        assert_string_equal(k.container_id, "");
        assert_string_equal(k8s_qos_name(K8S_QOS_GUARANTEED), "guaranteed");
        assert_null(k8s_qos_name(K8S_QOS_NONE));
}

static void test_list_and_dedup(void **state)
{
        (void)state;
        OomEventList l;
        OomEvent a, b;

        oom_event_list_init(&l);
        oom_event_init(&a);
        for (uint64_t i = 0; i < OOM_EVENTS_MAX + 10; i++) {
                a.pid = i;
                oom_event_list_append(&l, &a);
        }
        assert_true(l.n <= OOM_EVENTS_MAX);
        assert_int_equal(l.n + l.dropped, OOM_EVENTS_MAX + 10);
        assert_int_equal(l.events[l.n - 1].pid, OOM_EVENTS_MAX + 9);
        assert_int_equal(l.events[0].pid, l.dropped);
        oom_event_list_free(&l);
        oom_event_list_free(NULL);

        oom_event_init(&a);
        oom_event_init(&b);
        a.pid = b.pid = 5;
        a.kernel_time_s = 400.309139;
        b.kernel_time_s = 400.309139;
        assert_true(oom_event_same_kill(&a, &b));
        snprintf(a.boot_id, sizeof a.boot_id, "aaaa");
        snprintf(b.boot_id, sizeof b.boot_id, "bbbb");
        assert_false(oom_event_same_kill(&a, &b));
        b.boot_id[0] = '\0';
        assert_true(oom_event_same_kill(&a, &b));
        b.kernel_time_s = 400.309141;
        assert_false(oom_event_same_kill(&a, &b));
        b.kernel_time_s = NAN;
        assert_true(oom_event_same_kill(&a, &b)); /* same name and figures */
        b.total_vm_kb = 1;
        assert_false(oom_event_same_kill(&a, &b));
        b.pid = 6;
        assert_false(oom_event_same_kill(&a, &b));

        /* kmsg and journal copies of the same kills */
        OomEventList k = parse_fixture("16-gen-6.18-v1-kmsg-full-buffer.log");
        OomEventList j = parse_fixture("23-gen-6.18-v1-journal-json.log");
        assert_false(oom_event_same_kill(&k.events[2], &j.events[0]));
        assert_true(oom_event_same_kill(&k.events[2], &k.events[2]));
        oom_event_list_free(&k);
        oom_event_list_free(&j);

        /* append over several inputs */
        oom_event_list_init(&l);
        assert_int_equal(oom_parse_text_append("Killed process 1 (a)\n", 21, &l), 0);
        assert_int_equal(oom_parse_text_append("Killed process 2 (b)\n", 21, &l), 0);
        assert_int_equal(l.n, 2);
        oom_event_list_free(&l);
}

/* ---- hostile input ---- */

static void test_hostile_inputs(void **state)
{
        (void)state;
        OomEventList l;

        assert_int_equal(oom_parse_text(NULL, 5, &l), -EINVAL);
        assert_int_equal(oom_parse_text("x", 1, NULL), -EINVAL);
        assert_int_equal(oom_parse_text(NULL, 0, &l), 0);
        assert_int_equal(l.n, 0);
        oom_event_list_free(&l);
        assert_int_equal(oom_parse_text("", 0, &l), 0);
        assert_int_equal(l.n, 0);
        oom_event_list_free(&l);
        assert_int_equal(log_decoder_feed(NULL, "x", 1, keep_line, NULL), -EINVAL);

        /* Embedded NULs end a line's text, not the input. */
        static const char nul[] = "Killed process 1 (a\0b) total-vm:1kB\nKilled process 2 (c) total-vm:2kB\n";
        assert_int_equal(oom_parse_text(nul, sizeof nul - 1, &l), 0);
        assert_int_equal(l.n, 2);
        assert_string_equal(l.events[0].name, "a");
        assert_int_equal(l.events[1].total_vm_kb, 2);
        oom_event_list_free(&l);

        /* Invalid UTF-8 and control bytes in names are kept as bytes. */
        assert_int_equal(parse_str("\xff\xfe invoked oom-killer: gfp_mask=0x1, order=0, oom_score_adj=0\n"
                                   "Killed process 3 (\xc3\x28\x01\x7f) total-vm:1kB\n",
                                   &l),
                         1);
        assert_string_equal(l.events[0].name, "\xc3\x28\x01\x7f");
        assert_string_equal(l.events[0].invoked_by, "\xff\xfe");
        oom_event_list_free(&l);

        /* A 1 MiB line (plain, in a kill line's name, in a kill line's tail,
         * and as JSON), then a normal kill that must still be found. */
        size_t big = 1024 * 1024;
        char *buf = malloc(4 * big + 512);
        assert_non_null(buf);
        size_t n = 0;
        memset(buf + n, 'A', big);
        n += big;
        buf[n++] = '\n';
        n += (size_t)sprintf(buf + n, "Killed process 11 (");
        memset(buf + n, '(', big);
        n += big;
        n += (size_t)sprintf(buf + n, ") total-vm:1kB\n");
        n += (size_t)sprintf(buf + n, "Killed process 12 (x) total-vm:1kB, ");
        memset(buf + n, ',', big);
        n += big;
        buf[n++] = '\n';
        n += (size_t)sprintf(buf + n, "{\"MESSAGE\":\"");
        memset(buf + n, 'B', big);
        n += big;
        n += (size_t)sprintf(buf + n, "\"}\nKilled process 13 (y) total-vm:7kB\n");
        assert_int_equal(oom_parse_text(buf, n, &l), 0);
        assert_int_equal(l.n, 3);
        assert_int_equal(l.events[0].pid, 11);
        assert_int_equal(strlen(l.events[0].name), OOM_NAME_MAX - 1);
        assert_int_equal(l.events[1].pid, 12);
        assert_int_equal(l.events[2].pid, 13);
        assert_int_equal(l.events[2].total_vm_kb, 7);
        oom_event_list_free(&l);

        /* One unterminated 9 MiB "line" (beyond the decoder's carry limit). */
        size_t huge = 9 * big;
        char *hb = malloc(huge);
        assert_non_null(hb);
        memset(hb, 'x', huge);
        memcpy(hb, "Killed process 14 (", 19);
        LogDecoder *d = log_decoder_new();
        FeedCtx c = { .p = oom_parser_new(), .l = &l };
        oom_event_list_init(&l);
        for (size_t off = 0; off < huge; off += big)
                assert_int_equal(log_decoder_feed(d, hb + off, big, feed_cb, &c), 0);
        assert_int_equal(log_decoder_flush(d, feed_cb, &c), 0);
        assert_int_equal(l.n, 1);
        assert_int_equal(l.events[0].pid, 14);
        log_decoder_free(d);
        oom_parser_free(c.p);
        oom_event_list_free(&l);
        free(hb);

        /* Binary garbage, with and without planted kernel phrases. */
        static const char *const plants[] = {
                "Killed process ", " invoked oom-killer: ", "oom-kill:", "memory: usage ", "[ pid ] uid rss name\n",
                "[ 1] 2 3\n", "oom_reaper: ", "\\x", "{\"MESSAGE\":[", "1,2,3,c;", " SUBSYSTEM=", "Tasks in ",
                "[Mon Jan  1 00:00:00 2024] ", "Task in ", ") total-vm:", ",pid=", "\n", "\r", "<6>[",
        };
        unsigned seed = 12345;
        for (int round = 0; round < 300; round++) {
                size_t m = 0;
                while (m < 3000) {
                        seed = seed * 1103515245u + 12345u;
                        if ((seed >> 16) % 4 == 0) {
                                const char *pl = plants[(seed >> 8) % (sizeof plants / sizeof plants[0])];
                                size_t pn = strlen(pl);
                                memcpy(buf + m, pl, pn);
                                m += pn;
                        } else {
                                buf[m++] = (char)(seed >> 16);
                        }
                }
                assert_int_equal(oom_parse_text(buf, m, &l), 0);
                for (size_t i = 0; i < l.n; i++) {
                        assert_true(strlen(l.events[i].name) < OOM_NAME_MAX);
                        assert_true(strlen(l.events[i].task_memcg) < OOM_PATH_MAX);
                        assert_true(l.events[i].n_top <= OOM_TOP_HOLDERS);
                }
                oom_event_list_free(&l);
        }
        free(buf);
}

/* Users choose cgroup and file names, and the kernel prints them: none of
 * these lines is a kill or a header. */
static void test_spoofed_phrases(void **state)
{
        (void)state;
        OomEventList l;

        assert_int_equal(parse_str("a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
                                   "a cpuset=x: Killed process 1 (e) total-vm:1kB mems_allowed=0\n"
                                   "Task in /x: Killed process 2 (e) total-vm:1kB killed as a result of limit of /y\n"
                                   "Memory cgroup stats for /Out of memory: Killed process 3 (e) total-vm:1kB: cache:0KB\n"
                                   "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/z: Killed process 4 (e) total-vm:1kB,task_memcg=/z,task=a,pid=9,uid=0\n"
                                   "Tasks in /Out of memory: Killed process 5 (e) are going to be killed due to memory.oom.group set\n"
                                   "audit: type=1400 audit(1700000000.123:45): apparmor=\"DENIED\" name=\"/tmp/x: Killed process 6 (e) total-vm:1kB\"\n"
                                   "audit: type=1400 audit(1700000000.123:46): apparmor=\"DENIED\" operation=\"open\" profile=\"p\" name=\"/tmp/y invoked oom-killer: gfp_mask=0x1, order=9, oom_score_adj=0\"\n"
                                   "Memory cgroup out of memory: Killed process 9 (a) total-vm:1kB\n",
                                   &l),
                         1);
        assert_int_equal(l.events[0].pid, 9);
        assert_string_equal(l.events[0].invoked_by, "a");
        assert_int_equal(l.events[0].order, 0);
        assert_string_equal(l.events[0].task_memcg, "/z");
        oom_event_list_free(&l);

        /* a bare kill line behind an unknown wrapper still counts */
        assert_int_equal(parse_str("2026 Nov 25 17:38:02 host kernel: Killed process 7 (w) total-vm:3kB\n"
                                   "cgroup: fork rejected by pids controller in /x]: Killed process 8 (w) total-vm:3kB\n",
                                   &l),
                         1);
        assert_string_equal(l.events[0].kill_prefix, "");
        assert_int_equal(l.events[0].total_vm_kb, 3);
        oom_event_list_free(&l);
}

/* Every prefix of real logs (a capture cut anywhere) parses, and never
 * yields more events than the whole. */
static void test_truncated_everywhere(void **state)
{
        (void)state;
        static const char *const files[] = {
                "15-gen-6.18-v1-dmesg.log",
                "01-rhel6-syslog-uid-before-name.log",
                "44-hand-4.4-v1-kmsg-fragments-escapes.log",
        };
        for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
                char path[1024];
                size_t len;
                snprintf(path, sizeof path, "%s/%s", OOM_FIXTURES, files[f]);
                char *log = slurp(path, &len);
                assert_non_null(log);
                for (size_t cut = 0; cut <= len; cut += 7) {
                        OomEventList l;
                        char *copy = malloc(cut + 1);
                        memcpy(copy, log, cut);
                        assert_int_equal(oom_parse_text(copy, cut, &l), 0);
                        assert_true(l.n <= 1);
                        if (l.n == 1) /* a cut kill line still has its pid */
                                assert_true(l.events[0].pid != U64_ABSENT);
                        oom_event_list_free(&l);
                        free(copy);
                }
                free(log);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_corpus_every_pair),
                cmocka_unit_test(test_corpus_extras),
                cmocka_unit_test(test_same_reports_every_transport),
                cmocka_unit_test(test_streaming_pieces),
                cmocka_unit_test(test_decode_prefixes),
                cmocka_unit_test(test_decode_more_forms),
                cmocka_unit_test(test_decode_kmsg),
                cmocka_unit_test(test_decode_journal_json),
                cmocka_unit_test(test_decode_continuations),
                cmocka_unit_test(test_iso8601),
                cmocka_unit_test(test_kill_line_variants),
                cmocka_unit_test(test_header_variants),
                cmocka_unit_test(test_summary_variants),
                cmocka_unit_test(test_report_boundaries),
                cmocka_unit_test(test_reaper),
                cmocka_unit_test(test_task_dump),
                cmocka_unit_test(test_k8s_paths),
                cmocka_unit_test(test_list_and_dedup),
                cmocka_unit_test(test_hostile_inputs),
                cmocka_unit_test(test_spoofed_phrases),
                cmocka_unit_test(test_truncated_everywhere),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
