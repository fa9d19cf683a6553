// SPDX-License-Identifier: GPL-2.0
/*
 * bpmaster - the bproc master daemon.
 *
 *   bpmaster [-c FILE] [-f] [-v] [-t] | -V | -h
 *
 * Reads the configuration (bproc.conf(5)), holds /dev/bproc/master, accepts
 * slave daemons over TCP (Documentation/daemon-protocol.md), gives each its
 * node number, keeps the kernel's node table current, heartbeats the nodes,
 * and carries out what root asks through /sys/bproc/nodes/N/ (status,
 * reboot, halt, pwroff).
 *
 * One thread, one poll() loop: the kernel device, the listening socket and
 * every slave connection.  Output to a slave is queued and never blocks the
 * loop; a slave that stops reading is dropped (BPD_OUT_MAX).  Anything a
 * slave sends is validated by bpwire_decode(); a malformed frame costs that
 * slave its connection and a log line, nothing else.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <glob.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "bpconfig.h"
#include "bpdaemon.h"
#include "bpwire.h"

#define MASTER_DEV	"/dev/bproc/master"
#define BPROCFS		"/proc/bproc"
#define SYSFS_NODES	"/sys/bproc/nodes"

/* A connection from a slave daemon. */
struct slave {
	struct bpd_conn c;
	int node;		/* BPROC_NODE_NONE until HELLO is accepted */
	bool ready;		/* READY received */
	bool closing;		/* BYE sent: waiting for the slave to close */
	uint64_t opened;	/* bpd_now_ms() at accept */
	uint64_t last_heard;	/* any frame */
	uint64_t last_ping;	/* our last PING */
	uint64_t boot_id;
	struct slave *next;
};

/* One configured node. */
struct node {
	uint32_t addr;		/* network order; 0: none configured */
	uint32_t status;	/* BPROC_STATUS_*, as told to the kernel */
	uint32_t uid, gid, mode;
	struct slave *slave;	/* its connection, or NULL */
};

static struct {
	struct bpconfig cfg;
	const char *cfg_path;
	uint32_t master_addr;	/* network order, 0 if unknown */
	uint32_t ping_ms;
	int kfd;		/* /dev/bproc/master */
	int lfd;		/* listening socket */
	struct node *nodes;
	struct slave *slaves;
	int nslaves;
	uint64_t next_tick;
	uint64_t ping_seq;
} M = { .kfd = -1, .lfd = -1 };

/*
 * A process on a node (or on its way there): bpmaster routes its signals,
 * output and end.  @move_id is the kernel's MOVE id until the node answers,
 * then 0.  @dropped: the MOVE was refused at once; its IMAGE messages are
 * discarded.
 *
 * While it moves on from @node (@out_id: the slave's MOVE id, not 0) to
 * @out_dst: another node, through us (@relay_id: our MOVE id there), or
 * the master, where its ghost restores it from a pipe (@ret_id: our
 * BPROC_IOC_RETURN id; @pipe: the pipe's write end; @buf/@buf_len: image
 * bytes the pipe did not take yet; @img_end: the image ended).  Signals
 * for it wait in @sigs until it arrived somewhere; an EXIT from @node
 * meanwhile waits in @exit_status (@exited).
 */
struct rproc {
	int pid;
	int node;
	uint64_t move_id;
	bool dropped;
	bool image_done;	/* the kernel sent the image's last piece */
	uint64_t out_id;
	int out_dst;
	uint64_t relay_id;
	uint64_t ret_id;
	int pipe;
	unsigned char *buf;
	size_t buf_len;
	bool img_end;
	uint64_t img_off;
	uint64_t sigs;
	bool exited;
	int exit_status;
	struct rproc *next;
};

/* Ids of our own MOVEs to nodes and returns: never a kernel MOVE id. */
#define OWN_ID		(1ull << 62)
static uint64_t own_seq = OWN_ID;

static struct rproc *rprocs;

static struct rproc *rproc_by_pid(int pid)
{
	struct rproc *p;

	for (p = rprocs; p; p = p->next)
		if (p->pid == pid && !p->dropped)
			return p;
	return NULL;
}

static struct rproc *rproc_by_move(uint64_t id)
{
	struct rproc *p;

	for (p = rprocs; p; p = p->next)
		if (p->move_id == id)
			return p;
	return NULL;
}

static struct rproc *rproc_by_leave(int node, uint64_t id)
{
	struct rproc *p;

	for (p = rprocs; p; p = p->next)
		if (p->out_id == id && p->node == node)
			return p;
	return NULL;
}

static struct rproc *rproc_by_relay(uint64_t id)
{
	struct rproc *p;

	for (p = rprocs; p; p = p->next)
		if (p->out_id && p->relay_id == id)
			return p;
	return NULL;
}

static struct rproc *rproc_by_return(uint64_t id)
{
	struct rproc *p;

	for (p = rprocs; p; p = p->next)
		if (p->out_id && p->ret_id == id)
			return p;
	return NULL;
}

/*
 * Processes that moved on from a node, for a while: a slave tells what
 * came for a process while it was leaving (signals, its death by a signal)
 * after it left, and only then; bpmaster passes that on to wherever the
 * process is now.  Nothing else from a slave may reach a process that is
 * not on that node.
 */
#define LEFT_MAX	64
#define LEFT_MS		30000
static struct {
	int pid;
	int from;
	uint64_t until;
} departed[LEFT_MAX];
static unsigned int departed_next;

static void left_add(int pid, int from)
{
	departed[departed_next].pid = pid;
	departed[departed_next].from = from;
	departed[departed_next].until = bpd_now_ms() + LEFT_MS;
	departed_next = (departed_next + 1) % LEFT_MAX;
}

static bool left_from(int pid, int from)
{
	uint64_t now = bpd_now_ms();

	for (unsigned int i = 0; i < LEFT_MAX; i++)
		if (departed[i].pid == pid && departed[i].from == from &&
		    departed[i].until > now)
			return true;
	return false;
}

/* The move on from r->node is over (either way): forget its state. */
static void rproc_transit_end(struct rproc *r)
{
	if (r->pipe >= 0)
		close(r->pipe);
	r->pipe = -1;
	free(r->buf);
	r->buf = NULL;
	r->buf_len = 0;
	r->img_end = false;
	r->out_id = r->relay_id = r->ret_id = 0;
}

static void rproc_free(struct rproc *r)
{
	struct rproc **pp;

	for (pp = &rprocs; *pp; pp = &(*pp)->next) {
		if (*pp == r) {
			*pp = r->next;
			rproc_transit_end(r);
			free(r);
			return;
		}
	}
}

static volatile sig_atomic_t stop_signal;
/* Set when bpmaster must stop because of an error, not a signal. */
static bool failed;

static const char *const status_names[BPROC_STATUS_NR] = {
	"down", "boot", "up", "error", "unavailable", "reboot", "halt", "pwroff",
};

/* ------------------------------------------------------------------ */
/* Node state                                                         */
/* ------------------------------------------------------------------ */

static void node_entry(int nr, uint32_t valid, struct bproc_node_entry *e)
{
	const struct node *n = &M.nodes[nr];

	memset(e, 0, sizeof(*e));
	e->node = nr;
	e->valid = valid;
	if (valid & BPROC_NODE_F_STATUS)
		e->status = n->status;
	if (valid & BPROC_NODE_F_ADDR)
		e->addr = n->addr;
	if (valid & BPROC_NODE_F_OWNER) {
		e->uid = n->uid;
		e->gid = n->gid;
		e->mode = n->mode;
	}
}

static int slave_send(struct slave *s, const struct bpwire_msg *m);
static void transit_failed(struct rproc *r, int err);
static void transit_done_node(struct rproc *r, int nr);
static void route_signal(int pid, int sig);
static void calls_forget(int node, int pid);

/* Send one node's @valid fields to every configured slave's mirror. */
static void broadcast_node(int nr, uint32_t valid)
{
	struct bproc_node_entry e;
	struct bpwire_msg m;
	struct slave *s;

	node_entry(nr, valid, &e);
	bpwire_init(&m, BPWIRE_NODES, 0, BPROC_NODE_MASTER, BPROC_NODE_NONE);
	m.u.nodes.numnodes = M.cfg.numnodes;
	m.u.nodes.first = nr;
	m.u.nodes.count = 1;
	m.u.nodes.entries = &e;
	for (s = M.slaves; s; s = s->next) {
		if (s->node < 0 || s->closing)
			continue;
		m.hdr.dst = s->node;
		slave_send(s, &m);
	}
}

static void set_status(int nr, uint32_t status, const char *why)
{
	struct node *n = &M.nodes[nr];
	struct bproc_node_entry e;
	int err;

	if (n->status == status)
		return;
	bpd_info("node %d: %s -> %s%s%s", nr, status_names[n->status],
		 status_names[status], why ? ": " : "", why ? why : "");
	n->status = status;
	node_entry(nr, BPROC_NODE_F_STATUS, &e);
	err = bpd_kdev_node_set(M.kfd, &e, 1);
	if (err)
		bpd_err("cannot tell the kernel node %d is %s: %s", nr,
			status_names[status], strerror(-err));
	broadcast_node(nr, BPROC_NODE_F_STATUS);
}

/* Read a node's owner from sysfs: the kernel keeps it across bpmasters. */
static void read_owner(int nr)
{
	static const char *const files[] = { "user", "group", "mode" };
	uint32_t *vals[] = { &M.nodes[nr].uid, &M.nodes[nr].gid,
			     &M.nodes[nr].mode };
	char path[64], buf[32];
	size_t i;

	for (i = 0; i < 3; i++) {
		FILE *f;

		snprintf(path, sizeof(path), SYSFS_NODES "/%d/%s", nr, files[i]);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f))
			*vals[i] = strtoul(buf, NULL, i == 2 ? 8 : 10);
		fclose(f);
	}
}

/* ------------------------------------------------------------------ */
/* Slaves                                                             */
/* ------------------------------------------------------------------ */

/* Answer the kernel's MOVE @id: 0, the process runs on its node. */
static void kernel_move_reply(uint64_t id, int pid, int node, int result)
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
static void kernel_exit(int pid, int status)
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

/* Node @nr is gone: every process there ends as killed, moves fail. */
static void node_lost(int nr)
{
	struct rproc *r, *next;

	calls_forget(nr, -1);
	for (r = rprocs; r; r = next) {
		next = r->next;
		if (r->out_id && r->relay_id && r->out_dst == nr) {
			/* It was on its way here: it stays where it was. */
			transit_failed(r, -EHOSTDOWN);
			continue;
		}
		if (r->node != nr)
			continue;
		if (r->out_id) {
			/*
			 * It was leaving: if its whole image got out it may
			 * still arrive; else cut it short.  Either way it is
			 * killed unless it arrives.
			 */
			r->exited = true;
			r->exit_status = SIGKILL;
			if (!r->img_end && r->relay_id &&
			    M.nodes[r->out_dst].slave) {
				struct bpwire_msg f;

				bpwire_init(&f, BPWIRE_IMAGE, r->relay_id,
					    BPROC_NODE_MASTER, r->out_dst);
				f.u.image.offset = r->img_off;
				slave_send(M.nodes[r->out_dst].slave, &f);
				r->img_end = true;
			} else if (!r->img_end && r->pipe >= 0) {
				close(r->pipe);
				r->pipe = -1;
			}
			continue;
		}
		if (r->move_id && !r->dropped) {
			kernel_move_reply(r->move_id, r->pid, nr, -EHOSTDOWN);
			/* Its remaining IMAGE messages are dropped. */
			r->dropped = true;
			if (!r->image_done)
				continue;
		}
		if (!r->dropped) {
			bpd_info("process %d ends with node %d", r->pid, nr);
			kernel_exit(r->pid, SIGKILL);
		}
		rproc_free(r);
	}
}

static void slave_close(struct slave *s, const char *why)
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
static int slave_send(struct slave *s, const struct bpwire_msg *m)
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

static void slave_refuse(struct slave *s, const struct bpwire_msg *req,
			 int err, const char *reason)
{
	struct bpwire_msg m;

	bpd_warn("%s: refused: %s", s->c.peer, reason);
	bpwire_reply_init(&m, BPWIRE_REFUSE, req);
	m.hdr.result = err;
	m.u.refuse.reason.str = reason;
	m.u.refuse.reason.len = strlen(reason);
	slave_send(s, &m);
	s->closing = true;
}

static void slave_bye(struct slave *s, uint32_t action, const char *reason)
{
	struct bpwire_msg m;

	bpwire_init(&m, BPWIRE_BYE, 0, BPROC_NODE_MASTER, s->node);
	m.u.bye.action = action;
	m.u.bye.reason.str = reason;
	m.u.bye.reason.len = strlen(reason);
	slave_send(s, &m);
	s->closing = true;
}

/* The remote-file list as the kernel has it, for LIBS. */
static int read_libraries(char ***out)
{
	char **list = NULL, line[4200];
	int n = 0;
	FILE *f;

	*out = NULL;
	f = fopen(BPROCFS "/libraries", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char **p;

		line[strcspn(line, "\n")] = 0;
		if (line[0] != '/')
			continue;
		p = realloc(list, (n + 2) * sizeof(*list));
		if (!p)
			break;
		list = p;
		list[n] = strdup(line);
		if (!list[n])
			break;
		list[++n] = NULL;
	}
	fclose(f);
	*out = list;
	return n;
}

static void free_list(char **list)
{
	char **p;

	for (p = list; p && *p; p++)
		free(*p);
	free(list);
}

/* Everything a newly accepted slave needs: the table, then the file list. */
static void slave_configure(struct slave *s)
{
	struct bproc_node_entry *e;
	struct bpwire_msg m;
	char **libs;
	int nr, first, n;

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

	n = read_libraries(&libs);
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
	free_list(libs);
}

static void slave_hello(struct slave *s, const struct bpwire_msg *m)
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

		/* The node came back before its old connection timed out. */
		bpd_info("node %d: new connection from %s (%s); dropping the old one",
			 nr, s->c.peer,
			 old->boot_id == h->boot_id ? "reconnect" : "rebooted");
		old->node = BPROC_NODE_NONE;
		M.nodes[nr].slave = NULL;
		slave_close(old, "replaced by a new connection");
	}
	s->node = nr;
	s->boot_id = h->boot_id;
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
	slave_configure(s);
}

/* The node's answer to a move. */
static bool slave_move_result(struct slave *s, const struct bpwire_msg *m)
{
	struct rproc *r = rproc_by_relay(m->hdr.id);

	if (r) {
		/* A process we relayed from another node. */
		if (r->out_dst != s->node || r->pid != m->u.move_result.pid) {
			bpd_warn("node %d: protocol error: result of a move it was not sent",
				 s->node);
			return false;
		}
		if (m->hdr.result)
			transit_failed(r, m->hdr.result);
		else
			transit_done_node(r, s->node);
		return true;
	}
	if (m->hdr.id & OWN_ID) {
		/* A relay given up on meanwhile (its source node died). */
		return true;
	}
	r = rproc_by_move(m->hdr.id);

	if (!r || r->node != s->node || r->pid != m->u.move_result.pid) {
		bpd_warn("node %d: protocol error: result of a move it was not sent",
			 s->node);
		return false;
	}
	kernel_move_reply(r->move_id, r->pid, r->node, m->hdr.result);
	if (m->hdr.result) {
		bpd_info("node %d: process %d did not arrive: %s", s->node,
			 r->pid, strerror(-m->hdr.result));
		if (r->image_done)
			rproc_free(r);
		else
			r->dropped = true;	/* the rest of its image goes nowhere */
		return true;
	}
	bpd_debug("node %d: process %d arrived", s->node, r->pid);
	r->move_id = 0;
	return true;
}

static bool slave_exit(struct slave *s, const struct bpwire_msg *m)
{
	struct rproc *r = rproc_by_pid(m->u.exit.pid);

	if ((!r || r->node != s->node) && left_from(m->u.exit.pid, s->node)) {
		/* Killed as it left: the copy that arrived dies the same way. */
		if (m->u.exit.status & 0x7f)
			route_signal(m->u.exit.pid, m->u.exit.status & 0x7f);
		return true;
	}
	if (!r || r->node != s->node || r->move_id) {
		bpd_warn("node %d: EXIT of process %d, which is not there",
			 s->node, m->u.exit.pid);
		return true;
	}
	if (r->out_id) {
		/* Killed on its way out: it counts if it does not arrive. */
		r->exited = true;
		r->exit_status = m->u.exit.status;
		return true;
	}
	kernel_exit(r->pid, m->u.exit.status);
	calls_forget(s->node, r->pid);
	rproc_free(r);
	return true;
}

/* A remote stop: its ghost stops too (continues come from the ghost). */
static bool slave_pstate(struct slave *s, const struct bpwire_msg *m)
{
	struct rproc *r = rproc_by_pid(m->u.pstate.pid);
	struct bproc_msg_pstate k;
	int err;

	if (!r || r->node != s->node || r->move_id ||
	    m->u.pstate.state != BPWIRE_PSTATE_STOPPED)
		return true;
	memset(&k, 0, sizeof(k));
	k.hdr.len = sizeof(k);
	k.hdr.type = BPROC_MSG_PSTATE;
	k.hdr.src = s->node;
	k.hdr.dst = BPROC_NODE_MASTER;
	k.pid = r->pid;
	k.sig = m->u.pstate.sig;
	err = bpd_kdev_write(M.kfd, &k, sizeof(k));
	if (err)
		bpd_warn("cannot stop the ghost of %d: %s", r->pid, strerror(-err));
	return true;
}

static bool slave_io(struct slave *s, const struct bpwire_msg *m)
{
	static unsigned char buf[BPROC_MSG_MAX];
	const size_t max = BPROC_MSG_MAX - sizeof(struct bproc_msg_io);
	struct bproc_msg_io *k = (void *)buf;
	struct rproc *r = rproc_by_pid(m->u.io.pid);
	const unsigned char *p = m->u.io.data;
	size_t left = m->u.io.len;
	int err;

	if (!r || m->u.io.stream == BPWIRE_IO_STDIN ||
	    (r->node != s->node && !(r->relay_id && r->out_dst == s->node)))
		return true;	/* it ended meanwhile */
	/* A wire frame holds a little more than a kernel message. */
	do {
		size_t len = left < max ? left : max;

		memset(k, 0, sizeof(*k));
		k->hdr.len = sizeof(*k) + len;
		k->hdr.type = BPROC_MSG_IO;
		k->hdr.src = s->node;
		k->hdr.dst = BPROC_NODE_MASTER;
		k->pid = r->pid;
		k->stream = m->u.io.stream;
		memcpy(k->data, p, len);
		err = bpd_kdev_write(M.kfd, k, k->hdr.len);
		if (err)
			bpd_warn("output of process %d lost: %s", r->pid,
				 strerror(-err));
		p += len;
		left -= len;
	} while (left);
	return true;
}

/* ---- processes moving on from a node -------------------------------- */

/* Answer slave @s's MOVE @id of @pid to @dst: 0 (it arrived) or why not. */
static void leave_answer(struct slave *s, uint64_t id, int pid, int dst,
			 int result)
{
	struct bpwire_msg req, m;

	if (!s)
		return;
	memset(&req, 0, sizeof(req));
	req.hdr.type = BPWIRE_MOVE;
	req.hdr.id = id;
	req.hdr.src = s->node;
	req.hdr.dst = dst;
	bpwire_reply_init(&m, BPWIRE_MOVE_RESULT, &req);
	m.hdr.result = result;
	m.u.move_result.pid = pid;
	slave_send(s, &m);
}

static void send_signal(struct rproc *r, int sig)
{
	struct slave *s = M.nodes[r->node].slave;
	struct bpwire_msg m;

	if (!s)
		return;
	bpwire_init(&m, BPWIRE_SIGNAL, 0, BPROC_NODE_MASTER, r->node);
	m.u.signal.pid = r->pid;
	m.u.signal.sig = sig;
	slave_send(s, &m);
}

/* Signals that waited for a move, to where the process is now. */
static void flush_signals(struct rproc *r, bool on_master)
{
	for (int sig = 1; sig <= 64; sig++) {
		if (!(r->sigs & (1ull << (sig - 1))))
			continue;
		if (on_master)
			kill(r->pid, sig);	/* it is its own task again */
		else
			send_signal(r, sig);
	}
	r->sigs = 0;
}

/* The move on did not happen: the process goes on (or ended) on r->node. */
static void transit_failed(struct rproc *r, int err)
{
	leave_answer(M.nodes[r->node].slave, r->out_id, r->pid, r->out_dst, err);
	rproc_transit_end(r);
	flush_signals(r, false);
	if (r->exited) {
		kernel_exit(r->pid, r->exit_status);
		rproc_free(r);
	}
}

/* It runs on node @nr now; the old copy ends without a word. */
static void transit_done_node(struct rproc *r, int nr)
{
	struct bproc_msg_where k;
	int err;

	leave_answer(M.nodes[r->node].slave, r->out_id, r->pid, r->out_dst, 0);
	bpd_info("process %d moved from node %d to node %d", r->pid, r->node, nr);
	left_add(r->pid, r->node);
	r->node = nr;
	r->exited = false;	/* that was the old copy's end */
	rproc_transit_end(r);
	memset(&k, 0, sizeof(k));
	k.hdr.len = sizeof(k);
	k.hdr.type = BPROC_MSG_WHERE;
	k.hdr.dst = BPROC_NODE_MASTER;
	k.pid = r->pid;
	k.node = nr;
	err = bpd_kdev_write(M.kfd, &k, sizeof(k));
	if (err)
		bpd_warn("cannot tell the ghost of %d where it runs: %s",
			 r->pid, strerror(-err));
	flush_signals(r, false);
}

/* Image bytes for a returning process: into its pipe, as far as it takes. */
static void pipe_flush(struct rproc *r)
{
	size_t done = 0;

	while (r->pipe >= 0 && done < r->buf_len) {
		ssize_t n = write(r->pipe, r->buf + done, r->buf_len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0) {
			/* The ghost stopped reading: ARRIVED says why. */
			close(r->pipe);
			r->pipe = -1;
			done = r->buf_len;
			break;
		}
		done += n;
	}
	memmove(r->buf, r->buf + done, r->buf_len - done);
	r->buf_len -= done;
	if (r->pipe >= 0 && r->img_end && !r->buf_len) {
		close(r->pipe);		/* end of file: the image is whole */
		r->pipe = -1;
	}
}

/* Slave @s moves process @m->u.move.pid on, to a node or to the master. */
static bool slave_leave(struct slave *s, const struct bpwire_msg *m)
{
	struct rproc *r = rproc_by_pid(m->u.move.pid);
	int dst = m->hdr.dst;
	struct bpwire_msg f;
	struct slave *d;

	if (!r || r->node != s->node || r->move_id || r->out_id) {
		bpd_warn("node %d: moves process %d, which is not there",
			 s->node, m->u.move.pid);
		leave_answer(s, m->hdr.id, m->u.move.pid, dst, -ESRCH);
		return true;
	}
	r->out_id = m->hdr.id;
	r->out_dst = dst;
	r->img_off = 0;
	if (dst == BPROC_NODE_MASTER) {
		struct bproc_return_req q;
		int pfd[2], err;

		if (pipe2(pfd, O_CLOEXEC) < 0) {
			transit_failed(r, -errno);
			return true;
		}
		fcntl(pfd[1], F_SETPIPE_SZ, 1 << 20);
		fcntl(pfd[1], F_SETFL, O_NONBLOCK);
		memset(&q, 0, sizeof(q));
		q.id = ++own_seq;
		q.pid = r->pid;
		q.fd = pfd[0];
		q.node = s->node;
		err = ioctl(M.kfd, BPROC_IOC_RETURN, &q) < 0 ? -errno : 0;
		close(pfd[0]);
		if (err) {
			close(pfd[1]);
			bpd_warn("process %d cannot come back: %s", r->pid,
				 strerror(-err));
			transit_failed(r, err);
			return true;
		}
		r->pipe = pfd[1];
		r->ret_id = q.id;
		bpd_info("process %d (%.16s) comes back from node %d", r->pid,
			 m->u.move.comm, s->node);
		return true;
	}
	d = dst >= 0 && dst < M.cfg.numnodes ? M.nodes[dst].slave : NULL;
	if (dst == s->node || dst < 0 || dst >= M.cfg.numnodes) {
		transit_failed(r, -ENODEV);
		return true;
	}
	if (!d || !d->ready || d->closing ||
	    M.nodes[dst].status != BPROC_STATUS_UP) {
		transit_failed(r, -EHOSTDOWN);
		return true;
	}
	r->relay_id = ++own_seq;
	bpwire_init(&f, BPWIRE_MOVE, r->relay_id, BPROC_NODE_MASTER, dst);
	f.u.move = m->u.move;
	f.u.move.nio = 0;	/* descriptors are opened on a move from here only */
	bpd_info("process %d (%.16s) moves from node %d to node %d", r->pid,
		 m->u.move.comm, s->node, dst);
	if (slave_send(d, &f))
		transit_failed(r, -EHOSTDOWN);
	return true;
}

/* A piece of the image of a process moving on from slave @s. */
static bool slave_image(struct slave *s, const struct bpwire_msg *m)
{
	struct rproc *r = rproc_by_leave(s->node, m->hdr.id);
	struct bpwire_msg f;
	struct slave *d;
	unsigned char *p;

	if (!r || r->img_end)
		return true;	/* refused or over: dropped */
	if (m->u.image.offset != r->img_off) {
		bpd_warn("node %d: image of %d at %llu, expected %llu", s->node,
			 r->pid, (unsigned long long)m->u.image.offset,
			 (unsigned long long)r->img_off);
		return false;
	}
	r->img_off += m->u.image.len;
	r->img_end = !m->u.image.len;
	if (r->relay_id) {
		d = M.nodes[r->out_dst].slave;
		if (!d)
			return true;
		bpwire_init(&f, BPWIRE_IMAGE, r->relay_id, BPROC_NODE_MASTER,
			    r->out_dst);
		f.u.image = m->u.image;
		slave_send(d, &f);
		return true;
	}
	if (r->pipe < 0)
		return true;
	if (m->u.image.len) {
		p = realloc(r->buf, r->buf_len + m->u.image.len);
		if (!p) {
			bpd_err("out of memory for the image of %d", r->pid);
			close(r->pipe);	/* the ghost sees it cut short */
			r->pipe = -1;
			return true;
		}
		memcpy(p + r->buf_len, m->u.image.data, m->u.image.len);
		r->buf = p;
		r->buf_len += m->u.image.len;
	}
	pipe_flush(r);
	return true;
}

/* Images flow from slave @s only while their next hop keeps up. */
static bool slave_may_read(const struct slave *s)
{
	const struct rproc *r;

	for (r = rprocs; r; r = r->next) {
		if (!r->out_id || r->node != s->node)
			continue;
		if (r->pipe >= 0 && r->buf_len > (1u << 20))
			return false;
		if (r->relay_id && M.nodes[r->out_dst].slave &&
		    M.nodes[r->out_dst].slave->c.out_len > (1u << 20))
			return false;
	}
	return true;
}

/* @sig for process @pid, wherever it is now. */
static void route_signal(int pid, int sig)
{
	struct rproc *r = rproc_by_pid(pid);

	if (r && r->out_id)
		r->sigs |= 1ull << (sig - 1);
	else if (r)
		send_signal(r, sig);
	else
		kill(pid, sig);		/* back on the master */
}

/* A signal that came for a process while it left slave @s. */
static bool slave_signal(struct slave *s, const struct bpwire_msg *m)
{
	if (!left_from(m->u.signal.pid, s->node)) {
		bpd_warn("node %d: SIGNAL for process %d, which did not leave it",
			 s->node, m->u.signal.pid);
		return true;
	}
	route_signal(m->u.signal.pid, m->u.signal.sig);
	return true;
}

/* ---- PID-space calls of remote processes ------------------------------- */

/* A call passed to a ghost: whose answer goes where. */
struct pcall {
	uint64_t kid;		/* our id, on the kernel's CALL */
	uint64_t sid;		/* the slave's id */
	int node, pid;
	struct pcall *next;
};

static struct pcall *pcalls;

static void call_answer(int node, uint64_t sid, int pid, uint32_t nr,
			int result, const void *data, size_t len)
{
	struct slave *s = node >= 0 && node < M.cfg.numnodes ?
			  M.nodes[node].slave : NULL;
	struct bpwire_msg req, m;

	if (!s)
		return;
	memset(&req, 0, sizeof(req));
	req.hdr.type = BPWIRE_CALL;
	req.hdr.id = sid;
	req.hdr.src = node;
	req.hdr.dst = BPROC_NODE_MASTER;
	bpwire_reply_init(&m, BPWIRE_CALL_RESULT, &req);
	m.hdr.result = result;
	m.u.call_result.pid = pid;
	m.u.call_result.nr = nr;
	m.u.call_result.data = data;
	m.u.call_result.len = (uint32_t)len;
	slave_send(s, &m);
}

/* Slave @s asks the ghost of one of its processes to make a call. */
static bool slave_call(struct slave *s, const struct bpwire_msg *m)
{
	const struct bpwire_call *c = &m->u.call;
	unsigned char buf[sizeof(struct bproc_msg_call) + BPWIRE_CALL_DATA_MAX];
	struct bproc_msg_call *k = (void *)buf;
	struct rproc *r = rproc_by_pid(c->pid);
	struct pcall *pc;
	int err;

	if (!r || r->node != s->node || r->move_id) {
		call_answer(s->node, m->hdr.id, c->pid, c->nr, -ESRCH, NULL, 0);
		return true;
	}
	pc = calloc(1, sizeof(*pc));
	if (!pc) {
		call_answer(s->node, m->hdr.id, c->pid, c->nr, -ENOMEM, NULL, 0);
		return true;
	}
	memset(k, 0, sizeof(*k));
	k->hdr.len = sizeof(*k) + c->len;
	k->hdr.type = BPROC_MSG_CALL;
	k->hdr.id = ++own_seq;
	k->hdr.src = s->node;
	k->hdr.dst = BPROC_NODE_MASTER;
	k->pid = c->pid;
	k->nr = c->nr;
	memcpy(k->args, c->args, sizeof(k->args));
	if (c->len)
		memcpy(k->data, c->data, c->len);
	err = bpd_kdev_write(M.kfd, k, k->hdr.len);
	if (err) {
		free(pc);
		call_answer(s->node, m->hdr.id, c->pid, c->nr, err, NULL, 0);
		return true;
	}
	pc->kid = k->hdr.id;
	pc->sid = m->hdr.id;
	pc->node = s->node;
	pc->pid = c->pid;
	pc->next = pcalls;
	pcalls = pc;
	return true;
}

/* A ghost made its call: the answer goes back to the node. */
static void kernel_call_reply(const void *buf, size_t n)
{
	const struct bproc_msg_call *k = buf;
	struct pcall **pp, *pc;

	for (pp = &pcalls; (pc = *pp); pp = &pc->next) {
		if (pc->kid != k->hdr.id)
			continue;
		*pp = pc->next;
		if (k->nr == BPROC_CALL_FORK && k->hdr.result > 0 &&
		    !rproc_by_pid(k->hdr.result)) {
			/* Its child: a ghost here, the process on the node. */
			struct rproc *r = calloc(1, sizeof(*r));

			if (r) {
				r->pid = k->hdr.result;
				r->node = pc->node;
				r->pipe = -1;
				r->next = rprocs;
				rprocs = r;
			} else {
				kernel_exit(k->hdr.result, SIGKILL);
			}
		}
		if (n - sizeof(*k) <= BPWIRE_CALL_OUT_MAX)
			call_answer(pc->node, pc->sid, pc->pid, k->nr,
				    k->hdr.result, k->data, n - sizeof(*k));
		free(pc);
		return;
	}
	/*
	 * Its caller or its node is gone: a child forked for it will never
	 * run on the node, and its ghost ends now.
	 */
	if (k->nr == BPROC_CALL_FORK && k->hdr.result > 0)
		kernel_exit(k->hdr.result, SIGKILL);
}

/* Calls of processes gone (or of a node gone) are never answered. */
static void calls_forget(int node, int pid)
{
	struct pcall **pp = &pcalls, *pc;

	while ((pc = *pp)) {
		if (pc->node == node && (pid < 0 || pc->pid == pid)) {
			*pp = pc->next;
			free(pc);
		} else {
			pp = &pc->next;
		}
	}
}

/* The kernel's answer to a return: did the process arrive? */
static void kernel_arrived(const void *buf)
{
	const struct bproc_msg_arrived *k = buf;
	struct rproc *r = rproc_by_return(k->hdr.id);

	if (!r || r->pid != k->pid || k->hdr.result > 0)
		return;
	if (k->hdr.result == 0) {
		bpd_info("process %d is back on the master", r->pid);
		leave_answer(M.nodes[r->node].slave, r->out_id, r->pid,
			     BPROC_NODE_MASTER, 0);
		left_add(r->pid, r->node);
		flush_signals(r, true);
		rproc_free(r);
		return;
	}
	bpd_info("process %d could not come back: %s", r->pid,
		 strerror(-k->hdr.result));
	if (k->lost) {
		/* Its ghost is gone: so must the copy on the node be. */
		r->sigs |= 1ull << (SIGKILL - 1);
	}
	transit_failed(r, k->hdr.result);
}

/* One frame from a slave.  Returns false if the connection must close. */
static bool slave_frame(struct slave *s, const struct bpwire_msg *m)
{
	struct bpwire_msg r;

	if (s->node < 0 && m->hdr.type != BPWIRE_HELLO) {
		bpd_warn("%s: protocol error: %s before HELLO", s->c.peer,
			 bpwire_type_name(m->hdr.type));
		return false;
	}
	switch (m->hdr.type) {
	case BPWIRE_HELLO:
		if (s->node >= 0) {
			bpd_warn("%s: protocol error: second HELLO", s->c.peer);
			return false;
		}
		slave_hello(s, m);
		return true;
	case BPWIRE_READY:
		if (s->ready)
			return true;
		s->ready = true;
		if (M.nodes[s->node].status == BPROC_STATUS_BOOT)
			set_status(s->node, BPROC_STATUS_UP, NULL);
		return true;
	case BPWIRE_PING:
		bpwire_reply_init(&r, BPWIRE_PONG, m);
		r.u.ping.timestamp = m->u.ping.timestamp;
		slave_send(s, &r);
		return true;
	case BPWIRE_PONG:
		return true;
	case BPWIRE_BYE:
		bpd_info("node %d: says goodbye: %.*s", s->node,
			 (int)m->u.bye.reason.len, m->u.bye.reason.str);
		return false;
	case BPWIRE_MOVE_RESULT:
		return slave_move_result(s, m);
	case BPWIRE_MOVE:
		return slave_leave(s, m);
	case BPWIRE_SIGNAL:
		return slave_signal(s, m);
	case BPWIRE_CALL:
		return slave_call(s, m);
	case BPWIRE_IMAGE:
		return slave_image(s, m);
	case BPWIRE_EXIT:
		return slave_exit(s, m);
	case BPWIRE_IO:
		return slave_io(s, m);
	case BPWIRE_PSTATE:
		return slave_pstate(s, m);
	default:
		bpd_warn("%s: protocol error: unexpected %s", s->c.peer,
			 bpwire_type_name(m->hdr.type));
		return false;
	}
}

static void slave_input(struct slave *s)
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
	while ((r = bpwire_rx_next(s->c.rx, &m, &why)) > 0) {
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

static void accept_slave(void)
{
	struct slave *s;
	int fd, one = 1;

	fd = accept4(M.lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0) {
		if (errno != EAGAIN && errno != EINTR)
			bpd_warn("accept: %s", strerror(errno));
		return;
	}
	/* A cluster is at most BPROC_NODES_MAX nodes, plus a margin. */
	if (M.nslaves >= 2 * BPROC_NODES_MAX) {
		bpd_warn("too many connections; refusing one");
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
	s->opened = s->last_heard = s->last_ping = bpd_now_ms();
	s->next = M.slaves;
	M.slaves = s;
	M.nslaves++;
	bpd_debug("%s: connected", s->c.peer);
}

/* ------------------------------------------------------------------ */
/* Heartbeats                                                         */
/* ------------------------------------------------------------------ */

/*
 * Every ping_ms/4: PING every node not heard from for ping_ms/2, and close
 * a connection silent for ping_ms.  A node that dies is therefore marked
 * down between 1 and 1.25 x pingtimeout after the last thing it sent.
 */
static void heartbeat(uint64_t now)
{
	struct slave *s, *next;
	struct bpwire_msg m;

	for (s = M.slaves; s; s = next) {
		next = s->next;
		if (now - s->last_heard >= M.ping_ms) {
			char why[64];

			snprintf(why, sizeof(why), "no answer for %llu ms",
				 (unsigned long long)(now - s->last_heard));
			slave_close(s, why);
			continue;
		}
		if (s->node < 0 || s->closing)
			continue;
		if (now - s->last_ping >= M.ping_ms / 2 &&
		    now - s->last_heard >= M.ping_ms / 2) {
			bpwire_init(&m, BPWIRE_PING, ++M.ping_seq,
				    BPROC_NODE_MASTER, s->node);
			m.u.ping.timestamp = now;
			s->last_ping = now;
			slave_send(s, &m);
		}
	}
}

/* ------------------------------------------------------------------ */
/* The kernel                                                         */
/* ------------------------------------------------------------------ */

/* Carry out a request root made through /sys/bproc/nodes/N/. */
static int node_request(const struct bproc_msg_node_req *req)
{
	static const uint32_t bye[] = {
		[BPROC_NODE_REQ_REBOOT] = BPWIRE_BYE_REBOOT,
		[BPROC_NODE_REQ_HALT] = BPWIRE_BYE_HALT,
		[BPROC_NODE_REQ_PWROFF] = BPWIRE_BYE_PWROFF,
	};
	static const uint32_t pending[] = {
		[BPROC_NODE_REQ_REBOOT] = BPROC_STATUS_REBOOT,
		[BPROC_NODE_REQ_HALT] = BPROC_STATUS_HALT,
		[BPROC_NODE_REQ_PWROFF] = BPROC_STATUS_PWROFF,
	};
	struct node *n;
	struct slave *s;

	if (req->node < 0 || req->node >= M.cfg.numnodes)
		return -EINVAL;
	n = &M.nodes[req->node];
	s = n->slave;

	switch (req->what) {
	case BPROC_NODE_REQ_STATUS:
		if (req->arg == BPROC_STATUS_DOWN) {
			if (s) {
				slave_bye(s, BPWIRE_BYE_NONE, "set down by the administrator");
				bpd_conn_flush(&s->c);
				slave_close(s, "set down by the administrator");
			}
			return 0;
		}
		if (req->arg != BPROC_STATUS_UP && req->arg != BPROC_STATUS_ERROR &&
		    req->arg != BPROC_STATUS_UNAVAILABLE)
			return -EINVAL;
		if (!s || !s->ready || s->closing)
			return -EHOSTDOWN;
		set_status(req->node, req->arg, "set by the administrator");
		return 0;
	case BPROC_NODE_REQ_REBOOT:
	case BPROC_NODE_REQ_HALT:
	case BPROC_NODE_REQ_PWROFF:
		if (!s || s->closing)
			return -EHOSTDOWN;
		set_status(req->node, pending[req->what], "asked by the administrator");
		slave_bye(s, bye[req->what], "asked by the administrator");
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * The kernel moves a process to a node: pass the MOVE on, with the @nio
 * descriptors to open on the node that follow it (1.4).
 */
static void kernel_move(const void *buf, size_t nio)
{
	const struct bproc_msg_move *k = buf;
	const struct bproc_move_io *io = (const void *)(k + 1);
	struct slave *s = NULL;
	struct bpwire_msg m;
	struct rproc *r;

	r = calloc(1, sizeof(*r));
	if (!r) {
		kernel_move_reply(k->hdr.id, k->pid, k->node, -ENOMEM);
		return;
	}
	r->pid = k->pid;
	r->node = k->node;
	r->move_id = k->hdr.id;
	r->pipe = -1;
	r->next = rprocs;
	rprocs = r;

	if (k->node >= 0 && k->node < M.cfg.numnodes)
		s = M.nodes[k->node].slave;
	if (!s || !s->ready || s->closing) {
		kernel_move_reply(k->hdr.id, k->pid, k->node, -EHOSTDOWN);
		r->dropped = true;
		return;
	}
	bpwire_init(&m, BPWIRE_MOVE, k->hdr.id, BPROC_NODE_MASTER, k->node);
	m.u.move.pid = k->pid;
	m.u.move.flags = k->flags;
	m.u.move.uid = k->uid;
	m.u.move.gid = k->gid;
	m.u.move.ppid = k->ppid;
	m.u.move.pgid = k->pgid;
	m.u.move.sid = k->sid;
	m.u.move.image_len = 0;
	bpwire_comm_set(m.u.move.comm, k->comm);
	m.u.move.nio = (uint32_t)nio;
	for (size_t i = 0; i < nio; i++) {
		struct bpwire_move_io *e = &m.u.move.io[i];

		e->fd = io[i].fd;
		e->type = io[i].type;
		e->flags = io[i].flags;
		e->oflags = io[i].oflags;
		e->mode = io[i].mode;
		e->offset = io[i].offset;
		memcpy(e->addr, io[i].addr, sizeof(e->addr));
		memcpy(e->name, io[i].name, sizeof(e->name));
	}
	bpd_info("process %d (%.16s) moves to node %d", k->pid, k->comm,
		 k->node);
	if (slave_send(s, &m)) {
		kernel_move_reply(k->hdr.id, k->pid, k->node, -EHOSTDOWN);
		r->dropped = true;
	}
}

static void kernel_image(const void *buf, size_t n)
{
	const struct bproc_msg_image *k = buf;
	size_t len = n - sizeof(*k);
	struct bpwire_msg m;
	struct rproc *r = rproc_by_move(k->hdr.id);
	struct slave *s;

	if (!r)
		return;
	if (k->last)
		r->image_done = true;
	if (r->dropped) {
		/* Refused or failed early: the image goes nowhere. */
		if (k->last)
			rproc_free(r);
		return;
	}
	s = M.nodes[r->node].slave;
	if (!s)
		return;
	bpwire_init(&m, BPWIRE_IMAGE, k->hdr.id, BPROC_NODE_MASTER, r->node);
	m.u.image.offset = k->offset;
	if (len) {
		m.u.image.data = k->data;
		m.u.image.len = len;
		if (slave_send(s, &m))
			return;
	}
	if (k->last) {
		m.u.image.offset = k->offset + len;
		m.u.image.data = NULL;
		m.u.image.len = 0;
		slave_send(s, &m);
	}
}

static void kernel_signal(const void *buf)
{
	const struct bproc_msg_signal *k = buf;
	struct rproc *r = rproc_by_pid(k->pid);

	if (!r || k->sig < 1 || k->sig > 64)
		return;
	if (r->out_id) {
		r->sigs |= 1ull << (k->sig - 1);	/* till it arrived */
		return;
	}
	send_signal(r, k->sig);
}

/* A ghost's stdin for its process. */
static void kernel_stdin(const void *buf, size_t n)
{
	const struct bproc_msg_io *k = buf;
	struct rproc *r = rproc_by_pid(k->pid);
	struct bpwire_msg m;
	struct slave *s;

	if (!r || k->stream != 0)
		return;
	s = M.nodes[r->node].slave;
	if (!s)
		return;
	bpwire_init(&m, BPWIRE_IO, 0, BPROC_NODE_MASTER, r->node);
	m.u.io.pid = r->pid;
	m.u.io.stream = BPWIRE_IO_STDIN;
	m.u.io.data = k->data;
	m.u.io.len = n - sizeof(*k);
	slave_send(s, &m);
}

static void kernel_input(void)
{
	static unsigned char buf[BPROC_MSG_MAX];
	const struct bproc_msg_hdr *hdr = (const void *)buf;
	ssize_t n;

	n = bpd_kdev_read(M.kfd, buf);
	if (n == -EAGAIN)
		return;
	if (n < 0) {
		bpd_err("reading " MASTER_DEV ": %s", strerror((int)-n));
		failed = true;
		return;
	}
	switch (hdr->type) {
	case BPROC_MSG_NODE_REQ: {
		struct bproc_msg_node_req req;
		int err;

		if (n != sizeof(req))
			break;
		memcpy(&req, buf, sizeof(req));
		err = node_request(&req);
		req.hdr.flags = BPROC_MSGF_REPLY;
		req.hdr.result = err;
		req.hdr.src = BPROC_NODE_MASTER;
		req.hdr.dst = BPROC_NODE_MASTER;
		err = bpd_kdev_write(M.kfd, &req, sizeof(req));
		if (err)
			bpd_err("cannot answer the kernel: %s", strerror(-err));
		return;
	}
	case BPROC_MSG_MOVE: {
		/* Up to BPWIRE_MOVE_IO_MAX descriptors may follow (1.4). */
		size_t extra = (size_t)n - sizeof(struct bproc_msg_move);
		size_t nio = extra / sizeof(struct bproc_move_io);

		if ((size_t)n >= sizeof(struct bproc_msg_move) &&
		    extra % sizeof(struct bproc_move_io) == 0 && nio <= BPWIRE_MOVE_IO_MAX) {
			kernel_move(buf, nio);
			return;
		}
		break;
	}
	case BPROC_MSG_IMAGE:
		if ((size_t)n >= sizeof(struct bproc_msg_image)) {
			kernel_image(buf, n);
			return;
		}
		break;
	case BPROC_MSG_SIGNAL:
		if (n == sizeof(struct bproc_msg_signal)) {
			kernel_signal(buf);
			return;
		}
		break;
	case BPROC_MSG_IO:
		if ((size_t)n >= sizeof(struct bproc_msg_io)) {
			kernel_stdin(buf, n);
			return;
		}
		break;
	case BPROC_MSG_ARRIVED:
		if (n == sizeof(struct bproc_msg_arrived)) {
			kernel_arrived(buf);
			return;
		}
		break;
	case BPROC_MSG_CALL:
		if ((size_t)n >= sizeof(struct bproc_msg_call)) {
			kernel_call_reply(buf, n);
			return;
		}
		break;
	case BPROC_MSG_NODE_SET: {
		const struct bproc_msg_node_set *m = (const void *)buf;
		uint32_t i;

		if ((size_t)n < sizeof(*m) ||
		    m->count != (n - sizeof(*m)) / sizeof(m->entries[0]))
			break;
		for (i = 0; i < m->count; i++) {
			const struct bproc_node_entry *e = &m->entries[i];

			if (e->node < 0 || e->node >= M.cfg.numnodes ||
			    !(e->valid & BPROC_NODE_F_OWNER))
				continue;
			M.nodes[e->node].uid = e->uid;
			M.nodes[e->node].gid = e->gid;
			M.nodes[e->node].mode = e->mode;
			bpd_info("node %d: owner %u, group %u, mode %03o",
				 e->node, e->uid, e->gid, e->mode);
			broadcast_node(e->node, BPROC_NODE_F_OWNER);
		}
		return;
	}
	default:
		break;
	}
	bpd_warn("unexpected message type %u (%zd bytes) from the kernel",
		 hdr->type, n);
}

/* ------------------------------------------------------------------ */
/* Setup                                                              */
/* ------------------------------------------------------------------ */

/* The interface's first IPv4 address, network order; 0 if none. */
static uint32_t interface_addr(const char *ifname)
{
	struct ifaddrs *ifa, *i;
	uint32_t addr = 0;

	if (getifaddrs(&ifa))
		return 0;
	for (i = ifa; i; i = i->ifa_next) {
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET &&
		    !strcmp(i->ifa_name, ifname)) {
			addr = ((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr;
			break;
		}
	}
	freeifaddrs(ifa);
	return addr;
}

/* bproc's file system on /proc/bproc, as the slave image's init mounts it. */
static void mount_bprocfs(void)
{
	if (access(BPROCFS "/libraries", F_OK) == 0)
		return;
	if (mount("bproc", BPROCFS, "bproc", 0, NULL) && errno != EBUSY)
		bpd_warn("cannot mount bproc on " BPROCFS ": %s", strerror(errno));
}

/* Add the config's 'libraries' globs to the kernel's remote-file list. */
static void add_libraries(void)
{
	unsigned int i;
	size_t j;
	int fd;

	if (!M.cfg.nlibraries)
		return;
	fd = open(BPROCFS "/libraries", O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		bpd_warn("cannot open " BPROCFS "/libraries: %s", strerror(errno));
		return;
	}
	for (i = 0; i < M.cfg.nlibraries; i++) {
		glob_t g;

		if (glob(M.cfg.libraries[i], GLOB_MARK, NULL, &g)) {
			bpd_warn("libraries %s: matches nothing", M.cfg.libraries[i]);
			continue;
		}
		for (j = 0; j < g.gl_pathc; j++) {
			char cmd[4200];
			int len = snprintf(cmd, sizeof(cmd), "+%s", g.gl_pathv[j]);

			if (len >= (int)sizeof(cmd) || write(fd, cmd, len) != len)
				bpd_warn("cannot add %s to the remote-file list: %s",
					 g.gl_pathv[j], strerror(errno));
		}
		globfree(&g);
	}
	close(fd);
}

static int setup_listener(void)
{
	struct sockaddr_in sin;
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(M.cfg.port);
	sin.sin_addr.s_addr = M.master_addr;
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) || listen(fd, 256)) {
		int err = -errno;

		bpd_err("cannot listen on %s:%u: %s", inet_ntoa(sin.sin_addr),
			M.cfg.port, strerror(errno));
		close(fd);
		return err;
	}
	M.lfd = fd;
	return 0;
}

/* Size the kernel's table, give it every node's address, all down. */
static int setup_kernel(void)
{
	struct bproc_node_entry *e;
	int nr, err;

	err = bpd_kdev_nodes(M.kfd, M.cfg.numnodes, BPROC_NODE_MASTER,
			     M.master_addr);
	if (err) {
		bpd_err("cannot set up the kernel's node table: %s", strerror(-err));
		return err;
	}
	e = calloc(M.cfg.numnodes, sizeof(*e));
	if (!e)
		return -ENOMEM;
	for (nr = 0; nr < M.cfg.numnodes; nr++) {
		M.nodes[nr].addr = M.cfg.node_addr[nr];
		M.nodes[nr].status = BPROC_STATUS_DOWN;
		read_owner(nr);
		node_entry(nr, BPROC_NODE_F_STATUS | BPROC_NODE_F_ADDR, &e[nr]);
	}
	err = bpd_kdev_node_set(M.kfd, e, M.cfg.numnodes);
	free(e);
	if (err)
		bpd_err("cannot set the kernel's node table: %s", strerror(-err));
	return err;
}

static void on_signal(int sig)
{
	stop_signal = sig;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: bpmaster [-c FILE] [-f] [-v] [-t] | -V | -h\n"
		   "  -c FILE  configuration file (default " BPCONFIG_PATH ")\n"
		   "  -f       stay in the foreground, log to standard error\n"
		   "  -v       verbose: log debugging detail too\n"
		   "  -t       check the configuration file and exit\n"
		   "  -V       print the version and exit\n");
}

/* ------------------------------------------------------------------ */
/* The loop                                                           */
/* ------------------------------------------------------------------ */

/* No slave has more than 1 MiB waiting to go out. */
static bool slaves_keeping_up(void)
{
	struct slave *s;

	for (s = M.slaves; s; s = s->next)
		if (s->c.out_len > (1u << 20))
			return false;
	return true;
}

static void run(void)
{
	struct pollfd *pfd = NULL;
	struct slave **who = NULL;
	size_t cap = 0;
	sigset_t empty;

	sigemptyset(&empty);
	M.next_tick = bpd_now_ms() + M.ping_ms / 4;
	while (!stop_signal && !failed) {
		struct timespec ts;
		struct slave *s, *next;
		uint64_t now;
		size_t n = 0, i;
		int timeout;

		size_t npipes = 0;
		struct rproc *r;

		for (r = rprocs; r; r = r->next)
			if (r->pipe >= 0 && r->buf_len)
				npipes++;
		if (cap < (size_t)M.nslaves + 2 + npipes) {
			cap = M.nslaves + npipes + 64;
			pfd = realloc(pfd, cap * sizeof(*pfd));
			who = realloc(who, cap * sizeof(*who));
			if (!pfd || !who) {
				bpd_err("out of memory");
				exit(1);
			}
		}
		/* Images come from the kernel faster than a slave takes them:
		 * read the kernel only while every slave keeps up. */
		pfd[n++] = (struct pollfd){
			.fd = M.kfd,
			.events = slaves_keeping_up() ? POLLIN : 0,
		};
		pfd[n++] = (struct pollfd){ .fd = M.lfd, .events = POLLIN };
		for (s = M.slaves; s; s = s->next) {
			who[n] = s;
			pfd[n++] = (struct pollfd){
				.fd = s->c.fd,
				.events = (slave_may_read(s) ? POLLIN : 0) |
					  (bpd_conn_busy(&s->c) ? POLLOUT : 0),
			};
		}
		/* Images of processes coming back, into their pipes. */
		for (r = rprocs; r; r = r->next) {
			if (r->pipe < 0 || !r->buf_len)
				continue;
			who[n] = NULL;
			pfd[n++] = (struct pollfd){ .fd = r->pipe,
						    .events = POLLOUT };
		}
		now = bpd_now_ms();
		timeout = M.next_tick > now ? (int)(M.next_tick - now) : 0;
		ts.tv_sec = timeout / 1000;
		ts.tv_nsec = (timeout % 1000) * 1000000L;
		if (ppoll(pfd, n, &ts, &empty) < 0 && errno != EINTR) {
			bpd_err("poll: %s", strerror(errno));
			exit(1);
		}
		if (stop_signal)
			break;
		if (pfd[0].revents)
			kernel_input();
		if (pfd[1].revents)
			accept_slave();
		/* Slaves may be closed on the way: walk the poll set, check
		 * each is still listed before touching it. */
		for (r = rprocs; r; r = r->next)
			if (r->pipe >= 0 && r->buf_len)
				pipe_flush(r);
		for (i = 2; i < n; i++) {
			bool alive = false;

			if (!pfd[i].revents || pfd[i].fd < 0 || !who[i])
				continue;
			for (s = M.slaves; s; s = s->next)
				if (s == who[i] && s->c.fd == pfd[i].fd)
					alive = true;
			if (!alive)
				continue;
			s = who[i];
			if (pfd[i].revents & POLLOUT) {
				int err = bpd_conn_flush(&s->c);

				if (err) {
					slave_close(s, strerror(-err));
					continue;
				}
			}
			if (pfd[i].revents & (POLLIN | POLLERR | POLLHUP))
				slave_input(s);
		}
		now = bpd_now_ms();
		if (now >= M.next_tick) {
			heartbeat(now);
			M.next_tick = now + M.ping_ms / 4;
		}
		/* Refused slaves go once their REFUSE is out. */
		for (s = M.slaves; s; s = next) {
			next = s->next;
			if (s->closing && s->node < 0 && !bpd_conn_busy(&s->c))
				slave_close(s, "refused");
		}
	}
	free(pfd);
	free(who);
}

int main(int argc, char **argv)
{
	bool foreground = false, check_only = false;
	char err[512];
	struct sigaction sa;
	sigset_t block;
	int opt;

	M.cfg_path = BPCONFIG_PATH;
	while ((opt = getopt(argc, argv, "c:fvtVh")) != -1) {
		switch (opt) {
		case 'c':
			M.cfg_path = optarg;
			break;
		case 'f':
			foreground = true;
			break;
		case 'v':
			bpd_verbose = true;
			break;
		case 't':
			check_only = true;
			break;
		case 'V':
			printf("bpmaster %s\n", BPROC_VERSION_STRING);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}

	if (bpconfig_parse_file(M.cfg_path, &M.cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "bpmaster: %s\n", err);
		return 1;
	}
	if (check_only) {
		printf("%s: %d nodes, port %u, pingtimeout %u s, %u library globs\n",
		       M.cfg_path, M.cfg.numnodes, M.cfg.port, M.cfg.pingtimeout,
		       M.cfg.nlibraries);
		return 0;
	}
	M.ping_ms = M.cfg.pingtimeout * 1000;
	if (M.cfg.interface[0]) {
		M.master_addr = M.cfg.interface_addr ?:
				interface_addr(M.cfg.interface);
		if (!M.master_addr) {
			fprintf(stderr, "bpmaster: %s: interface %s has no IPv4 address\n",
				M.cfg_path, M.cfg.interface);
			return 1;
		}
	}
	M.nodes = calloc(M.cfg.numnodes, sizeof(*M.nodes));
	if (!M.nodes) {
		fprintf(stderr, "bpmaster: out of memory\n");
		return 1;
	}

	/* Set-up errors go to stderr, where whoever started us sees them. */
	bpd_log_init("bpmaster", true, M.cfg.logfacility);
	M.kfd = bpd_kdev_open(MASTER_DEV);
	if (M.kfd < 0) {
		if (M.kfd == -EBUSY)
			fprintf(stderr, "bpmaster: another bpmaster is running (" MASTER_DEV " is busy)\n");
		return 1;
	}
	if (setup_listener() || setup_kernel())
		return 1;
	mount_bprocfs();
	add_libraries();
	if (!foreground) {
		if (daemon(0, 0)) {
			bpd_err("cannot become a daemon: %s", strerror(errno));
			return 1;
		}
		bpd_log_init("bpmaster", false, M.cfg.logfacility);
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	/* No reloading: a changed configuration needs a restart (the slaves
	 * reconnect to the new bpmaster on their own). */
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, NULL);

	bpd_info("version %s: %d nodes, listening on %s:%u, pingtimeout %u s",
		 BPROC_VERSION_STRING, M.cfg.numnodes,
		 inet_ntoa((struct in_addr){ M.master_addr }), M.cfg.port,
		 M.cfg.pingtimeout);
	run();
	if (failed)
		bpd_err("stopping after an error");
	else
		bpd_info("stopping on signal %d", (int)stop_signal);

	/* The slaves see the connection end and reconnect to the next one. */
	while (M.slaves)
		slave_close(M.slaves, "bpmaster stopping");
	close(M.lfd);
	close(M.kfd);
	free(M.nodes);
	bpconfig_free(&M.cfg);
	return failed ? 1 : 0;
}
