#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Issue 19, item 2: nobody changes a ghost's user mode, and a forked
# child's PID the ghost reports is checked against the kernel's own view.
# An unprivileged user (nobody) moves a process to node 0; its ghost on the
# master is nobody's own process.  Through /proc/GHOST/mem nobody rewrites
# the ghost's call snippet so that it reports a root process's PID as the
# child of each fork on the node: the first fork would register a ghost for
# the victim, the second kill it (SIGKILL, no permission check).  The
# ghost is not dumpable: its memory cannot be opened, nor can it be
# ptraced, and the victim lives.  Nor can nobody write the snippet through
# /proc/CHILD/mem opened before the move, while the process was still
# dumpable: the ghost's code page is mapped without VM_MAYWRITE, so not even
# a forced write (FOLL_FORCE, as /proc/PID/mem and ptrace make) can reach it.
#
#   master 10.77.0.1                             slave 0 10.77.0.10
#   root: sleep (the victim)
#   nobody: ghostattack -> ghost of its child  <- child forks twice
. "$(dirname "$0")/lib.sh"

ga=$helpers/ghostattack
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
cluster_reset

test_expect_success 'the test VMs allow unprivileged user namespaces (as Debian does)' '
	is "$(on master sh -c "cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null || echo 1")" 1 &&
	is "$(on master $nobody unshare -Ur id -u)" 0
'

# attack MODE: on the master, root's sleep (the victim), nobody's
# "ghostattack MODE 0 VICTIM" against it, then whether the victim lives.
attack() {
	timeout 90 "$vcluster" run --on master -- sh -c "sleep 1000 & v=\$!
$nobody $ga $1 0 \$v
kill -0 \$v 2>/dev/null && echo \"victim alive\" || echo \"victim dead\"
kill \$v 2>/dev/null; exit 0"
}
test_expect_success "nobody cannot open its ghost's memory map (EACCES); the fork results it would forge leave root's sleep alive" '
	out=$(attack mem) &&
	is "$out" "maps: EACCES
fork 1: ok
fork 2: ok
child exit 0
victim alive"
'

test_expect_success "nobody's /proc/CHILD/mem opened before the move cannot write the ghost's code (EIO); root's sleep lives" '
	out=$(attack premem) &&
	is "$out" "premem: opened
mem write: EIO
fork 1: ok
fork 2: ok
child exit 0
victim alive"
'

test_expect_success "nobody cannot ptrace its ghost (EPERM), the ghost goes on" '
	is "$(timeout 90 "$vcluster" run --on master -- $nobody $ga ptrace 0)" "ptrace: EPERM
fork 1: ok
fork 2: ok
child exit 0"
'

test_no_leaks master 0
test_done
