// SPDX-License-Identifier: GPL-2.0
/*
 * libbproc's node sets and nodespec parser (lib/nodeset.c, lib/nodespec.c):
 * the grammar on an in-memory node set, its errors, and the set helpers.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <cmocka.h>

#include <sys/bproc.h>

#include "internal.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- helpers ------------------------------------------------------ */

static struct bproc_node_info_t mk(int node, const char *status)
{
	struct bproc_node_info_t n;

	memset(&n, 0, sizeof(n));
	n.node = node;
	snprintf(n.status, sizeof(n.status), "%s", status);
	n.mode = 0111;
	n.user = 100 + (unsigned int)node;
	return n;
}

/* A set of @count nodes with the given numbers and states. */
static void make_set(struct bproc_node_set_t *ns, int count,
		     const int *nodes, const char *const *states)
{
	int i;

	assert_int_equal(bproc_nodeset_init(ns, 0), 0);
	for (i = 0; i < count; i++) {
		struct bproc_node_info_t n = mk(nodes[i], states[i]);

		assert_int_equal(bproc_nodeset_add(ns, &n), 0);
	}
}

/* The standard cluster: nodes 0..7. */
static const int std_nodes[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
static const char *const std_states[] = {
	"up", "up", "down", "error", "up", "unavailable", "boot", "up",
};

static struct bproc_node_set_t cluster;

/*
 * Run the parser on @in and describe the result: "0,1,2" (node numbers in
 * order), "" for an empty selection, or "E:EINVAL" / "E:ENODEV".
 */
static const char *run(const struct bproc_node_set_t *in, const char *spec)
{
	static char buf[4096];
	struct bproc_node_set_t out;
	size_t o = 0;
	int i, r;

	memset(&out, 0x5a, sizeof(out));	/* must be overwritten */
	errno = 0;
	r = bproc_lib_nodespec(&out, in, spec, NULL);
	if (r != 0) {
		assert_int_equal(r, -1);
		assert_int_equal(out.size, 0);
		assert_null(out.node);
		snprintf(buf, sizeof(buf), "E:%s",
			 errno == EINVAL ? "EINVAL" : errno == ENODEV ? "ENODEV" :
			 errno == ENOMEM ? "ENOMEM" : "other");
		return buf;
	}
	buf[0] = '\0';
	for (i = 0; i < out.size && o < sizeof(buf) - 16; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%d",
				      i ? "," : "", out.node[i].node);
	bproc_nodeset_free(&out);
	return buf;
}

static void expect(const char *spec, const char *want)
{
	const char *got = run(&cluster, spec);

	if (strcmp(got, want))
		print_message("nodespec \"%s\": got \"%s\", want \"%s\"\n",
			      spec, got, want);
	assert_string_equal(got, want);
}

static int setup(void **state)
{
	(void)state;
	make_set(&cluster, 8, std_nodes, std_states);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	bproc_nodeset_free(&cluster);
	return 0;
}

/* ---- the grammar -------------------------------------------------- */

static void test_numbers(void **state)
{
	(void)state;
	expect("3", "3");
	expect("0", "0");
	expect("7", "7");
	expect("1,3,5", "1,3,5");
	expect("007", "7");		/* decimal, not octal */
	expect("n3", "3");		/* the original's prefixes */
	expect(".3", "3");
	expect("n1-n3", "1,2,3");
	expect(".6-", "6,7");
}

static void test_ranges(void **state)
{
	(void)state;
	expect("0-7", "0,1,2,3,4,5,6,7");
	expect("2-4", "2,3,4");
	expect("4-4", "4");
	expect("5-", "5,6,7");
	expect("7-", "7");
	expect("0-", "0,1,2,3,4,5,6,7");
}

static void test_order_and_duplicates(void **state)
{
	(void)state;
	expect("3,1,3", "3,1,3");
	expect("5-7,0-1", "5,6,7,0,1");
	expect("2,all", "2,0,1,2,3,4,5,6,7");
	expect("up,up", "0,1,4,7,0,1,4,7");
}

static void test_words(void **state)
{
	(void)state;
	expect("all", "0,1,2,3,4,5,6,7");
	expect("master", "-1");
	expect("master,0", "-1,0");
	expect("0,master,1", "0,-1,1");
	expect("up", "0,1,4,7");
	expect("allup", "0,1,4,7");
	expect("down", "2");
	expect("error", "3");
	expect("unavailable", "5");
	expect("boot", "6");
	expect("reboot", "");
	expect("halt", "");
	expect("pwroff", "");
}

static void test_negation(void **state)
{
	(void)state;
	expect("!error", "0,1,2,4,5,6,7");
	expect("!down", "0,1,3,4,5,6,7");
	expect("notdown", "0,1,3,4,5,6,7");
	expect("allnotdown", "0,1,3,4,5,6,7");
	expect("all!down", "0,1,3,4,5,6,7");
	expect("!up", "2,3,5,6");
	expect("!reboot", "0,1,2,3,4,5,6,7");
	expect("!error,master", "0,1,2,4,5,6,7,-1");
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"", ",", "1,", ",1", "1,,2", " 1", "1 ", "1, 2", "\t",
		"-1", "+1", "-", "5-3", "1-2-3", "1--2", "--", "1-x", "x-1",
		"0x3", "3a", "3.", "n", ".", "nn3", "n.3", "N3",
		"foo", "All", "UP", "Up", "alL", "up ", "upp", "u",
		"!", "not", "all!", "allnot", "!all", "!master", "notmaster",
		"master2", "allmaster", "!!up", "notnotup", "!notup", "not!up",
		"allall", "allallup", "all up", "up!", "up-", "master-",
		"1-master", "all-3", "\xff", "3\n", "3;4",
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		expect(bad[i], "E:EINVAL");
}

static void test_out_of_range(void **state)
{
	(void)state;
	expect("8", "E:ENODEV");
	expect("8-", "E:ENODEV");
	expect("0-8", "E:ENODEV");
	expect("7-99", "E:ENODEV");
	expect("2147483647", "E:ENODEV");
	expect("2147483648", "E:ENODEV");
	expect("99999999999999999999999999", "E:ENODEV");
	expect("0-99999999999999999999999999", "E:ENODEV");
	/* the first error wins, left to right */
	expect("9,foo", "E:ENODEV");
	expect("foo,9", "E:EINVAL");
}

static void nodes_missing_from_the_cluster_are_skipped_by_ranges_and_enodev_alone(void **state)
{
	static const int nodes[] = { 5, 0, 2, 2 };
	static const char *const states[] = { "up", "down", "up", "error" };
	struct bproc_node_set_t in;

	(void)state;
	make_set(&in, 4, nodes, states);
	assert_string_equal(run(&in, "all"), "0,2,5");
	assert_string_equal(run(&in, "0-5"), "0,2,5");
	assert_string_equal(run(&in, "3-4"), "");
	assert_string_equal(run(&in, "1"), "E:ENODEV");
	assert_string_equal(run(&in, "6"), "E:ENODEV");
	assert_string_equal(run(&in, "1-"), "2,5");
	/* node 2 twice in the input: the first entry counts */
	assert_string_equal(run(&in, "up"), "2,5");
	assert_string_equal(run(&in, "error"), "");
	bproc_nodeset_free(&in);
}

static void test_empty_input(void **state)
{
	struct bproc_node_set_t in = BPROC_EMPTY_NODESET;

	(void)state;
	assert_string_equal(run(&in, "all"), "");
	assert_string_equal(run(&in, "up"), "");
	assert_string_equal(run(&in, "!up"), "");
	assert_string_equal(run(&in, "master"), "-1");
	assert_string_equal(run(&in, "0"), "E:ENODEV");
	assert_string_equal(run(&in, "0-"), "E:ENODEV");
	assert_string_equal(run(&in, "0-0"), "E:ENODEV");
	assert_string_equal(run(&in, ""), "E:EINVAL");
}

static void test_master_entry(void **state)
{
	struct bproc_node_set_t out, in;
	struct bproc_node_info_t m = mk(BPROC_NODE_MASTER, "up");
	struct sockaddr_in sin;
	static const int nodes[] = { 0, -1, 1 };
	static const char *const states[] = { "up", "up", "down" };

	(void)state;
	/* the stand-in: "up", mode 0111, root, AF_INET 0.0.0.0 */
	assert_int_equal(bproc_lib_nodespec(&out, &cluster, "master", NULL), 0);
	assert_int_equal(out.size, 1);
	assert_int_equal(out.node[0].node, -1);
	assert_string_equal(out.node[0].status, "up");
	assert_int_equal(out.node[0].mode, 0111);
	assert_int_equal(out.node[0].user, 0);
	memcpy(&sin, &out.node[0].addr, sizeof(sin));
	assert_int_equal(sin.sin_family, AF_INET);
	assert_int_equal(sin.sin_addr.s_addr, 0);
	bproc_nodeset_free(&out);

	/* a given master record */
	m.user = 4242;
	assert_int_equal(bproc_lib_nodespec(&out, &cluster, "master", &m), 0);
	assert_int_equal(out.node[0].user, 4242);
	bproc_nodeset_free(&out);

	/* bproc_nodefilter() uses the input's own -1 entry; "all" skips it */
	make_set(&in, 3, nodes, states);
	in.node[1].user = 77;
	assert_int_equal(bproc_nodefilter(&out, &in, "master,all"), 0);
	assert_int_equal(out.size, 3);
	assert_int_equal(out.node[0].node, -1);
	assert_int_equal(out.node[0].user, 77);
	assert_int_equal(out.node[1].node, 0);
	assert_int_equal(out.node[2].node, 1);
	bproc_nodeset_free(&out);
	assert_string_equal(run(&in, "up"), "0");
	bproc_nodeset_free(&in);
}

static void test_entries_copied(void **state)
{
	struct bproc_node_set_t out;

	(void)state;
	assert_int_equal(bproc_nodefilter(&out, &cluster, "5,3"), 0);
	assert_int_equal(out.size, 2);
	assert_memory_equal(&out.node[0], &cluster.node[5], sizeof(out.node[0]));
	assert_memory_equal(&out.node[1], &cluster.node[3], sizeof(out.node[1]));
	bproc_nodeset_free(&out);
}

static void test_out_is_in(void **state)
{
	struct bproc_node_set_t ns;

	(void)state;
	make_set(&ns, 8, std_nodes, std_states);
	assert_int_equal(bproc_nodefilter(&ns, &ns, "up,2"), 0);
	assert_int_equal(ns.size, 5);
	assert_int_equal(ns.node[4].node, 2);
	/* and again on the result */
	assert_int_equal(bproc_nodefilter(&ns, &ns, "1-"), 0);
	assert_int_equal(ns.size, 4);
	/* failure leaves an empty set (the input is gone) */
	assert_int_equal(bproc_nodefilter(&ns, &ns, "bogus"), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(ns.size, 0);
	assert_null(ns.node);
	bproc_nodeset_free(&ns);
}

static void null_arguments_are_efault(void **state)
{
	struct bproc_node_set_t out, bad = { 3, 3, NULL };

	(void)state;
	errno = 0;
	assert_int_equal(bproc_nodefilter(NULL, &cluster, "all"), -1);
	assert_int_equal(errno, EFAULT);
	assert_int_equal(bproc_nodefilter(&out, NULL, "all"), -1);
	assert_int_equal(errno, EFAULT);
	assert_int_equal(bproc_nodefilter(&out, &cluster, NULL), -1);
	assert_int_equal(errno, EFAULT);
	assert_int_equal(bproc_nodefilter(&out, &bad, "all"), -1);
	assert_int_equal(errno, EFAULT);
	assert_int_equal(out.size, 0);
}

static void test_long_spec(void **state)
{
	size_t n = 20000, i, o = 0;
	struct bproc_node_set_t out;
	char *s = malloc(n * 4 + 1);

	(void)state;
	assert_non_null(s);
	for (i = 0; i < n; i++)
		o += (size_t)sprintf(s + o, "%s%zu", i ? "," : "", i % 8);
	assert_int_equal(bproc_nodefilter(&out, &cluster, s), 0);
	assert_int_equal(out.size, (int)n);
	assert_int_equal(out.node[n - 1].node, (int)((n - 1) % 8));
	bproc_nodeset_free(&out);
	free(s);
}

/* ---- node set helpers --------------------------------------------- */

static void nodeset_init_grow_add_append_keep_entries_even_from_the_set_itself(void **state)
{
	struct bproc_node_set_t a = BPROC_EMPTY_NODESET, b;
	struct bproc_node_info_t n = mk(3, "up");
	int i;

	(void)state;
	/* init with a size: that many zeroed entries in use (bproc 4) */
	assert_int_equal(bproc_nodeset_init(&b, 4), 0);
	assert_int_equal(b.size, 4);
	assert_true(b.alloc >= 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(b.node[i].node, 0);
	bproc_nodeset_free(&b);
	assert_int_equal(b.size, 0);
	assert_int_equal(b.alloc, 0);
	assert_null(b.node);
	bproc_nodeset_free(&b);		/* twice is fine */

	assert_int_equal(bproc_nodeset_init(&b, -5), 0);
	assert_int_equal(b.size, 0);
	assert_null(b.node);

	/* grow only allocates */
	assert_int_equal(bproc_nodeset_grow(&a, 1000), 0);
	assert_int_equal(a.size, 0);
	assert_true(a.alloc >= 1000);
	assert_int_equal(bproc_nodeset_grow(&a, 10), 0);
	assert_true(a.alloc >= 1000);

	for (i = 0; i < 300; i++) {
		n.node = i;
		assert_int_equal(bproc_nodeset_add(&a, &n), 0);
	}
	assert_int_equal(a.size, 300);
	assert_int_equal(bproc_node_set_node(&a, 299)->node, 299);

	/* adding an entry of the set itself, while it grows */
	bproc_nodeset_free(&b);
	assert_int_equal(bproc_nodeset_add(&b, &n), 0);
	for (i = 0; i < 200; i++)
		assert_int_equal(bproc_nodeset_add(&b, &b.node[0]), 0);
	assert_int_equal(b.size, 201);
	assert_int_equal(b.node[200].node, 299);

	/* append, also to itself */
	assert_int_equal(bproc_nodeset_append(&b, &a), 0);
	assert_int_equal(b.size, 501);
	assert_int_equal(b.node[201].node, 0);
	assert_int_equal(bproc_nodeset_append(&a, &a), 0);
	assert_int_equal(a.size, 600);
	assert_int_equal(a.node[300].node, 0);
	assert_int_equal(a.node[599].node, 299);

	errno = 0;
	assert_int_equal(bproc_nodeset_add(NULL, &n), -1);
	assert_int_equal(errno, EFAULT);
	assert_int_equal(bproc_nodeset_append(&a, NULL), -1);
	assert_int_equal(bproc_nodeset_grow(&a, 0x7fffffff), -1);
	assert_int_equal(errno, ENOMEM);
	assert_int_equal(a.size, 600);

	bproc_nodeset_free(&a);
	bproc_nodeset_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_order_and_duplicates),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_negation),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(nodes_missing_from_the_cluster_are_skipped_by_ranges_and_enodev_alone),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_master_entry),
		cmocka_unit_test(test_entries_copied),
		cmocka_unit_test(test_out_is_in),
		cmocka_unit_test(null_arguments_are_efault),
		cmocka_unit_test(test_long_spec),
		cmocka_unit_test(nodeset_init_grow_add_append_keep_entries_even_from_the_set_itself),
	};

	return cmocka_run_group_tests_name("nodespec", tests, setup, teardown);
}
