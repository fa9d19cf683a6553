// SPDX-License-Identifier: LGPL-2.1-only
/*
 * libbproc: the node calls, over /sys/bproc (numnodes, master_addr,
 * nodes/N/{status,addr,user,group,mode,reboot,halt,pwroff}) and the
 * BPROC_IOC_CURRNODE / BPROC_IOC_NODE_ACCESS ioctls of /dev/bproc/control.
 *
 * Node numbers.  The caller's numbers are "virtual" when a node map is set
 * (bproc_set_node_map(), or $HOME/.bprocnodes through bproc_init()): node i
 * is then the real node map[i], and bproc_numnodes() is the map's length.
 * BPROC_NODE_MASTER (-1) is the master with or without a map, and
 * BPROC_NODE_SELF (-2) the node the caller runs on.  Any other number that
 * names no node fails with ENODEV.  Numbers the library hands back
 * (bproc_currnode(), the node field of bproc_nodeinfo() and
 * bproc_nodelist()) are virtual too.
 *
 * Every call reads the files afresh: nothing about the cluster is cached.
 * The master has no directory under /sys/bproc/nodes: it is always "up",
 * mode 0111, owned by root, and its address is /sys/bproc/master_addr.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/bproc.h>
#include <sys/bproc.h>

#include "internal.h"

/* Longest map: bproc_set_node_map() and $HOME/.bprocnodes. */
#define NODE_MAP_MAX	(1024 * 1024)
/* Largest $HOME/.bprocnodes read. */
#define NODE_MAP_FILE_MAX	(1024 * 1024)

int bproc_lib_wait_ms = 60 * 1000;

/* ---- the node map -------------------------------------------------- */

static pthread_mutex_t map_lock = PTHREAD_MUTEX_INITIALIZER;
static int *node_map;		/* virtual node i is real node node_map[i] */
static int node_map_len;

int bproc_set_node_map(int *map, int n)
{
	int *copy, *old;
	int i;

	if (n <= 0 || n > NODE_MAP_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (!map) {
		errno = EFAULT;
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (map[i] < BPROC_NODE_MASTER || map[i] >= BPROC_NODES_MAX) {
			errno = EINVAL;
			return -1;
		}
	}
	copy = malloc((size_t)n * sizeof(*copy));
	if (!copy) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(copy, map, (size_t)n * sizeof(*copy));

	pthread_mutex_lock(&map_lock);
	old = node_map;
	node_map = copy;
	node_map_len = n;
	pthread_mutex_unlock(&map_lock);
	free(old);
	return 0;
}

int bproc_clear_node_map(void)
{
	int *old;

	pthread_mutex_lock(&map_lock);
	old = node_map;
	node_map = NULL;
	node_map_len = 0;
	pthread_mutex_unlock(&map_lock);
	free(old);
	return 0;
}

/* A copy of the map (NULL and 0 without one); -1/ENOMEM. */
static int map_copy(int **map, int *len)
{
	int ret = 0;

	*map = NULL;
	*len = 0;
	pthread_mutex_lock(&map_lock);
	if (node_map) {
		*map = malloc((size_t)node_map_len * sizeof(**map));
		if (*map) {
			memcpy(*map, node_map, (size_t)node_map_len * sizeof(**map));
			*len = node_map_len;
		} else {
			ret = -1;
		}
	}
	pthread_mutex_unlock(&map_lock);
	if (ret)
		errno = ENOMEM;
	return ret;
}

/* The caller's number for real node @real: first map index, or BPROC_NODE_NONE. */
static int real_to_virtual(int real)
{
	int i, ret = real;

	if (real < 0)
		return real;
	pthread_mutex_lock(&map_lock);
	if (node_map) {
		ret = BPROC_NODE_NONE;
		for (i = 0; i < node_map_len; i++) {
			if (node_map[i] == real) {
				ret = i;
				break;
			}
		}
	}
	pthread_mutex_unlock(&map_lock);
	return ret;
}

/* ---- the current node ---------------------------------------------- */

/* The real node the caller runs on. */
static int currnode_real(int *real)
{
	__s32 node = BPROC_NODE_NONE;
	int fd;

	fd = bproc_control_fd();
	if (fd < 0)
		return -1;
	if (ioctl(fd, BPROC_IOC_CURRNODE, &node) < 0)
		return -1;
	*real = node;
	return 0;
}

int bproc_currnode(void)
{
	int real;

	/* -1 is both the error return and BPROC_NODE_MASTER: see libbproc(3) */
	if (currnode_real(&real))
		return -1;
	return real_to_virtual(real);
}

/*
 * The real node behind the caller's @node: BPROC_NODE_MASTER or >= 0
 * (not checked against the node table: the node's files do that).
 */
static int resolve(int node, int *real)
{
	int ret = 0;

	if (node == BPROC_NODE_SELF)
		return currnode_real(real);
	pthread_mutex_lock(&map_lock);
	if (node == BPROC_NODE_MASTER)
		*real = BPROC_NODE_MASTER;
	else if (node < 0 || (node_map && node >= node_map_len))
		ret = -1;
	else
		*real = node_map ? node_map[node] : node;
	pthread_mutex_unlock(&map_lock);
	if (ret)
		errno = ENODEV;
	return ret;
}

/* ---- node files ---------------------------------------------------- */

/* Read nodes/@real/@file (@real >= 0); a missing node is ENODEV. */
static int node_read(int real, const char *file, char *buf, size_t size)
{
	char rel[64];
	int r;

	snprintf(rel, sizeof(rel), "nodes/%d/%s", real, file);
	r = bproc_lib_read(bproc_lib_sysfs(), rel, buf, size);
	if (r < 0 && errno == ENOENT)
		errno = ENODEV;
	return r;
}

/* Write @text to nodes/@real/@file; the master has no files (EINVAL). */
static int node_write(int real, const char *file, const char *text)
{
	char rel[64];
	int r;

	if (real < 0) {
		errno = EINVAL;
		return -1;
	}
	snprintf(rel, sizeof(rel), "nodes/%d/%s", real, file);
	r = bproc_lib_write(bproc_lib_sysfs(), rel, text);
	if (r < 0 && errno == ENOENT)
		errno = ENODEV;
	return r;
}

/* An unsigned number in @base, the whole of @s; false if not. */
static bool parse_uint(const char *s, int base, unsigned int *val)
{
	int saved = errno;
	unsigned long v;
	bool ok;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, base);
	ok = !errno && !*end && v <= UINT_MAX;
	errno = saved;
	if (ok)
		*val = (unsigned int)v;
	return ok;
}

static int read_numnodes(void)
{
	unsigned int n;
	char buf[32];

	if (bproc_lib_read(bproc_lib_sysfs(), "numnodes", buf, sizeof(buf)) < 0)
		return -1;
	if (!parse_uint(buf, 10, &n) || n > BPROC_NODES_MAX) {
		errno = EIO;
		return -1;
	}
	return (int)n;
}

/* The address of real node @real (or of the master), 0.0.0.0 for none. */
static int read_addr(int real, struct in_addr *addr)
{
	char buf[64];
	int r;

	if (real == BPROC_NODE_MASTER)
		r = bproc_lib_read(bproc_lib_sysfs(), "master_addr", buf, sizeof(buf));
	else
		r = node_read(real, "addr", buf, sizeof(buf));
	if (r < 0)
		return -1;
	if (inet_pton(AF_INET, buf, addr) != 1) {
		errno = EIO;
		return -1;
	}
	return 0;
}

static void fill_sockaddr(struct sockaddr *s, struct in_addr addr)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = addr;
	memcpy(s, &sin, sizeof(sin));
}

/* The status of real node @real into @buf (>= BPROC_STATE_LEN + 1 bytes). */
static int read_status(int real, char *buf, size_t size)
{
	char tmp[64];
	int r;

	if (real == BPROC_NODE_MASTER) {
		snprintf(buf, size, "up");
		return 2;
	}
	r = node_read(real, "status", tmp, sizeof(tmp));
	if (r < 0)
		return -1;
	if (r == 0 || (size_t)r >= size) {
		errno = EIO;
		return -1;
	}
	memcpy(buf, tmp, (size_t)r + 1);
	return r;
}

/* Everything about real node @real; info->node is left to the caller. */
static int info_real(int real, struct bproc_node_info_t *info)
{
	struct in_addr addr;
	unsigned int val[3];
	static const char *const files[3] = { "user", "group", "mode" };
	char buf[32];
	int i;

	memset(info, 0, sizeof(*info));
	if (read_status(real, info->status, sizeof(info->status)) < 0)
		return -1;
	if (real == BPROC_NODE_MASTER) {
		val[0] = 0;
		val[1] = 0;
		val[2] = 0111;
	} else {
		for (i = 0; i < 3; i++) {
			if (node_read(real, files[i], buf, sizeof(buf)) < 0)
				return -1;
			if (!parse_uint(buf, i == 2 ? 8 : 10, &val[i])) {
				errno = EIO;
				return -1;
			}
		}
	}
	if (read_addr(real, &addr))
		return -1;
	info->user = val[0];
	info->group = val[1];
	info->mode = val[2] & 07777;
	fill_sockaddr(&info->addr, addr);
	return 0;
}

/* ---- the manual's calls -------------------------------------------- */

/*
 * $HOME/.bprocnodes: real node numbers (-1 is the master), decimal,
 * separated by white space; '#' starts a comment to the end of the line.
 * Entry i of the file is node i for this process.
 */
static int parse_node_map_file(const char *text, int **mapp, int *lenp)
{
	const char *p = text;
	int *map = NULL, len = 0, alloc = 0;

	while (*p) {
		long v;
		char *end;

		if (*p == '#') {
			p += strcspn(p, "\n");
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			p++;
			continue;
		}
		if (!(*p >= '0' && *p <= '9') && *p != '-')
			goto inval;
		errno = 0;
		v = strtol(p, &end, 10);
		if (errno || end == p || v < BPROC_NODE_MASTER ||
		    v >= BPROC_NODES_MAX)
			goto inval;
		if (*end && !strchr(" \t\r\n#", *end))
			goto inval;
		if (len == alloc) {
			int *tmp;

			if (alloc >= NODE_MAP_MAX)
				goto inval;
			alloc = alloc ? alloc * 2 : 64;
			tmp = realloc(map, (size_t)alloc * sizeof(*map));
			if (!tmp) {
				free(map);
				errno = ENOMEM;
				return -1;
			}
			map = tmp;
		}
		map[len++] = (int)v;
		p = end;
	}
	if (len == 0)
		goto inval;
	*mapp = map;
	*lenp = len;
	return 0;
inval:
	free(map);
	errno = EINVAL;
	return -1;
}

static int load_node_map(void)
{
	const char *home = getenv("HOME");
	char path[PATH_MAX];
	char *text = NULL;
	int *map = NULL;
	size_t got = 0;
	int n, len, err, ret = -1;
	FILE *f;

	if (!home || !*home)
		return 0;
	n = snprintf(path, sizeof(path), "%s/.bprocnodes", home);
	if (n < 0 || (size_t)n >= sizeof(path))
		return 0;	/* no such file can exist */
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -1;
	text = malloc(NODE_MAP_FILE_MAX + 1);
	if (!text) {
		errno = ENOMEM;
		goto out;
	}
	got = fread(text, 1, NODE_MAP_FILE_MAX + 1, f);
	if (ferror(f)) {
		errno = EIO;
		goto out;
	}
	if (got > NODE_MAP_FILE_MAX || memchr(text, '\0', got)) {
		errno = EINVAL;
		goto out;
	}
	text[got] = '\0';
	if (parse_node_map_file(text, &map, &len))
		goto out;
	ret = bproc_set_node_map(map, len);
out:
	err = errno;
	free(map);
	free(text);
	fclose(f);
	errno = err;
	return ret;
}

int bproc_init(void)
{
	if (read_numnodes() < 0)
		return -1;
	return load_node_map();
}

int bproc_numnodes(void)
{
	int n = -1;

	pthread_mutex_lock(&map_lock);
	if (node_map)
		n = node_map_len;
	pthread_mutex_unlock(&map_lock);
	if (n >= 0)
		return n;
	return read_numnodes();
}

int bproc_nodeup(int node)
{
	char status[BPROC_STATE_LEN + 1];

	return bproc_nodestatus(node, status, sizeof(status)) >= 0 &&
	       strcmp(status, "up") == 0;
}

int bproc_nodeaddr(int node, struct sockaddr *s, int size)
{
	struct in_addr addr;
	int real;

	if (!s) {
		errno = EFAULT;
		return -1;
	}
	if (size < (int)sizeof(struct sockaddr_in)) {
		errno = EINVAL;
		return -1;
	}
	if (resolve(node, &real) || read_addr(real, &addr))
		return -1;
	fill_sockaddr(s, addr);
	return 0;
}

int bproc4_nodeaddr(int node, struct sockaddr *s, int *size)
{
	struct in_addr addr;
	int real;

	if (!s || !size) {
		errno = EFAULT;
		return -1;
	}
	if (*size < (int)sizeof(struct sockaddr_in)) {
		errno = ERANGE;
		return -1;
	}
	if (resolve(node, &real) || read_addr(real, &addr))
		return -1;
	fill_sockaddr(s, addr);
	*size = (int)sizeof(struct sockaddr_in);
	return 0;
}

/* ---- bproc 4's calls ----------------------------------------------- */

int bproc_nodestatus(int node, char *status, int len)
{
	char buf[BPROC_STATE_LEN + 1];
	int real, n;

	if (len < 0) {
		errno = EINVAL;
		return -1;
	}
	if (len > 0 && !status) {
		errno = EFAULT;
		return -1;
	}
	if (resolve(node, &real))
		return -1;
	n = read_status(real, buf, sizeof(buf));
	if (n < 0)
		return -1;
	if (len == 0)		/* the size needed, as getxattr(2) */
		return n;
	if (n >= len) {
		errno = ERANGE;
		return -1;
	}
	memcpy(status, buf, (size_t)n + 1);
	return n;
}

int bproc_nodeinfo(int node, struct bproc_node_info_t *info)
{
	int real;

	if (!info) {
		errno = EFAULT;
		return -1;
	}
	if (resolve(node, &real) || info_real(real, info))
		return -1;
	info->node = node == BPROC_NODE_SELF ? real_to_virtual(real) : node;
	return 0;
}

int bproc_nodelist(struct bproc_node_set_t *ns)
{
	struct bproc_node_info_t info;
	int *map, n, i;

	if (!ns) {
		errno = EFAULT;
		return -1;
	}
	bproc_nodeset_init(ns, 0);
	if (map_copy(&map, &n))
		return -1;
	if (!map) {
		n = read_numnodes();
		if (n < 0)
			return -1;
	}
	if (bproc_nodeset_grow(ns, n))
		goto fail;
	for (i = 0; i < n; i++) {
		if (info_real(map ? map[i] : i, &info)) {
			/*
			 * Gone since numnodes was read, or a map entry for
			 * a node that does not exist: not listed.
			 */
			if (errno == ENODEV)
				continue;
			goto fail;
		}
		info.node = i;
		ns->node[ns->size++] = info;
	}
	free(map);
	return ns->size;
fail:
	i = errno;
	free(map);
	bproc_nodeset_free(ns);
	errno = i;
	return -1;
}

int bproc_nodespec(struct bproc_node_set_t *ns, const char *str)
{
	struct bproc_node_set_t all;
	struct bproc_node_info_t master;
	bool have_master;
	int r, err;

	if (!ns || !str) {
		errno = EFAULT;
		return -1;
	}
	if (bproc_nodelist(&all) < 0) {
		bproc_nodeset_init(ns, 0);
		return -1;
	}
	/* without master_addr the parser's stand-in (0.0.0.0) will do */
	have_master = info_real(BPROC_NODE_MASTER, &master) == 0;
	master.node = BPROC_NODE_MASTER;
	r = bproc_lib_nodespec(ns, &all, str, have_master ? &master : NULL);
	err = errno;
	bproc_nodeset_free(&all);
	errno = err;
	return r;
}

int bproc_access(int node, int mode)
{
	struct bproc_node_access req;
	int real, fd;

	if (resolve(node, &real))
		return -1;
	if (real == BPROC_NODE_MASTER)
		return 0;	/* anyone may run on the master */
	fd = bproc_control_fd();
	if (fd < 0)
		return -1;
	memset(&req, 0, sizeof(req));
	req.node = real;
	req.mode = (__u32)mode;
	return ioctl(fd, BPROC_IOC_NODE_ACCESS, &req) < 0 ? -1 : 0;
}

static int write_id(int node, const char *file, int id)
{
	char buf[16];
	int real;

	if (id < 0) {
		errno = EINVAL;
		return -1;
	}
	if (resolve(node, &real))
		return -1;
	snprintf(buf, sizeof(buf), "%d", id);
	return node_write(real, file, buf);
}

int bproc_chown(int node, int user)
{
	return write_id(node, "user", user);
}

int bproc_chgrp(int node, int group)
{
	return write_id(node, "group", group);
}

int bproc_chmod(int node, int mode)
{
	char buf[16];
	int real;

	/* A file-like mode; only the x bits mean something for a node. */
	if (mode < 0 || mode & ~07777) {
		errno = EINVAL;
		return -1;
	}
	if (resolve(node, &real))
		return -1;
	snprintf(buf, sizeof(buf), "%o", (unsigned int)mode & BPROC_NODE_MODE_MASK);
	return node_write(real, "mode", buf);
}

int bproc_nodesetstatus(int node, char *status)
{
	int real;

	if (!status) {
		errno = EFAULT;
		return -1;
	}
	if (!*status || strchr(status, '\n')) {
		errno = EINVAL;
		return -1;
	}
	if (resolve(node, &real))
		return -1;
	return node_write(real, "status", status);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Ask node @node to reboot, halt or power off (@file), and unless @async
 * wait until it has gone: its status is down (or boot, already coming
 * back).  Waits bproc_lib_wait_ms at most (then ETIMEDOUT).
 */
static int node_power(int node, const char *file, bool async)
{
	char status[BPROC_STATE_LEN + 1];
	long long deadline, left;
	int real, step_ms = 10;
	struct timespec ts;

	if (resolve(node, &real) || node_write(real, file, "1"))
		return -1;
	if (async)
		return 0;
	deadline = now_ms() + bproc_lib_wait_ms;
	for (;;) {
		if (read_status(real, status, sizeof(status)) < 0)
			return -1;
		if (!strcmp(status, "down") || !strcmp(status, "boot"))
			return 0;
		left = deadline - now_ms();
		if (left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (left > step_ms)
			left = step_ms;
		ts.tv_sec = left / 1000;
		ts.tv_nsec = (left % 1000) * 1000000;
		nanosleep(&ts, NULL);
		if (step_ms < 200)
			step_ms *= 2;
	}
}

int bproc_nodereboot(int node)
{
	return node_power(node, "reboot", false);
}

int bproc_nodehalt(int node)
{
	return node_power(node, "halt", false);
}

int bproc_nodepwroff(int node)
{
	return node_power(node, "pwroff", false);
}

int bproc_nodereboot_async(int node)
{
	return node_power(node, "reboot", true);
}

int bproc_nodehalt_async(int node)
{
	return node_power(node, "halt", true);
}

int bproc_nodepwroff_async(int node)
{
	return node_power(node, "pwroff", true);
}

/* For lib/move.c: the real node behind the caller's @node. */
int bproc_lib_resolve(int node, int *real)
{
	return resolve(node, real);
}
