/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpmaster's shared types: the nodes, the slave connections, the process
 * table, and the calls each file offers the others.
 *
 *   main.c     options, configuration, set-up, the poll loop
 *   node.c     the node table: status, owners, heartbeats, root's requests
 *   slave.c    slave connections: accept, HELLO, input, output, close
 *   frame.c    a slave's frames, dispatched through a table
 *   proc.c     the process table: one record per process, hashed
 *   route.c    where a process's signals, output, stops and end go
 *   transit.c  moves: master to node, node to node, node to master
 *   call.c     PID-space calls forwarded from the nodes
 *   files.c    the master's files, read by the nodes' processes
 *   kdev.c     the kernel device: its messages, through a table, and ours
 *
 * proc.c, route.c, transit.c and call.c reach the kernel and the slaves
 * only through kdev_*(), local_signal() and slave_send(): the unit tests
 * (tests/unit/test_bpmaster_*.c) link those files with fakes of these.
 */
#ifndef BPROC_BPMASTER_H
#define BPROC_BPMASTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpconfig.h"
#include "bpdaemon.h"
#include "bpwire.h"

#define MASTER_DEV	"/dev/bproc/master"
#define BPROCFS		"/proc/bproc"
/*
 * What nodes reported that their administrator should see (a mount that
 * failed): one file per node, N, one line per report, read by bpstat
 * (cmd/bpstat.c has the same path).  Cleared when the node connects.
 */
#define NOTES_DIR	"/run/bproc/notes"
#define SYSFS_NODES	"/sys/bproc/nodes"

/* ------------------------------------------------------------------ */
/* Slave connections (slave.c, frame.c)                               */
/* ------------------------------------------------------------------ */

/*
 * Where a connection is in its session.  Which frames are legal in which
 * state is frame.c's table.
 */
enum slave_state {
	SLAVE_NEW,		/* accepted, no HELLO yet (node NONE) */
	SLAVE_REFUSED,		/* REFUSE sent: closes once it is out */
	SLAVE_BOOT,		/* WELCOME sent: the node is configured */
	SLAVE_READY,		/* READY received: it takes processes */
	SLAVE_LEAVING,		/* BYE sent: waiting for the slave to close */
};

/* A connection from a slave daemon. */
struct slave {
	struct bpd_conn c;
	enum slave_state state;
	int node;		/* BPROC_NODE_NONE until HELLO is accepted */
	uint64_t opened;	/* bpd_now_ms() at accept */
	uint64_t last_heard;	/* any frame */
	uint64_t last_ping;	/* our last PING */
	uint64_t boot_id;
	uint16_t peer_minor;	/* its HELLO's protocol minor (MOUNT from 2) */
	uint32_t addr;		/* the peer's IPv4 address, network order */
	struct slave *next;
};

/*
 * Bounds on connections that said no HELLO yet (issue 19, item 12): a real
 * bpslave sends HELLO as soon as it is connected.
 */
#define SLAVE_NEW_PER_ADDR	4	/* from one address */
#define SLAVE_NEW_MAX		256	/* in all */
#define SLAVE_HELLO_MS		5000	/* HELLO comes within this, or it closes */
/* A second HELLO for a node finds its session dead if a PING is unanswered
 * this long (issue 19, item 11). */
#define SLAVE_PROBE_MS		1000
/* accept() found no descriptor or memory: the listener rests this long. */
#define ACCEPT_PAUSE_MS		200

/* Has a node, and no goodbye was said (NODES updates, PINGs go to it). */
static inline bool slave_configured(const struct slave *s)
{
	return s->state == SLAVE_BOOT || s->state == SLAVE_READY;
}

/* Takes processes. */
static inline bool slave_usable(const struct slave *s)
{
	return s && s->state == SLAVE_READY;
}

void accept_slave(void);
void slave_hello_deadline(uint64_t now);
void slave_input(struct slave *s);
void slave_close(struct slave *s, const char *why);
/* Queue a frame; a connection that cannot take it is shut down. */
int slave_send(struct slave *s, const struct bpwire_msg *m);
void slave_refuse(struct slave *s, const struct bpwire_msg *req, int err,
		  const char *reason);
void slave_bye(struct slave *s, uint32_t action, const char *reason);
void slave_hello(struct slave *s, const struct bpwire_msg *m);
/* One frame from @s; false: the connection must close. */
bool slave_frame(struct slave *s, const struct bpwire_msg *m);

/* ------------------------------------------------------------------ */
/* Nodes (node.c)                                                     */
/* ------------------------------------------------------------------ */

/* One configured node. */
struct node {
	uint32_t addr;		/* network order; 0: none configured */
	uint32_t status;	/* BPROC_STATUS_*, as told to the kernel */
	uint32_t uid, gid, mode;
	struct slave *slave;	/* its connection, or NULL */
};

/* Node @nr's connection if @nr is a configured node and connected. */
struct slave *node_slave(int nr);
void node_entry(int nr, uint32_t valid, struct bproc_node_entry *e);
void broadcast_node(int nr, uint32_t valid);
void set_status(int nr, uint32_t status, const char *why);
/* A line for node @nr's notes (NOTES_DIR/@nr); NULL clears them. */
void node_note(int nr, const char *text, size_t len);
int node_table_init(void);
void heartbeat(uint64_t now);
/* Carry out a request root made through /sys/bproc/nodes/N/. */
int node_request(const struct bproc_msg_node_req *req);
/* The kernel's node owners changed. */
bool node_owners(const void *buf, size_t n);

/* ------------------------------------------------------------------ */
/* Processes (proc.c)                                                 */
/* ------------------------------------------------------------------ */

/*
 * Where a process is, as far as bpmaster routes for it.  A process on the
 * master that never left has no record.
 *
 *   kernel MOVE ──> TO_NODE ──node says yes──> ON_NODE <───────────┐
 *                     │ no, or node lost            │ node's MOVE   │ no
 *                     v                             v               │
 *                  REFUSED ─last image piece─> NODE_TO_NODE ─yes────┘ (other node)
 *                     │                        RETURNING ─yes─> ON_MASTER
 *                     v                             │ no ──> ON_NODE
 *                  ON_MASTER      EXIT, or node lost with it ──> ENDED
 *
 * ON_MASTER and ENDED records stay only while a node it left may still
 * tell what came for it as it left (@left); then they are freed.
 */
enum proc_state {
	PROC_TO_NODE,		/* the kernel's MOVE went to t.dst = node */
	PROC_REFUSED,		/* that move failed: its image is discarded */
	PROC_ON_NODE,		/* runs on node */
	PROC_NODE_TO_NODE,	/* leaves node for node t.dst, through us */
	PROC_RETURNING,		/* leaves node for the master (its ghost) */
	PROC_ON_MASTER,		/* back on the master, or never got away */
	PROC_ENDED,		/* its ghost ended with its status */
	PROC_NSTATES
};

/*
 * A move under way.  @id: what the kernel or a node answers it by (the
 * kernel's MOVE id for TO_NODE and REFUSED, our MOVE id for NODE_TO_NODE,
 * our BPROC_IOC_RETURN id for RETURNING); hashed.  @out_id: the MOVE id
 * of the slave the process leaves; hashed with the node.
 */
struct transit {
	uint64_t id;
	uint64_t out_id;
	int dst;		/* node, or BPROC_NODE_MASTER */
	bool image_done;	/* TO_NODE/REFUSED: the kernel's last piece came */
	/* Leaving a node: */
	uint64_t img_off;	/* image bytes passed on so far */
	bool img_end;		/* the image ended */
	int pipe;		/* RETURNING: the ghost's pipe (write end) */
	unsigned char *buf;	/* RETURNING: bytes the pipe did not take */
	size_t buf_len;
	uint64_t sigs;		/* signals that wait till it arrived */
	bool exited;		/* the old copy ended meanwhile, ... */
	int exit_status;	/* ... with this status */
};

/* A node @from the process left, and until when it may speak of it. */
struct proc_left {
	int from;
	uint64_t until;
	struct proc_left *next;
};

/* How long a node may tell what came for a process as it left it. */
#define PROC_LEFT_MS	30000

struct proc {
	int pid;
	enum proc_state state;
	int node;		/* TO_NODE: the destination; else where it runs */
	struct transit t;
	struct proc_left *left;
	/*
	 * The process on the master while it is there or on its way to or
	 * from there (TO_NODE, REFUSED, RETURNING, ON_MASTER): a pidfd,
	 * opened while the process is known alive (the kernel holds it in
	 * its move), or -1.  Signals for it on the master go through this
	 * only, never kill(pid): once it ended, its PID may be another
	 * process's (issue 19, item 14).
	 */
	int pidfd;
	/* Links of proc.c's table. */
	struct proc *pid_next, *id_next, *out_next;
	struct proc *prev, *next;	/* in the list of its state */
};

/*
 * The table: all zero is an empty one.  The three hashes have @nbuckets
 * chains each (a power of two, allocated at the first record, doubled
 * whenever there are twice as many records).
 */
struct proctab {
	struct proc **by_pid;
	struct proc **by_id;
	struct proc **by_out;
	size_t nbuckets;
	struct proc *list[PROC_NSTATES];
	size_t count[PROC_NSTATES];
};

const char *proc_state_name(enum proc_state st);
/* Any record of @pid. */
struct proc *proc_find(struct proctab *t, int pid);
/* Find or make @pid's record (a new one is ON_MASTER); NULL: no memory. */
struct proc *proc_get(struct proctab *t, int pid);
void proc_set_state(struct proctab *t, struct proc *p, enum proc_state st);
/* Hash p->t.id as @id (0: none). */
void proc_set_id(struct proctab *t, struct proc *p, uint64_t id);
struct proc *proc_by_id(struct proctab *t, uint64_t id);
/* Hash p->t.out_id as @id from p->node (0: none). */
void proc_set_out(struct proctab *t, struct proc *p, uint64_t id);
struct proc *proc_by_out(struct proctab *t, int node, uint64_t id);
/* The move is over, either way: forget its state, close its pipe. */
void proc_transit_clear(struct proctab *t, struct proc *p);
void proc_free(struct proctab *t, struct proc *p);
/* @p left node @from (now). */
void proc_left_add(struct proc *p, int from, uint64_t now);
/* Did @p leave node @from lately? */
bool proc_left_from(struct proc *p, int from, uint64_t now);
/* ON_MASTER or ENDED and no node will speak of it: free it.  True if so. */
bool proc_settle(struct proctab *t, struct proc *p, uint64_t now);
/* proc_settle() every ON_MASTER and ENDED record. */
void proc_sweep(struct proctab *t, uint64_t now);
void proctab_free(struct proctab *t);
size_t proc_count(const struct proctab *t);

/* Runs on a node, or is on its way from one: bproc routes for it. */
static inline bool proc_remote(const struct proc *p)
{
	return p && (p->state == PROC_TO_NODE || p->state == PROC_ON_NODE ||
		     p->state == PROC_NODE_TO_NODE ||
		     p->state == PROC_RETURNING);
}

/* Leaving its node. */
static inline bool proc_leaving(const struct proc *p)
{
	return p->state == PROC_NODE_TO_NODE || p->state == PROC_RETURNING;
}

/* ------------------------------------------------------------------ */
/* Routing (route.c) and moves (transit.c)                            */
/* ------------------------------------------------------------------ */

/* @sig for @pid, wherever it is now (a node's leftover, or the kernel's). */
void route_signal(int pid, int sig);
void send_signal(struct proc *p, int sig);
void flush_signals(struct proc *p, bool on_master);
/* The ghost of @p ends with @status: the record goes ENDED. */
void proc_end(struct proc *p, int status);
/* Node @nr is gone: every process there ends as killed, moves fail. */
void node_lost(int nr);
bool slave_exit(struct slave *s, const struct bpwire_msg *m);
bool slave_pstate(struct slave *s, const struct bpwire_msg *m);
bool slave_io(struct slave *s, const struct bpwire_msg *m);
bool slave_signal(struct slave *s, const struct bpwire_msg *m);
bool kernel_signal(const void *buf, size_t n);
bool kernel_stdin(const void *buf, size_t n);

bool kernel_move(const void *buf, size_t n);
bool kernel_image(const void *buf, size_t n);
bool kernel_arrived(const void *buf, size_t n);
bool slave_move_result(struct slave *s, const struct bpwire_msg *m);
bool slave_leave(struct slave *s, const struct bpwire_msg *m);
bool slave_image(struct slave *s, const struct bpwire_msg *m);
void transit_failed(struct proc *p, int err);
void transit_done_node(struct proc *p, int nr);
/* Image bytes for a returning process: into its pipe, as far as it takes. */
void pipe_flush(struct proc *p);
/* Images flow from slave @s only while their next hop keeps up. */
bool slave_may_read(const struct slave *s);

/* ------------------------------------------------------------------ */
/* Calls (call.c)                                                     */
/* ------------------------------------------------------------------ */

bool slave_call(struct slave *s, const struct bpwire_msg *m);
bool kernel_call_reply(const void *buf, size_t n);
/* Calls of @pid on @node (every pid if < 0) are never answered. */
void calls_forget(int node, int pid);
void calls_free(void);

/* ------------------------------------------------------------------ */
/* The master's files, for the nodes (files.c)                        */
/* ------------------------------------------------------------------ */

/* How remote-file list @list serves @path (@len bytes, bpwire_fpath_ok()). */
enum { FILES_NO, FILES_WAY, FILES_ALL };
int files_allowed(const char *const *list, const char *path, size_t len);
/* FILE_STAT, FILE_READ, FILE_LIST from slave @s: answered at once. */
bool slave_file(struct slave *s, const struct bpwire_msg *m);
void files_free(void);
extern const char *files_list_path;	/* BPROCFS "/libraries" */
/* The remote-file list as the kernel has it: its length, or -errno. */
int libraries_read(char ***out);
void libraries_free(char **list);

/* ------------------------------------------------------------------ */
/* The kernel (kdev.c)                                                */
/* ------------------------------------------------------------------ */

void kdev_input(void);
void kdev_move_reply(uint64_t id, int pid, int node, int result);
void kdev_exit(int pid, int status);
void kdev_where(int pid, int node);
void kdev_pstate(int pid, int node, int sig);
void kdev_io(int pid, int node, uint32_t stream, const void *data, size_t len);
/* A CALL for the ghost of @pid; our id in *@id.  0 or -errno. */
int kdev_call(int node, const struct bpwire_call *c, uint64_t *id);
/* BPROC_IOC_RETURN: the ghost of @pid reads its image from @fd.  0/-errno. */
int kdev_return(uint64_t id, int pid, int node, int fd);
/*
 * A signal for a process on the master: through @pidfd, which is that
 * process or nothing (-1: dropped).  Never kill(@pid).
 */
void local_signal(int pid, int pidfd, int sig);
/* A pidfd of process @pid (-errno), and its closing. */
int local_pidfd(int pid);
void local_pidfd_close(int pidfd);

/* ------------------------------------------------------------------ */
/* The daemon                                                         */
/* ------------------------------------------------------------------ */

/* Ids of our own MOVEs, returns and calls: never a kernel MOVE id. */
#define OWN_ID		(1ull << 62)

struct master {
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
	uint64_t accept_paused_until;	/* bpd_now_ms(): listener not polled */
	uint64_t ping_seq;
	uint64_t own_seq;	/* OWN_ID + the last id we gave */
	bool failed;		/* stop: an error, not a signal */
	struct proctab procs;
};

extern struct master M;

#endif /* BPROC_BPMASTER_H */
