// SPDX-License-Identifier: GPL-2.0
/*
 * Which PID-space call runs here and which on the master (callrules.h).
 *
 * Answered here: anything aimed at a process of this node (the kernel runs
 * it as asked), and every call of a process the master did not place here
 * (it has no ghost to ask).  The rest goes to the master.  The calls
 * intercepted at all, and the kind of each, are bproc_call()'s
 * (<linux/bproc.h>); call_decide() applies each kind's rule.
 */
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/bproc.h>

#include "callrules.h"

bool call_is_fork(const struct call_notif *n)
{
	switch (n->nr) {
	case SYS_fork:
	case SYS_vfork:
		return true;
	case SYS_clone:
		return !(n->args[0] & CLONE_THREAD);
	}
	return false;
}

bool wait_is_local(const struct call_ns *ns, int caller, int idtype, long id)
{
	int kids[256], n = ns->children(ns->ctx, caller, kids, 256), i;

	for (i = 0; i < n; i++) {
		if (idtype == P_ALL)
			return true;
		if (idtype == P_PID && kids[i] == id)
			return true;
		if (idtype == P_PGID &&
		    ns->pgid(ns->ctx, kids[i]) ==
		    (id ? id : ns->pgid(ns->ctx, caller)))
			return true;
	}
	return false;
}

/* wait4's pid argument as waitid's (idtype, id). */
static bool wait4_is_local(const struct call_ns *ns, int caller, long pid)
{
	if (pid < -1)
		return wait_is_local(ns, caller, P_PGID, -pid);
	if (pid == -1)
		return wait_is_local(ns, caller, P_ALL, pid);
	if (pid == 0)
		return wait_is_local(ns, caller, P_PGID, 0);
	return wait_is_local(ns, caller, P_PID, pid);
}

enum call_verdict call_decide(const struct call_notif *n, const struct call_ns *ns)
{
	/* PIDs, idtypes and ids are ints: the upper half is not theirs. */
	long a0 = (int)n->args[0], a1 = (int)n->args[1];
	int caller = n->caller;
	bool local;

	/* Only processes the master placed have a ghost to ask. */
	if (caller < 2 || !n->caller_has_ghost)
		return CALL_RUN_HERE;
	switch (bproc_call_kind((uint32_t)n->nr)) {
	case BPROC_CALLK_FORK:
		/* A thread stays the process's own business. */
		local = !call_is_fork(n);
		break;
	case BPROC_CALLK_SIGNAL:
		local = a0 > 0 && ns->has(ns->ctx, (int)a0);
		break;
	case BPROC_CALLK_WAIT:
		if (n->nr == SYS_wait4) {
			local = wait4_is_local(ns, caller, a0);
			break;
		}
		/* waitid's P_PIDFD (and anything new): a descriptor of this node. */
		local = (a0 != P_ALL && a0 != P_PID && a0 != P_PGID) ||
			wait_is_local(ns, caller, (int)a0, a1);
		break;
	case BPROC_CALLK_GROUP:
		/* Of a process of ours that the master does not know. */
		local = a0 > 0 && a0 != caller && ns->has(ns->ctx, (int)a0) &&
			!ns->known(ns->ctx, (int)a0);
		break;
	case BPROC_CALLK_MASTER:	/* getppid, getpgrp, setsid */
		local = false;
		break;
	default:		/* not a PID-space call: the filter sent none */
		return CALL_RUN_HERE;
	}
	/* Without a master, everything runs here. */
	if (local || !n->connected)
		return CALL_RUN_HERE;
	return call_is_fork(n) ? CALL_FORK_TO_MASTER : CALL_TO_MASTER;
}
