/* SPDX-License-Identifier: GPL-2.0-only OR LGPL-2.1-only */
/*
 * The rules of a move's descriptor entries (struct bproc_move_io, which
 * <linux/bproc.h> documents field by field), written once.
 *
 * An entry travels from libbproc (which makes it from a struct bproc_io_t)
 * through the kernel (BPROC_IOC_MOVE / BPROC_IOC_EXECMOVE, then
 * BPROC_MSG_MOVE to bpmaster) and the wire (bpwire's MOVE, to bpslave,
 * which opens it).  Each of them checks every entry with this one function,
 * so an entry one of them accepts is one all of them accept.  Compiled into
 * bproc.ko, libbproc and the daemons' codec (common/bproc_compat.h says what
 * it may use).
 */
#ifndef BPROC_MOVEIO_CHECK_H
#define BPROC_MOVEIO_CHECK_H

#include "bproc_compat.h"

#include <linux/bproc.h>

/**
 * bproc_move_io_check() - check one descriptor entry of a move
 * @e:    the entry.
 * @seen: the descriptors (bit 1 << fd) of the entries before it in the same
 *        request: start with 0 and pass the same word for every entry;
 *        @e's descriptor is added to it.
 * @why:  NULL, or where to put a static string naming what was wrong (for
 *        a log line).
 *
 * The rules (struct bproc_move_io): @fd 0, 1 or 2, each at most once in a
 * request; @flags zero; a FILE has open flags of BPROC_MOVE_IO_OFLAGS only
 * and an access mode O_RDONLY, O_WRONLY or O_RDWR, a @mode of at most 07777
 * and only with O_CREAT, an @offset >= 0, a zero @addr and an absolute
 * @name, NUL-terminated and NUL-padded; a SOCKET has an AF_INET
 * struct sockaddr_in with a port (address any, sin_zero zero) and zero
 * @oflags, @mode, @offset and @name.  Any other @type is wrong.
 *
 * Return: 0, or -EINVAL.
 */
int bproc_move_io_check(const struct bproc_move_io *e, unsigned int *seen,
			const char **why);

/**
 * bproc_move_io_check_all() - check the @n entries of one request
 * @e:   the entries.
 * @n:   how many: 0..BPROC_MOVE_IO_MAX (more: -EINVAL, as the ioctl).
 * @why: as for bproc_move_io_check().
 *
 * Return: 0, or -EINVAL (too many, or the first entry that is wrong).
 */
int bproc_move_io_check_all(const struct bproc_move_io *e, unsigned int n,
			    const char **why);

#endif /* BPROC_MOVEIO_CHECK_H */
