// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64: the only machine code and register layout bproc's ghosts know.
 *
 * Why this file exists: a ghost (module/ghost_loop.c) is the moved
 * process's own task, sleeping in an ioctl.  To end with the remote
 * process's exit code, to stop and later re-enter its loop, and to make a
 * PID-space call as the process itself (module/calls.c), it leaves the
 * kernel into a page of code of its own, with its registers set up for
 * the system call that code makes.  Both the instruction bytes and the
 * register names are x86-64 facts; everything else about ghosts is not.
 * Another architecture gets its own arch_<arch>.c with these functions.
 */
#include <linux/bproc.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/string.h>

#include <asm/ptrace.h>
#include <asm/unistd.h>

#include "arch.h"

/*
 * At 0 "syscall; ud2"; at BPROC_ARCH_CALL_CODE the call snippet "syscall;
 * mov rdx,rax; mov edi,r12d; mov esi,BPROC_IOC_GHOST_CALLRET; mov
 * eax,__NR_ioctl; syscall; ud2".  The resume descriptor comes in r12 (set
 * for each call by bproc_arch_ghost_call_regs(); no system call changes
 * it), so the page is the same for every ghost and is written once.
 */
int bproc_arch_ghost_write_code(unsigned long code)
{
	u8 page[BPROC_ARCH_CALL_CODE + 32] = { 0x0f, 0x05, 0x0f, 0x0b };
	u8 *p = page + BPROC_ARCH_CALL_CODE;
	u32 v;

	*p++ = 0x0f; *p++ = 0x05;		/* syscall */
	*p++ = 0x48; *p++ = 0x89; *p++ = 0xc2;	/* mov rdx,rax */
	*p++ = 0x44; *p++ = 0x89; *p++ = 0xe7;	/* mov edi,r12d */
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
	/* Through the page's read-only mapping (a private copy of it). */
	if (access_process_vm(current, code, page, p - page,
			      FOLL_FORCE | FOLL_WRITE) != p - page)
		return -EFAULT;
	return 0;
}

long bproc_arch_ghost_exit_regs(unsigned long code, int exit_code)
{
	struct pt_regs *regs = task_pt_regs(current);

	regs->ip = code;
	regs->di = exit_code;
	regs->orig_ax = -1;
	return __NR_exit_group;
}

long bproc_arch_ghost_resume_regs(unsigned long code, int resume_fd)
{
	struct pt_regs *regs = task_pt_regs(current);

	regs->ip = code + 2;		/* after its syscall instruction */
	regs->orig_ax = __NR_ioctl;
	regs->di = resume_fd;
	regs->si = BPROC_IOC_GHOST;
	regs->dx = 0;
	regs->ax = -ERESTARTNOINTR;	/* for a stop taken in a task work */
	return -ERESTARTNOINTR;
}

long bproc_arch_ghost_call_regs(unsigned long code, int resume_fd, u32 nr,
				const u64 a[6])
{
	struct pt_regs *regs = task_pt_regs(current);

	regs->ip = code + BPROC_ARCH_CALL_CODE;
	regs->r12 = resume_fd;
	regs->di = a[0];
	regs->si = a[1];
	regs->dx = a[2];
	regs->r10 = a[3];
	regs->r8 = a[4];
	regs->r9 = a[5];
	regs->orig_ax = -1;
	regs->ax = nr;	/* also from a task work, which sets no rax */
	return nr;
}

void bproc_arch_ghost_set_nr(long nr)
{
	task_pt_regs(current)->ax = nr;
}
