// SPDX-License-Identifier: GPL-2.0
/*
 * The table of ghosts, and of moves in flight (a mover registers its ghost
 * before it sends its image, so that whatever the node says about the
 * process finds it).
 *
 * Every message about a remote process names it by its global PID, and
 * output comes in chunk after chunk: lookups are by a hash of the PID.
 * The table also keeps every ghost on one list, newest first, for the
 * walks over all of them (/proc/bproc/processes lists them in that order).
 * bproc_ghosts_lock, a spinlock, protects both; a ghost found under it
 * stays registered until it is dropped, and a ghost's own lock nests
 * inside it.  The table holds a reference to each ghost on it; whoever
 * keeps a ghost beyond that (its resume descriptor, an ioctl sleeping in
 * its loop) holds one of its own, so a ghost taken off the table is freed
 * only when nobody uses it.
 *
 * Every record is by the global PID (the initial PID namespace), what the
 * nodes and bpmaster call a process, whatever namespace the ghost is in.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/bproc.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/hashtable.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "bprocfs.h"
#include "ghost.h"
#include "ghost_table.h"
#include "stats.h"

/* 1024 buckets: a few thousand remote processes cost a short chain each. */
#define BPROC_GHOSTS_HASH_BITS	10

DEFINE_SPINLOCK(bproc_ghosts_lock);
static LIST_HEAD(bproc_ghosts);
static DEFINE_HASHTABLE(bproc_ghosts_hash, BPROC_GHOSTS_HASH_BITS);

struct workqueue_struct *bproc_ghost_wq;

struct bproc_ghost *bproc_ghost_find_locked(int pid)
{
	struct bproc_ghost *g;

	lockdep_assert_held(&bproc_ghosts_lock);
	hash_for_each_possible(bproc_ghosts_hash, g, hash, pid)
		if (g->pid == pid)
			return g;
	return NULL;
}

struct bproc_ghost *bproc_ghost_register(int pid, struct pid *tgid, int node)
{
	struct bproc_ghost *g;

	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return ERR_PTR(-ENOMEM);
	refcount_set(&g->ref, 1);	/* the table's */
	g->pid = pid;
	g->node = node;
	g->tgid = get_pid(tgid);
	spin_lock_init(&g->lock);
	INIT_LIST_HEAD(&g->io);
	init_waitqueue_head(&g->wq);

	spin_lock(&bproc_ghosts_lock);
	if (bproc_ghost_find_locked(pid)) {
		spin_unlock(&bproc_ghosts_lock);
		put_pid(g->tgid);
		kfree(g);
		return ERR_PTR(-EBUSY);
	}
	list_add(&g->list, &bproc_ghosts);
	hash_add(bproc_ghosts_hash, &g->hash, pid);
	spin_unlock(&bproc_ghosts_lock);
	bproc_stat_inc(BPROC_STAT_GHOSTS);
	return g;
}

void bproc_ghost_get(struct bproc_ghost *g)
{
	refcount_inc(&g->ref);
}

static void ghost_free(struct bproc_ghost *g)
{
	struct bproc_ghost_output *io, *next;

	list_for_each_entry_safe(io, next, &g->io, list)
		kfree(io);
	if (g->ret_src)
		fput(g->ret_src);
	kfree(g->call);
	kfree(g->icall);
	put_pid(g->tgid);
	kfree(g);
	bproc_stat_dec(BPROC_STAT_GHOSTS);
}

void bproc_ghost_put(struct bproc_ghost *g)
{
	if (refcount_dec_and_test(&g->ref))
		ghost_free(g);
}

/* Take @g off the list and the hash.  Caller holds bproc_ghosts_lock. */
static void ghost_unlink_locked(struct bproc_ghost *g)
{
	list_del(&g->list);
	hash_del(&g->hash);
}

void bproc_ghost_unregister(struct bproc_ghost *g)
{
	spin_lock(&bproc_ghosts_lock);
	ghost_unlink_locked(g);
	spin_unlock(&bproc_ghosts_lock);
	bproc_ghost_put(g);
}

void bproc_ghosts_unlink_dead(struct list_head *dead)
{
	struct bproc_ghost *g, *next;

	spin_lock(&bproc_ghosts_lock);
	list_for_each_entry_safe(g, next, &bproc_ghosts, list) {
		if (READ_ONCE(g->moved) && !pid_has_task(g->tgid, PIDTYPE_TGID)) {
			hash_del(&g->hash);
			list_move(&g->list, dead);
		}
	}
	spin_unlock(&bproc_ghosts_lock);
}

bool bproc_ghosts_empty(void)
{
	bool empty;

	spin_lock(&bproc_ghosts_lock);
	empty = list_empty(&bproc_ghosts);
	spin_unlock(&bproc_ghosts_lock);
	return empty;
}

void bproc_ghost_remote_moved(int pid, int node)
{
	struct bproc_ghost *g;

	spin_lock(&bproc_ghosts_lock);
	g = bproc_ghost_find_locked(pid);
	if (g && READ_ONCE(g->moved))
		WRITE_ONCE(g->node, node);
	spin_unlock(&bproc_ghosts_lock);
}

int bproc_ghost_node(int pid)
{
	struct bproc_ghost *g;
	int node = BPROC_NODE_MASTER;

	spin_lock(&bproc_ghosts_lock);
	g = bproc_ghost_find_locked(pid);
	if (g && READ_ONCE(g->moved))
		node = READ_ONCE(g->node);
	spin_unlock(&bproc_ghosts_lock);
	return node;
}

int bproc_ghosts_show(struct seq_file *m, void *unused)
{
	struct bproc_ghost *g;
	pid_t nr;

	/* Each reader sees its own PID namespace's processes, as hidepid= lets it. */
	spin_lock(&bproc_ghosts_lock);
	list_for_each_entry(g, &bproc_ghosts, list)
		if (READ_ONCE(g->moved) &&
		    bproc_fs_process_visible(m, g->tgid, &nr))
			seq_printf(m, "%d %d\n", nr, READ_ONCE(g->node));
	spin_unlock(&bproc_ghosts_lock);
	return 0;
}

void bproc_ghosts_kill_all(void)
{
	struct bproc_ghost *g;

	spin_lock(&bproc_ghosts_lock);
	list_for_each_entry(g, &bproc_ghosts, list) {
		spin_lock(&g->lock);
		if (!g->exited) {
			g->exited = true;
			g->status = SIGKILL;
		}
		spin_unlock(&g->lock);
		wake_up(&g->wq);
	}
	spin_unlock(&bproc_ghosts_lock);
}

int __init bproc_ghosts_init(void)
{
	bproc_ghost_wq = alloc_workqueue("bproc_ghost", 0, 0);
	if (!bproc_ghost_wq)
		return -ENOMEM;
	return 0;
}

void bproc_ghosts_exit(void)
{
	/* Every live ghost holds the module (it sleeps in an ioctl of ours). */
	WARN_ON(!bproc_ghosts_empty());
	destroy_workqueue(bproc_ghost_wq);	/* after the last queued release */
}
