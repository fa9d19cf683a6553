#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs last: `vcluster down` leaves nothing running (no qemu, no virtiofsd,
# no namespace), and `up` after `down` works again.  The consoles of the
# cluster being taken down are checked first, as tests/run would have.
#
#   before: master + 2 slaves        after: master + 2 slaves, freshly booted
. "$(dirname "$0")/lib.sh"

state=$top/build/vcluster/run
ns=${VCLUSTER_NS:-bproc-vc}
test_expect_success 'no kernel trouble on the consoles before down' '
	"$vcluster" check
'
pids=$(cat "$state"/*.pid 2>/dev/null)
[ -n "$pids" ] || bail_out "the running cluster has no VM pid files"

test_expect_success 'vcluster down succeeds' '
	"$vcluster" down
'
test_expect_success 'no VM or virtiofsd process is left' '
	left=
	for p in $pids; do kill -0 "$p" 2>/dev/null && left="$left $p"; done
	is "$left" ""
'
test_expect_success "the namespace $ns is gone" '
	! ip netns list | awk "{ print \$1 }" | grep -qx "$ns"
'
test_expect_success 'status says down' '
	is "$("$vcluster" status)" down
'
test_expect_success 'up after down works' '
	VCLUSTER_NOBUILD=1 "$vcluster" up -n 2
'
test_expect_success 'the new cluster runs bproc on master and slaves' '
	is "$(on 1 cat /sys/bproc/version)" "$(on master cat /sys/bproc/version)"
'

test_done
