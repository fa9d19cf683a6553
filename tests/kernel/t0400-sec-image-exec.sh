#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Security, issue 19 item 1 (Documentation/security.md): an open
# /proc/bproc/<pid>/image must not read memory that changed owner.  A user
# opens the image of its own stopped child, lets the child exec a
# setuid-root program that loads a root-only secret, stops it again and
# reads: the read must end (the mm is pinned at open) without the secret.
#
#   master 10.77.0.1: root sets up /tmp/sec-*; uid 1000 runs sectest
. "$(dirname "$0")/lib.sh"

st=$helpers/sectest
user="setpriv --reuid=1000 --regid=1000 --clear-groups"
cluster_reset
test_atexit 'on master rm -f /tmp/sec-suid /tmp/sec-secret'

tag=$RANDOM$RANDOM
on master sh -c "cp $st /tmp/sec-suid && chown root:root /tmp/sec-suid && chmod 4755 /tmp/sec-suid &&
	echo BPROC-SECRET-$tag > /tmp/sec-secret && chmod 600 /tmp/sec-secret" ||
	bail_out "root cannot install a setuid-root copy of sectest and a root-only secret"

test_expect_success 'uid 1000 cannot read the secret itself' '
	! on master $user cat /tmp/sec-secret
'

out=$(on master $user $st execread /tmp/sec-suid /tmp/sec-secret $tag 2>&1)
test_relay "open image, exec setuid, read" "$out"

test_no_leaks master
test_done
