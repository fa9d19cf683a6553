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
 * Documentation/vmadump.md describes what is captured and what is refused.
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
#include <linux/regset.h>
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
#include <linux/elf.h>
#include <asm/user.h>

#include "internal.h"
#include "vmad_build.h"
#include "vmad_check.h"

/* Kernel-internal restart codes (include/linux/errno.h). */
#ifndef ERESTARTSYS
#define ERESTARTSYS		512
#define ERESTARTNOINTR		513
#define ERESTARTNOHAND		514
#define ERESTART_RESTARTBLOCK	516
#endif

/* A VMA as copied under mmap_read_lock, then classified. */
struct bproc_vmad_vma {
	unsigned long start;
	unsigned long end;
	unsigned long vm_flags;
	unsigned long pgoff;
	struct file *file;	/* pinned with get_file(), or NULL */
	bool anon;		/* has anonymous (COW) pages: vma->anon_vma */
	u8 kind;		/* VMAD_AREA_* */
	u8 dump_class;
	u16 prot;
	u16 flags;
	u32 path;
	u64 file_size;
	u32 file_crc;
};

enum bproc_vmad_state {
	BPROC_VMAD_S_PREFIX,
	BPROC_VMAD_S_CHUNKS,
	BPROC_VMAD_S_DATA,
	BPROC_VMAD_S_DONE,
};

struct bproc_vmad_dumper {
	struct task_struct *task;
	u32 flags;
	bool self;

	/* not @self: what the reader's rights were checked against */
	struct mm_struct *mm;		/* mmgrab()bed */
	const struct cred *cred;	/* the task's real_cred, a reference */
	int dumpable;
	int err;			/* sticky: the owner changed */

	struct bproc_vmad_vma *vmas;
	u32 nr_vmas;

	/* string table being collected: offsets into @strtab */
	char *strtab;
	size_t strtab_len;
	size_t strtab_cap;
	u32 *stroff;
	u32 nr_strings;
	u32 stroff_cap;

	u8 *prefix;
	size_t prefix_len;
	u32 seal;

	/* page data */
	enum bproc_vmad_state state;
	u32 area;		/* area being read */
	unsigned long next;	/* next address of @area to read */
	u8 *win;		/* VMAD_CHUNK_PAGES_MAX pages */
	unsigned long win_addr;
	u32 win_area;
	u32 win_pages;
	u32 win_pos;
	const u8 *data;		/* pages of the chunk just announced */
	size_t data_len;
	u64 nr_chunks;
	u64 nr_pages;
	struct vmad_chunk chunk;
	struct vmad_end end;
};

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
static long bproc_vmad_add_string(struct bproc_vmad_dumper *d, const char *s,
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
static char *bproc_vmad_d_path(const struct path *path, char *buf)
{
	char *p = d_path(path, buf, PATH_MAX);

	if (!IS_ERR(p) && *p != '/')
		return ERR_PTR(-ENOENT);	/* not reachable from our root */
	return p;
}

/* ------------------------------------------------------------------ */
/* The VMA list                                                       */
/* ------------------------------------------------------------------ */

static void bproc_vmad_put_vmas(struct bproc_vmad_dumper *d)
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
static int bproc_vmad_copy_vmas(struct bproc_vmad_dumper *d,
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
static int bproc_vmad_classify(struct bproc_vmad_dumper *d,
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

/* ------------------------------------------------------------------ */
/* Registers and process context                                      */
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

static int bproc_vmad_get_regs(struct bproc_vmad_dumper *d,
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

static void bproc_vmad_get_thread(struct task_struct *t, struct vmad_thread *th)
{
	memset(th, 0, sizeof(*th));
#ifdef CONFIG_RSEQ
	if (t->rseq) {
		th->rseq = (unsigned long)t->rseq;
		/* 6.1 keeps no length: registration needs exactly 32 */
		th->rseq_len = 32;
		th->rseq_sig = t->rseq_sig;
	}
#endif
	th->robust_list = (unsigned long)t->robust_list;
	th->clear_child_tid = (unsigned long)t->clear_child_tid;
	if (t->sas_ss_size) {
		th->ss_sp = t->sas_ss_sp;
		th->ss_size = t->sas_ss_size;
		th->ss_flags = t->sas_ss_flags & SS_AUTODISARM;
	} else {
		th->ss_flags = VMAD_SS_DISABLE |
			       (t->sas_ss_flags & SS_AUTODISARM);
	}
}

static int bproc_vmad_get_signals(struct task_struct *t,
				  struct vmad_signals *s)
{
	struct sighand_struct *sh;
	const u64 never = (1ULL << (VMAD_SIGKILL - 1)) |
			  (1ULL << (VMAD_SIGSTOP - 1));
	int i;

	BUILD_BUG_ON(_NSIG != VMAD_NSIG);
	memset(s, 0, sizeof(*s));
	/*
	 * Lock @t's signal handlers as __lock_task_sighand() (not exported)
	 * does: sighand structs are SLAB_TYPESAFE_BY_RCU, so lock the one we
	 * see and check that it is still the task's.  None: it is exiting.
	 */
	rcu_read_lock();
	for (;;) {
		sh = rcu_dereference(t->sighand);
		if (!sh) {
			rcu_read_unlock();
			return -ESRCH;
		}
		spin_lock_irq(&sh->siglock);
		if (likely(sh == rcu_access_pointer(t->sighand)))
			break;
		spin_unlock_irq(&sh->siglock);
	}
	rcu_read_unlock();
	for (i = 0; i < VMAD_NSIG; i++) {
		const struct sigaction *sa = &sh->action[i].sa;
		struct vmad_sigaction *o = &s->action[i];

		if (i + 1 == VMAD_SIGKILL || i + 1 == VMAD_SIGSTOP)
			continue;
		o->handler = (unsigned long)sa->sa_handler;
		o->flags = sa->sa_flags & VMAD_SA_FLAGS;
		o->restorer = (unsigned long)sa->sa_restorer;
		o->mask = sa->sa_mask.sig[0] & ~never;
	}
	s->blocked = t->blocked.sig[0] & ~never;
	spin_unlock_irq(&sh->siglock);
	return 0;
}

/* Credentials as the initial user namespace sees them; groups appended. */
static void bproc_vmad_build_cred(struct bproc_vmad_builder *b,
				  const struct cred *cred, int n)
{
	struct group_info *gi = cred->group_info;
	struct vmad_cred c = {};
	int i;

	c.uid = from_kuid_munged(&init_user_ns, cred->uid);
	c.euid = from_kuid_munged(&init_user_ns, cred->euid);
	c.suid = from_kuid_munged(&init_user_ns, cred->suid);
	c.fsuid = from_kuid_munged(&init_user_ns, cred->fsuid);
	c.gid = from_kgid_munged(&init_user_ns, cred->gid);
	c.egid = from_kgid_munged(&init_user_ns, cred->egid);
	c.sgid = from_kgid_munged(&init_user_ns, cred->sgid);
	c.fsgid = from_kgid_munged(&init_user_ns, cred->fsgid);
	c.ngroups = n;
	bproc_vmad_build_begin(b, VMAD_REC_CRED);
	bproc_vmad_build_put(b, &c, sizeof(c));
	for (i = 0; i < n; i++) {
		u32 g = from_kgid_munged(&init_user_ns, gi->gid[i]);

		bproc_vmad_build_put(b, &g, sizeof(g));
	}
	bproc_vmad_build_end(b);
}

/* rlimits, comm, umask, nice, personality, flags; cwd and exe strings. */
static int bproc_vmad_get_proc(struct bproc_vmad_dumper *d,
			       struct vmad_proc *p, char *pathbuf,
			       struct file *exe)
{
	struct task_struct *t = d->task;
	struct path pwd;
	char *s;
	long idx;
	int i;

	BUILD_BUG_ON(RLIM_NLIMITS != VMAD_RLIM_NLIMITS);
	BUILD_BUG_ON(TASK_COMM_LEN != VMAD_COMM_LEN);
	memset(p, 0, sizeof(*p));

	task_lock(t->group_leader);
	for (i = 0; i < RLIM_NLIMITS; i++) {
		p->rlim[i].cur = t->signal->rlim[i].rlim_cur;
		p->rlim[i].max = t->signal->rlim[i].rlim_max;
	}
	task_unlock(t->group_leader);
	__get_task_comm(p->comm, sizeof(p->comm), t);

	task_lock(t);
	if (!t->fs) {
		task_unlock(t);
		return -ESRCH;
	}
	p->umask = t->fs->umask & 0777;
	get_fs_pwd(t->fs, &pwd);
	task_unlock(t);
	s = bproc_vmad_d_path(&pwd, pathbuf);
	path_put(&pwd);
	if (IS_ERR(s))
		return PTR_ERR(s);
	idx = bproc_vmad_add_string(d, s, strlen(s));
	if (idx < 0)
		return idx;
	p->cwd = idx;

	p->exe = VMAD_NO_STRING;
	if (exe) {
		s = bproc_vmad_d_path(&exe->f_path, pathbuf);
		if (!IS_ERR(s)) {
			idx = bproc_vmad_add_string(d, s, strlen(s));
			if (idx == -ENOMEM || idx == -E2BIG)
				return idx;
			if (idx >= 0)
				p->exe = idx;
		}
	}

	p->nice = task_nice(t);
	if (personality(t->personality) != PER_LINUX) {
		pr_info_ratelimited("dump: pid %d (%s): refused: personality %#x\n",
				    task_pid_nr(t), t->comm, t->personality);
		return -EOPNOTSUPP;
	}
	p->personality = t->personality & VMAD_PERSONALITY_FLAGS;
	if (task_no_new_privs(t))
		p->flags |= VMAD_PROC_NO_NEW_PRIVS;
	return 0;
}

static struct file *bproc_vmad_exe_file(struct mm_struct *mm)
{
	struct file *f;

	rcu_read_lock();
	f = rcu_dereference(mm->exe_file);
	if (f && !get_file_rcu(f))
		f = NULL;
	rcu_read_unlock();
	return f;
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
