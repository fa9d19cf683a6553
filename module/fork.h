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
 * Ghost @g's fork() returned @vnr (in the ghost's PID namespace) for its
 * process's fork on the node: if that is the ghost's new child, register
 * it as the ghost of the child to be and follow it as forked there.  Its
 * global PID, or a negative errno: -ECHILD, not a new child of the ghost's
 * (nothing is done to it); another (the child is then killed).  The fork
 * fails on the node with the errno.
 */
int bproc_ghost_forked_register(struct bproc_ghost *g, int vnr);
/*
 * The global PID of process @vnr of the caller's PID namespace (what its
 * calls return), 0 if there is none (in another namespace than the
 * initial one: a reaped process's number is no more); @vnr itself if it
 * is not positive.
 */
int bproc_ghost_global_pid(int vnr);
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
