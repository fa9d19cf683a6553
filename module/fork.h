/* SPDX-License-Identifier: GPL-2.0 */
/*
 * module/fork.c: children a remote process forks on its node, whose ghosts
 * its ghost's fork() makes (BPROC_CALL_FORK) and its ghost reaps.
 */
#ifndef BPROC_FORK_H
#define BPROC_FORK_H

#include <linux/types.h>

struct bproc_ghost;

/*
 * A task in the call snippet that came back with BPROC_IOC_GHOST_CALLRET
 * and result 0, but is not a ghost: the child of a ghost's fork(), if its
 * parent's ghost registers it soon.  Its ghost, or NULL.
 */
struct bproc_ghost *bproc_ghost_fork_child(void);
/*
 * Ghost @g's fork() made task @pid for its process's fork on the node:
 * register that task as the ghost of the child to be and follow it as
 * forked there.  0, or a negative errno (the task is then killed, and the
 * fork fails on the node).
 */
int bproc_ghost_forked_register(struct bproc_ghost *g, int pid);
/* Take @pid off the forked list; true if it was there. */
bool bproc_ghost_forked_take(struct bproc_ghost *g, int pid);
/* Is @pid a child forked on the node? */
bool bproc_ghost_is_forked(struct bproc_ghost *g, int pid);
/* A forked child whose ghost is a zombie of ours, to reap; or 0. */
int bproc_ghost_forked_zombie(struct bproc_ghost *g);
/* Have all forked children that ended on the node been reaped here? */
bool bproc_ghost_forked_settled(struct bproc_ghost *g);
/*
 * Reap the ghost of forked child @pid (an internal call): what
 * bproc_ghost_call_start() returns.
 */
long bproc_ghost_reap_forked(struct bproc_ghost *g, int pid);

#endif /* BPROC_FORK_H */
