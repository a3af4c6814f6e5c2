/* SPDX-License-Identifier: MIT */
/* collect/rtnl: RTM_NEWLINK / RTM_NEWADDR parsers over messages built
 * here (lo, eth0, IPv4 with label / point-to-point / without broadcast,
 * IPv6 with and without peer) and hostile ones (attribute past the end,
 * truncated IFLA_STATS64, missing / unterminated / too long names, prefix
 * lengths 33 and 129, zero-length messages); on the live machine, the
 * rtnetlink interface list against the net/dev + sysfs + getifaddrs path,
 * and net_collect falling back to that path when a seccomp filter refuses
 * AF_NETLINK sockets. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "collect/net.h"
#include "collect/rootfs.h"
#include "collect/rtnl.h"

/* ---- message builder --------------------------------------------------------- */

typedef union Msg {
        struct nlmsghdr h;
        uint8_t raw[4096];
} Msg;

static void msg_init(Msg *m, uint16_t type, const void *hdr, size_t hdr_len)
{
        memset(m, 0, sizeof *m);
        m->h.nlmsg_type = type;
        m->h.nlmsg_len = NLMSG_LENGTH(hdr_len);
        memcpy(NLMSG_DATA(&m->h), hdr, hdr_len);
        m->h.nlmsg_len = NLMSG_ALIGN(m->h.nlmsg_len);
}

/* Appends one attribute (padded to 4 bytes) and returns it, so that tests
 * can corrupt its header afterwards. */
static struct rtattr *msg_put(Msg *m, uint16_t type, const void *data, size_t len)
{
        size_t off = NLMSG_ALIGN(m->h.nlmsg_len);
        assert_true(off + RTA_SPACE(len) <= sizeof m->raw);
        struct rtattr *rta = (struct rtattr *)(void *)(m->raw + off);
        rta->rta_type = type;
        rta->rta_len = (unsigned short)RTA_LENGTH(len);
        if (len > 0)
                memcpy(RTA_DATA(rta), data, len);
        m->h.nlmsg_len = (uint32_t)(off + RTA_SPACE(len));
        return rta;
}

static void msg_put_str(Msg *m, uint16_t type, const char *s)
{
        msg_put(m, type, s, strlen(s) + 1);
}

static void msg_put_u32(Msg *m, uint16_t type, uint32_t v)
{
        msg_put(m, type, &v, sizeof v);
}

static void link_init(Msg *m, int ifindex, unsigned flags)
{
        struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex, .ifi_flags = flags };
        msg_init(m, RTM_NEWLINK, &ifi, sizeof ifi);
}

static void addr_init(Msg *m, uint8_t family, uint8_t prefixlen, uint32_t ifindex)
{
        struct ifaddrmsg ifa = { .ifa_family = family, .ifa_prefixlen = prefixlen,
                                 .ifa_index = ifindex };
        msg_init(m, RTM_NEWADDR, &ifa, sizeof ifa);
}

static void put_in4(Msg *m, uint16_t type, const char *text)
{
        struct in_addr a;
        assert_int_equal(inet_pton(AF_INET, text, &a), 1);
        msg_put(m, type, &a, sizeof a);
}

static void put_in6(Msg *m, uint16_t type, const char *text)
{
        struct in6_addr a;
        assert_int_equal(inet_pton(AF_INET6, text, &a), 1);
        msg_put(m, type, &a, sizeof a);
}

static const uint8_t MAC_ETH0[6] = { 0x02, 0xfc, 0x00, 0x00, 0xab, 0x01 };
static const uint8_t MAC_BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t MAC_ZERO[6] = { 0 };

/* A full-size stats struct with distinct values in every field. */
static struct rtnl_link_stats64 sample_stats(uint64_t base)
{
        struct rtnl_link_stats64 s;
        uint64_t f[sizeof s / sizeof(uint64_t)];
        for (size_t i = 0; i < sizeof f / sizeof *f; i++)
                f[i] = base + i;
        memcpy(&s, f, sizeof s);
        return s;
}

/* A realistic eth0: the kernel's attribute order, nested blobs included. */
static void build_eth0(Msg *m)
{
        struct rtnl_link_stats64 s = sample_stats(1000);
        uint8_t af_spec[40] = { 0 };
        /* A nested attribute header inside, with a length that would run
         * past the message if it were parsed as top level: must be skipped. */
        af_spec[0] = 0xff;
        af_spec[1] = 0x7f;

        link_init(m, 2, IFF_UP | IFF_BROADCAST | IFF_RUNNING | IFF_MULTICAST);
        msg_put_str(m, IFLA_IFNAME, "eth0");
        msg_put_u32(m, IFLA_TXQLEN, 1000);
        msg_put_u32(m, IFLA_MTU, 1500);
        msg_put_str(m, IFLA_QDISC, "pfifo_fast");
        msg_put(m, IFLA_ADDRESS, MAC_ETH0, sizeof MAC_ETH0);
        msg_put(m, IFLA_BROADCAST, MAC_BCAST, sizeof MAC_BCAST);
        msg_put(m, IFLA_STATS64, &s, sizeof s);
        msg_put(m, IFLA_AF_SPEC | NLA_F_NESTED, af_spec, sizeof af_spec);
        msg_put_u32(m, 0x7ff, 42); /* unknown to us */
}

/* ---- links ------------------------------------------------------------------- */

static void test_link_lo(void **state)
{
        (void)state;
        Msg m;
        RtnlLink l;
        NetAddress pa;
        struct rtnl_link_stats64 s = { 0 };
        s.rx_bytes = 5000;
        s.rx_packets = 50;
        s.tx_bytes = 5000;
        s.tx_packets = 50;

        link_init(&m, 1, IFF_UP | IFF_LOOPBACK | IFF_RUNNING);
        msg_put_str(&m, IFLA_IFNAME, "lo");
        msg_put_u32(&m, IFLA_MTU, 65536);
        msg_put(&m, IFLA_ADDRESS, MAC_ZERO, sizeof MAC_ZERO);
        msg_put(&m, IFLA_BROADCAST, MAC_ZERO, sizeof MAC_ZERO);
        msg_put(&m, IFLA_STATS64, &s, sizeof s);
        assert_int_equal(rtnl_link_parse(&m.h, &l), 0);

        assert_int_equal(l.ifindex, 1);
        assert_string_equal(l.name, "lo");
        assert_true(l.flags & IFF_LOOPBACK);
        assert_int_equal(l.mtu, 65536);
        assert_true(l.has_counters);
        assert_int_equal(l.io.bytes_recv, 5000);
        assert_int_equal(l.io.packets_sent, 50);
        assert_int_equal(l.io.dropin, 0);
        assert_string_equal(l.hwaddr, "00:00:00:00:00:00");

        /* No IFF_BROADCAST: getifaddrs' ifa_broadaddr is not a broadcast. */
        assert_true(rtnl_link_packet_address(&l, &pa));
        assert_string_equal(pa.family, "AF_PACKET");
        assert_string_equal(pa.address, "00:00:00:00:00:00");
        assert_string_equal(pa.netmask, "");
        assert_string_equal(pa.broadcast, "");
}

static void test_link_eth0(void **state)
{
        (void)state;
        Msg m;
        RtnlLink l;
        NetAddress pa;

        build_eth0(&m);
        assert_int_equal(rtnl_link_parse(&m.h, &l), 0);
        assert_int_equal(l.ifindex, 2);
        assert_string_equal(l.name, "eth0");
        assert_int_equal(l.mtu, 1500);
        assert_true(l.flags & IFF_UP);
        assert_string_equal(l.hwaddr, "02:fc:00:00:ab:01");
        assert_string_equal(l.broadcast, "ff:ff:ff:ff:ff:ff");

        /* The columns of /proc/net/dev (dev_seq_printf_stats). */
        struct rtnl_link_stats64 s = sample_stats(1000);
        assert_true(l.has_counters);
        assert_int_equal(l.io.bytes_recv, s.rx_bytes);
        assert_int_equal(l.io.packets_recv, s.rx_packets);
        assert_int_equal(l.io.errin, s.rx_errors);
        assert_int_equal(l.io.dropin, s.rx_dropped + s.rx_missed_errors);
        assert_int_equal(l.io.bytes_sent, s.tx_bytes);
        assert_int_equal(l.io.packets_sent, s.tx_packets);
        assert_int_equal(l.io.errout, s.tx_errors);
        assert_int_equal(l.io.dropout, s.tx_dropped);

        assert_true(rtnl_link_packet_address(&l, &pa));
        assert_string_equal(pa.address, "02:fc:00:00:ab:01");
        assert_string_equal(pa.broadcast, "ff:ff:ff:ff:ff:ff");
}

static void test_link_variants(void **state)
{
        (void)state;
        Msg m;
        RtnlLink l;
        NetAddress pa;

        /* A tunnel without hardware address, MTU above INT32_MAX, no stats,
         * the name attribute without trailing padding at the very end. */
        link_init(&m, 9, IFF_UP | IFF_POINTOPOINT | IFF_NOARP);
        msg_put_u32(&m, IFLA_MTU, 0x80000000u);
        msg_put(&m, IFLA_IFNAME, "wg0", 4); /* "wg0\0" fills its 4 bytes exactly */
        assert_int_equal(rtnl_link_parse(&m.h, &l), 0);
        assert_string_equal(l.name, "wg0");
        assert_int_equal(l.mtu, -1);
        assert_false(l.has_counters);
        assert_false(rtnl_link_packet_address(&l, &pa));

        link_init(&m, 10, IFF_UP);
        msg_put(&m, IFLA_IFNAME, "ab", 3); /* rta_len 7, padded to 8 */
        m.h.nlmsg_len -= 1;                /* padding of the last attribute left out */
        assert_int_equal(rtnl_link_parse(&m.h, &l), 0);
        assert_string_equal(l.name, "ab");
        assert_int_equal(l.mtu, -1);

        /* A 15-character name is the longest (IFNAMSIZ - 1). */
        link_init(&m, 11, 0);
        msg_put_str(&m, IFLA_IFNAME, "abcdefghijklmno");
        assert_int_equal(rtnl_link_parse(&m.h, &l), 0);
        assert_string_equal(l.name, "abcdefghijklmno");
        assert_false(l.flags & IFF_UP);

        /* Older kernels (23 counters) and newer ones (rx_otherhost_dropped)
         * send different IFLA_STATS64 sizes: both fine. */
        struct rtnl_link_stats64 s = sample_stats(7);
        uint8_t big[sizeof s + 16] = { 0 };
        memcpy(big, &s, sizeof s);
        link_init(&m, 12, 0);
        msg_put_str(&m, IFLA_IFNAME, "x");
        msg_put(&m, IFLA_STATS64, &s, 23 * 8);
        assert_int_equal(rtnl_link_parse(&m.h, &l), 0);
        assert_int_equal(l.io.dropin, s.rx_dropped + s.rx_missed_errors);
        link_init(&m, 12, 0);
        msg_put_str(&m, IFLA_IFNAME, "x");
        msg_put(&m, IFLA_STATS64, big, sizeof big);
        assert_int_equal(rtnl_link_parse(&m.h, &l), 0);
        assert_int_equal(l.io.bytes_sent, s.tx_bytes);

        /* The kernel's u64 arithmetic for "drop" wraps. */
        s.rx_dropped = UINT64_MAX;
        s.rx_missed_errors = 2;
        link_init(&m, 13, 0);
        msg_put_str(&m, IFLA_IFNAME, "y");
        msg_put(&m, IFLA_STATS64, &s, sizeof s);
        assert_int_equal(rtnl_link_parse(&m.h, &l), 0);
        assert_int_equal(l.io.dropin, 1);

        /* Hardware addresses: 20 bytes (InfiniBand) shown, 21 and 0 not. */
        uint8_t hw[21];
        for (size_t i = 0; i < sizeof hw; i++)
                hw[i] = (uint8_t)(0xa0 + i);
        link_init(&m, 14, IFF_BROADCAST);
        msg_put_str(&m, IFLA_IFNAME, "ib0");
        msg_put(&m, IFLA_ADDRESS, hw, 20);
        msg_put(&m, IFLA_BROADCAST, hw, 21);
        assert_int_equal(rtnl_link_parse(&m.h, &l), 0);
        assert_string_equal(l.hwaddr, "a0:a1:a2:a3:a4:a5:a6:a7:a8:a9:aa:ab:ac:ad:ae:af:b0:b1:b2:b3");
        assert_true(rtnl_link_packet_address(&l, &pa));
        assert_string_equal(pa.broadcast, "");
        link_init(&m, 15, 0);
        msg_put_str(&m, IFLA_IFNAME, "ib1");
        msg_put(&m, IFLA_ADDRESS, hw, 21);
        assert_int_equal(rtnl_link_parse(&m.h, &l), 0);
        assert_false(rtnl_link_packet_address(&l, &pa));
        link_init(&m, 16, 0);
        msg_put_str(&m, IFLA_IFNAME, "none");
        msg_put(&m, IFLA_ADDRESS, NULL, 0);
        assert_int_equal(rtnl_link_parse(&m.h, &l), 0);
        assert_false(rtnl_link_packet_address(&l, &pa));

        char buf[8];
        rtnl_format_hwaddr(MAC_ETH0, 6, buf, sizeof buf); /* cut, never overrun */
        assert_true(strlen(buf) < sizeof buf);
}

static void test_link_hostile(void **state)
{
        (void)state;
        Msg m;
        RtnlLink l = { .ifindex = 777 };
        struct rtattr *rta;

        /* Attribute length past the end of the message. */
        build_eth0(&m);
        rta = msg_put(&m, IFLA_MTU, "\0\0\0\0", 4);
        rta->rta_len = 200;
        assert_int_equal(rtnl_link_parse(&m.h, &l), -EBADMSG);
        /* Attribute shorter than its own header (would loop forever). */
        build_eth0(&m);
        rta = msg_put(&m, IFLA_MTU, "\0\0\0\0", 4);
        rta->rta_len = 2;
        assert_int_equal(rtnl_link_parse(&m.h, &l), -EBADMSG);
        rta->rta_len = 0;
        assert_int_equal(rtnl_link_parse(&m.h, &l), -EBADMSG);
        /* Stray bytes after the last attribute. */
        build_eth0(&m);
        m.h.nlmsg_len += 3;
        assert_int_equal(rtnl_link_parse(&m.h, &l), -EBADMSG);

        /* Truncated IFLA_STATS64: 8 counters only. */
        struct rtnl_link_stats64 s = sample_stats(1);
        link_init(&m, 3, 0);
        msg_put_str(&m, IFLA_IFNAME, "eth1");
        msg_put(&m, IFLA_STATS64, &s, 64);
        assert_int_equal(rtnl_link_parse(&m.h, &l), -EBADMSG);
        link_init(&m, 3, 0);
        msg_put_str(&m, IFLA_IFNAME, "eth1");
        msg_put(&m, IFLA_STATS64, &s, offsetof(struct rtnl_link_stats64, rx_missed_errors) + 7);
        assert_int_equal(rtnl_link_parse(&m.h, &l), -EBADMSG);
        /* Short IFLA_MTU. */
        link_init(&m, 3, 0);
        msg_put_str(&m, IFLA_IFNAME, "eth1");
        msg_put(&m, IFLA_MTU, "\x05\xdc", 2);
        assert_int_equal(rtnl_link_parse(&m.h, &l), -EBADMSG);

        /* Missing IFLA_IFNAME. */
        link_init(&m, 3, IFF_UP);
        msg_put_u32(&m, IFLA_MTU, 1500);
        assert_int_equal(rtnl_link_parse(&m.h, &l), -EBADMSG);
        /* Unterminated name. */
        link_init(&m, 3, 0);
        msg_put(&m, IFLA_IFNAME, "eth1", 4);
        assert_int_equal(rtnl_link_parse(&m.h, &l), -EBADMSG);
        /* Too long: 16 characters + NUL, and a long unterminated one. */
        link_init(&m, 3, 0);
        msg_put_str(&m, IFLA_IFNAME, "abcdefghijklmnop");
        assert_int_equal(rtnl_link_parse(&m.h, &l), -EBADMSG);
        char longname[300];
        memset(longname, 'x', sizeof longname);
        link_init(&m, 3, 0);
        msg_put(&m, IFLA_IFNAME, longname, sizeof longname);
        assert_int_equal(rtnl_link_parse(&m.h, &l), -EBADMSG);
        /* Empty name, and an empty attribute. */
        link_init(&m, 3, 0);
        msg_put_str(&m, IFLA_IFNAME, "");
        assert_int_equal(rtnl_link_parse(&m.h, &l), -EBADMSG);
        link_init(&m, 3, 0);
        msg_put(&m, IFLA_IFNAME, NULL, 0);
        assert_int_equal(rtnl_link_parse(&m.h, &l), -EBADMSG);

        /* Zero-length message, bare header, header cut inside ifinfomsg. */
        build_eth0(&m);
        m.h.nlmsg_len = 0;
        assert_int_equal(rtnl_link_parse(&m.h, &l), -EBADMSG);
        m.h.nlmsg_len = NLMSG_HDRLEN;
        assert_int_equal(rtnl_link_parse(&m.h, &l), -EBADMSG);
        m.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg) - 1);
        assert_int_equal(rtnl_link_parse(&m.h, &l), -EBADMSG);
        /* Not a link message. */
        build_eth0(&m);
        m.h.nlmsg_type = RTM_NEWADDR;
        assert_int_equal(rtnl_link_parse(&m.h, &l), -EBADMSG);

        /* Nothing was written on failure. */
        assert_int_equal(l.ifindex, 777);
}

/* ---- addresses ------------------------------------------------------------- */

static void test_addr_ipv4(void **state)
{
        (void)state;
        Msg m;
        RtnlAddr a;
        uint8_t cacheinfo[16] = { 0 };

        /* What the kernel sends for "192.0.2.2/24 brd 192.0.2.255 label eth0:1". */
        addr_init(&m, AF_INET, 24, 2);
        put_in4(&m, IFA_ADDRESS, "192.0.2.2");
        put_in4(&m, IFA_LOCAL, "192.0.2.2");
        put_in4(&m, IFA_BROADCAST, "192.0.2.255");
        msg_put_str(&m, IFA_LABEL, "eth0:1");
        msg_put_u32(&m, IFA_FLAGS, 0x80);
        msg_put(&m, IFA_CACHEINFO, cacheinfo, sizeof cacheinfo);
        assert_int_equal(rtnl_addr_parse(&m.h, &a), 0);
        assert_int_equal(a.ifindex, 2); /* the label does not matter */
        assert_int_equal(a.family, AF_INET);
        assert_string_equal(a.addr.family, "AF_INET");
        assert_string_equal(a.addr.address, "192.0.2.2");
        assert_string_equal(a.addr.netmask, "255.255.255.0");
        assert_string_equal(a.addr.broadcast, "192.0.2.255");

        /* Point-to-point: IFA_ADDRESS is the peer, getifaddrs' dstaddr. */
        addr_init(&m, AF_INET, 32, 5);
        put_in4(&m, IFA_ADDRESS, "10.3.0.2");
        put_in4(&m, IFA_LOCAL, "10.3.0.1");
        assert_int_equal(rtnl_addr_parse(&m.h, &a), 0);
        assert_string_equal(a.addr.address, "10.3.0.1");
        assert_string_equal(a.addr.netmask, "255.255.255.255");
        assert_string_equal(a.addr.broadcast, "10.3.0.2");

        /* No broadcast configured: glibc leaves the address itself there. */
        addr_init(&m, AF_INET, 17, 5);
        put_in4(&m, IFA_ADDRESS, "10.2.0.1");
        put_in4(&m, IFA_LOCAL, "10.2.0.1");
        assert_int_equal(rtnl_addr_parse(&m.h, &a), 0);
        assert_string_equal(a.addr.netmask, "255.255.128.0");
        assert_string_equal(a.addr.broadcast, "10.2.0.1");

        /* IFA_ADDRESS alone, prefix 0. */
        addr_init(&m, AF_INET, 0, 5);
        put_in4(&m, IFA_ADDRESS, "10.4.0.1");
        assert_int_equal(rtnl_addr_parse(&m.h, &a), 0);
        assert_string_equal(a.addr.address, "10.4.0.1");
        assert_string_equal(a.addr.netmask, "0.0.0.0");
        assert_string_equal(a.addr.broadcast, "");

        /* No address attribute at all: nothing to report, not an error. */
        addr_init(&m, AF_INET, 24, 5);
        msg_put_u32(&m, IFA_FLAGS, 0);
        assert_int_equal(rtnl_addr_parse(&m.h, &a), 0);
        assert_string_equal(a.addr.address, "");
}

static void test_addr_ipv6(void **state)
{
        (void)state;
        Msg m;
        RtnlAddr a;

        addr_init(&m, AF_INET6, 64, 2);
        put_in6(&m, IFA_ADDRESS, "fe80::fc:ff:fe00:1");
        msg_put_u32(&m, IFA_FLAGS, 0x80);
        assert_int_equal(rtnl_addr_parse(&m.h, &a), 0);
        assert_int_equal(a.family, AF_INET6);
        assert_string_equal(a.addr.family, "AF_INET6");
        assert_string_equal(a.addr.address, "fe80::fc:ff:fe00:1"); /* no %scope */
        assert_string_equal(a.addr.netmask, "ffff:ffff:ffff:ffff::");
        assert_string_equal(a.addr.broadcast, "");

        /* With a peer the kernel sends IFA_LOCAL first. */
        addr_init(&m, AF_INET6, 128, 3);
        put_in6(&m, IFA_LOCAL, "2001:db8:1::1");
        put_in6(&m, IFA_ADDRESS, "2001:db8:1::2");
        assert_int_equal(rtnl_addr_parse(&m.h, &a), 0);
        assert_string_equal(a.addr.address, "2001:db8:1::1");
        assert_string_equal(a.addr.netmask, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
        assert_string_equal(a.addr.broadcast, "");

        addr_init(&m, AF_INET6, 1, 3);
        put_in6(&m, IFA_ADDRESS, "::1");
        assert_int_equal(rtnl_addr_parse(&m.h, &a), 0);
        assert_string_equal(a.addr.netmask, "8000::");

        /* Another family (MCTP: one-byte IFA_LOCAL) is not reported. */
        addr_init(&m, 45, 0, 3);
        msg_put(&m, IFA_LOCAL, "\x08", 1);
        assert_int_equal(rtnl_addr_parse(&m.h, &a), 0);
        assert_int_equal(a.family, 45);
        assert_string_equal(a.addr.address, "");
}

static void test_addr_hostile(void **state)
{
        (void)state;
        Msg m;
        RtnlAddr a = { .ifindex = 777 };
        struct rtattr *rta;

        addr_init(&m, AF_INET, 33, 2);
        put_in4(&m, IFA_LOCAL, "192.0.2.2");
        assert_int_equal(rtnl_addr_parse(&m.h, &a), -EBADMSG);
        addr_init(&m, AF_INET6, 129, 2);
        put_in6(&m, IFA_ADDRESS, "2001:db8::1");
        assert_int_equal(rtnl_addr_parse(&m.h, &a), -EBADMSG);
        addr_init(&m, AF_INET6, 255, 2);
        assert_int_equal(rtnl_addr_parse(&m.h, &a), -EBADMSG);

        /* Address sizes that do not match the family. */
        addr_init(&m, AF_INET, 24, 2);
        msg_put(&m, IFA_LOCAL, "\xc0\x00\x02", 3);
        assert_int_equal(rtnl_addr_parse(&m.h, &a), -EBADMSG);
        addr_init(&m, AF_INET6, 64, 2);
        put_in4(&m, IFA_ADDRESS, "192.0.2.2");
        assert_int_equal(rtnl_addr_parse(&m.h, &a), -EBADMSG);
        addr_init(&m, AF_INET, 24, 2);
        put_in4(&m, IFA_LOCAL, "192.0.2.2");
        put_in6(&m, IFA_BROADCAST, "::1");
        assert_int_equal(rtnl_addr_parse(&m.h, &a), -EBADMSG);

        /* Attribute past the end, for every family. */
        addr_init(&m, AF_INET, 24, 2);
        rta = msg_put(&m, IFA_LOCAL, "\xc0\x00\x02\x02", 4);
        rta->rta_len = 9;
        assert_int_equal(rtnl_addr_parse(&m.h, &a), -EBADMSG);
        addr_init(&m, 45, 0, 2);
        rta = msg_put(&m, IFA_LOCAL, "\x08", 1);
        rta->rta_len = 64;
        assert_int_equal(rtnl_addr_parse(&m.h, &a), -EBADMSG);

        /* Zero-length and cut headers, wrong type. */
        addr_init(&m, AF_INET, 24, 2);
        put_in4(&m, IFA_LOCAL, "192.0.2.2");
        m.h.nlmsg_len = 0;
        assert_int_equal(rtnl_addr_parse(&m.h, &a), -EBADMSG);
        m.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg) - 1);
        assert_int_equal(rtnl_addr_parse(&m.h, &a), -EBADMSG);
        m.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg));
        assert_int_equal(rtnl_addr_parse(&m.h, &a), 0); /* header only: nothing */
        assert_string_equal(a.addr.address, "");
        m.h.nlmsg_type = RTM_NEWLINK;
        a.ifindex = 777;
        assert_int_equal(rtnl_addr_parse(&m.h, &a), -EBADMSG);
        assert_int_equal(a.ifindex, 777);
}

/* ---- live kernel ------------------------------------------------------------ */

static const NetInterface *find(const NetInfo *n, const char *name)
{
        for (size_t i = 0; i < n->n_interfaces; i++)
                if (strcmp(n->interfaces[i].name, name) == 0)
                        return &n->interfaces[i];
        return NULL;
}

/* Everything but the counters, which move between the two reads. */
static void assert_same_interfaces(const NetInfo *old, const NetInfo *new)
{
        assert_int_equal(old->n_interfaces, new->n_interfaces);
        for (size_t i = 0; i < old->n_interfaces; i++) {
                const NetInterface *a = &old->interfaces[i], *b = &new->interfaces[i];
                assert_string_equal(a->name, b->name);
                assert_int_equal(a->has_counters, b->has_counters);
                assert_int_equal(a->is_up, b->is_up);
                assert_int_equal(a->mtu, b->mtu);
                assert_int_equal(a->speed_mbps, b->speed_mbps);
                assert_string_equal(a->duplex, b->duplex);
                assert_int_equal(a->n_addresses, b->n_addresses);
                for (size_t k = 0; k < a->n_addresses; k++) {
                        assert_string_equal(a->addresses[k].family, b->addresses[k].family);
                        assert_string_equal(a->addresses[k].address, b->addresses[k].address);
                        assert_string_equal(a->addresses[k].netmask, b->addresses[k].netmask);
                        assert_string_equal(a->addresses[k].broadcast,
                                            b->addresses[k].broadcast);
                }
        }
        assert_int_equal(old->has_io, new->has_io);
}

static void test_live_equals_files(void **state)
{
        (void)state;
        RootFS fs;
        const char *which;
        NetInfo old = { 0 }, new = { 0 };

        assert_int_equal(rootfs_open(&fs, NULL, NULL, NULL, &which), 0);
        assert_true(fs.live);
        assert_int_equal(net_collect_interfaces_files(&fs, &old), 0);
        int r = rtnl_collect_interfaces(&new);
        if (r < 0)
                fail_msg("rtnetlink failed: %s", strerror(-r));
        rootfs_close(&fs);

        assert_same_interfaces(&old, &new);
        assert_non_null(find(&new, "lo"));
        for (size_t i = 1; i < new.n_interfaces; i++)
                assert_true(strcmp(new.interfaces[i - 1].name, new.interfaces[i].name) < 0);
        /* Counters only grow, and the totals are their sums. */
        NetIoCounters sum = { 0 };
        for (size_t i = 0; i < new.n_interfaces; i++) {
                const NetIoCounters *a = &old.interfaces[i].io, *b = &new.interfaces[i].io;
                assert_true(b->bytes_recv >= a->bytes_recv);
                assert_true(b->packets_sent >= a->packets_sent);
                assert_true(b->dropin >= a->dropin);
                sum.bytes_recv += b->bytes_recv;
                sum.packets_sent += b->packets_sent;
        }
        assert_int_equal(new.io.bytes_recv, sum.bytes_recv);
        assert_int_equal(new.io.packets_sent, sum.packets_sent);
        assert_true(new.io.bytes_sent >= old.io.bytes_sent);
        net_info_done(&old);
        net_info_done(&new);
}

#if defined(__x86_64__) || defined(__aarch64__)
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#if defined(__x86_64__)
#define TEST_AUDIT_ARCH AUDIT_ARCH_X86_64
#else
#define TEST_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

/* socket(AF_NETLINK, ...) fails with EPERM, everything else runs. */
static int refuse_netlink(void)
{
        struct sock_filter prog[] = {
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TEST_AUDIT_ARCH, 1, 0),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 3),
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_NETLINK, 0, 1),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        struct sock_fprog fp = { .len = sizeof prog / sizeof prog[0], .filter = prog };
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return -1;
        return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fp);
}

/* Child: exit 0 when netlink is refused and net_collect still lists the
 * interfaces (through the files), 2 when seccomp is unavailable. */
static int fallback_child(void)
{
        RootFS fs;
        const char *which;
        NetInfo probe = { 0 }, n = { 0 }, ref = { 0 };

        if (refuse_netlink() < 0)
                return 2;
        if (rtnl_collect_interfaces(&probe) != -EPERM)
                return 3;
        if (rootfs_open(&fs, NULL, NULL, NULL, &which) < 0 || !fs.live)
                return 4;
        if (net_collect(&fs, NET_CONN_EXACT, &n) < 0)
                return 5;
        if (net_collect_interfaces_files(&fs, &ref) < 0)
                return 6;
        rootfs_close(&fs);
        if (n.n_interfaces == 0 || n.n_interfaces != ref.n_interfaces || !n.has_io)
                return 7;
        for (size_t i = 0; i < n.n_interfaces; i++)
                if (strcmp(n.interfaces[i].name, ref.interfaces[i].name) != 0 ||
                    n.interfaces[i].n_addresses != ref.interfaces[i].n_addresses)
                        return 8;
        /* Sockets were counted from the proc files instead. */
        if (!n.connections.available || strcmp(n.connections.source, "procfs") != 0)
                return 9;
        net_info_done(&n);
        net_info_done(&ref);
        return 0;
}

static void test_live_fallback_seccomp(void **state)
{
        (void)state;
        int status;

        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
                _exit(fallback_child());
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        if (WEXITSTATUS(status) == 2)
                skip();
        assert_int_equal(WEXITSTATUS(status), 0);
}
#else
static void test_live_fallback_seccomp(void **state)
{
        (void)state;
        skip();
}
#endif

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_link_lo),
                cmocka_unit_test(test_link_eth0),
                cmocka_unit_test(test_link_variants),
                cmocka_unit_test(test_link_hostile),
                cmocka_unit_test(test_addr_ipv4),
                cmocka_unit_test(test_addr_ipv6),
                cmocka_unit_test(test_addr_hostile),
                cmocka_unit_test(test_live_equals_files),
                cmocka_unit_test(test_live_fallback_seccomp),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
