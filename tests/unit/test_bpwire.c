// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon<->daemon protocol codec (common/bpwire.c): every message
 * round trip, the exact bytes on the wire, every rule the decoder enforces,
 * the encoder's own checks, and stream reassembly from partial reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "bpwire.h"

/* ---- helpers ------------------------------------------------------ */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* a.b.c.d in network byte order, as a constant expression. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ADDR(a, b, c, d) ((uint32_t)(d) << 24 | (uint32_t)(c) << 16 | \
			  (uint32_t)(b) << 8 | (uint32_t)(a))
#else
#define ADDR(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			  (uint32_t)(c) << 8 | (uint32_t)(d))
#endif

/* Header and payload offsets on the wire. */
#define H_LEN		0
#define H_TYPE		4
#define H_FLAGS		6
#define H_ID		8
#define H_RESULT	16
#define H_SRC		20
#define H_DST		24
#define H_PAD		28
#define P		32

static unsigned char frame[BPWIRE_MAX + 64];
static size_t frame_len;

static void put(unsigned char *p, int width, uint64_t v)
{
	int i;

	for (i = 0; i < width; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get(const unsigned char *p, int width)
{
	uint64_t v = 0;
	int i;

	for (i = width - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static const struct bproc_node_entry sample_entries[3] = {
	{ .node = 2, .valid = BPROC_NODE_F_ALL, .status = BPROC_STATUS_UP,
	  .addr = ADDR(10, 77, 0, 12), .uid = 1000, .gid = 100, .mode = 0110 },
	{ .node = 3, .valid = BPROC_NODE_F_STATUS | BPROC_NODE_F_ADDR,
	  .status = BPROC_STATUS_PWROFF, .addr = ADDR(10, 77, 0, 13) },
	{ .node = 4, .valid = 0 },
};

static const char *const sample_paths[3] = {
	"/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/libbproc.so.5", "/",
};

#define REFUSE_TEXT "node 3 is taken"
#define BYE_TEXT "rebooting: \xc3\xa9t\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80"

/* The process frames' samples. */
#define MOVE_ID		0x0102030405060708ull
#define MOVE_PID	12345
#define MOVE_LEN	0x123456789ull
#define IMAGE_OFF	0x100000000ull
static const unsigned char image_data[13] = {
	0x7f, 'E', 'L', 'F', 2, 1, 0, 0xff, 0xfe, 'd', 'a', 't', 'a',
};

#define IO_TEXT "hello, world\n"

/* A valid message of each type, with every field non-trivial. */
#define FILE_PATH "/usr/lib/x86_64-linux-gnu/libc.so.6"
static const struct bpwire_fver file_ver = {
	.dev = 0x803, .ino = 1234567, .size = 1922136,
	.mtime_ns = 1700000000123456789ll, .ctime_ns = -5,
};
/* Two FILE_ENTRIES entries: "lib" (a directory) and "x" (a file). */
static const unsigned char entries_data[] = {
	7, 0, 0, 0, 0, 0, 0, 0, 4, 3, 'l', 'i', 'b',
	8, 0, 0, 0, 0, 0, 0, 0, 8, 1, 'x',
};

static void sample(struct bpwire_msg *m, uint16_t type)
{
	struct bpwire_msg req;

	switch (type) {
	case BPWIRE_HELLO:
		bpwire_init(m, type, 7, BPROC_NODE_NONE, BPROC_NODE_MASTER);
		m->u.hello.want_node = 3;
		m->u.hello.boot_id = 0x1122334455667788ull;
		break;
	case BPWIRE_WELCOME:
	case BPWIRE_REFUSE:
		sample(&req, BPWIRE_HELLO);
		bpwire_reply_init(m, type, &req);
		if (type == BPWIRE_WELCOME) {
			m->u.welcome.node = 3;
			m->u.welcome.numnodes = 8;
			m->u.welcome.ping_ms = 30000;
			m->u.welcome.master_addr = ADDR(10, 77, 0, 1);
		} else {
			m->hdr.result = -EADDRINUSE;
			m->u.refuse.reason.str = REFUSE_TEXT;
			m->u.refuse.reason.len = strlen(REFUSE_TEXT);
		}
		break;
	case BPWIRE_NODES:
		bpwire_init(m, type, 0, BPROC_NODE_MASTER, 3);
		m->u.nodes.numnodes = 8;
		m->u.nodes.first = 2;
		m->u.nodes.count = 3;
		m->u.nodes.entries = sample_entries;
		break;
	case BPWIRE_LIBS:
		bpwire_init(m, type, 0, BPROC_NODE_MASTER, 3);
		m->u.libs.count = 3;
		m->u.libs.paths = sample_paths;
		break;
	case BPWIRE_READY:
		bpwire_init(m, type, 0, 3, BPROC_NODE_MASTER);
		break;
	case BPWIRE_PING:
		bpwire_init(m, type, 0xfffffffffffffffeull, 3, BPROC_NODE_MASTER);
		m->u.ping.timestamp = 123456789012345ull;
		break;
	case BPWIRE_PONG:
		sample(&req, BPWIRE_PING);
		bpwire_reply_init(m, type, &req);
		m->u.ping.timestamp = req.u.ping.timestamp;
		break;
	case BPWIRE_MOUNT:
		bpwire_init(m, type, 0, BPROC_NODE_MASTER, 3);
		m->u.mount.source = "master:/home";
		m->u.mount.target = "/home";
		m->u.mount.type = "nfs";
		m->u.mount.options = "vers=4.2,soft";
		break;
	case BPWIRE_NOTE:
		bpwire_init(m, type, 0, 3, BPROC_NODE_MASTER);
		m->u.note.text.str = BYE_TEXT;
		m->u.note.text.len = strlen(BYE_TEXT);
		break;
	case BPWIRE_BYE:
		bpwire_init(m, type, 0, BPROC_NODE_MASTER, 3);
		m->u.bye.action = BPWIRE_BYE_REBOOT;
		m->u.bye.reason.str = BYE_TEXT;
		m->u.bye.reason.len = strlen(BYE_TEXT);
		break;
	case BPWIRE_MOVE:
		bpwire_init(m, type, MOVE_ID, BPROC_NODE_MASTER, 3);
		m->u.move.pid = MOVE_PID;
		m->u.move.flags = VMAD_DUMP_EXEC | VMAD_DUMP_OTHER;
		m->u.move.uid = 1000;
		m->u.move.gid = 100;
		m->u.move.ppid = 12000;
		m->u.move.pgid = 12001;
		m->u.move.sid = 11000;
		m->u.move.image_len = MOVE_LEN;
		bpwire_comm_set(m->u.move.comm, "a.out-x");
		break;
	case BPWIRE_IMAGE:
		bpwire_init(m, type, MOVE_ID, BPROC_NODE_MASTER, 3);
		m->u.image.offset = IMAGE_OFF;
		m->u.image.data = image_data;
		m->u.image.len = sizeof(image_data);
		break;
	case BPWIRE_MOVE_RESULT:
		sample(&req, BPWIRE_MOVE);
		bpwire_reply_init(m, type, &req);
		m->hdr.result = -ENOMEM;
		m->u.move_result.pid = MOVE_PID;
		break;
	case BPWIRE_SIGNAL:
		bpwire_init(m, type, 0, BPROC_NODE_MASTER, 3);
		m->u.signal.pid = MOVE_PID;
		m->u.signal.sig = SIGTERM;
		break;
	case BPWIRE_EXIT:
		bpwire_init(m, type, 0, 3, BPROC_NODE_MASTER);
		m->u.exit.pid = MOVE_PID;
		m->u.exit.status = 0x80 | SIGSEGV;	/* killed, core dumped */
		break;
	case BPWIRE_PSTATE:
		bpwire_init(m, type, 0, 3, BPROC_NODE_MASTER);
		m->u.pstate.pid = MOVE_PID;
		m->u.pstate.state = BPWIRE_PSTATE_STOPPED;
		m->u.pstate.sig = SIGTSTP;
		break;
	case BPWIRE_IO:
		bpwire_init(m, type, 0, 3, BPROC_NODE_MASTER);
		m->u.io.pid = MOVE_PID;
		m->u.io.stream = BPWIRE_IO_STDERR;
		m->u.io.data = IO_TEXT;
		m->u.io.len = strlen(IO_TEXT);
		break;
	case BPWIRE_CALL:
		bpwire_init(m, type, MOVE_ID, 3, BPROC_NODE_MASTER);
		m->u.call.pid = MOVE_PID;
		m->u.call.nr = BPROC_CALL_RT_SIGQUEUEINFO;
		m->u.call.args[0] = 4242;
		m->u.call.args[1] = SIGUSR1;
		m->u.call.args[2] = 0x7ffd12345678ull;
		m->u.call.args[5] = ~0ull;
		m->u.call.cred = (struct bproc_call_cred){
			.uid = 1000, .euid = 0, .suid = 4000000000u,
			.gid = 100, .egid = 101, .sgid = 102,
			.cap_permitted = 1ull << 40 | 1ull << 5 | 1,
			.cap_effective = 1ull << 5,
		};
		m->u.call.data = image_data;
		m->u.call.len = sizeof(image_data);
		break;
	case BPWIRE_CALL_RESULT:
		memset(&req, 0, sizeof(req));
		req.hdr.type = BPWIRE_CALL;
		req.hdr.id = MOVE_ID;
		req.hdr.src = 3;
		req.hdr.dst = BPROC_NODE_MASTER;
		bpwire_reply_init(m, type, &req);
		m->hdr.result = 4243;
		m->u.call_result.pid = MOVE_PID;
		m->u.call_result.nr = BPROC_CALL_WAIT4;
		m->u.call_result.data = image_data;
		m->u.call_result.len = sizeof(image_data);
		break;
	case BPWIRE_FILE_STAT:
	case BPWIRE_FILE_READ:
	case BPWIRE_FILE_LIST:
		bpwire_init(m, type, MOVE_ID, 3, BPROC_NODE_MASTER);
		m->u.file_req.uid = 1000;
		m->u.file_req.gid = 100;
		m->u.file_req.ngroups = 2;
		m->u.file_req.groups[0] = 27;
		m->u.file_req.groups[1] = 4000000000u;
		m->u.file_req.path = FILE_PATH;
		m->u.file_req.path_len = strlen(FILE_PATH);
		if (type == BPWIRE_FILE_READ) {
			m->u.file_req.len = 4096;
			m->u.file_req.offset = 1ull << 33;
			m->u.file_req.ver = file_ver;
		} else if (type == BPWIRE_FILE_LIST) {
			m->u.file_req.offset = 17;	/* a cookie */
		}
		break;
	case BPWIRE_FILE_ATTR:
	case BPWIRE_FILE_DATA:
	case BPWIRE_FILE_ENTRIES:
		memset(&req, 0, sizeof(req));
		req.hdr.type = type - 1;
		req.hdr.id = MOVE_ID;
		req.hdr.src = 3;
		req.hdr.dst = BPROC_NODE_MASTER;
		bpwire_reply_init(m, type, &req);
		if (type == BPWIRE_FILE_ENTRIES) {
			m->u.file_rep.cookie = 99;
			m->u.file_rep.data = entries_data;
			m->u.file_rep.len = sizeof(entries_data);
			break;
		}
		m->u.file_rep.mode = type == BPWIRE_FILE_ATTR ? S_IFLNK | 0777 : S_IFREG | 0644;
		m->u.file_rep.nlink = 1;
		m->u.file_rep.uid = 0;
		m->u.file_rep.gid = 4000000000u;
		m->u.file_rep.ver = file_ver;
		m->u.file_rep.blocks = 3760;
		m->u.file_rep.data = type == BPWIRE_FILE_ATTR ? (const void *)"libc.so.6" : image_data;
		m->u.file_rep.len = type == BPWIRE_FILE_ATTR ? 9 : sizeof(image_data);
		break;
	default:
		fail();
	}
}

/* Encode sample @type into frame[]. */
static void sample_frame(uint16_t type)
{
	struct bpwire_msg m;
	const char *why = NULL;
	ssize_t n;

	sample(&m, type);
	n = bpwire_encode(&m, frame, sizeof(frame), &why);
	if (n < 0)
		print_message("encode %s: %zd %s\n", bpwire_type_name(type), n, why);
	assert_true(n >= BPWIRE_HDR_SIZE);
	frame_len = (size_t)n;
}

static int decode_frame(struct bpwire_msg *m, const char **why)
{
	return bpwire_decode(frame, frame_len, m, why);
}

/* Change the payload's length (the header's len follows). */
static void resize(ssize_t delta)
{
	if (delta > 0)
		memset(frame + frame_len, 'a', (size_t)delta);
	frame_len += delta;
	put(frame + H_LEN, 4, frame_len);
}

static void expect_reject(const char *name, int err, const char *why_part)
{
	struct bpwire_msg m;
	const char *why = NULL;
	int r = decode_frame(&m, &why);

	if (r != err || !why || !strstr(why, why_part))
		print_message("%s: expected %d '%s', got %d '%s'\n", name, err,
			      why_part, r, why ? why : "(null)");
	assert_int_equal(r, err);
	assert_non_null(why);
	assert_non_null(strstr(why, why_part));
}

static const uint16_t all_types[] = {
	BPWIRE_HELLO, BPWIRE_WELCOME, BPWIRE_REFUSE, BPWIRE_NODES, BPWIRE_LIBS,
	BPWIRE_READY, BPWIRE_PING, BPWIRE_PONG, BPWIRE_BYE, BPWIRE_MOUNT,
	BPWIRE_NOTE, BPWIRE_MOVE, BPWIRE_IMAGE, BPWIRE_MOVE_RESULT, BPWIRE_SIGNAL,
	BPWIRE_EXIT, BPWIRE_PSTATE, BPWIRE_IO, BPWIRE_CALL, BPWIRE_CALL_RESULT,
	BPWIRE_FILE_STAT, BPWIRE_FILE_ATTR, BPWIRE_FILE_READ, BPWIRE_FILE_DATA,
	BPWIRE_FILE_LIST, BPWIRE_FILE_ENTRIES,
};

#define NTYPES ARRAY_SIZE(all_types)

static bool text_equal(struct bpwire_text t, const char *s)
{
	return t.len == strlen(s) && memcmp(t.str, s, t.len) == 0;
}

/* ---- round trips ---------------------------------------------------- */

static void every_type_decodes_to_what_was_encoded(void **state)
{
	unsigned char again[BPWIRE_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < NTYPES; i++) {
		struct bpwire_msg in, out;
		const char *why = "unset";
		ssize_t n;

		sample(&in, all_types[i]);
		sample_frame(all_types[i]);
		assert_int_equal(decode_frame(&out, &why), 0);
		assert_int_equal(out.hdr.len, frame_len);
		assert_int_equal(out.hdr.type, in.hdr.type);
		assert_int_equal(out.hdr.flags, in.hdr.flags);
		assert_true(out.hdr.id == in.hdr.id);
		assert_int_equal(out.hdr.result, in.hdr.result);
		assert_int_equal(out.hdr.src, in.hdr.src);
		assert_int_equal(out.hdr.dst, in.hdr.dst);
		/* Decoded, then encoded again: the same bytes. */
		if (out.hdr.type == BPWIRE_NODES || out.hdr.type == BPWIRE_LIBS)
			continue;	/* re-encoding them needs arrays: below */
		n = bpwire_encode(&out, again, sizeof(again), &why);
		assert_int_equal(n, frame_len);
		assert_memory_equal(again, frame, frame_len);
	}
}

static void test_hello_bytes(void **state)
{
	static const unsigned char want[] = {
		56, 0, 0, 0, 0x00, 0x01, 0, 0,		/* len, type, flags */
		7, 0, 0, 0, 0, 0, 0, 0,			/* id */
		0, 0, 0, 0,				/* result */
		0xfd, 0xff, 0xff, 0xff,			/* src NONE (-3) */
		0xff, 0xff, 0xff, 0xff,			/* dst MASTER (-1) */
		0, 0, 0, 0,				/* pad */
		'B', 'P', 'R', 'C', 2, 0, 2, 0,		/* magic, major, minor */
		3, 0, 0, 0, 0, 0, 0, 0,			/* want_node, flags */
		0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, /* boot_id */
	};
	struct bpwire_msg m;

	(void)state;
	sample_frame(BPWIRE_HELLO);
	assert_int_equal(frame_len, sizeof(want));
	assert_memory_equal(frame, want, sizeof(want));
	assert_int_equal(decode_frame(&m, NULL), 0);
	assert_int_equal(m.u.hello.major, BPWIRE_MAJOR);
	assert_int_equal(m.u.hello.minor, BPWIRE_MINOR);
	assert_int_equal(m.u.hello.want_node, 3);
	assert_int_equal(m.u.hello.flags, 0);
	assert_true(m.u.hello.boot_id == 0x1122334455667788ull);
}

static void welcome_carries_the_master_address_in_network_order(void **state)
{
	struct bpwire_msg m;

	(void)state;
	sample_frame(BPWIRE_WELCOME);
	assert_int_equal(frame_len, P + 24);
	/* master_addr travels as its 4 bytes in network order. */
	assert_memory_equal(frame + P + 16, "\x0a\x4d\x00\x01", 4);
	assert_int_equal(decode_frame(&m, NULL), 0);
	assert_int_equal(m.hdr.flags, BPROC_MSGF_REPLY);
	assert_true(m.hdr.id == 7);
	assert_int_equal(m.hdr.src, BPROC_NODE_MASTER);
	assert_int_equal(m.hdr.dst, BPROC_NODE_NONE);
	assert_int_equal(m.u.welcome.major, BPWIRE_MAJOR);
	assert_int_equal(m.u.welcome.node, 3);
	assert_int_equal(m.u.welcome.numnodes, 8);
	assert_int_equal(m.u.welcome.ping_ms, 30000);
	assert_int_equal(m.u.welcome.master_addr, ADDR(10, 77, 0, 1));
}

static void test_refuse_and_bye(void **state)
{
	struct bpwire_msg m;

	(void)state;
	sample_frame(BPWIRE_REFUSE);
	assert_int_equal(frame_len, P + 2 + strlen(REFUSE_TEXT));
	assert_int_equal(decode_frame(&m, NULL), 0);
	assert_int_equal(m.hdr.result, -EADDRINUSE);
	assert_true(text_equal(m.u.refuse.reason, REFUSE_TEXT));
	/* It points into the frame. */
	assert_ptr_equal(m.u.refuse.reason.str, (char *)frame + P + 2);

	sample_frame(BPWIRE_BYE);
	assert_int_equal(decode_frame(&m, NULL), 0);
	assert_int_equal(m.u.bye.action, BPWIRE_BYE_REBOOT);
	assert_true(text_equal(m.u.bye.reason, BYE_TEXT));
}

static void test_empty_text(void **state)
{
	struct bpwire_msg m, out;
	unsigned char buf[64];

	(void)state;
	bpwire_init(&m, BPWIRE_BYE, 0, 1, BPROC_NODE_MASTER);
	m.u.bye.action = BPWIRE_BYE_HALT;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), NULL), P + 6);
	assert_int_equal(bpwire_decode(buf, P + 6, &out, NULL), 0);
	assert_int_equal(out.u.bye.reason.len, 0);
	assert_non_null(out.u.bye.reason.str);
	assert_int_equal(out.u.bye.action, BPWIRE_BYE_HALT);
}

static void nodes_carry_addresses_raw_and_modes_little_endian(void **state)
{
	struct bpwire_msg m, again;
	struct bproc_node_entry e[3];
	unsigned char buf[BPWIRE_MAX];
	uint32_t i;

	(void)state;
	sample_frame(BPWIRE_NODES);
	assert_int_equal(frame_len, P + 12 + 3 * 32);
	/* Entry 0's addr: raw network-order bytes; its mode LE. */
	assert_memory_equal(frame + P + 12 + 12, "\x0a\x4d\x00\x0c", 4);
	assert_int_equal(get(frame + P + 12 + 24, 4), 0110);
	assert_int_equal(decode_frame(&m, NULL), 0);
	assert_null(m.u.nodes.entries);
	assert_int_equal(m.u.nodes.numnodes, 8);
	assert_int_equal(m.u.nodes.first, 2);
	assert_int_equal(m.u.nodes.count, 3);
	for (i = 0; i < 3; i++) {
		bpwire_nodes_get(&m, i, &e[i]);
		assert_memory_equal(&e[i], &sample_entries[i], sizeof(e[i]));
	}
	/* Re-encoded from the entries read back: the same bytes. */
	again = m;
	again.u.nodes.entries = e;
	assert_int_equal(bpwire_encode(&again, buf, sizeof(buf), NULL), frame_len);
	assert_memory_equal(buf, frame, frame_len);
	/* bpwire_nodes_get() reads an encode-side message too. */
	sample(&m, BPWIRE_NODES);
	bpwire_nodes_get(&m, 1, &e[0]);
	assert_memory_equal(&e[0], &sample_entries[1], sizeof(e[0]));
}

static void test_nodes_empty_and_full(void **state)
{
	static struct bproc_node_entry many[BPWIRE_NODES_PER_FRAME + 1];
	struct bpwire_msg m, out;
	unsigned int i;
	ssize_t n;

	(void)state;
	/* count 0: announces numnodes only. */
	bpwire_init(&m, BPWIRE_NODES, 0, BPROC_NODE_MASTER, 0);
	m.u.nodes.numnodes = 5;
	m.u.nodes.first = 5;
	assert_int_equal(bpwire_encode(&m, frame, sizeof(frame), NULL), P + 12);
	assert_int_equal(bpwire_decode(frame, P + 12, &out, NULL), 0);
	assert_int_equal(out.u.nodes.count, 0);

	/* As many entries as a frame holds, and one more. */
	for (i = 0; i < BPWIRE_NODES_PER_FRAME + 1; i++) {
		many[i].node = (int)i;
		many[i].valid = BPROC_NODE_F_STATUS;
		many[i].status = i % BPROC_STATUS_NR;
	}
	m.u.nodes.numnodes = BPROC_NODES_MAX;
	m.u.nodes.first = 0;
	m.u.nodes.count = BPWIRE_NODES_PER_FRAME;
	m.u.nodes.entries = many;
	n = bpwire_encode(&m, frame, sizeof(frame), NULL);
	assert_true(n > BPWIRE_MAX - BPWIRE_NODE_SIZE && n <= BPWIRE_MAX);
	assert_int_equal(bpwire_decode(frame, (size_t)n, &out, NULL), 0);
	m.u.nodes.count++;
	assert_int_equal(bpwire_encode(&m, frame, sizeof(frame), NULL), -E2BIG);
}

static void libs_decode_to_their_paths_and_encode_to_the_same_bytes(void **state)
{
	const char *p[3], *s, *why = NULL;
	struct bpwire_msg m;
	unsigned char buf[256];
	uint32_t n = 0;

	(void)state;
	sample_frame(BPWIRE_LIBS);
	assert_int_equal(decode_frame(&m, NULL), 0);
	assert_null(m.u.libs.paths);
	assert_int_equal(m.u.libs.count, 3);
	for (s = bpwire_libs_next(&m, NULL); s; s = bpwire_libs_next(&m, s)) {
		assert_true(n < 3);
		assert_string_equal(s, sample_paths[n]);
		p[n++] = s;
	}
	assert_int_equal(n, 3);
	/* Re-encoded from the paths read back: the same bytes. */
	m.u.libs.paths = p;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), frame_len);
	assert_memory_equal(buf, frame, frame_len);

	/* count 0 clears the list. */
	bpwire_init(&m, BPWIRE_LIBS, 0, BPROC_NODE_MASTER, 0);
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), NULL), P + 4);
	assert_int_equal(bpwire_decode(buf, P + 4, &m, NULL), 0);
	assert_int_equal(m.u.libs.count, 0);
	assert_null(bpwire_libs_next(&m, NULL));
}

static void test_libs_limits(void **state)
{
	static char longest[BPWIRE_PATH_MAX + 2];
	static const char *paths[16];
	struct bpwire_msg m, out;
	const char *why = NULL;
	unsigned int i;
	ssize_t n;

	(void)state;
	memset(longest, 'x', sizeof(longest) - 1);
	longest[0] = '/';
	longest[BPWIRE_PATH_MAX] = '\0';
	for (i = 0; i < 16; i++)
		paths[i] = longest;
	bpwire_init(&m, BPWIRE_LIBS, 0, BPROC_NODE_MASTER, 0);
	m.u.libs.paths = paths;
	m.u.libs.count = 15;	/* 15 * 4096 + 36 bytes: fits */
	n = bpwire_encode(&m, frame, sizeof(frame), &why);
	assert_int_equal(n, P + 4 + 15 * (BPWIRE_PATH_MAX + 1));
	assert_int_equal(bpwire_decode(frame, (size_t)n, &out, NULL), 0);
	m.u.libs.count = 16;	/* does not */
	assert_int_equal(bpwire_encode(&m, frame, sizeof(frame), &why), -E2BIG);

	longest[BPWIRE_PATH_MAX] = 'x';	/* 4096 bytes */
	m.u.libs.count = 1;
	assert_int_equal(bpwire_encode(&m, frame, sizeof(frame), &why), -EINVAL);
	assert_non_null(strstr(why, "longer than BPWIRE_PATH_MAX"));
}

/* MOUNT: four strings, each checked; what the slave mounts with. */
static int mount_frame(const char *src, const char *tgt, const char *type,
		       const char *opts, const char **why)
{
	unsigned char *p = frame + P;
	struct bpwire_msg m;
	size_t n = 0;

	memset(frame, 0, sizeof(frame));
	for (const char *f[] = { src, tgt, type, opts }, **i = f; i < f + 4; i++) {
		size_t l = strlen(*i) + 1;

		memcpy(p + n, *i, l);
		n += l;
	}
	put(frame + H_LEN, 4, P + n);
	put(frame + H_TYPE, 2, BPWIRE_MOUNT);
	put(frame + H_SRC, 4, (uint32_t)BPROC_NODE_MASTER);
	put(frame + H_DST, 4, 0);
	return bpwire_decode(frame, P + n, &m, why);
}

static void test_mount(void **state)
{
	static char big[BPWIRE_MNTOPT_MAX + 2];
	struct bpwire_msg m;
	const char *why = NULL;

	(void)state;
	sample_frame(BPWIRE_MOUNT);
	assert_int_equal(decode_frame(&m, &why), 0);
	assert_string_equal(m.u.mount.source, "master:/home");
	assert_string_equal(m.u.mount.target, "/home");
	assert_string_equal(m.u.mount.type, "nfs");
	assert_string_equal(m.u.mount.options, "vers=4.2,soft");
	assert_int_equal(mount_frame("tmpfs", "/scratch", "tmpfs", "", &why), 0);
	assert_int_equal(mount_frame("", "/a", "nfs", "", &why), -EPROTO);
	assert_int_equal(mount_frame("s", "a", "nfs", "", &why), -EINVAL);
	assert_non_null(strstr(why, "not absolute"));
	assert_int_equal(mount_frame("s", "/a/../etc", "nfs", "", &why), -EINVAL);
	assert_int_equal(mount_frame("s", "/..", "nfs", "", &why), -EINVAL);
	assert_int_equal(mount_frame("s", "/a..b/..c", "nfs", "", &why), 0);
	assert_int_equal(mount_frame("s", "/a", "NFS", "", &why), -EINVAL);
	assert_non_null(strstr(why, "type"));
	assert_int_equal(mount_frame("s", "/a", "nfs", "a b", &why), -EINVAL);
	assert_int_equal(mount_frame("s\n", "/a", "nfs", "", &why), -EINVAL);
	memset(big, 'o', sizeof(big) - 1);
	assert_int_equal(mount_frame("s", "/a", "nfs", big, &why), -EPROTO);
	big[BPWIRE_MNTOPT_MAX] = '\0';
	assert_int_equal(mount_frame("s", "/a", "nfs", big, &why), 0);
	assert_int_equal(mount_frame("s", "/a", "abcdefghijklmnopqrstuvwxyzabcdef", "", &why),
			 -EPROTO);
}

static void test_note(void **state)
{
	struct bpwire_msg m;

	(void)state;
	sample_frame(BPWIRE_NOTE);
	assert_int_equal(decode_frame(&m, NULL), 0);
	assert_true(text_equal(m.u.note.text, BYE_TEXT));
	/* An empty note is not sent (the encoder checks by decoding). */
	bpwire_init(&m, BPWIRE_NOTE, 0, 1, BPROC_NODE_MASTER);
	assert_int_equal(bpwire_encode(&m, frame, sizeof(frame), NULL), -EINVAL);
}

static void pong_is_a_reply_to_its_ping_with_the_same_id(void **state)
{
	struct bpwire_msg ping, pong;

	(void)state;
	sample_frame(BPWIRE_PING);
	assert_int_equal(frame_len, P + 8);
	assert_int_equal(decode_frame(&ping, NULL), 0);
	assert_true(ping.u.ping.timestamp == 123456789012345ull);
	assert_int_equal(ping.hdr.flags, 0);

	bpwire_reply_init(&pong, BPWIRE_PONG, &ping);
	assert_int_equal(pong.hdr.flags, BPROC_MSGF_REPLY);
	assert_true(pong.hdr.id == ping.hdr.id);
	assert_int_equal(pong.hdr.src, BPROC_NODE_MASTER);
	assert_int_equal(pong.hdr.dst, 3);
	assert_int_equal(pong.hdr.result, 0);

	sample_frame(BPWIRE_READY);
	assert_int_equal(frame_len, P);
}

static void test_move_bytes(void **state)
{
	static const unsigned char want[] = {
		88, 0, 0, 0, 0x10, 0x01, 0, 0,		/* len, type, flags */
		8, 7, 6, 5, 4, 3, 2, 1,			/* id */
		0, 0, 0, 0,				/* result */
		0xff, 0xff, 0xff, 0xff,			/* src MASTER */
		3, 0, 0, 0, 0, 0, 0, 0,			/* dst, pad */
		0x39, 0x30, 0, 0, 6, 0, 0, 0,		/* pid 12345, flags */
		0xe8, 0x03, 0, 0, 100, 0, 0, 0,		/* uid, gid */
		0xe0, 0x2e, 0, 0, 0xe1, 0x2e, 0, 0,	/* ppid, pgid */
		0xf8, 0x2a, 0, 0, 0, 0, 0, 0,		/* sid, reserved */
		0x89, 0x67, 0x45, 0x23, 1, 0, 0, 0,	/* image_len */
		'a', '.', 'o', 'u', 't', '-', 'x', 0,	/* comm */
		0, 0, 0, 0, 0, 0, 0, 0,
	};
	struct bpwire_msg m;

	(void)state;
	sample_frame(BPWIRE_MOVE);
	assert_int_equal(frame_len, sizeof(want));
	assert_memory_equal(frame, want, sizeof(want));
	assert_int_equal(decode_frame(&m, NULL), 0);
	assert_true(m.hdr.id == MOVE_ID);
	assert_int_equal(m.u.move.pid, MOVE_PID);
	assert_int_equal(m.u.move.flags, VMAD_DUMP_EXEC | VMAD_DUMP_OTHER);
	assert_int_equal(m.u.move.uid, 1000);
	assert_int_equal(m.u.move.gid, 100);
	assert_int_equal(m.u.move.ppid, 12000);
	assert_int_equal(m.u.move.pgid, 12001);
	assert_int_equal(m.u.move.sid, 11000);
	assert_true(m.u.move.image_len == MOVE_LEN);
	assert_string_equal(m.u.move.comm, "a.out-x");
}

/* A MOVE with descriptors to open on the node: both kinds, round trip. */
static void move_io_sample(struct bpwire_msg *m)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(7000) };

	sample(m, BPWIRE_MOVE);
	m->u.move.nio = 2;
	m->u.move.io[0].fd = 1;
	m->u.move.io[0].type = BPROC_MOVE_IO_FILE;
	m->u.move.io[0].oflags = O_WRONLY | O_CREAT | O_TRUNC;
	m->u.move.io[0].mode = 0640;
	m->u.move.io[0].offset = 12;
	strcpy(m->u.move.io[0].name, "/tmp/out");
	sin.sin_addr.s_addr = htonl(0x0a4d0001);
	m->u.move.io[1].fd = 0;
	m->u.move.io[1].type = BPROC_MOVE_IO_SOCKET;
	memcpy(m->u.move.io[1].addr, &sin, sizeof(sin));
}

static void test_move_io(void **state)
{
	/* payload offset of entry i, field at @off */
#define E(i, off) (P + 56 + (i) * 296 + (off))
	static const struct {
		const char *name;
		size_t off;
		int width;
		uint64_t value;
		const char *why;
	} bad[] = {
		{ "fd 3", E(0, 0), 4, 3, "descriptor not 0..2" },
		{ "fd -1", E(0, 0), 4, 0xffffffff, "descriptor not 0..2" },
		{ "fd twice", E(1, 0), 4, 1, "given twice" },
		{ "type 2", E(0, 4), 2, 2, "unknown descriptor type" },
		{ "flags", E(0, 6), 2, 1, "descriptor flags" },
		{ "O_DIRECTORY", E(0, 8), 4, O_WRONLY | O_DIRECTORY, "open flags" },
		{ "access 3", E(0, 8), 4, O_ACCMODE, "open flags" },
		{ "mode 010000", E(0, 12), 4, 010000, "file mode" },
		{ "offset < 0", E(0, 16), 8, UINT64_MAX, "offset" },
		{ "file with address", E(0, 24), 1, 2, "offset or address" },
		{ "relative name", E(0, 40), 1, 't', "absolute" },
		{ "empty name", E(0, 40), 1, 0, "absolute" },
		{ "byte after the NUL", E(0, 40 + 100), 1, 'x', "absolute" },
		{ "name without NUL", E(0, 40 + 8), 8, 0x7878787878787878ull, "" },
		{ "socket family", E(1, 24), 2, AF_INET6, "socket" },
		{ "socket port 0", E(1, 26), 2, 0, "socket" },
		{ "socket with a name", E(1, 40), 1, '/', "socket" },
		{ "socket with open flags", E(1, 8), 4, O_RDONLY | O_APPEND, "socket" },
	};
	struct bpwire_msg m, out;
	const char *why = NULL;
	unsigned char good[BPWIRE_MAX];
	ssize_t n;
	size_t i;

	(void)state;
	move_io_sample(&m);
	n = bpwire_encode(&m, frame, sizeof(frame), &why);
	assert_int_equal(n, P + 56 + 2 * 296);
	frame_len = (size_t)n;
	assert_int_equal(get(frame + P + 28, 4), 2);
	assert_int_equal(decode_frame(&out, NULL), 0);
	assert_int_equal(out.u.move.nio, 2);
	assert_memory_equal(&out.u.move.io[0], &m.u.move.io[0], sizeof(m.u.move.io[0]));
	assert_memory_equal(&out.u.move.io[1], &m.u.move.io[1], sizeof(m.u.move.io[1]));
	memcpy(good, frame, frame_len);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r;

		memcpy(frame, good, frame_len);
		if (!strcmp(bad[i].name, "name without NUL")) {
			memset(frame + E(0, 40), 'x', 256);
		} else {
			put(frame + bad[i].off, bad[i].width, bad[i].value);
		}
		why = NULL;
		r = decode_frame(&out, &why);
		if (r != -EINVAL || !why || !strstr(why, bad[i].why))
			print_message("%s: %d '%s'\n", bad[i].name, r, why ? why : "");
		assert_int_equal(r, -EINVAL);
		assert_non_null(strstr(why, bad[i].why));
	}
	/* More entries than the frame has room for in nio: the length says. */
	memcpy(frame, good, frame_len);
	put(frame + P + 28, 4, 3);
	assert_int_equal(decode_frame(&out, NULL), -EPROTO);
	/* The encoder refuses what it cannot express. */
	m.u.move.nio = 4;
	assert_int_equal(bpwire_encode(&m, frame, sizeof(frame), &why), -EINVAL);
#undef E
}

static void test_image_and_io(void **state)
{
	struct bpwire_msg m;

	(void)state;
	sample_frame(BPWIRE_IMAGE);
	assert_int_equal(frame_len, P + 8 + sizeof(image_data));
	assert_int_equal(get(frame + P, 8), IMAGE_OFF);
	assert_int_equal(decode_frame(&m, NULL), 0);
	assert_true(m.hdr.id == MOVE_ID);
	assert_true(m.u.image.offset == IMAGE_OFF);
	assert_int_equal(m.u.image.len, sizeof(image_data));
	/* Points into the frame. */
	assert_ptr_equal(m.u.image.data, frame + P + 8);
	assert_memory_equal(m.u.image.data, image_data, sizeof(image_data));

	sample_frame(BPWIRE_IO);
	assert_int_equal(frame_len, P + 8 + strlen(IO_TEXT));
	assert_int_equal(get(frame + P, 4), MOVE_PID);
	assert_int_equal(get(frame + P + 4, 4), BPWIRE_IO_STDERR);
	assert_int_equal(decode_frame(&m, NULL), 0);
	assert_true(m.hdr.id == 0);
	assert_int_equal(m.u.io.pid, MOVE_PID);
	assert_int_equal(m.u.io.stream, BPWIRE_IO_STDERR);
	assert_int_equal(m.u.io.len, strlen(IO_TEXT));
	assert_ptr_equal(m.u.io.data, frame + P + 8);
	assert_memory_equal(m.u.io.data, IO_TEXT, strlen(IO_TEXT));
}

static void test_io_eof(void **state)
{
	unsigned char buf[64], again[64];
	struct bpwire_msg m, out;
	uint32_t stream;

	(void)state;
	for (stream = 0; stream < BPWIRE_IO_NR; stream++) {
		/* 0 bytes: end of file; NULL data is fine then. */
		bpwire_init(&m, BPWIRE_IO, 0,
			    stream ? 1 : BPROC_NODE_MASTER,
			    stream ? BPROC_NODE_MASTER : 1);
		m.u.io.pid = 1;
		m.u.io.stream = stream;
		assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), NULL), P + 8);
		assert_int_equal(bpwire_decode(buf, P + 8, &out, NULL), 0);
		assert_int_equal(out.u.io.len, 0);
		assert_int_equal(out.u.io.stream, stream);
		assert_non_null(out.u.io.data);
		assert_int_equal(bpwire_encode(&out, again, sizeof(again), NULL), P + 8);
		assert_memory_equal(again, buf, P + 8);
	}
}

static void test_small_process_frames(void **state)
{
	struct bpwire_msg m;

	(void)state;
	sample_frame(BPWIRE_MOVE_RESULT);
	assert_int_equal(frame_len, P + 8);
	assert_int_equal(decode_frame(&m, NULL), 0);
	assert_int_equal(m.hdr.flags, BPROC_MSGF_REPLY);
	assert_true(m.hdr.id == MOVE_ID);
	assert_int_equal(m.hdr.src, 3);
	assert_int_equal(m.hdr.dst, BPROC_NODE_MASTER);
	assert_int_equal(m.hdr.result, -ENOMEM);
	assert_int_equal(m.u.move_result.pid, MOVE_PID);
	/* Success: result 0. */
	put(frame + H_RESULT, 4, 0);
	assert_int_equal(decode_frame(&m, NULL), 0);
	assert_int_equal(m.hdr.result, 0);

	sample_frame(BPWIRE_SIGNAL);
	assert_int_equal(frame_len, P + 16);
	assert_int_equal(decode_frame(&m, NULL), 0);
	assert_int_equal(m.u.signal.pid, MOVE_PID);
	assert_int_equal(m.u.signal.sig, SIGTERM);

	sample_frame(BPWIRE_EXIT);
	assert_int_equal(frame_len, P + 16);
	assert_int_equal(get(frame + P + 4, 4), 0x8b);
	assert_int_equal(decode_frame(&m, NULL), 0);
	assert_int_equal(m.u.exit.pid, MOVE_PID);
	assert_true(WIFSIGNALED(m.u.exit.status));
	assert_int_equal(WTERMSIG(m.u.exit.status), SIGSEGV);
	assert_true(WCOREDUMP(m.u.exit.status));

	sample_frame(BPWIRE_PSTATE);
	assert_int_equal(frame_len, P + 16);
	assert_int_equal(decode_frame(&m, NULL), 0);
	assert_int_equal(m.u.pstate.pid, MOVE_PID);
	assert_int_equal(m.u.pstate.state, BPWIRE_PSTATE_STOPPED);
	assert_int_equal(m.u.pstate.sig, SIGTSTP);
	/* Continued: sig 0. */
	put(frame + P + 4, 4, BPWIRE_PSTATE_CONTINUED);
	put(frame + P + 8, 4, 0);
	assert_int_equal(decode_frame(&m, NULL), 0);
	assert_int_equal(m.u.pstate.state, BPWIRE_PSTATE_CONTINUED);
	assert_int_equal(m.u.pstate.sig, 0);
	/* ... and nothing else. */
	put(frame + P + 8, 4, SIGCONT);
	expect_reject("PSTATE continued sig", -EINVAL, "continued with a signal");
}

/* Encode @m, expect success, decode it back. */
static void ok_encode(struct bpwire_msg *m, const char *name)
{
	const char *why = NULL;
	struct bpwire_msg out;
	ssize_t n = bpwire_encode(m, frame, sizeof(frame), &why);

	if (n < 0)
		print_message("%s: encode %zd '%s'\n", name, n, why);
	assert_true(n > 0);
	assert_int_equal(bpwire_decode(frame, (size_t)n, &out, NULL), 0);
	frame_len = (size_t)n;
}

/* The edges of every range in the process frames are accepted. */
static void test_process_limits(void **state)
{
	static unsigned char big[BPWIRE_DATA_MAX + 1];
	struct bpwire_msg m, out;
	ssize_t n;

	(void)state;
	sample(&m, BPWIRE_MOVE);
	m.u.move.pid = BPWIRE_PID_MAX;
	m.u.move.ppid = BPWIRE_PID_MAX;
	m.u.move.pgid = BPWIRE_PID_MAX;
	m.u.move.sid = BPWIRE_PID_MAX;
	m.u.move.flags = VMAD_DUMP_ALL;
	m.u.move.uid = 0xfffffffe;
	m.u.move.gid = 0xfffffffe;
	m.u.move.image_len = BPWIRE_IMAGE_MAX;
	ok_encode(&m, "MOVE max");
	m.u.move.pid = 1;
	m.u.move.ppid = 0;
	m.u.move.pgid = 0;
	m.u.move.sid = 0;
	m.u.move.flags = 0;
	m.u.move.uid = 0;
	m.u.move.gid = 0;
	m.u.move.image_len = 1;
	m.hdr.id = 1;
	memset(m.u.move.comm, 0, sizeof(m.u.move.comm));	/* empty name */
	ok_encode(&m, "MOVE min");

	/* IMAGE: 1 byte; a full frame; up to the end of the largest image. */
	sample(&m, BPWIRE_IMAGE);
	m.u.image.len = 1;
	m.u.image.offset = 0;
	ok_encode(&m, "IMAGE 1 byte");
	assert_int_equal(frame_len, P + 9);
	m.u.image.data = big;
	m.u.image.len = BPWIRE_DATA_MAX;
	m.u.image.offset = BPWIRE_IMAGE_MAX - BPWIRE_DATA_MAX;
	ok_encode(&m, "IMAGE full");
	assert_int_equal(frame_len, BPWIRE_MAX);
	assert_int_equal(bpwire_decode(frame, frame_len, &out, NULL), 0);
	assert_int_equal(out.u.image.len, BPWIRE_DATA_MAX);
	m.u.image.len = BPWIRE_DATA_MAX + 1;
	assert_int_equal(bpwire_encode(&m, frame, sizeof(frame), NULL), -E2BIG);
	m.u.image.len = 1;
	m.u.image.offset = BPWIRE_IMAGE_MAX - 1;
	ok_encode(&m, "IMAGE last byte");
	m.u.image.offset = 4096;
	m.u.image.data = NULL;
	m.u.image.len = 0;
	ok_encode(&m, "IMAGE of no data: the end of the image");
	m.u.image.data = big;
	m.u.image.len = 1;
	m.u.image.offset = BPWIRE_IMAGE_MAX;
	assert_int_equal(bpwire_encode(&m, frame, sizeof(frame), NULL), -EINVAL);

	/* IO: a full frame, and one byte more. */
	sample(&m, BPWIRE_IO);
	m.u.io.data = big;
	m.u.io.len = BPWIRE_DATA_MAX;
	m.u.io.pid = BPWIRE_PID_MAX;
	m.u.io.stream = BPWIRE_IO_STDIN;
	ok_encode(&m, "IO full");
	assert_int_equal(frame_len, BPWIRE_MAX);
	m.u.io.len = BPWIRE_DATA_MAX + 1;
	assert_int_equal(bpwire_encode(&m, frame, sizeof(frame), NULL), -E2BIG);

	/* MOVE_RESULT: errno -1 and -4095; the largest pid. */
	sample(&m, BPWIRE_MOVE_RESULT);
	m.hdr.result = -1;
	m.u.move_result.pid = BPWIRE_PID_MAX;
	ok_encode(&m, "MOVE_RESULT -1");
	m.hdr.result = -4095;
	ok_encode(&m, "MOVE_RESULT -4095");

	/* Signals 1 and 64, pids 1 and the largest. */
	sample(&m, BPWIRE_SIGNAL);
	m.u.signal.pid = 1;
	m.u.signal.sig = 1;
	ok_encode(&m, "SIGNAL 1");
	m.u.signal.pid = BPWIRE_PID_MAX;
	m.u.signal.sig = BPWIRE_SIG_MAX;
	ok_encode(&m, "SIGNAL 64");
	sample(&m, BPWIRE_PSTATE);
	m.u.pstate.sig = 1;
	ok_encode(&m, "PSTATE sig 1");
	m.u.pstate.sig = BPWIRE_SIG_MAX;
	m.u.pstate.pid = BPWIRE_PID_MAX;
	ok_encode(&m, "PSTATE sig 64");
	sample(&m, BPWIRE_EXIT);
	m.u.exit.pid = BPWIRE_PID_MAX;
	m.u.exit.status = 255 << 8;
	ok_encode(&m, "EXIT 255");
	n = bpwire_encode(&m, frame, sizeof(frame), NULL);
	assert_int_equal(n, P + 16);
}

/* EXIT's status: exactly the exited and killed wait(2) words. */
static void test_exit_status(void **state)
{
	static const int32_t other[] = {
		0x80, 0x180, 0x10000, 0x10100, 0x1008b, 0x7fffffff, INT32_MIN,
		-1, -256,
	};
	struct bpwire_msg m;
	unsigned int good = 0;
	int32_t s;
	size_t i;

	(void)state;
	sample(&m, BPWIRE_EXIT);
	for (s = 0; s <= 0xffff; s++) {
		/* Exited: code << 8, no core flag (WIFEXITED ignores it). */
		bool want = (WIFEXITED(s) && !(s & 0xff)) ||
			    (WIFSIGNALED(s) && !(s & 0xff00) &&
			     WTERMSIG(s) <= BPWIRE_SIG_MAX);
		bool got;

		m.u.exit.status = s;
		got = bpwire_encode(&m, frame, sizeof(frame), NULL) > 0;
		if (want != got)
			fail_msg("status 0x%x: %s", (unsigned int)s,
				 want ? "refused" : "accepted");
		if (got)
			good++;
	}
	/* 256 exit codes, 64 signals with and without core. */
	assert_int_equal(good, 256 + 64 * 2);
	for (i = 0; i < ARRAY_SIZE(other); i++) {
		m.u.exit.status = other[i];
		assert_int_equal(bpwire_encode(&m, frame, sizeof(frame), NULL), -EINVAL);
	}
}

/* A MOVE frame whose comm is the 16 bytes @comm. */
static int move_comm(const char *comm)
{
	struct bpwire_msg m;

	sample_frame(BPWIRE_MOVE);
	memcpy(frame + P + 40, comm, BPWIRE_COMM_LEN);
	return decode_frame(&m, NULL);
}

static void test_comm_rules(void **state)
{
	static const char good[][BPWIRE_COMM_LEN] = {
		"", "a", "bash", " ", "~", "kworker/0:1H-kb", "a b!\"#$%&'()*+,",
	};
	static const char bad[][BPWIRE_COMM_LEN] = {
		"\t", "a\nb", "\x1f", "\x7f", "caf\xc3\xa9", "\x80", "\xff",
		"a\0b", "abc\0\0\0\0\0\0\0\0\0\0\0\0\x01",
	};
	char full[BPWIRE_COMM_LEN], comm[BPWIRE_COMM_LEN];
	struct bpwire_msg m;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(good); i++)
		if (move_comm(good[i]))
			fail_msg("good comm %zu refused", i);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		if (move_comm(bad[i]) != -EINVAL)
			fail_msg("bad comm %zu accepted", i);
	/* No NUL at all. */
	memset(full, 'c', sizeof(full));
	assert_int_equal(move_comm(full), -EINVAL);
	full[BPWIRE_COMM_LEN - 1] = '\0';
	assert_int_equal(move_comm(full), 0);

	/* bpwire_comm_set(): truncates, replaces, pads; always valid. */
	bpwire_comm_set(comm, "a-very-long-program-name");
	assert_string_equal(comm, "a-very-long-pro");
	bpwire_comm_set(comm, "\tx\xc3\xa9\x7f~");
	assert_string_equal(comm, "?x???~");
	for (i = 7; i < BPWIRE_COMM_LEN; i++)
		assert_int_equal(comm[i], 0);
	assert_int_equal(move_comm(comm), 0);
	bpwire_comm_set(comm, NULL);
	for (i = 0; i < BPWIRE_COMM_LEN; i++)
		assert_int_equal(comm[i], 0);
	sample(&m, BPWIRE_MOVE);
	bpwire_comm_set(m.u.move.comm, "\x01\x02\x03");
	ok_encode(&m, "MOVE comm ???");
}

/* FILE requests and replies: their rules, byte by byte where it matters. */
static void test_file_rules(void **state)
{
	static const char *const bad_paths[] = {
		"", "usr/lib", "/usr//lib", "/usr/lib/", "/usr/./lib", "/usr/../etc",
		"/..", "/.", "//",
	};
	static const char *const good_paths[] = {
		"/", "/usr", "/usr/lib/..x", "/...", "/.hidden/a",
	};
	struct bpwire_msg m, out;
	unsigned char entry[300];
	char longname[300];
	uint32_t off = 0, len = 0;
	uint64_t ino;
	uint8_t type, nl;
	const char *name;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad_paths); i++)
		assert_false(bpwire_fpath_ok(bad_paths[i], strlen(bad_paths[i])));
	for (i = 0; i < ARRAY_SIZE(good_paths); i++)
		assert_true(bpwire_fpath_ok(good_paths[i], strlen(good_paths[i])));
	assert_false(bpwire_fpath_ok("/a\0b", 4));
	memset(longname, 'n', sizeof(longname));
	longname[0] = '/';
	assert_true(bpwire_fpath_ok(longname, 256));	/* "/" + 255 */
	assert_false(bpwire_fpath_ok(longname, 257));	/* "/" + 256 */

	/* A path with ".." is refused on the wire, whatever the encoder sent. */
	sample_frame(BPWIRE_FILE_STAT);
	memcpy(frame + frame_len - 6, "/../..", 6);
	expect_reject("dotdot", -EINVAL, "not a plain absolute path");
	/* Groups: at most 64, and counted in the length. */
	sample(&m, BPWIRE_FILE_STAT);
	m.u.file_req.ngroups = BPWIRE_FGROUPS_MAX + 1;
	assert_int_equal(bpwire_encode(&m, frame, sizeof(frame), NULL), -E2BIG);
	sample_frame(BPWIRE_FILE_STAT);
	put(frame + P + 8, 4, 2000);
	expect_reject("groups", -EINVAL, "too many groups");
	/* The invalid id, as uid or as a group. */
	sample(&m, BPWIRE_FILE_LIST);
	m.u.file_req.groups[1] = BPWIRE_ID_INVALID;
	assert_int_equal(bpwire_encode(&m, frame, sizeof(frame), NULL), -EINVAL);
	/* READ wants 1..BPWIRE_FDATA_MAX bytes; STAT and LIST none, no version. */
	sample(&m, BPWIRE_FILE_READ);
	m.u.file_req.len = 0;
	assert_int_equal(bpwire_encode(&m, frame, sizeof(frame), NULL), -EINVAL);
	m.u.file_req.len = BPWIRE_FDATA_MAX + 1;
	assert_int_equal(bpwire_encode(&m, frame, sizeof(frame), NULL), -EINVAL);
	m.u.file_req.len = BPWIRE_FDATA_MAX;
	assert_true(bpwire_encode(&m, frame, sizeof(frame), NULL) > 0);
	sample(&m, BPWIRE_FILE_STAT);
	m.u.file_req.ver.ino = 1;
	assert_int_equal(bpwire_encode(&m, frame, sizeof(frame), NULL), -EINVAL);
	sample(&m, BPWIRE_FILE_STAT);
	m.u.file_req.offset = 1;
	assert_int_equal(bpwire_encode(&m, frame, sizeof(frame), NULL), -EINVAL);

	/* ATTR: a symlink has its target, anything else none. */
	sample(&m, BPWIRE_FILE_ATTR);
	m.u.file_rep.len = 0;
	assert_int_equal(bpwire_encode(&m, frame, sizeof(frame), NULL), -EINVAL);
	m.u.file_rep.mode = S_IFREG | 0644;
	assert_true(bpwire_encode(&m, frame, sizeof(frame), NULL) > 0);
	m.u.file_rep.mode = 0644;	/* no type */
	assert_int_equal(bpwire_encode(&m, frame, sizeof(frame), NULL), -EINVAL);
	/* An error carries nothing; a positive result is no result. */
	sample(&m, BPWIRE_FILE_DATA);
	m.hdr.result = -EACCES;
	assert_int_equal(bpwire_encode(&m, frame, sizeof(frame), NULL), -EINVAL);
	m.u.file_rep.len = 0;
	frame_len = (size_t)bpwire_encode(&m, frame, sizeof(frame), NULL);
	assert_int_equal(frame_len, P + BPWIRE_FREP_FIXED);
	assert_int_equal(decode_frame(&out, NULL), 0);
	assert_int_equal(out.hdr.result, -EACCES);
	sample_frame(BPWIRE_FILE_DATA);
	put(frame + H_RESULT, 4, 5);
	expect_reject("positive", -EPROTO, "result not 0 or a negative errno");

	/* ENTRIES: walked back as written; a cut entry or a bad name refused. */
	sample_frame(BPWIRE_FILE_ENTRIES);
	assert_int_equal(decode_frame(&out, NULL), 0);
	assert_true(bpwire_fentry_next(&out.u.file_rep, &off, &ino, &type, &name, &nl));
	assert_true(ino == 7 && type == 4 && nl == 3 && !memcmp(name, "lib", 3));
	assert_true(bpwire_fentry_next(&out.u.file_rep, &off, &ino, &type, &name, &nl));
	assert_true(ino == 8 && type == 8 && nl == 1 && name[0] == 'x');
	assert_false(bpwire_fentry_next(&out.u.file_rep, &off, &ino, &type, &name, &nl));
	resize(-1);
	expect_reject("cut", -EINVAL, "partial entry");
	sample_frame(BPWIRE_FILE_ENTRIES);
	frame[frame_len - 1] = '/';
	expect_reject("slash", -EINVAL, "not a name");
	sample_frame(BPWIRE_FILE_ENTRIES);
	frame[P + BPWIRE_FREP_FIXED + 10] = '.';
	frame[P + BPWIRE_FREP_FIXED + 9] = 1;	/* "." then a cut entry */
	assert_int_not_equal(decode_frame(&out, NULL), 0);
	assert_true(bpwire_fentry_put(entry, &len, sizeof(entry), 1, 4, "a", 1));
	assert_int_equal(len, BPWIRE_FENTRY_FIXED + 1);
	assert_false(bpwire_fentry_put(entry, &len, BPWIRE_FENTRY_FIXED + 5, 2, 4,
				       longname + 1, 200));
	assert_int_equal(len, BPWIRE_FENTRY_FIXED + 1);
}

static void test_type_names(void **state)
{
	(void)state;
	assert_string_equal(bpwire_type_name(BPWIRE_HELLO), "HELLO");
	assert_string_equal(bpwire_type_name(BPWIRE_WELCOME), "WELCOME");
	assert_string_equal(bpwire_type_name(BPWIRE_REFUSE), "REFUSE");
	assert_string_equal(bpwire_type_name(BPWIRE_NODES), "NODES");
	assert_string_equal(bpwire_type_name(BPWIRE_LIBS), "LIBS");
	assert_string_equal(bpwire_type_name(BPWIRE_READY), "READY");
	assert_string_equal(bpwire_type_name(BPWIRE_PING), "PING");
	assert_string_equal(bpwire_type_name(BPWIRE_PONG), "PONG");
	assert_string_equal(bpwire_type_name(BPWIRE_BYE), "BYE");
	assert_string_equal(bpwire_type_name(BPWIRE_MOVE), "MOVE");
	assert_string_equal(bpwire_type_name(BPWIRE_IMAGE), "IMAGE");
	assert_string_equal(bpwire_type_name(BPWIRE_MOVE_RESULT), "MOVE_RESULT");
	assert_string_equal(bpwire_type_name(BPWIRE_SIGNAL), "SIGNAL");
	assert_string_equal(bpwire_type_name(BPWIRE_EXIT), "EXIT");
	assert_string_equal(bpwire_type_name(BPWIRE_PSTATE), "PSTATE");
	assert_string_equal(bpwire_type_name(BPWIRE_IO), "IO");
	assert_string_equal(bpwire_type_name(0x10f), "unknown");
	assert_string_equal(bpwire_type_name(0x117), "unknown");
	assert_string_equal(bpwire_type_name(0), "unknown");
	assert_string_equal(bpwire_type_name(BPROC_MSG_HELLO), "unknown");
	assert_string_equal(bpwire_type_name(BPWIRE_MOUNT), "MOUNT");
	assert_string_equal(bpwire_type_name(BPWIRE_NOTE), "NOTE");
	assert_string_equal(bpwire_type_name(0x10b), "unknown");
}

/* ---- the decoder's rules -------------------------------------------- */

/*
 * One damaged frame: sample @type, write @width bytes of @val at @off
 * (width 0: none), change the payload's length by @resize (the header's len
 * follows), then expect @err with a reason containing @why.
 */
struct reject {
	const char *name;
	uint16_t type;
	size_t off;
	int width;
	uint64_t val;
	ssize_t resize;
	int err;
	const char *why;
};

#define E(i, f) (P + 12 + 32 * (i) + (f))	/* NODES entry i, field offset f */

static const struct reject rejects[] = {
	/* header */
	{ "len < header", BPWIRE_READY, H_LEN, 4, 31, 0, -EPROTO, "shorter than a header" },
	{ "len 0", BPWIRE_READY, H_LEN, 4, 0, 0, -EPROTO, "shorter than a header" },
	{ "len > max", BPWIRE_READY, H_LEN, 4, BPWIRE_MAX + 1, 0, -E2BIG, "BPWIRE_MAX" },
	{ "len huge", BPWIRE_PING, H_LEN, 4, 0xffffffff, 0, -E2BIG, "BPWIRE_MAX" },
	{ "len > data", BPWIRE_PING, H_LEN, 4, P + 9, 0, -EPROTO, "does not match" },
	{ "len < data", BPWIRE_PING, H_LEN, 4, P + 7, 0, -EPROTO, "does not match" },
	{ "type 0", BPWIRE_READY, H_TYPE, 2, 0, 0, -EPROTO, "unknown message type" },
	{ "kernel type", BPWIRE_READY,
	  H_TYPE, 2, BPROC_MSG_HELLO, 0, -EPROTO, "unknown message type" },
	{ "type 0xff", BPWIRE_READY, H_TYPE, 2, 0xff, 0, -EPROTO, "unknown message type" },
	{ "type after NOTE", BPWIRE_READY,
	  H_TYPE, 2, BPWIRE_NOTE + 1, 0, -EPROTO, "unknown message type" },
	{ "type 0xffff", BPWIRE_READY, H_TYPE, 2, 0xffff, 0, -EPROTO, "unknown message type" },
	{ "unknown flag", BPWIRE_READY, H_FLAGS, 2, 2, 0, -EPROTO, "unknown flags" },
	{ "high flag", BPWIRE_PONG, H_FLAGS, 2, 0x8001, 0, -EPROTO, "unknown flags" },
	{ "REPLY on HELLO", BPWIRE_HELLO, H_FLAGS, 2, 1, 0, -EPROTO, "REPLY flag on a request" },
	{ "REPLY on PING", BPWIRE_PING, H_FLAGS, 2, 1, 0, -EPROTO, "REPLY flag on a request" },
	{ "REPLY on NODES", BPWIRE_NODES, H_FLAGS, 2, 1, 0, -EPROTO, "REPLY flag on a request" },
	{ "REPLY on BYE", BPWIRE_BYE, H_FLAGS, 2, 1, 0, -EPROTO, "REPLY flag on a request" },
	{ "WELCOME no REPLY", BPWIRE_WELCOME, H_FLAGS, 2, 0, 0, -EPROTO, "without the REPLY flag" },
	{ "REFUSE no REPLY", BPWIRE_REFUSE, H_FLAGS, 2, 0, 0, -EPROTO, "without the REPLY flag" },
	{ "PONG no REPLY", BPWIRE_PONG, H_FLAGS, 2, 0, 0, -EPROTO, "without the REPLY flag" },
	{ "result in PING", BPWIRE_PING,
	  H_RESULT, 4, (uint32_t)-EIO, 0, -EPROTO, "result not zero" },
	{ "result in WELCOME", BPWIRE_WELCOME, H_RESULT, 4, 1, 0, -EPROTO, "result not zero" },
	{ "REFUSE result 0", BPWIRE_REFUSE, H_RESULT, 4, 0, 0, -EPROTO, "negative errno" },
	{ "REFUSE result > 0", BPWIRE_REFUSE, H_RESULT, 4, EIO, 0, -EPROTO, "negative errno" },
	{ "REFUSE result -4096", BPWIRE_REFUSE,
	  H_RESULT, 4, (uint32_t)-4096, 0, -EPROTO, "negative errno" },
	{ "pad", BPWIRE_READY, H_PAD, 4, 1, 0, -EINVAL, "pad not zero" },
	{ "pad high byte", BPWIRE_READY, H_PAD + 3, 1, 0x80, 0, -EINVAL, "pad not zero" },
	{ "src ANY", BPWIRE_READY, H_SRC, 4, (uint32_t)BPROC_NODE_ANY, 0, -EINVAL, "source" },
	{ "src SELF", BPWIRE_READY, H_SRC, 4, (uint32_t)BPROC_NODE_SELF, 0, -EINVAL, "source" },
	{ "src too big", BPWIRE_READY, H_SRC, 4, BPROC_NODES_MAX, 0, -EINVAL, "source" },
	{ "dst negative", BPWIRE_READY, H_DST, 4, 0x80000000, 0, -EINVAL, "destination" },
	/* HELLO */
	{ "HELLO short", BPWIRE_HELLO, 0, 0, 0, -1, -EPROTO, "HELLO: bad payload length" },
	{ "HELLO long", BPWIRE_HELLO, 0, 0, 0, 1, -EPROTO, "HELLO: bad payload length" },
	{ "HELLO tiny", BPWIRE_HELLO, 0, 0, 0, -17, -EPROTO, "HELLO: payload too short" },
	{ "HELLO magic", BPWIRE_HELLO, P, 1, 'b', 0, -EPROTO, "bad magic" },
	{ "HELLO magic BE", BPWIRE_HELLO, P, 4, 0x42505243, 0, -EPROTO, "bad magic" },
	{ "HELLO major 0", BPWIRE_HELLO, P + 4, 2, 0, 0, -EPROTONOSUPPORT, "major" },
	{ "HELLO major 1", BPWIRE_HELLO, P + 4, 2, 1, 0, -EPROTONOSUPPORT, "major" },
	{ "HELLO major 3", BPWIRE_HELLO, P + 4, 2, 3, 0, -EPROTONOSUPPORT, "major" },
	{ "HELLO flags", BPWIRE_HELLO, P + 12, 4, 1, 0, -EINVAL, "HELLO: unknown flags" },
	{ "HELLO want MASTER", BPWIRE_HELLO,
	  P + 8, 4, (uint32_t)BPROC_NODE_MASTER, 0, -EINVAL, "want_node" },
	{ "HELLO want too big", BPWIRE_HELLO, P + 8, 4, BPROC_NODES_MAX, 0, -EINVAL, "want_node" },
	/* WELCOME */
	{ "WELCOME short", BPWIRE_WELCOME, 0, 0, 0, -4, -EPROTO, "WELCOME: bad payload length" },
	{ "WELCOME long", BPWIRE_WELCOME, 0, 0, 0, 4, -EPROTO, "WELCOME: bad payload length" },
	{ "WELCOME tiny", BPWIRE_WELCOME, 0, 0, 0, -21, -EPROTO, "WELCOME: payload too short" },
	{ "WELCOME major", BPWIRE_WELCOME, P, 2, 9, 0, -EPROTONOSUPPORT, "major" },
	{ "WELCOME node < 0", BPWIRE_WELCOME,
	  P + 4, 4, (uint32_t)-1, 0, -EINVAL, "node out of range" },
	{ "WELCOME node = n", BPWIRE_WELCOME, P + 4, 4, 8, 0, -EINVAL, "node out of range" },
	{ "WELCOME numnodes 0", BPWIRE_WELCOME, P + 8, 4, 0, 0, -EINVAL, "numnodes out of range" },
	{ "WELCOME numnodes big", BPWIRE_WELCOME,
	  P + 8, 4, BPROC_NODES_MAX + 1, 0, -EINVAL, "numnodes out of range" },
	{ "WELCOME ping 0", BPWIRE_WELCOME, P + 12, 4, 0, 0, -EINVAL, "ping_ms" },
	{ "WELCOME ping big", BPWIRE_WELCOME,
	  P + 12, 4, BPWIRE_PING_MS_MAX + 1, 0, -EINVAL, "ping_ms" },
	{ "WELCOME reserved", BPWIRE_WELCOME, P + 20, 4, 1, 0, -EINVAL, "reserved" },
	/* REFUSE and BYE text */
	{ "REFUSE empty", BPWIRE_REFUSE,
	  0, 0, 0, -(2 + (ssize_t)strlen(REFUSE_TEXT)), -EPROTO, "too short" },
	{ "REFUSE len > data", BPWIRE_REFUSE, P, 2, 16, 0, -EPROTO, "does not match" },
	{ "REFUSE len < data", BPWIRE_REFUSE, P, 2, 14, 0, -EPROTO, "does not match" },
	{ "REFUSE len > max", BPWIRE_REFUSE,
	  P, 2, BPWIRE_TEXT_MAX + 1, 0, -EPROTO, "BPWIRE_TEXT_MAX" },
	{ "REFUSE NUL", BPWIRE_REFUSE, P + 6, 1, 0, 0, -EPROTO, "UTF-8" },
	{ "REFUSE newline", BPWIRE_REFUSE, P + 2, 1, '\n', 0, -EPROTO, "UTF-8" },
	{ "REFUSE ESC", BPWIRE_REFUSE, P + 3, 1, 0x1b, 0, -EPROTO, "UTF-8" },
	{ "REFUSE DEL", BPWIRE_REFUSE, P + 16, 1, 0x7f, 0, -EPROTO, "UTF-8" },
	{ "REFUSE latin-1", BPWIRE_REFUSE, P + 4, 1, 0xe9, 0, -EPROTO, "UTF-8" },
	{ "BYE short", BPWIRE_BYE,
	  0, 0, 0, -(6 + (ssize_t)strlen(BYE_TEXT)) + 3, -EPROTO, "BYE: payload too short" },
	{ "BYE no text len", BPWIRE_BYE,
	  0, 0, 0, -(2 + (ssize_t)strlen(BYE_TEXT)), -EPROTO, "reason: payload too short" },
	{ "BYE action", BPWIRE_BYE, P, 4, BPWIRE_BYE_NR, 0, -EINVAL, "unknown action" },
	{ "BYE action high", BPWIRE_BYE, P + 3, 1, 0x80, 0, -EINVAL, "unknown action" },
	{ "BYE text cut", BPWIRE_BYE, 0, 0, 0, -1, -EPROTO, "does not match" },
	/* NODES */
	{ "NODES tiny", BPWIRE_NODES,
	  0, 0, 0, -(12 + 3 * 32) + 11, -EPROTO, "NODES: payload too short" },
	{ "NODES cut", BPWIRE_NODES, 0, 0, 0, -1, -EPROTO, "does not match count" },
	{ "NODES extra", BPWIRE_NODES, 0, 0, 0, 32, -EPROTO, "does not match count" },
	{ "NODES count+1", BPWIRE_NODES, P + 8, 4, 4, 0, -EPROTO, "does not match count" },
	{ "NODES count huge", BPWIRE_NODES,
	  P + 8, 4, 0x08000000, 0, -EPROTO, "does not match count" },
	{ "NODES numnodes < 0", BPWIRE_NODES,
	  P, 4, (uint32_t)-1, 0, -EINVAL, "numnodes out of range" },
	{ "NODES numnodes big", BPWIRE_NODES,
	  P, 4, BPROC_NODES_MAX + 1, 0, -EINVAL, "numnodes out of range" },
	{ "NODES past numnodes", BPWIRE_NODES, P, 4, 4, 0, -EINVAL, "beyond numnodes" },
	{ "NODES first huge", BPWIRE_NODES, P + 4, 4, 0xfffffffe, 0, -EINVAL, "beyond numnodes" },
	{ "NODES first past", BPWIRE_NODES, P + 4, 4, 6, 0, -EINVAL, "beyond numnodes" },
	{ "NODES entry node", BPWIRE_NODES, E(1, 0), 4, 2, 0, -EINVAL, "first + index" },
	{ "NODES entry valid", BPWIRE_NODES, E(0, 4), 4, 8, 0, -EINVAL, "unknown valid bits" },
	{ "NODES entry status", BPWIRE_NODES,
	  E(1, 8), 4, BPROC_STATUS_NR, 0, -EINVAL, "status out of range" },
	{ "NODES status not valid", BPWIRE_NODES,
	  E(2, 8), 4, 1, 0, -EINVAL, "status set but not valid" },
	{ "NODES addr not valid", BPWIRE_NODES,
	  E(2, 12), 4, 1, 0, -EINVAL, "addr set but not valid" },
	{ "NODES uid not valid", BPWIRE_NODES,
	  E(1, 16), 4, 1, 0, -EINVAL, "owner set but not valid" },
	{ "NODES gid not valid", BPWIRE_NODES,
	  E(2, 20), 4, 1, 0, -EINVAL, "owner set but not valid" },
	{ "NODES mode not valid", BPWIRE_NODES,
	  E(2, 24), 4, 1, 0, -EINVAL, "owner set but not valid" },
	{ "NODES mode bits", BPWIRE_NODES, E(0, 24), 4, 0755, 0, -EINVAL, "beyond 0111" },
	{ "NODES mode 01000", BPWIRE_NODES, E(0, 24), 4, 01000, 0, -EINVAL, "beyond 0111" },
	{ "NODES reserved", BPWIRE_NODES, E(2, 28), 4, 1, 0, -EINVAL, "reserved" },
	/* LIBS (more in test_libs_rules) */
	{ "LIBS tiny", BPWIRE_LIBS, 0, 0, 0, 0, -EPROTO, "LIBS: payload too short" },
	{ "LIBS unterminated", BPWIRE_LIBS, 0, 0, 0, -1, -EPROTO, "not NUL-terminated" },
	{ "LIBS trailing", BPWIRE_LIBS, 0, 0, 0, 1, -EPROTO, "after the last path" },
	{ "LIBS count+1", BPWIRE_LIBS, P, 4, 4, 0, -EPROTO, "not NUL-terminated" },
	{ "LIBS count-1", BPWIRE_LIBS, P, 4, 2, 0, -EPROTO, "after the last path" },
	{ "LIBS count huge", BPWIRE_LIBS, P, 4, 0xffffffff, 0, -EPROTO, "count larger" },
	{ "LIBS relative", BPWIRE_LIBS, P + 4, 1, 'l', 0, -EINVAL, "not absolute" },
	{ "LIBS newline", BPWIRE_LIBS, P + 8, 1, '\n', 0, -EINVAL, "newline" },
	{ "LIBS empty path", BPWIRE_LIBS, P + 4, 1, 0, 0, -EINVAL, "empty path" },
	/* READY, PING, PONG */
	{ "READY payload", BPWIRE_READY, 0, 0, 0, 1, -EPROTO, "READY: payload not empty" },
	{ "PING short", BPWIRE_PING, 0, 0, 0, -1, -EPROTO, "bad payload length" },
	{ "PING long", BPWIRE_PING, 0, 0, 0, 8, -EPROTO, "bad payload length" },
	{ "PONG empty", BPWIRE_PONG, 0, 0, 0, -8, -EPROTO, "bad payload length" },
	/* process frames: header */
	{ "type 0x10f", BPWIRE_SIGNAL, H_TYPE, 2, 0x10f, 0, -EPROTO, "unknown message type" },
	{ "type after IO", BPWIRE_SIGNAL,
	  H_TYPE, 2, BPWIRE_IO + 1, 0, -EPROTO, "unknown message type" },
	{ "REPLY on MOVE", BPWIRE_MOVE, H_FLAGS, 2, 1, 0, -EPROTO, "REPLY flag on a request" },
	{ "REPLY on IMAGE", BPWIRE_IMAGE, H_FLAGS, 2, 1, 0, -EPROTO, "REPLY flag on a request" },
	{ "REPLY on SIGNAL", BPWIRE_SIGNAL, H_FLAGS, 2, 1, 0, -EPROTO, "REPLY flag on a request" },
	{ "REPLY on EXIT", BPWIRE_EXIT, H_FLAGS, 2, 1, 0, -EPROTO, "REPLY flag on a request" },
	{ "REPLY on PSTATE", BPWIRE_PSTATE, H_FLAGS, 2, 1, 0, -EPROTO, "REPLY flag on a request" },
	{ "REPLY on IO", BPWIRE_IO, H_FLAGS, 2, 1, 0, -EPROTO, "REPLY flag on a request" },
	{ "MOVE_RESULT no REPLY", BPWIRE_MOVE_RESULT,
	  H_FLAGS, 2, 0, 0, -EPROTO, "without the REPLY flag" },
	{ "MOVE_RESULT flag 2", BPWIRE_MOVE_RESULT, H_FLAGS, 2, 3, 0, -EPROTO, "unknown flags" },
	{ "result in MOVE", BPWIRE_MOVE,
	  H_RESULT, 4, (uint32_t)-EIO, 0, -EPROTO, "result not zero" },
	{ "result in IMAGE", BPWIRE_IMAGE, H_RESULT, 4, 1, 0, -EPROTO, "result not zero" },
	{ "result in SIGNAL", BPWIRE_SIGNAL, H_RESULT, 4, 1, 0, -EPROTO, "result not zero" },
	{ "result in EXIT", BPWIRE_EXIT, H_RESULT, 4, (uint32_t)-1, 0, -EPROTO, "result not zero" },
	{ "result in PSTATE", BPWIRE_PSTATE, H_RESULT, 4, 1, 0, -EPROTO, "result not zero" },
	{ "result in IO", BPWIRE_IO, H_RESULT, 4, 1, 0, -EPROTO, "result not zero" },
	{ "MOVE_RESULT result > 0", BPWIRE_MOVE_RESULT,
	  H_RESULT, 4, 1, 0, -EPROTO, "0 or a negative errno" },
	{ "MOVE_RESULT result -4096", BPWIRE_MOVE_RESULT,
	  H_RESULT, 4, (uint32_t)-4096, 0, -EPROTO, "0 or a negative errno" },
	{ "MOVE_RESULT result INT_MIN", BPWIRE_MOVE_RESULT,
	  H_RESULT, 4, 0x80000000, 0, -EPROTO, "0 or a negative errno" },
	{ "MOVE id 0", BPWIRE_MOVE, H_ID, 8, 0, 0, -EPROTO, "id 0" },
	{ "IMAGE id 0", BPWIRE_IMAGE, H_ID, 8, 0, 0, -EPROTO, "id 0" },
	{ "MOVE_RESULT id 0", BPWIRE_MOVE_RESULT, H_ID, 8, 0, 0, -EPROTO, "id 0" },
	{ "SIGNAL id", BPWIRE_SIGNAL, H_ID, 8, 1, 0, -EPROTO, "id not 0" },
	{ "EXIT id", BPWIRE_EXIT, H_ID + 7, 1, 0x80, 0, -EPROTO, "id not 0" },
	{ "PSTATE id", BPWIRE_PSTATE, H_ID, 8, MOVE_ID, 0, -EPROTO, "id not 0" },
	{ "IO id", BPWIRE_IO, H_ID + 4, 1, 1, 0, -EPROTO, "id not 0" },
	{ "MOVE src ANY", BPWIRE_MOVE, H_SRC, 4, (uint32_t)BPROC_NODE_ANY, 0, -EINVAL, "source" },
	{ "IO dst too big", BPWIRE_IO, H_DST, 4, BPROC_NODES_MAX, 0, -EINVAL, "destination" },
	{ "SIGNAL pad", BPWIRE_SIGNAL, H_PAD, 4, 1, 0, -EINVAL, "pad not zero" },
	/* MOVE */
	{ "MOVE short", BPWIRE_MOVE, 0, 0, 0, -1, -EPROTO, "MOVE: bad payload length" },
	{ "MOVE long", BPWIRE_MOVE, 0, 0, 0, 1, -EPROTO, "MOVE: bad payload length" },
	{ "MOVE empty", BPWIRE_MOVE, 0, 0, 0, -56, -EPROTO, "MOVE: bad payload length" },
	{ "MOVE pid 0", BPWIRE_MOVE, P, 4, 0, 0, -EINVAL, "MOVE: pid out of range" },
	{ "MOVE pid -1", BPWIRE_MOVE, P, 4, (uint32_t)-1, 0, -EINVAL, "MOVE: pid out of range" },
	{ "MOVE pid big", BPWIRE_MOVE,
	  P, 4, BPWIRE_PID_MAX + 1, 0, -EINVAL, "MOVE: pid out of range" },
	{ "MOVE flags 8", BPWIRE_MOVE, P + 4, 4, 8, 0, -EINVAL, "MOVE: unknown flags" },
	{ "MOVE flags high", BPWIRE_MOVE, P + 7, 1, 0x80, 0, -EINVAL, "MOVE: unknown flags" },
	{ "MOVE uid -1", BPWIRE_MOVE, P + 8, 4, 0xffffffff, 0, -EINVAL, "MOVE: uid -1" },
	{ "MOVE gid -1", BPWIRE_MOVE, P + 12, 4, 0xffffffff, 0, -EINVAL, "MOVE: gid -1" },
	{ "MOVE ppid -1", BPWIRE_MOVE, P + 16, 4, (uint32_t)-1, 0, -EINVAL, "ppid out of range" },
	{ "MOVE ppid big", BPWIRE_MOVE,
	  P + 16, 4, BPWIRE_PID_MAX + 1, 0, -EINVAL, "ppid out of range" },
	{ "MOVE pgid -1", BPWIRE_MOVE, P + 20, 4, (uint32_t)-1, 0, -EINVAL, "pgid out of range" },
	{ "MOVE pgid big", BPWIRE_MOVE,
	  P + 20, 4, BPWIRE_PID_MAX + 1, 0, -EINVAL, "pgid out of range" },
	{ "MOVE sid -1", BPWIRE_MOVE, P + 24, 4, 0x80000000, 0, -EINVAL, "sid out of range" },
	{ "MOVE sid big", BPWIRE_MOVE,
	  P + 24, 4, BPWIRE_PID_MAX + 1, 0, -EINVAL, "sid out of range" },
	{ "MOVE nio 1, no entry", BPWIRE_MOVE, P + 28, 4, 1, 0, -EPROTO,
	  "MOVE: bad payload length" },
	{ "MOVE nio 4", BPWIRE_MOVE, P + 28, 4, 4, 0, -EINVAL, "MOVE: too many descriptors" },
	{ "MOVE nio high", BPWIRE_MOVE,
	  P + 31, 1, 0x80, 0, -EINVAL, "MOVE: too many descriptors" },
	{ "MOVE image_len big", BPWIRE_MOVE,
	  P + 32, 8, BPWIRE_IMAGE_MAX + 1, 0, -EINVAL, "image_len out of range" },
	{ "MOVE image_len huge", BPWIRE_MOVE,
	  P + 32, 8, UINT64_MAX, 0, -EINVAL, "image_len out of range" },
	{ "MOVE comm control", BPWIRE_MOVE, P + 40, 1, '\n', 0, -EINVAL, "comm" },
	{ "MOVE comm padding", BPWIRE_MOVE, P + 50, 1, 'x', 0, -EINVAL, "comm" },
	{ "MOVE comm tail", BPWIRE_MOVE,
	  P + 48, 8, 0x7878787878787878ull, 0, -EINVAL, "comm" },
	/* IMAGE */
	{ "IMAGE tiny", BPWIRE_IMAGE,
	  0, 0, 0, -(ssize_t)sizeof(image_data) - 1, -EPROTO, "IMAGE: payload too short" },
	{ "IMAGE empty", BPWIRE_IMAGE, 0, 0, 0, -(ssize_t)sizeof(image_data) - 8, -EPROTO,
	  "IMAGE: payload too short" },
	{ "IMAGE past max", BPWIRE_IMAGE,
	  P, 8, BPWIRE_IMAGE_MAX - sizeof(image_data) + 1, 0, -EINVAL, "BPWIRE_IMAGE_MAX" },
	{ "IMAGE offset max", BPWIRE_IMAGE,
	  P, 8, BPWIRE_IMAGE_MAX, 0, -EINVAL, "BPWIRE_IMAGE_MAX" },
	{ "IMAGE offset huge", BPWIRE_IMAGE, P, 8, UINT64_MAX, 0, -EINVAL, "BPWIRE_IMAGE_MAX" },
	/* MOVE_RESULT */
	{ "MOVE_RESULT short", BPWIRE_MOVE_RESULT,
	  0, 0, 0, -1, -EPROTO, "MOVE_RESULT: bad payload length" },
	{ "MOVE_RESULT long", BPWIRE_MOVE_RESULT,
	  0, 0, 0, 8, -EPROTO, "MOVE_RESULT: bad payload length" },
	{ "MOVE_RESULT pid 0", BPWIRE_MOVE_RESULT, P, 4, 0, 0, -EINVAL, "pid out of range" },
	{ "MOVE_RESULT pid big", BPWIRE_MOVE_RESULT,
	  P, 4, BPWIRE_PID_MAX + 1, 0, -EINVAL, "pid out of range" },
	{ "MOVE_RESULT reserved", BPWIRE_MOVE_RESULT,
	  P + 4, 4, 1, 0, -EINVAL, "MOVE_RESULT: reserved not zero" },
	/* SIGNAL */
	{ "SIGNAL short", BPWIRE_SIGNAL, 0, 0, 0, -8, -EPROTO, "SIGNAL: bad payload length" },
	{ "SIGNAL long", BPWIRE_SIGNAL, 0, 0, 0, 1, -EPROTO, "SIGNAL: bad payload length" },
	{ "SIGNAL pid 0", BPWIRE_SIGNAL, P, 4, 0, 0, -EINVAL, "SIGNAL: pid out of range" },
	{ "SIGNAL pid -1", BPWIRE_SIGNAL, P, 4, (uint32_t)-1, 0, -EINVAL, "pid out of range" },
	{ "SIGNAL pid big", BPWIRE_SIGNAL,
	  P, 4, BPWIRE_PID_MAX + 1, 0, -EINVAL, "pid out of range" },
	{ "SIGNAL sig 0", BPWIRE_SIGNAL, P + 4, 4, 0, 0, -EINVAL, "SIGNAL: sig out of range" },
	{ "SIGNAL sig 65", BPWIRE_SIGNAL, P + 4, 4, 65, 0, -EINVAL, "sig out of range" },
	{ "SIGNAL sig -9", BPWIRE_SIGNAL, P + 4, 4, (uint32_t)-9, 0, -EINVAL, "sig out of range" },
	{ "SIGNAL reserved 0", BPWIRE_SIGNAL, P + 8, 4, 1, 0, -EINVAL, "SIGNAL: reserved" },
	{ "SIGNAL reserved 1", BPWIRE_SIGNAL, P + 15, 1, 1, 0, -EINVAL, "SIGNAL: reserved" },
	/* EXIT (every status in test_exit_status) */
	{ "EXIT short", BPWIRE_EXIT, 0, 0, 0, -4, -EPROTO, "EXIT: bad payload length" },
	{ "EXIT long", BPWIRE_EXIT, 0, 0, 0, 4, -EPROTO, "EXIT: bad payload length" },
	{ "EXIT pid 0", BPWIRE_EXIT, P, 4, 0, 0, -EINVAL, "EXIT: pid out of range" },
	{ "EXIT pid big", BPWIRE_EXIT, P, 4, BPWIRE_PID_MAX + 1, 0, -EINVAL, "pid out of range" },
	{ "EXIT stopped", BPWIRE_EXIT, P + 4, 4, 0x137f, 0, -EINVAL, "neither exited nor killed" },
	{ "EXIT continued", BPWIRE_EXIT, P + 4, 4, 0xffff, 0, -EINVAL, "neither exited" },
	{ "EXIT 0x7f", BPWIRE_EXIT, P + 4, 4, 0x7f, 0, -EINVAL, "neither exited" },
	{ "EXIT core alone", BPWIRE_EXIT, P + 4, 4, 0x80, 0, -EINVAL, "neither exited" },
	{ "EXIT sig 65", BPWIRE_EXIT, P + 4, 4, 65, 0, -EINVAL, "neither exited" },
	{ "EXIT code and sig", BPWIRE_EXIT, P + 4, 4, 0x109, 0, -EINVAL, "neither exited" },
	{ "EXIT high bits", BPWIRE_EXIT, P + 6, 1, 1, 0, -EINVAL, "neither exited" },
	{ "EXIT reserved 0", BPWIRE_EXIT, P + 8, 4, 1, 0, -EINVAL, "EXIT: reserved" },
	{ "EXIT reserved 1", BPWIRE_EXIT, P + 12, 4, 1, 0, -EINVAL, "EXIT: reserved" },
	/* PSTATE */
	{ "PSTATE short", BPWIRE_PSTATE, 0, 0, 0, -1, -EPROTO, "PSTATE: bad payload length" },
	{ "PSTATE long", BPWIRE_PSTATE, 0, 0, 0, 16, -EPROTO, "PSTATE: bad payload length" },
	{ "PSTATE pid 0", BPWIRE_PSTATE, P, 4, 0, 0, -EINVAL, "PSTATE: pid out of range" },
	{ "PSTATE pid -1", BPWIRE_PSTATE, P, 4, (uint32_t)-1, 0, -EINVAL, "pid out of range" },
	{ "PSTATE state 0", BPWIRE_PSTATE, P + 4, 4, 0, 0, -EINVAL, "unknown state" },
	{ "PSTATE state 3", BPWIRE_PSTATE, P + 4, 4, 3, 0, -EINVAL, "unknown state" },
	{ "PSTATE state high", BPWIRE_PSTATE, P + 7, 1, 1, 0, -EINVAL, "unknown state" },
	{ "PSTATE stopped sig 0", BPWIRE_PSTATE, P + 8, 4, 0, 0, -EINVAL, "stopped without" },
	{ "PSTATE stopped sig 65", BPWIRE_PSTATE, P + 8, 4, 65, 0, -EINVAL, "stopped without" },
	{ "PSTATE stopped sig -1", BPWIRE_PSTATE,
	  P + 8, 4, (uint32_t)-1, 0, -EINVAL, "stopped without" },
	{ "PSTATE reserved", BPWIRE_PSTATE, P + 12, 4, 1, 0, -EINVAL, "PSTATE: reserved" },
	/* IO */
	{ "IO tiny", BPWIRE_IO, 0, 0, 0, -(ssize_t)strlen(IO_TEXT) - 1, -EPROTO,
	  "IO: payload too short" },
	{ "IO empty", BPWIRE_IO, 0, 0, 0, -(ssize_t)strlen(IO_TEXT) - 8, -EPROTO,
	  "IO: payload too short" },
	{ "IO pid 0", BPWIRE_IO, P, 4, 0, 0, -EINVAL, "IO: pid out of range" },
	{ "IO pid big", BPWIRE_IO, P, 4, BPWIRE_PID_MAX + 1, 0, -EINVAL, "pid out of range" },
	{ "IO pid -1", BPWIRE_IO, P, 4, (uint32_t)-1, 0, -EINVAL, "pid out of range" },
	{ "IO stream 3", BPWIRE_IO, P + 4, 4, BPWIRE_IO_NR, 0, -EINVAL, "IO: unknown stream" },
	{ "IO stream huge", BPWIRE_IO, P + 4, 4, 0xffffffff, 0, -EINVAL, "IO: unknown stream" },
	/* CALL: the caller's rights are checked as the kernel would */
	{ "CALL short", BPWIRE_CALL, 0, 0, 0, -(ssize_t)sizeof(image_data) - 1, -EPROTO,
	  "CALL: payload too short" },
	{ "CALL uid -1", BPWIRE_CALL, P + 56, 4, 0xffffffff, 0, -EINVAL, "invalid id" },
	{ "CALL suid -1", BPWIRE_CALL, P + 64, 4, 0xffffffff, 0, -EINVAL, "invalid id" },
	{ "CALL sgid -1", BPWIRE_CALL, P + 76, 4, 0xffffffff, 0, -EINVAL, "invalid id" },
	{ "CALL cap 63", BPWIRE_CALL, P + 80, 8, 1ull << 63, 0, -EINVAL, "unknown capability" },
	{ "CALL cap beyond the last", BPWIRE_CALL, P + 80, 8, 2ull << CAP_LAST_CAP, 0, -EINVAL,
	  "unknown capability" },
	{ "CALL effective not permitted", BPWIRE_CALL, P + 88, 8, 1ull << 6, 0, -EINVAL,
	  "not permitted" },
};

static void test_rejects(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rejects); i++) {
		const struct reject *r = &rejects[i];
		ssize_t delta = r->resize;

		sample_frame(r->type);
		/* "LIBS tiny": cut to fewer than 4 payload bytes. */
		if (!strcmp(r->name, "LIBS tiny"))
			delta = -(ssize_t)(frame_len - P) + 3;
		if (delta)
			resize(delta);
		if (r->width)
			put(frame + r->off, r->width, r->val);
		expect_reject(r->name, r->err, r->why);
	}
}

/* Every prefix of every valid frame is refused, and so is its extension. */
static void test_truncated(void **state)
{
	size_t i, len;

	(void)state;
	for (i = 0; i < NTYPES; i++) {
		struct bpwire_msg m;

		sample_frame(all_types[i]);
		for (len = 0; len < frame_len; len++)
			assert_int_not_equal(bpwire_decode(frame, len, &m, NULL), 0);
		assert_int_equal(bpwire_decode(frame, frame_len + 1, &m, NULL), -EPROTO);
		assert_int_equal(bpwire_decode(frame, frame_len, &m, NULL), 0);
	}
}

/* A HELLO of another major is decoded far enough to answer it. */
static void test_other_major(void **state)
{
	struct bpwire_msg m;

	(void)state;
	sample_frame(BPWIRE_HELLO);
	put(frame + P + 4, 2, 3);
	put(frame + P + 6, 2, 5);
	resize(16);	/* a later major may have another payload */
	assert_int_equal(decode_frame(&m, NULL), -EPROTONOSUPPORT);
	assert_int_equal(m.hdr.type, BPWIRE_HELLO);
	assert_true(m.hdr.id == 7);
	assert_int_equal(m.u.hello.major, 3);
	assert_int_equal(m.u.hello.minor, 5);
	/* The encoder will not send it. */
	m.u.hello.want_node = BPROC_NODE_NONE;
	assert_int_equal(bpwire_encode(&m, frame, sizeof(frame), NULL), -EINVAL);
	/* A newer minor of the same major is fine. */
	sample_frame(BPWIRE_HELLO);
	put(frame + P + 6, 2, 7);
	assert_int_equal(decode_frame(&m, NULL), 0);
	assert_int_equal(m.u.hello.minor, 7);
}

/* The minor is informational: any minor of major 2 is taken. */
static void test_minor_versions(void **state)
{
	uint16_t minor;
	struct bpwire_msg m;

	(void)state;
	assert_int_equal(BPWIRE_MAJOR, 2);
	assert_int_equal(BPWIRE_MINOR, 2);
	for (minor = 0; minor <= 3; minor++) {
		sample_frame(BPWIRE_HELLO);
		put(frame + P + 6, 2, minor);
		assert_int_equal(decode_frame(&m, NULL), 0);
		assert_int_equal(m.u.hello.major, 2);
		assert_int_equal(m.u.hello.minor, minor);
		/* And it can be sent: a daemon may speak as minor 0. */
		assert_int_equal(bpwire_encode(&m, frame, sizeof(frame), NULL), P + 24);
		sample_frame(BPWIRE_WELCOME);
		put(frame + P + 2, 2, minor);
		assert_int_equal(decode_frame(&m, NULL), 0);
		assert_int_equal(m.u.welcome.minor, minor);
		assert_int_equal(bpwire_encode(&m, frame, sizeof(frame), NULL), P + 24);
	}
	/* bpwire_init() and bpwire_reply_init() announce this minor. */
	sample(&m, BPWIRE_HELLO);
	assert_int_equal(m.u.hello.minor, BPWIRE_MINOR);
	sample(&m, BPWIRE_WELCOME);
	assert_int_equal(m.u.welcome.minor, BPWIRE_MINOR);
}

static void test_header_node_values(void **state)
{
	static const int32_t ok[] = {
		BPROC_NODE_MASTER, BPROC_NODE_NONE, 0, 1, BPROC_NODES_MAX - 1,
	};
	struct bpwire_msg m;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		sample_frame(BPWIRE_READY);
		put(frame + H_SRC, 4, (uint32_t)ok[i]);
		put(frame + H_DST, 4, (uint32_t)ok[i]);
		assert_int_equal(decode_frame(&m, NULL), 0);
		assert_int_equal(m.hdr.src, ok[i]);
	}
	sample_frame(BPWIRE_HELLO);
	put(frame + P + 8, 4, BPROC_NODES_MAX - 1);
	assert_int_equal(decode_frame(&m, NULL), 0);
	sample_frame(BPWIRE_REFUSE);
	put(frame + H_RESULT, 4, (uint32_t)-4095);
	assert_int_equal(decode_frame(&m, NULL), 0);
	sample_frame(BPWIRE_WELCOME);
	put(frame + P + 8, 4, BPROC_NODES_MAX);
	put(frame + P + 12, 4, BPWIRE_PING_MS_MAX);
	assert_int_equal(decode_frame(&m, NULL), 0);
}

/* A REFUSE frame carrying @n raw bytes of text. */
static int refuse_text(const void *text, size_t n)
{
	struct bpwire_msg m;

	sample(&m, BPWIRE_REFUSE);
	m.u.refuse.reason.len = 0;
	assert_int_equal(bpwire_encode(&m, frame, sizeof(frame), NULL), P + 2);
	frame_len = P + 2;
	put(frame + P, 2, n);
	resize((ssize_t)n);
	memcpy(frame + P + 2, text, n);
	return decode_frame(&m, NULL);
}

static void test_text_rules(void **state)
{
	static const char *const good[] = {
		"", "a", "~", "caf\xc3\xa9", "\xc2\xa0", "\xdf\xbf", "\xe0\xa0\x80",
		"\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbf\xbf", "\xf0\x90\x80\x80",
		"\xf4\x8f\xbf\xbf", "\xe4\xb8\xad\xe6\x96\x87",
	};
	static const char *const bad[] = {
		"\x01", "\x1f", "\x7f", "a\tb", "\r",
		"\x80", "\xbf", "\xc0\x80", "\xc1\xbf",		/* lone, overlong */
		"\xc2\x80", "\xc2\x9f",				/* C1 controls */
		"\xc3", "\xc3\x28", "\xe0\x80\x80", "\xe0\x9f\xbf",	/* cut, overlong */
		"\xed\xa0\x80", "\xed\xbf\xbf",			/* surrogates */
		"\xe4\xb8", "\xf0\x80\x80\x80", "\xf0\x8f\xbf\xbf",	/* cut, overlong */
		"\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff", "\xfe",	/* > U+10FFFF */
		"\xf0\x90\x80",
	};
	char big[BPWIRE_TEXT_MAX + 1];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		if (refuse_text(good[i], strlen(good[i])))
			fail_msg("good text %zu refused", i);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (refuse_text(bad[i], strlen(bad[i])) != -EPROTO)
			fail_msg("bad text %zu accepted", i);
	}
	assert_int_equal(refuse_text("a\0b", 3), -EPROTO);
	memset(big, 'y', sizeof(big));
	assert_int_equal(refuse_text(big, BPWIRE_TEXT_MAX), 0);
	assert_int_equal(refuse_text(big, BPWIRE_TEXT_MAX + 1), -EPROTO);
}

/* A LIBS frame with @count and @n raw payload bytes after it. */
static int libs_raw(uint32_t count, const void *paths, size_t n, const char **why)
{
	struct bpwire_msg m;

	bpwire_init(&m, BPWIRE_LIBS, 0, BPROC_NODE_MASTER, 0);
	assert_int_equal(bpwire_encode(&m, frame, sizeof(frame), NULL), P + 4);
	frame_len = P + 4;
	put(frame + P, 4, count);
	resize((ssize_t)n);
	memcpy(frame + P + 4, paths, n);
	return decode_frame(&m, why);
}

static void test_libs_rules(void **state)
{
	static char big[BPWIRE_PATH_MAX + 3];
	const char *why = NULL;

	(void)state;
	assert_int_equal(libs_raw(1, "/a", 3, &why), 0);
	assert_int_equal(libs_raw(2, "/a\0/b", 6, &why), 0);
	/* Any byte but NUL and newline. */
	assert_int_equal(libs_raw(1, "/a b\x01\xff", 7, &why), 0);
	assert_int_equal(libs_raw(1, "/a", 2, &why), -EPROTO);
	assert_non_null(strstr(why, "not NUL-terminated"));
	assert_int_equal(libs_raw(2, "/a\0", 3, &why), -EPROTO);
	assert_int_equal(libs_raw(0, "/a", 3, &why), -EPROTO);
	assert_non_null(strstr(why, "after the last path"));
	assert_int_equal(libs_raw(1, "\0", 1, &why), -EPROTO);	/* count > bytes / 2 */
	assert_int_equal(libs_raw(1, "\0\0", 2, &why), -EINVAL);
	assert_non_null(strstr(why, "empty path"));
	assert_int_equal(libs_raw(1, "a/b", 4, &why), -EINVAL);
	assert_int_equal(libs_raw(2, "/a\0b", 5, &why), -EINVAL);
	assert_non_null(strstr(why, "not absolute"));
	assert_int_equal(libs_raw(1, "/a\nb", 5, &why), -EINVAL);
	assert_non_null(strstr(why, "newline"));

	memset(big, 'p', sizeof(big));
	big[0] = '/';
	big[BPWIRE_PATH_MAX] = '\0';
	assert_int_equal(libs_raw(1, big, BPWIRE_PATH_MAX + 1, &why), 0);
	big[BPWIRE_PATH_MAX] = 'p';
	big[BPWIRE_PATH_MAX + 1] = '\0';
	assert_int_equal(libs_raw(1, big, BPWIRE_PATH_MAX + 2, &why), -EINVAL);
	assert_non_null(strstr(why, "BPWIRE_PATH_MAX"));
}

/* ---- the encoder's checks ---------------------------------------------- */

static void test_encode_errors(void **state)
{
	struct bproc_node_entry bad_entry = sample_entries[0];
	const char *why = NULL, *paths[2] = { "/a", NULL };
	unsigned char buf[BPWIRE_MAX];
	struct bpwire_msg m;
	size_t i;

	(void)state;
	/* Too small a buffer, for every type; exactly enough is fine. */
	for (i = 0; i < NTYPES; i++) {
		ssize_t n;

		sample(&m, all_types[i]);
		n = bpwire_encode(&m, buf, sizeof(buf), NULL);
		assert_true(n > 0);
		assert_int_equal(bpwire_encode(&m, buf, (size_t)n - 1, &why), -ENOSPC);
		assert_int_equal(bpwire_encode(&m, buf, (size_t)n, NULL), n);
		assert_int_equal(bpwire_encode(&m, buf, 0, NULL), -ENOSPC);
	}
	/* Unknown type, unknown flags, wrong REPLY flag, bad result. */
	bpwire_init(&m, 0x200, 0, 0, 0);
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	sample(&m, BPWIRE_PING);
	m.hdr.flags = BPROC_MSGF_REPLY;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	assert_non_null(strstr(why, "REPLY"));
	sample(&m, BPWIRE_REFUSE);
	m.hdr.result = 0;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	sample(&m, BPWIRE_READY);
	m.hdr.src = BPROC_NODE_ANY;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	/* Field values. */
	sample(&m, BPWIRE_WELCOME);
	m.u.welcome.node = 8;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	sample(&m, BPWIRE_HELLO);
	m.u.hello.major = 1;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	sample(&m, BPWIRE_NODES);
	bad_entry.status = 99;
	m.u.nodes.entries = &bad_entry;
	m.u.nodes.count = 1;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	assert_non_null(strstr(why, "status"));
	m.u.nodes.entries = NULL;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	sample(&m, BPWIRE_BYE);
	m.u.bye.action = 7;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	sample(&m, BPWIRE_BYE);
	m.u.bye.reason.str = NULL;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	sample(&m, BPWIRE_BYE);
	m.u.bye.reason.str = "bad\ntext";
	m.u.bye.reason.len = 8;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	m.u.bye.reason.len = BPWIRE_TEXT_MAX + 1;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	/* LIBS: a NULL list or path, a relative path. */
	sample(&m, BPWIRE_LIBS);
	m.u.libs.paths = NULL;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	m.u.libs.paths = paths;
	m.u.libs.count = 2;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	paths[1] = "lib";
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	assert_non_null(strstr(why, "absolute"));
	/* Process frames: pointers, lengths, ids, fields. */
	sample(&m, BPWIRE_IMAGE);
	m.u.image.data = NULL;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	assert_non_null(strstr(why, "NULL data"));
	m.u.image.data = image_data;
	m.u.image.len = UINT32_MAX;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -E2BIG);
	assert_non_null(strstr(why, "IMAGE: more data than a frame holds"));
	sample(&m, BPWIRE_IO);
	m.u.io.data = NULL;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	assert_non_null(strstr(why, "NULL data"));
	m.u.io.len = BPWIRE_DATA_MAX + 1;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -E2BIG);
	assert_non_null(strstr(why, "IO: more data than a frame holds"));
	sample(&m, BPWIRE_IO);
	m.u.io.stream = BPWIRE_IO_NR;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	sample(&m, BPWIRE_MOVE);
	m.hdr.id = 0;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	assert_non_null(strstr(why, "id 0"));
	sample(&m, BPWIRE_MOVE);
	memset(m.u.move.comm, 'x', sizeof(m.u.move.comm));
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	assert_non_null(strstr(why, "comm"));
	sample(&m, BPWIRE_MOVE);
	m.u.move.flags = VMAD_DUMP_ALL + 1;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	sample(&m, BPWIRE_MOVE);
	m.u.move.image_len = 0;		/* not known in advance: fine */
	assert_true(bpwire_encode(&m, buf, sizeof(buf), &why) > 0);
	m.u.move.image_len = BPWIRE_IMAGE_MAX + 1;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	sample(&m, BPWIRE_MOVE_RESULT);
	m.hdr.flags = 0;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	sample(&m, BPWIRE_MOVE_RESULT);
	m.hdr.result = EIO;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	sample(&m, BPWIRE_SIGNAL);
	m.hdr.id = 5;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	assert_non_null(strstr(why, "id not 0"));
	sample(&m, BPWIRE_SIGNAL);
	m.u.signal.sig = 0;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	sample(&m, BPWIRE_EXIT);
	m.u.exit.status = 0x137f;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	sample(&m, BPWIRE_PSTATE);
	m.u.pstate.state = 0;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	sample(&m, BPWIRE_PSTATE);
	m.u.pstate.pid = 0;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), -EINVAL);
	/* hdr.len is the encoder's business. */
	sample(&m, BPWIRE_PING);
	m.hdr.len = 12345;
	assert_int_equal(bpwire_encode(&m, buf, sizeof(buf), &why), P + 8);
}

/* ---- stream reassembly --------------------------------------------- */

/* Every sample message back to back, into @buf; returns the length. */
static size_t stream(unsigned char *buf, size_t cap)
{
	size_t i, len = 0;

	for (i = 0; i < NTYPES; i++) {
		struct bpwire_msg m;
		ssize_t n;

		sample(&m, all_types[i]);
		n = bpwire_encode(&m, buf + len, cap - len, NULL);
		assert_true(n > 0);
		len += (size_t)n;
	}
	return len;
}

static struct bpwire_rx rx;

/* Feed @len bytes in pieces of @step (0: random sizes); check the frames. */
static void feed_in_pieces(const unsigned char *s, size_t len, size_t step)
{
	struct bpwire_msg m;
	size_t pos = 0, got = 0;
	const char *why = NULL;
	int r;

	bpwire_rx_init(&rx);
	while (pos < len) {
		size_t n = step ? step : 1 + (size_t)rand() % 200;

		if (n > len - pos)
			n = len - pos;
		assert_int_equal(bpwire_rx_feed(&rx, s + pos, n), 0);
		pos += n;
		while ((r = bpwire_rx_next(&rx, &m, &why)) == 1) {
			assert_true(got < NTYPES);
			assert_int_equal(m.hdr.type, all_types[got]);
			got++;
		}
		assert_int_equal(r, 0);
	}
	assert_int_equal(got, NTYPES);
	assert_false(bpwire_rx_pending(&rx));
}

static void test_rx_pieces(void **state)
{
	static unsigned char s[4096];
	size_t len = stream(s, sizeof(s)), step;

	(void)state;
	for (step = 1; step <= 64; step++)
		feed_in_pieces(s, len, step);
	feed_in_pieces(s, len, len);
	srand(42);
	for (step = 0; step < 50; step++)
		feed_in_pieces(s, len, 0);
}

static void test_rx_all_at_once(void **state)
{
	static unsigned char s[4096];
	size_t len = stream(s, sizeof(s)), i;
	struct bpwire_msg m[NTYPES];

	(void)state;
	/* Pointers of a frame stay good while later frames are taken. */
	bpwire_rx_init(&rx);
	assert_int_equal(bpwire_rx_feed(&rx, s, len), 0);
	for (i = 0; i < NTYPES; i++)
		assert_int_equal(bpwire_rx_next(&rx, &m[i], NULL), 1);
	assert_int_equal(bpwire_rx_next(&rx, &m[0], NULL), 0);
	assert_true(text_equal(m[2].u.refuse.reason, REFUSE_TEXT));
	assert_string_equal(bpwire_libs_next(&m[4], NULL), sample_paths[0]);
}

static void test_rx_bad_length_early(void **state)
{
	unsigned char hdr[4];
	struct bpwire_msg m;
	const char *why = NULL;

	(void)state;
	/* Too long: refused from its first 4 bytes, no body awaited. */
	bpwire_rx_init(&rx);
	put(hdr, 4, BPWIRE_MAX + 1);
	assert_int_equal(bpwire_rx_feed(&rx, hdr, 3), 0);
	assert_int_equal(bpwire_rx_next(&rx, &m, &why), 0);
	assert_int_equal(bpwire_rx_feed(&rx, hdr + 3, 1), 0);
	assert_int_equal(bpwire_rx_next(&rx, &m, &why), -E2BIG);
	assert_non_null(strstr(why, "BPWIRE_MAX"));
	/* Sticky. */
	why = NULL;
	assert_int_equal(bpwire_rx_next(&rx, &m, &why), -E2BIG);
	assert_non_null(why);

	/* Too short. */
	bpwire_rx_init(&rx);
	put(hdr, 4, BPWIRE_HDR_SIZE - 1);
	assert_int_equal(bpwire_rx_feed(&rx, hdr, 4), 0);
	assert_int_equal(bpwire_rx_next(&rx, &m, &why), -EPROTO);

	/* A maximal frame is accepted. */
	bpwire_rx_init(&rx);
	put(hdr, 4, BPWIRE_MAX);
	assert_int_equal(bpwire_rx_feed(&rx, hdr, 4), 0);
	assert_int_equal(bpwire_rx_next(&rx, &m, &why), 0);
}

static void test_rx_bad_frame(void **state)
{
	static unsigned char s[4096];
	size_t len = stream(s, sizeof(s));
	struct bpwire_msg m;
	const char *why = NULL;

	(void)state;
	/* The second frame (WELCOME) has a bad reserved field. */
	put(s + 56 + P + 20, 4, 1);
	bpwire_rx_init(&rx);
	assert_int_equal(bpwire_rx_feed(&rx, s, len), 0);
	assert_int_equal(bpwire_rx_next(&rx, &m, &why), 1);
	assert_int_equal(bpwire_rx_next(&rx, &m, &why), -EINVAL);
	assert_non_null(strstr(why, "reserved"));
	assert_int_equal(bpwire_rx_next(&rx, &m, &why), -EINVAL);
	/* A new start forgets it. */
	bpwire_rx_init(&rx);
	assert_int_equal(bpwire_rx_feed(&rx, s, 56), 0);
	assert_int_equal(bpwire_rx_next(&rx, &m, &why), 1);
	assert_false(bpwire_rx_pending(&rx));
}

static void test_rx_full(void **state)
{
	static unsigned char big[BPWIRE_MAX];
	struct bpwire_msg m;

	(void)state;
	bpwire_rx_init(&rx);
	assert_int_equal(bpwire_rx_feed(&rx, big, 0), 0);
	assert_int_equal(bpwire_rx_feed(&rx, big, sizeof(big) + 0), 0);
	assert_int_equal(bpwire_rx_feed(&rx, big, 1), -ENOBUFS);
	bpwire_rx_init(&rx);
	assert_int_equal(bpwire_rx_feed(&rx, big, sizeof(big) - 1), 0);
	assert_int_equal(bpwire_rx_feed(&rx, big, 2), -ENOBUFS);
	/* Nothing was taken: one more byte still fits. */
	assert_int_equal(bpwire_rx_feed(&rx, big, 1), 0);

	/* Taking frames makes room. */
	sample_frame(BPWIRE_PING);
	bpwire_rx_init(&rx);
	while (bpwire_rx_feed(&rx, frame, frame_len) == 0)
		;
	assert_int_equal(bpwire_rx_next(&rx, &m, NULL), 1);
	assert_int_equal(bpwire_rx_feed(&rx, frame, frame_len), 0);
}

static void rx_read_reassembles_frames_written_7_bytes_at_a_time(void **state)
{
	static unsigned char s[4096];
	size_t len = stream(s, sizeof(s)), pos = 0, got = 0;
	struct bpwire_msg m;
	int sv[2], r;
	ssize_t n;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	bpwire_rx_init(&rx);
	assert_int_equal(bpwire_rx_read(&rx, sv[0]), -EAGAIN);
	/* Written 7 bytes at a time, read as it comes. */
	while (pos < len) {
		size_t k = len - pos < 7 ? len - pos : 7;

		assert_int_equal(write(sv[1], s + pos, k), (ssize_t)k);
		pos += k;
		n = bpwire_rx_read(&rx, sv[0]);
		assert_int_equal(n, (ssize_t)k);
		while ((r = bpwire_rx_next(&rx, &m, NULL)) == 1)
			assert_int_equal(m.hdr.type, all_types[got++]);
		assert_int_equal(r, 0);
	}
	assert_int_equal(got, NTYPES);
	/* A frame cut short by the peer's close. */
	assert_int_equal(write(sv[1], s, 10), 10);
	close(sv[1]);
	assert_int_equal(bpwire_rx_read(&rx, sv[0]), 10);
	assert_int_equal(bpwire_rx_next(&rx, &m, NULL), 0);
	assert_int_equal(bpwire_rx_read(&rx, sv[0]), 0);
	assert_true(bpwire_rx_pending(&rx));
	close(sv[0]);
	/* A closed descriptor. */
	assert_int_equal(bpwire_rx_read(&rx, sv[0]), -EBADF);
}

static void test_rx_read_full(void **state)
{
	static unsigned char big[BPWIRE_MAX];
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	bpwire_rx_init(&rx);
	assert_int_equal(bpwire_rx_feed(&rx, big, sizeof(big)), 0);
	assert_int_equal(write(sv[1], "x", 1), 1);
	assert_int_equal(bpwire_rx_read(&rx, sv[0]), -ENOBUFS);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_type_decodes_to_what_was_encoded),
		cmocka_unit_test(test_hello_bytes),
		cmocka_unit_test(welcome_carries_the_master_address_in_network_order),
		cmocka_unit_test(test_refuse_and_bye),
		cmocka_unit_test(test_empty_text),
		cmocka_unit_test(nodes_carry_addresses_raw_and_modes_little_endian),
		cmocka_unit_test(test_nodes_empty_and_full),
		cmocka_unit_test(libs_decode_to_their_paths_and_encode_to_the_same_bytes),
		cmocka_unit_test(test_libs_limits),
		cmocka_unit_test(test_mount),
		cmocka_unit_test(test_note),
		cmocka_unit_test(pong_is_a_reply_to_its_ping_with_the_same_id),
		cmocka_unit_test(test_move_bytes),
		cmocka_unit_test(test_move_io),
		cmocka_unit_test(test_image_and_io),
		cmocka_unit_test(test_io_eof),
		cmocka_unit_test(test_small_process_frames),
		cmocka_unit_test(test_process_limits),
		cmocka_unit_test(test_exit_status),
		cmocka_unit_test(test_comm_rules),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_file_rules),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_other_major),
		cmocka_unit_test(test_minor_versions),
		cmocka_unit_test(test_header_node_values),
		cmocka_unit_test(test_text_rules),
		cmocka_unit_test(test_libs_rules),
		cmocka_unit_test(test_encode_errors),
		cmocka_unit_test(test_rx_pieces),
		cmocka_unit_test(test_rx_all_at_once),
		cmocka_unit_test(test_rx_bad_length_early),
		cmocka_unit_test(test_rx_bad_frame),
		cmocka_unit_test(test_rx_full),
		cmocka_unit_test(rx_read_reassembles_frames_written_7_bytes_at_a_time),
		cmocka_unit_test(test_rx_read_full),
	};

	return cmocka_run_group_tests_name("bpwire", tests, NULL, NULL);
}
