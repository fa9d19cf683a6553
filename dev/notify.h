/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dev/notify.c: every kernel->daemon message is built here.
 *
 * The functions without a session argument go to bpmaster's session, if
 * there is one (best effort: with no bpmaster, or no memory, the message
 * is not sent).  Those with one go to that session (a reference the caller
 * holds: bproc_master_get(), bproc_daemon_get()).
 */
#ifndef BPROC_DEV_NOTIFY_H
#define BPROC_DEV_NOTIFY_H

#include <linux/types.h>

struct bproc_chan;
struct bproc_move_io;
struct bproc_node_entry;

/* Image data queued on a session before a mover waits for the daemon. */
#define BPROC_NOTIFY_IMAGE_QUEUE	(1024 * 1024)

/* HELLO, the reply to the daemon's HELLO @id.  0 or -ENOMEM. */
int bproc_notify_hello(struct bproc_chan *ch, u64 id);
/* NODE_REQ @id: bpmaster is to act on @node (BPROC_NODE_REQ_* @what, @arg). */
int bproc_notify_node_req(struct bproc_chan *ch, u64 id, int node, u32 what,
			  u32 arg);
/* NODE_SET: a node's owner changed. */
void bproc_notify_node_owner(const struct bproc_node_entry *entry);

/*
 * MOVE @id: the calling process, @pid to the cluster, moves to @node with
 * VMAD_DUMP_* @flags; @nio entries @io (may be NULL) are for the node to
 * open.  0 or -ENOMEM.
 */
int bproc_notify_move(struct bproc_chan *ch, u64 id, int pid, int node,
		      u32 flags, const struct bproc_move_io *io, u32 nio);
/*
 * IMAGE @id: @len bytes at @offset of @pid's image; @last marks the end.
 * Waits (killable) while BPROC_NOTIFY_IMAGE_QUEUE bytes are queued.  0,
 * -ENOMEM, -EINTR, or -ECONNRESET (the session ended).
 */
int bproc_notify_image(struct bproc_chan *ch, u64 id, int pid, u64 offset,
		       const void *data, size_t len, bool last);

/* SIGNAL: forward @sig to remote process @pid on @node. */
void bproc_notify_signal(int pid, int node, int sig);
/* IO stream 0: @len bytes of stdin for @pid on @node (none: end of file). */
void bproc_notify_stdin(int pid, int node, const void *data, size_t len);
/* CALL reply to @id: @pid's call @nr returned @result (@out, @olen bytes). */
void bproc_notify_call_reply(int pid, u32 nr, u64 id, long result,
			     const void *out, size_t olen);
/* ARRIVED @id: @pid's return ended with @result; @lost: its ghost too. */
void bproc_notify_arrived(int pid, u64 id, int result, bool lost);
/* EXIT (to bpslave): process @pid of the node's namespace ended, @status. */
void bproc_notify_exit(struct bproc_chan *ch, int pid, int status);

#endif /* BPROC_DEV_NOTIFY_H */
