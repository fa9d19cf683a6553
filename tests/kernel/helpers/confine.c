// SPDX-License-Identifier: GPL-2.0
/*
 * confine - a confined process moves to a node (issue 19, item 8;
 * tests/kernel/t0450-sec-confinement.sh).  Run as root on the master.
 * Each form confines itself, says what it may do, moves to NODE
 * (bproc_move) and says it again there; or prints "move: ERRNO".
 *
 *   confine none NODE       no confinement (the control)
 *   confine caps NODE       drops CAP_SYS_ADMIN (bounding, permitted,
 *                           effective); "sysadmin" is what sethostname()
 *                           with the current name gives, "bnd" whether
 *                           the bounding set has CAP_SYS_ADMIN
 *   confine nnp NODE        sets no_new_privs; "nnp" is PR_GET_NO_NEW_PRIVS
 *   confine seccomp NODE    a seccomp filter that fails chdir() with
 *                           EACCES; "chdir" is what chdir("/") gives,
 *                           "seccomp" the Seccomp: line of /proc/self/status
 *   confine chroot NODE DIR chroot(DIR) (DIR holds a file "marker");
 *                           "marker" whether /marker exists
 *   confine netns NODE      a new network namespace (only lo); "ifaces"
 *                           the number of interfaces in /proc/net/dev
 *   confine back MODE NODE  moves to NODE unconfined, confines itself
 *                           there (caps, nnp, seccomp, none) and moves
 *                           back to the master
 */
#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/bproc.h>

static const char *errname(int e)
{
	switch (e) {
	case 0: return "ok";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EINVAL: return "EINVAL";
	case ENODEV: return "ENODEV";
	case EHOSTDOWN: return "EHOSTDOWN";
	default: return strerror(e);
	}
}

static const char *sysadmin(void)
{
	char name[256];

	if (gethostname(name, sizeof(name)))
		return errname(errno);
	return errname(sethostname(name, strlen(name)) ? errno : 0);
}

static int status_field(const char *key)
{
	char line[256];
	size_t n = strlen(key);
	FILE *f = fopen("/proc/self/status", "r");
	int v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			v = atoi(line + n + 1);
	fclose(f);
	return v;
}

static int ifaces(void)
{
	char line[512];
	FILE *f = fopen("/proc/net/dev", "r");
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strchr(line, ':'))
			n++;
	fclose(f);
	return n;
}

static int drop_sysadmin(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	int w = CAP_SYS_ADMIN / 32;
	unsigned int bit = 1U << (CAP_SYS_ADMIN % 32);

	if (prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0))
		return -1;
	if (syscall(SYS_capget, &h, d))
		return -1;
	d[w].effective &= ~bit;
	d[w].permitted &= ~bit;
	d[w].inheritable &= ~bit;
	return (int)syscall(SYS_capset, &h, d);
}

static int deny_chdir(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_chdir, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p = { sizeof(f) / sizeof(f[0]), f };

	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &p);
}

static void report(const char *mode, const char *when)
{
	printf("%s:", when);
	if (!strcmp(mode, "none") || !strcmp(mode, "caps"))
		printf(" sysadmin %s bnd %d", sysadmin(),
		       prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN, 0, 0, 0));
	else if (!strcmp(mode, "nnp"))
		printf(" nnp %d", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	else if (!strcmp(mode, "seccomp"))
		printf(" chdir %s seccomp %d", errname(chdir("/") ? errno : 0),
		       status_field("Seccomp"));
	else if (!strcmp(mode, "chroot"))
		printf(" marker %s", access("/marker", F_OK) ? "no" : "yes");
	else if (!strcmp(mode, "netns"))
		printf(" ifaces %d", ifaces());
	printf("\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 2 ? argv[1] : "";
	int node, err = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: confine MODE NODE [DIR]\n");
		return 2;
	}
	node = atoi(argv[2]);
	bproc_currnode();	/* opens the control device, before any chroot */
	if (!strcmp(mode, "back")) {
		/* back MODE NODE: confine on NODE, then move to the master */
		if (argc < 4)
			return 2;
		mode = argv[2];
		node = atoi(argv[3]);
		if (bproc_move(node, BPROC_DUMP_ALL)) {
			printf("move: %s\n", errname(errno));
			return 0;
		}
		printf("node %d\n", bproc_currnode());
		node = BPROC_NODE_MASTER;
	}
	if (!strcmp(mode, "caps"))
		err = drop_sysadmin();
	else if (!strcmp(mode, "nnp"))
		err = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	else if (!strcmp(mode, "seccomp"))
		err = deny_chdir();
	else if (!strcmp(mode, "chroot"))
		err = argc > 3 ? chroot(argv[3]) || chdir("/") : -1;
	else if (!strcmp(mode, "netns"))
		err = unshare(CLONE_NEWNET);
	else if (strcmp(mode, "none"))
		err = -1;
	if (err) {
		printf("setup %s: %s\n", mode, errname(errno));
		return 2;
	}
	report(mode, "before");
	if (bproc_move(node, BPROC_DUMP_ALL)) {
		printf("move: %s\n", errname(errno));
		return 0;
	}
	printf("node %d\n", bproc_currnode());
	report(mode, "after");
	return 0;
}
