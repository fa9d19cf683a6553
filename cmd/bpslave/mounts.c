// SPDX-License-Identifier: GPL-2.0
/*
 * The file systems the master's configuration lists ('mount' lines,
 * bproc.conf(5)), mounted in the node's root: what the node's processes
 * see, the namespace's init's mount namespace (nsview.c), not bpslave's.
 * First, once, the master's own /usr, /bin, ... are put in that root
 * (bpnsinit_place_view()): that too needs bpslave to answer while it is
 * done.
 *
 * The master sends one MOUNT frame per file system before LIBS, which ends
 * the configuration.  At LIBS, bpslave forks one child that enters the
 * node's mount namespace (setns: its root becomes the node's) and mounts
 * them in order, reporting each result on a pipe that the session's loop
 * polls; READY goes to the master when the child is done, so that a node
 * is "up" only with its file systems.  The loop goes on meanwhile (pings,
 * the master's files).  A mount that fails or does not end within
 * MOUNT_TIMEOUT_MS (an NFS server that does not answer: the child is
 * killed) is logged and reported to the master (NOTE: its log and bpstat),
 * and the node comes up without it.
 *
 * What is mounted stays mounted across sessions (the namespace lives as
 * long as bpslave): a MOUNT equal to one that succeeded before is not
 * mounted again.  A file system the master no longer lists stays.
 *
 * NFS ("nfs", "nfs4"): the source is HOST:PATH, HOST "master" (the
 * master's address) or an IPv4 address; bpslave adds the addr= (and for
 * NFSv4 clientaddr=) that mount.nfs would, so no mount helper is needed.
 * Other types get their source as written.  Options are mount(8)'s: the
 * flags below become mount flags, the rest the file system's data.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpslave.h"

#define MOUNTS_MAX		64	/* as BPCONFIG_MOUNTS_MAX */
#define MOUNT_TIMEOUT_MS	30000	/* all of them */
#define MOUNT_DATA_MAX		(BPWIRE_MNTOPT_MAX + 64)

struct mnt {
	char *source, *target, *type, *options;	/* one allocation */
	bool mounted;				/* by an earlier session */
};

/* One result on the pipe: the mount's index and 0 or an errno. */
struct mnt_result {
	int idx;
	int err;
};

static struct {
	struct mnt m[MOUNTS_MAX];
	int n;			/* received in this session */
	struct mnt done[MOUNTS_MAX];	/* mounted, across sessions */
	int ndone;
	pid_t child;		/* 0: none */
	int fd;			/* its results; -1 */
	pid_t gone;		/* a child killed, not reaped yet (0: none) */
	uint64_t deadline;
	int reported;		/* results read */
	bool dropped;		/* more MOUNT frames than MOUNTS_MAX */
	bool view_placed;	/* the master's /usr, /bin, ... in the root */
} MT = { .fd = -1 };

/* The result record of bpnsinit_place_view(), before the mounts'. */
#define RESULT_VIEW	(-2)

static const struct {
	const char *name;
	unsigned long set, clear;
} mnt_flags[] = {
	{ "ro", MS_RDONLY, 0 },		{ "rw", 0, MS_RDONLY },
	{ "nosuid", MS_NOSUID, 0 },	{ "suid", 0, MS_NOSUID },
	{ "nodev", MS_NODEV, 0 },	{ "dev", 0, MS_NODEV },
	{ "noexec", MS_NOEXEC, 0 },	{ "exec", 0, MS_NOEXEC },
	{ "sync", MS_SYNCHRONOUS, 0 },	{ "async", 0, MS_SYNCHRONOUS },
	{ "dirsync", MS_DIRSYNC, 0 },	{ "noatime", MS_NOATIME, 0 },
	{ "atime", 0, MS_NOATIME },	{ "nodiratime", MS_NODIRATIME, 0 },
	{ "relatime", MS_RELATIME, 0 },	{ "strictatime", MS_STRICTATIME, 0 },
	{ "lazytime", MS_LAZYTIME, 0 },	{ "bind", MS_BIND, 0 },
	{ "rbind", MS_BIND | MS_REC, 0 }, { "defaults", 0, 0 },
};

static void mnt_free(struct mnt *m)
{
	free(m->source);
	memset(m, 0, sizeof(*m));
}

static bool mnt_same(const struct mnt *a, const struct mnt *b)
{
	return !strcmp(a->source, b->source) && !strcmp(a->target, b->target) &&
	       !strcmp(a->type, b->type) && !strcmp(a->options, b->options);
}

static int mnt_copy(struct mnt *to, const struct mnt *from)
{
	size_t ls = strlen(from->source) + 1, lt = strlen(from->target) + 1;
	size_t ly = strlen(from->type) + 1, lo = strlen(from->options) + 1;
	char *b = malloc(ls + lt + ly + lo);

	if (!b)
		return -ENOMEM;
	to->source = memcpy(b, from->source, ls);
	to->target = memcpy(b + ls, from->target, lt);
	to->type = memcpy(b + ls + lt, from->type, ly);
	to->options = memcpy(b + ls + lt + ly, from->options, lo);
	to->mounted = false;
	return 0;
}

/* A line for this node's log and the master's (bpstat). */
static void note(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct session *s, const char *fmt, ...)
{
	struct bpwire_msg m;
	char text[BPWIRE_TEXT_MAX + 1];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > BPWIRE_TEXT_MAX)
		n = BPWIRE_TEXT_MAX;
	for (int i = 0; i < n; i++)	/* NOTE carries printable text */
		if ((unsigned char)text[i] < 0x20 || (unsigned char)text[i] == 0x7f)
			text[i] = '?';
	bpd_warn("%.*s", n, text);
	bpwire_init(&m, BPWIRE_NOTE, 0, s->node, BPROC_NODE_MASTER);
	m.u.note.text.str = text;
	m.u.note.text.len = (uint16_t)n;
	send_frame(s, &m);
}

int mounts_add(struct session *s, const struct bpwire_msg *msg)
{
	const struct bpwire_mount *w = &msg->u.mount;
	struct mnt in = { (char *)w->source, (char *)w->target, (char *)w->type,
			  (char *)w->options, false };
	int err;

	if (MT.child)
		return 0;	/* a second configuration: kept to the first */
	if (MT.n == MOUNTS_MAX) {
		if (!MT.dropped)
			note(s, "more than %d file systems to mount: %s and later not mounted",
			     MOUNTS_MAX, w->target);
		MT.dropped = true;
		return 0;
	}
	err = mnt_copy(&MT.m[MT.n], &in);
	if (err)
		return err;
	for (int i = 0; i < MT.ndone; i++)
		if (mnt_same(&MT.done[i], &MT.m[MT.n]))
			MT.m[MT.n].mounted = true;
	MT.n++;
	return 0;
}

/*
 * @opts (mount(8)'s) into mount flags and the file system's data in @data
 * (@size bytes).  -E2BIG if it does not fit.
 */
static int split_options(const char *opts, unsigned long *flags, char *data,
			 size_t size)
{
	const char *p = opts, *end;
	size_t used = 0, k;

	*flags = 0;
	data[0] = '\0';
	for (; *p; p = *end ? end + 1 : end) {
		size_t len;

		end = strchrnul(p, ',');
		len = (size_t)(end - p);
		if (!len)
			continue;
		for (k = 0; k < sizeof(mnt_flags) / sizeof(mnt_flags[0]); k++)
			if (strlen(mnt_flags[k].name) == len &&
			    !strncmp(p, mnt_flags[k].name, len))
				break;
		if (k < sizeof(mnt_flags) / sizeof(mnt_flags[0])) {
			*flags = (*flags & ~mnt_flags[k].clear) | mnt_flags[k].set;
			continue;
		}
		if (used + !!used + len + 1 > size)
			return -E2BIG;
		if (used)
			data[used++] = ',';
		memcpy(data + used, p, len);
		used += len;
		data[used] = '\0';
	}
	return 0;
}

/* Is option @name (as "name" or "name=...") in the data @data? */
static bool has_option(const char *data, const char *name)
{
	size_t len = strlen(name);
	const char *p;

	for (p = data; *p; p = strchrnul(p, ',') + (*strchrnul(p, ',') ? 1 : 0))
		if (!strncmp(p, name, len) && (p[len] == '=' || p[len] == ',' || !p[len]))
			return true;
	return false;
}

static int add_option(char *data, size_t size, const char *opt)
{
	size_t used = strlen(data);

	if (used + !!used + strlen(opt) + 1 > size)
		return -E2BIG;
	if (used)
		data[used++] = ',';
	strcpy(data + used, opt);
	return 0;
}

/*
 * NFS: "HOST:PATH" with HOST "master" or an IPv4 address into the source
 * the kernel takes ("ADDR:PATH") and its addr=/clientaddr= options.
 */
static int nfs_source(const struct mnt *m, char *src, size_t srcsize, char *data,
		      size_t size, uint32_t master, uint32_t local)
{
	const char *colon = strchr(m->source, ':');
	char host[64], addr[INET_ADDRSTRLEN], opt[INET_ADDRSTRLEN + 16];
	struct in_addr in;
	int err;

	if (!colon || colon == m->source || (size_t)(colon - m->source) >= sizeof(host) ||
	    colon[1] != '/')
		return -EINVAL;
	memcpy(host, m->source, (size_t)(colon - m->source));
	host[colon - m->source] = '\0';
	if (!strcmp(host, "master"))
		in.s_addr = master;
	else if (inet_pton(AF_INET, host, &in) != 1)
		return -EADDRNOTAVAIL;	/* no name service here */
	inet_ntop(AF_INET, &in, addr, sizeof(addr));
	if ((size_t)snprintf(src, srcsize, "%s%s", addr, colon) >= srcsize)
		return -ENAMETOOLONG;
	snprintf(opt, sizeof(opt), "addr=%s", addr);
	err = has_option(data, "addr") ? 0 : add_option(data, size, opt);
	if (!err && local && !has_option(data, "clientaddr") &&
	    (!strcmp(m->type, "nfs4") || has_option(data, "vers=4") ||
	     has_option(data, "vers=4.0") || has_option(data, "vers=4.1") ||
	     has_option(data, "vers=4.2") || has_option(data, "nfsvers=4"))) {
		in.s_addr = local;
		inet_ntop(AF_INET, &in, addr, sizeof(addr));
		snprintf(opt, sizeof(opt), "clientaddr=%s", addr);
		err = add_option(data, size, opt);
	}
	return err;
}

/*
 * The target @path (absolute) as a descriptor of the directory, made where
 * missing, following no symlink on the way: a node's user may plant links
 * in its /tmp (also /var) or its /home, and this runs as root.  -ELOOP for
 * a component that is a link.
 */
static int open_target(const char *path)
{
	char buf[BPWIRE_PATH_MAX + 1], *comp, *save = NULL;
	int dir, next;

	snprintf(buf, sizeof(buf), "%s", path);
	dir = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	for (comp = strtok_r(buf, "/", &save); dir >= 0 && comp;
	     comp = strtok_r(NULL, "/", &save)) {
		if (!strcmp(comp, "."))
			continue;
		next = openat(dir, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && errno == ENOENT &&
		    (!mkdirat(dir, comp, 0755) || errno == EEXIST))
			next = openat(dir, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && errno == ENOTDIR) {
			struct stat st;

			if (!fstatat(dir, comp, &st, AT_SYMLINK_NOFOLLOW) && S_ISLNK(st.st_mode))
				errno = ELOOP;
		}
		close(dir);
		dir = next;
	}
	return dir < 0 ? -errno : dir;
}

static int mount_one(const struct mnt *m, int procfd, uint32_t master, uint32_t local)
{
	char data[MOUNT_DATA_MAX], src[BPWIRE_PATH_MAX + 1 + INET_ADDRSTRLEN], at[16];
	unsigned long flags;
	int err, fd;

	err = split_options(m->options, &flags, data, sizeof(data));
	if (err)
		return err;
	snprintf(src, sizeof(src), "%s", m->source);
	if (!strcmp(m->type, "nfs") || !strcmp(m->type, "nfs4")) {
		err = nfs_source(m, src, sizeof(src), data, sizeof(data), master, local);
		if (err)
			return err;
	}
	fd = open_target(m->target);
	if (fd < 0)
		return fd;
	/*
	 * Mount on that very directory: its descriptor's magic link, through
	 * bpslave's /proc (the node's own is its PID namespace's, where this
	 * process has no PID), open since before the setns (@procfd).
	 */
	snprintf(at, sizeof(at), "%d", fd);
	err = fchdir(procfd) || mount(src, at, m->type, flags, data[0] ? data : NULL) ? -errno : 0;
	close(fd);
	if (chdir("/"))
		err = err ?: -errno;
	return err;
}

/* The child: enter the node's mount namespace, mount, report each. */
static _Noreturn void mount_child(int out, pid_t init, uint32_t master, uint32_t local)
{
	char path[64];
	int fd, i, procfd, proc_err;

	/* Before the setns: this process's fds as its own /proc shows them. */
	procfd = open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC);
	proc_err = procfd < 0 ? errno : 0;
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)init);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNS)) {
		struct mnt_result r = { -1, errno };

		if (write(out, &r, sizeof(r)) != sizeof(r))
			_exit(1);
		_exit(1);
	}
	if (!MT.view_placed && bpnsinit_view) {
		struct mnt_result r = { RESULT_VIEW, -bpnsinit_place_view() };

		if (write(out, &r, sizeof(r)) != sizeof(r))
			_exit(1);
	}
	for (i = 0; i < MT.n; i++) {
		struct mnt_result r = { i, 0 };

		if (MT.m[i].mounted)
			continue;
		r.err = procfd < 0 ? proc_err : -mount_one(&MT.m[i], procfd, master, local);
		if (write(out, &r, sizeof(r)) != sizeof(r))
			_exit(1);
	}
	_exit(0);
}

int mounts_start(struct session *s, uint32_t master_addr)
{
	struct sockaddr_in me;
	socklen_t len = sizeof(me);
	int p[2], i, todo = 0;
	pid_t pid;

	for (i = 0; i < MT.n; i++)
		todo += !MT.m[i].mounted;
	if (!todo && (MT.view_placed || !bpnsinit_view))
		return 0;
	if (getsockname(s->c.fd, (struct sockaddr *)&me, &len))
		me.sin_addr.s_addr = 0;
	if (pipe2(p, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		int err = -errno;

		close(p[0]);
		close(p[1]);
		return err;
	}
	if (pid == 0) {
		close(p[0]);
		mount_child(p[1], bpnsinit_pid(S.ns), master_addr, me.sin_addr.s_addr);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	MT.child = pid;
	MT.fd = p[0];
	MT.deadline = bpd_now_ms() + MOUNT_TIMEOUT_MS;
	MT.reported = 0;
	if (todo)
		bpd_info("mounting %d file system%s", todo, todo == 1 ? "" : "s");
	return 1;
}

int mounts_fd(void)
{
	return MT.fd;
}

/*
 * Reap a child that was killed, without waiting: it may be stuck in a FUSE
 * request that bpslave itself must answer (a request the daemon has read
 * is waited for uninterruptibly), so waiting here could be for ever.
 */
static void reap(void)
{
	if (MT.gone > 0 && waitpid(MT.gone, NULL, WNOHANG) != 0)
		MT.gone = 0;	/* reaped, or not ours any more */
}

/* The child is done (or killed): say what did not happen, forget it. */
static void finish(struct session *s, const char *why)
{
	if (why)
		for (int i = 0; i < MT.n; i++)
			if (!MT.m[i].mounted && i >= MT.reported)
				note(s, "mount %s on %s (%s): %s", MT.m[i].source,
				     MT.m[i].target, MT.m[i].type, why);
	kill(MT.child, SIGKILL);
	close(MT.fd);
	MT.fd = -1;
	if (MT.gone > 0)	/* an older one still there: wait no more for it */
		waitpid(MT.gone, NULL, WNOHANG);
	MT.gone = MT.child;
	MT.child = 0;
	reap();
}

/* Read the results.  1 when all are in (the caller says READY), else 0. */
int mounts_ready(struct session *s)
{
	struct mnt_result r;
	ssize_t n;

	if (!MT.child || MT.fd < 0)
		return 0;	/* finished already (a timeout in the same turn) */
	while ((n = read(MT.fd, &r, sizeof(r))) == sizeof(r)) {
		struct mnt *m;

		if (r.idx == -1) {	/* could not enter the namespace */
			finish(s, strerror(r.err));
			return 1;
		}
		if (r.idx == RESULT_VIEW) {
			if (r.err)
				note(s, "the master's /usr, /bin, ... on this node: %s (links into %s instead)",
				     strerror(r.err), BPNSINIT_MASTER_FS);
			MT.view_placed = true;	/* either way: it stays so */
			continue;
		}
		if (r.idx < 0 || r.idx >= MT.n)
			continue;
		m = &MT.m[r.idx];
		MT.reported = r.idx + 1;
		if (r.err) {
			note(s, "mount %s on %s (%s): %s", m->source, m->target,
			     m->type, strerror(r.err));
			continue;
		}
		bpd_info("mounted %s on %s (%s)", m->source, m->target, m->type);
		m->mounted = true;
		if (MT.ndone < MOUNTS_MAX && !mnt_copy(&MT.done[MT.ndone], m))
			MT.ndone++;
	}
	if (n < 0 && errno == EAGAIN)
		return 0;
	finish(s, n == 0 ? "not mounted (the mounting process died)" : strerror(errno));
	return 1;
}

int mounts_timeout(struct session *s, uint64_t now)
{
	reap();
	if (!MT.child || now < MT.deadline)
		return 0;
	/* What it reported is in; the rest timed out. */
	if (mounts_ready(s))
		return 1;
	finish(s, "timed out");
	return 1;
}

void mounts_end_session(void)
{
	/* (bpslave failed the view's requests first: the child is free.) */
	if (MT.child) {
		kill(MT.child, SIGKILL);
		close(MT.fd);
		MT.fd = -1;
		while (waitpid(MT.child, NULL, 0) < 0 && errno == EINTR)
			;
		MT.child = 0;
	}
	reap();
	for (int i = 0; i < MT.n; i++)
		mnt_free(&MT.m[i]);
	MT.n = 0;
	MT.dropped = false;
}
