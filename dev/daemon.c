// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon devices and their protocol.
 *
 *   /dev/bproc/master  bpmaster's channel to the kernel; one holder at a time.
 *   /dev/bproc/slave   bpslave's channel; each open is one node's session.
 *
 * Both are dev/chan.c sessions; this file says what the messages mean.  A
 * daemon->kernel message is dispatched through bproc_msg_table, indexed by
 * message type (after OpenSSH's monitor mon_table): the table says on which
 * device and in which session state a type is legal and how long it must
 * be, so a handler only ever sees a message it may act on and can read
 * every field of its struct.
 *
 * Session rule: the first message must be a HELLO with our major protocol
 * version.  Anything else gets -EPROTO and a log line, and the session stays
 * un-greeted so the daemon can try again.  After a good HELLO the kernel
 * queues its own HELLO, the reply, for the daemon to read.
 * Documentation/protocol.md describes the protocol as built.
 *
 * Calls go one way: handlers call up into the node table (module/nodes.c)
 * and the ghosts (module/ghost_*.c, calls.c, return.c); those never call
 * back here, but down into dev/notify.c (the messages the kernel sends)
 * and dev/req.c (bpmaster's session, the requests waiting for replies).
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/bitops.h>
#include <linux/cred.h>
#include <linux/bproc.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/nospec.h>
#include <linux/overflow.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>

#include "calls.h"
#include "chan.h"
#include "daemon.h"
#include "ghost_io.h"
#include "ghost_loop.h"
#include "ghost_table.h"
#include "nodes.h"
#include "notify.h"
#include "req.h"
#include "return.h"

/* Where a type is legal: a mask of BIT(enum bproc_chan_kind). */
#define BPROC_ON_MASTER		BIT(BPROC_CHAN_MASTER)
#define BPROC_ON_SLAVE		BIT(BPROC_CHAN_SLAVE)
#define BPROC_ON_BOTH		(BPROC_ON_MASTER | BPROC_ON_SLAVE)

/* When a type is legal: a mask of BIT(enum bproc_chan_state). */
#define BPROC_IN_NEW		BIT(BPROC_CHAN_NEW)
#define BPROC_IN_READY		BIT(BPROC_CHAN_READY)

/**
 * struct bproc_msg_handler - how one daemon->kernel message type is handled
 * @name:      type name, for log lines.
 * @devices:   BPROC_ON_*: devices on which the type is legal.
 * @states:    BPROC_IN_*: session states in which the type is legal.  Only
 *             HELLO may be legal in BPROC_CHAN_NEW.
 * @bad_state: errno for the type in a greeted session whose state is not in
 *             @states (-EPROTO if 0).
 * @min_len:   bounds of hdr.len, header included.
 * @max_len:
 * @handle:    acts on the message; called with the session's write_mutex
 *             held.  Returns 0 or a negative errno for write() to return.
 */
struct bproc_msg_handler {
	const char *name;
	u8 devices;
	u8 states;
	int bad_state;
	u32 min_len;
	u32 max_len;
	int (*handle)(struct bproc_chan *ch, const struct bproc_msg_hdr *hdr);
};

/* A session ends: it no longer owns the node table or answers requests. */
static void bproc_daemon_release(struct bproc_chan *ch)
{
	/* Moves from a slave wait for bpslave: they fail too. */
	if (bproc_req_session_gone(ch))
		/* Nobody can reach the remote processes any more. */
		bproc_ghosts_kill_all();
	mutex_lock(&ch->write_mutex);
	bproc_nodes_owner_gone(ch, ch->mirror_gen);
	mutex_unlock(&ch->write_mutex);
}

/* ------------------------------------------------------------------ */
/* HELLO                                                              */
/* ------------------------------------------------------------------ */

static int bproc_msg_hello(struct bproc_chan *ch,
			   const struct bproc_msg_hdr *hdr)
{
	/* The table checked hdr->len == sizeof(*hello). */
	const struct bproc_msg_hello *hello = (const void *)hdr;
	int err;

	if (hdr->flags & BPROC_MSGF_REPLY) {
		bproc_chan_warn(ch, "protocol error: HELLO is marked as a reply\n");
		return -EPROTO;
	}
	if (memchr_inv(hello->reserved, 0, sizeof(hello->reserved))) {
		bproc_chan_dbg(ch, "HELLO with non-zero reserved fields\n");
		return -EINVAL;
	}
	if (hello->major != BPROC_PROTO_MAJOR) {
		bproc_chan_warn(ch, "protocol error: daemon speaks protocol %u.%u, kernel speaks %u.%u\n",
				hello->major, hello->minor,
				BPROC_PROTO_MAJOR, BPROC_PROTO_MINOR);
		return -EPROTO;
	}

	/* The reply first, so that -ENOMEM changes nothing. */
	err = bproc_notify_hello(ch, hdr->id);
	if (err)
		return err;
	ch->peer_major = hello->major;
	ch->peer_minor = hello->minor;
	ch->state = BPROC_CHAN_READY;

	/* The master device has one holder: its session is now bpmaster's. */
	if (ch->dev->kind == BPROC_CHAN_MASTER)
		bproc_req_set_master(ch);

	bproc_chan_dbg(ch, "HELLO: daemon speaks protocol %u.%u\n",
		       hello->major, hello->minor);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The node table                                                     */
/* ------------------------------------------------------------------ */

static int bproc_msg_nodes(struct bproc_chan *ch,
			   const struct bproc_msg_hdr *hdr)
{
	const struct bproc_msg_nodes *m = (const void *)hdr;
	bool master = ch->dev->kind == BPROC_CHAN_MASTER;
	int err;

	if (hdr->flags || m->reserved)
		return -EINVAL;
	if (m->numnodes < 0 || m->numnodes > BPROC_NODES_MAX) {
		bproc_chan_dbg(ch, "NODES: %d nodes, at most %d\n",
			       m->numnodes, BPROC_NODES_MAX);
		return -EINVAL;
	}
	if (master ? m->self != BPROC_NODE_MASTER :
		     m->self < 0 || m->self >= m->numnodes) {
		bproc_chan_dbg(ch, "NODES: self %d invalid here\n", m->self);
		return -EINVAL;
	}
	if (!master && ch->node != BPROC_NODE_NONE && ch->node != m->self) {
		/* Its namespace is that node's: one node per session. */
		bproc_chan_dbg(ch, "NODES: self %d, but the session is node %d\n",
			       m->self, ch->node);
		return -EINVAL;
	}
	err = bproc_nodes_set_size(ch, master, m->numnodes, m->self,
				   m->master_addr, &ch->mirror_gen);
	if (!err && !master) {
		/* This slave session now speaks for its node. */
		WRITE_ONCE(ch->node, m->self);
		bproc_req_set_slave(ch);
	}
	if (!err)
		bproc_chan_dbg(ch, "NODES: %d nodes, self %d\n", m->numnodes,
			       m->self);
	return err;
}

static int bproc_msg_node_set(struct bproc_chan *ch,
			      const struct bproc_msg_hdr *hdr)
{
	const struct bproc_msg_node_set *m = (const void *)hdr;
	size_t len;

	if (hdr->flags || m->reserved)
		return -EINVAL;
	/* The table bounded hdr->len, so count * 32 cannot overflow a size_t. */
	len = struct_size(m, entries, m->count);
	if (!m->count || len != hdr->len) {
		bproc_chan_dbg(ch, "NODE_SET: %u entries in %u bytes\n",
			       m->count, hdr->len);
		return -EINVAL;
	}
	return bproc_nodes_apply(ch, ch->mirror_gen, m->entries, m->count,
				 ch->dev->kind == BPROC_CHAN_SLAVE);
}

/* bpmaster's answer to a BPROC_MSG_NODE_REQ. */
static int bproc_msg_node_req(struct bproc_chan *ch,
			      const struct bproc_msg_hdr *hdr)
{
	const struct bproc_msg_node_req *m = (const void *)hdr;
	int result = hdr->result;

	if (!(hdr->flags & BPROC_MSGF_REPLY) || m->reserved)
		return -EINVAL;
	if (result > 0 || result < -MAX_ERRNO) {
		bproc_chan_dbg(ch, "NODE_REQ reply with result %d\n", result);
		return -EINVAL;
	}

	if (!bproc_req_complete(ch, hdr->id, result))
		bproc_chan_dbg(ch, "NODE_REQ reply %llu answers no pending request\n",
			       hdr->id);
	return 0;
}

/* The daemon's answer to a BPROC_MSG_MOVE: did the process arrive? */
static int bproc_msg_move(struct bproc_chan *ch,
			  const struct bproc_msg_hdr *hdr)
{
	int result = hdr->result;

	if (!(hdr->flags & BPROC_MSGF_REPLY))
		return -EINVAL;
	if (result > 0 || result < -MAX_ERRNO)
		return -EINVAL;
	if (!bproc_req_complete(ch, hdr->id, result))
		bproc_chan_dbg(ch, "MOVE reply %llu answers no pending move\n",
			       hdr->id);
	return 0;
}

/* A remote process ended, or wrote output: its ghost acts on it. */
static int bproc_msg_exit(struct bproc_chan *ch,
			  const struct bproc_msg_hdr *hdr)
{
	const struct bproc_msg_exit *m = (const void *)hdr;
	int st = m->status;

	if (hdr->flags || m->reserved[0] || m->reserved[1] ||
	    m->pid <= 0 || m->pid > BPROC_PID_MAX)
		return -EINVAL;
	/* Exited with a code, or killed by a signal (core flag allowed). */
	if ((st & 0x7f) ? (st & ~0xff) || (st & 0x7f) == 0x7f || (st & 0x7f) > 64
			: (st & ~0xff00))
		return -EINVAL;
	bproc_ghost_remote_exited(m->pid, st);
	return 0;
}

/* A PID-space call of a remote process, for its ghost to make. */
static int bproc_msg_call(struct bproc_chan *ch, const struct bproc_msg_hdr *hdr)
{
	const struct bproc_msg_call *m = (const void *)hdr;

	if (hdr->flags || !hdr->id || m->pid <= 0 || m->pid > BPROC_PID_MAX)
		return -EINVAL;
	return bproc_ghost_remote_call(m->pid, hdr->id, m->nr, m->args, &m->cred,
				       m->data, hdr->len - sizeof(*m));
}

/* A remote process moved from node to node: its ghost follows. */
static int bproc_msg_where(struct bproc_chan *ch,
			   const struct bproc_msg_hdr *hdr)
{
	const struct bproc_msg_where *m = (const void *)hdr;

	if (hdr->flags || m->reserved || m->pid <= 0 || m->pid > BPROC_PID_MAX ||
	    bproc_node_status(m->node) < 0)
		return -EINVAL;
	bproc_ghost_remote_moved(m->pid, m->node);
	return 0;
}

static int bproc_msg_pstate(struct bproc_chan *ch,
			    const struct bproc_msg_hdr *hdr)
{
	const struct bproc_msg_pstate *m = (const void *)hdr;

	if (hdr->flags || m->reserved[0] || m->reserved[1] ||
	    m->pid <= 0 || m->pid > BPROC_PID_MAX || m->sig < 1 || m->sig > 64)
		return -EINVAL;
	bproc_ghost_remote_stopped(m->pid, m->sig);
	return 0;
}

static int bproc_msg_io(struct bproc_chan *ch, const struct bproc_msg_hdr *hdr)
{
	const struct bproc_msg_io *m = (const void *)hdr;

	if (hdr->flags || m->reserved || m->pid <= 0 || m->pid > BPROC_PID_MAX ||
	    (m->stream != 1 && m->stream != 2))
		return -EINVAL;
	return bproc_ghost_remote_output(m->pid, m->stream, m->data,
					 hdr->len - sizeof(*m));
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                           */
/* ------------------------------------------------------------------ */

static const struct bproc_msg_handler bproc_msg_table[] = {
	[BPROC_MSG_HELLO] = {
		.name		= "HELLO",
		.devices	= BPROC_ON_BOTH,
		.states		= BPROC_IN_NEW,
		.bad_state	= -EALREADY,
		.min_len	= sizeof(struct bproc_msg_hello),
		.max_len	= sizeof(struct bproc_msg_hello),
		.handle		= bproc_msg_hello,
	},
	[BPROC_MSG_NODES] = {
		.name		= "NODES",
		.devices	= BPROC_ON_BOTH,
		.states		= BPROC_IN_READY,
		.min_len	= sizeof(struct bproc_msg_nodes),
		.max_len	= sizeof(struct bproc_msg_nodes),
		.handle		= bproc_msg_nodes,
	},
	[BPROC_MSG_NODE_SET] = {
		.name		= "NODE_SET",
		.devices	= BPROC_ON_BOTH,
		.states		= BPROC_IN_READY,
		.min_len	= sizeof(struct bproc_msg_node_set) +
				  sizeof(struct bproc_node_entry),
		.max_len	= BPROC_MSG_MAX,
		.handle		= bproc_msg_node_set,
	},
	[BPROC_MSG_NODE_REQ] = {
		.name		= "NODE_REQ",
		.devices	= BPROC_ON_MASTER,
		.states		= BPROC_IN_READY,
		.min_len	= sizeof(struct bproc_msg_node_req),
		.max_len	= sizeof(struct bproc_msg_node_req),
		.handle		= bproc_msg_node_req,
	},
	[BPROC_MSG_MOVE] = {
		.name		= "MOVE",
		.devices	= BPROC_ON_BOTH,
		.states		= BPROC_IN_READY,
		.min_len	= sizeof(struct bproc_msg_move),
		.max_len	= sizeof(struct bproc_msg_move),
		.handle		= bproc_msg_move,
	},
	[BPROC_MSG_EXIT] = {
		.name		= "EXIT",
		.devices	= BPROC_ON_MASTER,
		.states		= BPROC_IN_READY,
		.min_len	= sizeof(struct bproc_msg_exit),
		.max_len	= sizeof(struct bproc_msg_exit),
		.handle		= bproc_msg_exit,
	},
	[BPROC_MSG_PSTATE] = {
		.name		= "PSTATE",
		.devices	= BPROC_ON_MASTER,
		.states		= BPROC_IN_READY,
		.min_len	= sizeof(struct bproc_msg_pstate),
		.max_len	= sizeof(struct bproc_msg_pstate),
		.handle		= bproc_msg_pstate,
	},
	[BPROC_MSG_WHERE] = {
		.name		= "WHERE",
		.devices	= BPROC_ON_MASTER,
		.states		= BPROC_IN_READY,
		.min_len	= sizeof(struct bproc_msg_where),
		.max_len	= sizeof(struct bproc_msg_where),
		.handle		= bproc_msg_where,
	},
	[BPROC_MSG_CALL] = {
		.name		= "CALL",
		.devices	= BPROC_ON_MASTER,
		.states		= BPROC_IN_READY,
		.min_len	= sizeof(struct bproc_msg_call),
		.max_len	= sizeof(struct bproc_msg_call) + BPROC_SIGINFO_SIZE,
		.handle		= bproc_msg_call,
	},
	[BPROC_MSG_IO] = {
		.name		= "IO",
		.devices	= BPROC_ON_MASTER,
		.states		= BPROC_IN_READY,
		.min_len	= sizeof(struct bproc_msg_io),
		.max_len	= BPROC_MSG_MAX,
		.handle		= bproc_msg_io,
	},
};

/* The handler of @type on @ch's device, or NULL if there is none. */
static const struct bproc_msg_handler *
bproc_msg_lookup(struct bproc_chan *ch, u16 type)
{
	const struct bproc_msg_handler *h;

	if (type >= ARRAY_SIZE(bproc_msg_table))
		return NULL;
	/* @type comes from user space: no speculative out-of-bounds load. */
	h = &bproc_msg_table[array_index_nospec(type,
						ARRAY_SIZE(bproc_msg_table))];
	if (!h->handle || !(h->devices & BIT(ch->dev->kind)))
		return NULL;
	return h;
}

/* dev/chan.c calls this with ch->write_mutex held and the framing checked. */
static int bproc_daemon_dispatch(struct bproc_chan *ch,
				 const struct bproc_msg_hdr *hdr)
{
	const struct bproc_msg_handler *h = bproc_msg_lookup(ch, hdr->type);

	lockdep_assert_held(&ch->write_mutex);

	if (ch->state == BPROC_CHAN_NEW && (!h || !(h->states & BPROC_IN_NEW))) {
		bproc_chan_warn(ch, "protocol error: first message must be HELLO, got type %u\n",
				hdr->type);
		return -EPROTO;
	}
	if (!h) {
		bproc_chan_dbg(ch, "message type %u not supported here\n",
			       hdr->type);
		return -EOPNOTSUPP;
	}
	if (!(h->states & BIT(ch->state))) {
		bproc_chan_dbg(ch, "%s not allowed now\n", h->name);
		return h->bad_state ?: -EPROTO;
	}
	if (hdr->len < h->min_len || hdr->len > h->max_len) {
		bproc_chan_dbg(ch, "%s of %u bytes, must be %u..%u\n",
			       h->name, hdr->len, h->min_len, h->max_len);
		return -EINVAL;
	}
	return h->handle(ch, hdr);
}

/* ------------------------------------------------------------------ */
/* bpmaster's ioctls                                                  */
/* ------------------------------------------------------------------ */

/* BPROC_IOC_RETURN: a process comes back; its image arrives in a pipe. */
static long bproc_ioc_return(struct bproc_chan *ch, void __user *uarg)
{
	struct bproc_return_req req;
	struct file *src;
	long err;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	if (!req.id || req.flags || req.reserved || req.pid <= 0 ||
	    req.pid > BPROC_PID_MAX || bproc_node_status(req.node) < 0)
		return -EINVAL;
	src = fget(req.fd);
	if (!src)
		return -EBADF;
	err = -EBADF;
	if ((src->f_mode & FMODE_READ) && S_ISFIFO(file_inode(src)->i_mode))
		err = bproc_ghost_remote_return(req.pid, req.node, req.id, src);
	fput(src);
	return err;
}

static long bproc_master_ioctl(struct bproc_chan *ch, unsigned int cmd,
			       unsigned long arg)
{
	switch (cmd) {
	case BPROC_IOC_RETURN:
		return bproc_ioc_return(ch, (void __user *)arg);
	default:
		return -ENOTTY;
	}
}

/* ------------------------------------------------------------------ */
/* The devices                                                        */
/* ------------------------------------------------------------------ */

static struct bproc_chan_dev bproc_master_dev = {
	.misc = {
		.minor		= MISC_DYNAMIC_MINOR,
		.name		= "bproc_master",
		.nodename	= "bproc/master",
		.mode		= 0600,
		.fops		= &bproc_chan_fops,
	},
	.kind		= BPROC_CHAN_MASTER,
	.exclusive	= true,
	.dispatch	= bproc_daemon_dispatch,
	.release	= bproc_daemon_release,
	.ioctl		= bproc_master_ioctl,
};

/* ------------------------------------------------------------------ */
/* bpslave's ioctls                                                   */
/* ------------------------------------------------------------------ */

static long bproc_ioc_task_groups(void __user *arg)
{
	struct user_namespace *ns = current_user_ns();
	struct bproc_task_groups tg;
	const struct group_info *gi;
	const struct cred *cred;
	struct task_struct *t;
	unsigned int i, n;
	long err = 0;

	if (copy_from_user(&tg, arg, sizeof(tg)))
		return -EFAULT;
	if (tg.pid <= 0 || tg.pid > BPROC_PID_MAX || tg.reserved)
		return -EINVAL;
	rcu_read_lock();
	t = pid_task(find_vpid(tg.pid), PIDTYPE_PID);
	if (!t) {
		err = -ESRCH;
		goto out;
	}
	cred = __task_cred(t);
	if (from_kuid(ns, cred->fsuid) != tg.fsuid ||
	    from_kgid(ns, cred->fsgid) != tg.fsgid) {
		err = -ESRCH;	/* not the asker (any more) */
		goto out;
	}
	gi = cred->group_info;
	n = min_t(unsigned int, gi->ngroups, BPROC_TASK_GROUPS_MAX);
	for (i = 0; i < n; i++)
		tg.groups[i] = from_kgid(ns, gi->gid[i]);	/* unmapped: -1 */
	tg.ngroups = n;
out:
	rcu_read_unlock();
	if (err)
		return err;
	memset(tg.groups + n, 0, (BPROC_TASK_GROUPS_MAX - n) * sizeof(tg.groups[0]));
	return copy_to_user(arg, &tg, sizeof(tg)) ? -EFAULT : 0;
}

/* BPROC_IOC_NODE_NS: the session's node is the namespace of our child's. */
static long bproc_ioc_node_ns(struct bproc_chan *ch, void __user *arg)
{
	__s32 pid;

	if (get_user(pid, (__s32 __user *)arg))
		return -EFAULT;
	return bproc_req_set_node_ns(ch, pid);
}

static long bproc_slave_ioctl(struct bproc_chan *ch, unsigned int cmd,
			      unsigned long arg)
{
	switch (cmd) {
	case BPROC_IOC_TASK_GROUPS:
		return bproc_ioc_task_groups((void __user *)arg);
	case BPROC_IOC_NODE_NS:
		return bproc_ioc_node_ns(ch, (void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static struct bproc_chan_dev bproc_slave_dev = {
	.misc = {
		.minor		= MISC_DYNAMIC_MINOR,
		.name		= "bproc_slave",
		.nodename	= "bproc/slave",
		.mode		= 0600,
		.fops		= &bproc_chan_fops,
	},
	.kind		= BPROC_CHAN_SLAVE,
	.exclusive	= false,
	.dispatch	= bproc_daemon_dispatch,
	.release	= bproc_daemon_release,
	.ioctl		= bproc_slave_ioctl,
};

int __init bproc_daemon_init(void)
{
	int err;

	err = misc_register(&bproc_master_dev.misc);
	if (err) {
		pr_err("cannot register /dev/%s: %d\n",
		       bproc_master_dev.misc.nodename, err);
		return err;
	}
	err = misc_register(&bproc_slave_dev.misc);
	if (err) {
		pr_err("cannot register /dev/%s: %d\n",
		       bproc_slave_dev.misc.nodename, err);
		goto out_deregister_master;
	}
	return 0;

out_deregister_master:
	misc_deregister(&bproc_master_dev.misc);
	return err;
}

void bproc_daemon_exit(void)
{
	misc_deregister(&bproc_slave_dev.misc);
	misc_deregister(&bproc_master_dev.misc);
}
