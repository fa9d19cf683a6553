#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a process on a node must not get past (issue 19, items 6, 7 and 9):
# a process in a PID namespace nested inside the node's (unshare -Urp, as
# any user may) whose PID there equals another user's node process does
# not move to the master as that process; the i386 ABI (int 0x80) is not
# a way around the node's call filter; clone3 is refused with ENOSYS (its
# flags are in memory: checked then used, a race), fork still works; a
# root process that drops privilege on its node has dropped it for its
# calls on the master (its ghost takes its ids of now, never more); a fork
# on a node is never given to another process that takes the PID bpslave
# armed ns_last_pid with (a thread, an io_uring thread): the fork's child
# is there as itself, or its fork is lost (the child killed), never another
# task under its ghost.
#
#   master 10.77.0.1                        slave 0 10.77.0.10
#   sectest victim (uid 65534) -----------> sleeps as PID V
#   sectest nested (uid 4242) ------------> unshare -Urp; nested PID V
#                                           moves to the master?
#   sectest int80, sectest clone3 --------> getppid by int 0x80; clone3
. "$(dirname "$0")/lib.sh"

st=$helpers/nodeattack
cluster_reset

test_expect_success 'unprivileged user namespaces are on, on the master and on node 0' '
	is "$(on master cat /proc/sys/kernel/unprivileged_userns_clone)" 1 &&
	is "$(on 0 cat /proc/sys/kernel/unprivileged_userns_clone)" 1
'

# On the master: nobody's victim on node 0, then the attacker, in a PID
# namespace nested in node 0's (as root: a user on a node cannot map its
# ids into a user namespace of its own, its restored process not being
# dumpable, Documentation/security.md);
# what the attacker printed, then the files it left if it reached the
# master (its image in the victim's ghost).
nested_sh='rm -f /tmp/sectest-pwned.* /tmp/sectest-v
setpriv --reuid=65534 --regid=65534 --clear-groups '$st' victim 0 >/tmp/sectest-v 2>&1 &
v=$!
for i in $(seq 100); do grep -q "^victim" /tmp/sectest-v && break; sleep 0.1; done
'$st' nested 0 $v | sed "s/ $v:/ V:/"
for i in $(seq 20); do ls /tmp/sectest-pwned.* 2>/dev/null && break; sleep 0.1; done
kill $v
wait $v
echo "victim $?"'
test_expect_success 'a process in a nested PID namespace with another user'\''s PID cannot move to the master as that process' '
	out=$(timeout 120 "$vcluster" run --on master -- sh -c "$nested_sh") &&
	is "$out" "nested pid V: move refused: EPERM
victim 143"
'

int80_sh=''$st' int80 0 | sed "s/[0-9][0-9]*/N/"; echo "exit $?"'
test_expect_success 'the i386 ABI (int 0x80) on a node kills the process (SIGSYS): no call past the filter' '
	out=$(on master bash -c "set -o pipefail; $int80_sh") &&
	is "$out" "getppid N
exit 159"
'

test_expect_success 'clone3 on a node fails with ENOSYS (libc falls back to clone); fork works' '
	out=$(on master "$st" clone3 0) &&
	is "$out" "clone3: ENOSYS
fork: child exit 7"
'

# Root's and nobody's sleepers on the master; the dropping process on
# node 0 signals them; then: is root's still there?
dropids_sh='sleep 60 & r=$!
setpriv --reuid=65534 --regid=65534 --clear-groups sleep 60 & n=$!
for i in $(seq 100); do grep -q "^Uid:.65534" /proc/$n/status && break; sleep 0.1; done
'$st' dropids 0 $r $n
kill -0 $r && echo "root'\''s sleeper lives"
kill $r $n 2>/dev/null; wait $r $n 2>/dev/null; true'
test_expect_success 'calls from a node are made with the caller'\''s ids of now: root that dropped to nobody signals as nobody' '
	out=$(timeout 120 "$vcluster" run --on master -- sh -c "$dropids_sh") &&
	is "$out" "uid 0 without CAP_KILL: kill -0 nobody'\''s: EPERM
uid 0 with CAP_KILL: kill -0 nobody'\''s: ok
uid 65534 (saved 0): kill -0 root'\''s: EPERM
uid 65534 (saved 0): kill -0 nobody'\''s: ok
back to uid 0: kill -0 root'\''s: ok
uid 65534: kill -9 root'\''s: EPERM
uid 65534: setresuid 0: EPERM
uid 65534: kill -9 -1: ok
uid 65534: getppid: ok
root'\''s sleeper lives"
'

# forkrace MODE: 40 forks on node 0 while a thread makes PIDs; then, on the
# master, which children are there under their own PIDs, which forks were
# lost (their child killed), and which ghosts of node 0 are neither the
# forker nor one of its children (another task took a child's PID).
race_sh='rm -f /tmp/fr.out
'$st' forkrace 0 MODE 40 >/tmp/fr.out 2>&1 &
h=$!
for i in $(seq 900); do grep -q "^placed" /tmp/fr.out && break; sleep 0.1; done
kids=" $(sed -n "s/^child //p" /tmp/fr.out | tr "\n" " ") "
n=0 m=0 stray=0
for k in $kids; do
	n=$((n + 1))
	grep -qx "$k 0" /proc/bproc/processes && m=$((m + 1))
done
for g in $(awk "\$2 == 0 { print \$1 }" /proc/bproc/processes); do
	[ "$g" = "$h" ] || case "$kids" in *" $g "*) ;; *) stray=$((stray + 1)) ;; esac
done
kill -TERM $h
wait $h
k=$(sed -n "s/^ended [0-9]* killed //p" /tmp/fr.out)
grep -v "^child \|^placed\|^ended " /tmp/fr.out
echo "forks $n"
echo "there or lost $((m + ${k:-0}))"
echo "stray $stray"
echo "lost ${k:-none}" >&2'

test_expect_success "forks on a node racing thread PIDs: each child is there as itself or lost, no other task under a child's ghost" '
	out=$(timeout 300 "$vcluster" run --on master -- sh -c "${race_sh/MODE/thread}" 2>/tmp/t0430-lost.$$) &&
	say "thread: $(cat /tmp/t0430-lost.$$)" &&
	is "$out" "forks 40
there or lost 40
stray 0"
'
# io_uring's workers take PIDs with no call bpslave could hold: a fork
# racing one is lost late (its child killed), and now and then (1 run in
# 3 in CI) its child is not found in time and stays on the node, a
# process of the caller's the master does not know (Documentation/TODO.md).
# What must hold is the security property: no other task under a ghost.
test_expect_success "forks on a node racing io_uring PIDs: no other task under a child's ghost" '
	out=$(timeout 300 "$vcluster" run --on master -- sh -c "${race_sh/MODE/uring}" 2>/tmp/t0430-lost.$$) &&
	say "uring: $(cat /tmp/t0430-lost.$$); $(echo "$out" | grep "^there or lost")" &&
	is "$(echo "$out" | grep -v "^there or lost")" "forks 40
stray 0"
'
rm -f /tmp/t0430-lost.$$

test_no_leaks master 0
test_done
