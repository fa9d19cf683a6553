/* SPDX-License-Identifier: GPL-2.0 */
/*
 * module/ghost_io.c: a remote process's stdout and stderr, written by its
 * ghost, and its stdin, read by its ghost.
 */
#ifndef BPROC_GHOST_IO_H
#define BPROC_GHOST_IO_H

#include <linux/types.h>

struct bproc_ghost;

/*
 * BPROC_MSG_IO: bpmaster brings output of remote process @pid for
 * descriptor @stream (1 or 2; no data: end of file).  0, -ENOMEM, or
 * -ENOBUFS (too much is waiting: dropped, with a log line).
 */
int bproc_ghost_remote_output(int pid, u32 stream, const void *data,
			      size_t len);
/* Write the oldest waiting output of @g; false if none was waiting. */
bool bproc_ghost_write_output(struct bproc_ghost *g);

/* Forward the caller's stdin to @g's process (@in), or end of file at once. */
void bproc_ghost_stdin_start(struct bproc_ghost *g, bool in);
/* Is there stdin to forward now? */
bool bproc_ghost_stdin_ready(struct bproc_ghost *g);
/* Forward what stdin has now; at its end tell the node and stop. */
void bproc_ghost_stdin_pump(struct bproc_ghost *g);
/*
 * The ghost leaves the kernel for a while (it stops): take its wait off
 * stdin's queue, and put it back when it runs its loop again.
 */
void bproc_ghost_stdin_unhook(struct bproc_ghost *g);
void bproc_ghost_stdin_hook(struct bproc_ghost *g);
/* Stop forwarding stdin (the ghost ends, or its process comes back). */
void bproc_ghost_stdin_stop(struct bproc_ghost *g);

#endif /* BPROC_GHOST_IO_H */
