#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Security, issue 19 item 15, the part in bprocfs (Documentation/security.md):
# /proc/bproc/processes shows a reader only what its /proc would show: PIDs
# of its own PID namespace, and nothing that /proc's hidepid= hides.
#
#   master 10.77.0.1 (the ghost)   slave 1 (root's moved process)
. "$(dirname "$0")/lib.sh"

mt=$helpers/movetest
user="setpriv --reuid=1000 --regid=1000 --clear-groups"
cluster_reset
test_atexit 'on master sh -c "mount -o remount,hidepid=0 /proc; [ -s /tmp/sec-ghost.pid ] && kill -KILL \$(cat /tmp/sec-ghost.pid); rm -f /tmp/sec-ghost.pid /tmp/sec-ghost.out"'

# fixed GOT WANT DESC: a test of the fix, GOT is WANT.
fixed() {
	_fixed_got=$1 _fixed_want=$2
	test_expect_success "$3" 'is "$_fixed_got" "$_fixed_want"'
}

on master sh -c "$mt sleep 1 >/tmp/sec-ghost.out 2>&1 & echo \$! > /tmp/sec-ghost.pid"
pid=$(on master cat /tmp/sec-ghost.pid)
for i in $(seq 100); do
	[ "$(on master cat /tmp/sec-ghost.out)" = "sleeping $pid" ] && break
	sleep 0.1
done
test_expect_success "root's process $pid runs on node 1" '
	is "$(on master cat /proc/bproc/processes)" "$pid 1"
'
test_expect_success 'uid 1000 sees it too (hidepid off)' '
	is "$(on master $user cat /proc/bproc/processes)" "$pid 1"
'

out=$(on master unshare --pid --fork cat /proc/bproc/processes)
fixed "$out" "" "a reader in a new PID namespace does not see it (no global PIDs)"

# The same for an unprivileged user in a user and PID namespace of its own.
userns=$(on master cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null)
say "kernel.unprivileged_userns_clone is '${userns:-absent}'"
if [ "${userns:-1}" = 1 ]; then
	out=$(on master $user unshare --user --map-root-user --pid --fork cat /proc/bproc/processes 2>&1)
	fixed "$out" "" "uid 1000 in its own user and PID namespace does not see it"
else
	test_skip "user and PID namespace" "no unprivileged user namespaces"
fi

on master mount -o remount,hidepid=invisible /proc ||
	bail_out "root cannot remount /proc with hidepid=invisible"
fixed "$(on master $user cat /proc/bproc/processes)" "" \
	"hidepid=invisible: uid 1000 no longer sees root's process"
test_expect_success 'hidepid=invisible: root still does' '
	is "$(on master cat /proc/bproc/processes)" "$pid 1"
'
on master mount -o remount,hidepid=0 /proc

on master sh -c 'kill -KILL $(cat /tmp/sec-ghost.pid); rm -f /tmp/sec-ghost.pid'
for i in $(seq 50); do
	[ -z "$(on master cat /proc/bproc/processes)" ] && break
	sleep 0.1
done

test_no_leaks master
test_done
