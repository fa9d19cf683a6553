#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bpsh on the virtual cluster: output, exit status, signals, stdout and
# stderr apart, stdin, node selection and prefixes, permissions.
#
#   master 10.77.0.1 (bpsh, the ghosts)      slaves 0..N-1 (the commands)
. "$(dirname "$0")/lib.sh"

tmp=$test_tmp
run() { "$vcluster" run -- "$@"; }

cluster_reset

test_expect_success 'bpsh 0 echo hi prints hi' '
	is "$(run bpsh 0 echo hi)" hi
'
test_expect_success "bpsh 0 sh -c 'exit 7' exits 7" '
	run bpsh 0 sh -c "exit 7"
	is $? 7
'
test_expect_success 'a remote death by SIGTERM: 255, naming the signal' '
	out=$(run bpsh 0 sh -c "kill -TERM \$\$" 2>&1)
	is "$?:$out" "255:0: killed by signal 15 (SIGTERM)"
'
test_expect_success 'stdout and stderr stay apart' '
	run bpsh 1 sh -c "echo to-out; echo to-err >&2" >"$tmp/o" 2>"$tmp/e" &&
	is "$(cat "$tmp/o")|$(cat "$tmp/e")" "to-out|to-err"
'
test_expect_success 'stdin reaches cat on node 1' '
	is "$(echo data | run bpsh 1 cat)" data
'
test_expect_success 'the same stdin reaches md5sum on two nodes' '
	seq 1 20000 >"$tmp/in" &&
	out=$(run bpsh 0,1 md5sum <"$tmp/in") &&
	want=$(md5sum <"$tmp/in") &&
	is "$out" "$want
$want"
'
test_expect_success 'bpsh -p 0-2: one prefixed line per node (in any order)' '
	is "$(run bpsh -p 0-2 uname -n | sort)" "  0: n0
  1: n1
  2: n2"
'
test_expect_success 'bpsh -s runs on each node in the order given' '
	is "$(run bpsh -s 2,0 sh -c "echo x \$(cat /sys/bproc/numnodes)")" "x 3
x 3"
'
test_expect_success 'bpsh -N: no output, the exit status' '
	out=$(run bpsh -N 0 sh -c "echo x; exit 3")
	is "$?:$out" "3:"
'
test_expect_success 'bpsh -a runs on every up node' '
	out=$(run bpsh -a sh -c "echo a") &&
	is "$(printf "%s\n" "$out" | grep -c a)" "$(nslaves)"
'
usr1='bpsh 1 sh -c "trap \"exit 42\" USR1; echo ready; while :; do sleep 0.1; done" & p=$!
	sleep 2; kill -USR1 $p; wait $p; echo $?'
test_expect_success 'SIGUSR1 to bpsh reaches the remote trap; bpsh exits with its code' '
	out=$(run sh -c "$usr1") &&
	is "$(printf "%s\n" "$out" | tail -1)" 42
'
test_expect_success 'bpsh to a node that does not exist exits 255' '
	out=$(run bpsh 9 true 2>&1)
	is "$?" 255
'
test_expect_success "nobody on node 2 (mode 100): '2: Permission denied', 255" '
	run bpctl -S 2 -u root -m 0100 &&
	out=$(run setpriv --reuid 65534 --regid 65534 --clear-groups bpsh 2 true 2>&1)
	r=$?
	run bpctl -S 2 -u root -m 0111 &&
	is "$r:$out" "255:2: Permission denied"
'

# ---- -I/-O/-E: files on the node ----------------------------------------
test_expect_success 'bpsh -O/-E: nothing comes back, the exit status does' '
	out=$(run bpsh 1 -O /tmp/bpsh-o -E /tmp/bpsh-e sh -c "echo out; echo err >&2; exit 3" 2>&1)
	is "$?:$out" "3:"
'
test_expect_success "... stdout and stderr are in the node's files" '
	is "$(run bpsh 1 sh -c "cat /tmp/bpsh-o /tmp/bpsh-e")" "out
err"
'
test_expect_success "bpsh -I: stdin from the node's file" '
	is "$(run bpsh 1 -I /tmp/bpsh-o cat)" out
'
test_expect_success "... and not from bpsh's stdin" '
	is "$(echo from-master | run bpsh 1 -I /tmp/bpsh-o cat)" out
'
test_expect_success 'bpsh -I of a file the node lacks: 255, the reason is said' '
	out=$(run bpsh 1 -I /tmp/no-such cat 2>&1)
	is $? 255 &&
	matches "$out" "*cannot start on node 1: No such file or directory*"
'
as_nobody='cd /tmp; umask 027
	setpriv --reuid 65534 --regid 65534 --clear-groups bpsh 1 -O nobody-o sh -c "id -u"
	setpriv --reuid 65534 --regid 65534 --clear-groups bpsh 1 -O rootonly/x true'
test_expect_success "bpsh -O as nobody into root's 700 directory: Permission denied" '
	run bpsh 1 sh -c "mkdir -p /tmp/rootonly; chmod 700 /tmp/rootonly" &&
	out=$(run sh -c "$as_nobody" 2>&1)
	matches "$out" "*cannot start on node 1: Permission denied*"
'
test_expect_success "... a relative -O is bpsh's directory (/tmp), the file is nobody's, made with its umask (027)" '
	is "$(run bpsh 1 sh -c "cat /tmp/nobody-o; stat -c \"%u %a\" /tmp/nobody-o")" "65534
65534 640"
'
test_expect_success "a user's process on a node has its uid, gid and groups, and so do the children it forks" '
	is "$(run setpriv --reuid 65534 --regid 65534 --groups 5,7 bpsh 1 sh -c "id; (id -u); echo \$(id -g)")" \
		"uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup),5(tty),7(lp)
65534
65534"
'
test_expect_success 'bpsh -1 -O: the master opens the file itself' '
	is "$(run bpsh -1 -O /tmp/bpsh-master sh -c "echo here"; run cat /tmp/bpsh-master)" here
'
test_expect_success 'a stdout open read-only on the master: the output goes nowhere, the process ends normally (the console check: no kernel warning)' '
	is "$(run sh -c "bpsh 1 echo lost 1</dev/null; echo \"exit \$?\"" 2>&1)" "exit 0"
'
test_expect_success 'bproc_execmove from a node: EOPNOTSUPP before the exec, the caller goes on' '
	is "$(run bpsh 0 "$helpers/movetest" exec 1 /bin/true)" "execmove failed: EOPNOTSUPP"
'
out=$(run "$helpers/movetest" io 1 2>&1)
test_relay "the *_io calls (file, stdin from it, TCP socket back, ENOENT/ECONNREFUSED from the node; bad entries refused by library and ioctl)" "$out"

# bpmaster(8), bpslave(8): SIGUSR1 logs the counts; a bpsh adds frames
# both ways and kernel messages (the benchmarks' messages per spawn).
counts_of() { sed -n "s/.*counts: kernel messages in \([0-9]*\) out \([0-9]*\), frames in \([0-9]*\) out \([0-9]*\), bytes in \([0-9]*\) out \([0-9]*\)$/\1 \2 \3 \4 \5 \6/p"; }
test_expect_success 'SIGUSR1: bpmaster logs its counts, and a bpsh 1 true adds to each of them' '
	run sh -c "kill -USR1 \$(pidof bpmaster); sleep 0.5; bpsh 1 true; kill -USR1 \$(pidof bpmaster); sleep 0.5" &&
	on master grep "counts:" /run/bpmaster.log | tail -n 2 | counts_of > "$test_tmp/c" &&
	is "$(wc -l < "$test_tmp/c")" 2 &&
	set -- $(head -n 1 "$test_tmp/c") $(tail -n 1 "$test_tmp/c") &&
	[ "$7" -gt "$1" ] && [ "$8" -gt "$2" ] && [ "$9" -gt "$3" ] && [ "${10}" -gt "$4" ] &&
	[ "${11}" -gt "$5" ] && [ "${12}" -gt "$6" ] &&
	on master pidof bpmaster >/dev/null
'
test_expect_success 'SIGUSR1: bpslave logs its counts and goes on' '
	on 1 sh -c "kill -USR1 \$(pidof bpslave)" &&
	for i in $(seq 50); do "$vcluster" log 1 | grep -q "bpslave n1.*counts: kernel messages in [1-9]" && break; sleep 0.1; done &&
	"$vcluster" log 1 | grep -q "bpslave n1.*counts: kernel messages in [1-9]" &&
	is "$(run bpsh 1 echo still)" still
'

test_no_leaks master 0 1 2
test_done
