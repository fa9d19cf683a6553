// SPDX-License-Identifier: GPL-2.0
/*
 * bpslave - the bproc slave daemon.
 *
 *   bpslave [-n NODE] [-v] MASTER [PORT]
 *
 * Started by the slave image's init (from bproc.master= and bproc.node=),
 * which restarts it if it dies.  It connects to bpmaster at MASTER:PORT
 * (default 2223) from a privileged port, says HELLO, and mirrors what the
 * master sends into this kernel through a session of /dev/bproc/slave: its
 * node number, the node table, the remote-file list.  Then it answers
 * heartbeats.  When the master goes away (the connection ends, or nothing
 * is heard from it for the heartbeat timeout) it closes the session (the
 * kernel marks the mirror down) and connects again, with a backoff of 0.5 s
 * doubling to 5 s; the node becomes up again without a reboot.  A BYE from
 * the master may ask it to reboot, halt or power off the machine.
 *
 * It runs in the foreground and logs to standard error (the console: a
 * diskless node has no syslog).  It is linked statically: the slave image
 * has no C library.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/fsuid.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <unistd.h>

#include "bpdaemon.h"
#include "nsinit.h"
#include "bpwire.h"

#define SLAVE_DEV	"/dev/bproc/slave"
#define LIBRARIES	"/proc/bproc/libraries"

#define BACKOFF_MIN_MS	500
#define BACKOFF_MAX_MS	5000
#define CONNECT_TIMEOUT_MS 5000

static struct {
	struct sockaddr_in master;
	int want_node;
	uint64_t boot_id;
	uint64_t ping_seq;
	struct bpnsinit *ns;	/* the node's process space */
} S = { .want_node = BPROC_NODE_NONE };

/*
 * A process placed on this node by the master.  @move_id until its restore
 * is reported (RESTORED/FAILED), then 0.  @img: the write end of the pipe
 * its image goes into (-1 once the image ended).  @out[1], @out[2]: read
 * ends of its stdout and stderr (-1 at end of file).  @leave_id: the
 * kernel's MOVE id while the process moves on from here (to another node
 * or back to the master); @gone: it arrived there, and its end here (the
 * kernel kills this copy) is not news for the master.  Signals and its end
 * while it leaves wait for the master's answer: they are for wherever the
 * process then is.
 */
struct sproc {
	int pid;
	uint64_t move_id;
	uint64_t leave_id;
	int leave_dst;
	bool gone;
	bool forked;		/* forked here by a process of ours (PID from the master) */
	bool reported;		/* ...its end is told (its parent reaps it here) */
	uint64_t sigs;		/* signals that came while it was leaving */
	bool died;		/* it ended while leaving... */
	int died_status;	/* ...so */
	int img;
	uint64_t img_off;
	int in;		/* write end of its stdin, -1 at the end */
	int out[3];
	struct sproc *next;
};

static struct sproc *sprocs;

/*
 * After a process left, frames from the master wait until its old copy
 * here is reaped: the master may send it right back, and its PID must be
 * free by then.  @hold_pid: that process (0: none); @hold_until: when to
 * stop waiting anyway (ms).
 */
static int hold_pid;
static uint64_t hold_until;
#define HOLD_MAX_MS	5000

static struct sproc *sproc_by_pid(int pid)
{
	struct sproc *p;

	for (p = sprocs; p; p = p->next)
		if (p->pid == pid)
			return p;
	return NULL;
}

static struct sproc *sproc_by_move(uint64_t id)
{
	struct sproc *p;

	for (p = sprocs; p; p = p->next)
		if (p->move_id == id)
			return p;
	return NULL;
}

struct session;
static int send_exit(struct session *s, struct sproc *sp, int status);
static bool ns_has(int pid);
static void calls_interrupt(int pid, int sig);
static void calls_end(struct session *s, int pid);

static struct sproc *sproc_by_leave(uint64_t id)
{
	struct sproc *p;

	for (p = sprocs; p; p = p->next)
		if (p->leave_id == id)
			return p;
	return NULL;
}

static void sproc_free(struct sproc *sp)
{
	struct sproc **pp;
	int i;

	for (pp = &sprocs; *pp; pp = &(*pp)->next) {
		if (*pp == sp) {
			*pp = sp->next;
			break;
		}
	}
	if (sp->img >= 0)
		close(sp->img);
	if (sp->in >= 0)
		close(sp->in);
	for (i = 1; i <= 2; i++)
		if (sp->out[i] >= 0)
			close(sp->out[i]);
	free(sp);
}

/* One connection's state. */
struct session {
	struct bpd_conn c;
	int kfd;		/* this node's session of /dev/bproc/slave */
	int node;		/* from WELCOME; BPROC_NODE_NONE before */
	int numnodes;
	uint32_t ping_ms;
	bool ready;
	uint64_t last_heard, last_ping;
	uint32_t bye_action;	/* BPWIRE_BYE_* received */
};

static volatile sig_atomic_t stop_signal;

/* A number that tells this boot from the next: the kernel's boot_id. */
static uint64_t read_boot_id(void)
{
	unsigned int a = 0, b = 0;
	uint64_t id = 0;
	FILE *f;

	f = fopen("/proc/sys/kernel/random/boot_id", "re");
	if (f) {
		if (fscanf(f, "%8x-%4x", &a, &b) == 2)
			id = ((uint64_t)a << 16) | b;
		fclose(f);
	}
	return id ?: (uint64_t)getpid() << 32 ^ bpd_now_ms();
}

/*
 * connect() to the master, giving up after CONNECT_TIMEOUT_MS: a master
 * host that drops packets must not hold us for the kernel's TCP timeout.
 * Returns 0 or -errno; @fd is blocking again on success.
 */
static int connect_timeout(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	int flags = fcntl(fd, F_GETFL), err = 0;
	socklen_t len = sizeof(err);

	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	if (connect(fd, (struct sockaddr *)&S.master, sizeof(S.master)) == 0)
		goto out;
	if (errno != EINPROGRESS)
		return -errno;
	if (poll(&p, 1, CONNECT_TIMEOUT_MS) != 1)
		return -ETIMEDOUT;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) || err)
		return err ? -err : -errno;
out:
	fcntl(fd, F_SETFL, flags);
	return 0;
}

/* Connect to the master from a privileged port.  Returns the fd or -errno. */
static int connect_master(void)
{
	int port, fd = -1, err = -EADDRINUSE, one = 1;

	/* The master accepts only privileged ports: only root has them. */
	for (port = 1023; port >= 512; port--) {
		struct sockaddr_in me = { .sin_family = AF_INET,
					  .sin_port = htons(port) };

		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&me, sizeof(me)) == 0) {
			err = connect_timeout(fd);
			if (!err) {
				setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
					   sizeof(one));
				return fd;
			}
			close(fd);
			/* In use towards the master from an earlier life. */
			if (err == -EADDRNOTAVAIL || err == -EADDRINUSE)
				continue;
			return err;
		}
		err = -errno;
		close(fd);
		if (err != -EADDRINUSE && err != -EACCES)
			return err;
		if (err == -EACCES)
			return err;
	}
	return err;
}

static int send_frame(struct session *s, const struct bpwire_msg *m)
{
	int err = bpd_conn_send(&s->c, m);

	if (err)
		bpd_warn("send %s: %s", bpwire_type_name(m->hdr.type),
			 strerror(-err));
	return err;
}

/* Replace this node's remote-file list with the master's. */
static void apply_libs(const struct bpwire_msg *m)
{
	const char *p;
	int fd;

	fd = open(LIBRARIES, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		bpd_warn("cannot open " LIBRARIES ": %s", strerror(errno));
		return;
	}
	if (write(fd, "clear", 5) != 5)
		bpd_warn("cannot clear the remote-file list: %s", strerror(errno));
	for (p = bpwire_libs_next(m, NULL); p; p = bpwire_libs_next(m, p)) {
		char cmd[BPWIRE_PATH_MAX + 2];
		int len = snprintf(cmd, sizeof(cmd), "+%s", p);

		if (write(fd, cmd, len) != len)
			bpd_warn("cannot add %s to the remote-file list: %s", p,
				 strerror(errno));
	}
	close(fd);
}

static int apply_nodes(struct session *s, const struct bpwire_msg *m)
{
	struct bproc_node_entry *e;
	uint32_t i;
	int err;

	if (m->u.nodes.numnodes != s->numnodes) {
		bpd_warn("NODES for %d nodes; the master said %d",
			 m->u.nodes.numnodes, s->numnodes);
		return -EPROTO;
	}
	if (!m->u.nodes.count)
		return 0;
	e = calloc(m->u.nodes.count, sizeof(*e));
	if (!e)
		return -ENOMEM;
	for (i = 0; i < m->u.nodes.count; i++)
		bpwire_nodes_get(m, i, &e[i]);
	err = bpd_kdev_node_set(s->kfd, e, m->u.nodes.count);
	free(e);
	if (err)
		bpd_warn("the kernel refused the node table: %s", strerror(-err));
	return err;
}

static int send_move_result(struct session *s, uint64_t id, int pid, int result)
{
	struct bpwire_msg req, m;

	memset(&req, 0, sizeof(req));
	req.hdr.type = BPWIRE_MOVE;
	req.hdr.id = id;
	req.hdr.src = BPROC_NODE_MASTER;
	req.hdr.dst = s->node;
	bpwire_reply_init(&m, BPWIRE_MOVE_RESULT, &req);
	m.hdr.result = result;
	m.u.move_result.pid = pid;
	return send_frame(s, &m);
}

/* A process arrives: set up its pipes and have init restore it. */
/* A TCP connection to @e's address, within 2 s.  A descriptor or -errno. */
static int io_connect(const struct bpwire_move_io *e)
{
	struct pollfd p = { .events = POLLOUT };
	struct sockaddr_in sin;
	socklen_t len = sizeof(int);
	int fd, err = 0;

	memcpy(&sin, e->addr, sizeof(sin));
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		err = errno;
		if (err == EINPROGRESS) {
			p.fd = fd;
			err = poll(&p, 1, 2000) == 1 ? 0 : ETIMEDOUT;
			if (!err && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
				err = errno;
		}
	}
	if (!err && fcntl(fd, F_SETFL, 0) < 0)
		err = errno;
	if (err) {
		close(fd);
		return -err;
	}
	return fd;
}

/* Our effective capabilities: saved and cleared (@on false), or restored. */
static int effective_caps(bool on)
{
	static struct __user_cap_data_struct saved[2];
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (on)
		return (int)syscall(SYS_capset, &h, saved);
	if (syscall(SYS_capget, &h, saved))
		return -1;
	memcpy(d, saved, sizeof(d));
	d[0].effective = d[1].effective = 0;
	return (int)syscall(SYS_capset, &h, d);
}

/*
 * Open a file on this node as @uid/@gid would (file system ids, @gid as
 * the only group, no capability in effect: no override of permissions or
 * of /proc's ptrace checks), never blocking (a FIFO without its other end
 * is not waited for) and never as our controlling terminal.  A descriptor
 * or -errno.
 */
static int io_open(const struct bpwire_move_io *e, uid_t uid, gid_t gid)
{
	gid_t saved[64];
	int n = getgroups(64, saved), fd = -1, err = EPERM;

	if (n < 0)
		return -errno;
	if (!setgroups(1, &gid)) {
		mode_t mask = umask(0);	/* the mode comes with the process's umask applied */

		setfsgid(gid);
		setfsuid(uid);
		if ((uid_t)setfsuid(uid) == uid && (gid_t)setfsgid(gid) == gid &&
		    !effective_caps(false)) {
			fd = open(e->name,
				  (int)e->oflags | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, e->mode);
			err = errno;
			if (effective_caps(true))
				bpd_err("cannot take my capabilities back: %s", strerror(errno));
		}
		umask(mask);
		setfsuid(0);
		setfsgid(0);
		if (setgroups(n, saved) < 0)
			bpd_warn("cannot restore my groups: %s", strerror(errno));
	}
	if (fd < 0)
		return -err;
	if (fcntl(fd, F_SETFL, (int)e->oflags & O_APPEND) < 0 ||
	    (e->offset && !(e->oflags & O_APPEND) &&
	     lseek(fd, (off_t)e->offset, SEEK_SET) < 0)) {
		err = errno;
		close(fd);
		return -err;
	}
	return fd;
}

static void close_pair(int p[2])
{
	for (int i = 0; i < 2; i++) {
		if (p[i] >= 0)
			close(p[i]);
		p[i] = -1;
	}
}

/*
 * The master sends us a process: pipes for its image and for what is
 * forwarded (stdin from the ghost, stdout and stderr to it), or the
 * descriptors the MOVE asks to open here instead, then init restores it.
 */
static int proc_move(struct session *s, const struct bpwire_msg *m)
{
	int img[2] = { -1, -1 }, pipes[3][2] = { { -1, -1 }, { -1, -1 }, { -1, -1 } };
	int opened[3] = { -1, -1, -1 }, fds[3], err;
	const struct bpwire_move *mv = &m->u.move;
	struct sproc *sp;
	uint32_t i;

	if (sproc_by_pid(mv->pid))
		return send_move_result(s, m->hdr.id, mv->pid, -EEXIST);
	sp = calloc(1, sizeof(*sp));
	if (!sp)
		return send_move_result(s, m->hdr.id, mv->pid, -ENOMEM);
	for (i = 0; i < mv->nio; i++) {
		const struct bpwire_move_io *e = &mv->io[i];
		int fd = e->type == BPROC_MOVE_IO_SOCKET ? io_connect(e) :
							     io_open(e, mv->uid, mv->gid);

		if (fd < 0) {
			err = fd;
			bpd_warn("process %d: cannot open its descriptor %d (%s): %s",
				 mv->pid, e->fd,
				 e->type == BPROC_MOVE_IO_SOCKET ? "socket" : e->name,
				 strerror(-err));
			goto fail;
		}
		opened[e->fd] = fd;
	}
	if (pipe2(img, O_CLOEXEC)) {
		err = -errno;
		goto fail;
	}
	for (i = 0; i < 3; i++) {
		if (opened[i] < 0 && pipe2(pipes[i], O_CLOEXEC)) {
			err = -errno;
			goto fail;
		}
	}
	/* Room for a whole IMAGE frame or more: fewer blocking writes. */
	fcntl(img[1], F_SETPIPE_SZ, 1 << 20);
	/* stdin: what the ghost forwards (or at once its end of file). */
	if (pipes[0][1] >= 0)
		fcntl(pipes[0][1], F_SETPIPE_SZ, 1 << 20);
	fds[0] = opened[0] >= 0 ? opened[0] : pipes[0][0];
	fds[1] = opened[1] >= 0 ? opened[1] : pipes[1][1];
	fds[2] = opened[2] >= 0 ? opened[2] : pipes[2][1];
	err = bpnsinit_restore(S.ns, mv->pid, img[0], fds);
	if (err)
		goto fail;
	close(img[0]);
	sp->pid = mv->pid;
	sp->move_id = m->hdr.id;
	sp->img = img[1];
	sp->in = pipes[0][1];
	if (sp->in >= 0)
		fcntl(sp->in, F_SETFL, O_NONBLOCK);
	sp->out[0] = -1;
	for (i = 1; i <= 2; i++) {
		sp->out[i] = pipes[i][0];
		if (sp->out[i] >= 0)
			fcntl(sp->out[i], F_SETFL, O_NONBLOCK);
	}
	/* The process's ends are init's now (passed with the request). */
	if (pipes[0][0] >= 0)
		close(pipes[0][0]);
	for (i = 1; i <= 2; i++)
		if (pipes[i][1] >= 0)
			close(pipes[i][1]);
	for (i = 0; i < 3; i++)
		if (opened[i] >= 0)
			close(opened[i]);
	sp->next = sprocs;
	sprocs = sp;
	bpd_info("process %d (%s) arriving%s", sp->pid, mv->comm,
		 mv->nio ? " (with descriptors opened here)" : "");
	return 0;
fail:
	bpd_warn("cannot take process %d: %s", mv->pid, strerror(-err));
	close_pair(img);
	for (i = 0; i < 3; i++) {
		close_pair(pipes[i]);
		if (opened[i] >= 0)
			close(opened[i]);
	}
	free(sp);
	return send_move_result(s, m->hdr.id, mv->pid, err);
}

/* A piece of an arriving image: into its pipe (no data: the end). */
static int proc_image(const struct bpwire_msg *m)
{
	struct sproc *sp = sproc_by_move(m->hdr.id);
	const char *p = m->u.image.data;
	size_t left = m->u.image.len;

	if (!sp || sp->img < 0)
		return 0;	/* refused or failed already: dropped */
	if (m->u.image.offset != sp->img_off) {
		bpd_warn("process %d: image piece at %llu, expected %llu",
			 sp->pid, (unsigned long long)m->u.image.offset,
			 (unsigned long long)sp->img_off);
		return -EPROTO;
	}
	sp->img_off += left;
	if (!left) {
		close(sp->img);
		sp->img = -1;
		return 0;
	}
	while (left) {
		ssize_t n = write(sp->img, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			/* The restorer gave up; its FAILED event says why. */
			close(sp->img);
			sp->img = -1;
			return 0;
		}
		p += n;
		left -= n;
	}
	return 0;
}

/*
 * Its stdin from the ghost (no data: the end).  The pipe holds 1 MiB; a
 * process that does not read its stdin while more comes loses the rest
 * (with a log line) rather than stall this daemon.
 */
static void proc_stdin(struct sproc *sp, const void *data, size_t len)
{
	ssize_t n;

	if (!len) {
		close(sp->in);
		sp->in = -1;
		return;
	}
	n = write(sp->in, data, len);
	if (n < 0 && errno == EPIPE) {
		close(sp->in);	/* it closed its stdin */
		sp->in = -1;
	} else if (n != (ssize_t)len) {
		bpd_warn("process %d: stdin full; %zu bytes dropped", sp->pid,
			 len - (n > 0 ? n : 0));
	}
}

static void send_io(struct session *s, int pid, int stream, const void *data,
		    size_t len)
{
	struct bpwire_msg m;

	bpwire_init(&m, BPWIRE_IO, 0, s->node, BPROC_NODE_MASTER);
	m.u.io.pid = pid;
	m.u.io.stream = stream;
	m.u.io.data = data;
	m.u.io.len = len;
	send_frame(s, &m);
}

/*
 * Read what stream @i of @sp has; end of file is passed on.  Returns the
 * bytes passed on (0: nothing there now, or the end).
 */
static ssize_t proc_output(struct session *s, struct sproc *sp, int i)
{
	static char buf[BPWIRE_DATA_MAX];
	ssize_t n;

	n = read(sp->out[i], buf, sizeof(buf));
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n > 0) {
		send_io(s, sp->pid, i, buf, n);
		return n;
	}
	send_io(s, sp->pid, i, NULL, 0);
	close(sp->out[i]);
	sp->out[i] = -1;
	return 0;
}

/* ---- processes moving on from this node ------------------------------ */

/* Answer the kernel's MOVE @id of process @pid to @dst. */
static void kernel_move_reply(struct session *s, uint64_t id, int pid, int dst,
			      int result)
{
	struct bproc_msg_move k;
	int err;

	memset(&k, 0, sizeof(k));
	k.hdr.len = sizeof(k);
	k.hdr.type = BPROC_MSG_MOVE;
	k.hdr.flags = BPROC_MSGF_REPLY;
	k.hdr.id = id;
	k.hdr.result = result;
	k.hdr.src = dst;
	k.hdr.dst = s->node;
	k.pid = pid;
	k.node = dst;
	err = bpd_kdev_write(s->kfd, &k, sizeof(k));
	if (err)
		bpd_warn("cannot answer the kernel's move of %d: %s", pid,
			 strerror(-err));
}

/*
 * A process of ours moves on (its MOVE from the kernel): pass it to the
 * master, its output so far first, so that all of it is written before
 * the process runs elsewhere.  Only processes the master placed here may
 * move: anything else has no master PID.  Nor may a child forked here: its
 * copy here is its parent's child, which would see it end when it left
 * (and its end here is what lets bpslave go on after a move).
 */
static int kernel_leave(struct session *s, const struct bproc_msg_move *k)
{
	struct sproc *sp = sproc_by_pid(k->pid);
	struct bpwire_msg m;

	if (!sp || sp->forked || sp->move_id || sp->leave_id || sp->gone ||
	    k->hdr.id == 0 || k->node == s->node ||
	    k->node < BPROC_NODE_MASTER || k->node >= s->numnodes) {
		kernel_move_reply(s, k->hdr.id, k->pid, k->node,
				  sp && !sp->forked ? -EINVAL : -EOPNOTSUPP);
		return 0;	/* its IMAGE messages find nobody: dropped */
	}
	/* (Bounded: a child sharing its stdout may write on and on.) */
	for (int i = 1; i <= 2; i++)
		for (int n = 0; n < 256 && sp->out[i] >= 0; n++)
			if (proc_output(s, sp, i) <= 0)
				break;
	bpwire_init(&m, BPWIRE_MOVE, k->hdr.id, s->node, k->node);
	m.u.move.pid = k->pid;
	m.u.move.flags = k->flags & BPWIRE_MOVE_FLAGS;
	m.u.move.uid = k->uid;
	m.u.move.gid = k->gid;
	bpwire_comm_set(m.u.move.comm, k->comm);
	sp->leave_id = k->hdr.id;
	sp->leave_dst = k->node;
	bpd_info("process %d (%.16s) moves on to %s %d", sp->pid, k->comm,
		 k->node == BPROC_NODE_MASTER ? "the master" : "node",
		 k->node);
	return send_frame(s, &m);
}

/* A piece of the image of a process moving on. */
static int kernel_image(struct session *s, const struct bproc_msg_image *k,
			size_t n)
{
	struct sproc *sp = sproc_by_leave(k->hdr.id);
	size_t len = n - sizeof(*k);
	struct bpwire_msg m;
	int err = 0;

	if (!sp)
		return 0;
	bpwire_init(&m, BPWIRE_IMAGE, k->hdr.id, s->node, sp->leave_dst);
	m.u.image.offset = k->offset;
	if (len) {
		m.u.image.data = k->data;
		m.u.image.len = len;
		err = send_frame(s, &m);
	}
	if (!err && k->last) {
		m.u.image.offset = k->offset + len;
		m.u.image.data = NULL;
		m.u.image.len = 0;
		err = send_frame(s, &m);
	}
	return err;
}

/*
 * A process of the node's namespace ended (the kernel tells of every one).
 * A child forked here by one of ours is reaped by its parent here, not by
 * init: this is how its ghost hears of its end.
 */
static int kernel_exit_note(struct session *s, const struct bproc_msg_exit *k)
{
	struct sproc *sp = sproc_by_pid(k->pid), **pp;
	struct bpwire_msg m;

	if (!sp || !sp->forked || sp->reported || sp->gone || sp->leave_id)
		return 0;
	sp->reported = true;
	calls_end(s, sp->pid);
	bpwire_init(&m, BPWIRE_EXIT, 0, s->node, BPROC_NODE_MASTER);
	m.u.exit.pid = sp->pid;
	m.u.exit.status = k->status;
	bpd_info("process %d ended (status 0x%x)", sp->pid, k->status);
	/* Told ones whose parent reaped them here are done with. */
	for (pp = &sprocs; *pp;) {
		struct sproc *o = *pp;

		if (o->reported && o != sp && !ns_has(o->pid))
			sproc_free(o);
		else
			pp = &o->next;
	}
	return send_frame(s, &m);
}

/* Messages from this node's kernel: processes moving on. */
static int kernel_input(struct session *s)
{
	static unsigned char buf[BPROC_MSG_MAX];
	const struct bproc_msg_hdr *hdr = (const void *)buf;
	ssize_t n;
	int err = 0;

	/* As much as the connection to the master takes now. */
	while (!err && s->c.out_len < (1u << 20)) {
		n = bpd_kdev_read(s->kfd, buf);
		if (n == -EAGAIN)
			return 0;
		if (n < 0) {
			bpd_err("reading " SLAVE_DEV ": %s", strerror((int)-n));
			return (int)n;
		}
		if (hdr->type == BPROC_MSG_MOVE && n == sizeof(struct bproc_msg_move))
			err = kernel_leave(s, (const void *)buf);
		else if (hdr->type == BPROC_MSG_EXIT &&
			 n == sizeof(struct bproc_msg_exit))
			err = kernel_exit_note(s, (const void *)buf);
		else if (hdr->type == BPROC_MSG_IMAGE &&
			 (size_t)n >= sizeof(struct bproc_msg_image))
			err = kernel_image(s, (const void *)buf, n);
		else
			bpd_warn("unexpected message %u from the kernel", hdr->type);
	}
	return err;
}

/* The master's answer to a process moving on. */
static int leave_result(struct session *s, const struct bpwire_msg *m)
{
	struct sproc *sp = sproc_by_leave(m->hdr.id);

	if (!sp || sp->pid != m->u.move_result.pid) {
		bpd_warn("the master answers a move that is not under way");
		return 0;
	}
	struct bpwire_msg f;
	int err = 0;

	kernel_move_reply(s, sp->leave_id, sp->pid, sp->leave_dst,
			  m->hdr.result);
	sp->leave_id = 0;
	if (m->hdr.result) {
		bpd_info("process %d stays: %s", sp->pid,
			 strerror(-m->hdr.result));
		if (sp->died)
			return send_exit(s, sp, sp->died_status);
		for (int sig = 1; sig <= 64; sig++)
			if (sp->sigs & (1ull << (sig - 1)))
				bpnsinit_kill(S.ns, sp->pid, sig);
		sp->sigs = 0;
		return 0;
	}
	/* It lives on elsewhere: what came for it meanwhile goes after it. */
	for (int sig = 1; !err && sig <= 64; sig++) {
		if (!(sp->sigs & (1ull << (sig - 1))))
			continue;
		bpwire_init(&f, BPWIRE_SIGNAL, 0, s->node, BPROC_NODE_MASTER);
		f.u.signal.pid = sp->pid;
		f.u.signal.sig = sig;
		err = send_frame(s, &f);
	}
	sp->sigs = 0;
	if (sp->died)
		return err ?: send_exit(s, sp, sp->died_status);
	/* The kernel ends this copy; till it is reaped, the master waits. */
	sp->gone = true;
	hold_pid = sp->pid;
	hold_until = bpd_now_ms() + HOLD_MAX_MS;
	return err;
}

/* @sp ended with @status: its output, then EXIT to the master; it is freed. */
static int send_exit(struct session *s, struct sproc *sp, int status)
{
	struct bpwire_msg m;
	int err;

	/*
	 * Its output first, all of it that is there now.  A child it left
	 * running may keep the pipe open: what it writes later has nowhere
	 * to go (the ghost ends), so do not wait for its end of file.
	 */
	for (int i = 1; i <= 2; i++) {
		for (int n = 0; n < 1024 && sp->out[i] >= 0; n++)
			if (proc_output(s, sp, i) <= 0)
				break;
	}
	bpwire_init(&m, BPWIRE_EXIT, 0, s->node, BPROC_NODE_MASTER);
	m.u.exit.pid = sp->pid;
	m.u.exit.status = status;
	bpd_info("process %d ended (status 0x%x)", sp->pid, status);
	err = send_frame(s, &m);
	sproc_free(sp);
	return err;
}

/* ---- PID-space calls of our processes ---------------------------------- */

/*
 * Each restored process (and every child it forks here) has a seccomp
 * filter whose listener we hold (BPNSINIT_LISTENER): its getppid, kill,
 * wait and process-group calls stop until we answer.  Answered here:
 * anything aimed at a process of this node (CONTINUE: the kernel runs it
 * as asked), and every call of a process the master did not place here.
 * The rest goes to the master, where the process's ghost makes it
 * (BPWIRE_CALL).  Documentation/process-space.md has the rules.
 */
struct listener {
	int fd;
	struct listener *next;
};

static struct listener *listeners;

/* A call waiting for the master's answer. */
struct pending_call {
	uint64_t id;		/* our CALL's id */
	uint64_t notif;		/* the seccomp notification's id */
	int lfd;		/* its listener */
	pid_t host;		/* the caller, in our PID namespace */
	int pid;		/* ... and in the node's (the master PID) */
	uint32_t nr;
	uint64_t args[6];
	struct pending_call *next;
};

static struct pending_call *pcalls;
static uint64_t call_seq;

/*
 * Forks in the namespace, one at a time: while the master gives a child
 * its PID and init arms ns_last_pid for it, other forks wait here.
 */
struct queued_notif {
	int lfd;
	struct seccomp_notif n;
	struct queued_notif *next;
};

static bool fork_busy;
static uint64_t fork_since;	/* bpd_now_ms() when fork_busy was set */
static struct queued_notif *fork_queue, **fork_queue_tail = &fork_queue;

/* A fork the master has not answered within this long fails (EAGAIN). */
#define FORK_ANSWER_MS	10000

static void listeners_close(void)
{
	while (listeners) {
		struct listener *l = listeners;

		listeners = l->next;
		close(l->fd);
		free(l);
	}
	while (pcalls) {
		struct pending_call *c = pcalls;

		pcalls = c->next;
		free(c);
	}
	/* Their listeners are closed: those callers get ENOSYS-like ends. */
	while (fork_queue) {
		struct queued_notif *q = fork_queue;

		fork_queue = q->next;
		free(q);
	}
	fork_queue_tail = &fork_queue;
	fork_busy = false;
}

/* Answer notification @id: run the call (@cont) or return @val (-errno). */
static void notif_answer(int lfd, uint64_t id, bool cont, long val)
{
	struct seccomp_notif_resp r;

	memset(&r, 0, sizeof(r));
	r.id = id;
	if (cont)
		r.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	else if (val < 0)
		r.error = (int32_t)val;
	else
		r.val = val;
	/* ENOENT: the caller was interrupted meanwhile; nothing to do. */
	ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, &r);
}

/* /proc/@host/status (@host in our PID namespace), or NULL. */
static FILE *proc_status(pid_t host)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/status", (int)host);
	return fopen(path, "re");
}

/* The master PID of @host (its PID in the node's namespace), or -1. */
static int ns_pid(pid_t host)
{
	FILE *f = proc_status(host);
	char line[256];
	int pid = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p, *end;
		int n = 0;

		if (strncmp(line, "NSpid:", 6))
			continue;
		/*
		 * Ours, the node namespace's, is the second field, and must be
		 * the last: one in a namespace nested inside (unshare -p) is
		 * not the master PID its innermost number might equal.
		 */
		for (p = line + 6; *p; p = end) {
			long v = strtol(p, &end, 10);

			if (end == p)
				break;
			if (++n == 2)
				pid = (int)v;
		}
		if (n != 2)
			pid = -1;
		break;
	}
	fclose(f);
	return pid;
}

/* Is @pid a process of this node's namespace (as the namespace sees it)? */
static bool ns_has(int pid)
{
	char path[64];

	if (pid <= 1)
		return false;
	snprintf(path, sizeof(path), BPNSINIT_PROC "/%d", pid);
	return access(path, F_OK) == 0;
}

/* Children of @pid here (namespace PIDs), into @kids (up to @max); count. */
static int ns_children(int pid, int *kids, int max)
{
	char path[96], buf[4096];
	int n = 0, fd;
	ssize_t r;
	char *p, *end;

	snprintf(path, sizeof(path), BPNSINIT_PROC "/%d/task/%d/children", pid,
		 pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r <= 0)
		return 0;
	buf[r] = '\0';
	for (p = buf; n < max; p = end) {
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		kids[n++] = (int)v;
	}
	return n;
}

/* The process group of @pid here, or -1. */
static int ns_pgid(int pid)
{
	char path[64], buf[512], *p;
	int fd, pgid = -1;
	ssize_t r;

	snprintf(path, sizeof(path), BPNSINIT_PROC "/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r <= 0)
		return -1;
	buf[r] = '\0';
	p = strrchr(buf, ')');
	/* ") S ppid pgrp" */
	if (p && sscanf(p + 1, " %*c %*d %d", &pgid) != 1)
		pgid = -1;
	return pgid;
}

/*
 * Does a wait of @caller for (@idtype, @id) concern a child of its on this
 * node?  Then the kernel here answers it (the master's children are not
 * seen by that wait: documented).
 */
static bool wait_is_local(int caller, int idtype, long id)
{
	int kids[256], n = ns_children(caller, kids, 256), i;

	for (i = 0; i < n; i++) {
		if (idtype == P_ALL)
			return true;
		if (idtype == P_PID && kids[i] == id)
			return true;
		if (idtype == P_PGID &&
		    ns_pgid(kids[i]) == (id ? id : ns_pgid(caller)))
			return true;
	}
	return false;
}

/* Is notification @n a fork of a process (not a thread)? */
static bool is_fork(const struct seccomp_notif *n)
{
	uint64_t flags = 0;

	switch (n->data.nr) {
	case SYS_fork:
	case SYS_vfork:
		return true;
	case SYS_clone:
		return !(n->data.args[0] & CLONE_THREAD);
	case SYS_clone3: {
		struct iovec l = { .iov_base = &flags, .iov_len = sizeof(flags) };
		struct iovec r = { .iov_base = (void *)(uintptr_t)n->data.args[0],
				   .iov_len = sizeof(flags) };

		if (process_vm_readv((pid_t)n->pid, &l, 1, &r, 1, 0) != sizeof(flags))
			return false;	/* the kernel will say EFAULT */
		return !(flags & CLONE_THREAD);
	}
	}
	return false;
}

static int send_call(struct session *s, struct pending_call *c,
		     const void *data, size_t len)
{
	struct bpwire_msg m;
	int err;

	bpwire_init(&m, BPWIRE_CALL, c->id, s->node, BPROC_NODE_MASTER);
	m.u.call.pid = c->pid;
	m.u.call.nr = c->nr;
	memcpy(m.u.call.args, c->args, sizeof(c->args));
	m.u.call.data = len ? data : NULL;
	m.u.call.len = (uint32_t)len;
	err = send_frame(s, &m);
	if (!err) {
		c->next = pcalls;
		pcalls = c;
	}
	return err;
}

static void notif_decide(struct session *s, int lfd, struct seccomp_notif *n);

/* Forks that waited for one in flight: their turn, until one is in flight. */
static void fork_queue_run(struct session *s)
{
	while (!fork_busy && fork_queue) {
		struct queued_notif *q = fork_queue;

		fork_queue = q->next;
		if (!fork_queue)
			fork_queue_tail = &fork_queue;
		notif_decide(s, q->lfd, &q->n);
		free(q);
	}
}

/* Receive one notification and decide on it. */
static void notif_one(struct session *s, int lfd)
{
	struct seccomp_notif n;

	memset(&n, 0, sizeof(n));
	if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, &n) < 0)
		return;		/* gone meanwhile (ENOENT), or EINTR */
	notif_decide(s, lfd, &n);
}

/* Decide on one notification: here, or the master. */
static void notif_decide(struct session *s, int lfd, struct seccomp_notif *np)
{
	struct seccomp_notif n = *np;
	struct pending_call *c;
	unsigned char info[BPWIRE_CALL_DATA_MAX];
	size_t ilen = 0;
	long a0, a1;
	int caller;
	bool local;

	if (is_fork(&n) && fork_busy) {
		struct queued_notif *q = calloc(1, sizeof(*q));

		if (!q) {
			notif_answer(lfd, n.id, false, -ENOMEM);
			return;
		}
		q->lfd = lfd;
		q->n = n;
		*fork_queue_tail = q;
		fork_queue_tail = &q->next;
		return;
	}
	caller = ns_pid((pid_t)n.pid);
	/* PIDs, idtypes and ids are ints: the upper half is not theirs. */
	a0 = (int)n.data.args[0];
	a1 = (int)n.data.args[1];
	/* Only processes the master placed have a ghost to ask. */
	if (caller < 2 || !sproc_by_pid(caller) || sproc_by_pid(caller)->gone) {
		notif_answer(lfd, n.id, true, 0);
		return;
	}
	switch (n.data.nr) {
	case SYS_fork:
	case SYS_vfork:
	case SYS_clone:
	case SYS_clone3:
		/* A thread stays the process's own business. */
		local = !is_fork(&n);
		if (!local) {
			fork_busy = true;	/* till the master answers */
			fork_since = bpd_now_ms();
		}
		break;
	case SYS_kill:
	case SYS_rt_sigqueueinfo:
		local = a0 > 0 && ns_has((int)a0);
		break;
	case SYS_tkill:
		local = a0 > 0 && ns_has((int)a0);
		break;
	case SYS_tgkill:
	case SYS_rt_tgsigqueueinfo:
		local = a0 > 0 && ns_has((int)a0);
		break;
	case SYS_wait4:
		local = wait_is_local(caller, a0 < -1 ? P_PGID : a0 == -1 ? P_ALL :
				      a0 == 0 ? P_PGID : P_PID,
				      a0 < -1 ? -a0 : a0 == 0 ? 0 : a0);
		break;
	case SYS_waitid:
		/* P_PIDFD (and anything new): a descriptor of this node. */
		local = (a0 != P_ALL && a0 != P_PID && a0 != P_PGID) ||
			wait_is_local(caller, (int)a0, a1);
		break;
	case SYS_getpgid:
	case SYS_getsid:
		/* Of a process of ours that the master does not know. */
		local = a0 > 0 && a0 != caller && ns_has((int)a0) &&
			!sproc_by_pid((int)a0);
		break;
	case SYS_setpgid:
		local = a0 > 0 && a0 != caller && ns_has((int)a0) &&
			!sproc_by_pid((int)a0);
		break;
	default:		/* getppid, getpgrp, setsid */
		local = false;
	}
	if ((local || s->node < 0) && fork_busy && is_fork(&n)) {
		fork_busy = false;
		local = true;
	}
	if (local || s->node < 0) {
		notif_answer(lfd, n.id, true, 0);
		return;
	}
	if (n.data.nr == SYS_rt_sigqueueinfo || n.data.nr == SYS_rt_tgsigqueueinfo) {
		struct iovec l = { .iov_base = info, .iov_len = BPROC_SIGINFO_SIZE };
		struct iovec r = {
			.iov_base = (void *)(uintptr_t)n.data.args[
				n.data.nr == SYS_rt_sigqueueinfo ? 2 : 3],
			.iov_len = BPROC_SIGINFO_SIZE,
		};

		if (process_vm_readv((pid_t)n.pid, &l, 1, &r, 1, 0) !=
		    BPROC_SIGINFO_SIZE) {
			notif_answer(lfd, n.id, false, -EFAULT);
			return;
		}
		ilen = BPROC_SIGINFO_SIZE;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		if (is_fork(&n)) {
			fork_busy = false;
			fork_queue_run(s);
		}
		notif_answer(lfd, n.id, false, -ENOMEM);
		return;
	}
	c->id = ++call_seq;
	c->notif = n.id;
	c->lfd = lfd;
	c->host = (pid_t)n.pid;
	c->pid = caller;
	c->nr = (uint32_t)n.data.nr;
	memcpy(c->args, n.data.args, sizeof(c->args));
	if (is_fork(&n)) {
		/* The ghost forks: the child's PID, and its ghost, are the master's. */
		c->nr = BPROC_CALL_FORK;
		memset(c->args, 0, sizeof(c->args));
	}
	if (send_call(s, c, info, ilen)) {
		if (c->nr == BPROC_CALL_FORK)
			fork_busy = false;
		free(c);
		notif_answer(lfd, n.id, false, -EIO);
	}
}

/*
 * The master forked the caller's ghost: the child here must get the same
 * PID.  Init arms ns_last_pid, the fork runs, and the child is ours.
 */
static void fork_result(struct session *s, struct pending_call *c, long val)
{
	struct bpwire_msg m;
	struct sproc *sp;
	int err, i;

	if (val <= 0) {
		bpd_warn("process %d: its ghost could not fork: %s", c->pid,
			 strerror(val ? (int)-val : EIO));
		notif_answer(c->lfd, c->notif, false, val ? val : -EIO);
		goto out;
	}
	err = ns_has((int)val) ? -EEXIST : bpnsinit_forking(S.ns, (pid_t)val);
	sp = err ? NULL : calloc(1, sizeof(*sp));
	if (!sp) {
		bpd_warn("process %d: cannot fork here as %ld: %s", c->pid, val,
			 strerror(err ? -err : ENOMEM));
		notif_answer(c->lfd, c->notif, false, -EAGAIN);
		goto lost;
	}
	sp->pid = (int)val;
	sp->forked = true;
	sp->img = sp->in = -1;
	sp->out[0] = sp->out[1] = sp->out[2] = -1;
	sp->next = sprocs;
	sprocs = sp;
	notif_answer(c->lfd, c->notif, true, 0);
	/*
	 * It runs at once; the next fork must not take its PID: wait until
	 * the child is there, or its PID was taken (a child that ended at
	 * once: its end comes from the kernel as any other's).
	 */
	for (i = 0; i < 2000 && !ns_has((int)val); i++) {
		if (bpnsinit_forked(S.ns, (pid_t)val) != -EAGAIN)
			goto out;
		usleep(500);
	}
	if (ns_has((int)val))
		goto out;
	bpd_warn("process %d: its child %ld did not appear here", c->pid, val);
	sproc_free(sp);
lost:
	/* Its ghost ends; its parent on the master collects it. */
	bpwire_init(&m, BPWIRE_EXIT, 0, s->node, BPROC_NODE_MASTER);
	m.u.exit.pid = (int)val;
	m.u.exit.status = SIGKILL;
	send_frame(s, &m);
out:
	fork_busy = false;
	fork_queue_run(s);
}

/* Listener @l has calls (or no process uses its filter any more). */
static void listener_ready(struct session *s, struct listener *l, short ev)
{
	struct listener **pp;

	if (ev & POLLIN) {
		notif_one(s, l->fd);
		return;
	}
	if (!(ev & (POLLHUP | POLLERR)))
		return;
	for (pp = &listeners; *pp; pp = &(*pp)->next) {
		if (*pp == l) {
			*pp = l->next;
			close(l->fd);
			free(l);
			return;
		}
	}
}

/* The signal masks of @host (our PID namespace): 0, or -1 if unreadable. */
static int sig_masks(pid_t host, uint64_t *blk, uint64_t *ign, uint64_t *cgt)
{
	FILE *f = proc_status(host);
	char line[128];
	int got = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v;

		if (sscanf(line, "SigBlk: %llx", &v) == 1)
			*blk = v, got |= 1;
		else if (sscanf(line, "SigIgn: %llx", &v) == 1)
			*ign = v, got |= 2;
		else if (sscanf(line, "SigCgt: %llx", &v) == 1)
			*cgt = v, got |= 4;
	}
	fclose(f);
	return got == 7 ? 0 : -1;
}

/*
 * Signal @sig was just delivered to @pid (delivered: init's kill() has
 * returned, so it is pending).  A wait of it that waits on the master ends
 * as a native one would when the signal has an effect there: a handler
 * runs, or a stop signal stops it.  The answer is -ERESTARTSYS with the
 * signal pending: restarted or EINTR, as its handler says.  A signal that
 * is ignored or blocked leaves the wait waiting (an answer without a
 * pending signal would reach the program as errno 512); a fatal one kills
 * it anyway.  Its ghost's wait is abandoned (its next call replaces it).
 */
static void calls_interrupt(int pid, int sig)
{
	struct pending_call **pp = &pcalls, *c;

	while ((c = *pp)) {
		uint64_t blk = 0, ign = 0, cgt = 0, bit = 1ull << (sig - 1);
		bool stop = sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;

		if (c->pid == pid && (c->nr == SYS_wait4 || c->nr == SYS_waitid) &&
		    sig >= 1 && sig <= 64 && !sig_masks(c->host, &blk, &ign, &cgt) &&
		    (sig == SIGSTOP || (!(blk & bit) && !(ign & bit) &&
					((cgt & bit) || stop)))) {
			*pp = c->next;
			notif_answer(c->lfd, c->notif, false, -512 /* ERESTARTSYS */);
			free(c);
		} else {
			pp = &c->next;
		}
	}
}

/*
 * Process @pid ended: its calls waiting on the master are dropped (their
 * answers find nobody); a fork of its in flight lets the next one go.
 */
static void calls_end(struct session *s, int pid)
{
	struct pending_call **pp = &pcalls, *c;
	bool fork = false;

	while ((c = *pp)) {
		if (c->pid == pid) {
			fork |= c->nr == BPROC_CALL_FORK;
			*pp = c->next;
			free(c);
		} else {
			pp = &c->next;
		}
	}
	if (fork) {
		fork_busy = false;
		fork_queue_run(s);
	}
}

/*
 * A fork the master has not answered in FORK_ANSWER_MS (its ghost stuck,
 * or the answer lost): the caller's fork fails with EAGAIN, the next goes.
 */
static void fork_timeout(struct session *s, uint64_t now)
{
	struct pending_call **pp = &pcalls, *c;

	if (!fork_busy || now - fork_since < FORK_ANSWER_MS)
		return;
	while ((c = *pp)) {
		if (c->nr == BPROC_CALL_FORK) {
			bpd_warn("process %d: no answer to its fork: EAGAIN", c->pid);
			*pp = c->next;
			notif_answer(c->lfd, c->notif, false, -EAGAIN);
			free(c);
		} else {
			pp = &c->next;
		}
	}
	fork_busy = false;
	fork_queue_run(s);
}

/* Write @len bytes of the master's answer to the caller's @addr. */
static int caller_write(pid_t host, uint64_t addr, const void *p, size_t len)
{
	struct iovec l = { .iov_base = (void *)p, .iov_len = len };
	struct iovec r = { .iov_base = (void *)(uintptr_t)addr, .iov_len = len };

	if (!addr)
		return 0;
	return process_vm_writev(host, &l, 1, &r, 1, 0) == (ssize_t)len ? 0 : -EFAULT;
}

/* The master's answer to one of our calls. */
static int call_result(struct session *s, const struct bpwire_msg *m)
{
	const struct bpwire_call_result *r = &m->u.call_result;
	struct pending_call **pp, *c;
	struct bproc_call_out out;
	long val = m->hdr.result;
	int err = 0;

	for (pp = &pcalls; (c = *pp); pp = &c->next)
		if (c->id == m->hdr.id)
			break;
	if (!c || c->pid != r->pid) {
		if (r->nr == BPROC_CALL_FORK && val > 0 && !ns_has((int)val)) {
			/* A fork we gave up on (too late, or its caller ended). */
			struct bpwire_msg e;

			bpwire_init(&e, BPWIRE_EXIT, 0, s->node, BPROC_NODE_MASTER);
			e.u.exit.pid = (int)val;
			e.u.exit.status = SIGKILL;
			send_frame(s, &e);
		}
		return 0;	/* not ours (any more) */
	}
	*pp = c->next;
	/* Still waiting?  Then its memory is as it was. */
	if (ioctl(c->lfd, SECCOMP_IOCTL_NOTIF_ID_VALID, &c->notif) < 0) {
		if (c->nr == BPROC_CALL_FORK && val > 0) {
			/* Gone before its child was made: that ghost ends. */
			struct bpwire_msg e;

			bpwire_init(&e, BPWIRE_EXIT, 0, s->node, BPROC_NODE_MASTER);
			e.u.exit.pid = (int)val;
			e.u.exit.status = SIGKILL;
			send_frame(s, &e);
		}
		if (c->nr == BPROC_CALL_FORK) {
			fork_busy = false;
			fork_queue_run(s);
		}
		free(c);
		return 0;
	}
	if (c->nr == BPROC_CALL_FORK) {
		fork_result(s, c, val);
		free(c);
		return 0;
	}
	if ((c->nr == SYS_wait4 || c->nr == SYS_waitid) && val >= 0) {
		memset(&out, 0, sizeof(out));
		memcpy(&out, r->data, r->len < sizeof(out) ? r->len : sizeof(out));
		if (c->nr == SYS_wait4) {
			if (val > 0)
				err = caller_write(c->host, c->args[1], &out.status,
						   sizeof(out.status));
			if (!err)
				err = caller_write(c->host, c->args[3], out.rusage,
						   sizeof(out.rusage));
		} else {
			err = caller_write(c->host, c->args[2], out.info,
					   sizeof(out.info));
			if (!err)
				err = caller_write(c->host, c->args[4], out.rusage,
						   sizeof(out.rusage));
		}
		if (err)
			val = err;
	}
	notif_answer(c->lfd, c->notif, false, val);
	free(c);
	return 0;
}

/* Init's news about our processes. */
static int proc_events(struct session *s)
{
	struct bpnsinit_event ev;
	struct bpwire_msg m;
	struct sproc *sp;
	int r, err = 0;

	while (!err && (r = bpnsinit_event(S.ns, &ev)) > 0) {
		if (ev.type == BPNSINIT_LISTENER) {
			struct listener *l = calloc(1, sizeof(*l));

			if (!l) {
				close(ev.fd);	/* its calls fail: ENOSYS */
				continue;
			}
			fcntl(ev.fd, F_SETFL, O_NONBLOCK);
			l->fd = ev.fd;
			l->next = listeners;
			listeners = l;
			continue;
		}
		sp = sproc_by_pid(ev.pid);
		if (!sp)
			continue;
		switch (ev.type) {
		case BPNSINIT_RESTORED:
			err = send_move_result(s, sp->move_id, sp->pid, 0);
			sp->move_id = 0;
			break;
		case BPNSINIT_FAILED:
			bpd_warn("process %d: restore failed: %s", sp->pid,
				 strerror(ev.status));
			err = send_move_result(s, sp->move_id, sp->pid,
					       -ev.status);
			sproc_free(sp);
			break;
		case BPNSINIT_STOPPED:
		case BPNSINIT_CONTINUED:
			if (sp->gone)
				break;
			bpwire_init(&m, BPWIRE_PSTATE, 0, s->node,
				    BPROC_NODE_MASTER);
			m.u.pstate.pid = sp->pid;
			m.u.pstate.state = ev.type == BPNSINIT_STOPPED ?
				BPWIRE_PSTATE_STOPPED : BPWIRE_PSTATE_CONTINUED;
			m.u.pstate.sig = ev.type == BPNSINIT_STOPPED ? ev.status : 0;
			err = send_frame(s, &m);
			break;
		case BPNSINIT_EXIT:
			if (sp->gone) {
				/* It lives on elsewhere. */
				if (hold_pid == sp->pid)
					hold_pid = 0;
				sproc_free(sp);
				break;
			}
			if (sp->reported) {
				sproc_free(sp);	/* told when its parent waited */
				break;
			}
			if (sp->leave_id) {
				/* Killed while leaving: told with the answer. */
				sp->died = true;
				sp->died_status = ev.status;
				break;
			}
			calls_end(s, sp->pid);
			err = send_exit(s, sp, ev.status);
			break;
		}
	}
	if (r < 0) {
		bpd_err("the node's process space is gone: %s", strerror(-r));
		return r;
	}
	return err;
}

/* The session ends: the master ended these processes' ghosts. */
static void procs_abandon(void)
{
	while (sprocs) {
		bpnsinit_kill(S.ns, sprocs->pid, SIGKILL);
		sproc_free(sprocs);
	}
}

/* One frame from the master.  Returns 0, or -errno to drop the connection. */
static int master_frame(struct session *s, const struct bpwire_msg *m)
{
	struct bpwire_msg r;
	int err;

	if (s->node < 0 && m->hdr.type != BPWIRE_WELCOME &&
	    m->hdr.type != BPWIRE_REFUSE) {
		bpd_warn("protocol error: %s before WELCOME",
			 bpwire_type_name(m->hdr.type));
		return -EPROTO;
	}
	switch (m->hdr.type) {
	case BPWIRE_WELCOME:
		if (s->node >= 0)
			return -EPROTO;
		if (m->u.welcome.node < 0 ||
		    m->u.welcome.node >= m->u.welcome.numnodes)
			return -EPROTO;
		s->node = m->u.welcome.node;
		s->numnodes = m->u.welcome.numnodes;
		s->ping_ms = m->u.welcome.ping_ms;
		bpd_info("node %d of %d (master %s, heartbeat timeout %u ms)",
			 s->node, s->numnodes, inet_ntoa(S.master.sin_addr),
			 s->ping_ms);
		/* A master without an 'interface' line does not know its
		 * own address: the one we connected to is it. */
		err = bpd_kdev_nodes(s->kfd, s->numnodes, s->node,
				     m->u.welcome.master_addr ?:
				     S.master.sin_addr.s_addr);
		if (err)
			bpd_err("the kernel refused the node table's size: %s",
				strerror(-err));
		return err;
	case BPWIRE_REFUSE:
		bpd_err("the master refused this node: %.*s (%s)",
			(int)m->u.refuse.reason.len, m->u.refuse.reason.str,
			strerror(-m->hdr.result));
		return -ECONNREFUSED;
	case BPWIRE_NODES:
		return apply_nodes(s, m);
	case BPWIRE_LIBS:
		apply_libs(m);
		/* LIBS is the last of the configuration. */
		if (!s->ready) {
			s->ready = true;
			bpwire_init(&r, BPWIRE_READY, 0, s->node,
				    BPROC_NODE_MASTER);
			return send_frame(s, &r);
		}
		return 0;
	case BPWIRE_PING:
		bpwire_reply_init(&r, BPWIRE_PONG, m);
		r.u.ping.timestamp = m->u.ping.timestamp;
		return send_frame(s, &r);
	case BPWIRE_PONG:
		return 0;
	case BPWIRE_MOVE:
		return proc_move(s, m);
	case BPWIRE_IMAGE:
		return proc_image(m);
	case BPWIRE_MOVE_RESULT:
		return leave_result(s, m);
	case BPWIRE_CALL_RESULT:
		return call_result(s, m);
	case BPWIRE_IO: {
		struct sproc *sp = sproc_by_pid(m->u.io.pid);

		if (m->u.io.stream != BPWIRE_IO_STDIN)
			return -EPROTO;
		if (sp && sp->in >= 0)
			proc_stdin(sp, m->u.io.data, m->u.io.len);
		return 0;
	}
	case BPWIRE_SIGNAL: {
		struct sproc *sp = sproc_by_pid(m->u.signal.pid);

		if (sp && sp->leave_id) {
			sp->sigs |= 1ull << (m->u.signal.sig - 1);
		} else if (sp && !sp->move_id && !sp->gone) {
			bpnsinit_kill(S.ns, sp->pid, m->u.signal.sig);
			calls_interrupt(sp->pid, m->u.signal.sig);
		}
		return 0;
	}
	case BPWIRE_BYE:
		bpd_info("the master says goodbye: %.*s",
			 (int)m->u.bye.reason.len, m->u.bye.reason.str);
		s->bye_action = m->u.bye.action;
		return -ECONNRESET;
	default:
		bpd_warn("protocol error: unexpected %s",
			 bpwire_type_name(m->hdr.type));
		return -EPROTO;
	}
}

/*
 * The frames received from the master, one by one, until none is left or
 * a departure holds the rest (hold_pid).  0, or -errno to drop the
 * connection.
 */
static int master_frames(struct session *s)
{
	struct bpwire_msg m;
	const char *why = NULL;
	int r, err;

	while (!hold_pid && (r = bpwire_rx_next(s->c.rx, &m, &why)) > 0) {
		err = master_frame(s, &m);
		if (err)
			return err;
	}
	if (!hold_pid && r < 0) {
		bpd_warn("malformed frame from the master: %s",
			 why ? why : strerror(-r));
		return r;
	}
	return 0;
}

/*
 * One connection, from connect to its end.  Returns 0 if it got as far as
 * READY (the backoff starts over), else -errno.
 */
static int session(struct session *s)
{
	struct bpwire_msg m;
	sigset_t empty;
	int fd, err;

	fd = connect_master();
	if (fd < 0)
		return fd;
	err = bpd_conn_init(&s->c, fd);
	if (err) {
		close(fd);
		return err;
	}
	s->kfd = bpd_kdev_open(SLAVE_DEV);
	if (s->kfd < 0) {
		err = s->kfd;
		goto out;
	}
	{
		struct sockaddr_in me;
		socklen_t len = sizeof(me);

		getsockname(fd, (struct sockaddr *)&me, &len);
		bpd_info("connected to %s from port %u", s->c.peer,
			 ntohs(me.sin_port));
	}

	bpwire_init(&m, BPWIRE_HELLO, 1, BPROC_NODE_NONE, BPROC_NODE_MASTER);
	m.u.hello.major = BPWIRE_MAJOR;
	m.u.hello.minor = BPWIRE_MINOR;
	m.u.hello.want_node = S.want_node;
	m.u.hello.boot_id = S.boot_id;
	err = send_frame(s, &m);
	if (err)
		goto out;

	/* Until WELCOME, wait as long as a heartbeat timeout would be. */
	s->ping_ms = 30000;
	s->last_heard = s->last_ping = bpd_now_ms();
	fcntl(s->kfd, F_SETFL, O_NONBLOCK);
	hold_pid = 0;
	sigemptyset(&empty);
	while (!stop_signal) {
		static struct pollfd *p;
		static struct sproc **who;
		static int *whichfd;
		static struct listener **lst;
		static size_t cap;
		size_t want = 3;
		struct listener *l;
		uint64_t now = bpd_now_ms();
		long wait_ms = s->ping_ms / 4;
		struct timespec ts;
		struct sproc *sp;
		size_t np = 0, i;
		bool held;

		for (sp = sprocs; sp; sp = sp->next)
			want += 2;
		for (l = listeners; l; l = l->next)
			want++;
		if (want > cap) {
			size_t c = want + 64;

			p = realloc(p, c * sizeof(*p));
			who = realloc(who, c * sizeof(*who));
			whichfd = realloc(whichfd, c * sizeof(*whichfd));
			lst = realloc(lst, c * sizeof(*lst));
			if (!p || !who || !whichfd || !lst) {
				bpd_err("out of memory");
				exit(1);
			}
			cap = c;
		}
		if (hold_pid && now >= hold_until) {
			bpd_warn("process %d moved on but is not gone here yet",
				 hold_pid);
			hold_pid = 0;
		}
		held = hold_pid != 0;
		/* Frames already received, unless a departure holds them. */
		if (!held) {
			err = master_frames(s);
			if (err)
				break;
			held = hold_pid != 0;
		}
		if (held)
			wait_ms = 20;
		ts.tv_sec = wait_ms / 1000;
		ts.tv_nsec = (wait_ms % 1000) * 1000000L;
		p[np++] = (struct pollfd){ .fd = s->c.fd, .events =
			(held ? 0 : POLLIN) |
			(bpd_conn_busy(&s->c) ? POLLOUT : 0) };
		p[np++] = (struct pollfd){ .fd = bpnsinit_fd(S.ns), .events = POLLIN };
		/* Processes moving on, while the master keeps up. */
		p[np++] = (struct pollfd){ .fd = s->kfd, .events =
			s->c.out_len < (1u << 20) ? POLLIN : 0 };
		/* Output of our processes, while the master keeps up. */
		for (sp = sprocs; sp && s->c.out_len < (1u << 20); sp = sp->next) {
			for (int k = 1; k <= 2; k++) {
				if (sp->out[k] < 0 || sp->gone)
					continue;
				who[np] = sp;
				whichfd[np] = k;
				p[np++] = (struct pollfd){ .fd = sp->out[k],
							   .events = POLLIN };
			}
		}
		/* PID-space calls, while the master keeps up. */
		for (l = listeners; l && s->c.out_len < (1u << 20); l = l->next) {
			who[np] = NULL;
			whichfd[np] = -1;
			lst[np] = l;
			p[np++] = (struct pollfd){ .fd = l->fd, .events = POLLIN };
		}
		if (ppoll(p, np, &ts, &empty) < 0 && errno != EINTR) {
			err = -errno;
			break;
		}
		now = bpd_now_ms();
		fork_timeout(s, now);
		if (p[0].revents & POLLOUT) {
			err = bpd_conn_flush(&s->c);
			if (err)
				break;
		}
		for (i = 3; i < np; i++) {
			if (!p[i].revents)
				continue;
			if (whichfd[i] < 0) {
				listener_ready(s, lst[i], p[i].revents);
				continue;
			}
			/* Still listed, with that descriptor? */
			for (sp = sprocs; sp && sp != who[i]; sp = sp->next)
				;
			if (sp && sp->out[whichfd[i]] == p[i].fd)
				proc_output(s, sp, whichfd[i]);
		}
		if (p[1].revents) {
			err = proc_events(s);
			if (err)
				break;
		}
		if (p[2].revents) {
			err = kernel_input(s);
			if (err)
				break;
		}
		if (p[0].revents & (POLLIN | POLLERR | POLLHUP)) {
			ssize_t n = bpwire_rx_read(s->c.rx, s->c.fd);

			if (n == 0) {
				bpd_warn("the master closed the connection");
				err = -ECONNRESET;
				break;
			}
			if (n < 0 && n != -EAGAIN && n != -ENOBUFS) {
				err = (int)n;
				bpd_warn("receive: %s", strerror(-err));
				break;
			}
			s->last_heard = now;
			err = master_frames(s);
			if (err)
				break;
		}
		/* The master pings every ping_ms/2: silence means it is gone. */
		if (now - s->last_heard >= s->ping_ms) {
			bpd_warn("nothing from the master for %llu ms",
				 (unsigned long long)(now - s->last_heard));
			err = -ETIMEDOUT;
			break;
		}
		if (s->node >= 0 && now - s->last_heard >= s->ping_ms / 2 &&
		    now - s->last_ping >= s->ping_ms / 2) {
			bpwire_init(&m, BPWIRE_PING, ++S.ping_seq, s->node,
				    BPROC_NODE_MASTER);
			m.u.ping.timestamp = now;
			s->last_ping = now;
			err = send_frame(s, &m);
			if (err)
				break;
		}
	}
out:
	procs_abandon();
	listeners_close();
	if (s->kfd >= 0)
		close(s->kfd);	/* the kernel marks the mirror down */
	s->kfd = -1;
	bpd_conn_close(&s->c);
	return s->ready ? 0 : err;
}

static void power(uint32_t action)
{
	static const struct {
		int cmd;
		const char *name;
	} how[BPWIRE_BYE_NR] = {
		[BPWIRE_BYE_REBOOT] = { RB_AUTOBOOT, "rebooting" },
		[BPWIRE_BYE_HALT] = { RB_HALT_SYSTEM, "halting" },
		[BPWIRE_BYE_PWROFF] = { RB_POWER_OFF, "powering off" },
	};

	if (action == BPWIRE_BYE_NONE || action >= BPWIRE_BYE_NR)
		return;
	bpd_info("%s, as the master asked", how[action].name);
	sync();
	if (reboot(how[action].cmd)) {
		/* Go on serving: the node comes back up as it was. */
		bpd_err("%s failed: %s", how[action].name, strerror(errno));
		return;
	}
	/* A halted kernel stops here; stay quiet until then. */
	for (;;)
		pause();
}

static void on_signal(int sig)
{
	stop_signal = sig;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: bpslave [-n NODE] [-v] MASTER [PORT]\n"
		   "  -n NODE  ask for node number NODE (the master checks it)\n"
		   "  -v       verbose\n"
		   "PORT defaults to %d.\n", 2223);
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t block;
	unsigned int backoff = BACKOFF_MIN_MS;
	int opt;

	while ((opt = getopt(argc, argv, "n:vVh")) != -1) {
		char *end;
		long v;

		switch (opt) {
		case 'n':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || v < 0 ||
			    v >= BPROC_NODES_MAX) {
				fprintf(stderr, "bpslave: bad node number '%s'\n",
					optarg);
				return 2;
			}
			S.want_node = (int)v;
			break;
		case 'v':
			bpd_verbose = true;
			break;
		case 'V':
			printf("bpslave %s\n", BPROC_VERSION_STRING);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind < 1 || argc - optind > 2) {
		usage(stderr);
		return 2;
	}
	S.master.sin_family = AF_INET;
	S.master.sin_port = htons(2223);
	if (inet_pton(AF_INET, argv[optind], &S.master.sin_addr) != 1) {
		fprintf(stderr, "bpslave: bad master address '%s'\n", argv[optind]);
		return 2;
	}
	if (argc - optind == 2) {
		char *end;
		long port = strtol(argv[optind + 1], &end, 10);

		if (*end || end == argv[optind + 1] || port < 1 || port > 65535) {
			fprintf(stderr, "bpslave: bad port '%s'\n", argv[optind + 1]);
			return 2;
		}
		S.master.sin_port = htons(port);
	}

	bpd_log_init("bpslave", true, 0);
	S.boot_id = read_boot_id();
	/* Processes keep their master PIDs here: allow every PID there is. */
	{
		int fd = open("/proc/sys/kernel/pid_max", O_WRONLY | O_CLOEXEC);

		if (fd < 0 || write(fd, "4194304", 7) != 7)
			bpd_warn("cannot raise pid_max: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	{
		int err;

		bpnsinit_calls = true;
		err = bpnsinit_start(&S.ns);

		if (err) {
			bpd_err("cannot make the node's PID namespace: %s",
				strerror(-err));
			return 1;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, NULL);

	while (!stop_signal) {
		struct session s = { .kfd = -1, .node = BPROC_NODE_NONE };
		struct timespec ts;
		sigset_t empty;
		int err;

		err = session(&s);
		if (stop_signal)
			break;
		power(s.bye_action);
		if (!err) {
			backoff = BACKOFF_MIN_MS;
		} else {
			bpd_warn("no session with the master (%s); again in %u ms",
				 strerror(-err), backoff);
		}
		/* Sleep, but wake for SIGTERM. */
		sigemptyset(&empty);
		ts.tv_sec = backoff / 1000;
		ts.tv_nsec = (backoff % 1000) * 1000000L;
		ppoll(NULL, 0, &ts, &empty);
		if (err)
			backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS :
								 backoff * 2;
	}
	bpd_info("stopping on signal %d", (int)stop_signal);
	bpnsinit_stop(S.ns);
	return 0;
}
