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
#include <linux/capability.h>
#include <linux/cred.h>
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
#include <linux/uidgid.h>
#include <linux/user_namespace.h>
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

/* Capability set @v (bit N: capability N) as the kernel keeps one. */
static kernel_cap_t call_cap(u64 v)
{
	kernel_cap_t c = {};

	c.cap[0] = (u32)v;
	c.cap[1] = (u32)(v >> 32);
	return c;
}

static bool call_cred_valid(const struct bproc_call_cred *w)
{
	u64 known = (2ULL << CAP_LAST_CAP) - 1;

	return w->uid != (u32)-1 && w->euid != (u32)-1 && w->suid != (u32)-1 &&
	       w->gid != (u32)-1 && w->egid != (u32)-1 && w->sgid != (u32)-1 &&
	       !((w->cap_permitted | w->cap_effective) & ~known) &&
	       !(w->cap_effective & ~w->cap_permitted);
}

int bproc_ghost_remote_call(int pid, u64 id, u32 nr, const u64 *args,
			    const struct bproc_call_cred *cred,
			    const void *data, size_t len)
{
	struct bproc_ghost_call *c, *old = NULL;
	struct bproc_ghost *g;
	bool sigq = bproc_call_info_arg(nr) >= 0;

	if (!ghost_call_allowed(nr) || len != (sigq ? BPROC_SIGINFO_SIZE : 0) ||
	    !call_cred_valid(cred))
		return -EINVAL;
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->id = id;
	c->nr = nr;
	memcpy(c->args, args, sizeof(c->args));
	c->cred = *cred;
	c->has_cred = true;
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

static bool call_has_uid(const struct cred *c, kuid_t id)
{
	return uid_eq(id, c->uid) || uid_eq(id, c->euid) || uid_eq(id, c->suid);
}

static bool call_has_gid(const struct cred *c, kgid_t id)
{
	return gid_eq(id, c->gid) || gid_eq(id, c->egid) || gid_eq(id, c->sgid);
}

/*
 * The ghost (current) takes the ids its process has on its node now
 * (review item 7: a process that dropped root there must not signal as
 * root here).  As setresuid() and setresgid() would let it: every new id
 * is one it has, or it has CAP_SETUID / CAP_SETGID (checked before either
 * changes, as a process sets its gids before it drops its uid);
 * capabilities only as a subset of its own.  -EPERM, and nothing changes,
 * if it could not; the call is then not made.
 */
static int ghost_call_take_cred(const struct bproc_call_cred *w)
{
	const struct cred *old = current_cred();
	struct user_namespace *ns = old->user_ns;
	kuid_t uid = make_kuid(&init_user_ns, w->uid);
	kuid_t euid = make_kuid(&init_user_ns, w->euid);
	kuid_t suid = make_kuid(&init_user_ns, w->suid);
	kgid_t gid = make_kgid(&init_user_ns, w->gid);
	kgid_t egid = make_kgid(&init_user_ns, w->egid);
	kgid_t sgid = make_kgid(&init_user_ns, w->sgid);
	kernel_cap_t prm, eff;
	struct cred *new;

	prm = cap_intersect(old->cap_permitted, call_cap(w->cap_permitted));
	eff = cap_intersect(prm, call_cap(w->cap_effective));
	if (uid_eq(uid, old->uid) && uid_eq(euid, old->euid) &&
	    uid_eq(suid, old->suid) && uid_eq(euid, old->fsuid) &&
	    gid_eq(gid, old->gid) && gid_eq(egid, old->egid) &&
	    gid_eq(sgid, old->sgid) && gid_eq(egid, old->fsgid) &&
	    cap_issubset(old->cap_permitted, prm) &&
	    cap_issubset(old->cap_effective, eff) &&
	    cap_issubset(eff, old->cap_effective))
		return 0;	/* as it is: the usual case */
	if (!kuid_has_mapping(ns, uid) || !kuid_has_mapping(ns, euid) ||
	    !kuid_has_mapping(ns, suid) || !kgid_has_mapping(ns, gid) ||
	    !kgid_has_mapping(ns, egid) || !kgid_has_mapping(ns, sgid))
		return -EPERM;
	if (!(call_has_uid(old, uid) && call_has_uid(old, euid) &&
	      call_has_uid(old, suid)) && !ns_capable_setid(ns, CAP_SETUID))
		return -EPERM;
	if (!(call_has_gid(old, gid) && call_has_gid(old, egid) &&
	      call_has_gid(old, sgid)) && !ns_capable_setid(ns, CAP_SETGID))
		return -EPERM;

	new = prepare_creds();
	if (!new)
		return -ENOMEM;
	new->uid = uid;
	new->euid = euid;
	new->suid = suid;
	new->fsuid = euid;
	new->gid = gid;
	new->egid = egid;
	new->sgid = sgid;
	new->fsgid = egid;
	new->cap_permitted = prm;
	new->cap_effective = eff;
	new->cap_ambient = cap_intersect(new->cap_ambient,
					 cap_intersect(prm, new->cap_inheritable));
	return commit_creds(new);
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

	if (c->has_cred) {
		int err = ghost_call_take_cred(&c->cred);

		if (err)
			return err;
	}
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
	return bproc_arch_ghost_call_regs(g->code, g->resume_fd, c->nr, a);
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
