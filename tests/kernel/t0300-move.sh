#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Moving processes: bproc_move and bproc_rfork to a slave; the ghost on the
# master (same PID, command line, O(1) memory), its signals and exit status;
# stdout and stderr kept apart; permissions and errors; a node that dies
# under its processes.
#
#   master 10.77.0.1 (movetest, its ghost)   slaves 0..N-1 (the moved process)
. "$(dirname "$0")/lib.sh"

mt=$helpers/movetest
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- move: output, PID, exit status ------------------------------------
"$vcluster" run -- "$mt" move 1 7 >"$tmp/out" 2>"$tmp/err"
is "$?" 7 "a process moved to node 1 exits 7: its parent sees 7"
before=$(sed -n 's/^before pid \([0-9]*\) node -1 .*/\1/p' "$tmp/out")
after=$(sed -n 's/^after pid \([0-9]*\) node 1 .*/\1/p' "$tmp/out")
ok $([ -n "$before" ] && [ "$before" = "$after" ]; echo $?) \
	"it keeps its PID on node 1 ($before) and knows where it runs"
is "$(cat "$tmp/err")" "to stderr from pid $before" "its stderr arrives on stderr, apart"
is "$(grep -c stderr "$tmp/out")" 0 "... and not on stdout"

out=$(on master "$mt" move 0 0 2>/dev/null)
is "$?" 0 "exit 0 from node 0"
out=$(on master sh -c "$mt move 2 3 2>/dev/null | cat")
r=$?
case $out in *"after pid"*"node 2"*) r=0 ;; *) r=1 ;; esac
_tap $r "output through a pipe on the master reaches its reader" "$out"

# ---- the ghost ---------------------------------------------------------
on master sh -c "$mt sleep 1 >/tmp/ghost.out 2>&1 & echo \$! > /tmp/ghost.pid"
sleep 2
pid=$(on master cat /tmp/ghost.pid)
is "$(on master cat /tmp/ghost.out)" "sleeping $pid" "the moved process runs on node 1 as PID $pid"
out=$(on master ps -o pid=,comm=,args= -p "$pid")
case $out in *"$pid"*movetest*"movetest sleep 1"*) r=0 ;; *) r=1 ;; esac
_tap $r "ps on the master shows the ghost: PID, command, arguments" "$out"
is "$(on master sh -c "tr '\\0' ' ' < /proc/$pid/cmdline")" \
	"$mt sleep 1 " "/proc/$pid/cmdline reads right"
rss=$(on master sh -c "sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$pid/status")
ok $([ "${rss:-999}" -le 16 ]; echo $?) "the ghost's RSS is a few pages ($rss kB)"
is "$(on master cat /sys/bproc/stats/ghosts)" 1 "one ghost counted"
is "$(on master cat /proc/bproc/processes)" "$pid 1" "/proc/bproc/processes: '$pid 1'"
is "$(on master cat /proc/bproc/$pid/node)" 1 "/proc/bproc/$pid/node: 1"
is "$(on master cat /proc/bproc/1/node)" -1 "/proc/bproc/1/node: -1 (init runs on the master)"
out=$(on master bpstat -p)
case $out in *"$pid"*1*) r=0 ;; *) r=1 ;; esac
_tap $r "bpstat -p lists it on node 1" "$out"
on 1 sh -c "ps | grep -q '[m]ovetest sleep'"
ok $? "node 1 runs it"
for sig in TERM INT HUP USR1 USR2 KILL; do
	on master sh -c "$mt sleep 1 >/tmp/g.out 2>&1 & p=\$!; sleep 1.5; kill -$sig \$p; wait \$p; echo \$?" >"$tmp/st" 2>/dev/null
	want=$((128 + $(kill -l "$sig")))
	is "$(cat "$tmp/st")" "$want" "kill -$sig on the ghost: the parent's wait sees it ($want)"
done
on master kill -KILL "$pid"
sleep 1
is "$(on 1 sh -c "ps | grep -c '[m]ovetest sleep'")" 0 "... and none is left on node 1"

# ---- stops -------------------------------------------------------------
out=$(on master "$mt" stopcont 1)
is "$out" "stopped by 19
continued
ended: signal 15" "SIGSTOP/SIGCONT/SIGTERM on a ghost: the parent's waitpid sees the stop (WUNTRACED), the continue (WCONTINUED) and the death"
out=$(on master sh -c "$mt sleep 2 >/tmp/tstp.out 2>&1 & p=\$!; sleep 1.5; kill -STOP \$p; sleep 1; ps -o stat= -p \$p; kill -CONT \$p; sleep 0.5; ps -o stat= -p \$p; kill -KILL \$p")
is "$(echo $out)" "T S" "kill -STOP shows the ghost stopped (T) once the remote process stopped; SIGCONT continues both"

on master sh -c "$mt sleep 1 >/tmp/sk.out 2>&1 & p=\$!; echo \$p > /tmp/sk.pid; sleep 1.5; kill -STOP \$p; sleep 1; kill -KILL \$p; wait \$p"
sleep 4
p=$(on master cat /tmp/sk.pid)
is "$(on master sh -c "grep -c '^$p ' /proc/bproc/processes")" 0 \
	"a ghost killed while stopped is reaped (not in /proc/bproc/processes)"
is "$(on 1 sh -c "ps | grep -c '[m]ovetest sleep'")" 0 "... and its process on node 1 is killed"

# ---- rfork -------------------------------------------------------------
out=$(on master "$mt" rfork 2 5)
r=$?
case $out in *"child "*"node 2"*"status 0x500"*) ;; *) r=1 ;; esac
_tap $r "bproc_rfork: the child runs on node 2, its parent's waitpid gets exit 5" "$out"
out=$(on master "$mt" rfork 77 5)
is "$out" "rfork failed: ENODEV" "rfork to no such node: -1/ENODEV, no child"

# ---- memory ------------------------------------------------------------
out=$(on master "$mt" memory 1 64)
r=$?
case $out in "memory ok"*"node 1"*) ;; *) r=1 ;; esac
_tap $r "a 64 MiB process moves to node 1 with every byte intact" "$out"

# ---- execmove: unmodified programs, stdin ------------------------------
"$vcluster" run -- "$mt" exec 1 /bin/sh -c 'echo sh on $(cat /sys/bproc/numnodes); echo oops >&2; exit 9' \
	>"$tmp/out" 2>"$tmp/err"
r=$?
is "$r:$(cat "$tmp/out"):$(cat "$tmp/err")" "9:sh on 3:oops" \
	"bproc_execmove: the master's dynamic /bin/sh runs on node 1 (output apart, exit 9)"
out=$(on master "$mt" exec 2 /bin/uname -n)
is "$out" "(none)" "uname -n placed on node 2 names node 2's host"
out=$(on master "$mt" exec 1 /no/such/program)
is "$out" "execmove failed: No such file or directory" "execmove of a missing program: -1/ENOENT, no move"
printf 'line one\nline two\n' | "$vcluster" run -- "$mt" execin 1 /bin/cat >"$tmp/out"
is "$(cat "$tmp/out")" "line one
line two" "stdin forwarded to cat on node 1"
head -c 300000 /dev/urandom >"$tmp/in"
"$vcluster" run -- "$mt" execin 2 /bin/cat <"$tmp/in" >"$tmp/out"
cmp -s "$tmp/in" "$tmp/out"
ok $? "300 KB of binary stdin through cat on node 2 come back identical"
out=$(on master "$mt" exec 1 /bin/cat </dev/null)
is "$?:$out" "0:" "without stdin forwarding a moved cat reads end of file"

out=$(on master "$mt" rexec 1 /bin/busybox busybox uname -n)
is "$?:$out" "0:(none)" "bproc_rexec runs the node's own /bin/busybox on node 1"
out=$(on master "$mt" rexec 1 /usr/bin/no-such 2>&1)
is "$?:$out" "99:rexec failed: No such file or directory" \
	"bproc_rexec of a program the node lacks: -1/ENOENT, back on the master"
is "$(on master "$mt" rexec 77 /bin/true)" "rexec failed: ENODEV" "bproc_rexec to no such node: -1/ENODEV"

# ---- PID-space calls from a node ----------------------------------------
out=$(on master "$mt" calls 0 1)
r=$?
is "$r:$(echo "$out" | grep -c "^ok"):$(echo "$out" | grep -c "^FAIL")" "0:17:0" \
	"from node 0: getppid, group, session; SIGSTOP/SIGCONT/end of a child on the master seen with waitpid; a child on node 1 killed and waitid()ed; ECHILD; setpgid"
out=$(on master bpsh 0 sh -c 'sleep 0.1 & wait; echo waited; sleep 5 & kill $!; wait $!; echo "killed $?"; echo piped | cat; kill -0 $PPID && echo "parent $PPID reached"')
case $out in "waited
killed 143
piped
parent "[0-9]*" reached") r=0 ;; *) r=1 ;; esac
_tap $r "a shell on node 0: its own children are waited for and killed there; \$PPID (bpsh, on the master) is reached" "$out"

out=$(on master bpsh 0 sh -c 'sleep 4 & echo left-behind')
is "$?:$out" "0:left-behind" "a shell that leaves a child running on the node ends at once"
is "$(on master bpsh 0 echo still)" still "... and bpslave on that node goes on"

# ---- fork on a node: the child's PID comes from the master ---------------
cat >"$tmp/forks.sh" <<EOF
$mt forks 0 > /tmp/forks.out 2>&1 &
m=\$!
for i in 1 2 3 4 5 6 7 8 9 10; do grep -q '^in child' /tmp/forks.out && break; sleep 0.5; done
c=\$(sed -n 's/^child \([0-9][0-9]*\)\$/\1/p' /tmp/forks.out)
echo "mover \$m child \${c:-none}"
case \$c in [0-9]*) ;; *) kill -KILL \$m; exit 1 ;; esac
echo "ghost parent \$(awk '{ print \$4 }' /proc/\$c/stat) node \$(cat /proc/bproc/\$c/node)"
grep -q "^\$c 0\\\$" /proc/bproc/processes && echo "in the table"
kill -TERM \$c
wait \$m
echo "mover exit \$?"
cat /tmp/forks.out
[ -e /proc/\$c ] && echo "ghost \$c left behind"
exit 0
EOF
out=$(timeout 60 "$vcluster" run -- sh -c "$(cat "$tmp/forks.sh")")
m=$(echo "$out" | sed -n 's/^mover \([0-9]*\) child.*/\1/p')
c=$(echo "$out" | sed -n 's/^mover [0-9]* child \([0-9]*\)$/\1/p')
# (the parent's and the child's lines may come in either order: sorted)
want=$(printf '%s\n' "mover $m child $c" "ghost parent $m node 0" "in the table" \
	"mover exit 0" "child $c" "in child $c of $m on node 0" "child $c ended: signal 15" \
	"back: waitpid -1 No child processes" | sort)
is "$(echo "$out" | sort)" "$want" \
	"fork on node 0: the child has a master PID, its ghost is under its parent on the master, SIGTERM from the master ends it, the parent waits for it there; back home, no ghost is left"

is "$(on master bpsh 0 "$mt" vrfork 1 0)" "0: EOPNOTSUPP
1: exit 11" "from node 0, bproc_vrfork to 1 0: a child forked on a node cannot move on yet (EOPNOTSUPP), the one that stays runs"
is "$(on master bpsh 0 echo still)" still "... and node 0 goes on"

cat >"$tmp/trap.sh" <<'EOF'
bpsh 0 sh -c 'trap "echo got-usr1" USR1; sleep 6 & wait; echo "wait $?"; wait; echo done' &
b=$!
sleep 3
p=$(ps -o pid,ppid | awk -v b=$b '$2 == b { print $1 }')
case $p in [0-9]*) kill -USR1 "$p" ;; esac
wait
EOF
out=$(timeout 60 "$vcluster" run -- sh -c "$(cat "$tmp/trap.sh")")
is "$out" "got-usr1
wait 138
done" "a shell on node 0 waiting for its child: SIGUSR1 from the master runs its trap and ends the wait with 138, as on the master"

# ---- the vector forms --------------------------------------------------
is "$(on master "$mt" vrfork 0 1 77 2)" "0: exit 10
1: exit 11
2: ENODEV
3: exit 13" "bproc_vrfork to 0 1 77 2: child i runs as rank i, node 77 fails alone (ENODEV)"
is "$(on master "$mt" vexecmove 1 2 0)" "0: exit 20
1: exit 21
2: exit 22" "bproc_vexecmove of the master's /bin/sh to 1 2 0: each sees its BPROC_RANK"

# ---- moving on: node to node, back to the master -----------------------
out=$(on master "$mt" route 0 1 0 -1 1 -1)
r=$?
pid=$(echo "$out" | sed -n '1s/^at pid \([0-9]*\) .*/\1/p')
want="at pid $pid node 0 host (none)
at pid $pid node 1 host (none)
at pid $pid node 0 host (none)
at pid $pid node -1 host vc-master
at pid $pid node 1 host (none)
at pid $pid node -1 host vc-master"
is "$r:$(echo "$out" | head -6)" "0:$want" \
	"master -> 0 -> 1 -> 0 -> master -> 1 -> master: same PID, memory intact at each stop, output in order"
case $out in *"route ok, child"*"still ours") r=0 ;; *) r=1 ;; esac
_tap $r "back on the master its child is still its own (WNOHANG 0, then its SIGTERM)" "$out"
out=$(on master "$mt" pingpong 1 100)
case $out in "pingpong 100 ok"*) r=0 ;; *) r=1 ;; esac
_tap $r "100 round trips master -> node 1 -> master keep PID, memory and child" "$out"
on master sh -c "$mt pingpong 0 1000 >/tmp/pp.out 2>&1 & p=\$!; sleep 4; kill -TERM \$p; wait \$p; echo \$?" >"$tmp/st"
is "$(cat "$tmp/st")" 143 "SIGTERM to a process going back and forth reaches it, wherever it is"
on master sh -c 'echo unavailable > /sys/bproc/nodes/2/status'
is "$(on master "$mt" route 0 2 | tail -1)" "move 1 to 2 failed: EHOSTDOWN, at 0" \
	"from node 0 to an unavailable node: EHOSTDOWN, it stays on node 0"
on master sh -c 'echo up > /sys/bproc/nodes/2/status'
is "$(on master "$mt" route 0 77 | tail -1)" "move 1 to 77 failed: ENODEV, at 0" \
	"from node 0 to node 77: ENODEV"
is "$(on 0 "$mt" fail -1)" EOPNOTSUPP \
	"a process the master did not place cannot move from a node: EOPNOTSUPP"
on master bpctl -S 2 -u root -m 0100
out=$(on master setpriv --reuid 65534 --regid 65534 --clear-groups "$mt" route 1 2 | tail -1)
is "$out" "move 1 to 2 failed: EACCES, at 1" "nobody, from node 1 to node 2 (mode 100, root's): EACCES"
on master bpctl -S 2 -u root -m 0111
is "$(on master cat /sys/bproc/stats/ghosts)" 0 "no ghost left after moving around"

# ---- errors and permissions --------------------------------------------
is "$(on master "$mt" fail 77)" ENODEV "move to node 77: ENODEV"
on master sh -c 'echo unavailable > /sys/bproc/nodes/2/status'
is "$(on master "$mt" fail 2)" EHOSTDOWN "move to an unavailable node: EHOSTDOWN"
on master sh -c 'echo up > /sys/bproc/nodes/2/status'
on master bpctl -S 2 -u root -m 0100
out=$(on master setpriv --reuid 65534 --regid 65534 --clear-groups "$mt" fail 2)
is "$out" EACCES "nobody, node 2 mode 100 owned by root: EACCES"
on master bpctl -S 2 -u nobody
out=$(on master setpriv --reuid 65534 --regid 65534 --clear-groups "$mt" move 2 4 2>&1)
r=$?
case $out in *"after pid"*"node 2"*) ;; *) r=1 ;; esac
_tap $([ $r = 4 ]; echo $?) "after bpctl -u nobody it works (exit 4 from node 2)" "$out"
on master bpctl -S 2 -u root -m 0111

# ---- a node dies under its process -------------------------------------
on master sh -c "$mt sleep 0 >/tmp/dead.out 2>&1 & p=\$!; echo \$p > /tmp/dead.pid; wait \$p; echo \$? > /tmp/dead.status" &
waiter=$!
sleep 2
ping=$(on master sh -c 'sed -n "s/^pingtimeout //p" /etc/bproc/config')
t0=$(date +%s)
"$vcluster" kill 0
for i in $(seq $((ping * 3))); do
	[ -n "$(on master cat /tmp/dead.status 2>/dev/null)" ] && break
	sleep 1
done
is "$(on master cat /tmp/dead.status 2>/dev/null)" 137 \
	"node 0 killed: the ghost ends as killed by SIGKILL ($(($(date +%s) - t0)) s, pingtimeout ${ping}s)"
wait $waiter 2>/dev/null
"$vcluster" start 0
ok $? "node 0 back"

is "$(on master cat /sys/bproc/stats/ghosts)" 0 "no ghost left"
is "$(on master cat /proc/bproc/processes)" "" "/proc/bproc/processes is empty again"
stats_zero master
stats_zero 1

done_testing
