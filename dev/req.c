// SPDX-License-Identifier: GPL-2.0
/*
 * The daemons' sessions as the rest of the module reaches them, and the
 * requests the kernel makes of them (as fs/fuse/dev.c's request list).
 *
 * bproc_master_get() gives bpmaster's greeted session, bproc_daemon_get()
 * the session of the node the caller is on; dev/daemon.c tells which
 * sessions those are.
 *
 * One slave kernel may be several nodes: each bpslave session that sized
 * the node table speaks for one (its NODES's self), and names its node's
 * PID namespace (BPROC_IOC_NODE_NS).  A process is on the node whose
 * namespace is its own or holds its own: its moves, calls and end go to
 * that session.  A process of the kernel's initial namespace (bpslave,
 * the slave image's init) is on no node of its own; it is told the oldest
 * session's node, which is the node when the kernel is one.
 * A request (struct bproc_req) is a message with an id the daemon answers
 * with a reply of the same id: bproc_req_start() makes it pending, the
 * message goes out with its id (dev/notify.c), bproc_req_wait() waits.
 * A request belongs to the session it was sent on: only a reply written
 * to that session completes it (a slave session cannot answer bpmaster's
 * requests, whatever ids it tries).  When the session goes away, its
 * pending requests fail with -ECONNRESET; bproc_master_lock orders that
 * against a request started for the session.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/bproc.h>
#include <linux/completion.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>

#include "chan.h"
#include "nodes.h"
#include "notify.h"
#include "req.h"

/* The greeted session of /dev/bproc/master, or NULL. */
static DEFINE_MUTEX(bproc_master_lock);
static struct bproc_chan *bproc_master_chan;
/* On a slave: bpslave's sessions that sized the node table, oldest first. */
static LIST_HEAD(bproc_slave_chans);

static DEFINE_SPINLOCK(bproc_req_lock);
static LIST_HEAD(bproc_reqs);
static u64 bproc_req_seq;

/* Finish @ch's pending requests with @result.  Caller holds bproc_req_lock. */
static void bproc_reqs_fail_all(struct bproc_chan *ch, int result)
{
	struct bproc_req *req, *next;

	lockdep_assert_held(&bproc_req_lock);
	list_for_each_entry_safe(req, next, &bproc_reqs, list) {
		if (req->ch != ch)
			continue;
		list_del_init(&req->list);
		req->result = result;
		complete(&req->done);
	}
}

struct bproc_chan *bproc_master_get(void)
{
	struct bproc_chan *ch;

	mutex_lock(&bproc_master_lock);
	ch = bproc_master_chan;
	if (ch)
		bproc_chan_get(ch);
	mutex_unlock(&bproc_master_lock);
	return ch;
}

void bproc_master_put(struct bproc_chan *ch)
{
	bproc_chan_put(ch);
}

/*
 * The node namespace holding @ns: its ancestor one level below the
 * initial namespace; NULL for the initial namespace itself.
 */
static struct pid_namespace *node_ns_of(struct pid_namespace *ns)
{
	if (!ns || !ns->level)
		return NULL;
	while (ns->level > 1)
		ns = ns->parent;
	return ns;
}

/*
 * The slave session of node namespace @ns (NULL: the initial namespace,
 * whose processes get the oldest session), or NULL.  Caller holds
 * bproc_master_lock.
 */
static struct bproc_chan *slave_of_ns_locked(struct pid_namespace *ns)
{
	struct bproc_chan *ch;

	lockdep_assert_held(&bproc_master_lock);
	if (!ns)
		return list_first_entry_or_null(&bproc_slave_chans,
						 struct bproc_chan, slaves);
	list_for_each_entry(ch, &bproc_slave_chans, slaves)
		if (ch->node_ns == ns)
			return ch;
	return NULL;
}

struct bproc_chan *bproc_daemon_get_ns(struct pid_namespace *ns)
{
	struct bproc_chan *ch;

	mutex_lock(&bproc_master_lock);
	ch = bproc_nodes_self() == BPROC_NODE_MASTER ? bproc_master_chan :
		slave_of_ns_locked(node_ns_of(ns));
	if (ch)
		bproc_chan_get(ch);
	mutex_unlock(&bproc_master_lock);
	return ch;
}

struct bproc_chan *bproc_daemon_get(void)
{
	return bproc_daemon_get_ns(task_active_pid_ns(current));
}

int bproc_node_here(void)
{
	struct bproc_chan *ch;
	int node;

	if (bproc_nodes_self() == BPROC_NODE_MASTER)
		return BPROC_NODE_MASTER;
	ch = bproc_daemon_get();
	if (!ch)
		return bproc_nodes_self();	/* no session: the table's */
	node = READ_ONCE(ch->node);
	bproc_master_put(ch);
	return node;
}

int bproc_req_set_node_ns(struct bproc_chan *ch, int pid)
{
	struct pid_namespace *mine = task_active_pid_ns(current);
	struct pid_namespace *ns = NULL;
	struct task_struct *t;
	int err = 0;

	if (pid <= 0 || pid > BPROC_PID_MAX)
		return -EINVAL;
	/* The init of a namespace just below ours, and our child. */
	rcu_read_lock();
	t = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (!t) {
		err = -ESRCH;
	} else {
		ns = task_active_pid_ns(t);
		if (!ns || ns->parent != mine || READ_ONCE(ns->child_reaper) != t ||
		    !same_thread_group(rcu_dereference(t->real_parent), current))
			err = -EINVAL;
		else
			get_pid_ns(ns);
	}
	rcu_read_unlock();
	if (err)
		return err;

	mutex_lock(&bproc_master_lock);
	if (list_empty(&ch->slaves))
		err = -EPROTO;		/* no NODES yet */
	else if (ch->node_ns)
		err = -EALREADY;
	else if (slave_of_ns_locked(ns))
		err = -EBUSY;
	if (!err) {
		ch->node_ns = ns;
		ns = NULL;
	}
	mutex_unlock(&bproc_master_lock);
	if (ns)
		put_pid_ns(ns);
	return err;
}

void bproc_req_start(struct bproc_req *req, struct bproc_chan *ch)
{
	init_completion(&req->done);
	req->ch = ch;
	req->result = 0;
	spin_lock(&bproc_req_lock);
	req->id = ++bproc_req_seq;
	list_add_tail(&req->list, &bproc_reqs);
	spin_unlock(&bproc_req_lock);
}

int bproc_req_wait(struct bproc_req *req, unsigned long timeout, bool killable)
{
	long left;

	if (killable)
		left = wait_for_completion_killable_timeout(&req->done, timeout);
	else
		left = wait_for_completion_interruptible_timeout(&req->done,
								 timeout);
	spin_lock(&bproc_req_lock);
	if (!list_empty(&req->list)) {
		/* Not answered: give up (a late reply finds nothing). */
		list_del(&req->list);
		req->result = left < 0 ? -EINTR : -ETIMEDOUT;
	}
	spin_unlock(&bproc_req_lock);
	return req->result;
}

bool bproc_req_complete(struct bproc_chan *ch, u64 id, int result)
{
	struct bproc_req *req;

	spin_lock(&bproc_req_lock);
	list_for_each_entry(req, &bproc_reqs, list) {
		if (req->id == id && req->ch == ch) {
			list_del_init(&req->list);
			req->result = result;
			complete(&req->done);
			spin_unlock(&bproc_req_lock);
			return true;
		}
	}
	spin_unlock(&bproc_req_lock);
	return false;
}

int bproc_req_node(int node, u32 what, u32 arg)
{
	struct bproc_req req;
	int err;

	mutex_lock(&bproc_master_lock);
	if (!bproc_master_chan) {
		mutex_unlock(&bproc_master_lock);
		return -ENOTCONN;
	}
	bproc_req_start(&req, bproc_master_chan);
	err = bproc_notify_node_req(bproc_master_chan, req.id, node, what, arg);
	mutex_unlock(&bproc_master_lock);
	if (err) {
		bproc_req_wait(&req, 0, false);	/* withdraw it */
		return err;
	}
	return bproc_req_wait(&req, BPROC_NODE_REQ_TIMEOUT * HZ, false);
}

void bproc_req_set_master(struct bproc_chan *ch)
{
	mutex_lock(&bproc_master_lock);
	bproc_master_chan = ch;
	mutex_unlock(&bproc_master_lock);
}

void bproc_req_set_slave(struct bproc_chan *ch)
{
	mutex_lock(&bproc_master_lock);
	if (list_empty(&ch->slaves))
		list_add_tail(&ch->slaves, &bproc_slave_chans);
	mutex_unlock(&bproc_master_lock);
}

bool bproc_req_session_gone(struct bproc_chan *ch)
{
	struct pid_namespace *ns;
	bool master = false;

	mutex_lock(&bproc_master_lock);
	if (bproc_master_chan == ch) {
		bproc_master_chan = NULL;
		master = true;
	}
	list_del_init(&ch->slaves);
	ns = ch->node_ns;
	ch->node_ns = NULL;
	/* Requests wait for this session: they fail. */
	spin_lock(&bproc_req_lock);
	bproc_reqs_fail_all(ch, -ECONNRESET);
	spin_unlock(&bproc_req_lock);
	mutex_unlock(&bproc_master_lock);
	if (ns)
		put_pid_ns(ns);
	return master;
}
