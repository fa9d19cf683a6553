#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bpsh on the virtual cluster: output, exit status, signals, stdout and
# stderr apart, stdin, node selection and prefixes, permissions.
#
#   master 10.77.0.1 (bpsh, the ghosts)      slaves 0..N-1 (the commands)
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() { "$vcluster" run -- "$@"; }

is "$(run bpsh 0 echo hi)" hi "bpsh 0 echo hi prints hi"
run bpsh 0 sh -c 'exit 7'
is $? 7 "bpsh 0 sh -c 'exit 7' exits 7"
out=$(run bpsh 0 sh -c 'kill -TERM $$' 2>&1)
r=$?
is "$r:$out" "255:0: killed by signal 15 (SIGTERM)" "a remote death by SIGTERM: 255, naming the signal"
run bpsh 1 sh -c 'echo to-out; echo to-err >&2' >"$tmp/o" 2>"$tmp/e"
is "$(cat "$tmp/o")|$(cat "$tmp/e")" "to-out|to-err" "stdout and stderr stay apart"
is "$(echo data | run bpsh 1 cat)" data "stdin reaches cat on node 1"
seq 1 20000 >"$tmp/in"
out=$(run bpsh 0,1 md5sum <"$tmp/in")
want=$(md5sum <"$tmp/in")
is "$out" "$want
$want" "the same stdin reaches md5sum on two nodes"
is "$(run bpsh -p 0-2 uname -n | sort)" "  0: (none)
  1: (none)
  2: (none)" "bpsh -p 0-2: one prefixed line per node (in any order)"
out=$(run bpsh -s 2,0 sh -c 'echo x $(cat /sys/bproc/numnodes)')
is "$out" "x 3
x 3" "bpsh -s runs on each node in the order given"
out=$(run bpsh -N 0 sh -c 'echo x; exit 3')
is "$?:$out" "3:" "bpsh -N: no output, the exit status"
out=$(run bpsh -a sh -c 'echo a')
is "$(printf '%s\n' "$out" | grep -c a)" "$(nslaves)" "bpsh -a runs on every up node"
out=$(run sh -c 'bpsh 1 sh -c "trap \"exit 42\" USR1; echo ready; while :; do sleep 0.1; done" & p=$!; sleep 2; kill -USR1 $p; wait $p; echo $?')
is "$(printf '%s\n' "$out" | tail -1)" 42 "SIGUSR1 to bpsh reaches the remote trap; bpsh exits with its code"
out=$(run bpsh 9 true 2>&1)
is "$?" 255 "bpsh to a node that does not exist exits 255 [$out]"
run bpctl -S 2 -u root -m 0100
out=$(run setpriv --reuid 65534 --regid 65534 --clear-groups bpsh 2 true 2>&1)
r=$?
is "$r:$out" "255:2: Permission denied" "nobody on node 2 (mode 100): '2: Permission denied', 255"
run bpctl -S 2 -u root -m 0111
is "$(run cat /sys/bproc/stats/ghosts)" 0 "no ghost left"

done_testing
