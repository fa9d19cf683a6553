// SPDX-License-Identifier: GPL-2.0
/*
 * VMADump undump: the files an image refers to, before the point of no
 * return (each file area's file opened and fingerprinted, the exe file),
 * and BPROC_UNDUMP_CLOSEFDS after it.  See vmad_undump.c.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/bproc.h>
#include <linux/capability.h>
#include <linux/compat.h>
#include <linux/cred.h>
#include <linux/crc32c.h>
#include <linux/err.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/personality.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>
#include <linux/vmalloc.h>

#include <asm/processor.h>

#include "internal.h"
#include "vmad_check.h"
#include "vmad_undump.h"

/* Bytes of a referenced file read at a time to check its fingerprint. */
#define UNDUMP_CRC_BUF		(64 * 1024)

/* CRC-32C of [off, off + len) of @file, read through @file itself. */
static int undump_file_crc(struct file *file, u64 off, u64 len, u32 *crcp,
			   u8 *buf)
{
	loff_t pos = off;
	u32 crc = ~0U;

	while (len) {
		size_t n = min_t(u64, len, UNDUMP_CRC_BUF);
		ssize_t r = kernel_read(file, buf, n, &pos);

		if (r < 0)
			return (int)r;
		if (r == 0)
			return -ESTALE;	/* shrank under us */
		crc = bproc_crc32c(crc, buf, r);
		len -= r;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	*crcp = ~crc;
	return 0;
}

static bool undump_noexec(const struct file *file)
{
	const struct path *p = &file->f_path;

	return (p->mnt->mnt_flags & MNT_NOEXEC) ||
	       (p->mnt->mnt_sb->s_iflags & SB_I_NOEXEC);
}

/*
 * Open @path for reading only if it is a regular file: looked up with
 * O_PATH first, so that an image naming a device or a FIFO never runs a
 * driver's open() or blocks; then that same dentry is opened (no second
 * lookup) after the read permission check open() would make.
 */
static struct file *undump_open_regular(const char *path)
{
	struct file *p, *f;
	int ret;

	p = filp_open(path, O_PATH, 0);
	if (IS_ERR(p))
		return p;
	if (!S_ISREG(file_inode(p)->i_mode)) {
		fput(p);
		return ERR_PTR(-ESTALE);
	}
	ret = inode_permission(file_mnt_user_ns(p), file_inode(p), MAY_READ);
	if (ret) {
		fput(p);
		return ERR_PTR(ret);
	}
	f = dentry_open(&p->f_path, O_RDONLY | O_LARGEFILE, current_cred());
	fput(p);
	return f;
}

/*
 * Open every FILE area's file as the restoring credentials, check it is the
 * same file (size and CRC-32C of the mapped bytes) and keep it open: what
 * was checked is what gets mapped.
 */
int bproc_vmad_undump_open_files(struct undump *u)
{
	struct vmad_area a;
	u8 *buf = NULL;
	u32 i;
	int ret = 0;

	u->files = kvcalloc(u->img.nr_areas, sizeof(*u->files), GFP_KERNEL);
	if (!u->files)
		return -ENOMEM;

	for (i = 0; i < u->img.nr_areas; i++) {
		const char *path;
		struct file *f;
		u64 len, crc_len;
		u32 crc = 0;

		bproc_vmad_get_area(&u->img, i, &a);
		if (a.kind != VMAD_AREA_FILE)
			continue;
		if (!buf) {
			buf = kvmalloc(UNDUMP_CRC_BUF, GFP_KERNEL);
			if (!buf)
				return -ENOMEM;
		}
		path = bproc_vmad_get_string(&u->img, a.path, NULL);
		f = undump_open_regular(path);
		if (IS_ERR(f)) {
			ret = PTR_ERR(f);
			pr_info_ratelimited("undump: cannot open %s: %d\n",
					    path, ret);
			break;
		}
		u->files[i] = f;
		if (!f->f_op->mmap) {
			ret = -ESTALE;
		} else if ((a.prot & VMAD_PROT_EXEC) && undump_noexec(f)) {
			ret = -EACCES;
		} else if (i_size_read(file_inode(f)) != a.file_size) {
			ret = -ESTALE;
		} else {
			len = a.end - a.start;
			crc_len = a.offset >= a.file_size ? 0 :
				  min(len, a.file_size - a.offset);
			ret = undump_file_crc(f, a.offset, crc_len, &crc, buf);
			if (!ret && crc_len && crc != a.file_crc)
				ret = -ESTALE;
		}
		if (ret) {
			pr_info_ratelimited("undump: %s is not the file the image was made with (%d)\n",
					    path, ret);
			break;
		}
	}
	kvfree(buf);
	return ret;
}

/*
 * The exe file (/proc/<pid>/exe) is set as prctl(PR_SET_MM_MAP) would:
 * only for a caller with CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN, and only
 * to an executable regular file.  Otherwise, or when the file is missing
 * (a diskless node), the caller's stays.
 */
void bproc_vmad_undump_open_exe(struct undump *u)
{
	const char *path;
	struct file *f;

	if (u->proc.exe == VMAD_NO_STRING || !u->may_set_exe)
		return;
	path = bproc_vmad_get_string(&u->img, u->proc.exe, NULL);
	f = undump_open_regular(path);
	if (IS_ERR(f)) {
		pr_debug("undump: exe %s: %ld, keeping the caller's\n", path,
			 PTR_ERR(f));
		return;
	}
	if (undump_noexec(f) ||
	    inode_permission(file_mnt_user_ns(f), file_inode(f), MAY_EXEC) ||
	    exe_file_deny_write_access(f)) {
		fput(f);
		return;
	}
	u->exe = f;
}

static int undump_any_fd(const void *unused, struct file *file, unsigned int fd)
{
	return fd + 1;
}

/*
 * BPROC_UNDUMP_CLOSEFDS: the restored process keeps only 0, 1 and 2, as
 * after an exec with every other descriptor close-on-exec.  Its restorer
 * learns of the success by the end of file on a pipe it held.
 */
void bproc_vmad_undump_close_fds(void)
{
	int fd;

	while ((fd = iterate_fd(current->files, 3, undump_any_fd, NULL)) > 0)
		close_fd(fd - 1);
}
