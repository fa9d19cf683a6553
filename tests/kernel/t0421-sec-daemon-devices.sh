#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Issue 19, item 13: the daemon devices /dev/bproc/master and
# /dev/bproc/slave speak for the cluster.  Opening one takes CAP_SYS_ADMIN,
# not just a file mode that lets the caller in (root that dropped
# CAP_SYS_ADMIN, or anyone after a chmod); and a request belongs to the
# session it was sent on: a slave session on the master that writes a reply
# with the id of bpmaster's pending request does not complete it.
#
#   master 10.77.0.1 (no bpmaster)               slave 0 10.77.0.10 (no bpslave session)
#   bpsec devcaps, bpsec crossreply              bpsec devcaps
. "$(dirname "$0")/lib.sh"

cluster_reset
# bpsec needs the devices to itself: no bpmaster, no bpslave session.
daemons_stop
test_atexit daemons_start

test_helper master "master: bpsec devcaps" "$helpers/bpsec" devcaps
test_helper 0 "slave 0: bpsec devcaps" "$helpers/bpsec" devcaps
test_expect_success 'setpriv: root without CAP_SYS_ADMIN cannot read /dev/bproc/master' '
	out=$(on master sh -c "setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin \
		dd if=/dev/bproc/master of=/dev/null count=0 2>&1; echo rc \$?") &&
	matches "$out" "*Operation not permitted*rc 1"
'
test_helper master "master: bpsec crossreply" "$helpers/bpsec" crossreply

test_no_leaks master 0
test_done
