#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Many nodes on few machines: one slave kernel is several nodes, each its
# own bpslave, address, PID, UTS and mount namespaces (bproc.nodes=K,
# BPROC_IOC_NODE_NS).  The suite's cluster is taken down and one of
# T0600_VMS VMs x T0600_PER_VM nodes (default 4 x 32: 128 nodes) comes up;
# at the end the suite's 3-slave cluster comes back for the tests after.
#
#   master --- VM 0: nodes 0..31 (10.77.0.10..41)   one kernel, 32 bpslaves
#          --- VM 1: nodes 32..63                   ...
#          --- VM 2, VM 3
#
# What it shows: every node up; bpsh -a on all of them, each node naming
# itself; bproc_vrfork to every node, each child on its node as the kernel
# sees it and every exit status back; sibling nodes of one kernel do not
# see each other's processes; a move from node to sibling node to another
# VM and home; a node's bpslave killed and restarted while its siblings
# stay up and keep their mirror of the table; a reboot asked of one node
# of a shared machine does not reboot its siblings; nothing left behind.
. "$(dirname "$0")/lib.sh"

vms=${T0600_VMS:-4}
per=${T0600_PER_VM:-32}
n=$((vms * per))
last=$((n - 1))
mt=$helpers/movetest
suite_slaves=3

# Whatever happens, the tests after this one get the suite's cluster back.
restore() {
	"$vcluster" down >/dev/null 2>&1
	VCLUSTER_NOBUILD=1 "$vcluster" up -n $suite_slaves >/dev/null 2>&1 ||
		echo "# t0600: the suite's cluster did not come back up" >&2
}

test_expect_success 'no kernel trouble on the consoles of the suite cluster' '
	"$vcluster" check
'
"$vcluster" down >/dev/null 2>&1 || bail_out "vcluster down failed"
test_atexit restore
trap 'exit 1' TERM INT	# (the time limit's TERM: restore all the same)

# 128 bpslaves and 5 VMs share 2 emulated host cores: under the load of a
# vector spawn a slave can go unheard for more than the suite's 5 s
# heartbeat, so this cluster runs with bproc.conf's default-like 30 s.
t0=$(date +%s)
VCLUSTER_NOBUILD=1 VCLUSTER_BOOT_TIMEOUT=400 VCLUSTER_PINGTIMEOUT=30 "$vcluster" up -n "$vms" --nodes-per-vm "$per" ||
	bail_out "$vms VMs x $per nodes did not come up"
echo "# $n nodes up in $(($(date +%s) - t0)) s"

test_expect_success "the master shows all $n nodes up" '
	is "$(on master sh -c "cat /sys/bproc/nodes/*/status" | sort | uniq -c | sed "s/^ *//")" "$n up"
'
test_expect_success "bpstat lists $n nodes up" '
	is "$(on master bpstat | awk "NR > 1 { print \$1, \$2 }")" "0-$((n - 1)) up" &&
	is "$(on master bpstat -l | grep -cw up)" "$n"
'
test_expect_success "each VM runs $per bpslaves, one session each" '
	for v in $(seq 0 $((vms - 1))); do
		is "$(on $((v * per)) sh -c "pidof bpslave | wc -w")" "$per" &&
		is "$(on $((v * per)) cat /sys/bproc/stats/sessions)" "$per" || return 1
	done
'
test_expect_success 'each VM mirrors the whole table' '
	for v in $(seq 0 $((vms - 1))); do
		is "$(on $((v * per)) sh -c "cat /sys/bproc/nodes/*/status" | sort | uniq -c | sed "s/^ *//")" "$n up" || return 1
	done
'

test_expect_success "bpsh -a -p uname -n: every node names itself" '
	on master bpsh -a -p uname -n > "$test_tmp/got" &&
	for i in $(seq 0 $last); do printf "%3d: n%d\n" $i $i; done > "$test_tmp/want" &&
	is "$(sort -n "$test_tmp/got")" "$(cat "$test_tmp/want")"
'
test_expect_success "bpsh -a true exits 0 on all $n nodes" '
	on master bpsh -a true
'
test_expect_success "bproc_vrfork to all $n nodes: child i on node i (the kernel says so), exit 10+i" '
	on master "$mt" vrfork $(seq 0 $last) > "$test_tmp/got" &&
	for i in $(seq 0 $last); do echo "$i: exit $((10 + i % 200))"; done > "$test_tmp/want" &&
	is "$(cat "$test_tmp/got")" "$(cat "$test_tmp/want")"
'
test_expect_success 'node 5 ends with its own code, node 37 with its own (each end through its own session)' '
	on master bpsh 5 sh -c "exit 5"; a=$?
	on master bpsh 37 sh -c "exit 37"; b=$?
	is "$a $b" "5 37"
'

# Sibling nodes share a kernel, not a process space.
test_expect_success 'a process on node 1 is in the master ps and in node 1 ps, not in sibling node 0 ps' '
	on master sh -c "bpsh 1 tail -f /dev/null </dev/null >/dev/null 2>&1 & b=\$!
		for i in \$(seq 50); do bpsh 1 ps -e -o comm= | grep -qx tail && break; sleep 0.2; done
		r=0
		bpsh 1 ps -e -o comm= | grep -qx tail || r=1
		bpsh 0 ps -e -o comm= | grep -qx tail && r=2
		ps -e -o comm= | grep -qx tail || r=3
		pkill -x tail; wait \$b; exit \$r"
'

test_expect_success "a move master -> node 0 -> its sibling node 1 -> node $((per + 1)) (another VM) -> master keeps PID and memory" '
	out=$(on master "$mt" route 0 1 $((per + 1)) -1) &&
	matches "$out" "*route ok*"
'

# A node's bpslave dies: the slave image's init starts it again.  Its
# siblings' sessions keep the kernel's mirror of the table up meanwhile.
test_expect_success 'node 2 bpslave killed: node 2 goes down, sibling nodes 0 and 3 stay up and their mirror too' '
	on 2 sh -c "for p in \$(pidof bpslave); do
		tr \"\\\\0\" \" \" < /proc/\$p/cmdline | grep -q \"^/sbin/bpslave -n 2 \" && kill -KILL \$p; done; true" &&
	went=
	for i in $(seq 100); do
		[ "$(on master cat /sys/bproc/nodes/2/status)" = up ] || { went=1; break; }
		sleep 0.1
	done
	is "$went" 1 &&
	is "$(on master cat /sys/bproc/nodes/0/status /sys/bproc/nodes/3/status)" "up
up" &&
	is "$(on 0 cat /sys/bproc/nodes/0/status)" up &&
	on master bpsh 3 true
'
test_expect_success 'node 2 comes back up by itself (init restarts bpslave) and runs work' '
	for i in $(seq 150); do
		[ "$(on master cat /sys/bproc/nodes/2/status)" = up ] && break; sleep 0.2
	done
	is "$(on master bpsh 2 uname -n)" n2
'

test_expect_success 'a reboot of node 4 (a shared machine) does not reboot its siblings: node 4 reconnects' '
	before=$(on 4 cut -d. -f1 /proc/uptime) &&
	on master sh -c "echo 1 > /sys/bproc/nodes/4/reboot" ; true
	for i in $(seq 150); do
		[ "$(on master cat /sys/bproc/nodes/4/status)" = up ] && break; sleep 0.2
	done
	is "$(on master cat /sys/bproc/nodes/4/status)" up &&
	after=$(on 4 cut -d. -f1 /proc/uptime) &&
	[ "$after" -ge "$before" ] &&
	"$vcluster" log 0 | grep -q "bpslave n4.*not rebooting: this machine is other nodes too" &&
	is "$(on master sh -c "cat /sys/bproc/nodes/*/status" | sort | uniq -c | sed "s/^ *//")" "$n up"
'

test_expect_success "a process with 4 MiB vrforks to all $n nodes: every child in /proc/bproc/processes on its node, every status collected" '
	out=$(on master "$mt" vhold 4 $(seq 0 $last)) &&
	matches "$out" "listed $n of $n*" &&
	matches "$out" "*vhold $n: $n ok, 0 failed*"
'
# VM 3 (the last $per nodes, placed last) dies while the spawn is under
# way: once 40 children are placed.  Its ranks fail, with an errno or as
# killed; all the others run; the call returns (the heartbeat, 30 s here,
# bounds it) and the master keeps no ghost of VM 3's.
dead=$((vms - 1))
test_expect_success "a VM killed mid-spawn: its $per ranks fail, the other $((n - per)) run, nothing hangs" '
	(on master timeout 300 "$mt" vhold 4 $(seq 0 $last) > "$test_tmp/vk"; echo "exit $?" >> "$test_tmp/vk") &
	bg=$!
	for i in $(seq 600); do
		[ "$(on master sh -c "wc -l < /proc/bproc/processes")" -ge 40 ] && break; sleep 0.1
	done
	"$vcluster" kill $dead &&
	wait $bg &&
	cat "$test_tmp/vk" &&
	grep -qx "vhold $n: $((n - per)) ok, $per failed" "$test_tmp/vk" &&
	grep -qx "exit 1" "$test_tmp/vk" &&
	sed -n "s/^[0-9]* (node \([0-9]*\)).*/\1/p" "$test_tmp/vk" |
		while read -r nd; do [ "$nd" -ge $((dead * per)) ] || echo "node $nd failed"; done > "$test_tmp/bad" &&
	is "$(cat "$test_tmp/bad")" "" &&
	is "$(on master sh -c "cat /proc/bproc/processes" | wc -l)" 0
'
test_expect_success "VM $dead boots again and its $per nodes come back up" '
	"$vcluster" start $dead >/dev/null &&
	for i in $(seq 300); do
		[ "$(on master sh -c "cat /sys/bproc/nodes/*/status" | grep -cx up)" = $n ] && break; sleep 0.5
	done
	is "$(on master sh -c "cat /sys/bproc/nodes/*/status" | sort | uniq -c | sed "s/^ *//")" "$n up" &&
	on master bpsh $((dead * per)) true
'
# A VM killed from outside logs nothing to flag; its console starts over.
test_expect_success 'no kernel trouble on any console' '
	"$vcluster" check
'
test_no_leaks master $(for v in $(seq 0 $((vms - 1))); do echo $((v * per)); done)

test_done
