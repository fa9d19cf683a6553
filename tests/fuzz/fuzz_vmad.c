// SPDX-License-Identifier: GPL-2.0
/*
 * tests/fuzz/fuzz_vmad.c - libFuzzer target for the VMADump image validator
 * (common/vmad_check.c), under ASan and UBSan (make fuzz).
 *
 * Each input is checked three ways:
 *  1. as is, in one buffer (bproc_vmad_check_image());
 *  2. the way the kernel reads a stream: header, then a prefix buffer of
 *     exactly prefix_size bytes, then every chunk header and its pages in
 *     buffers of exactly their size, so ASan sees any read past them;
 *  3. again, after every checksum has been recomputed (vmad_reseal()), so
 *     that mutations get past the checksums to the field checks.
 * Whatever the validator accepts must then hold the format's invariants;
 * a violation is a validator bug and traps.
 *
 *   make fuzz
 *   build/fuzz/fuzz_vmad -max_total_time=120 tests/fuzz/corpus/vmad
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/vmad_check.h"
#include "../unit/vmad_sample.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                       \
	do {                              \
		if (!(cond))              \
			__builtin_trap(); \
	} while (0)

static void *dup_exact(const void *p, size_t len)
{
	void *q = malloc(len ? len : 1);

	CHECK(q);
	memcpy(q, p, len);
	return q;
}

/* What an accepted prefix promises; read back through the accessors. */
static void check_invariants(const struct bproc_vmad_image *img)
{
	struct vmad_area a;
	struct vmad_auxv aux;
	const char *s;
	u64 prev_end = 0;
	u32 i, len;

	CHECK(img->prefix_size <= VMAD_PREFIX_MAX);
	CHECK(img->nr_areas >= 1 && img->nr_areas <= VMAD_AREAS_MAX);
	for (i = 0; i < img->nr_areas; i++) {
		bproc_vmad_get_area(img, i, &a);
		CHECK(a.start < a.end && a.end <= VMAD_TASK_SIZE_MAX);
		CHECK(!(a.start % VMAD_PAGE_SIZE) && !(a.end % VMAD_PAGE_SIZE));
		CHECK(a.start >= prev_end);
		CHECK(!(a.prot & ~VMAD_PROT_ALL));
		CHECK(a.path == VMAD_NO_STRING || a.path < img->nr_strings);
		if (a.kind == VMAD_AREA_FILE)
			CHECK(!(a.prot & VMAD_PROT_WRITE) &&
			      a.path != VMAD_NO_STRING);
		prev_end = a.end;
	}
	for (i = 0; i < img->nr_strings; i++) {
		s = bproc_vmad_get_string(img, i, &len);
		CHECK(s && s[0] == '/' && strlen(s) == len);
		CHECK(len < VMAD_PATH_MAX);
	}
	CHECK(img->nr_auxv >= 1 && img->nr_auxv <= VMAD_AUXV_MAX);
	bproc_vmad_get_auxv(img, img->nr_auxv - 1, &aux);
	CHECK(aux.type == 0 && aux.value == 0);
	CHECK(img->ngroups <= VMAD_GROUPS_MAX);
	CHECK(img->xstate_size >= VMAD_XSTATE_MIN &&
	      img->xstate_size <= VMAD_XSTATE_MAX);
}

/* 2: the kernel's way, every piece in a buffer of exactly its size. */
static void check_stream(const u8 *data, size_t size)
{
	struct bproc_vmad_image img;
	struct bproc_vmad_stream st;
	struct vmad_header hdr;
	struct vmad_chunk ch;
	size_t off;
	u8 *p, *prefix;
	int ret;

	if (size < VMAD_HEADER_SIZE)
		return;
	p = dup_exact(data, VMAD_HEADER_SIZE);
	ret = bproc_vmad_check_header(p, VMAD_HEADER_SIZE, &hdr, NULL);
	free(p);
	if (ret)
		return;
	CHECK(hdr.prefix_size <= VMAD_PREFIX_MAX);
	if (hdr.prefix_size > size)
		return;
	prefix = dup_exact(data, hdr.prefix_size);
	ret = bproc_vmad_check_prefix(&img, prefix, hdr.prefix_size, NULL);
	if (ret) {
		free(prefix);
		return;
	}
	check_invariants(&img);
	bproc_vmad_stream_init(&st, &img);
	off = hdr.prefix_size;
	while (size - off >= VMAD_CHUNK_SIZE) {
		p = dup_exact(data + off, VMAD_CHUNK_SIZE);
		ret = bproc_vmad_check_chunk(&st, p, &ch, NULL);
		free(p);
		off += VMAD_CHUNK_SIZE;
		if (ret)
			break;
		CHECK(ch.area < img.nr_areas && ch.nr_pages >= 1 &&
		      ch.nr_pages <= VMAD_CHUNK_PAGES_MAX);
		if (size - off < st.data_size)
			break;
		p = dup_exact(data + off, st.data_size);
		ret = bproc_vmad_check_data(&st, p, st.data_size, NULL);
		free(p);
		off += st.data_size;
		if (ret)
			break;
	}
	/* Done or failed, the stream takes nothing more. */
	if (st.done) {
		u8 zero[VMAD_CHUNK_SIZE] = { 0 };

		CHECK(bproc_vmad_check_chunk(&st, zero, &ch, NULL) == -EINVAL);
	}
	free(prefix);
}

static void check_all(const u8 *data, size_t size)
{
	struct bproc_vmad_image img;
	struct bproc_vmad_err err = { 0 };
	int ret;

	ret = bproc_vmad_check_image(&img, data, size, &err);
	CHECK(ret == 0 || ret == -EINVAL || ret == -ENOEXEC ||
	      ret == -EOPNOTSUPP || ret == -E2BIG || ret == -EBADMSG);
	CHECK(ret == 0 || err.why);
	if (!ret)
		check_invariants(&img);
	check_stream(data, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u8 *copy;

	check_all(data, size);
	copy = dup_exact(data, size);
	vmad_reseal(copy, size);
	check_all(copy, size);
	free(copy);
	return 0;
}
