// SPDX-License-Identifier: GPL-2.0
/*
 * bpslave's process table (cmd/bpslave/proc.c): records found by PID and
 * by transit id through their hashes, across growth and removal, the
 * list for the poll loop, and the hold a departed process puts on the
 * master's frames.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bpslave.h"

#define MANY	5000

static int teardown(void **state)
{
	struct sproc *sp;

	(void)state;
	while ((sp = sproc_first()))
		sproc_free(sp);
	return 0;
}

static void new_record_is_found_by_pid(void **state)
{
	struct sproc *sp = sproc_new(1234, SPROC_ARRIVING);

	(void)state;
	assert_non_null(sp);
	assert_int_equal(sp->pid, 1234);
	assert_int_equal(sp->state, SPROC_ARRIVING);
	assert_false(sp->forked);
	assert_int_equal(sp->in, -1);
	assert_int_equal(sp->out[1], -1);
	assert_int_equal(sp->out[2], -1);
	assert_int_equal(sp->t.img, -1);
	assert_ptr_equal(sproc_by_pid(1234), sp);
	assert_null(sproc_by_pid(1235));
	assert_int_equal(sproc_count(), 1);
}

static void many_inserted_all_found_then_removed(void **state)
{
	static struct sproc *rec[MANY + 2];
	size_t n = 0;
	int pid;

	(void)state;
	/* PIDs spread like real ones, some in the same buckets. */
	for (pid = 2; pid < MANY + 2; pid++) {
		rec[pid] = sproc_new(pid * 64 + 7, SPROC_RUNNING);
		assert_non_null(rec[pid]);
	}
	assert_int_equal(sproc_count(), MANY);
	for (pid = 2; pid < MANY + 2; pid++)
		assert_ptr_equal(sproc_by_pid(pid * 64 + 7), rec[pid]);
	assert_null(sproc_by_pid(8));
	/* Every other one goes. */
	for (pid = 2; pid < MANY + 2; pid += 2)
		sproc_free(rec[pid]);
	assert_int_equal(sproc_count(), MANY / 2);
	for (pid = 2; pid < MANY + 2; pid++) {
		if (pid % 2)
			assert_ptr_equal(sproc_by_pid(pid * 64 + 7), rec[pid]);
		else
			assert_null(sproc_by_pid(pid * 64 + 7));
	}
	/* The list holds exactly those left. */
	for (struct sproc *sp = sproc_first(); sp; sp = sproc_next(sp)) {
		assert_int_equal((sp->pid - 7) / 64 % 2, 1);
		n++;
	}
	assert_int_equal(n, MANY / 2);
}

static void list_is_newest_first(void **state)
{
	struct sproc *a = sproc_new(10, SPROC_RUNNING);
	struct sproc *b = sproc_new(11, SPROC_RUNNING);
	struct sproc *c = sproc_new(12, SPROC_RUNNING);

	(void)state;
	assert_ptr_equal(sproc_first(), c);
	assert_ptr_equal(sproc_next(c), b);
	assert_ptr_equal(sproc_next(b), a);
	assert_null(sproc_next(a));
	sproc_free(b);
	assert_ptr_equal(sproc_next(c), a);
	sproc_free(c);
	assert_ptr_equal(sproc_first(), a);
}

static void transit_id_finds_arriving_and_leaving_apart(void **state)
{
	struct sproc *in = sproc_new(20, SPROC_ARRIVING);
	struct sproc *out = sproc_new(21, SPROC_RUNNING);

	(void)state;
	sproc_set_transit(in, 77);
	assert_ptr_equal(sproc_by_transit(77, false), in);
	assert_null(sproc_by_transit(77, true));
	/* The kernel's id may equal the master's: the states tell them apart. */
	sproc_set_state(out, SPROC_LEAVING);
	sproc_set_transit(out, 77);
	assert_ptr_equal(sproc_by_transit(77, false), in);
	assert_ptr_equal(sproc_by_transit(77, true), out);
	sproc_set_state(out, SPROC_LEAVING_ENDED);
	assert_ptr_equal(sproc_by_transit(77, true), out);
	/* Cleared: found no more. */
	sproc_set_transit(in, 0);
	assert_null(sproc_by_transit(77, false));
	assert_ptr_equal(sproc_by_transit(77, true), out);
	assert_null(sproc_by_transit(0, false));
	/* Freed with an id: found no more. */
	sproc_free(out);
	assert_null(sproc_by_transit(77, true));
}

static void transit_ids_survive_growth(void **state)
{
	int pid;

	(void)state;
	for (pid = 2; pid < MANY + 2; pid++) {
		struct sproc *sp = sproc_new(pid, SPROC_ARRIVING);

		assert_non_null(sp);
		sproc_set_transit(sp, (uint64_t)pid << 33 | 5);
	}
	for (pid = 2; pid < MANY + 2; pid++) {
		struct sproc *sp = sproc_by_transit((uint64_t)pid << 33 | 5, false);

		assert_non_null(sp);
		assert_int_equal(sp->pid, pid);
	}
	/* A new id replaces the old one. */
	sproc_set_transit(sproc_by_pid(9), 3);
	assert_null(sproc_by_transit((uint64_t)9 << 33 | 5, false));
	assert_int_equal(sproc_by_transit(3, false)->pid, 9);
}

static void left_process_holds_frames_until_released(void **state)
{
	struct sproc *sp = sproc_new(30, SPROC_RUNNING);

	(void)state;
	assert_false(sproc_held());
	assert_null(sproc_holding());
	/* Only a process that left holds. */
	sproc_hold(sp, 1000);
	assert_false(sproc_held());
	sproc_set_state(sp, SPROC_LEFT);
	sproc_hold(sp, 1000);
	assert_true(sproc_held());
	assert_ptr_equal(sproc_holding(), sp);
	assert_int_equal(sp->t.hold_until, 1000);
	/* Its deadline passed: no more. */
	sproc_hold(sp, 0);
	assert_false(sproc_held());
	assert_null(sproc_holding());
}

static void reaping_a_left_process_releases_its_hold(void **state)
{
	struct sproc *sp = sproc_new(31, SPROC_RUNNING), *o = sproc_new(32, SPROC_RUNNING);

	(void)state;
	sproc_set_state(sp, SPROC_LEFT);
	sproc_hold(sp, 5000);
	sproc_hold(sp, 6000);	/* (counted once) */
	assert_true(sproc_held());
	sproc_free(o);
	assert_true(sproc_held());
	sproc_free(sp);
	assert_false(sproc_held());
	assert_null(sproc_holding());
}

static void free_closes_descriptors(void **state)
{
	struct sproc *sp = sproc_new(40, SPROC_RUNNING);
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	sp->out[1] = p[0];
	sproc_free(sp);
	/* The read end is closed: writing finds no reader. */
	signal(SIGPIPE, SIG_IGN);
	assert_int_equal(write(p[1], "x", 1), -1);
	close(p[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(new_record_is_found_by_pid, teardown),
		cmocka_unit_test_teardown(many_inserted_all_found_then_removed, teardown),
		cmocka_unit_test_teardown(list_is_newest_first, teardown),
		cmocka_unit_test_teardown(transit_id_finds_arriving_and_leaving_apart, teardown),
		cmocka_unit_test_teardown(transit_ids_survive_growth, teardown),
		cmocka_unit_test_teardown(left_process_holds_frames_until_released, teardown),
		cmocka_unit_test_teardown(reaping_a_left_process_releases_its_hold, teardown),
		cmocka_unit_test_teardown(free_closes_descriptors, teardown),
	};

	return cmocka_run_group_tests_name("bpslave_proc", tests, NULL, NULL);
}
