// SPDX-License-Identifier: GPL-2.0-only OR LGPL-2.1-only
/*
 * The VMADump image validator.
 *
 * The format is <linux/bproc_image.h>; Documentation/image-format.md explains
 * it and lists the rules checked here.  This file is compiled into bproc.ko
 * and into user space (common/bproc_compat.h says what it may use).
 *
 * How it stays safe on hostile input:
 *  - Input is read only with memcpy() into local structs, after a bounds
 *    check against the validated size of what holds it; never through a cast
 *    pointer (no alignment assumption, no double fetch).
 *  - Offsets and sizes are u64 and each comparison is written so it cannot
 *    wrap: "a > limit - b", with b <= limit known, instead of "a + b > limit".
 *  - Every loop runs over a count that was first checked against its
 *    VMAD_*_MAX limit and against the record's size.  Nothing allocates.
 *  - Checksums are checked before fields, so a corrupted image reads as
 *    corrupted (-EBADMSG); fields are checked one by one anyway, because a
 *    checksum proves nothing about an image made to be hostile.
 */
#include "vmad_check.h"

/*
 * The size pins, for the kernel build too (the uapi header has them for
 * user space only).
 */
static_assert(sizeof(struct vmad_header) == VMAD_HEADER_SIZE, "vmad_header");
static_assert(sizeof(struct vmad_record) == VMAD_RECORD_SIZE, "vmad_record");
static_assert(sizeof(struct vmad_regs) == VMAD_REGS_SIZE, "vmad_regs");
static_assert(sizeof(struct vmad_thread) == VMAD_THREAD_SIZE, "vmad_thread");
static_assert(sizeof(struct vmad_signals) == VMAD_SIGNALS_SIZE, "vmad_signals");
static_assert(sizeof(struct vmad_mm) == VMAD_MM_SIZE, "vmad_mm");
static_assert(sizeof(struct vmad_auxv) == VMAD_AUXV_SIZE, "vmad_auxv");
static_assert(sizeof(struct vmad_cred) == VMAD_CRED_SIZE, "vmad_cred");
static_assert(sizeof(struct vmad_proc) == VMAD_PROC_SIZE, "vmad_proc");
static_assert(sizeof(struct vmad_area) == VMAD_AREA_SIZE, "vmad_area");
static_assert(sizeof(struct vmad_strings) == VMAD_STRINGS_SIZE, "vmad_strings");
static_assert(sizeof(struct vmad_seal) == VMAD_SEAL_SIZE, "vmad_seal");
static_assert(sizeof(struct vmad_chunk) == VMAD_CHUNK_SIZE, "vmad_chunk");
static_assert(sizeof(struct vmad_end) == VMAD_END_SIZE, "vmad_end");
static_assert(VMAD_PREFIX_WORST <= VMAD_PREFIX_MAX, "VMAD_PREFIX_MAX");
/* Shifts by VMAD_PAGE_SHIFT stand for multiplications by VMAD_PAGE_SIZE. */
static_assert(VMAD_PAGE_SIZE == 1 << VMAD_PAGE_SHIFT, "VMAD_PAGE_SHIFT");

#define VMAD_ALIGN8(x) (((x) + 7) & ~(u64)7)
#define VMAD_PAGE_MASK ((u64)VMAD_PAGE_SIZE - 1)

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

struct vmad_ctx {
	struct bproc_vmad_image *img;
	const u8 *buf;
	struct bproc_vmad_err *err;
};

/* Record a failure for the caller's log line and return the errno. */
static int vmad_fail(struct bproc_vmad_err *err, int errno_, u64 offset,
		     const char *why)
{
	if (err) {
		err->why = why;
		err->offset = offset;
	}
	return errno_;
}

#define FAIL(c, errno_, off, why) vmad_fail((c)->err, (errno_), (off), (why))

u32 bproc_vmad_crc(const void *p, size_t len)
{
	return ~bproc_crc32c(~0U, p, len);
}

static bool vmad_zero(const u8 *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

static bool vmad_page_aligned(u64 x)
{
	return !(x & VMAD_PAGE_MASK);
}

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
/* The header                                                         */
/* ------------------------------------------------------------------ */

/* The smallest prefix: every record at its smallest. */
static u64 vmad_prefix_min(void);

int bproc_vmad_check_header(const void *buf, size_t len,
			    struct vmad_header *out, struct bproc_vmad_err *err)
{
	struct vmad_header h;
	u32 i;

	if (len < sizeof(h))
		return vmad_fail(err, -EINVAL, len,
				 "image truncated in its header");
	memcpy(&h, buf, sizeof(h));

	/* Magic, then checksum, then the rest: see struct vmad_header. */
	if (memcmp(h.magic, VMAD_MAGIC, VMAD_MAGIC_LEN))
		return vmad_fail(err, -ENOEXEC, 0, "not a VMADump image");
	if (bproc_vmad_crc(&h, offsetof(struct vmad_header, crc)) != h.crc)
		return vmad_fail(err, -EBADMSG,
				 offsetof(struct vmad_header, crc),
				 "header checksum mismatch");
	if (h.version == 0)
		return vmad_fail(err, -EINVAL,
				 offsetof(struct vmad_header, version),
				 "format version 0");
	if (h.version > VMAD_VERSION)
		return vmad_fail(err, -EOPNOTSUPP,
				 offsetof(struct vmad_header, version),
				 "image of a newer format version");
	if (h.arch != VMAD_ARCH_X86_64)
		return vmad_fail(err, -ENOEXEC,
				 offsetof(struct vmad_header, arch),
				 "image of another architecture");
	if (h.page_size != VMAD_PAGE_SIZE)
		return vmad_fail(err, -ENOEXEC,
				 offsetof(struct vmad_header, page_size),
				 "image of another page size");
	if (h.dump_flags & ~(u32)VMAD_DUMP_ALL)
		return vmad_fail(err, -EINVAL,
				 offsetof(struct vmad_header, dump_flags),
				 "unknown dump flags");
	for (i = 0; i < ARRAY_SIZE(h.reserved); i++)
		if (h.reserved[i])
			return vmad_fail(err, -EINVAL,
					 offsetof(struct vmad_header, reserved),
					 "header reserved field not zero");
	if (h.prefix_size > VMAD_PREFIX_MAX)
		return vmad_fail(err, -E2BIG,
				 offsetof(struct vmad_header, prefix_size),
				 "prefix larger than VMAD_PREFIX_MAX");
	if (h.prefix_size < vmad_prefix_min() || h.prefix_size & 7)
		return vmad_fail(err, -EINVAL,
				 offsetof(struct vmad_header, prefix_size),
				 "impossible prefix size");
	if (out)
		*out = h;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Records: one check function per type                               */
/* ------------------------------------------------------------------ */

/*
 * Each check gets a record's payload: @p, @size bytes (within the bounds of
 * its type, see vmad_rec_types[]), at offset @off of the image.
 */
struct vmad_payload {
	const u8 *p;
	u32 size;
	u64 off;
};

typedef int (*vmad_check_fn)(struct vmad_ctx *c, const struct vmad_payload *r);

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
/* The prefix                                                         */
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

static const struct vmad_rec_type {
	u32 min;
	u32 max;
	vmad_check_fn check;
} vmad_rec_types[VMAD_REC_NR + 1] = {
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

static u64 vmad_prefix_min(void)
{
	u64 size = VMAD_HEADER_SIZE;
	u32 type;

	for (type = 1; type <= VMAD_REC_NR; type++)
		size += VMAD_RECORD_SIZE +
			VMAD_ALIGN8(vmad_rec_types[type].min);
	return size;
}

/*
 * Frame one record at @off (8-aligned, < prefix size): its header, bounds,
 * padding and checksum.  On success the payload's place is in img->rec[] and
 * *next is where the next record starts.
 */
static int vmad_frame_record(struct vmad_ctx *c, u32 type, u64 off, u64 *next)
{
	const struct vmad_rec_type *t = &vmad_rec_types[type];
	u64 size = c->img->prefix_size;
	struct vmad_record r;
	u64 end, pad_start;
	u32 crc;

	if (size - off < sizeof(r))
		return FAIL(c, -EINVAL, off,
			    "prefix ends inside a record header");
	memcpy(&r, c->buf + off, sizeof(r));
	if (r.type != type)
		return FAIL(c, -EINVAL, off, "record missing or out of order");
	if (r.reserved)
		return FAIL(c, -EINVAL, off, "record reserved field not zero");
	if (r.size < t->min)
		return FAIL(c, -EINVAL, off, "record too short for its type");
	if (r.size > t->max)
		return FAIL(c, -E2BIG, off, "record larger than its limit");
	/* off and r.size are both below 2^32: no wrap. */
	pad_start = off + sizeof(r) + r.size;
	end = VMAD_ALIGN8(pad_start);
	if (end > size)
		return FAIL(c, -EINVAL, off, "record runs past the prefix");
	if (!vmad_zero(c->buf + pad_start, end - pad_start))
		return FAIL(c, -EINVAL, pad_start, "record padding not zero");
	crc = bproc_crc32c(~0U, &r, offsetof(struct vmad_record, crc));
	crc = ~bproc_crc32c(crc, c->buf + off + sizeof(r), r.size);
	if (crc != r.crc)
		return FAIL(c, -EBADMSG, off, "record checksum mismatch");

	c->img->rec[type].off = (u32)(off + sizeof(r));
	c->img->rec[type].size = r.size;
	*next = end;
	return 0;
}

/* The END record: it closes the prefix exactly and seals what precedes it. */
static int vmad_check_seal(struct vmad_ctx *c, u64 end)
{
	u32 off = c->img->rec[VMAD_REC_END].off;
	u32 hdr_off = off - VMAD_RECORD_SIZE;
	struct vmad_seal s;

	if (end != c->img->prefix_size)
		return FAIL(c, -EINVAL, end, "bytes after the end record");
	memcpy(&s, c->buf + off, sizeof(s));
	if (s.reserved)
		return FAIL(c, -EINVAL, off, "seal reserved field not zero");
	if (bproc_vmad_crc(c->buf, hdr_off) != s.prefix_crc)
		return FAIL(c, -EBADMSG, off, "prefix checksum mismatch");
	c->img->seal = s.prefix_crc;
	return 0;
}

/* Framing of all records, then the seal: the whole prefix is checksummed. */
static int vmad_frame_prefix(struct vmad_ctx *c)
{
	u64 off = VMAD_HEADER_SIZE;
	u32 type;
	int ret;

	for (type = 1; type <= VMAD_REC_NR; type++) {
		ret = vmad_frame_record(c, type, off, &off);
		if (ret)
			return ret;
	}
	return vmad_check_seal(c, off);
}

static int vmad_check_record(struct vmad_ctx *c, u32 type)
{
	struct vmad_payload pl = {
		.p = c->buf + c->img->rec[type].off,
		.size = c->img->rec[type].size,
		.off = c->img->rec[type].off,
	};

	return vmad_rec_types[type].check(c, &pl);
}

int bproc_vmad_check_prefix(struct bproc_vmad_image *img, const void *buf,
			    size_t len, struct bproc_vmad_err *err)
{
	struct vmad_ctx c = { .img = img, .buf = buf, .err = err };
	struct vmad_header h;
	u32 type;
	int ret;

	memset(img, 0, sizeof(*img));
	img->vdso_area = BPROC_VMAD_NO_AREA;
	img->vvar_area = BPROC_VMAD_NO_AREA;

	ret = bproc_vmad_check_header(buf, len, &h, err);
	if (ret)
		return ret;
	if (len < h.prefix_size)
		return FAIL(&c, -EINVAL, len, "image truncated in its prefix");
	img->buf = buf;
	img->prefix_size = h.prefix_size;
	img->version = h.version;
	img->dump_flags = h.dump_flags;

	ret = vmad_frame_prefix(&c);
	if (ret)
		return ret;

	/* Strings first: other records refer to them by index. */
	ret = vmad_check_record(&c, VMAD_REC_STRINGS);
	for (type = 1; !ret && type < VMAD_REC_END; type++)
		if (type != VMAD_REC_STRINGS)
			ret = vmad_check_record(&c, type);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Accessors                                                          */
/* ------------------------------------------------------------------ */

void bproc_vmad_read(const struct bproc_vmad_image *img, unsigned int type,
		     u32 off, void *out, u32 len)
{
	if (type < 1 || type > VMAD_REC_NR || off > img->rec[type].size ||
	    len > img->rec[type].size - off) {
		memset(out, 0, len);
		return;
	}
	memcpy(out, img->buf + img->rec[type].off + off, len);
}

void bproc_vmad_get_area(const struct bproc_vmad_image *img, u32 i,
			 struct vmad_area *area)
{
	if (i >= img->nr_areas) {
		memset(area, 0, sizeof(*area));
		return;
	}
	bproc_vmad_read(img, VMAD_REC_AREAS, i * sizeof(*area), area,
			sizeof(*area));
}

void bproc_vmad_get_auxv(const struct bproc_vmad_image *img, u32 i,
			 struct vmad_auxv *auxv)
{
	if (i >= img->nr_auxv) {
		memset(auxv, 0, sizeof(*auxv));
		return;
	}
	bproc_vmad_read(img, VMAD_REC_MM, VMAD_MM_SIZE + i * sizeof(*auxv),
			auxv, sizeof(*auxv));
}

u32 bproc_vmad_get_group(const struct bproc_vmad_image *img, u32 i)
{
	u32 g = 0;

	if (i < img->ngroups)
		bproc_vmad_read(img, VMAD_REC_CRED, VMAD_CRED_SIZE + i * 4, &g,
				sizeof(g));
	return g;
}

const char *bproc_vmad_get_string(const struct bproc_vmad_image *img, u32 i,
				  u32 *len)
{
	u32 start, end;

	if (i >= img->nr_strings)
		return NULL;
	bproc_vmad_read(img, VMAD_REC_STRINGS, VMAD_STRINGS_SIZE + i * 4,
			&start, sizeof(start));
	if (i + 1 < img->nr_strings)
		bproc_vmad_read(img, VMAD_REC_STRINGS,
				VMAD_STRINGS_SIZE + (i + 1) * 4, &end,
				sizeof(end));
	else
		bproc_vmad_read(img, VMAD_REC_STRINGS, 4, &end, sizeof(end));
	if (len)
		*len = end - start - 1;
	return (const char *)img->buf + img->strings + start;
}

/* ------------------------------------------------------------------ */
/* Page data                                                          */
/* ------------------------------------------------------------------ */

void bproc_vmad_stream_init(struct bproc_vmad_stream *st,
			    const struct bproc_vmad_image *img)
{
	memset(st, 0, sizeof(*st));
	st->img = img;
	st->offset = img->prefix_size;
}

/* A failed stream stays failed: there is no resynchronising it. */
static int vmad_stream_fail(struct bproc_vmad_stream *st,
			    struct bproc_vmad_err *err, int errno_, u64 offset,
			    const char *why)
{
	st->done = true;
	return vmad_fail(err, errno_, offset, why);
}

static int vmad_check_end(struct bproc_vmad_stream *st, const void *hdr,
			  struct bproc_vmad_err *err)
{
	u64 at = st->offset;
	struct vmad_end e;

	memcpy(&e, hdr, sizeof(e));
	if (e.reserved)
		return vmad_stream_fail(st, err, -EINVAL, at,
					"end trailer reserved field not zero");
	if (e.nr_chunks != st->nr_chunks || e.nr_pages != st->nr_pages)
		return vmad_stream_fail(st, err, -EINVAL, at,
					"page data counts do not match");
	st->offset += sizeof(e);
	st->done = true;
	return BPROC_VMAD_END;
}

/* Where a chunk may go: inside a DATA area, after the chunk before. */
static int vmad_check_chunk_place(struct bproc_vmad_stream *st,
				  const struct vmad_chunk *ch,
				  struct bproc_vmad_err *err)
{
	u64 at = st->offset;
	struct vmad_area a;

	if (ch->area >= st->img->nr_areas)
		return vmad_stream_fail(st, err, -EINVAL, at,
					"chunk area index out of range");
	bproc_vmad_get_area(st->img, ch->area, &a);
	if (a.kind != VMAD_AREA_DATA)
		return vmad_stream_fail(st, err, -EINVAL, at,
					"chunk for an area without page data");
	if (ch->area < st->area ||
	    (ch->area == st->area && ch->addr < st->next_addr))
		return vmad_stream_fail(st, err, -EINVAL, at,
					"chunk out of order or overlapping");
	if (!ch->nr_pages)
		return vmad_stream_fail(st, err, -EINVAL, at, "empty chunk");
	if (ch->nr_pages > VMAD_CHUNK_PAGES_MAX)
		return vmad_stream_fail(st, err, -E2BIG, at, "chunk too large");
	if (!vmad_page_aligned(ch->addr) || ch->addr < a.start ||
	    ch->addr >= a.end)
		return vmad_stream_fail(st, err, -EINVAL, at,
					"chunk address outside its area");
	/* addr < end <= 2^47: the page count of the rest cannot wrap. */
	if (ch->nr_pages > (a.end - ch->addr) >> VMAD_PAGE_SHIFT)
		return vmad_stream_fail(st, err, -EINVAL, at,
					"chunk runs past the end of its area");
	return 0;
}

int bproc_vmad_check_chunk(struct bproc_vmad_stream *st, const void *hdr,
			   struct vmad_chunk *chunk, struct bproc_vmad_err *err)
{
	u64 at = st->offset;
	struct vmad_chunk ch;
	u64 bytes;
	int ret;

	if (!st->img || st->done)
		return vmad_fail(err, -EINVAL, at,
				 "data after the end of the image");
	/*
	 * Chunk headers and the end trailer have their type first and their
	 * checksum last, over the same 28 bytes: check it before the type.
	 */
	memcpy(&ch, hdr, sizeof(ch));
	if (bproc_vmad_crc(&ch, offsetof(struct vmad_chunk, crc)) != ch.crc)
		return vmad_stream_fail(st, err, -EBADMSG, at,
					"chunk header checksum mismatch");
	if (ch.seal != st->img->seal)
		return vmad_stream_fail(st, err, -EBADMSG, at,
					"page data of another image");
	if (ch.type == VMAD_CHUNK_END)
		return vmad_check_end(st, hdr, err);
	if (ch.type != VMAD_CHUNK_PAGES)
		return vmad_stream_fail(st, err, -EINVAL, at,
					"unknown chunk type");
	ret = vmad_check_chunk_place(st, &ch, err);
	if (ret)
		return ret;

	bytes = (u64)ch.nr_pages << VMAD_PAGE_SHIFT;
	st->area = ch.area;
	st->next_addr = ch.addr + bytes;
	st->nr_chunks++;
	st->nr_pages += ch.nr_pages;
	st->data_offset = at + sizeof(ch);
	st->data_size = bytes;
	st->data_crc = ch.data_crc;
	st->offset = st->data_offset + bytes;
	*chunk = ch;
	return 0;
}

int bproc_vmad_crc_check(struct bproc_vmad_stream *st, u32 crc,
			 struct bproc_vmad_err *err)
{
	if (~crc != st->data_crc)
		return vmad_stream_fail(st, err, -EBADMSG, st->data_offset,
					"page data checksum mismatch");
	return 0;
}

int bproc_vmad_check_data(struct bproc_vmad_stream *st, const void *data,
			  size_t len, struct bproc_vmad_err *err)
{
	if (len != st->data_size)
		return vmad_stream_fail(st, err, -EINVAL, st->data_offset,
					"wrong page data length");
	return bproc_vmad_crc_check(st, bproc_crc32c(~0U, data, len), err);
}

int bproc_vmad_check_image(struct bproc_vmad_image *img, const void *buf,
			   size_t len, struct bproc_vmad_err *err)
{
	const u8 *p = buf;
	struct bproc_vmad_stream st;
	struct vmad_chunk ch;
	int ret;

	ret = bproc_vmad_check_prefix(img, buf, len, err);
	if (ret)
		return ret;
	bproc_vmad_stream_init(&st, img);
	/* Each turn consumes at least one header of the finite buffer. */
	for (;;) {
		if (len - st.offset < VMAD_CHUNK_SIZE)
			return vmad_fail(err, -EINVAL, st.offset,
					 "image truncated in its page data");
		ret = bproc_vmad_check_chunk(&st, p + st.offset, &ch, err);
		if (ret < 0)
			return ret;
		if (ret == BPROC_VMAD_END)
			break;
		/* st.offset is now past the data: is the data there? */
		if (st.offset > len)
			return vmad_fail(err, -EINVAL, st.data_offset,
					 "image truncated in its page data");
		ret = bproc_vmad_check_data(&st, p + st.data_offset,
					    st.data_size, err);
		if (ret)
			return ret;
	}
	if (st.offset != len)
		return vmad_fail(err, -EINVAL, st.offset,
				 "bytes after the end of the image");
	return 0;
}
