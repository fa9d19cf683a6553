# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for the qemu tests (tests/kernel/tNNNN-*.sh).  A test runs
# on the host against a cluster that tests/run has brought up (or that you
# brought up with `tests/vcluster/vcluster up`), prints TAP, and leaves the
# cluster as it found it (module loaded, every slave up).
#
#   on NODE CMD...       run CMD on master or slave N (vcluster run)
#   ok COND-STATUS DESC  one TAP line from the status of the last command
#   check DESC CMD...    run CMD on the host; ok if it succeeds
#   is GOT WANT DESC     ok if the two strings are equal (shows both if not)
#   stats_zero NODE      ok if every /sys/bproc/stats counter on NODE is at
#                        its idle value (0; daemon sessions; the nodes)
#   daemons_stop         stop bpmaster, wait until no slave holds a session
#   daemons_start        start bpmaster, wait until every node is up
#   wait_all_up          wait until the master shows every node up
#   relay PREFIX OUTPUT  re-number a helper program's TAP lines into ours
#   done_testing         print the plan; exit 1 if anything failed
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
vcluster=$top/tests/vcluster/vcluster
helpers=/bproc/build/tests/helpers	# same path in every VM
_n=0
_bad=0

on() {
	local node=$1
	shift
	"$vcluster" run --on "$node" -- "$@"
}

_tap() {	# _tap STATUS DESC [DIAG]
	_n=$((_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $_n - $2"
	else
		echo "not ok $_n - $2"
		_bad=1
		[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/#   /'
	fi
	return 0
}

ok() { _tap "$1" "$2"; }

check() {
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	_tap $rc "$desc" "$out"
}

is() {
	if [ "$1" = "$2" ]; then
		_tap 0 "$3"
	else
		_tap 1 "$3" "got:  '$1'
want: '$2'"
	fi
}

# Every object counter of the module on NODE back at its idle value: zero,
# except the sessions the daemons hold (one per open descriptor of
# /dev/bproc/master or /dev/bproc/slave) and the node table's nodes.
stats_zero() {
	local out
	out=$(on "$1" sh -c 'cd /sys/bproc/stats && for f in *; do echo "$f $(cat $f)"; done
		echo "daemon-sessions $(ls -l /proc/[0-9]*/fd 2>/dev/null | grep -cE "/dev/bproc/(master|slave)")"')
	if [ -n "$out" ] && printf '%s\n' "$out" | awk '
		$1 == "daemon-sessions" { want = $2; next }
		$1 == "sessions" { have = $2; next }
		$1 == "nodes" { next }
		$2 != 0 { bad = 1 }
		END { exit bad || have != want }'; then
		_tap 0 "$1: every object counter is back at its idle value"
	else
		_tap 1 "$1: every object counter is back at its idle value" "$out"
	fi
}

# Stop bpmaster; every slave's bpslave then closes its session (it retries
# the connection without one).  Waits until no slave holds a session.
daemons_stop() {
	local n i
	on master sh -c 'pkill -x bpmaster; for i in $(seq 50); do pgrep -x bpmaster >/dev/null || exit 0; sleep 0.1; done; exit 1'
	_tap $? "bpmaster stopped"
	for ((n = 0; n < $(nslaves); n++)); do
		for i in $(seq 50); do
			[ "$(on $n cat /sys/bproc/stats/sessions)" = 0 ] && break
			sleep 0.2
		done
	done
}

# Start bpmaster again and wait until every node is up.
daemons_start() {
	on master /bproc/tests/vcluster/bpmaster-start
	_tap $? "bpmaster started"
	wait_all_up
}

# Number of slaves in the cluster under test.
nslaves() { "$vcluster" status | grep -c '^slave'; }

# Wait (up to 60 s) until the master shows every node up.
wait_all_up() {
	local i st
	for i in $(seq 120); do
		st=$(on master sh -c 'cat /sys/bproc/nodes/*/status' | sort -u)
		[ "$st" = up ] && return 0
		sleep 0.5
	done
	_tap 1 "every node is up again" "$(on master sh -c 'grep . /sys/bproc/nodes/*/status')"
	return 1
}

relay() {
	local line
	while IFS= read -r line; do
		case $line in
		"ok "*) _tap 0 "$1: ${line#ok * - }" ;;
		"not ok "*) _tap 1 "$1: ${line#not ok * - }" ;;
		"#"*) echo "$line" ;;
		esac
	done <<< "$2"
}

done_testing() {
	echo "1..$_n"
	[ $_bad = 0 ]
	exit $?
}
