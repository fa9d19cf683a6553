# SPDX-License-Identifier: GPL-2.0
#
# Static helpers the qemu tests run inside the VMs (tests/tests.mk).

# bphello: the module skeleton from user space (devices, HELLO, stats, control).
KTEST_HELPERS += bphello

# bpnodes: the node table's messages, files and access rule (master, no bpmaster).
KTEST_HELPERS += bpnodes

# fakeslave: a hostile slave daemon for bpmaster (links the bpwire codec).
$(B)/tests/helpers/fakeslave: tests/kernel/fakeslave.c common/bpwire.c common/bpwire.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Icommon -static -o $@ tests/kernel/fakeslave.c common/bpwire.c
KTEST_HELPERS_EXTRA += $(B)/tests/helpers/fakeslave

# movetest: moves itself (bproc_move, bproc_rfork) for the process tests.
$(B)/tests/helpers/movetest: tests/kernel/helpers/movetest.c $(B)/lib/libbproc.a $(wildcard include/uapi/linux/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -static -o $@ tests/kernel/helpers/movetest.c $(B)/lib/libbproc.a
KTEST_HELPERS_EXTRA += $(B)/tests/helpers/movetest

# tcpblast: raw TCP throughput between VMs (tests/bench/move.sh's baseline).
$(B)/tests/helpers/tcpblast: tests/bench/tcpblast.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -static -o $@ $<
KTEST_HELPERS_EXTRA += $(B)/tests/helpers/tcpblast

# sectest: attacks on the image file and the restorer (t0400-sec-*; static,
# non-PIE: a copy of it has its .bss at the same address).
$(B)/tests/helpers/sectest: tests/kernel/helpers/sectest.c $(B)/lib/libbproc.a $(wildcard include/uapi/linux/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -static -no-pie -o $@ tests/kernel/helpers/sectest.c $(B)/lib/libbproc.a
KTEST_HELPERS_EXTRA += $(B)/tests/helpers/sectest
