#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rmmod takes everything away and reports no leaked object; loading again
# works.  The file system on /proc/bproc pins the module: rmmod is refused
# until it is unmounted, and it is mounted again after insmod.  On the master (module from the tree) and on slave 0 (module from
# the slave image).
#
#   master 10.77.0.1                           slave 0 10.77.0.10
. "$(dirname "$0")/lib.sh"

cluster_reset
# A daemon's open session pins the module: stop them first.
daemons_stop
test_atexit daemons_start

for node in master 0; do
	if [ $node = master ]; then
		ko=/bproc/bproc.ko
	else
		ko=$(on $node sh -c 'ls /lib/modules/*/extra/bproc.ko' | head -n 1)
	fi
	# The mounted file system pins the module: umount first.
	test_expect_success "$node: rmmod is refused while /proc/bproc is mounted" '
		on $node sh -c "! rmmod bproc 2>/dev/null && grep -q \"^bproc \" /proc/modules"
	'
	test_expect_success "$node: umount /proc/bproc, then rmmod bproc works" '
		on $node umount /proc/bproc &&
		on $node rmmod bproc
	'
	test_expect_success "$node: devices, /sys/bproc and /proc/bproc are gone" '
		on $node sh -c "! test -e /dev/bproc/master && ! test -e /sys/bproc && ! test -e /proc/bproc"
	'
	test_expect_success "$node: no leak reported at unload" '
		is "$(on $node dmesg | grep -E "bproc: .*(leak|still allocated)")" ""
	'
	test_expect_success "$node: insmod $ko again: the devices are back" '
		on $node insmod "$ko" &&
		on $node test -c /dev/bproc/control
	'
	test_expect_success "$node: mount -t bproc bproc /proc/bproc again: /proc/bproc/libraries is back" '
		on $node mount -t bproc bproc /proc/bproc &&
		on $node test -f /proc/bproc/libraries
	'
	test_no_leaks $node
done

test_done
