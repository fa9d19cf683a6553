// SPDX-License-Identifier: GPL-2.0
/*
 * The connection to the master: connecting from a privileged port, HELLO,
 * and the frames that come back, dispatched through one table that says
 * which frames are legal in which session state (bpwire's decoder has
 * checked each frame's length and fields before).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bpslave.h"

#define CONNECT_TIMEOUT_MS 5000

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
					  .sin_port = htons(port),
					  .sin_addr = S.source };

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

int send_frame(struct session *s, const struct bpwire_msg *m)
{
	int err = bpd_conn_send(&s->c, m);

	if (err)
		bpd_warn("send %s: %s", bpwire_type_name(m->hdr.type),
			 strerror(-err));
	return err;
}

/* (On failure whatever is open stays in @s, for session_close().) */
int session_open(struct session *s)
{
	struct sockaddr_in me;
	socklen_t len = sizeof(me);
	struct bpwire_msg m;
	int fd, err;

	fd = connect_master();
	if (fd < 0)
		return fd;
	err = bpd_conn_init(&s->c, fd);
	if (err) {
		bpd_conn_close(&s->c);	/* (the socket too) */
		return err;
	}
	s->kfd = bpd_kdev_open(SLAVE_DEV);
	if (s->kfd < 0)
		return s->kfd;
	getsockname(fd, (struct sockaddr *)&me, &len);
	bpd_info("connected to %s from port %u", s->c.peer, ntohs(me.sin_port));

	s->state = SESS_HELLO;
	bpwire_init(&m, BPWIRE_HELLO, 1, BPROC_NODE_NONE, BPROC_NODE_MASTER);
	m.u.hello.major = BPWIRE_MAJOR;
	m.u.hello.minor = BPWIRE_MINOR;
	m.u.hello.want_node = S.want_node;
	m.u.hello.boot_id = S.boot_id;
	return send_frame(s, &m);
}

/* ---- the configuration ---------------------------------------------------- */

static int on_welcome(struct session *s, const struct bpwire_msg *m)
{
	int err;

	if (m->u.welcome.node < 0 ||
	    m->u.welcome.node >= m->u.welcome.numnodes)
		return -EPROTO;
	s->node = m->u.welcome.node;
	s->numnodes = m->u.welcome.numnodes;
	s->ping_ms = m->u.welcome.ping_ms;
	s->master_addr = m->u.welcome.master_addr ?: S.master.sin_addr.s_addr;
	s->state = SESS_CONFIG;
	/* Its files, if it serves them (protocol 2.1). */
	files_session(m->u.welcome.minor >= 1 ? s : NULL);
	bpd_info("node %d of %d (master %s, heartbeat timeout %u ms)",
		 s->node, s->numnodes, inet_ntoa(S.master.sin_addr),
		 s->ping_ms);
	{
		/* The node's name, as libnss_bproc resolves it. */
		char name[16];
		int len = snprintf(name, sizeof(name), "n%d", s->node);

		if (sethostname(name, (size_t)len))
			bpd_warn("cannot set the host name %s: %s", name,
				 strerror(errno));
	}
	/* A master without an 'interface' line does not know its
	 * own address: the one we connected to is it. */
	err = bpd_kdev_nodes(s->kfd, s->numnodes, s->node,
			     m->u.welcome.master_addr ?:
			     S.master.sin_addr.s_addr);
	if (err) {
		bpd_err("the kernel refused the node table's size: %s",
			strerror(-err));
		return err;
	}
	/* The node's processes are those of our PID namespace (the kernel
	 * may be several nodes: each its own bpslave and namespace). */
	{
		int32_t init = bpnsinit_pid(S.ns);

		if (ioctl(s->kfd, BPROC_IOC_NODE_NS, &init)) {
			err = -errno;
			bpd_err("the kernel refused node %d's PID namespace: %s",
				s->node, strerror(errno));
		}
	}
	return err;
}

static int on_refuse(struct session *s, const struct bpwire_msg *m)
{
	(void)s;
	bpd_err("the master refused this node: %.*s (%s)",
		(int)m->u.refuse.reason.len, m->u.refuse.reason.str,
		strerror(-m->hdr.result));
	return -ECONNREFUSED;
}

/* The master's node table into this kernel's mirror. */
static int on_nodes(struct session *s, const struct bpwire_msg *m)
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

int session_ready(struct session *s)
{
	struct bpwire_msg r;

	s->mounting = false;
	s->state = SESS_READY;
	bpwire_init(&r, BPWIRE_READY, 0, s->node, BPROC_NODE_MASTER);
	return send_frame(s, &r);
}

static int on_mount(struct session *s, const struct bpwire_msg *m)
{
	return mounts_add(s, m);
}

static int on_libs(struct session *s, const struct bpwire_msg *m)
{
	int r;

	apply_libs(m);
	/* LIBS is the last of the configuration. */
	if (s->state == SESS_READY || s->mounting)
		return 0;
	/* The node is up once its file systems are mounted (or failed). */
	r = mounts_start(s, s->master_addr);
	if (r > 0) {
		s->mounting = true;
		return 0;
	}
	if (r < 0)
		bpd_warn("cannot mount the configuration's file systems: %s",
			 strerror(-r));
	return session_ready(s);
}

/* ---- heartbeats, goodbye ---------------------------------------------------- */

static int on_ping(struct session *s, const struct bpwire_msg *m)
{
	struct bpwire_msg r;

	bpwire_reply_init(&r, BPWIRE_PONG, m);
	r.u.ping.timestamp = m->u.ping.timestamp;
	return send_frame(s, &r);
}

static int on_pong(struct session *s, const struct bpwire_msg *m)
{
	(void)s;
	(void)m;
	return 0;
}

static int on_bye(struct session *s, const struct bpwire_msg *m)
{
	bpd_info("the master says goodbye: %.*s",
		 (int)m->u.bye.reason.len, m->u.bye.reason.str);
	s->bye_action = m->u.bye.action;
	return -ECONNRESET;
}

/* ---- the table ---------------------------------------------------------------- */

#define IN(st)		(1u << (st))
#define WELCOMED	(IN(SESS_CONFIG) | IN(SESS_READY))
#define ANY		(IN(SESS_HELLO) | WELCOMED)

static const struct frame_handler {
	uint16_t type;
	unsigned int states;	/* IN(SESS_*): where it is legal */
	int (*fn)(struct session *s, const struct bpwire_msg *m);
} frame_table[] = {
	{ BPWIRE_WELCOME,	IN(SESS_HELLO),	on_welcome },
	{ BPWIRE_REFUSE,	ANY,		on_refuse },
	{ BPWIRE_NODES,		WELCOMED,	on_nodes },
	{ BPWIRE_MOUNT,		IN(SESS_CONFIG), on_mount },
	{ BPWIRE_LIBS,		WELCOMED,	on_libs },
	{ BPWIRE_PING,		WELCOMED,	on_ping },
	{ BPWIRE_PONG,		WELCOMED,	on_pong },
	{ BPWIRE_BYE,		WELCOMED,	on_bye },
	{ BPWIRE_MOVE,		WELCOMED,	proc_move },		/* transit.c */
	{ BPWIRE_IMAGE,		WELCOMED,	proc_image },
	{ BPWIRE_MOVE_RESULT,	WELCOMED,	leave_result },
	{ BPWIRE_SIGNAL,	WELCOMED,	proc_signal },
	{ BPWIRE_IO,		WELCOMED,	proc_stdin },		/* io.c */
	{ BPWIRE_CALL_RESULT,	WELCOMED,	call_result },		/* calls.c */
	{ BPWIRE_FILE_ATTR,	WELCOMED,	on_file_reply },	/* files.c */
	{ BPWIRE_FILE_DATA,	WELCOMED,	on_file_reply },
	{ BPWIRE_FILE_ENTRIES,	WELCOMED,	on_file_reply },
};

/* One frame from the master.  Returns 0, or -errno to drop the connection. */
static int master_frame(struct session *s, const struct bpwire_msg *m)
{
	const struct frame_handler *h = NULL;

	for (size_t i = 0; i < sizeof(frame_table) / sizeof(frame_table[0]); i++) {
		if (frame_table[i].type == m->hdr.type) {
			h = &frame_table[i];
			break;
		}
	}
	if (h && (h->states & IN(s->state)))
		return h->fn(s, m);
	if (s->state == SESS_HELLO) {
		bpd_warn("protocol error: %s before WELCOME",
			 bpwire_type_name(m->hdr.type));
		return -EPROTO;
	}
	if (!h)
		bpd_warn("protocol error: unexpected %s",
			 bpwire_type_name(m->hdr.type));
	return -EPROTO;
}

/*
 * The frames received from the master, one by one, until none is left or
 * a departure holds the rest (a process that left, till its copy here is
 * reaped: SPROC_LEFT).  0, or -errno to drop the connection.
 */
int master_frames(struct session *s)
{
	struct bpwire_msg m;
	const char *why = NULL;
	int r = 0, err;

	while (!sproc_held() && (r = bpwire_rx_next(s->c.rx, &m, &why)) > 0) {
		bpd_counts.frames_in++;
		err = master_frame(s, &m);
		if (err)
			return err;
	}
	if (!sproc_held() && r < 0) {
		bpd_warn("malformed frame from the master: %s",
			 why ? why : strerror(-r));
		return r;
	}
	return 0;
}
