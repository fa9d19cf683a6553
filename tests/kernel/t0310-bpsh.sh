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

# ---- -I/-O/-E: files on the node ----------------------------------------
out=$(run bpsh 1 -O /tmp/bpsh-o -E /tmp/bpsh-e sh -c 'echo out; echo err >&2; exit 3' 2>&1)
is "$?:$out" "3:" "bpsh -O/-E: nothing comes back, the exit status does"
is "$(run bpsh 1 sh -c 'cat /tmp/bpsh-o /tmp/bpsh-e')" "out
err" "... stdout and stderr are in the node's files"
is "$(run bpsh 1 -I /tmp/bpsh-o cat)" out "bpsh -I: stdin from the node's file"
is "$(echo from-master | run bpsh 1 -I /tmp/bpsh-o cat)" out "... and not from bpsh's stdin"
out=$(run bpsh 1 -I /tmp/no-such cat 2>&1)
r=$?
case $out in *"cannot start on node 1: No such file or directory"*) ;; *) r=0 ;; esac
is "$r" 255 "bpsh -I of a file the node lacks: 255, the reason is said [$out]"
run bpsh 1 sh -c 'mkdir -p /tmp/rootonly; chmod 700 /tmp/rootonly'
out=$(run sh -c 'cd /tmp; umask 027; setpriv --reuid 65534 --regid 65534 --clear-groups bpsh 1 -O nobody-o sh -c "id -u"; setpriv --reuid 65534 --regid 65534 --clear-groups bpsh 1 -O rootonly/x true' 2>&1)
case $out in *"cannot start on node 1: Permission denied"*) r=0 ;; *) r=1 ;; esac
_tap $r "bpsh -O as nobody into root's 700 directory: Permission denied" "$out"
is "$(run bpsh 1 sh -c 'cat /tmp/nobody-o; stat -c "%u %a" /tmp/nobody-o')" "65534
65534 640" "... a relative -O is bpsh's directory (/tmp), the file is nobody's, made with its umask (027)"
is "$(run setpriv --reuid 65534 --regid 65534 --groups 5,7 bpsh 1 sh -c 'id; (id -u); echo $(id -g)')" \
	"uid=65534 gid=65534 groups=5,7
65534
65534" "a user's process on a node has its uid, gid and groups, and so do the children it forks"
is "$(run bpsh -1 -O /tmp/bpsh-master sh -c 'echo here'; run cat /tmp/bpsh-master)" here \
	"bpsh -1 -O: the master opens the file itself"
out=$(run sh -c 'bpsh 1 echo lost 1</dev/null; echo "exit $?"' 2>&1)
is "$out" "exit 0" "a stdout open read-only on the master: the output goes nowhere, the process ends normally (the console check: no kernel warning)"
is "$(run bpsh 0 "$helpers/movetest" exec 1 /bin/true)" "execmove failed: EOPNOTSUPP" \
	"bproc_execmove from a node: EOPNOTSUPP before the exec, the caller goes on"
is "$(run "$helpers/movetest" io 1 | grep -c '^FAIL')" 0 \
	"the *_io calls: file, stdin from it, TCP socket back, ENOENT/ECONNREFUSED from the node; bad entries refused (library and ioctl)"
is "$(run cat /sys/bproc/stats/ghosts)" 0 "no ghost left"

done_testing
