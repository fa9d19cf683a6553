// SPDX-License-Identifier: GPL-2.0
/*
 * bpmaster's configuration file parser (common/bpconfig.c): every keyword,
 * the defaults, node numbering, lookups, and each error with its line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "bpconfig.h"

/* ---- helpers ------------------------------------------------------ */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct bpconfig cfg;
static char err[512];

static uint32_t A(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static int parse(const char *text)
{
	return bpconfig_parse_string(text, "t", &cfg, err, sizeof(err));
}

static void ok(const char *text)
{
	if (parse(text)) {
		print_message("config:\n%s\nerror: %s\n", text, err);
		fail();
	}
}

/* @text fails with exactly @msg; nothing is left in cfg. */
static void bad(const char *text, const char *msg)
{
	int r = parse(text);

	if (r != -1 || strcmp(err, msg)) {
		print_message("config:\n%s\nexpected: %s\ngot (%d): %s\n", text, msg,
			      r, err);
		fail();
	}
	assert_int_equal(errno, EINVAL);
	assert_int_equal(cfg.numnodes, 0);
	assert_null(cfg.node_addr);
	assert_null(cfg.libraries);
	bpconfig_free(&cfg);
}

static int teardown(void **state)
{
	(void)state;
	bpconfig_free(&cfg);
	return 0;
}

/* ---- what a good file gives ------------------------------------------ */

static void test_minimal_and_defaults(void **state)
{
	(void)state;
	ok("ip 10.0.0.1\n");
	assert_int_equal(cfg.numnodes, 1);
	assert_int_equal(cfg.node_addr[0], A("10.0.0.1"));
	assert_string_equal(cfg.interface, "");
	assert_int_equal(cfg.interface_addr, 0);
	assert_int_equal(cfg.port, BPCONFIG_PORT);
	assert_int_equal(cfg.port, 2223);
	assert_int_equal(cfg.pingtimeout, 30);
	assert_int_equal(cfg.logfacility, LOG_DAEMON);
	assert_int_equal(cfg.nlibraries, 0);
}

static void test_all_keywords(void **state)
{
	(void)state;
	ok("# the virtual cluster\n"
	   "interface eth1 10.77.0.1\n"
	   "bprocport 3000\n"
	   "pingtimeout 10\n"
	   "logfacility local3\n"
	   "libraries /lib/x86_64-linux-gnu/libc.so* /usr/lib/libbproc.so.5\n"
	   "libraries /opt/lib/*.so\n"
	   "ip 10.77.0.10 10.77.0.11\n"
	   "iprange 10.77.0.12 10.77.0.14\n"
	   "ip 8 10.77.0.100\n"
	   "nodes 12\n");
	assert_string_equal(cfg.interface, "eth1");
	assert_int_equal(cfg.interface_addr, A("10.77.0.1"));
	assert_int_equal(cfg.port, 3000);
	assert_int_equal(cfg.pingtimeout, 10);
	assert_int_equal(cfg.logfacility, LOG_LOCAL3);
	assert_int_equal(cfg.nlibraries, 3);
	assert_string_equal(cfg.libraries[0], "/lib/x86_64-linux-gnu/libc.so*");
	assert_string_equal(cfg.libraries[1], "/usr/lib/libbproc.so.5");
	assert_string_equal(cfg.libraries[2], "/opt/lib/*.so");
	assert_int_equal(cfg.numnodes, 12);
	assert_int_equal(cfg.node_addr[0], A("10.77.0.10"));
	assert_int_equal(cfg.node_addr[1], A("10.77.0.11"));
	assert_int_equal(cfg.node_addr[2], A("10.77.0.12"));
	assert_int_equal(cfg.node_addr[3], A("10.77.0.13"));
	assert_int_equal(cfg.node_addr[4], A("10.77.0.14"));
	assert_int_equal(cfg.node_addr[5], 0);
	assert_int_equal(cfg.node_addr[7], 0);
	assert_int_equal(cfg.node_addr[8], A("10.77.0.100"));
	assert_int_equal(cfg.node_addr[11], 0);
}

static void test_interface_forms(void **state)
{
	(void)state;
	ok("interface eth0\nip 1.2.3.4");
	assert_string_equal(cfg.interface, "eth0");
	assert_int_equal(cfg.interface_addr, 0);
	bpconfig_free(&cfg);
	ok("interface abcdefghijklmno\nip 1.2.3.4");	/* 15 characters */
	assert_string_equal(cfg.interface, "abcdefghijklmno");
	bpconfig_free(&cfg);
	ok("interface enp0s3.100 192.168.1.1\nip 1.2.3.4");
	assert_string_equal(cfg.interface, "enp0s3.100");
}

static void logfacility_accepts_every_syslog_facility_name(void **state)
{
	static const struct {
		const char *name;
		int facility;
	} f[] = {
		{ "daemon", LOG_DAEMON }, { "user", LOG_USER },
		{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
		{ "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
		{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
		{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
	};
	char text[64];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(f); i++) {
		snprintf(text, sizeof(text), "logfacility %s\nip 1.2.3.4\n", f[i].name);
		ok(text);
		assert_int_equal(cfg.logfacility, f[i].facility);
		bpconfig_free(&cfg);
	}
}

static void test_numbers_at_limits(void **state)
{
	(void)state;
	ok("bprocport 1\npingtimeout 1\nip 1.2.3.4\n");
	assert_int_equal(cfg.port, 1);
	assert_int_equal(cfg.pingtimeout, 1);
	bpconfig_free(&cfg);
	ok("bprocport 65535\npingtimeout 3600\nnodes 16384\n");
	assert_int_equal(cfg.port, 65535);
	assert_int_equal(cfg.pingtimeout, 3600);
	assert_int_equal(cfg.numnodes, BPROC_NODES_MAX);
	bpconfig_free(&cfg);
	ok("bprocport 02223\nip 1.2.3.4\n");	/* decimal, zeros allowed */
	assert_int_equal(cfg.port, 2223);
}

/* Without NODE, 'ip' and 'iprange' continue after the highest node so far. */
static void test_node_numbering(void **state)
{
	(void)state;
	ok("ip 5 10.0.0.5\n"
	   "ip 10.0.0.6 10.0.0.7\n"		/* 6, 7 */
	   "ip 0 10.0.0.1\n"			/* below: does not move on */
	   "ip 10.0.0.8\n"			/* 8 */
	   "iprange 10.0.1.254 10.0.2.1\n"	/* 9..12, across an octet */
	   "iprange 20 10.0.3.1 10.0.3.1\n");	/* one address */
	assert_int_equal(cfg.numnodes, 21);
	assert_int_equal(cfg.node_addr[0], A("10.0.0.1"));
	assert_int_equal(cfg.node_addr[1], 0);
	assert_int_equal(cfg.node_addr[5], A("10.0.0.5"));
	assert_int_equal(cfg.node_addr[6], A("10.0.0.6"));
	assert_int_equal(cfg.node_addr[7], A("10.0.0.7"));
	assert_int_equal(cfg.node_addr[8], A("10.0.0.8"));
	assert_int_equal(cfg.node_addr[9], A("10.0.1.254"));
	assert_int_equal(cfg.node_addr[10], A("10.0.1.255"));
	assert_int_equal(cfg.node_addr[11], A("10.0.2.0"));
	assert_int_equal(cfg.node_addr[12], A("10.0.2.1"));
	assert_int_equal(cfg.node_addr[13], 0);
	assert_int_equal(cfg.node_addr[20], A("10.0.3.1"));
}

static void test_nodes_keyword(void **state)
{
	(void)state;
	/* Nodes without an address exist (and stay down). */
	ok("nodes 4\nip 1 10.0.0.2\n");
	assert_int_equal(cfg.numnodes, 4);
	assert_int_equal(cfg.node_addr[0], 0);
	assert_int_equal(cfg.node_addr[1], A("10.0.0.2"));
	assert_int_equal(cfg.node_addr[3], 0);
	bpconfig_free(&cfg);
	/* 'nodes' alone. */
	ok("nodes 3\n");
	assert_int_equal(cfg.numnodes, 3);
	assert_int_equal(cfg.node_addr[2], 0);
	assert_int_equal(bpconfig_node_by_addr(&cfg, A("10.0.0.1")), BPROC_NODE_NONE);
	bpconfig_free(&cfg);
	/* Exactly the highest + 1, before or after. */
	ok("ip 3 10.0.0.4\nnodes 4\n");
	assert_int_equal(cfg.numnodes, 4);
	bpconfig_free(&cfg);
	ok("nodes 4\nip 3 10.0.0.4\n");
	assert_int_equal(cfg.numnodes, 4);
}

static void node_by_addr_finds_configured_nodes_only(void **state)
{
	int i;

	(void)state;
	ok("ip 10.0.0.1 10.0.0.2\nip 7 192.168.0.7\nnodes 9\n");
	assert_int_equal(bpconfig_node_by_addr(&cfg, A("10.0.0.1")), 0);
	assert_int_equal(bpconfig_node_by_addr(&cfg, A("10.0.0.2")), 1);
	assert_int_equal(bpconfig_node_by_addr(&cfg, A("192.168.0.7")), 7);
	assert_int_equal(bpconfig_node_by_addr(&cfg, A("10.0.0.3")), BPROC_NODE_NONE);
	assert_int_equal(bpconfig_node_by_addr(&cfg, 0), BPROC_NODE_NONE);
	assert_int_equal(bpconfig_node_by_addr(&cfg, 0xffffffff), BPROC_NODE_NONE);
	bpconfig_free(&cfg);
	/* After free, and on a zeroed struct: nothing. */
	assert_int_equal(bpconfig_node_by_addr(&cfg, A("10.0.0.1")), BPROC_NODE_NONE);

	/* The largest cluster: every address found, in O(1) each. */
	ok("iprange 10.1.0.1 10.1.64.0\n");
	assert_int_equal(cfg.numnodes, BPROC_NODES_MAX);
	for (i = 0; i < BPROC_NODES_MAX; i++) {
		uint32_t a = htonl(ntohl(A("10.1.0.1")) + (uint32_t)i);

		assert_int_equal(cfg.node_addr[i], a);
		assert_int_equal(bpconfig_node_by_addr(&cfg, a), i);
	}
	assert_int_equal(bpconfig_node_by_addr(&cfg, A("10.1.0.0")), BPROC_NODE_NONE);
	assert_int_equal(bpconfig_node_by_addr(&cfg, A("10.1.64.1")), BPROC_NODE_NONE);
}

static void test_comments_and_space(void **state)
{
	(void)state;
	ok("\n"
	   "# comment\n"
	   "   # indented comment\n"
	   "\t\n"
	   "  \t\n"
	   "ip 10.0.0.1 # trailing comment\n"
	   "\tip\t10.0.0.2\t\t10.0.0.3  \t\n"
	   "ip 10.0.0.4#glued comment\n"
	   "bprocport 4000\r\n"			/* CRLF */
	   "#\n"
	   "ip 10.0.0.5");			/* no final newline */
	assert_int_equal(cfg.numnodes, 5);
	assert_int_equal(cfg.node_addr[2], A("10.0.0.3"));
	assert_int_equal(cfg.node_addr[3], A("10.0.0.4"));
	assert_int_equal(cfg.node_addr[4], A("10.0.0.5"));
	assert_int_equal(cfg.port, 4000);
}

static void test_long_lines(void **state)
{
	char *text = malloc(2 * BPCONFIG_LINE_MAX + 64);
	size_t n;

	(void)state;
	assert_non_null(text);
	/* 4095 characters and a newline: fine. */
	n = (size_t)sprintf(text, "ip 10.0.0.1\n");
	text[n] = '#';
	memset(text + n + 1, 'x', BPCONFIG_LINE_MAX - 2);
	n += BPCONFIG_LINE_MAX - 1;
	strcpy(text + n, "\nip 10.0.0.2\n");
	ok(text);
	assert_int_equal(cfg.numnodes, 2);
	bpconfig_free(&cfg);
	/* One more: refused, even as a comment. */
	n = (size_t)sprintf(text, "ip 10.0.0.1\n");
	text[n] = '#';
	memset(text + n + 1, 'x', BPCONFIG_LINE_MAX - 1);
	n += BPCONFIG_LINE_MAX;
	strcpy(text + n, "\nip 10.0.0.2\n");
	bad(text, "t:2: line longer than 4095 characters");
	/* Also without a newline at the end of the file. */
	text[n] = '\0';
	bad(text, "t:2: line longer than 4095 characters");
	/* A line full of addresses, as long as allowed. */
	n = (size_t)sprintf(text, "ip");
	while (n + 13 < BPCONFIG_LINE_MAX)
		n += (size_t)sprintf(text + n, " 10.2.%zu.%zu", n / 256 % 256, n % 256);
	ok(text);
	assert_true(cfg.numnodes > 350);
	free(text);
}

/* ---- errors ------------------------------------------------------------ */

static void test_unknown_and_arity(void **state)
{
	(void)state;
	bad("ip 10.0.0.1\nfoo bar\n", "t:2: unknown keyword 'foo'");
	bad("IP 10.0.0.1\n", "t:1: unknown keyword 'IP'");
	bad("ip 10.0.0.1\n\n\nbootfile /x\n", "t:4: unknown keyword 'bootfile'");
	bad("interface\n",
	    "t:1: wrong number of arguments; usage: interface IFNAME [ADDR]");
	bad("interface eth0 1.2.3.4 x\n",
	    "t:1: wrong number of arguments; usage: interface IFNAME [ADDR]");
	bad("ip\n", "t:1: wrong number of arguments; usage: ip [NODE] ADDR...");
	bad("iprange 1.2.3.4\n",
	    "t:1: wrong number of arguments; usage: iprange [NODE] FIRST LAST");
	bad("iprange 0 1.2.3.4 1.2.3.5 1.2.3.6\n",
	    "t:1: wrong number of arguments; usage: iprange [NODE] FIRST LAST");
	bad("nodes\n", "t:1: wrong number of arguments; usage: nodes N");
	bad("nodes 1 2\n", "t:1: wrong number of arguments; usage: nodes N");
	bad("bprocport\n", "t:1: wrong number of arguments; usage: bprocport PORT");
	bad("pingtimeout 1 2\n", "t:1: wrong number of arguments; usage: pingtimeout SECONDS");
	bad("libraries\n", "t:1: wrong number of arguments; usage: libraries GLOB...");
	bad("logfacility\n", "t:1: wrong number of arguments; usage: logfacility NAME");
	bad("ip 3\n", "t:1: 'ip 3' gives no address");
}

static void test_mount_lines(void **state)
{
	(void)state;
	ok("ip 10.0.0.1\n"
	   "mount master:/home /home nfs vers=4.2,soft\n"
	   "mount tmpfs /scratch tmpfs   # no options\n");
	assert_int_equal(cfg.nmounts, 2);
	assert_string_equal(cfg.mounts[0].source, "master:/home");
	assert_string_equal(cfg.mounts[0].target, "/home");
	assert_string_equal(cfg.mounts[0].type, "nfs");
	assert_string_equal(cfg.mounts[0].options, "vers=4.2,soft");
	assert_string_equal(cfg.mounts[1].source, "tmpfs");
	assert_string_equal(cfg.mounts[1].options, "");
	bpconfig_free(&cfg);
	assert_null(cfg.mounts);

	bad("ip 1.2.3.4\nmount a /b\n",
	    "t:2: wrong number of arguments; usage: mount SOURCE TARGET TYPE [OPTIONS]");
	bad("ip 1.2.3.4\nmount a /b nfs o p\n",
	    "t:2: wrong number of arguments; usage: mount SOURCE TARGET TYPE [OPTIONS]");
	bad("ip 1.2.3.4\nmount a b nfs\n", "t:2: mount target 'b' is not an absolute path");
	bad("ip 1.2.3.4\nmount a /x/../etc nfs\n",
	    "t:2: mount target '/x/../etc' has a '..' component");
	bad("ip 1.2.3.4\nmount a /x NFS\n", "t:2: mount type 'NFS' is not a file system type");
	/* What the MOUNT frame refuses, the parser refuses first. */
	bad("ip 1.2.3.4\nmount a /x nfs vers=4\x01\n",
	    "t:2: mount options 'vers=4?' are not printable ASCII");
}

static void test_mount_limit(void **state)
{
	char text[64 * 32 + 64];
	size_t n;
	int i;

	(void)state;
	n = (size_t)snprintf(text, sizeof(text), "ip 1.2.3.4\n");
	for (i = 0; i < BPCONFIG_MOUNTS_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "mount t /m%d tmpfs\n", i);
	ok(text);
	assert_int_equal(cfg.nmounts, BPCONFIG_MOUNTS_MAX);
	bpconfig_free(&cfg);
	snprintf(text + n, sizeof(text) - n, "mount t /last tmpfs\n");
	bad(text, "t:66: more than 64 'mount' lines");
}

static void test_bad_addresses(void **state)
{
	static const char *const addrs[] = {
		"10.0.0", "10.0.0.256", "010.0.0.1", "10.0.0.01", "10..0.1",
		"1.2.3.4.5", "10.0.0.1a", "10.0.0.-1", ".1.2.3", "1.2.3.", "1.2.3.4.",
		"0x0a.0.0.1", "1000.0.0.1", "host.example", "10.0.0.1/24",
	};
	char text[128], msg[128];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(addrs); i++) {
		snprintf(text, sizeof(text), "ip %s\n", addrs[i]);
		snprintf(msg, sizeof(msg), "t:1: bad IPv4 address '%s'", addrs[i]);
		bad(text, msg);
		snprintf(text, sizeof(text), "ip 10.9.9.9\niprange 10.0.0.1 %s\n", addrs[i]);
		snprintf(msg, sizeof(msg), "t:2: bad IPv4 address '%s'", addrs[i]);
		bad(text, msg);
	}
	bad("ip abc\n", "t:1: bad IPv4 address 'abc'");
	bad("ip 1 2\n", "t:1: bad IPv4 address '2'");
	bad("ip 0.0.0.0\n", "t:1: address 0.0.0.0 cannot be a host's");
	bad("ip 255.255.255.255\n", "t:1: address 255.255.255.255 cannot be a host's");
	bad("interface eth0 0.0.0.0\nip 1.2.3.4\n", "t:1: address 0.0.0.0 cannot be a host's");
	bad("interface eth0 1.2.3\nip 1.2.3.4\n", "t:1: bad IPv4 address '1.2.3'");
	bad("iprange 255.255.255.254 255.255.255.255\n",
	    "t:1: address 255.255.255.255 cannot be a host's");
}

static void test_bad_nodes(void **state)
{
	(void)state;
	bad("ip 16384 10.0.0.1\n", "t:1: bad node number '16384' (0..16383)");
	bad("ip 99999999999999999999999 10.0.0.1\n",
	    "t:1: bad node number '99999999999999999999999' (0..16383)");
	bad("ip 16383 10.0.0.1 10.0.0.2\n", "t:1: node 16384 out of range (0..16383)");
	bad("iprange x 10.0.0.1 10.0.0.2\n", "t:1: bad node number 'x' (0..16383)");
	bad("iprange -1 10.0.0.1 10.0.0.2\n", "t:1: bad node number '-1' (0..16383)");
	bad("iprange 16380 10.0.0.1 10.0.0.9\n", "t:1: node 16384 out of range (0..16383)");
	bad("iprange 10.0.0.2 10.0.0.1\n", "t:1: empty range: 10.0.0.2 comes after 10.0.0.1");
	bad("iprange 10.0.0.1 10.0.64.1\n", "t:1: range of more than 16384 addresses");
	bad("iprange 1.0.0.1 200.0.0.1\n", "t:1: range of more than 16384 addresses");
}

static void test_duplicates(void **state)
{
	(void)state;
	bad("ip 0 10.0.0.1\nip 0 10.0.0.2\n",
	    "t:2: node 0 already has address 10.0.0.1 (line 1)");
	bad("ip 10.0.0.1\n\nip 10.0.0.1\n",
	    "t:3: address 10.0.0.1 already belongs to node 0 (line 1)");
	bad("ip 10.0.0.1 10.0.0.2 10.0.0.1\n",
	    "t:1: address 10.0.0.1 already belongs to node 0 (line 1)");
	bad("iprange 10.0.0.1 10.0.0.9\niprange 2 10.0.1.1 10.0.1.2\n",
	    "t:2: node 2 already has address 10.0.0.3 (line 1)");
	bad("iprange 10.0.0.1 10.0.0.9\nip 20 10.0.0.5\n",
	    "t:2: address 10.0.0.5 already belongs to node 4 (line 1)");
	bad("ip 10.0.0.1\ninterface eth0\ninterface eth1\n",
	    "t:3: 'interface' given twice (first at line 2)");
	bad("bprocport 1\nbprocport 1\n", "t:2: 'bprocport' given twice (first at line 1)");
	bad("pingtimeout 1\n#\npingtimeout 2\n",
	    "t:3: 'pingtimeout' given twice (first at line 1)");
	bad("nodes 2\nnodes 2\n", "t:2: 'nodes' given twice (first at line 1)");
	bad("logfacility user\nlogfacility user\n",
	    "t:2: 'logfacility' given twice (first at line 1)");
	/* 'ip', 'iprange' and 'libraries' may repeat. */
	ok("libraries /a\nlibraries /a\nip 1.1.1.1\nip 1.1.1.2\niprange 1.1.1.3 1.1.1.3\n");
	assert_int_equal(cfg.nlibraries, 2);
}

static void test_nodes_errors(void **state)
{
	(void)state;
	bad("nodes 0\n", "t:1: bad number of nodes '0' (1..16384)");
	bad("nodes 16385\n", "t:1: bad number of nodes '16385' (1..16384)");
	bad("nodes -1\n", "t:1: bad number of nodes '-1' (1..16384)");
	bad("nodes 4x\n", "t:1: bad number of nodes '4x' (1..16384)");
	bad("ip 10.0.0.1\nip 5 10.0.0.6\nnodes 5\n",
	    "t:3: 'nodes 5' but node 5 has an address (line 2)");
	bad("nodes 2\nip 10.0.0.1 10.0.0.2 10.0.0.3\n",
	    "t:2: node 2 is beyond 'nodes 2' (line 1)");
	bad("nodes 2\niprange 1 10.0.0.1 10.0.0.2\n",
	    "t:2: node 2 is beyond 'nodes 2' (line 1)");
}

static void test_value_errors(void **state)
{
	(void)state;
	bad("bprocport 0\n", "t:1: bad port '0' (1..65535)");
	bad("bprocport 65536\n", "t:1: bad port '65536' (1..65535)");
	bad("bprocport 22x\n", "t:1: bad port '22x' (1..65535)");
	bad("bprocport +22\n", "t:1: bad port '+22' (1..65535)");
	bad("pingtimeout 0\n", "t:1: bad pingtimeout '0' (1..3600 seconds)");
	bad("pingtimeout 3601\n", "t:1: bad pingtimeout '3601' (1..3600 seconds)");
	bad("pingtimeout 1.5\n", "t:1: bad pingtimeout '1.5' (1..3600 seconds)");
	bad("logfacility kern\n",
	    "t:1: unknown log facility 'kern' (daemon, user, local0..local7)");
	bad("logfacility local8\n",
	    "t:1: unknown log facility 'local8' (daemon, user, local0..local7)");
	bad("libraries /lib/a lib/b\n", "t:1: library 'lib/b' is not an absolute path");
	bad("interface abcdefghijklmnop\n", "t:1: bad interface name 'abcdefghijklmnop'");
	bad("interface a/b\n", "t:1: bad interface name 'a/b'");
	bad("interface eth0:1\n", "t:1: bad interface name 'eth0:1'");
	bad("interface .\n", "t:1: bad interface name '.'");
	bad("interface ..\n", "t:1: bad interface name '..'");
}

static void test_no_nodes(void **state)
{
	(void)state;
	bad("", "t: no nodes configured (no 'ip', 'iprange' or 'nodes' line)");
	bad("# nothing\n\n", "t: no nodes configured (no 'ip', 'iprange' or 'nodes' line)");
	bad("interface eth0 10.0.0.1\nbprocport 2223\n",
	    "t: no nodes configured (no 'ip', 'iprange' or 'nodes' line)");
}

static void test_first_error_wins(void **state)
{
	(void)state;
	bad("ip 10.0.0.1\nbprocport 0\nfoo\n", "t:2: bad port '0' (1..65535)");
	/* Even over a file-wide one. */
	bad("bprocport 0\n", "t:1: bad port '0' (1..65535)");
}

static void test_error_text(void **state)
{
	char small[10];

	(void)state;
	/* Words are shown safely: no control characters, bounded. */
	bad("\x1b[31mred\n", "t:1: unknown keyword '?[31mred'");
	bad("ip 10.0.0.1\xff\n", "t:1: bad IPv4 address '10.0.0.1?'");
	bad("libraries xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
	    "t:1: library 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is not an absolute path");
	/* A small buffer gets what fits, terminated; none at all is fine. */
	assert_int_equal(bpconfig_parse_string("foo\n", "t", &cfg, small, sizeof(small)), -1);
	assert_string_equal(small, "t:1: unkn");
	errno = 0;
	assert_int_equal(bpconfig_parse_string("foo\n", "t", &cfg, NULL, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(bpconfig_parse_string("foo\n", "a-very-long-file-name", &cfg,
					       small, sizeof(small)), -1);
	assert_string_equal(small, "a-very-lo");
	/* Success leaves an empty message. */
	strcpy(err, "junk");
	ok("ip 1.2.3.4");
	assert_string_equal(err, "");
}

static void test_nul_byte(void **state)
{
	static const char text[] = "ip 10.0.0.1\nip 10.0.0.2\0junk\n";

	(void)state;
	assert_int_equal(bpconfig_parse_mem(text, sizeof(text) - 1, "t", &cfg, err,
					    sizeof(err)), -1);
	assert_string_equal(err, "t:2: NUL byte in the line");
	assert_int_equal(bpconfig_parse_mem(text, 12, "t", &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.numnodes, 1);
}

static void test_too_many_libraries(void **state)
{
	size_t cap = 16 * (BPCONFIG_LIBS_MAX + 2), n = 0;
	char *text = malloc(cap);
	int i;

	(void)state;
	assert_non_null(text);
	n += (size_t)snprintf(text + n, cap - n, "ip 1.2.3.4\n");
	for (i = 0; i < BPCONFIG_LIBS_MAX; i++)
		n += (size_t)snprintf(text + n, cap - n, "libraries /l%d\n", i);
	ok(text);
	assert_int_equal(cfg.nlibraries, BPCONFIG_LIBS_MAX);
	assert_string_equal(cfg.libraries[BPCONFIG_LIBS_MAX - 1], "/l1023");
	bpconfig_free(&cfg);
	snprintf(text + n, cap - n, "libraries /more\n");
	bad(text, "t:1026: more than 1024 libraries");
	free(text);
}

/* ---- files ------------------------------------------------------------- */

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void parse_file_reads_a_file_and_its_errors_name_it(void **state)
{
	char dir[] = "/tmp/bpconfig.XXXXXX", path[64], msg[128];
	static const char text[] = "interface eth1\nip 10.0.0.1\nbprocport 99\n";
	char *big;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/config", dir);
	write_file(path, text, strlen(text));
	assert_int_equal(bpconfig_parse_file(path, &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.port, 99);
	assert_int_equal(cfg.numnodes, 1);
	bpconfig_free(&cfg);

	/* Errors name the file. */
	write_file(path, "ip 10.0.0.1\nnodes 0\n", 20);
	assert_int_equal(bpconfig_parse_file(path, &cfg, err, sizeof(err)), -1);
	snprintf(msg, sizeof(msg), "%s:2: bad number of nodes '0' (1..16384)", path);
	assert_string_equal(err, msg);
	assert_int_equal(errno, EINVAL);

	/* Too big. */
	big = malloc(BPCONFIG_FILE_MAX + 1);
	assert_non_null(big);
	memset(big, '\n', BPCONFIG_FILE_MAX + 1);
	memcpy(big, "ip 1.2.3.4", 10);
	write_file(path, big, BPCONFIG_FILE_MAX);
	assert_int_equal(bpconfig_parse_file(path, &cfg, err, sizeof(err)), 0);
	bpconfig_free(&cfg);
	write_file(path, big, BPCONFIG_FILE_MAX + 1);
	assert_int_equal(bpconfig_parse_file(path, &cfg, err, sizeof(err)), -1);
	snprintf(msg, sizeof(msg), "%s: longer than %d bytes", path, BPCONFIG_FILE_MAX);
	assert_string_equal(err, msg);
	free(big);

	/* Empty. */
	write_file(path, "", 0);
	assert_int_equal(bpconfig_parse_file(path, &cfg, err, sizeof(err)), -1);
	snprintf(msg, sizeof(msg), "%s: no nodes configured (no 'ip', 'iprange' or 'nodes' line)",
		 path);
	assert_string_equal(err, msg);
	assert_int_equal(unlink(path), 0);

	/* Missing, a directory. */
	assert_int_equal(bpconfig_parse_file(path, &cfg, err, sizeof(err)), -1);
	assert_int_equal(errno, ENOENT);
	snprintf(msg, sizeof(msg), "%s: No such file or directory", path);
	assert_string_equal(err, msg);
	assert_int_equal(bpconfig_parse_file(dir, &cfg, err, sizeof(err)), -1);
	assert_int_equal(errno, EISDIR);
	assert_null(cfg.node_addr);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_minimal_and_defaults, teardown),
		cmocka_unit_test_teardown(test_all_keywords, teardown),
		cmocka_unit_test_teardown(test_mount_lines, teardown),
		cmocka_unit_test_teardown(test_mount_limit, teardown),
		cmocka_unit_test_teardown(test_interface_forms, teardown),
		cmocka_unit_test_teardown(logfacility_accepts_every_syslog_facility_name, teardown),
		cmocka_unit_test_teardown(test_numbers_at_limits, teardown),
		cmocka_unit_test_teardown(test_node_numbering, teardown),
		cmocka_unit_test_teardown(test_nodes_keyword, teardown),
		cmocka_unit_test_teardown(node_by_addr_finds_configured_nodes_only, teardown),
		cmocka_unit_test_teardown(test_comments_and_space, teardown),
		cmocka_unit_test_teardown(test_long_lines, teardown),
		cmocka_unit_test_teardown(test_unknown_and_arity, teardown),
		cmocka_unit_test_teardown(test_bad_addresses, teardown),
		cmocka_unit_test_teardown(test_bad_nodes, teardown),
		cmocka_unit_test_teardown(test_duplicates, teardown),
		cmocka_unit_test_teardown(test_nodes_errors, teardown),
		cmocka_unit_test_teardown(test_value_errors, teardown),
		cmocka_unit_test_teardown(test_no_nodes, teardown),
		cmocka_unit_test_teardown(test_first_error_wins, teardown),
		cmocka_unit_test_teardown(test_error_text, teardown),
		cmocka_unit_test_teardown(test_nul_byte, teardown),
		cmocka_unit_test_teardown(test_too_many_libraries, teardown),
		cmocka_unit_test_teardown(parse_file_reads_a_file_and_its_errors_name_it, teardown),
	};

	return cmocka_run_group_tests_name("bpconfig", tests, NULL, NULL);
}
