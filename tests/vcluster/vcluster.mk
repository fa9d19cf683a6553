# SPDX-License-Identifier: GPL-2.0
#
# The virtual cluster's own pieces (test harness only):
#   build/tests/vcluster/vcagent          static agent that runs in every VM
#   build/tests/vcluster/vcrun            host-side client (vcluster run)
#   build/vcluster/testoverlay.cpio.gz    appended to the slave image in tests:
#                                         busybox + vcagent + init.d hook
#   build/vcluster/slave-test.cpio.gz     slave.cpio.gz followed by the overlay
#   build/vcluster/master.cpio.gz         the master VM's early initramfs

VC := $(B)/vcluster
VCT := $(B)/tests/vcluster
BUSYBOX ?= /bin/busybox
# The project's tools that qemu tests run on slaves (each linked -static).
OVERLAY_TOOLS := $(B)/bin/bpcheckpoint $(B)/bin/bprestart
# No libraries: the slaves boot the plain image, and the master's programs
# and libraries reach a node's processes through bproc's file service
# (Documentation/remote-files.md), as on a user's cluster.

$(VCT)/vcagent: tests/vcluster/vcagent.c tests/vcluster/agentproto.h tests/vcluster/vcio.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -static -o $@ $<

$(VCT)/vcrun: tests/vcluster/vcrun.c tests/vcluster/agentproto.h tests/vcluster/vcio.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $<

$(VC)/testoverlay.cpio.gz: $(VCT)/vcagent $(KTEST_HELPERS:%=$(B)/tests/helpers/%) $(KTEST_HELPERS_EXTRA) \
		$(OVERLAY_TOOLS) tests/vcluster/mkoverlay $(BUSYBOX)
	@mkdir -p $(dir $@)
	tests/vcluster/mkoverlay $@ $(BUSYBOX) $(VCT)/vcagent \
		$(KTEST_HELPERS:%=$(B)/tests/helpers/%) $(KTEST_HELPERS_EXTRA) -- $(OVERLAY_TOOLS)

$(VC)/slave-test.cpio.gz: $(B)/initramfs/slave.cpio.gz $(VC)/testoverlay.cpio.gz
	cat $^ > $@

$(VC)/master.cpio.gz: tests/vcluster/mkmaster tests/vcluster/master-early-init scripts/moddeps $(BUSYBOX)
	@mkdir -p $(dir $@)
	tests/vcluster/mkmaster $@ $(BUSYBOX) $(MODDIR)

.PHONY: vcluster
vcluster: module user $(VCT)/vcagent $(VCT)/vcrun $(VC)/slave-test.cpio.gz $(VC)/master.cpio.gz \
	$(TEST_TARGETS)
