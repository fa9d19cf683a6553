// SPDX-License-Identifier: GPL-2.0
/*
 * A slave's frames, dispatched through frame_table: each type a slave may
 * send, the session states (enum slave_state) in which it is legal, and
 * its handler.  Lengths and field ranges were checked by bpwire_rx_next()
 * (common/bpwire.c) against the frame's type before it gets here; a
 * handler checks what only bpmaster knows (is that process there?).  A
 * handler returns false if the connection must close.
 */
#include "bpmaster.h"

#define ST(x)		(1u << (x))
/* No node yet: only HELLO (a refused slave may try again, as ever). */
#define ST_HELLO	(ST(SLAVE_NEW) | ST(SLAVE_REFUSED))
/* A node, whether it is ready or saying goodbye. */
#define ST_NODE		(ST(SLAVE_BOOT) | ST(SLAVE_READY) | ST(SLAVE_LEAVING))

static bool frame_hello(struct slave *s, const struct bpwire_msg *m)
{
	slave_hello(s, m);
	return true;
}

static bool frame_ready(struct slave *s, const struct bpwire_msg *m)
{
	(void)m;
	if (s->state != SLAVE_BOOT)
		return true;	/* said already, or leaving */
	s->state = SLAVE_READY;
	if (M.nodes[s->node].status == BPROC_STATUS_BOOT)
		set_status(s->node, BPROC_STATUS_UP, NULL);
	return true;
}

/* A line for the log and bpstat (a mount that failed). */
static bool frame_note(struct slave *s, const struct bpwire_msg *m)
{
	const struct bpwire_text *t = &m->u.note.text;

	bpd_warn("node %d: %.*s", s->node, (int)t->len, t->str);
	node_note(s->node, t->str, t->len);
	return true;
}

static bool frame_ping(struct slave *s, const struct bpwire_msg *m)
{
	struct bpwire_msg r;

	bpwire_reply_init(&r, BPWIRE_PONG, m);
	r.u.ping.timestamp = m->u.ping.timestamp;
	slave_send(s, &r);
	return true;
}

static bool frame_pong(struct slave *s, const struct bpwire_msg *m)
{
	(void)s;
	(void)m;
	return true;	/* last_heard is set for any frame */
}

static bool frame_bye(struct slave *s, const struct bpwire_msg *m)
{
	bpd_info("node %d: says goodbye: %.*s", s->node,
		 (int)m->u.bye.reason.len, m->u.bye.reason.str);
	return false;
}

static const struct frame_handler {
	uint16_t type;
	uint32_t states;
	bool (*fn)(struct slave *s, const struct bpwire_msg *m);
} frame_table[] = {
	{ BPWIRE_HELLO,		ST_HELLO,	frame_hello },
	{ BPWIRE_READY,		ST_NODE,	frame_ready },
	{ BPWIRE_NOTE,		ST_NODE,	frame_note },
	{ BPWIRE_PING,		ST_NODE,	frame_ping },
	{ BPWIRE_PONG,		ST_NODE,	frame_pong },
	{ BPWIRE_BYE,		ST_NODE,	frame_bye },
	{ BPWIRE_MOVE_RESULT,	ST_NODE,	slave_move_result },
	{ BPWIRE_MOVE,		ST_NODE,	slave_leave },
	{ BPWIRE_SIGNAL,	ST_NODE,	slave_signal },
	{ BPWIRE_CALL,		ST_NODE,	slave_call },
	{ BPWIRE_IMAGE,		ST_NODE,	slave_image },
	{ BPWIRE_EXIT,		ST_NODE,	slave_exit },
	{ BPWIRE_IO,		ST_NODE,	slave_io },
	{ BPWIRE_PSTATE,	ST_NODE,	slave_pstate },
	{ BPWIRE_FILE_STAT,	ST_NODE,	slave_file },
	{ BPWIRE_FILE_READ,	ST_NODE,	slave_file },
	{ BPWIRE_FILE_LIST,	ST_NODE,	slave_file },
};

bool slave_frame(struct slave *s, const struct bpwire_msg *m)
{
	const struct frame_handler *h = NULL;

	for (size_t i = 0; i < sizeof(frame_table) / sizeof(frame_table[0]); i++)
		if (frame_table[i].type == m->hdr.type)
			h = &frame_table[i];
	if (h && (h->states & ST(s->state)))
		return h->fn(s, m);
	if (s->node < 0)
		bpd_warn("%s: protocol error: %s before HELLO", s->c.peer,
			 bpwire_type_name(m->hdr.type));
	else if (m->hdr.type == BPWIRE_HELLO)
		bpd_warn("%s: protocol error: second HELLO", s->c.peer);
	else
		bpd_warn("%s: protocol error: unexpected %s", s->c.peer,
			 bpwire_type_name(m->hdr.type));
	return false;
}
