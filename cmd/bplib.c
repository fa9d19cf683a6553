// SPDX-License-Identifier: GPL-2.0
/*
 * bplib -c | -a PATH... | -d PATH... | -l: the remote-file list of VMADump
 * (/proc/bproc/libraries), with the options of bproc 4's bplib: clear it,
 * add or delete entries, list it.  A PATH of "-" reads paths from standard
 * input, one per line.  -a and -d go on past a path that fails and exit 1
 * at the end; bad usage exits 2 before anything is changed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bproc.h>
#include <sys/bproc.h>

enum mode { MODE_NONE, MODE_CLEAR, MODE_ADD, MODE_DEL, MODE_LIST };

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: bplib -c             clear the remote-file list\n"
		"       bplib -a PATH...     add PATHs (\"-\": read them from stdin)\n"
		"       bplib -d PATH...     delete PATHs (\"-\": read them from stdin)\n"
		"       bplib -l             print the list, one path per line\n"
		"       bplib -h | -v        this help | the version\n"
		"A PATH ending in '/' stands for every file under that directory.\n");
}

/* Add or delete one path.  Returns 0, or 1 after a message. */
static int one(enum mode mode, const char *path)
{
	int r;

	if (path[0] != '/') {
		fprintf(stderr, "bplib: '%s': not an absolute path\n", path);
		return 1;
	}
	r = mode == MODE_ADD ? bproc_libadd(path) : bproc_libdel(path);
	if (r < 0) {
		fprintf(stderr, "bplib: cannot %s '%s': %s\n",
			mode == MODE_ADD ? "add" : "delete", path,
			bproc_strerror(errno));
		return 1;
	}
	return 0;
}

/* Paths from standard input, one per line; empty lines are skipped. */
static int from_stdin(enum mode mode)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int failed = 0;

	while ((len = getline(&line, &cap, stdin)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (len)
			failed |= one(mode, line);
	}
	free(line);
	return failed;
}

static int print_list(void)
{
	char **paths = NULL;
	int i, n;

	n = bproc_liblist(&paths);
	if (n < 0) {
		fprintf(stderr, "bplib: cannot read the remote-file list: %s\n",
			bproc_strerror(errno));
		return 1;
	}
	for (i = 0; i < n && paths[i]; i++) {
		printf("%s\n", paths[i]);
		free(paths[i]);
	}
	free(paths);
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "bplib: write error: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	enum mode mode = MODE_NONE;
	int c, i, failed = 0;

	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};

	while ((c = getopt_long(argc, argv, "hvVcadl", longopts, NULL)) != -1) {
		enum mode m;

		switch (c) {
		case 'h':
			print_usage(stdout);
			return 0;
		case 'v':
		case 'V':
			printf("bplib version %s\n", BPROC_VERSION_STRING);
			return 0;
		case 'c':
			m = MODE_CLEAR;
			break;
		case 'a':
			m = MODE_ADD;
			break;
		case 'd':
			m = MODE_DEL;
			break;
		case 'l':
			m = MODE_LIST;
			break;
		default:
			print_usage(stderr);
			return 2;
		}
		if (mode != MODE_NONE && mode != m) {
			fprintf(stderr,
				"bplib: -c, -a, -d and -l exclude each other\n");
			return 2;
		}
		mode = m;
	}

	switch (mode) {
	case MODE_CLEAR:
	case MODE_LIST:
		if (optind < argc) {
			fprintf(stderr, "bplib: -%c takes no paths\n",
				mode == MODE_CLEAR ? 'c' : 'l');
			return 2;
		}
		if (mode == MODE_LIST)
			return print_list();
		if (bproc_libclear() < 0) {
			fprintf(stderr,
				"bplib: cannot clear the remote-file list: %s\n",
				bproc_strerror(errno));
			return 1;
		}
		return 0;
	case MODE_ADD:
	case MODE_DEL:
		if (optind == argc) {
			fprintf(stderr, "bplib: -%c needs at least one PATH\n",
				mode == MODE_ADD ? 'a' : 'd');
			return 2;
		}
		for (i = optind; i < argc; i++) {
			if (!strcmp(argv[i], "-"))
				failed |= from_stdin(mode);
			else
				failed |= one(mode, argv[i]);
		}
		return failed;
	default:
		print_usage(stderr);
		return 2;
	}
}
