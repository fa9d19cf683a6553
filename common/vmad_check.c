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
 *
 * This file walks the image: the header, the framing and seal of the
 * prefix's records, the accessors and the page data stream.  The rules of
 * each record type are in common/vmad_check_rec.c.
 */
#include "vmad_check.h"
#include "vmad_check_rec.h"

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


u32 bproc_vmad_crc(const void *p, size_t len)
{
	return ~bproc_crc32c(~0U, p, len);
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
/* The prefix                                                         */
/* ------------------------------------------------------------------ */


static u64 vmad_prefix_min(void)
{
	u64 size = VMAD_HEADER_SIZE;
	u32 type;

	for (type = 1; type <= VMAD_REC_NR; type++)
		size += VMAD_RECORD_SIZE +
			VMAD_ALIGN8(bproc_vmad_rec_types[type].min);
	return size;
}

/*
 * Frame one record at @off (8-aligned, < prefix size): its header, bounds,
 * padding and checksum.  On success the payload's place is in img->rec[] and
 * *next is where the next record starts.
 */
static int vmad_frame_record(struct vmad_ctx *c, u32 type, u64 off, u64 *next)
{
	const struct bproc_vmad_rec_type *t = &bproc_vmad_rec_types[type];
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

	return bproc_vmad_rec_types[type].check(c, &pl);
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
