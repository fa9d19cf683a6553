/* SPDX-License-Identifier: GPL-2.0 */
/*
 * module/arch_x86.c: the machine code a ghost runs and the registers the
 * ghost code sets to make it run.  See the comment at the top of the .c.
 */
#ifndef BPROC_ARCH_H
#define BPROC_ARCH_H

#include <linux/types.h>

/*
 * The ghost's code page: at 0 "syscall; ud2" (exit_group, and the restart
 * of a stopped ghost after the syscall instruction); at BPROC_ARCH_CALL_CODE
 * the call snippet: the system call set up by bproc_arch_ghost_call_regs(),
 * then ioctl(resume_fd, BPROC_IOC_GHOST_CALLRET, result).
 */
#define BPROC_ARCH_CALL_CODE	16

/* Write the code page at @code, a page of the caller's.  0 or -EFAULT. */
int bproc_arch_ghost_write_code(unsigned long code);

/* The caller leaves the kernel through exit_group(@exit_code) at @code. */
long bproc_arch_ghost_exit_regs(unsigned long code, int exit_code);
/*
 * The caller's interrupted system call restarts as
 * ioctl(@resume_fd, BPROC_IOC_GHOST) from @code.  Returns -ERESTARTNOINTR.
 */
long bproc_arch_ghost_resume_regs(unsigned long code, int resume_fd);
/*
 * The caller leaves the kernel into the call snippet at @code, to make
 * system call @nr with arguments @a and report to @resume_fd.  Returns @nr.
 */
long bproc_arch_ghost_call_regs(unsigned long code, int resume_fd, u32 nr,
				const u64 a[6]);
/* The system call number the caller's return registers carry (@nr). */
void bproc_arch_ghost_set_nr(long nr);

#endif /* BPROC_ARCH_H */
