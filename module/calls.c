// SPDX-License-Identifier: GPL-2.0
/*
 * Process-ID-space calls (kill, wait*, fork, getppid, process groups and
 * sessions) that a remote process makes on its node: bpslave intercepts
 * them, bpmaster forwards them (BPROC_MSG_CALL), and the ghost, which is
 * the process's own task on the master, makes them, so that semantics and
 * permissions are the master's.
 *
 * The ghost makes a call in user mode, from the call snippet of its code
 * page (module/arch_x86.c): the ioctl it sleeps in returns the call's
 * number with the arguments in the registers (pointer arguments point at
 * its data page), and the snippet comes back with the result through
 * BPROC_IOC_GHOST_CALLRET on the ghost's resume descriptor
 * (module/ghost_loop.c).  A wait gets WNOHANG: the ghost waits for SIGCHLD
 * itself, forwarding signals meanwhile.  A fork makes the ghost of the
 * child to be (module/fork.c).
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/bproc.h>
#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "arch.h"
#include "calls.h"
#include "fork.h"
#include "ghost.h"
#include "ghost_loop.h"
#include "ghost_table.h"
#include "notify.h"

/* The data page: where a call's pointer arguments point. */
#define GHOST_OUT_STATUS	0
#define GHOST_OUT_INFO		64
#define GHOST_OUT_RUSAGE	256
#define GHOST_IN_INFO		512

/* The calls a ghost makes: bproc_call(), <linux/bproc.h>, lists them. */
static bool ghost_call_allowed(u32 nr)
{
	return bproc_call_ghost_makes(nr);
}

int bproc_ghost_remote_call(int pid, u64 id, u32 nr, const u64 *args,
			    const void *data, size_t len)
{
	struct bproc_ghost_call *c, *old = NULL;
	struct bproc_ghost *g;
	bool sigq = bproc_call_info_arg(nr) >= 0;

	if (!ghost_call_allowed(nr) || len != (sigq ? BPROC_SIGINFO_SIZE : 0))
		return -EINVAL;
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->id = id;
	c->nr = nr;
	memcpy(c->args, args, sizeof(c->args));
	memcpy(c->info, data, len);

	spin_lock(&bproc_ghosts_lock);
	g = bproc_ghost_find_locked(pid);
	/* (Its move may be completing: the call waits for its loop.) */
	if (g) {
		spin_lock(&g->lock);
		if (g->call_running && !g->icall) {
			/* One at a time (a process has one call at a time). */
			spin_unlock(&g->lock);
			spin_unlock(&bproc_ghosts_lock);
			kfree(c);
			bproc_notify_call_reply(pid, nr, id, -EBUSY, NULL, 0);
			return 0;
		}
		old = g->call;
		g->call = c;
		g->call_waiting = false;
		c = NULL;
		spin_unlock(&g->lock);
		wake_up(&g->wq);
	}
	spin_unlock(&bproc_ghosts_lock);
	kfree(old);	/* a wait its caller gave up */
	if (!c)
		return 0;
	kfree(c);
	bproc_notify_call_reply(pid, nr, id, -ESRCH, NULL, 0);
	return 0;
}

int bproc_ghost_call_setup(struct bproc_ghost *g)
{
	int err = bproc_ghost_resume_fd(g);

	if (err)
		return err;
	if (!g->snippet) {
		err = bproc_arch_ghost_write_snippet(g->code, g->resume_fd);
		if (err)
			return err;
		g->snippet = true;
	}
	if (!g->data) {
		unsigned long addr = vm_mmap(NULL, 0, PAGE_SIZE,
					     PROT_READ | PROT_WRITE,
					     MAP_PRIVATE | MAP_ANONYMOUS, 0);

		if (IS_ERR_VALUE(addr))
			return (int)addr;
		g->data = addr;
	}
	return 0;
}

static bool ghost_call_is_wait(u32 nr)
{
	return bproc_call_kind(nr) == BPROC_CALLK_WAIT;
}

/*
 * The registers point at the call snippet with the arguments (pointers at
 * our data page), every signal but SIGKILL is blocked (the process's
 * handlers are not in this address space).
 */
long bproc_ghost_call_start(struct bproc_ghost *g, struct bproc_ghost_call *c)
{
	unsigned long d = g->data;
	u8 zero[BPROC_SIGINFO_SIZE] = {};
	sigset_t all;
	u64 a[6];

	memcpy(a, c->args, sizeof(a));
	switch (c->nr) {
	case BPROC_CALL_WAIT4:
		c->orig_options = a[2];
		a[1] = a[1] ? d + GHOST_OUT_STATUS : 0;
		a[2] |= WNOHANG;
		a[3] = a[3] ? d + GHOST_OUT_RUSAGE : 0;
		break;
	case BPROC_CALL_WAITID:
		c->orig_options = a[3];
		/* si_pid 0 after WNOHANG: nothing was ready. */
		if (copy_to_user((void __user *)(d + GHOST_OUT_INFO), zero,
				 sizeof(zero)))
			return -EFAULT;
		a[2] = d + GHOST_OUT_INFO;
		a[3] |= WNOHANG;
		a[4] = a[4] ? d + GHOST_OUT_RUSAGE : 0;
		break;
	case BPROC_CALL_RT_SIGQUEUEINFO:
	case BPROC_CALL_RT_TGSIGQUEUEINFO:
		if (copy_to_user((void __user *)(d + GHOST_IN_INFO), c->info,
				 sizeof(c->info)))
			return -EFAULT;
		a[bproc_call_info_arg(c->nr)] = d + GHOST_IN_INFO;
		break;
	}
	if (c->nr == BPROC_CALL_FORK)
		WRITE_ONCE(g->fork_start, ktime_get_ns());	/* module/fork.c */
	sigfillset(&all);
	sigdelset(&all, SIGKILL);
	sigprocmask(SIG_SETMASK, &all, NULL);
	spin_lock(&g->lock);
	g->call_running = true;
	spin_unlock(&g->lock);
	return bproc_arch_ghost_call_regs(g->code, c->nr, a);
}

struct bproc_ghost_call *bproc_ghost_call_next(struct bproc_ghost *g)
{
	struct bproc_ghost_call *c;

	spin_lock(&g->lock);
	c = g->call_waiting ? NULL : g->call;
	spin_unlock(&g->lock);
	return c;
}

/*
 * Answer, or (a wait that found nothing ready, and the caller did not ask
 * for WNOHANG) wait for SIGCHLD.
 */
void bproc_ghost_call_done(struct bproc_ghost *g, long result)
{
	struct bproc_call_out out = {};
	struct bproc_ghost_call *c, *ic;
	unsigned long d = g->data;
	long reaped;
	bool wait;

	spin_lock(&g->lock);
	ic = g->icall;
	g->icall = NULL;
	c = ic ? NULL : g->call;
	g->call_running = false;
	spin_unlock(&g->lock);
	if (ic) {
		/* Our own reap of a forked child's ghost. */
		if (result == (long)ic->args[0] || result == -ECHILD)
			bproc_ghost_forked_take(g, ic->reap_pid);
		kfree(ic);
		return;
	}
	if (!c)
		return;
	wait = ghost_call_is_wait(c->nr);
	if (wait) {
		if (copy_from_user(&out.status, (void __user *)(d + GHOST_OUT_STATUS),
				   sizeof(out.status)) ||
		    copy_from_user(out.info, (void __user *)(d + GHOST_OUT_INFO),
				   sizeof(out.info)) ||
		    copy_from_user(out.rusage, (void __user *)(d + GHOST_OUT_RUSAGE),
				   sizeof(out.rusage)))
			result = -EFAULT;
	}
	reaped = c->nr == BPROC_CALL_WAIT4 ? result :
		 result == 0 ? ((siginfo_t *)out.info)->si_pid : 0;
	if (wait && reaped > 0 &&
	    bproc_ghost_forked_take(g, bproc_ghost_global_pid(reaped))) {
		/*
		 * The ghost of a child its parent reaped on the node: not news
		 * for the parent.  Make the call again.
		 */
		return;
	}
	if (wait && result == 0 && !(c->orig_options & WNOHANG) &&
	    (c->nr == BPROC_CALL_WAIT4 || !((siginfo_t *)out.info)->si_pid)) {
		spin_lock(&g->lock);
		if (g->call == c)
			g->call_waiting = true;
		spin_unlock(&g->lock);
		return;
	}
	spin_lock(&g->lock);
	if (g->call == c)
		g->call = NULL;
	else
		c = NULL;	/* replaced meanwhile: that one is answered later */
	spin_unlock(&g->lock);
	if (!c)
		return;
	if (c->nr == BPROC_CALL_FORK && result > 0)
		result = bproc_ghost_forked_register(g, (int)result);
	bproc_notify_call_reply(g->pid, c->nr, c->id, result, wait ? &out : NULL,
				wait ? sizeof(out) : 0);
	kfree(c);
}
