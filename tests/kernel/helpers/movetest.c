// SPDX-License-Identifier: GPL-2.0
/*
 * movetest - a program that moves itself, for the qemu tests.
 *
 *   movetest move NODE CODE      print, move to NODE, print there (stdout
 *                                and stderr), exit CODE
 *   movetest sleep NODE          move to NODE, print "sleeping PID", sleep
 *   movetest memory NODE MIB     fill MIB MiB, move, check every byte,
 *                                print "memory ok" (exit 0) or exit 3
 *   movetest rfork NODE CODE     rfork a child to NODE that exits CODE;
 *                                print its wait status
 *   movetest fail NODE           try to move; print the errno name
 *   movetest exec NODE CMD ARG.. bproc_execmove(NODE, CMD, CMD ARG..)
 *   movetest execin NODE CMD ...  the same, with stdin forwarded
 *   movetest rexec NODE CMD ARG.. bproc_rexec(NODE, CMD, CMD ARG..)
 *   movetest stopcont NODE       a child moves to NODE; SIGSTOP, SIGCONT and
 *                                SIGTERM to its ghost; prints what waitpid
 *                                (WUNTRACED, WCONTINUED) saw
 *   movetest bench NODE MIB      time moving a MIB MiB process (fork, fill,
 *                                move, exit at once; the parent times it up
 *                                to its wait); prints "move MIB ms"
 *   movetest rforkbench NODE N   N times rfork + exit + wait; prints the
 *                                mean in ms
 *   movetest io NODE             descriptors opened on NODE (the *_io
 *                                forms): a child with stdout to a file
 *                                there (relative name), one with stdin
 *                                from it, one with stdout to a TCP socket
 *                                back to us; what cannot be set up (no
 *                                such file), and what is refused before
 *                                (bad entries, through the library and
 *                                the raw ioctl).  Prints TAP
 *   movetest forkbench NODE N    on NODE, N times fork + exit + wait
 *                                (each child gets its PID from the
 *                                master); prints the mean in ms; then the
 *                                same on the master, for scale
 *   movetest vrfork NODE...      bproc_vrfork to the NODEs; child i exits
 *                                10+i%200 (3 if bproc_currnode() is not
 *                                its node); the parent prints, per node,
 *                                "i: exit N" or "i: ERRNO"
 *   movetest vspawn MIB NODE...  with MIB MiB of memory filled, time one
 *                                bproc_vrfork to the NODEs up to the last
 *                                child's wait (each checks its node and a
 *                                byte of its memory, and exits 0); prints
 *                                "vspawn N ms" and any child that failed
 *   movetest vhold MIB NODE...   the same, but each child waits for SIGUSR1
 *                                first; the parent then checks that every
 *                                child placed is in /proc/bproc/processes
 *                                with its node, releases them all and
 *                                waits; prints "listed K of N", then each
 *                                child that failed ("i (node N): ..."),
 *                                then "vhold N: OK ok, F failed"
 *   movetest vexecmove NODE...   bproc_vexecmove of /bin/sh -c 'exit
 *                                $((20 + BPROC_RANK))'; the same report
 *   movetest calls NODE OTHER    PID-space calls from NODE: getppid; stop,
 *                                continue and end its child on the master
 *                                (waitpid WUNTRACED, WCONTINUED, WNOHANG);
 *                                kill a child on node OTHER; process groups;
 *                                back to the master.  Prints TAP
 *   movetest forks NODE          on NODE, fork a child (it waits); print
 *                                "child PID"; wait for it (the test kills
 *                                it from the master) and print how it
 *                                ended; back on the master, print what
 *                                waitpid(-1, WNOHANG) says (ECHILD: its
 *                                ghost was collected too)
 *   movetest route NODE...       with a child left on the master and 8 MiB
 *                                of memory, move to each NODE in turn (-1:
 *                                back to the master), printing where it is
 *                                and checking its memory and PID at each
 *                                stop; then checks its child is still its
 *                                own (waitpid WNOHANG 0, then its SIGTERM).
 *                                A failed move: says why, goes home, exit 99
 *   movetest pingpong NODE N [MIB]  the same, master -> NODE -> master N
 *                                times (with MIB MiB, default 8); prints
 *                                "pingpong N ok" and the mean round trip
 *                                in ms
 *
 * Static, so it runs anywhere; VMAD_DUMP_ALL, so it needs no file there.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/bproc.h>
#include <sys/bproc.h>

#include "tap.h"

static void where(const char *what)
{
	char host[64] = "?";

	gethostname(host, sizeof(host));
	printf("%s pid %d node %d host %s\n", what, getpid(), bproc_currnode(),
	       host);
	fflush(stdout);
}

static const char *errname(int e)
{
	switch (e) {
	case ENODEV: return "ENODEV";
	case EHOSTDOWN: return "EHOSTDOWN";
	case EACCES: return "EACCES";
	case ENOTCONN: return "ENOTCONN";
	case EBUSY: return "EBUSY";
	case EINVAL: return "EINVAL";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	default: return strerror(e);
	}
}

/* One TAP test; @got explains a failure. */
static void expect(bool cond, const char *what, long got)
{
	ok_diag(cond, what, "got %ld", got);
}

/* movetest calls NODE OTHER: see the top. */
static int calls(int node, int other)
{
	pid_t ppid, me, child, far, w;
	pid_t pgrp, sid;
	int status;

	/* In a child: not a session leader, so that setpgid() may work. */
	w = fork();
	if (w < 0)
		return 4;
	if (w > 0) {
		if (waitpid(w, &status, 0) != w)
			return 4;
		return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
	ppid = getppid();
	me = getpid();
	pgrp = getpgrp();
	sid = getsid(0);
	setvbuf(stdout, NULL, _IOLBF, 0);

	child = fork();
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	far = bproc_rfork(other, BPROC_DUMP_ALL);
	if (far == 0) {
		for (;;)
			pause();
	}
	if (child < 0 || far < 0)
		return 4;
	if (bproc_move(node, BPROC_DUMP_ALL)) {
		printf("move failed: %s\n", errname(errno));
		kill(child, SIGKILL);
		kill(far, SIGKILL);
		return 99;
	}
	expect(bproc_currnode() == node, "runs on the node", bproc_currnode());
	expect(getppid() == ppid, "getppid() is its parent on the master", getppid());
	expect(getpgrp() == pgrp, "getpgrp() is its group on the master", getpgrp());
	expect(getsid(0) == sid, "getsid(0) is its session on the master", getsid(0));
	w = waitpid(-1, &status, WNOHANG);
	expect(w == 0, "waitpid(-1, WNOHANG) = 0 while its children live", w);
	expect(kill(child, SIGSTOP) == 0, "kill(child on the master, SIGSTOP)", errno);
	w = waitpid(child, &status, WUNTRACED);
	expect(w == child && WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP,
	       "waitpid(WUNTRACED) sees it stopped by SIGSTOP", status);
	expect(kill(child, SIGCONT) == 0, "kill(child, SIGCONT)", errno);
	w = waitpid(child, &status, WCONTINUED);
	expect(w == child && WIFCONTINUED(status), "waitpid(WCONTINUED) sees it continue",
	       status);
	kill(child, SIGTERM);
	w = waitpid(child, &status, 0);
	expect(w == child && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
	       "its end by SIGTERM, collected from the node", status);
	expect(kill(far, SIGUSR1) == 0, "kill(child on another node, SIGUSR1)", errno);
	{
		siginfo_t si;

		memset(&si, 0, sizeof(si));
		w = waitid(P_PID, far, &si, WEXITED);
		expect(w == 0 && si.si_pid == far && si.si_code == CLD_KILLED &&
		       si.si_status == SIGUSR1,
		       "waitid() sees that one killed by SIGUSR1", si.si_status);
	}
	w = waitpid(-1, &status, WNOHANG);
	expect(w == -1 && errno == ECHILD, "no child left: ECHILD", w);
	expect(setpgid(0, 0) == 0 && getpgrp() == me,
	       "setpgid(0, 0) makes it a group leader on the master", getpgrp());
	expect(kill(me, 0) == 0, "kill(itself, 0) here", errno);
	if (bproc_move(BPROC_NODE_MASTER, BPROC_DUMP_ALL)) {
		printf("move back failed: %s\n", errname(errno));
		return 98;
	}
	expect(getpgrp() == me, "back on the master it leads its own group", getpgrp());
	expect(getppid() == ppid, "and has the same parent", getppid());
	return done_testing();
}

#define expect_err(call, want, what) is_errno((long)(call), want, what)

/* One child placed with @io: it runs @fn on the node; its exit status. */
static int io_child(int node, struct bproc_io_t *io, int n, void (*fn)(void))
{
	int status;
	pid_t pid = _bproc_rfork_io(node, io, n, BPROC_DUMP_ALL);

	if (pid == 0) {
		fn();
		_exit(0);
	}
	if (pid < 0)
		return -errno;
	if (waitpid(pid, &status, 0) != pid)
		return -ECHILD;
	return status;
}

static void say_hello(void)
{
	printf("hello from node %d\n", bproc_currnode());
}

static void read_back(void)
{
	char line[64] = "";

	/* (stdout goes home; stdin is the file on the node) */
	if (fgets(line, sizeof(line), stdin))
		printf("read: %s", line);
	else
		printf("read nothing\n");
}

static struct bproc_io_t io_file(int fd, const char *name, int flags)
{
	struct bproc_io_t io;

	memset(&io, 0, sizeof(io));
	io.fd = fd;
	io.type = BPROC_IO_FILE;
	io.d.file.flags = flags;
	io.d.file.mode = flags & O_CREAT ? 0644 : 0;
	snprintf(io.d.file.name, sizeof(io.d.file.name), "%s", name);
	return io;
}

static int io_tests(int node)
{
	struct bproc_io_t io[4];
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	struct bproc_move_io raw;
	struct bproc_move_req req;
	int l, c, st, cfd;
	char buf[128];
	ssize_t n;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (chdir("/tmp"))
		return 4;
	io[0] = io_file(1, "movetest-io.out", O_WRONLY | O_CREAT | O_TRUNC);
	st = io_child(node, io, 1, say_hello);
	expect(st == 0, "a child with stdout to a file on the node (relative name, from /tmp)", st);
	io[0] = io_file(0, "/tmp/movetest-io.out", O_RDONLY);
	st = io_child(node, io, 1, read_back);
	expect(st == 0, "... another reads it there as its stdin", st);
	io[0] = io_file(0, "/tmp/no-such-file", O_RDONLY);
	st = io_child(node, io, 1, read_back);
	expect(st == -ENOENT, "stdin from a file the node lacks: the rfork fails with ENOENT", -st);
	io[0] = io_file(1, "/tmp/movetest-io.out", O_WRONLY | O_APPEND);
	io[1] = io_file(1, "/tmp/other", O_WRONLY);
	expect_err(_bproc_rfork_io(node, io, 2, 0), EINVAL, "the same descriptor twice: EINVAL");
	io[0].fd = 3;
	expect_err(_bproc_rfork_io(node, io, 1, 0), EINVAL, "descriptor 3: EINVAL (0-2 only)");
	io[0].fd = 1;
	io[0].flags = BPROC_IO_SEND_INFO;
	expect_err(_bproc_rfork_io(node, io, 1, 0), EINVAL, "BPROC_IO_SEND_INFO: EINVAL");
	io[0].flags = 0;
	expect_err(_bproc_rfork_io(node, io, 4, 0), E2BIG, "4 entries: E2BIG");
	io[0].type = BPROC_IO_MEMFILE;
	expect_err(_bproc_rfork_io(node, io, 1, 0), EINVAL, "BPROC_IO_MEMFILE: EINVAL");
	io[0].type = BPROC_IO_SOCKET;
	io[0].d.addr.sa_family = AF_INET6;
	expect_err(_bproc_rfork_io(node, io, 1, 0), EAFNOSUPPORT, "a socket that is not AF_INET: EAFNOSUPPORT");

	/* A socket back to us, on the master's address. */
	l = socket(AF_INET, SOCK_STREAM, 0);
	sin.sin_addr.s_addr = htonl(INADDR_ANY);
	if (l < 0 || bind(l, (struct sockaddr *)&sin, sizeof(sin)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&sin, &len))
		return 4;
	inet_pton(AF_INET, "10.77.0.1", &sin.sin_addr);
	memset(&io[0], 0, sizeof(io[0]));
	io[0].fd = 1;
	io[0].type = BPROC_IO_SOCKET;
	memcpy(&io[0].d.addr, &sin, sizeof(sin));
	st = io_child(node, io, 1, say_hello);
	c = accept(l, NULL, NULL);
	n = c >= 0 ? read(c, buf, sizeof(buf) - 1) : -1;
	buf[n > 0 ? n : 0] = 0;
	snprintf(io[1].d.file.name, sizeof(io[1].d.file.name), "hello from node %d\n", node);
	expect(st == 0 && !strcmp(buf, io[1].d.file.name),
	       "a child with stdout to a TCP socket back to the master", n);
	close(c);
	close(l);
	st = io_child(node, io, 1, say_hello);
	expect(st == -ECONNREFUSED, "... to a port nobody listens on: ECONNREFUSED", -st);

	/* The kernel checks what it is given. */
	cfd = open("/dev/bproc/control", O_RDWR | O_CLOEXEC);
	memset(&raw, 0, sizeof(raw));
	raw.fd = 1;
	raw.type = BPROC_MOVE_IO_FILE;
	raw.oflags = O_WRONLY;
	strcpy(raw.name, "relative");
	memset(&req, 0, sizeof(req));
	req.node = node;
	req.io = (uintptr_t)&raw;
	req.nio = 1;
	expect_err(ioctl(cfd, BPROC_IOC_MOVE, &req), EINVAL, "raw: a relative name: EINVAL");
	strcpy(raw.name, "/tmp/x");
	raw.name[200] = 'x';
	expect_err(ioctl(cfd, BPROC_IOC_MOVE, &req), EINVAL, "raw: bytes after the name's NUL: EINVAL");
	raw.name[200] = 0;
	raw.oflags = O_WRONLY | O_DIRECTORY;
	expect_err(ioctl(cfd, BPROC_IOC_MOVE, &req), EINVAL, "raw: O_DIRECTORY: EINVAL");
	raw.oflags = O_WRONLY;
	req.nio = 4;
	expect_err(ioctl(cfd, BPROC_IOC_MOVE, &req), EINVAL, "raw: nio 4: EINVAL");
	req.nio = 1;
	req.io = 16;
	expect_err(ioctl(cfd, BPROC_IOC_MOVE, &req), EFAULT, "raw: a bad pointer: EFAULT");
	req.io = (uintptr_t)&raw;
	req.reserved = 1;
	expect_err(ioctl(cfd, BPROC_IOC_MOVE, &req), EINVAL, "raw: reserved not zero: EINVAL");
	req.reserved = 0;
	req.node = BPROC_NODE_SELF;
	expect_err(ioctl(cfd, BPROC_IOC_MOVE, &req), EINVAL, "raw: descriptors with no move: EINVAL");
	close(cfd);
	return done_testing();
}

static int check_memory(const unsigned char *p, size_t len, const char *at)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i] != (unsigned char)(i * 131 + (i >> 12))) {
			printf("memory differs at %zu %s\n", i, at);
			return 3;
		}
	}
	return 0;
}

/* route / pingpong: see the top. */
static int route(int argc, char **argv)
{
	bool pingpong = !strcmp(argv[1], "pingpong");
	const size_t len = (pingpong && argc == 5 ? (size_t)atoi(argv[4]) : 8u) << 20;
	int hops = pingpong ? 2 * atoi(argv[3]) : argc - 2;
	unsigned char *p = malloc(len + 1);
	pid_t me = getpid(), child, w;
	struct timespec t0, t1;
	int status;

	if (!p || hops <= 0)
		return 4;
	for (size_t i = 0; i < len; i++)
		p[i] = (unsigned char)(i * 131 + (i >> 12));
	child = fork();
	if (child < 0)
		return 4;
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);	/* not left behind */
		if (getppid() != me)
			_exit(1);
		for (;;)
			pause();
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int h = 0; h < hops; h++) {
		int node = pingpong ? (h % 2 ? BPROC_NODE_MASTER : atoi(argv[2])) :
				      atoi(argv[2 + h]);
		char at[32];

		if (bproc_move(node, BPROC_DUMP_ALL)) {
			printf("move %d to %d failed: %s, at %d\n", h, node,
			       errname(errno), bproc_currnode());
			/* Home, to end the child (a kill from a node stays there). */
			if (bproc_currnode() != BPROC_NODE_MASTER &&
			    bproc_move(BPROC_NODE_MASTER, BPROC_DUMP_ALL))
				return 98;
			kill(child, SIGKILL);
			return check_memory(p, len, "after a failed move") ?: 99;
		}
		snprintf(at, sizeof(at), "after hop %d", h);
		if (getpid() != me || bproc_currnode() != node) {
			printf("hop %d: pid %d node %d, expected %d %d\n", h,
			       getpid(), bproc_currnode(), me, node);
			kill(child, SIGKILL);
			return 5;
		}
		if (check_memory(p, len, at)) {
			kill(child, SIGKILL);
			return 3;
		}
		if (!pingpong)
			where("at");
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* Back on the master: its child is still its child. */
	w = waitpid(-1, &status, WNOHANG);
	if (w != 0) {
		printf("waitpid(-1, WNOHANG) = %d (%s), expected 0\n", (int)w,
		       w < 0 ? errname(errno) : "a child ended");
		return 6;
	}
	kill(child, SIGTERM);
	w = waitpid(child, &status, 0);
	if (w != child || !WIFSIGNALED(status) || WTERMSIG(status) != SIGTERM) {
		printf("child: waitpid %d status 0x%x\n", (int)w, status);
		return 7;
	}
	if (pingpong)
		printf("pingpong %d ok %.1f ms\n", hops / 2,
		       ((t1.tv_sec - t0.tv_sec) * 1e3 +
			(t1.tv_nsec - t0.tv_nsec) / 1e6) / (hops / 2));
	else
		printf("route ok, child %d still ours\n", (int)child);
	return 0;
}

/* Is PID listed in /proc/bproc/processes, on NODE? */
static bool listed(const char *procs, int pid, int node)
{
	char want[32];
	const char *p = procs;
	int k = snprintf(want, sizeof(want), "%d %d\n", pid, node);

	for (; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, want, (size_t)k))
			return true;
	return false;
}

/* The whole of /proc/bproc/processes, NUL-terminated (NULL: unreadable). */
static char *read_processes(void)
{
	size_t cap = 1 << 16, len = 0;
	char *b = malloc(cap);
	int fd = open("/proc/bproc/processes", O_RDONLY);
	ssize_t r;

	if (!b || fd < 0) {
		free(b);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((r = read(fd, b + len, cap - len - 1)) > 0) {
		len += (size_t)r;
		if (cap - len < 2) {
			char *nb = realloc(b, cap *= 2);

			if (!nb)
				break;
			b = nb;
		}
	}
	close(fd);
	b[len] = 0;
	return b;
}

/*
 * movetest vspawn: the benchmark of a vector spawn (tests/bench/spawn.sh);
 * with @hold (movetest vhold), the children wait to be released after the
 * parent has found them in /proc/bproc/processes (t0600).
 */
static int vspawn(int n, char **argv, size_t len, bool hold)
{
	sigset_t usr1;
	int *nodes = calloc((size_t)n, sizeof(*nodes));
	int *pids = calloc((size_t)n, sizeof(*pids));
	unsigned char *m = malloc(len ? len : 1);
	struct timespec t0, t1;
	int r, status = 0, bad = 0, sig;

	if (!nodes || !pids || !m)
		return 2;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	if (hold)
		sigprocmask(SIG_BLOCK, &usr1, NULL);
	for (size_t i = 0; i < len; i++)
		m[i] = (unsigned char)(i * 7 + 1);
	for (int i = 0; i < n; i++)
		nodes[i] = atoi(argv[i]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = bproc_vrfork(n, nodes, pids);
	if (r >= 0 && r < n && hold && sigwait(&usr1, &sig))
		_exit(5);
	if (r >= 0 && r < n)
		_exit(bproc_currnode() != nodes[r] ? 3 :
		      len && m[len / 2] != (unsigned char)((len / 2) * 7 + 1) ? 4 : 0);
	if (r != n) {
		printf("returned %d: %s\n", r, errname(errno));
		return 1;
	}
	if (hold) {
		char *procs = read_processes();
		int placed = 0, found = 0;

		for (int i = 0; i < n; i++) {
			if (pids[i] <= 0)
				continue;
			placed++;
			found += listed(procs, pids[i], nodes[i]);
		}
		printf("listed %d of %d\n", found, placed);
		free(procs);
		for (int i = 0; i < n; i++)
			if (pids[i] > 0)
				kill(pids[i], SIGUSR1);
	}
	for (int i = 0; i < n; i++) {
		if (pids[i] <= 0) {
			printf("%d (node %d): %s\n", i, nodes[i], errname(-pids[i]));
			bad++;
		} else if (waitpid(pids[i], &status, 0) != pids[i] || status) {
			printf("%d (node %d): status 0x%x\n", i, nodes[i], status);
			bad++;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (hold)
		printf("vhold %d: %d ok, %d failed\n", n, n - bad, bad);
	else
		printf("vspawn %d %.1f ms\n", n,
		       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	int node;

	if (argc < 3) {
		fprintf(stderr, "usage: movetest move|sleep|memory|rfork|fail NODE [ARG]\n");
		return 2;
	}
	node = atoi(argv[2]);
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (!strcmp(argv[1], "move") && argc == 4) {
		where("before");
		if (bproc_move(node, BPROC_DUMP_ALL)) {
			printf("move failed: %s\n", errname(errno));
			return 99;
		}
		where("after");
		fprintf(stderr, "to stderr from pid %d\n", getpid());
		return atoi(argv[3]);
	}
	if (!strcmp(argv[1], "sleep")) {
		/* A shell's background job ignores SIGINT and SIGQUIT. */
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		if (bproc_move(node, BPROC_DUMP_ALL)) {
			printf("move failed: %s\n", errname(errno));
			return 99;
		}
		printf("sleeping %d\n", getpid());
		fflush(stdout);
		for (;;)
			pause();
	}
	if (!strcmp(argv[1], "memory") && argc == 4) {
		size_t len = (size_t)atoi(argv[3]) << 20, i;
		unsigned char *p = malloc(len);

		if (!p)
			return 4;
		for (i = 0; i < len; i++)
			p[i] = (unsigned char)(i * 131 + (i >> 12));
		if (bproc_move(node, BPROC_DUMP_ALL)) {
			printf("move failed: %s\n", errname(errno));
			return 99;
		}
		for (i = 0; i < len; i++) {
			if (p[i] != (unsigned char)(i * 131 + (i >> 12))) {
				printf("memory differs at %zu\n", i);
				return 3;
			}
		}
		where("memory ok");
		return 0;
	}
	if (!strcmp(argv[1], "rfork") && argc == 4) {
		int status;
		pid_t pid = bproc_rfork(node, BPROC_DUMP_ALL);

		if (pid < 0) {
			printf("rfork failed: %s\n", errname(errno));
			return 99;
		}
		if (pid == 0) {
			where("child");
			return atoi(argv[3]);
		}
		if (waitpid(pid, &status, 0) != pid) {
			printf("waitpid: %s\n", strerror(errno));
			return 98;
		}
		printf("child %d status 0x%x\n", pid, status);
		return 0;
	}
	if ((!strcmp(argv[1], "exec") || !strcmp(argv[1], "execin")) &&
	    argc >= 4) {
		extern char **environ;

		_bproc_execmove(node, BPROC_DUMP_EXEC | BPROC_DUMP_OTHER |
				(argv[1][4] ? BPROC_MOVE_STDIN : 0),
				argv[3], argv + 3, environ);
		printf("execmove failed: %s\n", errname(errno));
		return 99;
	}
	if (!strcmp(argv[1], "bench") && argc == 4) {
		size_t len = (size_t)atoi(argv[3]) << 20, i;
		struct timespec t0, t1;
		int p[2], status;
		char c;
		pid_t pid;

		if (pipe(p))
			return 4;
		pid = fork();
		if (pid == 0) {
			unsigned char *m = malloc(len);

			for (i = 0; i < len; i++)
				m[i] = (unsigned char)(i * 7 + 1);
			close(p[0]);
			if (write(p[1], "x", 1) != 1)
				_exit(5);
			if (bproc_move(node, BPROC_DUMP_ALL))
				_exit(99);
			_exit(m[len / 2] == (unsigned char)((len / 2) * 7 + 1) ? 0 : 3);
		}
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			return 5;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		waitpid(pid, &status, 0);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (status) {
			printf("move failed: status 0x%x\n", status);
			return 1;
		}
		printf("move %s %.1f ms\n", argv[3],
		       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
		return 0;
	}
	if (!strcmp(argv[1], "io") && argc == 3)
		return io_tests(node);
	if (!strcmp(argv[1], "forkbench") && argc == 4) {
		int n = atoi(argv[3]), k, status, round;
		struct timespec t0, t1;
		double ms[2];

		if (n <= 0)
			return 4;
		for (round = 0; round < 2; round++) {
			if (round == 0 && bproc_move(node, BPROC_DUMP_ALL)) {
				printf("move failed: %s\n", errname(errno));
				return 99;
			}
			clock_gettime(CLOCK_MONOTONIC, &t0);
			for (k = 0; k < n; k++) {
				pid_t pid = fork();

				if (pid == 0)
					_exit(0);
				if (pid < 0 || waitpid(pid, &status, 0) != pid || status) {
					printf("fork %d failed: %s\n", k, errname(errno));
					if (round == 0)
						bproc_move(BPROC_NODE_MASTER, BPROC_DUMP_ALL);
					return 1;
				}
			}
			clock_gettime(CLOCK_MONOTONIC, &t1);
			ms[round] = ((t1.tv_sec - t0.tv_sec) * 1e3 +
				     (t1.tv_nsec - t0.tv_nsec) / 1e6) / n;
			if (round == 0 && bproc_move(BPROC_NODE_MASTER, BPROC_DUMP_ALL))
				return 98;
		}
		printf("fork+exit+wait %.2f ms on the node, %.2f ms on the master\n", ms[0],
		       ms[1]);
		return 0;
	}
	if (!strcmp(argv[1], "rforkbench") && argc == 4) {
		int n = atoi(argv[3]), k, status;
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (k = 0; k < n; k++) {
			pid_t pid = bproc_rfork(node, BPROC_DUMP_ALL);

			if (pid == 0)
				_exit(0);
			if (pid < 0 || waitpid(pid, &status, 0) != pid || status)
				return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("rfork+exit+wait %.1f ms\n",
		       ((t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6) / n);
		return 0;
	}
	if (!strcmp(argv[1], "stopcont")) {
		int status, p[2];
		char c;
		pid_t pid;

		if (pipe(p))
			return 4;
		pid = fork();
		if (pid == 0) {
			close(p[0]);
			signal(SIGINT, SIG_DFL);
			if (bproc_move(node, BPROC_DUMP_ALL))
				_exit(99);
			for (;;)
				pause();
		}
		close(p[1]);
		/* End of file: the child is a ghost now (it closed the pipe). */
		if (read(p[0], &c, 1) != 0)
			return 5;
		kill(pid, SIGSTOP);
		if (waitpid(pid, &status, WUNTRACED) != pid || !WIFSTOPPED(status)) {
			printf("no stop: status 0x%x\n", status);
			return 1;
		}
		printf("stopped by %d\n", WSTOPSIG(status));
		kill(pid, SIGCONT);
		if (waitpid(pid, &status, WCONTINUED) != pid || !WIFCONTINUED(status)) {
			printf("no continue: status 0x%x\n", status);
			return 1;
		}
		printf("continued\n");
		kill(pid, SIGTERM);
		if (waitpid(pid, &status, 0) != pid) {
			printf("waitpid: %s\n", strerror(errno));
			return 1;
		}
		printf("ended: %s %d\n", WIFSIGNALED(status) ? "signal" : "exit",
		       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		return 0;
	}
	if (!strcmp(argv[1], "rexec") && argc >= 4) {
		extern char **environ;

		bproc_rexec(node, argv[3], argv + 3, environ);
		printf("rexec failed: %s\n", errname(errno));
		return 99;
	}
	if (!strcmp(argv[1], "fail")) {
		if (bproc_move(node, BPROC_DUMP_ALL) == 0) {
			where("moved?!");
			return 1;
		}
		printf("%s\n", errname(errno));
		return 0;
	}
	if (!strcmp(argv[1], "forks") && argc == 3) {
		pid_t c, w;
		int status;

		if (bproc_move(node, BPROC_DUMP_ALL)) {
			printf("move failed: %s\n", errname(errno));
			return 99;
		}
		c = fork();
		if (c < 0) {
			printf("fork failed: %s\n", errname(errno));
			bproc_move(BPROC_NODE_MASTER, BPROC_DUMP_ALL);
			return 97;
		}
		if (c == 0) {
			printf("in child %d of %d on node %d\n", getpid(), getppid(),
			       bproc_currnode());
			for (;;)
				pause();
		}
		printf("child %d\n", c);
		w = waitpid(c, &status, 0);
		printf("child %d ended: %s %d\n", w,
		       WIFSIGNALED(status) ? "signal" : "exit",
		       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		if (bproc_move(BPROC_NODE_MASTER, BPROC_DUMP_ALL))
			return 98;
		w = waitpid(-1, &status, WNOHANG);
		printf("back: waitpid %d %s\n", w, w < 0 ? errname(errno) : "");
		return 0;
	}
	if (!strcmp(argv[1], "calls") && argc == 4)
		return calls(node, atoi(argv[3]));
	if (!strcmp(argv[1], "vspawn") && argc >= 4)
		return vspawn(argc - 3, argv + 3, (size_t)atoi(argv[2]) << 20, false);
	if (!strcmp(argv[1], "vhold") && argc >= 4)
		return vspawn(argc - 3, argv + 3, (size_t)atoi(argv[2]) << 20, true);
	if ((!strcmp(argv[1], "vrfork") || !strcmp(argv[1], "vexecmove")) &&
	    argc >= 3) {
		int n = argc - 2, *nodes, *pids, r, status;
		extern char **environ;

		nodes = calloc((size_t)n, sizeof(*nodes));
		pids = calloc((size_t)n, sizeof(*pids));
		if (!nodes || !pids)
			return 2;
		for (int i = 0; i < n; i++)
			nodes[i] = atoi(argv[2 + i]);
		if (argv[1][1] == 'r') {
			r = bproc_vrfork(n, nodes, pids);
			/* Child r, on nodes[r] (3: the kernel says elsewhere). */
			if (r >= 0 && r < n)
				_exit(bproc_currnode() == nodes[r] ? 10 + r % 200 : 3);
		} else {
			char *args[] = { "sh", "-c", "exit $((20 + BPROC_RANK))", NULL };
			char *env[64];
			int k = 0;

			for (char **e = environ; *e && k < 62; e++)
				if (strncmp(*e, "BPROC_RANK=", 11))
					env[k++] = *e;
			env[k++] = "BPROC_RANK=XXXXXXX";
			env[k] = NULL;
			r = bproc_vexecmove(n, nodes, pids, "/bin/sh", args, env);
		}
		if (r != n) {
			printf("returned %d: %s\n", r, errname(errno));
			return 1;
		}
		for (int i = 0; i < n; i++) {
			if (pids[i] <= 0) {
				printf("%d: %s\n", i, errname(-pids[i]));
				continue;
			}
			if (waitpid(pids[i], &status, 0) != pids[i])
				printf("%d: waitpid: %s\n", i, errname(errno));
			else
				printf("%d: exit %d\n", i, WIFEXITED(status) ?
				       WEXITSTATUS(status) : 128 + WTERMSIG(status));
		}
		return 0;
	}
	if ((!strcmp(argv[1], "route") && argc >= 3) ||
	    (!strcmp(argv[1], "pingpong") && (argc == 4 || argc == 5)))
		return route(argc, argv);
	fprintf(stderr, "movetest: bad arguments\n");
	return 2;
}
