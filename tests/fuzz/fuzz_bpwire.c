// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the daemon<->daemon protocol codec
 * (common/bpwire.c): every byte a peer sends reaches bpwire_rx_next() and
 * bpwire_decode().
 *
 *   make fuzz && build/fuzz/fuzz_bpwire -max_total_time=60 CORPUS_DIR
 *
 * Checks, besides what ASan/UBSan catch:
 *  - decoding is canonical: a frame that decodes, encoded again from what
 *    was decoded, gives back exactly the same bytes (so no field escapes
 *    the checks, and encoder and decoder agree on every rule);
 *  - the result is consistent: errors are the documented ones with a
 *    reason, text, paths and data lie inside the frame, entries, pids,
 *    signals and wait statuses are in range, ids and results as the type
 *    requires;
 *  - the stream reassembler, fed the input in pieces of varying sizes,
 *    returns the same frames as decoding them one by one, and stops at the
 *    first bad one with the same error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/socket.h>

#include "bpwire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define check(cond) do { if (!(cond)) __builtin_trap(); } while (0)

static bool known_error(int r)
{
	return r == -EPROTO || r == -EINVAL || r == -E2BIG || r == -EPROTONOSUPPORT;
}

static bool inside(const void *p, size_t n, const uint8_t *buf, size_t len)
{
	const uint8_t *q = p;

	return q >= buf && n <= len && q - buf <= (ptrdiff_t)(len - n);
}

static bool pid_ok(int32_t pid)
{
	return pid >= 1 && pid <= BPWIRE_PID_MAX;
}

static bool sig_ok(int32_t sig)
{
	return sig >= 1 && sig <= BPWIRE_SIG_MAX;
}

/* Data of an IMAGE or IO frame: it fills the frame after 8 bytes. */
static void check_data(const void *data, uint32_t n, const uint8_t *buf,
		       size_t len)
{
	check(data == buf + BPWIRE_HDR_SIZE + 8);
	check(n == len - BPWIRE_HDR_SIZE - 8 && n <= BPWIRE_DATA_MAX);
}

/* Decoded with the frame's own id and result rules. */
static void check_id_result(const struct bpwire_hdr *h)
{
	switch (h->type) {
	case BPWIRE_MOVE:
	case BPWIRE_IMAGE:
		check(h->id && !h->result && !h->flags);
		break;
	case BPWIRE_MOVE_RESULT:
		check(h->id && h->result <= 0 && h->result >= -4095);
		check(h->flags == BPROC_MSGF_REPLY);
		break;
	case BPWIRE_CALL:
		check(h->id && !h->result && !h->flags);
		break;
	case BPWIRE_CALL_RESULT:
		check(h->id && h->result <= BPWIRE_PID_MAX && h->result >= -4095);
		check(h->flags == BPROC_MSGF_REPLY);
		break;
	case BPWIRE_SIGNAL:
	case BPWIRE_EXIT:
	case BPWIRE_PSTATE:
	case BPWIRE_IO:
		check(!h->id && !h->result && !h->flags);
		break;
	case BPWIRE_REFUSE:
		check(h->result < 0 && h->result >= -4095);
		break;
	case BPWIRE_FILE_STAT:
	case BPWIRE_FILE_READ:
	case BPWIRE_FILE_LIST:
		check(h->id && !h->result && !h->flags);
		break;
	case BPWIRE_FILE_ATTR:
	case BPWIRE_FILE_DATA:
	case BPWIRE_FILE_ENTRIES:
		check(h->id && h->result <= 0 && h->result >= -4095);
		check(h->flags == BPROC_MSGF_REPLY);
		break;
	default:
		check(!h->result);
	}
}

static struct bproc_node_entry entries[BPWIRE_NODES_PER_FRAME];
static const char *paths[BPWIRE_MAX / 2];
static unsigned char again[BPWIRE_MAX];

/* @m was decoded from @buf: check it, encode it again, compare. */
static void check_decoded(const struct bpwire_msg *m, const uint8_t *buf,
			  size_t len)
{
	struct bpwire_msg copy = *m;
	const struct bpwire_text *t = NULL;
	const char *why = NULL, *p;
	uint32_t i, n = 0;
	ssize_t r;

	check(m->hdr.len == len);
	check(strcmp(bpwire_type_name(m->hdr.type), "unknown") != 0);
	check_id_result(&m->hdr);
	switch (m->hdr.type) {
	case BPWIRE_REFUSE:
		t = &m->u.refuse.reason;
		break;
	case BPWIRE_BYE:
		t = &m->u.bye.reason;
		check(m->u.bye.action < BPWIRE_BYE_NR);
		break;
	case BPWIRE_NOTE:
		t = &m->u.note.text;
		check(t->len > 0);
		break;
	case BPWIRE_MOUNT: {
		const char *f[4] = { m->u.mount.source, m->u.mount.target,
				     m->u.mount.type, m->u.mount.options };

		for (i = 0; i < 4; i++)
			check(f[i] && inside(f[i], strlen(f[i]) + 1, buf, len));
		check(m->u.mount.target[0] == '/' && !strstr(m->u.mount.target, "/../"));
		check(!strchr(m->u.mount.options, ' ') && strlen(m->u.mount.type) <= BPWIRE_FSTYPE_MAX);
		break;
	}
	case BPWIRE_NODES:
		check(!m->u.nodes.entries);
		check(m->u.nodes.count <= BPWIRE_NODES_PER_FRAME);
		check(m->u.nodes.first + m->u.nodes.count <=
		      (uint32_t)m->u.nodes.numnodes);
		for (i = 0; i < m->u.nodes.count; i++) {
			bpwire_nodes_get(m, i, &entries[i]);
			check(entries[i].node == (int32_t)(m->u.nodes.first + i));
			check(entries[i].status < BPROC_STATUS_NR);
		}
		copy.u.nodes.entries = entries;
		break;
	case BPWIRE_LIBS:
		check(!m->u.libs.paths);
		for (p = bpwire_libs_next(m, NULL); p; p = bpwire_libs_next(m, p)) {
			size_t l = strlen(p);

			check(n < m->u.libs.count);
			check(inside(p, l + 1, buf, len));
			check(p[0] == '/' && l <= BPWIRE_PATH_MAX);
			paths[n++] = p;
		}
		check(n == m->u.libs.count);
		copy.u.libs.paths = paths;
		break;
	case BPWIRE_MOVE: {
		const struct bpwire_move *mv = &m->u.move;

		check(pid_ok(mv->pid));
		check(!(mv->flags & ~(uint32_t)VMAD_DUMP_ALL));
		check(mv->ppid >= 0 && mv->ppid <= BPWIRE_PID_MAX);
		check(mv->pgid >= 0 && mv->pgid <= BPWIRE_PID_MAX);
		check(mv->sid >= 0 && mv->sid <= BPWIRE_PID_MAX);
		check(mv->image_len <= BPWIRE_IMAGE_MAX);	/* 0: not known in advance */
		check(mv->uid != UINT32_MAX && mv->gid != UINT32_MAX);
		check(strnlen(mv->comm, BPWIRE_COMM_LEN) < BPWIRE_COMM_LEN);
		for (p = mv->comm; *p; p++)
			check(*p >= 0x20 && *p <= 0x7e);
		/* Descriptors: the slave opens these as the process's user. */
		check(mv->nio <= BPWIRE_MOVE_IO_MAX);
		for (uint32_t k = 0, seen = 0; k < mv->nio; k++) {
			const struct bpwire_move_io *e = &mv->io[k];

			check(e->fd >= 0 && e->fd <= 2 && !(seen & (1u << e->fd)));
			seen |= 1u << e->fd;
			check(!e->flags);
			/*
			 * The rules of struct bproc_move_io, restated here
			 * (the codec has them from common/moveio_check.c).
			 */
			if (e->type == BPROC_MOVE_IO_FILE) {
				size_t l = strnlen(e->name, sizeof(e->name));

				check(l > 0 && l < sizeof(e->name) && e->name[0] == '/');
				check((e->oflags & O_ACCMODE) != O_ACCMODE && e->offset >= 0 &&
				      e->mode <= 07777);
				check(!(e->oflags & ~(uint32_t)BPROC_MOVE_IO_OFLAGS));
				check(!e->mode || (e->oflags & O_CREAT));
				for (size_t b = 0; b < sizeof(e->addr); b++)
					check(!e->addr[b]);
			} else {
				uint16_t family;

				check(e->type == BPROC_MOVE_IO_SOCKET);
				check(!e->name[0] && !e->oflags && !e->mode && !e->offset);
				memcpy(&family, e->addr, sizeof(family));
				check(family == AF_INET && (e->addr[2] || e->addr[3]));
			}
		}
		break;
	}
	case BPWIRE_IMAGE:
		check_data(m->u.image.data, m->u.image.len, buf, len);
		/* no data: the end of the image */
		check(m->u.image.offset + m->u.image.len <= BPWIRE_IMAGE_MAX);
		break;
	case BPWIRE_MOVE_RESULT:
		check(pid_ok(m->u.move_result.pid));
		break;
	case BPWIRE_SIGNAL:
		check(pid_ok(m->u.signal.pid) && sig_ok(m->u.signal.sig));
		break;
	case BPWIRE_EXIT: {
		uint32_t s = (uint32_t)m->u.exit.status;

		check(pid_ok(m->u.exit.pid));
		/* exited (code << 8) or killed by 1..64, core flag or not */
		check(!(s & ~0xff00u) || (!(s & ~0xffu) && sig_ok(s & 0x7f)));
		break;
	}
	case BPWIRE_PSTATE:
		check(pid_ok(m->u.pstate.pid));
		check((m->u.pstate.state == BPWIRE_PSTATE_STOPPED &&
		       sig_ok(m->u.pstate.sig)) ||
		      (m->u.pstate.state == BPWIRE_PSTATE_CONTINUED &&
		       !m->u.pstate.sig));
		break;
	case BPWIRE_IO:
		check_data(m->u.io.data, m->u.io.len, buf, len);
		check(pid_ok(m->u.io.pid) && m->u.io.stream < BPWIRE_IO_NR);
		break;
	case BPWIRE_CALL:
		check(pid_ok(m->u.call.pid) && m->u.call.nr <= BPWIRE_CALL_NR_MAX);
		check(m->u.call.cred.uid != BPWIRE_ID_INVALID &&
		      m->u.call.cred.euid != BPWIRE_ID_INVALID &&
		      m->u.call.cred.suid != BPWIRE_ID_INVALID &&
		      m->u.call.cred.gid != BPWIRE_ID_INVALID &&
		      m->u.call.cred.egid != BPWIRE_ID_INVALID &&
		      m->u.call.cred.sgid != BPWIRE_ID_INVALID);
		check(!(m->u.call.cred.cap_permitted & ~BPWIRE_CAP_MASK) &&
		      !(m->u.call.cred.cap_effective & ~m->u.call.cred.cap_permitted));
		check(m->u.call.data == buf + BPWIRE_HDR_SIZE + BPWIRE_CALL_FIXED);
		check(m->u.call.len == len - BPWIRE_HDR_SIZE - BPWIRE_CALL_FIXED &&
		      m->u.call.len <= BPWIRE_CALL_DATA_MAX);
		break;
	case BPWIRE_CALL_RESULT:
		check(pid_ok(m->u.call_result.pid) &&
		      m->u.call_result.nr <= BPWIRE_CALL_NR_MAX);
		check(m->u.call_result.data ==
		      buf + BPWIRE_HDR_SIZE + BPWIRE_CALL_RESULT_FIXED);
		check(m->u.call_result.len ==
		      len - BPWIRE_HDR_SIZE - BPWIRE_CALL_RESULT_FIXED &&
		      m->u.call_result.len <= BPWIRE_CALL_OUT_MAX);
		break;
	case BPWIRE_FILE_STAT:
	case BPWIRE_FILE_READ:
	case BPWIRE_FILE_LIST: {
		const struct bpwire_file_req *q = &m->u.file_req;

		/* Who asks, and a plain absolute path: the master opens it as them. */
		check(q->uid != BPWIRE_ID_INVALID && q->gid != BPWIRE_ID_INVALID);
		check(q->ngroups <= BPWIRE_FGROUPS_MAX);
		for (i = 0; i < q->ngroups; i++)
			check(q->groups[i] != BPWIRE_ID_INVALID);
		check(inside(q->path, q->path_len, buf, len));
		check(q->path_len >= 1 && q->path_len <= BPWIRE_PATH_MAX &&
		      q->path[0] == '/' && !memchr(q->path, 0, q->path_len));
		for (i = 0; i + 1 < q->path_len; i++) {
			check(!(q->path[i] == '/' && q->path[i + 1] == '/'));
			check(!(q->path[i] == '/' && q->path[i + 1] == '.' &&
				(i + 2 == q->path_len || q->path[i + 2] == '/' ||
				 (q->path[i + 2] == '.' &&
				  (i + 3 == q->path_len || q->path[i + 3] == '/')))));
		}
		check(q->path_len == 1 || q->path[q->path_len - 1] != '/');
		if (m->hdr.type == BPWIRE_FILE_READ)
			check(q->len >= 1 && q->len <= BPWIRE_FDATA_MAX);
		else
			check(!q->len);
		break;
	}
	case BPWIRE_FILE_ATTR:
	case BPWIRE_FILE_DATA:
	case BPWIRE_FILE_ENTRIES: {
		const struct bpwire_file_rep *f = &m->u.file_rep;
		uint32_t off = 0;
		uint64_t next;
		uint8_t type, nl;
		const char *name;

		check(f->data == buf + BPWIRE_HDR_SIZE + BPWIRE_FREP_FIXED);
		check(f->len == len - BPWIRE_HDR_SIZE - BPWIRE_FREP_FIXED &&
		      f->len <= BPWIRE_FDATA_MAX);
		check(m->hdr.result == 0 || !f->len);
		if (m->hdr.type == BPWIRE_FILE_ATTR && !m->hdr.result)
			check(S_ISLNK(f->mode) ? f->len && !memchr(f->data, 0, f->len) : !f->len);
		if (m->hdr.type != BPWIRE_FILE_ENTRIES)
			break;
		/* Names a node makes directory entries of. */
		while (bpwire_fentry_next(f, &off, &next, &type, &name, &nl)) {
			check(inside(name, nl, buf, len));
			check(nl >= 1 && !memchr(name, '/', nl) && !memchr(name, 0, nl));
			check(!(name[0] == '.' && (nl == 1 || (nl == 2 && name[1] == '.'))));
		}
		check(off == f->len);
		break;
	}
	}
	if (t) {
		check(t->len <= BPWIRE_TEXT_MAX);
		check(t->str && (!t->len || inside(t->str, t->len, buf, len)));
		check(!memchr(t->str, '\0', t->len));
	}

	r = bpwire_encode(&copy, again, sizeof(again), &why);
	check(r == (ssize_t)len);
	check(memcmp(again, buf, len) == 0);
	/* Too small a buffer is refused, not overrun. */
	check(bpwire_encode(&copy, again, len - 1, &why) == -ENOSPC);
}

static int decode_one(const uint8_t *buf, size_t len, struct bpwire_msg *m)
{
	const char *why = NULL;
	int r = bpwire_decode(buf, len, m, &why);

	if (r) {
		check(known_error(r));
		check(why && *why);
	} else {
		check_decoded(m, buf, len);
	}
	return r;
}

static struct bpwire_rx rx;

/*
 * The input as a stream: the reassembler's frames must be what decoding the
 * input frame by frame gives, up to the first error.
 */
static void check_stream(const uint8_t *data, size_t size)
{
	size_t pos = 0, off = 0, step = 1 + (size ? data[0] % 64 : 0);
	struct bpwire_msg m, direct;
	const char *why = NULL;
	int r = 0;

	bpwire_rx_init(&rx);
	while (pos < size && r >= 0) {
		size_t room = sizeof(rx.buf) - (rx.end - rx.start);
		size_t n = step < size - pos ? step : size - pos;

		if (n > room)
			n = room;	/* a maximal frame, nearly complete */
		check(n > 0);
		check(bpwire_rx_feed(&rx, data + pos, n) == 0);
		pos += n;
		step = step * 7 % 97 + 1;
		while ((r = bpwire_rx_next(&rx, &m, &why)) == 1) {
			/* Whole frames only, in order. */
			uint32_t len = m.hdr.len;

			check(off + len <= pos);
			check(decode_one(data + off, len, &direct) == 0);
			check_decoded(&m, rx.buf + rx.start - len, len);
			off += len;
		}
		if (r < 0) {
			size_t avail = size - off, len;

			check(known_error(r) && why);
			check(avail >= 4);
			len = data[off] | data[off + 1] << 8 | data[off + 2] << 16 |
			      (size_t)data[off + 3] << 24;
			if (len >= BPWIRE_HDR_SIZE && len <= BPWIRE_MAX)
				check(decode_one(data + off, len, &direct) == r);
			/* Sticky. */
			check(bpwire_rx_next(&rx, &m, &why) == r);
		}
	}
	if (r >= 0)
		check(bpwire_rx_pending(&rx) == (off < size));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpwire_msg m;

	if (size > 2 * BPWIRE_MAX)
		return 0;
	decode_one(data, size, &m);
	check_stream(data, size);
	return 0;
}
