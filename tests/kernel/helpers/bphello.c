// SPDX-License-Identifier: GPL-2.0
/*
 * bphello - check the module skeleton from user space: the devices and
 * their modes, the daemon-device framing and HELLO rules, the master's
 * single-holder rule, per-open slave sessions, object accounting in
 * /sys/bproc/stats, the control device's VERSION ioctl (also as a non-root
 * user) and the sysfs/procfs directories.
 *
 * Runs as root inside a test VM with bproc.ko loaded and nothing else using
 * the devices.  Prints TAP; exits 0 iff every test passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/sched.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/bproc.h>

#define MASTER_DEV	"/dev/bproc/master"
#define SLAVE_DEV	"/dev/bproc/slave"
#define CONTROL_DEV	"/dev/bproc/control"
#define NOBODY		65534

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#include "tap.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                            */
/* ------------------------------------------------------------------ */

static int open_dev(const char *path, int flags)
{
	return open(path, flags | O_RDWR | O_CLOEXEC);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static long read_long(const char *path);

/* A /sys/bproc/stats counter, or -1 (and a diagnostic) on failure. */
static long read_stat(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bproc/stats/%s", name);
	return read_long(path);
}

/* A number in file @path, or -1 (and a diagnostic) on failure. */
static long read_long(const char *path)
{
	char buf[64], *end;
	ssize_t n;
	long val;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("# %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		printf("# %s: cannot read\n", path);
		return -1;
	}
	buf[n] = '\0';
	errno = 0;
	val = strtol(buf, &end, 10);
	if (errno || end == buf || strcmp(end, "\n") != 0 || val < 0) {
		printf("# %s: bad value '%s'\n", path, buf);
		return -1;
	}
	return val;
}

/* Read a small text file into @buf without its trailing newline. */
static bool read_text(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	buf[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return true;
}

static void make_hello(struct bproc_msg_hello *h, __u64 id, __u16 major)
{
	memset(h, 0, sizeof(*h));
	h->hdr.len = sizeof(*h);
	h->hdr.type = BPROC_MSG_HELLO;
	h->hdr.id = id;
	h->hdr.src = BPROC_NODE_NONE;
	h->hdr.dst = BPROC_NODE_NONE;
	h->major = major;
	h->minor = BPROC_PROTO_MINOR;
}

/* A well-framed message of @type with no body. */
static void make_hdr(struct bproc_msg_hdr *h, __u16 type, __u64 id)
{
	memset(h, 0, sizeof(*h));
	h->len = sizeof(*h);
	h->type = type;
	h->id = id;
}

/* An address user space cannot touch: a PROT_NONE page (NULL if mmap fails). */
static void *bad_ptr(void)
{
	static void *page;

	if (!page) {
		page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (page == MAP_FAILED)
			page = NULL;
	}
	return page;
}

/* poll() @fd without waiting; returns revents, or -1 on error. */
static int poll_now(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };

	if (poll(&p, 1, 0) < 0)
		return -1;
	return p.revents;
}

/* Say HELLO on @fd; returns write()'s result. */
static ssize_t say_hello(int fd, __u64 id)
{
	struct bproc_msg_hello h;

	make_hello(&h, id, BPROC_PROTO_MAJOR);
	return write(fd, &h, sizeof(h));
}

/* Read the reply to say_hello(@id) on @fd and check it. */
static void check_hello_reply(int fd, __u64 id, const char *dev)
{
	struct bproc_msg_hello r;
	char desc[128];
	ssize_t n;

	memset(&r, 0xa5, sizeof(r));
	n = read(fd, &r, sizeof(r));
	snprintf(desc, sizeof(desc), "%s: read returns the kernel's HELLO reply", dev);
	if (!is_ret(n, sizeof(r), desc))
		return;
	snprintf(desc, sizeof(desc), "%s: reply has type HELLO, REPLY flag, same id, len, result 0", dev);
	ok_diag(r.hdr.len == sizeof(r) && r.hdr.type == BPROC_MSG_HELLO &&
		r.hdr.flags == BPROC_MSGF_REPLY && r.hdr.id == id &&
		r.hdr.result == 0 && r.hdr.pad == 0,
		desc, "len %u type %u flags %#x id %llu result %d pad %u",
		r.hdr.len, r.hdr.type, r.hdr.flags,
		(unsigned long long)r.hdr.id, r.hdr.result, r.hdr.pad);
	snprintf(desc, sizeof(desc), "%s: reply carries the kernel's protocol version", dev);
	ok_diag(r.major == BPROC_PROTO_MAJOR && r.minor == BPROC_PROTO_MINOR &&
		!r.reserved[0] && !r.reserved[1] && !r.reserved[2],
		desc, "version %u.%u reserved %u/%u/%u", r.major, r.minor,
		r.reserved[0], r.reserved[1], r.reserved[2]);
}

/* ------------------------------------------------------------------ */
/* Tests                                                              */
/* ------------------------------------------------------------------ */

static void test_nodes(void)
{
	static const struct { const char *path; mode_t mode; } devs[] = {
		{ MASTER_DEV, 0600 },
		{ SLAVE_DEV, 0600 },
		{ CONTROL_DEV, 0666 },
	};
	char desc[128];
	struct stat st;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(devs); i++) {
		snprintf(desc, sizeof(desc), "%s is a char device with mode %04o",
			 devs[i].path, (unsigned int)devs[i].mode);
		if (stat(devs[i].path, &st) < 0) {
			ok_diag(false, desc, "stat: %s", strerror(errno));
			continue;
		}
		ok_diag(S_ISCHR(st.st_mode) && (st.st_mode & 07777) == devs[i].mode,
			desc, "mode %06o", (unsigned int)st.st_mode);
	}
}

static void test_sysfs_procfs(void)
{
	char buf[64], want[64];
	struct stat st;

	ok_diag(read_text("/sys/bproc/version", buf, sizeof(buf)) &&
		strcmp(buf, BPROC_VERSION_STRING) == 0,
		"/sys/bproc/version is " BPROC_VERSION_STRING, "read '%s'", buf);

	snprintf(want, sizeof(want), "%d.%d", BPROC_PROTO_MAJOR, BPROC_PROTO_MINOR);
	ok_diag(read_text("/sys/bproc/protocol", buf, sizeof(buf)) &&
		strcmp(buf, want) == 0,
		"/sys/bproc/protocol is MAJOR.MINOR", "read '%s', want '%s'", buf, want);

	ok_diag(stat("/sys/bproc/nodes", &st) == 0 && S_ISDIR(st.st_mode),
		"/sys/bproc/nodes/ is a directory", "%s", strerror(errno));
	ok_diag(stat("/proc/bproc", &st) == 0 && S_ISDIR(st.st_mode),
		"/proc/bproc/ is a directory", "%s", strerror(errno));
}

/* Framing and HELLO rules on one slave session. */
static void test_framing_and_hello(void)
{
	static unsigned char big[BPROC_MSG_MAX + 1];
	struct bproc_msg_hello h;
	struct bproc_msg_hdr *bh = (struct bproc_msg_hdr *)big;
	char rbuf[256];
	long s0, s1;
	int fd, ev;

	s0 = read_stat("sessions");
	fd = open_dev(SLAVE_DEV, O_NONBLOCK);
	if (!is_ret(fd >= 0 ? 0 : -1, 0, "open " SLAVE_DEV))
		return;
	s1 = read_stat("sessions");
	ok_diag(s0 >= 0 && s1 == s0 + 1, "stats/sessions counts the open session",
		"before %ld, after %ld", s0, s1);

	/* Nothing is queued before HELLO. */
	is_errno(read(fd, rbuf, sizeof(rbuf)), EAGAIN,
		 "nonblocking read before HELLO: EAGAIN");
	ev = poll_now(fd);
	ok_diag(ev >= 0 && !(ev & POLLIN) && (ev & POLLOUT),
		"poll before HELLO: POLLOUT, no POLLIN", "revents %#x", ev);

	/* Framing errors come first: -EINVAL even before HELLO. */
	make_hello(&h, 1, BPROC_PROTO_MAJOR);
	is_errno(write(fd, &h, sizeof(h.hdr) - 1), EINVAL,
		 "write shorter than a header: EINVAL");
	is_errno(write(fd, &h, sizeof(h) - 8), EINVAL,
		 "write count < hdr.len (truncated): EINVAL");
	h.hdr.len = sizeof(h) - 8;
	is_errno(write(fd, &h, sizeof(h)), EINVAL,
		 "write count > hdr.len: EINVAL");

	memset(big, 0, sizeof(big));
	bh->len = sizeof(big);
	bh->type = BPROC_MSG_HELLO;
	is_errno(write(fd, big, sizeof(big)), EINVAL,
		 "message longer than BPROC_MSG_MAX: EINVAL");

	make_hello(&h, 1, BPROC_PROTO_MAJOR);
	h.hdr.flags = 0x8000;
	is_errno(write(fd, &h, sizeof(h)), EINVAL, "unknown hdr.flags: EINVAL");
	make_hello(&h, 1, BPROC_PROTO_MAJOR);
	h.hdr.pad = 1;
	is_errno(write(fd, &h, sizeof(h)), EINVAL, "non-zero hdr.pad: EINVAL");
	make_hello(&h, 1, BPROC_PROTO_MAJOR);
	h.hdr.result = -1;
	is_errno(write(fd, &h, sizeof(h)), EINVAL,
		 "request with non-zero hdr.result: EINVAL");
	make_hello(&h, 1, BPROC_PROTO_MAJOR);
	h.reserved[2] = 1;
	is_errno(write(fd, &h, sizeof(h)), EINVAL,
		 "HELLO with non-zero reserved: EINVAL");
	make_hello(&h, 1, BPROC_PROTO_MAJOR);
	h.hdr.len = sizeof(h.hdr);
	is_errno(write(fd, &h, sizeof(h.hdr)), EINVAL,
		 "HELLO without its body: EINVAL");

	is_errno(write(fd, bad_ptr(), sizeof(h)), EFAULT,
		 "write from a bad pointer: EFAULT");

	/* Protocol errors: -EPROTO, and the session can still greet. */
	make_hdr(&h.hdr, 77, 2);
	is_errno(write(fd, &h.hdr, sizeof(h.hdr)), EPROTO,
		 "first message not HELLO: EPROTO");
	make_hello(&h, 3, BPROC_PROTO_MAJOR + 1);
	is_errno(write(fd, &h, sizeof(h)), EPROTO,
		 "HELLO with a wrong major: EPROTO");
	make_hello(&h, 4, BPROC_PROTO_MAJOR);
	h.hdr.flags = BPROC_MSGF_REPLY;
	is_errno(write(fd, &h, sizeof(h)), EPROTO,
		 "HELLO marked as a reply: EPROTO");
	ev = poll_now(fd);
	ok_diag(ev >= 0 && !(ev & POLLIN), "failed HELLOs queue nothing",
		"revents %#x", ev);

	is_ret(say_hello(fd, 42), sizeof(h), "good HELLO is accepted");
	ev = poll_now(fd);
	ok_diag(ev >= 0 && (ev & POLLIN), "poll after HELLO: POLLIN", "revents %#x", ev);

	is_errno(read(fd, rbuf, sizeof(struct bproc_msg_hello) - 1), EINVAL,
		 "read into a too-small buffer: EINVAL");
	is_errno(read(fd, bad_ptr(), sizeof(rbuf)), EFAULT,
		 "read into a bad pointer: EFAULT");
	ev = poll_now(fd);
	ok_diag(ev >= 0 && (ev & POLLIN), "reply still queued after the failed reads",
		"revents %#x", ev);
	check_hello_reply(fd, 42, "slave");

	is_errno(read(fd, rbuf, sizeof(rbuf)), EAGAIN,
		 "nonblocking read of an empty queue: EAGAIN");
	ev = poll_now(fd);
	ok_diag(ev >= 0 && !(ev & POLLIN), "poll on an empty queue: no POLLIN",
		"revents %#x", ev);

	is_errno(say_hello(fd, 43), EALREADY, "second HELLO: EALREADY");
	make_hdr(&h.hdr, 77, 5);
	is_errno(write(fd, &h.hdr, sizeof(h.hdr)), EOPNOTSUPP,
		 "unknown type after HELLO: EOPNOTSUPP");
	memset(big, 0, BPROC_MSG_MAX);
	bh->len = BPROC_MSG_MAX;
	bh->type = 77;
	is_errno(write(fd, big, BPROC_MSG_MAX), EOPNOTSUPP,
		 "message of exactly BPROC_MSG_MAX passes framing");

	close_fd(&fd);
	s1 = read_stat("sessions");
	ok_diag(s1 == s0, "stats/sessions back to its start value after close",
		"before %ld, after %ld", s0, s1);
}

static void test_master(void)
{
	int fd, fd2;

	fd = open_dev(MASTER_DEV, O_NONBLOCK);
	if (!is_ret(fd >= 0 ? 0 : -1, 0, "open " MASTER_DEV))
		return;
	fd2 = open_dev(MASTER_DEV, O_NONBLOCK);
	is_errno(fd2, EBUSY, "second open of the master device: EBUSY");
	close_fd(&fd2);

	is_ret(say_hello(fd, 7), sizeof(struct bproc_msg_hello),
	       "master: good HELLO is accepted");
	check_hello_reply(fd, 7, "master");
	close_fd(&fd);

	fd = open_dev(MASTER_DEV, O_NONBLOCK);
	is_ret(fd >= 0 ? 0 : -1, 0, "master device can be opened again after close");
	if (fd >= 0)
		is_ret(say_hello(fd, 8), sizeof(struct bproc_msg_hello),
		       "reopened master is a fresh session (HELLO accepted)");
	close_fd(&fd);
}

static void test_two_slaves(void)
{
	char buf[256];
	long s0, s1;
	int a, b, ev;

	s0 = read_stat("sessions");
	a = open_dev(SLAVE_DEV, O_NONBLOCK);
	b = open_dev(SLAVE_DEV, O_NONBLOCK);
	if (!is_ret(a >= 0 && b >= 0 ? 0 : -1, 0, "two simultaneous slave opens")) {
		close_fd(&a);
		close_fd(&b);
		return;
	}
	s1 = read_stat("sessions");
	ok_diag(s1 == s0 + 2, "stats/sessions counts both slave sessions",
		"before %ld, after %ld", s0, s1);

	is_ret(say_hello(a, 100), sizeof(struct bproc_msg_hello),
	       "slave A: HELLO accepted");
	ev = poll_now(b);
	ok_diag(ev >= 0 && !(ev & POLLIN), "slave B sees nothing of A's reply",
		"revents %#x", ev);
	is_errno(read(b, buf, sizeof(buf)), EAGAIN, "slave B: read gives EAGAIN");
	is_ret(say_hello(b, 200), sizeof(struct bproc_msg_hello),
	       "slave B: its own HELLO is accepted (not EALREADY)");
	check_hello_reply(b, 200, "slave B");
	check_hello_reply(a, 100, "slave A");

	close_fd(&a);
	close_fd(&b);
	s1 = read_stat("sessions");
	ok_diag(s1 == s0, "stats/sessions back to its start value",
		"before %ld, after %ld", s0, s1);
}

/*
 * BPROC_IOC_TASK_GROUPS (/dev/bproc/slave): bpslave asks for the groups of
 * a task that asked its file view.  Only on a greeted session; every bad
 * field refused; a task whose fs ids are not the given ones is ESRCH;
 * the answer is the task's groups, the rest zeroed.
 */
static void test_task_groups(void)
{
	static const gid_t mine[] = { 7, 4242, 65533 };
	struct bproc_task_groups tg, want;
	int fd, i;

	fd = open_dev(SLAVE_DEV, O_NONBLOCK);
	if (!is_ret(fd >= 0 ? 0 : -1, 0, "task groups: a slave session"))
		return;
	memset(&tg, 0, sizeof(tg));
	tg.pid = getpid();
	is_errno(ioctl(fd, BPROC_IOC_TASK_GROUPS, &tg), EPROTO,
		 "task groups: refused before HELLO");
	is_ret(say_hello(fd, 300), sizeof(struct bproc_msg_hello), "task groups: HELLO");
	check_hello_reply(fd, 300, "task groups");
	if (setgroups(ARRAY_SIZE(mine), mine))
		ok_diag(0, "task groups: setgroups", "%s", strerror(errno));

	memset(&tg, 0xa5, sizeof(tg));
	tg.pid = getpid();
	tg.fsuid = 0;
	tg.fsgid = 0;
	tg.reserved = 0;
	is_ret(ioctl(fd, BPROC_IOC_TASK_GROUPS, &tg), 0, "task groups: of this process");
	memset(&want, 0, sizeof(want));
	want.pid = getpid();
	want.ngroups = ARRAY_SIZE(mine);
	for (i = 0; i < (int)ARRAY_SIZE(mine); i++)
		want.groups[i] = mine[i];
	ok_diag(memcmp(&tg, &want, sizeof(tg)) == 0,
		"task groups: its three groups in order, the rest zeroed",
		"ngroups %u, groups %u %u %u %u", tg.ngroups, tg.groups[0], tg.groups[1],
		tg.groups[2], tg.groups[3]);

	tg = want;
	tg.fsuid = NOBODY;
	is_errno(ioctl(fd, BPROC_IOC_TASK_GROUPS, &tg), ESRCH,
		 "task groups: other fs ids than the task's: ESRCH");
	tg = want;
	tg.pid = 0;
	is_errno(ioctl(fd, BPROC_IOC_TASK_GROUPS, &tg), EINVAL, "task groups: PID 0: EINVAL");
	tg.pid = -5;
	is_errno(ioctl(fd, BPROC_IOC_TASK_GROUPS, &tg), EINVAL, "task groups: PID -5: EINVAL");
	tg.pid = BPROC_PID_MAX + 1;
	is_errno(ioctl(fd, BPROC_IOC_TASK_GROUPS, &tg), EINVAL,
		 "task groups: PID above BPROC_PID_MAX: EINVAL");
	tg = want;
	tg.reserved = 1;
	is_errno(ioctl(fd, BPROC_IOC_TASK_GROUPS, &tg), EINVAL,
		 "task groups: reserved not zero: EINVAL");
	tg = want;
	tg.pid = BPROC_PID_MAX;	/* (pid_max is lower: no such task) */
	is_errno(ioctl(fd, BPROC_IOC_TASK_GROUPS, &tg), ESRCH, "task groups: no such task: ESRCH");
	is_errno(ioctl(fd, BPROC_IOC_TASK_GROUPS, bad_ptr()), EFAULT,
		 "task groups: a bad pointer: EFAULT");
	if (setgroups(0, NULL))
		ok_diag(0, "task groups: setgroups back", "%s", strerror(errno));
	close_fd(&fd);
}

/*
 * A child that is the init of a new PID namespace (our child, directly
 * below our namespace): it answers each byte on @cmd with its
 * BPROC_IOC_CURRNODE on @ans, and exits at EOF.
 */
static pid_t ns_child(int *cmd, int *ans)
{
	int c[2], a[2];
	pid_t pid;

	if (pipe(c) || pipe(a))
		return -1;
	pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		int ctl = open(CONTROL_DEV, O_RDONLY | O_CLOEXEC);
		char x;

		close(c[1]);
		close(a[0]);
		while (read(c[0], &x, 1) == 1) {
			__s32 node = -100;

			if (ioctl(ctl, BPROC_IOC_CURRNODE, &node))
				node = -200;
			if (write(a[1], &node, sizeof(node)) != sizeof(node))
				break;
		}
		_exit(0);
	}
	close(c[0]);
	close(a[1]);
	*cmd = c[1];
	*ans = a[0];
	return pid;
}

/* What child (@cmd, @ans) says its node is. */
static int ns_child_node(int cmd, int ans)
{
	__s32 node = -300;

	if (write(cmd, "c", 1) != 1 || read(ans, &node, sizeof(node)) != sizeof(node))
		return -300;
	return node;
}

static int send_nodes(int fd, int numnodes, int self)
{
	struct bproc_msg_nodes m;

	memset(&m, 0, sizeof(m));
	make_hdr(&m.hdr, BPROC_MSG_NODES, 7);
	m.hdr.len = sizeof(m);
	m.numnodes = numnodes;
	m.self = self;
	return write(fd, &m, sizeof(m)) == sizeof(m) ? 0 : -1;	/* errno set */
}

/*
 * BPROC_IOC_NODE_NS (/dev/bproc/slave): a session names its node's PID
 * namespace, after its NODES; only the init of a namespace just below
 * ours that is our child; once; one session per namespace.  A process of
 * that namespace is then on the session's node (BPROC_IOC_CURRNODE), one
 * of another session's namespace on that one's: one kernel, two nodes.
 * On a slave only: a slave session's NODES would make the master's kernel
 * a mirror until bpmaster is back.
 */
static void test_node_ns(void)
{
	int a = -1, b = -1, cmd1 = -1, ans1 = -1, cmd2 = -1, ans2 = -1;
	int numnodes = (int)read_long("/sys/bproc/numnodes");
	pid_t plain, c1, c2;
	__s32 pid;

	if (numnodes < 2) {
		ok_diag(false, "node ns: a table of two nodes or more", "numnodes %d", numnodes);
		return;
	}
	a = open_dev(SLAVE_DEV, O_NONBLOCK);
	b = open_dev(SLAVE_DEV, O_NONBLOCK);
	if (!is_ret(a >= 0 && b >= 0 ? 0 : -1, 0, "node ns: two slave sessions"))
		goto out;
	pid = getpid();
	is_errno(ioctl(a, BPROC_IOC_NODE_NS, &pid), EPROTO, "node ns: refused before HELLO");
	is_ret(say_hello(a, 400), sizeof(struct bproc_msg_hello), "node ns: HELLO A");
	check_hello_reply(a, 400, "node ns A");
	is_ret(say_hello(b, 401), sizeof(struct bproc_msg_hello), "node ns: HELLO B");
	check_hello_reply(b, 401, "node ns B");
	c1 = ns_child(&cmd1, &ans1);
	c2 = ns_child(&cmd2, &ans2);
	plain = fork();
	if (plain == 0) {
		pause();
		_exit(0);
	}
	if (!is_ret(c1 > 0 && c2 > 0 && plain > 0 ? 0 : -1, 0,
		    "node ns: two children that are namespace inits, one that is not"))
		goto out;
	is_errno(ioctl(a, BPROC_IOC_NODE_NS, &c1), EPROTO, "node ns: refused before NODES");
	is_ret(send_nodes(a, numnodes, 0), 0, "node ns: NODES of A, node 0");
	is_errno(send_nodes(a, numnodes, 1), EINVAL, "node ns: A's NODES cannot name another node");
	is_ret(send_nodes(b, numnodes, 1), 0, "node ns: NODES of B, node 1 (both keep the mirror)");

	pid = getpid();
	is_errno(ioctl(a, BPROC_IOC_NODE_NS, &pid), EINVAL, "node ns: ourselves: EINVAL");
	is_errno(ioctl(a, BPROC_IOC_NODE_NS, &plain), EINVAL,
		 "node ns: a child that is no namespace init: EINVAL");
	pid = 1;
	is_errno(ioctl(a, BPROC_IOC_NODE_NS, &pid), EINVAL, "node ns: PID 1, not our child: EINVAL");
	pid = 0;
	is_errno(ioctl(a, BPROC_IOC_NODE_NS, &pid), EINVAL, "node ns: PID 0: EINVAL");
	pid = -3;
	is_errno(ioctl(a, BPROC_IOC_NODE_NS, &pid), EINVAL, "node ns: PID -3: EINVAL");
	pid = BPROC_PID_MAX + 1;
	is_errno(ioctl(a, BPROC_IOC_NODE_NS, &pid), EINVAL, "node ns: PID above BPROC_PID_MAX: EINVAL");
	pid = BPROC_PID_MAX;
	is_errno(ioctl(a, BPROC_IOC_NODE_NS, &pid), ESRCH, "node ns: no such process: ESRCH");
	is_errno(ioctl(a, BPROC_IOC_NODE_NS, bad_ptr()), EFAULT, "node ns: a bad pointer: EFAULT");

	is_ret(ioctl(a, BPROC_IOC_NODE_NS, &c1), 0, "node ns: A names its child's namespace");
	is_errno(ioctl(a, BPROC_IOC_NODE_NS, &c2), EALREADY, "node ns: A a second time: EALREADY");
	is_errno(ioctl(b, BPROC_IOC_NODE_NS, &c1), EBUSY, "node ns: B, A's namespace: EBUSY");
	is_ret(ioctl(b, BPROC_IOC_NODE_NS, &c2), 0, "node ns: B names the other child's");
	is_ret(ns_child_node(cmd1, ans1), 0, "node ns: the first child is on node 0 (A's)");
	is_ret(ns_child_node(cmd2, ans2), 1, "node ns: the second is on node 1 (B's)");
	close_fd(&a);
	is_ret(ns_child_node(cmd2, ans2), 1, "node ns: A gone, the second is still on node 1");
out:
	close_fd(&a);
	close_fd(&b);
	if (cmd1 >= 0)
		close(cmd1);
	if (cmd2 >= 0)
		close(cmd2);
	if (ans1 >= 0)
		close(ans1);
	if (ans2 >= 0)
		close(ans2);
	if (plain > 0)
		kill(plain, SIGKILL);
	while (wait(NULL) > 0)
		;
}

static void on_signal(int sig)
{
	(void)sig;
}

/* Blocking reads: woken by a queued message, interrupted by a signal. */
static void test_blocking(void)
{
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */
	struct itimerval it = { .it_value = { .tv_usec = 200000 } };
	struct itimerval limit = { .it_value = { .tv_sec = 10 } };
	struct itimerval off = { 0 };
	struct bproc_msg_hello r;
	int fd, status = 0;
	pid_t pid;

	fd = open_dev(SLAVE_DEV, 0);
	if (!is_ret(fd >= 0 ? 0 : -1, 0, "open a slave session, blocking"))
		return;

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	is_errno(read(fd, &r, sizeof(r)), EINTR,
		 "blocking read of an empty queue is interrupted by a signal: EINTR");

	/* The child shares the session (same open file) and says HELLO. */
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		ok_diag(false, "fork for the blocking read test", "%s", strerror(errno));
		close_fd(&fd);
		return;
	}
	if (pid == 0) {
		usleep(200000);
		_exit(say_hello(fd, 11) == sizeof(r) ? 0 : 1);
	}
	/* If the wake-up never comes, SIGALRM ends the read after 10 s. */
	memset(&r, 0, sizeof(r));
	setitimer(ITIMER_REAL, &limit, NULL);
	is_ret(read(fd, &r, sizeof(r)), sizeof(r),
	       "blocking read wakes up when the reply is queued");
	setitimer(ITIMER_REAL, &off, NULL);
	signal(SIGALRM, SIG_DFL);
	alarm(60);
	ok_diag(r.hdr.type == BPROC_MSG_HELLO && r.hdr.id == 11,
		"the woken read got the reply", "type %u id %llu",
		r.hdr.type, (unsigned long long)r.hdr.id);
	ok_diag(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		WEXITSTATUS(status) == 0, "the HELLO from the same open file in a child worked",
		"status %#x", status);
	close_fd(&fd);
}

/* Closing a session frees what it had queued. */
static void test_queue_freed(void)
{
	long m0, m1;
	int fd;

	m0 = read_stat("messages");
	fd = open_dev(SLAVE_DEV, O_NONBLOCK);
	if (!is_ret(fd >= 0 ? 0 : -1, 0, "open a slave session"))
		return;
	is_ret(say_hello(fd, 9), sizeof(struct bproc_msg_hello),
	       "HELLO queues a reply");
	m1 = read_stat("messages");
	ok_diag(m0 >= 0 && m1 == m0 + 1, "stats/messages counts the queued reply",
		"before %ld, after %ld", m0, m1);
	close_fd(&fd);
	m1 = read_stat("messages");
	ok_diag(m1 == m0, "stats/messages back to its start value after close with an unread reply",
		"before %ld, after %ld", m0, m1);
}

static bool version_ok(const struct bproc_version *v)
{
	return v->proto_major == BPROC_PROTO_MAJOR &&
	       v->proto_minor == BPROC_PROTO_MINOR &&
	       v->abi == sizeof(*v) &&
	       strcmp(v->release, BPROC_VERSION_STRING) == 0;
}

/*
 * Child side of the non-root test.  Exit status: 0 all fine, 1 cannot drop
 * privileges, 2 cannot open control, 3 ioctl failed, 4 wrong answer,
 * 5 the master device opened anyway.
 */
static int nonroot_child(void)
{
	struct bproc_version v;
	int fd;

	if (setgroups(0, NULL) < 0 || setgid(NOBODY) < 0 || setuid(NOBODY) < 0)
		return 1;
	fd = open_dev(CONTROL_DEV, 0);
	if (fd < 0)
		return 2;
	memset(&v, 0, sizeof(v));
	if (ioctl(fd, BPROC_IOC_VERSION, &v) < 0)
		return 3;
	if (!version_ok(&v))
		return 4;
	close(fd);
	fd = open_dev(MASTER_DEV, 0);
	if (fd >= 0 || errno != EACCES)
		return 5;
	return 0;
}

static void test_control(void)
{
	struct bproc_version v;
	int fd, status;
	pid_t pid;

	fd = open_dev(CONTROL_DEV, 0);
	if (!is_ret(fd >= 0 ? 0 : -1, 0, "open " CONTROL_DEV))
		return;
	memset(&v, 0xa5, sizeof(v));
	if (is_ret(ioctl(fd, BPROC_IOC_VERSION, &v), 0, "ioctl VERSION succeeds"))
		ok_diag(version_ok(&v), "VERSION gives protocol, abi size and release",
			"%u.%u abi %u release '%.24s'", v.proto_major,
			v.proto_minor, v.abi, v.release);
	is_errno(ioctl(fd, _IOR(BPROC_IOC_MAGIC, 0x7f, struct bproc_version), &v),
		 ENOTTY, "unknown bproc ioctl: ENOTTY");
	is_errno(ioctl(fd, _IO('T', 0x01)), ENOTTY, "foreign ioctl: ENOTTY");
	close_fd(&fd);

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		ok_diag(false, "fork for the non-root test", "%s", strerror(errno));
		return;
	}
	if (pid == 0)
		_exit(nonroot_child());
	if (waitpid(pid, &status, 0) < 0) {
		ok_diag(false, "wait for the non-root test", "%s", strerror(errno));
		return;
	}
	if (!WIFEXITED(status)) {
		ok_diag(false, "non-root child", "status %#x", status);
		return;
	}
	status = WEXITSTATUS(status);
	ok_diag(status == 0 || status == 5, "non-root user: VERSION ioctl works",
		"child exit status %d", status);
	ok_diag(status == 0, "non-root user: cannot open " MASTER_DEV,
		"child exit status %d", status);
}

int main(void)
{
	long m0, m1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(60);	/* never hang a test run */

	m0 = read_stat("messages");
	test_nodes();
	test_sysfs_procfs();
	test_framing_and_hello();
	test_master();
	test_two_slaves();
	test_task_groups();
	test_blocking();
	test_queue_freed();
	test_control();
	{
		int ctl = open(CONTROL_DEV, O_RDONLY | O_CLOEXEC);
		__s32 self = BPROC_NODE_MASTER;

		if (ctl >= 0 && ioctl(ctl, BPROC_IOC_CURRNODE, &self) == 0 &&
		    self != BPROC_NODE_MASTER)
			test_node_ns();
		else
			printf("# node ns: on a slave only\n");
		if (ctl >= 0)
			close(ctl);
	}
	m1 = read_stat("messages");
	ok_diag(m0 >= 0 && m1 == m0, "stats/messages back to its start value at the end",
		"before %ld, after %ld", m0, m1);

	return done_testing();
}
