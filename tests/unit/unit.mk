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
UNIT_OBJS_vmad := $(B)/common/vmad_check.o $(B)/common/vmad_check_rec.o \
		  $(B)/common/vmad_build.o \
		  $(B)/common/crc32c.o $(B)/tests/unit/vmad_sample.o

# libbproc's node sets and nodespec parser (lib/nodeset.c, lib/nodespec.c),
# on node sets in memory.
UNIT_TESTS += nodespec
UNIT_OBJS_nodespec := $(B)/lib/nodespec.o $(B)/lib/nodeset.o
$(B)/tests/unit/test_nodespec.o: ALL_CFLAGS += -Ilib

# libbproc's node calls against a fake /sys/bproc and /proc/bproc tree
# ($BPROC_SYSFS, $BPROC_PROCFS).
UNIT_TESTS += nodes
UNIT_OBJS_nodes := $(B)/lib/libbproc.a
UNIT_LIBS_nodes := -pthread
$(B)/tests/unit/test_nodes.o: ALL_CFLAGS += -Ilib

# The daemon<->daemon protocol codec (common/bpwire*.c).
UNIT_BPWIRE_OBJS := $(B)/common/bpwire.o $(B)/common/bpwire_decode.o \
		    $(B)/common/bpwire_encode.o
UNIT_TESTS += bpwire
UNIT_OBJS_bpwire := $(UNIT_BPWIRE_OBJS) $(B)/common/moveio_check.o
$(B)/tests/unit/test_bpwire.o: ALL_CFLAGS += -Icommon

# bpmaster's configuration file parser (common/bpconfig.c).
UNIT_TESTS += bpconfig
UNIT_OBJS_bpconfig := $(B)/common/bpconfig.o
$(B)/tests/unit/test_bpconfig.o: ALL_CFLAGS += -Icommon

# bpslave's PID-namespace init (cmd/bpslave/nsinit.c), in real namespaces
# (root; skipped without), with a fake undump (bproc.ko is not loaded here).
UNIT_TESTS += bpnsinit
UNIT_OBJS_bpnsinit := $(B)/cmd/bpslave/nsinit.o $(B)/cmd/bpslave/nsview.o $(B)/lib/libbproc.a
$(B)/tests/unit/test_bpnsinit.o: ALL_CFLAGS += -Icmd/bpslave -Ilib

# bpslave's decisions on PID-space calls (cmd/bpslave/callrules.c), on a
# fake namespace, and its process table (cmd/bpslave/proc.c).
UNIT_TESTS += bpslave_calls bpslave_proc
UNIT_OBJS_bpslave_calls := $(B)/cmd/bpslave/callrules.o
UNIT_OBJS_bpslave_proc := $(B)/cmd/bpslave/proc.o
$(B)/tests/unit/test_bpslave_calls.o $(B)/tests/unit/test_bpslave_proc.o: \
	ALL_CFLAGS += -Icmd/bpslave -Icmd -Icommon

# bpmaster's process table, routing and moves (cmd/bpmaster/{proc,route,
# transit,call}.c), with the kernel device and the slaves faked in the test.
UNIT_TESTS += bpmaster_route
UNIT_OBJS_bpmaster_route := $(B)/cmd/bpmaster/proc.o $(B)/cmd/bpmaster/route.o \
			    $(B)/cmd/bpmaster/transit.o $(B)/cmd/bpmaster/call.o \
			    $(B)/cmd/bpdaemon.o $(UNIT_BPWIRE_OBJS) $(B)/common/moveio_check.o
$(B)/tests/unit/test_bpmaster_route.o: ALL_CFLAGS += -Icmd -Icommon

# bpmaster's dispatch of a slave's frames (cmd/bpmaster/frame.c): the
# session states each is legal in; the handlers are fakes.
UNIT_TESTS += bpmaster_frame
UNIT_OBJS_bpmaster_frame := $(B)/cmd/bpmaster/frame.o $(B)/cmd/bpdaemon.o \
			    $(UNIT_BPWIRE_OBJS) $(B)/common/moveio_check.o
$(B)/tests/unit/test_bpmaster_frame.o: ALL_CFLAGS += -Icmd -Icommon
# bpmaster's file service for the nodes (cmd/bpmaster/files.c): what the
# list serves, and each request with the asker's rights on real files.
UNIT_TESTS += bpmaster_files
UNIT_OBJS_bpmaster_files := $(B)/cmd/bpmaster/files.o $(B)/cmd/bpdaemon.o \
			    $(UNIT_BPWIRE_OBJS) $(B)/common/moveio_check.o
$(B)/tests/unit/test_bpmaster_files.o: ALL_CFLAGS += -Icmd -Icommon
# The rules of a move's descriptor entries (common/moveio_check.c), shared
# by the kernel, the wire codec and libbproc.
UNIT_TESTS += moveio
UNIT_OBJS_moveio := $(B)/common/moveio_check.o
$(B)/tests/unit/test_moveio.o: ALL_CFLAGS += -Icommon

# The PID-space call table of <linux/bproc.h> (bproc_call()) against this
# machine's system call numbers.
UNIT_TESTS += calls
UNIT_OBJS_calls :=

# libnss_bproc's lookups (lib/nss/nss_bproc.c) against a fake node table and
# hostname file, passed as paths.
UNIT_TESTS += nss
UNIT_OBJS_nss := $(B)/lib/nss/nss_bproc.o
$(B)/tests/unit/test_nss.o: ALL_CFLAGS += -Ilib/nss
