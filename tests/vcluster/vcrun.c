// SPDX-License-Identifier: GPL-2.0
/*
 * vcrun - run a command in a virtual-cluster VM through its vcagent.
 *
 *   vcrun [-t CONNECT_TIMEOUT_S] ADDR[:PORT] CMD [ARG...]
 *
 * Runs on the host inside the cluster's network namespace (vcluster run
 * calls it).  Forwards our stdin, writes the command's stdout and stderr to
 * ours (kept apart, each in order), and exits with the command's status:
 * its exit code, or 128+N when it was killed by signal N.  vcrun's own
 * failures (cannot connect, the connection dropped) exit 255 with a message.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agentproto.h"
#include "vcio.h"

static int fail(const char *what)
{
	fprintf(stderr, "vcrun: %s: %s\n", what, strerror(errno));
	exit(255);
}

/* connect() that gives up after ms milliseconds (a dead VM answers no ARP). */
static int connect_within(int s, const struct sockaddr_in *sa, int ms)
{
	int flags = fcntl(s, F_GETFL), err = 0;
	socklen_t len = sizeof(err);
	struct pollfd pf = { .fd = s, .events = POLLOUT };

	fcntl(s, F_SETFL, flags | O_NONBLOCK);
	if (connect(s, (const struct sockaddr *)sa, sizeof(*sa)) < 0) {
		if (errno != EINPROGRESS)
			return -1;
		if (poll(&pf, 1, ms) != 1) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err) {
			errno = err ? err : errno;
			return -1;
		}
	}
	fcntl(s, F_SETFL, flags);
	return 0;
}

static int connect_to(const char *spec, int timeout_s)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(VCA_PORT) };
	char host[64];
	const char *colon = strchr(spec, ':');
	size_t hl = colon ? (size_t)(colon - spec) : strlen(spec);
	int one = 1;

	if (hl >= sizeof(host)) {
		fprintf(stderr, "vcrun: bad address '%s'\n", spec);
		exit(255);
	}
	memcpy(host, spec, hl);
	host[hl] = '\0';
	if (colon) {
		long p = strtol(colon + 1, NULL, 10);

		if (p <= 0 || p > 65535) {
			fprintf(stderr, "vcrun: bad port in '%s'\n", spec);
			exit(255);
		}
		sa.sin_port = htons((uint16_t)p);
	}
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		fprintf(stderr, "vcrun: bad address '%s'\n", spec);
		exit(255);
	}

	/* Retry while the VM's agent is not listening yet. */
	time_t deadline = time(NULL) + timeout_s;

	for (;;) {
		int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (s < 0)
			fail("socket");
		if (connect_within(s, &sa, 2000) == 0) {
			/*
			 * A VM that dies or reboots sends no FIN: notice it by
			 * keepalive within ~10 s instead of waiting forever.
			 */
			int idle = 4, intvl = 2, cnt = 3;

			setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
			setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
			setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
			setsockopt(s, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
			setsockopt(s, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
			return s;
		}
		int err = errno;

		close(s);
		if (time(NULL) >= deadline) {
			errno = err;
			fprintf(stderr, "vcrun: cannot connect to %s: %s\n", spec, strerror(err));
			exit(255);
		}
		usleep(200 * 1000);
	}
}

int main(int argc, char **argv)
{
	int timeout_s = 10, opt, s;
	size_t len = 0;
	char *buf;

	while ((opt = getopt(argc, argv, "+t:")) != -1) {
		if (opt == 't') {
			timeout_s = atoi(optarg);
		} else {
			fprintf(stderr, "usage: vcrun [-t SECONDS] ADDR[:PORT] CMD [ARG...]\n");
			return 255;
		}
	}
	if (argc - optind < 2) {
		fprintf(stderr, "usage: vcrun [-t SECONDS] ADDR[:PORT] CMD [ARG...]\n");
		return 255;
	}
	signal(SIGPIPE, SIG_IGN);
	s = connect_to(argv[optind], timeout_s);

	char **cmd = argv + optind + 1;
	int cmdc = argc - optind - 1;

	for (int i = 0; i < cmdc; i++)
		len += strlen(cmd[i]) + 1;
	if (len > VCA_MAX_ARGV || cmdc > VCA_MAX_ARGC) {
		fprintf(stderr, "vcrun: command line too long\n");
		return 255;
	}
	buf = malloc(len > VCA_MAX_DATA ? len : VCA_MAX_DATA);
	if (!buf)
		fail("malloc");
	char *p = buf;

	for (int i = 0; i < cmdc; i++) {
		size_t l = strlen(cmd[i]) + 1;

		memcpy(p, cmd[i], l);
		p += l;
	}
	struct vca_req req = { .magic = VCA_MAGIC, .argc = (uint32_t)cmdc, .argv_len = (uint32_t)len };

	if (vc_write_all(s, &req, sizeof(req)) < 0 || vc_write_all(s, buf, len) < 0)
		fail("send");

	int in = 0;		/* our stdin, -1 once it reached EOF */

	for (;;) {
		struct pollfd pf[2] = {
			{ .fd = s, .events = POLLIN },
			{ .fd = in, .events = POLLIN },
		};

		if (poll(pf, in >= 0 ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			fail("poll");
		}
		if (in >= 0 && pf[1].revents) {
			ssize_t n = read(in, buf, VCA_MAX_DATA);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {	/* EOF, or no usable stdin at all */
				in = -1;
				n = 0;
			}
			if (vc_send_frame(s, VCA_STDIN, buf, (uint32_t)n) < 0 && errno != EPIPE)
				fail("send");
		}
		if (!pf[0].revents)
			continue;

		struct vca_frame f;
		int r = vc_read_all(s, &f, sizeof(f));

		if (r == 0) {
			fprintf(stderr, "vcrun: connection closed before the command's status\n");
			return 255;
		}
		if (r < 0)
			fail("receive");
		if (f.len > VCA_MAX_DATA) {
			fprintf(stderr, "vcrun: oversized frame\n");
			return 255;
		}
		if (f.len && vc_read_all(s, buf, f.len) != 1)
			fail("receive");
		switch (f.type) {
		case VCA_STDOUT:
		case VCA_STDERR:
			/* A closed stdout of ours is not the command's failure. */
			vc_write_all(f.type == VCA_STDOUT ? 1 : 2, buf, f.len);
			break;
		case VCA_EXIT: {
			int32_t st;

			if (f.len != sizeof(st)) {
				fprintf(stderr, "vcrun: bad exit frame\n");
				return 255;
			}
			memcpy(&st, buf, sizeof(st));
			if (WIFEXITED(st))
				return WEXITSTATUS(st);
			if (WIFSIGNALED(st))
				return 128 + WTERMSIG(st);
			return 255;
		}
		default:
			fprintf(stderr, "vcrun: unknown frame type %u\n", f.type);
			return 255;
		}
	}
}
