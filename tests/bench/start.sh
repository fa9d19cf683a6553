#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Start latency:   tests/bench/start.sh [RUNS]
#
# One trivial remote process, `bpsh 0 true`, against `ssh node0 true` to
# the same node, from the master VM, in the same run (RUNS of each, default
# 20, after one untimed run of each; every run must exit 0).  Target: bpsh
# at least 5 times faster (reported, not asserted).
#
#   master VM 10.77.0.1 ------ bridge ------ slave 0 10.77.0.10
#   bpsh 0 true           (bproc: execmove)  bpslave
#   ssh node0 true        (TCP port 22)      dropbear (benchmark overlay)
#
# The script brings up its own cluster of one slave and takes it down again:
# the slave image with the benchmark-only overlay appended (make
# bench-overlay, tests/bench/mkbenchoverlay: dropbear, a host key, root's
# authorized_keys), in its own namespace and state directory (VCLUSTER_NS,
# default bproc-vc-bench; VCLUSTER_DIR, default build/vcluster/bench-run), so
# a cluster of the tests may be up at the same time; but it shares the 2
# CPUs, so the figures come with the number of other qemu VMs and the load
# average at the start and the end of the runs (take figures with none).  scripts/setup-bench
# installs dropbear-bin and openssh-client when missing.
#
# For scale, the same timing of the master's own /bin/true comes first.
# Each run is timed alone in the master VM (bash's EPOCHREALTIME, no
# process started for the clock): from just before the command starts to
# its exit.  bpsh runs the master's dynamic /bin/true on node 0 (execmove:
# exec on the master, move before it runs, its libraries by reference).
# ssh is openssh's client with a fresh connection each time (no connection
# sharing), an ed25519 key and the node's host key checked; dropbear runs
# `/bin/sh -c true` (busybox, `true` a shell builtin) as root.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
vc=$top/tests/vcluster/vcluster
runs=${1:-20}
case $runs in '' | *[!0-9]* | 0) echo "usage: start.sh [RUNS]" >&2; exit 2 ;; esac
export VCLUSTER_NS=${VCLUSTER_NS:-bproc-vc-bench}
export VCLUSTER_DIR=${VCLUSTER_DIR:-$top/build/vcluster/bench-run}
cfg=/bproc/build/vcluster/bench/ssh_config

"$top/scripts/setup-bench"
make -C "$top" -s bench-overlay >&2
VCLUSTER_OVERLAY=$top/build/vcluster/bench-overlay.cpio.gz "$vc" up -n 1
trap '"$vc" down' EXIT

# dropbear is started by the slave's init after bpslave: wait for port 22.
ok=
for _ in $(seq 60); do
	if "$vc" run -- bash -c 'exec 3<>/dev/tcp/10.77.0.10/22' 2>/dev/null; then
		ok=1
		break
	fi
	sleep 0.5
done
[ -n "$ok" ] || { echo "start.sh: no ssh server on node 0" >&2; "$vc" log 0 | tail -n 20 >&2; exit 1; }

# time RUNS CMD...: in the master VM; one untimed run, then one line per
# run, its milliseconds.
time_runs() {
	local n=$1
	shift
	# shellcheck disable=SC2016 # expanded by the master's bash
	"$vc" run -- bash -c '
		n=$1; shift
		"$@" </dev/null || { echo "start.sh: $* failed (status $?)" >&2; exit 1; }
		for ((i = 0; i < n; i++)); do
			t0=$EPOCHREALTIME
			"$@" </dev/null || { echo "start.sh: $* failed (status $?)" >&2; exit 1; }
			t1=$EPOCHREALTIME
			echo "$t0 $t1"
		done' time_runs "$n" "$@" | awk '{ printf "%.3f\n", ($2 - $1) * 1000 }'
}

# What else shares the 2 CPUs: qemu VMs beyond this cluster's two, and the
# load average, at the start and at the end of the runs.
others() { echo $(($(pgrep -c -f '^qemu-system-x86_64 ') - 2)); }
load0=$(cut -d' ' -f1 /proc/loadavg) vms0=$(others)
lt=$(time_runs "$runs" /bin/true)
bp=$(time_runs "$runs" bpsh 0 true)
ss=$(time_runs "$runs" ssh -F "$cfg" node0 true)
load1=$(cut -d' ' -f1 /proc/loadavg) vms1=$(others)
"$vc" check

stats() { awk '{ s += $1; if (NR == 1 || $1 < lo) lo = $1; if ($1 > hi) hi = $1 }
	END { printf "%.1f %.1f %.1f\n", s / NR, lo, hi }'; }
read -r lmean lmin lmax <<<"$(stats <<<"$lt")"
read -r bmean bmin bmax <<<"$(stats <<<"$bp")"
read -r smean smin smax <<<"$(stats <<<"$ss")"

awk -v n="$runs" -v load="$load0 / $load1" -v vms="$vms0 / $vms1" -v bmean="$bmean" -v bmin="$bmin" -v bmax="$bmax" \
    -v smean="$smean" -v smin="$smin" -v smax="$smax" \
    -v lmean="$lmean" -v lmin="$lmin" -v lmax="$lmax" 'BEGIN {
	printf "%-44s %12s %9s %9s\n", "measure (" n " runs each)", "mean", "min", "max"
	printf "%-44s %9.1f ms %9.1f %9.1f\n", "/bin/true on the master (baseline)", lmean, lmin, lmax
	printf "%-44s %9.1f ms %9.1f %9.1f\n", "bpsh 0 true (per op)", bmean, bmin, bmax
	printf "%-44s %9.1f ms %9.1f %9.1f\n", "ssh node0 true (per op)", smean, smin, smax
	r = smean / bmean
	printf "%-44s %9.1f x  (target >= 5: %s)\n", "ssh / bpsh (means)", r, (r >= 5 ? "met" : "NOT met")
	printf "%-44s %12s\n", "host: other qemu VMs (start / end)", vms
	printf "%-44s %12s\n", "host: load average, 1 min (start / end)", load
}'
