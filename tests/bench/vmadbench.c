// SPDX-License-Identifier: GPL-2.0
/*
 * vmadbench - VMADump throughput against memcpy, in the same VM.
 *
 *   vmadbench IMAGE [MIB]
 *
 * Fills MIB (default 64) MiB of heap with non-zero data, times memcpy of
 * those bytes (best of 5), then dumps itself to IMAGE (VMAD_DUMP_ALL) and
 * prints the dump's throughput.  The process restored from IMAGE (run
 * `bprestart IMAGE` right after writing the realtime clock in nanoseconds
 * to IMAGE.t0) prints the undump throughput: restore time is measured from
 * that timestamp to the moment the restored process runs again.
 * Figures are printed as "name value unit" lines; ratios against memcpy too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include <sys/bproc.h>

static double now(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	size_t mib = argc > 2 ? strtoul(argv[2], NULL, 10) : 64, len;
	char path[4096];
	double t, best = 1e9, memcpy_mbs;
	uint64_t *src, *dst;
	int fd, i, r;

	if (argc < 2 || argc > 3 || !mib || mib > 4096) {
		fprintf(stderr, "usage: vmadbench IMAGE [MIB]\n");
		return 2;
	}
	len = mib << 20;
	src = malloc(len);
	dst = malloc(len);
	if (!src || !dst)
		return 1;
	for (size_t k = 0; k < len / 8; k++)
		src[k] = k * 0x9e3779b97f4a7c15ULL | 1;
	memset(dst, 1, len);
	for (i = 0; i < 5; i++) {
		t = now(CLOCK_MONOTONIC);
		memcpy(dst, src, len);
		__asm__ volatile("" : : "r"(dst) : "memory");	/* keep the copy */
		t = now(CLOCK_MONOTONIC) - t;
		if (t < best)
			best = t;
	}
	memcpy_mbs = mib / best;
	free(dst);
	printf("memcpy %.0f MiB/s\n", memcpy_mbs);

	/*
	 * What the same bytes cost user space end to end, for scale: write()
	 * to a new file beside IMAGE (the dump's path minus the dump), and
	 * read() of that file into fresh anonymous memory (the undump's).
	 */
	snprintf(path, sizeof(path), "%s.base", argv[1]);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	t = now(CLOCK_MONOTONIC);
	if (write(fd, src, len) != (ssize_t)len)
		return 1;
	t = now(CLOCK_MONOTONIC) - t;
	printf("baseline_write_new_file %.0f MiB/s\n", mib / t);
	char *fresh = malloc(len);
	t = now(CLOCK_MONOTONIC);
	if (!fresh || pread(fd, fresh, len, 0) != (ssize_t)len)
		return 1;
	t = now(CLOCK_MONOTONIC) - t;
	printf("baseline_read_into_new_memory %.0f MiB/s\n", mib / t);
	free(fresh);
	close(fd);
	unlink(path);
	fflush(stdout);	/* not twice: the restored process has our buffers */

	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	t = now(CLOCK_MONOTONIC);
	r = bproc_vmadump(fd, VMAD_DUMP_ALL);
	if (r > 0) {
		t = now(CLOCK_MONOTONIC) - t;
		printf("dump %.0f MiB/s (%d bytes in %.3f s, %.2f of memcpy)\n",
		       mib / t, r, t, mib / t / memcpy_mbs);
		return 0;
	}
	if (r < 0) {
		perror("vmadbench: bproc_vmadump");
		return 1;
	}
	/* Restored. */
	double end = now(CLOCK_REALTIME);
	FILE *f;
	long long t0 = 0;

	snprintf(path, sizeof(path), "%s.t0", argv[1]);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%lld", &t0) != 1) {
		fprintf(stderr, "vmadbench: no %s\n", path);
		return 1;
	}
	fclose(f);
	t = end - t0 / 1e9;
	printf("undump %.0f MiB/s (%.3f s, %.2f of memcpy)\n", mib / t, t, mib / t / memcpy_mbs);
	for (size_t k = 0; k < len / 8; k++)
		if (src[k] != (k * 0x9e3779b97f4a7c15ULL | 1))
			return 1;
	return 0;
}
