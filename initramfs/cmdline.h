/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The slave image's kernel command line: the bproc.* parameters.
 *
 * Pure code: no I/O, no allocation, no global state, so that it can be unit
 * tested and fuzzed on its own (tests/unit/test_cmdline.c,
 * tests/fuzz/fuzz_cmdline.c).  Documentation/slave-image.md describes the
 * parameters for users; keep the two in step.
 */
#ifndef BPROC_INITRAMFS_CMDLINE_H
#define BPROC_INITRAMFS_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BPROC_CMDLINE_DEFAULT_PORT	2223
#define BPROC_CMDLINE_NODE_MAX		2147483646	/* 2^31 - 2 */
#define BPROC_CMDLINE_IFNAMSIZ		16		/* IFNAMSIZ */
#define BPROC_CMDLINE_NODES_MAX		64	/* nodes on one machine */

/*
 * Tokenizer.  Splits a command line exactly as the kernel does (next_arg() in
 * lib/cmdline.c and the "--" rule of parse_args() in kernel/params.c):
 * parameters are separated by white space (the kernel's isspace(), which
 * includes byte 0xa0), double quotes protect white space, a value that starts
 * with a quote loses it and the parameter's last character if that is a
 * quote, a parameter that starts with a quote loses it and its last character
 * if that is a quote, and a bare "--" ends the kernel's parameters.  The text
 * ends at its first NUL byte, as a C string would.
 *
 * Spans point into the caller's buffer, which is never modified.
 */
struct bproc_cmdline_span {
	const char *ptr;
	size_t len;
};

struct bproc_cmdline_arg {
	struct bproc_cmdline_span param;
	bool has_val;			/* "name=..." rather than "name" */
	struct bproc_cmdline_span val;	/* empty unless has_val */
};

struct bproc_cmdline_iter {
	const char *buf;
	size_t len;
	size_t pos;
};

void bproc_cmdline_iter_init(struct bproc_cmdline_iter *it, const char *buf,
			     size_t len);
/* Next parameter: true and *arg filled, or false at the end (or at "--"). */
bool bproc_cmdline_next(struct bproc_cmdline_iter *it,
			struct bproc_cmdline_arg *arg);

/*
 * Parser.  Reads the bproc.* parameters; the last occurrence of each wins
 * (earlier ones are not looked at).  Every problem is reported as a
 * diagnostic whose text starts with the parameter's name, e.g.
 * "bproc.ip: '10.0.0.300/24' is not ADDR/PREFIX ...".  A parameter with a bad
 * value counts as not given.  Unknown bproc.* parameters are warnings.
 *
 * Addresses are IPv4, in host byte order.
 */
#define BPROC_CMDLINE_MAX_DIAGS		8
#define BPROC_CMDLINE_DIAG_LEN		192

struct bproc_cmdline_diag {
	bool error;			/* false: a warning */
	char text[BPROC_CMDLINE_DIAG_LEN];
};

struct bproc_boot_config {
	bool have_ip;			/* bproc.ip=ADDR/PREFIX (required) */
	uint32_t ip;
	unsigned int prefix;		/* 1..32 */

	bool have_master;		/* bproc.master=ADDR[:PORT] (required)*/
	uint32_t master;
	uint16_t port;			/* 2223 if not given */

	bool have_node;			/* bproc.node=N */
	int32_t node;			/* 0..BPROC_CMDLINE_NODE_MAX, or -1 */

	bool have_gw;			/* bproc.gw=ADDR */
	uint32_t gw;

	bool have_ifname;		/* bproc.if=NAME */
	char ifname[BPROC_CMDLINE_IFNAMSIZ];

	/*
	 * bproc.nodes=K: this machine is K nodes (1 if not given), node
	 * bproc.node + i at address bproc.ip + i, for i in 0..K-1.
	 */
	unsigned int nodes;

	unsigned int nerrors;		/* errors, including dropped ones */
	unsigned int nwarnings;		/* warnings, including dropped ones */
	unsigned int ndiags;		/* entries used in diag[] */
	unsigned int ndropped;		/* diagnostics that did not fit */
	struct bproc_cmdline_diag diag[BPROC_CMDLINE_MAX_DIAGS];
};

/*
 * Parse @len bytes of @buf (a copy of /proc/cmdline; the text ends at the
 * first NUL if there is one).  Always fills *cfg completely.  Returns 0 when
 * there is no error (warnings allowed), -1 when cfg->nerrors > 0.
 */
int bproc_cmdline_parse(const char *buf, size_t len,
			struct bproc_boot_config *cfg);

/* Dotted-quad text of a host-order IPv4 address; @out holds >= 16 bytes. */
char *bproc_cmdline_ntoa(uint32_t addr, char *out);

/* Netmask of a prefix length 0..32, host byte order. */
uint32_t bproc_cmdline_netmask(unsigned int prefix);

#endif /* BPROC_INITRAMFS_CMDLINE_H */
