/* SPDX-License-Identifier: GPL-2.0-only OR LGPL-2.1-only */
/*
 * bpwire - the daemon<->daemon protocol (bpmaster <-> bpslave over TCP):
 * frames, their encoder, a validating decoder and a stream reassembler.
 * Documentation/daemon-protocol.md describes the protocol; this header is
 * its C interface.  User space only (C11, no allocation anywhere).
 *
 * Framing.  Every frame starts with a 32-byte header laid out like struct
 * bproc_msg_hdr (<linux/bproc.h>): u32 len (whole frame, header included),
 * u16 type, u16 flags, u64 id, s32 result, s32 src, s32 dst, u32 pad.  On
 * the wire every integer is little-endian; IPv4 addresses are 4 raw bytes
 * in network order.  BPWIRE_HDR_SIZE <= len <= BPWIRE_MAX.  Types start at
 * 0x100, so the kernel's message types (1..0xff) can travel later too.
 *
 * Receiving:
 *
 *	struct bpwire_rx *rx = malloc(sizeof(*rx));	// 64 KiB buffer inside
 *	bpwire_rx_init(rx);
 *	on POLLIN:
 *		n = bpwire_rx_read(rx, fd);		// 0: EOF, <0: -errno
 *		while ((r = bpwire_rx_next(rx, &msg, &why)) > 0)
 *			dispatch(&msg);			// valid until the next rx call
 *		if (r < 0)
 *			log "peer: %s", why; close;	// malformed: drop the connection
 *
 * Sending:
 *
 *	struct bpwire_msg m;
 *	bpwire_init(&m, BPWIRE_PING, id, src, dst);
 *	m.u.ping.timestamp = now_ns;
 *	n = bpwire_encode(&m, buf, sizeof(buf), &why);	// frame length or -errno
 *
 *	bpwire_reply_init(&r, BPWIRE_PONG, &req);	// REPLY flag, id, src/dst swapped
 *
 * Every function returns 0 (or a length) or a negative errno and, where it
 * takes @why, sets *@why to a short static string for a log line ("bad
 * frame length", "NODES: entry 3: status out of range").  @why may be NULL.
 */
#ifndef BPROC_BPWIRE_H
#define BPROC_BPWIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/bproc.h>
#include <linux/capability.h>

/*
 * Protocol version, in HELLO and WELCOME.  Peers must agree on the major
 * (else REFUSE, whose text names both versions).  The minor is only
 * informational: nothing else reads it and no frame depends on it, so
 * master and slaves must run the same build (the slave image carries the
 * master's bpslave).  Minors: 1, the process frames (MOVE .. IO); 2,
 * moving on, CALL; 3, MOVE with descriptors to open (MOVE_IO).  Major 2:
 * CALL carries the caller's ids and capabilities (its layout changed).
 * Major 2 minor 1: the FILE frames; minor 2: MOUNT and NOTE.
 */
#define BPWIRE_MAJOR		2
#define BPWIRE_MINOR		2

/* HELLO's magic: the bytes "BPRC" read as a little-endian u32. */
#define BPWIRE_MAGIC		0x43525042u

#define BPWIRE_HDR_SIZE		32
#define BPWIRE_MAX		(64 * 1024)	/* largest frame, header included */

/* hdr.type */
#define BPWIRE_HELLO		0x100	/* slave->master, first frame of a connection */
#define BPWIRE_WELCOME		0x101	/* master->slave, reply to HELLO: accepted */
#define BPWIRE_REFUSE		0x102	/* master->slave, reply to HELLO: refused */
#define BPWIRE_NODES		0x103	/* master->slave: (part of) the node table */
#define BPWIRE_LIBS		0x104	/* master->slave: the remote-file list */
#define BPWIRE_READY		0x105	/* slave->master: configuration applied */
#define BPWIRE_PING		0x106	/* either way: heartbeat request */
#define BPWIRE_PONG		0x107	/* either way: reply to PING */
#define BPWIRE_BYE		0x108	/* either way: closing (and what to do) */
/* Minor 2: the node's file systems. */
#define BPWIRE_MOUNT		0x109	/* master->slave: a file system to mount */
#define BPWIRE_NOTE		0x10a	/* slave->master: a line for its log and bpstat */
/* Minor 1: processes. */
#define BPWIRE_MOVE		0x110	/* master->slave: run this image (id != 0) */
#define BPWIRE_IMAGE		0x111	/* master->slave: a piece of MOVE's image */
#define BPWIRE_MOVE_RESULT	0x112	/* slave->master, reply to MOVE */
#define BPWIRE_SIGNAL		0x113	/* master->slave: deliver a signal */
#define BPWIRE_EXIT		0x114	/* slave->master: a process ended */
#define BPWIRE_PSTATE		0x115	/* slave->master: stopped or continued */
#define BPWIRE_IO		0x116	/* either way: stdin, stdout or stderr data */
#define BPWIRE_CALL		0x120	/* slave->master: a PID-space call for a ghost (id != 0) */
#define BPWIRE_CALL_RESULT	0x121	/* master->slave, reply to CALL */
#define BPWIRE_FILE_STAT	0x130	/* slave->master: a file's attributes (id != 0) */
#define BPWIRE_FILE_ATTR	0x131	/* master->slave, reply to FILE_STAT */
#define BPWIRE_FILE_READ	0x132	/* slave->master: bytes of a file (id != 0) */
#define BPWIRE_FILE_DATA	0x133	/* master->slave, reply to FILE_READ */
#define BPWIRE_FILE_LIST	0x134	/* slave->master: a directory's entries (id != 0) */
#define BPWIRE_FILE_ENTRIES	0x135	/* master->slave, reply to FILE_LIST */

/*
 * hdr.flags: BPROC_MSGF_REPLY only (set on WELCOME, REFUSE, PONG and
 * MOVE_RESULT).
 * hdr.id: any for the minor 0 types; not 0 on MOVE, IMAGE and MOVE_RESULT
 * (IMAGE and MOVE_RESULT carry their MOVE's id); 0 on SIGNAL, EXIT, PSTATE
 * and IO.
 */

/* Limits. */
#define BPWIRE_TEXT_MAX		256	/* REFUSE/BYE reason, bytes */
#define BPWIRE_PATH_MAX		4095	/* one LIBS path, bytes without its NUL */
#define BPWIRE_FSTYPE_MAX	31	/* MOUNT's type, bytes without its NUL */
#define BPWIRE_MNTOPT_MAX	1023	/* MOUNT's options, bytes without its NUL */
#define BPWIRE_NODE_SIZE	32	/* one NODES entry on the wire */
/* Most NODES entries one frame holds (header, 12 bytes, entries). */
#define BPWIRE_NODES_PER_FRAME	((BPWIRE_MAX - BPWIRE_HDR_SIZE - 12) / BPWIRE_NODE_SIZE)
/* Largest ping_ms in WELCOME: one hour. */
#define BPWIRE_PING_MS_MAX	3600000u

/* BYE action: what the receiving slave does after closing. */
#define BPWIRE_BYE_NONE		0	/* nothing (a slave reconnects later) */
#define BPWIRE_BYE_REBOOT	1
#define BPWIRE_BYE_HALT		2
#define BPWIRE_BYE_PWROFF	3
#define BPWIRE_BYE_NR		4

/* Process frames (minor 1). */
#define BPWIRE_PID_MAX		4194304	/* pids are 1..this (PID_MAX_LIMIT) */
#define BPWIRE_SIG_MAX		64	/* signals are 1..this (_NSIG) */
#define BPWIRE_COMM_LEN		16	/* MOVE's comm, NUL padding included */
#define BPWIRE_IMAGE_MAX	(1ULL << 40)	/* largest image, bytes */
/* Most data bytes one IMAGE or IO frame holds (header, 8 bytes, data). */
#define BPWIRE_DATA_MAX		(BPWIRE_MAX - BPWIRE_HDR_SIZE - 8)
/* MOVE flags: the VMAD_DUMP_* bits (<linux/bproc_image.h>) and no other. */
#define BPWIRE_MOVE_FLAGS	VMAD_DUMP_ALL

/* PSTATE state. */
#define BPWIRE_PSTATE_STOPPED	1	/* stopped by sig (1..64) */
#define BPWIRE_PSTATE_CONTINUED	2	/* continued (by SIGCONT); sig 0 */

/* IO stream. */
#define BPWIRE_IO_STDIN		0	/* master->slave */
#define BPWIRE_IO_STDOUT	1	/* slave->master */
#define BPWIRE_IO_STDERR	2	/* slave->master */
#define BPWIRE_IO_NR		3

/*
 * struct bpwire_hdr - a frame's header, decoded (host order)
 * @len:    whole frame in bytes (set by bpwire_encode(), ignored on input).
 * @type:   BPWIRE_*.
 * @flags:  BPROC_MSGF_REPLY or 0 (each type has exactly one: see above).
 * @id:     request id; a reply carries the id of its request (see above
 *          for the types that require or forbid 0).
 * @result: 0, or for REFUSE a negative errno (-4095..-1), or for
 *          MOVE_RESULT 0 or a negative errno.
 * @src:    sending node: BPROC_NODE_MASTER, BPROC_NODE_NONE (a slave before
 *          WELCOME) or 0..BPROC_NODES_MAX-1.
 * @dst:    receiving node, same encoding.
 * The wire's pad field is always zero and has no member.
 */
struct bpwire_hdr {
	uint32_t len;
	uint16_t type;
	uint16_t flags;
	uint64_t id;
	int32_t result;
	int32_t src;
	int32_t dst;
};

/*
 * Text (REFUSE and BYE reasons): 0..BPWIRE_TEXT_MAX bytes of UTF-8 without
 * NUL or control characters.  Decoded text points into the frame and is NOT
 * NUL-terminated: print it with "%.*s", (int)len, str.
 */
struct bpwire_text {
	const char *str;
	uint16_t len;
};

/*
 * HELLO (24-byte payload): u32 magic, u16 major, u16 minor, s32 want_node,
 * u32 flags, u64 boot_id.
 * @want_node: BPROC_NODE_NONE ("by my address") or 0..BPROC_NODES_MAX-1.
 * @flags:     zero.
 * @boot_id:   random per slave boot: same boot_id = a reconnect.
 */
struct bpwire_hello {
	uint16_t major;
	uint16_t minor;
	int32_t want_node;
	uint32_t flags;
	uint64_t boot_id;
};

/*
 * WELCOME (24-byte payload): u16 major, u16 minor, s32 node, s32 numnodes,
 * u32 ping_ms, be32 master_addr, u32 reserved (zero).
 * @node:        the slave's node number, 0..numnodes-1.
 * @numnodes:    1..BPROC_NODES_MAX.
 * @ping_ms:     heartbeat timeout, 1..BPWIRE_PING_MS_MAX.
 * @master_addr: IPv4, network byte order (as in struct in_addr).
 */
struct bpwire_welcome {
	uint16_t major;
	uint16_t minor;
	int32_t node;
	int32_t numnodes;
	uint32_t ping_ms;
	uint32_t master_addr;
};

/* REFUSE: hdr.result is the negative errno; payload u16 len + text. */
struct bpwire_refuse {
	struct bpwire_text reason;
};

/*
 * NODES: s32 numnodes, u32 first, u32 count, count entries of 32 bytes
 * {s32 node, u32 valid, u32 status, be32 addr, u32 uid, u32 gid, u32 mode,
 * u32 reserved}, the fields of struct bproc_node_entry.
 * @numnodes: nodes in the cluster, 0..BPROC_NODES_MAX.
 * @first:    node of the first entry; entry i is node first + i.
 * @count:    0..BPWIRE_NODES_PER_FRAME, first + count <= numnodes.
 * @entries:  ENCODE input: count entries (host order, addr network order).
 * @wire:     DECODE output: the entries in the frame; read them with
 *            bpwire_nodes_get().  bpwire_decode() sets @entries to NULL.
 * Each entry: node = first + i, valid a subset of BPROC_NODE_F_ALL, the
 * fields not in valid zero, status < BPROC_STATUS_NR, mode within
 * BPROC_NODE_MODE_MASK, reserved zero.
 */
struct bpwire_nodes {
	int32_t numnodes;
	uint32_t first;
	uint32_t count;
	const struct bproc_node_entry *entries;
	const unsigned char *wire;
};

/*
 * LIBS: u32 count, then count NUL-terminated absolute paths of
 * 1..BPWIRE_PATH_MAX bytes (no newline: the kernel's list is line-based),
 * filling the frame exactly.  Replaces the slave's whole remote-file list
 * (count 0 clears it).  The list must fit one frame.
 * @paths: ENCODE input: count C strings (e.g. glob(3)'s gl_pathv).
 * @wire:  DECODE output: the first path in the frame; walk them with
 *         bpwire_libs_next().  bpwire_decode() sets @paths to NULL.
 */
struct bpwire_libs {
	uint32_t count;
	const char *const *paths;
	const char *wire;
};

/*
 * MOUNT: four NUL-terminated strings filling the frame exactly: source
 * (1..BPWIRE_PATH_MAX bytes, no newline: "master:/home", "tmpfs"), target
 * (an absolute path of 1..BPWIRE_PATH_MAX bytes, no newline, no ".."
 * component), type (1..BPWIRE_FSTYPE_MAX of [a-z0-9._-]) and options
 * (0..BPWIRE_MNTOPT_MAX printable bytes, no blank: "vers=4.2,soft").
 * Sent in the configuration, before LIBS, one frame per file system, in
 * the order the slave mounts them.  Decoded, each points into the frame.
 */
struct bpwire_mount {
	const char *source;
	const char *target;
	const char *type;
	const char *options;
};

/* NOTE: u16 len + text (1..BPWIRE_TEXT_MAX bytes), as REFUSE's reason. */
struct bpwire_note {
	struct bpwire_text text;
};

/* PING and PONG: u64 timestamp, the PING sender's monotonic ns, echoed. */
struct bpwire_ping {
	uint64_t timestamp;
};

/* BYE: u32 action (BPWIRE_BYE_*), u16 len + text. */
struct bpwire_bye {
	uint32_t action;
	struct bpwire_text reason;
};

/*
 * MOVE (56-byte payload, then nio entries of 296 bytes): s32 pid, u32
 * flags, u32 uid, u32 gid, s32 ppid, s32 pgid, s32 sid, u32 nio (0 before
 * protocol 1.3), u64 image_len, char comm[16]; then nio times: s32 fd, u16
 * type, u16 flags, u32 oflags, u32 mode, s64 offset, u8 addr[16], char
 * name[256] (struct bproc_move_io's layout).
 * The master asks the slave to restore a process from a VMADump image of
 * @image_len bytes that follows in IMAGE frames with this frame's id; the
 * slave answers MOVE_RESULT with the same id.
 * @pid:       the process's (master) pid, 1..BPWIRE_PID_MAX.
 * @flags:     the VMAD_DUMP_* flags the image was made with
 *             (within BPWIRE_MOVE_FLAGS).
 * @uid, @gid: its real user and group; any value but (uint32_t)-1.
 * @ppid:      its parent on the master, 0..BPWIRE_PID_MAX (0: none).
 * @pgid:      its process group, 0..BPWIRE_PID_MAX.
 * @sid:       its session, 0..BPWIRE_PID_MAX.
 * @image_len: 1..BPWIRE_IMAGE_MAX, or 0: not known in advance (the
 *             kernel streams a dump as it makes it); the image then ends
 *             with an IMAGE frame of no data.
 * @comm:      its name: printable ASCII (0x20..0x7e), then NUL padding to
 *             the end (at least one NUL, so it is a C string).  Fill it with
 *             bpwire_comm_set().
 * @nio, @io:  0..BPWIRE_MOVE_IO_MAX descriptors the slave opens for the
 *             process in place of forwarded ones, each as struct
 *             bproc_move_io documents (fd 0..2 once each, a FILE with an
 *             absolute NUL-padded name and known open flags, or a SOCKET
 *             to an AF_INET address); anything else is -EINVAL.
 */
#define BPWIRE_MOVE_IO_MAX	3
#define BPWIRE_MOVE_IO_NAME	256

struct bpwire_move_io {
	int32_t fd;
	uint16_t type;		/* BPROC_MOVE_IO_FILE, BPROC_MOVE_IO_SOCKET */
	uint16_t flags;		/* 0 */
	uint32_t oflags;
	uint32_t mode;
	int64_t offset;
	uint8_t addr[16];	/* struct sockaddr_in, as is */
	char name[BPWIRE_MOVE_IO_NAME];
};

struct bpwire_move {
	int32_t pid;
	uint32_t flags;
	uint32_t uid;
	uint32_t gid;
	int32_t ppid;
	int32_t pgid;
	int32_t sid;
	uint64_t image_len;
	char comm[BPWIRE_COMM_LEN];
	uint32_t nio;
	struct bpwire_move_io io[BPWIRE_MOVE_IO_MAX];
};

/*
 * IMAGE: u64 offset, then 0..BPWIRE_DATA_MAX bytes of the image, filling
 * the frame.  offset + len <= BPWIRE_IMAGE_MAX.  No data marks the end of
 * the image (also of one the sender gave up on).  (That the offsets are
 * contiguous and end at image_len is the receiver's check.)
 * @data, @len: ENCODE input: the bytes to send (copied into the frame).
 *              DECODE output: the bytes in the frame.
 */
struct bpwire_image {
	uint64_t offset;
	const void *data;
	uint32_t len;
};

/*
 * MOVE_RESULT (8-byte payload): s32 pid, u32 reserved (zero).  hdr.result
 * is 0 (the process runs on the slave) or a negative errno (-4095..-1: it
 * does not; the master keeps it).
 * @pid: the MOVE's pid, echoed, 1..BPWIRE_PID_MAX.
 */
struct bpwire_move_result {
	int32_t pid;
};

/*
 * SIGNAL (16-byte payload): s32 pid, s32 sig, u32 reserved[2] (zero).
 * @pid: 1..BPWIRE_PID_MAX.
 * @sig: 1..BPWIRE_SIG_MAX.
 */
struct bpwire_signal {
	int32_t pid;
	int32_t sig;
};

/*
 * EXIT (16-byte payload): s32 pid, s32 status, u32 reserved[2] (zero).
 * @pid:    1..BPWIRE_PID_MAX.
 * @status: a wait(2) status word of an ended process: exited (code << 8,
 *          code 0..255) or killed by a signal 1..BPWIRE_SIG_MAX, with or
 *          without the core-dump flag 0x80.  Nothing else.
 */
struct bpwire_exit {
	int32_t pid;
	int32_t status;
};

/*
 * PSTATE (16-byte payload): s32 pid, u32 state, s32 sig, u32 reserved
 * (zero).
 * @pid:   1..BPWIRE_PID_MAX.
 * @state: BPWIRE_PSTATE_STOPPED with @sig 1..BPWIRE_SIG_MAX (the stopping
 *         signal), or BPWIRE_PSTATE_CONTINUED with @sig 0.
 */
struct bpwire_pstate {
	int32_t pid;
	uint32_t state;
	int32_t sig;
};

/*
 * IO: s32 pid, u32 stream, then 0..BPWIRE_DATA_MAX bytes, filling the
 * frame.  0 bytes: end of file on that stream.
 * @pid:        1..BPWIRE_PID_MAX.
 * @stream:     BPWIRE_IO_STDIN (master->slave), _STDOUT or _STDERR
 *              (slave->master); the codec checks only < BPWIRE_IO_NR.
 * @data, @len: as IMAGE's (@data may be NULL when @len is 0 to encode;
 *              decoded, it is never NULL).
 */
struct bpwire_io {
	int32_t pid;
	uint32_t stream;
	const void *data;
	uint32_t len;
};

/*
 * CALL (slave->master, id != 0): s32 pid, u32 nr, u64 args[6], the
 * caller's current ids (u32 uid, euid, suid, gid, egid, sgid; none
 * 0xffffffff) and capabilities (u64 permitted, effective), then
 * 0..BPWIRE_CALL_DATA_MAX bytes filling the frame.  The call @nr (x86-64
 * numbers, BPROC_CALL_*; the codec checks < 512) of process @pid, for its
 * ghost to make on the master with those rights (struct bproc_call_cred);
 * @data: a siginfo for rt_(tg)sigqueueinfo.
 */
#define BPWIRE_CALL_FIXED	96
#define BPWIRE_ID_INVALID	0xffffffffu
#define BPWIRE_CAP_MASK		((1ull << (CAP_LAST_CAP + 1)) - 1)
#define BPWIRE_CALL_DATA_MAX	128
#define BPWIRE_CALL_NR_MAX	511
struct bpwire_call {
	int32_t pid;
	uint32_t nr;
	uint64_t args[6];
	struct bproc_call_cred cred;
	const void *data;
	uint32_t len;
};

/*
 * CALL_RESULT (master->slave, the reply to CALL: REPLY flag, its id;
 * result -4095..BPWIRE_PID_MAX, the call's return value): s32 pid, u32 nr,
 * then 0..BPWIRE_CALL_OUT_MAX bytes (struct bproc_call_out for a wait).
 */
#define BPWIRE_CALL_RESULT_FIXED 8
#define BPWIRE_CALL_OUT_MAX	280
struct bpwire_call_result {
	int32_t pid;
	uint32_t nr;
	const void *data;
	uint32_t len;
};

/*
 * struct bpwire_msg - one frame, decoded or to encode
 * @hdr: the header.
 * @u:   the payload, by hdr.type (READY has none).
 */
/*
 * The master's files, read from a node (Documentation/remote-files.md).
 *
 * FILE_STAT, FILE_READ, FILE_LIST (slave->master, id != 0) share one
 * layout: u32 uid, gid (who asks: the node process's fs ids, neither the
 * invalid id), u32 ngroups (0..BPWIRE_FGROUPS_MAX), u32 len (READ: bytes
 * wanted, 1..BPWIRE_FDATA_MAX; else 0), u64 offset (READ: where; LIST: the
 * cookie of the first entry wanted, 0 for the start; STAT: 0), the
 * version READ expects (u64 dev, ino, size, s64 mtime_ns, ctime_ns; zero
 * for the others), then u32 groups[ngroups], then the path filling the
 * frame: 1..BPWIRE_PATH_MAX bytes, absolute, without NUL, empty, "." or
 * ".." components, doubled or trailing "/" ("/" alone is the root).
 *
 * FILE_ATTR, FILE_DATA, FILE_ENTRIES (master->slave, the replies; result 0
 * or a negative errno, and then nothing else counts) share one too: the
 * attributes (u32 mode, nlink, uid, gid, u64 size, s64 mtime_ns, ctime_ns,
 * then the version: u64 dev, ino), u64 cookie (ENTRIES: the next one to
 * ask for, 0 at the end), u64 blocks (512-byte blocks the file takes there,
 * as st_blocks; ATTR and DATA only), then data filling the frame:
 *  - ATTR: a symlink's target (1..BPWIRE_PATH_MAX bytes, no NUL), else none;
 *  - DATA: the bytes read (0..len: fewer only at the end of the file); the
 *    attributes are the file's (READ fails with -ESTALE, and says what the
 *    file is now, when it is not the version asked for);
 *  - ENTRIES: entries of u64 next (the cookie that lists on from the entry
 *    after this one), u8 type (DT_*), u8 len, then len name bytes
 *    (1..255, no "/" or NUL, not "." or ".."); attributes zero.
 */
#define BPWIRE_FGROUPS_MAX	64
#define BPWIRE_FREQ_FIXED	64
#define BPWIRE_FREP_FIXED	72
#define BPWIRE_FDATA_MAX	(BPWIRE_MAX - BPWIRE_HDR_SIZE - BPWIRE_FREP_FIXED)
#define BPWIRE_FENTRY_FIXED	10

/* A file's version: it changed if any of these did. */
struct bpwire_fver {
	uint64_t dev, ino, size;
	int64_t mtime_ns, ctime_ns;
};

struct bpwire_file_req {
	uint32_t uid, gid;
	uint32_t ngroups;
	uint32_t groups[BPWIRE_FGROUPS_MAX];
	uint32_t len;
	uint64_t offset;
	struct bpwire_fver ver;
	const char *path;	/* decoded: into the frame, not NUL-terminated */
	uint32_t path_len;
};

struct bpwire_file_rep {
	uint32_t mode, nlink, uid, gid;
	struct bpwire_fver ver;	/* size, mtime_ns and ctime_ns are the file's */
	uint64_t cookie;
	uint64_t blocks;
	const void *data;
	uint32_t len;
};

/* Walk FILE_ENTRIES' data: the entry at *@off, then *@off moves on; false at the end. */
bool bpwire_fentry_next(const struct bpwire_file_rep *r, uint32_t *off,
			uint64_t *next, uint8_t *type, const char **name,
			uint8_t *name_len);
/* Append an entry to @buf (@*len bytes used, @max in all): false if it is full. */
bool bpwire_fentry_put(void *buf, uint32_t *len, uint32_t max, uint64_t next,
		       uint8_t type, const char *name, uint8_t name_len);
/* Is @path (@len bytes) a path FILE requests may carry (see above)? */
bool bpwire_fpath_ok(const char *path, size_t len);

struct bpwire_msg {
	struct bpwire_hdr hdr;
	union {
		struct bpwire_hello hello;
		struct bpwire_welcome welcome;
		struct bpwire_refuse refuse;
		struct bpwire_nodes nodes;
		struct bpwire_libs libs;
		struct bpwire_mount mount;
		struct bpwire_note note;
		struct bpwire_ping ping;	/* PING and PONG */
		struct bpwire_bye bye;
		struct bpwire_move move;
		struct bpwire_image image;
		struct bpwire_move_result move_result;
		struct bpwire_signal signal;
		struct bpwire_exit exit;
		struct bpwire_pstate pstate;
		struct bpwire_io io;
		struct bpwire_call call;
		struct bpwire_call_result call_result;
		struct bpwire_file_req file_req;	/* FILE_STAT, _READ, _LIST */
		struct bpwire_file_rep file_rep;	/* FILE_ATTR, _DATA, _ENTRIES */
	} u;
};

/* "HELLO", "PONG", ...; "unknown" for anything else.  Never NULL. */
const char *bpwire_type_name(uint16_t type);

/*
 * bpwire_init - zero @m and set its header: a request or unsolicited frame
 * (flags 0, result 0).  For HELLO and WELCOME it also sets major and minor
 * to BPWIRE_MAJOR/MINOR, and for HELLO want_node to BPROC_NODE_NONE.
 */
void bpwire_init(struct bpwire_msg *m, uint16_t type, uint64_t id,
		 int32_t src, int32_t dst);

/*
 * bpwire_reply_init - zero @m and make it the reply of type @type to @req:
 * BPROC_MSGF_REPLY, @req's id, src and dst swapped, result 0 (set it for
 * REFUSE and MOVE_RESULT), versions as bpwire_init().
 */
void bpwire_reply_init(struct bpwire_msg *m, uint16_t type,
		       const struct bpwire_msg *req);

/*
 * bpwire_comm_set - fill a MOVE's @comm from @name (e.g. a task's comm):
 * its first BPWIRE_COMM_LEN - 1 bytes, each byte outside 0x20..0x7e
 * replaced by '?', then NUL padding.  @name NULL: an empty name.
 */
void bpwire_comm_set(char comm[BPWIRE_COMM_LEN], const char *name);

/*
 * bpwire_encode - write @m as one frame into @buf
 *
 * @m is checked by the same rules as bpwire_decode() applies, so what is
 * sent is what the peer accepts.  Returns the frame length (which is also
 * the frame's hdr.len; m->hdr.len is ignored), or
 *   -EINVAL  a field breaks a rule (*@why says which);
 *   -E2BIG   the frame would exceed BPWIRE_MAX (too many entries or paths,
 *            more than BPWIRE_DATA_MAX bytes of IMAGE or IO data);
 *   -ENOSPC  @cap is too small for it.
 */
ssize_t bpwire_encode(const struct bpwire_msg *m, void *buf, size_t cap,
		      const char **why);

/*
 * bpwire_decode - validate and decode exactly one frame
 * @buf, @len: the whole frame (@len must equal its hdr.len).
 *
 * Checks everything: lengths (exact payload length per type), known type,
 * flags, id and result as the type requires, pad and reserved fields zero,
 * node numbers, pids, signals, enums, strings.  On success fills @m, whose
 * text, @wire, path and data pointers point into @buf.  Returns 0, or
 *   -EPROTO           malformed: bad length, unknown type, bad flags, id,
 *                     result or structure, bad magic;
 *   -EINVAL           a field out of range or a reserved field not zero;
 *   -E2BIG            hdr.len > BPWIRE_MAX;
 *   -EPROTONOSUPPORT  HELLO or WELCOME of another major version (@m's
 *                     header and major/minor are filled, so a master can
 *                     answer with REFUSE).
 * Any error means: close the connection.
 */
int bpwire_decode(const void *buf, size_t len, struct bpwire_msg *m,
		  const char **why);

/*
 * bpwire_nodes_get - entry @i (< count) of a NODES message, decoded or to
 * encode.
 */
void bpwire_nodes_get(const struct bpwire_msg *m, uint32_t i,
		      struct bproc_node_entry *e);

/*
 * bpwire_libs_next - walk a decoded LIBS message: the first path when @prev
 * is NULL, else the one after @prev; NULL after the last.
 */
const char *bpwire_libs_next(const struct bpwire_msg *m, const char *prev);

/*
 * struct bpwire_rx - reassembles frames from a byte stream
 *
 * Holds up to BPWIRE_MAX bytes (allocate it, or make it static: it is
 * 64 KiB).  A header whose len is < BPWIRE_HDR_SIZE or > BPWIRE_MAX is
 * rejected as soon as its first 4 bytes are in, before any body is read.
 * After an error the reassembler stays failed (the same error again) until
 * bpwire_rx_init().
 */
struct bpwire_rx {
	size_t start;	/* first byte not yet returned by bpwire_rx_next() */
	size_t end;	/* end of the bytes held */
	int err;	/* sticky error, 0 if none */
	const char *why;
	unsigned char buf[BPWIRE_MAX];
};

void bpwire_rx_init(struct bpwire_rx *rx);

/*
 * bpwire_rx_read - one read(2) from @fd into the free space.  Returns the
 * bytes read (> 0), 0 at end of file, or -errno (-EAGAIN on an empty
 * non-blocking socket; -EINTR is retried).  -ENOBUFS if the buffer is full:
 * call bpwire_rx_next() until it returns 0 first.
 */
ssize_t bpwire_rx_read(struct bpwire_rx *rx, int fd);

/*
 * bpwire_rx_feed - append @len bytes (tests, fuzzing, other transports).
 * Returns 0, or -ENOBUFS if they do not fit (nothing is taken then).
 */
int bpwire_rx_feed(struct bpwire_rx *rx, const void *data, size_t len);

/*
 * bpwire_rx_next - the next complete frame, decoded into @m
 * Returns 1 with @m filled (its pointers stay valid until the next call of
 * any bpwire_rx_* function on @rx), 0 if more bytes are needed, or a
 * negative errno as bpwire_decode() (with *@why): close the connection.
 * On -EPROTONOSUPPORT @m is filled as bpwire_decode() fills it.
 */
int bpwire_rx_next(struct bpwire_rx *rx, struct bpwire_msg *m,
		   const char **why);

/* True if @rx holds part of a frame (EOF now would cut a frame short). */
bool bpwire_rx_pending(const struct bpwire_rx *rx);

#endif /* BPROC_BPWIRE_H */
