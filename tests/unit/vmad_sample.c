// SPDX-License-Identifier: GPL-2.0
/*
 * tests/unit/vmad_sample.c - sample VMADump images (see vmad_sample.h).
 */
#include <stdlib.h>

#include "vmad_sample.h"

#define PAGE VMAD_PAGE_SIZE
#define RLIM_INF (~0ULL)

static const struct vmad_area sample_areas[AREA_NR] = {
	[AREA_EXE_RO] = { .start = 0x400000,
			  .end = 0x401000,
			  .offset = 0,
			  .file_size = 0x3100,
			  .path = STR_EXE,
			  .file_crc = 0x1234abcd,
			  .prot = VMAD_PROT_READ,
			  .kind = VMAD_AREA_FILE,
			  .dump_class = VMAD_DUMP_EXEC },
	[AREA_EXE_TEXT] = { .start = 0x401000,
			    .end = 0x402000,
			    .offset = 0x1000,
			    .file_size = 0x3100,
			    .path = STR_EXE,
			    .file_crc = 0x5678ef01,
			    .prot = VMAD_PROT_READ | VMAD_PROT_EXEC,
			    .kind = VMAD_AREA_FILE,
			    .dump_class = VMAD_DUMP_EXEC },
	[AREA_EXE_DATA] = { .start = 0x403000,
			    .end = 0x404000,
			    .offset = 0x2000,
			    .path = STR_EXE,
			    .prot = VMAD_PROT_READ | VMAD_PROT_WRITE,
			    .kind = VMAD_AREA_DATA,
			    .dump_class = VMAD_DUMP_EXEC },
	[AREA_HEAP] = { .start = 0x405000,
			.end = 0x426000,
			.path = VMAD_NO_STRING,
			.prot = VMAD_PROT_READ | VMAD_PROT_WRITE,
			.kind = VMAD_AREA_DATA },
	[AREA_LIBC_TEXT] = { .start = 0x7ffff7d80000,
			     .end = 0x7ffff7d82000,
			     .offset = 0x28000,
			     .file_size = 0x1d8000,
			     .path = STR_LIBC,
			     .file_crc = 0xfeedf00d,
			     .prot = VMAD_PROT_READ | VMAD_PROT_EXEC,
			     .kind = VMAD_AREA_FILE,
			     .dump_class = VMAD_DUMP_LIBS },
	[AREA_VVAR] = { .start = 0x7ffff7fc1000,
			.end = 0x7ffff7fc5000,
			.path = VMAD_NO_STRING,
			.prot = VMAD_PROT_READ,
			.kind = VMAD_AREA_VVAR },
	[AREA_VDSO] = { .start = 0x7ffff7fc5000,
			.end = 0x7ffff7fc7000,
			.path = VMAD_NO_STRING,
			.prot = VMAD_PROT_READ | VMAD_PROT_EXEC,
			.kind = VMAD_AREA_VDSO },
	[AREA_STACK] = { .start = 0x7ffffffde000,
			 .end = 0x7ffffffff000,
			 .path = VMAD_NO_STRING,
			 .prot = VMAD_PROT_READ | VMAD_PROT_WRITE,
			 .flags = VMAD_AREA_F_GROWSDOWN,
			 .kind = VMAD_AREA_DATA },
};

static const struct vmad_sample_chunk sample_chunks[] = {
	{ AREA_EXE_DATA, 0x403000, 1, 0x11 },
	{ AREA_HEAP, 0x405000, 2, 0x22 },
	{ AREA_HEAP, 0x40a000, 1, 0x33 },
	{ AREA_STACK, 0x7fffffffd000, 2, 0x44 },
};

static const struct vmad_auxv sample_auxv[] = {
	{ 33, 0x7ffff7fc5000 }, /* AT_SYSINFO_EHDR */
	{ 16, 0x178bfbff }, /* AT_HWCAP */
	{ 6, PAGE }, /* AT_PAGESZ */
	{ 3, 0x400040 }, /* AT_PHDR */
	{ 4, 56 }, /* AT_PHENT */
	{ 5, 13 }, /* AT_PHNUM */
	{ 9, 0x401020 }, /* AT_ENTRY */
	{ 25, 0x7fffffffe3a9 }, /* AT_RANDOM */
	{ 31, 0x7fffffffefe0 }, /* AT_EXECFN */
	{ 0, 0 }, /* AT_NULL */
};

static void sample_regs(struct vmad_regs *r)
{
	memset(r, 0, sizeof(*r));
	r->ax = 0; /* what bproc_vmadump() returns */
	r->orig_ax = 16; /* ioctl */
	r->ip = 0x401234;
	r->sp = 0x7fffffffd8c0;
	r->bp = 0x7fffffffd900;
	r->di = 3;
	r->cs = VMAD_USER_CS;
	r->ss = VMAD_USER_DS;
	r->flags = 0x246;
	r->fs_base = 0x7ffff7d7e740;
}

static void sample_xstate(u8 *x)
{
	u16 fcw = 0x37f;
	u32 mxcsr = 0x1f80, mxcsr_mask = 0xffff;
	u64 xfeatures = 0x7;
	u32 i;

	memset(x, 0, SAMPLE_XSTATE_SIZE);
	memcpy(x, &fcw, sizeof(fcw));
	memcpy(x + VMAD_XSTATE_MXCSR_OFFSET, &mxcsr, sizeof(mxcsr));
	memcpy(x + VMAD_XSTATE_MXCSR_OFFSET + 4, &mxcsr_mask,
	       sizeof(mxcsr_mask));
	/* Some SSE and AVX register contents. */
	for (i = 160; i < 416; i++)
		x[i] = (u8)(i * 7);
	for (i = 576; i < SAMPLE_XSTATE_SIZE; i++)
		x[i] = (u8)(i * 13);
	memcpy(x + VMAD_XSTATE_HDR_OFFSET, &xfeatures, sizeof(xfeatures));
}

static void sample_signals(struct vmad_signals *s)
{
	struct vmad_sigaction *sigint = &s->action[2 - 1];
	struct vmad_sigaction *sigpipe = &s->action[13 - 1];

	memset(s, 0, sizeof(*s));
	sigint->handler = 0x401500;
	sigint->flags = 0x04000004; /* SA_RESTORER | SA_SIGINFO */
	sigint->restorer = 0x7ffff7d80100;
	sigint->mask = 1ULL << (10 - 1); /* SIGUSR1 */
	sigpipe->handler = 1; /* SIG_IGN */
	s->blocked = 1ULL << (12 - 1); /* SIGUSR2 */
}

static void sample_proc(struct vmad_proc *p)
{
	u32 i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < VMAD_RLIM_NLIMITS; i++)
		p->rlim[i].cur = p->rlim[i].max = RLIM_INF;
	p->rlim[3].cur = 8 << 20; /* RLIMIT_STACK */
	p->rlim[4].cur = p->rlim[4].max = 0; /* RLIMIT_CORE */
	p->rlim[7].cur = 1024; /* RLIMIT_NOFILE */
	p->rlim[7].max = 524288;
	memcpy(p->comm, "sample", 6);
	p->cwd = STR_CWD;
	p->exe = STR_EXE;
	p->umask = 027;
	p->nice = 5;
}

void vmad_sample_init(struct vmad_sample *s)
{
	memset(s, 0, sizeof(*s));
	s->dump_flags = 0;
	sample_regs(&s->regs);
	s->xstate_size = SAMPLE_XSTATE_SIZE;
	sample_xstate(s->xstate);

	s->thread.rseq = 0x7ffff7d7ee00;
	s->thread.rseq_len = 32;
	s->thread.rseq_sig = 0x53053053;
	s->thread.robust_list = 0x7ffff7d7ea20;
	s->thread.clear_child_tid = 0x7ffff7d7ea10;
	s->thread.ss_flags = VMAD_SS_DISABLE;

	sample_signals(&s->signals);

	s->mm.start_code = 0x401000;
	s->mm.end_code = 0x401f00;
	s->mm.start_data = 0x403000;
	s->mm.end_data = 0x403100;
	s->mm.start_brk = 0x405000;
	s->mm.brk = 0x426000;
	s->mm.start_stack = 0x7fffffffe0b0;
	s->mm.arg_start = 0x7fffffffe3b9;
	s->mm.arg_end = 0x7fffffffe3c8;
	s->mm.env_start = 0x7fffffffe3c8;
	s->mm.env_end = 0x7fffffffefe0;
	s->mm.nr_auxv = sizeof(sample_auxv) / sizeof(sample_auxv[0]);
	memcpy(s->auxv, sample_auxv, sizeof(sample_auxv));

	s->cred = (struct vmad_cred){ 1000, 1000, 1000, 1000, 1000,
				      1000, 1000, 1000, 3,    0 };
	s->groups[0] = 24;
	s->groups[1] = 100;
	s->groups[2] = 1000;

	sample_proc(&s->proc);

	s->nr_areas = AREA_NR;
	memcpy(s->areas, sample_areas, sizeof(sample_areas));
	s->nr_strings = STR_NR;
	s->strings[STR_CWD] = "/home/user";
	s->strings[STR_EXE] = "/usr/bin/sample";
	s->strings[STR_LIBC] = "/usr/lib/x86_64-linux-gnu/libc.so.6";
	s->nr_chunks = sizeof(sample_chunks) / sizeof(sample_chunks[0]);
	memcpy(s->chunks, sample_chunks, sizeof(sample_chunks));
}

/* The payload size of record @type of @s (without raw overrides). */
static size_t sample_payload(const struct vmad_sample *s, u32 type)
{
	switch (type) {
	case VMAD_REC_REGS:
		return sizeof(s->regs);
	case VMAD_REC_XSTATE:
		return s->xstate_size;
	case VMAD_REC_THREAD:
		return sizeof(s->thread);
	case VMAD_REC_SIGNALS:
		return sizeof(s->signals);
	case VMAD_REC_MM:
		return sizeof(s->mm) + s->mm.nr_auxv * sizeof(s->auxv[0]);
	case VMAD_REC_CRED:
		return sizeof(s->cred) + s->cred.ngroups * sizeof(u32);
	case VMAD_REC_PROC:
		return sizeof(s->proc);
	case VMAD_REC_AREAS:
		return s->nr_areas * sizeof(s->areas[0]);
	case VMAD_REC_STRINGS:
		return bproc_vmad_strings_size(s->strings, s->nr_strings);
	}
	return sizeof(struct vmad_seal);
}

static size_t sample_prefix_space(const struct vmad_sample *s)
{
	size_t n = VMAD_HEADER_SIZE;
	u32 type;

	for (type = 1; type <= VMAD_REC_NR; type++)
		n += bproc_vmad_record_space(s->raw[type] ?
						     s->raw_len[type] :
						     sample_payload(s, type));
	return n;
}

static size_t sample_data_space(const struct vmad_sample *s)
{
	size_t n = VMAD_END_SIZE;
	u32 i;

	for (i = 0; i < s->nr_chunks; i++)
		n += VMAD_CHUNK_SIZE + (size_t)s->chunks[i].nr_pages * PAGE;
	return n;
}

static void sample_record(const struct vmad_sample *s, u32 type,
			  struct bproc_vmad_builder *b)
{
	if (s->raw[type]) {
		bproc_vmad_build_record(b, type, s->raw[type],
					s->raw_len[type]);
		return;
	}
	switch (type) {
	case VMAD_REC_REGS:
		bproc_vmad_build_record(b, type, &s->regs, sizeof(s->regs));
		break;
	case VMAD_REC_XSTATE:
		bproc_vmad_build_record(b, type, s->xstate, s->xstate_size);
		break;
	case VMAD_REC_THREAD:
		bproc_vmad_build_record(b, type, &s->thread, sizeof(s->thread));
		break;
	case VMAD_REC_SIGNALS:
		bproc_vmad_build_record(b, type, &s->signals,
					sizeof(s->signals));
		break;
	case VMAD_REC_MM:
		bproc_vmad_build_begin(b, type);
		bproc_vmad_build_put(b, &s->mm, sizeof(s->mm));
		bproc_vmad_build_put(b, s->auxv,
				     s->mm.nr_auxv * sizeof(s->auxv[0]));
		bproc_vmad_build_end(b);
		break;
	case VMAD_REC_CRED:
		bproc_vmad_build_begin(b, type);
		bproc_vmad_build_put(b, &s->cred, sizeof(s->cred));
		bproc_vmad_build_put(b, s->groups,
				     s->cred.ngroups * sizeof(u32));
		bproc_vmad_build_end(b);
		break;
	case VMAD_REC_PROC:
		bproc_vmad_build_record(b, type, &s->proc, sizeof(s->proc));
		break;
	case VMAD_REC_AREAS:
		bproc_vmad_build_record(b, type, s->areas,
					s->nr_areas * sizeof(s->areas[0]));
		break;
	case VMAD_REC_STRINGS:
		bproc_vmad_build_strings(b, s->strings, s->nr_strings);
		break;
	}
}

static int sample_prefix(const struct vmad_sample *s, u8 *buf, size_t cap,
			 u32 *seal)
{
	struct bproc_vmad_builder b;
	u32 type;

	bproc_vmad_build_init(&b, buf, cap, s->dump_flags);
	for (type = 1; type < VMAD_REC_END; type++)
		sample_record(s, type, &b);
	if (bproc_vmad_build_finish(&b, seal))
		return b.err;
	return (int)b.pos;
}

static void sample_fill(u8 *p, size_t len, u8 fill)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = fill ^ (u8)i;
}

int vmad_sample_build(const struct vmad_sample *s, struct vmad_blob *out)
{
	size_t cap = sample_prefix_space(s) + sample_data_space(s), pos;
	struct vmad_chunk ch;
	struct vmad_end e;
	u64 pages = 0;
	int ret;
	u32 i;

	memset(out, 0, sizeof(*out));
	out->buf = malloc(cap);
	if (!out->buf)
		return -ENOMEM;
	ret = sample_prefix(s, out->buf, cap, &out->seal);
	if (ret < 0) {
		free(out->buf);
		out->buf = NULL;
		return ret;
	}
	pos = out->prefix_size = (size_t)ret;
	for (i = 0; i < s->nr_chunks; i++) {
		const struct vmad_sample_chunk *c = &s->chunks[i];
		size_t bytes = (size_t)c->nr_pages * PAGE;
		u8 *data = out->buf + pos + VMAD_CHUNK_SIZE;

		sample_fill(data, bytes, c->fill);
		bproc_vmad_build_chunk(&ch, out->seal, c->area, c->addr,
				       c->nr_pages,
				       bproc_vmad_crc(data, bytes));
		memcpy(out->buf + pos, &ch, sizeof(ch));
		out->chunk_off[i] = pos;
		pos += VMAD_CHUNK_SIZE + bytes;
		pages += c->nr_pages;
	}
	bproc_vmad_build_trailer(&e, out->seal, s->nr_chunks, pages);
	memcpy(out->buf + pos, &e, sizeof(e));
	out->end_off = pos;
	out->len = pos + sizeof(e);
	return 0;
}

size_t vmad_blob_record(const struct vmad_blob *b, u32 type)
{
	size_t off = VMAD_HEADER_SIZE;
	struct vmad_record r;

	while (off + sizeof(r) <= b->prefix_size) {
		memcpy(&r, b->buf + off, sizeof(r));
		if (r.type == type)
			return off + sizeof(r);
		off += bproc_vmad_record_space(r.size);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Re-sealing damaged images                                          */
/* ------------------------------------------------------------------ */

/* Returns where page data starts; *seal gets the seal it wrote. */
static u64 reseal_prefix(u8 *buf, size_t len, u32 *seal)
{
	struct vmad_header h;
	struct vmad_record r;
	struct vmad_seal s;
	u64 off = VMAD_HEADER_SIZE, end, psize;
	u32 crc;

	if (len < sizeof(h))
		return len;
	memcpy(&h, buf, sizeof(h));
	h.crc = bproc_vmad_crc(&h, offsetof(struct vmad_header, crc));
	memcpy(buf, &h, sizeof(h));
	psize = h.prefix_size < len ? h.prefix_size : len;

	while (psize >= sizeof(r) && off <= psize - sizeof(r)) {
		memcpy(&r, buf + off, sizeof(r));
		end = off + sizeof(r) + r.size;
		if (end > psize)
			break;
		if (r.type == VMAD_REC_END && r.size >= sizeof(s)) {
			memcpy(&s, buf + off + sizeof(r), sizeof(s));
			s.prefix_crc = bproc_vmad_crc(buf, off);
			*seal = s.prefix_crc;
			memcpy(buf + off + sizeof(r), &s, sizeof(s));
		}
		crc = bproc_crc32c(~0U, &r, offsetof(struct vmad_record, crc));
		r.crc = ~bproc_crc32c(crc, buf + off + sizeof(r), r.size);
		memcpy(buf + off, &r, sizeof(r));
		if (r.type == VMAD_REC_END)
			break;
		off = (end + 7) & ~7ULL;
	}
	return h.prefix_size;
}

void vmad_reseal(u8 *buf, size_t len)
{
	struct vmad_chunk ch;
	u32 seal = 0;
	u64 off = reseal_prefix(buf, len, &seal), bytes;

	while (off <= len && len - off >= sizeof(ch)) {
		memcpy(&ch, buf + off, sizeof(ch));
		ch.seal = seal;
		bytes = (u64)ch.nr_pages * PAGE;
		if (ch.type == VMAD_CHUNK_PAGES &&
		    bytes <= len - off - sizeof(ch))
			ch.data_crc =
				bproc_vmad_crc(buf + off + sizeof(ch), bytes);
		ch.crc = bproc_vmad_crc(&ch, offsetof(struct vmad_chunk, crc));
		memcpy(buf + off, &ch, sizeof(ch));
		if (ch.type != VMAD_CHUNK_PAGES)
			break;
		off += sizeof(ch) + bytes;
	}
}

u32 vmad_crc32c_ref(u32 crc, const void *buf, size_t len)
{
	const u8 *p = buf;
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78U & (0U - (crc & 1)));
	}
	return crc;
}
