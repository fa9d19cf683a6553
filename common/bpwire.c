// SPDX-License-Identifier: GPL-2.0-only OR LGPL-2.1-only
/*
 * bpwire - the daemon<->daemon protocol codec (see bpwire.h and
 * Documentation/daemon-protocol.md).
 *
 * Every integer is read and written byte by byte in little-endian order, so
 * the code neither depends on the host's byte order nor reads a field
 * through a misaligned pointer.  The decoder checks a field's bytes are
 * present before it reads them; the encoder writes a frame and then runs
 * the decoder over it, so both sides apply one set of rules.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "bpwire.h"
#include "moveio_check.h"

_Static_assert(sizeof(struct bproc_msg_hdr) == BPWIRE_HDR_SIZE,
	       "the wire header mirrors struct bproc_msg_hdr");
_Static_assert(sizeof(struct bproc_node_entry) == BPWIRE_NODE_SIZE,
	       "a NODES entry mirrors struct bproc_node_entry");
_Static_assert(BPWIRE_MAX == BPROC_MSG_MAX, "same frame limit as the kernel's");
_Static_assert(BPWIRE_MOVE_IO_MAX == BPROC_MOVE_IO_MAX &&
	       sizeof(((struct bpwire_move_io *)0)->addr) ==
	       sizeof(((struct bproc_move_io *)0)->addr) &&
	       sizeof(((struct bpwire_move_io *)0)->name) ==
	       sizeof(((struct bproc_move_io *)0)->name),
	       "a MOVE's descriptors are struct bproc_move_io");

/* Payload sizes of the fixed parts. */
#define HELLO_SIZE	24
#define WELCOME_SIZE	24
#define NODES_FIXED	12
#define LIBS_FIXED	4
#define PING_SIZE	8
#define BYE_FIXED	4
#define TEXT_FIXED	2
#define ERRNO_MAX	4095
#define MOVE_SIZE	56
#define MOVE_IO_SIZE	296
#define DATA_FIXED	8	/* IMAGE and IO, before their data */
#define MOVE_RESULT_SIZE 8
#define SIGNAL_SIZE	16
#define EXIT_SIZE	16
#define PSTATE_SIZE	16

_Static_assert(BPWIRE_HDR_SIZE + DATA_FIXED + BPWIRE_DATA_MAX == BPWIRE_MAX,
	       "IMAGE and IO data fill the rest of a frame");

/* ---- byte order --------------------------------------------------- */

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, v);
	put32(p + 4, v >> 32);
}

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

static uint64_t get64(const unsigned char *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* IPv4 addresses travel as their 4 bytes in network order. */
static void put_addr(unsigned char *p, uint32_t be)
{
	memcpy(p, &be, 4);
}

static uint32_t get_addr(const unsigned char *p)
{
	uint32_t be;

	memcpy(&be, p, 4);
	return be;
}

/* ---- names and constructors ---------------------------------------- */

const char *bpwire_type_name(uint16_t type)
{
	switch (type) {
	case BPWIRE_HELLO:
		return "HELLO";
	case BPWIRE_WELCOME:
		return "WELCOME";
	case BPWIRE_REFUSE:
		return "REFUSE";
	case BPWIRE_NODES:
		return "NODES";
	case BPWIRE_LIBS:
		return "LIBS";
	case BPWIRE_READY:
		return "READY";
	case BPWIRE_PING:
		return "PING";
	case BPWIRE_PONG:
		return "PONG";
	case BPWIRE_BYE:
		return "BYE";
	case BPWIRE_MOVE:
		return "MOVE";
	case BPWIRE_IMAGE:
		return "IMAGE";
	case BPWIRE_MOVE_RESULT:
		return "MOVE_RESULT";
	case BPWIRE_SIGNAL:
		return "SIGNAL";
	case BPWIRE_EXIT:
		return "EXIT";
	case BPWIRE_PSTATE:
		return "PSTATE";
	case BPWIRE_IO:
		return "IO";
	case BPWIRE_CALL:
		return "CALL";
	case BPWIRE_CALL_RESULT:
		return "CALL_RESULT";
	}
	return "unknown";
}

void bpwire_comm_set(char comm[BPWIRE_COMM_LEN], const char *name)
{
	size_t i = 0;

	memset(comm, 0, BPWIRE_COMM_LEN);
	for (; name && name[i] && i < BPWIRE_COMM_LEN - 1; i++) {
		unsigned char c = (unsigned char)name[i];

		comm[i] = c >= 0x20 && c <= 0x7e ? (char)c : '?';
	}
}

static void set_versions(struct bpwire_msg *m)
{
	if (m->hdr.type == BPWIRE_HELLO) {
		m->u.hello.major = BPWIRE_MAJOR;
		m->u.hello.minor = BPWIRE_MINOR;
		m->u.hello.want_node = BPROC_NODE_NONE;
	} else if (m->hdr.type == BPWIRE_WELCOME) {
		m->u.welcome.major = BPWIRE_MAJOR;
		m->u.welcome.minor = BPWIRE_MINOR;
	}
}

void bpwire_init(struct bpwire_msg *m, uint16_t type, uint64_t id,
		 int32_t src, int32_t dst)
{
	memset(m, 0, sizeof(*m));
	m->hdr.type = type;
	m->hdr.id = id;
	m->hdr.src = src;
	m->hdr.dst = dst;
	set_versions(m);
}

void bpwire_reply_init(struct bpwire_msg *m, uint16_t type,
		       const struct bpwire_msg *req)
{
	memset(m, 0, sizeof(*m));
	m->hdr.type = type;
	m->hdr.flags = BPROC_MSGF_REPLY;
	m->hdr.id = req->hdr.id;
	m->hdr.src = req->hdr.dst;
	m->hdr.dst = req->hdr.src;
	set_versions(m);
}

/* ---- decoding ------------------------------------------------------- */

static int fail(const char **why, const char *reason, int err)
{
	if (why)
		*why = reason;
	return err;
}

/* A node number in a header: the master, "none yet", or a real node. */
static bool node_ok(int32_t node)
{
	return node == BPROC_NODE_MASTER || node == BPROC_NODE_NONE ||
	       (node >= 0 && node < BPROC_NODES_MAX);
}

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
	c->data = p + BPWIRE_CALL_FIXED;
	c->len = (uint32_t)(n - BPWIRE_CALL_FIXED);
	if (!pid_ok(c->pid))
		return fail(why, "CALL: pid out of range", -EINVAL);
	if (c->nr > BPWIRE_CALL_NR_MAX)
		return fail(why, "CALL: nr out of range", -EINVAL);
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

static int decode_payload(const unsigned char *p, size_t n,
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
	}
	return fail(why, "unknown message type", -EPROTO);
}

static bool known_type(uint16_t type)
{
	return (type >= BPWIRE_HELLO && type <= BPWIRE_BYE) ||
	       (type >= BPWIRE_MOVE && type <= BPWIRE_IO) ||
	       type == BPWIRE_CALL || type == BPWIRE_CALL_RESULT;
}

/* Replies are exactly WELCOME, REFUSE, PONG, MOVE_RESULT and CALL_RESULT. */
static bool is_reply_type(uint16_t type)
{
	return type == BPWIRE_WELCOME || type == BPWIRE_REFUSE ||
	       type == BPWIRE_PONG || type == BPWIRE_MOVE_RESULT ||
	       type == BPWIRE_CALL_RESULT;
}

/* The header's id and result, as the type requires. */
static int check_id_result(const struct bpwire_hdr *h, const char **why)
{
	switch (h->type) {
	case BPWIRE_REFUSE:
		if (h->result >= 0 || h->result < -ERRNO_MAX)
			return fail(why, "REFUSE: result not a negative errno",
				    -EPROTO);
		return 0;
	case BPWIRE_MOVE_RESULT:
		if (h->result > 0 || h->result < -ERRNO_MAX)
			return fail(why, "MOVE_RESULT: result not 0 or a negative errno",
				    -EPROTO);
		break;
	case BPWIRE_CALL_RESULT:
		if (h->result > BPWIRE_PID_MAX || h->result < -ERRNO_MAX)
			return fail(why, "CALL_RESULT: result neither a PID, 0 nor a negative errno",
				    -EPROTO);
		break;
	default:
		if (h->result)
			return fail(why, "result not zero", -EPROTO);
	}
	switch (h->type) {
	case BPWIRE_MOVE:
	case BPWIRE_IMAGE:
	case BPWIRE_MOVE_RESULT:
	case BPWIRE_CALL:
	case BPWIRE_CALL_RESULT:
		if (!h->id)
			return fail(why, "id 0 on MOVE, IMAGE, CALL or their results",
				    -EPROTO);
		break;
	case BPWIRE_SIGNAL:
	case BPWIRE_EXIT:
	case BPWIRE_PSTATE:
	case BPWIRE_IO:
		if (h->id)
			return fail(why, "id not 0 on SIGNAL, EXIT, PSTATE or IO",
				    -EPROTO);
		break;
	}
	return 0;
}

int bpwire_decode(const void *buf, size_t len, struct bpwire_msg *m,
		  const char **why)
{
	const unsigned char *p = buf;
	struct bpwire_hdr *h = &m->hdr;
	int r;

	memset(m, 0, sizeof(*m));
	if (len < BPWIRE_HDR_SIZE)
		return fail(why, "frame shorter than a header", -EPROTO);
	h->len = get32(p);
	if (h->len > BPWIRE_MAX)
		return fail(why, "frame longer than BPWIRE_MAX", -E2BIG);
	if (h->len < BPWIRE_HDR_SIZE)
		return fail(why, "frame length shorter than a header", -EPROTO);
	if (h->len != len)
		return fail(why, "frame length does not match the data", -EPROTO);
	h->type = get16(p + 4);
	h->flags = get16(p + 6);
	h->id = get64(p + 8);
	h->result = (int32_t)get32(p + 16);
	h->src = (int32_t)get32(p + 20);
	h->dst = (int32_t)get32(p + 24);

	if (!known_type(h->type))
		return fail(why, "unknown message type", -EPROTO);
	if (h->flags & ~BPROC_MSGF_REPLY)
		return fail(why, "unknown flags", -EPROTO);
	if (!!(h->flags & BPROC_MSGF_REPLY) != is_reply_type(h->type))
		return fail(why, is_reply_type(h->type) ?
				 "reply type without the REPLY flag" :
				 "REPLY flag on a request type", -EPROTO);
	r = check_id_result(h, why);
	if (r)
		return r;
	if (get32(p + 28))
		return fail(why, "header pad not zero", -EINVAL);
	if (!node_ok(h->src))
		return fail(why, "bad source node", -EINVAL);
	if (!node_ok(h->dst))
		return fail(why, "bad destination node", -EINVAL);
	return decode_payload(p + BPWIRE_HDR_SIZE, len - BPWIRE_HDR_SIZE, m, why);
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

/* ---- encoding ------------------------------------------------------- */

/* The payload's size, or -errno for what cannot be encoded at all. */
static ssize_t payload_size(const struct bpwire_msg *m, const char **why)
{
	const struct bpwire_text *t = NULL;
	size_t n = 0, i;

	switch (m->hdr.type) {
	case BPWIRE_HELLO:
		return HELLO_SIZE;
	case BPWIRE_WELCOME:
		return WELCOME_SIZE;
	case BPWIRE_REFUSE:
		t = &m->u.refuse.reason;
		break;
	case BPWIRE_NODES:
		if (m->u.nodes.count > BPWIRE_NODES_PER_FRAME)
			return fail(why, "NODES: more entries than a frame holds",
				    -E2BIG);
		if (m->u.nodes.count && !m->u.nodes.entries)
			return fail(why, "NODES: no entries", -EINVAL);
		return NODES_FIXED + (size_t)m->u.nodes.count * BPWIRE_NODE_SIZE;
	case BPWIRE_LIBS:
		if (m->u.libs.count && !m->u.libs.paths)
			return fail(why, "LIBS: no paths", -EINVAL);
		n = LIBS_FIXED;
		for (i = 0; i < m->u.libs.count; i++) {
			const char *s = m->u.libs.paths[i];

			if (!s)
				return fail(why, "LIBS: NULL path", -EINVAL);
			n += strnlen(s, BPWIRE_MAX) + 1;
			if (n > BPWIRE_MAX - BPWIRE_HDR_SIZE)
				return fail(why, "LIBS: the list does not fit a frame",
					    -E2BIG);
		}
		return n;
	case BPWIRE_READY:
		return 0;
	case BPWIRE_PING:
	case BPWIRE_PONG:
		return PING_SIZE;
	case BPWIRE_BYE:
		t = &m->u.bye.reason;
		n = BYE_FIXED;
		break;
	case BPWIRE_MOVE:
		if (m->u.move.nio > BPWIRE_MOVE_IO_MAX)
			return fail(why, "MOVE: too many descriptors", -EINVAL);
		return MOVE_SIZE + m->u.move.nio * MOVE_IO_SIZE;
	case BPWIRE_IMAGE:
		if (m->u.image.len > BPWIRE_DATA_MAX)
			return fail(why, "IMAGE: more data than a frame holds",
				    -E2BIG);
		if (m->u.image.len && !m->u.image.data)
			return fail(why, "IMAGE: NULL data", -EINVAL);
		return DATA_FIXED + (size_t)m->u.image.len;
	case BPWIRE_MOVE_RESULT:
		return MOVE_RESULT_SIZE;
	case BPWIRE_SIGNAL:
		return SIGNAL_SIZE;
	case BPWIRE_EXIT:
		return EXIT_SIZE;
	case BPWIRE_PSTATE:
		return PSTATE_SIZE;
	case BPWIRE_IO:
		if (m->u.io.len > BPWIRE_DATA_MAX)
			return fail(why, "IO: more data than a frame holds", -E2BIG);
		if (m->u.io.len && !m->u.io.data)
			return fail(why, "IO: NULL data", -EINVAL);
		return DATA_FIXED + (size_t)m->u.io.len;
	case BPWIRE_CALL:
		if (m->u.call.len > BPWIRE_CALL_DATA_MAX)
			return fail(why, "CALL: more data than a siginfo", -E2BIG);
		if (m->u.call.len && !m->u.call.data)
			return fail(why, "CALL: NULL data", -EINVAL);
		return BPWIRE_CALL_FIXED + (size_t)m->u.call.len;
	case BPWIRE_CALL_RESULT:
		if (m->u.call_result.len > BPWIRE_CALL_OUT_MAX)
			return fail(why, "CALL_RESULT: more data than a wait writes",
				    -E2BIG);
		if (m->u.call_result.len && !m->u.call_result.data)
			return fail(why, "CALL_RESULT: NULL data", -EINVAL);
		return BPWIRE_CALL_RESULT_FIXED + (size_t)m->u.call_result.len;
	default:
		return fail(why, "unknown message type", -EINVAL);
	}
	if (t->len > BPWIRE_TEXT_MAX)
		return fail(why, "reason: longer than BPWIRE_TEXT_MAX", -EINVAL);
	if (t->len && !t->str)
		return fail(why, "reason: NULL text", -EINVAL);
	return n + TEXT_FIXED + t->len;
}

static void put_text(unsigned char *p, const struct bpwire_text *t)
{
	put16(p, t->len);
	if (t->len)
		memcpy(p + TEXT_FIXED, t->str, t->len);
}

static void put_entry(unsigned char *p, const struct bproc_node_entry *e)
{
	put32(p, (uint32_t)e->node);
	put32(p + 4, e->valid);
	put32(p + 8, e->status);
	put_addr(p + 12, e->addr);
	put32(p + 16, e->uid);
	put32(p + 20, e->gid);
	put32(p + 24, e->mode);
	put32(p + 28, e->reserved);
}

static void put_payload(unsigned char *p, const struct bpwire_msg *m)
{
	uint32_t i;

	switch (m->hdr.type) {
	case BPWIRE_HELLO:
		put32(p, BPWIRE_MAGIC);
		put16(p + 4, m->u.hello.major);
		put16(p + 6, m->u.hello.minor);
		put32(p + 8, (uint32_t)m->u.hello.want_node);
		put32(p + 12, m->u.hello.flags);
		put64(p + 16, m->u.hello.boot_id);
		break;
	case BPWIRE_WELCOME:
		put16(p, m->u.welcome.major);
		put16(p + 2, m->u.welcome.minor);
		put32(p + 4, (uint32_t)m->u.welcome.node);
		put32(p + 8, (uint32_t)m->u.welcome.numnodes);
		put32(p + 12, m->u.welcome.ping_ms);
		put_addr(p + 16, m->u.welcome.master_addr);
		put32(p + 20, 0);
		break;
	case BPWIRE_REFUSE:
		put_text(p, &m->u.refuse.reason);
		break;
	case BPWIRE_NODES:
		put32(p, (uint32_t)m->u.nodes.numnodes);
		put32(p + 4, m->u.nodes.first);
		put32(p + 8, m->u.nodes.count);
		for (i = 0; i < m->u.nodes.count; i++)
			put_entry(p + NODES_FIXED + (size_t)i * BPWIRE_NODE_SIZE,
				  &m->u.nodes.entries[i]);
		break;
	case BPWIRE_LIBS:
		put32(p, m->u.libs.count);
		p += LIBS_FIXED;
		for (i = 0; i < m->u.libs.count; i++) {
			size_t len = strlen(m->u.libs.paths[i]) + 1;

			memcpy(p, m->u.libs.paths[i], len);
			p += len;
		}
		break;
	case BPWIRE_PING:
	case BPWIRE_PONG:
		put64(p, m->u.ping.timestamp);
		break;
	case BPWIRE_BYE:
		put32(p, m->u.bye.action);
		put_text(p + BYE_FIXED, &m->u.bye.reason);
		break;
	case BPWIRE_MOVE:
		put32(p, (uint32_t)m->u.move.pid);
		put32(p + 4, m->u.move.flags);
		put32(p + 8, m->u.move.uid);
		put32(p + 12, m->u.move.gid);
		put32(p + 16, (uint32_t)m->u.move.ppid);
		put32(p + 20, (uint32_t)m->u.move.pgid);
		put32(p + 24, (uint32_t)m->u.move.sid);
		put32(p + 28, m->u.move.nio);
		put64(p + 32, m->u.move.image_len);
		memcpy(p + 40, m->u.move.comm, BPWIRE_COMM_LEN);
		for (uint32_t k = 0; k < m->u.move.nio; k++) {
			const struct bpwire_move_io *e = &m->u.move.io[k];
			unsigned char *q = p + MOVE_SIZE + k * MOVE_IO_SIZE;

			put32(q, (uint32_t)e->fd);
			put16(q + 4, e->type);
			put16(q + 6, e->flags);
			put32(q + 8, e->oflags);
			put32(q + 12, e->mode);
			put64(q + 16, (uint64_t)e->offset);
			memcpy(q + 24, e->addr, sizeof(e->addr));
			memcpy(q + 40, e->name, sizeof(e->name));
		}
		break;
	case BPWIRE_IMAGE:
		put64(p, m->u.image.offset);
		if (m->u.image.len)
			memcpy(p + DATA_FIXED, m->u.image.data, m->u.image.len);
		break;
	case BPWIRE_MOVE_RESULT:
		put32(p, (uint32_t)m->u.move_result.pid);
		put32(p + 4, 0);
		break;
	case BPWIRE_SIGNAL:
		put32(p, (uint32_t)m->u.signal.pid);
		put32(p + 4, (uint32_t)m->u.signal.sig);
		put64(p + 8, 0);
		break;
	case BPWIRE_EXIT:
		put32(p, (uint32_t)m->u.exit.pid);
		put32(p + 4, (uint32_t)m->u.exit.status);
		put64(p + 8, 0);
		break;
	case BPWIRE_PSTATE:
		put32(p, (uint32_t)m->u.pstate.pid);
		put32(p + 4, m->u.pstate.state);
		put32(p + 8, (uint32_t)m->u.pstate.sig);
		put32(p + 12, 0);
		break;
	case BPWIRE_IO:
		put32(p, (uint32_t)m->u.io.pid);
		put32(p + 4, m->u.io.stream);
		if (m->u.io.len)
			memcpy(p + DATA_FIXED, m->u.io.data, m->u.io.len);
		break;
	case BPWIRE_CALL:
		put32(p, (uint32_t)m->u.call.pid);
		put32(p + 4, m->u.call.nr);
		for (i = 0; i < 6; i++)
			put64(p + 8 + 8 * i, m->u.call.args[i]);
		if (m->u.call.len)
			memcpy(p + BPWIRE_CALL_FIXED, m->u.call.data, m->u.call.len);
		break;
	case BPWIRE_CALL_RESULT:
		put32(p, (uint32_t)m->u.call_result.pid);
		put32(p + 4, m->u.call_result.nr);
		if (m->u.call_result.len)
			memcpy(p + BPWIRE_CALL_RESULT_FIXED, m->u.call_result.data,
			       m->u.call_result.len);
		break;
	}
}

ssize_t bpwire_encode(const struct bpwire_msg *m, void *buf, size_t cap,
		      const char **why)
{
	unsigned char *p = buf;
	struct bpwire_msg check;
	ssize_t n = payload_size(m, why);
	size_t len;
	int r;

	if (n < 0)
		return n;
	len = BPWIRE_HDR_SIZE + (size_t)n;
	if (len > BPWIRE_MAX)
		return fail(why, "frame longer than BPWIRE_MAX", -E2BIG);
	if (len > cap)
		return fail(why, "buffer too small for the frame", -ENOSPC);
	put32(p, (uint32_t)len);
	put16(p + 4, m->hdr.type);
	put16(p + 6, m->hdr.flags);
	put64(p + 8, m->hdr.id);
	put32(p + 16, (uint32_t)m->hdr.result);
	put32(p + 20, (uint32_t)m->hdr.src);
	put32(p + 24, (uint32_t)m->hdr.dst);
	put32(p + 28, 0);
	put_payload(p + BPWIRE_HDR_SIZE, m);

	/* One set of rules: what we send is what the peer will accept. */
	r = bpwire_decode(buf, len, &check, why);
	if (r)
		return r == -E2BIG ? r : -EINVAL;
	return (ssize_t)len;
}

/* ---- stream reassembly ---------------------------------------------- */

void bpwire_rx_init(struct bpwire_rx *rx)
{
	rx->start = 0;
	rx->end = 0;
	rx->err = 0;
	rx->why = NULL;
}

/* Move the bytes not yet returned to the front of the buffer. */
static void rx_compact(struct bpwire_rx *rx)
{
	if (!rx->start)
		return;
	memmove(rx->buf, rx->buf + rx->start, rx->end - rx->start);
	rx->end -= rx->start;
	rx->start = 0;
}

ssize_t bpwire_rx_read(struct bpwire_rx *rx, int fd)
{
	ssize_t n;

	rx_compact(rx);
	if (rx->end == sizeof(rx->buf))
		return -ENOBUFS;
	do
		n = read(fd, rx->buf + rx->end, sizeof(rx->buf) - rx->end);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	rx->end += (size_t)n;
	return n;
}

int bpwire_rx_feed(struct bpwire_rx *rx, const void *data, size_t len)
{
	rx_compact(rx);
	if (len > sizeof(rx->buf) - rx->end)
		return -ENOBUFS;
	if (len)
		memcpy(rx->buf + rx->end, data, len);
	rx->end += len;
	return 0;
}

static int rx_fail(struct bpwire_rx *rx, int err, const char *reason,
		   const char **why)
{
	rx->err = err;
	rx->why = reason;
	return fail(why, reason, err);
}

int bpwire_rx_next(struct bpwire_rx *rx, struct bpwire_msg *m,
		   const char **why)
{
	const unsigned char *p = rx->buf + rx->start;
	size_t avail = rx->end - rx->start;
	const char *reason = NULL;
	uint32_t len;
	int r;

	if (rx->err)
		return fail(why, rx->why, rx->err);
	if (avail < 4)
		return 0;
	/* Judge the length before waiting for a body. */
	len = get32(p);
	if (len > BPWIRE_MAX)
		return rx_fail(rx, -E2BIG, "frame longer than BPWIRE_MAX", why);
	if (len < BPWIRE_HDR_SIZE)
		return rx_fail(rx, -EPROTO, "frame length shorter than a header",
			       why);
	if (avail < len)
		return 0;
	r = bpwire_decode(p, len, m, &reason);
	rx->start += len;
	if (r)
		return rx_fail(rx, r, reason, why);
	return 1;
}

bool bpwire_rx_pending(const struct bpwire_rx *rx)
{
	return rx->end > rx->start;
}
