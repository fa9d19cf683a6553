/* SPDX-License-Identifier: GPL-2.0-only OR LGPL-2.1-only */
/*
 * The VMADump image validator: its interface.
 *
 * One piece of C used by the kernel's undump and by user space (tools,
 * tests, the fuzz target).  It never trusts its input, never allocates and
 * never loops more than the input's size allows.  Every function returns 0
 * or a negative errno:
 *
 *   -EINVAL      a field is wrong (the common case), or the input is shorter
 *                than it says (truncated);
 *   -ENOEXEC     not an image (magic), or not for this machine (arch, page
 *                size);
 *   -EOPNOTSUPP  an image of a newer format version;
 *   -E2BIG       a size or count over a VMAD_*_MAX limit;
 *   -EBADMSG     a checksum does not match.
 *
 * and, when @err is not NULL, fills it with a static string naming what was
 * wrong and the byte offset in the image where it was found (for a log line:
 * "bad image at 4242: area overlaps the one before").
 *
 * How the kernel restores from a stream (file, pipe or socket):
 *
 *   read VMAD_HEADER_SIZE bytes;
 *   bproc_vmad_check_header()           -> prefix_size (bounded)
 *   allocate prefix_size, read the rest of the prefix;
 *   bproc_vmad_check_prefix()           -> struct bproc_vmad_image
 *   ... environment checks, preparation; the point of no return ...
 *   apply the prefix through the accessors below;
 *   bproc_vmad_stream_init();
 *   loop: read VMAD_CHUNK_SIZE bytes; bproc_vmad_check_chunk():
 *         0 -> read chunk.nr_pages pages, check them with
 *              bproc_vmad_check_data() (or the bproc_vmad_crc_*()
 *              helpers page by page), store them; again;
 *         BPROC_VMAD_END -> done (the image is complete and consistent).
 *
 * A user-space program holding a whole image in memory calls
 * bproc_vmad_check_image() instead, which does all of the above.
 */
#ifndef BPROC_VMAD_CHECK_H
#define BPROC_VMAD_CHECK_H

#include "bproc_compat.h"

#include <linux/bproc_image.h>

/* bproc_vmad_check_chunk(): the end trailer was read and is consistent. */
#define BPROC_VMAD_END 1

/* bproc_vmad_image.vdso_area / .vvar_area when there is none. */
#define BPROC_VMAD_NO_AREA 0xffffffffU

/*
 * struct bproc_vmad_err - why a check failed
 * @why:    what was wrong, a static string; NULL if nothing failed.
 * @offset: byte offset in the image of the header, record, entry or field
 *          that failed.
 */
struct bproc_vmad_err {
	const char *why;
	u64 offset;
};

/*
 * struct bproc_vmad_image - a validated prefix
 *
 * Filled by bproc_vmad_check_prefix().  It points into the caller's buffer,
 * which must stay unchanged while the image is used.  All fields are
 * trustworthy once the check returned 0.
 *
 * @buf:          the prefix.
 * @prefix_size:  its size; page data starts at this offset.
 * @version:      the image's format version.
 * @dump_flags:   the VMAD_DUMP_* flags it was made with.
 * @seal:         its vmad_seal.prefix_crc (chunks must carry it).
 * @rec:          payload offset (from @buf) and size of each record, by type
 *                (rec[0] is unused).
 * @nr_areas:     entries in the area table.
 * @nr_strings:   entries in the string table.
 * @nr_auxv:      auxv pairs, the closing AT_NULL included.
 * @ngroups:      supplementary groups.
 * @strings:      offset (from @buf) of the string data.
 * @xstate_size:  bytes of the XSAVE buffer.
 * @xfeatures:    its XSTATE_BV: the restore checks this CPU has them all.
 * @vdso_area:    index of the VMAD_AREA_VDSO area, or BPROC_VMAD_NO_AREA.
 * @vvar_area:    index of the VMAD_AREA_VVAR area, or BPROC_VMAD_NO_AREA.
 * @nr_data_areas: how many areas are VMAD_AREA_DATA.
 * @data_pages:   pages in all DATA areas: the most page data can carry.
 * @min_addr:     the lowest area start (for a check against mmap_min_addr).
 */
struct bproc_vmad_image {
	const u8 *buf;
	u64 prefix_size;
	u32 version;
	u32 dump_flags;
	u32 seal;
	struct {
		u32 off;
		u32 size;
	} rec[VMAD_REC_NR + 1];
	u32 nr_areas;
	u32 nr_strings;
	u32 nr_auxv;
	u32 ngroups;
	u32 strings;
	u32 xstate_size;
	u64 xfeatures;
	u32 vdso_area;
	u32 vvar_area;
	u32 nr_data_areas;
	u64 data_pages;
	u64 min_addr;
};

/*
 * struct bproc_vmad_stream - where a reader is in the page data
 * @img:         the validated prefix the chunks belong to.
 * @offset:      image offset of the next chunk header or end trailer.
 * @area:        the next chunk's area index is at least this ...
 * @next_addr:   ... and if equal, its address is at least this.
 * @nr_chunks:   chunks accepted so far.
 * @nr_pages:    pages in them.
 * @data_offset: image offset of the last accepted chunk's pages,
 * @data_size:   their size in bytes,
 * @data_crc:    and their checksum.
 * @done:        the end trailer was accepted, or something failed: every
 *               further check fails.
 */
struct bproc_vmad_stream {
	const struct bproc_vmad_image *img;
	u64 offset;
	u32 area;
	u64 next_addr;
	u64 nr_chunks;
	u64 nr_pages;
	u64 data_offset;
	u64 data_size;
	u32 data_crc;
	bool done;
};

/* ------------------------------------------------------------------ */
/* The prefix                                                         */
/* ------------------------------------------------------------------ */

/*
 * bproc_vmad_check_header - check the 48-byte header
 * @buf: the first @len bytes of the image (@len >= VMAD_HEADER_SIZE, else
 *       -EINVAL).
 * @hdr: if not NULL, receives a copy of the header when it is good; its
 *       prefix_size is then between the smallest possible prefix and
 *       VMAD_PREFIX_MAX.
 */
int bproc_vmad_check_header(const void *buf, size_t len,
			    struct vmad_header *hdr,
			    struct bproc_vmad_err *err);

/*
 * bproc_vmad_check_prefix - check a whole prefix
 * @img: filled in (whatever the result; use it only after a 0 return).
 * @buf: the image from offset 0; at least its prefix_size bytes, more are
 *       ignored (page data, when the caller has it in the same buffer).
 *
 * Checks the header, the order, bounds, padding and checksum of every
 * record, the seal, then every field of every record, and the references
 * between them (string indices, areas), before returning 0.
 */
int bproc_vmad_check_prefix(struct bproc_vmad_image *img, const void *buf,
			    size_t len, struct bproc_vmad_err *err);

/*
 * Accessors for a validated prefix.  They copy (the buffer need not be
 * aligned) and need valid indices: a bad index is a caller bug, which they
 * answer with zeros (or NULL) rather than reading out of bounds.
 */
void bproc_vmad_read(const struct bproc_vmad_image *img, unsigned int type,
		     u32 off, void *out, u32 len);
void bproc_vmad_get_area(const struct bproc_vmad_image *img, u32 i,
			 struct vmad_area *area);
void bproc_vmad_get_auxv(const struct bproc_vmad_image *img, u32 i,
			 struct vmad_auxv *auxv);
u32 bproc_vmad_get_group(const struct bproc_vmad_image *img, u32 i);
/* A NUL-terminated path; *len (if not NULL) gets its length without NUL. */
const char *bproc_vmad_get_string(const struct bproc_vmad_image *img, u32 i,
				  u32 *len);

/* ------------------------------------------------------------------ */
/* Page data                                                          */
/* ------------------------------------------------------------------ */

void bproc_vmad_stream_init(struct bproc_vmad_stream *st,
			    const struct bproc_vmad_image *img);

/*
 * bproc_vmad_check_chunk - check the next chunk header or the end trailer
 * @hdr:   the VMAD_CHUNK_SIZE bytes read from the stream.
 * @chunk: receives the header when it is a good VMAD_CHUNK_PAGES chunk: its
 *         nr_pages pages follow in the stream and go to
 *         [chunk->addr, chunk->addr + chunk->nr_pages * VMAD_PAGE_SIZE),
 *         which lies inside the DATA area chunk->area.
 *
 * Returns 0 for a chunk, BPROC_VMAD_END for a good end trailer (the counts
 * match: the image is complete), or a negative errno.  After
 * BPROC_VMAD_END or any error, every further call fails.
 */
int bproc_vmad_check_chunk(struct bproc_vmad_stream *st, const void *hdr,
			   struct vmad_chunk *chunk,
			   struct bproc_vmad_err *err);

/* Check the pages of the chunk just accepted, all in one buffer. */
int bproc_vmad_check_data(struct bproc_vmad_stream *st, const void *data,
			  size_t len, struct bproc_vmad_err *err);

/*
 * The same, a piece at a time (e.g. page by page, as the kernel copies
 * them): crc = bproc_vmad_crc_begin(); crc = bproc_vmad_crc_add(crc, p, n)
 * over every byte of the chunk's pages in order; then
 * bproc_vmad_crc_check(st, crc, err).
 */
static inline u32 bproc_vmad_crc_begin(void)
{
	return ~0U;
}

static inline u32 bproc_vmad_crc_add(u32 crc, const void *p, size_t len)
{
	return bproc_crc32c(crc, p, len);
}

int bproc_vmad_crc_check(struct bproc_vmad_stream *st, u32 crc,
			 struct bproc_vmad_err *err);

/* CRC-32C of one buffer (initial ~0, final inversion), as the format uses. */
u32 bproc_vmad_crc(const void *p, size_t len);

/* ------------------------------------------------------------------ */
/* A whole image in memory                                            */
/* ------------------------------------------------------------------ */

/*
 * bproc_vmad_check_image - check prefix, every chunk with its data, and the
 * end trailer, which must end exactly at @len.
 */
int bproc_vmad_check_image(struct bproc_vmad_image *img, const void *buf,
			   size_t len, struct bproc_vmad_err *err);

#endif /* BPROC_VMAD_CHECK_H */
