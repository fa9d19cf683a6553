/* SPDX-License-Identifier: GPL-2.0-only OR LGPL-2.1-only */
/*
 * Writing VMADump images.
 *
 * The mechanics of the format (record framing, padding, checksums, the
 * seal, chunk headers and the end trailer) for whoever writes images: the
 * kernel's dump code, tests and tools.  Like the validator it compiles in
 * the kernel and in user space and never allocates: the prefix is built in
 * a buffer the caller sized (bproc_vmad_record_space() and
 * bproc_vmad_strings_size() say how much each record takes).
 *
 * It does not judge content; a writer runs bproc_vmad_check_prefix() on the
 * prefix it built before sending it, so it never emits an image a reader
 * would refuse.
 *
 *   bproc_vmad_build_init(&b, buf, cap, flags);
 *   bproc_vmad_build_record(&b, VMAD_REC_REGS, &regs, sizeof(regs));
 *   ...                                  (every record type, in order)
 *   bproc_vmad_build_begin(&b, VMAD_REC_AREAS);
 *   bproc_vmad_build_put(&b, &area, sizeof(area));   (for each area)
 *   bproc_vmad_build_end(&b);
 *   bproc_vmad_build_strings(&b, paths, n);
 *   ret = bproc_vmad_build_finish(&b, &seal);   -> b.pos bytes of prefix
 *   then per chunk bproc_vmad_build_chunk() + its pages, and
 *   bproc_vmad_build_trailer() at the end.
 */
#ifndef BPROC_VMAD_BUILD_H
#define BPROC_VMAD_BUILD_H

#include "bproc_compat.h"

#include <linux/bproc_image.h>

/*
 * struct bproc_vmad_builder - a prefix being written
 * @buf:  the caller's buffer.
 * @cap:  its size.
 * @pos:  bytes written so far.
 * @rec:  offset of the open record's header.
 * @open: a record is open (between begin and end).
 * @err:  the first error: -ENOSPC (the buffer is too small) or -EINVAL
 *        (calls out of order).  Once set, every call does nothing, so a
 *        writer checks only bproc_vmad_build_finish()'s result.
 */
struct bproc_vmad_builder {
	u8 *buf;
	size_t cap;
	size_t pos;
	size_t rec;
	bool open;
	int err;
};

/* Bytes a record with a @payload-byte payload takes in the prefix. */
size_t bproc_vmad_record_space(size_t payload);
/* Payload bytes of a VMAD_REC_STRINGS record holding @strs[0..n-1]. */
size_t bproc_vmad_strings_size(const char *const *strs, u32 n);

void bproc_vmad_build_init(struct bproc_vmad_builder *b, void *buf, size_t cap,
			   u32 dump_flags);
void bproc_vmad_build_begin(struct bproc_vmad_builder *b, u32 type);
void bproc_vmad_build_put(struct bproc_vmad_builder *b, const void *p,
			  size_t len);
void bproc_vmad_build_end(struct bproc_vmad_builder *b);
void bproc_vmad_build_record(struct bproc_vmad_builder *b, u32 type,
			     const void *p, size_t len);
/* The string table of @strs[0..n-1]; string i gets index i. */
void bproc_vmad_build_strings(struct bproc_vmad_builder *b,
			      const char *const *strs, u32 n);
/*
 * Close the prefix: the END record with the seal, the header's prefix_size
 * and checksum.  Returns 0 (the prefix is b->pos bytes; *seal, if not NULL,
 * gets the value every chunk must carry) or b->err.
 */
int bproc_vmad_build_finish(struct bproc_vmad_builder *b, u32 *seal);

/* A chunk header for @nr_pages pages at @addr of area @area. */
void bproc_vmad_build_chunk(struct vmad_chunk *c, u32 seal, u32 area, u64 addr,
			    u32 nr_pages, u32 data_crc);
/* The end trailer after @nr_chunks chunks holding @nr_pages pages. */
void bproc_vmad_build_trailer(struct vmad_end *e, u32 seal, u64 nr_chunks,
			      u64 nr_pages);

#endif /* BPROC_VMAD_BUILD_H */
