// SPDX-License-Identifier: GPL-2.0
/*
 * bpmaster's dispatch of a slave's frames (cmd/bpmaster/frame.c): which
 * frame is legal in which session state, and what the small handlers of
 * the session itself do.  The process handlers are fakes that count.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "bpmaster/bpmaster.h"

struct master M;
static struct node nodes[2];
static struct slave sl;

static uint16_t handled;	/* type of the last frame a fake handled */
static int hellos, statuses, sent;
static uint32_t last_status;
static uint16_t last_sent;

void slave_hello(struct slave *s, const struct bpwire_msg *m)
{
	(void)m;
	hellos++;
	s->node = 0;
	s->state = SLAVE_BOOT;
}

void set_status(int nr, uint32_t status, const char *why)
{
	(void)why;
	statuses++;
	last_status = status;
	M.nodes[nr].status = status;
}

static int notes;
static char last_note[BPWIRE_TEXT_MAX + 1];

void node_note(int nr, const char *text, size_t len)
{
	assert_int_equal(nr, 0);
	notes++;
	snprintf(last_note, sizeof(last_note), "%.*s", (int)len, text ? text : "");
}

int slave_send(struct slave *s, const struct bpwire_msg *m)
{
	(void)s;
	sent++;
	last_sent = m->hdr.type;
	return 0;
}

#define FAKE(name)							\
	bool name(struct slave *s, const struct bpwire_msg *m)		\
	{								\
		(void)s;						\
		handled = m->hdr.type;					\
		return true;						\
	}
FAKE(slave_move_result)
FAKE(slave_leave)
FAKE(slave_signal)
FAKE(slave_call)
FAKE(slave_image)
FAKE(slave_exit)
FAKE(slave_io)
FAKE(slave_pstate)
FAKE(slave_file)

static int setup(void **state)
{
	(void)state;
	memset(&M, 0, sizeof(M));
	memset(nodes, 0, sizeof(nodes));
	memset(&sl, 0, sizeof(sl));
	M.nodes = nodes;
	M.cfg.numnodes = 2;
	sl.node = BPROC_NODE_NONE;
	sl.state = SLAVE_NEW;
	strcpy(sl.c.peer, "10.0.0.1:1000");
	handled = 0;
	hellos = statuses = sent = notes = 0;
	return 0;
}

static bool frame(uint16_t type)
{
	struct bpwire_msg m;

	bpwire_init(&m, type, 1, 0, BPROC_NODE_MASTER);
	return slave_frame(&sl, &m);
}

/* As frame_hello leaves it, or READY. */
static void session(enum slave_state st)
{
	sl.node = 0;
	sl.state = st;
	nodes[0].status = st == SLAVE_BOOT ? BPROC_STATUS_BOOT : BPROC_STATUS_UP;
}

static void only_hello_is_legal_before_hello(void **state)
{
	static const uint16_t others[] = {
		BPWIRE_READY, BPWIRE_PING, BPWIRE_PONG, BPWIRE_BYE,
		BPWIRE_MOVE, BPWIRE_IMAGE, BPWIRE_EXIT, BPWIRE_SIGNAL,
		BPWIRE_IO, BPWIRE_CALL, BPWIRE_PSTATE, BPWIRE_MOVE_RESULT,
		BPWIRE_WELCOME, BPWIRE_NODES, BPWIRE_FILE_STAT, BPWIRE_FILE_READ,
		BPWIRE_FILE_LIST, BPWIRE_NOTE,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		assert_false(frame(others[i]));
	assert_int_equal(handled, 0);
	assert_true(frame(BPWIRE_HELLO));
	assert_int_equal(hellos, 1);
	assert_int_equal(sl.state, SLAVE_BOOT);
}

static void refused_slave_may_say_hello_again(void **state)
{
	(void)state;
	sl.state = SLAVE_REFUSED;
	assert_false(frame(BPWIRE_EXIT));
	assert_true(frame(BPWIRE_HELLO));
	assert_int_equal(hellos, 1);
}

static void second_hello_closes_the_connection(void **state)
{
	(void)state;
	session(SLAVE_READY);
	assert_false(frame(BPWIRE_HELLO));
	assert_int_equal(hellos, 0);
}

static void ready_brings_a_booting_node_up_once(void **state)
{
	(void)state;
	session(SLAVE_BOOT);
	assert_true(frame(BPWIRE_READY));
	assert_int_equal(sl.state, SLAVE_READY);
	assert_int_equal(statuses, 1);
	assert_int_equal(last_status, BPROC_STATUS_UP);
	assert_true(frame(BPWIRE_READY));
	assert_int_equal(statuses, 1);
}

static void ready_after_goodbye_changes_nothing(void **state)
{
	(void)state;
	session(SLAVE_LEAVING);
	nodes[0].status = BPROC_STATUS_REBOOT;
	assert_true(frame(BPWIRE_READY));
	assert_int_equal(sl.state, SLAVE_LEAVING);
	assert_int_equal(statuses, 0);
}

static void a_note_is_kept_for_its_node(void **state)
{
	struct bpwire_msg m;

	(void)state;
	session(SLAVE_BOOT);
	bpwire_init(&m, BPWIRE_NOTE, 0, 0, BPROC_NODE_MASTER);
	m.u.note.text.str = "mount master:/home on /home (nfs): Permission denied";
	m.u.note.text.len = (uint16_t)strlen(m.u.note.text.str);
	assert_true(slave_frame(&sl, &m));
	assert_int_equal(notes, 1);
	assert_string_equal(last_note, m.u.note.text.str);
	assert_int_equal(sl.state, SLAVE_BOOT);	/* not READY by itself */
}

static void ping_is_answered_with_pong(void **state)
{
	(void)state;
	session(SLAVE_BOOT);
	assert_true(frame(BPWIRE_PING));
	assert_int_equal(sent, 1);
	assert_int_equal(last_sent, BPWIRE_PONG);
	assert_true(frame(BPWIRE_PONG));
	assert_int_equal(sent, 1);
}

static void bye_closes_the_connection(void **state)
{
	(void)state;
	session(SLAVE_READY);
	assert_false(frame(BPWIRE_BYE));
}

static void process_frames_go_to_their_handlers_in_session(void **state)
{
	static const uint16_t types[] = {
		BPWIRE_MOVE, BPWIRE_IMAGE, BPWIRE_EXIT, BPWIRE_SIGNAL,
		BPWIRE_IO, BPWIRE_CALL, BPWIRE_PSTATE, BPWIRE_MOVE_RESULT,
	};
	static const enum slave_state states[] = {
		SLAVE_BOOT, SLAVE_READY, SLAVE_LEAVING,
	};

	(void)state;
	for (size_t j = 0; j < sizeof(states) / sizeof(states[0]); j++) {
		session(states[j]);
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
			handled = 0;
			assert_true(frame(types[i]));
			assert_int_equal(handled, types[i]);
		}
	}
}

static void frames_a_slave_never_sends_close_the_connection(void **state)
{
	(void)state;
	session(SLAVE_READY);
	assert_false(frame(BPWIRE_WELCOME));
	assert_false(frame(BPWIRE_NODES));
	assert_false(frame(BPWIRE_CALL_RESULT));
	assert_false(frame(0x7777));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup(f, setup)
		T(only_hello_is_legal_before_hello),
		T(refused_slave_may_say_hello_again),
		T(second_hello_closes_the_connection),
		T(ready_brings_a_booting_node_up_once),
		T(ready_after_goodbye_changes_nothing),
		T(ping_is_answered_with_pong),
		T(a_note_is_kept_for_its_node),
		T(bye_closes_the_connection),
		T(process_frames_go_to_their_handlers_in_session),
		T(frames_a_slave_never_sends_close_the_connection),
#undef T
	};

	bpd_log_init("test_bpmaster_frame", true, 0);
	return cmocka_run_group_tests_name("bpmaster_frame", tests, NULL, NULL);
}
