// SPDX-License-Identifier: GPL-2.0
/*
 * VMADump, the dump side: the process context, that is the thread state,
 * signal handlers, credentials, rlimits, comm, cwd and exe.  See
 * vmad_dump.c; the registers are in vmad_arch_x86.c.
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

void bproc_vmad_get_thread(struct task_struct *t, struct vmad_thread *th)
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

int bproc_vmad_get_signals(struct task_struct *t,
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
void bproc_vmad_build_cred(struct bproc_vmad_builder *b,
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
int bproc_vmad_get_proc(struct bproc_vmad_dumper *d,
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

struct file *bproc_vmad_exe_file(struct mm_struct *mm)
{
	struct file *f;

	rcu_read_lock();
	f = rcu_dereference(mm->exe_file);
	if (f && !get_file_rcu(f))
		f = NULL;
	rcu_read_unlock();
	return f;
}
