// SPDX-License-Identifier: GPL-2.0
/*
 * tests/unit/test_vmad.c - the VMADump image format and its validator.
 *
 * A valid sample image (vmad_sample.c) is built, then damaged in every way
 * the format rules forbid; each variant must be refused with the right errno
 * and for the right reason (the validator's "why" string).  Plus: CRC-32C
 * vectors, the incremental (kernel-style) API, truncation at every byte and
 * every single-bit flip of the prefix, and the limits at and past their
 * maximum.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vmad_sample.h"

#define PAGE VMAD_PAGE_SIZE
#define KADDR 0xffff888000000000ULL /* a kernel (direct map) address */

/* ------------------------------------------------------------------ */
/* Helpers                                                            */
/* ------------------------------------------------------------------ */

static int check_blob(const struct vmad_blob *b, struct bproc_vmad_err *err)
{
	struct bproc_vmad_image img;

	memset(err, 0, sizeof(*err));
	return bproc_vmad_check_image(&img, b->buf, b->len, err);
}

/* The result must be @want, and for an error, @why must name the reason. */
static void expect(int ret, const struct bproc_vmad_err *err, int want,
		   const char *why)
{
	if (ret != want || (why && (!err->why || !strstr(err->why, why))))
		print_message("# got %d (%s at %llu), want %d (%s)\n", ret,
			      err->why ? err->why : "-",
			      (unsigned long long)err->offset, want,
			      why ? why : "-");
	assert_int_equal(ret, want);
	if (why) {
		assert_non_null(err->why);
		assert_non_null(strstr(err->why, why));
	}
}

static void build(const struct vmad_sample *s, struct vmad_blob *b)
{
	assert_int_equal(vmad_sample_build(s, b), 0);
}

static void put32(struct vmad_blob *b, size_t off, u32 v)
{
	memcpy(b->buf + off, &v, sizeof(v));
}

static void put64(struct vmad_blob *b, size_t off, u64 v)
{
	memcpy(b->buf + off, &v, sizeof(v));
}

static u32 get32(const struct vmad_blob *b, size_t off)
{
	u32 v;

	memcpy(&v, b->buf + off, sizeof(v));
	return v;
}

/* Offset of record @type's header (its payload minus the header). */
static size_t rec_hdr(const struct vmad_blob *b, u32 type)
{
	size_t off = vmad_blob_record(b, type);

	assert_true(off >= VMAD_RECORD_SIZE);
	return off - VMAD_RECORD_SIZE;
}

/* Recompute the checksum of record @type only (not the seal). */
static void fix_record_crc(struct vmad_blob *b, u32 type)
{
	size_t off = rec_hdr(b, type);
	struct vmad_record r;
	u32 crc;

	memcpy(&r, b->buf + off, sizeof(r));
	crc = bproc_crc32c(~0U, &r, offsetof(struct vmad_record, crc));
	r.crc = ~bproc_crc32c(crc, b->buf + off + sizeof(r), r.size);
	memcpy(b->buf + off, &r, sizeof(r));
}

/* ------------------------------------------------------------------ */
/* CRC-32C                                                            */
/* ------------------------------------------------------------------ */

static void test_crc32c_vectors(void **state)
{
	/* RFC 3720, B.4 (iSCSI) */
	static const u8 read_pdu[48] = {
		0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00,
		0x00, 0x18, 0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	u8 buf[32];
	int i;

	(void)state;
	assert_int_equal(bproc_vmad_crc("123456789", 9), 0xe3069283);
	assert_int_equal(bproc_vmad_crc("", 0), 0);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(bproc_vmad_crc(buf, 32), 0x8a9136aa);
	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(bproc_vmad_crc(buf, 32), 0x62a8ab43);
	for (i = 0; i < 32; i++)
		buf[i] = (u8)i;
	assert_int_equal(bproc_vmad_crc(buf, 32), 0x46dd794e);
	for (i = 0; i < 32; i++)
		buf[i] = (u8)(31 - i);
	assert_int_equal(bproc_vmad_crc(buf, 32), 0x113fdb5c);
	assert_int_equal(bproc_vmad_crc(read_pdu, 48), 0xd9963a56);
}

/* Slice-by-8 against bit-at-a-time: lengths, alignments, continuation. */
static void test_crc32c_reference(void **state)
{
	static u8 buf[4096 + 16];
	u32 seed = 12345, a, b;
	size_t i, len, off, cut;

	(void)state;
	for (i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245 + 12345;
		buf[i] = (u8)(seed >> 16);
	}
	for (len = 0; len <= 300; len++)
		for (off = 0; off < 8; off++)
			assert_int_equal(bproc_crc32c(~0U, buf + off, len),
					 vmad_crc32c_ref(~0U, buf + off, len));
	assert_int_equal(bproc_crc32c(0, buf, 4096),
			 vmad_crc32c_ref(0, buf, 4096));
	for (cut = 0; cut <= 64; cut++) {
		a = bproc_crc32c(bproc_crc32c(~0U, buf, cut), buf + cut,
				 64 - cut);
		b = bproc_crc32c(~0U, buf, 64);
		assert_int_equal(a, b);
	}
}

/* ------------------------------------------------------------------ */
/* Valid images                                                       */
/* ------------------------------------------------------------------ */

static void a_built_sample_image_checks_valid_field_by_field(void **state)
{
	struct bproc_vmad_image img;
	struct bproc_vmad_err err = { 0 };
	struct vmad_sample s;
	struct vmad_blob b;

	(void)state;
	vmad_sample_init(&s);
	build(&s, &b);
	expect(bproc_vmad_check_image(&img, b.buf, b.len, &err), &err, 0, NULL);
	assert_null(err.why);
	assert_int_equal(img.prefix_size, b.prefix_size);
	assert_int_equal(img.version, VMAD_VERSION);
	assert_int_equal(img.seal, b.seal);
	assert_int_equal(img.nr_areas, AREA_NR);
	assert_int_equal(img.nr_strings, STR_NR);
	assert_int_equal(img.nr_auxv, 10);
	assert_int_equal(img.ngroups, 3);
	assert_int_equal(img.xstate_size, SAMPLE_XSTATE_SIZE);
	assert_int_equal(img.xfeatures, 7);
	assert_int_equal(img.vdso_area, AREA_VDSO);
	assert_int_equal(img.vvar_area, AREA_VVAR);
	assert_int_equal(img.nr_data_areas, 3);
	assert_int_equal(img.data_pages, 1 + 0x21 + 0x21);
	assert_int_equal(img.min_addr, 0x400000);
	/* The prefix alone (exactly its bytes) is valid too. */
	expect(bproc_vmad_check_prefix(&img, b.buf, b.prefix_size, &err), &err,
	       0, NULL);
	free(b.buf);
}

static void accessors_return_what_was_built_and_zeros_for_bad_indices(void **state)
{
	struct bproc_vmad_image img;
	struct vmad_sample s;
	struct vmad_regs regs;
	struct vmad_area a;
	struct vmad_auxv aux;
	struct vmad_blob b;
	const char *str;
	u32 len;

	(void)state;
	vmad_sample_init(&s);
	build(&s, &b);
	assert_int_equal(bproc_vmad_check_prefix(&img, b.buf, b.len, NULL), 0);

	bproc_vmad_read(&img, VMAD_REC_REGS, 0, &regs, sizeof(regs));
	assert_memory_equal(&regs, &s.regs, sizeof(regs));
	bproc_vmad_get_area(&img, AREA_STACK, &a);
	assert_memory_equal(&a, &s.areas[AREA_STACK], sizeof(a));
	bproc_vmad_get_auxv(&img, 3, &aux);
	assert_int_equal(aux.type, 3);
	assert_int_equal(aux.value, 0x400040);
	assert_int_equal(bproc_vmad_get_group(&img, 2), 1000);
	str = bproc_vmad_get_string(&img, STR_LIBC, &len);
	assert_string_equal(str, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	assert_int_equal(len, strlen(str));
	str = bproc_vmad_get_string(&img, STR_CWD, &len);
	assert_string_equal(str, "/home/user");

	/* Bad indices: zeros or NULL, never a read out of bounds. */
	bproc_vmad_get_area(&img, AREA_NR, &a);
	assert_int_equal(a.start | a.end | a.kind, 0);
	bproc_vmad_get_auxv(&img, 10, &aux);
	assert_int_equal(aux.type | aux.value, 0);
	assert_int_equal(bproc_vmad_get_group(&img, 3), 0);
	assert_null(bproc_vmad_get_string(&img, STR_NR, NULL));
	assert_null(bproc_vmad_get_string(&img, VMAD_NO_STRING, NULL));
	bproc_vmad_read(&img, VMAD_REC_REGS, 8, &regs, sizeof(regs));
	bproc_vmad_read(&img, VMAD_REC_NR + 1, 0, &regs, 8);
	free(b.buf);
}

/* The kernel's way: header, prefix, then chunk by chunk, page by page. */
static void test_stream_api(void **state)
{
	struct bproc_vmad_err err = { 0 };
	struct bproc_vmad_image img;
	struct bproc_vmad_stream st;
	struct vmad_header hdr;
	struct vmad_chunk ch;
	struct vmad_sample s;
	struct vmad_blob b;
	size_t off;
	u32 crc, p, chunks = 0;
	int ret;

	(void)state;
	vmad_sample_init(&s);
	build(&s, &b);
	assert_int_equal(bproc_vmad_check_header(b.buf, VMAD_HEADER_SIZE, &hdr,
						 &err),
			 0);
	assert_int_equal(hdr.prefix_size, b.prefix_size);
	assert_int_equal(
		bproc_vmad_check_prefix(&img, b.buf, hdr.prefix_size, &err), 0);
	bproc_vmad_stream_init(&st, &img);
	off = hdr.prefix_size;
	for (;;) {
		ret = bproc_vmad_check_chunk(&st, b.buf + off, &ch, &err);
		off += VMAD_CHUNK_SIZE;
		if (ret == BPROC_VMAD_END)
			break;
		assert_int_equal(ret, 0);
		assert_int_equal(ch.area, s.chunks[chunks].area);
		assert_int_equal(ch.addr, s.chunks[chunks].addr);
		assert_int_equal(st.data_offset, off);
		crc = bproc_vmad_crc_begin();
		for (p = 0; p < ch.nr_pages; p++, off += PAGE)
			crc = bproc_vmad_crc_add(crc, b.buf + off, PAGE);
		assert_int_equal(bproc_vmad_crc_check(&st, crc, &err), 0);
		chunks++;
	}
	assert_int_equal(chunks, s.nr_chunks);
	assert_int_equal(off, b.len);
	assert_int_equal(st.offset, b.len);
	/* Nothing may follow the end. */
	ret = bproc_vmad_check_chunk(&st, b.buf + b.end_off, &ch, &err);
	expect(ret, &err, -EINVAL, "after the end");
	free(b.buf);
}

/* A corrupted page seen page by page is a checksum error, and final. */
static void test_stream_bad_page(void **state)
{
	struct bproc_vmad_err err = { 0 };
	struct bproc_vmad_image img;
	struct bproc_vmad_stream st;
	struct vmad_chunk ch;
	struct vmad_sample s;
	struct vmad_blob b;
	size_t off;

	(void)state;
	vmad_sample_init(&s);
	build(&s, &b);
	assert_int_equal(bproc_vmad_check_prefix(&img, b.buf, b.len, &err), 0);
	bproc_vmad_stream_init(&st, &img);
	off = b.chunk_off[0];
	assert_int_equal(bproc_vmad_check_chunk(&st, b.buf + off, &ch, &err),
			 0);
	b.buf[off + VMAD_CHUNK_SIZE + 100] ^= 4;
	expect(bproc_vmad_check_data(&st, b.buf + off + VMAD_CHUNK_SIZE, PAGE,
				     &err),
	       &err, -EBADMSG, "page data checksum");
	assert_int_equal(err.offset, off + VMAD_CHUNK_SIZE);
	expect(bproc_vmad_check_chunk(&st, b.buf + b.chunk_off[1], &ch, &err),
	       &err, -EINVAL, "after the end");
	free(b.buf);
}

/* Page data of the wrong length is refused, and ends the stream. */
static void test_stream_data_length(void **state)
{
	struct bproc_vmad_err err = { 0 };
	struct bproc_vmad_image img;
	struct bproc_vmad_stream st;
	struct vmad_chunk ch;
	struct vmad_sample s;
	struct vmad_blob b;
	size_t off;

	(void)state;
	vmad_sample_init(&s);
	build(&s, &b);
	assert_int_equal(bproc_vmad_check_prefix(&img, b.buf, b.len, &err), 0);
	bproc_vmad_stream_init(&st, &img);
	off = b.chunk_off[0];
	assert_int_equal(bproc_vmad_check_chunk(&st, b.buf + off, &ch, &err),
			 0);
	expect(bproc_vmad_check_data(&st, b.buf + off + VMAD_CHUNK_SIZE,
				     PAGE - 1, &err),
	       &err, -EINVAL, "wrong page data length");
	assert_true(st.done);
	free(b.buf);
}

static void test_no_page_data(void **state)
{
	struct bproc_vmad_err err;
	struct vmad_sample s;
	struct vmad_blob b;

	(void)state;
	vmad_sample_init(&s);
	s.nr_chunks = 0;
	build(&s, &b);
	assert_int_equal(b.len, b.prefix_size + VMAD_END_SIZE);
	expect(check_blob(&b, &err), &err, 0, NULL);
	free(b.buf);
}

static void test_builder_errors(void **state)
{
	struct bproc_vmad_builder b;
	u8 buf[256];
	u64 x = 0;

	(void)state;
	bproc_vmad_build_init(&b, buf, sizeof(buf), 0);
	bproc_vmad_build_record(&b, VMAD_REC_REGS, buf, 216);
	assert_int_equal(bproc_vmad_build_finish(&b, NULL), -ENOSPC);

	bproc_vmad_build_init(&b, buf, sizeof(buf), 0);
	bproc_vmad_build_put(&b, &x, sizeof(x)); /* no record open */
	assert_int_equal(bproc_vmad_build_finish(&b, NULL), -EINVAL);

	bproc_vmad_build_init(&b, buf, 10, 0); /* not even a header */
	assert_int_equal(bproc_vmad_build_finish(&b, NULL), -ENOSPC);
}

/* ------------------------------------------------------------------ */
/* Truncation and bit flips                                           */
/* ------------------------------------------------------------------ */

static void test_truncate_everywhere(void **state)
{
	struct bproc_vmad_err err;
	struct bproc_vmad_image img;
	struct vmad_sample s;
	struct vmad_blob b;
	size_t len;

	(void)state;
	vmad_sample_init(&s);
	build(&s, &b);
	for (len = 0; len < b.prefix_size; len++) {
		memset(&err, 0, sizeof(err));
		expect(bproc_vmad_check_prefix(&img, b.buf, len, &err), &err,
		       -EINVAL, "truncated");
	}
	for (len = 0; len < b.len; len++) {
		memset(&err, 0, sizeof(err));
		expect(bproc_vmad_check_image(&img, b.buf, len, &err), &err,
		       -EINVAL, "truncated");
	}
	free(b.buf);
}

static bool known_errno(int ret)
{
	return ret == -EINVAL || ret == -ENOEXEC || ret == -EOPNOTSUPP ||
	       ret == -E2BIG || ret == -EBADMSG;
}

/* Every single-bit flip of the prefix is refused: checksum or field. */
static void test_bitflip_prefix(void **state)
{
	struct bproc_vmad_err err;
	struct bproc_vmad_image img;
	struct vmad_sample s;
	struct vmad_blob b;
	size_t bit, by_crc = 0;
	int ret;

	(void)state;
	vmad_sample_init(&s);
	build(&s, &b);
	for (bit = 0; bit < b.prefix_size * 8; bit++) {
		b.buf[bit / 8] ^= 1 << (bit % 8);
		ret = bproc_vmad_check_image(&img, b.buf, b.len, &err);
		b.buf[bit / 8] ^= 1 << (bit % 8);
		if (ret == 0 || !known_errno(ret))
			print_message("# bit %zu: %d\n", bit, ret);
		assert_true(ret < 0 && known_errno(ret));
		/* The magic is checked before any checksum. */
		if (bit < VMAD_MAGIC_LEN * 8)
			assert_int_equal(ret, -ENOEXEC);
		by_crc += ret == -EBADMSG;
	}
	print_message("# %zu bit flips, %zu caught by a checksum\n",
		      b.prefix_size * 8, by_crc);
	free(b.buf);
}

/* Chunk headers and the end trailer entirely; page data sampled. */
static void test_bitflip_page_data(void **state)
{
	struct bproc_vmad_err err;
	struct bproc_vmad_image img;
	struct vmad_sample s;
	struct vmad_blob b;
	size_t bit, byte;
	int ret;

	(void)state;
	vmad_sample_init(&s);
	build(&s, &b);
	for (bit = b.prefix_size * 8; bit < b.len * 8; bit++) {
		byte = bit / 8;
		/* Inside page data, try one bit in 61. */
		if (bit % 61 && byte >= b.chunk_off[0]) {
			size_t i;
			bool hdr = byte >= b.end_off;

			for (i = 0; i < s.nr_chunks; i++)
				hdr |= byte - b.chunk_off[i] < VMAD_CHUNK_SIZE;
			if (!hdr)
				continue;
		}
		b.buf[byte] ^= 1 << (bit % 8);
		ret = bproc_vmad_check_image(&img, b.buf, b.len, &err);
		b.buf[byte] ^= 1 << (bit % 8);
		if (ret != -EBADMSG)
			print_message("# bit %zu: %d (%s)\n", bit, ret,
				      err.why);
		assert_int_equal(ret, -EBADMSG);
	}
	free(b.buf);
}

/* ------------------------------------------------------------------ */
/* Every rule, one variant each                                       */
/* ------------------------------------------------------------------ */

/*
 * A case changes the sample before it is built (mutate) and/or the built
 * bytes (patch, then optionally re-seal every checksum), then expects
 * bproc_vmad_check_image() to return @err for a reason containing @why.
 */
struct vcase {
	const char *name;
	void (*mutate)(struct vmad_sample *s);
	void (*patch)(struct vmad_blob *b);
	bool reseal;
	int err;
	const char *why;
};

/* The cases read best one per line: */
/* clang-format off */
#define MUT(name, ...)							\
	static void mut_##name(struct vmad_sample *s) { __VA_ARGS__; }
#define PATCH(name, ...)						\
	static void patch_##name(struct vmad_blob *b) { __VA_ARGS__; }

/* Header */
#define HDR(field) offsetof(struct vmad_header, field)
PATCH(magic, b->buf[1] = 'W')
PATCH(hdr_crc, put32(b, HDR(crc), get32(b, HDR(crc)) ^ 1))
PATCH(version0, put32(b, HDR(version), 0))
PATCH(version2, put32(b, HDR(version), VMAD_VERSION + 1))
PATCH(arch, put32(b, HDR(arch), 3))
PATCH(page_size, put32(b, HDR(page_size), 65536))
PATCH(dump_flags, put32(b, HDR(dump_flags), 8))
PATCH(hdr_reserved, put32(b, HDR(reserved) + 8, 1))
PATCH(prefix_huge, put64(b, HDR(prefix_size), VMAD_PREFIX_MAX + 8))
PATCH(prefix_wrap, put64(b, HDR(prefix_size), ~7ULL))
PATCH(prefix_odd, put64(b, HDR(prefix_size), b->prefix_size + 4))
PATCH(prefix_tiny, put64(b, HDR(prefix_size), VMAD_HEADER_SIZE))
PATCH(prefix_long, put64(b, HDR(prefix_size), b->prefix_size + 8))
PATCH(prefix_short, put64(b, HDR(prefix_size), b->prefix_size - 8))
PATCH(prefix_past_buf, put64(b, HDR(prefix_size), b->len + 8))

/* Framing */
#define REC(field) offsetof(struct vmad_record, field)
PATCH(rec_type, put32(b, rec_hdr(b, VMAD_REC_THREAD) + REC(type), VMAD_REC_MM))
PATCH(rec_type_unknown, put32(b, rec_hdr(b, VMAD_REC_END) + REC(type), 99))
PATCH(rec_reserved, put32(b, rec_hdr(b, VMAD_REC_PROC) + REC(reserved), 1))
PATCH(rec_short, put32(b, rec_hdr(b, VMAD_REC_REGS) + REC(size), 208))
PATCH(rec_big, put32(b, rec_hdr(b, VMAD_REC_REGS) + REC(size), 224))
PATCH(rec_size_huge, put32(b, rec_hdr(b, VMAD_REC_AREAS) + REC(size), ~0U))
PATCH(rec_overrun, put32(b, rec_hdr(b, VMAD_REC_STRINGS) + REC(size),
			 (u32)b->prefix_size))
/*
 * The sample's strings payload: 8 header bytes, 3 offsets, 11 + 16 + 36 = 63
 * bytes of paths: 83 bytes, then 5 bytes of padding.
 */
PATCH(rec_padding, b->buf[vmad_blob_record(b, VMAD_REC_STRINGS) + 83] = 1)
PATCH(rec_crc, b->buf[vmad_blob_record(b, VMAD_REC_PROC) + 3] ^= 0x10)
PATCH(seal, b->buf[vmad_blob_record(b, VMAD_REC_PROC) + 3] ^= 0x10;
	    fix_record_crc(b, VMAD_REC_PROC))
PATCH(seal_reserved, put32(b, vmad_blob_record(b, VMAD_REC_END) + 4, 1))

/* Registers */
MUT(regs_compat, s->regs.cs = 0x23)
MUT(regs_ss, s->regs.ss = 0x2b + 8)
MUT(regs_ip_kernel, s->regs.ip = KADDR)
MUT(regs_ip_limit, s->regs.ip = VMAD_TASK_SIZE_MAX)
MUT(regs_ip_top, s->regs.ip = VMAD_TASK_SIZE_MAX - 1)
MUT(regs_fs_base, s->regs.fs_base = VMAD_TASK_SIZE_MAX)
MUT(regs_gs_base, s->regs.gs_base = ~0ULL)
MUT(regs_flags, s->regs.flags = 0x246 | 1ULL << 22)
MUT(regs_flags_iopl, s->regs.flags = 0x246 | 3ULL << 12)
MUT(regs_flags_vm86, s->regs.flags = 0x246 | 1ULL << 17)
MUT(regs_ds_rpl0, s->regs.ds = 0x28)
MUT(regs_gs_wide, s->regs.gs = 0x10063)
MUT(regs_fs_tls, s->regs.fs = 0x63; s->regs.ds = 0x2b)

/* FPU/xstate */
#define XSTATE_SET64(off, v)						\
	do {								\
		u64 v_ = (v);						\
		memcpy(s->xstate + (off), &v_, 8);			\
	} while (0)
MUT(xstate_compacted, XSTATE_SET64(520, 1ULL << 63 | 7))
MUT(xstate_reserved, s->xstate[560] = 1)
MUT(xstate_mxcsr, s->xstate[VMAD_XSTATE_MXCSR_OFFSET + 2] = 1)
MUT(xstate_mxcsr_unused, s->xstate[VMAD_XSTATE_MXCSR_OFFSET + 2] = 1;
			 XSTATE_SET64(512, 1ULL << 9))
MUT(xstate_small, s->xstate_size = VMAD_XSTATE_MIN - 1)
MUT(xstate_min, s->xstate_size = VMAD_XSTATE_MIN)
MUT(xstate_max, s->xstate_size = VMAD_XSTATE_MAX)
MUT(xstate_big, s->xstate_size = VMAD_XSTATE_MAX + 1)

/* Thread */
MUT(rseq_misaligned, s->thread.rseq += 16)
MUT(rseq_short, s->thread.rseq_len = 31)
MUT(rseq_long, s->thread.rseq_len = VMAD_RSEQ_LEN_MAX + 1)
MUT(rseq_end, s->thread.rseq = VMAD_TASK_SIZE_MAX - 32; s->thread.rseq_len = 64)
MUT(rseq_kernel, s->thread.rseq = KADDR)
MUT(rseq_none_len, s->thread.rseq = 0)
MUT(rseq_none, s->thread.rseq = 0; s->thread.rseq_len = 0;
	       s->thread.rseq_sig = 0)
MUT(robust_kernel, s->thread.robust_list = KADDR)
MUT(cleartid_kernel, s->thread.clear_child_tid = VMAD_TASK_SIZE_MAX)
MUT(ss_mode, s->thread.ss_flags = 4)
MUT(ss_both, s->thread.ss_flags = VMAD_SS_DISABLE | VMAD_SS_ONSTACK)
MUT(ss_disabled_sp, s->thread.ss_sp = 0x7ffff0000000)
MUT(ss_enabled, s->thread.ss_flags = VMAD_SS_AUTODISARM;
		s->thread.ss_sp = 0x7ffff0000000; s->thread.ss_size = 65536)
MUT(ss_wrap, s->thread.ss_flags = 0; s->thread.ss_sp = 0x7ffff0000000;
	     s->thread.ss_size = ~0ULL - 10)
MUT(thread_reserved, s->thread.reserved = 1)

/* Signals */
MUT(sig_handler_kernel, s->signals.action[1].handler = KADDR)
/* SA_UNSUPPORTED, then the kernel-internal SA_IMMUTABLE */
MUT(sig_flags_unknown, s->signals.action[1].flags |= 0x400)
MUT(sig_flags_immutable, s->signals.action[1].flags |= 0x00800000)
MUT(sig_flags_all, for (int i = 0; i < 64; i++)
	if (i != 8 && i != 18) s->signals.action[i].flags = VMAD_SA_FLAGS)
MUT(sig_restorer_kernel, s->signals.action[1].restorer = KADDR)
MUT(sig_mask_kill, s->signals.action[1].mask |= 1ULL << 8)
MUT(sig_kill_action, s->signals.action[8].handler = 0x401500)
MUT(sig_stop_flags, s->signals.action[18].flags = 4)
MUT(sig_blocked_stop, s->signals.blocked |= 1ULL << 18)
MUT(sig_blocked_all, s->signals.blocked = ~(1ULL << 8 | 1ULL << 18))
MUT(sig_reserved, s->signals.reserved = 1)

/* Memory layout and auxv */
MUT(mm_code_reversed, s->mm.end_code = s->mm.start_code - 1)
MUT(mm_brk_reversed, s->mm.brk = s->mm.start_brk - PAGE)
MUT(mm_env_reversed, s->mm.env_end = s->mm.env_start - 1)
MUT(mm_kernel, s->mm.start_stack = KADDR)
MUT(mm_limit, s->mm.env_end = VMAD_TASK_SIZE_MAX)
MUT(mm_reserved, s->mm.reserved = 1)
MUT(auxv_none, s->mm.nr_auxv = 0)
MUT(auxv_max, for (u32 i = 0; i < VMAD_AUXV_MAX - 1; i++)
	s->auxv[i] = (struct vmad_auxv){ 6, PAGE };
	s->auxv[VMAD_AUXV_MAX - 1] = (struct vmad_auxv){ 0, 0 };
	s->mm.nr_auxv = VMAD_AUXV_MAX)
MUT(auxv_unterminated, s->mm.nr_auxv = 9)
MUT(auxv_null_inside, s->auxv[4].type = 0)
MUT(auxv_null_value, s->auxv[9].value = 1)
MUT(auxv_entry_kernel, s->auxv[6].value = KADDR)
MUT(auxv_vdso_kernel, s->auxv[0].value = VMAD_TASK_SIZE_MAX)
PATCH(auxv_count, put32(b, vmad_blob_record(b, VMAD_REC_MM) +
			   offsetof(struct vmad_mm, nr_auxv), 9))
PATCH(auxv_many, put32(b, vmad_blob_record(b, VMAD_REC_MM) +
			  offsetof(struct vmad_mm, nr_auxv), VMAD_AUXV_MAX + 1))

/* Credentials */
MUT(cred_uid, s->cred.euid = VMAD_INVALID_ID)
MUT(cred_gid, s->cred.fsgid = VMAD_INVALID_ID)
MUT(cred_group_invalid, s->groups[2] = VMAD_INVALID_ID)
MUT(cred_unsorted, s->groups[0] = 2000)
MUT(cred_dup_groups, s->groups[1] = 24)
MUT(cred_no_groups, s->cred.ngroups = 0)
MUT(cred_reserved, s->cred.reserved = 1)
PATCH(cred_ngroups_huge, put32(b, vmad_blob_record(b, VMAD_REC_CRED) +
				  offsetof(struct vmad_cred, ngroups),
			  VMAD_GROUPS_MAX + 1))
PATCH(cred_ngroups_wrong, put32(b, vmad_blob_record(b, VMAD_REC_CRED) +
				   offsetof(struct vmad_cred, ngroups), 2))

/* Process context */
MUT(rlim_cur_above, s->proc.rlim[7].cur = s->proc.rlim[7].max + 1)
MUT(comm_full, memset(s->proc.comm, 'x', VMAD_COMM_LEN))
MUT(comm_garbage, s->proc.comm[10] = 'x')
MUT(comm_15, memset(s->proc.comm, 'x', VMAD_COMM_LEN - 1))
MUT(comm_empty, memset(s->proc.comm, 0, VMAD_COMM_LEN))
MUT(cwd_none, s->proc.cwd = VMAD_NO_STRING)
MUT(cwd_range, s->proc.cwd = STR_NR)
MUT(exe_none, s->proc.exe = VMAD_NO_STRING)
MUT(exe_range, s->proc.exe = 1000)
MUT(umask_bad, s->proc.umask = 01000)
MUT(nice_high, s->proc.nice = 20)
MUT(nice_low, s->proc.nice = -21)
MUT(nice_min, s->proc.nice = -20)
MUT(pers_linux32, s->proc.personality = 0x0008)
MUT(pers_norandom, s->proc.personality = 0x0040000)
MUT(pers_unknown, s->proc.personality = 0x10000000)
MUT(proc_flags, s->proc.flags = 2)
MUT(proc_nnp, s->proc.flags = VMAD_PROC_NO_NEW_PRIVS)

/* Areas: placement */
#define A(i) s->areas[AREA_##i]
MUT(area_start_unaligned, A(HEAP).start += 8)
MUT(area_end_unaligned, A(HEAP).end -= 1)
MUT(area_empty, A(HEAP).end = A(HEAP).start)
MUT(area_reversed, A(HEAP).end = A(HEAP).start - PAGE)
MUT(area_kernel, A(STACK).start = 0xffff800000000000ULL;
		 A(STACK).end = 0xffff800000010000ULL)
MUT(area_vsyscall, A(STACK).end = 0xffffffffff601000ULL)
MUT(area_past_limit, A(STACK).end = VMAD_TASK_SIZE_MAX + PAGE)
MUT(area_overlap, A(HEAP).start = A(EXE_DATA).end - PAGE)
MUT(area_unsorted, struct vmad_area t = A(VVAR); A(VVAR) = A(VDSO); A(VDSO) = t)
MUT(area_adjacent, A(HEAP).start = A(EXE_DATA).end;
		   s->chunks[1].addr = A(HEAP).start)
MUT(area_prot, A(HEAP).prot = 8)
MUT(area_flags, A(HEAP).flags = 4)
MUT(area_kind0, A(HEAP).kind = 0)
MUT(area_kind5, A(HEAP).kind = 5)
MUT(area_reserved, A(HEAP).reserved = 1)
MUT(area_none_prot, A(HEAP).prot = 0)
MUT(area_shared, A(HEAP).flags = VMAD_AREA_F_SHARED)
MUT(areas_partial, s->raw[VMAD_REC_AREAS] = s->areas;
		   s->raw_len[VMAD_REC_AREAS] = AREA_NR * VMAD_AREA_SIZE - 8)

/* Areas: file references */
MUT(file_writable, A(LIBC_TEXT).prot |= VMAD_PROT_WRITE)
MUT(file_no_path, A(LIBC_TEXT).path = VMAD_NO_STRING)
MUT(file_path_range, A(LIBC_TEXT).path = STR_NR)
MUT(file_class0, A(LIBC_TEXT).dump_class = 0)
MUT(file_class3, A(LIBC_TEXT).dump_class = 3)
MUT(file_class_sent, s->dump_flags = VMAD_DUMP_LIBS)
MUT(file_other_class, s->dump_flags = VMAD_DUMP_OTHER)
MUT(file_growsdown, A(LIBC_TEXT).flags = VMAD_AREA_F_GROWSDOWN)
MUT(file_shared, A(LIBC_TEXT).flags = VMAD_AREA_F_SHARED)
MUT(file_offset_unaligned, A(LIBC_TEXT).offset += 512)
/* The libc area is 2 pages: offset + length must stay <= 2^63 - 1. */
#define OFF_TOP (VMAD_FILE_OFFSET_MAX + 1)
MUT(file_offset_huge, A(LIBC_TEXT).offset = OFF_TOP - 2 * PAGE)
MUT(file_offset_max, A(LIBC_TEXT).offset = OFF_TOP - 3 * PAGE;
		     A(LIBC_TEXT).file_crc = 0)
MUT(file_size_huge, A(LIBC_TEXT).file_size = VMAD_FILE_OFFSET_MAX + 1)
MUT(file_past_eof_crc, A(LIBC_TEXT).offset = A(LIBC_TEXT).file_size)
MUT(file_past_eof, A(LIBC_TEXT).offset = 0x200000; A(LIBC_TEXT).file_crc = 0)

/* Areas: data, vdso, vvar */
MUT(data_file_size, A(HEAP).file_size = 4096)
MUT(data_file_crc, A(HEAP).file_crc = 1)
MUT(data_anon_offset, A(HEAP).offset = PAGE)
MUT(data_anon_class, A(HEAP).dump_class = VMAD_DUMP_OTHER)
MUT(data_path_class0, A(EXE_DATA).dump_class = 0)
MUT(data_path_range, A(EXE_DATA).path = 7)
MUT(data_path_growsdown, A(EXE_DATA).flags = VMAD_AREA_F_GROWSDOWN)
MUT(data_path_offset, A(EXE_DATA).offset = 0x2100)
MUT(vdso_path, A(VDSO).path = STR_EXE)
MUT(vdso_flags, A(VDSO).flags = VMAD_AREA_F_SHARED)
MUT(vdso_class, A(VVAR).dump_class = VMAD_DUMP_OTHER)
MUT(vdso_twice, A(VVAR).kind = VMAD_AREA_VDSO)
MUT(vdso_none, A(VDSO).kind = VMAD_AREA_DATA; A(VVAR).kind = VMAD_AREA_DATA)

/* Strings */
MUT(str_relative, s->strings[STR_CWD] = "home/user")
MUT(str_empty, s->strings[STR_EXE] = "")
MUT(str_unused, s->strings[STR_NR] = "/unused"; s->nr_strings = STR_NR + 1)
/* The sample's string data starts 20 bytes into the payload. */
#define STRDATA(b) ((b)->buf + vmad_blob_record((b), VMAD_REC_STRINGS) + 20)
#define STROFF(b, i) (vmad_blob_record((b), VMAD_REC_STRINGS) + 8 + 4 * (i))
PATCH(str_embedded_nul, STRDATA(b)[5] = 0)
PATCH(str_unterminated, STRDATA(b)[10] = 'x')
PATCH(str_last_unterminated, STRDATA(b)[62] = 'x')
PATCH(str_first_offset, put32(b, STROFF(b, 0), 1))
PATCH(str_offsets_equal, put32(b, STROFF(b, 1), 11); put32(b, STROFF(b, 2), 11))
PATCH(str_offset_past, put32(b, STROFF(b, 2), 200))
PATCH(str_count_huge, put32(b, vmad_blob_record(b, VMAD_REC_STRINGS),
			    VMAD_STRINGS_MAX + 1))
PATCH(str_data_huge, put32(b, vmad_blob_record(b, VMAD_REC_STRINGS) + 4,
			   VMAD_STRTAB_MAX + 1))
PATCH(str_count_wrong, put32(b, vmad_blob_record(b, VMAD_REC_STRINGS), 2))

/* Page data */
#define C(i) s->chunks[i]
MUT(chunk_area_range, C(0).area = AREA_NR)
MUT(chunk_file_area, C(0).area = AREA_LIBC_TEXT; C(0).addr = A(LIBC_TEXT).start)
MUT(chunk_vdso_area, C(0).area = AREA_VDSO; C(0).addr = A(VDSO).start)
MUT(chunk_unaligned, C(1).addr += 16)
MUT(chunk_before_area, C(1).addr = A(HEAP).start - PAGE)
MUT(chunk_after_area, C(2).addr = A(HEAP).end)
MUT(chunk_past_area, C(2).addr = A(HEAP).end - PAGE; C(2).nr_pages = 2)
MUT(chunk_empty, C(2).nr_pages = 0)
MUT(chunk_huge, A(HEAP).end = A(HEAP).start + 512 * PAGE;
		s->mm.brk = A(HEAP).end;
		C(2).addr = A(HEAP).start + 8 * PAGE;
		C(2).nr_pages = VMAD_CHUNK_PAGES_MAX + 1)
MUT(chunk_max, A(HEAP).end = A(HEAP).start + 512 * PAGE;
	       s->mm.brk = A(HEAP).end;
	       C(2).addr = A(HEAP).start + 8 * PAGE;
	       C(2).nr_pages = VMAD_CHUNK_PAGES_MAX)
MUT(chunk_area_order, struct vmad_sample_chunk t = C(0); C(0) = C(1); C(1) = t)
MUT(chunk_overlap, C(2).addr = C(1).addr + PAGE)
MUT(chunk_same, C(2).addr = C(1).addr)
MUT(chunk_adjacent, C(2).addr = C(1).addr + 2 * PAGE)
MUT(chunk_stack_top, C(3).addr = A(STACK).end - 2 * PAGE)
PATCH(chunk_type, put32(b, b->chunk_off[1], 7))
PATCH(chunk_crc, b->buf[b->chunk_off[1] + 9] ^= 1)
static void fix_chunk_crc(struct vmad_blob *b, size_t off)
{
	put32(b, off + 28, bproc_vmad_crc(b->buf + off, 28));
}

PATCH(chunk_seal, put32(b, b->chunk_off[1] + 24, b->seal + 1);
		  fix_chunk_crc(b, b->chunk_off[1]))
PATCH(chunk_data, b->buf[b->chunk_off[1] + VMAD_CHUNK_SIZE + 5000] ^= 0x80)
PATCH(end_chunks, put64(b, b->end_off + 8, 5))
PATCH(end_pages, put64(b, b->end_off + 16, 7))
PATCH(end_reserved, put32(b, b->end_off + 4, 1))
PATCH(end_seal, put32(b, b->end_off + 24, b->seal ^ 1);
		fix_chunk_crc(b, b->end_off))
PATCH(end_crc, b->buf[b->end_off + 8] ^= 2)
PATCH(end_missing, b->len = b->end_off)
PATCH(end_garbage, b->len += 1)
PATCH(chunk_instead_of_end, memcpy(b->buf + b->end_off,
				   b->buf + b->chunk_off[0], VMAD_CHUNK_SIZE))

#define OK(name)		{ #name, mut_##name, NULL, 0, 0, NULL }
#define BAD(name, err, why)	{ #name, mut_##name, NULL, 0, err, why }
#define RAW(name, err, why)	{ #name, NULL, patch_##name, 0, err, why }
#define RESEAL(name, err, why)	{ #name, NULL, patch_##name, 1, err, why }

static const struct vcase vcases[] = {
	RAW(magic, -ENOEXEC, "not a VMADump image"),
	RAW(hdr_crc, -EBADMSG, "header checksum"),
	RESEAL(version0, -EINVAL, "version 0"),
	RESEAL(version2, -EOPNOTSUPP, "newer format"),
	RESEAL(arch, -ENOEXEC, "another architecture"),
	RESEAL(page_size, -ENOEXEC, "another page size"),
	RESEAL(dump_flags, -EINVAL, "unknown dump flags"),
	RESEAL(hdr_reserved, -EINVAL, "header reserved"),
	RESEAL(prefix_huge, -E2BIG, "larger than VMAD_PREFIX_MAX"),
	RESEAL(prefix_wrap, -E2BIG, "larger than VMAD_PREFIX_MAX"),
	RESEAL(prefix_odd, -EINVAL, "impossible prefix size"),
	RESEAL(prefix_tiny, -EINVAL, "impossible prefix size"),
	RESEAL(prefix_long, -EINVAL, "bytes after the end record"),
	RESEAL(prefix_short, -EINVAL, "runs past the prefix"),
	RESEAL(prefix_past_buf, -EINVAL, "truncated in its prefix"),

	RESEAL(rec_type, -EINVAL, "missing or out of order"),
	RESEAL(rec_type_unknown, -EINVAL, "missing or out of order"),
	RESEAL(rec_reserved, -EINVAL, "record reserved"),
	RESEAL(rec_short, -EINVAL, "too short"),
	RESEAL(rec_big, -E2BIG, "larger than its limit"),
	RESEAL(rec_size_huge, -E2BIG, "larger than its limit"),
	RESEAL(rec_overrun, -EINVAL, "runs past the prefix"),
	RESEAL(rec_padding, -EINVAL, "padding not zero"),
	RAW(rec_crc, -EBADMSG, "record checksum"),
	RAW(seal, -EBADMSG, "prefix checksum"),
	RESEAL(seal_reserved, -EINVAL, "seal reserved"),

	BAD(regs_compat, -EINVAL, "64-bit"),
	BAD(regs_ss, -EINVAL, "64-bit"),
	BAD(regs_ip_kernel, -EINVAL, "ip outside"),
	BAD(regs_ip_limit, -EINVAL, "ip outside"),
	OK(regs_ip_top),
	BAD(regs_fs_base, -EINVAL, "TLS base"),
	BAD(regs_gs_base, -EINVAL, "TLS base"),
	BAD(regs_flags, -EINVAL, "EFLAGS"),
	BAD(regs_flags_iopl, -EINVAL, "EFLAGS"),
	BAD(regs_flags_vm86, -EINVAL, "EFLAGS"),
	BAD(regs_ds_rpl0, -EINVAL, "selector"),
	BAD(regs_gs_wide, -EINVAL, "selector"),
	OK(regs_fs_tls),

	BAD(xstate_compacted, -EINVAL, "compacted"),
	BAD(xstate_reserved, -EINVAL, "xstate header reserved"),
	BAD(xstate_mxcsr, -EINVAL, "MXCSR"),
	OK(xstate_mxcsr_unused),
	BAD(xstate_small, -EINVAL, "too short"),
	OK(xstate_min),
	OK(xstate_max),
	BAD(xstate_big, -E2BIG, "larger than its limit"),

	BAD(rseq_misaligned, -EINVAL, "rseq misaligned"),
	BAD(rseq_short, -EINVAL, "rseq length"),
	BAD(rseq_long, -EINVAL, "rseq length"),
	BAD(rseq_end, -EINVAL, "rseq outside"),
	BAD(rseq_kernel, -EINVAL, "rseq outside"),
	BAD(rseq_none_len, -EINVAL, "without rseq"),
	OK(rseq_none),
	BAD(robust_kernel, -EINVAL, "robust list"),
	BAD(cleartid_kernel, -EINVAL, "clear_child_tid"),
	BAD(ss_mode, -EINVAL, "sigaltstack flags"),
	BAD(ss_both, -EINVAL, "sigaltstack flags"),
	BAD(ss_disabled_sp, -EINVAL, "disabled sigaltstack"),
	OK(ss_enabled),
	BAD(ss_wrap, -EINVAL, "sigaltstack outside"),
	BAD(thread_reserved, -EINVAL, "thread reserved"),

	BAD(sig_handler_kernel, -EINVAL, "handler outside"),
	BAD(sig_flags_unknown, -EINVAL, "sigaction flags"),
	BAD(sig_flags_immutable, -EINVAL, "sigaction flags"),
	OK(sig_flags_all),
	BAD(sig_restorer_kernel, -EINVAL, "restorer"),
	BAD(sig_mask_kill, -EINVAL, "mask blocks SIGKILL"),
	BAD(sig_kill_action, -EINVAL, "action for SIGKILL"),
	BAD(sig_stop_flags, -EINVAL, "action for SIGKILL or SIGSTOP"),
	BAD(sig_blocked_stop, -EINVAL, "blocked mask"),
	OK(sig_blocked_all),
	BAD(sig_reserved, -EINVAL, "signals reserved"),

	BAD(mm_code_reversed, -EINVAL, "mm ranges reversed"),
	BAD(mm_brk_reversed, -EINVAL, "mm ranges reversed"),
	BAD(mm_env_reversed, -EINVAL, "mm ranges reversed"),
	BAD(mm_kernel, -EINVAL, "mm address"),
	BAD(mm_limit, -EINVAL, "mm address"),
	BAD(mm_reserved, -EINVAL, "mm reserved"),
	BAD(auxv_none, -EINVAL, "too short"),
	RESEAL(auxv_many, -E2BIG, "too many auxv"),
	OK(auxv_max),
	BAD(auxv_unterminated, -EINVAL, "not closed by AT_NULL"),
	BAD(auxv_null_inside, -EINVAL, "AT_NULL inside"),
	BAD(auxv_null_value, -EINVAL, "not closed by AT_NULL"),
	BAD(auxv_entry_kernel, -EINVAL, "auxv address"),
	BAD(auxv_vdso_kernel, -EINVAL, "auxv address"),
	RESEAL(auxv_count, -EINVAL, "does not match nr_auxv"),

	BAD(cred_uid, -EINVAL, "invalid id"),
	BAD(cred_gid, -EINVAL, "invalid id"),
	BAD(cred_group_invalid, -EINVAL, "invalid group"),
	BAD(cred_unsorted, -EINVAL, "not sorted"),
	OK(cred_dup_groups),
	OK(cred_no_groups),
	BAD(cred_reserved, -EINVAL, "cred reserved"),
	RESEAL(cred_ngroups_huge, -E2BIG, "too many groups"),
	RESEAL(cred_ngroups_wrong, -EINVAL, "does not match ngroups"),

	BAD(rlim_cur_above, -EINVAL, "rlimit"),
	BAD(comm_full, -EINVAL, "comm"),
	BAD(comm_garbage, -EINVAL, "comm"),
	OK(comm_15),
	OK(comm_empty),
	BAD(cwd_none, -EINVAL, "cwd"),
	BAD(cwd_range, -EINVAL, "cwd"),
	OK(exe_none),
	BAD(exe_range, -EINVAL, "exe"),
	BAD(umask_bad, -EINVAL, "umask"),
	BAD(nice_high, -EINVAL, "nice"),
	BAD(nice_low, -EINVAL, "nice"),
	OK(nice_min),
	BAD(pers_linux32, -EINVAL, "personality"),
	OK(pers_norandom),
	BAD(pers_unknown, -EINVAL, "personality"),
	BAD(proc_flags, -EINVAL, "process flags"),
	OK(proc_nnp),

	BAD(area_start_unaligned, -EINVAL, "not page-aligned"),
	BAD(area_end_unaligned, -EINVAL, "not page-aligned"),
	BAD(area_empty, -EINVAL, "empty or reversed"),
	BAD(area_reversed, -EINVAL, "empty or reversed"),
	BAD(area_kernel, -EINVAL, "outside user space"),
	BAD(area_vsyscall, -EINVAL, "outside user space"),
	BAD(area_past_limit, -EINVAL, "outside user space"),
	BAD(area_overlap, -EINVAL, "overlaps"),
	BAD(area_unsorted, -EINVAL, "overlaps or precedes"),
	OK(area_adjacent),
	BAD(area_prot, -EINVAL, "protection"),
	BAD(area_flags, -EINVAL, "area flags"),
	BAD(area_kind0, -EINVAL, "area kind"),
	BAD(area_kind5, -EINVAL, "area kind"),
	BAD(area_reserved, -EINVAL, "area reserved"),
	OK(area_none_prot),
	OK(area_shared),
	BAD(areas_partial, -EINVAL, "multiple of an entry"),

	BAD(file_writable, -EINVAL, "writable file"),
	BAD(file_no_path, -EINVAL, "without a path"),
	BAD(file_path_range, -EINVAL, "path index"),
	BAD(file_class0, -EINVAL, "dump class"),
	BAD(file_class3, -EINVAL, "dump class"),
	BAD(file_class_sent, -EINVAL, "sends as data"),
	OK(file_other_class),
	BAD(file_growsdown, -EINVAL, "stack"),
	OK(file_shared),
	BAD(file_offset_unaligned, -EINVAL, "offset not page-aligned"),
	BAD(file_offset_huge, -EINVAL, "file offset too large"),
	OK(file_offset_max),
	BAD(file_size_huge, -EINVAL, "file size"),
	BAD(file_past_eof_crc, -EINVAL, "empty range"),
	OK(file_past_eof),

	BAD(data_file_size, -EINVAL, "fingerprint on a data area"),
	BAD(data_file_crc, -EINVAL, "fingerprint on a data area"),
	BAD(data_anon_offset, -EINVAL, "without a file"),
	BAD(data_anon_class, -EINVAL, "without a file"),
	BAD(data_path_class0, -EINVAL, "dump class"),
	BAD(data_path_range, -EINVAL, "path index"),
	BAD(data_path_growsdown, -EINVAL, "stack"),
	BAD(data_path_offset, -EINVAL, "offset not page-aligned"),
	BAD(vdso_path, -EINVAL, "vdso or vvar area with"),
	BAD(vdso_flags, -EINVAL, "vdso or vvar area with"),
	BAD(vdso_class, -EINVAL, "vdso or vvar area with"),
	BAD(vdso_twice, -EINVAL, "second vdso"),
	OK(vdso_none),

	BAD(str_relative, -EINVAL, "not absolute"),
	BAD(str_empty, -EINVAL, "not absolute"),
	OK(str_unused),
	RESEAL(str_embedded_nul, -EINVAL, "NUL inside"),
	RESEAL(str_unterminated, -EINVAL, "not NUL-terminated"),
	RESEAL(str_last_unterminated, -EINVAL, "not NUL-terminated"),
	RESEAL(str_first_offset, -EINVAL, "bad string offset"),
	RESEAL(str_offsets_equal, -EINVAL, "bad string offset"),
	RESEAL(str_offset_past, -EINVAL, "bad string offset"),
	RESEAL(str_count_huge, -E2BIG, "too many strings"),
	RESEAL(str_data_huge, -E2BIG, "string table too large"),
	RESEAL(str_count_wrong, -EINVAL, "does not add up"),

	BAD(chunk_area_range, -EINVAL, "area index out of range"),
	BAD(chunk_file_area, -EINVAL, "without page data"),
	BAD(chunk_vdso_area, -EINVAL, "without page data"),
	BAD(chunk_unaligned, -EINVAL, "outside its area"),
	BAD(chunk_before_area, -EINVAL, "outside its area"),
	BAD(chunk_after_area, -EINVAL, "outside its area"),
	BAD(chunk_past_area, -EINVAL, "past the end of its area"),
	BAD(chunk_empty, -EINVAL, "empty chunk"),
	BAD(chunk_huge, -E2BIG, "chunk too large"),
	OK(chunk_max),
	BAD(chunk_area_order, -EINVAL, "out of order"),
	BAD(chunk_overlap, -EINVAL, "out of order or overlapping"),
	BAD(chunk_same, -EINVAL, "out of order or overlapping"),
	OK(chunk_adjacent),
	OK(chunk_stack_top),
	RESEAL(chunk_type, -EINVAL, "unknown chunk type"),
	RAW(chunk_crc, -EBADMSG, "chunk header checksum"),
	RAW(chunk_seal, -EBADMSG, "of another image"),
	RAW(chunk_data, -EBADMSG, "page data checksum"),
	RESEAL(end_chunks, -EINVAL, "counts do not match"),
	RESEAL(end_pages, -EINVAL, "counts do not match"),
	RESEAL(end_reserved, -EINVAL, "end trailer reserved"),
	RAW(end_seal, -EBADMSG, "of another image"),
	RAW(end_crc, -EBADMSG, "checksum mismatch"),
	RAW(end_missing, -EINVAL, "truncated in its page data"),
	RAW(end_garbage, -EINVAL, "bytes after the end of the image"),
	RAW(chunk_instead_of_end, -EINVAL, "out of order"),
};

/* clang-format on */

static void run_case(void **state)
{
	const struct vcase *c = *state;
	struct bproc_vmad_err err;
	struct vmad_sample *s = malloc(sizeof(*s));
	struct vmad_blob b;
	size_t len;

	assert_non_null(s);
	vmad_sample_init(s);
	if (c->mutate)
		c->mutate(s);
	build(s, &b);
	if (c->patch) {
		len = b.len;
		b.buf = realloc(b.buf, b.len + 64); /* room for end_garbage */
		assert_non_null(b.buf);
		memset(b.buf + len, 0, 64);
		c->patch(&b);
		if (c->reseal)
			vmad_reseal(b.buf, b.len);
	}
	expect(check_blob(&b, &err), &err, c->err, c->why);
	free(b.buf);
	free(s);
}

/* err.offset points at what failed: an area entry, a chunk header. */
static void test_error_offsets(void **state)
{
	struct bproc_vmad_err err;
	struct vmad_sample s;
	struct vmad_blob b;

	(void)state;
	vmad_sample_init(&s);
	s.areas[AREA_HEAP].prot = 8;
	build(&s, &b);
	expect(check_blob(&b, &err), &err, -EINVAL, "protection");
	assert_int_equal(err.offset, vmad_blob_record(&b, VMAD_REC_AREAS) +
					     AREA_HEAP * VMAD_AREA_SIZE +
					     offsetof(struct vmad_area, prot));
	free(b.buf);

	vmad_sample_init(&s);
	s.chunks[2].nr_pages = 0;
	build(&s, &b);
	expect(check_blob(&b, &err), &err, -EINVAL, "empty chunk");
	assert_int_equal(err.offset, b.chunk_off[2]);
	free(b.buf);
}

/* ------------------------------------------------------------------ */
/* Limits at and past their maximum                                   */
/* ------------------------------------------------------------------ */

static int check_raw(struct vmad_sample *s, u32 type, const void *p, size_t len,
		     struct bproc_vmad_err *err)
{
	struct vmad_blob b;
	int ret;

	s->raw[type] = p;
	s->raw_len[type] = len;
	build(s, &b);
	ret = check_blob(&b, err);
	free(b.buf);
	return ret;
}

static void test_max_areas(void **state)
{
	size_t n = VMAD_AREAS_MAX + 1;
	struct vmad_area *a = calloc(n, sizeof(*a));
	struct bproc_vmad_err err;
	struct vmad_sample s;
	size_t i;

	(void)state;
	assert_non_null(a);
	for (i = 0; i < n; i++) {
		a[i].start = 0x10000 + i * 2 * PAGE;
		a[i].end = a[i].start + PAGE;
		a[i].path = VMAD_NO_STRING;
		a[i].prot = VMAD_PROT_READ | VMAD_PROT_WRITE;
		a[i].kind = VMAD_AREA_DATA;
	}
	vmad_sample_init(&s);
	s.nr_chunks = 0;
	expect(check_raw(&s, VMAD_REC_AREAS, a, (n - 1) * sizeof(*a), &err),
	       &err, 0, NULL);
	expect(check_raw(&s, VMAD_REC_AREAS, a, n * sizeof(*a), &err), &err,
	       -E2BIG, "larger than its limit");
	/* The last of 65536 areas overlapping: found at the very end. */
	a[n - 2].start = a[n - 3].start;
	a[n - 2].end = a[n - 3].end;
	expect(check_raw(&s, VMAD_REC_AREAS, a, (n - 1) * sizeof(*a), &err),
	       &err, -EINVAL, "overlaps");
	free(a);
}

static void test_max_groups(void **state)
{
	size_t n = VMAD_GROUPS_MAX + 1, i;
	u8 *p = malloc(sizeof(struct vmad_cred) + n * 4);
	struct vmad_cred cr = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct bproc_vmad_err err;
	struct vmad_sample s;
	u32 g;

	(void)state;
	assert_non_null(p);
	for (i = 0; i < n; i++) {
		g = (u32)i * 3;
		memcpy(p + sizeof(cr) + i * 4, &g, 4);
	}
	vmad_sample_init(&s);
	cr.ngroups = VMAD_GROUPS_MAX;
	memcpy(p, &cr, sizeof(cr));
	expect(check_raw(&s, VMAD_REC_CRED, p, sizeof(cr) + (n - 1) * 4, &err),
	       &err, 0, NULL);
	cr.ngroups = VMAD_GROUPS_MAX + 1;
	memcpy(p, &cr, sizeof(cr));
	expect(check_raw(&s, VMAD_REC_CRED, p, sizeof(cr) + n * 4, &err), &err,
	       -E2BIG, "larger than its limit");
	free(p);
}

/* A string table of @n copies of @str (raw record bytes, malloc'd). */
static u8 *make_strings(u32 n, const char *str, size_t *len)
{
	size_t slen = strlen(str) + 1;
	struct vmad_strings hdr = { n, (u32)(n * slen) };
	u8 *p;
	u32 i, off;

	*len = sizeof(hdr) + n * 4 + n * slen;
	p = malloc(*len);
	assert_non_null(p);
	memcpy(p, &hdr, sizeof(hdr));
	for (i = 0; i < n; i++) {
		off = (u32)(i * slen);
		memcpy(p + sizeof(hdr) + i * 4, &off, 4);
		memcpy(p + sizeof(hdr) + n * 4 + off, str, slen);
	}
	return p;
}

static void test_max_strings(void **state)
{
	struct bproc_vmad_err err;
	struct vmad_sample s;
	char *path = malloc(VMAD_PATH_MAX + 1);
	size_t len;
	u8 *p;

	(void)state;
	assert_non_null(path);
	vmad_sample_init(&s);
	p = make_strings(VMAD_STRINGS_MAX, "/a", &len);
	expect(check_raw(&s, VMAD_REC_STRINGS, p, len, &err), &err, 0, NULL);
	free(p);
	p = make_strings(VMAD_STRINGS_MAX + 1, "/a", &len);
	expect(check_raw(&s, VMAD_REC_STRINGS, p, len, &err), &err, -E2BIG,
	       "too many strings");
	free(p);

	/* Paths of exactly PATH_MAX bytes (NUL included), then one more. */
	memset(path, 'p', VMAD_PATH_MAX);
	path[0] = '/';
	path[VMAD_PATH_MAX - 1] = 0;
	p = make_strings(3, path, &len);
	expect(check_raw(&s, VMAD_REC_STRINGS, p, len, &err), &err, 0, NULL);
	free(p);
	path[VMAD_PATH_MAX - 1] = 'p';
	path[VMAD_PATH_MAX] = 0;
	p = make_strings(3, path, &len);
	expect(check_raw(&s, VMAD_REC_STRINGS, p, len, &err), &err, -E2BIG,
	       "longer than PATH_MAX");
	free(p);

	/* More string data than VMAD_STRTAB_MAX, though few strings. */
	path[VMAD_PATH_MAX - 1] = 0;
	p = make_strings(VMAD_STRTAB_MAX / VMAD_PATH_MAX + 1, path, &len);
	expect(check_raw(&s, VMAD_REC_STRINGS, p, len, &err), &err, -E2BIG,
	       "string table too large");
	free(p);
	free(path);
}

/* The biggest prefix the limits allow is accepted; every limit at once. */
static void test_max_prefix(void **state)
{
	size_t alen = VMAD_AREAS_MAX * sizeof(struct vmad_area), slen, glen;
	struct vmad_area *a = calloc(VMAD_AREAS_MAX, sizeof(*a));
	struct vmad_cred cr = { 0, 0, 0, 0, 0, 0, 0, 0, VMAD_GROUPS_MAX, 0 };
	struct bproc_vmad_image img;
	struct bproc_vmad_err err;
	struct vmad_sample s;
	struct vmad_blob b;
	char *path = malloc(64);
	u8 *g, *str;
	size_t i;

	(void)state;
	assert_non_null(a);
	assert_non_null(path);
	glen = sizeof(cr) + VMAD_GROUPS_MAX * 4;
	g = calloc(1, glen);
	assert_non_null(g);
	memcpy(g, &cr, sizeof(cr));
	for (i = 0; i < VMAD_AREAS_MAX; i++) {
		a[i].start = 0x10000 + i * PAGE;
		a[i].end = a[i].start + PAGE;
		a[i].path = VMAD_NO_STRING;
		a[i].kind = VMAD_AREA_DATA;
	}
	/* Strings: VMAD_STRINGS_MAX of them, data just under the limit. */
	memset(path, 'q', 63);
	path[0] = '/';
	path[VMAD_STRTAB_MAX / VMAD_STRINGS_MAX - 1] = 0;
	str = make_strings(VMAD_STRINGS_MAX, path, &slen);
	vmad_sample_init(&s);
	s.nr_chunks = 0;
	s.xstate_size = VMAD_XSTATE_MAX;
	s.raw[VMAD_REC_AREAS] = a;
	s.raw_len[VMAD_REC_AREAS] = alen;
	s.raw[VMAD_REC_CRED] = g;
	s.raw_len[VMAD_REC_CRED] = glen;
	s.raw[VMAD_REC_STRINGS] = str;
	s.raw_len[VMAD_REC_STRINGS] = slen;
	build(&s, &b);
	print_message("# prefix of %zu bytes (limit %d)\n", b.prefix_size,
		      VMAD_PREFIX_MAX);
	assert_true(b.prefix_size <= VMAD_PREFIX_MAX);
	expect(bproc_vmad_check_image(&img, b.buf, b.len, &err), &err, 0, NULL);
	free(b.buf);
	free(str);
	free(g);
	free(a);
	free(path);
}

int main(void)
{
	static const struct CMUnitTest basic[] = {
		cmocka_unit_test(test_crc32c_vectors),
		cmocka_unit_test(test_crc32c_reference),
		cmocka_unit_test(a_built_sample_image_checks_valid_field_by_field),
		cmocka_unit_test(accessors_return_what_was_built_and_zeros_for_bad_indices),
		cmocka_unit_test(test_stream_api),
		cmocka_unit_test(test_stream_bad_page),
		cmocka_unit_test(test_stream_data_length),
		cmocka_unit_test(test_no_page_data),
		cmocka_unit_test(test_builder_errors),
		cmocka_unit_test(test_truncate_everywhere),
		cmocka_unit_test(test_bitflip_prefix),
		cmocka_unit_test(test_bitflip_page_data),
		cmocka_unit_test(test_error_offsets),
		cmocka_unit_test(test_max_areas),
		cmocka_unit_test(test_max_groups),
		cmocka_unit_test(test_max_strings),
		cmocka_unit_test(test_max_prefix),
	};
	size_t n = sizeof(vcases) / sizeof(vcases[0]), i;
	struct CMUnitTest *cases = calloc(n, sizeof(*cases));
	int failed;

	if (!cases)
		return 1;
	for (i = 0; i < n; i++) {
		cases[i].name = vcases[i].name;
		cases[i].test_func = run_case;
		cases[i].initial_state = (void *)&vcases[i];
	}
	failed = cmocka_run_group_tests_name("vmad", basic, NULL, NULL);
	failed += _cmocka_run_group_tests("vmad_rules", cases, n, NULL, NULL);
	free(cases);
	return failed ? 1 : 0;
}
