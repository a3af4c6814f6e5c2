/* SPDX-License-Identifier: MIT */
/* Tests for collect/cgroup.c: the /proc/self/cgroup, single-value and keyed
 * parsers with hostile input, and cgroup_memory_collect end to end over the
 * cgroup-v1, cgroup-v2, cgroup-hybrid and cgroup-none fixture trees plus
 * small temporary trees for the fallback rules. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collect/cgroup.h"
#include "util/parse.h"

#define V2_POD "/kubepods.slice/kubepods-burstable.slice/" \
               "kubepods-burstable-pod3f2b9c1e_8d4a_4b6e_9c2f_1a7e5d3b8c90.slice"
#define V2_LEAF V2_POD "/cri-containerd-5b0e8f2a9c4d7e1f3a6b8c0d2e4f6a8b1c3d5e7f9a0b2c4d6e8f0a1b3c5d7e9f.scope"
#define V1_LEAF "/kubepods/burstable/pod7c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f/" \
                "9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0"
#define HYBRID_LEAF "/process_api/e0664359a0693fc39c04ad7f463455b6"

#define assert_double(a, b) assert_true(fabs((a) - (b)) < 1e-9)

/* ---- helpers ------------------------------------------------------------ */

static int collect_dirs(RootFS *fs, const char *proc, const char *sys, CgroupMemory *c)
{
        const char *which = NULL;
        assert_int_equal(rootfs_open(fs, proc, sys, "/", &which), 0);
        cgroup_memory_init(c);
        int r = cgroup_memory_collect(fs, c);
        rootfs_close(fs);
        return r;
}

static int collect_fixture(const char *scenario, CgroupMemory *c)
{
        char proc[512], sys[512];
        RootFS fs;
        snprintf(proc, sizeof proc, "%s/%s/proc", FIXTURES_DIR, scenario);
        snprintf(sys, sizeof sys, "%s/%s/sys", FIXTURES_DIR, scenario);
        return collect_dirs(&fs, proc, sys, c);
}

static uint64_t stat_get(const CgroupMemory *c, const char *key)
{
        for (size_t i = 0; i < c->n_stat; i++)
                if (strcmp(c->stat[i].key, key) == 0)
                        return c->stat[i].value;
        return U64_ABSENT;
}

/* A scratch tree under /tmp, removed after each test that uses it. */
static char tmp_root[64];

static void tree_write(const char *rel, const char *content)
{
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", tmp_root, rel);
        for (char *p = path + strlen(tmp_root) + 1; *p; p++) {
                if (*p != '/')
                        continue;
                *p = '\0';
                if (mkdir(path, 0755) < 0)
                        assert_int_equal(errno, EEXIST);
                *p = '/';
        }
        if (!content) {
                if (mkdir(path, 0755) < 0)
                        assert_int_equal(errno, EEXIST);
                return;
        }
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(content, f);
        assert_int_equal(fclose(f), 0);
}

static int tree_setup(void **state)
{
        (void)state;
        snprintf(tmp_root, sizeof tmp_root, "/tmp/test-cgroup-XXXXXX");
        if (!mkdtemp(tmp_root))
                return -1;
        tree_write("proc/", NULL);
        tree_write("sys/", NULL);
        return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        (void)st;
        (void)flag;
        (void)ftw;
        return remove(path);
}

static int tree_teardown(void **state)
{
        (void)state;
        return nftw(tmp_root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Collects with <tmp>/proc as procfs and the given sysfs (NULL: <tmp>/sys). */
static int collect_tmp(const char *sys, CgroupMemory *c)
{
        char proc[128], tsys[128];
        RootFS fs;
        snprintf(proc, sizeof proc, "%s/proc", tmp_root);
        snprintf(tsys, sizeof tsys, "%s/sys", tmp_root);
        return collect_dirs(&fs, proc, sys ? sys : tsys, c);
}

static void assert_all_absent(const CgroupMemory *c)
{
        assert_true(c->usage == U64_ABSENT && c->limit == U64_ABSENT && c->high == U64_ABSENT);
        assert_true(c->peak == U64_ABSENT && c->swap_usage == U64_ABSENT);
        assert_true(c->swap_limit == U64_ABSENT);
        assert_true(isnan(c->percent) && isnan(c->swap_percent));
        assert_true(c->ev_oom_kill == U64_ABSENT && c->v1_failcnt == U64_ABSENT);
        assert_int_equal(c->n_stat, 0);
}

/* ---- cgroup_self_parse ---------------------------------------------------- */

static void test_self_parse_hybrid_sample(void **state)
{
        (void)state;
        /* Captured from the hybrid host the cgroup-hybrid fixture comes from. */
        const char *buf = "9:name=systemd:/\n8:pids:/\n7:blkio:/\n6:freezer:/\n5:devices:/\n"
                          "4:memory:/process_api/e0664359a0693fc39c04ad7f463455b6\n"
                          "3:cpuset:/\n2:cpuacct:/\n1:cpu:/\n0::/\n";
        CgroupSelf s;
        assert_int_equal(cgroup_self_parse(buf, &s), 0);
        assert_true(s.has_memory);
        assert_string_equal(s.memory_path, HYBRID_LEAF);
        assert_string_equal(s.memory_controllers, "memory");
        assert_true(s.has_unified);
        assert_string_equal(s.unified_path, "/");
}

static void test_self_parse_v2_only(void **state)
{
        (void)state;
        CgroupSelf s;
        assert_int_equal(cgroup_self_parse("0::" V2_LEAF "\n", &s), 0);
        assert_true(s.has_unified);
        assert_false(s.has_memory);
        assert_string_equal(s.unified_path, V2_LEAF);
        /* no trailing newline */
        assert_int_equal(cgroup_self_parse("0::/init.scope", &s), 0);
        assert_string_equal(s.unified_path, "/init.scope");
}

static void test_self_parse_controller_lists(void **state)
{
        (void)state;
        CgroupSelf s;
        const char *buf = "12:name=memory:/wrong1\n"    /* a named hierarchy, not memory */
                          "11:memoryx:/wrong2\n"
                          "10:cpu,cpuacct:/wrong3\n"
                          "7:hugetlb,memory:/right\n"
                          "6:memory:/second\n";          /* first one wins */
        assert_int_equal(cgroup_self_parse(buf, &s), 0);
        assert_true(s.has_memory);
        assert_false(s.has_unified);
        assert_string_equal(s.memory_path, "/right");
        assert_string_equal(s.memory_controllers, "hugetlb,memory");

        /* A list that cannot be a directory name is not kept as one. */
        assert_int_equal(cgroup_self_parse("4:memory,name=x:/a\n", &s), 0);
        assert_true(s.has_memory);
        assert_string_equal(s.memory_controllers, "");
}

static void test_self_parse_spaces_and_colons(void **state)
{
        (void)state;
        CgroupSelf s;
        assert_int_equal(cgroup_self_parse("0::/my slice/a b:c.scope\n"
                                           "4:memory:/x: y /z \n", &s), 0);
        assert_string_equal(s.unified_path, "/my slice/a b:c.scope");
        assert_string_equal(s.memory_path, "/x: y /z ");
        /* v2 marks a removed cgroup; the path is kept verbatim */
        assert_int_equal(cgroup_self_parse("0::/a/b (deleted)\n", &s), 0);
        assert_string_equal(s.unified_path, "/a/b (deleted)");
}

static void test_self_parse_long_paths(void **state)
{
        (void)state;
        CgroupSelf s;
        size_t max = sizeof s.unified_path - 1;
        char *buf = malloc(3 * 4096);
        assert_non_null(buf);

        /* exactly fits */
        strcpy(buf, "0::/");
        memset(buf + 4, 'a', max - 1);
        strcpy(buf + 3 + max, "\n");
        assert_int_equal(cgroup_self_parse(buf, &s), 0);
        assert_true(s.has_unified);
        assert_int_equal(strlen(s.unified_path), max);

        /* one byte too long: dropped, not truncated */
        strcpy(buf, "0::/");
        memset(buf + 4, 'a', max);
        strcpy(buf + 4 + max, "\n");
        assert_int_equal(cgroup_self_parse(buf, &s), 0);
        assert_false(s.has_unified);
        assert_string_equal(s.unified_path, "");

        /* a 4000-byte memory path, then usable lines */
        strcpy(buf, "4:memory:/");
        memset(buf + 10, 'b', 4000);
        strcpy(buf + 4010, "\n0::/ok\n5:memory:/later\n");
        assert_int_equal(cgroup_self_parse(buf, &s), 0);
        assert_string_equal(s.unified_path, "/ok");
        assert_true(s.has_memory);
        assert_string_equal(s.memory_path, "/later");

        /* an overlong controller list */
        strcpy(buf, "4:memory,");
        memset(buf + 9, 'c', 3000);
        strcpy(buf + 3009, ":/p\n");
        assert_int_equal(cgroup_self_parse(buf, &s), 0);
        assert_true(s.has_memory);
        assert_string_equal(s.memory_path, "/p");
        assert_string_equal(s.memory_controllers, "");
        free(buf);
}

static void test_self_parse_malformed(void **state)
{
        (void)state;
        static const char *const bad[] = {
                "",
                "\n",
                "\n\n\n",
                "garbage",
                "4memory/x\n",          /* no colons */
                "4:memory\n",           /* one colon */
                "4:memory/x\n",
                ":memory:/x\n",         /* empty hierarchy ID */
                "x:memory:/x\n",        /* non-numeric ID */
                "-4:memory:/x\n",
                "99999999999:memory:/x\n",
                "4:memory:\n",          /* empty path */
                "4:memory:relative\n",  /* not absolute */
                "0:memory:/x\n",        /* hierarchy 0 has no controllers */
                "4::/x\n",              /* v1 with an empty list */
                "0::\n",
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                CgroupSelf s;
                memset(&s, 0x55, sizeof s);
                assert_int_equal(cgroup_self_parse(bad[i], &s), -EBADMSG);
                assert_false(s.has_unified);
                assert_false(s.has_memory);
                assert_string_equal(s.memory_path, "");
        }
        /* bad lines around a good one */
        CgroupSelf s;
        assert_int_equal(cgroup_self_parse("junk\n4:memory\n\n0::/good\n:::\n", &s), 0);
        assert_true(s.has_unified);
        assert_string_equal(s.unified_path, "/good");
}

/* ---- cgroup_value_parse / cgroup_limit_normalize -------------------------- */

static void test_value_parse(void **state)
{
        (void)state;
        uint64_t v;

        assert_int_equal(cgroup_value_parse("536870912\n", &v), 0);
        assert_int_equal(v, 536870912);
        assert_int_equal(cgroup_value_parse("0", &v), 0);
        assert_int_equal(v, 0);
        assert_int_equal(cgroup_value_parse("42 \n", &v), 0);
        assert_int_equal(v, 42);
        v = 7;
        assert_int_equal(cgroup_value_parse("max\n", &v), 0);
        assert_true(v == U64_ABSENT);
        assert_int_equal(cgroup_value_parse("max", &v), 0);
        assert_true(v == U64_ABSENT);
        assert_int_equal(cgroup_value_parse("9223372036854771712\n", &v), 0);
        assert_true(v == UINT64_C(9223372036854771712));

        assert_int_equal(cgroup_value_parse("18446744073709551616\n", &v), -ERANGE);
        assert_int_equal(cgroup_value_parse("99999999999999999999999999\n", &v), -ERANGE);

        static const char *const bad[] = {
                "", "\n", " ", "-1\n", "-1", "+5", " 12", "12 34", "12abc", "1.5",
                "0x10", "maximum", "MAX", "ma", "max max", "garbage\n", "\n12",
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                v = 7;
                assert_int_equal(cgroup_value_parse(bad[i], &v), -EBADMSG);
                assert_int_equal(v, 7);
        }
}

static void test_limit_normalize(void **state)
{
        (void)state;
        /* PAGE_COUNTER_MAX * 4 KiB and * 64 KiB */
        assert_true(cgroup_limit_normalize(UINT64_C(9223372036854771712)) == U64_ABSENT);
        assert_true(cgroup_limit_normalize(UINT64_C(9223372036854710272)) == U64_ABSENT);
        assert_true(cgroup_limit_normalize(INT64_MAX) == U64_ABSENT);
        assert_true(cgroup_limit_normalize(U64_ABSENT) == U64_ABSENT);
        assert_true(cgroup_limit_normalize(UINT64_C(0x7FFFFFFFFFEFFFFF)) == UINT64_C(0x7FFFFFFFFFEFFFFF));
        assert_int_equal(cgroup_limit_normalize(1073741824), 1073741824);
        assert_int_equal(cgroup_limit_normalize(0), 0);
}

/* ---- keyed_u64_parse --------------------------------------------------- */

static const char *const ev_keys[] = { "low", "high", "max", "oom", "oom_kill", "oom_group_kill" };

static void test_keyed_events(void **state)
{
        (void)state;
        uint64_t v[6];
        size_t n = keyed_u64_parse("low 0\nhigh 0\nmax 1843\noom 2\noom_kill 2\noom_group_kill 0\n",
                                      ev_keys, 6, v);
        assert_int_equal(n, 6);
        assert_int_equal(v[0], 0);
        assert_int_equal(v[2], 1843);
        assert_int_equal(v[3], 2);
        assert_int_equal(v[4], 2);
        assert_int_equal(v[5], 0);

        /* older kernels: no oom_group_kill; no trailing newline; tab separator */
        n = keyed_u64_parse("low 1\nhigh 2\nmax 3\noom 4\noom_kill\t5", ev_keys, 6, v);
        assert_int_equal(n, 5);
        assert_int_equal(v[4], 5);
        assert_true(v[5] == U64_ABSENT);
}

static void test_keyed_missing_and_empty(void **state)
{
        (void)state;
        uint64_t v[6];
        memset(v, 0, sizeof v);
        assert_int_equal(keyed_u64_parse("", ev_keys, 6, v), 0);
        for (size_t i = 0; i < 6; i++)
                assert_true(v[i] == U64_ABSENT);
        assert_int_equal(keyed_u64_parse("\n\n", ev_keys, 6, v), 0);
        assert_int_equal(keyed_u64_parse("unrelated 5\nother 6\n", ev_keys, 6, v), 0);
        assert_true(v[0] == U64_ABSENT);
}

static void test_keyed_duplicates(void **state)
{
        (void)state;
        uint64_t v[6];
        /* the first valid line wins */
        assert_int_equal(keyed_u64_parse("oom_kill 1\noom_kill 5\n", ev_keys, 6, v), 1);
        assert_int_equal(v[4], 1);
        assert_int_equal(keyed_u64_parse("oom_kill x\noom_kill 5\n", ev_keys, 6, v), 1);
        assert_int_equal(v[4], 5);
}

static void test_keyed_malformed(void **state)
{
        (void)state;
        uint64_t v[6];
        const char *buf = "oom_kill -1\n"
                          "oom 18446744073709551616\n"
                          "max 12abc\n"
                          "high\n"
                          "low \n"
                          "oom_kill_extra 9\n"    /* longer key: not oom_kill */
                          "oo 9\n"                /* shorter key: not oom */
                          " oom_group_kill 3\n"   /* leading blank: no key */
                          "OOM 4\n"
                          "oom_group_kill 3 4\n"
                          "oom_kill 7kB\n";
        assert_int_equal(keyed_u64_parse(buf, ev_keys, 6, v), 0);
        for (size_t i = 0; i < 6; i++)
                assert_true(v[i] == U64_ABSENT);
        /* trailing blanks are fine, a huge valid number too */
        assert_int_equal(keyed_u64_parse("max 18446744073709551614  \n", ev_keys, 6, v), 1);
        assert_true(v[2] == UINT64_C(18446744073709551614));
}

static void test_controllers_has(void **state)
{
        (void)state;
        assert_true(cgroup_controllers_has("cpuset cpu io memory hugetlb pids rdma misc\n", "memory"));
        assert_true(cgroup_controllers_has("memory", "memory"));
        assert_true(cgroup_controllers_has("cpuset cpu", "cpu"));
        assert_false(cgroup_controllers_has("cpuset cpu io pids\n", "memory"));
        assert_false(cgroup_controllers_has("memoryx xmemory\n", "memory"));
        assert_false(cgroup_controllers_has("", "memory"));
        assert_false(cgroup_controllers_has("\n", "memory"));
        assert_false(cgroup_controllers_has("cpuset", "cpu"));
        assert_false(cgroup_controllers_has("cpu", ""));
}

/* ---- end to end over the fixtures ----------------------------------------- */

static void test_collect_v2(void **state)
{
        (void)state;
        CgroupMemory c;
        assert_int_equal(collect_fixture("cgroup-v2", &c), 0);
        assert_int_equal(c.version, 2);
        assert_false(c.hybrid);
        assert_string_equal(c.path, V2_LEAF);
        assert_string_equal(c.mount, "fs/cgroup");
        assert_string_equal(c.dir, V2_LEAF);
        assert_int_equal(c.usage, 412876800);
        assert_int_equal(c.limit, 536870912);
        assert_true(c.high == U64_ABSENT); /* "max" */
        assert_int_equal(c.peak, 536866816);
        assert_int_equal(c.swap_usage, 0);
        assert_int_equal(c.swap_limit, 0);
        assert_double(c.percent, 76.904296875);
        assert_true(isnan(c.swap_percent)); /* swap limit 0 */

        assert_true(c.pressure.has_some && c.pressure.has_full);
        assert_double(c.pressure.some.avg10, 12.47);
        assert_double(c.pressure.some.avg300, 2.15);
        assert_int_equal(c.pressure.some.total_usec, 48211537);
        assert_double(c.pressure.full.avg60, 5.51);
        assert_int_equal(c.pressure.full.total_usec, 39007822);

        assert_int_equal(c.ev_low, 0);
        assert_int_equal(c.ev_high, 0);
        assert_int_equal(c.ev_max, 1843);
        assert_int_equal(c.ev_oom, 2);
        assert_int_equal(c.ev_oom_kill, 2);
        assert_int_equal(c.ev_oom_group_kill, 0);
        assert_true(c.v1_failcnt == U64_ABSENT);
        assert_true(c.v1_under_oom == U64_ABSENT);
        assert_true(c.v1_oom_kill_disable == U64_ABSENT);

        /* every selected key but oom_kill is in the file; order is ours */
        assert_int_equal(c.n_stat, 36);
        assert_string_equal(c.stat[0].key, "anon");
        assert_int_equal(c.stat[0].value, 356352000);
        assert_int_equal(stat_get(&c, "file"), 48234496);
        assert_int_equal(stat_get(&c, "kernel"), 8290304);
        assert_int_equal(stat_get(&c, "slab"), 4134104);
        assert_int_equal(stat_get(&c, "pgfault"), 2873451);
        assert_int_equal(stat_get(&c, "pgmajfault"), 1294);
        assert_int_equal(stat_get(&c, "workingset_refault_file"), 10482);
        assert_int_equal(stat_get(&c, "anon_thp"), 148897792);
        assert_true(stat_get(&c, "pgrefill") == U64_ABSENT);  /* not selected */
        assert_true(stat_get(&c, "oom_kill") == U64_ABSENT);  /* not in the file */
}

static void test_collect_v1(void **state)
{
        (void)state;
        CgroupMemory c;
        assert_int_equal(collect_fixture("cgroup-v1", &c), 0);
        assert_int_equal(c.version, 1);
        assert_false(c.hybrid);
        assert_string_equal(c.path, V1_LEAF);
        assert_string_equal(c.mount, "fs/cgroup/memory");
        assert_string_equal(c.dir, V1_LEAF);
        assert_int_equal(c.usage, 805306368);
        assert_int_equal(c.limit, 1073741824);
        assert_true(c.high == U64_ABSENT);
        assert_int_equal(c.peak, 1010827264);
        assert_int_equal(c.swap_usage, 872415232 - 805306368);
        assert_int_equal(c.swap_limit, 2147483648 - 1073741824);
        assert_double(c.percent, 75.0);
        assert_double(c.swap_percent, 6.25);
        assert_false(c.pressure.has_some || c.pressure.has_full); /* no v2 tree */
        assert_int_equal(c.v1_failcnt, 1532);
        assert_int_equal(c.v1_oom_kill_disable, 0);
        assert_int_equal(c.v1_under_oom, 0);
        assert_int_equal(c.ev_oom_kill, 3);
        assert_true(c.ev_oom == U64_ABSENT && c.ev_max == U64_ABSENT);

        assert_int_equal(c.n_stat, 32); /* no workingset_* on this kernel */
        assert_string_equal(c.stat[0].key, "cache");
        assert_int_equal(c.stat[0].value, 62914560);
        assert_int_equal(stat_get(&c, "rss"), 742391808);
        assert_int_equal(stat_get(&c, "swap"), 67108864);
        assert_int_equal(stat_get(&c, "hierarchical_memory_limit"), 1073741824);
        assert_int_equal(stat_get(&c, "hierarchical_memsw_limit"), 2147483648);
        assert_int_equal(stat_get(&c, "total_rss"), 742391808);
        assert_true(stat_get(&c, "pgpgin") == U64_ABSENT);
        assert_true(stat_get(&c, "workingset_refault_file") == U64_ABSENT);
}

static void test_collect_hybrid(void **state)
{
        (void)state;
        CgroupMemory c;
        assert_int_equal(collect_fixture("cgroup-hybrid", &c), 0);
        assert_int_equal(c.version, 1);
        assert_true(c.hybrid);
        assert_string_equal(c.path, HYBRID_LEAF);
        assert_string_equal(c.mount, "fs/cgroup/memory");
        assert_string_equal(c.dir, HYBRID_LEAF);
        assert_int_equal(c.usage, 57106432);
        assert_true(c.limit == U64_ABSENT); /* 9223372036854771712 */
        assert_int_equal(c.peak, 77094912);
        assert_int_equal(c.swap_usage, 57212928 - 57106432);
        assert_true(c.swap_limit == U64_ABSENT);
        assert_true(isnan(c.percent));
        assert_true(isnan(c.swap_percent));
        assert_int_equal(c.v1_failcnt, 0);
        assert_int_equal(c.v1_under_oom, 0);
        assert_int_equal(c.ev_oom_kill, 0);
        /* PSI of our v2 cgroup ("/") in the unified tree */
        assert_true(c.pressure.has_some && c.pressure.has_full);
        assert_int_equal(c.pressure.some.total_usec, 0);

        assert_int_equal(c.n_stat, 32);
        assert_int_equal(stat_get(&c, "cache"), 52953088);
        assert_int_equal(stat_get(&c, "rss"), 1847296);
        assert_int_equal(stat_get(&c, "workingset_refault_file"), 15188);
        assert_int_equal(stat_get(&c, "pgmajfault"), 62);
        /* "no limit" is not reported as a number */
        assert_true(stat_get(&c, "hierarchical_memory_limit") == U64_ABSENT);
        assert_true(stat_get(&c, "hierarchical_memsw_limit") == U64_ABSENT);
}

static void test_collect_none(void **state)
{
        (void)state;
        CgroupMemory c;
        assert_int_equal(collect_fixture("cgroup-none", &c), 0);
        assert_int_equal(c.version, 0);
        assert_false(c.hybrid);
        assert_string_equal(c.path, "");
        assert_false(c.pressure.has_some);
        assert_all_absent(&c);
}

/* ---- fallbacks, on temporary trees ----------------------------------------- */

static void test_collect_no_self_cgroup(void **state)
{
        (void)state;
        CgroupMemory c;
        assert_int_equal(collect_tmp(FIXTURES_DIR "/cgroup-v2/sys", &c), -ENOENT);
        assert_int_equal(c.version, 0);
}

static void test_collect_garbage_self_cgroup(void **state)
{
        (void)state;
        CgroupMemory c;
        tree_write("proc/self/cgroup", "");
        assert_int_equal(collect_tmp(FIXTURES_DIR "/cgroup-v2/sys", &c), 0);
        assert_int_equal(c.version, 0);
        tree_write("proc/self/cgroup", "nonsense\n\x01\x02:\n");
        assert_int_equal(collect_tmp(FIXTURES_DIR "/cgroup-v2/sys", &c), 0);
        assert_int_equal(c.version, 0);
}

static void test_collect_namespaced_root(void **state)
{
        (void)state;
        CgroupMemory c;
        /* cgroup namespace: "/" is the mount root (here the v2 root,
         * which has no memory.* files: every field degrades alone) */
        tree_write("proc/self/cgroup", "0::/\n");
        assert_int_equal(collect_tmp(FIXTURES_DIR "/cgroup-v2/sys", &c), 0);
        assert_int_equal(c.version, 2);
        assert_string_equal(c.path, "/");
        assert_string_equal(c.dir, "/");
        assert_all_absent(&c);
}

static void test_collect_walks_up(void **state)
{
        (void)state;
        CgroupMemory c;
        /* container scope not visible: nearest ancestor, the pod slice */
        tree_write("proc/self/cgroup", "0::" V2_POD "/cri-containerd-gone.scope\n");
        assert_int_equal(collect_tmp(FIXTURES_DIR "/cgroup-v2/sys", &c), 0);
        assert_int_equal(c.version, 2);
        assert_string_equal(c.path, V2_POD "/cri-containerd-gone.scope");
        assert_string_equal(c.dir, V2_POD);
        assert_int_equal(c.usage, 413138944);
        assert_int_equal(c.limit, 536870912);
        assert_true(c.ev_oom_kill == U64_ABSENT);

        /* removed cgroup */
        tree_write("proc/self/cgroup", "0::" V2_LEAF " (deleted)\n");
        assert_int_equal(collect_tmp(FIXTURES_DIR "/cgroup-v2/sys", &c), 0);
        assert_string_equal(c.dir, V2_POD);

        /* host path of a v1 container whose tree is not all there */
        tree_write("proc/self/cgroup", "10:memory:/kubepods/besteffort/podx/abc\n");
        assert_int_equal(collect_tmp(FIXTURES_DIR "/cgroup-v1/sys", &c), 0);
        assert_int_equal(c.version, 1);
        assert_string_equal(c.dir, "/kubepods");

        /* nothing of it exists: the mount root */
        tree_write("proc/self/cgroup", "10:memory:/docker/0123abcd\n");
        assert_int_equal(collect_tmp(FIXTURES_DIR "/cgroup-v1/sys", &c), 0);
        assert_string_equal(c.dir, "/");
        assert_int_equal(c.usage, 6442450944);
        assert_true(c.limit == U64_ABSENT);

        /* doubled slashes stay below the mount */
        tree_write("proc/self/cgroup", "0:://kubepods.slice//nope\n");
        assert_int_equal(collect_tmp(FIXTURES_DIR "/cgroup-v2/sys", &c), 0);
        assert_string_equal(c.dir, "//kubepods.slice");
}

static void test_collect_dotdot(void **state)
{
        (void)state;
        CgroupMemory c;
        /* outside the namespace root: never follow ".." out of the mount */
        tree_write("proc/self/cgroup", "0::/../../kubepods.slice\n");
        assert_int_equal(collect_tmp(FIXTURES_DIR "/cgroup-v2/sys", &c), 0);
        assert_string_equal(c.dir, "/");
        tree_write("proc/self/cgroup", "0::/kubepods.slice/./..\n");
        assert_int_equal(collect_tmp(FIXTURES_DIR "/cgroup-v2/sys", &c), 0);
        assert_string_equal(c.dir, "/");
}

static void test_collect_comounted_v1(void **state)
{
        (void)state;
        CgroupMemory c;
        tree_write("proc/self/cgroup", "7:hugetlb,memory:/job\n1:name=systemd:/\n");
        tree_write("sys/fs/cgroup/hugetlb,memory/memory.usage_in_bytes", "8192\n");
        tree_write("sys/fs/cgroup/hugetlb,memory/job/memory.usage_in_bytes", "4096\n");
        tree_write("sys/fs/cgroup/hugetlb,memory/job/memory.limit_in_bytes", "16384\n");
        assert_int_equal(collect_tmp(NULL, &c), 0);
        assert_int_equal(c.version, 1);
        assert_false(c.hybrid);
        assert_string_equal(c.mount, "fs/cgroup/hugetlb,memory");
        assert_string_equal(c.dir, "/job");
        assert_int_equal(c.usage, 4096);
        assert_int_equal(c.limit, 16384);
        assert_double(c.percent, 25.0);
        /* no memsw files: no swap numbers */
        assert_true(c.swap_usage == U64_ABSENT && c.swap_limit == U64_ABSENT);
}

static void test_collect_empty_mountpoint(void **state)
{
        (void)state;
        CgroupMemory c;
        /* a memory directory that is not a mounted hierarchy */
        tree_write("proc/self/cgroup", "4:memory:/\n");
        tree_write("sys/fs/cgroup/memory/", NULL);
        assert_int_equal(collect_tmp(NULL, &c), 0);
        assert_int_equal(c.version, 0);
}

static void test_collect_v2_degrades_per_field(void **state)
{
        (void)state;
        CgroupMemory c;
        tree_write("proc/self/cgroup", "0::/app\n");
        tree_write("sys/fs/cgroup/cgroup.controllers", "cpu memory\n");
        tree_write("sys/fs/cgroup/app/memory.current", "100\n");
        tree_write("sys/fs/cgroup/app/memory.max", "garbage\n");
        tree_write("sys/fs/cgroup/app/memory.high", "18446744073709551616\n");
        tree_write("sys/fs/cgroup/app/memory.swap.current", "50\n");
        tree_write("sys/fs/cgroup/app/memory.swap.max", "200\n");
        tree_write("sys/fs/cgroup/app/memory.pressure", "some avg10=x\n");
        tree_write("sys/fs/cgroup/app/memory.events", "oom_kill abc\noom 1\n");
        tree_write("sys/fs/cgroup/app/memory.stat", "anon -5\nfile 7\nfile 9\n");
        assert_int_equal(collect_tmp(NULL, &c), 0);
        assert_int_equal(c.version, 2);
        assert_int_equal(c.usage, 100);
        assert_true(c.limit == U64_ABSENT);
        assert_true(isnan(c.percent));
        assert_true(c.high == U64_ABSENT);
        assert_true(c.peak == U64_ABSENT); /* missing file */
        assert_int_equal(c.swap_usage, 50);
        assert_int_equal(c.swap_limit, 200);
        assert_double(c.swap_percent, 25.0);
        assert_false(c.pressure.has_some);
        assert_true(c.ev_oom_kill == U64_ABSENT);
        assert_int_equal(c.ev_oom, 1);
        assert_int_equal(c.n_stat, 1);
        assert_string_equal(c.stat[0].key, "file");
        assert_int_equal(c.stat[0].value, 7);

        /* a zero limit is a limit, but no percentage */
        tree_write("sys/fs/cgroup/app/memory.max", "0\n");
        assert_int_equal(collect_tmp(NULL, &c), 0);
        assert_int_equal(c.limit, 0);
        assert_true(isnan(c.percent));
}

static void test_collect_v2_without_memory_uses_v1(void **state)
{
        (void)state;
        CgroupMemory c;
        /* hybrid: v2 tree without memory, memory on v1; memsw below usage
         * (counters read apart) clamps swap at 0 */
        tree_write("proc/self/cgroup", "4:memory:/a\n0::/a\n");
        tree_write("sys/fs/cgroup/unified/cgroup.controllers", "");
        tree_write("sys/fs/cgroup/unified/a/memory.pressure",
                   "some avg10=1.50 avg60=0.00 avg300=0.00 total=10\n");
        tree_write("sys/fs/cgroup/memory/memory.usage_in_bytes", "1\n");
        tree_write("sys/fs/cgroup/memory/a/memory.usage_in_bytes", "1000\n");
        tree_write("sys/fs/cgroup/memory/a/memory.memsw.usage_in_bytes", "990\n");
        tree_write("sys/fs/cgroup/memory/a/memory.limit_in_bytes", "9223372036854710272\n");
        tree_write("sys/fs/cgroup/memory/a/memory.memsw.limit_in_bytes", "9223372036854710272\n");
        assert_int_equal(collect_tmp(NULL, &c), 0);
        assert_int_equal(c.version, 1);
        assert_true(c.hybrid);
        assert_int_equal(c.swap_usage, 0);
        assert_true(c.limit == U64_ABSENT);
        assert_true(c.swap_limit == U64_ABSENT);
        assert_true(c.pressure.has_some);
        assert_false(c.pressure.has_full);
        assert_double(c.pressure.some.avg10, 1.5);

        /* memory enabled in the unified tree: v2 wins, still hybrid */
        tree_write("sys/fs/cgroup/unified/cgroup.controllers", "memory pids\n");
        tree_write("sys/fs/cgroup/unified/a/memory.current", "777\n");
        assert_int_equal(collect_tmp(NULL, &c), 0);
        assert_int_equal(c.version, 2);
        assert_true(c.hybrid);
        assert_string_equal(c.mount, "fs/cgroup/unified");
        assert_int_equal(c.usage, 777);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_self_parse_hybrid_sample),
                cmocka_unit_test(test_self_parse_v2_only),
                cmocka_unit_test(test_self_parse_controller_lists),
                cmocka_unit_test(test_self_parse_spaces_and_colons),
                cmocka_unit_test(test_self_parse_long_paths),
                cmocka_unit_test(test_self_parse_malformed),
                cmocka_unit_test(test_value_parse),
                cmocka_unit_test(test_limit_normalize),
                cmocka_unit_test(test_keyed_events),
                cmocka_unit_test(test_keyed_missing_and_empty),
                cmocka_unit_test(test_keyed_duplicates),
                cmocka_unit_test(test_keyed_malformed),
                cmocka_unit_test(test_controllers_has),
                cmocka_unit_test(test_collect_v2),
                cmocka_unit_test(test_collect_v1),
                cmocka_unit_test(test_collect_hybrid),
                cmocka_unit_test(test_collect_none),
                cmocka_unit_test_setup_teardown(test_collect_no_self_cgroup, tree_setup, tree_teardown),
                cmocka_unit_test_setup_teardown(test_collect_garbage_self_cgroup, tree_setup, tree_teardown),
                cmocka_unit_test_setup_teardown(test_collect_namespaced_root, tree_setup, tree_teardown),
                cmocka_unit_test_setup_teardown(test_collect_walks_up, tree_setup, tree_teardown),
                cmocka_unit_test_setup_teardown(test_collect_dotdot, tree_setup, tree_teardown),
                cmocka_unit_test_setup_teardown(test_collect_comounted_v1, tree_setup, tree_teardown),
                cmocka_unit_test_setup_teardown(test_collect_empty_mountpoint, tree_setup, tree_teardown),
                cmocka_unit_test_setup_teardown(test_collect_v2_degrades_per_field, tree_setup, tree_teardown),
                cmocka_unit_test_setup_teardown(test_collect_v2_without_memory_uses_v1, tree_setup,
                                                tree_teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
