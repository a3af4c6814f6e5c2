/* SPDX-License-Identifier: MIT */
/* Netlink dump requests: send one request to the kernel, then read its
 * replies until NLMSG_DONE. Shared by the NETLINK_SOCK_DIAG socket counter
 * and the NETLINK_ROUTE interface collector (collect/rtnl.h). */
#pragma once
#include <stdint.h>

#include <linux/netlink.h>

/* Receive buffer of netlink_recv_dump. The kernel sizes dump chunks after
 * the reader's buffer but never beyond 32 KiB (unless one message is
 * bigger, which is then reported as -EMSGSIZE). */
#define NETLINK_DUMP_BUF (32u * 1024)

/* Opens a netlink socket of `protocol` (NETLINK_ROUTE, NETLINK_SOCK_DIAG)
 * whose receives time out after timeout_ms (0: never). fd or -errno. */
int netlink_open(int protocol, unsigned timeout_ms);

/* Sends the complete request msg (nlmsg_len bytes) to the kernel,
 * retrying on EINTR. 0 or -errno. */
int netlink_send(int fd, const struct nlmsghdr *msg);

/* Called for each reply of the wanted type, h->nlmsg_len bytes long (at
 * least a header). Returns 0 to go on, or -errno: then the rest of the
 * dump is still read (so the socket stays usable) without further calls,
 * and netlink_recv_dump returns that error. */
typedef int (*NetlinkMsgFn)(const struct nlmsghdr *h, void *userdata);

/* Reads the replies to request `seq` from fd until its NLMSG_DONE, calling
 * fn for every message of nlmsg_type `type`. Messages of other sequence
 * numbers or types are skipped, datagrams not sent by the kernel
 * (nl_pid != 0) are ignored, EINTR is retried. Returns 0, or:
 *   the error of an NLMSG_ERROR reply (-EBADMSG for a bare ACK),
 *   the negative status carried in NLMSG_DONE,
 *   -ETIMEDOUT when SO_RCVTIMEO expires,
 *   -EMSGSIZE when a datagram did not fit NETLINK_DUMP_BUF,
 *   -EBADMSG for an empty datagram or a partial message at its end,
 *   the first error fn returned, or another -errno of recvmsg. */
int netlink_recv_dump(int fd, uint32_t seq, uint16_t type, NetlinkMsgFn fn, void *userdata);

/* netlink_send(req) then netlink_recv_dump(req->nlmsg_seq). */
int netlink_dump(int fd, const struct nlmsghdr *req, uint16_t type, NetlinkMsgFn fn,
                 void *userdata);
