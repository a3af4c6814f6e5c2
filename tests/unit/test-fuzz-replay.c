/* SPDX-License-Identifier: MIT */
/* Deterministic replay of the fuzz harness (tests/fuzz/fuzz-targets.h)
 * in the normal unit tests. Every regular file below tests/fixtures and
 * tests/fuzz/regressions (up to 256 KiB) goes to every parser as is; then
 * files under 4 KiB truncated at every length, and 200 seeded mutants per
 * file (bit flips, insertions and overwrites with '(' ')' '\n' '\0' 0xff
 * ...). Fixture variants go to the file's own parsers always and to all
 * parsers within a work cap; regression files get everything.
 * A target fails on a return value outside the parser's 0/-errno
 * contract or a broken invariant; ASan and UBSan (SANITIZE=1 build) abort
 * on memory errors and undefined behaviour. The failing input is written
 * to $TMPDIR/fuzz-replay-<target>.bin, ready to become a regression file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../fuzz/fuzz-targets.h"

#define REGRESSIONS_DIR FIXTURES_DIR "/../fuzz/regressions"
#define MAX_FILE_SIZE (256 * 1024)
/* Files below this get every truncation length. */
#define TRUNCATE_MAX_SIZE 4096
#define MUTANTS_PER_FILE 200
/* Mutants of big files are fewer: at most this many bytes per file. */
#define MUTATE_BYTES_PER_FILE (200u * 16 * 1024)
/* Work caps, in input bytes summed over all parser calls (plus each
 * target's fixed per-call overhead), each sized for about one second
 * under ASan. A file's own parsers (by file name, see
 * affinity[]) get every truncation and every mutant, all parsers every
 * stride-th one; the strides grow when the fixtures do (others add
 * scenarios), so the test stays fast. */
#define TRUNCATE_BUDGET_BYTES (UINT64_C(140) * 1000 * 1000)
#define MUTATE_BUDGET_BYTES (UINT64_C(130) * 1000 * 1000)

_Static_assert(FUZZ_N_TARGETS <= 64, "target masks are uint64_t");
#define ALL_TARGETS (FUZZ_N_TARGETS == 64 ? UINT64_MAX : (UINT64_C(1) << FUZZ_N_TARGETS) - 1)

typedef struct Input {
        char *name; /* relative to its root, prefixed with the root's label */
        char *data;
        size_t len;
        uint64_t own; /* targets that parse this kind of file */
} Input;

typedef struct Corpus {
        Input *v;
        size_t n;
} Corpus;

static Corpus fixtures, regressions;
static Corpus *walk_into;
static const char *walk_root, *walk_label;
static size_t n_calls;

/* Which parser reads a fixture file of this name. Anything not listed
 * (sysfs attributes, cmdline, META, ...) has no own parser and is only
 * fed to all of them. */
static const struct {
        const char *file;
        const char *target;
} affinity[] = {
        { "stat", "proc_stat" },
        { "stat", "pid_stat" },
        { "status", "pid_status_uid" },
        { "status", "pid_status" },
        { "smaps_rollup", "smaps_rollup" },
        { "environ", "pid_environ" },
        { "children", "pid_children" },
        { "loadavg", "loadavg" },
        { "cpuinfo", "cpuinfo" },
        { "meminfo", "meminfo" },
        { "vmstat", "keyed_u64" },
        { "memory.stat", "keyed_u64" },
        { "memory.events", "keyed_u64" },
        { "memory.oom_control", "keyed_u64" },
        { "cpu", "psi" },
        { "memory", "psi" },
        { "io", "psi" },
        { "memory.pressure", "psi" },
        { "passwd", "passwd" },
        { "uptime", "uptime" },
        { "utmp", "utmp" },
        { "dev", "net_dev" },
        { "tcp", "net_sockets" },
        { "tcp6", "net_sockets" },
        { "udp", "net_sockets" },
        { "udp6", "net_sockets" },
        { "tcp", "net_socket_rows" },
        { "tcp6", "net_socket_rows" },
        { "udp", "net_socket_rows" },
        { "udp6", "net_socket_rows" },
        { "tcp", "net_socket_row" },
        { "tcp6", "net_socket_row" },
        { "udp", "net_socket_row" },
        { "udp6", "net_socket_row" },
        { "sockstat", "net_sockstat" },
        { "sockstat6", "net_sockstat" },
        { "snmp", "net_snmp_tcp" },
        { "filesystems", "disk_filesystems" },
        { "mountinfo", "disk_mountinfo" },
        { "diskstats", "disk_diskstats" },
        { "cgroup", "cgroup_self" },
        { "cgroup", "oom_k8s" },
        { "cgroup.controllers", "cgroup_controllers" },
        { "cgroup.subtree_control", "cgroup_controllers" },
        { "comm", "utf8" },
        { "cmdline", "utf8" },
        { "cmdline", "pid_cmdline" },
        /* By extension (a leading '*'): kernel logs, recorded series. */
        { "*.log", "oom" },
        { "*.log", "kmsg_lines" },
        { "*.csv", "leak" },
        { "*.csv", "trend" },
};

/* base is name, or ends in the extension when name is "*.ext". */
static bool affinity_matches(const char *name, const char *base)
{
        if (name[0] != '*')
                return strcmp(base, name) == 0;
        size_t bl = strlen(base), sl = strlen(name + 1);
        return bl > sl && strcmp(base + bl - sl, name + 1) == 0;
}

static uint64_t target_bit(const char *name)
{
        const FuzzTarget *t = fuzz_target_find(name);
        assert_non_null(t);
        return UINT64_C(1) << (t - fuzz_targets);
}

/* rel: path below the corpus root. Regression files sit in a directory
 * named after the parser that crashed. */
static uint64_t own_targets(const char *label, const char *rel)
{
        uint64_t mask = 0;

        if (strcmp(label, "regressions") == 0) {
                const char *slash = strchr(rel, '/');
                char dir[64];
                if (!slash || (size_t)(slash - rel) >= sizeof dir)
                        return 0;
                memcpy(dir, rel, (size_t)(slash - rel));
                dir[slash - rel] = '\0';
                return fuzz_target_find(dir) ? target_bit(dir) : 0;
        }
        const char *base = strrchr(rel, '/');
        base = base ? base + 1 : rel;
        for (size_t i = 0; i < sizeof affinity / sizeof affinity[0]; i++)
                if (affinity_matches(affinity[i].file, base))
                        mask |= target_bit(affinity[i].target);
        /* Single-value cgroup files: memory.max, memory.limit_in_bytes, ... */
        if (!mask && strncmp(base, "memory.", 7) == 0)
                mask = target_bit("cgroup_value");
        return mask;
}

static int read_whole(const char *path, size_t size, char **ret)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        char *data = malloc(size + 1);
        assert_non_null(data);
        size_t got = 0;
        while (got < size) {
                ssize_t n = read(fd, data + got, size - got);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break;
                got += (size_t)n;
        }
        close(fd);
        if (got != size) {
                free(data);
                return -EIO;
        }
        *ret = data;
        return 0;
}

static int walk_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
        (void)ftw;
        if (type != FTW_F || !S_ISREG(st->st_mode) || st->st_size > MAX_FILE_SIZE)
                return 0;
        char *data = NULL;
        if (read_whole(path, (size_t)st->st_size, &data) < 0)
                return 0;
        Corpus *c = walk_into;
        c->v = realloc(c->v, (c->n + 1) * sizeof *c->v);
        assert_non_null(c->v);
        Input *in = &c->v[c->n++];
        size_t root_len = strlen(walk_root);
        const char *rel = path + root_len + (path[root_len] == '/');
        assert_true(asprintf(&in->name, "%s/%s", walk_label, rel) > 0);
        in->data = data;
        in->len = (size_t)st->st_size;
        in->own = own_targets(walk_label, rel);
        return 0;
}

static int cmp_input(const void *a, const void *b)
{
        return strcmp(((const Input *)a)->name, ((const Input *)b)->name);
}

/* Sorted by name: what is fed depends on the tree only, not on the
 * order readdir() returns. */
static void corpus_load(Corpus *c, const char *root, const char *label)
{
        walk_into = c;
        walk_root = root;
        walk_label = label;
        if (access(root, F_OK) == 0)
                assert_int_equal(nftw(root, walk_entry, 16, FTW_PHYS), 0);
        if (c->n)
                qsort(c->v, c->n, sizeof *c->v, cmp_input);
}

static void corpus_free(Corpus *c)
{
        for (size_t i = 0; i < c->n; i++) {
                free(c->v[i].name);
                free(c->v[i].data);
        }
        free(c->v);
        *c = (Corpus){ 0 };
}

static void save_failing_input(const FuzzTarget *t, const char *data, size_t len)
{
        const char *tmp = getenv("TMPDIR");
        char path[512];
        snprintf(path, sizeof path, "%s/fuzz-replay-%s.bin", tmp && *tmp ? tmp : "/tmp", t->name);
        FILE *f = fopen(path, "wb");
        if (!f)
                return;
        fwrite(data, 1, len, f);
        fclose(f);
        print_error("failing input saved to %s\n", path);
}

/* The targets in mask over one exact-size heap copy of data (so that ASan
 * sees reads past data[len]); fmt describes the input for a failure. */
static void feed(uint64_t mask, const char *data, size_t len, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static void feed(uint64_t mask, const char *data, size_t len, const char *fmt, ...)
{
        if (!mask)
                return;
        char *buf = malloc(len + 1);
        assert_non_null(buf);
        if (len)
                memcpy(buf, data, len);
        buf[len] = '\0';

        for (size_t i = 0; i < FUZZ_N_TARGETS; i++) {
                if (!(mask & UINT64_C(1) << i))
                        continue;
                const FuzzTarget *t = &fuzz_targets[i];
                fuzz_msg[0] = '\0';
                int r = t->run(buf, len);
                n_calls++;
                if (r == 0)
                        continue;
                char what[512];
                va_list ap;
                va_start(ap, fmt);
                vsnprintf(what, sizeof what, fmt, ap);
                va_end(ap);
                save_failing_input(t, buf, len);
                free(buf);
                fail_msg("%s on %s: %s", t->name, what, fuzz_msg[0] ? fuzz_msg : "failed");
        }
        free(buf);
}

/* Fixed per-call cost of the targets in mask, in input bytes. */
static uint64_t overhead_of(uint64_t mask)
{
        uint64_t sum = 0;
        for (size_t i = 0; i < FUZZ_N_TARGETS; i++)
                if (mask & UINT64_C(1) << i)
                        sum += fuzz_targets[i].overhead;
        return sum;
}

/* ceil(work / budget); 1 without a budget. */
static size_t stride_for(uint64_t work, uint64_t budget)
{
        return budget && work > budget ? (size_t)((work + budget - 1) / budget) : 1;
}

typedef struct Strides {
        size_t own, all;
} Strides;

/* Own parsers first (up to half the budget), all parsers in the rest. */
static Strides strides_for(uint64_t own_work, uint64_t all_work, uint64_t budget)
{
        Strides s = { 1, 1 };
        if (!budget)
                return s;
        s.own = stride_for(own_work, budget / 2);
        s.all = stride_for(all_work, budget - own_work / s.own);
        return s;
}

/* Targets for variant k of input i: all, its own, or none. The phase
 * varies per file, so that together the files cover every residue. */
static uint64_t variant_mask(const Input *in, size_t i, size_t k, Strides s)
{
        if ((k + i) % s.all == 0)
                return ALL_TARGETS;
        return (k + i) % s.own == 0 ? in->own : 0;
}

/* ---- truncations ------------------------------------------------------- */

static void truncate_corpus(const Corpus *c, const char *label, uint64_t budget)
{
        uint64_t own_work = 0, all_work = 0;
        for (size_t i = 0; i < c->n; i++) {
                uint64_t len = c->v[i].len;
                if (len >= TRUNCATE_MAX_SIZE)
                        continue;
                own_work += len * (len + 1) / 2 * (uint64_t)__builtin_popcountll(c->v[i].own) +
                            len * overhead_of(c->v[i].own);
                all_work += len * (len + 1) / 2 * FUZZ_N_TARGETS + len * overhead_of(ALL_TARGETS);
        }
        Strides s = strides_for(own_work, all_work, budget);
        print_message("%s truncations: 1 in %zu to own parsers, 1 in %zu to all\n", label, s.own,
                      s.all);

        for (size_t i = 0; i < c->n; i++) {
                const Input *in = &c->v[i];
                if (in->len >= TRUNCATE_MAX_SIZE)
                        continue;
                for (size_t l = 0; l < in->len; l++)
                        feed(variant_mask(in, i, l, s), in->data, l, "%s truncated to %zu bytes",
                             in->name, l);
        }
}

/* ---- seeded mutations -------------------------------------------------- */

static uint64_t splitmix64(uint64_t *s)
{
        uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
}

static uint64_t seed_of(const char *name)
{
        uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
        for (const unsigned char *p = (const unsigned char *)name; *p; p++)
                h = (h ^ *p) * 0x100000001b3ULL;
        return h;
}

/* The bytes that matter to line and field parsers. */
static const char specials[] = { '(', ')', '\n', '\0', (char)0xff, ' ', ':', '-', '9' };

/* Applies 1 to 3 edits to out (len bytes, room for len + 3): inserts or
 * overwrites with a special byte, or flips one bit. */
static size_t mutate(char *out, size_t len, uint64_t *rng)
{
        unsigned edits = 1 + (unsigned)(splitmix64(rng) % 3);

        for (unsigned e = 0; e < edits; e++) {
                uint64_t x = splitmix64(rng);
                unsigned op = (unsigned)(x % 10);
                char c = specials[(x >> 8) % sizeof specials];
                size_t pos = (size_t)((x >> 16) % (len + 1));

                if (op < 4 || pos == len) {
                        memmove(out + pos + 1, out + pos, len - pos);
                        out[pos] = c;
                        len++;
                } else if (op < 8) {
                        out[pos] = c;
                } else {
                        out[pos] = (char)(out[pos] ^ (1 << ((x >> 40) % 8)));
                }
        }
        return len;
}

static unsigned mutants_for(size_t len)
{
        if (len * MUTANTS_PER_FILE <= MUTATE_BYTES_PER_FILE)
                return MUTANTS_PER_FILE;
        size_t n = MUTATE_BYTES_PER_FILE / len;
        return n ? (unsigned)n : 1;
}

static void mutate_corpus(const Corpus *c, const char *label, uint64_t budget)
{
        uint64_t own_work = 0, all_work = 0;
        for (size_t i = 0; i < c->n; i++) {
                uint64_t m = mutants_for(c->v[i].len), w = (uint64_t)(c->v[i].len + 2) * m;
                own_work += w * (uint64_t)__builtin_popcountll(c->v[i].own) +
                            m * overhead_of(c->v[i].own);
                all_work += w * FUZZ_N_TARGETS + m * overhead_of(ALL_TARGETS);
        }
        Strides s = strides_for(own_work, all_work, budget);
        print_message("%s mutants: 1 in %zu to own parsers, 1 in %zu to all\n", label, s.own, s.all);

        for (size_t i = 0; i < c->n; i++) {
                const Input *in = &c->v[i];
                uint64_t rng = seed_of(in->name);
                unsigned n = mutants_for(in->len);
                char *m = malloc(in->len + 3);
                assert_non_null(m);
                for (unsigned k = 0; k < n; k++) {
                        /* Always generated, so a mutant's bytes do not
                         * depend on the strides. */
                        if (in->len)
                                memcpy(m, in->data, in->len);
                        size_t len = mutate(m, in->len, &rng);
                        feed(variant_mask(in, i, k, s), m, len, "%s, mutant %u", in->name, k);
                }
                free(m);
        }
}

/* ---- tests -------------------------------------------------------------- */

static int load_corpora(void **state)
{
        (void)state;
        corpus_load(&fixtures, FIXTURES_DIR, "fixtures");
        corpus_load(&regressions, REGRESSIONS_DIR, "regressions");
        return 0;
}

static int free_corpora(void **state)
{
        (void)state;
        corpus_free(&fixtures);
        corpus_free(&regressions);
        return 0;
}

/* The harness itself must be able to fail. */
static void test_harness_can_fail(void **state)
{
        (void)state;
        int fail = 0;

        assert_true(FZ_RET("x", 0, ERRS(EBADMSG)));
        assert_int_equal(fail, 0);
        assert_false(FZ_RET("x", -EBADMSG, ERRS(EBADMSG, ERANGE)));
        assert_int_equal(fail, 0);
        assert_false(FZ_RET("x", -ENOENT));
        assert_int_equal(fail, 0);
        assert_false(FZ_RET("x", -ENOENT, ERRS(EBADMSG)));
        assert_int_equal(fail, FUZZ_FAIL);
        fail = 0;
        assert_false(FZ_RET("x", 3));
        assert_int_equal(fail, FUZZ_FAIL);
        fail = 0;
        assert_false(FZ_RET("x", -5000));
        assert_int_equal(fail, FUZZ_FAIL);
        fail = 0;
        FZ_CHECK(1 + 1 == 3);
        assert_int_equal(fail, FUZZ_FAIL);
        assert_non_null(strstr(fuzz_msg, "1 + 1 == 3"));

        assert_true(fz_utf8_valid("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 10));
        assert_false(fz_utf8_valid("\xc0\xaf", 2));         /* overlong '/' */
        assert_false(fz_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
        assert_false(fz_utf8_valid("\xf4\x90\x80\x80", 4)); /* above U+10FFFF */
        assert_false(fz_utf8_valid("\xe2\x82", 2));         /* truncated */
        assert_false(fz_utf8_valid("a\0b", 3));

        /* Every target takes the empty input and a NUL-only one. */
        for (size_t i = 0; i < FUZZ_N_TARGETS; i++) {
                assert_int_equal(fuzz_run(&fuzz_targets[i], "", 0), 0);
                assert_int_equal(fuzz_run(&fuzz_targets[i], "\0\0\0", 3), 0);
        }
        assert_non_null(fuzz_target_find("psi"));
        assert_null(fuzz_target_find("nope"));

        /* File-name affinity. */
        assert_int_equal(own_targets("fixtures", "host-basic/proc/meminfo"), target_bit("meminfo"));
        assert_int_equal(own_targets("fixtures", "a/proc/stat"),
                         target_bit("proc_stat") | target_bit("pid_stat"));
        assert_int_equal(own_targets("fixtures", "x/memory.max"), target_bit("cgroup_value"));
        assert_int_equal(own_targets("fixtures", "META"), 0);
        assert_int_equal(own_targets("fixtures", "oom/01-x.log"),
                         target_bit("oom") | target_bit("kmsg_lines"));
        assert_int_equal(own_targets("fixtures", "oom/01-x.expected.json"), 0);
        assert_int_equal(own_targets("fixtures", "oom/.log"), 0);
        assert_int_equal(own_targets("fixtures", "leak-series/py-flat.csv"),
                         target_bit("leak") | target_bit("trend"));
        assert_int_equal(own_targets("fixtures", "inspect-basic/proc/4242/environ"),
                         target_bit("pid_environ"));
        assert_int_equal(own_targets("fixtures", "inspect-basic/proc/4242/smaps_rollup"),
                         target_bit("smaps_rollup"));
        assert_int_equal(own_targets("fixtures", "inspect-basic/proc/4242/status"),
                         target_bit("pid_status") | target_bit("pid_status_uid"));
        assert_int_equal(own_targets("fixtures", "inspect-basic/proc/4242/cmdline"),
                         target_bit("pid_cmdline") | target_bit("utf8"));
        assert_int_equal(own_targets("regressions", "psi/crash-1"), target_bit("psi"));
        assert_int_equal(own_targets("regressions", "README"), 0);
}

static void test_replay_fixtures_whole(void **state)
{
        (void)state;
        /* Not vacuous: the fixture tree is there and was read. */
        assert_true(fixtures.n >= 50);
        bool seen_stat = false;
        for (size_t i = 0; i < fixtures.n; i++) {
                const Input *in = &fixtures.v[i];
                seen_stat = seen_stat || strcmp(in->name, "fixtures/host-basic/proc/stat") == 0;
                feed(ALL_TARGETS, in->data, in->len, "%s", in->name);
        }
        assert_true(seen_stat);
}

static void test_replay_fixtures_truncated(void **state)
{
        (void)state;
        truncate_corpus(&fixtures, "fixtures", TRUNCATE_BUDGET_BYTES);
}

static void test_replay_fixtures_mutated(void **state)
{
        (void)state;
        mutate_corpus(&fixtures, "fixtures", MUTATE_BUDGET_BYTES);
}

/* Crash inputs saved by `make fuzz`: whole, every truncation and every
 * mutant, to every parser. */
static void test_replay_regressions(void **state)
{
        (void)state;
        for (size_t i = 0; i < regressions.n; i++)
                feed(ALL_TARGETS, regressions.v[i].data, regressions.v[i].len, "%s",
                     regressions.v[i].name);
        truncate_corpus(&regressions, "regressions", 0);
        mutate_corpus(&regressions, "regressions", 0);
        print_message("%zu fixture files, %zu regression files, %zu parser calls\n",
                      fixtures.n, regressions.n, n_calls);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_harness_can_fail),
                cmocka_unit_test(test_replay_fixtures_whole),
                cmocka_unit_test(test_replay_fixtures_truncated),
                cmocka_unit_test(test_replay_fixtures_mutated),
                cmocka_unit_test(test_replay_regressions),
        };
        return cmocka_run_group_tests(tests, load_corpora, free_corpora);
}
