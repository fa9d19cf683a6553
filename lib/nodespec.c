// SPDX-License-Identifier: LGPL-2.1-only
/*
 * libbproc: node specifications such as "0-7,10", "allup" or "!error"
 * (bproc_nodefilter(), and the core of bproc_nodespec()).
 *
 * This file reads no file: it selects from a node set in memory, so that
 * unit tests and the fuzz target (tests/fuzz/fuzz_nodespec.c) can drive it.
 *
 * Grammar (the original bproc's, made strict; libbproc(3) has the prose):
 *
 *   spec   := item { "," item }
 *   item   := number                  one node
 *           | number "-" number       a range, both ends included
 *           | number "-"              from number to the highest node
 *           | "all"                   every node (not the master)
 *           | "master"                the master, node -1
 *           | [ "all" ] [ "!" | "not" ] status
 *   number := [ "n" | "." ] digit { digit }       decimal
 *   status := "down" | "boot" | "up" | "error" | "unavailable" |
 *             "reboot" | "halt" | "pwroff"
 *
 * Items are taken left to right and their nodes appended in that order;
 * within an item, nodes come in ascending order.  Duplicates are kept.
 * "allup" is "up"; "allnotdown" and "!down" are every node not down.
 *
 * Where the original was lax, this one fails with EINVAL: an empty spec,
 * an empty item (",1", "1,,2", "1,"), white space, a sign, a reversed range
 * ("5-3"), an unknown word (the original selected nothing), trailing bytes.
 * A node number the input does not have fails with ENODEV: a single number
 * not in the input, a range end above the input's highest node (the
 * original skipped them silently).  Numbers are decimal even with a leading
 * zero (the original's strtol(,, 0) read "010" as 8).
 */
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <sys/bproc.h>

#include "internal.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The states of /sys/bproc/nodes/N/status. */
static const char *const status_names[] = {
	"down", "boot", "up", "error", "unavailable", "reboot", "halt", "pwroff",
};

/* The nodes of the input with a number >= 0, by number, first one kept. */
struct node_index {
	const struct bproc_node_info_t **ent;
	int n;
};

static int cmp_entry(const void *a, const void *b)
{
	const struct bproc_node_info_t *x = *(const struct bproc_node_info_t *const *)a;
	const struct bproc_node_info_t *y = *(const struct bproc_node_info_t *const *)b;

	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	/* same number: keep the input's order (all point into one array) */
	return x < y ? -1 : x > y;
}

static int index_build(struct node_index *ix, const struct bproc_node_set_t *in)
{
	int i, j;

	ix->ent = NULL;
	ix->n = 0;
	if (in->size <= 0 || !in->node)
		return 0;
	ix->ent = malloc((size_t)in->size * sizeof(*ix->ent));
	if (!ix->ent) {
		errno = ENOMEM;
		return -1;
	}
	for (i = 0; i < in->size; i++)
		if (in->node[i].node >= 0)
			ix->ent[ix->n++] = &in->node[i];
	qsort(ix->ent, (size_t)ix->n, sizeof(*ix->ent), cmp_entry);
	for (i = j = 0; i < ix->n; i++)
		if (j == 0 || ix->ent[j - 1]->node != ix->ent[i]->node)
			ix->ent[j++] = ix->ent[i];
	ix->n = j;
	return 0;
}

/* Position of the first entry whose node is >= @node. */
static int index_lower(const struct node_index *ix, long long node)
{
	int lo = 0, hi = ix->n;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (ix->ent[mid]->node < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static long long index_max(const struct node_index *ix)
{
	return ix->n ? ix->ent[ix->n - 1]->node : -1;
}

static int add(struct bproc_node_set_t *out, const struct bproc_node_info_t *n)
{
	return bproc_nodeset_add(out, (struct bproc_node_info_t *)n);
}

/* Append the entries with @lo <= node <= @hi. */
static int add_range(struct bproc_node_set_t *out, const struct node_index *ix,
		     long long lo, long long hi)
{
	int i;

	for (i = index_lower(ix, lo); i < ix->n && ix->ent[i]->node <= hi; i++)
		if (add(out, ix->ent[i]))
			return -1;
	return 0;
}

static bool status_is(const struct bproc_node_info_t *n, const char *name)
{
	size_t len = strlen(name);

	return strnlen(n->status, sizeof(n->status)) == len &&
	       memcmp(n->status, name, len) == 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * A number at *@p (before @end): optional "n" or "." then decimal digits.
 * Values above INT_MAX come back as INT_MAX + 1 (no such node).
 */
static bool parse_number(const char **p, const char *end, long long *val)
{
	const char *s = *p;
	long long v = 0;

	if (s < end && (*s == 'n' || *s == '.'))
		s++;
	if (s == end || !is_digit(*s))
		return false;
	for (; s < end && is_digit(*s); s++) {
		v = v * 10 + (*s - '0');
		if (v > INT_MAX)
			v = (long long)INT_MAX + 1;
	}
	*p = s;
	*val = v;
	return true;
}

static bool word_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(s, word, len) == 0;
}

/* One item, [@s, @end), appended to @out. */
static int parse_item(struct bproc_node_set_t *out, const struct node_index *ix,
		      const struct bproc_node_info_t *master,
		      const char *s, const char *end)
{
	size_t len = (size_t)(end - s);
	const char *p = s;
	long long a, b;
	bool invert = false;
	unsigned int i;
	int st = -1;

	if (len == 0)
		goto inval;

	if (parse_number(&p, end, &a)) {
		if (p == end) {				/* N */
			i = (unsigned int)index_lower(ix, a);
			if ((int)i == ix->n || ix->ent[i]->node != a)
				goto nodev;
			return add(out, ix->ent[i]);
		}
		if (*p++ != '-')
			goto inval;
		if (p == end) {				/* A- */
			if (a > index_max(ix))
				goto nodev;
			return add_range(out, ix, a, index_max(ix));
		}
		if (!parse_number(&p, end, &b) || p != end)
			goto inval;
		if (a > b)				/* A-B */
			goto inval;
		if (b > index_max(ix))
			goto nodev;
		return add_range(out, ix, a, b);
	}

	if (word_is(s, len, "all"))
		return add_range(out, ix, 0, index_max(ix));
	if (word_is(s, len, "master"))
		return add(out, master);

	/* [all] [! | not] status */
	if (len > 3 && memcmp(p, "all", 3) == 0)
		p += 3;
	if (p < end && *p == '!') {
		invert = true;
		p++;
	} else if (end - p > 3 && memcmp(p, "not", 3) == 0) {
		invert = true;
		p += 3;
	}
	for (i = 0; i < ARRAY_SIZE(status_names); i++)
		if (word_is(p, (size_t)(end - p), status_names[i]))
			st = (int)i;
	if (st < 0)
		goto inval;
	for (i = 0; i < (unsigned int)ix->n; i++)
		if (status_is(ix->ent[i], status_names[st]) != invert &&
		    add(out, ix->ent[i]))
			return -1;
	return 0;

inval:
	errno = EINVAL;
	return -1;
nodev:
	errno = ENODEV;
	return -1;
}

int bproc_lib_nodespec(struct bproc_node_set_t *out,
		       const struct bproc_node_set_t *in, const char *str,
		       const struct bproc_node_info_t *master)
{
	struct bproc_node_set_t res = BPROC_EMPTY_NODESET;
	struct bproc_node_info_t stand_in;
	struct node_index ix = { NULL, 0 };
	const char *p, *end;
	int i, err = 0;

	if (!out || !in || !str) {
		errno = EFAULT;
		return -1;
	}
	if (in->size > 0 && !in->node) {
		err = EFAULT;
		goto out;
	}
	if (!master) {
		/* the input's own master entry, else the original's stand-in */
		for (i = 0; i < in->size && !master; i++)
			if (in->node[i].node == BPROC_NODE_MASTER)
				master = &in->node[i];
	}
	if (!master) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&stand_in.addr;

		memset(&stand_in, 0, sizeof(stand_in));
		stand_in.node = BPROC_NODE_MASTER;
		strcpy(stand_in.status, "up");
		stand_in.mode = 0111;
		sin->sin_family = AF_INET;
		master = &stand_in;
	}
	if (index_build(&ix, in)) {
		err = errno;
		goto out;
	}

	p = str;
	for (;;) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		if (parse_item(&res, &ix, master, p, end)) {
			err = errno;
			break;
		}
		if (!*end)
			break;
		p = end + 1;
	}

out:
	free(ix.ent);
	if (out == in)
		bproc_nodeset_free(out);
	if (err) {
		bproc_nodeset_free(&res);
		bproc_nodeset_init(out, 0);
		errno = err;
		return -1;
	}
	*out = res;
	return 0;
}

int bproc_nodefilter(struct bproc_node_set_t *out, struct bproc_node_set_t *in,
		     const char *str)
{
	return bproc_lib_nodespec(out, in, str, NULL);
}
