// SPDX-License-Identifier: GPL-2.0
/*
 * The PID-space call table (bproc_call() in <linux/bproc.h>): the calls it
 * lists are this machine's system calls, each with the call its ghost
 * makes, its kind and its siginfo argument, and nothing else is listed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <cmocka.h>

#include <linux/bproc.h>

static const struct {
	const char *name;
	long nr;
	int ghost;
	int kind;
	int info;
} table[] = {
	{ "clone", SYS_clone, BPROC_CALL_FORK, BPROC_CALLK_FORK, -1 },
	{ "fork", SYS_fork, BPROC_CALL_FORK, BPROC_CALLK_FORK, -1 },
	{ "vfork", SYS_vfork, BPROC_CALL_FORK, BPROC_CALLK_FORK, -1 },
	{ "wait4", SYS_wait4, SYS_wait4, BPROC_CALLK_WAIT, -1 },
	{ "waitid", SYS_waitid, SYS_waitid, BPROC_CALLK_WAIT, -1 },
	{ "kill", SYS_kill, SYS_kill, BPROC_CALLK_SIGNAL, -1 },
	{ "tkill", SYS_tkill, SYS_tkill, BPROC_CALLK_SIGNAL, -1 },
	{ "tgkill", SYS_tgkill, SYS_tgkill, BPROC_CALLK_SIGNAL, -1 },
	{ "rt_sigqueueinfo", SYS_rt_sigqueueinfo, SYS_rt_sigqueueinfo, BPROC_CALLK_SIGNAL, 2 },
	{ "rt_tgsigqueueinfo", SYS_rt_tgsigqueueinfo, SYS_rt_tgsigqueueinfo,
	  BPROC_CALLK_SIGNAL, 3 },
	{ "setpgid", SYS_setpgid, SYS_setpgid, BPROC_CALLK_GROUP, -1 },
	{ "getpgid", SYS_getpgid, SYS_getpgid, BPROC_CALLK_GROUP, -1 },
	{ "getsid", SYS_getsid, SYS_getsid, BPROC_CALLK_GROUP, -1 },
	{ "getppid", SYS_getppid, SYS_getppid, BPROC_CALLK_MASTER, -1 },
	{ "getpgrp", SYS_getpgrp, SYS_getpgrp, BPROC_CALLK_MASTER, -1 },
	{ "setsid", SYS_setsid, SYS_setsid, BPROC_CALLK_MASTER, -1 },
};

#define NTABLE (sizeof(table) / sizeof(table[0]))

static void test_every_listed_call_has_its_attributes(void **state)
{
	(void)state;
	for (size_t i = 0; i < NTABLE; i++) {
		uint32_t nr = (uint32_t)table[i].nr;

		if (bproc_call_ghost(nr) != table[i].ghost ||
		    bproc_call_kind(nr) != table[i].kind ||
		    bproc_call_info_arg(nr) != table[i].info)
			print_message("%s (%u): ghost %d kind %d info %d\n", table[i].name, nr,
				      bproc_call_ghost(nr), bproc_call_kind(nr),
				      bproc_call_info_arg(nr));
		assert_int_equal(bproc_call_ghost(nr), table[i].ghost);
		assert_int_equal(bproc_call_kind(nr), table[i].kind);
		assert_int_equal(bproc_call_info_arg(nr), table[i].info);
		assert_true(nr < BPROC_CALL_NR_LIMIT);
	}
}

/* A node refuses clone3 (ENOSYS: its flags are in memory, not registers). */
static void test_clone3_is_no_pid_space_call(void **state)
{
	(void)state;
	assert_int_equal(bproc_call(SYS_clone3), 0);
	assert_int_equal(BPROC_NR_CLONE3, SYS_clone3);
}

static void test_nothing_else_is_listed(void **state)
{
	unsigned int n = 0;

	(void)state;
	for (uint32_t nr = 0; nr < 65536; nr++) {
		size_t i;

		if (!bproc_call(nr)) {
			assert_int_equal(bproc_call_ghost(nr), -1);
			assert_int_equal(bproc_call_kind(nr), -1);
			assert_int_equal(bproc_call_info_arg(nr), -1);
			assert_false(bproc_call_ghost_makes(nr));
			continue;
		}
		n++;
		for (i = 0; i < NTABLE && table[i].nr != nr; i++)
			;
		assert_true(i < NTABLE);
	}
	assert_int_equal(n, BPROC_CALLS_NR);
	assert_int_equal(NTABLE, BPROC_CALLS_NR);
}

static void test_ghost_makes_exactly_the_bproc_calls(void **state)
{
	static const uint32_t made[] = {
		BPROC_CALL_FORK, BPROC_CALL_WAIT4, BPROC_CALL_KILL, BPROC_CALL_SETPGID,
		BPROC_CALL_GETPPID, BPROC_CALL_GETPGRP, BPROC_CALL_SETSID,
		BPROC_CALL_GETPGID, BPROC_CALL_GETSID, BPROC_CALL_RT_SIGQUEUEINFO,
		BPROC_CALL_TKILL, BPROC_CALL_TGKILL, BPROC_CALL_WAITID,
		BPROC_CALL_RT_TGSIGQUEUEINFO,
	};
	unsigned int n = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++)
		assert_true(bproc_call_ghost_makes(made[i]));
	for (uint32_t nr = 0; nr < BPROC_CALL_NR_LIMIT; nr++)
		n += bproc_call_ghost_makes(nr) ? 1 : 0;
	assert_int_equal(n, sizeof(made) / sizeof(made[0]));
	/* The other forks are made as a fork() by the ghost. */
	assert_false(bproc_call_ghost_makes(SYS_clone));
	assert_false(bproc_call_ghost_makes(SYS_vfork));
	assert_int_equal(BPROC_NR_CLONE, SYS_clone);
	assert_int_equal(BPROC_NR_VFORK, SYS_vfork);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_listed_call_has_its_attributes),
		cmocka_unit_test(test_nothing_else_is_listed),
		cmocka_unit_test(test_clone3_is_no_pid_space_call),
		cmocka_unit_test(test_ghost_makes_exactly_the_bproc_calls),
	};

	return cmocka_run_group_tests_name("calls", tests, NULL, NULL);
}
