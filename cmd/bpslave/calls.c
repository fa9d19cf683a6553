// SPDX-License-Identifier: GPL-2.0
/*
 * PID-space calls of our processes.
 *
 * Each restored process (and every child it forks here) has a seccomp
 * filter whose listener we hold (BPNSINIT_LISTENER): its getppid, kill,
 * wait and process-group calls stop until we answer.  callrules.c says
 * which run here (CONTINUE: the kernel runs them as asked); the rest go to
 * the master, where the process's ghost makes them (BPWIRE_CALL), and the
 * answer comes back as CALL_RESULT.  Forks are fork.c's.
 * Documentation/process-space.md has the rules.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "bpslave.h"
#include "callrules.h"
#include "nsinit.h"

struct listener {
	int fd;
	struct listener *next;
};

static struct listener *listeners;
static size_t nlisteners;
static struct pending_call *pcalls;
static uint64_t call_seq;
/* Calls of processes that run but whose arrival the master is not told yet. */
static struct queued_notif *held;

/* ---- what the rules ask of the namespace -------------------------------- */

/* /proc/@host/status (@host in our PID namespace), or NULL. */
static FILE *proc_status(pid_t host)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/status", (int)host);
	return fopen(path, "re");
}

/*
 * The second of the numbers of an "NStgid:" line (@p: after the tag): the
 * PID in the node's namespace, which must be the last (one in a namespace
 * nested inside, unshare -p, is not the master PID its innermost number
 * might equal); else -1.
 */
static int nstgid_node(const char *p)
{
	int n = 0, pid = -1;
	char *end;

	for (; *p; p = end) {
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		if (++n == 2)
			pid = (int)v;
	}
	return n == 2 ? pid : -1;
}

/*
 * What a call needs of thread @host (our PID namespace), in one read of its
 * status: its process's master PID (its PID in the node's namespace; a
 * thread's own number could be a PID the master gave another process), or
 * -1; and in @c its ids and capabilities now (@c_ok: all were there).  The
 * thread waits in its call (its listener holds it), so they cannot change
 * until it is answered; that the thread is still the caller, not a reused
 * number, the caller checks (SECCOMP_IOCTL_NOTIF_ID_VALID).
 */
static int caller_status(pid_t host, struct bproc_call_cred *c, bool *c_ok)
{
	FILE *f = proc_status(host);
	char line[256];
	unsigned long long prm, eff;
	int pid = -1, got = 0;

	*c_ok = false;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "NStgid:", 7))
			pid = nstgid_node(line + 7);
		else if (sscanf(line, "Uid: %u %u %u", &c->uid, &c->euid, &c->suid) == 3)
			got |= 1;
		else if (sscanf(line, "Gid: %u %u %u", &c->gid, &c->egid, &c->sgid) == 3)
			got |= 2;
		else if (sscanf(line, "CapPrm: %llx", &prm) == 1)
			c->cap_permitted = prm, got |= 4;
		else if (sscanf(line, "CapEff: %llx", &eff) == 1)
			c->cap_effective = eff, got |= 8;
	}
	fclose(f);
	*c_ok = got == 15;
	return pid;
}

bool ns_has(int pid)
{
	char path[64];

	if (pid <= 1)
		return false;
	snprintf(path, sizeof(path), BPNSINIT_PROC "/%d", pid);
	return access(path, F_OK) == 0;
}

static bool ns_has_cb(void *ctx, int pid)
{
	(void)ctx;
	return ns_has(pid);
}

static bool ns_known(void *ctx, int pid)
{
	(void)ctx;
	return sproc_by_pid(pid) != NULL;
}

/*
 * Children of process @pid here (namespace PIDs), of all its threads (any
 * may reap a child another made), into @kids (up to @max); their count.
 */
int ns_kids(int pid, int *kids, int max)
{
	char path[96], buf[4096];
	struct dirent *de;
	int n = 0, fd;
	DIR *d;

	snprintf(path, sizeof(path), BPNSINIT_PROC "/%d/task", pid);
	d = opendir(path);
	if (!d)
		return 0;
	while (n < max && (de = readdir(d))) {
		char name[32], *p, *end;
		ssize_t r;

		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    snprintf(name, sizeof(name), "%s/children", de->d_name) >=
			    (int)sizeof(name))
			continue;
		fd = openat(dirfd(d), name, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;	/* that thread ended */
		r = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (r <= 0)
			continue;
		buf[r] = '\0';
		for (p = buf; n < max; p = end) {
			long v = strtol(p, &end, 10);

			if (end == p)
				break;
			kids[n++] = (int)v;
		}
	}
	closedir(d);
	return n;
}

static int ns_children(void *ctx, int pid, int *kids, int max)
{
	(void)ctx;
	return ns_kids(pid, kids, max);
}

/* The process group of @pid here, or -1. */
static int ns_pgid(void *ctx, int pid)
{
	char path[64], buf[512], *p;
	int fd, pgid = -1;
	ssize_t r;

	(void)ctx;
	snprintf(path, sizeof(path), BPNSINIT_PROC "/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r <= 0)
		return -1;
	buf[r] = '\0';
	p = strrchr(buf, ')');
	/* ") S ppid pgrp" */
	if (p && sscanf(p + 1, " %*c %*d %d", &pgid) != 1)
		pgid = -1;
	return pgid;
}

static const struct call_ns node_ns = {
	.has = ns_has_cb,
	.known = ns_known,
	.children = ns_children,
	.pgid = ns_pgid,
};

/* ---- listeners ---------------------------------------------------------- */

void calls_listener(int fd)
{
	struct listener *l = calloc(1, sizeof(*l));

	if (!l) {
		close(fd);	/* its calls fail: ENOSYS */
		return;
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	l->fd = fd;
	l->next = listeners;
	listeners = l;
	nlisteners++;
}

size_t calls_nlisteners(void)
{
	return nlisteners;
}

size_t calls_poll(struct pollfd *p, void **who)
{
	struct listener *l;
	size_t n = 0;

	for (l = listeners; l; l = l->next, n++) {
		who[n] = l;
		p[n] = (struct pollfd){ .fd = l->fd, .events = POLLIN };
	}
	return n;
}

/* Listener @l has calls (or no process uses its filter any more). */
void calls_ready(struct session *s, void *who, short ev)
{
	struct listener *l = who, **pp;

	if (ev & POLLIN) {
		struct seccomp_notif n;

		memset(&n, 0, sizeof(n));
		if (ioctl(l->fd, SECCOMP_IOCTL_NOTIF_RECV, &n) < 0)
			return;		/* gone meanwhile (ENOENT), or EINTR */
		notif_decide(s, l->fd, &n);
		return;
	}
	if (!(ev & (POLLHUP | POLLERR)))
		return;
	for (struct queued_notif **qp = &held, *q; (q = *qp);) {
		if (q->lfd == l->fd) {	/* its namespace is gone */
			*qp = q->next;
			free(q);
		} else {
			qp = &q->next;
		}
	}
	for (pp = &listeners; *pp; pp = &(*pp)->next) {
		if (*pp == l) {
			*pp = l->next;
			close(l->fd);
			free(l);
			nlisteners--;
			return;
		}
	}
}

void calls_close(void)
{
	while (listeners) {
		struct listener *l = listeners;

		listeners = l->next;
		close(l->fd);
		free(l);
	}
	nlisteners = 0;
	while (held) {
		struct queued_notif *q = held;

		held = q->next;
		free(q);
	}
	while (pcalls) {
		struct pending_call *c = pcalls;

		pcalls = c->next;
		free(c);
	}
	/* Their listeners are closed: those callers get ENOSYS-like ends. */
	fork_reset();
}

/* ---- deciding and answering --------------------------------------------- */

/* Answer notification @id: run the call (@cont) or return @val (-errno). */
void notif_answer(int lfd, uint64_t id, bool cont, long val)
{
	struct seccomp_notif_resp r;

	memset(&r, 0, sizeof(r));
	r.id = id;
	if (cont)
		r.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	else if (val < 0)
		r.error = (int32_t)val;
	else
		r.val = val;
	/* ENOENT: the caller was interrupted meanwhile; nothing to do. */
	ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, &r);
}

/* Read @len bytes at the caller's @addr. */
static bool caller_read(pid_t host, uint64_t addr, void *p, size_t len)
{
	struct iovec l = { .iov_base = p, .iov_len = len };
	struct iovec r = { .iov_base = (void *)(uintptr_t)addr, .iov_len = len };

	return process_vm_readv(host, &l, 1, &r, 1, 0) == (ssize_t)len;
}

/* Write @len bytes of the master's answer to the caller's @addr. */
static int caller_write(pid_t host, uint64_t addr, const void *p, size_t len)
{
	struct iovec l = { .iov_base = (void *)p, .iov_len = len };
	struct iovec r = { .iov_base = (void *)(uintptr_t)addr, .iov_len = len };

	if (!addr)
		return 0;
	return process_vm_writev(host, &l, 1, &r, 1, 0) == (ssize_t)len ? 0 : -EFAULT;
}

static int send_call(struct session *s, struct pending_call *c,
		     const void *data, size_t len)
{
	struct bpwire_msg m;
	int err;

	bpwire_init(&m, BPWIRE_CALL, c->id, s->node, BPROC_NODE_MASTER);
	m.u.call.pid = c->pid;
	m.u.call.nr = c->nr;
	memcpy(m.u.call.args, c->args, sizeof(c->args));
	m.u.call.cred = c->cred;
	m.u.call.data = len ? data : NULL;
	m.u.call.len = (uint32_t)len;
	err = send_frame(s, &m);
	if (!err) {
		c->next = pcalls;
		pcalls = c;
	}
	return err;
}

/* Hold notification @n of listener @lfd until calls_arrived(). */
static void calls_hold(int lfd, const struct seccomp_notif *n)
{
	struct queued_notif *q = calloc(1, sizeof(*q)), **tail = &held;

	if (!q) {
		notif_answer(lfd, n->id, false, -ENOMEM);
		return;
	}
	q->lfd = lfd;
	q->n = *n;
	while (*tail)	/* in the order they came (a few at most) */
		tail = &(*tail)->next;
	*tail = q;
}

void notif_decide(struct session *s, int lfd, const struct seccomp_notif *np)
{
	struct seccomp_notif n = *np;
	unsigned char info[BPWIRE_CALL_DATA_MAX];
	struct pending_call *c;
	struct call_notif cn;
	enum call_verdict v;
	struct bproc_call_cred cred;
	struct sproc *sp;
	size_t ilen = 0;
	bool cred_ok;

	memset(&cn, 0, sizeof(cn));
	cn.nr = (uint32_t)n.data.nr;
	memcpy(cn.args, n.data.args, sizeof(cn.args));
	if (n.data.nr == SYS_clone3) {
		/* The filter refuses it (nsinit.c): its flags can change under us. */
		notif_answer(lfd, n.id, false, -ENOSYS);
		return;
	}
	/*
	 * While a fork is placed at its PID, nothing else here may take a
	 * PID: other forks, and new threads too, wait for their turn.
	 */
	if ((call_is_fork(&cn) || cn.nr == SYS_clone) && fork_wait_turn(lfd, &n))
		return;
	cn.caller = caller_status((pid_t)n.pid, &cred, &cred_ok);
	sp = sproc_by_pid(cn.caller);
	if (sp && sp->state == SPROC_ARRIVING) {
		/*
		 * Restored and running, but init's word of it (RESTORED) is
		 * not here yet, so neither is the master's: a call sent now
		 * would find no process there (ESRCH).  It waits for that.
		 */
		calls_hold(lfd, &n);
		return;
	}
	cn.caller_has_ghost = sp && sp->state != SPROC_LEFT;
	cn.connected = s->node >= 0;
	v = call_decide(&cn, &node_ns);
	if (v == CALL_RUN_HERE) {
		notif_answer(lfd, n.id, true, 0);
		return;
	}
	if (v == CALL_FORK_TO_MASTER)
		fork_asked();	/* till the master answers */
	if (n.data.nr == SYS_rt_sigqueueinfo || n.data.nr == SYS_rt_tgsigqueueinfo) {
		if (!caller_read((pid_t)n.pid,
				 n.data.args[n.data.nr == SYS_rt_sigqueueinfo ? 2 : 3],
				 info, BPROC_SIGINFO_SIZE)) {
			notif_answer(lfd, n.id, false, -EFAULT);
			return;
		}
		ilen = BPROC_SIGINFO_SIZE;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		if (v == CALL_FORK_TO_MASTER)
			fork_over(s);
		notif_answer(lfd, n.id, false, -ENOMEM);
		return;
	}
	/*
	 * The rights it calls with are its own now (review item 7), read
	 * while it waits; then its notification must still be live, so the
	 * thread read was the caller.
	 */
	if (!cred_ok || ioctl(lfd, SECCOMP_IOCTL_NOTIF_ID_VALID, &n.id) < 0) {
		if (v == CALL_FORK_TO_MASTER)
			fork_over(s);
		free(c);
		notif_answer(lfd, n.id, false, -ESRCH);
		return;
	}
	c->id = ++call_seq;
	c->notif = n.id;
	c->lfd = lfd;
	c->host = (pid_t)n.pid;
	c->pid = cn.caller;
	c->cred = cred;
	c->nr = (uint32_t)n.data.nr;
	memcpy(c->args, n.data.args, sizeof(c->args));
	if (v == CALL_FORK_TO_MASTER) {
		/* The ghost forks: the child's PID, and its ghost, are the master's. */
		c->nr = BPROC_CALL_FORK;
		c->clone_flags = n.data.nr == SYS_clone ? n.data.args[0] : 0;
		memset(c->args, 0, sizeof(c->args));
	}
	if (send_call(s, c, info, ilen)) {
		if (c->nr == BPROC_CALL_FORK)
			fork_over_quiet();
		free(c);
		notif_answer(lfd, n.id, false, -EIO);
	}
}

/* The signal masks of @host (our PID namespace): 0, or -1 if unreadable. */
static int sig_masks(pid_t host, uint64_t *blk, uint64_t *ign, uint64_t *cgt)
{
	FILE *f = proc_status(host);
	char line[128];
	int got = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v;

		if (sscanf(line, "SigBlk: %llx", &v) == 1)
			*blk = v, got |= 1;
		else if (sscanf(line, "SigIgn: %llx", &v) == 1)
			*ign = v, got |= 2;
		else if (sscanf(line, "SigCgt: %llx", &v) == 1)
			*cgt = v, got |= 4;
	}
	fclose(f);
	return got == 7 ? 0 : -1;
}

/*
 * Signal @sig was just delivered to @pid (delivered: init's kill() has
 * returned, so it is pending).  A wait of it that waits on the master ends
 * as a native one would when the signal has an effect there: a handler
 * runs, or a stop signal stops it.  The answer is -ERESTARTSYS with the
 * signal pending: restarted or EINTR, as its handler says.  A signal that
 * is ignored or blocked leaves the wait waiting (an answer without a
 * pending signal would reach the program as errno 512); a fatal one kills
 * it anyway.  Its ghost's wait is abandoned (its next call replaces it).
 */
void calls_interrupt(int pid, int sig)
{
	struct pending_call **pp = &pcalls, *c;

	while ((c = *pp)) {
		uint64_t blk = 0, ign = 0, cgt = 0, bit = 1ull << (sig - 1);
		bool stop = sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;

		if (c->pid == pid && (c->nr == SYS_wait4 || c->nr == SYS_waitid) &&
		    sig >= 1 && sig <= 64 && !sig_masks(c->host, &blk, &ign, &cgt) &&
		    (sig == SIGSTOP || (!(blk & bit) && !(ign & bit) &&
					((cgt & bit) || stop)))) {
			*pp = c->next;
			notif_answer(c->lfd, c->notif, false, -512 /* ERESTARTSYS */);
			free(c);
		} else {
			pp = &c->next;
		}
	}
}

/*
 * Init told of arrivals: the calls held for them are decided again (one
 * whose caller still arrives is held again).
 */
void calls_arrived(struct session *s)
{
	struct queued_notif *q = held;

	held = NULL;
	while (q) {
		struct queued_notif *next = q->next;

		notif_decide(s, q->lfd, &q->n);
		free(q);
		q = next;
	}
}

/*
 * Process @pid ended: its calls waiting on the master are dropped (their
 * answers find nobody); a fork of its in flight lets the next one go.
 */
void calls_end(struct session *s, int pid)
{
	struct pending_call **pp = &pcalls, *c;
	bool fork = false;

	while ((c = *pp)) {
		if (c->pid == pid) {
			fork |= c->nr == BPROC_CALL_FORK;
			*pp = c->next;
			free(c);
		} else {
			pp = &c->next;
		}
	}
	if (fork)
		fork_over(s);
}

int calls_fork_again(struct session *s, const struct pending_call *c)
{
	struct pending_call *again = malloc(sizeof(*again));
	int err;

	if (!again)
		return -ENOMEM;
	*again = *c;
	again->id = ++call_seq;
	again->tries++;
	err = send_call(s, again, NULL, 0);
	if (err)
		free(again);
	return err;
}

struct pending_call *calls_take_fork(void)
{
	struct pending_call **pp, *c;

	for (pp = &pcalls; (c = *pp); pp = &c->next) {
		if (c->nr == BPROC_CALL_FORK) {
			*pp = c->next;
			return c;
		}
	}
	return NULL;
}

/* The master's answer to one of our calls. */
int call_result(struct session *s, const struct bpwire_msg *m)
{
	const struct bpwire_call_result *r = &m->u.call_result;
	struct pending_call **pp, *c;
	struct bproc_call_out out;
	long val = m->hdr.result;
	int err = 0;

	for (pp = &pcalls; (c = *pp); pp = &c->next)
		if (c->id == m->hdr.id)
			break;
	if (!c || c->pid != r->pid) {
		/* A fork we gave up on (too late, or its caller ended). */
		if (r->nr == BPROC_CALL_FORK && val > 0 && !ns_has((int)val))
			fork_lost(s, (int)val);
		return 0;	/* not ours (any more) */
	}
	*pp = c->next;
	/* Still waiting?  Then its memory is as it was. */
	if (ioctl(c->lfd, SECCOMP_IOCTL_NOTIF_ID_VALID, &c->notif) < 0) {
		if (c->nr == BPROC_CALL_FORK) {
			/* Gone before its child was made: that ghost ends. */
			if (val > 0)
				fork_lost(s, (int)val);
			fork_over(s);
		}
		free(c);
		return 0;
	}
	if (c->nr == BPROC_CALL_FORK) {
		fork_result(s, c, val);
		free(c);
		return 0;
	}
	if ((c->nr == SYS_wait4 || c->nr == SYS_waitid) && val >= 0) {
		memset(&out, 0, sizeof(out));
		memcpy(&out, r->data, r->len < sizeof(out) ? r->len : sizeof(out));
		if (c->nr == SYS_wait4) {
			if (val > 0)
				err = caller_write(c->host, c->args[1], &out.status,
						   sizeof(out.status));
			if (!err)
				err = caller_write(c->host, c->args[3], out.rusage,
						   sizeof(out.rusage));
		} else {
			err = caller_write(c->host, c->args[2], out.info,
					   sizeof(out.info));
			if (!err)
				err = caller_write(c->host, c->args[4], out.rusage,
						   sizeof(out.rusage));
		}
		if (err)
			val = err;
	}
	notif_answer(c->lfd, c->notif, false, val);
	free(c);
	return 0;
}
