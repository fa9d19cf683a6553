# SPDX-License-Identifier: GPL-2.0
#
# Tests.  Conventions:
#  - tests/unit/test_<area>.c is a cmocka program; add <area> to UNIT_TESTS
#    and list its extra objects in UNIT_OBJS_<area>.  Binaries land in
#    build/tests/unit/ and print TAP (tests/run sets CMOCKA_MESSAGE_OUTPUT).
#  - tests/kernel/helpers/<name>.c are small static programs the qemu tests
#    run inside the VMs (master and slaves): add <name> to KTEST_HELPERS,
#    or give it a rule of its own in tests/kernel/helpers/helpers.mk and add
#    its binary to KTEST_HELPERS_EXTRA.  Binaries land in
#    build/tests/helpers/ (/bproc/build/tests/helpers in every VM); those
#    that test something print TAP through tests/kernel/helpers/tap.h.
#  - tests/fuzz/fuzz_<area>.c are libFuzzer targets (make fuzz, clang).

UNIT_TESTS :=
KTEST_HELPERS :=
FUZZ_TARGETS :=
# Helpers with rules of their own (helpers.mk), also copied into the test overlay.
KTEST_HELPERS_EXTRA :=
# Test programs that run on the host or the master only (not in the overlay).
KTEST_HOST_TARGETS :=

-include tests/unit/unit.mk
-include tests/kernel/helpers/helpers.mk
-include tests/fuzz/fuzz.mk

CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

define unit_rule
$(B)/tests/unit/test_$(1): $(B)/tests/unit/test_$(1).o $$(UNIT_OBJS_$(1))
	@mkdir -p $$(dir $$@)
	$$(CC) $$(ALL_CFLAGS) -o $$@ $$^ $$(UNIT_LIBS_$(1)) $$(CMOCKA_LIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rule,$(t))))

define helper_rule
$(B)/tests/helpers/$(1): tests/kernel/helpers/$(1).c tests/kernel/helpers/tap.h $(wildcard include/uapi/linux/*.h)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(ALL_CFLAGS) -static -o $$@ $$<
endef
$(foreach h,$(KTEST_HELPERS),$(eval $(call helper_rule,$(h))))

TEST_TARGETS += $(UNIT_TESTS:%=$(B)/tests/unit/test_%) $(KTEST_HELPERS:%=$(B)/tests/helpers/%)

FUZZ_CC ?= clang
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
define fuzz_rule
$(B)/fuzz/fuzz_$(1): tests/fuzz/fuzz_$(1).c $$(FUZZ_SRCS_$(1))
	@mkdir -p $$(dir $$@)
	$$(FUZZ_CC) $$(BPROC_CFLAGS) $$(FUZZ_FLAGS) $$(FUZZ_CFLAGS_$(1)) -o $$@ $$^
endef
$(foreach f,$(FUZZ_TARGETS),$(eval $(call fuzz_rule,$(f))))

.PHONY: fuzz
fuzz: $(FUZZ_TARGETS:%=$(B)/fuzz/fuzz_%)

TEST_TARGETS += $(KTEST_HELPERS_EXTRA) $(KTEST_HOST_TARGETS)

# Benchmarks (tests/bench/; run by hand, they print figures).
$(B)/tests/bench/vmadbench: tests/bench/vmadbench.c $(B)/lib/libbproc.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -static -o $@ $< $(B)/lib/libbproc.a
# The benchmark-only slave overlay with an ssh server, and the master's ssh
# key and config in build/vcluster/bench/ (tests/bench/start.sh; needs
# scripts/setup-bench).  Never part of slave-test.cpio.gz.
.PHONY: bench-overlay
bench-overlay: $(B)/vcluster/bench-overlay.cpio.gz
$(B)/vcluster/bench-overlay.cpio.gz: tests/bench/mkbenchoverlay $(wildcard /usr/sbin/dropbear)
	@mkdir -p $(dir $@)
	tests/bench/mkbenchoverlay $@ $(B)/vcluster/bench

# Last: its vcluster target needs the complete TEST_TARGETS.
include tests/vcluster/vcluster.mk
