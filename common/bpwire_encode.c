// SPDX-License-Identifier: GPL-2.0-only OR LGPL-2.1-only
/*
 * bpwire - the payload encoders: a message's payload size and bytes.
 * bpwire_encode() (bpwire.c) writes the header around them and runs the
 * decoder over the frame.
 */
#include <errno.h>
#include <string.h>

#include "bpwire_msg.h"

/* ---- encoding ------------------------------------------------------- */

/* The payload's size, or -errno for what cannot be encoded at all. */
ssize_t bpwire_payload_size(const struct bpwire_msg *m, const char **why)
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
	case BPWIRE_MOUNT: {
		const char *f[4] = { m->u.mount.source, m->u.mount.target,
				     m->u.mount.type, m->u.mount.options };

		for (i = 0; i < 4; i++) {
			if (!f[i])
				return fail(why, "MOUNT: NULL string", -EINVAL);
			n += strnlen(f[i], BPWIRE_MAX) + 1;
		}
		if (n > BPWIRE_MAX - BPWIRE_HDR_SIZE)
			return fail(why, "MOUNT: does not fit a frame", -E2BIG);
		return n;
	}
	case BPWIRE_NOTE:
		t = &m->u.note.text;
		break;
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
	case BPWIRE_FILE_STAT:
	case BPWIRE_FILE_READ:
	case BPWIRE_FILE_LIST:
		if (m->u.file_req.ngroups > BPWIRE_FGROUPS_MAX)
			return fail(why, "FILE: too many groups", -E2BIG);
		if (!m->u.file_req.path || m->u.file_req.path_len > BPWIRE_PATH_MAX)
			return fail(why, "FILE: no path, or too long", -EINVAL);
		return BPWIRE_FREQ_FIXED + 4 * (size_t)m->u.file_req.ngroups +
		       m->u.file_req.path_len;
	case BPWIRE_FILE_ATTR:
	case BPWIRE_FILE_DATA:
	case BPWIRE_FILE_ENTRIES:
		if (m->u.file_rep.len > BPWIRE_FDATA_MAX)
			return fail(why, "FILE reply: more data than a frame holds",
				    -E2BIG);
		if (m->u.file_rep.len && !m->u.file_rep.data)
			return fail(why, "FILE reply: NULL data", -EINVAL);
		return BPWIRE_FREP_FIXED + (size_t)m->u.file_rep.len;
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

void bpwire_put_payload(unsigned char *p, const struct bpwire_msg *m)
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
	case BPWIRE_MOUNT: {
		const char *f[4] = { m->u.mount.source, m->u.mount.target,
				     m->u.mount.type, m->u.mount.options };

		for (i = 0; i < 4; i++) {
			size_t len = strlen(f[i]) + 1;

			memcpy(p, f[i], len);
			p += len;
		}
		break;
	}
	case BPWIRE_NOTE:
		put_text(p, &m->u.note.text);
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
		put32(p + 56, m->u.call.cred.uid);
		put32(p + 60, m->u.call.cred.euid);
		put32(p + 64, m->u.call.cred.suid);
		put32(p + 68, m->u.call.cred.gid);
		put32(p + 72, m->u.call.cred.egid);
		put32(p + 76, m->u.call.cred.sgid);
		put64(p + 80, m->u.call.cred.cap_permitted);
		put64(p + 88, m->u.call.cred.cap_effective);
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
	case BPWIRE_FILE_STAT:
	case BPWIRE_FILE_READ:
	case BPWIRE_FILE_LIST: {
		const struct bpwire_file_req *f = &m->u.file_req;

		put32(p, f->uid);
		put32(p + 4, f->gid);
		put32(p + 8, f->ngroups);
		put32(p + 12, f->len);
		put64(p + 16, f->offset);
		put_fver(p + 24, &f->ver);
		for (i = 0; i < f->ngroups; i++)
			put32(p + BPWIRE_FREQ_FIXED + 4 * i, f->groups[i]);
		memcpy(p + BPWIRE_FREQ_FIXED + 4 * f->ngroups, f->path, f->path_len);
		break;
	}
	case BPWIRE_FILE_ATTR:
	case BPWIRE_FILE_DATA:
	case BPWIRE_FILE_ENTRIES: {
		const struct bpwire_file_rep *f = &m->u.file_rep;

		put32(p, f->mode);
		put32(p + 4, f->nlink);
		put32(p + 8, f->uid);
		put32(p + 12, f->gid);
		put_fver(p + 16, &f->ver);
		put64(p + 56, f->cookie);
		put64(p + 64, f->blocks);
		if (f->len)
			memcpy(p + BPWIRE_FREP_FIXED, f->data, f->len);
		break;
	}
	}
}
