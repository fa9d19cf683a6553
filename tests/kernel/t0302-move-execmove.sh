#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Placing unmodified programs: bproc_execmove runs the master's programs
# (dynamic /bin/sh, uname, cat) on a node, with output apart, the exit
# status, and stdin forwarded when asked (300 KB of binary data intact);
# bproc_rexec runs the node's own program; missing programs and nodes fail
# with ENOENT and ENODEV, before anything moved.
#
#   master 10.77.0.1                   slave 1 10.77.0.11          slave 2 10.77.0.12
#   movetest exec/execin/rexec  -----> sh, cat, busybox uname      uname, cat (300 KB)
#   (stdin, stdout, stderr here)
. "$(dirname "$0")/lib.sh"

mt=$helpers/movetest
tmp=$test_tmp
cluster_reset

# ---- execmove: unmodified programs, stdin ------------------------------
sh_on_node='echo sh on $(cat /sys/bproc/numnodes); echo oops >&2; exit 9'
test_expect_success "bproc_execmove: the master's dynamic /bin/sh runs on node 1 (output apart, exit 9)" '
	"$vcluster" run -- "$mt" exec 1 /bin/sh -c "$sh_on_node" >"$tmp/out" 2>"$tmp/err"
	is "$?:$(cat "$tmp/out"):$(cat "$tmp/err")" "9:sh on 3:oops"
'
test_expect_success "uname -n placed on node 2 names node 2's host" '
	is "$(on master "$mt" exec 2 /bin/uname -n)" n2
'
test_expect_success 'execmove of a missing program: -1/ENOENT, no move' '
	is "$(on master "$mt" exec 1 /no/such/program)" "execmove failed: No such file or directory"
'
test_expect_success 'stdin forwarded to cat on node 1' '
	printf "line one\nline two\n" | "$vcluster" run -- "$mt" execin 1 /bin/cat >"$tmp/out" &&
	is "$(cat "$tmp/out")" "line one
line two"
'
test_expect_success '300 KB of binary stdin through cat on node 2 come back identical' '
	head -c 300000 /dev/urandom >"$tmp/in" &&
	"$vcluster" run -- "$mt" execin 2 /bin/cat <"$tmp/in" >"$tmp/out" &&
	cmp "$tmp/in" "$tmp/out"
'
test_expect_success 'without stdin forwarding a moved cat reads end of file' '
	out=$(on master "$mt" exec 1 /bin/cat </dev/null)
	is "$?:$out" "0:"
'

# ---- rexec: the node's own program -------------------------------------
test_expect_success "bproc_rexec runs /bin/busybox of node 1's root there" '
	out=$(on master "$mt" rexec 1 /bin/busybox busybox uname -n)
	is "$?:$out" "0:n1"
'
test_expect_success 'bproc_rexec of a program the node lacks: -1/ENOENT, back on the master' '
	out=$(on master "$mt" rexec 1 /usr/bin/no-such 2>&1)
	is "$?:$out" "99:rexec failed: No such file or directory"
'
test_expect_success 'bproc_rexec to no such node: -1/ENODEV' '
	is "$(on master "$mt" rexec 77 /bin/true)" "rexec failed: ENODEV"
'

test_no_leaks master 1 2
test_done
