/* SPDX-License-Identifier: MIT */
/* analyze/alerts: threshold rules over a Snapshot, the sliding-window
 * leak detector, and AlertConfig from the environment (alert-env). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/alert-env.h"
#include "analyze/alerts.h"
#include "model/snapshot.h"
#include "util/log.h"

#define MiB (1024ull * 1024ull)

/* A snapshot where every rule input is known and quiet: CPU 10%,
 * memory 50%, 1 GiB of swap at 5%, a 512 MiB cgroup limit at 40%. */
static void quiet_snapshot(Snapshot *s)
{
        snapshot_init(s);
        s->cpu.percent = 10.0;
        MemoryInfo *m = &s->memory;
        m->has_meminfo = true;
        m->virt.total = 8192 * MiB;
        m->virt.available = 4096 * MiB;
        m->virt.percent = 50.0;
        m->swap.total = 1024 * MiB;
        m->swap.used = 51 * MiB;
        m->swap.percent = 5.0;
        CgroupMemory *cg = &m->cgroup;
        cg->version = 2;
        snprintf(cg->path, sizeof cg->path, "/kubepods.slice/pod42/cri-containerd-abc.scope");
        cg->limit = 512 * MiB;
        cg->usage = 205 * MiB;
        cg->percent = 40.0;
}

static const Alert *find(const AlertList *l, const char *rule)
{
        for (size_t i = 0; i < l->n; i++)
                if (strcmp(l->items[i].rule, rule) == 0)
                        return &l->items[i];
        return NULL;
}

static void evaluate(const Snapshot *s, AlertList *out)
{
        AlertConfig cfg;
        alert_config_defaults(&cfg);
        memset(out, 0xaa, sizeof *out); /* evaluate must clear it */
        alerts_evaluate(&cfg, s, out);
}

/* ---- config -------------------------------------------------------------- */

static void test_defaults(void **state)
{
        (void)state;
        AlertConfig c;
        memset(&c, 0xff, sizeof c);
        alert_config_defaults(&c);
        assert_float_equal(c.cpu_percent, 90.0, 0);
        assert_float_equal(c.memory_percent, 90.0, 0);
        assert_float_equal(c.memory_critical_percent, 95.0, 0);
        assert_float_equal(c.swap_percent, 80.0, 0);
        assert_float_equal(c.cgroup_percent, 90.0, 0);
        assert_int_equal(c.leak_window, 10);
        assert_float_equal(c.leak_growth_percent, 5.0, 0);
        assert_int_equal(c.leak_cooldown_ticks, c.leak_window);
}

/* ---- threshold rules ----------------------------------------------------- */

static void test_quiet_and_empty_snapshots(void **state)
{
        (void)state;
        Snapshot s;
        AlertList l;
        quiet_snapshot(&s);
        evaluate(&s, &l);
        assert_int_equal(l.n, 0);

        /* Nothing collected at all: every value unknown, nothing fires. */
        snapshot_init(&s);
        evaluate(&s, &l);
        assert_int_equal(l.n, 0);
}

static void test_cpu_threshold(void **state)
{
        (void)state;
        Snapshot s;
        AlertList l;
        quiet_snapshot(&s);

        s.cpu.percent = 89.9;
        evaluate(&s, &l);
        assert_int_equal(l.n, 0);
        s.cpu.percent = 90.0; /* "above", not "at" */
        evaluate(&s, &l);
        assert_int_equal(l.n, 0);
        s.cpu.percent = 95.24;
        evaluate(&s, &l);
        assert_int_equal(l.n, 1);
        const Alert *a = find(&l, "cpu");
        assert_non_null(a);
        assert_int_equal(a->severity, ALERT_WARNING);
        assert_float_equal(a->value, 95.24, 1e-12);
        assert_float_equal(a->threshold, 90.0, 0);
        assert_string_equal(a->message, "CPU usage 95.2% is above the 90.0% threshold");
        s.cpu.percent = NAN;
        evaluate(&s, &l);
        assert_int_equal(l.n, 0);
}

static void test_memory_thresholds(void **state)
{
        (void)state;
        Snapshot s;
        AlertList l;
        quiet_snapshot(&s);

        s.memory.virt.percent = 90.0;
        evaluate(&s, &l);
        assert_int_equal(l.n, 0);

        s.memory.virt.percent = 92.5;
        evaluate(&s, &l);
        assert_int_equal(l.n, 1);
        const Alert *a = find(&l, "memory");
        assert_non_null(a);
        assert_int_equal(a->severity, ALERT_WARNING);
        assert_float_equal(a->threshold, 90.0, 0);
        assert_non_null(strstr(a->message, "92.5%"));
        assert_non_null(strstr(a->message, "90.0%"));

        /* At the critical threshold: still only the warning. */
        s.memory.virt.percent = 95.0;
        evaluate(&s, &l);
        assert_int_equal(l.n, 1);
        assert_non_null(find(&l, "memory"));

        /* Above it: only the critical alert, not both. */
        s.memory.virt.percent = 97.3;
        evaluate(&s, &l);
        assert_int_equal(l.n, 1);
        assert_null(find(&l, "memory"));
        a = find(&l, "memory_critical");
        assert_non_null(a);
        assert_int_equal(a->severity, ALERT_CRITICAL);
        assert_float_equal(a->threshold, 95.0, 0);
        assert_string_equal(a->message, "Memory usage 97.3% is above the 95.0% critical threshold");

        s.memory.virt.percent = NAN;
        evaluate(&s, &l);
        assert_int_equal(l.n, 0);
}

static void test_swap_threshold(void **state)
{
        (void)state;
        Snapshot s;
        AlertList l;
        quiet_snapshot(&s);

        s.memory.swap.percent = 80.0;
        evaluate(&s, &l);
        assert_int_equal(l.n, 0);
        s.memory.swap.percent = 85.0;
        evaluate(&s, &l);
        assert_int_equal(l.n, 1);
        const Alert *a = find(&l, "swap");
        assert_non_null(a);
        assert_string_equal(a->message, "Swap usage 85.0% is above the 80.0% threshold");

        /* No swap configured: the rule does not apply, whatever percent says. */
        s.memory.swap.total = 0;
        evaluate(&s, &l);
        assert_int_equal(l.n, 0);
        s.memory.swap.total = U64_ABSENT;
        evaluate(&s, &l);
        assert_int_equal(l.n, 0);

        s.memory.swap.total = 1024 * MiB;
        s.memory.swap.percent = NAN;
        evaluate(&s, &l);
        assert_int_equal(l.n, 0);
}

static void test_cgroup_threshold(void **state)
{
        (void)state;
        Snapshot s;
        AlertList l;
        quiet_snapshot(&s);
        CgroupMemory *cg = &s.memory.cgroup;

        cg->percent = 90.0;
        evaluate(&s, &l);
        assert_int_equal(l.n, 0);
        cg->percent = 93.1;
        evaluate(&s, &l);
        assert_int_equal(l.n, 1);
        const Alert *a = find(&l, "cgroup_memory");
        assert_non_null(a);
        assert_int_equal(a->severity, ALERT_WARNING);
        assert_float_equal(a->value, 93.1, 1e-12);
        assert_float_equal(a->threshold, 90.0, 0);
        assert_non_null(strstr(a->message, "93.1%"));
        assert_non_null(strstr(a->message, "90.0%"));
        assert_non_null(strstr(a->message, "512.0 MB")); /* the limit */
        assert_non_null(strstr(a->message, "/kubepods.slice/pod42/cri-containerd-abc.scope"));

        /* No limit ("max"): nothing to be close to. */
        cg->limit = U64_ABSENT;
        cg->percent = NAN;
        evaluate(&s, &l);
        assert_int_equal(l.n, 0);
        /* Even if a stale percent were left behind. */
        cg->percent = 99.0;
        evaluate(&s, &l);
        assert_int_equal(l.n, 0);
        /* No memory cgroup at all. */
        cg->limit = 512 * MiB;
        cg->version = 0;
        evaluate(&s, &l);
        assert_int_equal(l.n, 0);
        /* Limit known but usage unreadable. */
        cg->version = 1;
        cg->percent = NAN;
        evaluate(&s, &l);
        assert_int_equal(l.n, 0);
}

static void test_cgroup_long_hostile_path(void **state)
{
        (void)state;
        Snapshot s;
        AlertList l;
        quiet_snapshot(&s);
        CgroupMemory *cg = &s.memory.cgroup;

        /* 1023 bytes, with a two-byte UTF-8 character ("\xc3\xa9")
         * straddling the cut point: the message keeps the last 69 bytes,
         * so the first of them would be the continuation byte 0xa9. */
        size_t len = sizeof cg->path - 1;
        memset(cg->path, 'a', len);
        cg->path[len] = '\0';
        cg->path[len - 70] = '\xc3';
        cg->path[len - 69] = '\xa9';
        const char *tailstr = "/container-id-0123456789abcdef";
        memcpy(cg->path + len - strlen(tailstr), tailstr, strlen(tailstr));
        cg->percent = 99.5;
        evaluate(&s, &l);
        const Alert *a = find(&l, "cgroup_memory");
        assert_non_null(a);
        assert_true(strlen(a->message) < sizeof a->message - 1); /* not cut off */
        assert_non_null(strstr(a->message, "container-id-0123456789abcdef)"));
        assert_non_null(strstr(a->message, "(cgroup ..."));
        assert_non_null(strstr(a->message, "99.5%"));
        /* No stray UTF-8 continuation byte right after the "...". */
        const char *dots = strstr(a->message, "(cgroup ...");
        assert_true(((unsigned char)dots[11] & 0xc0) != 0x80);

        /* Path exactly filling the array without a terminator inside it is
         * impossible for the collector, but must not be read past. */
        memset(cg->path, 'b', sizeof cg->path);
        evaluate(&s, &l);
        assert_non_null(find(&l, "cgroup_memory"));
}

static void test_all_rules_and_nan_thresholds(void **state)
{
        (void)state;
        Snapshot s;
        AlertList l;
        AlertConfig cfg;
        quiet_snapshot(&s);
        s.cpu.percent = 99.0;
        s.memory.virt.percent = 99.0;
        s.memory.swap.percent = 99.0;
        s.memory.cgroup.percent = 99.0;

        alert_config_defaults(&cfg);
        alerts_evaluate(&cfg, &s, &l);
        assert_int_equal(l.n, 4);
        assert_string_equal(l.items[0].rule, "cpu");
        assert_string_equal(l.items[1].rule, "memory_critical");
        assert_string_equal(l.items[2].rule, "swap");
        assert_string_equal(l.items[3].rule, "cgroup_memory");

        /* A NAN threshold disables its rule. */
        cfg.cpu_percent = NAN;
        cfg.memory_critical_percent = NAN;
        alerts_evaluate(&cfg, &s, &l);
        assert_int_equal(l.n, 3);
        assert_null(find(&l, "cpu"));
        assert_null(find(&l, "memory_critical"));
        assert_non_null(find(&l, "memory")); /* the warning still applies */

        /* Threshold 0 fires on anything above 0; 100 never fires. */
        alert_config_defaults(&cfg);
        cfg.cpu_percent = 0.0;
        s.cpu.percent = 0.1;
        alerts_evaluate(&cfg, &s, &l);
        assert_non_null(find(&l, "cpu"));
        cfg.cpu_percent = 100.0;
        s.cpu.percent = 100.0;
        alerts_evaluate(&cfg, &s, &l);
        assert_null(find(&l, "cpu"));
}

static void test_alert_list_add(void **state)
{
        (void)state;
        AlertList l = { .n = 0 };
        Alert a = { .rule = "memory_leak", .severity = ALERT_WARNING };
        for (size_t i = 0; i < ALERTS_MAX; i++)
                assert_true(alert_list_add(&l, &a));
        assert_int_equal(l.n, ALERTS_MAX);
        assert_false(alert_list_add(&l, &a));
        assert_int_equal(l.n, ALERTS_MAX);
        assert_string_equal(l.items[ALERTS_MAX - 1].rule, "memory_leak");
}

static void test_memory_used_bytes(void **state)
{
        (void)state;
        Snapshot s;
        quiet_snapshot(&s);
        assert_int_equal(alerts_memory_used_bytes(&s.memory), 4096 * MiB);
        s.memory.virt.available = s.memory.virt.total + 1; /* never underflows */
        assert_int_equal(alerts_memory_used_bytes(&s.memory), 0);
        s.memory.virt.total = 0;
        assert_true(alerts_memory_used_bytes(&s.memory) == U64_ABSENT);
        snapshot_init(&s);
        assert_true(alerts_memory_used_bytes(&s.memory) == U64_ABSENT);
}

/* ---- leak detector ------------------------------------------------------- */

static AlertConfig leak_cfg(unsigned window, double growth, unsigned cooldown)
{
        AlertConfig c;
        alert_config_defaults(&c);
        c.leak_window = window;
        c.leak_growth_percent = growth;
        c.leak_cooldown_ticks = cooldown;
        return c;
}

static void test_leak_steady_ramp(void **state)
{
        (void)state;
        LeakDetector d;
        Alert a;
        AlertConfig cfg = leak_cfg(10, 5.0, 10);
        leak_detector_init(&d, NULL, "System memory");

        /* 1000 MiB growing 10 MiB per sample: +1%/sample of the first
         * sample, 9% over the 10-sample window. */
        for (unsigned i = 0; i < 9; i++)
                assert_false(leak_detector_push(&d, &cfg, (1000 + 10 * i) * MiB, &a));
        memset(&a, 0xaa, sizeof a);
        assert_true(leak_detector_push(&d, &cfg, 1090 * MiB, &a));

        assert_string_equal(a.rule, "memory_leak");
        assert_int_equal(a.severity, ALERT_WARNING);
        assert_float_equal(a.value, 9.0, 1e-9);
        assert_float_equal(a.threshold, 5.0, 0);
        assert_float_equal(d.growth_percent, 9.0, 1e-9);
        assert_float_equal(d.slope_bytes, 10.0 * MiB, 1e-3);
        assert_float_equal(d.slope_percent, 1.0, 1e-9);
        assert_int_equal(d.increases, 9);
        assert_string_equal(a.message,
                            "System memory grew 9.0% over the last 10 samples (9 of 9 steps up), "
                            "threshold 5.0%; trend +1.00%/sample (+10.0 MB/sample), possible leak");
}

static void test_leak_slope_is_least_squares(void **state)
{
        (void)state;
        LeakDetector d;
        Alert a;
        AlertConfig cfg = leak_cfg(5, 5.0, 5);
        leak_detector_init(&d, NULL, NULL);

        /* y = 100, 110, 115, 130, 140 (x = 0..4): OLS slope is
         * sum((x-2)(y-119)) / 10 = (-2*-19 + -1*-9 + 0 + 1*11 + 2*21) / 10
         * = 100 / 10 = 10 per sample, i.e. 10% of the first sample; the
         * end-to-end average would be 10 as well, so also check a series
         * where they differ: 100, 100, 100, 101, 120. */
        static const uint64_t y1[] = { 100, 110, 115, 130, 140 };
        for (size_t i = 0; i < 4; i++)
                assert_false(leak_detector_push(&d, &cfg, y1[i] * 1000, &a));
        assert_true(leak_detector_push(&d, &cfg, y1[4] * 1000, &a));
        assert_float_equal(d.slope_bytes, 10000.0, 1e-6);
        assert_float_equal(d.slope_percent, 10.0, 1e-9);
        assert_string_equal(a.rule, "memory_leak");
        assert_true(strncmp(a.message, "Memory grew 40.0%", 17) == 0);

        /* 1000,1001,1002,1010,1200: 4 of 4 up, growth 20%;
         * mean 1042.6, sxy = -2*-42.6 -1*-41.6 + 0 + 1*-32.6 + 2*157.4 = 409,
         * slope 40.9/sample = 4.09% of 1000 (end-to-end would be 50). */
        leak_detector_init(&d, NULL, NULL);
        static const uint64_t y2[] = { 1000, 1001, 1002, 1010, 1200 };
        for (size_t i = 0; i < 4; i++)
                assert_false(leak_detector_push(&d, &cfg, y2[i], &a));
        assert_true(leak_detector_push(&d, &cfg, y2[4], &a));
        assert_float_equal(d.slope_bytes, 40.9, 1e-9);
        assert_float_equal(d.slope_percent, 4.09, 1e-9);
        assert_float_equal(d.growth_percent, 20.0, 1e-12);
        assert_non_null(strstr(a.message, "+4.09%/sample"));
}

static void test_leak_flat_never(void **state)
{
        (void)state;
        LeakDetector d;
        Alert a;
        AlertConfig cfg = leak_cfg(10, 5.0, 10);
        leak_detector_init(&d, NULL, NULL);
        for (unsigned i = 0; i < 100; i++)
                assert_false(leak_detector_push(&d, &cfg, 2048 * MiB, &a));

        /* Growth threshold 0 does not turn a flat line into a leak. */
        cfg.leak_growth_percent = 0.0;
        for (unsigned i = 0; i < 100; i++)
                assert_false(leak_detector_push(&d, &cfg, 2048 * MiB, &a));
}

static void test_leak_sawtooth_never(void **state)
{
        (void)state;
        LeakDetector d;
        Alert a;
        AlertConfig cfg = leak_cfg(10, 5.0, 10);
        leak_detector_init(&d, NULL, NULL);

        /* Alternating 1000/1100 MiB: some windows start low and end high
         * (10% growth) but only 5 of 9 steps go up (< 60%). */
        for (unsigned i = 0; i < 100; i++)
                assert_false(leak_detector_push(&d, &cfg, (i % 2 ? 1100 : 1000) * MiB, &a));

        /* Three small rises then a drop back (GC-like): 75% of the steps go
         * up, but there is no net growth. */
        leak_detector_init(&d, NULL, NULL);
        for (unsigned i = 0; i < 100; i++)
                assert_false(leak_detector_push(&d, &cfg, (1000 + 20 * (i % 4)) * MiB, &a));
}

static void test_leak_growth_below_threshold(void **state)
{
        (void)state;
        LeakDetector d;
        Alert a;
        AlertConfig cfg = leak_cfg(10, 5.0, 10);
        leak_detector_init(&d, NULL, NULL);

        /* +0.5% per sample: 4.5% over the window, steadily increasing. */
        for (unsigned i = 0; i < 10; i++)
                assert_false(leak_detector_push(&d, &cfg, 200000 + 1000 * i, &a));

        /* Exactly at the threshold fires (growth >= threshold):
         * 1000000 -> 1050000 over 9 steps. */
        leak_detector_init(&d, NULL, NULL);
        uint64_t v = 1000000;
        for (unsigned i = 0; i < 9; i++) {
                assert_false(leak_detector_push(&d, &cfg, v, &a));
                v += i < 7 ? 5000 : 7500; /* 7*5000 + 7500 = 42500 after 8 steps */
        }
        v = 1050000;
        assert_true(leak_detector_push(&d, &cfg, v, &a));
        assert_float_equal(a.value, 5.0, 0);

        /* A growth threshold above the growth: nothing. */
        leak_detector_init(&d, NULL, NULL);
        cfg.leak_growth_percent = 5.01;
        v = 1000000;
        for (unsigned i = 0; i < 9; i++) {
                assert_false(leak_detector_push(&d, &cfg, v, &a));
                v += i < 7 ? 5000 : 7500;
        }
        assert_false(leak_detector_push(&d, &cfg, 1050000, &a));

        /* A NAN growth threshold disables the detector. */
        leak_detector_init(&d, NULL, NULL);
        cfg.leak_growth_percent = NAN;
        for (unsigned i = 0; i < 30; i++)
                assert_false(leak_detector_push(&d, &cfg, (100 + 10 * i) * MiB, &a));
}

static void test_leak_sixty_percent_rule(void **state)
{
        (void)state;
        LeakDetector d;
        Alert a;
        AlertConfig cfg = leak_cfg(6, 5.0, 6);

        /* 5 steps: 3 up (60%) fires, 2 up (40%) does not; both grow 20%. */
        static const uint64_t three_up[] = { 1000, 1100, 1050, 1150, 1100, 1200 };
        static const uint64_t two_up[] = { 1000, 1000, 1000, 1100, 1000, 1200 };
        leak_detector_init(&d, NULL, NULL);
        for (size_t i = 0; i < 5; i++)
                assert_false(leak_detector_push(&d, &cfg, three_up[i], &a));
        assert_true(leak_detector_push(&d, &cfg, three_up[5], &a));
        assert_int_equal(d.increases, 3);
        assert_non_null(strstr(a.message, "(3 of 5 steps up)"));

        leak_detector_init(&d, NULL, NULL);
        for (size_t i = 0; i < 6; i++)
                assert_false(leak_detector_push(&d, &cfg, two_up[i], &a));
}

static void test_leak_cooldown(void **state)
{
        (void)state;
        LeakDetector d;
        Alert a;
        AlertConfig cfg = leak_cfg(5, 5.0, 3);
        leak_detector_init(&d, NULL, NULL);

        /* A leak that never stops: +2% per sample. With window 5 the first
         * alert is on push 5; the cooldown then swallows pushes 6, 7, 8,
         * and the next alert comes on push 9, then 13, 17, ... */
        unsigned fired[8], n_fired = 0;
        for (unsigned push = 1; push <= 20; push++) {
                if (leak_detector_push(&d, &cfg, (1000 + 20 * push) * MiB, &a)) {
                        assert_true(n_fired < 8);
                        fired[n_fired++] = push;
                }
        }
        assert_int_equal(n_fired, 4);
        assert_int_equal(fired[0], 5);
        assert_int_equal(fired[1], 9);
        assert_int_equal(fired[2], 13);
        assert_int_equal(fired[3], 17);

        /* Cooldown 0: every push with a full, growing window fires. */
        cfg.leak_cooldown_ticks = 0;
        leak_detector_init(&d, NULL, NULL);
        n_fired = 0;
        for (unsigned push = 1; push <= 8; push++)
                n_fired += leak_detector_push(&d, &cfg, (1000 + 20 * push) * MiB, &a);
        assert_int_equal(n_fired, 4); /* pushes 5..8 */

        /* Default cooldown (= window 10): the leak stops right after the
         * alert and a new one starts; no second alert during the cooldown. */
        alert_config_defaults(&cfg);
        leak_detector_init(&d, NULL, NULL);
        n_fired = 0;
        uint64_t v = 1000 * MiB;
        for (unsigned push = 1; push <= 20; push++) {
                v += 10 * MiB;
                n_fired += leak_detector_push(&d, &cfg, v, &a);
        }
        /* Fired on push 10; 11..20 are the cooldown. */
        assert_int_equal(n_fired, 1);
        assert_true(leak_detector_push(&d, &cfg, v + 10 * MiB, &a));
}

static void test_leak_window_not_full_and_changes(void **state)
{
        (void)state;
        LeakDetector d;
        Alert a;
        AlertConfig cfg = leak_cfg(20, 5.0, 20);
        leak_detector_init(&d, NULL, NULL);

        /* A steep leak, but only 19 of 20 samples: no verdict yet. */
        for (unsigned i = 0; i < 19; i++)
                assert_false(leak_detector_push(&d, &cfg, (100 + 50 * i) * MiB, &a));
        assert_int_equal(d.n, 19);

        /* Absent samples are skipped, not counted. */
        assert_false(leak_detector_push(&d, &cfg, U64_ABSENT, &a));
        assert_int_equal(d.n, 19);
        assert_true(leak_detector_push(&d, &cfg, (100 + 50 * 19) * MiB, &a));

        /* A different window restarts the detector, cooldown included. */
        assert_int_equal(d.cooldown_left, 20);
        cfg.leak_window = 4;
        cfg.leak_cooldown_ticks = 0;
        assert_false(leak_detector_push(&d, &cfg, 2000 * MiB, &a));
        assert_int_equal(d.n, 1);
        assert_false(leak_detector_push(&d, &cfg, 2100 * MiB, &a));
        assert_false(leak_detector_push(&d, &cfg, 2200 * MiB, &a));
        assert_true(leak_detector_push(&d, &cfg, 2300 * MiB, &a));

        /* Out-of-range windows are clamped: 0 acts as LEAK_WINDOW_MIN. */
        cfg.leak_window = 0;
        leak_detector_init(&d, NULL, NULL);
        assert_false(leak_detector_push(&d, &cfg, 100, &a));
        assert_false(leak_detector_push(&d, &cfg, 200, &a));
        assert_true(leak_detector_push(&d, &cfg, 300, &a));
        assert_int_equal(d.window, LEAK_WINDOW_MIN);
        cfg.leak_window = 100000;
        leak_detector_init(&d, NULL, NULL);
        for (unsigned i = 0; i < LEAK_WINDOW_MAX - 1; i++)
                assert_false(leak_detector_push(&d, &cfg, 1000 + i, &a));
        assert_true(leak_detector_push(&d, &cfg, 1000 + LEAK_WINDOW_MAX, &a));
        assert_int_equal(d.window, LEAK_WINDOW_MAX);
}

static void test_leak_degenerate_values(void **state)
{
        (void)state;
        LeakDetector d;
        Alert a;
        AlertConfig cfg = leak_cfg(3, 5.0, 0);

        /* An oldest sample of 0 has no meaningful growth percentage. */
        leak_detector_init(&d, NULL, NULL);
        assert_false(leak_detector_push(&d, &cfg, 0, &a));
        assert_false(leak_detector_push(&d, &cfg, 10, &a));
        assert_false(leak_detector_push(&d, &cfg, 20, &a));
        /* Once 0 has slid out of the window: 10 -> 30 is +200%. */
        assert_true(leak_detector_push(&d, &cfg, 30, &a));
        assert_float_equal(a.value, 200.0, 1e-9);

        /* Near UINT64_MAX: no overflow, no wrap into a fake leak. */
        leak_detector_init(&d, NULL, NULL);
        uint64_t big = UINT64_MAX - 10;
        assert_false(leak_detector_push(&d, &cfg, big - 2, &a));
        assert_false(leak_detector_push(&d, &cfg, big - 1, &a));
        assert_false(leak_detector_push(&d, &cfg, big, &a)); /* growth ~0% */
        assert_false(leak_detector_push(&d, &cfg, 1, &a));
        assert_false(leak_detector_push(&d, &cfg, big, &a)); /* 1 of 2 up */

        /* A dip and back up near 2^62: 1 of 2 steps up, 0% growth. */
        leak_detector_init(&d, NULL, NULL);
        assert_false(leak_detector_push(&d, &cfg, 1ull << 62, &a));
        assert_false(leak_detector_push(&d, &cfg, 1ull << 61, &a));
        assert_false(leak_detector_push(&d, &cfg, 1ull << 62, &a));

        /* An early spike: 4 of 5 steps up and +4% end to end, but the
         * least-squares trend is downwards (sxy = -1335): not a leak. */
        static const uint64_t spike[] = { 100, 1000, 101, 102, 103, 104 };
        cfg = leak_cfg(6, 1.0, 0);
        leak_detector_init(&d, NULL, NULL);
        for (size_t i = 0; i < 6; i++)
                assert_false(leak_detector_push(&d, &cfg, spike[i], &a));
}

static void test_leak_generic_series(void **state)
{
        (void)state;
        LeakDetector d;
        Alert a;
        AlertConfig cfg = leak_cfg(3, 5.0, 3);
        leak_detector_init(&d, "cgroup_memory_leak", "Container memory");
        assert_false(leak_detector_push(&d, &cfg, 100 * MiB, &a));
        assert_false(leak_detector_push(&d, &cfg, 110 * MiB, &a));
        assert_true(leak_detector_push(&d, &cfg, 120 * MiB, &a));
        assert_string_equal(a.rule, "cgroup_memory_leak");
        assert_true(strncmp(a.message, "Container memory grew 20.0%", 27) == 0);

        /* Over-long names are cut, never overflow. */
        char longname[200];
        memset(longname, 'x', sizeof longname - 1);
        longname[sizeof longname - 1] = '\0';
        leak_detector_init(&d, longname, longname);
        assert_int_equal(strlen(d.rule), sizeof d.rule - 1);
        assert_int_equal(strlen(d.subject), sizeof d.subject - 1);
        assert_false(leak_detector_push(&d, &cfg, 100, &a));
        assert_false(leak_detector_push(&d, &cfg, 200, &a));
        assert_true(leak_detector_push(&d, &cfg, 300, &a));
        assert_int_equal(strlen(a.rule), sizeof a.rule - 1);
}

/* ---- alert_config_from_env ----------------------------------------------- */

static const char *const env_names[] = {
        "ALERT_CPU_THRESHOLD", "ALERT_MEMORY_THRESHOLD", "ALERT_MEMORY_CRITICAL_THRESHOLD",
        "ALERT_SWAP_THRESHOLD", "ALERT_CGROUP_THRESHOLD", "MEMORY_LEAK_WINDOW_SIZE",
        "MEMORY_LEAK_GROWTH_THRESHOLD", "MEMORY_LEAK_COOLDOWN",
};

static void clear_env(void)
{
        for (size_t i = 0; i < sizeof env_names / sizeof env_names[0]; i++)
                unsetenv(env_names[i]);
}

/* alert_config_from_env with stderr captured into buf. */
static void config_from_env_captured(AlertConfig *cfg, char *buf, size_t size)
{
        fflush(stderr);
        FILE *f = tmpfile();
        assert_non_null(f);
        int saved = dup(STDERR_FILENO);
        assert_true(saved >= 0);
        assert_true(dup2(fileno(f), STDERR_FILENO) >= 0);
        alert_config_from_env(cfg);
        fflush(stderr);
        dup2(saved, STDERR_FILENO);
        close(saved);
        rewind(f);
        size_t n = fread(buf, 1, size - 1, f);
        buf[n] = '\0';
        fclose(f);
}

static void test_config_from_env(void **state)
{
        (void)state;
        AlertConfig cfg, def;
        char err[4096];
        log_set_level(LOG_LEVEL_INFO);
        alert_config_defaults(&def);

        clear_env();
        config_from_env_captured(&cfg, err, sizeof err);
        assert_memory_equal(&cfg, &def, sizeof cfg);
        assert_string_equal(err, "");

        setenv("ALERT_CPU_THRESHOLD", "75", 1);
        setenv("ALERT_MEMORY_THRESHOLD", "80.5", 1);
        setenv("ALERT_MEMORY_CRITICAL_THRESHOLD", "97", 1);
        setenv("ALERT_SWAP_THRESHOLD", "50", 1);
        setenv("ALERT_CGROUP_THRESHOLD", "85", 1);
        setenv("MEMORY_LEAK_WINDOW_SIZE", "20", 1);
        setenv("MEMORY_LEAK_GROWTH_THRESHOLD", "3.0", 1);
        config_from_env_captured(&cfg, err, sizeof err);
        assert_string_equal(err, "");
        assert_float_equal(cfg.cpu_percent, 75.0, 0);
        assert_float_equal(cfg.memory_percent, 80.5, 0);
        assert_float_equal(cfg.memory_critical_percent, 97.0, 0);
        assert_float_equal(cfg.swap_percent, 50.0, 0);
        assert_float_equal(cfg.cgroup_percent, 85.0, 0);
        assert_int_equal(cfg.leak_window, 20);
        assert_float_equal(cfg.leak_growth_percent, 3.0, 0);
        assert_int_equal(cfg.leak_cooldown_ticks, 20); /* follows the window */
        setenv("MEMORY_LEAK_COOLDOWN", "0", 1);
        config_from_env_captured(&cfg, err, sizeof err);
        assert_int_equal(cfg.leak_cooldown_ticks, 0);

        /* Invalid values: one warning each, naming the variable; defaults. */
        clear_env();
        setenv("ALERT_CPU_THRESHOLD", "9x", 1);
        setenv("ALERT_SWAP_THRESHOLD", "-1", 1);
        setenv("MEMORY_LEAK_WINDOW_SIZE", "2", 1);
        setenv("MEMORY_LEAK_GROWTH_THRESHOLD", "nan", 1);
        setenv("ALERT_CGROUP_THRESHOLD", "", 1); /* empty: silent default */
        config_from_env_captured(&cfg, err, sizeof err);
        assert_memory_equal(&cfg, &def, sizeof cfg);
        size_t lines = 0;
        for (const char *p = err; *p; p++)
                lines += *p == '\n';
        assert_int_equal(lines, 4);
        assert_non_null(strstr(err, "ALERT_CPU_THRESHOLD=\\\"9x\\\""));
        assert_non_null(strstr(err, "ALERT_SWAP_THRESHOLD=\\\"-1\\\""));
        assert_non_null(strstr(err, "MEMORY_LEAK_WINDOW_SIZE=\\\"2\\\""));
        assert_non_null(strstr(err, "MEMORY_LEAK_GROWTH_THRESHOLD=\\\"nan\\\""));
        assert_null(strstr(err, "ALERT_CGROUP_THRESHOLD"));
        clear_env();
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_defaults),
                cmocka_unit_test(test_quiet_and_empty_snapshots),
                cmocka_unit_test(test_cpu_threshold),
                cmocka_unit_test(test_memory_thresholds),
                cmocka_unit_test(test_swap_threshold),
                cmocka_unit_test(test_cgroup_threshold),
                cmocka_unit_test(test_cgroup_long_hostile_path),
                cmocka_unit_test(test_all_rules_and_nan_thresholds),
                cmocka_unit_test(test_alert_list_add),
                cmocka_unit_test(test_memory_used_bytes),
                cmocka_unit_test(test_leak_steady_ramp),
                cmocka_unit_test(test_leak_slope_is_least_squares),
                cmocka_unit_test(test_leak_flat_never),
                cmocka_unit_test(test_leak_sawtooth_never),
                cmocka_unit_test(test_leak_growth_below_threshold),
                cmocka_unit_test(test_leak_sixty_percent_rule),
                cmocka_unit_test(test_leak_cooldown),
                cmocka_unit_test(test_leak_window_not_full_and_changes),
                cmocka_unit_test(test_leak_degenerate_values),
                cmocka_unit_test(test_leak_generic_series),
                cmocka_unit_test(test_config_from_env),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
