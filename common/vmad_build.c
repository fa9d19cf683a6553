// SPDX-License-Identifier: GPL-2.0-only OR LGPL-2.1-only
/*
 * Writing VMADump images (see vmad_build.h).
 */
#include "vmad_build.h"
#include "vmad_check.h"

#define VMAD_ALIGN8(x) (((x) + 7) & ~(size_t)7)

size_t bproc_vmad_record_space(size_t payload)
{
	return VMAD_RECORD_SIZE + VMAD_ALIGN8(payload);
}

size_t bproc_vmad_strings_size(const char *const *strs, u32 n)
{
	size_t size = VMAD_STRINGS_SIZE + (size_t)n * sizeof(u32);
	u32 i;

	for (i = 0; i < n; i++)
		size += strlen(strs[i]) + 1;
	return size;
}

static void vmad_build_error(struct bproc_vmad_builder *b, int err)
{
	if (!b->err)
		b->err = err;
}

/* Room for @len more bytes? Records an error if not. */
static bool vmad_build_room(struct bproc_vmad_builder *b, size_t len)
{
	if (b->err)
		return false;
	if (len > b->cap - b->pos) {
		vmad_build_error(b, -ENOSPC);
		return false;
	}
	return true;
}

void bproc_vmad_build_init(struct bproc_vmad_builder *b, void *buf, size_t cap,
			   u32 dump_flags)
{
	struct vmad_header h = {
		.version = VMAD_VERSION,
		.arch = VMAD_ARCH_X86_64,
		.page_size = VMAD_PAGE_SIZE,
		.dump_flags = dump_flags,
	};

	memset(b, 0, sizeof(*b));
	b->buf = buf;
	b->cap = cap;
	memcpy(h.magic, VMAD_MAGIC, VMAD_MAGIC_LEN);
	/* prefix_size and crc are filled in by bproc_vmad_build_finish(). */
	if (vmad_build_room(b, sizeof(h))) {
		memcpy(b->buf, &h, sizeof(h));
		b->pos = sizeof(h);
	}
}

void bproc_vmad_build_begin(struct bproc_vmad_builder *b, u32 type)
{
	struct vmad_record r = { .type = type };

	if (b->open)
		vmad_build_error(b, -EINVAL);
	if (!vmad_build_room(b, sizeof(r)))
		return;
	b->rec = b->pos;
	b->open = true;
	memcpy(b->buf + b->pos, &r, sizeof(r));
	b->pos += sizeof(r);
}

void bproc_vmad_build_put(struct bproc_vmad_builder *b, const void *p,
			  size_t len)
{
	if (!b->open)
		vmad_build_error(b, -EINVAL);
	if (!vmad_build_room(b, len))
		return;
	memcpy(b->buf + b->pos, p, len);
	b->pos += len;
}

void bproc_vmad_build_end(struct bproc_vmad_builder *b)
{
	struct vmad_record r;
	size_t payload, pad;
	u32 crc;

	if (!b->open)
		vmad_build_error(b, -EINVAL);
	if (b->err)
		return;
	payload = b->pos - b->rec - sizeof(r);
	/* Records are bounded far below 4 GiB; the validator rejects more. */
	if (payload > VMAD_PREFIX_MAX) {
		vmad_build_error(b, -E2BIG);
		return;
	}
	pad = VMAD_ALIGN8(b->pos) - b->pos;
	if (!vmad_build_room(b, pad))
		return;
	memset(b->buf + b->pos, 0, pad);

	memcpy(&r, b->buf + b->rec, sizeof(r));
	r.size = (u32)payload;
	crc = bproc_crc32c(~0U, &r, offsetof(struct vmad_record, crc));
	r.crc = ~bproc_crc32c(crc, b->buf + b->rec + sizeof(r), payload);
	memcpy(b->buf + b->rec, &r, sizeof(r));
	b->pos += pad;
	b->open = false;
}

void bproc_vmad_build_record(struct bproc_vmad_builder *b, u32 type,
			     const void *p, size_t len)
{
	bproc_vmad_build_begin(b, type);
	bproc_vmad_build_put(b, p, len);
	bproc_vmad_build_end(b);
}

void bproc_vmad_build_strings(struct bproc_vmad_builder *b,
			      const char *const *strs, u32 n)
{
	struct vmad_strings s = { .nr_strings = n };
	size_t data = 0;
	u32 i, off;

	for (i = 0; i < n; i++)
		data += strlen(strs[i]) + 1;
	if (data > VMAD_STRTAB_MAX) {
		vmad_build_error(b, -E2BIG);
		return;
	}
	s.data_size = (u32)data;
	bproc_vmad_build_begin(b, VMAD_REC_STRINGS);
	bproc_vmad_build_put(b, &s, sizeof(s));
	for (i = 0, off = 0; i < n; i++) {
		bproc_vmad_build_put(b, &off, sizeof(off));
		off += (u32)strlen(strs[i]) + 1;
	}
	for (i = 0; i < n; i++)
		bproc_vmad_build_put(b, strs[i], strlen(strs[i]) + 1);
	bproc_vmad_build_end(b);
}

int bproc_vmad_build_finish(struct bproc_vmad_builder *b, u32 *seal)
{
	struct vmad_seal s = { 0 };
	struct vmad_header h;

	if (b->open)
		vmad_build_error(b, -EINVAL);
	if (!vmad_build_room(b, bproc_vmad_record_space(sizeof(s))))
		return b->err;

	/* The seal covers the header, so the header is final first. */
	memcpy(&h, b->buf, sizeof(h));
	h.prefix_size = b->pos + bproc_vmad_record_space(sizeof(s));
	h.crc = bproc_vmad_crc(&h, offsetof(struct vmad_header, crc));
	memcpy(b->buf, &h, sizeof(h));

	s.prefix_crc = bproc_vmad_crc(b->buf, b->pos);
	bproc_vmad_build_record(b, VMAD_REC_END, &s, sizeof(s));
	if (!b->err && seal)
		*seal = s.prefix_crc;
	return b->err;
}

void bproc_vmad_build_chunk(struct vmad_chunk *c, u32 seal, u32 area, u64 addr,
			    u32 nr_pages, u32 data_crc)
{
	memset(c, 0, sizeof(*c));
	c->type = VMAD_CHUNK_PAGES;
	c->area = area;
	c->addr = addr;
	c->nr_pages = nr_pages;
	c->data_crc = data_crc;
	c->seal = seal;
	c->crc = bproc_vmad_crc(c, offsetof(struct vmad_chunk, crc));
}

void bproc_vmad_build_trailer(struct vmad_end *e, u32 seal, u64 nr_chunks,
			      u64 nr_pages)
{
	memset(e, 0, sizeof(*e));
	e->type = VMAD_CHUNK_END;
	e->nr_chunks = nr_chunks;
	e->nr_pages = nr_pages;
	e->seal = seal;
	e->crc = bproc_vmad_crc(e, offsetof(struct vmad_end, crc));
}
