// SPDX-License-Identifier: GPL-2.0
/*
 * bpnodes - the kernel's node table from a daemon's side: BPROC_MSG_NODES,
 * NODE_SET and NODE_REQ on /dev/bproc/master (malformed ones included), the
 * files of /sys/bproc/nodes/N/ and what root's writes turn into, the owner
 * rule of BPROC_IOC_NODE_ACCESS, BPROC_IOC_CURRNODE, table ownership
 * between sessions.
 *
 * Runs as root on the master VM while no bpmaster holds the master device
 * (the test stops it first).  Prints TAP; exits 0 iff every test passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <linux/bproc.h>

#define MASTER_DEV	"/dev/bproc/master"
#define SLAVE_DEV	"/dev/bproc/slave"
#define CONTROL_DEV	"/dev/bproc/control"
#define NODES		"/sys/bproc/nodes"
#define NOBODY		65534

#include "tap.h"

static void read_file(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	buf[0] = 0;
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		snprintf(buf, size, "<%s>", strerror(errno));
		return;
	}
	n = read(fd, buf, size - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	buf[strcspn(buf, "\n")] = 0;
}

static void expect_file(const char *path, const char *want, const char *desc)
{
	char got[128];

	read_file(path, got, sizeof(got));
	ok_diag(!strcmp(got, want), desc, "%s is '%s', want '%s'", path, got, want);
}

static long write_file(const char *path, const char *val)
{
	long n;
	int fd;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	if (n < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	return n;
}

static int say_hello(const char *dev)
{
	struct bproc_msg_hello h, r;
	int fd = open(dev, O_RDWR);

	if (fd < 0)
		return -1;
	memset(&h, 0, sizeof(h));
	h.hdr.len = sizeof(h);
	h.hdr.type = BPROC_MSG_HELLO;
	h.major = BPROC_PROTO_MAJOR;
	if (write(fd, &h, sizeof(h)) != sizeof(h) ||
	    read(fd, &r, sizeof(r)) != sizeof(r)) {
		close(fd);
		return -1;
	}
	return fd;
}

static long send_nodes(int fd, int numnodes, int self, const char *addr,
		       __u16 flags, __u32 reserved)
{
	struct bproc_msg_nodes m;

	memset(&m, 0, sizeof(m));
	m.hdr.len = sizeof(m);
	m.hdr.type = BPROC_MSG_NODES;
	m.hdr.flags = flags;
	m.numnodes = numnodes;
	m.self = self;
	m.master_addr = inet_addr(addr);
	m.reserved = reserved;
	return write(fd, &m, sizeof(m));
}

/* A NODE_SET of @n entries; @len_adjust bends hdr.len (and the write). */
static long send_set(int fd, const struct bproc_node_entry *e, __u32 n,
		     __u32 count, int len_adjust)
{
	static unsigned char buf[BPROC_MSG_MAX];
	struct bproc_msg_node_set *m = (void *)buf;
	size_t len = sizeof(*m) + n * sizeof(*e) + len_adjust;

	memset(buf, 0, sizeof(*m));
	m->hdr.len = len;
	m->hdr.type = BPROC_MSG_NODE_SET;
	m->count = count;
	memcpy(m->entries, e, n * sizeof(*e));
	return write(fd, buf, len);
}

static struct bproc_node_entry entry(int node, __u32 valid, __u32 status,
				     const char *addr)
{
	struct bproc_node_entry e;

	memset(&e, 0, sizeof(e));
	e.node = node;
	e.valid = valid;
	e.status = status;
	e.addr = addr ? inet_addr(addr) : 0;
	return e;
}

static int node_access(int node, __u32 mode)
{
	struct bproc_node_access a = { .node = node, .mode = mode };
	int fd = open(CONTROL_DEV, O_RDWR), r;

	if (fd < 0)
		return -1;
	r = ioctl(fd, BPROC_IOC_NODE_ACCESS, &a);
	if (r < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	return r;
}

/* Run @fn as uid/gid nobody in a child; its exit status (errno or 0). */
static int as_nobody(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
			_exit(99);
		_exit(fn(arg));
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 98;
}

static int nobody_access(void *arg)
{
	return node_access(*(int *)arg, BPROC_X_OK) ? errno : 0;
}

static int nobody_write_user(void *arg)
{
	(void)arg;
	return write_file(NODES "/0/user", "65534") < 0 ? errno : 0;
}

/* A root write that becomes a NODE_REQ, done on a thread. */
struct writer {
	pthread_t thread;
	const char *path;
	const char *val;
	long ret;
	int err;
};

static void *writer_main(void *arg)
{
	struct writer *w = arg;

	w->ret = write_file(w->path, w->val);
	w->err = errno;
	return NULL;
}

static void start_writer(struct writer *w, const char *path, const char *val)
{
	w->path = path;
	w->val = val;
	pthread_create(&w->thread, NULL, writer_main, w);
}

/* Read one message (waiting up to @ms). */
static long read_msg(int fd, void *buf, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, ms) != 1)
		return 0;
	return read(fd, buf, BPROC_MSG_MAX);
}

/* A message of @len bytes: header @type/@flags/@result, body zero. */
static long send_raw(int fd, __u16 type, __u16 flags, __s32 result,
		     const void *body, size_t blen, size_t len)
{
	static unsigned char buf[BPROC_MSG_MAX];
	struct bproc_msg_hdr *h = (void *)buf;

	memset(buf, 0, len);
	h->len = len;
	h->type = type;
	h->flags = flags;
	h->result = result;
	h->id = 77;
	memcpy(buf + sizeof(*h), body, blen);
	return write(fd, buf, len);
}

/* Process messages from a (hostile) bpmaster: every field is checked. */
static void test_process_msgs(int mfd)
{
	struct { __s32 pid, status; __u32 reserved[2]; } ex = { 999999, 0, { 0, 0 } };
	struct { __s32 pid; __u32 stream; __u64 reserved; } io = { 999999, 1, 0 };
	struct { __s32 pid, sig; __u32 reserved[2]; } ps = { 999999, 19, { 0, 0 } };
	unsigned char mv[sizeof(struct bproc_msg_move) - sizeof(struct bproc_msg_hdr)] = { 0 };

	ok_call(send_raw(mfd, BPROC_MSG_EXIT, 0, 0, &ex, sizeof(ex), 48),
		"EXIT for a pid without a ghost is ignored");
	ex.status = 0x137f;	/* a stop, not an end */
	is_errno(send_raw(mfd, BPROC_MSG_EXIT, 0, 0, &ex, sizeof(ex), 48), EINVAL,
		 "EXIT with a stop status: EINVAL");
	ex.status = 0x41;	/* signal 65 */
	is_errno(send_raw(mfd, BPROC_MSG_EXIT, 0, 0, &ex, sizeof(ex), 48), EINVAL,
		 "EXIT killed by signal 65: EINVAL");
	ex.status = 0;
	ex.pid = 0;
	is_errno(send_raw(mfd, BPROC_MSG_EXIT, 0, 0, &ex, sizeof(ex), 48), EINVAL,
		 "EXIT of pid 0: EINVAL");
	ex.pid = 5;
	ex.reserved[1] = 1;
	is_errno(send_raw(mfd, BPROC_MSG_EXIT, 0, 0, &ex, sizeof(ex), 48), EINVAL,
		 "EXIT with reserved set: EINVAL");
	is_errno(send_raw(mfd, BPROC_MSG_EXIT, 0, 0, &ex, sizeof(ex), 52), EINVAL,
		 "EXIT of the wrong length: EINVAL");
	ok_call(send_raw(mfd, BPROC_MSG_IO, 0, 0, &io, sizeof(io), 48 + 100),
		"IO for a pid without a ghost is dropped");
	io.stream = 3;
	is_errno(send_raw(mfd, BPROC_MSG_IO, 0, 0, &io, sizeof(io), 48), EINVAL,
		 "IO on stream 3: EINVAL");
	io.stream = 0;
	is_errno(send_raw(mfd, BPROC_MSG_IO, 0, 0, &io, sizeof(io), 48), EINVAL,
		 "IO on stream 0 (stdin goes the other way): EINVAL");
	ok_call(send_raw(mfd, BPROC_MSG_PSTATE, 0, 0, &ps, sizeof(ps), 48),
		"PSTATE for a pid without a ghost is ignored");
	ps.sig = 0;
	is_errno(send_raw(mfd, BPROC_MSG_PSTATE, 0, 0, &ps, sizeof(ps), 48), EINVAL,
		 "PSTATE with signal 0: EINVAL");
	is_errno(send_raw(mfd, BPROC_MSG_MOVE, 0, 0, mv, sizeof(mv),
			  sizeof(struct bproc_msg_move)), EINVAL,
		 "MOVE as a request from the daemon: EINVAL");
	is_errno(send_raw(mfd, BPROC_MSG_MOVE, BPROC_MSGF_REPLY, 1, mv, sizeof(mv),
			  sizeof(struct bproc_msg_move)), EINVAL,
		 "MOVE reply with a positive result: EINVAL");
	ok_call(send_raw(mfd, BPROC_MSG_MOVE, BPROC_MSGF_REPLY, -EIO, mv, sizeof(mv),
			 sizeof(struct bproc_msg_move)),
		"MOVE reply to no move in progress is dropped");
	is_errno(send_raw(mfd, BPROC_MSG_IMAGE, 0, 0, mv, 16, 48), EOPNOTSUPP,
		 "IMAGE from a daemon: EOPNOTSUPP");
	is_errno(send_raw(mfd, BPROC_MSG_SIGNAL, 0, 0, mv, 16, 48), EOPNOTSUPP,
		 "SIGNAL from a daemon: EOPNOTSUPP");
	{
		struct { __s32 pid, node; __u64 reserved; } wh = { 999999, 0, 0 };

		ok_call(send_raw(mfd, BPROC_MSG_WHERE, 0, 0, &wh, sizeof(wh), 48),
			"WHERE for a pid without a ghost is ignored");
		wh.node = 77;
		is_errno(send_raw(mfd, BPROC_MSG_WHERE, 0, 0, &wh, sizeof(wh), 48),
			 EINVAL, "WHERE to node 77 (no such node): EINVAL");
		wh.node = -1;
		is_errno(send_raw(mfd, BPROC_MSG_WHERE, 0, 0, &wh, sizeof(wh), 48),
			 EINVAL, "WHERE to the master: EINVAL");
		wh.node = 0;
		wh.pid = 0;
		is_errno(send_raw(mfd, BPROC_MSG_WHERE, 0, 0, &wh, sizeof(wh), 48),
			 EINVAL, "WHERE of pid 0: EINVAL");
		wh.pid = 5;
		wh.reserved = 1;
		is_errno(send_raw(mfd, BPROC_MSG_WHERE, 0, 0, &wh, sizeof(wh), 48),
			 EINVAL, "WHERE with reserved set: EINVAL");
		is_errno(send_raw(mfd, BPROC_MSG_ARRIVED, 0, 0, mv, 16, 48),
			 EOPNOTSUPP, "ARRIVED from a daemon: EOPNOTSUPP");
	}
	{
		struct {
			__s32 pid;
			__u32 nr;
			__u64 args[6];
			struct bproc_call_cred cred;
			__u8 data[128];
		} c;
		const size_t cb = offsetof(typeof(c), data);
		const size_t cl = sizeof(struct bproc_msg_hdr) + cb;
		unsigned char rbuf[BPROC_MSG_MAX];
		const struct bproc_msg_call *r = (const void *)rbuf;
		long n;

		memset(&c, 0, sizeof(c));
		c.pid = 999999;
		c.nr = BPROC_CALL_GETPPID;
		ok_call(send_raw(mfd, BPROC_MSG_CALL, 0, 0, &c, cb, cl),
			"CALL getppid for a pid without a ghost is taken");
		n = read_msg(mfd, rbuf, 2000);
		ok_diag(n == (long)sizeof(*r) && r->hdr.type == BPROC_MSG_CALL &&
			r->hdr.flags == BPROC_MSGF_REPLY && r->hdr.id == 77 &&
			r->hdr.result == -ESRCH && r->pid == 999999,
			"... and answered at once: -ESRCH", "read %ld, type %u, result %d",
			n, n > 0 ? r->hdr.type : 0, n > 0 ? r->hdr.result : 0);
		c.nr = BPROC_CALL_FORK;
		ok_call(send_raw(mfd, BPROC_MSG_CALL, 0, 0, &c, cb, cl),
			"CALL fork for a pid without a ghost is taken");
		n = read_msg(mfd, rbuf, 2000);
		ok_diag(n == (long)sizeof(*r) && r->hdr.type == BPROC_MSG_CALL &&
			r->hdr.result == -ESRCH && r->pid == 999999,
			"... and answered at once: -ESRCH (no ghost forks)",
			"read %ld, result %d", n, n > 0 ? r->hdr.result : 0);
		c.nr = 59;	/* execve */
		is_errno(send_raw(mfd, BPROC_MSG_CALL, 0, 0, &c, cb, cl), EINVAL,
			 "CALL of execve (not a PID-space call): EINVAL");
		c.nr = BPROC_CALL_KILL;
		is_errno(send_raw(mfd, BPROC_MSG_CALL, 0, 0, &c, cb + 128, cl + 128),
			 EINVAL, "CALL kill with a siginfo attached: EINVAL");
		c.nr = BPROC_CALL_RT_SIGQUEUEINFO;
		is_errno(send_raw(mfd, BPROC_MSG_CALL, 0, 0, &c, cb, cl), EINVAL,
			 "CALL rt_sigqueueinfo without its siginfo: EINVAL");
		is_errno(send_raw(mfd, BPROC_MSG_CALL, 0, 0, &c, cb + 128, cl + 129),
			 EINVAL, "CALL longer than a siginfo: EINVAL");
		c.pid = 0;
		c.nr = BPROC_CALL_GETPPID;
		is_errno(send_raw(mfd, BPROC_MSG_CALL, 0, 0, &c, cb, cl), EINVAL,
			 "CALL for pid 0: EINVAL");
		c.pid = 5;
		is_errno(send_raw(mfd, BPROC_MSG_CALL, BPROC_MSGF_REPLY, 0, &c, cb, cl),
			 EINVAL, "CALL marked as a reply: EINVAL");
		is_errno(send_raw(mfd, BPROC_MSG_CALL, 0, 0, &c, cb - 40, cl - 40),
			 EINVAL, "CALL without the caller's rights (the 1.x form): EINVAL");
		c.cred.euid = 0xffffffff;
		is_errno(send_raw(mfd, BPROC_MSG_CALL, 0, 0, &c, cb, cl), EINVAL,
			 "CALL with the invalid uid: EINVAL");
		c.cred.euid = 0;
		c.cred.sgid = 0xffffffff;
		is_errno(send_raw(mfd, BPROC_MSG_CALL, 0, 0, &c, cb, cl), EINVAL,
			 "CALL with the invalid gid: EINVAL");
		c.cred.sgid = 0;
		c.cred.cap_permitted = 1ull << 63;
		is_errno(send_raw(mfd, BPROC_MSG_CALL, 0, 0, &c, cb, cl), EINVAL,
			 "CALL with an unknown capability: EINVAL");
		c.cred.cap_permitted = 0;
		c.cred.cap_effective = 1ull << 5;
		is_errno(send_raw(mfd, BPROC_MSG_CALL, 0, 0, &c, cb, cl), EINVAL,
			 "CALL with an effective capability not permitted: EINVAL");
	}
	{
		struct bproc_return_req q = { .id = 9, .pid = 999999, .node = 0 };
		int p[2];

		if (pipe(p)) {
			ok_diag(false, "pipe() for RETURN", "%s", strerror(errno));
			return;
		}
		q.fd = p[0];
		is_errno(ioctl(mfd, BPROC_IOC_RETURN, &q), ESRCH,
			 "RETURN of a pid without a ghost: ESRCH");
		q.id = 0;
		is_errno(ioctl(mfd, BPROC_IOC_RETURN, &q), EINVAL,
			 "RETURN with id 0: EINVAL");
		q.id = 9;
		q.flags = 1;
		is_errno(ioctl(mfd, BPROC_IOC_RETURN, &q), EINVAL,
			 "RETURN with unknown flags: EINVAL");
		q.flags = 0;
		q.node = 77;
		is_errno(ioctl(mfd, BPROC_IOC_RETURN, &q), EINVAL,
			 "RETURN from node 77: EINVAL");
		q.node = 0;
		q.fd = p[1];
		is_errno(ioctl(mfd, BPROC_IOC_RETURN, &q), EBADF,
			 "RETURN with a pipe's write end: EBADF");
		q.fd = mfd;
		is_errno(ioctl(mfd, BPROC_IOC_RETURN, &q), EBADF,
			 "RETURN with a descriptor that is no pipe: EBADF");
		q.fd = -1;
		is_errno(ioctl(mfd, BPROC_IOC_RETURN, &q), EBADF,
			 "RETURN with descriptor -1: EBADF");
		is_errno(ioctl(mfd, BPROC_IOC_RETURN, NULL), EFAULT,
			 "RETURN with a NULL argument: EFAULT");
		is_errno(ioctl(mfd, _IO(BPROC_IOC_MAGIC, 0x7f)), ENOTTY,
			 "an unknown ioctl on the master device: ENOTTY");
		close(p[0]);
		close(p[1]);
	}
	expect_file("/sys/bproc/stats/ghosts", "0", "no ghost came of any of it");
}

static void test_requests(int mfd)
{
	static unsigned char buf[BPROC_MSG_MAX];
	struct bproc_msg_node_req *req = (void *)buf;
	struct writer w;
	long n;

	/* status: the write waits for bpmaster's answer, and returns it. */
	start_writer(&w, NODES "/1/status", "unavailable");
	n = read_msg(mfd, buf, 5000);
	ok_diag(n == sizeof(*req) && req->hdr.type == BPROC_MSG_NODE_REQ &&
		req->hdr.id && req->node == 1 &&
		req->what == BPROC_NODE_REQ_STATUS &&
		req->arg == BPROC_STATUS_UNAVAILABLE,
		"a status write becomes NODE_REQ(node 1, STATUS, unavailable)",
		"n=%ld type=%u node=%d what=%u arg=%u", n, req->hdr.type,
		req->node, req->what, req->arg);
	req->hdr.flags = BPROC_MSGF_REPLY;
	req->hdr.result = -EHOSTDOWN;
	ok_call(write(mfd, req, sizeof(*req)), "the daemon's reply is taken");
	pthread_join(w.thread, NULL);
	ok_diag(w.ret == -1 && w.err == EHOSTDOWN,
		"the writer gets the daemon's answer (EHOSTDOWN)",
		"ret %ld errno %s", w.ret, strerror(w.err));

	start_writer(&w, NODES "/0/reboot", "1");
	n = read_msg(mfd, buf, 5000);
	ok_diag(n == sizeof(*req) && req->what == BPROC_NODE_REQ_REBOOT &&
		req->node == 0 && !req->arg, "reboot becomes NODE_REQ(REBOOT)",
		"n=%ld what=%u node=%d", n, req->what, req->node);
	/* A reply that answers nothing pending changes nothing. */
	req->hdr.flags = BPROC_MSGF_REPLY;
	req->hdr.id += 1000;
	ok_call(write(mfd, req, sizeof(*req)), "a reply to no request is dropped");
	req->hdr.id -= 1000;
	req->hdr.result = 5;
	is_errno(write(mfd, req, sizeof(*req)), EINVAL,
		 "a reply with a positive result: EINVAL");
	req->hdr.result = 0;
	ok_call(write(mfd, req, sizeof(*req)), "the real reply");
	pthread_join(w.thread, NULL);
	ok_diag(w.ret == 1, "the reboot write succeeds with it", "ret %ld errno %s",
		w.ret, strerror(w.err));

	/* A NODE_REQ is not something a daemon asks. */
	req->hdr.flags = 0;
	req->hdr.result = 0;
	is_errno(write(mfd, req, sizeof(*req)), EINVAL,
		 "NODE_REQ as a request from the daemon: EINVAL");

	/* The session ends while a write waits: it fails at once. */
	start_writer(&w, NODES "/0/halt", "1");
	read_msg(mfd, buf, 5000);
	close(mfd);
	pthread_join(w.thread, NULL);
	ok_diag(w.ret == -1 && w.err == ECONNRESET,
		"bpmaster gone while a write waits: ECONNRESET",
		"ret %ld errno %s", w.ret, strerror(w.err));
	is_errno(write_file(NODES "/0/status", "up"), ENOTCONN,
		 "no bpmaster: a status write fails with ENOTCONN");
}

int main(void)
{
	static unsigned char buf[BPROC_MSG_MAX];
	struct bproc_node_entry e[3];
	int mfd, sfd, node, cur = 99, cfd;
	char path[64];
	long n;

	setvbuf(stdout, NULL, _IOLBF, 0);
	mfd = say_hello(MASTER_DEV);
	if (!ok_diag(mfd >= 0, "open " MASTER_DEV " and say HELLO", "%s",
		     strerror(errno)))
		return 1;

	/* NODES: malformed. */
	is_errno(send_nodes(mfd, -1, -1, "10.1.2.3", 0, 0), EINVAL,
		 "NODES with -1 nodes: EINVAL");
	is_errno(send_nodes(mfd, BPROC_NODES_MAX + 1, -1, "10.1.2.3", 0, 0),
		 EINVAL, "NODES over BPROC_NODES_MAX: EINVAL");
	is_errno(send_nodes(mfd, 4, 0, "10.1.2.3", 0, 0), EINVAL,
		 "NODES on the master with self 0: EINVAL");
	is_errno(send_nodes(mfd, 4, -1, "10.1.2.3", 0, 1), EINVAL,
		 "NODES with reserved set: EINVAL");
	is_errno(send_nodes(mfd, 4, -1, "10.1.2.3", BPROC_MSGF_REPLY, 0),
		 EINVAL, "NODES marked as a reply: EINVAL");

	/* NODES: the table. */
	ok_call(send_nodes(mfd, 4, -1, "10.1.2.3", 0, 0), "NODES: 4 nodes");
	expect_file("/sys/bproc/numnodes", "4", "numnodes is 4");
	expect_file("/sys/bproc/master_addr", "10.1.2.3", "master_addr");
	expect_file(NODES "/3/status", "down", "a new node is down");
	expect_file(NODES "/3/addr", "0.0.0.0", "a new node has no address");
	expect_file(NODES "/3/mode", "111", "a new node's mode is 111");
	expect_file(NODES "/3/user", "0", "a new node's user is 0");
	expect_file(NODES "/3/group", "0", "a new node's group is 0");
	expect_file("/sys/bproc/stats/nodes", "4", "4 node objects counted");

	/* NODE_SET: malformed ones change nothing. */
	e[0] = entry(1, BPROC_NODE_F_STATUS | BPROC_NODE_F_ADDR,
		     BPROC_STATUS_UP, "10.1.2.11");
	e[1] = entry(4, BPROC_NODE_F_STATUS, BPROC_STATUS_UP, NULL);
	is_errno(send_set(mfd, e, 2, 2, 0), EINVAL,
		 "NODE_SET with node 4 of 4: EINVAL");
	expect_file(NODES "/1/status", "down", "... and its good entry was not applied");
	e[1] = entry(2, BPROC_NODE_F_STATUS, BPROC_STATUS_NR, NULL);
	is_errno(send_set(mfd, e, 2, 2, 0), EINVAL, "status out of range: EINVAL");
	e[1] = entry(2, 0, 0, NULL);
	is_errno(send_set(mfd, e, 2, 2, 0), EINVAL, "an entry with nothing valid: EINVAL");
	e[1] = entry(2, 0x8, 0, NULL);
	is_errno(send_set(mfd, e, 2, 2, 0), EINVAL, "unknown valid bits: EINVAL");
	e[1] = entry(2, BPROC_NODE_F_STATUS, BPROC_STATUS_UP, "10.1.2.12");
	is_errno(send_set(mfd, e, 2, 2, 0), EINVAL,
		 "an address not marked valid: EINVAL");
	e[1] = entry(2, BPROC_NODE_F_OWNER, 0, NULL);
	e[1].mode = 0111;
	is_errno(send_set(mfd, e, 2, 2, 0), EINVAL,
		 "owner fields from bpmaster (the administrator's): EINVAL");
	e[1] = entry(2, BPROC_NODE_F_STATUS, BPROC_STATUS_UP, NULL);
	e[1].reserved = 1;
	is_errno(send_set(mfd, e, 2, 2, 0), EINVAL, "reserved set: EINVAL");
	e[1].reserved = 0;
	is_errno(send_set(mfd, e, 2, 3, 0), EINVAL, "count larger than the entries: EINVAL");
	is_errno(send_set(mfd, e, 2, 0, 0), EINVAL, "count 0: EINVAL");
	is_errno(send_set(mfd, e, 2, 2, 4), EINVAL, "a ragged length: EINVAL");
	expect_file(NODES "/1/status", "down", "none of them changed node 1");

	/* NODE_SET: a good one. */
	e[1] = entry(2, BPROC_NODE_F_STATUS, BPROC_STATUS_ERROR, NULL);
	ok_call(send_set(mfd, e, 2, 2, 0), "NODE_SET: two good entries");
	expect_file(NODES "/1/status", "up", "node 1 is up");
	expect_file(NODES "/1/addr", "10.1.2.11", "node 1's address");
	expect_file(NODES "/2/status", "error", "node 2 is error");

	/* Root's writes. */
	is_errno(write_file(NODES "/1/status", "boot"), EINVAL,
		 "writing status 'boot': EINVAL");
	is_errno(write_file(NODES "/1/status", "sideways"), EINVAL,
		 "writing an unknown status: EINVAL");
	is_errno(write_file(NODES "/1/reboot", "2"), EINVAL,
		 "writing 2 to reboot: EINVAL");
	is_errno(write_file(NODES "/1/mode", "222"), EINVAL,
		 "a mode with other than x bits: EINVAL");
	is_errno(write_file(NODES "/1/mode", "x"), EINVAL, "a mode that is no number: EINVAL");
	is_errno(write_file(NODES "/1/user", "-5"), EINVAL, "a negative user: EINVAL");
	is_errno(write_file(NODES "/1/user", "4294967295"), EINVAL,
		 "user (uid_t)-1: EINVAL");
	ok_call(write_file(NODES "/1/user", "1000"), "chown node 1 to 1000");
	n = read_msg(mfd, buf, 2000);
	{
		struct bproc_msg_node_set *m = (void *)buf;

		ok_diag(n == sizeof(*m) + sizeof(m->entries[0]) &&
			m->hdr.type == BPROC_MSG_NODE_SET && m->count == 1 &&
			m->entries[0].node == 1 &&
			m->entries[0].valid == BPROC_NODE_F_OWNER &&
			m->entries[0].uid == 1000 && m->entries[0].mode == 0111,
			"bpmaster is told of the new owner (NODE_SET, F_OWNER)",
			"n=%ld type=%u", n, m->hdr.type);
	}
	ok_call(write_file(NODES "/1/group", "1000"), "chgrp node 1 to 1000");
	read_msg(mfd, buf, 2000);
	ok_call(write_file(NODES "/1/mode", "0100"), "chmod node 1 to 100");
	read_msg(mfd, buf, 2000);
	expect_file(NODES "/1/mode", "100", "mode reads back as 100");
	ok_diag(as_nobody(nobody_write_user, NULL) == EACCES,
		"a non-root write to user: EACCES", "see above");

	/* Access: root always; others by the x bits. */
	node = 1;
	ok_call(node_access(1, BPROC_X_OK), "root may use node 1 (mode 100, owner 1000)");
	ok_diag(as_nobody(nobody_access, &node) == EACCES,
		"nobody may not use node 1 (mode 100)", "errno %d",
		as_nobody(nobody_access, &node));
	ok_call(write_file(NODES "/1/user", "65534"), "chown node 1 to nobody");
	read_msg(mfd, buf, 2000);
	ok_diag(as_nobody(nobody_access, &node) == 0,
		"now nobody, the owner, may (100)", "errno %d",
		as_nobody(nobody_access, &node));
	ok_call(write_file(NODES "/1/user", "0"), "chown node 1 back to root");
	read_msg(mfd, buf, 2000);
	ok_call(write_file(NODES "/1/group", "65534"), "chgrp node 1 to nogroup");
	read_msg(mfd, buf, 2000);
	ok_call(write_file(NODES "/1/mode", "010"), "chmod node 1 to 010");
	read_msg(mfd, buf, 2000);
	ok_diag(as_nobody(nobody_access, &node) == 0,
		"nobody in the node's group may (010)", "errno %d",
		as_nobody(nobody_access, &node));
	ok_call(write_file(NODES "/1/mode", "001"), "chmod node 1 to 001");
	read_msg(mfd, buf, 2000);
	node = 1;
	ok_diag(as_nobody(nobody_access, &node) == 0, "anyone may (001)", "errno %d",
		as_nobody(nobody_access, &node));
	node = 3;
	ok_diag(as_nobody(nobody_access, &node) == 0, "node 3 (111 by default): anyone may",
		"errno %d", as_nobody(nobody_access, &node));
	is_errno(node_access(4, BPROC_X_OK), ENODEV, "node 4 of 4: ENODEV");
	is_errno(node_access(-1, BPROC_X_OK), ENODEV, "node -1: ENODEV");
	is_errno(node_access(1, 2), EINVAL, "an access mode other than X_OK: EINVAL");

	cfd = open(CONTROL_DEV, O_RDWR);
	ok_diag(cfd >= 0 && ioctl(cfd, BPROC_IOC_CURRNODE, &cur) == 0 &&
		cur == BPROC_NODE_MASTER, "CURRNODE on the master: -1",
		"cur %d: %s", cur, strerror(errno));
	close(cfd);

	/* Another session may not take the master's table. */
	sfd = say_hello(SLAVE_DEV);
	is_errno(send_nodes(sfd, 2, 0, "10.1.2.3", 0, 0), EBUSY,
		 "a slave session's NODES while bpmaster owns the table: EBUSY");
	e[0] = entry(0, BPROC_NODE_F_STATUS, BPROC_STATUS_UP, NULL);
	is_errno(send_set(sfd, e, 1, 1, 0), EPERM,
		 "a NODE_SET from a session that does not own the table: EPERM");
	close(sfd);

	/* Shrinking keeps the nodes that stay. */
	ok_call(send_nodes(mfd, 2, -1, "10.1.2.3", 0, 0), "NODES: 2 nodes");
	snprintf(path, sizeof(path), NODES "/2");
	ok_diag(access(path, F_OK) && errno == ENOENT, "node 2's directory is gone",
		"%s", strerror(errno));
	expect_file(NODES "/1/addr", "10.1.2.11", "node 1 kept its address");
	expect_file(NODES "/1/mode", "001", "node 1 kept its mode");
	expect_file("/sys/bproc/stats/nodes", "2", "2 node objects counted");

	test_process_msgs(mfd);
	test_requests(mfd);	/* closes mfd */
	expect_file(NODES "/1/status", "down", "bpmaster gone: every node is down");
	expect_file(NODES "/1/group", "65534", "... and keeps its owner");

	return done_testing();
}
