// SPDX-License-Identifier: GPL-2.0
/*
 * VMADump undump: replace the calling process with an image, like exec.
 *
 * BPROC_IOC_VMAUNDUMP.  User space (libbproc's bproc_vmaundump()) has read
 * the image's prefix from the descriptor, moved its [vvar] and [vdso] to the
 * image's addresses and changed to the image's working directory; it passes
 * the prefix by pointer.  This file then:
 *
 *  1. copies the prefix and validates all of it (common/vmad_check.c), then
 *     checks what the validator cannot know (this CPU's XSAVE features, this
 *     kernel's vDSO, mmap_min_addr, TASK_SIZE, rseq), prepares the new
 *     credentials, opens and fingerprints every referenced file;
 *  2. the point of no return: unmaps the caller's memory (but the vDSO),
 *     maps the image's areas and streams page data into them, checking each
 *     chunk; sets the mm layout, exe file, credentials, limits, signal
 *     state, thread state, registers and, last, the FPU.
 *
 * A failure in 1 returns an errno and leaves the caller as it was; a failure
 * in 2 kills the caller with SIGKILL (as exec does).  The order of operations
 * and what is not restored are in Documentation/vmaundump.md.
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

#include <asm/fpu/api.h>
#include <asm/fpu/types.h>
#include <asm/fsgsbase.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/segment.h>

#include "internal.h"
#include "vmad_check.h"

/* Bytes of a referenced file read at a time to check its fingerprint. */
#define UNDUMP_CRC_BUF		(64 * 1024)
#define UNDUMP_CHUNK_MAX	(VMAD_CHUNK_PAGES_MAX * VMAD_PAGE_SIZE)

/* EFLAGS bits a restored task may set (ptrace's FLAG_MASK without TF). */
#define UNDUMP_EFLAGS	(X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
			 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_DF | \
			 X86_EFLAGS_OF | X86_EFLAGS_AC)

/*
 * struct undump - one restore in progress
 * @img:       the validated prefix (points into @prefix).
 * @files:     per area: the opened, fingerprinted file of a FILE area.
 * @exe:       the new exe file (write access denied), or NULL: keep the
 *             caller's.
 * @cred:      the image's credentials, or NULL: keep the caller's.
 * @src:       the descriptor page data is read from.
 * @bounce:    one chunk of page data.
 * @xbuf:      the XSAVE buffer at this kernel's size.
 * @keep_vdso, @keep_vvar: the caller's [vdso]/[vvar] are at the image's
 *             addresses and stay mapped.
 * @may_set_exe: the caller (not the image's credentials) may set the exe
 *             file.
 * @no_kill:   a failure after the point of no return does not kill the
 *             caller: it repairs itself (a ghost, bproc_vmad_undump_file()).
 */
struct undump {
	struct bproc_undump_req req;
	u8 *prefix;
	struct bproc_vmad_image img;
	struct vmad_regs regs;
	struct vmad_thread thread;
	struct vmad_signals sig;
	struct vmad_mm mm;
	struct vmad_cred cred_rec;
	struct vmad_proc proc;
	struct vmad_area vdso, vvar;
	bool keep_vdso, keep_vvar;
	bool may_set_exe;
	bool no_kill;
	struct file **files;
	struct file *exe;
	struct cred *cred;
	struct file *src;
	u8 *bounce;
	u8 *xbuf;
	size_t xbuf_size;
};

static void undump_bad_image(const struct bproc_vmad_err *err, int ret)
{
	pr_info_ratelimited("undump: bad image at %llu: %s (%d)\n",
			    err->offset, err->why ? err->why : "?", ret);
}

/* ------------------------------------------------------------------ */
/* Before the point of no return: checks against this machine         */
/* ------------------------------------------------------------------ */

/* Nobody else may see the mm or the signal handlers change under them. */
static int undump_check_caller(void)
{
	struct mm_struct *mm = current->mm;

	if (!mm || (current->flags & PF_KTHREAD))
		return -EINVAL;
	if (in_compat_syscall())
		return -EINVAL;
	if (!thread_group_empty(current) ||
	    test_bit(MMF_MULTIPROCESS, &mm->flags) || current->vfork_done ||
	    refcount_read(&rcu_dereference_protected(current->sighand, 1)->count) != 1)
		return -EBUSY;
	return 0;
}

/*
 * The XSAVE buffer must be one fpu_copy_uabi_to_guest_fpstate() accepts
 * for this task without a WARN: only features this CPU and kernel offer to
 * user space, none disabled by XFD, each component inside the image's
 * buffer at this CPU's offset.
 */
static int undump_check_xstate(struct undump *u)
{
	struct fpstate *fps = current->thread.fpu.fpstate;
	u64 xf = u->img.xfeatures;
	unsigned int eax, ebx, ecx, edx;
	int i;

	if (xf & ~fps->user_xfeatures) {
		pr_info_ratelimited("undump: image has xfeatures %#llx, this CPU %#llx\n",
				    xf, fps->user_xfeatures);
		return -ENOEXEC;
	}
	if (xf & fps->xfd)
		return -ENOEXEC;
	for (i = 2; i < 64; i++) {
		if (!(xf & BIT_ULL(i)))
			continue;
		cpuid_count(0xd, i, &eax, &ebx, &ecx, &edx);
		if ((u64)ebx + eax > u->img.xstate_size)
			return -EINVAL;
	}

	u->xbuf_size = max_t(size_t, fps->user_size, u->img.xstate_size);
	u->xbuf = kvzalloc(u->xbuf_size, GFP_KERNEL);
	if (!u->xbuf)
		return -ENOMEM;
	bproc_vmad_read(&u->img, VMAD_REC_XSTATE, 0, u->xbuf,
			u->img.xstate_size);
	return 0;
}

/*
 * The image's [vdso]/[vvar] areas must be where user space moved this
 * task's, with this kernel's sizes.  An area the image does not have is
 * not kept.
 */
static bool undump_special_at(struct mm_struct *mm,
			      const struct vmad_area *a, const char *name)
{
	struct vm_area_struct *vma;
	const char *vname;

	vma = find_vma(mm, a->start);
	if (!vma || vma->vm_start != a->start || vma->vm_end != a->end ||
	    vma->vm_file || !vma->vm_ops || !vma->vm_ops->name)
		return false;
	vname = vma->vm_ops->name(vma);
	return vname && !strcmp(vname, name);
}

static int undump_check_vdso(struct undump *u)
{
	struct mm_struct *mm = current->mm;
	int ret = 0;

	if (u->img.vdso_area != BPROC_VMAD_NO_AREA)
		bproc_vmad_get_area(&u->img, u->img.vdso_area, &u->vdso);
	if (u->img.vvar_area != BPROC_VMAD_NO_AREA)
		bproc_vmad_get_area(&u->img, u->img.vvar_area, &u->vvar);

	if (mmap_read_lock_killable(mm))
		return -EINTR;
	if (u->img.vdso_area != BPROC_VMAD_NO_AREA) {
		if (mm->context.vdso != (void __user *)u->vdso.start ||
		    !undump_special_at(mm, &u->vdso, "[vdso]"))
			ret = -EINVAL;
		u->keep_vdso = true;
	}
	if (u->img.vvar_area != BPROC_VMAD_NO_AREA) {
		if (!undump_special_at(mm, &u->vvar, "[vvar]"))
			ret = -EINVAL;
		u->keep_vvar = true;
	}
	mmap_read_unlock(mm);
	if (ret)
		pr_info_ratelimited("undump: [vdso]/[vvar] not at the image's addresses or of another size\n");
	return ret;
}

/*
 * vm_mmap() would refuse what exceeds the caller's RLIMIT_AS or RLIMIT_DATA
 * (may_expand_vm()): find it now, not after the point of no return.
 */
static int undump_check_limits(struct undump *u)
{
	u64 total = 0, data = 0, as = rlimit(RLIMIT_AS) >> PAGE_SHIFT;
	u64 dlim = rlimit(RLIMIT_DATA) >> PAGE_SHIFT;
	struct vmad_area a;
	u32 i;

	for (i = 0; i < u->img.nr_areas; i++) {
		u64 pages;

		bproc_vmad_get_area(&u->img, i, &a);
		pages = (a.end - a.start) >> VMAD_PAGE_SHIFT;
		total += pages;
		if ((a.kind == VMAD_AREA_DATA || a.kind == VMAD_AREA_FILE) &&
		    (a.prot & VMAD_PROT_WRITE) &&
		    !(a.flags & VMAD_AREA_F_GROWSDOWN))
			data += pages;
	}
	if (total > as)
		return -ENOMEM;
	if (data > dlim &&
	    !(dlim == 0 && data <= rlimit_max(RLIMIT_DATA) >> PAGE_SHIFT))
		return -ENOMEM;
	return 0;
}

static int undump_check_machine(struct undump *u)
{
	struct vmad_area last;
	unsigned long addr;
	int ret;

	/* TLS through GDT selectors is a 32-bit affair: not carried. */
	if (u->regs.fs || u->regs.gs)
		return -EOPNOTSUPP;

	/* mmap_min_addr and the LSMs' view of it, without mapping anything. */
	addr = get_unmapped_area(NULL, u->img.min_addr, PAGE_SIZE, 0,
				 MAP_FIXED);
	if (IS_ERR_VALUE(addr)) {
		pr_info_ratelimited("undump: image maps %#llx, below mmap_min_addr\n",
				    u->img.min_addr);
		return (int)addr;
	}
	bproc_vmad_get_area(&u->img, u->img.nr_areas - 1, &last);
	if (last.end > TASK_SIZE)
		return -ENOMEM;
	ret = undump_check_limits(u);
	if (ret)
		return ret;

	if (u->img.nr_auxv * 2 > AT_VECTOR_SIZE)
		return -E2BIG;
	if (u->thread.rseq && u->thread.rseq_len != sizeof(struct rseq))
		return -EOPNOTSUPP;

	ret = undump_check_vdso(u);
	if (ret)
		return ret;
	return undump_check_xstate(u);
}

/*
 * The image's credentials, applied only when the caller may set any ids
 * (root); anyone else restores as themselves.  Capabilities follow the
 * setuid rules: a restored non-root process has none.
 */
static int undump_prepare_cred(struct undump *u)
{
	struct vmad_cred *c = &u->cred_rec;
	struct group_info *gi;
	struct cred *new;
	u32 i;

	if (!capable(CAP_SETUID) || !capable(CAP_SETGID))
		return 0;

	new = prepare_creds();
	if (!new)
		return -ENOMEM;
	new->uid = make_kuid(&init_user_ns, c->uid);
	new->euid = make_kuid(&init_user_ns, c->euid);
	new->suid = make_kuid(&init_user_ns, c->suid);
	new->fsuid = make_kuid(&init_user_ns, c->fsuid);
	new->gid = make_kgid(&init_user_ns, c->gid);
	new->egid = make_kgid(&init_user_ns, c->egid);
	new->sgid = make_kgid(&init_user_ns, c->sgid);
	new->fsgid = make_kgid(&init_user_ns, c->fsgid);
	if (!uid_valid(new->uid) || !uid_valid(new->euid) ||
	    !uid_valid(new->suid) || !uid_valid(new->fsuid) ||
	    !gid_valid(new->gid) || !gid_valid(new->egid) ||
	    !gid_valid(new->sgid) || !gid_valid(new->fsgid))
		goto out_inval;

	gi = groups_alloc(u->img.ngroups);
	if (!gi) {
		abort_creds(new);
		return -ENOMEM;
	}
	for (i = 0; i < u->img.ngroups; i++) {
		gi->gid[i] = make_kgid(&init_user_ns,
				       bproc_vmad_get_group(&u->img, i));
		if (!gid_valid(gi->gid[i])) {
			put_group_info(gi);
			goto out_inval;
		}
	}
	groups_sort(gi);
	set_groups(new, gi);
	put_group_info(gi);

	if (!uid_eq(new->euid, GLOBAL_ROOT_UID))
		cap_clear(new->cap_effective);
	if (!uid_eq(new->uid, GLOBAL_ROOT_UID) &&
	    !uid_eq(new->euid, GLOBAL_ROOT_UID) &&
	    !uid_eq(new->suid, GLOBAL_ROOT_UID)) {
		cap_clear(new->cap_permitted);
		cap_clear(new->cap_effective);
		cap_clear(new->cap_ambient);
	}
	u->cred = new;
	return 0;

out_inval:
	abort_creds(new);
	return -EINVAL;
}

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
static int undump_open_files(struct undump *u)
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
static void undump_open_exe(struct undump *u)
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

static int undump_prepare(struct undump *u)
{
	const struct cred *old = NULL;
	int ret;

	bproc_vmad_read(&u->img, VMAD_REC_REGS, 0, &u->regs, sizeof(u->regs));
	bproc_vmad_read(&u->img, VMAD_REC_THREAD, 0, &u->thread,
			sizeof(u->thread));
	bproc_vmad_read(&u->img, VMAD_REC_SIGNALS, 0, &u->sig, sizeof(u->sig));
	bproc_vmad_read(&u->img, VMAD_REC_MM, 0, &u->mm, sizeof(u->mm));
	bproc_vmad_read(&u->img, VMAD_REC_CRED, 0, &u->cred_rec,
			sizeof(u->cred_rec));
	bproc_vmad_read(&u->img, VMAD_REC_PROC, 0, &u->proc, sizeof(u->proc));

	ret = undump_check_machine(u);
	if (ret)
		return ret;
	ret = undump_prepare_cred(u);
	if (ret)
		return ret;

	/* Decided by the caller's capabilities, before any override. */
	u->may_set_exe = capable(CAP_CHECKPOINT_RESTORE) ||
			 capable(CAP_SYS_ADMIN);

	if (u->cred)
		old = override_creds(u->cred);
	ret = undump_open_files(u);
	if (!ret)
		undump_open_exe(u);
	if (old)
		revert_creds(old);
	if (ret)
		return ret;

	if (!u->src)
		u->src = fget(u->req.fd);
	if (!u->src)
		return -EBADF;
	if (!(u->src->f_mode & FMODE_READ))
		return -EBADF;
	u->bounce = kvmalloc(UNDUMP_CHUNK_MAX, GFP_KERNEL);
	if (!u->bounce)
		return -ENOMEM;
	return 0;
}

static void undump_free(struct undump *u)
{
	u32 i;

	if (u->files) {
		for (i = 0; i < u->img.nr_areas; i++)
			if (u->files[i])
				fput(u->files[i]);
		kvfree(u->files);
	}
	if (u->exe) {
		exe_file_allow_write_access(u->exe);
		fput(u->exe);
	}
	if (u->cred)
		abort_creds(u->cred);
	if (u->src)
		fput(u->src);
	kvfree(u->bounce);
	kvfree(u->xbuf);
	kvfree(u->prefix);
}

/* ------------------------------------------------------------------ */
/* After the point of no return                                       */
/* ------------------------------------------------------------------ */

/* Everything of the caller's but the kept [vvar]/[vdso]. */
static int undump_unmap_all(struct undump *u)
{
	unsigned long keep[2][2];
	unsigned long from = 0;
	int n = 0, i, ret;

	if (u->keep_vvar) {
		keep[n][0] = u->vvar.start;
		keep[n++][1] = u->vvar.end;
	}
	if (u->keep_vdso) {
		keep[n][0] = u->vdso.start;
		keep[n++][1] = u->vdso.end;
	}
	if (n == 2 && keep[0][0] > keep[1][0]) {
		swap(keep[0][0], keep[1][0]);
		swap(keep[0][1], keep[1][1]);
	}
	for (i = 0; i <= n; i++) {
		unsigned long to = i < n ? keep[i][0] : TASK_SIZE;

		if (to > from) {
			ret = vm_munmap(from, to - from);
			if (ret)
				return ret;
		}
		if (i < n)
			from = keep[i][1];
	}
	if (!u->keep_vdso) {
		mmap_write_lock(current->mm);
		current->mm->context.vdso = NULL;
		mmap_write_unlock(current->mm);
	}
	return 0;
}

static int undump_map_areas(struct undump *u)
{
	struct vmad_area a;
	unsigned long addr, prot, flags;
	u32 i;

	for (i = 0; i < u->img.nr_areas; i++) {
		struct file *f = NULL;
		unsigned long off = 0;

		bproc_vmad_get_area(&u->img, i, &a);
		if (a.kind == VMAD_AREA_VDSO || a.kind == VMAD_AREA_VVAR)
			continue;
		prot = 0;
		if (a.prot & VMAD_PROT_READ)
			prot |= PROT_READ;
		if (a.prot & VMAD_PROT_WRITE)
			prot |= PROT_WRITE;
		if (a.prot & VMAD_PROT_EXEC)
			prot |= PROT_EXEC;
		flags = MAP_FIXED | MAP_PRIVATE;
		if (a.kind == VMAD_AREA_FILE) {
			f = u->files[i];
			off = a.offset;
		} else {
			flags |= MAP_ANONYMOUS;
			if (a.flags & VMAD_AREA_F_GROWSDOWN)
				flags |= MAP_GROWSDOWN;
		}
		addr = vm_mmap(f, a.start, a.end - a.start, prot, flags, off);
		if (addr != a.start) {
			pr_info_ratelimited("undump: cannot map %#llx-%#llx: %ld\n",
					    a.start, a.end, (long)addr);
			return IS_ERR_VALUE(addr) ? (int)addr : -ENOMEM;
		}
	}
	return 0;
}

/* Read exactly @len bytes from the image's descriptor. */
static int undump_read(struct undump *u, void *buf, size_t len)
{
	struct file *f = u->src;
	bool stream = f->f_mode & FMODE_STREAM;

	while (len) {
		loff_t pos = f->f_pos;
		ssize_t r = kernel_read(f, buf, len, stream ? NULL : &pos);

		if (r < 0)
			return (int)r;
		if (r == 0)
			return -EINVAL;	/* truncated */
		if (!stream)
			f->f_pos = pos;
		buf += r;
		len -= r;
	}
	return 0;
}

static int undump_page_data(struct undump *u)
{
	struct bproc_vmad_stream st;
	struct bproc_vmad_err err = {};
	struct vmad_chunk ch;
	u8 hdr[VMAD_CHUNK_SIZE];
	struct vmad_area a;
	unsigned int gup;
	int ret;

	bproc_vmad_stream_init(&st, &u->img);
	for (;;) {
		size_t len;

		ret = undump_read(u, hdr, sizeof(hdr));
		if (ret)
			return ret;
		ret = bproc_vmad_check_chunk(&st, hdr, &ch, &err);
		if (ret == BPROC_VMAD_END)
			return 0;
		if (ret)
			goto bad;
		len = (size_t)ch.nr_pages * VMAD_PAGE_SIZE;
		ret = undump_read(u, u->bounce, len);
		if (ret)
			return ret;
		ret = bproc_vmad_check_data(&st, u->bounce, len, &err);
		if (ret)
			goto bad;
		/*
		 * Through the page tables, as ptrace writes: a read-only
		 * private area needs FOLL_FORCE, a writable one does not.
		 * For writable areas this measured faster than copy_to_user()
		 * into the fresh pages (qemu TCG, 64 MiB: 210 against 320 ms).
		 */
		bproc_vmad_get_area(&u->img, ch.area, &a);
		gup = FOLL_WRITE;
		if (!(a.prot & VMAD_PROT_WRITE))
			gup |= FOLL_FORCE;
		if (access_process_vm(current, ch.addr, u->bounce, len, gup) != len)
			return -EFAULT;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
bad:
	undump_bad_image(&err, ret);
	return ret;
}

static void undump_set_mm(struct undump *u)
{
	struct mm_struct *mm = current->mm;
	struct file *old_exe = NULL;
	struct vmad_auxv av;
	u32 i;

	mmap_write_lock(mm);
	mm->start_code = u->mm.start_code;
	mm->end_code = u->mm.end_code;
	mm->start_data = u->mm.start_data;
	mm->end_data = u->mm.end_data;
	mm->start_brk = u->mm.start_brk;
	mm->brk = u->mm.brk;
	mm->start_stack = u->mm.start_stack;
	spin_lock(&mm->arg_lock);
	mm->arg_start = u->mm.arg_start;
	mm->arg_end = u->mm.arg_end;
	mm->env_start = u->mm.env_start;
	mm->env_end = u->mm.env_end;
	spin_unlock(&mm->arg_lock);

	memset(mm->saved_auxv, 0, sizeof(mm->saved_auxv));
	for (i = 0; i < u->img.nr_auxv; i++) {
		bproc_vmad_get_auxv(&u->img, i, &av);
		mm->saved_auxv[2 * i] = av.type;
		mm->saved_auxv[2 * i + 1] = av.value;
	}

	/* As replace_mm_exe_file(): the mm now holds its own reference. */
	if (u->exe) {
		get_file(u->exe);
		old_exe = unrcu_pointer(xchg(&mm->exe_file, RCU_INITIALIZER(u->exe)));
		if (old_exe)
			exe_file_allow_write_access(old_exe);
	}
	mmap_write_unlock(mm);
	if (old_exe)
		fput(old_exe);
	if (u->exe) {
		/* Our reference: its deny-write now belongs to the mm. */
		fput(u->exe);
		u->exe = NULL;
	}
}

static void undump_set_proc(struct undump *u)
{
	struct task_struct *leader = current->group_leader;
	bool sys_resource = capable(CAP_SYS_RESOURCE);
	int i;

	if (u->cred) {
		commit_creds(u->cred);
		u->cred = NULL;
	}

	/* As prlimit(): never above the caller's hard limit unless allowed. */
	task_lock(leader);
	for (i = 0; i < VMAD_RLIM_NLIMITS && i < RLIM_NLIMITS; i++) {
		struct rlimit *r = &current->signal->rlim[i];
		u64 cur = u->proc.rlim[i].cur, max = u->proc.rlim[i].max;

		/* The CPU limit arms a timer prlimit() would set: keep it. */
		if (i == RLIMIT_CPU)
			continue;
		if (max > r->rlim_max &&
		    (!sys_resource || i == RLIMIT_NOFILE))
			max = r->rlim_max;
		cur = min(cur, max);
		r->rlim_cur = cur;
		r->rlim_max = max;
	}
	task_unlock(leader);

	xchg(&current->fs->umask, u->proc.umask & 0777);
	if (u->proc.nice >= task_nice(current) || capable(CAP_SYS_NICE))
		set_user_nice(current, u->proc.nice);
	current->personality = u->proc.personality;
	if (u->proc.flags & VMAD_PROC_NO_NEW_PRIVS)
		task_set_no_new_privs(current);

	task_lock(current);
	strscpy_pad(current->comm, u->proc.comm, sizeof(current->comm));
	task_unlock(current);
}

static void undump_set_signals(struct undump *u)
{
	/* A task's own sighand only changes under it (exec): no RCU needed. */
	struct sighand_struct *sh = rcu_dereference_protected(current->sighand, 1);
	sigset_t blocked;
	int i;

	spin_lock_irq(&sh->siglock);
	for (i = 0; i < VMAD_NSIG && i < _NSIG; i++) {
		struct k_sigaction *k = &sh->action[i];
		const struct vmad_sigaction *s = &u->sig.action[i];

		if (i + 1 == SIGKILL || i + 1 == SIGSTOP)
			continue;
		memset(k, 0, sizeof(*k));
		k->sa.sa_handler = (__sighandler_t)(unsigned long)s->handler;
		k->sa.sa_flags = s->flags;
		k->sa.sa_restorer = (__sigrestore_t)(unsigned long)s->restorer;
		k->sa.sa_mask.sig[0] = s->mask;
		sigdelsetmask(&k->sa.sa_mask, sigmask(SIGKILL) | sigmask(SIGSTOP));
	}
	spin_unlock_irq(&sh->siglock);

	blocked.sig[0] = u->sig.blocked;
	sigdelsetmask(&blocked, sigmask(SIGKILL) | sigmask(SIGSTOP));
	sigprocmask(SIG_SETMASK, &blocked, NULL);
}

static void undump_set_thread(struct undump *u)
{
	struct task_struct *t = current;

	t->clear_child_tid = (int __user *)(unsigned long)u->thread.clear_child_tid;
	t->robust_list = (struct robust_list_head __user *)
			 (unsigned long)u->thread.robust_list;

	t->sas_ss_sp = u->thread.ss_sp;
	t->sas_ss_size = u->thread.ss_size;
	t->sas_ss_flags = u->thread.ss_flags;

#ifdef CONFIG_RSEQ
	t->rseq = (struct rseq __user *)(unsigned long)u->thread.rseq;
	t->rseq_sig = u->thread.rseq_sig;
	t->rseq_event_mask = 0;
	rseq_set_notify_resume(t);
#endif
}

/* Returns the value the restored task finds in rax. */
static long undump_set_regs(struct undump *u)
{
	struct pt_regs *regs = task_pt_regs(current);
	const struct vmad_regs *r = &u->regs;

	regs->r15 = r->r15;
	regs->r14 = r->r14;
	regs->r13 = r->r13;
	regs->r12 = r->r12;
	regs->bp = r->bp;
	regs->bx = r->bx;
	regs->r11 = r->r11;
	regs->r10 = r->r10;
	regs->r9 = r->r9;
	regs->r8 = r->r8;
	regs->cx = r->cx;
	regs->dx = r->dx;
	regs->si = r->si;
	regs->di = r->di;
	regs->ip = r->ip;
	regs->sp = r->sp;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->flags = (regs->flags & ~UNDUMP_EFLAGS) | (r->flags & UNDUMP_EFLAGS);
	regs->orig_ax = -1;
	regs->ax = r->ax;

	/* As arch_prctl(ARCH_SET_FS/GS) on current (not exported). */
	preempt_disable();
	loadsegment(fs, 0);
	x86_fsbase_write_cpu(r->fs_base);
	current->thread.fsindex = 0;
	current->thread.fsbase = r->fs_base;
	/* The selector is already 0 (checked); in the kernel, the user's GS
	 * base lives in MSR_KERNEL_GS_BASE.
	 */
	wrmsrl(MSR_KERNEL_GS_BASE, r->gs_base);
	current->thread.gsindex = 0;
	current->thread.gsbase = r->gs_base;
	preempt_enable();

	return (long)r->ax;
}

/*
 * The FPU last: save the live registers into the task's fpstate (they are
 * then reloaded from it on the return to user mode), then overwrite the
 * fpstate from the image's uabi buffer, as KVM does for a guest.
 */
static int undump_set_fpu(struct undump *u)
{
	struct fpu_guest gfpu = {};
	struct fpstate *fps = current->thread.fpu.fpstate;
	int ret;

	kernel_fpu_begin();
	kernel_fpu_end();

	gfpu.fpstate = fps;
	fpregs_lock();
	ret = fpu_copy_uabi_to_guest_fpstate(&gfpu, u->xbuf,
					     fps->user_xfeatures,
					     &current->thread.pkru);
	fpregs_unlock();
	return ret;
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
static void undump_close_fds(void)
{
	int fd;

	while ((fd = iterate_fd(current->files, 3, undump_any_fd, NULL)) > 0)
		close_fd(fd - 1);
}

static int undump_apply(struct undump *u, long *ax)
{
	int ret;

	ret = undump_unmap_all(u);
	if (ret)
		goto fail;
	ret = undump_map_areas(u);
	if (ret)
		goto fail;
	ret = undump_page_data(u);
	if (ret)
		goto fail;

	undump_set_mm(u);
	undump_set_proc(u);
	undump_set_signals(u);
	undump_set_thread(u);
	*ax = undump_set_regs(u);
	ret = undump_set_fpu(u);
	if (ret)
		goto fail;
	if (u->req.flags & BPROC_UNDUMP_CLOSEFDS)
		undump_close_fds();
	return 0;

fail:
	if (u->no_kill)
		return ret;
	pr_warn_ratelimited("undump: pid %d killed after the point of no return: %d\n",
			    task_pid_nr(current), ret);
	force_sig(SIGKILL);
	return ret;
}

/* ------------------------------------------------------------------ */
/* The ioctl                                                          */
/* ------------------------------------------------------------------ */

/*
 * Check the prefix in u->prefix (u->req.prefix_len bytes), prepare, and
 * restore.  Returns 0 with *@ax what the restored process's rax gets, or a
 * negative errno; *@lost tells an error after the point of no return (the
 * caller is being killed).
 */
static int undump_run(struct undump *u, long *ax, bool *lost)
{
	struct bproc_vmad_err err = {};
	struct vmad_header hdr;
	long ret;

	*lost = false;
	ret = bproc_vmad_check_header(u->prefix, u->req.prefix_len, &hdr, &err);
	if (!ret && hdr.prefix_size != u->req.prefix_len)
		ret = -EINVAL;
	if (!ret)
		ret = bproc_vmad_check_prefix(&u->img, u->prefix,
					      u->req.prefix_len, &err);
	if (ret) {
		undump_bad_image(&err, (int)ret);
		return ret;
	}
	ret = undump_prepare(u);
	if (ret)
		return ret;

	/* The point of no return. */
	ret = undump_apply(u, ax);
	*lost = ret != 0;
	return ret;
}

long bproc_vmad_undump_ioctl(struct bproc_undump_req __user *ureq)
{
	struct undump *u;
	bool lost;
	long ret, ax;

	BUILD_BUG_ON(sizeof(struct bproc_undump_req) != BPROC_UNDUMP_REQ_SIZE);

	u = kzalloc(sizeof(*u), GFP_KERNEL);
	if (!u)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_user(&u->req, ureq, sizeof(u->req)))
		goto out;
	ret = -EINVAL;
	if ((u->req.flags & ~BPROC_UNDUMP_CLOSEFDS) ||
	    u->req.reserved[0] || u->req.reserved[1] ||
	    u->req.prefix_len < VMAD_HEADER_SIZE)
		goto out;
	ret = -E2BIG;
	if (u->req.prefix_len > VMAD_PREFIX_MAX)
		goto out;
	ret = undump_check_caller();
	if (ret)
		goto out;

	ret = -ENOMEM;
	u->prefix = kvmalloc(u->req.prefix_len, GFP_KERNEL);
	if (!u->prefix)
		goto out;
	ret = -EFAULT;
	if (copy_from_user(u->prefix, u64_to_user_ptr(u->req.prefix),
			   u->req.prefix_len))
		goto out;
	ret = undump_run(u, &ax, &lost);
	if (!ret)
		ret = ax;
out:
	undump_free(u);
	kfree(u);
	return ret;
}

int bproc_vmad_undump_file(struct file *src, u32 flags, long *ax, bool *lost)
{
	struct bproc_vmad_err err = {};
	struct vmad_header hdr;
	struct undump *u;
	long ret;

	*lost = false;
	if (flags & ~BPROC_UNDUMP_CLOSEFDS)
		return -EINVAL;
	ret = undump_check_caller();
	if (ret)
		return ret;
	u = kzalloc(sizeof(*u), GFP_KERNEL);
	if (!u)
		return -ENOMEM;
	u->req.flags = flags;
	u->no_kill = true;
	get_file(src);
	u->src = src;

	/* The header says how long the prefix is; then the rest of it. */
	ret = -ENOMEM;
	u->prefix = kvmalloc(VMAD_HEADER_SIZE, GFP_KERNEL);
	if (!u->prefix)
		goto out;
	ret = undump_read(u, u->prefix, VMAD_HEADER_SIZE);
	if (ret)
		goto out;
	ret = bproc_vmad_check_header(u->prefix, VMAD_HEADER_SIZE, &hdr, &err);
	if (ret) {
		undump_bad_image(&err, (int)ret);
		goto out;
	}
	ret = -E2BIG;
	if (hdr.prefix_size > VMAD_PREFIX_MAX ||
	    hdr.prefix_size < VMAD_HEADER_SIZE)
		goto out;
	{
		u8 *p = kvmalloc(hdr.prefix_size, GFP_KERNEL);

		ret = -ENOMEM;
		if (!p)
			goto out;
		memcpy(p, u->prefix, VMAD_HEADER_SIZE);
		kvfree(u->prefix);
		u->prefix = p;
	}
	u->req.prefix_len = hdr.prefix_size;
	ret = undump_read(u, u->prefix + VMAD_HEADER_SIZE,
			  hdr.prefix_size - VMAD_HEADER_SIZE);
	if (ret)
		goto out;
	ret = undump_run(u, ax, lost);
out:
	undump_free(u);
	kfree(u);
	return ret;
}
