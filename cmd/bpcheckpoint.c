// SPDX-License-Identifier: GPL-2.0
/*
 * bpcheckpoint [-k] PID FILE - write the image of process PID to FILE.
 *
 * Stops the process if it is not stopped (SIGSTOP, then waits until
 * /proc/PID/stat says 'T'), reads /proc/bproc/PID/image into FILE.tmp,
 * fsyncs and renames it to FILE, so FILE is either the old file or a whole
 * image.  The process is left stopped; with -k it is killed (SIGKILL) once
 * the image is safely written.  Exit 0 on success, 1 on failure, 2 on a
 * usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/bproc.h>

static const char *prog = "bpcheckpoint";

static void print_usage(FILE *f)
{
	fprintf(f, "usage: %s [-k] PID FILE\n"
		   "       %s -h|--help | -V|--version\n"
		   "  -k   kill the process once its image is written\n",
		prog, prog);
}

static void usage(void)
{
	print_usage(stderr);
	exit(2);
}

static int error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

/* The state letter of /proc/PID/stat, or 0 if the process is gone. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* "pid (comm) S ...": comm may hold spaces and ')' */
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || !p[2])
		return 0;
	return p[2];
}

/* Stop @pid if needed and wait (up to 10 s) until it is stopped. */
static int stop_process(pid_t pid)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	char st = proc_state(pid);
	int i;

	if (!st)
		return error("no process %d", (int)pid);
	if (st == 'T')
		return 0;
	if (kill(pid, SIGSTOP) < 0)
		return error("cannot stop process %d: %s", (int)pid,
			     strerror(errno));
	for (i = 0; i < 1000; i++) {
		st = proc_state(pid);
		if (!st)
			return error("process %d went away", (int)pid);
		if (st == 'T')
			return 0;
		nanosleep(&ts, NULL);
	}
	return error("process %d did not stop", (int)pid);
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Copy /proc/bproc/PID/image into @tmp; 0 or 1 (message printed). */
static int copy_image(pid_t pid, const char *tmp)
{
	static char buf[1 << 20];
	char src[64];
	int in, out, ret = 1;
	ssize_t n;

	snprintf(src, sizeof(src), "/proc/bproc/%d/image", (int)pid);
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		if (errno == ENOENT && access("/proc/bproc", F_OK) < 0)
			return error("bproc is not loaded (no /proc/bproc)");
		return error("cannot open '%s': %s", src, strerror(errno));
	}
	out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0) {
		error("cannot create '%s': %s", tmp, strerror(errno));
		goto out_close_in;
	}
	for (;;) {
		n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error("cannot read '%s': %s", src, strerror(errno));
			goto out_close_out;
		}
		if (n == 0)
			break;
		if (write_all(out, buf, (size_t)n) < 0) {
			error("cannot write '%s': %s", tmp, strerror(errno));
			goto out_close_out;
		}
	}
	if (fsync(out) < 0) {
		error("cannot write '%s': %s", tmp, strerror(errno));
		goto out_close_out;
	}
	ret = 0;
out_close_out:
	if (close(out) < 0 && !ret)
		ret = error("cannot write '%s': %s", tmp, strerror(errno));
out_close_in:
	close(in);
	return ret;
}

int main(int argc, char **argv)
{
	char tmp[PATH_MAX];
	int kill_it = 0, opt;
	long pid;
	char *end;

	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};

	while ((opt = getopt_long(argc, argv, "khV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'k':
			kill_it = 1;
			break;
		case 'h':
			print_usage(stdout);
			return 0;
		case 'V':
			printf("%s version %s\n", prog, BPROC_VERSION_STRING);
			return 0;
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	errno = 0;
	pid = strtol(argv[optind], &end, 10);
	if (errno || end == argv[optind] || *end || pid <= 0 || pid > INT_MAX) {
		error("not a process id: '%s'", argv[optind]);
		usage();
	}
	if (!*argv[optind + 1])
		usage();
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", argv[optind + 1]) >=
	    (int)sizeof(tmp))
		return error("file name too long: '%s'", argv[optind + 1]);

	if (stop_process((pid_t)pid))
		return 1;
	if (copy_image((pid_t)pid, tmp)) {
		unlink(tmp);
		return 1;
	}
	if (rename(tmp, argv[optind + 1]) < 0) {
		error("cannot rename '%s' to '%s': %s", tmp, argv[optind + 1],
		      strerror(errno));
		unlink(tmp);
		return 1;
	}
	if (kill_it && kill((pid_t)pid, SIGKILL) < 0)
		return error("cannot kill process %ld: %s", pid,
			     strerror(errno));
	return 0;
}
