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
 *
 * This file is the framing: names and constructors, the header's rules,
 * bpwire_decode() and bpwire_encode() around the payload codecs
 * (bpwire_decode.c, bpwire_encode.c), and stream reassembly.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "bpwire.h"
#include "bpwire_msg.h"
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
_Static_assert(BPWIRE_HDR_SIZE + DATA_FIXED + BPWIRE_DATA_MAX == BPWIRE_MAX,
	       "IMAGE and IO data fill the rest of a frame");
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
	case BPWIRE_MOUNT:
		return "MOUNT";
	case BPWIRE_NOTE:
		return "NOTE";
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
	case BPWIRE_FILE_STAT:
		return "FILE_STAT";
	case BPWIRE_FILE_ATTR:
		return "FILE_ATTR";
	case BPWIRE_FILE_READ:
		return "FILE_READ";
	case BPWIRE_FILE_DATA:
		return "FILE_DATA";
	case BPWIRE_FILE_LIST:
		return "FILE_LIST";
	case BPWIRE_FILE_ENTRIES:
		return "FILE_ENTRIES";
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

static bool known_type(uint16_t type)
{
	return (type >= BPWIRE_HELLO && type <= BPWIRE_NOTE) ||
	       (type >= BPWIRE_MOVE && type <= BPWIRE_IO) ||
	       type == BPWIRE_CALL || type == BPWIRE_CALL_RESULT ||
	       (type >= BPWIRE_FILE_STAT && type <= BPWIRE_FILE_ENTRIES);
}

/*
 * Replies are exactly WELCOME, REFUSE, PONG, MOVE_RESULT, CALL_RESULT and
 * the FILE replies (ATTR, DATA, ENTRIES: the odd FILE types).
 */
static bool is_reply_type(uint16_t type)
{
	return type == BPWIRE_WELCOME || type == BPWIRE_REFUSE ||
	       type == BPWIRE_PONG || type == BPWIRE_MOVE_RESULT ||
	       type == BPWIRE_CALL_RESULT || type == BPWIRE_FILE_ATTR ||
	       type == BPWIRE_FILE_DATA || type == BPWIRE_FILE_ENTRIES;
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
	case BPWIRE_FILE_ATTR:
	case BPWIRE_FILE_DATA:
	case BPWIRE_FILE_ENTRIES:
		if (h->result > 0 || h->result < -ERRNO_MAX)
			return fail(why, "FILE reply: result not 0 or a negative errno",
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
	case BPWIRE_FILE_STAT:
	case BPWIRE_FILE_ATTR:
	case BPWIRE_FILE_READ:
	case BPWIRE_FILE_DATA:
	case BPWIRE_FILE_LIST:
	case BPWIRE_FILE_ENTRIES:
		if (!h->id)
			return fail(why, "id 0 on MOVE, IMAGE, CALL, FILE or their results",
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
	return bpwire_decode_payload(p + BPWIRE_HDR_SIZE, len - BPWIRE_HDR_SIZE, m, why);
}
ssize_t bpwire_encode(const struct bpwire_msg *m, void *buf, size_t cap,
		      const char **why)
{
	unsigned char *p = buf;
	struct bpwire_msg check;
	ssize_t n = bpwire_payload_size(m, why);
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
	bpwire_put_payload(p + BPWIRE_HDR_SIZE, m);

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
