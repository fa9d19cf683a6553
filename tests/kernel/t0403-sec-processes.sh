#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Security, issue 19 item 15, the part in bprocfs (Documentation/security.md):
# /proc/bproc/processes shows a reader only what its /proc would show: PIDs
# of its own PID namespace, and nothing that /proc's hidepid= hides.  The
# /proc/bproc/<pid> directories follow hidepid= as /proc/<pid> do:
# noaccess lists them but keeps their files (node, image) closed to who may
# not look at the process, invisible hides them from listing and lookup,
# even while another reader holds one.
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

# listed PID: "listed" if /proc/bproc lists PID for uid 1000
listed="ls /proc/bproc | grep -qx $pid && echo listed || echo hidden"
# node PID: uid 1000 reads /proc/bproc/PID/node (or the error)
node_of() {
	on master $user sh -c "cat /proc/bproc/$pid/node 2>&1" |
		sed 's/^cat: [^:]*: //'
}
fixed "$(on master $user sh -c "$listed")" hidden \
	"hidepid=invisible: /proc/bproc does not list root's process for uid 1000"
fixed "$(node_of)" "No such file or directory" \
	"hidepid=invisible: uid 1000 cannot look up /proc/bproc/$pid/node"
test_expect_success 'hidepid=invisible: uid 1000 still lists its own processes' '
	me=$(on master $user sh -c "echo \$\$; ls /proc/bproc | grep -cx \$\$") &&
	is "${me#*
}" 1
'
# Root keeps the directory in use (its cwd); uid 1000 still does not see it.
on master sh -c "cd /proc/bproc/$pid && exec sleep 30 </dev/null >/dev/null 2>&1 &"
for i in $(seq 50); do
	holder=$(on master sh -c 'readlink /proc/$(pgrep -x -f "sleep 30")/cwd')
	[ -n "$holder" ] && break
	sleep 0.1
done
test_expect_success "root's sleep holds /proc/bproc/$pid (its cwd)" '
	is "$holder" "/proc/bproc/$pid"
'
fixed "$(node_of)" "No such file or directory" \
	"hidepid=invisible: not even while root holds /proc/bproc/$pid"
on master pkill -x -f "sleep 30"
test_expect_success 'hidepid=invisible: root lists it and reads its node' '
	is "$(on master sh -c "ls /proc/bproc | grep -x $pid")" "$pid" &&
	is "$(on master cat /proc/bproc/$pid/node)" 1
'

on master mount -o remount,hidepid=noaccess /proc
fixed "$(on master $user sh -c "$listed")" listed \
	"hidepid=noaccess: /proc/bproc lists root's process for uid 1000, as /proc does"
fixed "$(node_of)" "Operation not permitted" \
	"hidepid=noaccess: but uid 1000 cannot read its node (EPERM)"

on master mount -o remount,hidepid=0 /proc
test_expect_success 'hidepid off: uid 1000 reads the node of root process (as its /proc/PID/stat)' '
	is "$(node_of)" 1
'

on master sh -c 'kill -KILL $(cat /tmp/sec-ghost.pid); rm -f /tmp/sec-ghost.pid'
for i in $(seq 50); do
	[ -z "$(on master cat /proc/bproc/processes)" ] && break
	sleep 0.1
done

test_no_leaks master
test_done
