#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Moving on: a process goes from node to node and back to the master, more
# than once, keeping its PID, memory and child; a signal reaches it wherever
# it is; from a node, a move to an unavailable node, to no node or to a node
# the user may not use fails and leaves it where it was; a process the
# master did not place cannot move from a node.
#
#   master 10.77.0.1 <----> slave 0 10.77.0.10 <----> slave 1 10.77.0.11 ----> slave 2 10.77.0.12
#   movetest route / pingpong (its child stays on the master)                  unavailable, mode 0100
. "$(dirname "$0")/lib.sh"

mt=$helpers/movetest
nobody="setpriv --reuid 65534 --regid 65534 --clear-groups"
cluster_reset

test_expect_success 'master -> 0 -> 1 -> 0 -> master -> 1 -> master: same PID, memory intact at each stop, output in order' '
	out=$(on master "$mt" route 0 1 0 -1 1 -1)
	rc=$?
	pid=$(echo "$out" | sed -n "1s/^at pid \([0-9]*\) .*/\1/p")
	is "$rc:$(echo "$out" | head -6)" "0:at pid $pid node 0 host n0
at pid $pid node 1 host n1
at pid $pid node 0 host n0
at pid $pid node -1 host vc-master
at pid $pid node 1 host n1
at pid $pid node -1 host vc-master"
'
test_expect_success 'back on the master its child is still its own (WNOHANG 0, then its SIGTERM)' '
	matches "$out" "*route ok, child*still ours"
'
test_expect_success '100 round trips master -> node 1 -> master keep PID, memory and child' '
	out=$(on master "$mt" pingpong 1 100) &&
	say "$(echo "$out" | head -1)" &&
	matches "$out" "pingpong 100 ok*"
'
test_expect_success 'SIGTERM to a process going back and forth reaches it, wherever it is' '
	st=$(on master sh -c "$mt pingpong 0 1000 >/tmp/pp.out 2>&1 & p=\$!; sleep 4; kill -TERM \$p; wait \$p; echo \$?") &&
	is "$st" 143
'
test_expect_success 'from node 0 to an unavailable node: EHOSTDOWN, it stays on node 0' '
	on master sh -c "echo unavailable > /sys/bproc/nodes/2/status" &&
	out=$(on master "$mt" route 0 2 | tail -1)
	on master sh -c "echo up > /sys/bproc/nodes/2/status" &&
	is "$out" "move 1 to 2 failed: EHOSTDOWN, at 0"
'
test_expect_success 'from node 0 to node 77: ENODEV' '
	is "$(on master "$mt" route 0 77 | tail -1)" "move 1 to 77 failed: ENODEV, at 0"
'
# Outside the node's bproc PID namespace: the kernel refuses it as bpslave
# would (EOPNOTSUPP; a nested namespace gets EPERM, t0430).
test_expect_success 'a process the master did not place cannot move from a node: EOPNOTSUPP' '
	is "$(on 0 "$mt" fail -1)" EOPNOTSUPP
'
test_expect_success "nobody, from node 1 to node 2 (mode 100, root's): EACCES" '
	on master bpctl -S 2 -u root -m 0100 &&
	out=$(on master $nobody "$mt" route 1 2 | tail -1)
	on master bpctl -S 2 -u root -m 0111 &&
	is "$out" "move 1 to 2 failed: EACCES, at 1"
'
test_expect_success 'no ghost left after moving around' '
	is "$(on master cat /sys/bproc/stats/ghosts)" 0
'

test_no_leaks master 0 1 2
test_done
