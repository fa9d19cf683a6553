// SPDX-License-Identifier: GPL-2.0-only OR LGPL-2.1-only
/*
 * The rules of a move's descriptor entries (see moveio_check.h): one piece
 * of C for bproc.ko, libbproc and the daemons' wire codec.
 *
 * The entry is read field by field from the caller's copy; nothing is read
 * through a cast pointer, nothing allocates.  The socket address is taken
 * apart by bytes (struct sockaddr_in's layout: u16 family in host order,
 * u16 port and u32 address in network order, 8 bytes of zero) rather than
 * through struct sockaddr_in, whose padding field has a different name in
 * the kernel and in libc.
 */
#include "moveio_check.h"

static_assert(sizeof(struct bproc_move_io) == BPROC_MOVE_IO_SIZE, "bproc_move_io size");

/* struct sockaddr_in, by bytes. */
#define SIN_FAMILY	0
#define SIN_PORT	2
#define SIN_ZERO	8
#define SIN_SIZE	16

static bool all_zero(const void *p, size_t n)
{
	const u8 *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

static int fail(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return -EINVAL;
}

static int check_file(const struct bproc_move_io *e, const char **why)
{
	size_t len = strnlen(e->name, sizeof(e->name));

	if ((e->oflags & ~(u32)BPROC_MOVE_IO_OFLAGS) ||
	    (e->oflags & O_ACCMODE) == O_ACCMODE)
		return fail(why, "MOVE: bad open flags");
	if (e->mode > 07777 || (e->mode && !(e->oflags & O_CREAT)))
		return fail(why, "MOVE: bad file mode");
	if (e->offset < 0 || !all_zero(e->addr, sizeof(e->addr)))
		return fail(why, "MOVE: bad file offset or address");
	if (!len || len == sizeof(e->name) || e->name[0] != '/' ||
	    !all_zero(e->name + len, sizeof(e->name) - len))
		return fail(why, "MOVE: file name not absolute, NUL-padded");
	return 0;
}

static int check_socket(const struct bproc_move_io *e, const char **why)
{
	u16 family;

	static_assert(sizeof(e->addr) == SIN_SIZE, "addr holds a struct sockaddr_in");
	memcpy(&family, e->addr + SIN_FAMILY, sizeof(family));
	if (e->oflags || e->mode || e->offset || family != AF_INET ||
	    all_zero(e->addr + SIN_PORT, 2) ||
	    !all_zero(e->addr + SIN_ZERO, SIN_SIZE - SIN_ZERO) ||
	    !all_zero(e->name, sizeof(e->name)))
		return fail(why, "MOVE: bad socket descriptor");
	return 0;
}

int bproc_move_io_check(const struct bproc_move_io *e, unsigned int *seen,
			const char **why)
{
	if (e->fd < 0 || e->fd > 2 || (*seen & (1u << e->fd)))
		return fail(why, "MOVE: descriptor not 0..2 or given twice");
	*seen |= 1u << e->fd;
	if (e->flags)
		return fail(why, "MOVE: descriptor flags not zero");
	switch (e->type) {
	case BPROC_MOVE_IO_FILE:
		return check_file(e, why);
	case BPROC_MOVE_IO_SOCKET:
		return check_socket(e, why);
	}
	return fail(why, "MOVE: unknown descriptor type");
}

int bproc_move_io_check_all(const struct bproc_move_io *e, unsigned int n,
			    const char **why)
{
	unsigned int seen = 0, i;
	int err;

	if (n > BPROC_MOVE_IO_MAX)
		return fail(why, "MOVE: too many descriptors");
	for (i = 0; i < n; i++) {
		err = bproc_move_io_check(&e[i], &seen, why);
		if (err)
			return err;
	}
	return 0;
}
