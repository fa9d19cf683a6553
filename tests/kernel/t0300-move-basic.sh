#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bproc_move and bproc_rfork from the master to a slave: the parent sees the
# exit status, the process keeps its PID, stdout and stderr stay apart and
# reach a pipe, a 64 MiB image arrives intact; a move to no node, to an
# unavailable node or to a node the user may not use fails with its errno.
#
#   master 10.77.0.1           slave 0 10.77.0.10   slave 1 10.77.0.11   slave 2 10.77.0.12
#   movetest (the parent) ---> move 0 0             move 1 7, memory     move 2 3, rfork 2 5,
#                                                                         mode 0100 / unavailable
. "$(dirname "$0")/lib.sh"

mt=$helpers/movetest
tmp=$test_tmp
nobody="setpriv --reuid 65534 --regid 65534 --clear-groups"
cluster_reset

# ---- move: output, PID, exit status ------------------------------------
test_expect_success 'a process moved to node 1 exits 7: its parent sees 7' '
	"$vcluster" run -- "$mt" move 1 7 >"$tmp/out" 2>"$tmp/err"
	is $? 7
'
test_expect_success 'it keeps its PID on node 1 and knows where it runs' '
	before=$(sed -n "s/^before pid \([0-9]*\) node -1 .*/\1/p" "$tmp/out") &&
	after=$(sed -n "s/^after pid \([0-9]*\) node 1 .*/\1/p" "$tmp/out") &&
	cat "$tmp/out" &&
	[ -n "$before" ] && is "$after" "$before"
'
test_expect_success 'its stderr arrives on stderr, apart' '
	is "$(cat "$tmp/err")" "to stderr from pid $before"
'
test_expect_success '... and not on stdout' '
	is "$(grep -c stderr "$tmp/out")" 0
'
test_expect_success 'exit 0 from node 0' '
	on master "$mt" move 0 0
'
test_expect_success 'output through a pipe on the master reaches its reader' '
	out=$(on master sh -c "$mt move 2 3 2>/dev/null | cat")
	matches "$out" "*after pid*node 2*"
'

# ---- rfork -------------------------------------------------------------
test_expect_success "bproc_rfork: the child runs on node 2, its parent's waitpid gets exit 5" '
	out=$(on master "$mt" rfork 2 5) &&
	matches "$out" "*child *node 2*status 0x500*"
'
test_expect_success 'rfork to no such node: -1/ENODEV, no child' '
	is "$(on master "$mt" rfork 77 5)" "rfork failed: ENODEV"
'

# ---- memory ------------------------------------------------------------
test_expect_success 'a 64 MiB process moves to node 1 with every byte intact' '
	out=$(on master "$mt" memory 1 64) &&
	matches "$out" "memory ok*node 1*"
'

# ---- errors and permissions --------------------------------------------
test_expect_success 'move to node 77: ENODEV' '
	is "$(on master "$mt" fail 77)" ENODEV
'
test_expect_success 'move to an unavailable node: EHOSTDOWN' '
	on master sh -c "echo unavailable > /sys/bproc/nodes/2/status" &&
	out=$(on master "$mt" fail 2)
	on master sh -c "echo up > /sys/bproc/nodes/2/status" &&
	is "$out" EHOSTDOWN
'
test_expect_success 'nobody, node 2 mode 100 owned by root: EACCES' '
	on master bpctl -S 2 -u root -m 0100 &&
	out=$(on master $nobody "$mt" fail 2)
	on master bpctl -S 2 -u root -m 0111 &&
	is "$out" EACCES
'
test_expect_success 'node 2 mode 100 owned by nobody (bpctl -u nobody): nobody moves there (exit 4 from node 2)' '
	on master bpctl -S 2 -u nobody -m 0100 &&
	out=$(on master $nobody "$mt" move 2 4 2>&1)
	rc=$?
	on master bpctl -S 2 -u root -m 0111 &&
	echo "$out" &&
	is $rc 4 &&
	matches "$out" "*after pid*node 2*"
'

test_no_leaks master 0 1 2
test_done
