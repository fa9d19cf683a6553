/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which PID-space call of a process here runs here and which goes to the
 * master, where the process's ghost makes it (Documentation/process-space.md
 * has the rules).  Pure functions: the call and what they need to know of
 * the node's namespace are their arguments (struct call_ns asks bpslave's
 * /proc views, or a test's fake namespace).
 */
#ifndef BPROC_CALLRULES_H
#define BPROC_CALLRULES_H

#include <stdbool.h>
#include <stdint.h>

/* What the decisions ask of the node's namespace (PIDs as it sees them). */
struct call_ns {
	void *ctx;
	/* Is @pid a process of the namespace? */
	bool (*has)(void *ctx, int pid);
	/* Does the master know @pid (placed or forked here: in the table)? */
	bool (*known)(void *ctx, int pid);
	/* @pid's children here into @kids (up to @max); their count. */
	int (*children)(void *ctx, int pid, int *kids, int max);
	/* @pid's process group, or -1. */
	int (*pgid)(void *ctx, int pid);
};

/* One intercepted call (a seccomp notification), as the rules see it. */
struct call_notif {
	uint32_t nr;		/* SYS_* */
	uint64_t args[6];
	int caller;		/* the caller's PID in the namespace (master PID), or -1 */
	bool caller_has_ghost;	/* the master placed or forked it, and it has not left */
	bool connected;		/* a master welcomed this node */
};

enum call_verdict {
	CALL_RUN_HERE,		/* continue: the kernel here runs it as asked */
	CALL_TO_MASTER,		/* the caller's ghost makes it (BPWIRE_CALL) */
	CALL_FORK_TO_MASTER,	/* the ghost forks (BPROC_CALL_FORK); the child comes here */
};

/* Is @n a fork of a process (not of a thread)? */
bool call_is_fork(const struct call_notif *n);

/*
 * Does a wait of @caller for (@idtype, @id) (waitid's P_ALL, P_PID,
 * P_PGID; id 0 with P_PGID: the caller's group) concern a child of its on
 * this node?  Then the kernel here answers it.
 */
bool wait_is_local(const struct call_ns *ns, int caller, int idtype, long id);

/* Here, or the master? */
enum call_verdict call_decide(const struct call_notif *n, const struct call_ns *ns);

#endif /* BPROC_CALLRULES_H */
