#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Issue 19, item 15b: an armed execmove whose process dies without exec'ing
# used to stay on the module's list (and in /sys/bproc/stats/ghosts) until
# the next execmove ioctl of anyone; every exec on the system walked that
# list under a spinlock.  Now the armed entry is found by its process in
# O(1) and goes when its process ends.
#
#   master 10.77.0.1                          slave 0 10.77.0.10
#   bpsec armexit 0 (arms, exits)
#   movetest exec 0 /bin/uname -n  ------>  uname
. "$(dirname "$0")/lib.sh"

cluster_reset

# The master's ghosts counter after up to 5 s of waiting for 0.
ghosts_sh='i=0; until [ $(cat /sys/bproc/stats/ghosts) = 0 ] || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done; cat /sys/bproc/stats/ghosts'

test_expect_success 'a process arms execmove to node 0 and exits without exec: no entry is left' '
	is "$(on master $helpers/bpsec armexit 0)" armed &&
	is "$(on master sh -c "$ghosts_sh")" 0
'
test_expect_success '... nor after 20 of them' '
	on master sh -c "for i in \$(seq 20); do $helpers/bpsec armexit 0 >/dev/null || exit 1; done" &&
	is "$(on master sh -c "$ghosts_sh")" 0
'
test_expect_success 'execmove still moves: /bin/uname exec'\''d to node 0 runs there, and nothing is left' '
	is "$(on master $helpers/movetest exec 0 /bin/uname -n)" n0 &&
	is "$(on master sh -c "$ghosts_sh")" 0
'
test_expect_success 'an execmove armed twice: the second replaces the first; at the exit, nothing is left' '
	is "$(on master $helpers/bpsec armexit 0 twice)" "armed
armed" &&
	is "$(on master sh -c "$ghosts_sh")" 0
'

test_no_leaks master 0
test_done
