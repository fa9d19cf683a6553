// SPDX-License-Identifier: GPL-2.0
/*
 * The root of bpslave's PID namespace (bpnsinit_view, nsinit.h): a mount
 * namespace and a tmpfs root, made by the namespace's init before its
 * first word to bpslave, whose /usr, /bin, /lib, ... are the master's
 * (files.c): bound in place, or links as the master has them, once the
 * master answers (bpnsinit_place_view()).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nsinit.h"

#define nsi_log(fmt, ...) \
	dprintf(STDERR_FILENO, "bpnsinit: " fmt "\n", ##__VA_ARGS__)

/* ---- the namespace's root ---------------------------------------------- */

/* Names of the root that are the master's (in BPNSINIT_MASTER_FS). */
const char *const bpnsinit_view_master[BPNSINIT_VIEW_MASTER_NR] = {
	"usr", "bin", "sbin", "lib", "lib64",
};
/* ... and of its /etc: what programs read to name users, find libraries. */
static const char *const view_etc[] = {
	"passwd", "group", "nsswitch.conf", "ld.so.cache", "ld.so.conf",
	"ld.so.conf.d", "localtime", "alternatives", "services", "protocols",
	"os-release", "perl", "python3",
};
/* ... and the node's own, where they exist. */
static const char *const view_node[] = { "dev", "sys", "tmp", "run", "home" };

static int view_step(int r, const char *what, const char *path)
{
	if (r && errno != EEXIST) {
		nsi_log("view: %s %s: %s", what, path, strerror(errno));
		return -errno;
	}
	return 0;
}

/*
 * In the node's mount namespace (a child of bpslave's that entered it, so
 * that bpslave goes on answering the lookups): each of the master's
 * top-level directories bound in place, a link where the master has one
 * (Debian's /bin -> usr/bin).  What is there already (an earlier session)
 * is left.  Where the master does not answer, a link into the view, as
 * before; a name the master does not have is left out.  0 or the first
 * -errno (the rest is still tried).
 */
int bpnsinit_place_view(void)
{
	char path[64], master[64], target[256];
	struct stat st;
	size_t i;
	ssize_t n;
	int err = 0, e;

	for (i = 0; i < BPNSINIT_VIEW_MASTER_NR; i++) {
		snprintf(path, sizeof(path), "/%s", bpnsinit_view_master[i]);
		snprintf(master, sizeof(master), BPNSINIT_MASTER_FS "/%s", bpnsinit_view_master[i]);
		if (!lstat(path, &st))
			continue;
		if (lstat(master, &st)) {
			if (errno == ENOENT)
				continue;
			e = -errno;
		} else if (S_ISLNK(st.st_mode)) {
			n = readlink(master, target, sizeof(target) - 1);
			if (n > 0) {
				target[n] = '\0';
				if (!symlink(target, path))
					continue;
			}
			e = -errno;
		} else if (S_ISDIR(st.st_mode)) {
			if (!mkdir(path, 0755) && !mount(master, path, NULL, MS_BIND, NULL))
				continue;
			e = -errno;
			rmdir(path);
		} else {
			e = -ENOTDIR;
		}
		err = err ?: e;
		if (symlink(master, path))	/* at least the view */
			err = err ?: -errno;
	}
	return err;
}

/*
 * The node's own /etc/hosts: its loopback names only.  The master's would
 * give the master's host name a loopback address here (Debian's 127.0.1.1);
 * the nodes, the master and its name come from libnss_bproc ("hosts: files
 * bproc" in the master's nsswitch.conf, Documentation/names.md).
 */
static int write_hosts(void)
{
	static const char hosts[] = "127.0.0.1\tlocalhost\n"
				    "::1\tlocalhost ip6-localhost ip6-loopback\n";
	int fd = open(BPNSINIT_ROOT "/etc/hosts", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	ssize_t n;

	if (fd < 0)
		return view_step(-1, "create", "etc/hosts");
	n = write(fd, hosts, sizeof(hosts) - 1);
	close(fd);
	return view_step(n == (ssize_t)sizeof(hosts) - 1 ? 0 : -1, "write", "etc/hosts");
}

/*
 * Build the namespace's root and enter it: a tmpfs with links into the
 * master's tree and the node's own directories bound in.  Nothing here
 * looks into the master's tree (bpslave, which serves it, is waiting for
 * this init's first word): links are made, not followed.  The node's own
 * root is initramfs's rootfs, which cannot be pivot_root'ed: the new root
 * is moved onto "/" and entered with chroot, as switch_root does.
 */
int bpnsinit_make_view(void)
{
	char path[256], target[256];
	struct stat st;
	size_t i;
	int err = 0;

	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL))
		return view_step(-1, "unshare", "/");
	/*
	 * The copy of the node's /proc/bproc would pin bproc.ko for as long
	 * as this namespace lives (rmmod after bpslave stopped: EBUSY).
	 */
	umount2("/proc/bproc", MNT_DETACH);
	mkdir(BPNSINIT_ROOT, 0755);
	if (mount("tmpfs", BPNSINIT_ROOT, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755"))
		return view_step(-1, "mount", BPNSINIT_ROOT);
	/*
	 * /usr, /bin, ... are not made here: they need the master's answers
	 * (is its /bin a directory or a link?), and bpslave answers only
	 * once it has a session.  Its configuration makes them
	 * (bpnsinit_place_view(), from mounts.c), before any process comes.
	 */
	err = err ?: view_step(mkdir(BPNSINIT_ROOT "/etc", 0755), "mkdir", "etc");
	for (i = 0; !err && i < sizeof(view_etc) / sizeof(view_etc[0]); i++) {
		snprintf(path, sizeof(path), BPNSINIT_ROOT "/etc/%s", view_etc[i]);
		snprintf(target, sizeof(target), BPNSINIT_MASTER_FS "/etc/%s", view_etc[i]);
		err = view_step(symlink(target, path), "symlink", path);
	}
	err = err ?: view_step(symlink("/proc/self/mounts", BPNSINIT_ROOT "/etc/mtab"),
			       "symlink", "etc/mtab");
	err = err ?: write_hosts();
	for (i = 0; !err && i < sizeof(view_node) / sizeof(view_node[0]); i++) {
		snprintf(path, sizeof(path), "/%s", view_node[i]);
		if (stat(path, &st) || !S_ISDIR(st.st_mode))
			continue;	/* this node has none */
		snprintf(path, sizeof(path), BPNSINIT_ROOT "/%s", view_node[i]);
		err = view_step(mkdir(path, 0755), "mkdir", path);
		snprintf(target, sizeof(target), "/%s", view_node[i]);
		err = err ?: view_step(mount(target, path, NULL, MS_BIND | MS_REC, NULL),
				       "bind", path);
	}
	err = err ?: view_step(mkdir(BPNSINIT_ROOT "/proc", 0555), "mkdir", "proc");
	err = err ?: view_step(mkdir(BPNSINIT_ROOT "/root", 0700), "mkdir", "root");
	err = err ?: view_step(symlink("/tmp", BPNSINIT_ROOT "/var") ? -1 : 0, "symlink", "var");
	if (err)
		return err;
	if (chdir(BPNSINIT_ROOT) || mount(".", "/", NULL, MS_MOVE, NULL) || chroot("."))
		return view_step(-1, "enter", BPNSINIT_ROOT);
	if (chdir("/"))
		return view_step(-1, "chdir", "/");
	/* The processes' /proc: this PID namespace's (ps shows the node's). */
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
		return view_step(-1, "mount", "/proc");
	return 0;
}

