#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# VMADump benchmark:   tests/bench/vmadump.sh [MIB]
#
# Needs a running virtual cluster (tests/vcluster/vcluster up).  In the
# master VM: dump and undump throughput of a MIB (64) MiB process against
# memcpy of the same bytes in the same VM, and the image size of a
# dynamically linked program with all file mappings as data and with the
# remote-file list's libraries by reference.  Prints figures and ratios;
# the target is at least half of memcpy for each.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
vc=$top/tests/vcluster/vcluster
mib=${1:-64}
make -s -C "$top" build/tests/bench/vmadbench
$vc run -- sh -c "
	cd /tmp && /bproc/build/tests/bench/vmadbench /tmp/bench.img $mib &&
	date +%s%N > /tmp/bench.img.t0 && bprestart /tmp/bench.img"
$vc run -- sh -c '
	p=/bproc/build/tests/progs/vmadtest-dyn
	$p smalldump /tmp/dyn-all.img 7 2>/dev/null; $p smalldump /tmp/dyn-refs.img 2 2>/dev/null
	a=$(stat -c %s /tmp/dyn-all.img); r=$(stat -c %s /tmp/dyn-refs.img)
	echo "image_size_all_data $a bytes"
	echo "image_size_libs_by_reference $r bytes ($(awk "BEGIN { printf \"%.2f\", $r / $a }") of all data)"'
