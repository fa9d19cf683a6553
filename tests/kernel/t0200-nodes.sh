#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Nodes: bpmaster and bpslave join every slave; node state as files on the
# master and mirrored on the slaves; bpstat and bpctl; a killed node goes
# down within the heartbeat timeout and comes back; reboot through sysfs;
# ownership and the non-root rule; bpmaster restarted (slaves reconnect
# without a reboot); a hostile slave and a second bpmaster; programs
# written to the manual and to bproc 4 built against the installed library.
#
#   master 10.77.0.1 (bpmaster)       slaves 0..N-1 10.77.0.(10+i) (bpslave)
. "$(dirname "$0")/lib.sh"

n=$(nslaves)
ping=$(on master sh -c 'sed -n "s/^pingtimeout //p" /etc/bproc/config')
bpmaster_pid() { on master pgrep -x bpmaster; }
status() { on master cat "/sys/bproc/nodes/$1/status"; }

# Wait up to $2 seconds for node $1 to have status $3; prints the seconds taken.
wait_status() {
	local node=$1 limit=$2 want=$3 t0 st
	t0=$(date +%s%N)
	while :; do
		st=$(status "$node")
		[ "$st" = "$want" ] && { echo $((($(date +%s%N) - t0) / 1000000)); return 0; }
		[ $((($(date +%s%N) - t0) / 1000000000)) -lt "$limit" ] || { echo "timeout (status $st)"; return 1; }
		sleep 0.2
	done
}

cluster_reset

# ---- the cluster as configured -----------------------------------------
test_expect_success "master: numnodes is $n" '
	is "$(on master cat /sys/bproc/numnodes)" "$n"
'
test_expect_success 'master: master_addr' '
	is "$(on master cat /sys/bproc/master_addr)" "10.77.0.1"
'
test_expect_success 'master: every node is up' '
	is "$(on master sh -c "cat /sys/bproc/nodes/*/status" | sort -u)" up
'
test_expect_success "master: node 1's address" '
	is "$(on master cat /sys/bproc/nodes/1/addr)" "10.77.0.11"
'
test_expect_success "master: node 1's files" '
	is "$(on master ls /sys/bproc/nodes/1 | tr "\n" " ")" \
		"addr group halt mode pwroff reboot status user "
'
test_expect_success 'master: status is 0644, reboot 0200' '
	is "$(on master stat -c %a /sys/bproc/nodes/1/status /sys/bproc/nodes/1/reboot | tr "\n" " ")" \
		"644 200 "
'
test_expect_success 'bpstat: one row for every node, up' '
	out=$(on master bpstat) &&
	is "$(printf "%s\n" "$out" | awk "NR > 1 { print \$1, \$2, \$3, \$4, \$5 }")" \
		"0-$((n - 1)) up ---x--x--x root root"
'
test_expect_success "bpstat -l shows the nodes' addresses" '
	matches "$(on master bpstat -l)" "*10.77.0.1$((n - 1))*"
'

# The slaves mirror the master's table.
test_expect_success "slave 1: numnodes is $n" '
	is "$(on 1 cat /sys/bproc/numnodes)" "$n"
'
test_expect_success 'slave 1: master_addr' '
	is "$(on 1 cat /sys/bproc/master_addr)" "10.77.0.1"
'
test_expect_success 'slave 1: every node is up' '
	is "$(on 1 sh -c "cat /sys/bproc/nodes/*/status" | sort -u)" up
'
test_expect_success "slave 1: node 2's address" '
	is "$(on 1 cat /sys/bproc/nodes/2/addr)" "10.77.0.12"
'
test_expect_success 'slave 1: node state is changed on the master only (EROFS)' '
	! out=$(on 1 sh -c "echo error > /sys/bproc/nodes/0/status" 2>&1) &&
	matches "$out" "*Read-only*"
'

# ---- administrative states ---------------------------------------------
test_expect_success 'master: echo error > node 2 status: node 2 is error' '
	on master sh -c "echo error > /sys/bproc/nodes/2/status" &&
	is "$(status 2)" error
'
test_expect_success "slave 0's mirror shows node 2 error" '
	is "$(on 0 cat /sys/bproc/nodes/2/status)" error
'
test_expect_success 'bpstat -s 2: error' '
	is "$(on master bpstat -s 2)" error
'
test_expect_success 'bpctl -S 2 -s up: node 2 is up again' '
	on master bpctl -S 2 -s up &&
	is "$(status 2)" up
'
test_expect_success "writing status 'boot' is refused" '
	! on master sh -c "echo boot > /sys/bproc/nodes/2/status"
'
test_expect_success "bpctl -S 2 -s boot: '2: Invalid argument', exit 1" '
	out=$(on master bpctl -S 2 -s boot 2>&1)
	is "$?:$out" "1:2: Invalid argument"
'
test_expect_success 'bpctl with an unknown option exits 2' '
	on master bpctl -S 2 -x
	is "$?" 2
'

# ---- ownership and the non-root rule -----------------------------------
test_expect_success 'bpctl -S 1 -u nobody -g nogroup -m 0100: node 1 user 65534, group 65534, mode 100' '
	on master bpctl -S 1 -u nobody -g nogroup -m 0100 &&
	is "$(on master sh -c "cat /sys/bproc/nodes/1/user /sys/bproc/nodes/1/group /sys/bproc/nodes/1/mode" | tr "\n" " ")" \
		"65534 65534 100 "
'
test_expect_success 'bpstat -l 1 shows ---x------ nobody' '
	matches "$(on master bpstat -l 1)" "*---x------*nobody*"
'
test_expect_success "slave 0's mirror has node 1's new owner" '
	for i in $(seq 25); do
		got=$(on 0 sh -c "cat /sys/bproc/nodes/1/user /sys/bproc/nodes/1/mode" | tr "\n" " ")
		[ "$got" = "65534 100 " ] && break
		sleep 0.2
	done
	is "$got" "65534 100 "
'
test_expect_success 'root writes user and mode directly: node 1 user 1000, mode 011' '
	on master sh -c "echo 1000 > /sys/bproc/nodes/1/user && echo 011 > /sys/bproc/nodes/1/mode" &&
	is "$(on master sh -c "cat /sys/bproc/nodes/1/user /sys/bproc/nodes/1/mode" | tr "\n" " ")" \
		"1000 011 "
'
test_expect_success 'a non-root write to user is refused (EACCES)' '
	out=$(on master setpriv --reuid 65534 --regid 65534 --clear-groups \
		sh -c "echo 65534 > /sys/bproc/nodes/1/user" 2>&1)
	matches "$out" "*Permission denied*"
'
test_expect_success "non-root bpctl -S 1 -s up: '1: Permission denied', exit 1" '
	out=$(on master setpriv --reuid 65534 --regid 65534 --clear-groups bpctl -S 1 -s up 2>&1)
	is "$?:$out" "1:1: Permission denied"
'
test_expect_success 'bpctl -S all -u root -g root -m 0111 restores the defaults' '
	on master bpctl -S all -u root -g root -m 0111 &&
	is "$(on master sh -c "cat /sys/bproc/nodes/1/user /sys/bproc/nodes/1/group /sys/bproc/nodes/1/mode" | tr "\n" " ")" \
		"0 0 111 "
'

# ---- a node dies, and comes back ---------------------------------------
"$vcluster" kill 1 || bail_out "vcluster kill 1"
test_expect_success "vcluster kill 1: node 1 down within 1.5 x pingtimeout (${ping}s)" '
	t=$(wait_status 1 $((ping * 3 / 2 + 2)) down) &&
	say "down after $t ms"
'
test_expect_success 'bpstat -s 1: down' '
	is "$(on master bpstat -s 1)" down
'
"$vcluster" start 1 || bail_out "vcluster start 1"
test_expect_success 'node 1 is up again once it booted' '
	is "$(status 1)" up
'

# ---- reboot through sysfs ----------------------------------------------
boot_id=$(on 1 cat /proc/sys/kernel/random/boot_id)
test_expect_success 'echo 1 > /sys/bproc/nodes/1/reboot: node 1 goes down' '
	on master sh -c "echo 1 > /sys/bproc/nodes/1/reboot" &&
	wait_status 1 30 down
'
test_expect_success 'node 1 comes back up by itself' '
	wait_status 1 120 up
'
"$vcluster" wait 1 >/dev/null 2>&1 || bail_out "slave 1 does not answer after its reboot"
test_expect_success 'node 1 did reboot (new boot_id)' '
	[ "$(on 1 cat /proc/sys/kernel/random/boot_id)" != "$boot_id" ]
'
test_expect_success "bpmaster passed node 1 through 'reboot'" '
	on master grep "node 1: up -> reboot" /run/bpmaster.log
'
test_expect_success 'writing 0 to halt is refused' '
	! on master sh -c "echo 0 > /sys/bproc/nodes/1/halt"
'

# ---- down disconnects; the node rejoins --------------------------------
test_expect_success 'echo down > /sys/bproc/nodes/0/status: bpmaster disconnects node 0' '
	on master sh -c "echo down > /sys/bproc/nodes/0/status" &&
	on master grep -c "node 0: .* -> down: set down by the administrator" /run/bpmaster.log
'
test_expect_success "node 0's bpslave reconnects: up again" '
	wait_status 0 30 up
'

# ---- bpmaster killed and restarted -------------------------------------
boot_ids=$(for ((i = 0; i < n; i++)); do on $i cat /proc/sys/kernel/random/boot_id; done)
on master pkill -KILL -x bpmaster || bail_out "kill -9 bpmaster"
test_expect_success 'no bpmaster: every node is down' '
	for i in $(seq 25); do
		st=$(on master sh -c "cat /sys/bproc/nodes/*/status" | sort -u)
		[ "$st" = down ] && break
		sleep 0.2
	done
	is "$st" down
'
test_expect_success "slave 1's mirror: every node is down" '
	for i in $(seq 25); do
		st=$(on 1 sh -c "cat /sys/bproc/nodes/*/status" | sort -u)
		[ "$st" = down ] && break
		sleep 0.2
	done
	is "$st" down
'
on master /bproc/tests/vcluster/bpmaster-start || bail_out "bpmaster does not start again"
test_expect_success 'bpmaster started again: every slave reconnects, all nodes up' '
	wait_all_up
'
test_expect_success '... without a reboot' '
	now=$(for ((i = 0; i < n; i++)); do on $i cat /proc/sys/kernel/random/boot_id; done) &&
	is "$now" "$boot_ids"
'

# ---- a second bpmaster, a bad configuration ----------------------------
test_expect_success 'a second bpmaster cannot open the device, exits 1' '
	out=$(on master bpmaster -f -c /etc/bproc/config 2>&1)
	is $? 1 &&
	matches "$out" "*another bpmaster is running*"
'
test_expect_success "a bad configuration: 'FILE:LINE: message', exit 1" '
	out=$(on master sh -c "printf \"iprange 0 10.0.0.1 10.0.0.4\nbprocport 99999\n\" > /tmp/bad.conf; bpmaster -t -c /tmp/bad.conf" 2>&1)
	is $? 1 &&
	matches "$out" "bpmaster: /tmp/bad.conf:2: *"
'

# ---- a hostile slave ---------------------------------------------------
pid=$(bpmaster_pid)
for c in garbage oversized short badmagic ready-first truncated; do
	test_expect_success "fake slave, $c: bpmaster closes the connection" '
		out=$(on master "$helpers/fakeslave" 10.77.0.1 2223 $c 2>&1)
		case $c:$out in truncated:"sent half" | *:closed) ;; *) echo "$out"; false ;; esac
	'
done
for c in badmajor unprivileged wrongnode hello; do
	test_expect_success "fake slave, $c: refused with a reason" '
		out=$(on master "$helpers/fakeslave" 10.77.0.1 2223 $c 2>&1)
		say "$out" &&
		matches "$out" "refused: *"
	'
done
test_expect_success 'bpmaster is still the same process' '
	is "$(bpmaster_pid)" "$pid"
'
test_expect_success 'every node is still up' '
	is "$(on master sh -c "cat /sys/bproc/nodes/*/status" | sort -u)" up
'
test_expect_success 'bpmaster logged why it dropped them' '
	out=$(on master grep -c "malformed frame" /run/bpmaster.log)
	[ "${out:-0}" -ge 1 ]
'

# ---- the kernel's side of the table (bpmaster stopped) -----------------
daemons_stop
test_helper master bpnodes "$helpers/bpnodes"
daemons_start
on master bpctl -S all -u root -g root -m 0111 || bail_out "bpctl -S all: the default owner"

# ---- programs written to the manual and to bproc 4 ---------------------
inst=$top/build/test-install
rm -rf "$inst"
make -s -C "$top" install DESTDIR="$inst" PREFIX=/usr >"$test_tmp/install.log" 2>&1 ||
	{ sed 's/^/#   /' "$test_tmp/install.log"; bail_out "make install DESTDIR=build/test-install"; }
for prog in nodes_manual nodes_api4; do
	test_expect_success "$prog builds against the installed header and library and prints the node table" '
		out=$(on master sh -c "cc -Wall -Werror -I/bproc/build/test-install/usr/include \
			-o /tmp/$prog /bproc/tests/kernel/helpers/$prog.c \
			-L/bproc/build/test-install/usr/lib -lbproc &&
			LD_LIBRARY_PATH=/bproc/build/test-install/usr/lib /tmp/$prog" 2>&1) &&
		echo "$out" &&
		matches "$out" "*1 up*10.77.0.11*"
	'
done

test_no_leaks master 0

test_done
