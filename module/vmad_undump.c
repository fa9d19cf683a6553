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
 *
 * This file has the checks before the point of no return and the ioctl;
 * the referenced files (fingerprints, exe, descriptors) are
 * vmad_undump_files.c, what comes after the point of no return
 * vmad_undump_apply.c, the x86 registers and FPU vmad_arch_x86.c.
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

void bproc_vmad_undump_bad_image(const struct bproc_vmad_err *err, int ret)
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
	return bproc_vmad_undump_check_xstate(u);
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
	ret = bproc_vmad_undump_open_files(u);
	if (!ret)
		bproc_vmad_undump_open_exe(u);
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
		bproc_vmad_undump_bad_image(&err, (int)ret);
		return ret;
	}
	ret = undump_prepare(u);
	if (ret)
		return ret;

	/* The point of no return. */
	ret = bproc_vmad_undump_apply(u, ax);
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
	ret = bproc_vmad_undump_read(u, u->prefix, VMAD_HEADER_SIZE);
	if (ret)
		goto out;
	ret = bproc_vmad_check_header(u->prefix, VMAD_HEADER_SIZE, &hdr, &err);
	if (ret) {
		bproc_vmad_undump_bad_image(&err, (int)ret);
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
	ret = bproc_vmad_undump_read(u, u->prefix + VMAD_HEADER_SIZE,
				     hdr.prefix_size - VMAD_HEADER_SIZE);
	if (ret)
		goto out;
	ret = undump_run(u, ax, lost);
out:
	undump_free(u);
	kfree(u);
	return ret;
}
