#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The daemon devices' HELLO rule, message framing, single master holder,
# sessions and the control device, exercised by the static helper bphello
# on the master and on a slave; no object is left behind.
#
#   master 10.77.0.1                           slave 0 10.77.0.10
. "$(dirname "$0")/lib.sh"

cluster_reset
# bphello needs the devices to itself: no bpmaster, no bpslave session.
daemons_stop
test_atexit daemons_start

for node in master 0; do
	test_helper $node "$node: bphello" "$helpers/bphello"
	test_no_leaks $node
done

test_done
