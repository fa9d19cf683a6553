// SPDX-License-Identifier: GPL-2.0
/*
 * tests/fuzz/vmad_seeds.c - write the seed corpus of fuzz_vmad: a few valid
 * images built from the unit tests' sample (tests/unit/vmad_sample.c).
 *
 *   make fuzz-seeds-vmad      (rewrites tests/fuzz/corpus/vmad/)
 */
#include <stdio.h>
#include <stdlib.h>

#include "../unit/vmad_sample.h"

static int write_seed(const char *dir, const char *name,
		      const struct vmad_sample *s)
{
	struct vmad_blob b;
	char path[4096];
	FILE *f;
	int ok;

	if (vmad_sample_build(s, &b)) {
		fprintf(stderr, "vmad_seeds: %s: cannot build\n", name);
		return 1;
	}
	if (bproc_vmad_check_image(&(struct bproc_vmad_image){ 0 }, b.buf,
				   b.len, NULL)) {
		fprintf(stderr, "vmad_seeds: %s: not a valid image\n", name);
		free(b.buf);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	ok = f && fwrite(b.buf, 1, b.len, f) == b.len;
	if (f && fclose(f))
		ok = 0;
	if (!ok)
		perror(path);
	free(b.buf);
	return !ok;
}

int main(int argc, char **argv)
{
	struct vmad_sample s;
	int err = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: vmad_seeds DIR\n");
		return 2;
	}

	/* The sample: file references, data areas, vdso, four chunks. */
	vmad_sample_init(&s);
	err |= write_seed(argv[1], "sample", &s);

	/* The same without page data: the prefix and the end trailer. */
	s.nr_chunks = 0;
	err |= write_seed(argv[1], "prefix-only", &s);

	/* One page of page data. */
	s.nr_chunks = 1;
	s.chunks[0].nr_pages = 1;
	err |= write_seed(argv[1], "one-page", &s);

	/* Self-contained (VMAD_DUMP_ALL): every file area sent as data;
	 * a signal stack, no rseq, no vdso, no exe.
	 */
	vmad_sample_init(&s);
	s.dump_flags = VMAD_DUMP_ALL;
	s.areas[AREA_EXE_RO].kind = VMAD_AREA_DATA;
	s.areas[AREA_EXE_TEXT].kind = VMAD_AREA_DATA;
	s.areas[AREA_LIBC_TEXT].kind = VMAD_AREA_DATA;
	s.areas[AREA_EXE_RO].file_size = s.areas[AREA_EXE_RO].file_crc = 0;
	s.areas[AREA_EXE_TEXT].file_size = s.areas[AREA_EXE_TEXT].file_crc = 0;
	s.areas[AREA_LIBC_TEXT].file_size = 0;
	s.areas[AREA_LIBC_TEXT].file_crc = 0;
	s.areas[AREA_VDSO].kind = VMAD_AREA_DATA;
	s.areas[AREA_VVAR].kind = VMAD_AREA_DATA;
	s.thread.rseq = 0;
	s.thread.rseq_len = 0;
	s.thread.rseq_sig = 0;
	s.thread.ss_flags = VMAD_SS_AUTODISARM;
	s.thread.ss_sp = 0x7ffff0000000;
	s.thread.ss_size = 0x10000;
	s.proc.exe = VMAD_NO_STRING;
	s.chunks[0] =
		(struct vmad_sample_chunk){ AREA_EXE_RO, 0x400000, 1, 0x55 };
	s.chunks[1] =
		(struct vmad_sample_chunk){ AREA_EXE_TEXT, 0x401000, 1, 0x66 };
	s.chunks[2] = (struct vmad_sample_chunk){ AREA_LIBC_TEXT,
						  0x7ffff7d81000, 1, 0x77 };
	s.nr_chunks = 3;
	err |= write_seed(argv[1], "dump-all", &s);
	return err;
}
