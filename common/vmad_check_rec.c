// SPDX-License-Identifier: GPL-2.0-only OR LGPL-2.1-only
/*
 * The VMADump image validator: the rules of each record type of the prefix,
 * and the table of their size bounds.  common/vmad_check.c frames the
 * records and calls these checks; its top comment says how they stay safe
 * on hostile input.
 */
#include "vmad_check_rec.h"

/* auxv types whose value is a user address (<linux/auxvec.h>, x86-64). */
#define VMAD_AT_PHDR 3
#define VMAD_AT_BASE 7
#define VMAD_AT_ENTRY 9
#define VMAD_AT_PLATFORM 15
#define VMAD_AT_BASE_PLATFORM 24
#define VMAD_AT_RANDOM 25
#define VMAD_AT_EXECFN 31
#define VMAD_AT_SYSINFO_EHDR 33

/* XSTATE_BV bits that make the kernel check MXCSR: x87, SSE, AVX. */
#define VMAD_XFEATURES_MXCSR 0x7ULL
/* MXCSR bits that exist (the kernel's mxcsr_feature_mask is at most this). */
#define VMAD_MXCSR_MASK 0xffffU
/*
 * The EFLAGS bits a user task can hold: CF, bit 1 (always set), PF, AF, ZF,
 * SF, TF, IF, DF, OF, RF, AC, ID.  Not IOPL (port I/O), NT, VM (vm86), VIF
 * or VIP: no 64-bit user task runs with them, and IRET to user mode would
 * grant them, so an image carrying one is hostile.  (The restore also
 * forces IF on, as ptrace's FLAG_MASK rules do.)
 */
#define VMAD_EFLAGS_MASK 0x250fd7ULL
/* Selector requested privilege level: user selectors have RPL 3. */
#define VMAD_SEL_RPL_MASK 0x3
#define VMAD_SEL_RPL_USER 0x3

/* An address a user task can use (and that the kernel accepts as such). */
static bool vmad_user_addr(u64 addr)
{
	return addr < VMAD_TASK_SIZE_MAX;
}

/* [start, start + len) lies in the user address space; no wrap. */
static bool vmad_user_range(u64 start, u64 len)
{
	return start <= VMAD_TASK_SIZE_MAX && len <= VMAD_TASK_SIZE_MAX - start;
}

/* A valid index into the string table (not VMAD_NO_STRING). */
static bool vmad_string_ok(const struct vmad_ctx *c, u32 idx)
{
	return idx < c->img->nr_strings;
}

/* One bit of VMAD_DUMP_ALL: the class of a file. */
static bool vmad_class_ok(u8 cls)
{
	return cls == VMAD_DUMP_LIBS || cls == VMAD_DUMP_EXEC ||
	       cls == VMAD_DUMP_OTHER;
}
/* ------------------------------------------------------------------ */
/* Records: one check function per type                               */
/* ------------------------------------------------------------------ */
/* A 64-bit segment selector field: null, or a user selector. */
static bool vmad_selector_ok(u64 sel)
{
	return sel == 0 || (sel <= 0xffff &&
			    (sel & VMAD_SEL_RPL_MASK) == VMAD_SEL_RPL_USER);
}

#define REGS_AT(field) (off + offsetof(struct vmad_regs, field))

static int vmad_check_regs(struct vmad_ctx *c, const struct vmad_payload *pl)
{
	u64 off = pl->off;
	struct vmad_regs r;

	memcpy(&r, pl->p, sizeof(r));
	/* Only 64-bit tasks: compat (cs 0x23) images are not supported. */
	if (r.cs != VMAD_USER_CS || r.ss != VMAD_USER_DS)
		return FAIL(c, -EINVAL, REGS_AT(cs), "not a 64-bit user task");
	if (!vmad_user_addr(r.ip))
		return FAIL(c, -EINVAL, REGS_AT(ip), "ip outside user space");
	if (!vmad_user_addr(r.fs_base) || !vmad_user_addr(r.gs_base))
		return FAIL(c, -EINVAL, REGS_AT(fs_base),
			    "TLS base outside user space");
	if (r.flags & ~VMAD_EFLAGS_MASK)
		return FAIL(c, -EINVAL, REGS_AT(flags),
			    "reserved EFLAGS bits set");
	if (!vmad_selector_ok(r.ds) || !vmad_selector_ok(r.es) ||
	    !vmad_selector_ok(r.fs) || !vmad_selector_ok(r.gs))
		return FAIL(c, -EINVAL, REGS_AT(ds), "bad segment selector");
	return 0;
}

static int vmad_check_xstate(struct vmad_ctx *c, const struct vmad_payload *pl)
{
	const u32 hdr = VMAD_XSTATE_HDR_OFFSET;
	const u8 *p = pl->p;
	u64 off = pl->off;
	u64 xfeatures, xcomp_bv;
	u32 mxcsr;

	/* size >= VMAD_XSTATE_MIN covers the legacy area and XSAVE header. */
	memcpy(&xfeatures, p + hdr, sizeof(xfeatures));
	memcpy(&xcomp_bv, p + hdr + 8, sizeof(xcomp_bv));
	if (xcomp_bv)
		return FAIL(c, -EINVAL, off + hdr + 8,
			    "xstate in compacted format");
	if (!vmad_zero(p + hdr + 16, 48))
		return FAIL(c, -EINVAL, off + hdr + 16,
			    "xstate header reserved bytes not zero");
	memcpy(&mxcsr, p + VMAD_XSTATE_MXCSR_OFFSET, sizeof(mxcsr));
	if ((xfeatures & VMAD_XFEATURES_MXCSR) && (mxcsr & ~VMAD_MXCSR_MASK))
		return FAIL(c, -EINVAL, off + VMAD_XSTATE_MXCSR_OFFSET,
			    "reserved MXCSR bits set");
	c->img->xfeatures = xfeatures;
	c->img->xstate_size = pl->size;
	return 0;
}

#define THREAD_AT(field) (off + offsetof(struct vmad_thread, field))

static int vmad_check_rseq(struct vmad_ctx *c, const struct vmad_thread *t,
			   u64 off)
{
	if (!t->rseq) {
		if (t->rseq_len || t->rseq_sig)
			return FAIL(c, -EINVAL, THREAD_AT(rseq_len),
				    "rseq length or signature without rseq");
		return 0;
	}
	if (t->rseq_len < VMAD_RSEQ_LEN_MIN || t->rseq_len > VMAD_RSEQ_LEN_MAX)
		return FAIL(c, -EINVAL, THREAD_AT(rseq_len), "bad rseq length");
	/* struct rseq is aligned to 32 bytes. */
	if (t->rseq & 31)
		return FAIL(c, -EINVAL, THREAD_AT(rseq), "rseq misaligned");
	if (!vmad_user_range(t->rseq, t->rseq_len))
		return FAIL(c, -EINVAL, THREAD_AT(rseq),
			    "rseq outside user space");
	return 0;
}

static int vmad_check_sigaltstack(struct vmad_ctx *c,
				  const struct vmad_thread *t, u64 off)
{
	u32 mode = t->ss_flags & ~VMAD_SS_AUTODISARM;

	if (mode != 0 && mode != VMAD_SS_ONSTACK && mode != VMAD_SS_DISABLE)
		return FAIL(c, -EINVAL, THREAD_AT(ss_flags),
			    "bad sigaltstack flags");
	/* The kernel clears base and size when the stack is disabled. */
	if (mode == VMAD_SS_DISABLE && (t->ss_sp || t->ss_size))
		return FAIL(c, -EINVAL, THREAD_AT(ss_sp),
			    "disabled sigaltstack with a base or size");
	if (!vmad_user_range(t->ss_sp, t->ss_size))
		return FAIL(c, -EINVAL, THREAD_AT(ss_sp),
			    "sigaltstack outside user space");
	return 0;
}

static int vmad_check_thread(struct vmad_ctx *c, const struct vmad_payload *pl)
{
	u64 off = pl->off;
	struct vmad_thread t;
	int ret;

	memcpy(&t, pl->p, sizeof(t));
	if (t.reserved)
		return FAIL(c, -EINVAL, THREAD_AT(reserved),
			    "thread reserved field not zero");
	ret = vmad_check_rseq(c, &t, off);
	if (ret)
		return ret;
	if (!vmad_user_addr(t.robust_list))
		return FAIL(c, -EINVAL, THREAD_AT(robust_list),
			    "robust list outside user space");
	if (!vmad_user_addr(t.clear_child_tid))
		return FAIL(c, -EINVAL, THREAD_AT(clear_child_tid),
			    "clear_child_tid outside user space");
	return vmad_check_sigaltstack(c, &t, off);
}

/* Signal n is bit n - 1 of a mask. */
#define VMAD_SIG_UNBLOCKABLE \
	(1ULL << (VMAD_SIGKILL - 1) | 1ULL << (VMAD_SIGSTOP - 1))

static int vmad_check_sigaction(struct vmad_ctx *c,
				const struct vmad_sigaction *sa, u32 sig,
				u64 off)
{
	/* SIGKILL and SIGSTOP cannot have an action. */
	if (sig == VMAD_SIGKILL || sig == VMAD_SIGSTOP) {
		if (sa->handler || sa->flags || sa->restorer || sa->mask)
			return FAIL(c, -EINVAL, off,
				    "action for SIGKILL or SIGSTOP");
		return 0;
	}
	/* 0 is SIG_DFL, 1 SIG_IGN: both are below the limit too. */
	if (!vmad_user_addr(sa->handler))
		return FAIL(c, -EINVAL, off,
			    "signal handler outside user space");
	if (sa->flags & ~VMAD_SA_FLAGS)
		return FAIL(c, -EINVAL,
			    off + offsetof(struct vmad_sigaction, flags),
			    "unknown sigaction flags");
	if (!vmad_user_addr(sa->restorer))
		return FAIL(c, -EINVAL,
			    off + offsetof(struct vmad_sigaction, restorer),
			    "signal restorer outside user space");
	if (sa->mask & VMAD_SIG_UNBLOCKABLE)
		return FAIL(c, -EINVAL,
			    off + offsetof(struct vmad_sigaction, mask),
			    "sigaction mask blocks SIGKILL or SIGSTOP");
	return 0;
}

static int vmad_check_signals(struct vmad_ctx *c, const struct vmad_payload *pl)
{
	const u32 sa_size = sizeof(struct vmad_sigaction);
	const u8 *p = pl->p;
	u64 off = pl->off;
	struct vmad_sigaction sa;
	u64 blocked, reserved;
	u32 i;
	int ret;

	for (i = 0; i < VMAD_NSIG; i++) {
		memcpy(&sa, p + i * sa_size, sa_size);
		ret = vmad_check_sigaction(c, &sa, i + 1, off + i * sa_size);
		if (ret)
			return ret;
	}
	memcpy(&blocked, p + offsetof(struct vmad_signals, blocked),
	       sizeof(blocked));
	memcpy(&reserved, p + offsetof(struct vmad_signals, reserved),
	       sizeof(reserved));
	if (blocked & VMAD_SIG_UNBLOCKABLE)
		return FAIL(c, -EINVAL,
			    off + offsetof(struct vmad_signals, blocked),
			    "blocked mask has SIGKILL or SIGSTOP");
	if (reserved)
		return FAIL(c, -EINVAL,
			    off + offsetof(struct vmad_signals, reserved),
			    "signals reserved field not zero");
	return 0;
}

static bool vmad_auxv_is_addr(u64 type)
{
	switch (type) {
	case VMAD_AT_PHDR:
	case VMAD_AT_BASE:
	case VMAD_AT_ENTRY:
	case VMAD_AT_PLATFORM:
	case VMAD_AT_BASE_PLATFORM:
	case VMAD_AT_RANDOM:
	case VMAD_AT_EXECFN:
	case VMAD_AT_SYSINFO_EHDR:
		return true;
	}
	return false;
}

/* auxv: (type, value) pairs closed by exactly one (AT_NULL, 0), last. */
static int vmad_check_auxv(struct vmad_ctx *c, const u8 *p, u32 nr, u64 off)
{
	struct vmad_auxv a;
	u32 i;

	for (i = 0; i < nr; i++) {
		u64 at = off + (u64)i * sizeof(a);

		memcpy(&a, p + i * sizeof(a), sizeof(a));
		if (i == nr - 1) {
			if (a.type || a.value)
				return FAIL(c, -EINVAL, at,
					    "auxv not closed by AT_NULL");
		} else if (!a.type) {
			return FAIL(c, -EINVAL, at, "AT_NULL inside auxv");
		} else if (vmad_auxv_is_addr(a.type) &&
			   !vmad_user_addr(a.value)) {
			return FAIL(c, -EINVAL, at,
				    "auxv address outside user space");
		}
	}
	return 0;
}

#define MM_AT(field) (off + offsetof(struct vmad_mm, field))

static int vmad_check_mm(struct vmad_ctx *c, const struct vmad_payload *pl)
{
	const u8 *p = pl->p;
	u64 off = pl->off;
	struct vmad_mm m;
	u64 addr;
	u32 i;

	memcpy(&m, p, sizeof(m));
	if (m.reserved)
		return FAIL(c, -EINVAL, MM_AT(reserved),
			    "mm reserved field not zero");
	if (m.nr_auxv > VMAD_AUXV_MAX)
		return FAIL(c, -E2BIG, MM_AT(nr_auxv), "too many auxv entries");
	if (!m.nr_auxv)
		return FAIL(c, -EINVAL, MM_AT(nr_auxv), "empty auxv");
	if (pl->size != sizeof(m) + m.nr_auxv * sizeof(struct vmad_auxv))
		return FAIL(c, -EINVAL, off,
			    "mm record size does not match nr_auxv");

	/* The eleven addresses start_code .. env_end, in struct order. */
	for (i = 0; i < offsetof(struct vmad_mm, nr_auxv) / sizeof(u64); i++) {
		memcpy(&addr, p + i * sizeof(u64), sizeof(addr));
		if (!vmad_user_addr(addr))
			return FAIL(c, -EINVAL, off + i * sizeof(u64),
				    "mm address outside user space");
	}
	/* The pairs prctl(PR_SET_MM_MAP) insists on ordering. */
	if (m.start_code > m.end_code || m.start_data > m.end_data ||
	    m.start_brk > m.brk || m.arg_start > m.arg_end ||
	    m.env_start > m.env_end)
		return FAIL(c, -EINVAL, off, "mm ranges reversed");

	c->img->nr_auxv = m.nr_auxv;
	return vmad_check_auxv(c, p + sizeof(m), m.nr_auxv, off + sizeof(m));
}

#define CRED_AT(field) (off + offsetof(struct vmad_cred, field))

static int vmad_check_cred(struct vmad_ctx *c, const struct vmad_payload *pl)
{
	const u8 *p = pl->p;
	u64 off = pl->off;
	struct vmad_cred cr;
	u32 i, g, prev = 0;

	memcpy(&cr, p, sizeof(cr));
	if (cr.reserved)
		return FAIL(c, -EINVAL, CRED_AT(reserved),
			    "cred reserved field not zero");
	if (cr.ngroups > VMAD_GROUPS_MAX)
		return FAIL(c, -E2BIG, CRED_AT(ngroups), "too many groups");
	if (pl->size != sizeof(cr) + cr.ngroups * sizeof(u32))
		return FAIL(c, -EINVAL, off,
			    "cred record size does not match ngroups");
	/* The eight ids uid .. fsgid, in struct order. */
	for (i = 0; i < offsetof(struct vmad_cred, ngroups) / sizeof(u32);
	     i++) {
		memcpy(&g, p + i * sizeof(u32), sizeof(g));
		if (g == VMAD_INVALID_ID)
			return FAIL(c, -EINVAL, off + i * sizeof(u32),
				    "invalid id");
	}
	for (i = 0; i < cr.ngroups; i++) {
		memcpy(&g, p + sizeof(cr) + i * sizeof(g), sizeof(g));
		if (g == VMAD_INVALID_ID)
			return FAIL(c, -EINVAL,
				    off + sizeof(cr) + i * sizeof(g),
				    "invalid group id");
		/* The kernel keeps groups sorted (groups_sort()). */
		if (i && g < prev)
			return FAIL(c, -EINVAL,
				    off + sizeof(cr) + i * sizeof(g),
				    "groups not sorted");
		prev = g;
	}
	c->img->ngroups = cr.ngroups;
	return 0;
}

#define PROC_AT(field) (off + offsetof(struct vmad_proc, field))

/* NUL-terminated within the field, and only NULs after the terminator. */
static bool vmad_comm_ok(const char *comm)
{
	u32 i;

	for (i = 0; i < VMAD_COMM_LEN; i++)
		if (!comm[i])
			return vmad_zero((const u8 *)comm + i,
					 VMAD_COMM_LEN - i);
	return false;
}

static int vmad_check_proc(struct vmad_ctx *c, const struct vmad_payload *pl)
{
	u64 off = pl->off;
	struct vmad_proc pr;
	u32 i;

	memcpy(&pr, pl->p, sizeof(pr));
	for (i = 0; i < VMAD_RLIM_NLIMITS; i++)
		if (pr.rlim[i].cur > pr.rlim[i].max)
			return FAIL(c, -EINVAL, off + i * sizeof(pr.rlim[0]),
				    "rlimit above its maximum");
	if (!vmad_comm_ok(pr.comm))
		return FAIL(c, -EINVAL, PROC_AT(comm),
			    "comm not NUL-terminated and padded");
	if (!vmad_string_ok(c, pr.cwd))
		return FAIL(c, -EINVAL, PROC_AT(cwd), "bad cwd string index");
	if (pr.exe != VMAD_NO_STRING && !vmad_string_ok(c, pr.exe))
		return FAIL(c, -EINVAL, PROC_AT(exe), "bad exe string index");
	if (pr.umask & ~0777U)
		return FAIL(c, -EINVAL, PROC_AT(umask), "bad umask");
	if (pr.nice < -20 || pr.nice > 19)
		return FAIL(c, -EINVAL, PROC_AT(nice), "nice out of range");
	if (pr.personality & ~VMAD_PERSONALITY_FLAGS)
		return FAIL(c, -EINVAL, PROC_AT(personality),
			    "unsupported personality");
	if (pr.flags & ~(u32)VMAD_PROC_FLAGS)
		return FAIL(c, -EINVAL, PROC_AT(flags),
			    "unknown process flags");
	return 0;
}

/* ------------------------------------------------------------------ */
/* The area table                                                     */
/* ------------------------------------------------------------------ */

#define AREA_AT(field) (off + offsetof(struct vmad_area, field))

/* The file offset of a file-backed area: page-aligned, end within loff_t. */
static int vmad_check_area_offset(struct vmad_ctx *c, const struct vmad_area *a,
				  u64 off)
{
	u64 len = a->end - a->start;

	if (!vmad_page_aligned(a->offset))
		return FAIL(c, -EINVAL, AREA_AT(offset),
			    "file offset not page-aligned");
	/* len < 2^47, so the subtraction cannot wrap. */
	if (a->offset > VMAD_FILE_OFFSET_MAX - len)
		return FAIL(c, -EINVAL, AREA_AT(offset),
			    "file offset too large");
	return 0;
}

/* Everything about an area's file, when it has one. */
static int vmad_check_area_path(struct vmad_ctx *c, const struct vmad_area *a,
				u64 off)
{
	if (!vmad_string_ok(c, a->path))
		return FAIL(c, -EINVAL, AREA_AT(path), "bad area path index");
	if (!vmad_class_ok(a->dump_class))
		return FAIL(c, -EINVAL, AREA_AT(dump_class),
			    "bad area dump class");
	return vmad_check_area_offset(c, a, off);
}

static int vmad_check_data_area(struct vmad_ctx *c, const struct vmad_area *a,
				u64 off)
{
	if (a->file_size || a->file_crc)
		return FAIL(c, -EINVAL, AREA_AT(file_size),
			    "fingerprint on a data area");
	if (a->path == VMAD_NO_STRING) {
		/* Anonymous memory. */
		if (a->offset || a->dump_class)
			return FAIL(c, -EINVAL, AREA_AT(offset),
				    "file offset or class without a file");
		return 0;
	}
	if (a->flags & VMAD_AREA_F_GROWSDOWN)
		return FAIL(c, -EINVAL, AREA_AT(flags),
			    "file-backed stack area");
	return vmad_check_area_path(c, a, off);
}

static int vmad_check_file_area(struct vmad_ctx *c, const struct vmad_area *a,
				u64 off)
{
	int ret;

	if (a->path == VMAD_NO_STRING)
		return FAIL(c, -EINVAL, AREA_AT(path),
			    "file area without a path");
	ret = vmad_check_area_path(c, a, off);
	if (ret)
		return ret;
	/* Writable areas always travel as data. */
	if (a->prot & VMAD_PROT_WRITE)
		return FAIL(c, -EINVAL, AREA_AT(prot), "writable file area");
	if (a->flags & VMAD_AREA_F_GROWSDOWN)
		return FAIL(c, -EINVAL, AREA_AT(flags),
			    "file-backed stack area");
	/* Its class's flag would have sent it as data. */
	if (a->dump_class & c->img->dump_flags)
		return FAIL(c, -EINVAL, AREA_AT(dump_class),
			    "file area of a class the image sends as data");
	if (a->file_size > VMAD_FILE_OFFSET_MAX)
		return FAIL(c, -EINVAL, AREA_AT(file_size),
			    "file size too large");
	/* Nothing of the file is mapped: its CRC-32C is that of no bytes. */
	if (a->offset >= a->file_size && a->file_crc)
		return FAIL(c, -EINVAL, AREA_AT(file_crc),
			    "fingerprint of an empty range not 0");
	return 0;
}

/* [vdso] and [vvar]: placement only, at most one of each. */
static int vmad_check_special_area(struct vmad_ctx *c,
				   const struct vmad_area *a, u32 i, u64 off)
{
	u32 *slot = a->kind == VMAD_AREA_VDSO ? &c->img->vdso_area :
						&c->img->vvar_area;

	if (a->path != VMAD_NO_STRING || a->offset || a->file_size ||
	    a->file_crc || a->flags || a->dump_class)
		return FAIL(c, -EINVAL, off,
			    "vdso or vvar area with file fields");
	if (*slot != BPROC_VMAD_NO_AREA)
		return FAIL(c, -EINVAL, off, "second vdso or vvar area");
	*slot = i;
	return 0;
}

/* The fields every kind shares; @prev_end is the end of the area before. */
static int vmad_check_area_common(struct vmad_ctx *c, const struct vmad_area *a,
				  u32 i, u64 prev_end, u64 off)
{
	if (a->reserved)
		return FAIL(c, -EINVAL, AREA_AT(reserved),
			    "area reserved field not zero");
	if (!vmad_page_aligned(a->start) || !vmad_page_aligned(a->end))
		return FAIL(c, -EINVAL, AREA_AT(start),
			    "area not page-aligned");
	if (a->start >= a->end)
		return FAIL(c, -EINVAL, AREA_AT(start),
			    "empty or reversed area");
	if (a->end > VMAD_TASK_SIZE_MAX)
		return FAIL(c, -EINVAL, AREA_AT(end),
			    "area outside user space");
	if (i && a->start < prev_end)
		return FAIL(c, -EINVAL, AREA_AT(start),
			    "area overlaps or precedes the one before");
	if (a->prot & ~VMAD_PROT_ALL)
		return FAIL(c, -EINVAL, AREA_AT(prot),
			    "unknown protection bits");
	if (a->flags & ~VMAD_AREA_F_ALL)
		return FAIL(c, -EINVAL, AREA_AT(flags), "unknown area flags");
	return 0;
}

static int vmad_check_area(struct vmad_ctx *c, const struct vmad_area *a, u32 i,
			   u64 prev_end, u64 off)
{
	int ret;

	ret = vmad_check_area_common(c, a, i, prev_end, off);
	if (ret)
		return ret;
	switch (a->kind) {
	case VMAD_AREA_DATA:
		ret = vmad_check_data_area(c, a, off);
		if (!ret) {
			c->img->nr_data_areas++;
			c->img->data_pages += (a->end - a->start) >>
					      VMAD_PAGE_SHIFT;
		}
		return ret;
	case VMAD_AREA_FILE:
		return vmad_check_file_area(c, a, off);
	case VMAD_AREA_VDSO:
	case VMAD_AREA_VVAR:
		return vmad_check_special_area(c, a, i, off);
	}
	return FAIL(c, -EINVAL, AREA_AT(kind), "unknown area kind");
}

static int vmad_check_areas(struct vmad_ctx *c, const struct vmad_payload *pl)
{
	struct vmad_area a;
	u64 prev_end = 0;
	u32 i, n;
	int ret;

	/* The record's bounds keep n within 1..VMAD_AREAS_MAX. */
	if (pl->size % sizeof(a))
		return FAIL(c, -EINVAL, pl->off,
			    "area table size not a multiple of an entry");
	n = pl->size / sizeof(a);
	for (i = 0; i < n; i++) {
		u64 off = pl->off + (u64)i * sizeof(a);

		memcpy(&a, pl->p + (u64)i * sizeof(a), sizeof(a));
		ret = vmad_check_area(c, &a, i, prev_end, off);
		if (ret)
			return ret;
		if (!i)
			c->img->min_addr = a.start;
		prev_end = a.end;
	}
	c->img->nr_areas = n;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The string table                                                   */
/* ------------------------------------------------------------------ */

/*
 * One string: data bytes [start, end) of the table, end > start.  It must
 * be an absolute path of at most VMAD_PATH_MAX bytes whose only NUL is its
 * last byte.
 */
static int vmad_check_string(struct vmad_ctx *c, const u8 *data, u32 start,
			     u32 end, u64 off)
{
	u32 i;

	if (end - start > VMAD_PATH_MAX)
		return FAIL(c, -E2BIG, off + start,
			    "path longer than PATH_MAX");
	if (data[end - 1])
		return FAIL(c, -EINVAL, off + end - 1,
			    "path not NUL-terminated");
	for (i = start; i < end - 1; i++)
		if (!data[i])
			return FAIL(c, -EINVAL, off + i, "NUL inside a path");
	/* The empty string fails here too: its first byte is the NUL. */
	if (data[start] != '/')
		return FAIL(c, -EINVAL, off + start, "path not absolute");
	return 0;
}

static int vmad_check_strings(struct vmad_ctx *c, const struct vmad_payload *pl)
{
	const u8 *p = pl->p;
	u64 off = pl->off;
	struct vmad_strings s;
	const u8 *data;
	u64 data_off;
	u32 i, start, end;
	int ret;

	memcpy(&s, p, sizeof(s));
	if (s.nr_strings > VMAD_STRINGS_MAX)
		return FAIL(c, -E2BIG, off, "too many strings");
	if (s.data_size > VMAD_STRTAB_MAX)
		return FAIL(c, -E2BIG, off + 4, "string table too large");
	/* Both are bounded above, so this sum cannot wrap. */
	data_off = sizeof(s) + (u64)s.nr_strings * sizeof(u32);
	if (pl->size != data_off + s.data_size)
		return FAIL(c, -EINVAL, off,
			    "string table size does not add up");
	if (!s.nr_strings && s.data_size)
		return FAIL(c, -EINVAL, off, "string data without strings");

	data = p + data_off;
	for (i = 0; i < s.nr_strings; i++) {
		memcpy(&start, p + sizeof(s) + i * sizeof(u32), sizeof(u32));
		if (i + 1 < s.nr_strings)
			memcpy(&end, p + sizeof(s) + (i + 1) * sizeof(u32),
			       sizeof(u32));
		else
			end = s.data_size;
		/*
		 * Strings are contiguous: the first at 0, each ends where
		 * the next starts, the last at the end of the data.
		 */
		if ((!i && start) || end <= start || end > s.data_size)
			return FAIL(c, -EINVAL,
				    off + sizeof(s) + i * sizeof(u32),
				    "bad string offset");
		ret = vmad_check_string(c, data, start, end, off + data_off);
		if (ret)
			return ret;
	}
	c->img->nr_strings = s.nr_strings;
	c->img->strings = (u32)(off + data_off);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The size bounds and checks of each record type                     */
/* ------------------------------------------------------------------ */

/*
 * Payload size bounds of each record type in format version 1, and its
 * check.  VMAD_REC_END is checked by vmad_check_seal().  The bounds also
 * bound every count inside a record, before its check reads the count.
 */
#define REC_MM_MIN (VMAD_MM_SIZE + VMAD_AUXV_SIZE)
#define REC_MM_MAX (VMAD_MM_SIZE + VMAD_AUXV_MAX * VMAD_AUXV_SIZE)
#define REC_CRED_MAX (VMAD_CRED_SIZE + VMAD_GROUPS_MAX * 4)
#define REC_AREAS_MAX (VMAD_AREAS_MAX * VMAD_AREA_SIZE)
/* At least the cwd: one string of at least "/" and its NUL. */
#define REC_STRINGS_MIN (VMAD_STRINGS_SIZE + 4 + 2)
#define REC_STRINGS_MAX \
	(VMAD_STRINGS_SIZE + VMAD_STRINGS_MAX * 4 + VMAD_STRTAB_MAX)

const struct bproc_vmad_rec_type bproc_vmad_rec_types[VMAD_REC_NR + 1] = {
	[VMAD_REC_REGS] = { VMAD_REGS_SIZE, VMAD_REGS_SIZE, vmad_check_regs },
	[VMAD_REC_XSTATE] = { VMAD_XSTATE_MIN, VMAD_XSTATE_MAX,
			      vmad_check_xstate },
	[VMAD_REC_THREAD] = { VMAD_THREAD_SIZE, VMAD_THREAD_SIZE,
			      vmad_check_thread },
	[VMAD_REC_SIGNALS] = { VMAD_SIGNALS_SIZE, VMAD_SIGNALS_SIZE,
			       vmad_check_signals },
	[VMAD_REC_MM] = { REC_MM_MIN, REC_MM_MAX, vmad_check_mm },
	[VMAD_REC_CRED] = { VMAD_CRED_SIZE, REC_CRED_MAX, vmad_check_cred },
	[VMAD_REC_PROC] = { VMAD_PROC_SIZE, VMAD_PROC_SIZE, vmad_check_proc },
	[VMAD_REC_AREAS] = { VMAD_AREA_SIZE, REC_AREAS_MAX, vmad_check_areas },
	[VMAD_REC_STRINGS] = { REC_STRINGS_MIN, REC_STRINGS_MAX,
			       vmad_check_strings },
	[VMAD_REC_END] = { VMAD_SEAL_SIZE, VMAD_SEAL_SIZE, NULL },
};
