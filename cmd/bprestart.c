// SPDX-License-Identifier: GPL-2.0
/*
 * bprestart FILE: restart a process from a VMADump image (a checkpoint made
 * by bpcheckpoint or bproc_vmadump()), in the foreground, in this very
 * process: on success bprestart becomes the restored program, so its exit
 * status is the restored program's.  FILE "-" reads the image from standard
 * input (a pipe works: the image is read sequentially).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/bproc.h>
#include <sys/bproc.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: bprestart FILE\n"
		   "       bprestart -          (image on standard input)\n"
		   "       bprestart -h|--help | -V|--version\n");
}

int main(int argc, char **argv)
{
	const char *file;
	int fd;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc == 2 && (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version"))) {
		printf("bprestart version %s\n", BPROC_VERSION_STRING);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "--")) {
		argv++;
		argc--;
	} else if (argc == 2 && argv[1][0] == '-' && argv[1][1]) {
		fprintf(stderr, "bprestart: unknown option '%s'\n", argv[1]);
		usage(stderr);
		return 2;
	}
	if (argc != 2) {
		usage(stderr);
		return 2;
	}
	file = argv[1];

	if (!strcmp(file, "-")) {
		fd = STDIN_FILENO;
	} else {
		fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "bprestart: cannot open '%s': %s\n", file,
				strerror(errno));
			return 1;
		}
	}

	/* Returns only if the image was refused; we are then intact. */
	bproc_vmaundump(fd);
	fprintf(stderr, "bprestart: cannot restore '%s': %s\n", file,
		strerror(errno));
	return 1;
}
