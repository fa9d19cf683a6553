// SPDX-License-Identifier: GPL-2.0
/*
 * bpmaster's process table, routing and moves (cmd/bpmaster/proc.c,
 * route.c, transit.c, call.c), outside the daemon: the kernel device and
 * the slave connections are fakes here that record what bpmaster sends
 * (kdev_*(), local_signal(), slave_send(), node_slave()), so each test
 * drives the handlers with the messages the kernel and the nodes would
 * send and checks where things went.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bpmaster/bpmaster.h"

/* ---- fakes ------------------------------------------------------------ */

struct master M;

#define NNODES	4
static struct node nodes[NNODES];
static struct slave slaves[NNODES];

/* What bpmaster did, in order. */
enum ev_kind {
	EV_FRAME,	/* a frame to node @node: @type, @id, @pid, @arg, @result */
	EV_MOVE_REPLY,	/* the kernel's MOVE @id answered: @result */
	EV_EXIT,	/* a ghost ended: @pid, @arg = status */
	EV_WHERE,	/* a ghost told: @pid runs on @node */
	EV_LOCAL,	/* kill(@pid, @arg) on the master */
	EV_PSTATE,
	EV_IO,
	EV_CALL,
	EV_RETURN,	/* BPROC_IOC_RETURN: @id, @pid, @node */
};

struct ev {
	enum ev_kind kind;
	int node;
	uint16_t type;
	uint64_t id;
	int pid;
	int arg;
	int result;
};

#define EV_MAX	65536
static struct ev evs[EV_MAX];
static size_t nevs;

static struct ev *ev_add(enum ev_kind kind)
{
	struct ev *e;

	assert_true(nevs < EV_MAX);
	e = &evs[nevs++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	return e;
}

int slave_send(struct slave *s, const struct bpwire_msg *m)
{
	struct ev *e = ev_add(EV_FRAME);

	e->node = s->node;
	e->type = m->hdr.type;
	e->id = m->hdr.id;
	e->result = m->hdr.result;
	switch (m->hdr.type) {
	case BPWIRE_SIGNAL:
		e->pid = m->u.signal.pid;
		e->arg = m->u.signal.sig;
		break;
	case BPWIRE_MOVE:
		e->pid = m->u.move.pid;
		break;
	case BPWIRE_MOVE_RESULT:
		e->pid = m->u.move_result.pid;
		break;
	case BPWIRE_IMAGE:
		e->arg = (int)m->u.image.len;
		break;
	default:
		break;
	}
	return 0;
}

struct slave *node_slave(int nr)
{
	return nr >= 0 && nr < NNODES ? nodes[nr].slave : NULL;
}

void kdev_move_reply(uint64_t id, int pid, int node, int result)
{
	struct ev *e = ev_add(EV_MOVE_REPLY);

	e->id = id;
	e->pid = pid;
	e->node = node;
	e->result = result;
}

void kdev_exit(int pid, int status)
{
	struct ev *e = ev_add(EV_EXIT);

	e->pid = pid;
	e->arg = status;
}

void kdev_where(int pid, int node)
{
	struct ev *e = ev_add(EV_WHERE);

	e->pid = pid;
	e->node = node;
}

void kdev_pstate(int pid, int node, int sig)
{
	struct ev *e = ev_add(EV_PSTATE);

	e->pid = pid;
	e->node = node;
	e->arg = sig;
}

void kdev_io(int pid, int node, uint32_t stream, const void *data, size_t len)
{
	struct ev *e = ev_add(EV_IO);

	(void)data;
	e->pid = pid;
	e->node = node;
	e->arg = (int)stream;
	e->result = (int)len;
}

int kdev_call(int node, const struct bpwire_call *c, uint64_t *id)
{
	struct ev *e = ev_add(EV_CALL);

	e->node = node;
	e->pid = c->pid;
	*id = e->id = ++M.own_seq;
	return 0;
}

static int return_err;

int kdev_return(uint64_t id, int pid, int node, int fd)
{
	struct ev *e = ev_add(EV_RETURN);

	(void)fd;
	e->id = id;
	e->pid = pid;
	e->node = node;
	return return_err;
}

/*
 * The master's processes, as kill(2) sees them: the generation of the
 * process that has each PID now (0: none).  A PID's process ends and an
 * unrelated one gets the PID: a new generation.  EV_LOCAL's @result is the
 * generation the signal reached (0: none).
 */
#define FAKE_PIDS	65536
static int gen_of[FAKE_PIDS], last_gen;

static void fake_spawn(int pid)
{
	gen_of[pid] = ++last_gen;
}

static void fake_exit(int pid)
{
	gen_of[pid] = 0;
}

/* A pidfd: the PID and the generation it was opened on. */
#define FAKE_FDS	4096
static struct { int pid, gen; bool open; } fds[FAKE_FDS];
static int nfds, open_fds;

int local_pidfd(int pid)
{
	if (pid <= 0 || pid >= FAKE_PIDS || !gen_of[pid])
		return -ESRCH;
	assert_true(nfds < FAKE_FDS);
	fds[nfds].pid = pid;
	fds[nfds].gen = gen_of[pid];
	fds[nfds].open = true;
	open_fds++;
	return nfds++;
}

void local_pidfd_close(int fd)
{
	assert_true(fd >= 0 && fd < nfds && fds[fd].open);
	fds[fd].open = false;
	open_fds--;
}

/* pidfd_send_signal(2): the process the pidfd is, if it still runs. */
void local_signal(int pid, int fd, int sig)
{
	struct ev *e;

	if (fd < 0)
		return;
	assert_true(fd < nfds && fds[fd].open && fds[fd].pid == pid);
	if (gen_of[pid] != fds[fd].gen)
		return;		/* ESRCH */
	e = ev_add(EV_LOCAL);
	e->pid = pid;
	e->arg = sig;
	e->result = gen_of[pid];
}

/* ---- what the kernel and the nodes send ------------------------------ */

static uint64_t kernel_ids = 100;

/* The kernel's MOVE of @pid to @node; returns its id. */
static uint64_t k_move(int pid, int node)
{
	struct bproc_msg_move k;

	memset(&k, 0, sizeof(k));
	k.hdr.len = sizeof(k);
	k.hdr.type = BPROC_MSG_MOVE;
	k.hdr.id = ++kernel_ids;
	k.pid = pid;
	k.node = node;
	strcpy(k.comm, "test");
	assert_true(kernel_move(&k, sizeof(k)));
	return k.hdr.id;
}

static void k_image(uint64_t id, int pid, size_t len, bool last)
{
	static unsigned char buf[sizeof(struct bproc_msg_image) + 64];
	struct bproc_msg_image *k = (void *)buf;

	assert_true(len <= 64);
	memset(buf, 0, sizeof(buf));
	k->hdr.type = BPROC_MSG_IMAGE;
	k->hdr.id = id;
	k->pid = pid;
	k->last = last;
	assert_true(kernel_image(k, sizeof(*k) + len));
}

static void k_signal(int pid, int sig)
{
	struct bproc_msg_signal k;

	memset(&k, 0, sizeof(k));
	k.hdr.type = BPROC_MSG_SIGNAL;
	k.pid = pid;
	k.sig = sig;
	assert_true(kernel_signal(&k, sizeof(k)));
}

static void k_arrived(uint64_t id, int pid, int result, bool lost)
{
	struct bproc_msg_arrived k;

	memset(&k, 0, sizeof(k));
	k.hdr.type = BPROC_MSG_ARRIVED;
	k.hdr.id = id;
	k.hdr.result = result;
	k.pid = pid;
	k.lost = lost;
	assert_true(kernel_arrived(&k, sizeof(k)));
}

/* Node @node answers MOVE @id of @pid. */
static bool s_move_result(int node, uint64_t id, int pid, int result)
{
	struct bpwire_msg m;

	bpwire_init(&m, BPWIRE_MOVE_RESULT, id, node, BPROC_NODE_MASTER);
	m.hdr.flags = BPROC_MSGF_REPLY;
	m.hdr.result = result;
	m.u.move_result.pid = pid;
	return slave_move_result(&slaves[node], &m);
}

/* Node @node moves @pid on to @dst (a node or the master) as its MOVE @id. */
static void s_leave(int node, uint64_t id, int pid, int dst)
{
	struct bpwire_msg m;

	bpwire_init(&m, BPWIRE_MOVE, id, node, dst);
	m.u.move.pid = pid;
	strcpy(m.u.move.comm, "test");
	assert_true(slave_leave(&slaves[node], &m));
}

static void s_image_end(int node, uint64_t id, uint64_t offset)
{
	struct bpwire_msg m;

	bpwire_init(&m, BPWIRE_IMAGE, id, node, BPROC_NODE_MASTER);
	m.u.image.offset = offset;
	assert_true(slave_image(&slaves[node], &m));
}

static void s_exit(int node, int pid, int status)
{
	struct bpwire_msg m;

	bpwire_init(&m, BPWIRE_EXIT, 0, node, BPROC_NODE_MASTER);
	m.u.exit.pid = pid;
	m.u.exit.status = status;
	assert_true(slave_exit(&slaves[node], &m));
}

static void s_signal(int node, int pid, int sig)
{
	struct bpwire_msg m;

	bpwire_init(&m, BPWIRE_SIGNAL, 0, node, BPROC_NODE_MASTER);
	m.u.signal.pid = pid;
	m.u.signal.sig = sig;
	assert_true(slave_signal(&slaves[node], &m));
}

/* @pid moved from the master to @node, whole. */
static void on_node(int pid, int node)
{
	uint64_t id = k_move(pid, node);

	k_image(id, pid, 0, true);
	assert_true(s_move_result(node, id, pid, 0));
}

/* ---- checks ----------------------------------------------------------- */

static size_t count(enum ev_kind kind, int pid, int arg)
{
	size_t n = 0;

	for (size_t i = 0; i < nevs; i++)
		if (evs[i].kind == kind && (pid < 0 || evs[i].pid == pid) &&
		    (arg < 0 || evs[i].arg == arg))
			n++;
	return n;
}

/* The one signal frame for @pid, or NULL. */
static const struct ev *signal_frame(int pid, int sig)
{
	for (size_t i = 0; i < nevs; i++)
		if (evs[i].kind == EV_FRAME && evs[i].type == BPWIRE_SIGNAL &&
		    evs[i].pid == pid && evs[i].arg == sig)
			return &evs[i];
	return NULL;
}

static const struct ev *last_frame(int node, uint16_t type)
{
	for (size_t i = nevs; i-- > 0;)
		if (evs[i].kind == EV_FRAME && evs[i].node == node &&
		    evs[i].type == type)
			return &evs[i];
	return NULL;
}

static enum proc_state state_of(int pid)
{
	struct proc *p = proc_find(&M.procs, pid);

	assert_non_null(p);
	return p->state;
}

/* ---- set-up ----------------------------------------------------------- */

static int setup(void **state)
{
	(void)state;
	memset(&M, 0, sizeof(M));
	M.kfd = M.lfd = -1;
	M.own_seq = OWN_ID;
	M.cfg.numnodes = NNODES;
	M.nodes = nodes;
	for (int i = 0; i < NNODES; i++) {
		memset(&slaves[i], 0, sizeof(slaves[i]));
		slaves[i].node = i;
		slaves[i].state = SLAVE_READY;
		slaves[i].c.fd = -1;
		nodes[i] = (struct node){ .status = BPROC_STATUS_UP,
					  .slave = &slaves[i] };
	}
	nevs = 0;
	return_err = 0;
	/* Every PID a test uses is a live process, of its own generation. */
	last_gen = 0;
	for (int pid = 0; pid < FAKE_PIDS; pid++)
		fake_spawn(pid);
	nfds = open_fds = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	proctab_free(&M.procs);
	calls_free();
	/* Every pidfd bpmaster opened, it closed. */
	assert_int_equal(open_fds, 0);
	assert_int_equal(proc_count(&M.procs), 0);
	return 0;
}

/* ---- tests ------------------------------------------------------------ */

static void signal_to_process_on_node_goes_to_that_node(void **state)
{
	const struct ev *e;

	(void)state;
	on_node(500, 2);
	assert_int_equal(state_of(500), PROC_ON_NODE);
	k_signal(500, SIGTERM);
	e = signal_frame(500, SIGTERM);
	assert_non_null(e);
	assert_int_equal(e->node, 2);
	assert_int_equal(count(EV_LOCAL, -1, -1), 0);
}

static void move_result_success_puts_process_on_node(void **state)
{
	uint64_t id;
	const struct ev *e;

	(void)state;
	id = k_move(501, 1);
	assert_int_equal(state_of(501), PROC_TO_NODE);
	assert_non_null(last_frame(1, BPWIRE_MOVE));
	k_image(id, 501, 10, false);
	k_image(id, 501, 0, true);
	/* The data, then the end of the image. */
	assert_int_equal(last_frame(1, BPWIRE_IMAGE)->arg, 0);
	assert_true(s_move_result(1, id, 501, 0));
	e = &evs[nevs - 1];
	assert_int_equal(e->kind, EV_MOVE_REPLY);
	assert_int_equal(e->id, id);
	assert_int_equal(e->result, 0);
	assert_int_equal(state_of(501), PROC_ON_NODE);
	assert_null(proc_by_id(&M.procs, id));
}

static void move_refused_by_node_discards_rest_of_image(void **state)
{
	uint64_t id;
	size_t frames;

	(void)state;
	id = k_move(502, 1);
	k_image(id, 502, 10, false);
	assert_true(s_move_result(1, id, 502, -ENOEXEC));
	assert_int_equal(evs[nevs - 1].kind, EV_MOVE_REPLY);
	assert_int_equal(evs[nevs - 1].result, -ENOEXEC);
	assert_int_equal(state_of(502), PROC_REFUSED);
	/* Signals for it are its own again, on the master. */
	frames = count(EV_FRAME, -1, -1);
	k_image(id, 502, 10, false);
	k_image(id, 502, 0, true);
	assert_int_equal(count(EV_FRAME, -1, -1), frames);
	/* Its last piece came: nothing is left of it. */
	assert_null(proc_find(&M.procs, 502));
}

static void move_to_node_down_is_refused_at_once(void **state)
{
	uint64_t id;

	(void)state;
	nodes[3].slave = NULL;
	id = k_move(503, 3);
	assert_int_equal(evs[nevs - 1].kind, EV_MOVE_REPLY);
	assert_int_equal(evs[nevs - 1].result, -EHOSTDOWN);
	assert_int_equal(state_of(503), PROC_REFUSED);
	k_image(id, 503, 0, true);
	assert_null(proc_find(&M.procs, 503));
}

static void signal_to_process_in_transit_is_delivered_after_arrival(void **state)
{
	const struct ev *relay, *e;

	(void)state;
	on_node(600, 0);
	s_leave(0, 7, 600, 1);
	assert_int_equal(state_of(600), PROC_NODE_TO_NODE);
	relay = last_frame(1, BPWIRE_MOVE);
	assert_non_null(relay);
	assert_true(relay->id & OWN_ID);

	k_signal(600, SIGUSR1);
	assert_null(signal_frame(600, SIGUSR1));	/* it waits */

	s_image_end(0, 7, 0);
	assert_int_equal(last_frame(1, BPWIRE_IMAGE)->id, relay->id);
	assert_true(s_move_result(1, relay->id, 600, 0));
	/* The node left hears it arrived; the ghost where it is; the signal. */
	e = last_frame(0, BPWIRE_MOVE_RESULT);
	assert_non_null(e);
	assert_int_equal(e->id, 7);
	assert_int_equal(e->result, 0);
	assert_int_equal(count(EV_WHERE, 600, -1), 1);
	e = signal_frame(600, SIGUSR1);
	assert_non_null(e);
	assert_int_equal(e->node, 1);
	assert_int_equal(state_of(600), PROC_ON_NODE);
	assert_int_equal(proc_find(&M.procs, 600)->node, 1);
}

static void signal_to_process_in_failed_transit_goes_to_node_it_stayed_on(void **state)
{
	const struct ev *relay;

	(void)state;
	on_node(601, 0);
	s_leave(0, 8, 601, 2);
	relay = last_frame(2, BPWIRE_MOVE);
	k_signal(601, SIGUSR2);
	assert_true(s_move_result(2, relay->id, 601, -ENOMEM));
	assert_int_equal(last_frame(0, BPWIRE_MOVE_RESULT)->result, -ENOMEM);
	assert_int_equal(signal_frame(601, SIGUSR2)->node, 0);
	assert_int_equal(state_of(601), PROC_ON_NODE);
	assert_int_equal(proc_find(&M.procs, 601)->node, 0);
}

static void signal_to_returning_process_is_delivered_on_master_after_arrival(void **state)
{
	uint64_t rid;

	(void)state;
	on_node(602, 1);
	s_leave(1, 9, 602, BPROC_NODE_MASTER);
	assert_int_equal(state_of(602), PROC_RETURNING);
	assert_int_equal(evs[nevs - 1].kind, EV_RETURN);
	rid = evs[nevs - 1].id;
	k_signal(602, SIGHUP);
	assert_int_equal(count(EV_LOCAL, 602, -1), 0);
	k_arrived(rid, 602, 0, false);
	assert_int_equal(count(EV_LOCAL, 602, SIGHUP), 1);
	assert_int_equal(last_frame(1, BPWIRE_MOVE_RESULT)->result, 0);
	assert_int_equal(state_of(602), PROC_ON_MASTER);
	/* The ghost is the process again: the kernel's signals are not ours. */
	k_signal(602, SIGHUP);
	assert_int_equal(count(EV_LOCAL, 602, SIGHUP), 1);
}

static void signal_for_unknown_pid_is_dropped(void **state)
{
	(void)state;
	k_signal(4242, SIGTERM);
	route_signal(4242, SIGTERM);
	assert_int_equal(nevs, 0);
}

static void signal_for_ended_process_is_dropped(void **state)
{
	const struct ev *relay;

	(void)state;
	on_node(603, 0);
	s_leave(0, 10, 603, 1);
	relay = last_frame(1, BPWIRE_MOVE);
	s_image_end(0, 10, 0);
	assert_true(s_move_result(1, relay->id, 603, 0));
	s_exit(1, 603, 9 << 8);
	assert_int_equal(count(EV_EXIT, 603, 9 << 8), 1);
	/* Node 0 may still speak of it: the record stays, ENDED. */
	assert_int_equal(state_of(603), PROC_ENDED);
	nevs = 0;
	k_signal(603, SIGTERM);
	s_signal(0, 603, SIGTERM);	/* left over from node 0 */
	assert_int_equal(nevs, 0);
}

static void leftover_signal_from_node_left_follows_process(void **state)
{
	const struct ev *relay;

	(void)state;
	on_node(604, 0);
	s_leave(0, 11, 604, 3);
	relay = last_frame(3, BPWIRE_MOVE);
	s_image_end(0, 11, 0);
	assert_true(s_move_result(3, relay->id, 604, 0));
	s_signal(0, 604, SIGINT);
	assert_int_equal(signal_frame(604, SIGINT)->node, 3);
	/* A node it never left has nothing to say about it. */
	s_signal(2, 604, SIGQUIT);
	assert_null(signal_frame(604, SIGQUIT));
}

/* Signals that reached generation @gen of @pid on the master. */
static size_t reached(int pid, int gen)
{
	size_t n = 0;

	for (size_t i = 0; i < nevs; i++)
		if (evs[i].kind == EV_LOCAL && evs[i].pid == pid &&
		    evs[i].result == gen)
			n++;
	return n;
}

/*
 * Issue 19, item 14: a process came back to the master and ended there; an
 * unrelated process got its PID.  What node 1 still says of the old one (a
 * SIGNAL, an EXIT by a signal, within PROC_LEFT_MS) must not reach it.
 */
static void late_word_from_node_never_reaches_reused_pid(void **state)
{
	int gen, gen2;
	uint64_t rid;

	(void)state;
	gen = gen_of[610];
	on_node(610, 1);
	s_leave(1, 20, 610, BPROC_NODE_MASTER);
	rid = evs[nevs - 1].id;
	k_arrived(rid, 610, 0, false);
	assert_int_equal(state_of(610), PROC_ON_MASTER);
	/* While it lives, a signal that came for it as it left reaches it. */
	s_signal(1, 610, SIGUSR1);
	assert_int_equal(reached(610, gen), 1);
	/* It ends on the master (bpmaster hears nothing of it) ... */
	fake_exit(610);
	/* ... and root's next daemon gets PID 610. */
	fake_spawn(610);
	gen2 = gen_of[610];
	s_signal(1, 610, SIGKILL);
	s_exit(1, 610, SIGTERM);
	assert_int_equal(reached(610, gen2), 0);
}

static void copy_killed_as_it_left_kills_arrived_copy(void **state)
{
	const struct ev *relay;

	(void)state;
	on_node(605, 0);
	s_leave(0, 12, 605, 2);
	relay = last_frame(2, BPWIRE_MOVE);
	s_image_end(0, 12, 0);
	/* Its old copy ends while it moves: that counts only if it fails. */
	s_exit(0, 605, SIGKILL);
	assert_int_equal(count(EV_EXIT, 605, -1), 0);
	assert_true(s_move_result(2, relay->id, 605, 0));
	assert_int_equal(count(EV_EXIT, 605, -1), 0);
	assert_int_equal(state_of(605), PROC_ON_NODE);
	/* Node 0 tells of its death by SIGTERM, after the fact. */
	s_exit(0, 605, SIGTERM);
	assert_int_equal(signal_frame(605, SIGTERM)->node, 2);
}

static void exit_in_failed_transit_ends_ghost(void **state)
{
	const struct ev *relay;

	(void)state;
	on_node(606, 0);
	s_leave(0, 13, 606, 2);
	relay = last_frame(2, BPWIRE_MOVE);
	s_exit(0, 606, 3 << 8);
	assert_true(s_move_result(2, relay->id, 606, -ENOMEM));
	assert_int_equal(count(EV_EXIT, 606, 3 << 8), 1);
	assert_null(proc_find(&M.procs, 606));
}

static void node_lost_ends_its_processes_as_killed(void **state)
{
	uint64_t moving;

	(void)state;
	on_node(700, 0);
	on_node(701, 0);
	on_node(702, 1);
	moving = k_move(703, 0);	/* on its way, image not done */
	nodes[0].slave = NULL;
	node_lost(0);
	assert_int_equal(count(EV_EXIT, 700, SIGKILL), 1);
	assert_int_equal(count(EV_EXIT, 701, SIGKILL), 1);
	assert_int_equal(count(EV_EXIT, 702, -1), 0);
	assert_int_equal(count(EV_EXIT, 703, -1), 0);
	assert_int_equal(count(EV_MOVE_REPLY, 703, -1), 1);
	for (size_t i = 0; i < nevs; i++)
		if (evs[i].kind == EV_MOVE_REPLY && evs[i].pid == 703)
			assert_int_equal(evs[i].result, -EHOSTDOWN);
	assert_null(proc_find(&M.procs, 700));
	assert_null(proc_find(&M.procs, 701));
	assert_int_equal(state_of(702), PROC_ON_NODE);
	/* The move failed; the rest of its image is discarded. */
	assert_int_equal(state_of(703), PROC_REFUSED);
	k_image(moving, 703, 0, true);
	assert_null(proc_find(&M.procs, 703));
}

static void node_lost_as_destination_leaves_process_where_it_was(void **state)
{
	(void)state;
	on_node(704, 0);
	s_leave(0, 14, 704, 1);
	k_signal(704, SIGUSR1);
	nodes[1].slave = NULL;
	node_lost(1);
	assert_int_equal(last_frame(0, BPWIRE_MOVE_RESULT)->result, -EHOSTDOWN);
	assert_int_equal(state_of(704), PROC_ON_NODE);
	assert_int_equal(proc_find(&M.procs, 704)->node, 0);
	assert_int_equal(signal_frame(704, SIGUSR1)->node, 0);
	assert_int_equal(count(EV_EXIT, 704, -1), 0);
}

static void node_lost_while_leaving_kills_it_unless_it_arrives(void **state)
{
	const struct ev *relay;

	(void)state;
	on_node(705, 0);
	on_node(706, 0);
	s_leave(0, 15, 705, 1);
	s_leave(0, 16, 706, 2);
	s_image_end(0, 15, 0);		/* 705 got out whole */
	nodes[0].slave = NULL;
	node_lost(0);
	/* 706's image is cut short at node 2. */
	assert_int_equal(last_frame(2, BPWIRE_IMAGE)->arg, 0);
	relay = last_frame(1, BPWIRE_MOVE);
	assert_true(s_move_result(1, relay->id, 705, 0));
	assert_int_equal(state_of(705), PROC_ON_NODE);
	assert_int_equal(count(EV_EXIT, 705, -1), 0);
	relay = last_frame(2, BPWIRE_MOVE);
	assert_true(s_move_result(2, relay->id, 706, -EIO));
	assert_int_equal(count(EV_EXIT, 706, SIGKILL), 1);
}

static void forked_child_on_node_gets_record(void **state)
{
	unsigned char buf[sizeof(struct bproc_msg_call)];
	struct bproc_msg_call *k = (void *)buf;
	struct bpwire_msg m;
	uint64_t kid;

	(void)state;
	on_node(800, 2);
	bpwire_init(&m, BPWIRE_CALL, 33, 2, BPROC_NODE_MASTER);
	m.u.call.pid = 800;
	m.u.call.nr = BPROC_CALL_FORK;
	assert_true(slave_call(&slaves[2], &m));
	kid = evs[nevs - 1].id;
	memset(buf, 0, sizeof(buf));
	k->hdr.type = BPROC_MSG_CALL;
	k->hdr.flags = BPROC_MSGF_REPLY;
	k->hdr.id = kid;
	k->hdr.result = 801;
	k->pid = 800;
	k->nr = BPROC_CALL_FORK;
	assert_true(kernel_call_reply(k, sizeof(*k)));
	assert_int_equal(last_frame(2, BPWIRE_CALL_RESULT)->result, 801);
	assert_int_equal(state_of(801), PROC_ON_NODE);
	assert_int_equal(proc_find(&M.procs, 801)->node, 2);
	/* A call whose node went away is never answered; its child ends. */
	assert_true(slave_call(&slaves[2], &m));
	k->hdr.id = evs[nevs - 1].id;
	k->hdr.result = 802;
	calls_forget(2, -1);
	assert_true(kernel_call_reply(k, sizeof(*k)));
	assert_int_equal(count(EV_EXIT, 802, SIGKILL), 1);
}

/* The old 64-entry ring forgot; records do not. */
static void many_departures_are_all_remembered(void **state)
{
	enum { N = 1000 };

	(void)state;
	for (int i = 0; i < N; i++) {
		on_node(10000 + i, i % NNODES);
		s_leave(i % NNODES, 100 + i, 10000 + i, BPROC_NODE_MASTER);
		k_arrived(evs[nevs - 1].id, 10000 + i, 0, false);
	}
	assert_int_equal(M.procs.count[PROC_ON_MASTER], N);
	for (int i = 0; i < N; i++)
		s_signal(i % NNODES, 10000 + i, SIGTERM);
	assert_int_equal(count(EV_LOCAL, -1, SIGTERM), N);
}

static void records_go_once_no_node_may_speak_of_them(void **state)
{
	uint64_t now = bpd_now_ms();
	struct proc *p;

	(void)state;
	on_node(900, 1);
	s_leave(1, 17, 900, BPROC_NODE_MASTER);
	k_arrived(evs[nevs - 1].id, 900, 0, false);
	p = proc_find(&M.procs, 900);
	assert_non_null(p);
	assert_true(proc_left_from(p, 1, now));
	proc_sweep(&M.procs, now);
	assert_non_null(proc_find(&M.procs, 900));
	proc_sweep(&M.procs, now + PROC_LEFT_MS + 1000);
	assert_null(proc_find(&M.procs, 900));
	/* An end with nobody to speak of it leaves nothing. */
	on_node(901, 2);
	s_exit(2, 901, 0);
	assert_null(proc_find(&M.procs, 901));
}

static void hashed_lookup_with_many_entries_and_removal(void **state)
{
	enum { N = 20000 };
	struct proctab *t = &M.procs;

	(void)state;
	for (int i = 0; i < N; i++) {
		struct proc *p = proc_get(t, 3 + i * 7);

		assert_non_null(p);
		assert_ptr_equal(proc_get(t, 3 + i * 7), p);
		p->node = i % 5;
		proc_set_state(t, p, PROC_ON_NODE);
		proc_set_id(t, p, 1000000 + i);
		proc_set_out(t, p, 50 + i / 5);
	}
	assert_int_equal(proc_count(t), N);
	assert_int_equal(t->count[PROC_ON_NODE], N);
	for (int i = 0; i < N; i += 2)
		proc_free(t, proc_find(t, 3 + i * 7));
	assert_int_equal(proc_count(t), N / 2);
	for (int i = 0; i < N; i++) {
		struct proc *p = proc_find(t, 3 + i * 7);

		if (i % 2 == 0) {
			assert_null(p);
			assert_null(proc_by_id(t, 1000000 + i));
			assert_null(proc_by_out(t, i % 5, 50 + i / 5));
			continue;
		}
		assert_non_null(p);
		assert_int_equal(p->pid, 3 + i * 7);
		assert_ptr_equal(proc_by_id(t, 1000000 + i), p);
		assert_ptr_equal(proc_by_out(t, i % 5, 50 + i / 5), p);
		assert_null(proc_by_out(t, (i + 1) % 5, 50 + i / 5 + N));
	}
	assert_null(proc_find(t, 4));
	assert_null(proc_by_id(t, 0));
	/* A record keyed anew is found by its new id only. */
	proc_set_id(t, proc_find(t, 10), 77);
	assert_null(proc_by_id(t, 1000001));
	assert_int_equal(proc_by_id(t, 77)->pid, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(signal_to_process_on_node_goes_to_that_node),
		T(move_result_success_puts_process_on_node),
		T(move_refused_by_node_discards_rest_of_image),
		T(move_to_node_down_is_refused_at_once),
		T(signal_to_process_in_transit_is_delivered_after_arrival),
		T(signal_to_process_in_failed_transit_goes_to_node_it_stayed_on),
		T(signal_to_returning_process_is_delivered_on_master_after_arrival),
		T(signal_for_unknown_pid_is_dropped),
		T(signal_for_ended_process_is_dropped),
		T(leftover_signal_from_node_left_follows_process),
		T(late_word_from_node_never_reaches_reused_pid),
		T(copy_killed_as_it_left_kills_arrived_copy),
		T(exit_in_failed_transit_ends_ghost),
		T(node_lost_ends_its_processes_as_killed),
		T(node_lost_as_destination_leaves_process_where_it_was),
		T(node_lost_while_leaving_kills_it_unless_it_arrives),
		T(forked_child_on_node_gets_record),
		T(many_departures_are_all_remembered),
		T(records_go_once_no_node_may_speak_of_them),
		T(hashed_lookup_with_many_entries_and_removal),
#undef T
	};

	bpd_log_init("test_bpmaster_route", true, 0);
	return cmocka_run_group_tests_name("bpmaster_route", tests, NULL, NULL);
}
