/* SPDX-License-Identifier: GPL-2.0 */
/*
 * module/calls.c: the PID-space calls a ghost makes for its remote process.
 */
#ifndef BPROC_CALLS_H
#define BPROC_CALLS_H

#include <linux/bproc.h>
#include <linux/types.h>

struct bproc_ghost;

/* A PID-space call to make (BPROC_MSG_CALL). */
struct bproc_ghost_call {
	u64 id;
	u32 nr;
	u64 args[6];
	u8 info[BPROC_SIGINFO_SIZE];	/* rt_(tg)sigqueueinfo's */
	long orig_options;		/* a wait's, before WNOHANG is added */
	int reap_pid;			/* an internal reap: whose (global PID) */
	bool has_cred;			/* @cred is the caller's (not internal) */
	struct bproc_call_cred cred;	/* the node caller's ids now */
};

/*
 * BPROC_MSG_CALL: the ghost of @pid makes call @nr (@args; @data, @len:
 * a siginfo) with the caller's rights @cred, and answers @id.  0, or
 * -EINVAL, -ENOMEM (not answered).
 */
int bproc_ghost_remote_call(int pid, u64 id, u32 nr, const u64 *args,
			    const struct bproc_call_cred *cred,
			    const void *data, size_t len);

/* The resume descriptor and the data page, once. */
int bproc_ghost_call_setup(struct bproc_ghost *g);
/*
 * Make call @c in user mode: returns the system call number the ioctl
 * returns (the registers point at the call snippet), or a negative errno.
 */
long bproc_ghost_call_start(struct bproc_ghost *g, struct bproc_ghost_call *c);
/* The call to make now, if any (it stays in g->call until done). */
struct bproc_ghost_call *bproc_ghost_call_next(struct bproc_ghost *g);
/* Back from the call snippet with @result (BPROC_IOC_GHOST_CALLRET). */
void bproc_ghost_call_done(struct bproc_ghost *g, long result);

#endif /* BPROC_CALLS_H */
