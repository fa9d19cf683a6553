// SPDX-License-Identifier: GPL-2.0
/*
 * libbproc's node calls (lib/nodes.c, lib/libs.c, lib/files.c) against a
 * fake /sys/bproc and /proc/bproc: a temporary directory tree named by the
 * test hooks $BPROC_SYSFS and $BPROC_PROCFS, with $HOME for .bprocnodes.
 *
 *   TMP/sys/{numnodes,master_addr,nodes/N/{status,addr,user,group,mode,
 *            reboot,halt,pwroff}}
 *   TMP/proc/libraries
 *   TMP/home/.bprocnodes
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <sys/bproc.h>

#include "internal.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static char top[256], sys[300], proc[300], home[300];

/* ---- the fake tree ------------------------------------------------ */

static void put(const char *dir, const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static const char *get(const char *dir, const char *rel)
{
	static char buf[4096];
	char path[512];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* @dir/@rel, in a buffer that the next call reuses. */
static const char *at(const char *dir, const char *rel)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return path;
}

static void mkdirs(const char *path)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path);
	assert_int_equal(system(cmd), 0);
}

static void rmtree(const char *path)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	assert_int_equal(system(cmd), 0);
}

static void set_node(int n, const char *status, const char *addr,
		     unsigned int user, unsigned int group, unsigned int mode)
{
	char dir[400], rel[64], buf[32];

	snprintf(dir, sizeof(dir), "%s/nodes/%d", sys, n);
	mkdirs(dir);
	snprintf(rel, sizeof(rel), "nodes/%d/status", n);
	snprintf(buf, sizeof(buf), "%s\n", status);
	put(sys, rel, buf);
	snprintf(rel, sizeof(rel), "nodes/%d/addr", n);
	snprintf(buf, sizeof(buf), "%s\n", addr);
	put(sys, rel, buf);
	snprintf(rel, sizeof(rel), "nodes/%d/user", n);
	snprintf(buf, sizeof(buf), "%u\n", user);
	put(sys, rel, buf);
	snprintf(rel, sizeof(rel), "nodes/%d/group", n);
	snprintf(buf, sizeof(buf), "%u\n", group);
	put(sys, rel, buf);
	snprintf(rel, sizeof(rel), "nodes/%d/mode", n);
	snprintf(buf, sizeof(buf), "%03o\n", mode);
	put(sys, rel, buf);
	snprintf(rel, sizeof(rel), "nodes/%d/reboot", n);
	put(sys, rel, "");
	snprintf(rel, sizeof(rel), "nodes/%d/halt", n);
	put(sys, rel, "");
	snprintf(rel, sizeof(rel), "nodes/%d/pwroff", n);
	put(sys, rel, "");
}

/* Four nodes: 0 up, 1 down (no address), 2 error, 3 up; master 10.77.0.1. */
static int fresh_tree(void **state)
{
	(void)state;
	bproc_clear_node_map();
	rmtree(sys);
	rmtree(proc);
	rmtree(home);
	mkdirs(sys);
	mkdirs(proc);
	mkdirs(home);
	put(sys, "numnodes", "4\n");
	put(sys, "master_addr", "10.77.0.1\n");
	put(sys, "version", "5.0.0\n");
	set_node(0, "up", "10.77.0.10", 0, 0, 0111);
	set_node(1, "down", "0.0.0.0", 0, 0, 0111);
	set_node(2, "error", "10.77.0.12", 1000, 100, 0110);
	set_node(3, "up", "10.77.0.13", 1001, 101, 0100);
	put(proc, "libraries", "/lib/\n/usr/lib/\n");
	return 0;
}

static const char *addr_of(const struct sockaddr *s)
{
	static char buf[INET_ADDRSTRLEN];
	struct sockaddr_in sin;

	memcpy(&sin, s, sizeof(sin));
	assert_int_equal(sin.sin_family, AF_INET);
	assert_int_equal(sin.sin_port, 0);
	return inet_ntop(AF_INET, &sin.sin_addr, buf, sizeof(buf));
}

#define assert_fails(call, err) do {					\
	errno = 0;							\
	assert_int_equal((call), -1);					\
	assert_int_equal(errno, (err));					\
} while (0)

/* ---- reading ------------------------------------------------------ */

static void numnodes_reads_0_to_16384_anything_else_is_eio(void **state)
{
	(void)state;
	assert_int_equal(bproc_numnodes(), 4);
	put(sys, "numnodes", "0\n");
	assert_int_equal(bproc_numnodes(), 0);
	put(sys, "numnodes", "16384");
	assert_int_equal(bproc_numnodes(), 16384);
	put(sys, "numnodes", "16385\n");
	assert_fails(bproc_numnodes(), EIO);
	put(sys, "numnodes", "x\n");
	assert_fails(bproc_numnodes(), EIO);
	put(sys, "numnodes", "-1\n");
	assert_fails(bproc_numnodes(), EIO);
	put(sys, "numnodes", "");
	assert_fails(bproc_numnodes(), EIO);
}

static void nodestatus_copies_the_status_refuses_short_buffers_and_no_node(void **state)
{
	char buf[BPROC_STATE_LEN + 1];

	(void)state;
	assert_int_equal(bproc_nodestatus(0, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "up");
	assert_int_equal(bproc_nodestatus(2, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "error");
	assert_int_equal(bproc_nodestatus(BPROC_NODE_MASTER, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "up");
	/* len 0 asks for the length, as getxattr(2); too short is ERANGE */
	assert_int_equal(bproc_nodestatus(2, NULL, 0), 5);
	assert_fails(bproc_nodestatus(2, buf, 5), ERANGE);
	assert_int_equal(bproc_nodestatus(2, buf, 6), 5);
	assert_fails(bproc_nodestatus(0, NULL, 3), EFAULT);
	assert_fails(bproc_nodestatus(0, buf, -1), EINVAL);
	/* nodes that do not exist */
	assert_fails(bproc_nodestatus(4, buf, sizeof(buf)), ENODEV);
	assert_fails(bproc_nodestatus(100000, buf, sizeof(buf)), ENODEV);
	assert_fails(bproc_nodestatus(BPROC_NODE_NONE, buf, sizeof(buf)), ENODEV);
	assert_fails(bproc_nodestatus(BPROC_NODE_ANY, buf, sizeof(buf)), ENODEV);
	assert_fails(bproc_nodestatus(-100, buf, sizeof(buf)), ENODEV);
	/* an unexpected kernel answer */
	put(sys, "nodes/0/status", "");
	assert_fails(bproc_nodestatus(0, buf, sizeof(buf)), EIO);
	put(sys, "nodes/0/status", "muchtoolongforastatus\n");
	assert_fails(bproc_nodestatus(0, buf, sizeof(buf)), EIO);
}

static void nodeup_is_1_only_for_up_nodes_and_the_master(void **state)
{
	(void)state;
	assert_int_equal(bproc_nodeup(0), 1);
	assert_int_equal(bproc_nodeup(1), 0);
	assert_int_equal(bproc_nodeup(2), 0);
	assert_int_equal(bproc_nodeup(3), 1);
	assert_int_equal(bproc_nodeup(BPROC_NODE_MASTER), 1);
	errno = 0;
	assert_int_equal(bproc_nodeup(4), 0);
	assert_int_equal(errno, ENODEV);
}

static void nodeinfo_reads_a_nodes_files_a_broken_or_half_gone_node_fails(void **state)
{
	struct bproc_node_info_t info;

	(void)state;
	memset(&info, 0xa5, sizeof(info));
	assert_int_equal(bproc_nodeinfo(2, &info), 0);
	assert_int_equal(info.node, 2);
	assert_string_equal(info.status, "error");
	assert_int_equal(info.user, 1000);
	assert_int_equal(info.group, 100);
	assert_int_equal(info.mode, 0110);
	assert_string_equal(addr_of(&info.addr), "10.77.0.12");
	assert_int_equal(info.atime, 0);
	assert_int_equal(info.mtime, 0);

	assert_int_equal(bproc_nodeinfo(1, &info), 0);
	assert_string_equal(info.status, "down");
	assert_string_equal(addr_of(&info.addr), "0.0.0.0");

	assert_int_equal(bproc_nodeinfo(BPROC_NODE_MASTER, &info), 0);
	assert_int_equal(info.node, BPROC_NODE_MASTER);
	assert_string_equal(info.status, "up");
	assert_int_equal(info.mode, 0111);
	assert_int_equal(info.user, 0);
	assert_string_equal(addr_of(&info.addr), "10.77.0.1");

	assert_fails(bproc_nodeinfo(4, &info), ENODEV);
	assert_fails(bproc_nodeinfo(0, NULL), EFAULT);
	put(sys, "nodes/3/mode", "9\n");
	assert_fails(bproc_nodeinfo(3, &info), EIO);
	put(sys, "nodes/3/addr", "10.77.0\n");
	assert_fails(bproc_nodeinfo(3, &info), EIO);
	/* a node half gone */
	rmtree(at(sys, "nodes/0/group"));
	assert_fails(bproc_nodeinfo(0, &info), ENODEV);
}

static void nodeaddr_takes_the_size_by_value_bproc4_nodeaddr_by_pointer(void **state)
{
	struct sockaddr_storage ss;
	struct sockaddr *s = (struct sockaddr *)&ss;
	int size;

	(void)state;
	/* the manual's form: the size by value */
	memset(&ss, 0xa5, sizeof(ss));
	assert_int_equal(bproc_nodeaddr(0, s, sizeof(ss)), 0);
	assert_string_equal(addr_of(s), "10.77.0.10");
	assert_int_equal(bproc_nodeaddr(3, s, sizeof(struct sockaddr_in)), 0);
	assert_string_equal(addr_of(s), "10.77.0.13");
	assert_int_equal(bproc_nodeaddr(BPROC_NODE_MASTER, s, sizeof(ss)), 0);
	assert_string_equal(addr_of(s), "10.77.0.1");
	assert_int_equal(bproc_nodeaddr(1, s, sizeof(ss)), 0);
	assert_string_equal(addr_of(s), "0.0.0.0");
	assert_fails(bproc_nodeaddr(0, s, sizeof(struct sockaddr_in) - 1), EINVAL);
	assert_fails(bproc_nodeaddr(0, NULL, sizeof(ss)), EFAULT);
	assert_fails(bproc_nodeaddr(7, s, sizeof(ss)), ENODEV);

	/* bproc 4's: the size by pointer, set to the length used */
	size = sizeof(ss);
	assert_int_equal(bproc4_nodeaddr(2, s, &size), 0);
	assert_int_equal(size, sizeof(struct sockaddr_in));
	assert_string_equal(addr_of(s), "10.77.0.12");
	size = sizeof(struct sockaddr_in);
	assert_int_equal(bproc4_nodeaddr(BPROC_NODE_MASTER, s, &size), 0);
	assert_string_equal(addr_of(s), "10.77.0.1");
	size = 8;
	assert_fails(bproc4_nodeaddr(2, s, &size), ERANGE);
	assert_int_equal(size, 8);
	assert_fails(bproc4_nodeaddr(2, s, NULL), EFAULT);
	assert_fails(bproc4_nodeaddr(7, s, &size), ERANGE);
	size = sizeof(ss);
	assert_fails(bproc4_nodeaddr(7, s, &size), ENODEV);
}

static void nodelist_lists_the_present_nodes_a_broken_file_fails_it_all(void **state)
{
	struct bproc_node_set_t ns;

	(void)state;
	memset(&ns, 0x5a, sizeof(ns));		/* overwritten, not freed */
	assert_int_equal(bproc_nodelist(&ns), 4);
	assert_int_equal(ns.size, 4);
	assert_int_equal(ns.node[0].node, 0);
	assert_string_equal(ns.node[1].status, "down");
	assert_int_equal(ns.node[2].user, 1000);
	assert_int_equal(ns.node[3].mode, 0100);
	assert_string_equal(addr_of(&ns.node[3].addr), "10.77.0.13");
	bproc_nodeset_free(&ns);

	/* node 2 went away after numnodes was read: not listed */
	rmtree(at(sys, "nodes/2"));
	assert_int_equal(bproc_nodelist(&ns), 3);
	assert_int_equal(ns.node[2].node, 3);
	bproc_nodeset_free(&ns);

	put(sys, "numnodes", "0\n");
	assert_int_equal(bproc_nodelist(&ns), 0);
	bproc_nodeset_free(&ns);

	/* a broken file fails the whole list */
	put(sys, "numnodes", "4\n");
	put(sys, "nodes/1/user", "root\n");
	assert_fails(bproc_nodelist(&ns), EIO);
	assert_int_equal(ns.size, 0);
	assert_null(ns.node);
	assert_fails(bproc_nodelist(NULL), EFAULT);
}

static const char *spec(const char *str)
{
	static char buf[256];
	struct bproc_node_set_t ns;
	size_t o = 0;
	int i;

	if (bproc_nodespec(&ns, str)) {
		snprintf(buf, sizeof(buf), "E:%d", errno);
		return buf;
	}
	buf[0] = '\0';
	for (i = 0; i < ns.size; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%d",
				      i ? "," : "", ns.node[i].node);
	bproc_nodeset_free(&ns);
	return buf;
}

static void nodespec_resolves_words_ranges_negation_and_master(void **state)
{
	struct bproc_node_set_t ns;
	char e[16];

	(void)state;
	assert_string_equal(spec("all"), "0,1,2,3");
	assert_string_equal(spec("allup"), "0,3");
	assert_string_equal(spec("!error,1"), "0,1,3,1");
	assert_string_equal(spec("2-"), "2,3");
	snprintf(e, sizeof(e), "E:%d", ENODEV);
	assert_string_equal(spec("4"), e);
	snprintf(e, sizeof(e), "E:%d", EINVAL);
	assert_string_equal(spec("0-1,x"), e);

	/* "master" carries the master's address */
	assert_int_equal(bproc_nodespec(&ns, "master"), 0);
	assert_int_equal(ns.size, 1);
	assert_int_equal(ns.node[0].node, BPROC_NODE_MASTER);
	assert_string_equal(addr_of(&ns.node[0].addr), "10.77.0.1");
	bproc_nodeset_free(&ns);
	assert_fails(bproc_nodespec(&ns, NULL), EFAULT);
}

/* ---- the node map ------------------------------------------------- */

static void node_map_renumbers_reads_and_writes_until_cleared(void **state)
{
	int map[] = { 3, 1, BPROC_NODE_MASTER, 3, 9 };
	struct bproc_node_info_t info;
	struct bproc_node_set_t ns;
	struct sockaddr_in sin;
	char buf[16];

	(void)state;
	assert_int_equal(bproc_set_node_map(map, 5), 0);
	map[0] = 0;	/* the library keeps its own copy */
	assert_int_equal(bproc_numnodes(), 5);
	assert_int_equal(bproc_nodestatus(0, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "up");			/* node 3 */
	assert_int_equal(bproc_nodeup(1), 0);		/* node 1: down */
	assert_int_equal(bproc_nodeinfo(0, &info), 0);
	assert_int_equal(info.node, 0);
	assert_int_equal(info.user, 1001);
	assert_int_equal(bproc_nodeinfo(2, &info), 0);	/* the master */
	assert_int_equal(info.node, 2);
	assert_string_equal(addr_of(&info.addr), "10.77.0.1");
	assert_int_equal(bproc_nodeaddr(3, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_string_equal(addr_of((struct sockaddr *)&sin), "10.77.0.13");
	/* out of the map, or mapped to a node that does not exist */
	assert_fails(bproc_nodeinfo(5, &info), ENODEV);
	assert_fails(bproc_nodeinfo(4, &info), ENODEV);
	/* the master stays -1 */
	assert_int_equal(bproc_nodeinfo(BPROC_NODE_MASTER, &info), 0);
	assert_int_equal(info.node, BPROC_NODE_MASTER);
	/* writes go to the real node */
	assert_int_equal(bproc_chown(1, 555), 0);
	assert_string_equal(get(sys, "nodes/1/user"), "555");

	/* the list is the map's, without entries for missing nodes */
	assert_int_equal(bproc_nodelist(&ns), 4);
	assert_int_equal(ns.node[0].node, 0);
	assert_int_equal(ns.node[0].user, 1001);
	assert_int_equal(ns.node[1].node, 1);
	assert_string_equal(ns.node[1].status, "down");
	assert_int_equal(ns.node[2].node, 2);
	assert_int_equal(ns.node[3].node, 3);
	bproc_nodeset_free(&ns);
	assert_string_equal(spec("up"), "0,2,3");
	assert_string_equal(spec("1-"), "1,2,3");

	/* bad maps change nothing */
	assert_fails(bproc_set_node_map(map, 0), EINVAL);
	assert_fails(bproc_set_node_map(NULL, 2), EFAULT);
	map[1] = -2;
	assert_fails(bproc_set_node_map(map, 2), EINVAL);
	map[1] = 16384;
	assert_fails(bproc_set_node_map(map, 2), EINVAL);
	assert_int_equal(bproc_numnodes(), 5);

	assert_int_equal(bproc_clear_node_map(), 0);
	assert_int_equal(bproc_numnodes(), 4);
	assert_int_equal(bproc_nodeinfo(0, &info), 0);
	assert_int_equal(info.user, 0);
	assert_int_equal(bproc_clear_node_map(), 0);
}

static void bprocnodes_file_sets_the_initial_map_a_bad_one_changes_nothing(void **state)
{
	static const char *const bad[] = {
		"", "# only a comment\n", "1 x\n", "1,2\n", "-2\n", "16384\n",
		"1-3\n", "+1\n", "0x1\n", "1\0 2\n",
	};
	struct bproc_node_info_t info;
	unsigned int i;

	(void)state;
	/* no file: no map, no error */
	assert_int_equal(bproc_init(), 0);
	assert_int_equal(bproc_numnodes(), 4);

	put(home, ".bprocnodes",
	    "# my nodes\n3 1\t0   # the first\n\n-1\r\n  3 # again\n2");
	assert_int_equal(bproc_init(), 0);
	assert_int_equal(bproc_numnodes(), 6);
	assert_int_equal(bproc_nodeinfo(0, &info), 0);
	assert_int_equal(info.user, 1001);
	assert_int_equal(bproc_nodeinfo(3, &info), 0);
	assert_string_equal(addr_of(&info.addr), "10.77.0.1");
	assert_int_equal(bproc_nodeinfo(5, &info), 0);
	assert_string_equal(info.status, "error");

	/* a bad file: EINVAL, the map stays as it was */
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		char path[512];
		FILE *f;

		snprintf(path, sizeof(path), "%s/.bprocnodes", home);
		f = fopen(path, "w");
		assert_non_null(f);
		/* "1\0 2" is written with its NUL */
		fwrite(bad[i], 1, strlen(bad[i]) + (bad[i][0] == '1' && !bad[i][1] ? 4 : 0), f);
		fclose(f);
		errno = 0;
		if (bproc_init() != -1 || errno != EINVAL)
			print_message(".bprocnodes case %u accepted\n", i);
		assert_fails(bproc_init(), EINVAL);
		assert_int_equal(bproc_numnodes(), 6);
	}

	/* without bproc, bproc_init() fails before reading the file */
	bproc_clear_node_map();
	put(home, ".bprocnodes", "1\n");
	put(sys, "numnodes", "junk\n");
	assert_fails(bproc_init(), EIO);
	{
		char moved[400];

		snprintf(moved, sizeof(moved), "%s.away", sys);
		assert_int_equal(rename(sys, moved), 0);
		assert_fails(bproc_init(), ENOSYS);
		assert_int_equal(rename(moved, sys), 0);
	}
	put(sys, "numnodes", "4\n");
	assert_int_equal(bproc_init(), 0);
	assert_int_equal(bproc_numnodes(), 1);

	/* $HOME unset: no map file to look for */
	bproc_clear_node_map();
	unsetenv("HOME");
	assert_int_equal(bproc_init(), 0);
	assert_int_equal(bproc_numnodes(), 4);
	setenv("HOME", home, 1);
}

/* ---- writing ------------------------------------------------------ */

static void chown_chgrp_chmod_write_the_node_files_mode_keeps_x_bits_only(void **state)
{
	(void)state;
	assert_int_equal(bproc_chown(2, 4242), 0);
	assert_string_equal(get(sys, "nodes/2/user"), "4242");
	assert_int_equal(bproc_chgrp(2, 0), 0);
	assert_string_equal(get(sys, "nodes/2/group"), "0");
	assert_int_equal(bproc_chmod(2, 0100), 0);
	assert_string_equal(get(sys, "nodes/2/mode"), "100");
	/* a file mode keeps its x bits only */
	assert_int_equal(bproc_chmod(2, 0755), 0);
	assert_string_equal(get(sys, "nodes/2/mode"), "111");
	assert_int_equal(bproc_chmod(2, 0644), 0);
	assert_string_equal(get(sys, "nodes/2/mode"), "0");
	assert_fails(bproc_chmod(2, 010000), EINVAL);
	assert_fails(bproc_chmod(2, -1), EINVAL);
	assert_fails(bproc_chown(2, -1), EINVAL);
	assert_fails(bproc_chgrp(2, -5), EINVAL);
	/* the master has no owner files; missing nodes */
	assert_fails(bproc_chown(BPROC_NODE_MASTER, 1), EINVAL);
	assert_fails(bproc_chmod(BPROC_NODE_MASTER, 0111), EINVAL);
	assert_fails(bproc_chown(4, 1), ENODEV);
	assert_fails(bproc_chgrp(-7, 1), ENODEV);
	/* the write's own errno comes back: EISDIR, ENOSPC (/dev/full) */
	rmtree(at(sys, "nodes/3/user"));
	mkdirs(at(sys, "nodes/3/user"));
	assert_fails(bproc_chown(3, 1), EISDIR);
	rmtree(at(sys, "nodes/3/group"));
	assert_int_equal(symlink("/dev/full",
				 at(sys, "nodes/3/group")), 0);
	assert_fails(bproc_chgrp(3, 1), ENOSPC);
	if (geteuid() != 0) {
		chmod(at(sys, "nodes/3/mode"), 0444);
		assert_fails(bproc_chmod(3, 0111), EACCES);
	}
}

static void nodesetstatus_writes_one_status_word_never_to_the_master(void **state)
{
	char up[] = "up", err[] = "error", empty[] = "", nl[] = "up\n";

	(void)state;
	assert_int_equal(bproc_nodesetstatus(0, err), 0);
	assert_string_equal(get(sys, "nodes/0/status"), "error");
	assert_int_equal(bproc_nodesetstatus(0, up), 0);
	assert_string_equal(get(sys, "nodes/0/status"), "up");
	assert_fails(bproc_nodesetstatus(0, empty), EINVAL);
	assert_fails(bproc_nodesetstatus(0, nl), EINVAL);
	assert_fails(bproc_nodesetstatus(0, NULL), EFAULT);
	assert_fails(bproc_nodesetstatus(BPROC_NODE_MASTER, up), EINVAL);
	assert_fails(bproc_nodesetstatus(9, up), ENODEV);
}

struct flip {
	int node;
	int delay_ms;
	const char *to;
};

static void *flip_status(void *arg)
{
	const struct flip *f = arg;
	struct timespec ts = { 0, (long)f->delay_ms * 1000000L };
	char rel[64], tmp[512];

	nanosleep(&ts, NULL);
	/* at once, as sysfs would: never an empty file in between */
	snprintf(rel, sizeof(rel), "nodes/%d/status.new", f->node);
	put(sys, rel, f->to);
	snprintf(tmp, sizeof(tmp), "%s", at(sys, rel));
	snprintf(rel, sizeof(rel), "nodes/%d/status", f->node);
	if (rename(tmp, at(sys, rel)))
		abort();
	return NULL;
}

static long long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void reboot_halt_pwroff_wait_until_the_node_goes_or_time_out(void **state)
{
	struct flip f = { 3, 150, "down\n" };
	pthread_t t;
	long long t0;

	(void)state;
	/* _async: the write only */
	assert_int_equal(bproc_nodereboot_async(0), 0);
	assert_string_equal(get(sys, "nodes/0/reboot"), "1");
	assert_int_equal(bproc_nodehalt_async(0), 0);
	assert_string_equal(get(sys, "nodes/0/halt"), "1");
	assert_int_equal(bproc_nodepwroff_async(0), 0);
	assert_string_equal(get(sys, "nodes/0/pwroff"), "1");
	assert_fails(bproc_nodereboot_async(BPROC_NODE_MASTER), EINVAL);
	assert_fails(bproc_nodehalt_async(8), ENODEV);

	/* waiting: until down (or boot) */
	put(sys, "nodes/1/status", "down\n");
	assert_int_equal(bproc_nodehalt(1), 0);
	put(sys, "nodes/3/status", "reboot\n");
	t0 = ms_now();
	assert_int_equal(pthread_create(&t, NULL, flip_status, &f), 0);
	assert_int_equal(bproc_nodereboot(3), 0);
	assert_true(ms_now() - t0 >= 140);
	pthread_join(t, NULL);
	assert_string_equal(get(sys, "nodes/3/reboot"), "1");

	f.to = "boot\n";
	put(sys, "nodes/3/status", "pwroff\n");
	assert_int_equal(pthread_create(&t, NULL, flip_status, &f), 0);
	assert_int_equal(bproc_nodepwroff(3), 0);
	pthread_join(t, NULL);

	/* a node that does not go: ETIMEDOUT after bproc_lib_wait_ms */
	bproc_lib_wait_ms = 120;
	t0 = ms_now();
	assert_fails(bproc_nodereboot(0), ETIMEDOUT);
	assert_true(ms_now() - t0 >= 120);
	assert_true(ms_now() - t0 < 2000);
	bproc_lib_wait_ms = 60000;

	/* the write's error comes first */
	rmtree(at(sys, "nodes/2/halt"));
	assert_fails(bproc_nodehalt(2), ENODEV);
}

/* ---- the remote-file list ----------------------------------------- */

static void libraries_are_listed_to_the_end_and_changed_by_one_write_each(void **state)
{
	char **list;
	int i;

	(void)state;
	assert_int_equal(bproc_libadd("/opt/lib/libx.so"), 0);
	assert_string_equal(get(proc, "libraries"), "+/opt/lib/libx.so");
	assert_int_equal(bproc_libdel("/opt/lib/"), 0);
	assert_string_equal(get(proc, "libraries"), "-/opt/lib/");
	assert_int_equal(bproc_libclear(), 0);
	assert_string_equal(get(proc, "libraries"), "clear");
	assert_fails(bproc_libadd(""), EINVAL);
	assert_fails(bproc_libadd("/a\n/b"), EINVAL);
	assert_fails(bproc_libdel(NULL), EFAULT);

	put(proc, "libraries", "/lib/\n/usr/lib/\n\n/opt/x");
	list = NULL;
	assert_int_equal(bproc_liblist(&list), 3);
	assert_non_null(list);
	assert_string_equal(list[0], "/lib/");
	assert_string_equal(list[1], "/usr/lib/");
	assert_string_equal(list[2], "/opt/x");
	assert_null(list[3]);
	for (i = 0; list[i]; i++)
		free(list[i]);
	free(list);

	put(proc, "libraries", "");
	assert_int_equal(bproc_liblist(&list), 0);
	assert_null(list[0]);
	free(list);

	/* a long list: read to the end */
	{
		FILE *f;
		char path[512];

		snprintf(path, sizeof(path), "%s/libraries", proc);
		f = fopen(path, "w");
		assert_non_null(f);
		for (i = 0; i < 3000; i++)
			fprintf(f, "/some/fairly/long/directory/name/number/%04d/\n", i);
		fclose(f);
	}
	assert_int_equal(bproc_liblist(&list), 3000);
	assert_string_equal(list[2999], "/some/fairly/long/directory/name/number/2999/");
	for (i = 0; list[i]; i++)
		free(list[i]);
	free(list);

	assert_fails(bproc_liblist(NULL), EFAULT);
	/* /proc/bproc not mounted: the directory is there, empty */
	assert_int_equal(unlink(at(proc, "libraries")), 0);
	assert_fails(bproc_liblist(&list), ENOSYS);
	assert_fails(bproc_libadd("/x"), ENOSYS);
	assert_fails(bproc_libclear(), ENOSYS);
}

/* ---- bproc missing ------------------------------------------------ */

static void without_bproc_every_call_is_enosys_but_the_master_is_up(void **state)
{
	struct bproc_node_info_t info;
	struct bproc_node_set_t ns;
	struct sockaddr_in sin;
	char buf[16];

	(void)state;
	rmtree(sys);
	rmtree(proc);
	assert_fails(bproc_numnodes(), ENOSYS);
	assert_fails(bproc_nodestatus(0, buf, sizeof(buf)), ENOSYS);
	assert_fails(bproc_nodeinfo(0, &info), ENOSYS);
	assert_fails(bproc_nodeinfo(BPROC_NODE_MASTER, &info), ENOSYS);
	assert_fails(bproc_nodeaddr(BPROC_NODE_MASTER, (struct sockaddr *)&sin,
				    sizeof(sin)), ENOSYS);
	assert_fails(bproc_nodelist(&ns), ENOSYS);
	assert_fails(bproc_nodespec(&ns, "all"), ENOSYS);
	assert_fails(bproc_chown(0, 1), ENOSYS);
	assert_fails(bproc_nodereboot_async(0), ENOSYS);
	assert_fails(bproc_init(), ENOSYS);
	assert_fails(bproc_libadd("/x"), ENOSYS);
	errno = 0;
	assert_int_equal(bproc_nodeup(0), 0);
	assert_int_equal(errno, ENOSYS);
	/* the master is up, bproc or not */
	assert_int_equal(bproc_nodeup(BPROC_NODE_MASTER), 1);
	assert_int_equal(bproc_nodestatus(BPROC_NODE_MASTER, buf, sizeof(buf)), 2);
}

/* The ioctl calls, where this machine has no bproc module loaded. */
static void without_the_module_the_control_calls_are_enosys(void **state)
{
	char buf[16];

	(void)state;
	if (access(BPROC_CONTROL_DEV, F_OK) == 0)
		skip();
	assert_fails(bproc_currnode(), ENOSYS);
	assert_fails(bproc_access(0, BPROC_X_OK), ENOSYS);
	assert_fails(bproc_nodestatus(BPROC_NODE_SELF, buf, sizeof(buf)), ENOSYS);
	/* anyone may use the master; numbers that name no node */
	assert_int_equal(bproc_access(BPROC_NODE_MASTER, BPROC_X_OK), 0);
	assert_fails(bproc_access(BPROC_NODE_NONE, BPROC_X_OK), ENODEV);
}

static void strerror_names_bprocs_errnos_and_passes_others_on(void **state)
{
	(void)state;
	assert_string_equal(bproc_strerror(EHOSTDOWN), "node is down");
	assert_string_equal(bproc_strerror(-EHOSTDOWN), "node is down");
	assert_string_equal(bproc_strerror(ENOTCONN), "bpmaster is not running");
	assert_string_equal(bproc_strerror(ENODEV), "no such node");
	assert_string_equal(bproc_strerror(ENOSYS), "bproc is not loaded");
	assert_string_equal(bproc_strerror(EPERM), strerror(EPERM));
	assert_string_equal(bproc_strerror(EACCES), strerror(EACCES));
	assert_non_null(bproc_strerror(99999));
}

static int cleanup(void **state)
{
	(void)state;
	bproc_clear_node_map();
	rmtree(top);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(numnodes_reads_0_to_16384_anything_else_is_eio, fresh_tree),
		cmocka_unit_test_setup(nodestatus_copies_the_status_refuses_short_buffers_and_no_node, fresh_tree),
		cmocka_unit_test_setup(nodeup_is_1_only_for_up_nodes_and_the_master, fresh_tree),
		cmocka_unit_test_setup(nodeinfo_reads_a_nodes_files_a_broken_or_half_gone_node_fails, fresh_tree),
		cmocka_unit_test_setup(nodeaddr_takes_the_size_by_value_bproc4_nodeaddr_by_pointer, fresh_tree),
		cmocka_unit_test_setup(nodelist_lists_the_present_nodes_a_broken_file_fails_it_all, fresh_tree),
		cmocka_unit_test_setup(nodespec_resolves_words_ranges_negation_and_master, fresh_tree),
		cmocka_unit_test_setup(node_map_renumbers_reads_and_writes_until_cleared, fresh_tree),
		cmocka_unit_test_setup(bprocnodes_file_sets_the_initial_map_a_bad_one_changes_nothing, fresh_tree),
		cmocka_unit_test_setup(chown_chgrp_chmod_write_the_node_files_mode_keeps_x_bits_only, fresh_tree),
		cmocka_unit_test_setup(nodesetstatus_writes_one_status_word_never_to_the_master, fresh_tree),
		cmocka_unit_test_setup(reboot_halt_pwroff_wait_until_the_node_goes_or_time_out, fresh_tree),
		cmocka_unit_test_setup(libraries_are_listed_to_the_end_and_changed_by_one_write_each, fresh_tree),
		cmocka_unit_test_setup(without_bproc_every_call_is_enosys_but_the_master_is_up, fresh_tree),
		cmocka_unit_test_setup(without_the_module_the_control_calls_are_enosys, fresh_tree),
		cmocka_unit_test_setup(strerror_names_bprocs_errnos_and_passes_others_on, fresh_tree),
	};
	const char *tmp = getenv("TMPDIR");

	snprintf(top, sizeof(top), "%s/bproc-test-nodes.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(top)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(sys, sizeof(sys), "%s/sys", top);
	snprintf(proc, sizeof(proc), "%s/proc", top);
	snprintf(home, sizeof(home), "%s/home", top);
	/* before the library's first look at them */
	setenv("BPROC_SYSFS", sys, 1);
	setenv("BPROC_PROCFS", proc, 1);
	setenv("HOME", home, 1);

	return cmocka_run_group_tests_name("nodes", tests, NULL, cleanup);
}
