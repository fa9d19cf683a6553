// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel->daemon messages: every one the module sends is built here, as
 * fs/fuse/dev.c's notify functions build FUSE's.  One helper,
 * bproc_notify_new(), allocates a message and fills in its header from a
 * template; each bproc_notify_*() fills in its body and queues it.  The
 * rest of the module names what happened (a signal to forward, a call's
 * answer) and never sees a header.  The requests the kernel waits on are
 * dev/req.c's; the messages the daemons send are dispatched by
 * dev/daemon.c.  Documentation/protocol.md describes each message.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/bproc.h>
#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>

#include "chan.h"
#include "nodes.h"
#include "notify.h"
#include "req.h"

/*
 * A zeroed message of @type, @len bytes in all, whose header is @tmpl's
 * flags, id, result, src and dst; its wire form in *@wire.  NULL without
 * memory.
 */
static struct bproc_msg *bproc_notify_new(u16 type, u32 len,
					  const struct bproc_msg_hdr *tmpl,
					  void **wire)
{
	struct bproc_msg *msg = bproc_msg_alloc(type, len, GFP_KERNEL);

	if (!msg)
		return NULL;
	msg->hdr.flags = tmpl->flags;
	msg->hdr.id = tmpl->id;
	msg->hdr.result = tmpl->result;
	msg->hdr.src = tmpl->src;
	msg->hdr.dst = tmpl->dst;
	*wire = bproc_msg_wire(msg);
	return msg;
}

/* Header templates: kernel to bpmaster about a process, or answering @id. */
#define BPROC_TO_MASTER(...)						\
	(&(const struct bproc_msg_hdr){ .src = BPROC_NODE_MASTER,	\
					.dst = BPROC_NODE_MASTER, __VA_ARGS__ })

int bproc_notify_hello(struct bproc_chan *ch, u64 id)
{
	struct bproc_msg_hello *m;
	struct bproc_msg *msg;

	msg = bproc_notify_new(BPROC_MSG_HELLO, sizeof(*m),
			       &(const struct bproc_msg_hdr){
					.flags = BPROC_MSGF_REPLY, .id = id,
					.src = BPROC_NODE_NONE,
					.dst = BPROC_NODE_NONE },
			       (void **)&m);
	if (!msg)
		return -ENOMEM;
	m->major = BPROC_PROTO_MAJOR;
	m->minor = BPROC_PROTO_MINOR;
	bproc_chan_queue(ch, msg);
	return 0;
}

int bproc_notify_node_req(struct bproc_chan *ch, u64 id, int node, u32 what,
			  u32 arg)
{
	struct bproc_msg_node_req *m;
	struct bproc_msg *msg;

	msg = bproc_notify_new(BPROC_MSG_NODE_REQ, sizeof(*m),
			       &(const struct bproc_msg_hdr){
					.id = id, .src = BPROC_NODE_MASTER,
					.dst = node },
			       (void **)&m);
	if (!msg)
		return -ENOMEM;
	m->node = node;
	m->what = what;
	m->arg = arg;
	bproc_chan_queue(ch, msg);
	return 0;
}

void bproc_notify_node_owner(const struct bproc_node_entry *entry)
{
	struct bproc_chan *ch = bproc_master_get();
	struct bproc_msg_node_set *m;
	struct bproc_msg *msg;

	if (!ch)
		return;
	msg = bproc_notify_new(BPROC_MSG_NODE_SET,
			       sizeof(*m) + sizeof(m->entries[0]),
			       BPROC_TO_MASTER(), (void **)&m);
	if (msg) {
		m->count = 1;
		m->entries[0] = *entry;
		bproc_chan_queue(ch, msg);
	} else {
		pr_warn_ratelimited("no memory to tell bpmaster about node %d's owner\n",
				    entry->node);
	}
	bproc_master_put(ch);
}

int bproc_notify_move(struct bproc_chan *ch, u64 id, int pid, int node,
		      u32 flags, const struct bproc_move_io *io, u32 nio)
{
	const struct cred *cred = current_cred();
	struct bproc_msg_move *m;
	struct bproc_msg *msg;

	msg = bproc_notify_new(BPROC_MSG_MOVE, sizeof(*m) + nio * sizeof(*io),
			       &(const struct bproc_msg_hdr){
					.id = id, .src = READ_ONCE(ch->node),
					.dst = node },
			       (void **)&m);
	if (!msg)
		return -ENOMEM;
	if (nio)
		memcpy(m + 1, io, nio * sizeof(*io));
	m->pid = pid;
	m->node = node;
	m->flags = flags;
	m->uid = from_kuid_munged(&init_user_ns, cred->uid);
	m->gid = from_kgid_munged(&init_user_ns, cred->gid);
	rcu_read_lock();
	m->ppid = task_tgid_nr(rcu_dereference(current->real_parent));
	rcu_read_unlock();
	m->pgid = task_pgrp_nr(current);
	m->sid = pid_nr(task_session(current));
	get_task_comm(m->comm, current);
	bproc_chan_queue(ch, msg);
	return 0;
}

int bproc_notify_image(struct bproc_chan *ch, u64 id, int pid, u64 offset,
		       const void *data, size_t len, bool last)
{
	struct bproc_msg_image *m;
	struct bproc_msg *msg;
	int err;

	err = bproc_chan_wait_space(ch, BPROC_NOTIFY_IMAGE_QUEUE);
	if (err)
		return err;
	msg = bproc_notify_new(BPROC_MSG_IMAGE, sizeof(*m) + len,
			       &(const struct bproc_msg_hdr){
					.id = id, .src = READ_ONCE(ch->node) },
			       (void **)&m);
	if (!msg)
		return -ENOMEM;
	m->offset = offset;
	m->pid = pid;
	m->last = last;
	memcpy(m->data, data, len);
	bproc_chan_queue(ch, msg);
	return 0;
}

void bproc_notify_signal(int pid, int node, int sig)
{
	struct bproc_chan *ch = bproc_master_get();
	struct bproc_msg_signal *m;
	struct bproc_msg *msg;

	if (!ch)
		return;
	msg = bproc_notify_new(BPROC_MSG_SIGNAL, sizeof(*m),
			       &(const struct bproc_msg_hdr){
					.src = BPROC_NODE_MASTER, .dst = node },
			       (void **)&m);
	if (msg) {
		m->pid = pid;
		m->node = node;
		m->sig = sig;
		bproc_chan_queue(ch, msg);
	}
	bproc_master_put(ch);
}

void bproc_notify_stdin(int pid, int node, const void *data, size_t len)
{
	struct bproc_chan *ch = bproc_master_get();
	struct bproc_msg_io *m;
	struct bproc_msg *msg;

	if (!ch)
		return;
	msg = bproc_notify_new(BPROC_MSG_IO, sizeof(*m) + len,
			       &(const struct bproc_msg_hdr){
					.src = BPROC_NODE_MASTER, .dst = node },
			       (void **)&m);
	if (msg) {
		m->pid = pid;
		m->stream = 0;
		memcpy(m->data, data, len);
		bproc_chan_queue(ch, msg);
	}
	bproc_master_put(ch);
}

void bproc_notify_call_reply(int pid, u32 nr, u64 id, long result,
			     const void *out, size_t olen)
{
	struct bproc_chan *ch = bproc_master_get();
	struct bproc_msg_call *m;
	struct bproc_msg *msg;

	if (!ch)
		return;
	msg = bproc_notify_new(BPROC_MSG_CALL, sizeof(*m) + olen,
			       BPROC_TO_MASTER(.flags = BPROC_MSGF_REPLY,
					       .id = id, .result = (s32)result),
			       (void **)&m);
	if (msg) {
		m->pid = pid;
		m->nr = nr;
		if (olen)
			memcpy(m->data, out, olen);
		bproc_chan_queue(ch, msg);
	}
	bproc_master_put(ch);
}

void bproc_notify_arrived(int pid, u64 id, int result, bool lost)
{
	struct bproc_chan *ch = bproc_master_get();
	struct bproc_msg_arrived *m;
	struct bproc_msg *msg;

	if (!ch)
		return;
	msg = bproc_notify_new(BPROC_MSG_ARRIVED, sizeof(*m),
			       BPROC_TO_MASTER(.id = id, .result = result),
			       (void **)&m);
	if (msg) {
		m->pid = pid;
		m->lost = lost;
		bproc_chan_queue(ch, msg);
	}
	bproc_master_put(ch);
}

void bproc_notify_exit(struct bproc_chan *ch, int pid, int status)
{
	struct bproc_msg_exit *m;
	struct bproc_msg *msg;
	int self = READ_ONCE(ch->node);

	msg = bproc_notify_new(BPROC_MSG_EXIT, sizeof(*m),
			       &(const struct bproc_msg_hdr){
					.src = self, .dst = self },
			       (void **)&m);
	if (!msg)
		return;
	m->pid = pid;
	m->status = status;
	bproc_chan_queue(ch, msg);
}
