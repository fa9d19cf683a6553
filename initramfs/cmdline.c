// SPDX-License-Identifier: GPL-2.0
/*
 * The slave image's kernel command line: tokenizer and bproc.* parser.
 * Pure functions; see cmdline.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmdline.h"

/* The kernel's isspace() (lib/ctype.c): ASCII white space and 0xa0. */
static bool k_isspace(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

void bproc_cmdline_iter_init(struct bproc_cmdline_iter *it, const char *buf,
			     size_t len)
{
	const char *nul = buf ? memchr(buf, '\0', len) : NULL;

	it->buf = buf;
	it->len = buf ? (nul ? (size_t)(nul - buf) : len) : 0;
	it->pos = 0;
}

/*
 * One step of the kernel's next_arg(), on spans.  The kernel cuts strings by
 * writing NULs: at the '=' (ending the name), at the last character when it is
 * a closing quote (of a quoted value or a quoted parameter), and at the
 * separating space.  Here each string simply ends at the first of those cuts
 * at or after its start.
 */
static void next_arg(struct bproc_cmdline_iter *it,
		     struct bproc_cmdline_arg *arg)
{
	const char *b = it->buf;
	size_t n = it->len, start = it->pos, i, end, equals = 0, cut;
	size_t vstart = 0;
	bool in_quote = false, quoted = false, valquote = false, has_cut;

	if (b[start] == '"') {
		start++;
		in_quote = true;
		quoted = true;
	}
	for (i = 0; start + i < n; i++) {
		unsigned char c = (unsigned char)b[start + i];

		if (k_isspace(c) && !in_quote)
			break;
		/* As the kernel: an '=' at offset 0 does not count. */
		if (equals == 0 && c == '=')
			equals = i;
		if (c == '"')
			in_quote = !in_quote;
	}
	end = start + i;

	if (equals) {
		vstart = start + equals + 1;
		if (vstart < end && b[vstart] == '"') {
			vstart++;
			valquote = true;
		}
	}
	/* The closing-quote cut at end - 1 (same place for both rules). */
	has_cut = i > 0 && b[end - 1] == '"' && (valquote || quoted);
	cut = has_cut ? end - 1 : end;

	arg->param.ptr = b + start;
	if (equals) {
		arg->param.len = equals;
		arg->has_val = true;
		arg->val.ptr = b + vstart;
		arg->val.len = (cut >= vstart ? cut : end) - vstart;
	} else {
		arg->param.len = cut - start;
		arg->has_val = false;
		arg->val.ptr = b + end;
		arg->val.len = 0;
	}
	/* Step over the separator (the kernel NULs it and moves past it). */
	it->pos = end < n ? end + 1 : end;
}

bool bproc_cmdline_next(struct bproc_cmdline_iter *it,
			struct bproc_cmdline_arg *arg)
{
	while (it->pos < it->len && k_isspace((unsigned char)it->buf[it->pos]))
		it->pos++;
	if (it->pos >= it->len)
		return false;
	next_arg(it, arg);
	if (!arg->has_val && arg->param.len == 2 &&
	    memcmp(arg->param.ptr, "--", 2) == 0) {
		/* parse_args(): the rest belongs to init, not the kernel. */
		it->pos = it->len;
		return false;
	}
	return true;
}

/* ------------------------------------------------------------------ */

char *bproc_cmdline_ntoa(uint32_t a, char *out)
{
	snprintf(out, 16, "%u.%u.%u.%u", (unsigned int)(a >> 24),
		 (unsigned int)(a >> 16) & 0xff, (unsigned int)(a >> 8) & 0xff,
		 (unsigned int)a & 0xff);
	return out;
}

uint32_t bproc_cmdline_netmask(unsigned int prefix)
{
	if (prefix == 0)
		return 0;
	if (prefix >= 32)
		return 0xffffffffu;
	return ~(0xffffffffu >> prefix);
}

static void diag(struct bproc_boot_config *cfg, bool error, const char *fmt,
		 ...) __attribute__((format(printf, 3, 4)));

static void diag(struct bproc_boot_config *cfg, bool error, const char *fmt,
		 ...)
{
	struct bproc_cmdline_diag *d;
	va_list ap;

	if (error)
		cfg->nerrors++;
	else
		cfg->nwarnings++;
	if (cfg->ndiags == BPROC_CMDLINE_MAX_DIAGS) {
		cfg->ndropped++;
		return;
	}
	d = &cfg->diag[cfg->ndiags++];
	d->error = error;
	va_start(ap, fmt);
	vsnprintf(d->text, sizeof(d->text), fmt, ap);
	va_end(ap);
}

/* A value made safe to print: at most 40 bytes, non-printables as '?'. */
#define SHOW_MAX	40
struct shown {
	char s[SHOW_MAX + 4];
};

static const char *show(struct bproc_cmdline_span v, struct shown *out)
{
	size_t i, n = v.len > SHOW_MAX ? SHOW_MAX : v.len;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v.ptr[i];

		out->s[i] = (c < 0x20 || c >= 0x7f) ? '?' : (char)c;
	}
	if (v.len > SHOW_MAX)
		memcpy(out->s + i, "...", 4);
	else
		out->s[i] = '\0';
	return out->s;
}

static bool span_eq(struct bproc_cmdline_span s, const char *lit)
{
	size_t n = strlen(lit);

	return s.len == n && memcmp(s.ptr, lit, n) == 0;
}

/* Decimal, no sign, no leading zeros, <= max. */
static bool parse_dec(const char *s, size_t n, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0 || n > 10 || (s[0] == '0' && n > 1))
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* Strict dotted quad: four decimal fields 0..255, no leading zeros. */
static bool parse_ipv4(const char *s, size_t n, uint32_t *out)
{
	uint32_t a = 0, v;
	size_t i = 0, j;
	int field;

	for (field = 0; field < 4; field++) {
		if (field > 0) {
			if (i >= n || s[i] != '.')
				return false;
			i++;
		}
		for (j = i; j < n && s[j] != '.'; j++)
			;
		if (!parse_dec(s + i, j - i, 255, &v))
			return false;
		a = a << 8 | v;
		i = j;
	}
	if (i != n)
		return false;
	*out = a;
	return true;
}

/* Why @a cannot be a unicast host address, or NULL if it can. */
static const char *addr_problem(uint32_t a)
{
	if ((a >> 24) == 0)
		return "is in 0.0.0.0/8, not a host address";
	if ((a >> 24) == 127)
		return "is a loopback address";
	if ((a >> 28) == 0xe)
		return "is a multicast address";
	if ((a >> 28) == 0xf)
		return "is a reserved or broadcast address";
	return NULL;
}

/* Network or broadcast address of a subnet that has both (prefix <= 30)? */
static const char *subnet_problem(uint32_t a, unsigned int prefix)
{
	uint32_t host = ~bproc_cmdline_netmask(prefix);

	if (prefix > 30)
		return NULL;
	if ((a & host) == 0)
		return "network";
	if ((a & host) == host)
		return "broadcast";
	return NULL;
}

enum { P_IP, P_MASTER, P_NODE, P_GW, P_IF, P_NODES, P_COUNT };

static const struct {
	const char *name;
	const char *syntax;
} params[P_COUNT] = {
	[P_IP] = { "bproc.ip", "bproc.ip=ADDR/PREFIX" },
	[P_MASTER] = { "bproc.master", "bproc.master=ADDR[:PORT]" },
	[P_NODE] = { "bproc.node", "bproc.node=N" },
	[P_GW] = { "bproc.gw", "bproc.gw=ADDR" },
	[P_IF] = { "bproc.if", "bproc.if=NAME" },
	[P_NODES] = { "bproc.nodes", "bproc.nodes=K" },
};

static void parse_ip(struct bproc_boot_config *cfg, struct bproc_cmdline_span v)
{
	const char *slash = memchr(v.ptr, '/', v.len), *why, *kind;
	size_t alen = slash ? (size_t)(slash - v.ptr) : v.len;
	struct shown sh;
	char a[16];
	uint32_t ip, prefix;

	if (!parse_ipv4(v.ptr, alen, &ip)) {
		diag(cfg, true, "bproc.ip: '%s' is not ADDR/PREFIX (ADDR a dotted-quad IPv4 address, PREFIX 1..32)",
		     show(v, &sh));
		return;
	}
	if (!slash) {
		diag(cfg, true, "bproc.ip: '%s' has no prefix length; write ADDR/PREFIX, e.g. %s/24",
		     show(v, &sh), bproc_cmdline_ntoa(ip, a));
		return;
	}
	if (!parse_dec(slash + 1, v.len - alen - 1, 32, &prefix) ||
	    prefix == 0) {
		diag(cfg, true, "bproc.ip: prefix length in '%s' is not 1..32",
		     show(v, &sh));
		return;
	}
	why = addr_problem(ip);
	if (why) {
		diag(cfg, true, "bproc.ip: %s %s", bproc_cmdline_ntoa(ip, a), why);
		return;
	}
	kind = subnet_problem(ip, prefix);
	if (kind) {
		diag(cfg, true, "bproc.ip: %s is the %s address of its network /%u, not a host address",
		     bproc_cmdline_ntoa(ip, a), kind, (unsigned int)prefix);
		return;
	}
	cfg->have_ip = true;
	cfg->ip = ip;
	cfg->prefix = prefix;
}

static void parse_master(struct bproc_boot_config *cfg,
			 struct bproc_cmdline_span v)
{
	const char *colon = memchr(v.ptr, ':', v.len), *why;
	size_t alen = colon ? (size_t)(colon - v.ptr) : v.len;
	struct shown sh;
	uint32_t master, port = BPROC_CMDLINE_DEFAULT_PORT;
	char a[16];

	if (!parse_ipv4(v.ptr, alen, &master)) {
		diag(cfg, true, "bproc.master: '%s' is not ADDR[:PORT] (ADDR a dotted-quad IPv4 address)",
		     show(v, &sh));
		return;
	}
	if (colon && (!parse_dec(colon + 1, v.len - alen - 1, 65535, &port) ||
		      port == 0)) {
		diag(cfg, true, "bproc.master: port in '%s' is not 1..65535",
		     show(v, &sh));
		return;
	}
	why = addr_problem(master);
	if (why) {
		diag(cfg, true, "bproc.master: %s %s",
		     bproc_cmdline_ntoa(master, a), why);
		return;
	}
	if (cfg->have_ip && master == cfg->ip) {
		diag(cfg, true, "bproc.master: %s is this node's own address (bproc.ip)",
		     bproc_cmdline_ntoa(master, a));
		return;
	}
	cfg->have_master = true;
	cfg->master = master;
	cfg->port = (uint16_t)port;
}

static void parse_node(struct bproc_boot_config *cfg,
		       struct bproc_cmdline_span v)
{
	struct shown sh;
	uint32_t node;

	if (!parse_dec(v.ptr, v.len, BPROC_CMDLINE_NODE_MAX, &node)) {
		diag(cfg, true, "bproc.node: '%s' is not a node number (decimal 0..%d)",
		     show(v, &sh), BPROC_CMDLINE_NODE_MAX);
		return;
	}
	cfg->have_node = true;
	cfg->node = (int32_t)node;
}

static void parse_gw(struct bproc_boot_config *cfg, struct bproc_cmdline_span v)
{
	struct shown sh;
	const char *why, *kind;
	uint32_t gw, mask;
	char a[16], b[16];

	if (!parse_ipv4(v.ptr, v.len, &gw)) {
		diag(cfg, true, "bproc.gw: '%s' is not a dotted-quad IPv4 address",
		     show(v, &sh));
		return;
	}
	why = addr_problem(gw);
	if (why) {
		diag(cfg, true, "bproc.gw: %s %s", bproc_cmdline_ntoa(gw, a), why);
		return;
	}
	if (cfg->have_ip) {
		mask = bproc_cmdline_netmask(cfg->prefix);
		if ((gw & mask) != (cfg->ip & mask)) {
			diag(cfg, true, "bproc.gw: %s is not in this node's network %s/%u (bproc.ip)",
			     bproc_cmdline_ntoa(gw, a),
			     bproc_cmdline_ntoa(cfg->ip & mask, b),
			     cfg->prefix);
			return;
		}
		if (gw == cfg->ip) {
			diag(cfg, true, "bproc.gw: %s is this node's own address (bproc.ip)",
			     bproc_cmdline_ntoa(gw, a));
			return;
		}
		kind = subnet_problem(gw, cfg->prefix);
		if (kind) {
			diag(cfg, true, "bproc.gw: %s is the %s address of this node's network",
			     bproc_cmdline_ntoa(gw, a), kind);
			return;
		}
	}
	cfg->have_gw = true;
	cfg->gw = gw;
}

/*
 * K nodes on this machine: their addresses bproc.ip .. bproc.ip + K-1 must
 * all be host addresses of its network, none the master's or the gateway's,
 * and their numbers must fit.
 */
static void parse_nodes(struct bproc_boot_config *cfg,
			struct bproc_cmdline_span v)
{
	struct shown sh;
	uint32_t k, i, mask;
	char a[16];

	if (!parse_dec(v.ptr, v.len, BPROC_CMDLINE_NODES_MAX, &k) || k == 0) {
		diag(cfg, true, "bproc.nodes: '%s' is not a count of nodes (1..%d)",
		     show(v, &sh), BPROC_CMDLINE_NODES_MAX);
		return;
	}
	if (cfg->have_node && (uint32_t)cfg->node > BPROC_CMDLINE_NODE_MAX - (k - 1)) {
		diag(cfg, true, "bproc.nodes: %u nodes from node %d go past node %d",
		     (unsigned int)k, (int)cfg->node, BPROC_CMDLINE_NODE_MAX);
		return;
	}
	if (cfg->have_ip) {
		mask = bproc_cmdline_netmask(cfg->prefix);
		for (i = 1; i < k; i++) {
			uint32_t ip = cfg->ip + i;

			if ((ip & mask) != (cfg->ip & mask) ||
			    subnet_problem(ip, cfg->prefix) || addr_problem(ip) ||
			    (cfg->have_master && ip == cfg->master) ||
			    (cfg->have_gw && ip == cfg->gw)) {
				diag(cfg, true, "bproc.nodes: node address %s (bproc.ip + %u) is not a free host address of this network",
				     bproc_cmdline_ntoa(ip, a), (unsigned int)i);
				return;
			}
		}
	}
	cfg->nodes = k;
}

/* The kernel's dev_valid_name(). */
static void parse_if(struct bproc_boot_config *cfg, struct bproc_cmdline_span v)
{
	struct shown sh;
	size_t i;
	bool ok = v.len > 0 && v.len < BPROC_CMDLINE_IFNAMSIZ &&
		  !span_eq(v, ".") && !span_eq(v, "..");

	for (i = 0; ok && i < v.len; i++) {
		unsigned char c = (unsigned char)v.ptr[i];

		if (c == '/' || c == ':' || k_isspace(c))
			ok = false;
	}
	if (!ok) {
		diag(cfg, true, "bproc.if: '%s' is not an interface name (1..%d bytes, no '/', ':' or white space)",
		     show(v, &sh), BPROC_CMDLINE_IFNAMSIZ - 1);
		return;
	}
	memcpy(cfg->ifname, v.ptr, v.len);
	cfg->ifname[v.len] = '\0';
	cfg->have_ifname = true;
}

int bproc_cmdline_parse(const char *buf, size_t len,
			struct bproc_boot_config *cfg)
{
	struct {
		bool seen;
		bool has_val;
		struct bproc_cmdline_span val;
	} last[P_COUNT];
	struct bproc_cmdline_iter it;
	struct bproc_cmdline_arg arg;
	struct shown sh;
	int p;

	memset(cfg, 0, sizeof(*cfg));
	cfg->port = BPROC_CMDLINE_DEFAULT_PORT;
	cfg->node = -1;
	cfg->nodes = 1;
	memset(last, 0, sizeof(last));

	bproc_cmdline_iter_init(&it, buf, len);
	while (bproc_cmdline_next(&it, &arg)) {
		if (arg.param.len < 6 || memcmp(arg.param.ptr, "bproc.", 6) != 0)
			continue;
		for (p = 0; p < P_COUNT; p++)
			if (span_eq(arg.param, params[p].name))
				break;
		if (p == P_COUNT) {
			diag(cfg, false, "%s: unknown bproc parameter, ignored",
			     show(arg.param, &sh));
			continue;
		}
		last[p].seen = true;
		last[p].has_val = arg.has_val;
		last[p].val = arg.val;
	}

	/* In this order: the later ones are checked against bproc.ip. */
	for (p = 0; p < P_COUNT; p++) {
		if (!last[p].seen) {
			if (p == P_IP || p == P_MASTER)
				diag(cfg, true, "%s: missing (required): give %s",
				     params[p].name, params[p].syntax);
			continue;
		}
		if (!last[p].has_val || last[p].val.len == 0) {
			diag(cfg, true, "%s: needs a value: %s", params[p].name,
			     params[p].syntax);
			continue;
		}
		switch (p) {
		case P_IP:
			parse_ip(cfg, last[p].val);
			break;
		case P_MASTER:
			parse_master(cfg, last[p].val);
			break;
		case P_NODE:
			parse_node(cfg, last[p].val);
			break;
		case P_GW:
			parse_gw(cfg, last[p].val);
			break;
		case P_IF:
			parse_if(cfg, last[p].val);
			break;
		case P_NODES:
			parse_nodes(cfg, last[p].val);
			break;
		}
	}
	return cfg->nerrors ? -1 : 0;
}
