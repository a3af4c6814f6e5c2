/* SPDX-License-Identifier: MIT */
/* Network interfaces (live: rtnetlink dumps, see collect/rtnl.h; else
 * net/dev counters and sysfs class/net attributes) and TCP/UDP socket
 * counts by state (NETLINK_SOCK_DIAG when live, <procfs>/net/tcp{,6} and
 * udp{,6} otherwise). */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "collect/rootfs.h"
#include "model/net.h"

/* Longest interface name plus NUL (IFNAMSIZ in <net/if.h>). */
#define NET_IFNAME_SIZE 16

/* total += x, field by field, saturating at UINT64_MAX. */
void net_io_add(NetIoCounters *total, const NetIoCounters *x);

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

/* One data line of /proc/net/{tcp,tcp6,udp,udp6}. */
typedef struct NetSocketRow {
        int family;             /* AF_INET or AF_INET6 */
        uint8_t local_addr[16]; /* network byte order; IPv4 uses the first 4 bytes */
        uint8_t remote_addr[16];
        uint16_t local_port, remote_port;
        int state;              /* 1.._TCP_STATE_MAX-1; UDP: 7 (CLOSE) unconnected, 1 connected */
        uint64_t uid;           /* U64_ABSENT when the line ends before it */
        uint64_t inode;         /* U64_ABSENT when the line ends before it; 0 for
                                 * sockets no file refers to (TIME_WAIT) */
} NetSocketRow;

/* Parses one data line [line, end) (no header, no newline). The columns up
 * to the state are checked strictly and something must follow the state;
 * uid and inode are filled when present. 0, -EBADMSG or -ERANGE (slot
 * number too long). */
int net_socket_row_parse(const char *line, const char *end, NetSocketRow *ret);

typedef void (*NetSocketRowFn)(const NetSocketRow *row, void *userdata);
/* Calls fn for every valid data line of a whole table text (header line
 * first). Bad lines are skipped; returns the first bad line's error when
 * no line was valid, -EBADMSG when empty or without header, else 0. */
int net_socket_rows_parse(const char *buf, NetSocketRowFn fn, void *userdata);
/* Same, streaming <dirfd>/path through buf (cap bytes, longer than any
 * line) so that huge tables need no big allocation. -errno if unreadable. */
int net_socket_rows_read(int dirfd, const char *path, char *buf, size_t cap, NetSocketRowFn fn,
                         void *userdata);

/* "127.0.0.1:8080" or "[::1]:8080". */
#define NET_ENDPOINT_MAX 56
void net_socket_endpoint_format(int family, const uint8_t addr[16], uint16_t port,
                                char out[NET_ENDPOINT_MAX]);

/* Parses the text of /proc/net/tcp (same format for tcp6, udp, udp6):
 * a header line, then one socket per line with the state in hex in the
 * 4th column. Same error policy as net_dev_parse: bad lines are skipped,
 * all-bad is the first line's error, empty or header-less is -EBADMSG. */
int net_sockets_parse(const char *buf, NetSockCounts *ret);

/* Counts TCP (by state) and UDP sockets, IPv4 + IPv6, of our network
 * namespace over NETLINK_SOCK_DIAG. Fills *ret entirely (source
 * "netlink") or returns -errno and leaves it untouched. TCP is asked with
 * one TCPDIAG_GETSOCK dump covering both families (one kernel hash walk),
 * falling back to the per-family requests if the kernel refuses it. */
int net_count_sockets_netlink(NetConnections *ret);
/* Same, always with one SOCK_DIAG_BY_FAMILY request per family (two hash
 * walks). For tests and comparison. */
int net_count_sockets_netlink_per_family(NetConnections *ret);

/* Same from <proc_fd>/net/{tcp,tcp6,udp,udp6}, read in fixed-size chunks.
 * A missing file (IPv6 disabled) counts as zero sockets; -errno only when
 * none of the four could be read. Source "procfs". */
int net_count_sockets_procfs(int proc_fd, NetConnections *ret);

/* UDP sockets only (IPv4 + IPv6) over netlink; ret->tcp stays zero. */
int net_count_sockets_netlink_udp(NetConnections *ret);

/* "TCP: inuse 1 orphan 0 tw 2 alloc 1 mem 254" (net/sockstat, sockstat6):
 * the value of key on the line of proto. 0, -ENODATA or -EBADMSG. */
int net_sockstat_parse(const char *buf, const char *proto, const char *key, uint64_t *ret);
/* A named column of the Tcp: lines of net/snmp (e.g. "CurrEstab"). */
int net_snmp_tcp_parse(const char *buf, const char *key, uint64_t *ret);

/* The cheap summary `quick` uses, without walking the established hash:
 * LISTEN exactly (netlink, listening hash only), TIME_WAIT from sockstat,
 * ESTABLISHED = snmp CurrEstab (which includes CLOSE_WAIT), UDP from
 * sockstat. Other states are not reported. Source "summary". */
int net_count_sockets_summary(int proc_fd, NetConnections *ret);

typedef enum NetConnMode {
        NET_CONN_EXACT,   /* every TCP state (snapshot) */
        NET_CONN_SUMMARY, /* net_count_sockets_summary when live (quick) */
} NetConnMode;

/* Fills *ret (zeroed by the caller). Returns 0, or -errno when nothing at
 * all could be read. Fixture roots always use the proc files (exact).
 * Live, interfaces come from rtnl_collect_interfaces(), or from
 * net_collect_interfaces_files() when netlink is refused. */
int net_collect(const RootFS *fs, NetConnMode mode, NetInfo *ret);

/* The interface list and totals from <procfs>/net/dev and <sysfs>/class/net
 * (attributes from sysfs, or SIOCGIFFLAGS/SIOCGIFMTU/SIOCETHTOOL and
 * getifaddrs() addresses when fs->live). Returns 0 when either of the two
 * could be read, else net/dev's -errno. Fills ret->interfaces,
 * n_interfaces, io and has_io. */
int net_collect_interfaces_files(const RootFS *fs, NetInfo *ret);

/* Speed (Mbit/s) and duplex of iface->name through SIOCETHTOOL
 * (ETHTOOL_GSET) on any socket; left 0 / "" when unknown or refused. */
void net_iface_read_ethtool(int sock, NetInterface *iface);
