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
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bpslave.h"
#include "nsinit.h"

/* A fork the master has not answered within this long fails (EAGAIN). */
#define FORK_ANSWER_MS	10000
/* A fork whose PID from the master is taken here asks again, this often. */
#define FORK_TRIES	16

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
 * The directory of process @pid in the node's procfs (a descriptor that
 * stays with that process, whatever takes its number later), and from its
 * status its Tgid and PPid there, and whether it ended (a zombie): the
 * descriptor, or -1.
 */
static int ns_proc(int pid, int *tgid, int *ppid, bool *ended)
{
	char path[64], buf[2048], *p;
	int dfd, fd;
	ssize_t r;

	snprintf(path, sizeof(path), BPNSINIT_PROC "/%d", pid);
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	fd = openat(dfd, "status", O_RDONLY | O_CLOEXEC);
	r = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	*tgid = *ppid = -1;
	*ended = false;
	if (r > 0) {
		buf[r] = '\0';
		p = strstr(buf, "\nState:");
		if (p)
			*ended = strchr("ZX", p[8 + strspn(p + 8, " \t")]) != NULL;
		p = strstr(buf, "\nTgid:");
		if (p)
			*tgid = atoi(p + 6);
		p = strstr(buf, "\nPPid:");
		if (p)
			*ppid = atoi(p + 6);
	}
	if (*tgid < 0 || *ppid < 0) {
		close(dfd);
		return -1;
	}
	return dfd;
}

/* Whose child the caller's fork makes: the caller's, or with CLONE_PARENT its parent's. */
static int fork_parent(const struct pending_call *c)
{
	int tgid, ppid, dfd;
	bool ended;

	if (!(c->clone_flags & CLONE_PARENT))
		return c->pid;
	dfd = ns_proc(c->pid, &tgid, &ppid, &ended);
	if (dfd < 0)
		return -1;
	close(dfd);
	return ppid;
}

/*
 * Is the process at @pid the child the caller's fork made?  It must be a
 * process (not a thread: its Tgid is its PID) whose parent is the fork's.
 * Every other fork here waits while this one is placed, and so does every
 * new thread (notif_decide()); but an io_uring worker is made by the
 * kernel without a call, and a fork let go just before may take its PID
 * late.  Either could hold @pid, and the master's PID, its ghost and the
 * rights of the caller over it would be theirs (issue 19, item 9).
 */
static bool fork_placed(int pid, int parent)
{
	int tgid, ppid, dfd;
	bool ended;

	dfd = ns_proc(pid, &tgid, &ppid, &ended);
	if (dfd < 0)
		return false;
	close(dfd);
	return parent > 0 && tgid == pid && ppid == parent;
}

/*
 * The caller's fork did not get the master's PID: its child is elsewhere,
 * a process the master does not know.  Find it among the children of the
 * fork's @parent (for up to @wait_ms while it is being made) and kill it:
 * the caller sees its child end by SIGKILL, as the master sees the ghost's.
 * True if one was found.
 */
static bool fork_stray(const struct pending_call *c, int parent, int wait_ms)
{
	int kids[256], n, i, tgid, ppid, dfd;
	bool ended;

	for (int t = 0; parent > 0 && t <= wait_ms; t++) {
		n = ns_kids(parent, kids, 256);
		for (i = 0; i < n; i++) {
			if (sproc_by_pid(kids[i]))
				continue;	/* one the master knows */
			dfd = ns_proc(kids[i], &tgid, &ppid, &ended);
			if (dfd < 0)
				continue;
			/* (a zombie: one killed before, or ended) */
			if (tgid == kids[i] && ppid == parent && !ended) {
				bpd_warn("process %d: its child %d has no PID of the master's: killed",
					 c->pid, kids[i]);
				if (syscall(SYS_pidfd_send_signal, dfd, SIGKILL, NULL, 0))
					bpd_warn("process %d: cannot kill its child %d: %s",
						 c->pid, kids[i], strerror(errno));
				close(dfd);
				return true;
			}
			close(dfd);
		}
		usleep(1000);
	}
	return false;
}

/*
 * After a fork placed at @pid, the PIDs this node takes for itself (new
 * threads, io_uring workers) start half the PID space away: the master's
 * next PIDs follow @pid, and a PID taken here is one its fork cannot have
 * (it asks again: FORK_TRIES).
 */
static void fork_park(int pid)
{
	static int pid_max;
	int span, r;

	if (!pid_max) {
		FILE *f = fopen("/proc/sys/kernel/pid_max", "re");

		if (!f || fscanf(f, "%d", &pid_max) != 1 || pid_max <= 1000)
			pid_max = 32768;
		if (f)
			fclose(f);
		if (pid_max > BPNSINIT_PID_LIMIT)
			pid_max = BPNSINIT_PID_LIMIT;
	}
	/* PIDs up to 300 are reused only when the space wraps (RESERVED_PIDS). */
	span = pid_max - 301;
	r = bpnsinit_park(S.ns, 301 + (pid - 301 + span / 2 + span) % span);
	if (r)
		bpd_warn("cannot set this node's next PID: %s", strerror(-r));
}

/*
 * The master forked the caller's ghost: the child here must get the same
 * PID.  Init arms ns_last_pid, the fork runs, and the child is ours, once
 * it is seen there as the caller's child.
 */
void fork_result(struct session *s, struct pending_call *c, long val)
{
	struct sproc *sp;
	bool taken = false;
	int err, i, parent;

	if (val <= 0) {
		bpd_warn("process %d: its ghost could not fork: %s", c->pid,
			 strerror(val ? (int)-val : EIO));
		notif_answer(c->lfd, c->notif, false, val ? val : -EIO);
		goto out;
	}
	parent = fork_parent(c);
	if (ns_has((int)val) && c->tries + 1 < FORK_TRIES) {
		/*
		 * A thread or an io_uring worker here has that PID (the
		 * master cannot know): that ghost ends, another is asked for.
		 */
		fork_lost(s, (int)val);
		if (!calls_fork_again(s, c)) {
			fork_asked();
			return;
		}
		notif_answer(c->lfd, c->notif, false, -EAGAIN);
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
	 * the PID is taken (ns_last_pid moved on) and the child is there, or
	 * a little longer if it is not (a child that ended at once: its end
	 * comes from the kernel as any other's).
	 */
	for (i = 0; i < 2000 && !ns_has((int)val); i++) {
		if (!taken && bpnsinit_forked(S.ns, (pid_t)val) != -EAGAIN) {
			taken = true;
			i = 1980;	/* the child is made: 10 ms more to see it */
		}
		usleep(500);
	}
	fork_park((int)val);
	/*
	 * Not there though its PID was taken: its child ended at once (and
	 * was reaped), or another task took the PID and ended, and its child
	 * is elsewhere, being made: look for it a while.
	 */
	if (ns_has((int)val) ? fork_placed((int)val, parent) :
			       taken && !fork_stray(c, parent, 200))
		goto out;
	if (ns_has((int)val) || taken) {
		bpd_warn("process %d: PID %ld here is not its child's", c->pid, val);
		if (ns_has((int)val))
			fork_stray(c, parent, 200);
	} else {
		bpd_warn("process %d: its child %ld did not appear here", c->pid, val);
	}
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
