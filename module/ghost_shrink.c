// SPDX-License-Identifier: GPL-2.0
/*
 * What a process gives up when it becomes a ghost, so that a ghost costs
 * O(1) memory: it closes every descriptor but 0, 1 and 2, and unmaps its
 * whole address space except one page of arguments (so that ps and
 * /proc/PID/cmdline still show the command line) and one page of code
 * (module/arch_x86.c: a syscall instruction to exit through, and the
 * snippet its calls are made from).  Both are sealed: nobody can write
 * them, whatever descriptor of its memory they hold (ghost_seal()).
 *
 * Files a ghost closes are released by a kernel worker.  The last fput()
 * of a file in a user task is deferred to its next return to user mode
 * (task work), which a ghost, asleep in the kernel, does not make: a pipe's
 * reader on the master would not see end of file until the ghost ended.
 * From a kernel thread fput() goes to the delayed-fput list, which
 * flush_delayed_fput() runs at once.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "arch.h"
#include "ghost_shrink.h"
#include "ghost_table.h"

struct ghost_fput {
	struct work_struct work;
	unsigned int n;
	struct file *files[];
};

static void ghost_fput_work(struct work_struct *work)
{
	struct ghost_fput *gf = container_of(work, struct ghost_fput, work);
	unsigned int i;

	for (i = 0; i < gf->n; i++)
		fput(gf->files[i]);
	flush_delayed_fput();
	kfree(gf);
}

void bproc_ghost_fput_now(struct file **files, unsigned int n)
{
	struct ghost_fput *gf;
	unsigned int i;

	if (!n)
		return;
	gf = kmalloc(struct_size(gf, files, n), GFP_KERNEL);
	if (!gf) {
		for (i = 0; i < n; i++)
			fput(files[i]);	/* released when the ghost ends */
		return;
	}
	INIT_WORK(&gf->work, ghost_fput_work);
	gf->n = n;
	memcpy(gf->files, files, n * sizeof(*files));
	queue_work(bproc_ghost_wq, &gf->work);
}

void bproc_ghost_close_fd(unsigned int fd)
{
	struct file *f = close_fd_get_file(fd);

	if (f)
		bproc_ghost_fput_now(&f, 1);
}

static int ghost_any_fd(const void *unused, struct file *file, unsigned int fd)
{
	return fd + 1;
}

void bproc_ghost_close_fds(void)
{
	struct file *batch[64];
	unsigned int n = 0;
	int fd;

	while ((fd = iterate_fd(current->files, 3, ghost_any_fd, NULL)) > 0) {
		struct file *f = close_fd_get_file(fd - 1);

		if (!f)
			continue;
		batch[n++] = f;
		if (n == ARRAY_SIZE(batch)) {
			bproc_ghost_fput_now(batch, n);
			n = 0;
		}
	}
	bproc_ghost_fput_now(batch, n);
}

/* [vdso] or [vvar]?  Caller holds the mmap lock. */
static bool ghost_vma_special(struct vm_area_struct *vma)
{
	const char *name;

	if (vma->vm_file || !vma->vm_ops || !vma->vm_ops->name)
		return false;
	name = vma->vm_ops->name(vma);
	return name && (!strcmp(name, "[vdso]") || !strcmp(name, "[vvar]"));
}

/*
 * Nobody writes the area at @addr again, not even with a forced write
 * (FOLL_FORCE: ptrace, /proc/PID/mem, whose dumpability check was made
 * when it was opened, maybe before the process moved): without
 * VM_MAYWRITE a private mapping is not copy-on-write, which GUP requires
 * of a forced write to a read-only area, and mprotect() may not make it
 * writable.  Its page table entries are read-only already (the flag takes
 * no part in vm_page_prot).
 */
static void ghost_seal(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_write_lock(mm);
	vma = find_vma(mm, addr);
	if (vma && vma->vm_start <= addr && !(vma->vm_flags & VM_WRITE))
		vma->vm_flags &= ~VM_MAYWRITE;
	mmap_write_unlock(mm);
}

long bproc_ghost_shrink(void)
{
	struct mm_struct *mm = current->mm;
	unsigned long args, alen, astart, base, addr, from;
	struct vm_area_struct *vma;
	char *buf;
	long err;

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	spin_lock(&mm->arg_lock);
	astart = mm->arg_start;
	alen = min(mm->arg_end - mm->arg_start, PAGE_SIZE);
	spin_unlock(&mm->arg_lock);
	if (copy_from_user(buf, (const void __user *)astart, alen))
		alen = 0;

	/*
	 * Every area, one at a time (vm_munmap takes the lock itself), but
	 * [vdso] and [vvar]: they cost no memory of their own, and a process
	 * coming back is restored with its vDSO where it left it.
	 */
	for (from = 0;;) {
		unsigned long start, end;
		bool special;

		mmap_read_lock(mm);
		vma = find_vma(mm, from);
		if (!vma) {
			mmap_read_unlock(mm);
			break;
		}
		start = vma->vm_start;
		end = vma->vm_end;
		special = ghost_vma_special(vma);
		mmap_read_unlock(mm);
		if (special) {
			from = end;
			continue;
		}
		err = vm_munmap(start, end - start);
		if (err)
			goto out;
	}

	/* rseq and the futex lists pointed into what is gone. */
	current->rseq = NULL;
	current->rseq_sig = 0;
	current->clear_child_tid = NULL;
	current->robust_list = NULL;

	/* The arguments, at their old address, so ps reads them. */
	if (alen) {
		base = astart & PAGE_MASK;
		args = vm_mmap(NULL, base, astart + alen - base, PROT_READ,
			       MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, 0);
		if (IS_ERR_VALUE(args) ||
		    access_process_vm(current, astart, buf, alen,
				      FOLL_FORCE | FOLL_WRITE) != alen)
			alen = 0;
		else
			ghost_seal(mm, args);
	}
	spin_lock(&mm->arg_lock);
	mm->arg_end = mm->arg_start + alen;
	mm->env_start = mm->arg_end;
	mm->env_end = mm->arg_end;
	spin_unlock(&mm->arg_lock);

	addr = vm_mmap(NULL, 0, PAGE_SIZE, PROT_READ | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(addr)) {
		err = addr;
		goto out;
	}
	err = bproc_arch_ghost_write_code(addr);
	if (err)
		goto out;
	ghost_seal(mm, addr);
	err = addr;
out:
	kfree(buf);
	return err;
}
