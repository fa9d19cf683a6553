#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A node dies under its process: once the heartbeat finds the node gone
# (within 3 x pingtimeout), the ghost on the master ends as killed by
# SIGKILL, so its parent's wait returns; nothing of it is left.
#
#   master 10.77.0.1                         slave 0 10.77.0.10
#   sh -> movetest sleep 0 (the ghost) ----> movetest sleep 0    <- power pulled (vcluster kill 0),
#   waits for it: 137                                               booted again (vcluster start 0)
. "$(dirname "$0")/lib.sh"

mt=$helpers/movetest
cluster_reset

ping=$(on master sh -c 'sed -n "s/^pingtimeout //p" /etc/bproc/config')
on master rm -f /tmp/dead.out /tmp/dead.status
on master sh -c "$mt sleep 0 >/tmp/dead.out 2>&1 & p=\$!; wait \$p; echo \$? > /tmp/dead.status" &
waiter=$!
for i in $(seq 100); do
	on master grep -q ^sleeping /tmp/dead.out 2>/dev/null && break
	sleep 0.1
done
on master grep -q ^sleeping /tmp/dead.out || bail_out "movetest sleep 0 did not get to node 0"
t0=$(date +%s)
"$vcluster" kill 0 || bail_out "vcluster kill 0"
test_expect_success "node 0 killed: the ghost ends as killed by SIGKILL (within 3 x pingtimeout, ${ping}s)" '
	for i in $(seq $((ping * 3))); do
		[ -n "$(on master cat /tmp/dead.status 2>/dev/null)" ] && break
		sleep 1
	done
	say "after $(($(date +%s) - t0)) s"
	is "$(on master cat /tmp/dead.status 2>/dev/null)" 137
'
wait $waiter 2>/dev/null
"$vcluster" start 0 || bail_out "vcluster start 0"

test_expect_success 'no ghost left' '
	is "$(on master cat /sys/bproc/stats/ghosts)" 0
'
test_expect_success '/proc/bproc/processes is empty again' '
	is "$(on master cat /proc/bproc/processes)" ""
'
test_no_leaks master 0 1
test_done
