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
#define BPROC_PROTO_MAJOR	1
#define BPROC_PROTO_MINOR	0

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
 * @flags:      zero (reserved for later use).
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

#define BPROC_IOC_VMAUNDUMP	_IOW(BPROC_IOC_MAGIC, 0x11, struct bproc_undump_req)

/* ------------------------------------------------------------------ */
/* Size pins                                                          */
/* ------------------------------------------------------------------ */
#define BPROC_MSG_HDR_SIZE	32
#define BPROC_MSG_HELLO_SIZE	48
#define BPROC_VERSION_SIZE	32
#define BPROC_DUMP_REQ_SIZE	32
#define BPROC_UNDUMP_REQ_SIZE	40

#ifndef __KERNEL__
_Static_assert(sizeof(struct bproc_msg_hdr) == BPROC_MSG_HDR_SIZE, "bproc_msg_hdr size");
_Static_assert(sizeof(struct bproc_msg_hello) == BPROC_MSG_HELLO_SIZE, "bproc_msg_hello size");
_Static_assert(sizeof(struct bproc_version) == BPROC_VERSION_SIZE, "bproc_version size");
_Static_assert(sizeof(struct bproc_dump_req) == BPROC_DUMP_REQ_SIZE, "bproc_dump_req size");
_Static_assert(sizeof(struct bproc_undump_req) == BPROC_UNDUMP_REQ_SIZE, "bproc_undump_req size");
#endif

#endif /* _UAPI_LINUX_BPROC_H */
