# SPDX-License-Identifier: GPL-2.0
#
# bproc top-level build.
#
#   make                 bproc.ko, libbproc (.a, .so, .pc), the commands
#   make initramfs       the diskless slave boot image (build/initramfs/)
#   make check           unit tests, then the qemu integration tests
#   make install         DESTDIR=, PREFIX= (default /usr/local)
#   make style | sparse  checkpatch/clang-format, sparse on the module
#
# The module is built against the headers of the kernel the virtual cluster
# boots: scripts/kver names it (from linux-headers-cloud-amd64); KVER= or
# KDIR= override.  User-space objects go to build/ (O= is not supported).

KVER	?= $(shell scripts/kver)
KDIR	?= /usr/src/linux-headers-$(KVER)
MODDIR	?= /lib/modules/$(KVER)

CC	?= cc
B	:= build
CFLAGS	?= -O2 -g
BPROC_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wformat=2 \
		-Wstrict-prototypes -Wmissing-prototypes -D_GNU_SOURCE \
		-Iinclude/uapi -Ilib/include -fno-strict-aliasing
ALL_CFLAGS = $(BPROC_CFLAGS) $(CFLAGS)
PKG_CONFIG ?= pkg-config

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
SBINDIR	?= $(PREFIX)/sbin
LIBDIR	?= $(PREFIX)/lib
INCDIR	?= $(PREFIX)/include
MANDIR	?= $(PREFIX)/share/man

.PHONY: all module user initramfs check test-build unit-check kernel-check install clean style sparse FORCE
.DEFAULT_GOAL := all

all: module user

# Every user-space program and library hangs off these lists, filled in by
# the per-directory fragments below.
USER_TARGETS :=
TEST_TARGETS :=
CLEAN_FILES :=
INSTALL_TARGETS :=

include lib/lib.mk
include cmd/cmd.mk
include initramfs/initramfs.mk
include tests/tests.mk

user: $(USER_TARGETS)

module: bproc.ko
bproc.ko: FORCE
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

-include $(shell find $(B) -name '*.d' -type f 2>/dev/null)

check: test-build
	tests/run

# Everything the tests need, built (tests/run TEST... after it runs one).
test-build: all initramfs $(TEST_TARGETS) fuzz

# Each fragment adds its own install-* target to INSTALL_TARGETS.
install: all $(INSTALL_TARGETS)
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) modules_install

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf $(B) $(CLEAN_FILES)

style:
	scripts/style

sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR) C=2 CHECK=sparse modules
