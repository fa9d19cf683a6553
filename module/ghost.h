/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct bproc_ghost: a remote process's stand-in on the master, the state
 * every ghost file shares.  Where each part of it is used:
 *
 *   module/ghost_table.c  the table of ghosts: registration, lookup by PID
 *   module/move.c         moving out: a process becomes a ghost
 *   module/ghost_shrink.c what a ghost gives up: descriptors, memory
 *   module/ghost_loop.c   the ghost's life: signals, stops, its end
 *   module/ghost_io.c     the remote process's stdout/stderr; stdin
 *   module/calls.c        PID-space calls the ghost makes for its process
 *   module/fork.c         children its process forks on the node
 *   module/return.c       the process comes back
 *   module/execmove.c     a move at the first instruction after an exec
 *
 * Documentation/kernel-notes.md, "A ghost: a task sleeping in an ioctl",
 * says why a ghost is the process's own task; module/ghost_loop.c tells its
 * life.
 */
#ifndef BPROC_GHOST_H
#define BPROC_GHOST_H

#include <linux/list.h>
#include <linux/poll.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

struct file;
struct pid;
struct bproc_ghost_call;

/* Children forked on a node a ghost follows (struct bproc_ghost.forked). */
#define BPROC_GHOST_FORKED_MAX	64

/* One piece of remote output waiting for its ghost to write it. */
struct bproc_ghost_output {
	struct list_head list;
	u32 stream;
	size_t len;
	u8 data[];
};

/**
 * struct bproc_ghost - a remote process's stand-in on the master
 * @ref:      references: the table's (while registered), and one per
 *            resume descriptor and per ioctl sleeping on it
 *            (bproc_ghost_get(), bproc_ghost_put()).
 * @list:     in the table's list of ghosts (module/ghost_table.c)...
 * @hash:     ...and in its hash by @pid; both under bproc_ghosts_lock.
 * @pid:      the process's PID (initial namespace).
 * @node:     where it runs.
 * @lock:     protects @io, @io_bytes, @exited, @status.
 * @io:       output to write (struct bproc_ghost_output).
 * @io_bytes: bytes in @io.
 * @exited:   the remote process ended...
 * @status:   ...with this wait status.
 * @wq:       the ghost sleeps here.
 * @in:       its descriptor 0 when stdin is forwarded (BPROC_MOVE_STDIN).
 * @in_pt:    polls @in, adding @in_wait to @in_wqh, @in's wait queue,
 * @in_wait:  whose wake sets @in_ready and wakes @wq.
 * @in_wqh:
 * @in_ready: @in may have something to read.
 * @moved:    the process runs on @node (not just on its way there).
 * @stop_sig: the remote process stopped with this signal: so must the
 *            ghost (under @lock).
 * @code:     the ghost's code page (module/arch.h).
 * @resume_fd: the descriptor a stopped ghost re-enters its loop through
 *            (BPROC_IOC_GHOST, by syscall restart), -1 until needed; its
 *            file serves this ghost only (module/ghost_loop.c)...
 * @own_fd:   ...and is our own, not yet our parent's (a forked child's).
 * @forked_by: the ghost (PID) whose fork made this one, or 0.
 * @fork_start: when a fork call started (ktime_get_ns()): its child must
 *            be younger (module/fork.c).
 * @dumpable: the process's dumpability before it became a ghost (a ghost
 *            is never dumpable); it gets it back when it comes back.
 * @tgid:     the ghost's own process: a ghost killed while stopped (outside
 *            our code) is found by the reaper through it.
 * @ret_src:  the process comes back: its image is read from here (a pipe
 * @ret_id:   from bpmaster, BPROC_IOC_RETURN; under @lock), and the answer
 *            (BPROC_MSG_ARRIVED) carries @ret_id.
 * @call:     a PID-space call to make for the process (under @lock)...
 * @call_waiting: ...a wait that found no child ready: tried again when a
 *            signal (SIGCHLD) comes;
 * @call_running: ...being made in user mode (the ghost's own state).
 * @icall:    an internal call being made (reaping a child's ghost).
 * @forked:   children the process forked on its node (their ghosts are
 * @nforked:  ours); reaped by the process there, their ghosts are reaped
 *            by us at once, never shown to its waits (under @lock).
 * @settle_until: when a return stops waiting for those ghosts to end.
 * @data:     the ghost's data page for calls (0 until needed).
 */
struct bproc_ghost {
	refcount_t ref;
	struct list_head list;
	struct hlist_node hash;
	int pid;
	int node;
	spinlock_t lock;	/* io, io_bytes, exited, status */
	struct list_head io;
	size_t io_bytes;
	bool exited;
	int status;
	wait_queue_head_t wq;
	struct file *in;
	poll_table in_pt;
	wait_queue_entry_t in_wait;
	wait_queue_head_t *in_wqh;
	bool in_ready;
	bool moved;
	int stop_sig;
	unsigned long code;
	int resume_fd;
	bool own_fd;
	int forked_by;
	u64 fork_start;
	int dumpable;
	struct pid *tgid;
	struct file *ret_src;
	u64 ret_id;
	struct bproc_ghost_call *call;
	bool call_waiting;
	bool call_running;
	struct bproc_ghost_call *icall;
	int forked[BPROC_GHOST_FORKED_MAX];
	int nforked;
	unsigned long settle_until;	/* jiffies: how long a return waits for them */
	unsigned long data;
};

#endif /* BPROC_GHOST_H */
