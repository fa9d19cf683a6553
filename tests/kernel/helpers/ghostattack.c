// SPDX-License-Identifier: GPL-2.0
/*
 * ghostattack: attacks on a ghost by its own owner or by a stranger
 * (tests/kernel/t0410-sec-ghost-usermode.sh, t0411-sec-ghost-resume-fd.sh).
 *
 *   ghostattack mem NODE VICTIM    a child moves to NODE; once its ghost
 *                                  made a call (so its code page holds the
 *                                  call snippet), we rewrite that snippet
 *                                  through /proc/CHILD/mem so that it
 *                                  reports VICTIM as the result of every
 *                                  call, and the child forks twice on the
 *                                  node: a ghost registered for VICTIM,
 *                                  then, as that one exists, VICTIM killed
 *   ghostattack ptrace NODE        the same child; we PTRACE_SEIZE its ghost
 *   ghostattack getfd NODE         the same child; we take its ghost's
 *                                  resume descriptor (pidfd_getfd) and a
 *                                  fresh process of ours, no ghost, calls
 *                                  ioctl(BPROC_IOC_GHOST) on it
 *
 * Prints one line per step ("mem: EACCES", "fork 1: 123", ...).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/bproc.h>
#include <sys/bproc.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

static const char *ename(int e)
{
	static char buf[16];

	switch (e) {
	case EPERM:
		return "EPERM";
	case EACCES:
		return "EACCES";
	case ESRCH:
		return "ESRCH";
	case EIO:
		return "EIO";
	case EBUSY:
		return "EBUSY";
	case EINVAL:
		return "EINVAL";
	}
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

/* The child: moves, makes a call, says "ready", forks twice on USR1. */
static void child(int node, int out)
{
	sigset_t usr1;
	int i, sig;

	dup2(out, 1);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	if (bproc_move(node, BPROC_DUMP_ALL)) {
		printf("move failed: %s\n", ename(errno));
		exit(99);
	}
	getppid(); /* a call made by the ghost: its snippet is written */
	printf("ready\n");
	fflush(stdout);
	sigwait(&usr1, &sig);
	for (i = 1; i <= 2; i++) {
		pid_t c = fork();

		if (c == 0)
			_exit(0);
		if (c < 0) {
			printf("fork %d: %s\n", i, ename(errno));
		} else {
			printf("fork %d: ok\n", i);
			waitpid(c, NULL, 0);
		}
		fflush(stdout);
	}
	exit(0);
}

/* Rewrite the ghost's call snippet: "mov edx,VICTIM; ioctl(fd, CALLRET)". */
static void attack_mem(pid_t g, int victim)
{
	unsigned long lo, hi;
	char path[64], line[256], perm[8];
	unsigned char b[32], *p = b;
	int mem, found = 0;
	unsigned int v;
	FILE *maps;

	snprintf(path, sizeof(path), "/proc/%d/maps", g);
	maps = fopen(path, "r");
	if (!maps) {
		printf("maps: %s\n", ename(errno));
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/mem", g);
	mem = open(path, O_RDWR);
	if (mem < 0) {
		printf("mem: %s\n", ename(errno));
		fclose(maps);
		return;
	}
	while (!found && fgets(line, sizeof(line), maps)) {
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perm) != 3 ||
		    hi - lo != 4096 || strcmp(perm, "r-xp"))
			continue;
		if (pread(mem, b, sizeof(b), lo + 16) != sizeof(b))
			continue;
		if (b[0] == 0x0f && b[1] == 0x05 && b[2] == 0x48 &&
		    b[5] == 0xbf)
			found = 1;
	}
	fclose(maps);
	if (!found) {
		printf("mem: no call snippet\n");
		close(mem);
		return;
	}
	memcpy(&v, b + 6, 4); /* the resume descriptor */
	*p++ = 0xba; /* mov edx,victim */
	memcpy(p, &victim, 4);
	p += 4;
	*p++ = 0xbf; /* mov edi,fd */
	memcpy(p, &v, 4);
	p += 4;
	*p++ = 0xbe; /* mov esi,CALLRET */
	v = BPROC_IOC_GHOST_CALLRET;
	memcpy(p, &v, 4);
	p += 4;
	*p++ = 0xb8; /* mov eax,__NR_ioctl */
	v = SYS_ioctl;
	memcpy(p, &v, 4);
	p += 4;
	*p++ = 0x0f;
	*p++ = 0x05;
	*p++ = 0x0f;
	*p++ = 0x0b;
	if (pwrite(mem, b, p - b, lo + 16) != p - b)
		printf("mem write: %s\n", ename(errno));
	else
		printf("mem: patched\n");
	close(mem);
}

static int resume_fd_of(pid_t g)
{
	char path[64], link[64];
	int fd;

	for (fd = 0; fd < 64; fd++) {
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/%d/fd/%d", g, fd);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = 0;
		if (strstr(link, "bproc-ghost"))
			return fd;
	}
	return -1;
}

static void attack_getfd(pid_t g)
{
	int pfd, fd = resume_fd_of(g), st;
	pid_t s;

	if (fd < 0) {
		printf("getfd: no resume descriptor\n");
		return;
	}
	pfd = syscall(SYS_pidfd_open, g, 0);
	if (pfd < 0) {
		printf("pidfd_open: %s\n", ename(errno));
		return;
	}
	fd = syscall(SYS_pidfd_getfd, pfd, fd, 0);
	if (fd < 0) {
		printf("pidfd_getfd: %s\n", ename(errno));
		return;
	}
	fflush(stdout);
	s = fork();
	if (s == 0) {
		long r = ioctl(fd, BPROC_IOC_GHOST, 0);

		printf("stranger ioctl: %s\n", r < 0 ? ename(errno) : "served");
		exit(0);
	}
	waitpid(s, &st, 0);
	if (WIFSIGNALED(st))
		printf("stranger killed by signal %d\n", WTERMSIG(st));
	close(fd);
	close(pfd);
}

int main(int argc, char **argv)
{
	char line[128];
	int node, io[2], st;
	FILE *in;
	pid_t g;

	if (argc < 3 || (!strcmp(argv[1], "mem") && argc != 4)) {
		fprintf(stderr,
			"usage: ghostattack mem|ptrace|getfd NODE [VICTIM]\n");
		return 2;
	}
	node = atoi(argv[2]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pipe(io))
		return 1;
	g = fork();
	if (g == 0) {
		close(io[0]);
		child(node, io[1]);
	}
	close(io[1]);
	in = fdopen(io[0], "r");
	if (!fgets(line, sizeof(line), in) || strcmp(line, "ready\n")) {
		printf("child: %s", line);
		kill(g, SIGKILL);
		return 1;
	}
	if (!strcmp(argv[1], "mem")) {
		attack_mem(g, atoi(argv[3]));
	} else if (!strcmp(argv[1], "ptrace")) {
		if (ptrace(PTRACE_SEIZE, g, 0, 0))
			printf("ptrace: %s\n", ename(errno));
		else
			printf("ptrace: attached\n");
	} else {
		attack_getfd(g);
	}
	kill(g, SIGUSR1);
	while (fgets(line, sizeof(line), in))
		fputs(line, stdout);
	waitpid(g, &st, 0);
	printf("child exit %d\n",
	       WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return 0;
}
