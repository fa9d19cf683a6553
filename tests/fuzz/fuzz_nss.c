// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for libnss_bproc's lookups (lib/nss/nss_bproc.c): every
 * program that resolves a host name hands the module a name it may have
 * from anyone (a URL, a mail header, a setuid program's argument), and on a
 * node the master's /etc/hostname is parsed at each lookup.
 *
 *   make fuzz && build/fuzz/fuzz_nss -max_total_time=60 CORPUS_DIR
 *
 * A fixed node table under a temporary directory: four nodes, 0 at
 * 10.77.0.10, 1 without an address, 2 and 3 at 10.77.0.12 and .13, the
 * master at 10.77.0.1.  Input: byte 0 is the buffer's length / 2 (the
 * buffer is malloc'ed to exactly that size, so ASan sees any overrun);
 * byte 1 the call (low two bits: byname AF_INET, byname AF_INET6,
 * byname4, byaddr) and, in bit 2, whether the hostname file exists; the
 * rest, up to a NUL, the hostname file's bytes, then the name (for byaddr,
 * its first four bytes are the address).
 *
 * Checks, besides what ASan/UBSan catch:
 *  - the status is SUCCESS, NOTFOUND or TRYAGAIN (nothing is missing or
 *    broken here, so never UNAVAIL); TRYAGAIN is ERANGE with NETDB_INTERNAL,
 *    NOTFOUND is ENOENT;
 *  - a success lies wholly inside the buffer, its pointers aligned; its
 *    canonical name is "master" or "nN" of a node with an address, and its
 *    address is that host's;
 *  - a TRYAGAIN succeeds with a larger buffer, and a buffer's size changes
 *    nothing else: a result with a large one is the same.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <nss.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nss_bproc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define check(cond) do { if (!(cond)) __builtin_trap(); } while (0)

static char top[128], sys[160], hostfile[160];
static struct bproc_nss_paths paths;

static const char *const node_addr[] = {
	"10.77.0.10", NULL, "10.77.0.12", "10.77.0.13",
};

static void put(const char *path, const void *bytes, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	check(fd >= 0);
	check(write(fd, bytes, len) == (ssize_t)len);
	check(close(fd) == 0);
}

static void make_tree(void)
{
	char path[256];
	int i;

	snprintf(top, sizeof(top), "%s/bproc-fuzz-nss.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	check(mkdtemp(top));
	snprintf(sys, sizeof(sys), "%s/sys", top);
	snprintf(hostfile, sizeof(hostfile), "%s/hostname", top);
	check(mkdir(sys, 0755) == 0);
	snprintf(path, sizeof(path), "%s/nodes", sys);
	check(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/numnodes", sys);
	put(path, "4\n", 2);
	snprintf(path, sizeof(path), "%s/master_addr", sys);
	put(path, "10.77.0.1\n", 10);
	for (i = 0; i < 4; i++) {
		const char *a = node_addr[i] ? node_addr[i] : "0.0.0.0";
		char line[32];

		snprintf(path, sizeof(path), "%s/nodes/%d", sys, i);
		check(mkdir(path, 0755) == 0);
		snprintf(path, sizeof(path), "%s/nodes/%d/addr", sys, i);
		snprintf(line, sizeof(line), "%s\n", a);
		put(path, line, strlen(line));
	}
	paths.sysfs = sys;
	paths.hostname = hostfile;
}

static void remove_tree(void)
{
	char path[256];
	int i;

	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/nodes/%d/addr", sys, i);
		unlink(path);
		snprintf(path, sizeof(path), "%s/nodes/%d", sys, i);
		rmdir(path);
	}
	snprintf(path, sizeof(path), "%s/nodes", sys);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/numnodes", sys);
	unlink(path);
	snprintf(path, sizeof(path), "%s/master_addr", sys);
	unlink(path);
	rmdir(sys);
	unlink(hostfile);
	rmdir(top);
}

/* What a lookup gave, in a form that does not depend on the buffer. */
struct outcome {
	enum nss_status st;
	int err, herr;
	char name[16];
	char alias[BPROC_NSS_NAME_MAX + 1];
	uint32_t addr;
};

static void inside(const void *p, size_t len, const char *buf, size_t buflen)
{
	check((const char *)p >= buf && (const char *)p + len <= buf + buflen);
}

static void inside_string(const char *s, const char *buf, size_t buflen)
{
	check(s >= buf && s < buf + buflen);
	check(memchr(s, '\0', (size_t)(buf + buflen - s)));
}

/* The address that canonical name @name stands for. */
static uint32_t address_of(const char *name)
{
	struct in_addr a;
	int n;

	if (!strcmp(name, "master")) {
		check(inet_pton(AF_INET, "10.77.0.1", &a) == 1);
		return a.s_addr;
	}
	check(name[0] == 'n' && name[1] >= '0' && name[1] <= '3' && !name[2]);
	n = name[1] - '0';
	check(node_addr[n]);
	check(inet_pton(AF_INET, node_addr[n], &a) == 1);
	return a.s_addr;
}

static void check_hostent(const struct hostent *he, const char *buf, size_t len,
			  struct outcome *o)
{
	check(he->h_addrtype == AF_INET && he->h_length == 4);
	check((uintptr_t)he->h_addr_list % alignof(char *) == 0);
	check((uintptr_t)he->h_aliases % alignof(char *) == 0);
	inside(he->h_addr_list, 2 * sizeof(char *), buf, len);
	inside(he->h_aliases, sizeof(char *), buf, len);
	check(he->h_addr_list[0] && !he->h_addr_list[1]);
	inside(he->h_addr_list[0], 4, buf, len);
	inside_string(he->h_name, buf, len);
	check(strlen(he->h_name) < sizeof(o->name));
	strcpy(o->name, he->h_name);
	memcpy(&o->addr, he->h_addr_list[0], 4);
	if (he->h_aliases[0]) {
		inside(he->h_aliases, 2 * sizeof(char *), buf, len);
		check(!he->h_aliases[1]);
		inside_string(he->h_aliases[0], buf, len);
		/* only the master has one: its host name */
		check(!strcmp(o->name, "master"));
		check(strlen(he->h_aliases[0]) <= BPROC_NSS_NAME_MAX);
		strcpy(o->alias, he->h_aliases[0]);
	}
}

static struct outcome lookup(int call, const char *name, const uint8_t *addr,
			     size_t len)
{
	struct gaih_addrtuple *pat = NULL;
	char *buf = malloc(len ? len : 1);
	struct outcome o;
	struct hostent he;

	check(buf);
	memset(&o, 0, sizeof(o));
	switch (call) {
	case 0:
	case 1:
		o.st = bproc_nss_byname(&paths, name, call ? AF_INET6 : AF_INET,
					&he, buf, len, &o.err, &o.herr, NULL);
		break;
	case 2:
		o.st = bproc_nss_byname4(&paths, name, &pat, buf, len, &o.err,
					 &o.herr);
		break;
	default:
		o.st = bproc_nss_byaddr(&paths, addr, 4, AF_INET, &he, buf, len,
					&o.err, &o.herr);
		break;
	}
	check(o.st == NSS_STATUS_SUCCESS || o.st == NSS_STATUS_NOTFOUND ||
	      o.st == NSS_STATUS_TRYAGAIN);
	if (o.st == NSS_STATUS_TRYAGAIN)
		check(o.err == ERANGE && o.herr == NETDB_INTERNAL);
	if (o.st == NSS_STATUS_NOTFOUND)
		check(o.err == ENOENT && (o.herr == HOST_NOT_FOUND ||
					  (call == 1 && o.herr == NO_DATA)));
	if (o.st == NSS_STATUS_SUCCESS) {
		check(o.herr == NETDB_SUCCESS);
		check(call != 1);
		if (call == 2) {
			check((uintptr_t)pat % alignof(struct gaih_addrtuple) == 0);
			inside(pat, sizeof(*pat), buf, len);
			check(!pat->next && pat->family == AF_INET);
			check(!pat->addr[1] && !pat->addr[2] && !pat->addr[3]);
			inside_string(pat->name, buf, len);
			check(strlen(pat->name) < sizeof(o.name));
			strcpy(o.name, pat->name);
			o.addr = pat->addr[0];
		} else {
			check_hostent(&he, buf, len, &o);
		}
		check(o.addr == address_of(o.name));
		/* an alias only when asked by the master's host name */
		if (o.alias[0])
			check(call == 0 && !strcasecmp(o.alias, name));
		if (call == 3)
			check(!memcmp(&o.addr, addr, 4));
	}
	free(buf);
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct outcome small, large;
	const uint8_t *nul;
	size_t len, text_len;
	char *name;
	uint8_t addr[4] = { 0 };
	bool hostname;
	int call;

	if (!paths.sysfs) {
		make_tree();
		atexit(remove_tree);
	}
	if (size < 2)
		return 0;
	len = (size_t)data[0] * 2;
	call = data[1] & 3;
	hostname = data[1] & 4;
	data += 2;
	size -= 2;
	nul = memchr(data, '\0', size);
	text_len = nul ? (size_t)(nul - data) : size;
	if (hostname)
		put(hostfile, data, text_len);
	else
		unlink(hostfile);
	data += nul ? text_len + 1 : text_len;
	size -= nul ? text_len + 1 : text_len;
	name = malloc(size + 1);
	check(name);
	memcpy(name, data, size);
	name[size] = '\0';
	memcpy(addr, data, size < 4 ? size : 4);

	small = lookup(call, name, addr, len);
	large = lookup(call, name, addr, 4096);
	check(large.st != NSS_STATUS_TRYAGAIN);
	if (small.st == NSS_STATUS_TRYAGAIN)
		check(large.st == NSS_STATUS_SUCCESS);
	else
		check(small.st == large.st && small.err == large.err &&
		      small.herr == large.herr && !strcmp(small.name, large.name) &&
		      !strcmp(small.alias, large.alias) && small.addr == large.addr);
	free(name);
	return 0;
}
