// SPDX-License-Identifier: GPL-2.0
/*
 * This node's kernel: the session of /dev/bproc/slave.  The kernel tells
 * of processes moving on (MOVE, then IMAGE pieces) and of every end in the
 * node's namespace (EXIT); each message type has its handler and its size
 * in one table, checked before a field is read.
 */
#include <errno.h>
#include <string.h>

#include "bpslave.h"

static const struct kmsg_handler {
	uint16_t type;
	size_t len;		/* its size... */
	bool more;		/* ...or at least that (data follows) */
	int (*fn)(struct session *s, const void *msg, size_t len);
} kmsg_table[] = {
	{ BPROC_MSG_MOVE, sizeof(struct bproc_msg_move), false, kernel_leave },
	{ BPROC_MSG_EXIT, sizeof(struct bproc_msg_exit), false, kernel_exit },
	{ BPROC_MSG_IMAGE, sizeof(struct bproc_msg_image), true, kernel_image },
};

static const struct kmsg_handler *kmsg_handler(const struct bproc_msg_hdr *hdr,
					       size_t n)
{
	for (size_t i = 0; i < sizeof(kmsg_table) / sizeof(kmsg_table[0]); i++) {
		const struct kmsg_handler *h = &kmsg_table[i];

		if (h->type == hdr->type)
			return (n == h->len || (h->more && n > h->len)) ? h : NULL;
	}
	return NULL;
}

/* Messages from this node's kernel, as many as the master's link takes now. */
int kernel_input(struct session *s)
{
	static unsigned char buf[BPROC_MSG_MAX];
	const struct bproc_msg_hdr *hdr = (const void *)buf;
	const struct kmsg_handler *h;
	ssize_t n;
	int err = 0;

	while (!err && s->c.out_len < OUT_BUSY) {
		n = bpd_kdev_read(s->kfd, buf);
		if (n == -EAGAIN)
			return 0;
		if (n < 0) {
			bpd_err("reading " SLAVE_DEV ": %s", strerror((int)-n));
			return (int)n;
		}
		h = kmsg_handler(hdr, (size_t)n);
		if (h)
			err = h->fn(s, buf, (size_t)n);
		else
			bpd_warn("unexpected message %u from the kernel", hdr->type);
	}
	return err;
}

void kernel_move_reply(struct session *s, uint64_t id, int pid, int dst,
		       int result)
{
	struct bproc_msg_move k;
	int err;

	memset(&k, 0, sizeof(k));
	k.hdr.len = sizeof(k);
	k.hdr.type = BPROC_MSG_MOVE;
	k.hdr.flags = BPROC_MSGF_REPLY;
	k.hdr.id = id;
	k.hdr.result = result;
	k.hdr.src = dst;
	k.hdr.dst = s->node;
	k.pid = pid;
	k.node = dst;
	err = bpd_kdev_write(s->kfd, &k, sizeof(k));
	if (err)
		bpd_warn("cannot answer the kernel's move of %d: %s", pid,
			 strerror(-err));
}
