// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for libbproc's nodespec parser (lib/nodespec.c): the
 * node lists of bpsh, bpstat and bpctl come from the command line.
 *
 *   make fuzz && build/fuzz/fuzz_nodespec -max_total_time=60 CORPUS_DIR
 *
 * Input: byte 0 gives the number of input nodes (0..32); then two bytes per
 * node, its number (byte - 8: some negative, -1 the master) and its status
 * (one of the eight states, or a 16-byte string without a NUL); the rest,
 * up to a NUL, is the spec.
 *
 * Checks, besides what ASan/UBSan catch:
 *  - the result is 0 or -1; on -1 errno is EINVAL, ENODEV or ENOMEM and the
 *    output set is empty;
 *  - every selected entry is a byte-for-byte copy of an input entry (or of
 *    the master stand-in);
 *  - items are independent: the spec selects exactly the concatenation of
 *    what each comma-separated item selects alone, and fails with the
 *    error of its first failing item;
 *  - a single number selects that node once, or fails with ENODEV;
 *  - out == in gives the same result.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sys/bproc.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define check(cond) do { if (!(cond)) __builtin_trap(); } while (0)

static const char *const states[] = {
	"down", "boot", "up", "error", "unavailable", "reboot", "halt", "pwroff",
};

static bool same_set(const struct bproc_node_set_t *a,
		     const struct bproc_node_set_t *b)
{
	return a->size == b->size &&
	       (a->size == 0 ||
		memcmp(a->node, b->node, (size_t)a->size * sizeof(*a->node)) == 0);
}

static bool in_set(const struct bproc_node_set_t *in,
		   const struct bproc_node_info_t *n)
{
	int i;

	for (i = 0; i < in->size; i++)
		if (memcmp(&in->node[i], n, sizeof(*n)) == 0)
			return true;
	return false;
}

/* Parse @spec; on failure check the failure's shape and return -errno. */
static int parse(struct bproc_node_set_t *out, const struct bproc_node_set_t *in,
		 const char *spec)
{
	int r, err;

	errno = 0;
	r = bproc_lib_nodespec(out, in, spec, NULL);
	err = errno;
	check(r == 0 || r == -1);
	if (r == 0)
		return 0;
	check(err == EINVAL || err == ENODEV || err == ENOMEM);
	check(out->size == 0 && !out->node);
	return -err;
}

static void check_items(const struct bproc_node_set_t *in, const char *spec,
			const struct bproc_node_set_t *whole, int whole_r)
{
	struct bproc_node_set_t cat = BPROC_EMPTY_NODESET, one;
	size_t len = strlen(spec);
	char *copy = malloc(len + 1), *p, *end;
	int first_err = 0, r;

	check(copy);
	memcpy(copy, spec, len + 1);
	for (p = copy;; p = end + 1) {
		end = strchr(p, ',');
		if (end)
			*end = '\0';
		r = parse(&one, in, p);
		if (r && !first_err)
			first_err = r;
		if (!r && !first_err)
			check(bproc_nodeset_append(&cat, &one) == 0);
		bproc_nodeset_free(&one);
		if (!end || first_err)
			break;
	}
	check(whole_r == first_err);
	if (!whole_r)
		check(same_set(whole, &cat));
	bproc_nodeset_free(&cat);
	free(copy);
}

/* A spec that is one decimal number. */
static bool is_number(const char *s, long *val)
{
	char *end;

	if (*s < '0' || *s > '9' || strlen(s) > 9)
		return false;
	*val = strtol(s, &end, 10);
	return *end == '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bproc_node_set_t in = BPROC_EMPTY_NODESET, out, alias;
	struct bproc_node_info_t n, master;
	size_t count, i, speclen;
	char *spec;
	long num;
	int r;

	if (size < 1 || size > 4096)
		return 0;
	count = data[0] % 33;
	if (size < 1 + 2 * count)
		return 0;
	for (i = 0; i < count; i++) {
		unsigned char st = data[2 + 2 * i];

		memset(&n, 0, sizeof(n));
		n.node = (int)data[1 + 2 * i] - 8;
		if (st % 9 < 8)
			strcpy(n.status, states[st % 9]);
		else
			memset(n.status, 'x', sizeof(n.status));	/* no NUL */
		n.user = (unsigned int)i;
		check(bproc_nodeset_add(&in, &n) == 0);
	}
	data += 1 + 2 * count;
	size -= 1 + 2 * count;
	speclen = strnlen((const char *)data, size);
	spec = malloc(speclen + 1);
	check(spec);
	memcpy(spec, data, speclen);
	spec[speclen] = '\0';

	/* the master stand-in, as "master" alone selects it */
	check(parse(&out, &in, "master") == 0 && out.size == 1);
	master = out.node[0];
	bproc_nodeset_free(&out);

	r = parse(&out, &in, spec);
	for (i = 0; !r && i < (size_t)out.size; i++)
		check(in_set(&in, &out.node[i]) ||
		      memcmp(&out.node[i], &master, sizeof(master)) == 0);

	if (is_number(spec, &num)) {
		if (r == 0)
			check(out.size == 1 && out.node[0].node == num);
		else
			check(r == -ENODEV);
	}

	check_items(&in, spec, &out, r);

	/* out == in */
	check(bproc_nodeset_init(&alias, 0) == 0);
	check(bproc_nodeset_append(&alias, &in) == 0);
	check(parse(&alias, &alias, spec) == r);
	check(r || same_set(&alias, &out));
	bproc_nodeset_free(&alias);

	bproc_nodeset_free(&out);
	bproc_nodeset_free(&in);
	free(spec);
	return 0;
}
