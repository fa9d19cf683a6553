// SPDX-License-Identifier: GPL-2.0
/*
 * The daemons' sessions as the rest of the module reaches them, and the
 * requests the kernel makes of them (as fs/fuse/dev.c's request list).
 *
 * bproc_master_get() gives bpmaster's greeted session, bproc_daemon_get()
 * this machine's daemon's; dev/daemon.c tells which sessions those are.
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
#include <linux/spinlock.h>

#include "chan.h"
#include "nodes.h"
#include "notify.h"
#include "req.h"

/* The greeted session of /dev/bproc/master, or NULL. */
static DEFINE_MUTEX(bproc_master_lock);
static struct bproc_chan *bproc_master_chan;
/* On a slave: the session of bpslave, the one that sized the node table. */
static struct bproc_chan *bproc_slave_chan;

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

struct bproc_chan *bproc_daemon_get(void)
{
	struct bproc_chan *ch;

	mutex_lock(&bproc_master_lock);
	ch = bproc_nodes_self() == BPROC_NODE_MASTER ? bproc_master_chan :
						       bproc_slave_chan;
	if (ch)
		bproc_chan_get(ch);
	mutex_unlock(&bproc_master_lock);
	return ch;
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
	bproc_slave_chan = ch;
	mutex_unlock(&bproc_master_lock);
}

bool bproc_req_session_gone(struct bproc_chan *ch)
{
	bool master = false;

	mutex_lock(&bproc_master_lock);
	if (bproc_master_chan == ch) {
		bproc_master_chan = NULL;
		master = true;
	} else if (bproc_slave_chan == ch) {
		bproc_slave_chan = NULL;
	}
	/* Requests wait for this session: they fail. */
	spin_lock(&bproc_req_lock);
	bproc_reqs_fail_all(ch, -ECONNRESET);
	spin_unlock(&bproc_req_lock);
	mutex_unlock(&bproc_master_lock);
	return master;
}
