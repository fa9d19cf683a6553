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
#   stats_zero NODE      ok if every /sys/bproc/stats counter on NODE is 0
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

# Every object counter of the module on NODE back at zero.
stats_zero() {
	local out
	out=$(on "$1" sh -c 'cd /sys/bproc/stats && for f in *; do echo "$f $(cat $f)"; done')
	if [ -n "$out" ] && ! printf '%s\n' "$out" | awk '$2 != 0 { bad = 1 } END { exit bad }'; then
		_tap 1 "$1: every object counter is back at zero" "$out"
	else
		_tap $([ -n "$out" ]; echo $?) "$1: every object counter is back at zero" "$out"
	fi
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
