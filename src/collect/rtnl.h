/* SPDX-License-Identifier: MIT */
/* Network interfaces of the live network namespace over NETLINK_ROUTE:
 * one RTM_GETLINK dump (name, flags, MTU, IFLA_STATS64 counters, hardware
 * and broadcast address) and one RTM_GETADDR dump (IPv4 and IPv6
 * addresses), plus SIOCETHTOOL for speed and duplex. It yields what
 * <procfs>/net/dev + <sysfs>/class/net + SIOCGIFFLAGS/SIOCGIFMTU +
 * getifaddrs() yield together, for a fraction of the system calls. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

#include "collect/net.h"
#include "model/net.h"

/* Longest hardware address reported: getifaddrs() keeps up to 24 bytes and
 * the old formatter printed at most 20 (InfiniBand); longer ones, and
 * empty ones, are not reported at all. */
#define RTNL_HWADDR_MAX 20

/* One RTM_NEWLINK message. */
typedef struct RtnlLink {
        uint32_t ifindex;
        char name[NET_IFNAME_SIZE]; /* IFLA_IFNAME */
        uint32_t flags;             /* ifi_flags: IFF_UP, IFF_BROADCAST, IFF_LOOPBACK, ... */
        int mtu;                    /* IFLA_MTU, -1 when absent or above INT32_MAX */
        bool has_counters;          /* IFLA_STATS64 was present */
        NetIoCounters io;           /* what <procfs>/net/dev prints for the device */
        char hwaddr[64];            /* IFLA_ADDRESS "aa:bb:...", "" when none */
        char broadcast[64];         /* IFLA_BROADCAST the same way */
} RtnlLink;

/* Parses one RTM_NEWLINK message h (h->nlmsg_len bytes). Every attribute
 * is bounds-checked; unknown ones are ignored. -EBADMSG for a wrong type,
 * a message shorter than its ifinfomsg, an attribute running past the end,
 * an IFLA_MTU shorter than 4 bytes, an IFLA_STATS64 too short for the
 * counters read, and a missing, empty, unterminated or too long
 * (>= IFNAMSIZ) IFLA_IFNAME. */
int rtnl_link_parse(const struct nlmsghdr *h, RtnlLink *ret);

/* The AF_PACKET entry getifaddrs() reports for a link: its hardware
 * address, and its broadcast address when the link has IFF_BROADCAST.
 * false (nothing to report) when the link has no hardware address. */
bool rtnl_link_packet_address(const RtnlLink *link, NetAddress *ret);

/* One RTM_NEWADDR message. */
typedef struct RtnlAddr {
        uint32_t ifindex; /* ifa_index: the interface, whatever the IPv4 label */
        int family;       /* ifa_family */
        /* For AF_INET and AF_INET6: address = IFA_LOCAL, or IFA_ADDRESS
         * without it (for point-to-point links IFA_ADDRESS is the peer);
         * netmask from the prefix length. broadcast (IPv4 only) is
         * IFA_BROADCAST, or else IFA_ADDRESS when IFA_LOCAL came too: what
         * getifaddrs() leaves in ifa_broadaddr, which is only meaningful
         * (and kept by the collector) when the link has IFF_BROADCAST.
         * address is "" for other families or when neither attribute was
         * sent: nothing to report. */
        NetAddress addr;
} RtnlAddr;

/* Parses one RTM_NEWADDR message h (h->nlmsg_len bytes). -EBADMSG for a
 * wrong type, a message shorter than its ifaddrmsg, an attribute running
 * past the end, an address attribute of the wrong size for the family
 * (4 or 16 bytes), or a prefix length above 32 (IPv4) or 128 (IPv6). */
int rtnl_addr_parse(const struct nlmsghdr *h, RtnlAddr *ret);

/* Formats n bytes as "aa:bb:cc" (lower-case hex) into buf; "" when n is 0
 * or above RTNL_HWADDR_MAX. */
void rtnl_format_hwaddr(const uint8_t *bytes, size_t n, char *buf, size_t cap);

/* Fills ret->interfaces (sorted by name), n_interfaces, io (totals over
 * interfaces with counters) and has_io from the live network namespace:
 * the two dumps on one NETLINK_ROUTE socket, then SIOCETHTOOL on one
 * AF_INET socket for every interface but loopback. Interfaces, counters,
 * is_up, mtu, speed, duplex and addresses (AF_PACKET first, then the
 * IPv4 and IPv6 ones in kernel order) are those of the net/dev + sysfs +
 * ioctl + getifaddrs() path. Returns 0, or -errno (netlink refused, e.g.
 * by seccomp; a dump failing) with *ret untouched. */
int rtnl_collect_interfaces(NetInfo *ret);
