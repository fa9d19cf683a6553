# SPDX-License-Identifier: GPL-2.0
#
# libFuzzer targets (make fuzz; conventions in tests/tests.mk): each parser
# that sees outside input adds its name to FUZZ_TARGETS, the sources under
# test to FUZZ_SRCS_<area> and any flags to FUZZ_CFLAGS_<area>.

# The slave image's kernel command-line parser (initramfs/cmdline.c).
FUZZ_TARGETS += cmdline
FUZZ_SRCS_cmdline := initramfs/cmdline.c
FUZZ_CFLAGS_cmdline := -Iinitramfs

# VMADump images (common/vmad_check*.c): raw, streamed and re-sealed inputs.
FUZZ_TARGETS += vmad
FUZZ_SRCS_vmad := common/vmad_check.c common/vmad_check_rec.c \
		  common/vmad_build.c common/crc32c.c \
		  tests/unit/vmad_sample.c

# Its seed corpus, tests/fuzz/corpus/vmad/: `make fuzz-seeds-vmad` rewrites
# it from the unit tests' sample image.
$(B)/fuzz/vmad_seeds: tests/fuzz/vmad_seeds.c $(FUZZ_SRCS_vmad)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^

.PHONY: fuzz-seeds-vmad
fuzz-seeds-vmad: $(B)/fuzz/vmad_seeds
	@mkdir -p tests/fuzz/corpus/vmad
	$< tests/fuzz/corpus/vmad

# libbproc's nodespec parser (lib/nodespec.c), on node sets in memory.
FUZZ_TARGETS += nodespec
FUZZ_SRCS_nodespec := lib/nodespec.c lib/nodeset.c
FUZZ_CFLAGS_nodespec := -Ilib

# The daemon<->daemon protocol codec (common/bpwire*.c): single frames and
# the same bytes as a stream.
FUZZ_TARGETS += bpwire
FUZZ_SRCS_bpwire := common/bpwire.c common/bpwire_decode.c \
		    common/bpwire_encode.c common/moveio_check.c
FUZZ_CFLAGS_bpwire := -Icommon

# bpmaster's configuration file parser (common/bpconfig.c).
FUZZ_TARGETS += bpconfig
FUZZ_SRCS_bpconfig := common/bpconfig.c
FUZZ_CFLAGS_bpconfig := -Icommon

# libnss_bproc's lookups (lib/nss/nss_bproc.c): names from anyone, and the
# master's hostname file, against a fixed node table in a temporary
# directory.
FUZZ_TARGETS += nss
FUZZ_SRCS_nss := lib/nss/nss_bproc.c
FUZZ_CFLAGS_nss := -Ilib/nss
