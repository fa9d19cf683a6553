/* SPDX-License-Identifier: GPL-2.0 */
/*
 * module/ghost_loop.c: the ghost's life, from the end of its move to its
 * end: the wait loop, signals, stops.
 */
#ifndef BPROC_GHOST_LOOP_H
#define BPROC_GHOST_LOOP_H

#include <linux/init.h>
#include <linux/signal.h>
#include <linux/types.h>

struct bproc_ghost;

/* BPROC_MSG_EXIT: remote process @pid ended with wait status @status. */
void bproc_ghost_remote_exited(int pid, int status);
/* BPROC_MSG_PSTATE: remote process @pid stopped with @sig. */
void bproc_ghost_remote_stopped(int pid, int sig);

/*
 * The caller, whose process now runs on a node, lives as its ghost @g
 * with code page @code; @in: it forwards its stdin.  Returns what the
 * ioctl returns when the ghost ends (module/ghost_loop.c says what);
 * *@back is set if the process came back instead.
 */
long bproc_ghost_run(struct bproc_ghost *g, unsigned long code, bool in,
		     bool *back);
/* Forward @sig to @g's remote process. */
void bproc_ghost_forward(struct bproc_ghost *g, int sig);
/* Every catchable signal gets @handler, so that every signal queues. */
void bproc_ghost_catch_all(__sighandler_t handler);
/* The descriptor a ghost re-enters its loop through, made once.  0 or -errno. */
int bproc_ghost_resume_fd(struct bproc_ghost *g);

/* The reaper of ghosts killed while stopped. */
int bproc_ghost_reaper_init(void);
void bproc_ghost_reaper_exit(void);

#endif /* BPROC_GHOST_LOOP_H */
