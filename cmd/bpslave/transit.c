// SPDX-License-Identifier: GPL-2.0
/*
 * Processes arriving on this node (MOVE, IMAGE from the master; init
 * restores them), leaving it (MOVE, IMAGE from our kernel; the master's
 * MOVE_RESULT), and ending (init's EXIT, the kernel's exit notes).  The
 * states are struct sproc's (bpslave.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpslave.h"
#include "nsinit.h"

static int send_move_result(struct session *s, uint64_t id, int pid, int result)
{
	struct bpwire_msg req, m;

	memset(&req, 0, sizeof(req));
	req.hdr.type = BPWIRE_MOVE;
	req.hdr.id = id;
	req.hdr.src = BPROC_NODE_MASTER;
	req.hdr.dst = s->node;
	bpwire_reply_init(&m, BPWIRE_MOVE_RESULT, &req);
	m.hdr.result = result;
	m.u.move_result.pid = pid;
	return send_frame(s, &m);
}

static void close_pair(int p[2])
{
	for (int i = 0; i < 2; i++) {
		if (p[i] >= 0)
			close(p[i]);
		p[i] = -1;
	}
}

/* ---- arriving ------------------------------------------------------------ */

/*
 * The master sends us a process: pipes for its image and for what is
 * forwarded (stdin from the ghost, stdout and stderr to it), or the
 * descriptors the MOVE asks to open here instead, then init restores it.
 */
int proc_move(struct session *s, const struct bpwire_msg *m)
{
	int img[2] = { -1, -1 }, pipes[3][2] = { { -1, -1 }, { -1, -1 }, { -1, -1 } };
	int opened[3] = { -1, -1, -1 }, fds[3], err;
	const struct bpwire_move *mv = &m->u.move;
	struct sproc *sp;
	uint32_t i;

	if (sproc_by_pid(mv->pid))
		return send_move_result(s, m->hdr.id, mv->pid, -EEXIST);
	sp = sproc_new(mv->pid, SPROC_ARRIVING);
	if (!sp)
		return send_move_result(s, m->hdr.id, mv->pid, -ENOMEM);
	err = io_open_all(mv, opened);
	if (err)
		goto fail;
	if (pipe2(img, O_CLOEXEC)) {
		err = -errno;
		goto fail;
	}
	for (i = 0; i < 3; i++) {
		if (opened[i] < 0 && pipe2(pipes[i], O_CLOEXEC)) {
			err = -errno;
			goto fail;
		}
	}
	/* Room for a whole IMAGE frame or more: fewer blocking writes. */
	fcntl(img[1], F_SETPIPE_SZ, 1 << 20);
	fcntl(img[1], F_SETFL, O_NONBLOCK);
	/* stdin: what the ghost forwards (or at once its end of file). */
	if (pipes[0][1] >= 0)
		fcntl(pipes[0][1], F_SETPIPE_SZ, 1 << 20);
	fds[0] = opened[0] >= 0 ? opened[0] : pipes[0][0];
	fds[1] = opened[1] >= 0 ? opened[1] : pipes[1][1];
	fds[2] = opened[2] >= 0 ? opened[2] : pipes[2][1];
	err = bpnsinit_restore(S.ns, mv->pid, img[0], fds);
	if (err)
		goto fail;
	close(img[0]);
	sproc_set_transit(sp, m->hdr.id);
	sp->t.img = img[1];
	sp->in = pipes[0][1];
	if (sp->in >= 0)
		fcntl(sp->in, F_SETFL, O_NONBLOCK);
	for (i = 1; i <= 2; i++) {
		sp->out[i] = pipes[i][0];
		if (sp->out[i] >= 0)
			fcntl(sp->out[i], F_SETFL, O_NONBLOCK);
	}
	/* The process's ends are init's now (passed with the request). */
	if (pipes[0][0] >= 0)
		close(pipes[0][0]);
	for (i = 1; i <= 2; i++)
		if (pipes[i][1] >= 0)
			close(pipes[i][1]);
	for (i = 0; i < 3; i++)
		if (opened[i] >= 0)
			close(opened[i]);
	bpd_info("process %d (%s) arriving%s", sp->pid, mv->comm,
		 mv->nio ? " (with descriptors opened here)" : "");
	return 0;
fail:
	bpd_warn("cannot take process %d: %s", mv->pid, strerror(-err));
	close_pair(img);
	for (i = 0; i < 3; i++) {
		close_pair(pipes[i]);
		if (opened[i] >= 0)
			close(opened[i]);
	}
	sproc_free(sp);
	return send_move_result(s, m->hdr.id, mv->pid, err);
}

/* A piece of an arriving image: into its pipe (no data: the end). */
static void image_close(struct sproc *sp)
{
	close(sp->t.img);
	sp->t.img = -1;
	free(sp->t.img_buf);
	sp->t.img_buf = NULL;
	sp->t.img_len = sp->t.img_cap = 0;
}

void proc_image_flush(struct sproc *sp)
{
	size_t done = 0;

	while (sp->t.img >= 0 && done < sp->t.img_len) {
		ssize_t n = write(sp->t.img, sp->t.img_buf + done, sp->t.img_len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;		/* the rest when it takes more */
		if (n < 0) {
			/* The restorer gave up; its FAILED event says why. */
			image_close(sp);
			return;
		}
		done += (size_t)n;
	}
	if (sp->t.img < 0)
		return;
	memmove(sp->t.img_buf, sp->t.img_buf + done, sp->t.img_len - done);
	sp->t.img_len -= done;
	if (!sp->t.img_len && sp->t.img_end)
		image_close(sp);
}

int proc_image(struct session *s, const struct bpwire_msg *m)
{
	struct sproc *sp = sproc_by_transit(m->hdr.id, false);
	size_t len = m->u.image.len;

	(void)s;
	if (!sp || sp->t.img < 0 || sp->t.img_end)
		return 0;	/* refused or failed already: dropped */
	if (m->u.image.offset != sp->t.img_off) {
		bpd_warn("process %d: image piece at %llu, expected %llu",
			 sp->pid, (unsigned long long)m->u.image.offset,
			 (unsigned long long)sp->t.img_off);
		return -EPROTO;
	}
	sp->t.img_off += len;
	if (!len) {
		sp->t.img_end = true;
	} else {
		/*
		 * Never wait for the pipe: the restorer may be waiting for
		 * the master's files, whose answers are behind these frames.
		 */
		if (sp->t.img_cap - sp->t.img_len < len) {
			size_t cap = sp->t.img_cap ? sp->t.img_cap : 65536;
			char *b;

			while (cap - sp->t.img_len < len)
				cap *= 2;
			b = realloc(sp->t.img_buf, cap);
			if (!b) {
				image_close(sp);	/* it fails: EOF mid-image */
				return 0;
			}
			sp->t.img_buf = b;
			sp->t.img_cap = cap;
		}
		memcpy(sp->t.img_buf + sp->t.img_len, m->u.image.data, len);
		sp->t.img_len += len;
	}
	proc_image_flush(sp);
	return 0;
}

/* ---- leaving ------------------------------------------------------------- */

/*
 * A process of ours moves on (its MOVE from the kernel): pass it to the
 * master, its output so far first, so that all of it is written before
 * the process runs elsewhere.  Only processes the master placed here may
 * move: anything else has no master PID.  Nor may a child forked here: its
 * copy here is its parent's child, which would see it end when it left
 * (and its end here is what lets bpslave go on after a move).
 */
int kernel_leave(struct session *s, const void *msg, size_t len)
{
	const struct bproc_msg_move *k = msg;
	struct sproc *sp = sproc_by_pid(k->pid);
	struct bpwire_msg m;

	(void)len;
	if (!sp || sp->forked || sp->state != SPROC_RUNNING ||
	    k->hdr.id == 0 || k->node == s->node ||
	    k->node < BPROC_NODE_MASTER || k->node >= s->numnodes) {
		kernel_move_reply(s, k->hdr.id, k->pid, k->node,
				  sp && !sp->forked ? -EINVAL : -EOPNOTSUPP);
		return 0;	/* its IMAGE messages find nobody: dropped */
	}
	/* (Bounded: a child sharing its stdout may write on and on.) */
	proc_output_drain(s, sp, 256);
	bpwire_init(&m, BPWIRE_MOVE, k->hdr.id, s->node, k->node);
	m.u.move.pid = k->pid;
	m.u.move.flags = k->flags & BPWIRE_MOVE_FLAGS;
	m.u.move.uid = k->uid;
	m.u.move.gid = k->gid;
	bpwire_comm_set(m.u.move.comm, k->comm);
	sproc_set_state(sp, SPROC_LEAVING);
	sproc_set_transit(sp, k->hdr.id);
	sp->t.dst = k->node;
	bpd_info("process %d (%.16s) moves on to %s %d", sp->pid, k->comm,
		 k->node == BPROC_NODE_MASTER ? "the master" : "node",
		 k->node);
	return send_frame(s, &m);
}

/* A piece of the image of a process moving on. */
int kernel_image(struct session *s, const void *msg, size_t n)
{
	const struct bproc_msg_image *k = msg;
	struct sproc *sp = sproc_by_transit(k->hdr.id, true);
	size_t len = n - sizeof(*k);
	struct bpwire_msg m;
	int err = 0;

	if (!sp)
		return 0;
	bpwire_init(&m, BPWIRE_IMAGE, k->hdr.id, s->node, sp->t.dst);
	m.u.image.offset = k->offset;
	if (len) {
		m.u.image.data = k->data;
		m.u.image.len = len;
		err = send_frame(s, &m);
	}
	if (!err && k->last) {
		m.u.image.offset = k->offset + len;
		m.u.image.data = NULL;
		m.u.image.len = 0;
		err = send_frame(s, &m);
	}
	return err;
}

/* The master's answer to a process moving on. */
int leave_result(struct session *s, const struct bpwire_msg *m)
{
	struct sproc *sp = sproc_by_transit(m->hdr.id, true);
	struct bpwire_msg f;
	int err = 0;

	if (!sp || sp->pid != m->u.move_result.pid) {
		bpd_warn("the master answers a move that is not under way");
		return 0;
	}
	kernel_move_reply(s, sp->t.id, sp->pid, sp->t.dst, m->hdr.result);
	sproc_set_transit(sp, 0);
	if (m->hdr.result) {
		bpd_info("process %d stays: %s", sp->pid,
			 strerror(-m->hdr.result));
		if (sp->state == SPROC_LEAVING_ENDED)
			return send_exit(s, sp, sp->t.status);
		for (int sig = 1; sig <= 64; sig++)
			if (sp->t.sigs & (1ull << (sig - 1)))
				bpnsinit_kill(S.ns, sp->pid, sig);
		sp->t.sigs = 0;
		sproc_set_state(sp, SPROC_RUNNING);
		return 0;
	}
	/* It lives on elsewhere: what came for it meanwhile goes after it. */
	for (int sig = 1; !err && sig <= 64; sig++) {
		if (!(sp->t.sigs & (1ull << (sig - 1))))
			continue;
		bpwire_init(&f, BPWIRE_SIGNAL, 0, s->node, BPROC_NODE_MASTER);
		f.u.signal.pid = sp->pid;
		f.u.signal.sig = sig;
		err = send_frame(s, &f);
	}
	sp->t.sigs = 0;
	if (sp->state == SPROC_LEAVING_ENDED)
		return err ?: send_exit(s, sp, sp->t.status);
	/* The kernel ends this copy; till it is reaped, the master waits. */
	sproc_set_state(sp, SPROC_LEFT);
	sproc_hold(sp, bpd_now_ms() + HOLD_MAX_MS);
	return err;
}

/* A signal from the master (from the process's ghost). */
int proc_signal(struct session *s, const struct bpwire_msg *m)
{
	struct sproc *sp = sproc_by_pid(m->u.signal.pid);

	(void)s;
	if (!sp)
		return 0;
	switch (sp->state) {
	case SPROC_LEAVING:
	case SPROC_LEAVING_ENDED:
		/* For wherever it is once the master answers. */
		sp->t.sigs |= 1ull << (m->u.signal.sig - 1);
		break;
	case SPROC_RUNNING:
	case SPROC_REPORTED:
		bpnsinit_kill(S.ns, sp->pid, m->u.signal.sig);
		calls_interrupt(sp->pid, m->u.signal.sig);
		break;
	case SPROC_ARRIVING:
	case SPROC_LEFT:
		break;
	}
	return 0;
}

/* ---- ending -------------------------------------------------------------- */

/* @sp ended with @status: its output, then EXIT to the master; it is freed. */
int send_exit(struct session *s, struct sproc *sp, int status)
{
	struct bpwire_msg m;
	int err;

	/*
	 * Its output first, all of it that is there now.  A child it left
	 * running may keep the pipe open: what it writes later has nowhere
	 * to go (the ghost ends), so do not wait for its end of file.
	 */
	proc_output_drain(s, sp, 1024);
	bpwire_init(&m, BPWIRE_EXIT, 0, s->node, BPROC_NODE_MASTER);
	m.u.exit.pid = sp->pid;
	m.u.exit.status = status;
	bpd_info("process %d ended (status 0x%x)", sp->pid, status);
	err = send_frame(s, &m);
	sproc_free(sp);
	return err;
}

/*
 * A process of the node's namespace ended (the kernel tells of every one).
 * A child forked here by one of ours is reaped by its parent here, not by
 * init: this is how its ghost hears of its end.
 */
int kernel_exit(struct session *s, const void *msg, size_t len)
{
	const struct bproc_msg_exit *k = msg;
	struct sproc *sp = sproc_by_pid(k->pid), *o, *next;
	struct bpwire_msg m;

	(void)len;
	if (!sp || !sp->forked || sp->state != SPROC_RUNNING)
		return 0;
	sproc_set_state(sp, SPROC_REPORTED);
	calls_end(s, sp->pid);
	bpwire_init(&m, BPWIRE_EXIT, 0, s->node, BPROC_NODE_MASTER);
	m.u.exit.pid = sp->pid;
	m.u.exit.status = k->status;
	bpd_info("process %d ended (status 0x%x)", sp->pid, k->status);
	/* Told ones whose parent reaped them here are done with. */
	for (o = sproc_first(); o; o = next) {
		next = sproc_next(o);
		if (o->state == SPROC_REPORTED && o != sp && !ns_has(o->pid))
			sproc_free(o);
	}
	return send_frame(s, &m);
}

/* Init's news about our processes. */
int proc_events(struct session *s)
{
	struct bpnsinit_event ev;
	struct bpwire_msg m;
	struct sproc *sp;
	uint64_t id;
	int r, err = 0;

	while (!err && (r = bpnsinit_event(S.ns, &ev)) > 0) {
		if (ev.type == BPNSINIT_LISTENER) {
			calls_listener(ev.fd);
			continue;
		}
		sp = sproc_by_pid(ev.pid);
		if (!sp)
			continue;
		/* Its MOVE's id while it arrives. */
		id = sp->state == SPROC_ARRIVING ? sp->t.id : 0;
		switch (ev.type) {
		case BPNSINIT_RESTORED:
			err = send_move_result(s, id, sp->pid, 0);
			if (sp->state == SPROC_ARRIVING) {
				sproc_set_transit(sp, 0);
				sproc_set_state(sp, SPROC_RUNNING);
			}
			break;
		case BPNSINIT_FAILED:
			bpd_warn("process %d: restore failed: %s", sp->pid,
				 strerror(ev.status));
			err = send_move_result(s, id, sp->pid, -ev.status);
			sproc_free(sp);
			break;
		case BPNSINIT_STOPPED:
		case BPNSINIT_CONTINUED:
			if (sp->state == SPROC_LEFT)
				break;
			bpwire_init(&m, BPWIRE_PSTATE, 0, s->node,
				    BPROC_NODE_MASTER);
			m.u.pstate.pid = sp->pid;
			m.u.pstate.state = ev.type == BPNSINIT_STOPPED ?
				BPWIRE_PSTATE_STOPPED : BPWIRE_PSTATE_CONTINUED;
			m.u.pstate.sig = ev.type == BPNSINIT_STOPPED ? ev.status : 0;
			err = send_frame(s, &m);
			break;
		case BPNSINIT_EXIT:
			switch (sp->state) {
			case SPROC_LEFT:	/* it lives on elsewhere (its hold ends) */
			case SPROC_REPORTED:	/* told when its parent waited */
				sproc_free(sp);
				break;
			case SPROC_LEAVING:
			case SPROC_LEAVING_ENDED:
				/* Killed while leaving: told with the answer. */
				sproc_set_state(sp, SPROC_LEAVING_ENDED);
				sp->t.status = ev.status;
				break;
			case SPROC_ARRIVING:
			case SPROC_RUNNING:
				calls_end(s, sp->pid);
				err = send_exit(s, sp, ev.status);
				break;
			}
			break;
		}
	}
	if (r < 0) {
		bpd_err("the node's process space is gone: %s", strerror(-r));
		return r;
	}
	if (!err)
		calls_arrived(s);
	return err;
}

void procs_abandon(void)
{
	struct sproc *sp;

	while ((sp = sproc_first())) {
		bpnsinit_kill(S.ns, sp->pid, SIGKILL);
		sproc_free(sp);
	}
}
