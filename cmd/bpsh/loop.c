// SPDX-License-Identifier: GPL-2.0
/*
 * bpsh's one poll() loop: the children's start reports, their output,
 * bpsh's stdin and the children's stdin pipes, and a signalfd for SIGCHLD
 * (reaping) and the signals bpsh passes on.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpsh.h"

sigset_t old_mask;
static char *scratch; /* o.bufsize bytes: raw reads */

static const int forwarded[] = { SIGINT,  SIGTERM, SIGHUP,
				 SIGQUIT, SIGUSR1, SIGUSR2 };

/* Block what the loop reads through a signalfd.  Returns it, or -1. */
int setup_signals(void)
{
	sigset_t set;
	size_t i;
	int sfd;

	signal(SIGCHLD, SIG_DFL); /* an inherited SIG_IGN would reap for us */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (i = 0; i < ARRAY_SIZE(forwarded); i++)
		sigaddset(&set, forwarded[i]);
	sigprocmask(SIG_BLOCK, &set, &old_mask);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0)
		fprintf(stderr, "bpsh: signalfd: %s\n", strerror(errno));
	return sfd;
}

static bool job_finished(const struct job *j)
{
	return j->reaped && j->startfd < 0 && j->s[0].fd < 0 && j->s[1].fd < 0;
}

/* The exit code @j counts for. */
int job_code(const struct job *j)
{
	if (j->err)
		return BPSH_FAIL;
	if (WIFEXITED(j->status))
		return WEXITSTATUS(j->status);
	return BPSH_FAIL;
}

/* Once @j is over: the signal that killed it; -s: the next node's turn. */
void check_done(struct job *j)
{
	const char *name;
	char msg[128];
	int sig;

	if (j->done || !job_finished(j))
		return;
	j->done = true;
	if (j->infd >= 0) {
		in_close(j);
		in_compact();
	}
	if (!j->err && WIFSIGNALED(j->status)) {
		sig = WTERMSIG(j->status);
		name = sigabbrev_np(sig);
		snprintf(msg, sizeof(msg), "%d: killed by signal %d (%s%s)%s\n",
			 j->node, sig, name ? "SIG" : "",
			 name ? name : "unknown",
			 WCOREDUMP(j->status) ? ", core dumped" : "");
		say(j, msg);
	}
	while (o.seq && current < njobs && jobs[current].done) {
		current++;
		if (current < njobs)
			begin_turn(&jobs[current]);
	}
}

/* The child's word on its start: an errno, or EOF when CMD runs. */
static void read_start(struct job *j)
{
	int err;
	ssize_t n;

	n = read(j->startfd, &err, sizeof(err));
	if (n < 0 && errno == EINTR)
		return;
	close(j->startfd);
	j->startfd = -1;
	if (n == sizeof(err) && err) {
		j->err = err;
		say_error(j);
	}
	check_done(j);
}

static void close_stream(struct job *j, int i)
{
	close(j->s[i].fd);
	j->s[i].fd = -1;
	free(j->s[i].line);
	j->s[i].line = NULL;
	check_done(j);
}

/* Relay what stream @i of @j has to say. */
static void read_stream(struct job *j, int i)
{
	struct stream *s = &j->s[i];
	size_t whole;
	ssize_t n;
	char *nl;

	if (!o.linebuf) {
		n = read(s->fd, scratch, o.bufsize);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			return;
		if (n <= 0) {
			close_stream(j, i);
			return;
		}
		emit(j, i + 1, scratch, (size_t)n);
		return;
	}

	if (!s->line)
		s->line = xrealloc(NULL, o.bufsize);
	n = read(s->fd, s->line + s->len, o.bufsize - s->len);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) { /* EOF: the last line, even without its newline */
		emit_lines(j, i + 1, s->line, s->len);
		s->len = 0;
		close_stream(j, i);
		return;
	}
	s->len += (size_t)n;
	/* Everything up to the last newline is whole lines. */
	nl = memrchr(s->line, '\n', s->len);
	whole = nl ? (size_t)(nl + 1 - s->line) : 0;
	if (!whole && s->len == o.bufsize)
		whole = s->len; /* a line longer than the buffer: cut */
	if (!whole)
		return;
	emit_lines(j, i + 1, s->line, whole);
	memmove(s->line, s->line + whole, s->len - whole);
	s->len -= whole;
}

/* Collect every child that has ended. */
static void reap(void)
{
	int status, i;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < njobs; i++) {
			if (jobs[i].pid == pid && !jobs[i].reaped) {
				jobs[i].status = status;
				jobs[i].reaped = true;
				check_done(&jobs[i]);
				break;
			}
		}
	}
}

/* A signal for bpsh: SIGCHLD, or one to pass on. */
static void on_signal(int sfd)
{
	struct signalfd_siginfo si;
	int i;

	if (read(sfd, &si, sizeof(si)) != sizeof(si))
		return;
	if (si.ssi_signo == SIGCHLD) {
		reap();
		return;
	}
	/* The terminal's signals went to the children already. */
	if (si.ssi_code == SI_KERNEL)
		return;
	for (i = 0; i < njobs; i++)
		if (jobs[i].pid > 0 && !jobs[i].reaped)
			kill(jobs[i].pid, (int)si.ssi_signo);
}

/* After a failed write to bpsh's fd 1 or 2: no more reading for it. */
static void drop_dead_streams(void)
{
	int i, k;

	for (k = 0; k < NSTREAMS; k++) {
		if (!out_dead[k])
			continue;
		for (i = 0; i < njobs; i++)
			if (jobs[i].s[k].fd >= 0)
				close_stream(&jobs[i], k);
	}
}

/* What the loop polls: pfd[i] belongs to who[i], what[i] of it. */
static struct pollfd *pfd;
static struct job **who;
static int *what; /* W_*, or 0, 1: a stream */

enum { W_START = -1, W_STDIN = -2, W_IN = -3 };

static void watch(int n, int fd, struct job *j, int w)
{
	pfd[n].fd = fd;
	pfd[n].events = POLLIN;
	pfd[n].revents = 0;
	who[n] = j;
	what[n] = w;
}

/* Run until every job is over.  Returns 0, or -1 after a message. */
int loop(int sfd)
{
	size_t max = (size_t)(2 + 4 * njobs);
	int i, k, n, left;

	pfd = xrealloc(NULL, max * sizeof(*pfd));
	who = xrealloc(NULL, max * sizeof(*who));
	what = xrealloc(NULL, max * sizeof(*what));
	scratch = xrealloc(NULL, o.bufsize);
	for (;;) {
		drop_dead_streams();
		left = 0;
		n = 0;
		watch(n++, sfd, NULL, 0);
		if (in.fd >= 0 && in.len < o.bufsize)
			watch(n++, in.fd, NULL, W_IN);
		for (i = 0; i < njobs; i++) {
			struct job *j = &jobs[i];

			if (!j->done)
				left++;
			if (j->startfd >= 0)
				watch(n++, j->startfd, j, W_START);
			if (j->infd >= 0 && j->inoff < in.len) {
				watch(n++, j->infd, j, W_STDIN);
				pfd[n - 1].events = POLLOUT;
			}
			for (k = 0; k < NSTREAMS; k++)
				if (j->s[k].fd >= 0)
					watch(n++, j->s[k].fd, j, k);
		}
		if (!left)
			return 0;
		if (poll(pfd, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "bpsh: poll: %s\n", strerror(errno));
			return -1;
		}
		if (pfd[0].revents)
			on_signal(sfd);
		for (i = 1; i < n; i++) {
			if (!pfd[i].revents)
				continue;
			if (what[i] == W_IN) {
				if (in.fd >= 0)
					in_read();
			} else if (what[i] == W_STDIN) {
				if (who[i]->infd >= 0)
					in_write(who[i]);
			} else if (what[i] == W_START) {
				if (who[i]->startfd >= 0)
					read_start(who[i]);
			} else if (who[i]->s[what[i]].fd >= 0) {
				read_stream(who[i], what[i]);
			}
		}
	}
}
