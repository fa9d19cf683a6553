// SPDX-License-Identifier: GPL-2.0
/*
 * nodes_manual - a program written to the original bproc manual's node
 * calls: bproc_init(), bproc_numnodes(), bproc_nodeup() and
 * bproc_nodeaddr(node, sa, size) with the size by value.  The qemu tests
 * build it with cc against the installed <sys/bproc.h> and -lbproc.
 *
 * Prints one line per node, "NODE STATUS ADDR"; the manual's API only
 * tells up from not up, so STATUS is "up" or "notup".  Exits 0, or 1 with
 * a message if a call fails.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <sys/bproc.h>

int main(void)
{
	struct sockaddr_in sin;
	int i, n;

	if (bproc_init() < 0) {
		fprintf(stderr, "nodes_manual: bproc_init: %s\n", strerror(errno));
		return 1;
	}
	n = bproc_numnodes();
	if (n < 0) {
		fprintf(stderr, "nodes_manual: bproc_numnodes: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (bproc_nodeaddr(i, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
			fprintf(stderr, "nodes_manual: bproc_nodeaddr(%d): %s\n", i,
				strerror(errno));
			return 1;
		}
		printf("%d %s %s\n", i, bproc_nodeup(i) ? "up" : "notup",
		       inet_ntoa(sin.sin_addr));
	}
	return 0;
}
