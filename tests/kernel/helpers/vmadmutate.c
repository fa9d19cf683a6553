// SPDX-License-Identifier: GPL-2.0
/*
 * vmadmutate - turn one real VMADump image into a corpus of damaged and
 * hostile ones (qemu tests of VMADump; runs on the host).
 *
 *   vmadmutate IMAGE OUTDIR
 *
 * Writes OUTDIR/NN-name.img, one file per case, and prints their names.
 * Three families:
 *  - truncations (at the header, in the prefix, in page data, before the
 *    end trailer) and bit flips without fixing checksums: caught by framing
 *    and checksums;
 *  - "resealed" attacks: a field set to a hostile value and every checksum
 *    recomputed (vmad_reseal), so that the field checks themselves are what
 *    stands between the image and the kernel: kernel addresses, overlapping
 *    and unaligned areas, huge sizes, bad protections and kinds, kernel
 *    code segment, non-canonical fs_base, an instruction pointer in the
 *    kernel, bad path indices;
 *  - page data damaged after a valid prefix (past the point of no return):
 *    must end in SIGKILL, never in a half-restored process.
 * Every case must fail: with an errno before the point of no return, or
 * SIGKILL after it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../unit/vmad_sample.h"

static u8 *img;
static size_t img_len;
static const char *outdir;
static int nr;

struct rec {
	size_t off;	/* payload offset */
	u32 size;
};
static struct rec recs[VMAD_REC_NR + 1];

static void emit(const char *name, const u8 *buf, size_t len, int reseal)
{
	char path[4096];
	u8 *copy = malloc(len ? len : 1);
	FILE *f;

	if (!copy)
		exit(1);
	memcpy(copy, buf, len);
	if (reseal)
		vmad_reseal(copy, len);
	snprintf(path, sizeof(path), "%s/%02d-%s.img", outdir, nr++, name);
	f = fopen(path, "w");
	if (!f || fwrite(copy, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
	printf("%s\n", path);
	free(copy);
}

/* A copy of the image with the 8/4/2-byte field at @off set to @v, resealed. */
static void poke(const char *name, size_t off, u64 v, int width)
{
	u8 *c = malloc(img_len);

	if (!c || off + (size_t)width > img_len)
		exit(1);
	memcpy(c, img, img_len);
	memcpy(c + off, &v, (size_t)width);	/* little-endian */
	emit(name, c, img_len, 1);
	free(c);
}

static void find_records(void)
{
	const struct vmad_header *h = (const void *)img;
	size_t off = sizeof(*h);

	while (off + sizeof(struct vmad_record) <= h->prefix_size) {
		struct vmad_record r;

		memcpy(&r, img + off, sizeof(r));
		if (r.type == 0 || r.type > VMAD_REC_NR)
			break;
		recs[r.type].off = off + sizeof(r);
		recs[r.type].size = r.size;
		off += sizeof(r) + ((r.size + 7) & ~7u);
	}
}

#define AREA(i, field) (recs[VMAD_REC_AREAS].off + (i) * sizeof(struct vmad_area) + \
			offsetof(struct vmad_area, field))
#define REG(field) (recs[VMAD_REC_REGS].off + offsetof(struct vmad_regs, field))

int main(int argc, char **argv)
{
	const struct vmad_header *h;
	struct bproc_vmad_image vi;
	struct bproc_vmad_err why = { 0 };
	FILE *f;
	u32 nareas, i;
	long sz;
	int err;

	if (argc != 3) {
		fprintf(stderr, "usage: vmadmutate IMAGE OUTDIR\n");
		return 2;
	}
	outdir = argv[2];
	f = fopen(argv[1], "r");
	if (!f || fseek(f, 0, SEEK_END) || (sz = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET))
		return perror(argv[1]), 1;
	img_len = (size_t)sz;
	img = malloc(img_len);
	if (!img || fread(img, 1, img_len, f) != img_len)
		return perror(argv[1]), 1;
	fclose(f);
	err = bproc_vmad_check_image(&vi, img, img_len, &why);
	if (err) {
		fprintf(stderr, "vmadmutate: %s is not a valid image: %s (at byte %llu)\n",
			argv[1], why.why ? why.why : strerror(-err),
			(unsigned long long)why.offset);
		return 1;
	}
	h = (const void *)img;
	find_records();
	nareas = recs[VMAD_REC_AREAS].size / sizeof(struct vmad_area);
	if (!nareas || !recs[VMAD_REC_REGS].off)
		return fprintf(stderr, "vmadmutate: no areas or registers\n"), 1;

	/* Truncations and flips: framing and checksums. */
	emit("empty", img, 0, 0);
	emit("half-header", img, 20, 0);
	emit("half-prefix", img, h->prefix_size / 2, 0);
	emit("prefix-only", img, h->prefix_size, 0);
	emit("half-data", img, h->prefix_size + (img_len - h->prefix_size) / 2, 0);
	emit("no-trailer", img, img_len - 8, 0);
	for (i = 0; i < 6; i++) {
		u8 *c = malloc(img_len);
		size_t at = i < 3 ? (size_t)(i + 1) * h->prefix_size / 4
				  : h->prefix_size + (size_t)(i - 2) * (img_len - h->prefix_size) / 4;
		char name[32];

		memcpy(c, img, img_len);
		c[at] ^= (u8)(1u << (i % 8));
		snprintf(name, sizeof(name), "flip-%s-%u", i < 3 ? "prefix" : "data", i);
		emit(name, c, img_len, 0);
		free(c);
	}

	/* Resealed hostile fields. */
	poke("area-kernel-address", AREA(0, start), 0xffff888000000000ULL, 8);
	poke("area-end-kernel", AREA(nareas - 1, end), 0xffffffffff600000ULL, 8);
	poke("area-unaligned", AREA(0, start), 0x400123ULL, 8);
	poke("area-empty", AREA(0, end), ((const struct vmad_area *)(img + AREA(0, start)))->start, 8);
	if (nareas > 1)
		poke("area-overlap", AREA(1, start), ((const struct vmad_area *)(img + AREA(0, start)))->start, 8);
	poke("area-huge", AREA(0, end), 0x7ffffffff000ULL, 8);
	poke("area-bad-prot", AREA(0, prot), 0xff, 2);
	poke("area-bad-kind", AREA(0, kind), 0x77, 1);
	poke("area-bad-path", AREA(0, path), 0xfffffff0u, 4);
	poke("area-count-huge", recs[VMAD_REC_AREAS].off - sizeof(struct vmad_record) +
	     offsetof(struct vmad_record, size), 0xfffffff0u, 4);
	poke("regs-kernel-cs", REG(cs), 0x10, 8);
	poke("regs-kernel-ip", REG(ip), 0xffffffff81000000ULL, 8);
	poke("regs-fs-base-noncanonical", REG(fs_base), 0x8000000000000000ULL, 8);
	poke("regs-iopl3", REG(flags), 0x3202, 8);
	poke("header-prefix-huge", offsetof(struct vmad_header, prefix_size), 1ULL << 40, 8);
	poke("header-version-99", offsetof(struct vmad_header, version), 99, 4);

	/* Page data damaged behind a valid prefix: past the point of no return. */
	if (img_len > h->prefix_size + 64) {
		u8 *c = malloc(img_len);

		memcpy(c, img, img_len);
		c[img_len - 4096 - 100] ^= 0x40;	/* inside the last chunk's pages */
		emit("late-data-flip", c, img_len, 0);
		free(c);
	}
	return 0;
}
