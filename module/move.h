/* SPDX-License-Identifier: GPL-2.0 */
/* module/move.c: moving a process to a node (BPROC_IOC_MOVE). */
#ifndef BPROC_MOVE_H
#define BPROC_MOVE_H

#include <linux/bproc.h>
#include <linux/types.h>

struct file;

/* Descriptors the node opens for a moving process (bproc_move_req.io). */
struct bproc_move_ios {
	u32 n;
	struct bproc_move_io e[BPROC_MOVE_IO_MAX];
};

long bproc_move_ioctl(struct file *file, struct bproc_move_req __user *ureq);

/* For module/execmove.c, which moves the same way after an exec. */

/*
 * Copy and check a BPROC_IOC_MOVE / BPROC_IOC_EXECMOVE request, and its
 * descriptors into *@iop (NULL if none; the caller's to free).
 */
int bproc_move_req_get(struct bproc_move_req *req,
		       struct bproc_move_req __user *ureq,
		       struct bproc_move_ios **iop);
/* 0, or -EPERM: the caller's confinement would not survive a move. */
int bproc_move_confined(void);
/* May the caller move to @node?  0, or the errno the mover gets. */
int bproc_move_check(int node);
/*
 * On the master: move the caller to @node, with the descriptors @io (may
 * be NULL; freed here) opened on the node.  Returns a negative errno if it
 * did not move (it goes on unchanged), else whatever its ghost's life ends
 * with (bproc_ghost_run()).
 */
long bproc_move_ghost(int node, u32 flags, struct bproc_move_ios *io,
		      bool *back);

#endif /* BPROC_MOVE_H */
