#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Start latency:   tests/bench/start.sh [RUNS]
#
# One trivial remote process, `bpsh 0 true`, against `ssh node0 true` to
# the same node, from the master VM, in the same run (RUNS of each, default
# 20, after one untimed run of each; every run must exit 0).  Target: bpsh
# at least 5 times faster (reported, not asserted): the ratio of the means.
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
# average at the start and the end of the runs (take figures with none).
# scripts/setup-bench installs dropbear-bin and openssh-client when missing.
#
# Each run is timed alone in the master VM (bash's EPOCHREALTIME, no
# process started for the clock): from just before the command starts to
# its exit.  The runs go in rounds of three: the master's own /bin/true
# (the baseline, for scale), `bpsh 0 true`, `ssh node0 true`.  bpsh runs
# the master's dynamic /bin/true on node 0 (execmove: exec on the master,
# move before it runs, its libraries by reference).  ssh is openssh's
# client with a fresh connection each time (no connection sharing), an
# ed25519 key and the node's host key checked; dropbear runs `/bin/sh -c
# true` (busybox, `true` a shell builtin) as root.
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

# In the master VM: one untimed run of each command, then RUNS rounds, each
# timing the three commands one after the other (so that whatever else
# loads the machine falls on all three alike); a line "KIND MS" per run.
# shellcheck disable=SC2016 # expanded by the master's bash
measure='
	n=$1 cfg=$2
	one() {
		local kind=$1 t0 t1
		shift
		t0=$EPOCHREALTIME
		"$@" </dev/null || { echo "start.sh: $* failed (status $?)" >&2; exit 1; }
		t1=$EPOCHREALTIME
		echo "$kind $t0 $t1"
	}
	round() {
		one local /bin/true
		one bpsh bpsh 0 true
		one ssh ssh -F "$cfg" node0 true
	}
	round >/dev/null
	for ((i = 0; i < n; i++)); do round; done'

# What else shares the 2 CPUs: qemu VMs beyond this cluster's two, and the
# load average, at the start and at the end of the runs.
others() { echo $(($(pgrep -c -f '^qemu-system-x86_64 ') - 2)); }
load0=$(cut -d' ' -f1 /proc/loadavg) vms0=$(others)
times=$("$vc" run -- bash -c "$measure" start.sh "$runs" "$cfg")
load1=$(cut -d' ' -f1 /proc/loadavg) vms1=$(others)
"$vc" check

awk -v n="$runs" -v load="$load0 / $load1" -v vms="$vms0 / $vms1" '
	{ ms = ($3 - $2) * 1000; k = $1; c[k]++; v[k, c[k]] = ms; sum[k] += ms }
	function stat(k, what,    i, j, t, m) {
		for (i = 1; i <= c[k]; i++)
			s[i] = v[k, i]
		for (i = 2; i <= c[k]; i++)	# insertion sort, RUNS is small
			for (j = i; j > 1 && s[j - 1] > s[j]; j--) {
				t = s[j]; s[j] = s[j - 1]; s[j - 1] = t
			}
		m = c[k] % 2 ? s[(c[k] + 1) / 2] : (s[c[k] / 2] + s[c[k] / 2 + 1]) / 2
		mean[k] = sum[k] / c[k]; med[k] = m
		printf "%-40s %9.1f ms %9.1f %9.1f %9.1f\n", what, mean[k], m, s[1], s[c[k]]
	}
	END {
		printf "%-40s %12s %9s %9s %9s\n", "measure (" n " rounds)", "mean", "median", "min", "max"
		stat("local", "/bin/true on the master (baseline)")
		stat("bpsh", "bpsh 0 true (per op)")
		stat("ssh", "ssh node0 true (per op)")
		r = mean["ssh"] / mean["bpsh"]
		printf "%-40s %9.1f x  (target >= 5: %s); medians: %.1f x\n", "ssh / bpsh (means)", r,
			(r >= 5 ? "met" : "NOT met"), med["ssh"] / med["bpsh"]
		printf "%-40s %12s\n", "host: other qemu VMs (start / end)", vms
		printf "%-40s %12s\n", "host: load average, 1 min (start / end)", load
	}' <<<"$times"
