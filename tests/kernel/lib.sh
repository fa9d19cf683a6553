# SPDX-License-Identifier: GPL-2.0
#
# Shared by the qemu tests (tests/kernel/tNNNN-*.sh): the TAP vocabulary of
# tests/lib/tap.sh (test_expect_success, is, matches, test_relay, bail_out,
# test_done) and the cluster.  A test runs on the host against a cluster
# that tests/run has brought up (or that you brought up with
# `tests/vcluster/vcluster up`), starts from cluster_reset and leaves the
# cluster as it found it (module loaded, every slave up).
#
# Commands (harness steps, not tests; they bail out when they cannot go on):
#   on NODE CMD...       run CMD on master or slave N (vcluster run)
#   nslaves              the number of slaves
#   cluster_reset        the known state every test starts from: every slave
#                        VM running, bpmaster running, every node up with
#                        the default owner (root, root, 0111), no movetest
#                        left on any node, no ghost on the master
#   daemons_stop         stop bpmaster, wait until no slave holds a session
#   daemons_start        start bpmaster, wait until every node is up
#   wait_all_up          wait (60 s) until the master shows every node up;
#                        1 (and the table on stderr) if it does not
# Tests:
#   test_no_leaks NODE...  one test per NODE: every /sys/bproc/stats counter
#                        is at its idle value (0; the daemons' sessions; the
#                        nodes), and no ghost is left
#   test_helper NODE DESC CMD...  run a helper program on NODE: its TAP lines
#                        become our tests ("DESC: ..."), its exit status one
#                        more ("DESC exits 0")
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$top/tests/lib/tap.sh"
vcluster=$top/tests/vcluster/vcluster
helpers=/bproc/build/tests/helpers	# same path in every VM

on() {
	local node=$1
	shift
	"$vcluster" run --on "$node" -- "$@"
}

nslaves() { "$vcluster" status | grep -c '^slave'; }

wait_all_up() {
	local i st
	for i in $(seq 120); do
		st=$(on master sh -c 'cat /sys/bproc/nodes/*/status' | sort -u)
		[ "$st" = up ] && return 0
		sleep 0.5
	done
	on master sh -c 'grep . /sys/bproc/nodes/*/status' >&2
	return 1
}

# Stop bpmaster; every slave's bpslave then closes its session (it retries
# the connection without one).  Waits until no slave holds a session.
daemons_stop() {
	local n i
	on master sh -c 'pkill -x bpmaster; for i in $(seq 50); do pgrep -x bpmaster >/dev/null || exit 0; sleep 0.1; done; exit 1' ||
		bail_out "bpmaster does not stop"
	for ((n = 0; n < $(nslaves); n++)); do
		for i in $(seq 50); do
			[ "$(on $n cat /sys/bproc/stats/sessions)" = 0 ] && continue 2
			sleep 0.2
		done
		bail_out "slave $n still holds a session without bpmaster"
	done
}

daemons_start() {
	on master /bproc/tests/vcluster/bpmaster-start || bail_out "bpmaster does not start"
	wait_all_up || bail_out "not every node is up after bpmaster started"
}

cluster_reset() {
	local i n
	n=$(nslaves)
	[ "$n" -gt 0 ] || bail_out "no cluster is up (tests/vcluster/vcluster up)"
	for ((i = 0; i < n; i++)); do
		on $i true 2>/dev/null && continue
		"$vcluster" start $i >/dev/null 2>&1 || bail_out "slave $i does not boot"
	done
	on master pgrep -x bpmaster >/dev/null ||
		on master /bproc/tests/vcluster/bpmaster-start ||
		bail_out "bpmaster does not start"
	# Administrative states (error, unavailable) back to up.
	on master sh -c 'for f in /sys/bproc/nodes/*/status; do
		case $(cat $f) in error|unavailable) echo up > $f ;; esac; done'
	wait_all_up || bail_out "not every node is up"
	on master bpctl -S all -u root -g root -m 0111 || bail_out "bpctl -S all: the default owner"
	for ((i = 0; i < n; i++)); do	# (busybox: no pkill)
		on $i sh -c 'p=$(pidof movetest) && kill -KILL $p; true'
	done
	on master sh -c 'pkill -KILL -x movetest
		for i in $(seq 50); do [ "$(cat /sys/bproc/stats/ghosts)" = 0 ] && exit 0; sleep 0.2; done
		exit 1' || bail_out "ghosts are left on the master: $(on master cat /proc/bproc/processes)"
}

# Every object counter of the module on NODE back at its idle value: zero,
# except the sessions the daemons hold (one per open descriptor of
# /dev/bproc/master or /dev/bproc/slave) and the node table's nodes.
_stats_idle() {
	local out
	out=$(on "$1" sh -c 'cd /sys/bproc/stats && for f in *; do echo "$f $(cat $f)"; done
		echo "daemon-sessions $(ls -l /proc/[0-9]*/fd 2>/dev/null | grep -cE "/dev/bproc/(master|slave)")"')
	echo "$out"
	[ -n "$out" ] && printf '%s\n' "$out" | awk '
		$1 == "daemon-sessions" { want = $2; next }
		$1 == "sessions" { have = $2; next }
		$1 == "nodes" { next }
		$2 != 0 { bad = 1 }
		END { exit bad || have != want }'
}

test_no_leaks() {
	local node
	for node; do
		# (what just ended may take a moment to be collected: 10 s)
		test_expect_success "$node: every object counter is back at its idle value (no ghost, no leak)" "
			for i in \$(seq 50); do _stats_idle $node >/dev/null && break; sleep 0.2; done
			_stats_idle $node
		"
	done
}

test_helper() {
	local node=$1 desc=$2 out rc
	shift 2
	out=$(on "$node" "$@" 2>&1)
	rc=$?
	test_relay "$desc" "$out"
	_helper_rc=$rc
	test_expect_success "$desc exits 0" 'is "$_helper_rc" 0'
}
