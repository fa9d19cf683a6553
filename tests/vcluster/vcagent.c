// SPDX-License-Identifier: GPL-2.0
/*
 * vcagent - the virtual cluster's test agent (test harness only).
 *
 * Runs inside a VM of the virtual cluster and executes commands for
 * `vcluster run` (through vcrun on the host): one TCP connection is one
 * command, whose stdin, stdout and stderr travel as separate frames and
 * whose wait status comes back at the end (agentproto.h).
 *
 *   vcagent [-p PORT]
 *
 * On a slave it is started by the slave image's init through the
 * /etc/bproc/init.d site hook of the test overlay; on the master by the
 * master VM's init script.  It is never part of an image a user boots:
 * anyone who reaches its port runs commands as root.
 *
 * Each connection is served by a forked handler; the command runs in its
 * own session so that a dropped connection kills its whole process group.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agentproto.h"
#include "vcio.h"

/* After the command exits, how long to wait for stdout/stderr to reach EOF
 * (a background child may keep them open). */
#define DRAIN_MS	1000

static void logmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logmsg(const char *fmt, ...)
{
	va_list ap;

	fputs("vcagent: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Read and check the request; returns a NULL-terminated argv or NULL. */
static char **read_request(int conn)
{
	struct vca_req req;
	char **argv;
	char *buf, *p, *end;
	uint32_t i;

	if (vc_read_all(conn, &req, sizeof(req)) != 1)
		return NULL;
	if (req.magic != VCA_MAGIC || req.argc == 0 || req.argc > VCA_MAX_ARGC ||
	    req.argv_len == 0 || req.argv_len > VCA_MAX_ARGV || req.reserved) {
		logmsg("bad request header");
		return NULL;
	}
	buf = malloc(req.argv_len);
	argv = calloc(req.argc + 1, sizeof(*argv));
	if (!buf || !argv || vc_read_all(conn, buf, req.argv_len) != 1)
		goto bad;
	if (buf[req.argv_len - 1] != '\0')
		goto bad;
	p = buf;
	end = buf + req.argv_len;
	for (i = 0; i < req.argc; i++) {
		if (p >= end)
			goto bad;
		argv[i] = p;
		p += strlen(p) + 1;
	}
	if (p != end)
		goto bad;
	return argv;
bad:
	logmsg("malformed request");
	free(buf);
	free(argv);
	return NULL;
}

static void child_exec(char **argv, int in, int out, int err, int conn)
{
	setsid();
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(127);
	close(in);
	close(out);
	close(err);
	close(conn);
	signal(SIGPIPE, SIG_DFL);
	execvp(argv[0], argv);
	fprintf(stderr, "vcagent: cannot run '%s': %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Serve one connection: run the command, shuttle its I/O, send its status. */
static int serve(int conn)
{
	int inp[2], outp[2], errp[2];
	int fd_in, fd_out, fd_err;
	int status = 0;
	pid_t pid;
	long exited_at = -1;
	char *buf;
	char **argv;

	argv = read_request(conn);
	if (!argv)
		return 1;
	buf = malloc(VCA_MAX_DATA);
	if (!buf || pipe2(inp, O_CLOEXEC) || pipe2(outp, O_CLOEXEC) || pipe2(errp, O_CLOEXEC)) {
		logmsg("out of resources: %s", strerror(errno));
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		logmsg("fork: %s", strerror(errno));
		return 1;
	}
	if (pid == 0)
		child_exec(argv, inp[0], outp[1], errp[1], conn);
	close(inp[0]);
	close(outp[1]);
	close(errp[1]);
	fd_in = inp[1];
	fd_out = outp[0];
	fd_err = errp[0];

	for (;;) {
		struct pollfd pf[3] = {
			{ .fd = conn, .events = POLLIN },
			{ .fd = fd_out, .events = POLLIN },
			{ .fd = fd_err, .events = POLLIN },
		};
		int timeout = 100;

		if (exited_at < 0 && waitpid(pid, &status, WNOHANG) == pid)
			exited_at = now_ms();
		if (exited_at >= 0) {
			if (fd_out < 0 && fd_err < 0)
				break;
			if (now_ms() - exited_at > DRAIN_MS)
				break;
		}
		if (poll(pf, 3, timeout) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[0].revents) {
			struct vca_frame f;

			if (vc_read_all(conn, &f, sizeof(f)) != 1 || f.type != VCA_STDIN ||
			    f.len > VCA_MAX_DATA || (f.len && vc_read_all(conn, buf, f.len) != 1)) {
				/* The host went away: end the whole command. */
				kill(-pid, SIGKILL);
				kill(pid, SIGKILL);
				waitpid(pid, NULL, 0);
				return 1;
			}
			if (f.len == 0) {
				if (fd_in >= 0)
					close(fd_in);
				fd_in = -1;
			} else if (fd_in >= 0 && vc_write_all(fd_in, buf, f.len) < 0) {
				close(fd_in);	/* the command closed its stdin */
				fd_in = -1;
			}
		}
		for (int i = 1; i <= 2; i++) {
			int *fdp = i == 1 ? &fd_out : &fd_err;
			ssize_t n;

			if (!pf[i].revents || *fdp < 0)
				continue;
			n = read(*fdp, buf, VCA_MAX_DATA);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(*fdp);
				*fdp = -1;
				continue;
			}
			if (vc_send_frame(conn, i == 1 ? VCA_STDOUT : VCA_STDERR, buf, (uint32_t)n) < 0) {
				kill(-pid, SIGKILL);
				return 1;
			}
		}
	}
	if (exited_at < 0)
		waitpid(pid, &status, 0);
	int32_t st = status;
	vc_send_frame(conn, VCA_EXIT, &st, sizeof(st));
	/*
	 * Closing a socket with unread input (stdin the command never took)
	 * sends a RST, which can overtake the EXIT frame: say we are done
	 * writing, and drain until the host closes (bounded).
	 */
	shutdown(conn, SHUT_WR);
	for (long until = now_ms() + 5000; now_ms() < until;) {
		struct pollfd pf = { .fd = conn, .events = POLLIN };

		if (poll(&pf, 1, 500) > 0 && read(conn, buf, VCA_MAX_DATA) <= 0)
			break;
	}
	return 0;
}

static volatile sig_atomic_t got_chld;

static void on_chld(int sig)
{
	(void)sig;
	got_chld = 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_ANY) };
	struct sigaction act = { .sa_handler = on_chld, .sa_flags = SA_NOCLDSTOP };
	int port = VCA_PORT, one = 1, ls, opt;

	while ((opt = getopt(argc, argv, "p:")) != -1) {
		switch (opt) {
		case 'p':
			port = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: vcagent [-p PORT]\n");
			return 2;
		}
	}
	if (port <= 0 || port > 65535) {
		fprintf(stderr, "vcagent: bad port\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGCHLD, &act, NULL);
	/* Started by an init with an empty environment on the slaves. */
	setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 0);

	ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ls < 0)
		return 1;
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sa.sin_port = htons((uint16_t)port);
	if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(ls, 64) < 0) {
		logmsg("cannot listen on port %d: %s", port, strerror(errno));
		return 1;
	}
	logmsg("listening on port %d", port);

	for (;;) {
		struct pollfd pf = { .fd = ls, .events = POLLIN };

		/* Reap handlers, and orphans when we are PID 1. */
		got_chld = 0;
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (poll(&pf, 1, 1000) <= 0)
			continue;
		int conn = accept4(ls, NULL, NULL, SOCK_CLOEXEC);

		if (conn < 0)
			continue;
		setsockopt(conn, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		pid_t h = fork();

		if (h == 0) {
			close(ls);
			_exit(serve(conn));
		}
		close(conn);
	}
}
