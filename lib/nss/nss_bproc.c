// SPDX-License-Identifier: LGPL-2.1-only
/*
 * libnss_bproc.so.2: the glibc NSS "hosts" service that names bproc's nodes,
 * on the master and on the nodes alike (libnss_bproc(8),
 * Documentation/names.md).  /etc/nsswitch.conf: "hosts: files bproc dns".
 *
 *   nN, .N    node N, 0 <= N < numnodes; N is decimal digits only (no sign,
 *             no blank; a leading zero is still decimal, "n010" is node 10,
 *             as in a nodespec).  Canonical name "nN".
 *   master    the master.  Canonical name "master".
 *   HOSTNAME  on a node, the master's own host name: the first line of the
 *             master's /etc/hostname that is neither empty nor a comment
 *             (as systemd reads it), seen through the node's view of the
 *             master's files.  The master, canonical name "master" with
 *             HOSTNAME as its alias.  On the master the file does not exist
 *             and nothing is added.
 *
 * Names match without regard to ASCII case, as host names do.  Addresses
 * come from the kernel's node table, read afresh at every call:
 * /sys/bproc/numnodes, /sys/bproc/nodes/N/addr and /sys/bproc/master_addr,
 * dotted quads.  bpslave mirrors the master's table into its kernel, so a
 * node answers as the master does.  "0.0.0.0" is no address (a node never
 * configured, a master without an "interface" line): such a node or master
 * is not found, and 0.0.0.0 is nobody's address.  IPv4 only.
 *
 * What the lookups return, as glibc's own modules do (nss-myhostname's
 * choices where the glibc manual says nothing):
 *
 *   SUCCESS   h_errno NETDB_SUCCESS; errno as it was
 *   NOTFOUND  errno ENOENT; h_errno HOST_NOT_FOUND, or NO_DATA for one of
 *             our names asked for as AF_INET6 (it has no IPv6 address)
 *   UNAVAIL   /sys/bproc missing (bproc.ko not loaded): errno ENOENT; the
 *             table unreadable: the read's errno, EIO for a value the kernel
 *             never writes; h_errno NO_RECOVERY.  Not NETDB_INTERNAL: on
 *             that, getaddrinfo() stops with EAI_SYSTEM instead of asking
 *             the next service (dns).  A family other than AF_INET and
 *             AF_INET6: EAFNOSUPPORT, NO_DATA.  An address of the wrong
 *             length: EINVAL, NO_RECOVERY.
 *   TRYAGAIN  the buffer is too small: ERANGE, NETDB_INTERNAL (the pair
 *             on which glibc retries with a larger buffer)
 *
 * A name that cannot be one of ours is NOTFOUND without a look at the
 * table: every other lookup on the system passes through here, and costs
 * no more than an open of the hostname file (ENOENT on the master).
 *
 * Thread-safe: nothing static is written.  No allocation and no FILE
 * streams: the results live in the caller's buffer, the files are read with
 * open() and read(), O_CLOEXEC (the caller may fork and exec at any time).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <nss.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/bproc.h>

#include "nss_bproc.h"

/* The entry points, of glibc's types (<nss.h>); nss_bproc.sym exports them alone. */
nss_gethostbyname4_r _nss_bproc_gethostbyname4_r;
nss_gethostbyname3_r _nss_bproc_gethostbyname3_r;
nss_gethostbyname2_r _nss_bproc_gethostbyname2_r;
nss_gethostbyname_r _nss_bproc_gethostbyname_r;
nss_gethostbyaddr2_r _nss_bproc_gethostbyaddr2_r;
nss_gethostbyaddr_r _nss_bproc_gethostbyaddr_r;

/* Fixed here, never from the environment: setuid programs load us. */
static const struct bproc_nss_paths system_paths = {
	.sysfs = BPROC_NSS_SYSFS,
	.hostname = BPROC_NSS_HOSTNAME,
};

/* What a name or an address resolved to. */
struct host {
	char name[16]; /* "master" or "nN" */
	char alias[BPROC_NSS_NAME_MAX + 1]; /* the master's host name, or "" */
	struct in_addr addr;
};

/* ---- outcomes ----------------------------------------------------- */

static enum nss_status notfound(int *err)
{
	*err = ENOENT;
	return NSS_STATUS_NOTFOUND;
}

static enum nss_status unavail(int *err, int e)
{
	*err = e;
	return NSS_STATUS_UNAVAIL;
}

static int herr_of(enum nss_status st)
{
	switch (st) {
	case NSS_STATUS_SUCCESS:
		return NETDB_SUCCESS;
	case NSS_STATUS_NOTFOUND:
		return HOST_NOT_FOUND;
	case NSS_STATUS_TRYAGAIN:
		return NETDB_INTERNAL;
	default:
		return NO_RECOVERY;
	}
}

/*
 * Hand the outcome to glibc.  @errnop is usually &errno: it is set last,
 * after every call that may change errno, and a success leaves errno as
 * the caller had it.
 */
static enum nss_status finish(enum nss_status st, int err, int herr, int saved,
			      int *errnop, int *h_errnop)
{
	errno = saved;
	if (st != NSS_STATUS_SUCCESS)
		*errnop = err;
	*h_errnop = herr;
	return st;
}

/* ---- the files ---------------------------------------------------- */

/*
 * Read @dir/@rel (@dir alone if @rel is NULL) into @buf: at most @size - 1
 * bytes, NUL-terminated.  Returns the length, or -errno.
 */
static int read_text(const char *dir, const char *rel, char *buf, size_t size)
{
	char path[PATH_MAX];
	size_t n = 0;
	ssize_t r;
	int fd, len, err = 0;

	if (rel)
		len = snprintf(path, sizeof(path), "%s/%s", dir, rel);
	else
		len = snprintf(path, sizeof(path), "%s", dir);
	if (len < 0 || (size_t)len >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	while (n < size - 1) {
		r = read(fd, buf + n, size - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			err = errno;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (err)
		return -err;
	buf[n] = '\0';
	return (int)n;
}

/* The kernel ends each value with one newline (sysfs_emit "...\n"). */
static void chomp(char *s, int len)
{
	if (len > 0 && s[len - 1] == '\n')
		s[len - 1] = '\0';
}

static enum nss_status read_numnodes(const struct bproc_nss_paths *p,
				     int *numnodes, int *err)
{
	char buf[32];
	const char *s;
	long v = 0;
	int n;

	n = read_text(p->sysfs, "numnodes", buf, sizeof(buf));
	if (n < 0)
		return unavail(err, -n);
	chomp(buf, n);
	if (!buf[0])
		return unavail(err, EIO);
	for (s = buf; *s; s++) {
		if (*s < '0' || *s > '9')
			return unavail(err, EIO);
		v = v * 10 + (*s - '0');
		if (v > BPROC_NODES_MAX)
			return unavail(err, EIO);
	}
	*numnodes = (int)v;
	return NSS_STATUS_SUCCESS;
}

/* An address file under the sysfs root: "master_addr" or "nodes/N/addr". */
static enum nss_status read_addr(const struct bproc_nss_paths *p,
				 const char *rel, struct in_addr *addr,
				 int *err)
{
	char buf[32];
	int n;

	n = read_text(p->sysfs, rel, buf, sizeof(buf));
	if (n < 0)
		return unavail(err, -n);
	chomp(buf, n);
	if (inet_pton(AF_INET, buf, addr) != 1)
		return unavail(err, EIO);
	return NSS_STATUS_SUCCESS;
}

/* Node @node's address; NOTFOUND when the node is gone or has none. */
static enum nss_status read_node_addr(const struct bproc_nss_paths *p, int node,
				      struct in_addr *addr, int *err)
{
	enum nss_status st;
	char rel[32];

	snprintf(rel, sizeof(rel), "nodes/%d/addr", node);
	st = read_addr(p, rel, addr, err);
	/* gone since numnodes was read: the table shrank */
	if (st == NSS_STATUS_UNAVAIL && *err == ENOENT)
		return notfound(err);
	if (st == NSS_STATUS_SUCCESS && addr->s_addr == htonl(INADDR_ANY))
		return notfound(err);
	return st;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * The master's host name from @path into @name (BPROC_NSS_NAME_MAX + 1
 * bytes): the first line neither empty nor a comment, trimmed.  Returns
 * its length; 0 for none (no file, as on the master; a NUL byte; a name
 * too long, or its line cut by our buffer); -errno if the file is there
 * but cannot be read.
 */
static int read_hostname(const char *path, char *name)
{
	char text[1024];
	char *line, *end, *next;
	size_t len;
	int n;

	n = read_text(path, NULL, text, sizeof(text));
	if (n == -ENOENT || n == -ENOTDIR)
		return 0;
	if (n < 0)
		return n;
	if (memchr(text, '\0', (size_t)n))
		return 0;
	for (line = text; *line; line = next) {
		end = strchr(line, '\n');
		if (end) {
			next = end + 1;
		} else {
			if ((size_t)n == sizeof(text) - 1)
				return 0;
			end = line + strlen(line);
			next = end;
		}
		while (line < end && is_blank(*line))
			line++;
		while (end > line && is_blank(end[-1]))
			end--;
		if (line == end || *line == '#')
			continue;
		len = (size_t)(end - line);
		if (len > BPROC_NSS_NAME_MAX)
			return 0;
		memcpy(name, line, len);
		name[len] = '\0';
		return (int)len;
	}
	return 0;
}

/* ---- names -------------------------------------------------------- */

static int ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Host names compare without regard to ASCII case (not the locale's). */
static bool name_equal(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (ascii_lower((unsigned char)*a) !=
		    ascii_lower((unsigned char)*b))
			return false;
	return !*a && !*b;
}

/*
 * Is @name "nN" (either case) or ".N"?  Then *@node is N, or -1 when N is
 * too large to be any node's (the digits are still read to the end, so
 * "n99999999999" is a node name of no node, not something else).
 */
static bool parse_node_name(const char *name, int *node)
{
	const char *s = name + 1;
	long v = 0;

	if (name[0] != 'n' && name[0] != 'N' && name[0] != '.')
		return false;
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (v <= BPROC_NODES_MAX)
			v = v * 10 + (*s - '0');
	}
	*node = v < BPROC_NODES_MAX ? (int)v : -1;
	return true;
}

/*
 * The master at @addr.  @alias is its host name (as the file spells it)
 * when it was asked by that name, NULL otherwise: "master" and the reverse
 * lookup give the canonical name alone, as on the master, without a look
 * at the file.
 */
static void master_host(struct in_addr addr, const char *alias, struct host *h)
{
	snprintf(h->name, sizeof(h->name), "master");
	snprintf(h->alias, sizeof(h->alias), "%s", alias ? alias : "");
	h->addr = addr;
}

static enum nss_status lookup_master(const struct bproc_nss_paths *p,
				     const char *alias, struct host *h,
				     int *err)
{
	struct in_addr addr;
	enum nss_status st;

	st = read_addr(p, "master_addr", &addr, err);
	if (st != NSS_STATUS_SUCCESS)
		return st;
	if (addr.s_addr == htonl(INADDR_ANY))
		return notfound(err);
	master_host(addr, alias, h);
	return NSS_STATUS_SUCCESS;
}

static enum nss_status lookup_node(const struct bproc_nss_paths *p, int node,
				   struct host *h, int *err)
{
	enum nss_status st;
	int numnodes;

	st = read_numnodes(p, &numnodes, err);
	if (st != NSS_STATUS_SUCCESS)
		return st;
	if (node < 0 || node >= numnodes)
		return notfound(err);
	st = read_node_addr(p, node, &h->addr, err);
	if (st != NSS_STATUS_SUCCESS)
		return st;
	snprintf(h->name, sizeof(h->name), "n%d", node);
	h->alias[0] = '\0';
	return NSS_STATUS_SUCCESS;
}

static enum nss_status lookup_name(const struct bproc_nss_paths *p,
				   const char *name, struct host *h, int *err)
{
	char hostname[BPROC_NSS_NAME_MAX + 1];
	int node, n;

	if (parse_node_name(name, &node))
		return lookup_node(p, node, h, err);
	if (name_equal(name, "master"))
		return lookup_master(p, NULL, h, err);
	n = read_hostname(p->hostname, hostname);
	if (n < 0)
		return unavail(err, -n);
	if (n == 0 || !name_equal(name, hostname))
		return notfound(err);
	return lookup_master(p, hostname, h, err);
}

/* The master first, then the nodes in order: the first one at @addr. */
static enum nss_status lookup_addr(const struct bproc_nss_paths *p,
				   struct in_addr addr, struct host *h,
				   int *err)
{
	struct in_addr master, a;
	enum nss_status st;
	int numnodes, i;

	if (addr.s_addr == htonl(INADDR_ANY))
		return notfound(err);
	st = read_addr(p, "master_addr", &master, err);
	if (st != NSS_STATUS_SUCCESS)
		return st;
	if (master.s_addr == addr.s_addr) {
		master_host(addr, NULL, h);
		return NSS_STATUS_SUCCESS;
	}
	st = read_numnodes(p, &numnodes, err);
	if (st != NSS_STATUS_SUCCESS)
		return st;
	for (i = 0; i < numnodes; i++) {
		st = read_node_addr(p, i, &a, err);
		if (st == NSS_STATUS_NOTFOUND)
			continue;
		if (st != NSS_STATUS_SUCCESS)
			return st;
		if (a.s_addr == addr.s_addr) {
			snprintf(h->name, sizeof(h->name), "n%d", i);
			h->alias[0] = '\0';
			h->addr = a;
			return NSS_STATUS_SUCCESS;
		}
	}
	return notfound(err);
}

/* ---- the caller's buffer ------------------------------------------ */

struct arena {
	char *next;
	size_t left;
};

/* @size bytes aligned to @align (a power of two), NULL if they do not fit. */
static void *take(struct arena *a, size_t size, size_t align)
{
	size_t pad = (size_t)(-(uintptr_t)a->next & (align - 1));
	void *p;

	if (pad > a->left || size > a->left - pad)
		return NULL;
	p = a->next + pad;
	a->next += pad + size;
	a->left -= pad + size;
	return p;
}

static char *take_string(struct arena *a, const char *s)
{
	size_t len = strlen(s) + 1;
	char *p = take(a, len, 1);

	if (p)
		memcpy(p, s, len);
	return p;
}

static enum nss_status fill_hostent(const struct host *h, struct hostent *he,
				    struct arena *a, char **canonp, int *err)
{
	char **addrs, **aliases, *name, *alias = NULL;
	struct in_addr *addr;

	addrs = take(a, 2 * sizeof(char *), alignof(char *));
	aliases = take(a, 2 * sizeof(char *), alignof(char *));
	addr = take(a, sizeof(*addr), alignof(struct in_addr));
	name = take_string(a, h->name);
	if (h->alias[0])
		alias = take_string(a, h->alias);
	if (!addrs || !aliases || !addr || !name || (h->alias[0] && !alias)) {
		*err = ERANGE;
		return NSS_STATUS_TRYAGAIN;
	}
	*addr = h->addr;
	addrs[0] = (char *)addr;
	addrs[1] = NULL;
	aliases[0] = alias;
	aliases[1] = NULL;
	he->h_name = name;
	he->h_aliases = aliases;
	he->h_addrtype = AF_INET;
	he->h_length = sizeof(*addr);
	he->h_addr_list = addrs;
	if (canonp)
		*canonp = name;
	return NSS_STATUS_SUCCESS;
}

static enum nss_status fill_tuple(const struct host *h,
				  struct gaih_addrtuple **pat, struct arena *a,
				  int *err)
{
	struct gaih_addrtuple *t;
	char *name;

	t = take(a, sizeof(*t), alignof(struct gaih_addrtuple));
	name = take_string(a, h->name);
	if (!t || !name) {
		*err = ERANGE;
		return NSS_STATUS_TRYAGAIN;
	}
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->family = AF_INET;
	memcpy(t->addr, &h->addr, sizeof(h->addr));
	/* nscd hands in a tuple of its own for the first result */
	if (*pat)
		**pat = *t;
	else
		*pat = t;
	return NSS_STATUS_SUCCESS;
}

/* ---- the lookups -------------------------------------------------- */

enum nss_status bproc_nss_byname(const struct bproc_nss_paths *paths,
				 const char *name, int af, struct hostent *host,
				 char *buf, size_t buflen, int *errnop,
				 int *h_errnop, char **canonp)
{
	struct arena a = { buf, buflen };
	int saved = errno, err = 0;
	enum nss_status st;
	struct host h;

	if (af == AF_UNSPEC)
		af = AF_INET;
	if (af != AF_INET && af != AF_INET6)
		return finish(NSS_STATUS_UNAVAIL, EAFNOSUPPORT, NO_DATA, saved,
			      errnop, h_errnop);
	st = lookup_name(paths, name, &h, &err);
	if (st == NSS_STATUS_SUCCESS && af == AF_INET6)
		return finish(NSS_STATUS_NOTFOUND, ENOENT, NO_DATA, saved,
			      errnop, h_errnop);
	if (st == NSS_STATUS_SUCCESS)
		st = fill_hostent(&h, host, &a, canonp, &err);
	return finish(st, err, herr_of(st), saved, errnop, h_errnop);
}

enum nss_status bproc_nss_byname4(const struct bproc_nss_paths *paths,
				  const char *name, struct gaih_addrtuple **pat,
				  char *buf, size_t buflen, int *errnop,
				  int *h_errnop)
{
	struct arena a = { buf, buflen };
	int saved = errno, err = 0;
	enum nss_status st;
	struct host h;

	st = lookup_name(paths, name, &h, &err);
	if (st == NSS_STATUS_SUCCESS)
		st = fill_tuple(&h, pat, &a, &err);
	return finish(st, err, herr_of(st), saved, errnop, h_errnop);
}

enum nss_status bproc_nss_byaddr(const struct bproc_nss_paths *paths,
				 const void *addr, socklen_t len, int af,
				 struct hostent *host, char *buf, size_t buflen,
				 int *errnop, int *h_errnop)
{
	struct arena a = { buf, buflen };
	int saved = errno, err = 0;
	enum nss_status st;
	struct in_addr in;
	struct host h;

	if (af != AF_INET && af != AF_INET6)
		return finish(NSS_STATUS_UNAVAIL, EAFNOSUPPORT, NO_DATA, saved,
			      errnop, h_errnop);
	if (len !=
	    (af == AF_INET ? sizeof(struct in_addr) : sizeof(struct in6_addr)))
		return finish(NSS_STATUS_UNAVAIL, EINVAL, NO_RECOVERY, saved,
			      errnop, h_errnop);
	/* bproc's addresses are IPv4 */
	if (af == AF_INET6)
		return finish(NSS_STATUS_NOTFOUND, ENOENT, HOST_NOT_FOUND,
			      saved, errnop, h_errnop);
	memcpy(&in, addr, sizeof(in));
	st = lookup_addr(paths, in, &h, &err);
	if (st == NSS_STATUS_SUCCESS)
		st = fill_hostent(&h, host, &a, NULL, &err);
	return finish(st, err, herr_of(st), saved, errnop, h_errnop);
}

/* ---- the entry points --------------------------------------------- */

/* The table changes under us: a result is good for no time at all. */
static void no_ttl(enum nss_status st, int32_t *ttlp)
{
	if (st == NSS_STATUS_SUCCESS && ttlp)
		*ttlp = 0;
}

enum nss_status _nss_bproc_gethostbyname4_r(const char *name,
					    struct gaih_addrtuple **pat,
					    char *buffer, size_t buflen,
					    int *errnop, int *h_errnop,
					    int32_t *ttlp)
{
	enum nss_status st;

	st = bproc_nss_byname4(&system_paths, name, pat, buffer, buflen, errnop,
			       h_errnop);
	no_ttl(st, ttlp);
	return st;
}

enum nss_status _nss_bproc_gethostbyname3_r(const char *name, int af,
					    struct hostent *host, char *buffer,
					    size_t buflen, int *errnop,
					    int *h_errnop, int32_t *ttlp,
					    char **canonp)
{
	enum nss_status st;

	st = bproc_nss_byname(&system_paths, name, af, host, buffer, buflen,
			      errnop, h_errnop, canonp);
	no_ttl(st, ttlp);
	return st;
}

enum nss_status _nss_bproc_gethostbyname2_r(const char *name, int af,
					    struct hostent *host, char *buffer,
					    size_t buflen, int *errnop,
					    int *h_errnop)
{
	return bproc_nss_byname(&system_paths, name, af, host, buffer, buflen,
				errnop, h_errnop, NULL);
}

enum nss_status _nss_bproc_gethostbyname_r(const char *name,
					   struct hostent *host, char *buffer,
					   size_t buflen, int *errnop,
					   int *h_errnop)
{
	return bproc_nss_byname(&system_paths, name, AF_INET, host, buffer,
				buflen, errnop, h_errnop, NULL);
}

enum nss_status _nss_bproc_gethostbyaddr2_r(const void *addr, socklen_t len,
					    int af, struct hostent *host,
					    char *buffer, size_t buflen,
					    int *errnop, int *h_errnop,
					    int32_t *ttlp)
{
	enum nss_status st;

	st = bproc_nss_byaddr(&system_paths, addr, len, af, host, buffer,
			      buflen, errnop, h_errnop);
	no_ttl(st, ttlp);
	return st;
}

enum nss_status _nss_bproc_gethostbyaddr_r(const void *addr, socklen_t len,
					   int af, struct hostent *host,
					   char *buffer, size_t buflen,
					   int *errnop, int *h_errnop)
{
	return bproc_nss_byaddr(&system_paths, addr, len, af, host, buffer,
				buflen, errnop, h_errnop);
}
