// SPDX-License-Identifier: GPL-2.0
/*
 * The master's files, read by the nodes (FILE_STAT, FILE_READ, FILE_LIST;
 * Documentation/remote-files.md).  A node's bpslave serves a read-only view
 * of the master's tree to its processes and asks here for what they open.
 *
 * What is served is what the remote-file list names (/proc/bproc/libraries:
 * an entry ending in "/" is a tree, any other one file), and the
 * directories on the way to those (listed with only the names that lead
 * there).  Nothing else: no /etc/shadow, no home directory.
 *
 * Every request is made with the rights of the node process that asked
 * (its fs ids and groups, as its node's kernel saw them): bpmaster takes
 * them for the call (setfsuid, setfsgid, setgroups; bpmaster has one
 * thread) and drops them after, so a file the user cannot read here is
 * not read there, and a directory the user cannot search is not crossed.
 * Paths are resolved with no symlink followed (openat2's
 * RESOLVE_NO_SYMLINKS): the node follows symlinks itself, each hop asked
 * for again, so a link cannot lead this side outside the list.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bpmaster.h"

/* The list is read again when a request comes this long after the last read. */
#define FILES_LIST_MS	1000

/* Where the list is read (a unit test reads its own). */
const char *files_list_path = BPROCFS "/libraries";

static struct {
	char **list;		/* NULL-terminated; NULL before the first read */
	uint64_t read_at;
	unsigned char buf[BPWIRE_FDATA_MAX];
} F;

/* ---- what is served ------------------------------------------------ */

int files_allowed(const char *const *list, const char *path, size_t len)
{
	int r = FILES_NO;

	for (; list && *list; list++) {
		const char *e = *list;
		size_t el = strlen(e);
		bool tree = el > 1 && e[el - 1] == '/';
		size_t base = tree ? el - 1 : el;	/* without its "/" */

		/* The entry itself, or (a tree) anything under it. */
		if (len == base && !memcmp(path, e, len))
			return FILES_ALL;
		if (tree && len > base && !memcmp(path, e, el))
			return FILES_ALL;
		/* A directory on the way to it: "/" or a prefix ending at a "/". */
		if (len == 1 || (len < base && !memcmp(path, e, len) && e[len] == '/'))
			r = FILES_WAY;
	}
	return r;
}

void libraries_free(char **list)
{
	for (char **p = list; p && *p; p++)
		free(*p);
	free(list);
}

int libraries_read(char ***out)
{
	char **list = NULL, line[BPWIRE_PATH_MAX + 2];
	int n = 0;
	FILE *f;

	*out = NULL;
	f = fopen(files_list_path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char **p;

		line[strcspn(line, "\n")] = 0;
		if (line[0] != '/')
			continue;
		p = realloc(list, (n + 2) * sizeof(*list));
		if (!p)
			break;
		list = p;
		list[n] = strdup(line);
		if (!list[n])
			break;
		list[++n] = NULL;
	}
	fclose(f);
	*out = list;
	return n;
}

/* The remote-file list now (read at most every FILES_LIST_MS). */
static const char *const *files_list(void)
{
	uint64_t now = bpd_now_ms();
	char **list;
	int n;

	if (F.list && now - F.read_at < FILES_LIST_MS)
		return (const char *const *)F.list;
	n = libraries_read(&list);
	if (n < 0)
		return (const char *const *)F.list;	/* keep the last one */
	if (!list)
		list = calloc(1, sizeof(*list));	/* an empty list */
	if (list) {
		libraries_free(F.list);
		F.list = list;
		F.read_at = now;
	}
	return (const char *const *)F.list;
}

/* ---- as the user -------------------------------------------------------- */

/*
 * Take the rights of @q for what follows: 0, or -errno (then none taken).
 * The raw system calls change this thread only, which is all of bpmaster.
 */
static int become(const struct bpwire_file_req *q)
{
	gid_t groups[BPWIRE_FGROUPS_MAX];

	for (uint32_t i = 0; i < q->ngroups; i++)
		groups[i] = q->groups[i];
	if (syscall(SYS_setgroups, (size_t)q->ngroups, groups))
		return -errno;
	setfsgid(q->gid);
	setfsuid(q->uid);
	/* setfsuid() says nothing of a failure: ask. */
	if ((uid_t)setfsuid((uid_t)-1) != q->uid || (gid_t)setfsgid((gid_t)-1) != q->gid)
		return -EPERM;
	return 0;
}

static void unbecome(void)
{
	setfsuid(0);
	setfsgid(0);
	if (syscall(SYS_setgroups, (size_t)0, NULL) ||
	    setfsuid((uid_t)-1) != 0 || setfsgid((gid_t)-1) != 0) {
		/* Going on with a user's rights would be worse than stopping. */
		bpd_err("cannot take back root's file rights: %s", strerror(errno));
		abort();
	}
}

/* @q's path, NUL-terminated, into @buf (BPWIRE_PATH_MAX + 1 bytes). */
static const char *req_path(const struct bpwire_file_req *q, char *buf)
{
	memcpy(buf, q->path, q->path_len);
	buf[q->path_len] = '\0';
	return buf;
}

/* Open @path with no symlink followed on the way: an O_PATH descriptor or -errno. */
static int open_nofollow(const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
}

/* Open what O_PATH descriptor @pfd names, for reading (rights checked now). */
static int reopen(int pfd, int flags)
{
	char p[40];
	int fd;

	snprintf(p, sizeof(p), "/proc/self/fd/%d", pfd);
	fd = open(p, flags | O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	return fd < 0 ? -errno : fd;
}

static void fill_attr(struct bpwire_file_rep *r, const struct stat *st)
{
	r->mode = st->st_mode;
	r->nlink = (uint32_t)st->st_nlink;
	r->uid = st->st_uid;
	r->gid = st->st_gid;
	r->ver.dev = st->st_dev;
	r->ver.ino = st->st_ino;
	r->ver.size = (uint64_t)st->st_size;
	r->blocks = (uint64_t)st->st_blocks;
	r->ver.mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	r->ver.ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
}

static bool same_version(const struct bpwire_fver *a, const struct bpwire_fver *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns;
}

/* ---- the three requests ------------------------------------------------ */

static int file_stat(int pfd, struct bpwire_file_rep *r)
{
	struct stat st;
	ssize_t n;

	if (fstat(pfd, &st))
		return -errno;
	fill_attr(r, &st);
	if (!S_ISLNK(st.st_mode))
		return 0;
	n = readlinkat(pfd, "", (char *)F.buf, BPWIRE_PATH_MAX);
	if (n <= 0 || memchr(F.buf, 0, (size_t)n))
		return n < 0 ? -errno : -EIO;
	r->data = F.buf;
	r->len = (uint32_t)n;
	return 0;
}

static int file_read(int pfd, const struct bpwire_file_req *q,
		     struct bpwire_file_rep *r)
{
	struct stat st;
	ssize_t n;
	int fd;

	if (fstat(pfd, &st))
		return -errno;
	fill_attr(r, &st);
	if (!S_ISREG(st.st_mode))
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	if (!same_version(&r->ver, &q->ver))
		return -ESTALE;		/* with what it is now */
	fd = reopen(pfd, 0);
	if (fd < 0)
		return fd;
	n = pread(fd, F.buf, q->len, (off_t)q->offset);
	close(fd);
	if (n < 0)
		return -errno;
	r->data = F.buf;
	r->len = (uint32_t)n;
	return 0;
}

/* Does directory @dir (@dl bytes) + "/" + @name lead to something served? */
static bool name_served(const char *const *list, const char *dir, size_t dl,
			const char *name, size_t nl)
{
	char p[BPWIRE_PATH_MAX + 1];
	size_t n = dl == 1 ? 0 : dl;

	if (n + 1 + nl > BPWIRE_PATH_MAX)
		return false;
	memcpy(p, dir, n);
	p[n] = '/';
	memcpy(p + n + 1, name, nl);
	return files_allowed(list, p, n + 1 + nl) != FILES_NO;
}

static int file_list(int pfd, const struct bpwire_file_req *q, bool way,
		     const char *const *list, struct bpwire_file_rep *r)
{
	char dbuf[8192];
	struct stat st;
	uint32_t len = 0;
	uint64_t next = 0;
	bool full = false;
	int fd;

	if (fstat(pfd, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	fd = reopen(pfd, O_DIRECTORY);
	if (fd < 0)
		return fd;
	if (q->offset && lseek(fd, (off_t)q->offset, SEEK_SET) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	while (!full) {
		long n = syscall(SYS_getdents64, fd, dbuf, sizeof(dbuf));

		if (n < 0) {
			int err = -errno;

			close(fd);
			return err;
		}
		if (n == 0) {
			next = 0;	/* the end */
			break;
		}
		for (long o = 0; o < n;) {
			struct dirent64 *d = (struct dirent64 *)(dbuf + o);
			size_t nl = strlen(d->d_name);

			o += d->d_reclen;
			if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..") ||
			    nl > 255 ||
			    (way && !name_served(list, q->path, q->path_len,
						 d->d_name, nl))) {
				next = (uint64_t)d->d_off;
				continue;
			}
			/* Each entry says where the listing goes on after it. */
			if (!bpwire_fentry_put(F.buf, &len, BPWIRE_FDATA_MAX,
					       (uint64_t)d->d_off, d->d_type,
					       d->d_name, (uint8_t)nl)) {
				full = true;	/* the rest next time, from @next */
				break;
			}
			next = (uint64_t)d->d_off;
		}
	}
	close(fd);
	r->data = F.buf;
	r->len = len;
	/* A directory's last offset may be anything: an empty page ends it. */
	r->cookie = len ? next : 0;
	return 0;
}

bool slave_file(struct slave *s, const struct bpwire_msg *m)
{
	const struct bpwire_file_req *q = &m->u.file_req;
	const char *const *list = files_list();
	char path[BPWIRE_PATH_MAX + 1];
	struct bpwire_msg r;
	int how, pfd, err;

	bpwire_reply_init(&r, m->hdr.type + 1, m);
	how = files_allowed(list, q->path, q->path_len);
	if (how == FILES_NO || (how == FILES_WAY && m->hdr.type == BPWIRE_FILE_READ)) {
		err = -ENOENT;	/* not there, as far as the node may know */
		goto out;
	}
	err = become(q);
	if (err) {
		unbecome();
		goto out;
	}
	pfd = open_nofollow(req_path(q, path));
	if (pfd < 0) {
		err = pfd;
	} else {
		switch (m->hdr.type) {
		case BPWIRE_FILE_STAT:
			err = file_stat(pfd, &r.u.file_rep);
			break;
		case BPWIRE_FILE_READ:
			err = file_read(pfd, q, &r.u.file_rep);
			break;
		default:
			err = file_list(pfd, q, how == FILES_WAY, list, &r.u.file_rep);
		}
		close(pfd);
	}
	unbecome();
out:
	if (err) {
		/* ESTALE says what the file is now; other errors say nothing. */
		if (err != -ESTALE)
			memset(&r.u.file_rep, 0, sizeof(r.u.file_rep));
		r.u.file_rep.data = NULL;
		r.u.file_rep.len = 0;
		r.u.file_rep.cookie = 0;
		r.hdr.result = err;
	}
	slave_send(s, &r);
	return true;
}

void files_free(void)
{
	libraries_free(F.list);
	F.list = NULL;
}
