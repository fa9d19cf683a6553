// SPDX-License-Identifier: GPL-2.0
/*
 * VMADump, the dump side: writing a process's image.
 *
 * One engine, two users:
 *  - BPROC_IOC_VMADUMP: the calling process dumps itself into an fd
 *    (bproc_vmadump() in libbproc); the registers are those of the ioctl,
 *    with 0 as its return value, so the restored process sees the call
 *    return 0.
 *  - /proc/bproc/<pid>/image (bprocfs.c): a stopped process, read from
 *    outside, all file mappings as data.
 *
 * The engine (struct bproc_vmad_dumper) builds the whole prefix first
 * (bounded by VMAD_PREFIX_MAX), then produces page data one chunk at a time
 * (at most VMAD_CHUNK_PAGES_MAX pages), so an image of any size streams with
 * bounded memory.  The VMA list is copied under mmap_read_lock into a
 * temporary array (each file pinned with get_file()); memory is read after
 * the unlock with access_process_vm(), which takes the lock itself.
 *
 * A dump of another task (/proc/bproc/<pid>/image) is read long after its
 * reader's rights were checked, so the dumper pins what those rights were
 * about, as /proc/<pid>/mem does: the task's mm (mmgrab(): the struct stays,
 * so no new mm can ever have its address) and its credentials.  Before the
 * prefix and after every window of pages (bproc_vmad_dumper_check()) the
 * task must still have both, and the same dumpability; otherwise the read
 * ends with -EACCES (-ESRCH once the task exited), and the window is
 * dropped.  access_process_vm() reads the task's mm of the moment; since a
 * task's mm never comes back once replaced, "still the pinned mm after the
 * read" proves the pages came from it.  (access_remote_vm(), which would
 * read the pinned mm directly, is not exported.)
 *
 * This file has the refusals, the string table, the prefix, the engine and
 * the ioctl; the VMA list is vmad_dump_mm.c, the process context (threads,
 * signals, credentials, cwd and exe) vmad_dump_task.c, the x86 registers
 * vmad_arch_x86.c.  Documentation/vmadump.md describes what is captured and
 * what is refused.
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
#include "vmad_build.h"
#include "vmad_check.h"
#include "vmad_dump.h"

/* ------------------------------------------------------------------ */
/* Refusals                                                           */
/* ------------------------------------------------------------------ */

/* Does a process other than @task's own thread group use @mm? */
static bool bproc_vmad_mm_shared(struct task_struct *task, struct mm_struct *mm)
{
	struct task_struct *p;
	bool shared = false;

	/* A vfork child borrows its parent's mm until it execs or exits. */
	if (READ_ONCE(task->vfork_done))
		return true;
	/* Set on CLONE_VM without CLONE_THREAD|CLONE_VFORK (and sticky). */
	if (!test_bit(MMF_MULTIPROCESS, &mm->flags))
		return false;
	rcu_read_lock();
	for_each_process(p) {
		if (same_thread_group(p, task))
			continue;
		if (READ_ONCE(p->mm) == mm) {
			shared = true;
			break;
		}
	}
	rcu_read_unlock();
	return shared;
}

/*
 * What the engine cannot dump faithfully is refused, never half-dumped:
 * threads, a memory map shared with another process (CLONE_VM, vfork),
 * ptrace, kernel threads, exiting tasks, 32-bit tasks (checked with the
 * registers).
 */
static int bproc_vmad_refuse(struct task_struct *task, struct mm_struct *mm)
{
	const char *why = NULL;
	int err = -EBUSY;

	if (get_nr_threads(task) > 1) {
		why = "multi-threaded";
	} else if (task->ptrace) {
		why = "being ptraced";
	} else if (bproc_vmad_mm_shared(task, mm)) {
		why = "memory shared with another process";
	} else if (task->flags & PF_EXITING) {
		why = "exiting";
		err = -ESRCH;
	}
	if (!why)
		return 0;
	pr_info_ratelimited("dump: pid %d (%s): refused: %s\n",
			    task_pid_nr(task), task->comm, why);
	return err;
}

/* ------------------------------------------------------------------ */
/* Strings                                                            */
/* ------------------------------------------------------------------ */

/* Append @s (@len bytes, no NUL) as a new string; its index or -errno. */
long bproc_vmad_add_string(struct bproc_vmad_dumper *d, const char *s,
			   size_t len)
{
	size_t need = d->strtab_len + len + 1;

	if (len + 1 > VMAD_PATH_MAX || *s != '/')
		return -ENAMETOOLONG;
	if (need > VMAD_STRTAB_MAX || d->nr_strings >= VMAD_STRINGS_MAX)
		return -E2BIG;
	if (need > d->strtab_cap) {
		size_t cap = max_t(size_t, 2 * d->strtab_cap, 16384);
		char *p;

		cap = min_t(size_t, max(cap, need), VMAD_STRTAB_MAX);
		p = kvmalloc(cap, GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		if (d->strtab_len)
			memcpy(p, d->strtab, d->strtab_len);
		kvfree(d->strtab);
		d->strtab = p;
		d->strtab_cap = cap;
	}
	if (d->nr_strings >= d->stroff_cap) {
		u32 cap = max_t(u32, 2 * d->stroff_cap, 64);
		u32 *p;

		cap = min_t(u32, cap, VMAD_STRINGS_MAX);
		p = kvmalloc_array(cap, sizeof(*p), GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		if (d->nr_strings)
			memcpy(p, d->stroff, d->nr_strings * sizeof(*p));
		kvfree(d->stroff);
		d->stroff = p;
		d->stroff_cap = cap;
	}
	d->stroff[d->nr_strings] = d->strtab_len;
	memcpy(d->strtab + d->strtab_len, s, len);
	d->strtab[d->strtab_len + len] = '\0';
	d->strtab_len = need;
	return d->nr_strings++;
}

/*
 * d_path() of @path into @buf (PATH_MAX bytes): the string, or an ERR_PTR.
 * Paths are as seen from the dumping context's root (for /proc/bproc, the
 * reader's).
 */
char *bproc_vmad_d_path(const struct path *path, char *buf)
{
	char *p = d_path(path, buf, PATH_MAX);

	if (!IS_ERR(p) && *p != '/')
		return ERR_PTR(-ENOENT);	/* not reachable from our root */
	return p;
}

/* ------------------------------------------------------------------ */
/* The prefix                                                         */
/* ------------------------------------------------------------------ */

static int bproc_vmad_build_prefix(struct bproc_vmad_dumper *d,
				   struct mm_struct *mm)
{
	struct vmad_regs regs;
	struct vmad_thread thread;
	struct vmad_signals *sigs = NULL;
	struct vmad_mm lay = {};
	struct vmad_auxv *auxv = NULL;
	struct vmad_proc proc;
	struct bproc_vmad_builder b;
	struct bproc_vmad_image img;
	struct bproc_vmad_err why = {};
	const char **strs = NULL;
	const struct cred *cred = NULL;
	struct file *exe;
	void *xstate = NULL;
	char *pathbuf;
	size_t cap, strsize;
	int xsize, ngroups, err;
	u32 i;

	pathbuf = __getname();
	if (!pathbuf)
		return -ENOMEM;
	sigs = kmalloc(sizeof(*sigs), GFP_KERNEL);
	auxv = kcalloc(VMAD_AUXV_MAX, sizeof(*auxv), GFP_KERNEL);
	err = -ENOMEM;
	if (!sigs || !auxv)
		goto out_free;
	exe = bproc_vmad_exe_file(mm);

	xsize = bproc_vmad_get_regs(d, &regs, &xstate);
	if (xsize < 0) {
		err = xsize;
		goto out_put_exe;
	}
	bproc_vmad_get_thread(d->task, &thread);
	err = bproc_vmad_get_signals(d->task, sigs);
	if (err)
		goto out_put_exe;
	err = bproc_vmad_get_proc(d, &proc, pathbuf, exe);
	if (err)
		goto out_put_exe;
	err = bproc_vmad_copy_vmas(d, mm, &lay, auxv);
	if (err)
		goto out_put_exe;
	err = bproc_vmad_classify(d, exe, pathbuf);
	if (err)
		goto out_put_exe;

	err = -ENOMEM;
	strs = kvmalloc_array(max_t(u32, d->nr_strings, 1), sizeof(*strs),
			      GFP_KERNEL);
	if (!strs)
		goto out_put_exe;
	for (i = 0; i < d->nr_strings; i++)
		strs[i] = d->strtab + d->stroff[i];
	strsize = bproc_vmad_strings_size(strs, d->nr_strings);
	cred = get_task_cred(d->task);
	ngroups = min_t(int, cred->group_info->ngroups, VMAD_GROUPS_MAX);

	cap = VMAD_HEADER_SIZE +
	      bproc_vmad_record_space(sizeof(regs)) +
	      bproc_vmad_record_space(xsize) +
	      bproc_vmad_record_space(sizeof(thread)) +
	      bproc_vmad_record_space(sizeof(*sigs)) +
	      bproc_vmad_record_space(sizeof(lay) + lay.nr_auxv * sizeof(*auxv)) +
	      bproc_vmad_record_space(sizeof(struct vmad_cred) +
				      4 * (size_t)ngroups) +
	      bproc_vmad_record_space(sizeof(proc)) +
	      bproc_vmad_record_space((size_t)d->nr_vmas *
				      sizeof(struct vmad_area)) +
	      bproc_vmad_record_space(strsize) +
	      bproc_vmad_record_space(sizeof(struct vmad_seal));
	d->prefix = kvmalloc(cap, GFP_KERNEL);
	if (!d->prefix)
		goto out_put_exe;

	bproc_vmad_build_init(&b, d->prefix, cap, d->flags);
	bproc_vmad_build_record(&b, VMAD_REC_REGS, &regs, sizeof(regs));
	bproc_vmad_build_record(&b, VMAD_REC_XSTATE, xstate, xsize);
	bproc_vmad_build_record(&b, VMAD_REC_THREAD, &thread, sizeof(thread));
	bproc_vmad_build_record(&b, VMAD_REC_SIGNALS, sigs, sizeof(*sigs));
	bproc_vmad_build_begin(&b, VMAD_REC_MM);
	bproc_vmad_build_put(&b, &lay, sizeof(lay));
	bproc_vmad_build_put(&b, auxv, lay.nr_auxv * sizeof(*auxv));
	bproc_vmad_build_end(&b);
	bproc_vmad_build_cred(&b, cred, ngroups);
	bproc_vmad_build_record(&b, VMAD_REC_PROC, &proc, sizeof(proc));
	bproc_vmad_build_begin(&b, VMAD_REC_AREAS);
	for (i = 0; i < d->nr_vmas; i++) {
		const struct bproc_vmad_vma *v = &d->vmas[i];
		struct vmad_area a = {
			.start = v->start,
			.end = v->end,
			.path = v->path,
			.prot = v->prot,
			.flags = v->flags,
			.kind = v->kind,
		};

		if (v->path != VMAD_NO_STRING) {
			a.offset = (u64)v->pgoff << PAGE_SHIFT;
			a.dump_class = v->dump_class;
		}
		if (v->kind == VMAD_AREA_FILE) {
			a.file_size = v->file_size;
			a.file_crc = v->file_crc;
		}
		bproc_vmad_build_put(&b, &a, sizeof(a));
	}
	bproc_vmad_build_end(&b);
	bproc_vmad_build_strings(&b, strs, d->nr_strings);
	err = bproc_vmad_build_finish(&b, &d->seal);
	if (err)
		goto out_put_exe;
	d->prefix_len = b.pos;

	/* Never emit what a reader would refuse. */
	err = bproc_vmad_check_prefix(&img, d->prefix, d->prefix_len, &why);
	if (err) {
		pr_warn_ratelimited("dump: pid %d (%s): own image refused at %llu: %s (%d)\n",
				    task_pid_nr(d->task), d->task->comm,
				    why.offset, why.why ? why.why : "?", err);
		goto out_put_exe;
	}

out_put_exe:
	if (cred)
		put_cred(cred);
	kvfree(strs);
	kfree(xstate);
	if (exe)
		fput(exe);
out_free:
	kfree(auxv);
	kfree(sigs);
	__putname(pathbuf);
	return err;
}

/* ------------------------------------------------------------------ */
/* The engine                                                         */
/* ------------------------------------------------------------------ */

void bproc_vmad_dumper_free(struct bproc_vmad_dumper *d)
{
	if (!d)
		return;
	bproc_vmad_put_vmas(d);
	kvfree(d->strtab);
	kvfree(d->stroff);
	kvfree(d->prefix);
	vfree(d->win);
	if (d->mm)
		mmdrop(d->mm);
	if (d->cred)
		put_cred(d->cred);
	put_task_struct(d->task);
	kfree(d);
	bproc_stat_dec(BPROC_STAT_DUMPS);
}

struct bproc_vmad_dumper *bproc_vmad_dumper_create(struct task_struct *task,
						   u32 flags, bool self)
{
	struct bproc_vmad_dumper *d;
	struct mm_struct *mm;
	int err;

	if (flags & ~VMAD_DUMP_ALL)
		return ERR_PTR(-EINVAL);
	mm = get_task_mm(task);
	if (!mm)
		return ERR_PTR(-EINVAL);	/* a kernel thread or a zombie */
	err = bproc_vmad_refuse(task, mm);
	if (err)
		goto out_mmput;

	err = -ENOMEM;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		goto out_mmput;
	bproc_stat_inc(BPROC_STAT_DUMPS);
	get_task_struct(task);
	d->task = task;
	d->flags = flags;
	d->self = self;
	if (!self) {
		mmgrab(mm);
		d->mm = mm;
		d->cred = get_task_cred(task);
		d->dumpable = get_dumpable(mm);
	}
	d->win = vmalloc(VMAD_CHUNK_PAGES_MAX * PAGE_SIZE);
	if (!d->win)
		goto out_free;
	err = bproc_vmad_build_prefix(d, mm);
	if (err)
		goto out_free;
	mmput(mm);
	d->state = BPROC_VMAD_S_PREFIX;
	return d;

out_free:
	bproc_vmad_dumper_free(d);
out_mmput:
	mmput(mm);
	return ERR_PTR(err);
}

int bproc_vmad_dumper_check(struct bproc_vmad_dumper *d)
{
	struct task_struct *t = d->task;
	struct mm_struct *mm;

	if (!d->mm)
		return 0;	/* a self-dump: nothing changes under it */
	task_lock(t);
	mm = t->mm;
	task_unlock(t);
	if (!mm)
		return -ESRCH;
	if (mm != d->mm || rcu_access_pointer(t->real_cred) != d->cred ||
	    get_dumpable(d->mm) != d->dumpable)
		return -EACCES;
	return 0;
}

/* Fill the window with the next pages of DATA areas; false at the end. */
static int bproc_vmad_fill(struct bproc_vmad_dumper *d)
{
	const struct bproc_vmad_vma *v;
	unsigned long n, got, p;

	while (d->area < d->nr_vmas) {
		v = &d->vmas[d->area];
		if (v->kind != VMAD_AREA_DATA || d->next >= v->end) {
			d->area++;
			if (d->area < d->nr_vmas)
				d->next = d->vmas[d->area].start;
			continue;
		}
		n = min_t(unsigned long, (v->end - d->next) >> PAGE_SHIFT,
			  VMAD_CHUNK_PAGES_MAX);
		got = access_process_vm(d->task, d->next, d->win,
					n << PAGE_SHIFT, FOLL_FORCE);
		/* what cannot be read (past EOF of a file) travels as zero */
		for (p = got >> PAGE_SHIFT; p < n; p++) {
			u8 *pg = d->win + (p << PAGE_SHIFT);
			unsigned long at = d->next + (p << PAGE_SHIFT);

			if (access_process_vm(d->task, at, pg, PAGE_SIZE,
					      FOLL_FORCE) != PAGE_SIZE)
				memset(pg, 0, PAGE_SIZE);
		}
		d->win_addr = d->next;
		d->win_area = d->area;
		d->win_pages = n;
		d->win_pos = 0;
		d->next += n << PAGE_SHIFT;
		return 1;
	}
	return 0;
}

static bool bproc_vmad_zero_page(const u8 *pg)
{
	return !memchr_inv(pg, 0, PAGE_SIZE);
}

/*
 * The next piece of the image: *@p points at it, the return value is its
 * length; 0 once the whole image was produced; a negative errno on error
 * (the dumper is then unusable).
 */
ssize_t bproc_vmad_dumper_next(struct bproc_vmad_dumper *d, const void **p)
{
	u32 start, run;
	int ret;

	if (d->err)
		return d->err;	/* the window read last is never handed out */
	switch (d->state) {
	case BPROC_VMAD_S_PREFIX:
		d->err = bproc_vmad_dumper_check(d);
		if (d->err)
			return d->err;
		d->state = BPROC_VMAD_S_CHUNKS;
		d->area = 0;
		d->next = d->nr_vmas ? d->vmas[0].start : 0;
		*p = d->prefix;
		return d->prefix_len;
	case BPROC_VMAD_S_DATA:
		d->state = BPROC_VMAD_S_CHUNKS;
		*p = d->data;
		return d->data_len;
	case BPROC_VMAD_S_CHUNKS:
		break;
	case BPROC_VMAD_S_DONE:
	default:
		return 0;
	}

	for (;;) {
		if (fatal_signal_pending(current))
			return -EINTR;
		if (d->win_pos >= d->win_pages) {
			cond_resched();
			ret = bproc_vmad_fill(d);
			/* the pages just read, or the end: still the same owner? */
			d->err = bproc_vmad_dumper_check(d);
			if (d->err)
				return d->err;
			if (!ret) {
				bproc_vmad_build_trailer(&d->end, d->seal,
							 d->nr_chunks,
							 d->nr_pages);
				d->state = BPROC_VMAD_S_DONE;
				*p = &d->end;
				return sizeof(d->end);
			}
		}
		while (d->win_pos < d->win_pages &&
		       bproc_vmad_zero_page(d->win +
					    ((size_t)d->win_pos << PAGE_SHIFT)))
			d->win_pos++;
		if (d->win_pos >= d->win_pages)
			continue;
		start = d->win_pos;
		while (d->win_pos < d->win_pages &&
		       !bproc_vmad_zero_page(d->win +
					     ((size_t)d->win_pos << PAGE_SHIFT)))
			d->win_pos++;
		run = d->win_pos - start;
		d->data = d->win + ((size_t)start << PAGE_SHIFT);
		d->data_len = (size_t)run << PAGE_SHIFT;
		bproc_vmad_build_chunk(&d->chunk, d->seal, d->win_area,
				       d->win_addr +
				       ((unsigned long)start << PAGE_SHIFT),
				       run, bproc_vmad_crc(d->data,
							   d->data_len));
		d->nr_chunks++;
		d->nr_pages += run;
		d->state = BPROC_VMAD_S_DATA;
		*p = &d->chunk;
		return sizeof(d->chunk);
	}
}

/* ------------------------------------------------------------------ */
/* BPROC_IOC_VMADUMP                                                  */
/* ------------------------------------------------------------------ */

static int bproc_vmad_write_all(struct file *file, loff_t *pos,
				const void *buf, size_t len)
{
	while (len) {
		ssize_t n;

		if (fatal_signal_pending(current))
			return -EINTR;
		n = kernel_write(file, buf, len, pos);
		/*
		 * A signal interrupted a blocked write (pipe, socket): never
		 * let the ioctl restart, which would write the image again
		 * after the part already sent.
		 */
		if (n == -ERESTARTSYS || n == -ERESTARTNOINTR ||
		    n == -ERESTARTNOHAND || n == -ERESTART_RESTARTBLOCK)
			return -EINTR;
		if (n < 0)
			return n;
		if (n == 0)
			return -EIO;
		buf += n;
		len -= n;
	}
	return 0;
}

long bproc_vmad_dump_ioctl(struct bproc_dump_req __user *ureq)
{
	struct bproc_vmad_dumper *d;
	struct bproc_dump_req req;
	struct file *file;
	const void *p;
	u64 written = 0;
	loff_t pos;
	ssize_t len;
	int err;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (req.flags & ~VMAD_DUMP_ALL || req.reserved[0] || req.reserved[1])
		return -EINVAL;
	file = fget(req.fd);
	if (!file)
		return -EBADF;
	err = -EBADF;
	if (!(file->f_mode & FMODE_WRITE))
		goto out_fput;

	d = bproc_vmad_dumper_create(current, req.flags, true);
	if (IS_ERR(d)) {
		err = PTR_ERR(d);
		goto out_fput;
	}
	pos = file->f_pos;
	for (;;) {
		len = bproc_vmad_dumper_next(d, &p);
		if (len <= 0) {
			err = len;
			break;
		}
		err = bproc_vmad_write_all(file, &pos, p, len);
		if (err)
			break;
		written += len;
	}
	if (!(file->f_mode & FMODE_STREAM))
		file->f_pos = pos;
	bproc_vmad_dumper_free(d);
	if (err)
		goto out_fput;
	fput(file);
	req.written = written;
	if (put_user(req.written, &ureq->written))
		return -EFAULT;
	return 1;

out_fput:
	fput(file);
	return err;
}
