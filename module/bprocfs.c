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

static int bproc_processes_open(struct inode *inode, struct file *file)
{
	return single_open(file, bproc_ghosts_show, NULL);
}

static const struct file_operations bproc_processes_fops = {
	.open = bproc_processes_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
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
 * inode, a root child) only while its process lives and has that number in
 * the caller's PID namespace; an image only while its process lives;
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
	    pid_nr_ns(pid, task_active_pid_ns(current)) !=
	    bproc_fs_name_to_pid(&dentry->d_name))
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

static const struct inode_operations bproc_fs_pid_iops = {
	.lookup = bproc_fs_pid_lookup,
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
 * ".", "..", "libraries", "processes", then the processes of the caller's PID namespace
 * in PID order; the position after the one of PID n is n + 4, so a listing
 * read in several calls goes on from the next PID, whatever exited meanwhile.
 */
static int bproc_fs_root_readdir(struct file *file, struct dir_context *ctx)
{
	struct pid_namespace *ns = task_active_pid_ns(current);
	char name[12];
	pid_t nr;

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
			process = pid_has_task(pid, PIDTYPE_TGID);
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
	unregister_filesystem(&bproc_fs_type);
	proc_remove(bproc_fs_mount_point);
	bproc_fs_mount_point = NULL;
	bproc_vmad_libs_exit();
}
