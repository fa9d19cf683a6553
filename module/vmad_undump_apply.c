// SPDX-License-Identifier: GPL-2.0
/*
 * VMADump undump after the point of no return: the caller's memory is
 * replaced by the image's areas and page data; then the mm layout, exe
 * file, credentials, limits, signal and thread state, registers and FPU
 * are set.  A failure here kills the caller (unless it repairs itself).
 * See vmad_undump.c.
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
int bproc_vmad_undump_read(struct undump *u, void *buf, size_t len)
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

		ret = bproc_vmad_undump_read(u, hdr, sizeof(hdr));
		if (ret)
			return ret;
		ret = bproc_vmad_check_chunk(&st, hdr, &ch, &err);
		if (ret == BPROC_VMAD_END)
			return 0;
		if (ret)
			goto bad;
		len = (size_t)ch.nr_pages * VMAD_PAGE_SIZE;
		ret = bproc_vmad_undump_read(u, u->bounce, len);
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
	bproc_vmad_undump_bad_image(&err, ret);
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

int bproc_vmad_undump_apply(struct undump *u, long *ax)
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
	*ax = bproc_vmad_undump_set_regs(u);
	ret = bproc_vmad_undump_set_fpu(u);
	if (ret)
		goto fail;
	if (u->req.flags & BPROC_UNDUMP_CLOSEFDS)
		bproc_vmad_undump_close_fds();
	return 0;

fail:
	if (u->no_kill)
		return ret;
	pr_warn_ratelimited("undump: pid %d killed after the point of no return: %d\n",
			    task_pid_nr(current), ret);
	force_sig(SIGKILL);
	return ret;
}
