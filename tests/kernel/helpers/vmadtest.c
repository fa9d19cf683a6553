// SPDX-License-Identifier: GPL-2.0
/*
 * vmadtest - a process that dumps itself and checks, once restored, that
 * everything it had survived (qemu tests of VMADump).
 *
 *   vmadtest dump FILE|- [FLAGS]   set up the state below, dump to FILE (or
 *                                  stdout), print "dumped N bytes", exit 0;
 *                                  the restored process checks each piece
 *                                  of state, prints TAP and exits 42 if all
 *                                  of it is intact (1 otherwise)
 *   vmadtest libdump FILE [FLAGS]  the same through libbproc's bproc_vmadump()
 *                                  (which returns 0 in the restored process)
 *   vmadtest smalldump FILE [FLAGS]  like dump with a 4 KiB heap instead of
 *                                  3 MiB, for comparing file-mapping costs
 *   vmadtest sockdump FILE [FLAGS] like dump, but into a socket (a socketpair
 *                                  whose other end a child copies to FILE)
 *   vmadtest threads FILE          a second thread exists: the dump must be
 *                                  refused (EBUSY); exit 0 if it is
 *   vmadtest count N               print 1..N, one every 100 ms, exit 5 (a
 *                                  target for checkpoint/restart from outside)
 *
 * The state: heap, stack, an anonymous mapping (with untouched zero pages
 * in it), a private file mapping, TLS, SSE registers and MXCSR live across
 * the dump call, a custom signal handler, a blocked signal, umask, an
 * rlimit and the cwd.  The SSE values are loaded into xmm0..xmm15 in the
 * same asm statement that makes the ioctl and stored right after it, so
 * they are "in flight": only a correct FPU restore brings them back.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <pthread.h>

#include <linux/bproc.h>
#include <sys/bproc.h>

#include "tap.h"

#define HEAP_SIZE	(3 << 20)
static size_t heap_size = HEAP_SIZE;
#define ANON_PAGES	64
#define CWD		"/tmp/vmadtest-cwd"
#define FILE_MAP	CWD "/mapped"

static __thread uint64_t tls_value = 0x1111;
static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
	handled = sig;
}

static uint64_t pattern(uint64_t i, uint64_t salt)
{
	return (i * 0x9e3779b97f4a7c15ULL) ^ salt;
}

/*
 * The dump ioctl made directly, with xmm0..15 loaded before and stored after
 * the syscall.  Returns the ioctl's result (1 dumper, 0 restored, -errno).
 */
static long dump_with_sse(int cfd, struct bproc_dump_req *req, uint8_t out[16][16],
			  const uint8_t in[16][16])
{
	long ret;

	__asm__ volatile(
		"movdqu 0x00(%[in]), %%xmm0\n\tmovdqu 0x10(%[in]), %%xmm1\n\t"
		"movdqu 0x20(%[in]), %%xmm2\n\tmovdqu 0x30(%[in]), %%xmm3\n\t"
		"movdqu 0x40(%[in]), %%xmm4\n\tmovdqu 0x50(%[in]), %%xmm5\n\t"
		"movdqu 0x60(%[in]), %%xmm6\n\tmovdqu 0x70(%[in]), %%xmm7\n\t"
		"movdqu 0x80(%[in]), %%xmm8\n\tmovdqu 0x90(%[in]), %%xmm9\n\t"
		"movdqu 0xa0(%[in]), %%xmm10\n\tmovdqu 0xb0(%[in]), %%xmm11\n\t"
		"movdqu 0xc0(%[in]), %%xmm12\n\tmovdqu 0xd0(%[in]), %%xmm13\n\t"
		"movdqu 0xe0(%[in]), %%xmm14\n\tmovdqu 0xf0(%[in]), %%xmm15\n\t"
		"syscall\n\t"
		"movdqu %%xmm0, 0x00(%[out])\n\tmovdqu %%xmm1, 0x10(%[out])\n\t"
		"movdqu %%xmm2, 0x20(%[out])\n\tmovdqu %%xmm3, 0x30(%[out])\n\t"
		"movdqu %%xmm4, 0x40(%[out])\n\tmovdqu %%xmm5, 0x50(%[out])\n\t"
		"movdqu %%xmm6, 0x60(%[out])\n\tmovdqu %%xmm7, 0x70(%[out])\n\t"
		"movdqu %%xmm8, 0x80(%[out])\n\tmovdqu %%xmm9, 0x90(%[out])\n\t"
		"movdqu %%xmm10, 0xa0(%[out])\n\tmovdqu %%xmm11, 0xb0(%[out])\n\t"
		"movdqu %%xmm12, 0xc0(%[out])\n\tmovdqu %%xmm13, 0xd0(%[out])\n\t"
		"movdqu %%xmm14, 0xe0(%[out])\n\tmovdqu %%xmm15, 0xf0(%[out])\n\t"
		: "=a"(ret)
		: "a"((long)SYS_ioctl), "D"((long)cfd), "S"((long)BPROC_IOC_VMADUMP),
		  "d"(req), [in] "r"(in), [out] "r"(out)
		: "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5",
		  "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",
		  "xmm14", "xmm15");
	return ret;
}

static void *idle_thread(void *arg)
{
	pause();
	return arg;
}

static int threads(const char *file)
{
	pthread_t t;
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || pthread_create(&t, NULL, idle_thread, NULL))
		return 1;
	if (bproc_vmadump(fd, VMAD_DUMP_ALL) == -1 && errno == EBUSY) {
		printf("refused: %s\n", strerror(errno));
		return 0;
	}
	printf("a multi-threaded process was dumped\n");
	return 1;
}

static int count(int to)
{
	for (int i = 1; i <= to; i++) {
		printf("%d\n", i);
		fflush(stdout);
		usleep(100 * 1000);
	}
	return 5;
}

static int usage(void)
{
	fprintf(stderr, "usage: vmadtest dump|libdump|smalldump|sockdump FILE|- [FLAGS]\n"
			"       vmadtest threads FILE | count N\n");
	return 2;
}

int main(int argc, char **argv)
{
	uint8_t sse_in[16][16], sse_out[16][16];
	uint64_t stack_buf[512];
	struct bproc_dump_req req;
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct rlimit rl = { .rlim_cur = 77, .rlim_max = 1000 };
	sigset_t block, now;
	uint64_t *heap, *anon;
	const char *file_map;
	uint32_t mxcsr = 0x3f80 | 0x6000, mxcsr_now; /* round toward zero */
	int flags = VMAD_DUMP_ALL, fd, lib, i, intact;
	long r, written = 0;

	if (argc == 3 && !strcmp(argv[1], "threads"))
		return threads(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "count"))
		return count(atoi(argv[2]));
	if (argc < 3 || argc > 4)
		return usage();
	lib = !strcmp(argv[1], "libdump");
	int sock = !strcmp(argv[1], "sockdump");
	pid_t copier = -1;

	if (!strcmp(argv[1], "smalldump"))
		heap_size = 4096;
	else if (!lib && !sock && strcmp(argv[1], "dump"))
		return usage();
	if (argc == 4)
		flags = (int)strtol(argv[3], NULL, 0);

	/* The state to carry. */
	heap = malloc(heap_size);
	anon = mmap(NULL, ANON_PAGES * 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!heap || anon == MAP_FAILED)
		return 1;
	for (i = 0; (size_t)i < heap_size / 8; i++)
		heap[i] = pattern(i, 0xaa);
	for (i = 0; i < 512; i++)
		stack_buf[i] = pattern(i, 0xbb);
	for (i = 0; i < ANON_PAGES * 512; i += 2 * 512)	/* every other page */
		anon[i + 7] = pattern(i, 0xcc);
	mkdir(CWD, 0755);
	fd = open(FILE_MAP, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "file-mapped-contents\n", 21) != 21)
		return 1;
	file_map = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (file_map == MAP_FAILED)
		return 1;
	tls_value = 0x5eed5eed;
	for (i = 0; i < 256; i++)
		sse_in[i / 16][i % 16] = (uint8_t)(i * 7 + 3);
	__asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, NULL);
	umask(027);
	setrlimit(RLIMIT_NOFILE, &rl);
	if (chdir(CWD))
		return 1;

	fd = strcmp(argv[2], "-") ? open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0600) : 1;
	if (fd >= 0 && sock) {
		/* The image goes into a socket; a child copies it to the file. */
		int sv[2];
		char cbuf[65536];
		ssize_t got;

		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
			return 1;
		copier = fork();
		if (copier == 0) {
			close(sv[0]);
			while ((got = read(sv[1], cbuf, sizeof(cbuf))) > 0)
				if (write(fd, cbuf, (size_t)got) != got)
					_exit(1);
			_exit(got < 0);
		}
		close(sv[1]);
		close(fd);
		fd = sv[0];
	}
	if (fd < 0) {
		perror("vmadtest: open");
		return 1;
	}
	if (lib) {
		r = bproc_vmadump(fd, flags);
		if (r < 0) {
			fprintf(stderr, "vmadtest: bproc_vmadump: %s\n", strerror(errno));
			return 1;
		}
		memcpy(sse_out, sse_in, sizeof(sse_out));	/* not tested this way */
		written = r;
		r = r > 0;
	} else {
		int cfd = open("/dev/bproc/control", O_RDWR);

		memset(&req, 0, sizeof(req));
		req.fd = fd;
		req.flags = (uint32_t)flags;
		r = cfd < 0 ? -errno : dump_with_sse(cfd, &req, sse_out, sse_in);
		if (r < 0) {
			fprintf(stderr, "vmadtest: dump: %s\n", strerror((int)-r));
			return 1;
		}
	}
	if (r == 1 && copier > 0) {
		int st;

		close(fd);
		if (waitpid(copier, &st, 0) != copier || st)
			return 1;
	}
	if (r == 1) {	/* still the original */
		fprintf(stderr, "dumped %llu bytes\n",
			(unsigned long long)(lib ? (uint64_t)written : req.written));
		return 0;
	}

	/* The restored process. */
	intact = 1;
	for (i = 0; (size_t)i < heap_size / 8 && intact; i++)
		intact = heap[i] == pattern(i, 0xaa);
	ok(intact, "heap intact");
	intact = 1;
	for (i = 0; i < 512 && intact; i++)
		intact = stack_buf[i] == pattern(i, 0xbb);
	ok(intact, "stack intact");
	intact = 1;
	for (i = 0; i < ANON_PAGES * 512 && intact; i++)
		intact = anon[i] == ((i % 1024) == 7 ? pattern(i - 7, 0xcc) : 0);
	ok(intact, "anonymous mapping intact, zero pages still zero");
	ok(!memcmp(file_map, "file-mapped-contents\n", 21), "private file mapping intact");
	ok(tls_value == 0x5eed5eed, "TLS variable intact");
	ok(!memcmp(sse_in, sse_out, sizeof(sse_in)), "xmm0..xmm15 in flight intact");
	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr_now));
	ok(mxcsr_now == mxcsr, "MXCSR (rounding mode) intact");
	raise(SIGUSR1);
	ok(handled == SIGUSR1, "custom SIGUSR1 handler runs");
	sigprocmask(SIG_BLOCK, NULL, &now);
	ok(sigismember(&now, SIGUSR2) == 1, "SIGUSR2 still blocked");
	mode_t um = umask(0);
	ok(um == 027, "umask 027");
	getrlimit(RLIMIT_NOFILE, &rl);
	ok(rl.rlim_cur == 77 && rl.rlim_max == 1000, "RLIMIT_NOFILE 77/1000");
	char cwd[256];
	ok(getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, CWD), "cwd " CWD);
	ok(getpid() > 1, "getpid works after the restore");
	diag("uid %d euid %d gid %d", (int)getuid(), (int)geteuid(), (int)getgid());
	return done_testing() ? 1 : 42;
}
