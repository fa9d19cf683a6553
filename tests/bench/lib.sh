# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared by the benchmarks that compare with ssh (start.sh, spawn.sh).

# wait_ssh ADDR: wait (60 s at most) until the master VM reaches an ssh
# server at ADDR port 22 (the benchmark overlay's dropbear, started by the
# slave's init after bpslave); on failure say so, show the end of slave
# VM ${2:-0}'s console and exit 1.  Needs $vc (the vcluster script).
# shellcheck disable=SC2154 # $vc: the caller's
wait_ssh() {
	local _
	for _ in $(seq 120); do
		"$vc" run -- bash -c "exec 3<>/dev/tcp/$1/22" 2>/dev/null && return 0
		sleep 0.5
	done
	echo "$(basename "$0"): no ssh server at $1" >&2
	"$vc" log "${2:-0}" | tail -n 20 >&2
	exit 1
}
