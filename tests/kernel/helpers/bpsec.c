// SPDX-License-Identifier: GPL-2.0
/*
 * bpsec - the attacks of issue 19 that the qemu tests t0420-t0423 make
 * (items 4, 13, 15b), one case per argument:
 *
 *   devcaps            (no daemon holding the devices) opening the daemon
 *                      devices needs CAP_SYS_ADMIN, whatever the file mode:
 *                      root without it, and nobody on a chmod'ed device, fail
 *   crossreply         (no bpmaster) a slave session on the master writes a
 *                      reply with the id of a request bpmaster has pending:
 *                      the request is not completed by it
 *   armexit NODE [twice]  arm execmove (twice: two times) and exit without
 *                      exec'ing (prints "armed" for each)
 *   sigfdin NODE       fd 0 a signalfd, move to NODE with BPROC_MOVE_STDIN,
 *                      then sleep there (prints "moved PID")
 *
 * devcaps and crossreply print TAP and exit 0 iff every test passed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/bproc.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/bproc.h>
#include <linux/capability.h>

#include "tap.h"

#define MASTER_DEV	"/dev/bproc/master"
#define SLAVE_DEV	"/dev/bproc/slave"
#define CONTROL_DEV	"/dev/bproc/control"
#define NOBODY		65534

/* ---- devcaps ------------------------------------------------------------ */

/* Drop CAP_SYS_ADMIN from every set of the caller (it stays root). */
static int drop_sys_admin(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[0].effective &= ~(1u << CAP_SYS_ADMIN);
	d[0].permitted &= ~(1u << CAP_SYS_ADMIN);
	d[0].inheritable &= ~(1u << CAP_SYS_ADMIN);
	return syscall(SYS_capset, &h, d);
}

/*
 * In a child that first drops CAP_SYS_ADMIN (@nobody: becomes nobody),
 * open @dev: 0 if that open worked, else its errno.
 */
static int open_in_child(const char *dev, bool nobody)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int fd;

		if (nobody ? setgid(NOBODY) || setuid(NOBODY) : drop_sys_admin())
			_exit(100);
		fd = open(dev, O_RDWR);
		_exit(fd >= 0 ? 0 : errno);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int devcaps(void)
{
	static const char *const devs[] = { MASTER_DEV, SLAVE_DEV };
	char name[160];
	size_t i;
	int fd;

	for (i = 0; i < 2; i++) {
		fd = open(devs[i], O_RDWR);
		snprintf(name, sizeof(name), "root with CAP_SYS_ADMIN opens %s", devs[i]);
		ok_call(fd, name);
		if (fd >= 0)
			close(fd);

		snprintf(name, sizeof(name),
			 "root without CAP_SYS_ADMIN (mode 0600, root's file) cannot open %s: EPERM",
			 devs[i]);
		is_int(open_in_child(devs[i], false), EPERM, name);

		if (chmod(devs[i], 0666)) {
			ok_diag(false, "chmod 0666", "%s", strerror(errno));
			continue;
		}
		snprintf(name, sizeof(name), "nobody cannot open %s even at mode 0666: EPERM",
			 devs[i]);
		is_int(open_in_child(devs[i], true), EPERM, name);
		chmod(devs[i], 0600);
	}
	return done_testing();
}

/* ---- crossreply --------------------------------------------------------- */

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

struct writer {
	pthread_t thread;
	const char *path;
	long ret;
	int err;
	bool done;
};

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	int fd = open(w->path, O_WRONLY);

	w->ret = fd < 0 ? -1 : write(fd, "1", 1);
	w->err = errno;
	if (fd >= 0)
		close(fd);
	__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
	return NULL;
}

static long read_msg(int fd, void *buf, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, ms) != 1)
		return 0;
	return read(fd, buf, BPROC_MSG_MAX);
}

static int crossreply(void)
{
	static unsigned char buf[BPROC_MSG_MAX];
	struct bproc_msg_node_req *req = (void *)buf;
	struct bproc_msg_nodes m;
	struct bproc_msg_move mv;
	struct writer w = { .path = "/sys/bproc/nodes/0/reboot" };
	int mfd, sfd, i;
	long n;

	mfd = say_hello(MASTER_DEV);
	if (!ok_diag(mfd >= 0, "a fake bpmaster holds " MASTER_DEV, "%s", strerror(errno)))
		return done_testing();
	memset(&m, 0, sizeof(m));
	m.hdr.len = sizeof(m);
	m.hdr.type = BPROC_MSG_NODES;
	m.numnodes = 1;
	m.self = BPROC_NODE_MASTER;
	m.master_addr = inet_addr("10.1.2.3");
	ok_call(write(mfd, &m, sizeof(m)), "NODES: 1 node");
	sfd = say_hello(SLAVE_DEV);
	ok_diag(sfd >= 0, "a slave session on the master said HELLO", "%s", strerror(errno));

	pthread_create(&w.thread, NULL, writer_main, &w);
	n = read_msg(mfd, buf, 5000);
	ok_diag(n == sizeof(*req) && req->hdr.type == BPROC_MSG_NODE_REQ,
		"reboot of node 0 becomes a NODE_REQ to bpmaster", "n=%ld type=%u", n,
		req->hdr.type);

	/* The slave session answers it (MOVE replies are legal there). */
	memset(&mv, 0, sizeof(mv));
	mv.hdr.len = sizeof(mv);
	mv.hdr.type = BPROC_MSG_MOVE;
	mv.hdr.flags = BPROC_MSGF_REPLY;
	mv.hdr.result = -ENOEXEC;
	mv.hdr.id = req->hdr.id;
	ok_call(write(sfd, &mv, sizeof(mv)), "the slave session writes a reply with its id");
	for (i = 0; i < 20 && !__atomic_load_n(&w.done, __ATOMIC_ACQUIRE); i++)
		usleep(50000);
	ok_diag(!__atomic_load_n(&w.done, __ATOMIC_ACQUIRE),
		"that reply does not complete bpmaster's request (the write still waits)",
		"the write returned %ld, errno %s", w.ret, strerror(w.err));

	/* The slave session goes away: bpmaster's request goes on. */
	close(sfd);
	usleep(200000);
	ok(!__atomic_load_n(&w.done, __ATOMIC_ACQUIRE),
	   "the slave session's end does not fail bpmaster's request");

	req->hdr.flags = BPROC_MSGF_REPLY;
	req->hdr.result = 0;
	ok_call(write(mfd, req, sizeof(*req)), "bpmaster's own reply");
	pthread_join(w.thread, NULL);
	ok_diag(w.ret == 1, "completes it: the reboot write succeeds",
		"ret %ld errno %s", w.ret, strerror(w.err));
	close(mfd);
	return done_testing();
}

/* ---- armexit, sigfdin ---------------------------------------------------- */

static int armexit(int node, int times)
{
	struct bproc_move_req req;
	int fd = open(CONTROL_DEV, O_RDWR);

	memset(&req, 0, sizeof(req));
	req.node = node;
	while (times--) {
		if (fd < 0 || ioctl(fd, BPROC_IOC_EXECMOVE, &req)) {
			printf("arm: %s\n", strerror(errno));
			return 1;
		}
		printf("armed\n");
	}
	return 0;	/* and never exec */
}

static int sigfdin(int node)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fd = signalfd(-1, &set, 0);
	if (fd < 0 || dup2(fd, 0) != 0) {
		printf("signalfd: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	if (bproc_move(node, BPROC_DUMP_ALL | BPROC_MOVE_STDIN)) {
		printf("move failed: %s\n", strerror(errno));
		return 99;
	}
	printf("moved %d\n", getpid());
	fflush(stdout);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && !strcmp(argv[1], "devcaps"))
		return devcaps();
	if (argc == 2 && !strcmp(argv[1], "crossreply"))
		return crossreply();
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "armexit"))
		return armexit(atoi(argv[2]), argc == 4 ? 2 : 1);
	if (argc == 3 && !strcmp(argv[1], "sigfdin"))
		return sigfdin(atoi(argv[2]));
	fprintf(stderr, "usage: bpsec devcaps|crossreply|armexit NODE [twice]|sigfdin NODE\n");
	return 2;
}
