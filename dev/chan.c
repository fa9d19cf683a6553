// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon message channel: the transport of /dev/bproc/master and
 * /dev/bproc/slave.
 *
 * Every open() of a daemon device creates a session, struct bproc_chan, that
 * lives until the last close of that file.  Messages travel both ways:
 *
 *  kernel->daemon  The kernel allocates a struct bproc_msg, fills it in and
 *                  queues it on the session with bproc_chan_queue().  read()
 *                  hands out exactly one whole message per call, oldest
 *                  first; poll() reports EPOLLIN while one is queued.
 *
 *  daemon->kernel  write() takes exactly one whole message, checks its
 *                  framing (lengths, flags, padding) and passes it to the
 *                  device's dispatch function (dev/daemon.c), which knows
 *                  the message types and the session rules.
 *
 * This file knows nothing about message types beyond the header, as
 * fs/fuse/dev.c knows nothing about file systems.  Nothing written by the
 * daemon is trusted: write() copies the message once, with a size bounded
 * before any allocation, and checks only the kernel's copy.
 *
 * Locking:
 *  ch->lock (spinlock) protects the queue; it is held only to link and
 *  unlink messages, so messages can be queued from any process context.
 *
 *  ch->read_mutex serialises readers.  Only a reader holding it unlinks a
 *  message, so read() can look at the head of the queue, copy the message to
 *  user space (which may fault and sleep) and unlink it only once the copy
 *  worked: a failed read leaves the queue as it was.
 *
 *  ch->write_mutex serialises dispatch, so the session's state changes one
 *  message at a time (two threads racing to say HELLO get one success and
 *  one -EALREADY).
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/bitops.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "chan.h"
#include "stats.h"

/* ------------------------------------------------------------------ */
/* Messages                                                           */
/* ------------------------------------------------------------------ */

/**
 * bproc_msg_alloc - allocate a kernel->daemon message
 * @type: BPROC_MSG_*.
 * @len:  length of the whole message, header included.
 * @gfp:  allocation flags.
 *
 * The message comes zeroed, with hdr.len and hdr.type set; the caller fills
 * in the rest through bproc_msg_wire() and queues it with bproc_chan_queue(),
 * or frees it with bproc_msg_free().
 */
struct bproc_msg *bproc_msg_alloc(u16 type, u32 len, gfp_t gfp)
{
	struct bproc_msg *msg;

	/* The wire form is hdr and body back to back. */
	BUILD_BUG_ON(offsetof(struct bproc_msg, body) !=
		     offsetof(struct bproc_msg, hdr) + sizeof(msg->hdr));

	if (WARN_ON_ONCE(len < sizeof(msg->hdr) || len > BPROC_MSG_MAX))
		return NULL;

	msg = kzalloc(struct_size(msg, body, len - sizeof(msg->hdr)), gfp);
	if (!msg)
		return NULL;
	INIT_LIST_HEAD(&msg->list);
	msg->hdr.len = len;
	msg->hdr.type = type;
	bproc_stat_inc(BPROC_STAT_MESSAGES);
	return msg;
}

void bproc_msg_free(struct bproc_msg *msg)
{
	kfree(msg);
	bproc_stat_dec(BPROC_STAT_MESSAGES);
}

/**
 * bproc_chan_queue - queue a message for the daemon to read
 * @ch:  the session.
 * @msg: a message from bproc_msg_alloc(); the session owns it from now on.
 *
 * May be called from any process context.
 */
void bproc_chan_queue(struct bproc_chan *ch, struct bproc_msg *msg)
{
	spin_lock(&ch->lock);
	if (ch->dead) {
		/* Nobody will read it. */
		spin_unlock(&ch->lock);
		bproc_msg_free(msg);
		return;
	}
	list_add_tail(&msg->list, &ch->queue);
	ch->queued += msg->hdr.len;
	spin_unlock(&ch->lock);
	wake_up(&ch->waitq);
}

static bool bproc_chan_has_space(struct bproc_chan *ch, size_t limit)
{
	bool ok;

	spin_lock(&ch->lock);
	ok = ch->dead || ch->queued < limit;
	spin_unlock(&ch->lock);
	return ok;
}

int bproc_chan_wait_space(struct bproc_chan *ch, size_t limit)
{
	if (wait_event_killable(ch->space_wq, bproc_chan_has_space(ch, limit)))
		return -EINTR;
	return READ_ONCE(ch->dead) ? -ECONNRESET : 0;
}

static bool bproc_chan_pending(struct bproc_chan *ch)
{
	bool pending;

	spin_lock(&ch->lock);
	pending = !list_empty(&ch->queue);
	spin_unlock(&ch->lock);
	return pending;
}

/* The oldest queued message, or NULL.  Caller holds ch->read_mutex. */
static struct bproc_msg *bproc_chan_peek(struct bproc_chan *ch)
{
	struct bproc_msg *msg;

	lockdep_assert_held(&ch->read_mutex);
	spin_lock(&ch->lock);
	msg = list_first_entry_or_null(&ch->queue, struct bproc_msg, list);
	spin_unlock(&ch->lock);
	return msg;
}

/* ------------------------------------------------------------------ */
/* File operations                                                    */
/* ------------------------------------------------------------------ */

static int bproc_chan_open(struct inode *inode, struct file *file)
{
	/* misc_open() left our struct miscdevice in private_data. */
	struct bproc_chan_dev *dev = container_of(file->private_data,
						  struct bproc_chan_dev, misc);
	struct bproc_chan *ch;
	int err;

	/*
	 * A daemon session speaks for the cluster: the file mode is not
	 * enough (a chmod, or root without CAP_SYS_ADMIN).
	 */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (dev->exclusive && test_and_set_bit_lock(0, &dev->busy)) {
		pr_debug_ratelimited("/dev/%s: %s[%d]: busy\n",
				     dev->misc.nodename, current->comm,
				     task_pid_nr(current));
		return -EBUSY;
	}

	ch = kzalloc(sizeof(*ch), GFP_KERNEL_ACCOUNT);
	if (!ch) {
		err = -ENOMEM;
		goto out_release_dev;
	}
	ch->dev = dev;
	spin_lock_init(&ch->lock);
	INIT_LIST_HEAD(&ch->queue);
	init_waitqueue_head(&ch->waitq);
	mutex_init(&ch->read_mutex);
	mutex_init(&ch->write_mutex);
	refcount_set(&ch->refs, 1);
	init_waitqueue_head(&ch->space_wq);
	ch->state = BPROC_CHAN_NEW;
	ch->node = dev->kind == BPROC_CHAN_MASTER ? BPROC_NODE_MASTER :
						    BPROC_NODE_NONE;
	INIT_LIST_HEAD(&ch->slaves);
	bproc_stat_inc(BPROC_STAT_SESSIONS);

	file->private_data = ch;
	/* A message stream: no file position, no seeking. */
	stream_open(inode, file);
	bproc_chan_dbg(ch, "session opened\n");
	return 0;

out_release_dev:
	if (dev->exclusive)
		clear_bit_unlock(0, &dev->busy);
	return err;
}

/* The last reference: free the session and whatever is still queued. */
void bproc_chan_put(struct bproc_chan *ch)
{
	struct bproc_msg *msg, *next;
	LIST_HEAD(dead);

	if (!refcount_dec_and_test(&ch->refs))
		return;
	spin_lock(&ch->lock);
	list_splice_init(&ch->queue, &dead);
	spin_unlock(&ch->lock);
	list_for_each_entry_safe(msg, next, &dead, list) {
		list_del(&msg->list);
		bproc_msg_free(msg);
	}
	mutex_destroy(&ch->read_mutex);
	mutex_destroy(&ch->write_mutex);
	kfree(ch);
	bproc_stat_dec(BPROC_STAT_SESSIONS);
}

/* Last close of the file: the session ends; it is freed at its last put. */
static int bproc_chan_release(struct inode *inode, struct file *file)
{
	struct bproc_chan *ch = file->private_data;
	struct bproc_chan_dev *dev = ch->dev;

	bproc_chan_dbg(ch, "session closed\n");
	if (dev->release)
		dev->release(ch);

	spin_lock(&ch->lock);
	ch->dead = true;
	spin_unlock(&ch->lock);
	wake_up_all(&ch->space_wq);
	bproc_chan_put(ch);

	if (dev->exclusive)
		clear_bit_unlock(0, &dev->busy);
	return 0;
}

/*
 * read(): exactly one whole message.  A buffer shorter than the next message
 * gets -EINVAL and the message stays queued; a buffer shorter than any
 * message (a header) gets -EINVAL without waiting.
 */
static ssize_t bproc_chan_read(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct bproc_chan *ch = file->private_data;
	struct bproc_msg *msg;
	ssize_t ret;
	u32 len;

	if (count < sizeof(struct bproc_msg_hdr))
		return -EINVAL;

	for (;;) {
		ret = mutex_lock_interruptible(&ch->read_mutex);
		if (ret)
			return ret;
		msg = bproc_chan_peek(ch);
		if (msg)
			break;
		mutex_unlock(&ch->read_mutex);

		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(ch->waitq,
					       bproc_chan_pending(ch));
		if (ret)
			return ret;
	}

	/* @msg stays queued, and valid, while we hold read_mutex. */
	len = msg->hdr.len;
	if (count < len) {
		bproc_chan_dbg(ch, "read of %zu bytes, next message has %u\n",
			       count, len);
		ret = -EINVAL;
	} else if (copy_to_user(ubuf, bproc_msg_wire(msg), len)) {
		ret = -EFAULT;
	} else {
		spin_lock(&ch->lock);
		list_del(&msg->list);
		ch->queued -= len;
		spin_unlock(&ch->lock);
		bproc_msg_free(msg);
		wake_up(&ch->space_wq);
		ret = len;
	}
	mutex_unlock(&ch->read_mutex);
	return ret;
}

/*
 * Check the framing of a daemon->kernel message: the kernel's copy, @count
 * bytes long.  What the fields mean for a message type is dispatch's job.
 */
static int bproc_chan_check_hdr(struct bproc_chan *ch,
				const struct bproc_msg_hdr *hdr, size_t count)
{
	if (hdr->len != count) {
		bproc_chan_dbg(ch, "write of %zu bytes, hdr.len %u\n",
			       count, hdr->len);
		return -EINVAL;
	}
	if (hdr->flags & ~BPROC_MSGF_ALL) {
		bproc_chan_dbg(ch, "unknown flags %#x\n", hdr->flags);
		return -EINVAL;
	}
	if (hdr->pad) {
		bproc_chan_dbg(ch, "hdr.pad is not zero\n");
		return -EINVAL;
	}
	if (!(hdr->flags & BPROC_MSGF_REPLY) && hdr->result) {
		bproc_chan_dbg(ch, "request with hdr.result %d\n",
			       hdr->result);
		return -EINVAL;
	}
	return 0;
}

/* write(): exactly one whole message; returns @count once it was handled. */
static ssize_t bproc_chan_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct bproc_chan *ch = file->private_data;
	struct bproc_msg_hdr *hdr;
	ssize_t ret;

	/* Bound the copy before anything the daemon wrote is looked at. */
	if (count < sizeof(*hdr) || count > BPROC_MSG_MAX) {
		bproc_chan_dbg(ch, "write of %zu bytes is no message\n", count);
		return -EINVAL;
	}

	/*
	 * One copy of the whole message; from here on only the kernel's copy
	 * is read, so the daemon cannot change a field after it was checked.
	 */
	hdr = vmemdup_user(ubuf, count);
	if (IS_ERR(hdr))
		return PTR_ERR(hdr);

	ret = bproc_chan_check_hdr(ch, hdr, count);
	if (ret)
		goto out_free;

	ret = mutex_lock_interruptible(&ch->write_mutex);
	if (ret)
		goto out_free;
	ret = ch->dev->dispatch(ch, hdr);
	mutex_unlock(&ch->write_mutex);
	if (!ret)
		ret = count;

out_free:
	kvfree(hdr);
	return ret;
}

/* Writes never block; reads do while the queue is empty. */
static __poll_t bproc_chan_poll(struct file *file, poll_table *wait)
{
	struct bproc_chan *ch = file->private_data;
	__poll_t mask = EPOLLOUT | EPOLLWRNORM;

	poll_wait(file, &ch->waitq, wait);
	if (bproc_chan_pending(ch))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

/* A device's own ioctls, once its daemon said HELLO. */
static long bproc_chan_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	struct bproc_chan *ch = file->private_data;
	long ret;

	if (!ch->dev->ioctl)
		return -ENOTTY;
	ret = mutex_lock_interruptible(&ch->write_mutex);
	if (ret)
		return ret;
	if (ch->state != BPROC_CHAN_READY)
		ret = -EPROTO;
	else
		ret = ch->dev->ioctl(ch, cmd, arg);
	mutex_unlock(&ch->write_mutex);
	return ret;
}

const struct file_operations bproc_chan_fops = {
	.owner		= THIS_MODULE,
	.open		= bproc_chan_open,
	.release	= bproc_chan_release,
	.read		= bproc_chan_read,
	.write		= bproc_chan_write,
	.poll		= bproc_chan_poll,
	.unlocked_ioctl	= bproc_chan_ioctl,
	.llseek		= no_llseek,
};
