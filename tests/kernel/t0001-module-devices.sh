#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bproc.ko is loaded on the master and on a slave booted from the slave
# image, with its devices, sysfs and procfs directories in place.
#
#   master 10.77.0.1 (module from the tree)   slave 0 10.77.0.10 (slave image)
. "$(dirname "$0")/lib.sh"

want_version=$(sed -n 's/^#define BPROC_VERSION_STRING[[:space:]]*"\(.*\)"/\1/p' \
	"$top/include/uapi/linux/bproc.h")
want_proto=$(awk '/^#define BPROC_PROTO_MAJOR/ { M = $3 } /^#define BPROC_PROTO_MINOR/ { m = $3 }
	END { print M "." m }' "$top/include/uapi/linux/bproc.h")

cluster_reset

for node in master 0; do
	test_expect_success "$node: bproc is in /proc/modules" '
		on $node grep -q "^bproc " /proc/modules
	'
	test_expect_success "$node: /dev/bproc devices and their modes" '
		out=$(on $node stat -c "%F %a %n" /dev/bproc/master /dev/bproc/slave /dev/bproc/control) &&
		is "$out" "character special file 600 /dev/bproc/master
character special file 600 /dev/bproc/slave
character special file 666 /dev/bproc/control"
	'
	test_expect_success "$node: /sys/bproc/version is the header's release" '
		is "$(on $node cat /sys/bproc/version)" "$want_version"
	'
	test_expect_success "$node: /sys/bproc/protocol is the header's major.minor" '
		is "$(on $node cat /sys/bproc/protocol)" "$want_proto"
	'
	test_expect_success "$node: /sys/bproc/nodes/ exists" '
		on $node test -d /sys/bproc/nodes
	'
	test_expect_success "$node: /proc/bproc/ exists" '
		on $node test -d /proc/bproc
	'
	test_expect_success "$node: the bproc file system is mounted on /proc/bproc" '
		is "$(on $node awk "\$2 == \"/proc/bproc\" { print \$3 }" /proc/mounts)" bproc
	'
	test_expect_success "$node: ls /proc/bproc shows libraries and the live processes" '
		out=$(on $node sh -c "l=\$(ls /proc/bproc); echo \"\$l\" | grep -qx 1 &&
			echo \"\$l\" | grep -qx \$\$ && echo \"\$l\" | grep -qx libraries || echo \"\$l\"") &&
		is "$out" ""
	'
	test_expect_success "$node: a process's directory exists while it lives, not after" '
		on $node sh -c "sleep 100 & p=\$!
			test -d /proc/bproc/\$p && test -f /proc/bproc/\$p/image || exit 1
			kill \$p; wait \$p
			! test -e /proc/bproc/\$p && ! ls /proc/bproc | grep -qx \$p"
	'
	test_expect_success "$node: names that are no process do not exist" '
		on $node sh -c "! test -e /proc/bproc/0 && ! test -e /proc/bproc/01 &&
			! test -e /proc/bproc/4194304 && ! test -e /proc/bproc/x"
	'
	test_expect_success "$node: /sys/bproc/version is read-only" '
		on $node sh -c "! echo 1 > /sys/bproc/version"
	'
done

test_no_leaks master 0
test_done
