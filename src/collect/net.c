/* SPDX-License-Identifier: MIT */
/* Network collector. On the live machine (RootFS.live):
 *   NETLINK_ROUTE RTM_GETLINK + RTM_GETADDR  interfaces, counters, flags,
 *                                           MTU, addresses (collect/rtnl.c)
 *   SIOCETHTOOL                             speed and duplex
 * and, if netlink is refused (seccomp), the file path below with
 * SIOCGIFFLAGS/SIOCGIFMTU/SIOCETHTOOL and getifaddrs(). Fixture roots:
 *   <procfs>/net/dev                        per-interface counters
 *   <sysfs>/class/net/<if>/{flags,operstate,mtu,speed,duplex}
 * Interfaces are the union of net/dev rows and sysfs directories (live:
 * the links of the RTM_GETLINK dump), sorted by name. Sockets:
 *   NETLINK_SOCK_DIAG                       socket counts (live only), or
 *   <procfs>/net/{tcp,tcp6,udp,udp6}        socket counts (fallback)
 *   <procfs>/net/{sockstat,sockstat6,snmp}  the `quick` summary
 * Netlink requests go through collect/netlink.c (one receive loop). */
#include "collect/net.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <linux/inet_diag.h>
#include <linux/ethtool.h>
#include <linux/netlink.h>
#include <linux/sockios.h>
#include <linux/sock_diag.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collect/netlink.h"
#include "collect/rtnl.h"
#include "util/fileio.h"
#include "util/log.h"
#include "util/parse.h"
#include "util/xalloc.h"

#define NET_DEV_MAX_BYTES (16u * 1024 * 1024)
#define SOCK_FILE_CHUNK (64u * 1024)
/* Never hang a diagnostic tool on a kernel that does not answer. */
#define NETLINK_TIMEOUT_MS 2000

_Static_assert(NET_IFNAME_SIZE == IFNAMSIZ, "NET_IFNAME_SIZE must match IFNAMSIZ");

static bool is_blank(char c)
{
        return c == ' ' || c == '\t';
}

static bool is_space(char c)
{
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int hex_value(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
        return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

void net_io_add(NetIoCounters *total, const NetIoCounters *x)
{
        total->bytes_sent = add_sat(total->bytes_sent, x->bytes_sent);
        total->bytes_recv = add_sat(total->bytes_recv, x->bytes_recv);
        total->packets_sent = add_sat(total->packets_sent, x->packets_sent);
        total->packets_recv = add_sat(total->packets_recv, x->packets_recv);
        total->errin = add_sat(total->errin, x->errin);
        total->errout = add_sat(total->errout, x->errout);
        total->dropin = add_sat(total->dropin, x->dropin);
        total->dropout = add_sat(total->dropout, x->dropout);
}

/* A name we are willing to use as a path component below class/net: what
 * the kernel's dev_valid_name() accepts, except that ':' is tolerated. */
static bool ifname_valid(const char *s, size_t len)
{
        if (len == 0 || len >= NET_IFNAME_SIZE)
                return false;
        if ((len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.'))
                return false;
        for (size_t i = 0; i < len; i++)
                if (s[i] == '/' || s[i] == '\0' || is_space(s[i]))
                        return false;
        return true;
}

/* ---- <procfs>/net/dev ------------------------------------------------ */

/* One data row: "%6s: %7llu ..." (16 counters). The name is everything
 * before the LAST colon: old kernels printed "%6s:%8lu" so the colon can
 * touch the first number, and psutil splits the same way. */
static int net_dev_parse_line(const char *line, size_t len, NetDevEntry *ret)
{
        char tmp[512];
        uint64_t v[16];

        if (len >= sizeof tmp)
                return -EBADMSG;
        memcpy(tmp, line, len);
        tmp[len] = '\0';

        char *colon = strrchr(tmp, ':');
        if (!colon)
                return -EBADMSG;
        const char *name = tmp;
        while (is_blank(*name))
                name++;
        size_t name_len = (size_t)(colon - name);
        if (!ifname_valid(name, name_len))
                return -EBADMSG;

        const char *p = colon + 1;
        for (size_t i = 0; i < 16; i++) {
                /* Numbers are separated by blanks; "1 2x" must not parse. */
                if (i > 0 && !is_blank(*p))
                        return -EBADMSG;
                int r = scan_u64(&p, &v[i]);
                if (r < 0)
                        return r == -ERANGE ? -ERANGE : -EBADMSG;
        }
        /* Tolerate further numeric columns, reject anything else. */
        for (; *p; p++)
                if (!is_blank(*p) && !(*p >= '0' && *p <= '9') && *p != '\r')
                        return -EBADMSG;

        memset(ret, 0, sizeof *ret);
        memcpy(ret->name, name, name_len);
        ret->name[name_len] = '\0';
        ret->io = (NetIoCounters) {
                .bytes_recv = v[0],
                .packets_recv = v[1],
                .errin = v[2],
                .dropin = v[3],
                .bytes_sent = v[8],
                .packets_sent = v[9],
                .errout = v[10],
                .dropout = v[11],
        };
        return 0;
}

/* Returns the end of the line starting at p (its '\n' or the final NUL). */
static const char *line_end(const char *p)
{
        const char *nl = strchr(p, '\n');
        return nl ? nl : p + strlen(p);
}

int net_dev_parse(const char *buf, NetDevEntry **ret, size_t *ret_n)
{
        const char *p = buf;
        size_t n_lines = 0;

        /* Two header lines ("Inter-|   Receive ..." and " face |bytes ..."). */
        for (int i = 0; i < 2; i++) {
                const char *e = line_end(p);
                if (e == p || !memchr(p, '|', (size_t)(e - p)) || *e != '\n')
                        return -EBADMSG;
                p = e + 1;
        }

        for (const char *q = p; *q; q++)
                if (*q == '\n')
                        n_lines++;
        n_lines++; /* a last line without newline */

        NetDevEntry *v = xcalloc(n_lines, sizeof *v);
        size_t n = 0;
        int first_err = 0;

        while (*p) {
                const char *e = line_end(p);
                size_t len = (size_t)(e - p);
                bool blank = true;
                for (size_t i = 0; i < len; i++)
                        if (!is_space(p[i]))
                                blank = false;
                if (!blank) {
                        int r = net_dev_parse_line(p, len, &v[n]);
                        if (r < 0) {
                                if (first_err == 0)
                                        first_err = r;
                        } else
                                n++;
                }
                p = *e ? e + 1 : e;
        }

        if (n == 0 && first_err < 0) {
                free(v);
                return first_err;
        }
        if (n == 0) {
                free(v);
                v = NULL;
        }
        *ret = v;
        *ret_n = n;
        return 0;
}

/* ---- /proc/net/{tcp,tcp6,udp,udp6} ----------------------------------- */

/* "HEXADDR:HEXPORT" with an 8 (IPv4) or 32 (IPv6) digit address and a 4
 * digit port. The kernel prints each 32-bit word of the address as the
 * number it holds in memory (%08X of a __be32), so storing the parsed word
 * back in host order restores the network-order bytes. *ret_len is the
 * address length in bytes (4 or 16). */
static int sock_parse_endpoint(const char **pp, const char *end, uint8_t addr[16], size_t *ret_len,
                               uint16_t *ret_port)
{
        const char *p = *pp;
        size_t n = 0;
        uint32_t word = 0;

        memset(addr, 0, 16);
        while (p < end && hex_value(*p) >= 0) {
                if (n == 32)
                        return -EBADMSG;
                word = word << 4 | (uint32_t)hex_value(*p);
                p++;
                n++;
                if (n % 8 == 0) {
                        memcpy(addr + (n / 8 - 1) * 4, &word, 4);
                        word = 0;
                }
        }
        if (n != 8 && n != 32)
                return -EBADMSG;
        size_t addr_len = n / 2;
        if (p >= end || *p != ':')
                return -EBADMSG;
        p++;
        uint16_t port = 0;
        for (n = 0; p < end && hex_value(*p) >= 0; p++, n++)
                port = (uint16_t)(port << 4 | hex_value(*p));
        if (n != 4)
                return -EBADMSG;
        *ret_len = addr_len;
        *ret_port = port;
        *pp = p;
        return 0;
}

static int sock_skip_blanks(const char **pp, const char *end)
{
        const char *p = *pp;
        if (p >= end || !is_blank(*p))
                return -EBADMSG;
        while (p < end && is_blank(*p))
                p++;
        *pp = p;
        return 0;
}

/* A decimal column of the tail; false when the line ends or the token is
 * not one plain number. */
static bool sock_tail_u64(const char **pp, const char *end, uint64_t *ret)
{
        const char *p = *pp;
        uint64_t v = 0;
        size_t digits = 0;

        while (p < end && is_blank(*p))
                p++;
        for (; p < end && *p >= '0' && *p <= '9'; p++, digits++) {
                if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
                        return false;
                v = v * 10 + (uint64_t)(*p - '0');
        }
        if (digits == 0 || (p < end && !is_blank(*p)))
                return false;
        *pp = p;
        *ret = v;
        return true;
}

static bool sock_tail_skip(const char **pp, const char *end)
{
        const char *p = *pp;
        while (p < end && is_blank(*p))
                p++;
        if (p >= end)
                return false;
        while (p < end && !is_blank(*p))
                p++;
        *pp = p;
        return true;
}

/* "   0: 0100007F:0277 00000000:0000 0A 00000000:00000000 00:00000000
 *  00000000     0        0 21034 1 0000000000000000 100 0 0 10 0"
 * sl local remote st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout
 * inode ... Everything up to the state is checked strictly (garbage is not
 * a socket); with tail, the uid and inode further right are read when
 * present (counting needs only the state). */
static int sock_row_parse(const char *line, const char *end, bool tail, NetSocketRow *ret)
{
        NetSocketRow row = { .uid = U64_ABSENT, .inode = U64_ABSENT };
        const char *p = line;
        size_t digits = 0, local_len, remote_len;
        int r;

        while (p < end && is_blank(*p))
                p++;
        /* "sl", a decimal slot number printed with %4d. */
        for (; p < end && *p >= '0' && *p <= '9'; p++)
                digits++;
        if (digits == 0)
                return -EBADMSG;
        if (digits > 10)
                return -ERANGE;
        if (p >= end || *p != ':')
                return -EBADMSG;
        p++;
        if ((r = sock_skip_blanks(&p, end)) < 0 ||
            (r = sock_parse_endpoint(&p, end, row.local_addr, &local_len, &row.local_port)) < 0 ||
            (r = sock_skip_blanks(&p, end)) < 0 ||
            (r = sock_parse_endpoint(&p, end, row.remote_addr, &remote_len, &row.remote_port)) < 0 ||
            (r = sock_skip_blanks(&p, end)) < 0)
                return r;
        if (local_len != remote_len)
                return -EBADMSG;
        row.family = local_len == 4 ? AF_INET : AF_INET6;
        /* "st": always two hex digits (%02X). */
        if (end - p < 2 || hex_value(p[0]) < 0 || hex_value(p[1]) < 0)
                return -EBADMSG;
        int st = hex_value(p[0]) * 16 + hex_value(p[1]);
        p += 2;
        /* More columns (tx_queue:rx_queue ...) must follow, otherwise the
         * line was cut short. */
        if ((r = sock_skip_blanks(&p, end)) < 0 || p >= end)
                return -EBADMSG;
        if (st < TCP_STATE_ESTABLISHED || st >= _TCP_STATE_MAX)
                return -EBADMSG;
        row.state = st;
        /* tx_queue:rx_queue, tr:tm->when, retrnsmt, then uid; timeout, inode. */
        uint64_t uid, inode;
        if (tail && sock_tail_skip(&p, end) && sock_tail_skip(&p, end) && sock_tail_skip(&p, end) &&
            sock_tail_u64(&p, end, &uid)) {
                row.uid = uid;
                if (sock_tail_skip(&p, end) && sock_tail_u64(&p, end, &inode))
                        row.inode = inode;
        }
        *ret = row;
        return 0;
}

int net_socket_row_parse(const char *line, const char *end, NetSocketRow *ret)
{
        return sock_row_parse(line, end, true, ret);
}

void net_socket_endpoint_format(int family, const uint8_t addr[16], uint16_t port,
                                char out[NET_ENDPOINT_MAX])
{
        char a[INET6_ADDRSTRLEN];
        if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, addr, a, sizeof a))
                snprintf(a, sizeof a, "?");
        if (family == AF_INET6)
                snprintf(out, NET_ENDPOINT_MAX, "[%s]:%u", a, (unsigned)port);
        else
                snprintf(out, NET_ENDPOINT_MAX, "%s:%u", a, (unsigned)port);
}

/* Parse state shared by the in-memory parser and the chunked file reader. */
typedef struct SockParser {
        bool seen_header;
        int first_err;
        uint64_t rows;
        bool counting; /* only the state is needed: skip uid and inode */
        NetSocketRowFn fn;
        void *userdata;
} SockParser;

static void sock_parser_feed(SockParser *sp, const char *p, const char *end)
{
        const char *q = p;

        while (q < end && is_space(*q))
                q++;
        if (q == end)
                return; /* blank line */

        if (!sp->seen_header) {
                /* "  sl  local_address rem_address   st tx_queue ..." */
                if (end - q >= 3 && q[0] == 's' && q[1] == 'l' && is_blank(q[2]))
                        sp->seen_header = true;
                else if (sp->first_err == 0)
                        sp->first_err = -EBADMSG;
                return;
        }

        NetSocketRow row;
        int r = sock_row_parse(p, end, !sp->counting, &row);
        if (r < 0) {
                if (sp->first_err == 0)
                        sp->first_err = r;
                return;
        }
        sp->rows++;
        sp->fn(&row, sp->userdata);
}

static int sock_parser_finish(const SockParser *sp)
{
        if (!sp->seen_header)
                return -EBADMSG;
        if (sp->rows == 0 && sp->first_err < 0)
                return sp->first_err;
        return 0;
}

static int sock_rows_parse(const char *buf, bool counting, NetSocketRowFn fn, void *userdata)
{
        SockParser sp = { .counting = counting, .fn = fn, .userdata = userdata };
        const char *p = buf;

        while (*p) {
                const char *e = line_end(p);
                sock_parser_feed(&sp, p, e);
                p = *e ? e + 1 : e;
        }
        return sock_parser_finish(&sp);
}

/* Streams one socket table through the parser in chunks of cap bytes: the
 * file can hold hundreds of thousands of lines on a busy server. */
static int sock_rows_read(int dirfd, const char *path, char *buf, size_t cap, bool counting,
                          NetSocketRowFn fn, void *userdata)
{
        SockParser sp = { .counting = counting, .fn = fn, .userdata = userdata };
        size_t have = 0;
        int r = 0;

        int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
        for (;;) {
                ssize_t n = read(fd, buf + have, cap - have);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        r = -errno;
                        break;
                }
                if (n == 0) {
                        if (have > 0)
                                sock_parser_feed(&sp, buf, buf + have);
                        break;
                }
                have += (size_t)n;
                char *start = buf, *nl;
                while ((nl = memchr(start, '\n', have - (size_t)(start - buf)))) {
                        sock_parser_feed(&sp, start, nl);
                        start = nl + 1;
                }
                have -= (size_t)(start - buf);
                memmove(buf, start, have);
                if (have == cap) {
                        /* A line longer than the chunk: not kernel output. */
                        r = -EBADMSG;
                        break;
                }
        }
        close(fd);
        if (r < 0)
                return r;
        return sock_parser_finish(&sp);
}

int net_socket_rows_parse(const char *buf, NetSocketRowFn fn, void *userdata)
{
        return sock_rows_parse(buf, false, fn, userdata);
}

int net_socket_rows_read(int dirfd, const char *path, char *buf, size_t cap, NetSocketRowFn fn,
                         void *userdata)
{
        return sock_rows_read(dirfd, path, buf, cap, false, fn, userdata);
}

/* The counting callback behind net_sockets_parse and the procfs counter. */
static void sock_count_row(const NetSocketRow *row, void *userdata)
{
        NetSockCounts *c = userdata;
        /* The kernel prints request sockets as SYN_RECV already; fold the
         * internal NEW_SYN_RECV anyway, as ss does. */
        int st = row->state == TCP_STATE_NEW_SYN_RECV ? TCP_STATE_SYN_RECV : row->state;
        c->state[st]++;
        c->total++;
}

int net_sockets_parse(const char *buf, NetSockCounts *ret)
{
        NetSockCounts c = { 0 };
        int r = sock_rows_parse(buf, true, sock_count_row, &c);
        if (r < 0)
                return r;
        *ret = c;
        return 0;
}

static int sock_count_file(int dirfd, const char *path, char *buf, size_t cap,
                           NetSockCounts *ret)
{
        NetSockCounts c = { 0 };
        int r = sock_rows_read(dirfd, path, buf, cap, true, sock_count_row, &c);
        if (r < 0)
                return r;
        *ret = c;
        return 0;
}

int net_count_sockets_procfs(int proc_fd, NetConnections *ret)
{
        static const struct {
                const char *path;
                bool tcp;
        } files[] = {
                { "net/tcp", true },
                { "net/tcp6", true },
                { "net/udp", false },
                { "net/udp6", false },
        };
        NetConnections c = { .available = true, .source = "procfs" };
        char *buf = xmalloc(SOCK_FILE_CHUNK);
        int first_err = 0;
        size_t n_ok = 0;

        for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
                NetSockCounts sc = { 0 };
                int r = sock_count_file(proc_fd, files[i].path, buf, SOCK_FILE_CHUNK, &sc);
                if (r < 0) {
                        log_debug("cannot count sockets in %s: %s", files[i].path, strerror(-r));
                        if (first_err == 0 && r != -ENOENT)
                                first_err = r;
                        continue;
                }
                n_ok++;
                if (files[i].tcp)
                        for (int s = 0; s < _TCP_STATE_MAX; s++)
                                c.tcp[s] = add_sat(c.tcp[s], sc.state[s]);
                else
                        c.udp = add_sat(c.udp, sc.total);
        }
        free(buf);
        if (n_ok == 0)
                return first_err < 0 ? first_err : -ENOENT;
        *ret = c;
        return 0;
}

/* ---- NETLINK_SOCK_DIAG -------------------------------------------------- */

/* Counts inet_diag_msg records by state into counts[] (NEW_SYN_RECV
 * folded into SYN_RECV) and all of them into total. */
typedef struct DiagCount {
        uint64_t *counts;
        uint64_t total;
} DiagCount;

static int diag_count_msg(const struct nlmsghdr *h, void *userdata)
{
        DiagCount *dc = userdata;
        struct inet_diag_msg m;

        if (h->nlmsg_len < NLMSG_LENGTH(sizeof m))
                return -EBADMSG;
        memcpy(&m, NLMSG_DATA(h), sizeof m);
        int st = m.idiag_state;
        if (st == TCP_STATE_NEW_SYN_RECV)
                st = TCP_STATE_SYN_RECV;
        if (st > 0 && st < _TCP_STATE_MAX)
                dc->counts[st]++;
        dc->total++;
        return 0;
}

/* Sends dump request msg and counts the replies of nlmsg_type `type`. */
static int diag_dump(int fd, const struct nlmsghdr *msg, uint16_t type,
                     uint64_t counts[_TCP_STATE_MAX], uint64_t *ret_total)
{
        DiagCount dc = { .counts = counts };
        int r = netlink_dump(fd, msg, type, diag_count_msg, &dc);
        if (r < 0)
                return r;
        *ret_total = dc.total;
        return 0;
}

/* SOCK_DIAG_BY_FAMILY dump of one family x protocol: all states (the
 * mask includes TIME_WAIT and NEW_SYN_RECV), no extensions. */
static int diag_dump_v2(int fd, uint8_t family, uint8_t protocol, uint32_t seq,
                        uint64_t counts[_TCP_STATE_MAX], uint64_t *ret_total)
{
        struct {
                struct nlmsghdr nlh;
                struct inet_diag_req_v2 req;
        } msg = {
                .nlh = {
                        .nlmsg_len = sizeof msg,
                        .nlmsg_type = SOCK_DIAG_BY_FAMILY,
                        .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
                        .nlmsg_seq = seq,
                },
                .req = {
                        .sdiag_family = family,
                        .sdiag_protocol = protocol,
                        .idiag_ext = 0,
                        .idiag_states = ~0U,
                },
        };
        return diag_dump(fd, &msg.nlh, SOCK_DIAG_BY_FAMILY, counts, ret_total);
}

/* The original TCPDIAG_GETSOCK request. The kernel serves it with family
 * AF_UNSPEC, i.e. IPv4 and IPv6 sockets in ONE walk of the established
 * hash. That walk visits every bucket (262144 on a 24 GiB machine) and
 * costs milliseconds even with no sockets, so one walk instead of two
 * halves the cost of counting. */
static int diag_dump_tcp_legacy(int fd, uint32_t seq, uint32_t states,
                                uint64_t counts[_TCP_STATE_MAX], uint64_t *ret_total)
{
        struct {
                struct nlmsghdr nlh;
                struct inet_diag_req req;
        } msg = {
                .nlh = {
                        .nlmsg_len = sizeof msg,
                        .nlmsg_type = TCPDIAG_GETSOCK,
                        .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
                        .nlmsg_seq = seq,
                },
                .req = {
                        .idiag_family = AF_INET, /* ignored by the dump */
                        .idiag_ext = 0,
                        .idiag_states = states,
                },
        };
        return diag_dump(fd, &msg.nlh, TCPDIAG_GETSOCK, counts, ret_total);
}

static int diag_open(void)
{
        return netlink_open(NETLINK_SOCK_DIAG, NETLINK_TIMEOUT_MS);
}

static int count_netlink(NetConnections *ret, bool legacy_tcp, bool tcp)
{
        static const uint8_t families[] = { AF_INET, AF_INET6 };
        NetConnections c = { .available = true, .source = "netlink" };
        uint64_t udp_states[_TCP_STATE_MAX] = { 0 }, n;
        uint32_t seq = 1;
        int r = 0;

        int fd = diag_open();
        if (fd < 0)
                return fd;
        if (tcp && legacy_tcp) {
                r = diag_dump_tcp_legacy(fd, seq++, ~0U, c.tcp, &n);
                if (r < 0 && r != -ETIMEDOUT) {
                        /* Kernel without the old request: ask per family,
                         * on a fresh socket in case a dump is half done. */
                        log_debug("TCPDIAG_GETSOCK failed (%s), dumping per family",
                                  strerror(-r));
                        close(fd);
                        fd = diag_open();
                        if (fd < 0)
                                return fd;
                        memset(c.tcp, 0, sizeof c.tcp);
                        legacy_tcp = false;
                        r = 0;
                }
        }
        for (size_t i = 0; i < sizeof families && r == 0; i++) {
                if (tcp && !legacy_tcp)
                        r = diag_dump_v2(fd, families[i], IPPROTO_TCP, seq++, c.tcp, &n);
                if (r == 0) {
                        /* UDP sockets carry TCP_CLOSE / TCP_ESTABLISHED;
                         * psutil reports them all as "NONE". */
                        r = diag_dump_v2(fd, families[i], IPPROTO_UDP, seq++, udp_states, &n);
                        if (r == 0)
                                c.udp += n;
                }
        }
        close(fd);
        if (r < 0)
                return r;
        *ret = c;
        return 0;
}

int net_count_sockets_netlink(NetConnections *ret)
{
        return count_netlink(ret, true, true);
}

int net_count_sockets_netlink_per_family(NetConnections *ret)
{
        return count_netlink(ret, false, true);
}

int net_count_sockets_netlink_udp(NetConnections *ret)
{
        return count_netlink(ret, false, false);
}

/* ---- cheap socket summary ------------------------------------------------ */

int net_sockstat_parse(const char *buf, const char *proto, const char *key, uint64_t *ret)
{
        size_t plen = strlen(proto), klen = strlen(key);

        for (const char *line = buf; line; line = next_line(line)) {
                if (strncmp(line, proto, plen) != 0 || line[plen] != ':')
                        continue;
                const char *p = line + plen + 1;
                /* "TCP: inuse 1 orphan 0 tw 2 alloc 1 mem 254": key/value pairs. */
                for (;;) {
                        while (*p == ' ')
                                p++;
                        if (*p == '\0' || *p == '\n')
                                break;
                        const char *word = p;
                        while (*p && *p != ' ' && *p != '\n')
                                p++;
                        bool match = (size_t)(p - word) == klen && strncmp(word, key, klen) == 0;
                        uint64_t v;
                        if (scan_u64(&p, &v) < 0)
                                return -EBADMSG;
                        if (match) {
                                *ret = v;
                                return 0;
                        }
                }
                return -ENODATA;
        }
        return -ENODATA;
}

int net_snmp_tcp_parse(const char *buf, const char *key, uint64_t *ret)
{
        /* Two "Tcp:" lines: names, then values in the same order. MaxConn
         * is -1 on Linux, so values are read as signed. */
        const char *names = NULL;
        for (const char *line = buf; line; line = next_line(line)) {
                if (!startswith(line, "Tcp: "))
                        continue;
                if (!names) {
                        names = line + 5;
                        continue;
                }
                const char *n = names, *v = line + 5;
                size_t klen = strlen(key);
                for (;;) {
                        while (*n == ' ')
                                n++;
                        if (*n == '\0' || *n == '\n')
                                return -ENODATA;
                        const char *word = n;
                        while (*n && *n != ' ' && *n != '\n')
                                n++;
                        int64_t val;
                        if (scan_i64(&v, &val) < 0)
                                return -EBADMSG;
                        if ((size_t)(n - word) == klen && strncmp(word, key, klen) == 0) {
                                if (val < 0)
                                        return -EBADMSG;
                                *ret = (uint64_t)val;
                                return 0;
                        }
                }
        }
        return -ENODATA;
}

typedef struct SockstatTotals {
        uint64_t tcp_inuse, tcp_tw, udp_inuse;
} SockstatTotals;

/* inuse of TCP+TCP6 counts listening and connected sockets of this
 * network namespace (not request socks); tw counts TIME_WAIT for both. */
static int read_sockstat(int proc_fd, SockstatTotals *ret)
{
        char buf[2048];
        uint64_t v4 = 0, v6 = 0, tw = 0, u4 = 0, u6 = 0;
        ssize_t n = read_record_at(proc_fd, "net/sockstat", buf, sizeof buf);
        if (n < 0)
                return (int)n;
        int r;
        if ((r = net_sockstat_parse(buf, "TCP", "inuse", &v4)) < 0 ||
            (r = net_sockstat_parse(buf, "TCP", "tw", &tw)) < 0)
                return r;
        (void)net_sockstat_parse(buf, "UDP", "inuse", &u4);
        /* Without IPv6 there is no sockstat6: zero sockets, not an error. */
        if (read_record_at(proc_fd, "net/sockstat6", buf, sizeof buf) >= 0) {
                (void)net_sockstat_parse(buf, "TCP6", "inuse", &v6);
                (void)net_sockstat_parse(buf, "UDP6", "inuse", &u6);
        }
        *ret = (SockstatTotals){ v4 + v6, tw, u4 + u6 };
        return 0;
}

/* LISTEN sockets only: the kernel walks just the listening hash, which is
 * cheap, and skips the established hash entirely. */
static int count_listeners(uint64_t counts[_TCP_STATE_MAX])
{
        uint64_t n;
        int fd = diag_open();
        if (fd < 0)
                return fd;
        int r = diag_dump_tcp_legacy(fd, 1, 1U << TCP_STATE_LISTEN, counts, &n);
        close(fd);
        return r;
}

int net_count_sockets_summary(int proc_fd, NetConnections *ret)
{
        NetConnections c = { .available = true, .source = "summary" };
        SockstatTotals st;
        char buf[4096];
        uint64_t estab = 0;

        int r = read_sockstat(proc_fd, &st);
        if (r < 0)
                return r;
        r = count_listeners(c.tcp);
        if (r < 0)
                return r;
        ssize_t n = read_record_at(proc_fd, "net/snmp", buf, sizeof buf);
        if (n >= 0 || n == -EFBIG)
                (void)net_snmp_tcp_parse(buf, "CurrEstab", &estab);
        /* CurrEstab counts ESTABLISHED and CLOSE_WAIT together. */
        c.tcp[TCP_STATE_ESTABLISHED] = estab;
        c.tcp[TCP_STATE_TIME_WAIT] = st.tcp_tw;
        c.udp = st.udp_inuse;
        *ret = c;
        return 0;
}

/* Exact counts by state. Walking the established hash costs ~2 ms of
 * kernel time on a machine with 256k buckets even when it is empty, so it
 * is skipped when sockstat shows that every hashed TCP socket is a
 * listener: then the listener dump plus sockstat's TIME_WAIT count (the
 * kernel's own counter of timewait sockets) are the exact answer. */
static int count_exact_live(int proc_fd, NetConnections *ret)
{
        SockstatTotals st;
        if (read_sockstat(proc_fd, &st) == 0) {
                NetConnections c = { .available = true, .source = "netlink" };
                c.tcp[TCP_STATE_TIME_WAIT] = st.tcp_tw;
                if (count_listeners(c.tcp) == 0 && c.tcp[TCP_STATE_LISTEN] >= st.tcp_inuse) {
                        /* UDP dumps are cheap (small table). */
                        NetConnections full;
                        if (net_count_sockets_netlink_udp(&full) == 0) {
                                c.udp = full.udp;
                                *ret = c;
                                return 0;
                        }
                }
        }
        return net_count_sockets_netlink(ret);
}

/* ---- sysfs class/net ---------------------------------------------------- */

typedef struct IfName {
        char name[NET_IFNAME_SIZE];
} IfName;

static int cmp_ifname(const void *a, const void *b)
{
        return strcmp(((const IfName *)a)->name, ((const IfName *)b)->name);
}

static int cmp_dev_entry(const void *a, const void *b)
{
        return strcmp(((const NetDevEntry *)a)->name, ((const NetDevEntry *)b)->name);
}

/* Directory names below <sysfs>/class/net. Real sysfs has symlinks to the
 * device directories, plus a "bonding_masters" file when bonding is loaded. */
static int list_sysfs_ifaces(int sys_fd, IfName **ret, size_t *ret_n)
{
        int dfd = openat(sys_fd, "class/net", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return -errno;
        DIR *d = fdopendir(dfd);
        if (!d) {
                int r = -errno;
                close(dfd);
                return r;
        }
        IfName *v = NULL;
        size_t n = 0, cap = 0;
        struct dirent *de;

        while ((de = readdir(d))) {
                size_t len = strlen(de->d_name);
                if (!ifname_valid(de->d_name, len))
                        continue;
                if (de->d_type != DT_DIR) {
                        struct stat st;
                        if (de->d_type != DT_LNK && de->d_type != DT_UNKNOWN)
                                continue;
                        if (fstatat(dirfd(d), de->d_name, &st, 0) < 0 || !S_ISDIR(st.st_mode))
                                continue;
                }
                if (n == cap) {
                        cap = cap ? cap * 2 : 16;
                        v = xreallocarray(v, cap, sizeof *v);
                }
                memcpy(v[n].name, de->d_name, len + 1);
                n++;
        }
        closedir(d);
        *ret = v;
        *ret_n = n;
        return 0;
}

/* "0x1003" */
static int parse_hex_u64(const char *s, uint64_t *ret)
{
        uint64_t v = 0;
        size_t n = 0;

        if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
                return -EINVAL;
        for (s += 2; hex_value(*s) >= 0; s++, n++) {
                if (v > (UINT64_MAX >> 4))
                        return -ERANGE;
                v = v << 4 | (uint64_t)hex_value(*s);
        }
        if (n == 0 || *s != '\0')
                return -EINVAL;
        *ret = v;
        return 0;
}

static int read_attr(int ifd, const char *name, char *buf, size_t cap)
{
        ssize_t r = read_line_at(ifd, name, buf, cap);
        if (r < 0)
                return (int)r;
        /* Tolerate trailing blanks (hand-made trees, CRLF). */
        size_t len = (size_t)r;
        while (len > 0 && is_space(buf[len - 1]))
                buf[--len] = '\0';
        return 0;
}

static void read_sysfs_attrs(int sys_fd, NetInterface *iface)
{
        char path[96], buf[64];
        uint64_t u;
        int64_t i;

        snprintf(path, sizeof path, "class/net/%s", iface->name);
        int ifd = openat(sys_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (ifd < 0)
                return;

        /* psutil's isup is IFF_UP from SIOCGIFFLAGS; sysfs "flags" is the
         * same word. operstate says "unknown" for lo and many tunnels. */
        if (read_attr(ifd, "flags", buf, sizeof buf) == 0 && parse_hex_u64(buf, &u) == 0)
                iface->is_up = (u & IFF_UP) != 0;
        else if (read_attr(ifd, "operstate", buf, sizeof buf) == 0)
                iface->is_up = strcmp(buf, "up") == 0;

        if (read_attr(ifd, "mtu", buf, sizeof buf) == 0 && safe_atou64(buf, &u) == 0 &&
            u <= INT32_MAX)
                iface->mtu = (int)u;

        /* speed is -1 when unknown and fails with EINVAL while the link is
         * down; psutil reports 0 for both. */
        const char *s = buf;
        if (read_attr(ifd, "speed", buf, sizeof buf) == 0 && scan_i64(&s, &i) == 0 &&
            *s == '\0' && buf[0] != ' ' && i > 0 && i <= INT32_MAX)
                iface->speed_mbps = (int)i;

        if (read_attr(ifd, "duplex", buf, sizeof buf) == 0 &&
            (strcmp(buf, "full") == 0 || strcmp(buf, "half") == 0))
                memcpy(iface->duplex, buf, 5);
        close(ifd);
}

/* The same attributes through ioctls on one socket, as psutil and
 * ifconfig get them: three syscalls per interface instead of opening
 * five sysfs files. Only for the live network namespace. Returns false
 * when the interface is unknown to the kernel (then sysfs is tried). */
static bool read_ioctl_attrs(int sock, NetInterface *iface)
{
        struct ifreq ifr;

        size_t len = strlen(iface->name);
        if (len >= sizeof ifr.ifr_name)
                return false;
        memset(&ifr, 0, sizeof ifr);
        memcpy(ifr.ifr_name, iface->name, len);
        if (ioctl(sock, SIOCGIFFLAGS, &ifr) < 0)
                return false;
        iface->is_up = (ifr.ifr_flags & IFF_UP) != 0;
        if (ioctl(sock, SIOCGIFMTU, &ifr) == 0 && ifr.ifr_mtu >= 0)
                iface->mtu = ifr.ifr_mtu;
        net_iface_read_ethtool(sock, iface);
        return true;
}

void net_iface_read_ethtool(int sock, NetInterface *iface)
{
        struct ethtool_cmd cmd = { .cmd = ETHTOOL_GSET };
        struct ifreq ifr;

        size_t len = strlen(iface->name);
        if (sock < 0 || len >= sizeof ifr.ifr_name)
                return;
        memset(&ifr, 0, sizeof ifr);
        memcpy(ifr.ifr_name, iface->name, len);
        /* ETHTOOL_GSET: lo, bridges and tunnels answer EOPNOTSUPP; a speed of
         * 0 or SPEED_UNKNOWN (-1) means unknown, reported as 0 like psutil. */
        ifr.ifr_data = (char *)&cmd;
        if (ioctl(sock, SIOCETHTOOL, &ifr) == 0) {
                /* ethtool_cmd_speed() shifts a promoted int: do it unsigned. */
                uint32_t speed = ((uint32_t)cmd.speed_hi << 16) | cmd.speed;
                if (speed > 0 && speed != (uint32_t)SPEED_UNKNOWN && speed <= INT32_MAX)
                        iface->speed_mbps = (int)speed;
                if (cmd.duplex == DUPLEX_FULL)
                        memcpy(iface->duplex, "full", 5);
                else if (cmd.duplex == DUPLEX_HALF)
                        memcpy(iface->duplex, "half", 5);
        }
}

/* ---- getifaddrs ------------------------------------------------------------ */

/* bsearch comparator: a NUL-terminated name against an interface. */
static int cmp_name_iface(const void *key, const void *elem)
{
        return strcmp(key, ((const NetInterface *)elem)->name);
}

static NetInterface *find_iface(NetInfo *n, const char *name)
{
        char base[NET_IFNAME_SIZE];

        if (n->n_interfaces == 0)
                return NULL;
        NetInterface *it = bsearch(name, n->interfaces, n->n_interfaces,
                                   sizeof *n->interfaces, cmp_name_iface);
        if (it)
                return it;
        /* IPv4 labels ("eth0:1") belong to their base interface. */
        const char *colon = strchr(name, ':');
        if (!colon || colon == name || (size_t)(colon - name) >= sizeof base)
                return NULL;
        memcpy(base, name, (size_t)(colon - name));
        base[colon - name] = '\0';
        return bsearch(base, n->interfaces, n->n_interfaces, sizeof *n->interfaces,
                       cmp_name_iface);
}

static void format_mac(const struct sockaddr *sa, char *buf, size_t cap)
{
        const struct sockaddr_ll *ll = (const struct sockaddr_ll *)(const void *)sa;
        /* glibc's getifaddrs allocates room for 24 address bytes
         * (InfiniBand uses 20); the formatter reads at most 20. */
        rtnl_format_hwaddr(ll->sll_addr, ll->sll_halen, buf, cap);
}

static void format_sockaddr(const struct sockaddr *sa, char *buf, size_t cap)
{
        buf[0] = '\0';
        if (!sa)
                return;
        switch (sa->sa_family) {
        case AF_INET:
                if (!inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
                               buf, (socklen_t)cap))
                        buf[0] = '\0';
                break;
        case AF_INET6:
                if (!inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                               buf, (socklen_t)cap))
                        buf[0] = '\0';
                break;
        case AF_PACKET:
                format_mac(sa, buf, cap);
                break;
        default:
                break;
        }
}

static bool fill_address(const struct ifaddrs *ifa, NetAddress *ret)
{
        const char *family;

        switch (ifa->ifa_addr->sa_family) {
        case AF_INET: family = "AF_INET"; break;
        case AF_INET6: family = "AF_INET6"; break;
        case AF_PACKET: family = "AF_PACKET"; break;
        default: return false;
        }
        memset(ret, 0, sizeof *ret);
        snprintf(ret->family, sizeof ret->family, "%s", family);
        format_sockaddr(ifa->ifa_addr, ret->address, sizeof ret->address);
        if (ret->address[0] == '\0')
                return false;
        if (ifa->ifa_addr->sa_family != AF_PACKET && ifa->ifa_netmask &&
            ifa->ifa_netmask->sa_family == ifa->ifa_addr->sa_family)
                format_sockaddr(ifa->ifa_netmask, ret->netmask, sizeof ret->netmask);
        /* ifa_broadaddr shares a union with the point-to-point peer. */
        if ((ifa->ifa_flags & IFF_BROADCAST) && ifa->ifa_broadaddr &&
            ifa->ifa_broadaddr->sa_family == ifa->ifa_addr->sa_family &&
            ifa->ifa_addr->sa_family != AF_INET6)
                format_sockaddr(ifa->ifa_broadaddr, ret->broadcast, sizeof ret->broadcast);
        return true;
}

static int collect_addresses(NetInfo *n)
{
        struct ifaddrs *list;
        NetAddress tmp;

        if (getifaddrs(&list) < 0)
                return -errno;
        /* Two passes: count per interface, then allocate once and fill. */
        for (int pass = 0; pass < 2; pass++) {
                if (pass == 1)
                        for (size_t i = 0; i < n->n_interfaces; i++) {
                                NetInterface *it = &n->interfaces[i];
                                if (it->n_addresses > 0)
                                        it->addresses = xcalloc(it->n_addresses,
                                                                sizeof *it->addresses);
                                it->n_addresses = 0;
                        }
                for (const struct ifaddrs *ifa = list; ifa; ifa = ifa->ifa_next) {
                        if (!ifa->ifa_addr || !ifa->ifa_name)
                                continue;
                        NetInterface *it = find_iface(n, ifa->ifa_name);
                        if (!it || !fill_address(ifa, &tmp))
                                continue;
                        if (pass == 1)
                                it->addresses[it->n_addresses] = tmp;
                        it->n_addresses++;
                }
        }
        freeifaddrs(list);
        return 0;
}

/* ---- collector ------------------------------------------------------------ */

static void iface_init(NetInterface *it, const char *name)
{
        memset(it, 0, sizeof *it);
        snprintf(it->name, sizeof it->name, "%s", name);
        it->mtu = -1;
}

/* Merges the sorted net/dev rows and sysfs names into ret->interfaces. */
static void merge_interfaces(NetInfo *ret, NetDevEntry *dev, size_t n_dev,
                             IfName *sys, size_t n_sys)
{
        size_t i = 0, j = 0, n = 0;

        if (n_dev + n_sys == 0)
                return;
        ret->interfaces = xcalloc(n_dev + n_sys, sizeof *ret->interfaces);
        while (i < n_dev || j < n_sys) {
                int c = i >= n_dev ? 1 : j >= n_sys ? -1 : strcmp(dev[i].name, sys[j].name);
                const char *name = c <= 0 ? dev[i].name : sys[j].name;
                NetInterface *last = n > 0 ? &ret->interfaces[n - 1] : NULL;

                if (!last || strcmp(last->name, name) != 0) {
                        last = &ret->interfaces[n++];
                        iface_init(last, name);
                }
                if (c <= 0) {
                        /* A duplicated net/dev row is counted once. */
                        if (!last->has_counters) {
                                last->has_counters = true;
                                last->io = dev[i].io;
                        }
                        i++;
                }
                if (c >= 0)
                        j++;
        }
        ret->n_interfaces = n;
}

int net_collect_interfaces_files(const RootFS *fs, NetInfo *ret)
{
        NetDevEntry *dev = NULL;
        IfName *sys = NULL;
        size_t n_dev = 0, n_sys = 0;
        Buf b = { 0 };
        int r, r_dev, r_sys;

        r_dev = (int)read_file_buf_at(fs->proc_fd, "net/dev", &b, NET_DEV_MAX_BYTES);
        if (r_dev >= 0)
                r_dev = net_dev_parse(b.data, &dev, &n_dev);
        buf_free(&b);
        if (r_dev < 0)
                log_debug("cannot read net/dev: %s", strerror(-r_dev));
        else {
                ret->has_io = true;
                if (n_dev > 1)
                        qsort(dev, n_dev, sizeof *dev, cmp_dev_entry);
        }

        r_sys = list_sysfs_ifaces(fs->sys_fd, &sys, &n_sys);
        if (r_sys < 0)
                log_debug("cannot list class/net: %s", strerror(-r_sys));
        else if (n_sys > 1)
                qsort(sys, n_sys, sizeof *sys, cmp_ifname);

        merge_interfaces(ret, dev, n_dev, sys, n_sys);
        free(dev);
        free(sys);

        int sock = fs->live ? socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0) : -1;
        for (size_t i = 0; i < ret->n_interfaces; i++) {
                NetInterface *it = &ret->interfaces[i];
                if (sock >= 0 && read_ioctl_attrs(sock, it))
                        ;
                else if (r_sys >= 0)
                        read_sysfs_attrs(fs->sys_fd, it);
                if (it->has_counters) {
                        NetIoCounters *t = &ret->io;
                        net_io_add(t, &it->io);
                }
        }

        if (sock >= 0)
                close(sock);

        if (fs->live) {
                r = collect_addresses(ret);
                if (r < 0)
                        log_debug("getifaddrs failed: %s", strerror(-r));
        }

        if (r_dev < 0 && r_sys < 0)
                return r_dev;
        return 0;
}

int net_collect(const RootFS *fs, NetConnMode mode, NetInfo *ret)
{
        int r, r_if = -ENODATA;

        /* One NETLINK_ROUTE socket replaces net/dev, the class/net listing,
         * two ioctls per interface and getifaddrs(). A sandbox may refuse
         * netlink (seccomp): then the files and ioctls still work. */
        if (fs->live) {
                r_if = rtnl_collect_interfaces(ret);
                if (r_if < 0)
                        log_debug("rtnetlink unavailable (%s), reading net/dev and class/net",
                                  strerror(-r_if));
        }
        if (r_if < 0)
                r_if = net_collect_interfaces_files(fs, ret);

        r = -ENODATA;
        if (fs->live) {
                r = mode == NET_CONN_SUMMARY ? net_count_sockets_summary(fs->proc_fd, &ret->connections)
                                             : count_exact_live(fs->proc_fd, &ret->connections);
                if (r < 0)
                        log_debug("sock_diag unavailable (%s), reading net/tcp", strerror(-r));
        }
        if (r < 0)
                r = net_count_sockets_procfs(fs->proc_fd, &ret->connections);
        if (r < 0)
                log_debug("cannot count sockets: %s", strerror(-r));

        if (r_if < 0 && r < 0)
                return r_if;
        return 0;
}
