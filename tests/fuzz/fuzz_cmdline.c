// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the slave image's kernel command-line parser
 * (initramfs/cmdline.c): /proc/cmdline is outside input to PID 1.
 *
 *   make fuzz && build/fuzz/fuzz_cmdline -max_total_time=60 CORPUS_DIR
 *
 * Checks, besides what ASan/UBSan catch:
 *  - the tokenizer splits every input exactly as the kernel does: it is run
 *    in lockstep with a copy of the kernel's own next_arg() (lib/cmdline.c,
 *    Linux 6.1, GPL-2.0) and parse_args() loop (kernel/params.c);
 *  - the parser's result is consistent: success only with both required
 *    parameters and values in range, diagnostics counted, NUL-terminated,
 *    printable and naming a bproc.* parameter.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define check(cond) do { if (!(cond)) __builtin_trap(); } while (0)

/* ---- the kernel's tokenizer, as in Linux 6.1 ----------------------- */

static int k_isspace(unsigned char c)
{
	/* lib/ctype.c: _S for \t \n \v \f \r, space and 0xa0 */
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

static char *k_skip_spaces(const char *str)
{
	while (k_isspace((unsigned char)*str))
		++str;
	return (char *)str;
}

/* lib/cmdline.c: next_arg() */
static char *k_next_arg(char *args, char **param, char **val)
{
	unsigned int i, equals = 0;
	int in_quote = 0, quoted = 0;

	if (*args == '"') {
		args++;
		in_quote = 1;
		quoted = 1;
	}

	for (i = 0; args[i]; i++) {
		if (k_isspace((unsigned char)args[i]) && !in_quote)
			break;
		if (equals == 0) {
			if (args[i] == '=')
				equals = i;
		}
		if (args[i] == '"')
			in_quote = !in_quote;
	}

	*param = args;
	if (!equals)
		*val = NULL;
	else {
		args[equals] = '\0';
		*val = args + equals + 1;

		/* Don't include quotes in value. */
		if (**val == '"') {
			(*val)++;
			if (args[i-1] == '"')
				args[i-1] = '\0';
		}
	}
	if (quoted && i > 0 && args[i-1] == '"')
		args[i-1] = '\0';

	if (args[i]) {
		args[i] = '\0';
		args += i + 1;
	} else
		args += i;

	/* Chew up trailing spaces. */
	return k_skip_spaces(args);
}

static bool span_is(struct bproc_cmdline_span s, const char *c)
{
	return s.len == strlen(c) && memcmp(s.ptr, c, s.len) == 0;
}

static void check_tokenizer(const uint8_t *data, size_t size)
{
	struct bproc_cmdline_iter it;
	struct bproc_cmdline_arg arg;
	char *copy = malloc(size + 1), *args, *param, *val;

	check(copy);
	memcpy(copy, data, size);
	copy[size] = '\0';

	bproc_cmdline_iter_init(&it, (const char *)data, size);
	args = k_skip_spaces(copy);
	for (;;) {
		bool more_k = *args != '\0', more_b;

		if (more_k) {
			args = k_next_arg(args, &param, &val);
			if (!val && strcmp(param, "--") == 0)
				more_k = false;
		}
		more_b = bproc_cmdline_next(&it, &arg);
		check(more_k == more_b);
		if (!more_k)
			break;
		check(span_is(arg.param, param));
		check(arg.has_val == (val != NULL));
		if (val)
			check(span_is(arg.val, val));
		else
			check(arg.val.len == 0);
	}
	/* Once done, it stays done. */
	check(!bproc_cmdline_next(&it, &arg));
	free(copy);
}

/* ---- the parser's own invariants ----------------------------------- */

static void check_parser(const uint8_t *data, size_t size)
{
	struct bproc_boot_config cfg;
	unsigned int i;
	int r;

	/* The parser must fill all of it. */
	memset(&cfg, 0xa5, sizeof(cfg));
	r = bproc_cmdline_parse((const char *)data, size, &cfg);

	check(r == 0 || r == -1);
	check((r == 0) == (cfg.nerrors == 0));
	check(cfg.ndiags <= BPROC_CMDLINE_MAX_DIAGS);
	check(cfg.ndiags + cfg.ndropped == cfg.nerrors + cfg.nwarnings);
	for (i = 0; i < cfg.ndiags; i++) {
		const char *t = cfg.diag[i].text;
		size_t n = strnlen(t, sizeof(cfg.diag[i].text));

		check(n < sizeof(cfg.diag[i].text));
		check(strncmp(t, "bproc.", 6) == 0);
		while (n--)
			check(t[n] >= 0x20 && t[n] < 0x7f);
	}

	if (r == 0) {
		check(cfg.have_ip && cfg.have_master);
		check(cfg.prefix >= 1 && cfg.prefix <= 32);
		check(cfg.ip != cfg.master);
		check(cfg.port != 0);
	}
	if (cfg.have_ip)
		check(cfg.prefix >= 1 && cfg.prefix <= 32);
	else
		check(cfg.ip == 0 && cfg.prefix == 0);
	if (!cfg.have_master)
		check(cfg.master == 0 &&
		      cfg.port == BPROC_CMDLINE_DEFAULT_PORT);
	if (cfg.have_node)
		check(cfg.node >= 0 && cfg.node <= BPROC_CMDLINE_NODE_MAX);
	else
		check(cfg.node == -1);
	if (cfg.have_gw && cfg.have_ip)
		check((cfg.gw & bproc_cmdline_netmask(cfg.prefix)) ==
		      (cfg.ip & bproc_cmdline_netmask(cfg.prefix)) &&
		      cfg.gw != cfg.ip);
	if (!cfg.have_gw)
		check(cfg.gw == 0);
	if (cfg.have_ifname) {
		size_t n = strnlen(cfg.ifname, sizeof(cfg.ifname));

		check(n > 0 && n < sizeof(cfg.ifname));
		check(!strchr(cfg.ifname, '/') && !strchr(cfg.ifname, ':'));
		check(strcmp(cfg.ifname, ".") && strcmp(cfg.ifname, ".."));
	} else {
		check(cfg.ifname[0] == '\0');
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 8192)	/* far beyond COMMAND_LINE_SIZE (2048) */
		return 0;
	check_tokenizer(data, size);
	check_parser(data, size);
	return 0;
}
