// SPDX-License-Identifier: GPL-2.0
/*
 * Forks on this node.  A process of ours that forks gets a child with a
 * PID of the master's: its ghost forks there (CALL fork), then init arms
 * ns_last_pid with that PID and the fork here runs.  One at a time:
 *
 *   IDLE --fork to the master--> ASKED --its PID--> PLACING --child there--> IDLE
 *                                  |  (others queue meanwhile)                 ^
 *                                  +--no answer in FORK_ANSWER_MS, an error----+
 *
 * and back at IDLE the queued forks get their turn, until one is in
 * flight again.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpslave.h"
#include "nsinit.h"

/* A fork the master has not answered within this long fails (EAGAIN). */
#define FORK_ANSWER_MS	10000

static struct {
	enum fork_state state;
	uint64_t since;			/* bpd_now_ms() when ASKED */
	struct queued_notif *queue, **tail;
} F = { .tail = &F.queue };

bool fork_wait_turn(int lfd, const struct seccomp_notif *n)
{
	struct queued_notif *q;

	if (F.state == FORK_IDLE)
		return false;
	q = calloc(1, sizeof(*q));
	if (!q) {
		notif_answer(lfd, n->id, false, -ENOMEM);
		return true;
	}
	q->lfd = lfd;
	q->n = *n;
	*F.tail = q;
	F.tail = &q->next;
	return true;
}

void fork_asked(void)
{
	F.state = FORK_ASKED;
	F.since = bpd_now_ms();
}

void fork_over_quiet(void)
{
	F.state = FORK_IDLE;
}

void fork_over(struct session *s)
{
	F.state = FORK_IDLE;
	/* Forks that waited for one in flight: their turn, until one is in flight. */
	while (F.state == FORK_IDLE && F.queue) {
		struct queued_notif *q = F.queue;

		F.queue = q->next;
		if (!F.queue)
			F.tail = &F.queue;
		notif_decide(s, q->lfd, &q->n);
		free(q);
	}
}

void fork_reset(void)
{
	while (F.queue) {
		struct queued_notif *q = F.queue;

		F.queue = q->next;
		free(q);
	}
	F.tail = &F.queue;
	F.state = FORK_IDLE;
}

void fork_lost(struct session *s, int pid)
{
	struct bpwire_msg m;

	/* Its ghost ends; its parent on the master collects it. */
	bpwire_init(&m, BPWIRE_EXIT, 0, s->node, BPROC_NODE_MASTER);
	m.u.exit.pid = pid;
	m.u.exit.status = SIGKILL;
	send_frame(s, &m);
}

/*
 * The master forked the caller's ghost: the child here must get the same
 * PID.  Init arms ns_last_pid, the fork runs, and the child is ours.
 */
void fork_result(struct session *s, struct pending_call *c, long val)
{
	struct sproc *sp;
	int err, i;

	if (val <= 0) {
		bpd_warn("process %d: its ghost could not fork: %s", c->pid,
			 strerror(val ? (int)-val : EIO));
		notif_answer(c->lfd, c->notif, false, val ? val : -EIO);
		goto out;
	}
	err = ns_has((int)val) ? -EEXIST : bpnsinit_forking(S.ns, (pid_t)val);
	sp = err ? NULL : sproc_new((int)val, SPROC_RUNNING);
	if (!sp) {
		bpd_warn("process %d: cannot fork here as %ld: %s", c->pid, val,
			 strerror(err ? -err : ENOMEM));
		notif_answer(c->lfd, c->notif, false, -EAGAIN);
		goto lost;
	}
	sp->forked = true;
	F.state = FORK_PLACING;
	notif_answer(c->lfd, c->notif, true, 0);
	/*
	 * It runs at once; the next fork must not take its PID: wait until
	 * the child is there, or its PID was taken (a child that ended at
	 * once: its end comes from the kernel as any other's).
	 */
	for (i = 0; i < 2000 && !ns_has((int)val); i++) {
		if (bpnsinit_forked(S.ns, (pid_t)val) != -EAGAIN)
			goto out;
		usleep(500);
	}
	if (ns_has((int)val))
		goto out;
	bpd_warn("process %d: its child %ld did not appear here", c->pid, val);
	sproc_free(sp);
lost:
	fork_lost(s, (int)val);
out:
	fork_over(s);
}

/*
 * A fork the master has not answered in FORK_ANSWER_MS (its ghost stuck,
 * or the answer lost): the caller's fork fails with EAGAIN, the next goes.
 */
void fork_timeout(struct session *s, uint64_t now)
{
	struct pending_call *c;

	if (F.state != FORK_ASKED || now - F.since < FORK_ANSWER_MS)
		return;
	while ((c = calls_take_fork())) {
		bpd_warn("process %d: no answer to its fork: EAGAIN", c->pid);
		notif_answer(c->lfd, c->notif, false, -EAGAIN);
		free(c);
	}
	fork_over(s);
}
