// SPDX-License-Identifier: GPL-2.0
/*
 * Network set-up of a slave node with libnl-route; see net.h.
 *
 * The steps are those of
 *	ip link set lo up
 *	ip link set IF up
 *	ip addr add ADDR/PREFIX broadcast + dev IF
 *	ip route add default via GW dev IF	(or: MASTER dev IF scope link)
 * done over one rtnetlink socket.  Waiting is bounded and done by polling the
 * link table: this runs once, before init has anything else to do.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>

#include <netlink/netlink.h>
#include <netlink/cache.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>

#include "net.h"

#define POLL_MS	20

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static struct nl_addr *ipv4_addr(uint32_t host_order, unsigned int prefix)
{
	uint32_t be = htonl(host_order);
	struct nl_addr *a = nl_addr_build(AF_INET, &be, sizeof(be));

	if (a)
		nl_addr_set_prefixlen(a, (int)prefix);
	return a;
}

/*
 * The link named @name, or the first ethernet link (lowest ifindex, not
 * loopback) when @name is empty.  Returns a reference, or NULL.
 */
static struct rtnl_link *find_link(struct nl_cache *cache, const char *name)
{
	struct nl_object *obj, *best = NULL;

	if (name && name[0])
		return rtnl_link_get_by_name(cache, name);
	for (obj = nl_cache_get_first(cache); obj;
	     obj = nl_cache_get_next(obj)) {
		struct rtnl_link *l = (struct rtnl_link *)obj;

		if (rtnl_link_get_arptype(l) != ARPHRD_ETHER ||
		    (rtnl_link_get_flags(l) & IFF_LOOPBACK))
			continue;
		if (!best || rtnl_link_get_ifindex(l) <
			     rtnl_link_get_ifindex((struct rtnl_link *)best))
			best = obj;
	}
	if (best)
		nl_object_get(best);
	return (struct rtnl_link *)best;
}

/* "lo eth0 ..." for a log line. */
static void list_links(struct nl_cache *cache, char *out, size_t len)
{
	struct nl_object *obj;
	size_t off = 0;

	out[0] = '\0';
	for (obj = nl_cache_get_first(cache); obj;
	     obj = nl_cache_get_next(obj)) {
		const char *name = rtnl_link_get_name((struct rtnl_link *)obj);
		int n = snprintf(out + off, len - off, "%s%s", off ? " " : "",
				 name ? name : "?");

		if (n < 0 || (size_t)n >= len - off)
			break;
		off += (size_t)n;
	}
	if (!off)
		snprintf(out, len, "(none)");
}

static int link_up(struct nl_sock *sk, struct rtnl_link *link)
{
	struct rtnl_link *change = rtnl_link_alloc();
	int err;

	if (!change)
		return -NLE_NOMEM;
	rtnl_link_set_flags(change, IFF_UP);
	err = rtnl_link_change(sk, link, change, 0);
	rtnl_link_put(change);
	return err;
}

static int add_address(struct nl_sock *sk, int ifindex, uint32_t ip,
		       unsigned int prefix)
{
	struct rtnl_addr *addr = rtnl_addr_alloc();
	struct nl_addr *local = ipv4_addr(ip, prefix);
	struct nl_addr *bcast = NULL;
	int err = -NLE_NOMEM;

	if (!addr || !local)
		goto out;
	rtnl_addr_set_ifindex(addr, ifindex);
	rtnl_addr_set_family(addr, AF_INET);
	err = rtnl_addr_set_local(addr, local);
	if (err < 0)
		goto out;
	rtnl_addr_set_prefixlen(addr, (int)prefix);
	if (prefix <= 30) {
		bcast = ipv4_addr(ip | ~bproc_cmdline_netmask(prefix), 32);
		if (!bcast) {
			err = -NLE_NOMEM;
			goto out;
		}
		err = rtnl_addr_set_broadcast(addr, bcast);
		if (err < 0)
			goto out;
	}
	err = rtnl_addr_add(sk, addr, 0);
	if (err == -NLE_EXIST)
		err = 0;
out:
	if (bcast)
		nl_addr_put(bcast);
	if (local)
		nl_addr_put(local);
	if (addr)
		rtnl_addr_put(addr);
	return err;
}

/* dst/dst_len via gw (if gw != 0) on ifindex, in the main table. */
static int add_route(struct nl_sock *sk, int ifindex, uint32_t dst,
		     unsigned int dst_len, uint32_t gw)
{
	struct rtnl_route *route = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *d = ipv4_addr(dst, dst_len), *g = NULL;
	int err = -NLE_NOMEM;

	if (!route || !nh || !d)
		goto out;
	rtnl_route_set_family(route, AF_INET);
	rtnl_route_set_table(route, RT_TABLE_MAIN);
	rtnl_route_set_protocol(route, RTPROT_BOOT);
	rtnl_route_set_type(route, RTN_UNICAST);
	rtnl_route_set_scope(route, gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
	err = rtnl_route_set_dst(route, d);
	if (err < 0)
		goto out;
	rtnl_route_nh_set_ifindex(nh, ifindex);
	if (gw) {
		g = ipv4_addr(gw, 32);
		if (!g) {
			err = -NLE_NOMEM;
			goto out;
		}
		rtnl_route_nh_set_gateway(nh, g);
	}
	rtnl_route_add_nexthop(route, nh);
	nh = NULL;			/* the route owns it now */
	err = rtnl_route_add(sk, route, NLM_F_EXCL);
	if (err == -NLE_EXIST)
		err = 0;
out:
	if (g)
		nl_addr_put(g);
	if (d)
		nl_addr_put(d);
	if (nh)
		rtnl_route_nh_free(nh);
	if (route)
		rtnl_route_put(route);
	return err;
}

int bproc_net_setup(const struct bproc_net_config *nc,
		    char ifname_out[BPROC_CMDLINE_IFNAMSIZ])
{
	struct nl_sock *sk;
	struct nl_cache *cache = NULL;
	struct rtnl_link *link = NULL, *cur;
	int64_t t0 = now_ms(), deadline = t0 + nc->wait_ms;
	const char *want = nc->ifname && nc->ifname[0] ? nc->ifname : NULL;
	char a[16], via[48] = "";
	bool carrier = false;
	int err, ifindex, ret = -1;

	ifname_out[0] = '\0';
	sk = nl_socket_alloc();
	if (!sk) {
		bproc_log("net: cannot allocate a netlink socket");
		return -1;
	}
	err = nl_connect(sk, NETLINK_ROUTE);
	if (err < 0) {
		bproc_log("net: cannot open rtnetlink: %s", nl_geterror(err));
		goto out;
	}
	err = rtnl_link_alloc_cache(sk, AF_UNSPEC, &cache);
	if (err < 0) {
		bproc_log("net: cannot list links: %s", nl_geterror(err));
		goto out;
	}

	cur = rtnl_link_get_by_name(cache, "lo");
	if (cur) {
		err = link_up(sk, cur);
		if (err < 0)
			bproc_log("net: cannot bring lo up: %s", nl_geterror(err));
		rtnl_link_put(cur);
	} else {
		bproc_log("net: no loopback interface");
	}

	/* The NIC's driver was just loaded: its link may take a moment. */
	for (;;) {
		link = find_link(cache, want);
		if (link || now_ms() >= deadline)
			break;
		sleep_ms(POLL_MS);
		err = nl_cache_refill(sk, cache);
		if (err < 0) {
			bproc_log("net: cannot list links: %s", nl_geterror(err));
			goto out;
		}
	}
	if (!link) {
		char names[256];

		list_links(cache, names, sizeof(names));
		if (want)
			bproc_log("net: no interface %s (bproc.if) after %u ms; there are: %s",
				  want, nc->wait_ms, names);
		else
			bproc_log("net: no ethernet interface after %u ms (is its driver in the image?); there are: %s",
				  nc->wait_ms, names);
		goto out;
	}
	ifindex = rtnl_link_get_ifindex(link);
	snprintf(ifname_out, BPROC_CMDLINE_IFNAMSIZ, "%s",
		 rtnl_link_get_name(link));

	err = link_up(sk, link);
	if (err < 0) {
		bproc_log("net: cannot bring %s up: %s", ifname_out,
			  nl_geterror(err));
		goto out;
	}

	/* Carrier (IFF_RUNNING: operstate up), bounded. */
	for (;;) {
		err = nl_cache_refill(sk, cache);
		if (err < 0) {
			bproc_log("net: cannot list links: %s", nl_geterror(err));
			goto out;
		}
		cur = rtnl_link_get(cache, ifindex);
		if (cur) {
			carrier = rtnl_link_get_flags(cur) & IFF_RUNNING;
			rtnl_link_put(cur);
		}
		if (carrier || now_ms() >= deadline)
			break;
		sleep_ms(POLL_MS);
	}
	if (!carrier)
		bproc_log("net: %s has no carrier after %u ms; configuring it anyway",
			  ifname_out, nc->wait_ms);

	for (unsigned int i = 0; i < (nc->naddrs ?: 1); i++) {
		err = add_address(sk, ifindex, nc->ip + i, nc->prefix);
		if (err < 0) {
			bproc_log("net: cannot add %s/%u to %s: %s",
				  bproc_cmdline_ntoa(nc->ip + i, a), nc->prefix,
				  ifname_out, nl_geterror(err));
			goto out;
		}
	}

	if (nc->have_gw) {
		err = add_route(sk, ifindex, 0, 0, nc->gw);
		if (err < 0) {
			bproc_log("net: cannot add default route via %s: %s",
				  bproc_cmdline_ntoa(nc->gw, a),
				  nl_geterror(err));
			goto out;
		}
		snprintf(via, sizeof(via), ", default via %s",
			 bproc_cmdline_ntoa(nc->gw, a));
	} else if ((nc->master ^ nc->ip) & bproc_cmdline_netmask(nc->prefix)) {
		/* No gateway and the master is elsewhere: it is on the link. */
		err = add_route(sk, ifindex, nc->master, 32, 0);
		if (err < 0) {
			bproc_log("net: cannot add a route to the master %s: %s",
				  bproc_cmdline_ntoa(nc->master, a),
				  nl_geterror(err));
			goto out;
		}
		snprintf(via, sizeof(via), ", master %s on link",
			 bproc_cmdline_ntoa(nc->master, a));
	}
	bproc_log("net: %s up, %s/%u%s (%s, %lld ms)", ifname_out,
		  bproc_cmdline_ntoa(nc->ip, a), nc->prefix, via,
		  carrier ? "carrier" : "no carrier",
		  (long long)(now_ms() - t0));
	ret = 0;
out:
	if (link)
		rtnl_link_put(link);
	if (cache)
		nl_cache_free(cache);
	nl_socket_free(sk);
	return ret;
}
