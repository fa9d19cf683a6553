// SPDX-License-Identifier: GPL-2.0
/*
 * sectest: the attacks of issue 19 that a process on a node can try
 * (tests/kernel/t0430-sec-node.sh).  Each mode moves itself to NODE first
 * and prints what happened, one line each, for the test to compare.
 *
 *   sectest victim NODE            move, print "victim PID", sleep (60 s)
 *   sectest nested NODE PID        move; in a new user and PID namespace
 *                                  (unshare -Urp), make a process whose PID
 *                                  there is PID (ns_last_pid) and move it to
 *                                  the master.  On the master (the attack
 *                                  worked) it writes /tmp/sectest-pwned.UID
 *   sectest int80 NODE             getppid() by syscall and by int 0x80
 *   sectest clone3 NODE            clone3() and fork()
 *   sectest dropids NODE ROOT NOBODY   (as root) drop CAP_KILL, then uid 0
 *                                  for 65534 (saved 0, then for good), and
 *                                  signal ROOT's and NOBODY's processes on
 *                                  the master after each step
 *   sectest forkrace NODE thread|uring N   fork N children on NODE while
 *                                  a thread of ours makes PIDs as fast as
 *                                  it can, to take the PID bpslave arms
 *                                  ns_last_pid with for each fork: threads
 *                                  (clone(CLONE_THREAD), which the node's
 *                                  filter sees), or io_uring SQPOLL threads
 *                                  (which no system call of ours makes).
 *                                  Prints "child PID" for each fork that
 *                                  returned one, "placed", then, on
 *                                  SIGTERM, ends its children and prints
 *                                  "ended N killed K"
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/bproc.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/io_uring.h>
#include <linux/sched.h>
#include <pthread.h>

static int put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* In the new namespaces: PID 1 there makes @want and moves it. */
static int nested_init(int want)
{
	char buf[32];
	pid_t c;
	int st;

	snprintf(buf, sizeof(buf), "%d", want - 1);
	if (put("/proc/sys/kernel/ns_last_pid", buf)) {
		printf("nested: ns_last_pid: %s\n", strerrorname_np(errno));
		return 1;
	}
	c = fork();
	if (c < 0) {
		printf("nested: fork: %s\n", strerrorname_np(errno));
		return 1;
	}
	if (c == 0) {
		uid_t uid = getuid();

		if (getpid() != want) {
			printf("nested: got pid %d, not %d\n", getpid(), want);
			_exit(1);
		}
		if (bproc_move(BPROC_NODE_MASTER, BPROC_DUMP_ALL)) {
			printf("nested pid %d: move refused: %s\n", want,
			       strerrorname_np(errno));
			_exit(0);
		}
		/* On the master, as whoever has that PID there. */
		snprintf(buf, sizeof(buf), "/tmp/sectest-pwned.%d", (int)getuid());
		close(open(buf, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
		(void)uid;
		_exit(0);
	}
	while (waitpid(c, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

static int nested(int want)
{
	char map[64];
	uid_t uid = getuid();
	gid_t gid = getgid();
	pid_t c;
	int st;

	/*
	 * A user needs a user namespace of its own for the PID namespace;
	 * root does not (and a process restored on a node as a user is not
	 * dumpable, so its /proc/self/uid_map is root's: it cannot map itself).
	 */
	if (unshare(uid ? CLONE_NEWUSER | CLONE_NEWPID : CLONE_NEWPID)) {
		printf("nested: unshare: %s\n", strerrorname_np(errno));
		return 1;
	}
	if (uid) {
		snprintf(map, sizeof(map), "0 %d 1", (int)uid);
		put("/proc/self/setgroups", "deny");
		if (put("/proc/self/uid_map", map)) {
			printf("nested: uid_map: %s\n", strerrorname_np(errno));
			return 1;
		}
		snprintf(map, sizeof(map), "0 %d 1", (int)gid);
		put("/proc/self/gid_map", map);
	}
	c = fork();
	if (c < 0) {
		printf("nested: fork: %s\n", strerrorname_np(errno));
		return 1;
	}
	if (c == 0)
		_exit(nested_init(want));
	while (waitpid(c, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

/* getppid through the i386 ABI. */
static long getppid_int80(void)
{
	long r = 64;	/* __NR_getppid, i386 */

	__asm__ volatile("int $0x80" : "+a"(r) : : "memory");
	return r;
}

static int clone3_try(void)
{
	struct clone_args a = { .exit_signal = SIGCHLD };
	long r = syscall(SYS_clone3, &a, sizeof(a));
	pid_t c;
	int st;

	if (r == 0)
		_exit(7);
	if (r < 0) {
		printf("clone3: %s\n", strerrorname_np(errno));
	} else {
		waitpid((pid_t)r, &st, 0);
		printf("clone3: child\n");
	}
	c = fork();
	if (c == 0)
		_exit(7);
	if (c < 0 || waitpid(c, &st, 0) != c) {
		printf("fork: %s\n", strerrorname_np(errno));
		return 1;
	}
	printf("fork: child exit %d\n", WEXITSTATUS(st));
	return 0;
}

/* kill(@pid, @sig), printed as "@what: ok" or "@what: ERRNO". */
static void try_kill(const char *what, pid_t pid, int sig)
{
	printf("%s: %s\n", what, kill(pid, sig) ? strerrorname_np(errno) : "ok");
}

/* CAP_KILL in the effective set on (@on) or off; 0 or -1. */
static int cap_kill_effective(int on)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	if (on)
		d[0].effective |= 1u << CAP_KILL;
	else
		d[0].effective &= ~(1u << CAP_KILL);
	return (int)syscall(SYS_capset, &h, d);
}

/*
 * Issue 19 item 7: a call is made with the caller's ids of now.  Root on
 * the node that drops privilege must not signal as root on the master.
 */
static int drop_ids(pid_t root, pid_t nobody)
{
	if (cap_kill_effective(0)) {
		printf("capset: %s\n", strerrorname_np(errno));
		return 1;
	}
	try_kill("uid 0 without CAP_KILL: kill -0 nobody's", nobody, 0);
	cap_kill_effective(1);
	try_kill("uid 0 with CAP_KILL: kill -0 nobody's", nobody, 0);
	if (setresuid(65534, 65534, 0)) {
		printf("setresuid: %s\n", strerrorname_np(errno));
		return 1;
	}
	try_kill("uid 65534 (saved 0): kill -0 root's", root, 0);
	try_kill("uid 65534 (saved 0): kill -0 nobody's", nobody, 0);
	if (setresuid(0, 0, 0)) {
		printf("setresuid back: %s\n", strerrorname_np(errno));
		return 1;
	}
	try_kill("back to uid 0: kill -0 root's", root, 0);
	if (setresuid(65534, 65534, 65534)) {
		printf("setresuid: %s\n", strerrorname_np(errno));
		return 1;
	}
	try_kill("uid 65534: kill -9 root's", root, SIGKILL);
	printf("uid 65534: setresuid 0: %s\n",
	       setresuid(0, 0, 0) ? strerrorname_np(errno) : "ok");
	try_kill("uid 65534: kill -9 -1", -1, SIGKILL);
	printf("uid 65534: getppid: %s\n", getppid() > 1 ? "ok" : "wrong");
	return 0;
}

static volatile int racing = 1;

static void *noop(void *arg)
{
	return arg;
}

/* Make PIDs: threads, or io_uring SQPOLL threads (a ring each). */
static void *racer(void *arg)
{
	int uring = *(int *)arg;

	while (racing) {
		if (uring) {
			struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL,
						     .sq_thread_idle = 1 };
			int fd = (int)syscall(SYS_io_uring_setup, 1, &p);

			if (fd >= 0)
				close(fd);
		} else {
			pthread_t t;

			if (!pthread_create(&t, NULL, noop, NULL))
				pthread_join(t, NULL);
		}
	}
	return NULL;
}

static int fork_race(int uring, int n)
{
	int hold[2], i, st, ended = 0, killed = 0;
	pthread_t r;
	sigset_t term;

	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, NULL);
	if (pipe(hold) || pthread_create(&r, NULL, racer, &uring))
		return 1;
	for (i = 0; i < n; i++) {
		char b;
		pid_t c = fork();

		if (c == 0) {
			/* until our parent closes its end */
			close(hold[1]);
			while (read(hold[0], &b, 1) > 0)
				;
			_exit(0);
		}
		if (c > 0)
			printf("child %d\n", c);
		else
			printf("fork: %s\n", strerrorname_np(errno));
	}
	racing = 0;
	pthread_join(r, NULL);
	printf("placed\n");
	sigwaitinfo(&term, NULL);
	close(hold[1]);
	while (wait(&st) > 0) {
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
			killed++;
		else
			ended++;
	}
	printf("ended %d killed %d\n", ended, killed);
	return 0;
}

int main(int argc, char **argv)
{
	int node;

	if (argc < 3) {
		fprintf(stderr, "usage: sectest victim|nested|int80|clone3|dropids|forkrace NODE [PID...]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	node = atoi(argv[2]);
	if (bproc_move(node, BPROC_DUMP_ALL)) {
		printf("move: %s\n", strerrorname_np(errno));
		return 99;
	}
	if (!strcmp(argv[1], "victim")) {
		printf("victim %d\n", getpid());
		sleep(60);
		return 0;
	}
	if (!strcmp(argv[1], "nested") && argc == 4)
		return nested(atoi(argv[3]));
	if (!strcmp(argv[1], "int80")) {
		printf("getppid %ld\n", (long)getppid());
		printf("int80 getppid %ld\n", getppid_int80());
		return 0;
	}
	if (!strcmp(argv[1], "clone3"))
		return clone3_try();
	if (!strcmp(argv[1], "forkrace") && argc == 5)
		return fork_race(!strcmp(argv[3], "uring"), atoi(argv[4]));
	if (!strcmp(argv[1], "dropids") && argc == 5)
		return drop_ids(atoi(argv[3]), atoi(argv[4]));
	return 2;
}
