#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Issue 19, item 4: a ghost whose stdin is a signalfd.  With
# BPROC_MOVE_STDIN the ghost polls its fd 0; a signalfd's wait queue lives
# in the poller's own sighand, so the ghost's wait entry sits in memory that
# is freed when the ghost dies: the kernel says so with POLLFREE.  A ghost
# killed while stopped (it is outside bproc's code then) used to leave the
# entry there for the reaper to unhook from freed memory.  Now the ghost
# unhooks on POLLFREE and while it is stopped.
#
# The distro kernel has no KASAN and the sighand cache is
# SLAB_TYPESAFE_BY_RCU, so the stale unhook rarely shows (it would take the
# slab page being freed and reused in the reaper's 2 s): this test checks
# the fixed behaviour, a clean life and end of such a ghost, and the
# consoles (tests/run) for list corruption or a WARN.
#
#   master 10.77.0.1                          slave 0 10.77.0.10
#   bpsec sigfdin 0 (the ghost, fd 0 a  ----> bpsec sigfdin 0 (the process)
#     signalfd, BPROC_MOVE_STDIN)
. "$(dirname "$0")/lib.sh"

cluster_reset

# State letter of PID on the master (from /proc/PID/stat), or "gone".
state_sh='st() { sed -n "s/^[0-9]* ([^)]*) \(.\).*/\1/p" /proc/$1/stat 2>/dev/null || true; }
waitst() { i=0; while [ "$(st $1)" != "$2" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done; echo "${3:-state} $(st $1)"; }'

for round in 1 2; do
pid=$(on master sh -c "rm -f /tmp/sigfd.out; $helpers/bpsec sigfdin 0 > /tmp/sigfd.out 2>&1 & p=\$!
	i=0; until grep -q ^moved /tmp/sigfd.out || [ \$i -ge 100 ]; do sleep 0.1; i=\$((i + 1)); done
	echo \$p") || bail_out "bpsec sigfdin did not start"

test_expect_success "round $round: a process with a signalfd as stdin moves to node 0 with BPROC_MOVE_STDIN" '
	is "$(on master cat /tmp/sigfd.out)" "moved $pid"
'
test_expect_success "round $round: SIGSTOP stops its ghost, SIGCONT continues it" '
	is "$(on master sh -c "$state_sh
		kill -STOP $pid; waitst $pid T stopped
		kill -CONT $pid; waitst $pid S running")" "stopped T
running S"
'
test_expect_success "round $round: stopped again and killed by SIGKILL, the ghost is reaped and its process ends" '
	is "$(on master sh -c "$state_sh
		kill -STOP $pid; waitst $pid T stopped
		kill -KILL $pid
		i=0; while [ -e /proc/$pid ] && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i + 1)); done
		[ -e /proc/$pid ] && echo left || echo gone
		i=0; until [ \$(cat /sys/bproc/stats/ghosts) = 0 ] || [ \$i -ge 100 ]; do sleep 0.1; i=\$((i + 1)); done
		echo ghosts \$(cat /sys/bproc/stats/ghosts)")" "stopped T
gone
ghosts 0" &&
	for i in $(seq 50); do
		[ "$(on 0 sh -c "pidof bpsec || true")" = "" ] && break; sleep 0.2
	done &&
	is "$(on 0 sh -c "pidof bpsec || true")" ""
'
done

# Churn the sighand cache: many short processes reuse the freed sighands.
test_expect_success 'the master forks 100 processes after it, without a complaint' '
	on master sh -c "for i in \$(seq 100); do /bin/true & done; wait" &&
	is "$(on master sh -c "dmesg | grep -cE \"list_(add|del) corruption|WARNING:|BUG:\" || true")" 0
'

test_no_leaks master 0
test_done
