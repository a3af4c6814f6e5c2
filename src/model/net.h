/* SPDX-License-Identifier: MIT */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "model/common.h"

typedef struct NetIoCounters {
        uint64_t bytes_sent, bytes_recv, packets_sent, packets_recv;
        uint64_t errin, errout, dropin, dropout;
} NetIoCounters;

typedef struct NetAddress {
        char family[16];  /* "AF_INET", "AF_INET6", "AF_PACKET" */
        char address[64];
        char netmask[64]; /* empty when none */
        char broadcast[64];
} NetAddress;

typedef struct NetInterface {
        char name[64];
        bool has_counters;
        NetIoCounters io;
        bool is_up;
        int mtu;        /* -1 if unknown */
        int speed_mbps; /* 0 if unknown, as psutil */
        char duplex[8]; /* "full", "half", "" */
        NetAddress *addresses;
        size_t n_addresses;
} NetInterface;

/* TCP states as the kernel numbers them (include/net/tcp_states.h). */
typedef enum TcpState {
        TCP_STATE_ESTABLISHED = 1,
        TCP_STATE_SYN_SENT,
        TCP_STATE_SYN_RECV,
        TCP_STATE_FIN_WAIT1,
        TCP_STATE_FIN_WAIT2,
        TCP_STATE_TIME_WAIT,
        TCP_STATE_CLOSE,
        TCP_STATE_CLOSE_WAIT,
        TCP_STATE_LAST_ACK,
        TCP_STATE_LISTEN,
        TCP_STATE_CLOSING,
        TCP_STATE_NEW_SYN_RECV,
        _TCP_STATE_MAX,
} TcpState;

/* psutil's names: ESTABLISHED, SYN_SENT, ..., NONE for UDP. */
const char *tcp_state_to_string(int state);

typedef struct NetConnections {
        bool available;
        const char *source;              /* "netlink" or "procfs" */
        uint64_t tcp[_TCP_STATE_MAX];    /* count per TCP state, v4 + v6 */
        uint64_t udp;                    /* UDP sockets, reported as "NONE" like psutil */
} NetConnections;

typedef struct NetInfo {
        bool has_io;
        NetIoCounters io; /* sum over interfaces, loopback included (psutil) */
        NetInterface *interfaces;
        size_t n_interfaces;
        NetConnections connections;
} NetInfo;

void net_info_done(NetInfo *n);
