#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Issue 15: the master's files on the nodes (Documentation/remote-files.md).
# The slaves boot the plain image; the master's programs and libraries
# reach a node's processes through bpslave's view of the master's tree:
# users' first commands run there as on the master, a file changed on the
# master is seen at the next open, a user reads there only what it may
# read on the master, and a file that is not there is ENOENT, at once.
#
#   master 10.77.0.1 (bpmaster serves FILE_*)    slave 0 (the view)
. "$(dirname "$0")/lib.sh"

run() { timeout 120 "$vcluster" run -- "$@"; }
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"

cluster_reset

# The same command on the master and on node 0: the same output.
same() {
	local here there
	here=$(run "$@" 2>&1)
	there=$(run bpsh 0 "$@" 2>&1)
	is "$there" "$here"
}

test_expect_success 'id on node 0 names the user as on the master' '
	same id
'
test_expect_success 'ls -l of a program and of a library directory, as on the master' '
	same ls -l /usr/bin/env &&
	same sh -c "ls -l /usr/lib/x86_64-linux-gnu | head -5"
'
test_expect_success 'a shell on node 0 runs a pipeline of the master'"'"'s programs' '
	same sh -c "ls /usr/bin | sort | head -3"
'
test_expect_success 'perl and python3 (with json and hashlib) run on node 0' '
	is "$(run bpsh 0 perl -e "print 1+1")" 2 &&
	is "$(run bpsh 0 python3 -c "import json, hashlib; print(json.dumps([1]))")" "[1]"
'
test_expect_success 'ps on node 0 shows that node'"'"'s process space' '
	out=$(run bpsh 0 ps -e -o comm=) &&
	case "$out" in *ps*) ;; *) false ;; esac &&
	case "$out" in *bpmaster*) false ;; *) true ;; esac
'
test_expect_success 'a program changed on the master is the new one at the next run' '
	run sh -c "printf \"#!/bin/sh\necho one\n\" >/usr/local/bin/bproc-t0500 && chmod 755 /usr/local/bin/bproc-t0500" &&
	is "$(run bpsh 0 /usr/local/bin/bproc-t0500)" one &&
	run sh -c "printf \"#!/bin/sh\necho two, longer\n\" >/usr/local/bin/bproc-t0500" &&
	is "$(run bpsh 0 /usr/local/bin/bproc-t0500)" "two, longer"
'
test_expect_success 'a user cannot read on a node what it cannot read on the master' '
	run sh -c "echo root only >/usr/local/lib/bproc-t0500-secret && chmod 600 /usr/local/lib/bproc-t0500-secret" &&
	is "$(run bpsh 0 cat /usr/local/lib/bproc-t0500-secret)" "root only" &&
	out=$(run $nobody bpsh 0 cat /usr/local/lib/bproc-t0500-secret 2>&1; echo "exit $?") &&
	is "$out" "cat: /usr/local/lib/bproc-t0500-secret: Permission denied
exit 1"
'
test_expect_success 'a missing file is ENOENT at once; a file off the list is not there' '
	out=$(run bpsh 0 cat /usr/local/lib/bproc-t0500-none 2>&1; echo "exit $?") &&
	is "$out" "cat: /usr/local/lib/bproc-t0500-none: No such file or directory
exit 1" &&
	out=$(run bpsh 0 cat /etc/shadow 2>&1; echo "exit $?") &&
	is "$out" "cat: /etc/shadow: No such file or directory
exit 1"
'
run rm -f /usr/local/bin/bproc-t0500 /usr/local/lib/bproc-t0500-secret

test_no_leaks master 0
test_done
