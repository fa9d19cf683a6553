# SPDX-License-Identifier: GPL-2.0
#
# Static helpers the qemu tests run inside the VMs (tests/tests.mk).

# bphello: the module skeleton from user space (devices, HELLO, stats, control).
KTEST_HELPERS += bphello

# bpnodes: the node table's messages, files and access rule (master, no bpmaster).
KTEST_HELPERS += bpnodes

H := tests/kernel/helpers
# Every helper's headers: TAP, and the ABI.
HELPER_DEPS := $(H)/tap.h $(wildcard include/uapi/linux/*.h)

# fakeslave: a hostile slave daemon for bpmaster (links the bpwire codec).
BPWIRE_SRCS := common/bpwire.c common/bpwire_decode.c common/bpwire_encode.c
$(B)/tests/helpers/fakeslave: $(H)/fakeslave.c $(BPWIRE_SRCS) common/bpwire.h \
		common/bpwire_msg.h \
		common/moveio_check.c common/moveio_check.h $(HELPER_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Icommon -static -o $@ $(H)/fakeslave.c $(BPWIRE_SRCS) \
		common/moveio_check.c
KTEST_HELPERS_EXTRA += $(B)/tests/helpers/fakeslave

# movetest: moves itself (bproc_move, bproc_rfork) for the process tests.
$(B)/tests/helpers/movetest: $(H)/movetest.c $(B)/lib/libbproc.a $(HELPER_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -static -o $@ $(H)/movetest.c $(B)/lib/libbproc.a
KTEST_HELPERS_EXTRA += $(B)/tests/helpers/movetest

# bpsec: the attacks of issue 19 items 4, 13 and 15b (t0420-t0423).
$(B)/tests/helpers/bpsec: $(H)/bpsec.c $(B)/lib/libbproc.a $(HELPER_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -static -pthread -o $@ $< $(B)/lib/libbproc.a
KTEST_HELPERS_EXTRA += $(B)/tests/helpers/bpsec

# nodeattack: the attacks a process on a node can try (t0430-sec-node).
$(B)/tests/helpers/nodeattack: $(H)/nodeattack.c $(B)/lib/libbproc.a $(HELPER_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -static -pthread -o $@ $(H)/nodeattack.c $(B)/lib/libbproc.a
KTEST_HELPERS_EXTRA += $(B)/tests/helpers/nodeattack

# libcheck: libbproc seen from inside the VMs: static (every node) and
# shared (the master; tests/progs/ is not copied to the slaves).
$(B)/tests/helpers/libcheck: $(H)/libcheck.c $(B)/lib/libbproc.a $(HELPER_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -static -o $@ $< $(B)/lib/libbproc.a
$(B)/tests/progs/libcheck-dyn: $(H)/libcheck.c $(B)/lib/libbproc.so $(HELPER_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< -L$(B)/lib -lbproc
KTEST_HELPERS_EXTRA += $(B)/tests/helpers/libcheck
KTEST_HOST_TARGETS += $(B)/tests/progs/libcheck-dyn

# vmadtest: a process that dumps itself (static everywhere; dynamic on the
# master, for the remote-file list).
$(B)/tests/helpers/vmadtest: $(H)/vmadtest.c $(B)/lib/libbproc.a $(HELPER_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -static -pthread -o $@ $< $(B)/lib/libbproc.a
$(B)/tests/progs/vmadtest-dyn: $(H)/vmadtest.c $(B)/lib/libbproc.so $(HELPER_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -pthread -o $@ $< -L$(B)/lib -lbproc
KTEST_HELPERS_EXTRA += $(B)/tests/helpers/vmadtest
KTEST_HOST_TARGETS += $(B)/tests/progs/vmadtest-dyn

# vmadmutate (host side): a corpus of damaged and hostile images made from
# a real one (t0100).
$(B)/tests/host/vmadmutate: $(H)/vmadmutate.c $(B)/common/vmad_check.o \
		$(B)/common/vmad_check_rec.o \
		$(B)/common/vmad_build.o $(B)/common/crc32c.o $(B)/tests/unit/vmad_sample.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^
KTEST_HOST_TARGETS += $(B)/tests/host/vmadmutate

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

# ghostattack: a ghost's owner, or a stranger, attacks the ghost (t0410, t0411).
$(B)/tests/helpers/ghostattack: $(H)/ghostattack.c $(B)/lib/libbproc.a $(HELPER_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -static -o $@ $< $(B)/lib/libbproc.a
KTEST_HELPERS_EXTRA += $(B)/tests/helpers/ghostattack

# confine: a confined root process moves to a node (t0450, issue 19 item 8).
$(B)/tests/helpers/confine: $(H)/confine.c $(B)/lib/libbproc.a $(HELPER_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -static -o $@ $< $(B)/lib/libbproc.a
KTEST_HELPERS_EXTRA += $(B)/tests/helpers/confine
