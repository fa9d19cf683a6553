// SPDX-License-Identifier: GPL-2.0-only OR LGPL-2.1-only
/*
 * bpwire - the payload decoders, one per message type, and the accessors of
 * a decoded NODES and LIBS.  bpwire_decode() (bpwire.c) checks the header
 * and calls bpwire_decode_payload().  A field's bytes are checked present
 * before they are read; see the top of bpwire.c.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "bpwire_msg.h"
#include "moveio_check.h"

/* ---- decoding ------------------------------------------------------- */
/*
 * Text for a log line: well-formed UTF-8 (shortest form, no surrogates, at
 * most U+10FFFF) without C0 or C1 control characters, DEL or NUL.
 */
static bool text_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		uint32_t cp, min;
		size_t k, len;

		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return false;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			len = 2;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4;
		else
			return false;
		cp = c & (0x7f >> len);
		min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
		if (n - i < len)
			return false;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp <= 0x9f)
			return false;
		i += len;
	}
	return true;
}

/* u16 len + text, which must end the payload exactly. */
static int decode_text(const unsigned char *p, size_t n,
		       struct bpwire_text *t, const char **why)
{
	uint16_t len;

	if (n < TEXT_FIXED)
		return fail(why, "reason: payload too short", -EPROTO);
	len = get16(p);
	if (len > BPWIRE_TEXT_MAX)
		return fail(why, "reason: longer than BPWIRE_TEXT_MAX", -EPROTO);
	if (n - TEXT_FIXED != len)
		return fail(why, "reason: length does not match the frame", -EPROTO);
	if (!text_ok(p + TEXT_FIXED, len))
		return fail(why, "reason: not printable UTF-8", -EPROTO);
	t->str = len ? (const char *)p + TEXT_FIXED : "";
	t->len = len;
	return 0;
}

static int decode_hello(const unsigned char *p, size_t n,
			struct bpwire_hello *h, const char **why)
{
	if (n < 8)
		return fail(why, "HELLO: payload too short", -EPROTO);
	if (get32(p) != BPWIRE_MAGIC)
		return fail(why, "HELLO: bad magic", -EPROTO);
	h->major = get16(p + 4);
	h->minor = get16(p + 6);
	if (h->major != BPWIRE_MAJOR)
		return fail(why, "HELLO: unsupported protocol major",
			    -EPROTONOSUPPORT);
	if (n != HELLO_SIZE)
		return fail(why, "HELLO: bad payload length", -EPROTO);
	h->want_node = (int32_t)get32(p + 8);
	h->flags = get32(p + 12);
	h->boot_id = get64(p + 16);
	if (h->flags)
		return fail(why, "HELLO: unknown flags", -EINVAL);
	if (h->want_node != BPROC_NODE_NONE &&
	    (h->want_node < 0 || h->want_node >= BPROC_NODES_MAX))
		return fail(why, "HELLO: want_node out of range", -EINVAL);
	return 0;
}

static int decode_welcome(const unsigned char *p, size_t n,
			  struct bpwire_welcome *w, const char **why)
{
	if (n < 4)
		return fail(why, "WELCOME: payload too short", -EPROTO);
	w->major = get16(p);
	w->minor = get16(p + 2);
	if (w->major != BPWIRE_MAJOR)
		return fail(why, "WELCOME: unsupported protocol major",
			    -EPROTONOSUPPORT);
	if (n != WELCOME_SIZE)
		return fail(why, "WELCOME: bad payload length", -EPROTO);
	w->node = (int32_t)get32(p + 4);
	w->numnodes = (int32_t)get32(p + 8);
	w->ping_ms = get32(p + 12);
	w->master_addr = get_addr(p + 16);
	if (get32(p + 20))
		return fail(why, "WELCOME: reserved not zero", -EINVAL);
	if (w->numnodes < 1 || w->numnodes > BPROC_NODES_MAX)
		return fail(why, "WELCOME: numnodes out of range", -EINVAL);
	if (w->node < 0 || w->node >= w->numnodes)
		return fail(why, "WELCOME: node out of range", -EINVAL);
	if (w->ping_ms < 1 || w->ping_ms > BPWIRE_PING_MS_MAX)
		return fail(why, "WELCOME: ping_ms out of range", -EINVAL);
	return 0;
}

static void get_entry(const unsigned char *p, struct bproc_node_entry *e)
{
	e->node = (int32_t)get32(p);
	e->valid = get32(p + 4);
	e->status = get32(p + 8);
	e->addr = get_addr(p + 12);
	e->uid = get32(p + 16);
	e->gid = get32(p + 20);
	e->mode = get32(p + 24);
	e->reserved = get32(p + 28);
}

static int check_entry(const struct bproc_node_entry *e, int32_t node,
		       const char **why)
{
	if (e->node != node)
		return fail(why, "NODES: entry's node is not first + index", -EINVAL);
	if (e->valid & ~BPROC_NODE_F_ALL)
		return fail(why, "NODES: entry has unknown valid bits", -EINVAL);
	if (e->reserved)
		return fail(why, "NODES: entry's reserved not zero", -EINVAL);
	if (e->valid & BPROC_NODE_F_STATUS) {
		if (e->status >= BPROC_STATUS_NR)
			return fail(why, "NODES: entry's status out of range", -EINVAL);
	} else if (e->status) {
		return fail(why, "NODES: entry's status set but not valid", -EINVAL);
	}
	if (!(e->valid & BPROC_NODE_F_ADDR) && e->addr)
		return fail(why, "NODES: entry's addr set but not valid", -EINVAL);
	if (e->valid & BPROC_NODE_F_OWNER) {
		if (e->mode & ~BPROC_NODE_MODE_MASK)
			return fail(why, "NODES: entry's mode has bits beyond 0111",
				    -EINVAL);
	} else if (e->uid || e->gid || e->mode) {
		return fail(why, "NODES: entry's owner set but not valid", -EINVAL);
	}
	return 0;
}

static int decode_nodes(const unsigned char *p, size_t n,
			struct bpwire_nodes *nd, const char **why)
{
	uint32_t i;
	int r;

	if (n < NODES_FIXED)
		return fail(why, "NODES: payload too short", -EPROTO);
	nd->numnodes = (int32_t)get32(p);
	nd->first = get32(p + 4);
	nd->count = get32(p + 8);
	if (nd->count > BPWIRE_NODES_PER_FRAME ||
	    n != NODES_FIXED + (size_t)nd->count * BPWIRE_NODE_SIZE)
		return fail(why, "NODES: length does not match count", -EPROTO);
	if (nd->numnodes < 0 || nd->numnodes > BPROC_NODES_MAX)
		return fail(why, "NODES: numnodes out of range", -EINVAL);
	if (nd->first > (uint32_t)nd->numnodes ||
	    nd->count > (uint32_t)nd->numnodes - nd->first)
		return fail(why, "NODES: entries beyond numnodes", -EINVAL);
	nd->wire = p + NODES_FIXED;
	for (i = 0; i < nd->count; i++) {
		struct bproc_node_entry e;

		get_entry(nd->wire + (size_t)i * BPWIRE_NODE_SIZE, &e);
		r = check_entry(&e, (int32_t)(nd->first + i), why);
		if (r)
			return r;
	}
	if (!nd->count)
		nd->wire = NULL;
	return 0;
}

static int decode_libs(const unsigned char *p, size_t n,
		       struct bpwire_libs *l, const char **why)
{
	const unsigned char *s, *end = p + n;
	uint32_t i;

	if (n < LIBS_FIXED)
		return fail(why, "LIBS: payload too short", -EPROTO);
	l->count = get32(p);
	s = p + LIBS_FIXED;
	/* Each path takes at least 2 bytes ("/" and its NUL). */
	if (l->count > (size_t)(end - s) / 2)
		return fail(why, "LIBS: count larger than the frame", -EPROTO);
	for (i = 0; i < l->count; i++) {
		const unsigned char *nul = memchr(s, '\0', end - s);
		size_t len;

		if (!nul)
			return fail(why, "LIBS: path not NUL-terminated", -EPROTO);
		len = nul - s;
		if (!len)
			return fail(why, "LIBS: empty path", -EINVAL);
		if (len > BPWIRE_PATH_MAX)
			return fail(why, "LIBS: path longer than BPWIRE_PATH_MAX",
				    -EINVAL);
		if (s[0] != '/')
			return fail(why, "LIBS: path not absolute", -EINVAL);
		if (memchr(s, '\n', len))
			return fail(why, "LIBS: newline in a path", -EINVAL);
		s = nul + 1;
	}
	if (s != end)
		return fail(why, "LIBS: bytes after the last path", -EPROTO);
	l->wire = l->count ? (const char *)p + LIBS_FIXED : NULL;
	return 0;
}

/* ---- process frames (minor 1) ---- */

static bool pid_ok(int32_t pid)
{
	return pid >= 1 && pid <= BPWIRE_PID_MAX;
}

static bool pid_or_0_ok(int32_t pid)
{
	return pid >= 0 && pid <= BPWIRE_PID_MAX;
}

static bool sig_ok(int32_t sig)
{
	return sig >= 1 && sig <= BPWIRE_SIG_MAX;
}

/* A wait(2) status of an ended process: exited, or killed by a signal. */
static bool exit_status_ok(int32_t status)
{
	uint32_t s = (uint32_t)status;

	if (!(s & ~0xff00u))
		return true;			/* exited, code s >> 8 */
	return !(s & ~0xffu) && sig_ok((int32_t)(s & 0x7f));	/* (core 0x80) */
}

/* NUL-padded printable ASCII with at least one NUL. */
static bool comm_ok(const unsigned char *c)
{
	size_t i = 0;

	while (i < BPWIRE_COMM_LEN && c[i] >= 0x20 && c[i] <= 0x7e)
		i++;
	if (i == BPWIRE_COMM_LEN)
		return false;
	for (; i < BPWIRE_COMM_LEN; i++)
		if (c[i])
			return false;
	return true;
}

/*
 * One descriptor of a MOVE (struct bproc_move_io's layout); @seen: fds so
 * far.  The rules are the kernel's own (common/moveio_check.c).
 */
static int decode_move_io(const unsigned char *p, struct bpwire_move_io *e,
			  unsigned int *seen, const char **why)
{
	struct bproc_move_io k;

	e->fd = (int32_t)get32(p);
	e->type = get16(p + 4);
	e->flags = get16(p + 6);
	e->oflags = get32(p + 8);
	e->mode = get32(p + 12);
	e->offset = (int64_t)get64(p + 16);
	memcpy(e->addr, p + 24, sizeof(e->addr));
	memcpy(e->name, p + 40, sizeof(e->name));
	k.fd = e->fd;
	k.type = e->type;
	k.flags = e->flags;
	k.oflags = e->oflags;
	k.mode = e->mode;
	k.offset = e->offset;
	memcpy(k.addr, e->addr, sizeof(k.addr));
	memcpy(k.name, e->name, sizeof(k.name));
	return bproc_move_io_check(&k, seen, why);
}

static int decode_move(const unsigned char *p, size_t n,
		       struct bpwire_move *mv, const char **why)
{
	unsigned int seen = 0;

	if (n < MOVE_SIZE)
		return fail(why, "MOVE: bad payload length", -EPROTO);
	mv->nio = get32(p + 28);
	if (mv->nio > BPWIRE_MOVE_IO_MAX)
		return fail(why, "MOVE: too many descriptors", -EINVAL);
	if (n != MOVE_SIZE + (size_t)mv->nio * MOVE_IO_SIZE)
		return fail(why, "MOVE: bad payload length", -EPROTO);
	for (uint32_t i = 0; i < mv->nio; i++) {
		int err = decode_move_io(p + MOVE_SIZE + i * MOVE_IO_SIZE, &mv->io[i],
					 &seen, why);

		if (err)
			return err;
	}
	mv->pid = (int32_t)get32(p);
	mv->flags = get32(p + 4);
	mv->uid = get32(p + 8);
	mv->gid = get32(p + 12);
	mv->ppid = (int32_t)get32(p + 16);
	mv->pgid = (int32_t)get32(p + 20);
	mv->sid = (int32_t)get32(p + 24);
	mv->image_len = get64(p + 32);
	memcpy(mv->comm, p + 40, BPWIRE_COMM_LEN);
	if (!pid_ok(mv->pid))
		return fail(why, "MOVE: pid out of range", -EINVAL);
	if (mv->flags & ~(uint32_t)BPWIRE_MOVE_FLAGS)
		return fail(why, "MOVE: unknown flags", -EINVAL);
	if (mv->uid == UINT32_MAX)
		return fail(why, "MOVE: uid -1", -EINVAL);
	if (mv->gid == UINT32_MAX)
		return fail(why, "MOVE: gid -1", -EINVAL);
	if (!pid_or_0_ok(mv->ppid))
		return fail(why, "MOVE: ppid out of range", -EINVAL);
	if (!pid_or_0_ok(mv->pgid))
		return fail(why, "MOVE: pgid out of range", -EINVAL);
	if (!pid_or_0_ok(mv->sid))
		return fail(why, "MOVE: sid out of range", -EINVAL);
	if (mv->image_len > BPWIRE_IMAGE_MAX)
		return fail(why, "MOVE: image_len out of range", -EINVAL);
	if (!comm_ok(p + 40))
		return fail(why, "MOVE: comm not printable NUL-padded ASCII",
			    -EINVAL);
	return 0;
}

static int decode_image(const unsigned char *p, size_t n,
			struct bpwire_image *im, const char **why)
{
	if (n < DATA_FIXED)
		return fail(why, "IMAGE: payload too short", -EPROTO);
	im->offset = get64(p);
	im->data = p + DATA_FIXED;
	im->len = (uint32_t)(n - DATA_FIXED);
	if (im->offset > BPWIRE_IMAGE_MAX - im->len)
		return fail(why, "IMAGE: data beyond BPWIRE_IMAGE_MAX", -EINVAL);
	return 0;
}

static int decode_move_result(const unsigned char *p, size_t n,
			      struct bpwire_move_result *mr, const char **why)
{
	if (n != MOVE_RESULT_SIZE)
		return fail(why, "MOVE_RESULT: bad payload length", -EPROTO);
	mr->pid = (int32_t)get32(p);
	if (!pid_ok(mr->pid))
		return fail(why, "MOVE_RESULT: pid out of range", -EINVAL);
	if (get32(p + 4))
		return fail(why, "MOVE_RESULT: reserved not zero", -EINVAL);
	return 0;
}

static int decode_signal(const unsigned char *p, size_t n,
			 struct bpwire_signal *sg, const char **why)
{
	if (n != SIGNAL_SIZE)
		return fail(why, "SIGNAL: bad payload length", -EPROTO);
	sg->pid = (int32_t)get32(p);
	sg->sig = (int32_t)get32(p + 4);
	if (!pid_ok(sg->pid))
		return fail(why, "SIGNAL: pid out of range", -EINVAL);
	if (!sig_ok(sg->sig))
		return fail(why, "SIGNAL: sig out of range", -EINVAL);
	if (get32(p + 8) || get32(p + 12))
		return fail(why, "SIGNAL: reserved not zero", -EINVAL);
	return 0;
}

static int decode_call(const unsigned char *p, size_t n,
		       struct bpwire_call *c, const char **why)
{
	int i;

	if (n < BPWIRE_CALL_FIXED)
		return fail(why, "CALL: payload too short", -EPROTO);
	if (n > BPWIRE_CALL_FIXED + BPWIRE_CALL_DATA_MAX)
		return fail(why, "CALL: more data than a siginfo", -EINVAL);
	c->pid = (int32_t)get32(p);
	c->nr = get32(p + 4);
	for (i = 0; i < 6; i++)
		c->args[i] = get64(p + 8 + 8 * i);
	c->cred.uid = get32(p + 56);
	c->cred.euid = get32(p + 60);
	c->cred.suid = get32(p + 64);
	c->cred.gid = get32(p + 68);
	c->cred.egid = get32(p + 72);
	c->cred.sgid = get32(p + 76);
	c->cred.cap_permitted = get64(p + 80);
	c->cred.cap_effective = get64(p + 88);
	c->data = p + BPWIRE_CALL_FIXED;
	c->len = (uint32_t)(n - BPWIRE_CALL_FIXED);
	if (!pid_ok(c->pid))
		return fail(why, "CALL: pid out of range", -EINVAL);
	if (c->nr > BPWIRE_CALL_NR_MAX)
		return fail(why, "CALL: nr out of range", -EINVAL);
	if (c->cred.uid == BPWIRE_ID_INVALID || c->cred.euid == BPWIRE_ID_INVALID ||
	    c->cred.suid == BPWIRE_ID_INVALID || c->cred.gid == BPWIRE_ID_INVALID ||
	    c->cred.egid == BPWIRE_ID_INVALID || c->cred.sgid == BPWIRE_ID_INVALID)
		return fail(why, "CALL: an id is the invalid id", -EINVAL);
	if ((c->cred.cap_permitted | c->cred.cap_effective) & ~BPWIRE_CAP_MASK)
		return fail(why, "CALL: an unknown capability", -EINVAL);
	if (c->cred.cap_effective & ~c->cred.cap_permitted)
		return fail(why, "CALL: effective capabilities not permitted", -EINVAL);
	return 0;
}

static int decode_call_result(const unsigned char *p, size_t n,
			      struct bpwire_call_result *c, const char **why)
{
	if (n < BPWIRE_CALL_RESULT_FIXED)
		return fail(why, "CALL_RESULT: payload too short", -EPROTO);
	if (n > BPWIRE_CALL_RESULT_FIXED + BPWIRE_CALL_OUT_MAX)
		return fail(why, "CALL_RESULT: more data than a wait writes",
			    -EINVAL);
	c->pid = (int32_t)get32(p);
	c->nr = get32(p + 4);
	c->data = p + BPWIRE_CALL_RESULT_FIXED;
	c->len = (uint32_t)(n - BPWIRE_CALL_RESULT_FIXED);
	if (!pid_ok(c->pid))
		return fail(why, "CALL_RESULT: pid out of range", -EINVAL);
	if (c->nr > BPWIRE_CALL_NR_MAX)
		return fail(why, "CALL_RESULT: nr out of range", -EINVAL);
	return 0;
}

static int decode_exit(const unsigned char *p, size_t n,
		       struct bpwire_exit *ex, const char **why)
{
	if (n != EXIT_SIZE)
		return fail(why, "EXIT: bad payload length", -EPROTO);
	ex->pid = (int32_t)get32(p);
	ex->status = (int32_t)get32(p + 4);
	if (!pid_ok(ex->pid))
		return fail(why, "EXIT: pid out of range", -EINVAL);
	if (!exit_status_ok(ex->status))
		return fail(why, "EXIT: status neither exited nor killed", -EINVAL);
	if (get32(p + 8) || get32(p + 12))
		return fail(why, "EXIT: reserved not zero", -EINVAL);
	return 0;
}

static int decode_pstate(const unsigned char *p, size_t n,
			 struct bpwire_pstate *ps, const char **why)
{
	if (n != PSTATE_SIZE)
		return fail(why, "PSTATE: bad payload length", -EPROTO);
	ps->pid = (int32_t)get32(p);
	ps->state = get32(p + 4);
	ps->sig = (int32_t)get32(p + 8);
	if (!pid_ok(ps->pid))
		return fail(why, "PSTATE: pid out of range", -EINVAL);
	if (ps->state == BPWIRE_PSTATE_STOPPED) {
		if (!sig_ok(ps->sig))
			return fail(why, "PSTATE: stopped without a signal 1..64",
				    -EINVAL);
	} else if (ps->state == BPWIRE_PSTATE_CONTINUED) {
		if (ps->sig)
			return fail(why, "PSTATE: continued with a signal", -EINVAL);
	} else {
		return fail(why, "PSTATE: unknown state", -EINVAL);
	}
	if (get32(p + 12))
		return fail(why, "PSTATE: reserved not zero", -EINVAL);
	return 0;
}

static int decode_io(const unsigned char *p, size_t n, struct bpwire_io *io,
		     const char **why)
{
	if (n < DATA_FIXED)
		return fail(why, "IO: payload too short", -EPROTO);
	io->pid = (int32_t)get32(p);
	io->stream = get32(p + 4);
	io->data = p + DATA_FIXED;
	io->len = (uint32_t)(n - DATA_FIXED);
	if (!pid_ok(io->pid))
		return fail(why, "IO: pid out of range", -EINVAL);
	if (io->stream >= BPWIRE_IO_NR)
		return fail(why, "IO: unknown stream", -EINVAL);
	return 0;
}

bool bpwire_fpath_ok(const char *path, size_t len)
{
	size_t i, start;

	if (len < 1 || len > BPWIRE_PATH_MAX || path[0] != '/' || memchr(path, 0, len))
		return false;
	if (len == 1)
		return true;	/* the root */
	for (start = 1, i = 1; i <= len; i++) {
		if (i < len && path[i] != '/')
			continue;
		/* the component path[start, i) */
		if (i == start || i - start > 255)
			return false;	/* empty ("//", trailing "/") or too long */
		if (path[start] == '.' &&
		    (i - start == 1 || (i - start == 2 && path[start + 1] == '.')))
			return false;
		start = i + 1;
	}
	return true;
}

static bool fname_ok(const char *name, size_t len)
{
	return len >= 1 && len <= 255 && !memchr(name, '/', len) &&
	       !memchr(name, 0, len) &&
	       !(name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.')));
}

bool bpwire_fentry_next(const struct bpwire_file_rep *r, uint32_t *off,
			uint64_t *ino, uint8_t *type, const char **name,
			uint8_t *name_len)
{
	const unsigned char *p = r->data;

	if (!p || *off >= r->len || r->len - *off < BPWIRE_FENTRY_FIXED)
		return false;
	p += *off;
	if (r->len - *off - BPWIRE_FENTRY_FIXED < p[9])
		return false;
	*ino = get64(p);
	*type = p[8];
	*name_len = p[9];
	*name = (const char *)p + BPWIRE_FENTRY_FIXED;
	*off += BPWIRE_FENTRY_FIXED + p[9];
	return true;
}

bool bpwire_fentry_put(void *buf, uint32_t *len, uint32_t max, uint64_t ino,
		       uint8_t type, const char *name, uint8_t name_len)
{
	unsigned char *p = (unsigned char *)buf + *len;

	if (*len > max || max - *len < BPWIRE_FENTRY_FIXED + (uint32_t)name_len)
		return false;
	put64(p, ino);
	p[8] = type;
	p[9] = name_len;
	memcpy(p + BPWIRE_FENTRY_FIXED, name, name_len);
	*len += BPWIRE_FENTRY_FIXED + name_len;
	return true;
}

static bool fver_zero(const struct bpwire_fver *v)
{
	return !v->dev && !v->ino && !v->size && !v->mtime_ns && !v->ctime_ns;
}

static int decode_file_req(const unsigned char *p, size_t n, uint16_t type,
			   struct bpwire_file_req *f, const char **why)
{
	size_t fixed;
	uint32_t i;

	if (n < BPWIRE_FREQ_FIXED)
		return fail(why, "FILE: payload too short", -EPROTO);
	f->uid = get32(p);
	f->gid = get32(p + 4);
	f->ngroups = get32(p + 8);
	f->len = get32(p + 12);
	f->offset = get64(p + 16);
	get_fver(p + 24, &f->ver);
	if (f->uid == BPWIRE_ID_INVALID || f->gid == BPWIRE_ID_INVALID)
		return fail(why, "FILE: an id is the invalid id", -EINVAL);
	if (f->ngroups > BPWIRE_FGROUPS_MAX)
		return fail(why, "FILE: too many groups", -EINVAL);
	fixed = BPWIRE_FREQ_FIXED + 4 * (size_t)f->ngroups;
	if (n < fixed)
		return fail(why, "FILE: payload shorter than its groups", -EPROTO);
	for (i = 0; i < f->ngroups; i++) {
		f->groups[i] = get32(p + BPWIRE_FREQ_FIXED + 4 * i);
		if (f->groups[i] == BPWIRE_ID_INVALID)
			return fail(why, "FILE: a group is the invalid id", -EINVAL);
	}
	f->path = (const char *)p + fixed;
	f->path_len = (uint32_t)(n - fixed);
	if (!bpwire_fpath_ok(f->path, f->path_len))
		return fail(why, "FILE: not a plain absolute path", -EINVAL);
	if (type == BPWIRE_FILE_READ) {
		if (!f->len || f->len > BPWIRE_FDATA_MAX)
			return fail(why, "FILE_READ: length out of range", -EINVAL);
		if (f->offset > (uint64_t)INT64_MAX)
			return fail(why, "FILE_READ: offset out of range", -EINVAL);
		return 0;
	}
	if (f->len || !fver_zero(&f->ver) || (type == BPWIRE_FILE_STAT && f->offset))
		return fail(why, "FILE: a field of READ's not zero", -EINVAL);
	return 0;
}

static int decode_file_rep(const unsigned char *p, size_t n, uint16_t type,
			   int32_t result, struct bpwire_file_rep *f,
			   const char **why)
{
	uint32_t off = 0, k = 0;
	uint64_t ino;
	uint8_t t, nl;
	const char *name;

	if (n < BPWIRE_FREP_FIXED)
		return fail(why, "FILE reply: payload too short", -EPROTO);
	f->mode = get32(p);
	f->nlink = get32(p + 4);
	f->uid = get32(p + 8);
	f->gid = get32(p + 12);
	get_fver(p + 16, &f->ver);
	f->cookie = get64(p + 56);
	f->blocks = get64(p + 64);
	f->data = p + BPWIRE_FREP_FIXED;
	f->len = (uint32_t)(n - BPWIRE_FREP_FIXED);
	if (result < 0 && f->len)
		return fail(why, "FILE reply: data with an error", -EINVAL);
	if (f->ver.size > (uint64_t)INT64_MAX)
		return fail(why, "FILE reply: size out of range", -EINVAL);
	switch (type) {
	case BPWIRE_FILE_ATTR:
		if (result < 0)
			return 0;
		if ((f->mode & ~(S_IFMT | 07777u)) || !(f->mode & S_IFMT))
			return fail(why, "FILE_ATTR: not a file mode", -EINVAL);
		if (S_ISLNK(f->mode) ? !f->len || memchr(f->data, 0, f->len) : f->len != 0)
			return fail(why, "FILE_ATTR: a symlink without a target, or a target of no symlink",
				    -EINVAL);
		if (f->cookie)
			return fail(why, "FILE_ATTR: cookie not zero", -EINVAL);
		return 0;
	case BPWIRE_FILE_DATA:
		if (f->cookie)
			return fail(why, "FILE_DATA: cookie not zero", -EINVAL);
		return 0;
	}
	/* ENTRIES: whole entries with names of a directory, and no more. */
	while (bpwire_fentry_next(f, &off, &ino, &t, &name, &nl)) {
		if (!fname_ok(name, nl))
			return fail(why, "FILE_ENTRIES: not a name", -EINVAL);
		k++;
	}
	if (off != f->len)
		return fail(why, "FILE_ENTRIES: a partial entry", -EINVAL);
	if (f->mode || f->nlink || f->uid || f->gid || !fver_zero(&f->ver) || f->blocks ||
	    (!k && f->cookie))
		return fail(why, "FILE_ENTRIES: attributes not zero, or a cookie after none",
			    -EINVAL);
	return 0;
}

/* One of MOUNT's strings at *@p (before @end): 1..@max bytes and a NUL. */
static const char *mount_string(const unsigned char **p, const unsigned char *end,
				size_t min, size_t max)
{
	const unsigned char *s = *p, *nul = memchr(s, '\0', end - s);

	if (!nul || (size_t)(nul - s) < min || (size_t)(nul - s) > max)
		return NULL;
	*p = nul + 1;
	return (const char *)s;
}

static bool fstype_ok(const char *t)
{
	for (; *t; t++)
		if (!((*t >= 'a' && *t <= 'z') || (*t >= '0' && *t <= '9') ||
		      *t == '.' || *t == '_' || *t == '-'))
			return false;
	return true;
}

/* No ".." component: the slave resolves it in the node's root. */
static bool target_ok(const char *t)
{
	const char *c;

	if (t[0] != '/' || strchr(t, '\n'))
		return false;
	for (c = t; (c = strstr(c, "..")); c += 2)
		if (c[-1] == '/' && (c[2] == '/' || c[2] == '\0'))
			return false;
	return true;
}

static int decode_mount(const unsigned char *p, size_t n,
			struct bpwire_mount *mt, const char **why)
{
	const unsigned char *end = p + n;
	const char *c;

	mt->source = mount_string(&p, end, 1, BPWIRE_PATH_MAX);
	mt->target = mt->source ? mount_string(&p, end, 1, BPWIRE_PATH_MAX) : NULL;
	mt->type = mt->target ? mount_string(&p, end, 1, BPWIRE_FSTYPE_MAX) : NULL;
	mt->options = mt->type ? mount_string(&p, end, 0, BPWIRE_MNTOPT_MAX) : NULL;
	if (!mt->options)
		return fail(why, "MOUNT: a string missing, empty or too long", -EPROTO);
	if (p != end)
		return fail(why, "MOUNT: bytes after the options", -EPROTO);
	if (strchr(mt->source, '\n'))
		return fail(why, "MOUNT: newline in the source", -EINVAL);
	if (!target_ok(mt->target))
		return fail(why, "MOUNT: target not absolute, or with a newline or ..",
			    -EINVAL);
	if (!fstype_ok(mt->type))
		return fail(why, "MOUNT: type not [a-z0-9._-]", -EINVAL);
	for (c = mt->options; *c; c++)
		if ((unsigned char)*c <= ' ' || (unsigned char)*c >= 0x7f)
			return fail(why, "MOUNT: options not printable, or with a blank",
				    -EINVAL);
	return 0;
}

int bpwire_decode_payload(const unsigned char *p, size_t n,
			  struct bpwire_msg *m, const char **why)
{
	switch (m->hdr.type) {
	case BPWIRE_HELLO:
		return decode_hello(p, n, &m->u.hello, why);
	case BPWIRE_WELCOME:
		return decode_welcome(p, n, &m->u.welcome, why);
	case BPWIRE_REFUSE:
		return decode_text(p, n, &m->u.refuse.reason, why);
	case BPWIRE_NODES:
		return decode_nodes(p, n, &m->u.nodes, why);
	case BPWIRE_LIBS:
		return decode_libs(p, n, &m->u.libs, why);
	case BPWIRE_READY:
		if (n)
			return fail(why, "READY: payload not empty", -EPROTO);
		return 0;
	case BPWIRE_MOUNT:
		return decode_mount(p, n, &m->u.mount, why);
	case BPWIRE_NOTE:
		if (decode_text(p, n, &m->u.note.text, why))
			return -EPROTO;
		if (!m->u.note.text.len)
			return fail(why, "NOTE: empty", -EPROTO);
		return 0;
	case BPWIRE_PING:
	case BPWIRE_PONG:
		if (n != PING_SIZE)
			return fail(why, "PING/PONG: bad payload length", -EPROTO);
		m->u.ping.timestamp = get64(p);
		return 0;
	case BPWIRE_BYE:
		if (n < BYE_FIXED)
			return fail(why, "BYE: payload too short", -EPROTO);
		m->u.bye.action = get32(p);
		if (m->u.bye.action >= BPWIRE_BYE_NR)
			return fail(why, "BYE: unknown action", -EINVAL);
		return decode_text(p + BYE_FIXED, n - BYE_FIXED,
				   &m->u.bye.reason, why);
	case BPWIRE_MOVE:
		return decode_move(p, n, &m->u.move, why);
	case BPWIRE_IMAGE:
		return decode_image(p, n, &m->u.image, why);
	case BPWIRE_MOVE_RESULT:
		return decode_move_result(p, n, &m->u.move_result, why);
	case BPWIRE_SIGNAL:
		return decode_signal(p, n, &m->u.signal, why);
	case BPWIRE_EXIT:
		return decode_exit(p, n, &m->u.exit, why);
	case BPWIRE_PSTATE:
		return decode_pstate(p, n, &m->u.pstate, why);
	case BPWIRE_IO:
		return decode_io(p, n, &m->u.io, why);
	case BPWIRE_CALL:
		return decode_call(p, n, &m->u.call, why);
	case BPWIRE_CALL_RESULT:
		return decode_call_result(p, n, &m->u.call_result, why);
	case BPWIRE_FILE_STAT:
	case BPWIRE_FILE_READ:
	case BPWIRE_FILE_LIST:
		return decode_file_req(p, n, m->hdr.type, &m->u.file_req, why);
	case BPWIRE_FILE_ATTR:
	case BPWIRE_FILE_DATA:
	case BPWIRE_FILE_ENTRIES:
		return decode_file_rep(p, n, m->hdr.type, m->hdr.result,
				       &m->u.file_rep, why);
	}
	return fail(why, "unknown message type", -EPROTO);
}

void bpwire_nodes_get(const struct bpwire_msg *m, uint32_t i,
		      struct bproc_node_entry *e)
{
	if (m->u.nodes.entries)
		*e = m->u.nodes.entries[i];
	else
		get_entry(m->u.nodes.wire + (size_t)i * BPWIRE_NODE_SIZE, e);
}

const char *bpwire_libs_next(const struct bpwire_msg *m, const char *prev)
{
	/* The paths fill the frame: it ends hdr.len - header - count after them. */
	const char *end;

	if (!m->u.libs.wire)
		return NULL;
	if (!prev)
		return m->u.libs.wire;
	end = m->u.libs.wire - LIBS_FIXED - BPWIRE_HDR_SIZE + m->hdr.len;
	prev += strlen(prev) + 1;
	return prev < end ? prev : NULL;
}
