#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rmmod takes everything away and reports no leaked object; loading again
# works.  On the master (module from the tree) and on slave 0 (module from
# the slave image).
#
#   master 10.77.0.1                           slave 0 10.77.0.10
. "$(dirname "$0")/lib.sh"

for node in master 0; do
	if [ $node = master ]; then
		ko=/bproc/bproc.ko
	else
		ko=$(on $node sh -c 'ls /lib/modules/*/extra/bproc.ko' | head -n 1)
	fi
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
	stats_zero $node
done

done_testing
