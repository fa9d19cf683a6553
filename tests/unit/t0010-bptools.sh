#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bpstat, bpctl and bplib against a fake /sys/bproc and /proc/bproc (plain
# files under $d, through libbproc's BPROC_SYSFS/BPROC_PROCFS test hooks):
# bpstat's outputs, orders and node selections, bpctl's left-to-right
# actions, errors and exit statuses, bplib's commands.  What only the kernel
# does (refusing bad values, the status changes of a reboot) is tested in
# qemu.
#
#   node  status  addr        user   group  mode
#   0-3   up      10.0.0.1N   0      0      111     (N = node + 10)
#   4     down    0.0.0.0     0      0      111
. "$(dirname "$0")/lib.sh"

make -s -C "$top" build/bin/bpstat build/bin/bpctl build/bin/bplib >"$d/make.log" 2>&1 ||
	{ sed 's/^/#   /' "$d/make.log"; bail_out "make build/bin/bpstat build/bin/bpctl build/bin/bplib"; }

sys=$d/sys proc=$d/proc
export BPROC_SYSFS=$sys BPROC_PROCFS=$proc
bpstat=$top/build/bin/bpstat bpctl=$top/build/bin/bpctl bplib=$top/build/bin/bplib

# setnode N STATUS ADDR USER GROUP MODE
setnode() {
	local f=$sys/nodes/$1
	mkdir -p "$f"
	echo "$2" >"$f/status"
	echo "$3" >"$f/addr"
	echo "$4" >"$f/user"
	echo "$5" >"$f/group"
	echo "$6" >"$f/mode"
	: >"$f/reboot"
	: >"$f/halt"
	: >"$f/pwroff"
}
reset_tree() {
	local i
	rm -rf "$sys" "$proc"
	mkdir -p "$sys/nodes" "$proc"
	echo 5 >"$sys/numnodes"
	echo 5.0.0 >"$sys/version"
	echo 10.0.0.1 >"$sys/master_addr"
	for i in 0 1 2 3; do setnode $i up 10.0.0.$((i + 10)) 0 0 111; done
	setnode 4 down 0.0.0.0 0 0 111
	printf '/lib/\n/usr/lib/\n' >"$proc/libraries"
}
# check DESC EXPECTED ACTUAL: a test that ACTUAL (already computed) is EXPECTED
check() {
	_want=$2 _got=$3
	test_expect_success "$1" 'is "$_got" "$_want"'
}
# Lines as one line of words; the contents of files (with or without a
# newline) as one line of words.
words() { tr '\n' ' ' | sed 's/ $//'; }
vals() {
	local f out=
	for f; do out+="$(cat "$f") "; done
	echo "${out% }"
}
# The compact table's rows, as bproc 4 lays them out on 80 columns.
row() { printf '%-34s %-15s %-10s %-8s %s\n' "$@"; }
hdr=$(row 'Node(s)' Status Mode User Group)

reset_tree

# ---- bpstat ---------------------------------------------------------
out=$("$bpstat" 2>&1)
check "compact: identical nodes share a row, sorted by status" \
	"$hdr
$(row 4 down ---x--x--x root root)
$(row 0-3 up ---x--x--x root root)" "$out"

echo 54321 >"$sys/nodes/2/user"
echo 54322 >"$sys/nodes/2/group"
echo 100 >"$sys/nodes/2/mode"
out=$("$bpstat" 2>&1)
check "compact: unknown ids as #id, mode as x bits; only neighbours share a row" \
	"$hdr
$(row 4 down ---x--x--x root root)
$(row 0-1 up ---x--x--x root root)
$(row 2 up ---x------ '#54321' '#54322')
$(row 3 up ---x--x--x root root)" "$out"

# What nodes reported (a mount that failed), after the table and -l's.
mkdir -p "$d/notes"
printf 'mount master:/home on /home (nfs): Connection refused\n\033[2Jsecond\n' >"$d/notes/1"
out=$(BPROC_NOTES=$d/notes "$bpstat" 2>&1)
check "compact: a node's notes after the table, controls made harmless" \
	"$hdr
$(row 4 down ---x--x--x root root)
$(row 0-1 up ---x--x--x root root)
$(row 2 up ---x------ '#54321' '#54322')
$(row 3 up ---x--x--x root root)
node 1: mount master:/home on /home (nfs): Connection refused
node 1: ?[2Jsecond" "$out"
out=$(BPROC_NOTES=$d/notes "$bpstat" -l 0-1 2>&1 | tail -n 2)
check "-l: the notes of the nodes shown" \
	"node 1: mount master:/home on /home (nfs): Connection refused
node 1: ?[2Jsecond" "$out"
out=$(BPROC_NOTES=$d/notes "$bpstat" -l 2 2>&1 | grep -c '^node 1')
check "-l: no notes of nodes not shown" 0 "$out"

echo 0 >"$sys/nodes/4/user"
echo up >"$sys/nodes/4/status"
echo down >"$sys/nodes/3/status"
out=$("$bpstat" 2>&1)
check "compact: a list of ranges" \
	"$hdr
$(row 3 down ---x--x--x root root)
$(row 0-1 up ---x--x--x root root)
$(row 2 up ---x------ '#54321' '#54322')
$(row 4 up ---x--x--x root root)" "$out"
echo 0 >"$sys/nodes/2/user"
echo 0 >"$sys/nodes/2/group"
echo 111 >"$sys/nodes/2/mode"
out=$("$bpstat" 2>&1)
check "compact: ranges and single nodes in one row" \
	"$hdr
$(row 3 down ---x--x--x root root)
$(row 0-2,4 up ---x--x--x root root)" "$out"
echo 54321 >"$sys/nodes/2/user"
echo 54322 >"$sys/nodes/2/group"
echo up >"$sys/nodes/3/status"
echo down >"$sys/nodes/4/status"
echo 100 >"$sys/nodes/2/mode"

out=$("$bpstat" -c -N 2>&1)
check "compact -N: by number, a row per run of the same values" \
	"$hdr
$(row 0-1 up ---x--x--x root root)
$(row 2 up ---x------ '#54321' '#54322')
$(row 3 up ---x--x--x root root)
$(row 4 down ---x--x--x root root)" "$out"

out=$("$bpstat" -R 2>&1)
check "compact -R: status order reversed" \
	"$hdr
$(row 0-1 up ---x--x--x root root)
$(row 2 up ---x------ '#54321' '#54322')
$(row 3 up ---x--x--x root root)
$(row 4 down ---x--x--x root root)" "$out"

out=$("$bpstat" -l 2>&1)
check "-l: one node per line, with its address" \
	"Node Address         Status       Mode          User       Group
   0 10.0.0.10       up           ---x--x--x    root       root
   1 10.0.0.11       up           ---x--x--x    root       root
   2 10.0.0.12       up           ---x------    #54321     #54322
   3 10.0.0.13       up           ---x--x--x    root       root
   4 0.0.0.0         down         ---x--x--x    root       root" "$out"

check "-a: addresses" "10.0.0.10
10.0.0.11
10.0.0.12
10.0.0.13
0.0.0.0" "$("$bpstat" -a 2>&1)"
check "-s: status" "up
up
up
up
down" "$("$bpstat" -s 2>&1)"
check "-n: numbers" "0 1 2 3 4" "$("$bpstat" -n 2>&1 | words)"
check "-t: total" 5 "$("$bpstat" -t 2>&1)"
check "-t allup" 4 "$("$bpstat" -t allup 2>&1)"
check "-t down" 1 "$("$bpstat" -t down 2>&1)"
check "-n -R: descending" "4 3 2 1 0" "$("$bpstat" -n -R 2>&1 | words)"
check "-n -S: by status, then number" "4 0 1 2 3" \
	"$("$bpstat" -n -S 2>&1 | words)"
check "NODES: several arguments, sorted by number" "1 2 4" \
	"$("$bpstat" -n 4 1-2 2>&1 | words)"
check "-O: in the order NODES name them" "4 1 2" \
	"$("$bpstat" -n -O 4 1-2 2>&1 | words)"
check "-O -R: that order reversed" "2 1 4" \
	"$("$bpstat" -n -O -R 4 1-2 2>&1 | words)"
check "-s 3: one node" up "$("$bpstat" -s 3 2>&1)"
check "--long --total: the last output option wins" 5 "$("$bpstat" --long --total 2>&1)"

"$bpstat" 'bogus!' >"$d/out" 2>&1
check "an invalid node specification: exit 2" 2 $?
test_expect_success 'and the message names it' 'grep -q bogus "$d/out"'
"$bpstat" -Q >/dev/null 2>&1
check "an unknown option: exit 2" 2 $?
test_expect_success '-h: usage on stdout' '"$bpstat" -h | grep -q "^usage: bpstat"'
check "-v: version" "bpstat version 5.0.0" "$("$bpstat" -v)"
BPROC_SYSFS=$d/missing "$bpstat" >"$d/out" 2>&1
check "no bproc: exit 1" 1 $?
test_expect_success 'with a message' 'grep -q "cannot read the node table" "$d/out"'

check "-A: the node with an address" 2 "$("$bpstat" -A 10.0.0.12 2>&1)"
"$bpstat" -A 10.9.9.9 >/dev/null 2>&1
check "-A: no such node: exit 1" 1 $?

check "-p: without a process table, only the header" "PID	Node" "$("$bpstat" -p 2>&1)"
printf '4242 1\n4343 3\n' >"$proc/processes"
check "-p: the process table" "PID	Node
4242	1
4343	3" "$("$bpstat" -p 2>&1)"
out=$(printf '  PID TTY      STAT   TIME COMMAND\n    1 ?        Ss     0:01 init\n 4242 ?        R      0:00 a.out\n' |
	"$bpstat" -P 2>&1)
check "-P: a NODE column in front of ps output" "NODE	  PID TTY      STAT   TIME COMMAND
	    1 ?        Ss     0:01 init
1	 4242 ?        R      0:00 a.out" "$out"
rm -f "$proc/processes"

# -U: a new picture when the table changes.  Frames start with ESC[H ESC[J.
"$bpstat" -U -s >"$d/update" 2>&1 &
upd=$!
frames() { grep -c $'\033\\[H' "$d/update"; }
for _ in $(seq 100); do [ "$(frames)" -ge 1 ] && break; sleep 0.1; done
check "-U: the first picture" 1 "$(frames)"
# The table is read every second: after 1.5 s it has been read again,
# unchanged, which must draw nothing.
sleep 1.5
check "-U: nothing new while nothing changes" 1 "$(frames)"
echo up >"$d/status" && mv "$d/status" "$sys/nodes/4/status"	# atomically
for _ in $(seq 100); do [ "$(frames)" -ge 2 ] && break; sleep 0.1; done
check "-U: a new picture after a change" 2 "$(frames)"
check "-U: and it shows the change" up "$(tail -n 1 "$d/update")"
kill "$upd"
wait "$upd" 2>/dev/null
reset_tree

# ---- bpctl ----------------------------------------------------------
"$bpctl" -S 1 -u 54321 -g 54322 -m 0750 -s unavailable
check "bpctl: several actions, exit 0" 0 $?
check "bpctl: they reached the node" "   1 10.0.0.11       unavailable  ---x--x---    #54321     #54322" \
	"$("$bpstat" -l 1 | tail -n 1)"
"$bpctl" -S 0,2 -u root -g 0 -m 0100
check "bpctl: a user name, a group number, two nodes" \
	"$(row 0,2 up ---x------ root root)" "$("$bpstat" 0 2 | sed 1d)"
# Node names (nN, .N: Documentation/names.md) wherever a number is taken.
"$bpctl" -S n4 -m 0110 -S .3 -m 0101
check "bpctl: nodes by name (n4, .3)" "110 101" "$(vals "$sys/nodes/4/mode" "$sys/nodes/3/mode")"
check "bpstat: nodes by name" "   4 0.0.0.0         down         ---x--x---    root       root" \
	"$("$bpstat" -l n4 | tail -n 1)"
"$bpctl" -S n3,.4 -m 0111
"$bpctl" -S 0 -s error -S allerror -u 777 -S 3 -u 778
check "bpctl: each -S sees the actions before it" "777 0 778" \
	"$(vals "$sys/nodes/0/user" "$sys/nodes/2/user" "$sys/nodes/3/user")"

# A write that fails: as the kernel's files do for anyone but root, node 3's
# mode refuses the writer (run as nobody when the test runs as root).
reset_tree
chmod 755 "$d"
chmod 666 "$sys/nodes/2/mode" "$sys/nodes/4/mode"
chmod 444 "$sys/nodes/3/mode"
as_user() { if [ "$(id -u)" = 0 ]; then setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; else "$@"; fi; }
as_user "$bpctl" -S 2-4 -m 0110 2>"$d/err"
check "bpctl: a failed action: exit 1" 1 $?
check "bpctl: reported as NODE: message" "3: Permission denied" "$(cat "$d/err")"
check "bpctl: the other nodes were changed" "---x--x--- ---x--x--x ---x--x---" \
	"$("$bpstat" -l 2-4 | awk 'NR > 1 { print $4 }' | words)"

usage_error() {
	local desc=$1
	shift
	reset_tree
	"$bpctl" "$@" >"$d/out" 2>&1
	check "bpctl $desc: exit 2" 2 $?
	check "bpctl $desc: nothing changed" "up 0" \
		"$(vals "$sys/nodes/0/status" "$sys/nodes/0/user")"
}
usage_error "(no -S)" -s down
usage_error "(bad mode)" -S 0 -s down -m 9
usage_error "(unknown user)" -S 0 -s down -u no_such_user_bptools
usage_error "(unknown group)" -S 0 -s down -g no_such_group_bptools
usage_error "(bad node specification)" -S 0 -s down -S 'bogus!' -u 5
usage_error "(unknown option)" -S 0 -s down -Z
usage_error "(stray argument)" -S 0 -s down extra
usage_error "(no arguments)"

# -R: the library waits for the node to go; play the kernel's part.
reset_tree
(
	for _ in $(seq 100); do
		[ "$(cat "$sys/nodes/1/reboot")" = 1 ] && break
		sleep 0.05
	done
	echo down >"$sys/nodes/1/status"
) &
"$bpctl" -S 1 -R 2>"$d/err"
check "bpctl -R: exit 0 once the node went down" 0 $?
[ -s "$d/err" ] && sed 's/^/#   /' "$d/err"
check "bpctl -R: wrote 1 to reboot" 1 "$(cat "$sys/nodes/1/reboot")"
wait

# ---- bplib ----------------------------------------------------------
reset_tree
check "bplib -l" "/lib/
/usr/lib/" "$("$bplib" -l 2>&1)"
"$bplib" -c
check "bplib -c writes clear" clear "$(cat "$proc/libraries")"
"$bplib" -a /opt/lib/
check "bplib -a writes +PATH" "+/opt/lib/" "$(cat "$proc/libraries")"
"$bplib" -d /opt/lib/
check "bplib -d writes -PATH" "-/opt/lib/" "$(cat "$proc/libraries")"
printf '/a\n\n/b\n' | "$bplib" -a -
check "bplib -a -: paths from stdin, one write each" "+/b" "$(cat "$proc/libraries")"
"$bplib" -a lib/relative 2>/dev/null
check "bplib: a relative path fails: exit 1" 1 $?
for args in "" "-c /x" "-l /x" "-a" "-d" "-a -d /x" "-Z"; do
	# shellcheck disable=SC2086
	"$bplib" $args >/dev/null 2>&1
	check "bplib $args: usage error, exit 2" 2 $?
done
BPROC_PROCFS=$d/missing "$bplib" -l >/dev/null 2>&1
check "bplib -l without bproc: exit 1" 1 $?

test_done
