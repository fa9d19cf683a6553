// SPDX-License-Identifier: GPL-2.0
/*
 * On a slave: ends of processes in a node's PID namespace.
 *
 * A child a moved process forks on a node is its child there, reaped by
 * it there, not by bpnsinit: bpslave would never hear of its end, which
 * the child's ghost on the master waits for.  A probe on the
 * sched_process_exit tracepoint (found by name, like sched_process_exec:
 * its symbol is not exported) tells bpslave of every process of a
 * non-initial PID namespace that ends, with its exit code (BPROC_MSG_EXIT,
 * kernel->bpslave; the PID as the namespace sees it).  The probe cannot
 * sleep: the notes go through a lock-free list and a work item.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/atomic.h>
#include <linux/bproc.h>
#include <linux/llist.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>

#include "exit_notes.h"
#include "ghost_table.h"
#include "nodes.h"
#include "notify.h"
#include "req.h"

/* @ns: the node's namespace (a reference): its session is told. */
struct exit_note {
	struct llist_node node;
	struct pid_namespace *ns;
	int pid;
	int status;
};

/* Notes not yet sent: beyond this many, ends are dropped (and counted). */
#define EXIT_NOTES_MAX	4096

static struct tracepoint *exit_tp;
static LLIST_HEAD(exit_notes);
static atomic_t exit_notes_queued = ATOMIC_INIT(0);
static void exit_notes_send(struct work_struct *work);
static DECLARE_WORK(exit_work, exit_notes_send);

static void exit_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_exit"))
		*(struct tracepoint **)priv = tp;
}

static void exit_probe(void *data, struct task_struct *p)
{
	struct pid_namespace *ns = task_active_pid_ns(p);
	struct exit_note *n;

	/*
	 * Processes of the node's own namespace (a child of the initial one)
	 * and of namespaces nested inside it, each by its PID in the node's
	 * namespace: that is its master PID (its innermost one need not be).
	 * A child forked on the node into a namespace of its own (after
	 * unshare(CLONE_NEWPID)) has a ghost whose end comes from here too.
	 */
	/*
	 * The process ends with its last thread, which need not be its
	 * leader: a leader that calls pthread_exit(), or that a group exit
	 * kills first, leaves before its threads (every MPI rank has one).
	 */
	if (bproc_nodes_self() == BPROC_NODE_MASTER || p != current ||
	    atomic_read(&p->signal->live) || !ns || ns->level < 1)
		return;
	while (ns->level > 1)
		ns = ns->parent;
	if (atomic_inc_return(&exit_notes_queued) > EXIT_NOTES_MAX) {
		atomic_dec(&exit_notes_queued);
		pr_warn_ratelimited("bproc: too many process ends queued for bpslave: one dropped\n");
		return;
	}
	n = kmalloc(sizeof(*n), GFP_ATOMIC);
	if (!n) {
		atomic_dec(&exit_notes_queued);
		return;
	}
	n->ns = get_pid_ns(ns);
	n->pid = task_tgid_nr_ns(p, ns);
	/*
	 * Its wait status, as wait_task_zombie() will give it: the group
	 * exit's code (a core dump's bit included), else the leader's own (a
	 * zombie until the group is empty).  Two threads may both see live 0
	 * here (it drops before this tracepoint): bpslave takes the first end.
	 */
	n->status = (p->signal->flags & SIGNAL_GROUP_EXIT) ?
		    p->signal->group_exit_code : p->group_leader->exit_code;
	llist_add(&n->node, &exit_notes);
	queue_work(bproc_ghost_wq, &exit_work);
}

static void exit_notes_send(struct work_struct *work)
{
	struct llist_node *list = llist_reverse_order(llist_del_all(&exit_notes));
	struct exit_note *n, *next;

	llist_for_each_entry_safe(n, next, list, node) {
		/* The session of the node the process was on (the kernel may be several). */
		struct bproc_chan *ch = bproc_daemon_get_ns(n->ns);

		if (ch) {
			if (bproc_nodes_self() != BPROC_NODE_MASTER)
				bproc_notify_exit(ch, n->pid, n->status);
			bproc_master_put(ch);
		}
		put_pid_ns(n->ns);
		kfree(n);
		atomic_dec(&exit_notes_queued);
	}
}

/*
 * The probe runs before the exiting process is a zombie, so a parent that
 * reaped a child (or saw it end) has its note queued: after this, it is on
 * the channel, ahead of the parent's own move.  Otherwise bpslave could
 * hear of the move first, and the child's ghost would end under a parent
 * already home (a zombie there, its end reaped twice).
 */
void bproc_exit_notes_flush(void)
{
	flush_work(&exit_work);
}

/* Without the tracepoint, forked children are not followed: no failure. */
int __init bproc_exit_notes_init(void)
{
	for_each_kernel_tracepoint(exit_find_tp, &exit_tp);
	if (exit_tp && tracepoint_probe_register(exit_tp, exit_probe, NULL)) {
		pr_warn("cannot hook sched_process_exit: forked children on nodes are not followed\n");
		exit_tp = NULL;
	}
	return 0;
}

void bproc_exit_notes_exit(void)
{
	if (exit_tp) {
		tracepoint_probe_unregister(exit_tp, exit_probe, NULL);
		tracepoint_synchronize_unregister();
	}
	flush_work(&exit_work);
}
