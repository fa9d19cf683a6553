// SPDX-License-Identifier: GPL-2.0
/*
 * Slave connections: accepted from the listening socket, said HELLO to
 * (checked against the configuration, given their node number and the
 * node table), read from, written to through a queue that never blocks
 * the poll loop, closed.  Their frames are frame.c's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bpmaster.h"

void slave_close(struct slave *s, const char *why)
{
	struct slave **pp;

	if (s->node >= 0) {
		struct node *n = &M.nodes[s->node];

		bpd_info("node %d (%s): connection closed: %s", s->node,
			 s->c.peer, why);
		if (n->slave == s) {
			n->slave = NULL;
			set_status(s->node, BPROC_STATUS_DOWN, why);
			node_lost(s->node);
		}
	} else {
		bpd_info("%s: connection closed: %s", s->c.peer, why);
	}
	for (pp = &M.slaves; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	M.nslaves--;
	bpd_conn_close(&s->c);
	free(s);
}

/* Queue a frame; a connection that cannot take it is marked for closing. */
int slave_send(struct slave *s, const struct bpwire_msg *m)
{
	int err = bpd_conn_send(&s->c, m);

	if (err) {
		bpd_warn("%s: send %s: %s", s->c.peer,
			 bpwire_type_name(m->hdr.type), strerror(-err));
		/* The poll loop sees the error (or the full queue) and closes. */
		shutdown(s->c.fd, SHUT_RDWR);
	}
	return err;
}

void slave_refuse(struct slave *s, const struct bpwire_msg *req,
			 int err, const char *reason)
{
	struct bpwire_msg m;

	bpd_warn("%s: refused: %s", s->c.peer, reason);
	bpwire_reply_init(&m, BPWIRE_REFUSE, req);
	m.hdr.result = err;
	m.u.refuse.reason.str = reason;
	m.u.refuse.reason.len = strlen(reason);
	slave_send(s, &m);
	s->state = SLAVE_REFUSED;
}

void slave_bye(struct slave *s, uint32_t action, const char *reason)
{
	struct bpwire_msg m;

	bpwire_init(&m, BPWIRE_BYE, 0, BPROC_NODE_MASTER, s->node);
	m.u.bye.action = action;
	m.u.bye.reason.str = reason;
	m.u.bye.reason.len = strlen(reason);
	slave_send(s, &m);
	s->state = SLAVE_LEAVING;
}

/*
 * Everything a newly accepted slave needs: the table, the file systems to
 * mount, then the file list.
 */
static void slave_configure(struct slave *s)
{
	struct bproc_node_entry *e;
	struct bpwire_msg m;
	char **libs;
	int nr, first, n;
	unsigned int i;

	e = calloc(BPWIRE_NODES_PER_FRAME, sizeof(*e));
	if (!e) {
		shutdown(s->c.fd, SHUT_RDWR);
		return;
	}
	for (first = 0; first < M.cfg.numnodes; first += n) {
		n = M.cfg.numnodes - first;
		if (n > (int)BPWIRE_NODES_PER_FRAME)
			n = BPWIRE_NODES_PER_FRAME;
		for (nr = first; nr < first + n; nr++)
			node_entry(nr, BPROC_NODE_F_ALL, &e[nr - first]);
		bpwire_init(&m, BPWIRE_NODES, 0, BPROC_NODE_MASTER, s->node);
		m.u.nodes.numnodes = M.cfg.numnodes;
		m.u.nodes.first = first;
		m.u.nodes.count = n;
		m.u.nodes.entries = e;
		if (slave_send(s, &m))
			break;
	}
	free(e);

	/*
	 * The file systems to mount, before LIBS, which ends the
	 * configuration: to a slave that knows MOUNT (2.2).
	 */
	for (i = 0; s->peer_minor >= 2 && i < M.cfg.nmounts; i++) {
		bpwire_init(&m, BPWIRE_MOUNT, 0, BPROC_NODE_MASTER, s->node);
		m.u.mount.source = M.cfg.mounts[i].source;
		m.u.mount.target = M.cfg.mounts[i].target;
		m.u.mount.type = M.cfg.mounts[i].type;
		m.u.mount.options = M.cfg.mounts[i].options;
		if (slave_send(s, &m))
			break;
	}

	n = libraries_read(&libs);
	if (n < 0) {
		bpd_warn("cannot read " BPROCFS "/libraries: %s; node %d gets an empty remote-file list",
			 strerror(-n), s->node);
		n = 0;
	}
	bpwire_init(&m, BPWIRE_LIBS, 0, BPROC_NODE_MASTER, s->node);
	m.u.libs.count = n;
	m.u.libs.paths = (const char *const *)libs;
	if (bpd_conn_send(&s->c, &m) == -E2BIG) {
		bpd_warn("the remote-file list does not fit one frame; node %d gets an empty one",
			 s->node);
		m.u.libs.count = 0;
		slave_send(s, &m);
	}
	libraries_free(libs);
}

void slave_hello(struct slave *s, const struct bpwire_msg *m)
{
	const struct bpwire_hello *h = &m->u.hello;
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct bpwire_msg w;
	char reason[160];
	int nr;

	if (getpeername(s->c.fd, (struct sockaddr *)&sin, &len) ||
	    sin.sin_family != AF_INET) {
		slave_refuse(s, m, -EPERM, "not an IPv4 peer");
		return;
	}
	/* Only root on a node can bind a privileged port (as the original). */
	if (ntohs(sin.sin_port) >= 1024) {
		slave_refuse(s, m, -EACCES, "connect from a privileged port (< 1024)");
		return;
	}
	nr = bpconfig_node_by_addr(&M.cfg, sin.sin_addr.s_addr);
	if (h->want_node != BPROC_NODE_NONE) {
		if (h->want_node >= M.cfg.numnodes ||
		    M.cfg.node_addr[h->want_node] != sin.sin_addr.s_addr) {
			snprintf(reason, sizeof(reason),
				 "node %d is not configured for address %s",
				 h->want_node, inet_ntoa(sin.sin_addr));
			slave_refuse(s, m, -EADDRNOTAVAIL, reason);
			return;
		}
		nr = h->want_node;
	} else if (nr < 0) {
		snprintf(reason, sizeof(reason),
			 "address %s is not in the configuration",
			 inet_ntoa(sin.sin_addr));
		slave_refuse(s, m, -EADDRNOTAVAIL, reason);
		return;
	}

	if (M.nodes[nr].slave) {
		struct slave *old = M.nodes[nr].slave;
		uint64_t now = bpd_now_ms();

		/*
		 * A live session is never replaced (issue 19, item 11).  Alive:
		 * it has not left a PING of ours unanswered for SLAVE_PROBE_MS.
		 * If no PING is out, it gets one now: a node that rebooted
		 * finds its old session dead when its bpslave tries again
		 * (backoff 0.5 s, 1 s, ...).
		 */
		if (slave_configured(old) &&
		    !(old->last_ping > old->last_heard &&
		      now - old->last_ping >= SLAVE_PROBE_MS)) {
			if (old->last_ping <= old->last_heard) {
				struct bpwire_msg p;

				bpwire_init(&p, BPWIRE_PING, ++M.ping_seq,
					    BPROC_NODE_MASTER, old->node);
				p.u.ping.timestamp = now;
				old->last_ping = now;
				slave_send(old, &p);
			}
			snprintf(reason, sizeof(reason),
				 "node %d has a live session", nr);
			slave_refuse(s, m, -EBUSY, reason);
			return;
		}
		/* The node came back and its old session is dead or leaving. */
		bpd_info("node %d: new connection from %s (%s); dropping the old one",
			 nr, s->c.peer,
			 old->boot_id == h->boot_id ? "reconnect" : "rebooted");
		old->node = BPROC_NODE_NONE;
		M.nodes[nr].slave = NULL;
		slave_close(old, "replaced by a new connection");
	}
	s->node = nr;
	s->state = SLAVE_BOOT;
	s->boot_id = h->boot_id;
	s->peer_minor = h->minor;
	M.nodes[nr].slave = s;

	bpwire_reply_init(&w, BPWIRE_WELCOME, m);
	w.hdr.src = BPROC_NODE_MASTER;
	w.hdr.dst = nr;
	w.u.welcome.major = BPWIRE_MAJOR;
	w.u.welcome.minor = BPWIRE_MINOR;
	w.u.welcome.node = nr;
	w.u.welcome.numnodes = M.cfg.numnodes;
	w.u.welcome.ping_ms = M.ping_ms;
	w.u.welcome.master_addr = M.master_addr;
	if (slave_send(s, &w))
		return;
	set_status(nr, BPROC_STATUS_BOOT, s->c.peer);
	node_note(nr, NULL, 0);	/* the last boot's */
	slave_configure(s);
}

void slave_input(struct slave *s)
{
	struct bpwire_msg m;
	const char *why = NULL;
	ssize_t n;
	int r;

	n = bpwire_rx_read(s->c.rx, s->c.fd);
	if (n == -EAGAIN)
		return;
	if (n <= 0 && n != -ENOBUFS) {
		if (n == 0 && bpwire_rx_pending(s->c.rx))
			slave_close(s, "end of file in the middle of a frame");
		else
			slave_close(s, n == 0 ? "closed by the slave" :
				    strerror((int)-n));
		return;
	}
	s->last_heard = bpd_now_ms();
	if (n > 0)
		bpd_counts.bytes_in += (uint64_t)n;
	while ((r = bpwire_rx_next(s->c.rx, &m, &why)) > 0) {
		bpd_counts.frames_in++;
		if (!slave_frame(s, &m)) {
			slave_close(s, "protocol");
			return;
		}
	}
	if (r == -EPROTONOSUPPORT && m.hdr.type == BPWIRE_HELLO && s->node < 0) {
		char reason[96];

		/* Say why, so that the slave's log names the mismatch. */
		snprintf(reason, sizeof(reason),
			 "protocol %u.%u, this bpmaster speaks %u.%u",
			 m.u.hello.major, m.u.hello.minor, BPWIRE_MAJOR,
			 BPWIRE_MINOR);
		slave_refuse(s, &m, -EPROTONOSUPPORT, reason);
	} else if (r < 0) {
		char reason[128];

		snprintf(reason, sizeof(reason), "malformed frame: %s",
			 why ? why : strerror(-r));
		slave_close(s, reason);
	}
}

/* Connections without a HELLO yet from @addr, and in all. */
static int unwelcomed(uint32_t addr, int *total)
{
	struct slave *s;
	int n = 0;

	*total = 0;
	for (s = M.slaves; s; s = s->next) {
		if (s->state != SLAVE_NEW)
			continue;
		++*total;
		if (s->addr == addr)
			n++;
	}
	return n;
}

/* Connections that said no HELLO within SLAVE_HELLO_MS go. */
void slave_hello_deadline(uint64_t now)
{
	struct slave *s, *next;

	for (s = M.slaves; s; s = next) {
		next = s->next;
		if (s->state == SLAVE_NEW && now - s->opened >= SLAVE_HELLO_MS)
			slave_close(s, "no HELLO in time");
	}
}

void accept_slave(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct slave *s;
	int fd, one = 1, total;
	uint32_t addr;

	fd = accept4(M.lfd, (struct sockaddr *)&sin, &len,
		     SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0) {
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM) {
			/*
			 * The connection stays in the backlog and the listener
			 * stays readable: without a pause poll() would return
			 * at once, again and again (issue 19, item 12).
			 */
			static uint64_t warned;
			uint64_t now = bpd_now_ms();

			if (!warned || now - warned >= 10000) {
				bpd_warn("accept: %s; pausing %d ms at a time",
					 strerror(errno), ACCEPT_PAUSE_MS);
				warned = now;
			}
			M.accept_paused_until = now + ACCEPT_PAUSE_MS;
		} else if (errno != EAGAIN && errno != EINTR) {
			bpd_warn("accept: %s", strerror(errno));
		}
		return;
	}
	addr = len >= sizeof(sin) && sin.sin_family == AF_INET ?
	       sin.sin_addr.s_addr : 0;
	/* A cluster is at most BPROC_NODES_MAX nodes, plus a margin. */
	if (M.nslaves >= 2 * BPROC_NODES_MAX) {
		bpd_warn("too many connections; refusing one");
		close(fd);
		return;
	}
	/* Before HELLO a connection is nobody's: few per source, and in all. */
	if (unwelcomed(addr, &total) >= SLAVE_NEW_PER_ADDR ||
	    total >= SLAVE_NEW_MAX) {
		bpd_warn("%s: too many connections without HELLO; refusing one",
			 inet_ntoa(sin.sin_addr));
		close(fd);
		return;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	s = calloc(1, sizeof(*s));
	if (!s || bpd_conn_init(&s->c, fd)) {
		bpd_err("out of memory for a connection");
		if (s)
			bpd_conn_close(&s->c);
		else
			close(fd);
		free(s);
		return;
	}
	s->node = BPROC_NODE_NONE;
	s->state = SLAVE_NEW;
	s->addr = addr;
	s->opened = s->last_heard = s->last_ping = bpd_now_ms();
	s->next = M.slaves;
	M.slaves = s;
	M.nslaves++;
	bpd_debug("%s: connected", s->c.peer);
}
