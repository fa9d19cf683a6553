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
 *   ghostattack premem NODE VICTIM the same, through /proc/CHILD/{maps,mem}
 *                                  opened before the child moved, while it
 *                                  was still dumpable
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

/*
 * The child: waits for a byte on @go (if >= 0), moves, makes a call, says
 * "ready", forks twice on USR1.
 */
static void child(int node, int out, int go)
{
	sigset_t usr1;
	int i, sig;
	char b;

	dup2(out, 1);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	if (go >= 0 && read(go, &b, 1) != 1)
		exit(98);
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

/*
 * Rewrite the ghost's call snippet through @maps and @mem, opened by the
 * caller: "mov edx,VICTIM; ioctl(fd, CALLRET)".  The snippet begins
 * "syscall; mov rdx,rax"; the resume descriptor is then either an
 * immediate ("mov edi,FD", as the module of 9fb35a4 wrote it) or in r12.
 */
static void attack_mem_fds(FILE *maps, int mem, int victim)
{
	static const unsigned char head[] = { 0x0f, 0x05, 0x48, 0x89, 0xc2 };
	unsigned long lo, hi;
	char line[256], perm[8];
	unsigned char b[32], *p = b;
	int found = 0;
	unsigned int v;

	while (!found && fgets(line, sizeof(line), maps)) {
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perm) != 3 ||
		    hi - lo != 4096 || strcmp(perm, "r-xp"))
			continue;
		if (pread(mem, b, sizeof(b), lo + 16) != sizeof(b))
			continue;
		if (!memcmp(b, head, sizeof(head)))
			found = 1;
	}
	if (!found) {
		printf("mem: no call snippet\n");
		return;
	}
	*p++ = 0xba; /* mov edx,victim */
	memcpy(p, &victim, 4);
	p += 4;
	if (b[5] == 0xbf) {
		memcpy(p, b + 5, 5); /* mov edi,FD */
		p += 5;
	} else {
		*p++ = 0x44; /* mov edi,r12d */
		*p++ = 0x89;
		*p++ = 0xe7;
	}
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
}

/* /proc/@g/maps and /proc/@g/mem, or a line that says why not. */
static int open_mem(pid_t g, FILE **maps, int *mem)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/maps", g);
	*maps = fopen(path, "r");
	if (!*maps) {
		printf("maps: %s\n", ename(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "/proc/%d/mem", g);
	*mem = open(path, O_RDWR);
	if (*mem < 0) {
		printf("mem: %s\n", ename(errno));
		fclose(*maps);
		return -1;
	}
	return 0;
}

static void attack_mem(pid_t g, int victim)
{
	FILE *maps;
	int mem;

	if (open_mem(g, &maps, &mem))
		return;
	attack_mem_fds(maps, mem, victim);
	fclose(maps);
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
	int premem = argc > 1 && !strcmp(argv[1], "premem");
	int node, io[2], go[2] = { -1, -1 }, st, mem = -1;
	FILE *in, *maps = NULL;
	char line[128];
	pid_t g;

	if (argc < 3 || ((premem || !strcmp(argv[1], "mem")) && argc != 4)) {
		fprintf(stderr,
			"usage: ghostattack mem|premem|ptrace|getfd NODE [VICTIM]\n");
		return 2;
	}
	node = atoi(argv[2]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pipe(io) || (premem && pipe(go)))
		return 1;
	g = fork();
	if (g == 0) {
		close(io[0]);
		close(go[1]);
		child(node, io[1], go[0]);
	}
	close(io[1]);
	close(go[0]);
	if (premem) {
		/* While the child is here, unmoved and dumpable. */
		if (open_mem(g, &maps, &mem) == 0)
			printf("premem: opened\n");
		if (write(go[1], "g", 1) != 1)
			return 1;
		close(go[1]);
	}
	in = fdopen(io[0], "r");
	if (!fgets(line, sizeof(line), in) || strcmp(line, "ready\n")) {
		printf("child: %s", line);
		kill(g, SIGKILL);
		return 1;
	}
	if (!strcmp(argv[1], "mem")) {
		attack_mem(g, atoi(argv[3]));
	} else if (premem) {
		if (maps) {
			attack_mem_fds(maps, mem, atoi(argv[3]));
			fclose(maps);
			close(mem);
		}
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
