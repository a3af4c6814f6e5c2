/* SPDX-License-Identifier: MIT */
/* collect/cpu: /proc/stat, loadavg, cpuinfo parsers, the busy-percent
 * arithmetic, and cpu_collect over the host-* fixture trees. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/cpu.h"
#include "collect/rootfs.h"
#include "util/fileio.h"

static void assert_times(const CpuTimes *t, uint64_t user, uint64_t nice, uint64_t system,
                         uint64_t idle, uint64_t iowait, uint64_t irq, uint64_t softirq,
                         uint64_t steal, uint64_t guest, uint64_t guest_nice)
{
        assert_int_equal(t->user, user);
        assert_int_equal(t->nice, nice);
        assert_int_equal(t->system, system);
        assert_int_equal(t->idle, idle);
        assert_int_equal(t->iowait, iowait);
        assert_int_equal(t->irq, irq);
        assert_int_equal(t->softirq, softirq);
        assert_int_equal(t->steal, steal);
        assert_int_equal(t->guest, guest);
        assert_int_equal(t->guest_nice, guest_nice);
}

/* ---- proc_stat_parse --------------------------------------------------- */

static void test_stat_real_sample(void **state)
{
        (void)state;
        char *text = fixture_slurp("host-basic/proc/stat", NULL);
        ProcStat s;

        assert_int_equal(proc_stat_parse(text, &s), 0);
        assert_times(&s.total, 9917, 0, 12825, 148980, 432, 0, 84, 171, 0, 0);
        assert_int_equal(s.n_cpu, 2);
        assert_times(&s.per_cpu[0], 5361, 0, 3564, 77047, 60, 0, 19, 96, 0, 0);
        assert_times(&s.per_cpu[1], 4555, 0, 9261, 71933, 371, 0, 64, 74, 0, 0);
        assert_int_equal(s.btime, 1795631133);
        assert_int_equal(s.ctxt, 348303);
        assert_int_equal(s.intr, 242901);
        assert_int_equal(s.processes, 12114);
        assert_int_equal(s.procs_running, 4);
        assert_int_equal(s.procs_blocked, 0);
        proc_stat_done(&s);
        assert_null(s.per_cpu);
        free(text);
}

static void test_stat_all_columns_distinct(void **state)
{
        (void)state;
        ProcStat s;
        assert_int_equal(proc_stat_parse("cpu  1 2 3 4 5 6 7 8 9 10\n"
                                         "cpu0 11 12 13 14 15 16 17 18 19 20\n",
                                         &s),
                         0);
        assert_times(&s.total, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assert_times(&s.per_cpu[0], 11, 12, 13, 14, 15, 16, 17, 18, 19, 20);
        /* Keys the file did not have stay absent, not 0. */
        assert_true(s.btime == U64_ABSENT);
        assert_true(s.ctxt == U64_ABSENT);
        assert_true(s.intr == U64_ABSENT);
        assert_true(s.processes == U64_ABSENT);
        assert_true(s.procs_running == U64_ABSENT);
        assert_true(s.procs_blocked == U64_ABSENT);
        proc_stat_done(&s);
}

static void test_stat_old_kernel(void **state)
{
        (void)state;
        ProcStat s;
        /* Before 2.6.11: 7 columns; missing ones are 0. */
        char *text = fixture_slurp("host-old-kernel/proc/stat", NULL);
        assert_int_equal(proc_stat_parse(text, &s), 0);
        assert_times(&s.total, 81234, 512, 40321, 9876543, 12345, 678, 910, 0, 0, 0);
        assert_int_equal(s.n_cpu, 4);
        assert_times(&s.per_cpu[3], 20400, 128, 10100, 2469243, 3123, 28, 250, 0, 0, 0);
        assert_int_equal(s.btime, 1262304000);
        assert_int_equal(s.procs_blocked, 1);
        proc_stat_done(&s);
        free(text);

        /* 2.4: only the first four. */
        assert_int_equal(proc_stat_parse("cpu  10 20 30 40\ncpu0 10 20 30 40\n", &s), 0);
        assert_times(&s.total, 10, 20, 30, 40, 0, 0, 0, 0, 0, 0);
        assert_int_equal(s.n_cpu, 1);
        proc_stat_done(&s);

        /* 9 columns (2.6.24 - 2.6.32: no guest_nice), no trailing newline. */
        assert_int_equal(proc_stat_parse("cpu  1 2 3 4 5 6 7 8 9", &s), 0);
        assert_times(&s.total, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0);
        assert_int_equal(s.n_cpu, 0);
        proc_stat_done(&s);

        /* A future kernel with more columns: the known ten are used. */
        assert_int_equal(proc_stat_parse("cpu  1 2 3 4 5 6 7 8 9 10 11 12\n", &s), 0);
        assert_times(&s.total, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        proc_stat_done(&s);
}

static void test_stat_per_cpu(void **state)
{
        (void)state;
        ProcStat s;
        /* More CPUs than the initial array (8); offline CPUs are missing
         * from /proc/stat, so ids have gaps: per_cpu keeps file order. */
        char text[4096];
        size_t off = (size_t)snprintf(text, sizeof text, "cpu  1 1 1 1 1 1 1 1 0 0\n");
        static const int ids[] = { 0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 63, 64 };
        for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
                off += (size_t)snprintf(text + off, sizeof text - off,
                                        "cpu%d %d 0 %d 1000 0 0 0 0 0 0\n", ids[i], ids[i], 2 * ids[i]);
        snprintf(text + off, sizeof text - off, "intr 5 0 0\nctxt 6\n");

        assert_int_equal(proc_stat_parse(text, &s), 0);
        assert_int_equal(s.n_cpu, 13);
        for (size_t i = 0; i < s.n_cpu; i++) {
                assert_int_equal(s.per_cpu[i].user, (uint64_t)ids[i]);
                assert_int_equal(s.per_cpu[i].system, 2 * (uint64_t)ids[i]);
        }
        assert_int_equal(s.intr, 5);
        assert_int_equal(s.ctxt, 6);
        proc_stat_done(&s);
}

static void test_stat_missing_cpu_line(void **state)
{
        (void)state;
        ProcStat s;
        memset(&s, 0x5a, sizeof s);
        ProcStat before = s;

        /* Per-cpu lines but no total: malformed (and nothing leaks). */
        assert_int_equal(proc_stat_parse("cpu0 1 2 3 4 5 6 7\ncpu1 1 2 3 4 5 6 7\nctxt 5\n", &s),
                         -EBADMSG);
        assert_memory_equal(&s, &before, sizeof s);
        assert_int_equal(proc_stat_parse("", &s), -EBADMSG);
        assert_int_equal(proc_stat_parse("\n", &s), -EBADMSG);
        assert_int_equal(proc_stat_parse("intr 1\nctxt 2\nbtime 3\n", &s), -EBADMSG);
        /* Fewer than four columns. */
        assert_int_equal(proc_stat_parse("cpu  1 2 3\n", &s), -EBADMSG);
        assert_int_equal(proc_stat_parse("cpu \n", &s), -EBADMSG);
        assert_int_equal(proc_stat_parse("cpu\n", &s), -EBADMSG);
        /* Non-numeric. */
        assert_int_equal(proc_stat_parse("cpu  a b c d e f g\n", &s), -EBADMSG);
        assert_int_equal(proc_stat_parse("cpu  -1 2 3 4 5 6 7\n", &s), -EBADMSG);
        /* Not the total line: "cpux", "cpuinfo", "CPU". */
        assert_int_equal(proc_stat_parse("cpux 1 2 3 4\nCPU  1 2 3 4\n", &s), -EBADMSG);
        assert_memory_equal(&s, &before, sizeof s);
}

static void test_stat_huge_values(void **state)
{
        (void)state;
        ProcStat s;
        assert_int_equal(proc_stat_parse("cpu  18446744073709551615 0 0 18446744073709551615\n"
                                         "btime 18446744073709551614\n",
                                         &s),
                         0);
        assert_true(s.total.user == UINT64_MAX);
        assert_true(s.total.idle == UINT64_MAX);
        assert_true(s.btime == UINT64_MAX - 1);
        proc_stat_done(&s);

        /* Overflow in the first columns: the line does not parse. */
        assert_int_equal(proc_stat_parse("cpu  18446744073709551616 0 0 0 0 0 0\n", &s), -EBADMSG);

        /* An overflowing per-cpu line is skipped, an overflowing keyed
         * value stays absent; the rest of the file is fine. */
        char *text = fixture_slurp("host-malformed/proc/stat", NULL);
        assert_int_equal(proc_stat_parse(text, &s), 0);
        assert_times(&s.total, 100, 0, 50, 1000, 0, 0, 0, 0, 0, 0);
        assert_int_equal(s.n_cpu, 1);
        assert_int_equal(s.per_cpu[0].user, 50);
        assert_true(s.intr == U64_ABSENT);
        assert_true(s.ctxt == U64_ABSENT);
        assert_true(s.btime == U64_ABSENT);
        assert_int_equal(s.processes, 12);
        proc_stat_done(&s);
        free(text);
}

/* Regression test, fixed bug (src/collect/cpu.c parse_cpu_times): a column that does not parse
 * (overflow, junk) after the first four is treated like a missing trailing
 * column of an old kernel: "cpu  1 2 3 4 18446744073709551616 6 7 8 9 10"
 * is accepted with iowait..guest_nice = 0, and "cpu  1 2 3 4 abc" too.
 * That is the silent zero parse.h forbids; the line should be rejected
 * (-EBADMSG or -ERANGE), as an overflow in the first four columns is. */
static void test_stat_overflow_mid_line(void **state)
{
        (void)state;
        ProcStat s;
        int r = proc_stat_parse("cpu  1 2 3 4 18446744073709551616 6 7 8 9 10\n", &s);
        if (r == 0)
                proc_stat_done(&s);
        assert_true(r == -EBADMSG || r == -ERANGE);

        r = proc_stat_parse("cpu  1 2 3 4 abc 6 7\n", &s);
        if (r == 0)
                proc_stat_done(&s);
        assert_true(r == -EBADMSG || r == -ERANGE);
}

static void test_stat_keyed_lines(void **state)
{
        (void)state;
        ProcStat s;
        /* Keys must match exactly: "ctxtx", "btime2" and a tab are not them. */
        assert_int_equal(proc_stat_parse("cpu  1 2 3 4\n"
                                         "ctxtx 99\nbtime2 98\nprocesses\t97\n"
                                         "procs_running 3\nprocs_blocked 18446744073709551616\n",
                                         &s),
                         0);
        assert_true(s.ctxt == U64_ABSENT);
        assert_true(s.btime == U64_ABSENT);
        assert_true(s.processes == U64_ABSENT);
        assert_int_equal(s.procs_running, 3);
        assert_true(s.procs_blocked == U64_ABSENT);
        proc_stat_done(&s);
}

/* ---- cpu_times_busy_percent -------------------------------------------- */

static void test_busy_percent(void **state)
{
        (void)state;
        CpuTimes a = { 0 }, b = { 0 };

        /* No time passed: unknown, not 0. */
        assert_true(isnan(cpu_times_busy_percent(&a, &b)));
        a = (CpuTimes){ .user = 100, .idle = 100 };
        b = a;
        assert_true(isnan(cpu_times_busy_percent(&a, &b)));
        /* Counters went backwards (CPU hotplug, wrapped sample): unknown. */
        b = (CpuTimes){ .user = 50, .idle = 100 };
        assert_true(isnan(cpu_times_busy_percent(&a, &b)));

        a = (CpuTimes){ 0 };
        b = (CpuTimes){ .user = 30, .nice = 10, .system = 10, .idle = 50 };
        assert_float_equal(cpu_times_busy_percent(&a, &b), 50.0, 1e-9);
        b = (CpuTimes){ .idle = 100 };
        assert_float_equal(cpu_times_busy_percent(&a, &b), 0.0, 1e-9);
        b = (CpuTimes){ .system = 100 };
        assert_float_equal(cpu_times_busy_percent(&a, &b), 100.0, 1e-9);
        /* iowait is idle time, irq/softirq/steal are busy. */
        b = (CpuTimes){ .iowait = 75, .irq = 5, .softirq = 10, .steal = 10 };
        assert_float_equal(cpu_times_busy_percent(&a, &b), 25.0, 1e-9);
        /* guest is already inside user: not counted twice. */
        b = (CpuTimes){ .user = 50, .guest = 50, .idle = 50 };
        assert_float_equal(cpu_times_busy_percent(&a, &b), 50.0, 1e-9);
        b = (CpuTimes){ .nice = 20, .guest_nice = 20, .idle = 60 };
        assert_float_equal(cpu_times_busy_percent(&a, &b), 25.0, 1e-9);

        /* Deltas, not totals. */
        a = (CpuTimes){ .user = 1000, .idle = 9000 };
        b = (CpuTimes){ .user = 1010, .idle = 9030 };
        assert_float_equal(cpu_times_busy_percent(&a, &b), 25.0, 1e-9);

        /* idle went backwards (an offline-then-online CPU): all busy,
         * clamped, never above 100 or below 0. */
        a = (CpuTimes){ .user = 0, .idle = 100 };
        b = (CpuTimes){ .user = 200, .idle = 50 };
        assert_float_equal(cpu_times_busy_percent(&a, &b), 100.0, 1e-9);
        a = (CpuTimes){ .user = 100, .idle = 0 };
        b = (CpuTimes){ .user = 50, .idle = 100 };
        assert_float_equal(cpu_times_busy_percent(&a, &b), 0.0, 1e-9);

        /* Near the top of the counter range. */
        a = (CpuTimes){ .user = UINT64_MAX / 4 - 100, .idle = UINT64_MAX / 4 - 100 };
        b = (CpuTimes){ .user = UINT64_MAX / 4, .idle = UINT64_MAX / 4 - 100 };
        assert_float_equal(cpu_times_busy_percent(&a, &b), 100.0, 1e-9);
}

/* ---- loadavg_parse ----------------------------------------------------- */

static void test_loadavg(void **state)
{
        (void)state;
        double l1 = -1, l5 = -1, l15 = -1;
        char *text = fixture_slurp("host-basic/proc/loadavg", NULL);
        assert_int_equal(loadavg_parse(text, &l1, &l5, &l15), 0);
        assert_float_equal(l1, 0.52, 1e-9);
        assert_float_equal(l5, 0.51, 1e-9);
        assert_float_equal(l15, 0.22, 1e-9);
        free(text);

        assert_int_equal(loadavg_parse("0.00 0.00 0.00", &l1, &l5, &l15), 0);
        assert_float_equal(l1, 0, 0);
        assert_int_equal(loadavg_parse("1234.56 999.99 0.01 100/20000 4194304\n", &l1, &l5, &l15), 0);
        assert_float_equal(l1, 1234.56, 1e-9);
        assert_float_equal(l15, 0.01, 1e-9);
}

static void test_loadavg_malformed(void **state)
{
        (void)state;
        static const struct {
                const char *text;
                int r;
        } bad[] = {
                { "", -EINVAL },
                { "\n", -EINVAL },
                { "abc\n", -EINVAL },
                { "0.5 abc 0.1\n", -EINVAL },
                { "0.5 0.4\n", -EINVAL },
                { "0.5\n0.4 0.3\n", -EINVAL },
                { "-0.5 0.4 0.3\n", -EBADMSG },
                { "0.5 0.4 -0.01\n", -EBADMSG },
                { "1e999 0 0\n", -ERANGE },
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                double l1 = 7, l5 = 8, l15 = 9;
                assert_int_equal(loadavg_parse(bad[i].text, &l1, &l5, &l15), bad[i].r);
                /* Outputs untouched on failure. */
                assert_float_equal(l1, 7, 0);
                assert_float_equal(l5, 8, 0);
                assert_float_equal(l15, 9, 0);
        }
}

/* ---- cpuinfo_parse ----------------------------------------------------- */

static void test_cpuinfo_real(void **state)
{
        (void)state;
        double mhz = 0;
        unsigned cores = 0;
        char *text = fixture_slurp("host-basic/proc/cpuinfo", NULL);
        assert_int_equal(cpuinfo_parse(text, &mhz, &cores), 0);
        assert_float_equal(mhz, 2445.404, 1e-9);
        assert_int_equal(cores, 2);
        free(text);

        /* Hyper-threading: 4 logical CPUs, 2 cores. */
        text = fixture_slurp("host-old-kernel/proc/cpuinfo", NULL);
        assert_int_equal(cpuinfo_parse(text, &mhz, &cores), 0);
        assert_float_equal(mhz, 1900.0, 1e-9);
        assert_int_equal(cores, 2);
        free(text);
}

static void test_cpuinfo_packages(void **state)
{
        (void)state;
        double mhz = 0;
        unsigned cores = 0;
        /* Two sockets with the same core ids: 4 cores. */
        const char *text =
                "processor\t: 0\ncpu MHz\t\t: 1000.0\nphysical id\t: 0\ncore id\t\t: 0\n\n"
                "processor\t: 1\ncpu MHz\t\t: 2000.0\nphysical id\t: 0\ncore id\t\t: 1\n\n"
                "processor\t: 2\ncpu MHz\t\t: 3000.0\nphysical id\t: 1\ncore id\t\t: 0\n\n"
                "processor\t: 3\ncpu MHz\t\t: 4000.0\nphysical id\t: 1\ncore id\t\t: 1\n\n"
                "processor\t: 4\ncpu MHz\t\t: 0.000\nphysical id\t: 1\ncore id\t\t: 1\n";
        assert_int_equal(cpuinfo_parse(text, &mhz, &cores), 0);
        /* 0 MHz (an idle core on some drivers) is not averaged in. */
        assert_float_equal(mhz, 2500.0, 1e-9);
        assert_int_equal(cores, 4);
}

static void test_cpuinfo_without_data(void **state)
{
        (void)state;
        double mhz = 0;
        unsigned cores = 99;
        /* ARM: no "cpu MHz", no ids. */
        const char *arm =
                "processor\t: 0\nBogoMIPS\t: 48.00\nFeatures\t: fp asimd evtstrm\n"
                "CPU implementer\t: 0x41\nCPU part\t: 0xd08\n\n";
        assert_int_equal(cpuinfo_parse(arm, &mhz, &cores), -ENODATA);
        assert_true(isnan(mhz));
        assert_int_equal(cores, 0);

        assert_int_equal(cpuinfo_parse("", &mhz, &cores), -ENODATA);
        /* Unparsable values are ignored, not zeros. */
        char *text = fixture_slurp("host-malformed/proc/cpuinfo", NULL);
        assert_int_equal(cpuinfo_parse(text, &mhz, &cores), -ENODATA);
        assert_true(isnan(mhz));
        assert_int_equal(cores, 0);
        free(text);

        /* MHz only (some VMs print no topology). */
        assert_int_equal(cpuinfo_parse("cpu MHz\t\t: 2400.5\n", &mhz, &cores), 0);
        assert_float_equal(mhz, 2400.5, 1e-9);
        assert_int_equal(cores, 0);
        /* A colon on the next line does not make "cpu MHz" a key. */
        assert_int_equal(cpuinfo_parse("cpu MHz\n: 2400\n", &mhz, &cores), -ENODATA);
}

/* ---- cpu_collect_levels + cpu_collect over the fixtures ------------------------------------- */

static void cpu_info_init(CpuInfo *c)
{
        memset(c, 0, sizeof *c);
        c->freq_current_mhz = c->freq_min_mhz = c->freq_max_mhz = NAN;
        c->load1 = c->load5 = c->load15 = NAN;
        c->percent = NAN;
        c->ctx_switches = c->interrupts = U64_ABSENT;
}

static void test_collect_basic(void **state)
{
        (void)state;
        RootFS fs;
        ProcStat st;
        CpuInfo c;
        fixture_open_roots(&fs, "host-basic");
        assert_int_equal(proc_stat_read(&fs, NULL, &st), 0);
        cpu_info_init(&c);

        assert_int_equal(cpu_collect_levels(&fs, &c), 0);
        assert_int_equal(cpu_collect(&fs, NULL, &st, &c), 0);
        assert_int_equal(c.count_logical, 2);
        assert_int_equal(c.count_physical, 2); /* sysfs topology */
        /* cpufreq: average of the policies, extremes of the limits. */
        assert_float_equal(c.freq_current_mhz, (2445.404 + 2000.0) / 2, 1e-9);
        assert_float_equal(c.freq_min_mhz, 1500.0, 1e-9);
        assert_float_equal(c.freq_max_mhz, 3500.0, 1e-9);
        assert_float_equal(c.load1, 0.52, 1e-9);
        assert_float_equal(c.load15, 0.22, 1e-9);
        assert_true(c.has_times);
        assert_int_equal(c.times.idle, 148980);
        assert_int_equal(c.ctx_switches, 348303);
        assert_int_equal(c.interrupts, 242901);
        /* No "before" sample: no percent. */
        assert_true(isnan(c.percent));
        assert_int_equal(c.n_cores, 0);
        assert_true(c.pressure.has_some && c.pressure.has_full);
        assert_int_equal(c.pressure.full.total_usec, 0);
        cpu_info_done(&c);
        proc_stat_done(&st);
        rootfs_close(&fs);
}

static void test_collect_percent(void **state)
{
        (void)state;
        RootFS fs;
        ProcStat before, after;
        CpuInfo c;
        fixture_open_roots(&fs, "host-basic");
        assert_int_equal(proc_stat_parse("cpu  100 0 0 100 0 0 0 0 0 0\n"
                                         "cpu0 50 0 0 50 0 0 0 0 0 0\n"
                                         "cpu1 50 0 0 50 0 0 0 0 0 0\n",
                                         &before),
                         0);
        assert_int_equal(proc_stat_parse("cpu  200 0 0 200 0 0 0 0 0 0\n"
                                         "cpu0 150 0 0 50 0 0 0 0 0 0\n"
                                         "cpu1 50 0 0 150 0 0 0 0 0 0\n",
                                         &after),
                         0);
        cpu_info_init(&c);
        assert_int_equal(cpu_collect(&fs, &before, &after, &c), 0);
        assert_float_equal(c.percent, 50.0, 1e-9);
        assert_int_equal(c.n_cores, 2);
        assert_float_equal(c.percent_per_core[0], 100.0, 1e-9);
        assert_float_equal(c.percent_per_core[1], 0.0, 1e-9);
        cpu_info_done(&c);
        proc_stat_done(&after);

        /* A CPU went offline between the samples: no per-core figures
         * rather than comparing different CPUs. */
        assert_int_equal(proc_stat_parse("cpu  200 0 0 200 0 0 0 0 0 0\n"
                                         "cpu0 150 0 0 50 0 0 0 0 0 0\n",
                                         &after),
                         0);
        cpu_info_init(&c);
        assert_int_equal(cpu_collect(&fs, &before, &after, &c), 0);
        assert_float_equal(c.percent, 50.0, 1e-9);
        assert_int_equal(c.n_cores, 0);
        assert_null(c.percent_per_core);
        assert_int_equal(c.count_logical, 1);
        cpu_info_done(&c);
        proc_stat_done(&after);
        proc_stat_done(&before);
        rootfs_close(&fs);
}

static void test_collect_old_kernel(void **state)
{
        (void)state;
        RootFS fs;
        ProcStat st;
        CpuInfo c;
        fixture_open_roots(&fs, "host-old-kernel");
        assert_int_equal(proc_stat_read(&fs, NULL, &st), 0);
        cpu_info_init(&c);
        assert_int_equal(cpu_collect_levels(&fs, &c), 0);
        assert_int_equal(cpu_collect(&fs, NULL, &st, &c), 0);
        assert_int_equal(c.count_logical, 4);
        /* thread_siblings_list "0-1" and "2-3" */
        assert_int_equal(c.count_physical, 2);
        /* No cpufreq: cpuinfo's average, no limits. */
        assert_float_equal(c.freq_current_mhz, 1900.0, 1e-9);
        assert_true(isnan(c.freq_min_mhz));
        assert_true(isnan(c.freq_max_mhz));
        assert_float_equal(c.load5, 0.03, 1e-9);
        assert_int_equal(c.times.steal, 0);
        /* No PSI before 4.20. */
        assert_false(c.pressure.has_some);
        assert_false(c.pressure.has_full);
        cpu_info_done(&c);
        proc_stat_done(&st);
        rootfs_close(&fs);
}

static void test_collect_malformed(void **state)
{
        (void)state;
        RootFS fs;
        ProcStat st;
        CpuInfo c;
        fixture_open_roots(&fs, "host-malformed");
        assert_int_equal(proc_stat_read(&fs, NULL, &st), 0);
        cpu_info_init(&c);
        assert_int_equal(cpu_collect_levels(&fs, &c), 0);
        assert_int_equal(cpu_collect(&fs, NULL, &st, &c), 0);
        assert_int_equal(c.count_logical, 1);
        assert_int_equal(c.count_physical, 0);
        assert_true(isnan(c.freq_current_mhz));
        /* loadavg "abc" */
        assert_true(isnan(c.load1) && isnan(c.load5) && isnan(c.load15));
        assert_true(c.ctx_switches == U64_ABSENT);
        assert_true(c.interrupts == U64_ABSENT);
        /* pressure/cpu with an overflowing total */
        assert_false(c.pressure.has_some || c.pressure.has_full);
        cpu_info_done(&c);
        proc_stat_done(&st);
        rootfs_close(&fs);
}

static void test_stat_read_missing(void **state)
{
        (void)state;
        RootFS fs;
        ProcStat st;
        /* A --procfs without a stat file (host-basic's sys/ directory). */
        const char *which = NULL;
        assert_int_equal(rootfs_open(&fs, FIXTURES_DIR "/host-basic/sys", FIXTURES_DIR "/host-basic/sys",
                                     FIXTURES_DIR "/host-basic/root", &which),
                         0);
        assert_int_equal(proc_stat_read(&fs, NULL, &st), -ENOENT);
        rootfs_close(&fs);
}

static void test_stat_read_live(void **state)
{
        (void)state;
        RootFS fs;
        ProcStat st;
        const char *which = NULL;
        assert_int_equal(rootfs_open(&fs, NULL, NULL, NULL, &which), 0);
        assert_int_equal(proc_stat_read(&fs, NULL, &st), 0);
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        assert_int_equal(st.n_cpu, (size_t)n);
        assert_true(has_u64(st.btime) && has_u64(st.ctxt));
        proc_stat_done(&st);
        rootfs_close(&fs);
}

/* The sampler keeps /proc/stat open: the second read is a pread of the
 * same fd; a fd that cannot be read any more is replaced. */
static void test_stat_read_kept_fd(void **state)
{
        (void)state;
        RootFS fs;
        ProcStat a, b, c;
        int fd = -1;
        fixture_open_roots(&fs, "host-basic");
        assert_int_equal(proc_stat_read(&fs, &fd, &a), 0);
        assert_true(fd >= 0);
        int first = fd;
        assert_int_equal(proc_stat_read(&fs, &fd, &b), 0);
        assert_int_equal(fd, first);
        assert_int_equal(a.total.idle, b.total.idle);
        assert_int_equal(a.btime, b.btime);

        /* A directory fd: pread fails with EISDIR, the file is reopened. */
        close(fd);
        fd = openat(fs.proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(proc_stat_read(&fs, &fd, &c), 0);
        assert_true(fd >= 0);
        assert_int_equal(c.total.idle, a.total.idle);
        close(fd);
        proc_stat_done(&a);
        proc_stat_done(&b);
        proc_stat_done(&c);
        rootfs_close(&fs);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_stat_real_sample),
                cmocka_unit_test(test_stat_all_columns_distinct),
                cmocka_unit_test(test_stat_old_kernel),
                cmocka_unit_test(test_stat_per_cpu),
                cmocka_unit_test(test_stat_missing_cpu_line),
                cmocka_unit_test(test_stat_huge_values),
                cmocka_unit_test(test_stat_overflow_mid_line), /* was a bug, fixed */
                cmocka_unit_test(test_stat_keyed_lines),
                cmocka_unit_test(test_busy_percent),
                cmocka_unit_test(test_loadavg),
                cmocka_unit_test(test_loadavg_malformed),
                cmocka_unit_test(test_cpuinfo_real),
                cmocka_unit_test(test_cpuinfo_packages),
                cmocka_unit_test(test_cpuinfo_without_data),
                cmocka_unit_test(test_stat_read_kept_fd),
                cmocka_unit_test(test_collect_basic),
                cmocka_unit_test(test_collect_percent),
                cmocka_unit_test(test_collect_old_kernel),
                cmocka_unit_test(test_collect_malformed),
                cmocka_unit_test(test_stat_read_missing),
                cmocka_unit_test(test_stat_read_live),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
