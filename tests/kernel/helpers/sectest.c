// SPDX-License-Identifier: GPL-2.0
/*
 * sectest - attacks on /proc/bproc/<pid>/image and on the restorer, for
 * the security tests (tests/kernel/t0400-sec-*.sh, Documentation/security.md).
 * Self-contained: its TAP lines are its own (a plan, then "ok"/"not ok").
 *
 *   sectest execread PROG SECRET TAG
 *	item 1: open the image of our own stopped child, let the child exec
 *	PROG (a setuid-root copy of sectest) which loads SECRET (a root-only
 *	file holding "BPROC-SECRET-TAG") into its memory, stop it again,
 *	read the image.  TAP: the image must not contain that string.
 *   sectest capread PROG
 *	item 5: our own child execs PROG (a copy of sectest with file
 *	capabilities) and stops; TAP: its image is refused (EACCES).
 *   sectest hold SECRET   (as PROG) load SECRET into .bss, say so on fd 3,
 *			   wait
 *   sectest stop	   stop ourselves (SIGSTOP), then exit 0
 *   sectest canread PID   open /proc/bproc/PID/image; prints "open ok" or
 *			   "open: <error>"; exit 0 / 1
 *   sectest childread	   the same for a child of ours that stopped itself
 *   sectest cwddump IMG DIR
 *	item 10: chdir(DIR), dump ourselves to IMG (bproc_vmadump).  The
 *	restored process prints "cwd <its cwd>" and "secret <contents of
 *	./secret, or the error>".
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sys/bproc.h>

static int tap_n;
static int tap_bad;

static void tap(int ok, const char *desc)
{
	printf("%sok %d - %s\n", ok ? "" : "not ", ++tap_n, desc);
	if (!ok)
		tap_bad = 1;
}

static int tap_end(void)
{
	printf("1..%d\n", tap_n);
	fflush(stdout);
	return tap_bad;
}

/* Lives in .bss at the same address in every copy of this static binary. */
static char secret_buf[65536];

static int hold(const char *secret)
{
	int fd = open(secret, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 2;
	n = read(fd, secret_buf, sizeof(secret_buf) - 1);
	close(fd);
	if (n <= 0)
		return 2;
	if (write(3, "r", 1) != 1)
		return 2;
	for (;;)
		pause();
}

/* Wait until @pid is stopped; 0, or -1 if it ended. */
static int wait_stopped(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, WUNTRACED) != pid || !WIFSTOPPED(st))
		return -1;
	return 0;
}

static void kill_child(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static int open_image(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/bproc/%d/image", (int)pid);
	return open(path, O_RDONLY);
}

/* Read @fd to its end or first error; *@err is 0 or that errno. */
static char *read_all(int fd, size_t *len, int *err)
{
	size_t cap = 1 << 20, n = 0;
	char *buf = malloc(cap);

	*err = 0;
	while (buf) {
		ssize_t r;

		if (n == cap) {
			char *nb = realloc(buf, cap * 2);

			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			*err = errno;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	*len = n;
	return buf;
}

static int execread(const char *prog, const char *secret, const char *tag)
{
	char marker[128], *img, c;
	int p[2], fd, err;
	size_t len = 0;
	pid_t pid;

	if (pipe(p))
		return 2;
	pid = fork();
	if (pid < 0)
		return 2;
	if (!pid) {
		dup2(p[1], 3);
		kill(getpid(), SIGSTOP);
		execl(prog, prog, "hold", secret, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	/*
	 * The secret file holds "BPROC-SECRET-" TAG; made only after the fork,
	 * so the child's own memory (argv holds TAG alone) never matches.
	 */
	snprintf(marker, sizeof(marker), "%s-%s", "BPROC-SECRET", tag);
	if (wait_stopped(pid))
		return 2;
	fd = open_image(pid);
	tap(fd >= 0, "the image of one's own stopped child opens");
	if (fd < 0) {
		printf("#   open: %s\n", strerror(errno));
		kill_child(pid);
		return tap_end();
	}
	/* Let it exec the setuid program, and stop that once it holds the secret. */
	kill(pid, SIGCONT);
	if (read(p[0], &c, 1) != 1) {
		printf("#   the setuid program did not start\n");
		kill_child(pid);
		tap(0, "the setuid program loaded the secret");
		return tap_end();
	}
	kill(pid, SIGSTOP);
	if (wait_stopped(pid))
		return 2;
	img = read_all(fd, &len, &err);
	printf("#   read %zu bytes of image, then %s\n", len,
	       err ? strerror(err) : "end of file");
	tap(img && !memmem(img, len, marker, strlen(marker)),
	    "the image read after a setuid exec holds none of its memory");
	free(img);
	close(fd);
	kill_child(pid);
	return tap_end();
}

static int capread(const char *prog)
{
	char path[64], line[256];
	int fd, caps = 0;
	FILE *f;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return 2;
	if (!pid) {
		execl(prog, prog, "stop", (char *)NULL);
		_exit(127);
	}
	if (wait_stopped(pid))
		return 2;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "CapPrm:", 7) && strtoull(line + 7, NULL, 16))
			caps = 1;
	if (f)
		fclose(f);
	tap(caps, "the stopped child holds permitted capabilities (file caps)");
	fd = open_image(pid);
	tap(fd < 0 && errno == EACCES,
	    "the image of a child with more capabilities than its reader is refused (EACCES)");
	if (fd >= 0)
		printf("#   the image opened\n");
	else
		printf("#   open: %s\n", strerror(errno));
	if (fd >= 0)
		close(fd);
	kill_child(pid);
	return tap_end();
}

static int canread(pid_t pid)
{
	int fd = open_image(pid);

	if (fd < 0) {
		printf("open: %s\n", strerror(errno));
		return 1;
	}
	printf("open ok\n");
	close(fd);
	return 0;
}

static int childread(void)
{
	pid_t pid = fork();
	int r;

	if (pid < 0)
		return 2;
	if (!pid) {
		raise(SIGSTOP);
		_exit(0);
	}
	if (wait_stopped(pid))
		return 2;
	r = canread(pid);
	kill_child(pid);
	return r;
}

static int cwddump(const char *img, const char *dir)
{
	char cwd[4096], buf[256];
	int fd;
	long r;
	ssize_t n;

	if (chdir(dir)) {
		perror(dir);
		return 2;
	}
	fd = open(img, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(img);
		return 2;
	}
	r = bproc_vmadump(fd, VMAD_DUMP_ALL);
	if (r < 0) {
		perror("bproc_vmadump");
		return 2;
	}
	if (r > 0) {
		close(fd);
		printf("dumped\n");
		return 0;
	}
	/* The restored process. */
	printf("uid %d cwd %s\n", (int)getuid(),
	       getcwd(cwd, sizeof(cwd)) ? cwd : strerror(errno));
	fd = open("secret", O_RDONLY);
	if (fd < 0) {
		printf("secret %s\n", strerror(errno));
		return 0;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	printf("secret %s\n", buf);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(cmd, "execread") && argc == 5)
		return execread(argv[2], argv[3], argv[4]);
	if (!strcmp(cmd, "capread") && argc == 3)
		return capread(argv[2]);
	if (!strcmp(cmd, "hold") && argc == 3)
		return hold(argv[2]);
	if (!strcmp(cmd, "stop") && argc == 2)
		return raise(SIGSTOP) ? 2 : 0;
	if (!strcmp(cmd, "canread") && argc == 3)
		return canread(atoi(argv[2]));
	if (!strcmp(cmd, "childread") && argc == 2)
		return childread();
	if (!strcmp(cmd, "cwddump") && argc == 4)
		return cwddump(argv[2], argv[3]);
	fprintf(stderr, "usage: sectest execread|capread|hold|stop|canread|childread|cwddump ...\n");
	return 2;
}
