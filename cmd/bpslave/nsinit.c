// SPDX-License-Identifier: GPL-2.0
/*
 * bpnsinit - the init of a slave's PID namespace (see nsinit.h).
 *
 * bpslave and init talk over two SOCK_SEQPACKET socket pairs:
 *
 *   ctl  requests and their replies, one at a time: bpslave sends a
 *        struct nsi_req (with four descriptors for NSI_RESTORE) and waits
 *        for the struct nsi_reply with the same seq.  Init answers every
 *        request at once; it never waits on anything else.  On start, init
 *        sends an unsolicited reply with seq 0: ready, or why not.
 *   ev   events, init to bpslave: struct nsi_ev.  Init sends them without
 *        blocking; while its small queue is full it stops reaping and
 *        stops reading report pipes, so the kernel holds the rest.
 *
 * Init (PID 1 of the namespace) is single-threaded: one poll() over ctl,
 * ev, a signalfd for SIGCHLD and the report pipe of every restore under
 * way.  A restore: init makes a report pipe and forks the restorer with
 * clone3(set_tid = {pid}); the restorer moves the image to fd 3, the
 * report pipe to fd 4 and stdin/stdout/stderr to 0-2, closes everything
 * else, and calls bproc_vmaundump_flags(3, BPROC_UNDUMP_CLOSEFDS).  A
 * successful restore closes fds >= 3, so end of file on the report pipe
 * without an errno means RESTORED; a failing one writes its errno and
 * exits (FAILED, reported once the restorer is reaped and its PID free).
 *
 * If bpslave goes away (end of file on ctl or ev, or its death through
 * PR_SET_PDEATHSIG), init kills the namespace's processes and exits; the
 * kernel then tears the namespace down.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/bproc.h>
#include <linux/sched.h>
#include <linux/types.h>

#include "internal.h"
#include "nsinit.h"

#define PID_MAX_FILE	"/proc/sys/kernel/pid_max"
#define SIG_LIMIT	64		/* the highest signal number */
#define EV_QUEUE	64		/* events init holds while ev is full */

/* Init logs (rarely) to the standard error it shares with bpslave. */
#define nsi_log(fmt, ...) \
	dprintf(STDERR_FILENO, "bpnsinit: " fmt "\n", ##__VA_ARGS__)

int (*bpnsinit_test_undump)(int imgfd, int flags);
bool bpnsinit_calls;
bool bpnsinit_view;

/* ---- the messages ---------------------------------------------------- */

enum { NSI_RESTORE = 1, NSI_KILL = 2, NSI_FORKING = 3, NSI_FORKED = 4, NSI_PARK = 5 };

struct nsi_req {
	__u32 op;		/* NSI_* */
	__u32 seq;		/* echoed in the reply; never 0 */
	__s32 pid;
	__s32 sig;		/* NSI_KILL; 0 for NSI_RESTORE */
};

struct nsi_reply {
	__u32 seq;
	__s32 err;		/* 0 or a positive errno */
};

struct nsi_ev {
	__s32 type;		/* BPNSINIT_* */
	__s32 pid;
	__s32 status;
	__u32 pad;		/* 0 */
};

/* NSI_RESTORE's descriptors, in this order. */
enum { NSI_FD_IMG, NSI_FD_IN, NSI_FD_OUT, NSI_FD_ERR, NSI_NFDS };

_Static_assert(sizeof(struct nsi_req) == 16, "nsi_req");
_Static_assert(sizeof(struct nsi_reply) == 8, "nsi_reply");
_Static_assert(sizeof(struct nsi_ev) == 16, "nsi_ev");

struct bpnsinit {
	pid_t pid;		/* init, in our namespace */
	int ctl;
	int ev;
	__u32 seq;
};

/* ---- the init process ---------------------------------------------- */

/* A restore under way: forked, its outcome not yet reported. */
struct pending {
	pid_t pid;
	int fd;			/* the report pipe's read end, or -1 */
	int err;		/* the restorer's errno, once read */
};

/* Only the init process touches this. */
static struct {
	int ctl, ev, sfd;
	struct pending pend[BPNSINIT_PENDING_MAX];
	unsigned int npend;
	struct nsi_ev q[EV_QUEUE];
	unsigned int qhead, qlen;
	bool owed;		/* reap() stopped with children to collect */
	struct pollfd pfd[3 + BPNSINIT_PENDING_MAX];
	/* PIDs restored and not yet reported as FAILED or EXIT */
	unsigned char tracked[BPNSINIT_PID_LIMIT / 8 + 1];
} I;

static bool is_tracked(pid_t pid)
{
	return I.tracked[pid / 8] & (1u << (pid % 8));
}

static void set_tracked(pid_t pid, bool on)
{
	if (on)
		I.tracked[pid / 8] |= 1u << (pid % 8);
	else
		I.tracked[pid / 8] &= ~(1u << (pid % 8));
}

/* bpslave is gone: end the namespace (the kernel does the rest). */
static _Noreturn void nsi_die(void)
{
	kill(-1, SIGKILL);
	_exit(0);
}

/*
 * Put @src[i] at descriptor @dst[i] (all @dst < @from, distinct) and
 * close every descriptor >= @from.  Descriptors below @from that are not
 * targets stay as they are.  Returns 0 or -1 with errno (nothing changed).
 */
static int place_fds(const int *src, const int *dst, int n, int from)
{
	int tmp[8];
	int i;

	for (i = 0; i < n; i++) {
		tmp[i] = fcntl(src[i], F_DUPFD_CLOEXEC, from);
		if (tmp[i] < 0) {
			int err = errno;

			while (i--)
				close(tmp[i]);
			errno = err;
			return -1;
		}
	}
	for (i = 0; i < n; i++)
		dup2(tmp[i], dst[i]);
	close_range(from, ~0U, 0);
	return 0;
}

static bool ev_room(void)
{
	return I.qlen + 2 <= EV_QUEUE;
}

static void ev_push(int type, pid_t pid, int status)
{
	struct nsi_ev *e = &I.q[(I.qhead + I.qlen) % EV_QUEUE];

	e->type = type;
	e->pid = pid;
	e->status = status;
	e->pad = 0;
	I.qlen++;
}

static void ev_flush(void)
{
	while (I.qlen) {
		ssize_t r = send(I.ev, &I.q[I.qhead], sizeof(struct nsi_ev),
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return;
			nsi_die();
		}
		I.qhead = (I.qhead + 1) % EV_QUEUE;
		I.qlen--;
	}
}

static int find_pending(pid_t pid)
{
	unsigned int i;

	for (i = 0; i < I.npend; i++)
		if (I.pend[i].pid == pid)
			return (int)i;
	return -1;
}

static void drop_pending(unsigned int i)
{
	if (I.pend[i].fd >= 0)
		close(I.pend[i].fd);
	I.pend[i] = I.pend[--I.npend];
}

/*
 * Read restore @i's report pipe.  End of file: the image runs (RESTORED,
 * the entry goes).  An errno: the restore failed; the entry stays, without
 * its pipe, until the restorer is reaped.  Returns false if nothing is
 * known yet (the restorer has not got that far).
 */
static bool read_report(unsigned int i)
{
	struct pending *p = &I.pend[i];
	int err;
	ssize_t r;

	if (p->fd < 0)
		return true;
	do {
		r = read(p->fd, &err, sizeof(err));
	} while (r < 0 && errno == EINTR);
	if (r < 0 && errno == EAGAIN)
		return false;
	if (r == 0) {
		ev_push(BPNSINIT_RESTORED, p->pid, 0);
		drop_pending(i);
		return true;
	}
	if (r != sizeof(err) || err <= 0)
		err = EPROTO;
	p->err = err;
	close(p->fd);
	p->fd = -1;
	/* It exits at once anyway; make sure nothing keeps the PID. */
	kill(p->pid, SIGKILL);
	return true;
}

/*
 * Collect what the kernel holds for our children, as far as the queue
 * takes.  Sets I.owed when it stopped for want of room: SIGCHLD has been
 * taken from the signalfd, so the rest must be collected without waiting
 * for another.
 */
static void reap(void)
{
	I.owed = true;
	while (ev_room()) {
		int st, i;
		pid_t pid = waitpid(-1, &st, WNOHANG | WUNTRACED | WCONTINUED);

		if (pid <= 0) {
			I.owed = false;
			return;
		}
		if (pid > BPNSINIT_PID_LIMIT || !is_tracked(pid))
			continue;		/* an orphan: reaped silently */
		i = find_pending(pid);
		if (i >= 0) {
			bool gone = WIFEXITED(st) || WIFSIGNALED(st);

			read_report((unsigned int)i);
			i = find_pending(pid);
			if (i >= 0 && I.pend[i].err) {
				if (!gone)
					continue;
				ev_push(BPNSINIT_FAILED, pid, I.pend[i].err);
				drop_pending((unsigned int)i);
				set_tracked(pid, false);
				continue;
			}
			if (i >= 0 && gone) {
				/* Died while loading, say by a signal. */
				ev_push(BPNSINIT_RESTORED, pid, 0);
				drop_pending((unsigned int)i);
			}
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			ev_push(BPNSINIT_EXIT, pid, st);
			set_tracked(pid, false);
		} else if (WIFSTOPPED(st)) {
			ev_push(BPNSINIT_STOPPED, pid, WSTOPSIG(st));
		} else if (WIFCONTINUED(st)) {
			ev_push(BPNSINIT_CONTINUED, pid, 0);
		}
	}
}

/*
 * The PID-space calls a moved process makes on the master (through its
 * ghost) unless bpslave finds them local: a filter sends them to a
 * listener; everything else runs at full speed.  Once bpslave took a call,
 * a signal does not cut it short (SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV):
 * natively a fork is restarted after a signal, here it would fail with
 * EINTR.  A wait that waits on the master is cut short by bpslave when it
 * delivers a signal to the process (-ERESTARTSYS, as natively).
 *
 * Nothing gets around it (issue 19): a call of another ABI (i386's int
 * 0x80, x32's numbers) kills the process, since its numbers are not these;
 * clone3 fails with ENOSYS, since its flags are in the caller's memory,
 * which another thread can change between bpslave's look and the kernel's
 * (libc falls back to clone, whose flags are in registers).
 */
#define NCALLS_MAX BPROC_CALLS_NR

#ifndef __X32_SYSCALL_BIT
#define __X32_SYSCALL_BIT 0x40000000
#endif

/* Send listener @lfd of @pid to bpslave on @ev (BPNSINIT_LISTENER). */
static int send_listener(int ev, int lfd)
{
	struct nsi_ev m = { .type = BPNSINIT_LISTENER, .pid = getpid() };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = &m, .iov_len = sizeof(m) };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *cm;
	ssize_t r;

	memset(&u, 0, sizeof(u));
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &lfd, sizeof(int));
	do {
		r = sendmsg(ev, &mh, MSG_NOSIGNAL);
	} while (r < 0 && errno == EINTR);
	close(lfd);
	/* Without its listener the process's calls would fail. */
	return r == sizeof(m) ? 0 : -1;
}

/* One filter: @calls go to a new listener, sent to bpslave. */
static int pidspace_filter(int ev, const unsigned short *calls, unsigned int nc,
			   unsigned long flags)
{
	struct sock_filter f[8 + NCALLS_MAX + 2];
	struct sock_fprog prog = { .filter = f };
	unsigned int i, n = 0;
	int lfd;

	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
			AUDIT_ARCH_X86_64, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			offsetof(struct seccomp_data, nr));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
			__X32_SYSCALL_BIT, 0, 1);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
			SYS_clone3, 0, 1);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
			SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA));
	for (i = 0; i < nc; i++)
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
				calls[i], (unsigned char)(nc - i), 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
	prog.len = (unsigned short)n;

	lfd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			   SECCOMP_FILTER_FLAG_NEW_LISTENER | flags, &prog);
	if (lfd < 0)
		return -1;
	return send_listener(ev, lfd);
}

/*
 * Install the filter on ourselves (the restorer: the process to be, and
 * every child it will have) and send its listener to bpslave on @ev.
 * Returns 0 or -1 with errno.
 */
static int pidspace_filters(int ev)
{
	unsigned short calls[NCALLS_MAX];
	unsigned int nc = 0;

	/* The PID-space calls: bproc_call() (<linux/bproc.h>) lists them. */
	for (unsigned int nr = 0; nr < BPROC_CALL_NR_LIMIT; nr++)
		if (bproc_call(nr) && nc < NCALLS_MAX)
			calls[nc++] = (unsigned short)nr;
	return pidspace_filter(ev, calls, nc, SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
}

/* The restorer: the child at the chosen PID.  Never returns. */
static _Noreturn void restorer(const int *fds, int report)
{
	const int src[5] = { fds[NSI_FD_IN], fds[NSI_FD_OUT], fds[NSI_FD_ERR],
			     fds[NSI_FD_IMG], report };
	static const int dst[5] = { 0, 1, 2, 3, 4 };
	int (*undump)(int fd, int flags);
	sigset_t none;
	int err;

	if ((bpnsinit_calls && pidspace_filters(I.ev)) ||
	    place_fds(src, dst, 5, 5)) {
		err = errno;
		if (write(report, &err, sizeof(err)) < 0)
			_exit(127);
		_exit(127);
	}
	fcntl(4, F_SETFD, FD_CLOEXEC);
	/* Inherited from bpslave: a descriptor number we just closed. */
	bproc_control_forget();
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	undump = bpnsinit_test_undump ? bpnsinit_test_undump :
					bproc_vmaundump_flags;
	undump(3, BPROC_UNDUMP_CLOSEFDS);
	err = errno > 0 ? errno : EIO;
	if (write(4, &err, sizeof(err)) < 0)
		_exit(127);
	_exit(127);
}

static int do_restore(const struct nsi_req *rq, const int *fds, int nfds)
{
	pid_t pid = rq->pid;
	struct clone_args args;
	int rp[2];
	long r;

	if (nfds != NSI_NFDS || rq->sig || pid < 2 || pid > BPNSINIT_PID_LIMIT)
		return -EINVAL;
	if (I.npend >= BPNSINIT_PENDING_MAX)
		return -EAGAIN;
	if (pipe2(rp, O_CLOEXEC | O_NONBLOCK))
		return -errno;

	memset(&args, 0, sizeof(args));
	args.exit_signal = SIGCHLD;
	args.set_tid = (uintptr_t)&pid;
	args.set_tid_size = 1;
	r = syscall(SYS_clone3, &args, sizeof(args));
	if (r < 0) {
		int err = -errno;

		close(rp[0]);
		close(rp[1]);
		return err;
	}
	if (r == 0)
		restorer(fds, rp[1]);
	close(rp[1]);
	if (r != pid)
		nsi_log("restorer for %d got PID %ld", pid, r);
	I.pend[I.npend].pid = (pid_t)r;
	I.pend[I.npend].fd = rp[0];
	I.pend[I.npend].err = 0;
	I.npend++;
	set_tracked((pid_t)r, true);
	return 0;
}

static int do_kill(const struct nsi_req *rq, int nfds)
{
	if (nfds || rq->pid < 2 || rq->pid > BPNSINIT_PID_LIMIT ||
	    rq->sig < 0 || rq->sig > SIG_LIMIT)
		return -EINVAL;
	return kill(rq->pid, rq->sig) ? -errno : 0;
}

/*
 * The next fork in the namespace gets PID @pid (a process's fork, its
 * child's PID given by the master): write @pid - 1 to ns_last_pid, which
 * acts on the writer's own namespace, and report the child's end should it
 * become ours.  NSI_PARK: the same, for no child of ours (untracked).
 */
static int do_forking(const struct nsi_req *rq, int nfds)
{
	char buf[16];
	int fd, n, err = 0;

	if (nfds || rq->sig || rq->pid < 2 || rq->pid > BPNSINIT_PID_LIMIT)
		return -EINVAL;
	fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%d", rq->pid - 1);
	if (write(fd, buf, (size_t)n) != n)
		err = -errno;
	close(fd);
	if (!err && rq->op == NSI_FORKING)
		set_tracked(rq->pid, true);
	return err;
}

/*
 * Has the fork NSI_FORKING armed for @rq->pid happened?  ns_last_pid has
 * moved on from pid - 1 then (the child may have ended already): 0, or
 * -EAGAIN while it has not.
 */
static int do_forked(const struct nsi_req *rq, int nfds)
{
	char buf[16] = "";
	int fd, n;

	if (nfds || rq->sig || rq->pid < 2 || rq->pid > BPNSINIT_PID_LIMIT)
		return -EINVAL;
	fd = open("/proc/sys/kernel/ns_last_pid", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = (int)read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	return atoi(buf) == rq->pid - 1 ? -EAGAIN : 0;
}

/* Answer request @seq with @err (0 or -errno). */
static void send_reply(int fd, __u32 seq, int err)
{
	struct nsi_reply rep = { .seq = seq, .err = -err };

	while (send(fd, &rep, sizeof(rep), MSG_NOSIGNAL) < 0) {
		if (errno != EINTR)
			nsi_die();
	}
}

/*
 * Take the descriptors that came with @mh into @fds (*@nfds of them, at
 * most NSI_NFDS).  Any beyond are closed; then -EINVAL.
 */
static int take_fds(struct msghdr *mh, int *fds, int *nfds)
{
	struct cmsghdr *cm;
	int err = 0;

	*nfds = 0;
	for (cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		size_t i, n;
		int fd;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++) {
			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(fd), sizeof(fd));
			if (*nfds < NSI_NFDS) {
				fds[(*nfds)++] = fd;
			} else {
				close(fd);
				err = -EINVAL;
			}
		}
	}
	return err;
}

/* Serve every request waiting on ctl. */
static void serve(void)
{
	for (;;) {
		union {
			char buf[CMSG_SPACE(NSI_NFDS * sizeof(int))];
			struct cmsghdr align;
		} u;
		struct nsi_req rq;
		struct iovec iov = { .iov_base = &rq, .iov_len = sizeof(rq) };
		struct msghdr mh = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
		};
		int fds[NSI_NFDS];
		int nfds, err, i;
		ssize_t r;

		r = recvmsg(I.ctl, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return;
			nsi_die();
		}
		if (r == 0)
			nsi_die();

		err = take_fds(&mh, fds, &nfds);
		if (r != sizeof(rq) || !rq.seq ||
		    (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)))
			err = -EINVAL;
		else if (!err && rq.op == NSI_RESTORE)
			err = do_restore(&rq, fds, nfds);
		else if (!err && rq.op == NSI_KILL)
			err = do_kill(&rq, nfds);
		else if (!err && (rq.op == NSI_FORKING || rq.op == NSI_PARK))
			err = do_forking(&rq, nfds);
		else if (!err && rq.op == NSI_FORKED)
			err = do_forked(&rq, nfds);
		else if (!err)
			err = -EINVAL;
		for (i = 0; i < nfds; i++)
			close(fds[i]);
		send_reply(I.ctl, r == sizeof(rq) ? rq.seq : 0, err);
	}
}

static void drain_signalfd(void)
{
	struct signalfd_siginfo si[16];

	while (read(I.sfd, si, sizeof(si)) > 0)
		;
}

static _Noreturn void init_loop(void)
{
	for (;;) {
		bool room = ev_room();
		unsigned int n = I.npend, i;

		I.pfd[0] = (struct pollfd){ .fd = I.ctl, .events = POLLIN };
		I.pfd[1] = (struct pollfd){ .fd = I.ev,
					    .events = I.qlen ? POLLOUT : 0 };
		I.pfd[2] = (struct pollfd){ .fd = room ? I.sfd : -1,
					    .events = POLLIN };
		for (i = 0; i < n; i++)
			I.pfd[3 + i] = (struct pollfd){
				.fd = room ? I.pend[i].fd : -1,
				.events = POLLIN };
		if (poll(I.pfd, 3 + n, I.owed && room ? 0 : -1) < 0) {
			if (errno == EINTR)
				continue;
			nsi_log("poll: %s", strerror(errno));
			nsi_die();
		}
		if (I.pfd[1].revents & (POLLHUP | POLLERR))
			nsi_die();

		/* Backwards: drop_pending() moves the last entry to i. */
		for (i = n; i-- > 0;)
			if (I.pfd[3 + i].revents && ev_room())
				read_report(i);
		if (I.pfd[0].revents)
			serve();
		if (I.pfd[2].revents)
			drain_signalfd();
		reap();
		ev_flush();
	}
}

/* The child of bpnsinit_start(): PID 1 of the new namespace. */
static _Noreturn void init_main(int ctl, int ev)
{
	const int src[2] = { ctl, ev };
	static const int dst[2] = { 3, 4 };
	struct sigaction dfl;
	sigset_t mask;
	int sig, err;

	I.ctl = 3;
	I.ev = 4;
	if (place_fds(src, dst, 2, 5)) {
		send_reply(ctl, 0, -errno);
		_exit(1);
	}
	bproc_control_forget();

	/* None of bpslave's signal handling; SIGCHLD through a signalfd. */
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &dfl, NULL);
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	I.sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (I.sfd < 0) {
		err = -errno;
		send_reply(I.ctl, 0, err);
		_exit(1);
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, "bpnsinit");
	if (bpnsinit_calls) {
		/* This namespace's view of PIDs, for bpslave to read. */
		mkdir("/run", 0755);
		mkdir("/run/bproc", 0755);
		mkdir(BPNSINIT_PROC, 0555);
		umount2(BPNSINIT_PROC, MNT_DETACH);	/* a previous one's */
		if (mount("proc", BPNSINIT_PROC, "proc",
			  MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
			nsi_log("mount %s: %s", BPNSINIT_PROC, strerror(errno));
	}
	setsid();
	if (bpnsinit_view) {
		err = bpnsinit_make_view();
		if (err) {
			send_reply(I.ctl, 0, err);
			_exit(1);
		}
	}
	if (chdir("/"))
		nsi_log("chdir /: %s", strerror(errno));

	send_reply(I.ctl, 0, 0);
	init_loop();
}

/* ---- bpslave's side -------------------------------------------------- */

static int read_pid_max(void)
{
	char buf[32];
	ssize_t r;
	long v;
	int fd;

	fd = open(PID_MAX_FILE, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return BPNSINIT_PID_LIMIT;	/* init and the kernel check */
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r <= 0)
		return BPNSINIT_PID_LIMIT;
	buf[r] = '\0';
	v = strtol(buf, NULL, 10);
	if (v < 2 || v > BPNSINIT_PID_LIMIT)
		return BPNSINIT_PID_LIMIT;
	return (int)v;
}

/* Read init's reply to request @seq; returns the reply's errno as -errno. */
static int get_reply(int ctl, __u32 seq)
{
	struct nsi_reply rep;
	ssize_t r;

	do {
		r = recv(ctl, &rep, sizeof(rep), 0);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return errno == ECONNRESET ? -ECONNABORTED : -errno;
	if (r == 0)
		return -ECONNABORTED;
	if (r != sizeof(rep) || rep.seq != seq || rep.err < 0)
		return -EPROTO;
	return -rep.err;
}

/* Send @rq with @nfds descriptors and wait for the reply. */
static int call(struct bpnsinit *ni, struct nsi_req *rq, const int *fds,
		int nfds)
{
	union {
		char buf[CMSG_SPACE(NSI_NFDS * sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = rq, .iov_len = sizeof(*rq) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t r;

	if (++ni->seq == 0)
		ni->seq = 1;
	rq->seq = ni->seq;
	if (nfds) {
		struct cmsghdr *cm;

		memset(&u, 0, sizeof(u));
		mh.msg_control = u.buf;
		mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
	}
	do {
		r = sendmsg(ni->ctl, &mh, MSG_NOSIGNAL);
	} while (r < 0 && errno == EINTR);
	if (r < 0) {
		if (errno == EPIPE || errno == ECONNRESET || errno == ENOTCONN)
			return -ECONNABORTED;
		return -errno;
	}
	return get_reply(ni->ctl, rq->seq);
}

int bpnsinit_start(struct bpnsinit **out)
{
	struct clone_args args;
	struct bpnsinit *ni;
	int ctl[2], ev[2];
	long pid;
	int err;

	*out = NULL;
	ni = calloc(1, sizeof(*ni));
	if (!ni)
		return -ENOMEM;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ctl)) {
		err = -errno;
		goto out_free;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ev)) {
		err = -errno;
		goto out_close_ctl;
	}

	memset(&args, 0, sizeof(args));
	args.flags = CLONE_NEWPID;
	args.exit_signal = SIGCHLD;
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0) {
		err = -errno;
		goto out_close_ev;
	}
	if (pid == 0) {
		close(ctl[0]);
		close(ev[0]);
		init_main(ctl[1], ev[1]);
	}
	close(ctl[1]);
	close(ev[1]);
	ni->pid = (pid_t)pid;
	ni->ctl = ctl[0];
	ni->ev = ev[0];

	err = get_reply(ni->ctl, 0);
	if (err) {
		bpnsinit_stop(ni);
		return err;
	}
	*out = ni;
	return 0;

out_close_ev:
	close(ev[0]);
	close(ev[1]);
out_close_ctl:
	close(ctl[0]);
	close(ctl[1]);
out_free:
	free(ni);
	return err;
}

int bpnsinit_restore(struct bpnsinit *ni, pid_t pid, int imgfd,
		     const int fds[3])
{
	struct nsi_req rq = { .op = NSI_RESTORE, .pid = pid };
	int sfds[NSI_NFDS];

	if (pid < 2 || pid > read_pid_max())
		return -EINVAL;
	if (imgfd < 0 || !fds || fds[0] < 0 || fds[1] < 0 || fds[2] < 0)
		return -EBADF;
	sfds[NSI_FD_IMG] = imgfd;
	sfds[NSI_FD_IN] = fds[0];
	sfds[NSI_FD_OUT] = fds[1];
	sfds[NSI_FD_ERR] = fds[2];
	return call(ni, &rq, sfds, NSI_NFDS);
}

int bpnsinit_fd(const struct bpnsinit *ni)
{
	return ni->ev;
}

pid_t bpnsinit_pid(const struct bpnsinit *ni)
{
	return ni->pid;
}

int bpnsinit_event(struct bpnsinit *ni, struct bpnsinit_event *ev)
{
	union {
		char buf[CMSG_SPACE(NSI_NFDS * sizeof(int))];
		struct cmsghdr align;
	} u;
	struct nsi_ev m;
	struct iovec iov = { .iov_base = &m, .iov_len = sizeof(m) };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	int fds[NSI_NFDS], nfds, err, i;
	ssize_t r;

	do {
		r = recvmsg(ni->ev, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	} while (r < 0 && errno == EINTR);
	if (r < 0) {
		if (errno == EAGAIN)
			return 0;
		return errno == ECONNRESET ? -ECONNABORTED : -errno;
	}
	if (r == 0)
		return -ECONNABORTED;
	err = take_fds(&mh, fds, &nfds);
	if (!err && (r != sizeof(m) || m.type < BPNSINIT_RESTORED ||
		     m.type > BPNSINIT_LISTENER || m.pid < 2 ||
		     (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
		     nfds != (m.type == BPNSINIT_LISTENER)))
		err = -EPROTO;
	if (err) {
		for (i = 0; i < nfds; i++)
			close(fds[i]);
		return err;
	}
	ev->type = m.type;
	ev->pid = m.pid;
	ev->status = m.status;
	ev->fd = nfds ? fds[0] : -1;
	return 1;
}

int bpnsinit_kill(struct bpnsinit *ni, pid_t pid, int sig)
{
	struct nsi_req rq = { .op = NSI_KILL, .pid = pid, .sig = sig };

	if (pid < 2 || pid > BPNSINIT_PID_LIMIT || sig < 0 || sig > SIG_LIMIT)
		return -EINVAL;
	return call(ni, &rq, NULL, 0);
}

int bpnsinit_forking(struct bpnsinit *ni, pid_t pid)
{
	struct nsi_req rq = { .op = NSI_FORKING, .pid = pid };

	if (pid < 2 || pid > BPNSINIT_PID_LIMIT)
		return -EINVAL;
	return call(ni, &rq, NULL, 0);
}

int bpnsinit_park(struct bpnsinit *ni, pid_t pid)
{
	struct nsi_req rq = { .op = NSI_PARK, .pid = pid };

	if (pid < 2 || pid > BPNSINIT_PID_LIMIT)
		return -EINVAL;
	return call(ni, &rq, NULL, 0);
}

int bpnsinit_forked(struct bpnsinit *ni, pid_t pid)
{
	struct nsi_req rq = { .op = NSI_FORKED, .pid = pid };

	if (pid < 2 || pid > BPNSINIT_PID_LIMIT)
		return -EINVAL;
	return call(ni, &rq, NULL, 0);
}

void bpnsinit_stop(struct bpnsinit *ni)
{
	if (!ni)
		return;
	kill(ni->pid, SIGKILL);
	close(ni->ctl);
	close(ni->ev);
	while (waitpid(ni->pid, NULL, 0) < 0 && errno == EINTR)
		;
	free(ni);
}
