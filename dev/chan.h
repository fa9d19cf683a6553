/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon message channel (dev/chan.c): the transport shared by
 * /dev/bproc/master and /dev/bproc/slave.  The protocol on top of it (which
 * message is legal when, and what it does) is dev/daemon.c.
 */
#ifndef BPROC_DEV_CHAN_H
#define BPROC_DEV_CHAN_H

#include <linux/bproc.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

struct bproc_chan;
struct pid_namespace;

/* Which daemon device a session is on (a bit in the message table). */
enum bproc_chan_kind {
	BPROC_CHAN_MASTER,
	BPROC_CHAN_SLAVE,
};

/* Session states (a bit in the message table). */
enum bproc_chan_state {
	BPROC_CHAN_NEW,		/* opened; the daemon has not said HELLO */
	BPROC_CHAN_READY,	/* HELLO done */
};

/**
 * struct bproc_chan_dev - a daemon device
 * @misc:      the misc device; its fops are bproc_chan_fops.
 * @kind:      BPROC_CHAN_MASTER or BPROC_CHAN_SLAVE.
 * @exclusive: at most one open file at a time; a second open() gets -EBUSY.
 * @busy:      bit 0 set while an exclusive device is open.
 * @dispatch:  called for every well-framed daemon->kernel message, with the
 *             session's write mutex held; @hdr is the kernel's copy of the
 *             whole message (hdr->len bytes).  Returns 0 or a negative errno
 *             for write() to return.
 * @release:   called when a session ends (its last close), before it is
 *             freed; may sleep.  Optional.
 * @ioctl:     the device's ioctls, on a greeted session.  Optional (-ENOTTY).
 */
struct bproc_chan_dev {
	struct miscdevice misc;
	enum bproc_chan_kind kind;
	bool exclusive;
	unsigned long busy;
	int (*dispatch)(struct bproc_chan *ch, const struct bproc_msg_hdr *hdr);
	void (*release)(struct bproc_chan *ch);
	long (*ioctl)(struct bproc_chan *ch, unsigned int cmd, unsigned long arg);
};

/**
 * struct bproc_chan - one session: one open file of a daemon device
 * @dev:         the device the session is on.
 * @lock:        protects @queue.
 * @queue:       kernel->daemon messages (struct bproc_msg), oldest first.
 * @waitq:       readers and pollers wait here for @queue to fill.
 * @read_mutex:  serialises read(); only its holder unlinks from @queue.
 * @write_mutex: serialises dispatch of written messages; protects @state
 *               and @peer_*.
 * @state:       BPROC_CHAN_*.
 * @peer_major:  protocol version the daemon announced in its HELLO.
 * @peer_minor:
 * @refs:        the open file holds one; so does whoever streams into the
 *               session (bproc_chan_get()); the last put frees it.
 * @dead:        the file was closed: nobody reads any more (under @lock).
 * @queued:      bytes queued (under @lock).
 * @space_wq:    writers waiting for @queued to drop (bproc_chan_wait_space).
 * @node:        the node the session speaks for: BPROC_NODE_MASTER on the
 *               master device; on the slave device, the NODES message's
 *               self (BPROC_NODE_NONE before).  Set under @write_mutex,
 *               read with READ_ONCE().
 * @node_ns:     slave device: the node's PID namespace (BPROC_IOC_NODE_NS;
 *               a reference), or NULL; set once, under dev/req.c's lock.
 * @mirror_gen:  slave device: the node table generation this session
 *               mirrors (module/nodes.c; 0: none).  Under its mutex.
 * @slaves:      slave device: link in dev/req.c's list of node sessions.
 */
struct bproc_chan {
	struct bproc_chan_dev *dev;
	spinlock_t lock;		/* protects queue */
	struct list_head queue;
	wait_queue_head_t waitq;
	struct mutex read_mutex;	/* serialises read() */
	struct mutex write_mutex;	/* serialises dispatch; state, peer_* */
	enum bproc_chan_state state;
	u16 peer_major;
	u16 peer_minor;
	refcount_t refs;
	bool dead;
	size_t queued;
	wait_queue_head_t space_wq;
	int node;
	struct pid_namespace *node_ns;
	u64 mirror_gen;
	struct list_head slaves;
};

static inline void bproc_chan_get(struct bproc_chan *ch)
{
	refcount_inc(&ch->refs);
}

void bproc_chan_put(struct bproc_chan *ch);

/*
 * Wait (killable) until fewer than @limit bytes are queued on @ch.  Returns
 * 0, -ECONNRESET if the session ended, -EINTR on a fatal signal.
 */
int bproc_chan_wait_space(struct bproc_chan *ch, size_t limit);

/**
 * struct bproc_msg - a kernel->daemon message
 * @list: link in the session's queue.
 * @hdr:  the message as the daemon reads it: header, then the body, hdr.len
 *        bytes in all.  Use bproc_msg_wire() to fill in a typed message.
 * @body: the rest of the message after the header.
 */
struct bproc_msg {
	struct list_head list;
	struct bproc_msg_hdr hdr;
	u8 body[];
};

/* The message as it goes on the wire, for filling in a typed struct. */
static inline void *bproc_msg_wire(struct bproc_msg *msg)
{
	return &msg->hdr;
}

struct bproc_msg *bproc_msg_alloc(u16 type, u32 len, gfp_t gfp);
void bproc_msg_free(struct bproc_msg *msg);
void bproc_chan_queue(struct bproc_chan *ch, struct bproc_msg *msg);

extern const struct file_operations bproc_chan_fops;

/*
 * Log lines about a session name the device and the process using it:
 *   bproc: /dev/bproc/slave: bpslave[123]: protocol error: ...
 * Daemons trigger them, so they are rate limited.
 */
#define bproc_chan_warn(ch, fmt, ...)					\
	pr_warn_ratelimited("/dev/%s: %s[%d]: " fmt,			\
			    (ch)->dev->misc.nodename, current->comm,	\
			    task_pid_nr(current), ##__VA_ARGS__)

#define bproc_chan_dbg(ch, fmt, ...)					\
	pr_debug_ratelimited("/dev/%s: %s[%d]: " fmt,			\
			     (ch)->dev->misc.nodename, current->comm,	\
			     task_pid_nr(current), ##__VA_ARGS__)

#endif /* BPROC_DEV_CHAN_H */
