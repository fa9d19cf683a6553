// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/bproc: the module's procfs directory.
 *
 *   /proc/bproc/libraries     the remote-file list (vmad_libs.c)
 *   /proc/bproc/<pid>/image   the VMADump image of a stopped process
 *
 * A module cannot add entries under /proc/<pid>/, so per-process files live
 * under /proc/bproc/<pid>/.  procfs has no hook for directories that exist
 * on demand, and a module cannot mount a pseudo-filesystem of its own on
 * /proc/bproc, so this file does the one unusual thing of the module (see
 * "Lookup on demand" below): it gives /proc/bproc the inode operations of a
 * procfs directory with a lookup of its own, which creates /proc/bproc/<pid>
 * (an ordinary procfs directory) when a process with that PID exists in the
 * caller's PID namespace, then lets procfs's own lookup find it.  So
 * `cat /proc/bproc/1234/image` just works; `ls /proc/bproc` shows only the
 * directories looked up so far (and not yet pruned).
 *
 * Everything under bproc_proc_dir goes away with it at exit, because
 * bproc_procfs_exit() removes the whole subtree.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/pid.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/bproc_image.h>

#include "internal.h"

struct proc_dir_entry *bproc_proc_dir;

/* ------------------------------------------------------------------ */
/* /proc/bproc/<pid>/image                                            */
/* ------------------------------------------------------------------ */

/*
 * struct bproc_pid_dir - one /proc/bproc/<pid> directory
 * @pid: the process it was made for (a reference).
 * @nr:  its number in the PID namespace of the lookup that made it.
 */
struct bproc_pid_dir {
	struct list_head list;
	struct pid *pid;
	pid_t nr;
	struct proc_dir_entry *dir;
	char name[12];
};

/*
 * A bounded cache of directories, not per-operation objects: no
 * /sys/bproc/stats class (those are 0 when bproc is idle); all freed at exit.
 */
#define BPROC_PID_DIRS_MAX	1024

static LIST_HEAD(bproc_pid_dirs);
static unsigned int bproc_nr_pid_dirs;
/* protects bproc_pid_dirs and bproc_nr_pid_dirs */
static DEFINE_MUTEX(bproc_pid_dirs_lock);

/* An open image: the dump and what of its current piece is left. */
struct bproc_image_file {
	struct mutex lock;	/* serialises read() */
	struct bproc_vmad_dumper *d;
	const u8 *piece;
	size_t left;
	bool eof;
};

/*
 * May the caller read @task's image?  CAP_SYS_PTRACE, or the rule of
 * /proc/<pid>/mem without the LSM hooks (ptrace_may_access() is not
 * exported, so Yama and other LSMs are not consulted): the caller's fsuid
 * equals the target's uid, euid and suid, its fsgid the target's gid, egid
 * and sgid, and the target is dumpable (SUID_DUMP_USER).
 */
static int bproc_image_may_read(struct task_struct *task)
{
	const struct cred *cred = current_cred(), *tcred;
	bool same;
	int dumpable = 0;

	if (capable(CAP_SYS_PTRACE))
		return 0;
	rcu_read_lock();
	tcred = __task_cred(task);
	same = uid_eq(cred->fsuid, tcred->uid) &&
	       uid_eq(cred->fsuid, tcred->euid) &&
	       uid_eq(cred->fsuid, tcred->suid) &&
	       gid_eq(cred->fsgid, tcred->gid) &&
	       gid_eq(cred->fsgid, tcred->egid) &&
	       gid_eq(cred->fsgid, tcred->sgid);
	rcu_read_unlock();
	task_lock(task);
	if (task->mm)
		dumpable = get_dumpable(task->mm);
	task_unlock(task);
	return same && dumpable == SUID_DUMP_USER ? 0 : -EACCES;
}

static int bproc_image_open(struct inode *inode, struct file *file)
{
	struct bproc_pid_dir *e = pde_data(inode);
	struct bproc_image_file *img;
	struct task_struct *task;
	int err;

	/* The name means this process only in the namespace that made it. */
	if (pid_vnr(e->pid) != e->nr)
		return -ENOENT;
	task = get_pid_task(e->pid, PIDTYPE_PID);
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

static const struct proc_ops bproc_image_ops = {
	.proc_open = bproc_image_open,
	.proc_read = bproc_image_read,
	.proc_lseek = no_llseek,
	.proc_release = bproc_image_release,
};

/* Remove one directory (lock held). */
static void bproc_pid_dir_free(struct bproc_pid_dir *e)
{
	list_del(&e->list);
	bproc_nr_pid_dirs--;
	proc_remove(e->dir);	/* waits for opens in progress */
	put_pid(e->pid);
	kfree(e);
}

/* Drop the directories of processes that are gone (lock held). */
static void bproc_pid_dirs_prune(void)
{
	struct bproc_pid_dir *e, *tmp;

	list_for_each_entry_safe(e, tmp, &bproc_pid_dirs, list)
		if (!pid_has_task(e->pid, PIDTYPE_TGID))
			bproc_pid_dir_free(e);
}

/* Make /proc/bproc/<nr> if process @nr exists and it does not yet. */
static void bproc_pid_dir_make(pid_t nr)
{
	struct bproc_pid_dir *e, *old = NULL;
	struct pid *pid;

	pid = find_get_pid(nr);
	if (!pid)
		return;
	if (!pid_has_task(pid, PIDTYPE_TGID))
		goto out_put_pid;	/* a thread, not a process */

	mutex_lock(&bproc_pid_dirs_lock);
	list_for_each_entry(e, &bproc_pid_dirs, list) {
		if (e->nr == nr) {
			old = e;
			break;
		}
	}
	if (old && old->pid == pid)
		goto out_unlock;
	if (old)
		bproc_pid_dir_free(old);	/* a reused number */
	if (bproc_nr_pid_dirs >= BPROC_PID_DIRS_MAX)
		bproc_pid_dirs_prune();
	if (bproc_nr_pid_dirs >= BPROC_PID_DIRS_MAX)
		goto out_unlock;

	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		goto out_unlock;
	snprintf(e->name, sizeof(e->name), "%d", nr);
	e->nr = nr;
	e->pid = get_pid(pid);
	e->dir = proc_mkdir_data(e->name, 0555, bproc_proc_dir, e);
	if (!e->dir)
		goto out_free;
	if (!proc_create_data("image", 0444, e->dir, &bproc_image_ops, e))
		goto out_remove;
	list_add_tail(&e->list, &bproc_pid_dirs);
	bproc_nr_pid_dirs++;
	goto out_unlock;

out_remove:
	proc_remove(e->dir);
out_free:
	put_pid(e->pid);
	kfree(e);
out_unlock:
	mutex_unlock(&bproc_pid_dirs_lock);
out_put_pid:
	put_pid(pid);
}

/* ------------------------------------------------------------------ */
/* Lookup on demand                                                   */
/* ------------------------------------------------------------------ */

/*
 * procfs gives every inode of a proc_dir_entry that entry's proc_iops
 * (struct proc_dir_entry is private to fs/proc).  For /proc/bproc we want
 * procfs's directory operations with one change: a lookup of a decimal PID
 * first makes that PID's directory.  The field is found, not assumed: the
 * inode operations of the freshly made /proc/bproc (looked up through
 * /proc) must appear exactly once among the first words of its
 * proc_dir_entry, else per-PID directories are disabled with a log line
 * (the rest of the module works).  Our operations (lookup, and getattr and
 * setattr passed on to procfs's) replace the field and the cached inode's
 * i_op; both are put back at exit.
 *
 * Caveat (documented): an inode of /proc/bproc still in use after rmmod
 * (someone's working directory, in a second procfs mount) would keep the
 * module's lookup; do not unload the module while /proc/bproc is anyone's
 * cwd.
 */
static const struct inode_operations *bproc_proc_orig_iops;
static const struct inode_operations **bproc_proc_iops_slot;

static struct dentry *bproc_proc_lookup(struct inode *dir,
					struct dentry *dentry,
					unsigned int flags)
{
	const char *name = dentry->d_name.name;
	unsigned int len = dentry->d_name.len, i;
	pid_t nr = 0;

	if (len && len <= 9 && name[0] >= '1' && name[0] <= '9') {
		for (i = 0; i < len && name[i] >= '0' && name[i] <= '9'; i++)
			nr = nr * 10 + (name[i] - '0');
		if (i == len)
			bproc_pid_dir_make(nr);
	}
	return bproc_proc_orig_iops->lookup(dir, dentry, flags);
}

static int bproc_proc_getattr(struct user_namespace *ns,
			      const struct path *path, struct kstat *stat,
			      u32 mask, unsigned int flags)
{
	return bproc_proc_orig_iops->getattr(ns, path, stat, mask, flags);
}

static int bproc_proc_setattr(struct user_namespace *ns, struct dentry *dentry,
			      struct iattr *attr)
{
	return bproc_proc_orig_iops->setattr(ns, dentry, attr);
}

static const struct inode_operations bproc_proc_dir_iops = {
	.lookup = bproc_proc_lookup,
	.getattr = bproc_proc_getattr,
	.setattr = bproc_proc_setattr,
};

/* Set the i_op of the cached /proc/bproc inode (if any) from @from to @to. */
static void bproc_proc_swap_inode_iops(const struct inode_operations *from,
				       const struct inode_operations *to)
{
	struct path path;
	struct inode *inode;

	if (kern_path("/proc/bproc", 0, &path))
		return;
	inode = d_inode(path.dentry);
	if (inode->i_op == from)
		WRITE_ONCE(inode->i_op, to);
	path_put(&path);
}

static void bproc_proc_hook_lookup(void)
{
	const struct inode_operations **words, **slot = NULL;
	const struct inode_operations *orig;
	struct path path;
	unsigned int i, hits = 0;

	if (kern_path("/proc/bproc", 0, &path)) {
		pr_warn("/proc not mounted here: no /proc/bproc/<pid> directories\n");
		return;
	}
	orig = d_inode(path.dentry)->i_op;
	path_put(&path);
	/* procfs's directories have exactly these three (fs/proc/generic.c) */
	if (!orig || !orig->lookup || !orig->getattr || !orig->setattr ||
	    orig->permission || orig->get_link)
		goto out_fail;

	words = (const struct inode_operations **)bproc_proc_dir;
	for (i = 0; i < 128 / sizeof(*words); i++) {
		if (words[i] == orig) {
			slot = &words[i];
			hits++;
		}
	}
	if (hits != 1)
		goto out_fail;

	bproc_proc_orig_iops = orig;
	bproc_proc_iops_slot = slot;
	WRITE_ONCE(*slot, &bproc_proc_dir_iops);
	bproc_proc_swap_inode_iops(orig, &bproc_proc_dir_iops);
	return;

out_fail:
	pr_warn("cannot hook /proc/bproc lookups: no /proc/bproc/<pid> directories\n");
}

static void bproc_proc_unhook_lookup(void)
{
	if (!bproc_proc_iops_slot)
		return;
	WRITE_ONCE(*bproc_proc_iops_slot, bproc_proc_orig_iops);
	bproc_proc_swap_inode_iops(&bproc_proc_dir_iops, bproc_proc_orig_iops);
	bproc_proc_iops_slot = NULL;
}

/* ------------------------------------------------------------------ */
/* init / exit                                                        */
/* ------------------------------------------------------------------ */

int __init bproc_procfs_init(void)
{
	int err;

	bproc_proc_dir = proc_mkdir("bproc", NULL);
	if (!bproc_proc_dir)
		return -ENOMEM;
	err = bproc_vmad_libs_init();
	if (err)
		goto out_remove;
	bproc_proc_hook_lookup();
	return 0;

out_remove:
	remove_proc_subtree("bproc", NULL);
	bproc_proc_dir = NULL;
	return err;
}

void bproc_procfs_exit(void)
{
	struct bproc_pid_dir *e, *tmp;

	bproc_proc_unhook_lookup();
	mutex_lock(&bproc_pid_dirs_lock);
	list_for_each_entry_safe(e, tmp, &bproc_pid_dirs, list)
		bproc_pid_dir_free(e);
	mutex_unlock(&bproc_pid_dirs_lock);
	remove_proc_subtree("bproc", NULL);
	bproc_proc_dir = NULL;
	bproc_vmad_libs_exit();
}
