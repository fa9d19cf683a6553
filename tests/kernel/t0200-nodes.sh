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

# ---- the cluster as configured -----------------------------------------
# (ownership lives in the kernel across bpmasters: start from the defaults)
on master bpctl -S all -u root -g root -m 0111
is "$(on master cat /sys/bproc/numnodes)" "$n" "master: numnodes is $n"
is "$(on master cat /sys/bproc/master_addr)" "10.77.0.1" "master: master_addr"
st=$(on master sh -c 'cat /sys/bproc/nodes/*/status' | sort -u)
is "$st" "up" "master: every node is up"
is "$(on master cat /sys/bproc/nodes/1/addr)" "10.77.0.11" "master: node 1's address"
is "$(on master ls /sys/bproc/nodes/1 | tr '\n' ' ')" \
	"addr group halt mode pwroff reboot status user " "master: node 1's files"
is "$(on master stat -c %a /sys/bproc/nodes/1/status /sys/bproc/nodes/1/reboot | tr '\n' ' ')" \
	"644 200 " "master: status is 0644, reboot 0200"
out=$(on master bpstat)
is "$(printf '%s\n' "$out" | awk 'NR > 1 { print $1, $2, $3, $4, $5 }')" \
	"0-$((n - 1)) up ---x--x--x root root" "bpstat: one row for every node, up"
out=$(on master bpstat -l)
case $out in *"10.77.0.1$((n - 1))"*) r=0 ;; *) r=1 ;; esac
_tap $r "bpstat -l shows the nodes' addresses" "$out"

# The slaves mirror the master's table.
is "$(on 1 cat /sys/bproc/numnodes)" "$n" "slave 1: numnodes is $n"
is "$(on 1 cat /sys/bproc/master_addr)" "10.77.0.1" "slave 1: master_addr"
is "$(on 1 sh -c 'cat /sys/bproc/nodes/*/status' | sort -u)" "up" "slave 1: every node is up"
is "$(on 1 cat /sys/bproc/nodes/2/addr)" "10.77.0.12" "slave 1: node 2's address"
out=$(on 1 sh -c 'echo error > /sys/bproc/nodes/0/status' 2>&1)
ok $([ $? != 0 ] && case $out in *"Read-only"*) echo 0 ;; *) echo 1 ;; esac) \
	"slave 1: node state is changed on the master only (EROFS)"

# ---- administrative states ---------------------------------------------
on master sh -c 'echo error > /sys/bproc/nodes/2/status'
ok $? "master: set node 2 to error"
is "$(status 2)" error "node 2 is error"
is "$(on 0 cat /sys/bproc/nodes/2/status)" error "slave 0's mirror shows node 2 error"
out=$(on master bpstat -s 2)
is "$out" error "bpstat -s 2: error"
on master bpctl -S 2 -s up
ok $? "bpctl -S 2 -s up"
is "$(status 2)" up "node 2 is up again"
out=$(on master sh -c 'echo boot > /sys/bproc/nodes/2/status' 2>&1)
ok $([ $? != 0 ]; echo $?) "writing status 'boot' is refused"
out=$(on master bpctl -S 2 -s boot 2>&1)
r=$?
is "$r:$out" "1:2: Invalid argument" "bpctl -S 2 -s boot: '2: Invalid argument', exit 1"
out=$(on master bpctl -S 2 -x 2>&1)
is "$?" 2 "bpctl with an unknown option exits 2"

# ---- ownership and the non-root rule -----------------------------------
on master bpctl -S 1 -u nobody -g nogroup -m 0100
ok $? "bpctl -S 1 -u nobody -g nogroup -m 0100"
is "$(on master sh -c 'cat /sys/bproc/nodes/1/user /sys/bproc/nodes/1/group /sys/bproc/nodes/1/mode' | tr '\n' ' ')" \
	"65534 65534 100 " "node 1: user 65534, group 65534, mode 100"
out=$(on master bpstat -l 1)
case $out in *"---x------"*nobody*) r=0 ;; *) r=1 ;; esac
_tap $r "bpstat -l 1 shows ---x------ nobody" "$out"
sleep 1
is "$(on 0 sh -c 'cat /sys/bproc/nodes/1/user /sys/bproc/nodes/1/mode' | tr '\n' ' ')" \
	"65534 100 " "slave 0's mirror has node 1's new owner"
on master sh -c 'echo 1000 > /sys/bproc/nodes/1/user && echo 011 > /sys/bproc/nodes/1/mode'
ok $? "root writes user and mode directly"
is "$(on master sh -c 'cat /sys/bproc/nodes/1/user /sys/bproc/nodes/1/mode' | tr '\n' ' ')" \
	"1000 011 " "node 1: user 1000, mode 011"
out=$(on master setpriv --reuid 65534 --regid 65534 --clear-groups \
	sh -c 'echo 65534 > /sys/bproc/nodes/1/user' 2>&1)
case $out in *"Permission denied"*) r=0 ;; *) r=1 ;; esac
_tap $r "a non-root write to user is refused (EACCES)" "$out"
out=$(on master setpriv --reuid 65534 --regid 65534 --clear-groups bpctl -S 1 -s up 2>&1)
r=$?
is "$r:$out" "1:1: Permission denied" "non-root bpctl -S 1 -s up: '1: Permission denied', exit 1"
on master bpctl -S all -u root -g root -m 0111
ok $? "bpctl -S all -u root -g root -m 0111 restores the defaults"

# ---- a node dies, and comes back ---------------------------------------
"$vcluster" kill 1
t=$(wait_status 1 $((ping * 3 / 2 + 2)) down)
ok $? "vcluster kill 1: node 1 down within 1.5 x pingtimeout (${ping}s) [$t ms]"
out=$(on master bpstat -s 1)
is "$out" down "bpstat -s 1: down"
"$vcluster" start 1
ok $? "vcluster start 1"
is "$(status 1)" up "node 1 is up again"

# ---- reboot through sysfs ----------------------------------------------
boot_id=$(on 1 cat /proc/sys/kernel/random/boot_id)
on master sh -c 'echo 1 > /sys/bproc/nodes/1/reboot'
ok $? "echo 1 > /sys/bproc/nodes/1/reboot"
wait_status 1 30 down >/dev/null
ok $? "node 1 goes down"
wait_status 1 120 up >/dev/null
ok $? "node 1 comes back up by itself"
"$vcluster" wait 1 >/dev/null 2>&1
[ "$(on 1 cat /proc/sys/kernel/random/boot_id)" != "$boot_id" ]
ok $? "node 1 did reboot (new boot_id)"
out=$(on master grep "node 1: up -> reboot" /run/bpmaster.log)
ok $? "bpmaster passed node 1 through 'reboot'"
out=$(on master sh -c 'echo 0 > /sys/bproc/nodes/1/halt' 2>&1)
ok $([ $? != 0 ]; echo $?) "writing 0 to halt is refused"

# ---- down disconnects; the node rejoins --------------------------------
on master sh -c 'echo down > /sys/bproc/nodes/0/status'
ok $? "echo down > /sys/bproc/nodes/0/status"
out=$(on master grep -c "node 0: .* -> down: set down by the administrator" /run/bpmaster.log)
ok $? "bpmaster disconnected node 0"
wait_status 0 30 up >/dev/null
ok $? "node 0's bpslave reconnects: up again"

# ---- bpmaster killed and restarted -------------------------------------
boot_ids=$(for ((i = 0; i < n; i++)); do on $i cat /proc/sys/kernel/random/boot_id; done)
on master pkill -KILL -x bpmaster
ok $? "kill -9 bpmaster"
sleep 0.5
is "$(on master sh -c 'cat /sys/bproc/nodes/*/status' | sort -u)" down \
	"no bpmaster: every node is down"
is "$(on 1 sh -c 'cat /sys/bproc/nodes/*/status' | sort -u)" down \
	"slave 1's mirror: every node is down"
on master /bproc/tests/vcluster/bpmaster-start
ok $? "bpmaster started again"
wait_all_up
ok $? "every slave reconnects: all nodes up"
now=$(for ((i = 0; i < n; i++)); do on $i cat /proc/sys/kernel/random/boot_id; done)
is "$now" "$boot_ids" "... without a reboot"

# ---- a second bpmaster, a bad configuration ----------------------------
out=$(on master bpmaster -f -c /etc/bproc/config 2>&1)
r=$?
case $out in *"another bpmaster is running"*) ;; *) r=0 ;; esac
ok $([ $r = 1 ]; echo $?) "a second bpmaster cannot open the device, exits 1"
out=$(on master sh -c 'printf "iprange 0 10.0.0.1 10.0.0.4\nbprocport 99999\n" > /tmp/bad.conf; bpmaster -t -c /tmp/bad.conf' 2>&1)
r=$?
case $out in "bpmaster: /tmp/bad.conf:2: "*) ;; *) r=0 ;; esac
ok $([ $r = 1 ]; echo $?) "a bad configuration: 'FILE:LINE: message', exit 1 [$out]"

# ---- a hostile slave ---------------------------------------------------
pid=$(bpmaster_pid)
for c in garbage oversized short badmagic ready-first truncated; do
	out=$(on master "$helpers/fakeslave" 10.77.0.1 2223 $c 2>&1)
	case $c:$out in truncated:"sent half" | *:closed) r=0 ;; *) r=1 ;; esac
	_tap $r "fake slave, $c: bpmaster closes the connection" "$out"
done
for c in badmajor unprivileged wrongnode hello; do
	out=$(on master "$helpers/fakeslave" 10.77.0.1 2223 $c 2>&1)
	case $out in "refused: "*) r=0 ;; *) r=1 ;; esac
	_tap $r "fake slave, $c: refused [${out#refused: }]" "$out"
done
is "$(bpmaster_pid)" "$pid" "bpmaster is still the same process"
is "$(on master sh -c 'cat /sys/bproc/nodes/*/status' | sort -u)" up "every node is still up"
out=$(on master grep -c "malformed frame" /run/bpmaster.log)
ok $([ "${out:-0}" -ge 1 ]; echo $?) "bpmaster logged why it dropped them"

# ---- the kernel's side of the table (bpmaster stopped) -----------------
daemons_stop
out=$(on master "$helpers/bpnodes" 2>&1)
rc=$?
relay "bpnodes" "$out"
ok $rc "bpnodes exited 0"
daemons_start
on master bpctl -S all -u root -g root -m 0111

# ---- programs written to the manual and to bproc 4 ---------------------
inst=$top/build/test-install
rm -rf "$inst"
make -s -C "$top" install DESTDIR="$inst" PREFIX=/usr >/dev/null 2>&1
ok $? "make install DESTDIR=build/test-install"
for prog in nodes_manual nodes_api4; do
	out=$(on master sh -c "cc -Wall -Werror -I/bproc/build/test-install/usr/include \
		-o /tmp/$prog /bproc/tests/kernel/helpers/$prog.c \
		-L/bproc/build/test-install/usr/lib -lbproc && \
		LD_LIBRARY_PATH=/bproc/build/test-install/usr/lib /tmp/$prog" 2>&1)
	r=$?
	case $out in *"1 up 10.77.0.11"* | *"1 up"*"10.77.0.11"*) ;; *) r=1 ;; esac
	_tap $r "$prog builds against the installed header and library and prints the node table" "$out"
done

stats_zero master
stats_zero 0

done_testing
