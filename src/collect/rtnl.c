/* SPDX-License-Identifier: MIT */
/* Interfaces of the live network namespace over NETLINK_ROUTE. Reads no
 * files: an RTM_GETLINK dump, an RTM_GETADDR dump, and SIOCETHTOOL. Each
 * part mirrors what the file-based path (collect/net.c) gets elsewhere:
 *   IFLA_STATS64   = the numbers <procfs>/net/dev prints (same kernel
 *                    struct, see dev_seq_printf_stats)
 *   ifi_flags      = SIOCGIFFLAGS (both are dev_get_flags())
 *   IFLA_MTU       = SIOCGIFMTU
 *   IFLA_ADDRESS, IFLA_BROADCAST, RTM_NEWADDR = glibc's getifaddrs(), which
 *                    sends these very two dumps itself. */
#include "collect/rtnl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "collect/netlink.h"
#include "util/log.h"
#include "util/xalloc.h"

#define RTNL_TIMEOUT_MS 2000
/* Dumps restarted because the kernel flagged them inconsistent
 * (NLM_F_DUMP_INTR: interfaces or addresses changed meanwhile). */
#define RTNL_MAX_ATTEMPTS 3

/* ---- attributes ------------------------------------------------------------ */

typedef struct Attr {
        uint16_t type;
        const uint8_t *data;
        size_t len;
} Attr;

typedef struct AttrIter {
        const uint8_t *p, *end;
} AttrIter;

/* Attributes of message h after its family header of hdr_len bytes.
 * -EBADMSG when the message is shorter than that header. */
static int attr_iter_init(AttrIter *it, const struct nlmsghdr *h, size_t hdr_len)
{
        if (h->nlmsg_len < NLMSG_LENGTH(hdr_len))
                return -EBADMSG;
        const uint8_t *base = (const uint8_t *)h;
        size_t start = NLMSG_LENGTH(NLMSG_ALIGN(hdr_len));
        it->end = base + h->nlmsg_len;
        /* A header of unaligned length ending the message: no attributes. */
        it->p = start <= h->nlmsg_len ? base + start : it->end;
        return 0;
}

/* 1 with *a filled, 0 at the end, -EBADMSG for an attribute shorter than
 * its own header or running past the message, or stray trailing bytes. */
static int attr_next(AttrIter *it, Attr *a)
{
        size_t left = (size_t)(it->end - it->p);
        struct rtattr rta;

        if (left == 0)
                return 0;
        if (left < sizeof rta)
                return -EBADMSG;
        memcpy(&rta, it->p, sizeof rta);
        if (rta.rta_len < sizeof rta || rta.rta_len > left)
                return -EBADMSG;
        a->type = rta.rta_type & NLA_TYPE_MASK;
        a->data = it->p + RTA_LENGTH(0);
        a->len = rta.rta_len - RTA_LENGTH(0);
        /* The padding of the last attribute may be left out. */
        size_t step = RTA_ALIGN(rta.rta_len);
        it->p = step < left ? it->p + step : it->end;
        return 1;
}

static uint32_t attr_u32(const Attr *a)
{
        uint32_t v;
        memcpy(&v, a->data, sizeof v);
        return v;
}

/* ---- links ------------------------------------------------------------------ */

void rtnl_format_hwaddr(const uint8_t *bytes, size_t n, char *buf, size_t cap)
{
        size_t off = 0;

        if (cap == 0)
                return;
        buf[0] = '\0';
        if (n == 0 || n > RTNL_HWADDR_MAX)
                return;
        for (size_t i = 0; i < n && off + 3 < cap; i++)
                off += (size_t)snprintf(buf + off, cap - off, i ? ":%02x" : "%02x", bytes[i]);
}

static uint64_t stat_at(const uint8_t *data, size_t off)
{
        uint64_t v;
        memcpy(&v, data + off, sizeof v);
        return v;
}

#define STAT(field) stat_at(a->data, offsetof(struct rtnl_link_stats64, field))

/* IFLA_STATS64 mapped like the net/dev columns the file path parses. The
 * struct has grown over the years (rx_nohandler, rx_otherhost_dropped), so
 * only the part up to the last field used is required. */
static int parse_stats64(const Attr *a, NetIoCounters *ret)
{
        size_t need = offsetof(struct rtnl_link_stats64, rx_missed_errors) + sizeof(uint64_t);

        if (a->len < need)
                return -EBADMSG;
        *ret = (NetIoCounters) {
                .bytes_recv = STAT(rx_bytes),
                .packets_recv = STAT(rx_packets),
                .errin = STAT(rx_errors),
                /* net/dev's "drop" adds the missed (no buffer) packets, with
                 * the kernel's wrapping u64 arithmetic. */
                .dropin = STAT(rx_dropped) + STAT(rx_missed_errors),
                .bytes_sent = STAT(tx_bytes),
                .packets_sent = STAT(tx_packets),
                .errout = STAT(tx_errors),
                .dropout = STAT(tx_dropped),
        };
        return 0;
}

#undef STAT

/* A NUL-terminated, non-empty name shorter than IFNAMSIZ. */
static int parse_name(const Attr *a, char out[NET_IFNAME_SIZE])
{
        size_t n = strnlen((const char *)a->data, a->len);

        if (n == a->len || n == 0 || n >= NET_IFNAME_SIZE)
                return -EBADMSG;
        memcpy(out, a->data, n + 1);
        return 0;
}

int rtnl_link_parse(const struct nlmsghdr *h, RtnlLink *ret)
{
        RtnlLink l = { .mtu = -1 };
        struct ifinfomsg ifi;
        AttrIter it;
        Attr a;
        bool has_name = false;
        int r;

        if (h->nlmsg_type != RTM_NEWLINK)
                return -EBADMSG;
        if ((r = attr_iter_init(&it, h, sizeof ifi)) < 0)
                return r;
        memcpy(&ifi, NLMSG_DATA(h), sizeof ifi);
        l.ifindex = (uint32_t)ifi.ifi_index;
        l.flags = ifi.ifi_flags;

        while ((r = attr_next(&it, &a)) > 0) {
                switch (a.type) {
                case IFLA_IFNAME:
                        if (parse_name(&a, l.name) < 0)
                                return -EBADMSG;
                        has_name = true;
                        break;
                case IFLA_MTU: {
                        if (a.len < sizeof(uint32_t))
                                return -EBADMSG;
                        uint32_t mtu = attr_u32(&a);
                        l.mtu = mtu <= INT32_MAX ? (int)mtu : -1;
                        break;
                }
                case IFLA_STATS64:
                        if (parse_stats64(&a, &l.io) < 0)
                                return -EBADMSG;
                        l.has_counters = true;
                        break;
                case IFLA_ADDRESS:
                        rtnl_format_hwaddr(a.data, a.len, l.hwaddr, sizeof l.hwaddr);
                        break;
                case IFLA_BROADCAST:
                        rtnl_format_hwaddr(a.data, a.len, l.broadcast, sizeof l.broadcast);
                        break;
                default:
                        break;
                }
        }
        if (r < 0 || !has_name)
                return -EBADMSG;
        *ret = l;
        return 0;
}

bool rtnl_link_packet_address(const RtnlLink *link, NetAddress *ret)
{
        if (link->hwaddr[0] == '\0')
                return false;
        memset(ret, 0, sizeof *ret);
        snprintf(ret->family, sizeof ret->family, "AF_PACKET");
        snprintf(ret->address, sizeof ret->address, "%s", link->hwaddr);
        /* getifaddrs() puts IFLA_BROADCAST where a point-to-point link's
         * peer would be; it is a broadcast address only with IFF_BROADCAST. */
        if (link->flags & IFF_BROADCAST)
                snprintf(ret->broadcast, sizeof ret->broadcast, "%s", link->broadcast);
        return true;
}

/* ---- addresses ------------------------------------------------------------ */

static void format_inet(int family, const uint8_t *bytes, char *buf, size_t cap)
{
        if (!inet_ntop(family, bytes, buf, (socklen_t)cap))
                buf[0] = '\0';
}

int rtnl_addr_parse(const struct nlmsghdr *h, RtnlAddr *ret)
{
        RtnlAddr ra = { 0 };
        struct ifaddrmsg ifa;
        uint8_t address[16] = { 0 }, local[16] = { 0 }, bcast[16] = { 0 }, mask[16] = { 0 };
        bool has_address = false, has_local = false, has_bcast = false;
        AttrIter it;
        Attr a;
        int r;

        if (h->nlmsg_type != RTM_NEWADDR)
                return -EBADMSG;
        if ((r = attr_iter_init(&it, h, sizeof ifa)) < 0)
                return r;
        memcpy(&ifa, NLMSG_DATA(h), sizeof ifa);
        ra.ifindex = ifa.ifa_index;
        ra.family = ifa.ifa_family;

        /* Other families (MCTP, Phonet) are walked for well-formedness only. */
        size_t alen = ifa.ifa_family == AF_INET ? 4 : ifa.ifa_family == AF_INET6 ? 16 : 0;
        if (alen > 0 && ifa.ifa_prefixlen > alen * 8)
                return -EBADMSG;

        while ((r = attr_next(&it, &a)) > 0) {
                uint8_t *dst;
                bool *seen;

                if (alen == 0)
                        continue;
                switch (a.type) {
                case IFA_ADDRESS: dst = address; seen = &has_address; break;
                case IFA_LOCAL: dst = local; seen = &has_local; break;
                case IFA_BROADCAST: dst = bcast; seen = &has_bcast; break;
                default: continue;
                }
                if (a.len != alen)
                        return -EBADMSG;
                memcpy(dst, a.data, alen);
                *seen = true;
        }
        if (r < 0)
                return -EBADMSG;

        if (alen > 0 && (has_local || has_address)) {
                NetAddress *out = &ra.addr;
                snprintf(out->family, sizeof out->family, "%s",
                         ifa.ifa_family == AF_INET ? "AF_INET" : "AF_INET6");
                /* IFA_LOCAL is the interface's own address; IFA_ADDRESS is
                 * the same, or the peer of a point-to-point link. */
                format_inet(ifa.ifa_family, has_local ? local : address, out->address,
                            sizeof out->address);
                for (unsigned i = 0; i < ifa.ifa_prefixlen; i++)
                        mask[i / 8] |= (uint8_t)(0x80u >> (i % 8));
                format_inet(ifa.ifa_family, mask, out->netmask, sizeof out->netmask);
                /* getifaddrs() moves IFA_ADDRESS to ifa_broadaddr when
                 * IFA_LOCAL follows, then IFA_BROADCAST overwrites it. Only
                 * IPv4 broadcasts are reported. */
                if (ifa.ifa_family == AF_INET && (has_bcast || (has_local && has_address)))
                        format_inet(AF_INET, has_bcast ? bcast : address, out->broadcast,
                                    sizeof out->broadcast);
        }
        *ret = ra;
        return 0;
}

/* ---- collector -------------------------------------------------------------- */

typedef struct DumpState {
        RtnlLink *links;
        size_t n_links, cap_links;
        RtnlAddr *addrs;
        size_t n_addrs, cap_addrs;
        bool interrupted;
} DumpState;

static int on_link(const struct nlmsghdr *h, void *userdata)
{
        DumpState *st = userdata;
        RtnlLink l;

        if (h->nlmsg_flags & NLM_F_DUMP_INTR)
                st->interrupted = true;
        int r = rtnl_link_parse(h, &l);
        if (r < 0)
                return r;
        if (st->n_links == st->cap_links) {
                st->cap_links = st->cap_links ? st->cap_links * 2 : 16;
                st->links = xreallocarray(st->links, st->cap_links, sizeof *st->links);
        }
        st->links[st->n_links++] = l;
        return 0;
}

static int on_addr(const struct nlmsghdr *h, void *userdata)
{
        DumpState *st = userdata;
        RtnlAddr ra;

        if (h->nlmsg_flags & NLM_F_DUMP_INTR)
                st->interrupted = true;
        int r = rtnl_addr_parse(h, &ra);
        if (r < 0)
                return r;
        if (ra.addr.address[0] == '\0')
                return 0; /* not IPv4/IPv6, or no address */
        if (st->n_addrs == st->cap_addrs) {
                st->cap_addrs = st->cap_addrs ? st->cap_addrs * 2 : 16;
                st->addrs = xreallocarray(st->addrs, st->cap_addrs, sizeof *st->addrs);
        }
        st->addrs[st->n_addrs++] = ra;
        return 0;
}

static void dump_state_reset(DumpState *st)
{
        free(st->links);
        free(st->addrs);
        *st = (DumpState) { 0 };
}

static int dump_links(int fd, uint32_t seq, DumpState *st)
{
        struct {
                struct nlmsghdr nlh;
                struct ifinfomsg ifi;
        } req = {
                .nlh = {
                        .nlmsg_len = sizeof req,
                        .nlmsg_type = RTM_GETLINK,
                        .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
                        .nlmsg_seq = seq,
                },
                .ifi = { .ifi_family = AF_UNSPEC },
        };
        return netlink_dump(fd, &req.nlh, RTM_NEWLINK, on_link, st);
}

/* AF_UNSPEC: every family in one dump, IPv4 first, then IPv6 (the kernel
 * walks the families in number order), as getifaddrs() asks. */
static int dump_addrs(int fd, uint32_t seq, DumpState *st)
{
        struct {
                struct nlmsghdr nlh;
                struct ifaddrmsg ifa;
        } req = {
                .nlh = {
                        .nlmsg_len = sizeof req,
                        .nlmsg_type = RTM_GETADDR,
                        .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
                        .nlmsg_seq = seq,
                },
                .ifa = { .ifa_family = AF_UNSPEC },
        };
        return netlink_dump(fd, &req.nlh, RTM_NEWADDR, on_addr, st);
}

typedef struct IndexPos {
        uint32_t ifindex;
        size_t pos;
} IndexPos;

static int cmp_index_pos(const void *a, const void *b)
{
        uint32_t x = ((const IndexPos *)a)->ifindex, y = ((const IndexPos *)b)->ifindex;
        return x < y ? -1 : x > y;
}

static int cmp_iface_name(const void *a, const void *b)
{
        return strcmp(((const NetInterface *)a)->name, ((const NetInterface *)b)->name);
}

/* Turns the two dumps into the interface list. -EAGAIN when one link
 * appears twice (a dump that raced with changes without saying so). */
static int build_interfaces(const DumpState *st, int ethtool_sock, NetInfo *ret)
{
        size_t n = st->n_links;
        IndexPos *idx = xcalloc(n ? n : 1, sizeof *idx);
        size_t *n_addr = xcalloc(n ? n : 1, sizeof *n_addr);
        NetInterface *ifs = n ? xcalloc(n, sizeof *ifs) : NULL;
        NetIoCounters total = { 0 };

        for (size_t i = 0; i < n; i++)
                idx[i] = (IndexPos) { st->links[i].ifindex, i };
        qsort(idx, n, sizeof *idx, cmp_index_pos);
        for (size_t i = 1; i < n; i++)
                if (idx[i].ifindex == idx[i - 1].ifindex) {
                        free(idx);
                        free(n_addr);
                        free(ifs);
                        return -EAGAIN;
                }

        /* Addresses of links missing from the link dump (added in between)
         * are dropped, as the file path drops names it did not list. */
        size_t *owner = xcalloc(st->n_addrs ? st->n_addrs : 1, sizeof *owner);
        for (size_t k = 0; k < st->n_addrs; k++) {
                IndexPos key = { .ifindex = st->addrs[k].ifindex };
                const IndexPos *hit = bsearch(&key, idx, n, sizeof *idx, cmp_index_pos);
                owner[k] = hit ? hit->pos : SIZE_MAX;
                if (hit)
                        n_addr[hit->pos]++;
        }

        for (size_t i = 0; i < n; i++) {
                const RtnlLink *l = &st->links[i];
                NetInterface *it = &ifs[i];
                NetAddress packet;

                snprintf(it->name, sizeof it->name, "%s", l->name);
                it->has_counters = l->has_counters;
                it->io = l->io;
                it->is_up = (l->flags & IFF_UP) != 0;
                it->mtu = l->mtu;
                bool has_packet = rtnl_link_packet_address(l, &packet);
                size_t cap = n_addr[i] + (has_packet ? 1 : 0);
                if (cap > 0)
                        it->addresses = xcalloc(cap, sizeof *it->addresses);
                if (has_packet)
                        it->addresses[it->n_addresses++] = packet;
                /* Loopback answers ETHTOOL_GSET with EOPNOTSUPP: skip the call. */
                if (!(l->flags & IFF_LOOPBACK))
                        net_iface_read_ethtool(ethtool_sock, it);
                if (it->has_counters)
                        net_io_add(&total, &it->io);
        }
        for (size_t k = 0; k < st->n_addrs; k++) {
                if (owner[k] == SIZE_MAX)
                        continue;
                NetInterface *it = &ifs[owner[k]];
                NetAddress *ad = &it->addresses[it->n_addresses++];
                *ad = st->addrs[k].addr;
                /* ifa_broadaddr is the peer unless the link broadcasts. */
                if (!(st->links[owner[k]].flags & IFF_BROADCAST))
                        ad->broadcast[0] = '\0';
        }
        if (n > 1)
                qsort(ifs, n, sizeof *ifs, cmp_iface_name);

        free(owner);
        free(n_addr);
        free(idx);
        ret->interfaces = ifs;
        ret->n_interfaces = n;
        ret->io = total;
        ret->has_io = true;
        return 0;
}

int rtnl_collect_interfaces(NetInfo *ret)
{
        DumpState st = { 0 };
        uint32_t seq = 1;
        int r = 0;

        int fd = netlink_open(NETLINK_ROUTE, RTNL_TIMEOUT_MS);
        if (fd < 0)
                return fd;
        int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (sock < 0) {
                r = -errno;
                close(fd);
                return r;
        }
        for (int attempt = 0; attempt < RTNL_MAX_ATTEMPTS; attempt++) {
                dump_state_reset(&st);
                r = dump_links(fd, seq++, &st);
                if (r == 0)
                        r = dump_addrs(fd, seq++, &st);
                if (r == 0 && st.interrupted)
                        r = -EAGAIN;
                if (r == 0)
                        r = build_interfaces(&st, sock, ret);
                if (r != -EAGAIN)
                        break;
                log_debug("rtnetlink dump interrupted by a change, retrying");
        }
        dump_state_reset(&st);
        close(sock);
        close(fd);
        return r;
}
