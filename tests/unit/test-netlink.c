/* SPDX-License-Identifier: MIT */
/* collect/netlink: the dump receive loop fed crafted replies through a
 * datagram socketpair (sequence and type filtering, NLMSG_ERROR, errors in
 * NLMSG_DONE, callback errors with the rest drained, MSG_TRUNC, empty
 * datagrams, partial trailing messages, SO_RCVTIMEO, EINTR), datagrams
 * from another netlink socket ignored, and real NETLINK_ROUTE dumps. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <linux/rtnetlink.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "collect/netlink.h"

#define T_TYPE 20
#define T_SEQ 7u

/* ---- helpers --------------------------------------------------------------- */

typedef struct Dgram {
        union {
                struct nlmsghdr h;
                uint8_t raw[2 * NETLINK_DUMP_BUF];
        } u;
        size_t len;
} Dgram;

/* Appends a message of nlmsg_len header + len (padded to 4 bytes). */
static struct nlmsghdr *put(Dgram *d, uint16_t type, uint32_t seq, const void *payload, size_t len)
{
        struct nlmsghdr *h = (struct nlmsghdr *)(void *)(d->u.raw + d->len);
        assert_true(d->len + NLMSG_SPACE(len) <= sizeof d->u.raw);
        memset(h, 0, NLMSG_SPACE(len));
        h->nlmsg_len = (uint32_t)NLMSG_LENGTH(len);
        h->nlmsg_type = type;
        h->nlmsg_seq = seq;
        if (len > 0)
                memcpy(NLMSG_DATA(h), payload, len);
        d->len += NLMSG_SPACE(len);
        return h;
}

static void put_done(Dgram *d, uint32_t seq, int status)
{
        put(d, NLMSG_DONE, seq, &status, sizeof status);
}

static void put_error(Dgram *d, uint32_t seq, int error)
{
        struct nlmsgerr e = { .error = error };
        put(d, NLMSG_ERROR, seq, &e, sizeof e);
}

static struct nlmsghdr *put_data(Dgram *d, uint32_t seq, uint32_t value)
{
        return put(d, T_TYPE, seq, &value, sizeof value);
}

static void send_dgram(int fd, const Dgram *d)
{
        assert_int_equal(send(fd, d->u.raw, d->len, 0), (ssize_t)d->len);
}

static void set_timeout_ms(int fd, long ms)
{
        struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };
        assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
}

static void pair(int sv[2])
{
        assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv), 0);
        set_timeout_ms(sv[0], 2000); /* a broken loop fails instead of hanging */
        int sz = 1 << 20;
        (void)setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
}

static void unpair(int sv[2])
{
        close(sv[0]);
        close(sv[1]);
}

typedef struct Seen {
        unsigned calls;
        uint32_t sum;
        unsigned fail_at; /* 1-based call that returns fail_err; 0: never */
        int fail_err;
} Seen;

static int on_msg(const struct nlmsghdr *h, void *userdata)
{
        Seen *s = userdata;
        uint32_t v = 0;

        assert_int_equal(h->nlmsg_type, T_TYPE);
        assert_int_equal(h->nlmsg_seq, T_SEQ);
        if (h->nlmsg_len >= NLMSG_LENGTH(sizeof v))
                memcpy(&v, NLMSG_DATA(h), sizeof v);
        s->calls++;
        s->sum += v;
        if (s->fail_at && s->calls == s->fail_at)
                return s->fail_err;
        return 0;
}

static int recv_seen(int fd, Seen *s)
{
        return netlink_recv_dump(fd, T_SEQ, T_TYPE, on_msg, s);
}

/* Nothing is left to read on fd. */
static void assert_drained(int fd)
{
        char c;
        assert_int_equal(recv(fd, &c, 1, MSG_DONTWAIT), -1);
        assert_int_equal(errno, EAGAIN);
}

/* ---- receive loop ------------------------------------------------------------ */

static void test_recv_filters(void **state)
{
        (void)state;
        static Dgram d;
        Seen s = { 0 };
        int sv[2];

        pair(sv);
        d.len = 0;
        put_data(&d, T_SEQ, 1);
        put_data(&d, T_SEQ - 1, 100);      /* another request: skipped */
        put(&d, T_TYPE + 1, T_SEQ, "abcd", 4); /* another type: skipped */
        put(&d, NLMSG_NOOP, T_SEQ, NULL, 0);
        put_data(&d, T_SEQ, 2);
        send_dgram(sv[1], &d);
        d.len = 0;
        put_done(&d, T_SEQ - 1, -EIO);     /* DONE of another request */
        put_data(&d, T_SEQ, 4);
        put_done(&d, T_SEQ, 0);
        put_data(&d, T_SEQ, 1000);         /* after DONE: never seen */
        send_dgram(sv[1], &d);

        assert_int_equal(recv_seen(sv[0], &s), 0);
        assert_int_equal(s.calls, 3);
        assert_int_equal(s.sum, 7);

        /* A DONE without status is a success too. */
        d.len = 0;
        put_data(&d, T_SEQ, 1);
        put(&d, NLMSG_DONE, T_SEQ, NULL, 0);
        send_dgram(sv[1], &d);
        s = (Seen) { 0 };
        assert_int_equal(recv_seen(sv[0], &s), 0);
        assert_int_equal(s.calls, 1);
        unpair(sv);
}

static void test_recv_errors(void **state)
{
        (void)state;
        static Dgram d;
        Seen s = { 0 };
        int sv[2];

        pair(sv);
        /* NLMSG_ERROR ends the request with its error. */
        d.len = 0;
        put_data(&d, T_SEQ, 1);
        put_error(&d, T_SEQ, -EPERM);
        send_dgram(sv[1], &d);
        assert_int_equal(recv_seen(sv[0], &s), -EPERM);
        assert_int_equal(s.calls, 1);
        /* A bare ACK where a dump was expected. */
        d.len = 0;
        put_error(&d, T_SEQ, 0);
        send_dgram(sv[1], &d);
        assert_int_equal(recv_seen(sv[0], &s), -EBADMSG);
        /* An error message too short for struct nlmsgerr. */
        d.len = 0;
        put(&d, NLMSG_ERROR, T_SEQ, "\xff\xff\xff\xff", 4);
        send_dgram(sv[1], &d);
        assert_int_equal(recv_seen(sv[0], &s), -EBADMSG);
        /* The status of an interrupted dump travels in NLMSG_DONE. */
        d.len = 0;
        put_data(&d, T_SEQ, 1);
        put_done(&d, T_SEQ, -ENOBUFS);
        send_dgram(sv[1], &d);
        assert_int_equal(recv_seen(sv[0], &s), -ENOBUFS);
        /* Errors of other requests are not ours. */
        d.len = 0;
        put_error(&d, T_SEQ + 1, -EPERM);
        put_done(&d, T_SEQ, 0);
        send_dgram(sv[1], &d);
        assert_int_equal(recv_seen(sv[0], &s), 0);
        unpair(sv);
}

static void test_recv_callback_error(void **state)
{
        (void)state;
        static Dgram d;
        Seen s = { .fail_at = 2, .fail_err = -EBADMSG };
        int sv[2];

        pair(sv);
        d.len = 0;
        put_data(&d, T_SEQ, 1);
        put_data(&d, T_SEQ, 2);
        put_data(&d, T_SEQ, 4);
        send_dgram(sv[1], &d);
        d.len = 0;
        put_data(&d, T_SEQ, 8);
        put_done(&d, T_SEQ, -EIO); /* the first error wins */
        send_dgram(sv[1], &d);

        /* No more calls after the error, but the dump is read to its end so
         * that the socket can serve the next request. */
        assert_int_equal(recv_seen(sv[0], &s), -EBADMSG);
        assert_int_equal(s.calls, 2);
        assert_drained(sv[0]);
        unpair(sv);
}

static void test_recv_malformed(void **state)
{
        (void)state;
        static Dgram d;
        Seen s = { 0 };
        int sv[2];

        pair(sv);
        /* Zero-length datagram. */
        assert_int_equal(send(sv[1], "", 0, 0), 0);
        assert_int_equal(recv_seen(sv[0], &s), -EBADMSG);

        /* A good message followed by 8 bytes that are no message. */
        d.len = 0;
        put_data(&d, T_SEQ, 1);
        memset(d.u.raw + d.len, 0xee, 8);
        d.len += 8;
        send_dgram(sv[1], &d);
        s = (Seen) { 0 };
        assert_int_equal(recv_seen(sv[0], &s), -EBADMSG);
        assert_int_equal(s.calls, 1);

        /* nlmsg_len shorter than a header, and longer than the datagram. */
        d.len = 0;
        put_data(&d, T_SEQ, 1)->nlmsg_len = 8;
        send_dgram(sv[1], &d);
        assert_int_equal(recv_seen(sv[0], &s), -EBADMSG);
        d.len = 0;
        put_data(&d, T_SEQ, 1)->nlmsg_len = 4096;
        send_dgram(sv[1], &d);
        assert_int_equal(recv_seen(sv[0], &s), -EBADMSG);

        /* A datagram larger than the receive buffer. */
        static const uint8_t big[NETLINK_DUMP_BUF];
        d.len = 0;
        put(&d, T_TYPE, T_SEQ, big, sizeof big);
        send_dgram(sv[1], &d);
        s = (Seen) { 0 };
        assert_int_equal(recv_seen(sv[0], &s), -EMSGSIZE);
        assert_int_equal(s.calls, 0);
        unpair(sv);
}

static void test_recv_timeout(void **state)
{
        (void)state;
        Seen s = { 0 };
        int sv[2];

        pair(sv);
        set_timeout_ms(sv[0], 50);
        assert_int_equal(recv_seen(sv[0], &s), -ETIMEDOUT);
        unpair(sv);

        /* netlink_open sets the timeout itself. */
        int fd = netlink_open(NETLINK_ROUTE, 50);
        if (fd < 0)
                skip();
        assert_int_equal(recv_seen(fd, &s), -ETIMEDOUT);
        close(fd);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
        (void)sig;
        alarms++;
}

static void test_recv_eintr(void **state)
{
        (void)state;
        static Dgram d;
        Seen s = { 0 };
        int sv[2];

        pair(sv);
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                /* The reply comes late, after the parent's timer went off. */
                struct timespec ts = { .tv_nsec = 200 * 1000 * 1000 };
                nanosleep(&ts, NULL);
                d.len = 0;
                put_data(&d, T_SEQ, 5);
                put_done(&d, T_SEQ, 0);
                _exit(send(sv[1], d.u.raw, d.len, 0) == (ssize_t)d.len ? 0 : 1);
        }
        /* No SA_RESTART: recvmsg fails with EINTR and must be retried. */
        struct sigaction sa = { .sa_handler = on_alarm }, old;
        assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
        struct itimerval it = { .it_value = { .tv_usec = 30 * 1000 } };
        alarms = 0;
        assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);

        int r = recv_seen(sv[0], &s);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_int_equal(sigaction(SIGALRM, &old, NULL), 0);
        assert_int_equal(r, 0);
        assert_int_equal(s.calls, 1);
        assert_int_equal(alarms, 1);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        unpair(sv);
}

/* A datagram from another netlink socket (nl_pid != 0) is ignored even
 * when it looks like the answer. NETLINK_USERSOCK lets anyone send. */
static void test_recv_not_from_kernel(void **state)
{
        (void)state;
        static Dgram d;
        struct sockaddr_nl me = { .nl_family = AF_NETLINK };
        socklen_t len = sizeof me;
        Seen s = { 0 };
        char buf[256];

        int rx = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_USERSOCK);
        int tx = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_USERSOCK);
        if (rx < 0 || tx < 0)
                skip();
        assert_int_equal(bind(rx, (struct sockaddr *)&me, sizeof me), 0);
        assert_int_equal(getsockname(rx, (struct sockaddr *)&me, &len), 0);
        assert_true(me.nl_pid != 0);
        set_timeout_ms(rx, 100);

        d.len = 0;
        put_data(&d, T_SEQ, 1);
        put_error(&d, T_SEQ, -EPERM);
        /* Delivery works (checked with a plain recv) ... */
        if (sendto(tx, d.u.raw, d.len, 0, (struct sockaddr *)&me, sizeof me) < 0)
                skip();
        assert_int_equal(recv(rx, buf, sizeof buf, 0), (ssize_t)d.len);
        /* ... and the loop ignores it: no call, no -EPERM, a timeout. */
        assert_int_equal(sendto(tx, d.u.raw, d.len, 0, (struct sockaddr *)&me, sizeof me),
                         (ssize_t)d.len);
        assert_int_equal(recv_seen(rx, &s), -ETIMEDOUT);
        assert_int_equal(s.calls, 0);
        close(tx);
        close(rx);
}

/* ---- live kernel ------------------------------------------------------------ */

static int count_link(const struct nlmsghdr *h, void *userdata)
{
        unsigned *n = userdata;
        assert_int_equal(h->nlmsg_type, RTM_NEWLINK);
        (*n)++;
        return 0;
}

static int fail_link(const struct nlmsghdr *h, void *userdata)
{
        (void)h;
        (*(unsigned *)userdata)++;
        return -EIO;
}

static void test_dump_live(void **state)
{
        (void)state;
        struct {
                struct nlmsghdr nlh;
                struct ifinfomsg ifi;
        } req = {
                .nlh = {
                        .nlmsg_len = sizeof req,
                        .nlmsg_type = RTM_GETLINK,
                        .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
                        .nlmsg_seq = 1,
                },
        };
        unsigned n1 = 0, n2 = 0, nf = 0;

        int fd = netlink_open(NETLINK_ROUTE, 2000);
        if (fd < 0)
                fail_msg("NETLINK_ROUTE: %s", strerror(-fd));
        assert_int_equal(netlink_dump(fd, &req.nlh, RTM_NEWLINK, count_link, &n1), 0);
        assert_true(n1 >= 1); /* lo at least */

        /* A callback error mid-dump leaves the socket usable. */
        req.nlh.nlmsg_seq = 2;
        assert_int_equal(netlink_dump(fd, &req.nlh, RTM_NEWLINK, fail_link, &nf), -EIO);
        assert_int_equal(nf, 1);
        req.nlh.nlmsg_seq = 3;
        assert_int_equal(netlink_dump(fd, &req.nlh, RTM_NEWLINK, count_link, &n2), 0);
        assert_int_equal(n1, n2);

        /* A request the kernel refuses: no such interface. */
        req.nlh.nlmsg_seq = 4;
        req.nlh.nlmsg_flags = NLM_F_REQUEST;
        req.ifi.ifi_index = 0x7ffffff0;
        assert_int_equal(netlink_dump(fd, &req.nlh, RTM_NEWLINK, count_link, &n2), -ENODEV);
        close(fd);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_recv_filters),
                cmocka_unit_test(test_recv_errors),
                cmocka_unit_test(test_recv_callback_error),
                cmocka_unit_test(test_recv_malformed),
                cmocka_unit_test(test_recv_timeout),
                cmocka_unit_test(test_recv_eintr),
                cmocka_unit_test(test_recv_not_from_kernel),
                cmocka_unit_test(test_dump_live),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
