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
 * all could be read. Fixture roots always use the proc files (exact). */
int net_collect(const RootFS *fs, NetConnMode mode, NetInfo *ret);
