/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpslave - the bproc slave daemon: what its files share.
 *
 *   main.c      options, the poll loop of one session, reconnecting
 *   session.c   the connection to the master: HELLO, the frame table
 *   proc.c      the process table: one record per process, hashed
 *   transit.c   processes arriving, leaving, ending
 *   io.c        their stdin, stdout and stderr; descriptors opened here
 *   kdev.c      this node's kernel (/dev/bproc/slave): its message table
 *   calls.c     PID-space calls (seccomp user notification): answering,
 *               forwarding to the master
 *   callrules.c which call runs here and which goes to the master (pure)
 *   fork.c      forks on this node: one at a time, an explicit state
 *   power.c     reboot, halt, power off when the master says so
 *   mounts.c    the file systems the master's configuration lists
 *   nsinit.c    the node's PID-namespace init (nsinit.h)
 */
#ifndef BPROC_BPSLAVE_H
#define BPROC_BPSLAVE_H

#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/seccomp.h>

#include "bpdaemon.h"
#include "bpwire.h"
#include "nsinit.h"

#define SLAVE_DEV	"/dev/bproc/slave"
#define LIBRARIES	"/proc/bproc/libraries"

/* While the connection to the master holds this much, sources wait. */
#define OUT_BUSY	(1u << 20)

/* The daemon's own state, across sessions. */
struct slave {
	struct sockaddr_in master;
	struct in_addr source;	/* -s: connect from this address (0: any) */
	bool shared;		/* -m: one of several nodes of this machine */
	int want_node;
	uint64_t boot_id;
	uint64_t ping_seq;
	struct bpnsinit *ns;	/* the node's process space */
};
extern struct slave S;
extern volatile sig_atomic_t stop_signal;

/* ---- the session: one connection to the master (session.c) ----------- */

/*
 * SESS_HELLO: HELLO sent, WELCOME (or REFUSE) awaited; SESS_CONFIG:
 * welcomed, the node table and the remote-file list coming (LIBS is the
 * last); SESS_READY: READY sent, processes come and go.
 */
enum session_state {
	SESS_HELLO,
	SESS_CONFIG,
	SESS_READY,
};

struct session {
	struct bpd_conn c;
	enum session_state state;
	int kfd;		/* this node's session of /dev/bproc/slave */
	int node;		/* from WELCOME; BPROC_NODE_NONE before */
	int numnodes;
	uint32_t ping_ms;
	uint64_t last_heard, last_ping;
	uint32_t bye_action;	/* BPWIRE_BYE_* received */
	uint32_t master_addr;	/* from WELCOME (network order) */
	bool mounting;		/* LIBS came; READY waits for the mounts */
};

/* Connect, open the kernel's device, say HELLO.  0 or -errno. */
int session_open(struct session *s);
/* The frames received, until none is left or a departure holds them. */
int master_frames(struct session *s);
int send_frame(struct session *s, const struct bpwire_msg *m);
/* The configuration is applied: READY to the master. */
int session_ready(struct session *s);

/* ---- the configuration's file systems (mounts.c) --------------------------- */

/* A MOUNT frame: kept for mounts_start().  0 or -errno. */
int mounts_add(struct session *s, const struct bpwire_msg *m);
/* Start mounting what came (in a child).  1: started, 0: nothing to do, -errno. */
int mounts_start(struct session *s, uint32_t master_addr);
/* The child's results to poll (-1: none); read them: 1 when all are in. */
int mounts_fd(void);
int mounts_ready(struct session *s);
/* Past the deadline: the child is killed, the rest reported.  1 if so. */
int mounts_timeout(struct session *s, uint64_t now);
/* The session ended: stop the child, forget this session's list. */
void mounts_end_session(void);

/* ---- the master's files (files.c) ---------------------------------------- */

/* Where they are mounted (the node's process space sees them in place). */
#define BPSLAVE_MASTER_FS	BPNSINIT_MASTER_FS

/* Mount them (FUSE).  0 or -errno. */
int files_start(void);
/* Unmount them (bpslave stops). */
void files_stop(void);
/* The FUSE descriptor to poll (-1: none), and what to do when it is ready. */
int files_fd(void);
void files_ready(void);
/* The session requests go through (NULL: none; those waiting fail). */
void files_session(struct session *s);
/* FILE_ATTR, FILE_DATA, FILE_ENTRIES from the master. */
int on_file_reply(struct session *s, const struct bpwire_msg *m);
void files_reply(const struct bpwire_msg *m);

/* ---- the process table (proc.c) --------------------------------------- */

/*
 * A process of this node that the master knows: one placed here by the
 * master (a MOVE), or forked here by one of those (its PID and ghost are
 * the master's).
 *
 *   ARRIVING --RESTORED--> RUNNING --kernel MOVE--> LEAVING --master ok--> LEFT --reaped--> (freed)
 *      |                     |  ^                     |   |
 *      FAILED: freed         |  +-----master no-------+   +--it ended--> LEAVING_ENDED --answer--> (EXIT, freed)
 *                            +--it ended: EXIT, freed (forked: REPORTED, freed once reaped here)
 */
enum sproc_state {
	SPROC_ARRIVING,		/* its image comes; init restores it (until RESTORED or FAILED) */
	SPROC_RUNNING,		/* runs here */
	SPROC_LEAVING,		/* moves on: its MOVE is with the master, the answer awaited */
	SPROC_LEAVING_ENDED,	/* ...and it ended meanwhile: told with the answer */
	SPROC_LEFT,		/* arrived elsewhere: this copy ends (the kernel kills it), not news */
	SPROC_REPORTED,		/* forked here, ended, told; gone once its parent here reaped it */
};

/*
 * Where a process is between nodes.  @id: the master's MOVE id while it
 * arrives, the kernel's while it leaves (0 otherwise).  Signals and its end
 * while it leaves wait for the master's answer: they are for wherever the
 * process then is.  @hold_until: once it left, frames from the master wait
 * until its old copy here is reaped (the master may send it right back,
 * and its PID must be free by then), or until this time (ms; 0: no hold).
 */
struct sproc_transit {
	uint64_t id;
	int dst;		/* leaving: to this node (or BPROC_NODE_MASTER) */
	int img;		/* arriving: write end of its image pipe, -1 once it ended */
	uint64_t img_off;	/* ...and the bytes received so far */
	/*
	 * Bytes the restorer has not taken yet (its pipe was full: it may be
	 * waiting for the master's files, whose answers come after these
	 * frames), and whether the image's end came: then the pipe closes
	 * once they are written.
	 */
	char *img_buf;
	size_t img_len, img_cap;
	bool img_end;
	uint64_t sigs;		/* leaving: signals that came meanwhile (bit sig - 1) */
	int status;		/* LEAVING_ENDED: its wait status */
	uint64_t hold_until;	/* LEFT */
};

struct sproc {
	int pid;		/* the master PID, also its PID in the node's namespace */
	enum sproc_state state;
	bool forked;		/* forked here (its parent here reaps it) */
	struct sproc_transit t;
	int in;			/* write end of its stdin pipe, -1 at the end */
	int out[3];		/* read ends of its stdout [1] and stderr [2], -1 at the end */
	/* The table's links. */
	struct sproc *next, *prev;	/* every record, newest first */
	struct sproc *pid_next;		/* same PID bucket */
	struct sproc *tid_next;		/* same transit-id bucket */
};

/* After a process left, frames wait at most this long for its reaping. */
#define HOLD_MAX_MS	5000

/* A new record for @pid in @state (no descriptors), in the table; or NULL. */
struct sproc *sproc_new(int pid, enum sproc_state state);
/* Out of the table; its descriptors closed, freed. */
void sproc_free(struct sproc *sp);
struct sproc *sproc_by_pid(int pid);
/* The ARRIVING (@leaving false) or LEAVING* process with transit id @id. */
struct sproc *sproc_by_transit(uint64_t id, bool leaving);
/* Set (or with 0 clear) @sp's transit id. */
void sproc_set_transit(struct sproc *sp, uint64_t id);
void sproc_set_state(struct sproc *sp, enum sproc_state state);
/* @sp (LEFT) holds the master's frames until @until (ms), or no more (0). */
void sproc_hold(struct sproc *sp, uint64_t until);
/* Does a process hold the master's frames?  (O(1)) */
bool sproc_held(void);
/* The process that holds them, or NULL. */
struct sproc *sproc_holding(void);
/* Every record, newest first (sproc_next of the last is NULL). */
struct sproc *sproc_first(void);
static inline struct sproc *sproc_next(const struct sproc *sp)
{
	return sp->next;
}
size_t sproc_count(void);

/* ---- processes arriving, leaving, ending (transit.c) ------------------ */

int proc_move(struct session *s, const struct bpwire_msg *m);
int proc_image(struct session *s, const struct bpwire_msg *m);
/* Write what the image pipe of @sp takes of its waiting bytes. */
void proc_image_flush(struct sproc *sp);
int leave_result(struct session *s, const struct bpwire_msg *m);
int proc_signal(struct session *s, const struct bpwire_msg *m);
int kernel_leave(struct session *s, const void *msg, size_t len);
int kernel_image(struct session *s, const void *msg, size_t len);
int kernel_exit(struct session *s, const void *msg, size_t len);
int send_exit(struct session *s, struct sproc *sp, int status);
/* Init's news about our processes. */
int proc_events(struct session *s);
/* The session ends: the master ended these processes' ghosts. */
void procs_abandon(void);

/* ---- their standard streams (io.c) ------------------------------------ */

/*
 * Open the descriptors @mv asks for here into @opened (indexed by fd; -1
 * where none).  0, or -errno with those opened so far closed.
 */
int io_open_all(const struct bpwire_move *mv, int opened[3]);
int proc_stdin(struct session *s, const struct bpwire_msg *m);
/* Read what stream @i of @sp has, pass it on; the bytes (0: none, or the end). */
ssize_t proc_output(struct session *s, struct sproc *sp, int i);
/* Pass on what @sp's output pipes hold now, at most @max reads each. */
void proc_output_drain(struct session *s, struct sproc *sp, int max);

/* ---- this node's kernel (kdev.c) -------------------------------------- */

int kernel_input(struct session *s);
/* Answer the kernel's MOVE @id of process @pid to @dst. */
void kernel_move_reply(struct session *s, uint64_t id, int pid, int dst,
		       int result);

/* ---- PID-space calls (calls.c, callrules.c, fork.c) ------------------- */

/* A call waiting for the master's answer. */
struct pending_call {
	uint64_t id;		/* our CALL's id */
	uint64_t notif;		/* the seccomp notification's id */
	int lfd;		/* its listener */
	pid_t host;		/* the caller, in our PID namespace */
	int pid;		/* ... and in the node's (the master PID) */
	uint32_t nr;
	uint64_t args[6];
	uint64_t clone_flags;	/* a fork's, when it was a clone */
	unsigned int tries;	/* a fork's: the master's PIDs taken here */
	struct bproc_call_cred cred;	/* the caller's rights at the call */
	struct pending_call *next;
};

/* A notification held for later (a fork's turn, a caller's arrival). */
struct queued_notif {
	int lfd;
	struct seccomp_notif n;
	struct queued_notif *next;
};

/* A new listener from init (BPNSINIT_LISTENER). */
void calls_listener(int fd);
/* Add the listeners to a poll set (@who: theirs, for calls_ready); count. */
size_t calls_poll(struct pollfd *p, void **who);
/* Listener @who (from calls_poll) had @revents. */
void calls_ready(struct session *s, void *who, short revents);
size_t calls_nlisteners(void);
/* Decide on notification @n of listener @lfd: here, or the master. */
void notif_decide(struct session *s, int lfd, const struct seccomp_notif *n);
void notif_answer(int lfd, uint64_t id, bool cont, long val);
int call_result(struct session *s, const struct bpwire_msg *m);
void calls_interrupt(int pid, int sig);
void calls_end(struct session *s, int pid);
/* Calls held while their callers arrived: decided, if the arrivals were told. */
void calls_arrived(struct session *s);
/* The session ends: listeners closed, calls and forks forgotten. */
void calls_close(void);
/* Ask the master again for fork @c, its PID taken here: 0 or -errno. */
int calls_fork_again(struct session *s, const struct pending_call *c);
/* Take the first pending fork call (BPROC_CALL_FORK), or NULL. */
struct pending_call *calls_take_fork(void);
/* Is @pid a process of this node's namespace (as the namespace sees it)? */
bool ns_has(int pid);
/* Children of process @pid here, of all its threads, into @kids; count. */
int ns_kids(int pid, int *kids, int max);

/*
 * Forks on this node, one at a time: while the master gives a child its
 * PID and init arms ns_last_pid for it, other forks wait in a queue.
 */
enum fork_state {
	FORK_IDLE,	/* none in flight: a fork is decided at once */
	FORK_ASKED,	/* a CALL fork is with the master (since fork.since) */
	FORK_PLACING,	/* its PID is armed in ns_last_pid; the child to take it */
};

/* A fork in flight?  Then @n waits its turn (queued; true). */
bool fork_wait_turn(int lfd, const struct seccomp_notif *n);
/* A fork goes to the master now. */
void fork_asked(void);
/* The fork in flight is over: the next queued ones get their turn. */
void fork_over(struct session *s);
/* ...over, but the queue waits for the next event (a send that failed). */
void fork_over_quiet(void);
/* The master forked the caller's ghost (@val: the child's PID, or -errno). */
void fork_result(struct session *s, struct pending_call *c, long val);
/* A fork the master has not answered for too long fails (EAGAIN). */
void fork_timeout(struct session *s, uint64_t now);
void fork_reset(void);
/* The ghost of a child that will not be made here ends (SIGKILL). */
void fork_lost(struct session *s, int pid);

/* ---- power.c ---------------------------------------------------------- */

void power(uint32_t action);

#endif /* BPROC_BPSLAVE_H */
