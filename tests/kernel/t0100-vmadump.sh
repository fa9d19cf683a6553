#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# VMADump end to end, on the master and on a slave: a process dumps itself
# to a file and to a pipe and a fresh process restores it with everything
# intact; stopped processes are checkpointed through /proc/bproc/<pid>/image
# and restarted; the remote-file list shrinks images, and a changed library
# is refused; a corpus of damaged and hostile images all fail cleanly.
#
#   master 10.77.0.1 (tree at /bproc)          slave 0 10.77.0.10 (slave image)
. "$(dirname "$0")/lib.sh"

bin=/bproc/build/bin
tmp=$top/build/test-tmp/t0100
rm -rf "$tmp" && mkdir -p "$tmp"

cluster_reset

for node in master 0; do
	# 1. Self-dump to a file; restore in a fresh process.
	test_expect_success "$node: vmadtest dumps itself to a file" '
		on $node sh -c "rm -f /tmp/self.img; $helpers/vmadtest dump /tmp/self.img"
	'
	out=$(on $node $bin/bprestart /tmp/self.img)
	rc=$?
	test_expect_success "$node: bprestart runs the restored process to its own exit status" '
		is $rc 42
	'
	test_relay "$node: from a file" "$out"

	# 2. The same through a pipe, dumper and restorer running at once.
	out=$(on $node sh -c "$helpers/vmadtest dump - 2>/dev/null | $bin/bprestart -")
	rc=$?
	test_expect_success "$node: restored from a pipe" 'is $rc 42'
	test_relay "$node: from a pipe" "$out"

	# 2b. Into a socket.
	test_expect_success "$node: vmadtest dumps itself into a socket" '
		on $node sh -c "rm -f /tmp/sock.img; $helpers/vmadtest sockdump /tmp/sock.img"
	'
	test_expect_success "$node: restored from the image that went through a socket" '
		on $node $bin/bprestart /tmp/sock.img
		is $? 42
	'

	# 3. bproc_vmadump(): the byte count in the dumper, 0 in the restored one.
	test_expect_success "$node: bproc_vmadump() returns the bytes written" '
		err=$(on $node $helpers/vmadtest libdump /tmp/lib.img 2>&1 >/dev/null) &&
		size=$(on $node stat -c %s /tmp/lib.img) &&
		is "$err" "dumped $size bytes"
	'
	test_expect_success "$node: bproc_vmadump() returns 0 in the restored process" '
		on $node $bin/bprestart /tmp/lib.img
		is $? 42
	'

	# 4. An unmodified program, stopped, checkpointed through
	#    /proc/bproc/<pid>/image, killed, restarted: it runs to its end.
	test_expect_success "$node: sleep checkpointed, killed, restarted and ended normally" '
		out=$(on $node sh -c "
			sleep 3 & pid=\$!
			# Only once it sleeps: caught inside its dynamic loader, it would
			# hold descriptors (to libc) that an image does not carry.
			n=0; until grep -Eq \"^(35|230) \" /proc/\$pid/syscall 2>/dev/null || [ \$n -ge 100 ]; do
				sleep 0.05; n=\$((n + 1)); done
			$bin/bpcheckpoint -k \$pid /tmp/sleep.img || exit 10
			wait \$pid; echo killed:\$?
			start=\$(date +%s); $bin/bprestart /tmp/sleep.img; rc=\$?
			echo restarted:\$rc:\$((\$(date +%s) - start))")
		matches "$out" "*killed:137*restarted:0:[0-5]"
	'

	# 4b. The test program too: its output continues where it stopped, and
	#     the restarted process ends with its own exit status (5).
	test_expect_success "$node: vmadtest checkpointed mid-run goes on counting and exits 5" '
		out=$(on $node sh -c "
			$helpers/vmadtest count 20 > /tmp/count.out & pid=\$!
			while [ \$(cat /tmp/count.out 2>/dev/null | wc -l) -lt 5 ]; do sleep 0.1; done
			$bin/bpcheckpoint -k \$pid /tmp/count.img || exit 10
			wait \$pid
			$bin/bprestart /tmp/count.img >> /tmp/count.out; echo rc:\$?
			tr \"\\\\n\" \" \" < /tmp/count.out")
		matches "$out" "rc:5*1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 "
	'

	# 4d. Plain cat of the image file works as well as bpcheckpoint.
	test_expect_success "$node: cat /proc/bproc/PID/image > FILE, then bprestart FILE" '
		out=$(on $node sh -c "
			$helpers/vmadtest count 6 > /tmp/cat.out & pid=\$!
			while [ \$(cat /tmp/cat.out 2>/dev/null | wc -l) -lt 2 ]; do sleep 0.1; done
			kill -STOP \$pid
			while ! grep -q \"^State:.*T\" /proc/\$pid/status; do sleep 0.05; done
			cat /proc/bproc/\$pid/image > /tmp/cat.img; kill -9 \$pid; wait \$pid 2>/dev/null
			$bin/bprestart /tmp/cat.img >> /tmp/cat.out; echo rc:\$?
			tr \"\\\\n\" \" \" < /tmp/cat.out")
		matches "$out" "rc:5*1 2 3 4 5 6 "
	'

	# 4c. A multi-threaded process is refused, not dumped half.
	test_expect_success "$node: a multi-threaded process's dump is refused with EBUSY" '
		on $node $helpers/vmadtest threads /tmp/threads.img
	'

	# 5. /proc/bproc/<pid>/image of a running process is refused.
	test_expect_success "$node: the image of a running process is refused" '
		! on $node sh -c "sleep 5 & pid=\$!; cat /proc/bproc/\$pid/image >/dev/null; r=\$?; kill \$pid; exit \$r"
	'
	test_no_leaks $node
done

# 6. The remote-file list: a dynamically linked program without
#    VMAD_DUMP_LIBS is much smaller, restores where the files are the same,
#    and is refused when a referenced file changed.
# t0003 loaded the module afresh and started bpmaster again, whose config
# has no 'libraries' line: the kernel's default, then bpmaster's.
test_expect_success 'the remote-file list: the kernel'"'"'s /lib/ and /usr/lib/, then bpmaster'"'"'s program directories and /etc files' '
	list=$(on master cat /proc/bproc/libraries) &&
	is "$(echo "$list" | head -2)" "/lib/
/usr/lib/" &&
	echo "$list" | grep -qx /usr/bin/ &&
	echo "$list" | grep -qx /etc/passwd &&
	! echo "$list" | grep -q shadow
'
on master sh -c 'mkdir -p /tmp/libdir && cp /bproc/build/lib/libbproc.so.5 /tmp/libdir/' ||
	bail_out "a copy of libbproc.so.5 in /tmp/libdir"
dyn="env LD_LIBRARY_PATH=/tmp/libdir /bproc/build/tests/progs/vmadtest-dyn"
test_expect_success 'master: a dynamic program dumps with and without VMAD_DUMP_LIBS|OTHER' '
	on master sh -c "$dyn smalldump /tmp/all.img 7 && $dyn smalldump /tmp/refs.img 2"
'
test_expect_success 'master: libraries by reference make the image much smaller' '
	all=$(on master stat -c %s /tmp/all.img) &&
	refs=$(on master stat -c %s /tmp/refs.img) &&
	say "image sizes: VMAD_DUMP_ALL $all bytes, EXEC only $refs bytes" &&
	[ $((refs * 2)) -lt "$all" ]
'
test_expect_success 'master: the image with references restores where the files are the same' '
	on master $bin/bprestart /tmp/refs.img
	is $? 42
'
test_expect_success 'master: a changed library makes the restore fail cleanly (exit 1)' '
	on master sh -c "echo >> /tmp/libdir/libbproc.so.5" &&
	on master $bin/bprestart /tmp/refs.img
	is $? 1
'

# 6a. A process being traced is refused too (the master has the host's strace).
if on master sh -c 'command -v strace' >/dev/null; then
	test_expect_success "master: a ptraced process's dump is refused with EBUSY" '
		err=$(on master strace -f -o /dev/null $helpers/vmadtest dump /tmp/traced.img 2>&1)
		matches "$err" "*Device or resource busy*"
	'
else
	test_skip "master: a ptraced process's dump is refused with EBUSY" "no strace on this host"
fi

# 6b. Credentials: a root restorer gives the process the image's ids; anyone
#     else restores as themselves.
test_expect_success "master: nobody's image restored by root runs as nobody" '
	on master sh -c "rm -f /tmp/nobody.img; mkdir -p /tmp/vmadtest-cwd; chmod 1777 /tmp/vmadtest-cwd /tmp/vmadtest-cwd/mapped 2>/dev/null
		setpriv --reuid=65534 --regid=65534 --clear-groups $helpers/vmadtest dump /tmp/nobody.img" &&
	out=$(on master $bin/bprestart /tmp/nobody.img)
	matches "$out" "*# uid 65534 euid 65534 gid 65534*"
'
test_expect_success "master: root's image restored by nobody runs as nobody, not root" '
	on master sh -c "$helpers/vmadtest dump /tmp/root.img && chmod 644 /tmp/root.img" &&
	out=$(on master setpriv --reuid=65534 --regid=65534 --clear-groups $bin/bprestart /tmp/root.img)
	matches "$out" "*# uid 65534 euid 65534 gid 65534*"
'

# 7. Damaged and hostile images: all fail, with an errno or SIGKILL.
on master cat /tmp/self.img > "$tmp/self.img" || bail_out "no /tmp/self.img on the master"
test_expect_success 'a corpus of damaged and hostile images made from a real one' '
	corpus=$("$top/build/tests/host/vmadmutate" "$tmp/self.img" "$tmp")
'
for f in $corpus; do
	name=$(basename "$f" .img)
	# Page data streams after the point of no return: damage there (a
	# truncation or a flip past the prefix) can only end in SIGKILL.
	case $name in
	*prefix-only* | *half-data* | *no-trailer* | *flip-data* | *late-data*) want=137 ;;
	*) want=1 ;;
	esac
	test_expect_success "hostile image $name fails (exit $want)" '
		on master timeout 30 $bin/bprestart - < "$f" > "$tmp/$name.out" 2>&1
		is $? $want
	'
done
test_no_leaks master

test_done
