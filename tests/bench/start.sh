#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Start latency:   tests/bench/start.sh [RUNS]
#
# One trivial remote process, `bpsh 0 true`, against `ssh node0 true` to
# the same node, from the master VM, in the same run (RUNS rounds, default
# 20, after one untimed round; every run must exit 0).  Target: bpsh
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
# a cluster of the tests may be up at the same time.  It shares the 2 CPUs,
# though: the rounds are timed only while no other qemu VM runs (below).
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
# shellcheck source=tests/bench/lib.sh
. "$top/tests/bench/lib.sh"

"$top/scripts/setup-bench"
make -C "$top" -s bench-overlay >&2
VCLUSTER_OVERLAY=$top/build/vcluster/bench-overlay.cpio.gz "$vc" up -n 1
trap '"$vc" down' EXIT

wait_ssh 10.77.0.10

# One round, in the master VM: the three commands one after the other, so
# that whatever else loads the machine falls on all three alike; a line
# "KIND T0 T1" (seconds) per command.
# shellcheck disable=SC2016 # expanded by the master's bash
round='
	cfg=$1
	one() {
		local kind=$1 t0 t1
		shift
		t0=$EPOCHREALTIME
		"$@" </dev/null || { echo "start.sh: $* failed (status $?)" >&2; exit 1; }
		t1=$EPOCHREALTIME
		echo "$kind $t0 $t1"
	}
	one local /bin/true
	one bpsh bpsh 0 true
	one ssh ssh -F "$cfg" node0 true'

# The machine has 2 CPUs, and other qemu VMs (a test cluster) may share
# them.  A round is kept if no other VM ran when it began and when it ended;
# otherwise it is discarded and run again, while a round starts only once
# no other VM runs.  After START_WAIT seconds (default 900) of that, every
# round is kept and counted as shared.
others() { echo $(($(pgrep -c -f '^qemu-system-x86_64 ') - 2)); }
"$vc" run -- bash -c "$round" start.sh "$cfg" >/dev/null	# untimed
deadline=$((SECONDS + ${START_WAIT:-900}))
times='' kept=0 shared=0 dropped=0 told=
while [ "$kept" -lt "$runs" ]; do
	late=$((SECONDS >= deadline))
	if [ "$late" = 0 ] && [ "$(others)" -gt 0 ]; then
		[ -n "$told" ] || echo "start.sh: other qemu VMs are running; waiting for them (${START_WAIT:-900} s at most)" >&2
		told=1
		sleep 2
		continue
	fi
	o0=$(others)
	out=$("$vc" run -- bash -c "$round" start.sh "$cfg")
	o1=$(others)
	if [ "$o0" = 0 ] && [ "$o1" = 0 ]; then
		kept=$((kept + 1))
	elif [ "$late" = 1 ]; then
		kept=$((kept + 1)) shared=$((shared + 1))
	else
		dropped=$((dropped + 1))
		continue
	fi
	times+=$out$'\n'
done
"$vc" check

awk -v n="$runs" -v shared="$shared" -v dropped="$dropped" '
	NF == 3 { ms = ($3 - $2) * 1000; k = $1; c[k]++; v[k, c[k]] = ms; sum[k] += ms }
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
		printf "rounds with another qemu VM on the host: %d of %d kept, %d discarded\n", shared, n, dropped
	}' <<<"$times"
