# SPDX-License-Identifier: GPL-2.0
#
# cmocka unit tests (conventions in tests/tests.mk): each area adds its name
# to UNIT_TESTS, the objects under test to UNIT_OBJS_<area>, and any include
# path its test needs.

# The slave image's kernel command-line parser (initramfs/cmdline.c).
UNIT_TESTS += cmdline
UNIT_OBJS_cmdline := $(B)/initramfs/cmdline.o
$(B)/tests/unit/test_cmdline.o: ALL_CFLAGS += -Iinitramfs

# VMADump images: the validator and writer (common/), tested through a
# sample image (tests/unit/vmad_sample.c, shared with the fuzz target).
UNIT_TESTS += vmad
UNIT_OBJS_vmad := $(B)/common/vmad_check.o $(B)/common/vmad_build.o \
		  $(B)/common/crc32c.o $(B)/tests/unit/vmad_sample.o

# The daemon<->daemon protocol codec (common/bpwire.c).
UNIT_TESTS += bpwire
UNIT_OBJS_bpwire := $(B)/common/bpwire.o
$(B)/tests/unit/test_bpwire.o: ALL_CFLAGS += -Icommon
