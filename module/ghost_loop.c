// SPDX-License-Identifier: GPL-2.0
/*
 * The ghost's life.
 *
 * Once a process moved (module/move.c), the caller on the master is its
 * ghost: the same task, sleeping in the ioctl for the rest of its life,
 * with almost nothing left (module/ghost_shrink.c).  It
 *  - forwards every signal it receives to the remote process
 *    (BPROC_MSG_SIGNAL): while it sleeps every catchable signal has a
 *    placeholder handler, so that signals whose default is to ignore or
 *    to kill are queued for it to take, not acted on by the kernel
 *    (Documentation/kernel-notes.md, "A ghost: a task sleeping in an ioctl");
 *  - writes the remote process's output and forwards its stdin
 *    (module/ghost_io.c);
 *  - makes its PID-space calls (module/calls.c), reaps the ghosts of the
 *    children it forks on the node (module/fork.c);
 *  - stops when the remote process stops, and goes on with it;
 *  - becomes the process again when it comes back (module/return.c);
 *  - ends with the remote process's wait status (BPROC_MSG_EXIT): killed
 *    by the same signal (its default action, no core dump), or exit_group()
 *    with the same code through the code page.
 *
 * If bpmaster goes away, or the node dies (bpmaster then sends EXIT with
 * SIGKILL), every ghost ends as killed by SIGKILL: no parent waits forever.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/anon_inodes.h>
#include <linux/bitops.h>
#include <linux/bproc.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "arch.h"
#include "calls.h"
#include "fork.h"
#include "ghost.h"
#include "ghost_io.h"
#include "ghost_loop.h"
#include "ghost_table.h"
#include "notify.h"
#include "return.h"

void bproc_ghost_remote_exited(int pid, int status)
{
	struct bproc_ghost *g;

	spin_lock(&bproc_ghosts_lock);
	g = bproc_ghost_find_locked(pid);
	if (g) {
		spin_lock(&g->lock);
		if (!g->exited) {
			g->exited = true;
			g->status = status;
		}
		spin_unlock(&g->lock);
		wake_up(&g->wq);
	}
	spin_unlock(&bproc_ghosts_lock);
}

void bproc_ghost_remote_stopped(int pid, int sig)
{
	struct bproc_ghost *g;

	spin_lock(&bproc_ghosts_lock);
	g = bproc_ghost_find_locked(pid);
	if (g) {
		WRITE_ONCE(g->stop_sig, sig);
		wake_up(&g->wq);
	}
	spin_unlock(&bproc_ghosts_lock);
}

void bproc_ghost_forward(struct bproc_ghost *g, int sig)
{
	bproc_notify_signal(g->pid, READ_ONCE(g->node), sig);
}

static bool ghost_has_work(struct bproc_ghost *g)
{
	bool work;

	spin_lock(&g->lock);
	work = g->exited || !list_empty(&g->io) || g->ret_src ||
	       (g->call && !g->call_waiting);
	spin_unlock(&g->lock);
	return work || READ_ONCE(g->stop_sig) || bproc_ghost_stdin_ready(g);
}

void bproc_ghost_catch_all(__sighandler_t handler)
{
	int sig;

	for (sig = 1; sig <= _NSIG; sig++)
		if (!sig_kernel_only(sig))
			kernel_sigaction(sig, handler);
}

static long ghost_loop(struct bproc_ghost *g, bool *back);

/*
 * The caller's mm's dumpability, as set_dumpable() (fs/exec.c, not
 * exported) sets it: its one line.
 */
static void ghost_set_dumpable(int value)
{
	set_mask_bits(&current->mm->flags, MMF_DUMPABLE_MASK, value);
}

long bproc_ghost_run(struct bproc_ghost *g, unsigned long code, bool in,
		     bool *back)
{
	g->code = code;
	g->resume_fd = -1;
	/* A ghost killed by a core-dumping signal dumps nothing. */
	task_lock(current->group_leader);
	current->signal->rlim[RLIMIT_CORE].rlim_cur = 0;
	task_unlock(current->group_leader);
	/*
	 * Nobody changes a ghost's user mode (its calls' results are ours to
	 * trust as little as possible, module/fork.c): not dumpable, so its
	 * owner can neither ptrace it nor write /proc/PID/mem; only a
	 * ptracer capable in its user namespace can.  Its children forked on
	 * the node inherit that.  The dumper refused a traced process; one
	 * that was attached since is not let be a ghost.
	 */
	g->dumpable = get_dumpable(current->mm);
	ghost_set_dumpable(SUID_DUMP_DISABLE);
	if (current->ptrace) {
		pr_info_ratelimited("ghost %d: traced: killing it and its process\n",
				    g->pid);
		bproc_ghost_forward(g, SIGKILL);
		bproc_ghost_unregister(g);
		force_sig(SIGKILL);
		return -EINTR;
	}

	bproc_ghost_stdin_start(g, in);
	return ghost_loop(g, back);
}

/* ------------------------------------------------------------------ */
/* Stops, and the resume descriptor                                   */
/* ------------------------------------------------------------------ */

/*
 * A stopped ghost continues (SIGCONT), or a call snippet returns, through
 * ioctl() on this descriptor: back into ghost_loop().  Its file holds a
 * reference to its ghost and serves that ghost's task only: another
 * process that got hold of it (pidfd_getfd(), SCM_RIGHTS) gets -EPERM.
 * A ghost's child (a fork on the node, module/fork.c) starts with a copy
 * of its parent's descriptor; on its first return from the call snippet
 * (fork() returned 0 there), once its parent's ghost registered it, it
 * gets its own in its place.
 */
static const struct file_operations ghost_resume_fops;

static int ghost_resume_file(struct bproc_ghost *g)
{
	int fd;

	bproc_ghost_get(g);	/* the file's */
	fd = anon_inode_getfd("[bproc-ghost]", &ghost_resume_fops, g, O_RDWR);
	if (fd < 0)
		bproc_ghost_put(g);
	return fd;
}

/*
 * The child @cg of the ghost whose descriptor @file is takes its own: the
 * same number would do, but there is no exported replace_fd(), so a new
 * one (its calls name it in a register).  The old one is closed: this
 * ioctl does not touch @file again.
 */
static int ghost_child_own_fd(struct bproc_ghost *cg, struct file *file)
{
	int old = cg->resume_fd, fd = ghost_resume_file(cg);
	struct file *f;

	if (fd < 0)
		return fd;
	cg->resume_fd = fd;
	cg->own_fd = true;
	f = fget(old);
	if (f == file)
		close_fd(old);
	if (f)
		fput(f);
	return 0;
}

static bool ghost_registered(struct bproc_ghost *g)
{
	bool on;

	spin_lock(&bproc_ghosts_lock);
	on = bproc_ghost_find_locked(g->pid) == g;
	spin_unlock(&bproc_ghosts_lock);
	return on;
}

/*
 * The ghost the caller may run through @file, with a reference; NULL if
 * none; an ERR_PTR if it is the caller's but cannot go on.
 */
static struct bproc_ghost *ghost_resume_whose(struct file *file,
					      unsigned int cmd,
					      unsigned long arg)
{
	struct bproc_ghost *g = file->private_data, *cg;

	if (g->tgid == task_tgid(current)) {
		/* (Not one that ended, or whose process came back.) */
		if (!ghost_registered(g))
			return ERR_PTR(-ESRCH);
		bproc_ghost_get(g);
		return g;
	}
	if (cmd != BPROC_IOC_GHOST_CALLRET || arg != 0)
		return NULL;
	/* Perhaps g's child, back from its fork(): its ghost is its own. */
	cg = bproc_ghost_fork_child();
	if (!cg || cg->own_fd || cg->forked_by != g->pid ||
	    cg->tgid != task_tgid(current))
		return NULL;
	if (ghost_child_own_fd(cg, file)) {
		/* It cannot come back: so it ends (SIGKILL, below). */
		return ERR_PTR(-EMFILE);
	}
	bproc_ghost_get(cg);
	return cg;
}

static long ghost_resume_ioctl(struct file *file, unsigned int cmd,
			       unsigned long arg)
{
	struct bproc_ghost *g;
	bool back;
	long ret;

	if (cmd != BPROC_IOC_GHOST && cmd != BPROC_IOC_GHOST_CALLRET)
		return -ENOTTY;
	g = ghost_resume_whose(file, cmd, arg);
	if (!g)
		return -EPERM;	/* not this descriptor's ghost */
	if (IS_ERR(g)) {
		force_sig(SIGKILL);	/* a ghost with nothing to return to */
		return PTR_ERR(g);
	}
	if (cmd == BPROC_IOC_GHOST_CALLRET)
		bproc_ghost_call_done(g, (long)arg);
	else
		bproc_ghost_forward(g, SIGCONT);	/* so does the remote process */
	ret = ghost_loop(g, &back);
	bproc_ghost_put(g);
	return ret;
}

static int ghost_resume_release(struct inode *inode, struct file *file)
{
	bproc_ghost_put(file->private_data);
	return 0;
}

static const struct file_operations ghost_resume_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= ghost_resume_ioctl,
	.release	= ghost_resume_release,
	.llseek		= noop_llseek,
};

int bproc_ghost_resume_fd(struct bproc_ghost *g)
{
	int fd;

	if (g->resume_fd >= 0)
		return 0;
	fd = ghost_resume_file(g);
	if (fd < 0)
		return fd;
	g->resume_fd = fd;
	g->own_fd = true;
	return 0;
}

/*
 * The remote process stopped with @sig: stop the ghost the same way, so
 * that its parent's waitpid(WUNTRACED) sees it.  The ghost leaves the
 * kernel with @sig pending at its default action and every other signal
 * blocked (they stay queued: the ghost forwards them once it runs again),
 * and with its registers set up so that the syscall restart after SIGCONT
 * is ioctl(resume_fd, BPROC_IOC_GHOST) from its code page, back into
 * ghost_loop().  Returns what the interrupted syscall returns.
 */
static long ghost_stop(struct bproc_ghost *g, int sig, bool *back)
{
	sigset_t blocked;

	if (bproc_ghost_resume_fd(g))
		return ghost_loop(g, back);	/* cannot stop: keep going */
	sigfillset(&blocked);
	sigdelsetmask(&blocked, sigmask(SIGKILL) | sigmask(SIGSTOP) |
		      sigmask(SIGCONT) | sigmask(sig));
	sigprocmask(SIG_SETMASK, &blocked, NULL);
	if (!sig_kernel_only(sig))
		kernel_sigaction(sig, SIG_DFL);
	kernel_sigaction(SIGCONT, SIG_DFL);
	send_sig(sig, current, 1);
	bproc_ghost_stdin_unhook(g);

	return bproc_arch_ghost_resume_regs(g->code, g->resume_fd);
}

/*
 * A signal is pending but there is none to take: a stop request that is
 * not a signal (the cgroup v2 freezer, PTRACE_INTERRUPT, a task work).
 * The kernel serves those only on the way to user mode, and until then
 * every sleep of ours returns at once: leave, the way a stop does (every
 * signal blocked, so that no placeholder handler runs; they stay queued),
 * and come back in through the resume descriptor (which forwards SIGCONT:
 * harmless for a process that runs).  0 if the ghost stays in its loop.
 */
static long ghost_stop_request(struct bproc_ghost *g)
{
	sigset_t blocked;

	if (bproc_ghost_resume_fd(g)) {
		schedule_timeout_killable(HZ / 10);	/* cannot leave: no spin */
		return 0;
	}
	sigfillset(&blocked);
	sigdelsetmask(&blocked, sigmask(SIGKILL) | sigmask(SIGSTOP));
	sigprocmask(SIG_SETMASK, &blocked, NULL);
	/*
	 * That recalculated TIF_SIGPENDING.  Clear, the request went (a thaw):
	 * nothing on the way out would restart the syscall (ud2), so stay.
	 * Set, only that way out clears it.
	 */
	if (!signal_pending(current)) {
		sigemptyset(&blocked);
		sigprocmask(SIG_SETMASK, &blocked, NULL);
		return 0;
	}
	bproc_ghost_stdin_unhook(g);
	return bproc_arch_ghost_resume_regs(g->code, g->resume_fd);
}

/* ------------------------------------------------------------------ */
/* The loop                                                           */
/* ------------------------------------------------------------------ */

/*
 * Returns what the ioctl returns when the ghost ends: __NR_exit_group with
 * regs pointing at the code page (normal exit), or anything with a fatal
 * signal queued; or, when it stops, -ERESTARTNOINTR; or, when it makes a
 * call, the call's number; or, when the process came back (*@back set),
 * the restored rax.
 */
static long ghost_loop(struct bproc_ghost *g, bool *back)
{
	unsigned long code = g->code;
	kernel_siginfo_t info;
	enum pid_type type;
	struct bproc_ghost_call *call;
	sigset_t none;
	int sig, status, dumpable;
	long ax;

	*back = false;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	bproc_ghost_catch_all((__sighandler_t)code);
	bproc_ghost_stdin_hook(g);

	for (;;) {
		bool stop_req;

		wait_event_interruptible(g->wq, ghost_has_work(g));

		if (fatal_signal_pending(current)) {
			/* SIGKILL for the ghost: for the process too. */
			bproc_ghost_forward(g, SIGKILL);
			bproc_ghost_stdin_stop(g);
			bproc_ghost_unregister(g);
			return -EINTR;
		}
		spin_lock_irq(&current->sighand->siglock);
		sig = dequeue_signal(current, &none, &info, &type);
		/* None to take, yet pending: a stop request (not a signal). */
		stop_req = sig <= 0 && signal_pending(current);
		spin_unlock_irq(&current->sighand->siglock);
		if (sig > 0) {
			/*
			 * The end of a child forked on the node: its parent
			 * there had its own SIGCHLD already.
			 */
			if (sig != SIGCHLD ||
			    !bproc_ghost_is_forked(g, bproc_ghost_global_pid(info.si_pid)))
				bproc_ghost_forward(g, sig);
			/* A waiting wait looks again (SIGCHLD, or whatever). */
			spin_lock(&g->lock);
			g->call_waiting = false;
			spin_unlock(&g->lock);
			continue;
		}
		if (stop_req) {
			long nr = ghost_stop_request(g);

			if (nr)
				return nr;
		}

		if (bproc_ghost_write_output(g))
			continue;
		if (g->nforked) {
			int zpid = bproc_ghost_forked_zombie(g);

			if (zpid) {
				long nr = bproc_ghost_call_setup(g) ? 0 :
					  bproc_ghost_reap_forked(g, zpid);

				if (nr > 0)
					return nr;	/* to the call snippet */
			}
		}
		if (!READ_ONCE(g->ret_src)) {
			g->settle_until = 0;
		} else if (g->nforked && !bproc_ghost_forked_settled(g)) {
			/*
			 * A child's ghost still dying: it goes first, for 5 s
			 * at most (one that is stopped may never die).
			 */
			if (!g->settle_until)
				g->settle_until = jiffies + 5 * HZ;
			if (time_before(jiffies, g->settle_until)) {
				schedule_timeout_interruptible(HZ / 50);
				continue;
			}
		}
		/* After its output (the node sent it before the image). */
		dumpable = g->dumpable;	/* (@g is gone once it is back) */
		if (bproc_ghost_come_back(g, &ax)) {
			ghost_set_dumpable(dumpable);
			*back = true;
			return ax;
		}
		call = bproc_ghost_call_next(g);
		if (call) {
			long nr;
			int err = bproc_ghost_call_setup(g);

			nr = err ? err : bproc_ghost_call_start(g, call);
			if (nr > 0)
				return nr;	/* to the call snippet */
			spin_lock(&g->lock);
			g->call_running = true;
			spin_unlock(&g->lock);
			bproc_ghost_call_done(g, nr);
			continue;
		}
		if (bproc_ghost_stdin_ready(g)) {
			bproc_ghost_stdin_pump(g);
			continue;
		}

		spin_lock(&g->lock);
		status = g->status;
		if (g->exited && list_empty(&g->io)) {
			spin_unlock(&g->lock);
			break;
		}
		sig = g->stop_sig;
		g->stop_sig = 0;
		spin_unlock(&g->lock);
		if (sig)
			return ghost_stop(g, sig, back);
	}

	code = g->code;		/* it may have changed (bproc_ghost_come_back()) */
	bproc_ghost_stdin_stop(g);
	bproc_ghost_unregister(g);
	sig = status & 0x7f;
	if (sig) {
		/* Killed: the same signal, by its default action. */
		bproc_ghost_catch_all(SIG_DFL);
		force_sig(sig);
		return -EINTR;
	}
	/* Exited: exit_group(code) from the code page. */
	return bproc_arch_ghost_exit_regs(code, (status >> 8) & 0xff);
}

/* ------------------------------------------------------------------ */
/* The reaper                                                         */
/* ------------------------------------------------------------------ */

/*
 * A ghost ends in its own code, except one killed by SIGKILL while stopped
 * (it is outside the kernel then, see ghost_stop()): every few seconds,
 * ghosts whose process is gone are taken off the table, their remote
 * process is killed, and they are freed.
 */
#define GHOST_REAP_INTERVAL	(2 * HZ)
static void ghost_reap(struct work_struct *work);
static DECLARE_DELAYED_WORK(ghost_reaper, ghost_reap);

static void ghost_reap_dead(void)
{
	struct bproc_ghost *g, *next;
	LIST_HEAD(dead);

	bproc_ghosts_unlink_dead(&dead);
	list_for_each_entry_safe(g, next, &dead, list) {
		list_del(&g->list);
		pr_info_ratelimited("ghost %d died while stopped: killing its process on node %d\n",
				    g->pid, g->node);
		bproc_ghost_forward(g, SIGKILL);
		bproc_ghost_stdin_stop(g);
		bproc_ghost_put(g);
	}
}

static void ghost_reap(struct work_struct *work)
{
	ghost_reap_dead();
	queue_delayed_work(bproc_ghost_wq, &ghost_reaper, GHOST_REAP_INTERVAL);
}

int __init bproc_ghost_reaper_init(void)
{
	queue_delayed_work(bproc_ghost_wq, &ghost_reaper, GHOST_REAP_INTERVAL);
	return 0;
}

void bproc_ghost_reaper_exit(void)
{
	cancel_delayed_work_sync(&ghost_reaper);
	ghost_reap_dead();
}
