/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dev/req.c: the daemons' sessions as the rest of the module reaches them,
 * and the requests the kernel makes of them and waits on.
 */
#ifndef BPROC_DEV_REQ_H
#define BPROC_DEV_REQ_H

#include <linux/completion.h>
#include <linux/list.h>
#include <linux/types.h>

struct bproc_chan;
struct pid_namespace;

/**
 * struct bproc_req - a kernel->daemon request waiting for its reply
 * @list:   in the pending list while unanswered; unlinked by whoever
 *          finishes it.
 * @ch:     the session the request went to: only its reply completes it.
 * @id:     hdr.id of the request, unique for the module's life.
 * @result: the reply's hdr.result once unlinked by an answer.
 * @done:   completed by the answer.
 *
 * Lives on the waiter's stack: bproc_req_start() gives it an id and makes
 * it pending on session @ch (send the request with that id on @ch: only a
 * reply written to @ch answers it), bproc_req_wait() waits for
 * the answer or gives up (-ETIMEDOUT, -EINTR; -ECONNRESET when the daemon
 * goes away).
 */
struct bproc_req {
	struct list_head list;
	struct bproc_chan *ch;
	u64 id;
	int result;
	struct completion done;
};

void bproc_req_start(struct bproc_req *req, struct bproc_chan *ch);
int bproc_req_wait(struct bproc_req *req, unsigned long timeout, bool killable);

/* bpmaster's session, with a reference (bproc_master_put()), or NULL. */
struct bproc_chan *bproc_master_get(void);
void bproc_master_put(struct bproc_chan *ch);
/*
 * The session of the daemon speaking for the caller's node (bpmaster on
 * the master; on a slave, the bpslave session whose node namespace holds
 * the caller), with a reference (bproc_master_put()), or NULL.
 * bproc_daemon_get_ns(): the same for a process of PID namespace @ns.
 */
struct bproc_chan *bproc_daemon_get(void);
struct bproc_chan *bproc_daemon_get_ns(struct pid_namespace *ns);
/* BPROC_IOC_CURRNODE: the node the caller is on (BPROC_NODE_MASTER). */
int bproc_node_here(void);

/*
 * Ask bpmaster to act on node @node (BPROC_NODE_REQ_* @what with @arg) and
 * wait for its answer: 0 or a negative errno (-ENOTCONN: no bpmaster,
 * -ETIMEDOUT, -EINTR, or bpmaster's own answer).
 */
int bproc_req_node(int node, u32 what, u32 arg);

/* For dev/daemon.c, as sessions are greeted, answer and end. */

/* @ch said HELLO on /dev/bproc/master: it is bpmaster's session now. */
void bproc_req_set_master(struct bproc_chan *ch);
/* @ch sized the node table on a slave: it speaks for its node now. */
void bproc_req_set_slave(struct bproc_chan *ch);
/*
 * BPROC_IOC_NODE_NS: @ch's node is the PID namespace whose init is our
 * child @pid.  0, -EINVAL, -ESRCH, -EPROTO (no NODES yet), -EALREADY,
 * -EBUSY (another session's).
 */
int bproc_req_set_node_ns(struct bproc_chan *ch, int pid);
/*
 * A reply on session @ch: finish request @id, if it went to @ch, with
 * @result; false if no request of @ch has that id.
 */
bool bproc_req_complete(struct bproc_chan *ch, u64 id, int result);
/*
 * Session @ch ends: if it was bpmaster's or bpslave's, it is no more; every
 * request pending on it fails with -ECONNRESET.  True if it was bpmaster's.
 */
bool bproc_req_session_gone(struct bproc_chan *ch);

#endif /* BPROC_DEV_REQ_H */
