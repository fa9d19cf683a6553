// SPDX-License-Identifier: GPL-2.0
/*
 * bprocfs: the module's small file system, mounted on /proc/bproc.
 *
 *   /proc/bproc/libraries     the remote-file list (vmad_libs.c)
 *   /proc/bproc/processes     "PID NODE" of every remote process (ghost.c)
 *   /proc/bproc/<pid>/node    where <pid> runs: a node, or -1 (the master)
 *   /proc/bproc/<pid>/image   the VMADump image of a stopped process
 *
 * A module cannot add entries under /proc/<pid>/, and procfs has no hook
 * for directories that exist on demand, so bproc follows binfmt_misc: the
 * module makes /proc/bproc an empty procfs mount point
 * (proc_create_mount_point()) and registers the file system "bproc";
 * whoever starts bproc mounts a file system of that type there (the slave
 * image's init, the master's service; see Documentation/vmadump.md).
 *
 * There is one superblock (get_tree_single(), as binfmt_misc), shared by
 * every mount.  Names are PIDs in the PID namespace of the process that
 * looks them up or lists the directory (current), not of the mounter:
 *
 *   lookup     a decimal name makes the directory's inode when that number
 *              is a process (thread-group leader) in the caller's PID
 *              namespace; the inode holds a reference to its struct pid;
 *   readdir    "libraries", then every live process of the caller's PID
 *              namespace, in PID order (find_ge_pid(), as procfs does);
 *   revalidate a cached <pid> dentry stays valid only while its process is
 *              alive and has that number in the caller's PID namespace;
 *              otherwise the VFS drops it and looks the name up again;
 *   d_delete   always_delete_dentry(): no dentry, positive or negative,
 *              outlives its last user, so the dentry of a dead process
 *              never lingers and inodes are freed by the VFS as soon as
 *              they are unused (no cache, nothing to count).
 *
 * A mounted superblock holds a reference to the module, so the module
 * cannot be unloaded while the file system is mounted: umount first.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/kstrtox.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/statfs.h>
#include <linux/threads.h>
#include <linux/uaccess.h>
#include <linux/bproc_image.h>

#include <linux/seq_file.h>

#include "internal.h"
#include "ghost_table.h"

#define BPROC_FS_MAGIC		0x62707266	/* "bprf" */
#define BPROC_FS_ROOT_INO	1

/* Root directory positions: ".", "..", "libraries", "processes", then PID + 4. */
#define BPROC_FS_POS_LIBS	2
#define BPROC_FS_POS_PROCS	3
#define BPROC_FS_POS_PIDS	4
#define BPROC_FS_POS_END	((loff_t)PID_MAX_LIMIT + BPROC_FS_POS_PIDS)

static struct proc_dir_entry *bproc_fs_mount_point;

/* ------------------------------------------------------------------ */
/* /proc/bproc/<pid>/image                                            */
/* ------------------------------------------------------------------ */

/* An open image: the dump and what of its current piece is left. */
struct bproc_image_file {
	struct mutex lock;	/* serialises read() */
	struct bproc_vmad_dumper *d;
	const u8 *piece;
	size_t left;
	bool eof;
};

/* ------------------------------------------------------------------ */
/* ptrace's access rule, re-created (Documentation/security.md)        */
/* ------------------------------------------------------------------ */

/*
 * ptrace_may_access() and security_ptrace_access_check() are not exported
 * on 6.1, so the rule of /proc/<pid>/mem (PTRACE_MODE_ATTACH_FSCREDS) is
 * re-created here from what is: __ptrace_may_access() (kernel/ptrace.c),
 * the capability-subset rule of cap_ptrace_access_check()
 * (security/commoncap.c) and, for attach, Yama's ptrace_scope
 * (security/yama/yama_lsm.c).  What cannot be re-created is stricter:
 * Yama's PR_SET_PTRACER exceptions are not seen (scope 1 allows only
 * descendants and CAP_SYS_PTRACE).  Other LSMs (AppArmor, SELinux) are not
 * consulted.
 */
#define BPROC_YAMA_SCOPE_NO_ATTACH	3

/*
 * Yama's ptrace_scope is a static variable of Yama, only visible as the
 * sysctl kernel.yama.ptrace_scope: read it through a procfs mounted by the
 * module (kern_mount(), never seen by user space), so that no reader's
 * root or mount namespace can hide the file.
 */
static struct vfsmount *bproc_fs_procfs;

static int bproc_fs_yama_scope(void)
{
	struct file *f;
	char buf[12];
	loff_t pos = 0;
	ssize_t n;
	int scope;

	if (!IS_ENABLED(CONFIG_SECURITY_YAMA))
		return 0;
	if (!bproc_fs_procfs)
		return BPROC_YAMA_SCOPE_NO_ATTACH;	/* unknown: the strictest */
	f = file_open_root_mnt(bproc_fs_procfs, "sys/kernel/yama/ptrace_scope",
			       O_RDONLY, 0);
	if (IS_ERR(f))	/* no such file: Yama is built in but not enabled */
		return PTR_ERR(f) == -ENOENT ? 0 : BPROC_YAMA_SCOPE_NO_ATTACH;
	n = kernel_read(f, buf, sizeof(buf) - 1, &pos);
	fput(f);
	if (n <= 0)
		return BPROC_YAMA_SCOPE_NO_ATTACH;
	buf[n] = '\0';
	if (kstrtoint(strim(buf), 10, &scope) || scope < 0 ||
	    scope > BPROC_YAMA_SCOPE_NO_ATTACH)
		return BPROC_YAMA_SCOPE_NO_ATTACH;
	return scope;
}

static void bproc_fs_procfs_init(void)
{
	struct file_system_type *proc = get_fs_type("proc");

	/* proc is built in: get_fs_type() took no module reference */
	bproc_fs_procfs = proc ? kern_mount(proc) : NULL;
	if (IS_ERR_OR_NULL(bproc_fs_procfs)) {
		pr_warn("no procfs for kernel.yama.ptrace_scope: images are readable by no one\n");
		bproc_fs_procfs = NULL;
	}
}

static void bproc_fs_procfs_exit(void)
{
	if (bproc_fs_procfs)
		kern_unmount(bproc_fs_procfs);
	bproc_fs_procfs = NULL;
}

/* Yama's task_is_descendant(): is @task current's process or below it? */
static bool bproc_fs_is_descendant(struct task_struct *task)
{
	struct task_struct *me, *walker = task;
	bool found = false;

	/* group_leader is not __rcu: tasks are freed after a grace period */
	rcu_read_lock();
	me = READ_ONCE(current->group_leader);
	while (walker->pid > 0) {
		if (!thread_group_leader(walker))
			walker = READ_ONCE(walker->group_leader);
		if (walker == me) {
			found = true;
			break;
		}
		walker = rcu_dereference(walker->real_parent);
	}
	rcu_read_unlock();
	return found;
}

static bool bproc_fs_has_ptrace_cap(struct user_namespace *ns, bool audit)
{
	return audit ? ns_capable(ns, CAP_SYS_PTRACE) :
		       ns_capable_noaudit(ns, CAP_SYS_PTRACE);
}

/*
 * May current (its fs ids, as for a file) inspect @task?  @scope is Yama's
 * ptrace_scope for an attach (the image), -1 for a mere look (hidepid).
 * @audit: capability checks are audited (not for listings, nor under
 * spinlocks, where audit could allocate).  Does not sleep.
 */
static bool bproc_fs_ptrace_ok(struct task_struct *task, int scope,
			       bool audit)
{
	const struct cred *cred = current_cred(), *tcred;
	struct mm_struct *mm;
	bool ok;

	if (same_thread_group(task, current))
		return true;
	rcu_read_lock();
	tcred = __task_cred(task);
	/* __ptrace_may_access(): the same ids, or CAP_SYS_PTRACE over it */
	ok = (uid_eq(cred->fsuid, tcred->uid) &&
	      uid_eq(cred->fsuid, tcred->euid) &&
	      uid_eq(cred->fsuid, tcred->suid) &&
	      gid_eq(cred->fsgid, tcred->gid) &&
	      gid_eq(cred->fsgid, tcred->egid) &&
	      gid_eq(cred->fsgid, tcred->sgid)) ||
	     bproc_fs_has_ptrace_cap(tcred->user_ns, audit);
	/* cap_ptrace_access_check(): no capability the reader lacks */
	if (ok && !(cred->user_ns == tcred->user_ns &&
		    cap_issubset(tcred->cap_permitted, cred->cap_effective)))
		ok = bproc_fs_has_ptrace_cap(tcred->user_ns, audit);
	/* yama_ptrace_access_check() */
	if (ok && scope == 1)
		ok = bproc_fs_is_descendant(task) ||
		     bproc_fs_has_ptrace_cap(tcred->user_ns, audit);
	else if (ok && scope == 2)
		ok = bproc_fs_has_ptrace_cap(tcred->user_ns, audit);
	else if (scope >= BPROC_YAMA_SCOPE_NO_ATTACH)
		ok = false;
	rcu_read_unlock();
	if (!ok)
		return false;
	/* the dumpability, read after the credentials (as ptrace does) */
	smp_rmb();
	task_lock(task);
	mm = task->mm;
	if (mm && get_dumpable(mm) != SUID_DUMP_USER)
		ok = bproc_fs_has_ptrace_cap(mm->user_ns, audit);
	task_unlock(task);
	return ok;
}

/*
 * May the caller read @task's image?  What a ptrace attach of it needs
 * (the rule above, with Yama's current ptrace_scope).
 */
static int bproc_image_may_read(struct task_struct *task)
{
	return bproc_fs_ptrace_ok(task, bproc_fs_yama_scope(), true) ?
	       0 : -EACCES;
}

static int bproc_image_open(struct inode *inode, struct file *file)
{
	struct pid *pid = inode->i_private;
	struct bproc_image_file *img;
	struct task_struct *task;
	int err;

	/* The process this inode was made for, if the caller can see it. */
	if (!pid_vnr(pid))
		return -ENOENT;
	task = get_pid_task(pid, PIDTYPE_PID);
	if (!task)
		return -ENOENT;
	err = bproc_image_may_read(task);
	if (err)
		goto out_put_task;
	if (!task_is_stopped(task)) {
		err = -EBUSY;	/* only a stopped process has a fixed image */
		goto out_put_task;
	}
	err = -ENOMEM;
	img = kzalloc(sizeof(*img), GFP_KERNEL);
	if (!img)
		goto out_put_task;
	mutex_init(&img->lock);
	img->d = bproc_vmad_dumper_create(task, VMAD_DUMP_ALL, false);
	if (IS_ERR(img->d)) {
		err = PTR_ERR(img->d);
		kfree(img);
		goto out_put_task;
	}
	/*
	 * The dumper pinned the task's mm and credentials; they must be the
	 * ones the caller may read (the task may have exec'd since the check
	 * above).  Every read checks that they are still the task's.
	 */
	err = bproc_image_may_read(task);
	if (!err)
		err = bproc_vmad_dumper_check(img->d);
	if (err) {
		bproc_vmad_dumper_free(img->d);
		kfree(img);
		goto out_put_task;
	}
	put_task_struct(task);
	file->private_data = img;
	return stream_open(inode, file);

out_put_task:
	put_task_struct(task);
	return err;
}

static ssize_t bproc_image_read(struct file *file, char __user *buf,
				size_t count, loff_t *ppos)
{
	struct bproc_image_file *img = file->private_data;
	size_t done = 0;
	ssize_t ret = 0;

	if (mutex_lock_killable(&img->lock))
		return -EINTR;
	while (done < count && !img->eof) {
		size_t n;

		if (!img->left) {
			const void *p;

			ret = bproc_vmad_dumper_next(img->d, &p);
			if (ret < 0)
				break;
			if (ret == 0) {
				img->eof = true;
				break;
			}
			img->piece = p;
			img->left = ret;
			ret = 0;
		}
		n = min(count - done, img->left);
		if (copy_to_user(buf + done, img->piece, n)) {
			ret = -EFAULT;
			break;
		}
		img->piece += n;
		img->left -= n;
		done += n;
	}
	mutex_unlock(&img->lock);
	if (done)
		return done;
	return ret;
}

static int bproc_image_release(struct inode *inode, struct file *file)
{
	struct bproc_image_file *img = file->private_data;

	bproc_vmad_dumper_free(img->d);
	kfree(img);
	return 0;
}

static const struct file_operations bproc_image_fops = {
	.owner = THIS_MODULE,
	.open = bproc_image_open,
	.read = bproc_image_read,
	.llseek = no_llseek,
	.release = bproc_image_release,
};

/* ------------------------------------------------------------------ */
/* /proc/bproc/<pid>/node and /proc/bproc/processes                   */
/* ------------------------------------------------------------------ */

static int bproc_node_show(struct seq_file *m, void *unused)
{
	struct pid *pid = m->private;

	seq_printf(m, "%d\n", bproc_ghost_node(pid_nr(pid)));
	return 0;
}

static int bproc_node_open(struct inode *inode, struct file *file)
{
	return single_open(file, bproc_node_show, inode->i_private);
}

static const struct file_operations bproc_node_fops = {
	.open = bproc_node_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

/*
 * /proc/bproc/processes shows a reader what its /proc would: the PIDs of
 * its own PID namespace only, and under hidepid= (of the procfs on its
 * /proc, found at open) only the processes it may look at.  The show
 * function (ghost.c) asks bproc_fs_process_visible() for each entry.
 */
struct bproc_fs_reader {
	struct pid_namespace *ns;	/* the reader's, a reference */
	int hide_pid;			/* enum proc_hidepid */
	kgid_t pid_gid;			/* gid=: this group sees everything */
};

/* The hidepid= and gid= of the procfs on the caller's /proc. */
static void bproc_fs_reader_hidepid(struct bproc_fs_reader *r)
{
	struct path path;

	/* no procfs on /proc: as strict as hidepid=invisible */
	r->hide_pid = HIDEPID_INVISIBLE;
	r->pid_gid = INVALID_GID;
	if (kern_path("/proc", LOOKUP_FOLLOW, &path))
		return;
	if (path.dentry->d_sb->s_magic == PROC_SUPER_MAGIC) {
		const struct proc_fs_info *fs_info = proc_sb_info(path.dentry->d_sb);

		r->hide_pid = fs_info->hide_pid;
		r->pid_gid = fs_info->pid_gid;
	}
	path_put(&path);
}

/*
 * May the reader of @r see (@hide_min HIDEPID_INVISIBLE: list, look up) or
 * enter (HIDEPID_NO_ACCESS) the directory of process @pid?  procfs's
 * has_pid_permissions(), with the ptrace rule above in read mode, without
 * Yama (as PTRACE_MODE_READ_FSCREDS).  Does not sleep.
 */
static bool bproc_fs_hidepid_ok(const struct bproc_fs_reader *r,
				struct pid *pid, int hide_min)
{
	struct task_struct *task;
	bool ok;

	if (r->hide_pid != HIDEPID_NOT_PTRACEABLE &&
	    (r->hide_pid < hide_min || in_group_p(r->pid_gid)))
		return true;
	rcu_read_lock();
	task = pid_task(pid, PIDTYPE_TGID);
	ok = task && bproc_fs_ptrace_ok(task, -1, false);
	rcu_read_unlock();
	return ok;
}

bool bproc_fs_process_visible(struct seq_file *m, struct pid *pid, pid_t *nr)
{
	const struct bproc_fs_reader *r = m->private;

	*nr = pid_nr_ns(pid, r->ns);
	if (!*nr)
		return false;	/* not in the reader's PID namespace */
	return bproc_fs_hidepid_ok(r, pid, HIDEPID_INVISIBLE);
}

/* As above, for the caller now (its /proc looked up: this may sleep). */
static bool bproc_fs_caller_may(struct pid *pid, int hide_min)
{
	struct bproc_fs_reader r = { };	/* (no namespace: not needed) */

	bproc_fs_reader_hidepid(&r);
	return bproc_fs_hidepid_ok(&r, pid, hide_min);
}

static int bproc_processes_open(struct inode *inode, struct file *file)
{
	struct bproc_fs_reader *r = kzalloc(sizeof(*r), GFP_KERNEL);
	int err;

	if (!r)
		return -ENOMEM;
	bproc_fs_reader_hidepid(r);
	r->ns = get_pid_ns(task_active_pid_ns(current));
	err = single_open(file, bproc_ghosts_show, r);
	if (err) {
		put_pid_ns(r->ns);
		kfree(r);
	}
	return err;
}

static int bproc_processes_release(struct inode *inode, struct file *file)
{
	struct bproc_fs_reader *r = ((struct seq_file *)file->private_data)->private;

	put_pid_ns(r->ns);
	kfree(r);
	return single_release(inode, file);
}

static const struct file_operations bproc_processes_fops = {
	.open = bproc_processes_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = bproc_processes_release,
};

/* ------------------------------------------------------------------ */
/* Inodes and dentries                                                */
/* ------------------------------------------------------------------ */

/*
 * A new inode of @sb; @pid (a reference, passed on to the inode, which
 * drops it when it is evicted) for a <pid> directory and its image, NULL
 * for the root and libraries.  Owned by root; NULL on failure (@pid put).
 */
static struct inode *bproc_fs_new_inode(struct super_block *sb, umode_t mode,
					struct pid *pid)
{
	struct inode *inode = new_inode(sb);

	if (!inode) {
		put_pid(pid);
		return NULL;
	}
	inode->i_ino = get_next_ino();
	inode->i_mode = mode;
	inode->i_mtime = current_time(inode);
	inode->i_atime = inode->i_mtime;
	inode->i_ctime = inode->i_mtime;
	inode->i_private = pid;
	if (S_ISDIR(mode))
		set_nlink(inode, 2);
	return inode;
}

static void bproc_fs_evict_inode(struct inode *inode)
{
	truncate_inode_pages_final(&inode->i_data);
	clear_inode(inode);
	put_pid(inode->i_private);	/* NULL for the root and libraries */
}

/* The PID a name spells (decimal, no sign or leading zero), or 0. */
static pid_t bproc_fs_name_to_pid(const struct qstr *name)
{
	unsigned int i;
	pid_t nr = 0;

	if (!name->len || name->len > 9 || name->name[0] == '0')
		return 0;
	for (i = 0; i < name->len; i++) {
		if (name->name[i] < '0' || name->name[i] > '9')
			return 0;
		nr = nr * 10 + (name->name[i] - '0');
	}
	return nr;
}

/*
 * Is the cached dentry still right?  A <pid> directory (a struct pid in its
 * inode, a root child) only while its process lives, has that number in
 * the caller's PID namespace and hidepid= lets the caller see it (a
 * dentry another reader holds must not show it to this one); an image only
 * while its process lives;
 * libraries always.  Negative dentries are looked up again (a process may
 * have appeared).  The pid is looked at only in ref-walk mode: the inode
 * (and its reference) may be going away under an RCU walk.
 */
static int bproc_fs_d_revalidate(struct dentry *dentry, unsigned int flags)
{
	struct inode *inode;
	struct pid *pid;

	if (flags & LOOKUP_RCU)
		return -ECHILD;
	inode = d_inode(dentry);
	if (!inode)
		return 0;
	pid = inode->i_private;
	if (!pid)
		return 1;
	if (!pid_has_task(pid, PIDTYPE_TGID))
		return 0;
	if (S_ISDIR(inode->i_mode) &&
	    (pid_nr_ns(pid, task_active_pid_ns(current)) !=
	     bproc_fs_name_to_pid(&dentry->d_name) ||
	     !bproc_fs_caller_may(pid, HIDEPID_INVISIBLE)))
		return 0;
	return 1;
}

static const struct dentry_operations bproc_fs_dentry_ops = {
	.d_revalidate = bproc_fs_d_revalidate,
	.d_delete = always_delete_dentry,
};

/* ------------------------------------------------------------------ */
/* /proc/bproc/<pid>/                                                 */
/* ------------------------------------------------------------------ */

static struct dentry *bproc_fs_pid_lookup(struct inode *dir,
					  struct dentry *dentry,
					  unsigned int flags)
{
	struct inode *inode = NULL;

	if (dentry->d_name.len == 5 && !memcmp(dentry->d_name.name, "image", 5)) {
		inode = bproc_fs_new_inode(dir->i_sb, S_IFREG | 0444,
					   get_pid(dir->i_private));
		if (!inode)
			return ERR_PTR(-ENOMEM);
		inode->i_fop = &bproc_image_fops;
	} else if (dentry->d_name.len == 4 &&
		   !memcmp(dentry->d_name.name, "node", 4)) {
		inode = bproc_fs_new_inode(dir->i_sb, S_IFREG | 0444,
					   get_pid(dir->i_private));
		if (!inode)
			return ERR_PTR(-ENOMEM);
		inode->i_fop = &bproc_node_fops;
	}
	return d_splice_alias(inode, dentry);
}

static int bproc_fs_pid_readdir(struct file *file, struct dir_context *ctx)
{
	if (!dir_emit_dots(file, ctx))
		return 0;
	if (ctx->pos == 2) {
		if (!dir_emit(ctx, "image", 5, BPROC_FS_ROOT_INO + 1, DT_REG))
			return 0;
		ctx->pos++;
	}
	if (ctx->pos == 3) {
		if (!dir_emit(ctx, "node", 4, BPROC_FS_ROOT_INO + 2, DT_REG))
			return 0;
		ctx->pos++;
	}
	return 0;
}

/*
 * Entering a <pid> directory: under hidepid=noaccess (and stricter) only
 * for who may look at the process, as procfs's proc_pid_permission()
 * decides.  Its /proc is looked up, which may sleep: not in an RCU walk.
 */
static int bproc_fs_pid_permission(struct user_namespace *mnt_userns,
				   struct inode *inode, int mask)
{
	if (mask & MAY_NOT_BLOCK)
		return -ECHILD;
	if (!bproc_fs_caller_may(inode->i_private, HIDEPID_NO_ACCESS))
		return -EPERM;
	return generic_permission(mnt_userns, inode, mask);
}

static const struct inode_operations bproc_fs_pid_iops = {
	.lookup = bproc_fs_pid_lookup,
	.permission = bproc_fs_pid_permission,
};

static const struct file_operations bproc_fs_pid_fops = {
	.read = generic_read_dir,
	.iterate_shared = bproc_fs_pid_readdir,
	.llseek = generic_file_llseek,
};

/* ------------------------------------------------------------------ */
/* /proc/bproc                                                        */
/* ------------------------------------------------------------------ */

/* A reference to the process @nr of the caller's PID namespace, or NULL. */
static struct pid *bproc_fs_get_process(pid_t nr)
{
	struct pid *pid;

	rcu_read_lock();
	pid = find_pid_ns(nr, task_active_pid_ns(current));
	if (pid && pid_has_task(pid, PIDTYPE_TGID))
		get_pid(pid);
	else
		pid = NULL;	/* none, or a thread, not a process */
	rcu_read_unlock();
	return pid;
}

static struct dentry *bproc_fs_root_lookup(struct inode *dir,
					   struct dentry *dentry,
					   unsigned int flags)
{
	struct inode *inode = NULL;
	struct pid *pid;
	pid_t nr;

	if (dentry->d_name.len == 9 &&
	    !memcmp(dentry->d_name.name, "libraries", 9)) {
		inode = bproc_fs_new_inode(dir->i_sb, S_IFREG | 0644, NULL);
		if (!inode)
			return ERR_PTR(-ENOMEM);
		inode->i_fop = &bproc_vmad_libs_fops;
	} else if (dentry->d_name.len == 9 &&
		   !memcmp(dentry->d_name.name, "processes", 9)) {
		inode = bproc_fs_new_inode(dir->i_sb, S_IFREG | 0444, NULL);
		if (!inode)
			return ERR_PTR(-ENOMEM);
		inode->i_fop = &bproc_processes_fops;
	} else {
		nr = bproc_fs_name_to_pid(&dentry->d_name);
		pid = nr ? bproc_fs_get_process(nr) : NULL;
		/* hidepid=invisible: not there for who may not look at it */
		if (pid && !bproc_fs_caller_may(pid, HIDEPID_INVISIBLE)) {
			put_pid(pid);
			pid = NULL;
		}
		if (pid) {
			inode = bproc_fs_new_inode(dir->i_sb, S_IFDIR | 0555,
						   pid);
			if (!inode)
				return ERR_PTR(-ENOMEM);
			inode->i_op = &bproc_fs_pid_iops;
			inode->i_fop = &bproc_fs_pid_fops;
		}
	}
	return d_splice_alias(inode, dentry);
}

/*
 * ".", "..", "libraries", "processes", then the processes of the caller's
 * PID namespace in PID order, but those hidepid= hides from it; the
 * position after the one of PID n is n + 4, so a listing read in several
 * calls goes on from the next PID, whatever exited meanwhile.
 */
static int bproc_fs_root_readdir(struct file *file, struct dir_context *ctx)
{
	struct pid_namespace *ns = task_active_pid_ns(current);
	struct bproc_fs_reader r = { };	/* (no namespace: ns is) */
	char name[12];
	pid_t nr;

	bproc_fs_reader_hidepid(&r);
	if (!dir_emit_dots(file, ctx))
		return 0;
	if (ctx->pos == BPROC_FS_POS_LIBS) {
		if (!dir_emit(ctx, "libraries", 9, BPROC_FS_ROOT_INO + 1,
			      DT_REG))
			return 0;
		ctx->pos++;
	}
	if (ctx->pos == BPROC_FS_POS_PROCS) {
		if (!dir_emit(ctx, "processes", 9, BPROC_FS_ROOT_INO + 2,
			      DT_REG))
			return 0;
		ctx->pos++;
	}
	for (; ctx->pos < BPROC_FS_POS_END; ctx->pos = nr + BPROC_FS_POS_PIDS + 1) {
		struct pid *pid;
		bool process = false;
		int len;

		nr = ctx->pos - BPROC_FS_POS_PIDS;
		rcu_read_lock();
		pid = find_ge_pid(nr ? nr : 1, ns);
		if (pid) {
			nr = pid_nr_ns(pid, ns);
			process = pid_has_task(pid, PIDTYPE_TGID) &&
				  bproc_fs_hidepid_ok(&r, pid, HIDEPID_INVISIBLE);
		}
		rcu_read_unlock();
		if (!pid)
			break;
		if (!process)
			continue;
		ctx->pos = nr + BPROC_FS_POS_PIDS;
		len = snprintf(name, sizeof(name), "%d", nr);
		if (!dir_emit(ctx, name, len, BPROC_FS_ROOT_INO + 1, DT_DIR))
			return 0;
	}
	ctx->pos = BPROC_FS_POS_END;
	return 0;
}

static const struct inode_operations bproc_fs_root_iops = {
	.lookup = bproc_fs_root_lookup,
};

static const struct file_operations bproc_fs_root_fops = {
	.read = generic_read_dir,
	.iterate_shared = bproc_fs_root_readdir,
	.llseek = generic_file_llseek,
};

/* ------------------------------------------------------------------ */
/* The file system                                                    */
/* ------------------------------------------------------------------ */

static const struct super_operations bproc_fs_super_ops = {
	.statfs = simple_statfs,
	.drop_inode = generic_delete_inode,
	.evict_inode = bproc_fs_evict_inode,
};

static int bproc_fs_fill_super(struct super_block *sb, struct fs_context *fc)
{
	struct inode *root;

	sb->s_blocksize = PAGE_SIZE;
	sb->s_blocksize_bits = PAGE_SHIFT;
	sb->s_maxbytes = MAX_LFS_FILESIZE;
	sb->s_magic = BPROC_FS_MAGIC;
	sb->s_op = &bproc_fs_super_ops;
	sb->s_d_op = &bproc_fs_dentry_ops;
	sb->s_time_gran = 1;

	root = bproc_fs_new_inode(sb, S_IFDIR | 0555, NULL);
	if (!root)
		return -ENOMEM;
	root->i_ino = BPROC_FS_ROOT_INO;
	root->i_op = &bproc_fs_root_iops;
	root->i_fop = &bproc_fs_root_fops;
	sb->s_root = d_make_root(root);	/* puts the inode on failure */
	return sb->s_root ? 0 : -ENOMEM;
}

static int bproc_fs_get_tree(struct fs_context *fc)
{
	return get_tree_single(fc, bproc_fs_fill_super);
}

static const struct fs_context_operations bproc_fs_context_ops = {
	.get_tree = bproc_fs_get_tree,
};

static int bproc_fs_init_fs_context(struct fs_context *fc)
{
	fc->ops = &bproc_fs_context_ops;
	return 0;
}

static struct file_system_type bproc_fs_type = {
	.owner = THIS_MODULE,
	.name = "bproc",
	.init_fs_context = bproc_fs_init_fs_context,
	.kill_sb = kill_anon_super,
};
MODULE_ALIAS_FS("bproc");

/* ------------------------------------------------------------------ */
/* init / exit                                                        */
/* ------------------------------------------------------------------ */

int __init bproc_fs_init(void)
{
	int err;

	err = bproc_vmad_libs_init();
	if (err)
		return err;
	err = -ENOMEM;
	bproc_fs_mount_point = proc_create_mount_point("bproc");
	if (!bproc_fs_mount_point)
		goto out_libs_exit;
	err = register_filesystem(&bproc_fs_type);
	if (err)
		goto out_remove_mount_point;
	bproc_fs_procfs_init();
	return 0;

out_remove_mount_point:
	proc_remove(bproc_fs_mount_point);
	bproc_fs_mount_point = NULL;
out_libs_exit:
	bproc_vmad_libs_exit();
	return err;
}

/* Only when nothing is mounted: a mounted superblock pins the module. */
void bproc_fs_exit(void)
{
	bproc_fs_procfs_exit();
	unregister_filesystem(&bproc_fs_type);
	proc_remove(bproc_fs_mount_point);
	bproc_fs_mount_point = NULL;
	bproc_vmad_libs_exit();
}
