#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Security, issue 19 item 5 (Documentation/security.md): reading
# /proc/bproc/<pid>/image needs what ptrace attach needs: the uid/gid and
# dumpable rule, the capability-subset rule, and Yama's ptrace_scope.
#
#   master 10.77.0.1: root sets up; uid 1000 runs sectest
. "$(dirname "$0")/lib.sh"

st=$helpers/sectest
user="setpriv --reuid=1000 --regid=1000 --clear-groups"
yama=/proc/sys/kernel/yama/ptrace_scope
cluster_reset
test_atexit 'on master sh -c "rm -f /tmp/sec-cap; [ -e $yama ] && echo 0 > $yama
	for f in /tmp/sec-stop.pid /tmp/sec-amb.pid; do [ -s \$f ] && kill -KILL \$(cat \$f) 2>/dev/null; rm -f \$f; done"'

# Wait (5 s) until process $1 on the master is stopped.
wait_stopped() {
	local i
	for i in $(seq 50); do
		on master grep -q '^State:.*T' /proc/$1/status && break
		sleep 0.1
	done
}

# ---- the capability-subset rule ----------------------------------------
# Through file capabilities the finding is not real: exec's commit_creds()
# makes a process that gained capabilities non-dumpable, which the old
# rule checked too.  Kept as proof.
on master sh -c "cp $st /tmp/sec-cap && setcap cap_net_raw+ep /tmp/sec-cap" ||
	bail_out "root cannot install a copy of sectest with file capability cap_net_raw"
out=$(on master $user $st capread /tmp/sec-cap 2>&1)
test_relay "file capabilities" "$out"

# Through ambient capabilities it is: a service started as uid 1000 with
# an ambient capability (systemd's AmbientCapabilities=) stays dumpable, and
# has the user's ids.  ptrace refuses it to the user (cap_issubset).
on master sh -c "$user --inh-caps +net_raw --ambient-caps +net_raw $st stop >/dev/null 2>&1 &
	echo \$! > /tmp/sec-amb.pid"
amb=$(on master cat /tmp/sec-amb.pid)
wait_stopped $amb
capprm=$(on master sed -n 's/^CapPrm:[[:space:]]*//p' /proc/$amb/status)
test_expect_success "uid 1000's process with ambient cap_net_raw is stopped (CapPrm $capprm)" '
	[ -n "$capprm" ] && [ $((16#$capprm)) != 0 ]
'
test_expect_success 'its image is refused to uid 1000, who lacks the capability' '
	is "$(on master $user $st canread $amb)" "open: Permission denied"
'
test_expect_success 'root reads it' '
	is "$(on master $st canread $amb)" "open ok"
'
on master kill -KILL $amb

# ---- Yama ---------------------------------------------------------------
scope=$(on master cat $yama 2>/dev/null)
say "kernel.yama.ptrace_scope is '${scope:-absent}'"
if [ -z "$scope" ]; then
	test_skip "Yama" "no Yama in this kernel"
else
	# A stopped process of uid 1000 that is no descendant of the reader.
	on master sh -c "$user $st stop >/dev/null 2>&1 & echo \$! > /tmp/sec-stop.pid"
	pid=$(on master cat /tmp/sec-stop.pid)
	wait_stopped $pid

	on master sh -c "echo 0 > $yama" || bail_out "cannot set ptrace_scope 0"
	test_expect_success 'ptrace_scope 0: a user reads its other stopped process' '
		is "$(on master $user $st canread $pid)" "open ok"
	'
	on master sh -c "echo 1 > $yama" || bail_out "cannot set ptrace_scope 1"
	test_expect_success 'ptrace_scope 1: ... but not once it is no descendant of the reader' '
		is "$(on master $user $st canread $pid)" "open: Permission denied"
	'
	test_expect_success 'ptrace_scope 1: a user reads its own stopped child' '
		is "$(on master $user $st childread)" "open ok"
	'
	test_expect_success 'ptrace_scope 1: root (CAP_SYS_PTRACE) reads it' '
		is "$(on master $st canread $pid)" "open ok"
	'
	on master sh -c "echo 2 > $yama" || bail_out "cannot set ptrace_scope 2"
	test_expect_success 'ptrace_scope 2: a user cannot read even its own child' '
		is "$(on master $user $st childread)" "open: Permission denied"
	'
	test_expect_success 'ptrace_scope 2: root reads it' '
		is "$(on master $st canread $pid)" "open ok"
	'
	on master sh -c "echo 0 > $yama"
	# (ptrace_scope 3 cannot be undone without a reboot: not tried here.)
	on master kill -KILL $pid
fi

test_no_leaks master
test_done
