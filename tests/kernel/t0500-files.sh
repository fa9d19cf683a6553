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
#   master 10.77.0.1 (bpmaster serves FILE_*)    slaves 0-2 (the view)
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
# A file only group 4242 may read: a user in that group (a supplementary
# group, carried in the image) reads it on a node, one outside it does not.
test_expect_success 'a user reads on a node what a supplementary group lets it read on the master' '
	run sh -c "echo group only >/usr/local/lib/bproc-t0500-group &&
		chgrp 4242 /usr/local/lib/bproc-t0500-group && chmod 640 /usr/local/lib/bproc-t0500-group" &&
	is "$(run setpriv --reuid=65534 --regid=65534 --groups=4242 cat /usr/local/lib/bproc-t0500-group)" "group only" &&
	is "$(run setpriv --reuid=65534 --regid=65534 --groups=4242 bpsh 1 cat /usr/local/lib/bproc-t0500-group)" "group only" &&
	out=$(run setpriv --reuid=65534 --regid=65534 --groups=4243 bpsh 1 cat /usr/local/lib/bproc-t0500-group 2>&1; echo "exit $?") &&
	is "$out" "cat: /usr/local/lib/bproc-t0500-group: Permission denied
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
test_expect_success 'a node'"'"'s /usr is the master'"'"'s in place: realpath as on the master, /bin as the master has it' '
	is "$(run bpsh 1 realpath /usr/bin/python3)" "$(run realpath /usr/bin/python3)" &&
	is "$(run bpsh 1 stat -c %F /usr)" directory &&
	if [ -L /bin ]; then
		is "$(run bpsh 1 readlink /bin)" "$(run readlink /bin)"
	else
		is "$(run bpsh 1 stat -c %F /bin)" directory
	fi &&
	out=$(run bpsh 1 ls -l /) &&
	case "$out" in *" home"*) ;; *) echo "$out"; false ;; esac &&
	case "$out" in *"/run/bproc/master"*) echo "$out"; false ;; *) true ;; esac
'
# A shared library of the master's, replaced between two runs on a node.
lib_sh='cd /tmp && printf "const char *t0500_word(void) { return \"%s\"; }\n" "$1" >w.c &&
gcc -shared -fPIC -o /usr/local/lib/libbproc-t0500.so.new w.c &&
mv /usr/local/lib/libbproc-t0500.so.new /usr/local/lib/libbproc-t0500.so'
test_expect_success 'a library replaced on the master is the new one at the next run on a node' '
	run sh -c "$lib_sh" sh first &&
	run sh -c "cd /tmp && printf \"#include <stdio.h>\nconst char *t0500_word(void);\nint main(void) { puts(t0500_word()); return 0; }\n\" >m.c &&
		gcc -o /usr/local/bin/bproc-t0500-lib m.c -L/usr/local/lib -lbproc-t0500 -Wl,-rpath,/usr/local/lib" &&
	is "$(run bpsh 2 /usr/local/bin/bproc-t0500-lib)" first &&
	run sh -c "$lib_sh" sh "second, longer" &&
	is "$(run bpsh 2 /usr/local/bin/bproc-t0500-lib)" "second, longer"
'
test_expect_success 'python3 on every node at once, each from its own cache' '
	out=$(run bpsh -p 0-2 python3 -c "import json, hashlib; print(json.dumps([hashlib.sha1(b\"\").hexdigest()[:8]]))" | sed "s/^ *//" | sort) &&
	is "$out" "0: [\"da39a3ee\"]
1: [\"da39a3ee\"]
2: [\"da39a3ee\"]"
'
run rm -f /usr/local/bin/bproc-t0500 /usr/local/lib/bproc-t0500-secret /usr/local/lib/bproc-t0500-group \
	/usr/local/bin/bproc-t0500-lib /usr/local/lib/libbproc-t0500.so

test_no_leaks master 0 1 2
test_done
