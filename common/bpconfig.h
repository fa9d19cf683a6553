/* SPDX-License-Identifier: GPL-2.0-only OR LGPL-2.1-only */
/*
 * bpconfig - the parser of bpmaster's configuration file (/etc/bproc/config).
 * The format is described in bproc.conf(5) (Documentation/man/bproc.conf.5).
 * User space only (C11).
 *
 *	struct bpconfig cfg;
 *	char err[256];
 *
 *	if (bpconfig_parse_file(path, &cfg, err, sizeof(err)) < 0) {
 *		fprintf(stderr, "bpmaster: %s\n", err);	// "FILE:LINE: message"
 *		exit(1);
 *	}
 *	node = bpconfig_node_by_addr(&cfg, peer.sin_addr.s_addr);
 *	...
 *	bpconfig_free(&cfg);
 *
 * A parse either succeeds completely or fills nothing: on error @cfg holds
 * no memory (bpconfig_free() on it is harmless) and @err says, for the first
 * error in the file, "FILE:LINE: message" (or "FILE: message" for an error
 * about the whole file, such as "no nodes configured").  To reload, parse
 * into a second struct bpconfig and swap on success.
 */
#ifndef BPROC_BPCONFIG_H
#define BPROC_BPCONFIG_H

#include <stddef.h>
#include <stdint.h>

#include <linux/bproc.h>

#define BPCONFIG_PATH		"/etc/bproc/config"
#define BPCONFIG_PORT		2223	/* bprocport default */
#define BPCONFIG_PINGTIMEOUT	30	/* pingtimeout default, seconds */
#define BPCONFIG_PINGTIMEOUT_MAX 3600

/* Limits: a longer line, a bigger file or more globs is an error. */
#define BPCONFIG_LINE_MAX	4096	/* bytes per line, newline included */
#define BPCONFIG_FILE_MAX	(4 << 20)	/* bytes */
#define BPCONFIG_LIBS_MAX	1024	/* 'libraries' globs in all */
#define BPCONFIG_IFNAME_MAX	15	/* IFNAMSIZ - 1 */
#define BPCONFIG_MOUNTS_MAX	64	/* 'mount' lines */

/*
 * struct bpconfig_mount - a 'mount SOURCE TARGET TYPE [OPTIONS]' line: a
 * file system every slave mounts at boot, in file order.  The four strings
 * share one allocation (@source's); @options is "" when not given.  They
 * pass the rules of the protocol's MOUNT frame (bpwire.h).
 */
struct bpconfig_mount {
	char *source;
	char *target;
	char *type;
	char *options;
};

/*
 * struct bpconfig - a parsed configuration
 * @interface:      'interface' name, "" if not given.
 * @interface_addr: its ADDR (IPv4, network byte order), 0 if not given.
 * @port:           'bprocport', 1..65535 (BPCONFIG_PORT).
 * @pingtimeout:    'pingtimeout' in seconds, 1..BPCONFIG_PINGTIMEOUT_MAX
 *                  (BPCONFIG_PINGTIMEOUT).
 * @logfacility:    'logfacility' as a syslog(3) facility (LOG_DAEMON,
 *                  LOG_USER, LOG_LOCAL0..LOG_LOCAL7; LOG_DAEMON by default).
 * @numnodes:       nodes in the cluster, 1..BPROC_NODES_MAX: the largest of
 *                  'nodes N' and the highest node given an address + 1.
 * @node_addr:      @numnodes IPv4 addresses (network byte order) indexed by
 *                  node; 0 for a node without one (it can never connect,
 *                  so it stays down).  Addresses are unique.
 * @libraries:      the 'libraries' globs in file order, unexpanded.
 * @nlibraries:     how many.
 * @mounts:         the 'mount' lines in file order.
 * @nmounts:        how many.
 * @addr_hash:      private (bpconfig_node_by_addr()).
 * @addr_hash_mask: private.
 */
struct bpconfig {
	char interface[BPCONFIG_IFNAME_MAX + 1];
	uint32_t interface_addr;
	uint16_t port;
	unsigned int pingtimeout;
	int logfacility;
	int numnodes;
	uint32_t *node_addr;
	char **libraries;
	unsigned int nlibraries;
	struct bpconfig_mount *mounts;
	unsigned int nmounts;
	int16_t *addr_hash;
	uint32_t addr_hash_mask;
};

/*
 * bpconfig_parse_file - read and parse @path (at most BPCONFIG_FILE_MAX
 * bytes).  Returns 0, or -1 with @err (of @errlen bytes, truncated to fit)
 * set to "FILE:LINE: message", or "FILE: message" for a file that cannot
 * be read ("...: No such file or directory") or configures no node.
 * errno is set: ENOENT etc. from the file system, ENOMEM, else EINVAL.
 */
int bpconfig_parse_file(const char *path, struct bpconfig *cfg, char *err,
			size_t errlen);

/*
 * bpconfig_parse_mem - parse @len bytes of configuration text called @name
 * in messages (a NUL byte in it is an error).  As bpconfig_parse_file().
 */
int bpconfig_parse_mem(const char *text, size_t len, const char *name,
		       struct bpconfig *cfg, char *err, size_t errlen);

/* bpconfig_parse_string - the same for a C string. */
int bpconfig_parse_string(const char *text, const char *name,
			  struct bpconfig *cfg, char *err, size_t errlen);

/* bpconfig_free - release what a successful parse allocated; zeroes @cfg. */
void bpconfig_free(struct bpconfig *cfg);

/*
 * bpconfig_node_by_addr - the node configured with IPv4 address @be_addr
 * (network byte order), or BPROC_NODE_NONE if there is none.  O(1).
 */
int bpconfig_node_by_addr(const struct bpconfig *cfg, uint32_t be_addr);

#endif /* BPROC_BPCONFIG_H */
