#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Issue 19, item 8: confinement does not travel.  The image carries no
# seccomp filter, no capability or bounding set, no securebits, no
# namespace and no root directory (no_new_privs it does carry): the node's
# restorer would rebuild the process with its own (bpslave's: unconfined,
# and for an image with a root id all of root's capabilities).  A root
# process that confined itself on the master (confine: dropped
# CAP_SYS_ADMIN, installed a seccomp filter, chroot'ed, unshared its
# network, or is root of a user namespace only) and moved to a node would
# be free there.  It does not move: bproc_move fails with EPERM
# (module/move.c, bproc_move_confined()), the same for rfork and execmove,
# and for a move back from a node.  An unconfined root process moves as
# before, and so does a no_new_privs one (it keeps it).  So is a process
# whose LSM label (an AppArmor profile) is not init's.
#
#   master 10.77.0.1                       slave 0 10.77.0.10
#   root: confine MODE 0  ---- move ---->  (refused: EPERM)
. "$(dirname "$0")/lib.sh"

cf=$helpers/confine
mt=$helpers/movetest
cluster_reset

test_expect_success 'an unconfined root process moves and keeps CAP_SYS_ADMIN (the control)' '
	is "$(on master "$cf" none 0)" "before: sysadmin ok bnd 1
node 0
after: sysadmin ok bnd 1"
'

test_expect_success 'root without CAP_SYS_ADMIN (bounding, permitted, effective) does not move: EPERM' '
	is "$(on master "$cf" caps 0)" "before: sysadmin EPERM bnd 0
move: EPERM"
'

test_expect_success 'a no_new_privs process moves and keeps it (the image carries it)' '
	is "$(on master "$cf" nnp 0)" "before: nnp 1
node 0
after: nnp 1"
'

test_expect_success 'a process under a seccomp filter does not move: EPERM' '
	is "$(on master "$cf" seccomp 0)" "before: chdir EACCES seccomp 2
move: EPERM"
'

test_expect_success 'a chroot process does not move: EPERM' '
	on master sh -c "rm -rf /tmp/t0450-root && mkdir /tmp/t0450-root && touch /tmp/t0450-root/marker" &&
	out=$(on master "$cf" chroot 0 /tmp/t0450-root) &&
	on master rm -rf /tmp/t0450-root &&
	is "$out" "before: marker yes
move: EPERM"
'

test_expect_success 'a process in its own network namespace does not move: EPERM' '
	is "$(on master "$cf" netns 0)" "before: ifaces 1
move: EPERM"
'

test_expect_success "root of a user namespace (nobody's: unshare -Ur) does not move: EPERM" '
	is "$(on master setpriv --reuid=65534 --regid=65534 --clear-groups unshare -Ur "$cf" none 0)" "before: sysadmin EPERM bnd 1
move: EPERM"
'

# An AppArmor profile (the test VMs' kernel has AppArmor, Debian's default
# LSM): in complain mode it permits all, but the process's label is no
# longer init's, and on the node it would be the restorer's (unconfined).
aa_profile='profile bproc-t0450 flags=(complain) { }'
test_expect_success 'a process under an AppArmor profile does not move: EPERM (its label would not travel)' '
	on master sh -c "mountpoint -q /sys/kernel/security || mount -t securityfs securityfs /sys/kernel/security" &&
	is "$(on master cat /sys/module/apparmor/parameters/enabled)" Y &&
	echo "$aa_profile" | on master apparmor_parser -r -K &&
	is "$(on master aa-exec -p bproc-t0450 -- cat /proc/self/attr/current)" "bproc-t0450 (complain)" &&
	out=$(on master aa-exec -p bproc-t0450 -- "$cf" none 0 || :) &&
	rf=$(on master aa-exec -p bproc-t0450 -- "$mt" rfork 0 5 2>&1 || :) &&
	echo "$aa_profile" | on master apparmor_parser -R &&
	is "$out" "before: sysadmin ok bnd 1
move: EPERM" &&
	is "$rf" "rfork failed: Operation not permitted"
'

test_expect_success 'an unconfined process moves to a node and back (bproc'"'"'s own filter there is no confinement of its own)' '
	is "$(on master "$cf" back none 0)" "node 0
before: sysadmin ok bnd 1
node -1
after: sysadmin ok bnd 1"
'

test_expect_success 'a process that set no_new_privs on a node keeps it back on the master' '
	is "$(on master "$cf" back nnp 0)" "node 0
before: nnp 1
node -1
after: nnp 1"
'

test_expect_success 'a process that added a seccomp filter on a node does not move back: EPERM' '
	is "$(on master "$cf" back seccomp 0)" "node 0
before: chdir EACCES seccomp 2
move: EPERM"
'

test_expect_success 'root that dropped CAP_SYS_ADMIN on a node does not move back: EPERM' '
	is "$(on master "$cf" back caps 0)" "node 0
before: sysadmin EPERM bnd 0
move: EPERM"
'

test_expect_success 'rfork and execmove refuse a process in its own network namespace too' '
	is "$(on master unshare -n "$mt" rfork 0 5)" "rfork failed: Operation not permitted" &&
	is "$(on master unshare -n "$mt" exec 0 /bin/true 2>&1)" "execmove failed: Operation not permitted"
'

test_no_leaks master 0
test_done
