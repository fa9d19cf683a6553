#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Children made on a node and for many nodes: a fork on a node gets its PID
# from the master, its ghost sits under its parent's there, a signal from
# the master ends it and its parent waits for it on the node; the vector
# forms (bproc_vrfork, bproc_vexecmove) place child i as rank i, a bad node
# failing alone; from a node, a vrfork child cannot move on yet.
#
#   master 10.77.0.1                  slave 0 10.77.0.10       slave 1 10.77.0.11   slave 2 10.77.0.12
#   movetest forks (ghosts of  -----> movetest forks + child
#     the mover and its child)
#   movetest vrfork/vexecmove ------> rank 0                   rank 1               rank 2 (ENODEV: 77)
. "$(dirname "$0")/lib.sh"

mt=$helpers/movetest
cluster_reset

# ---- fork on a node: the child's PID comes from the master ---------------
# On the master: movetest forks 0, its child's ghost looked at and killed.
forks_sh="$mt forks 0 > /tmp/forks.out 2>&1 &
m=\$!
for i in 1 2 3 4 5 6 7 8 9 10; do grep -q '^in child' /tmp/forks.out && break; sleep 0.5; done
c=\$(sed -n 's/^child \([0-9][0-9]*\)\$/\1/p' /tmp/forks.out)
echo \"mover \$m child \${c:-none}\"
case \$c in [0-9]*) ;; *) kill -KILL \$m; exit 1 ;; esac
echo \"ghost parent \$(awk '{ print \$4 }' /proc/\$c/stat) node \$(cat /proc/bproc/\$c/node)\"
grep -q \"^\$c 0\\\$\" /proc/bproc/processes && echo \"in the table\"
kill -TERM \$c
wait \$m
echo \"mover exit \$?\"
cat /tmp/forks.out
[ -e /proc/\$c ] && echo \"ghost \$c left behind\"
exit 0"
test_expect_success 'fork on node 0: the child has a master PID, its ghost is under its parent on the master, SIGTERM from the master ends it, the parent waits for it there; back home, no ghost is left' '
	out=$(timeout 60 "$vcluster" run -- sh -c "$forks_sh") &&
	m=$(echo "$out" | sed -n "s/^mover \([0-9]*\) child.*/\1/p") &&
	c=$(echo "$out" | sed -n "s/^mover [0-9]* child \([0-9]*\)$/\1/p") &&
	# (the parent'\''s and the child'\''s lines may come in either order: sorted)
	want=$(printf "%s\n" "mover $m child $c" "ghost parent $m node 0" "in the table" \
		"mover exit 0" "child $c" "in child $c of $m on node 0" "child $c ended: signal 15" \
		"back: waitpid -1 No child processes" | sort) &&
	is "$(echo "$out" | sort)" "$want"
'

test_expect_success 'from node 0, bproc_vrfork to 1 0: a child forked on a node cannot move on yet (EOPNOTSUPP), the one that stays runs' '
	is "$(on master bpsh 0 "$mt" vrfork 1 0)" "0: EOPNOTSUPP
1: exit 11"
'
test_expect_success '... and node 0 goes on' '
	is "$(on master bpsh 0 echo still)" still
'

# ---- a forked child whose leader ends before its threads ------------------
# (every MPI rank has a thread of UCX's).  Its end is its last thread's:
# before, a process whose leader left first never ended on the master.
# The leader calls pthread_exit(); the other thread exits the group with 7
# a second later.
leader_first='import threading, os, time, ctypes
threading.Thread(target=lambda: (time.sleep(1), os._exit(7))).start()
ctypes.CDLL(None).pthread_exit(None)'
test_expect_success 'fork on node 1 of a process whose leader ends first: its parent gets its status, its ghost ends' '
	out=$(timeout 60 "$vcluster" run -- bpsh 1 sh -c "python3 -c \"\$1\"; echo status \$?" sh "$leader_first") &&
	is "$out" "status 7" &&
	on master sh -c "for i in \$(seq 50); do [ \$(cat /sys/bproc/stats/ghosts) = 0 ] && exit 0; sleep 0.2; done; cat /proc/bproc/processes; exit 1"
'

# ---- the vector forms --------------------------------------------------
test_expect_success 'bproc_vrfork to 0 1 77 2: child i runs as rank i, node 77 fails alone (ENODEV)' '
	is "$(on master "$mt" vrfork 0 1 77 2)" "0: exit 10
1: exit 11
2: ENODEV
3: exit 13"
'
test_expect_success "bproc_vexecmove of the master's /bin/sh to 1 2 0: each sees its BPROC_RANK" '
	is "$(on master "$mt" vexecmove 1 2 0)" "0: exit 20
1: exit 21
2: exit 22"
'

test_no_leaks master 0 1 2
test_done
