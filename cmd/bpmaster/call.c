// SPDX-License-Identifier: GPL-2.0
/*
 * PID-space calls made on the nodes (kill, wait*, fork, getppid, process
 * groups and sessions): bpslave forwards them, the ghost of the caller
 * makes them on the master (BPROC_MSG_CALL), and its answer goes back to
 * the node.  Calls under way are hashed by the id we gave the kernel.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "bpmaster.h"

/* A call passed to a ghost: whose answer goes where. */
struct pcall {
	uint64_t kid;		/* our id, on the kernel's CALL */
	uint64_t sid;		/* the slave's id */
	int node, pid;
	struct pcall *next;
};

#define CALL_HASH	256
static struct pcall *calls[CALL_HASH];

static struct pcall **call_bucket(uint64_t kid)
{
	return &calls[(kid ^ (kid >> 8)) & (CALL_HASH - 1)];
}

static void call_answer(int node, uint64_t sid, int pid, uint32_t nr,
			int result, const void *data, size_t len)
{
	struct slave *s = node_slave(node);
	struct bpwire_msg req, m;

	if (!s)
		return;
	memset(&req, 0, sizeof(req));
	req.hdr.type = BPWIRE_CALL;
	req.hdr.id = sid;
	req.hdr.src = node;
	req.hdr.dst = BPROC_NODE_MASTER;
	bpwire_reply_init(&m, BPWIRE_CALL_RESULT, &req);
	m.hdr.result = result;
	m.u.call_result.pid = pid;
	m.u.call_result.nr = nr;
	m.u.call_result.data = data;
	m.u.call_result.len = (uint32_t)len;
	slave_send(s, &m);
}

/* Slave @s asks the ghost of one of its processes to make a call. */
bool slave_call(struct slave *s, const struct bpwire_msg *m)
{
	const struct bpwire_call *c = &m->u.call;
	struct proc *p = proc_find(&M.procs, c->pid);
	struct pcall *pc, **b;
	int err;

	if (!proc_remote(p) || p->node != s->node || p->state == PROC_TO_NODE) {
		call_answer(s->node, m->hdr.id, c->pid, c->nr, -ESRCH, NULL, 0);
		return true;
	}
	pc = calloc(1, sizeof(*pc));
	if (!pc) {
		call_answer(s->node, m->hdr.id, c->pid, c->nr, -ENOMEM, NULL, 0);
		return true;
	}
	err = kdev_call(s->node, c, &pc->kid);
	if (err) {
		free(pc);
		call_answer(s->node, m->hdr.id, c->pid, c->nr, err, NULL, 0);
		return true;
	}
	pc->sid = m->hdr.id;
	pc->node = s->node;
	pc->pid = c->pid;
	b = call_bucket(pc->kid);
	pc->next = *b;
	*b = pc;
	return true;
}

/* A ghost made its call: the answer goes back to the node. */
bool kernel_call_reply(const void *buf, size_t n)
{
	const struct bproc_msg_call *k = buf;
	struct pcall **pp, *pc;

	for (pp = call_bucket(k->hdr.id); (pc = *pp); pp = &pc->next) {
		if (pc->kid != k->hdr.id)
			continue;
		*pp = pc->next;
		if (k->nr == BPROC_CALL_FORK && k->hdr.result > 0 &&
		    !proc_remote(proc_find(&M.procs, k->hdr.result))) {
			/* Its child: a ghost here, the process on the node. */
			struct proc *c = proc_get(&M.procs, k->hdr.result);

			if (c) {
				proc_transit_clear(&M.procs, c);
				c->node = pc->node;
				proc_set_state(&M.procs, c, PROC_ON_NODE);
			} else {
				kdev_exit(k->hdr.result, SIGKILL);
			}
		}
		if (n - sizeof(*k) <= BPWIRE_CALL_OUT_MAX)
			call_answer(pc->node, pc->sid, pc->pid, k->nr,
				    k->hdr.result, k->data, n - sizeof(*k));
		free(pc);
		return true;
	}
	/*
	 * Its caller or its node is gone: a child forked for it will never
	 * run on the node, and its ghost ends now.
	 */
	if (k->nr == BPROC_CALL_FORK && k->hdr.result > 0)
		kdev_exit(k->hdr.result, SIGKILL);
	return true;
}

void calls_forget(int node, int pid)
{
	for (size_t i = 0; i < CALL_HASH; i++) {
		struct pcall **pp = &calls[i], *pc;

		while ((pc = *pp)) {
			if (pc->node == node && (pid < 0 || pc->pid == pid)) {
				*pp = pc->next;
				free(pc);
			} else {
				pp = &pc->next;
			}
		}
	}
}

void calls_free(void)
{
	for (size_t i = 0; i < CALL_HASH; i++) {
		while (calls[i]) {
			struct pcall *pc = calls[i];

			calls[i] = pc->next;
			free(pc);
		}
	}
}
