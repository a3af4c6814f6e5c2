/* SPDX-License-Identifier: MIT */
/* collect/memory: meminfo_parse, memory_derive (psutil's formulas) and
 * memory_collect over the host-* fixture trees. */
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

#include "collect/memory.h"
#include "collect/rootfs.h"
#include "util/fileio.h"

#define KB 1024ULL

/* What snapshot_init() sets up for the memory part. */
static void memory_info_init(MemoryInfo *m)
{
        memset(m, 0, sizeof *m);
        for (int k = 0; k < _MEM_MAX; k++)
                m->detail.value[k] = U64_ABSENT;
        m->virt.percent = m->swap.percent = NAN;
        m->swap.sin_bytes = m->swap.sout_bytes = U64_ABSENT;
        m->oom_kill_count = U64_ABSENT;
}

/* ---- meminfo_parse ----------------------------------------------------- */

static void test_meminfo_real_sample(void **state)
{
        (void)state;
        char *text = fixture_slurp("host-basic/proc/meminfo", NULL);
        MemInfo mi;

        assert_int_equal(meminfo_parse(text, &mi), 0);
        assert_int_equal(mi.value[MEM_MemTotal], 24683656 * KB);
        assert_int_equal(mi.value[MEM_MemFree], 24240740 * KB);
        assert_int_equal(mi.value[MEM_MemAvailable], 24355084 * KB);
        assert_int_equal(mi.value[MEM_Buffers], 3132 * KB);
        assert_int_equal(mi.value[MEM_Cached], 301288 * KB);
        /* "Active:" and not "Active(anon):" / "Active(file):" */
        assert_int_equal(mi.value[MEM_Active], 168536 * KB);
        assert_int_equal(mi.value[MEM_Inactive], 164360 * KB);
        assert_int_equal(mi.value[MEM_SwapTotal], 0);
        assert_int_equal(mi.value[MEM_SReclaimable], 48892 * KB);
        assert_int_equal(mi.value[MEM_Shmem], 8952 * KB);
        assert_int_equal(mi.value[MEM_Committed_AS] % KB, 0);
        assert_int_equal(mi.value[MEM_HugePages_Total], 0);
        assert_int_equal(mi.value[MEM_Hugepagesize], 2048 * KB);
        assert_int_equal(mi.value[MEM_DirectMap1G], 25165824 * KB);
        /* Every key we know is in a 6.x meminfo. */
        for (int k = 0; k < _MEM_MAX; k++)
                if (!has_u64(mi.value[k]))
                        fail_msg("%s missing", mem_key_to_string((MemKey)k));
        free(text);
}

static void test_meminfo_old_kernel(void **state)
{
        (void)state;
        char *text = fixture_slurp("host-old-kernel/proc/meminfo", NULL);
        MemInfo mi;

        assert_int_equal(meminfo_parse(text, &mi), 0);
        assert_int_equal(mi.value[MEM_MemTotal], 8062392 * KB);
        /* Before 3.14: absent, not 0. */
        assert_true(mi.value[MEM_MemAvailable] == U64_ABSENT);
        assert_true(mi.value[MEM_KReclaimable] == U64_ABSENT);
        assert_true(mi.value[MEM_DirectMap1G] == U64_ABSENT);
        /* HugePages_* are page counts: no unit, not scaled. */
        assert_int_equal(mi.value[MEM_HugePages_Total], 16);
        assert_int_equal(mi.value[MEM_HugePages_Free], 12);
        assert_int_equal(mi.value[MEM_Hugepagesize], 2048 * KB);
        free(text);
}

static void test_meminfo_minimal(void **state)
{
        (void)state;
        MemInfo mi;
        /* Only MemTotal, no trailing newline, odd spacing. */
        assert_int_equal(meminfo_parse("MemTotal:1 kB", &mi), 0);
        assert_int_equal(mi.value[MEM_MemTotal], 1024);
        for (int k = 1; k < _MEM_MAX; k++)
                assert_true(mi.value[k] == U64_ABSENT);

        assert_int_equal(meminfo_parse("Foo: 5 kB\nMemTotal: \t 7 kB\n\nBar\n", &mi), 0);
        assert_int_equal(mi.value[MEM_MemTotal], 7 * KB);
}

static void test_meminfo_missing_memtotal(void **state)
{
        (void)state;
        MemInfo mi;
        memset(&mi, 0x5a, sizeof mi);
        MemInfo before = mi;

        assert_int_equal(meminfo_parse("", &mi), -EBADMSG);
        assert_int_equal(meminfo_parse("\n", &mi), -EBADMSG);
        assert_int_equal(meminfo_parse("MemFree: 5 kB\nMemAvailable: 6 kB\n", &mi), -EBADMSG);
        /* Keys are exact and case-sensitive. */
        assert_int_equal(meminfo_parse("memtotal: 5 kB\nMemTotalX: 5 kB\n MemTotal: 5 kB\n", &mi),
                         -EBADMSG);
        assert_int_equal(meminfo_parse("MemTotal 5 kB\n", &mi), -EBADMSG);
        assert_int_equal(meminfo_parse("MemTotal: abc kB\n", &mi), -EBADMSG);
        assert_int_equal(meminfo_parse("MemTotal: -5 kB\n", &mi), -EBADMSG);
        assert_int_equal(meminfo_parse("MemTotal:\n", &mi), -EBADMSG);
        /* An unknown unit is not guessed at. */
        assert_int_equal(meminfo_parse("MemTotal: 5 MB\n", &mi), -EBADMSG);
        assert_int_equal(meminfo_parse("MemTotal: 5kB\n", &mi), 0); /* no blank needed */
        memset(&mi, 0x5a, sizeof mi);
        /* The colon of the next line does not make a key. */
        assert_int_equal(meminfo_parse("MemTotal\n: 5 kB\n", &mi), -EBADMSG);
        assert_memory_equal(&mi, &before, sizeof mi);
}

static void test_meminfo_overflow(void **state)
{
        (void)state;
        MemInfo mi;
        /* 2^54 kB = 2^64 bytes: does not fit, and MemTotal is required. */
        assert_int_equal(meminfo_parse("MemTotal: 18014398509481984 kB\n", &mi), -EBADMSG);
        assert_int_equal(meminfo_parse("MemTotal: 18446744073709551616 kB\n", &mi), -EBADMSG);

        /* The largest that fits; an overflowing other key is absent. */
        assert_int_equal(meminfo_parse("MemTotal: 18014398509481983 kB\n"
                                       "MemFree: 18014398509481984 kB\n"
                                       "SwapTotal: 18446744073709551616 kB\n"
                                       "HugePages_Total: 18446744073709551615\n"
                                       "HugePages_Free: 18446744073709551616\n",
                                       &mi),
                         0);
        assert_true(mi.value[MEM_MemTotal] == UINT64_MAX - 1023);
        assert_true(mi.value[MEM_MemFree] == U64_ABSENT);
        assert_true(mi.value[MEM_SwapTotal] == U64_ABSENT);
        assert_true(mi.value[MEM_HugePages_Total] == UINT64_MAX);
        assert_true(mi.value[MEM_HugePages_Free] == U64_ABSENT);
}

/* QUESTIONABLE (src/collect/memory.c meminfo_parse): the unit is not checked
 * against the kind of key. A byte key printed without "kB"
 * ("MemTotal: 1234") is stored as 1234 bytes, a guess the code refuses for
 * unknown units ("do not guess"); a count key with a unit
 * ("HugePages_Total: 16 kB") becomes 16384 "pages". The kernel prints
 * neither, so both should leave the key absent (mem_key_is_count() says
 * which form to expect). */
static void test_meminfo_unit_matches_key(void **state)
{
        (void)state;
        MemInfo mi;
        assert_int_equal(meminfo_parse("MemTotal: 4 kB\nMemFree: 1234\nHugePages_Total: 16 kB\n", &mi), 0);
        assert_true(mi.value[MEM_MemFree] == U64_ABSENT);
        assert_true(mi.value[MEM_HugePages_Total] == U64_ABSENT);
}

/* ---- memory_derive ----------------------------------------------------- */

static void derive(const char *text, VirtualMemory *v, SwapMemory *s)
{
        MemInfo mi;
        assert_int_equal(meminfo_parse(text, &mi), 0);
        memset(s, 0, sizeof *s);
        s->sin_bytes = s->sout_bytes = U64_ABSENT;
        memory_derive(&mi, v, s);
}

static void test_derive_real_sample(void **state)
{
        (void)state;
        char *text = fixture_slurp("host-basic/proc/meminfo", NULL);
        VirtualMemory v;
        SwapMemory s;
        derive(text, &v, &s);

        assert_int_equal(v.total, 24683656 * KB);
        assert_int_equal(v.free, 24240740 * KB);
        assert_int_equal(v.buffers, 3132 * KB);
        assert_int_equal(v.cached, (301288 + 48892) * KB); /* Cached + SReclaimable */
        assert_int_equal(v.shared, 8952 * KB);
        assert_int_equal(v.active, 168536 * KB);
        assert_int_equal(v.inactive, 164360 * KB);
        assert_int_equal(v.used, (24683656 - 24240740 - 3132 - 301288 - 48892) * KB);
        assert_int_equal(v.available, 24355084 * KB);
        assert_float_equal(v.percent, 1.3, 1e-9); /* 328572 / 24683656 = 1.33 % */
        assert_int_equal(s.total, 0);
        assert_int_equal(s.used, 0);
        assert_int_equal(s.free, 0);
        assert_float_equal(s.percent, 0.0, 0);
        /* sin/sout come from vmstat, not meminfo: left as they were. */
        assert_true(s.sin_bytes == U64_ABSENT && s.sout_bytes == U64_ABSENT);
        free(text);
}

static void test_derive_without_memavailable(void **state)
{
        (void)state;
        char *text = fixture_slurp("host-old-kernel/proc/meminfo", NULL);
        VirtualMemory v;
        SwapMemory s;
        derive(text, &v, &s);

        /* Before 3.14: available = free + buffers + cached. */
        uint64_t cached = (3072000 + 307200) * KB;
        assert_int_equal(v.total, 8062392 * KB);
        assert_int_equal(v.cached, cached);
        assert_int_equal(v.available, 512000 * KB + 204800 * KB + cached);
        assert_int_equal(v.used, 8062392 * KB - 512000 * KB - 204800 * KB - cached);
        assert_float_equal(v.percent, 49.2, 1e-9);
        assert_int_equal(s.total, 4194296 * KB);
        assert_int_equal(s.free, 4093248 * KB);
        assert_int_equal(s.used, (4194296 - 4093248) * KB);
        assert_float_equal(s.percent, 2.4, 1e-9);
        free(text);

        /* A 2.6.18 meminfo: no SReclaimable, no Shmem. */
        derive("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 100 kB\nCached: 200 kB\n", &v, &s);
        assert_int_equal(v.cached, 200 * KB);
        assert_int_equal(v.shared, 0);
        assert_int_equal(v.available, 400 * KB);
        assert_int_equal(v.used, 600 * KB);
        assert_float_equal(v.percent, 60.0, 1e-9);
}

static void test_derive_edges(void **state)
{
        (void)state;
        VirtualMemory v;
        SwapMemory s;

        /* Container-distorted numbers: buffers + cached above total - free.
         * psutil then reports used = total - free. */
        derive("MemTotal: 1000 kB\nMemFree: 300 kB\nBuffers: 500 kB\nCached: 500 kB\n"
               "MemAvailable: 900 kB\n",
               &v, &s);
        assert_int_equal(v.used, 700 * KB);
        assert_float_equal(v.percent, 10.0, 1e-9);

        /* MemAvailable above MemTotal is clamped. */
        derive("MemTotal: 1000 kB\nMemFree: 1000 kB\nMemAvailable: 5000 kB\n", &v, &s);
        assert_int_equal(v.available, 1000 * KB);
        assert_float_equal(v.percent, 0.0, 0);
        assert_int_equal(v.used, 0);

        /* MemFree above MemTotal: used never wraps. */
        derive("MemTotal: 1000 kB\nMemFree: 2000 kB\nMemAvailable: 0 kB\n", &v, &s);
        assert_int_equal(v.used, 0);
        assert_float_equal(v.percent, 100.0, 1e-9);

        /* MemTotal 0: percent 0, no division by zero. */
        derive("MemTotal: 0 kB\n", &v, &s);
        assert_int_equal(v.total, 0);
        assert_float_equal(v.percent, 0.0, 0);

        /* Swap: SwapFree above SwapTotal is clamped; rounding to 0.1. */
        derive("MemTotal: 1000 kB\nSwapTotal: 100 kB\nSwapFree: 200 kB\n", &v, &s);
        assert_int_equal(s.free, 100 * KB);
        assert_int_equal(s.used, 0);
        assert_float_equal(s.percent, 0.0, 0);
        derive("MemTotal: 1000 kB\nSwapTotal: 3 kB\nSwapFree: 2 kB\n", &v, &s);
        assert_int_equal(s.used, 1 * KB);
        assert_float_equal(s.percent, 33.3, 1e-9);
        derive("MemTotal: 3 kB\nMemAvailable: 1 kB\n", &v, &s);
        assert_float_equal(v.percent, 66.7, 1e-9);

        /* Largest values: no overflow in the sums or the percentages. */
        derive("MemTotal: 18014398509481983 kB\nMemFree: 18014398509481983 kB\n"
               "Buffers: 18014398509481983 kB\nCached: 18014398509481983 kB\n"
               "SReclaimable: 18014398509481983 kB\n",
               &v, &s);
        assert_true(v.total == UINT64_MAX - 1023);
        assert_true(v.available <= v.total);
        assert_true(v.used <= v.total);
        assert_true(v.percent >= 0.0 && v.percent <= 100.0);
}

/* Fixed in place (src/collect/memory.c memory_derive): when MemFree +
 * Buffers + cached is exactly MemTotal, psutil's used is 0 (its fallback
 * is only for a negative result); the code took the fallback on equality
 * and reported used = total - free. */
static void test_derive_used_zero(void **state)
{
        (void)state;
        VirtualMemory v;
        SwapMemory s;
        derive("MemTotal: 1000 kB\nMemFree: 500 kB\nBuffers: 200 kB\nCached: 300 kB\n", &v, &s);
        assert_int_equal(v.used, 0);
}

/* ---- memory_collect over the fixtures ---------------------------------- */

static void test_collect_basic(void **state)
{
        (void)state;
        RootFS fs;
        MemoryInfo m;
        fixture_open_roots(&fs, "host-basic");
        memory_info_init(&m);

        assert_int_equal(memory_collect(&fs, &m), 0);
        assert_true(m.has_meminfo);
        assert_int_equal(m.virt.total, 24683656 * KB);
        assert_int_equal(m.detail.value[MEM_MemTotal], 24683656 * KB);
        assert_int_equal(m.swap.sin_bytes, 0);
        assert_int_equal(m.swap.sout_bytes, 0);
        assert_int_equal(m.oom_kill_count, 0);
        assert_true(m.pressure.has_some && m.pressure.has_full);
        assert_int_equal(m.pressure.some.total_usec, 0);
        rootfs_close(&fs);
}

static void test_collect_old_kernel(void **state)
{
        (void)state;
        RootFS fs;
        MemoryInfo m;
        fixture_open_roots(&fs, "host-old-kernel");
        memory_info_init(&m);

        assert_int_equal(memory_collect(&fs, &m), 0);
        assert_int_equal(m.virt.available, (512000 + 204800 + 3072000 + 307200) * KB);
        /* vmstat pages -> bytes; no oom_kill before 4.13; no PSI. */
        uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
        assert_int_equal(m.swap.sin_bytes, 1234 * page);
        assert_int_equal(m.swap.sout_bytes, 5678 * page);
        assert_true(m.oom_kill_count == U64_ABSENT);
        assert_false(m.pressure.has_some || m.pressure.has_full);
        rootfs_close(&fs);
}

static void test_collect_malformed(void **state)
{
        (void)state;
        RootFS fs;
        MemoryInfo m;
        fixture_open_roots(&fs, "host-malformed");
        memory_info_init(&m);

        /* Empty meminfo: the collector fails, nothing is half-filled. */
        assert_int_equal(memory_collect(&fs, &m), -EBADMSG);
        assert_false(m.has_meminfo);
        assert_true(m.detail.value[MEM_MemTotal] == U64_ABSENT);
        assert_true(m.swap.sin_bytes == U64_ABSENT);
        rootfs_close(&fs);

        /* No meminfo file at all. */
        const char *which = NULL;
        assert_int_equal(rootfs_open(&fs, FIXTURES_DIR "/host-basic/sys", FIXTURES_DIR "/host-basic/sys",
                                     FIXTURES_DIR "/host-basic/root", &which),
                         0);
        memory_info_init(&m);
        assert_int_equal(memory_collect(&fs, &m), -ENOENT);
        assert_false(m.has_meminfo);
        rootfs_close(&fs);
}

static void test_collect_live(void **state)
{
        (void)state;
        RootFS fs;
        MemoryInfo m;
        const char *which = NULL;
        assert_int_equal(rootfs_open(&fs, NULL, NULL, NULL, &which), 0);
        memory_info_init(&m);
        assert_int_equal(memory_collect(&fs, &m), 0);
        assert_true(m.virt.total > 0);
        assert_int_equal(m.virt.total % 1024, 0);
        assert_true(m.virt.available <= m.virt.total);
        assert_true(m.virt.used <= m.virt.total);
        rootfs_close(&fs);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_meminfo_real_sample),
                cmocka_unit_test(test_meminfo_old_kernel),
                cmocka_unit_test(test_meminfo_minimal),
                cmocka_unit_test(test_meminfo_missing_memtotal),
                cmocka_unit_test(test_meminfo_overflow),
                cmocka_unit_test(test_meminfo_unit_matches_key), /* was lenient, fixed */
                cmocka_unit_test(test_derive_real_sample),
                cmocka_unit_test(test_derive_without_memavailable),
                cmocka_unit_test(test_derive_edges),
                cmocka_unit_test(test_derive_used_zero),
                cmocka_unit_test(test_collect_basic),
                cmocka_unit_test(test_collect_old_kernel),
                cmocka_unit_test(test_collect_malformed),
                cmocka_unit_test(test_collect_live),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
