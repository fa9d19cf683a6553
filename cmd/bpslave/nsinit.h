/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpnsinit - a slave's process space: the init of a PID namespace that
 * places restored processes at their master PIDs.
 *
 * bpslave forks the init once (bpnsinit_start()); it is PID 1 of a new PID
 * namespace and lives as long as bpslave (across reconnections to the
 * master).  To restore an image as master PID P, bpslave hands init the
 * read end of a pipe carrying the image and the process's stdin, stdout and
 * stderr (bpnsinit_restore()); init forks a restorer at PID P with clone3()
 * and set_tid, which loads the image with bproc_vmaundump_flags().  Inside
 * the namespace getpid() is P and getppid() is 1 (init).
 *
 * Init reports, through bpnsinit_event(), for every PID it restored: the
 * restore's outcome (RESTORED or FAILED), then stops, continues and the
 * exit.  Other processes of the namespace that end up as its children
 * (orphans) are reaped silently.  If bpslave goes away, init kills every
 * process of the namespace and exits.
 *
 * All calls are for one thread (bpslave's poll loop); the requests
 * (restore, kill) wait for init's answer, which comes at once.
 */
#ifndef BPROC_BPNSINIT_H
#define BPROC_BPNSINIT_H

#include <stdbool.h>
#include <sys/types.h>

/* Most restores init has under way at once (forked, not yet reported). */
#define BPNSINIT_PENDING_MAX	4096

/* The highest PID the kernel can ever give (PID_MAX_LIMIT on 64-bit). */
#define BPNSINIT_PID_LIMIT	4194304

struct bpnsinit;

/*
 * Fork the node's namespace init: a child in a new PID namespace (PID 1
 * there).  Call once at bpslave start, before any restore.  Needs
 * CAP_SYS_ADMIN.  Returns 0 with *@out set, or -errno.
 *
 * Call it while the process has a single thread (init is a fork).  Init
 * keeps nothing of its parent but standard input, output and error (where
 * it logs); every other descriptor is closed in it, its signal handling is
 * reset, and it dies with the thread that started it (PR_SET_PDEATHSIG).
 * The parent must not reap it with waitpid(-1): bpnsinit_stop() does.
 */
int bpnsinit_start(struct bpnsinit **out);

/*
 * Ask init to restore an image as PID @pid of the namespace (the master
 * PID).  @imgfd: the read end of a pipe the caller writes the image into;
 * @fds: the restored process's standard input, output and error.  The
 * restorer keeps only these and a report pipe, and calls
 * bproc_vmaundump_flags(imgfd, BPROC_UNDUMP_CLOSEFDS).
 *
 * Returns 0 once the restorer exists (the caller may close its copies of
 * @imgfd and @fds; the outcome comes as a RESTORED or FAILED event), or
 * -EINVAL (@pid not in 2..pid_max), -EBADF (a descriptor is not open),
 * -EEXIST (@pid is taken in the namespace), -EAGAIN (BPNSINIT_PENDING_MAX
 * restores under way, or the kernel's own limits), -ECONNABORTED (init is
 * gone), or another -errno of clone3().
 */
int bpnsinit_restore(struct bpnsinit *ni, pid_t pid, int imgfd,
		     const int fds[3]);

/* A descriptor to poll for POLLIN: events are ready (or init is gone). */
int bpnsinit_fd(const struct bpnsinit *ni);
/* The namespace's init, as bpslave sees it (its /proc/PID/ns/). */
pid_t bpnsinit_pid(const struct bpnsinit *ni);

enum {
	BPNSINIT_RESTORED = 1,	/* the image runs as @pid */
	BPNSINIT_FAILED,	/* the restore failed; @status: an errno > 0 */
	BPNSINIT_EXIT,		/* @pid ended; @status: its wait status */
	BPNSINIT_STOPPED,	/* @pid stopped; @status: the stop signal */
	BPNSINIT_CONTINUED,	/* @pid continued (SIGCONT); @status: 0 */
	BPNSINIT_LISTENER,	/* @pid's seccomp listener (PID-space calls); @fd */
};

struct bpnsinit_event {
	int type;	/* BPNSINIT_* */
	pid_t pid;	/* the PID in the namespace (= the master PID) */
	int status;
	int fd;		/* BPNSINIT_LISTENER: the listener, now the caller's; else -1 */
};

/*
 * PID-space calls (set before bpnsinit_start()): every restored process
 * gets a seccomp filter that sends its PID-space calls (getppid, kill,
 * wait, process groups) to a listener, passed to the caller in a
 * BPNSINIT_LISTENER event before the process runs; and init mounts the
 * namespace's own procfs at BPNSINIT_PROC, so the caller can see PIDs as
 * the namespace does.
 */
extern bool bpnsinit_calls;
#define BPNSINIT_PROC	"/run/bproc/nsproc"

/*
 * The master's file tree is mounted at BPNSINIT_MASTER_FS (bpslave's
 * files.c; set before bpnsinit_start()): the namespace gets a mount
 * namespace and a root of its own (BPNSINIT_ROOT), whose /usr, /bin, /lib,
 * /lib64, /sbin are bound from there and some of /etc lead there, and whose /dev, /sys, /tmp,
 * /run and /home are the node's.  Its /proc is its own PID namespace's.
 */
extern bool bpnsinit_view;
#define BPNSINIT_MASTER_FS	"/run/bproc/master"
#define BPNSINIT_ROOT		"/run/bproc/root"
/* Make that root and enter it (init, in nsview.c): 0 or -errno. */
int bpnsinit_make_view(void);
/*
 * Its /usr, /bin, /sbin, /lib, /lib64: the master's, bound in place (or
 * links, as the master has them), by a process in the namespace's mount
 * namespace while bpslave answers (mounts.c).  0 or -errno.
 */
#define BPNSINIT_VIEW_MASTER_NR	5
extern const char *const bpnsinit_view_master[BPNSINIT_VIEW_MASTER_NR];
int bpnsinit_place_view(void);

/*
 * The next event: 1 with *@ev filled, 0 if none is ready (never blocks),
 * -ECONNABORTED if init is gone.
 *
 * For each PID restored: exactly one of RESTORED or FAILED.  After
 * FAILED nothing more (the restorer's own exit is not reported).  After
 * RESTORED, any number of STOPPED and CONTINUED, then one EXIT.  RESTORED
 * or FAILED always comes before EXIT; a STOPPED or CONTINUED may come
 * before RESTORED only if the restorer itself was stopped before it
 * loaded the image.  A restorer killed while loading the image counts as
 * RESTORED, then EXIT with its signal.  If the caller does not read
 * events, init stops reaping until it does: nothing is lost.
 */
int bpnsinit_event(struct bpnsinit *ni, struct bpnsinit_event *ev);

/*
 * Send @sig (0..64) to PID @pid (>= 2) of the namespace; init does the
 * kill() inside the namespace.  Returns 0 or -errno (-ESRCH: no such
 * process; -EINVAL; -ECONNABORTED: init is gone).
 */
int bpnsinit_kill(struct bpnsinit *ni, pid_t pid, int sig);

/*
 * The namespace's next fork gets PID @pid (ns_last_pid = @pid - 1, written
 * by init, which lives in the namespace); init also reports @pid's end if
 * it ever reaps it (an orphan).  0 or -errno.
 */
int bpnsinit_forking(struct bpnsinit *ni, pid_t pid);

/*
 * Has the fork bpnsinit_forking() armed for @pid happened (the namespace's
 * ns_last_pid moved on; the child may have ended since)?  0 if so, -EAGAIN
 * if not yet, or another -errno.
 */
int bpnsinit_forked(struct bpnsinit *ni, pid_t pid);

/*
 * The namespace's next PIDs that no fork of ours asked for (threads,
 * io_uring workers) start at @pid (ns_last_pid = @pid - 1), untracked.
 */
int bpnsinit_park(struct bpnsinit *ni, pid_t pid);

/*
 * Kill every process of the namespace (SIGKILL to init), reap init and
 * free @ni.  @ni may be NULL.
 */
void bpnsinit_stop(struct bpnsinit *ni);

/*
 * For tests only: when set (before bpnsinit_start()), the restorer calls
 * this instead of bproc_vmaundump_flags(), with the same arguments and the
 * same contract: on success it does not return (the process is the
 * restored one; descriptors >= 3 are closed), on failure it returns -1
 * with errno set.
 */
extern int (*bpnsinit_test_undump)(int imgfd, int flags);

#endif /* BPROC_BPNSINIT_H */
