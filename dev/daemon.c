// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon devices and their protocol.
 *
 *   /dev/bproc/master  bpmaster's channel to the kernel; one holder at a time.
 *   /dev/bproc/slave   bpslave's channel; each open is one node's session.
 *
 * Both are dev/chan.c sessions; this file says what the messages mean.  A
 * daemon->kernel message is dispatched through bproc_msg_table, indexed by
 * message type (after OpenSSH's monitor mon_table): the table says on which
 * device and in which session state a type is legal and how long it must
 * be, so a handler only ever sees a message it may act on and can read
 * every field of its struct.
 *
 * Session rule: the first message must be a HELLO with our major protocol
 * version.  Anything else gets -EPROTO and a log line, and the session stays
 * un-greeted so the daemon can try again.  After a good HELLO the kernel
 * queues its own HELLO, the reply, for the daemon to read.
 * Documentation/protocol.md describes the protocol as built.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/bitops.h>
#include <linux/bproc.h>
#include <linux/errno.h>
#include <linux/miscdevice.h>
#include <linux/nospec.h>
#include <linux/string.h>

#include "internal.h"
#include "chan.h"

/* Where a type is legal: a mask of BIT(enum bproc_chan_kind). */
#define BPROC_ON_MASTER		BIT(BPROC_CHAN_MASTER)
#define BPROC_ON_SLAVE		BIT(BPROC_CHAN_SLAVE)
#define BPROC_ON_BOTH		(BPROC_ON_MASTER | BPROC_ON_SLAVE)

/* When a type is legal: a mask of BIT(enum bproc_chan_state). */
#define BPROC_IN_NEW		BIT(BPROC_CHAN_NEW)
#define BPROC_IN_READY		BIT(BPROC_CHAN_READY)

/**
 * struct bproc_msg_handler - how one daemon->kernel message type is handled
 * @name:      type name, for log lines.
 * @devices:   BPROC_ON_*: devices on which the type is legal.
 * @states:    BPROC_IN_*: session states in which the type is legal.  Only
 *             HELLO may be legal in BPROC_CHAN_NEW.
 * @bad_state: errno for the type in a greeted session whose state is not in
 *             @states (-EPROTO if 0).
 * @min_len:   bounds of hdr.len, header included.
 * @max_len:
 * @handle:    acts on the message; called with the session's write_mutex
 *             held.  Returns 0 or a negative errno for write() to return.
 */
struct bproc_msg_handler {
	const char *name;
	u8 devices;
	u8 states;
	int bad_state;
	u32 min_len;
	u32 max_len;
	int (*handle)(struct bproc_chan *ch, const struct bproc_msg_hdr *hdr);
};

/* ------------------------------------------------------------------ */
/* HELLO                                                              */
/* ------------------------------------------------------------------ */

static int bproc_msg_hello(struct bproc_chan *ch,
			   const struct bproc_msg_hdr *hdr)
{
	/* The table checked hdr->len == sizeof(*hello). */
	const struct bproc_msg_hello *hello = (const void *)hdr;
	struct bproc_msg_hello *reply;
	struct bproc_msg *msg;

	if (hdr->flags & BPROC_MSGF_REPLY) {
		bproc_chan_warn(ch, "protocol error: HELLO is marked as a reply\n");
		return -EPROTO;
	}
	if (memchr_inv(hello->reserved, 0, sizeof(hello->reserved))) {
		bproc_chan_dbg(ch, "HELLO with non-zero reserved fields\n");
		return -EINVAL;
	}
	if (hello->major != BPROC_PROTO_MAJOR) {
		bproc_chan_warn(ch, "protocol error: daemon speaks protocol %u.%u, kernel speaks %u.%u\n",
				hello->major, hello->minor,
				BPROC_PROTO_MAJOR, BPROC_PROTO_MINOR);
		return -EPROTO;
	}

	/* Allocate before the state changes, so -ENOMEM changes nothing. */
	msg = bproc_msg_alloc(BPROC_MSG_HELLO, sizeof(*reply), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	reply = bproc_msg_wire(msg);
	reply->hdr.flags = BPROC_MSGF_REPLY;
	reply->hdr.id = hdr->id;
	reply->hdr.src = BPROC_NODE_NONE;
	reply->hdr.dst = BPROC_NODE_NONE;
	reply->major = BPROC_PROTO_MAJOR;
	reply->minor = BPROC_PROTO_MINOR;

	ch->peer_major = hello->major;
	ch->peer_minor = hello->minor;
	ch->state = BPROC_CHAN_READY;
	bproc_chan_queue(ch, msg);

	bproc_chan_dbg(ch, "HELLO: daemon speaks protocol %u.%u\n",
		       hello->major, hello->minor);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                           */
/* ------------------------------------------------------------------ */

static const struct bproc_msg_handler bproc_msg_table[] = {
	[BPROC_MSG_HELLO] = {
		.name		= "HELLO",
		.devices	= BPROC_ON_BOTH,
		.states		= BPROC_IN_NEW,
		.bad_state	= -EALREADY,
		.min_len	= sizeof(struct bproc_msg_hello),
		.max_len	= sizeof(struct bproc_msg_hello),
		.handle		= bproc_msg_hello,
	},
};

/* The handler of @type on @ch's device, or NULL if there is none. */
static const struct bproc_msg_handler *
bproc_msg_lookup(struct bproc_chan *ch, u16 type)
{
	const struct bproc_msg_handler *h;

	if (type >= ARRAY_SIZE(bproc_msg_table))
		return NULL;
	/* @type comes from user space: no speculative out-of-bounds load. */
	h = &bproc_msg_table[array_index_nospec(type,
						ARRAY_SIZE(bproc_msg_table))];
	if (!h->handle || !(h->devices & BIT(ch->dev->kind)))
		return NULL;
	return h;
}

/* dev/chan.c calls this with ch->write_mutex held and the framing checked. */
static int bproc_daemon_dispatch(struct bproc_chan *ch,
				 const struct bproc_msg_hdr *hdr)
{
	const struct bproc_msg_handler *h = bproc_msg_lookup(ch, hdr->type);

	lockdep_assert_held(&ch->write_mutex);

	if (ch->state == BPROC_CHAN_NEW && (!h || !(h->states & BPROC_IN_NEW))) {
		bproc_chan_warn(ch, "protocol error: first message must be HELLO, got type %u\n",
				hdr->type);
		return -EPROTO;
	}
	if (!h) {
		bproc_chan_dbg(ch, "message type %u not supported here\n",
			       hdr->type);
		return -EOPNOTSUPP;
	}
	if (!(h->states & BIT(ch->state))) {
		bproc_chan_dbg(ch, "%s not allowed now\n", h->name);
		return h->bad_state ?: -EPROTO;
	}
	if (hdr->len < h->min_len || hdr->len > h->max_len) {
		bproc_chan_dbg(ch, "%s of %u bytes, must be %u..%u\n",
			       h->name, hdr->len, h->min_len, h->max_len);
		return -EINVAL;
	}
	return h->handle(ch, hdr);
}

/* ------------------------------------------------------------------ */
/* The devices                                                        */
/* ------------------------------------------------------------------ */

static struct bproc_chan_dev bproc_master_dev = {
	.misc = {
		.minor		= MISC_DYNAMIC_MINOR,
		.name		= "bproc_master",
		.nodename	= "bproc/master",
		.mode		= 0600,
		.fops		= &bproc_chan_fops,
	},
	.kind		= BPROC_CHAN_MASTER,
	.exclusive	= true,
	.dispatch	= bproc_daemon_dispatch,
};

static struct bproc_chan_dev bproc_slave_dev = {
	.misc = {
		.minor		= MISC_DYNAMIC_MINOR,
		.name		= "bproc_slave",
		.nodename	= "bproc/slave",
		.mode		= 0600,
		.fops		= &bproc_chan_fops,
	},
	.kind		= BPROC_CHAN_SLAVE,
	.exclusive	= false,
	.dispatch	= bproc_daemon_dispatch,
};

int __init bproc_daemon_init(void)
{
	int err;

	err = misc_register(&bproc_master_dev.misc);
	if (err) {
		pr_err("cannot register /dev/%s: %d\n",
		       bproc_master_dev.misc.nodename, err);
		return err;
	}
	err = misc_register(&bproc_slave_dev.misc);
	if (err) {
		pr_err("cannot register /dev/%s: %d\n",
		       bproc_slave_dev.misc.nodename, err);
		goto out_deregister_master;
	}
	return 0;

out_deregister_master:
	misc_deregister(&bproc_master_dev.misc);
	return err;
}

void bproc_daemon_exit(void)
{
	misc_deregister(&bproc_slave_dev.misc);
	misc_deregister(&bproc_master_dev.misc);
}
