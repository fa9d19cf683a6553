// SPDX-License-Identifier: GPL-2.0
/*
 * execmove: move at the new program's first instruction.
 *
 * BPROC_IOC_EXECMOVE arms the caller: its next successful execve() moves
 * it to the node before the new program runs a single instruction.  The
 * exec tracepoint (sched_process_exec, found by name: its symbol is not
 * exported) queues a task work on the exec'ing task; the work runs on its
 * way back to user mode, where the registers are the new program's entry,
 * and moves it from there like BPROC_IOC_MOVE (module/move.c).  Should the
 * move fail after the exec, the program cannot be told: it is killed
 * (SIGKILL) with a log line.  What can be checked before (node,
 * permission) is checked when arming.
 *
 * Every exec on the system passes the probe, so it must cost nothing when
 * nobody is armed and O(1) when some are: the armed entries sit in a hash
 * by their process (its struct pid), behind a count the probe reads first.
 * An entry goes when its exec comes, when it is disarmed or armed again,
 * and when its process ends without exec'ing (sched_process_exit, also
 * found by name): none stays behind a dead process.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/atomic.h>
#include <linux/binfmts.h>
#include <linux/bproc.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/task_work.h>
#include <linux/tracepoint.h>

#include <asm/unistd.h>

#include "arch.h"
#include "execmove.h"
#include "move.h"
#include "nodes.h"
#include "stats.h"

struct execmove {
	struct hlist_node hash;		/* in execmove_armed, by @pid */
	struct pid *pid;		/* the armed process */
	int node;
	u32 flags;
	struct bproc_move_ios *io;
	struct callback_head work;
};

#define EXECMOVE_HASH_BITS	6
static DEFINE_SPINLOCK(execmove_lock);	/* execmove_armed */
static DEFINE_HASHTABLE(execmove_armed, EXECMOVE_HASH_BITS);
/* Entries in execmove_armed: the probes look no further while it is 0. */
static atomic_t execmove_narmed = ATOMIC_INIT(0);
static struct tracepoint *execmove_tp, *execmove_exit_tp;

static void execmove_free(struct execmove *em)
{
	kfree(em->io);
	put_pid(em->pid);
	kfree(em);
	bproc_stat_dec(BPROC_STAT_GHOSTS);
}

/* The armed entry of the caller's process, unlinked; NULL if none. */
static struct execmove *execmove_take(void)
{
	struct pid *me = task_tgid(current);
	struct execmove *em;

	if (!atomic_read(&execmove_narmed))
		return NULL;
	spin_lock(&execmove_lock);
	hash_for_each_possible(execmove_armed, em, hash, (unsigned long)me) {
		if (em->pid == me) {
			hash_del(&em->hash);
			atomic_dec(&execmove_narmed);
			spin_unlock(&execmove_lock);
			return em;
		}
	}
	spin_unlock(&execmove_lock);
	return NULL;
}

/* The text of the errors a failed move after an exec most likely has. */
static const char *execmove_errtext(long err)
{
	static const struct {
		int err;
		const char *text;
	} texts[] = {
		{ ENOENT, "No such file or directory" }, { EACCES, "Permission denied" },
		{ EPERM, "Operation not permitted" }, { EISDIR, "Is a directory" },
		{ ENOTDIR, "Not a directory" }, { EEXIST, "File exists" },
		{ ENOSPC, "No space left on device" }, { EROFS, "Read-only file system" },
		{ ENXIO, "No such device or address" },
		{ ELOOP, "Too many levels of symbolic links" },
		{ ETXTBSY, "Text file busy" }, { ECONNREFUSED, "Connection refused" },
		{ ETIMEDOUT, "Connection timed out" }, { ENETUNREACH, "Network is unreachable" },
		{ EHOSTUNREACH, "No route to host" }, { EHOSTDOWN, "Host is down" },
		{ ENODEV, "No such device" }, { ENOMEM, "Cannot allocate memory" },
		{ ENOTCONN, "Transport endpoint is not connected" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(texts); i++)
		if (texts[i].err == -err)
			return texts[i].text;
	return NULL;
}

/*
 * The program cannot be told that its move failed after the exec: say it
 * on its stderr (what the user sees: bpsh relays it), before it is killed.
 */
static void execmove_tell(int node, long err)
{
	const char *text = execmove_errtext(err);
	struct file *f = fget(2);
	char comm[TASK_COMM_LEN];
	loff_t pos;
	char buf[192];
	int n;

	if (!f)
		return;
	get_task_comm(comm, current);
	if (text)
		n = scnprintf(buf, sizeof(buf), "bproc: %s: cannot start on node %d: %s\n",
			      comm, node, text);
	else
		n = scnprintf(buf, sizeof(buf), "bproc: %s: cannot start on node %d: error %ld\n",
			      comm, node, -err);
	if (f->f_mode & FMODE_WRITE) {
		pos = f->f_pos;
		if (kernel_write(f, buf, n, (f->f_mode & FMODE_STREAM) ? NULL : &pos) > 0 &&
		    !(f->f_mode & FMODE_STREAM))
			f->f_pos = pos;
	}
	fput(f);
}

static void execmove_work(struct callback_head *work)
{
	struct execmove *em = container_of(work, struct execmove, work);
	int node = em->node;
	bool back = false;
	long ret;

	ret = bproc_move_ghost(em->node, em->flags, em->io, &back);
	em->io = NULL;	/* bproc_move_ghost() freed it */
	execmove_free(em);
	if (back) {
		/* It came back: the restore set every register. */
	} else if (ret == __NR_exit_group) {
		/* The ghost exits through its code page (regs are set). */
		bproc_arch_ghost_set_nr(ret);
	} else if (ret == -ERESTARTNOINTR) {
		/* The ghost stops; its loop set the registers. */
	} else if (ret < 0 && !fatal_signal_pending(current) &&
		   !sigismember(&current->pending.signal, SIGKILL)) {
		pr_warn_ratelimited("execmove: pid %d could not move after exec: %ld\n",
				    task_tgid_nr(current), ret);
		execmove_tell(node, ret);
		force_sig(SIGKILL);
	}
}

static void execmove_probe(void *data, struct task_struct *p, pid_t old_pid,
			   struct linux_binprm *bprm)
{
	struct execmove *em;

	if (p != current)
		return;
	em = execmove_take();
	if (!em)
		return;
	init_task_work(&em->work, execmove_work);
	if (task_work_add(current, &em->work, TWA_RESUME))
		execmove_free(em);
}

/* Arm the caller; @io (may be NULL) is the entry's from now on. */
static int execmove_arm(int node, u32 flags, struct bproc_move_ios *io)
{
	struct execmove *em, *old;
	int err;

	err = bproc_move_check(node);
	if (err) {
		kfree(io);
		return err;
	}
	em = kzalloc(sizeof(*em), GFP_KERNEL);
	if (!em) {
		kfree(io);
		return -ENOMEM;
	}
	bproc_stat_inc(BPROC_STAT_GHOSTS);
	em->pid = get_pid(task_tgid(current));
	em->node = node;
	em->flags = flags;
	em->io = io;
	/* Armed again (an exec that failed): the new one replaces it. */
	old = execmove_take();
	if (old)
		execmove_free(old);
	spin_lock(&execmove_lock);
	hash_add(execmove_armed, &em->hash, (unsigned long)em->pid);
	atomic_inc(&execmove_narmed);
	spin_unlock(&execmove_lock);
	return 0;
}

/* A thread ends: if it is its process's last, so does its armed entry. */
static void execmove_exit_probe(void *data, struct task_struct *p)
{
	struct execmove *em;

	if (p != current || !atomic_read(&execmove_narmed) ||
	    atomic_read(&p->signal->live))
		return;
	em = execmove_take();
	if (em)
		execmove_free(em);
}

long bproc_execmove_ioctl(struct bproc_move_req __user *ureq)
{
	struct bproc_move_req req;
	struct bproc_move_ios *io;
	struct execmove *em;
	int err = bproc_move_req_get(&req, ureq, &io);

	if (err)
		return err;
	if (req.node == BPROC_NODE_NONE) {
		/* Disarm (the exec failed). */
		kfree(io);
		em = execmove_take();
		if (em)
			execmove_free(em);
		return 0;
	}
	if (!execmove_tp || bproc_nodes_self() != BPROC_NODE_MASTER) {
		kfree(io);	/* (placing from a node is not supported) */
		return -EOPNOTSUPP;
	}
	return execmove_arm(req.node, req.flags, io);
}

static void execmove_find_tp(struct tracepoint *tp, void *priv)
{
	struct tracepoint **tps = priv;

	if (!strcmp(tp->name, "sched_process_exec"))
		tps[0] = tp;
	else if (!strcmp(tp->name, "sched_process_exit"))
		tps[1] = tp;
}

/* Without the tracepoints, execmove is unavailable (-EOPNOTSUPP): no failure. */
int __init bproc_execmove_init(void)
{
	struct tracepoint *tps[2] = { NULL, NULL };
	int err;

	for_each_kernel_tracepoint(execmove_find_tp, tps);
	if (!tps[0] || !tps[1]) {
		pr_warn("no sched_process_exec/exit tracepoint: execmove unavailable\n");
		return 0;
	}
	err = tracepoint_probe_register(tps[1], execmove_exit_probe, NULL);
	if (err)
		goto out_warn;
	err = tracepoint_probe_register(tps[0], execmove_probe, NULL);
	if (err) {
		tracepoint_probe_unregister(tps[1], execmove_exit_probe, NULL);
		tracepoint_synchronize_unregister();
		goto out_warn;
	}
	execmove_exit_tp = tps[1];
	execmove_tp = tps[0];
	return 0;

out_warn:
	pr_warn("cannot hook sched_process_exec/exit (%d): execmove unavailable\n",
		err);
	return 0;
}

void bproc_execmove_exit(void)
{
	struct hlist_node *next;
	struct execmove *em;
	int bkt;

	if (execmove_tp) {
		tracepoint_probe_unregister(execmove_tp, execmove_probe, NULL);
		tracepoint_probe_unregister(execmove_exit_tp, execmove_exit_probe,
					    NULL);
		tracepoint_synchronize_unregister();
	}
	/*
	 * Armed entries of processes that never exec'd.  A queued task work
	 * would run our code: a process in the middle of an execmove holds
	 * the module (its ghost sleeps in our code; before that, the window
	 * between the probe and the work is covered by the synchronisation
	 * above only for the probe itself).
	 */
	hash_for_each_safe(execmove_armed, bkt, next, em, hash) {
		hash_del(&em->hash);
		atomic_dec(&execmove_narmed);
		execmove_free(em);
	}
}
