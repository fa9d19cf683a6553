// SPDX-License-Identifier: GPL-2.0
/*
 * nodes_api4 - a program written to the bproc 4 header: BPROC_API_4
 * selects bproc_nodeaddr(node, sa, &size); it also uses bproc_nodelist(),
 * bproc_currnode() and bproc_nodestatus().  The qemu tests build it with
 * cc against the installed <sys/bproc.h> and -lbproc.
 *
 * Prints one line per node, "NODE STATUS ADDR", on standard output, and
 * where it runs (-1 on the master) on standard error.  Exits 0, or 1 with a
 * message if a call fails.
 */
#define BPROC_API_4
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <sys/bproc.h>

int main(void)
{
	struct bproc_node_set_t ns;
	char status[BPROC_STATE_LEN + 1];
	struct sockaddr_in sin;
	int i, n, node, size;

	n = bproc_nodelist(&ns);
	if (n < 0) {
		fprintf(stderr, "nodes_api4: bproc_nodelist: %s\n", bproc_strerror(errno));
		return 1;
	}
	for (i = 0; i < n; i++) {
		node = bproc_node_set_node(&ns, i)->node;
		if (bproc_nodestatus(node, status, sizeof(status)) < 0) {
			fprintf(stderr, "nodes_api4: bproc_nodestatus(%d): %s\n", node,
				bproc_strerror(errno));
			return 1;
		}
		size = sizeof(sin);
		if (bproc_nodeaddr(node, (struct sockaddr *)&sin, &size) < 0 ||
		    size != (int)sizeof(sin)) {
			fprintf(stderr, "nodes_api4: bproc_nodeaddr(%d): %s\n", node,
				bproc_strerror(errno));
			return 1;
		}
		printf("%d %s %s\n", node, status, inet_ntoa(sin.sin_addr));
	}
	bproc_nodeset_free(&ns);

	errno = 0;
	node = bproc_currnode();
	if (node == -1 && errno) {
		fprintf(stderr, "nodes_api4: bproc_currnode: %s\n", bproc_strerror(errno));
		return 1;
	}
	fprintf(stderr, "nodes_api4: running on node %d\n", node);
	return 0;
}
