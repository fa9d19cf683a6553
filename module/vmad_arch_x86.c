// SPDX-License-Identifier: GPL-2.0
/*
 * VMADump's x86-64 parts: the registers and the XSAVE (FPU) state a dump
 * captures, and the checks and writes that restore them.  The rest of
 * VMADump is arch-neutral; the image format's x86-64 fields are in
 * <linux/bproc_image.h>.
 *
 * Not module/arch_x86.c: that file holds the ghost's code bytes and the
 * registers the ghost code sets, and knows nothing of VMADump; these
 * functions work on the dumper's and the undump's private state
 * (vmad_dump.h, vmad_undump.h), which it should not include.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/bproc.h>
#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/ptrace.h>
#include <linux/regset.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <asm/fpu/api.h>
#include <asm/fpu/types.h>
#include <asm/fsgsbase.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/user.h>

#include "vmad_check.h"
#include "vmad_dump.h"
#include "vmad_undump.h"

/* Kernel-internal restart codes (include/linux/errno.h). */
#ifndef ERESTARTSYS
#define ERESTARTSYS		512
#define ERESTARTNOINTR		513
#define ERESTARTNOHAND		514
#define ERESTART_RESTARTBLOCK	516
#endif

/* ------------------------------------------------------------------ */
/* Dump: the registers and the XSAVE state                            */
/* ------------------------------------------------------------------ */

static const struct user_regset *bproc_vmad_regset(const struct user_regset_view *view,
						   unsigned int note)
{
	unsigned int i;

	for (i = 0; i < view->n; i++)
		if (view->regsets[i].core_note_type == note)
			return &view->regsets[i];
	return NULL;
}

int bproc_vmad_get_regs(struct bproc_vmad_dumper *d,
			struct vmad_regs *regs, void **xstate)
{
	const struct user_regset_view *view = task_user_regset_view(d->task);
	const struct user_regset *rs;
	struct user_regs_struct ur;
	int ret;

	BUILD_BUG_ON(sizeof(ur) != sizeof(*regs));
	rs = bproc_vmad_regset(view, NT_PRSTATUS);
	if (!rs || rs->n * rs->size != sizeof(ur))
		return -EOPNOTSUPP;	/* a 32-bit task */
	ret = regset_get(d->task, rs, sizeof(ur), &ur);
	if (ret < 0)
		return ret;
	if (ur.cs != 0x33 || ur.ss != 0x2b) {
		pr_info_ratelimited("dump: pid %d (%s): refused: not a 64-bit task\n",
				    task_pid_nr(d->task), d->task->comm);
		return -EOPNOTSUPP;
	}

	if (d->self) {
		/* The restored process sees this ioctl return 0. */
		ur.ax = 0;
		ur.orig_ax = -1;
	} else if ((long)ur.orig_ax >= 0) {
		/* Stopped inside a system call: the signal code's rules. */
		switch ((long)ur.ax) {
		case -ERESTARTSYS:
		case -ERESTARTNOINTR:
		case -ERESTARTNOHAND:
			ur.ax = ur.orig_ax;
			ur.ip -= 2;
			break;
		case -ERESTART_RESTARTBLOCK:
			/* the restart block cannot travel */
			ur.ax = -EINTR;
			break;
		}
	}
	memcpy(regs, &ur, sizeof(ur));

	rs = bproc_vmad_regset(view, NT_X86_XSTATE);
	if (!rs || !rs->n)
		return -EOPNOTSUPP;
	ret = regset_get_alloc(d->task, rs,
			       min_t(unsigned int, rs->n * rs->size,
				     VMAD_XSTATE_MAX), xstate);
	if (ret < 0)
		return ret;
	if (ret < VMAD_XSTATE_MIN) {
		kfree(*xstate);
		*xstate = NULL;
		return -EOPNOTSUPP;
	}
	return ret;
}

/* ------------------------------------------------------------------ */
/* Undump: the XSAVE state, the registers and the FPU                 */
/* ------------------------------------------------------------------ */

/* EFLAGS bits a restored task may set (ptrace's FLAG_MASK without TF). */
#define UNDUMP_EFLAGS	(X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
			 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_DF | \
			 X86_EFLAGS_OF | X86_EFLAGS_AC)

/*
 * The XSAVE buffer must be one fpu_copy_uabi_to_guest_fpstate() accepts
 * for this task without a WARN: only features this CPU and kernel offer to
 * user space, none disabled by XFD, each component inside the image's
 * buffer at this CPU's offset.
 */
int bproc_vmad_undump_check_xstate(struct undump *u)
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

/* Returns the value the restored task finds in rax. */
long bproc_vmad_undump_set_regs(struct undump *u)
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
int bproc_vmad_undump_set_fpu(struct undump *u)
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
