/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collect/net.h"
#include "util/fileio.h"

#define NET_DEV_HEADER                                                                             \
        "Inter-|   Receive                                                |  Transmit\n"            \
        " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs " \
        "drop fifo colls carrier compressed\n"

#define TCP_HEADER                                                                                 \
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "      \
        "timeout inode\n"

#define TCP_LINE(st)                                                                               \
        "   0: 0100007F:0277 00000000:0000 " st " 00000000:00000000 00:00000000 00000000     0 " \
        "       0 21034 1 0000000000000000 100 0 0 10 0\n"

static char *slurp(const char *path)
{
        Buf b = { 0 };
        int dfd = open(FIXTURES_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(dfd >= 0);
        ssize_t n = read_file_buf_at(dfd, path, &b, 1 << 20);
        close(dfd);
        assert_true(n > 0);
        return b.data;
}

/* ---- net/dev parser ---------------------------------------------------- */

static void test_dev_live_sample(void **state)
{
        (void)state;
        char *text = slurp("net-live-sample/proc/net/dev");
        NetDevEntry *v = NULL;
        size_t n = 0;

        assert_int_equal(net_dev_parse(text, &v, &n), 0);
        assert_int_equal(n, 4);
        assert_string_equal(v[0].name, "lo");
        assert_string_equal(v[1].name, "ifb0");
        assert_string_equal(v[2].name, "ifb1");
        assert_string_equal(v[3].name, "eth0");
        assert_int_equal(v[0].io.bytes_recv, 3819);
        assert_int_equal(v[0].io.packets_sent, 39);
        assert_int_equal(v[3].io.bytes_recv, 18559614);
        assert_int_equal(v[3].io.packets_recv, 622);
        assert_int_equal(v[3].io.bytes_sent, 34668);
        assert_int_equal(v[3].io.packets_sent, 451);
        assert_int_equal(v[2].io.bytes_sent, 0);
        free(v);
        free(text);
}

static void test_dev_columns(void **state)
{
        (void)state;
        /* Every counter distinct, so a column mix-up shows. */
        const char *text = NET_DEV_HEADER
                "  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n";
        NetDevEntry *v = NULL;
        size_t n = 0;

        assert_int_equal(net_dev_parse(text, &v, &n), 0);
        assert_int_equal(n, 1);
        assert_int_equal(v[0].io.bytes_recv, 1);
        assert_int_equal(v[0].io.packets_recv, 2);
        assert_int_equal(v[0].io.errin, 3);
        assert_int_equal(v[0].io.dropin, 4);
        assert_int_equal(v[0].io.bytes_sent, 9);
        assert_int_equal(v[0].io.packets_sent, 10);
        assert_int_equal(v[0].io.errout, 11);
        assert_int_equal(v[0].io.dropout, 12);
        free(v);
}

static void test_dev_colon_and_names(void **state)
{
        (void)state;
        /* Old kernels: "%6s:%8lu", the colon touches the first number.
         * A name may hold a colon: the LAST colon ends it. 15 chars is
         * the longest legal name, no trailing newline on the last row. */
        const char *text = NET_DEV_HEADER
                "  eth0:123 456 0 0 0 0 0 0 789 1011 0 0 0 0 0 0\n"
                "weird:na.me-x: 1 1 0 0 0 0 0 0 1 1 0 0 0 0 0 0\n"
                "abcdefghijklmno: 5 5 0 0 0 0 0 0 5 5 0 0 0 0 0 0";
        NetDevEntry *v = NULL;
        size_t n = 0;

        assert_int_equal(net_dev_parse(text, &v, &n), 0);
        assert_int_equal(n, 3);
        assert_string_equal(v[0].name, "eth0");
        assert_int_equal(v[0].io.bytes_recv, 123);
        assert_int_equal(v[0].io.packets_recv, 456);
        assert_int_equal(v[0].io.bytes_sent, 789);
        assert_string_equal(v[1].name, "weird:na.me-x");
        assert_string_equal(v[2].name, "abcdefghijklmno");
        assert_int_equal(v[2].io.bytes_sent, 5);
        free(v);
}

static void test_dev_max_value(void **state)
{
        (void)state;
        const char *text = NET_DEV_HEADER
                "lo: 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
        NetDevEntry *v = NULL;
        size_t n = 0;

        assert_int_equal(net_dev_parse(text, &v, &n), 0);
        assert_int_equal(n, 1);
        assert_true(v[0].io.bytes_recv == UINT64_MAX);
        free(v);
}

static void test_dev_malformed(void **state)
{
        (void)state;
        NetDevEntry *v = (NetDevEntry *)0x1;
        size_t n = 77;

        /* Missing or short header. */
        assert_int_equal(net_dev_parse("", &v, &n), -EBADMSG);
        assert_int_equal(net_dev_parse("\n", &v, &n), -EBADMSG);
        assert_int_equal(net_dev_parse("Inter-|   Receive\n", &v, &n), -EBADMSG);
        assert_int_equal(net_dev_parse("lo: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
                                       "lo: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n", &v, &n),
                         -EBADMSG);
        /* Outputs untouched on failure. */
        assert_ptr_equal(v, (NetDevEntry *)0x1);
        assert_int_equal(n, 77);

        /* Header only: valid, no rows. */
        assert_int_equal(net_dev_parse(NET_DEV_HEADER, &v, &n), 0);
        assert_int_equal(n, 0);
        assert_null(v);

        static const struct {
                const char *row;
                int err;
        } bad[] = {
                { "eth0: 18446744073709551616 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n", -ERANGE },
                { "eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n", -EBADMSG },      /* 15 */
                { "eth0: 1 2 3 4\n", -EBADMSG },                                  /* truncated */
                { "eth0:\n", -EBADMSG },
                { "eth0: 1 2 x 4 5 6 7 8 9 10 11 12 13 14 15 16\n", -EBADMSG },
                { "eth0: 1 2 3x 4 5 6 7 8 9 10 11 12 13 14 15 16\n", -EBADMSG },
                { "eth0: -1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n", -EBADMSG },
                { "eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 junk\n", -EBADMSG },
                { "eth0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n", -EBADMSG },    /* no colon */
                { ": 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n", -EBADMSG },       /* empty name */
                { "abcdefghijklmnop: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n", -EBADMSG },
                { "../x: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n", -EBADMSG },
                { "..: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n", -EBADMSG },
                { "et h0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n", -EBADMSG },
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                char text[512];
                snprintf(text, sizeof text, "%s%s", NET_DEV_HEADER, bad[i].row);
                v = NULL;
                n = 0;
                int r = net_dev_parse(text, &v, &n);
                if (r != bad[i].err)
                        fail_msg("row %zu '%s': got %d, want %d", i, bad[i].row, r, bad[i].err);
                assert_null(v);

                /* Next to a good row, the bad one is skipped. */
                snprintf(text, sizeof text, "%s%s  lo: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
                         NET_DEV_HEADER, bad[i].row);
                assert_int_equal(net_dev_parse(text, &v, &n), 0);
                assert_int_equal(n, 1);
                assert_string_equal(v[0].name, "lo");
                free(v);
        }
}

/* ---- net/tcp parser ------------------------------------------------------ */

static void test_sockets_live_sample(void **state)
{
        (void)state;
        char *text = slurp("net-live-sample/proc/net/tcp");
        NetSockCounts c;

        assert_int_equal(net_sockets_parse(text, &c), 0);
        assert_int_equal(c.total, 5);
        assert_int_equal(c.state[TCP_STATE_LISTEN], 2);
        assert_int_equal(c.state[TCP_STATE_ESTABLISHED], 2);
        assert_int_equal(c.state[TCP_STATE_TIME_WAIT], 1);
        free(text);
}

static void test_sockets_minimal(void **state)
{
        (void)state;
        NetSockCounts c;

        assert_int_equal(net_sockets_parse(TCP_HEADER TCP_LINE("0A") TCP_LINE("01") TCP_LINE("0B")
                                           TCP_LINE("0c") TCP_LINE("03"), &c), 0);
        assert_int_equal(c.total, 5);
        assert_int_equal(c.state[TCP_STATE_LISTEN], 1);
        assert_int_equal(c.state[TCP_STATE_ESTABLISHED], 1);
        assert_int_equal(c.state[TCP_STATE_CLOSING], 1);
        /* NEW_SYN_RECV folded into SYN_RECV. */
        assert_int_equal(c.state[TCP_STATE_SYN_RECV], 2);
        assert_int_equal(c.state[TCP_STATE_NEW_SYN_RECV], 0);

        /* IPv6 addresses are 32 hex digits; no trailing newline. */
        assert_int_equal(net_sockets_parse(
                "  sl  local_address                         remote_address                        st\n"
                "   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 "
                "0A 00000000:00000000 00:00000000 00000000     0        0 19877 1 0000000000000000",
                &c), 0);
        assert_int_equal(c.total, 1);
        assert_int_equal(c.state[TCP_STATE_LISTEN], 1);

        /* Header only: zero sockets. */
        assert_int_equal(net_sockets_parse(TCP_HEADER, &c), 0);
        assert_int_equal(c.total, 0);
}

static void test_sockets_malformed(void **state)
{
        (void)state;
        NetSockCounts c = { .total = 4242 };

        assert_int_equal(net_sockets_parse("", &c), -EBADMSG);
        assert_int_equal(net_sockets_parse("\n\n", &c), -EBADMSG);
        /* A data line where the header should be. */
        assert_int_equal(net_sockets_parse(TCP_LINE("0A"), &c), -EBADMSG);
        assert_int_equal(c.total, 4242);

        static const struct {
                const char *line;
                int err;
        } bad[] = {
                { TCP_LINE("0G"), -EBADMSG },                     /* bad hex */
                { TCP_LINE("00"), -EBADMSG },                     /* no state 0 */
                { TCP_LINE("0D"), -EBADMSG },                     /* past NEW_SYN_RECV */
                { TCP_LINE("FF"), -EBADMSG },
                { TCP_LINE("A"), -EBADMSG },                      /* one digit */
                { TCP_LINE("10A"), -EBADMSG },                    /* three digits */
                { "   0: 0100007F:0277 00000000:0000 0A\n", -EBADMSG },    /* truncated */
                { "   0: 0100007F:0277 00000000:0000 0A \n", -EBADMSG },   /* truncated */
                { "   0: 0100007F:0277 00000000:00\n", -EBADMSG },
                { "   0: 0100007F\n", -EBADMSG },
                { "   0:\n", -EBADMSG },
                { "   x: 0100007F:0277 00000000:0000 0A 00000000:00000000\n", -EBADMSG },
                { "18446744073709551616: 0100007F:0277 00000000:0000 0A 00000000:00000000\n",
                  -ERANGE },
                { "   0: 0100007:0277 00000000:0000 0A 00000000:00000000\n", -EBADMSG },
                { "   0: 0100007F0277 00000000:0000 0A 00000000:00000000\n", -EBADMSG },
                { "   0: 0100007Z:0277 00000000:0000 0A 00000000:00000000\n", -EBADMSG },
                { "   0: 0100007F:02770 00000000:0000 0A 00000000:00000000\n", -EBADMSG },
                { "   0 0100007F:0277 00000000:0000 0A 00000000:00000000\n", -EBADMSG },
                { "garbage\n", -EBADMSG },
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                char text[1024];
                snprintf(text, sizeof text, "%s%s", TCP_HEADER, bad[i].line);
                c.total = 4242;
                int r = net_sockets_parse(text, &c);
                if (r != bad[i].err)
                        fail_msg("line %zu '%s': got %d, want %d", i, bad[i].line, r, bad[i].err);
                assert_int_equal(c.total, 4242);

                /* Between good lines, the bad one is not counted. */
                snprintf(text, sizeof text, "%s%s%s%s", TCP_HEADER, TCP_LINE("01"), bad[i].line,
                         TCP_LINE("06"));
                assert_int_equal(net_sockets_parse(text, &c), 0);
                assert_int_equal(c.total, 2);
                assert_int_equal(c.state[TCP_STATE_ESTABLISHED], 1);
                assert_int_equal(c.state[TCP_STATE_TIME_WAIT], 1);
        }
}

/* ---- collector on fixture roots --------------------------------------------- */

static void open_fixture(RootFS *fs, const char *scenario)
{
        char proc[512], sys[512], root[512];
        const char *which = NULL;

        snprintf(proc, sizeof proc, "%s/%s/proc", FIXTURES_DIR, scenario);
        snprintf(sys, sizeof sys, "%s/%s/sys", FIXTURES_DIR, scenario);
        snprintf(root, sizeof root, "%s/%s", FIXTURES_DIR, scenario);
        assert_int_equal(rootfs_open(fs, proc, sys, root, &which), 0);
        assert_false(fs->live);
}

static void test_collect_net_basic(void **state)
{
        (void)state;
        RootFS fs;
        NetInfo n = { 0 };

        open_fixture(&fs, "net-basic");
        assert_int_equal(net_collect(&fs, NET_CONN_EXACT, &n), 0);
        rootfs_close(&fs);

        /* Union of net/dev and sysfs, sorted; bonding_masters is a file. */
        assert_int_equal(n.n_interfaces, 5);
        const NetInterface *w = &n.interfaces[0], *dummy = &n.interfaces[1],
                           *eth = &n.interfaces[2], *ifb = &n.interfaces[3],
                           *lo = &n.interfaces[4];
        assert_string_equal(w->name, "0v.e-th@x_15chr");
        assert_string_equal(dummy->name, "dummy0");
        assert_string_equal(eth->name, "eth0");
        assert_string_equal(ifb->name, "ifb0");
        assert_string_equal(lo->name, "lo");

        assert_true(eth->has_counters);
        assert_true(eth->is_up);
        assert_int_equal(eth->mtu, 1500);
        assert_int_equal(eth->speed_mbps, 10000);
        assert_string_equal(eth->duplex, "full");
        assert_int_equal(eth->io.bytes_recv, 1099511627776ULL);
        assert_int_equal(eth->io.packets_recv, 12345678);
        assert_int_equal(eth->io.errin, 3);
        assert_int_equal(eth->io.dropin, 7);
        assert_int_equal(eth->io.bytes_sent, 52428800);
        assert_int_equal(eth->io.packets_sent, 654321);
        assert_int_equal(eth->io.errout, 1);
        assert_int_equal(eth->io.dropout, 4);
        assert_int_equal(eth->n_addresses, 0);
        assert_null(eth->addresses);

        /* lo: operstate "unknown" but IFF_UP in flags; no speed file. */
        assert_true(lo->is_up);
        assert_int_equal(lo->mtu, 65536);
        assert_int_equal(lo->speed_mbps, 0);
        assert_string_equal(lo->duplex, "");

        /* Down, speed and duplex files absent. */
        assert_true(dummy->has_counters);
        assert_false(dummy->is_up);
        assert_int_equal(dummy->mtu, 1500);
        assert_int_equal(dummy->speed_mbps, 0);
        assert_string_equal(dummy->duplex, "");

        /* No flags file: operstate decides. speed -1, duplex unknown. */
        assert_true(w->has_counters);
        assert_true(w->is_up);
        assert_int_equal(w->mtu, 1480);
        assert_int_equal(w->speed_mbps, 0);
        assert_string_equal(w->duplex, "");
        assert_int_equal(w->io.bytes_sent, 2000);

        /* sysfs only: no counters; unparsable flags -> operstate; empty speed. */
        assert_false(ifb->has_counters);
        assert_false(ifb->is_up);
        assert_int_equal(ifb->mtu, 1500);
        assert_int_equal(ifb->speed_mbps, 0);
        assert_string_equal(ifb->duplex, "half");

        /* Totals include lo. */
        assert_true(n.has_io);
        assert_int_equal(n.io.bytes_recv, 987654ULL + 1099511627776ULL + 0 + 1000);
        assert_int_equal(n.io.bytes_sent, 987654ULL + 52428800 + 0 + 2000);
        assert_int_equal(n.io.packets_recv, 4321ULL + 12345678 + 10);
        assert_int_equal(n.io.packets_sent, 4321ULL + 654321 + 20);
        assert_int_equal(n.io.errin, 3 + 1);
        assert_int_equal(n.io.errout, 1 + 3);
        assert_int_equal(n.io.dropin, 7 + 2);
        assert_int_equal(n.io.dropout, 4 + 4);

        /* Not live: counted from the files. */
        const NetConnections *c = &n.connections;
        assert_true(c->available);
        assert_string_equal(c->source, "procfs");
        assert_int_equal(c->tcp[TCP_STATE_LISTEN], 3);
        assert_int_equal(c->tcp[TCP_STATE_ESTABLISHED], 3);
        assert_int_equal(c->tcp[TCP_STATE_TIME_WAIT], 2);
        assert_int_equal(c->tcp[TCP_STATE_CLOSE_WAIT], 1);
        uint64_t sum = 0;
        for (int s = 0; s < _TCP_STATE_MAX; s++)
                sum += c->tcp[s];
        assert_int_equal(sum, 9);
        assert_int_equal(c->udp, 3);

        net_info_done(&n);
        assert_int_equal(n.n_interfaces, 0);
}

static void test_collect_live_sample(void **state)
{
        (void)state;
        RootFS fs;
        NetInfo n = { 0 };

        /* No sysfs, no tcp6/udp*: those parts degrade, the rest works. */
        const char *which;
        assert_int_equal(rootfs_open(&fs, FIXTURES_DIR "/net-live-sample/proc",
                                     FIXTURES_DIR "/net-live-sample",
                                     FIXTURES_DIR "/net-live-sample", &which), 0);
        assert_false(fs.live);
        assert_int_equal(net_collect(&fs, NET_CONN_EXACT, &n), 0);
        rootfs_close(&fs);

        assert_int_equal(n.n_interfaces, 4);
        assert_string_equal(n.interfaces[0].name, "eth0");
        assert_string_equal(n.interfaces[3].name, "lo");
        assert_int_equal(n.interfaces[0].mtu, -1);
        assert_false(n.interfaces[0].is_up);
        assert_true(n.has_io);
        assert_int_equal(n.io.bytes_recv, 3819 + 18559614);
        assert_int_equal(n.io.bytes_sent, 3819 + 34668);
        assert_int_equal(n.io.packets_recv, 39 + 622);
        assert_int_equal(n.io.packets_sent, 39 + 451);
        assert_true(n.connections.available);
        assert_int_equal(n.connections.tcp[TCP_STATE_LISTEN], 2);
        assert_int_equal(n.connections.udp, 0);
        net_info_done(&n);
}

/* Writes a file below dir, creating parent directories. */
static void put(const char *dir, const char *rel, const char *content, size_t len)
{
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, rel);
        for (char *s = path + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
                *s = '\0';
                (void)mkdir(path, 0755);
                *s = '/';
        }
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        assert_int_equal(fwrite(content, 1, len, f), len);
        fclose(f);
}

static void rm_rf(const char *dir)
{
        char cmd[1100];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        assert_int_equal(system(cmd), 0);
}

static void test_collect_hostile_tree(void **state)
{
        (void)state;
        char dir[] = "/tmp/test-net-XXXXXX";
        assert_non_null(mkdtemp(dir));

        /* A socket table larger than the 64 KiB read chunk, so lines
         * straddle chunk boundaries, plus bad lines that must not count. */
        size_t cap = 4 << 20, len = 0;
        char *tcp = malloc(cap);
        assert_non_null(tcp);
        len += (size_t)snprintf(tcp + len, cap - len, "%s", TCP_HEADER);
        for (int i = 0; i < 3000; i++)
                len += (size_t)snprintf(tcp + len, cap - len, "%s",
                                        i % 3 == 0 ? TCP_LINE("0A") : i % 3 == 1 ? TCP_LINE("01")
                                                                                  : TCP_LINE("zz"));
        put(dir, "proc/net/tcp", tcp, len);
        put(dir, "proc/net/udp", TCP_HEADER "junk\n", strlen(TCP_HEADER "junk\n"));
        put(dir, "proc/net/udp6", "", 0);
        const char *dev = NET_DEV_HEADER
                "  eth0: 18446744073709551615 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
                "  eth1: 18446744073709551615 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
                "  eth1: 7 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
        put(dir, "proc/net/dev", dev, strlen(dev));
        put(dir, "sys/class/net/eth0/mtu", "-5\n", 3);
        put(dir, "sys/class/net/eth0/speed", "4294967295\n", 11);
        put(dir, "sys/class/net/eth0/flags", "0x\n", 3);
        put(dir, "sys/class/net/eth0/operstate", "upside-down\n", 12);
        put(dir, "sys/class/net/eth0/duplex", "fullish\n", 8);
        put(dir, "sys/class/net/eth1/mtu", "99999999999999999999\n", 21);
        put(dir, "sys/class/net/eth1/speed", " 100\n", 5);
        put(dir, "sys/class/net/eth1/flags", "0x11111111111111111\n", 20);
        put(dir, "sys/class/net/eth1/operstate", "up\n", 3);
        put(dir, "sys/class/net/eth1/duplex", "", 0);
        put(dir, "sys/class/net/a-very-long-interface-name/mtu", "1\n", 2);

        char proc[512], sys[512];
        snprintf(proc, sizeof proc, "%s/proc", dir);
        snprintf(sys, sizeof sys, "%s/sys", dir);
        RootFS fs;
        const char *which;
        NetInfo n = { 0 };
        assert_int_equal(rootfs_open(&fs, proc, sys, dir, &which), 0);
        assert_int_equal(net_collect(&fs, NET_CONN_EXACT, &n), 0);
        rootfs_close(&fs);
        rm_rf(dir);
        free(tcp);

        assert_int_equal(n.n_interfaces, 2);
        const NetInterface *e0 = &n.interfaces[0], *e1 = &n.interfaces[1];
        assert_string_equal(e0->name, "eth0");
        assert_int_equal(e0->mtu, -1);
        assert_int_equal(e0->speed_mbps, 0);
        assert_false(e0->is_up);
        assert_string_equal(e0->duplex, "");
        assert_string_equal(e1->name, "eth1");
        assert_int_equal(e1->mtu, -1);
        assert_int_equal(e1->speed_mbps, 0);
        assert_true(e1->is_up);
        /* Duplicate row counted once; the sum saturates instead of wrapping. */
        assert_true(n.io.bytes_recv == UINT64_MAX);
        assert_int_equal(n.io.packets_recv, 2);

        assert_true(n.connections.available);
        assert_int_equal(n.connections.tcp[TCP_STATE_LISTEN], 1000);
        assert_int_equal(n.connections.tcp[TCP_STATE_ESTABLISHED], 1000);
        assert_int_equal(n.connections.udp, 0);
        net_info_done(&n);
}

static void test_collect_nothing(void **state)
{
        (void)state;
        char dir[] = "/tmp/test-net-XXXXXX";
        assert_non_null(mkdtemp(dir));
        RootFS fs;
        const char *which;
        NetInfo n = { 0 };

        assert_int_equal(rootfs_open(&fs, dir, dir, dir, &which), 0);
        assert_true(net_collect(&fs, NET_CONN_EXACT, &n) < 0);
        rootfs_close(&fs);
        rm_rf(dir);
        assert_false(n.has_io);
        assert_false(n.connections.available);
        net_info_done(&n);
}

/* ---- live kernel ------------------------------------------------------------ */

static void test_netlink_live(void **state)
{
        (void)state;
        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        socklen_t sl = sizeof sa;

        int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        assert_true(l >= 0);
        assert_int_equal(bind(l, (struct sockaddr *)&sa, sizeof sa), 0);
        assert_int_equal(listen(l, 4), 0);
        assert_int_equal(getsockname(l, (struct sockaddr *)&sa, &sl), 0);
        int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        assert_true(c >= 0);
        assert_int_equal(connect(c, (struct sockaddr *)&sa, sizeof sa), 0);
        int a = accept(l, NULL, NULL);
        assert_true(a >= 0);
        struct sockaddr_in ua = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        int u4 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        assert_true(u4 >= 0);
        assert_int_equal(bind(u4, (struct sockaddr *)&ua, sizeof ua), 0);

        /* An IPv6 listener too, when the kernel has IPv6: both families
         * must be counted by the single legacy dump. */
        unsigned want_listen = 1;
        struct sockaddr_in6 sa6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
        int l6 = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (l6 >= 0 && bind(l6, (struct sockaddr *)&sa6, sizeof sa6) == 0 && listen(l6, 4) == 0)
                want_listen = 2;

        NetConnections both[2];
        for (int k = 0; k < 2; k++) {
                NetConnections nc = { 0 };
                int r = k == 0 ? net_count_sockets_netlink(&nc)
                               : net_count_sockets_netlink_per_family(&nc);
                if (r < 0)
                        fail_msg("NETLINK_SOCK_DIAG (%s) failed: %s",
                                 k == 0 ? "legacy" : "per family", strerror(-r));
                assert_true(nc.available);
                assert_string_equal(nc.source, "netlink");
                assert_true(nc.tcp[TCP_STATE_LISTEN] >= want_listen);
                assert_true(nc.tcp[TCP_STATE_ESTABLISHED] >= 2);
                assert_true(nc.udp >= 1);
                assert_int_equal(nc.tcp[TCP_STATE_NEW_SYN_RECV], 0);
                assert_int_equal(nc.tcp[0], 0);
                both[k] = nc;
        }
        /* Our own sockets are stable between the two calls. */
        assert_int_equal(both[0].tcp[TCP_STATE_LISTEN], both[1].tcp[TCP_STATE_LISTEN]);

        /* The procfs fallback sees the same sockets. */
        int pfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(pfd >= 0);
        NetConnections pc = { 0 };
        assert_int_equal(net_count_sockets_procfs(pfd, &pc), 0);
        close(pfd);
        assert_string_equal(pc.source, "procfs");
        assert_true(pc.tcp[TCP_STATE_LISTEN] >= 1);
        assert_true(pc.tcp[TCP_STATE_ESTABLISHED] >= 2);
        assert_true(pc.udp >= 1);

        close(u4);
        if (l6 >= 0)
                close(l6);
        close(a);
        close(c);
        close(l);
}

static void test_collect_live(void **state)
{
        (void)state;
        RootFS fs;
        const char *which;
        NetInfo n = { 0 };

        assert_int_equal(rootfs_open(&fs, NULL, NULL, NULL, &which), 0);
        assert_true(fs.live);
        assert_int_equal(net_collect(&fs, NET_CONN_EXACT, &n), 0);
        rootfs_close(&fs);

        assert_string_equal(n.connections.source, "netlink");
        const NetInterface *lo = NULL;
        for (size_t i = 0; i < n.n_interfaces; i++) {
                if (i > 0)
                        assert_true(strcmp(n.interfaces[i - 1].name, n.interfaces[i].name) < 0);
                if (strcmp(n.interfaces[i].name, "lo") == 0)
                        lo = &n.interfaces[i];
        }
        assert_non_null(lo);
        assert_true(lo->is_up);
        assert_true(lo->has_counters);
        bool v4 = false, packet = false;
        for (size_t i = 0; i < lo->n_addresses; i++) {
                const NetAddress *ad = &lo->addresses[i];
                if (strcmp(ad->family, "AF_INET") == 0 && strcmp(ad->address, "127.0.0.1") == 0) {
                        assert_string_equal(ad->netmask, "255.0.0.0");
                        v4 = true;
                }
                if (strcmp(ad->family, "AF_PACKET") == 0) {
                        assert_string_equal(ad->address, "00:00:00:00:00:00");
                        packet = true;
                }
        }
        assert_true(v4);
        assert_true(packet);
        net_info_done(&n);
}


static void test_sockstat_parse(void **state)
{
        (void)state;
        const char *real = "sockets: used 10\nTCP: inuse 1 orphan 0 tw 2 alloc 1 mem 254\n"
                           "UDP: inuse 3 mem 0\nUDPLITE: inuse 0\n";
        uint64_t v = 99;
        assert_int_equal(net_sockstat_parse(real, "TCP", "inuse", &v), 0);
        assert_int_equal(v, 1);
        assert_int_equal(net_sockstat_parse(real, "TCP", "tw", &v), 0);
        assert_int_equal(v, 2);
        assert_int_equal(net_sockstat_parse(real, "UDP", "inuse", &v), 0);
        assert_int_equal(v, 3);
        /* "UDP" must not match the UDPLITE line, nor "tw" a longer key. */
        assert_int_equal(net_sockstat_parse("UDPLITE: inuse 7\n", "UDP", "inuse", &v), -ENODATA);
        assert_int_equal(net_sockstat_parse("TCP: twx 5\n", "TCP", "tw", &v), -ENODATA);
        assert_int_equal(net_sockstat_parse("TCP: inuse x\n", "TCP", "inuse", &v), -EBADMSG);
        assert_int_equal(net_sockstat_parse("TCP: inuse 18446744073709551616\n", "TCP", "inuse", &v),
                         -EBADMSG);
        assert_int_equal(net_sockstat_parse("", "TCP", "inuse", &v), -ENODATA);
        assert_int_equal(net_sockstat_parse("TCP:", "TCP", "inuse", &v), -ENODATA);
}

static void test_snmp_parse(void **state)
{
        (void)state;
        const char *real =
                "Ip: Forwarding DefaultTTL\nIp: 1 64\n"
                "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails "
                "EstabResets CurrEstab InSegs\nTcp: 1 200 120000 -1 42 32 0 0 7 806\n";
        uint64_t v = 0;
        assert_int_equal(net_snmp_tcp_parse(real, "CurrEstab", &v), 0);
        assert_int_equal(v, 7);
        assert_int_equal(net_snmp_tcp_parse(real, "MaxConn", &v), -EBADMSG); /* -1 */
        assert_int_equal(net_snmp_tcp_parse(real, "Nope", &v), -ENODATA);
        assert_int_equal(net_snmp_tcp_parse("Tcp: CurrEstab\n", "CurrEstab", &v), -ENODATA);
        assert_int_equal(net_snmp_tcp_parse("Tcp: A CurrEstab\nTcp: 1\n", "CurrEstab", &v), -EBADMSG);
        assert_int_equal(net_snmp_tcp_parse("", "CurrEstab", &v), -ENODATA);
}

static void test_summary_live(void **state)
{
        (void)state;
        int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        socklen_t alen = sizeof a;
        assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof a), 0);
        assert_int_equal(listen(l, 4), 0);
        assert_int_equal(getsockname(l, (struct sockaddr *)&a, &alen), 0);
        int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        assert_int_equal(connect(c, (struct sockaddr *)&a, sizeof a), 0);
        int s = accept(l, NULL, NULL);
        assert_true(s >= 0);

        int pfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        NetConnections nc;
        assert_int_equal(net_count_sockets_summary(pfd, &nc), 0);
        assert_string_equal(nc.source, "summary");
        assert_true(nc.tcp[TCP_STATE_LISTEN] >= 1);
        assert_true(nc.tcp[TCP_STATE_ESTABLISHED] >= 2);
        close(pfd);
        close(s);
        close(c);
        close(l);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_dev_live_sample),
                cmocka_unit_test(test_dev_columns),
                cmocka_unit_test(test_dev_colon_and_names),
                cmocka_unit_test(test_dev_max_value),
                cmocka_unit_test(test_dev_malformed),
                cmocka_unit_test(test_sockets_live_sample),
                cmocka_unit_test(test_sockets_minimal),
                cmocka_unit_test(test_sockets_malformed),
                cmocka_unit_test(test_collect_net_basic),
                cmocka_unit_test(test_collect_live_sample),
                cmocka_unit_test(test_collect_hostile_tree),
                cmocka_unit_test(test_collect_nothing),
                cmocka_unit_test(test_netlink_live),
                cmocka_unit_test(test_collect_live),
                cmocka_unit_test(test_sockstat_parse),
                cmocka_unit_test(test_snmp_parse),
                cmocka_unit_test(test_summary_live),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
