/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * bproc - the Beowulf Distributed Process Space: the one ABI header.
 *
 * This header is shared byte for byte by the kernel module (bproc.ko), the
 * daemons (bpmaster, bpslave), libbproc and the tools.  It is the protocol
 * specification: every message and ioctl is documented here field by field.
 *
 * Rules (Documentation/driver-api/ioctl.rst and STYLE.md):
 *  - only fixed-width types (__u8 ... __u64, __s*), natural alignment,
 *    explicit padding, no enums, no bitfields, no pointers (a user pointer
 *    travels as a __u64);
 *  - sizes are pinned with BUILD_BUG_ON in the kernel and _Static_assert in
 *    user space (see the end of this file);
 *  - a field is never repurposed: new fields are appended, and zero means the
 *    old behaviour.  Reserved and padding fields must be zero on write; the
 *    kernel rejects a message whose reserved fields are not zero (-EINVAL), so
 *    they can be given a meaning later.
 *
 * The VMADump image format has its own header, <linux/bproc_image.h>,
 * included here; it is versioned on its own (VMAD_VERSION).
 *
 * Protocol version history (BPROC_PROTO_MAJOR.BPROC_PROTO_MINOR):
 *  1.0  HELLO on /dev/bproc/master and /dev/bproc/slave.
 *  1.1  The node table: NODES, NODE_SET, NODE_REQ; BPROC_IOC_CURRNODE,
 *       BPROC_IOC_NODE_ACCESS.
 *  1.2  Moving processes: MOVE, IMAGE, SIGNAL, EXIT, IO; BPROC_IOC_MOVE.
 *  1.3  Moving on from a node and back to the master: MOVE and IMAGE on
 *       /dev/bproc/slave, ARRIVED, WHERE; BPROC_IOC_RETURN.  PID-space
 *       calls of moved processes run by their ghosts: CALL.
 *  1.4  Descriptors opened on the node: BPROC_MSG_MOVE may end with up to
 *       BPROC_MOVE_IO_MAX struct bproc_move_io (bproc_move_req.io).  fork
 *       on a node: BPROC_CALL_FORK, and BPROC_MSG_EXIT kernel->bpslave for
 *       ends in the node's PID namespace.
 *  2.0  BPROC_MSG_CALL carries the caller's current ids and capabilities
 *       (struct bproc_call_cred): its layout changed, hence the major.
 *  2.1  BPROC_IOC_TASK_GROUPS on /dev/bproc/slave.
 *  2.2  Several nodes on one kernel: BPROC_IOC_NODE_NS on /dev/bproc/slave
 *       gives a session its node's PID namespace.
 */
#ifndef _UAPI_LINUX_BPROC_H
#define _UAPI_LINUX_BPROC_H

#include <linux/types.h>
#include <linux/ioctl.h>
#include <linux/bproc_image.h>

/* ------------------------------------------------------------------ */
/* Versions                                                           */
/* ------------------------------------------------------------------ */

/*
 * The daemon<->kernel protocol.  A daemon speaking major M is accepted only if
 * M == BPROC_PROTO_MAJOR; the minor only announces optional features.
 */
#define BPROC_PROTO_MAJOR	2
#define BPROC_PROTO_MINOR	2

/* The release of the whole package (module, daemons, library, tools). */
#define BPROC_VERSION_STRING	"5.0.0"

/* ------------------------------------------------------------------ */
/* Special node numbers (as the original bproc)                       */
/* ------------------------------------------------------------------ */
#define BPROC_NODE_MASTER	(-1)
#define BPROC_NODE_SELF		(-2)
#define BPROC_NODE_NONE		(-3)
#define BPROC_NODE_ANY		(-4)

/* ------------------------------------------------------------------ */
/* Daemon messages: /dev/bproc/master and /dev/bproc/slave            */
/* ------------------------------------------------------------------ */

/*
 * Transport.  read() returns exactly one whole kernel->daemon message; a
 * buffer shorter than that message fails with -EINVAL and the message stays
 * queued (a buffer shorter than a header fails at once, without waiting).
 * read() blocks unless O_NONBLOCK (then -EAGAIN); poll() reports POLLIN when
 * a message is queued, and always POLLOUT.  write() takes exactly one whole
 * daemon->kernel message and returns its length once the kernel has acted
 * on it.
 *
 * write() checks, in this order:
 *   -EINVAL      count < sizeof(struct bproc_msg_hdr), count > BPROC_MSG_MAX,
 *                hdr.len != count, unknown hdr.flags, hdr.pad != 0, or
 *                hdr.result != 0 in a request (framing; any session state);
 *   -EPROTO      the session rule below is broken;
 *   -EOPNOTSUPP  a type the kernel does not handle on this device;
 *   then the type's own rules (see each message): a type not legal in the
 *   session's state (HELLO: -EALREADY), a length other than the type's or
 *   non-zero reserved fields (-EINVAL).
 *
 * Session rule.  The first write() on a freshly opened device must be a
 * BPROC_MSG_HELLO request whose major equals BPROC_PROTO_MAJOR.  Anything
 * else fails with -EPROTO (and a log line); the session stays un-greeted, so
 * the daemon may try again.  After a good HELLO the kernel queues its own
 * HELLO (the versions it speaks) for the daemon to read.  A second HELLO
 * fails with -EALREADY.  Closing the file ends the session and discards
 * whatever was still queued.
 *
 * /dev/bproc/master has at most one holder: a second open() fails with
 * -EBUSY until the holder's last close.  Each open() of /dev/bproc/slave is
 * one node's session, independent of the others.
 */

/* Message types (hdr.type). */
#define BPROC_MSG_HELLO		1	/* both directions: struct bproc_msg_hello */
#define BPROC_MSG_NODES		2	/* daemon->kernel: struct bproc_msg_nodes */
#define BPROC_MSG_NODE_SET	3	/* both directions: struct bproc_msg_node_set */
#define BPROC_MSG_NODE_REQ	4	/* kernel->bpmaster and reply: struct bproc_msg_node_req */
#define BPROC_MSG_MOVE		5	/* kernel->bpmaster and reply: struct bproc_msg_move */
#define BPROC_MSG_IMAGE		6	/* kernel->bpmaster: struct bproc_msg_image */
#define BPROC_MSG_SIGNAL	7	/* kernel->bpmaster: struct bproc_msg_signal */
#define BPROC_MSG_EXIT		8	/* bpmaster->kernel: struct bproc_msg_exit */
#define BPROC_MSG_IO		9	/* both directions: struct bproc_msg_io */
#define BPROC_MSG_PSTATE	10	/* bpmaster->kernel: struct bproc_msg_pstate */
#define BPROC_MSG_ARRIVED	11	/* kernel->bpmaster: struct bproc_msg_arrived */
#define BPROC_MSG_WHERE		12	/* bpmaster->kernel: struct bproc_msg_where */
#define BPROC_MSG_CALL		13	/* bpmaster->kernel and reply: struct bproc_msg_call */

/* Largest message in either direction, header included. */
#define BPROC_MSG_MAX		(64 * 1024)

/*
 * struct bproc_msg_hdr - the fixed header every message starts with
 * @len:    length of the whole message in bytes, header included;
 *          sizeof(struct bproc_msg_hdr) <= len <= BPROC_MSG_MAX.
 * @type:   BPROC_MSG_*.
 * @flags:  BPROC_MSGF_*; unknown bits are rejected (-EINVAL).
 * @id:     request identifier chosen by the sender of a request; the reply
 *          carries the same id (with BPROC_MSGF_REPLY set).  0 marks an
 *          unsolicited message that expects no reply.
 * @result: in replies, 0 or a negative errno; 0 in requests (-EINVAL
 *          otherwise).
 * @src:    node the message comes from (BPROC_NODE_MASTER or 0..n-1).
 * @dst:    node the message goes to (same encoding).
 * @pad:    zero.
 */
struct bproc_msg_hdr {
	__u32 len;
	__u16 type;
	__u16 flags;
	__u64 id;
	__s32 result;
	__s32 src;
	__s32 dst;
	__u32 pad;
};

#define BPROC_MSGF_REPLY	0x0001	/* this message answers request @id */
#define BPROC_MSGF_ALL		(BPROC_MSGF_REPLY)

/*
 * bproc_msg_hdr_init() - fill in every field of a message's header
 * @hdr:  the header (the message's first bytes).
 * @type: BPROC_MSG_*.
 * @len:  the whole message's length, header included.
 * @id:   the request's id; 0 for an unsolicited message.
 * @src:  the node the message comes from.
 * @dst:  the node it goes to.
 *
 * flags, result and pad become 0: a request.  bproc_msg_hdr_reply() makes
 * the header of the reply to request @id instead.  For the kernel and the
 * daemons alike.
 */
static __inline__ void bproc_msg_hdr_init(struct bproc_msg_hdr *hdr, __u16 type,
					  __u32 len, __u64 id, __s32 src, __s32 dst)
{
	hdr->len = len;
	hdr->type = type;
	hdr->flags = 0;
	hdr->id = id;
	hdr->result = 0;
	hdr->src = src;
	hdr->dst = dst;
	hdr->pad = 0;
}

/* The same for a reply: BPROC_MSGF_REPLY, and @result (0 or -errno). */
static __inline__ void bproc_msg_hdr_reply(struct bproc_msg_hdr *hdr, __u16 type,
					   __u32 len, __u64 id, __s32 result,
					   __s32 src, __s32 dst)
{
	bproc_msg_hdr_init(hdr, type, len, id, src, dst);
	hdr->flags = BPROC_MSGF_REPLY;
	hdr->result = result;
}

/*
 * struct bproc_msg_hello - BPROC_MSG_HELLO
 * @hdr:      type BPROC_MSG_HELLO, len sizeof(struct bproc_msg_hello).
 * @major:    protocol major the sender speaks (BPROC_PROTO_MAJOR).
 * @minor:    protocol minor the sender speaks (BPROC_PROTO_MINOR).
 * @reserved: zero.
 *
 * Daemon->kernel: must be the first message of a session, a request (no
 * BPROC_MSGF_REPLY, else -EPROTO) of exactly this length (else -EINVAL).
 * Kernel->daemon: the answer to it (BPROC_MSGF_REPLY, same id, even 0),
 * giving the kernel's versions.  A HELLO is between a daemon and its own
 * kernel, so hdr.src and hdr.dst are not used: the kernel ignores them and
 * sends BPROC_NODE_NONE.
 */
struct bproc_msg_hello {
	struct bproc_msg_hdr hdr;
	__u16 major;
	__u16 minor;
	__u32 reserved[3];
};

/* ------------------------------------------------------------------ */
/* The node table                                                     */
/* ------------------------------------------------------------------ */

/*
 * Node states, as /sys/bproc/nodes/N/status spells them (in this order:
 * "down", "boot", "up", "error", "unavailable", "reboot", "halt", "pwroff").
 */
#define BPROC_STATUS_DOWN		0	/* not connected */
#define BPROC_STATUS_BOOT		1	/* connected, being set up */
#define BPROC_STATUS_UP			2	/* ready for processes */
#define BPROC_STATUS_ERROR		3	/* connected; set by the administrator */
#define BPROC_STATUS_UNAVAILABLE	4	/* connected; set by the administrator */
#define BPROC_STATUS_REBOOT		5	/* asked to reboot, not yet gone */
#define BPROC_STATUS_HALT		6	/* asked to halt, not yet gone */
#define BPROC_STATUS_PWROFF		7	/* asked to power off, not yet gone */
#define BPROC_STATUS_NR			8

/* Node access (the x bits of a node's mode). */
#define BPROC_X_OK			1
/* The bits a node's mode may have: owner, group and other x. */
#define BPROC_NODE_MODE_MASK		0111
#define BPROC_NODE_MODE_DEFAULT		0111

/* Most nodes a table may have. */
#define BPROC_NODES_MAX			16384

/*
 * struct bproc_msg_nodes - BPROC_MSG_NODES (daemon->kernel request)
 * @hdr:         type BPROC_MSG_NODES, len sizeof(struct bproc_msg_nodes).
 * @numnodes:    nodes in the cluster, 0..BPROC_NODES_MAX; nodes are
 *               0..numnodes-1.
 * @self:        on /dev/bproc/master BPROC_NODE_MASTER; on /dev/bproc/slave
 *               the node number of this session, 0..numnodes-1.
 * @master_addr: the master's IPv4 address on the cluster network, network
 *               byte order (/sys/bproc/master_addr).
 * @reserved:    zero.
 *
 * Sets the size of the kernel's node table.  Nodes that are new get status
 * down, address 0.0.0.0, user 0, group 0 and mode BPROC_NODE_MODE_DEFAULT;
 * nodes that stay keep what they had (a restarted bpmaster finds the
 * ownership the administrator set); nodes above the new size go away.
 *
 * The table has one owner session: bpmaster's session on the master; on a
 * slave, the last slave session that sent NODES (its bpslave mirrors the
 * master's table there).  A slave session's NODES fails with -EBUSY while a
 * master session owns the table.  When the owner's session ends, every node
 * goes down (nobody can reach it any more); the table itself stays.
 * Errors: -EINVAL (a field out of range, reserved not zero), -ENOMEM.
 */
struct bproc_msg_nodes {
	struct bproc_msg_hdr hdr;
	__s32 numnodes;
	__s32 self;
	__be32 master_addr;
	__u32 reserved;
};

/* struct bproc_node_entry.valid: which fields of an entry to apply. */
#define BPROC_NODE_F_STATUS	0x1	/* status */
#define BPROC_NODE_F_ADDR	0x2	/* addr */
#define BPROC_NODE_F_OWNER	0x4	/* uid, gid, mode */
#define BPROC_NODE_F_ALL	0x7

/*
 * struct bproc_node_entry - one node's state in a NODE_SET message
 * @node:     0..numnodes-1.
 * @valid:    BPROC_NODE_F_*: the fields that are meant; the others are
 *            ignored and must be zero.
 * @status:   BPROC_STATUS_*.
 * @addr:     IPv4 address, network byte order.
 * @uid:      owner (a uid in the initial user namespace).
 * @gid:      group.
 * @mode:     bits of BPROC_NODE_MODE_MASK only.
 * @reserved: zero.
 */
struct bproc_node_entry {
	__s32 node;
	__u32 valid;
	__u32 status;
	__be32 addr;
	__u32 uid;
	__u32 gid;
	__u32 mode;
	__u32 reserved;
};

/*
 * struct bproc_msg_node_set - BPROC_MSG_NODE_SET
 * @hdr:      type BPROC_MSG_NODE_SET; len = sizeof(struct
 *            bproc_msg_node_set) + count * sizeof(struct bproc_node_entry).
 * @count:    entries that follow, 1..(BPROC_MSG_MAX - 48) / 32.
 * @reserved: zero.
 * @entries:  the nodes.
 *
 * Daemon->kernel (request; only from the table's owner, else -EPERM): the
 * kernel applies every entry, or none of them if any entry is invalid
 * (-EINVAL: node out of range, unknown valid bits or status, mode bits
 * outside BPROC_NODE_MODE_MASK, reserved not zero).  bpmaster sets status
 * and addr; the owner of a node (F_OWNER) is the administrator's, set
 * through /sys/bproc/nodes/N/{user,group,mode}, and only a slave's mirror
 * table takes it from a message.
 *
 * Kernel->bpmaster (unsolicited, id 0): after root changed a node's user,
 * group or mode through sysfs, one entry with valid = BPROC_NODE_F_OWNER, so
 * that bpmaster can pass the change on to the slaves.
 */
struct bproc_msg_node_set {
	struct bproc_msg_hdr hdr;
	__u32 count;
	__u32 reserved;
	struct bproc_node_entry entries[];
};

/* struct bproc_msg_node_req.what */
#define BPROC_NODE_REQ_STATUS	1	/* set status to @arg (UP, ERROR, UNAVAILABLE or DOWN) */
#define BPROC_NODE_REQ_REBOOT	2	/* disconnect cleanly and reboot */
#define BPROC_NODE_REQ_HALT	3	/* disconnect cleanly and halt */
#define BPROC_NODE_REQ_PWROFF	4	/* disconnect cleanly and power off */

/*
 * struct bproc_msg_node_req - BPROC_MSG_NODE_REQ
 * @hdr:      type BPROC_MSG_NODE_REQ, len sizeof(struct bproc_msg_node_req).
 * @node:     the node, 0..numnodes-1.
 * @what:     BPROC_NODE_REQ_*.
 * @arg:      for BPROC_NODE_REQ_STATUS the wanted BPROC_STATUS_*; else 0.
 * @reserved: zero.
 *
 * Kernel->bpmaster request (id != 0): root wrote a node's status, reboot,
 * halt or pwroff file.  bpmaster acts and answers with the same message as
 * a reply (BPROC_MSGF_REPLY, the same id, the fields echoed) whose
 * hdr.result is what the writer's write() returns: 0, -EHOSTDOWN (the node
 * is not connected), -EINVAL.  The writer waits for the reply at most
 * BPROC_NODE_REQ_TIMEOUT seconds (then -ETIMEDOUT); without a bpmaster
 * the write fails at once with -ENOTCONN.  A reply whose id is not pending
 * (late, or never asked) is dropped (a debug-level log line names it)
 * and write() returns its length.  A request given up on (timeout, signal)
 * stays queued: bpmaster may still carry it out.
 */
struct bproc_msg_node_req {
	struct bproc_msg_hdr hdr;
	__s32 node;
	__u32 what;
	__u32 arg;
	__u32 reserved;
};

#define BPROC_NODE_REQ_TIMEOUT	10

/* ------------------------------------------------------------------ */
/* Moving processes (Documentation/process-space.md)                  */
/* ------------------------------------------------------------------ */

/* Largest PID bproc handles (PID_MAX_LIMIT on 64-bit). */
#define BPROC_PID_MAX		4194304

/*
 * struct bproc_msg_move - BPROC_MSG_MOVE
 * @hdr:       kernel->bpmaster request (id != 0, src BPROC_NODE_MASTER,
 *             dst the node); bpmaster's reply is the same message with
 *             BPROC_MSGF_REPLY and hdr.result 0 (the process now runs on
 *             the node) or a negative errno (it does not: -EHOSTDOWN,
 *             -ENOMEM, the restore's error...).
 * @pid:       the process (its PID in the initial PID namespace).
 * @node:      where it goes, 0..numnodes-1.
 * @flags:     the VMAD_DUMP_* flags the image was made with.
 * @uid:       its real uid and gid (for bookkeeping; the image carries
 * @gid:       the credentials).
 * @ppid:      its parent, process group and session on the master.
 * @pgid:
 * @sid:
 * @reserved:  zero.
 * @image_len: 0 (not known in advance: the image ends with its trailer).
 * @comm:      its command name, NUL-padded.
 *
 * The image follows in BPROC_MSG_IMAGE messages with the same hdr.id.
 * A request from the kernel may end with 0..BPROC_MOVE_IO_MAX struct
 * bproc_move_io (hdr.len = 88 + 296 * n): descriptors the node opens for
 * the process instead of forwarding them (bproc_move_req.io).
 */
struct bproc_msg_move {
	struct bproc_msg_hdr hdr;
	__s32 pid;
	__s32 node;
	__u32 flags;
	__u32 uid;
	__u32 gid;
	__s32 ppid;
	__s32 pgid;
	__s32 sid;
	__u64 image_len;
	char comm[16];
};

/*
 * struct bproc_move_io - a descriptor the node opens for an arriving
 * process, in place of the forwarded one (the *_io calls; bpsh -I/-O/-E).
 * @fd:     0, 1 or 2 (each at most once in a request).
 * @type:   BPROC_MOVE_IO_FILE: open @name on the node with @oflags and
 *          @mode as the process's uid and gid, then seek to @offset;
 *          BPROC_MOVE_IO_SOCKET: a TCP connection from the node to @addr.
 * @flags:  zero.
 * @oflags: FILE: O_RDONLY, O_WRONLY or O_RDWR, with any of O_CREAT,
 *          O_EXCL, O_TRUNC, O_APPEND, O_NOCTTY, O_NOFOLLOW, O_SYNC,
 *          O_DSYNC (x86-64 values); else zero.
 * @mode:   FILE with O_CREAT: the new file's mode (<= 07777); else zero.
 * @offset: FILE: where to start (>= 0); else zero.
 * @addr:   SOCKET: a struct sockaddr_in (AF_INET; port and address in
 *          network order); else zero.
 * @name:   FILE: an absolute path, NUL-terminated and NUL-padded; else
 *          zero.
 * An entry that cannot be set up makes the move fail with its errno (the
 * process stays where it was).
 */
struct bproc_move_io {
	__s32 fd;
	__u16 type;
	__u16 flags;
	__u32 oflags;
	__u32 mode;
	__s64 offset;
	__u8 addr[16];
	char name[256];
};

#define BPROC_MOVE_IO_FILE	0
#define BPROC_MOVE_IO_SOCKET	1
#define BPROC_MOVE_IO_MAX	3

/* The open flags a FILE entry may have (the user's <fcntl.h> defines them). */
#define BPROC_MOVE_IO_OFLAGS	(O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_APPEND | \
				 O_NOCTTY | O_NOFOLLOW | O_SYNC | O_DSYNC)

/*
 * struct bproc_msg_image - BPROC_MSG_IMAGE (kernel->bpmaster)
 * @hdr:    hdr.id is the MOVE's; hdr.len = 48 + the data's length.
 * @offset: of the first data byte in the image.
 * @pid:    the process.
 * @last:   1 on the image's last piece, else 0.
 * @data:   1..BPROC_MSG_MAX - 48 bytes of the image.
 */
struct bproc_msg_image {
	struct bproc_msg_hdr hdr;
	__u64 offset;
	__s32 pid;
	__u32 last;
	__u8 data[];
};

/*
 * struct bproc_msg_signal - BPROC_MSG_SIGNAL (kernel->bpmaster, id 0)
 * @pid:  a remote process; @node where it runs.
 * @sig:  1..64, sent to its ghost on the master: deliver it there.
 */
struct bproc_msg_signal {
	struct bproc_msg_hdr hdr;
	__s32 pid;
	__s32 node;
	__s32 sig;
	__u32 reserved;
};

/*
 * struct bproc_msg_exit - BPROC_MSG_EXIT (bpmaster->kernel, id 0)
 * @pid:    a remote process whose ghost must end now...
 * @status: ...with this wait(2) status: exited with a code, or killed by a
 *          signal (1..64, the core flag allowed).  A node that dies ends
 *          its processes' ghosts as killed by SIGKILL.
 * A pid without a ghost is ignored (it may have ended already).
 */
struct bproc_msg_exit {
	struct bproc_msg_hdr hdr;
	__s32 pid;
	__s32 status;
	__u32 reserved[2];
};

/*
 * struct bproc_msg_pstate - BPROC_MSG_PSTATE (bpmaster->kernel, id 0)
 * @pid:   a remote process that stopped...
 * @sig:   ...with this signal (1..64): its ghost stops with it too, so that
 *         the parent's waitpid(WUNTRACED) sees the stop; SIGCONT to the
 *         ghost continues both.  (Continues of the remote process come
 *         from its ghost, so bpmaster passes only stops.)
 */
struct bproc_msg_pstate {
	struct bproc_msg_hdr hdr;
	__s32 pid;
	__s32 sig;
	__u32 reserved[2];
};

/*
 * struct bproc_msg_io - BPROC_MSG_IO (id 0)
 * @pid:    a remote process.
 * @stream: bpmaster->kernel: 1 (stdout) or 2 (stderr): the ghost writes
 *          @data to its own descriptor @stream, i.e. where the process's
 *          output pointed on the master.  No data: end of file, the ghost
 *          closes it.  kernel->bpmaster: 0 (stdin): what the ghost read
 *          for the process (no data: end of file; sent at once when stdin
 *          is not forwarded).
 * @data:   0..BPROC_MSG_MAX - 48 bytes.
 */
struct bproc_msg_io {
	struct bproc_msg_hdr hdr;
	__s32 pid;
	__u32 stream;
	__u64 reserved;
	__u8 data[];
};

/*
 * Moving back and node to node (Documentation/process-space.md).
 *
 * On a slave, BPROC_MSG_MOVE and BPROC_MSG_IMAGE also go kernel->bpslave:
 * a process placed there moves on (hdr.src the node, hdr.dst and @node the
 * destination: another node or BPROC_NODE_MASTER; @pid its PID in the
 * node's namespace, i.e. its master PID); bpslave's reply says whether it
 * arrived.  On success the process ends on this node without a word: it
 * lives on at the destination.
 *
 * A process coming back to the master is restored by its own ghost:
 * bpmaster hands the image to the kernel as a pipe (BPROC_IOC_RETURN on
 * /dev/bproc/master) and the kernel answers with BPROC_MSG_ARRIVED.
 */

/*
 * struct bproc_return_req - BPROC_IOC_RETURN (write; /dev/bproc/master)
 * @id:       bpmaster's cookie, echoed in BPROC_MSG_ARRIVED; not 0.
 * @pid:      the process; it must have a ghost whose process runs on
 *            @node (-ESRCH), with no return under way (-EBUSY).
 * @fd:       the read end of a pipe (in the caller's descriptor table)
 *            that will carry the image, ended by its end of file.
 * @node:     where the process comes from.
 * @flags:    zero.
 * @reserved: zero.
 */
struct bproc_return_req {
	__u64 id;
	__s32 pid;
	__s32 fd;
	__s32 node;
	__u32 flags;
	__u64 reserved;
};

#define BPROC_IOC_RETURN	_IOW(BPROC_IOC_MAGIC, 0x23, struct bproc_return_req)

/*
 * struct bproc_task_groups - BPROC_IOC_TASK_GROUPS (read/write;
 * /dev/bproc/slave): the supplementary groups of a process asking bpslave's
 * view of the master's files for something, so that the master answers
 * with all of the asker's rights (its fs ids come with the FUSE request).
 * The kernel reads them from the task's credentials, with no lock of the
 * asker's memory (its /proc/PID/status waits for its mmap lock, which a
 * restore holds while it opens files through that view).
 * @pid:      in: the asker, in the caller's PID namespace.
 * @fsuid:    in: its fs uid as the request gave it ...
 * @fsgid:    in: ... and its fs gid; if the task's are others (the PID was
 *            reused, or the task is not the asker), -ESRCH.
 * @ngroups:  out: how many of @groups are set: the task's supplementary
 *            groups, the first BPROC_TASK_GROUPS_MAX of them (fewer rights,
 *            never more, for a task with more).
 * @reserved: zero.
 * @groups:   out: as the caller's user namespace sees them (0xffffffff for
 *            one it does not map: never an id of another group); the rest
 *            zero.
 */
#define BPROC_TASK_GROUPS_MAX	64
struct bproc_task_groups {
	__s32 pid;
	__u32 fsuid;
	__u32 fsgid;
	__u32 ngroups;
	__u64 reserved;
	__u32 groups[BPROC_TASK_GROUPS_MAX];
};

#define BPROC_IOC_TASK_GROUPS	_IOWR(BPROC_IOC_MAGIC, 0x25, struct bproc_task_groups)

/*
 * BPROC_IOC_NODE_NS (write, a __s32; /dev/bproc/slave): the PID namespace
 * of this session's node, given by the PID (in the caller's namespace) of
 * its init: a child of the caller, the init of a namespace directly below
 * the caller's.  One kernel may be several nodes, one bpslave session each:
 * a process is on the node whose namespace holds it (its own, or one
 * nested inside), and its moves, calls and end go through that session.
 * Once per session, after its NODES (-EALREADY a second time, -EPROTO
 * before); -EBUSY if another session has that namespace; -ESRCH if there
 * is no such process; -EINVAL if it is not such an init.
 */
#define BPROC_IOC_NODE_NS	_IOW(BPROC_IOC_MAGIC, 0x26, __s32)

/*
 * struct bproc_msg_arrived - BPROC_MSG_ARRIVED (kernel->bpmaster)
 * @hdr:      hdr.id is the BPROC_IOC_RETURN's id; hdr.result 0 (the
 *            process runs on the master again) or a negative errno.
 * @pid:      the process.
 * @lost:     1 when the restore failed after the ghost's memory was
 *            replaced: the ghost is dying (SIGKILL), so the copy on the
 *            node must be killed too.  0 otherwise (the ghost is intact and
 *            the process goes on where it was).
 * @reserved: zero.
 */
struct bproc_msg_arrived {
	struct bproc_msg_hdr hdr;
	__s32 pid;
	__u32 lost;
	__u64 reserved;
};

/*
 * struct bproc_msg_where - BPROC_MSG_WHERE (bpmaster->kernel, id 0)
 * @pid:      a remote process that moved from node to node...
 * @node:     ...and now runs here (0..numnodes-1).  Its ghost forwards
 *            signals and stdin there and reports it in /proc/bproc.
 * @reserved: zero.
 */
struct bproc_msg_where {
	struct bproc_msg_hdr hdr;
	__s32 pid;
	__s32 node;
	__u64 reserved;
};

/*
 * PID-space calls (Documentation/process-space.md).  A moved process's
 * getppid, kill, wait and process-group calls are intercepted on its node
 * and, unless they can be answered there, carried out on the master by its
 * ghost, in user mode, as if the process had made them: with its
 * credentials, its parent, its children (ghosts or not), its process group
 * and session.
 *
 * struct bproc_msg_call - BPROC_MSG_CALL
 * @hdr:   bpmaster->kernel: a request, hdr.id != 0.  The reply
 *         (kernel->bpmaster): BPROC_MSGF_REPLY, the same id, hdr.result the
 *         call's return value (a PID, 0, or a negative errno; -ESRCH when
 *         @pid has no ghost).  A blocking wait is answered when a child
 *         changed state; a new request for the same process replaces one
 *         still waiting (that one is never answered).
 * @pid:   the process (its master PID).
 * @nr:    the x86-64 system call number of a call the ghost makes (else
 *         -EINVAL, at once): one of the BPROC_CALL_* below, i.e. a call
 *         that bproc_call() makes the ghost make as itself.
 * @args:  its arguments.  Pointer arguments only say whether the caller
 *         passed one (0: NULL): the ghost uses buffers of its own.
 * @cred:  request: the ids and capabilities the calling thread has on its
 *         node now (struct bproc_call_cred); the ghost makes the call with
 *         them, or answers -EPERM if it could not take them itself.  Reply:
 *         zero.
 * @data:  request: the siginfo of rt_sigqueueinfo / rt_tgsigqueueinfo
 *         (128 bytes; none for the other calls).  Reply: what the call
 *         wrote, struct bproc_call_out (only for wait4 and waitid).
 */
/**
 * struct bproc_call_cred - whose rights a PID-space call is made with
 * @uid, @euid, @suid:  the caller's user ids, as the node's initial user
 *                      namespace sees them (the cluster shares one id space).
 * @gid, @egid, @sgid:  its group ids, the same way.
 * @cap_permitted, @cap_effective: its capability sets (bit N: capability N).
 *
 * bpslave reads them from the calling thread, which waits in the call, so
 * they cannot change underneath.  The ghost takes them only as setresuid()
 * and setresgid() would let it (every new id one it has, or CAP_SETUID /
 * CAP_SETGID), and capabilities only as a subset of its own: a process
 * that dropped privilege on its node has dropped it on the master, one
 * that gained privilege there (a setuid program of the node's) gains
 * nothing here.  Supplementary groups are not carried: none of the calls
 * consults them.  Any id 0xffffffff, or a capability above CAP_LAST_CAP:
 * -EINVAL.
 */
struct bproc_call_cred {
	__u32 uid, euid, suid;
	__u32 gid, egid, sgid;
	__u64 cap_permitted;
	__u64 cap_effective;
};

struct bproc_msg_call {
	struct bproc_msg_hdr hdr;
	__s32 pid;
	__u32 nr;
	__u64 args[6];
	struct bproc_call_cred cred;
	__u8 data[];
};

/* The calls a ghost makes (x86-64 numbers). */
#define BPROC_CALL_FORK			57	/* answers the child's PID (a ghost too) */
#define BPROC_CALL_WAIT4		61
#define BPROC_CALL_KILL			62
#define BPROC_CALL_SETPGID		109
#define BPROC_CALL_GETPPID		110
#define BPROC_CALL_GETPGRP		111
#define BPROC_CALL_SETSID		112
#define BPROC_CALL_GETPGID		121
#define BPROC_CALL_GETSID		124
#define BPROC_CALL_RT_SIGQUEUEINFO	129
#define BPROC_CALL_TKILL		200
#define BPROC_CALL_TGKILL		234
#define BPROC_CALL_WAITID		247
#define BPROC_CALL_RT_TGSIGQUEUEINFO	297

#define BPROC_SIGINFO_SIZE	128
#define BPROC_RUSAGE_SIZE	144

/*
 * The PID-space calls, the one list of them: bproc_call() below.
 *
 * Every system call of a moved process that its node intercepts
 * (bpslave's seccomp filter sends it to bpslave), with what is done with
 * it.  For each call number @nr, bproc_call(@nr) is 0 (not such a call: the
 * node's own business; threads get node-local thread IDs) or
 * BPROC_CALL_ENTRY(ghost, kind, info):
 *
 * @ghost: the call the ghost makes on the master when the call is not
 *         answered on the node: @nr itself, or BPROC_CALL_FORK for every
 *         way of forking.  The kernel accepts in BPROC_MSG_CALL exactly the
 *         @nr whose @ghost is @nr (the BPROC_CALL_* above).
 * @kind:  BPROC_CALLK_*: when bpslave answers the call on the node instead
 *         ("local"), and how the ghost makes it:
 *   BPROC_CALLK_MASTER  never local: the master's process tree answers
 *                       (getppid, getpgrp, setsid);
 *   BPROC_CALLK_FORK    a fork: local only for a thread (CLONE_THREAD in
 *                       clone's flags; clone3 is not listed: on a node it
 *                       fails with ENOSYS, so that libc uses clone, whose
 *                       flags the filter can read in a register);
 *                       else the ghost forks and the node's child gets the
 *                       ghost's child's PID;
 *   BPROC_CALLK_WAIT    a wait: local when the caller has children on the
 *                       node that it may concern (waitid's P_PIDFD and
 *                       unknown idtypes too); else the ghost waits (with
 *                       WNOHANG, again at each SIGCHLD), and the reply
 *                       carries struct bproc_call_out;
 *   BPROC_CALLK_SIGNAL  local when the target PID (args[0] > 0) is a
 *                       process of the node; else the ghost sends it (a
 *                       process group, -1, a process elsewhere);
 *   BPROC_CALLK_GROUP   local when args[0] names another process of the
 *                       node that the master does not know (no ghost);
 *                       else the ghost's process groups and sessions.
 * @info:  the argument that points to a siginfo (the CALL carries its
 *         BPROC_SIGINFO_SIZE bytes in @data), or -1.
 *
 * bproc_call_ghost(), bproc_call_kind() and bproc_call_info_arg() take an
 * entry apart.  Call numbers are x86-64's, all below BPROC_CALL_NR_LIMIT;
 * BPROC_CALLS_NR calls are listed.  (One switch rather than an X-macro:
 * the kernel's checkpatch refuses macros made of statements.)
 */
#define BPROC_CALLK_MASTER	0
#define BPROC_CALLK_FORK	1
#define BPROC_CALLK_WAIT	2
#define BPROC_CALLK_SIGNAL	3
#define BPROC_CALLK_GROUP	4

/*
 * The forks that are not BPROC_CALL_FORK (the ghost makes a fork()), and
 * clone3, which a node refuses (ENOSYS).
 */
#define BPROC_NR_CLONE		56
#define BPROC_NR_VFORK		58
#define BPROC_NR_CLONE3		435

#define BPROC_CALLS_NR		16
#define BPROC_CALL_NR_LIMIT	512

#define BPROC_CALL_ENTRY(ghost, kind, info) \
	((__u32)(ghost) | (__u32)(kind) << 16 | (__u32)((info) + 1) << 24 | 0x80000000u)

static __inline__ __u32 bproc_call(__u32 nr)
{
	switch (nr) {
	case BPROC_NR_CLONE:
	case BPROC_CALL_FORK:
	case BPROC_NR_VFORK:
		return BPROC_CALL_ENTRY(BPROC_CALL_FORK, BPROC_CALLK_FORK, -1);
	case BPROC_CALL_WAIT4:
	case BPROC_CALL_WAITID:
		return BPROC_CALL_ENTRY(nr, BPROC_CALLK_WAIT, -1);
	case BPROC_CALL_KILL:
	case BPROC_CALL_TKILL:
	case BPROC_CALL_TGKILL:
		return BPROC_CALL_ENTRY(nr, BPROC_CALLK_SIGNAL, -1);
	case BPROC_CALL_RT_SIGQUEUEINFO:
		return BPROC_CALL_ENTRY(nr, BPROC_CALLK_SIGNAL, 2);
	case BPROC_CALL_RT_TGSIGQUEUEINFO:
		return BPROC_CALL_ENTRY(nr, BPROC_CALLK_SIGNAL, 3);
	case BPROC_CALL_SETPGID:
	case BPROC_CALL_GETPGID:
	case BPROC_CALL_GETSID:
		return BPROC_CALL_ENTRY(nr, BPROC_CALLK_GROUP, -1);
	case BPROC_CALL_GETPPID:
	case BPROC_CALL_GETPGRP:
	case BPROC_CALL_SETSID:
		return BPROC_CALL_ENTRY(nr, BPROC_CALLK_MASTER, -1);
	}
	return 0;
}

/* The call the ghost makes for call @nr, or -1 if @nr is not listed. */
static __inline__ int bproc_call_ghost(__u32 nr)
{
	__u32 e = bproc_call(nr);

	return e ? (int)(e & 0xffff) : -1;
}

/* The BPROC_CALLK_* of call @nr, or -1 if @nr is not listed. */
static __inline__ int bproc_call_kind(__u32 nr)
{
	__u32 e = bproc_call(nr);

	return e ? (int)(e >> 16 & 0xff) : -1;
}

/* The siginfo argument of call @nr, or -1 (none, or not listed). */
static __inline__ int bproc_call_info_arg(__u32 nr)
{
	__u32 e = bproc_call(nr);

	return e ? (int)(e >> 24 & 0x7f) - 1 : -1;
}

/* Does a ghost make call @nr (may a BPROC_MSG_CALL ask for it)? */
static __inline__ int bproc_call_ghost_makes(__u32 nr)
{
	return bproc_call_ghost(nr) == (int)nr;
}

/*
 * struct bproc_call_out - a CALL reply's data for wait4 and waitid
 * @status:  wait4's status.
 * @info:    waitid's siginfo.
 * @rusage:  the struct rusage of either, if one was asked for.
 */
struct bproc_call_out {
	__s32 status;
	__u32 pad;
	__u8 info[BPROC_SIGINFO_SIZE];
	__u8 rusage[BPROC_RUSAGE_SIZE];
};

/* ------------------------------------------------------------------ */
/* The control device: /dev/bproc/control (0666)                      */
/* ------------------------------------------------------------------ */

/*
 * Any user may open the control device; every ioctl checks the caller's
 * rights itself.  Unknown commands fail with -ENOTTY.
 */
#define BPROC_IOC_MAGIC		0xb9

/*
 * struct bproc_version - BPROC_IOC_VERSION (read)
 * @proto_major: protocol major of the loaded module.
 * @proto_minor: protocol minor of the loaded module.
 * @abi:         sizeof(struct bproc_version), so a caller can tell which
 *               fields the kernel filled.
 * @release:     BPROC_VERSION_STRING of the module, NUL-terminated.
 */
struct bproc_version {
	__u16 proto_major;
	__u16 proto_minor;
	__u32 abi;
	char release[24];
};

#define BPROC_IOC_VERSION	_IOR(BPROC_IOC_MAGIC, 0x01, struct bproc_version)

/*
 * BPROC_IOC_CURRNODE (read, a __s32): the node the caller runs on:
 * BPROC_NODE_MASTER on the master (and where no daemon has set up a node
 * table), else the node number.  Any user.  (Not the ioctl's return value:
 * BPROC_NODE_MASTER would read as -EPERM.)
 */
#define BPROC_IOC_CURRNODE	_IOR(BPROC_IOC_MAGIC, 0x02, __s32)

/*
 * struct bproc_node_access - BPROC_IOC_NODE_ACCESS (write)
 * @node:     the node, 0..numnodes-1.
 * @mode:     BPROC_X_OK (the only access there is).
 * @reserved: zero.
 *
 * May the caller place processes on @node?  The rule the kernel applies to
 * every placement: root (CAP_SYS_ADMIN) always; else any one of the node's
 * mode bits that applies: 0100 if the caller's effective uid owns the node,
 * 0010 if its effective gid or a supplementary group is the node's group,
 * 0001 for anyone.  Returns 0, or -EACCES, -ENODEV (no
 * such node), -EINVAL (mode, reserved).
 */
struct bproc_node_access {
	__s32 node;
	__u32 mode;
	__u64 reserved;
};

#define BPROC_IOC_NODE_ACCESS	_IOW(BPROC_IOC_MAGIC, 0x03, struct bproc_node_access)

/*
 * struct bproc_move_req - BPROC_IOC_MOVE (write)
 * @node:     the node to move the caller to (0..numnodes-1;
 *            BPROC_NODE_MASTER or SELF on the master: nothing to do).
 * @flags:    VMAD_DUMP_* (which read-only file mappings travel as data),
 *            and BPROC_MOVE_STDIN: the ghost also forwards what its
 *            descriptor 0 reads to the process's stdin (bpsh); without it
 *            the process's stdin is at end of file.
 * @io:       0, or a pointer to @nio struct bproc_move_io: descriptors
 * @nio:      the node opens for the process in place of the forwarded
 *            ones (0..BPROC_MOVE_IO_MAX; only for a move from the master).
 * @reserved: zero.
 *
 * Moves the calling process: it is dumped, sent through bpmaster and
 * restored on @node, where it continues: the ioctl returns 0 there.  A
 * process placed on a node by the master may move again: to another node
 * (through bpmaster) or back to the master (BPROC_NODE_MASTER), where it
 * continues in its ghost's task.  On the
 * master the caller becomes the process's ghost and does not return: it
 * forwards every signal it gets to the remote process, copies the remote
 * output to its own descriptors 1 and 2, and ends with the remote exit
 * status.  Errors (the caller continues unchanged): -EINVAL, -ENODEV (no
 * such node), -EHOSTDOWN (node not up), -EACCES (node mode), -ENOTCONN (no
 * bpmaster or bpslave), -EBUSY (multi-threaded or traced), -EOPNOTSUPP
 * (on a node: the caller was not placed there by the master), the
 * restore's error at the destination.
 */
struct bproc_move_req {
	__s32 node;
	__u32 flags;
	__u64 io;
	__u32 nio;
	__u32 reserved;
};

#define BPROC_MOVE_STDIN	0x10000

#define BPROC_IOC_MOVE		_IOW(BPROC_IOC_MAGIC, 0x20, struct bproc_move_req)

/*
 * BPROC_IOC_EXECMOVE (write, struct bproc_move_req): arm the caller so that
 * its next successful execve() moves it to @node before the new program
 * runs (bproc_execmove()); @node BPROC_NODE_NONE disarms (after a failed
 * execve).  The node and the caller's right to it are checked when arming
 * (-ENODEV, -EHOSTDOWN, -EACCES); a move that fails after the exec kills
 * the new program (SIGKILL, with a log line).  -EOPNOTSUPP: the kernel's
 * exec tracepoint could not be hooked, or the caller is not on the master.
 */
#define BPROC_IOC_EXECMOVE	_IOW(BPROC_IOC_MAGIC, 0x21, struct bproc_move_req)

/*
 * BPROC_IOC_GHOST: internal.  A ghost that stopped re-enters its loop with
 * this ioctl (on a descriptor of its own) when it is continued.  On any
 * other process it kills the caller.
 */
#define BPROC_IOC_GHOST		_IO(BPROC_IOC_MAGIC, 0x22)

/*
 * BPROC_IOC_GHOST_CALLRET: internal.  A ghost that made a call in user mode
 * (BPROC_MSG_CALL) comes back with its result as the argument.  On any
 * other process it kills the caller.  (0x23 is BPROC_IOC_RETURN.)
 */
#define BPROC_IOC_GHOST_CALLRET	_IO(BPROC_IOC_MAGIC, 0x24)

/*
 * VMADump (Documentation/image-format.md; the format is <linux/bproc_image.h>).
 *
 * struct bproc_dump_req - BPROC_IOC_VMADUMP (read/write)
 * @fd:       in: descriptor the caller's image is written to (file, pipe,
 *            socket; written sequentially, never seeked).
 * @flags:    in: VMAD_DUMP_* (which classes of read-only file mappings are
 *            sent as data instead of as references); other bits -EINVAL.
 * @written:  out: bytes written, in the process that dumped.
 * @reserved: zero.
 *
 * Dumps the calling process.  Returns 1 in the caller once the whole image
 * is written, and 0 in a process restored from that image (the image holds
 * the registers of this very ioctl with 0 as its return value), so that
 * libbproc's bproc_vmadump() can return the byte count, or 0, like fork().
 * Errors: -EINVAL (flags, reserved), -EBADF, -EBUSY (multi-threaded, or
 * ptraced: refused, never a broken image), -EFAULT, the write's errno.
 */
struct bproc_dump_req {
	__s32 fd;
	__u32 flags;
	__u64 written;
	__u64 reserved[2];
};

#define BPROC_IOC_VMADUMP	_IOWR(BPROC_IOC_MAGIC, 0x10, struct bproc_dump_req)

/*
 * struct bproc_undump_req - BPROC_IOC_VMAUNDUMP (write)
 * @fd:         descriptor the image's page data is read from, sequentially,
 *              starting right after the prefix.
 * @flags:      BPROC_UNDUMP_CLOSEFDS or 0; other bits -EINVAL.
 * @prefix:     user address of the image's whole prefix (everything before
 *              vmad_header.prefix_size), which the caller has already read
 *              from @fd: user space needs it first anyway (to move the vDSO
 *              to the image's address before the call), and a pipe cannot
 *              be rewound.  The kernel copies and validates it again.
 * @prefix_len: its length; must equal the header's prefix_size.
 * @reserved:   zero.
 *
 * Replaces the calling process with the image, like execve().  Does not
 * return on success: the restored process continues where the image was
 * taken.  Before the point of no return every error returns -1/errno and
 * leaves the caller as it was: -EINVAL (a bad request or image), -ENOEXEC
 * (not an image for this architecture), -EOPNOTSUPP (newer format),
 * -E2BIG (over a limit), -EBADMSG (checksum), -ESTALE (a referenced file
 * differs from the one dumped), -ENOENT (a referenced file is missing),
 * -EBUSY (the caller is multi-threaded).  After it, damage (a page-data
 * checksum, a short read) kills the caller with SIGKILL and a log line.
 */
struct bproc_undump_req {
	__s32 fd;
	__u32 flags;
	__u64 prefix;
	__u64 prefix_len;
	__u64 reserved[2];
};

/*
 * After a successful restore, close every descriptor but 0, 1 and 2 (the
 * image's @fd too), as an exec would with all of them close-on-exec: the
 * restorer (bpslave) sees a pipe's end of file when the restore is done.
 */
#define BPROC_UNDUMP_CLOSEFDS	0x1

#define BPROC_IOC_VMAUNDUMP	_IOW(BPROC_IOC_MAGIC, 0x11, struct bproc_undump_req)

/* ------------------------------------------------------------------ */
/* Size pins                                                          */
/* ------------------------------------------------------------------ */
#define BPROC_MSG_HDR_SIZE	32
#define BPROC_MSG_HELLO_SIZE	48
#define BPROC_VERSION_SIZE	32
#define BPROC_DUMP_REQ_SIZE	32
#define BPROC_UNDUMP_REQ_SIZE	40
#define BPROC_MSG_NODES_SIZE	48
#define BPROC_NODE_ENTRY_SIZE	32
#define BPROC_MSG_NODE_SET_SIZE	40
#define BPROC_MSG_NODE_REQ_SIZE	48
#define BPROC_NODE_ACCESS_SIZE	16
#define BPROC_MSG_MOVE_SIZE	88
#define BPROC_MSG_IMAGE_SIZE	48
#define BPROC_MSG_SIGNAL_SIZE	48
#define BPROC_MSG_EXIT_SIZE	48
#define BPROC_MSG_IO_SIZE	48
#define BPROC_MOVE_REQ_SIZE	24
#define BPROC_MOVE_IO_SIZE	296
#define BPROC_MSG_PSTATE_SIZE	48
#define BPROC_RETURN_REQ_SIZE	32
#define BPROC_MSG_ARRIVED_SIZE	48
#define BPROC_MSG_WHERE_SIZE	48
#define BPROC_MSG_CALL_SIZE	128
#define BPROC_CALL_CRED_SIZE	40
#define BPROC_CALL_OUT_SIZE	280

#ifndef __KERNEL__
_Static_assert(sizeof(struct bproc_msg_hdr) == BPROC_MSG_HDR_SIZE, "bproc_msg_hdr size");
_Static_assert(sizeof(struct bproc_msg_hello) == BPROC_MSG_HELLO_SIZE, "bproc_msg_hello size");
_Static_assert(sizeof(struct bproc_version) == BPROC_VERSION_SIZE, "bproc_version size");
_Static_assert(sizeof(struct bproc_dump_req) == BPROC_DUMP_REQ_SIZE, "bproc_dump_req size");
_Static_assert(sizeof(struct bproc_undump_req) == BPROC_UNDUMP_REQ_SIZE, "bproc_undump_req size");
_Static_assert(sizeof(struct bproc_msg_nodes) == BPROC_MSG_NODES_SIZE, "bproc_msg_nodes size");
_Static_assert(sizeof(struct bproc_node_entry) == BPROC_NODE_ENTRY_SIZE, "bproc_node_entry size");
_Static_assert(sizeof(struct bproc_msg_node_set) == BPROC_MSG_NODE_SET_SIZE,
	       "bproc_msg_node_set size");
_Static_assert(sizeof(struct bproc_msg_node_req) == BPROC_MSG_NODE_REQ_SIZE,
	       "bproc_msg_node_req size");
_Static_assert(sizeof(struct bproc_node_access) == BPROC_NODE_ACCESS_SIZE,
	       "bproc_node_access size");
_Static_assert(sizeof(struct bproc_msg_move) == BPROC_MSG_MOVE_SIZE, "bproc_msg_move size");
_Static_assert(sizeof(struct bproc_msg_image) == BPROC_MSG_IMAGE_SIZE, "bproc_msg_image size");
_Static_assert(sizeof(struct bproc_msg_signal) == BPROC_MSG_SIGNAL_SIZE, "bproc_msg_signal size");
_Static_assert(sizeof(struct bproc_msg_exit) == BPROC_MSG_EXIT_SIZE, "bproc_msg_exit size");
_Static_assert(sizeof(struct bproc_msg_io) == BPROC_MSG_IO_SIZE, "bproc_msg_io size");
_Static_assert(sizeof(struct bproc_move_req) == BPROC_MOVE_REQ_SIZE, "bproc_move_req size");
_Static_assert(sizeof(struct bproc_move_io) == BPROC_MOVE_IO_SIZE, "bproc_move_io size");
_Static_assert(sizeof(struct bproc_msg_pstate) == BPROC_MSG_PSTATE_SIZE,
	       "bproc_msg_pstate size");
_Static_assert(sizeof(struct bproc_return_req) == BPROC_RETURN_REQ_SIZE,
	       "bproc_return_req size");
_Static_assert(sizeof(struct bproc_msg_arrived) == BPROC_MSG_ARRIVED_SIZE,
	       "bproc_msg_arrived size");
_Static_assert(sizeof(struct bproc_msg_where) == BPROC_MSG_WHERE_SIZE,
	       "bproc_msg_where size");
_Static_assert(sizeof(struct bproc_call_cred) == BPROC_CALL_CRED_SIZE,
	       "bproc_call_cred size");
_Static_assert(sizeof(struct bproc_msg_call) == BPROC_MSG_CALL_SIZE,
	       "bproc_msg_call size");
_Static_assert(sizeof(struct bproc_call_out) == BPROC_CALL_OUT_SIZE,
	       "bproc_call_out size");
#endif

#endif /* _UAPI_LINUX_BPROC_H */
