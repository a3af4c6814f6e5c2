/* SPDX-License-Identifier: MIT */
/* Netlink dump helper: one request, replies read until NLMSG_DONE. Reads
 * no files; talks to the kernel over an AF_NETLINK socket. */
#include "collect/netlink.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

int netlink_open(int protocol, unsigned timeout_ms)
{
        int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, protocol);
        if (fd < 0)
                return -errno;
        if (timeout_ms > 0) {
                /* Never hang a diagnostic tool on a kernel that does not answer. */
                struct timeval tv = {
                        .tv_sec = timeout_ms / 1000,
                        .tv_usec = (suseconds_t)(timeout_ms % 1000) * 1000,
                };
                (void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        }
        return fd;
}

int netlink_send(int fd, const struct nlmsghdr *msg)
{
        struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

        for (;;) {
                ssize_t n = sendto(fd, msg, msg->nlmsg_len, 0,
                                   (const struct sockaddr *)&kernel, sizeof kernel);
                if (n >= 0)
                        return 0;
                if (errno != EINTR)
                        return -errno;
        }
}

/* The first error seen wins: a callback error is kept while the rest of
 * the dump is drained. */
static int first_error(int saved, int r)
{
        return saved < 0 ? saved : r;
}

int netlink_recv_dump(int fd, uint32_t seq, uint16_t type, NetlinkMsgFn fn, void *userdata)
{
        union {
                struct nlmsghdr h;
                char raw[NETLINK_DUMP_BUF];
        } buf;
        int saved = 0;

        for (;;) {
                struct iovec iov = { .iov_base = &buf, .iov_len = sizeof buf };
                /* Zeroed: a sender without an address (a socketpair in the
                 * tests) reads as the kernel. */
                struct sockaddr_nl from = { 0 };
                struct msghdr mh = {
                        .msg_name = &from,
                        .msg_namelen = sizeof from,
                        .msg_iov = &iov,
                        .msg_iovlen = 1,
                };
                ssize_t n = recvmsg(fd, &mh, 0);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return first_error(saved, errno == EAGAIN ? -ETIMEDOUT : -errno);
                }
                if (n == 0)
                        return first_error(saved, -EBADMSG);
                if (mh.msg_flags & MSG_TRUNC)
                        return first_error(saved, -EMSGSIZE);
                if (from.nl_pid != 0)
                        continue; /* not from the kernel */

                int len = (int)n;
                for (const struct nlmsghdr *h = &buf.h; NLMSG_OK(h, len);
                     h = NLMSG_NEXT(h, len)) {
                        if (h->nlmsg_seq != seq)
                                continue;
                        if (h->nlmsg_type == NLMSG_DONE) {
                                /* DONE carries the dump's status (0 or -errno). */
                                if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
                                        int err;
                                        memcpy(&err, NLMSG_DATA(h), sizeof err);
                                        if (err < 0)
                                                return first_error(saved, err);
                                }
                                return saved;
                        }
                        if (h->nlmsg_type == NLMSG_ERROR) {
                                struct nlmsgerr e;
                                if (h->nlmsg_len < NLMSG_LENGTH(sizeof e))
                                        return first_error(saved, -EBADMSG);
                                memcpy(&e, NLMSG_DATA(h), sizeof e);
                                return first_error(saved, e.error < 0 ? e.error : -EBADMSG);
                        }
                        if (h->nlmsg_type != type || saved < 0)
                                continue;
                        int r = fn(h, userdata);
                        if (r < 0)
                                saved = r;
                }
                if (len > 0)
                        return first_error(saved, -EBADMSG); /* trailing partial message */
        }
}

int netlink_dump(int fd, const struct nlmsghdr *req, uint16_t type, NetlinkMsgFn fn,
                 void *userdata)
{
        int r = netlink_send(fd, req);
        if (r < 0)
                return r;
        return netlink_recv_dump(fd, req->nlmsg_seq, type, fn, userdata);
}
