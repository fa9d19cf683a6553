/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tests/unit/vmad_sample.h - sample VMADump images for the validator's unit
 * tests and the fuzz target's seeds.
 *
 * struct vmad_sample describes an image field by field; vmad_sample_init()
 * fills in a plausible dynamically linked process (valid), a test changes
 * what it wants, and vmad_sample_build() writes the image with correct
 * checksums, so a test reaches the field check it aims at.
 */
#ifndef VMAD_SAMPLE_H
#define VMAD_SAMPLE_H

#include <stddef.h>

#include "../../common/vmad_build.h"
#include "../../common/vmad_check.h"

#define SAMPLE_MAX 16 /* areas, strings, chunks, groups */
#define SAMPLE_XSTATE_SIZE 832 /* legacy + header + AVX */

struct vmad_sample_chunk {
	u32 area;
	u64 addr;
	u32 nr_pages;
	u8 fill; /* page bytes are fill ^ (offset & 0xff) */
};

struct vmad_sample {
	u32 dump_flags;
	struct vmad_regs regs;
	u32 xstate_size;
	u8 xstate[VMAD_XSTATE_MAX + 8];
	struct vmad_thread thread;
	struct vmad_signals signals;
	struct vmad_mm mm;
	struct vmad_auxv auxv[VMAD_AUXV_MAX];
	struct vmad_cred cred;
	u32 groups[SAMPLE_MAX];
	struct vmad_proc proc;
	u32 nr_areas;
	struct vmad_area areas[SAMPLE_MAX];
	u32 nr_strings;
	const char *strings[SAMPLE_MAX];
	u32 nr_chunks;
	struct vmad_sample_chunk chunks[SAMPLE_MAX];
	/* When raw[type] is set, that record's payload is these bytes. */
	const void *raw[VMAD_REC_NR + 1];
	size_t raw_len[VMAD_REC_NR + 1];
};

/* Indices of the sample's areas, strings and chunks. */
enum {
	AREA_EXE_RO,
	AREA_EXE_TEXT,
	AREA_EXE_DATA,
	AREA_HEAP,
	AREA_LIBC_TEXT,
	AREA_VVAR,
	AREA_VDSO,
	AREA_STACK,
	AREA_NR
};
enum { STR_CWD, STR_EXE, STR_LIBC, STR_NR };

/*
 * A built image (malloc'd): @prefix_size bytes of prefix, then page data.
 * @seal is the prefix's seal; @chunk_off[i] is where chunk i's header is,
 * @end_off where the end trailer is.
 */
struct vmad_blob {
	u8 *buf;
	size_t len;
	size_t prefix_size;
	u32 seal;
	size_t chunk_off[SAMPLE_MAX];
	size_t end_off;
};

void vmad_sample_init(struct vmad_sample *s);
/* Build @s into @out; returns 0 or a builder errno.  Free out->buf. */
int vmad_sample_build(const struct vmad_sample *s, struct vmad_blob *out);

/* The byte offset of record @type's payload in a built prefix, or 0. */
size_t vmad_blob_record(const struct vmad_blob *b, u32 type);

/*
 * Recompute every checksum of a (possibly damaged) image in place, as far
 * as its framing can be followed: header, records, seal, chunk headers,
 * page data, end trailer.  Lets tests and the fuzzer change fields and still
 * reach the field checks.
 */
void vmad_reseal(u8 *buf, size_t len);

/* The bit-at-a-time CRC-32C reference the table-driven one is tested by. */
u32 vmad_crc32c_ref(u32 crc, const void *p, size_t len);

#endif /* VMAD_SAMPLE_H */
