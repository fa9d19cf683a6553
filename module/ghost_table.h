/* SPDX-License-Identifier: GPL-2.0 */
/*
 * module/ghost_table.c: the table of ghosts (and moves in flight), by PID.
 */
#ifndef BPROC_GHOST_TABLE_H
#define BPROC_GHOST_TABLE_H

#include <linux/init.h>
#include <linux/list.h>
#include <linux/spinlock.h>

struct bproc_ghost;
struct pid;
struct seq_file;
struct workqueue_struct;

/*
 * Protects the table: a ghost found under it stays registered (and
 * allocated) until the lock is dropped.  Taken before a ghost's own lock.
 */
extern spinlock_t bproc_ghosts_lock;

/*
 * The ghosts' workqueue: releases of their files (module/ghost_shrink.c),
 * the reaper, exit notes (module/exit_notes.c).
 */
extern struct workqueue_struct *bproc_ghost_wq;

/* The ghost of @pid, or NULL; caller holds bproc_ghosts_lock. */
struct bproc_ghost *bproc_ghost_find_locked(int pid);
/*
 * Register a ghost of process @pid on @node, whose task is @tgid's (a
 * reference is taken).  The ghost, or ERR_PTR(-ENOMEM, -EBUSY).
 */
struct bproc_ghost *bproc_ghost_register(int pid, struct pid *tgid, int node);
/* Take @g off the table and drop the table's reference. */
void bproc_ghost_unregister(struct bproc_ghost *g);
/* Another reference to @g (whoever has one already may take it). */
void bproc_ghost_get(struct bproc_ghost *g);
/* Drop a reference to @g: the last one frees it (it is off the table). */
void bproc_ghost_put(struct bproc_ghost *g);
/*
 * Take off the table, onto @dead (by their ->list), the moved ghosts whose
 * task is gone.
 */
void bproc_ghosts_unlink_dead(struct list_head *dead);
/* Is the table empty? */
bool bproc_ghosts_empty(void);

/* BPROC_MSG_WHERE: the remote process @pid now runs on @node. */
void bproc_ghost_remote_moved(int pid, int node);
/* Where process @pid (initial namespace) runs: a node, or BPROC_NODE_MASTER. */
int bproc_ghost_node(int pid);
/* /proc/bproc/processes: "PID NODE" for every remote process. */
int bproc_ghosts_show(struct seq_file *m, void *unused);
/* bpmaster is gone: every ghost ends as killed by SIGKILL. */
void bproc_ghosts_kill_all(void);

int bproc_ghosts_init(void);
void bproc_ghosts_exit(void);

#endif /* BPROC_GHOST_TABLE_H */
