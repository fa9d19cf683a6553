// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's side: /dev/bproc/master.  What the kernel sends is
 * dispatched through kdev_table (type, length, handler); what we send it
 * is written by the kdev_*() calls below, the only ones the process logic
 * (route.c, transit.c, call.c) uses to reach it.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bpmaster.h"

/* ---- what we tell the kernel ---------------------------------------- */

/* Answer the kernel's MOVE @id: 0, the process runs on its node. */
void kdev_move_reply(uint64_t id, int pid, int node, int result)
{
	struct bproc_msg_move m;
	int err;

	memset(&m, 0, sizeof(m));
	m.hdr.len = sizeof(m);
	m.hdr.type = BPROC_MSG_MOVE;
	m.hdr.flags = BPROC_MSGF_REPLY;
	m.hdr.id = id;
	m.hdr.result = result;
	m.hdr.src = node;
	m.hdr.dst = BPROC_NODE_MASTER;
	m.pid = pid;
	m.node = node;
	err = bpd_kdev_write(M.kfd, &m, sizeof(m));
	if (err)
		bpd_err("cannot answer the kernel's move of %d: %s", pid,
			strerror(-err));
}

/* The ghost of @pid ends with @status. */
void kdev_exit(int pid, int status)
{
	struct bproc_msg_exit m;
	int err;

	memset(&m, 0, sizeof(m));
	m.hdr.len = sizeof(m);
	m.hdr.type = BPROC_MSG_EXIT;
	m.hdr.dst = BPROC_NODE_MASTER;
	m.pid = pid;
	m.status = status;
	err = bpd_kdev_write(M.kfd, &m, sizeof(m));
	if (err)
		bpd_err("cannot end the ghost of %d: %s", pid, strerror(-err));
}

/* The process of the ghost of @pid runs on node @node now. */
void kdev_where(int pid, int node)
{
	struct bproc_msg_where k;
	int err;

	memset(&k, 0, sizeof(k));
	k.hdr.len = sizeof(k);
	k.hdr.type = BPROC_MSG_WHERE;
	k.hdr.dst = BPROC_NODE_MASTER;
	k.pid = pid;
	k.node = node;
	err = bpd_kdev_write(M.kfd, &k, sizeof(k));
	if (err)
		bpd_warn("cannot tell the ghost of %d where it runs: %s", pid,
			 strerror(-err));
}

/* The process stopped on @node with @sig: its ghost stops too. */
void kdev_pstate(int pid, int node, int sig)
{
	struct bproc_msg_pstate k;
	int err;

	memset(&k, 0, sizeof(k));
	k.hdr.len = sizeof(k);
	k.hdr.type = BPROC_MSG_PSTATE;
	k.hdr.src = node;
	k.hdr.dst = BPROC_NODE_MASTER;
	k.pid = pid;
	k.sig = sig;
	err = bpd_kdev_write(M.kfd, &k, sizeof(k));
	if (err)
		bpd_warn("cannot stop the ghost of %d: %s", pid, strerror(-err));
}

/* Output of the process of @pid, through its ghost. */
void kdev_io(int pid, int node, uint32_t stream, const void *data, size_t len)
{
	static unsigned char buf[BPROC_MSG_MAX];
	const size_t max = BPROC_MSG_MAX - sizeof(struct bproc_msg_io);
	struct bproc_msg_io *k = (void *)buf;
	const unsigned char *p = data;
	int err;

	/* A wire frame holds a little more than a kernel message. */
	do {
		size_t n = len < max ? len : max;

		memset(k, 0, sizeof(*k));
		k->hdr.len = sizeof(*k) + n;
		k->hdr.type = BPROC_MSG_IO;
		k->hdr.src = node;
		k->hdr.dst = BPROC_NODE_MASTER;
		k->pid = pid;
		k->stream = stream;
		memcpy(k->data, p, n);
		err = bpd_kdev_write(M.kfd, k, k->hdr.len);
		if (err)
			bpd_warn("output of process %d lost: %s", pid,
				 strerror(-err));
		p += n;
		len -= n;
	} while (len);
}

int kdev_call(int node, const struct bpwire_call *c, uint64_t *id)
{
	unsigned char buf[sizeof(struct bproc_msg_call) + BPWIRE_CALL_DATA_MAX];
	struct bproc_msg_call *k = (void *)buf;
	int err;

	memset(k, 0, sizeof(*k));
	k->hdr.len = sizeof(*k) + c->len;
	k->hdr.type = BPROC_MSG_CALL;
	k->hdr.id = ++M.own_seq;
	k->hdr.src = node;
	k->hdr.dst = BPROC_NODE_MASTER;
	k->pid = c->pid;
	k->nr = c->nr;
	memcpy(k->args, c->args, sizeof(k->args));
	k->cred = c->cred;
	if (c->len)
		memcpy(k->data, c->data, c->len);
	err = bpd_kdev_write(M.kfd, k, k->hdr.len);
	if (!err)
		*id = k->hdr.id;
	return err;
}

int kdev_return(uint64_t id, int pid, int node, int fd)
{
	struct bproc_return_req q;

	memset(&q, 0, sizeof(q));
	q.id = id;
	q.pid = pid;
	q.fd = fd;
	q.node = node;
	return ioctl(M.kfd, BPROC_IOC_RETURN, &q) < 0 ? -errno : 0;
}

void local_signal(int pid, int pidfd, int sig)
{
	if (pidfd < 0) {
		bpd_warn("signal %d for process %d dropped: no pidfd", sig, pid);
		return;
	}
	/* ESRCH: it ended; whoever has its PID now is not it. */
	if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) &&
	    errno != ESRCH)
		bpd_warn("signal %d for process %d: %s", sig, pid,
			 strerror(errno));
}

int local_pidfd(int pid)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);

	return fd < 0 ? -errno : fd;
}

void local_pidfd_close(int pidfd)
{
	close(pidfd);
}

/* ---- what the kernel tells us ----------------------------------------- */

static bool kernel_node_req(const void *buf, size_t n)
{
	struct bproc_msg_node_req req;
	int err;

	memcpy(&req, buf, n);
	err = node_request(&req);
	req.hdr.flags = BPROC_MSGF_REPLY;
	req.hdr.result = err;
	req.hdr.src = BPROC_NODE_MASTER;
	req.hdr.dst = BPROC_NODE_MASTER;
	err = bpd_kdev_write(M.kfd, &req, sizeof(req));
	if (err)
		bpd_err("cannot answer the kernel: %s", strerror(-err));
	return true;
}

/*
 * Each message the kernel may send: its length (exactly @len, or at least
 * @len if @var), and its handler.  A handler returns false if the message
 * is malformed past what the length says.
 */
static const struct kdev_handler {
	size_t len;
	bool var;
	bool (*fn)(const void *buf, size_t n);
} kdev_table[] = {
	[BPROC_MSG_NODE_REQ] = { sizeof(struct bproc_msg_node_req), false,
				 kernel_node_req },
	[BPROC_MSG_MOVE] = { sizeof(struct bproc_msg_move), true, kernel_move },
	[BPROC_MSG_IMAGE] = { sizeof(struct bproc_msg_image), true, kernel_image },
	[BPROC_MSG_SIGNAL] = { sizeof(struct bproc_msg_signal), false,
			       kernel_signal },
	[BPROC_MSG_IO] = { sizeof(struct bproc_msg_io), true, kernel_stdin },
	[BPROC_MSG_ARRIVED] = { sizeof(struct bproc_msg_arrived), false,
				kernel_arrived },
	[BPROC_MSG_CALL] = { sizeof(struct bproc_msg_call), true,
			     kernel_call_reply },
	[BPROC_MSG_NODE_SET] = { sizeof(struct bproc_msg_node_set), true,
				 node_owners },
};

void kdev_input(void)
{
	static unsigned char buf[BPROC_MSG_MAX];
	const struct bproc_msg_hdr *hdr = (const void *)buf;
	const struct kdev_handler *h = NULL;
	ssize_t n;

	n = bpd_kdev_read(M.kfd, buf);
	if (n == -EAGAIN)
		return;
	if (n < 0) {
		bpd_err("reading " MASTER_DEV ": %s", strerror((int)-n));
		M.failed = true;
		return;
	}
	if (hdr->type < sizeof(kdev_table) / sizeof(kdev_table[0]))
		h = &kdev_table[hdr->type];
	if (h && h->fn &&
	    (h->var ? (size_t)n >= h->len : (size_t)n == h->len) &&
	    h->fn(buf, n))
		return;
	bpd_warn("unexpected message type %u (%zd bytes) from the kernel",
		 hdr->type, n);
}
