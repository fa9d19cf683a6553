/* SPDX-License-Identifier: GPL-2.0 */
/* module/return.c: a remote process comes back to the master. */
#ifndef BPROC_RETURN_H
#define BPROC_RETURN_H

#include <linux/types.h>

struct bproc_ghost;
struct file;

/*
 * BPROC_IOC_RETURN: the process @pid, on @node, comes back; its ghost
 * restores the image read from @src (a reference is taken) and answers
 * BPROC_MSG_ARRIVED with @id.  0, or -ESRCH, -EBUSY.
 */
int bproc_ghost_remote_return(int pid, int node, u64 id, struct file *src);
/*
 * If @g's process comes back, restore it into this very task.  True if the
 * ioctl must return now: with *@ax for the restored process, or (the
 * restore failed after the point of no return) to die of the SIGKILL it
 * queued; @g is then gone.  False: nothing to do, or the image was refused
 * and the ghost goes on.
 */
bool bproc_ghost_come_back(struct bproc_ghost *g, long *ax);

#endif /* BPROC_RETURN_H */
