// SPDX-License-Identifier: LGPL-2.1-only
/*
 * libbproc: struct bproc_node_set_t, a growable array of node records
 * (bproc 4's helpers).  Pure memory management; no file is read here.
 *
 * A set starts either as BPROC_EMPTY_NODESET or from bproc_nodeset_init();
 * bproc_nodeset_free() releases it and leaves it empty and reusable.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sys/bproc.h>

/* Allocation granularity, in entries. */
#define NODESET_CHUNK	128

int bproc_nodeset_init(struct bproc_node_set_t *ns, int size)
{
	if (!ns) {
		errno = EFAULT;
		return -1;
	}
	ns->size = 0;
	ns->alloc = 0;
	ns->node = NULL;
	if (size <= 0)
		return 0;
	if ((size_t)size > SIZE_MAX / sizeof(*ns->node)) {
		errno = ENOMEM;
		return -1;
	}
	/* As bproc 4: @size entries in use, here zeroed rather than garbage. */
	ns->node = calloc((size_t)size, sizeof(*ns->node));
	if (!ns->node) {
		errno = ENOMEM;
		return -1;
	}
	ns->size = size;
	ns->alloc = size;
	return 0;
}

int bproc_nodeset_grow(struct bproc_node_set_t *ns, int size)
{
	struct bproc_node_info_t *tmp;
	size_t want;

	if (!ns) {
		errno = EFAULT;
		return -1;
	}
	if (size <= ns->alloc)
		return 0;
	/* Round up to the next chunk, without overflowing an int. */
	if (size > INT32_MAX - NODESET_CHUNK) {
		errno = ENOMEM;
		return -1;
	}
	want = ((size_t)size + NODESET_CHUNK - 1) / NODESET_CHUNK * NODESET_CHUNK;
	if (want > SIZE_MAX / sizeof(*tmp)) {
		errno = ENOMEM;
		return -1;
	}
	tmp = realloc(ns->node, want * sizeof(*tmp));
	if (!tmp) {
		errno = ENOMEM;
		return -1;
	}
	ns->node = tmp;
	ns->alloc = (int)want;
	return 0;
}

void bproc_nodeset_free(struct bproc_node_set_t *ns)
{
	if (!ns)
		return;
	free(ns->node);
	ns->node = NULL;
	ns->size = 0;
	ns->alloc = 0;
}

int bproc_nodeset_add(struct bproc_node_set_t *ns, struct bproc_node_info_t *n)
{
	struct bproc_node_info_t copy;

	if (!ns || !n) {
		errno = EFAULT;
		return -1;
	}
	if (ns->size == INT32_MAX) {
		errno = ENOMEM;
		return -1;
	}
	copy = *n;	/* @n may point into @ns, which may move */
	if (bproc_nodeset_grow(ns, ns->size + 1))
		return -1;
	ns->node[ns->size++] = copy;
	return 0;
}

int bproc_nodeset_append(struct bproc_node_set_t *a, struct bproc_node_set_t *b)
{
	int n;

	if (!a || !b) {
		errno = EFAULT;
		return -1;
	}
	n = b->size;	/* fixed first: @a may be @b */
	if (n <= 0)
		return 0;
	if (a->size > INT32_MAX - n) {
		errno = ENOMEM;
		return -1;
	}
	if (bproc_nodeset_grow(a, a->size + n))
		return -1;
	memmove(a->node + a->size, b->node, (size_t)n * sizeof(*a->node));
	a->size += n;
	return 0;
}
