/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network set-up of a slave node with libnl-route (rtnetlink): no ip(8), no
 * shell.  Called once by init (init.c) after the NIC's modules are loaded.
 */
#ifndef BPROC_INITRAMFS_NET_H
#define BPROC_INITRAMFS_NET_H

#include <stdbool.h>
#include <stdint.h>

#include "cmdline.h"

struct bproc_net_config {
	const char *ifname;	/* NULL or "": the first ethernet link */
	uint32_t ip;		/* host byte order */
	unsigned int prefix;	/* 1..32 */
	unsigned int naddrs;	/* ip, ip + 1, ... ip + naddrs - 1 (0: 1) */
	bool have_gw;
	uint32_t gw;		/* default route via this address */
	uint32_t master;	/* gets a link route if outside the subnet */
	unsigned int wait_ms;	/* bound on waiting for the link to appear and
				 * to have carrier */
};

/*
 * Bring lo and the node's interface up, add ip/prefix (and the next
 * naddrs - 1 addresses: one for each node the machine is) to the interface and
 * the route (default via gw; else a link route to the master when it is not
 * on the node's subnet).  Returns 0 when the address and route are in place
 * (*ifname_out names the interface used), -1 otherwise; logs every step that
 * fails through bproc_log().  A link without carrier after wait_ms is
 * configured anyway and reported.
 */
int bproc_net_setup(const struct bproc_net_config *nc,
		    char ifname_out[BPROC_CMDLINE_IFNAMSIZ]);

/* Provided by the program that uses this file (init.c). */
__attribute__((format(printf, 1, 2)))
void bproc_log(const char *fmt, ...);

#endif /* BPROC_INITRAMFS_NET_H */
