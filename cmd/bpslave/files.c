// SPDX-License-Identifier: GPL-2.0
/*
 * The master's files on this node (Documentation/remote-files.md): a
 * read-only FUSE file system at BPSLAVE_MASTER_FS whose every lookup,
 * attribute and listing is asked of the master (FILE_STAT, FILE_LIST), and
 * whose files' bytes come from it once per version (FILE_READ) into a
 * cache in memory.  The node's process space sees the master's program
 * and library directories through it (nsinit.c binds them).
 *
 * Staleness: each open asks the master what the file is now, and its
 * bytes are those of that version (fetched, or from the cache if that
 * version is there); attributes and names are kept for ATTR_S seconds, as
 * NFS does.  The cache is keyed by the master's version of the file (dev,
 * inode, size, mtime, ctime), holds at most FILES_CACHE_MAX bytes, and
 * evicts the least recently opened files no process has open.
 *
 * Rights: every request carries the asking process's fs ids and groups,
 * as this node's kernel gives them (fuse_req_ctx, BPROC_IOC_TASK_GROUPS:
 * asker()), and the master answers
 * with that user's rights there (cmd/bpmaster/files.c); the kernel here
 * also checks the master's modes (default_permissions).
 *
 * One thread: FUSE requests are read in bpslave's poll loop, sent to the
 * master, and answered when its reply comes; nothing here blocks on the
 * master.  bpslave itself never touches the mount.
 */
#define FUSE_USE_VERSION 35
#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpslave.h"

#define ATTR_S		1.0		/* names and attributes kept this long */
#define FILES_CACHE_MAX	(512ull << 20)	/* bytes of file data kept */
#define READ_WINDOW	8		/* FILE_READs in flight per file */
#define OPEN_TRIES	3		/* a file that keeps changing: EIO */
#define NODE_BUCKETS	4096

/* A name the kernel knows (a FUSE inode): a path on the master. */
struct fnode {
	uint64_t ino;
	uint64_t nlookup;
	char *path;
	struct bpwire_fver ver;		/* the version the kernel was last told of */
	bool known;			/* ... if it was told of one */
	struct fnode *by_ino, *by_path;
};

/* A version of a file's bytes, in a memfd. */
struct centry {
	struct bpwire_fver ver;
	int fd;
	unsigned int opens;
	bool complete;
	uint64_t used;			/* a counter, for LRU */
	struct centry *next;
};

enum fop { FOP_LOOKUP, FOP_GETATTR, FOP_READLINK, FOP_OPEN, FOP_READ, FOP_LIST };

/* A FUSE request waiting for the master. */
struct fpend {
	uint64_t id;			/* our frame's id (READ: see ids) */
	uint64_t ids[READ_WINDOW];	/* READ: the pieces in flight, 0: free */
	uint64_t offs[READ_WINDOW];	/* ... and their offsets */
	bool stale;			/* READ: the file changed meanwhile */
	enum fop op;
	fuse_req_t req;
	struct fnode *fn;
	char *path;			/* LOOKUP: the new name's path */
	size_t size;			/* LIST: the kernel's buffer */
	off_t off;			/* LIST: its offset */
	struct fuse_file_info fi;	/* OPEN */
	struct centry *ce;		/* OPEN/READ: being filled */
	uint64_t next_off;		/* READ: next offset to ask for */
	unsigned int inflight, tries;
	struct bpwire_file_req q;	/* the request, for READs and retries */
	struct fpend *next;
};

static struct {
	struct fuse_session *se;
	int fd;
	struct session *s;		/* the master's, while there is one */
	struct fnode *by_ino[NODE_BUCKETS], *by_path[NODE_BUCKETS];
	uint64_t next_ino;
	struct centry *cache;
	uint64_t cached, clock;
	struct fpend *pend;
	uint64_t seq;
	struct fuse_buf buf;
} X = { .fd = -1, .next_ino = FUSE_ROOT_ID };

/* ---- names ------------------------------------------------------------- */

static size_t hash_str(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h % NODE_BUCKETS;
}

static struct fnode *node_by_ino(uint64_t ino)
{
	struct fnode *n;

	for (n = X.by_ino[ino % NODE_BUCKETS]; n; n = n->by_ino)
		if (n->ino == ino)
			return n;
	return NULL;
}

/* The node for @path, made if need be (taking @path), or NULL. */
static struct fnode *node_get(char *path)
{
	size_t h = hash_str(path);
	struct fnode *n;

	for (n = X.by_path[h]; n; n = n->by_path) {
		if (!strcmp(n->path, path)) {
			free(path);
			return n;
		}
	}
	n = calloc(1, sizeof(*n));
	if (!n) {
		free(path);
		return NULL;
	}
	n->path = path;
	n->ino = strcmp(path, "/") ? ++X.next_ino : FUSE_ROOT_ID;
	n->by_path = X.by_path[h];
	X.by_path[h] = n;
	n->by_ino = X.by_ino[n->ino % NODE_BUCKETS];
	X.by_ino[n->ino % NODE_BUCKETS] = n;
	return n;
}

static void node_forget(struct fnode *n, uint64_t k)
{
	struct fnode **pp;

	n->nlookup = n->nlookup > k ? n->nlookup - k : 0;
	if (n->nlookup || n->ino == FUSE_ROOT_ID)
		return;
	for (pp = &X.by_ino[n->ino % NODE_BUCKETS]; *pp != n; pp = &(*pp)->by_ino)
		;
	*pp = n->by_ino;
	for (pp = &X.by_path[hash_str(n->path)]; *pp != n; pp = &(*pp)->by_path)
		;
	*pp = n->by_path;
	free(n->path);
	free(n);
}

/*
 * The kernel is told of version @v of @n (an entry, attributes, an open).
 * If it knew another, its size and pages are the old file's: they go (a
 * read would stop at the old size, or show old bytes).
 */
static void node_told(struct fnode *n, const struct bpwire_fver *v)
{
	if (n->known && memcmp(&n->ver, v, sizeof(*v)))
		fuse_lowlevel_notify_inval_inode(X.se, n->ino, 0, 0);
	n->ver = *v;
	n->known = true;
}

/* ---- the cache ---------------------------------------------------------- */

static bool same_ver(const struct bpwire_fver *a, const struct bpwire_fver *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static struct centry *cache_find(const struct bpwire_fver *v)
{
	for (struct centry *c = X.cache; c; c = c->next)
		if (c->complete && same_ver(&c->ver, v))
			return c;
	return NULL;
}

static void cache_drop(struct centry *c)
{
	struct centry **pp;

	for (pp = &X.cache; *pp && *pp != c; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = c->next;
	X.cached -= c->ver.size;
	close(c->fd);
	free(c);
}

/* Room for @size more bytes: the least recently used unopened files go. */
static void cache_room(uint64_t size)
{
	while (X.cached + size > FILES_CACHE_MAX) {
		struct centry *victim = NULL;

		for (struct centry *c = X.cache; c; c = c->next)
			if (!c->opens && c->complete && (!victim || c->used < victim->used))
				victim = c;
		if (!victim)
			return;		/* all in use: over the bound until released */
		cache_drop(victim);
	}
}

static struct centry *cache_new(const struct bpwire_fver *v)
{
	struct centry *c;

	cache_room(v->size);
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->fd = memfd_create("bproc-file", MFD_CLOEXEC);
	if (c->fd < 0 || ftruncate(c->fd, (off_t)v->size)) {
		if (c->fd >= 0)
			close(c->fd);
		free(c);
		return NULL;
	}
	c->ver = *v;
	c->next = X.cache;
	X.cache = c;
	X.cached += v->size;
	return c;
}

/* ---- requests to the master --------------------------------------------- */

/*
 * The asker's rights into @q; false if they cannot be told.  Its fs ids
 * come with the request, its supplementary groups from this node's kernel
 * (BPROC_IOC_TASK_GROUPS: the task's credentials), not from
 * fuse_req_getgroups(), which reads /proc/PID/status: that waits for the
 * asker's mmap lock, and a restore holds that lock while it opens the
 * image's files through here (bpslave would wait for itself).  A task the
 * kernel does not find with those fs ids (it ended, an interrupted
 * request) is asked for with no groups: fewer rights, never more.
 */
static bool asker(fuse_req_t req, struct bpwire_file_req *q)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	struct bproc_task_groups tg = { .pid = ctx->pid, .fsuid = ctx->uid,
					.fsgid = ctx->gid };

	memset(q, 0, sizeof(*q));
	q->uid = ctx->uid;
	q->gid = ctx->gid;
	if (q->uid == BPWIRE_ID_INVALID || q->gid == BPWIRE_ID_INVALID)
		return false;
	if (X.s && X.s->kfd >= 0 && ctx->pid > 0 &&
	    ioctl(X.s->kfd, BPROC_IOC_TASK_GROUPS, &tg) == 0) {
		_Static_assert(BPROC_TASK_GROUPS_MAX == BPWIRE_FGROUPS_MAX,
			       "a request carries all the groups the kernel gives");
		for (uint32_t i = 0; i < tg.ngroups && i < BPWIRE_FGROUPS_MAX; i++)
			if (tg.groups[i] != BPWIRE_ID_INVALID)
				q->groups[q->ngroups++] = tg.groups[i];
	}
	return true;
}

static int send_req(struct fpend *p, uint16_t type)
{
	struct bpwire_msg m;

	if (!X.s || X.s->node < 0)
		return -EIO;	/* no master: nothing can be read */
	p->id = ++X.seq | (1ull << 62);	/* apart from the calls' ids */
	bpwire_init(&m, type, p->id, X.s->node, BPROC_NODE_MASTER);
	m.u.file_req = p->q;
	return send_frame(X.s, &m) ? -EIO : 0;
}

/* Ask @type about @path for @req; the answer comes to files_reply(). */
static void ask(fuse_req_t req, enum fop op, uint16_t type, struct fnode *fn,
		char *path, struct fpend *init)
{
	struct fpend *p = calloc(1, sizeof(*p));
	const char *what = path ? path : fn->path;
	int err;

	if (!p) {
		free(path);
		fuse_reply_err(req, ENOMEM);
		return;
	}
	if (init)
		*p = *init;
	p->req = req;
	p->op = op;
	p->fn = fn;
	p->path = path;
	if (!asker(req, &p->q)) {
		err = EPERM;
		goto fail;
	}
	p->q.path = path ? path : fn->path;
	p->q.path_len = (uint32_t)strlen(what);
	if (op == FOP_LIST)
		p->q.offset = (uint64_t)p->off;
	err = -send_req(p, type);
	if (err)
		goto fail;
	p->next = X.pend;
	X.pend = p;
	return;
fail:
	free(p->path);
	free(p);
	fuse_reply_err(req, err);
}

static void attr_of(const struct bpwire_file_rep *r, uint64_t ino, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_mode = r->mode;
	st->st_nlink = r->nlink;
	st->st_uid = r->uid;
	st->st_gid = r->gid;
	st->st_size = (off_t)r->ver.size;
	st->st_blksize = 4096;
	st->st_blocks = (blkcnt_t)r->blocks;
	st->st_mtim.tv_sec = r->ver.mtime_ns / 1000000000;
	st->st_mtim.tv_nsec = r->ver.mtime_ns % 1000000000;
	st->st_ctim.tv_sec = r->ver.ctime_ns / 1000000000;
	st->st_ctim.tv_nsec = r->ver.ctime_ns % 1000000000;
	st->st_atim = st->st_mtim;
}

/* ---- FUSE operations ---------------------------------------------------- */

static void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct fnode *dir = node_by_ino(parent);
	size_t dl, nl = strlen(name);
	char *path;

	if (!dir) {
		fuse_reply_err(req, ESTALE);
		return;
	}
	dl = strcmp(dir->path, "/") ? strlen(dir->path) : 0;
	if (dl + 1 + nl > BPWIRE_PATH_MAX) {
		fuse_reply_err(req, ENAMETOOLONG);
		return;
	}
	path = malloc(dl + nl + 2);
	if (!path) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	memcpy(path, dir->path, dl);
	path[dl] = '/';
	memcpy(path + dl + 1, name, nl + 1);
	if (!bpwire_fpath_ok(path, dl + 1 + nl)) {
		free(path);
		fuse_reply_err(req, ENOENT);
		return;
	}
	ask(req, FOP_LOOKUP, BPWIRE_FILE_STAT, dir, path, NULL);
}

static void op_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	struct fnode *n = node_by_ino(ino);

	if (n)
		node_forget(n, nlookup);
	fuse_reply_none(req);
}

static void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct fnode *n = node_by_ino(ino);

	(void)fi;
	if (!n)
		fuse_reply_err(req, ESTALE);
	else
		ask(req, FOP_GETATTR, BPWIRE_FILE_STAT, n, NULL, NULL);
}

static void op_readlink(fuse_req_t req, fuse_ino_t ino)
{
	struct fnode *n = node_by_ino(ino);

	if (!n)
		fuse_reply_err(req, ESTALE);
	else
		ask(req, FOP_READLINK, BPWIRE_FILE_STAT, n, NULL, NULL);
}

static void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct fnode *n = node_by_ino(ino);
	struct fpend init = { .fi = *fi };

	if (!n) {
		fuse_reply_err(req, ESTALE);
		return;
	}
	if ((fi->flags & O_ACCMODE) != O_RDONLY) {
		fuse_reply_err(req, EROFS);
		return;
	}
	/* What is it now?  Then its bytes, of that version. */
	ask(req, FOP_OPEN, BPWIRE_FILE_STAT, n, NULL, &init);
}

static void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct centry *c = (struct centry *)(uintptr_t)fi->fh;
	char *buf;
	ssize_t r;

	(void)ino;
	if (!c) {
		fuse_reply_err(req, EBADF);
		return;
	}
	buf = malloc(size ? size : 1);
	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	r = pread(c->fd, buf, size, off);
	if (r < 0)
		fuse_reply_err(req, errno);
	else
		fuse_reply_buf(req, buf, (size_t)r);
	free(buf);
}

static void op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct centry *c = (struct centry *)(uintptr_t)fi->fh;

	(void)ino;
	if (c && c->opens)
		c->opens--;
	fuse_reply_err(req, 0);
}

static void op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	if (!node_by_ino(ino)) {
		fuse_reply_err(req, ESTALE);
		return;
	}
	fi->cache_readdir = 0;
	fuse_reply_open(req, fi);
}

static void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	struct fnode *n = node_by_ino(ino);
	struct fpend init = { .size = size, .off = off };

	(void)fi;
	if (!n)
		fuse_reply_err(req, ESTALE);
	else
		ask(req, FOP_LIST, BPWIRE_FILE_LIST, n, NULL, &init);
}

static const struct fuse_lowlevel_ops ops = {
	.lookup = op_lookup,
	.forget = op_forget,
	.getattr = op_getattr,
	.readlink = op_readlink,
	.open = op_open,
	.read = op_read,
	.release = op_release,
	.opendir = op_opendir,
	.readdir = op_readdir,
};

/* ---- the master's answers ---------------------------------------------- */

static void pend_free(struct fpend *p)
{
	struct fpend **pp;

	for (pp = &X.pend; *pp && *pp != p; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = p->next;
	free(p->path);
	free(p);
}

/* Fail @p's request with @err (positive), and forget it. */
static void pend_fail(struct fpend *p, int err)
{
	if (p->ce && !p->ce->complete)
		cache_drop(p->ce);
	fuse_reply_err(p->req, err);
	pend_free(p);
}

/* Ask for the next pieces of @p's file, up to READ_WINDOW in flight. */
static int read_more(struct fpend *p)
{
	while (!p->stale && p->inflight < READ_WINDOW && p->next_off < p->ce->ver.size) {
		uint64_t left = p->ce->ver.size - p->next_off;
		int k = 0;

		while (p->ids[k])
			k++;	/* a free slot: inflight < READ_WINDOW */
		p->q.offset = p->next_off;
		p->q.len = left < BPWIRE_FDATA_MAX ? (uint32_t)left : BPWIRE_FDATA_MAX;
		p->q.ver = p->ce->ver;
		if (send_req(p, BPWIRE_FILE_READ))
			return -EIO;
		p->ids[k] = p->id;
		p->offs[k] = p->next_off;
		p->next_off += p->q.len;
		p->inflight++;
	}
	return 0;
}

/* @p's file is there: open it from the cache. */
static void open_done(struct fpend *p, struct centry *c)
{
	c->opens++;
	c->used = ++X.clock;
	p->fi.fh = (uintptr_t)c;
	/* The kernel's pages stay if this is the version they were read from. */
	p->fi.keep_cache = p->fn->known && same_ver(&p->fn->ver, &c->ver);
	node_told(p->fn, &c->ver);
	if (fuse_reply_open(p->req, &p->fi) == -ENOENT)
		c->opens--;	/* the opener was interrupted */
	pend_free(p);
}

static void on_stat(struct fpend *p, const struct bpwire_msg *m)
{
	const struct bpwire_file_rep *r = &m->u.file_rep;
	struct fuse_entry_param e;
	struct stat st;
	struct centry *c;
	char target[BPWIRE_PATH_MAX + 1];

	switch (p->op) {
	case FOP_LOOKUP: {
		struct fnode *n = node_get(p->path);

		p->path = NULL;		/* node_get took it */
		if (!n) {
			pend_fail(p, ENOMEM);
			return;
		}
		memset(&e, 0, sizeof(e));
		e.ino = n->ino;
		e.attr_timeout = e.entry_timeout = ATTR_S;
		attr_of(r, n->ino, &e.attr);
		if (fuse_reply_entry(p->req, &e) == 0)
			n->nlookup++;
		if (S_ISREG(r->mode))
			node_told(n, &r->ver);
		pend_free(p);
		return;
	}
	case FOP_GETATTR:
		attr_of(r, p->fn->ino, &st);
		fuse_reply_attr(p->req, &st, ATTR_S);
		if (S_ISREG(r->mode))
			node_told(p->fn, &r->ver);
		pend_free(p);
		return;
	case FOP_READLINK:
		if (!S_ISLNK(r->mode)) {
			pend_fail(p, EINVAL);
			return;
		}
		memcpy(target, r->data, r->len);
		target[r->len] = '\0';
		fuse_reply_readlink(p->req, target);
		pend_free(p);
		return;
	case FOP_OPEN:
		if (!S_ISREG(r->mode)) {
			pend_fail(p, S_ISDIR(r->mode) ? EISDIR : EACCES);
			return;
		}
		c = cache_find(&r->ver);
		if (c) {
			open_done(p, c);
			return;
		}
		p->ce = cache_new(&r->ver);
		if (!p->ce) {
			pend_fail(p, ENOMEM);
			return;
		}
		p->op = FOP_READ;
		p->next_off = 0;
		p->inflight = 0;
		if (!r->ver.size) {
			p->ce->complete = true;
			open_done(p, p->ce);
			return;
		}
		if (read_more(p))
			pend_fail(p, EIO);
		return;
	default:
		pend_fail(p, EIO);
	}
}

static void on_data(struct fpend *p, const struct bpwire_msg *m, uint64_t offset)
{
	const struct bpwire_file_rep *r = &m->u.file_rep;

	if (r->len > p->ce->ver.size - offset) {
		pend_fail(p, EIO);	/* more than the file has */
		return;
	}
	if (r->len && pwrite(p->ce->fd, r->data, r->len, (off_t)offset) != (ssize_t)r->len) {
		pend_fail(p, EIO);
		return;
	}
	if (read_more(p)) {
		pend_fail(p, EIO);
		return;
	}
	if (p->inflight || p->next_off < p->ce->ver.size)
		return;
	p->ce->complete = true;
	open_done(p, p->ce);
}

static void on_entries(struct fpend *p, const struct bpwire_msg *m)
{
	const struct bpwire_file_rep *r = &m->u.file_rep;
	char *buf = malloc(p->size ? p->size : 1), name[256];
	size_t used = 0;
	uint32_t off = 0;
	uint64_t next;
	uint8_t type, nl;
	const char *np;

	if (!buf) {
		pend_fail(p, ENOMEM);
		return;
	}
	while (bpwire_fentry_next(r, &off, &next, &type, &np, &nl)) {
		/* d_ino 0 would hide the entry (libc skips it): "unknown". */
		struct stat st = { .st_ino = 0xffffffff, .st_mode = (mode_t)type << 12 };
		size_t k;

		memcpy(name, np, nl);
		name[nl] = '\0';
		k = fuse_add_direntry(p->req, buf + used, p->size - used, name, &st,
				      (off_t)next);
		if (k > p->size - used)
			break;	/* full: the kernel asks again from the last one */
		used += k;
	}
	fuse_reply_buf(p->req, buf, used);
	free(buf);
	pend_free(p);
}

/* Start @p's open again from what the file is now (it changed). */
static void open_again(struct fpend *p)
{
	if (p->ce)
		cache_drop(p->ce);
	p->ce = NULL;
	p->stale = false;
	if (++p->tries >= OPEN_TRIES) {
		pend_fail(p, EIO);
		return;
	}
	p->op = FOP_OPEN;
	p->q.len = 0;
	p->q.offset = 0;
	memset(&p->q.ver, 0, sizeof(p->q.ver));
	if (send_req(p, BPWIRE_FILE_STAT))
		pend_fail(p, EIO);
}

/* The master's reply to one of our FILE requests. */
void files_reply(const struct bpwire_msg *m)
{
	struct fpend *p;
	uint64_t off = 0;
	int k = -1;

	for (p = X.pend; p; p = p->next) {
		if (p->op == FOP_READ) {
			for (k = 0; k < READ_WINDOW && p->ids[k] != m->hdr.id; k++)
				;
			if (k < READ_WINDOW)
				break;
			k = -1;
		} else if (p->id == m->hdr.id) {
			break;
		}
	}
	if (!p)
		return;		/* one we gave up on */
	if (k >= 0) {
		if (m->hdr.type != BPWIRE_FILE_DATA)
			return;
		off = p->offs[k];
		p->ids[k] = 0;
		p->inflight--;
		if (m->hdr.result == -ESTALE || p->stale) {
			/* It changed while it came: again, once the others are in. */
			p->stale = true;
			if (!p->inflight)
				open_again(p);
			return;
		}
		if (m->hdr.result < 0) {
			pend_fail(p, (int)-m->hdr.result);
			return;
		}
		on_data(p, m, off);
		return;
	}
	if (m->hdr.result < 0) {
		pend_fail(p, (int)-m->hdr.result);
		return;
	}
	if (p->op == FOP_LIST ? m->hdr.type != BPWIRE_FILE_ENTRIES :
				m->hdr.type != BPWIRE_FILE_ATTR) {
		pend_fail(p, EIO);
		return;
	}
	if (m->hdr.type == BPWIRE_FILE_ATTR)
		on_stat(p, m);
	else
		on_entries(p, m);
}

/* ---- the mount, the session, the poll loop ------------------------------ */

int files_start(void)
{
	char *argv[] = {
		"bpslave", "-o",
		"ro,allow_other,default_permissions,fsname=bproc-master,subtype=bproc",
		NULL,
	};
	struct fuse_args args = FUSE_ARGS_INIT(3, argv);
	struct fnode *root;
	char *slash = strdup("/");

	mkdir("/run/bproc", 0755);
	/* A previous bpslave's, whose connection is dead (ENOTCONN). */
	umount2(BPSLAVE_MASTER_FS, MNT_DETACH);
	if (mkdir(BPSLAVE_MASTER_FS, 0755) && errno != EEXIST)
		return -errno;
	root = slash ? node_get(slash) : NULL;
	if (!root)
		return -ENOMEM;
	root->nlookup = 1;
	X.se = fuse_session_new(&args, &ops, sizeof(ops), NULL);
	if (!X.se)
		return -EIO;
	if (fuse_session_mount(X.se, BPSLAVE_MASTER_FS)) {
		fuse_session_destroy(X.se);
		X.se = NULL;
		return -EIO;
	}
	X.fd = fuse_session_fd(X.se);
	fcntl(X.fd, F_SETFL, fcntl(X.fd, F_GETFL) | O_NONBLOCK);
	return 0;
}

void files_stop(void)
{
	if (!X.se)
		return;
	fuse_session_unmount(X.se);
	fuse_session_destroy(X.se);
	X.se = NULL;
	X.fd = -1;
}

int files_fd(void)
{
	return X.fd;
}

void files_ready(void)
{
	/* A few at a time: the rest of the loop gets its turn. */
	for (int i = 0; i < 64 && X.se; i++) {
		int r = fuse_session_receive_buf(X.se, &X.buf);

		if (r <= 0) {
			if (r == -ENODEV) {
				bpd_warn("the master's files are unmounted");
				fuse_session_destroy(X.se);
				X.se = NULL;
				X.fd = -1;
			}
			return;
		}
		fuse_session_process_buf(X.se, &X.buf);
	}
}

void files_session(struct session *s)
{
	X.s = s;
	if (s)
		return;
	/* The master is gone: what waits for it fails. */
	while (X.pend)
		pend_fail(X.pend, EIO);
}

int on_file_reply(struct session *s, const struct bpwire_msg *m)
{
	(void)s;
	files_reply(m);
	return 0;
}
