// SPDX-License-Identifier: GPL-2.0
/*
 * bpslave's decisions on the PID-space calls of its processes
 * (cmd/bpslave/callrules.c): which run on the node and which go to the
 * master, on a fake namespace.
 *
 * The namespace below: 100 is a process the master placed here (the
 * caller), with children 101 (group 100) and 102 (group 102), a process
 * of its own it forked; 200 is another placed process; 300 is a process
 * of the node the master does not know (its group 300).  Everything else
 * is not on this node.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "callrules.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	int pid, ppid, pgid;
	bool known;
} procs[] = {
	{ 100, 1, 100, true },
	{ 101, 100, 100, true },
	{ 102, 100, 102, true },
	{ 200, 1, 200, true },
	{ 300, 1, 300, false },
};

static int find(int pid)
{
	for (size_t i = 0; i < ARRAY_SIZE(procs); i++)
		if (procs[i].pid == pid)
			return (int)i;
	return -1;
}

static bool fake_has(void *ctx, int pid)
{
	(void)ctx;
	return find(pid) >= 0;
}

static bool fake_known(void *ctx, int pid)
{
	int i = find(pid);

	(void)ctx;
	return i >= 0 && procs[i].known;
}

static int fake_children(void *ctx, int pid, int *kids, int max)
{
	int n = 0;

	(void)ctx;
	for (size_t i = 0; i < ARRAY_SIZE(procs) && n < max; i++)
		if (procs[i].ppid == pid)
			kids[n++] = procs[i].pid;
	return n;
}

static int fake_pgid(void *ctx, int pid)
{
	int i = find(pid);

	(void)ctx;
	return i >= 0 ? procs[i].pgid : -1;
}

static const struct call_ns ns = {
	.has = fake_has,
	.known = fake_known,
	.children = fake_children,
	.pgid = fake_pgid,
};

/* A call of process 100 (placed, connected) with these arguments. */
static struct call_notif call(uint32_t nr, uint64_t a0, uint64_t a1)
{
	struct call_notif n;

	memset(&n, 0, sizeof(n));
	n.nr = nr;
	n.args[0] = a0;
	n.args[1] = a1;
	n.caller = 100;
	n.caller_has_ghost = true;
	n.connected = true;
	return n;
}

static enum call_verdict decide(struct call_notif n)
{
	return call_decide(&n, &ns);
}

/* ---- forks -------------------------------------------------------- */

static void fork_goes_to_master(void **state)
{
	(void)state;
	assert_int_equal(decide(call(SYS_fork, 0, 0)), CALL_FORK_TO_MASTER);
	assert_int_equal(decide(call(SYS_vfork, 0, 0)), CALL_FORK_TO_MASTER);
	assert_int_equal(decide(call(SYS_clone, SIGCHLD, 0)), CALL_FORK_TO_MASTER);
}

static void clone_thread_is_not_a_fork(void **state)
{
	struct call_notif n = call(SYS_clone, CLONE_THREAD | CLONE_VM | CLONE_SIGHAND, 0);

	(void)state;
	assert_false(call_is_fork(&n));
	assert_int_equal(decide(n), CALL_RUN_HERE);
}

/*
 * clone3 is no PID-space call: the node's filter fails it with ENOSYS
 * (libc then uses clone), so no decision is made for it.
 */
static void clone3_is_not_decided_it_never_reaches_bpslave(void **state)
{
	struct call_notif n = call(SYS_clone3, 0x7fff0000, 88);

	(void)state;
	assert_false(call_is_fork(&n));
	assert_int_equal(decide(n), CALL_RUN_HERE);
}

static void other_calls_are_not_forks(void **state)
{
	struct call_notif n = call(SYS_kill, 100, 0);

	(void)state;
	assert_false(call_is_fork(&n));
	n = call(SYS_wait4, -1, 0);
	assert_false(call_is_fork(&n));
}

/* ---- signals ------------------------------------------------------ */

static void kill_of_pid_on_node_runs_here(void **state)
{
	(void)state;
	assert_int_equal(decide(call(SYS_kill, 101, SIGTERM)), CALL_RUN_HERE);
	assert_int_equal(decide(call(SYS_kill, 300, SIGTERM)), CALL_RUN_HERE);
	assert_int_equal(decide(call(SYS_tkill, 200, SIGTERM)), CALL_RUN_HERE);
	assert_int_equal(decide(call(SYS_tgkill, 200, 200)), CALL_RUN_HERE);
	assert_int_equal(decide(call(SYS_rt_sigqueueinfo, 102, SIGUSR1)), CALL_RUN_HERE);
	assert_int_equal(decide(call(SYS_rt_tgsigqueueinfo, 102, 102)), CALL_RUN_HERE);
}

static void kill_of_pid_outside_namespace_goes_to_master(void **state)
{
	(void)state;
	assert_int_equal(decide(call(SYS_kill, 4242, SIGTERM)), CALL_TO_MASTER);
	assert_int_equal(decide(call(SYS_tgkill, 4242, 4242)), CALL_TO_MASTER);
	assert_int_equal(decide(call(SYS_rt_sigqueueinfo, 4242, SIGUSR1)), CALL_TO_MASTER);
}

static void kill_of_group_or_everyone_goes_to_master(void **state)
{
	(void)state;
	assert_int_equal(decide(call(SYS_kill, 0, SIGTERM)), CALL_TO_MASTER);
	assert_int_equal(decide(call(SYS_kill, (uint64_t)-1, SIGTERM)), CALL_TO_MASTER);
	assert_int_equal(decide(call(SYS_kill, (uint64_t)-100, SIGTERM)), CALL_TO_MASTER);
}

static void pid_upper_half_is_ignored(void **state)
{
	(void)state;
	/* A PID is an int: 1 << 32 | 101 is 101. */
	assert_int_equal(decide(call(SYS_kill, (1ull << 32) | 101, SIGTERM)), CALL_RUN_HERE);
}

/* ---- waits -------------------------------------------------------- */

static void wait_for_local_child_runs_on_node(void **state)
{
	(void)state;
	assert_int_equal(decide(call(SYS_wait4, 101, 0)), CALL_RUN_HERE);
	assert_int_equal(decide(call(SYS_waitid, P_PID, 102)), CALL_RUN_HERE);
}

static void wait_for_any_child_with_children_here_runs_on_node(void **state)
{
	(void)state;
	assert_int_equal(decide(call(SYS_wait4, (uint64_t)-1, 0)), CALL_RUN_HERE);
	assert_int_equal(decide(call(SYS_waitid, P_ALL, 0)), CALL_RUN_HERE);
}

static void wait_without_children_here_goes_to_master(void **state)
{
	struct call_notif n = call(SYS_wait4, (uint64_t)-1, 0);

	(void)state;
	n.caller = 200;
	assert_int_equal(decide(n), CALL_TO_MASTER);
	n = call(SYS_waitid, P_ALL, 0);
	n.caller = 200;
	assert_int_equal(decide(n), CALL_TO_MASTER);
}

static void wait_for_pid_not_a_child_here_goes_to_master(void **state)
{
	(void)state;
	assert_int_equal(decide(call(SYS_wait4, 4242, 0)), CALL_TO_MASTER);
	assert_int_equal(decide(call(SYS_wait4, 200, 0)), CALL_TO_MASTER);
	assert_int_equal(decide(call(SYS_waitid, P_PID, 300)), CALL_TO_MASTER);
}

static void wait_for_group_of_a_child_here_runs_on_node(void **state)
{
	(void)state;
	/* Its own group (0, or -100): child 101 is in it. */
	assert_int_equal(decide(call(SYS_wait4, 0, 0)), CALL_RUN_HERE);
	assert_int_equal(decide(call(SYS_wait4, (uint64_t)-100, 0)), CALL_RUN_HERE);
	assert_int_equal(decide(call(SYS_wait4, (uint64_t)-102, 0)), CALL_RUN_HERE);
	assert_int_equal(decide(call(SYS_waitid, P_PGID, 102)), CALL_RUN_HERE);
	assert_int_equal(decide(call(SYS_waitid, P_PGID, 0)), CALL_RUN_HERE);
}

static void wait_for_group_without_children_here_goes_to_master(void **state)
{
	(void)state;
	assert_int_equal(decide(call(SYS_wait4, (uint64_t)-300, 0)), CALL_TO_MASTER);
	assert_int_equal(decide(call(SYS_waitid, P_PGID, 777)), CALL_TO_MASTER);
}

static void waitid_on_pidfd_runs_on_node(void **state)
{
	(void)state;
	assert_int_equal(decide(call(SYS_waitid, P_PIDFD, 5)), CALL_RUN_HERE);
}

static void wait_is_local_sees_only_the_callers_children(void **state)
{
	(void)state;
	assert_true(wait_is_local(&ns, 100, P_ALL, -1));
	assert_true(wait_is_local(&ns, 100, P_PID, 102));
	assert_false(wait_is_local(&ns, 100, P_PID, 300));
	assert_false(wait_is_local(&ns, 300, P_ALL, -1));
	assert_true(wait_is_local(&ns, 100, P_PGID, 0));
	assert_false(wait_is_local(&ns, 100, P_PGID, 300));
}

/* ---- process groups and sessions ---------------------------------- */

static void group_of_unknown_local_process_runs_here(void **state)
{
	(void)state;
	assert_int_equal(decide(call(SYS_getpgid, 300, 0)), CALL_RUN_HERE);
	assert_int_equal(decide(call(SYS_getsid, 300, 0)), CALL_RUN_HERE);
	assert_int_equal(decide(call(SYS_setpgid, 300, 300)), CALL_RUN_HERE);
}

static void group_of_known_process_goes_to_master(void **state)
{
	(void)state;
	assert_int_equal(decide(call(SYS_getpgid, 101, 0)), CALL_TO_MASTER);
	assert_int_equal(decide(call(SYS_getsid, 200, 0)), CALL_TO_MASTER);
	assert_int_equal(decide(call(SYS_setpgid, 101, 100)), CALL_TO_MASTER);
	assert_int_equal(decide(call(SYS_getpgid, 4242, 0)), CALL_TO_MASTER);
}

static void own_group_and_session_go_to_master(void **state)
{
	(void)state;
	assert_int_equal(decide(call(SYS_getpgid, 0, 0)), CALL_TO_MASTER);
	assert_int_equal(decide(call(SYS_getpgid, 100, 0)), CALL_TO_MASTER);
	assert_int_equal(decide(call(SYS_setpgid, 0, 0)), CALL_TO_MASTER);
	assert_int_equal(decide(call(SYS_getpgrp, 0, 0)), CALL_TO_MASTER);
	assert_int_equal(decide(call(SYS_setsid, 0, 0)), CALL_TO_MASTER);
	assert_int_equal(decide(call(SYS_getsid, 0, 0)), CALL_TO_MASTER);
}

static void getppid_goes_to_master(void **state)
{
	(void)state;
	assert_int_equal(decide(call(SYS_getppid, 0, 0)), CALL_TO_MASTER);
}

/* ---- who may ask the master --------------------------------------- */

static void caller_without_ghost_runs_everything_here(void **state)
{
	static const uint32_t nrs[] = { SYS_fork, SYS_kill, SYS_wait4, SYS_getppid,
					SYS_setsid, SYS_getpgid };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(nrs); i++) {
		struct call_notif n = call(nrs[i], 4242, 0);

		n.caller_has_ghost = false;
		assert_int_equal(decide(n), CALL_RUN_HERE);
		n = call(nrs[i], 4242, 0);
		n.caller = -1;	/* not of the namespace */
		assert_int_equal(decide(n), CALL_RUN_HERE);
		n.caller = 1;	/* init */
		assert_int_equal(decide(n), CALL_RUN_HERE);
	}
}

static void without_master_everything_runs_here(void **state)
{
	static const uint32_t nrs[] = { SYS_fork, SYS_clone, SYS_kill, SYS_wait4,
					SYS_getppid, SYS_setsid };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(nrs); i++) {
		struct call_notif n = call(nrs[i], 4242, 0);

		n.connected = false;
		assert_int_equal(decide(n), CALL_RUN_HERE);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fork_goes_to_master),
		cmocka_unit_test(clone_thread_is_not_a_fork),
		cmocka_unit_test(clone3_is_not_decided_it_never_reaches_bpslave),
		cmocka_unit_test(other_calls_are_not_forks),
		cmocka_unit_test(kill_of_pid_on_node_runs_here),
		cmocka_unit_test(kill_of_pid_outside_namespace_goes_to_master),
		cmocka_unit_test(kill_of_group_or_everyone_goes_to_master),
		cmocka_unit_test(pid_upper_half_is_ignored),
		cmocka_unit_test(wait_for_local_child_runs_on_node),
		cmocka_unit_test(wait_for_any_child_with_children_here_runs_on_node),
		cmocka_unit_test(wait_without_children_here_goes_to_master),
		cmocka_unit_test(wait_for_pid_not_a_child_here_goes_to_master),
		cmocka_unit_test(wait_for_group_of_a_child_here_runs_on_node),
		cmocka_unit_test(wait_for_group_without_children_here_goes_to_master),
		cmocka_unit_test(waitid_on_pidfd_runs_on_node),
		cmocka_unit_test(wait_is_local_sees_only_the_callers_children),
		cmocka_unit_test(group_of_unknown_local_process_runs_here),
		cmocka_unit_test(group_of_known_process_goes_to_master),
		cmocka_unit_test(own_group_and_session_go_to_master),
		cmocka_unit_test(getppid_goes_to_master),
		cmocka_unit_test(caller_without_ghost_runs_everything_here),
		cmocka_unit_test(without_master_everything_runs_here),
	};

	return cmocka_run_group_tests_name("bpslave_calls", tests, NULL, NULL);
}
