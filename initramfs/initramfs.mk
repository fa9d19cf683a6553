# SPDX-License-Identifier: GPL-2.0
#
# The diskless slave boot image (Documentation/slave-image.md).
#
#   make initramfs    build/initramfs/slave.cpio.gz, from
#                     build/initramfs/init (static, libnl-route), the distro
#                     kernel's modules for INITRAMFS_MODULES and their
#                     dependencies (scripts/moddeps), bproc.ko (required) and
#                     build/bin/bpslave (when it exists)

# crc32c_intel before libcrc32c, so that bproc's image checksums get the
# SSE4.2 implementation (libcrc32c binds the best one loaded at its init).
# fuse: the master's files (cmd/bpslave/files.c); nfsv4 (with nfs, sunrpc):
# the file systems of the config's 'mount' lines (cmd/bpslave/mounts.c).
INITRAMFS_MODULES ?= virtio_pci virtio_net crc32c_intel libcrc32c fuse nfsv4
INITRAMFS_IMAGE	:= $(B)/initramfs/slave.cpio.gz
INITRAMFS_INIT	:= $(B)/initramfs/init
INITRAMFS_BPSLAVE := $(B)/bin/bpslave

LIBNL_CFLAGS	:= $(shell $(PKG_CONFIG) --cflags libnl-route-3.0 2>/dev/null || echo -I/usr/include/libnl3)
LIBNL_LIBS	:= $(shell $(PKG_CONFIG) --static --libs libnl-route-3.0 2>/dev/null || echo -lnl-route-3 -lnl-3 -lpthread)

INIT_OBJS := $(B)/initramfs/init.o $(B)/initramfs/cmdline.o $(B)/initramfs/net.o

# libnl's headers are not ours to keep warning-free: -isystem, not -I.
$(B)/initramfs/net.o: ALL_CFLAGS += $(patsubst -I%,-isystem %,$(LIBNL_CFLAGS))

$(INITRAMFS_INIT): $(INIT_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -static -o $@ $^ $(LIBNL_LIBS)

# bpslave is in the image when it exists.  When cmd/cmd.mk (included before
# this file) builds it, the image depends on it, so that one make run builds
# both in order; otherwise whatever file is there is taken.
INITRAMFS_BPSLAVE_DEP := $(or $(filter $(INITRAMFS_BPSLAVE),$(USER_TARGETS)),$(wildcard $(INITRAMFS_BPSLAVE)))

# What the image is made of beyond its files' contents: a change here (another
# kernel, another module list, bpslave appearing or going) rebuilds it.
INITRAMFS_RECIPE := kver=$(KVER) moddir=$(MODDIR) modules=$(INITRAMFS_MODULES) bpslave=$(INITRAMFS_BPSLAVE_DEP)
$(B)/initramfs/recipe: FORCE
	@mkdir -p $(dir $@)
	@echo '$(INITRAMFS_RECIPE)' | cmp -s - $@ || echo '$(INITRAMFS_RECIPE)' >$@

$(INITRAMFS_IMAGE): $(INITRAMFS_INIT) bproc.ko initramfs/mkimage scripts/moddeps \
		    $(wildcard $(MODDIR)/modules.dep) $(INITRAMFS_BPSLAVE_DEP) \
		    $(B)/initramfs/recipe
	initramfs/mkimage -o $@ -i $(INITRAMFS_INIT) -k $(KVER) -m $(MODDIR) \
		-b bproc.ko -s $(INITRAMFS_BPSLAVE) -d scripts/moddeps \
		$(INITRAMFS_MODULES)

initramfs: $(INITRAMFS_IMAGE)

USER_TARGETS += $(INITRAMFS_INIT)

# Installed beside the other architecture-dependent files of the package.
.PHONY: install-initramfs
install-initramfs: $(INITRAMFS_IMAGE)
	install -d $(DESTDIR)$(LIBDIR)/bproc
	install -m 0644 $(INITRAMFS_IMAGE) $(DESTDIR)$(LIBDIR)/bproc/slave.cpio.gz
INSTALL_TARGETS += install-initramfs
