#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Process-ID-space calls made on a node act on the master's process tree:
# getppid, process groups and sessions, kill and wait for children on the
# master and on another node (movetest calls); a shell on a node waits for
# and kills its own children there, reaches its parent on the master, ends
# at once when it leaves a child behind, and its trap runs on a signal from
# the master, which ends its wait as on the master.
#
#   master 10.77.0.1                     slave 0 10.77.0.10         slave 1 10.77.0.11
#   movetest calls (parent, child) ----> movetest calls  --kill-->  its rforked child
#   bpsh 0 sh (the ghost) -------------> sh and its children
. "$(dirname "$0")/lib.sh"

mt=$helpers/movetest
cluster_reset

test_helper master "movetest calls from node 0" "$mt" calls 0 1

shell='sleep 0.1 & wait; echo waited
	sleep 5 & kill $!; wait $!; echo "killed $?"
	echo piped | cat
	kill -0 $PPID && echo "parent $PPID reached"'
test_expect_success 'a shell on node 0: its own children are waited for and killed there; $PPID (bpsh, on the master) is reached' '
	out=$(on master bpsh 0 sh -c "$shell") &&
	matches "$out" "waited
killed 143
piped
parent [0-9]* reached"
'
test_expect_success 'a shell that leaves a child running on the node ends at once' '
	out=$(on master bpsh 0 sh -c "sleep 4 & echo left-behind")
	is "$?:$out" "0:left-behind"
'
test_expect_success '... and bpslave on that node goes on' '
	is "$(on master bpsh 0 echo still)" still
'

# On the master: bpsh 0 runs a shell that traps SIGUSR1 and waits for its
# child; once it runs (3 s), SIGUSR1 goes to its ghost (the child of bpsh).
trap_sh='bpsh 0 sh -c "trap \"echo got-usr1\" USR1; sleep 6 & wait; echo \"wait \$?\"; wait; echo done" &
b=$!
sleep 3
p=$(ps -o pid,ppid | awk -v b=$b '\''$2 == b { print $1 }'\'')
case $p in [0-9]*) kill -USR1 "$p" ;; esac
wait'
test_expect_success 'a shell on node 0 waiting for its child: SIGUSR1 from the master runs its trap and ends the wait with 138, as on the master' '
	out=$(timeout 60 "$vcluster" run -- sh -c "$trap_sh") &&
	is "$out" "got-usr1
wait 138
done"
'

test_no_leaks master 0 1
test_done
