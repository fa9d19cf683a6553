#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bpsh without a cluster: option parsing, usage errors, node selection and
# the nodes that fail to start (a fake /sys/bproc through libbproc's
# BPROC_SYSFS test hook), and everything that happens on the master (-1,
# "master": a plain fork and exec), which shares its code with the remote
# case: exit statuses, signals, -p/-L/-s/-d/-b/-n/-N/-t.  Placing
# processes on real nodes is tested in qemu (tests/kernel).
#
#   node  status  addr
#   0     down    0.0.0.0
#   1     up      10.0.0.11
#   2     error   10.0.0.12
. "$(dirname "$0")/lib.sh"

make -s -C "$top" build/bin/bpsh >"$d/make.log" 2>&1 ||
	{ sed 's/^/#   /' "$d/make.log"; bail_out "make build/bin/bpsh"; }

bpsh=$top/build/bin/bpsh
sys=$d/sys
export BPROC_SYSFS=$sys BPROC_PROCFS=$d/proc

setnode() {
	mkdir -p "$sys/nodes/$1"
	echo "$2" >"$sys/nodes/$1/status"
	echo "$3" >"$sys/nodes/$1/addr"
	echo 0 >"$sys/nodes/$1/user"
	echo 0 >"$sys/nodes/$1/group"
	echo 111 >"$sys/nodes/$1/mode"
}
mkdir -p "$sys/nodes" "$d/proc"
echo 3 >"$sys/numnodes"
echo 5.0.0 >"$sys/version"
echo 10.0.0.1 >"$sys/master_addr"
setnode 0 down 0.0.0.0
setnode 1 up 10.0.0.11
setnode 2 error 10.0.0.12

# check DESC EXPECTED ACTUAL: a test that ACTUAL (already computed) is EXPECTED
check() {
	_want=$2 _got=$3
	test_expect_success "$1" 'is "$_got" "$_want"'
}
# run ARGS...: bpsh with stdout in $d/out, stderr in $d/err, status in $rc
run() {
	"$bpsh" "$@" >"$d/out" 2>"$d/err" </dev/null
	rc=$?
}
out() { cat "$d/out"; }
err() { cat "$d/err"; }
dashes=$(printf '%69s' '' | tr ' ' -)

# ---- the command line -----------------------------------------------
run -h
check "-h: exit 0" 0 $rc
test_expect_success '-h: usage on stdout' 'head -n 1 "$d/out" | grep -q "^usage: bpsh"'
run -v
check "-v: the version" "0 bpsh version 5.0.0" "$rc $(out)"
run
check "no arguments: exit 255" 255 $rc
test_expect_success 'no arguments: usage on stderr' 'grep -q "^usage: bpsh" "$d/err"'
run -Z 1 true
check "an unknown option: exit 255" 255 $rc
run 1
check "NODES without a command: exit 255" 255 $rc
run -a -1 true
check "-a and -1 together: exit 255" "255 bpsh: give one of NODES, -a, -A and -1" \
	"$rc $(err)"
run -1 -- 2>/dev/null
check "-1 and only --: exit 255" 255 $rc
for b in 0 x 1k -4 16777217; do
	run -b "$b" -1 true
	check "-b $b: exit 255" 255 $rc
done
run -p -b 0x10 -1 true
check "-b 0x10: hexadecimal is a size" 0 $rc
# -I/-O/-E on the master (-1): bpsh's child opens the files itself.
echo "in-file" >"$d/in"
run -O "$d/o" -E "$d/e" -1 sh -c 'echo out; echo err >&2; exit 4'
check "-O/-E on the master: its exit status" 4 $rc
check "-O: stdout in the file" out "$(cat "$d/o")"
check "-E: stderr in the file" err "$(cat "$d/e")"
check "-O/-E: nothing on bpsh's own output" "" "$(cat "$d/out")"
run --stdin "$d/in" -1 cat
check "--stdin FILE on the master" in-file "$(cat "$d/out")"
run -I "$d/no-such" -1 cat
check "-I of a missing file: exit 255" 255 $rc
test_expect_success '... saying why' 'grep -q "No such file" "$d/err"'
run -O "" -1 true
check "-O with no file: exit 255" 255 $rc
(cd "$d" && "$bpsh" -O rel-out -1 echo relative >/dev/null 2>&1)
check "-O with a relative name: bpsh's directory" relative "$(cat "$d/rel-out" 2>/dev/null)"
# ---- what launchers that expect ssh pass ----------------------------
LOGNAME=bpsh-test-user run -l bpsh-test-user -1 true
check "-l USER, the caller (\$LOGNAME): accepted" 0 $rc
run -l "$(id -u)" -1 true
check "-l UID, the caller's: accepted" 0 $rc
LOGNAME=bpsh-test-user USER=bpsh-test-user run -l someone-else -1 true
check "-l another user: exit 255, saying why" \
	"255 bpsh: -l someone-else: processes run on nodes as their owner (UID $(id -u)) only" \
	"$rc $(err)"
run -x -n -1 echo x-ignored
check "-x (no X11 forwarding) and -n: accepted" "0 x-ignored" "$rc $(out)"
# Hydra's form: "mpiexec -launcher ssh -launcher-exec bpsh" quotes the
# proxy's path for the remote shell.
run -x -1 '"/bin/echo"' 'two  blanks' '$BPROC_RANK'
check "a quoted program, as ssh launchers give it: run by /bin/sh -c" \
	"0 two blanks 0" "$rc $(out)"
run -1 'echo piped | tr d D'
check "a shell command line as one word: run by /bin/sh -c" "0 pipeD" "$rc $(out)"
run -1 '/no/such/program' arg
check "a missing program (no shell syntax) still fails" \
	"255 -1: No such file or directory" "$rc $(err)"
run -1 "$d/in" arg
check "... and so does a file that is not executable" 255 $rc

# ---- selecting nodes and failing to start ---------------------------
run 1 no_such_command_bpsh
check "a command not in PATH: exit 255" \
	"255 bpsh: no_such_command_bpsh: command not found" "$rc $(err)"
run 'bogus!' true
check "an invalid node specification: exit 255" \
	"255 bpsh: invalid node specification 'bogus!'" "$rc $(err)"
run 7 true
check "a node that does not exist: exit 255" "255 bpsh: '7': no such node" \
	"$rc $(err)"
BPROC_SYSFS=$d/missing run 1 true
check "no node table: exit 255" \
	"255 bpsh: cannot read the node table: bproc is not loaded" "$rc $(err)"
run 0 echo hi
check "a node that is down: NODE: node is down, exit 255" \
	"255 0: node is down" "$rc $(err)$(out)"
run 2 echo hi
check "a node in error: node is down" "255 2: node is down" "$rc $(err)$(out)"
run -A echo hi
if [ -e /dev/bproc/control ]; then
	echo "ok - # SKIP bproc is loaded here: node 1 is tried for real"
else
	check "-A: nodes 1 and 2 (not down) are tried" \
		"255 1: bproc is not loaded
2: node is down" "$rc $(err | sort)"
	run 10.0.0.11 true
	check "NODES as a node's address" "255 1: bproc is not loaded" \
		"$rc $(err)"
fi
echo down >"$sys/nodes/1/status"
run -a echo hi
check "-a with no node up: nothing to do, exit 0" "0 " "$rc $(err)$(out)"
echo up >"$sys/nodes/1/status"
run -p 0,master sh -c 'echo ok; exit 3'
check "a failed node and one that ran: its output, exit 255" \
	"255  -1: ok 0: node is down" "$rc $(out) $(err)"

# ---- running: exit statuses ------------------------------------------
BPROC_SYSFS=$d/missing run -1 echo hi
check "-1: runs here, without a node table" "0 hi" "$rc $(out)"
run -1 sh -c 'exit 7'
check "-1: the exit code" 7 $rc
run master,master sh -c 'exit $((BPROC_RANK + 3))'
check "several: the highest exit code" 4 $rc
run master,master sh -c 'echo $BPROC_RANK'
check "BPROC_RANK: the place in the node list" "0 1" "$(out | sort | tr '\n' ' ' | sed 's/ $//')"
run -1 sh -c 'kill -TERM $$'
check "killed by a signal: exit 255, the signal named" \
	"255 -1: killed by signal 15 (SIGTERM)" "$rc $(err)"
run -1 echo -p -n
check "the command's own options are left alone" "-p -n" "$(out)"
run master -p echo x
check "options after NODES" " -1: x" "$(out)"

# ---- output ----------------------------------------------------------
run -1 sh -c 'echo out; echo err >&2'
check "default: stdout and stderr apart" "out/err" "$(out)/$(err)"
run -p -1 sh -c 'echo out; echo err >&2; printf "a\nb"'
check "-p: stdout lines prefixed on stdout" " -1: out
 -1: a
 -1: b" "$(out)"
check "-p: stderr lines prefixed on stderr" " -1: err" "$(err)"
run -L -1 printf 'a\nb'
check "-L: the last line as it is" "$(printf 'a\nb')" "$(out)"
run -p -b 8 -1 sh -c 'echo abcdefghijkl; echo x'
check "-p -b 8: a long line in pieces, each prefixed" " -1: abcdefgh
 -1: ijkl
 -1: x" "$(out)"
slow0='if [ $BPROC_RANK = 0 ]; then sleep 0.3; fi; echo r$BPROC_RANK'
run master,master sh -c "$slow0"
check "without -s: output as it comes" "r1 r0" "$(out | tr '\n' ' ' | sed 's/ $//')"
run -s master,master sh -c "$slow0"
check "-s: output in node order" "r0 r1" "$(out | tr '\n' ' ' | sed 's/ $//')"
run -d master,master sh -c "$slow0"
check "-d: a divider before each node" "-1	$dashes
r0
-1	$dashes
r1" "$(out)"
"$bpsh" -d -p master,0,master sh -c "$slow0"' >&2' >"$d/all" 2>&1
check "-d -p: stderr and messages in their node's turn" "-1	$dashes
 -1: r0
0	$dashes
0: node is down
-1	$dashes
 -1: r2" "$(cat "$d/all")"
run -N -1 sh -c 'echo hi; echo err >&2; exit 3'
check "-N: no output, the exit code kept" "3 " "$rc $(out)$(err)"
check "default: stdin is bpsh's" data "$(echo data | "$bpsh" -1 cat)"
head -c 300000 /dev/urandom >"$d/in"
sum=$(md5sum <"$d/in")
check "several: each process reads all of stdin" "$sum
$sum
$sum" "$("$bpsh" master,master,master md5sum <"$d/in")"
check "several: one that stops reading is left out" "$sum" \
	"$("$bpsh" master,master,master sh -c '[ $BPROC_RANK = 1 ] && exec md5sum
		head -c 10 >/dev/null' <"$d/in")"
check "several: stdin at EOF" "0 0" \
	"$("$bpsh" master,master sh -c 'wc -c' </dev/null | tr '\n' ' ' | sed 's/ $//')"
check "-n: stdin from /dev/null" "" "$(echo data | "$bpsh" -n -1 cat)"
check "-n: stdin from /dev/null, several" "" \
	"$(echo data | "$bpsh" -n master,master cat)"
check "-N: stdin from /dev/null" "" "$(echo data | "$bpsh" -N -1 cat)"
run -t -1 true
test_expect_success '-t: the elapsed seconds on stderr' 'grep -Eqx "[0-9]+\.[0-9]{6}" "$d/err"'
check "-t: nothing on stdout" "" "$(out)"
out=$(timeout 10 "$bpsh" -p -1 yes 2>/dev/null | head -n 1)
check "-p: a reader that goes away ends the command" " -1: y" "$out"

# ---- signals ----------------------------------------------------------
# wait_for FILE: until it exists (10 s at most)
wait_for() {
	local i
	for i in $(seq 200); do
		[ -e "$1" ] && return 0
		sleep 0.05
	done
	return 1
}
rm -f "$d/ready"
"$bpsh" -p -1 sh -c "trap 'echo got USR1; exit 4' USR1; touch $d/ready
	while :; do sleep 0.05; done" >"$d/out" 2>"$d/err" &
pid=$!
wait_for "$d/ready"
kill -USR1 "$pid"
wait "$pid"
check "SIGUSR1 to bpsh reaches the process" "4  -1: got USR1" "$? $(out)"

rm -f "$d/ready"
"$bpsh" master,master sh -c "touch $d/ready.\$BPROC_RANK; exec sleep 30" \
	>"$d/out" 2>"$d/err" &
pid=$!
wait_for "$d/ready.0" && wait_for "$d/ready.1"
kill -TERM "$pid"
wait "$pid"
check "SIGTERM to bpsh: every process killed, bpsh waits and exits 255" \
	"255 -1: killed by signal 15 (SIGTERM)
-1: killed by signal 15 (SIGTERM)" "$? $(err)"

test_done
