#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The master's files on a node:   tests/bench/files.sh [PROGRAM ARGS...]
#
# Needs a running virtual cluster with at least 2 slaves (tests/vcluster/
# vcluster up -n 2).  Starts PROGRAM (default: curl --version, 33 shared
# libraries) on node 1 right after the node booted (the cache in bpslave's
# memory is empty: cold), then again (warm), and on the master, 5 times
# each after the first; prints the time of each start and the bytes node
# 1 received meanwhile (its eth0, all traffic included: the image, the
# files, the output), and the ratios.  Documentation/performance.md has
# the figures.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
vc=$top/tests/vcluster/vcluster
[ $# -gt 0 ] || set -- curl --version

rx() { "$vc" run --on 1 -- sh -c "awk '/eth0:/ { print \$2 }' /proc/net/dev"; }
# One start: milliseconds, as the master's clock sees it.
one() {
	"$vc" run -- sh -c "t0=\$(date +%s%N); $* >/dev/null; echo \$(( (\$(date +%s%N) - t0) / 1000000 ))"
}

"$vc" kill 1 >/dev/null
"$vc" start 1 >/dev/null
b0=$(rx)
cold=$(one bpsh 1 "$@")
b1=$(rx)
warm=1000000
for i in 1 2 3 4 5; do
	w=$(one bpsh 1 "$@")
	[ "$w" -lt "$warm" ] && warm=$w
done
b2=$(rx)
master=1000000
for i in 1 2 3 4 5; do
	w=$(one "$@")
	[ "$w" -lt "$master" ] && master=$w
done
libs=$("$vc" run -- sh -c "ldd \$(command -v $1) | wc -l")

awk -v cold="$cold" -v warm="$warm" -v master="$master" -v libs="$libs" \
    -v bc=$((b1 - b0)) -v bw=$(((b2 - b1) / 5)) -v prog="$*" 'BEGIN {
	printf "program: %s (%d shared libraries)\n", prog, libs
	printf "%-40s %9s %12s %s\n", "start", "ms", "bytes in", "ratio"
	printf "%-40s %9d %12d %.1f x master\n", "node 1, cold cache (first after boot)", cold, bc, cold / master
	printf "%-40s %9d %12d %.1f x master\n", "node 1, warm cache (best of 5)", warm, bw, warm / master
	printf "%-40s %9d %12s\n", "master (best of 5)", master, "-"
	printf "cold / warm: %.1f; bytes cold / warm: %.1f\n", cold / warm, bc / (bw ? bw : 1)
}'
