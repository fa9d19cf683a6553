// SPDX-License-Identifier: GPL-2.0
/*
 * VMADump, the dump side: the VMA list.  Copied under mmap_read_lock (each
 * file pinned), then classified: what each area is, how it is dumped, its
 * file's fingerprint.  See vmad_dump.c.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/bproc.h>
#include <linux/bproc_image.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/errno.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/personality.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>
#include <linux/vmalloc.h>

#include "internal.h"
#include "vmad_check.h"
#include "vmad_dump.h"

void bproc_vmad_put_vmas(struct bproc_vmad_dumper *d)
{
	u32 i;

	for (i = 0; i < d->nr_vmas; i++)
		if (d->vmas[i].file)
			fput(d->vmas[i].file);
	kvfree(d->vmas);
	d->vmas = NULL;
	d->nr_vmas = 0;
}

/*
 * Copy the VMA list of @mm, with the mm's layout fields into @lay and its
 * saved auxv into @auxv (returns the pair count in *@nr_auxv).
 */
int bproc_vmad_copy_vmas(struct bproc_vmad_dumper *d,
			 struct mm_struct *mm, struct vmad_mm *lay,
			 struct vmad_auxv *auxv)
{
	struct vm_area_struct *vma;
	unsigned long vdso;
	int tries, count;
	u32 n, i;

	for (tries = 0; tries < 4; tries++) {
		count = READ_ONCE(mm->map_count);
		if (count <= 0 || count > VMAD_AREAS_MAX)
			return count <= 0 ? -EINVAL : -E2BIG;
		n = count + 8;	/* room for a few new ones */
		d->vmas = kvcalloc(n, sizeof(*d->vmas), GFP_KERNEL);
		if (!d->vmas)
			return -ENOMEM;

		if (mmap_read_lock_killable(mm)) {
			kvfree(d->vmas);
			d->vmas = NULL;
			return -EINTR;
		}
		if (mm->map_count > n) {
			mmap_read_unlock(mm);
			kvfree(d->vmas);
			d->vmas = NULL;
			continue;
		}
		vdso = (unsigned long)mm->context.vdso;
		i = 0;
		{
			VMA_ITERATOR(vmi, mm, 0);

			for_each_vma(vmi, vma) {
				struct bproc_vmad_vma *v;

				if (i >= n)
					break;
				v = &d->vmas[i++];
				v->start = vma->vm_start;
				v->end = vma->vm_end;
				v->vm_flags = vma->vm_flags;
				v->pgoff = vma->vm_pgoff;
				v->anon = !!vma->anon_vma;
				if (vdso && vma->vm_start == vdso)
					v->kind = VMAD_AREA_VDSO;
				else if (vdso && vma->vm_end == vdso &&
					 (vma->vm_flags & (VM_IO | VM_PFNMAP)))
					v->kind = VMAD_AREA_VVAR;
				else
					v->kind = VMAD_AREA_DATA;
				if (vma->vm_file && v->kind == VMAD_AREA_DATA)
					v->file = get_file(vma->vm_file);
			}
		}
		d->nr_vmas = i;

		lay->start_code = mm->start_code;
		lay->end_code = mm->end_code;
		lay->start_data = mm->start_data;
		lay->end_data = mm->end_data;
		lay->start_brk = mm->start_brk;
		lay->brk = mm->brk;
		lay->start_stack = mm->start_stack;
		spin_lock(&mm->arg_lock);
		lay->arg_start = mm->arg_start;
		lay->arg_end = mm->arg_end;
		lay->env_start = mm->env_start;
		lay->env_end = mm->env_end;
		spin_unlock(&mm->arg_lock);
		mmap_read_unlock(mm);

		/* saved_auxv: the pairs before AT_NULL, then AT_NULL. */
		n = 0;
		for (i = 0; i + 1 < AT_VECTOR_SIZE && n < VMAD_AUXV_MAX - 1;
		     i += 2) {
			if (!mm->saved_auxv[i])
				break;
			auxv[n].type = mm->saved_auxv[i];
			auxv[n].value = mm->saved_auxv[i + 1];
			n++;
		}
		auxv[n].type = 0;
		auxv[n].value = 0;
		lay->nr_auxv = n + 1;
		return 0;
	}
	return -EAGAIN;	/* the map kept growing */
}

/* Fingerprint of a FILE area: CRC-32C of its mapped bytes (format doc). */
static int bproc_vmad_fingerprint(struct bproc_vmad_vma *v)
{
	loff_t pos = (loff_t)v->pgoff << PAGE_SHIFT;
	loff_t size = i_size_read(file_inode(v->file));
	loff_t stop;
	u32 crc = bproc_vmad_crc_begin();
	void *buf;
	int err = 0;

	v->file_size = size;
	stop = min_t(loff_t, size, pos + (loff_t)(v->end - v->start));
	if (pos >= stop) {
		v->file_crc = 0;	/* nothing mapped lies in the file */
		return 0;
	}
	buf = kvmalloc(VMAD_CHUNK_PAGES_MAX * PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	while (pos < stop) {
		size_t want = min_t(loff_t, stop - pos,
				    VMAD_CHUNK_PAGES_MAX * PAGE_SIZE);
		ssize_t got = kernel_read(v->file, buf, want, &pos);

		if (got < 0) {
			err = got;
			goto out_free;
		}
		if (got == 0) {
			err = -ESTALE;	/* shrank while we read it */
			goto out_free;
		}
		crc = bproc_vmad_crc_add(crc, buf, got);
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			goto out_free;
		}
		cond_resched();
	}
	v->file_crc = ~crc;
out_free:
	kvfree(buf);
	return err;
}

/*
 * Same file?  On overlayfs a mapping's vm_file is the underlying file while
 * mm->exe_file is the overlay's: compare the real inodes.
 */
static bool bproc_vmad_same_inode(struct file *a, struct file *b)
{
	return a && b && d_real_inode(a->f_path.dentry) ==
			 d_real_inode(b->f_path.dentry);
}

/* Decide how each area travels, collect its path, fingerprint it. */
int bproc_vmad_classify(struct bproc_vmad_dumper *d,
			struct file *exe, char *pathbuf)
{
	struct file *prev_file = NULL;
	long prev_path = VMAD_NO_STRING;
	u32 i;
	int err;

	for (i = 0; i < d->nr_vmas; i++) {
		struct bproc_vmad_vma *v = &d->vmas[i];
		unsigned long f = v->vm_flags;
		bool have_path = false;
		u8 cls = 0;

		v->path = VMAD_NO_STRING;
		if (v->kind != VMAD_AREA_DATA)
			continue;	/* VDSO/VVAR: placement only */
		if (f & (VM_IO | VM_PFNMAP)) {
			pr_info_ratelimited("dump: pid %d (%s): refused: device mapping at %#lx\n",
					    task_pid_nr(d->task), d->task->comm,
					    v->start);
			return -EOPNOTSUPP;
		}
		v->prot = ((f & VM_READ) ? VMAD_PROT_READ : 0) |
			  ((f & VM_WRITE) ? VMAD_PROT_WRITE : 0) |
			  ((f & VM_EXEC) ? VMAD_PROT_EXEC : 0);
		if (f & VM_MAYSHARE)
			v->flags |= VMAD_AREA_F_SHARED;

		if (v->file && S_ISREG(file_inode(v->file)->i_mode) &&
		    !d_unlinked(v->file->f_path.dentry)) {
			if (v->file == prev_file && prev_path != VMAD_NO_STRING) {
				v->path = prev_path;
				have_path = true;
			} else {
				char *p = bproc_vmad_d_path(&v->file->f_path,
							    pathbuf);

				if (!IS_ERR(p)) {
					long idx = bproc_vmad_add_string(d, p,
								strlen(p));

					if (idx == -ENOMEM || idx == -E2BIG)
						return idx;
					if (idx >= 0) {
						v->path = idx;
						have_path = true;
					}
				}
				prev_file = v->file;
				prev_path = have_path ? v->path : VMAD_NO_STRING;
			}
		}
		if (have_path) {
			if (bproc_vmad_same_inode(v->file, exe))
				cls = VMAD_DUMP_EXEC;
			else if (bproc_vmad_is_lib(d->strtab + d->stroff[v->path]))
				cls = VMAD_DUMP_LIBS;
			else
				cls = VMAD_DUMP_OTHER;
			v->dump_class = cls;
		} else if (f & VM_GROWSDOWN) {
			v->flags |= VMAD_AREA_F_GROWSDOWN;
		}

		/*
		 * A reference only for a read-only private mapping whose pages
		 * all still come from the file (no anon_vma: never COW-written,
		 * e.g. not RELRO), when its class is not asked for as data.
		 */
		if (have_path && !(f & (VM_WRITE | VM_MAYSHARE)) && !v->anon &&
		    !(d->flags & cls)) {
			v->kind = VMAD_AREA_FILE;
			err = bproc_vmad_fingerprint(v);
			if (err)
				return err;
		}
	}
	return 0;
}
