# SPDX-License-Identifier: GPL-2.0
#
# tests/lib/tap.sh - the one TAP vocabulary of bproc's shell tests (unit
# tests in tests/unit/, qemu tests in tests/kernel/), after git's t/README.
# Source it; every counted check is a named test with a body:
#
#   test_expect_success 'what it shows' '
#           out=$(bpstat -s 2) &&
#           is "$out" up
#   '
#
# The body is eval'd in the test's own shell (variables it sets stay set),
# with stdin from /dev/null; its output is kept and shown as "#" lines only
# when it fails (its `say` lines always).  Chain its commands with && : its
# status is the test's.
#
#   test_expect_success DESC BODY   one test: ok if BODY succeeds
#   test_skip DESC REASON           one test, skipped ("ok N - DESC # SKIP")
#   test_relay PREFIX OUTPUT        the TAP lines of a helper program, each
#                                   one of our tests ("PREFIX: its name"),
#                                   a failed one more if none came or the
#                                   count is not the plan; 1 on a failure
#   test_done                       the plan; exit 1 if anything failed
#
# Inside a body (each prints what it saw and returns 1 on a mismatch):
#   is GOT WANT          the two strings are equal
#   matches GOT PATTERN  GOT matches the shell PATTERN (as in case)
#   test_cmp WANT GOT    the two files are equal (diff -u)
#
# $test_tmp is a scratch directory, removed at exit; test_atexit CMD runs
# CMD at exit too (the last added first): no test sets its own EXIT trap.
#
# Harness steps (starting daemons, killing a node, waiting) are no tests:
# they are plain commands or functions, and one that cannot go on calls
#   bail_out MSG         "Bail out! MSG" and exit 1 (tests/run counts it
#                        as a failure of the file)
#   say MSG...           a "# MSG" diagnostic line
set -u
_tap_n=0
_tap_bad=0
_tap_atexit=
test_tmp=$(mktemp -d "${TMPDIR:-/tmp}/bproc-test.XXXXXX")
_tap_out=$test_tmp/.body-output
_tap_exit() { eval "$_tap_atexit"; rm -rf "$test_tmp"; }
trap _tap_exit EXIT
test_atexit() { _tap_atexit="$1; $_tap_atexit"; }

say() { echo "# $*"; }

# One TAP line, numbered.
_tap_result() {	# _tap_result STATUS DESC [DIRECTIVE]
	_tap_n=$((_tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $_tap_n - $2${3:+ # $3}"
	else
		echo "not ok $_tap_n - $2"
		_tap_bad=1
	fi
}

test_expect_success() {
	local _desc=$1 _body=$2 _rc
	{ eval "$_body"; } >"$_tap_out" 2>&1 </dev/null
	_rc=$?
	_tap_result $_rc "$_desc"
	if [ $_rc != 0 ]; then
		[ -s "$_tap_out" ] && sed 's/^/#   /' "$_tap_out"
		echo "#   (exit $_rc)"
	else
		grep '^# ' "$_tap_out"	# what the body said (say)
	fi
	return 0
}

test_skip() { _tap_result 0 "$1" "SKIP $2"; }

test_relay() {
	local _prefix=$1 _line _bad=0 _seen=0 _plan=
	while IFS= read -r _line; do
		case $_line in
		"ok "*"# SKIP"*)
			_tap_result 0 "$_prefix: ${_line#ok * - }"; _seen=$((_seen + 1)) ;;
		"ok "*) _tap_result 0 "$_prefix: ${_line#ok * - }"; _seen=$((_seen + 1)) ;;
		"not ok "*)
			_tap_result 1 "$_prefix: ${_line#not ok * - }"
			_bad=1 _seen=$((_seen + 1)) ;;
		"1.."[0-9]*) _plan=${_line#1..} ;;
		"#"*) echo "$_line" ;;
		esac
	done <<< "$2"
	if [ $_seen = 0 ] || { [ -n "$_plan" ] && [ "$_plan" != $_seen ]; }; then
		_tap_result 1 "$_prefix: its TAP is complete (${_plan:-no} plan, $_seen tests)"
		printf '%s\n' "$2" | tail -n 5 | sed 's/^/#   /'
		_bad=1
	fi
	[ $_bad = 0 ]
}

test_done() {
	echo "1..$_tap_n"
	exit $_tap_bad
}

bail_out() {
	echo "Bail out! $*"
	exit 1
}

is() { _tap_is "$@"; }
_tap_is() {
	[ "$1" = "$2" ] && return 0
	printf "got:  '%s'\nwant: '%s'\n" "$1" "$2"
	return 1
}

matches() {
	# shellcheck disable=SC2053
	[[ $1 == $2 ]] && return 0
	printf 'got:     %s\npattern: %s\n' "$1" "$2"
	return 1
}

test_cmp() { diff -u "$1" "$2"; }
