#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Issue 15: what an MPI user meets on the nodes.  Every node is named nN
# (its host name, and a name that resolves on the master and on the nodes
# through libnss_bproc); the master's /home is mounted on every node over
# NFS from the config's 'mount' line (a failed mount is reported, the node
# comes up anyway); and Debian's MPICH runs an unmodified MPI program,
# built on the master and kept in /home, on three nodes through bpsh:
#
#   mpiexec -launcher ssh -launcher-exec bpsh -hosts n0,n1,n2 -n 3 ./ring
#
#   master 10.77.0.1 (bpmaster, nfsd: /home)    slaves 0-2 (nN, /home)
. "$(dirname "$0")/lib.sh"

run() { timeout 120 "$vcluster" run -- "$@"; }

cluster_reset
n=$(nslaves)
addr() { run cat /sys/bproc/nodes/$1/addr; }
# getent ARGS... on the master (or with "bpsh N", on node N), blanks squeezed
hosts() { run "$@" | tr -s " "; }
master_addr=$(run cat /sys/bproc/master_addr)
master_name=$(run uname -n)

# ---- names -------------------------------------------------------------
test_expect_success 'each node'"'"'s host name is its name (uname -n, hostname)' '
	for ((i = 0; i < n; i++)); do
		is "$(run bpsh $i uname -n)" "n$i" || return 1
	done &&
	is "$(run bpsh 1 cat /proc/sys/kernel/hostname)" n1
'
test_expect_success 'the master'"'"'s own name is left alone' '
	is "$(run uname -n)" "$master_name" &&
	is "$(on 0 uname -n)" "$(on 0 cat /proc/sys/kernel/hostname)"
'
test_expect_success 'on the master, nN and .N resolve to the node'"'"'s address' '
	is "$(hosts getent hosts n1)" "$(addr 1) n1" &&
	is "$(hosts getent ahostsv4 .2 | head -n 1)" "$(addr 2) STREAM n2" &&
	is "$(hosts getent hosts master)" "$master_addr master"
'
test_expect_success 'on the master, a node'"'"'s address resolves to its name' '
	is "$(hosts getent hosts "$(addr 0)")" "$(addr 0) n0"
'
test_expect_success 'names that are not nodes do not resolve' '
	! run getent hosts n$n && ! run getent hosts n01x && ! run getent hosts n-1
'
test_expect_success 'on a node, the other nodes, master and the master'"'"'s own name resolve' '
	is "$(hosts bpsh 0 getent hosts n2)" "$(addr 2) n2" &&
	is "$(hosts bpsh 2 getent hosts master)" "$master_addr master" &&
	out=$(run bpsh 1 getent hosts "$master_name") &&
	is "${out%% *}" "$master_addr"
'

# ---- /home over NFS ----------------------------------------------------
test_expect_success 'every node has the master'"'"'s /home mounted (NFSv4)' '
	for ((i = 0; i < n; i++)); do
		out=$(run bpsh $i sh -c "grep \" /home \" /proc/mounts") &&
		case "$out" in "$master_addr:/home /home nfs4 "*) ;; *) echo "$out"; false ;; esac ||
			return 1
	done
'
test_expect_success 'a file written on a node in /home is the master'"'"'s, and back' '
	run sh -c "rm -rf /home/t0510 && mkdir -p /home/t0510" &&
	run bpsh 1 sh -c "echo written on \$(uname -n) >/home/t0510/from-node" &&
	is "$(run cat /home/t0510/from-node)" "written on n1" &&
	run sh -c "echo written on the master >/home/t0510/from-master" &&
	is "$(run bpsh 2 cat /home/t0510/from-master)" "written on the master"
'
test_expect_success 'a process moved to a node reads and writes in /home there' '
	run sh -c "cd /home/t0510 && bpsh 0 sh -c \"tr a-z A-Z <from-master >moved-out\"" &&
	is "$(run cat /home/t0510/moved-out)" "WRITTEN ON THE MASTER"
'
test_expect_success 'bpstat shows no notes while every mount worked' '
	! run bpstat | grep -q "^node "
'
# A second 'mount' line the server refuses: reported, the node up anyway.
# And one whose target leads through a link a user planted in /tmp: refused.
test_expect_success 'a mount that fails: every node up, the reason in bpstat and the logs' '
	for ((i = 0; i < n; i++)); do
		run bpsh $i sh -c "rm -rf /tmp/t0510-link && ln -s /etc /tmp/t0510-link" || return 1
	done &&
	run sh -c "cp /etc/bproc/config /tmp/t0510-config &&
		echo \"mount master:/t0510-none /mnt/t0510 nfs vers=4.2\" >>/etc/bproc/config &&
		echo \"mount tmpfs /tmp/t0510-link/x tmpfs\" >>/etc/bproc/config" &&
	daemons_stop && daemons_start &&
	out=$(run bpstat | grep "^node 1: ") &&
	is "$out" "node 1: mount master:/t0510-none on /mnt/t0510 (nfs): No such file or directory
node 1: mount tmpfs on /tmp/t0510-link/x (tmpfs): Too many levels of symbolic links" &&
	run bpsh 1 test ! -e /etc/x &&
	run grep -q "node 1: mount master:/t0510-none" /run/bpmaster.log &&
	"$vcluster" log 1 | grep -q "mount master:/t0510-none on /mnt/t0510 (nfs): No such file" &&
	run bpsh 1 sh -c "grep -q \" /home nfs4 \" /proc/mounts"
'
test_expect_success '... and the notes go when the nodes connect again without it' '
	run sh -c "cp /tmp/t0510-config /etc/bproc/config" &&
	for ((i = 0; i < n; i++)); do run bpsh $i rm -f /tmp/t0510-link; done &&
	daemons_stop && daemons_start &&
	! run bpstat | grep -q "^node "
'

# ---- MPI through bpsh --------------------------------------------------
test_expect_success 'mpicc on the master builds the MPI program into /home' '
	run sh -c "cp /bproc/tests/mpi/ring.c /home/t0510/ && cd /home/t0510 && mpicc -o ring ring.c" &&
	run test -x /home/t0510/ring
'
# mpiexec in the master VM, its output in /home/t0510/mpi.out.  Debian's
# MPICH 4.0.2 (ch4:ucx) now and then never returns from MPI_Finalize over
# UCX's TCP transport: a rank waits for the others' disconnect replies while
# they wait in the PMI barrier.  It happens without bproc too (on the build
# machine, UCX_TLS=tcp,self mpiexec -n 3 hangs in most runs), so a run whose
# output is complete and whose mpiexec is still there 30 s later is ended
# with SIGKILL and said so; what comes of that is checked below (nothing
# left anywhere).
mpi_sh='cd /home/t0510 && rm -f mpi.out mpi.rc
(mpiexec -launcher ssh -launcher-exec bpsh -hosts n0,n1,n2 -n 3 ./ring >mpi.out 2>&1; echo $? >mpi.rc) &
for i in $(seq 180); do
	[ -e mpi.rc ] && break
	[ "$(grep -c "^allreduce" mpi.out)" = 1 ] && [ "${done_at:=$i}" -le $((i - 60)) ] && break
	sleep 0.5
done
if [ -e mpi.rc ]; then echo "mpiexec exit $(cat mpi.rc)"
else pkill -KILL -x mpiexec; echo "mpiexec killed"; fi'
end=$(timeout 150 "$vcluster" run -- sh -c "$mpi_sh" 2>&1)
echo "# $end"
test_expect_success 'mpiexec with bpsh as ssh: 3 ranks on n0-n2 pass messages' '
	out=$(run cat /home/t0510/mpi.out) &&
	is "$(echo "$out" | grep "^rank" | sort)" "rank 0 of 3 on n0
rank 1 of 3 on n1
rank 2 of 3 on n2" &&
	is "$(echo "$out" | grep -E "^(ring|allreduce):")" "ring: token 3 after 3 ranks
allreduce: sum of ranks 3" &&
	case "$end" in "mpiexec exit 0"|"mpiexec killed") ;; *) false ;; esac
'
test_expect_success 'no MPI process is left on the nodes or the master' '
	for i in $(seq 40); do
		[ "$(run cat /sys/bproc/stats/ghosts)" = 0 ] && break
		sleep 0.5
	done &&
	is "$(run cat /sys/bproc/stats/ghosts)" 0 &&
	! run pgrep -x hydra_pmi_proxy
'
run rm -rf /home/t0510
test_no_leaks master 0 1 2
test_done
