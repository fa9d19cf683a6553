// SPDX-License-Identifier: GPL-2.0
/*
 * A ghost's I/O.  It writes the remote process's output (BPROC_MSG_IO,
 * from bpmaster) to its own descriptors 1 and 2, i.e. wherever the
 * process's output went on the master, and closes them at end of file;
 * stdout and stderr stay apart.  With BPROC_MOVE_STDIN it reads its
 * descriptor 0 as it becomes readable and sends that to the process; else
 * the node reads end of file at once.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/bproc.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/overflow.h>
#include <linux/poll.h>
#include <linux/rcupdate.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "ghost.h"
#include "ghost_io.h"
#include "ghost_shrink.h"
#include "ghost_table.h"
#include "notify.h"

/* Output queued for one ghost before more is dropped (with a log line). */
#define GHOST_IO_LIMIT		SZ_16M

int bproc_ghost_remote_output(int pid, u32 stream, const void *data,
			      size_t len)
{
	struct bproc_ghost_output *io;
	struct bproc_ghost *g;
	int err = 0;

	io = kmalloc(struct_size(io, data, len), GFP_KERNEL);
	if (!io)
		return -ENOMEM;
	io->stream = stream;
	io->len = len;
	memcpy(io->data, data, len);

	spin_lock(&bproc_ghosts_lock);
	g = bproc_ghost_find_locked(pid);
	if (!g) {
		err = -ESRCH;
	} else {
		spin_lock(&g->lock);
		if (g->io_bytes + len > GHOST_IO_LIMIT) {
			err = -ENOBUFS;
		} else {
			list_add_tail(&io->list, &g->io);
			g->io_bytes += len;
			io = NULL;
		}
		spin_unlock(&g->lock);
		wake_up(&g->wq);
	}
	spin_unlock(&bproc_ghosts_lock);
	kfree(io);
	if (err == -ENOBUFS)
		pr_warn_ratelimited("ghost %d: output piling up; %zu bytes dropped\n",
				    pid, len);
	return err == -ESRCH ? 0 : err;
}

/* Write remote output to our own descriptor; end of file closes it. */
static void ghost_write(struct bproc_ghost_output *io)
{
	struct file *f;
	size_t done = 0;

	if (!io->len) {
		bproc_ghost_close_fd(io->stream);
		return;
	}
	f = fget(io->stream);
	if (!f)
		return;
	if (!(f->f_mode & FMODE_WRITE) || !(f->f_mode & FMODE_CAN_WRITE)) {
		fput(f);	/* opened read-only: the output goes nowhere */
		return;
	}
	while (done < io->len) {
		loff_t pos = f->f_pos;
		ssize_t n = kernel_write(f, io->data + done, io->len - done, &pos);

		if (n <= 0)
			break;	/* EPIPE also queued SIGPIPE for us to forward */
		if (!(f->f_mode & FMODE_STREAM))
			f->f_pos = pos;
		done += n;
	}
	fput(f);
}

bool bproc_ghost_write_output(struct bproc_ghost *g)
{
	struct bproc_ghost_output *io;

	spin_lock(&g->lock);
	io = list_first_entry_or_null(&g->io, struct bproc_ghost_output, list);
	if (io) {
		list_del(&io->list);
		g->io_bytes -= io->len;
	}
	spin_unlock(&g->lock);
	if (!io)
		return false;
	ghost_write(io);
	kfree(io);
	return true;
}

/* Send @len bytes of our stdin (none: end of file) to the remote process. */
static void ghost_send_stdin(struct bproc_ghost *g, const void *data, size_t len)
{
	bproc_notify_stdin(g->pid, READ_ONCE(g->node), data, len);
}

/*
 * A wake of @in's wait queue.  POLLFREE: the queue itself goes away, its
 * memory freed once we return (a signalfd's queue lives in the poller's
 * sighand: the ghost's own, freed as the ghost is reaped).  Unhook now,
 * under the queue's lock, as epoll does, and never touch it again.
 */
static int ghost_in_wake(wait_queue_entry_t *wait, unsigned int mode,
			 int sync, void *key)
{
	struct bproc_ghost *g = container_of(wait, struct bproc_ghost, in_wait);

	if (key_to_poll(key) & POLLFREE) {
		list_del_init(&wait->entry);
		/* Pairs with ghost_in_unhook()'s smp_load_acquire(). */
		smp_store_release(&g->in_wqh, NULL);
		return 0;
	}
	WRITE_ONCE(g->in_ready, true);
	wake_up(&g->wq);
	return 0;
}

static void ghost_in_queue(struct file *file, wait_queue_head_t *wqh,
			   poll_table *pt)
{
	struct bproc_ghost *g = container_of(pt, struct bproc_ghost, in_pt);

	if (READ_ONCE(g->in_wqh))
		return;		/* one queue is enough for a pipe or a tty */
	init_waitqueue_func_entry(&g->in_wait, ghost_in_wake);
	add_wait_queue(wqh, &g->in_wait);
	WRITE_ONCE(g->in_wqh, wqh);
}

/*
 * Take our entry off @in's wait queue.  If POLLFREE took it off already,
 * in_wqh is NULL; if POLLFREE races with us, its queue's memory stays a
 * queue for an RCU grace period (the sighand cache is
 * SLAB_TYPESAFE_BY_RCU), and removing an entry that POLLFREE unhooked
 * (list_del_init) is harmless.
 */
static void ghost_in_unhook(struct bproc_ghost *g)
{
	wait_queue_head_t *wqh;

	rcu_read_lock();
	/* Pairs with ghost_in_wake()'s smp_store_release(). */
	wqh = smp_load_acquire(&g->in_wqh);
	if (wqh)
		remove_wait_queue(wqh, &g->in_wait);
	rcu_read_unlock();
	WRITE_ONCE(g->in_wqh, NULL);
}

void bproc_ghost_stdin_start(struct bproc_ghost *g, bool in)
{
	/* The node reads /dev/null-like end of file unless stdin travels. */
	g->in = in ? fget(0) : NULL;
	if (g->in) {
		init_poll_funcptr(&g->in_pt, ghost_in_queue);
		vfs_poll(g->in, &g->in_pt);
		g->in_ready = true;
	} else {
		ghost_send_stdin(g, NULL, 0);
	}
}

bool bproc_ghost_stdin_ready(struct bproc_ghost *g)
{
	return g->in && READ_ONCE(g->in_ready);
}

/*
 * The ghost leaves our code (it stops): nothing of ours may stay on a
 * queue that can go away meanwhile.  Hooked again when it comes back.
 */
void bproc_ghost_stdin_unhook(struct bproc_ghost *g)
{
	if (g->in)
		ghost_in_unhook(g);
}

void bproc_ghost_stdin_hook(struct bproc_ghost *g)
{
	if (g->in && !READ_ONCE(g->in_wqh)) {
		vfs_poll(g->in, &g->in_pt);
		WRITE_ONCE(g->in_ready, true);	/* look once, in case */
	}
}

void bproc_ghost_stdin_stop(struct bproc_ghost *g)
{
	ghost_in_unhook(g);
	if (g->in)
		bproc_ghost_fput_now(&g->in, 1);
	g->in = NULL;
}

void bproc_ghost_stdin_pump(struct bproc_ghost *g)
{
	const size_t max = BPROC_MSG_MAX - sizeof(struct bproc_msg_io);
	__poll_t mask;
	ssize_t n;
	void *buf;
	loff_t pos;

	WRITE_ONCE(g->in_ready, false);
	mask = vfs_poll(g->in, NULL);
	if (!(mask & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		return;
	buf = kmalloc(max, GFP_KERNEL);
	if (!buf)
		return;
	pos = g->in->f_pos;
	n = kernel_read(g->in, buf, max, &pos);
	if (!(g->in->f_mode & FMODE_STREAM))
		g->in->f_pos = pos;
	if (n > 0) {
		ghost_send_stdin(g, buf, n);
		WRITE_ONCE(g->in_ready, true);	/* maybe more */
	} else if (n != -EAGAIN && n != -EINTR) {
		ghost_send_stdin(g, NULL, 0);
		bproc_ghost_stdin_stop(g);
	}
	kfree(buf);
}
