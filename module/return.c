// SPDX-License-Identifier: GPL-2.0
/*
 * A remote process comes back to the master (Documentation/process-space.md).
 *
 * bpslave dumps it on its node, bpmaster feeds the image into a pipe and
 * hands the pipe to the kernel (BPROC_IOC_RETURN on /dev/bproc/master);
 * the process's ghost, the same task it left on the master, restores the
 * image into itself and stops being a ghost: the restored process goes on
 * from its ioctl.  bpmaster hears how it went (BPROC_MSG_ARRIVED).
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/bproc.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "internal.h"
#include "ghost.h"
#include "ghost_io.h"
#include "ghost_loop.h"
#include "ghost_shrink.h"
#include "ghost_table.h"
#include "notify.h"
#include "return.h"

int bproc_ghost_remote_return(int pid, int node, u64 id, struct file *src)
{
	struct bproc_ghost *g;
	int err = 0;

	spin_lock(&bproc_ghosts_lock);
	g = bproc_ghost_find_locked(pid);
	if (!g || !READ_ONCE(g->moved) || READ_ONCE(g->node) != node) {
		err = -ESRCH;
	} else {
		spin_lock(&g->lock);
		if (g->exited) {
			err = -ESRCH;
		} else if (g->ret_src) {
			err = -EBUSY;
		} else {
			g->ret_src = get_file(src);
			g->ret_id = id;
		}
		spin_unlock(&g->lock);
		wake_up(&g->wq);
	}
	spin_unlock(&bproc_ghosts_lock);
	return err;
}

bool bproc_ghost_come_back(struct bproc_ghost *g, long *ax)
{
	struct file *src;
	sigset_t all;
	bool lost;
	u64 id;
	int err;

	spin_lock(&g->lock);
	src = g->ret_src;
	id = g->ret_id;
	g->ret_src = NULL;
	spin_unlock(&g->lock);
	if (!src)
		return false;

	/*
	 * Signals that come meanwhile are the process's: they stay queued
	 * (a pipe read is not interrupted) and are delivered once it runs,
	 * under its own actions and mask.  Only SIGKILL ends the restore.
	 */
	sigfillset(&all);
	sigdelset(&all, SIGKILL);
	sigprocmask(SIG_SETMASK, &all, NULL);
	err = bproc_vmad_undump_file(src, BPROC_UNDUMP_CLOSEFDS, ax, &lost);
	bproc_ghost_fput_now(&src, 1);
	if (lost) {
		/*
		 * Cut short (the process was killed on the node while it
		 * left, say) after our memory began to change: become a
		 * ghost again, from scratch, and wait for its end.
		 */
		long code = bproc_ghost_shrink();

		if (IS_ERR_VALUE(code)) {
			force_sig(SIGKILL);
			bproc_ghost_stdin_stop(g);
			bproc_notify_arrived(g->pid, id, err, true);
			bproc_ghost_unregister(g);
			*ax = err;
			return true;
		}
		g->code = code;
		g->data = 0;
		bproc_ghost_catch_all((__sighandler_t)code);
	}
	if (err) {
		pr_info_ratelimited("ghost %d: the process could not come back: %d\n",
				    g->pid, err);
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		bproc_notify_arrived(g->pid, id, err, false);
		return false;
	}
	bproc_ghost_stdin_stop(g);
	bproc_notify_arrived(g->pid, id, 0, false);
	bproc_ghost_unregister(g);
	return true;
}
