// SPDX-License-Identifier: GPL-2.0
/*
 * libnss_bproc's lookups (lib/nss/nss_bproc.c) against a fake node table
 * and a fake master's hostname file, both under a temporary directory:
 *
 *   TMP/sys/{numnodes,master_addr,nodes/N/addr}    as /sys/bproc
 *   TMP/hostname                                   as the master's
 *                                                  /etc/hostname on a node
 *
 * Four nodes: 0 at 10.77.0.10, 1 without an address, 2 at 10.77.0.12, 3 at
 * 10.77.0.13; the master at 10.77.0.1.  The lookups take the two paths as
 * parameters; the module's entry points, with the real paths, are only
 * checked where this machine has no /sys/bproc.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <nss.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "nss_bproc.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The module's entry points, as glibc sees them (<nss.h>). */
nss_gethostbyname_r _nss_bproc_gethostbyname_r;
nss_gethostbyname4_r _nss_bproc_gethostbyname4_r;
nss_gethostbyaddr_r _nss_bproc_gethostbyaddr_r;

static char top[256], sys[300], hostfile[300];
static struct bproc_nss_paths paths;

/* ---- the fake tree ------------------------------------------------ */

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void put_bytes(const char *path, const char *bytes, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void put_sys(const char *rel, const char *text)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", sys, rel);
	put(path, text);
}

static void rmtree(const char *path)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	assert_int_equal(system(cmd), 0);
}

static void set_node(int n, const char *addr)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/nodes/%d", sys, n);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/nodes/%d/addr", sys, n);
	put(path, addr);
}

static int fresh_tree(void **state)
{
	char path[512];

	(void)state;
	rmtree(sys);
	unlink(hostfile);
	assert_int_equal(mkdir(sys, 0755), 0);
	snprintf(path, sizeof(path), "%s/nodes", sys);
	assert_int_equal(mkdir(path, 0755), 0);
	put_sys("numnodes", "4\n");
	put_sys("master_addr", "10.77.0.1\n");
	set_node(0, "10.77.0.10\n");
	set_node(1, "0.0.0.0\n");
	set_node(2, "10.77.0.12\n");
	set_node(3, "10.77.0.13\n");
	return 0;
}

static int cleanup(void **state)
{
	(void)state;
	rmtree(top);
	return 0;
}

/* ---- helpers ------------------------------------------------------ */

/* One lookup's whole outcome. */
struct res {
	enum nss_status st;
	int err, herr;
	struct hostent he;
	char *canon;
	char buf[1024];
};

/* The result points into its own buffer: one at a time, overwritten by the next. */
static struct res last;

static struct res *byname(const char *name, int af)
{
	struct res *r = &last;

	memset(r, 0, sizeof(*r));
	r->err = -12345;
	r->herr = -12345;
	r->st = bproc_nss_byname(&paths, name, af, &r->he, r->buf, sizeof(r->buf),
				 &r->err, &r->herr, &r->canon);
	return r;
}

static struct res *byaddr(const char *dotted)
{
	struct res *r = &last;
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, dotted, &a), 1);
	memset(r, 0, sizeof(*r));
	r->err = -12345;
	r->herr = -12345;
	r->st = bproc_nss_byaddr(&paths, &a, sizeof(a), AF_INET, &r->he, r->buf,
				 sizeof(r->buf), &r->err, &r->herr);
	return r;
}

static const char *addr_of(const struct hostent *he)
{
	static char text[INET_ADDRSTRLEN];

	assert_int_equal(he->h_addrtype, AF_INET);
	assert_int_equal(he->h_length, 4);
	assert_non_null(he->h_addr_list[0]);
	assert_null(he->h_addr_list[1]);
	return inet_ntop(AF_INET, he->h_addr_list[0], text, sizeof(text));
}

/* @name, printable: the malformed ones hold control bytes. */
static const char *shown(const char *name)
{
	static char text[256];
	size_t n = 0;

	for (; *name && n + 5 < sizeof(text); name++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      *name >= 0x20 && *name < 0x7f ? "%c" : "\\x%02x",
				      (unsigned char)*name);
	text[n] = '\0';
	return text;
}

/* Fail, naming @name, unless the lookup ended with @st, @err and @herr. */
static void outcome(const char *name, const struct res *r, enum nss_status st,
		    int err, int herr)
{
	if (r->st == st && r->err == err && r->herr == herr)
		return;
	print_message("'%s': status %d errno %d h_errno %d, expected %d %d %d\n",
		      shown(name), r->st, r->err, r->herr, st, err, herr);
	fail();
}

/* @name resolves to @canon at @addr, with @alias (NULL: none). */
static void resolves(const char *name, const char *canon, const char *addr,
		     const char *alias)
{
	struct res *r = byname(name, AF_INET);

	/* a success leaves *errnop alone */
	outcome(name, r, NSS_STATUS_SUCCESS, -12345, NETDB_SUCCESS);
	assert_string_equal(r->he.h_name, canon);
	assert_ptr_equal(r->canon, r->he.h_name);
	assert_string_equal(addr_of(&r->he), addr);
	if (alias) {
		assert_non_null(r->he.h_aliases[0]);
		assert_string_equal(r->he.h_aliases[0], alias);
		assert_null(r->he.h_aliases[1]);
	} else {
		assert_null(r->he.h_aliases[0]);
	}
}

static void not_found(const char *name)
{
	outcome(name, byname(name, AF_INET), NSS_STATUS_NOTFOUND, ENOENT, HOST_NOT_FOUND);
}

static void unavailable(const char *name, int err)
{
	/* not NETDB_INTERNAL: getaddrinfo() would not ask the next service */
	outcome(name, byname(name, AF_INET), NSS_STATUS_UNAVAIL, err, NO_RECOVERY);
}

/* @p lies inside @buf[0..@len), with room for @size bytes. */
static void inside(const void *p, size_t size, const char *buf, size_t len)
{
	assert_true((const char *)p >= buf);
	assert_true((const char *)p + size <= buf + len);
}

/* ---- names -------------------------------------------------------- */

static void node_names_resolve_to_the_node_table_addresses(void **state)
{
	(void)state;
	resolves("n0", "n0", "10.77.0.10", NULL);
	resolves(".0", "n0", "10.77.0.10", NULL);
	resolves("N2", "n2", "10.77.0.12", NULL);
	resolves(".3", "n3", "10.77.0.13", NULL);
	/* decimal, as in a nodespec: the canonical name has no zero */
	resolves("n02", "n2", "10.77.0.12", NULL);
	resolves("n0003", "n3", "10.77.0.13", NULL);
	/* read afresh: a change of the table is seen at once */
	put_sys("nodes/2/addr", "10.77.1.2\n");
	resolves("n2", "n2", "10.77.1.2", NULL);
}

static void master_resolves_by_name_and_by_the_masters_hostname(void **state)
{
	(void)state;
	/* on the master: no hostname file, no alias */
	resolves("master", "master", "10.77.0.1", NULL);
	resolves("MASTER", "master", "10.77.0.1", NULL);
	not_found("head");

	/* on a node: the host name is an alias of the master when asked by */
	put(hostfile, "head\n");
	resolves("master", "master", "10.77.0.1", NULL);
	resolves("head", "master", "10.77.0.1", "head");
	resolves("HeAd", "master", "10.77.0.1", "head");
	not_found("head.");
	not_found("hea");
	not_found("heads");

	/* the first line that is not blank or a comment, trimmed */
	put(hostfile, "# the head node\n\n  \t head.cluster.example \r\nother\n");
	resolves("head.cluster.example", "master", "10.77.0.1", "head.cluster.example");
	not_found("other");
	not_found("# the head node");
	put(hostfile, "last-without-newline");
	resolves("last-without-newline", "master", "10.77.0.1", "last-without-newline");

	/* nothing usable: no name */
	put(hostfile, "\n# only a comment\n");
	not_found("");
	not_found("# only a comment");
	put_bytes(hostfile, "ho\0st\n", 6);
	not_found("ho");
	/* a node name in the file stays the node's; "master" stays alone */
	put(hostfile, "n3\n");
	resolves("n3", "n3", "10.77.0.13", NULL);
	put(hostfile, "Master\n");
	resolves("master", "master", "10.77.0.1", NULL);
}

static void a_name_without_an_address_is_not_found(void **state)
{
	(void)state;
	not_found("n1");
	not_found(".1");
	/* the master's address unknown (no "interface" line) */
	put(hostfile, "head\n");
	put_sys("master_addr", "0.0.0.0\n");
	not_found("master");
	not_found("head");
}

static void malformed_and_out_of_range_names_are_not_found(void **state)
{
	static const char *const names[] = {
		"n", ".", "nx", "n-1", "n+1", "+1", ".+1", "n 1", " n0", "n0 ",
		"n0.", "n0x", "n01x", "n1.5", "0", "1", "-1", "node0", "nn0",
		"n4", ".4", "n16384", "n99999999999", "n00000000000000000000004",
		"n18446744073709551616", "n4294967296", "masterx", "maste", "",
		"n0\n", "\303\2610" /* "ñ0" */,
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(names); i++)
		not_found(names[i]);
	/* leading zeros are not a way past the range check */
	resolves("n00000000000000000000003", "n3", "10.77.0.13", NULL);
}

static void only_ipv4_other_families_are_refused(void **state)
{
	struct res *r;

	(void)state;
	r = byname("n0", AF_UNSPEC);
	assert_int_equal(r->st, NSS_STATUS_SUCCESS);
	assert_string_equal(addr_of(&r->he), "10.77.0.10");

	/* ours, but no IPv6 address */
	r = byname("n0", AF_INET6);
	assert_int_equal(r->st, NSS_STATUS_NOTFOUND);
	assert_int_equal(r->err, ENOENT);
	assert_int_equal(r->herr, NO_DATA);
	r = byname("master", AF_INET6);
	assert_int_equal(r->st, NSS_STATUS_NOTFOUND);
	assert_int_equal(r->herr, NO_DATA);
	r = byname("n1", AF_INET6);
	assert_int_equal(r->st, NSS_STATUS_NOTFOUND);
	assert_int_equal(r->herr, HOST_NOT_FOUND);
	r = byname("www.example.com", AF_INET6);
	assert_int_equal(r->st, NSS_STATUS_NOTFOUND);
	assert_int_equal(r->herr, HOST_NOT_FOUND);

	/* what nss-myhostname says of a family it does not know */
	r = byname("n0", AF_UNIX);
	assert_int_equal(r->st, NSS_STATUS_UNAVAIL);
	assert_int_equal(r->err, EAFNOSUPPORT);
	assert_int_equal(r->herr, NO_DATA);
}

/* ---- addresses ---------------------------------------------------- */

static void addresses_resolve_to_the_canonical_names(void **state)
{
	struct in6_addr a6;
	struct res *r;
	char a3[3];

	(void)state;
	r = byaddr("10.77.0.10");
	assert_int_equal(r->st, NSS_STATUS_SUCCESS);
	assert_int_equal(r->herr, NETDB_SUCCESS);
	assert_string_equal(r->he.h_name, "n0");
	assert_null(r->he.h_aliases[0]);
	assert_string_equal(addr_of(&r->he), "10.77.0.10");
	r = byaddr("10.77.0.13");
	assert_int_equal(r->st, NSS_STATUS_SUCCESS);
	assert_string_equal(r->he.h_name, "n3");

	r = byaddr("10.77.0.1");
	assert_int_equal(r->st, NSS_STATUS_SUCCESS);
	assert_string_equal(r->he.h_name, "master");
	assert_null(r->he.h_aliases[0]);
	/* on a node too: the canonical name alone */
	put(hostfile, "head\n");
	r = byaddr("10.77.0.1");
	assert_int_equal(r->st, NSS_STATUS_SUCCESS);
	assert_string_equal(r->he.h_name, "master");
	assert_null(r->he.h_aliases[0]);

	/* the first node of an address wins; the master before them */
	set_node(4, "10.77.0.12\n");
	put_sys("numnodes", "5\n");
	r = byaddr("10.77.0.12");
	assert_string_equal(r->he.h_name, "n2");
	put_sys("nodes/0/addr", "10.77.0.1\n");
	r = byaddr("10.77.0.1");
	assert_string_equal(r->he.h_name, "master");

	/* nobody's: 0.0.0.0 is every address-less node's, not a name */
	r = byaddr("0.0.0.0");
	assert_int_equal(r->st, NSS_STATUS_NOTFOUND);
	assert_int_equal(r->err, ENOENT);
	assert_int_equal(r->herr, HOST_NOT_FOUND);
	r = byaddr("10.77.0.99");
	assert_int_equal(r->st, NSS_STATUS_NOTFOUND);
	assert_int_equal(r->herr, HOST_NOT_FOUND);

	/* IPv6: none of ours; another family or a wrong length: refused */
	memset(&a6, 0, sizeof(a6));
	r->st = bproc_nss_byaddr(&paths, &a6, sizeof(a6), AF_INET6, &r->he, r->buf,
				 sizeof(r->buf), &r->err, &r->herr);
	assert_int_equal(r->st, NSS_STATUS_NOTFOUND);
	assert_int_equal(r->herr, HOST_NOT_FOUND);
	r->st = bproc_nss_byaddr(&paths, &a6, sizeof(a6), AF_UNIX, &r->he, r->buf,
				 sizeof(r->buf), &r->err, &r->herr);
	assert_int_equal(r->st, NSS_STATUS_UNAVAIL);
	assert_int_equal(r->err, EAFNOSUPPORT);
	assert_int_equal(r->herr, NO_DATA);
	memset(a3, 10, sizeof(a3));
	r->st = bproc_nss_byaddr(&paths, a3, sizeof(a3), AF_INET, &r->he, r->buf,
				 sizeof(r->buf), &r->err, &r->herr);
	assert_int_equal(r->st, NSS_STATUS_UNAVAIL);
	assert_int_equal(r->err, EINVAL);
	assert_int_equal(r->herr, NO_RECOVERY);
	r->st = bproc_nss_byaddr(&paths, &a6, sizeof(struct in_addr), AF_INET6,
				 &r->he, r->buf, sizeof(r->buf), &r->err, &r->herr);
	assert_int_equal(r->st, NSS_STATUS_UNAVAIL);
	assert_int_equal(r->err, EINVAL);
}

/* ---- getaddrinfo's tuple ------------------------------------------ */

static void gethostbyname4_gives_one_ipv4_tuple(void **state)
{
	struct gaih_addrtuple *pat = NULL, mine;
	int err = -1, herr = -1;
	struct in_addr want;
	enum nss_status st;
	char buf[512];

	(void)state;
	st = bproc_nss_byname4(&paths, "N3", &pat, buf, sizeof(buf), &err, &herr);
	assert_int_equal(st, NSS_STATUS_SUCCESS);
	assert_int_equal(herr, NETDB_SUCCESS);
	assert_non_null(pat);
	inside(pat, sizeof(*pat), buf, sizeof(buf));
	assert_null(pat->next);
	assert_string_equal(pat->name, "n3");
	assert_int_equal(pat->family, AF_INET);
	assert_int_equal(inet_pton(AF_INET, "10.77.0.13", &want), 1);
	assert_memory_equal(pat->addr, &want, 4);
	assert_int_equal(pat->addr[1] | pat->addr[2] | pat->addr[3], 0);
	assert_int_equal(pat->scopeid, 0);

	/* nscd's way: the first result goes into the tuple it hands in */
	memset(&mine, 0xff, sizeof(mine));
	pat = &mine;
	put(hostfile, "head\n");
	st = bproc_nss_byname4(&paths, "head", &pat, buf, sizeof(buf), &err, &herr);
	assert_int_equal(st, NSS_STATUS_SUCCESS);
	assert_ptr_equal(pat, &mine);
	assert_null(mine.next);
	assert_string_equal(mine.name, "master");
	assert_int_equal(mine.family, AF_INET);

	pat = NULL;
	st = bproc_nss_byname4(&paths, "n1", &pat, buf, sizeof(buf), &err, &herr);
	assert_int_equal(st, NSS_STATUS_NOTFOUND);
	assert_int_equal(err, ENOENT);
	assert_int_equal(herr, HOST_NOT_FOUND);
	assert_null(pat);
}

/* ---- the caller's buffer ------------------------------------------ */

/* A result wholly inside @buf[0..@len), its pointers aligned. */
static void hostent_inside(const struct hostent *he, const char *buf, size_t len)
{
	size_t n;

	assert_int_equal((uintptr_t)he->h_addr_list % alignof(char *), 0);
	assert_int_equal((uintptr_t)he->h_aliases % alignof(char *), 0);
	assert_int_equal((uintptr_t)he->h_addr_list[0] % alignof(struct in_addr), 0);
	inside(he->h_addr_list, 2 * sizeof(char *), buf, len);
	inside(he->h_aliases, sizeof(char *), buf, len);
	inside(he->h_addr_list[0], 4, buf, len);
	inside(he->h_name, strlen(he->h_name) + 1, buf, len);
	for (n = 0; he->h_aliases[n]; n++) {
		inside(&he->h_aliases[n + 1], sizeof(char *), buf, len);
		inside(he->h_aliases[n], strlen(he->h_aliases[n]) + 1, buf, len);
	}
}

/*
 * Look @name up with buffers of 0, 1, 2... bytes at @buf: ERANGE until one
 * is large enough, and that one holds the whole result.
 */
static void byname_grows(const char *name, char *buf, size_t max)
{
	enum nss_status st = NSS_STATUS_TRYAGAIN;
	struct hostent he;
	char *canon = NULL;
	int err, herr;
	size_t len;

	for (len = 0; len <= max; len++) {
		st = bproc_nss_byname(&paths, name, AF_INET, &he, buf, len, &err, &herr,
				      &canon);
		if (st != NSS_STATUS_TRYAGAIN)
			break;
		assert_int_equal(err, ERANGE);
		assert_int_equal(herr, NETDB_INTERNAL);
	}
	assert_int_equal(st, NSS_STATUS_SUCCESS);
	hostent_inside(&he, buf, len);
	assert_ptr_equal(canon, he.h_name);
}

static void byname4_grows(const char *name, char *buf, size_t max)
{
	enum nss_status st = NSS_STATUS_TRYAGAIN;
	struct gaih_addrtuple *pat = NULL;
	int err, herr;
	size_t len;

	for (len = 0; len <= max; len++) {
		st = bproc_nss_byname4(&paths, name, &pat, buf, len, &err, &herr);
		if (st != NSS_STATUS_TRYAGAIN)
			break;
		assert_int_equal(err, ERANGE);
		assert_int_equal(herr, NETDB_INTERNAL);
		assert_null(pat);
	}
	assert_int_equal(st, NSS_STATUS_SUCCESS);
	assert_int_equal((uintptr_t)pat % alignof(struct gaih_addrtuple), 0);
	inside(pat, sizeof(*pat), buf, len);
	inside(pat->name, strlen(pat->name) + 1, buf, len);
}

/* Every buffer size from 0 up, at each of 8 misalignments. */
static void a_small_buffer_is_erange_and_results_stay_inside_aligned(void **state)
{
	static const char *const names[] = { "n0", "master", "head.cluster.example" };
	/* 8-aligned, the most any result needs: the offsets misalign it */
	uint64_t words[75];
	char *space = (char *)words;
	int err = 0, herr = 0;
	struct in_addr a;
	struct hostent he;
	size_t off, i;

	(void)state;
	put(hostfile, "head.cluster.example\n");
	for (off = 0; off < 8; off++) {
		for (i = 0; i < ARRAY_SIZE(names); i++)
			byname_grows(names[i], space + off, sizeof(words) - off);
		byname4_grows("master", space + off, sizeof(words) - off);
	}

	assert_int_equal(inet_pton(AF_INET, "10.77.0.1", &a), 1);
	assert_int_equal(bproc_nss_byaddr(&paths, &a, sizeof(a), AF_INET, &he, space, 1,
					  &err, &herr),
			 NSS_STATUS_TRYAGAIN);
	assert_int_equal(err, ERANGE);
	assert_int_equal(herr, NETDB_INTERNAL);
}

/* ---- without bproc, and a broken table ---------------------------- */

static void without_the_tree_bprocs_names_are_unavailable(void **state)
{
	struct in_addr a;
	struct res *r;

	(void)state;
	rmtree(sys);
	unavailable("n0", ENOENT);
	unavailable(".0", ENOENT);
	unavailable("n99999999999", ENOENT);
	unavailable("master", ENOENT);
	put(hostfile, "head\n");
	unavailable("head", ENOENT);
	r = byaddr("10.77.0.10");
	assert_int_equal(r->st, NSS_STATUS_UNAVAIL);
	assert_int_equal(r->err, ENOENT);
	assert_int_equal(r->herr, NO_RECOVERY);
	/* not a name of ours: not found, whatever the table */
	not_found("www.example.com");
	not_found("nx");

	/* the module's own entry points, with the real /sys/bproc */
	if (access(BPROC_NSS_SYSFS, F_OK) == 0)
		skip();
	{
		struct gaih_addrtuple *pat = NULL;
		int err = 0, herr = 0;
		int32_t ttl = 7;
		struct hostent he;
		char buf[256];

		assert_int_equal(_nss_bproc_gethostbyname_r("n0", &he, buf, sizeof(buf),
							    &err, &herr),
				 NSS_STATUS_UNAVAIL);
		assert_int_equal(err, ENOENT);
		assert_int_equal(_nss_bproc_gethostbyname4_r("master", &pat, buf, sizeof(buf),
							     &err, &herr, &ttl),
				 NSS_STATUS_UNAVAIL);
		assert_int_equal(ttl, 7);
		assert_int_equal(inet_pton(AF_INET, "10.77.0.1", &a), 1);
		assert_int_equal(_nss_bproc_gethostbyaddr_r(&a, sizeof(a), AF_INET, &he, buf,
							    sizeof(buf), &err, &herr),
				 NSS_STATUS_UNAVAIL);
		assert_int_equal(err, ENOENT);
	}
}

static void a_broken_table_is_eio_a_shrunk_one_not_found(void **state)
{
	static const char *const bad[] = {
		"", "\n", "x\n", "-1\n", "+4\n", "16385\n", "99999999999999999999\n", " 4\n",
	};
	char path[512];
	struct res *r;
	size_t i;

	(void)state;
	put_sys("nodes/2/addr", "10.77.0\n");
	unavailable("n2", EIO);
	r = byaddr("10.77.0.13");
	assert_int_equal(r->st, NSS_STATUS_UNAVAIL);
	assert_int_equal(r->err, EIO);
	resolves("n3", "n3", "10.77.0.13", NULL);
	put_sys("nodes/2/addr", "10.77.0.12\n");

	put_sys("master_addr", "localhost\n");
	unavailable("master", EIO);
	put_sys("master_addr", "10.77.0.1\n");

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		put_sys("numnodes", bad[i]);
		unavailable("n0", EIO);
	}
	put_sys("numnodes", "4");
	resolves("n0", "n0", "10.77.0.10", NULL);
	put_sys("numnodes", "4\n");

	/* node 3 gone between numnodes and its directory: not found */
	snprintf(path, sizeof(path), "%s/nodes/3", sys);
	rmtree(path);
	not_found("n3");
	r = byaddr("10.77.0.13");
	assert_int_equal(r->st, NSS_STATUS_NOTFOUND);
	r = byaddr("10.77.0.12");
	assert_int_equal(r->st, NSS_STATUS_SUCCESS);
	assert_string_equal(r->he.h_name, "n2");

	/* a hostname file that is there but unreadable: cannot tell */
	assert_int_equal(mkdir(hostfile, 0755), 0);
	unavailable("head", EISDIR);
	/* names of ours do not need it */
	resolves("master", "master", "10.77.0.1", NULL);
	resolves("n0", "n0", "10.77.0.10", NULL);
	assert_int_equal(rmdir(hostfile), 0);
}

static void a_success_leaves_errno_alone(void **state)
{
	struct hostent he;
	char buf[256];
	int herr = 0;

	(void)state;
	errno = EXDEV;
	assert_int_equal(bproc_nss_byname(&paths, "n0", AF_INET, &he, buf, sizeof(buf),
					  &errno, &herr, NULL),
			 NSS_STATUS_SUCCESS);
	assert_int_equal(errno, EXDEV);
	/* glibc passes &errno: a failure's errno is the one it reports */
	assert_int_equal(bproc_nss_byname(&paths, "n1", AF_INET, &he, buf, sizeof(buf),
					  &errno, &herr, NULL),
			 NSS_STATUS_NOTFOUND);
	assert_int_equal(errno, ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(node_names_resolve_to_the_node_table_addresses, fresh_tree),
		cmocka_unit_test_setup(master_resolves_by_name_and_by_the_masters_hostname, fresh_tree),
		cmocka_unit_test_setup(a_name_without_an_address_is_not_found, fresh_tree),
		cmocka_unit_test_setup(malformed_and_out_of_range_names_are_not_found, fresh_tree),
		cmocka_unit_test_setup(only_ipv4_other_families_are_refused, fresh_tree),
		cmocka_unit_test_setup(addresses_resolve_to_the_canonical_names, fresh_tree),
		cmocka_unit_test_setup(gethostbyname4_gives_one_ipv4_tuple, fresh_tree),
		cmocka_unit_test_setup(a_small_buffer_is_erange_and_results_stay_inside_aligned,
				       fresh_tree),
		cmocka_unit_test_setup(without_the_tree_bprocs_names_are_unavailable, fresh_tree),
		cmocka_unit_test_setup(a_broken_table_is_eio_a_shrunk_one_not_found, fresh_tree),
		cmocka_unit_test_setup(a_success_leaves_errno_alone, fresh_tree),
	};
	const char *tmp = getenv("TMPDIR");

	snprintf(top, sizeof(top), "%s/bproc-test-nss.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(top)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(sys, sizeof(sys), "%s/sys", top);
	snprintf(hostfile, sizeof(hostfile), "%s/hostname", top);
	paths.sysfs = sys;
	paths.hostname = hostfile;

	return cmocka_run_group_tests_name("nss", tests, NULL, cleanup);
}
