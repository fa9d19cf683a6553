// SPDX-License-Identifier: GPL-2.0
/*
 * Moving a process to a node, and its ghost on the master.
 *
 * BPROC_IOC_MOVE, called by the process itself: it is dumped (VMADump,
 * module/vmad_dump.c) into BPROC_MSG_IMAGE messages on bpmaster's session,
 * after a BPROC_MSG_MOVE request; bpmaster sends the image to the node's
 * bpslave, which restores it in the node's PID namespace at the same PID,
 * and answers.  On success the restored process returns 0 from this very
 * ioctl on the node, and the caller on the master becomes its ghost: the
 * same task, sleeping in the ioctl for the rest of its life.
 *
 * A ghost costs O(1) memory: it closes every descriptor but 0, 1 and 2,
 * unmaps its whole address space except one page of arguments (so that
 * ps and /proc/PID/cmdline still show the command line) and one page of
 * code (a syscall instruction to exit through).  Then it
 *  - forwards every signal it receives to the remote process
 *    (BPROC_MSG_SIGNAL): while it sleeps every catchable signal has a
 *    placeholder handler, so that signals whose default is to ignore or
 *    to kill are queued for it to take, not acted on by the kernel
 *    (KERNEL-NOTES.md, "A ghost as a task sleeping in an ioctl");
 *  - writes the remote process's output (BPROC_MSG_IO) to its own
 *    descriptors 1 and 2, i.e. wherever the process's output went on the
 *    master, and closes them at end of file;
 *  - ends with the remote process's wait status (BPROC_MSG_EXIT): killed
 *    by the same signal (its default action, no core dump), or exit_group()
 *    with the same code through the code page.
 *
 * If bpmaster goes away, or the node dies (bpmaster then sends EXIT with
 * SIGKILL), every ghost ends as killed by SIGKILL: no parent waits forever.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/bproc.h>
#include <linux/cred.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/in.h>
#include <linux/anon_inodes.h>
#include <linux/llist.h>
#include <linux/pid_namespace.h>
#include <linux/binfmts.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/seq_file.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/task_work.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <asm/ptrace.h>
#include <asm/syscall.h>
#include <asm/unistd.h>

#include "internal.h"
#include "chan.h"

/* Image data queued on bpmaster's session before the mover waits. */
#define GHOST_QUEUE_LIMIT	SZ_1M
/* Output queued for one ghost before more is dropped (with a log line). */
#define GHOST_IO_LIMIT		SZ_16M
/* How long a mover waits for the node's answer. */
#define GHOST_MOVE_TIMEOUT	(300 * HZ)

/* Children forked on a node a ghost follows (struct bproc_ghost.forked). */
#define GHOST_FORKED_MAX	64

/* A PID-space call to make (BPROC_MSG_CALL). */
struct ghost_call {
	u64 id;
	u32 nr;
	u64 args[6];
	u8 info[BPROC_SIGINFO_SIZE];	/* rt_(tg)sigqueueinfo's */
	long orig_options;		/* a wait's, before WNOHANG is added */
};

/*
 * The ghost's code page: at 0 "syscall; ud2" (exit_group, and the restart
 * of a stopped ghost at 2); at GHOST_CALL_CODE the call snippet:
 * "syscall; mov rdx,rax; mov edi,FD; mov esi,BPROC_IOC_GHOST_CALLRET;
 * mov eax,__NR_ioctl; syscall; ud2", FD the ghost's resume descriptor.
 */
#define GHOST_CALL_CODE		16
/* The data page: where a call's pointer arguments point. */
#define GHOST_OUT_STATUS	0
#define GHOST_OUT_INFO		64
#define GHOST_OUT_RUSAGE	256
#define GHOST_IN_INFO		512

/* One piece of remote output waiting for its ghost to write it. */
struct ghost_io {
	struct list_head list;
	u32 stream;
	size_t len;
	u8 data[];
};

/**
 * struct bproc_ghost - a remote process's stand-in on the master
 * @list:     in bproc_ghosts.
 * @pid:      the process's PID (initial namespace).
 * @node:     where it runs.
 * @lock:     protects @io, @io_bytes, @exited, @status.
 * @io:       output to write (struct ghost_io).
 * @io_bytes: bytes in @io.
 * @exited:   the remote process ended...
 * @status:   ...with this wait status.
 * @wq:       the ghost sleeps here.
 * @in:       its descriptor 0 when stdin is forwarded (BPROC_MOVE_STDIN).
 * @in_pt:    polls @in, adding @in_wait to @in_wqh, @in's wait queue,
 * @in_wait:  whose wake sets @in_ready and wakes @wq.
 * @in_wqh:
 * @in_ready: @in may have something to read.
 * @moved:    the process runs on @node (not just on its way there).
 * @stop_sig: the remote process stopped with this signal: so must the
 *            ghost (under @lock).
 * @code:     the ghost's code page.
 * @resume_fd: the descriptor a stopped ghost re-enters its loop through
 *            (BPROC_IOC_GHOST, by syscall restart), -1 until needed.
 * @tgid:     the ghost's own process: a ghost killed while stopped (outside
 *            our code) is found by the reaper through it.
 * @ret_src:  the process comes back: its image is read from here (a pipe
 * @ret_id:   from bpmaster, BPROC_IOC_RETURN; under @lock), and the answer
 *            (BPROC_MSG_ARRIVED) carries @ret_id.
 * @call:     a PID-space call to make for the process (under @lock)...
 * @call_waiting: ...a wait that found no child ready: tried again when a
 *            signal (SIGCHLD) comes;
 * @call_running: ...being made in user mode (the ghost's own state).
 * @icall:    an internal call being made (reaping a child's ghost).
 * @forked:   children the process forked on its node (their ghosts are
 * @nforked:  ours); reaped by the process there, their ghosts are reaped
 *            by us at once, never shown to its waits (under @lock).
 * @settle_until: when a return stops waiting for those ghosts to end.
 * @data:     the ghost's data page for calls (0 until needed).
 * @snippet:  the code page holds the call snippet (GHOST_CALL_CODE).
 */
struct bproc_ghost {
	struct list_head list;
	int pid;
	int node;
	spinlock_t lock;	/* io, io_bytes, exited, status */
	struct list_head io;
	size_t io_bytes;
	bool exited;
	int status;
	wait_queue_head_t wq;
	struct file *in;
	poll_table in_pt;
	wait_queue_entry_t in_wait;
	wait_queue_head_t *in_wqh;
	bool in_ready;
	bool moved;
	int stop_sig;
	unsigned long code;
	int resume_fd;
	struct pid *tgid;
	struct file *ret_src;
	u64 ret_id;
	struct ghost_call *call;
	bool call_waiting;
	bool call_running;
	struct ghost_call *icall;
	int forked[GHOST_FORKED_MAX];
	int nforked;
	unsigned long settle_until;	/* jiffies: how long a return waits for them */
	unsigned long data;
	bool snippet;
};

/* Every ghost, and moves in flight; bproc_ghosts_lock protects the list. */
static DEFINE_SPINLOCK(bproc_ghosts_lock);
static LIST_HEAD(bproc_ghosts);

/* The ghost of @pid; caller holds bproc_ghosts_lock. */
static struct bproc_ghost *ghost_find_locked(int pid)
{
	struct bproc_ghost *g;

	list_for_each_entry(g, &bproc_ghosts, list)
		if (g->pid == pid)
			return g;
	return NULL;
}

/* The ghost of process @pid, whose task is @tgid's (a reference is taken). */
static struct bproc_ghost *ghost_register_tgid(int pid, struct pid *tgid, int node)
{
	struct bproc_ghost *g;

	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return ERR_PTR(-ENOMEM);
	g->pid = pid;
	g->node = node;
	g->tgid = get_pid(tgid);
	spin_lock_init(&g->lock);
	INIT_LIST_HEAD(&g->io);
	init_waitqueue_head(&g->wq);

	spin_lock(&bproc_ghosts_lock);
	if (ghost_find_locked(pid)) {
		spin_unlock(&bproc_ghosts_lock);
		put_pid(g->tgid);
		kfree(g);
		return ERR_PTR(-EBUSY);
	}
	list_add(&g->list, &bproc_ghosts);
	spin_unlock(&bproc_ghosts_lock);
	bproc_stat_inc(BPROC_STAT_GHOSTS);
	return g;
}

/* The caller's own ghost, for process @pid. */
static struct bproc_ghost *ghost_register(int pid, int node)
{
	return ghost_register_tgid(pid, task_tgid(current), node);
}

/* Free a ghost already taken off the list. */
static void ghost_free(struct bproc_ghost *g)
{
	struct ghost_io *io, *next;

	list_for_each_entry_safe(io, next, &g->io, list)
		kfree(io);
	if (g->ret_src)
		fput(g->ret_src);
	kfree(g->call);
	kfree(g->icall);
	put_pid(g->tgid);
	kfree(g);
	bproc_stat_dec(BPROC_STAT_GHOSTS);
}

static void ghost_unregister(struct bproc_ghost *g)
{
	spin_lock(&bproc_ghosts_lock);
	list_del(&g->list);
	spin_unlock(&bproc_ghosts_lock);
	ghost_free(g);
}

void bproc_ghost_exit(int pid, int status)
{
	struct bproc_ghost *g;

	spin_lock(&bproc_ghosts_lock);
	g = ghost_find_locked(pid);
	if (g) {
		spin_lock(&g->lock);
		if (!g->exited) {
			g->exited = true;
			g->status = status;
		}
		spin_unlock(&g->lock);
		wake_up(&g->wq);
	}
	spin_unlock(&bproc_ghosts_lock);
}

void bproc_ghost_stopped(int pid, int sig)
{
	struct bproc_ghost *g;

	spin_lock(&bproc_ghosts_lock);
	g = ghost_find_locked(pid);
	if (g) {
		WRITE_ONCE(g->stop_sig, sig);
		wake_up(&g->wq);
	}
	spin_unlock(&bproc_ghosts_lock);
}

void bproc_ghost_where(int pid, int node)
{
	struct bproc_ghost *g;

	spin_lock(&bproc_ghosts_lock);
	g = ghost_find_locked(pid);
	if (g && READ_ONCE(g->moved))
		WRITE_ONCE(g->node, node);
	spin_unlock(&bproc_ghosts_lock);
}

int bproc_ghost_return(int pid, int node, u64 id, struct file *src)
{
	struct bproc_ghost *g;
	int err = 0;

	spin_lock(&bproc_ghosts_lock);
	g = ghost_find_locked(pid);
	if (!g || !READ_ONCE(g->moved) || READ_ONCE(g->node) != node) {
		err = -ESRCH;
	} else {
		spin_lock(&g->lock);
		if (g->exited) {
			err = -ESRCH;
		} else if (g->ret_src) {
			err = -EBUSY;
		} else {
			g->ret_src = get_file(src);
			g->ret_id = id;
		}
		spin_unlock(&g->lock);
		wake_up(&g->wq);
	}
	spin_unlock(&bproc_ghosts_lock);
	return err;
}

static bool ghost_call_allowed(u32 nr)
{
	switch (nr) {
	case BPROC_CALL_FORK:
	case BPROC_CALL_WAIT4:
	case BPROC_CALL_KILL:
	case BPROC_CALL_SETPGID:
	case BPROC_CALL_GETPPID:
	case BPROC_CALL_GETPGRP:
	case BPROC_CALL_SETSID:
	case BPROC_CALL_GETPGID:
	case BPROC_CALL_GETSID:
	case BPROC_CALL_RT_SIGQUEUEINFO:
	case BPROC_CALL_TKILL:
	case BPROC_CALL_TGKILL:
	case BPROC_CALL_WAITID:
	case BPROC_CALL_RT_TGSIGQUEUEINFO:
		return true;
	default:
		return false;
	}
}

/* Answer bpmaster's CALL @id for @pid with @result (and @out, @olen bytes). */
static void ghost_call_reply(int pid, u32 nr, u64 id, long result,
			     const void *out, size_t olen)
{
	struct bproc_chan *ch = bproc_master_get();
	struct bproc_msg_call *m;
	struct bproc_msg *msg;

	if (!ch)
		return;
	msg = bproc_msg_alloc(BPROC_MSG_CALL, sizeof(*m) + olen, GFP_KERNEL);
	if (msg) {
		m = bproc_msg_wire(msg);
		m->hdr.flags = BPROC_MSGF_REPLY;
		m->hdr.id = id;
		m->hdr.result = (s32)result;
		m->hdr.src = BPROC_NODE_MASTER;
		m->hdr.dst = BPROC_NODE_MASTER;
		m->pid = pid;
		m->nr = nr;
		if (olen)
			memcpy(m->data, out, olen);
		bproc_chan_queue(ch, msg);
	}
	bproc_master_put(ch);
}

int bproc_ghost_call(int pid, u64 id, u32 nr, const u64 *args,
		     const void *data, size_t len)
{
	struct ghost_call *c, *old = NULL;
	struct bproc_ghost *g;
	bool sigq = nr == BPROC_CALL_RT_SIGQUEUEINFO ||
		    nr == BPROC_CALL_RT_TGSIGQUEUEINFO;

	if (!ghost_call_allowed(nr) || len != (sigq ? BPROC_SIGINFO_SIZE : 0))
		return -EINVAL;
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->id = id;
	c->nr = nr;
	memcpy(c->args, args, sizeof(c->args));
	memcpy(c->info, data, len);

	spin_lock(&bproc_ghosts_lock);
	g = ghost_find_locked(pid);
	/* (Its move may be completing: the call waits for its loop.) */
	if (g) {
		spin_lock(&g->lock);
		if (g->call_running && !g->icall) {
			/* One at a time (a process has one call at a time). */
			spin_unlock(&g->lock);
			spin_unlock(&bproc_ghosts_lock);
			kfree(c);
			ghost_call_reply(pid, nr, id, -EBUSY, NULL, 0);
			return 0;
		}
		old = g->call;
		g->call = c;
		g->call_waiting = false;
		c = NULL;
		spin_unlock(&g->lock);
		wake_up(&g->wq);
	}
	spin_unlock(&bproc_ghosts_lock);
	kfree(old);	/* a wait its caller gave up */
	if (!c)
		return 0;
	kfree(c);
	ghost_call_reply(pid, nr, id, -ESRCH, NULL, 0);
	return 0;
}

int bproc_ghost_node(int pid)
{
	struct bproc_ghost *g;
	int node = BPROC_NODE_MASTER;

	spin_lock(&bproc_ghosts_lock);
	g = ghost_find_locked(pid);
	if (g && READ_ONCE(g->moved))
		node = READ_ONCE(g->node);
	spin_unlock(&bproc_ghosts_lock);
	return node;
}

int bproc_ghosts_show(struct seq_file *m, void *unused)
{
	struct bproc_ghost *g;

	spin_lock(&bproc_ghosts_lock);
	list_for_each_entry(g, &bproc_ghosts, list)
		if (READ_ONCE(g->moved))
			seq_printf(m, "%d %d\n", g->pid, READ_ONCE(g->node));
	spin_unlock(&bproc_ghosts_lock);
	return 0;
}

void bproc_ghosts_kill_all(void)
{
	struct bproc_ghost *g;

	spin_lock(&bproc_ghosts_lock);
	list_for_each_entry(g, &bproc_ghosts, list) {
		spin_lock(&g->lock);
		if (!g->exited) {
			g->exited = true;
			g->status = SIGKILL;
		}
		spin_unlock(&g->lock);
		wake_up(&g->wq);
	}
	spin_unlock(&bproc_ghosts_lock);
}

int bproc_ghost_io(int pid, u32 stream, const void *data, size_t len)
{
	struct bproc_ghost *g;
	struct ghost_io *io;
	int err = 0;

	io = kmalloc(struct_size(io, data, len), GFP_KERNEL);
	if (!io)
		return -ENOMEM;
	io->stream = stream;
	io->len = len;
	memcpy(io->data, data, len);

	spin_lock(&bproc_ghosts_lock);
	g = ghost_find_locked(pid);
	if (!g) {
		err = -ESRCH;
	} else {
		spin_lock(&g->lock);
		if (g->io_bytes + len > GHOST_IO_LIMIT) {
			err = -ENOBUFS;
		} else {
			list_add_tail(&io->list, &g->io);
			g->io_bytes += len;
			io = NULL;
		}
		spin_unlock(&g->lock);
		wake_up(&g->wq);
	}
	spin_unlock(&bproc_ghosts_lock);
	kfree(io);
	if (err == -ENOBUFS)
		pr_warn_ratelimited("ghost %d: output piling up; %zu bytes dropped\n",
				    pid, len);
	return err == -ESRCH ? 0 : err;
}

/* ------------------------------------------------------------------ */
/* Moving                                                             */
/* ------------------------------------------------------------------ */

/*
 * The mover's PID as the cluster knows it: on a slave, the one in the
 * node's PID namespace (which is its master PID).
 */
static int move_pid(void)
{
	return bproc_nodes_self() == BPROC_NODE_MASTER ? task_tgid_nr(current) :
							 task_tgid_vnr(current);
}

/* Descriptors the node opens for a moving process (bproc_move_req.io). */
struct move_io {
	u32 n;
	struct bproc_move_io e[BPROC_MOVE_IO_MAX];
};

static bool all_zero(const void *p, size_t n)
{
	return !memchr_inv(p, 0, n);
}

/* One entry, as struct bproc_move_io documents it; @seen: fds so far. */
static int move_io_check(const struct bproc_move_io *e, unsigned int *seen)
{
	struct sockaddr_in sin;
	size_t len;

	if (e->fd < 0 || e->fd > 2 || (*seen & (1u << e->fd)) || e->flags)
		return -EINVAL;
	*seen |= 1u << e->fd;
	switch (e->type) {
	case BPROC_MOVE_IO_FILE:
		len = strnlen(e->name, sizeof(e->name));
		if ((e->oflags & ~(u32)BPROC_MOVE_IO_OFLAGS) ||
		    (e->oflags & O_ACCMODE) == O_ACCMODE ||
		    e->mode > 07777 || (e->mode && !(e->oflags & O_CREAT)) ||
		    e->offset < 0 || !all_zero(e->addr, sizeof(e->addr)) ||
		    !len || len == sizeof(e->name) || e->name[0] != '/' ||
		    !all_zero(e->name + len, sizeof(e->name) - len))
			return -EINVAL;
		return 0;
	case BPROC_MOVE_IO_SOCKET:
		BUILD_BUG_ON(sizeof(sin) != sizeof(e->addr));
		memcpy(&sin, e->addr, sizeof(sin));
		if (e->oflags || e->mode || e->offset || sin.sin_family != AF_INET ||
		    !sin.sin_port || !all_zero(sin.__pad, sizeof(sin.__pad)) ||
		    !all_zero(e->name, sizeof(e->name)))
			return -EINVAL;
		return 0;
	}
	return -EINVAL;
}

/*
 * @io (may be NULL) is appended to the MOVE: bpmaster passes the entries
 * to the node, which opens them in place of the forwarded descriptors.
 */
static int move_send(struct bproc_chan *ch, struct bproc_req *req, int node,
		     u32 flags, const struct move_io *io)
{
	size_t nio = io ? io->n : 0;
	struct bproc_msg_move *m;
	struct bproc_msg *msg;
	const struct cred *cred = current_cred();

	msg = bproc_msg_alloc(BPROC_MSG_MOVE, sizeof(*m) + nio * sizeof(io->e[0]),
			      GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	m = bproc_msg_wire(msg);
	if (nio)
		memcpy(m + 1, io->e, nio * sizeof(io->e[0]));
	m->hdr.id = req->id;
	m->hdr.src = bproc_nodes_self();
	m->hdr.dst = node;
	m->pid = move_pid();
	m->node = node;
	m->flags = flags;
	m->uid = from_kuid_munged(&init_user_ns, cred->uid);
	m->gid = from_kgid_munged(&init_user_ns, cred->gid);
	rcu_read_lock();
	m->ppid = task_tgid_nr(rcu_dereference(current->real_parent));
	rcu_read_unlock();
	m->pgid = task_pgrp_nr(current);
	m->sid = pid_nr(task_session(current));
	get_task_comm(m->comm, current);
	bproc_chan_queue(ch, msg);
	return 0;
}

/* One IMAGE message; @last marks the end (it may carry no data). */
static int image_send(struct bproc_chan *ch, u64 id, u64 offset,
		      const void *p, size_t len, bool last)
{
	struct bproc_msg_image *m;
	struct bproc_msg *msg;
	int err;

	err = bproc_chan_wait_space(ch, GHOST_QUEUE_LIMIT);
	if (err)
		return err;
	msg = bproc_msg_alloc(BPROC_MSG_IMAGE, sizeof(*m) + len, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	m = bproc_msg_wire(msg);
	m->hdr.id = id;
	m->hdr.src = bproc_nodes_self();
	m->offset = offset;
	m->pid = move_pid();
	m->last = last;
	memcpy(m->data, p, len);
	bproc_chan_queue(ch, msg);
	return 0;
}

/* Stream the dump @d as IMAGE messages.  Always ends with a "last" one. */
static int move_stream(struct bproc_chan *ch, u64 id,
		       struct bproc_vmad_dumper *d)
{
	const size_t max = BPROC_MSG_MAX - sizeof(struct bproc_msg_image);
	u64 offset = 0;
	const void *p;
	ssize_t n;
	int err = 0;

	while (!err && (n = bproc_vmad_dumper_next(d, &p)) != 0) {
		if (n < 0) {
			err = n;
			break;
		}
		while (n > 0 && !err) {
			size_t k = min_t(size_t, n, max);

			err = image_send(ch, id, offset, p, k, false);
			p += k;
			n -= k;
			offset += k;
		}
	}
	/* The end, even of an aborted image: the node stops waiting. */
	image_send(ch, id, offset, NULL, 0, true);
	return err;
}

/* ------------------------------------------------------------------ */
/* Becoming a ghost                                                   */
/* ------------------------------------------------------------------ */

/*
 * Files a ghost closes are released by a kernel worker.  The last fput()
 * of a file in a user task is deferred to its next return to user mode
 * (task work), which a ghost, asleep in the kernel, does not make: a pipe's
 * reader on the master would not see end of file until the ghost ended.
 * From a kernel thread fput() goes to the delayed-fput list, which
 * flush_delayed_fput() runs at once.
 */
static struct workqueue_struct *ghost_wq;

struct ghost_fput {
	struct work_struct work;
	unsigned int n;
	struct file *files[];
};

static void ghost_fput_work(struct work_struct *work)
{
	struct ghost_fput *gf = container_of(work, struct ghost_fput, work);
	unsigned int i;

	for (i = 0; i < gf->n; i++)
		fput(gf->files[i]);
	flush_delayed_fput();
	kfree(gf);
}

/* Release @n files (references the caller gives away) now. */
static void ghost_fput_now(struct file **files, unsigned int n)
{
	struct ghost_fput *gf;
	unsigned int i;

	if (!n)
		return;
	gf = kmalloc(struct_size(gf, files, n), GFP_KERNEL);
	if (!gf) {
		for (i = 0; i < n; i++)
			fput(files[i]);	/* released when the ghost ends */
		return;
	}
	INIT_WORK(&gf->work, ghost_fput_work);
	gf->n = n;
	memcpy(gf->files, files, n * sizeof(*files));
	queue_work(ghost_wq, &gf->work);
}

/* Close descriptor @fd of the ghost, releasing its file now. */
static void ghost_close_fd(unsigned int fd)
{
	struct file *f = close_fd_get_file(fd);

	if (f)
		ghost_fput_now(&f, 1);
}

static int ghost_any_fd(const void *unused, struct file *file, unsigned int fd)
{
	return fd + 1;
}

/* Close every descriptor but 0, 1 and 2: the process lost them by moving. */
static void ghost_close_fds(void)
{
	struct file *batch[64];
	unsigned int n = 0;
	int fd;

	while ((fd = iterate_fd(current->files, 3, ghost_any_fd, NULL)) > 0) {
		struct file *f = close_fd_get_file(fd - 1);

		if (!f)
			continue;
		batch[n++] = f;
		if (n == ARRAY_SIZE(batch)) {
			ghost_fput_now(batch, n);
			n = 0;
		}
	}
	ghost_fput_now(batch, n);
}

/* [vdso] or [vvar]?  Caller holds the mmap lock. */
static bool ghost_vma_special(struct vm_area_struct *vma)
{
	const char *name;

	if (vma->vm_file || !vma->vm_ops || !vma->vm_ops->name)
		return false;
	name = vma->vm_ops->name(vma);
	return name && (!strcmp(name, "[vdso]") || !strcmp(name, "[vvar]"));
}

/*
 * Give back the address space: keep one page of the command line, map one
 * page of code.  Returns the code page's address, or a negative errno.
 */
static long ghost_shrink(void)
{
	static const u8 code[] = { 0x0f, 0x05, 0x0f, 0x0b };	/* syscall; ud2 */
	struct mm_struct *mm = current->mm;
	unsigned long args, alen, astart, base, addr, from;
	struct vm_area_struct *vma;
	char *buf;
	long err;

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	spin_lock(&mm->arg_lock);
	astart = mm->arg_start;
	alen = min(mm->arg_end - mm->arg_start, PAGE_SIZE);
	spin_unlock(&mm->arg_lock);
	if (copy_from_user(buf, (const void __user *)astart, alen))
		alen = 0;

	/*
	 * Every area, one at a time (vm_munmap takes the lock itself), but
	 * [vdso] and [vvar]: they cost no memory of their own, and a process
	 * coming back is restored with its vDSO where it left it.
	 */
	for (from = 0;;) {
		unsigned long start, end;
		bool special;

		mmap_read_lock(mm);
		vma = find_vma(mm, from);
		if (!vma) {
			mmap_read_unlock(mm);
			break;
		}
		start = vma->vm_start;
		end = vma->vm_end;
		special = ghost_vma_special(vma);
		mmap_read_unlock(mm);
		if (special) {
			from = end;
			continue;
		}
		err = vm_munmap(start, end - start);
		if (err)
			goto out;
	}

	/* rseq and the futex lists pointed into what is gone. */
	current->rseq = NULL;
	current->rseq_sig = 0;
	current->clear_child_tid = NULL;
	current->robust_list = NULL;

	/* The arguments, at their old address, so ps reads them. */
	if (alen) {
		base = astart & PAGE_MASK;
		args = vm_mmap(NULL, base, astart + alen - base, PROT_READ,
			       MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, 0);
		if (IS_ERR_VALUE(args) ||
		    access_process_vm(current, astart, buf, alen,
				      FOLL_FORCE | FOLL_WRITE) != alen) {
			alen = 0;
		}
	}
	spin_lock(&mm->arg_lock);
	mm->arg_end = mm->arg_start + alen;
	mm->env_start = mm->arg_end;
	mm->env_end = mm->arg_end;
	spin_unlock(&mm->arg_lock);

	addr = vm_mmap(NULL, 0, PAGE_SIZE, PROT_READ | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(addr)) {
		err = addr;
		goto out;
	}
	if (access_process_vm(current, addr, (void *)code, sizeof(code),
			      FOLL_FORCE | FOLL_WRITE) != sizeof(code)) {
		err = -EFAULT;
		goto out;
	}
	err = addr;
out:
	kfree(buf);
	return err;
}

/* Forward @sig to the remote process. */
static void ghost_forward(struct bproc_ghost *g, int sig)
{
	struct bproc_chan *ch = bproc_master_get();
	struct bproc_msg_signal *m;
	struct bproc_msg *msg;

	if (!ch)
		return;
	msg = bproc_msg_alloc(BPROC_MSG_SIGNAL, sizeof(*m), GFP_KERNEL);
	if (msg) {
		m = bproc_msg_wire(msg);
		m->hdr.src = BPROC_NODE_MASTER;
		m->hdr.dst = READ_ONCE(g->node);
		m->pid = g->pid;
		m->node = m->hdr.dst;
		m->sig = sig;
		bproc_chan_queue(ch, msg);
	}
	bproc_master_put(ch);
}

/* Write remote output to our own descriptor; end of file closes it. */
static void ghost_write(struct ghost_io *io)
{
	struct file *f;
	size_t done = 0;

	if (!io->len) {
		ghost_close_fd(io->stream);
		return;
	}
	f = fget(io->stream);
	if (!f)
		return;
	if (!(f->f_mode & FMODE_WRITE) || !(f->f_mode & FMODE_CAN_WRITE)) {
		fput(f);	/* opened read-only: the output goes nowhere */
		return;
	}
	while (done < io->len) {
		loff_t pos = f->f_pos;
		ssize_t n = kernel_write(f, io->data + done, io->len - done, &pos);

		if (n <= 0)
			break;	/* EPIPE also queued SIGPIPE for us to forward */
		if (!(f->f_mode & FMODE_STREAM))
			f->f_pos = pos;
		done += n;
	}
	fput(f);
}

/* Send @len bytes of our stdin (none: end of file) to the remote process. */
static void ghost_send_stdin(struct bproc_ghost *g, const void *data, size_t len)
{
	struct bproc_chan *ch = bproc_master_get();
	struct bproc_msg_io *m;
	struct bproc_msg *msg;

	if (!ch)
		return;
	msg = bproc_msg_alloc(BPROC_MSG_IO, sizeof(*m) + len, GFP_KERNEL);
	if (msg) {
		m = bproc_msg_wire(msg);
		m->hdr.src = BPROC_NODE_MASTER;
		m->hdr.dst = READ_ONCE(g->node);
		m->pid = g->pid;
		m->stream = 0;
		memcpy(m->data, data, len);
		bproc_chan_queue(ch, msg);
	}
	bproc_master_put(ch);
}

static int ghost_in_wake(wait_queue_entry_t *wait, unsigned int mode,
			 int sync, void *key)
{
	struct bproc_ghost *g = container_of(wait, struct bproc_ghost, in_wait);

	WRITE_ONCE(g->in_ready, true);
	wake_up(&g->wq);
	return 0;
}

static void ghost_in_queue(struct file *file, wait_queue_head_t *wqh,
			   poll_table *pt)
{
	struct bproc_ghost *g = container_of(pt, struct bproc_ghost, in_pt);

	if (g->in_wqh)
		return;		/* one queue is enough for a pipe or a tty */
	init_waitqueue_func_entry(&g->in_wait, ghost_in_wake);
	add_wait_queue(wqh, &g->in_wait);
	g->in_wqh = wqh;
}

static void ghost_in_stop(struct bproc_ghost *g)
{
	if (g->in_wqh)
		remove_wait_queue(g->in_wqh, &g->in_wait);
	g->in_wqh = NULL;
	if (g->in)
		ghost_fput_now(&g->in, 1);
	g->in = NULL;
}

/* Forward what stdin has now; at its end tell the node and stop. */
static void ghost_pump_stdin(struct bproc_ghost *g)
{
	const size_t max = BPROC_MSG_MAX - sizeof(struct bproc_msg_io);
	__poll_t mask;
	ssize_t n;
	void *buf;
	loff_t pos;

	WRITE_ONCE(g->in_ready, false);
	mask = vfs_poll(g->in, NULL);
	if (!(mask & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		return;
	buf = kmalloc(max, GFP_KERNEL);
	if (!buf)
		return;
	pos = g->in->f_pos;
	n = kernel_read(g->in, buf, max, &pos);
	if (!(g->in->f_mode & FMODE_STREAM))
		g->in->f_pos = pos;
	if (n > 0) {
		ghost_send_stdin(g, buf, n);
		WRITE_ONCE(g->in_ready, true);	/* maybe more */
	} else if (n != -EAGAIN && n != -EINTR) {
		ghost_send_stdin(g, NULL, 0);
		ghost_in_stop(g);
	}
	kfree(buf);
}

static bool ghost_has_work(struct bproc_ghost *g)
{
	bool work;

	spin_lock(&g->lock);
	work = g->exited || !list_empty(&g->io) || g->ret_src ||
	       (g->call && !g->call_waiting);
	spin_unlock(&g->lock);
	return work || READ_ONCE(g->stop_sig) ||
	       (g->in && READ_ONCE(g->in_ready));
}

/* Every catchable signal gets @handler, so that every signal queues. */
static void ghost_catch_all(__sighandler_t handler)
{
	int sig;

	for (sig = 1; sig <= _NSIG; sig++)
		if (!sig_kernel_only(sig))
			kernel_sigaction(sig, handler);
}

/*
 * The ghost's life.  Returns what the ioctl returns when the ghost ends:
 * __NR_exit_group with regs pointing at the code page (normal exit), or
 * anything with a fatal signal queued.
 */
static long ghost_loop(struct bproc_ghost *g, bool *back);

static long ghost_run(struct bproc_ghost *g, unsigned long code, bool in,
		      bool *back)
{
	g->code = code;
	g->resume_fd = -1;
	/* A ghost killed by a core-dumping signal dumps nothing. */
	task_lock(current->group_leader);
	current->signal->rlim[RLIMIT_CORE].rlim_cur = 0;
	task_unlock(current->group_leader);

	/* The node reads /dev/null-like end of file unless stdin travels. */
	g->in = in ? fget(0) : NULL;
	if (g->in) {
		init_poll_funcptr(&g->in_pt, ghost_in_queue);
		vfs_poll(g->in, &g->in_pt);
		g->in_ready = true;
	} else {
		ghost_send_stdin(g, NULL, 0);
	}
	return ghost_loop(g, back);
}

static long ghost_resume_ioctl(struct file *file, unsigned int cmd,
			       unsigned long arg);
static void ghost_call_done(struct bproc_ghost *g, long result);

static const struct file_operations ghost_resume_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= ghost_resume_ioctl,
	.llseek		= noop_llseek,
};

/*
 * The remote process stopped with @sig: stop the ghost the same way, so
 * that its parent's waitpid(WUNTRACED) sees it.  The ghost leaves the
 * kernel with @sig pending at its default action and every other signal
 * blocked (they stay queued: the ghost forwards them once it runs again),
 * and with its registers set up so that the syscall restart after SIGCONT
 * is ioctl(resume_fd, BPROC_IOC_GHOST) from its code page, back into
 * ghost_loop().  Returns what the interrupted syscall returns.
 */
static long ghost_stop(struct bproc_ghost *g, int sig, bool *back)
{
	struct pt_regs *regs = task_pt_regs(current);
	sigset_t blocked;

	if (g->resume_fd < 0) {
		g->resume_fd = anon_inode_getfd("[bproc-ghost]", &ghost_resume_fops,
						NULL, O_RDWR);
		if (g->resume_fd < 0)
			return ghost_loop(g, back);	/* cannot stop: keep going */
	}
	sigfillset(&blocked);
	sigdelsetmask(&blocked, sigmask(SIGKILL) | sigmask(SIGSTOP) |
		      sigmask(SIGCONT) | sigmask(sig));
	sigprocmask(SIG_SETMASK, &blocked, NULL);
	if (!sig_kernel_only(sig))
		kernel_sigaction(sig, SIG_DFL);
	kernel_sigaction(SIGCONT, SIG_DFL);
	send_sig(sig, current, 1);

	regs->ip = g->code + 2;		/* after its syscall instruction */
	regs->orig_ax = __NR_ioctl;
	regs->di = g->resume_fd;
	regs->si = BPROC_IOC_GHOST;
	regs->dx = 0;
	regs->ax = -ERESTARTNOINTR;	/* for a stop taken in a task work */
	return -ERESTARTNOINTR;
}

/* A stopped ghost continues (SIGCONT): so does the remote process. */
/*
 * A ghost forked for its process (BPROC_CALL_FORK): fork() returned 0 into
 * the call snippet of the child, which came here.  Only a child of a ghost
 * has this descriptor.  It becomes the ghost of the process's child, which
 * the node creates at this very PID; the parent's call answers that PID.
 */
static DECLARE_WAIT_QUEUE_HEAD(ghost_fork_wq);

static bool ghost_lookup(int pid, struct bproc_ghost **gp)
{
	spin_lock(&bproc_ghosts_lock);
	*gp = ghost_find_locked(pid);
	spin_unlock(&bproc_ghosts_lock);
	return *gp;
}

/*
 * The child's ghost is registered by its parent's, as soon as the parent's
 * fork() returned (ghost_forked_register()): before the node hears of the
 * child, so an end that comes at once finds it.  The child only waits for
 * that (it may run first).  A task no ghost registered is not one.
 */
static struct bproc_ghost *ghost_fork_child(void)
{
	struct bproc_ghost *g = NULL;

	wait_event_killable_timeout(ghost_fork_wq,
				    ghost_lookup(task_tgid_nr(current), &g), 5 * HZ);
	return g;
}

/*
 * Ghost @g's fork() made task @pid for its process's fork on the node:
 * register that task as the ghost of the child to be (same node, same code
 * and data pages, same resume descriptor: it has a copy of all of them)
 * and follow it as forked there.  0, or a negative errno (the task is then
 * killed, and the fork fails on the node).
 */
static int ghost_forked_register(struct bproc_ghost *g, int pid)
{
	struct pid *cp = find_get_pid(pid);
	struct bproc_ghost *cg;

	/* Followed even if it fails: its end is ours to reap, silently. */
	spin_lock(&g->lock);
	if (g->nforked < GHOST_FORKED_MAX)
		g->forked[g->nforked++] = pid;
	else
		pr_warn_ratelimited("ghost %d: more than %d children forked on its node\n",
				    g->pid, GHOST_FORKED_MAX);
	spin_unlock(&g->lock);
	cg = cp ? ghost_register_tgid(pid, cp, READ_ONCE(g->node)) : ERR_PTR(-ESRCH);
	if (IS_ERR(cg)) {
		if (cp)
			kill_pid(cp, SIGKILL, 1);
		put_pid(cp);
		return PTR_ERR(cg);
	}
	put_pid(cp);
	cg->code = g->code;
	cg->data = g->data;
	cg->snippet = true;
	cg->resume_fd = g->resume_fd;
	WRITE_ONCE(cg->moved, true);
	wake_up_all(&ghost_fork_wq);
	return 0;
}

static long ghost_resume_ioctl(struct file *file, unsigned int cmd,
			       unsigned long arg)
{
	struct bproc_ghost *g;
	bool back;

	if (cmd != BPROC_IOC_GHOST && cmd != BPROC_IOC_GHOST_CALLRET)
		return -ENOTTY;
	spin_lock(&bproc_ghosts_lock);
	g = ghost_find_locked(task_tgid_nr(current));
	spin_unlock(&bproc_ghosts_lock);
	if (!g && cmd == BPROC_IOC_GHOST_CALLRET && arg == 0)
		g = ghost_fork_child();
	if (!g) {
		force_sig(SIGKILL);	/* not a ghost: nothing to return to */
		return -ESRCH;
	}
	if (cmd == BPROC_IOC_GHOST_CALLRET)
		ghost_call_done(g, (long)arg);
	else
		ghost_forward(g, SIGCONT);
	return ghost_loop(g, &back);
}

/* ---- PID-space calls made by the ghost ----------------------------------- */

/* The resume descriptor, the call snippet and the data page, once. */
static int ghost_call_setup(struct bproc_ghost *g)
{
	u8 snip[32], *p = snip;
	u32 v;

	if (g->resume_fd < 0) {
		int fd = anon_inode_getfd("[bproc-ghost]", &ghost_resume_fops,
					  NULL, O_RDWR);

		if (fd < 0)
			return fd;
		g->resume_fd = fd;
	}
	if (!g->snippet) {
		*p++ = 0x0f; *p++ = 0x05;		/* syscall */
		*p++ = 0x48; *p++ = 0x89; *p++ = 0xc2;	/* mov rdx,rax */
		*p++ = 0xbf;				/* mov edi,fd */
		v = g->resume_fd;
		memcpy(p, &v, 4);
		p += 4;
		*p++ = 0xbe;				/* mov esi,cmd */
		v = BPROC_IOC_GHOST_CALLRET;
		memcpy(p, &v, 4);
		p += 4;
		*p++ = 0xb8;				/* mov eax,ioctl */
		v = __NR_ioctl;
		memcpy(p, &v, 4);
		p += 4;
		*p++ = 0x0f; *p++ = 0x05;		/* syscall */
		*p++ = 0x0f; *p++ = 0x0b;		/* ud2 */
		if (access_process_vm(current, g->code + GHOST_CALL_CODE, snip,
				      p - snip, FOLL_FORCE | FOLL_WRITE) != p - snip)
			return -EFAULT;
		g->snippet = true;
	}
	if (!g->data) {
		unsigned long addr = vm_mmap(NULL, 0, PAGE_SIZE,
					     PROT_READ | PROT_WRITE,
					     MAP_PRIVATE | MAP_ANONYMOUS, 0);

		if (IS_ERR_VALUE(addr))
			return (int)addr;
		g->data = addr;
	}
	return 0;
}

static bool ghost_call_is_wait(u32 nr)
{
	return nr == BPROC_CALL_WAIT4 || nr == BPROC_CALL_WAITID;
}

/*
 * Make call @c in user mode: point the registers at the call snippet with
 * the arguments (pointers at our data page), every signal but SIGKILL
 * blocked (the process's handlers are not in this address space), and
 * return the system call number for rax.  The snippet comes back with
 * BPROC_IOC_GHOST_CALLRET (ghost_call_done()).  A wait gets WNOHANG: the
 * ghost waits for SIGCHLD itself, forwarding signals meanwhile.
 */
static long ghost_call_start(struct bproc_ghost *g, struct ghost_call *c)
{
	struct pt_regs *regs = task_pt_regs(current);
	unsigned long d = g->data;
	u8 zero[BPROC_SIGINFO_SIZE] = {};
	sigset_t all;
	u64 a[6];

	memcpy(a, c->args, sizeof(a));
	switch (c->nr) {
	case BPROC_CALL_WAIT4:
		c->orig_options = a[2];
		a[1] = a[1] ? d + GHOST_OUT_STATUS : 0;
		a[2] |= WNOHANG;
		a[3] = a[3] ? d + GHOST_OUT_RUSAGE : 0;
		break;
	case BPROC_CALL_WAITID:
		c->orig_options = a[3];
		/* si_pid 0 after WNOHANG: nothing was ready. */
		if (copy_to_user((void __user *)(d + GHOST_OUT_INFO), zero,
				 sizeof(zero)))
			return -EFAULT;
		a[2] = d + GHOST_OUT_INFO;
		a[3] |= WNOHANG;
		a[4] = a[4] ? d + GHOST_OUT_RUSAGE : 0;
		break;
	case BPROC_CALL_RT_SIGQUEUEINFO:
	case BPROC_CALL_RT_TGSIGQUEUEINFO:
		if (copy_to_user((void __user *)(d + GHOST_IN_INFO), c->info,
				 sizeof(c->info)))
			return -EFAULT;
		a[c->nr == BPROC_CALL_RT_SIGQUEUEINFO ? 2 : 3] = d + GHOST_IN_INFO;
		break;
	}
	sigfillset(&all);
	sigdelset(&all, SIGKILL);
	sigprocmask(SIG_SETMASK, &all, NULL);
	spin_lock(&g->lock);
	g->call_running = true;
	spin_unlock(&g->lock);
	regs->ip = g->code + GHOST_CALL_CODE;
	regs->di = a[0];
	regs->si = a[1];
	regs->dx = a[2];
	regs->r10 = a[3];
	regs->r8 = a[4];
	regs->r9 = a[5];
	regs->orig_ax = -1;
	regs->ax = c->nr;	/* also from a task work, which sets no rax */
	return c->nr;
}

/* Take @pid off the forked list; true if it was there. */
static bool ghost_forked_take(struct bproc_ghost *g, int pid)
{
	bool found = false;
	int i;

	spin_lock(&g->lock);
	for (i = 0; i < g->nforked; i++) {
		if (g->forked[i] == pid) {
			g->forked[i] = g->forked[--g->nforked];
			found = true;
			break;
		}
	}
	spin_unlock(&g->lock);
	return found;
}

static bool ghost_is_forked(struct bproc_ghost *g, int pid)
{
	bool found = false;
	int i;

	spin_lock(&g->lock);
	for (i = 0; i < g->nforked && !found; i++)
		found = g->forked[i] == pid;
	spin_unlock(&g->lock);
	return found;
}

/* A forked child whose ghost is a zombie of ours, to reap; or 0. */
static int ghost_forked_zombie(struct bproc_ghost *g)
{
	int i, n, pids[GHOST_FORKED_MAX];

	spin_lock(&g->lock);
	n = g->nforked;
	memcpy(pids, g->forked, n * sizeof(int));
	spin_unlock(&g->lock);
	for (i = 0; i < n; i++) {
		struct task_struct *t;
		bool zombie = false, gone;

		rcu_read_lock();
		t = pid_task(find_pid_ns(pids[i], &init_pid_ns), PIDTYPE_PID);
		gone = !t || rcu_access_pointer(t->real_parent) != current->group_leader;
		if (t && !gone)
			zombie = READ_ONCE(t->exit_state) == EXIT_ZOMBIE;
		rcu_read_unlock();
		if (gone)
			ghost_forked_take(g, pids[i]);	/* reaped, or not ours */
		else if (zombie)
			return pids[i];
	}
	return 0;
}

/*
 * Have all forked children that ended on the node been reaped here?  One
 * whose end came (EXIT) but whose ghost is not yet a zombie is not: the
 * process must not come back before (it would find that ghost among its
 * children, after it reaped the child on the node).
 */
static bool ghost_forked_settled(struct bproc_ghost *g)
{
	int i, n, pids[GHOST_FORKED_MAX];
	bool settled = true;

	spin_lock(&g->lock);
	n = g->nforked;
	memcpy(pids, g->forked, n * sizeof(int));
	spin_unlock(&g->lock);
	for (i = 0; i < n && settled; i++) {
		struct bproc_ghost *cg;
		struct task_struct *t;

		spin_lock(&bproc_ghosts_lock);
		cg = ghost_find_locked(pids[i]);
		if (cg && READ_ONCE(cg->exited))
			settled = false;
		spin_unlock(&bproc_ghosts_lock);
		if (cg)
			continue;
		rcu_read_lock();
		t = pid_task(find_pid_ns(pids[i], &init_pid_ns), PIDTYPE_PID);
		if (t && rcu_access_pointer(t->real_parent) == current->group_leader)
			settled = false;	/* dying, or a zombie to reap */
		rcu_read_unlock();
	}
	return settled;
}

/*
 * Reap the ghost of a child forked on the node that ended there (its
 * parent reaped it there): wait4(pid, NULL, WNOHANG | __WALL) through the
 * call snippet, as an internal call nobody is answered for.
 */
static long ghost_reap_forked(struct bproc_ghost *g, int pid)
{
	struct ghost_call *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return 0;
	c->nr = BPROC_CALL_WAIT4;
	c->args[0] = pid;
	c->args[2] = WNOHANG | __WALL;
	spin_lock(&g->lock);
	g->icall = c;
	spin_unlock(&g->lock);
	return ghost_call_start(g, c);
}

/* The call to make now, if any (it stays in g->call until done). */
static struct ghost_call *ghost_call_next(struct bproc_ghost *g)
{
	struct ghost_call *c;

	spin_lock(&g->lock);
	c = g->call_waiting ? NULL : g->call;
	spin_unlock(&g->lock);
	return c;
}

/*
 * Back from the call snippet with @result: answer, or (a wait that found
 * nothing ready, and the caller did not ask for WNOHANG) wait for SIGCHLD.
 */
static void ghost_call_done(struct bproc_ghost *g, long result)
{
	struct bproc_call_out out = {};
	struct ghost_call *c, *ic;
	unsigned long d = g->data;
	bool wait;

	spin_lock(&g->lock);
	ic = g->icall;
	g->icall = NULL;
	c = ic ? NULL : g->call;
	g->call_running = false;
	spin_unlock(&g->lock);
	if (ic) {
		/* Our own reap of a forked child's ghost. */
		if (result == (long)ic->args[0] || result == -ECHILD)
			ghost_forked_take(g, (int)ic->args[0]);
		kfree(ic);
		return;
	}
	if (!c)
		return;
	wait = ghost_call_is_wait(c->nr);
	if (wait) {
		if (copy_from_user(&out.status, (void __user *)(d + GHOST_OUT_STATUS),
				   sizeof(out.status)) ||
		    copy_from_user(out.info, (void __user *)(d + GHOST_OUT_INFO),
				   sizeof(out.info)) ||
		    copy_from_user(out.rusage, (void __user *)(d + GHOST_OUT_RUSAGE),
				   sizeof(out.rusage)))
			result = -EFAULT;
	}
	if (wait && ((c->nr == BPROC_CALL_WAIT4 && result > 0 &&
		      ghost_forked_take(g, (int)result)) ||
		     (c->nr == BPROC_CALL_WAITID && result == 0 &&
		      ((siginfo_t *)out.info)->si_pid &&
		      ghost_forked_take(g, ((siginfo_t *)out.info)->si_pid)))) {
		/*
		 * The ghost of a child its parent reaped on the node: not news
		 * for the parent.  Make the call again.
		 */
		return;
	}
	if (wait && result == 0 && !(c->orig_options & WNOHANG) &&
	    (c->nr == BPROC_CALL_WAIT4 || !((siginfo_t *)out.info)->si_pid)) {
		spin_lock(&g->lock);
		if (g->call == c)
			g->call_waiting = true;
		spin_unlock(&g->lock);
		return;
	}
	spin_lock(&g->lock);
	if (g->call == c)
		g->call = NULL;
	else
		c = NULL;	/* replaced meanwhile: that one is answered later */
	spin_unlock(&g->lock);
	if (!c)
		return;
	if (c->nr == BPROC_CALL_FORK && result > 0) {
		int err = ghost_forked_register(g, (int)result);

		if (err)
			result = err;
	}
	ghost_call_reply(g->pid, c->nr, c->id, result, wait ? &out : NULL,
			 wait ? sizeof(out) : 0);
	kfree(c);
}

/* Tell bpmaster how a return went (BPROC_MSG_ARRIVED). */
static void ghost_arrived(struct bproc_ghost *g, u64 id, int result, bool lost)
{
	struct bproc_chan *ch = bproc_master_get();
	struct bproc_msg_arrived *m;
	struct bproc_msg *msg;

	if (!ch)
		return;
	msg = bproc_msg_alloc(BPROC_MSG_ARRIVED, sizeof(*m), GFP_KERNEL);
	if (msg) {
		m = bproc_msg_wire(msg);
		m->hdr.id = id;
		m->hdr.result = result;
		m->hdr.src = BPROC_NODE_MASTER;
		m->hdr.dst = BPROC_NODE_MASTER;
		m->pid = g->pid;
		m->lost = lost;
		bproc_chan_queue(ch, msg);
	}
	bproc_master_put(ch);
}

/*
 * The process comes back (BPROC_IOC_RETURN): restore its image into this
 * very task, which stops being a ghost.  Returns true if the ioctl must
 * return now: with *@ax for the restored process, or (the restore failed
 * after the point of no return) to die of the SIGKILL it queued.  False:
 * nothing to do, or the image was refused and the ghost goes on.
 */
static bool ghost_come_back(struct bproc_ghost *g, long *ax)
{
	struct file *src;
	sigset_t all;
	bool lost;
	u64 id;
	int err;

	spin_lock(&g->lock);
	src = g->ret_src;
	id = g->ret_id;
	g->ret_src = NULL;
	spin_unlock(&g->lock);
	if (!src)
		return false;

	/*
	 * Signals that come meanwhile are the process's: they stay queued
	 * (a pipe read is not interrupted) and are delivered once it runs,
	 * under its own actions and mask.  Only SIGKILL ends the restore.
	 */
	sigfillset(&all);
	sigdelset(&all, SIGKILL);
	sigprocmask(SIG_SETMASK, &all, NULL);
	err = bproc_vmad_undump_file(src, BPROC_UNDUMP_CLOSEFDS, ax, &lost);
	ghost_fput_now(&src, 1);
	if (lost) {
		/*
		 * Cut short (the process was killed on the node while it
		 * left, say) after our memory began to change: become a
		 * ghost again, from scratch, and wait for its end.
		 */
		long code = ghost_shrink();

		if (IS_ERR_VALUE(code)) {
			force_sig(SIGKILL);
			ghost_in_stop(g);
			ghost_arrived(g, id, err, true);
			ghost_unregister(g);
			*ax = err;
			return true;
		}
		g->code = code;
		g->data = 0;
		g->snippet = false;
		ghost_catch_all((__sighandler_t)code);
	}
	if (err) {
		pr_info_ratelimited("ghost %d: the process could not come back: %d\n",
				    g->pid, err);
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		ghost_arrived(g, id, err, false);
		return false;
	}
	ghost_in_stop(g);
	ghost_arrived(g, id, 0, false);
	ghost_unregister(g);
	return true;
}

/*
 * The ghost's life.  Returns what the ioctl returns when the ghost ends:
 * __NR_exit_group with regs pointing at the code page (normal exit), or
 * anything with a fatal signal queued; or, when it stops, -ERESTARTNOINTR;
 * or, when the process came back (*@back set), the restored rax.
 */
static long ghost_loop(struct bproc_ghost *g, bool *back)
{
	struct pt_regs *regs = task_pt_regs(current);
	unsigned long code = g->code;
	kernel_siginfo_t info;
	enum pid_type type;
	struct ghost_call *call;
	sigset_t none;
	int sig, status;
	long ax;

	*back = false;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	ghost_catch_all((__sighandler_t)code);

	for (;;) {
		struct ghost_io *io;

		wait_event_interruptible(g->wq, ghost_has_work(g));

		if (fatal_signal_pending(current)) {
			/* SIGKILL for the ghost: for the process too. */
			ghost_forward(g, SIGKILL);
			ghost_in_stop(g);
			ghost_unregister(g);
			return -EINTR;
		}
		spin_lock_irq(&current->sighand->siglock);
		sig = dequeue_signal(current, &none, &info, &type);
		spin_unlock_irq(&current->sighand->siglock);
		if (sig > 0) {
			/*
			 * The end of a child forked on the node: its parent
			 * there had its own SIGCHLD already.
			 */
			if (sig != SIGCHLD || !ghost_is_forked(g, info.si_pid))
				ghost_forward(g, sig);
			/* A waiting wait looks again (SIGCHLD, or whatever). */
			spin_lock(&g->lock);
			g->call_waiting = false;
			spin_unlock(&g->lock);
			continue;
		}

		spin_lock(&g->lock);
		io = list_first_entry_or_null(&g->io, struct ghost_io, list);
		if (io) {
			list_del(&io->list);
			g->io_bytes -= io->len;
		}
		spin_unlock(&g->lock);
		if (io) {
			ghost_write(io);
			kfree(io);
			continue;
		}
		if (g->nforked) {
			int zpid = ghost_forked_zombie(g);

			if (zpid) {
				long nr = ghost_call_setup(g) ? 0 :
					  ghost_reap_forked(g, zpid);

				if (nr > 0)
					return nr;	/* to the call snippet */
			}
		}
		if (!READ_ONCE(g->ret_src)) {
			g->settle_until = 0;
		} else if (g->nforked && !ghost_forked_settled(g)) {
			/*
			 * A child's ghost still dying: it goes first, for 5 s
			 * at most (one that is stopped may never die).
			 */
			if (!g->settle_until)
				g->settle_until = jiffies + 5 * HZ;
			if (time_before(jiffies, g->settle_until)) {
				schedule_timeout_interruptible(HZ / 50);
				continue;
			}
		}
		/* After its output (the node sent it before the image). */
		if (ghost_come_back(g, &ax)) {
			*back = true;
			return ax;
		}
		call = ghost_call_next(g);
		if (call) {
			long nr;
			int err = ghost_call_setup(g);

			nr = err ? err : ghost_call_start(g, call);
			if (nr > 0)
				return nr;	/* to the call snippet */
			spin_lock(&g->lock);
			g->call_running = true;
			spin_unlock(&g->lock);
			ghost_call_done(g, nr);
			continue;
		}
		if (g->in && READ_ONCE(g->in_ready)) {
			ghost_pump_stdin(g);
			continue;
		}

		spin_lock(&g->lock);
		status = g->status;
		if (g->exited && list_empty(&g->io)) {
			spin_unlock(&g->lock);
			break;
		}
		sig = g->stop_sig;
		g->stop_sig = 0;
		spin_unlock(&g->lock);
		if (sig)
			return ghost_stop(g, sig, back);
	}

	code = g->code;		/* it may have changed (ghost_come_back()) */
	ghost_in_stop(g);
	ghost_unregister(g);
	sig = status & 0x7f;
	if (sig) {
		/* Killed: the same signal, by its default action. */
		ghost_catch_all(SIG_DFL);
		force_sig(sig);
		return -EINTR;
	}
	/* Exited: exit_group(code) from the code page. */
	regs->ip = code;
	regs->di = (status >> 8) & 0xff;
	regs->orig_ax = -1;
	return __NR_exit_group;
}

/* May the caller move to @node?  0, or the errno the mover gets. */
static int move_check(int node)
{
	int err, st;

	st = bproc_node_status(node);
	if (st < 0)
		return -ENODEV;
	err = bproc_node_access(node);
	if (err)
		return err;
	if (st != BPROC_STATUS_UP)
		return -EHOSTDOWN;
	return 0;
}

/*
 * Move the caller to @node, with the descriptors @io (may be NULL; freed
 * here) opened on the node.  Returns a negative errno if it did not move
 * (it goes on unchanged), else whatever its ghost's life ends with: the
 * value for the syscall's return (ghost_run()).
 */
static long ghost_move(int node, u32 flags, struct move_io *io, bool *back)
{
	struct bproc_vmad_dumper *d;
	struct bproc_ghost *g;
	struct bproc_chan *ch;
	struct bproc_req r;
	long code;
	int err, st;

	err = move_check(node);
	if (err) {
		kfree(io);
		return err;
	}
	ch = bproc_master_get();
	if (!ch) {
		kfree(io);
		return -ENOTCONN;
	}
	g = ghost_register(task_tgid_nr(current), node);
	if (IS_ERR(g)) {
		kfree(io);
		bproc_master_put(ch);
		return PTR_ERR(g);
	}

	/* What cannot be dumped (threads, ptrace) is refused here, locally. */
	d = bproc_vmad_dumper_create(current, flags & VMAD_DUMP_ALL, true);
	if (IS_ERR(d)) {
		kfree(io);
		err = PTR_ERR(d);
		goto fail;
	}
	bproc_req_start(&r);
	err = move_send(ch, &r, node, flags & VMAD_DUMP_ALL, io);
	kfree(io);
	if (err) {
		bproc_req_wait(&r, 0, true);	/* withdraw it */
		bproc_vmad_dumper_free(d);
		goto fail;
	}
	err = move_stream(ch, r.id, d);
	bproc_vmad_dumper_free(d);
	bproc_master_put(ch);
	/* Even after a broken dump: bpmaster answers every MOVE it got. */
	st = bproc_req_wait(&r, GHOST_MOVE_TIMEOUT, true);
	if (err || st) {
		ghost_unregister(g);
		return err ?: st;
	}

	/* The process runs on the node now: this is its ghost. */
	WRITE_ONCE(g->moved, true);
	ghost_close_fds();
	code = ghost_shrink();
	if (IS_ERR_VALUE(code)) {
		pr_warn_ratelimited("ghost %d: cannot shrink: %ld\n", g->pid, code);
		ghost_forward(g, SIGKILL);
		ghost_unregister(g);
		force_sig(SIGKILL);
		return code;
	}
	return ghost_run(g, code, flags & BPROC_MOVE_STDIN, back);

fail:
	ghost_unregister(g);
	bproc_master_put(ch);
	return err;
}

/*
 * On a slave: move the caller, a process the master placed here, on to
 * @node or back to the master (BPROC_NODE_MASTER), through bpslave.  The
 * same dump as on the master; but here, once it arrived, this copy just
 * ends (bpslave expects that and says nothing of it): the process goes on
 * at the destination, where the ioctl returns 0.  A negative errno: it did
 * not move and goes on here.
 */
static long slave_move(int node, u32 flags)
{
	struct bproc_vmad_dumper *d;
	struct bproc_chan *ch;
	struct bproc_req r;
	int err, st;

	if (node != BPROC_NODE_MASTER) {
		err = move_check(node);
		if (err)
			return err;
	}
	ch = bproc_daemon_get();
	if (!ch)
		return -ENOTCONN;
	d = bproc_vmad_dumper_create(current, flags, true);
	if (IS_ERR(d)) {
		bproc_master_put(ch);
		return PTR_ERR(d);
	}
	bproc_req_start(&r);
	err = move_send(ch, &r, node, flags, NULL);
	if (err) {
		bproc_req_wait(&r, 0, true);	/* withdraw it */
		bproc_vmad_dumper_free(d);
		bproc_master_put(ch);
		return err;
	}
	err = move_stream(ch, r.id, d);
	bproc_vmad_dumper_free(d);
	bproc_master_put(ch);
	st = bproc_req_wait(&r, GHOST_MOVE_TIMEOUT, true);
	if (err || st)
		return err ?: st;
	force_sig(SIGKILL);
	return -EINTR;
}

/*
 * Copy and check a BPROC_IOC_MOVE / BPROC_IOC_EXECMOVE request, and its
 * descriptors into *@iop (NULL if none; the caller's to free).
 */
static int move_req_get(struct bproc_move_req *req,
			struct bproc_move_req __user *ureq, struct move_io **iop)
{
	unsigned int seen = 0, i;
	struct move_io *io;
	int err;

	*iop = NULL;
	if (copy_from_user(req, ureq, sizeof(*req)))
		return -EFAULT;
	if ((req->flags & ~(VMAD_DUMP_ALL | BPROC_MOVE_STDIN)) || req->reserved ||
	    req->nio > BPROC_MOVE_IO_MAX || (!req->nio && req->io))
		return -EINVAL;
	if (!req->nio)
		return 0;
	io = kzalloc(sizeof(*io), GFP_KERNEL);
	if (!io)
		return -ENOMEM;
	io->n = req->nio;
	if (copy_from_user(io->e, u64_to_user_ptr(req->io), io->n * sizeof(io->e[0]))) {
		kfree(io);
		return -EFAULT;
	}
	for (i = 0; i < io->n; i++) {
		err = move_io_check(&io->e[i], &seen);
		if (err) {
			kfree(io);
			return err;
		}
	}
	*iop = io;
	return 0;
}

long bproc_ghost_move_ioctl(struct file *file, struct bproc_move_req __user *ureq)
{
	struct bproc_move_req req;
	struct move_io *io;
	int err = move_req_get(&req, ureq, &io);
	bool back;

	if (err)
		return err;
	if (req.node == BPROC_NODE_SELF || req.node == bproc_nodes_self()) {
		err = io ? -EINVAL : 0;	/* no move: nothing to open */
		kfree(io);
		return err;
	}
	if (bproc_nodes_self() != BPROC_NODE_MASTER) {
		/* Descriptors are opened for a move from the master only. */
		err = io ? -EOPNOTSUPP : slave_move(req.node, req.flags & VMAD_DUMP_ALL);
		kfree(io);
		return err;
	}
	return ghost_move(req.node, req.flags, io, &back);
}

/* ------------------------------------------------------------------ */
/* execmove: move at the new program's first instruction              */
/* ------------------------------------------------------------------ */

/*
 * BPROC_IOC_EXECMOVE arms the caller: its next successful execve() moves
 * it to the node before the new program runs a single instruction.  The
 * exec tracepoint (sched_process_exec, found by name: its symbol is not
 * exported) queues a task work on the exec'ing task; the work runs on its
 * way back to user mode, where the registers are the new program's entry,
 * and moves it from there like BPROC_IOC_MOVE.  Should the move fail after
 * the exec, the program cannot be told: it is killed (SIGKILL) with a log
 * line.  What can be checked before (node, permission) is checked when
 * arming.
 */
struct execmove {
	struct list_head list;
	struct pid *pid;		/* the armed process */
	int node;
	u32 flags;
	struct move_io *io;
	struct callback_head work;
};

static DEFINE_SPINLOCK(execmove_lock);	/* execmove_armed */
static LIST_HEAD(execmove_armed);
static struct tracepoint *execmove_tp;

static void execmove_free(struct execmove *em)
{
	kfree(em->io);
	put_pid(em->pid);
	kfree(em);
	bproc_stat_dec(BPROC_STAT_GHOSTS);
}

/* The armed entry of the caller, unlinked; NULL if none. */
static struct execmove *execmove_take(void)
{
	struct pid *me = task_tgid(current);
	struct execmove *em;

	spin_lock(&execmove_lock);
	list_for_each_entry(em, &execmove_armed, list) {
		if (em->pid == me) {
			list_del(&em->list);
			spin_unlock(&execmove_lock);
			return em;
		}
	}
	spin_unlock(&execmove_lock);
	return NULL;
}

/* The text of the errors a failed move after an exec most likely has. */
static const char *execmove_errtext(long err)
{
	static const struct {
		int err;
		const char *text;
	} texts[] = {
		{ ENOENT, "No such file or directory" }, { EACCES, "Permission denied" },
		{ EPERM, "Operation not permitted" }, { EISDIR, "Is a directory" },
		{ ENOTDIR, "Not a directory" }, { EEXIST, "File exists" },
		{ ENOSPC, "No space left on device" }, { EROFS, "Read-only file system" },
		{ ENXIO, "No such device or address" },
		{ ELOOP, "Too many levels of symbolic links" },
		{ ETXTBSY, "Text file busy" }, { ECONNREFUSED, "Connection refused" },
		{ ETIMEDOUT, "Connection timed out" }, { ENETUNREACH, "Network is unreachable" },
		{ EHOSTUNREACH, "No route to host" }, { EHOSTDOWN, "Host is down" },
		{ ENODEV, "No such device" }, { ENOMEM, "Cannot allocate memory" },
		{ ENOTCONN, "Transport endpoint is not connected" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(texts); i++)
		if (texts[i].err == -err)
			return texts[i].text;
	return NULL;
}

/*
 * The program cannot be told that its move failed after the exec: say it
 * on its stderr (what the user sees: bpsh relays it), before it is killed.
 */
static void execmove_tell(int node, long err)
{
	const char *text = execmove_errtext(err);
	struct file *f = fget(2);
	char comm[TASK_COMM_LEN];
	loff_t pos;
	char buf[192];
	int n;

	if (!f)
		return;
	get_task_comm(comm, current);
	if (text)
		n = scnprintf(buf, sizeof(buf), "bproc: %s: cannot start on node %d: %s\n",
			      comm, node, text);
	else
		n = scnprintf(buf, sizeof(buf), "bproc: %s: cannot start on node %d: error %ld\n",
			      comm, node, -err);
	if (f->f_mode & FMODE_WRITE) {
		pos = f->f_pos;
		if (kernel_write(f, buf, n, (f->f_mode & FMODE_STREAM) ? NULL : &pos) > 0 &&
		    !(f->f_mode & FMODE_STREAM))
			f->f_pos = pos;
	}
	fput(f);
}

static void execmove_work(struct callback_head *work)
{
	struct execmove *em = container_of(work, struct execmove, work);
	struct pt_regs *regs = task_pt_regs(current);
	int node = em->node;
	bool back = false;
	long ret;

	ret = ghost_move(em->node, em->flags, em->io, &back);
	em->io = NULL;	/* ghost_move() freed it */
	execmove_free(em);
	if (back) {
		/* It came back: the restore set every register. */
	} else if (ret == __NR_exit_group) {
		/* The ghost exits through its code page (regs are set). */
		regs->ax = ret;
	} else if (ret == -ERESTARTNOINTR) {
		/* The ghost stops; ghost_stop() set the registers. */
	} else if (ret < 0 && !fatal_signal_pending(current) &&
		   !sigismember(&current->pending.signal, SIGKILL)) {
		pr_warn_ratelimited("execmove: pid %d could not move after exec: %ld\n",
				    task_tgid_nr(current), ret);
		execmove_tell(node, ret);
		force_sig(SIGKILL);
	}
}

static void execmove_probe(void *data, struct task_struct *p, pid_t old_pid,
			   struct linux_binprm *bprm)
{
	struct execmove *em;

	if (p != current)
		return;
	em = execmove_take();
	if (!em)
		return;
	init_task_work(&em->work, execmove_work);
	if (task_work_add(current, &em->work, TWA_RESUME))
		execmove_free(em);
}

/* Arm the caller; @io (may be NULL) is the entry's from now on. */
static int execmove_arm(int node, u32 flags, struct move_io *io)
{
	struct execmove *em, *old;
	int err;

	err = move_check(node);
	if (err) {
		kfree(io);
		return err;
	}
	em = kzalloc(sizeof(*em), GFP_KERNEL);
	if (!em) {
		kfree(io);
		return -ENOMEM;
	}
	bproc_stat_inc(BPROC_STAT_GHOSTS);
	em->pid = get_pid(task_tgid(current));
	em->node = node;
	em->flags = flags;
	em->io = io;
	/* Armed again (an exec that failed): the new one replaces it. */
	old = execmove_take();
	if (old)
		execmove_free(old);
	spin_lock(&execmove_lock);
	list_add(&em->list, &execmove_armed);
	spin_unlock(&execmove_lock);
	return 0;
}

/* A process that exits armed leaves its entry: drop those (any caller). */
static void execmove_reap(void)
{
	struct execmove *em, *next;
	LIST_HEAD(dead);

	spin_lock(&execmove_lock);
	list_for_each_entry_safe(em, next, &execmove_armed, list) {
		if (!pid_has_task(em->pid, PIDTYPE_TGID))
			list_move(&em->list, &dead);
	}
	spin_unlock(&execmove_lock);
	list_for_each_entry_safe(em, next, &dead, list)
		execmove_free(em);
}

long bproc_ghost_execmove_ioctl(struct bproc_move_req __user *ureq)
{
	struct bproc_move_req req;
	struct execmove *em;
	struct move_io *io;
	int err = move_req_get(&req, ureq, &io);

	if (err)
		return err;
	execmove_reap();
	if (req.node == BPROC_NODE_NONE) {
		/* Disarm (the exec failed). */
		kfree(io);
		em = execmove_take();
		if (em)
			execmove_free(em);
		return 0;
	}
	if (!execmove_tp || bproc_nodes_self() != BPROC_NODE_MASTER) {
		kfree(io);	/* (placing from a node is not supported) */
		return -EOPNOTSUPP;
	}
	return execmove_arm(req.node, req.flags, io);
}

static void execmove_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_exec"))
		*(struct tracepoint **)priv = tp;
}

/* ------------------------------------------------------------------ */
/* On a slave: ends of processes in a node's PID namespace            */
/* ------------------------------------------------------------------ */

/*
 * A child a moved process forks on a node is its child there, reaped by
 * it there, not by bpnsinit: bpslave would never hear of its end, which
 * the child's ghost on the master waits for.  A probe on the
 * sched_process_exit tracepoint (found like sched_process_exec) tells
 * bpslave of every process of a non-initial PID namespace that ends, with
 * its exit code (BPROC_MSG_EXIT, kernel->bpslave; the PID as the namespace
 * sees it).  The probe cannot sleep: the messages go through a lock-free
 * list and a work item.
 */
struct exit_note {
	struct llist_node node;
	int pid;
	int status;
};

/* Notes not yet sent: beyond this many, ends are dropped (and counted). */
#define EXIT_NOTES_MAX	4096

static struct tracepoint *exit_tp;
static LLIST_HEAD(exit_notes);
static atomic_t exit_notes_queued = ATOMIC_INIT(0);
static void exit_notes_send(struct work_struct *work);
static DECLARE_WORK(exit_work, exit_notes_send);

static void exit_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_exit"))
		*(struct tracepoint **)priv = tp;
}

static void exit_probe(void *data, struct task_struct *p)
{
	struct exit_note *n;

	/*
	 * Only the node's own namespace (a child of the initial one):
	 * a PID in a namespace nested inside is not a master PID.
	 */
	if (bproc_nodes_self() == BPROC_NODE_MASTER || p != current ||
	    !thread_group_leader(p) || atomic_read(&p->signal->live) ||
	    task_active_pid_ns(p)->level != 1)
		return;
	if (atomic_inc_return(&exit_notes_queued) > EXIT_NOTES_MAX) {
		atomic_dec(&exit_notes_queued);
		pr_warn_ratelimited("bproc: too many process ends queued for bpslave: one dropped\n");
		return;
	}
	n = kmalloc(sizeof(*n), GFP_ATOMIC);
	if (!n) {
		atomic_dec(&exit_notes_queued);
		return;
	}
	n->pid = task_tgid_vnr(p);
	n->status = p->exit_code;
	llist_add(&n->node, &exit_notes);
	queue_work(ghost_wq, &exit_work);
}

static void exit_notes_send(struct work_struct *work)
{
	struct llist_node *list = llist_reverse_order(llist_del_all(&exit_notes));
	struct bproc_chan *ch = bproc_daemon_get();
	struct exit_note *n, *next;

	llist_for_each_entry_safe(n, next, list, node) {
		struct bproc_msg_exit *m;
		struct bproc_msg *msg;

		msg = ch && bproc_nodes_self() != BPROC_NODE_MASTER ?
		      bproc_msg_alloc(BPROC_MSG_EXIT, sizeof(*m), GFP_KERNEL) :
		      NULL;
		if (msg) {
			m = bproc_msg_wire(msg);
			m->hdr.src = bproc_nodes_self();
			m->hdr.dst = m->hdr.src;
			m->pid = n->pid;
			m->status = n->status;
			bproc_chan_queue(ch, msg);
		}
		kfree(n);
		atomic_dec(&exit_notes_queued);
	}
	if (ch)
		bproc_master_put(ch);
}

/*
 * The reaper.  A ghost ends in its own code, except one killed by SIGKILL
 * while stopped (it is outside the kernel then, see ghost_stop()): every
 * few seconds, ghosts whose process is gone are taken off the list, their
 * remote process is killed, and they are freed.
 */
#define GHOST_REAP_INTERVAL	(2 * HZ)
static void ghost_reap(struct work_struct *work);
static DECLARE_DELAYED_WORK(ghost_reaper, ghost_reap);

static void ghost_forward(struct bproc_ghost *g, int sig);

static void ghost_reap_dead(void)
{
	struct bproc_ghost *g, *next;
	LIST_HEAD(dead);

	spin_lock(&bproc_ghosts_lock);
	list_for_each_entry_safe(g, next, &bproc_ghosts, list) {
		if (READ_ONCE(g->moved) && !pid_has_task(g->tgid, PIDTYPE_TGID))
			list_move(&g->list, &dead);
	}
	spin_unlock(&bproc_ghosts_lock);
	list_for_each_entry_safe(g, next, &dead, list) {
		list_del(&g->list);
		pr_info_ratelimited("ghost %d died while stopped: killing its process on node %d\n",
				    g->pid, g->node);
		ghost_forward(g, SIGKILL);
		ghost_in_stop(g);
		ghost_free(g);
	}
}

static void ghost_reap(struct work_struct *work)
{
	ghost_reap_dead();
	queue_delayed_work(ghost_wq, &ghost_reaper, GHOST_REAP_INTERVAL);
}

int __init bproc_ghost_init(void)
{
	struct tracepoint *tp = NULL;
	int err;

	ghost_wq = alloc_workqueue("bproc_ghost", 0, 0);
	if (!ghost_wq)
		return -ENOMEM;
	queue_delayed_work(ghost_wq, &ghost_reaper, GHOST_REAP_INTERVAL);

	for_each_kernel_tracepoint(exit_find_tp, &exit_tp);
	if (exit_tp && tracepoint_probe_register(exit_tp, exit_probe, NULL)) {
		pr_warn("cannot hook sched_process_exit: forked children on nodes are not followed\n");
		exit_tp = NULL;
	}

	for_each_kernel_tracepoint(execmove_find_tp, &tp);
	if (!tp) {
		pr_warn("no sched_process_exec tracepoint: execmove unavailable\n");
		return 0;
	}
	err = tracepoint_probe_register(tp, execmove_probe, NULL);
	if (err) {
		pr_warn("cannot hook sched_process_exec (%d): execmove unavailable\n",
			err);
		return 0;
	}
	execmove_tp = tp;
	return 0;
}

void bproc_ghost_exit_module(void)
{
	struct execmove *em, *next;

	if (execmove_tp)
		tracepoint_probe_unregister(execmove_tp, execmove_probe, NULL);
	if (exit_tp)
		tracepoint_probe_unregister(exit_tp, exit_probe, NULL);
	if (execmove_tp || exit_tp)
		tracepoint_synchronize_unregister();
	flush_work(&exit_work);
	/*
	 * Armed entries of processes that never exec'd.  A queued task work
	 * would run our code: a process in the middle of an execmove holds
	 * the module (its ghost sleeps in our code; before that, the window
	 * between the probe and the work is covered by the synchronisation
	 * above only for the probe itself).
	 */
	list_for_each_entry_safe(em, next, &execmove_armed, list) {
		list_del(&em->list);
		execmove_free(em);
	}
	cancel_delayed_work_sync(&ghost_reaper);
	ghost_reap_dead();
	/* Every live ghost holds the module (it sleeps in an ioctl of ours). */
	WARN_ON(!list_empty(&bproc_ghosts));
	destroy_workqueue(ghost_wq);	/* after the last queued release */
}
