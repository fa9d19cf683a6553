// SPDX-License-Identifier: LGPL-2.1-only
/*
 * libbproc: bproc_vmaundump() / bproc_undump(), the user-space half of a
 * restore (Documentation/vmaundump.md).
 *
 * The kernel cannot move a vDSO, and glibc keeps pointers into it, so this
 * stub reads and validates the image's prefix, takes the image's user's ids
 * (when root restores another user's image), changes to the image's working
 * directory with those ids, moves this process's [vvar] and [vdso] to the
 * image's addresses, and only then asks the kernel (BPROC_IOC_VMAUNDUMP) to
 * replace the process.  From the vDSO move to the ioctl it makes no call that could
 * go through the vDSO (clock_gettime, gettimeofday, time, getcpu).  If the
 * kernel refuses the image, everything is put back and -1 returned.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>
#include <sys/fsuid.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include <linux/bproc.h>
#include <sys/bproc.h>

#include "internal.h"
#include "../common/vmad_check.h"

/* One special mapping to move: [vvar] or [vdso]. */
struct piece {
	unsigned long from;	/* where it is now */
	unsigned long to;	/* where the image wants it */
	unsigned long size;
};

struct mapping {
	unsigned long start, end;
};

/* Read exactly len bytes; a short stream is a truncated image. */
static int read_full(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t r = read(fd, p, len);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0) {
			errno = EINVAL;
			return -1;
		}
		p += r;
		len -= (size_t)r;
	}
	return 0;
}

/*
 * This process's mappings from /proc/self/maps; [vvar] and [vdso] are
 * reported apart.  Returns the number of other mappings in *maps (malloc'd).
 */
static int read_maps(struct mapping **maps, struct mapping *vvar,
		     struct mapping *vdso)
{
	struct mapping *m = NULL;
	size_t n = 0, cap = 0;
	char line[4096 + 128];
	FILE *f;

	memset(vvar, 0, sizeof(*vvar));
	memset(vdso, 0, sizeof(*vdso));
	f = fopen("/proc/self/maps", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long s, e;
		int pos = 0;

		if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %n", &s, &e, &pos) < 2)
			continue;
		if (pos && !strncmp(line + pos, "[vvar]", 6)) {
			vvar->start = s;
			vvar->end = e;
			continue;
		}
		if (pos && !strncmp(line + pos, "[vdso]", 6)) {
			vdso->start = s;
			vdso->end = e;
			continue;
		}
		if (n == cap) {
			struct mapping *nm;

			cap = cap ? 2 * cap : 64;
			nm = realloc(m, cap * sizeof(*m));
			if (!nm) {
				free(m);
				fclose(f);
				errno = ENOMEM;
				return -1;
			}
			m = nm;
		}
		m[n].start = s;
		m[n].end = e;
		n++;
	}
	fclose(f);
	*maps = m;
	return (int)n;
}

static int overlaps(unsigned long a0, unsigned long a1, unsigned long b0,
		    unsigned long b1)
{
	return a0 < b1 && b0 < a1;
}

/* Move every piece by (to - from) of the block, piece by piece. */
static int move_direct(struct piece *p, int n, unsigned long from,
		       unsigned long to)
{
	int i;

	for (i = 0; i < n; i++) {
		void *r = mremap((void *)p[i].from, p[i].size,
				 p[i].size, MREMAP_MAYMOVE | MREMAP_FIXED,
				 (void *)(p[i].from - from + to));

		if (r == MAP_FAILED) {
			int err = errno;

			while (i-- > 0)
				mremap((void *)(p[i].from - from + to), p[i].size,
				       p[i].size, MREMAP_MAYMOVE | MREMAP_FIXED,
				       (void *)p[i].from);
			errno = err;
			return -1;
		}
	}
	for (i = 0; i < n; i++)
		p[i].from = p[i].from - from + to;
	return 0;
}

/*
 * Move the block [from, from + len) holding the pieces (their distances
 * kept) to @to.  mremap() cannot move a mapping onto a range it overlaps,
 * so an overlapping move goes through a scratch range that overlaps
 * neither.
 */
static int move_block(struct piece *p, int n, unsigned long from,
		      unsigned long to, unsigned long len)
{
	unsigned long s = 0;
	void *scratch;
	int i, ret;

	if (from == to)
		return 0;
	if (!overlaps(from, from + len, to, to + len))
		return move_direct(p, n, from, to);

	scratch = mmap(NULL, 3 * len, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (scratch == MAP_FAILED)
		return -1;
	for (i = 0; i < 3; i++) {
		s = (unsigned long)scratch + (unsigned long)i * len;
		if (!overlaps(s, s + len, to, to + len) &&
		    !overlaps(s, s + len, from, from + len))
			break;
	}
	ret = -1;
	if (i < 3 && !move_direct(p, n, from, s)) {
		ret = move_direct(p, n, s, to);
		if (ret)
			move_direct(p, n, s, from);
	}
	i = errno;
	munmap(scratch, 3 * len);
	errno = i;
	return ret;
}

/*
 * Plan the vDSO move: pieces for the image's VDSO/VVAR areas, the block
 * they form now and where it goes.  Fails (EINVAL) if this kernel's vDSO
 * differs from the image's (sizes, distance), EADDRINUSE if the image wants
 * it where this process has other memory.
 */
struct vdso_move {
	struct piece p[2];
	int n;
	unsigned long from, to, len;
};

static int plan_vdso(const struct bproc_vmad_image *img, struct vdso_move *mv)
{
	struct mapping *maps = NULL, cur[2];
	u32 idx[2] = { img->vvar_area, img->vdso_area };
	unsigned long lo_from = ULONG_MAX, lo_to = ULONG_MAX, hi_to = 0;
	int nmaps, i, j;

	memset(mv, 0, sizeof(*mv));
	if (idx[0] == BPROC_VMAD_NO_AREA && idx[1] == BPROC_VMAD_NO_AREA)
		return 0;
	nmaps = read_maps(&maps, &cur[0], &cur[1]);
	if (nmaps < 0)
		return -1;
	if (cur[1].start && getauxval(AT_SYSINFO_EHDR) != cur[1].start) {
		free(maps);
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < 2; i++) {
		struct vmad_area a;

		if (idx[i] == BPROC_VMAD_NO_AREA)
			continue;
		bproc_vmad_get_area(img, idx[i], &a);
		if (!cur[i].start || cur[i].end - cur[i].start != a.end - a.start)
			goto inval;
		for (j = 0; j < nmaps; j++)
			if (overlaps(a.start, a.end, maps[j].start, maps[j].end)) {
				free(maps);
				errno = EADDRINUSE;
				return -1;
			}
		mv->p[mv->n].from = cur[i].start;
		mv->p[mv->n].to = a.start;
		mv->p[mv->n].size = a.end - a.start;
		mv->n++;
		if (cur[i].start < lo_from)
			lo_from = cur[i].start;
		if (a.start < lo_to)
			lo_to = a.start;
		if (a.end > hi_to)
			hi_to = a.end;
	}
	free(maps);
	/* The vDSO finds its data at a fixed distance: keep it. */
	if (mv->n == 2 && mv->p[1].to - mv->p[0].to != mv->p[1].from - mv->p[0].from)
		goto inval_nomaps;
	mv->from = lo_from;
	mv->to = lo_to;
	mv->len = hi_to - lo_to;
	return 0;
inval:
	free(maps);
inval_nomaps:
	errno = EINVAL;
	return -1;
}

int bproc_vmaundump(int fd)
{
	return bproc_vmaundump_flags(fd, 0);
}

/* The calling thread's capability sets (capget/capset, version 3). */
static int caps_get(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return (int)syscall(SYS_capget, &h, d);
}

static int caps_set(const struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return (int)syscall(SYS_capset, &h, d);
}

/*
 * The working directory: the image's, or / where it does not exist or may
 * not be entered.  Always entered with the ids the process will run with
 * (Documentation/security.md): never as root for another user's image.
 */
static int enter_cwd(const char *cwd)
{
	if (cwd && !chdir(cwd))
		return 0;
	return chdir("/");
}

/*
 * As root, restoring another user's image: become that user first, with the
 * system calls (groups, then gids, then uids), so that the kernel counts
 * the process against that user's process limit from the start.  The
 * module sets the ids itself too, but cannot move that accounting (its
 * helpers are not exported): a restored process that forked a child which
 * exec'd left the count unbalanced.  Root's capabilities are kept through
 * the switch (PR_SET_KEEPCAPS, then the effective set raised again), so
 * the restore goes on exactly as root's would (the executable link, the
 * image's hard limits and nice value, its ids and groups); the kernel
 * drops them as setuid() does when it commits the image's credentials.
 * The working directory @cwd is entered in between, with the user's ids
 * and no effective capability, so that root's DAC override cannot put the
 * process in a directory its user may not enter.
 * Returns 1 if the ids were switched, 0 if nothing was needed (the caller
 * enters @cwd), -1 with errno (the ids may be partly changed).
 */
static int become_image_user(const struct bproc_vmad_image *img,
			     const char *cwd)
{
	struct __user_cap_data_struct caps[2];
	struct vmad_cred c;
	gid_t *groups;
	u32 i;
	int ret;

	if (geteuid() != 0)
		return 0;	/* the kernel restores as the caller */
	bproc_vmad_read(img, VMAD_REC_CRED, 0, &c, sizeof(c));
	if (!c.uid && !c.euid && !c.suid && !c.fsuid)
		return 0;	/* root stays root: the kernel sets the gids */
	if (caps_get(caps))
		return -1;
	groups = calloc(img->ngroups ? img->ngroups : 1, sizeof(*groups));
	if (!groups)
		return -1;
	for (i = 0; i < img->ngroups; i++)
		groups[i] = bproc_vmad_get_group(img, i);
	ret = setgroups(img->ngroups, groups);
	free(groups);
	if (ret || setresgid(c.gid, c.egid, c.sgid))
		return -1;
	setfsgid(c.fsgid);
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) || setresuid(c.uid, c.euid, c.suid))
		return -1;
	setfsuid(c.fsuid);
	/* The effective set is empty now: the user's own rights only. */
	if (enter_cwd(cwd))
		return -1;
	prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	/* setresuid() cleared the effective set; the permitted one stayed. */
	caps[0].effective = caps[0].permitted;
	caps[1].effective = caps[1].permitted;
	if (caps_set(caps))
		return -1;
	return 1;
}

/* A refused restore after the switch: no root capability is left behind. */
static void drop_caps(void)
{
	struct __user_cap_data_struct none[2];

	memset(none, 0, sizeof(none));
	caps_set(none);
}

int bproc_vmaundump_flags(int fd, int flags)
{
	struct bproc_vmad_image img;
	struct bproc_vmad_err verr;
	struct bproc_undump_req req;
	struct vmad_header hdr;
	struct vdso_move mv;
	struct vmad_proc proc;
	sigset_t all, oldmask;
	char *oldcwd = NULL;
	const char *cwd;
	u8 *prefix = NULL;
	int cfd, ret, err, switched;

	cfd = bproc_control_fd();
	if (cfd < 0)
		return -1;

	prefix = malloc(VMAD_HEADER_SIZE);
	if (!prefix)
		return -1;
	if (read_full(fd, prefix, VMAD_HEADER_SIZE))
		goto fail;
	ret = bproc_vmad_check_header(prefix, VMAD_HEADER_SIZE, &hdr, &verr);
	if (ret) {
		errno = -ret;
		goto fail;
	}
	{
		u8 *p = realloc(prefix, hdr.prefix_size);

		if (!p)
			goto fail;
		prefix = p;
	}
	if (read_full(fd, prefix + VMAD_HEADER_SIZE,
		      hdr.prefix_size - VMAD_HEADER_SIZE))
		goto fail;
	ret = bproc_vmad_check_prefix(&img, prefix, hdr.prefix_size, &verr);
	if (ret) {
		errno = -ret;
		goto fail;
	}

	bproc_vmad_read(&img, VMAD_REC_PROC, 0, &proc, sizeof(proc));
	cwd = bproc_vmad_get_string(&img, proc.cwd, NULL);
	oldcwd = getcwd(NULL, 0);
	if (!oldcwd)
		goto fail;
	if (plan_vdso(&img, &mv))
		goto fail;
	/* The ids first, then the working directory with those ids. */
	switched = become_image_user(&img, cwd);
	if (switched < 0) {
		err = errno;
		drop_caps();
		errno = err;
		goto fail_cwd;
	}
	if (!switched && enter_cwd(cwd))
		goto fail_cwd;

	memset(&req, 0, sizeof(req));
	req.fd = fd;
	req.flags = flags;
	req.prefix = (uintptr_t)prefix;
	req.prefix_len = hdr.prefix_size;

	/*
	 * From here to the ioctl: nothing that may use the vDSO, and no
	 * signal handler that might (the kernel sets the image's mask).
	 */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &oldmask);
	if (move_block(mv.p, mv.n, mv.from, mv.to, mv.len)) {
		err = errno;
		sigprocmask(SIG_SETMASK, &oldmask, NULL);
		errno = err;
		goto fail_cwd;
	}
	ioctl(cfd, BPROC_IOC_VMAUNDUMP, &req);
	/* Only a refused image returns here; the caller is intact. */
	err = errno;
	if (switched > 0)
		drop_caps();	/* it is the image's user now, and stays so */
	move_block(mv.p, mv.n, mv.to, mv.from, mv.len);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	errno = err;
fail_cwd:
	err = errno;
	if (chdir(oldcwd) < 0) {
		/* Nothing better to do: the directory went away meanwhile. */
	}
	errno = err;
fail:
	err = errno;
	free(oldcwd);
	free(prefix);
	errno = err;
	return -1;
}

int bproc_undump(int fd)
{
	return bproc_vmaundump(fd);
}
