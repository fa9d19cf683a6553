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
check "no kernel trouble on the consoles before down" "$vcluster" check
pids=$(cat "$state"/*.pid 2>/dev/null)
[ -n "$pids" ]
ok $? "the running cluster has VM pid files"

"$vcluster" down
ok $? "down"
left=
for p in $pids; do kill -0 "$p" 2>/dev/null && left="$left $p"; done
is "$left" "" "no VM or virtiofsd process is left"
ip netns list | awk '{ print $1 }' | grep -qx "$ns"
is $? 1 "the namespace $ns is gone"
is "$("$vcluster" status)" down "status says down"

VCLUSTER_NOBUILD=1 "$vcluster" up -n 2 2>/dev/null
ok $? "up after down"
is "$(on 1 cat /sys/bproc/version)" "$(on master cat /sys/bproc/version)" "the new cluster runs bproc on master and slaves"

done_testing
