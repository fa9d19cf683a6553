// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for bpmaster's configuration file parser
 * (common/bpconfig.c).
 *
 *   make fuzz && build/fuzz/fuzz_bpconfig -max_total_time=60 CORPUS_DIR
 *
 * Checks, besides what ASan/UBSan (and LeakSanitizer) catch:
 *  - a failed parse leaves nothing behind and says why in one printable
 *    line "fuzz:LINE: message" or "fuzz: message", truncated safely;
 *  - a good parse is consistent: values in range, node addresses unique and
 *    each found again by bpconfig_node_by_addr(), absolute library globs;
 *  - a good parse written back as a configuration file (one 'ip NODE ADDR'
 *    per node, every keyword spelt out) parses to the same result.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <arpa/inet.h>

#include "bpconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define check(cond) do { if (!(cond)) __builtin_trap(); } while (0)

static void check_error(const char *err, size_t errlen)
{
	size_t n = strnlen(err, errlen), i;

	check(n < errlen);
	check(!strncmp(err, "fuzz", n < 4 ? n : 4));
	if (errlen > 6)
		check(!strncmp(err, "fuzz:", 5));
	for (i = 0; i < n; i++)
		check(err[i] >= 0x20 && err[i] < 0x7f);
}

static void check_empty(const struct bpconfig *cfg)
{
	check(!cfg->node_addr && !cfg->libraries && !cfg->addr_hash);
	check(cfg->numnodes == 0 && cfg->nlibraries == 0);
}

static const char *facility_name(int facility)
{
	static char name[8];

	if (facility == LOG_DAEMON)
		return "daemon";
	if (facility == LOG_USER)
		return "user";
	check(facility >= LOG_LOCAL0 && facility <= LOG_LOCAL7);
	snprintf(name, sizeof(name), "local%d", (facility - LOG_LOCAL0) >> 3);
	return name;
}

static void check_good(const struct bpconfig *cfg)
{
	int node;
	unsigned int i;

	check(cfg->numnodes >= 1 && cfg->numnodes <= BPROC_NODES_MAX);
	check(cfg->port >= 1);
	check(cfg->pingtimeout >= 1 && cfg->pingtimeout <= BPCONFIG_PINGTIMEOUT_MAX);
	facility_name(cfg->logfacility);
	check(strnlen(cfg->interface, sizeof(cfg->interface)) <= BPCONFIG_IFNAME_MAX);
	check(cfg->interface[0] || !cfg->interface_addr);
	check(cfg->nlibraries <= BPCONFIG_LIBS_MAX);
	for (i = 0; i < cfg->nlibraries; i++)
		check(cfg->libraries[i][0] == '/');
	for (node = 0; node < cfg->numnodes; node++) {
		uint32_t a = cfg->node_addr[node];

		if (a)
			check(bpconfig_node_by_addr(cfg, a) == node);
		check(a != 0xffffffffu);
	}
	check(bpconfig_node_by_addr(cfg, 0) == BPROC_NODE_NONE);
}

/* @cfg as a configuration file. */
static char *unparse(const struct bpconfig *cfg, size_t *len)
{
	char *text, *p, addr[INET_ADDRSTRLEN];
	size_t cap = 64 * (size_t)cfg->numnodes + 4096;
	unsigned int i;
	int node;

	for (i = 0; i < cfg->nlibraries; i++)
		cap += strlen(cfg->libraries[i]) + 16;
	text = malloc(cap);
	check(text);
	p = text;
	if (cfg->interface[0]) {
		p += sprintf(p, "interface %s", cfg->interface);
		if (cfg->interface_addr) {
			inet_ntop(AF_INET, &cfg->interface_addr, addr, sizeof(addr));
			p += sprintf(p, " %s", addr);
		}
		*p++ = '\n';
	}
	p += sprintf(p, "bprocport %u\npingtimeout %u\nlogfacility %s\nnodes %d\n",
		     cfg->port, cfg->pingtimeout, facility_name(cfg->logfacility),
		     cfg->numnodes);
	for (i = 0; i < cfg->nlibraries; i++)
		p += sprintf(p, "libraries %s\n", cfg->libraries[i]);
	for (node = 0; node < cfg->numnodes; node++) {
		if (!cfg->node_addr[node])
			continue;
		inet_ntop(AF_INET, &cfg->node_addr[node], addr, sizeof(addr));
		p += sprintf(p, "ip %d %s\n", node, addr);
	}
	*len = (size_t)(p - text);
	check(*len < cap);
	return text;
}

static void check_same(const struct bpconfig *a, const struct bpconfig *b)
{
	unsigned int i;

	check(!strcmp(a->interface, b->interface));
	check(a->interface_addr == b->interface_addr);
	check(a->port == b->port && a->pingtimeout == b->pingtimeout);
	check(a->logfacility == b->logfacility);
	check(a->numnodes == b->numnodes);
	check(!memcmp(a->node_addr, b->node_addr,
		      (size_t)a->numnodes * sizeof(*a->node_addr)));
	check(a->nlibraries == b->nlibraries);
	for (i = 0; i < a->nlibraries; i++)
		check(!strcmp(a->libraries[i], b->libraries[i]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpconfig cfg, again;
	char err[256], tiny[9];
	char *text;
	size_t len;
	int r;

	if (size > 64 * 1024)
		return 0;
	memset(&cfg, 0xa5, sizeof(cfg));
	r = bpconfig_parse_mem((const char *)data, size, "fuzz", &cfg, err, sizeof(err));
	check(r == 0 || r == -1);
	if (r) {
		check(err[0]);
		check_error(err, sizeof(err));
		check_empty(&cfg);
		/* The same error, cut to fit a small buffer. */
		check(bpconfig_parse_mem((const char *)data, size, "fuzz", &cfg, tiny,
					 sizeof(tiny)) == -1);
		check_error(tiny, sizeof(tiny));
		check(!strncmp(err, tiny, sizeof(tiny) - 1));
		bpconfig_free(&cfg);
		return 0;
	}
	check(!err[0]);
	check_good(&cfg);

	text = unparse(&cfg, &len);
	r = bpconfig_parse_mem(text, len, "fuzz", &again, err, sizeof(err));
	check(r == 0);
	check_same(&cfg, &again);
	free(text);
	bpconfig_free(&again);
	bpconfig_free(&cfg);
	check_empty(&cfg);
	return 0;
}
