#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The ghost: a process moved to a slave still shows on the master (ps,
# /proc/PID/cmdline, /proc/bproc, bpstat -p) at the cost of a few pages;
# every signal sent to the ghost reaches the remote process and its parent's
# wait sees the same end; stops and continues show on both sides; a ghost
# killed while stopped is reaped, and so is its process.
#
#   master 10.77.0.1                          slave 1 10.77.0.11
#   sh -> movetest sleep 1 (the ghost) -----> movetest sleep 1 (the process)
. "$(dirname "$0")/lib.sh"

mt=$helpers/movetest
cluster_reset

# On the master (sh): start `movetest sleep 1` into FILE in the background
# as $p, and wait (10 s) until it runs on node 1.
sleeper() {
	echo "rm -f $1; $mt sleep 1 >$1 2>&1 & p=\$!
	i=0; until grep -q ^sleeping $1 || [ \$i -ge 100 ]; do sleep 0.1; i=\$((i + 1)); done"
}
# How many movetest sleep processes node 1 runs.
on_node1() { on 1 sh -c "ps | grep -c '[m]ovetest sleep'"; }

pid=$(on master sh -c "$(sleeper /tmp/ghost.out); echo \$p") || bail_out "movetest sleep 1 did not start"

# ---- what the master shows ----------------------------------------------
test_expect_success "the moved process runs on node 1 as PID $pid" '
	is "$(on master cat /tmp/ghost.out)" "sleeping $pid"
'
test_expect_success 'ps on the master shows the ghost: PID, command, arguments' '
	matches "$(on master ps -o pid=,comm=,args= -p "$pid")" "*$pid*movetest*movetest sleep 1*"
'
test_expect_success "/proc/$pid/cmdline reads right" '
	is "$(on master cat /proc/$pid/cmdline | tr "\0" " ")" "$mt sleep 1 "
'
test_expect_success "the ghost's RSS is a few pages (16 kB at most)" '
	rss=$(on master sed -n "s/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p" /proc/$pid/status) &&
	say "VmRSS $rss kB" &&
	[ "${rss:-999}" -le 16 ]
'
test_expect_success 'one ghost counted' '
	is "$(on master cat /sys/bproc/stats/ghosts)" 1
'
test_expect_success "/proc/bproc/processes: '$pid 1'" '
	is "$(on master cat /proc/bproc/processes)" "$pid 1"
'
test_expect_success "/proc/bproc/$pid/node: 1" '
	is "$(on master cat /proc/bproc/$pid/node)" 1
'
test_expect_success '/proc/bproc/1/node: -1 (init runs on the master)' '
	is "$(on master cat /proc/bproc/1/node)" -1
'
test_expect_success 'bpstat -p lists it on node 1' '
	matches "$(on master bpstat -p)" "*$pid*1*"
'
test_expect_success 'node 1 runs it' '
	is "$(on_node1)" 1
'
test_expect_success 'kill -KILL on the ghost: none is left on node 1' '
	on master kill -KILL "$pid" &&
	for i in $(seq 50); do [ "$(on_node1)" = 0 ] && break; sleep 0.2; done
	is "$(on_node1)" 0
'

# ---- signals -----------------------------------------------------------
for sig in TERM INT HUP USR1 USR2 KILL; do
	want=$((128 + $(kill -l "$sig")))
	test_expect_success "kill -$sig on the ghost: the parent's wait sees it ($want)" '
		st=$(on master sh -c "$(sleeper /tmp/g.out); kill -$sig \$p; wait \$p; echo \$?") &&
		is "$st" "$want"
	'
done

# ---- stops -------------------------------------------------------------
test_expect_success "SIGSTOP/SIGCONT/SIGTERM on a ghost: the parent's waitpid sees the stop (WUNTRACED), the continue (WCONTINUED) and the death" '
	is "$(on master "$mt" stopcont 1)" "stopped by 19
continued
ended: signal 15"
'
# On the master (sh): wait (5 s) until ps shows process $p in state $1.
wait_stat='i=0; until [ "$(ps -o stat= -p $p)" = $1 ] || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
	ps -o stat= -p $p'
test_expect_success 'kill -STOP shows the ghost stopped (T) once the remote process stopped; SIGCONT continues both' '
	out=$(on master sh -c "$(sleeper /tmp/tstp.out)
		kill -STOP \$p; set -- T; $wait_stat
		kill -CONT \$p; set -- S; $wait_stat
		kill -KILL \$p") &&
	is "$(echo $out)" "T S"
'
test_expect_success 'a ghost killed while stopped is reaped (not in /proc/bproc/processes)' '
	p=$(on master sh -c "$(sleeper /tmp/sk.out)
		kill -STOP \$p; set -- T; $wait_stat >/dev/null
		kill -KILL \$p; wait \$p; echo \$p") &&
	for i in $(seq 50); do
		n=$(on master sh -c "grep -c \"^$p \" /proc/bproc/processes")
		[ "$n" = 0 ] && break
		sleep 0.2
	done
	is "$n" 0
'
test_expect_success '... and its process on node 1 is killed' '
	for i in $(seq 50); do [ "$(on_node1)" = 0 ] && break; sleep 0.2; done
	is "$(on_node1)" 0
'

test_no_leaks master 1
test_done
