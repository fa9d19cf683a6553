#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Vector spawn:   tests/bench/spawn.sh [MAXNODES]
#
# A process with 4 MiB of memory placed on N nodes at once, for N = 1, 2,
# 4, ... MAXNODES (default 128, a power of two), from the master VM:
#   - bproc: one bproc_vrfork to the N nodes, up to the last child's wait
#     (movetest vspawn 4 NODE...; each child checks its node and its
#     memory and exits 0), best of 3.  This is the master's flat loop:
#     the tree fan-out is not built yet (Documentation/TODO.md), so
#     "tree" and "flat" are the same figure today;
#   - pdsh: `pdsh -R ssh -f F -w node... true` to the same nodes (openssh
#     client, a fresh connection per node, the bench overlay's dropbear),
#     once per N; it starts a program the node already has, so it moves
#     no 4 MiB image.  F is 4 per VM (16): a VM's one dropbear serves its
#     32 nodes and refuses more than 5 connections at a time from one
#     address that have not logged in yet (its MAX_UNAUTH_PER_IP);
#   - the master's bytes sent and bpmaster's messages (kernel device in +
#     out, frames in + out) for one bproc spawn, from bpmaster's SIGUSR1
#     counts (bpmaster(8)) before and after it.
# It prints t(N), t(N)/t(1) and the target t(128)/t(1) <= 1 + 0.5 log2(128)
# = 4.5 (reported, not asserted), and the projection for 1,023 nodes of a
# flat loop on gigabit hardware (the master's bytes per node at 117 MiB/s).
#
# The cluster is its own: MAXNODES/4 nodes on each of 4 slave VMs
# (vcluster --nodes-per-vm; one VM for MAXNODES < 4), with the bench
# overlay (dropbear), in its own namespace and state directory
# (VCLUSTER_NS, VCLUSTER_DIR) as start.sh; the N nodes of a step are spread
# over the VMs (node i of the step on VM i % 4) as real nodes would be
# separate machines.  Needs scripts/setup-bench (dropbear, openssh, pdsh).
# Don't run it beside another qemu cluster: 2 host CPUs are shared.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
vc=$top/tests/vcluster/vcluster
h=/bproc/build/tests/helpers
max=${1:-128}
case $max in 1 | 2 | 4 | 8 | 16 | 32 | 64 | 128) ;;
*) echo "usage: spawn.sh [MAXNODES: a power of two, 1..128]" >&2; exit 2 ;;
esac
vms=4
[ "$max" -ge 4 ] || vms=1
per=$((max / vms))
export VCLUSTER_NS=${VCLUSTER_NS:-bproc-vc-bench}
export VCLUSTER_DIR=${VCLUSTER_DIR:-$top/build/vcluster/bench-run}
cfg=/bproc/build/vcluster/bench/ssh_config
# shellcheck source=tests/bench/lib.sh
. "$top/tests/bench/lib.sh"

"$top/scripts/setup-bench"
make -C "$top" -s test-build bench-overlay >&2
VCLUSTER_NOBUILD=1 VCLUSTER_PINGTIMEOUT=30 VCLUSTER_BOOT_TIMEOUT=400 \
	VCLUSTER_OVERLAY=$top/build/vcluster/bench-overlay.cpio.gz \
	"$vc" up -n "$vms" --nodes-per-vm "$per" >&2
trap '"$vc" down >&2' EXIT

# dropbear: one per VM, on all its nodes' addresses.
for v in $(seq 0 $((vms - 1))); do
	wait_ssh "10.77.0.$((10 + v * per))" "$v"
done

# The nodes of a step of N: spread over the VMs.
step_nodes() {
	local i
	for i in $(seq 0 $(($1 - 1))); do
		echo $(((i % vms) * per + i / vms))
	done
}

# bpmaster's counts now: "KMSGS FRAMES BYTES_OUT" (its SIGUSR1 log line).
counts() {
	# shellcheck disable=SC2016 # expanded by the master's sh
	"$vc" run -- sh -c 'n=$(grep -c "counts:" /run/bpmaster.log); kill -USR1 $(pidof bpmaster)
		for i in $(seq 50); do [ $(grep -c "counts:" /run/bpmaster.log) -gt $n ] && break; sleep 0.1; done
		grep "counts:" /run/bpmaster.log | tail -n 1' |
		sed -n 's/.*kernel messages in \([0-9]*\) out \([0-9]*\), frames in \([0-9]*\) out \([0-9]*\), bytes in [0-9]* out \([0-9]*\).*/\1 \2 \3 \4 \5/p' |
		awk '{ print $1 + $2, $3 + $4, $5 }'
}

"$vc" run -- "$h/movetest" vspawn 4 0 >/dev/null	# untimed
rows=''
n=1
# shellcheck disable=SC2086 # $nodes: one argument per node
while [ "$n" -le "$max" ]; do
	nodes=$(step_nodes "$n" | tr '\n' ' ')
	best=
	for _ in 1 2 3; do
		out=$("$vc" run -- "$h/movetest" vspawn 4 $nodes) ||
			{ echo "spawn.sh: vspawn to $n nodes failed: $out" >&2; exit 1; }
		ms=$(awk '/^vspawn/ { print $3 }' <<<"$out")
		best=$(awk -v a="${best:-$ms}" -v b="$ms" 'BEGIN { print (b < a ? b : a) }')
	done
	c0=$(counts)
	"$vc" run -- "$h/movetest" vspawn 4 $nodes >/dev/null
	c1=$(counts)
	hosts=$(for i in $nodes; do printf 'node%d,' "$i"; done)
	# shellcheck disable=SC2016 # expanded by the master's bash
	pd=$("$vc" run -- bash -c 't0=$EPOCHREALTIME
		PDSH_SSH_ARGS="-F $1 -x %h" PDSH_RCMD_TYPE=ssh pdsh -f "$2" -w "$3" true </dev/null || exit 1
		echo "$t0 $EPOCHREALTIME"' spawn.sh "$cfg" $((4 * vms)) "${hosts%,}" |
		awk 'NF == 2 { printf "%.1f", ($2 - $1) * 1000 }') ||
		{ echo "spawn.sh: pdsh to $n nodes failed" >&2; exit 1; }
	rows+="$n $best ${pd:-0} $c0 $c1"$'\n'
	n=$((n * 2))
done
"$vc" check >&2

awk -v max="$max" '
	NF == 9 {
		n = $1; t[n] = $2; p[n] = $3
		km[n] = $7 - $4; fr[n] = $8 - $5; by[n] = $9 - $6
		ns[++k] = n
	}
	END {
		printf "%6s %12s %8s %12s %8s %10s %10s %14s %12s\n", "nodes", "bproc ms", "t/t(1)",
			"pdsh ms", "t/t(1)", "kmsgs", "frames", "bytes sent", "bytes/node"
		for (i = 1; i <= k; i++) {
			n = ns[i]
			printf "%6d %12.1f %8.2f %12.1f %8.2f %10d %10d %14d %12d\n", n, t[n], t[n] / t[1],
				p[n], (p[1] > 0 ? p[n] / p[1] : 0), km[n], fr[n], by[n], by[n] / n
		}
		n = ns[k]
		lim = 1 + 0.5 * log(n) / log(2)
		printf "t(%d)/t(1) = %.2f (target <= %.1f: %s); bproc is a flat loop from the master today\n",
			n, t[n] / t[1], lim, (t[n] / t[1] <= lim ? "met" : "NOT met")
		if (k > 1)
			printf "bproc cost per added node: %.1f ms; bpmaster messages per node: %.1f\n",
				(t[n] - t[1]) / (n - 1), (km[n] + fr[n]) / n
		printf "flat loop, 1,023 nodes on gigabit (117 MiB/s): %.1f s for the bytes alone (BProc: 0.7 s with its tree)\n",
			by[n] / n * 1023 / (117 * 1048576)
	}' <<<"$rows"
