#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What bpmaster must not let a connection do (issue 19, items 11 and 12):
# a second HELLO for a node does not take over the node's live session; a
# host does not hold connections that never say HELLO, neither many at
# once nor for long; and when bpmaster is out of descriptors its accept
# loop does not spin.
#
#   master 10.77.0.1 (bpmaster :2223)       slave 1
#   fakeslave flood (40 connections) ----/  fakeslave hello: HELLO as node 1
#   prlimit: bpmaster out of descriptors    while its bpslave is connected
. "$(dirname "$0")/lib.sh"

cluster_reset
bpmaster_pid() { on master pgrep -x bpmaster; }
pid=$(bpmaster_pid)
replaced() { on master grep -c "replaced by a new connection" /run/bpmaster.log; }

# ---- item 11: a second HELLO for a live node ---------------------------
before=$(replaced)
test_expect_success 'a second HELLO from node 1 while its session lives: refused' '
	out=$(on 1 "$helpers/fakeslave" 10.77.0.1 2223 hello 2>&1)
	say "$out" &&
	matches "$out" "refused: node 1 has a live session"
'
test_expect_success "node 1's own session was not replaced, node 1 is up" '
	is "$(replaced)" "${before:-0}" &&
	is "$(on master cat /sys/bproc/nodes/1/status)" up &&
	is "$(on 1 cat /sys/bproc/stats/sessions)" 1
'

# ---- item 12: connections that never say HELLO ------------------------
test_expect_success 'flood: at most 4 held from one address, none after the 5 s HELLO deadline' '
	out=$(on master "$helpers/fakeslave" 10.77.0.1 2223 flood 2>&1)
	say "$out" &&
	set -- $out &&
	[ "$2" -le 4 ] && [ "$8" = 0 ]
'
test_expect_success 'bpmaster logged both' '
	on master grep -q "too many connections without HELLO" /run/bpmaster.log &&
	on master grep -q "no HELLO in time" /run/bpmaster.log
'

# ---- item 12: out of descriptors ---------------------------------------
cpu() { on master sh -c "awk '{ print \$14 + \$15 }' /proc/$pid/stat"; }
if on master sh -c "command -v prlimit" >/dev/null; then
	nfd=$(on master sh -c "ls /proc/$pid/fd | wc -l")
	on master prlimit --pid "$pid" --nofile="$nfd:$nfd" || bail_out "prlimit"
	on master sh -c "$helpers/fakeslave 10.77.0.1 2223 flood >/dev/null 2>&1 &"
	sleep 1
	c0=$(cpu)
	sleep 3
	c1=$(cpu)
	on master prlimit --pid "$pid" --nofile=1024:1024 || bail_out "prlimit"
	test_expect_success 'out of descriptors: accept does not spin (CPU ticks in 3 s < 30)' '
		say "$((c1 - c0)) ticks" &&
		[ $((c1 - c0)) -lt 30 ]
	'
	test_expect_success 'bpmaster said it pauses accepting' '
		on master grep -q "accept: Too many open files; pausing" /run/bpmaster.log
	'
	sleep 8	# the flood ends
else
	test_skip 'out of descriptors: accept does not spin' 'no prlimit on the master'
fi

test_expect_success 'bpmaster is still the same process, every node up' '
	is "$(bpmaster_pid)" "$pid" &&
	wait_all_up
'
test_no_leaks master 0 1
test_done
