// SPDX-License-Identifier: GPL-2.0
/*
 * Children a remote process forks on its node.
 *
 * A fork on the node is a PID-space call (module/calls.c): the ghost
 * forks on the master, and the node creates the child at the PID the
 * ghost's fork() got, so the child has a ghost of its own from the start,
 * a child of its parent's ghost.  fork() returns 0 into the call snippet
 * of the new task, which comes back with BPROC_IOC_GHOST_CALLRET: only a
 * child of a ghost has that descriptor.  The child's ghost is registered
 * by its parent's, as soon as the parent's fork() returned: before the
 * node hears of the child, so an end that comes at once finds it.  The
 * child only waits for that (it may run first).  A task no ghost
 * registered is not one.
 *
 * The parent reaps such a child on the node; so its ghost reaps the
 * child's ghost at once, and never shows it to the process's waits.
 *
 * The child's PID is what the ghost's user mode reports: it is checked
 * against the kernel's view (ghost_fork_check()), so that no ghost can
 * make a ghost of, or kill, a process that is not its new child.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "calls.h"
#include "fork.h"
#include "ghost.h"
#include "ghost_table.h"

/* Children wait here for their ghost to be registered. */
static DECLARE_WAIT_QUEUE_HEAD(ghost_fork_wq);

static bool ghost_lookup(int pid, struct bproc_ghost **gp)
{
	spin_lock(&bproc_ghosts_lock);
	*gp = bproc_ghost_find_locked(pid);
	spin_unlock(&bproc_ghosts_lock);
	return *gp;
}

struct bproc_ghost *bproc_ghost_fork_child(void)
{
	struct bproc_ghost *g = NULL;

	wait_event_killable_timeout(ghost_fork_wq,
				    ghost_lookup(task_tgid_nr(current), &g), 5 * HZ);
	return g;
}

/*
 * What the ghost's fork() returned, @vnr, is a number its user mode gave
 * us: trusted only if the kernel agrees.  It must name, in the ghost's own
 * PID namespace, a new process (younger than the call) whose parent is the
 * ghost.  Then it is recorded, and told to the node, by its global PID.
 * The child's PID (a reference), or NULL.
 */
static struct pid *ghost_fork_check(struct bproc_ghost *g, int vnr)
{
	struct task_struct *t, *parent;
	struct pid *cp = NULL;

	rcu_read_lock();
	t = vnr > 0 ? pid_task(find_vpid(vnr), PIDTYPE_PID) : NULL;
	if (t && thread_group_leader(t) && !READ_ONCE(t->exit_state) &&
	    t->start_time >= READ_ONCE(g->fork_start)) {
		parent = rcu_dereference(t->real_parent);
		if (same_thread_group(parent, current))
			cp = get_pid(task_tgid(t));
	}
	rcu_read_unlock();
	return cp;
}

/*
 * The child's ghost has the same node, code and data pages as its
 * parent's: it has a copy of all of them, and of its resume descriptor
 * until it takes its own (module/ghost_loop.c).
 */
int bproc_ghost_forked_register(struct bproc_ghost *g, int vnr)
{
	struct pid *cp = ghost_fork_check(g, vnr);
	struct bproc_ghost *cg;
	int pid;

	if (!cp) {
		pr_info_ratelimited("ghost %d: fork() result %d is no new child of its\n",
				    g->pid, vnr);
		return -ECHILD;
	}
	pid = pid_nr(cp);
	/* Followed even if it fails: its end is ours to reap, silently. */
	spin_lock(&g->lock);
	if (g->nforked < BPROC_GHOST_FORKED_MAX)
		g->forked[g->nforked++] = pid;
	else
		pr_warn_ratelimited("ghost %d: more than %d children forked on its node\n",
				    g->pid, BPROC_GHOST_FORKED_MAX);
	spin_unlock(&g->lock);
	cg = bproc_ghost_register(pid, cp, READ_ONCE(g->node));
	if (IS_ERR(cg)) {
		kill_pid(cp, SIGKILL, 1);	/* our own new child */
		put_pid(cp);
		return PTR_ERR(cg);
	}
	put_pid(cp);
	cg->code = g->code;
	cg->data = g->data;
	cg->resume_fd = g->resume_fd;
	cg->forked_by = g->pid;
	cg->dumpable = g->dumpable;
	WRITE_ONCE(cg->moved, true);
	wake_up_all(&ghost_fork_wq);
	return pid;
}

bool bproc_ghost_forked_take(struct bproc_ghost *g, int pid)
{
	bool found = false;
	int i;

	spin_lock(&g->lock);
	for (i = 0; i < g->nforked; i++) {
		if (g->forked[i] == pid) {
			g->forked[i] = g->forked[--g->nforked];
			found = true;
			break;
		}
	}
	spin_unlock(&g->lock);
	return found;
}

bool bproc_ghost_is_forked(struct bproc_ghost *g, int pid)
{
	bool found = false;
	int i;

	spin_lock(&g->lock);
	for (i = 0; i < g->nforked && !found; i++)
		found = g->forked[i] == pid;
	spin_unlock(&g->lock);
	return found;
}

int bproc_ghost_forked_zombie(struct bproc_ghost *g)
{
	int i, n, pids[BPROC_GHOST_FORKED_MAX];

	spin_lock(&g->lock);
	n = g->nforked;
	memcpy(pids, g->forked, n * sizeof(int));
	spin_unlock(&g->lock);
	for (i = 0; i < n; i++) {
		struct task_struct *t;
		bool zombie = false, gone;

		rcu_read_lock();
		t = pid_task(find_pid_ns(pids[i], &init_pid_ns), PIDTYPE_PID);
		gone = !t || rcu_access_pointer(t->real_parent) != current->group_leader;
		if (t && !gone)
			zombie = READ_ONCE(t->exit_state) == EXIT_ZOMBIE;
		rcu_read_unlock();
		if (gone)
			bproc_ghost_forked_take(g, pids[i]);	/* reaped, or not ours */
		else if (zombie)
			return pids[i];
	}
	return 0;
}

/*
 * One whose end came (EXIT) but whose ghost is not yet a zombie is not:
 * the process must not come back before (it would find that ghost among
 * its children, after it reaped the child on the node).
 */
bool bproc_ghost_forked_settled(struct bproc_ghost *g)
{
	int i, n, pids[BPROC_GHOST_FORKED_MAX];
	bool settled = true;

	spin_lock(&g->lock);
	n = g->nforked;
	memcpy(pids, g->forked, n * sizeof(int));
	spin_unlock(&g->lock);
	for (i = 0; i < n && settled; i++) {
		struct bproc_ghost *cg;
		struct task_struct *t;

		spin_lock(&bproc_ghosts_lock);
		cg = bproc_ghost_find_locked(pids[i]);
		if (cg && READ_ONCE(cg->exited))
			settled = false;
		spin_unlock(&bproc_ghosts_lock);
		if (cg)
			continue;
		rcu_read_lock();
		t = pid_task(find_pid_ns(pids[i], &init_pid_ns), PIDTYPE_PID);
		if (t && rcu_access_pointer(t->real_parent) == current->group_leader)
			settled = false;	/* dying, or a zombie to reap */
		rcu_read_unlock();
	}
	return settled;
}

int bproc_ghost_global_pid(int vnr)
{
	int nr = 0;

	/* (After a wait reaped it, the number alone is left: the same.) */
	if (vnr <= 0 || task_active_pid_ns(current) == &init_pid_ns)
		return vnr;
	rcu_read_lock();
	nr = pid_nr(find_vpid(vnr));
	rcu_read_unlock();
	return nr;
}

/*
 * The child ended on the node (its parent reaped it there):
 * wait4(pid, NULL, WNOHANG | __WALL) through the call snippet, as an
 * internal call nobody is answered for; @pid is global, the wait4() is in
 * the ghost's PID namespace.
 */
long bproc_ghost_reap_forked(struct bproc_ghost *g, int pid)
{
	struct bproc_ghost_call *c;
	int vnr;

	rcu_read_lock();
	vnr = pid_vnr(find_pid_ns(pid, &init_pid_ns));
	rcu_read_unlock();
	if (!vnr) {
		bproc_ghost_forked_take(g, pid);	/* not ours to see */
		return 0;
	}
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return 0;
	c->nr = BPROC_CALL_WAIT4;
	c->args[0] = vnr;
	c->args[2] = WNOHANG | __WALL;
	c->reap_pid = pid;
	spin_lock(&g->lock);
	g->icall = c;
	spin_unlock(&g->lock);
	return bproc_ghost_call_start(g, c);
}
