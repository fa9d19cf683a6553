#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Issue 19, item 3: a ghost's resume descriptor serves only its own ghost.
# Root (who may pidfd_getfd any process's descriptor) takes the resume
# descriptor of a moved process's ghost and hands it to a fresh process
# that is no ghost: its ioctl(BPROC_IOC_GHOST) fails with EPERM, it is not
# run as a ghost (nor killed), and the ghost goes on.  Inside an
# unprivileged user and PID namespace (unshare -Urpf), where the user is
# root of its own namespaces, the attack cannot even start: a process whose
# namespaces differ from its init's may not move (issue 19 item 8, EPERM),
# so no ghost of its own is there to take a descriptor or a result from.
#
#   master 10.77.0.1                       slave 0 10.77.0.10
#   ghostattack -> ghost of its child  <-  child forks twice
. "$(dirname "$0")/lib.sh"

ga=$helpers/ghostattack
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
cluster_reset

test_expect_success "a stranger with a ghost's resume descriptor: EPERM, not served, not killed" '
	is "$(timeout 90 "$vcluster" run --on master -- $ga getfd 0)" "stranger ioctl: EPERM
fork 1: ok
fork 2: ok
child exit 0"
'

test_expect_success "in nobody's own user and PID namespace: the move that would make a ghost is refused (EPERM)" '
	is "$(timeout 90 "$vcluster" run --on master -- $nobody unshare -Urpf --mount-proc $ga getfd 0)" "child: move failed: EPERM"
'

attack_sh="sleep 1000 & v=\$!
$nobody unshare -Urpf --mount-proc $ga mem 0 \$v
kill -0 \$v 2>/dev/null && echo \"victim alive\" || echo \"victim dead\"
kill \$v 2>/dev/null; exit 0"
test_expect_success "root of its own namespaces, nobody cannot forge fork results: its move is refused (EPERM), root's sleep lives" '
	out=$(timeout 90 "$vcluster" run --on master -- sh -c "$attack_sh") &&
	is "$out" "child: move failed: EPERM
victim alive"
'

test_no_leaks master 0
test_done
