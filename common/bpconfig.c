// SPDX-License-Identifier: GPL-2.0-only OR LGPL-2.1-only
/*
 * bpconfig - the parser of bpmaster's configuration file (bpconfig.h; the
 * format is in bproc.conf(5)).
 *
 * One pass over the lines, in order, so the error reported is the first
 * one in the file.  Node addresses go into a table of BPROC_NODES_MAX
 * entries and an open-addressing hash of the addresses (duplicates are
 * found in O(1) per address, whatever the file says); on success both are
 * copied into the result at their final size.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "bpconfig.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
/* The kernel's name for it (include/linux/compiler_attributes.h). */
#ifndef __printf
#define __printf(a, b) __attribute__((__format__(printf, a, b)))
#endif

/* The parse-time hash: a power of two, at least twice BPROC_NODES_MAX. */
#define PARSE_HASH_SIZE	(2 * BPROC_NODES_MAX)
#define HASH_EMPTY	(-1)
/* Most words a line can hold: every other byte a separator. */
#define MAX_WORDS	(BPCONFIG_LINE_MAX / 2 + 1)

_Static_assert(INT16_MAX + 1 >= BPROC_NODES_MAX, "node numbers fit the hash's int16_t");
_Static_assert((PARSE_HASH_SIZE & (PARSE_HASH_SIZE - 1)) == 0, "hash size is a power of two");

/* Keywords that may appear once: where each was (struct parser.once_line). */
enum {
	ONCE_INTERFACE,
	ONCE_PORT,
	ONCE_PINGTIMEOUT,
	ONCE_NODES,
	ONCE_LOGFACILITY,
	ONCE_NR,
	REPEATS = -1,
};

struct parser {
	const char *name;
	unsigned int line;
	char *err;
	size_t errlen;
	struct bpconfig *cfg;	/* scalars go straight in */
	uint32_t *addr;		/* BPROC_NODES_MAX, network order, 0 = none */
	unsigned int *addr_line;	/* where each node got its address */
	int16_t *hash;		/* PARSE_HASH_SIZE nodes, HASH_EMPTY */
	unsigned int naddrs;
	int highest;		/* highest node with an address, -1 */
	int nodes;		/* 'nodes N', 0 if not given */
	unsigned int once_line[ONCE_NR];	/* where a keyword allowed once was */
	char **libs;
	unsigned int nlibs;
	struct bpconfig_mount *mounts;	/* BPCONFIG_MOUNTS_MAX */
	unsigned int nmounts;
};

/* ---- errors -------------------------------------------------------- */

static __printf(2, 3) int error(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	errno = EINVAL;
	if (!ps->errlen)
		return -1;
	if (ps->line)
		n = snprintf(ps->err, ps->errlen, "%s:%u: ", ps->name, ps->line);
	else
		n = snprintf(ps->err, ps->errlen, "%s: ", ps->name);
	if (n >= 0 && (size_t)n < ps->errlen) {
		va_start(ap, fmt);
		vsnprintf(ps->err + n, ps->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* A word from the file, made safe to print: at most 40 bytes, '?' for bytes
 * that are not printable ASCII.
 */
struct quoted {
	char s[44];
};

static struct quoted quote(const char *w)
{
	struct quoted q;
	size_t i;

	for (i = 0; w[i] && i < 40; i++)
		q.s[i] = (w[i] > 0x20 && w[i] < 0x7f) ? w[i] : '?';
	if (w[i])
		q.s[i++] = '.', q.s[i++] = '.', q.s[i++] = '.';
	q.s[i] = '\0';
	return q;
}

struct addr_str {
	char s[INET_ADDRSTRLEN];
};

static struct addr_str addr_str(uint32_t be)
{
	struct addr_str a;

	inet_ntop(AF_INET, &be, a.s, sizeof(a.s));
	return a;
}

/* ---- words ----------------------------------------------------------- */

static bool is_number(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* A decimal number 0..@max, digits only. */
static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (!is_number(s))
		return false;
	for (; *s; s++) {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

/*
 * A dotted quad, strictly: four decimal parts 0..255 without leading zeros
 * (inet_aton() would read "010" as octal and "10.1" as 10.0.0.1).
 */
static bool parse_addr(const char *s, uint32_t *be)
{
	uint32_t host = 0;
	int part;

	for (part = 0; part < 4; part++) {
		unsigned int v = 0, digits = 0;

		if (part && *s++ != '.')
			return false;
		if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
			return false;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned int)(*s++ - '0');
			digits++;
		}
		if (!digits || v > 255)
			return false;
		host = host << 8 | v;
	}
	if (*s)
		return false;
	*be = htonl(host);
	return true;
}

/* An address a node or the master can have. */
static int get_addr(struct parser *ps, const char *w, uint32_t *be)
{
	if (!parse_addr(w, be))
		return error(ps, "bad IPv4 address '%s'", quote(w).s);
	if (*be == 0 || *be == 0xffffffffu)
		return error(ps, "address %s cannot be a host's", w);
	return 0;
}

static int get_node(struct parser *ps, const char *w, int *node)
{
	unsigned long v;

	if (!parse_uint(w, ULONG_MAX / 10, &v) || v >= BPROC_NODES_MAX)
		return error(ps, "bad node number '%s' (0..%d)", quote(w).s,
			     BPROC_NODES_MAX - 1);
	*node = (int)v;
	return 0;
}

/* ---- the address hash ------------------------------------------------ */

static uint32_t hash_of(uint32_t be, uint32_t mask)
{
	return ((be * 0x9e3779b1u) >> 16 ^ be) & mask;
}

static int hash_find(const int16_t *slot, uint32_t mask, const uint32_t *addr,
		     uint32_t be)
{
	uint32_t i;

	for (i = hash_of(be, mask); slot[i] != HASH_EMPTY; i = (i + 1) & mask)
		if (addr[slot[i]] == be)
			return slot[i];
	return BPROC_NODE_NONE;
}

static void hash_add(int16_t *slot, uint32_t mask, uint32_t be, int node)
{
	uint32_t i;

	for (i = hash_of(be, mask); slot[i] != HASH_EMPTY; i = (i + 1) & mask)
		;
	slot[i] = (int16_t)node;
}

/* ---- node addresses -------------------------------------------------- */

static int assign(struct parser *ps, int node, uint32_t be)
{
	int other;

	if (node >= BPROC_NODES_MAX)
		return error(ps, "node %d out of range (0..%d)", node,
			     BPROC_NODES_MAX - 1);
	if (ps->nodes && node >= ps->nodes)
		return error(ps, "node %d is beyond 'nodes %d' (line %u)", node,
			     ps->nodes, ps->once_line[ONCE_NODES]);
	if (ps->addr[node])
		return error(ps, "node %d already has address %s (line %u)", node,
			     addr_str(ps->addr[node]).s, ps->addr_line[node]);
	other = hash_find(ps->hash, PARSE_HASH_SIZE - 1, ps->addr, be);
	if (other != BPROC_NODE_NONE)
		return error(ps, "address %s already belongs to node %d (line %u)",
			     addr_str(be).s, other, ps->addr_line[other]);
	ps->addr[node] = be;
	ps->addr_line[node] = ps->line;
	hash_add(ps->hash, PARSE_HASH_SIZE - 1, be, node);
	ps->naddrs++;
	if (node > ps->highest)
		ps->highest = node;
	return 0;
}

/* ---- keywords ------------------------------------------------------- */

static int kw_interface(struct parser *ps, int argc, char **argv)
{
	const char *name = argv[1];
	size_t len = strlen(name);

	/* The kernel's dev_valid_name(); words hold no white space. */
	if (len > BPCONFIG_IFNAME_MAX || strchr(name, '/') ||
	    strchr(name, ':') || !strcmp(name, ".") || !strcmp(name, ".."))
		return error(ps, "bad interface name '%s'", quote(name).s);
	memcpy(ps->cfg->interface, name, len + 1);
	if (argc == 3)
		return get_addr(ps, argv[2], &ps->cfg->interface_addr);
	return 0;
}

static int kw_ip(struct parser *ps, int argc, char **argv)
{
	int node = ps->highest + 1, i = 1;

	if (is_number(argv[1])) {
		if (get_node(ps, argv[1], &node))
			return -1;
		if (argc < 3)
			return error(ps, "'ip %s' gives no address", argv[1]);
		i = 2;
	}
	for (; i < argc; i++, node++) {
		uint32_t be;

		if (get_addr(ps, argv[i], &be) || assign(ps, node, be))
			return -1;
	}
	return 0;
}

static int kw_iprange(struct parser *ps, int argc, char **argv)
{
	int node = ps->highest + 1;
	uint32_t first, last, a;

	if (argc == 4 && get_node(ps, argv[1], &node))
		return -1;
	if (get_addr(ps, argv[argc - 2], &first) ||
	    get_addr(ps, argv[argc - 1], &last))
		return -1;
	first = ntohl(first);
	last = ntohl(last);
	if (first > last)
		return error(ps, "empty range: %s comes after %s", argv[argc - 2],
			     argv[argc - 1]);
	if (last - first >= BPROC_NODES_MAX)
		return error(ps, "range of more than %d addresses", BPROC_NODES_MAX);
	for (a = first;; a++, node++) {
		if (assign(ps, node, htonl(a)))
			return -1;
		if (a == last)
			return 0;
	}
}

static int kw_nodes(struct parser *ps, int argc, char **argv)
{
	unsigned long v;

	(void)argc;
	if (!parse_uint(argv[1], BPROC_NODES_MAX, &v) || v < 1)
		return error(ps, "bad number of nodes '%s' (1..%d)", quote(argv[1]).s,
			     BPROC_NODES_MAX);
	if ((int)v <= ps->highest)
		return error(ps, "'nodes %lu' but node %d has an address (line %u)",
			     v, ps->highest, ps->addr_line[ps->highest]);
	ps->nodes = (int)v;
	return 0;
}

static int kw_bprocport(struct parser *ps, int argc, char **argv)
{
	unsigned long v;

	(void)argc;
	if (!parse_uint(argv[1], 65535, &v) || v < 1)
		return error(ps, "bad port '%s' (1..65535)", quote(argv[1]).s);
	ps->cfg->port = (uint16_t)v;
	return 0;
}

static int kw_pingtimeout(struct parser *ps, int argc, char **argv)
{
	unsigned long v;

	(void)argc;
	if (!parse_uint(argv[1], BPCONFIG_PINGTIMEOUT_MAX, &v) || v < 1)
		return error(ps, "bad pingtimeout '%s' (1..%d seconds)",
			     quote(argv[1]).s, BPCONFIG_PINGTIMEOUT_MAX);
	ps->cfg->pingtimeout = (unsigned int)v;
	return 0;
}

static int kw_libraries(struct parser *ps, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (argv[i][0] != '/')
			return error(ps, "library '%s' is not an absolute path",
				     quote(argv[i]).s);
		if (ps->nlibs == BPCONFIG_LIBS_MAX)
			return error(ps, "more than %d libraries", BPCONFIG_LIBS_MAX);
		ps->libs[ps->nlibs] = strdup(argv[i]);
		if (!ps->libs[ps->nlibs]) {
			error(ps, "out of memory");
			errno = ENOMEM;
			return -1;
		}
		ps->nlibs++;
	}
	return 0;
}

/*
 * mount SOURCE TARGET TYPE [OPTIONS]: what bpslave mounts in the node's
 * root (protocol MOUNT: the same rules, so the frame always decodes).
 */
static int kw_mount(struct parser *ps, int argc, char **argv)
{
	const char *opt = argc > 4 ? argv[4] : "";
	size_t ls = strlen(argv[1]), lt = strlen(argv[2]), ly = strlen(argv[3]);
	size_t lo = strlen(opt);
	struct bpconfig_mount *m;
	const char *c;
	char *buf;

	if (ps->nmounts == BPCONFIG_MOUNTS_MAX)
		return error(ps, "more than %d 'mount' lines", BPCONFIG_MOUNTS_MAX);
	if (argv[2][0] != '/')
		return error(ps, "mount target '%s' is not an absolute path",
			     quote(argv[2]).s);
	for (c = argv[2]; (c = strstr(c, "..")); c += 2)
		if (c[-1] == '/' && (c[2] == '/' || c[2] == '\0'))
			return error(ps, "mount target '%s' has a '..' component",
				     quote(argv[2]).s);
	for (c = argv[3]; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		      *c == '.' || *c == '_' || *c == '-'))
			return error(ps, "mount type '%s' is not a file system type",
				     quote(argv[3]).s);
	for (c = opt; *c; c++)
		if ((unsigned char)*c <= ' ' || (unsigned char)*c >= 0x7f)
			return error(ps, "mount options '%s' are not printable ASCII",
				     quote(opt).s);
	if (ls > 4095 || lt > 4095 || ly > 31 || lo > 1023)
		return error(ps, "mount line too long (source and target 4095 bytes, "
				 "type 31, options 1023)");
	buf = malloc(ls + lt + ly + lo + 4);
	if (!buf) {
		error(ps, "out of memory");
		errno = ENOMEM;
		return -1;
	}
	m = &ps->mounts[ps->nmounts++];
	m->source = memcpy(buf, argv[1], ls + 1);
	m->target = memcpy(buf + ls + 1, argv[2], lt + 1);
	m->type = memcpy(buf + ls + lt + 2, argv[3], ly + 1);
	m->options = memcpy(buf + ls + lt + ly + 3, opt, lo + 1);
	return 0;
}

static void free_mounts(struct bpconfig_mount *m, unsigned int n)
{
	while (n)
		free(m[--n].source);
	free(m);
}

static const struct {
	const char *name;
	int facility;
} facilities[] = {
	{ "daemon", LOG_DAEMON }, { "user", LOG_USER },
	{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
	{ "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
	{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
	{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
};

static int kw_logfacility(struct parser *ps, int argc, char **argv)
{
	size_t i;

	(void)argc;
	for (i = 0; i < ARRAY_SIZE(facilities); i++) {
		if (!strcmp(argv[1], facilities[i].name)) {
			ps->cfg->logfacility = facilities[i].facility;
			return 0;
		}
	}
	return error(ps, "unknown log facility '%s' (daemon, user, local0..local7)",
		     quote(argv[1]).s);
}

/* The keywords.  @once: ONCE_* for a keyword that may appear once. */
static const struct keyword {
	const char *name;
	int min_args, max_args;	/* max -1: any number */
	int once;
	int (*parse)(struct parser *ps, int argc, char **argv);
	const char *usage;
} keywords[] = {
	{ "interface", 1, 2, ONCE_INTERFACE, kw_interface, "interface IFNAME [ADDR]" },
	{ "bprocport", 1, 1, ONCE_PORT, kw_bprocport, "bprocport PORT" },
	{ "pingtimeout", 1, 1, ONCE_PINGTIMEOUT, kw_pingtimeout, "pingtimeout SECONDS" },
	{ "nodes", 1, 1, ONCE_NODES, kw_nodes, "nodes N" },
	{ "logfacility", 1, 1, ONCE_LOGFACILITY, kw_logfacility, "logfacility NAME" },
	{ "ip", 1, -1, REPEATS, kw_ip, "ip [NODE] ADDR..." },
	{ "iprange", 2, 3, REPEATS, kw_iprange, "iprange [NODE] FIRST LAST" },
	{ "libraries", 1, -1, REPEATS, kw_libraries, "libraries GLOB..." },
	{ "mount", 3, 4, REPEATS, kw_mount, "mount SOURCE TARGET TYPE [OPTIONS]" },
};

static int parse_words(struct parser *ps, int argc, char **argv)
{
	const struct keyword *kw = NULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keywords); i++)
		if (!strcmp(argv[0], keywords[i].name))
			kw = &keywords[i];
	if (!kw)
		return error(ps, "unknown keyword '%s'", quote(argv[0]).s);
	if (argc - 1 < kw->min_args ||
	    (kw->max_args >= 0 && argc - 1 > kw->max_args))
		return error(ps, "wrong number of arguments; usage: %s", kw->usage);
	if (kw->once >= 0) {
		if (ps->once_line[kw->once])
			return error(ps, "'%s' given twice (first at line %u)",
				     kw->name, ps->once_line[kw->once]);
		ps->once_line[kw->once] = ps->line;
	}
	return kw->parse(ps, argc, argv);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* One line (without its newline) of @len < BPCONFIG_LINE_MAX bytes. */
static int parse_line(struct parser *ps, const char *text, size_t len)
{
	char buf[BPCONFIG_LINE_MAX];
	char *argv[MAX_WORDS], *p;
	int argc = 0;

	if (memchr(text, '\0', len))
		return error(ps, "NUL byte in the line");
	memcpy(buf, text, len);
	buf[len] = '\0';
	p = strchr(buf, '#');
	if (p)
		*p = '\0';
	for (p = buf; *p;) {
		while (is_space(*p))
			*p++ = '\0';
		if (!*p)
			break;
		argv[argc++] = p;
		while (*p && !is_space(*p))
			p++;
	}
	if (!argc)
		return 0;
	return parse_words(ps, argc, argv);
}

/* ---- the whole file -------------------------------------------------- */

static void free_libs(char **libs, unsigned int n)
{
	while (n)
		free(libs[--n]);
	free(libs);
}

/* Move the parse's results into ps->cfg at their final sizes. */
static int finish(struct parser *ps)
{
	struct bpconfig *cfg = ps->cfg;
	uint32_t size = 8;
	int node;

	cfg->numnodes = ps->nodes > ps->highest + 1 ? ps->nodes : ps->highest + 1;
	if (!cfg->numnodes) {
		ps->line = 0;
		return error(ps, "no nodes configured (no 'ip', 'iprange' or 'nodes' line)");
	}
	while (size < 2 * ps->naddrs)
		size *= 2;
	cfg->node_addr = malloc(cfg->numnodes * sizeof(*cfg->node_addr));
	cfg->addr_hash = malloc(size * sizeof(*cfg->addr_hash));
	if (!cfg->node_addr || !cfg->addr_hash) {
		ps->line = 0;
		error(ps, "out of memory");
		errno = ENOMEM;
		return -1;
	}
	cfg->addr_hash_mask = size - 1;
	memcpy(cfg->node_addr, ps->addr, cfg->numnodes * sizeof(*cfg->node_addr));
	memset(cfg->addr_hash, 0xff, size * sizeof(*cfg->addr_hash));
	for (node = 0; node < cfg->numnodes; node++)
		if (cfg->node_addr[node])
			hash_add(cfg->addr_hash, cfg->addr_hash_mask,
				 cfg->node_addr[node], node);
	cfg->libraries = ps->libs;
	cfg->nlibraries = ps->nlibs;
	ps->libs = NULL;
	ps->nlibs = 0;
	cfg->mounts = ps->mounts;
	cfg->nmounts = ps->nmounts;
	ps->mounts = NULL;
	ps->nmounts = 0;
	return 0;
}

int bpconfig_parse_mem(const char *text, size_t len, const char *name,
		       struct bpconfig *cfg, char *err, size_t errlen)
{
	struct parser ps = {
		.name = name, .err = err, .errlen = errlen, .cfg = cfg,
		.highest = -1,
	};
	size_t pos = 0;
	int r = -1;

	memset(cfg, 0, sizeof(*cfg));
	cfg->port = BPCONFIG_PORT;
	cfg->pingtimeout = BPCONFIG_PINGTIMEOUT;
	cfg->logfacility = LOG_DAEMON;
	if (errlen)
		err[0] = '\0';

	ps.addr = calloc(BPROC_NODES_MAX, sizeof(*ps.addr));
	ps.addr_line = calloc(BPROC_NODES_MAX, sizeof(*ps.addr_line));
	ps.hash = malloc(PARSE_HASH_SIZE * sizeof(*ps.hash));
	ps.libs = calloc(BPCONFIG_LIBS_MAX, sizeof(*ps.libs));
	ps.mounts = calloc(BPCONFIG_MOUNTS_MAX, sizeof(*ps.mounts));
	if (!ps.addr || !ps.addr_line || !ps.hash || !ps.libs || !ps.mounts) {
		error(&ps, "out of memory");
		errno = ENOMEM;
		goto out;
	}
	memset(ps.hash, 0xff, PARSE_HASH_SIZE * sizeof(*ps.hash));

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = (nl ? (size_t)(nl - text) : len) - pos;

		ps.line++;
		if (n >= BPCONFIG_LINE_MAX) {
			error(&ps, "line longer than %d characters",
			      BPCONFIG_LINE_MAX - 1);
			goto out;
		}
		if (parse_line(&ps, text + pos, n))
			goto out;
		pos += n + 1;
	}
	r = finish(&ps);
out:
	free(ps.addr);
	free(ps.addr_line);
	free(ps.hash);
	free_libs(ps.libs, ps.nlibs);
	free_mounts(ps.mounts, ps.nmounts);
	if (r) {
		int e = errno;

		bpconfig_free(cfg);
		errno = e;
	}
	return r;
}

int bpconfig_parse_string(const char *text, const char *name,
			  struct bpconfig *cfg, char *err, size_t errlen)
{
	return bpconfig_parse_mem(text, strlen(text), name, cfg, err, errlen);
}

int bpconfig_parse_file(const char *path, struct bpconfig *cfg, char *err,
			size_t errlen)
{
	struct parser ps = { .name = path, .err = err, .errlen = errlen };
	size_t len = 0, cap = 0;
	char *text = NULL;
	int fd, e, r;

	memset(cfg, 0, sizeof(*cfg));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto fail_errno;
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *t;

			cap = cap ? 2 * cap : 16384;
			if (cap > BPCONFIG_FILE_MAX + 1)
				cap = BPCONFIG_FILE_MAX + 1;
			t = realloc(text, cap);
			if (!t)
				goto fail_errno;
			text = t;
		}
		n = read(fd, text + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail_errno;
		if (!n)
			break;
		len += (size_t)n;
		if (len > BPCONFIG_FILE_MAX) {
			close(fd);
			free(text);
			return error(&ps, "longer than %d bytes", BPCONFIG_FILE_MAX);
		}
	}
	close(fd);
	r = bpconfig_parse_mem(text ? text : "", len, path, cfg, err, errlen);
	e = errno;
	free(text);
	errno = e;
	return r;

fail_errno:
	e = errno;
	if (fd >= 0)
		close(fd);
	free(text);
	error(&ps, "%s", strerror(e));
	errno = e;
	return -1;
}

void bpconfig_free(struct bpconfig *cfg)
{
	free(cfg->node_addr);
	free(cfg->addr_hash);
	free_libs(cfg->libraries, cfg->nlibraries);
	free_mounts(cfg->mounts, cfg->nmounts);
	memset(cfg, 0, sizeof(*cfg));
}

int bpconfig_node_by_addr(const struct bpconfig *cfg, uint32_t be_addr)
{
	if (!be_addr || !cfg->addr_hash)
		return BPROC_NODE_NONE;
	return hash_find(cfg->addr_hash, cfg->addr_hash_mask, cfg->node_addr,
			 be_addr);
}
