// SPDX-License-Identifier: GPL-2.0
/*
 * bpsh [options] NODESPEC CMD [ARGS...], bpsh -a|-A|-1 [options] CMD
 * [ARGS...]: run CMD on cluster nodes, with the options of bproc 4's bpsh.
 *
 * One child per node.  The child execs CMD and moves to its node before
 * CMD runs (bproc_execmove()); from then on it is the remote process's
 * ghost: it keeps the child's PID, passes on every signal sent to it,
 * writes the remote stdout and stderr into its own fds 1 and 2, and exits
 * with the remote status.  On the master (-1, "master") the child simply
 * execs CMD.  bpsh waits for every child and exits with the highest exit
 * code, or 255 when a node failed to start, a process died by a signal, or
 * bpsh itself failed.
 *
 * Output: by default the children write straight into bpsh's stdout and
 * stderr.  -L, -p and -s give each child two pipes instead, which bpsh
 * reads in one poll() loop and relays: whole lines (-L), prefixed with
 * the node number (-p), or each node's output in node order (-s: the current
 * node's output is relayed at once, the others' held in memory).
 *
 * Input: the ghosts forward what their stdin reads (BPROC_MOVE_STDIN).  With
 * one node the child keeps bpsh's stdin; with several, each child gets a
 * pipe and bpsh copies its stdin into all of them, as bproc 4 did (one
 * shared stdin would give each process a random part of it).  -n and -N
 * give every process /dev/null.
 *
 * Signals: SIGCHLD and the signals bpsh passes on arrive through a
 * signalfd in the same loop.  SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1
 * and SIGUSR2 sent to bpsh go to every child still running, except those
 * the terminal sent (Ctrl-C): the terminal sends them to the whole
 * foreground process group, the children included.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/bproc.h>
#include <sys/bproc.h>

/* Exit status of bpsh's own failures, a failed start or a signal (ssh's). */
#define BPSH_FAIL 255

/* -b: the I/O buffer size, the longest line -L and -p keep whole. */
#define DEFAULT_BUFSIZE 4096
#define MAX_BUFSIZE (16 << 20)

/* -d: "NODE<TAB>" and this many dashes before each node's output. */
#define DIVIDER_DASHES 69

/* "%3d: " of any int, with its NUL. */
#define PREFIX_MAX 16

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The streams bpsh relays: index 0 is fd 1 (stdout), index 1 is fd 2. */
#define NSTREAMS 2

/* A growable byte buffer. */
struct buf {
	char *p;
	size_t len;
	size_t cap;
};

/* -s: output held until its node's turn, in order, as runs per fd. */
struct seg {
	int fd;
	size_t len;
};

/* One output pipe of a child. */
struct stream {
	int fd; /* read end; -1 at EOF (or never opened) */
	char *line; /* -L: the partial line, o.bufsize bytes */
	size_t len;
};

/* One node of the command line: its child and what came of it. */
struct job {
	int node;
	int rank; /* index in the node list: $BPROC_RANK */
	pid_t pid; /* 0: no child */
	int startfd; /* the child's errno, or EOF once CMD runs; -1 read */
	int err; /* errno of a failed start */
	int status; /* wait status */
	bool reaped;
	bool done; /* reported */
	struct stream s[NSTREAMS];
	int infd; /* write end of its stdin pipe (bpsh copies); -1 */
	size_t inoff; /* how much of in.buf it has been given */
	struct buf held; /* -s */
	struct seg *segs;
	size_t nsegs;
};

static struct {
	bool stdin_null; /* -n */
	bool no_io; /* -N */
	bool linebuf; /* -L, -p */
	bool prefix; /* -p */
	bool seq; /* -s, -d */
	bool divider; /* -d */
	bool timing; /* -t */
	size_t bufsize; /* -b */
} o = { .bufsize = DEFAULT_BUFSIZE };

/* The placement flags of bproc_execmove(), and the ghost's stdin. */
#define EXECMOVE_FLAGS (BPROC_DUMP_EXEC | BPROC_DUMP_OTHER)

static struct job *jobs;
static int njobs;
static int stdin_mode; /* STDIN_* */

/* -I, -O, -E: files the node opens for the process (fds 0, 1, 2). */
static struct bproc_io_t redir[3];
static int nredir;

enum {
	STDIN_NULL, /* -n, -N: /dev/null */
	STDIN_SHARED, /* one child: bpsh's own stdin */
	STDIN_COPIED, /* several: a pipe each, bpsh copies */
};

/* STDIN_COPIED: bpsh's stdin, read into buf while a child can take it. */
static struct {
	int fd; /* 0, or -1 at EOF */
	char *buf; /* o.bufsize bytes */
	size_t len;
} in = { .fd = -1 };
static int current; /* -s: the job whose output is relayed now */
static bool relay; /* the children write into pipes bpsh reads */
static bool out_dead[NSTREAMS]; /* a write to bpsh's fd 1 or 2 failed */
static bool own_failure; /* bpsh itself failed: exit 255 */
static char *scratch; /* o.bufsize bytes: raw reads */
static struct buf outbuf; /* prefixed lines being assembled */
static sigset_t old_mask;

static const int forwarded[] = { SIGINT,  SIGTERM, SIGHUP,
				 SIGQUIT, SIGUSR1, SIGUSR2 };

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: bpsh [options] NODES CMD [ARGS...]\n"
		"       bpsh -a|-A|-1 [options] CMD [ARGS...]\n"
		"  -h, --help       show this help and exit\n"
		"  -v, -V, --version  show the version and exit\n"
		"\n"
		"NODES: node numbers (4), ranges (5-8, 5-), states (allup, !down),\n"
		"all, master; separated by commas; or a node's IP address.\n"
		"  -a               every node that is up\n"
		"  -A               every node that is not down\n"
		"  -1               the master (run CMD here)\n"
		"\n"
		"Input and output:\n"
		"  -n               standard input from /dev/null\n"
		"  -N               no I/O: stdin, stdout and stderr are /dev/null\n"
		"  -L               relay output in whole lines\n"
		"  -p               prefix each line with the node number (implies -L)\n"
		"  -s               each node's output in turn, in node order\n"
		"  -d               a divider line before each node's output (implies -s)\n"
		"  -b SIZE          I/O buffer size, the longest whole line (default %d)\n"
		"  -I, --stdin FILE   stdin from FILE on the node\n"
		"  -O, --stdout FILE  stdout to FILE on the node (created or truncated)\n"
		"  -E, --stderr FILE  stderr to FILE on the node (created or truncated)\n"
		"  -t, --time       print the elapsed time, process creation included\n",
		DEFAULT_BUFSIZE);
}

/*
 * -I/-O/-E FILE: opened on the node, as the user, before CMD runs (a name
 * relative to bpsh's working directory, which CMD starts in too).  The
 * last of each wins.
 */
static int add_redirect(int opt, const char *file)
{
	int fd = opt == 'I' ? 0 : opt == 'O' ? 1 : 2, i;
	struct bproc_io_t *r;
	mode_t mask = umask(0);

	umask(mask);
	if (!*file || strlen(file) >= sizeof(redir[0].d.file.name)) {
		fprintf(stderr, "bpsh: -%c: %s\n", opt, *file ? "file name too long" : "no file");
		return -1;
	}
	for (i = 0; i < nredir && redir[i].fd != fd; i++)
		;
	if (i == nredir)
		nredir++;
	r = &redir[i];
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->type = BPROC_IO_FILE;
	r->d.file.flags = fd ? O_WRONLY | O_CREAT | O_TRUNC : O_RDONLY;
	r->d.file.mode = fd ? 0666 & ~mask : 0;
	snprintf(r->d.file.name, sizeof(r->d.file.name), "%s", file);
	if (fd == 0)
		o.stdin_null = true;	/* nothing of bpsh's stdin goes there */
	return 0;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "bpsh: out of memory\n");
		exit(BPSH_FAIL);
	}
	return p;
}

static void buf_add(struct buf *b, const void *data, size_t len)
{
	if (b->len + len > b->cap) {
		b->cap = b->cap ? b->cap : 256;
		while (b->cap < b->len + len)
			b->cap *= 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, data, len);
	b->len += len;
}

/* ---- output ------------------------------------------------------ */

/* Write all of @data to bpsh's fd @fd (1 or 2); after a failure, nothing. */
static void put(int fd, const char *data, size_t len)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	ssize_t n;

	while (len && !out_dead[fd - 1]) {
		n = write(fd, data, len);
		if (n > 0) {
			data += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) { /* an inherited O_NONBLOCK */
			poll(&pfd, 1, -1);
			continue;
		}
		/*
		 * The reader went away (EPIPE) or the write failed: the
		 * main loop closes this stream's pipes, so the remote
		 * processes see EPIPE as they would writing here directly.
		 */
		if (n < 0 && errno != EPIPE) {
			fprintf(stderr, "bpsh: cannot write to fd %d: %s\n", fd,
				strerror(errno));
			own_failure = true;
		}
		out_dead[fd - 1] = true;
	}
}

/* -s: keep @data for @j's turn. */
static void hold(struct job *j, int fd, const char *data, size_t len)
{
	if (!j->nsegs || j->segs[j->nsegs - 1].fd != fd) {
		j->segs = xrealloc(j->segs, (j->nsegs + 1) * sizeof(*j->segs));
		j->segs[j->nsegs].fd = fd;
		j->segs[j->nsegs].len = 0;
		j->nsegs++;
	}
	j->segs[j->nsegs - 1].len += len;
	buf_add(&j->held, data, len);
}

/* Output of @j for bpsh's fd @fd: relayed now, or held until its turn. */
static void emit(struct job *j, int fd, const char *data, size_t len)
{
	if (!len)
		return;
	if (o.seq && j != &jobs[current])
		hold(j, fd, data, len);
	else
		put(fd, data, len);
}

/* A message about @j on stderr (not prefixed), in @j's place under -s. */
static void say(struct job *j, const char *msg)
{
	emit(j, STDERR_FILENO, msg, strlen(msg));
}

/* "NODE: message" for a node that did not start. */
static void say_error(struct job *j)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "%d: %s\n", j->node, bproc_strerror(j->err));
	say(j, msg);
}

/*
 * Lines of @j, [@data, @data + @len): whole lines, except at EOF or when a
 * line fills the buffer; with -p each piece gets the prefix and, if it has
 * none, a newline.
 */
static void emit_lines(struct job *j, int fd, const char *data, size_t len)
{
	char prefix[PREFIX_MAX];
	const char *nl, *end = data + len;
	int plen;

	if (!o.prefix) {
		emit(j, fd, data, len);
		return;
	}
	plen = snprintf(prefix, sizeof(prefix), "%3d: ", j->node);
	outbuf.len = 0;
	while (data < end) {
		nl = memchr(data, '\n', (size_t)(end - data));
		buf_add(&outbuf, prefix, (size_t)plen);
		if (nl) {
			buf_add(&outbuf, data, (size_t)(nl + 1 - data));
			data = nl + 1;
		} else {
			buf_add(&outbuf, data, (size_t)(end - data));
			buf_add(&outbuf, "\n", 1);
			data = end;
		}
	}
	emit(j, fd, outbuf.p, outbuf.len);
}

/* -d: the divider before @j's output (always on stdout). */
static void divider(const struct job *j)
{
	char line[PREFIX_MAX + DIVIDER_DASHES + 1];
	int n;

	n = snprintf(line, sizeof(line), "%d\t", j->node);
	memset(line + n, '-', DIVIDER_DASHES);
	line[n + DIVIDER_DASHES] = '\n';
	put(STDOUT_FILENO, line, (size_t)n + DIVIDER_DASHES + 1);
}

/* -s: @j's turn has come: its divider, then what it has said so far. */
static void begin_turn(struct job *j)
{
	size_t i, off = 0;

	if (o.divider)
		divider(j);
	for (i = 0; i < j->nsegs; i++) {
		put(j->segs[i].fd, j->held.p + off, j->segs[i].len);
		off += j->segs[i].len;
	}
	free(j->segs);
	j->segs = NULL;
	j->nsegs = 0;
	free(j->held.p);
	memset(&j->held, 0, sizeof(j->held));
}

/* ---- the children ------------------------------------------------ */

/* In the child: never returns.  Tells the parent errno through @sfd. */
static void child(struct job *j, const char *path, char **argv, int sfd,
		  int out[NSTREAMS], int infd)
{
	char rank[16];
	int err, fd, i;

	if (infd >= 0 && dup2(infd, STDIN_FILENO) < 0)
		goto fail;
	if (stdin_mode == STDIN_NULL) {
		fd = open("/dev/null", O_RDONLY);
		if (fd < 0 || dup2(fd, STDIN_FILENO) < 0)
			goto fail;
		if (fd != STDIN_FILENO)
			close(fd);
	}
	if (o.no_io) {
		fd = open("/dev/null", O_WRONLY);
		if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0 ||
		    dup2(fd, STDERR_FILENO) < 0)
			goto fail;
		if (fd > STDERR_FILENO)
			close(fd);
	}
	for (i = 0; relay && i < NSTREAMS; i++)
		if (dup2(out[i], i + 1) < 0)
			goto fail;
	snprintf(rank, sizeof(rank), "%d", j->rank);
	if (setenv("BPROC_RANK", rank, 1) < 0)
		goto fail;
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	if (nredir)
		_bproc_execmove_io(j->node, redir, nredir,
				   EXECMOVE_FLAGS | (stdin_mode == STDIN_NULL ? 0 : BPROC_MOVE_STDIN),
				   path, argv, environ);
	else if (j->node == BPROC_NODE_MASTER)
		execv(path, argv);
	else if (stdin_mode == STDIN_NULL)
		_bproc_execmove(j->node, EXECMOVE_FLAGS, path, argv, environ);
	else
		_bproc_execmove(j->node, EXECMOVE_FLAGS | BPROC_MOVE_STDIN,
				path, argv, environ);
fail:
	err = errno;
	if (write(sfd, &err, sizeof(err)) != sizeof(err))
		_exit(BPSH_FAIL);
	_exit(BPSH_FAIL);
}

/* Start @j's child.  A failure to start is @j->err, not a return value. */
static void start(struct job *j, const char *path, char **argv)
{
	int sp[2], p[NSTREAMS][2], out[NSTREAMS], ip[2] = { -1, -1 }, i;

	for (i = 0; i < NSTREAMS; i++) {
		p[i][0] = -1;
		p[i][1] = -1;
	}
	if (pipe2(sp, O_CLOEXEC) < 0) {
		j->err = errno;
		return;
	}
	if (stdin_mode == STDIN_COPIED && pipe2(ip, O_CLOEXEC) < 0) {
		j->err = errno;
		goto out;
	}
	for (i = 0; relay && i < NSTREAMS; i++) {
		if (pipe2(p[i], O_CLOEXEC) < 0) {
			j->err = errno;
			goto out;
		}
	}
	for (i = 0; i < NSTREAMS; i++)
		out[i] = p[i][1];
	j->pid = fork();
	if (j->pid < 0) {
		j->err = errno;
		j->pid = 0;
		goto out;
	}
	if (j->pid == 0)
		child(j, path, argv, sp[1], out, ip[0]);
	j->startfd = sp[0];
	sp[0] = -1;
	if (ip[1] >= 0) {
		/* bpsh writes only what poll() says fits */
		fcntl(ip[1], F_SETFL, O_NONBLOCK);
		j->infd = ip[1];
		ip[1] = -1;
	}
	for (i = 0; i < NSTREAMS; i++) {
		j->s[i].fd = p[i][0];
		p[i][0] = -1;
	}
out:
	if (sp[0] >= 0)
		close(sp[0]);
	close(sp[1]);
	for (i = 0; i < 2; i++)
		if (ip[i] >= 0)
			close(ip[i]);
	for (i = 0; i < NSTREAMS; i++) {
		if (p[i][0] >= 0)
			close(p[i][0]);
		if (p[i][1] >= 0)
			close(p[i][1]);
	}
}

/* ---- copying stdin (STDIN_COPIED) ---------------------------------- */

/* Drop what every child has been given; stop when no child takes more. */
static void in_compact(void)
{
	size_t min = in.len;
	bool any = false;
	int i;

	for (i = 0; i < njobs; i++) {
		if (jobs[i].infd < 0)
			continue;
		any = true;
		if (jobs[i].inoff < min)
			min = jobs[i].inoff;
	}
	if (!any)
		in.fd = -1; /* nobody reads: leave the rest of stdin alone */
	if (!min)
		return;
	memmove(in.buf, in.buf + min, in.len - min);
	in.len -= min;
	for (i = 0; i < njobs; i++)
		if (jobs[i].infd >= 0)
			jobs[i].inoff -= min;
}

static void in_close(struct job *j)
{
	close(j->infd);
	j->infd = -1;
}

/* At the end of bpsh's stdin, a child that has had everything gets EOF. */
static void in_close_finished(void)
{
	int i;

	for (i = 0; in.fd < 0 && i < njobs; i++)
		if (jobs[i].infd >= 0 && jobs[i].inoff == in.len)
			in_close(&jobs[i]);
}

static void in_read(void)
{
	ssize_t n;

	n = read(in.fd, in.buf + in.len, o.bufsize - in.len);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0)
		in.fd = -1;
	else
		in.len += (size_t)n;
	in_close_finished();
}

/* Give @j what it has not had yet. */
static void in_write(struct job *j)
{
	ssize_t n;

	n = write(j->infd, in.buf + j->inoff, in.len - j->inoff);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n < 0) /* EPIPE: it will read no more */
		in_close(j);
	else
		j->inoff += (size_t)n;
	in_close_finished();
	in_compact();
}

/* ---- the loop ---------------------------------------------------- */

static bool job_finished(const struct job *j)
{
	return j->reaped && j->startfd < 0 && j->s[0].fd < 0 && j->s[1].fd < 0;
}

/* The exit code @j counts for. */
static int job_code(const struct job *j)
{
	if (j->err)
		return BPSH_FAIL;
	if (WIFEXITED(j->status))
		return WEXITSTATUS(j->status);
	return BPSH_FAIL;
}

/* Once @j is over: the signal that killed it; -s: the next node's turn. */
static void check_done(struct job *j)
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
static int loop(int sfd)
{
	size_t max = (size_t)(2 + 4 * njobs);
	int i, k, n, left;

	pfd = xrealloc(NULL, max * sizeof(*pfd));
	who = xrealloc(NULL, max * sizeof(*who));
	what = xrealloc(NULL, max * sizeof(*what));
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

/* ---- the command line -------------------------------------------- */

/*
 * CMD as execvp() would find it (PATH, else /bin:/usr/bin): a malloc'd
 * path, or NULL.  bproc_execmove() takes a path.
 */
static char *which(const char *cmd)
{
	const char *path, *p, *end;
	struct stat st;
	struct buf b;

	if (!*cmd)
		return NULL;
	if (strchr(cmd, '/'))
		return strdup(cmd); /* the exec reports what is wrong */
	path = getenv("PATH");
	if (!path)
		path = "/bin:/usr/bin";
	for (p = path;; p = end + 1) {
		end = strchrnul(p, ':');
		memset(&b, 0, sizeof(b));
		if (end == p) /* an empty element is the current directory */
			buf_add(&b, ".", 1);
		else
			buf_add(&b, p, (size_t)(end - p));
		buf_add(&b, "/", 1);
		buf_add(&b, cmd, strlen(cmd) + 1);
		if (stat(b.p, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(b.p, X_OK) == 0)
			return b.p;
		free(b.p);
		if (!*end)
			return NULL;
	}
}

/* NODES is a node's IP address (bproc 4 took one): that node, in @ns. */
static int nodes_by_addr(struct bproc_node_set_t *ns, const char *s)
{
	struct bproc_node_set_t all = BPROC_EMPTY_NODESET;
	struct sockaddr_in sin;
	struct in_addr want;
	int i, r = -1;

	if (inet_pton(AF_INET, s, &want) != 1)
		return -1;
	if (bproc_nodelist(&all) < 0)
		return -1;
	for (i = 0; i < all.size && r < 0; i++) {
		memcpy(&sin, &all.node[i].addr, sizeof(sin));
		if (sin.sin_family == AF_INET &&
		    sin.sin_addr.s_addr == want.s_addr)
			r = bproc_nodeset_init(ns, 0) ||
			    bproc_nodeset_add(ns, &all.node[i]);
	}
	bproc_nodeset_free(&all);
	return r;
}

/* The nodes of @spec into @ns.  Returns 0, or -1 after a message. */
static int select_nodes(struct bproc_node_set_t *ns, const char *spec)
{
	int err;

	if (bproc_nodespec(ns, spec) == 0)
		return 0;
	err = errno;
	if (err == EINVAL && nodes_by_addr(ns, spec) == 0)
		return 0;
	if (err == EINVAL)
		fprintf(stderr, "bpsh: invalid node specification '%s'\n",
			spec);
	else if (err == ENODEV)
		fprintf(stderr, "bpsh: '%s': no such node\n", spec);
	else
		fprintf(stderr, "bpsh: cannot read the node table: %s\n",
			bproc_strerror(err));
	return -1;
}

/* -b SIZE: bytes, decimal, 0x hex or 0 octal (as bproc 4). */
static int parse_bufsize(const char *s)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (*s < '0' || *s > '9' || *end || errno || v == 0 ||
	    v > MAX_BUFSIZE) {
		fprintf(stderr,
			"bpsh: invalid buffer size '%s' (1 to %d bytes)\n", s,
			MAX_BUFSIZE);
		return -1;
	}
	o.bufsize = v;
	return 0;
}

/* Make sure fds 0-2 are open, so that no pipe of ours lands on them. */
static void open_std_fds(void)
{
	int fd;

	for (fd = 0; fd <= STDERR_FILENO; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
			exit(BPSH_FAIL);
}

/* Block what the loop reads through a signalfd.  Returns it, or -1. */
static int setup_signals(void)
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

/*
 * The command line into @spec or @which_nodes (-a, -A, -1: a node
 * specification) and @cmd.  Returns -1 to go on, or the exit status (after
 * -h, -v, or a usage error with its message).
 */
static int parse_args(int argc, char **argv, const char **spec,
		      const char **which_nodes, char ***cmd)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "stdin", required_argument, NULL, 'I' },
		{ "stdout", required_argument, NULL, 'O' },
		{ "stderr", required_argument, NULL, 'E' },
		{ "time", no_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	/*
	 * Options may come before and after NODES; the first word after
	 * NODES (or after -a, -A, -1) is the command, whose own options
	 * are left alone ('+').
	 */
	while (!*cmd && optind < argc) {
		c = getopt_long(argc, argv,
				"+hvVaA1nNLpsdb:I:O:E:tl:", longopts, NULL);
		switch (c) {
		case -1: /* a word, or the end of the options ("--") */
			if (optind >= argc)
				break;
			if (!*spec && !*which_nodes)
				*spec = argv[optind++];
			else
				*cmd = &argv[optind];
			continue;
		case 'h':
			print_usage(stdout);
			return 0;
		case 'v':
		case 'V':
			printf("bpsh version %s\n", BPROC_VERSION_STRING);
			return 0;
		case 'a':
		case 'A':
		case '1':
			if (*which_nodes || *spec) {
				fprintf(stderr,
					"bpsh: give one of NODES, -a, -A and -1\n");
				return BPSH_FAIL;
			}
			*which_nodes = c == 'a' ? "allup" :
				       c == 'A' ? "allnotdown" :
						  "master";
			break;
		case 'n':
			o.stdin_null = true;
			break;
		case 'N':
			o.no_io = true;
			break;
		case 'L':
			o.linebuf = true;
			break;
		case 'p':
			o.prefix = true;
			o.linebuf = true;
			break;
		case 's':
			o.seq = true;
			break;
		case 'd':
			o.divider = true;
			o.seq = true;
			break;
		case 'b':
			if (parse_bufsize(optarg))
				return BPSH_FAIL;
			break;
		case 'I':
		case 'O':
		case 'E':
			if (add_redirect(c, optarg))
				return BPSH_FAIL;
			break;
		case 't':
			o.timing = true;
			break;
		case 'l': /* rsh's -l USER: bproc 4 ignored it too */
			break;
		default:
			print_usage(stderr);
			return BPSH_FAIL;
		}
	}
	if (!*cmd) {
		print_usage(stderr);
		return BPSH_FAIL;
	}
	if (o.no_io) { /* nothing to relay */
		o.linebuf = false;
		o.prefix = false;
		o.seq = false;
		o.divider = false;
	}
	return -1;
}

/* Run @path (@cmd) on the nodes of @ns.  Returns the exit status. */
static int run(const struct bproc_node_set_t *ns, const char *path, char **cmd)
{
	struct timespec t0, t1;
	int i, sfd, rc = 0;

	njobs = ns->size;
	jobs = xrealloc(NULL, (size_t)njobs * sizeof(*jobs));
	memset(jobs, 0, (size_t)njobs * sizeof(*jobs));
	for (i = 0; i < njobs; i++) {
		jobs[i].node = ns->node[i].node;
		jobs[i].rank = i;
		jobs[i].startfd = -1;
		jobs[i].s[0].fd = -1;
		jobs[i].s[1].fd = -1;
		jobs[i].infd = -1;
	}
	relay = !o.no_io && (o.linebuf || o.seq);
	if (o.stdin_null || o.no_io) {
		stdin_mode = STDIN_NULL;
	} else if (njobs == 1) {
		stdin_mode = STDIN_SHARED;
	} else {
		stdin_mode = STDIN_COPIED;
		in.fd = STDIN_FILENO;
		in.buf = xrealloc(NULL, o.bufsize);
	}
	scratch = xrealloc(NULL, o.bufsize);
	sfd = setup_signals();
	if (sfd < 0)
		return BPSH_FAIL;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (o.divider)
		divider(&jobs[0]);
	for (i = 0; i < njobs; i++) {
		struct job *j = &jobs[i];

		if (j->node != BPROC_NODE_MASTER &&
		    strcmp(ns->node[i].status, "up"))
			j->err = EHOSTDOWN; /* the kernel would say the same */
		else
			start(j, path, cmd);
		if (j->err) {
			j->reaped = true; /* no child to wait for */
			say_error(j);
			check_done(j);
		}
	}
	if (loop(sfd))
		own_failure = true;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	close(sfd);

	for (i = 0; i < njobs; i++)
		if (job_code(&jobs[i]) > rc)
			rc = job_code(&jobs[i]);
	if (o.timing)
		fprintf(stderr, "%.6f\n",
			(double)(t1.tv_sec - t0.tv_sec) +
				(double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return own_failure ? BPSH_FAIL : rc;
}

int main(int argc, char **argv)
{
	struct bproc_node_set_t ns = BPROC_EMPTY_NODESET;
	const char *spec = NULL, *which_nodes = NULL;
	char **cmd = NULL, *path;
	int rc;

	open_std_fds();
	rc = parse_args(argc, argv, &spec, &which_nodes, &cmd);
	if (rc >= 0)
		return rc;
	path = which(cmd[0]);
	if (!path) {
		fprintf(stderr, "bpsh: %s: command not found\n", cmd[0]);
		return BPSH_FAIL;
	}
	if (which_nodes && !strcmp(which_nodes, "master")) {
		/* -1 needs no node table: it runs where bpsh runs. */
		struct bproc_node_info_t master = { .node = BPROC_NODE_MASTER,
						    .status = "up" };

		if (bproc_nodeset_init(&ns, 0) ||
		    bproc_nodeset_add(&ns, &master)) {
			fprintf(stderr, "bpsh: out of memory\n");
			rc = BPSH_FAIL;
		}
	} else if (select_nodes(&ns, which_nodes ? which_nodes : spec)) {
		rc = BPSH_FAIL;
	}
	/* No node selected (-a while none is up): nothing to do (bproc 4). */
	if (rc < 0)
		rc = ns.size ? run(&ns, path, cmd) : 0;
	bproc_nodeset_free(&ns);
	free(path);
	return rc;
}
