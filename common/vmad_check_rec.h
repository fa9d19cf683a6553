/* SPDX-License-Identifier: GPL-2.0-only OR LGPL-2.1-only */
/*
 * The VMADump image validator, inside: what its two files share.
 * common/vmad_check.c walks the image (header, record framing, seal, page
 * data); common/vmad_check_rec.c holds the rules of each record type and
 * the table of their size bounds.  Not for other users: their interface is
 * common/vmad_check.h.
 */
#ifndef BPROC_VMAD_CHECK_REC_H
#define BPROC_VMAD_CHECK_REC_H

#include "vmad_check.h"

#define VMAD_ALIGN8(x) (((x) + 7) & ~(u64)7)
#define VMAD_PAGE_MASK ((u64)VMAD_PAGE_SIZE - 1)

struct vmad_ctx {
	struct bproc_vmad_image *img;
	const u8 *buf;
	struct bproc_vmad_err *err;
};

/* Record a failure for the caller's log line and return the errno. */
static inline int vmad_fail(struct bproc_vmad_err *err, int errno_, u64 offset,
			    const char *why)
{
	if (err) {
		err->why = why;
		err->offset = offset;
	}
	return errno_;
}

#define FAIL(c, errno_, off, why) vmad_fail((c)->err, (errno_), (off), (why))

static inline bool vmad_zero(const u8 *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

static inline bool vmad_page_aligned(u64 x)
{
	return !(x & VMAD_PAGE_MASK);
}
/*
 * Each check gets a record's payload: @p, @size bytes (within the bounds of
 * its type, see bproc_vmad_rec_types[]), at offset @off of the image.
 */
struct vmad_payload {
	const u8 *p;
	u32 size;
	u64 off;
};

typedef int (*vmad_check_fn)(struct vmad_ctx *c, const struct vmad_payload *r);

/*
 * Payload size bounds of each record type, and its check
 * (common/vmad_check_rec.c); indexed by VMAD_REC_*.
 */
struct bproc_vmad_rec_type {
	u32 min;
	u32 max;
	vmad_check_fn check;
};

extern const struct bproc_vmad_rec_type bproc_vmad_rec_types[VMAD_REC_NR + 1];

#endif /* BPROC_VMAD_CHECK_REC_H */
