// SPDX-License-Identifier: GPL-2.0
/*
 * bpslave's PID-namespace init (cmd/bpslave/nsinit.c), for real: each test starts
 * an init in a new PID namespace (root, or CAP_SYS_ADMIN; skipped without)
 * and restores "images" at chosen PIDs.
 *
 * bproc.ko is not loaded where the unit tests run, so the restorer's
 * undump is replaced by fake_undump() (the bpnsinit_test_undump hook):
 * the "image" is a line of text saying what the process does:
 *
 *   exit N      exit with status N
 *   kill SIG    die by signal SIG
 *   pause       wait for signals (SIGSTOP, SIGCONT, SIGKILL from the test)
 *   fail ERRNO  the undump fails with ERRNO
 *
 * Before acting, the fake process writes "pid P ppid Q fds N" to its
 * standard output (N: descriptors open above 4, where only the image (3)
 * and the report pipe (4) may be), and closes fds >= 3 as the kernel does.
 * One test keeps the real undump, which fails here (no bproc loaded).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <linux/bproc.h>

#include "nsinit.h"
#include "internal.h"

#define TIMEOUT_MS	10000

/* ---- the fake undump (runs in the restorer, never returns on success) -- */

static int fake_undump(int imgfd, int flags)
{
	char cmd[64];
	size_t len = 0;
	int fd, nfds = 0, arg = 0;

	while (len < sizeof(cmd) - 1) {
		ssize_t r = read(imgfd, cmd + len, sizeof(cmd) - 1 - len);

		if (r <= 0)
			break;
		len += (size_t)r;
	}
	cmd[len] = '\0';
	if (flags != BPROC_UNDUMP_CLOSEFDS || imgfd != 3 ||
	    !(fcntl(4, F_GETFD) & FD_CLOEXEC)) {
		errno = EPROTO;
		return -1;
	}
	if (sscanf(cmd, "fail %d", &arg) == 1) {
		errno = arg;
		return -1;
	}
	for (fd = 5; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			nfds++;
	dprintf(1, "pid %d ppid %d fds %d\n", (int)getpid(), (int)getppid(),
		nfds);
	close_range(3, ~0U, 0);

	if (sscanf(cmd, "exit %d", &arg) == 1)
		_exit(arg);
	if (sscanf(cmd, "kill %d", &arg) == 1) {
		signal(arg, SIG_DFL);
		raise(arg);
		_exit(99);
	}
	if (!strcmp(cmd, "pause"))
		for (;;)
			pause();
	_exit(98);
}

/* ---- helpers -------------------------------------------------------- */

struct fixture {
	struct bpnsinit *ni;
};

static int start(void **state, int (*undump)(int, int))
{
	static struct fixture f;
	int err;

	bpnsinit_test_undump = undump;
	err = bpnsinit_start(&f.ni);
	if (err == -EPERM || err == -EINVAL) {
		print_message("# no PID namespace here (%s)\n", strerror(-err));
		f.ni = NULL;
		*state = &f;
		return 0;
	}
	if (err)
		return -1;
	*state = &f;
	return 0;
}

static int setup(void **state)
{
	return start(state, fake_undump);
}

static int setup_real(void **state)
{
	return start(state, NULL);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	bpnsinit_stop(f->ni);
	f->ni = NULL;
	return 0;
}

static struct bpnsinit *ni_of(void **state)
{
	struct fixture *f = *state;

	if (!f->ni)
		skip();
	return f->ni;
}

/*
 * Restore "image" @cmd as @pid; the process's stdout (and stderr) is a
 * pipe whose read end goes to *@out, or /dev/null if @out is NULL.
 * Returns bpnsinit_restore()'s value.
 */
static int restore(struct bpnsinit *ni, pid_t pid, const char *cmd, int *out)
{
	int img[2], o[2], fds[3], r;

	assert_int_equal(pipe2(img, O_CLOEXEC), 0);
	assert_int_equal(write(img[1], cmd, strlen(cmd)), (ssize_t)strlen(cmd));
	close(img[1]);
	fds[0] = open("/dev/null", O_RDWR | O_CLOEXEC);
	assert_true(fds[0] >= 0);
	if (out) {
		assert_int_equal(pipe2(o, O_CLOEXEC), 0);
	} else {
		o[0] = -1;
		o[1] = dup(fds[0]);
	}
	fds[1] = o[1];
	fds[2] = o[1];
	r = bpnsinit_restore(ni, pid, img[0], fds);
	close(img[0]);
	close(fds[0]);
	close(o[1]);
	if (out)
		*out = o[0];
	return r;
}

/* Read what is left of @fd (with a time limit) into @buf. */
static void read_all(int fd, char *buf, size_t size)
{
	size_t len = 0;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		assert_int_equal(poll(&p, 1, TIMEOUT_MS), 1);
		r = read(fd, buf + len, size - 1 - len);
		assert_true(r >= 0);
		if (r == 0)
			break;
		len += (size_t)r;
	}
	buf[len] = '\0';
	close(fd);
}

/* Read one line the fake process wrote; check its PID, parent and fds. */
static void check_hello(int fd, pid_t pid)
{
	char buf[64], want[64];
	size_t len = 0;

	while (len < sizeof(buf) - 1 && (!len || buf[len - 1] != '\n')) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		assert_int_equal(poll(&p, 1, TIMEOUT_MS), 1);
		r = read(fd, buf + len, 1);
		assert_int_equal(r, 1);
		len++;
	}
	buf[len] = '\0';
	snprintf(want, sizeof(want), "pid %d ppid 1 fds 0\n", (int)pid);
	assert_string_equal(buf, want);
}

static void next_event(struct bpnsinit *ni, struct bpnsinit_event *ev)
{
	for (;;) {
		struct pollfd p = { .fd = bpnsinit_fd(ni), .events = POLLIN };
		int r = bpnsinit_event(ni, ev);

		assert_true(r >= 0);
		if (r == 1)
			return;
		assert_int_equal(poll(&p, 1, TIMEOUT_MS), 1);
	}
}

static void expect_event(struct bpnsinit *ni, int type, pid_t pid, int status)
{
	struct bpnsinit_event ev;

	next_event(ni, &ev);
	assert_int_equal(ev.type, type);
	assert_int_equal(ev.pid, pid);
	assert_int_equal(ev.status, status);
}

static void expect_no_event(struct bpnsinit *ni)
{
	struct bpnsinit_event ev;
	struct pollfd p = { .fd = bpnsinit_fd(ni), .events = POLLIN };

	assert_int_equal(poll(&p, 1, 200), 0);
	assert_int_equal(bpnsinit_event(ni, &ev), 0);
}

/* ---- tests ---------------------------------------------------------- */

/* Started: nothing to report, and killing nobody fails as it should. */
static void test_start_idle(void **state)
{
	struct bpnsinit *ni = ni_of(state);
	struct bpnsinit_event ev;

	assert_true(bpnsinit_fd(ni) >= 0);
	assert_int_equal(bpnsinit_event(ni, &ev), 0);
	assert_int_equal(bpnsinit_kill(ni, 4242, 0), -ESRCH);
}

/* The process runs at the PID asked for, child of init, with no stray fd. */
static void test_exit_status(void **state)
{
	struct bpnsinit *ni = ni_of(state);
	int out;

	assert_int_equal(restore(ni, 1234, "exit 7", &out), 0);
	check_hello(out, 1234);
	close(out);
	expect_event(ni, BPNSINIT_RESTORED, 1234, 0);
	expect_event(ni, BPNSINIT_EXIT, 1234, 7 << 8);
	expect_no_event(ni);
}

static void test_signal_death(void **state)
{
	struct bpnsinit *ni = ni_of(state);
	struct bpnsinit_event ev;
	int out;

	assert_int_equal(restore(ni, 2, "kill 15", &out), 0);
	check_hello(out, 2);
	close(out);
	expect_event(ni, BPNSINIT_RESTORED, 2, 0);
	next_event(ni, &ev);
	assert_int_equal(ev.type, BPNSINIT_EXIT);
	assert_int_equal(ev.pid, 2);
	assert_true(WIFSIGNALED(ev.status));
	assert_int_equal(WTERMSIG(ev.status), SIGTERM);
}

/* Stop, continue and kill through init; each shows as an event. */
static void test_stop_continue_kill(void **state)
{
	struct bpnsinit *ni = ni_of(state);
	char rest[64];
	int out;

	assert_int_equal(restore(ni, 30000, "pause", &out), 0);
	check_hello(out, 30000);
	expect_event(ni, BPNSINIT_RESTORED, 30000, 0);
	assert_int_equal(bpnsinit_kill(ni, 30000, SIGSTOP), 0);
	expect_event(ni, BPNSINIT_STOPPED, 30000, SIGSTOP);
	assert_int_equal(bpnsinit_kill(ni, 30000, SIGCONT), 0);
	expect_event(ni, BPNSINIT_CONTINUED, 30000, 0);
	assert_int_equal(bpnsinit_kill(ni, 30000, 0), 0);
	assert_int_equal(bpnsinit_kill(ni, 30000, SIGKILL), 0);
	expect_event(ni, BPNSINIT_EXIT, 30000, SIGKILL);
	read_all(out, rest, sizeof(rest));
	assert_string_equal(rest, "");
	assert_int_equal(bpnsinit_kill(ni, 30000, 0), -ESRCH);
}

/* A taken PID; the PID is free again once its process is gone. */
static void test_pid_taken(void **state)
{
	struct bpnsinit *ni = ni_of(state);
	int out;

	assert_int_equal(restore(ni, 777, "pause", &out), 0);
	check_hello(out, 777);
	close(out);
	expect_event(ni, BPNSINIT_RESTORED, 777, 0);
	assert_int_equal(restore(ni, 777, "exit 1", NULL), -EEXIST);
	assert_int_equal(bpnsinit_kill(ni, 777, SIGKILL), 0);
	expect_event(ni, BPNSINIT_EXIT, 777, SIGKILL);
	assert_int_equal(restore(ni, 777, "exit 3", NULL), 0);
	expect_event(ni, BPNSINIT_RESTORED, 777, 0);
	expect_event(ni, BPNSINIT_EXIT, 777, 3 << 8);
}

/* A failed undump: FAILED with its errno, then nothing; the PID is free. */
static void test_undump_fails(void **state)
{
	struct bpnsinit *ni = ni_of(state);

	assert_int_equal(restore(ni, 500, "fail 22", NULL), 0);
	expect_event(ni, BPNSINIT_FAILED, 500, EINVAL);
	assert_int_equal(restore(ni, 500, "fail 5", NULL), 0);
	expect_event(ni, BPNSINIT_FAILED, 500, EIO);
	expect_no_event(ni);
	assert_int_equal(restore(ni, 500, "exit 0", NULL), 0);
	expect_event(ni, BPNSINIT_RESTORED, 500, 0);
	expect_event(ni, BPNSINIT_EXIT, 500, 0);
}

/*
 * The real bproc_vmaundump_flags(): FAILED with the errno it gives on this
 * "image" here too (no bproc loaded: the one for that, see libbproc(3)).
 */
static void test_real_undump(void **state)
{
	struct bpnsinit *ni = ni_of(state);
	static const char junk[] = "not an image";
	struct bpnsinit_event ev;
	int p[2], want;

	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	assert_int_equal(write(p[1], junk, sizeof(junk)), sizeof(junk));
	close(p[1]);
	errno = 0;
	want = bproc_vmaundump_flags(p[0], BPROC_UNDUMP_CLOSEFDS);
	assert_int_equal(want, -1);
	want = errno;
	assert_true(want > 0);
	close(p[0]);

	assert_int_equal(restore(ni, 600, junk, NULL), 0);
	next_event(ni, &ev);
	assert_int_equal(ev.type, BPNSINIT_FAILED);
	assert_int_equal(ev.pid, 600);
	assert_int_equal(ev.status, want);
	expect_no_event(ni);
}

/* Requests checked on both sides. */
static void test_bad_requests(void **state)
{
	struct bpnsinit *ni = ni_of(state);
	int fds[3] = { 0, 1, 2 };
	char buf[32];
	int pid_max = 0, fd;
	ssize_t r;

	fd = open("/proc/sys/kernel/pid_max", O_RDONLY);
	assert_true(fd >= 0);
	r = read(fd, buf, sizeof(buf) - 1);
	assert_true(r > 0);
	buf[r] = '\0';
	close(fd);
	pid_max = atoi(buf);

	assert_int_equal(restore(ni, 0, "exit 0", NULL), -EINVAL);
	assert_int_equal(restore(ni, 1, "exit 0", NULL), -EINVAL);
	assert_int_equal(restore(ni, -5, "exit 0", NULL), -EINVAL);
	assert_int_equal(restore(ni, pid_max + 1, "exit 0", NULL), -EINVAL);
	assert_int_equal(restore(ni, BPNSINIT_PID_LIMIT + 1, "exit 0", NULL),
			 -EINVAL);
	assert_int_equal(bpnsinit_restore(ni, 100, -1, fds), -EBADF);
	assert_int_equal(bpnsinit_restore(ni, 100, 0, NULL), -EBADF);
	fds[1] = -1;
	assert_int_equal(bpnsinit_restore(ni, 100, 0, fds), -EBADF);
	fds[1] = 1000;		/* not open */
	assert_int_equal(bpnsinit_restore(ni, 100, 0, fds), -EBADF);

	assert_int_equal(bpnsinit_kill(ni, 1, SIGKILL), -EINVAL);
	assert_int_equal(bpnsinit_kill(ni, 0, SIGKILL), -EINVAL);
	assert_int_equal(bpnsinit_kill(ni, -1, SIGKILL), -EINVAL);
	assert_int_equal(bpnsinit_kill(ni, 100, -1), -EINVAL);
	assert_int_equal(bpnsinit_kill(ni, 100, 65), -EINVAL);
	expect_no_event(ni);

	/* Init still serves. */
	assert_int_equal(restore(ni, pid_max, "exit 4", NULL), 0);
	expect_event(ni, BPNSINIT_RESTORED, pid_max, 0);
	expect_event(ni, BPNSINIT_EXIT, pid_max, 4 << 8);
}

/*
 * Many restores while nobody reads events: init holds back (the kernel
 * keeps the exits) and loses nothing; each PID gets RESTORED, then EXIT.
 */
#define MANY	400
static void test_many_unread(void **state)
{
	struct bpnsinit *ni = ni_of(state);
	static unsigned char seen[MANY];
	struct bpnsinit_event ev;
	int i, n;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < MANY; i++) {
		char cmd[32];

		snprintf(cmd, sizeof(cmd), "exit %d", i % 200);
		assert_int_equal(restore(ni, 10000 + i, cmd, NULL), 0);
	}
	for (n = 0; n < 2 * MANY; n++) {
		next_event(ni, &ev);
		i = ev.pid - 10000;
		assert_true(i >= 0 && i < MANY);
		if (ev.type == BPNSINIT_RESTORED) {
			assert_int_equal(seen[i], 0);
			seen[i] = 1;
		} else {
			assert_int_equal(ev.type, BPNSINIT_EXIT);
			assert_int_equal(seen[i], 1);
			assert_int_equal(ev.status, (i % 200) << 8);
			seen[i] = 2;
		}
	}
	for (i = 0; i < MANY; i++)
		assert_int_equal(seen[i], 2);
	expect_no_event(ni);
}

/* bpnsinit_stop() ends every process of the namespace. */
static void test_stop_kills(void **state)
{
	struct fixture *f = *state;
	struct bpnsinit *ni = ni_of(state);
	char rest[64];
	int out1, out2;

	assert_int_equal(restore(ni, 40, "pause", &out1), 0);
	assert_int_equal(restore(ni, 41, "pause", &out2), 0);
	check_hello(out1, 40);
	check_hello(out2, 41);
	bpnsinit_stop(ni);
	f->ni = NULL;
	read_all(out1, rest, sizeof(rest));
	assert_string_equal(rest, "");
	read_all(out2, rest, sizeof(rest));
	assert_string_equal(rest, "");
}

/*
 * bpslave dies without a word (it never calls bpnsinit_stop()): init kills
 * the namespace.  The restored process's stderr is a pipe to the test: it
 * reaches end of file once the process is gone.  (Its stdout goes to the
 * dying "bpslave", which passes the hello line on first.)
 */
static void test_bpslave_dies(void **state)
{
	char rest[64];
	int o[2], st;
	pid_t child;

	(void)ni_of(state);	/* skip where namespaces do not work */
	assert_int_equal(pipe2(o, O_CLOEXEC), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct bpnsinit *ni;
		int img[2], p[2], fds[3];
		char c;

		close(o[0]);
		alarm(10);
		if (bpnsinit_start(&ni) || pipe2(img, O_CLOEXEC) ||
		    pipe2(p, O_CLOEXEC))
			_exit(1);
		if (write(img[1], "pause", 5) != 5)
			_exit(1);
		close(img[1]);
		fds[0] = img[0];
		fds[1] = p[1];
		fds[2] = o[1];
		if (bpnsinit_restore(ni, 99, img[0], fds))
			_exit(1);
		close(p[1]);
		do {
			if (read(p[0], &c, 1) != 1 || write(o[1], &c, 1) != 1)
				_exit(1);
		} while (c != '\n');
		_exit(0);
	}
	close(o[1]);
	check_hello(o[0], 99);
	assert_int_equal(waitpid(child, &st, 0), child);
	assert_int_equal(st, 0);
	read_all(o[0], rest, sizeof(rest));
	assert_string_equal(rest, "");
}

#define TEST(f)		cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_start_idle),
		TEST(test_exit_status),
		TEST(test_signal_death),
		TEST(test_stop_continue_kill),
		TEST(test_pid_taken),
		TEST(test_undump_fails),
		cmocka_unit_test_setup_teardown(test_real_undump, setup_real,
						teardown),
		TEST(test_bad_requests),
		TEST(test_many_unread),
		TEST(test_stop_kills),
		TEST(test_bpslave_dies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
