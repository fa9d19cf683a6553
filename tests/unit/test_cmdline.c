// SPDX-License-Identifier: GPL-2.0
/*
 * The slave image's kernel command-line parser (initramfs/cmdline.c):
 * the kernel's tokenizing rules, the bproc.* parameters, their errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cmdline.h"

/* ---- helpers ------------------------------------------------------ */

#define IP(a, b, c, d)                                          \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	 (uint32_t)(d))

static struct bproc_boot_config cfg;

static int parse(const char *s)
{
	return bproc_cmdline_parse(s, strlen(s), &cfg);
}

/* A diagnostic of the given kind that starts with @prefix and contains @sub. */
static bool has_diag(bool error, const char *prefix, const char *sub)
{
	unsigned int i;

	for (i = 0; i < cfg.ndiags; i++) {
		const char *t = cfg.diag[i].text;

		if (cfg.diag[i].error == error &&
		    strncmp(t, prefix, strlen(prefix)) == 0 &&
		    (!sub || strstr(t, sub)))
			return true;
	}
	return false;
}

static void dump_diags(void)
{
	unsigned int i;

	for (i = 0; i < cfg.ndiags; i++)
		print_message("diag %u: %s %s\n", i,
			      cfg.diag[i].error ? "error" : "warning",
			      cfg.diag[i].text);
}

/* Exactly one error, about @param, mentioning @sub. */
static void expect_one_error(const char *line, const char *param,
			     const char *sub)
{
	char prefix[32];

	snprintf(prefix, sizeof(prefix), "%s: ", param);
	if (parse(line) != -1 || cfg.nerrors != 1 ||
	    !has_diag(true, prefix, sub)) {
		print_message("cmdline: %s\n", line);
		dump_diags();
	}
	assert_int_equal(parse(line), -1);
	assert_int_equal(cfg.nerrors, 1);
	assert_true(has_diag(true, prefix, sub));
}

#define GOOD "bproc.ip=10.77.0.10/24 bproc.master=10.77.0.1 "

/* Tokens of @line as "param|val;" ("param;" when there is no '='). */
static void tokens(const char *line, size_t len, char *out, size_t outlen)
{
	struct bproc_cmdline_iter it;
	struct bproc_cmdline_arg arg;
	size_t o = 0;

	out[0] = '\0';
	bproc_cmdline_iter_init(&it, line, len);
	while (bproc_cmdline_next(&it, &arg)) {
		int n;

		if (arg.has_val)
			n = snprintf(out + o, outlen - o, "%.*s|%.*s;",
				     (int)arg.param.len, arg.param.ptr,
				     (int)arg.val.len, arg.val.ptr);
		else
			n = snprintf(out + o, outlen - o, "%.*s;",
				     (int)arg.param.len, arg.param.ptr);
		assert_true(n > 0 && (size_t)n < outlen - o);
		o += (size_t)n;
	}
}

static void expect_tokens(const char *line, const char *want)
{
	char got[512];

	tokens(line, strlen(line), got, sizeof(got));
	assert_string_equal(got, want);
}

/* ---- tokenizer ---------------------------------------------------- */

static void test_tok_plain(void **state)
{
	(void)state;
	expect_tokens("a b=c  d\n", "a;b|c;d;");
	expect_tokens("  \t lead=1\ttrail=2 \n", "lead|1;trail|2;");
	expect_tokens("", "");
	expect_tokens(" \n ", "");
	expect_tokens("x= y", "x|;y;");
	expect_tokens("x=a=b", "x|a=b;");
}

static void test_tok_quotes(void **state)
{
	(void)state;
	/* A quoted value loses its quotes and keeps its spaces. */
	expect_tokens("x=\"a b\" y", "x|a b;y;");
	/* A quoted parameter: the kernel strips the outer quotes. */
	expect_tokens("\"x=a b\" y", "x|a b;y;");
	expect_tokens("\"flag\" y", "flag;y;");
	/* Quotes inside a value stay, but still protect spaces. */
	expect_tokens("x=a\"b c\" y", "x|a\"b c\";y;");
	/* An unterminated quote runs to the end. */
	expect_tokens("x=\"a b", "x|a b;");
	/* An opening quote is dropped even without a closing one. */
	expect_tokens("x=\" y", "x| y;");
	expect_tokens("x=\"", "x|;");
	/* As the kernel: '=' at offset 0 is not the separator. */
	expect_tokens("=a=b", "=a|b;");
}

static void test_tok_end(void **state)
{
	char got[128];
	const char nul[] = "a=1 b\0c=3";
	const char nbsp[] = "a=1\xa0" "b=2";

	(void)state;
	/* A bare "--" ends the kernel's parameters... */
	expect_tokens("a -- b=1", "a;");
	/* ...but not one with a value, nor a longer one. */
	expect_tokens("a --=1 --- b", "a;--|1;---;b;");
	/* The text ends at a NUL byte. */
	tokens(nul, sizeof(nul) - 1, got, sizeof(got));
	assert_string_equal(got, "a|1;b;");
	/* The kernel's isspace() includes 0xa0. */
	tokens(nbsp, sizeof(nbsp) - 1, got, sizeof(got));
	assert_string_equal(got, "a|1;b|2;");
}

/* ---- good command lines ------------------------------------------ */

static void ip_and_master_alone_make_a_complete_config(void **state)
{
	(void)state;
	assert_int_equal(parse("BOOT_IMAGE=/vmlinuz console=ttyS0 " GOOD
			       "bproc.node=0 quiet\n"), 0);
	assert_int_equal(cfg.nerrors, 0);
	assert_int_equal(cfg.nwarnings, 0);
	assert_true(cfg.have_ip);
	assert_int_equal(cfg.ip, IP(10, 77, 0, 10));
	assert_int_equal(cfg.prefix, 24);
	assert_true(cfg.have_master);
	assert_int_equal(cfg.master, IP(10, 77, 0, 1));
	assert_int_equal(cfg.port, 2223);
	assert_true(cfg.have_node);
	assert_int_equal(cfg.node, 0);
	assert_false(cfg.have_gw);
	assert_false(cfg.have_ifname);
	assert_string_equal(cfg.ifname, "");
}

static void unset_parameters_take_their_defaults(void **state)
{
	(void)state;
	assert_int_equal(parse(GOOD), 0);
	assert_false(cfg.have_node);
	assert_int_equal(cfg.node, -1);
	assert_int_equal(cfg.port, BPROC_CMDLINE_DEFAULT_PORT);
	assert_int_equal(cfg.ndiags, 0);
}

static void test_all_params(void **state)
{
	(void)state;
	assert_int_equal(parse("bproc.ip=192.168.1.200/16 bproc.master=192.168.0.1:4000 "
			       "bproc.node=2147483646 bproc.gw=192.168.255.254 "
			       "bproc.if=enp0s3"), 0);
	assert_int_equal(cfg.ip, IP(192, 168, 1, 200));
	assert_int_equal(cfg.prefix, 16);
	assert_int_equal(cfg.master, IP(192, 168, 0, 1));
	assert_int_equal(cfg.port, 4000);
	assert_int_equal(cfg.node, 2147483646);
	assert_true(cfg.have_gw);
	assert_int_equal(cfg.gw, IP(192, 168, 255, 254));
	assert_true(cfg.have_ifname);
	assert_string_equal(cfg.ifname, "enp0s3");
}

static void test_edges_accepted(void **state)
{
	(void)state;
	/* /31 (RFC 3021) and /32 have no network/broadcast addresses. */
	assert_int_equal(parse("bproc.ip=10.0.0.0/31 bproc.master=10.0.0.1"), 0);
	assert_int_equal(cfg.prefix, 31);
	assert_int_equal(parse("bproc.ip=10.0.0.255/32 bproc.master=10.0.0.1"), 0);
	assert_int_equal(cfg.prefix, 32);
	assert_int_equal(parse("bproc.ip=1.0.0.1/1 bproc.master=9.9.9.9:65535"), 0);
	assert_int_equal(cfg.port, 65535);
	assert_int_equal(parse("bproc.ip=223.255.255.254/8 bproc.master=10.0.0.1:1"), 0);
	assert_int_equal(cfg.ip, IP(223, 255, 255, 254));
	assert_int_equal(cfg.port, 1);
	/* A 15-byte interface name is the longest. */
	assert_int_equal(parse(GOOD "bproc.if=abcdefghijklmno"), 0);
	assert_string_equal(cfg.ifname, "abcdefghijklmno");
	/* The master may be on another network when there is a gateway. */
	assert_int_equal(parse("bproc.ip=10.0.0.5/24 bproc.master=10.9.0.1 bproc.gw=10.0.0.1"), 0);
	assert_int_equal(cfg.gw, IP(10, 0, 0, 1));
}

static void test_last_wins(void **state)
{
	(void)state;
	/* A bad early value is overridden by a good later one... */
	assert_int_equal(parse("bproc.ip=junk bproc.node=x " GOOD "bproc.node=7"), 0);
	assert_int_equal(cfg.ip, IP(10, 77, 0, 10));
	assert_int_equal(cfg.node, 7);
	/* ...and a good early value by a bad later one. */
	assert_int_equal(parse(GOOD "bproc.ip=junk"), -1);
	assert_false(cfg.have_ip);
	assert_int_equal(parse(GOOD "bproc.master=10.77.0.2 bproc.master=10.77.0.3:99"), 0);
	assert_int_equal(cfg.master, IP(10, 77, 0, 3));
	assert_int_equal(cfg.port, 99);
	/* A later bproc.master without a port gets the default again. */
	assert_int_equal(parse(GOOD "bproc.master=10.77.0.2:99 bproc.master=10.77.0.3"), 0);
	assert_int_equal(cfg.port, 2223);
}

static void test_quoting(void **state)
{
	(void)state;
	assert_int_equal(parse("\"bproc.ip=10.1.2.3/8\" bproc.master=\"10.0.0.1:77\" "
			       "bproc.if=\"eth1\""), 0);
	assert_int_equal(cfg.ip, IP(10, 1, 2, 3));
	assert_int_equal(cfg.port, 77);
	assert_string_equal(cfg.ifname, "eth1");
	/* Quoted white space reaches the value, and is rejected there. */
	expect_one_error(GOOD "bproc.if=\"eth 1\"", "bproc.if", "'eth 1'");
}

static void test_after_dashes(void **state)
{
	(void)state;
	/* Everything after "--" is init's, not the kernel's. */
	assert_int_equal(parse(GOOD "-- bproc.node=bad bproc.ip=junk"), 0);
	assert_false(cfg.have_node);
	assert_int_equal(cfg.ip, IP(10, 77, 0, 10));
	assert_int_equal(parse("bproc.ip=10.0.0.2/24 -- bproc.master=10.0.0.1"), -1);
	assert_true(has_diag(true, "bproc.master: ", "missing"));
}

static void test_unknown_is_warning(void **state)
{
	(void)state;
	assert_int_equal(parse(GOOD "bproc.mastr=1 bproc. bproc bprocx.ip=1"), 0);
	assert_int_equal(cfg.nerrors, 0);
	assert_int_equal(cfg.nwarnings, 2);
	assert_true(has_diag(false, "bproc.mastr: ", "unknown"));
	assert_true(has_diag(false, "bproc.: ", "unknown"));
}

/* ---- bad command lines -------------------------------------------- */

static void no_ip_or_master_is_an_error_for_each(void **state)
{
	(void)state;
	assert_int_equal(parse("console=ttyS0"), -1);
	assert_int_equal(cfg.nerrors, 2);
	assert_true(has_diag(true, "bproc.ip: ", "missing"));
	assert_true(has_diag(true, "bproc.master: ", "missing"));
	assert_false(cfg.have_ip);
	assert_false(cfg.have_master);
	assert_int_equal(cfg.port, 2223);
	assert_int_equal(cfg.node, -1);
	expect_one_error("bproc.master=10.0.0.1", "bproc.ip", "bproc.ip=ADDR/PREFIX");
	expect_one_error("bproc.ip=10.0.0.2/24", "bproc.master", "bproc.master=ADDR[:PORT]");
	assert_int_equal(bproc_cmdline_parse(NULL, 0, &cfg), -1);
	assert_int_equal(cfg.nerrors, 2);
}

static void test_no_value(void **state)
{
	(void)state;
	expect_one_error("bproc.ip bproc.master=10.0.0.1", "bproc.ip", "needs a value");
	expect_one_error("bproc.ip= bproc.master=10.0.0.1", "bproc.ip", "needs a value");
	expect_one_error(GOOD "bproc.node", "bproc.node", "needs a value");
	expect_one_error(GOOD "bproc.gw=", "bproc.gw", "needs a value");
	expect_one_error(GOOD "bproc.if=\"\"", "bproc.if", "needs a value");
}

static void test_bad_ip(void **state)
{
	static const char *const bad_syntax[] = {
		"10.0.0.256/24", "10.0.0/24", "10.0.0.1.1/24", "010.0.0.1/24",
		"10..0.1/24", "+10.0.0.1/24", "10.0.0.1 /24", "a.b.c.d/24",
		"10.0.0.-1/24", "1000.0.0.1/24", "/24", "10.0.0.1\x01/24",
		"0x0a.0.0.1/24",
	};
	char line[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_syntax) / sizeof(bad_syntax[0]); i++) {
		snprintf(line, sizeof(line), "bproc.master=10.0.0.1 \"bproc.ip=%s\"",
			 bad_syntax[i]);
		expect_one_error(line, "bproc.ip", "is not ADDR/PREFIX");
	}
	expect_one_error("bproc.master=10.0.0.1 bproc.ip=10.0.0.2", "bproc.ip",
			 "no prefix length");
	expect_one_error("bproc.master=10.0.0.1 bproc.ip=10.0.0.2/0", "bproc.ip", "1..32");
	expect_one_error("bproc.master=10.0.0.1 bproc.ip=10.0.0.2/33", "bproc.ip", "1..32");
	expect_one_error("bproc.master=10.0.0.1 bproc.ip=10.0.0.2/024", "bproc.ip", "1..32");
	expect_one_error("bproc.master=10.0.0.1 bproc.ip=10.0.0.2/", "bproc.ip", "1..32");
	expect_one_error("bproc.master=10.0.0.1 bproc.ip=10.0.0.2/24/1", "bproc.ip", "1..32");
	expect_one_error("bproc.master=10.0.0.1 bproc.ip=127.0.0.2/8", "bproc.ip", "loopback");
	expect_one_error("bproc.master=10.0.0.1 bproc.ip=0.1.2.3/8", "bproc.ip", "0.0.0.0/8");
	expect_one_error("bproc.master=10.0.0.1 bproc.ip=224.0.0.5/24", "bproc.ip", "multicast");
	expect_one_error("bproc.master=10.0.0.1 bproc.ip=255.255.255.255/32", "bproc.ip", "broadcast");
	expect_one_error("bproc.master=10.0.0.1 bproc.ip=10.0.0.0/24", "bproc.ip", "network address");
	expect_one_error("bproc.master=10.0.0.1 bproc.ip=10.0.0.255/24", "bproc.ip", "broadcast address");
	expect_one_error("bproc.master=10.0.0.1 bproc.ip=10.0.0.3/30", "bproc.ip", "broadcast address");
}

static void test_bad_master(void **state)
{
	(void)state;
	expect_one_error("bproc.ip=10.0.0.2/24 bproc.master=master", "bproc.master", "'master'");
	expect_one_error("bproc.ip=10.0.0.2/24 bproc.master=10.0.0.1:0", "bproc.master", "1..65535");
	expect_one_error("bproc.ip=10.0.0.2/24 bproc.master=10.0.0.1:65536", "bproc.master", "1..65535");
	expect_one_error("bproc.ip=10.0.0.2/24 bproc.master=10.0.0.1:", "bproc.master", "1..65535");
	expect_one_error("bproc.ip=10.0.0.2/24 bproc.master=10.0.0.1:22x", "bproc.master", "1..65535");
	expect_one_error("bproc.ip=10.0.0.2/24 bproc.master=10.0.0.1:-1", "bproc.master", "1..65535");
	expect_one_error("bproc.ip=10.0.0.2/24 bproc.master=10.0.0.1:1:2", "bproc.master", "1..65535");
	expect_one_error("bproc.ip=10.0.0.2/24 bproc.master=10.0.0.1/24", "bproc.master", "ADDR[:PORT]");
	expect_one_error("bproc.ip=10.0.0.2/24 bproc.master=10.0.0.2", "bproc.master", "own address");
	expect_one_error("bproc.ip=10.0.0.2/24 bproc.master=127.0.0.1", "bproc.master", "loopback");
	expect_one_error("bproc.ip=10.0.0.2/24 bproc.master=239.1.1.1", "bproc.master", "multicast");
	expect_one_error("bproc.ip=10.0.0.2/24 bproc.master=0.0.0.0", "bproc.master", "0.0.0.0/8");
}

static void test_bad_node(void **state)
{
	(void)state;
	expect_one_error(GOOD "bproc.node=-1", "bproc.node", "0..2147483646");
	expect_one_error(GOOD "bproc.node=2147483647", "bproc.node", "'2147483647'");
	expect_one_error(GOOD "bproc.node=99999999999", "bproc.node", "is not a node number");
	expect_one_error(GOOD "bproc.node=01", "bproc.node", "'01'");
	expect_one_error(GOOD "bproc.node=x", "bproc.node", "'x'");
	expect_one_error(GOOD "bproc.node=1.5", "bproc.node", "'1.5'");
	expect_one_error(GOOD "bproc.node=\" 1\"", "bproc.node", "' 1'");
	assert_false(cfg.have_node);
	assert_int_equal(cfg.node, -1);
}

static void test_bad_gw(void **state)
{
	(void)state;
	expect_one_error(GOOD "bproc.gw=gateway", "bproc.gw", "'gateway'");
	expect_one_error(GOOD "bproc.gw=10.77.1.1", "bproc.gw", "not in this node's network 10.77.0.0/24");
	expect_one_error(GOOD "bproc.gw=10.77.0.10", "bproc.gw", "own address");
	expect_one_error(GOOD "bproc.gw=10.77.0.255", "bproc.gw", "broadcast");
	expect_one_error(GOOD "bproc.gw=10.77.0.0", "bproc.gw", "network");
	expect_one_error(GOOD "bproc.gw=127.0.0.1", "bproc.gw", "loopback");
	expect_one_error("bproc.ip=10.0.0.5/32 bproc.master=10.0.0.1 bproc.gw=10.0.0.6",
			 "bproc.gw", "not in this node's network");
	assert_false(cfg.have_gw);
	/* Without a usable bproc.ip, the gateway itself is still checked. */
	assert_int_equal(parse("bproc.master=10.0.0.1 bproc.gw=10.0.0.300"), -1);
	assert_int_equal(cfg.nerrors, 2);
	assert_true(has_diag(true, "bproc.gw: ", "'10.0.0.300'"));
}

/* bproc.nodes=K: K nodes on one machine, at K consecutive addresses. */
static void several_nodes_take_consecutive_addresses(void **state)
{
	(void)state;
	assert_int_equal(parse(GOOD), 0);
	assert_int_equal(cfg.nodes, 1);
	assert_int_equal(parse(GOOD "bproc.node=4 bproc.nodes=32"), 0);
	assert_int_equal(cfg.nodes, 32);
	assert_int_equal(cfg.node, 4);
	assert_int_equal(parse(GOOD "bproc.nodes=64"), 0);
	assert_int_equal(cfg.nodes, 64);
	/* The last address of the network is its broadcast address. */
	assert_int_equal(parse("bproc.ip=10.77.0.250/24 bproc.master=10.77.0.1 bproc.nodes=5"), 0);
	expect_one_error("bproc.ip=10.77.0.250/24 bproc.master=10.77.0.1 bproc.nodes=6",
			 "bproc.nodes", "10.77.0.255 (bproc.ip + 5)");
	expect_one_error("bproc.ip=10.77.0.10/24 bproc.master=10.77.0.12 bproc.nodes=4",
			 "bproc.nodes", "10.77.0.12 (bproc.ip + 2)");
	expect_one_error(GOOD "bproc.gw=10.77.0.11 bproc.nodes=2", "bproc.nodes",
			 "10.77.0.11");
	expect_one_error(GOOD "bproc.node=2147483646 bproc.nodes=2", "bproc.nodes",
			 "past node 2147483646");
	expect_one_error(GOOD "bproc.nodes=0", "bproc.nodes", "1..64");
	expect_one_error(GOOD "bproc.nodes=65", "bproc.nodes", "'65'");
	expect_one_error(GOOD "bproc.nodes=x", "bproc.nodes", "'x'");
	assert_int_equal(cfg.nodes, 1);
}

static void test_bad_if(void **state)
{
	(void)state;
	expect_one_error(GOOD "bproc.if=abcdefghijklmnop", "bproc.if", "1..15 bytes");
	expect_one_error(GOOD "bproc.if=a/b", "bproc.if", "'a/b'");
	expect_one_error(GOOD "bproc.if=eth0:1", "bproc.if", "'eth0:1'");
	expect_one_error(GOOD "bproc.if=.", "bproc.if", "'.'");
	expect_one_error(GOOD "bproc.if=..", "bproc.if", "'..'");
	expect_one_error(GOOD "bproc.if=\"a\tb\"", "bproc.if", "'a?b'");
	assert_false(cfg.have_ifname);
	assert_string_equal(cfg.ifname, "");
}

static void test_several_errors(void **state)
{
	(void)state;
	assert_int_equal(parse("bproc.ip=1 bproc.master=2 bproc.node=3x bproc.gw=4 bproc.if=a/b"), -1);
	assert_int_equal(cfg.nerrors, 5);
	assert_int_equal(cfg.ndiags, 5);
	assert_true(has_diag(true, "bproc.ip: ", NULL));
	assert_true(has_diag(true, "bproc.master: ", NULL));
	assert_true(has_diag(true, "bproc.node: ", NULL));
	assert_true(has_diag(true, "bproc.gw: ", NULL));
	assert_true(has_diag(true, "bproc.if: ", NULL));
}

static void test_diag_overflow(void **state)
{
	char line[512] = GOOD;
	int i;

	(void)state;
	for (i = 0; i < 12; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line),
			 "bproc.x%d=1 ", i);
	assert_int_equal(parse(line), 0);
	assert_int_equal(cfg.nwarnings, 12);
	assert_int_equal(cfg.ndiags, BPROC_CMDLINE_MAX_DIAGS);
	assert_int_equal(cfg.ndropped, 12 - BPROC_CMDLINE_MAX_DIAGS);
	assert_string_equal(cfg.diag[0].text, "bproc.x0: unknown bproc parameter, ignored");
}

static void test_value_shown_safely(void **state)
{
	const char *t;

	(void)state;
	/* Long values are cut at 40 bytes; control bytes become '?'. */
	assert_int_equal(parse(GOOD "bproc.node=\"\x1b[2J0123456789012345678901234567890123456789\""), -1);
	assert_int_equal(cfg.ndiags, 1);
	t = cfg.diag[0].text;
	assert_non_null(strstr(t, "'?[2J012345678901234567890123456789012345...'"));
	assert_null(strchr(t, '\x1b'));
}

static void ntoa_and_netmask_convert_addresses_and_prefixes(void **state)
{
	char buf[16];

	(void)state;
	assert_string_equal(bproc_cmdline_ntoa(IP(10, 77, 0, 1), buf), "10.77.0.1");
	assert_string_equal(bproc_cmdline_ntoa(IP(255, 255, 255, 255), buf), "255.255.255.255");
	assert_string_equal(bproc_cmdline_ntoa(0, buf), "0.0.0.0");
	assert_int_equal(bproc_cmdline_netmask(0), 0);
	assert_int_equal(bproc_cmdline_netmask(1), 0x80000000u);
	assert_int_equal(bproc_cmdline_netmask(24), 0xffffff00u);
	assert_int_equal(bproc_cmdline_netmask(32), 0xffffffffu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tok_plain),
		cmocka_unit_test(test_tok_quotes),
		cmocka_unit_test(test_tok_end),
		cmocka_unit_test(ip_and_master_alone_make_a_complete_config),
		cmocka_unit_test(unset_parameters_take_their_defaults),
		cmocka_unit_test(test_all_params),
		cmocka_unit_test(test_edges_accepted),
		cmocka_unit_test(test_last_wins),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_after_dashes),
		cmocka_unit_test(test_unknown_is_warning),
		cmocka_unit_test(no_ip_or_master_is_an_error_for_each),
		cmocka_unit_test(test_no_value),
		cmocka_unit_test(test_bad_ip),
		cmocka_unit_test(test_bad_master),
		cmocka_unit_test(test_bad_node),
		cmocka_unit_test(test_bad_gw),
		cmocka_unit_test(several_nodes_take_consecutive_addresses),
		cmocka_unit_test(test_bad_if),
		cmocka_unit_test(test_several_errors),
		cmocka_unit_test(test_diag_overflow),
		cmocka_unit_test(test_value_shown_safely),
		cmocka_unit_test(ntoa_and_netmask_convert_addresses_and_prefixes),
	};

	return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
