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

# A daemon's open session pins the module: stop them first.
daemons_stop

for node in master 0; do
	if [ $node = master ]; then
		ko=/bproc/bproc.ko
	else
		ko=$(on $node sh -c 'ls /lib/modules/*/extra/bproc.ko' | head -n 1)
	fi
	# The mounted file system pins the module: umount first.
	on $node sh -c '! rmmod bproc 2>/dev/null && grep -q "^bproc " /proc/modules'
	ok $? "$node: rmmod is refused while /proc/bproc is mounted"
	on $node umount /proc/bproc
	ok $? "$node: umount /proc/bproc"
	on $node rmmod bproc
	ok $? "$node: rmmod bproc"
	on $node sh -c '! test -e /dev/bproc/master && ! test -e /sys/bproc && ! test -e /proc/bproc'
	ok $? "$node: devices, /sys/bproc and /proc/bproc are gone"
	out=$(on $node dmesg | grep -E 'bproc: .*(leak|still allocated)')
	is "$out" "" "$node: no leak reported at unload"
	on $node insmod "$ko"
	ok $? "$node: insmod $ko again"
	on $node test -c /dev/bproc/control
	ok $? "$node: devices are back"
	on $node mount -t bproc bproc /proc/bproc
	ok $? "$node: mount -t bproc bproc /proc/bproc again"
	on $node test -f /proc/bproc/libraries
	ok $? "$node: /proc/bproc/libraries is back"
	stats_zero $node
done

daemons_start

done_testing
