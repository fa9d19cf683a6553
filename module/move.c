// SPDX-License-Identifier: GPL-2.0
/*
 * Moving a process to a node.
 *
 * BPROC_IOC_MOVE, called by the process itself: it is dumped (VMADump,
 * module/vmad_dump.c) into BPROC_MSG_IMAGE messages on bpmaster's session,
 * after a BPROC_MSG_MOVE request; bpmaster sends the image to the node's
 * bpslave, which restores it in the node's PID namespace at the same PID,
 * and answers.  On success the restored process returns 0 from this very
 * ioctl on the node, and the caller on the master becomes its ghost
 * (module/ghost_loop.c): the same task, sleeping in the ioctl for the rest
 * of its life.  On a slave, a process moves on (or back) through bpslave,
 * and the copy left behind just ends.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/bproc.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/fs_struct.h>
#include <linux/in.h>
#include <linux/minmax.h>
#include <linux/nsproxy.h>
#include <linux/path.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seccomp.h>
#include <linux/securebits.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "exit_notes.h"
#include "internal.h"
#include "nodes.h"
#include "ghost.h"
#include "ghost_loop.h"
#include "ghost_shrink.h"
#include "ghost_table.h"
#include "move.h"
#include "moveio_check.h"
#include "notify.h"
#include "req.h"

/* How long a mover waits for the node's answer. */
#define GHOST_MOVE_TIMEOUT	(300 * HZ)

/*
 * The mover's PID as the cluster knows it: on a slave, the one in the
 * node's PID namespace (which is its master PID).
 */
static int move_pid(void)
{
	return bproc_nodes_self() == BPROC_NODE_MASTER ? task_tgid_nr(current) :
							 task_tgid_vnr(current);
}

/*
 * On a slave, only a process of the node's own PID namespace (a child of
 * the initial one, where bpslave's init runs) has a master PID.  One in a
 * namespace nested inside (unshare -Urp, open to any user) could have any
 * PID there, another user's process's included: its move would be taken
 * for that process's, and its image restored in that process's ghost:
 * EPERM.  One outside any (the node's initial namespace) is no process the
 * master placed: EOPNOTSUPP, as bpslave would answer.
 */
static int move_pid_check(void)
{
	unsigned int level = task_active_pid_ns(current)->level;

	if (level == 1)
		return 0;
	/* Outside any bproc namespace: not a process the master placed. */
	return level ? -EPERM : -EOPNOTSUPP;
}

/* Stream the dump @d as IMAGE messages.  Always ends with a "last" one. */
static int move_stream(struct bproc_chan *ch, u64 id,
		       struct bproc_vmad_dumper *d)
{
	const size_t max = BPROC_MSG_MAX - sizeof(struct bproc_msg_image);
	int pid = move_pid();
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

			err = bproc_notify_image(ch, id, pid, offset, p, k, false);
			p += k;
			n -= k;
			offset += k;
		}
	}
	/* The end, even of an aborted image: the node stops waiting. */
	bproc_notify_image(ch, id, pid, offset, NULL, 0, true);
	return err;
}

/*
 * Does the caller's confinement match its PID namespace's init (init on
 * the master, bpslave's namespace init on a node), whose children the
 * restorer's are: the same namespaces, the same root directory, the same
 * LSM label (AppArmor's profile, SELinux's or Smack's context: the one
 * secid of the major LSM; equal secids are the same label)?
 */
static bool move_same_ns(void)
{
	struct pid_namespace *pns = task_active_pid_ns(current);
	struct task_struct *reaper;
	struct nsproxy *a, *b;
	struct path ra, rb;
	bool same = false;

	if (bproc_nodes_self() == BPROC_NODE_MASTER ? pns != &init_pid_ns :
						      pns->level != 1)
		return false;
	rcu_read_lock();
	reaper = READ_ONCE(pns->child_reaper);
	if (reaper)
		get_task_struct(reaper);
	rcu_read_unlock();
	if (!reaper)
		return false;

	task_lock(reaper);
	a = current->nsproxy;
	b = reaper->nsproxy;
	if (a && b && reaper->fs && current->fs &&
	    a->uts_ns == b->uts_ns && a->ipc_ns == b->ipc_ns &&
	    a->mnt_ns == b->mnt_ns && a->net_ns == b->net_ns &&
	    a->cgroup_ns == b->cgroup_ns && a->time_ns == b->time_ns &&
	    a->pid_ns_for_children == b->pid_ns_for_children) {
		get_fs_root(reaper->fs, &rb);
		same = true;
	}
	task_unlock(reaper);
	if (same) {
		get_fs_root(current->fs, &ra);
		same = path_equal(&ra, &rb);
		path_put(&ra);
		path_put(&rb);
	}
	rcu_read_lock();
	if (same && __task_cred(reaper)->user_ns != current_user_ns())
		same = false;
	rcu_read_unlock();
	if (same) {
		u32 mine, its;

		security_task_getsecid_obj(current, &mine);
		security_task_getsecid_obj(reaper, &its);
		same = mine == its;
	}
	put_task_struct(reaper);
	return same;
}

/*
 * Issue 19, item 8: the image carries no confinement.  The node's
 * restorer starts from bpslave's: no seccomp filter but bproc's own, no
 * securebits, the node's namespaces and root, and, for an image with a
 * root id, all of root's capabilities.  A process that has any of these
 * narrower than that would be set free by its move; it does not move
 * (EPERM).  no_new_privs travels (VMAD_PROC_NO_NEW_PRIVS).  A non-root
 * process's capabilities are not carried either, but the node gives it
 * none: nothing is gained.  An LSM label other than init's (a confined
 * AppArmor profile) would be the restorer's on the other side: EPERM too.
 * Landlock's domains have no secid and no exported test: not seen.
 */
int bproc_move_confined(void)
{
	const struct cred *c = current_cred();
	bool root;

#ifdef CONFIG_SECCOMP
	/*
	 * On a node, the restorer gave the process bproc's own filter (the
	 * PID-space calls, cmd/bpslave/nsinit.c), the first of its chain:
	 * the next restorer gives it again.  Any other is the process's own.
	 */
	if (READ_ONCE(current->seccomp.mode) != SECCOMP_MODE_DISABLED &&
	    (bproc_nodes_self() == BPROC_NODE_MASTER ||
	     READ_ONCE(current->seccomp.mode) != SECCOMP_MODE_FILTER ||
	     atomic_read(&current->seccomp.filter_count) > 1))
		return -EPERM;
#endif
	if (c->securebits)
		return -EPERM;
	root = uid_eq(c->uid, GLOBAL_ROOT_UID) || uid_eq(c->euid, GLOBAL_ROOT_UID) ||
	       uid_eq(c->suid, GLOBAL_ROOT_UID);
	if (root && (!cap_issubset(CAP_FULL_SET, c->cap_permitted) ||
		     !cap_issubset(CAP_FULL_SET, c->cap_bset)))
		return -EPERM;
	if (!move_same_ns())
		return -EPERM;
	return 0;
}

int bproc_move_check(int node)
{
	int err, st;

	err = bproc_move_confined();
	if (err)
		return err;
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

long bproc_move_ghost(int node, u32 flags, struct bproc_move_ios *io,
		      bool *back)
{
	struct bproc_vmad_dumper *d;
	struct bproc_ghost *g;
	struct bproc_chan *ch;
	struct bproc_req r;
	long code;
	int err, st;

	err = bproc_move_check(node);
	if (err) {
		kfree(io);
		return err;
	}
	ch = bproc_master_get();
	if (!ch) {
		kfree(io);
		return -ENOTCONN;
	}
	g = bproc_ghost_register(task_tgid_nr(current), task_tgid(current), node);
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
	bproc_req_start(&r, ch);
	/* @io is appended: the node opens it in place of the forwarded fds. */
	err = bproc_notify_move(ch, r.id, move_pid(), node, flags & VMAD_DUMP_ALL,
				io ? io->e : NULL, io ? io->n : 0);
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
		bproc_ghost_unregister(g);
		return err ?: st;
	}

	/* The process runs on the node now: this is its ghost. */
	WRITE_ONCE(g->moved, true);
	bproc_ghost_close_fds();
	code = bproc_ghost_shrink();
	if (IS_ERR_VALUE(code)) {
		pr_warn_ratelimited("ghost %d: cannot shrink: %ld\n", g->pid, code);
		bproc_ghost_forward(g, SIGKILL);
		bproc_ghost_unregister(g);
		force_sig(SIGKILL);
		return code;
	}
	return bproc_ghost_run(g, code, flags & BPROC_MOVE_STDIN, back);

fail:
	bproc_ghost_unregister(g);
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

	if (node != BPROC_NODE_MASTER)
		err = bproc_move_check(node);
	else
		err = bproc_move_confined();
	if (err)
		return err;
	ch = bproc_daemon_get();
	if (!ch)
		return -ENOTCONN;
	d = bproc_vmad_dumper_create(current, flags, true);
	if (IS_ERR(d)) {
		bproc_master_put(ch);
		return PTR_ERR(d);
	}
	/* Its children's ends it saw go first (exit_notes.c). */
	bproc_exit_notes_flush();
	bproc_req_start(&r, ch);
	err = bproc_notify_move(ch, r.id, move_pid(), node, flags, NULL, 0);
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

int bproc_move_req_get(struct bproc_move_req *req,
		       struct bproc_move_req __user *ureq,
		       struct bproc_move_ios **iop)
{
	struct bproc_move_ios *io;
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
	/* The rules libbproc and the wire codec apply too. */
	err = bproc_move_io_check_all(io->e, io->n, NULL);
	if (err) {
		kfree(io);
		return err;
	}
	*iop = io;
	return 0;
}

long bproc_move_ioctl(struct file *file, struct bproc_move_req __user *ureq)
{
	struct bproc_move_req req;
	struct bproc_move_ios *io;
	int err = bproc_move_req_get(&req, ureq, &io);
	bool back;

	if (err)
		return err;
	if (req.node == BPROC_NODE_SELF || req.node == bproc_node_here()) {
		err = io ? -EINVAL : 0;	/* no move: nothing to open */
		kfree(io);
		return err;
	}
	if (bproc_nodes_self() != BPROC_NODE_MASTER) {
		err = move_pid_check();
		if (err) {
			kfree(io);
			return err;
		}
		/* Descriptors are opened for a move from the master only. */
		err = io ? -EOPNOTSUPP : slave_move(req.node, req.flags & VMAD_DUMP_ALL);
		kfree(io);
		return err;
	}
	return bproc_move_ghost(req.node, req.flags, io, &back);
}
