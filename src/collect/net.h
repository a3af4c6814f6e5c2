/* SPDX-License-Identifier: MIT */
/* Network interfaces (net/dev counters, sysfs class/net attributes,
 * getifaddrs addresses) and TCP/UDP socket counts by state
 * (NETLINK_SOCK_DIAG when live, <procfs>/net/tcp{,6} and udp{,6} otherwise). */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "collect/rootfs.h"
#include "model/net.h"

/* Longest interface name plus NUL (IFNAMSIZ in <net/if.h>). */
#define NET_IFNAME_SIZE 16

/* One data row of <procfs>/net/dev. */
typedef struct NetDevEntry {
        char name[NET_IFNAME_SIZE];
        NetIoCounters io;
} NetDevEntry;

/* Parses the whole text of <procfs>/net/dev. On success *ret is an array
 * (free() it; NULL when there are no rows) in file order. Malformed rows
 * are skipped; if every data row is malformed the error of the first one
 * is returned (-EBADMSG, or -ERANGE for a counter that overflows uint64).
 * A header with no rows is valid (0 entries). Missing header: -EBADMSG. */
int net_dev_parse(const char *buf, NetDevEntry **ret, size_t *ret_n);

/* Lines of one /proc/net/{tcp,tcp6,udp,udp6} file. */
typedef struct NetSockCounts {
        uint64_t state[_TCP_STATE_MAX]; /* NEW_SYN_RECV folded into SYN_RECV */
        uint64_t total;                 /* valid data lines */
} NetSockCounts;

/* Parses the text of /proc/net/tcp (same format for tcp6, udp, udp6):
 * a header line, then one socket per line with the state in hex in the
 * 4th column. Same error policy as net_dev_parse: bad lines are skipped,
 * all-bad is the first line's error, empty or header-less is -EBADMSG. */
int net_sockets_parse(const char *buf, NetSockCounts *ret);

/* Counts TCP (by state) and UDP sockets, IPv4 + IPv6, of our network
 * namespace over NETLINK_SOCK_DIAG. Fills *ret entirely (source
 * "netlink") or returns -errno and leaves it untouched. */
int net_count_sockets_netlink(NetConnections *ret);

/* Same from <proc_fd>/net/{tcp,tcp6,udp,udp6}, read in fixed-size chunks.
 * A missing file (IPv6 disabled) counts as zero sockets; -errno only when
 * none of the four could be read. Source "procfs". */
int net_count_sockets_procfs(int proc_fd, NetConnections *ret);

/* Fills *ret (zeroed by the caller). Returns 0, or -errno when nothing at
 * all could be read. */
int net_collect(const RootFS *fs, NetInfo *ret);
