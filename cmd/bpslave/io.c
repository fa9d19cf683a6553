// SPDX-License-Identifier: GPL-2.0
/*
 * The standard streams of our processes: stdin from the ghost into a pipe,
 * stdout and stderr from pipes to the master (IO frames), or descriptors
 * a MOVE asks to open on this node instead (files as the process's user,
 * TCP connections).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <unistd.h>

#include "bpslave.h"

/* ---- descriptors opened here -------------------------------------------- */

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

/* (Those opened before a failure stay in @opened, for the caller to close.) */
int io_open_all(const struct bpwire_move *mv, int opened[3])
{
	uint32_t i;

	for (i = 0; i < mv->nio; i++) {
		const struct bpwire_move_io *e = &mv->io[i];
		int fd = e->type == BPROC_MOVE_IO_SOCKET ? io_connect(e) :
							     io_open(e, mv->uid, mv->gid);

		if (fd < 0) {
			bpd_warn("process %d: cannot open its descriptor %d (%s): %s",
				 mv->pid, e->fd,
				 e->type == BPROC_MOVE_IO_SOCKET ? "socket" : e->name,
				 strerror(-fd));
			return fd;
		}
		opened[e->fd] = fd;
	}
	return 0;
}

/* ---- forwarded streams -------------------------------------------------- */

/*
 * Its stdin from the ghost (no data: the end).  The pipe holds 1 MiB; a
 * process that does not read its stdin while more comes loses the rest
 * (with a log line) rather than stall this daemon.
 */
int proc_stdin(struct session *s, const struct bpwire_msg *m)
{
	struct sproc *sp = sproc_by_pid(m->u.io.pid);
	size_t len = m->u.io.len;
	ssize_t n;

	(void)s;
	if (m->u.io.stream != BPWIRE_IO_STDIN)
		return -EPROTO;
	if (!sp || sp->in < 0)
		return 0;
	if (!len) {
		close(sp->in);
		sp->in = -1;
		return 0;
	}
	n = write(sp->in, m->u.io.data, len);
	if (n < 0 && errno == EPIPE) {
		close(sp->in);	/* it closed its stdin */
		sp->in = -1;
	} else if (n != (ssize_t)len) {
		bpd_warn("process %d: stdin full; %zu bytes dropped", sp->pid,
			 len - (n > 0 ? n : 0));
	}
	return 0;
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

/* (End of file is passed on too.) */
ssize_t proc_output(struct session *s, struct sproc *sp, int i)
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

void proc_output_drain(struct session *s, struct sproc *sp, int max)
{
	for (int i = 1; i <= 2; i++)
		for (int n = 0; n < max && sp->out[i] >= 0; n++)
			if (proc_output(s, sp, i) <= 0)
				break;
}
