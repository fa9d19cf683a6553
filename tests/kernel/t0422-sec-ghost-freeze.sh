#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Issue 19, item 15a: a stop request that is not a signal (the cgroup v2
# freezer, PTRACE_INTERRUPT) leaves the ghost's signal_pending() set with no
# signal to take; the ghost's loop used to spin on it in the kernel, burning
# a CPU and never freezing.  Now the ghost leaves the kernel for the request
# to be served (it re-enters its loop through its resume descriptor).
#
#   master 10.77.0.1                                   slave 1 10.77.0.11
#   movetest sleep 1 (the ghost) in cgroup bpsec  ----> movetest sleep 1
. "$(dirname "$0")/lib.sh"

mt=$helpers/movetest
cluster_reset

cg=/sys/fs/cgroup/bpsec-freeze
freeze_sh="mountpoint -q /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup || exit 1
rm -f /tmp/frz.out; $mt sleep 1 >/tmp/frz.out 2>&1 & p=\$!
i=0; until grep -q ^sleeping /tmp/frz.out || [ \$i -ge 100 ]; do sleep 0.1; i=\$((i + 1)); done
cpu() { awk '{ print \$14 + \$15 }' /proc/\$p/stat; }
mkdir -p $cg && echo \$p > $cg/cgroup.procs || exit 1
c0=\$(cpu)
echo 1 > $cg/cgroup.freeze
i=0; until grep -q '^frozen 1' $cg/cgroup.events || [ \$i -ge 30 ]; do sleep 0.1; i=\$((i + 1)); done
grep '^frozen' $cg/cgroup.events
sleep 2
c1=\$(cpu)
echo \"ticks \$((c1 - c0))\"
[ \$((c1 - c0)) -le 20 ] && echo 'cpu stays' || echo \"cpu grows \$((c1 - c0))\"
echo 0 > $cg/cgroup.freeze
i=0; until grep -q '^frozen 0' $cg/cgroup.events || [ \$i -ge 30 ]; do sleep 0.1; i=\$((i + 1)); done
grep '^frozen' $cg/cgroup.events
echo \$p > /sys/fs/cgroup/cgroup.procs
rmdir $cg
kill -TERM \$p
wait \$p
echo \"exit \$?\""

out=$(timeout 60 "$vcluster" run -- sh -c "$freeze_sh" 2>&1)
say "CPU ticks of the ghost in 2 s frozen: $(echo "$out" | sed -n "s/^ticks //p")"
# (without the ticks, and without sh's "Terminated" notice of its job)
out=$(echo "$out" | grep -v -e "^ticks " -e "^Terminated")
test_expect_success 'the cgroup v2 freezer freezes a ghost (cgroup.events: frozen 1)' '
	is "$(echo "$out" | sed -n 1p)" "frozen 1"
'
test_expect_success 'a frozen ghost uses no CPU (2 s: at most 20 ticks)' '
	is "$(echo "$out" | sed -n 2p)" "cpu stays"
'
test_expect_success 'thawed, it runs again: SIGTERM reaches its process, its parent sees signal 15' '
	is "$(echo "$out" | sed -n 3,4p)" "frozen 0
exit 143"
'

test_no_leaks master 1
test_done
