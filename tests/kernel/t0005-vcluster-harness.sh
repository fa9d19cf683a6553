#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The harness itself: `vcluster run` keeps stdout and stderr apart, passes
# stdin and exit statuses; the slave got its address from bproc.ip=; `kill`
# pulls a slave's power and `start` boots it again; a slave that reboots
# itself comes back by itself.
#
#   master 10.77.0.1          slave 0 10.77.0.10          slave 1 10.77.0.11
#                                                         (killed, restarted, rebooted)
. "$(dirname "$0")/lib.sh"

cluster_reset

test_expect_success 'run: stdout alone on stdout' '
	is "$(on 0 sh -c "echo to-out; echo to-err >&2" 2>/dev/null)" to-out
'
test_expect_success 'run: stderr alone on stderr' '
	is "$(on 0 sh -c "echo to-out; echo to-err >&2" 2>&1 >/dev/null)" to-err
'
test_expect_success 'run: stdin reaches the command' '
	out=$(printf "line1\nline2\n" | on 0 wc -l) &&
	is "$(echo $out)" 2
'
test_expect_success "run: the command's exit status on the master" '
	on master sh -c "exit 42"
	is $? 42
'
test_expect_success 'run: death by signal 9 gives 128+9' '
	on 1 sh -c "kill -9 \$\$"
	is $? 137
'
test_expect_success 'run: a harness failure (no slave 7) exits 255' '
	"$vcluster" run --on 7 -- true
	is $? 255
'
test_expect_success 'up while a cluster is up says so and exits 1' '
	out=$(VCLUSTER_NOBUILD=1 "$vcluster" up 2>&1)
	rc=$?
	echo "$out" &&
	is $rc 1 &&
	matches "$out" "*already up*"
'
test_expect_success 'slave 0: bproc.ip= configured 10.77.0.10/24' '
	matches "$(on 0 ip -4 -o addr show)" "*inet 10.77.0.10/24*"
'
test_expect_success 'slave 0 reaches the master over the bridge' '
	on 0 ping -c 1 -W 5 10.77.0.1
'
test_expect_success "slave 0's console shows the slave init's log lines" '
	grep -q "bproc-init: " "$top/build/vcluster/run/slave0.log"
'

boot1=$(on 1 cat /proc/sys/kernel/random/boot_id)
"$vcluster" kill 1 || bail_out "vcluster kill 1"
test_expect_success 'a killed slave does not answer' '
	"$vcluster" run --on 1 -- true
	is $? 255
'
"$vcluster" start 1 || bail_out "vcluster start 1"
test_expect_success 'slave 1 runs a new boot after start' '
	boot2=$(on 1 cat /proc/sys/kernel/random/boot_id) &&
	[ -n "$boot2" ] && [ "$boot1" != "$boot2" ]
'
test_expect_success 'slave 1 has bproc loaded again' '
	on 1 test -c /dev/bproc/slave
'

on 1 sh -c 'reboot -f &' >/dev/null 2>&1
test_expect_success 'slave 1 comes back by itself after rebooting itself' '
	# Wait until the old boot is gone, then for the new one.
	for i in $(seq 100); do
		b=$(on 1 cat /proc/sys/kernel/random/boot_id 2>/dev/null)
		[ "$b" != "$boot2" ] && break
		sleep 0.2
	done
	"$vcluster" wait 1
'
test_expect_success 'slave 1 runs a new boot after its reboot' '
	boot3=$(on 1 cat /proc/sys/kernel/random/boot_id) &&
	[ -n "$boot3" ] && [ "$boot3" != "$boot2" ]
'

test_done
