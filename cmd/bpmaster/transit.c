// SPDX-License-Identifier: GPL-2.0
/*
 * Moves, and the states of enum proc_state they pass through:
 *
 *  - master to node: the kernel's MOVE and IMAGE messages go to the node
 *    (TO_NODE); its MOVE_RESULT answers the kernel (ON_NODE, or REFUSED
 *    until the kernel's last IMAGE piece came, then ON_MASTER);
 *  - node to node: the node's MOVE and IMAGE frames are relayed to the
 *    destination under our own id (NODE_TO_NODE); its answer goes back to
 *    the node left (ON_NODE there, or still on the old one);
 *  - node to master: the image goes into a pipe the ghost restores itself
 *    from (BPROC_IOC_RETURN; RETURNING); the kernel's ARRIVED says how it
 *    went (ON_MASTER, or ON_NODE as before).
 *
 * Signals for a process leaving a node wait in its transit record and go
 * where it is once the move is over; an end of the old copy meanwhile
 * counts only if the process does not arrive.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpmaster.h"

/* ---- master to node ------------------------------------------------- */

/*
 * The kernel moves a process to a node: pass the MOVE on, with the @nio
 * descriptors to open on the node that follow it (1.4).
 */
bool kernel_move(const void *buf, size_t n)
{
	const struct bproc_msg_move *k = buf;
	const struct bproc_move_io *io = (const void *)(k + 1);
	/* Up to BPWIRE_MOVE_IO_MAX descriptors may follow (1.4). */
	size_t extra = n - sizeof(*k);
	size_t nio = extra / sizeof(*io);
	struct slave *s;
	struct bpwire_msg m;
	struct proc *p;

	if (extra % sizeof(*io) || nio > BPWIRE_MOVE_IO_MAX)
		return false;
	p = proc_get(&M.procs, k->pid);
	if (!p) {
		kdev_move_reply(k->hdr.id, k->pid, k->node, -ENOMEM);
		return true;
	}
	if (proc_remote(p)) {
		/* The kernel moves a process only from the master. */
		bpd_warn("the kernel moves process %d, which is %s", p->pid,
			 proc_state_name(p->state));
		kdev_move_reply(k->hdr.id, k->pid, k->node, -EBUSY);
		return true;
	}
	proc_transit_clear(&M.procs, p);
	p->node = k->node;
	p->t.dst = k->node;
	proc_set_id(&M.procs, p, k->hdr.id);
	proc_set_state(&M.procs, p, PROC_TO_NODE);

	s = node_slave(k->node);
	if (!slave_usable(s)) {
		kdev_move_reply(k->hdr.id, k->pid, k->node, -EHOSTDOWN);
		proc_set_state(&M.procs, p, PROC_REFUSED);
		return true;
	}
	bpwire_init(&m, BPWIRE_MOVE, k->hdr.id, BPROC_NODE_MASTER, k->node);
	m.u.move.pid = k->pid;
	m.u.move.flags = k->flags;
	m.u.move.uid = k->uid;
	m.u.move.gid = k->gid;
	m.u.move.ppid = k->ppid;
	m.u.move.pgid = k->pgid;
	m.u.move.sid = k->sid;
	m.u.move.image_len = 0;
	bpwire_comm_set(m.u.move.comm, k->comm);
	m.u.move.nio = (uint32_t)nio;
	for (size_t i = 0; i < nio; i++) {
		struct bpwire_move_io *e = &m.u.move.io[i];

		e->fd = io[i].fd;
		e->type = io[i].type;
		e->flags = io[i].flags;
		e->oflags = io[i].oflags;
		e->mode = io[i].mode;
		e->offset = io[i].offset;
		memcpy(e->addr, io[i].addr, sizeof(e->addr));
		memcpy(e->name, io[i].name, sizeof(e->name));
	}
	bpd_info("process %d (%.16s) moves to node %d", k->pid, k->comm,
		 k->node);
	if (slave_send(s, &m)) {
		kdev_move_reply(k->hdr.id, k->pid, k->node, -EHOSTDOWN);
		proc_set_state(&M.procs, p, PROC_REFUSED);
	}
	return true;
}

/* A move to a node is over and failed: the process stays on the master. */
static void refused_done(struct proc *p)
{
	proc_transit_clear(&M.procs, p);
	proc_set_state(&M.procs, p, PROC_ON_MASTER);
	proc_settle(&M.procs, p, bpd_now_ms());
}

bool kernel_image(const void *buf, size_t n)
{
	const struct bproc_msg_image *k = buf;
	size_t len = n - sizeof(*k);
	struct proc *p = proc_by_id(&M.procs, k->hdr.id);
	struct bpwire_msg m;
	struct slave *s;

	if (!p || (p->state != PROC_TO_NODE && p->state != PROC_REFUSED))
		return true;
	if (k->last)
		p->t.image_done = true;
	if (p->state == PROC_REFUSED) {
		/* Refused or failed early: the image goes nowhere. */
		if (k->last)
			refused_done(p);
		return true;
	}
	s = node_slave(p->node);
	if (!s)
		return true;
	bpwire_init(&m, BPWIRE_IMAGE, k->hdr.id, BPROC_NODE_MASTER, p->node);
	m.u.image.offset = k->offset;
	if (len) {
		m.u.image.data = k->data;
		m.u.image.len = len;
		if (slave_send(s, &m))
			return true;
	}
	if (k->last) {
		m.u.image.offset = k->offset + len;
		m.u.image.data = NULL;
		m.u.image.len = 0;
		slave_send(s, &m);
	}
	return true;
}

/* The node's answer to a move: ours (a relay) or the kernel's. */
bool slave_move_result(struct slave *s, const struct bpwire_msg *m)
{
	struct proc *p = proc_by_id(&M.procs, m->hdr.id);

	if (p && p->state == PROC_NODE_TO_NODE) {
		/* A process we relayed from another node. */
		if (p->t.dst != s->node || p->pid != m->u.move_result.pid) {
			bpd_warn("node %d: protocol error: result of a move it was not sent",
				 s->node);
			return false;
		}
		if (m->hdr.result)
			transit_failed(p, m->hdr.result);
		else
			transit_done_node(p, s->node);
		return true;
	}
	if (m->hdr.id & OWN_ID) {
		/* A relay given up on meanwhile (its source node died). */
		return true;
	}
	if (p && p->state == PROC_REFUSED && p->node == s->node)
		return true;	/* answered already */
	if (!p || p->state != PROC_TO_NODE || p->node != s->node ||
	    p->pid != m->u.move_result.pid) {
		bpd_warn("node %d: protocol error: result of a move it was not sent",
			 s->node);
		return false;
	}
	kdev_move_reply(p->t.id, p->pid, p->node, m->hdr.result);
	if (m->hdr.result) {
		bpd_info("node %d: process %d did not arrive: %s", s->node,
			 p->pid, strerror(-m->hdr.result));
		if (p->t.image_done)
			refused_done(p);
		else
			/* the rest of its image goes nowhere */
			proc_set_state(&M.procs, p, PROC_REFUSED);
		return true;
	}
	bpd_debug("node %d: process %d arrived", s->node, p->pid);
	proc_transit_clear(&M.procs, p);
	proc_set_state(&M.procs, p, PROC_ON_NODE);
	return true;
}

/* ---- processes moving on from a node -------------------------------- */

/* Answer slave @s's MOVE @id of @pid to @dst: 0 (it arrived) or why not. */
static void leave_answer(struct slave *s, uint64_t id, int pid, int dst,
			 int result)
{
	struct bpwire_msg req, m;

	if (!s)
		return;
	memset(&req, 0, sizeof(req));
	req.hdr.type = BPWIRE_MOVE;
	req.hdr.id = id;
	req.hdr.src = s->node;
	req.hdr.dst = dst;
	bpwire_reply_init(&m, BPWIRE_MOVE_RESULT, &req);
	m.hdr.result = result;
	m.u.move_result.pid = pid;
	slave_send(s, &m);
}

/* The move is over: what is left of it is its waiting signals. */
static uint64_t transit_over(struct proc *p, int dst, int result)
{
	uint64_t sigs = p->t.sigs;

	leave_answer(node_slave(p->node), p->t.out_id, p->pid, dst, result);
	proc_transit_clear(&M.procs, p);
	return sigs;
}

/* The move on did not happen: the process goes on (or ended) on p->node. */
void transit_failed(struct proc *p, int err)
{
	bool exited = p->t.exited;
	int status = p->t.exit_status;

	p->t.sigs = transit_over(p, p->t.dst, err);
	proc_set_state(&M.procs, p, PROC_ON_NODE);
	flush_signals(p, false);
	if (exited)
		proc_end(p, status);
}

/* It runs on node @nr now; the old copy ends without a word. */
void transit_done_node(struct proc *p, int nr)
{
	bpd_info("process %d moved from node %d to node %d", p->pid, p->node, nr);
	p->t.sigs = transit_over(p, p->t.dst, 0);
	proc_left_add(p, p->node, bpd_now_ms());
	p->node = nr;
	proc_set_state(&M.procs, p, PROC_ON_NODE);
	kdev_where(p->pid, nr);
	flush_signals(p, false);
}

void pipe_flush(struct proc *p)
{
	struct transit *t = &p->t;
	size_t done = 0;

	while (t->pipe >= 0 && done < t->buf_len) {
		ssize_t n = write(t->pipe, t->buf + done, t->buf_len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0) {
			/* The ghost stopped reading: ARRIVED says why. */
			close(t->pipe);
			t->pipe = -1;
			done = t->buf_len;
			break;
		}
		done += n;
	}
	memmove(t->buf, t->buf + done, t->buf_len - done);
	t->buf_len -= done;
	if (t->pipe >= 0 && t->img_end && !t->buf_len) {
		close(t->pipe);		/* end of file: the image is whole */
		t->pipe = -1;
	}
}

/* Slave @s moves @p back to the master: a pipe into its ghost. */
static void leave_to_master(struct slave *s, struct proc *p,
			    const struct bpwire_move *mv)
{
	uint64_t id;
	int pfd[2], err;

	if (pipe2(pfd, O_CLOEXEC) < 0) {
		transit_failed(p, -errno);
		return;
	}
	fcntl(pfd[1], F_SETPIPE_SZ, 1 << 20);
	fcntl(pfd[1], F_SETFL, O_NONBLOCK);
	id = ++M.own_seq;
	err = kdev_return(id, p->pid, s->node, pfd[0]);
	close(pfd[0]);
	if (err) {
		close(pfd[1]);
		bpd_warn("process %d cannot come back: %s", p->pid,
			 strerror(-err));
		transit_failed(p, err);
		return;
	}
	p->t.pipe = pfd[1];
	proc_set_id(&M.procs, p, id);
	proc_set_state(&M.procs, p, PROC_RETURNING);
	bpd_info("process %d (%.16s) comes back from node %d", p->pid,
		 mv->comm, s->node);
}

/* Slave @s moves process @m->u.move.pid on, to a node or to the master. */
bool slave_leave(struct slave *s, const struct bpwire_msg *m)
{
	struct proc *p = proc_find(&M.procs, m->u.move.pid);
	int dst = m->hdr.dst;
	struct bpwire_msg f;
	struct slave *d;

	if (!p || p->state != PROC_ON_NODE || p->node != s->node) {
		bpd_warn("node %d: moves process %d, which is not there",
			 s->node, m->u.move.pid);
		leave_answer(s, m->hdr.id, m->u.move.pid, dst, -ESRCH);
		return true;
	}
	proc_set_out(&M.procs, p, m->hdr.id);
	p->t.dst = dst;
	p->t.img_off = 0;
	if (dst == BPROC_NODE_MASTER) {
		leave_to_master(s, p, &m->u.move);
		return true;
	}
	if (dst == s->node || dst < 0 || dst >= M.cfg.numnodes) {
		transit_failed(p, -ENODEV);
		return true;
	}
	d = node_slave(dst);
	if (!slave_usable(d) || M.nodes[dst].status != BPROC_STATUS_UP) {
		transit_failed(p, -EHOSTDOWN);
		return true;
	}
	proc_set_id(&M.procs, p, ++M.own_seq);
	proc_set_state(&M.procs, p, PROC_NODE_TO_NODE);
	bpwire_init(&f, BPWIRE_MOVE, p->t.id, BPROC_NODE_MASTER, dst);
	f.u.move = m->u.move;
	f.u.move.nio = 0;	/* descriptors are opened on a move from here only */
	bpd_info("process %d (%.16s) moves from node %d to node %d", p->pid,
		 m->u.move.comm, s->node, dst);
	if (slave_send(d, &f))
		transit_failed(p, -EHOSTDOWN);
	return true;
}

/* A piece of the image of a process moving on from slave @s. */
bool slave_image(struct slave *s, const struct bpwire_msg *m)
{
	struct proc *p = proc_by_out(&M.procs, s->node, m->hdr.id);
	struct transit *t;
	struct bpwire_msg f;
	struct slave *d;
	unsigned char *b;

	if (!p || p->t.img_end)
		return true;	/* refused or over: dropped */
	t = &p->t;
	if (m->u.image.offset != t->img_off) {
		bpd_warn("node %d: image of %d at %llu, expected %llu", s->node,
			 p->pid, (unsigned long long)m->u.image.offset,
			 (unsigned long long)t->img_off);
		return false;
	}
	t->img_off += m->u.image.len;
	t->img_end = !m->u.image.len;
	if (p->state == PROC_NODE_TO_NODE) {
		d = node_slave(t->dst);
		if (!d)
			return true;
		bpwire_init(&f, BPWIRE_IMAGE, t->id, BPROC_NODE_MASTER, t->dst);
		f.u.image = m->u.image;
		slave_send(d, &f);
		return true;
	}
	if (t->pipe < 0)
		return true;
	if (m->u.image.len) {
		b = realloc(t->buf, t->buf_len + m->u.image.len);
		if (!b) {
			bpd_err("out of memory for the image of %d", p->pid);
			close(t->pipe);	/* the ghost sees it cut short */
			t->pipe = -1;
			return true;
		}
		memcpy(b + t->buf_len, m->u.image.data, m->u.image.len);
		t->buf = b;
		t->buf_len += m->u.image.len;
	}
	pipe_flush(p);
	return true;
}

bool slave_may_read(const struct slave *s)
{
	const struct proc *p;

	for (p = M.procs.list[PROC_RETURNING]; p; p = p->next)
		if (p->node == s->node && p->t.pipe >= 0 &&
		    p->t.buf_len > (1u << 20))
			return false;
	for (p = M.procs.list[PROC_NODE_TO_NODE]; p; p = p->next) {
		struct slave *d = node_slave(p->t.dst);

		if (p->node == s->node && d && d->c.out_len > (1u << 20))
			return false;
	}
	return true;
}

/* The kernel's answer to a return: did the process arrive? */
bool kernel_arrived(const void *buf, size_t n)
{
	const struct bproc_msg_arrived *k = buf;
	struct proc *p = proc_by_id(&M.procs, k->hdr.id);

	(void)n;
	if (!p || p->state != PROC_RETURNING || p->pid != k->pid ||
	    k->hdr.result > 0)
		return true;
	if (k->hdr.result == 0) {
		bpd_info("process %d is back on the master", p->pid);
		p->t.sigs = transit_over(p, BPROC_NODE_MASTER, 0);
		proc_left_add(p, p->node, bpd_now_ms());
		p->node = BPROC_NODE_MASTER;
		proc_set_state(&M.procs, p, PROC_ON_MASTER);
		flush_signals(p, true);
		proc_settle(&M.procs, p, bpd_now_ms());
		return true;
	}
	bpd_info("process %d could not come back: %s", p->pid,
		 strerror(-k->hdr.result));
	if (k->lost) {
		/* Its ghost is gone: so must the copy on the node be. */
		p->t.sigs |= 1ull << (SIGKILL - 1);
	}
	transit_failed(p, k->hdr.result);
	return true;
}
