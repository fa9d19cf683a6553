// SPDX-License-Identifier: GPL-2.0
/*
 * The node table: each configured node's status, address and owner, as
 * the kernel (and every slave's mirror of the table) is told; heartbeats;
 * and what root asks through /sys/bproc/nodes/N/.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpmaster.h"

static const char *const status_names[BPROC_STATUS_NR] = {
	"down", "boot", "up", "error", "unavailable", "reboot", "halt", "pwroff",
};

struct slave *node_slave(int nr)
{
	return nr >= 0 && nr < M.cfg.numnodes ? M.nodes[nr].slave : NULL;
}

void node_entry(int nr, uint32_t valid, struct bproc_node_entry *e)
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

/* Send one node's @valid fields to every configured slave's mirror. */
void broadcast_node(int nr, uint32_t valid)
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
		if (!slave_configured(s))
			continue;
		m.hdr.dst = s->node;
		slave_send(s, &m);
	}
}

void set_status(int nr, uint32_t status, const char *why)
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

/* Longest notes file: later lines are dropped, and a note says so. */
#define NOTES_MAX	4096

void node_note(int nr, const char *text, size_t len)
{
	char path[64], buf[BPWIRE_TEXT_MAX + 2];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), NOTES_DIR "/%d", nr);
	if (!text) {
		if (unlink(path) && errno != ENOENT)
			bpd_warn("cannot remove %s: %s", path, strerror(errno));
		return;
	}
	mkdir("/run/bproc", 0755);
	mkdir(NOTES_DIR, 0755);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		bpd_warn("cannot write %s: %s", path, strerror(errno));
		return;
	}
	if (len > BPWIRE_TEXT_MAX)
		len = BPWIRE_TEXT_MAX;
	memcpy(buf, text, len);
	buf[len++] = '\n';
	if (fstat(fd, &st) == 0 && st.st_size + (off_t)len <= NOTES_MAX &&
	    write(fd, buf, len) != (ssize_t)len)
		bpd_warn("cannot write %s: %s", path, strerror(errno));
	close(fd);
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

/* Size the kernel's table, give it every node's address, all down. */
int node_table_init(void)
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

/*
 * Every ping_ms/4: PING every node not heard from for ping_ms/2, and close
 * a connection silent for ping_ms.  A node that dies is therefore marked
 * down between 1 and 1.25 x pingtimeout after the last thing it sent.
 */
void heartbeat(uint64_t now)
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
		if (!slave_configured(s))
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

int node_request(const struct bproc_msg_node_req *req)
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
	struct slave *s;

	if (req->node < 0 || req->node >= M.cfg.numnodes)
		return -EINVAL;
	s = M.nodes[req->node].slave;

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
		if (!slave_usable(s))
			return -EHOSTDOWN;
		set_status(req->node, req->arg, "set by the administrator");
		return 0;
	case BPROC_NODE_REQ_REBOOT:
	case BPROC_NODE_REQ_HALT:
	case BPROC_NODE_REQ_PWROFF:
		if (!s || s->state == SLAVE_LEAVING)
			return -EHOSTDOWN;
		set_status(req->node, pending[req->what], "asked by the administrator");
		slave_bye(s, bye[req->what], "asked by the administrator");
		return 0;
	default:
		return -EINVAL;
	}
}

/* The kernel's owners of nodes (root changed them in sysfs). */
bool node_owners(const void *buf, size_t n)
{
	const struct bproc_msg_node_set *m = buf;
	uint32_t i;

	if (m->count != (n - sizeof(*m)) / sizeof(m->entries[0]))
		return false;
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
	return true;
}
