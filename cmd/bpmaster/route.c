// SPDX-License-Identifier: GPL-2.0
/*
 * Where what concerns a process goes, by its record's state: signals (from
 * its ghost, or left over from a node it left), its output, its stops, its
 * stdin, its end, and what becomes of it when its node is lost.
 *
 *   state          signal goes             EXIT from its node
 *   TO_NODE        to the node             a protocol slip: ignored
 *   ON_NODE        to the node             the ghost ends
 *   NODE_TO_NODE   waits for the arrival   kept: counts if it does not arrive
 *   RETURNING      waits for the arrival   kept: counts if it does not arrive
 *   ON_MASTER      kill(2) on the master   -
 *   REFUSED        kill(2) on the master   -
 *   ENDED, none    dropped                 -
 *
 * A node the process left lately (proc_left_from()) may still send a
 * SIGNAL or EXIT that came for it as it left: those go to where it is now.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "bpmaster.h"

void send_signal(struct proc *p, int sig)
{
	struct slave *s = node_slave(p->node);
	struct bpwire_msg m;

	if (!s)
		return;
	bpwire_init(&m, BPWIRE_SIGNAL, 0, BPROC_NODE_MASTER, p->node);
	m.u.signal.pid = p->pid;
	m.u.signal.sig = sig;
	slave_send(s, &m);
}

/* Signals that waited for a move, to where the process is now. */
void flush_signals(struct proc *p, bool on_master)
{
	for (int sig = 1; sig <= 64; sig++) {
		if (!(p->t.sigs & (1ull << (sig - 1))))
			continue;
		if (on_master)
			local_signal(p->pid, p->pidfd, sig); /* its own task again */
		else
			send_signal(p, sig);
	}
	p->t.sigs = 0;
}

/* @sig for a process with a record: where it is, or later, or nowhere. */
static void proc_signal(struct proc *p, int sig)
{
	switch (p->state) {
	case PROC_NODE_TO_NODE:
	case PROC_RETURNING:
		p->t.sigs |= 1ull << (sig - 1);		/* till it arrived */
		return;
	case PROC_TO_NODE:
	case PROC_ON_NODE:
		send_signal(p, sig);
		return;
	case PROC_ON_MASTER:
	case PROC_REFUSED:
		local_signal(p->pid, p->pidfd, sig);
		return;
	case PROC_ENDED:
	case PROC_NSTATES:
		return;
	}
}

void route_signal(int pid, int sig)
{
	struct proc *p = proc_find(&M.procs, pid);

	if (sig < 1 || sig > 64)
		return;
	if (p)
		proc_signal(p, sig);
}

void proc_end(struct proc *p, int status)
{
	kdev_exit(p->pid, status);
	proc_transit_clear(&M.procs, p);
	proc_set_state(&M.procs, p, PROC_ENDED);
	proc_settle(&M.procs, p, bpd_now_ms());
}

/* Node @nr is lost while @p was on its way there from the master. */
static void lost_to_node(struct proc *p, int nr)
{
	kdev_move_reply(p->t.id, p->pid, nr, -EHOSTDOWN);
	if (!p->t.image_done) {
		/* Its remaining IMAGE messages are dropped. */
		proc_set_state(&M.procs, p, PROC_REFUSED);
		return;
	}
	proc_transit_clear(&M.procs, p);
	proc_set_state(&M.procs, p, PROC_ON_MASTER);
	proc_settle(&M.procs, p, bpd_now_ms());
}

/*
 * Node @nr is lost while @p was leaving it: if its whole image got out it
 * may still arrive; else cut it short.  Either way it is killed unless it
 * arrives.
 */
static void lost_leaving(struct proc *p)
{
	struct slave *d;

	p->t.exited = true;
	p->t.exit_status = SIGKILL;
	if (p->t.img_end)
		return;
	d = p->state == PROC_NODE_TO_NODE ? node_slave(p->t.dst) : NULL;
	if (d) {
		struct bpwire_msg f;

		bpwire_init(&f, BPWIRE_IMAGE, p->t.id, BPROC_NODE_MASTER,
			    p->t.dst);
		f.u.image.offset = p->t.img_off;
		slave_send(d, &f);
		p->t.img_end = true;
	} else if (p->t.pipe >= 0) {
		close(p->t.pipe);
		p->t.pipe = -1;
	}
}

void node_lost(int nr)
{
	/*
	 * In this order, each record is seen once: a record only moves on
	 * to a state already walked or not walked at all.
	 */
	static const enum proc_state order[] = {
		PROC_REFUSED, PROC_TO_NODE, PROC_ON_NODE, PROC_NODE_TO_NODE,
		PROC_RETURNING,
	};
	struct proc *p, *next;

	calls_forget(nr, -1);
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		for (p = M.procs.list[order[i]]; p; p = next) {
			next = p->next;
			if (p->state == PROC_NODE_TO_NODE && p->t.dst == nr) {
				/* It was on its way here: it stays where it was. */
				transit_failed(p, -EHOSTDOWN);
				continue;
			}
			if (p->node != nr)
				continue;
			switch (p->state) {
			case PROC_REFUSED:
				proc_transit_clear(&M.procs, p);
				proc_set_state(&M.procs, p, PROC_ON_MASTER);
				proc_settle(&M.procs, p, bpd_now_ms());
				break;
			case PROC_TO_NODE:
				lost_to_node(p, nr);
				break;
			case PROC_ON_NODE:
				bpd_info("process %d ends with node %d", p->pid, nr);
				proc_end(p, SIGKILL);
				break;
			default:
				lost_leaving(p);
				break;
			}
		}
	}
}

/* Runs on node @s (or is on its way there from the master). */
static bool proc_on(const struct proc *p, const struct slave *s)
{
	return proc_remote(p) && p->node == s->node;
}

bool slave_exit(struct slave *s, const struct bpwire_msg *m)
{
	struct proc *p = proc_find(&M.procs, m->u.exit.pid);

	if (!proc_on(p, s) && proc_left_from(p, s->node, bpd_now_ms())) {
		/* Killed as it left: the copy that arrived dies the same way. */
		if (m->u.exit.status & 0x7f)
			proc_signal(p, m->u.exit.status & 0x7f);
		return true;
	}
	if (!proc_on(p, s) || p->state == PROC_TO_NODE) {
		bpd_warn("node %d: EXIT of process %d, which is not there",
			 s->node, m->u.exit.pid);
		return true;
	}
	if (proc_leaving(p)) {
		/* Killed on its way out: it counts if it does not arrive. */
		p->t.exited = true;
		p->t.exit_status = m->u.exit.status;
		return true;
	}
	calls_forget(s->node, p->pid);
	proc_end(p, m->u.exit.status);
	return true;
}

/* A remote stop: its ghost stops too (continues come from the ghost). */
bool slave_pstate(struct slave *s, const struct bpwire_msg *m)
{
	struct proc *p = proc_find(&M.procs, m->u.pstate.pid);

	if (!proc_on(p, s) || p->state == PROC_TO_NODE ||
	    m->u.pstate.state != BPWIRE_PSTATE_STOPPED)
		return true;
	kdev_pstate(p->pid, s->node, m->u.pstate.sig);
	return true;
}

/* Output of a process on @s, or arriving there from another node. */
bool slave_io(struct slave *s, const struct bpwire_msg *m)
{
	struct proc *p = proc_find(&M.procs, m->u.io.pid);

	if (!proc_remote(p) || m->u.io.stream == BPWIRE_IO_STDIN ||
	    (p->node != s->node &&
	     !(p->state == PROC_NODE_TO_NODE && p->t.dst == s->node)))
		return true;	/* it ended meanwhile */
	kdev_io(p->pid, s->node, m->u.io.stream, m->u.io.data, m->u.io.len);
	return true;
}

/* A signal that came for a process while it left slave @s. */
bool slave_signal(struct slave *s, const struct bpwire_msg *m)
{
	struct proc *p = proc_find(&M.procs, m->u.signal.pid);

	if (!proc_left_from(p, s->node, bpd_now_ms())) {
		bpd_warn("node %d: SIGNAL for process %d, which did not leave it",
			 s->node, m->u.signal.pid);
		return true;
	}
	route_signal(m->u.signal.pid, m->u.signal.sig);
	return true;
}

/* A signal for a ghost: for its process. */
bool kernel_signal(const void *buf, size_t n)
{
	const struct bproc_msg_signal *k = buf;
	struct proc *p = proc_find(&M.procs, k->pid);

	(void)n;
	if (!proc_remote(p) || k->sig < 1 || k->sig > 64)
		return true;
	proc_signal(p, k->sig);
	return true;
}

/* A ghost's stdin for its process. */
bool kernel_stdin(const void *buf, size_t n)
{
	const struct bproc_msg_io *k = buf;
	struct proc *p = proc_find(&M.procs, k->pid);
	struct bpwire_msg m;
	struct slave *s;

	if (!proc_remote(p) || k->stream != 0)
		return true;
	s = node_slave(p->node);
	if (!s)
		return true;
	bpwire_init(&m, BPWIRE_IO, 0, BPROC_NODE_MASTER, p->node);
	m.u.io.pid = p->pid;
	m.u.io.stream = BPWIRE_IO_STDIN;
	m.u.io.data = k->data;
	m.u.io.len = n - sizeof(*k);
	slave_send(s, &m);
	return true;
}
