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

out=$(on 0 sh -c 'echo to-out; echo to-err >&2' 2>/dev/null)
is "$out" to-out "run: stdout alone on stdout"
err=$(on 0 sh -c 'echo to-out; echo to-err >&2' 2>&1 >/dev/null)
is "$err" to-err "run: stderr alone on stderr"
out=$(printf 'line1\nline2\n' | on 0 wc -l)
is "$(echo $out)" 2 "run: stdin reaches the command"
on master sh -c 'exit 42'
is $? 42 "run: the command's exit status on the master"
on 1 sh -c 'kill -9 $$'
is $? 137 "run: death by signal 9 gives 128+9"
"$vcluster" run --on 7 -- true 2>/dev/null
is $? 255 "run: a harness failure (no slave 7) exits 255"

out=$(VCLUSTER_NOBUILD=1 "$vcluster" up 2>&1)
rc=$?
case $out in *"already up"*) r=$rc ;; *) r=0 ;; esac
[ "$r" = 1 ]
_tap $? "up while a cluster is up says so and exits 1" "exit $rc: $out"

out=$(on 0 ip -4 -o addr show)
case $out in *"inet 10.77.0.10/24"*) r=0 ;; *) r=1 ;; esac
_tap $r "slave 0: bproc.ip= configured 10.77.0.10/24" "$out"
on 0 ping -c 1 -W 5 10.77.0.1 >/dev/null
ok $? "slave 0 reaches the master over the bridge"
grep -q 'bproc-init: ' "$top/build/vcluster/run/slave0.log"
ok $? "slave 0's console shows the slave init's log lines"

boot1=$(on 1 cat /proc/sys/kernel/random/boot_id)
"$vcluster" kill 1
ok $? "kill 1"
"$vcluster" run --on 1 -- true 2>/dev/null
is $? 255 "a killed slave does not answer"
"$vcluster" start 1
ok $? "start 1"
boot2=$(on 1 cat /proc/sys/kernel/random/boot_id)
[ -n "$boot2" ] && [ "$boot1" != "$boot2" ]
ok $? "slave 1 runs a new boot after start"
on 1 test -c /dev/bproc/slave
ok $? "slave 1 has bproc loaded again"

on 1 sh -c 'reboot -f &' >/dev/null 2>&1
# Wait until the old boot is gone, then for the new one.
for i in $(seq 100); do
	b=$(on 1 cat /proc/sys/kernel/random/boot_id 2>/dev/null)
	[ "$b" != "$boot2" ] && break
	sleep 0.2
done
"$vcluster" wait 1
ok $? "slave 1 comes back by itself after rebooting itself"
boot3=$(on 1 cat /proc/sys/kernel/random/boot_id)
[ -n "$boot3" ] && [ "$boot3" != "$boot2" ]
ok $? "slave 1 runs a new boot after its reboot"

done_testing
